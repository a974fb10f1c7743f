package http

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/tandem-pm/tandem"
)

// principal is one kind of caller in the role walk.
type principal struct {
	name   string
	role   tandem.Role // "" for non-members and anonymous callers
	user   *tandem.User
	cookie string // session secret, for UI routes
	token  string // API token secret, for API routes
}

// roleWalk holds a workspace with one member of each role, an outsider,
// and a spare member for the member routes to act on.
type roleWalk struct {
	store tandem.Store
	srv   *Server
	ws    *tandem.Workspace
	owner *tandem.User
	spare *tandem.User
	who   []*principal
}

func newRoleWalk(t *testing.T, store tandem.Store) *roleWalk {
	t.Helper()
	ctx := context.Background()
	rw := &roleWalk{store: store}
	mkUser := func(name string) *tandem.User {
		u := &tandem.User{Email: name + "@example.com", Name: strings.ToUpper(name[:1]) + name[1:]}
		if err := store.CreateUser(ctx, u, "correct horse battery staple"); err != nil {
			t.Fatal(err)
		}
		return u
	}
	rw.owner = mkUser("owner")
	rw.ws = &tandem.Workspace{Slug: "acme", Name: "Acme"}
	if err := store.CreateWorkspace(ctx, rw.ws, rw.owner.ID); err != nil {
		t.Fatal(err)
	}
	rw.spare = mkUser("spare")
	if _, err := store.SetMember(ctx, rw.ws.ID, rw.spare.ID, tandem.RoleViewer); err != nil {
		t.Fatal(err)
	}
	credentials := func(p *principal) {
		secret, err := store.CreateSession(ctx, p.user.ID, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		p.cookie = secret
		_, tok, err := store.CreateToken(ctx, p.user.ID, "role walk")
		if err != nil {
			t.Fatal(err)
		}
		p.token = tok
	}
	for _, role := range tandem.Roles {
		p := &principal{name: string(role), role: role}
		if role == tandem.RoleOwner {
			p.user = rw.owner
		} else {
			p.user = mkUser(string(role))
			if _, err := store.SetMember(ctx, rw.ws.ID, p.user.ID, role); err != nil {
				t.Fatal(err)
			}
		}
		credentials(p)
		rw.who = append(rw.who, p)
	}
	outsider := &principal{name: "non-member", user: mkUser("outsider")}
	other := &tandem.Workspace{Slug: "elsewhere", Name: "Elsewhere"}
	if err := store.CreateWorkspace(ctx, other, outsider.user.ID); err != nil {
		t.Fatal(err)
	}
	credentials(outsider)
	rw.who = append(rw.who, outsider, &principal{name: "anonymous"})

	rw.srv = NewServer(store, slog.New(slog.NewTextHandler(testLogWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn})))
	// The walk checks permissions; a background extraction would replace
	// the themes its fixtures set up halfway through it.
	rw.srv.NoThemeJobs = true
	// Event streams end at once, so that reading their body does not wait.
	rw.srv.EventLifetime = 20 * time.Millisecond
	if err := rw.srv.Open("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rw.srv.Close(context.Background()) })
	return rw
}

// fixtures creates the entities a route's path needs (all of them when
// pattern is ""), the comment written by author, and returns path values
// by the collection they fill {id} of.
func (rw *roleWalk) fixtures(t *testing.T, pattern string, author *tandem.User) map[string]string {
	t.Helper()
	ctx := tandem.WithActor(context.Background(), rw.owner.ID)
	ws := rw.ws.ID
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	need := func(colls ...string) bool {
		if pattern == "" {
			return true
		}
		for _, c := range colls {
			if strings.Contains(pattern, "/"+c+"/") {
				return true
			}
		}
		return false
	}
	fx := map[string]string{"user": rw.spare.ID, "user_id": rw.spare.ID}
	if need("goals", "key_results", "key-results") {
		goal := &tandem.Goal{Title: "Grow"}
		must(rw.store.CreateGoal(ctx, ws, goal))
		fx["goals"] = goal.ID
		kr := &tandem.KeyResult{GoalID: goal.ID, Metric: "Users", Baseline: 1, Target: 2, Direction: tandem.Increase}
		must(rw.store.CreateKeyResult(ctx, ws, kr))
		fx["key_results"], fx["key-results"] = kr.ID, kr.ID
	}
	if need("programs", "projects") {
		prog := &tandem.Program{Name: "Transformation"}
		prog.Defaults()
		must(rw.store.CreateProgram(ctx, ws, prog))
		proj := &tandem.Project{Name: "Portal", ProgramID: prog.ID}
		proj.Defaults()
		must(rw.store.CreateProject(ctx, ws, proj))
		fx["programs"], fx["projects"] = prog.ID, proj.ID
	}
	if need("baselines") {
		if fx["projects"] == "" {
			proj := &tandem.Project{Name: "Baselined"}
			proj.Defaults()
			must(rw.store.CreateProject(ctx, ws, proj))
			fx["projects"] = proj.ID
		}
		bl := &tandem.Baseline{ProjectID: fx["projects"], Name: "Plan of record"}
		must(rw.store.CreateBaseline(ctx, ws, bl))
		fx["baselines"], fx["baseline"] = bl.ID, bl.ID
	}
	if need("products") {
		prod := &tandem.Product{Name: "App"}
		prod.Defaults()
		must(rw.store.CreateProduct(ctx, ws, prod))
		fx["products"] = prod.ID
	}
	if need("items", "dependencies", "comments") {
		a := &tandem.Item{Kind: tandem.KindTask, Title: "A"}
		a.Defaults()
		must(rw.store.CreateItem(ctx, ws, a))
		b := &tandem.Item{Kind: tandem.KindTask, Title: "B"}
		b.Defaults()
		must(rw.store.CreateItem(ctx, ws, b))
		dep := &tandem.Dependency{PredecessorID: a.ID, SuccessorID: b.ID}
		dep.Defaults()
		must(rw.store.CreateDependency(ctx, ws, dep))
		if author == nil {
			author = rw.owner
		}
		c := &tandem.Comment{EntityType: tandem.EntityItem, EntityID: a.ID, AuthorID: author.ID, AuthorName: author.Name, Body: "Looks good."}
		must(rw.store.CreateComment(tandem.WithActor(context.Background(), author.ID), ws, c))
		fx["items"], fx["dependencies"], fx["dep"], fx["comments"] = a.ID, dep.ID, dep.ID, c.ID
	}
	for _, f := range roleWalkFixtures {
		for k, v := range f(t, rw.store, ws, rw.owner) {
			fx[k] = v
		}
	}
	if need("members") {
		// The member routes act on the spare member; put them back as a viewer.
		_, err := rw.store.SetMember(ctx, ws, rw.spare.ID, tandem.RoleViewer)
		must(err)
	}
	return fx
}

// roleWalkFixtures lets other parts of the server add fixtures to the role
// walk: each returns path values by the collection whose {id} they fill
// (e.g. "feedback") or by path value name. They run for every write to an
// entity, so they should be quick.
var roleWalkFixtures []func(t *testing.T, st tandem.Store, ws string, owner *tandem.User) map[string]string

var pathValue = regexp.MustCompile(`\{([a-z_]+)(\.\.\.)?\}`)

// fill puts real values into a route pattern.
// It reports whether every value was a real one; a made-up ID leaves the
// route's own 404 possible.
func (rw *roleWalk) fill(t *testing.T, pattern string, fx map[string]string, p *principal) (string, bool) {
	path := strings.TrimSuffix(pattern, "{$}")
	real := true
	filled := pathValue.ReplaceAllStringFunc(path, func(m string) string {
		name := pathValue.FindStringSubmatch(m)[1]
		switch name {
		case "ws":
			return rw.ws.Slug
		case "id":
			before := path[:strings.Index(path, m)]
			before = strings.TrimSuffix(before, "/")
			coll := before[strings.LastIndex(before, "/")+1:]
			if coll == "tokens" && p.user != nil {
				tok, _, err := rw.store.CreateToken(context.Background(), p.user.ID, "to revoke")
				if err != nil {
					t.Fatal(err)
				}
				return tok.ID
			}
			if v, ok := fx[coll]; ok {
				return v
			}
		case "file":
			return "none.css"
		default:
			if v, ok := fx[name]; ok {
				return v
			}
		}
		real = false
		return tandem.NewID()
	})
	return filled, real
}

func (rw *roleWalk) do(t *testing.T, rt route, p *principal, path string) (int, http.Header, string) {
	var body io.Reader
	req, _ := http.NewRequest(rt.Method, rw.srv.URL()+path, nil)
	if rt.Method != "GET" && rt.Method != "DELETE" {
		if rt.UI {
			body = strings.NewReader("")
			req, _ = http.NewRequest(rt.Method, rw.srv.URL()+path, body)
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		} else {
			body = strings.NewReader("{}")
			req, _ = http.NewRequest(rt.Method, rw.srv.URL()+path, body)
			req.Header.Set("Content-Type", "application/json")
		}
	}
	switch {
	case p.user == nil:
	case rt.UI:
		req.AddCookie(&http.Cookie{Name: sessionCookie, Value: p.cookie})
	default:
		req.Header.Set("Authorization", "Bearer "+p.token)
	}
	hc := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(b)
}

// TestAPI runs the API's tests on one SQLite store with one member of each
// role (making users is slow on purpose: argon2).
func TestAPI(t *testing.T) {
	rw := newRoleWalk(t, openTestStore(t))
	t.Run("EveryRouteEveryRole", func(t *testing.T) { testEveryRouteEveryRole(t, rw) })
	t.Run("Problems", func(t *testing.T) { testAPIProblems(t, rw) })
	t.Run("Members", func(t *testing.T) { testAPIMembers(t, rw) })
}

// testEveryRouteEveryRole walks the whole route table, API and UI, as each
// role, an outsider and an anonymous caller, and checks that the wrapper
// lets in exactly those the route's permission admits.
func testEveryRouteEveryRole(t *testing.T, rw *roleWalk) {
	shared := rw.fixtures(t, "", nil)
	routes := rw.srv.routes()
	for _, rt := range routes {
		if rt.Public {
			continue
		}
		inWS := strings.Contains(rt.Pattern, "{ws}")
		for _, p := range rw.who {
			t.Run(rt.Method+" "+rt.Pattern+" as "+p.name, func(t *testing.T) {
				allowed := p.user != nil && (!inWS || (p.role != "" && p.role.Can(rt.Perm)))
				fx := shared
				if allowed && inWS && rt.Method != "GET" && strings.Count(rt.Pattern, "{") > 1 {
					// Writes to an entity get fresh ones, so that one
					// role's delete does not leave the next role a 404;
					// the comment is the caller's own.
					fx = rw.fixtures(t, rt.Pattern, p.user)
				}
				path, real := rw.fill(t, rt.Pattern, fx, p)
				status, hdr, body := rw.do(t, rt, p, path)
				switch {
				case p.user == nil && rt.UI:
					if (status != http.StatusSeeOther && status != http.StatusFound) || !strings.Contains(hdr.Get("Location"), "signin") {
						t.Errorf("%s %s anonymous: %d (Location %q), want a redirect to sign in", rt.Method, path, status, hdr.Get("Location"))
					}
				case p.user == nil:
					if status != http.StatusUnauthorized {
						t.Errorf("%s %s anonymous: %d, want 401", rt.Method, path, status)
					}
				case inWS && p.role == "":
					if status != http.StatusNotFound {
						t.Errorf("%s %s as a non-member: %d, want 404", rt.Method, path, status)
					}
				case !allowed:
					if status != http.StatusForbidden {
						t.Errorf("%s %s as %s: %d, want 403", rt.Method, path, p.name, status)
					}
				case !real && status == http.StatusNotFound && !strings.Contains(body, "Workspace not found"):
					t.Logf("%s %s as %s: 404 for a made-up ID; add a fixture to roleWalkFixtures to check it fully", rt.Method, path, p.name)
				default:
					if status == http.StatusUnauthorized || status == http.StatusForbidden || status == http.StatusNotFound || status >= 500 {
						t.Errorf("%s %s as %s: %d, want it allowed: %.300s", rt.Method, path, p.name, status, body)
					}
				}
			})
		}
	}
}

// testLogWriter sends the server's log to the test's.
type testLogWriter struct{ t *testing.T }

func (w testLogWriter) Write(p []byte) (int, error) {
	w.t.Helper()
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}
