package http

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"math"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/tandem-pm/tandem"
)

// uiRoutes lists the browser UI's pages. Reading needs PermRead; forms that
// change goals, programs, projects and products need PermEditAll; items,
// dependencies and comments need PermEditItems; deletes are for managers.
func (s *Server) uiRoutes() []route {
	rs := []route{
		{Method: "GET", Pattern: "/static/{file}", Public: true, Handle: s.handleStatic},
		{Method: "GET", Pattern: "/signin", Public: true, UI: true, Handle: s.handleSignInForm},
		{Method: "POST", Pattern: "/signin", Public: true, UI: true, Handle: s.handleSignIn},
		{Method: "POST", Pattern: "/signout", Public: true, UI: true, Handle: s.handleSignOut},
		{Method: "GET", Pattern: "/{$}", UI: true, Handle: s.handleWorkspaces},
		{Method: "GET", Pattern: "/w/{ws}", Perm: tandem.PermRead, UI: true, Handle: s.handleWorkspaceHome},
		{Method: "GET", Pattern: "/w/{ws}/activity", Perm: tandem.PermRead, UI: true, Handle: s.handleActivityList},
		{Method: "GET", Pattern: "/w/{ws}/members", Perm: tandem.PermRead, UI: true, Handle: s.handleMemberList},
		{Method: "POST", Pattern: "/w/{ws}/members/{user}/role", Perm: tandem.PermManageMembers, UI: true, Handle: s.handleMemberRole},

		{Method: "GET", Pattern: "/w/{ws}/goals", Perm: tandem.PermRead, UI: true, Handle: s.handleGoalList},
		{Method: "GET", Pattern: "/w/{ws}/goals/{id}", Perm: tandem.PermRead, UI: true, Handle: s.handleGoalView},
		{Method: "POST", Pattern: "/w/{ws}/goals/{id}/key-results", Perm: tandem.PermEditAll, UI: true, Handle: s.handleKeyResultCreate},
		{Method: "POST", Pattern: "/w/{ws}/key-results/{id}/measurements", Perm: tandem.PermEditAll, UI: true, Handle: s.handleMeasurementCreate},
		{Method: "POST", Pattern: "/w/{ws}/key-results/{id}/delete", Perm: tandem.PermEditAll, UI: true, Handle: s.handleKeyResultDelete},

		{Method: "GET", Pattern: "/w/{ws}/programs", Perm: tandem.PermRead, UI: true, Handle: s.handleProgramList},
		{Method: "GET", Pattern: "/w/{ws}/programs/{id}", Perm: tandem.PermRead, UI: true, Handle: s.handleProgramView},
		{Method: "GET", Pattern: "/w/{ws}/projects", Perm: tandem.PermRead, UI: true, Handle: s.handleProjectList},
		{Method: "GET", Pattern: "/w/{ws}/projects/{id}", Perm: tandem.PermRead, UI: true, Handle: s.handleProjectView},
		{Method: "GET", Pattern: "/w/{ws}/products", Perm: tandem.PermRead, UI: true, Handle: s.handleProductList},
		{Method: "GET", Pattern: "/w/{ws}/products/{id}", Perm: tandem.PermRead, UI: true, Handle: s.handleProductView},
		{Method: "GET", Pattern: "/w/{ws}/items", Perm: tandem.PermRead, UI: true, Handle: s.handleItemList},
		{Method: "GET", Pattern: "/w/{ws}/items/{id}", Perm: tandem.PermRead, UI: true, Handle: s.handleItemView},
		{Method: "POST", Pattern: "/w/{ws}/items/{id}/dependencies", Perm: tandem.PermEditItems, UI: true, Handle: s.handleDependencyCreate},
		{Method: "POST", Pattern: "/w/{ws}/items/{id}/dependencies/{dep}/delete", Perm: tandem.PermEditItems, UI: true, Handle: s.handleDependencyDelete},
		// Any other page of a workspace: the friendly 404, after the membership check.
		{Method: "GET", Pattern: "/w/{ws}/{rest...}", Perm: tandem.PermRead, UI: true, Handle: func(http.ResponseWriter, *http.Request, *request) error {
			return tandem.Errorf(tandem.ENotFound, "Page not found.")
		}},
	}
	// Create, edit and delete follow one pattern for every kind of entity.
	for _, k := range entityKinds {
		col := k.collection
		rs = append(rs,
			route{Method: "GET", Pattern: "/w/{ws}/" + col + "/new", Perm: k.editPerm, UI: true, Handle: s.handleNew(k)},
			route{Method: "POST", Pattern: "/w/{ws}/" + col, Perm: k.editPerm, UI: true, Handle: s.handleCreate(k)},
			route{Method: "GET", Pattern: "/w/{ws}/" + col + "/{id}/edit", Perm: k.editPerm, UI: true, Handle: s.handleEdit(k)},
			route{Method: "POST", Pattern: "/w/{ws}/" + col + "/{id}/edit", Perm: k.editPerm, UI: true, Handle: s.handleUpdate(k)},
			route{Method: "POST", Pattern: "/w/{ws}/" + col + "/{id}/delete", Perm: tandem.PermEditAll, UI: true, Handle: s.handleDelete(k)},
			route{Method: "POST", Pattern: "/w/{ws}/" + col + "/{id}/comments", Perm: tandem.PermEditItems, UI: true, Handle: s.handleCommentCreate(k)},
		)
	}
	rs = append(rs, s.insightUIRoutes()...)
	rs = append(rs, s.scheduleUIRoutes()...)
	rs = append(rs, s.calendarUIRoutes()...)
	return rs
}

