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
// need a visit anyway. The Network's es, tail and bound stay the authority
// for readers; the sweeps write every value they change through to them
// (when the tasks are already in topological order the arrays are shared).
type incState struct {
	ok    bool // false after Recompute or SetConstraints: rebuild before use
	alias bool // positions are task indexes: dur, es, tail, bound are the Network's own

	dur, es, tail, bound []int64 // by position
	floor                []int64 // own lower bound of ES (constraint; the actual start when fixed)
	ceil                 []int64 // own upper bound of LS (constraint, deadline), MaxInt64 when none

	// Links into position p: predFrom[predOff[p]:predOff[p+1]] (positions),
	// with their distances in predWt; predEdge is the link's index in
	// Network.in and predSucc its index in the successor arrays. The
	// forward sweep reads predFrom[fwdOff[p]:predOff[p+1]]: fwdOff is
	// predOff except for a task with an actual start, whose links do not
	// move it (an empty range).
	predOff  []int32
	fwdOff   []int32
	predFrom []int32
	predWt   []int64
	predEdge []int32
	predSucc []int32
	// Links out of position p: succTo[succOff[p]:succOff[p+1]], succWt the
	// distances, succPred the link's index in the predecessor arrays.
	succOff  []int32
	succTo   []int32
	succWt   []int64
	succPred []int32
	// maxSucc is the highest position of p's successors, minPred the lowest
	// of its predecessors (p itself when none): how far a change reaches.
	maxSucc, minPred []int32

	// dirty marks positions to visit; it is empty between operations (each
	// sweep clears the bits it visits), so no per-operation clearing.
	dirty []uint64
	// blockEF is the largest early finish of each block of 64 positions
	// (one dirty word), so that the project finish is the maximum of n/64
	// values after a sweep rescans only the blocks it changed.
	blockEF []int64
}

// A sweep visits only the positions marked dirty until the share of visited
// positions among those it has passed reaches 1/pullDensity; from there on
// it recomputes every position up to the furthest one a change reaches,
// which costs less per position than marking and finding dirty bits.
const pullDensity = 2

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
	s.dur[p] = d
	// The distances of v's links depend on its duration: FF and SF links
	// into it, FS and FF links (and lags in percent) out of it.
	for k := s.predOff[p]; k < s.predOff[p+1]; k++ {
		wt := weight(&w.in[s.predEdge[k]], w.Dur)
		s.predWt[k] = wt
		s.succWt[s.predSucc[k]] = wt
	}
	for j := s.succOff[p]; j < s.succOff[p+1]; j++ {
		wt := weight(&w.in[s.predEdge[s.succPred[j]]], w.Dur)
		s.succWt[j] = wt
		s.predWt[s.succPred[j]] = wt
	}
	if w.actual == nil || w.actual[v] == NoTime {
		s.floor[p] = w.floorOf(int32(v))
	}
	_, s.ceil[p] = w.ownLate(int32(v))
	w.touched = w.forward(p)
	w.touched += w.backward(p)
	return nil
}

