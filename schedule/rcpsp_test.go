package schedule

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// rcTiny is a 6-activity problem (dummy source 0 and sink 5) whose optimum is
// 7: activities 1 and 3 cannot overlap (resource 0) and 1 precedes 4.
func rcTiny() *RCProblem {
	d := []int{0, 3, 2, 4, 2, 0}
	fs := func(a, b int) Arc { return Arc{a, b, d[a]} }
	return &RCProblem{
		Durations:  d,
		Arcs:       []Arc{fs(0, 1), fs(0, 2), fs(0, 3), fs(1, 4), fs(2, 5), fs(3, 5), fs(4, 5)},
		Demands:    [][]int{{0, 0}, {2, 1}, {1, 2}, {2, 0}, {1, 1}, {0, 0}},
		Capacities: []int{3, 2},
	}
}

// rcRandom draws a random valid problem: n activities, k resources, arcs from
// lower to higher indexes (so acyclic) with lags that may be negative, and
// optional releases.
func rcRandom(rng *rand.Rand, n, k int) *RCProblem {
	p := &RCProblem{Durations: make([]int, n), Demands: make([][]int, n), Capacities: make([]int, k)}
	for r := range p.Capacities {
		p.Capacities[r] = 1 + rng.IntN(10)
	}
	for i := 0; i < n; i++ {
		p.Durations[i] = rng.IntN(8)
		p.Demands[i] = make([]int, k)
		for r := range p.Demands[i] {
			if rng.IntN(2) == 0 {
				p.Demands[i][r] = rng.IntN(p.Capacities[r] + 1)
			}
		}
		for e := 0; e < 3 && i > 0; e++ {
			if rng.IntN(2) == 0 {
				from := rng.IntN(i)
				lag := p.Durations[from]
				switch rng.IntN(4) {
				case 0:
					lag = rng.IntN(5) - 3 // start-to-start with a negative or small lag
				case 1:
					lag += rng.IntN(3)
				}
				p.Arcs = append(p.Arcs, Arc{from, i, lag})
			}
		}
	}
	if rng.IntN(2) == 0 {
		p.Release = make([]int, n)
		for i := range p.Release {
			if rng.IntN(3) == 0 {
				p.Release[i] = rng.IntN(10)
			}
		}
	}
	return p
}

func TestRCValidate(t *testing.T) {
	tests := []struct {
		name string
		edit func(p *RCProblem)
		want string // "" = valid
	}{
		{"valid", func(p *RCProblem) {}, ""},
		{"cycle", func(p *RCProblem) { p.Arcs = append(p.Arcs, Arc{4, 1, 0}) }, "cycle among activities 1 -> 4 -> 1"},
		{"long cycle", func(p *RCProblem) { p.Arcs = append(p.Arcs, Arc{5, 0, -10}) }, "cycle among activities 0 -> "},
		{"self loop", func(p *RCProblem) { p.Arcs = append(p.Arcs, Arc{2, 2, 0}) }, "cycle among activities 2 -> 2"},
		{"over capacity", func(p *RCProblem) { p.Demands[3][1] = 5 }, "activity 3 needs 5 of resource 1, whose capacity is 2"},
		{"negative demand", func(p *RCProblem) { p.Demands[3][1] = -1 }, "activity 3: negative demand"},
		{"short demand row", func(p *RCProblem) { p.Demands[2] = []int{1} }, "activity 2: 1 demands for 2 resources"},
		{"negative duration", func(p *RCProblem) { p.Durations[2] = -1 }, "activity 2: duration -1"},
		{"arc range", func(p *RCProblem) { p.Arcs = append(p.Arcs, Arc{1, 9, 0}) }, "activity out of range"},
		{"release length", func(p *RCProblem) { p.Release = []int{1} }, "1 release dates for 6 activities"},
		{"negative release", func(p *RCProblem) { p.Release = []int{0, -1, 0, 0, 0, 0} }, "activity 1: release -1"},
		{"huge horizon", func(p *RCProblem) { p.Durations[1] = rcMaxHorizon + 1 }, "exceeds the limit"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := rcTiny()
			tt.edit(p)
			err := p.Validate()
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("Validate() = %v, want nil", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("Validate() = %v, want an error containing %q", err, tt.want)
			}
		})
	}
}

func TestCheckLevelled(t *testing.T) {
	p := rcTiny()
	good := []int{0, 0, 5, 3, 3, 7}
	if err := CheckLevelled(p, good); err != nil {
		t.Fatalf("CheckLevelled(optimum) = %v", err)
	}
	tests := []struct {
		name   string
		starts []int
		want   string
	}{
		{"overlap", []int{0, 0, 5, 2, 3, 7}, "resource 0 used 4 > capacity 3 in period 2"},
		{"arc", []int{0, 0, 5, 3, 2, 7}, "arc 1 -> 4 (lag 3) violated"},
		{"negative", []int{-1, 0, 5, 3, 3, 7}, "starts at -1"},
		{"length", []int{0}, "1 starts for 6 activities"},
	}
	for _, tt := range tests {
		if err := CheckLevelled(p, tt.starts); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: CheckLevelled = %v, want an error containing %q", tt.name, err, tt.want)
		}
	}
	p.Release = []int{0, 0, 6, 0, 0, 0}
	if err := CheckLevelled(p, good); err == nil || !strings.Contains(err.Error(), "before its release 6") {
		t.Errorf("release: CheckLevelled = %v", err)
	}
}

