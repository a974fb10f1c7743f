package schedule

// Resource levelling: an activity-list genetic algorithm with forward-backward
// improvement over the serial SGS (see docs/levelling.md).

import (
	"context"
	"errors"
	"runtime"
	"slices"
	"sync"
	"time"

	"math/rand/v2"
)

// LevelOptions bounds and seeds Level. Zero values take defaults.
type LevelOptions struct {
	Schedules int           // schedule budget (SGS decodings); default 5000
	TimeLimit time.Duration // wall-clock limit; 0 = none
	Seed      int64         // the result is a function of the seed and the budget
	Workers   int           // goroutines; default runtime.NumCPU(); does not change the result
}

// LevelResult is a levelled schedule.
type LevelResult struct {
	Starts     []int // per activity
	Makespan   int   // max(Starts[i] + Durations[i]), 0 for no activities
	Schedules  int   // schedules (SGS decodings) spent
	LowerBound int   // max(critical path, per-resource work / capacity); Makespan >= LowerBound
}

// LevelDefaultSchedules is the schedule budget when LevelOptions.Schedules is 0.
const LevelDefaultSchedules = 5000

// Level finds a schedule of p that respects every arc, release and capacity
// with a makespan as short as it can within the budget. It stops early when it
// reaches the lower bound.
//
// Schedules are counted as in the RCPSP literature: each decoding by a
// schedule generation scheme is one schedule; a forward-backward improvement
// counts its two passes. For a given problem, Seed and Schedules the result is
// the same whatever Workers and the machine's timing, unless TimeLimit or ctx
// stops the search first. When ctx is cancelled Level returns the best
// schedule found so far with ctx's error.
func Level(ctx context.Context, p *RCProblem, opt LevelOptions) (LevelResult, error) {
	if err := p.Validate(); err != nil {
		return LevelResult{}, err
	}
	m := rcCompile(p)
	budget := opt.Schedules
	if budget <= 0 {
		budget = LevelDefaultSchedules
	}
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.NumCPU()
	}
	var deadline time.Time
	if opt.TimeLimit > 0 {
		deadline = time.Now().Add(opt.TimeLimit)
	}
	s := &rcSearch{m: m, budget: budget, seed: uint64(opt.Seed), lb: int32(m.lowerBound()), deadline: deadline}
	s.decs = make([]*rcDecoder, workers)
	for w := range s.decs {
		s.decs[w] = rcNewDecoder(m)
	}
	err := s.run(ctx)
	res := LevelResult{
		Starts:     m.rcStarts(s.best.start),
		Makespan:   int(s.best.ms),
		Schedules:  s.used,
		LowerBound: int(s.lb),
	}
	return res, err
}

// rcIndiv is one member of the population: a precedence-feasible activity
// list and the schedule it decodes to (after justification).
type rcIndiv struct {
	list  []int32
	start []int32
	ms    int32
	hash  uint64
	cost  int    // schedules spent on it
	fwd   uint64 // hash of the forward schedule before justification
	dup   bool   // its forward schedule was decoded before; not justified
	par   bool   // decode list by the parallel SGS (list positions as priorities)
	pback bool   // justify with a parallel-SGS backward pass
}

type rcSearch struct {
	m        *rcModel
	decs     []*rcDecoder
	budget   int
	used     int
	seed     uint64
	lb       int32
	deadline time.Time
	best     rcIndiv
	pop      []*rcIndiv
	fwdSeen  map[uint64]bool // forward schedules of earlier generations
}

// Parameters of the genetic algorithm.
const (
	rcJustifyPasses = 1                     // forward-backward passes at most, while they improve
	rcCostPerChild  = 1 + 2*rcJustifyPasses // serial SGS + backward + forward passes, at most
	rcMutation      = 0.1                   // per position, swap with the next one
	rcPeakShare     = 0.5                   // share of children made by peak crossover
	rcPopWork       = 5000                  // population size bound: rcPopWork / activities
	rcTournament    = 2
	rcShiftShare    = 0.5 // share of children that also get one shift move
	rcLocalShare    = 0.2 // share of children that are neighbours of a best schedule
	rcLocalMoves    = 3   // such a neighbour is 1..rcLocalMoves shifts away
	rcParInit       = 0.5 // share of the randomly sampled initial lists decoded by the parallel SGS
	rcParBack       = 0.3 // share of the other individuals justified with a parallel backward pass
	// The parallel SGS costs O(activities x eligible) per decoding: on wide
	// networks of thousands of activities it is several times slower than the
	// serial SGS, so above this size the search uses the serial SGS only.
	rcMaxParallel = 1000
)

