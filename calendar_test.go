package tandem

import (
	"testing"
	"time"
)

func TestParseHours(t *testing.T) {
	for _, tt := range []struct {
		in      string
		want    string
		minutes int
		bad     bool
	}{
		{"", "", 0, false},
		{"09:00-13:00,14:00-18:00", "09:00-13:00,14:00-18:00", 480, false},
		{" 9:30-12:00 , 13:00-24:00 ", "09:30-12:00,13:00-24:00", 150 + 660, false},
		{"09:00-13:00,12:00-14:00", "", 0, true}, // overlap
		{"13:00-09:00", "", 0, true},
		{"9-17", "", 0, true},
		{"09:00-24:30", "", 0, true},
		{"09:60-10:00", "", 0, true},
	} {
		spans, err := ParseHours(tt.in)
		if (err != nil) != tt.bad {
			t.Errorf("ParseHours(%q) error = %v, want error %v", tt.in, err, tt.bad)
			continue
		}
		if tt.bad {
			continue
		}
		if got := FormatHours(spans); got != tt.want || spanMinutes(spans) != tt.minutes {
			t.Errorf("ParseHours(%q) = %q (%d min), want %q (%d)", tt.in, got, spanMinutes(spans), tt.want, tt.minutes)
		}
	}
}

func TestCalendarWorkingSpans(t *testing.T) {
	c := &Calendar{Name: "UK", Week: StandardWeek(), Exceptions: []CalendarException{
		{Name: "Christmas", From: Date{2026, 12, 24}, To: Date{2026, 12, 26}},
		{Name: "Short Christmas Eve", From: Date{2026, 12, 24}, Hours: "09:00-12:00"}, // later entries win
	}}
	c.Derive()
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		d       Date
		minutes int
	}{
		{Date{2026, 12, 23}, 480}, {Date{2026, 12, 24}, 180}, {Date{2026, 12, 25}, 0}, {Date{2026, 12, 27}, 0}, {Date{2026, 12, 28}, 480},
	} {
		if got := spanMinutes(c.WorkingSpans(tt.d)); got != tt.minutes {
			t.Errorf("%s: %d working minutes, want %d", tt.d, got, tt.minutes)
		}
	}
	if c.HoursPerDay != 8 || c.Week.Day(time.Saturday) != "" {
		t.Errorf("hours per day %v", c.HoursPerDay)
	}
}

func TestParseHolidays(t *testing.T) {
	got, err := ParseHolidays("# UK 2026\n2026-12-25 Christmas Day\n\n2026-12-28..2026-12-29  Boxing Day (substitute)\r\n")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Name != "Christmas Day" || got[0].To != got[0].From || got[1].From != (Date{2026, 12, 28}) || got[1].To != (Date{2026, 12, 29}) || got[1].Name != "Boxing Day (substitute)" {
		t.Errorf("ParseHolidays = %+v", got)
	}
	_, err = ParseHolidays("2026-12-25 Christmas Day\n25/12/2026 Christmas\n2026-12-26")
	e, ok := err.(*Error)
	if !ok || len(e.Fields) != 2 || e.Fields[0].Field != "line 2" || e.Fields[1].Field != "line 3" {
		t.Errorf("ParseHolidays of bad lines = %v, want problems on lines 2 and 3", err)
	}
}
