package insight

import (
	"context"
	"math/rand/v2"
	"testing"

	"github.com/tandem-pm/tandem/internal/cputime"
)

// TestEvalLabels prints the theme labels of one run (seed 1) beside each
// theme's majority category, to judge them by reading:
//
//	TANDEM_INSIGHT_EVAL=1 TANDEM_INSIGHT_TUNE=tune   go test ./insight -run EvalLabels -v
//	TANDEM_INSIGHT_EVAL=1 TANDEM_INSIGHT_TUNE=report go test ./insight -run EvalLabels -v
//
// "tune" labels the BANKING77 tuning half at k = 77 (the labelling rules
// were written while reading it); "report" labels the held-out report half
// at k = 77 and the airline complaints at k = 10. The clustering does not
// depend on the labels, so the themes are the same with any labelling code.
func TestEvalLabels(t *testing.T) {
	sets := tuneSets(t)
	if len(sets) > 1 {
		sets = []labelledSet{sets[0], sets[2]} // report half, airline
	}
	for _, s := range sets {
		k := 77
		if s.name == "airline negative" {
			k = 10
		}
		res, err := Analyze(context.Background(), s.docs, Options{K: k, Seed: 1})
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s, k = %d, seed 1: %d themes", s.name, k, len(res.Themes))
		logLabels(t, res, s.labels)
	}
}

// BenchmarkPhraseLabels100k times the labelling stage alone on the 100k
// benchmark texts: 77 themes (every 77th text, as the clusters' member lists
// of 1,300 texts would be), each labelled from its 300 texts nearest a random
// centre in a random 50-dimensional space, as Analyze does with real vectors.
//
//	go test ./insight -run XXX -bench PhraseLabels100k -benchmem
func BenchmarkPhraseLabels100k(b *testing.B) {
	docs := bench100k(b)
	const k, d = 77, 50
	texts := make([]string, len(docs))
	members := make([][]int, k)
	for i, doc := range docs {
		texts[i] = doc.Text
		members[i%k] = append(members[i%k], i)
	}
	rng := rand.New(rand.NewPCG(3, 4))
	unit := func(v []float32) {
		for j := range v {
			v[j] = float32(rng.NormFloat64())
		}
		normalize32(v)
	}
	vec := make([]float32, len(docs)*d)
	for i := range docs {
		unit(vec[i*d : (i+1)*d])
	}
	cent := make([][]float32, k)
	for c := range cent {
		cent[c] = make([]float32, d)
		unit(cent[c])
	}
	b.ResetTimer()
	cpu := cputime.Process().Seconds()
	for b.Loop() {
		phraseLabels(texts, members, vec, d, cent, DefaultMaxTextRunes)
	}
	b.ReportMetric((cputime.Process().Seconds()-cpu)/float64(b.N), "cpu-s/op")
}
