package schedule

import (
	"errors"
	"fmt"
	"math"
	"math/bits"
)

// ErrCalendarDependent is returned by SetDuration on a network from
// Schedule in which some tasks run on their own calendars: their durations
// in project working minutes depend on where they start, which the
// incremental passes do not re-convert. Run Schedule again instead.
var ErrCalendarDependent = errors.New("schedule: tasks on their own calendars: incremental update not supported, reschedule in full")

// incState is the network renumbered in topological order, for
// incremental updates: task v sits at position pos[v], every link goes from
// a lower to a higher position, and each link carries its start-to-start
// distance already resolved from the current durations. A change then
// sweeps forward (or backward) over positions in memory order, with a
// bitset of the positions still to visit instead of a priority queue, and
// switches to a plain sweep of every position once most positions it passes
// need a visit anyway. What a sweep reads of a task sits in one small
// record, and a link's position and distance side by side, so that the
// loops run from few base pointers. The Network's es, tail and bound stay
// the authority for readers; the sweeps write every value they change
// through to them (when the tasks are already in topological order the
// arrays are shared).
type incState struct {
	ok      bool // false after Recompute or SetConstraints: rebuild before use
	alias   bool // positions are task indexes: es, tail, bound are the Network's own
	noBound bool // no task has a constraint or deadline that bounds its late start: every bound stays MaxInt64

	es, tail, bound []int64 // by position
	fwd             []fwdNode
	bwd             []bwdNode
	preds           []incLink // links into each position, by position
	succs           []incLink // links out of each position, by position
	predOther       []int32   // the index in succs of each link in preds
	succOther       []int32   // the index in preds of each link in succs
	succOwner       []int32   // the position each link in succs leaves from
	predOwner       []int32   // the position each link in preds goes into
	durs            []int64   // durations by position, for the flat sweeps
	floors          []int64   // fwd[p].floor, for the flat forward sweep
	maxSucc         []int32   // fwd[p].reach, for the flat forward sweep
	minPred         []int32   // bwd[p].reach, for the flat backward sweep
	// fixedIn marks the blocks of 64 positions that hold a task with an
	// actual start: the flat forward sweep cannot leave out that task's
	// links, so those blocks take the loop per task.
	fixedIn []bool
	// wide: some link distance does not fit in 32 bits (more than 4,000
	// years of working minutes): SetDuration recomputes in full instead.
	wide bool

	// dirty marks positions to visit; it is empty between operations (each
	// sweep clears the bits it visits), so no per-operation clearing.
	dirty []uint64
	// blockEF is the largest early finish of each block of 64 positions
	// (one dirty word), so that the project finish is the maximum of n/64
	// values after a sweep rescans only the blocks it changed.
	blockEF []int64
}

// fwdNode is what the forward sweep reads of a position.
type fwdNode struct {
	floor  int64 // own lower bound of ES: its constraint, or its actual start
	dur    int64
	lo, hi int32 // its links in preds
	from   int32 // where the forward sweep starts reading them: hi for a task with an actual start, which its links do not move
	reach  int32 // the highest position of its successors (itself when none)
}

// bwdNode is what the backward sweep reads of a position.
type bwdNode struct {
	dur    int64
	ceil   int64 // own upper bound of LS (constraint, deadline), MaxInt64 when none
	lo, hi int32 // its links in succs
	reach  int32 // the lowest position of its predecessors (itself when none)
	durIn  int32 // how many of its inbound links are FF or SF, whose distances depend on its duration
}

// incLink is a link seen from one end: the position at the other end and
// the distance, in 8 bytes so that a sweep reads half the memory it would
// with a 64-bit distance. The links in preds are in the order of
// Network.in, so that preds[k] of position p is Network.in[predOff[order[p]]
// + k - fwd[p].lo].
type incLink struct {
	at int32
	wt int32
}

// setWeight stores the distance of the link preds[k] = succs[j], or
// reports false when it does not fit in an incLink.
func (s *incState) setWeight(k, j int32, wt int64) bool {
	if wt != int64(int32(wt)) {
		return false
	}
	s.preds[k].wt, s.succs[j].wt = int32(wt), int32(wt)
	return true
}

// A sweep visits only the positions marked dirty until the share of visited
// positions among those it has passed reaches 1/pullDensity; from there on
// it recomputes every position up to the furthest one a change reaches.
// A visit costs about six times what a position of a dense sweep costs
// (marking successors, finding bits: 25-35 ns against 4-6 ns of CPU), so
// the worst cases are a cone just below the threshold, swept sparsely, and
// a dense sweep over everything; 1/4 keeps both near half a millisecond at
// 100k tasks (chosen on interleaved portfolios of seed 1 and genNetwork
// seed 2; see docs/BENCHMARKS.md).
const pullDensity = 4