// incremental returns the incremental state, built (or refreshed after a
// full recompute) in one pass over the tasks and links.
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
	grow := func(a []int64, k int) []int64 {
		if cap(a) < k {
			return make([]int64, k)
		}
		return a[:k]
	}
	grow32 := func(a []int32, k int) []int32 {
		if cap(a) < k {
			return make([]int32, k)
		}
		return a[:k]
	}
	s.alias = &w.order[0] == &w.pos[0] || n == 0
	if s.alias {
		s.dur, s.es, s.tail, s.bound = w.Dur, w.es, w.tail, w.bound
	} else {
		s.dur, s.es, s.tail, s.bound = grow(s.dur, n), grow(s.es, n), grow(s.tail, n), grow(s.bound, n)
	}
	s.floor, s.ceil = grow(s.floor, n), grow(s.ceil, n)
	s.predOff, s.succOff = grow32(s.predOff, n+1), grow32(s.succOff, n+1)
	s.maxSucc, s.minPred = grow32(s.maxSucc, n), grow32(s.minPred, n)
	s.predFrom, s.predEdge, s.predSucc = grow32(s.predFrom, m), grow32(s.predEdge, m), grow32(s.predSucc, m)
	s.succTo, s.succPred = grow32(s.succTo, m), grow32(s.succPred, m)
	s.predWt, s.succWt = grow(s.predWt, m), grow(s.succWt, m)
	if words := (n + 63) / 64; len(s.dirty) != words {
		s.dirty = make([]uint64, words)
		s.blockEF = make([]int64, words)
	}
	fixed := false
	for _, a := range w.actual {
		if a != NoTime {
			fixed = true
			break
		}
	}
	s.fwdOff = s.predOff
	if fixed {
		s.fwdOff = grow32(nil, n)
	}
	clear(s.succOff)
	k := int32(0)
	for p, v := range w.order {
		if !s.alias {
			s.dur[p], s.es[p], s.tail[p], s.bound[p] = w.Dur[v], w.es[v], w.tail[v], w.bound[v]
		}
		s.floor[p] = w.floorOf(v)
		_, s.ceil[p] = w.ownLate(v)
		s.predOff[p] = k
		s.minPred[p] = int32(p)
		for e := w.predOff[v]; e < w.predOff[v+1]; e++ {
			from := w.pos[w.in[e].From]
			s.predFrom[k] = from
			s.predWt[k] = weight(&w.in[e], w.Dur)
			s.predEdge[k] = e
			s.succOff[from+1]++
			s.minPred[p] = min(s.minPred[p], from)
			k++
		}
		if fixed {
			s.fwdOff[p] = s.predOff[p]
			if w.actual[v] != NoTime {
				s.floor[p] = w.actual[v]
				s.fwdOff[p] = k
			}
		}
	}
	s.predOff[n] = k
	for p := range n {
		s.succOff[p+1] += s.succOff[p]
	}
	// Fill the successor lists in the order of the predecessor arrays;
	// succOff[p] runs ahead during the fill and is shifted back after.
	for p := range n {
		s.maxSucc[p] = int32(p)
	}
	for p := range n {
		for k := s.predOff[p]; k < s.predOff[p+1]; k++ {
			from := s.predFrom[k]
			j := s.succOff[from]
			s.succOff[from]++
			s.succTo[j], s.succWt[j], s.succPred[j] = int32(p), s.predWt[k], k
			s.predSucc[k] = j
			s.maxSucc[from] = max(s.maxSucc[from], int32(p))
		}
	}
	copy(s.succOff[1:], s.succOff[:n])
	s.succOff[0] = 0
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
		ef = max(ef, s.es[q]+s.dur[q])
	}
	return ef
}

