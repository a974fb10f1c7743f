package schedule

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"time"
)

// netFromBytes decodes fuzz input into a small network with constraints.
func netFromBytes(data []byte) (dur []int64, edges []Edge, ctype []ConstraintType, cat, dl []int64) {
	if len(data) == 0 {
		return
	}
	n := int(data[0])%24 + 1
	data = data[1:]
	next := func() int {
		if len(data) == 0 {
			return 0
		}
		b := data[0]
		data = data[1:]
		return int(b)
	}
	dur = make([]int64, n)
	ctype = make([]ConstraintType, n)
	cat = make([]int64, n)
	dl = filled(n, NoTime)
	for v := range n {
		dur[v] = int64(next()%10) * 60
		if c := next(); c%4 == 0 {
			ctype[v] = ConstraintType(c / 4 % 8)
			cat[v] = int64(next()) * 30
		}
		if next()%5 == 0 {
			dl[v] = int64(next()) * 40
		}
	}
	for len(data) >= 4 {
		a, b := next()%n, next()%n
		if a > b {
			a, b = b, a
		}
		if a == b {
			continue
		}
		e := Edge{From: int32(a), To: int32(b), Type: LinkType(next() % 4), Lag: int32(next()%9-4) * 60}
		edges = append(edges, e)
	}
	return
}

func checkInvariants(t *testing.T, w *Network, ctype []ConstraintType, dl []int64) {
	t.Helper()
	for v := range w.Len() {
		es := w.ES(v)
		if es < 0 {
			t.Fatalf("task %d starts before the project (%d)", v, es)
		}
		if req := w.Required(v); req != NoTime && es < req {
			t.Fatalf("task %d starts at %d before its links allow (%d)", v, es, req)
		}
		if w.EF(v) > w.Finish() {
			t.Fatalf("task %d finishes after the project", v)
		}
		constrained := w.bound[v] != math.MaxInt64
		if tf := w.TotalFloat(v); tf < 0 && !constrained {
			t.Fatalf("task %d: negative float %d with no constraint or deadline downstream", v, tf)
		}
		if !constrained && w.ES(v) > w.LS(v) {
			t.Fatalf("task %d: early start %d after late start %d", v, w.ES(v), w.LS(v))
		}
		if w.FreeFloat(v) > w.TotalFloat(v) && w.TotalFloat(v) >= 0 {
			t.Fatalf("task %d: free float %d above total float %d", v, w.FreeFloat(v), w.TotalFloat(v))
		}
	}
	_ = ctype
	_ = dl
}

// FuzzNetwork checks the scheduling invariants on arbitrary small networks:
// no task starts before its links allow, float is negative only under a
// constraint or deadline, early <= late, and an incremental update equals a
// full recompute.
func FuzzNetwork(f *testing.F) {
	f.Add([]byte{5, 3, 1, 0, 2, 0, 4, 1, 8, 9, 0, 1, 0, 1, 2, 1, 3, 2, 4, 3, 0})
	f.Add([]byte{10, 9, 0, 3, 12, 40, 1, 0, 5, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16})
	f.Add([]byte{1, 0, 0})
	f.Add([]byte{23, 255, 254, 253, 1, 2, 3, 4, 5, 6, 7, 8, 9, 100, 200, 30, 40, 50, 60, 70, 80, 90})
	f.Fuzz(func(t *testing.T, data []byte) {
		dur, edges, ctype, cat, dl := netFromBytes(data)
		if len(dur) == 0 {
			return
		}
		w, err := NewNetwork(slices.Clone(dur), edges)
		if err != nil {
			t.Fatal(err)
		}
		checkInvariants(t, w, nil, nil)
		w.SetConstraints(ctype, cat, dl, nil)
		w.Recompute()
		checkInvariants(t, w, ctype, dl)
		// Incremental: change one duration, compare with a full recompute.
		v := int(data[len(data)-1]) % len(dur)
		d := int64(data[0]%7) * 90
		if err := w.SetDuration(v, d); err != nil {
			t.Fatal(err)
		}
		dur[v] = d
		full, err := NewNetwork(slices.Clone(dur), edges)
		if err != nil {
			t.Fatal(err)
		}
		full.SetConstraints(ctype, cat, dl, nil)
		full.Recompute()
		for u := range dur {
			if w.ES(u) != full.ES(u) || w.LS(u) != full.LS(u) || w.Finish() != full.Finish() {
				t.Fatalf("task %d after SetDuration(%d, %d): ES/LS %d/%d, full recompute %d/%d", u, v, d, w.ES(u), w.LS(u), full.ES(u), full.LS(u))
			}
		}
		checkInvariants(t, w, ctype, dl)
	})
}

