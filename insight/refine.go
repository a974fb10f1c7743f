package insight

import (
	"math"
	"math/rand/v2"
	"slices"
)

// Refinement of the theme partition by a Dirichlet multinomial mixture
// (docs/insight.md, method step 3; figures in docs/BENCHMARKS.md).
const (
	dmmSweeps = 5   // passes over the texts (most moves happen in the first two)
	dmmAlpha  = 0.1 // pseudo-count of a cluster's size
	dmmBeta   = 0.1 // pseudo-count of a feature in a cluster
	dmmLambda = 10  // weight of the cosine to the cluster's LSA centre

	// Sampling sweeps before the argmax passes, at a temperature falling
	// linearly from dmmAnnealT0 towards 0: they let texts leave the local
	// optimum of the k-means start (+0.008 NMI on the BANKING77 tuning half
	// without over-clustering; T0 1: +0.000, 3–5: +0.007–0.009, 10: −0.001;
	// docs/BENCHMARKS.md). Off by default (tuneOptions.anneal): with
	// over-clustering and merging they gained nothing on the tuning half
	// (at k −0.005, at 4k −0.001, at both 0.000; combined-engine round) and
	// cost 10 more passes.
	dmmAnnealSweeps = 10
	dmmAnnealT0     = 3.0
)

// annealTemps returns n temperatures falling linearly from t0: t0,
// t0·(1 − 1/n), …, t0/n.
func annealTemps(n int, t0 float64) []float64 {
	temps := make([]float64, n)
	for s := range temps {
		temps[s] = t0 * (1 - float64(s)/float64(n))
	}
	return temps
}

// dmmRefine reassigns each row (docs: its word and bigram features,
// numbered 0..v-1, from dmmDocs) to the cluster of highest score under a
// Dirichlet multinomial mixture over the row's word and bigram features
// (binary; the collapsed conditional of GSDMM, Yin & Wang 2014, taken as an
// argmax: sequential ICM updates) plus lambda times the cosine of the row's
// dense unit vector (vx, rows × d) to the centre of the cluster, centres
// recomputed before each sweep. It starts from assign and stops after sweeps
// passes or when no row moves. Rows without word or bigram features keep
// their cluster.
func dmmRefine(docs [][]int32, v int, assign []int, k, sweeps int, alpha, beta float64, vx []float32, d int, lambda float64, workers int) []int {
	return dmmAnneal(docs, v, assign, k, sweeps, alpha, beta, vx, d, lambda, workers, nil, nil)
}