// SetDuration changes the duration of task v and recomputes only what the
// change reaches: the forward sweep visits v's successors in topological
// order and goes on only from tasks whose early start moved; the backward
// sweep does the same from v through its predecessors on tails and bounds.
// Late dates are derived from tails and bounds that do not depend on the
// project finish, so a finish that moves does not touch every task. The
// result equals a full Recompute. It allocates nothing after the first
// call (or the first after a Recompute or SetConstraints), which builds
// the incremental state in one pass over tasks and links.
func (w *Network) SetDuration(v int, d int64) error {
	if v < 0 || v >= w.n {
		return fmt.Errorf("schedule: task %d out of range", v)
	}
	if d < 0 || d > maxMinutes {
		return fmt.Errorf("schedule: duration %d out of range", d)
	}
	if w.calDependent {
		return ErrCalendarDependent
	}
	s := w.incremental()
	p := w.pos[v]
	w.Dur[v] = d
	f, b := &s.fwd[p], &s.bwd[p]
	f.dur, b.dur, s.durs[p] = d, d, d
	// The distances of v's links depend on its duration: FF and SF links
	// into it, FS and FF links and lags in percent out of it. Each link is
	// stored at both ends.
	in := w.predOff[v] - f.lo // preds[k] is the link w.in[in+k]
	pull := false             // whether v's own early start may move
	for k := f.lo; k < f.hi && !s.wide && b.durIn > 0; k++ {
		if e := &w.in[in+k]; e.Type == FF || e.Type == SF {
			s.wide = !s.setWeight(k, s.predOther[k], weight(e, w.Dur))
			pull = true
		}
	}
	for j := b.lo; j < b.hi && !s.wide; j++ {
		k, to := s.succOther[j], s.succs[j].at
		e := &w.in[w.predOff[w.order[to]]-s.fwd[to].lo+k]
		if e.Type == FS || e.Type == FF || e.LagPct != 0 {
			s.wide = !s.setWeight(k, j, weight(e, w.Dur))
		}
	}
	if s.wide {
		w.Recompute()
		w.touched = w.n
		return nil
	}
	if w.actual == nil || w.actual[v] == NoTime {
		fl := w.floorOf(int32(v))
		pull = pull || fl != f.floor
		f.floor, s.floors[p] = fl, fl
	}
	_, b.ceil = w.ownLate(int32(v))
	w.touched = w.forward(p, pull)
	w.touched += w.backward(p)
	return nil
}

func resize[T any](a []T, n int) []T {
	if cap(a) < n {
		return make([]T, n)
	}
	return a[:n]
}

