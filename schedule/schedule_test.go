package schedule

import (
	"context"
	"errors"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

var monday = time.Date(2024, 3, 4, 8, 0, 0, 0, time.UTC) // a Monday

func day(n float64) int64 { return int64(n * 480) }

func mustSchedule(t *testing.T, p *Project) *Result {
	t.Helper()
	r, err := Schedule(p)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func byID(r *Result, id string) TaskResult {
	for _, t := range r.Tasks {
		if t.ID == id {
			return t
		}
	}
	panic("no task " + id)
}

func TestLinkTypes(t *testing.T) {
	tests := []struct {
		name       string
		link       Link
		wantStartB string
		wantFinB   string
	}{
		{"FS", Link{From: "A", To: "B", Type: FS}, "2024-03-07T08:00:00", "2024-03-08T17:00:00"},
		{"FS lag 1d", Link{From: "A", To: "B", Type: FS, Lag: day(1)}, "2024-03-08T08:00:00", "2024-03-11T17:00:00"},
		{"FS lead 1d", Link{From: "A", To: "B", Type: FS, Lag: -day(1)}, "2024-03-06T08:00:00", "2024-03-07T17:00:00"},
		{"FS lag 50%", Link{From: "A", To: "B", Type: FS, LagPercent: 50}, "2024-03-08T13:00:00", "2024-03-12T12:00:00"},
		{"SS lag 1d", Link{From: "A", To: "B", Type: SS, Lag: day(1)}, "2024-03-05T08:00:00", "2024-03-06T17:00:00"},
		{"FF", Link{From: "A", To: "B", Type: FF}, "2024-03-05T08:00:00", "2024-03-06T17:00:00"},
		{"SF lag 3d", Link{From: "A", To: "B", Type: SF, Lag: day(3)}, "2024-03-05T08:00:00", "2024-03-06T17:00:00"},
		{"SF clamped at start", Link{From: "A", To: "B", Type: SF}, "2024-03-04T08:00:00", "2024-03-05T17:00:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := &Project{Start: monday, Tasks: []Task{{ID: "A", Duration: day(3)}, {ID: "B", Duration: day(2)}}, Links: []Link{tt.link}}
			b := byID(mustSchedule(t, p), "B")
			if got := FormatDate(b.Start); got != tt.wantStartB {
				t.Errorf("start B = %s, want %s", got, tt.wantStartB)
			}
			if got := FormatDate(b.Finish); got != tt.wantFinB {
				t.Errorf("finish B = %s, want %s", got, tt.wantFinB)
			}
		})
	}
}

func TestFloatAndCriticalPath(t *testing.T) {
	// A(2d) -> C(3d); B(1d) -> C; C -> D(1d); E(1d) alone.
	p := &Project{Start: monday, Tasks: []Task{
		{ID: "A", Duration: day(2)}, {ID: "B", Duration: day(1)}, {ID: "C", Duration: day(3)},
		{ID: "D", Duration: day(1)}, {ID: "E", Duration: day(1)}, {ID: "M", Milestone: true},
	}, Links: []Link{{From: "A", To: "C"}, {From: "B", To: "C"}, {From: "C", To: "D"}, {From: "D", To: "M"}}}
	r := mustSchedule(t, p)
	want := map[string][2]int64{"A": {0, 0}, "B": {day(1), day(1)}, "C": {0, 0}, "D": {0, 0}, "E": {day(5), day(5)}, "M": {0, 0}}
	for id, w := range want {
		got := byID(r, id)
		if got.TotalFloat != w[0] || got.FreeFloat != w[1] {
			t.Errorf("%s: total/free float = %d/%d, want %d/%d", id, got.TotalFloat, got.FreeFloat, w[0], w[1])
		}
	}
	if got, want := r.CriticalPath, []string{"A", "C", "D", "M"}; !reflect.DeepEqual(got, want) {
		t.Errorf("critical path = %v, want %v", got, want)
	}
	if got := FormatDate(r.Finish); got != "2024-03-11T17:00:00" {
		t.Errorf("finish = %s", got)
	}
	if m := byID(r, "M"); FormatDate(m.Start) != "2024-03-12T08:00:00" || !m.Finish.Equal(m.Start) {
		t.Errorf("milestone at %s-%s", FormatDate(m.Start), FormatDate(m.Finish))
	}
}

func TestConstraintsAndDeadlines(t *testing.T) {
	date := func(s string) time.Time { d, _ := ParseDate(s); return d }
	tests := []struct {
		name      string
		task      Task
		wantStart string
		wantFloat int64
	}{
		{"SNET on a Saturday moves to Monday", Task{Constraint: SNET, ConstraintDate: date("2024-03-09T08:00:00")}, "2024-03-11T08:00:00", 0},
		{"FNET", Task{Constraint: FNET, ConstraintDate: date("2024-03-08T17:00:00")}, "2024-03-07T08:00:00", 0},
		{"MSO", Task{Constraint: MSO, ConstraintDate: date("2024-03-12T08:00:00")}, "2024-03-12T08:00:00", 0},
		{"SNLT met", Task{Constraint: SNLT, ConstraintDate: date("2024-03-12T08:00:00")}, "2024-03-06T08:00:00", 0},
		{"SNLT missed", Task{Constraint: SNLT, ConstraintDate: date("2024-03-05T08:00:00")}, "2024-03-06T08:00:00", -day(1)},
		{"FNLT missed", Task{Constraint: FNLT, ConstraintDate: date("2024-03-06T17:00:00")}, "2024-03-06T08:00:00", -day(1)},
		{"deadline missed", Task{Deadline: date("2024-03-06T17:00:00")}, "2024-03-06T08:00:00", -day(1)},
		{"deadline met", Task{Deadline: date("2024-03-20T17:00:00")}, "2024-03-06T08:00:00", 0},
		{"MFO", Task{Constraint: MFO, ConstraintDate: date("2024-03-14T17:00:00")}, "2024-03-13T08:00:00", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := tt.task
			b.ID, b.Duration = "B", day(2)
			p := &Project{Start: monday, Tasks: []Task{{ID: "A", Duration: day(2)}, b}, Links: []Link{{From: "A", To: "B"}}}
			r := mustSchedule(t, p)
			got := byID(r, "B")
			if FormatDate(got.Start) != tt.wantStart || got.TotalFloat != tt.wantFloat {
				t.Errorf("B starts %s float %d, want %s float %d", FormatDate(got.Start), got.TotalFloat, tt.wantStart, tt.wantFloat)
			}
			if (tt.wantFloat < 0) != slices.Contains(r.Late, "B") {
				t.Errorf("Late = %v", r.Late)
			}
		})
	}
}

