package schedule

import (
	"fmt"
	"slices"
	"time"
)

// Span is one period of working time within a day, in minutes after
// midnight, half-open: [From, To).
type Span struct{ From, To int }

// Calendar says when work happens: a working week and dated exceptions
// (holidays, or days with other hours). Dates and times are local wall-clock
// values with no time zone; the engine keeps them in time.UTC.
type Calendar struct {
	ID   string
	Name string
	// Week holds the working spans of each weekday, indexed by time.Weekday
	// (Sunday = 0). A day with no spans is not a working day.
	Week [7][]Span
	// Exceptions override the week on the dates they cover, later entries
	// winning over earlier ones. An exception with no spans is a holiday.
	Exceptions []Exception
}

// Exception replaces the working time of every date from From to To
// inclusive (only the dates count, not the times of day).
type Exception struct {
	From, To time.Time
	Working  []Span
}

// StandardCalendar returns the calendar MS Project calls Standard: Monday to
// Friday, 08:00-12:00 and 13:00-17:00 (8 hours a day), with the given holidays.
func StandardCalendar(holidays ...time.Time) Calendar {
	c := Calendar{ID: "standard", Name: "Standard"}
	day := []Span{{8 * 60, 12 * 60}, {13 * 60, 17 * 60}}
	for wd := time.Monday; wd <= time.Friday; wd++ {
		c.Week[wd] = day
	}
	for _, h := range holidays {
		c.Exceptions = append(c.Exceptions, Exception{From: h, To: h})
	}
	return c
}

// Validate reports spans that are out of order, overlapping or outside the
// day, and a week without any working time.
func (c *Calendar) Validate() error {
	total := 0
	for wd, spans := range c.Week {
		if err := checkSpans(spans); err != nil {
			return fmt.Errorf("calendar %q: %s: %w", c.ID, time.Weekday(wd), err)
		}
		for _, s := range spans {
			total += s.To - s.From
		}
	}
	if total == 0 {
		return fmt.Errorf("calendar %q: the working week has no working time", c.ID)
	}
	for i, e := range c.Exceptions {
		if e.To.Before(e.From) {
			return fmt.Errorf("calendar %q: exception %d ends (%s) before it starts (%s)", c.ID, i, e.To.Format(time.DateOnly), e.From.Format(time.DateOnly))
		}
		if err := checkSpans(e.Working); err != nil {
			return fmt.Errorf("calendar %q: exception %d: %w", c.ID, i, err)
		}
	}
	return nil
}

func checkSpans(spans []Span) error {
	prev := 0
	for _, s := range spans {
		if s.From < prev || s.To <= s.From || s.To > 24*60 {
			return fmt.Errorf("working time %s-%s out of order or outside the day", clock(s.From), clock(s.To))
		}
		prev = s.To
	}
	return nil
}

func clock(m int) string { return fmt.Sprintf("%02d:%02d", m/60, m%60) }