// FuzzCycles adds arbitrary links (cycles allowed): either the network
// schedules, or the error is a CycleError naming tasks that really lie on a
// cycle.
func FuzzCycles(f *testing.F) {
	f.Add([]byte{4, 0, 1, 1, 2, 2, 0, 2, 3})
	f.Add([]byte{3, 0, 0})
	f.Add([]byte{6, 0, 1, 1, 2, 3, 4, 4, 5})
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) == 0 {
			return
		}
		n := int(data[0])%16 + 1
		var edges []Edge
		for i := 1; i+1 < len(data); i += 2 {
			edges = append(edges, Edge{From: int32(int(data[i]) % n), To: int32(int(data[i+1]) % n)})
		}
		_, err := NewNetwork(make([]int64, n), edges)
		if err == nil {
			return
		}
		var ce *CycleError
		if !errors.As(err, &ce) || len(ce.Tasks) == 0 {
			t.Fatalf("err = %v", err)
		}
		// Every named task must reach itself.
		for _, v := range ce.Tasks {
			seen := make([]bool, n)
			stack := []int{v}
			found := false
			for len(stack) > 0 && !found {
				u := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				for _, e := range edges {
					if int(e.From) == u {
						if int(e.To) == v {
							found = true
						}
						if !seen[e.To] {
							seen[e.To] = true
							stack = append(stack, int(e.To))
						}
					}
				}
			}
			if !found {
				t.Fatalf("task %d named in %v is not on a cycle", v, ce.Tasks)
			}
		}
	})
}

// FuzzReadJSON: the reader never panics, and what it accepts schedules or
// fails with an error.
func FuzzReadJSON(f *testing.F) {
	f.Add(`{"start": "2024-03-04", "tasks": [{"id": "A", "duration": "2d"}, {"id": "B", "duration": "3h"}], "links": [{"from": "A", "to": "B", "lag": "-1d"}]}`)
	f.Add(`{"start": "2024-03-04", "calendars": [{"id": "c", "week": {"sat": [["10:00","11:00"]]}}], "tasks": [{"id": "A", "duration": "1w", "constraint": {"type": "MFO", "date": "2024-03-09"}}]}`)
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ReadJSON(strings.NewReader(s))
		if err != nil {
			return
		}
		_, _ = Schedule(p)
	})
}

