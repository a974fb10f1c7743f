package schedule

// Resource-constrained project scheduling (RCPSP): the problem, its
// validation, a verifier for levelled schedules and the compiled model that the
// schedule generation schemes in rcpsp_sgs.go and the search in level.go run on.
//
// Everything here is self-contained (helpers are prefixed rc...) so that it
// does not depend on the CPM and calendar code of the rest of the package.

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Arc says Start[To] >= Start[From] + Lag (all link types reduce to this, in
// integer periods). A finish-to-start link with lag l from a to b is
// Arc{a, b, Durations[a] + l}; negative lags are minimum lags like any other.
type Arc struct{ From, To, Lag int }

// RCProblem is a single-mode resource-constrained project scheduling problem
// with renewable resources and minimum time lags.
type RCProblem struct {
	Durations  []int   // per activity, integer periods
	Arcs       []Arc   // minimum time lags between starts; the graph must be acyclic
	Release    []int   // optional earliest start per activity (nil = 0)
	Demands    [][]int // [activity][resource], per period while the activity runs
	Capacities []int   // per resource, per period
}

// Limits that keep the int32 arithmetic of the engine exact and its memory
// bounded. The horizon limit applies to the crude bound
// sum(durations) + sum(positive lags) + max(release).
const (
	rcMaxValue   = 1 << 30
	rcMaxHorizon = 1 << 26
)

// Validate reports the first problem that makes p unschedulable or out of
// range: mismatched lengths, negative durations, demands or capacities, a
// demand above the capacity of its resource, an arc to an unknown activity, or
// a cycle among the arcs (the error names the activities on it).
func (p *RCProblem) Validate() error {
	if p == nil {
		return errors.New("rcpsp: nil problem")
	}
	n, k := len(p.Durations), len(p.Capacities)
	if p.Release != nil && len(p.Release) != n {
		return fmt.Errorf("rcpsp: %d release dates for %d activities", len(p.Release), n)
	}
	if p.Demands != nil && len(p.Demands) != n {
		return fmt.Errorf("rcpsp: %d demand rows for %d activities", len(p.Demands), n)
	}
	for r, c := range p.Capacities {
		if c < 0 || c > rcMaxValue {
			return fmt.Errorf("rcpsp: resource %d: capacity %d out of range [0, %d]", r, c, rcMaxValue)
		}
	}
	var horizon, maxRel int64
	for i, d := range p.Durations {
		if d < 0 || d > rcMaxValue {
			return fmt.Errorf("rcpsp: activity %d: duration %d out of range [0, %d]", i, d, rcMaxValue)
		}
		horizon += int64(d)
		if p.Release != nil {
			r := p.Release[i]
			if r < 0 || r > rcMaxValue {
				return fmt.Errorf("rcpsp: activity %d: release %d out of range [0, %d]", i, r, rcMaxValue)
			}
			maxRel = max(maxRel, int64(r))
		}
		if p.Demands != nil {
			row := p.Demands[i]
			if row != nil && len(row) != k {
				return fmt.Errorf("rcpsp: activity %d: %d demands for %d resources", i, len(row), k)
			}
			for r, q := range row {
				if q < 0 {
					return fmt.Errorf("rcpsp: activity %d: negative demand %d of resource %d", i, q, r)
				}
				if q > p.Capacities[r] {
					return fmt.Errorf("rcpsp: activity %d needs %d of resource %d, whose capacity is %d", i, q, r, p.Capacities[r])
				}
			}
		}
	}
	for a, arc := range p.Arcs {
		if arc.From < 0 || arc.From >= n || arc.To < 0 || arc.To >= n {
			return fmt.Errorf("rcpsp: arc %d (%d -> %d): activity out of range [0, %d)", a, arc.From, arc.To, n)
		}
		if arc.Lag < -rcMaxValue || arc.Lag > rcMaxValue {
			return fmt.Errorf("rcpsp: arc %d (%d -> %d): lag %d out of range", a, arc.From, arc.To, arc.Lag)
		}
		if arc.Lag > 0 {
			horizon += int64(arc.Lag)
		}
	}
	if horizon+maxRel > rcMaxHorizon {
		return fmt.Errorf("rcpsp: horizon bound %d periods exceeds the limit %d", horizon+maxRel, rcMaxHorizon)
	}
	if cyc := rcFindCycle(n, p.Arcs); cyc != nil {
		parts := make([]string, len(cyc))
		for i, v := range cyc {
			parts[i] = fmt.Sprint(v)
		}
		return fmt.Errorf("rcpsp: arcs form a cycle among activities %s", strings.Join(parts, " -> "))
	}
	return nil
}

// rcFindCycle returns the activities of one cycle (first repeated at the end),
// or nil when the arcs are acyclic.
func rcFindCycle(n int, arcs []Arc) []int {
	start := make([]int, n+1)
	for _, a := range arcs {
		start[a.From+1]++
	}
	for i := 0; i < n; i++ {
		start[i+1] += start[i]
	}
	to := make([]int, len(arcs))
	fill := slices.Clone(start[:n])
	for _, a := range arcs {
		to[fill[a.From]] = a.To
		fill[a.From]++
	}
	// Iterative DFS with colours: 0 new, 1 on the stack, 2 done.
	colour := make([]uint8, n)
	parent := make([]int, n)
	next := make([]int, n)
	for root := 0; root < n; root++ {
		if colour[root] != 0 {
			continue
		}
		colour[root] = 1
		parent[root] = -1
		next[root] = start[root]
		v := root
		for v >= 0 {
			if next[v] < start[v+1] {
				w := to[next[v]]
				next[v]++
				switch colour[w] {
				case 0:
					colour[w] = 1
					parent[w] = v
					next[w] = start[w]
					v = w
				case 1:
					cyc := []int{w}
					for u := v; u != w; u = parent[u] {
						cyc = append(cyc, u)
					}
					slices.Reverse(cyc[1:])
					return append(cyc, w)
				}
				continue
			}
			colour[v] = 2
			v = parent[v]
		}
	}
	return nil
}

// CheckLevelled verifies a schedule: one non-negative start per activity, no
// start before its release, every arc respected and no resource used above its
// capacity in any period. It returns nil or an error naming the first
// violation found.
func CheckLevelled(p *RCProblem, starts []int) error {
	n, k := len(p.Durations), len(p.Capacities)
	if len(starts) != n {
		return fmt.Errorf("rcpsp: %d starts for %d activities", len(starts), n)
	}
	end := 0
	for i, s := range starts {
		if s < 0 {
			return fmt.Errorf("rcpsp: activity %d starts at %d < 0", i, s)
		}
		if p.Release != nil && s < p.Release[i] {
			return fmt.Errorf("rcpsp: activity %d starts at %d before its release %d", i, s, p.Release[i])
		}
		end = max(end, s+p.Durations[i])
	}
	for _, a := range p.Arcs {
		if starts[a.To] < starts[a.From]+a.Lag {
			return fmt.Errorf("rcpsp: arc %d -> %d (lag %d) violated: starts %d and %d", a.From, a.To, a.Lag, starts[a.From], starts[a.To])
		}
	}
	if k == 0 || p.Demands == nil {
		return nil
	}
	// Difference arrays per resource: exact whatever the durations.
	diff := make([]int64, (end+1)*k)
	for i, row := range p.Demands {
		if p.Durations[i] == 0 {
			continue
		}
		for r, q := range row {
			diff[starts[i]*k+r] += int64(q)
			diff[(starts[i]+p.Durations[i])*k+r] -= int64(q)
		}
	}
	use := make([]int64, k)
	for t := 0; t < end; t++ {
		for r := 0; r < k; r++ {
			use[r] += diff[t*k+r]
			if use[r] > int64(p.Capacities[r]) {
				return fmt.Errorf("rcpsp: resource %d used %d > capacity %d in period %d", r, use[r], p.Capacities[r], t)
			}
		}
	}
	return nil
}

// rcModel is an RCProblem compiled for the schedule generation schemes: int32
// arrays, arcs in compressed rows by successor and by predecessor, release
// dates turned into arcs from a virtual source activity, and a topological
// order. The backward model (for justification) shares the activities and
// reverses the arcs.
type rcModel struct {
	n, k    int     // activities (with the virtual source, if any), resources
	real    int     // activities of the problem (n or n-1)
	src     int     // index of the virtual source, or -1
	dur     []int32 // per activity
	capac   []int32 // per resource
	useOff  []int32 // activity i uses useRes/useAmt[useOff[i]:useOff[i+1]]
	useRes  []int32
	useAmt  []int32
	predOff []int32 // arcs into i: predFrom/predLag[predOff[i]:predOff[i+1]]
	predFro []int32
	predLag []int32
	succOff []int32 // arcs out of i: succTo/succLag[succOff[i]:succOff[i+1]]
	succTo  []int32
	succLag []int32
	topo    []int32 // a topological order
	initHor int     // initial length of the resource profile, in periods

	// Filled by rcCompile on the forward model only.
	es, ls []int32 // earliest and latest starts without resources (w.r.t. cpLen)
	cpLen  int32   // critical path length
	bwd    *rcModel
}

// rcCompile builds the forward and backward models of a valid problem.
func rcCompile(p *RCProblem) *rcModel {
	n0, k := len(p.Durations), len(p.Capacities)
	arcs := p.Arcs
	src := -1
	n := n0
	if slices.ContainsFunc(p.Release, func(r int) bool { return r > 0 }) {
		src, n = n0, n0+1
		arcs = slices.Clone(arcs)
		for i, r := range p.Release {
			if r > 0 {
				arcs = append(arcs, Arc{src, i, r})
			}
		}
	}
	m := &rcModel{n: n, k: k, real: n0, src: src}
	m.dur = make([]int32, n)
	for i, d := range p.Durations {
		m.dur[i] = int32(d)
	}
	m.capac = make([]int32, k)
	for r, c := range p.Capacities {
		m.capac[r] = int32(c)
	}
	m.useOff = make([]int32, n+1)
	for i := 0; i < n; i++ {
		if i < n0 && p.Demands != nil && m.dur[i] > 0 {
			for r, q := range p.Demands[i] {
				if q > 0 {
					m.useRes = append(m.useRes, int32(r))
					m.useAmt = append(m.useAmt, int32(q))
				}
			}
		}
		m.useOff[i+1] = int32(len(m.useRes))
	}
	m.setArcs(arcs)
	m.es, m.ls, m.cpLen = m.cpm()

	b := &rcModel{n: n, k: k, real: n0, src: src, dur: m.dur, capac: m.capac,
		useOff: m.useOff, useRes: m.useRes, useAmt: m.useAmt}
	rev := make([]Arc, len(arcs))
	for i, a := range arcs {
		// S[To] - S[From] >= L  <=>  R[From] - R[To] >= L + d[To] - d[From],
		// with R the reversed start (time from the reversed origin).
		rev[i] = Arc{a.To, a.From, a.Lag + int(m.dur[a.To]) - int(m.dur[a.From])}
	}
	b.setArcs(rev)
	m.bwd = b
	return m
}

func (m *rcModel) setArcs(arcs []Arc) {
	n := m.n
	m.predOff = make([]int32, n+1)
	m.succOff = make([]int32, n+1)
	for _, a := range arcs {
		m.predOff[a.To+1]++
		m.succOff[a.From+1]++
	}
	for i := 0; i < n; i++ {
		m.predOff[i+1] += m.predOff[i]
		m.succOff[i+1] += m.succOff[i]
	}
	m.predFro = make([]int32, len(arcs))
	m.predLag = make([]int32, len(arcs))
	m.succTo = make([]int32, len(arcs))
	m.succLag = make([]int32, len(arcs))
	pf := slices.Clone(m.predOff[:n])
	sf := slices.Clone(m.succOff[:n])
	var hor int64
	posLag := make([]int32, n) // largest positive lag into each activity
	for _, a := range arcs {
		m.predFro[pf[a.To]], m.predLag[pf[a.To]] = int32(a.From), int32(a.Lag)
		pf[a.To]++
		m.succTo[sf[a.From]], m.succLag[sf[a.From]] = int32(a.To), int32(a.Lag)
		sf[a.From]++
		posLag[a.To] = max(posLag[a.To], int32(a.Lag))
	}
	for i := 0; i < n; i++ {
		hor += int64(m.dur[i]) + int64(posLag[i])
	}
	// The profile grows on demand; start with a modest size.
	m.initHor = int(min(hor+1, 1<<16))
	// Kahn's algorithm; the problem was validated acyclic.
	indeg := make([]int32, n)
	for i := 0; i < n; i++ {
		indeg[i] = m.predOff[i+1] - m.predOff[i]
	}
	m.topo = make([]int32, 0, n)
	for i := 0; i < n; i++ {
		if indeg[i] == 0 {
			m.topo = append(m.topo, int32(i))
		}
	}
	for h := 0; h < len(m.topo); h++ {
		v := m.topo[h]
		for a := m.succOff[v]; a < m.succOff[v+1]; a++ {
			w := m.succTo[a]
			indeg[w]--
			if indeg[w] == 0 {
				m.topo = append(m.topo, w)
			}
		}
	}
}

// cpm computes earliest and latest starts without resources.
func (m *rcModel) cpm() (es, ls []int32, cp int32) {
	es = make([]int32, m.n)
	for _, v := range m.topo {
		e := int32(0)
		for a := m.predOff[v]; a < m.predOff[v+1]; a++ {
			e = max(e, es[m.predFro[a]]+m.predLag[a])
		}
		es[v] = e
		cp = max(cp, e+m.dur[v])
	}
	ls = make([]int32, m.n)
	for h := len(m.topo) - 1; h >= 0; h-- {
		v := m.topo[h]
		l := cp - m.dur[v]
		for a := m.succOff[v]; a < m.succOff[v+1]; a++ {
			l = min(l, ls[m.succTo[a]]-m.succLag[a])
		}
		ls[v] = l
	}
	return es, ls, cp
}

// lowerBound is the larger of the critical path length and, per resource, the
// total work divided by the capacity (rounded up).
func (m *rcModel) lowerBound() int {
	lb := int64(m.cpLen)
	work := make([]int64, m.k)
	for i := 0; i < m.n; i++ {
		for u := m.useOff[i]; u < m.useOff[i+1]; u++ {
			work[m.useRes[u]] += int64(m.useAmt[u]) * int64(m.dur[i])
		}
	}
	for r, w := range work {
		if c := int64(m.capac[r]); c > 0 {
			lb = max(lb, (w+c-1)/c)
		}
	}
	return int(lb)
}

// CriticalPathBound returns the length of the longest path through the arcs
// and durations, ignoring resources (the usual RCPSP lower bound). p must be
// valid.
func (p *RCProblem) CriticalPathBound() int {
	return int(rcCompile(p).cpLen)
}
