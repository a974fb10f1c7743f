package mspdi

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"
)

// Inputs that once made FuzzRead stall: each exec took seconds.

// A recurring exception reads as ranges of consecutive dates, not one
// exception a day: a daily one over 50 years is one exception.
func TestRecurringExceptionRanges(t *testing.T) {
	doc := func(typ, period string) string {
		return `<Project xmlns="http://schemas.microsoft.com/project"><StartDate>2024-03-04T08:00:00</StartDate><Calendars><Calendar><UID>1</UID>` +
			`<Exceptions><Exception><TimePeriod><FromDate>2024-03-04T00:00:00</FromDate><ToDate>2074-03-08T23:59:00</ToDate></TimePeriod>` +
			`<Type>` + typ + `</Type><Period>` + period + `</Period><DaysOfWeek>42</DaysOfWeek><DayWorking>1</DayWorking>` +
			`<WorkingTimes><WorkingTime><FromTime>09:00:00</FromTime><ToTime>10:00:00</ToTime></WorkingTime></WorkingTimes></Exception></Exceptions>` +
			`</Calendar></Calendars></Project>`
	}
	day := func(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d }
	for _, tc := range []struct {
		name, typ, period string
		perDate           bool      // one exception per date (none are consecutive), or one in all
		first, firstTo    time.Time // the first one's dates
	}{
		{"daily", "1", "1", false, day("2024-03-04"), day("2074-03-08")},
		{"every day", "7", "1", false, day("2024-03-04"), day("2074-03-08")},
		{"every second day", "7", "2", true, day("2024-03-04"), day("2024-03-04")},
		// Monday, Wednesday, Friday (bits 1, 3, 5).
		{"weekly", "6", "1", true, day("2024-03-04"), day("2024-03-04")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, err := Read(strings.NewReader(doc(tc.typ, tc.period)))
			if err != nil {
				t.Fatal(err)
			}
			p, err := f.Project()
			if err != nil {
				t.Fatal(err)
			}
			dates := len(occurrences(f.Calendars[0].Exceptions[0], tc.first, day("2074-03-08")))
			n := 1
			if tc.perDate {
				n = dates
			}
			ex := p.Calendars[0].Exceptions
			if len(ex) != n || !ex[0].From.Equal(tc.first) || !ex[0].To.Equal(tc.firstTo) || len(ex[0].Working) != 1 {
				t.Fatalf("%d exceptions, first %v; want %d, first %s to %s", len(ex), ex[0], n, tc.first.Format(time.DateOnly), tc.firstTo.Format(time.DateOnly))
			}
			days := 0
			for _, e := range ex {
				days += int(e.To.Sub(e.From).Hours()/24) + 1
			}
			if days != dates {
				t.Errorf("the ranges cover %d dates, the recurrence %d", days, dates)
			}
		})
	}
}

// Check's memory grows linearly with the number of elements: the text of
// an element with many children (the white space between them) was grown
// by string concatenation, copying it once per child. Bytes allocated,
// not time, so that the test means the same on a loaded machine.
func TestCheckIsLinear(t *testing.T) {
	doc := func(n int) []byte {
		var b strings.Builder
		b.WriteString(`<Project xmlns="http://schemas.microsoft.com/project"><Calendars><Calendar><UID>1</UID><Exceptions>`)
		for i := range n {
			fmt.Fprintf(&b, "\n      <Exception><Name>%d</Name></Exception>", i)
		}
		b.WriteString("\n</Exceptions></Calendar></Calendars></Project>")
		return []byte(b.String())
	}
	alloc := func(d []byte) uint64 {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		Check(d)
		runtime.ReadMemStats(&after)
		return after.TotalAlloc - before.TotalAlloc
	}
	small, large := alloc(doc(5000)), alloc(doc(20000))
	if ratio := float64(large) / float64(small); ratio > 6 {
		t.Errorf("Check allocated %d bytes for 5,000 exceptions and %d for 20,000 (%.1f times): not linear", small, large, ratio)
	}
}
