package projectplan

import (
	"fmt"
	"testing"

	"github.com/tandem-pm/tandem"
)

// FuzzScheduleProject checks the schedule's invariants on small random
// plans: every link is respected, no item starts before its planned start
// or the project's start, late dates are not before early ones and float is
// never negative (these plans have no constraint that cannot be met).
func FuzzScheduleProject(f *testing.F) {
	f.Add([]byte{5, 3, 0, 1, 2, 7, 1, 4, 0, 2, 3, 9})
	f.Add([]byte{1, 0, 0, 0, 0, 0, 0, 0})
	f.Add([]byte{12, 250, 17, 3, 99, 4, 4, 4, 1, 200, 33, 8, 21, 5, 60, 2})
	f.Fuzz(func(t *testing.T, data []byte) {
		pr, items, deps, status := randomPlan(data)
		checkInvariants(t, pr, items, deps, status)
	})
}

// FuzzProgramMatchesProjectSchedule checks that the program view and the
// Gantt chart agree: a random plan split between two projects on one
// calendar (random holidays), analysed as a program, puts every item on the
// dates ScheduleProject gives the whole plan as one project, and each
// project's forecast finish is the last of its items' days. It also checks
// that a slip of N working days moves no other project's finish or
// milestone by more than N, nor backwards.
func FuzzProgramMatchesProjectSchedule(f *testing.F) {
	f.Add([]byte{5, 3, 0, 1, 2, 7, 1, 4, 0, 2, 3, 9})
	f.Add([]byte{12, 250, 17, 3, 99, 4, 4, 4, 1, 200, 33, 8, 21, 5, 60, 2})
	f.Add([]byte{9, 1, 1, 3, 0, 0, 2, 5, 5, 0, 1, 7, 7, 3, 3, 2, 9, 1, 0, 4, 6, 6, 6, 1})
	f.Fuzz(func(t *testing.T, data []byte) {
		pr, items, deps, status := randomPlan(data)
		cal := &tandem.Calendar{Meta: tandem.Meta{ID: tandem.NewID()}, Name: "Fuzz", Week: tandem.StandardWeek()}
		for i, b := range data {
			if i%5 == 4 && b%4 == 0 {
				cal.Exceptions = append(cal.Exceptions, tandem.CalendarException{Name: "H", From: d("2026-01-05").AddDays(int(b) % 60)})
			}
		}
		cal.Derive()
		whole, err := ScheduleProject(pr, items, deps, nil, Options{StatusDate: status, Calendar: cal})
		if err != nil {
			t.Fatal(err)
		}
		other := &tandem.Project{Meta: tandem.Meta{ID: tandem.NewID()}, Name: "Q", StartDate: pr.StartDate}
		for i, it := range items {
			if i%2 == 1 {
				it.ProjectID = other.ID
			}
		}
		projects := []*tandem.Project{pr, other}
		opt := ProgramOptions{Options: Options{StatusDate: status}, SlipDays: 3,
			Calendars: map[string]*tandem.Calendar{pr.ID: cal, other.ID: cal}}
		pn, err := newProgramNet(projects, items, deps, opt)
		if err != nil {
			t.Fatal(err)
		}
		r, err := pn.run(runOptions{})
		if err != nil {
			t.Fatal(err)
		}
		last := map[string]tandem.Date{}
		for _, it := range items {
			got := whole.Item(it.ID)
			first, end := r.firstDay(it.ID), r.lastDay(it.ID)
			want := got.EarlyFinish
			if got.Milestone {
				want = got.EarlyStart
			}
			if first != got.EarlyStart || end != want {
				t.Errorf("%s (%g days, %d%%): project schedule %s..%s, program %s..%s", it.Title, it.DurationDays, it.Progress,
					got.EarlyStart, want, first, end)
			}
			if l := last[it.ProjectID]; l.Before(end) {
				last[it.ProjectID] = end
			}
		}
		a, err := AnalyzeProgram(projects, items, deps, opt)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range a.Projects {
			if l := last[p.ProjectID]; !l.IsZero() && p.Forecast != l {
				t.Errorf("project %s: forecast finish %s, want its last day %s", p.Name, p.Forecast, l)
			}
		}
		// The incremental what-if slips give what full engine runs give.
		full, err := analyzeProgram(projects, items, deps, opt, true)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := fmt.Sprintf("%+v", a.Dependencies), fmt.Sprintf("%+v", full.Dependencies); got != want {
			t.Errorf("incremental slips:\n%s\nfull runs:\n%s", got, want)
		}
		for _, cd := range a.Dependencies {
			if cd.Conflict != (cd.SlackDays < 0) {
				t.Errorf("dependency %s: conflict %v with slack %d", cd.DependencyID, cd.Conflict, cd.SlackDays)
			}
			for _, im := range cd.Impacts {
				if im.FinishDays < 0 || im.FinishDays > a.SlipDays {
					t.Errorf("a slip of %d days moves %s's finish %d days", a.SlipDays, im.Name, im.FinishDays)
				}
				for _, m := range im.Milestones {
					if m.Days <= 0 || m.Days > a.SlipDays {
						t.Errorf("a slip of %d days moves milestone %s %d days", a.SlipDays, m.Title, m.Days)
					}
				}
			}
		}
	})
}

