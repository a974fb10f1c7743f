package http

import (
	"fmt"
	"html"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/tandem-pm/tandem"
)

// uiClient drives the UI handler in-process as one browser: it keeps the
// cookies the server sets (the session, a flash message).
type uiClient struct {
	t       *testing.T
	h       http.Handler
	cookies map[string]string
}

func signIn(t *testing.T, h http.Handler, email string) *uiClient {
	t.Helper()
	c := &uiClient{t: t, h: h}
	rec := c.post("/signin", url.Values{"email": {email}, "password": {seedPassword}, "next": {"/"}})
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("sign in as %s: status %d, want 303; body:\n%s", email, rec.Code, rec.Body)
	}
	for _, ck := range rec.Result().Cookies() {
		if ck.Name == sessionCookie && (!ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Path != "/") {
			t.Errorf("session cookie %+v: want HttpOnly, SameSite=Lax, Path=/", ck)
		}
	}
	if c.cookies[sessionCookie] == "" {
		t.Fatal("sign in set no session cookie")
	}
	return c
}

func (c *uiClient) do(method, path string, form url.Values) *httptest.ResponseRecorder {
	var req *http.Request
	if form != nil {
		req = httptest.NewRequest(method, path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	} else {
		req = httptest.NewRequest(method, path, nil)
	}
	for name, value := range c.cookies {
		req.AddCookie(&http.Cookie{Name: name, Value: value})
	}
	rec := httptest.NewRecorder()
	c.h.ServeHTTP(rec, req)
	for _, ck := range rec.Result().Cookies() {
		if c.cookies == nil {
			c.cookies = map[string]string{}
		}
		if ck.MaxAge < 0 {
			delete(c.cookies, ck.Name)
		} else {
			c.cookies[ck.Name] = ck.Value
		}
	}
	return rec
}

func (c *uiClient) get(path string) *httptest.ResponseRecorder { return c.do("GET", path, nil) }

func (c *uiClient) post(path string, form url.Values) *httptest.ResponseRecorder {
	return c.do("POST", path, form)
}

// expect checks the status of a response and that its body holds every want.
func (c *uiClient) expect(rec *httptest.ResponseRecorder, status int, wants ...string) {
	c.t.Helper()
	if rec.Code != status {
		c.t.Fatalf("status %d, want %d; body:\n%.3000s", rec.Code, status, rec.Body)
	}
	for _, w := range wants {
		if !strings.Contains(rec.Body.String(), w) {
			c.t.Errorf("body lacks %q:\n%.3000s", w, rec.Body)
		}
	}
}

func newUITest(t *testing.T) (http.Handler, *seeded) {
	return newUITestOn(t, newFakeStore())
}

func newUITestOn(t *testing.T, store tandem.Store) (http.Handler, *seeded) {
	t.Helper()
	sd := seedWorkspace(t, store)
	return NewServer(store, uiTestLogger(t)).Handler(), sd
}

// uiTestLogger logs warnings and errors to the test's log.
func uiTestLogger(t *testing.T) *slog.Logger {
	return slog.New(slog.NewTextHandler(uiTestWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
}

type uiTestWriter struct{ t *testing.T }

func (w uiTestWriter) Write(p []byte) (int, error) {
	w.t.Helper()
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

// forEachStore runs test on the in-memory fake and on a real SQLite store.
func forEachStore(t *testing.T, test func(t *testing.T, store tandem.Store)) {
	t.Run("fake", func(t *testing.T) { test(t, newFakeStore()) })
	t.Run("sqlite", func(t *testing.T) {
		if testing.Short() {
			t.Skip("SQLite run skipped in -short mode")
		}
		test(t, newBrowserStore(t))
	})
}

// uiPages lists every GET page of a seeded workspace with text it must show.
func uiPages(sd *seeded) map[string][]string {
	b := "/w/" + sd.WS.Slug
	return map[string][]string{
		b:                                    {"Digital Transformation", "Grow digital banking", "Core API migration is two weeks late"},
		b + "/goals":                         {"Grow digital banking", "Mobile adoption", "Digital active users"},
		b + "/goals/new":                     {"New goal"},
		b + "/goals/" + sd.Goal.ID:           {"Digital active users", "Q2", "Digital Transformation"},
		b + "/goals/" + sd.Goal.ID + "/edit": {"Edit goal", "Grow digital banking"},
		b + "/programs":                      {"Digital Transformation", "EUR 2,500,000"},
		b + "/programs?status=active":        {"Digital Transformation"},
		b + "/programs/new":                  {"New program"},
		b + "/programs/" + sd.Program.ID:     {"Customer portal", "Grow digital banking", "Steering committee on <em>Friday</em>", "Roadmap"},
		b + "/programs/" + sd.Program.ID + "/edit": {"Edit program", "Executive Board"},
		b + "/projects":                            {"Customer portal", "Digital Transformation"},
		b + "/projects/new":                        {"New project"},
		b + "/projects/" + sd.Project.ID:           {"Self-service onboarding", "Build sign-up API", `class="gantt"`, "Onboarding live"},
		b + "/projects/" + sd.Project.ID + "/edit": {"Edit project"},
		b + "/products":                            {"Mobile Banking App"},
		b + "/products/new":                        {"New product"},
		b + "/products/" + sd.Product.ID:           {"Banking in your pocket.", "Build sign-up API"},
		b + "/products/" + sd.Product.ID + "/edit": {"Edit product"},
		b + "/items":                               {"Self-service onboarding", "Design sign-up flow"},
		b + "/items?kind=task&status=planned":      {"Build sign-up API"},
		b + "/items/new":                           {"New item"},
		b + "/items/" + sd.TaskB.ID:                {"Design sign-up flow", "FS", "Self-service onboarding"},
		b + "/items/" + sd.TaskA.ID:                {"Build sign-up API", `href="https://example.com/brief"`},
		b + "/items/" + sd.Epic.ID:                 {"Design sign-up flow"},
		b + "/items/" + sd.TaskB.ID + "/edit":      {"Edit item", "Build sign-up API"},
		b + "/activity":                            {"Digital Transformation"},
		b + "/members":                             {"Sponsor", "sponsor@example.com"},
	}
}

func TestUIRendersEveryPage(t *testing.T) {
	forEachStore(t, func(t *testing.T, store tandem.Store) {
		h, sd := newUITestOn(t, store)
		c := signIn(t, h, sd.Owner.Email)
		for path, wants := range uiPages(sd) {
			t.Run(path, func(t *testing.T) {
				c.t = t
				rec := c.get(path)
				c.expect(rec, http.StatusOK, wants...)
				if ct := rec.Header().Get("Content-Type"); ct != "text/html; charset=utf-8" {
					t.Errorf("Content-Type = %q", ct)
				}
				body := rec.Body.String()
				for _, bad := range []string{"style=", "<script>", "ZgotmplZ"} {
					if strings.Contains(body, bad) {
						t.Errorf("page contains %q (CSP forbids inline code; ZgotmplZ marks an unsafe value)", bad)
					}
				}
			})
		}
	})
}

func TestUISignInAndOut(t *testing.T) {
	h, sd := newUITest(t)
	anon := &uiClient{t: t, h: h}
	rec := anon.get("/w/acme/programs")
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/signin?next=%2Fw%2Facme%2Fprograms" {
		t.Fatalf("anonymous page: %d to %q, want 303 to the sign-in page", rec.Code, rec.Header().Get("Location"))
	}
	anon.expect(anon.get("/signin?next=/w/acme"), http.StatusOK, `name="next" value="/w/acme"`)
	anon.expect(anon.post("/signin", url.Values{"email": {sd.Owner.Email}, "password": {"wrong password"}}), http.StatusUnauthorized,
		"do not match", `value="pm@example.com"`)

	c := signIn(t, h, sd.Owner.Email)
	if rec := c.get("/"); rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/w/acme" {
		t.Errorf("/ with one workspace: %d to %q, want 303 to /w/acme", rec.Code, rec.Header().Get("Location"))
	}
	if rec := c.post("/signout", url.Values{}); rec.Code != http.StatusSeeOther {
		t.Fatalf("sign out: %d", rec.Code)
	}
	if rec := c.get("/w/acme"); rec.Code != http.StatusSeeOther {
		t.Errorf("after sign-out: %d, want a redirect to sign in", rec.Code)
	}
}

func TestUIErrors(t *testing.T) {
	h, sd := newUITest(t)
	c := signIn(t, h, sd.Owner.Email)
	c.expect(c.get("/w/acme/programs/"+tandem.NewID()), http.StatusNotFound, "Not found")
	c.expect(c.get("/w/nowhere"), http.StatusNotFound, "Not found")
	c.expect(c.get("/w/acme/no/such/page"), http.StatusNotFound, "Not found", "Go to your workspaces")

	v := signIn(t, h, sd.Viewer.Email)
	v.expect(v.get("/w/acme/programs/new"), http.StatusForbidden, "Not allowed", "viewer")
	v.expect(v.post("/w/acme/items/"+sd.TaskA.ID+"/delete", url.Values{}), http.StatusForbidden)
}

func TestUIRoleAwareButtons(t *testing.T) {
	h, sd := newUITest(t)
	owner := signIn(t, h, sd.Owner.Email)
	viewer := signIn(t, h, sd.Viewer.Email)
	contributor := signIn(t, h, sd.Contributor.Email)
	programPage := "/w/acme/programs/" + sd.Program.ID
	owner.expect(owner.get(programPage), http.StatusOK, "/edit", "/delete", "Add a comment")
	body := viewer.get(programPage).Body.String()
	for _, s := range []string{"/edit", "/delete", "New project", "Add a comment"} {
		if strings.Contains(body, s) {
			t.Errorf("viewer's program page shows %q", s)
		}
	}
	itemPage := "/w/acme/items/" + sd.TaskB.ID
	body = contributor.get(itemPage).Body.String()
	if !strings.Contains(body, "/edit") || !strings.Contains(body, "Add a dependency") {
		t.Error("contributor's item page lacks edit or dependency controls")
	}
	if strings.Contains(body, "/w/acme/items/"+sd.TaskB.ID+"/delete") {
		t.Error("contributor's item page offers delete, which needs a manager")
	}
	body = viewer.get("/w/acme/members").Body.String()
	if strings.Contains(body, "/role") {
		t.Error("viewer sees role forms")
	}
	owner.expect(owner.get("/w/acme/members"), http.StatusOK, "/members/"+sd.Viewer.ID+"/role")
}

func TestUIForms(t *testing.T) {
	forEachStore(t, func(t *testing.T, store tandem.Store) {
		h, sd := newUITestOn(t, store)
		c := signIn(t, h, sd.Owner.Email)

		// A valid program is created and we land on it.
		rec := c.post("/w/acme/programs", url.Values{"name": {"Platform migration"}, "status": {"active"}, "health": {"green"},
			"budget_amount": {"1,000.50"}, "budget_currency": {"EUR"}, "goal_ids": {sd.Goal.ID}})
		if rec.Code != http.StatusSeeOther {
			t.Fatalf("create program: %d\n%.2000s", rec.Code, rec.Body)
		}
		c.expect(c.get(rec.Header().Get("Location")), http.StatusOK, "Platform migration", "EUR 1,000.50", "Grow digital banking", "Program created.")
		if strings.Contains(c.get(rec.Header().Get("Location")).Body.String(), "Program created.") {
			t.Error("the flash message shows twice")
		}

		// An invalid one comes back with field errors and the input kept.
		c.expect(c.post("/w/acme/programs", url.Values{"name": {"Doomed"}, "status": {"active"}, "health": {"red"}, "start_date": {"soon"}}),
			http.StatusUnprocessableEntity, `value="Doomed"`, "Required when health is amber or red.", "Must be a date like", `aria-invalid="true"`)

		// A stale edit says so.
		c.expect(c.post("/w/acme/programs/"+sd.Program.ID+"/edit", url.Values{"name": {"Renamed"}, "status": {"active"}, "health": {"green"},
			"version": {"1"}}), http.StatusSeeOther)
		c.expect(c.post("/w/acme/programs/"+sd.Program.ID+"/edit", url.Values{"name": {"Renamed again"}, "status": {"active"}, "health": {"green"},
			"version": {"1"}}), http.StatusPreconditionFailed, "Someone else changed this program", `value="Renamed again"`, "Reload")
		c.expect(c.get("/w/acme/activity?entity_type=program"), http.StatusOK, "Renamed</a>", `<span class="muted">· budget, `)

		// Items, comments, key results, measurements.
		rec = c.post("/w/acme/items", url.Values{"title": {"Write launch plan"}, "kind": {"task"}, "status": {"backlog"}, "project_id": {sd.Project.ID}})
		if rec.Code != http.StatusSeeOther {
			t.Fatalf("create item: %d\n%.2000s", rec.Code, rec.Body)
		}
		item := rec.Header().Get("Location")
		c.expect(c.post(item+"/comments", url.Values{"body": {"Looks **good**"}}), http.StatusSeeOther)
		c.expect(c.get(item), http.StatusOK, "Looks <strong>good</strong>", "Write launch plan")
		c.expect(c.post("/w/acme/goals/"+sd.Goal.ID+"/key-results", url.Values{"metric": {"NPS"}, "baseline": {"30"}, "target": {"20"}, "direction": {"increase"}}),
			http.StatusUnprocessableEntity, "Must be above the baseline", `value="NPS"`)
		c.expect(c.post("/w/acme/key-results/"+sd.KR.ID+"/measurements", url.Values{"date": {"2026-09-30"}, "value": {"121"}}), http.StatusSeeOther)
		c.expect(c.get("/w/acme/goals/"+sd.Goal.ID), http.StatusOK, "now 121")

		// Delete goes back to the list.
		rec = c.post(item+"/delete", url.Values{})
		if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/w/acme/items" {
			t.Errorf("delete item: %d to %q", rec.Code, rec.Header().Get("Location"))
		}
	})
}

func TestUIDependencies(t *testing.T) {
	forEachStore(t, func(t *testing.T, store tandem.Store) {
		h, sd := newUITestOn(t, store)
		c := signIn(t, h, sd.Contributor.Email)
		// TaskA → TaskB exists; TaskB → TaskA closes a cycle.
		c.expect(c.post("/w/acme/items/"+sd.TaskA.ID+"/dependencies", url.Values{"direction": {"predecessor"}, "other_id": {sd.TaskB.ID}, "type": {"FS"}}),
			http.StatusConflict, "would close a cycle", "Design sign-up flow")
		c.expect(c.post("/w/acme/items/"+sd.Epic.ID+"/dependencies", url.Values{"direction": {"successor"}, "other_id": {sd.TaskA.ID}, "type": {"SS"}, "lag_days": {"-1"}}),
			http.StatusSeeOther)
		c.expect(c.get("/w/acme/items/"+sd.Epic.ID), http.StatusOK, "SS", "lead")
		c.expect(c.post("/w/acme/items/"+sd.TaskB.ID+"/dependencies/"+sd.Dep.ID+"/delete", url.Values{}), http.StatusSeeOther)
		if strings.Contains(c.get("/w/acme/items/"+sd.TaskB.ID).Body.String(), "/dependencies/"+sd.Dep.ID) {
			t.Error("removed dependency still listed")
		}
	})
}

func TestStaticAssets(t *testing.T) {
	h, _ := newUITest(t)
	c := &uiClient{t: t, h: h}
	rec := c.get(assetURL("app.css"))
	c.expect(rec, http.StatusOK, ".sidebar")
	if cc := rec.Header().Get("Cache-Control"); !strings.Contains(cc, "immutable") {
		t.Errorf("hashed asset Cache-Control = %q", cc)
	}
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/css") {
		t.Errorf("Content-Type = %q", ct)
	}
	c.expect(c.get("/static/nope.css"), http.StatusNotFound)
}

