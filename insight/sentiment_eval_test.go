package insight

import (
	"os"
	"strings"
	"testing"
)

// TestSentimentHeldOut scores Sentiment on labelled sets from outside
// ../shared that the lexicon was never adjusted on (the airline tweets of
// ../shared were read while extending it; docs/BENCHMARKS.md). The files
// are read from the folder TANDEM_EXTDATA (never in the repository) and
// each set is skipped when absent. Run with
//
//	TANDEM_INSIGHT_EVAL=1 TANDEM_EXTDATA=dir go test ./insight -run SentimentHeldOut -v
//
// The sets:
//
//   - sentiment/amazon_cells_labelled.txt, sentiment/yelp_labelled.txt: the
//     UCI "Sentiment Labelled Sentences" (Kotzias et al. 2015), product and
//     restaurant review sentences, sentence<TAB>0|1, 500 negative and 500
//     positive each. Two classes: a neutral answer counts as a miss.
//
//   - sentiment/tweeteval_val_text.txt with tweeteval_val_labels.txt:
//     TweetEval's sentiment validation split (SemEval-2017 task 4A), one
//     tweet per line and one label per line (0 negative, 1 neutral, 2
//     positive).
//
//   - airline/heldout.csv: tweets of the Twitter US Airline Sentiment data
//     (columns airline_sentiment and text) from later in its file than the
//     first 3,000 rows that ../shared holds (other airlines), so tweets the
//     lexicon was never adjusted on, of the kind the target names.
func TestSentimentHeldOut(t *testing.T) {
	if os.Getenv("TANDEM_INSIGHT_EVAL") == "" {
		t.Skip("set TANDEM_INSIGHT_EVAL=1 (and TANDEM_EXTDATA) to score sentiment on the held-out sets")
	}
	twoClass := map[string]string{"0": Negative, "1": Positive}
	for _, name := range []string{"amazon_cells_labelled", "yelp_labelled"} {
		t.Run(name, func(t *testing.T) {
			b, err := os.ReadFile(extdataFile(t, "sentiment/"+name+".txt"))
			if err != nil {
				t.Fatal(err)
			}
			var truth, pred []string
			for i, line := range strings.Split(strings.TrimRight(string(b), "\n"), "\n") {
				text, label, ok := strings.Cut(strings.TrimRight(line, "\r"), "\t")
				if !ok || twoClass[strings.TrimSpace(label)] == "" {
					t.Fatalf("%s line %d: want sentence<TAB>0|1, got %q", name, i+1, line)
				}
				truth = append(truth, twoClass[strings.TrimSpace(label)])
				pred = append(pred, Sentiment(text).Label)
			}
			neutral := 0
			for _, p := range pred {
				if p == Neutral {
					neutral++
				}
			}
			t.Logf("%s: %d of %d sentences answered neutral", name, neutral, len(pred))
			sentimentScores(t, name, truth, pred, []string{Negative, Positive})
		})
	}
	t.Run("airline-heldout", func(t *testing.T) {
		var truth, pred []string
		for _, r := range readCSVFile(t, extdataFile(t, "airline/heldout.csv")) {
			truth, pred = append(truth, r["airline_sentiment"]), append(pred, Sentiment(r["text"]).Label)
		}
		sentimentScores(t, "airline held out", truth, pred, []string{Negative, Neutral, Positive})
	})
	t.Run("tweeteval", func(t *testing.T) {
		texts, err := os.ReadFile(extdataFile(t, "sentiment/tweeteval_val_text.txt"))
		if err != nil {
			t.Fatal(err)
		}
		labels, err := os.ReadFile(extdataFile(t, "sentiment/tweeteval_val_labels.txt"))
		if err != nil {
			t.Fatal(err)
		}
		tl := strings.Split(strings.TrimRight(string(texts), "\n"), "\n")
		ll := strings.Split(strings.TrimRight(string(labels), "\n"), "\n")
		if len(tl) != len(ll) {
			t.Fatalf("%d tweets but %d labels", len(tl), len(ll))
		}
		three := map[string]string{"0": Negative, "1": Neutral, "2": Positive}
		var truth, pred []string
		for i := range tl {
			l := three[strings.TrimSpace(ll[i])]
			if l == "" {
				t.Fatalf("label line %d: want 0, 1 or 2, got %q", i+1, ll[i])
			}
			truth = append(truth, l)
			pred = append(pred, Sentiment(tl[i]).Label)
		}
		sentimentScores(t, "tweeteval val", truth, pred, []string{Negative, Neutral, Positive})
	})
}
