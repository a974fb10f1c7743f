package mspdi

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/tandem-pm/tandem/schedule"
)

// Project converts the file into the schedule engine's input. Task IDs are
// the file's task UIDs. The project summary task (UID 0 / outline level 0),
// null tasks and inactive tasks are left out, and so are material and cost
// resources. Assignments keep their work and units (a contoured one its
// mean units); see docs/schedule-format.md for what is read and
// docs/schedule.md for how it is scheduled.
func (f *File) Project() (*schedule.Project, error) {
	p := &schedule.Project{Name: f.Name}
	if p.Name == "" {
		p.Name = f.Title
	}
	var err error
	if p.Start, err = ParseTime(f.StartDate); err != nil {
		return nil, &Error{Element: "Project: StartDate", Problem: err.Error()}
	}
	if f.StatusDate != "" {
		if t, err := ParseTime(f.StatusDate); err == nil {
			p.StatusDate = t
		}
	}
	p.MinutesPerDay = 480
	if f.MinutesPerDay != "" {
		mpd, err := strconv.Atoi(strings.TrimSpace(f.MinutesPerDay))
		if err != nil || mpd <= 0 || mpd > 1440 {
			return nil, &Error{Element: "Project: MinutesPerDay", Problem: fmt.Sprintf("%q is not a number of minutes in a day", f.MinutesPerDay)}
		}
		p.MinutesPerDay = mpd
	}
	cals, err := f.calendars()
	if err != nil {
		return nil, err
	}
	p.Calendars = cals
	if len(cals) == 0 {
		p.Calendars = []schedule.Calendar{schedule.StandardCalendar()}
	}
	p.Calendar = strings.TrimSpace(f.CalendarUID)
	found := false
	for _, c := range p.Calendars {
		found = found || c.ID == p.Calendar
	}
	if !found {
		p.Calendar = p.Calendars[0].ID
	}

	// Outline: a stack of the latest task at each level gives parents.
	var stack []string
	uids := make(map[string]bool)
	for i := range f.Tasks {
		t := &f.Tasks[i]
		el := func(field string) string { return fmt.Sprintf("Task UID %s: %s", t.UID, field) }
		uid := strings.TrimSpace(t.UID)
		if uid == "" {
			return nil, &Error{Element: fmt.Sprintf("Task #%d", i+1), Problem: "no UID"}
		}
		level := 1
		if t.OutlineLevel != "" {
			if level, err = strconv.Atoi(strings.TrimSpace(t.OutlineLevel)); err != nil || level < 0 || level > 1000 {
				return nil, &Error{Element: el("OutlineLevel"), Problem: fmt.Sprintf("%q is not a level", t.OutlineLevel)}
			}
		}
		if level == 0 || t.IsNull == "1" || t.Active == "0" {
			continue
		}
		if uids[uid] {
			return nil, &Error{Element: el("UID"), Problem: "duplicate UID"}
		}
		uids[uid] = true
		if level > len(stack)+1 {
			level = len(stack) + 1 // a skipped level hangs under the last task
		}
		stack = stack[:level-1]
		st := schedule.Task{ID: uid, Name: t.Name, Milestone: t.Milestone == "1"}
		if level > 1 {
			st.Parent = stack[level-2]
		}
		stack = append(stack, uid)
		if t.Duration != "" {
			m, err := ParseDuration(t.Duration)
			if err != nil || m < 0 {
				return nil, &Error{Element: el("Duration"), Problem: fmt.Sprintf("bad duration %q", t.Duration)}
			}
			st.Elapsed = elapsedFormat(t.DurationFormat)
			st.Duration = int64(math.Round(m))
		}
		if t.ConstraintType != "" {
			c, err := strconv.Atoi(strings.TrimSpace(t.ConstraintType))
			if err != nil || c < 0 || c > 7 {
				return nil, &Error{Element: el("ConstraintType"), Problem: fmt.Sprintf("%q is not 0..7", t.ConstraintType)}
			}
			st.Constraint = schedule.ConstraintType(c)
			if st.Constraint != schedule.ASAP && st.Constraint != schedule.ALAP {
				if st.ConstraintDate, err = ParseTime(t.ConstraintDate); err != nil {
					return nil, &Error{Element: el("ConstraintDate"), Problem: err.Error()}
				}
			}
		}
		for _, d := range []struct {
			s   string
			dst *time.Time
			f   string
		}{{t.Deadline, &st.Deadline, "Deadline"}, {t.ActualStart, &st.ActualStart, "ActualStart"}, {t.ActualFinish, &st.ActualFinish, "ActualFinish"}} {
			if d.s == "" {
				continue
			}
			if *d.dst, err = ParseTime(d.s); err != nil {
				return nil, &Error{Element: el(d.f), Problem: err.Error()}
			}
		}
		if t.PercentComplete != "" {
			st.PercentComplete, _ = strconv.ParseFloat(strings.TrimSpace(t.PercentComplete), 64)
		}
		if c := strings.TrimSpace(t.CalendarUID); c != "" && c != "-1" {
			st.Calendar = c
		}
		st.IgnoreResourceCalendar = strings.TrimSpace(t.IgnoreResourceCalendar) == "1"
		p.Tasks = append(p.Tasks, st)
	}
	for i := range f.Tasks {
		t := &f.Tasks[i]
		uid := strings.TrimSpace(t.UID)
		if !uids[uid] {
			continue
		}
		for j, l := range t.PredecessorLinks {
			el := fmt.Sprintf("Task UID %s: PredecessorLink %d", uid, j+1)
			from := strings.TrimSpace(l.PredecessorUID)
			if !uids[from] {
				if l.CrossProject == "1" || from == "0" || from == "" {
					continue // links to other projects or to the project summary do not constrain
				}
				return nil, &Error{Element: el, Problem: fmt.Sprintf("predecessor UID %q is not a task of this project", from)}
			}
			lt := schedule.FS
			switch strings.TrimSpace(l.Type) {
			case "0":
				lt = schedule.FF
			case "1", "":
				lt = schedule.FS
			case "2":
				lt = schedule.SF
			case "3":
				lt = schedule.SS
			default:
				return nil, &Error{Element: el, Problem: fmt.Sprintf("link type %q is not 0..3", l.Type)}
			}
			link := schedule.Link{From: from, To: uid, Type: lt}
			if l.LinkLag != "" {
				lag, err := strconv.ParseFloat(strings.TrimSpace(l.LinkLag), 64)
				if err != nil || math.IsNaN(lag) || math.Abs(lag) > 1e12 {
					return nil, &Error{Element: el, Problem: fmt.Sprintf("bad LinkLag %q", l.LinkLag)}
				}
				switch lf := strings.TrimSpace(l.LagFormat); {
				case lf == "19" || lf == "20" || lf == "51" || lf == "52":
					link.LagPercent = lag / 10
				case elapsedFormat(lf):
					link.Lag = int64(math.Round(lag / 10 * float64(p.MinutesPerDay) / 1440))
				default:
					link.Lag = int64(math.Round(lag / 10))
				}
			}
			p.Links = append(p.Links, link)
		}
	}
	resUID := make(map[string]bool)
	for _, r := range f.Resources {
		if r.IsNull == "1" || strings.TrimSpace(r.UID) == "0" {
			continue
		}
		if ty := strings.TrimSpace(r.Type); ty == "0" || ty == "2" {
			// Material and cost resources take no time: their units are
			// quantities, and their calendars do not move the task.
			continue
		}
		capacity := 1.0
		if r.MaxUnits != "" {
			capacity, _ = strconv.ParseFloat(strings.TrimSpace(r.MaxUnits), 64)
		}
		p.Resources = append(p.Resources, schedule.Resource{ID: r.UID, Name: r.Name, Capacity: capacity, Calendar: r.CalendarUID})
		resUID[r.UID] = true
	}
	taskAt := make(map[string]int, len(p.Tasks))
	for i, t := range p.Tasks {
		taskAt[t.ID] = i
	}
	for _, a := range f.Assignments {
		i, ok := taskAt[a.TaskUID]
		if !ok || !resUID[a.ResourceUID] {
			continue
		}
		units := 1.0
		if a.Units != "" {
			units, _ = strconv.ParseFloat(strings.TrimSpace(a.Units), 64)
		}
		d := schedule.Demand{Resource: a.ResourceUID, Units: units}
		if a.Work != "" {
			w, err := ParseDuration(a.Work)
			if err != nil || w < 0 {
				return nil, &Error{Element: fmt.Sprintf("Assignment UID %s: Work", a.UID), Problem: fmt.Sprintf("bad duration %q", a.Work)}
			}
			d.Work = int64(math.Round(w))
			switch share, ok := contourShare(a.WorkContour); {
			case !ok:
				d.Work = 0 // an edited contour: its span is the task's duration
			default:
				d.Units *= share
			}
		}
		p.Tasks[i].Demands = append(p.Tasks[i].Demands, d)
	}
	return p, nil
}

