package schedule

import (
	"context"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

func TestLevelTiny(t *testing.T) {
	p := rcTiny()
	res, err := Level(context.Background(), p, LevelOptions{Schedules: 200, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	if err := CheckLevelled(p, res.Starts); err != nil {
		t.Fatal(err)
	}
	if res.Makespan != 7 || res.LowerBound != 6 {
		t.Errorf("Makespan, LowerBound = %d, %d, want 7, 6", res.Makespan, res.LowerBound)
	}
	if res.Schedules <= 0 || res.Schedules > 200 {
		t.Errorf("Schedules = %d, want in (0, 200]", res.Schedules)
	}
}

func TestLevelEmptyAndInvalid(t *testing.T) {
	res, err := Level(context.Background(), &RCProblem{}, LevelOptions{})
	if err != nil || res.Makespan != 0 || len(res.Starts) != 0 {
		t.Errorf("empty problem: %+v, %v", res, err)
	}
	p := rcTiny()
	p.Arcs = append(p.Arcs, Arc{5, 0, 0})
	if _, err := Level(context.Background(), p, LevelOptions{}); err == nil {
		t.Error("cyclic problem: nil error")
	}
}

// TestLevelRandom checks the invariants on random problems with negative lags
// and releases: capacities, arcs, releases, makespan >= lower bound >= CP.
func TestLevelRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for c := 0; c < 150; c++ {
		p := rcRandom(rng, 1+rng.IntN(30), rng.IntN(4))
		res, err := Level(context.Background(), p, LevelOptions{Schedules: 120, Seed: int64(c)})
		if err != nil {
			t.Fatalf("case %d: %v", c, err)
		}
		rcCheckResult(t, p, res)
	}
}

func rcCheckResult(t *testing.T, p *RCProblem, res LevelResult) {
	t.Helper()
	if err := CheckLevelled(p, res.Starts); err != nil {
		t.Fatal(err)
	}
	ms := 0
	for i, s := range res.Starts {
		ms = max(ms, s+p.Durations[i])
	}
	if ms != res.Makespan {
		t.Fatalf("Makespan = %d, schedule ends at %d", res.Makespan, ms)
	}
	if res.Makespan < res.LowerBound || res.LowerBound < p.CriticalPathBound() {
		t.Fatalf("Makespan %d, LowerBound %d, critical path %d", res.Makespan, res.LowerBound, p.CriticalPathBound())
	}
}

// TestLevelDeterministic: the same seed and budget give the same schedule
// whatever the number of workers.
func TestLevelDeterministic(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	p := rcRandom(rng, 60, 3)
	var first LevelResult
	for _, w := range []int{1, 2, 3, 1} {
		res, err := Level(context.Background(), p, LevelOptions{Schedules: 600, Seed: 42, Workers: w})
		if err != nil {
			t.Fatal(err)
		}
		rcCheckResult(t, p, res)
		if w == 1 && first.Starts == nil {
			first = res
			continue
		}
		if res.Makespan != first.Makespan || res.Schedules != first.Schedules || !slices.Equal(res.Starts, first.Starts) {
			t.Errorf("Workers=%d: makespan %d after %d schedules, want %d after %d, same starts",
				w, res.Makespan, res.Schedules, first.Makespan, first.Schedules)
		}
	}
}

// TestLevelImproves: the search beats the best single priority rule on a
// harder random problem (a weak check that the search works at all).
func TestLevelImproves(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	p := rcRandom(rng, 80, 4)
	p.Release = nil
	bestRule := 1 << 30
	for _, rule := range PriorityRules {
		list, _ := PriorityList(p, rule)
		s, _ := SerialSGS(p, list)
		ms := 0
		for i := range s {
			ms = max(ms, s[i]+p.Durations[i])
		}
		bestRule = min(bestRule, ms)
	}
	res, err := Level(context.Background(), p, LevelOptions{Schedules: 2000, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	rcCheckResult(t, p, res)
	if res.Makespan > bestRule {
		t.Errorf("Level makespan %d worse than the best priority rule %d", res.Makespan, bestRule)
	}
	t.Logf("best rule %d, levelled %d, lower bound %d", bestRule, res.Makespan, res.LowerBound)
}

func TestLevelCancel(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	p := rcRandom(rng, 100, 4)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	res, err := Level(ctx, p, LevelOptions{Schedules: 1 << 30})
	if err != context.Canceled {
		t.Errorf("err = %v, want context.Canceled", err)
	}
	rcCheckResult(t, p, res) // the best schedule so far is still returned

	start := time.Now()
	res, err = Level(context.Background(), p, LevelOptions{Schedules: 1 << 30, TimeLimit: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("time limit 50ms took %v", d)
	}
	rcCheckResult(t, p, res)
}

// FuzzLevel builds a small problem from the input and checks the invariants
// of the levelled schedule.
func FuzzLevel(f *testing.F) {
	f.Add([]byte{3, 2, 5, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
	f.Add([]byte{10, 1, 200, 0, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 250, 240})
	f.Add([]byte{0})
	f.Fuzz(func(t *testing.T, data []byte) {
		next := func() int {
			if len(data) == 0 {
				return 0
			}
			v := int(data[0])
			data = data[1:]
			return v
		}
		n, k := next()%20, next()%4
		p := &RCProblem{Durations: make([]int, n), Demands: make([][]int, n), Capacities: make([]int, k)}
		for r := range p.Capacities {
			p.Capacities[r] = next() % 8
		}
		for i := 0; i < n; i++ {
			p.Durations[i] = next() % 6
			p.Demands[i] = make([]int, k)
			for r := range p.Demands[i] {
				p.Demands[i][r] = next() % (p.Capacities[r] + 1)
			}
			if i > 0 {
				b := next()
				if b%3 != 0 {
					p.Arcs = append(p.Arcs, Arc{b % i, i, b%7 - 3})
				}
			}
		}
		if next()%2 == 1 {
			p.Release = make([]int, n)
			for i := range p.Release {
				p.Release[i] = next() % 5
			}
		}
		res, err := Level(context.Background(), p, LevelOptions{Schedules: 40, Seed: int64(next()), Workers: 1})
		if err != nil {
			t.Fatal(err)
		}
		rcCheckResult(t, p, res)
	})
}

// BenchmarkSerialSGS measures one serial SGS decoding of a 120-activity,
// 4-resource random problem (the j120 size).
func BenchmarkSerialSGS(b *testing.B) {
	rng := rand.New(rand.NewPCG(3, 4))
	p := rcRandom(rng, 120, 4)
	p.Release = nil
	m := rcCompile(p)
	d := rcNewDecoder(m)
	d.orderByKey(m, m.priorityKeys(PriorityLFT), d.list)
	list := slices.Clone(d.list)
	b.ReportAllocs()
	for b.Loop() {
		d.serial(m, list, d.start)
	}
}

// BenchmarkLevel measures Level at 5,000 schedules on one worker.
func BenchmarkLevel(b *testing.B) {
	rng := rand.New(rand.NewPCG(3, 4))
	p := rcRandom(rng, 120, 4)
	p.Release = nil
	for b.Loop() {
		if _, err := Level(context.Background(), p, LevelOptions{Schedules: 5000, Seed: 1, Workers: 1}); err != nil {
			b.Fatal(err)
		}
	}
}
