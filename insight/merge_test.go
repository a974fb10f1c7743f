package insight

import "testing"

// TestMergeClustersJoinsSubTopics splits each topic of dmmCorpus into
// sub-clusters (with an empty cluster among them) and expects the merge
// to rebuild the topics, numbered 0..k-1.
func TestMergeClustersJoinsSubTopics(t *testing.T) {
	x, kind, truth := dmmCorpus()
	docs, v := dmmDocs(x, kind)
	const kc = 10 // cluster 9 stays empty
	start := make([]int, len(truth))
	for i, c := range truth {
		start[i] = 3*c + i%3 // 9 sub-clusters, 3 per topic
	}
	start[60] = 0 // the row without word features
	for _, size := range []float64{0, mergeSize, 1} {
		got := mergeClusters(docs, v, dmmAlpha, dmmBeta, size, start, kc, 3)
		topic := map[int]int{} // merged cluster -> topic
		for i := 0; i < 60; i++ {
			if got[i] < 0 || got[i] >= 3 {
				t.Fatalf("size %v: row %d in cluster %d, want 0..2", size, i, got[i])
			}
			if tp, ok := topic[got[i]]; ok && tp != truth[i] {
				t.Errorf("size %v: cluster %d holds topics %d and %d", size, got[i], tp, truth[i])
			}
			topic[got[i]] = truth[i]
		}
		if len(topic) != 3 {
			t.Errorf("size %v: %d clusters after merging, want 3", size, len(topic))
		}
		if got[60] != got[0] {
			t.Errorf("size %v: row 60 not merged with its sub-cluster", size)
		}
	}
	// Asking for more clusters than there are non-empty ones merges nothing.
	got := mergeClusters(docs, v, dmmAlpha, dmmBeta, mergeSize, start, kc, kc)
	if n := countDistinct(got); n != 9 {
		t.Errorf("k = kc: %d clusters, want the 9 non-empty ones", n)
	}
}
