package projectplan

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"github.com/tandem-pm/tandem"
	"github.com/tandem-pm/tandem/schedule"
)

// ProgramOptions set what a program analysis is computed against.
type ProgramOptions struct {
	Options
	// SlipDays is the what-if slip, in working days, applied to each
	// cross-project predecessor in turn; 0 = 10.
	SlipDays int
	// Calendars holds each project's working calendar by project ID; a
	// project without one is scheduled on Monday to Friday, 8 hours a day.
	// (Options.Calendar is not used here.)
	Calendars map[string]*tandem.Calendar
}

// ProjectForecast is a project's finish: what it is aiming for and where the
// whole program's network puts it. Days are working days.
type ProjectForecast struct {
	ProjectID string      `json:"project_id"`
	Name      string      `json:"name"`
	Target    tandem.Date `json:"target_finish"`   // its end date, else its finish without incoming cross-project links
	Forecast  tandem.Date `json:"forecast_finish"` // with every link
	LateDays  int         `json:"late_days"`       // forecast past target, 0 when on time
}

// MilestoneImpact is how far a milestone moves.
type MilestoneImpact struct {
	ItemID string `json:"item_id"`
	Title  string `json:"title"`
	Days   int    `json:"days"`
}

// Impact is how far a slip moves another project's finish and milestones.
type Impact struct {
	ProjectID  string            `json:"project_id"`
	Name       string            `json:"name"`
	FinishDays int               `json:"finish_days"`
	Milestones []MilestoneImpact `json:"milestones"`
}

// CrossDependency is a dependency between items of two projects, as the
// program's network sees it.
type CrossDependency struct {
	DependencyID         string  `json:"dependency_id"`
	Type                 string  `json:"type"`
	LagDays              float64 `json:"lag_days"`
	PredecessorID        string  `json:"predecessor_id"`
	PredecessorTitle     string  `json:"predecessor_title"`
	PredecessorProjectID string  `json:"predecessor_project_id"`
	PredecessorProject   string  `json:"predecessor_project"`
	SuccessorID          string  `json:"successor_id"`
	SuccessorTitle       string  `json:"successor_title"`
	SuccessorProjectID   string  `json:"successor_project_id"`
	SuccessorProject     string  `json:"successor_project"`
	// ForecastFinish is the predecessor's forecast finish; NeededBy is the
	// successor's late start: the latest start that keeps its project's target.
	ForecastFinish tandem.Date `json:"forecast_finish"`
	NeededBy       tandem.Date `json:"needed_by"`
	// SlackDays is how many working days the predecessor may still slip
	// (negative: it is already that late for the successor).
	SlackDays int  `json:"slack_days"`
	Conflict  bool `json:"conflict"`
	// Impacts are the other projects a slip of ProgramAnalysis.SlipDays
	// of the predecessor would move.
	Impacts []Impact `json:"impacts"`
}

// ProgramAnalysis is the cross-project view of a program.
type ProgramAnalysis struct {
	SlipDays     int               `json:"slip_days"`
	Projects     []ProjectForecast `json:"projects"`
	Dependencies []CrossDependency `json:"dependencies"` // conflicts first, then by needed-by date
}

// AnalyzeProgram schedules the items of a program's projects as one network
// with the scheduling engine, each project's items on its own calendar, and
// reports every dependency between two of its projects: when the successor
// needs it against when the predecessor is forecast to finish, and what a
// slip of the predecessor would do to the other projects. Dependencies with
// an end outside items are left out.
//
// A project's target is its end date, else the finish it would reach if
// every other project delivered on time (the network without cross-project
// links). Late dates count back from each project's target (a deadline on
// each of its tasks). A slip of N days delays every task under the
// predecessor by N working days (see slipImpacts); the network is scheduled
// again and the finishes and milestones of the other projects that move are
// reported.
func AnalyzeProgram(projects []*tandem.Project, items []*tandem.Item, deps []*tandem.Dependency, opt ProgramOptions) (*ProgramAnalysis, error) {
	return analyzeProgram(projects, items, deps, opt, false)
}