// dmmAnneal is dmmRefine preceded by len(temps) sweeps of sampling
// (simulated annealing of the same score): in sweep s each row draws its
// cluster with probability ∝ exp(score / temps[s]) from rng.
//
// The cosines of the rows to the centres of a sweep are computed before it,
// on all workers, for the centres that changed since the last sweep; a
// cluster's table of length terms is recomputed only when
// a row leaves or joins it (a row that stays puts back the counts it took).
func dmmAnneal(docs [][]int32, v int, assign []int, k, sweeps int, alpha, beta float64, vx []float32, d int, lambda float64, workers int, temps []float64, rng *rand.Rand) []int {
	out := append([]int(nil), assign...)
	// The count table has a row only for the features that occur in docs.
	docs, nf := localFeatures(docs, v)
	maxLen := 0
	for _, doc := range docs {
		maxLen = max(maxLen, len(doc))
	}
	m := make([]int, k)        // texts per cluster
	nz := make([]int, k)       // features per cluster
	nzw := make([]int32, nf*k) // feature × cluster counts
	for i, doc := range docs {
		c := out[i]
		m[c]++
		nz[c] += len(doc)
		for _, w := range doc {
			nzw[int(w)*k+c]++
		}
	}
	// Tables: log(c + beta) for a count c (a count only grows by moving a
	// text that has the feature, so it stays ≤ the number of rows), and per
	// cluster the sums Σ_{j<L} log(nz + V·beta + j) for every text length L.
	logCount := make([]float64, len(docs)+1)
	for c := range logCount {
		logCount[c] = math.Log(float64(c) + beta)
	}
	vb := float64(v) * beta
	prefix := make([]float64, k*(maxLen+1))
	logM := make([]float64, k)
	update := func(z int) {
		p := prefix[z*(maxLen+1) : (z+1)*(maxLen+1)]
		for j := 0; j < maxLen; j++ {
			p[j+1] = p[j] + math.Log(float64(nz[z])+vb+float64(j))
		}
		logM[z] = math.Log(float64(m[z]) + alpha)
	}
	// prefixAt is entry l of the table update(z) would compute.
	prefixAt := func(z, l int) float64 {
		p := 0.0
		for j := 0; j < l; j++ {
			p = p + math.Log(float64(nz[z])+vb+float64(j))
		}
		return p
	}
	for z := 0; z < k; z++ {
		update(z)
	}
	score := make([]float64, k)
	sim := make([]float32, len(docs))
	var cos []float32 // rows × k cosines to the sweep's centres
	var cent, prevCent []float32
	var changed []int
	// The table of cosines is kept unless it would be huge (many themes
	// asked for); then each row's cosines are computed in the pass.
	table := lambda > 0 && len(docs)*k <= maxBoundTable
	if table {
		cos = make([]float32, len(docs)*k)
	}
	for s := 0; s < len(temps)+sweeps; s++ {
		temp := 0.0
		if s < len(temps) {
			temp = temps[s]
		}
		if lambda > 0 {
			cent = centroids(vx, len(docs), d, k, out, sim, workers)
		}
		if table {
			// Only the columns of centres that changed since the last
			// sweep are recomputed.
			changed = changed[:0]
			for z := range k {
				if prevCent == nil || !slices.Equal(cent[z*d:(z+1)*d], prevCent[z*d:(z+1)*d]) {
					changed = append(changed, z)
				}
			}
			prevCent = cent
			forChunks(len(docs), workers, func(_, lo, hi int) {
				for i := lo; i < hi; i++ {
					if len(docs[i]) == 0 {
						continue
					}
					xi := vx[i*d : (i+1)*d]
					ci := cos[i*k : (i+1)*k]
					for _, z := range changed {
						ci[z] = dot32(xi, cent[z*d:(z+1)*d])
					}
				}
			})
		}
		moved := 0
		for i, doc := range docs {
			if len(doc) == 0 {
				continue
			}
			c := out[i]
			m[c]--
			nz[c] -= len(doc)
			for _, w := range doc {
				nzw[int(w)*k+c]--
			}
			l := len(doc)
			for z := 0; z < k; z++ {
				score[z] = logM[z] - prefix[z*(maxLen+1)+l]
			}
			score[c] = math.Log(float64(m[c])+alpha) - prefixAt(c, l)
			for _, w := range doc {
				for z, cnt := range nzw[int(w)*k : (int(w)+1)*k] {
					score[z] += logCount[cnt]
				}
			}
			if table {
				for z, v := range cos[i*k : (i+1)*k] {
					score[z] += lambda * float64(v)
				}
			} else if lambda > 0 {
				xi := vx[i*d : (i+1)*d]
				for z := 0; z < k; z++ {
					score[z] += lambda * float64(dot32(xi, cent[z*d:(z+1)*d]))
				}
			}
			best := chooseCluster(score, c, temp, rng)
			out[i] = best
			m[best]++
			nz[best] += len(doc)
			for _, w := range doc {
				nzw[int(w)*k+best]++
			}
			if best != c {
				moved++
				update(c)
				update(best)
			}
		}
		if moved == 0 && temp == 0 {
			break
		}
	}
	return out
}