func TestALAP(t *testing.T) {
	p := &Project{Start: monday, Tasks: []Task{{ID: "A", Duration: day(5)}, {ID: "B", Duration: day(1), Constraint: ALAP}}}
	b := byID(mustSchedule(t, p), "B")
	if FormatDate(b.Start) != "2024-03-08T08:00:00" || FormatDate(b.EarlyStart) != "2024-03-04T08:00:00" {
		t.Errorf("ALAP task at %s (early %s)", FormatDate(b.Start), FormatDate(b.EarlyStart))
	}
}

func TestSummaryRollUpAndLinks(t *testing.T) {
	p := &Project{Start: monday, Tasks: []Task{
		{ID: "S"}, {ID: "A", Parent: "S", Duration: day(2)}, {ID: "B", Parent: "S", Duration: day(4)},
		{ID: "C", Duration: day(1)},
	}, Links: []Link{{From: "S", To: "C"}}}
	r := mustSchedule(t, p)
	s, c := byID(r, "S"), byID(r, "C")
	if !s.Summary || s.ES != 0 || s.EF != day(4) || s.TotalFloat != 0 {
		t.Errorf("summary = %+v", s)
	}
	if c.ES != day(4) {
		t.Errorf("C starts at %d, want after the whole summary (%d)", c.ES, day(4))
	}
	if a := byID(r, "A"); a.TotalFloat != day(2) {
		t.Errorf("A float %d", a.TotalFloat)
	}
}

func TestCycleNamesEveryTask(t *testing.T) {
	p := &Project{Start: monday, Tasks: []Task{{ID: "A"}, {ID: "B"}, {ID: "C"}, {ID: "D"}, {ID: "E"}},
		Links: []Link{{From: "A", To: "B"}, {From: "B", To: "C"}, {From: "C", To: "A"}, {From: "C", To: "D"}, {From: "E", To: "E"}}}
	_, err := Schedule(p)
	var ce *CycleError
	if !errors.As(err, &ce) {
		t.Fatalf("err = %v, want a CycleError", err)
	}
	if got, want := ce.Labels, []string{"A", "B", "C", "E"}; !reflect.DeepEqual(got, want) {
		t.Errorf("cycle names %v, want %v", got, want)
	}
	if !strings.Contains(err.Error(), "A, B, C, E") {
		t.Errorf("message %q", err)
	}
}

