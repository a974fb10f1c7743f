package http

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tandem-pm/tandem"
	"github.com/tandem-pm/tandem/sqlite"
)

// planFixture is a small program on a real SQLite store behind a running
// server: Core (X, 10 days) feeds Portal (A 5 days → B 3 days → launch).
type planFixture struct {
	t        *testing.T
	store    tandem.Store
	srv      *Server
	ws       *tandem.Workspace
	owner    *tandem.User
	token    string
	cookie   *http.Cookie
	program  *tandem.Program
	core     *tandem.Project
	portal   *tandem.Project
	x, a, b  *tandem.Item
	launch   *tandem.Item
	xToA     *tandem.Dependency
	wsPrefix string // /api/v1/workspaces/{id}
}

func newPlanFixture(t *testing.T) *planFixture {
	t.Helper()
	store, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "tandem.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	ctx := context.Background()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	f := &planFixture{t: t, store: store}
	f.owner = &tandem.User{Email: "pm@example.com", Name: "Program Manager"}
	must(store.CreateUser(ctx, f.owner, "correct horse battery"))
	f.ws = &tandem.Workspace{Slug: "acme", Name: "Acme Bank"}
	must(store.CreateWorkspace(ctx, f.ws, f.owner.ID))
	_, f.token, err = store.CreateToken(ctx, f.owner.ID, "test")
	must(err)
	secret, err := store.CreateSession(ctx, f.owner.ID, time.Hour)
	must(err)
	f.cookie = &http.Cookie{Name: sessionCookie, Value: secret}
	ctx = tandem.WithActor(ctx, f.owner.ID)
	ws := f.ws.ID
	f.program = &tandem.Program{Name: "Digital Transformation"}
	must(store.CreateProgram(ctx, ws, f.program))
	start := tandem.Date{Year: 2026, Month: 1, Day: 5}
	f.core = &tandem.Project{ProgramID: f.program.ID, Name: "Core API migration", StartDate: start}
	must(store.CreateProject(ctx, ws, f.core))
	f.portal = &tandem.Project{ProgramID: f.program.ID, Name: "Customer portal", StartDate: start, EndDate: tandem.Date{Year: 2026, Month: 1, Day: 30}}
	must(store.CreateProject(ctx, ws, f.portal))
	item := func(p *tandem.Project, kind, title string, days float64) *tandem.Item {
		it := &tandem.Item{Kind: kind, Title: title, ProjectID: p.ID, Status: tandem.StatusPlanned, DurationDays: days}
		must(store.CreateItem(ctx, ws, it))
		return it
	}
	f.x = item(f.core, tandem.KindTask, "Accounts API", 10)
	f.x.PlannedStart = start
	_, err = store.UpdateItem(ctx, ws, f.x.ID, tandem.ItemUpdate{PlannedStart: &start}, 0)
	must(err)
	f.a = item(f.portal, tandem.KindTask, "Portal design", 5)
	f.b = item(f.portal, tandem.KindTask, "Portal build", 3)
	f.launch = item(f.portal, tandem.KindMilestone, "Portal live", 0)
	for _, d := range []*tandem.Dependency{
		{PredecessorID: f.a.ID, SuccessorID: f.b.ID},
		{PredecessorID: f.b.ID, SuccessorID: f.launch.ID},
		{PredecessorID: f.x.ID, SuccessorID: f.b.ID, Type: tandem.StartToStart, LagDays: 2},
	} {
		must(store.CreateDependency(ctx, ws, d))
		if d.PredecessorID == f.x.ID {
			f.xToA = d
		}
	}
	f.srv = NewServer(store, nil)
	must(f.srv.Open("127.0.0.1:0"))
	t.Cleanup(func() { f.srv.Close(context.Background()) })
	f.wsPrefix = "/api/v1/workspaces/" + ws
	return f
}

// do sends an API request with the bearer token and returns the response body.
func (f *planFixture) do(method, path, contentType string, body io.Reader, hdr map[string]string, wantStatus int) ([]byte, http.Header) {
	f.t.Helper()
	req, err := http.NewRequest(method, f.srv.URL()+path, body)
	if err != nil {
		f.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+f.token)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	return f.send(req, wantStatus)
}

// page fetches a browser page with the session cookie.
func (f *planFixture) page(method, path, contentType string, body io.Reader, wantStatus int) ([]byte, http.Header) {
	f.t.Helper()
	req, err := http.NewRequest(method, f.srv.URL()+path, body)
	if err != nil {
		f.t.Fatal(err)
	}
	req.AddCookie(f.cookie)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	return f.send(req, wantStatus)
}