// contourShares are MS Project's predefined work contours (WorkContour 0
// flat .. 7 turtle): the units in each tenth of the assignment's span, in
// percent of its peak units (Microsoft, "Change the work contour of an
// assignment").
var contourShares = [8][10]float64{
	{100, 100, 100, 100, 100, 100, 100, 100, 100, 100}, // flat
	{10, 15, 25, 35, 50, 65, 75, 85, 90, 100},          // back loaded
	{100, 90, 85, 75, 65, 50, 35, 25, 15, 10},          // front loaded
	{25, 50, 100, 50, 25, 25, 50, 100, 50, 25},         // double peak
	{25, 50, 100, 100, 85, 65, 45, 30, 20, 10},         // early peak
	{10, 20, 30, 45, 65, 85, 100, 100, 50, 25},         // late peak
	{10, 20, 40, 80, 100, 100, 80, 40, 20, 10},         // bell
	{25, 50, 75, 100, 100, 100, 100, 75, 50, 25},       // turtle
}

// contourShare is the mean share of its peak units that an assignment with
// this WorkContour works over its span, so that its span is work / (units ×
// share). ok is false for an edited contour (8), whose shape the file does
// not give.
func contourShare(code string) (share float64, ok bool) {
	c, err := strconv.Atoi(strings.TrimSpace(code))
	if code == "" || err == nil && c == 0 {
		return 1, true
	}
	if err != nil || c < 0 || c >= len(contourShares) {
		return 0, false
	}
	sum := 0.0
	for _, v := range contourShares[c] {
		sum += v
	}
	return sum / 1000, true
}

