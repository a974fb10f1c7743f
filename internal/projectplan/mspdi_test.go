package projectplan

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/tandem-pm/tandem"
	"github.com/tandem-pm/tandem/internal/plannertest"
	"github.com/tandem-pm/tandem/mspdi"
	"github.com/tandem-pm/tandem/schedule"
)

func TestMSPDIRoundTrip(t *testing.T) {
	epic := task("Epic", 0)
	epic.Kind = tandem.KindEpic
	a, b, m := task("A & <B>", 5), task("B", 2.5), milestone("M")
	a.ParentID, b.ParentID = epic.ID, epic.ID
	a.Progress = 40
	b.PlannedStart = d("2026-01-19")
	items := []*tandem.Item{epic, a, b, m}
	deps := []*tandem.Dependency{dep("A & <B>", "B", "SS", 2), dep("Epic", "M", "FS", 0), dep("A & <B>", "M", "FF", -1)}
	s, err := ScheduleProject(project, items, deps, nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteMSPDI(&buf, ExportMSPDI(project, s, items, deps)); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), `<Project xmlns="http://schemas.microsoft.com/project">`) {
		t.Fatalf("not an MSPDI document:\n%s", buf.String()[:200])
	}
	for _, p := range mspdi.Check(buf.Bytes()) {
		t.Error(p)
	}
	f, err := mspdi.Read(&buf)
	if err != nil {
		t.Fatal(err)
	}
	imp, err := ImportMSPDI(f)
	if err != nil {
		t.Fatal(err)
	}
	if imp.Project.Name != "Portal" || imp.Project.StartDate != d("2026-01-05") {
		t.Errorf("project = %+v", imp.Project)
	}
	if len(imp.Items) != 4 || len(imp.Dependencies) != 3 {
		t.Fatalf("got %d items and %d dependencies, want 4 and 3", len(imp.Items), len(imp.Dependencies))
	}
	byTitle := map[string]*tandem.Item{}
	for _, it := range imp.Items {
		byTitle[it.Title] = it
		if it.ProjectID != imp.Project.ID || !tandem.IsID(it.ID) {
			t.Errorf("item %q: project %q id %q", it.Title, it.ProjectID, it.ID)
		}
	}
	if x := byTitle["Epic"]; x == nil || x.Kind != tandem.KindEpic {
		t.Errorf("epic = %+v", x)
	}
	if x := byTitle["A & <B>"]; x == nil || x.ParentID != byTitle["Epic"].ID || x.DurationDays != 5 || x.Progress != 40 || x.Status != tandem.StatusInProgress {
		t.Errorf("A = %+v", x)
	}
	if x := byTitle["B"]; x == nil || x.DurationDays != 3 || x.PlannedStart != d("2026-01-19") {
		t.Errorf("B = %+v (2.5 days are scheduled as 3 whole working days)", x)
	}
	if x := byTitle["M"]; x == nil || x.Kind != tandem.KindMilestone {
		t.Errorf("M = %+v", x)
	}
	// The imported plan schedules to the same dates.
	s2, err := ScheduleProject(imp.Project, imp.Items, imp.Dependencies, nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range s.Items {
		y := s2.Items[indexOfTitle(s2, x.Title)]
		if x.EarlyStart != y.EarlyStart || x.EarlyFinish != y.EarlyFinish {
			t.Errorf("%s: %s..%s before, %s..%s after the round trip", x.Title, x.EarlyStart, x.EarlyFinish, y.EarlyStart, y.EarlyFinish)
		}
	}
	types := map[string]float64{}
	for _, d := range imp.Dependencies {
		types[d.Type] = d.LagDays
	}
	if len(types) != 3 || types["SS"] != 2 || types["FF"] != -1 {
		t.Errorf("dependency types and lags = %v", types)
	}
}

func indexOfTitle(s *Schedule, title string) int {
	for i, x := range s.Items {
		if x.Title == title {
			return i
		}
	}
	return -1
}

func TestImportMSPDIRejectsGarbage(t *testing.T) {
	f, err := mspdi.Read(strings.NewReader(`<Project xmlns="http://schemas.microsoft.com/project"><StartDate>not a date</StartDate></Project>`))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ImportMSPDI(f); tandem.ErrorCode(err) != tandem.EInvalid {
		t.Errorf("err = %v, want EInvalid", err)
	}
}