// incremental returns the incremental state, built (or refreshed after a
// full recompute) in one pass over the tasks and one over the links.
func (w *Network) incremental() *incState {
	s := w.inc
	if s == nil {
		s = &incState{}
		w.inc = s
	}
	if s.ok {
		return s
	}
	n, m := w.n, len(w.in)
	s.alias = n == 0 || &w.order[0] == &w.pos[0]
	if s.alias {
		s.es, s.tail, s.bound = w.es, w.tail, w.bound
	} else {
		s.es, s.tail, s.bound = resize(s.es, n), resize(s.tail, n), resize(s.bound, n)
	}
	s.fwd, s.bwd = resize(s.fwd, n), resize(s.bwd, n)
	s.preds, s.succs = resize(s.preds, m), resize(s.succs, m)
	s.predOther, s.succOther, s.succOwner = resize(s.predOther, m), resize(s.succOther, m), resize(s.succOwner, m)
	s.predOwner = resize(s.predOwner, m)
	s.durs, s.floors = resize(s.durs, n), resize(s.floors, n)
	s.maxSucc, s.minPred = resize(s.maxSucc, n), resize(s.minPred, n)
	s.fixedIn = resize(s.fixedIn, (n+63)/64)
	clear(s.fixedIn)
	s.wide = false
	if words := (n + 63) / 64; len(s.dirty) != words {
		s.dirty = make([]uint64, words)
		s.blockEF = make([]int64, words)
	}
	// Successor counts in bwd[p].hi, then their ranges.
	for p := range s.bwd {
		s.bwd[p] = bwdNode{}
	}
	for _, e := range w.in {
		s.bwd[w.pos[e.From]].hi++
	}
	at := int32(0)
	for p := range s.bwd {
		b := &s.bwd[p]
		b.lo = at
		at += b.hi
		b.hi = b.lo // grows to lo + count as the links are filled below
	}
	k := int32(0)
	for p, v := range w.order {
		if !s.alias {
			s.es[p], s.tail[p], s.bound[p] = w.es[v], w.tail[v], w.bound[v]
		}
		f, b := &s.fwd[p], &s.bwd[p]
		*f = fwdNode{floor: w.floorOf(v), dur: w.Dur[v], lo: k, reach: int32(p)}
		b.dur, b.reach = w.Dur[v], int32(p)
		_, b.ceil = w.ownLate(v)
		for e := w.predOff[v]; e < w.predOff[v+1]; e++ {
			from := w.pos[w.in[e].From]
			wt := weight(&w.in[e], w.Dur)
			fb := &s.bwd[from]
			s.preds[k] = incLink{at: from}
			s.succs[fb.hi] = incLink{at: int32(p)}
			s.predOther[k], s.succOther[fb.hi], s.succOwner[fb.hi] = fb.hi, k, from
			s.predOwner[k] = int32(p)
			s.wide = s.wide || !s.setWeight(k, fb.hi, wt)
			if t := w.in[e].Type; t == FF || t == SF {
				b.durIn++
			}
			fb.hi++
			s.fwd[from].reach = max(s.fwd[from].reach, int32(p))
			b.reach = min(b.reach, from)
			k++
		}
		f.hi, f.from = k, f.lo
		if w.actual != nil && w.actual[v] != NoTime {
			f.floor, f.from = w.actual[v], k
			s.fixedIn[p/64] = true
		}
	}
	s.noBound = true
	for p := range s.bwd {
		s.noBound = s.noBound && s.bwd[p].ceil == math.MaxInt64
		s.durs[p], s.minPred[p] = s.bwd[p].dur, s.bwd[p].reach
		s.floors[p], s.maxSucc[p] = s.fwd[p].floor, s.fwd[p].reach
	}
	for b := range s.blockEF {
		s.blockEF[b] = s.rescanBlock(b)
	}
	s.ok = true
	return s
}

func (s *incState) rescanBlock(b int) int64 {
	hi := min(b*64+64, len(s.es))
	ef := int64(math.MinInt64)
	for q := b * 64; q < hi; q++ {
		ef = max(ef, s.es[q]+s.fwd[q].dur)
	}
	return ef
}

// early is the early start of position q from its predecessors'.
func (s *incState) early(q int32) int64 {
	f := &s.fwd[q]
	es := f.floor
	for k := f.from; k < f.hi; k++ {
		l := &s.preds[k]
		es = max(es, s.es[l.at]+int64(l.wt))
	}
	return es
}

// late is the tail and bound of position q from its successors'.
func (s *incState) late(q int32) (tail, bound int64) {
	b := &s.bwd[q]
	tail, bound = b.dur, b.ceil
	for j := b.lo; j < b.hi; j++ {
		l := &s.succs[j]
		tail = max(tail, s.tail[l.at]+int64(l.wt))
		if bx := s.bound[l.at]; bx != math.MaxInt64 {
			bound = min(bound, bx-int64(l.wt))
		}
	}
	return tail, bound
}