// rcPopSize picks the population size: a tenth of the evaluations the budget
// affords (diversity), but no more than rcPopWork/n, since larger instances
// need more generations to converge.
func rcPopSize(budget, n int) int {
	evals := budget / 3
	p := min(evals/10, rcPopWork/max(n, 1))
	return min(max(p, 4), 400) &^ 1
}

func (s *rcSearch) rng(stream, index uint64) *rand.Rand {
	return rand.New(rand.NewPCG(s.seed^0x9e3779b97f4a7c15, stream<<32^index))
}

func (s *rcSearch) newIndiv() *rcIndiv {
	return &rcIndiv{list: make([]int32, s.m.n), start: make([]int32, s.m.n)}
}

// forEach runs fn(decoder, i) for i in [0, count) on the workers. fn must
// depend on i only, so that the outcome does not depend on the scheduling.
func (s *rcSearch) forEach(count int, fn func(d *rcDecoder, i int)) {
	w := min(len(s.decs), count)
	if w <= 1 {
		for i := 0; i < count; i++ {
			fn(s.decs[0], i)
		}
		return
	}
	var wg sync.WaitGroup
	for g := 0; g < w; g++ {
		wg.Add(1)
		go func(d *rcDecoder, g int) {
			defer wg.Done()
			for i := g; i < count; i += w {
				fn(d, i)
			}
		}(s.decs[g], g)
	}
	wg.Wait()
}

func (s *rcSearch) stop(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if !s.deadline.IsZero() && time.Now().After(s.deadline) {
		return errDeadline
	}
	return nil
}

var errDeadline = errors.New("time limit")

// evaluate decodes ind.list (forward, by the serial SGS or, when ind.par, by
// the parallel SGS with the list positions as priorities), justifies it and
// records the result.
func (s *rcSearch) evaluate(d *rcDecoder, ind *rcIndiv) {
	m := s.m
	var ms int32
	if ind.par {
		for p, v := range ind.list {
			d.keys[v] = int64(p)
		}
		ms = d.parallel(m, d.keys, ind.start)
		// Justification takes the list of the decoded schedule.
		for p, v := range ind.list {
			d.keys[v] = int64(ind.start[v])*int64(m.n+1) + int64(p)
		}
		d.orderByKey(m, d.keys, ind.list)
	} else {
		ms = d.serial(m, ind.list, ind.start)
	}
	ind.cost = 1
	ind.fwd = rcHash(ind.start)
	if s.fwdSeen[ind.fwd] {
		// Decoded before: justification would repeat a known schedule.
		ind.dup = true
		ind.ms = ms
		return
	}
	for pass := 0; pass < rcJustifyPasses; pass++ {
		next := d.justify(ind.list, ind.start, ms, ind.pback)
		ind.cost += 2
		improved := next < ms
		ms = next
		if !improved {
			break
		}
	}
	ind.ms = ms
	ind.hash = rcHash(ind.start)
}

// rcCost sums the schedules the individuals cost.
func rcCost(inds []*rcIndiv) int {
	c := 0
	for _, ind := range inds {
		c += ind.cost
	}
	return c
}

func rcHash(start []int32) uint64 {
	h := uint64(14695981039346656037)
	for _, v := range start {
		h ^= uint64(uint32(v))
		h *= 1099511628211
	}
	return h
}

// remember records the forward schedules of a generation, after it.
func (s *rcSearch) remember(inds []*rcIndiv) {
	for _, ind := range inds {
		s.fwdSeen[ind.fwd] = true
	}
}

func (s *rcSearch) consider(inds []*rcIndiv) {
	for _, ind := range inds {
		if ind.dup {
			continue
		}
		if s.best.start == nil || ind.ms < s.best.ms {
			s.best.ms = ind.ms
			s.best.start = slices.Clone(ind.start)
			s.best.list = slices.Clone(ind.list)
		}
	}
}

