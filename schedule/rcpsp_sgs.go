package schedule

// Schedule generation schemes (SGS) for the RCPSP: the serial SGS decodes an
// activity list, the parallel SGS schedules by a priority rule, and
// forward-backward improvement (double justification) re-decodes a schedule
// right- then left-justified. The decoder keeps the resource profile as a
// time-indexed array of remaining capacities and allocates nothing per
// decoding once warm.

import (
	"fmt"
	"math/rand/v2"
)

// PriorityRule names a priority rule of the schedule generation schemes.
type PriorityRule int

// The priority rules. Ties are broken by the lower activity index.
const (
	PriorityLFT  PriorityRule = iota // minimum latest finish time (without resources)
	PriorityLST                      // minimum latest start time
	PriorityMSLK                     // minimum total float (slack)
	PriorityMTS                      // most total (transitive) successors
	PriorityGRPW                     // greatest rank positional weight: own plus immediate successors' durations
	PrioritySPT                      // shortest processing time
	PriorityLPT                      // longest processing time
)

// PriorityRules lists every rule, in the order of the constants.
var PriorityRules = []PriorityRule{PriorityLFT, PriorityLST, PriorityMSLK, PriorityMTS, PriorityGRPW, PrioritySPT, PriorityLPT}

func (r PriorityRule) String() string {
	switch r {
	case PriorityLFT:
		return "LFT"
	case PriorityLST:
		return "LST"
	case PriorityMSLK:
		return "MSLK"
	case PriorityMTS:
		return "MTS"
	case PriorityGRPW:
		return "GRPW"
	case PrioritySPT:
		return "SPT"
	case PriorityLPT:
		return "LPT"
	}
	return fmt.Sprintf("PriorityRule(%d)", int(r))
}

// rcMaxMTS bounds the activity count for which MTS computes transitive
// successor sets exactly (n*n/8 bytes); above it MTS counts immediate successors.
const rcMaxMTS = 20000

// priorityKeys returns one key per activity of the model: smaller is scheduled first.
func (m *rcModel) priorityKeys(rule PriorityRule) []int64 {
	keys := make([]int64, m.n)
	for i := 0; i < m.n; i++ {
		var v int64
		switch rule {
		case PriorityLFT:
			v = int64(m.ls[i]) + int64(m.dur[i])
		case PriorityLST:
			v = int64(m.ls[i])
		case PriorityMSLK:
			v = int64(m.ls[i]) - int64(m.es[i])
		case PriorityGRPW:
			v = int64(m.dur[i])
			for a := m.succOff[i]; a < m.succOff[i+1]; a++ {
				v += int64(m.dur[m.succTo[a]])
			}
			v = -v
		case PrioritySPT:
			v = int64(m.dur[i])
		case PriorityLPT:
			v = -int64(m.dur[i])
		case PriorityMTS:
			v = -int64(m.succOff[i+1] - m.succOff[i])
		}
		keys[i] = v
	}
	if rule == PriorityMTS && m.n <= rcMaxMTS {
		words := (m.n + 63) / 64
		set := make([]uint64, m.n*words)
		for h := len(m.topo) - 1; h >= 0; h-- {
			v := int(m.topo[h])
			row := set[v*words : (v+1)*words]
			for a := m.succOff[v]; a < m.succOff[v+1]; a++ {
				w := int(m.succTo[a])
				row[w/64] |= 1 << (w % 64)
				for x, b := range set[w*words : (w+1)*words] {
					row[x] |= b
				}
			}
		}
		for v := 0; v < m.n; v++ {
			c := 0
			for _, b := range set[v*words : (v+1)*words] {
				c += rcPopcount(b)
			}
			keys[v] = -int64(c)
		}
	}
	return keys
}

func rcPopcount(x uint64) int {
	c := 0
	for x != 0 {
		x &= x - 1
		c++
	}
	return c
}

// rcMaxBiased bounds the activity count for regret-based biased sampling.
const rcMaxBiased = 2000

