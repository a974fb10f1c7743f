package schedule

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// randNet is a random acyclic network with everything SetDuration must
// carry through: all four link types, negative lags and lags in percent,
// date constraints, deadlines and actual starts. Task indexes are shuffled
// so that the topological order is not the index order (unless keepOrder).
type randNet struct {
	dur          []int64
	edges        []Edge
	ctype        []ConstraintType
	cat, dl, act []int64
	constrained  bool
}

func newRandNet(rng *rand.Rand, n, linksPer int, constrained, keepOrder, sink bool) *randNet {
	perm := make([]int32, n)
	for i := range perm {
		perm[i] = int32(i)
	}
	if !keepOrder {
		rng.Shuffle(n, func(i, j int) { perm[i], perm[j] = perm[j], perm[i] })
	}
	r := &randNet{dur: make([]int64, n), constrained: constrained}
	for v := range n {
		r.dur[v] = int64(rng.IntN(12)) * 60
	}
	for to := 1; to < n; to++ {
		for range rng.IntN(linksPer + 1) {
			from := to - 1 - rng.IntN(min(to, 8))
			if rng.IntN(6) == 0 {
				from = rng.IntN(to)
			}
			e := Edge{From: perm[from], To: perm[to], Type: LinkType(rng.IntN(4))}
			switch rng.IntN(4) {
			case 0:
				e.Lag = int32(rng.IntN(9)-4) * 60
			case 1:
				e.LagPct = int32(rng.IntN(5)-1) * 2500
			}
			r.edges = append(r.edges, e)
		}
	}
	if sink {
		// Every task follows the first (FS) and precedes the one before
		// last (FS or FF), which leads to the last with a long SS lag, so
		// that a change of the first task's duration moves every start and
		// one of the second-to-last's every tail through its FF links
		// while its own tail stays: both sweeps turn dense at once.
		for v := 1; v < n; v++ {
			r.edges = append(r.edges, Edge{From: perm[0], To: perm[v]})
			if v < n-2 {
				r.edges = append(r.edges, Edge{From: perm[v], To: perm[n-2], Type: LinkType(v%2) * FF})
			}
		}
		if n >= 3 {
			r.edges = append(r.edges, Edge{From: perm[n-2], To: perm[n-1], Type: SS, Lag: 100_000})
		}
	}
	if constrained {
		r.ctype = make([]ConstraintType, n)
		r.cat = make([]int64, n)
		r.dl = filled(n, NoTime)
		r.act = filled(n, NoTime)
		for v := range n {
			if rng.IntN(5) == 0 {
				r.ctype[v] = ConstraintType(rng.IntN(8))
				r.cat[v] = int64(rng.IntN(40)) * 60
			}
			if rng.IntN(8) == 0 {
				r.dl[v] = int64(rng.IntN(60)) * 60
			}
			if rng.IntN(15) == 0 {
				r.act[v] = int64(rng.IntN(20)) * 60
			}
		}
	}
	return r
}

// full schedules the network from scratch.
func (r *randNet) full(t *testing.T) *Network {
	t.Helper()
	w, err := NewNetwork(slices.Clone(r.dur), r.edges)
	if err != nil {
		t.Fatal(err)
	}
	if r.constrained {
		w.SetConstraints(r.ctype, r.cat, r.dl, r.act)
		w.Recompute()
	}
	return w
}

// sameSchedule fails unless every date, float and internal quantity of got
// equals want's.
func sameSchedule(t *testing.T, what string, got, want *Network) {
	t.Helper()
	if got.Finish() != want.Finish() {
		t.Fatalf("%s: finish %d, full recompute %d", what, got.Finish(), want.Finish())
	}
	for v := range want.Len() {
		if got.ES(v) != want.ES(v) || got.tail[v] != want.tail[v] || got.bound[v] != want.bound[v] ||
			got.LS(v) != want.LS(v) || got.EF(v) != want.EF(v) || got.FreeFloat(v) != want.FreeFloat(v) {
			t.Fatalf("%s: task %d: ES %d tail %d bound %d free %d, full recompute ES %d tail %d bound %d free %d",
				what, v, got.ES(v), got.tail[v], got.bound[v], got.FreeFloat(v), want.ES(v), want.tail[v], want.bound[v], want.FreeFloat(v))
		}
	}
}