func (s *rcSearch) run(ctx context.Context) error {
	m := s.m
	if m.n == 0 {
		s.best.start = []int32{}
		return nil
	}
	// The first schedule is always made, whatever the budget or deadline.
	psize := rcPopSize(s.budget, m.n)
	nInit := max(1, min(psize, s.budget/rcCostPerChild))
	rules := []PriorityRule{PriorityLFT, PriorityLST, PriorityMSLK, PriorityGRPW}
	if m.n <= 5000 {
		rules = append(rules, PriorityMTS)
	}
	lft := m.priorityKeys(PriorityLFT)
	init := make([]*rcIndiv, nInit)
	s.forEach(nInit, func(d *rcDecoder, c int) {
		ind := s.newIndiv()
		rng := s.rng(1, uint64(c))
		switch {
		case c < len(rules):
			d.orderByKey(m, m.priorityKeys(rules[c]), ind.list)
		default:
			d.rcBiasedList(lft, rng, ind.list)
			ind.par = rng.Float64() < rcParInit && m.n <= rcMaxParallel
		}
		ind.pback = !ind.par && rng.Float64() < rcParBack && m.n <= rcMaxParallel
		s.evaluate(d, ind)
		init[c] = ind
	})
	s.used += rcCost(init)
	s.fwdSeen = make(map[uint64]bool)
	s.remember(init)
	s.consider(init)
	s.pop = s.survivors(init, nil, psize)

	var err error
	for gen := uint64(0); ; gen++ {
		if s.best.ms <= s.lb {
			return nil
		}
		if err = s.stop(ctx); err != nil {
			break
		}
		nChild := min(len(s.pop), (s.budget-s.used)/rcCostPerChild)
		if nChild <= 0 {
			break
		}
		children := make([]*rcIndiv, nChild)
		s.forEach((nChild+1)/2, func(d *rcDecoder, j int) {
			rng := s.rng(2+gen, uint64(j))
			mother := s.tournament(rng)
			father := s.tournament(rng)
			for c := 2 * j; c < min(2*j+2, nChild); c++ {
				ind := s.newIndiv()
				ind.pback = rng.Float64() < rcParBack && m.n <= rcMaxParallel
				if rng.Float64() < rcLocalShare {
					s.neighbour(rng, ind.list)
					s.evaluate(d, ind)
					children[c] = ind
					continue
				}
				if rng.Float64() < rcPeakShare {
					s.rcPeakCrossover(rng, mother, father, ind.list, d.util(int(mother.ms)+1), d.keys)
				} else {
					q1, q2 := rng.IntN(m.n+1), rng.IntN(m.n+1)
					if q1 > q2 {
						q1, q2 = q2, q1
					}
					rcCrossover(mother.list, father.list, q1, q2, ind.list, d.keys)
				}
				s.mutate(rng, ind.list)
				// A copy of a parent's list decodes to the parent's schedule:
				// shift until it differs (a few tries).
				for try := 0; try < 8 && (slices.Equal(ind.list, mother.list) || slices.Equal(ind.list, father.list)); try++ {
					rcShift(m, rng, ind.list)
				}
				s.evaluate(d, ind)
				children[c] = ind
				mother, father = father, mother
			}
		})
		s.used += rcCost(children)
		s.remember(children)
		s.consider(children)
		s.pop = s.survivors(s.pop, children, psize)
	}
	if err == errDeadline {
		err = nil
	}
	return err
}

// neighbour writes into list a neighbour of one of the population's best
// schedules (those of the best makespan, at random): its list with 1 to
// rcLocalMoves random shifts, and at least one change.
func (s *rcSearch) neighbour(rng *rand.Rand, list []int32) {
	e := 1
	for e < len(s.pop) && s.pop[e].ms == s.pop[0].ms {
		e++
	}
	src := s.pop[rng.IntN(e)].list
	copy(list, src)
	for k := 1 + rng.IntN(rcLocalMoves); k > 0; k-- {
		rcShift(s.m, rng, list)
	}
	for try := 0; try < 8 && slices.Equal(list, src); try++ {
		rcShift(s.m, rng, list)
	}
}

// tournament picks the better of two random members.
func (s *rcSearch) tournament(rng *rand.Rand) *rcIndiv {
	x := rng.IntN(len(s.pop))
	for t := 1; t < rcTournament; t++ {
		x = min(x, rng.IntN(len(s.pop)))
	}
	return s.pop[x]
}

// survivors keeps the best size distinct schedules of old and children (the
// population is sorted by makespan; among equals, older members first).
func (s *rcSearch) survivors(old, children []*rcIndiv, size int) []*rcIndiv {
	all := slices.Clone(old)
	for _, c := range children {
		if !c.dup {
			all = append(all, c)
		}
	}
	slices.SortStableFunc(all, func(a, b *rcIndiv) int { return int(a.ms) - int(b.ms) })
	out := make([]*rcIndiv, 0, size)
	seen := make(map[uint64]bool, len(all))
	for _, ind := range all {
		if len(out) == size {
			break
		}
		if !seen[ind.hash] {
			seen[ind.hash] = true
			out = append(out, ind)
		}
	}
	// Too few distinct schedules: fill with duplicates rather than shrink.
	for _, ind := range all {
		if len(out) == size {
			break
		}
		if seen[ind.hash] {
			seen[ind.hash] = false
			continue
		}
		out = append(out, ind)
	}
	return out
}

