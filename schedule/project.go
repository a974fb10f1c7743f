package schedule

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"
	"time"
)

// Project is the input of the engine: tasks, links and calendars, with a
// start date. Dates are local wall-clock times kept in time.UTC.
type Project struct {
	Name       string
	Start      time.Time // project start; tasks never start before it
	StatusDate time.Time // optional: the date up to which progress is reported
	// MoveUnstartedAfterStatus (with a StatusDate) forecasts work not yet
	// started from the status date: a task without an actual start may not
	// start before it, as after MS Project's "Update Project: reschedule
	// uncompleted work to start after" the status date, which gives such
	// tasks a start-no-earlier-than constraint (docs/schedule.md).
	MoveUnstartedAfterStatus bool
	// Calendar is the ID of the project calendar (default: the first of
	// Calendars, or StandardCalendar() when there are none). Durations and
	// lags are working time on it, except for a task on its own calendar
	// (Task.Calendar) or with assignments (each on its resource's
	// calendar, intersected with the task's): its duration, or each
	// assignment's work, and the lags of links into it when it has a
	// Task.Calendar, are working time on those calendars (docs/schedule.md,
	// "Calendars").
	Calendar      string
	Calendars     []Calendar
	MinutesPerDay int // what "1 day" of duration means; default 480
	Tasks         []Task
	Links         []Link
	Resources     []Resource
}

// Task is one activity, a milestone (duration 0) or a summary (a task that
// other tasks name as Parent; its own duration is ignored and its dates roll
// up from its children).
type Task struct {
	ID       string
	Name     string
	Duration int64 // working minutes (elapsed minutes when Elapsed)
	// Elapsed says Duration runs on the clock, nights and weekends included
	// (MS Project's "elapsed days"): the task's length in working time then
	// depends on where it starts.
	Elapsed bool
	// Estimate is an optional three-point estimate for Monte Carlo risk
	// analysis, in working minutes.
	Estimate   *Estimate
	Milestone  bool
	Parent     string
	Constraint ConstraintType
	// ConstraintDate is the date of every constraint but ASAP and ALAP.
	ConstraintDate time.Time
	Deadline       time.Time // optional; a missed deadline shows as negative float
	Calendar       string    // optional; see docs/schedule.md for how it is used
	// IgnoreResourceCalendar schedules the task on its own calendar (or the
	// project's) whatever the calendars of its resources (MS Project's
	// "Scheduling ignores resource calendars").
	IgnoreResourceCalendar bool
	Demands                []Demand
	ActualStart            time.Time // zero when the task has not started
	ActualFinish           time.Time
	PercentComplete        float64 // 0..100
}

// Estimate is a three-point estimate of a duration, in working minutes.
type Estimate struct {
	Optimistic, MostLikely, Pessimistic int64
}

// Demand is a resource a task needs while it runs, in units (1 = one full
// person or machine): an assignment. Its dates follow the resource's
// calendar (docs/schedule.md, "Calendars").
type Demand struct {
	Resource string
	Units    float64
	// Work is the assignment's work in minutes (optional). With Units > 0
	// the assignment lasts Work / Units working minutes of its calendar (an
	// effort-driven task with fixed units); without it, the task's Duration.
	Work int64
}

// Resource is a person, team or machine with a capacity in units.
type Resource struct {
	ID       string
	Name     string
	Capacity float64
	Calendar string
}

// Link says that To depends on From. Lag is working minutes (negative for a
// lead); when LagPercent is not zero the lag is that percentage of From's
// duration instead.
type Link struct {
	From, To   string
	Type       LinkType
	Lag        int64
	LagPercent float64
}