// analyzeProgram is AnalyzeProgram; fullSlips turns off the incremental
// what-if slips, for tests that compare the two.
func analyzeProgram(projects []*tandem.Project, items []*tandem.Item, deps []*tandem.Dependency, opt ProgramOptions, fullSlips bool) (*ProgramAnalysis, error) {
	if opt.SlipDays <= 0 {
		opt.SlipDays = 10
	}
	pn, err := newProgramNet(projects, items, deps, opt)
	if err != nil {
		return nil, err
	}
	pn.fullSlips = fullSlips
	out := &ProgramAnalysis{SlipDays: opt.SlipDays, Projects: []ProjectForecast{}, Dependencies: []CrossDependency{}}
	if len(pn.leaves) == 0 {
		for _, pr := range projects {
			out.Projects = append(out.Projects, ProjectForecast{ProjectID: pr.ID, Name: pr.Name, Target: pr.EndDate})
		}
		return out, nil
	}

	// Targets: the end date when set, else the finish without cross-project
	// links (one more engine run, only when some project needs it).
	target := map[string]tandem.Date{}
	var alone *programRun
	for _, pr := range projects {
		if len(pn.leavesOf[pr.ID]) == 0 {
			continue
		}
		if !pr.EndDate.IsZero() {
			target[pr.ID] = pr.EndDate
			continue
		}
		if alone == nil {
			if alone, err = pn.run(runOptions{noCross: true}); err != nil {
				return nil, err
			}
		}
		target[pr.ID] = alone.finish(pr.ID)
	}
	base, err := pn.run(runOptions{targets: target})
	if err != nil {
		return nil, err
	}
	for _, pr := range projects {
		pf := ProjectForecast{ProjectID: pr.ID, Name: pr.Name, Target: pr.EndDate}
		if len(pn.leavesOf[pr.ID]) > 0 {
			cal := pn.calOf[pr.ID]
			f := base.finish(pr.ID)
			pf.Target, pf.Forecast = target[pr.ID], f
			pf.LateDays = max(cal.finishIndex(f)-cal.finishIndex(target[pr.ID]), 0)
		}
		out.Projects = append(out.Projects, pf)
	}

	impacts := map[string][]Impact{} // predecessor item → impacts
	byDep := map[string]int{}        // dependency → index in out.Dependencies
	for _, d := range pn.links {
		pred, succ := pn.in[d.PredecessorID], pn.in[d.SuccessorID]
		if pred.ProjectID == succ.ProjectID {
			continue
		}
		// A summary's link applies to every task under it: keep the tightest pair.
		for _, a := range pn.leafIDs(pred.ID) {
			for _, b := range pn.leafIDs(succ.ID) {
				if a == b {
					continue
				}
				slack := base.lateSlack(pn, a, b, d)
				cd := CrossDependency{
					DependencyID: d.ID, Type: d.Type, LagDays: d.LagDays,
					PredecessorID: pred.ID, PredecessorTitle: pred.Title, PredecessorProjectID: pred.ProjectID, PredecessorProject: pn.proj[pred.ProjectID].Name,
					SuccessorID: succ.ID, SuccessorTitle: succ.Title, SuccessorProjectID: succ.ProjectID, SuccessorProject: pn.proj[succ.ProjectID].Name,
					ForecastFinish: base.lastDay(a), NeededBy: base.lateStart(b), SlackDays: slack, Conflict: slack < 0,
				}
				if k, ok := byDep[d.ID]; ok {
					old := &out.Dependencies[k]
					if slack < old.SlackDays {
						old.SlackDays, old.Conflict, old.NeededBy = slack, slack < 0, cd.NeededBy
					}
					if old.ForecastFinish.Before(cd.ForecastFinish) {
						old.ForecastFinish = cd.ForecastFinish
					}
					continue
				}
				if _, ok := impacts[pred.ID]; !ok {
					if impacts[pred.ID], err = pn.slipImpacts(pred, opt.SlipDays, base); err != nil {
						return nil, err
					}
				}
				cd.Impacts = impacts[pred.ID]
				byDep[d.ID] = len(out.Dependencies)
				out.Dependencies = append(out.Dependencies, cd)
			}
		}
	}
	slices.SortStableFunc(out.Dependencies, func(a, b CrossDependency) int {
		if a.Conflict != b.Conflict {
			if a.Conflict {
				return -1
			}
			return 1
		}
		if a.Conflict {
			return cmp.Compare(a.SlackDays, b.SlackDays)
		}
		return compareDate(a.NeededBy, b.NeededBy)
	})
	return out, nil
}

