package projectplan

import (
	"cmp"
	"slices"

	"github.com/tandem-pm/tandem"
)

// ProgramOptions set what a program analysis is computed against.
type ProgramOptions struct {
	Options
	// SlipDays is the what-if slip, in working days, applied to each
	// cross-project predecessor in turn; 0 = 10.
	SlipDays int
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
// and reports every dependency between two of its projects: when the
// successor needs it against when the predecessor is forecast to finish,
// and what a slip of the predecessor would do to the other projects.
// Dependencies with an end outside items are left out.
func AnalyzeProgram(projects []*tandem.Project, items []*tandem.Item, deps []*tandem.Dependency, opt ProgramOptions) (*ProgramAnalysis, error) {
	if opt.SlipDays <= 0 {
		opt.SlipDays = 10
	}
	projByID := make(map[string]*tandem.Project, len(projects))
	for _, pr := range projects {
		projByID[pr.ID] = pr
	}
	var mine []*tandem.Item
	for _, it := range items {
		if projByID[it.ProjectID] != nil {
			mine = append(mine, it)
		}
	}
	in := make(map[string]*tandem.Item, len(mine))
	for _, it := range mine {
		in[it.ID] = it
	}
	var links []*tandem.Dependency
	for _, d := range deps {
		if in[d.PredecessorID] != nil && in[d.SuccessorID] != nil {
			links = append(links, d)
		}
	}
	var start tandem.Date
	for _, pr := range projects {
		if !pr.StartDate.IsZero() && (start.IsZero() || pr.StartDate.Before(start)) {
			start = pr.StartDate
		}
	}
	p, err := buildPlan(mine, nil, links, opt.Options, start)
	if err != nil {
		return nil, err
	}
	net := &p.net
	nodesOf := map[string][]int{} // project → its nodes
	for i, it := range p.items {
		nodesOf[it.ProjectID] = append(nodesOf[it.ProjectID], i)
		if pr := projByID[it.ProjectID]; !pr.StartDate.IsZero() {
			net.nodes[i].release = max(net.nodes[i].release, workIndex(pr.StartDate))
		}
	}
	cross := make([]bool, len(net.arcs))
	for ai, a := range net.arcs {
		cross[ai] = p.items[a.from].ProjectID != p.items[a.to].ProjectID
	}
	finishOf := func(projectID string) int {
		f := p.start
		for _, n := range nodesOf[projectID] {
			f = max(f, endIndex(&net.nodes[n]))
		}
		return f
	}
	// Targets: the end date when set, else the finish the project would
	// reach if every other project delivered on time.
	for ai := range net.arcs {
		net.arcs[ai].off = cross[ai]
	}
	net.forward(p.status)
	target := map[string]int{}
	for _, pr := range projects {
		if !pr.EndDate.IsZero() {
			target[pr.ID] = finishIndex(pr.EndDate)
		} else {
			target[pr.ID] = finishOf(pr.ID)
		}
	}
	for ai := range net.arcs {
		net.arcs[ai].off = false
	}
	net.forward(p.status)
	for i, it := range p.items {
		// A milestone is shown on the day it falls on, so it must fall by the target's last day.
		net.nodes[i].target = target[it.ProjectID] - min(1, endIndex(&net.nodes[i])-net.nodes[i].ef)
	}
	net.backward()

	out := &ProgramAnalysis{SlipDays: opt.SlipDays, Projects: []ProjectForecast{}, Dependencies: []CrossDependency{}}
	baseFinish := map[string]int{}
	for _, pr := range projects {
		f := finishOf(pr.ID)
		baseFinish[pr.ID] = f
		pf := ProjectForecast{ProjectID: pr.ID, Name: pr.Name}
		if len(nodesOf[pr.ID]) > 0 {
			pf.Target = finishDate(p.start, target[pr.ID])
			pf.Forecast = finishDate(p.start, f)
			pf.LateDays = max(f-target[pr.ID], 0)
		} else {
			pf.Target = pr.EndDate
		}
		out.Projects = append(out.Projects, pf)
	}
	baseEF := make([]int, len(net.nodes))
	for i := range net.nodes {
		baseEF[i] = net.nodes[i].ef
	}
	impacts := map[string][]Impact{} // predecessor item → impacts
	byDep := map[string]int{}        // dependency → index in out.Dependencies
	for ai := range net.arcs {
		if !cross[ai] {
			continue
		}
		a := &net.arcs[ai]
		d := p.arcDep[ai]
		pred, succ := in[d.PredecessorID], in[d.SuccessorID]
		pn, sn := &net.nodes[a.from], &net.nodes[a.to]
		slack := net.lateSlack(a)
		cd := CrossDependency{
			DependencyID: d.ID, Type: d.Type, LagDays: d.LagDays,
			PredecessorID: pred.ID, PredecessorTitle: pred.Title, PredecessorProjectID: pred.ProjectID, PredecessorProject: projByID[pred.ProjectID].Name,
			SuccessorID: succ.ID, SuccessorTitle: succ.Title, SuccessorProjectID: succ.ProjectID, SuccessorProject: projByID[succ.ProjectID].Name,
			ForecastFinish: finishDate(pn.es, pn.ef), NeededBy: workDate(sn.ls), SlackDays: slack, Conflict: slack < 0,
		}
		if k, ok := byDep[d.ID]; ok {
			// A summary's link, expanded to its leaves: keep the tightest.
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
			impacts[pred.ID] = p.slipImpacts(pred, opt.SlipDays, projects, nodesOf, baseFinish, baseEF)
		}
		cd.Impacts = impacts[pred.ID]
		byDep[d.ID] = len(out.Dependencies)
		out.Dependencies = append(out.Dependencies, cd)
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

// endIndex is the working day after the last day a node is shown on: its
// early finish, or the day after a milestone's day.
func endIndex(x *node) int {
	if x.ef == x.es {
		return x.es + 1
	}
	return x.ef
}

// slipImpacts delays every leaf under item by days and reports how far the
// finish and the milestones of the other projects move.
func (p *plan) slipImpacts(item *tandem.Item, days int, projects []*tandem.Project, nodesOf map[string][]int, baseFinish map[string]int, baseEF []int) []Impact {
	net := &p.net
	leaves := p.leaves[item.ID]
	for _, n := range leaves {
		net.nodes[n].extraDelay = days
	}
	net.forward(p.status)
	out := []Impact{}
	for _, pr := range projects {
		if pr.ID == item.ProjectID || len(nodesOf[pr.ID]) == 0 {
			continue
		}
		f := p.start
		var ms []MilestoneImpact
		for _, n := range nodesOf[pr.ID] {
			f = max(f, endIndex(&net.nodes[n]))
			if it := p.items[n]; it.Kind == tandem.KindMilestone && net.nodes[n].ef > baseEF[n] {
				ms = append(ms, MilestoneImpact{ItemID: it.ID, Title: it.Title, Days: net.nodes[n].ef - baseEF[n]})
			}
		}
		if d := f - baseFinish[pr.ID]; d > 0 || len(ms) > 0 {
			out = append(out, Impact{ProjectID: pr.ID, Name: pr.Name, FinishDays: max(d, 0), Milestones: ms})
		}
	}
	for _, n := range leaves {
		net.nodes[n].extraDelay = 0
	}
	net.forward(p.status)
	return out
}