// Result is a computed schedule. Tasks is in the order of Project.Tasks.
type Result struct {
	Start, Finish time.Time
	FinishWork    int64 // project finish in working minutes from the start
	Tasks         []TaskResult
	// CriticalPath lists the IDs of the critical work tasks (not summaries)
	// in order of early start.
	CriticalPath []string
	// Late lists the IDs of tasks with negative float: a constraint or
	// deadline that cannot be met.
	Late []string

	Net  *Network // the compiled network of the work tasks
	Leaf []int    // Project.Tasks index of each network task
	tl   *timeline
	mpd  int
	// taskTL[k] is the timeline of network task k when it runs on another
	// calendar than the project's (nil otherwise; nil slice when none does).
	taskTL   []*timeline
	calStart []time.Time // early start of each task of taskTL on its calendar
	calFin   []time.Time // and its early finish
	// asg[k] lists the assignments of a task scheduled per assignment (nil
	// slice when none is).
	asg [][]assignTL
	// early dates, on their own calendars, of tasks under way at the status date
	progStart, progFin []time.Time
}

// TaskResult is the schedule of one task. Times are in working minutes from
// the project start (ES, EF, LS, LF, floats) and as dates.
type TaskResult struct {
	ID, Name                string
	Summary, Milestone      bool
	Start, Finish           time.Time // scheduled dates (late dates for ALAP tasks)
	EarlyStart, EarlyFinish time.Time
	LateStart, LateFinish   time.Time
	ES, EF, LS, LF          int64
	TotalFloat, FreeFloat   int64
	Critical                bool
}

// StartTime converts working minutes from the project start to a date in
// its start form (the beginning of that working minute).
func (r *Result) StartTime(w int64) time.Time { return r.tl.StartTime(w) }

// FinishTime converts working minutes to a date in its finish form (the end
// of the previous working minute: 17:00 rather than the next day's 08:00).
func (r *Result) FinishTime(w int64) time.Time { return r.tl.FinishTime(w) }

// Work converts a date to working minutes from the project start.
func (r *Result) Work(t time.Time) int64 { return r.tl.Work(t) }

// MinutesPerDay is the length of a working day used for the project.
func (r *Result) MinutesPerDay() int { return r.mpd }

// projectCalendar picks the project calendar.
func (p *Project) projectCalendar() (*Calendar, error) {
	if len(p.Calendars) == 0 {
		c := StandardCalendar()
		return &c, nil
	}
	if p.Calendar == "" {
		return &p.Calendars[0], nil
	}
	for i := range p.Calendars {
		if p.Calendars[i].ID == p.Calendar {
			return &p.Calendars[i], nil
		}
	}
	return nil, fmt.Errorf("project calendar %q is not among the calendars", p.Calendar)
}

