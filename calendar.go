package tandem

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// EntityCalendar is the entity type of working calendars.
const EntityCalendar = "calendar"

// Calendar is a working calendar of a workspace: which weekdays are worked,
// at which hours, and dated exceptions (public holidays, days with other
// hours). Projects schedule their items on one: their own calendar_id, else
// the workspace's default calendar, else Monday to Friday, 8 hours a day.
type Calendar struct {
	Meta
	Name string `json:"name"`
	// Default marks the workspace's default calendar; at most one is.
	Default bool     `json:"default"`
	Week    WorkWeek `json:"week"`
	// HoursPerDay is derived from the week: the average hours of its
	// working days. A duration of one day is this many working hours.
	HoursPerDay float64             `json:"hours_per_day"`
	Exceptions  []CalendarException `json:"exceptions"`
}

// WorkWeek holds the working hours of each weekday as text, e.g.
// "09:00-13:00,14:00-18:00"; "" is a day off.
type WorkWeek struct {
	Monday    string `json:"monday"`
	Tuesday   string `json:"tuesday"`
	Wednesday string `json:"wednesday"`
	Thursday  string `json:"thursday"`
	Friday    string `json:"friday"`
	Saturday  string `json:"saturday"`
	Sunday    string `json:"sunday"`
}

// StandardWeek is Monday to Friday, 09:00-13:00 and 14:00-18:00.
func StandardWeek() WorkWeek {
	const day = "09:00-13:00,14:00-18:00"
	return WorkWeek{Monday: day, Tuesday: day, Wednesday: day, Thursday: day, Friday: day}
}

// Day returns the hours of weekday wd.
func (w *WorkWeek) Day(wd time.Weekday) string {
	return *w.day(wd)
}

func (w *WorkWeek) day(wd time.Weekday) *string {
	switch wd {
	case time.Monday:
		return &w.Monday
	case time.Tuesday:
		return &w.Tuesday
	case time.Wednesday:
		return &w.Wednesday
	case time.Thursday:
		return &w.Thursday
	case time.Friday:
		return &w.Friday
	case time.Saturday:
		return &w.Saturday
	}
	return &w.Sunday
}

// SetDay sets the hours of weekday wd.
func (w *WorkWeek) SetDay(wd time.Weekday, hours string) { *w.day(wd) = hours }

// CalendarException is a date range with other working time than the
// week: a holiday when Hours is "", else those hours on each of its dates.
type CalendarException struct {
	Name  string `json:"name"`
	From  Date   `json:"from"`
	To    Date   `json:"to"` // inclusive; unset = From
	Hours string `json:"hours"`
}

// Holiday reports whether the exception is a day (or days) off.
func (e *CalendarException) Holiday() bool { return strings.TrimSpace(e.Hours) == "" }

// TimeSpan is a period of working time in a day, in minutes after
// midnight, half-open: [From, To).
type TimeSpan struct{ From, To int }

// MaxCalendarExceptions bounds the exceptions of one calendar.
const MaxCalendarExceptions = 2000

// ParseHours reads working hours like "09:00-13:00,14:00-18:00" ("" is
// none). Spans must be in order, must not overlap, and "24:00" ends a day.
func ParseHours(s string) ([]TimeSpan, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, nil
	}
	var out []TimeSpan
	prev := 0
	for _, part := range strings.Split(s, ",") {
		from, to, ok := strings.Cut(strings.TrimSpace(part), "-")
		if !ok {
			return nil, fmt.Errorf("%q is not a period like 09:00-13:00", strings.TrimSpace(part))
		}
		a, err := parseClock(from)
		if err != nil {
			return nil, err
		}
		b, err := parseClock(to)
		if err != nil {
			return nil, err
		}
		if b <= a {
			return nil, fmt.Errorf("%s ends before it starts", strings.TrimSpace(part))
		}
		if a < prev {
			return nil, fmt.Errorf("%s overlaps or comes before the period before it", strings.TrimSpace(part))
		}
		out = append(out, TimeSpan{a, b})
		prev = b
	}
	return out, nil
}