//go:embed templates/*.html
var templateFS embed.FS

// pages holds one template set per page (layout, partials, the page),
// parsed once when the program starts.
var pages = parsePages()

func parsePages() map[string]*template.Template {
	base := template.Must(template.New("").Funcs(templateFuncs).ParseFS(templateFS, "templates/_*.html"))
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		panic(err)
	}
	out := map[string]*template.Template{}
	for _, n := range names {
		name := strings.TrimSuffix(strings.TrimPrefix(n, "templates/"), ".html")
		if strings.HasPrefix(name, "_") {
			continue
		}
		out[name] = template.Must(template.Must(base.Clone()).ParseFS(templateFS, n))
	}
	return out
}

var templateFuncs = template.FuncMap{
	"asset":    assetURL,
	"markdown": renderMarkdown,
	"label":    humanLabel,
	"pct":      func(f float64) int { return int(math.Round(math.Max(0, math.Min(1, f)) * 100)) },
	"num":      formatNumber,
	"money":    formatMoney,
	"ago":      timeAgo,
	"datetime": func(t time.Time) string { return t.UTC().Format("2 Jan 2006 15:04 UTC") },
	"date": func(d tandem.Date) string {
		if d.IsZero() {
			return "—"
		}
		return d.Time().Format("2 Jan 2006")
	},
	"dates":    dateRange,
	"initials": initials,
	"lower":    strings.ToLower,
	"frac":     func(percent int) float64 { return float64(percent) / 100 },
}

// page is what every template gets: who is looking, where, and the page's own data.
type page struct {
	Title   string
	Section string // the sidebar entry to mark as current
	User    *tandem.User
	WS      *tandem.Workspace
	Member  *tandem.Member
	Names   map[string]string // user ID → name, for display
	Data    any
	Status  int
	// Flash is a one-time message about the last change ("Program created.").
	Flash string

	flashSeen bool // render clears the flash cookie
}

// pageWith pairs the page with a value, for partial templates that need both.
type pageWith struct {
	P *page
	V any
}

// With returns the page paired with v.
func (p *page) With(v any) pageWith { return pageWith{p, v} }

// Base is the URL prefix of the current workspace's pages.
func (p *page) Base() string {
	if p.WS == nil {
		return ""
	}
	return "/w/" + url.PathEscape(p.WS.Slug)
}

// Can reports whether the viewer's role grants perm ("items", "all", "members").
func (p *page) Can(perm string) bool {
	if p.Member == nil {
		return false
	}
	switch perm {
	case "items":
		return p.Member.Role.Can(tandem.PermEditItems)
	case "all":
		return p.Member.Role.Can(tandem.PermEditAll)
	case "members":
		return p.Member.Role.Can(tandem.PermManageMembers)
	}
	return false
}

// Name returns the display name of a user ID.
func (p *page) Name(id string) string {
	if id == "" {
		return ""
	}
	if n, ok := p.Names[id]; ok {
		return n
	}
	return "Former member"
}

// Current returns "page" when section is the current one, for aria-current.
func (p *page) Current(section string) string {
	if p.Section == section {
		return "page"
	}
	return ""
}

// newPage starts a page for rq, loading member names inside a workspace.
func (s *Server) newPage(r *http.Request, rq *request, title, section string, data any) (*page, error) {
	p := &page{Title: title, Section: section, User: rq.User, WS: rq.Workspace, Member: rq.Member, Data: data, Status: http.StatusOK}
	if c, err := r.Cookie(flashCookie); err == nil {
		p.Flash, _ = url.QueryUnescape(c.Value)
		p.flashSeen = true
	}
	if rq.Workspace != nil {
		ms, err := s.Store.FindMembers(r.Context(), rq.Workspace.ID)
		if err != nil {
			return nil, err
		}
		p.Names = make(map[string]string, len(ms))
		for _, m := range ms {
			p.Names[m.UserID] = m.Name
		}
	}
	return p, nil
}

// render executes the named page into a buffer first, so that a template
// error becomes a clean 500 rather than half a page.
func (s *Server) render(w http.ResponseWriter, status int, name string, p *page) error {
	t, ok := pages[name]
	if !ok {
		return fmt.Errorf("no page template %q", name)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", p); err != nil {
		return fmt.Errorf("render %s: %w", name, err)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if p.flashSeen {
		http.SetCookie(w, &http.Cookie{Name: flashCookie, Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode})
	}
	w.WriteHeader(status)
	w.Write(buf.Bytes())
	return nil
}

// renderPage builds a page for rq and renders it with status 200.
func (s *Server) renderPage(w http.ResponseWriter, r *http.Request, rq *request, name, title, section string, data any) error {
	p, err := s.newPage(r, rq, title, section, data)
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, name, p)
}

