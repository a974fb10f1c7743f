package insight

import (
	"context"
	"os"
	"testing"
)

// TestEvalSearch scores the similarity search by precision at 10: every
// text is a query against the others, and a hit counts when it has the
// query's label. It compares Fit's vectors with and without the
// word-vector view (docs/BENCHMARKS.md, "similarity search"). Sets: the
// BANKING77 tuning half (../shared), and when available the WordNet nouns
// and the held-out intent sets of TANDEM_EXTDATA.
//
//	TANDEM_INSIGHT_EVAL=1 [TANDEM_EXTDATA=dir] go test ./insight -run EvalSearch -v
func TestEvalSearch(t *testing.T) {
	if os.Getenv("TANDEM_INSIGHT_EVAL") == "" {
		t.Skip("set TANDEM_INSIGHT_EVAL=1 to score the similarity search")
	}
	loaders := []struct {
		name string
		load func(t *testing.T) labelledSet
	}{
		{"banking77-tune", func(t *testing.T) labelledSet {
			tune, _, labels, _ := banking77Halves(t)
			return labelledSet{name: "banking77 tune half", docs: tune, labels: labels}
		}},
		{"wordnet", func(t *testing.T) labelledSet { return sampleSet(wordnetNounSet(t), 5000, externalSampleSeed) }},
		{"banking77-test", banking77TestSet},
		{"clinc150", clinc150Set},
	}
	for _, l := range loaders {
		t.Run(l.name, func(t *testing.T) {
			s := l.load(t)
			texts := make([]string, len(s.docs))
			for i, d := range s.docs {
				texts[i] = d.Text
			}
			mo := DefaultModelOptions()
			mo.Seed = 1
			m, err := Fit(context.Background(), texts, mo)
			if err != nil {
				t.Fatal(err)
			}
			lsaOnly := *m
			lsaOnly.sif = nil
			t.Logf("%s (%d texts): precision@10 LSA %.3f, LSA + word-vector view %.3f", s.name, len(texts),
				precisionAt10(t, &lsaOnly, texts, s.labels), precisionAt10(t, m, texts, s.labels))
		})
	}
}

// precisionAt10 is the mean share of a text's 10 nearest other texts (by
// m's vectors) that have its label, over the texts with a non-zero vector.
func precisionAt10(t *testing.T, m *Model, texts, labels []string) float64 {
	vs, err := m.Embed(context.Background(), texts)
	if err != nil {
		t.Fatal(err)
	}
	ix, err := NewIndexFromVectors(vs, m)
	if err != nil {
		t.Fatal(err)
	}
	total, queries := 0.0, 0
	for i, q := range vs {
		if isZero(q) {
			continue
		}
		hits, err := ix.SearchVector(q, 11)
		if err != nil {
			t.Fatal(err)
		}
		good, seen := 0, 0
		for _, h := range hits {
			if h.Index == i || seen == 10 {
				continue
			}
			seen++
			if labels[h.Index] == labels[i] {
				good++
			}
		}
		total += float64(good) / 10
		queries++
	}
	return total / float64(max(1, queries))
}