// slipImpacts delays every task under item by days, on top of its
// forecast, and reports how far the finish and the milestones of the other
// projects move. Work not started starts days later (its start and finish
// move, so that start-to-start links feel it too); work under way takes
// days longer. The durations forecast for the status date stay as they
// are: the slip is news after the forecast.
func (pn *programNet) slipImpacts(item *tandem.Item, days int, base *programRun) ([]Impact, error) {
	leaves := pn.leafIDs(item.ID)
	r, ok := pn.slipInc(leaves, days, base)
	if !ok {
		var err error
		if r, err = pn.slipFull(leaves, days, base); err != nil {
			return nil, err
		}
	}
	out := []Impact{}
	for _, pr := range pn.projects {
		if pr.ID == item.ProjectID || len(pn.leavesOf[pr.ID]) == 0 {
			continue
		}
		cal := pn.calOf[pr.ID]
		var ms []MilestoneImpact
		for _, id := range pn.leavesOf[pr.ID] {
			it := pn.in[id]
			if it.Kind != tandem.KindMilestone {
				continue
			}
			if moved := cal.workIndex(r.lastDay(id)) - cal.workIndex(base.lastDay(id)); moved > 0 {
				ms = append(ms, MilestoneImpact{ItemID: it.ID, Title: it.Title, Days: moved})
			}
		}
		if d := cal.finishIndex(r.finish(pr.ID)) - cal.finishIndex(base.finish(pr.ID)); d > 0 || len(ms) > 0 {
			out = append(out, Impact{ProjectID: pr.ID, Name: pr.Name, FinishDays: max(d, 0), Milestones: ms})
		}
	}
	return out, nil
}

// slipFull schedules the slip with a full engine run.
func (pn *programNet) slipFull(leaves []string, days int, base *programRun) (*programRun, error) {
	p := *base.p
	p.Tasks = slices.Clone(base.p.Tasks)
	slip := map[string]bool{}
	for _, id := range leaves {
		slip[id] = true
	}
	for i := range p.Tasks {
		t := &p.Tasks[i]
		if !slip[t.ID] {
			continue
		}
		it, cal := pn.in[t.ID], pn.calOf[pn.in[t.ID].ProjectID]
		if it.Progress > 0 && !isDone(it) {
			t.Duration += int64(days) * int64(cal.mpd)
			t.Milestone = false
			continue
		}
		start := cal.workIndex(base.firstDay(t.ID))
		t.Constraint, t.ConstraintDate = schedule.SNET, morning(cal.workDate(start+days))
	}
	res, err := schedule.Schedule(&p)
	if err != nil {
		return nil, engineError(err, &p)
	}
	return base.with(&p, res), nil
}

// slipInc tries the slip on the base run's network with the engine's
// incremental update (Network.SetDuration): N more days of duration on
// each slipped task, then the durations back. That is the same slip as
// slipFull's when nothing can tell a later start from a longer duration:
// one calendar for every project (no task calendars), every working day of
// it as long (n days are n*mpd minutes), and the links out of the slipped
// tasks (or their summaries) finish-to-start or finish-to-finish, the links
// into them finish-to-start or start-to-start. ok is false otherwise.
func (pn *programNet) slipInc(slip []string, days int, base *programRun) (r *programRun, ok bool) {
	net := base.result.Net
	if pn.fullSlips || len(pn.engCal) != 1 || net == nil {
		return nil, false
	}
	cal := pn.calOf[pn.projects[0].ID]
	if !cal.uniform {
		return nil, false
	}
	ends := map[string]bool{}
	for _, id := range slip {
		for x := pn.in[id]; x != nil && !ends[x.ID]; x = pn.in[x.ParentID] {
			ends[x.ID] = true
		}
	}
	for _, d := range pn.links {
		if ends[d.PredecessorID] && d.Type != tandem.FinishToStart && d.Type != tandem.FinishToFinish {
			return nil, false
		}
		if ends[d.SuccessorID] && d.Type != tandem.FinishToStart && d.Type != tandem.StartToStart {
			return nil, false
		}
	}
	idx := make([]int, len(base.p.Tasks)) // engine task → network task
	for k, i := range base.result.Leaf {
		idx[i] = k
	}
	var changed []int
	var old []int64
	restore := func() {
		for j := len(changed) - 1; j >= 0; j-- {
			net.SetDuration(changed[j], old[j])
		}
	}
	defer restore()
	for _, id := range slip {
		i, found := pn.pos[id]
		if !found || !pn.isLeaf(id) {
			return nil, false
		}
		k := idx[i]
		if err := net.SetDuration(k, net.Dur[k]+int64(days)*int64(cal.mpd)); err != nil {
			return nil, false
		}
		changed, old = append(changed, k), append(old, net.Dur[k]-int64(days)*int64(cal.mpd))
	}
	out := &programRun{pn: pn, targets: base.targets, p: base.p, tasks: base.tasks, moved: map[int]*schedule.TaskResult{}}
	for k, i := range base.result.Leaf {
		es, ef := net.ES(k), net.EF(k)
		if es == base.tasks[i].ES && ef == base.tasks[i].EF {
			continue // the dates are the base run's
		}
		tr := ptrTo(base.tasks[i])
		out.moved[i] = tr
		tr.ES, tr.EF = es, ef
		tr.EarlyStart = base.result.StartTime(tr.ES)
		tr.EarlyFinish = tr.EarlyStart
		if tr.EF != tr.ES {
			tr.EarlyFinish = base.result.FinishTime(tr.EF)
		}
	}
	return out, true
}