// projectFromBytes decodes fuzz input into a small project whose tasks run
// on several calendars (their own, their resources', or both) and may be
// under way at a status date.
func projectFromBytes(data []byte) *Project {
	next := func() int {
		if len(data) == 0 {
			return 0
		}
		b := data[0]
		data = data[1:]
		return int(b)
	}
	eve := Calendar{ID: "eve"}
	for wd := time.Monday; wd <= time.Saturday; wd++ {
		eve.Week[wd] = []Span{{14 * 60, 20 * 60}}
	}
	cals := []Calendar{StandardCalendar(time.Date(2024, 3, 13, 0, 0, 0, 0, time.UTC)), sevenDay(), mornings(), eve}
	calIDs := []string{"", "7d", "am", "eve", "standard"}
	start := time.Date(2024, 3, 4, 8, 0, 0, 0, time.UTC)
	p := &Project{Start: start, Calendars: cals, Resources: []Resource{{ID: "r0", Capacity: 1, Calendar: "eve"}, {ID: "r1", Capacity: 1, Calendar: "am"}, {ID: "r2", Capacity: 1}}}
	if next()%2 == 0 {
		p.StatusDate = start.Add(time.Duration(next()%12) * 24 * time.Hour).Add(time.Duration(next()%10) * time.Hour)
		p.MoveUnstartedAfterStatus = next()%2 == 0
	}
	n := next()%12 + 1
	for v := range n {
		t := Task{ID: fmt.Sprint("T", v), Duration: int64(next()%12) * 60}
		t.Calendar = calIDs[next()%len(calIDs)]
		if r := next() % 5; r < 3 {
			t.Demands = []Demand{{Resource: fmt.Sprint("r", r), Units: 1}}
			if x := next(); x%3 == 0 { // a second assignment, with its own work
				t.Demands = append(t.Demands, Demand{Resource: fmt.Sprint("r", (r+1+x/3%2)%3), Units: float64(x%4+1) / 4, Work: int64(x%7) * 60})
			}
		}
		if next()%4 == 0 {
			t.ActualStart = start.Add(time.Duration(next()%5) * 24 * time.Hour)
			t.PercentComplete = float64(next() % 101)
			if next()%3 == 0 {
				t.ActualFinish = t.ActualStart.Add(time.Duration(next()%9) * time.Hour)
			}
		}
		p.Tasks = append(p.Tasks, t)
	}
	for len(data) >= 4 {
		a, b := next()%n, next()%n
		if a > b {
			a, b = b, a
		}
		if a == b {
			continue
		}
		p.Links = append(p.Links, Link{From: p.Tasks[a].ID, To: p.Tasks[b].ID, Type: LinkType(next() % 4), Lag: int64(next()%5-2) * 60 * int64(next()%2)})
	}
	return p
}

