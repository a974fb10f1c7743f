package insight

import (
	"fmt"
	"os"
	"testing"
)

// TestGloveCoverage logs the share of content tokens of the BANKING77
// tuning half and the external sets that the embedded table (or the table
// named by TANDEM_GLOVE_TABLE, truncated to its first N words) knows.
//
//	TANDEM_INSIGHT_EVAL=1 TANDEM_INSIGHT_TUNE=tune go test ./insight -run GloveCoverage -v
func TestGloveCoverage(t *testing.T) {
	sets := tuneSets(t)[:1]
	for _, load := range []func(*testing.T) labelledSet{wordnetNounSet, debianSectionSet, fortuneSet} {
		sets = append(sets, sampleSet(load(t), 5000, externalSampleSeed))
	}
	wv := testGlove(t)
	for _, s := range sets {
		texts := make([]string, len(s.docs))
		for i, d := range s.docs {
			texts[i] = d.Text
		}
		tk := tokenizeAll(texts, DefaultMaxTextRunes, 0)
		line := s.name + ":"
		for _, n := range []int{10000, 20000, 30000, 40000, 50000, 100000} {
			if n > len(wv.id) {
				break
			}
			tot, hit, none := 0, 0, 0
			for _, ts := range tk.toks {
				h := 0
				for _, tok := range ts {
					if IsStopWord(tok) || isNumber(tok) {
						continue
					}
					tot++
					if id, ok := wv.lookup(tok); ok && int(id) < n {
						hit++
						h++
					}
				}
				if h == 0 {
					none++
				}
			}
			line += fmt.Sprintf("  N=%d tokens %.4f texts-without %d", n, float64(hit)/float64(tot), none)
		}
		t.Log(line)
	}
}

func testGlove(t *testing.T) *wordVectors {
	if p := os.Getenv("TANDEM_GLOVE_TABLE"); p != "" {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		wv, err := parseWordVectors(b)
		if err != nil {
			t.Fatal(err)
		}
		return wv
	}
	wv, err := glove()
	if err != nil {
		t.Fatal(err)
	}
	return wv
}

// TestGloveSignal clusters the BANKING77 tuning half by k-means (k = 77) on
// SIF text vectors alone, the quick signal of the word vectors.
func TestGloveSignal(t *testing.T) {
	s := tuneSets(t)[0]
	wv := testGlove(t)
	texts := make([]string, len(s.docs))
	for i, d := range s.docs {
		texts[i] = d.Text
	}
	tk := tokenizeAll(texts, DefaultMaxTextRunes, 0)
	for _, v := range []struct {
		name string
		o    sifOptions
	}{
		{"mean", sifOptions{a: 1e9, noPC: true}},
		{"mean+stop", sifOptions{a: 1e9, noPC: true, stop: true}},
		{"sif-zipf-1e-3", sifOptions{}},
		{"sif-zipf-1e-4", sifOptions{a: 1e-4}},
		{"sif-zipf-1e-5", sifOptions{a: 1e-5}},
		{"sif-zipf-1e-4-stop", sifOptions{a: 1e-4, stop: true}},
		{"sif-zipf-1e-4-nopc", sifOptions{a: 1e-4, noPC: true}},
		{"sif-corpus-1e-3", sifOptions{corpus: true}},
		{"sif-corpus-1e-3-stop", sifOptions{corpus: true, stop: true}},
	} {
		x := sifVectors(wv, tk.toks, v.o, 0)
		d := wv.d
		sum := 0.0
		for _, seed := range []uint64{1, 2, 3} {
			km := sphericalKMeans(x, len(s.docs), d, 77, 3, 40, seed, 0)
			sum += nmi(km.assign, s.labels)
		}
		t.Logf("%-22s k-means NMI %.3f", v.name, sum/3)
	}
}