// forward recomputes early starts from position p0 on and returns how many
// tasks it visited. p0 is always visited and always passes the change on
// (its duration, hence its links' distances, changed), but its own early
// start is recomputed only when pull says that what it depends on changed
// (not worth skipping but for a task with thousands of predecessors, such
// as a finish milestone); any other task passes the change on only when
// its early start moved.
func (w *Network) forward(p0 int32, pull bool) int {
	s := w.inc
	es, dirty, blockEF := s.es, s.dirty, s.blockEF
	dirty[p0>>6] |= 1 << (p0 & 63)
	last := p0 // the furthest position a change reaches
	visited := 0
	lowered, raised := false, int64(0)
	// block records that the early finishes of block wi changed, now
	// reaching at most ef.
	block := func(wi int32, ef int64) {
		old := blockEF[wi]
		blockEF[wi] = ef
		// The finish can only drop if a block that held it dropped.
		lowered = lowered || (ef < old && old == w.finish)
		raised = max(raised, ef)
		if !s.alias {
			for q := wi << 6; q < min(wi<<6+64, int32(len(es))); q++ {
				w.es[w.order[q]] = es[q]
			}
		}
	}
	wi := p0 >> 6
	// A task with at least a block's worth of successors, packed densely
	// after it (a start milestone): the sweep would visit them all, so it
	// turns dense at once instead of marking each.
	b0 := &s.bwd[p0]
	dense := b0.hi-b0.lo >= 64 && int(b0.hi-b0.lo)*pullDensity >= int(s.fwd[p0].reach-p0+1)
	if dense {
		last = s.fwd[p0].reach
	}
	for ; !dense && wi <= last>>6; wi++ {
		if dirty[wi] == 0 {
			continue
		}
		moved := false
		for dirty[wi] != 0 {
			b := bits.TrailingZeros64(dirty[wi])
			dirty[wi] &^= 1 << b
			q := wi<<6 + int32(b)
			visited++
			nes := es[q]
			if q != p0 || pull {
				nes = s.early(q)
			}
			if nes == es[q] && q != p0 {
				continue
			}
			es[q] = nes
			moved = true
			bn := &s.bwd[q]
			for j := bn.lo; j < bn.hi; j++ {
				t := s.succs[j].at
				dirty[t>>6] |= 1 << (t & 63)
			}
			last = max(last, s.fwd[q].reach)
		}
		if moved {
			block(wi, s.rescanBlock(int(wi)))
		}
		if visited*pullDensity >= int(wi+1-p0>>6)*64 {
			wi++
			break
		}
	}
	// Dense: recompute every position up to the furthest reach.
	n := int32(len(es))
	for ; wi <= last>>6; wi++ {
		dirty[wi] = 0
		lo, hi := wi<<6, min(wi<<6+64, n)
		if reach, ef := s.forwardBlock(lo, hi); reach >= 0 {
			last = max(last, reach)
			block(wi, ef)
		}
		visited += int(hi - lo)
	}
	if lowered {
		f := int64(0)
		for _, ef := range blockEF {
			f = max(f, ef)
		}
		w.finish = f
	} else {
		w.finish = max(w.finish, raised)
	}
	return visited
}

// forwardBlock recomputes the early starts of positions lo to hi-1 (one
// block) from their predecessors'. It returns the furthest position the
// changed ones reach (-1 when none changed) and the block's largest early
// finish. A function of its own so that its loop keeps its values in
// registers.
func (s *incState) forwardBlock(lo, hi int32) (reach int32, ef int64) {
	if !s.fixedIn[lo>>6] {
		return s.forwardBlockFlat(lo, hi)
	}
	nodes, es, preds := s.fwd[lo:hi], s.es, s.preds
	bes := es[lo:hi]
	bes = bes[:len(nodes)]
	reach, ef = -1, math.MinInt64
	for i := range nodes {
		f := &nodes[i]
		nes := f.floor
		for k := f.from; k < f.hi; k++ {
			l := &preds[k]
			nes = max(nes, es[l.at]+int64(l.wt))
		}
		if nes != bes[i] {
			bes[i] = nes
			reach = max(reach, f.reach)
		}
		ef = max(ef, nes+f.dur)
	}
	return reach, ef
}

// forwardBlockFlat is forwardBlock for a block without actual starts. It
// runs over the block's links as one flat list (they are contiguous, in
// position order), so that the loop does not branch on how many
// predecessors each task has, and finds what changed afterwards.
func (s *incState) forwardBlockFlat(lo, hi int32) (reach int32, ef int64) {
	es := s.es
	bes, floors, durs, maxSucc := es[lo:hi], s.floors[lo:hi], s.durs[lo:hi], s.maxSucc[lo:hi]
	bes, durs, maxSucc = bes[:len(floors)], durs[:len(floors)], maxSucc[:len(floors)]
	var old [64]int64
	copy(old[:], bes)
	copy(bes, floors)
	a, z := s.fwd[lo].lo, s.fwd[hi-1].hi
	preds, owner := s.preds[a:z], s.predOwner[a:z]
	owner = owner[:len(preds)]
	// Ascending, so that a predecessor in the same block is final before
	// it is read.
	for k := range preds {
		l := &preds[k]
		o := owner[k]
		es[o] = max(es[o], es[l.at]+int64(l.wt))
	}
	reach, ef = -1, math.MinInt64
	for i, e := range bes {
		if e != old[i] {
			reach = max(reach, maxSucc[i])
		}
		ef = max(ef, e+durs[i])
	}
	return reach, ef
}