// forward recomputes early starts from position p0 on and returns how many
// tasks it visited. p0 is always visited and always passes the change on
// (its duration, hence its links' distances, changed); any other task
// passes it on only when its early start moved.
func (w *Network) forward(p0 int32) int {
	s := w.inc
	es, floor, dur := s.es, s.floor, s.dur
	predOff, fwdOff, predFrom, predWt := s.predOff, s.fwdOff, s.predFrom, s.predWt
	succOff, succTo, maxSucc := s.succOff, s.succTo, s.maxSucc
	dirty, blockEF := s.dirty, s.blockEF
	wes, order, alias := w.es, w.order, s.alias
	dirty[p0>>6] |= 1 << (p0 & 63)
	last := p0 // highest position marked dirty
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
	}
	wi := p0 >> 6
	for ; wi <= last>>6; wi++ {
		if dirty[wi] == 0 {
			continue
		}
		moved := false
		for dirty[wi] != 0 {
			b := bits.TrailingZeros64(dirty[wi])
			dirty[wi] &^= 1 << b
			q := wi<<6 + int32(b)
			visited++
			nes := floor[q]
			for k := fwdOff[q]; k < predOff[q+1]; k++ {
				nes = max(nes, es[predFrom[k]]+predWt[k])
			}
			if nes == es[q] && q != p0 {
				continue
			}
			es[q] = nes
			if !alias {
				wes[order[q]] = nes
			}
			moved = true
			for j := succOff[q]; j < succOff[q+1]; j++ {
				t := succTo[j]
				dirty[t>>6] |= 1 << (t & 63)
			}
			last = max(last, maxSucc[q])
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
		moved := false
		ef := int64(math.MinInt64)
		// Slices of the block's length let the compiler drop most bounds
		// checks from the loop.
		bfloor, bes, bdur, breach := floor[lo:hi], es[lo:hi], dur[lo:hi], maxSucc[lo:hi]
		bfrom, bto := fwdOff[lo:hi], predOff[lo+1:hi+1]
		bto = bto[:len(bfrom)]
		bes, bdur, breach = bes[:len(bfloor)], bdur[:len(bfloor)], breach[:len(bfloor)]
		bfrom = bfrom[:len(bfloor)]
		for i, nes := range bfloor {
			a, b := bfrom[i], bto[i]
			from, wt := predFrom[a:b], predWt[a:b]
			wt = wt[:len(from)]
			for k, f := range from {
				nes = max(nes, es[f]+wt[k])
			}
			if nes != bes[i] {
				bes[i] = nes
				if !alias {
					wes[order[lo+int32(i)]] = nes
				}
				moved = true
				last = max(last, breach[i])
			}
			ef = max(ef, nes+bdur[i])
		}
		visited += int(hi - lo)
		if moved {
			block(wi, ef)
		}
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

// backward recomputes tails and bounds from position p0 down; like
// forward, p0 always passes the change on to its predecessors, and the
// sweep turns dense the same way.
func (w *Network) backward(p0 int32) int {
	s := w.inc
	tail, bound, dur, ceil := s.tail, s.bound, s.dur, s.ceil
	predOff, predFrom, minPred := s.predOff, s.predFrom, s.minPred
	succOff, succTo, succWt := s.succOff, s.succTo, s.succWt
	wtail, wbound, order, alias := w.tail, w.bound, w.order, s.alias
	dirty := s.dirty
	dirty[p0>>6] |= 1 << (p0 & 63)
	first := p0 // lowest position marked dirty
	visited := 0
	// late is the tail and bound of position q from its successors'.
	late := func(q int32) (int64, int64) {
		t, bd := dur[q], ceil[q]
		for j := succOff[q]; j < succOff[q+1]; j++ {
			x, wt := succTo[j], succWt[j]
			t = max(t, tail[x]+wt)
			if bx := bound[x]; bx != math.MaxInt64 {
				bd = min(bd, bx-wt)
			}
		}
		return t, bd
	}
	wi := p0 >> 6
	for ; wi >= first>>6; wi-- {
		for dirty[wi] != 0 {
			b := 63 - bits.LeadingZeros64(dirty[wi])
			dirty[wi] &^= 1 << b
			q := wi<<6 + int32(b)
			visited++
			t, bd := late(q)
			if t == tail[q] && bd == bound[q] && q != p0 {
				continue
			}
			tail[q], bound[q] = t, bd
			if !alias {
				v := order[q]
				wtail[v], wbound[v] = t, bd
			}
			for k := predOff[q]; k < predOff[q+1]; k++ {
				f := predFrom[k]
				dirty[f>>6] |= 1 << (f & 63)
			}
			first = min(first, minPred[q])
		}
		if visited*pullDensity >= int(p0>>6+1-wi)*64 {
			wi--
			break
		}
	}
	for ; wi >= first>>6; wi-- {
		dirty[wi] = 0
		lo, hi := wi<<6, min(wi<<6+64, int32(len(tail)))
		for q := hi - 1; q >= lo; q-- {
			t, bd := late(q)
			if t != tail[q] || bd != bound[q] {
				tail[q], bound[q] = t, bd
				if !alias {
					v := order[q]
					wtail[v], wbound[v] = t, bd
				}
				first = min(first, minPred[q])
			}
		}
		visited += int(hi - lo)
	}
	return visited
}