// programNet is a program's items ready for the engine.
type programNet struct {
	projects []*tandem.Project
	proj     map[string]*tandem.Project
	in       map[string]*tandem.Item // the program's items by ID
	items    []*tandem.Item          // in input order
	pos      map[string]int          // item → its index in items, and in the engine's tasks
	children map[string][]*tandem.Item
	leaves   []*tandem.Item
	leavesOf map[string][]string // project → its leaf items
	links    []*tandem.Dependency
	calOf    map[string]*workCal // project → calendar
	itemCal  map[string]*workCal // item → its project's calendar
	engCal   []schedule.Calendar // distinct calendars, engine IDs c0, c1, ...
	calID    map[*workCal]string
	start    tandem.Date
	status   tandem.Date
	dur      map[string]int  // leaf → working days
	tasks    []schedule.Task // see engineTasks
	// fullSlips makes every what-if slip a full engine run (tests compare
	// the two ways).
	fullSlips bool
}

func newProgramNet(projects []*tandem.Project, items []*tandem.Item, deps []*tandem.Dependency, opt ProgramOptions) (*programNet, error) {
	pn := &programNet{projects: projects, proj: map[string]*tandem.Project{}, in: make(map[string]*tandem.Item, len(items)),
		children: map[string][]*tandem.Item{}, leavesOf: map[string][]string{}, calOf: map[string]*workCal{},
		calID: map[*workCal]string{}, status: opt.StatusDate, dur: make(map[string]int, len(items))}
	// Projects on calendars of the same content share one engine calendar
	// (the store loads each project's calendar on its own): tasks on the
	// project calendar need no calendar of their own, and what-if slips
	// can stay incremental.
	byContent := map[string]string{}
	for _, pr := range projects {
		pn.proj[pr.ID] = pr
		cal := calendarOf(opt.Calendars[pr.ID])
		pn.calOf[pr.ID] = cal
		if _, ok := pn.calID[cal]; ok {
			continue
		}
		key := fmt.Sprint(cal.mpd, cal.engine.Week, cal.engine.Exceptions)
		if id, ok := byContent[key]; ok {
			pn.calID[cal] = id
			continue
		}
		id := "c" + itoa(len(pn.engCal))
		pn.calID[cal], byContent[key] = id, id
		ec := cal.engine
		ec.ID = id
		pn.engCal = append(pn.engCal, ec)
	}
	for _, it := range items {
		if pn.proj[it.ProjectID] != nil && pn.in[it.ID] == nil {
			pn.in[it.ID] = it
			pn.items = append(pn.items, it)
		}
	}
	pn.itemCal = make(map[string]*workCal, len(pn.items))
	pn.pos = make(map[string]int, len(pn.items))
	for i, it := range pn.items {
		pn.pos[it.ID] = i
		pn.itemCal[it.ID] = pn.calOf[it.ProjectID]
		if it.ParentID != "" && it.ParentID != it.ID && pn.in[it.ParentID] != nil {
			pn.children[it.ParentID] = append(pn.children[it.ParentID], it)
		}
	}
	for _, it := range pn.items {
		if len(pn.children[it.ID]) == 0 {
			pn.leaves = append(pn.leaves, it)
			pn.leavesOf[it.ProjectID] = append(pn.leavesOf[it.ProjectID], it.ID)
			pn.dur[it.ID] = duration(it, pn.calOf[it.ProjectID])
		}
	}
	for _, d := range deps {
		if pn.in[d.PredecessorID] != nil && pn.in[d.SuccessorID] != nil && d.PredecessorID != d.SuccessorID {
			pn.links = append(pn.links, d)
		}
	}
	for _, pr := range projects {
		if !pr.StartDate.IsZero() && (pn.start.IsZero() || pr.StartDate.Before(pn.start)) {
			pn.start = pr.StartDate
		}
	}
	if pn.start.IsZero() {
		for _, it := range pn.items {
			if !it.PlannedStart.IsZero() && (pn.start.IsZero() || it.PlannedStart.Before(pn.start)) {
				pn.start = it.PlannedStart
			}
		}
	}
	if pn.start.IsZero() {
		pn.start = opt.StatusDate
	}
	if pn.start.IsZero() && len(pn.leaves) > 0 {
		return nil, tandem.Errorf(tandem.EInvalid, "Give the program's projects a start date, or an item a planned start, to analyse it.")
	}
	return pn, nil
}