// Schedule computes the critical-path schedule of p. Errors: a link to an
// unknown task, a duplicate task ID, a bad calendar, a *CycleError naming
// every task on a cycle.
func Schedule(p *Project) (*Result, error) {
	if p.Start.IsZero() {
		return nil, errors.New("schedule: the project has no start date")
	}
	cal, err := p.projectCalendar()
	if err != nil {
		return nil, err
	}
	if err := cal.Validate(); err != nil {
		return nil, err
	}
	tl := newTimeline(cal, p.Start.UTC())
	mpd := p.MinutesPerDay
	if mpd <= 0 {
		mpd = 480
	}
	n := len(p.Tasks)
	index := make(map[string]int, n)
	for i := range p.Tasks {
		t := &p.Tasks[i]
		if t.ID == "" {
			return nil, fmt.Errorf("schedule: task %d (%q) has no ID", i, t.Name)
		}
		if _, dup := index[t.ID]; dup {
			return nil, fmt.Errorf("schedule: two tasks have the ID %q", t.ID)
		}
		index[t.ID] = i
	}
	// Children lists of the outline; summaries are the tasks with children.
	parent := make([]int32, n)
	nchild := make([]int32, n)
	for i := range p.Tasks {
		parent[i] = -1
		if pid := p.Tasks[i].Parent; pid != "" {
			j, ok := index[pid]
			if !ok {
				return nil, fmt.Errorf("schedule: task %q: parent %q is not a task", p.Tasks[i].ID, pid)
			}
			parent[i] = int32(j)
			nchild[j]++
		}
	}
	// The outline must be a forest.
	for i := range n {
		steps := 0
		for j := parent[i]; j >= 0; j = parent[j] {
			if steps++; steps > n {
				return nil, fmt.Errorf("schedule: task %q is its own ancestor", p.Tasks[i].ID)
			}
		}
	}
	leaf := make([]int, 0, n)
	netIdx := make([]int32, n)
	for i := range p.Tasks {
		netIdx[i] = -1
		if nchild[i] == 0 {
			netIdx[i] = int32(len(leaf))
			leaf = append(leaf, i)
		}
	}
	var leavesOf func(i int) []int32
	var kids [][]int32
	if len(leaf) < n {
		kids = make([][]int32, n)
		for i := range n {
			if parent[i] >= 0 {
				kids[parent[i]] = append(kids[parent[i]], int32(i))
			}
		}
		leavesOf = func(i int) []int32 {
			if nchild[i] == 0 {
				return []int32{netIdx[i]}
			}
			var out []int32
			for _, c := range kids[i] {
				out = append(out, leavesOf(int(c))...)
			}
			return out
		}
	}
	// Which calendars each task follows (docs/schedule.md, "Calendars"): a
	// task on another calendar than the project's gets its duration in
	// project working minutes from its own calendar, or from those of its
	// assignments, converted at its early start.
	tc, err := p.resolveCalendars(leaf, cal, tl)
	if err != nil {
		return nil, err
	}
	taskTL, asg := tc.tl, tc.asg
	dur := make([]int64, len(leaf))
	for k, i := range leaf {
		t := &p.Tasks[i]
		if t.Duration < 0 || t.Duration > maxMinutes {
			return nil, fmt.Errorf("schedule: task %q: duration %d minutes out of range", t.ID, t.Duration)
		}
		if !t.Milestone {
			dur[k] = t.Duration
			if tc.dur != nil && tc.dur[k] >= 0 {
				dur[k] = tc.dur[k]
			}
		}
	}
	edges := make([]Edge, 0, len(p.Links))
	for li, l := range p.Links {
		a, ok := index[l.From]
		if !ok {
			return nil, fmt.Errorf("schedule: link %d: unknown predecessor %q", li, l.From)
		}
		b, ok := index[l.To]
		if !ok {
			return nil, fmt.Errorf("schedule: link %d: unknown successor %q", li, l.To)
		}
		if l.Type > SF {
			return nil, fmt.Errorf("schedule: link %d: bad type %d", li, l.Type)
		}
		if l.Lag > maxMinutes || l.Lag < -maxMinutes || math.Abs(l.LagPercent) > 1e6 {
			return nil, fmt.Errorf("schedule: link %s->%s: lag out of range", l.From, l.To)
		}
		e := Edge{Type: l.Type, Lag: int32(max(min(l.Lag, math.MaxInt32), math.MinInt32)), LagPct: int32(math.Round(l.LagPercent * 100))}
		if l.LagPercent != 0 && e.LagPct == 0 {
			e.LagPct = 1
		}
		if netIdx[a] >= 0 && netIdx[b] >= 0 {
			e.From, e.To = netIdx[a], netIdx[b]
			edges = append(edges, e)
			continue
		}
		// A link to or from a summary applies to every task under it.
		for _, x := range leavesOf(a) {
			for _, y := range leavesOf(b) {
				e.From, e.To = x, y
				edges = append(edges, e)
			}
		}
	}
	if int64(len(leaf)) > math.MaxInt32/2 {
		return nil, errors.New("schedule: too many tasks")
	}
	net, err := NewNetwork(dur, edges)
	if err != nil {
		var ce *CycleError
		if errors.As(err, &ce) {
			for _, v := range ce.Tasks {
				ce.Labels = append(ce.Labels, p.Tasks[leaf[v]].ID)
			}
		}
		return nil, err
	}
	// Constraints, deadlines and actuals, converted to working minutes.
	var ctype []ConstraintType
	var cat, dl, act []int64
	for k, i := range leaf {
		t := &p.Tasks[i]
		if t.Constraint != ASAP && t.Constraint != ALAP {
			if t.Constraint > FNLT {
				return nil, fmt.Errorf("schedule: task %q: bad constraint %d", t.ID, t.Constraint)
			}
			if t.ConstraintDate.IsZero() {
				return nil, fmt.Errorf("schedule: task %q: constraint %s needs a date", t.ID, t.Constraint)
			}
			if ctype == nil {
				ctype = make([]ConstraintType, len(leaf))
				cat = make([]int64, len(leaf))
			}
			ctype[k] = t.Constraint
			cat[k] = tl.Work(t.ConstraintDate.UTC())
		}
		if !t.Deadline.IsZero() {
			if dl == nil {
				dl = filled(len(leaf), NoTime)
			}
			dl[k] = tl.Work(t.Deadline.UTC())
		}
		if !t.ActualStart.IsZero() {
			if act == nil {
				act = filled(len(leaf), NoTime)
			}
			act[k] = tl.Work(t.ActualStart.UTC())
			if !t.ActualFinish.IsZero() {
				net.Dur[k] = max(0, tl.Work(t.ActualFinish.UTC())-act[k])
			}
		}
	}
	if p.MoveUnstartedAfterStatus && !p.StatusDate.IsZero() {
		ctype, cat = unstartedAfterStatus(p, leaf, net.Dur, tl.Work(p.StatusDate.UTC()), ctype, cat)
	}
	if ctype != nil || dl != nil || act != nil {
		net.SetConstraints(ctype, cat, dl, act)
		net.Recompute()
	}
	// Progress: with a status date, the remaining work of a task under way
	// resumes at the status date at the earliest; the done part stays where
	// it was. Its ES stays the actual start, so the gap becomes part of its
	// span in the network. That span is fixed unless finish-to-start or
	// finish-to-finish links can move the remaining part (status.go): those
	// tasks are recomputed in the conversion passes below.
	progress := false
	var progStart, progFin []time.Time // dates of tasks under way on their own calendars
	var uw []*underWay                 // tasks under way whose remaining part follows links
	if !p.StatusDate.IsZero() {
		sd := p.StatusDate.UTC()
		for k, i := range leaf {
			t := &p.Tasks[i]
			if t.ActualStart.IsZero() || !t.ActualFinish.IsZero() || t.Milestone || t.Elapsed || t.Duration == 0 || t.PercentComplete >= 100 {
				continue
			}
			ttl := tl
			if taskTL != nil && taskTL[k] != nil {
				ttl = taskTL[k]
			}
			d := tc.length(k, t)
			if asg != nil {
				asg[k] = nil // forecast on one calendar (docs/schedule.md)
			}
			pct := max(0, t.PercentComplete)
			done := int64(math.Round(float64(d) * pct / 100))
			as := ttl.Work(t.ActualStart.UTC())
			resume := max(as+done, ttl.Work(sd))
			finish := ttl.FinishTime(resume + d - done)
			net.Dur[k] = max(0, tl.Work(finish)-act[k])
			progress = true
			if hasFinishLinks(net, k) {
				// Its remaining part follows its predecessors' finishes:
				// recomputed in the passes below.
				if uw == nil {
					uw = make([]*underWay, len(leaf))
				}
				uw[k] = &underWay{ttl: ttl, done: as + done, rem: d - done, sd: ttl.Work(sd)}
			}
			if taskTL != nil && taskTL[k] != nil {
				taskTL[k] = nil // converted once; not start-dependent
				if d == 0 {
					continue
				}
				if progStart == nil {
					progStart = make([]time.Time, len(leaf))
					progFin = make([]time.Time, len(leaf))
				}
				progStart[k], progFin[k] = ttl.StartTime(as), finish
				if finish.Before(progStart[k]) { // nothing left: a point in time
					progFin[k] = progStart[k]
				}
			}
		}
	}
	// Elapsed durations and per-task calendars: convert at the task's early
	// start, then repeat while a conversion moves a start (a few rounds at
	// most in practice).
	var conv []int
	for k, i := range leaf {
		t := &p.Tasks[i]
		if t.Milestone || !t.ActualFinish.IsZero() {
			continue
		}
		if t.Elapsed || taskTL != nil && taskTL[k] != nil || uw != nil && uw[k] != nil {
			conv = append(conv, k)
		}
	}
	if progress {
		net.Recompute()
	}
	var calStart, calFin []time.Time
	// Each round is one forward pass in topological order that converts a
	// task's duration at its early start as soon as that is known, so that
	// chains of finish-to-start and start-to-start links settle in one
	// round. A task whose early start depends on its own duration (an FF or
	// SF link, an FNET or MFO constraint) can make the rounds oscillate:
	// after the first round its converted duration only grows (a safe,
	// slightly late answer), so that the rounds end.
	if len(conv) > 0 {
		isConv := make([]bool, len(leaf))
		for _, k := range conv {
			isConv[k] = true
		}
		selfDep := func(k int32) bool {
			if ctype != nil && (ctype[k] == FNET || ctype[k] == MFO) {
				return true
			}
			for _, e := range net.in[net.predOff[k]:net.predOff[k+1]] {
				if e.Type == FF || e.Type == SF {
					return true
				}
			}
			return false
		}
		var calStartR, calFinR []time.Time
		if taskTL != nil || progFin != nil {
			calStartR = make([]time.Time, len(leaf))
			calFinR = make([]time.Time, len(leaf))
			copy(calFinR, progFin) // tasks under way on their calendars
		}
		// Lags into a task with its own task calendar are measured on that
		// calendar (not for a resource's calendar: MS Project measures those
		// lags on the project calendar).
		var lagOwn []bool
		var origLag []int32
		for _, k := range conv {
			if taskTL == nil || taskTL[k] == nil || p.Tasks[leaf[k]].Calendar == "" {
				continue
			}
			for _, e := range net.in[net.predOff[k]:net.predOff[k+1]] {
				if e.Lag != 0 && e.LagPct == 0 {
					if lagOwn == nil {
						lagOwn = make([]bool, len(leaf))
						origLag = make([]int32, len(net.in))
						for i := range net.in {
							origLag[i] = net.in[i].Lag
						}
					}
					lagOwn[k] = true
				}
			}
		}
		for round := 0; round < 50; round++ {
			changed := false
			for _, v := range net.order {
				if lagOwn != nil && lagOwn[v] {
					convertLags(net, tl, taskTL, calStartR, calFinR, v, origLag)
				}
				net.es[v] = net.early(v)
				if !isConv[v] {
					continue
				}
				k := int(v)
				es := net.es[v]
				t := &p.Tasks[leaf[k]]
				var d int64
				if uw != nil && uw[k] != nil {
					finish := uw[k].finish(net, tl, k)
					d = tl.Work(finish) - es
					if progFin != nil && !progFin[k].IsZero() && d > 0 {
						progFin[k] = finish
					}
				} else if t.Elapsed {
					start := tl.StartTime(es)
					d = tl.Work(start.Add(time.Duration(t.Duration)*time.Minute)) - es
				} else if asg != nil && asg[k] != nil {
					var ol []int32
					if lagOwn != nil && lagOwn[v] {
						ol = origLag
					}
					a := calAnchor(net, tl, taskTL, calFinR, ctype, k, p.Start, ol)
					calStartR[k], calFinR[k] = assignmentSpan(asg[k], a)
					d = tl.Work(calFinR[k]) - es
					if round > 0 && selfDep(v) {
						d = max(d, net.Dur[k])
					}
				} else {
					ttl := taskTL[k]
					var ol []int32
					if lagOwn != nil && lagOwn[v] {
						ol = origLag
					}
					sw := ttl.Work(calAnchor(net, tl, taskTL, calFinR, ctype, k, p.Start, ol))
					calStartR[k], calFinR[k] = ttl.StartTime(sw), ttl.FinishTime(sw+t.Duration)
					if t.Duration == 0 { // a point in time: the start form
						calFinR[k] = calStartR[k]
					}
					d = tl.Work(calFinR[k]) - es
					if round > 0 && selfDep(v) {
						d = max(d, net.Dur[k])
					}
				}
				if d = max(0, d); d != net.Dur[k] {
					net.Dur[k] = d
					changed = true
				}
			}
			net.Recompute()
			if !changed {
				break
			}
		}
		calStart, calFin = calStartR, calFinR
	}
	if taskTL != nil || uw != nil {
		net.calDependent = true
	}
	res := &Result{Net: net, Leaf: leaf, tl: tl, mpd: mpd, taskTL: taskTL, asg: asg, calStart: calStart, calFin: calFin, progStart: progStart, progFin: progFin}
	res.fill(p, parent, netIdx)
	return res, nil
}

