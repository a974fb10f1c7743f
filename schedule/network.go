package schedule

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
)

// LinkType is the kind of a dependency between two tasks.
type LinkType uint8

// The four link types, named as MS Project names them.
const (
	FS LinkType = iota // finish-to-start: the successor starts after the predecessor finishes
	SS                 // start-to-start
	FF                 // finish-to-finish
	SF                 // start-to-finish: the successor finishes after the predecessor starts
)

func (t LinkType) String() string {
	switch t {
	case FS:
		return "FS"
	case SS:
		return "SS"
	case FF:
		return "FF"
	case SF:
		return "SF"
	}
	return fmt.Sprintf("LinkType(%d)", uint8(t))
}

// ParseLinkType reads "FS", "SS", "FF" or "SF" (any case).
func ParseLinkType(s string) (LinkType, error) {
	switch strings.ToUpper(s) {
	case "FS", "":
		return FS, nil
	case "SS":
		return SS, nil
	case "FF":
		return FF, nil
	case "SF":
		return SF, nil
	}
	return 0, fmt.Errorf("unknown link type %q (want FS, SS, FF or SF)", s)
}

// ConstraintType is a date constraint on a task, with MS Project's meaning.
type ConstraintType uint8

// The constraint types, in MS Project's (and MSPDI's) numbering.
const (
	ASAP ConstraintType = iota // as soon as possible (no date)
	ALAP                       // as late as possible: scheduled on its late dates
	MSO                        // must start on
	MFO                        // must finish on
	SNET                       // start no earlier than
	SNLT                       // start no later than
	FNET                       // finish no earlier than
	FNLT                       // finish no later than
)

var constraintNames = [...]string{"ASAP", "ALAP", "MSO", "MFO", "SNET", "SNLT", "FNET", "FNLT"}

func (c ConstraintType) String() string {
	if int(c) < len(constraintNames) {
		return constraintNames[c]
	}
	return fmt.Sprintf("ConstraintType(%d)", uint8(c))
}

// ParseConstraintType reads one of ASAP, ALAP, MSO, MFO, SNET, SNLT, FNET,
// FNLT (any case); "" is ASAP.
func ParseConstraintType(s string) (ConstraintType, error) {
	if s == "" {
		return ASAP, nil
	}
	for i, n := range constraintNames {
		if strings.EqualFold(s, n) {
			return ConstraintType(i), nil
		}
	}
	return 0, fmt.Errorf("unknown constraint %q (want one of %s)", s, strings.Join(constraintNames[:], ", "))
}

// NoTime marks an absent time in the integer arrays of a Network.
const NoTime = math.MinInt64

// Edge is a link between tasks of a Network, by index. Lag is in working
// minutes; when LagPct is not zero the lag is instead LagPct hundredths of a
// percent of the predecessor's duration (5000 = 50%).
type Edge struct {
	From, To int32
	Type     LinkType
	Lag      int32
	LagPct   int32
}

// Network is the compiled form of a schedule: tasks by index, durations and
// times in integer working minutes from the project start, adjacency in CSR
// form and a topological order computed once. All passes run over flat
// slices. Times: ES (early start) is stored; EF = ES + duration; late
// dates are LS = min(Finish - tail, bound), where tail (the longest path
// from the task's start to the end of the project) and bound (the latest
// start that the date constraints downstream allow) do not depend on the
// project finish, so that an incremental change does not touch every task
// when the finish moves.
type Network struct {
	n   int
	Dur []int64 // per task, working minutes

	// Predecessor CSR: the links into task v are in[predOff[v]:predOff[v+1]],
	// stored as whole Edge values so that a pass reads them sequentially.
	predOff []int32
	in      []Edge
	// Successor CSR, built on first need (incremental updates, free float,
	// the general topological sort): the links out of v, as indexes into in.
	succOff  []int32
	succTo   []int32
	succEdge []int32

	order []int32 // topological order
	pos   []int32 // position of each task in order

	// Date constraints (nil when there are none), in working minutes.
	cType    []ConstraintType
	cAt      []int64
	deadline []int64 // NoTime when absent
	actual   []int64 // actual start, NoTime when absent

	es, tail, bound []int64
	finish          int64

	inc     *incState // for SetDuration, built on first use
	touched int       // tasks visited by the last SetDuration (benchmarks report it)

	// calDependent: some durations were converted from a task's own
	// calendar at its early start (Schedule), so a change elsewhere would
	// need them converted again: SetDuration refuses (ErrCalendarDependent).
	calDependent bool
}

