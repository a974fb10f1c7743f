package insight

import "math"

// Over-clustering then merging: the theme stage may cluster at more than k
// clusters and merge them down to k (docs/insight.md, docs/BENCHMARKS.md).

// Merge criteria of mergeClusters.
const (
	mergeDMM      = 1 // the pair whose merge loses least DMM log-likelihood
	mergeAvgLink  = 2 // the pair of highest average cosine between members
	mergeWard     = 3 // the pair of least Ward cost (size-weighted centre distance)
	mergeGraph    = 4 // the pair of highest modularity gain on the kNN graph
	mergeDMMNorm  = 5 // DMM loss per text of the merged pair
	mergeDMMNoPri = 6 // DMM loss without the cluster-size (CRP) term
)

// mergeInput is what the criteria of mergeClusters need; each criterion
// reads only its part.
type mergeInput struct {
	docs  [][]int32 // word and bigram features per row (DMM)
	v     int       // number of such features
	alpha float64
	beta  float64
	vx    []float32 // unit rows (average link, Ward)
	d     int
	graph []int32 // kNN lists, rows × nn (modularity)
	nn    int
	prior float64 // weight of the cluster-size term of the DMM criteria (mergeDMMNoPri: 0)
}

// mergeClusters merges the non-empty clusters of assign (values in [0, kc))
// greedily, one pair at a time by the criterion, until k remain, and returns
// the rows' clusters renumbered 0..k-1 (fewer when fewer were non-empty).
func mergeClusters(in mergeInput, assign []int, kc, k, crit int) []int {
	n := len(assign)
	size := make([]float64, kc)
	for _, a := range assign {
		size[a]++
	}
	// Per-cluster statistics.
	var (
		cnt   []map[int32]float64 // DMM: feature counts
		nz    []float64           // DMM: feature total
		sum   [][]float64         // vector sums
		links [][]float64         // kNN edge weights between clusters
		deg   []float64           // kNN degrees
		twoM  float64
	)
	switch crit {
	case mergeDMM, mergeDMMNorm, mergeDMMNoPri:
		cnt = make([]map[int32]float64, kc)
		nz = make([]float64, kc)
		for c := range cnt {
			cnt[c] = map[int32]float64{}
		}
		for i, doc := range in.docs {
			a := assign[i]
			for _, w := range doc {
				cnt[a][w]++
			}
			nz[a] += float64(len(doc))
		}
	case mergeAvgLink, mergeWard:
		sum = make([][]float64, kc)
		for c := range sum {
			sum[c] = make([]float64, in.d)
		}
		for i := 0; i < n; i++ {
			s := sum[assign[i]]
			for t, v := range in.vx[i*in.d : (i+1)*in.d] {
				s[t] += float64(v)
			}
		}
	case mergeGraph:
		links = make([][]float64, kc)
		for c := range links {
			links[c] = make([]float64, kc)
		}
		deg = make([]float64, kc)
		for i := 0; i < n; i++ {
			for _, j := range in.graph[i*in.nn : (i+1)*in.nn] {
				if j < 0 {
					continue
				}
				a, b := assign[i], assign[j]
				links[a][b]++
				links[b][a]++
				deg[a]++
				deg[b]++
				twoM += 2
			}
		}
	}
	vb := float64(in.v) * in.beta
	lgB, _ := math.Lgamma(in.beta)
	lg := func(x float64) float64 { v, _ := math.Lgamma(x); return v }
	gain := func(a, b int) float64 {
		switch crit {
		case mergeDMM, mergeDMMNorm, mergeDMMNoPri:
			ca, cb := cnt[a], cnt[b]
			if len(cb) < len(ca) {
				ca, cb = cb, ca
			}
			g := 0.0
			for w, x := range ca {
				if y, ok := cb[w]; ok {
					g += lg(x+y+in.beta) - lg(x+in.beta) - lg(y+in.beta) + lgB
				}
			}
			g -= lg(nz[a]+nz[b]+vb) - lg(nz[a]+vb) - lg(nz[b]+vb)
			w := 1.0
			if crit == mergeDMMNoPri {
				w = in.prior
			}
			if w != 0 {
				g += w * (lg(size[a]+size[b]+in.alpha) - lg(size[a]+in.alpha) - lg(size[b]+in.alpha))
			}
			if crit == mergeDMMNorm {
				g /= size[a] + size[b]
			}
			return g
		case mergeAvgLink:
			return dot64(sum[a], sum[b]) / (size[a] * size[b])
		case mergeWard:
			dist := 0.0
			for t := range sum[a] {
				x := sum[a][t]/size[a] - sum[b][t]/size[b]
				dist += x * x
			}
			return -size[a] * size[b] / (size[a] + size[b]) * dist
		case mergeGraph:
			return links[a][b]/twoM*2 - 2*deg[a]*deg[b]/(twoM*twoM)
		}
		return 0
	}
	absorb := func(a, b int) { // a takes b
		switch crit {
		case mergeDMM, mergeDMMNorm, mergeDMMNoPri:
			for w, x := range cnt[b] {
				cnt[a][w] += x
			}
			cnt[b] = nil
			nz[a] += nz[b]
		case mergeAvgLink, mergeWard:
			for t, v := range sum[b] {
				sum[a][t] += v
			}
		case mergeGraph:
			for c := 0; c < kc; c++ {
				links[a][c] += links[b][c]
			}
			for c := 0; c < kc; c++ {
				links[c][a] = links[a][c]
			}
			deg[a] += deg[b]
		}
		size[a] += size[b]
		size[b] = 0
	}
	alive := []int{}
	for c := 0; c < kc; c++ {
		if size[c] > 0 {
			alive = append(alive, c)
		}
	}
	g := make([]float64, kc*kc)
	for x, a := range alive {
		for _, b := range alive[x+1:] {
			g[a*kc+b] = gain(a, b)
			g[b*kc+a] = g[a*kc+b]
		}
	}
	parent := make([]int, kc)
	for c := range parent {
		parent[c] = c
	}
	for len(alive) > k {
		ba, bb, bg := -1, -1, math.Inf(-1)
		for x, a := range alive {
			for _, b := range alive[x+1:] {
				if v := g[a*kc+b]; v > bg {
					ba, bb, bg = a, b, v
				}
			}
		}
		absorb(ba, bb)
		parent[bb] = ba
		next := alive[:0]
		for _, c := range alive {
			if c != bb {
				next = append(next, c)
			}
		}
		alive = next
		for _, c := range alive {
			if c != ba {
				g[ba*kc+c] = gain(ba, c)
				g[c*kc+ba] = g[ba*kc+c]
			}
		}
	}
	id := make([]int, kc)
	for x, c := range alive {
		id[c] = x
	}
	root := func(c int) int {
		for parent[c] != c {
			c = parent[c]
		}
		return c
	}
	out := make([]int, n)
	for i, a := range assign {
		out[i] = id[root(a)]
	}
	return out
}

func dot64(a, b []float64) float64 {
	s := 0.0
	for i, v := range a {
		s += v * b[i]
	}
	return s
}