// calAnchor is the instant from which task k, on its own calendar, may
// start when its early start is ES on the project timeline. When only plain
// finish-to-start links (no lag) and no date constraint set its start, that
// is the latest finish of its predecessors (so that a task calendar working
// on days the project calendar does not, a weekend say, can use them), and
// never before the project start; otherwise the project's start form of ES.
func calAnchor(net *Network, tl *timeline, taskTL []*timeline, calFin []time.Time, ctype []ConstraintType, k int, start time.Time, origLag []int32) time.Time {
	es := net.es[k]
	if es == 0 {
		return start.UTC()
	}
	if es < 0 { // an actual start before the project start
		return tl.StartTime(es)
	}
	if ctype != nil && ctype[k] != ASAP && ctype[k] != ALAP {
		return tl.StartTime(es)
	}
	lo, hi := net.predOff[k], net.predOff[k+1]
	if lo == hi {
		return tl.StartTime(es)
	}
	a := start.UTC()
	for ei := lo; ei < hi; ei++ {
		e := &net.in[ei]
		lag := int64(e.Lag)
		if origLag != nil {
			lag = int64(origLag[ei])
		}
		if e.Type != FS || e.LagPct != 0 || lag != 0 && origLag == nil {
			return tl.StartTime(es)
		}
		f := finishAt(net, tl, taskTL, calFin, e.From)
		if lag != 0 { // measured on task k's own calendar
			f = taskTL[k].FinishTime(taskTL[k].Work(f) + lag)
		}
		if f.After(a) {
			a = f
		}
	}
	// Links set ES to the largest predecessor finish; if something else
	// (an actual start) set it, fall back.
	if tl.Work(a) != es {
		return tl.StartTime(es)
	}
	return a
}

