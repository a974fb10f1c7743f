// Package http serves Tandem's JSON API (/api/v1) and its server-rendered
// web UI over HTTP. Routes declare the permission they need; one wrapper
// authenticates the caller, resolves the workspace and enforces it.
package http

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/tandem-pm/tandem"
	"github.com/tandem-pm/tandem/insight"
	"github.com/tandem-pm/tandem/internal/jobs"
)

// Server is Tandem's HTTP server.
type Server struct {
	Store  tandem.Store
	Logger *slog.Logger
	// SecureCookies marks cookies Secure; set it when serving behind TLS.
	SecureCookies bool
	// Version is reported by /healthz.
	Version string
	// ThemeOptions tune the background theme extraction, e.g. a model
	// server's Embedder and Namer; the zero value runs the local engine.
	ThemeOptions insight.Options
	// NoThemeJobs schedules theme extractions but runs none: for tests
	// that set up themes by hand and must keep them.
	NoThemeJobs bool
	// NodeID names this process in the database's job leases (one node
	// of several runs each background job); NewServer makes a unique one.
	NodeID string
	// EventPoll is how often event streams read new activity (default 1 s);
	// EventLifetime how long one stream lasts before the client reconnects
	// (default 5 minutes). See api_events.go.
	EventPoll, EventLifetime time.Duration

	ln      net.Listener
	srv     *http.Server
	handler http.Handler

	themeMu   sync.Mutex
	themeJobs *jobs.Debouncer // background theme extraction, made on first use

	similarCache similarCache // per-workspace similarity indexes (api_similar.go)

	events eventHub // one activity poller per workspace for the event streams (events_hub.go)
}

// NewServer returns a server on store. Call Open to listen, or Handler to embed it.
func NewServer(store tandem.Store, logger *slog.Logger) *Server {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	s := &Server{Store: store, Logger: logger, Version: "dev", NodeID: nodeID()}
	return s
}

// Handler returns the server's root handler.
func (s *Server) Handler() http.Handler {
	if s.handler == nil {
		s.handler = s.buildHandler()
	}
	return s.handler
}

// Open listens on addr (host:port; port 0 picks a free one) and serves in the background.
func (s *Server) Open(addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", addr, err)
	}
	s.ln = ln
	s.srv = &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      120 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(s.Logger.Handler(), slog.LevelWarn),
	}
	go s.srv.Serve(ln)
	return nil
}

// URL returns the base URL the server listens on, e.g. http://127.0.0.1:8080.
func (s *Server) URL() string {
	if s.ln == nil {
		return ""
	}
	addr := s.ln.Addr().(*net.TCPAddr)
	host := addr.IP.String()
	if addr.IP.IsUnspecified() {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, fmt.Sprint(addr.Port))
}

// Close stops accepting requests and waits for those under way, up to ctx's deadline.
func (s *Server) Close(ctx context.Context) error {
	defer s.stopThemes() // background theme extraction (api_insight.go)
	s.stopEvents(ctx)    // live event streams and their pollers (events_hub.go)
	if s.srv == nil {
		return nil
	}
	return s.srv.Shutdown(ctx)
}

// A route is one endpoint. Routes inside a workspace have {ws} in their
// pattern and need Perm there; Public routes need no sign-in at all.
type route struct {
	Method  string // GET, POST, PATCH, DELETE
	Pattern string // a net/http ServeMux path pattern
	Perm    tandem.Permission
	Public  bool
	UI      bool // a browser page: HTML errors, sign-in redirect
	Handle  func(w http.ResponseWriter, r *http.Request, rq *request) error
}

// request is what the wrapper learned about the caller.
type request struct {
	User      *tandem.User      // nil on public routes without a session
	Workspace *tandem.Workspace // nil outside a workspace
	Member    *tandem.Member    // the caller's membership of Workspace
	ViaCookie bool              // authenticated by a browser session, not a token
}

func (s *Server) routes() []route {
	var rs []route
	rs = append(rs, s.systemRoutes()...)
	rs = append(rs, s.apiRoutes()...)
	rs = append(rs, s.uiRoutes()...)
	rs = append(rs, s.editUIRoutes()...) // ui_edits.go
	return rs
}

func (s *Server) systemRoutes() []route {
	return []route{
		{Method: "GET", Pattern: "/healthz", Public: true, Handle: func(w http.ResponseWriter, r *http.Request, _ *request) error {
			writeJSON(w, http.StatusOK, map[string]string{"status": "ok", "version": s.Version})
			return nil
		}},
		{Method: "GET", Pattern: "/readyz", Public: true, Handle: func(w http.ResponseWriter, r *http.Request, _ *request) error {
			ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
			defer cancel()
			if err := s.Store.Ping(ctx); err != nil {
				s.Logger.Error("readiness check failed", "err", err)
				writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable"})
				return nil
			}
			writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
			return nil
		}},
	}
}