// leafIDs returns the leaf items under id (itself for a leaf).
func (pn *programNet) leafIDs(id string) []string {
	var out []string
	seen := map[string]bool{}
	var walk func(id string)
	walk = func(id string) {
		if seen[id] {
			return
		}
		seen[id] = true
		if len(pn.children[id]) == 0 {
			out = append(out, id)
			return
		}
		for _, c := range pn.children[id] {
			walk(c.ID)
		}
	}
	walk(id)
	return out
}

type runOptions struct {
	noCross bool                   // leave out links between projects
	targets map[string]tandem.Date // project → the last day its work may take; sets late dates
}

// programRun is one engine run of a program's network.
type programRun struct {
	pn      *programNet
	targets map[string]tandem.Date
	p       *schedule.Project // as last scheduled, with the forecast's durations
	result  *schedule.Result
	tasks   []schedule.TaskResult // in the order of p.Tasks (programNet.pos)
	// moved holds the tasks an incremental slip moved, by position; tasks
	// is then the base run's.
	moved map[int]*schedule.TaskResult
	// finishes caches finish by project: the base run's are asked for
	// each slip.
	finishes map[string]tandem.Date
}

func (r *programRun) with(p *schedule.Project, res *schedule.Result) *programRun {
	return &programRun{pn: r.pn, targets: r.targets, p: p, result: res, tasks: res.Tasks}
}

// task returns the schedule of an item.
func (r *programRun) task(id string) *schedule.TaskResult {
	i := r.pn.pos[id]
	if tr, ok := r.moved[i]; ok {
		return tr
	}
	return &r.tasks[i]
}

func ptrTo[T any](v T) *T { return &v }

// isLeaf reports whether an item is a leaf (a task of the network).
func (pn *programNet) isLeaf(id string) bool {
	_, ok := pn.dur[id]
	return ok
}

// run schedules the program with the engine, forecasting from the status
// date as ScheduleProject does.
func (pn *programNet) run(o runOptions) (*programRun, error) {
	p := &schedule.Project{Name: "program", Start: morning(pn.start), Calendar: pn.engCal[0].ID,
		Calendars: pn.engCal, MinutesPerDay: pn.calOf[pn.projects[0].ID].mpd}
	p.Tasks = make([]schedule.Task, len(pn.items), len(pn.items)+1)
	copy(p.Tasks, pn.engineTasks())
	p.Links = make([]schedule.Link, 0, len(pn.links))
	var horizon tandem.Date
	type deadlines struct{ milestone, work time.Time }
	var byProject map[string]deadlines
	if len(o.targets) > 0 {
		byProject = make(map[string]deadlines, len(o.targets))
		for id, tg := range o.targets {
			// A milestone is shown on the day it falls on, so it must fall by
			// the target's last day; other work must finish by its end.
			byProject[id] = deadlines{morning(tg), morning(tg.AddDays(1))}
			if horizon.Before(tg) && len(pn.leavesOf[id]) > 0 {
				horizon = tg
			}
		}
		for i, it := range pn.items {
			dl, ok := byProject[it.ProjectID]
			if !ok || !pn.isLeaf(it.ID) {
				continue
			}
			if t := &p.Tasks[i]; t.Milestone {
				t.Deadline = dl.milestone
			} else {
				t.Deadline = dl.work
			}
		}
	}
	if !horizon.IsZero() {
		// Late dates count from each project's target, not from the
		// program's finish: a milestone after every target keeps the
		// engine's finish from ending earlier than a target.
		p.Tasks = append(p.Tasks, schedule.Task{ID: "program-horizon", Name: "horizon", Milestone: true,
			Constraint: schedule.SNET, ConstraintDate: morning(horizon.AddDays(1))})
	}
	for _, d := range pn.links {
		if o.noCross && pn.in[d.PredecessorID].ProjectID != pn.in[d.SuccessorID].ProjectID {
			continue
		}
		lt, err := schedule.ParseLinkType(d.Type)
		if err != nil {
			continue
		}
		cal := pn.calOf[pn.in[d.SuccessorID].ProjectID]
		p.Links = append(p.Links, schedule.Link{From: d.PredecessorID, To: d.SuccessorID, Type: lt, Lag: int64(lagDays(d.LagDays)) * int64(cal.mpd)})
	}
	var r *schedule.Result
	var err error
	if pn.status.IsZero() {
		r, err = schedule.Schedule(p)
	} else {
		r, err = forecast(p, pn.in, pn.dur, pn.itemCal, pn.status)
	}
	if err != nil {
		return nil, engineError(err, p)
	}
	return (&programRun{pn: pn, targets: o.targets}).with(p, r), nil
}

