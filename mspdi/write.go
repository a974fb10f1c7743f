package mspdi

import (
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/tandem-pm/tandem/schedule"
)

// Extras is what a file keeps that schedule.Project does not carry.
type Extras struct {
	// Baselines of each task, by task ID: Number 0..10, at most one of
	// each, dates and durations as MSPDI writes them (File.Baselines reads
	// them back).
	Baselines map[string][]Baseline
	// Contours are the predefined work contours (WorkContour 1 back
	// loaded .. 7 turtle) of assignments, by task ID and resource ID
	// (File.Contours reads them back). A contoured assignment with work is
	// written at its peak units, the demand's units being its mean (as
	// Project reads them); without work, or with an edited contour (8),
	// whose shape the file does not give, it is written flat.
	Contours map[string]map[string]string
}

func contourOf(x *Extras, task, resource string) string {
	if x == nil {
		return ""
	}
	c := strings.TrimSpace(x.Contours[task][resource])
	if n, err := strconv.Atoi(c); err != nil || n < 1 || n > 7 {
		return ""
	}
	return c
}

// Write emits p, with the dates of r when r is not nil, as an MSPDI
// document that MS Project and ProjectLibre open: elements in schema order,
// tasks in outline order (each summary before its children), durations and
// slack in MSPDI's units. Task IDs that are numbers become the UIDs (so that
// a file read and written keeps them); other IDs are numbered from 1.
func Write(w io.Writer, p *schedule.Project, r *schedule.Result) error {
	return WriteExtras(w, p, r, nil)
}