// elapsedFormat reports whether a DurationFormat/LagFormat code is an
// elapsed unit (em, eh, ed, ew, emo, and their estimated forms).
func elapsedFormat(code string) bool {
	switch strings.TrimSpace(code) {
	case "4", "6", "8", "10", "12", "36", "38", "40", "42", "44":
		return true
	}
	return false
}

func parseClock(s string) (int, error) {
	s = strings.TrimSpace(s)
	var h, m, sec int
	if _, err := fmt.Sscanf(s, "%d:%d:%d", &h, &m, &sec); err != nil {
		return 0, fmt.Errorf("bad time of day %q", s)
	}
	if h == 0 && m == 0 && sec == 0 {
		return 0, nil
	}
	if h < 0 || h > 24 || m < 0 || m > 59 {
		return 0, fmt.Errorf("bad time of day %q", s)
	}
	return h*60 + m, nil
}

func spans(wts []WorkingTime, where string) ([]schedule.Span, error) {
	var out []schedule.Span
	for _, w := range wts {
		a, err := parseClock(w.FromTime)
		if err != nil {
			return nil, &Error{Element: where, Problem: err.Error()}
		}
		b, err := parseClock(w.ToTime)
		if err != nil {
			return nil, &Error{Element: where, Problem: err.Error()}
		}
		if b == 0 {
			b = 24 * 60 // 00:00 as an end means midnight
		}
		if b <= a {
			continue
		}
		out = append(out, schedule.Span{From: a, To: b})
	}
	return out, nil
}