// TestSetDurationEqualsRecompute applies sequences of random duration
// changes to random networks and compares the incremental result with a full
// recompute after every change. Sizes run from a few tasks to a few
// thousand, so that both the sparse sweep and the dense one (a change that
// reaches most positions) are exercised, on shuffled and on already ordered
// task indexes, with and without constraints, deadlines and actual starts.
func TestSetDurationEqualsRecompute(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 11))
	trials := 400
	if testing.Short() {
		trials = 60
	}
	for trial := range trials {
		n := 1 + rng.IntN(40)
		if trial%10 == 0 {
			n = 200 + rng.IntN(3000)
		}
		r := newRandNet(rng, n, 1+rng.IntN(3), trial%3 != 0, trial%4 == 0, trial%20 == 10)
		w := r.full(t)
		ops := 12
		for op := range ops {
			v := rng.IntN(n)
			// Often one of the first or last tasks of the order (long
			// reach forward or backward), else any.
			switch rng.IntN(3) {
			case 0:
				v = int(w.Order()[rng.IntN(min(n, 5))])
			case 1:
				v = int(w.Order()[n-1-rng.IntN(min(n, 5))])
			}
			d := int64(rng.IntN(15)) * 60
			if err := w.SetDuration(v, d); err != nil {
				t.Fatal(err)
			}
			r.dur[v] = d
			sameSchedule(t, "after SetDuration", w, r.full(t))
			if op == ops/2 && r.constrained {
				// New constraints and a direct change of Dur, then a full
				// recompute: the incremental state must follow.
				u := rng.IntN(n)
				r.ctype[u], r.cat[u] = SNET, int64(rng.IntN(40))*60
				r.dur[u] = int64(rng.IntN(15)) * 60
				w.Dur[u] = r.dur[u]
				w.SetConstraints(r.ctype, r.cat, r.dl, r.act)
				w.Recompute()
				sameSchedule(t, "after Recompute", w, r.full(t))
			}
		}
	}
}

// TestSetDurationGenerated runs the benchmark's worst case (task 0, which
// drives every other task) and spread changes on a generated portfolio, in
// index order (shared arrays), renumbered, and with some tasks under way,
// against full recomputes.
func TestSetDurationGenerated(t *testing.T) {
	dur, edges := genNetwork(6000, 2)
	perm := rand.New(rand.NewPCG(5, 5)).Perm(len(dur))
	pdur := make([]int64, len(dur))
	for v, d := range dur {
		pdur[perm[v]] = d
	}
	pedges := make([]Edge, len(edges))
	for i, e := range edges {
		e.From, e.To = int32(perm[e.From]), int32(perm[e.To])
		pedges[i] = e
	}
	for _, c := range []struct {
		name   string
		dur    []int64
		edges  []Edge
		task   func(int) int
		actual bool
	}{
		{"ordered", dur, edges, func(v int) int { return v }, false},
		{"renumbered", pdur, pedges, func(v int) int { return perm[v] }, false},
		{"actual starts", dur, edges, func(v int) int { return v }, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := &randNet{dur: slices.Clone(c.dur), edges: c.edges}
			if c.actual {
				// One task in 40 under way, started early: its links no
				// longer move it, inside blocks the dense sweep crosses.
				n := len(c.dur)
				r.constrained = true
				r.ctype, r.cat, r.dl, r.act = make([]ConstraintType, n), make([]int64, n), filled(n, NoTime), filled(n, NoTime)
				for v := 7; v < n; v += 40 {
					r.act[c.task(v)] = int64(v % 13 * 60)
				}
			}
			w := r.full(t)
			for i, v := range []int{0, 0, 1, 999, 1000, 2500, 5999, 0, 3001} {
				v = c.task(v)
				d := r.dur[v] + int64(i%3)*480 - 240
				if d < 0 {
					d = 0
				}
				if err := w.SetDuration(v, d); err != nil {
					t.Fatal(err)
				}
				r.dur[v] = d
				sameSchedule(t, c.name, w, r.full(t))
			}
		})
	}
}