// FuzzScheduleCalendarsProgress checks Schedule on projects with per-task
// and per-resource calendars and progress: links hold in working minutes and
// in dates (a plain finish-to-start successor never starts before its
// predecessor's finish), a task on its own calendar spans exactly its
// duration of that calendar's working time, remaining work of a task under
// way ends after the status date, and the result is deterministic.
func FuzzScheduleCalendarsProgress(f *testing.F) {
	f.Add([]byte{0, 40, 2, 5, 1, 6, 4, 3, 8, 2, 1, 3, 9, 0, 7, 4, 0, 1, 0, 0, 1, 2, 0, 0, 2, 3, 0, 0})
	f.Add([]byte{1, 7, 8, 2, 0, 0, 4, 1, 2, 1, 3, 3, 1, 5, 4, 0, 0, 1, 3, 2, 2, 0, 1, 2, 1, 1})
	f.Add([]byte{0, 100, 3, 11, 4, 1, 2, 0, 50, 1, 3, 0, 5, 5, 9, 3, 1, 0, 0, 1, 1, 2, 3, 0, 2, 3, 0, 0, 0, 4, 1, 1})
	f.Fuzz(func(t *testing.T, data []byte) {
		p := projectFromBytes(data)
		r, err := Schedule(p)
		if errors.Is(err, ErrDisjointCalendars) {
			return // mornings and evenings: no common working time
		}
		if err != nil {
			t.Fatal(err)
		}
		r2, err := Schedule(p)
		if err != nil {
			t.Fatal(err)
		}
		calByID := map[string]*Calendar{}
		for i := range p.Calendars {
			calByID[p.Calendars[i].ID] = &p.Calendars[i]
		}
		resCal := map[string]string{}
		for _, res := range p.Resources {
			resCal[res.ID] = res.Calendar
		}
		w := r.Net
		tls := map[string]*timeline{}
		for i, task := range p.Tasks {
			tr := r.Tasks[i]
			if tr != r2.Tasks[i] {
				t.Fatalf("%s: two runs differ: %+v / %+v", task.ID, tr, r2.Tasks[i])
			}
			if tr.Finish.Before(tr.Start) || tr.EF > r.FinishWork {
				t.Fatalf("%s: %s - %s (EF %d, project finish %d)", task.ID, tr.Start, tr.Finish, tr.EF, r.FinishWork)
			}
			if task.ActualStart.IsZero() {
				if req := w.Required(i); req != NoTime && w.ES(i) < req {
					t.Fatalf("%s starts at %d before its links allow (%d)", task.ID, w.ES(i), req)
				}
				if tr.Start.Before(p.Start) {
					t.Fatalf("%s starts %s before the project", task.ID, tr.Start)
				}
			}
			// Each assignment works on its resource's calendar (intersected
			// with the task's), for its work at its units or the duration.
			timelineOf := func(rc string) *timeline {
				key := task.Calendar + "/" + rc
				if tl, ok := tls[key]; ok {
					return tl
				}
				var c *Calendar
				switch {
				case task.Calendar != "" && rc != "" && rc != task.Calendar:
					x := intersectCalendars(calByID[task.Calendar], calByID[rc])
					c = &x
				case task.Calendar != "":
					c = calByID[task.Calendar]
				case rc != "":
					c = calByID[rc]
				default:
					c = &p.Calendars[0]
				}
				tls[key] = newTimeline(c, p.Start)
				return tls[key]
			}
			running := !task.ActualStart.IsZero() && task.ActualFinish.IsZero() && task.PercentComplete < 100
			if task.ActualStart.IsZero() && task.Duration > 0 {
				type span struct {
					tl   *timeline
					work int64
				}
				spans := []span{{timelineOf(""), task.Duration}}
				if len(task.Demands) > 0 {
					spans = spans[:0]
					for _, d := range task.Demands {
						w := task.Duration
						if d.Work > 0 {
							w = int64(math.Round(float64(d.Work) / d.Units))
						}
						spans = append(spans, span{timelineOf(resCal[d.Resource]), w})
					}
				}
				longest := false
				for _, sp := range spans {
					got := sp.tl.Work(tr.Finish) - sp.tl.Work(tr.Start)
					if got < sp.work {
						t.Fatalf("%s: %s - %s is %d working minutes of an assignment's calendar, want at least %d", task.ID, tr.Start, tr.Finish, got, sp.work)
					}
					longest = longest || got == sp.work || sp.work == 0
				}
				if !longest && len(spans) == 1 {
					t.Fatalf("%s: %s - %s is longer than its %d working minutes", task.ID, tr.Start, tr.Finish, task.Duration)
				}
			}
			if p.MoveUnstartedAfterStatus && task.ActualStart.IsZero() && tr.ES < r.Work(p.StatusDate) {
				t.Fatalf("%s not started: starts %s before the status date %s", task.ID, tr.Start, p.StatusDate)
			}
			if running && !p.StatusDate.IsZero() && task.Duration > 0 && task.PercentComplete < 99 {
				if r.Work(tr.Finish) < r.Work(p.StatusDate) {
					t.Fatalf("%s under way (%.0f%%) finishes %s before the status date %s", task.ID, task.PercentComplete, tr.Finish, p.StatusDate)
				}
			}
		}
		idx := map[string]int{}
		for i, task := range p.Tasks {
			idx[task.ID] = i
		}
		for _, l := range p.Links {
			a, b := r.Tasks[idx[l.From]], r.Tasks[idx[l.To]]
			if l.Type == FS && l.Lag == 0 && p.Tasks[idx[l.To]].ActualStart.IsZero() && b.Start.Before(a.Finish) {
				t.Fatalf("%s starts %s before its predecessor %s finishes %s", l.To, b.Start, l.From, a.Finish)
			}
		}
	})
}