// rcDecoder holds the working memory of the schemes for one model. It is not
// safe for concurrent use; each worker has its own.
type rcDecoder struct {
	m       *rcModel
	avail   []int32 // remaining capacity, period t resource r at t*k+r
	hor     int     // periods in avail
	touched int     // periods modified since the last reset

	start  []int32 // scratch starts (model indexes)
	bstart []int32 // backward starts
	list   []int32 // scratch activity list
	keys   []int64
	indeg  []int32
	heap   []int32
	utilv  []float64
	fin    []int32 // finish-time heap of the parallel SGS
}

// util returns scratch of n float64s.
func (d *rcDecoder) util(n int) []float64 {
	if cap(d.utilv) < n {
		d.utilv = make([]float64, n)
	}
	return d.utilv[:n]
}

func rcNewDecoder(m *rcModel) *rcDecoder {
	d := &rcDecoder{m: m}
	d.grow(m.initHor)
	d.start = make([]int32, m.n)
	d.bstart = make([]int32, m.n)
	d.list = make([]int32, m.n)
	d.keys = make([]int64, m.n)
	d.indeg = make([]int32, m.n)
	d.heap = make([]int32, 0, m.n)
	return d
}

// grow extends the profile to at least h periods of full capacity.
func (d *rcDecoder) grow(h int) {
	if h <= d.hor {
		return
	}
	nh := max(h, 2*d.hor, 64)
	k := d.m.k
	av := make([]int32, nh*k)
	copy(av, d.avail)
	for t := d.hor; t < nh; t++ {
		copy(av[t*k:(t+1)*k], d.m.capac)
	}
	d.avail, d.hor = av, nh
}

func (d *rcDecoder) reset() {
	k := d.m.k
	for t := 0; t < d.touched; t++ {
		copy(d.avail[t*k:(t+1)*k], d.m.capac)
	}
	d.touched = 0
}

// earliestFit returns the earliest t >= from at which activity i fits the
// profile for its whole duration.
func (d *rcDecoder) earliestFit(m *rcModel, i int32, from int32) int32 {
	u0, u1 := m.useOff[i], m.useOff[i+1]
	dur := m.dur[i]
	if u0 == u1 {
		return from
	}
	k := int32(m.k)
	t := from
outer:
	for {
		end := t + dur
		if int(end) > d.hor {
			d.grow(int(end))
		}
		av := d.avail
		// Scan backwards: a conflict late in the window moves t further.
		for tau := end - 1; tau >= t; tau-- {
			row := tau * k
			for u := u0; u < u1; u++ {
				if av[row+m.useRes[u]] < m.useAmt[u] {
					t = tau + 1
					continue outer
				}
			}
		}
		return t
	}
}

// fitsAt reports whether activity i fits the profile when started at t.
func (d *rcDecoder) fitsAt(m *rcModel, i int32, t int32) bool {
	u0, u1 := m.useOff[i], m.useOff[i+1]
	end := t + m.dur[i]
	if u0 == u1 {
		return true
	}
	if int(end) > d.hor {
		d.grow(int(end))
	}
	k := int32(m.k)
	for tau := t; tau < end; tau++ {
		row := tau * k
		for u := u0; u < u1; u++ {
			if d.avail[row+m.useRes[u]] < m.useAmt[u] {
				return false
			}
		}
	}
	return true
}

func (d *rcDecoder) place(m *rcModel, i int32, t int32) {
	u0, u1 := m.useOff[i], m.useOff[i+1]
	if u0 == u1 {
		return
	}
	end := t + m.dur[i]
	k := int32(m.k)
	av := d.avail
	for tau := t; tau < end; tau++ {
		row := tau * k
		for u := u0; u < u1; u++ {
			av[row+m.useRes[u]] -= m.useAmt[u]
		}
	}
	d.touched = max(d.touched, int(end))
}