// engineTasks returns the engine's tasks of the program's items, in the
// order of items, without deadlines: the same for every run, built once.
func (pn *programNet) engineTasks() []schedule.Task {
	if pn.tasks != nil {
		return pn.tasks
	}
	mainCal := pn.engCal[0].ID
	pn.tasks = make([]schedule.Task, 0, len(pn.items))
	for _, it := range pn.items {
		cal := pn.calOf[it.ProjectID]
		t := schedule.Task{ID: it.ID, Name: it.Title, Milestone: it.Kind == tandem.KindMilestone}
		if id := pn.calID[cal]; id != mainCal {
			t.Calendar = id
		}
		if it.ParentID != "" && it.ParentID != it.ID && pn.in[it.ParentID] != nil {
			t.Parent = it.ParentID
		}
		if d, leaf := pn.dur[it.ID]; leaf {
			t.Duration = int64(d) * int64(cal.mpd)
			sn := pn.start
			if pr := pn.proj[it.ProjectID]; !pr.StartDate.IsZero() && sn.Before(pr.StartDate) {
				sn = pr.StartDate
			}
			if !it.PlannedStart.IsZero() && sn.Before(it.PlannedStart) {
				sn = it.PlannedStart
			}
			t.Constraint, t.ConstraintDate = schedule.SNET, morning(sn)
		}
		pn.tasks = append(pn.tasks, t)
	}
	return pn.tasks
}

// firstDay and lastDay are the dates a leaf is shown on: a milestone on the
// one day it falls on.
func (r *programRun) firstDay(id string) tandem.Date { return tandem.DateOf(r.task(id).EarlyStart) }

func (r *programRun) lastDay(id string) tandem.Date {
	if r.task(id).EF == r.task(id).ES {
		return r.firstDay(id)
	}
	return tandem.DateOf(r.task(id).EarlyFinish)
}

func (r *programRun) lateStart(id string) tandem.Date { return tandem.DateOf(r.task(id).LateStart) }

func (r *programRun) lateLastDay(id string) tandem.Date {
	if r.task(id).LF == r.task(id).LS {
		return r.lateStart(id)
	}
	return tandem.DateOf(r.task(id).LateFinish)
}

// finish is the last day a project's work is shown on.
func (r *programRun) finish(projectID string) tandem.Date {
	if f, ok := r.finishes[projectID]; ok {
		return f
	}
	var f tandem.Date
	for _, id := range r.pn.leavesOf[projectID] {
		if d := r.lastDay(id); f.IsZero() || f.Before(d) {
			f = d
		}
	}
	if r.finishes == nil {
		r.finishes = map[string]tandem.Date{}
	}
	r.finishes[projectID] = f
	return f
}

// lateSlack returns how many working days (of the successor's calendar,
// on which lags count) leaf a may slip before it pushes leaf b past its
// late dates; negative: already too late.
func (r *programRun) lateSlack(pn *programNet, a, b string, d *tandem.Dependency) int {
	cal := pn.calOf[pn.in[b].ProjectID]
	es := cal.workIndex(r.firstDay(a))
	ef := cal.finishIndex(r.lastDay(a))
	if r.task(a).EF == r.task(a).ES {
		ef = es
	}
	ls := cal.workIndex(r.lateStart(b))
	lf := cal.finishIndex(r.lateLastDay(b))
	if r.task(b).LF == r.task(b).LS {
		lf = ls
	}
	lag := lagDays(d.LagDays)
	switch d.Type {
	case tandem.StartToStart:
		return ls - es - lag
	case tandem.FinishToFinish:
		return lf - ef - lag
	case tandem.StartToFinish:
		return lf - es - lag
	}
	return ls - ef - lag
}
