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
	docs, v := dmmDocs(x, kind)
	// Start with every fourth row in the next topic's cluster.
	start := make([]int, len(truth))
	for i, c := range truth {
		start[i] = c
		if i%4 == 0 {
			start[i] = (c + 1) % 3
		}
	}
	got := dmmRefine(docs, v, start, 3, 5, 0.1, 0.1, nil, 0, 0, 1)
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
	docs, v := dmmDocs(x, kind)
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
		got := dmmRefine(docs, v, truth, 3, 5, 0.1, 0.1, vx, d, c.lambda, 1)
		if got[0] != c.want {
			t.Errorf("lambda %v: row 0 in cluster %d, want %d", c.lambda, got[0], c.want)
		}
	}
}

func TestRefillClustersSplitsTheMostSpreadCluster(t *testing.T) {
	// Three groups of 10 unit vectors around the axes of R^3, with jitter;
	// groups 0 and 1 share cluster 0, group 2 is cluster 1, cluster 2 is empty.
	rng := rand.New(rand.NewPCG(7, 8))
	d, n := 3, 30
	vx := make([]float32, n*d)
	assign := make([]int, n)
	for i := range n {
		g := i / 10
		for t := range d {
			vx[i*d+t] = 0.1 * rng.Float32()
		}
		vx[i*d+g] = 1
		normalize32(vx[i*d : (i+1)*d])
		if g == 2 {
			assign[i] = 1
		}
	}
	if got := refillClusters(vx, n, d, assign, 3, 1, 1, 1); got != 1 {
		t.Fatalf("refilled %d clusters, want 1", got)
	}
	for g := range 3 {
		for i := g * 10; i < (g+1)*10; i++ {
			if assign[i] != assign[g*10] {
				t.Errorf("row %d of group %d in cluster %d, first row of the group in %d", i, g, assign[i], assign[g*10])
			}
		}
	}
	if assign[0] == assign[10] || assign[10] == assign[20] || assign[0] == assign[20] {
		t.Errorf("groups share a cluster: %d %d %d", assign[0], assign[10], assign[20])
	}
	before := append([]int(nil), assign...)
	if got := refillClusters(vx, n, d, assign, 3, 1, 1, 1); got != 0 {
		t.Errorf("refilled %d clusters with none empty", got)
	}
	for i := range assign {
		if assign[i] != before[i] {
			t.Fatalf("row %d moved from %d to %d with no empty cluster", i, before[i], assign[i])
		}
	}
}

func TestDMMAnnealRecoversTopicsFromRandomStart(t *testing.T) {
	x, kind, truth := dmmCorpus()
	docs, v := dmmDocs(x, kind)
	for seed := range uint64(5) {
		rng := rand.New(rand.NewPCG(seed, 1))
		start := make([]int, len(truth))
		for i := range start {
			start[i] = rng.IntN(3)
		}
		got := dmmAnneal(docs, v, start, 3, 5, 0.1, 0.1, nil, 0, 0, 1, annealTemps(10, 3), rand.New(rand.NewPCG(seed, 2)))
		again := dmmAnneal(docs, v, start, 3, 5, 0.1, 0.1, nil, 0, 0, 1, annealTemps(10, 3), rand.New(rand.NewPCG(seed, 2)))
		for i := range got {
			if got[i] != again[i] {
				t.Fatalf("seed %d: row %d in cluster %d, then %d with the same random source", seed, i, got[i], again[i])
			}
		}
		// Each topic in one cluster of its own (any numbering).
		of := map[int]int{}
		for i := 0; i < 60; i++ {
			c, ok := of[truth[i]]
			if !ok {
				of[truth[i]] = got[i]
				continue
			}
			if got[i] != c {
				t.Errorf("seed %d: row %d of topic %d in cluster %d, its topic's first row in %d", seed, i, truth[i], got[i], c)
			}
		}
		if len(of) == 3 && (of[0] == of[1] || of[1] == of[2] || of[0] == of[2]) {
			t.Errorf("seed %d: topics share a cluster: %v", seed, of)
		}
	}
}

func TestAnnealTemps(t *testing.T) {
	got := annealTemps(4, 2)
	want := []float64{2, 1.5, 1, 0.5}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("annealTemps(4, 2) = %v, want %v", got, want)
		}
	}
}

func TestRefillClustersFillsClustersUnderMinSize(t *testing.T) {
	// Two groups of 10 rows in cluster 0, one stray row of the second group
	// alone in cluster 1: under minSize 3 cluster 1 takes one of the groups.
	d, n := 2, 21
	vx := make([]float32, n*d)
	assign := make([]int, n)
	for i := range n {
		g := min(i/10, 1)
		vx[i*d+g] = 1
		vx[i*d+1-g] = 0.05 * float32(i%10)
		normalize32(vx[i*d : (i+1)*d])
	}
	assign[20] = 1
	if got := refillClusters(vx, n, d, append([]int(nil), assign...), 2, 1, 1, 1); got != 0 {
		t.Errorf("minSize 1: refilled %d clusters, want 0", got)
	}
	if got := refillClusters(vx, n, d, assign, 2, 3, 1, 1); got != 1 {
		t.Fatalf("minSize 3: refilled %d clusters, want 1", got)
	}
	size := [2]int{}
	for i, a := range assign {
		size[a]++
		if g := min(i/10, 1); i < 20 && assign[i] != assign[g*10] {
			t.Errorf("row %d of group %d in cluster %d, the group's first row in %d", i, g, assign[i], assign[g*10])
		}
	}
	if assign[0] == assign[10] || size[1] < 3 {
		t.Errorf("groups not split, or cluster 1 still small: %v", assign)
	}
}
