package schedule

import (
	"testing"
	"time"
)

// Elapsed tasks run on the clock for their late dates too (MS Project's
// rule, Microsoft KB 87301/113966): hand-computed on the Standard calendar
// from Monday 2024-03-04 08:00.
func TestElapsedLateDatesOnTheClock(t *testing.T) {
	for _, tc := range []struct {
		name                   string
		elapsed                int64 // minutes on the clock
		ef, ls, lf             time.Time
		floatWork, floatClockM int64
	}{
		// 2 elapsed days end Wednesday 08:00; the 3-day task B ends the
		// project on Wednesday 17:00, so A may end as late as that.
		{"inside the working finish", 2 * 1440, at(2024, 3, 6, 8, 0), at(2024, 3, 4, 17, 0), at(2024, 3, 6, 17, 0), 480, 9 * 60},
		// 3 elapsed days end Thursday 08:00, after B: A ends the project.
		{"past the working finish", 3 * 1440, at(2024, 3, 7, 8, 0), monday, at(2024, 3, 7, 8, 0), 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := &Project{Start: monday, Tasks: []Task{{ID: "A", Duration: tc.elapsed, Elapsed: true}, {ID: "B", Duration: day(3)}}}
			r := mustSchedule(t, p)
			a := byID(r, "A")
			if !a.EarlyStart.Equal(monday) || !a.EarlyFinish.Equal(tc.ef) || !a.LateStart.Equal(tc.ls) || !a.LateFinish.Equal(tc.lf) {
				t.Errorf("A: early %s - %s, late %s - %s; want %s - %s, %s - %s", a.EarlyStart, a.EarlyFinish, a.LateStart, a.LateFinish, monday, tc.ef, tc.ls, tc.lf)
			}
			if a.TotalFloat != tc.floatWork {
				t.Errorf("A: total float %d working minutes, want %d", a.TotalFloat, tc.floatWork)
			}
			if got := int64(a.LateFinish.Sub(a.EarlyFinish) / time.Minute); got != tc.floatClockM {
				t.Errorf("A: %d minutes on the clock from early to late finish, want %d", got, tc.floatClockM)
			}
		})
	}
}