// dayNumber is the number of days since 1970-01-01 of t's date.
func dayNumber(t time.Time) int64 {
	if t.Location() == time.UTC { // the engine's times: no calendar arithmetic
		return floorDiv(t.Unix(), 86400)
	}
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// minuteOfDay is t's wall-clock minute after midnight.
func minuteOfDay(t time.Time) int {
	if t.Location() == time.UTC {
		return int((t.Unix() - floorDiv(t.Unix(), 86400)*86400) / 60)
	}
	return t.Hour()*60 + t.Minute()
}

func weekdayOf(day int64) int { return int(((day+4)%7 + 7) % 7) }

// timeline maps working minutes, counted from the project start, to
// wall-clock instants and back for one calendar. It covers a range of days
// that grows on demand; it is not safe for concurrent use while it grows
// (call cover first).
//
// cum and days start as views of a compiled calendar shared through
// compiledCache (their capacity is their length, so that growing copies
// them instead of writing into the shared arrays): a run does not compile
// its calendars again.
type timeline struct {
	cal   *Calendar
	exc   map[int64][]Span // shared, read only
	first int64            // day number of cum[0]; earlier dates count as it
	cum   []int64          // cum[i]: working minutes before day first+i, plus base
	days  [][]Span         // days[i]: the working spans of day first+i
	base  int64            // cum-scale working minutes before the project start
}

const backDays = 3660 // days of history kept before the project start

func newTimeline(c *Calendar, start time.Time) *timeline {
	first := dayNumber(start) - backDays
	comp := compiledFor(c, first)
	off := first - comp.first
	n := int64(len(comp.days))
	tl := &timeline{cal: comp.cal, exc: comp.exc, first: first, cum: comp.cum[off : n+1 : n+1], days: comp.days[off:n:n]}
	tl.base = tl.rawWork(start)
	return tl
}

func (tl *timeline) spans(day int64) []Span {
	if i := day - tl.first; i >= 0 && i < int64(len(tl.days)) {
		return tl.days[i]
	}
	return tl.daySpans(day)
}

func (tl *timeline) daySpans(day int64) []Span {
	if s, ok := tl.exc[day]; ok {
		return s
	}
	return tl.cal.Week[weekdayOf(day)]
}

func (tl *timeline) growDays(n int) {
	tl.cum, tl.days = compileDays(tl.cal, tl.exc, tl.first, tl.cum, tl.days, n)
}

// compileDays appends n days to cum and days, which start at day first.
func compileDays(c *Calendar, exc map[int64][]Span, first int64, cum []int64, days [][]Span, n int) ([]int64, [][]Span) {
	cum, days = slices.Grow(cum, n), slices.Grow(days, n)
	for range n {
		day := first + int64(len(cum)) - 1
		sp, ok := exc[day]
		if !ok {
			sp = c.Week[weekdayOf(day)]
		}
		w := int64(0)
		for _, s := range sp {
			w += int64(s.To - s.From)
		}
		days = append(days, sp)
		cum = append(cum, cum[len(cum)-1]+w)
	}
	return cum, days
}

// cover grows the timeline until it holds working minute w.
func (tl *timeline) cover(w int64) {
	for w += tl.base; tl.cum[len(tl.cum)-1] <= w; {
		n := len(tl.cum)
		if n > maxDays { // a runaway, not a plan
			return
		}
		tl.growDays(n / 2)
	}
}

func (tl *timeline) coverDay(day int64) {
	if need := int(day - tl.first + 2 - int64(len(tl.cum))); need > 0 {
		tl.growDays(need + 366)
	}
}

// maxDays bounds the timeline: dates more than 400 years after its first
// day count as its last day.
const maxDays = 400 * 366

// rawWork is Work plus base.
func (tl *timeline) rawWork(t time.Time) int64 {
	day := dayNumber(t)
	if day < tl.first {
		return tl.cum[0]
	}
	if day-tl.first >= maxDays {
		day = tl.first + maxDays - 1
		t = dayTime(day, 24*60-1)
	}
	tl.coverDay(day)
	w := tl.cum[day-tl.first]
	m := minuteOfDay(t)
	for _, s := range tl.spans(day) {
		if m <= s.From {
			break
		}
		w += int64(min(m, s.To) - s.From)
	}
	return w
}

// Work returns the working minutes between the project start and t
// (negative before the start). Instants outside working time count as the
// next working minute.
func (tl *timeline) Work(t time.Time) int64 { return tl.rawWork(t) - tl.base }

// StartTime returns the instant at which working minute w begins: the
// "start" form of a date (Monday 08:00 rather than Friday 17:00).
func (tl *timeline) StartTime(w int64) time.Time {
	tl.cover(w + 1)
	w += tl.base
	i := searchCum(tl.cum, w+1) - 1
	if i < 0 {
		i = 0
	}
	if i >= len(tl.cum)-1 {
		i = len(tl.cum) - 2
	}
	off := w - tl.cum[i]
	day := tl.first + int64(i)
	for _, s := range tl.spans(day) {
		if n := int64(s.To - s.From); off < n {
			return dayTime(day, int64(s.From)+off)
		} else {
			off -= n
		}
	}
	return dayTime(day, 0)
}

// FinishTime returns the instant at which working minute w-1 ends: the
// "finish" form of a date (Friday 17:00 rather than Monday 08:00).
func (tl *timeline) FinishTime(w int64) time.Time {
	tl.cover(w)
	wb := w + tl.base
	j := searchCum(tl.cum, wb)
	i := j - 1
	if i < 0 {
		return tl.StartTime(w)
	}
	off := wb - tl.cum[i]
	day := tl.first + int64(i)
	for _, s := range tl.spans(day) {
		if n := int64(s.To - s.From); off <= n {
			return dayTime(day, int64(s.From)+off)
		} else {
			off -= n
		}
	}
	return tl.StartTime(w)
}

// searchCum returns the first index i with cum[i] >= w (len(cum) if none),
// as sort.Search would without a call per step.
func searchCum(cum []int64, w int64) int {
	lo, hi := 0, len(cum)
	for lo < hi {
		h := int(uint(lo+hi) >> 1)
		if cum[h] < w {
			lo = h + 1
		} else {
			hi = h
		}
	}
	return lo
}

func dayTime(day, minute int64) time.Time {
	return time.Unix(day*86400+minute*60, 0).UTC()
}