// WriteExtras is Write with baselines and work contours (x may be nil).
//
// Calendars are written the way MS Project writes them: the project's and
// tasks' calendars as base calendars, and one calendar per work resource
// derived from a base (IsBaseCalendar 0) that states only the weekdays and
// the dates on which the resource's working time differs from its base's.
// A calendar of the project used by exactly one resource and no task
// becomes that resource's derived calendar (its UID kept), derived from the
// base calendar it differs least from (the project calendar on a tie); a
// resource without a calendar, or whose calendar is shared or also a base
// calendar, gets a new derived calendar named after it, with no
// differences from that calendar.
func WriteExtras(w io.Writer, p *schedule.Project, r *schedule.Result, x *Extras) error {
	mpd := p.MinutesPerDay
	if mpd <= 0 {
		mpd = 480
	}
	f := File{
		SaveVersion: "14", Name: p.Name, Title: p.Name, ScheduleFromStart: "1",
		StartDate: FormatTime(p.Start), CriticalSlackLimit: "0",
		MinutesPerDay: strconv.Itoa(mpd), MinutesPerWeek: strconv.Itoa(5 * mpd), DaysPerMonth: "20",
		DefaultStartTime: "08:00:00", DefaultFinishTime: "17:00:00",
	}
	if !p.StatusDate.IsZero() {
		f.StatusDate = FormatTime(p.StatusDate)
	}
	if r != nil {
		f.FinishDate = FormatTime(r.Finish)
	}
	// Calendars: numbered 1.. unless their IDs are numbers.
	cals := p.Calendars
	if len(cals) == 0 {
		cals = []schedule.Calendar{schedule.StandardCalendar()}
	}
	projCal := cals[0].ID
	for _, c := range cals {
		if c.ID == p.Calendar {
			projCal = c.ID
		}
	}
	calUID := make(map[string]string)
	calByID := make(map[string]*schedule.Calendar)
	keepCal := numericIDs(len(cals), func(i int) string { return cals[i].ID })
	maxCal := 0
	for i := range cals {
		uid := strconv.Itoa(i + 1)
		if keepCal {
			uid = cals[i].ID
		}
		calUID[cals[i].ID] = uid
		calByID[cals[i].ID] = &cals[i]
		maxCal = max(maxCal, atoi(uid))
	}
	taskCal := make(map[string]bool)
	for _, t := range p.Tasks {
		taskCal[t.Calendar] = true
	}
	resOn := make(map[string]int)
	for _, res := range p.Resources {
		resOn[res.Calendar]++
	}
	ownCal := func(id string) bool { // the calendar is one resource's own
		return calByID[id] != nil && resOn[id] == 1 && !taskCal[id] && id != projCal
	}
	base := calByID[projCal]
	// The base calendars a resource's own calendar may derive from: the
	// project calendar first (it wins ties), then the others written whole.
	bases := []*schedule.Calendar{base}
	for i := range cals {
		if c := &cals[i]; c.ID != projCal && !ownCal(c.ID) && len(bases) < maxBases {
			bases = append(bases, c)
		}
	}
	for i := range cals {
		c := &cals[i]
		var xc Calendar
		if ownCal(c.ID) {
			// Derived from the base it differs least from, as MS Project
			// keeps a resource calendar derived from the base it was made on.
			found := false
			for _, b := range bases {
				d, ok := derivedCalendar(calUID[c.ID], c.Name, c, b, calUID[b.ID])
				if ok && (!found || len(d.WeekDays)+len(d.Exceptions) < len(xc.WeekDays)+len(xc.Exceptions)) {
					xc, found = d, true
				}
			}
			if !found {
				xc = baseCalendar(calUID[c.ID], c)
			}
		} else {
			xc = baseCalendar(calUID[c.ID], c)
		}
		if xc.Name == "" {
			xc.Name = c.ID
		}
		f.Calendars = append(f.Calendars, xc)
	}
	// Resources that are not on a calendar of their own get one.
	resCal := make(map[string]string, len(p.Resources))
	for _, res := range p.Resources {
		if ownCal(res.Calendar) {
			resCal[res.ID] = calUID[res.Calendar]
			continue
		}
		on := calByID[res.Calendar]
		if on == nil {
			on = base
		}
		maxCal++
		u := strconv.Itoa(maxCal)
		name := res.Name
		if name == "" {
			name = res.ID
		}
		// Derived from the calendar it is on, which is written whole.
		f.Calendars = append(f.Calendars, Calendar{UID: u, Name: name, IsBaseCalendar: "0", BaseCalendarUID: calUID[on.ID]})
		resCal[res.ID] = u
	}
	f.CalendarUID = f.Calendars[0].UID
	if u, ok := calUID[p.Calendar]; ok {
		f.CalendarUID = u
	}

	// UIDs: keep numeric IDs, number the rest after the largest.
	uid := make(map[string]string, len(p.Tasks))
	numeric := numericIDs(len(p.Tasks), func(i int) string { return p.Tasks[i].ID })
	for i, t := range p.Tasks {
		if numeric {
			uid[t.ID] = t.ID
		} else {
			uid[t.ID] = strconv.Itoa(i + 1)
		}
	}
	results := make(map[string]*schedule.TaskResult)
	if r != nil {
		for i := range r.Tasks {
			results[r.Tasks[i].ID] = &r.Tasks[i]
		}
	}
	children := make(map[string][]int)
	var roots []int
	for i, t := range p.Tasks {
		if t.Parent == "" {
			roots = append(roots, i)
		} else {
			children[t.Parent] = append(children[t.Parent], i)
		}
	}
	preds := make(map[string][]schedule.Link)
	for _, l := range p.Links {
		preds[l.To] = append(preds[l.To], l)
	}
	id := 0
	var walkErr error
	var walk func(list []int, level int, prefix string)
	walk = func(list []int, level int, prefix string) {
		for k, i := range list {
			t := &p.Tasks[i]
			id++
			num := prefix + strconv.Itoa(k+1)
			kids := children[t.ID]
			xt := Task{UID: uid[t.ID], ID: strconv.Itoa(id), Name: t.Name, Type: "1", IsNull: "0",
				WBS: num, OutlineNumber: num, OutlineLevel: strconv.Itoa(level), Priority: "500",
				Duration: FormatDuration(t.Duration), DurationFormat: "7", Estimated: "0",
				Milestone: bit(t.Milestone), Summary: bit(len(kids) > 0),
				ConstraintType: strconv.Itoa(int(t.Constraint)), CalendarUID: "-1",
				PercentComplete: strconv.Itoa(int(math.Round(t.PercentComplete))),
			}
			if t.Milestone {
				xt.Duration = FormatDuration(0)
			}
			if t.Elapsed {
				xt.DurationFormat = "8" // elapsed days
			}
			if t.IgnoreResourceCalendar {
				xt.IgnoreResourceCalendar = "1"
			}
			if u, ok := calUID[t.Calendar]; ok {
				xt.CalendarUID = u
			}
			if t.Constraint != schedule.ASAP && t.Constraint != schedule.ALAP {
				xt.ConstraintDate = FormatTime(t.ConstraintDate)
			}
			if !t.Deadline.IsZero() {
				xt.Deadline = FormatTime(t.Deadline)
			}
			if !t.ActualStart.IsZero() {
				xt.ActualStart = FormatTime(t.ActualStart)
			}
			if !t.ActualFinish.IsZero() {
				xt.ActualFinish = FormatTime(t.ActualFinish)
			}
			if tr := results[t.ID]; tr != nil {
				xt.Start, xt.Finish = FormatTime(tr.Start), FormatTime(tr.Finish)
				xt.EarlyStart, xt.EarlyFinish = FormatTime(tr.EarlyStart), FormatTime(tr.EarlyFinish)
				xt.LateStart, xt.LateFinish = FormatTime(tr.LateStart), FormatTime(tr.LateFinish)
				xt.TotalSlack = strconv.FormatInt(totalSlack(tr, t.Elapsed)*10, 10)
				xt.FreeSlack = strconv.FormatInt(freeSlack(r, tr, t.Elapsed)*10, 10)
				xt.Critical = bit(tr.Critical)
				if tr.Summary {
					xt.Duration = FormatDuration(tr.EF - tr.ES)
				}
			}
			for _, l := range preds[t.ID] {
				pl := PredecessorLink{PredecessorUID: uid[l.From], CrossProject: "0"}
				pl.Type = map[schedule.LinkType]string{schedule.FF: "0", schedule.FS: "1", schedule.SF: "2", schedule.SS: "3"}[l.Type]
				if l.LagPercent != 0 {
					pl.LinkLag = strconv.FormatInt(int64(math.Round(l.LagPercent*10)), 10)
					pl.LagFormat = "19"
				} else {
					pl.LinkLag = strconv.FormatInt(l.Lag*10, 10)
					pl.LagFormat = "7"
				}
				xt.PredecessorLinks = append(xt.PredecessorLinks, pl)
			}
			if x != nil {
				bl, err := taskBaselines(t.ID, x.Baselines[t.ID])
				if err != nil {
					walkErr = err
					return
				}
				xt.Baselines = bl
			}
			f.Tasks = append(f.Tasks, xt)
			walk(kids, level+1, num+".")
		}
	}
	walk(roots, 1, "")
	if walkErr != nil {
		return walkErr
	}
	if len(f.Tasks) != len(p.Tasks) {
		return fmt.Errorf("mspdi: the task outline has a loop")
	}
	resUID := make(map[string]string)
	keepRes := numericIDs(len(p.Resources), func(i int) string { return p.Resources[i].ID })
	for i, res := range p.Resources {
		u := strconv.Itoa(i + 1)
		if keepRes {
			u = res.ID
		}
		resUID[res.ID] = u
		xr := Resource{UID: u, ID: u, Name: res.Name, Type: "1", IsNull: "0", MaxUnits: strconv.FormatFloat(res.Capacity, 'f', -1, 64)}
		if xr.Name == "" {
			xr.Name = res.ID
		}
		xr.CalendarUID = resCal[res.ID]
		f.Resources = append(f.Resources, xr)
	}
	n := 0
	for _, t := range p.Tasks {
		for _, d := range t.Demands {
			ru, ok := resUID[d.Resource]
			if !ok {
				continue
			}
			n++
			a := Assignment{UID: strconv.Itoa(n), TaskUID: uid[t.ID], ResourceUID: ru, Units: strconv.FormatFloat(d.Units, 'f', -1, 64)}
			if d.Work > 0 {
				a.Work = FormatDuration(d.Work)
				// A contoured assignment's units are its peak; the model
				// keeps its mean (see Project), so the peak is mean / share.
				if c := contourOf(x, t.ID, d.Resource); c != "" {
					if share, ok := contourShare(c); ok && share > 0 {
						a.Units = strconv.FormatFloat(math.Round(d.Units/share*1e6)/1e6, 'f', -1, 64)
						a.WorkContour = c
					}
				}
			}
			f.Assignments = append(f.Assignments, a)
		}
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(f); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// numericIDs reports whether the n IDs are distinct positive integers
// written plainly, so that they can be kept as UIDs.
func numericIDs(n int, id func(int) string) bool {
	seen := make(map[int]bool, n)
	for i := range n {
		v, err := strconv.Atoi(id(i))
		if err != nil || v <= 0 || seen[v] || strconv.Itoa(v) != id(i) {
			return false
		}
		seen[v] = true
	}
	return true
}

func bit(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

func day0(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

func workingTimes(sp []schedule.Span) []WorkingTime {
	var out []WorkingTime
	for _, s := range sp {
		to := fmt.Sprintf("%02d:%02d:00", s.To/60, s.To%60)
		if s.To == 24*60 {
			to = "00:00:00"
		}
		out = append(out, WorkingTime{FromTime: fmt.Sprintf("%02d:%02d:00", s.From/60, s.From%60), ToTime: to})
	}
	return out
}

func atoi(s string) int {
	v, _ := strconv.Atoi(s)
	return v
}

func weekDay(d int, sp []schedule.Span) WeekDay {
	wd := WeekDay{DayType: strconv.Itoa(d + 1), DayWorking: "0"}
	if len(sp) > 0 {
		wd.DayWorking = "1"
		wd.WorkingTimes = workingTimes(sp)
	}
	return wd
}

func exception(from, to time.Time, sp []schedule.Span) Exception {
	xe := Exception{EnteredByOccurrences: "0", Occurrences: "1", Type: "1", DayWorking: "0",
		TimePeriod: TimePeriod{FromDate: FormatTime(day0(from)), ToDate: FormatTime(day0(to).Add(24*time.Hour - time.Minute))}}
	if len(sp) > 0 {
		xe.DayWorking = "1"
		xe.WorkingTimes = workingTimes(sp)
	}
	return xe
}

// baseCalendar writes c whole: all seven weekdays and its exceptions.
func baseCalendar(uid string, c *schedule.Calendar) Calendar {
	xc := Calendar{UID: uid, Name: c.Name, IsBaseCalendar: "1", BaseCalendarUID: "-1"}
	for d := range 7 {
		xc.WeekDays = append(xc.WeekDays, weekDay(d, c.Week[d]))
	}
	for _, e := range c.Exceptions {
		xc.Exceptions = append(xc.Exceptions, exception(e.From, e.To, e.Working))
	}
	return xc
}

// maxBases bounds the base calendars tried for a resource's own calendar.
const maxBases = 32

// maxDerivedDays bounds the dates compared when c is written as derived
// from a base; a calendar with longer exceptions is written whole.
const maxDerivedDays = 200_000

// derivedCalendar writes c as MS Project writes a resource calendar: derived
// from base (IsBaseCalendar 0), with the weekdays whose hours differ from
// base's, and exceptions on the dates where c's working time differs from
// what the derived calendar has without them (base's exceptions apply to
// it, as in MS Project, and override its weekdays). ok is false when c's
// exceptions cover too many days to compare.
func derivedCalendar(uid, name string, c, base *schedule.Calendar, baseUID string) (Calendar, bool) {
	xc := Calendar{UID: uid, Name: name, IsBaseCalendar: "0", BaseCalendarUID: baseUID}
	for d := range 7 {
		if !sameSpans(c.Week[d], base.Week[d]) {
			xc.WeekDays = append(xc.WeekDays, weekDay(d, c.Week[d]))
		}
	}
	// The working time of each date an exception covers, later
	// exceptions winning, in one pass over each list.
	budget := maxDerivedDays
	byDay := func(exc []schedule.Exception) (map[time.Time][]schedule.Span, bool) {
		m := make(map[time.Time][]schedule.Span)
		for _, e := range exc {
			for d := day0(e.From); !d.After(day0(e.To)); d = d.AddDate(0, 0, 1) {
				if budget--; budget < 0 {
					return nil, false
				}
				m[d] = e.Working
			}
		}
		return m, true
	}
	own, ok1 := byDay(c.Exceptions)
	inherited, ok2 := byDay(base.Exceptions)
	if !ok1 || !ok2 {
		return xc, false
	}
	days := make([]time.Time, 0, len(own)+len(inherited))
	for d := range own {
		days = append(days, d)
	}
	for d := range inherited {
		if _, ok := own[d]; !ok {
			days = append(days, d)
		}
	}
	slices.SortFunc(days, time.Time.Compare)
	on := func(m map[time.Time][]schedule.Span, d time.Time) []schedule.Span {
		if sp, ok := m[d]; ok {
			return sp
		}
		return c.Week[d.Weekday()]
	}
	var prev time.Time
	var prevSpans []schedule.Span
	for _, d := range days {
		want := on(own, d)
		if sameSpans(want, on(inherited, d)) {
			continue
		}
		if k := len(xc.Exceptions) - 1; k >= 0 && prev.AddDate(0, 0, 1).Equal(d) && sameSpans(prevSpans, want) {
			xc.Exceptions[k].TimePeriod.ToDate = FormatTime(d.Add(24*time.Hour - time.Minute))
		} else {
			xc.Exceptions = append(xc.Exceptions, exception(d, d, want))
		}
		prev, prevSpans = d, want
	}
	return xc, true
}

func sameSpans(a, b []schedule.Span) bool {
	return len(a) == 0 && len(b) == 0 || slices.Equal(a, b)
}

// taskBaselines checks a task's baselines and puts them in Number order,
// with dates and durations in MSPDI's forms (a field that is not one, as
// in a damaged file read, is left out).
func taskBaselines(id string, list []Baseline) ([]Baseline, error) {
	seen := make(map[int]bool)
	var out []Baseline
	for _, b := range list {
		n, err := strconv.Atoi(strings.TrimSpace(b.Number))
		if err != nil || n < 0 || n > 10 || seen[n] {
			return nil, fmt.Errorf("mspdi: task %s: baseline number %q is not one of 0..10 or is given twice", id, b.Number)
		}
		seen[n] = true
		b.Number = strconv.Itoa(n)
		for _, d := range []*string{&b.Start, &b.Finish} {
			if t, err := ParseTime(*d); err == nil {
				*d = FormatTime(t)
			} else {
				*d = ""
			}
		}
		for _, d := range []*string{&b.Duration, &b.Work} {
			if m, err := ParseDuration(*d); err == nil && math.Abs(m) < 1e12 {
				*d = FormatDuration(int64(math.Round(m)))
			} else {
				*d = ""
			}
		}
		if _, err := strconv.Atoi(strings.TrimSpace(b.DurationFormat)); err != nil {
			b.DurationFormat = ""
		}
		if c, err := strconv.ParseFloat(strings.TrimSpace(b.Cost), 64); err != nil || math.IsNaN(c) || math.IsInf(c, 0) {
			b.Cost = ""
		}
		out = append(out, b)
	}
	slices.SortFunc(out, func(a, b Baseline) int { return atoi(a.Number) - atoi(b.Number) })
	return out, nil
}
