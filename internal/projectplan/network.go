package projectplan

import (
	"math"

	"github.com/tandem-pm/tandem"
)

// Working days: a Monday-to-Friday calendar. A working-day index counts
// working days from a fixed Monday; a weekend date maps to the index of the
// Monday after it, which is where work dated on a weekend can start.

// workIndex returns the index of the first working day on or after d.
func workIndex(d tandem.Date) int {
	days := floorDiv(int(d.Time().Unix()), 86400) + 3 // 1970-01-01 was a Thursday: day 3 of a Monday week
	week, wd := floorDiv(days, 7), mod(days, 7)
	return week*5 + min(wd, 5)
}

// workDate returns the date of working-day index w.
func workDate(w int) tandem.Date {
	week, r := floorDiv(w, 5), mod(w, 5)
	days := week*7 + r - 3
	return tandem.DateOf(tandemEpoch.AddDate(0, 0, days))
}

// finishIndex returns the exclusive working-day index after the last day d.
func finishIndex(d tandem.Date) int { return workIndex(d.AddDays(1)) }

// finishDate returns the last day of work for a span [es, ef).
func finishDate(es, ef int) tandem.Date {
	if ef > es {
		return workDate(ef - 1)
	}
	return workDate(es)
}

var tandemEpoch = tandem.Date{Year: 1970, Month: 1, Day: 1}.Time()

func floorDiv(a, b int) int {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

func mod(a, b int) int { return a - floorDiv(a, b)*b }

// workDays rounds a duration or lag in days to whole working days: up for
// durations (half a day of work still takes the day), to nearest for lags.
func workDays(d float64) int {
	if d <= 0 || math.IsNaN(d) {
		return 0
	}
	return int(math.Ceil(d - 1e-9))
}

func lagDays(d float64) int {
	if math.IsNaN(d) {
		return 0
	}
	return int(math.Round(d))
}

// CountWorkDays returns the number of working days from start to finish, both included.
func CountWorkDays(start, finish tandem.Date) int {
	return max(finishIndex(finish)-workIndex(start), 0)
}

// A network is the engine's view of a plan: tasks with durations in working
// days, and links between them. It is computed by the critical path method:
// a forward pass for the early dates, a backward pass for the late ones.
type network struct {
	nodes []node
	arcs  []arc
	out   [][]int // arc indexes by predecessor
	in    [][]int // arc indexes by successor
	order []int   // a topological order
}

type node struct {
	dur        int  // working days
	release    int  // earliest start (start no earlier than, or project start)
	fixed      bool // an anchor: its dates are given, not computed
	fixedES    int
	fixedEF    int
	progress   int
	done       bool
	target     int // late finish bound: the finish of the node's project
	es, ef     int
	ls, lf     int
	extraDelay int // added to the early start, for what-if slips
}

type arc struct {
	from, to int
	typ      string
	lag      int
	off      bool // ignored by the passes (what-if analysis)
}

func (n *network) addNode(x node) int {
	n.nodes = append(n.nodes, x)
	return len(n.nodes) - 1
}

func (n *network) addArc(a arc) { n.arcs = append(n.arcs, a) }

// prepare indexes the arcs and sorts the nodes; a cycle returns the nodes on it.
func (n *network) prepare() (cycle []int) {
	n.out = make([][]int, len(n.nodes))
	n.in = make([][]int, len(n.nodes))
	indeg := make([]int, len(n.nodes))
	for i, a := range n.arcs {
		n.out[a.from] = append(n.out[a.from], i)
		n.in[a.to] = append(n.in[a.to], i)
		indeg[a.to]++
	}
	n.order = n.order[:0]
	for i := range n.nodes {
		if indeg[i] == 0 {
			n.order = append(n.order, i)
		}
	}
	for k := 0; k < len(n.order); k++ {
		for _, ai := range n.out[n.order[k]] {
			t := n.arcs[ai].to
			if indeg[t]--; indeg[t] == 0 {
				n.order = append(n.order, t)
			}
		}
	}
	if len(n.order) == len(n.nodes) {
		return nil
	}
	for i := range n.nodes {
		if indeg[i] > 0 {
			cycle = append(cycle, i)
		}
	}
	return cycle
}

// forward computes early dates. With status >= 0, unfinished work dated
// before the status date is forecast from it: the remaining part of the
// duration (by progress) runs from the status date on.
func (n *network) forward(status int) {
	for _, i := range n.order {
		x := &n.nodes[i]
		if x.fixed {
			x.es, x.ef = x.fixedES+x.extraDelay, x.fixedEF+x.extraDelay
			continue
		}
		es := x.release
		for _, ai := range n.in[i] {
			a := &n.arcs[ai]
			if a.off {
				continue
			}
			p := &n.nodes[a.from]
			var b int
			switch a.typ {
			case tandem.StartToStart:
				b = p.es + a.lag
			case tandem.FinishToFinish:
				b = p.ef + a.lag - x.dur
			case tandem.StartToFinish:
				b = p.es + a.lag - x.dur
			default:
				b = p.ef + a.lag
			}
			es = max(es, b)
		}
		x.es = es + x.extraDelay
		x.ef = x.es + x.dur
		if status >= 0 && !x.done && x.dur > 0 && es < status {
			remaining := int(math.Ceil(float64(x.dur) * float64(100-x.progress) / 100))
			if x.progress == 0 {
				x.es = max(x.es, status)
			}
			x.ef = max(x.ef, status+remaining)
		}
	}
}

// backward computes late dates from each node's target.
func (n *network) backward() {
	for k := len(n.order) - 1; k >= 0; k-- {
		i := n.order[k]
		x := &n.nodes[i]
		span := x.ef - x.es
		lf := x.target
		for _, ai := range n.out[i] {
			a := &n.arcs[ai]
			if a.off {
				continue
			}
			s := &n.nodes[a.to]
			var b int
			switch a.typ {
			case tandem.StartToStart:
				b = s.ls - a.lag + span
			case tandem.FinishToFinish:
				b = s.lf - a.lag
			case tandem.StartToFinish:
				b = s.lf - a.lag + span
			default:
				b = s.ls - a.lag
			}
			lf = min(lf, b)
		}
		x.lf = lf
		x.ls = lf - span
	}
}

// slack returns how many working days a link leaves between what the
// predecessor's early dates require and the successor's early dates.
func (n *network) slack(a *arc) int {
	p, s := &n.nodes[a.from], &n.nodes[a.to]
	switch a.typ {
	case tandem.StartToStart:
		return s.es - (p.es + a.lag)
	case tandem.FinishToFinish:
		return s.ef - (p.ef + a.lag)
	case tandem.StartToFinish:
		return s.ef - (p.es + a.lag)
	}
	return s.es - (p.ef + a.lag)
}

// lateSlack returns how many working days the predecessor may slip before
// it pushes the successor past its late dates (negative: already too late).
func (n *network) lateSlack(a *arc) int {
	p, s := &n.nodes[a.from], &n.nodes[a.to]
	switch a.typ {
	case tandem.StartToStart:
		return s.ls - (p.es + a.lag)
	case tandem.FinishToFinish:
		return s.lf - (p.ef + a.lag)
	case tandem.StartToFinish:
		return s.lf - (p.es + a.lag)
	}
	return s.ls - (p.ef + a.lag)
}

// freeFloat returns how far node i may slip without delaying any successor.
func (n *network) freeFloat(i int) int {
	x := &n.nodes[i]
	ff := x.target - x.ef
	for _, ai := range n.out[i] {
		a := &n.arcs[ai]
		if a.off {
			continue
		}
		ff = min(ff, n.slack(a))
	}
	return max(ff, 0)
}