func TestErrors(t *testing.T) {
	tests := []struct {
		name string
		p    Project
		want string
	}{
		{"no start", Project{Tasks: []Task{{ID: "A"}}}, "no start"},
		{"unknown link", Project{Start: monday, Tasks: []Task{{ID: "A"}}, Links: []Link{{From: "A", To: "X"}}}, `unknown successor "X"`},
		{"duplicate", Project{Start: monday, Tasks: []Task{{ID: "A"}, {ID: "A"}}}, "two tasks"},
		{"bad parent", Project{Start: monday, Tasks: []Task{{ID: "A", Parent: "Z"}}}, "parent"},
		{"no working time", Project{Start: monday, Calendars: []Calendar{{ID: "x"}}, Tasks: []Task{{ID: "A"}}}, "no working time"},
		{"constraint without date", Project{Start: monday, Tasks: []Task{{ID: "A", Constraint: SNET}}}, "needs a date"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Schedule(&tt.p)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestCalendarHolidaysAndHours(t *testing.T) {
	hol := time.Date(2024, 3, 6, 0, 0, 0, 0, time.UTC)
	cal := StandardCalendar(hol)
	cal.Exceptions = append(cal.Exceptions, Exception{From: time.Date(2024, 3, 9, 0, 0, 0, 0, time.UTC), To: time.Date(2024, 3, 9, 0, 0, 0, 0, time.UTC), Working: []Span{{9 * 60, 13 * 60}}})
	p := &Project{Start: monday, Calendars: []Calendar{cal}, Tasks: []Task{{ID: "A", Duration: day(4) + 120}}}
	a := byID(mustSchedule(t, p), "A")
	// Mon, Tue, (Wed holiday), Thu, Fri = 4 days, then 2 hours on Saturday 9-11.
	if got := FormatDate(a.Finish); got != "2024-03-09T11:00:00" {
		t.Errorf("finish = %s", got)
	}
	tl := newTimeline(&cal, monday)
	for w := int64(-3000); w < 20000; w += 37 {
		if got := tl.Work(tl.StartTime(w)); got != w {
			t.Fatalf("Work(StartTime(%d)) = %d", w, got)
		}
		if got := tl.Work(tl.FinishTime(w)); got != w {
			t.Fatalf("Work(FinishTime(%d)) = %d (%s)", w, got, tl.FinishTime(w))
		}
	}
}

func TestScheduleDays(t *testing.T) {
	res, err := ScheduleDays(time.Date(2024, 3, 4, 0, 0, 0, 0, time.UTC),
		[]DayTask{{"design", 3}, {"build", 5}, {"launch", 0}},
		[]DayLink{{From: "design", To: "build"}, {From: "build", To: "launch"}},
		[]time.Time{time.Date(2024, 3, 11, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	got := []string{}
	for _, r := range res {
		got = append(got, r.Start.Format(time.DateOnly)+".."+r.Finish.Format(time.DateOnly))
	}
	want := []string{"2024-03-04..2024-03-06", "2024-03-07..2024-03-14", "2024-03-15..2024-03-15"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	if !res[1].Critical {
		t.Error("build should be critical")
	}
}

// TestIncrementalMatchesFull changes random durations and checks that the
// incremental update leaves exactly what a full recompute gives.
func TestIncrementalMatchesFull(t *testing.T) {
	dur, edges := genNetwork(2000, 1)
	inc, err := NewNetwork(slices.Clone(dur), edges)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(2, 3))
	for i := range 300 {
		v := rng.IntN(len(dur))
		d := int64(rng.IntN(20)) * 240
		if err := inc.SetDuration(v, d); err != nil {
			t.Fatal(err)
		}
		dur[v] = d
		full, err := NewNetwork(slices.Clone(dur), edges)
		if err != nil {
			t.Fatal(err)
		}
		if inc.Finish() != full.Finish() {
			t.Fatalf("step %d: finish %d, want %d", i, inc.Finish(), full.Finish())
		}
		for u := range dur {
			if inc.ES(u) != full.ES(u) || inc.LS(u) != full.LS(u) || inc.FreeFloat(u) != full.FreeFloat(u) {
				t.Fatalf("step %d task %d: ES/LS %d/%d, want %d/%d", i, u, inc.ES(u), inc.LS(u), full.ES(u), full.LS(u))
			}
		}
	}
}

func TestSimulateDeterministic(t *testing.T) {
	dur, edges := genNetwork(500, 4)
	net, err := NewNetwork(dur, edges)
	if err != nil {
		t.Fatal(err)
	}
	est := make([]*Estimate, len(dur))
	for v, d := range dur {
		est[v] = &Estimate{d * 8 / 10, d, d * 2}
	}
	run := func(workers int, dist Distribution) *SimResult {
		r, err := net.Simulate(context.Background(), est, []int{499}, SimOptions{Iterations: 300, Seed: 9, Workers: workers, Distribution: dist})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	for _, dist := range []Distribution{Triangular, PERT} {
		a, b := run(1, dist), run(2, dist)
		if !reflect.DeepEqual(a, b) {
			t.Errorf("dist %d: result depends on the number of workers", dist)
		}
		if a.Finish.P50 > a.Finish.P80 || a.Finish.P80 > a.Finish.P95 {
			t.Errorf("percentiles out of order: %+v", a.Finish)
		}
		if a.Finish.P50 < net.Finish()*8/10 {
			t.Errorf("P50 %d below the optimistic bound", a.Finish.P50)
		}
		for v, c := range a.Criticality {
			if c < 0 || c > 1 {
				t.Fatalf("criticality of %d = %v", v, c)
			}
		}
	}
}

func TestJSONRoundTrip(t *testing.T) {
	in := `{
  "name": "Launch",
  "start": "2024-03-04T08:00:00",
  "status_date": "2024-03-04T08:00:00",
  "move_unstarted_after_status": true,
  "calendars": [{"id": "std", "week": {"mon": [["08:00","12:00"],["13:00","17:00"]], "tue": [["08:00","12:00"],["13:00","17:00"]],
     "wed": [["08:00","12:00"],["13:00","17:00"]], "thu": [["08:00","12:00"],["13:00","17:00"]], "fri": [["08:00","12:00"],["13:00","17:00"]]},
     "exceptions": [{"from": "2024-03-08"}]}],
  "resources": [{"id": "dev", "capacity": 2}],
  "tasks": [
    {"id": "A", "name": "Design", "duration": "3d", "estimate": {"optimistic": "2d", "most_likely": "3d", "pessimistic": "6d"}},
    {"id": "B", "name": "Build", "duration": "16h", "demands": [{"resource": "dev", "units": 1, "work": "16h"}], "deadline": "2024-03-08", "ignore_resource_calendar": true},
    {"id": "M", "name": "Done", "milestone": true, "constraint": {"type": "SNET", "date": "2024-03-04"}}
  ],
  "links": [{"from": "A", "to": "B", "type": "FS", "lag": "50%"}, {"from": "B", "to": "M"}]
}`
	p, err := ReadJSON(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	r := mustSchedule(t, p)
	if got := FormatDate(byID(r, "B").Finish); got != "2024-03-13T12:00:00" {
		t.Errorf("B finishes %s", got)
	}
	var buf strings.Builder
	if err := WriteJSON(&buf, p); err != nil {
		t.Fatal(err)
	}
	p2, err := ReadJSON(strings.NewReader(buf.String()))
	if err != nil {
		t.Fatalf("re-read: %v\n%s", err, buf.String())
	}
	if !reflect.DeepEqual(p, p2) {
		t.Errorf("round trip differs:\n%+v\n%+v", p, p2)
	}
	for _, bad := range []string{`{"start": "x", "tasks": []}`, `{"start": "2024-03-04", "tasks": [{"id": "A", "duration": "3"}]}`, `{"start": "2024-03-04", "tasks": [], "extra": 1}`,
		`{"start": "2024-03-04", "tasks": [{"id": "A"}], "links": [{"from": "A", "to": "A", "type": "XX"}]}`} {
		if _, err := ReadJSON(strings.NewReader(bad)); err == nil {
			t.Errorf("ReadJSON(%s) accepted", bad)
		}
	}
}
