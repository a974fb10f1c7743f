package insight

import (
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"sort"
	"testing"
	"time"
)

// The quality evaluations read labelled data sets from ../../shared/data (or
// TANDEM_INSIGHT_DATA) and only run when TANDEM_INSIGHT_EVAL is set:
//
//	TANDEM_INSIGHT_EVAL=1 go test ./insight -run Eval -v -timeout 30m

func evalData(t *testing.T, rel string) string {
	t.Helper()
	if os.Getenv("TANDEM_INSIGHT_EVAL") == "" {
		t.Skip("set TANDEM_INSIGHT_EVAL=1 to run the quality evaluation")
	}
	dir := os.Getenv("TANDEM_INSIGHT_DATA")
	if dir == "" {
		dir = filepath.Join("..", "..", "shared", "data")
	}
	p := filepath.Join(dir, rel)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("evaluation data %s not available (set TANDEM_INSIGHT_DATA to the data directory): %v", p, err)
	}
	return p
}

func readCSVFile(t *testing.T, path string) []map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]string
	for _, r := range recs[1:] {
		m := map[string]string{}
		for i, h := range recs[0] {
			m[h] = r[i]
		}
		out = append(out, m)
	}
	return out
}

// clusterScores reports agreement of assignments with labels; "other" (-1)
// is scored as one more cluster.
func clusterScores(t *testing.T, name string, assign []int, labels []string, themes int, other int, d time.Duration) {
	t.Logf("%-40s themes %3d other %4d  NMI %.3f  ARI %.3f  ACC %.3f  (%v)", name, themes, other,
		nmi(assign, labels), ari(assign, labels), hungarianAccuracy(assign, labels), d.Round(time.Millisecond))
}

func TestEvalBanking77(t *testing.T) {
	rows := readCSVFile(t, evalData(t, "banking77/train.csv"))
	all := make([]Doc, len(rows))
	labels := make([]string, len(rows))
	for i, r := range rows {
		all[i] = Doc{Text: r["text"]}
		labels[i] = r["category"]
	}
	// A fixed sample of 3,080 rows, the size of the published test split.
	idx := sampleRows(len(all), 3080, 2020)
	sdocs := make([]Doc, len(idx))
	slabels := make([]string, len(idx))
	for i, j := range idx {
		sdocs[i], slabels[i] = all[j], labels[j]
	}
	for _, c := range []struct {
		name   string
		docs   []Doc
		labels []string
		k      int
	}{
		{"banking77 full 10,003 k=77", all, labels, 77},
		{"banking77 sample 3,080 k=77", sdocs, slabels, 77},
		{"banking77 full 10,003 auto k", all, labels, 0},
		{"banking77 sample 3,080 auto k", sdocs, slabels, 0},
	} {
		for _, seed := range []int64{1, 2} {
			start := time.Now()
			res, err := Analyze(context.Background(), c.docs, Options{K: c.k, Seed: seed})
			if err != nil {
				t.Fatal(err)
			}
			clusterScores(t, c.name+" seed "+string(rune('0'+seed)), res.Assignments, c.labels, len(res.Themes), res.Other, time.Since(start))
			if c.k == 0 {
				break
			}
		}
	}
}

func TestEvalAirlineTweets(t *testing.T) {
	rows := readCSVFile(t, evalData(t, "airline-tweets/dev.csv"))
	// Sentiment: accuracy and macro-F1 against the labels.
	var truth, pred []string
	for _, r := range rows {
		truth, pred = append(truth, r["airline_sentiment"]), append(pred, Sentiment(r["text"]).Label)
	}
	sentimentScores(t, "airline-tweets dev", truth, pred, []string{Negative, Neutral, Positive})

	// Themes of the negative tweets against their complaint topics.
	var docs []Doc
	var labels []string
	for _, r := range rows {
		if r["airline_sentiment"] == "negative" && r["negativereason"] != "" {
			docs = append(docs, Doc{Text: r["text"]})
			labels = append(labels, r["negativereason"])
		}
	}
	topics := map[string]bool{}
	for _, l := range labels {
		topics[l] = true
	}
	for _, k := range []int{len(topics), 0} {
		start := time.Now()
		res, err := Analyze(context.Background(), docs, Options{K: k, Seed: 1})
		if err != nil {
			t.Fatal(err)
		}
		name := "airline negative topics k=" + itoa(k)
		clusterScores(t, name, res.Assignments, labels, len(res.Themes), res.Other, time.Since(start))
	}
	res, _ := Analyze(context.Background(), docs, Options{K: len(topics), Seed: 1})
	for _, th := range res.Themes {
		t.Logf("  theme %d (%d): %s | %v", th.ID, th.Size, th.Label, th.Keyphrases)
	}
	keys := make([]string, 0, len(topics))
	for k := range topics {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	t.Logf("  topics: %v", keys)
}

// sentimentScores logs precision, recall and F1 of each class, the accuracy,
// the macro-F1 and the macro-averaged recall (SemEval's measure) of pred
// against truth over classes; a prediction outside classes (neutral on a
// two-class set) counts as a miss of the true class. It returns the macro-F1.
func sentimentScores(t *testing.T, name string, truth, pred []string, classes []string) float64 {
	t.Helper()
	conf := map[[2]string]int{}
	for i := range truth {
		conf[[2]string{truth[i], pred[i]}]++
	}
	correct := 0
	macro, recall := 0.0, 0.0
	for _, l := range classes {
		tp, fp, fn := conf[[2]string{l, l}], 0, 0
		for k, c := range conf {
			if k[0] != l && k[1] == l {
				fp += c
			}
			if k[0] == l && k[1] != l {
				fn += c
			}
		}
		p := float64(tp) / float64(max(1, tp+fp))
		r := float64(tp) / float64(max(1, tp+fn))
		f1 := 0.0
		if p+r > 0 {
			f1 = 2 * p * r / (p + r)
		}
		t.Logf("sentiment %s %-8s precision %.3f recall %.3f F1 %.3f", name, l, p, r, f1)
		macro += f1 / float64(len(classes))
		recall += r / float64(len(classes))
		correct += tp
	}
	t.Logf("sentiment %s (%d texts): accuracy %.3f macro-F1 %.3f macro-recall %.3f", name, len(truth), float64(correct)/float64(max(1, len(truth))), macro, recall)
	return macro
}

func itoa(k int) string {
	if k == 0 {
		return "auto"
	}
	s := ""
	for k > 0 {
		s = string(rune('0'+k%10)) + s
		k /= 10
	}
	return s
}