// serial decodes a precedence-feasible activity list of model m with the
// serial SGS into start and returns the makespan.
func (d *rcDecoder) serial(m *rcModel, list []int32, start []int32) int32 {
	d.reset()
	var ms int32
	for _, i := range list {
		es := int32(0)
		for a := m.predOff[i]; a < m.predOff[i+1]; a++ {
			es = max(es, start[m.predFro[a]]+m.predLag[a])
		}
		t := d.earliestFit(m, i, es)
		d.place(m, i, t)
		start[i] = t
		ms = max(ms, t+m.dur[i])
	}
	return ms
}

// orderByKey writes into out the precedence-feasible activity list of model m
// that takes, among the activities whose predecessors are all listed, the one
// with the smallest key (ties: lower index).
func (d *rcDecoder) orderByKey(m *rcModel, keys []int64, out []int32) {
	n := m.n
	h := d.heap[:0]
	less := func(a, b int32) bool {
		return keys[a] < keys[b] || keys[a] == keys[b] && a < b
	}
	push := func(v int32) {
		h = append(h, v)
		j := len(h) - 1
		for j > 0 {
			p := (j - 1) / 2
			if !less(h[j], h[p]) {
				break
			}
			h[j], h[p] = h[p], h[j]
			j = p
		}
	}
	pop := func() int32 {
		top := h[0]
		last := len(h) - 1
		h[0] = h[last]
		h = h[:last]
		j := 0
		for {
			l, r, s := 2*j+1, 2*j+2, j
			if l < len(h) && less(h[l], h[s]) {
				s = l
			}
			if r < len(h) && less(h[r], h[s]) {
				s = r
			}
			if s == j {
				break
			}
			h[j], h[s] = h[s], h[j]
			j = s
		}
		return top
	}
	for i := 0; i < n; i++ {
		d.indeg[i] = m.predOff[i+1] - m.predOff[i]
		if d.indeg[i] == 0 {
			push(int32(i))
		}
	}
	for c := 0; c < n; c++ {
		v := pop()
		out[c] = v
		for a := m.succOff[v]; a < m.succOff[v+1]; a++ {
			w := m.succTo[a]
			d.indeg[w]--
			if d.indeg[w] == 0 {
				push(w)
			}
		}
	}
	d.heap = h
}

// justify improves the forward schedule start (makespan ms, decoded from
// list) by one backward and one forward pass (double justification). It
// rewrites list to the list of the final forward schedule, start to that
// schedule, and returns its makespan. Two schedules are counted. The backward
// pass is the serial SGS, or with parBack the parallel SGS (same priorities:
// latest finish first), which packs the right end of the schedule differently;
// the forward pass is always serial, so the result is left-justified.
func (d *rcDecoder) justify(list []int32, start []int32, ms int32, parBack bool) int32 {
	m, b := d.m, d.m.bwd
	n := m.n
	// Backward list: latest finish first; ties keep the reverse list order.
	for p, i := range list {
		d.keys[i] = -int64(start[i]+m.dur[i])*int64(n+1) - int64(p)
	}
	d.orderByKey(b, d.keys, d.list)
	var bms int32
	if parBack {
		for p, i := range d.list {
			d.keys[i] = int64(p)
		}
		// parallel uses d.bstart as scratch: decode into d.start.
		bms = d.parallel(b, d.keys, d.start)
		copy(d.bstart, d.start)
		for p, i := range d.list {
			d.keys[i] = int64(d.bstart[i])*int64(n+1) + int64(p)
		}
		d.orderByKey(b, d.keys, d.list)
	} else {
		bms = d.serial(b, d.list, d.bstart)
	}
	// Back to forward time, then shift the virtual source (if any) to 0.
	shift := int32(0)
	if m.src >= 0 {
		shift = bms - d.bstart[m.src] - m.dur[m.src]
	}
	for p, i := range d.list {
		s := bms - d.bstart[i] - m.dur[i] - shift
		d.bstart[i] = s
		d.keys[i] = int64(s)*int64(n+1) + int64(p)
	}
	d.orderByKey(m, d.keys, list)
	return d.serial(m, list, start)
}