// rcCrossover is Hartmann's two-point crossover: positions [0, q1) from a,
// [q1, q2) the remaining activities in b's order, the rest in a's order. The
// child is precedence-feasible when both parents are. mark is scratch of
// length n.
func rcCrossover(a, b []int32, q1, q2 int, child []int32, mark []int64) {
	for i := range mark {
		mark[i] = 0
	}
	c := 0
	for _, v := range a[:q1] {
		child[c] = v
		mark[v] = 1
		c++
	}
	for _, v := range b {
		if c == q2 {
			break
		}
		if mark[v] == 0 {
			child[c] = v
			mark[v] = 1
			c++
		}
	}
	for _, v := range a {
		if c == len(child) {
			break
		}
		if mark[v] == 0 {
			child[c] = v
			mark[v] = 1
			c++
		}
	}
}

// mutate swaps neighbours with probability rcMutation each when no arc joins them.
func (s *rcSearch) mutate(rng *rand.Rand, list []int32) {
	m := s.m
	for i := 0; i+1 < len(list); i++ {
		if rng.Float64() >= rcMutation {
			continue
		}
		a, b := list[i], list[i+1]
		linked := false
		for x := m.succOff[a]; x < m.succOff[a+1]; x++ {
			if m.succTo[x] == b {
				linked = true
				break
			}
		}
		if !linked {
			list[i], list[i+1] = b, a
		}
	}
	if rng.Float64() < rcShiftShare {
		rcShift(m, rng, list)
	}
}

// rcShift moves one random activity to a random position between its last
// predecessor and its first successor in the list.
func rcShift(m *rcModel, rng *rand.Rand, list []int32) {
	n := len(list)
	x := rng.IntN(n)
	v := list[x]
	lo, hi := x, x
	for lo > 0 && !rcLinked(m, list[lo-1], v) {
		lo--
	}
	for hi < n-1 && !rcLinked(m, v, list[hi+1]) {
		hi++
	}
	y := lo + rng.IntN(hi-lo+1)
	if y < x {
		copy(list[y+1:x+1], list[y:x])
	} else {
		copy(list[x:y], list[x+1:y+1])
	}
	list[y] = v
}

// rcLinked reports whether an arc a -> b exists.
func rcLinked(m *rcModel, a, b int32) bool {
	for x := m.succOff[a]; x < m.succOff[a+1]; x++ {
		if m.succTo[x] == b {
			return true
		}
	}
	return false
}

// rcPeakCrossover keeps the mother's densest stretch of schedule: the
// activities that start in the window of periods of highest resource
// utilisation (of a random length) stay a block in the mother's order; the
// activities before and after it follow the father's order. Since lists are
// kept sorted by start times, the window is a contiguous part of the mother's
// list, and the child is precedence-feasible. util and mark are scratch.
func (s *rcSearch) rcPeakCrossover(rng *rand.Rand, mother, father *rcIndiv, child []int32, util []float64, mark []int64) {
	m := s.m
	ms := int(mother.ms)
	if ms < 2 {
		copy(child, mother.list)
		return
	}
	util = util[:ms+1]
	for t := range util {
		util[t] = 0
	}
	for i := 0; i < m.n; i++ {
		var w float64
		for u := m.useOff[i]; u < m.useOff[i+1]; u++ {
			w += float64(m.useAmt[u]) / float64(m.capac[m.useRes[u]])
		}
		if w == 0 {
			continue
		}
		util[mother.start[i]] += w
		util[mother.start[i]+m.dur[i]] -= w
	}
	for t := 1; t <= ms; t++ {
		util[t] += util[t-1]
	}
	// Window [t1, t1+l) of the largest total utilisation.
	l := ms/8 + rng.IntN(ms/2-ms/8+1)
	l = max(l, 1)
	var sum float64
	for t := 0; t < l; t++ {
		sum += util[t]
	}
	best, t1 := sum, 0
	for t := l; t < ms; t++ {
		sum += util[t] - util[t-l]
		if sum > best {
			best, t1 = sum, t-l+1
		}
	}
	t2 := t1 + l
	// Mark: 1 before the window, 2 inside, 3 after, by the mother's starts.
	for i := 0; i < m.n; i++ {
		switch st := int(mother.start[i]); {
		case st < t1:
			mark[i] = 1
		case st < t2:
			mark[i] = 2
		default:
			mark[i] = 3
		}
	}
	c := 0
	for _, v := range father.list {
		if mark[v] == 1 {
			child[c] = v
			c++
		}
	}
	for _, v := range mother.list {
		if mark[v] == 2 {
			child[c] = v
			c++
		}
	}
	for _, v := range father.list {
		if mark[v] == 3 {
			child[c] = v
			c++
		}
	}
}
