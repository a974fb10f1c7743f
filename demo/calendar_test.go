package demo

import (
	"testing"
	"time"

	"github.com/tandem-pm/tandem"
)

func TestEasterSunday(t *testing.T) {
	for y, want := range map[int]string{2024: "2024-03-31", 2025: "2025-04-20", 2026: "2026-04-05", 2027: "2027-03-28", 2038: "2038-04-25"} {
		if got := easterSunday(y).String(); got != want {
			t.Errorf("Easter %d = %s, want %s", y, got, want)
		}
	}
}

// TestDemoCalendar: the holidays of the plan's period, and only those.
func TestDemoCalendar(t *testing.T) {
	s := &seeder{base: tandem.DateOf(time.Date(2026, 10, 12, 0, 0, 0, 0, time.UTC))}
	c := s.calendar(420) // 12 Oct 2026 to 6 Dec 2027
	var got []string
	for _, e := range c.Exceptions {
		got = append(got, e.From.String()+" "+e.Name)
	}
	want := []string{"2026-12-25 Christmas Day", "2026-12-26 St Stephen's Day", "2027-01-01 New Year's Day",
		"2027-03-26 Good Friday", "2027-03-29 Easter Monday", "2027-05-01 Labour Day"}
	if len(got) != len(want) {
		t.Fatalf("holidays = %q, want %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("holiday %d = %q, want %q", i, got[i], want[i])
		}
	}
	c.Derive()
	if err := c.Validate(); err != nil || c.HoursPerDay != 8 || !c.Default {
		t.Errorf("calendar: %v, %v hours a day, default %v", err, c.HoursPerDay, c.Default)
	}
}