// CycleError reports links that form one or more cycles; Tasks names every
// task on a cycle (by index for a Network, by ID from Schedule).
type CycleError struct {
	Tasks  []int
	Labels []string
}

func (e *CycleError) Error() string {
	if len(e.Labels) > 0 {
		return "dependency cycle among tasks " + strings.Join(e.Labels, ", ")
	}
	s := make([]string, len(e.Tasks))
	for i, t := range e.Tasks {
		s[i] = fmt.Sprint(t)
	}
	return "dependency cycle among tasks " + strings.Join(s, ", ")
}

// maxMinutes keeps every sum of durations and lags inside int64 with room
// to spare, and inside what a calendar can map to dates.
const maxMinutes = 1 << 40

// NewNetwork compiles durations (working minutes) and edges into a Network
// and computes its schedule. It returns a *CycleError when links form a
// cycle. The network keeps durations (as Dur) and, when they are already
// sorted by To, edges: the caller must not modify them afterwards.
func NewNetwork(durations []int64, edges []Edge) (*Network, error) {
	n := len(durations)
	if n >= math.MaxInt32 || len(edges) >= math.MaxInt32 {
		return nil, errors.New("schedule: too many tasks or links")
	}
	w := &Network{n: n, Dur: durations}
	for i, d := range durations {
		if d < 0 || d > maxMinutes {
			return nil, fmt.Errorf("schedule: task %d: duration %d out of range", i, d)
		}
	}
	w.predOff = make([]int32, n+1)
	sorted, forward := true, true
	prevTo := int32(0)
	for i, e := range edges {
		if uint32(e.From) >= uint32(n) || uint32(e.To) >= uint32(n) {
			return nil, fmt.Errorf("schedule: link %d: task index out of range", i)
		}
		if e.Type > SF {
			return nil, fmt.Errorf("schedule: link %d: bad type %d", i, e.Type)
		}
		w.predOff[e.To+1]++
		sorted = sorted && e.To >= prevTo
		forward = forward && e.From < e.To
		prevTo = e.To
	}
	for i := range n {
		w.predOff[i+1] += w.predOff[i]
	}
	if sorted {
		w.in = edges
	} else {
		w.in = make([]Edge, len(edges))
		fill := slices.Clone(w.predOff[:n])
		for _, e := range edges {
			w.in[fill[e.To]] = e
			fill[e.To]++
		}
	}
	if forward {
		// The tasks are already in a topological order: the common case of
		// plans whose predecessors come first.
		w.order = make([]int32, n)
		for i := range w.order {
			w.order[i] = int32(i)
		}
		w.pos = w.order
	} else if err := w.topo(); err != nil {
		return nil, err
	}
	w.es = make([]int64, n)
	w.tail = make([]int64, n)
	w.bound = make([]int64, n)
	w.Recompute()
	return w, nil
}

// ensureSucc builds the successor CSR.
func (w *Network) ensureSucc() {
	if w.succOff != nil {
		return
	}
	n := w.n
	off := make([]int32, n+1)
	for _, e := range w.in {
		off[e.From+1]++
	}
	for i := range n {
		off[i+1] += off[i]
	}
	to := make([]int32, len(w.in))
	edge := make([]int32, len(w.in))
	fill := slices.Clone(off[:n])
	for k, e := range w.in {
		j := fill[e.From]
		fill[e.From]++
		to[j] = e.To
		edge[j] = int32(k)
	}
	w.succOff, w.succTo, w.succEdge = off, to, edge
}

// topo computes the topological order (Kahn); on a cycle it names the
// tasks on cycles (strongly connected components with more than one task, or
// a task linked to itself).
func (w *Network) topo() error {
	w.ensureSucc()
	n := w.n
	indeg := make([]int32, n)
	for v := range n {
		indeg[v] = w.predOff[v+1] - w.predOff[v]
	}
	order := make([]int32, 0, n)
	for v := range n {
		if indeg[v] == 0 {
			order = append(order, int32(v))
		}
	}
	for h := 0; h < len(order); h++ {
		u := order[h]
		for j := w.succOff[u]; j < w.succOff[u+1]; j++ {
			s := w.succTo[j]
			if indeg[s]--; indeg[s] == 0 {
				order = append(order, s)
			}
		}
	}
	if len(order) < n {
		return &CycleError{Tasks: w.cycles(indeg)}
	}
	w.order = order
	w.pos = make([]int32, n)
	for i, v := range order {
		w.pos[v] = int32(i)
	}
	return nil
}

