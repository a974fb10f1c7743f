package projectplan

import (
	"sort"
	"time"

	"github.com/tandem-pm/tandem"
	"github.com/tandem-pm/tandem/schedule"
)

// CalendarInfo says which calendar a schedule was computed on.
type CalendarInfo struct {
	ID          string  `json:"id"` // "" for the built-in standard calendar
	Name        string  `json:"name"`
	HoursPerDay float64 `json:"hours_per_day"`
}

// workCal is a working calendar as the app counts it: whole working days,
// numbered from a fixed Monday (1970-01-05 is index 1); a date that is not
// worked maps to the index of the next working day, where work dated on it
// can start. Exceptions with working hours make a day worked, holidays make
// it not worked, whatever its hours.
type workCal struct {
	info    CalendarInfo
	mpd     int     // working minutes in a day of duration
	week    [7]bool // by time.Weekday
	prefix  [8]int  // working days among the first k days of a Monday-first week
	perWeek int     // prefix[7]
	exc     []int64 // day numbers whose working status differs from their weekday's, sorted
	excCum  []int   // excCum[i]: the correction for days after exc[0..i)
	engine  schedule.Calendar
	source  *tandem.Calendar // nil for the built-in standard calendar
	// uniform: every working day, exceptions included, has mpd minutes, so
	// that n working days are exactly n*mpd working minutes.
	uniform bool
}

// standardCal is Monday to Friday, 09:00-13:00 and 14:00-18:00 (the hours
// of tandem.StandardWeek, so that it lines up with workspace calendars of
// the usual hours), with no holidays: what projects without a calendar are
// scheduled on.
var standardCal = newStandardCal()

func newStandardCal() *workCal {
	c := adapt(&tandem.Calendar{Name: "Standard", Week: tandem.StandardWeek()})
	c.info = CalendarInfo{Name: "Standard (Monday to Friday, 8 hours)", HoursPerDay: 8}
	c.source = nil
	return c
}

// calendarOf adapts a workspace calendar; nil is the standard calendar.
func calendarOf(tc *tandem.Calendar) *workCal {
	if tc == nil || tc.MinutesPerDay() <= 0 {
		return standardCal
	}
	return adapt(tc)
}

func adapt(tc *tandem.Calendar) *workCal {
	mpd := tc.MinutesPerDay()
	c := &workCal{info: CalendarInfo{ID: tc.ID, Name: tc.Name, HoursPerDay: float64(mpd) / 60}, mpd: mpd,
		engine: schedule.Calendar{ID: "cal", Name: tc.Name}, source: tc}
	for wd := time.Sunday; wd <= time.Saturday; wd++ {
		spans, _ := tandem.ParseHours(tc.Week.Day(wd))
		c.week[wd] = len(spans) > 0
		c.engine.Week[wd] = engineSpans(spans)
	}
	status := map[int64]bool{}
	for _, e := range tc.Exceptions {
		to := e.To
		if to.IsZero() || to.Before(e.From) {
			to = e.From
		}
		spans, _ := tandem.ParseHours(e.Hours)
		c.engine.Exceptions = append(c.engine.Exceptions, schedule.Exception{From: e.From.Time(), To: to.Time(), Working: engineSpans(spans)})
		for d := dayNum(e.From); d <= dayNum(to); d++ {
			status[d] = len(spans) > 0 // later exceptions win, as in the engine
		}
	}
	for d, working := range status {
		if working != c.week[weekdayOfDay(d)] {
			c.exc = append(c.exc, d)
		}
	}
	sort.Slice(c.exc, func(i, j int) bool { return c.exc[i] < c.exc[j] })
	c.index()
	c.uniform = true
	minutes := func(spans []schedule.Span) int {
		n := 0
		for _, x := range spans {
			n += x.To - x.From
		}
		return n
	}
	for _, sp := range c.engine.Week {
		if m := minutes(sp); m != 0 && m != mpd {
			c.uniform = false
		}
	}
	for _, e := range c.engine.Exceptions {
		if m := minutes(e.Working); m != 0 && m != mpd {
			c.uniform = false
		}
	}
	return c
}

func engineSpans(spans []tandem.TimeSpan) []schedule.Span {
	out := make([]schedule.Span, len(spans))
	for i, s := range spans {
		out[i] = schedule.Span{From: s.From, To: s.To}
	}
	return out
}

