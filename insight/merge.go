package insight

import (
	"math"
	"slices"
)

// Over-clustering then merging (docs/insight.md, method step 3; figures in
// docs/BENCHMARKS.md): the theme stage clusters at overFactor × k through
// k-means, re-weighting and the word-mixture refinement, splits the clusters
// by a second such over-clustering (other seed) into fragments, merges the
// fragments down to k by word likelihood and refines once more at k.
const (
	overFactor = 6 // clusters before merging, per theme asked for
	// overRestarts is the number of k-means restarts when over-clustering.
	overRestarts = 1
	// mergeSize weighs the cluster-size term of the merge score; negative
	// makes merging two large clusters cost more than two small ones.
	mergeSize = -0.3
)

// mergeClusters merges the non-empty clusters of assign (values in [0, kc))
// greedily, one pair at a time, until k remain, and returns the rows'
// clusters renumbered 0..k-1 (fewer when fewer were non-empty). The pair
// merged is the one whose merge loses least log marginal likelihood of the
// rows' features (docs, numbered 0..v-1, as in dmmRefine) under a Dirichlet
// multinomial with pseudo-count beta per feature, plus size times the change
// of the Dirichlet-process term of the cluster sizes (pseudo-count alpha).
func mergeClusters(docs [][]int32, v int, alpha, beta, size float64, assign []int, kc, k int) []int {
	type cluster struct {
		feat []int32 // sorted
		cnt  []int32
		m    float64 // rows
		nz   float64 // features
	}
	cl := make([]cluster, kc)
	{
		dense := make([]map[int32]int32, kc)
		for i, doc := range docs {
			a := assign[i]
			if dense[a] == nil {
				dense[a] = map[int32]int32{}
			}
			for _, w := range doc {
				dense[a][w]++
			}
			cl[a].m++
			cl[a].nz += float64(len(doc))
		}
		for a, m := range dense {
			for w := range m {
				cl[a].feat = append(cl[a].feat, w)
			}
			slices.Sort(cl[a].feat)
			cl[a].cnt = make([]int32, len(cl[a].feat))
			for j, w := range cl[a].feat {
				cl[a].cnt[j] = m[w]
			}
		}
	}
	lg := func(x float64) float64 { v, _ := math.Lgamma(x); return v }
	// lgc[c] = log Γ(c + beta) for every count a merged cluster can have.
	lgc := make([]float64, len(docs)+1)
	for c := range lgc {
		lgc[c] = lg(float64(c) + beta)
	}
	vb := float64(v) * beta
	gain := func(a, b int) float64 {
		x, y := &cl[a], &cl[b]
		g := 0.0
		// Features in only one of the two clusters add the same constant
		// to every pair's score; only shared ones matter.
		for i, j := 0, 0; i < len(x.feat) && j < len(y.feat); {
			switch {
			case x.feat[i] < y.feat[j]:
				i++
			case x.feat[i] > y.feat[j]:
				j++
			default:
				p, q := x.cnt[i], y.cnt[j]
				g += lgc[p+q] - lgc[p] - lgc[q] + lgc[0]
				i++
				j++
			}
		}
		g -= lg(x.nz+y.nz+vb) - lg(x.nz+vb) - lg(y.nz+vb)
		if size != 0 {
			g += size * (lg(x.m+y.m+alpha) - lg(x.m+alpha) - lg(y.m+alpha))
		}
		return g
	}
	absorb := func(a, b int) { // a takes b
		x, y := &cl[a], &cl[b]
		feat := make([]int32, 0, len(x.feat)+len(y.feat))
		cnt := make([]int32, 0, cap(feat))
		i, j := 0, 0
		for i < len(x.feat) || j < len(y.feat) {
			switch {
			case j == len(y.feat) || (i < len(x.feat) && x.feat[i] < y.feat[j]):
				feat, cnt = append(feat, x.feat[i]), append(cnt, x.cnt[i])
				i++
			case i == len(x.feat) || x.feat[i] > y.feat[j]:
				feat, cnt = append(feat, y.feat[j]), append(cnt, y.cnt[j])
				j++
			default:
				feat, cnt = append(feat, x.feat[i]), append(cnt, x.cnt[i]+y.cnt[j])
				i++
				j++
			}
		}
		x.feat, x.cnt = feat, cnt
		x.m += y.m
		x.nz += y.nz
		*y = cluster{}
	}
	alive := []int{}
	for c := 0; c < kc; c++ {
		if cl[c].m > 0 {
			alive = append(alive, c)
		}
	}
	g := make([]float64, kc*kc)
	for x, a := range alive {
		for _, b := range alive[x+1:] {
			g[a*kc+b] = gain(a, b)
		}
	}
	pair := func(a, b int) int { // index of the pair in g (a < b)
		if a > b {
			a, b = b, a
		}
		return a*kc + b
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
		alive = slices.DeleteFunc(alive, func(c int) bool { return c == bb })
		for _, c := range alive {
			if c != ba {
				g[pair(ba, c)] = gain(ba, c)
			}
		}
	}
	id := make([]int, kc)
	for x, c := range alive {
		id[c] = x
	}
	out := make([]int, len(assign))
	for i, a := range assign {
		for parent[a] != a {
			a = parent[a]
		}
		out[i] = id[a]
	}
	return out
}
