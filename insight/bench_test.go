package insight

import (
	"context"
	"encoding/csv"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tandem-pm/tandem/internal/cputime"
)

// bench100k returns 100,000 feedback texts: the real BANKING77 and airline
// tweets texts with random variation (dropped and swapped words, appended
// fillers) when ../../shared/data is present, else generated ones.
func bench100k(b *testing.B) []Doc {
	const n = 100000
	var base []string
	dir := os.Getenv("TANDEM_INSIGHT_DATA")
	if dir == "" {
		dir = filepath.Join("..", "..", "shared", "data")
	}
	for _, f := range []struct{ path, col string }{{"banking77/train.csv", "text"}, {"airline-tweets/dev.csv", "text"}} {
		fh, err := os.Open(filepath.Join(dir, f.path))
		if err != nil {
			continue
		}
		recs, err := csv.NewReader(fh).ReadAll()
		fh.Close()
		if err != nil || len(recs) < 2 {
			continue
		}
		col := 0
		for i, h := range recs[0] {
			if h == f.col {
				col = i
			}
		}
		for _, r := range recs[1:] {
			base = append(base, r[col])
		}
	}
	if len(base) == 0 {
		b.Log("real texts not found; using generated feedback")
		docs, _ := synthDocs(n, 1)
		return docs
	}
	b.Logf("100k texts varied from %d real texts", len(base))
	rng := rand.New(rand.NewPCG(1, 2))
	docs := make([]Doc, n)
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range docs {
		w := strings.Fields(base[rng.IntN(len(base))])
		if len(w) > 3 && rng.IntN(2) == 0 {
			j := rng.IntN(len(w))
			w = append(w[:j], w[j+1:]...)
		}
		if len(w) > 3 && rng.IntN(3) == 0 {
			j := rng.IntN(len(w) - 1)
			w[j], w[j+1] = w[j+1], w[j]
		}
		if rng.IntN(3) == 0 {
			w = append(w, synthFiller[rng.IntN(len(synthFiller))])
		}
		docs[i] = Doc{Text: strings.Join(w, " "), Time: t0.Add(time.Duration(rng.IntN(90*24)) * time.Hour)}
	}
	return docs
}

// BenchmarkAnalyze100k: budget 15 s and 2 GB on 2 cores.
//
//	go test ./insight -run XXX -bench Analyze100k -benchtime 1x -benchmem
func BenchmarkAnalyze100k(b *testing.B) { benchAnalyze(b, 0) }

// BenchmarkAnalyze100kK77 is the same with a fixed number of themes.
func BenchmarkAnalyze100kK77(b *testing.B) { benchAnalyze(b, 77) }

// benchAnalyze runs Analyze on the 100k texts with k themes (0 = automatic)
// and logs the time of each progress stage. TANDEM_INSIGHT_VARIANT names a
// key of refineVariants to measure instead of the defaults.
func benchAnalyze(b *testing.B, k int) {
	docs := bench100k(b)
	o := Options{K: k, Seed: 1}
	if name := os.Getenv("TANDEM_INSIGHT_VARIANT"); name != "" {
		tv, ok := refineVariants[name]
		if !ok {
			b.Fatalf("unknown variant %q", name)
		}
		o.tune = tv
	}
	b.ResetTimer()
	cpu := cputime.Process().Seconds()
	for b.Loop() {
		start, last, stage := time.Now(), time.Now(), ""
		var stages []string
		progress := func(s string) {
			if stage != "" {
				stages = append(stages, stage+" "+time.Since(last).Round(time.Millisecond).String())
			}
			stage, last = s, time.Now()
		}
		o.Progress = progress
		res, err := Analyze(context.Background(), docs, o)
		progress("")
		b.Logf("stages: %s; total %v", strings.Join(stages, ", "), time.Since(start).Round(time.Millisecond))
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(len(res.Themes)), "themes")
	}
	b.ReportMetric((cputime.Process().Seconds()-cpu)/float64(b.N), "cpu-s/op")
}

// BenchmarkSearch100k: one similarity query (embedding the query text and
// scanning 100k vectors); budget 50 ms.
//
//	go test ./insight -run XXX -bench Search100k -benchmem
func BenchmarkSearch100k(b *testing.B) {
	docs := bench100k(b)
	texts := make([]string, len(docs))
	for i, d := range docs {
		texts[i] = d.Text
	}
	ix, err := NewIndex(context.Background(), texts, IndexOptions{Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	queries := []string{"Export card transactions to a spreadsheet", "Faster refunds when a flight is cancelled", "Show the exchange rate before a transfer"}
	b.ResetTimer()
	i := 0
	for b.Loop() {
		if _, err := ix.Search(context.Background(), queries[i%len(queries)], 10); err != nil {
			b.Fatal(err)
		}
		i++
	}
}
