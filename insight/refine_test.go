package insight

import (
	"math/rand/v2"
	"testing"
)

// dmmCorpus has 3 topics of 20 rows; a row holds 3 of its topic's 6 words
// (features 6t..6t+5) and a character feature (18) shared by all rows. The
// last row has only the character feature.
func dmmCorpus() (*csr, []uint8, []int) {
	rng := rand.New(rand.NewPCG(5, 6))
	kind := make([]uint8, 19)
	kind[18] = featChar
	x := &csr{rows: 61, cols: 19, indptr: []int{0}}
	truth := make([]int, 61)
	for i := range 60 {
		t := i / 20
		truth[i] = t
		for _, w := range rng.Perm(6)[:3] {
			x.ind = append(x.ind, int32(6*t+w))
		}
		x.ind = append(x.ind, 18)
		x.indptr = append(x.indptr, len(x.ind))
	}
	x.ind = append(x.ind, 18)
	x.indptr = append(x.indptr, len(x.ind))
	for range x.ind {
		x.val = append(x.val, 0.5)
	}
	return x, kind, truth
}

func TestDMMRefineRecoversTopics(t *testing.T) {
	x, kind, truth := dmmCorpus()
	// Start with every fourth row in the next topic's cluster.
	start := make([]int, len(truth))
	for i, c := range truth {
		start[i] = c
		if i%4 == 0 {
			start[i] = (c + 1) % 3
		}
	}
	got := dmmRefine(x, kind, start, 3, 5, 0.1, 0.1, nil, 0, 0, 1)
	for i := 0; i < 60; i++ {
		if got[i] != truth[i] {
			t.Errorf("row %d (topic %d): cluster %d after refinement (started in %d)", i, truth[i], got[i], start[i])
		}
	}
	if got[60] != start[60] {
		t.Errorf("row without word features moved from %d to %d", start[60], got[60])
	}
}

func TestDMMRefineCosineTerm(t *testing.T) {
	// Dense vectors that put row 0 (topic 0 by its words) beside topic 1:
	// a large lambda moves it there, lambda 0 keeps it with its words.
	x, kind, truth := dmmCorpus()
	d := 3
	vx := make([]float32, x.rows*d)
	for i, c := range truth {
		vx[i*d+c] = 1
	}
	vx[0], vx[1] = 0, 1
	for _, c := range []struct {
		lambda float64
		want   int
	}{{0, 0}, {100, 1}} {
		got := dmmRefine(x, kind, truth, 3, 5, 0.1, 0.1, vx, d, c.lambda, 1)
		if got[0] != c.want {
			t.Errorf("lambda %v: row 0 in cluster %d, want %d", c.lambda, got[0], c.want)
		}
	}
}