// maxOccurrences is the most dates a recurring exception may fall on:
// MS Project ends a recurrence after at most 999 occurrences, so a file
// with more did not come from it. An exception whose dates are one run of
// consecutive days (a plain date range, a daily recurrence) reads as one
// range, whatever its length, and is not bounded by it.
const maxOccurrences = 999

// maxExceptionRanges bounds the exception ranges of all the calendars of a
// file once read: recurrences expanded, and each derived calendar holding
// its base's exceptions as well as its own (the engine's calendars have no
// base). Reading and scheduling cost about 100 bytes a range, but writing
// and checking a file cost 3.8 KB and 40 µs a range, and a few kilobytes
// of recurrences on a base calendar with many derived calendars came to a
// million ranges (docs/BENCHMARKS.md, "The FuzzRead stall"). The sample
// files come to at most 228; 500 resource calendars on a base with 15
// holidays a year for 20 years come to 150,000.
const maxExceptionRanges = 200_000

// maxExceptionDays bounds the dates those ranges cover, all calendars
// together: the engine looks a calendar's exceptions up date by date (a
// map of every date an exception covers, about 15 ns and 50 bytes a date),
// so a file of 20,000 daily exceptions over 50 years (6 MB) took 5.6 s to
// schedule. 2,000,000 dates is 110 such exceptions, or 500 calendars each
// with 4,000 days of exceptions.
const maxExceptionDays = 2_000_000

// calendarReader resolves a file's calendars, each once.
type calendarReader struct {
	byUID map[string]*Calendar
	done  map[*Calendar]*schedule.Calendar
	// ranges counts the exceptions of the calendars resolved so far, a
	// derived calendar's copies of its base's included.
	ranges, days int
}

func (f *File) calendars() ([]schedule.Calendar, error) {
	r := calendarReader{byUID: make(map[string]*Calendar), done: make(map[*Calendar]*schedule.Calendar)}
	for i := range f.Calendars {
		r.byUID[strings.TrimSpace(f.Calendars[i].UID)] = &f.Calendars[i]
	}
	var out []schedule.Calendar
	for i := range f.Calendars {
		c, err := r.calendar(&f.Calendars[i], 0)
		if err != nil {
			return nil, err
		}
		out = append(out, *c)
	}
	return out, nil
}

// add counts more exception ranges of the calendar at where.
func (r *calendarReader) add(where string, ex ...schedule.Exception) error {
	r.ranges += len(ex)
	for _, e := range ex {
		r.days += int(e.To.Sub(e.From).Hours()/24) + 1
	}
	switch {
	case r.ranges > maxExceptionRanges:
		return &Error{Element: where, Problem: fmt.Sprintf("the file's calendars come to more than %d exception date ranges "+
			"(recurrences expanded, a derived calendar counting its base calendar's exceptions too); Tandem reads at most that many",
			maxExceptionRanges)}
	case r.days > maxExceptionDays:
		return &Error{Element: where, Problem: fmt.Sprintf("the file's calendar exceptions cover more than %d dates "+
			"(recurrences expanded, a derived calendar counting its base calendar's exceptions too); Tandem reads at most that many",
			maxExceptionDays)}
	}
	return nil
}

