package schedule

import (
	"errors"
	"testing"
	"time"
)

func at(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, time.UTC)
}

// sevenDay works every day of the week, 08:00-12:00 and 13:00-17:00.
func sevenDay() Calendar {
	c := Calendar{ID: "7d", Name: "Seven days"}
	for wd := range c.Week {
		c.Week[wd] = []Span{{8 * 60, 12 * 60}, {13 * 60, 17 * 60}}
	}
	return c
}

// mornings works Monday to Friday, 08:00-12:00.
func mornings() Calendar {
	c := Calendar{ID: "am", Name: "Mornings"}
	for wd := time.Monday; wd <= time.Friday; wd++ {
		c.Week[wd] = []Span{{8 * 60, 12 * 60}}
	}
	return c
}

func TestTaskCalendars(t *testing.T) {
	std := StandardCalendar()
	std.ID = "std"
	withHoliday := StandardCalendar(at(2024, 3, 12, 0, 0)) // Tuesday of week 2
	withHoliday.ID = "hol"
	cals := []Calendar{std, sevenDay(), mornings(), withHoliday}
	type want struct {
		id            string
		start, finish time.Time
	}
	tests := []struct {
		name  string
		tasks []Task
		links []Link
		res   []Resource
		want  []want
	}{
		{
			name:  "weekend calendar uses the weekend after a Friday finish",
			tasks: []Task{{ID: "A", Duration: day(5)}, {ID: "B", Duration: day(2), Calendar: "7d"}, {ID: "C", Duration: day(1)}},
			links: []Link{{From: "A", To: "B"}, {From: "B", To: "C"}},
			want: []want{
				{"A", at(2024, 3, 4, 8, 0), at(2024, 3, 8, 17, 0)},
				{"B", at(2024, 3, 9, 8, 0), at(2024, 3, 10, 17, 0)},
				{"C", at(2024, 3, 11, 8, 0), at(2024, 3, 11, 17, 0)},
			},
		},
		{
			name:  "weekend calendar finishing on Saturday noon",
			tasks: []Task{{ID: "A", Duration: day(5)}, {ID: "B", Duration: day(0.5), Calendar: "7d"}, {ID: "C", Duration: day(1)}},
			links: []Link{{From: "A", To: "B"}, {From: "B", To: "C"}},
			want: []want{
				{"B", at(2024, 3, 9, 8, 0), at(2024, 3, 9, 12, 0)},
				{"C", at(2024, 3, 11, 8, 0), at(2024, 3, 11, 17, 0)},
			},
		},
		{
			name:  "holiday on the task calendar only",
			tasks: []Task{{ID: "A", Duration: day(5)}, {ID: "B", Duration: day(2), Calendar: "hol"}, {ID: "C", Duration: day(1)}},
			links: []Link{{From: "A", To: "B"}, {From: "B", To: "C"}},
			want: []want{
				{"B", at(2024, 3, 11, 8, 0), at(2024, 3, 13, 17, 0)},
				{"C", at(2024, 3, 14, 8, 0), at(2024, 3, 14, 17, 0)},
			},
		},
		{
			name:  "single resource's calendar",
			tasks: []Task{{ID: "A", Duration: day(1), Demands: []Demand{{Resource: "r", Units: 1}}}, {ID: "B", Duration: day(1)}},
			links: []Link{{From: "A", To: "B"}},
			res:   []Resource{{ID: "r", Capacity: 1, Calendar: "am"}},
			want: []want{
				{"A", at(2024, 3, 4, 8, 0), at(2024, 3, 5, 12, 0)},
				{"B", at(2024, 3, 5, 13, 0), at(2024, 3, 6, 12, 0)},
			},
		},
		{
			name:  "task calendar and the resource's: their intersection",
			tasks: []Task{{ID: "A", Duration: day(2), Calendar: "7d", Demands: []Demand{{Resource: "r", Units: 1}}}},
			res:   []Resource{{ID: "r", Capacity: 1, Calendar: "am"}},
			want:  []want{{"A", at(2024, 3, 4, 8, 0), at(2024, 3, 7, 12, 0)}}, // four mornings
		},
		{
			name:  "task calendar ignoring the resource's",
			tasks: []Task{{ID: "A", Duration: day(2), Calendar: "7d", IgnoreResourceCalendar: true, Demands: []Demand{{Resource: "r", Units: 1}}}},
			res:   []Resource{{ID: "r", Capacity: 1, Calendar: "am"}},
			want:  []want{{"A", at(2024, 3, 4, 8, 0), at(2024, 3, 5, 17, 0)}},
		},
		{
			name:  "two resources on the same calendar",
			tasks: []Task{{ID: "A", Duration: day(1), Demands: []Demand{{Resource: "r", Units: 1}, {Resource: "s", Units: 1}}}},
			res:   []Resource{{ID: "r", Capacity: 1, Calendar: "am"}, {ID: "s", Capacity: 1, Calendar: "am"}},
			want:  []want{{"A", at(2024, 3, 4, 8, 0), at(2024, 3, 5, 12, 0)}},
		},
		{
			name:  "SS lag measured on the successor's task calendar",
			tasks: []Task{{ID: "A", Duration: day(5)}, {ID: "B", Duration: day(1), Calendar: "am"}},
			links: []Link{{From: "A", To: "B", Type: SS, Lag: day(1)}},
			want:  []want{{"B", at(2024, 3, 6, 8, 0), at(2024, 3, 7, 12, 0)}},
		},
		{
			name:  "SS lag into a task on its resource's calendar: project calendar",
			tasks: []Task{{ID: "A", Duration: day(5)}, {ID: "B", Duration: day(1), Demands: []Demand{{Resource: "r", Units: 1}}}},
			links: []Link{{From: "A", To: "B", Type: SS, Lag: day(1)}},
			res:   []Resource{{ID: "r", Capacity: 1, Calendar: "am"}},
			want:  []want{{"B", at(2024, 3, 5, 8, 0), at(2024, 3, 6, 12, 0)}},
		},
		{
			name:  "FS lag on a weekend calendar uses Saturday",
			tasks: []Task{{ID: "A", Duration: day(5)}, {ID: "B", Duration: day(1), Calendar: "7d"}, {ID: "C", Duration: day(1)}},
			links: []Link{{From: "A", To: "B", Lag: day(1)}, {From: "B", To: "C"}},
			want: []want{
				{"B", at(2024, 3, 10, 8, 0), at(2024, 3, 10, 17, 0)},
				{"C", at(2024, 3, 11, 8, 0), at(2024, 3, 11, 17, 0)},
			},
		},
		{
			name:  "lead on the successor's calendar",
			tasks: []Task{{ID: "A", Duration: day(5)}, {ID: "B", Duration: day(1), Calendar: "am"}},
			links: []Link{{From: "A", To: "B", Lag: -day(0.5)}},
			want:  []want{{"B", at(2024, 3, 8, 8, 0), at(2024, 3, 11, 12, 0)}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := &Project{Start: monday, Calendar: "std", Calendars: cals, Tasks: tc.tasks, Links: tc.links, Resources: tc.res}
			r := mustSchedule(t, p)
			for _, w := range tc.want {
				got := byID(r, w.id)
				if !got.Start.Equal(w.start) || !got.Finish.Equal(w.finish) {
					t.Errorf("%s: got %s - %s, want %s - %s", w.id, got.Start, got.Finish, w.start, w.finish)
				}
			}
			for _, l := range tc.links {
				if l.Type == FS && l.Lag == 0 && byID(r, l.To).Start.Before(byID(r, l.From).Finish) {
					t.Errorf("%s starts before %s finishes", l.To, l.From)
				}
			}
		})
	}
}