func (c *workCal) index() {
	order := [7]time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday, time.Sunday}
	for k, wd := range order {
		c.prefix[k+1] = c.prefix[k]
		if c.week[wd] {
			c.prefix[k+1]++
		}
	}
	c.perWeek = c.prefix[7]
	c.excCum = make([]int, len(c.exc)+1)
	for i, d := range c.exc {
		delta := 1
		if c.week[weekdayOfDay(d)] {
			delta = -1
		}
		c.excCum[i+1] = c.excCum[i] + delta
	}
}

// dayNum is the number of days from 1970-01-01 to d.
func dayNum(d tandem.Date) int64 { return int64(floorDiv(int(d.Time().Unix()), 86400)) }

func weekdayOfDay(n int64) time.Weekday { return time.Weekday(mod(int(n)+4, 7)) } // 1970-01-01 was a Thursday

func dateOfDay(n int64) tandem.Date { return tandem.DateOf(time.Unix(n*86400, 0).UTC()) }

// before counts the working days before day n.
func (c *workCal) before(n int64) int {
	days := int(n) + 3 // days since Monday 1969-12-29
	w := floorDiv(days, 7)*c.perWeek + c.prefix[mod(days, 7)]
	i := sort.Search(len(c.exc), func(i int) bool { return c.exc[i] >= n })
	return w + c.excCum[i]
}

// working reports whether date d is a working day.
func (c *workCal) working(d tandem.Date) bool {
	n := dayNum(d)
	return c.before(n+1) > c.before(n)
}

// workIndex returns the index of the first working day on or after d.
func (c *workCal) workIndex(d tandem.Date) int { return c.before(dayNum(d)) }

// workDate returns the date of working-day index w.
func (c *workCal) workDate(w int) tandem.Date {
	// The w-th working day is the first day n with before(n+1) > w; a
	// search over four centuries either side of 1970 covers any plan.
	const span = 146097
	n := sort.Search(2*span, func(i int) bool { return c.before(int64(i-span)+1) > w })
	return dateOfDay(int64(n - span))
}

// finishIndex returns the exclusive working-day index after the last day d.
func (c *workCal) finishIndex(d tandem.Date) int { return c.workIndex(d.AddDays(1)) }

// countWorkDays returns the number of working days from start to finish, both included.
func (c *workCal) countWorkDays(start, finish tandem.Date) int {
	return max(c.finishIndex(finish)-c.workIndex(start), 0)
}

// NonWorking reports whether date t is a day off on the calendar the
// schedule was computed on (for shading a chart).
func (s *Schedule) NonWorking(t time.Time) bool { return !s.calendar().working(tandem.DateOf(t)) }

func (s *Schedule) calendar() *workCal {
	if s.cal == nil {
		return standardCal
	}
	return s.cal
}

// daySpans returns the working time of date d (none on a day off).
func (c *workCal) daySpans(d tandem.Date) []schedule.Span {
	t := d.Time()
	for i := len(c.engine.Exceptions) - 1; i >= 0; i-- {
		e := &c.engine.Exceptions[i]
		if !t.Before(e.From) && !e.To.Before(t) {
			return e.Working
		}
	}
	return c.engine.Week[t.Weekday()]
}

// dayStart and dayEnd are the instants work starts and ends on date d:
// the first and last working minute (midnight on a day off).
func (c *workCal) dayStart(d tandem.Date) time.Time {
	if sp := c.daySpans(d); len(sp) > 0 {
		return d.Time().Add(time.Duration(sp[0].From) * time.Minute)
	}
	return d.Time()
}

func (c *workCal) dayEnd(d tandem.Date) time.Time {
	if sp := c.daySpans(d); len(sp) > 0 {
		return d.Time().Add(time.Duration(sp[len(sp)-1].To) * time.Minute)
	}
	return d.Time()
}

// WorkingDays is a calendar as whole working days, for a browser to count
// days as the schedule does (gantt.js): the working weekdays, and the dates
// that are the other way round from their weekday (holidays on working
// weekdays, worked days on the others).
type WorkingDays struct {
	Week [7]bool       `json:"week"` // by time.Weekday, Sunday = 0
	Flip []tandem.Date `json:"flip"` // sorted
}

// WorkingDays returns the working days of the calendar the schedule was
// computed on.
func (s *Schedule) WorkingDays() WorkingDays {
	c := s.calendar()
	out := WorkingDays{Week: c.week, Flip: make([]tandem.Date, len(c.exc))}
	for i, n := range c.exc {
		out.Flip[i] = dateOfDay(n)
	}
	return out
}