// FuzzSetDuration applies a sequence of duration changes read from the
// input to a small constrained network and compares with a full recompute.
func FuzzSetDuration(f *testing.F) {
	f.Add(uint64(1), []byte{0, 5, 3, 0, 7, 1})
	f.Add(uint64(7), []byte{2, 0, 2, 9, 0, 0})
	f.Fuzz(func(t *testing.T, seed uint64, ops []byte) {
		rng := rand.New(rand.NewPCG(seed, 1))
		n := 1 + int(seed%97)
		r := newRandNet(rng, n, 2, seed%2 == 0, false, seed%3 == 0)
		w := r.full(t)
		for i := 0; i+1 < len(ops) && i < 40; i += 2 {
			v, d := int(ops[i])%n, int64(ops[i+1]%16)*60
			if err := w.SetDuration(v, d); err != nil {
				t.Fatal(err)
			}
			r.dur[v] = d
			sameSchedule(t, "after SetDuration", w, r.full(t))
		}
	})
}

// TestSetDurationWide covers link distances beyond 32 bits (durations of
// thousands of years of working minutes), which the incremental state does
// not store: SetDuration then recomputes in full, with the same result.
func TestSetDurationWide(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 8))
	r := newRandNet(rng, 300, 2, true, false, false)
	w := r.full(t)
	huge := int64(1) << 36
	for i, v := range []int{5, 5, 17, 17, 250} {
		d := r.dur[v] + huge
		if i%2 == 1 {
			d = 60 // back to small: the next call rebuilds the state, narrow again
		}
		if err := w.SetDuration(v, d); err != nil {
			t.Fatal(err)
		}
		r.dur[v] = d
		sameSchedule(t, "wide", w, r.full(t))
	}
	// Built wide from the start.
	r.dur[3] = huge
	w = r.full(t)
	for _, v := range []int{0, 3, 299} {
		if err := w.SetDuration(v, 120); err != nil {
			t.Fatal(err)
		}
		r.dur[v] = 120
		sameSchedule(t, "built wide", w, r.full(t))
	}
}

// TestSetDurationHubs changes tasks with many links whose own dates do not
// move, at the edge of a block of 64 positions: a start hub (the last task
// of a block, with FS links to every task of the next blocks) and a finish
// hub (the first of a block, with FF links from every task of the two
// blocks before, whose tail is set by a long SS lag to its successor, not by its
// duration). The change must still reach every linked task.
func TestSetDurationHubs(t *testing.T) {
	const n = 260
	dur := make([]int64, n)
	for v := range dur {
		dur[v] = int64(v%7+1) * 60
	}
	var edges []Edge
	for v := 64; v < 200; v++ {
		edges = append(edges, Edge{From: 63, To: int32(v)}) // start hub
	}
	for v := 0; v < 128; v++ {
		if v != 63 {
			edges = append(edges, Edge{From: int32(v), To: 128, Type: FF}) // finish hub
		}
	}
	edges = append(edges, Edge{From: 128, To: 259, Type: SS, Lag: 100_000})
	slices.SortFunc(edges, func(a, b Edge) int { return int(a.To - b.To) })
	r := &randNet{dur: dur, edges: edges}
	w := r.full(t)
	for _, c := range []struct{ v, d int }{{63, 600}, {63, 60}, {128, 900}, {128, 0}, {63, 0}} {
		if err := w.SetDuration(c.v, int64(c.d)); err != nil {
			t.Fatal(err)
		}
		r.dur[c.v] = int64(c.d)
		sameSchedule(t, fmt.Sprintf("SetDuration(%d, %d)", c.v, c.d), w, r.full(t))
	}
}