func (f *planFixture) send(req *http.Request, wantStatus int) ([]byte, http.Header) {
	f.t.Helper()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != wantStatus {
		f.t.Fatalf("%s %s: status %d, want %d: %s", req.Method, req.URL.Path, resp.StatusCode, wantStatus, b)
	}
	return b, resp.Header
}

func decodeJSON[T any](t *testing.T, b []byte) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("decode %s: %v", b, err)
	}
	return v
}

type scheduleJSON struct {
	ProjectStart  string   `json:"project_start"`
	ProjectFinish string   `json:"project_finish"`
	CriticalPath  []string `json:"critical_path"`
	Items         []struct {
		ItemID      string `json:"item_id"`
		Anchor      bool   `json:"anchor"`
		EarlyStart  string `json:"early_start"`
		EarlyFinish string `json:"early_finish"`
		LateStart   string `json:"late_start"`
		TotalFloat  int    `json:"total_float"`
		FreeFloat   int    `json:"free_float"`
		Critical    bool   `json:"critical"`
	} `json:"items"`
	Variance *struct {
		FinishDays int `json:"finish_variance_days"`
		Items      []struct {
			ItemID     string `json:"item_id"`
			FinishDays int    `json:"finish_variance_days"`
		} `json:"items"`
	} `json:"variance"`
}

func (s scheduleJSON) item(id string) (start, finish string, critical bool) {
	for _, x := range s.Items {
		if x.ItemID == id {
			return x.EarlyStart, x.EarlyFinish, x.Critical
		}
	}
	return "", "", false
}

