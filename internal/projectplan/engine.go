package projectplan

import (
	"errors"
	"math"
	"slices"
	"time"

	"github.com/tandem-pm/tandem"
	"github.com/tandem-pm/tandem/schedule"
)

// morning is the instant a date's work starts at: midnight, which the
// engine takes as the first working minute on or after it.
func morning(d tandem.Date) time.Time { return d.Time() }

// ScheduleProject computes the schedule of a project's items with the
// scheduling engine (package schedule). deps are the dependencies with at
// least one end among items; anchors are the items of other projects they
// link to, kept at their planned dates (a must-start-on constraint).
// Successors outside the project are ignored: they do not constrain it.
//
// Items are scheduled on Options.Calendar (nil: Monday to Friday, 8 hours
// a day). Durations are whole working days of that calendar's hours per
// day (a fraction takes the whole day), lags are rounded to whole days, a planned start is a start-no-earlier-than
// constraint, and items with children in the project are summaries. With
// Options.StatusDate, unfinished work dated before it is forecast from it:
// work not started moves to the status date, work under way finishes its
// remaining part (by progress) from it.
func ScheduleProject(project *tandem.Project, items []*tandem.Item, deps []*tandem.Dependency, anchors []*tandem.Item, opt Options) (*Schedule, error) {
	cal := calendarOf(opt.Calendar)
	minutesPerDay := int64(cal.mpd)
	in := make(map[string]*tandem.Item, len(items))
	for _, it := range items {
		in[it.ID] = it
	}
	children := map[string][]*tandem.Item{}
	for _, it := range items {
		if it.ParentID != "" && in[it.ParentID] != nil && it.ParentID != it.ID {
			children[it.ParentID] = append(children[it.ParentID], it)
		}
	}
	start := opt.Start
	if start.IsZero() {
		start = project.StartDate
	}
	if start.IsZero() {
		for _, it := range items {
			if !it.PlannedStart.IsZero() && (start.IsZero() || it.PlannedStart.Before(start)) {
				start = it.PlannedStart
			}
		}
	}
	if start.IsZero() {
		start = opt.StatusDate
	}
	s := &Schedule{ProjectID: project.ID, StatusDate: opt.StatusDate, Calendar: cal.info, Items: []ItemSchedule{}, Links: []Link{}, CriticalPath: []string{}, cal: cal}
	if start.IsZero() {
		if len(items) > 0 {
			return nil, tandem.Errorf(tandem.EInvalid, "Give the project a start date, or an item a planned start, to schedule it.")
		}
		return s, nil
	}
	start = cal.workDate(cal.workIndex(start))
	s.Start, s.Finish = start, start
	if len(items) == 0 {
		return s, nil
	}

	// The engine's project starts early enough for every anchor; the
	// project's own items start no earlier than its start.
	engineStart := start
	var anchorList []*tandem.Item
	for _, it := range anchors {
		if in[it.ID] != nil || it.PlannedStart.IsZero() {
			continue
		}
		anchorList = append(anchorList, it)
		if it.PlannedStart.Before(engineStart) {
			engineStart = it.PlannedStart
		}
	}
	p := &schedule.Project{Name: project.Name, Start: morning(engineStart), MinutesPerDay: cal.mpd,
		Calendars: []schedule.Calendar{cal.engine}, Tasks: make([]schedule.Task, 0, len(items)+len(anchors))}
	leaf := make(map[string]bool, len(items))
	dur := make(map[string]int, len(items))
	for _, it := range items {
		t := schedule.Task{ID: it.ID, Name: it.Title, Milestone: it.Kind == tandem.KindMilestone}
		if it.ParentID != "" && in[it.ParentID] != nil && it.ParentID != it.ID {
			t.Parent = it.ParentID
		}
		if len(children[it.ID]) == 0 {
			leaf[it.ID] = true
			dur[it.ID] = duration(it, cal)
			t.Duration = int64(dur[it.ID]) * minutesPerDay
			sn := start
			if !it.PlannedStart.IsZero() && start.Before(it.PlannedStart) {
				sn = it.PlannedStart
			}
			t.Constraint, t.ConstraintDate = schedule.SNET, morning(sn)
		}
		p.Tasks = append(p.Tasks, t)
	}
	anchorOf := map[string]bool{}
	for _, it := range anchorList {
		d := duration(it, cal)
		if !it.PlannedFinish.IsZero() && it.Kind != tandem.KindMilestone {
			d = max(cal.finishIndex(it.PlannedFinish)-cal.workIndex(it.PlannedStart), 0)
		}
		anchorOf[it.ID] = true
		dur[it.ID] = d
		p.Tasks = append(p.Tasks, schedule.Task{ID: it.ID, Name: it.Title, Duration: int64(d) * minutesPerDay,
			Milestone: d == 0, Constraint: schedule.MSO, ConstraintDate: morning(cal.workDate(cal.workIndex(it.PlannedStart)))})
	}
	var used []*tandem.Dependency
	for _, d := range deps {
		if in[d.SuccessorID] == nil || (in[d.PredecessorID] == nil && !anchorOf[d.PredecessorID]) || d.PredecessorID == d.SuccessorID {
			continue
		}
		lt, err := schedule.ParseLinkType(d.Type)
		if err != nil {
			continue
		}
		p.Links = append(p.Links, schedule.Link{From: d.PredecessorID, To: d.SuccessorID, Type: lt, Lag: int64(lagDays(d.LagDays)) * minutesPerDay})
		used = append(used, d)
	}
	var r *schedule.Result
	var err error
	if opt.StatusDate.IsZero() {
		r, err = schedule.Schedule(p)
	} else {
		calOf := make(map[string]*workCal, len(in))
		for id := range in {
			calOf[id] = cal
		}
		r, err = forecast(p, in, dur, calOf, opt.StatusDate)
	}
	if err != nil {
		return nil, engineError(err, p)
	}
	// An anchor finishing after the project's own work would set the
	// engine's finish, and give every item float; the project's late dates
	// count from its own finish, so that becomes a deadline of its work.
	if len(anchorList) > 0 {
		own, last := int64(0), int64(0)
		for i := range r.Tasks {
			if anchorOf[r.Tasks[i].ID] {
				last = max(last, r.Tasks[i].EF)
			} else if !r.Tasks[i].Summary {
				own = max(own, r.Tasks[i].EF)
			}
		}
		if last > own {
			deadline := r.FinishTime(own)
			for i := range p.Tasks {
				if leaf[p.Tasks[i].ID] {
					p.Tasks[i].Deadline = deadline
				}
			}
			if r, err = schedule.Schedule(p); err != nil {
				return nil, engineError(err, p)
			}
		}
	}

	res := make(map[string]*schedule.TaskResult, len(r.Tasks))
	for i := range r.Tasks {
		res[r.Tasks[i].ID] = &r.Tasks[i]
	}
	item := func(it *tandem.Item, level int, anchor bool) ItemSchedule {
		tr := res[it.ID]
		x := ItemSchedule{
			ItemID: it.ID, Title: it.Title, Kind: it.Kind, ProjectID: it.ProjectID, ParentID: it.ParentID, Level: level,
			Summary: tr.Summary, Milestone: it.Kind == tandem.KindMilestone, Anchor: anchor, DurationDays: it.DurationDays,
			WorkDays: dur[it.ID], Progress: it.Progress, Status: it.Status, Version: it.Version,
			EarlyStart: tandem.DateOf(tr.EarlyStart), EarlyFinish: tandem.DateOf(tr.EarlyFinish),
			LateStart: tandem.DateOf(tr.LateStart), LateFinish: tandem.DateOf(tr.LateFinish),
			TotalFloat: floorDiv(int(tr.TotalFloat), int(minutesPerDay)), FreeFloat: floorDiv(int(max(tr.FreeFloat, 0)), int(minutesPerDay)),
			Critical: tr.Critical && !anchor,
		}
		if x.Summary {
			x.WorkDays = cal.countWorkDays(x.EarlyStart, x.EarlyFinish)
		}
		if anchor {
			x.Level, x.LateStart, x.LateFinish, x.TotalFloat, x.FreeFloat = 0, x.EarlyStart, x.EarlyFinish, 0, 0
		}
		return x
	}
	s.Items = make([]ItemSchedule, 0, len(anchorList)+len(items))
	for _, it := range anchorList {
		s.Items = append(s.Items, item(it, 0, true))
	}
	seen := make(map[string]bool, len(items))
	var walk func(it *tandem.Item, level int)
	walk = func(it *tandem.Item, level int) {
		if seen[it.ID] {
			return
		}
		seen[it.ID] = true
		s.Items = append(s.Items, item(it, level, false))
		for _, c := range children[it.ID] {
			walk(c, level+1)
		}
	}
	for _, it := range items {
		if it.ParentID == "" || in[it.ParentID] == nil || it.ParentID == it.ID {
			walk(it, 0)
		}
	}
	for _, it := range items { // items on a parent cycle, which the store forbids
		walk(it, 0)
	}
	first := true
	for _, x := range s.Items {
		if x.Anchor {
			continue
		}
		if first || x.EarlyStart.Before(s.Start) {
			s.Start = x.EarlyStart
		}
		if first || s.Finish.Before(x.EarlyFinish) {
			s.Finish = x.EarlyFinish
		}
		first = false
	}
	byID := make(map[string]*ItemSchedule, len(s.Items))
	for i := range s.Items {
		byID[s.Items[i].ItemID] = &s.Items[i]
	}
	s.Links = make([]Link, 0, len(used))
	for _, d := range used {
		a, b := byID[d.PredecessorID], byID[d.SuccessorID]
		crit := b.Critical && (a.Anchor || a.Critical) && linkSlack(cal, a, b, d) <= 0
		s.Links = append(s.Links, Link{DependencyID: d.ID, PredecessorID: d.PredecessorID, SuccessorID: d.SuccessorID, Type: d.Type, LagDays: d.LagDays, Critical: crit})
	}
	for _, id := range r.CriticalPath {
		if !anchorOf[id] {
			s.CriticalPath = append(s.CriticalPath, id)
		}
	}
	return s, nil
}

