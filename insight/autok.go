package insight

import "math"

// chooseK picks the number of themes from the mean silhouette (cosine) of
// k-means solutions on a sample of at most 3,000 texts, over a geometric grid
// of candidates between 2 and maxK. On short texts the silhouette keeps
// rising slowly with k and then stays flat, so rather than its maximum we
// take the smallest k that reaches 95% of it: the point where more themes
// stop paying off. The sample's k is used as is: scaling it up for larger
// collections over-split BANKING77 (98 themes for 77 intents).
func chooseK(x []float32, n, d, maxK int, seed uint64, workers int, kt kTune) int {
	if kt.sample == 0 {
		kt = defaultKTune
	}
	if n < 6 {
		return 1
	}
	idx := sampleRows(n, kt.sample, seed^0x5eed)
	m := len(idx)
	sx := gatherRows(x, d, idx)
	maxK = min(maxK, m/5)
	if maxK < 2 {
		return 1
	}
	// Pairwise cosine distances of the sample, computed once.
	dist := make([]float32, m*m)
	forChunks(m, workers, func(_, lo, hi int) {
		for i := lo; i < hi; i++ {
			for j := 0; j < m; j++ {
				dist[i*m+j] = 1 - dot32(sx[i*d:(i+1)*d], sx[j*d:(j+1)*d])
			}
		}
	})
	var ks []int
	var ss []float64
	for k := 2; k <= maxK; k = max(k+1, int(math.Round(float64(k)*1.25))) {
		km := sphericalKMeans(sx, m, d, k, 1, 25, seed, workers)
		s := silhouette(dist, m, km.assign, k)
		ks, ss = append(ks, k), append(ss, s)
	}
	top := math.Inf(-1)
	for _, s := range ss {
		top = math.Max(top, s)
	}
	bestK := ks[len(ks)-1]
	for i, s := range ss {
		if s >= kt.frac*top {
			bestK = ks[i]
			break
		}
	}
	// The sample holds m of n texts: larger collections hold more small
	// themes than the sample can show, so scale up gently.
	if n > m && kt.scale {
		bestK = int(math.Round(float64(bestK) * math.Pow(float64(n)/float64(m), 0.25)))
	}
	return min(bestK, maxK*2)
}

func silhouette(dist []float32, m int, assign []int, k int) float64 {
	size := make([]int, k)
	for _, a := range assign {
		size[a]++
	}
	total := 0.0
	sum := make([]float64, k)
	for i := 0; i < m; i++ {
		clear(sum)
		row := dist[i*m : (i+1)*m]
		for j, a := range assign {
			sum[a] += float64(row[j])
		}
		own := assign[i]
		if size[own] <= 1 {
			continue
		}
		a := sum[own] / float64(size[own]-1)
		b := math.Inf(1)
		for c := 0; c < k; c++ {
			if c != own && size[c] > 0 {
				b = math.Min(b, sum[c]/float64(size[c]))
			}
		}
		if mx := math.Max(a, b); mx > 0 {
			total += (b - a) / mx
		}
	}
	return total / float64(m)
}

// kTune are the constants of chooseK. They were chosen on the tuning half of
// BANKING77 (see tune_test.go); the 0.9 / 1,500 / scaled variant is the
// former default.
type kTune struct {
	sample int     // texts the silhouettes are computed on
	frac   float64 // share of the best silhouette the chosen k must reach
	scale  bool    // scale k up by (n/sample)^0.25
}

var defaultKTune = kTune{sample: 3000, frac: 0.95}
