package projectplan

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/tandem-pm/tandem"
	"github.com/tandem-pm/tandem/gantt"
)

func d(s string) tandem.Date {
	v, err := tandem.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return v
}

// ids gives each short name a stable, valid ID.
var ids = map[string]string{}

func id(name string) string {
	if v, ok := ids[name]; ok {
		return v
	}
	v := tandem.NewID()
	ids[name] = v
	return v
}

func task(name string, days float64) *tandem.Item {
	return &tandem.Item{Meta: tandem.Meta{ID: id(name)}, Kind: tandem.KindTask, Title: name, Status: tandem.StatusPlanned, DurationDays: days, ProjectID: id("P1")}
}

func milestone(name string) *tandem.Item {
	it := task(name, 0)
	it.Kind = tandem.KindMilestone
	return it
}

func dep(from, to, typ string, lag float64) *tandem.Dependency {
	return &tandem.Dependency{Meta: tandem.Meta{ID: id(from + "→" + to)}, PredecessorID: id(from), SuccessorID: id(to), Type: typ, LagDays: lag}
}

var project = &tandem.Project{Meta: tandem.Meta{ID: id("P1")}, Name: "Portal", StartDate: d("2026-01-05")}

func TestWorkCalendar(t *testing.T) {
	for _, tc := range []struct {
		date, same string
	}{
		{"2026-01-10", "2026-01-12"}, // Saturday → Monday
		{"2026-01-11", "2026-01-12"}, // Sunday → Monday
		{"1969-12-27", "1969-12-29"}, // before the epoch
	} {
		if got, want := workIndex(d(tc.date)), workIndex(d(tc.same)); got != want {
			t.Errorf("workIndex(%s) = %d, want %d (as %s)", tc.date, got, want, tc.same)
		}
	}
	for day := d("1969-12-01"); day.Before(d("2026-03-01")); day = day.AddDays(1) {
		wd := day.Time().Weekday()
		if wd == 0 || wd == 6 {
			continue
		}
		if got := workDate(workIndex(day)); got != day {
			t.Fatalf("workDate(workIndex(%s)) = %s", day, got)
		}
	}
	if got := CountWorkDays(d("2026-01-05"), d("2026-01-16")); got != 10 {
		t.Errorf("working days in two weeks = %d, want 10", got)
	}
	if got := CountWorkDays(d("2026-01-09"), d("2026-01-12")); got != 2 {
		t.Errorf("Friday to Monday = %d working days, want 2", got)
	}
}

type want struct {
	es, ef     string
	tf, ff     int
	critical   bool
	ls, lf     string // optional
	skipFloats bool
}

func check(t *testing.T, s *Schedule, name string, w want) {
	t.Helper()
	x := s.Item(id(name))
	if x == nil {
		t.Fatalf("%s is not in the schedule", name)
	}
	if got := x.EarlyStart.String() + ".." + x.EarlyFinish.String(); got != w.es+".."+w.ef {
		t.Errorf("%s: early %s, want %s..%s", name, got, w.es, w.ef)
	}
	if !w.skipFloats && (x.TotalFloat != w.tf || x.FreeFloat != w.ff) {
		t.Errorf("%s: total/free float %d/%d, want %d/%d", name, x.TotalFloat, x.FreeFloat, w.tf, w.ff)
	}
	if x.Critical != w.critical {
		t.Errorf("%s: critical = %v, want %v", name, x.Critical, w.critical)
	}
	if w.ls != "" {
		if got := x.LateStart.String() + ".." + x.LateFinish.String(); got != w.ls+".."+w.lf {
			t.Errorf("%s: late %s, want %s..%s", name, got, w.ls, w.lf)
		}
	}
}