func TestScheduleAPI(t *testing.T) {
	f := newPlanFixture(t)
	sched := func(query string) scheduleJSON {
		t.Helper()
		b, _ := f.do("GET", f.wsPrefix+"/projects/"+f.portal.ID+"/schedule?status_date=2026-01-01"+query, "", nil, nil, 200)
		return decodeJSON[scheduleJSON](t, b)
	}

	// The anchor X (10 days from Mon 5 Jan) lets B start two days after it
	// (SS+2); A finishes Fri 9 Jan, so B starts Mon 12 Jan and launch is Thu 15.
	s := sched("")
	if s.ProjectStart != "2026-01-05" || s.ProjectFinish != "2026-01-15" {
		t.Errorf("project %s..%s, want 2026-01-05..2026-01-15", s.ProjectStart, s.ProjectFinish)
	}
	if start, finish, crit := s.item(f.b.ID); start != "2026-01-12" || finish != "2026-01-14" || !crit {
		t.Errorf("B = %s..%s critical %v", start, finish, crit)
	}
	if got := strings.Join(s.CriticalPath, ","); got != f.a.ID+","+f.b.ID+","+f.launch.ID {
		t.Errorf("critical path = %s", got)
	}
	if len(s.Items) != 4 || !s.Items[0].Anchor || s.Items[0].ItemID != f.x.ID {
		t.Errorf("want the anchor X first among 4 items: %+v", s.Items)
	}

	// Save a baseline, then make A two days longer, as a drag would.
	b, hdr := f.do("POST", f.wsPrefix+"/projects/"+f.portal.ID+"/baselines?status_date=2026-01-01", "application/json", strings.NewReader(`{"name":"Plan of record"}`), nil, 201)
	bl := decodeJSON[tandem.Baseline](t, b)
	if bl.Name != "Plan of record" || len(bl.Items) != 3 || !strings.HasSuffix(hdr.Get("Location"), "/baselines/"+bl.ID) {
		t.Fatalf("baseline = %+v, location %s", bl, hdr.Get("Location"))
	}
	b, _ = f.do("GET", f.wsPrefix+"/projects/"+f.portal.ID+"/baselines", "", nil, nil, 200)
	if l := decodeJSON[list[tandem.Baseline]](t, b); len(l.Data) != 1 || l.Data[0].ID != bl.ID {
		t.Errorf("baselines = %+v", l)
	}
	_, hdr = f.do("GET", f.wsPrefix+"/items/"+f.a.ID, "", nil, nil, 200)
	f.do("PATCH", f.wsPrefix+"/items/"+f.a.ID, "application/merge-patch+json", strings.NewReader(`{"duration_days": 7}`),
		map[string]string{"If-Match": hdr.Get("ETag")}, 200)
	s = sched("&baseline=" + bl.ID)
	if s.Variance == nil || s.Variance.FinishDays != 2 {
		t.Fatalf("variance = %+v, want the finish 2 days late", s.Variance)
	}
	if _, finish, _ := s.item(f.launch.ID); finish != "2026-01-19" {
		t.Errorf("launch = %s, want Mon 19 Jan", finish)
	}

	// A baseline of another project is not found through this one.
	f.do("GET", f.wsPrefix+"/projects/"+f.core.ID+"/schedule?baseline="+bl.ID, "", nil, nil, 404)
	f.do("GET", f.wsPrefix+"/projects/"+f.portal.ID+"/schedule?status_date=tomorrow", "", nil, nil, 422)
	f.do("GET", f.wsPrefix+"/projects/"+f.portal.ID+"/schedule?zoom=days", "", nil, nil, 422)

	// Program view: X → B is the one cross-project link; Portal must end by
	// Fri 30 Jan, so B is needed by Tue 27 Jan and X has slack. If X starts
	// 15 working days late, B starts Wed 28 Jan (SS+2) instead of Wed 14
	// and the launch moves from Mon 19 Jan to Mon 2 Feb: 10 working days.
	b, _ = f.do("GET", f.wsPrefix+"/programs/"+f.program.ID+"/dependencies?slip=15&status_date=2026-01-01", "", nil, nil, 200)
	pa := decodeJSON[struct {
		SlipDays     int `json:"slip_days"`
		Dependencies []struct {
			DependencyID string `json:"dependency_id"`
			NeededBy     string `json:"needed_by"`
			Conflict     bool   `json:"conflict"`
			Impacts      []struct {
				Name       string `json:"name"`
				FinishDays int    `json:"finish_days"`
			} `json:"impacts"`
		} `json:"dependencies"`
	}](t, b)
	if pa.SlipDays != 15 || len(pa.Dependencies) != 1 || pa.Dependencies[0].DependencyID != f.xToA.ID || pa.Dependencies[0].Conflict {
		t.Fatalf("program analysis = %s", b)
	}
	if d := pa.Dependencies[0]; d.NeededBy != "2026-01-27" || len(d.Impacts) != 1 || d.Impacts[0].Name != "Customer portal" || d.Impacts[0].FinishDays != 10 {
		t.Errorf("X → B = %+v; want needed by 27 Jan, a 15-day slip of X moving the portal 10 days", d)
	}
	f.do("GET", f.wsPrefix+"/programs/"+f.program.ID+"/dependencies?slip=0", "", nil, nil, 422)

	// Export as MSPDI, import it back as a new project, with the portal's
	// baselines.
	baselinesBefore, err := f.store.FindBaselines(t.Context(), f.ws.ID, f.portal.ID)
	if err != nil {
		t.Fatal(err)
	}
	xml, hdr := f.do("GET", f.wsPrefix+"/projects/"+f.portal.ID+"/export.xml?status_date=2026-01-01", "", nil, nil, 200)
	if !strings.HasPrefix(hdr.Get("Content-Type"), "application/xml") || !bytes.Contains(xml, []byte("<Name>Portal build</Name>")) {
		t.Fatalf("export: %s\n%s", hdr.Get("Content-Type"), xml)
	}
	b, _ = f.do("POST", f.wsPrefix+"/projects/import?name=Portal+copy&program_id="+f.program.ID, "application/xml", bytes.NewReader(xml), nil, 201)
	imp := decodeJSON[projectImportResult](t, b)
	if imp.Project.Name != "Portal copy" || imp.Project.ProgramID != f.program.ID || imp.Items != 3 || imp.Dependencies != 2 {
		t.Fatalf("import = %s", b)
	}
	if bl, err := f.store.FindBaselines(t.Context(), f.ws.ID, imp.Project.ID); err != nil || len(bl) != min(len(baselinesBefore), 11) || len(bl) == 0 || bl[0].Name != "Baseline" {
		t.Errorf("imported baselines %+v (%v), want %d, the newest named Baseline", bl, err, len(baselinesBefore))
	}
	b, _ = f.do("GET", f.wsPrefix+"/projects/"+imp.Project.ID+"/schedule?status_date=2026-01-01", "", nil, nil, 200)
	if s2 := decodeJSON[scheduleJSON](t, b); s2.ProjectFinish != "2026-01-19" || len(s2.Items) != 3 {
		t.Errorf("imported schedule = %s", b)
	}
	acts, _, err := f.store.FindActivity(t.Context(), f.ws.ID, tandem.ActivityFilter{EntityType: tandem.EntityItem})
	if err != nil {
		t.Fatal(err)
	}
	if len(acts) < 3 {
		t.Errorf("the import wrote %d item activity rows", len(acts))
	}

	// A file that is not MSPDI changes nothing.
	before, _, _ := f.store.FindProjects(t.Context(), f.ws.ID, tandem.ProjectFilter{})
	f.do("POST", f.wsPrefix+"/projects/import", "application/xml", strings.NewReader("<html>nope</html>"), nil, 422)
	f.do("POST", f.wsPrefix+"/projects/import", "application/json", strings.NewReader("{}"), nil, 415)
	after, _, _ := f.store.FindProjects(t.Context(), f.ws.ID, tandem.ProjectFilter{})
	if len(after) != len(before) {
		t.Errorf("a failed import left %d projects, want %d", len(after), len(before))
	}
	// The imported project is on a calendar made from the file's; an import
	// the store refuses (an unknown program) leaves no calendar behind.
	cals, _, _ := f.store.FindCalendars(t.Context(), f.ws.ID, tandem.CalendarFilter{})
	if imp.Project.CalendarID == "" || len(cals) != 1 || cals[0].ID != imp.Project.CalendarID {
		t.Errorf("import calendar_id %q, calendars %d", imp.Project.CalendarID, len(cals))
	}
	f.do("POST", f.wsPrefix+"/projects/import?program_id="+tandem.NewID(), "application/xml", bytes.NewReader(xml), nil, 422)
	if again, _, _ := f.store.FindCalendars(t.Context(), f.ws.ID, tandem.CalendarFilter{}); len(again) != 1 {
		t.Errorf("a refused import left %d calendars, want 1", len(again))
	}

	f.do("DELETE", f.wsPrefix+"/baselines/"+bl.ID, "", nil, nil, 204)
	f.do("GET", f.wsPrefix+"/baselines/"+bl.ID, "", nil, nil, 404)
}