func TestUIPagination(t *testing.T) {
	store := newFakeStore()
	sd := seedWorkspace(t, store)
	ctx := tandem.WithActor(t.Context(), sd.Owner.ID)
	for i := range 30 {
		it := &tandem.Item{Kind: tandem.KindTask, Title: fmt.Sprintf("Bulk task %02d", i), Status: tandem.StatusBacklog}
		if err := store.CreateItem(ctx, sd.WS.ID, it); err != nil {
			t.Fatal(err)
		}
	}
	c := signIn(t, NewServer(store, uiTestLogger(t)).Handler(), sd.Owner.Email)
	rec := c.get("/w/acme/items?status=backlog")
	c.expect(rec, http.StatusOK, "Bulk task 00", "Bulk task 24", "Next page")
	if strings.Contains(rec.Body.String(), "Bulk task 25") {
		t.Error("first page holds more than 25 rows")
	}
	i := strings.Index(rec.Body.String(), `rel="next"`)
	j := strings.LastIndex(rec.Body.String()[:i], `href="`)
	next := html.UnescapeString(rec.Body.String()[j+len(`href="`) : i-2])
	c.expect(c.get(next), http.StatusOK, "Bulk task 25", "Bulk task 29", "First page")
	if !strings.Contains(next, "status=backlog") {
		t.Errorf("next page link %q lost the filter", next)
	}
}