func parseClock(s string) (int, error) {
	s = strings.TrimSpace(s)
	var h, m int
	if n, err := fmt.Sscanf(s, "%d:%d", &h, &m); n != 2 || err != nil || len(s) < 4 || len(s) > 5 {
		return 0, fmt.Errorf("%q is not a time like 09:00", s)
	}
	if h < 0 || m < 0 || m > 59 || h > 24 || (h == 24 && m != 0) {
		return 0, fmt.Errorf("%q is not a time of day", s)
	}
	return h*60 + m, nil
}

// FormatHours writes spans as ParseHours reads them.
func FormatHours(spans []TimeSpan) string {
	parts := make([]string, len(spans))
	for i, s := range spans {
		parts[i] = fmt.Sprintf("%02d:%02d-%02d:%02d", s.From/60, s.From%60, s.To/60, s.To%60)
	}
	return strings.Join(parts, ",")
}

func spanMinutes(spans []TimeSpan) int {
	n := 0
	for _, s := range spans {
		n += s.To - s.From
	}
	return n
}

// MinutesPerDay is the length of a working day: the average working
// minutes of the week's working days (0 when the week has none or does not
// parse).
func (c *Calendar) MinutesPerDay() int {
	total, days := 0, 0
	for wd := time.Sunday; wd <= time.Saturday; wd++ {
		spans, err := ParseHours(c.Week.Day(wd))
		if err != nil {
			return 0
		}
		if m := spanMinutes(spans); m > 0 {
			total += m
			days++
		}
	}
	if days == 0 {
		return 0
	}
	return (total + days/2) / days
}

// Derive fills the derived fields and normalizes the text of hours and
// exception ranges; call it before Validate.
func (c *Calendar) Derive() {
	c.Name = strings.TrimSpace(c.Name)
	for wd := time.Sunday; wd <= time.Saturday; wd++ {
		if spans, err := ParseHours(c.Week.Day(wd)); err == nil {
			c.Week.SetDay(wd, FormatHours(spans))
		}
	}
	if c.Exceptions == nil {
		c.Exceptions = []CalendarException{}
	}
	for i := range c.Exceptions {
		e := &c.Exceptions[i]
		e.Name = strings.TrimSpace(e.Name)
		if e.To.IsZero() {
			e.To = e.From
		}
		if spans, err := ParseHours(e.Hours); err == nil {
			e.Hours = FormatHours(spans)
		}
	}
	c.HoursPerDay = float64(c.MinutesPerDay()) / 60
}

// Validate checks the calendar's fields.
func (c *Calendar) Validate() error {
	var p Problems
	validateTitle(&p, "name", c.Name, 200)
	working := 0
	for wd := time.Sunday; wd <= time.Saturday; wd++ {
		spans, err := ParseHours(c.Week.Day(wd))
		if err != nil {
			p.Add("week."+strings.ToLower(wd.String()), "%v", err)
			continue
		}
		working += spanMinutes(spans)
	}
	if working == 0 && len(p) == 0 {
		p.Add("week", "must have at least one working day")
	}
	if len(c.Exceptions) > MaxCalendarExceptions {
		p.Add("exceptions", "must be at most %d", MaxCalendarExceptions)
	}
	for i, e := range c.Exceptions {
		f := fmt.Sprintf("exceptions[%d]", i)
		if s := strings.TrimSpace(e.Name); s == "" {
			p.Add(f+".name", "is required")
		} else if len(s) > 200 {
			p.Add(f+".name", "must be at most 200 characters")
		}
		if e.From.IsZero() {
			p.Add(f+".from", "is required")
		}
		if !e.To.IsZero() && !e.From.IsZero() {
			if e.To.Before(e.From) {
				p.Add(f+".to", "must not be before from")
			} else if e.To.Time().Sub(e.From.Time()) > 366*24*time.Hour {
				p.Add(f+".to", "must be at most a year after from")
			}
		}
		if _, err := ParseHours(e.Hours); err != nil {
			p.Add(f+".hours", "%v", err)
		}
	}
	return p.Err("calendar")
}