func TestScheduleChain(t *testing.T) {
	items := []*tandem.Item{task("A", 5), task("B", 3), milestone("M"), task("C", 2), task("D", 1.5)}
	deps := []*tandem.Dependency{dep("A", "B", "FS", 0), dep("B", "M", "FS", 0), dep("A", "C", "SS", 0), dep("C", "D", "FS", 1)}
	s, err := ScheduleProject(project, items, deps, nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	check(t, s, "A", want{es: "2026-01-05", ef: "2026-01-09", critical: true, ls: "2026-01-05", lf: "2026-01-09"})
	check(t, s, "B", want{es: "2026-01-12", ef: "2026-01-14", critical: true})
	check(t, s, "M", want{es: "2026-01-15", ef: "2026-01-15", critical: true})
	check(t, s, "C", want{es: "2026-01-05", ef: "2026-01-06", tf: 3, critical: false})
	// D: one day of lag after C, two days of work (1.5 rounds up); it ends
	// on Monday 12, three working days before the finish.
	check(t, s, "D", want{es: "2026-01-08", ef: "2026-01-09", tf: 3, ff: 3, ls: "2026-01-13", lf: "2026-01-14"})
	if got, want := s.Finish, d("2026-01-15"); got != want {
		t.Errorf("finish = %s, want %s", got, want)
	}
	if got, want := strings.Join(s.CriticalPath, ","), strings.Join([]string{id("A"), id("B"), id("M")}, ","); got != want {
		t.Errorf("critical path = %s, want A,B,M", got)
	}
	if len(s.Links) != 4 {
		t.Fatalf("got %d links, want 4", len(s.Links))
	}
	for _, l := range s.Links {
		wantCrit := l.SuccessorID == id("B") || l.SuccessorID == id("M")
		if l.Critical != wantCrit {
			t.Errorf("link %s: critical = %v, want %v", l.DependencyID, l.Critical, wantCrit)
		}
	}
}

func TestLinkTypes(t *testing.T) {
	for _, tc := range []struct {
		typ    string
		lag    float64
		es, ef string
	}{
		{"FS", 0, "2026-01-12", "2026-01-13"},
		{"FS", 2, "2026-01-14", "2026-01-15"},
		{"FS", -2, "2026-01-08", "2026-01-09"},
		{"SS", 2, "2026-01-07", "2026-01-08"},
		{"FF", 0, "2026-01-08", "2026-01-09"},
		{"FF", 3, "2026-01-13", "2026-01-14"},
		{"SF", 0, "2026-01-05", "2026-01-06"}, // cannot start before the project
		{"SF", 4, "2026-01-07", "2026-01-08"},
	} {
		t.Run(fmt.Sprintf("%s%+g", tc.typ, tc.lag), func(t *testing.T) {
			s, err := ScheduleProject(project, []*tandem.Item{task("A", 5), task("B", 2)}, []*tandem.Dependency{dep("A", "B", tc.typ, tc.lag)}, nil, Options{})
			if err != nil {
				t.Fatal(err)
			}
			check(t, s, "B", want{es: tc.es, ef: tc.ef, skipFloats: true, critical: s.Item(id("B")).Critical})
		})
	}
}

func TestConstraintsAnchorsSummaries(t *testing.T) {
	a, b, c := task("A", 5), task("B", 2), task("C", 1)
	b.PlannedStart = d("2026-01-17") // a Saturday: no earlier than the Monday after
	epic := task("Epic", 0)
	epic.Kind = tandem.KindEpic
	a.ParentID, b.ParentID = epic.ID, epic.ID
	ext := task("External", 5)
	ext.ProjectID = id("P2")
	ext.PlannedStart, ext.PlannedFinish = d("2026-01-12"), d("2026-01-23")
	deps := []*tandem.Dependency{dep("Epic", "C", "FS", 0), dep("External", "A", "FS", 0), dep("A", "External", "FS", 0)}
	s, err := ScheduleProject(project, []*tandem.Item{epic, a, b, c}, deps, []*tandem.Item{ext}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	check(t, s, "External", want{es: "2026-01-12", ef: "2026-01-23", skipFloats: true})
	check(t, s, "A", want{es: "2026-01-26", ef: "2026-01-30", critical: true})
	check(t, s, "B", want{es: "2026-01-19", ef: "2026-01-20", tf: 8, ff: 8})
	check(t, s, "C", want{es: "2026-02-02", ef: "2026-02-02", critical: true})
	check(t, s, "Epic", want{es: "2026-01-19", ef: "2026-01-30", critical: true, skipFloats: true})
	if x := s.Item(id("External")); !x.Anchor || x.Critical {
		t.Errorf("external: anchor %v critical %v, want an anchor off the critical path", x.Anchor, x.Critical)
	}
	var order []string
	for _, x := range s.Items {
		order = append(order, fmt.Sprintf("%s/%d", x.Title, x.Level))
	}
	if got, want := strings.Join(order, " "), "External/0 Epic/0 A/1 B/1 C/0"; got != want {
		t.Errorf("outline = %s, want %s", got, want)
	}
	if got := len(s.Links); got != 2 {
		t.Errorf("got %d links, want 2 (the epic's, once, and the anchor's; the outgoing one is ignored)", got)
	}
}

func TestStatusDateForecast(t *testing.T) {
	a, b := task("A", 5), task("B", 5)
	a.Progress = 40
	s, err := ScheduleProject(project, []*tandem.Item{a, b, task("C", 2)}, []*tandem.Dependency{dep("A", "C", "FS", 0)}, nil, Options{StatusDate: d("2026-01-08")})
	if err != nil {
		t.Fatal(err)
	}
	// A: 3 days of 5 remain from Thursday 8 → Monday 12.
	check(t, s, "A", want{es: "2026-01-05", ef: "2026-01-12", critical: true})
	// B has not started: it moves to the status date.
	check(t, s, "B", want{es: "2026-01-08", ef: "2026-01-14", critical: true, skipFloats: true})
	check(t, s, "C", want{es: "2026-01-13", ef: "2026-01-14", critical: true})
}

func TestCycle(t *testing.T) {
	_, err := ScheduleProject(project, []*tandem.Item{task("A", 1), task("B", 1)}, []*tandem.Dependency{dep("A", "B", "FS", 0), dep("B", "A", "FS", 0)}, nil, Options{})
	if tandem.ErrorCode(err) != tandem.EConflict || !strings.Contains(err.Error(), "A") {
		t.Errorf("err = %v, want a conflict naming A and B", err)
	}
}

func TestBaselineVarianceAndChart(t *testing.T) {
	items := []*tandem.Item{task("A", 5), task("B", 3)}
	deps := []*tandem.Dependency{dep("A", "B", "FS", 0)}
	s, err := ScheduleProject(project, items, deps, nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	b := s.Baseline(" Plan of record ")
	if b.Name != "Plan of record" || len(b.Items) != 2 {
		t.Fatalf("baseline = %+v", b)
	}
	if err := b.Validate(); err != nil {
		t.Fatal(err)
	}
	items[0].DurationDays = 7 // A slips two working days: B moves from Wed 14 to Fri 16
	s2, err := ScheduleProject(project, items, deps, nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	v := s2.Compare(b)
	if v.FinishDays != 2 {
		t.Errorf("project finish variance = %d, want 2", v.FinishDays)
	}
	got := map[string]ItemVariance{}
	for _, x := range v.Items {
		got[x.ItemID] = x
	}
	if x := got[id("A")]; x.StartDays != 0 || x.FinishDays != 2 {
		t.Errorf("A variance = %+v, want start 0, finish 2", x)
	}
	if x := got[id("B")]; x.StartDays != 2 || x.FinishDays != 2 {
		t.Errorf("B variance = %+v, want start 2, finish 2", x)
	}
	c := s2.Chart(ChartOptions{Title: "Portal", Zoom: gantt.Days, Baseline: b, Editable: true, ItemURL: func(id string) string { return "/items/" + id }})
	if len(c.Rows) != 2 || len(c.Links) != 1 {
		t.Fatalf("chart has %d rows and %d links", len(c.Rows), len(c.Links))
	}
	r := c.Rows[1]
	if !r.Movable || !r.Critical || r.BaselineFinish.IsZero() || !strings.Contains(r.Detail, "2 working days late") || r.Href != "/items/"+id("B") {
		t.Errorf("row B = %+v", r)
	}
	var buf bytes.Buffer
	if err := gantt.Render(&buf, c); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"2 working days late", `class="baseline"`, `data-id="` + id("B") + `"`} {
		if !strings.Contains(buf.String(), s) {
			t.Errorf("SVG lacks %q", s)
		}
	}
	for days, want := range map[int]string{0: "on time", 1: "1 working day late", -1: "1 working day early", 5: "5 working days late", -3: "3 working days early"} {
		if got := VarianceText(days); got != want {
			t.Errorf("VarianceText(%d) = %q, want %q", days, got, want)
		}
	}
}

func TestEmptyProject(t *testing.T) {
	s, err := ScheduleProject(project, nil, nil, nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if s.Start != d("2026-01-05") || s.Finish != s.Start || len(s.Items) != 0 {
		t.Errorf("empty schedule = %+v", s)
	}
}

func TestAnalyzeProgram(t *testing.T) {
	core := &tandem.Project{Meta: tandem.Meta{ID: id("core")}, Name: "Core API migration", StartDate: d("2026-01-05")}
	mobile := &tandem.Project{Meta: tandem.Meta{ID: id("mobile")}, Name: "Mobile app v2", StartDate: d("2026-01-05")}
	data := &tandem.Project{Meta: tandem.Meta{ID: id("data")}, Name: "Data platform", StartDate: d("2026-01-05"), EndDate: d("2026-01-20")}
	in := func(p *tandem.Project, it *tandem.Item) *tandem.Item { it.ProjectID = p.ID; return it }
	items := []*tandem.Item{
		in(core, task("X", 10)),
		in(mobile, task("Y", 5)), in(mobile, milestone("In stores")), in(mobile, task("Z", 18)),
		in(data, task("W", 5)),
		task("Elsewhere", 3), // in no project of the program
	}
	items[5].ProjectID = ""
	deps := []*tandem.Dependency{dep("X", "Y", "FS", 0), dep("Y", "In stores", "FS", 0), dep("X", "W", "FS", 0), dep("Elsewhere", "X", "FS", 0)}
	a, err := AnalyzeProgram([]*tandem.Project{core, mobile, data}, items, deps, ProgramOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if a.SlipDays != 10 {
		t.Errorf("slip = %d, want the default 10", a.SlipDays)
	}
	if len(a.Dependencies) != 2 {
		t.Fatalf("got %d cross-project dependencies, want 2: %+v", len(a.Dependencies), a.Dependencies)
	}
	first, second := a.Dependencies[0], a.Dependencies[1]
	// X → W: Data platform must end on Tue 20 Jan, so W must start by Wed 14;
	// X only finishes Fri 16: three working days too late, listed first.
	if first.SuccessorID != id("W") || !first.Conflict || first.SlackDays != -3 || first.NeededBy != d("2026-01-14") || first.ForecastFinish != d("2026-01-16") {
		t.Errorf("first = %+v, want the conflict X → W, 3 days short, needed by 14 Jan", first)
	}
	// X → Y: Mobile's own finish (Z, 18 days, last day Wed 28 Jan) puts its
	// milestone on Wed 28 at the latest, so Y must start by Wed 21: two
	// working days of slack.
	if second.SuccessorID != id("Y") || second.Conflict || second.SlackDays != 2 || second.NeededBy != d("2026-01-21") {
		t.Errorf("second = %+v, want X → Y needed by 21 Jan with 2 days of slack", second)
	}
	if second.PredecessorProject != "Core API migration" || second.SuccessorProject != "Mobile app v2" {
		t.Errorf("project names = %q → %q", second.PredecessorProject, second.SuccessorProject)
	}
	// If X slips 10 working days: Mobile's finish moves 8 (the slack absorbs
	// 2), its milestone 10; Data platform's 10.
	imp := map[string]Impact{}
	for _, x := range second.Impacts {
		imp[x.Name] = x
	}
	if m := imp["Mobile app v2"]; m.FinishDays != 8 || len(m.Milestones) != 1 || m.Milestones[0].Title != "In stores" || m.Milestones[0].Days != 10 {
		t.Errorf("impact on mobile = %+v", m)
	}
	if m := imp["Data platform"]; m.FinishDays != 10 {
		t.Errorf("impact on data = %+v", m)
	}
	if _, ok := imp["Core API migration"]; ok {
		t.Error("the slipping project is listed among the impacts")
	}
	fc := map[string]ProjectForecast{}
	for _, p := range a.Projects {
		fc[p.Name] = p
	}
	if p := fc["Data platform"]; p.LateDays != 3 || p.Target != d("2026-01-20") || p.Forecast != d("2026-01-23") {
		t.Errorf("data forecast = %+v", p)
	}
	if p := fc["Mobile app v2"]; p.LateDays != 0 || p.Forecast != d("2026-01-28") {
		t.Errorf("mobile forecast = %+v", p)
	}
}

// BenchmarkSchedule5000 measures what the Gantt page computes before it
// writes HTML: the schedule of 5,000 items (chains of ten under summaries
// of fifty, with a link across chains) by the engine, and its SVG.
func BenchmarkSchedule5000(b *testing.B) {
	const n = 5000
	pr := &tandem.Project{Meta: tandem.Meta{ID: tandem.NewID()}, Name: "Big", StartDate: d("2026-01-05")}
	items := make([]*tandem.Item, 0, n)
	var deps []*tandem.Dependency
	var parent string
	for i := range n {
		it := &tandem.Item{Meta: tandem.Meta{ID: tandem.NewID()}, Kind: tandem.KindTask, Title: fmt.Sprintf("Task %d", i),
			ProjectID: pr.ID, DurationDays: float64(1 + i%7), Progress: i % 3 * 30}
		if i%50 == 0 {
			it.Kind, it.DurationDays = tandem.KindEpic, 0
			parent = it.ID
		} else {
			it.ParentID = parent
			if i%10 != 1 {
				deps = append(deps, &tandem.Dependency{Meta: tandem.Meta{ID: tandem.NewID()}, PredecessorID: items[i-1].ID, SuccessorID: it.ID, Type: tandem.FinishToStart})
			}
			if i%10 == 1 && i > 50 {
				deps = append(deps, &tandem.Dependency{Meta: tandem.Meta{ID: tandem.NewID()}, PredecessorID: items[i-45].ID, SuccessorID: it.ID, Type: tandem.StartToStart, LagDays: 2})
			}
		}
		items = append(items, it)
	}
	var buf bytes.Buffer
	for b.Loop() {
		s, err := ScheduleProject(pr, items, deps, nil, Options{StatusDate: d("2026-03-02")})
		if err != nil {
			b.Fatal(err)
		}
		buf.Reset()
		if err := gantt.Render(&buf, s.Chart(ChartOptions{Zoom: gantt.Weeks, Today: d("2026-03-02"), Editable: true})); err != nil {
			b.Fatal(err)
		}
	}
}
