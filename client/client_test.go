package client_test

import (
	"context"
	"errors"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tandem-pm/tandem"
	"github.com/tandem-pm/tandem/client"
	tandemhttp "github.com/tandem-pm/tandem/http"
	"github.com/tandem-pm/tandem/sqlite"
)

// backend opens a store; calling it again opens the same database anew.
type backend func(t testing.TB) tandem.Store

func sqliteBackend(t testing.TB) backend {
	path := filepath.Join(t.TempDir(), "tandem.db")
	return func(t testing.TB) tandem.Store {
		st, err := sqlite.Open(context.Background(), path)
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
}

// env is a running server on a store, with an owner and their token.
type env struct {
	store  tandem.Store
	srv    *tandemhttp.Server
	owner  *tandem.User
	token  string
	client *client.Client
}

func start(t testing.TB, st tandem.Store, token string) *env {
	t.Helper()
	srv := tandemhttp.NewServer(st, nil)
	if err := srv.Open("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	return &env{store: st, srv: srv, token: token, client: client.New(srv.URL(), token)}
}

// startAsOwner makes a user with a token on st and starts a server on st
// for them.
func startAsOwner(t *testing.T, st tandem.Store, name string) *env {
	t.Helper()
	ctx := context.Background()
	owner := &tandem.User{Email: "pm@example.com", Name: name}
	must(t, st.CreateUser(ctx, owner, "correct horse battery staple"))
	_, secret, err := st.CreateToken(ctx, owner.ID, "e2e")
	must(t, err)
	e := start(t, st, secret)
	e.owner = owner
	return e
}

func (e *env) stop(t testing.TB) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := e.srv.Close(ctx); err != nil {
		t.Error(err)
	}
	if err := e.store.Close(); err != nil {
		t.Error(err)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// wantStatus checks that err is a *client.Error with status and code.
func wantStatus(t *testing.T, what string, err error, status int, code string) *client.Error {
	t.Helper()
	var ce *client.Error
	if !errors.As(err, &ce) {
		t.Fatalf("%s: err = %v, want a %d problem", what, err, status)
	}
	if ce.Status != status || ce.Code != code || tandem.ErrorCode(err) != code {
		t.Fatalf("%s: got %d %s (%v), want %d %s", what, ce.Status, ce.Code, err, status, code)
	}
	return ce
}

func hasField(ce *client.Error, field string) bool {
	for _, f := range ce.Fields {
		if f.Field == field {
			return true
		}
	}
	return false
}

func TestAPIEndToEndSQLite(t *testing.T) {
	testAPIEndToEnd(t, sqliteBackend(t))
}

// testAPIEndToEnd drives the API through the client against a real server
// on a real database, then reopens the database and reads the data back.
func testAPIEndToEnd(t *testing.T, open backend) {
	ctx := context.Background()
	st := open(t)
	e := startAsOwner(t, st, "Program Manager")
	owner, secret := e.owner, e.token
	c := e.client

	acme := &tandem.Workspace{Slug: "acme", Name: "Acme Bank"}
	must(t, c.CreateWorkspace(ctx, acme))
	other := &tandem.Workspace{Slug: "other", Name: "Other"}
	must(t, c.CreateWorkspace(ctx, other))
	if acme.ID == "" || !tandem.IsID(acme.ID) {
		t.Fatalf("workspace ID not filled in: %+v", acme)
	}
	wss, err := c.Workspaces(ctx)
	must(t, err)
	if len(wss) != 2 {
		t.Fatalf("Workspaces = %d, want 2", len(wss))
	}
	ws := "acme" // by slug

	prog := &tandem.Program{Name: "Digital Transformation", Sponsor: "COO", Budget: tandem.Money{Amount: 500_000_00, Currency: "EUR"}}
	must(t, c.CreateProgram(ctx, ws, prog))
	if prog.ID == "" || prog.Version < 1 || prog.Status != tandem.ProgramProposed {
		t.Fatalf("program after create: %+v", prog)
	}
	proj := &tandem.Project{Name: "Customer portal", ProgramID: prog.ID}
	must(t, c.CreateProject(ctx, ws, proj))
	var items []*tandem.Item
	for _, title := range []string{"Design", "Build", "Launch"} {
		it := &tandem.Item{Kind: tandem.KindTask, Title: title, ProjectID: proj.ID, DurationDays: 5}
		must(t, c.CreateItem(ctx, ws, it))
		items = append(items, it)
	}
	a, b, cc := items[0], items[1], items[2]
	d1 := &tandem.Dependency{PredecessorID: a.ID, SuccessorID: b.ID}
	must(t, c.CreateDependency(ctx, ws, d1))
	if d1.Type != tandem.FinishToStart {
		t.Errorf("dependency type = %q, want FS by default", d1.Type)
	}
	d2 := &tandem.Dependency{PredecessorID: b.ID, SuccessorID: cc.ID, Type: tandem.StartToStart, LagDays: 2}
	must(t, c.CreateDependency(ctx, ws, d2))

	// Lists page with a cursor.
	page1, next, err := c.FindItems(ctx, ws, tandem.ItemFilter{ProjectID: proj.ID, Page: tandem.Page{Limit: 2}})
	must(t, err)
	if len(page1) != 2 || next == "" {
		t.Fatalf("page 1: %d items, next %q; want 2 and a cursor", len(page1), next)
	}
	page2, next, err := c.FindItems(ctx, ws, tandem.ItemFilter{ProjectID: proj.ID, Page: tandem.Page{Limit: 2, Cursor: next}})
	must(t, err)
	if len(page2) != 1 || next != "" {
		t.Fatalf("page 2: %d items, next %q; want 1 and no cursor", len(page2), next)
	}
	deps, _, err := c.FindDependencies(ctx, ws, tandem.DependencyFilter{ItemID: b.ID})
	must(t, err)
	if len(deps) != 2 {
		t.Errorf("dependencies of B = %d, want 2", len(deps))
	}

	// Merge patch with If-Match: the current version wins, a stale one is 412.
	title := "Design the portal"
	a2, err := c.UpdateItem(ctx, ws, a.ID, tandem.ItemUpdate{Title: &title}, a.Version)
	must(t, err)
	if a2.Title != title || a2.Version != a.Version+1 || a2.DurationDays != 5 {
		t.Fatalf("after patch: %+v", a2)
	}
	_, err = c.UpdateItem(ctx, ws, a.ID, tandem.ItemUpdate{Title: &title}, a.Version)
	wantStatus(t, "stale If-Match", err, http.StatusPreconditionFailed, tandem.EStale)
	_, err = c.Do(ctx, "PATCH", "/api/v1/workspaces/acme/items/"+a.ID, http.Header{"If-Match": {"yesterday"}}, map[string]any{"title": "x"}, nil)
	wantStatus(t, "malformed If-Match", err, http.StatusPreconditionFailed, tandem.EStale)
	a3, err := c.PatchItem(ctx, ws, a.ID, map[string]any{"project_id": nil, "progress": 30}, 0)
	must(t, err)
	if a3.ProjectID != "" || a3.Progress != 30 || a3.Title != title {
		t.Errorf("null should clear project_id and leave title: %+v", a3)
	}
	_, err = c.PatchItem(ctx, ws, a.ID, map[string]any{"colour": "red", "progress": "lots"}, 0)
	ce := wantStatus(t, "bad patch", err, http.StatusUnprocessableEntity, tandem.EInvalid)
	if !hasField(ce, "colour") || !hasField(ce, "progress") {
		t.Errorf("field errors = %v, want colour and progress", ce.Fields)
	}

	// ETag and If-None-Match.
	hdr, err := c.Do(ctx, "GET", "/api/v1/workspaces/acme/items/"+b.ID, nil, nil, nil)
	must(t, err)
	if hdr.Get("ETag") != `"1"` {
		t.Errorf("ETag = %q, want \"1\"", hdr.Get("ETag"))
	}
	req, _ := http.NewRequest("GET", e.srv.URL()+"/api/v1/workspaces/acme/items/"+b.ID, nil)
	req.Header.Set("Authorization", "Bearer "+secret)
	req.Header.Set("If-None-Match", `"1"`)
	resp, err := http.DefaultClient.Do(req)
	must(t, err)
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotModified {
		t.Errorf("If-None-Match with the current ETag: %d, want 304", resp.StatusCode)
	}

	// A dependency closing a cycle is refused, naming the whole cycle.
	err = c.CreateDependency(ctx, ws, &tandem.Dependency{PredecessorID: cc.ID, SuccessorID: a.ID})
	ce = wantStatus(t, "cycle", err, http.StatusConflict, tandem.EConflict)
	for _, it := range items {
		if !strings.Contains(ce.Detail, it.Title) && !strings.Contains(ce.Detail, it.ID) {
			t.Errorf("cycle detail %q does not name %s", ce.Detail, it.Title)
		}
	}

	// References into another workspace are invalid fields.
	foreign := &tandem.Item{Kind: tandem.KindTask, Title: "Elsewhere"}
	must(t, c.CreateItem(ctx, "other", foreign))
	err = c.CreateItem(ctx, ws, &tandem.Item{Kind: tandem.KindTask, Title: "Child", ParentID: foreign.ID})
	ce = wantStatus(t, "cross-workspace parent", err, http.StatusUnprocessableEntity, tandem.EInvalid)
	if !hasField(ce, "parent_id") {
		t.Errorf("field errors = %v, want parent_id", ce.Fields)
	}
	err = c.CreateDependency(ctx, ws, &tandem.Dependency{PredecessorID: a.ID, SuccessorID: foreign.ID})
	wantStatus(t, "cross-workspace dependency", err, http.StatusUnprocessableEntity, tandem.EInvalid)
	_, err = c.FindItemByID(ctx, ws, foreign.ID)
	wantStatus(t, "foreign item by ID", err, http.StatusNotFound, tandem.ENotFound)

	// Bodies: too large, not JSON, unknown fields, wrong types.
	big := `{"kind":"task","title":"` + strings.Repeat("x", 2<<20) + `"}`
	_, err = c.Do(ctx, "POST", "/api/v1/workspaces/acme/items", nil, strings.NewReader(big), nil)
	wantStatus(t, "oversized body", err, http.StatusRequestEntityTooLarge, tandem.ETooLarge)
	_, err = c.Do(ctx, "POST", "/api/v1/workspaces/acme/items", http.Header{"Content-Type": {"text/plain"}}, strings.NewReader(`{}`), nil)
	wantStatus(t, "text/plain body", err, http.StatusUnsupportedMediaType, tandem.EInvalid)
	_, err = c.Do(ctx, "POST", "/api/v1/workspaces/acme/items", nil, map[string]any{"kind": "task", "title": 7, "colour": "red"}, nil)
	ce = wantStatus(t, "unknown field", err, http.StatusUnprocessableEntity, tandem.EInvalid)
	if !hasField(ce, "colour") || !hasField(ce, "title") {
		t.Errorf("field errors = %v, want colour and title", ce.Fields)
	}
	all, _, err := c.FindItems(ctx, ws, tandem.ItemFilter{})
	must(t, err)
	if len(all) != 3 {
		t.Errorf("items after refused writes = %d, want 3", len(all))
	}
	_, err = c.FindItemByID(ctx, ws, "not-an-id")
	wantStatus(t, "malformed ID", err, http.StatusNotFound, tandem.ENotFound)
	_, _, err = c.FindItems(ctx, ws, tandem.ItemFilter{ProjectID: "nope"})
	wantStatus(t, "malformed filter", err, http.StatusUnprocessableEntity, tandem.EInvalid)

	// Goals, key results and measurements.
	goal := &tandem.Goal{Title: "Grow digital banking"}
	must(t, c.CreateGoal(ctx, ws, goal))
	kr := &tandem.KeyResult{GoalID: goal.ID, Metric: "Digital active users", Baseline: 100, Target: 130, Direction: tandem.Increase}
	must(t, c.CreateKeyResult(ctx, ws, kr))
	must(t, c.AddMeasurement(ctx, ws, &tandem.Measurement{KeyResultID: kr.ID, Date: tandem.Date{Year: 2026, Month: 6, Day: 30}, Value: 115}))
	ms, err := c.FindMeasurements(ctx, ws, kr.ID)
	must(t, err)
	if len(ms) != 1 || ms[0].Value != 115 {
		t.Errorf("measurements = %+v", ms)
	}
	kr2, err := c.FindKeyResultByID(ctx, ws, kr.ID)
	must(t, err)
	if kr2.Current != 115 {
		t.Errorf("key result current = %v, want 115", kr2.Current)
	}
	prod := &tandem.Product{Name: "Mobile Banking App", GoalIDs: []string{goal.ID}}
	must(t, c.CreateProduct(ctx, ws, prod))
	prods, _, err := c.FindProducts(ctx, ws, tandem.ProductFilter{GoalID: goal.ID})
	must(t, err)
	if len(prods) != 1 {
		t.Errorf("products of the goal = %d, want 1", len(prods))
	}

	// Comments and activity.
	cm := &tandem.Comment{EntityType: tandem.EntityItem, EntityID: b.ID, Body: "Blocked on design."}
	must(t, c.CreateComment(ctx, ws, cm))
	if cm.AuthorID != owner.ID {
		t.Errorf("comment author = %q, want the caller", cm.AuthorID)
	}
	cms, _, err := c.FindComments(ctx, ws, tandem.CommentFilter{EntityType: tandem.EntityItem, EntityID: b.ID})
	must(t, err)
	if len(cms) != 1 {
		t.Errorf("comments on B = %d, want 1", len(cms))
	}
	acts, _, err := c.FindActivity(ctx, ws, tandem.ActivityFilter{EntityID: a.ID})
	must(t, err)
	if len(acts) < 2 {
		t.Errorf("activity of A = %d entries, want its create and updates", len(acts))
	}

	// Members and roles: a viewer reads but cannot write.
	viewer := &tandem.User{Email: "sponsor@example.com", Name: "Sponsor"}
	must(t, st.CreateUser(ctx, viewer, "correct horse battery staple"))
	m, err := c.SetMember(ctx, ws, viewer.ID, tandem.RoleViewer)
	must(t, err)
	if m.Role != tandem.RoleViewer {
		t.Errorf("member = %+v", m)
	}
	_, vsecret, err := st.CreateToken(ctx, viewer.ID, "viewer")
	must(t, err)
	vc := client.New(e.srv.URL(), vsecret)
	if _, _, err := vc.FindItems(ctx, ws, tandem.ItemFilter{}); err != nil {
		t.Errorf("viewer list: %v", err)
	}
	err = vc.CreateItem(ctx, ws, &tandem.Item{Kind: tandem.KindTask, Title: "Nope"})
	wantStatus(t, "viewer create", err, http.StatusForbidden, tandem.EForbidden)
	_, _, err = vc.FindItems(ctx, "other", tandem.ItemFilter{})
	wantStatus(t, "non-member", err, http.StatusNotFound, tandem.ENotFound)
	members, err := c.FindMembers(ctx, ws)
	must(t, err)
	if len(members) != 2 {
		t.Errorf("members = %d, want 2", len(members))
	}

	// Tokens: create, use, revoke.
	tok, tsecret, err := c.CreateToken(ctx, "laptop")
	must(t, err)
	if tsecret == "" || tok.ID == "" {
		t.Fatalf("token = %+v, secret %q", tok, tsecret)
	}
	tc := client.New(e.srv.URL(), tsecret)
	if _, err := tc.Workspaces(ctx); err != nil {
		t.Errorf("new token: %v", err)
	}
	must(t, c.RevokeToken(ctx, tok.ID))
	_, err = tc.Workspaces(ctx)
	wantStatus(t, "revoked token", err, http.StatusUnauthorized, tandem.EUnauthorized)

	// A dependency's ends cannot be changed, only its type and lag.
	_, err = c.Do(ctx, "PATCH", "/api/v1/workspaces/acme/dependencies/"+d1.ID, nil, map[string]any{"successor_id": cc.ID}, nil)
	ce = wantStatus(t, "patch of a dependency's end", err, http.StatusUnprocessableEntity, tandem.EInvalid)
	if !hasField(ce, "successor_id") {
		t.Errorf("field errors = %v, want successor_id", ce.Fields)
	}
	lag := -1.5
	d1b, err := c.UpdateDependency(ctx, ws, d1.ID, tandem.DependencyUpdate{LagDays: &lag}, d1.Version)
	must(t, err)
	if d1b.LagDays != lag {
		t.Errorf("lag = %v, want %v", d1b.LagDays, lag)
	}

	// Delete.
	must(t, c.DeleteDependency(ctx, ws, d2.ID))
	_, err = c.FindDependencyByID(ctx, ws, d2.ID)
	wantStatus(t, "deleted dependency", err, http.StatusNotFound, tandem.ENotFound)

	// Everything survives closing and reopening the database.
	e.stop(t)
	e = start(t, open(t), secret)
	defer e.stop(t)
	got, err := e.client.FindItemByID(ctx, ws, a.ID)
	must(t, err)
	if got.Title != title || got.Progress != 30 {
		t.Errorf("after reopening: %+v", got)
	}
	deps, _, err = e.client.FindDependencies(ctx, ws, tandem.DependencyFilter{})
	must(t, err)
	if len(deps) != 1 || deps[0].ID != d1.ID {
		t.Errorf("dependencies after reopening = %+v, want only %s", deps, d1.ID)
	}
	gotProg, err := e.client.FindProgramByID(ctx, ws, prog.ID)
	must(t, err)
	if gotProg.Budget != prog.Budget {
		t.Errorf("program budget after reopening = %+v", gotProg.Budget)
	}
}
