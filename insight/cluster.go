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
	// Elkan's bounds take n × k floats; beyond maxBoundTable every
	// iteration scans all centres (same result).
	var upper []float32
	bounded := n*k <= maxBoundTable
	if bounded {
		upper = make([]float32, n*k)
	}
	// The bounds need the longest row (1 for unit rows, up to rounding).
	norm := 0.0
	for i := range n {
		s := 0.0
		for _, v := range x[i*d : (i+1)*d] {
			s += float64(v) * float64(v)
		}
		norm = max(norm, math.Sqrt(s))
	}
	obj := assignBounded(x, n, d, cent, nil, k, assign, sim, upper, norm, workers)
	for it := 0; it < maxIter; it++ {
		next := centroids(x, n, d, k, assign, sim, workers)
		prev := cent
		if !bounded {
			prev = nil
		}
		nobj := assignBounded(x, n, d, next, prev, k, assign, sim, upper, norm, workers)
		cent = next
		if nobj-obj <= 1e-5*math.Abs(obj) {
			obj = nobj
			break
		}
		obj = nobj
	}
	next := centroids(x, n, d, k, assign, sim, workers)
	if !bounded {
		cent = nil
	}
	obj = assignBounded(x, n, d, next, cent, k, assign, sim, upper, norm, workers)
	return kmeansResult{k: k, assign: assign, sim: sim, cent: next, obj: obj}
}

// maxBoundTable caps the rows × clusters tables of the k-means bounds and of
// the refinement's cosines (2^25 floats, 128 MB; the default 462 clusters on
// the 10,000-text sample take 4.6 million).
const maxBoundTable = 1 << 25

// boundSlack covers the rounding of the float32 cosines in the bounds of
// assignBounded: a centre is skipped only when its bound is below the row's
// cosine to its own centre by more than this.
const boundSlack = 1e-4

// assignBounded is assignAll for the Lloyd iterations, with the bounds of
// Elkan's k-means: it gives the same assignments, cosines and objective,
// bit for bit, but skips the centres that surely lose. upper (n × k) holds
// an upper bound of each row's cosine to each centre. A row's cosine to a
// centre that moved by δ (Euclidean) changes by at most δ·|x| (norm is the
// longest row), so after a move the bounds grow by the centres' drifts; the
// row's cosine to its own centre is computed exactly, and a group of four
// centres (the blocks of dot4 in assignAll) is scored only if one of their
// bounds comes within boundSlack of it. Scores come from the kernel
// assignAll uses for that centre, so they are the same floats. prev holds
// the previous centres (nil: score every centre); upper may be nil when
// prev is.
func assignBounded(x []float32, n, d int, cent, prev []float32, k int, assign []int, sim, upper []float32, norm float64, workers int) float64 {
	var drift []float32
	if prev != nil {
		drift = make([]float32, k)
		for c := range k {
			s := 0.0
			for t, v := range cent[c*d : (c+1)*d] {
				e := float64(v) - float64(prev[c*d+t])
				s += e * e
			}
			// Rounded up, so that the float32 bounds stay bounds.
			drift[c] = float32(math.Sqrt(s)*norm*(1+1e-6) + 1e-7)
		}
	}
	k4 := k / 4 * 4 // centres below k4 are scored by dot4, the rest by dot32
	score := func(row []float32, c int) float32 {
		if c < k4 {
			return dotSeq(cent[c*d:(c+1)*d], row)
		}
		return dot32(row, cent[c*d:(c+1)*d])
	}
	parts := make([]float64, numChunks(n))
	forChunks(n, workers, func(ch, lo, hi int) {
		s := 0.0
		var scratch []float32
		for i := lo; i < hi; i++ {
			row := x[i*d : (i+1)*d]
			var ub []float32
			if upper != nil {
				ub = upper[i*k : (i+1)*k]
			} else {
				if scratch == nil {
					scratch = make([]float32, k)
				}
				ub = scratch // no bounds kept: prev is nil, every centre is scored
			}
			bj, bs := 0, float32(math.Inf(-1))
			// better: whether centre j with cosine v wins over the best so
			// far (the first of equal cosines, as in assignAll).
			better := func(j int, v float32) bool { return v > bs || (v == bs && j < bj) }
			limit := float32(math.Inf(-1)) // bounds at or below it lose
			if prev != nil {
				for c, dc := range drift {
					ub[c] += dc
				}
				a := assign[i]
				bj, bs = a, score(row, a)
				ub[a] = bs
				limit = bs - boundSlack
			}
			j := 0
			for ; j < k4; j += 4 {
				if ub[j] <= limit && ub[j+1] <= limit && ub[j+2] <= limit && ub[j+3] <= limit {
					continue
				}
				v0, v1, v2, v3 := dot4(cent[j*d:(j+1)*d], cent[(j+1)*d:(j+2)*d], cent[(j+2)*d:(j+3)*d], cent[(j+3)*d:(j+4)*d], row)
				for q, v := range [4]float32{v0, v1, v2, v3} {
					ub[j+q] = v
					if better(j+q, v) {
						bj, bs = j+q, v
					}
				}
			}
			for ; j < k; j++ {
				if ub[j] <= limit {
					continue
				}
				v := dot32(row, cent[j*d:(j+1)*d])
				ub[j] = v
				if better(j, v) {
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
