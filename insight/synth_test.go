package insight

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// synthTopics are the themes of the generated feedback used by tests and
// benchmarks (real data sets are not shipped with the repository).
var synthTopics = []struct {
	name  string
	words []string
	lines []string
}{
	{"login", []string{"login", "password", "reset", "locked", "two-factor", "sign in", "account"},
		[]string{"I can't %s, the %s page keeps failing", "the %s flow is broken after the %s update", "please fix %s, I was %s out again"}},
	{"export", []string{"export", "csv", "excel", "report", "download", "pdf", "spreadsheet"},
		[]string{"we need %s to %s for the monthly report", "the %s button should give a %s file", "%s of the %s is missing columns"}},
	{"mobile", []string{"mobile app", "iphone", "android", "crash", "notification", "tablet", "offline"},
		[]string{"the %s keeps on %s when I open it", "%s support would be great, %s too", "love the %s but %s is slow"}},
	{"billing", []string{"invoice", "billing", "charged", "refund", "subscription", "payment", "price"},
		[]string{"I was %s twice for the %s", "the %s page does not show the %s", "why is the %s %s so high"}},
	{"search", []string{"search", "filter", "results", "query", "find", "sort", "tags"},
		[]string{"%s does not %s anything useful", "I wish I could %s by %s", "the %s %s are in the wrong order"}},
}

var synthFiller = []string{"really", "today", "again", "honestly", "for our team", "every week", "since Monday", "please", "thanks", "asap"}

// synthDocs generates n feedback texts from synthTopics, with labels, times
// spread over 90 days (the "search" topic grows in the last weeks) and some
// exact repeats.
func synthDocs(n int, seed uint64) ([]Doc, []string) {
	rng := rand.New(rand.NewPCG(seed, 1))
	docs := make([]Doc, n)
	labels := make([]string, n)
	t0 := time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)
	for i := range docs {
		day := rng.IntN(90)
		ti := rng.IntN(len(synthTopics))
		if day > 75 && rng.IntN(2) == 0 {
			ti = 4
		}
		tp := synthTopics[ti]
		line := tp.lines[rng.IntN(len(tp.lines))]
		text := fmt.Sprintf(line, tp.words[rng.IntN(len(tp.words))], tp.words[rng.IntN(len(tp.words))])
		if rng.IntN(2) == 0 {
			text += " " + synthFiller[rng.IntN(len(synthFiller))]
		}
		if rng.IntN(3) == 0 {
			text = strings.ToUpper(text[:1]) + text[1:] + "!"
		}
		docs[i] = Doc{ID: fmt.Sprint(i), Text: text, Time: t0.AddDate(0, 0, day).Add(time.Duration(rng.IntN(86400)) * time.Second)}
		labels[i] = tp.name
	}
	return docs, labels
}