// calendar resolves one calendar, inheriting the weekdays and exceptions it
// does not define from its base calendar. A calendar is resolved once; the
// result is shared by the calendars derived from it (which copy its
// exceptions) and the output.
func (r *calendarReader) calendar(x *Calendar, depth int) (*schedule.Calendar, error) {
	if c, ok := r.done[x]; ok {
		return c, nil
	}
	where := fmt.Sprintf("Calendar UID %s", x.UID)
	if depth > 10 {
		return nil, &Error{Element: where, Problem: "base calendars form a loop"}
	}
	c := schedule.Calendar{ID: strings.TrimSpace(x.UID), Name: x.Name}
	defined := [7]bool{}
	if b := strings.TrimSpace(x.BaseCalendarUID); b != "" && b != "-1" && b != x.UID {
		if bx, ok := r.byUID[b]; ok {
			base, err := r.calendar(bx, depth+1)
			if err != nil {
				return nil, err
			}
			if err := r.add(where, base.Exceptions...); err != nil {
				return nil, err
			}
			c.Week = base.Week
			c.Exceptions = append(c.Exceptions, base.Exceptions...)
		}
	} else {
		// A base calendar that defines nothing is MS Project's default week.
		c.Week = schedule.StandardCalendar().Week
	}
	for _, wd := range x.WeekDays {
		dt, err := strconv.Atoi(strings.TrimSpace(wd.DayType))
		if err != nil || dt < 0 || dt > 7 {
			return nil, &Error{Element: where + ": WeekDay", Problem: fmt.Sprintf("DayType %q is not 0..7", wd.DayType)}
		}
		sp, err := spans(wd.WorkingTimes, where+": WeekDay")
		if err != nil {
			return nil, err
		}
		if wd.DayWorking != "1" {
			sp = nil
		}
		if dt == 0 {
			if wd.TimePeriod == nil {
				continue
			}
			from, err1 := ParseTime(wd.TimePeriod.FromDate)
			to, err2 := ParseTime(wd.TimePeriod.ToDate)
			if err1 != nil || err2 != nil || to.Before(from) {
				return nil, &Error{Element: where + ": WeekDay TimePeriod", Problem: "bad date range"}
			}
			x := schedule.Exception{From: from, To: to, Working: sp}
			if err := r.add(where+": WeekDay", x); err != nil {
				return nil, err
			}
			c.Exceptions = append(c.Exceptions, x)
			continue
		}
		if !defined[dt-1] {
			c.Week[dt-1] = nil
			defined[dt-1] = true
		}
		c.Week[dt-1] = append(c.Week[dt-1], sp...)
	}
	for j, e := range x.Exceptions {
		ew := fmt.Sprintf("%s: Exception %d", where, j+1)
		from, err1 := ParseTime(e.TimePeriod.FromDate)
		to, err2 := ParseTime(e.TimePeriod.ToDate)
		if err1 != nil || err2 != nil || to.Before(from) {
			return nil, &Error{Element: ew, Problem: "bad TimePeriod"}
		}
		sp, err := spans(e.WorkingTimes, ew)
		if err != nil {
			return nil, err
		}
		if e.DayWorking != "1" {
			sp = nil
		}
		// Consecutive dates become one exception: a daily recurrence over
		// years is one range for the engine and the writer, not one
		// exception a day (18,000 for 50 years, which made reading,
		// scheduling, writing and checking such a file take seconds).
		runs, dates := occurrences(e, from, to)
		if len(runs) > 1 && dates > maxOccurrences {
			return nil, &Error{Element: exceptionPlace(x, j, e), Problem: fmt.Sprintf(
				"the recurrence falls on %d dates from %s to %s; MS Project ends a recurrence after at most %d occurrences",
				dates, runs[0].From.Format(time.DateOnly), runs[len(runs)-1].To.Format(time.DateOnly), maxOccurrences)}
		}
		n := len(c.Exceptions)
		for _, d := range runs {
			c.Exceptions = append(c.Exceptions, schedule.Exception{From: d.From, To: d.To, Working: sp})
		}
		if err := r.add(ew, c.Exceptions[n:]...); err != nil {
			return nil, err
		}
	}
	r.done[x] = &c
	return &c, nil
}

// exceptionPlace names the j-th exception of calendar x with the names
// the user gave them in MS Project: Calendar UID 1 "Standard": Exception
// 3 "Team meeting".
func exceptionPlace(x *Calendar, j int, e Exception) string {
	s := "Calendar UID " + x.UID
	if n := strings.TrimSpace(x.Name); n != "" {
		s += fmt.Sprintf(" %q", n)
	}
	s += fmt.Sprintf(": Exception %d", j+1)
	if n := strings.TrimSpace(e.Name); n != "" {
		s += fmt.Sprintf(" %q", n)
	}
	return s
}

