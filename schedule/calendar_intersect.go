package schedule

import "slices"

// intersectSpans returns the working time common to two sorted,
// non-overlapping span lists.
func intersectSpans(a, b []Span) []Span {
	var out []Span
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		from, to := max(a[i].From, b[j].From), min(a[i].To, b[j].To)
		if from < to {
			out = append(out, Span{from, to})
		}
		if a[i].To < b[j].To {
			i++
		} else {
			j++
		}
	}
	return out
}

// exceptionDays expands a calendar's exceptions into one entry per date
// (later exceptions winning, as in the timeline), bounded like the timeline.
func exceptionDays(c *Calendar) map[int64][]Span {
	m := make(map[int64][]Span)
	for _, e := range c.Exceptions {
		for d := dayNumber(e.From); d <= dayNumber(e.To) && d-dayNumber(e.From) < 100000; d++ {
			m[d] = e.Working
		}
	}
	return m
}

// intersectCalendars returns the calendar on which a task with its own
// calendar works with a resource that has another one: working time only
// where both work (MS Project's rule unless the task ignores resource
// calendars). Every date that is an exception in either calendar becomes an
// exception of the result, with the spans common to both on that date.
func intersectCalendars(a, b *Calendar) Calendar {
	c := Calendar{ID: a.ID + " & " + b.ID, Name: a.Name + " & " + b.Name}
	for wd := range c.Week {
		c.Week[wd] = intersectSpans(a.Week[wd], b.Week[wd])
	}
	ea, eb := exceptionDays(a), exceptionDays(b)
	daySpans := func(c *Calendar, exc map[int64][]Span, d int64) []Span {
		if s, ok := exc[d]; ok {
			return s
		}
		return c.Week[weekdayOf(d)]
	}
	add := func(d int64) {
		sp := intersectSpans(daySpans(a, ea, d), daySpans(b, eb, d))
		t := dayTime(d, 0)
		c.Exceptions = append(c.Exceptions, Exception{From: t, To: t, Working: sp})
	}
	for d := range ea {
		add(d)
	}
	for d := range eb {
		if _, done := ea[d]; !done {
			add(d)
		}
	}
	// In date order: the same calendars give the same result (and share
	// one compiled timeline, see compiledCache).
	slices.SortFunc(c.Exceptions, func(x, y Exception) int { return x.From.Compare(y.From) })
	return c
}

func (c *Calendar) hasWorkingWeek() bool {
	for _, d := range c.Week {
		if len(d) > 0 {
			return true
		}
	}
	return false
}