func TestTaskCalendarErrorsAndIncremental(t *testing.T) {
	p := &Project{Start: monday, Tasks: []Task{{ID: "A", Duration: day(1), Calendar: "nope"}}}
	if _, err := Schedule(p); err == nil {
		t.Fatal("unknown task calendar: want an error")
	}
	c := sevenDay()
	std := StandardCalendar()
	p = &Project{Start: monday, Calendars: []Calendar{std, c}, Tasks: []Task{{ID: "A", Duration: day(1), Calendar: "7d"}, {ID: "B", Duration: day(1)}}}
	r := mustSchedule(t, p)
	if err := r.Net.SetDuration(1, day(2)); !errors.Is(err, ErrCalendarDependent) {
		t.Fatalf("SetDuration on a network with task calendars: err = %v, want ErrCalendarDependent", err)
	}
	// One calendar: incremental updates still work.
	p = &Project{Start: monday, Tasks: []Task{{ID: "A", Duration: day(1), Calendar: "standard"}}}
	r = mustSchedule(t, p)
	if err := r.Net.SetDuration(0, day(2)); err != nil {
		t.Fatal(err)
	}
}

func TestProgressAndStatusDate(t *testing.T) {
	week2 := at(2024, 3, 11, 8, 0)
	tests := []struct {
		name        string
		status      time.Time
		a           Task
		wantFinishA time.Time
		wantStartB  time.Time
	}{
		{
			name:        "half done, status a week later: remaining 2 days from the status date",
			status:      week2,
			a:           Task{ActualStart: monday, PercentComplete: 50},
			wantFinishA: at(2024, 3, 12, 17, 0),
			wantStartB:  at(2024, 3, 13, 8, 0),
		},
		{
			name:        "status date before the done part ends: nothing moves",
			status:      at(2024, 3, 5, 8, 0),
			a:           Task{ActualStart: monday, PercentComplete: 50},
			wantFinishA: at(2024, 3, 7, 17, 0),
			wantStartB:  at(2024, 3, 8, 8, 0),
		},
		{
			name:        "no status date: remaining work stays put",
			a:           Task{ActualStart: monday, PercentComplete: 50},
			wantFinishA: at(2024, 3, 7, 17, 0),
			wantStartB:  at(2024, 3, 8, 8, 0),
		},
		{
			name:        "started, nothing done: all of it from the status date",
			status:      week2,
			a:           Task{ActualStart: monday},
			wantFinishA: at(2024, 3, 14, 17, 0),
			wantStartB:  at(2024, 3, 15, 8, 0),
		},
		{
			name:        "actual finish is fixed",
			status:      week2,
			a:           Task{ActualStart: monday, ActualFinish: at(2024, 3, 6, 17, 0), PercentComplete: 100},
			wantFinishA: at(2024, 3, 6, 17, 0),
			wantStartB:  at(2024, 3, 7, 8, 0),
		},
		{
			name:        "100% without an actual finish keeps its duration",
			status:      week2,
			a:           Task{ActualStart: monday, PercentComplete: 100},
			wantFinishA: at(2024, 3, 7, 17, 0),
			wantStartB:  at(2024, 3, 8, 8, 0),
		},
		{
			name:        "status date mid-day",
			status:      at(2024, 3, 11, 13, 0),
			a:           Task{ActualStart: monday, PercentComplete: 25},
			wantFinishA: at(2024, 3, 14, 12, 0),
			wantStartB:  at(2024, 3, 14, 13, 0),
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := tc.a
			a.ID, a.Duration = "A", day(4)
			p := &Project{Start: monday, StatusDate: tc.status, Tasks: []Task{a, {ID: "B", Duration: day(1)}}, Links: []Link{{From: "A", To: "B"}}}
			r := mustSchedule(t, p)
			if got := byID(r, "A"); !got.Start.Equal(monday) || !got.Finish.Equal(tc.wantFinishA) {
				t.Errorf("A: got %s - %s, want %s - %s", got.Start, got.Finish, monday, tc.wantFinishA)
			}
			if got := byID(r, "B").Start; !got.Equal(tc.wantStartB) {
				t.Errorf("B starts %s, want %s", got, tc.wantStartB)
			}
		})
	}
}

