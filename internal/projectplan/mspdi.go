package projectplan

import (
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/tandem-pm/tandem"
	"github.com/tandem-pm/tandem/mspdi"
	"github.com/tandem-pm/tandem/schedule"
)

// Imported is a project read from a file: new entities, with IDs already
// assigned so that parents and dependencies refer to each other, ready to be
// stored in one transaction (parents before their children).
type Imported struct {
	Project      *tandem.Project
	Items        []*tandem.Item
	Dependencies []*tandem.Dependency
	// Calendar is the file's project calendar as a workspace calendar, with
	// its exceptions; the caller stores it and sets Project.CalendarID.
	Calendar *tandem.Calendar
	// Baselines are the file's task baselines, one per baseline number
	// that has dates, oldest first (Baseline10 .. Baseline1, then
	// Baseline): stored in this order after the project (CreateBaseline),
	// the newest is the file's Baseline, as ExportMSPDI writes it.
	Baselines []*tandem.Baseline
}

// maxImportTasks bounds what one import creates.
const maxImportTasks = 20_000

// ImportMSPDI converts an MSPDI file into a new project. Summary tasks
// become epics, milestones milestones and the other tasks tasks; durations
// and lags become working days; a start-no-earlier-than or must-start-on
// constraint becomes the item's planned start; percent complete becomes
// progress. The project calendar becomes Imported.Calendar (working week,
// holidays and other exceptions) and the tasks' baselines
// Imported.Baselines; task and resource calendars and the resources
// themselves are not imported.
func ImportMSPDI(f *mspdi.File) (*Imported, error) {
	p, err := f.Project()
	if err != nil {
		return nil, tandem.Errorf(tandem.EInvalid, "This is not an MSPDI file Tandem can read: %v.", err)
	}
	if len(p.Tasks) > maxImportTasks {
		return nil, tandem.Errorf(tandem.ETooLarge, "The file has %d tasks; Tandem imports at most %d at once.", len(p.Tasks), maxImportTasks)
	}
	mpd := float64(p.MinutesPerDay)
	if mpd <= 0 {
		mpd = 480
	}
	// MS Project's own dates, for the planned finish shown in lists.
	var res *schedule.Result
	if r, err := schedule.Schedule(p); err == nil {
		res = r
	}
	name := strings.TrimSpace(p.Name)
	if name == "" {
		name = "Imported project"
	}
	out := &Imported{Project: &tandem.Project{Meta: tandem.Meta{ID: tandem.NewID()}, Name: truncate(name, 200),
		Status: tandem.ProjectProposed, Health: tandem.HealthGreen, StartDate: tandem.DateOf(p.Start)}}
	hasChildren := map[string]bool{}
	for _, t := range p.Tasks {
		if t.Parent != "" {
			hasChildren[t.Parent] = true
		}
	}
	idOf := make(map[string]string, len(p.Tasks))
	for i, t := range p.Tasks {
		it := &tandem.Item{Meta: tandem.Meta{ID: tandem.NewID()}, Kind: tandem.KindTask, ProjectID: out.Project.ID,
			Title: truncate(strings.TrimSpace(t.Name), 300), Status: tandem.StatusPlanned, GoalIDs: []string{}}
		if it.Title == "" {
			it.Title = "Task " + t.ID
		}
		idOf[t.ID] = it.ID
		it.ParentID = idOf[t.Parent]
		switch {
		case hasChildren[t.ID]:
			it.Kind = tandem.KindEpic
		case t.Milestone || t.Duration == 0:
			it.Kind = tandem.KindMilestone
		default:
			it.DurationDays = math.Round(float64(t.Duration)/mpd*100) / 100
		}
		if !hasChildren[t.ID] {
			switch t.Constraint {
			case schedule.SNET, schedule.MSO:
				it.PlannedStart = tandem.DateOf(t.ConstraintDate)
			}
			if res != nil && it.Kind != tandem.KindMilestone {
				it.PlannedFinish = tandem.DateOf(res.Tasks[i].EarlyFinish)
				if !it.PlannedStart.IsZero() && it.PlannedFinish.Before(it.PlannedStart) {
					it.PlannedFinish = tandem.Date{}
				}
			}
		}
		it.Progress = int(math.Round(min(max(t.PercentComplete, 0), 100)))
		switch {
		case it.Progress >= 100:
			it.Status = tandem.StatusDone
		case it.Progress > 0:
			it.Status = tandem.StatusInProgress
		}
		out.Items = append(out.Items, it)
	}
	durOf := map[string]float64{}
	for _, t := range p.Tasks {
		durOf[t.ID] = float64(t.Duration) / mpd
	}
	seen := map[[2]string]bool{}
	for _, l := range p.Links {
		key := [2]string{l.From, l.To}
		if seen[key] || l.From == l.To {
			continue
		}
		seen[key] = true
		lag := float64(l.Lag) / mpd
		if l.LagPercent != 0 {
			lag = durOf[l.From] * l.LagPercent / 100
		}
		out.Dependencies = append(out.Dependencies, &tandem.Dependency{Meta: tandem.Meta{ID: tandem.NewID()},
			PredecessorID: idOf[l.From], SuccessorID: idOf[l.To], Type: l.Type.String(), LagDays: math.Round(lag*100) / 100})
	}
	out.Calendar = importCalendar(f, p, name)
	out.Baselines = importBaselines(f, p, out.Project.ID, idOf)
	if err := out.Project.Validate(); err != nil {
		return nil, err
	}
	for _, it := range out.Items {
		if err := it.Validate(); err != nil {
			return nil, fmt.Errorf("item %q: %w", it.Title, err)
		}
	}
	for _, d := range out.Dependencies {
		if err := d.Validate(); err != nil {
			return nil, err
		}
	}
	for _, b := range out.Baselines {
		if err := b.Validate(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// importBaselines reads the tasks' Baseline elements into one baseline of
// the imported items per baseline number, named as MS Project names them
// ("Baseline", "Baseline1".."Baseline10"), oldest (highest number) first.
// A task's baseline needs a start; its finish is the day of its last work
// (a finish MS Project writes at the start of the next working day, before
// any work on it, counts as the working day before), and a baseline number
// without any dates (a baseline of costs only) is left out.
func importBaselines(f *mspdi.File, p *schedule.Project, projectID string, idOf map[string]string) []*tandem.Baseline {
	var sc *schedule.Calendar
	for i := range p.Calendars {
		if p.Calendars[i].ID == p.Calendar {
			sc = &p.Calendars[i]
		}
	}
	byNumber := map[int]*tandem.Baseline{}
	all := f.Baselines()
	for _, t := range p.Tasks {
		for _, xb := range all[t.ID] {
			n, err := strconv.Atoi(strings.TrimSpace(xb.Number))
			if err != nil || n < 0 || n >= MSPDIBaselines {
				continue
			}
			start, err1 := mspdi.ParseTime(xb.Start)
			finish, err2 := mspdi.ParseTime(xb.Finish)
			if err1 != nil {
				continue
			}
			bi := tandem.BaselineItem{ItemID: idOf[t.ID], Start: tandem.DateOf(start)}
			if err2 == nil && !finish.Before(start) {
				bi.Finish = tandem.DateOf(lastWorkDay(sc, start, finish))
			}
			b := byNumber[n]
			if b == nil {
				name := "Baseline"
				if n > 0 {
					name += strconv.Itoa(n)
				}
				b = &tandem.Baseline{ProjectID: projectID, Name: name}
				byNumber[n] = b
			}
			if k := len(b.Items) - 1; k >= 0 && b.Items[k].ItemID == bi.ItemID {
				continue // a number given twice in one task: the first counts
			}
			b.Items = append(b.Items, bi)
		}
	}
	var out []*tandem.Baseline
	for n := MSPDIBaselines - 1; n >= 0; n-- {
		if b := byNumber[n]; b != nil {
			out = append(out, b)
		}
	}
	return out
}

// lastWorkDay is the date of the last work before finish on calendar c:
// finish's own date when some of its working time comes before finish,
// else the closest earlier date with working time (but not before start's
// date). Without a calendar it is finish's date.
func lastWorkDay(c *schedule.Calendar, start, finish time.Time) time.Time {
	if c == nil || !finish.After(start) {
		return finish
	}
	day := time.Date(finish.Year(), finish.Month(), finish.Day(), 0, 0, 0, 0, time.UTC)
	first := day
	for i := 0; i < 370 && day.After(start); i++ {
		sp := c.Week[day.Weekday()]
		for _, e := range c.Exceptions {
			if !day.Before(e.From) && !day.After(e.To) {
				sp = e.Working
			}
		}
		if len(sp) > 0 && (!day.Equal(first) || finish.Sub(day) > time.Duration(sp[0].From)*time.Minute) {
			return day
		}
		day = day.AddDate(0, 0, -1)
	}
	return time.Date(start.Year(), start.Month(), start.Day(), 0, 0, 0, 0, time.UTC)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8Start(s[n]) {
		n--
	}
	return s[:n]
}

func utf8Start(b byte) bool { return b&0xC0 != 0x80 }

// MSPDIBaselines is how many baselines an MSPDI task holds: Baseline (0)
// and Baseline1..Baseline10.
const MSPDIBaselines = 11

// ExportMSPDI writes a project's schedule as an MSPDI file: the calendar
// it was scheduled on (working week and exceptions), one task per item in
// outline order (with its scheduled dates, duration, progress and planned
// start as a start-no-earlier-than constraint) and the links between the
// project's own items. Links from other projects are left out; the file
// has no resources.
//
// Progress: an item under way (progress above 0, or status in progress)
// has an ActualStart, its scheduled start; a done one (status done or
// progress 100) also an ActualFinish and 100 percent complete.
//
// baselines, newest first with their items (as FindBaselines lists them,
// each then loaded by ID), become the tasks' Baseline elements: the newest
// is MS Project's "Baseline" (Number 0), the next "Baseline1" (1), up to
// Baseline10; older ones are left out. Each has the item's baseline start
// (the start of the calendar's working day) and finish (its end), its
// duration in working days of the calendar, and no work (the file has no
// resources).
func ExportMSPDI(project *tandem.Project, s *Schedule, items []*tandem.Item, deps []*tandem.Dependency, baselines ...*tandem.Baseline) *mspdi.File {
	wc := s.calendar()
	mpd := wc.mpd
	workStart := func(d tandem.Date) string { return mspdi.FormatTime(wc.dayStart(d)) }
	workFinish := func(d tandem.Date) string { return mspdi.FormatTime(wc.dayEnd(d)) }
	monday := wc.engine.Week[time.Monday]
	startTime, finishTime := "08:00:00", "17:00:00"
	if len(monday) > 0 {
		startTime, finishTime = clockText(monday[0].From), clockText(monday[len(monday)-1].To)
	}
	f := &mspdi.File{
		SaveVersion: "14", Name: project.Name, Title: project.Name, ScheduleFromStart: "1",
		StartDate: workStart(s.Start), FinishDate: workFinish(s.Finish),
		CriticalSlackLimit: "0", CalendarUID: "1", DefaultStartTime: startTime, DefaultFinishTime: finishTime,
		MinutesPerDay: strconv.Itoa(mpd), MinutesPerWeek: strconv.Itoa(weekMinutes(wc)), DaysPerMonth: "20",
	}
	if !s.StatusDate.IsZero() {
		f.StatusDate = workFinish(s.StatusDate)
	}
	f.Calendars = []mspdi.Calendar{exportCalendar(wc)}
	byID := make(map[string]*tandem.Item, len(items))
	for _, it := range items {
		byID[it.ID] = it
	}
	uid := map[string]string{}
	n := 0
	for _, x := range s.Items {
		if x.Anchor {
			continue
		}
		n++
		uid[x.ItemID] = strconv.Itoa(n)
	}
	preds := map[string][]mspdi.PredecessorLink{}
	for _, d := range deps {
		from, ok1 := uid[d.PredecessorID]
		_, ok2 := uid[d.SuccessorID]
		if !ok1 || !ok2 {
			continue
		}
		code := map[string]string{tandem.FinishToFinish: "0", tandem.FinishToStart: "1", tandem.StartToFinish: "2", tandem.StartToStart: "3"}[d.Type]
		l := mspdi.PredecessorLink{PredecessorUID: from, Type: code}
		if d.LagDays != 0 {
			l.LinkLag = strconv.FormatInt(int64(math.Round(d.LagDays*float64(mpd)*10)), 10)
			l.LagFormat = "7" // days
		}
		preds[d.SuccessorID] = append(preds[d.SuccessorID], l)
	}
	var outline []int // the outline number of the last task, by level
	for _, x := range s.Items {
		if x.Anchor {
			continue
		}
		// Items come in outline order, so a task's number is its parent's
		// followed by the next number at its level (GNOME Planner's import
		// finds children by OutlineNumber).
		outline = outline[:min(len(outline), x.Level+1)]
		for len(outline) < x.Level+1 {
			outline = append(outline, 0)
		}
		outline[x.Level]++
		num := outlineText(outline)
		t := mspdi.Task{
			UID: uid[x.ItemID], ID: uid[x.ItemID], Name: x.Title, Active: "1", Manual: "0", Type: "0",
			WBS: num, OutlineNumber: num, OutlineLevel: strconv.Itoa(x.Level + 1),
			Start: workStart(x.EarlyStart), Finish: workFinish(x.EarlyFinish),
			Duration: mspdi.FormatDuration(int64(x.WorkDays) * int64(mpd)), DurationFormat: "7",
			Milestone: boolDigit(x.Milestone), Summary: boolDigit(x.Summary), Critical: boolDigit(x.Critical),
			EarlyStart: workStart(x.EarlyStart), EarlyFinish: workFinish(x.EarlyFinish),
			LateStart: workStart(x.LateStart), LateFinish: workFinish(x.LateFinish),
			TotalSlack: strconv.Itoa(x.TotalFloat * mpd * 10), FreeSlack: strconv.Itoa(x.FreeFloat * mpd * 10),
			PercentComplete: strconv.Itoa(x.Progress), ConstraintType: "0",
			PredecessorLinks: preds[x.ItemID],
		}
		if x.Milestone {
			t.Finish, t.EarlyFinish, t.LateFinish = t.Start, t.EarlyStart, t.LateStart
		}
		if it := byID[x.ItemID]; it != nil && !x.Summary && !it.PlannedStart.IsZero() {
			t.ConstraintType = "4" // start no earlier than
			t.ConstraintDate = workStart(it.PlannedStart)
		}
		if !x.Summary {
			done := x.Status == tandem.StatusDone || x.Progress >= 100
			if done || x.Progress > 0 || x.Status == tandem.StatusInProgress {
				t.ActualStart = t.Start
			}
			if done {
				t.ActualFinish, t.PercentComplete = t.Finish, "100"
			}
		}
		for n, b := range baselines[:min(len(baselines), MSPDIBaselines)] {
			if xb, ok := exportBaseline(wc, n, b, x); ok {
				t.Baselines = append(t.Baselines, xb)
			}
		}
		f.Tasks = append(f.Tasks, t)
	}
	return f
}

// exportBaseline is item x's entry in baseline b as the task's Baseline
// number n, if b has dates for it.
func exportBaseline(wc *workCal, n int, b *tandem.Baseline, x ItemSchedule) (mspdi.Baseline, bool) {
	for _, bi := range b.Items {
		if bi.ItemID != x.ItemID || bi.Start.IsZero() {
			continue
		}
		finish := bi.Finish
		if finish.IsZero() || finish.Before(bi.Start) {
			finish = bi.Start
		}
		xb := mspdi.Baseline{Number: strconv.Itoa(n), Start: mspdi.FormatTime(wc.dayStart(bi.Start)),
			Finish: mspdi.FormatTime(wc.dayEnd(finish)), DurationFormat: "7", Work: mspdi.FormatDuration(0)}
		days := wc.countWorkDays(bi.Start, finish)
		if x.Milestone {
			xb.Finish, days = xb.Start, 0
		}
		xb.Duration = mspdi.FormatDuration(int64(days) * int64(wc.mpd))
		return xb, true
	}
	return mspdi.Baseline{}, false
}

func outlineText(n []int) string {
	parts := make([]string, len(n))
	for i, v := range n {
		parts[i] = strconv.Itoa(v)
	}
	return strings.Join(parts, ".")
}

func boolDigit(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

// WriteMSPDI encodes f as an XML document.
func WriteMSPDI(w io.Writer, f *mspdi.File) error {
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(f); err != nil {
		return fmt.Errorf("encode MSPDI: %w", err)
	}
	return enc.Close()
}

func clockText(m int) string { return fmt.Sprintf("%02d:%02d:00", m/60, m%60) }

func weekMinutes(c *workCal) int {
	n := 0
	for _, sp := range c.engine.Week {
		for _, x := range sp {
			n += x.To - x.From
		}
	}
	return n
}

func workingTimes(spans []schedule.Span) []mspdi.WorkingTime {
	var out []mspdi.WorkingTime
	for _, x := range spans {
		to := clockText(x.To)
		if x.To == 24*60 {
			to = "00:00:00" // MS Project writes the end of a day as 00:00
		}
		out = append(out, mspdi.WorkingTime{FromTime: clockText(x.From), ToTime: to})
	}
	return out
}

// exportCalendar writes the calendar a schedule used as MSPDI's base
// calendar UID 1: its week (DayType 1 = Sunday) and its exceptions, named.
func exportCalendar(c *workCal) mspdi.Calendar {
	name := c.info.Name
	if c.source == nil {
		name = "Standard"
	}
	cal := mspdi.Calendar{UID: "1", Name: name, IsBaseCalendar: "1", BaseCalendarUID: "-1"}
	for wd := time.Sunday; wd <= time.Saturday; wd++ {
		d := mspdi.WeekDay{DayType: strconv.Itoa(int(wd) + 1), DayWorking: "0"}
		if sp := c.engine.Week[wd]; len(sp) > 0 {
			d.DayWorking = "1"
			d.WorkingTimes = workingTimes(sp)
		}
		cal.WeekDays = append(cal.WeekDays, d)
	}
	if c.source != nil {
		for _, e := range c.source.Exceptions {
			to := e.To
			if to.IsZero() {
				to = e.From
			}
			spans, _ := tandem.ParseHours(e.Hours)
			x := mspdi.Exception{EnteredByOccurrences: "0", Occurrences: "1", Name: e.Name, Type: "1", DayWorking: "0",
				TimePeriod: mspdi.TimePeriod{FromDate: mspdi.FormatTime(e.From.Time()), ToDate: mspdi.FormatTime(to.Time().Add(24*time.Hour - time.Minute))}}
			if len(spans) > 0 {
				x.DayWorking = "1"
				x.WorkingTimes = workingTimes(engineSpans(spans))
			}
			cal.Exceptions = append(cal.Exceptions, x)
		}
	}
	return cal
}

// importCalendar turns the file's project calendar into a workspace
// calendar named after it and the project. Exceptions keep the names the
// file gives them (recurring ones are expanded to their dates, and runs of
// days with the same name and hours become one range); those more than a
// year before the project start or ten years after it are left out.
func importCalendar(f *mspdi.File, p *schedule.Project, project string) *tandem.Calendar {
	var sc *schedule.Calendar
	for i := range p.Calendars {
		if p.Calendars[i].ID == p.Calendar {
			sc = &p.Calendars[i]
		}
	}
	if sc == nil {
		return nil
	}
	name := strings.TrimSpace(sc.Name)
	if name == "" {
		name = "Calendar"
	}
	tc := &tandem.Calendar{Name: truncate(name+" ("+project+")", 200)}
	for wd := time.Sunday; wd <= time.Saturday; wd++ {
		tc.Week.SetDay(wd, tandem.FormatHours(domainSpans(sc.Week[wd])))
	}
	// Names by date from the file's own exceptions of this calendar.
	names := map[tandem.Date]string{}
	for _, x := range f.Calendars {
		if strings.TrimSpace(x.UID) != p.Calendar {
			continue
		}
		for _, e := range x.Exceptions {
			from, err1 := mspdi.ParseTime(e.TimePeriod.FromDate)
			to, err2 := mspdi.ParseTime(e.TimePeriod.ToDate)
			if err1 != nil || err2 != nil || strings.TrimSpace(e.Name) == "" {
				continue
			}
			for d := tandem.DateOf(from); !tandem.DateOf(to).Before(d) && len(names) < 100_000; d = d.AddDays(1) {
				names[d] = strings.TrimSpace(e.Name)
			}
		}
	}
	lo, hi := tandem.DateOf(p.Start).AddDays(-366), tandem.DateOf(p.Start).AddDays(3653)
	for _, e := range sc.Exceptions {
		hours := tandem.FormatHours(domainSpans(e.Working))
		for d := tandem.DateOf(e.From); !tandem.DateOf(e.To).Before(d); d = d.AddDays(1) {
			if d.Before(lo) || hi.Before(d) {
				if hi.Before(d) {
					break
				}
				continue
			}
			n := names[d]
			if n == "" {
				n = "Holiday"
				if hours != "" {
					n = "Other working hours"
				}
			}
			if k := len(tc.Exceptions) - 1; k >= 0 && tc.Exceptions[k].To.AddDays(1) == d && tc.Exceptions[k].Name == n && tc.Exceptions[k].Hours == hours {
				tc.Exceptions[k].To = d
				continue
			}
			tc.Exceptions = append(tc.Exceptions, tandem.CalendarException{Name: truncate(n, 200), From: d, To: d, Hours: hours})
		}
	}
	if len(tc.Exceptions) > tandem.MaxCalendarExceptions {
		tc.Exceptions = tc.Exceptions[:tandem.MaxCalendarExceptions]
	}
	tc.Derive()
	if tc.Validate() != nil {
		return nil // a calendar Tandem cannot keep (no working time): the project uses the workspace's
	}
	return tc
}

func domainSpans(spans []schedule.Span) []tandem.TimeSpan {
	out := make([]tandem.TimeSpan, len(spans))
	for i, x := range spans {
		out[i] = tandem.TimeSpan{From: x.From, To: x.To}
	}
	return out
}