// exportPortal schedules a small project (an epic of A, 5 days under way at
// 40 %, and B, 2 days done, then a milestone M) from Monday 5 January 2026
// on the built-in calendar (09:00-13:00, 14:00-18:00) and exports it with
// two baselines.
func exportPortal(t *testing.T) (*mspdi.File, []byte) {
	t.Helper()
	epic := task("Epic", 0)
	epic.Kind = tandem.KindEpic
	a, b, m := task("A", 5), task("B", 2), milestone("M")
	a.ParentID, b.ParentID = epic.ID, epic.ID
	a.Progress, a.Status = 40, tandem.StatusInProgress
	b.Status = tandem.StatusDone
	items := []*tandem.Item{epic, a, b, m}
	deps := []*tandem.Dependency{dep("A", "B", "FS", 0), dep("B", "M", "FS", 0)}
	s, err := ScheduleProject(project, items, deps, nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	// The newest baseline first, as FindBaselines lists them: "Replan"
	// has B a day later (and no M); "Original" has A a week earlier.
	replan := &tandem.Baseline{Name: "Replan", Items: []tandem.BaselineItem{
		{ItemID: a.ID, Start: d("2026-01-05"), Finish: d("2026-01-09")},
		{ItemID: b.ID, Start: d("2026-01-13"), Finish: d("2026-01-14")}}}
	original := &tandem.Baseline{Name: "Original", Items: []tandem.BaselineItem{
		{ItemID: a.ID, Start: d("2025-12-29"), Finish: d("2026-01-02")},
		{ItemID: m.ID, Start: d("2026-01-07"), Finish: d("2026-01-07")}}}
	f := ExportMSPDI(project, s, items, deps, replan, original)
	var buf bytes.Buffer
	if err := WriteMSPDI(&buf, f); err != nil {
		t.Fatal(err)
	}
	return f, buf.Bytes()
}

// The export writes the baselines (the newest as Baseline 0) and progress
// as MS Project would have them, and importing the file gives the
// baselines back, oldest first.
func TestMSPDIExportBaselinesAndProgress(t *testing.T) {
	_, doc := exportPortal(t)
	f, err := mspdi.Read(bytes.NewReader(doc))
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		name, pct, actualStart, actualFinish string
		baselines                            []string
	}
	var got []row
	for _, x := range f.Tasks {
		r := row{name: x.Name, pct: x.PercentComplete, actualStart: x.ActualStart, actualFinish: x.ActualFinish}
		for _, b := range x.Baselines {
			r.baselines = append(r.baselines, strings.Join([]string{b.Number, b.Start, b.Finish, b.Duration, b.DurationFormat, b.Work}, " "))
		}
		got = append(got, r)
	}
	// By hand: A runs 5-9 January, B 12-13 January (done), M on 14
	// January; a working day is 09:00-18:00, 8 hours. The epic's progress
	// is the app's roll-up; it has no actuals of its own.
	want := []row{
		{name: "Epic", pct: got[0].pct},
		{name: "A", pct: "40", actualStart: "2026-01-05T09:00:00", baselines: []string{
			"0 2026-01-05T09:00:00 2026-01-09T18:00:00 PT40H0M0S 7 PT0H0M0S",
			"1 2025-12-29T09:00:00 2026-01-02T18:00:00 PT40H0M0S 7 PT0H0M0S"}},
		{name: "B", pct: "100", actualStart: "2026-01-12T09:00:00", actualFinish: "2026-01-13T18:00:00", baselines: []string{
			"0 2026-01-13T09:00:00 2026-01-14T18:00:00 PT16H0M0S 7 PT0H0M0S"}},
		{name: "M", pct: "0", baselines: []string{
			"1 2026-01-07T09:00:00 2026-01-07T09:00:00 PT0H0M0S 7 PT0H0M0S"}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("tasks written:\n %+v\nwant\n %+v", got, want)
	}

	imp, err := ImportMSPDI(f)
	if err != nil {
		t.Fatal(err)
	}
	title := map[string]string{}
	for _, it := range imp.Items {
		title[it.ID] = it.Title
	}
	var bl []string
	for _, b := range imp.Baselines {
		if b.ProjectID != imp.Project.ID {
			t.Errorf("baseline %s of project %s, want %s", b.Name, b.ProjectID, imp.Project.ID)
		}
		for _, bi := range b.Items {
			bl = append(bl, b.Name+" "+title[bi.ItemID]+" "+bi.Start.String()+".."+bi.Finish.String())
		}
	}
	wantBL := []string{
		"Baseline1 A 2025-12-29..2026-01-02", "Baseline1 M 2026-01-07..2026-01-07",
		"Baseline A 2026-01-05..2026-01-09", "Baseline B 2026-01-13..2026-01-14",
	}
	if !reflect.DeepEqual(bl, wantBL) {
		t.Errorf("imported baselines %q, want %q", bl, wantBL)
	}
	if x := imp.Items[2]; x.Title != "B" || x.Status != tandem.StatusDone || x.Progress != 100 {
		t.Errorf("B imported as %+v, want done at 100 %%", x)
	}
}

// Only eleven baselines fit in a task: the newest eleven are written.
func TestMSPDIExportKeepsElevenBaselines(t *testing.T) {
	a := task("A", 1)
	s, err := ScheduleProject(project, []*tandem.Item{a}, nil, nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var bs []*tandem.Baseline
	for i := range 13 {
		bs = append(bs, &tandem.Baseline{Name: fmt.Sprint(i), Items: []tandem.BaselineItem{{ItemID: a.ID, Start: d("2026-01-05").AddDays(i), Finish: d("2026-01-05").AddDays(i)}}})
	}
	f := ExportMSPDI(project, s, []*tandem.Item{a}, nil, bs...)
	got := f.Tasks[0].Baselines
	if len(got) != 11 || got[10].Number != "10" || got[10].Start != "2026-01-15T09:00:00" {
		t.Errorf("baselines %+v, want 0..10, the 11th newest (starting 15 January) as Baseline10", got)
	}
}

// MS Project writes some finishes at the start of the next working day;
// such a baseline finish is imported as the working day before.
func TestLastWorkDay(t *testing.T) {
	c := schedule.StandardCalendar() // 08:00-12:00, 13:00-17:00, Monday to Friday
	at := func(s string) time.Time { v, _ := mspdi.ParseTime(s); return v }
	for _, tc := range []struct{ start, finish, want string }{
		{"2026-01-05T08:00:00", "2026-01-09T17:00:00", "2026-01-09"},
		{"2026-01-05T08:00:00", "2026-01-12T08:00:00", "2026-01-09"}, // Monday 08:00: Friday
		{"2026-01-05T08:00:00", "2026-01-07T00:00:00", "2026-01-06"},
		{"2026-01-05T08:00:00", "2026-01-05T08:00:00", "2026-01-05"}, // a milestone
		{"2026-01-05T08:00:00", "2026-01-05T10:00:00", "2026-01-05"},
	} {
		if got := lastWorkDay(&c, at(tc.start), at(tc.finish)).Format(time.DateOnly); got != tc.want {
			t.Errorf("lastWorkDay(%s, %s) = %s, want %s", tc.start, tc.finish, got, tc.want)
		}
	}
}

// demoLike is a project like the demo's: two epics (one nested), tasks
// and milestones, every link type with leads and lags, a predecessor in
// another project, the UK calendar (holidays and a short day), progress
// at a status date, and two baselines taken from its own schedule.
func demoLike(t *testing.T) (*tandem.Project, *Schedule, []*tandem.Item, []*tandem.Dependency, []*tandem.Baseline) {
	t.Helper()
	pr := &tandem.Project{Meta: tandem.Meta{ID: id("P1")}, Name: "Digital onboarding", StartDate: d("2026-11-02")}
	epic := func(name string) *tandem.Item { e := task(name, 0); e.Kind = tandem.KindEpic; return e }
	discovery, build, api := epic("Discovery"), epic("Build"), epic("API")
	research, design := task("Research", 5), task("Design", 8)
	backend, auth, frontend, qa := task("Backend", 12), task("Auth", 4), task("Frontend", 10), task("QA", 6)
	kickoff, launch := milestone("Kick-off"), milestone("Launch")
	research.ParentID, design.ParentID = discovery.ID, discovery.ID
	api.ParentID, frontend.ParentID, qa.ParentID = build.ID, build.ID, build.ID
	backend.ParentID, auth.ParentID = api.ID, api.ID
	research.Status, research.Progress = tandem.StatusDone, 100
	design.Status, design.Progress = tandem.StatusInProgress, 60
	auth.PlannedStart = d("2026-12-01")
	other := task("Vendor contract", 3)
	other.ProjectID, other.PlannedStart, other.PlannedFinish = id("P2"), d("2026-11-09"), d("2026-11-11")
	items := []*tandem.Item{kickoff, discovery, research, design, build, api, backend, auth, frontend, qa, launch}
	deps := []*tandem.Dependency{
		dep("Kick-off", "Research", tandem.FinishToStart, 0), dep("Research", "Design", tandem.StartToStart, 2),
		dep("Discovery", "Build", tandem.FinishToStart, 1), dep("Backend", "Auth", tandem.FinishToFinish, -1),
		dep("Backend", "Frontend", tandem.StartToStart, 3), dep("Frontend", "QA", tandem.FinishToStart, -2),
		dep("QA", "Launch", tandem.FinishToStart, 0), dep("Vendor contract", "Backend", tandem.FinishToStart, 0),
		dep("Auth", "QA", tandem.StartToFinish, 0),
	}
	opt := Options{Calendar: ukCalendar()}
	first, err := ScheduleProject(pr, items, deps, []*tandem.Item{other}, opt)
	if err != nil {
		t.Fatal(err)
	}
	original := first.Baseline("Original")
	opt.StatusDate = d("2026-11-16")
	s, err := ScheduleProject(pr, items, deps, []*tandem.Item{other}, opt)
	if err != nil {
		t.Fatal(err)
	}
	return pr, s, items, deps, []*tandem.Baseline{s.Baseline("Re-plan"), original}
}

// The exports pass mspdi.Check (namespace, SaveVersion, numeric unique
// UIDs, outline numbers and levels, durations, dates without a zone,
// calendar and task references, flags; see mspdi.Check): the small project
// above and the demo-like one.
func TestWrittenFileIsWellFormedMSPDI(t *testing.T) {
	_, portal := exportPortal(t)
	pr, s, items, deps, bs := demoLike(t)
	var demo bytes.Buffer
	if err := WriteMSPDI(&demo, ExportMSPDI(pr, s, items, deps, bs...)); err != nil {
		t.Fatal(err)
	}
	for name, doc := range map[string][]byte{"portal": portal, "demo-like": demo.Bytes()} {
		for _, p := range mspdi.Check(doc) {
			t.Errorf("%s: %s", name, p)
		}
		if !bytes.Contains(doc, []byte("<SaveVersion>14</SaveVersion>")) {
			t.Errorf("%s: no SaveVersion", name)
		}
	}
	if n := strings.Count(demo.String(), "<Baseline>"); n != 2*len(items) {
		t.Errorf("%d baselines written, want 2 for each of %d items", n, len(items))
	}
}

// GNOME Planner's import of MS Project XML (msp2planner.xsl, run by
// xsltproc; see docs/schedule-format.md) reads the demo-like export: every
// item as a task under its epic, milestones as milestones, and every link
// between the project's own items. Skips without xsltproc or the
// stylesheet.
func TestPlannerImportsExport(t *testing.T) {
	plannertest.Require(t)
	pr, s, items, deps, bs := demoLike(t)
	var buf bytes.Buffer
	if err := WriteMSPDI(&buf, ExportMSPDI(pr, s, items, deps, bs...)); err != nil {
		t.Fatal(err)
	}
	pf := plannertest.Import(t, buf.Bytes())
	byID := map[string]*tandem.Item{}
	for _, it := range items {
		byID[it.ID] = it
	}
	var got []string
	links := 0
	var walk func(ts []plannertest.Task, parent string)
	walk = func(ts []plannertest.Task, parent string) {
		for _, pt := range ts {
			got = append(got, parent+"/"+pt.Name+" "+pt.Type)
			links += len(pt.Preds)
			walk(pt.Tasks, pt.Name)
		}
	}
	walk(pf.Tasks, "")
	var want []string
	for _, x := range s.Items {
		if x.Anchor {
			continue
		}
		parent, typ := "", "normal"
		if p := byID[x.ParentID]; p != nil {
			parent = p.Title
		}
		if x.Milestone {
			typ = "milestone"
		}
		want = append(want, parent+"/"+x.Title+" "+typ)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Planner reads tasks\n %q\nwant\n %q", got, want)
	}
	if own := len(deps) - 1; links != own { // the link from another project is not exported
		t.Errorf("Planner reads %d links, want %d", links, own)
	}
}

// MS Project's baselines.xml (../shared/data/mspdi) has Baseline1..10 on
// its one task, each starting a day later (2001-01-01..10) and, oddly,
// finishing a year before it starts: the import keeps their starts and
// leaves those finishes out.
func TestImportMSProjectBaselines(t *testing.T) {
	path := filepath.Join("..", "..", "..", "shared", "data", "mspdi", "baselines.xml")
	if _, err := os.Stat(path); err != nil {
		t.Skipf("MS Project sample files not present: %v", err)
	}
	f, err := mspdi.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	imp, err := ImportMSPDI(f)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, b := range imp.Baselines {
		for _, bi := range b.Items {
			got = append(got, fmt.Sprintf("%s %s %v", b.Name, bi.Start, bi.Finish.IsZero()))
		}
	}
	var want []string
	for n := 10; n >= 1; n-- {
		want = append(want, fmt.Sprintf("Baseline%d 2001-01-%02d true", n, n))
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("baselines %q, want %q", got, want)
	}
}
