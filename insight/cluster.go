package insight

import (
	"math"
	"math/rand/v2"
	"sort"
)

// kmeansResult is one spherical k-means solution.
type kmeansResult struct {
	k      int
	assign []int
	sim    []float32 // cosine of each point to its centre
	cent   []float32 // k × d, unit rows
	obj    float64   // sum of cosines (higher is better)
}

// sphericalKMeans clusters the unit rows of x (n × d) into k groups by
// cosine, with k-means++ seeding, keeping the best of restarts runs.
func sphericalKMeans(x []float32, n, d, k, restarts, maxIter int, seed uint64, workers int) kmeansResult {
	if k > n {
		k = n
	}
	var best kmeansResult
	best.obj = math.Inf(-1)
	for r := 0; r < restarts; r++ {
		rng := rand.New(rand.NewPCG(seed, uint64(r)*0x9e3779b97f4a7c15+1))
		cent := seedPlusPlus(x, n, d, k, rng, workers)
		res := lloyd(x, n, d, k, cent, maxIter, workers)
		if res.obj > best.obj {
			best = res
		}
	}
	return best
}

// seedPlusPlus picks k initial centres by k-means++ on cosine distance.
func seedPlusPlus(x []float32, n, d, k int, rng *rand.Rand, workers int) []float32 {
	cent := make([]float32, 0, k*d)
	first := rng.IntN(n)
	cent = append(cent, x[first*d:(first+1)*d]...)
	dist := make([]float64, n)
	for i := range dist {
		dist[i] = math.Inf(1)
	}
	for c := 1; c < k; c++ {
		last := cent[(c-1)*d : c*d]
		sums := make([]float64, numChunks(n))
		forChunks(n, workers, func(ch, lo, hi int) {
			s := 0.0
			for i := lo; i < hi; i++ {
				dd := 1 - float64(dot32(last, x[i*d:(i+1)*d]))
				if dd < 0 {
					dd = 0
				}
				if dd < dist[i] {
					dist[i] = dd
				}
				s += dist[i] * dist[i]
			}
			sums[ch] = s
		})
		total := 0.0
		for _, s := range sums {
			total += s
		}
		pick := rng.IntN(n)
		if total > 0 {
			t := rng.Float64() * total
			for i, dd := range dist {
				t -= dd * dd
				if t <= 0 {
					pick = i
					break
				}
			}
		}
		cent = append(cent, x[pick*d:(pick+1)*d]...)
	}
	return cent
}

// assignAll gives each row its nearest centre by cosine.
func assignAll(x []float32, n, d int, cent []float32, k int, assign []int, sim []float32, workers int) float64 {
	parts := make([]float64, numChunks(n))
	forChunks(n, workers, func(ch, lo, hi int) {
		s := 0.0
		for i := lo; i < hi; i++ {
			row := x[i*d : (i+1)*d]
			bj, bs := 0, float32(math.Inf(-1))
			j := 0
			for ; j+4 <= k; j += 4 {
				v0, v1, v2, v3 := dot4(cent[j*d:(j+1)*d], cent[(j+1)*d:(j+2)*d], cent[(j+2)*d:(j+3)*d], cent[(j+3)*d:(j+4)*d], row)
				for q, v := range [4]float32{v0, v1, v2, v3} {
					if v > bs {
						bj, bs = j+q, v
					}
				}
			}
			for ; j < k; j++ {
				if v := dot32(row, cent[j*d:(j+1)*d]); v > bs {
					bj, bs = j, v
				}
			}
			assign[i], sim[i] = bj, bs
			s += float64(bs)
		}
		parts[ch] = s
	})
	obj := 0.0
	for _, p := range parts {
		obj += p
	}
	return obj
}

// centroids recomputes unit centres; an empty cluster is re-seeded with the
// point that fits its own centre worst.
func centroids(x []float32, n, d, k int, assign []int, sim []float32, workers int) []float32 {
	nc := numChunks(n)
	parts := make([][]float64, nc)
	forChunks(n, workers, func(ch, lo, hi int) {
		p := make([]float64, k*d)
		for i := lo; i < hi; i++ {
			c := assign[i]
			dst := p[c*d : (c+1)*d]
			for t, v := range x[i*d : (i+1)*d] {
				dst[t] += float64(v)
			}
		}
		parts[ch] = p
	})
	sum := make([]float64, k*d)
	for _, p := range parts {
		for i, v := range p {
			sum[i] += v
		}
	}
	cent := make([]float32, k*d)
	used := map[int]bool{}
	for c := 0; c < k; c++ {
		for t := 0; t < d; t++ {
			cent[c*d+t] = float32(sum[c*d+t])
		}
		if !normalize32(cent[c*d : (c+1)*d]) {
			worst, ws := -1, float32(2)
			for i := 0; i < n; i++ {
				if sim[i] < ws && !used[i] {
					worst, ws = i, sim[i]
				}
			}
			if worst >= 0 {
				used[worst] = true
				copy(cent[c*d:(c+1)*d], x[worst*d:(worst+1)*d])
			}
		}
	}
	return cent
}