// backward recomputes tails and bounds from position p0 down; like
// forward, p0 always passes the change on to its predecessors, and the
// sweep turns dense the same way.
func (w *Network) backward(p0 int32) int {
	s := w.inc
	tail, bound, dirty := s.tail, s.bound, s.dirty
	dirty[p0>>6] |= 1 << (p0 & 63)
	first := p0 // the lowest position a change reaches
	visited := 0
	// block writes the tails and bounds of block wi through.
	block := func(wi int32) {
		if !s.alias {
			for q := wi << 6; q < min(wi<<6+64, int32(len(tail))); q++ {
				v := w.order[q]
				w.tail[v], w.bound[v] = tail[q], bound[q]
			}
		}
	}
	wi := p0 >> 6
	// A task with at least a block's worth of predecessors packed densely
	// before it (a finish milestone): dense at once, as in forward.
	f0 := &s.fwd[p0]
	dense := f0.hi-f0.lo >= 64 && int(f0.hi-f0.lo)*pullDensity >= int(p0-s.bwd[p0].reach+1)
	if dense {
		first = s.bwd[p0].reach
	}
	for ; !dense && wi >= first>>6; wi-- {
		moved := false
		for dirty[wi] != 0 {
			b := 63 - bits.LeadingZeros64(dirty[wi])
			dirty[wi] &^= 1 << b
			q := wi<<6 + int32(b)
			visited++
			t, bd := s.late(q)
			if t == tail[q] && bd == bound[q] && q != p0 {
				continue
			}
			tail[q], bound[q] = t, bd
			moved = true
			f := &s.fwd[q]
			for k := f.lo; k < f.hi; k++ {
				a := s.preds[k].at
				dirty[a>>6] |= 1 << (a & 63)
			}
			first = min(first, s.bwd[q].reach)
		}
		if moved {
			block(wi)
		}
		if visited*pullDensity >= int(p0>>6+1-wi)*64 {
			wi--
			break
		}
	}
	for ; wi >= first>>6; wi-- {
		dirty[wi] = 0
		lo, hi := wi<<6, min(wi<<6+64, int32(len(tail)))
		if reach := s.backwardBlock(lo, hi); reach < hi {
			first = min(first, reach)
			block(wi)
		}
		visited += int(hi - lo)
	}
	return visited
}

// backwardBlock recomputes the tails and bounds of positions hi-1 down to
// lo from their successors'. It returns the lowest position the changed
// ones reach (hi when none changed).
func (s *incState) backwardBlock(lo, hi int32) (reach int32) {
	if s.noBound {
		return s.backwardBlockTail(lo, hi)
	}
	nodes, tail, bound, succs := s.bwd[lo:hi], s.tail, s.bound, s.succs
	btail, bbound := tail[lo:hi], bound[lo:hi]
	btail, bbound = btail[:len(nodes)], bbound[:len(nodes)]
	reach = hi
	for i := len(nodes) - 1; i >= 0; i-- {
		b := &nodes[i]
		t, bd := b.dur, b.ceil
		for j := b.lo; j < b.hi; j++ {
			l := &succs[j]
			t = max(t, tail[l.at]+int64(l.wt))
			if bx := bound[l.at]; bx != math.MaxInt64 {
				bd = min(bd, bx-int64(l.wt))
			}
		}
		if t != btail[i] || bd != bbound[i] {
			btail[i], bbound[i] = t, bd
			reach = min(reach, b.reach)
		}
	}
	return reach
}

// backwardBlockTail is backwardBlock when no bound can be set (no
// constraints or deadlines): the tails alone. It runs over the block's
// links as one flat list (they are contiguous, highest position last), so
// that the loop does not branch on how many successors each task has, and
// finds what changed afterwards.
func (s *incState) backwardBlockTail(lo, hi int32) (reach int32) {
	tail := s.tail
	bt, durs, minPred := tail[lo:hi], s.durs[lo:hi], s.minPred[lo:hi]
	bt, minPred = bt[:len(durs)], minPred[:len(durs)]
	var old [64]int64
	copy(old[:], bt)
	copy(bt, durs)
	a, z := s.bwd[lo].lo, s.bwd[hi-1].hi
	succs, owner := s.succs[a:z], s.succOwner[a:z]
	owner = owner[:len(succs)]
	// Descending, so that a successor in the same block is final before
	// it is read.
	for j := len(succs) - 1; j >= 0; j-- {
		l := &succs[j]
		o := owner[j]
		tail[o] = max(tail[o], tail[l.at]+int64(l.wt))
	}
	reach = hi
	for i, t := range bt {
		if t != old[i] {
			reach = min(reach, minPred[i])
		}
	}
	return reach
}