// finishAt is the finish instant of network task j: on its own calendar
// when it was converted, else the finish form of its EF (the start form for
// a task of no length).
func finishAt(net *Network, tl *timeline, taskTL []*timeline, calFin []time.Time, j int32) time.Time {
	switch {
	case calFin != nil && !calFin[j].IsZero():
		return calFin[j]
	case net.Dur[j] > 0:
		return tl.FinishTime(net.es[j] + net.Dur[j])
	}
	return tl.StartTime(net.es[j])
}

// convertLags sets the lags of the links into task k, which runs on its own
// task calendar, to the project working minutes that their original lags
// (working minutes of k's calendar, MS Project's rule) span from the
// predecessor's finish (FS, FF) or start (SS, SF).
func convertLags(net *Network, tl *timeline, taskTL []*timeline, calStart, calFin []time.Time, k int32, origLag []int32) {
	ttl := taskTL[k]
	for ei := net.predOff[k]; ei < net.predOff[k+1]; ei++ {
		e := &net.in[ei]
		lag := int64(origLag[ei])
		if lag == 0 || e.LagPct != 0 {
			continue
		}
		j := e.From
		var ref int64
		var at time.Time
		if e.Type == FS || e.Type == FF {
			ref, at = net.es[j]+net.Dur[j], finishAt(net, tl, taskTL, calFin, j)
		} else {
			ref, at = net.es[j], tl.StartTime(net.es[j])
			if taskTL[j] != nil && calStart != nil && !calStart[j].IsZero() {
				at = calStart[j]
			}
		}
		pl := tl.Work(ttl.FinishTime(ttl.Work(at)+lag)) - ref
		e.Lag = int32(max(min(pl, math.MaxInt32), math.MinInt32))
	}
}