// linkSlack is how many working days a link leaves between the
// predecessor's early dates and the successor's.
func linkSlack(cal *workCal, a, b *ItemSchedule, d *tandem.Dependency) int {
	es := func(x *ItemSchedule) int { return cal.workIndex(x.EarlyStart) }
	ef := func(x *ItemSchedule) int {
		if x.Milestone {
			return cal.workIndex(x.EarlyStart)
		}
		return cal.finishIndex(x.EarlyFinish)
	}
	lag := lagDays(d.LagDays)
	switch d.Type {
	case tandem.StartToStart:
		return es(b) - es(a) - lag
	case tandem.FinishToFinish:
		return ef(b) - ef(a) - lag
	case tandem.StartToFinish:
		return ef(b) - es(a) - lag
	}
	return es(b) - ef(a) - lag
}

// forecast reschedules for the status date: unfinished work dated before
// it either starts on it (not started: a start-no-earlier-than the status
// date) or lasts until its remaining work is done (under way: its duration
// grows to reach the status date plus the remaining part, by progress). A
// longer task can push another one under way across the status date, so
// the durations are recomputed until they settle. calOf gives each item's
// calendar, on which its days count.
func forecast(p *schedule.Project, in map[string]*tandem.Item, dur map[string]int, calOf map[string]*workCal, statusDate tandem.Date) (*schedule.Result, error) {
	// Leaves have a duration in dur; summaries and anchors do not. The
	// under-way ones (progress > 0) are looked at again after each pass.
	var underWay []int
	for i := range p.Tasks {
		if it := in[p.Tasks[i].ID]; it != nil && !isDone(it) && dur[it.ID] > 0 && it.Progress > 0 {
			underWay = append(underWay, i)
		}
	}
	eligible := func(i int) bool {
		it := in[p.Tasks[i].ID]
		return it != nil && !isDone(it) && dur[it.ID] > 0
	}
	// The status date's working-day index and start on each calendar.
	type statusOn struct {
		index int
		at    time.Time
	}
	statusOf := map[*workCal]statusOn{}
	status := func(cal *workCal) statusOn {
		st, ok := statusOf[cal]
		if !ok {
			st.index = cal.workIndex(statusDate)
			st.at = morning(cal.workDate(st.index))
			statusOf[cal] = st
		}
		return st
	}
	for i := range p.Tasks {
		t := &p.Tasks[i]
		if eligible(i) && in[t.ID].Progress == 0 {
			cal := calOf[t.ID]
			if at := status(cal).at; t.ConstraintDate.Before(at) {
				t.Constraint, t.ConstraintDate = schedule.SNET, at
			}
		}
	}
	r, err := schedule.Schedule(p)
	for pass := 0; pass < 8 && err == nil; pass++ {
		changed := false
		for _, i := range underWay {
			t := &p.Tasks[i]
			cal := calOf[t.ID]
			status := status(cal).index
			d := dur[t.ID]
			want := d
			if es := cal.workIndex(tandem.DateOf(r.Tasks[i].EarlyStart)); es < status {
				remaining := int(math.Ceil(float64(d) * float64(100-in[t.ID].Progress) / 100))
				want = max(es+d, status+remaining) - es
			}
			if t.Duration != int64(want)*int64(cal.mpd) {
				t.Duration = int64(want) * int64(cal.mpd)
				changed = true
			}
		}
		if !changed {
			break
		}
		r, err = schedule.Schedule(p)
	}
	return r, err
}

// engineError turns the engine's cycle error into the domain's, naming items.
func engineError(err error, p *schedule.Project) error {
	var ce *schedule.CycleError
	if errors.As(err, &ce) {
		names := map[string]string{}
		for _, t := range p.Tasks {
			names[t.ID] = t.Name
		}
		var path []string
		for _, id := range ce.Labels {
			path = append(path, names[id])
		}
		slices.Sort(path)
		return tandem.CycleError(slices.Compact(path))
	}
	return tandem.Errorf(tandem.EInvalid, "The project cannot be scheduled: %v.", err)
}
