package schedule

import (
	"errors"
	"reflect"
	"testing"
	"time"
)

// evenings works Monday to Saturday, 14:00-20:00.
func evenings() Calendar {
	c := Calendar{ID: "eve", Name: "Evenings"}
	for wd := time.Monday; wd <= time.Saturday; wd++ {
		c.Week[wd] = []Span{{14 * 60, 20 * 60}}
	}
	return c
}

// Each assignment runs its work at its units on its resource's calendar;
// the task spans the earliest start to the latest finish (hand-computed).
func TestSeveralAssignmentsOnTheirCalendars(t *testing.T) {
	std := StandardCalendar()
	p := &Project{
		Start: monday, Calendar: "standard",
		Calendars: []Calendar{std, mornings(), evenings()},
		Resources: []Resource{{ID: "r", Capacity: 1, Calendar: "am"}, {ID: "s", Capacity: 1, Calendar: "eve"}},
		Tasks: []Task{
			// r: 8 h at 100 % = 8 h of mornings: Mon 08-12, Tue 08-12.
			// s: 6 h at 50 % = 12 h of evenings: Mon 14-20, Tue 14-20.
			{ID: "A", Duration: day(3), Demands: []Demand{{Resource: "r", Units: 1, Work: 8 * 60}, {Resource: "s", Units: 0.5, Work: 6 * 60}}},
			{ID: "B", Duration: day(1)},
		},
		Links: []Link{{From: "A", To: "B"}},
	}
	r := mustSchedule(t, p)
	a, b := byID(r, "A"), byID(r, "B")
	if !a.Start.Equal(at(2024, 3, 4, 8, 0)) || !a.Finish.Equal(at(2024, 3, 5, 20, 0)) {
		t.Errorf("A: %s - %s, want Mon 08:00 - Tue 20:00", a.Start, a.Finish)
	}
	if !b.Start.Equal(at(2024, 3, 6, 8, 0)) || !b.Finish.Equal(at(2024, 3, 6, 17, 0)) {
		t.Errorf("B: %s - %s, want Wed 08:00 - 17:00", b.Start, b.Finish)
	}
	// Late dates: B is last, so A must finish by Wed 08:00 in project
	// working time; each assignment then ends at its calendar's last minute
	// before that (r Tue 12:00, s Tue 20:00) and starts its work earlier.
	if !a.LateStart.Equal(at(2024, 3, 4, 8, 0)) || !a.LateFinish.Equal(at(2024, 3, 5, 20, 0)) || a.TotalFloat != 0 || !a.Critical {
		t.Errorf("A late: %s - %s float %d critical %v", a.LateStart, a.LateFinish, a.TotalFloat, a.Critical)
	}
	if a.EF != 2*480 {
		t.Errorf("A: EF %d project working minutes, want 960 (Tue 17:00)", a.EF)
	}
	if !errors.Is(r.Net.SetDuration(1, 60), ErrCalendarDependent) {
		t.Error("SetDuration on a network with assignment calendars: want ErrCalendarDependent")
	}
}

func TestAssignmentWorkOnTheProjectCalendar(t *testing.T) {
	// No resource calendars: the longest assignment sets the duration
	// (12 h at 50 % = 3 days), no conversion.
	p := &Project{
		Start:     monday,
		Resources: []Resource{{ID: "r", Capacity: 1}, {ID: "s", Capacity: 1}},
		Tasks:     []Task{{ID: "A", Duration: day(1), Demands: []Demand{{Resource: "r", Units: 1, Work: 16 * 60}, {Resource: "s", Units: 0.5, Work: 12 * 60}}}},
	}
	r := mustSchedule(t, p)
	if a := byID(r, "A"); a.EF != day(3) || !a.Finish.Equal(at(2024, 3, 6, 17, 0)) {
		t.Errorf("A: EF %d finish %s, want 3 days, Wed 17:00", a.EF, a.Finish)
	}
	if err := r.Net.SetDuration(0, 60); err != nil {
		t.Errorf("one calendar: SetDuration %v", err)
	}
}

func TestDisjointTaskAndResourceCalendars(t *testing.T) {
	p := &Project{
		Start:     monday,
		Calendars: []Calendar{StandardCalendar(), mornings(), evenings()},
		Resources: []Resource{{ID: "s", Capacity: 1, Calendar: "eve"}},
		Tasks:     []Task{{ID: "A", Duration: day(1), Calendar: "am", Demands: []Demand{{Resource: "s", Units: 1}}}},
	}
	if _, err := Schedule(p); !errors.Is(err, ErrDisjointCalendars) {
		t.Errorf("mornings ∩ evenings: err %v, want ErrDisjointCalendars", err)
	}
	p.Tasks[0].IgnoreResourceCalendar = true
	if _, err := Schedule(p); err != nil {
		t.Errorf("ignoring resource calendars: %v", err)
	}
}

func TestIntersectCalendars(t *testing.T) {
	a := StandardCalendar(at(2024, 3, 6, 0, 0))
	b := Calendar{ID: "b"}
	for wd := range b.Week {
		b.Week[wd] = []Span{{10 * 60, 14 * 60}}
	}
	b.Exceptions = []Exception{{From: at(2024, 3, 9, 0, 0), To: at(2024, 3, 9, 0, 0), Working: []Span{{9 * 60, 11 * 60}}}}
	c := intersectCalendars(&a, &b)
	if got, want := c.Week[time.Monday], []Span{{10 * 60, 12 * 60}, {13 * 60, 14 * 60}}; !reflect.DeepEqual(got, want) {
		t.Errorf("Monday: %v, want %v", got, want)
	}
	if len(c.Week[time.Sunday]) != 0 {
		t.Errorf("Sunday: %v, want none", c.Week[time.Sunday])
	}
	tl := newTimeline(&c, monday)
	for _, tc := range []struct {
		day  time.Time
		want []Span
	}{
		{at(2024, 3, 6, 0, 0), nil},                 // holiday in a
		{at(2024, 3, 9, 0, 0), nil},                 // Saturday: a does not work
		{at(2024, 3, 7, 0, 0), c.Week[time.Monday]}, // an ordinary Thursday
	} {
		if got := tl.spans(dayNumber(tc.day)); !reflect.DeepEqual(got, tc.want) && !(len(got) == 0 && len(tc.want) == 0) {
			t.Errorf("%s: %v, want %v", tc.day.Format(time.DateOnly), got, tc.want)
		}
	}
}