func lloyd(x []float32, n, d, k int, cent []float32, maxIter, workers int) kmeansResult {
	assign := make([]int, n)
	sim := make([]float32, n)
	other := make([]float32, n)
	// The bounds need the longest row (1 for unit rows, up to rounding).
	norm := 0.0
	for i := range n {
		s := 0.0
		for _, v := range x[i*d : (i+1)*d] {
			s += float64(v) * float64(v)
		}
		norm = max(norm, math.Sqrt(s))
	}
	obj := assignBounded(x, n, d, cent, nil, k, assign, sim, other, norm, workers)
	for it := 0; it < maxIter; it++ {
		next := centroids(x, n, d, k, assign, sim, workers)
		nobj := assignBounded(x, n, d, next, cent, k, assign, sim, other, norm, workers)
		cent = next
		if nobj-obj <= 1e-5*math.Abs(obj) {
			obj = nobj
			break
		}
		obj = nobj
	}
	next := centroids(x, n, d, k, assign, sim, workers)
	obj = assignBounded(x, n, d, next, cent, k, assign, sim, other, norm, workers)
	return kmeansResult{k: k, assign: assign, sim: sim, cent: next, obj: obj}
}

// boundSlack covers the rounding of the float32 cosines in the bounds of
// assignBounded: a row keeps its centre without a full scan only when its
// centre wins by more than this.
const boundSlack = 1e-4

// assignBounded is assignAll for the Lloyd iterations, with the bounds of
// Hamerly's k-means: it gives the same assignments, cosines and objective,
// bit for bit, but skips the scan of all centres for rows whose centre
// surely still wins. A row's cosine to a centre that moved by δ (Euclidean)
// changes by at most δ·|x| (norm is the longest row), so with sim[i] its cosine to its old
// centre and other[i] an upper bound of its cosine to every other old
// centre, the row keeps its centre when sim[i] − δ(own) beats other[i] +
// max δ(others) by more than boundSlack; then only the cosine to its own
// centre is computed, by the kernel assignAll uses for that centre. prev
// holds the previous centres (nil: scan every row); other is updated.
func assignBounded(x []float32, n, d int, cent, prev []float32, k int, assign []int, sim, other []float32, norm float64, workers int) float64 {
	var drift []float64
	top1, top2 := 0.0, 0.0 // the two largest drifts
	arg1 := -1
	if prev != nil {
		drift = make([]float64, k)
		for c := range k {
			s := 0.0
			for t, v := range cent[c*d : (c+1)*d] {
				e := float64(v) - float64(prev[c*d+t])
				s += e * e
			}
			drift[c] = math.Sqrt(s) * norm
			switch {
			case drift[c] > top1:
				top2, top1, arg1 = top1, drift[c], c
			case drift[c] > top2:
				top2 = drift[c]
			}
		}
	}
	k4 := k / 4 * 4 // centres below k4 are scored by dot4, the rest by dot32
	parts := make([]float64, numChunks(n))
	forChunks(n, workers, func(ch, lo, hi int) {
		s := 0.0
		for i := lo; i < hi; i++ {
			row := x[i*d : (i+1)*d]
			if prev != nil {
				a := assign[i]
				others := top1
				if a == arg1 {
					others = top2
				}
				lower := float64(sim[i]) - drift[a]
				upper := float64(other[i]) + others
				if lower-upper > boundSlack {
					var v float32
					if a < k4 {
						v = dotSeq(cent[a*d:(a+1)*d], row)
					} else {
						v = dot32(row, cent[a*d:(a+1)*d])
					}
					sim[i] = v
					other[i] = float32(upper + 1e-6)
					s += float64(v)
					continue
				}
			}
			bj, bs, second := 0, float32(math.Inf(-1)), float32(math.Inf(-1))
			j := 0
			for ; j < k4; j += 4 {
				v0, v1, v2, v3 := dot4(cent[j*d:(j+1)*d], cent[(j+1)*d:(j+2)*d], cent[(j+2)*d:(j+3)*d], cent[(j+3)*d:(j+4)*d], row)
				for q, v := range [4]float32{v0, v1, v2, v3} {
					if v > bs {
						bj, bs, second = j+q, v, bs
					} else if v > second {
						second = v
					}
				}
			}
			for ; j < k; j++ {
				if v := dot32(row, cent[j*d:(j+1)*d]); v > bs {
					bj, bs, second = j, v, bs
				} else if v > second {
					second = v
				}
			}
			assign[i], sim[i], other[i] = bj, bs, second
			s += float64(bs)
		}
		parts[ch] = s
	})
	obj := 0.0
	for _, p := range parts {
		obj += p
	}
	return obj
}

// sampleRows returns up to m distinct row indexes of [0, n), sorted.
func sampleRows(n, m int, seed uint64) []int {
	if m >= n {
		idx := make([]int, n)
		for i := range idx {
			idx[i] = i
		}
		return idx
	}
	rng := rand.New(rand.NewPCG(seed, 77))
	idx := rng.Perm(n)[:m]
	sort.Ints(idx)
	return idx
}

func gatherRows(x []float32, d int, idx []int) []float32 {
	out := make([]float32, len(idx)*d)
	for i, r := range idx {
		copy(out[i*d:(i+1)*d], x[r*d:(r+1)*d])
	}
	return out
}