func randomPlan(data []byte) (*tandem.Project, []*tandem.Item, []*tandem.Dependency, tandem.Date) {
	types := []string{tandem.FinishToStart, tandem.StartToStart, tandem.FinishToFinish, tandem.StartToFinish}
	{
		next := func() int {
			if len(data) == 0 {
				return 0
			}
			b := int(data[0])
			data = data[1:]
			return b
		}
		n := 1 + next()%12
		pr := &tandem.Project{Meta: tandem.Meta{ID: tandem.NewID()}, Name: "P", StartDate: d("2026-01-05")}
		items := make([]*tandem.Item, n)
		for i := range items {
			it := &tandem.Item{Meta: tandem.Meta{ID: tandem.NewID()}, Kind: tandem.KindTask, Title: fmt.Sprint("T", i), ProjectID: pr.ID,
				DurationDays: float64(next() % 6), Progress: next() % 101}
			if it.DurationDays == 0 && next()%2 == 0 {
				it.Kind = tandem.KindMilestone
			}
			if v := next(); v%3 == 0 {
				it.PlannedStart = d("2025-12-29").AddDays(v % 40)
			}
			items[i] = it
		}
		var deps []*tandem.Dependency
		seen := map[[2]int]bool{}
		for k := next() % 20; k > 0; k-- {
			a, b := next()%n, next()%n
			if a == b {
				continue
			}
			if a > b {
				a, b = b, a // links go forward: no cycles
			}
			if seen[[2]int{a, b}] {
				continue
			}
			seen[[2]int{a, b}] = true
			deps = append(deps, &tandem.Dependency{Meta: tandem.Meta{ID: tandem.NewID()}, PredecessorID: items[a].ID, SuccessorID: items[b].ID,
				Type: types[next()%4], LagDays: float64(next()%7 - 2)})
		}
		var status tandem.Date
		if next()%2 == 0 {
			status = d("2026-01-05").AddDays(next() % 30)
		}
		return pr, items, deps, status
	}
}

func checkInvariants(t *testing.T, pr *tandem.Project, items []*tandem.Item, deps []*tandem.Dependency, status tandem.Date) {
	{
		s, err := ScheduleProject(pr, items, deps, nil, Options{StatusDate: status})
		if err != nil {
			t.Fatal(err)
		}
		type span struct{ es, ef int }
		at := map[string]span{}
		for _, x := range s.Items {
			es := workIndex(x.EarlyStart)
			ef := finishIndex(x.EarlyFinish)
			if x.Milestone {
				ef = es
			}
			at[x.ItemID] = span{es, ef}
			if x.TotalFloat < 0 || x.FreeFloat < 0 {
				t.Errorf("%s: negative float %d/%d", x.Title, x.TotalFloat, x.FreeFloat)
			}
			if x.LateStart.Before(x.EarlyStart) || x.LateFinish.Before(x.EarlyFinish) {
				t.Errorf("%s: late %s..%s before early %s..%s", x.Title, x.LateStart, x.LateFinish, x.EarlyStart, x.EarlyFinish)
			}
			if x.EarlyStart.Before(pr.StartDate) {
				t.Errorf("%s starts %s, before the project", x.Title, x.EarlyStart)
			}
		}
		for _, it := range items {
			if !it.PlannedStart.IsZero() && at[it.ID].es < workIndex(it.PlannedStart) {
				t.Errorf("%s starts before its planned start %s", it.Title, it.PlannedStart)
			}
		}
		for _, dp := range deps {
			p, q := at[dp.PredecessorID], at[dp.SuccessorID]
			lag := lagDays(dp.LagDays)
			var ok bool
			switch dp.Type {
			case tandem.StartToStart:
				ok = q.es >= p.es+lag
			case tandem.FinishToFinish:
				ok = q.ef >= p.ef+lag
			case tandem.StartToFinish:
				ok = q.ef >= p.es+lag
			default:
				ok = q.es >= p.ef+lag
			}
			if !ok {
				t.Errorf("link %s %+g violated: predecessor %v, successor %v", dp.Type, dp.LagDays, p, q)
			}
		}
	}
}