// cycles runs Tarjan's algorithm (iteratively) on the tasks Kahn could not
// order and returns those on a cycle, sorted.
func (w *Network) cycles(indeg []int32) []int {
	n := w.n
	index := make([]int32, n)
	low := make([]int32, n)
	on := make([]bool, n)
	for i := range index {
		index[i] = -1
	}
	var stack, out []int
	next := int32(0)
	type frame struct{ v, j int32 }
	for root := range n {
		if indeg[root] == 0 || index[root] >= 0 {
			continue
		}
		call := []frame{{int32(root), w.succOff[root]}}
		index[root], low[root] = next, next
		next++
		stack = append(stack, root)
		on[root] = true
		for len(call) > 0 {
			f := &call[len(call)-1]
			v := f.v
			if f.j < w.succOff[v+1] {
				s := w.succTo[f.j]
				f.j++
				if indeg[s] == 0 {
					continue
				}
				if index[s] < 0 {
					index[s], low[s] = next, next
					next++
					stack = append(stack, int(s))
					on[s] = true
					call = append(call, frame{s, w.succOff[s]})
				} else if on[s] {
					low[v] = min(low[v], index[s])
				}
				continue
			}
			call = call[:len(call)-1]
			if len(call) > 0 {
				p := call[len(call)-1].v
				low[p] = min(low[p], low[v])
			}
			if low[v] == index[v] {
				var comp []int
				for {
					x := stack[len(stack)-1]
					stack = stack[:len(stack)-1]
					on[x] = false
					comp = append(comp, x)
					if x == int(v) {
						break
					}
				}
				if len(comp) > 1 || w.selfLoop(int32(comp[0])) {
					out = append(out, comp...)
				}
			}
		}
	}
	slices.Sort(out)
	return out
}

func (w *Network) selfLoop(v int32) bool {
	for _, e := range w.in[w.predOff[v]:w.predOff[v+1]] {
		if e.From == v {
			return true
		}
	}
	return false
}

// SetConstraints gives tasks date constraints, deadlines and actual starts,
// all in working minutes (NoTime when absent; any slice may be nil). Call
// Recompute afterwards.
func (w *Network) SetConstraints(types []ConstraintType, at, deadline, actualStart []int64) {
	w.cType, w.cAt, w.deadline, w.actual = types, at, deadline, actualStart
	w.stale()
}

// stale tells the incremental state to rebuild itself from the network
// before its next use.
func (w *Network) stale() {
	if w.inc != nil {
		w.inc.ok = false
	}
}

// weight is the least distance from the start of the edge's predecessor to
// the start of its successor: every link type reduces to one.
func weight(e *Edge, dur []int64) int64 {
	lag := int64(e.Lag)
	if e.LagPct != 0 {
		lag = dur[e.From] * int64(e.LagPct) / 10000
	}
	switch e.Type {
	case FS:
		return dur[e.From] + lag
	case SS:
		return lag
	case FF:
		return dur[e.From] + lag - dur[e.To]
	default: // SF
		return lag - dur[e.To]
	}
}

// floorOf is the earliest start of v that its own constraint allows (the
// project start at least), before its links are counted.
func (w *Network) floorOf(v int32) int64 {
	es := int64(0)
	if w.cType != nil {
		switch w.cType[v] {
		case SNET, MSO:
			es = max(es, w.cAt[v])
		case FNET, MFO:
			es = max(es, w.cAt[v]-w.Dur[v])
		}
	}
	return es
}

// early computes the early start of v from its predecessors' early starts.
func (w *Network) early(v int32) int64 {
	if w.actual != nil && w.actual[v] != NoTime {
		return w.actual[v]
	}
	es := w.floorOf(v)
	in := w.in[w.predOff[v]:w.predOff[v+1]]
	for k := range in {
		e := &in[k]
		es = max(es, w.es[e.From]+weight(e, w.Dur))
	}
	return es
}