// parallel schedules model m with the parallel SGS, picking among the
// activities eligible at each decision time the one with the smallest key.
func (d *rcDecoder) parallel(m *rcModel, keys []int64, start []int32) int32 {
	d.reset()
	n := m.n
	const unscheduled = -1 << 30
	es := d.bstart // earliest start from scheduled predecessors
	ready := d.heap[:0]
	for i := 0; i < n; i++ {
		start[i] = unscheduled
		es[i] = 0
		d.indeg[i] = m.predOff[i+1] - m.predOff[i]
		if d.indeg[i] == 0 {
			ready = append(ready, int32(i))
		}
	}
	var t, ms int32
	fin := d.fin[:0] // finish times of started activities, a min-heap
	left := n
	for left > 0 {
		progressed := true
		for progressed {
			progressed = false
			best := -1
			for x, i := range ready {
				if es[i] > t {
					continue
				}
				if best >= 0 {
					b := ready[best]
					if keys[i] > keys[b] || keys[i] == keys[b] && i > b {
						continue
					}
				}
				if !d.fitsAt(m, i, t) {
					continue
				}
				best = x
			}
			if best < 0 {
				break
			}
			i := ready[best]
			ready[best] = ready[len(ready)-1]
			ready = ready[:len(ready)-1]
			d.place(m, i, t)
			start[i] = t
			ms = max(ms, t+m.dur[i])
			if m.dur[i] > 0 {
				fin = rcPushMin(fin, t+m.dur[i])
			}
			left--
			progressed = true
			for a := m.succOff[i]; a < m.succOff[i+1]; a++ {
				w := m.succTo[a]
				es[w] = max(es[w], t+m.succLag[a])
				d.indeg[w]--
				if d.indeg[w] == 0 {
					ready = append(ready, w)
				}
			}
		}
		if left == 0 {
			break
		}
		// Next decision time: the next finish or the next earliest start.
		next := int32(1<<31 - 1)
		for len(fin) > 0 && fin[0] <= t {
			fin = rcPopMin(fin)
		}
		if len(fin) > 0 {
			next = fin[0]
		}
		for _, i := range ready {
			if es[i] > t {
				next = min(next, es[i])
			}
		}
		if next == 1<<31-1 {
			next = t + 1 // unreachable for a valid problem; keeps the loop finite
		}
		t = next
	}
	d.heap, d.fin = ready, fin
	return ms
}

// rcBiasedList writes into out a random precedence-feasible list drawn by
// regret-based biased random sampling on the keys (smaller is better): among
// eligible activities, j is drawn with weight (max key - key_j + 1)^2.
func (d *rcDecoder) rcBiasedList(keys []int64, rng *rand.Rand, out []int32) {
	m := d.m
	n := m.n
	if n > rcMaxBiased {
		// Sampling is O(n^2); large networks get jittered keys instead.
		lo, hi := keys[0], keys[0]
		for _, k := range keys {
			lo, hi = min(lo, k), max(hi, k)
		}
		spread := (hi-lo)/8 + 1
		for i, k := range keys {
			d.keys[i] = k + rng.Int64N(spread)
		}
		d.orderByKey(m, d.keys, out)
		return
	}
	elig := d.heap[:0]
	for i := 0; i < n; i++ {
		d.indeg[i] = m.predOff[i+1] - m.predOff[i]
		if d.indeg[i] == 0 {
			elig = append(elig, int32(i))
		}
	}
	for c := 0; c < n; c++ {
		worst := keys[elig[0]]
		for _, i := range elig {
			worst = max(worst, keys[i])
		}
		var total float64
		for _, i := range elig {
			w := float64(worst-keys[i]) + 1
			total += w * w
		}
		x := rng.Float64() * total
		pick := len(elig) - 1
		for e, i := range elig {
			w := float64(worst-keys[i]) + 1
			x -= w * w
			if x < 0 {
				pick = e
				break
			}
		}
		v := elig[pick]
		elig[pick] = elig[len(elig)-1]
		elig = elig[:len(elig)-1]
		out[c] = v
		for a := m.succOff[v]; a < m.succOff[v+1]; a++ {
			w := m.succTo[a]
			d.indeg[w]--
			if d.indeg[w] == 0 {
				elig = append(elig, w)
			}
		}
	}
	d.heap = elig
}