// localFeatures renumbers the features of docs (ids in [0, v)) 0..nf-1 in
// order of first occurrence.
func localFeatures(docs [][]int32, v int) ([][]int32, int) {
	id := make([]int32, v)
	for i := range id {
		id[i] = -1
	}
	total := 0
	for _, doc := range docs {
		total += len(doc)
	}
	flat := make([]int32, 0, total)
	out := make([][]int32, len(docs))
	nf := 0
	for i, doc := range docs {
		start := len(flat)
		for _, w := range doc {
			if id[w] < 0 {
				id[w] = int32(nf)
				nf++
			}
			flat = append(flat, id[w])
		}
		out[i] = flat[start:len(flat):len(flat)]
	}
	return out, nf
}

// dmmDocs lists the word and bigram features of each row of x, numbered
// 0..v-1 among those kinds.
func dmmDocs(x *csr, kind []uint8) (docs [][]int32, v int) {
	col := make([]int32, x.cols) // feature -> index among words and bigrams, or -1
	for f := range col {
		col[f] = -1
		if kind[f] != featChar {
			col[f] = int32(v)
			v++
		}
	}
	docs = make([][]int32, x.rows)
	for i := 0; i < x.rows; i++ {
		for p := x.indptr[i]; p < x.indptr[i+1]; p++ {
			if c := col[x.ind[p]]; c >= 0 {
				docs[i] = append(docs[i], c)
			}
		}
	}
	return docs, v
}

// refillRounds bounds the rounds of refilling emptied clusters and refining
// again (each refinement may empty a cluster anew).
const refillRounds = 3

// refillSweeps is the number of refinement passes after a refill: 2 gave the
// NMI of 5 on the BANKING77 tuning half (1: −0.001) for 40% of the cost.
const refillSweeps = 2

// refillClusters gives each cluster of assign (k clusters over the unit rows
// vx, n × d) with fewer than minSize rows, empty or too small to be a theme,
// half of another one, so that a user asking for k themes gets k: the cluster
// with the largest sum of (1 − cosine to its centre), the one that loses most
// to its spread, is split in two by spherical 2-means and one half joins the
// small cluster. Clusters of fewer than max(4, 2·minSize) rows are never
// split. It returns how many clusters it refilled.
func refillClusters(vx []float32, n, d int, assign []int, k, minSize int, seed uint64, workers int) int {
	size := make([]int, k)
	for _, a := range assign {
		size[a]++
	}
	refilled := 0
	for e := 0; e < k; e++ {
		if size[e] >= minSize {
			continue
		}
		sim := make([]float32, n)
		cent := centroids(vx, n, d, k, assign, sim, workers)
		loss := make([]float64, k)
		for i, a := range assign {
			loss[a] += 1 - float64(dot32(vx[i*d:(i+1)*d], cent[a*d:(a+1)*d]))
		}
		big := -1
		for c := 0; c < k; c++ {
			if size[c] >= max(4, 2*minSize) && (big < 0 || loss[c] > loss[big]) {
				big = c
			}
		}
		if big < 0 {
			break
		}
		var mem []int
		for i, a := range assign {
			if a == big {
				mem = append(mem, i)
			}
		}
		km := sphericalKMeans(gatherRows(vx, d, mem), len(mem), d, 2, 3, 20, seed+uint64(e), 1)
		before := size[e]
		for j, i := range mem {
			if km.assign[j] == 1 {
				assign[i] = e
				size[big]--
				size[e]++
			}
		}
		if size[e] > before {
			refilled++
		}
	}
	return refilled
}

// chooseCluster returns the cluster of the best score (ties keep the first,
// starting from the text's own cluster c) or, at temperature temp > 0, one
// drawn with probability ∝ exp(score/temp). score is overwritten then.
func chooseCluster(score []float64, c int, temp float64, rng *rand.Rand) int {
	best := c
	for z, sc := range score {
		if sc > score[best] {
			best = z
		}
	}
	if temp <= 0 {
		return best
	}
	top, tot := score[best], 0.0
	for z, sc := range score {
		score[z] = math.Exp((sc - top) / temp)
		tot += score[z]
	}
	u := rng.Float64() * tot
	for z, p := range score {
		u -= p
		if u <= 0 {
			return z
		}
	}
	return best
}
