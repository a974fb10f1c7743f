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
	obj := assignAll(x, n, d, cent, k, assign, sim, workers)
	for it := 0; it < maxIter; it++ {
		cent = centroids(x, n, d, k, assign, sim, workers)
		nobj := assignAll(x, n, d, cent, k, assign, sim, workers)
		if nobj-obj <= 1e-5*math.Abs(obj) {
			obj = nobj
			break
		}
		obj = nobj
	}
	cent = centroids(x, n, d, k, assign, sim, workers)
	obj = assignAll(x, n, d, cent, k, assign, sim, workers)
	return kmeansResult{k: k, assign: assign, sim: sim, cent: cent, obj: obj}
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