func TestSchedulePages(t *testing.T) {
	f := newPlanFixture(t)
	base := "/w/" + f.ws.Slug
	html, _ := f.page("GET", base+"/projects/"+f.portal.ID+"/gantt?zoom=days", "", nil, 200)
	for _, want := range []string{`<svg xmlns="http://www.w3.org/2000/svg" class="gantt"`, `data-zoom="days"`, `data-id="` + f.b.ID + `"`,
		"gantt.", `aria-current="true"`, "Portal build", "From another project: Accounts API"} {
		if !bytes.Contains(html, []byte(want)) {
			t.Errorf("Gantt page lacks %q", want)
		}
	}
	svg, hdr := f.page("GET", base+"/projects/"+f.portal.ID+"/gantt.svg?zoom=months", "", nil, 200)
	if !strings.HasPrefix(hdr.Get("Content-Type"), "image/svg+xml") || !bytes.HasPrefix(svg, []byte("<svg")) {
		t.Errorf("gantt.svg: %s %.60s", hdr.Get("Content-Type"), svg)
	}
	// Save a baseline from the page; the redirect shows the chart against it.
	_, hdr = f.page("POST", base+"/projects/"+f.portal.ID+"/baselines", "application/x-www-form-urlencoded",
		strings.NewReader(url.Values{"name": {"Kick-off"}, "zoom": {"weeks"}}.Encode()), 303)
	loc := hdr.Get("Location")
	if !strings.Contains(loc, "baseline=") || !strings.Contains(loc, "zoom=weeks") {
		t.Fatalf("redirect to %s", loc)
	}
	html, _ = f.page("GET", loc, "", nil, 200)
	if !bytes.Contains(html, []byte(`class="baseline"`)) || !bytes.Contains(html, []byte("Kick-off")) {
		t.Error("the chart does not show the baseline")
	}
	html, _ = f.page("GET", base+"/programs/"+f.program.ID+"/dependencies", "", nil, 200)
	for _, want := range []string{"Accounts API", "Portal build", "Customer portal"} {
		if !bytes.Contains(html, []byte(want)) {
			t.Errorf("program page lacks %q", want)
		}
	}
	f.page("GET", base+"/projects/import", "", nil, 200)

	// Import through the form.
	xml, _ := f.do("GET", f.wsPrefix+"/projects/"+f.portal.ID+"/export.xml", "", nil, nil, 200)
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("name", "From the form")
	fw, _ := mw.CreateFormFile("file", "plan.xml")
	fw.Write(xml)
	mw.Close()
	_, hdr = f.page("POST", base+"/projects/import", mw.FormDataContentType(), &body, 303)
	if !strings.Contains(hdr.Get("Location"), "/gantt") {
		t.Errorf("import redirect to %s", hdr.Get("Location"))
	}
	// A form without a file says so.
	body.Reset()
	mw = multipart.NewWriter(&body)
	mw.WriteField("name", "Nothing")
	mw.Close()
	html, _ = f.page("POST", base+"/projects/import", mw.FormDataContentType(), &body, 422)
	if !bytes.Contains(html, []byte("Choose an MS Project XML file")) {
		t.Errorf("no message for a missing file")
	}
}