func TestUIActivityLinks(t *testing.T) {
	p := &page{WS: &tandem.Workspace{Slug: "acme"}}
	itemID, goalID := tandem.NewID(), tandem.NewID()
	tests := []struct {
		name string
		a    tandem.Activity
		want string
	}{
		{"item", tandem.Activity{EntityType: "item", EntityID: itemID, Action: "update"}, "/w/acme/items/" + itemID},
		{"deleted item", tandem.Activity{EntityType: "item", EntityID: itemID, Action: "delete"}, ""},
		{"comment", tandem.Activity{EntityType: "comment", Action: "create", After: []byte(`{"entity_type":"goal","entity_id":"` + goalID + `"}`)}, "/w/acme/goals/" + goalID},
		{"dependency", tandem.Activity{EntityType: "dependency", Action: "create", After: []byte(`{"successor_id":"` + itemID + `"}`)}, "/w/acme/items/" + itemID},
		{"key result", tandem.Activity{EntityType: "key_result", Action: "update", After: []byte(`{"goal_id":"` + goalID + `"}`)}, "/w/acme/goals/" + goalID},
		{"member", tandem.Activity{EntityType: "member", Action: "update", After: []byte(`{}`)}, ""},
	}
	for _, tt := range tests {
		if got := p.ActivityURL(&tt.a); got != tt.want {
			t.Errorf("%s: ActivityURL = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestUIEmptyWorkspace(t *testing.T) {
	store := newFakeStore()
	u := &tandem.User{Email: "new@example.com", Name: "Newcomer"}
	if err := store.CreateUser(t.Context(), u, seedPassword); err != nil {
		t.Fatal(err)
	}
	if err := store.CreateWorkspace(t.Context(), &tandem.Workspace{Slug: "fresh", Name: "Fresh Start"}, u.ID); err != nil {
		t.Fatal(err)
	}
	c := signIn(t, NewServer(store, uiTestLogger(t)).Handler(), u.Email)
	pages := map[string]string{
		"/w/fresh":                 "No goals yet.",
		"/w/fresh/goals":           "No goals yet",
		"/w/fresh/programs":        "No programs found",
		"/w/fresh/projects":        "No projects found",
		"/w/fresh/products":        "No products found",
		"/w/fresh/items":           "No items found",
		"/w/fresh/items?kind=epic": "Nothing matches these filters.",
		"/w/fresh/activity":        "Nothing has happened yet.",
		"/w/fresh/members":         "Newcomer",
		"/w/fresh/items/new":       "New item",
		"/w/fresh/programs/new":    "None defined yet.",
	}
	for path, want := range pages {
		c.expect(c.get(path), http.StatusOK, want)
	}
}

func TestUIActivityChanges(t *testing.T) {
	p := &page{}
	a := &tandem.Activity{Action: "update",
		Before: []byte(`{"id":"1","version":1,"status":"planned","progress":0,"title":"A"}`),
		After:  []byte(`{"id":"1","version":2,"status":"in_progress","progress":20,"title":"A","health_reason":"x"}`)}
	if got, want := p.Changes(a), "health reason, progress, status"; got != want {
		t.Errorf("Changes = %q, want %q", got, want)
	}
	a.Action = "create"
	if got := p.Changes(a); got != "" {
		t.Errorf("Changes of a create = %q, want none", got)
	}
}