// elapsedOnClock reports whether t's reported dates run on the clock: an
// elapsed task that has not finished and is not a milestone.
func elapsedOnClock(t *Task) bool {
	return t.Elapsed && !t.Milestone && t.ActualFinish.IsZero()
}

func filled(n int, v int64) []int64 {
	s := make([]int64, n)
	for i := range s {
		s[i] = v
	}
	return s
}

// fill converts the network's integer times into TaskResults, rolls up
// summaries and lists the critical path.
func (r *Result) fill(p *Project, parent, netIdx []int32) {
	net, tl := r.Net, r.tl
	n := len(p.Tasks)
	tl.cover(net.Finish() + 1)
	r.FinishWork = net.Finish()
	r.Start = tl.StartTime(0)
	r.Finish = tl.FinishTime(net.Finish())
	r.Tasks = make([]TaskResult, n)
	const big = math.MaxInt64
	for i := range r.Tasks {
		t := &p.Tasks[i]
		r.Tasks[i] = TaskResult{ID: t.ID, Name: t.Name, Milestone: t.Milestone}
		if k := netIdx[i]; k >= 0 {
			v := int(k)
			tr := &r.Tasks[i]
			tr.ES, tr.EF, tr.LS, tr.LF = net.ES(v), net.EF(v), net.LS(v), net.LF(v)
			tr.TotalFloat, tr.FreeFloat = tr.LS-tr.ES, net.FreeFloat(v)
			tr.Critical = tr.TotalFloat <= 0
			if !t.ActualFinish.IsZero() {
				// Finished work has no float and is not critical: it can no
				// longer move (MS Project's rule).
				tr.LS, tr.LF, tr.TotalFloat, tr.FreeFloat, tr.Critical = tr.ES, tr.EF, 0, 0, false
			}
			if tr.TotalFloat < 0 {
				r.Late = append(r.Late, t.ID)
			}
		} else {
			r.Tasks[i].Summary = true
			r.Tasks[i].ES, r.Tasks[i].LS = big, big
			r.Tasks[i].EF, r.Tasks[i].LF = math.MinInt64, math.MinInt64
		}
	}
	// Roll up: every leaf widens all its ancestors.
	for i := range n {
		if netIdx[i] < 0 {
			continue
		}
		c := &r.Tasks[i]
		for a := parent[i]; a >= 0; a = parent[a] {
			s := &r.Tasks[a]
			s.ES, s.EF = min(s.ES, c.ES), max(s.EF, c.EF)
			s.LS, s.LF = min(s.LS, c.LS), max(s.LF, c.LF)
		}
	}
	// The project's end instant: its last working minute, or later when an
	// elapsed task runs past it on the clock, or a task on its own calendars
	// (a night shift) past it in wall-clock time.
	end := tl.FinishTime(net.Finish())
	for i := range r.Tasks {
		k := netIdx[i]
		if k < 0 {
			continue
		}
		if elapsedOnClock(&p.Tasks[i]) {
			if f := tl.StartTime(r.Tasks[i].ES).Add(time.Duration(p.Tasks[i].Duration) * time.Minute); f.After(end) {
				end = f
			}
		}
		if r.calFin != nil && r.calFin[k].After(end) && r.Tasks[i].EF >= net.Finish() {
			end = r.calFin[k]
		}
	}
	// lateBy is the latest instant at which a task whose late finish is
	// working minute lf may finish: the start form of lf (the next project
	// working minute begins there), or the project's end instant.
	lateBy := func(lf int64) time.Time {
		if lf >= net.Finish() {
			return end
		}
		return tl.StartTime(lf)
	}
	for i := range r.Tasks {
		tr := &r.Tasks[i]
		if tr.Summary {
			if tr.ES == big { // a summary whose subtree has no work
				tr.ES, tr.EF, tr.LS, tr.LF = 0, 0, 0, 0
			}
			tr.TotalFloat = min(tr.LS-tr.ES, tr.LF-tr.EF)
			tr.FreeFloat = tr.TotalFloat
			tr.Critical = tr.TotalFloat <= 0
		}
		zero := tr.EF == tr.ES
		tr.EarlyStart = tl.StartTime(tr.ES)
		tr.LateStart = tl.StartTime(tr.LS)
		if zero {
			tr.EarlyFinish, tr.LateFinish = tr.EarlyStart, tr.LateStart
		} else {
			tr.EarlyFinish, tr.LateFinish = tl.FinishTime(tr.EF), tl.FinishTime(tr.LF)
		}
		if k := netIdx[i]; k >= 0 && r.asg != nil && r.asg[k] != nil && r.calStart != nil && !r.calStart[k].IsZero() {
			// Dates of the assignments: the earliest start and latest finish.
			tr.EarlyStart, tr.EarlyFinish = r.calStart[k], r.calFin[k]
			tr.LateStart, tr.LateFinish = assignmentLate(r.asg[k], lateBy(tr.LF))
		} else if k := netIdx[i]; k >= 0 && r.calStart != nil && r.taskTL[k] != nil && !r.calStart[k].IsZero() && !p.Tasks[i].Elapsed && !p.Tasks[i].Milestone {
			// Dates on the task's own calendar: its first working minute
			// after the project working time before the early start, and
			// the last one before the late finish.
			ttl, d := r.taskTL[k], p.Tasks[i].Duration
			s := ttl.Work(r.calStart[k])
			tr.EarlyStart, tr.EarlyFinish = ttl.StartTime(s), ttl.FinishTime(s+d)
			f := ttl.Work(lateBy(tr.LF))
			tr.LateStart, tr.LateFinish = ttl.StartTime(f-d), ttl.FinishTime(f)
			if d == 0 {
				tr.EarlyFinish = tr.EarlyStart
				tr.LateStart = ttl.StartTime(ttl.Work(tl.StartTime(tr.LS)))
				tr.LateFinish = tr.LateStart
			}
		}
		if k := netIdx[i]; k >= 0 && r.progStart != nil && !r.progStart[k].IsZero() {
			tr.EarlyStart, tr.EarlyFinish = r.progStart[k], r.progFin[k]
		} else if k >= 0 && elapsedOnClock(&p.Tasks[i]) {
			// Elapsed work runs on the clock, early and late (MS Project
			// schedules its late dates back from the late finish instant).
			d := time.Duration(p.Tasks[i].Duration) * time.Minute
			tr.EarlyFinish = tr.EarlyStart.Add(d)
			tr.LateFinish = lateBy(tr.LF)
			tr.LateStart = tr.LateFinish.Add(-d)
		}
		tr.Start, tr.Finish = tr.EarlyStart, tr.EarlyFinish
		if p.Tasks[i].Constraint == ALAP && !tr.Summary {
			tr.Start, tr.Finish = tr.LateStart, tr.LateFinish
		}
	}
	var crit []int
	for k, i := range r.Leaf {
		if r.Tasks[i].Critical {
			crit = append(crit, k)
		}
	}
	// By early start, ties in network order (positions are distinct).
	slices.SortFunc(crit, func(a, b int) int {
		if ea, eb := net.ES(a), net.ES(b); ea != eb {
			return cmp.Compare(ea, eb)
		}
		return cmp.Compare(net.pos[a], net.pos[b])
	})
	if len(crit) > 0 {
		r.CriticalPath = make([]string, 0, len(crit))
	}
	for _, k := range crit {
		r.CriticalPath = append(r.CriticalPath, p.Tasks[r.Leaf[k]].ID)
	}
	r.Late = slices.Clip(r.Late)
}