// rcStarts converts model starts to problem starts (dropping the virtual
// source and shifting it to time 0).
func (m *rcModel) rcStarts(start []int32) []int {
	out := make([]int, m.real)
	shift := int32(0)
	if m.src >= 0 {
		shift = start[m.src]
	}
	for i := range out {
		out[i] = int(start[i] - shift)
	}
	return out
}

// PriorityList returns the precedence-feasible activity list that a rule
// induces: repeatedly the eligible activity (all arc predecessors listed) with
// the best priority.
func PriorityList(p *RCProblem, rule PriorityRule) ([]int, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	m := rcCompile(p)
	d := rcNewDecoder(m)
	d.orderByKey(m, m.priorityKeys(rule), d.list)
	out := make([]int, 0, m.real)
	for _, i := range d.list {
		if int(i) < m.real {
			out = append(out, int(i))
		}
	}
	return out, nil
}

// SerialSGS decodes an activity list with the serial schedule generation
// scheme: in list order, each activity starts at the earliest period at which
// its arcs and release allow it and resources suffice for its whole duration.
// The list must hold every activity once, after all its arc predecessors.
func SerialSGS(p *RCProblem, list []int) ([]int, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	m := rcCompile(p)
	if len(list) != m.real {
		return nil, fmt.Errorf("rcpsp: list of %d activities for %d", len(list), m.real)
	}
	d := rcNewDecoder(m)
	pos := make([]int, m.n)
	for i := range pos {
		pos[i] = -1
	}
	l := d.list[:0]
	if m.src >= 0 {
		l = append(l, int32(m.src))
	}
	for x, i := range list {
		if i < 0 || i >= m.real || pos[i] >= 0 {
			return nil, fmt.Errorf("rcpsp: list position %d: activity %d out of range or repeated", x, i)
		}
		pos[i] = x
		l = append(l, int32(i))
	}
	for i := 0; i < m.real; i++ {
		for a := m.predOff[i]; a < m.predOff[i+1]; a++ {
			if f := m.predFro[a]; int(f) < m.real && pos[f] > pos[i] {
				return nil, fmt.Errorf("rcpsp: activity %d is listed before its predecessor %d", i, f)
			}
		}
	}
	d.serial(m, l, d.start)
	return m.rcStarts(d.start), nil
}

// ParallelSGS schedules p with the parallel schedule generation scheme: at
// each decision time it starts, in priority order, every eligible activity
// that fits, then moves to the next finish time.
func ParallelSGS(p *RCProblem, rule PriorityRule) ([]int, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	m := rcCompile(p)
	d := rcNewDecoder(m)
	d.parallel(m, m.priorityKeys(rule), d.start)
	return m.rcStarts(d.start), nil
}

func rcPushMin(h []int32, v int32) []int32 {
	h = append(h, v)
	for j := len(h) - 1; j > 0; {
		p := (j - 1) / 2
		if h[p] <= h[j] {
			break
		}
		h[p], h[j] = h[j], h[p]
		j = p
	}
	return h
}

func rcPopMin(h []int32) []int32 {
	last := len(h) - 1
	h[0] = h[last]
	h = h[:last]
	for j := 0; ; {
		l, r, s := 2*j+1, 2*j+2, j
		if l < len(h) && h[l] < h[s] {
			s = l
		}
		if r < len(h) && h[r] < h[s] {
			s = r
		}
		if s == j {
			return h
		}
		h[j], h[s] = h[s], h[j]
		j = s
	}
}
