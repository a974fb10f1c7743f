package mspdi

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The reader's bounds on calendar exceptions: a recurrence falls on at
// most maxOccurrences separate dates, and a file's calendars come to at
// most maxExceptionRanges ranges once read.

// calendarsDoc is a file whose base calendar "Standard" (UID 1) has n
// exceptions recurring every period days from 2024-03-04 to `to`, and
// derived more calendars derived from it.
func calendarsDoc(n, derived, period int, to string) []byte {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><Project xmlns="http://schemas.microsoft.com/project">` +
		`<StartDate>2024-03-04T08:00:00</StartDate><CalendarUID>1</CalendarUID><Calendars>` +
		`<Calendar><UID>1</UID><Name>Standard</Name><IsBaseCalendar>1</IsBaseCalendar><BaseCalendarUID>-1</BaseCalendarUID><Exceptions>`)
	for i := range n {
		fmt.Fprintf(&b, `<Exception><TimePeriod><FromDate>2024-03-04T00:00:00</FromDate><ToDate>%sT23:59:00</ToDate></TimePeriod>`+
			`<Name>Meeting %d</Name><Type>7</Type><Period>%d</Period><DayWorking>1</DayWorking>`+
			`<WorkingTimes><WorkingTime><FromTime>09:00:00</FromTime><ToTime>10:00:00</ToTime></WorkingTime></WorkingTimes></Exception>`, to, i+1, period)
	}
	b.WriteString(`</Exceptions></Calendar>`)
	for i := range derived {
		fmt.Fprintf(&b, `<Calendar><UID>%d</UID><Name>Resource %d</Name><IsBaseCalendar>0</IsBaseCalendar><BaseCalendarUID>1</BaseCalendarUID></Calendar>`, i+2, i+1)
	}
	b.WriteString(`</Calendars><Tasks><Task><UID>1</UID><Name>Build</Name><Duration>PT40H0M0S</Duration></Task></Tasks></Project>`)
	return []byte(b.String())
}

// readProject reads doc and converts it, returning the number of exception
// ranges of all its calendars and the bytes allocated doing so.
func readProject(t *testing.T, doc []byte) (ranges int, alloc uint64, err error) {
	t.Helper()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f, err := Read(strings.NewReader(string(doc)))
	if err == nil {
		p, perr := f.Project()
		err = perr
		if p != nil {
			for _, c := range p.Calendars {
				ranges += len(c.Exceptions)
			}
		}
	}
	runtime.ReadMemStats(&after)
	return ranges, after.TotalAlloc - before.TotalAlloc, err
}

// The file that took 31.5 + 7.8 s of CPU and 3.2 GB in FuzzRead's body:
// five exceptions every second day for 50 years (9,134 dates each) on a
// base calendar with 20 calendars derived from it. It is refused, naming
// the calendar, the exception, the dates and the limit, for a few
// megabytes (bytes allocated, not time, so that the test means the same
// on a loaded machine; the file once came to 959,070 ranges).
func TestRecurrenceLimit(t *testing.T) {
	doc := calendarsDoc(5, 20, 2, "2074-03-08")
	if len(doc) > 8<<10 {
		t.Fatalf("the crafted file is %d bytes, want at most 8 KB", len(doc))
	}
	_, alloc, err := readProject(t, doc)
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("err = %v, want an *Error", err)
	}
	for _, want := range []string{`Calendar UID 1 "Standard": Exception 1 "Meeting 1"`, "9134 dates", "2024-03-04 to 2074-03-08", "999 occurrences"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("err = %q, want it to mention %q", err, want)
		}
	}
	t.Logf("refused for %d bytes allocated: %v", alloc, err)
	if alloc > 8<<20 {
		t.Errorf("refusing the file allocated %d bytes, want at most 8 MiB", alloc)
	}

	// At the limit: 999 dates every second day read; 1,000 do not.
	start := time.Date(2024, 3, 4, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		dates int
		ok    bool
	}{{999, true}, {1000, false}} {
		to := start.AddDate(0, 0, 2*(tc.dates-1)).Format(time.DateOnly)
		ranges, _, err := readProject(t, calendarsDoc(1, 0, 2, to))
		if tc.ok && (err != nil || ranges != tc.dates) || !tc.ok && err == nil {
			t.Errorf("%d dates every second day: %d ranges, err %v", tc.dates, ranges, err)
		}
	}
	// A run of consecutive days is one range, not bounded: a daily
	// exception over 50 years reads.
	if ranges, _, err := readProject(t, calendarsDoc(1, 0, 1, "2074-03-08")); err != nil || ranges != 1 {
		t.Errorf("a daily exception over 50 years: %d ranges, err %v; want 1 range", ranges, err)
	}
}

// The calendars of a file come to at most maxExceptionRanges ranges, a
// derived calendar's copies of its base's exceptions included; the file
// past it is refused naming the calendar that went over, before the copies
// are made.
func TestExceptionRangesLimit(t *testing.T) {
	// Exceptions of 999 dates each (every second day) on the base, and
	// enough derived calendars to come to just under, then just over.
	const per = 999
	n := 10
	to := time.Date(2024, 3, 4, 0, 0, 0, 0, time.UTC).AddDate(0, 0, 2*(per-1)).Format(time.DateOnly)
	calendars := maxExceptionRanges / (n * per) // base included
	ranges, under, err := readProject(t, calendarsDoc(n, calendars-1, 2, to))
	if err != nil || ranges != calendars*n*per {
		t.Fatalf("%d calendars of %d ranges: %d ranges, err %v", calendars, n*per, ranges, err)
	}
	over := calendarsDoc(n, calendars, 2, to)
	_, alloc, err := readProject(t, over)
	t.Logf("%d ranges read for %d bytes allocated; one calendar more refused for %d: %v", ranges, under, alloc, err)
	var e *Error
	if !errors.As(err, &e) || !strings.Contains(err.Error(), fmt.Sprintf("Calendar UID %d: ", calendars+1)) ||
		!strings.Contains(err.Error(), strconv.Itoa(maxExceptionRanges)) {
		t.Fatalf("err = %v, want an *Error naming Calendar UID %d and the limit", err, calendars+1)
	}
	// Refused before the copy that goes over is made: no more than
	// reading the file just under the limit, with a margin of half a
	// calendar's copy (72 bytes a range).
	if limit := under + uint64(n*per*72/2); alloc > limit {
		t.Errorf("refusing %d bytes of file allocated %d bytes, want at most %d", len(over), alloc, limit)
	}
}

// Reading a long daily exception costs one range, not one step a day: a
// thousand daily exceptions over 50 years (316 KB) took 5.7 s of CPU and
// allocated 2.2 GB, expanding 18,000 dates each to merge them. A hundred
// read (1.8 million dates); the thousand are refused at the 110th, past
// maxExceptionDays, for what their XML costs to decode.
func TestDailyExceptionsCheap(t *testing.T) {
	doc := calendarsDoc(100, 0, 1, "2074-03-08")
	ranges, alloc, err := readProject(t, doc)
	t.Logf("%d bytes read for %d bytes allocated", len(doc), alloc)
	if err != nil || ranges != 100 {
		t.Fatalf("%d ranges, err %v; want 100", ranges, err)
	}
	// Reading the file costs about 20 times its size; per day it was
	// 7,000 times.
	if limit := uint64(len(doc)) * 40; alloc > limit {
		t.Errorf("reading %d bytes allocated %d, want at most %d", len(doc), alloc, limit)
	}
	doc = calendarsDoc(1000, 0, 1, "2074-03-08")
	_, alloc, err = readProject(t, doc)
	t.Logf("%d bytes refused for %d bytes allocated: %v", len(doc), alloc, err)
	if err == nil || !strings.Contains(err.Error(), "Exception 110: ") || !strings.Contains(err.Error(), strconv.Itoa(maxExceptionDays)) {
		t.Errorf("err = %v, want Exception 110 and the limit named", err)
	}
	if limit := uint64(len(doc)) * 40; alloc > limit {
		t.Errorf("refusing %d bytes allocated %d, want at most %d", len(doc), alloc, limit)
	}
}

// occurrencesByDay is the expansion as the reader first did it, day by
// day over the period: the reference for occurrences.
func occurrencesByDay(e Exception, from, to time.Time) []time.Time {
	from = time.Date(from.Year(), from.Month(), from.Day(), 0, 0, 0, 0, time.UTC)
	days := min(int(to.Sub(from).Hours()/24)+1, 366*50)
	period := positiveOr(e.Period, 1)
	var out []time.Time
	for i := range days {
		d := from.AddDate(0, 0, i)
		ok := true
		switch strings.TrimSpace(e.Type) {
		case "7":
			ok = i%period == 0
		case "6":
			ok = (i/7)%period == 0 && positiveOr(e.DaysOfWeek, 0)&(1<<int(d.Weekday())) != 0
		case "4":
			months := (d.Year()-from.Year())*12 + int(d.Month()-from.Month())
			ok = d.Day() == positiveOr(e.MonthDay, from.Day()) && months%period == 0
		case "2":
			ok = d.Day() == positiveOr(e.MonthDay, from.Day()) && int(d.Month()) == monthOr(e.Month, int(from.Month())-1)+1
		}
		if ok {
			out = append(out, d)
		}
	}
	return out
}

// expand lists the dates of runs.
func expand(runs []dateRun, _ int) []time.Time {
	var out []time.Time
	for _, r := range runs {
		for d := r.From; !d.After(r.To); d = d.AddDate(0, 0, 1) {
			out = append(out, d)
		}
	}
	return out
}

// occurrences gives the dates the day-by-day expansion gives, as runs of
// consecutive dates, on random recurrences of every type (periods up to
// 60 years long, so that the 50-year cut is crossed too).
func TestOccurrencesMatchDayByDay(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	types := []string{"1", "2", "3", "4", "5", "6", "7", "", "9"}
	for i := range 3000 {
		from := time.Date(1995+rng.IntN(40), time.Month(1+rng.IntN(12)), 1+rng.IntN(31), rng.IntN(24), 0, 0, 0, time.UTC)
		length := rng.IntN(100)
		if i%10 == 0 {
			length = rng.IntN(60 * 366)
		}
		to := from.AddDate(0, 0, length).Add(time.Duration(rng.IntN(24*60)) * time.Minute)
		e := Exception{Type: types[rng.IntN(len(types))], Period: strconv.Itoa(rng.IntN(5)),
			DaysOfWeek: strconv.Itoa(rng.IntN(128)), MonthDay: strconv.Itoa(rng.IntN(33)), Month: strconv.Itoa(rng.IntN(13))}
		want := occurrencesByDay(e, from, to)
		runs, dates := occurrences(e, from, to)
		got := expand(runs, dates)
		if !slices.EqualFunc(got, want, time.Time.Equal) || dates != len(want) {
			t.Fatalf("%+v from %s to %s: %d dates %v…, want %d %v…", e, from, to, dates, head(got), len(want), head(want))
		}
		for k := 1; k < len(runs); k++ {
			if !runs[k].From.After(runs[k-1].To.AddDate(0, 0, 1)) {
				t.Fatalf("%+v from %s to %s: runs %v and %v touch", e, from, to, runs[k-1], runs[k])
			}
		}
	}
}

func head(d []time.Time) []time.Time { return d[:min(len(d), 5)] }

// Every MS Project file in ../shared/data/mspdi reads within the bounds;
// their counts are logged (go test -v -run SampleFiles).
func TestSampleFilesWithinLimits(t *testing.T) {
	for _, sf := range sampleFiles(t) {
		name, doc := sf.name, sf.doc
		f, err := Read(strings.NewReader(string(doc)))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		most := 0 // dates of the exception that falls on most separate dates
		for _, c := range f.Calendars {
			for _, e := range c.Exceptions {
				from, err1 := ParseTime(e.TimePeriod.FromDate)
				to, err2 := ParseTime(e.TimePeriod.ToDate)
				if runs, dates := occurrences(e, from, to); err1 == nil && err2 == nil && len(runs) > 1 {
					most = max(most, dates)
				}
			}
		}
		p, err := f.Project()
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		ranges, days := 0, 0
		for _, c := range p.Calendars {
			ranges += len(c.Exceptions)
			for _, e := range c.Exceptions {
				days += int(e.To.Sub(e.From).Hours()/24) + 1
			}
		}
		t.Logf("%-52s %3d calendars, %3d recurring dates at most, %4d ranges covering %5d dates", name, len(f.Calendars), most, ranges, days)
	}
}

// A yearly recurrence's Month counts from 0 = January: "0" is January, not
// "no month given" (it fell back to the start date's month).
func TestYearlyRecurrenceInJanuary(t *testing.T) {
	from, to := time.Date(2024, 3, 4, 0, 0, 0, 0, time.UTC), time.Date(2027, 12, 31, 0, 0, 0, 0, time.UTC)
	runs, dates := occurrences(Exception{Type: "2", Month: "0", MonthDay: "15"}, from, to)
	if dates != 3 || len(runs) != 3 {
		t.Fatalf("%d dates in %d runs, want 3 (15 January 2025-2027): %v", dates, len(runs), runs)
	}
	for i, r := range runs {
		if want := time.Date(2025+i, 1, 15, 0, 0, 0, 0, time.UTC); !r.From.Equal(want) || !r.To.Equal(want) {
			t.Errorf("run %d = %v, want %s", i, r, want.Format(time.DateOnly))
		}
	}
}

// BenchmarkCalendarExceptions: the cost of the files of docs/BENCHMARKS.md
// ("Limits on calendar exceptions") on the import path (Read and Project)
// and in FuzzRead's body (which also schedules, writes and checks).
//
//	go test ./mspdi -run XXX -bench CalendarExceptions -benchmem
func BenchmarkCalendarExceptions(b *testing.B) {
	atBound := time.Date(2024, 3, 4, 0, 0, 0, 0, time.UTC).AddDate(0, 0, 2*985).Format(time.DateOnly) // 986 dates every 2nd day
	for _, c := range []struct {
		name string
		doc  []byte
	}{
		{"crafted 5x every 2nd day 50y 20 derived", calendarsDoc(5, 20, 2, "2074-03-08")},
		{"1000 daily 50y", calendarsDoc(1000, 0, 1, "2074-03-08")},
		{"20000 daily 50y", calendarsDoc(20000, 0, 1, "2074-03-08")},
		{"at the bound 10x986 dates 19 derived", calendarsDoc(10, 19, 2, atBound)},
	} {
		b.Run("import/"+c.name, func(b *testing.B) {
			b.SetBytes(int64(len(c.doc)))
			for b.Loop() {
				if f, err := Read(bytes.NewReader(c.doc)); err == nil {
					_, _ = f.Project()
				}
			}
		})
		b.Run("fuzzbody/"+c.name, func(b *testing.B) {
			for b.Loop() {
				readWriteCheck(b, c.doc)
			}
		})
	}
}