func TestRCSchemes(t *testing.T) {
	p := rcTiny()
	for _, rule := range PriorityRules {
		list, err := PriorityList(p, rule)
		if err != nil {
			t.Fatal(err)
		}
		starts, err := SerialSGS(p, list)
		if err != nil {
			t.Fatalf("%v: SerialSGS(%v): %v", rule, list, err)
		}
		if err := CheckLevelled(p, starts); err != nil {
			t.Errorf("%v: serial: %v", rule, err)
		}
		starts, err = ParallelSGS(p, rule)
		if err != nil {
			t.Fatal(err)
		}
		if err := CheckLevelled(p, starts); err != nil {
			t.Errorf("%v: parallel: %v", rule, err)
		}
	}
	// The serial SGS on the optimal order reaches the optimum.
	starts, err := SerialSGS(p, []int{0, 1, 3, 4, 2, 5})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := starts, []int{0, 0, 5, 3, 3, 7}; !equalInts(got, want) {
		t.Errorf("SerialSGS = %v, want %v", got, want)
	}
	if _, err := SerialSGS(p, []int{0, 4, 1, 3, 2, 5}); err == nil || !strings.Contains(err.Error(), "activity 4 is listed before its predecessor 1") {
		t.Errorf("SerialSGS(infeasible list) = %v", err)
	}
	if _, err := SerialSGS(p, []int{0, 1, 1, 3, 2, 5}); err == nil {
		t.Error("SerialSGS(repeated activity) = nil error")
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestRCSchemesRandom checks every scheme on random problems with negative
// lags and releases.
func TestRCSchemesRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for c := 0; c < 200; c++ {
		p := rcRandom(rng, 1+rng.IntN(25), rng.IntN(4))
		if err := p.Validate(); err != nil {
			t.Fatalf("case %d: %v", c, err)
		}
		for _, rule := range PriorityRules {
			list, err := PriorityList(p, rule)
			if err != nil {
				t.Fatal(err)
			}
			s, err := SerialSGS(p, list)
			if err != nil {
				t.Fatalf("case %d %v: %v", c, rule, err)
			}
			if err := CheckLevelled(p, s); err != nil {
				t.Fatalf("case %d %v serial: %v", c, rule, err)
			}
			if s, err = ParallelSGS(p, rule); err != nil {
				t.Fatal(err)
			}
			if err := CheckLevelled(p, s); err != nil {
				t.Fatalf("case %d %v parallel: %v", c, rule, err)
			}
		}
	}
}

func TestCriticalPathBound(t *testing.T) {
	p := rcTiny()
	if got := p.CriticalPathBound(); got != 5 {
		t.Errorf("CriticalPathBound = %d, want 5", got)
	}
	p.Release = []int{0, 0, 0, 9, 0, 0}
	if got := p.CriticalPathBound(); got != 13 {
		t.Errorf("with release: CriticalPathBound = %d, want 13", got)
	}
}

// TestRCJustifyRandom checks forward-backward improvement with a serial and
// with a parallel backward pass on random problems with negative lags and
// releases: the result is a levelled schedule, and its list decodes to it
// again (the search relies on both).
func TestRCJustifyRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for c := 0; c < 300; c++ {
		p := rcRandom(rng, 1+rng.IntN(30), rng.IntN(4))
		m := rcCompile(p)
		d := rcNewDecoder(m)
		list := make([]int32, m.n)
		start := make([]int32, m.n)
		again := make([]int32, m.n)
		for _, parBack := range []bool{false, true} {
			d.rcBiasedList(m.priorityKeys(PriorityLFT), rng, list)
			ms := d.serial(m, list, start)
			// Neither pass is guaranteed not to lengthen the schedule when
			// lags are negative (nor is the parallel one at all), so only
			// validity is checked here.
			got := d.justify(list, start, ms, parBack)
			// d.bstart holds the backward (right-justified) schedule in
			// forward time; with releases it may start before them (the
			// forward pass repairs that), so it is checked without.
			if m.src < 0 {
				if err := CheckLevelled(p, m.rcStarts(d.bstart)); err != nil {
					t.Fatalf("case %d parBack=%v: backward schedule: %v", c, parBack, err)
				}
			}
			if err := CheckLevelled(p, m.rcStarts(start)); err != nil {
				t.Fatalf("case %d parBack=%v: %v", c, parBack, err)
			}
			if d.serial(m, list, again) != got || !slices.Equal(again, start) {
				t.Fatalf("case %d parBack=%v: the list does not decode to the justified schedule", c, parBack)
			}
		}
	}
}
