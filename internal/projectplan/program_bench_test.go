package projectplan

import (
	"fmt"
	"testing"

	"github.com/tandem-pm/tandem"
)

// benchProgram is a program of projects × perProject items: chains of ten
// tasks under epics, a milestone at each project's end, and a cross-project
// finish-to-start link from every project's fifth chain to the next project.
func benchProgram(projects, perProject int) ([]*tandem.Project, []*tandem.Item, []*tandem.Dependency) {
	var prs []*tandem.Project
	var items []*tandem.Item
	var deps []*tandem.Dependency
	link := func(a, b *tandem.Item, typ string) {
		deps = append(deps, &tandem.Dependency{Meta: tandem.Meta{ID: tandem.NewID()}, PredecessorID: a.ID, SuccessorID: b.ID, Type: typ})
	}
	var prevFifth []*tandem.Item
	for p := range projects {
		pr := &tandem.Project{Meta: tandem.Meta{ID: tandem.NewID()}, Name: fmt.Sprint("Project ", p), StartDate: d("2026-01-05")}
		prs = append(prs, pr)
		var mine []*tandem.Item
		var parent string
		for i := range perProject {
			it := &tandem.Item{Meta: tandem.Meta{ID: tandem.NewID()}, Kind: tandem.KindTask, Title: fmt.Sprintf("P%d task %d", p, i),
				ProjectID: pr.ID, DurationDays: float64(1 + i%5), Progress: []int{100, 40, 0, 0}[i%4]}
			switch {
			case i%50 == 0:
				it.Kind, it.DurationDays = tandem.KindEpic, 0
				parent = it.ID
			case i == perProject-1:
				it.Kind, it.DurationDays = tandem.KindMilestone, 0
				link(mine[len(mine)-1], it, tandem.FinishToStart)
			default:
				it.ParentID = parent
				if i%10 != 1 {
					link(mine[len(mine)-1], it, tandem.FinishToStart)
				}
			}
			mine = append(mine, it)
		}
		for _, it := range prevFifth {
			link(it, mine[41], tandem.FinishToStart)
		}
		prevFifth = []*tandem.Item{mine[45]}
		items = append(items, mine...)
	}
	return prs, items, deps
}

// BenchmarkAnalyzeProgram measures the program view of 4 projects of 250
// items (3 cross-project links, so 3 what-if slips), with a status date,
// on the standard calendar and on a calendar with holidays.
func BenchmarkAnalyzeProgram(b *testing.B) {
	prs, items, deps := benchProgram(4, 250)
	hol := ukCalendar()
	for _, bc := range []struct {
		name string
		cal  *tandem.Calendar
	}{{"standard", nil}, {"holidays", hol}} {
		cals := map[string]*tandem.Calendar{}
		for _, p := range prs {
			cals[p.ID] = bc.cal
		}
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				a, err := AnalyzeProgram(prs, items, deps, ProgramOptions{Options: Options{StatusDate: d("2026-02-02")}, Calendars: cals})
				if err != nil || len(a.Dependencies) != 3 {
					b.Fatal(err, len(a.Dependencies))
				}
			}
		})
	}
}

// BenchmarkSchedule5000Holidays is BenchmarkSchedule5000's schedule (no
// chart) on a calendar with holidays instead of the built-in one.
func BenchmarkSchedule5000Holidays(b *testing.B) {
	prs, items, deps := benchProgram(1, 5000)
	cal := ukCalendar()
	for y := 2026; y <= 2030; y++ {
		for _, md := range [][2]int{{1, 1}, {5, 1}, {12, 25}, {12, 26}} {
			cal.Exceptions = append(cal.Exceptions, tandem.CalendarException{Name: "H", From: tandem.Date{Year: y, Month: md[0], Day: md[1]}})
		}
	}
	cal.Derive()
	for b.Loop() {
		if _, err := ScheduleProject(prs[0], items, deps, nil, Options{StatusDate: d("2026-03-02"), Calendar: cal}); err != nil {
			b.Fatal(err)
		}
	}
}