// dateRun is a run of consecutive dates, From to To inclusive (midnights).
type dateRun struct{ From, To time.Time }

// positiveOr is the whole number in s, or def when s holds none above 0.
func positiveOr(s string, def int) int {
	v, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || v <= 0 {
		return def
	}
	return v
}

// monthOr is the 0-based month (0 = January) in s, or def when s holds
// none in 0..11.
func monthOr(s string, def int) int {
	v, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || v < 0 || v > 11 {
		return def
	}
	return v
}

// occurrences expands a (possibly recurring) exception into runs of
// consecutive dates, in order, and counts its dates. Types: 1 daily, 7
// every Period days, 6 weekly on DaysOfWeek (bit 0 = Sunday) every Period
// weeks (counted from FromDate), 4 monthly on MonthDay every Period months,
// 2 yearly on Month (0-based) / MonthDay. Positional monthly and yearly
// recurrences (3, 5) fall back to every day of the period. The period ends
// 50 years after it starts.
//
// The work is one step per date a recurrence falls on (weeks, months or
// years for the sparse types), and a run of every day is one step: a
// daily exception over 50 years no longer makes 18,000 dates to merge
// (a file of such exceptions cost seconds of CPU per 300 KB).
func occurrences(e Exception, from, to time.Time) (runs []dateRun, dates int) {
	from = time.Date(from.Year(), from.Month(), from.Day(), 0, 0, 0, 0, time.UTC)
	days := int(to.Sub(from).Hours()/24) + 1
	if days > 366*50 {
		days = 366 * 50
	}
	if days <= 0 {
		return nil, 0
	}
	date := func(i int) time.Time { return from.AddDate(0, 0, i) }
	last := -2 // day index of the last date added
	add := func(i int) {
		dates++
		if i == last+1 {
			runs[len(runs)-1].To = date(i)
		} else {
			runs = append(runs, dateRun{date(i), date(i)})
		}
		last = i
	}
	period := positiveOr(e.Period, 1)
	switch strings.TrimSpace(e.Type) {
	case "7":
		if period == 1 {
			break
		}
		for i := 0; i < days; i += period {
			add(i)
		}
		return runs, dates
	case "6":
		mask := positiveOr(e.DaysOfWeek, 0)
		for w := 0; 7*w < days; w += period {
			for k := range 7 {
				if i := 7*w + k; i < days && mask&(1<<((int(from.Weekday())+k)%7)) != 0 {
					add(i)
				}
			}
		}
		return runs, dates
	case "4", "2":
		end := date(days - 1)
		monthDay := positiveOr(e.MonthDay, from.Day())
		step, month := period, from.Month()
		if strings.TrimSpace(e.Type) == "2" {
			step, month = 12, time.Month(monthOr(e.Month, int(from.Month())-1)+1)
			if month > time.December {
				return nil, 0
			}
		}
		// The months (type 4) or years (type 2) from the first one in
		// the period: a date that does not exist (the 31st of a month of
		// 30 days) is no occurrence.
		for m := 0; ; m += step {
			first := time.Date(from.Year(), from.Month()+time.Month(m), 1, 0, 0, 0, 0, time.UTC)
			if step == 12 {
				first = time.Date(from.Year()+m/12, month, 1, 0, 0, 0, 0, time.UTC)
			}
			if first.After(end) {
				break
			}
			d := time.Date(first.Year(), first.Month(), monthDay, 0, 0, 0, 0, time.UTC)
			if d.Month() != first.Month() || d.Before(from) || d.After(end) {
				continue
			}
			add(int(d.Sub(from).Hours() / 24))
		}
		return runs, dates
	}
	// Every day of the period: one run.
	return []dateRun{{from, date(days - 1)}}, days
}