// WorkingSpans returns the working time of date d: the last exception
// covering it, else its weekday's hours. Hours that do not parse count as
// none (Validate rejects them).
func (c *Calendar) WorkingSpans(d Date) []TimeSpan {
	for i := len(c.Exceptions) - 1; i >= 0; i-- {
		e := &c.Exceptions[i]
		to := e.To
		if to.IsZero() {
			to = e.From
		}
		if !d.Before(e.From) && !to.Before(d) {
			spans, _ := ParseHours(e.Hours)
			return spans
		}
	}
	spans, _ := ParseHours(c.Week.Day(d.Time().Weekday()))
	return spans
}

// IsWorkingDay reports whether any work happens on d.
func (c *Calendar) IsWorkingDay(d Date) bool { return len(c.WorkingSpans(d)) > 0 }

// CalendarUpdate holds the fields to change; nil means unchanged. An
// exceptions list replaces the stored one.
type CalendarUpdate struct {
	Name       *string              `json:"name"`
	Default    *bool                `json:"default"`
	Week       *WorkWeek            `json:"week"`
	Exceptions *[]CalendarException `json:"exceptions"`
}

// Apply copies the set fields onto c.
func (u *CalendarUpdate) Apply(c *Calendar) {
	set(&c.Name, u.Name)
	set(&c.Default, u.Default)
	set(&c.Week, u.Week)
	set(&c.Exceptions, u.Exceptions)
}

// CalendarFilter selects calendars.
type CalendarFilter struct {
	Q string
	Page
}

// CalendarService keeps a workspace's working calendars. See GoalService
// for the conventions.
type CalendarService interface {
	FindCalendarByID(ctx context.Context, ws, id string) (*Calendar, error)
	// FindCalendars lists calendars ordered by creation.
	FindCalendars(ctx context.Context, ws string, f CalendarFilter) ([]*Calendar, string, error)
	// FindDefaultCalendar returns the workspace's default calendar, ENotFound
	// when it has none.
	FindDefaultCalendar(ctx context.Context, ws string) (*Calendar, error)
	// CreateCalendar stores c; with Default set, the workspace's former
	// default calendar stops being the default.
	CreateCalendar(ctx context.Context, ws string, c *Calendar) error
	UpdateCalendar(ctx context.Context, ws, id string, upd CalendarUpdate, version int64) (*Calendar, error)
	// DeleteCalendar deletes a calendar; EConflict when a project uses it,
	// by its calendar_id or, for the default calendar, by having none.
	DeleteCalendar(ctx context.Context, ws, id string) error
}

// ParseHolidays reads public holidays pasted one a line, a date (or a range
// "2026-12-24..2026-12-26") and a name: "2026-12-25 Christmas Day". Blank
// lines and lines starting with # are skipped. Problems name their line.
func ParseHolidays(text string) ([]CalendarException, error) {
	var out []CalendarException
	var p Problems
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		field := fmt.Sprintf("line %d", i+1)
		when, name, _ := strings.Cut(line, " ")
		when, name = strings.TrimSpace(strings.TrimSuffix(when, ",")), strings.TrimSpace(name)
		from, to, isRange := strings.Cut(when, "..")
		e := CalendarException{Name: name}
		var err error
		if e.From, err = ParseDate(from); err != nil {
			p.Add(field, "%v", err)
			continue
		}
		e.To = e.From
		if isRange {
			if e.To, err = ParseDate(to); err != nil {
				p.Add(field, "%v", err)
				continue
			}
		}
		if e.Name == "" {
			p.Add(field, "needs a name after the date, like 2026-12-25 Christmas Day")
			continue
		}
		out = append(out, e)
	}
	if err := p.Err("list of holidays"); err != nil {
		return nil, err
	}
	return out, nil
}
