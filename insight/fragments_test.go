package insight

import (
	"slices"
	"testing"
)

func TestIntersectPartitions(t *testing.T) {
	// Cluster 0 splits into fragments of 3 and 2 rows (b = 0 / 1), cluster
	// 1 into 4 rows and 1 row; with minSize 2 only the single row joins the
	// largest fragment of its cluster.
	a := []int{0, 0, 0, 0, 0, 1, 1, 1, 1, 1}
	b := []int{0, 0, 0, 1, 1, 1, 1, 1, 1, 0}
	got, n := intersectPartitions(a, b, 2, 2, 2)
	want := []int{0, 0, 0, 1, 1, 2, 2, 2, 2, 2}
	if n != 3 || !slices.Equal(got, want) {
		t.Fatalf("got %v (%d fragments), want %v (3)", got, n, want)
	}
	// With minSize 3 the 2-row fragment of cluster 0 is absorbed too.
	got, n = intersectPartitions(a, b, 2, 2, 3)
	want = []int{0, 0, 0, 0, 0, 1, 1, 1, 1, 1}
	if n != 2 || !slices.Equal(got, want) {
		t.Fatalf("minSize 3: got %v (%d fragments), want %v (2)", got, n, want)
	}
}