type errorPage struct {
	Status  int
	Heading string
	Message string
}

// writeUIError renders err as an HTML page; an unauthenticated visitor is
// sent to the sign-in page and brought back afterwards.
func (s *Server) writeUIError(w http.ResponseWriter, r *http.Request, err error) {
	code := tandem.ErrorCode(err)
	if code == tandem.EUnauthorized {
		next := r.URL.RequestURI()
		if r.Method != http.MethodGet {
			next = "/"
		}
		http.Redirect(w, r, "/signin?next="+url.QueryEscape(next), http.StatusSeeOther)
		return
	}
	status := statusOf(code)
	ep := errorPage{Status: status, Message: tandem.ErrorMessage(err)}
	switch status {
	case http.StatusNotFound:
		ep.Heading = "Not found"
		ep.Message = "This page does not exist, or you cannot see it."
	case http.StatusForbidden:
		ep.Heading = "Not allowed"
	case http.StatusInternalServerError:
		ep.Heading = "Something went wrong"
		ep.Message = "The server could not complete this request. Please try again; if it keeps failing, tell your administrator."
	default:
		ep.Heading = http.StatusText(status)
	}
	p := &page{Title: ep.Heading, Data: ep, Status: status}
	if rerr := s.render(w, status, "error", p); rerr != nil {
		s.Logger.Error("render error page", "err", rerr)
		http.Error(w, ep.Message, status)
	}
}

// flashCookie carries a one-time message across the redirect after a post.
const flashCookie = "tandem_flash"

// seeOtherWith answers a successful form post and shows msg on the next page.
func (s *Server) seeOtherWith(w http.ResponseWriter, r *http.Request, to, msg string) error {
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: url.QueryEscape(msg), Path: "/", MaxAge: 60,
		HttpOnly: true, Secure: s.SecureCookies, SameSite: http.SameSiteLaxMode})
	return seeOther(w, r, to)
}

// seeOther answers a successful form post.
func seeOther(w http.ResponseWriter, r *http.Request, to string) error {
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}

// safeNext returns next when it is a path on this site, else "/".
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") || strings.ContainsAny(next, "\r\n") {
		return "/"
	}
	return next
}

const sessionTTL = 30 * 24 * time.Hour

type signInPage struct {
	Email string
	Next  string
	Error string
}

func (s *Server) handleSignInForm(w http.ResponseWriter, r *http.Request, rq *request) error {
	next := safeNext(r.URL.Query().Get("next"))
	if rq.User != nil {
		return seeOther(w, r, next)
	}
	return s.render(w, http.StatusOK, "signin", &page{Title: "Sign in", Data: signInPage{Next: next}})
}

func (s *Server) handleSignIn(w http.ResponseWriter, r *http.Request, _ *request) error {
	if err := parseUIForm(w, r); err != nil {
		return err
	}
	email := tandem.NormalizeEmail(r.PostFormValue("email"))
	next := safeNext(r.PostFormValue("next"))
	u, err := s.Store.Authenticate(r.Context(), email, r.PostFormValue("password"))
	if tandem.ErrorCode(err) == tandem.EUnauthorized {
		data := signInPage{Email: email, Next: next, Error: "That email and password do not match an account."}
		return s.render(w, http.StatusUnauthorized, "signin", &page{Title: "Sign in", Data: data})
	} else if err != nil {
		return err
	}
	secret, err := s.Store.CreateSession(r.Context(), u.ID, sessionTTL)
	if err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{
		Name: sessionCookie, Value: secret, Path: "/", MaxAge: int(sessionTTL / time.Second),
		HttpOnly: true, Secure: s.SecureCookies, SameSite: http.SameSiteLaxMode,
	})
	return seeOther(w, r, next)
}

func (s *Server) handleSignOut(w http.ResponseWriter, r *http.Request, _ *request) error {
	if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
		if err := s.Store.DeleteSession(r.Context(), c.Value); err != nil {
			return err
		}
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: s.SecureCookies, SameSite: http.SameSiteLaxMode})
	return seeOther(w, r, "/signin")
}

func (s *Server) handleWorkspaces(w http.ResponseWriter, r *http.Request, rq *request) error {
	wss, err := s.Store.FindWorkspacesOf(r.Context(), rq.User.ID)
	if err != nil {
		return err
	}
	if len(wss) == 1 {
		return seeOther(w, r, "/w/"+url.PathEscape(wss[0].Slug))
	}
	return s.renderPage(w, r, rq, "workspaces", "Workspaces", "", wss)
}

// maxFormBytes bounds a form post; descriptions are at most 100,000 characters.
const maxFormBytes = 1 << 20

func parseUIForm(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return tandem.Errorf(tandem.ETooLarge, "The form is too large.")
		}
		return tandem.Errorf(tandem.EInvalid, "The form could not be read.")
	}
	return nil
}