// ownLate is the tail and bound of v before its successors are counted.
func (w *Network) ownLate(v int32) (tail, bound int64) {
	tail = w.Dur[v]
	bound = math.MaxInt64
	if w.cType != nil {
		switch w.cType[v] {
		case SNLT, MSO:
			bound = w.cAt[v]
		case FNLT, MFO:
			bound = w.cAt[v] - w.Dur[v]
		}
	}
	if w.deadline != nil && w.deadline[v] != NoTime {
		bound = min(bound, w.deadline[v]-w.Dur[v])
	}
	return tail, bound
}

// Recompute runs the full forward and backward passes. The backward pass
// pushes along the predecessor lists in reverse topological order, so that
// it needs no successor lists. Callers may change Dur (and the arrays
// given to SetConstraints) before a Recompute: SetDuration rebuilds its
// state after one.
func (w *Network) Recompute() {
	w.stale()
	f := int64(0)
	for _, v := range w.order {
		es := w.early(v)
		w.es[v] = es
		f = max(f, es+w.Dur[v])
	}
	w.finish = f
	if w.cType == nil && w.deadline == nil {
		copy(w.tail, w.Dur)
		for i := range w.bound {
			w.bound[i] = math.MaxInt64
		}
	} else {
		for v := range w.n {
			w.tail[v], w.bound[v] = w.ownLate(int32(v))
		}
	}
	for i := len(w.order) - 1; i >= 0; i-- {
		v := w.order[i]
		t, b := w.tail[v], w.bound[v]
		in := w.in[w.predOff[v]:w.predOff[v+1]]
		for k := range in {
			e := &in[k]
			wt := weight(e, w.Dur)
			w.tail[e.From] = max(w.tail[e.From], t+wt)
			if b != math.MaxInt64 {
				w.bound[e.From] = min(w.bound[e.From], b-wt)
			}
		}
	}
}

// Len is the number of tasks.
func (w *Network) Len() int { return w.n }

// Finish is the project's early finish: the latest early finish of any task.
func (w *Network) Finish() int64 { return w.finish }

// ES, EF, LS and LF return a task's early and late start and finish.
func (w *Network) ES(v int) int64 { return w.es[v] }

// EF is the early finish of task v.
func (w *Network) EF(v int) int64 { return w.es[v] + w.Dur[v] }

// LS is the late start of task v.
func (w *Network) LS(v int) int64 { return min(w.finish-w.tail[v], w.bound[v]) }

// LF is the late finish of task v.
func (w *Network) LF(v int) int64 { return w.LS(v) + w.Dur[v] }

// TotalFloat is LS - ES; negative when a constraint or deadline cannot be met.
func (w *Network) TotalFloat(v int) int64 { return w.LS(v) - w.es[v] }

// FreeFloat is how far task v can slip without delaying any successor's
// early start or the project finish; like MS Project's free slack it is
// never negative and never more than the total float.
func (w *Network) FreeFloat(v int) int64 {
	w.ensureSucc()
	ff := min(w.finish-w.es[v]-w.Dur[v], max(0, w.TotalFloat(v)))
	for j := w.succOff[v]; j < w.succOff[v+1]; j++ {
		s := w.succTo[j]
		ff = min(ff, w.es[s]-w.es[v]-weight(&w.in[w.succEdge[j]], w.Dur))
	}
	return ff
}

// Order returns the topological order of the tasks (do not modify).
func (w *Network) Order() []int32 { return w.order }

// Preds calls fn for each link into task v with its start-to-start
// distance.
func (w *Network) Preds(v int, fn func(from int, t LinkType, dist int64)) {
	for _, e := range w.in[w.predOff[v]:w.predOff[v+1]] {
		fn(int(e.From), e.Type, weight(&e, w.Dur))
	}
}

// Required returns the earliest start that task v's links allow, given the
// early starts of its predecessors (NoTime when it has none).
func (w *Network) Required(v int) int64 {
	r := int64(NoTime)
	for _, e := range w.in[w.predOff[v]:w.predOff[v+1]] {
		r = max(r, w.es[e.From]+weight(&e, w.Dur))
	}
	return r
}