func TestProgressOnTaskCalendar(t *testing.T) {
	// 2 days on mornings (8 half-days of 240 min = 960 min), half done:
	// done Mon-Tue mornings, remaining from the status date Thursday 08:00.
	p := &Project{Start: monday, StatusDate: at(2024, 3, 7, 8, 0), Calendars: []Calendar{StandardCalendar(), mornings()},
		Tasks: []Task{{ID: "A", Duration: day(2), Calendar: "am", ActualStart: monday, PercentComplete: 50}}}
	r := mustSchedule(t, p)
	if got, want := byID(r, "A").Finish, at(2024, 3, 8, 12, 0); !got.Equal(want) {
		t.Errorf("A finishes %s, want %s", got, want)
	}
}

func TestProgressOnEveningCalendar(t *testing.T) {
	// 14:00-20:00 Monday to Saturday; 2 days = 960 min = 2 2/3 evenings.
	eve := Calendar{ID: "eve"}
	for wd := time.Monday; wd <= time.Saturday; wd++ {
		eve.Week[wd] = []Span{{14 * 60, 20 * 60}}
	}
	tests := []struct {
		name               string
		status             time.Time
		pct                float64
		wantStart, wantFin time.Time
	}{
		// Done: Monday evening and Tuesday 14:00-16:00; the rest from Thursday 14:00.
		{"half done, resumes Thursday", at(2024, 3, 7, 8, 0), 50, at(2024, 3, 4, 14, 0), at(2024, 3, 8, 16, 0)},
		{"no status date", time.Time{}, 50, at(2024, 3, 4, 14, 0), at(2024, 3, 6, 18, 0)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := &Project{Start: monday, StatusDate: tc.status, Calendars: []Calendar{StandardCalendar(), eve},
				Tasks: []Task{{ID: "A", Duration: day(2), Calendar: "eve", ActualStart: at(2024, 3, 4, 14, 0), PercentComplete: tc.pct}}}
			r := mustSchedule(t, p)
			got := byID(r, "A")
			if !got.Start.Equal(tc.wantStart) || !got.Finish.Equal(tc.wantFin) {
				t.Errorf("A: got %s - %s, want %s - %s", got.Start, got.Finish, tc.wantStart, tc.wantFin)
			}
		})
	}
}
