package schedule

import (
	"testing"
	"time"
)

// Hand-computed: Standard calendar, project start Monday 2024-03-04 08:00,
// status date Wednesday 08:00 (960 working minutes in).
func TestMoveUnstartedAfterStatus(t *testing.T) {
	wed := at(2024, 3, 6, 8, 0)
	tasks := []Task{
		{ID: "A", Duration: day(1)},
		{ID: "B", Duration: day(1)},
		{ID: "C", Duration: day(1), Constraint: SNET, ConstraintDate: at(2024, 3, 7, 8, 0)},
		{ID: "D", Duration: day(2), ActualStart: monday, PercentComplete: 50},
		{ID: "E", Duration: day(1), ActualStart: monday, ActualFinish: at(2024, 3, 4, 17, 0), PercentComplete: 100},
		{ID: "F", Duration: day(1), Constraint: MSO, ConstraintDate: monday},
	}
	links := []Link{{From: "A", To: "B"}}
	type want struct {
		id            string
		start, finish time.Time
	}
	for _, tc := range []struct {
		name string
		move bool
		want []want
	}{
		{"off", false, []want{
			{"A", monday, at(2024, 3, 4, 17, 0)},
			{"B", at(2024, 3, 5, 8, 0), at(2024, 3, 5, 17, 0)},
			{"C", at(2024, 3, 7, 8, 0), at(2024, 3, 7, 17, 0)},
			{"D", monday, at(2024, 3, 6, 17, 0)}, // 1 day done Monday, 1 day from Wednesday
			{"E", monday, at(2024, 3, 4, 17, 0)},
			{"F", monday, at(2024, 3, 4, 17, 0)},
		}},
		{"on", true, []want{
			{"A", wed, at(2024, 3, 6, 17, 0)},
			{"B", at(2024, 3, 7, 8, 0), at(2024, 3, 7, 17, 0)},
			{"C", at(2024, 3, 7, 8, 0), at(2024, 3, 7, 17, 0)}, // its own later date
			{"D", monday, at(2024, 3, 6, 17, 0)},
			{"E", monday, at(2024, 3, 4, 17, 0)},
			{"F", monday, at(2024, 3, 4, 17, 0)}, // a must-start date is kept
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := &Project{Start: monday, StatusDate: wed, MoveUnstartedAfterStatus: tc.move, Tasks: append([]Task(nil), tasks...), Links: links}
			r := mustSchedule(t, p)
			for _, w := range tc.want {
				if got := byID(r, w.id); !got.Start.Equal(w.start) || !got.Finish.Equal(w.finish) {
					t.Errorf("%s: %s - %s, want %s - %s", w.id, got.Start, got.Finish, w.start, w.finish)
				}
			}
		})
	}
}

// A task under way whose predecessor is late: its remaining part waits for
// the predecessor (FS), or ends with it (FF); a start-to-start link binds
// only the actual start and moves nothing. P runs Mon-Thu (4 days); Q
// started Monday, 2 days at 25 % (Monday morning done); status date Tuesday
// 08:00.
func TestLinksMoveRemainingWork(t *testing.T) {
	tue := at(2024, 3, 5, 8, 0)
	for _, tc := range []struct {
		name   string
		link   LinkType
		finish time.Time
	}{
		{"FS", FS, at(2024, 3, 11, 12, 0)}, // 1.5 days from Friday 08:00
		{"FF", FF, at(2024, 3, 7, 17, 0)},  // with P, Thursday 17:00
		{"SS", SS, at(2024, 3, 6, 12, 0)},  // 1.5 days from the status date
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := &Project{Start: monday, StatusDate: tue,
				Tasks: []Task{
					{ID: "P", Duration: day(4)},
					{ID: "Q", Duration: day(2), ActualStart: monday, PercentComplete: 25},
					{ID: "S", Duration: day(1)},
				},
				Links: []Link{{From: "P", To: "Q", Type: tc.link}, {From: "Q", To: "S"}},
			}
			r := mustSchedule(t, p)
			q, s := byID(r, "Q"), byID(r, "S")
			if !q.Start.Equal(monday) || !q.Finish.Equal(tc.finish) {
				t.Errorf("Q: %s - %s, want %s - %s", q.Start, q.Finish, monday, tc.finish)
			}
			if s.Start.Before(q.Finish) {
				t.Errorf("S starts %s before Q finishes %s", s.Start, q.Finish)
			}
		})
	}
}

func TestLinksMoveRemainingWorkOnTaskCalendar(t *testing.T) {
	// Q on a seven-day calendar, started Monday, 2 days at 50 %: its
	// remaining day waits for P (Mon-Fri) and uses the Saturday.
	p := &Project{Start: monday, StatusDate: at(2024, 3, 5, 8, 0), Calendar: "standard",
		Calendars: []Calendar{StandardCalendar(), sevenDay()},
		Tasks: []Task{
			{ID: "P", Duration: day(5)},
			{ID: "Q", Duration: day(2), Calendar: "7d", ActualStart: monday, PercentComplete: 50},
		},
		Links: []Link{{From: "P", To: "Q"}},
	}
	r := mustSchedule(t, p)
	if q := byID(r, "Q"); !q.Finish.Equal(at(2024, 3, 9, 17, 0)) {
		t.Errorf("Q finishes %s, want Saturday 17:00", q.Finish)
	}
}