func (s *Server) buildHandler() http.Handler {
	mux := http.NewServeMux()
	for _, rt := range s.routes() {
		mux.Handle(rt.Method+" "+rt.Pattern, s.wrap(rt))
	}
	// Browser writes are protected against CSRF by Go's Sec-Fetch-Site/Origin
	// check; API clients with bearer tokens send neither header and pass.
	csrf := http.NewCrossOriginProtection()
	return s.logRequests(securityHeaders(csrf.Handler(mux)))
}

// wrap authenticates the caller, resolves {ws}, checks rt.Perm and runs the
// handler, turning its error into a response.
func (s *Server) wrap(rt route) http.Handler {
	inWorkspace := strings.Contains(rt.Pattern, "{ws}")
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rq := &request{}
		err := s.authorize(r, rt, inWorkspace, rq)
		if err == nil {
			if rq.User != nil {
				r = r.WithContext(tandem.WithActor(r.Context(), rq.User.ID))
			}
			err = rt.Handle(w, r, rq)
		}
		if err != nil {
			s.writeError(w, r, rt, err)
		}
	})
}

func (s *Server) authorize(r *http.Request, rt route, inWorkspace bool, rq *request) error {
	user, viaCookie, err := s.authenticate(r)
	if err != nil && !rt.Public {
		return err
	}
	rq.User, rq.ViaCookie = user, viaCookie
	if rt.Public || !inWorkspace {
		return nil
	}
	ws, err := s.Store.FindWorkspace(r.Context(), r.PathValue("ws"))
	if err != nil {
		return err
	}
	m, err := s.Store.FindMember(r.Context(), ws.ID, user.ID)
	if tandem.ErrorCode(err) == tandem.ENotFound {
		// Outsiders must not learn that the workspace exists.
		return tandem.Errorf(tandem.ENotFound, "Workspace not found.")
	} else if err != nil {
		return err
	}
	rq.Workspace, rq.Member = ws, m
	if !m.Role.Can(rt.Perm) {
		return tandem.Errorf(tandem.EForbidden, "Your role (%s) does not allow this.", m.Role)
	}
	return nil
}

// sessionCookie holds the browser session's secret.
const sessionCookie = "tandem_session"

// authenticate finds the caller from a bearer token or a session cookie.
func (s *Server) authenticate(r *http.Request) (*tandem.User, bool, error) {
	if h := r.Header.Get("Authorization"); h != "" {
		secret, ok := strings.CutPrefix(h, "Bearer ")
		if !ok || secret == "" {
			return nil, false, tandem.Errorf(tandem.EUnauthorized, "The Authorization header must be 'Bearer <token>'.")
		}
		u, err := s.Store.FindTokenUser(r.Context(), strings.TrimSpace(secret))
		return u, false, err
	}
	if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
		u, err := s.Store.FindSessionUser(r.Context(), c.Value)
		return u, true, err
	}
	return nil, false, tandem.Errorf(tandem.EUnauthorized, "Sign in, or send an API token as 'Authorization: Bearer <token>'.")
}

// statusOf maps an error code to an HTTP status: the only place that does.
func statusOf(code string) int {
	switch code {
	case tandem.EInvalid:
		return http.StatusUnprocessableEntity
	case tandem.ENotFound:
		return http.StatusNotFound
	case tandem.EConflict:
		return http.StatusConflict
	case tandem.EStale:
		return http.StatusPreconditionFailed
	case tandem.EUnauthorized:
		return http.StatusUnauthorized
	case tandem.EForbidden:
		return http.StatusForbidden
	case tandem.ETooLarge:
		return http.StatusRequestEntityTooLarge
	}
	return http.StatusInternalServerError
}

func (s *Server) writeError(w http.ResponseWriter, r *http.Request, rt route, err error) {
	code := tandem.ErrorCode(err)
	if code == tandem.EInternal {
		s.Logger.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	if rt.UI {
		s.writeUIError(w, r, err)
		return
	}
	writeProblem(w, err)
}

// securityHeaders sets headers every response should carry. Pages override
// the Content-Security-Policy only to tighten it.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
		next.ServeHTTP(w, r)
	})
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w, status: 200}
		next.ServeHTTP(rec, r)
		s.Logger.LogAttrs(r.Context(), slog.LevelDebug, "request",
			slog.String("method", r.Method), slog.String("path", r.URL.Path),
			slog.Int("status", rec.status), slog.Duration("took", time.Since(start)))
	})
}
