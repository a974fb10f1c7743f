package insight

import (
	"math/rand/v2"
	"testing"
)

func TestFeatureWeights(t *testing.T) {
	// 40 rows in 4 clusters of 10. Feature 0 occurs in every row, feature 1
	// only in cluster 2, feature 2 in clusters 0 and 1.
	x := &csr{rows: 40, cols: 3, indptr: []int{0}}
	assign := make([]int, 40)
	for i := range 40 {
		c := i / 10
		assign[i] = c
		x.ind = append(x.ind, 0)
		x.val = append(x.val, 0.5)
		if c == 2 {
			x.ind = append(x.ind, 1)
			x.val = append(x.val, 0.5)
		}
		if c < 2 {
			x.ind = append(x.ind, 2)
			x.val = append(x.val, 0.5)
		}
		x.indptr = append(x.indptr, len(x.ind))
	}
	w := featureWeights(x, assign, 4, 1, 1, 2)
	if w[0] > 0.01 {
		t.Errorf("feature in every cluster: weight %.3f, want ~0", w[0])
	}
	// 5 units of mass in one cluster and 1 pseudo-count spread over four:
	// p = 0.875 in its cluster, weight 1 - H/log 4 = 0.63.
	if w[1] < 0.6 {
		t.Errorf("feature of one cluster: weight %.3f, want > 0.6", w[1])
	}
	if !(w[2] > 0.3 && w[2] < w[1]) {
		t.Errorf("feature of two clusters: weight %.3f, want between the others (%.3f, %.3f)", w[2], w[0], w[1])
	}
	y := scaleCols(x, w)
	for i := 0; i < y.rows; i++ {
		s := float32(0)
		for p := y.indptr[i]; p < y.indptr[i+1]; p++ {
			s += y.val[p] * y.val[p]
		}
		// Rows of cluster 3 hold only the uninformative feature 0 and
		// become zero; the others are unit rows.
		if (i >= 30 && s != 0) || (i < 30 && (s < 0.999 || s > 1.001)) {
			t.Fatalf("row %d: squared norm %.4f after scaling", i, s)
		}
	}
}

func TestBlendGraphMatchesKNNSmooth(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	n, d := 300, 16
	x := make([]float32, n*d)
	for i := range x {
		x[i] = float32(rng.NormFloat64())
	}
	for i := 0; i < n; i++ {
		normalize32(x[i*d : (i+1)*d])
	}
	a, graph := knnSmoothGraph(x, n, d, 10, 0.5, 2)
	b := blendGraph(x, n, d, 10, graph, 0.5, 1)
	for i := range a {
		if diff := a[i] - b[i]; diff > 1e-5 || diff < -1e-5 {
			t.Fatalf("element %d: knnSmooth %v, blendGraph %v", i, a[i], b[i])
		}
	}
}
