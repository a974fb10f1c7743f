package schedule

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"
)

// Distribution is how a three-point estimate is sampled.
type Distribution uint8

// Supported distributions.
const (
	Triangular Distribution = iota
	PERT                    // PERT-beta with shape 4 (mean (o + 4m + p) / 6)
)

// SimOptions tune Simulate. The result depends only on the inputs, Seed and
// Iterations, never on Workers or goroutine timing: iterations are split
// into fixed chunks, each with its own seed, and merged in chunk order.
type SimOptions struct {
	Iterations   int // default 1000
	Seed         uint64
	Workers      int // default GOMAXPROCS
	Distribution Distribution
}

// SimResult holds the percentiles of the project finish and of each
// milestone finish, in working minutes from the project start, and the
// criticality index of every task (the share of iterations in which it was
// on a critical path), indexed like the network.
type SimResult struct {
	Iterations  int
	Finish      Percentiles
	Milestones  []Percentiles // one per entry of the milestones argument
	Criticality []float64
}

// Percentiles of a finish, in working minutes.
type Percentiles struct {
	P50, P80, P95 int64
	Mean          float64
}

const simChunk = 64

// Simulate runs a Monte Carlo schedule risk analysis on the network:
// each iteration draws the duration of every task that has an estimate
// (estimates[v] nil keeps Dur[v]) and runs the forward and backward passes.
// milestones lists network task indexes whose finish is reported.
func (w *Network) Simulate(ctx context.Context, estimates []*Estimate, milestones []int, opt SimOptions) (*SimResult, error) {
	if len(estimates) != w.n {
		return nil, errors.New("schedule: one estimate (or nil) per task needed")
	}
	for _, m := range milestones {
		if m < 0 || m >= w.n {
			return nil, errors.New("schedule: milestone index out of range")
		}
	}
	for _, e := range estimates {
		if e != nil && (e.Optimistic < 0 || e.Optimistic > e.MostLikely || e.MostLikely > e.Pessimistic || e.Pessimistic > maxMinutes) {
			return nil, errors.New("schedule: an estimate needs 0 <= optimistic <= most likely <= pessimistic")
		}
	}
	iters := opt.Iterations
	if iters <= 0 {
		iters = 1000
	}
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	chunks := (iters + simChunk - 1) / simChunk
	finish := make([]int64, iters)
	msFinish := make([][]int64, len(milestones))
	for i := range msFinish {
		msFinish[i] = make([]int64, iters)
	}
	crit := make([][]int32, chunks) // per chunk counts, summed in order
	var next int
	var mu sync.Mutex
	var wg sync.WaitGroup
	var ctxErr error
	for range min(workers, chunks) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			dur := make([]int64, w.n)
			es := make([]int64, w.n)
			tail := make([]int64, w.n)
			for {
				mu.Lock()
				c := next
				next++
				if ctxErr == nil {
					ctxErr = ctx.Err()
				}
				stop := ctxErr != nil
				mu.Unlock()
				if c >= chunks || stop {
					return
				}
				counts := make([]int32, w.n)
				rng := rand.New(rand.NewPCG(opt.Seed, uint64(c)*0x9E3779B97F4A7C15+1))
				for it := c * simChunk; it < min(iters, (c+1)*simChunk); it++ {
					for v := range w.n {
						if e := estimates[v]; e != nil {
							dur[v] = sample(rng, e, opt.Distribution)
						} else {
							dur[v] = w.Dur[v]
						}
					}
					f := w.simPass(dur, es, tail)
					finish[it] = f
					for k, m := range milestones {
						msFinish[k][it] = es[m] + dur[m]
					}
					for v := range w.n {
						if es[v]+tail[v] == f {
							counts[v]++
						}
					}
				}
				crit[c] = counts
			}
		}()
	}
	wg.Wait()
	if ctxErr != nil {
		return nil, ctxErr
	}
	res := &SimResult{Iterations: iters, Finish: percentiles(finish), Criticality: make([]float64, w.n)}
	for _, f := range msFinish {
		res.Milestones = append(res.Milestones, percentiles(f))
	}
	for _, counts := range crit {
		for v, k := range counts {
			res.Criticality[v] += float64(k)
		}
	}
	for v := range res.Criticality {
		res.Criticality[v] /= float64(iters)
	}
	return res, nil
}

// simPass is the forward and backward pass on sampled durations, without
// date constraints (risk is about the network's own spread).
func (w *Network) simPass(dur, es, tail []int64) int64 {
	var f int64
	for _, v := range w.order {
		s := int64(0)
		if w.actual != nil && w.actual[v] != NoTime {
			s = w.actual[v]
		} else {
			in := w.in[w.predOff[v]:w.predOff[v+1]]
			for k := range in {
				e := &in[k]
				s = max(s, es[e.From]+weight(e, dur))
			}
		}
		es[v] = s
		f = max(f, s+dur[v])
	}
	copy(tail, dur)
	for i := len(w.order) - 1; i >= 0; i-- {
		v := w.order[i]
		t := tail[v]
		in := w.in[w.predOff[v]:w.predOff[v+1]]
		for k := range in {
			e := &in[k]
			tail[e.From] = max(tail[e.From], t+weight(e, dur))
		}
	}
	return f
}

func sample(rng *rand.Rand, e *Estimate, d Distribution) int64 {
	a, m, b := float64(e.Optimistic), float64(e.MostLikely), float64(e.Pessimistic)
	if b <= a {
		return e.MostLikely
	}
	var x float64
	if d == PERT {
		alpha := 1 + 4*(m-a)/(b-a)
		beta := 1 + 4*(b-m)/(b-a)
		g1, g2 := gamma(rng, alpha), gamma(rng, beta)
		x = a + (b-a)*g1/(g1+g2)
	} else {
		u := rng.Float64()
		fc := (m - a) / (b - a)
		if u < fc {
			x = a + math.Sqrt(u*(b-a)*(m-a))
		} else {
			x = b - math.Sqrt((1-u)*(b-a)*(b-m))
		}
	}
	return int64(math.Round(x))
}

// gamma draws from Gamma(k, 1), k >= 1 (Marsaglia and Tsang).
func gamma(rng *rand.Rand, k float64) float64 {
	d := k - 1.0/3
	c := 1 / math.Sqrt(9*d)
	for {
		x := rng.NormFloat64()
		v := 1 + c*x
		if v <= 0 {
			continue
		}
		v = v * v * v
		u := rng.Float64()
		if math.Log(u) < 0.5*x*x+d-d*v+d*math.Log(v) {
			return d * v
		}
	}
}

func percentiles(xs []int64) Percentiles {
	s := slices.Clone(xs)
	slices.Sort(s)
	at := func(q float64) int64 {
		i := int(math.Ceil(q*float64(len(s)))) - 1
		return s[max(0, min(i, len(s)-1))]
	}
	var sum float64
	for _, x := range s {
		sum += float64(x)
	}
	return Percentiles{P50: at(0.50), P80: at(0.80), P95: at(0.95), Mean: sum / float64(len(s))}
}
