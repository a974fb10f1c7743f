package insight

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestAnalyzeFindsTopics(t *testing.T) {
	docs, labels := synthDocs(800, 7)
	res, err := Analyze(context.Background(), docs, Options{K: 5, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Themes) != 5 {
		t.Fatalf("got %d themes, want 5", len(res.Themes))
	}
	if got := nmi(res.Assignments, labels); got < 0.8 {
		t.Errorf("NMI against the generated topics = %.3f, want ≥ 0.8", got)
	}
	total := res.Other
	for i, th := range res.Themes {
		if th.ID != i || th.Size == 0 || th.Label == "" || len(th.Keyphrases) == 0 || len(th.Quotes) == 0 {
			t.Errorf("theme %d incomplete: %+v", i, th)
		}
		if i > 0 && th.Size > res.Themes[i-1].Size {
			t.Errorf("themes not ordered by size")
		}
		for _, q := range th.Quotes {
			if res.Assignments[q] != th.ID {
				t.Errorf("quote %d of theme %d belongs to theme %d", q, th.ID, res.Assignments[q])
			}
		}
		if s := th.Sentiment; s.Negative+s.Neutral+s.Positive != th.Size {
			t.Errorf("theme %d sentiment mix %+v does not add up to %d", i, s, th.Size)
		}
		if len(th.Volume) == 0 {
			t.Errorf("theme %d has no volume although docs are dated", i)
		}
		total += th.Size
	}
	if total != len(docs) || len(res.Sentiments) != len(docs) || len(res.Assignments) != len(docs) {
		t.Errorf("sizes: themes+other %d, sentiments %d, assignments %d; want %d", total, len(res.Sentiments), len(res.Assignments), len(docs))
	}
	// The "search" topic grows in the last weeks of the generated data.
	for _, th := range res.Themes {
		isSearch := strings.Contains(strings.Join(th.Keyphrases, " "), "search") || strings.Contains(strings.Join(th.Keyphrases, " "), "filter")
		if isSearch && !th.Emerging {
			t.Errorf("theme %q should be emerging", th.Label)
		}
		if !isSearch && th.Emerging {
			t.Errorf("theme %q should not be emerging", th.Label)
		}
	}
	if len(res.Duplicates) == 0 {
		t.Errorf("generated data repeats texts, but no duplicates found")
	}
}

func TestAnalyzeDeterministic(t *testing.T) {
	docs, _ := synthDocs(250, 3)
	a, err := Analyze(context.Background(), docs, Options{Seed: 42, Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	b, err := Analyze(context.Background(), docs, Options{Seed: 42, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	a.Stats.ComputeMS, b.Stats.ComputeMS = 0, 0
	if !reflect.DeepEqual(a, b) {
		t.Errorf("results differ between 1 and 2 workers with the same seed")
	}
	if len(a.Themes) < 2 {
		t.Errorf("automatic k gave %d themes", len(a.Themes))
	}
}

func TestAnalyzeEdgeCases(t *testing.T) {
	ctx := context.Background()
	res, err := Analyze(ctx, nil, Options{})
	if err != nil || len(res.Themes) != 0 || len(res.Assignments) != 0 {
		t.Fatalf("empty input: %v, %+v", err, res)
	}
	docs := []Doc{{Text: ""}, {Text: "   "}, {Text: "\xff\xfe"}, {Text: strings.Repeat("export csv broken ", 10000)}, {Text: "export csv broken"}, {Text: "!!!"}}
	res, err = Analyze(ctx, docs, Options{K: 3})
	if err != nil {
		t.Fatal(err)
	}
	for i := range []int{0, 1, 2, 5} {
		if res.Assignments[[]int{0, 1, 2, 5}[i]] != -1 {
			t.Errorf("doc %d without words was assigned a theme", i)
		}
	}
	found := false
	for _, n := range res.Notices {
		found = found || strings.Contains(n, "truncated")
	}
	if !found {
		t.Errorf("no truncation notice in %q", res.Notices)
	}
	if _, err := Analyze(ctx, docs, Options{K: -1}); err == nil {
		t.Errorf("K = -1 accepted")
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	many, _ := synthDocs(300, 1)
	if _, err := Analyze(cctx, many, Options{}); err == nil {
		t.Errorf("cancelled context: no error")
	}
}

// fakeEmbedder embeds by topic words, or fails.
type fakeEmbedder struct {
	fail  bool
	delay time.Duration
}

func (f fakeEmbedder) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	if f.delay > 0 {
		select {
		case <-time.After(f.delay):
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	if f.fail {
		return nil, context.DeadlineExceeded
	}
	out := make([][]float32, len(texts))
	for i, t := range texts {
		v := make([]float32, len(synthTopics))
		for j, tp := range synthTopics {
			for _, w := range tp.words {
				if strings.Contains(strings.ToLower(t), w) {
					v[j]++
				}
			}
		}
		out[i] = v
	}
	return out, nil
}

func TestAnalyzeEmbedderFallback(t *testing.T) {
	docs, labels := synthDocs(300, 9)
	ctx := context.Background()
	local, _ := Analyze(ctx, docs, Options{K: 5, Seed: 1})
	for _, c := range []struct {
		name string
		emb  fakeEmbedder
	}{{"error", fakeEmbedder{fail: true}}, {"timeout", fakeEmbedder{delay: time.Second}}} {
		res, err := Analyze(ctx, docs, Options{K: 5, Seed: 1, Embedder: c.emb, ModelTimeout: 50 * time.Millisecond})
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if len(res.Notices) == 0 || !strings.Contains(res.Notices[0], "local engine") {
			t.Errorf("%s: no fallback notice: %q", c.name, res.Notices)
		}
		res.Notices, local.Notices = nil, nil
		res.Stats.ComputeMS, local.Stats.ComputeMS = 0, 0
		if !reflect.DeepEqual(res, local) {
			t.Errorf("%s: fallback result differs from the local result", c.name)
		}
	}
	res, err := Analyze(ctx, docs, Options{K: 5, Seed: 1, Embedder: fakeEmbedder{}})
	if err != nil || res.Stats.Embedder != "model" {
		t.Fatalf("working embedder: %v, embedder %q", err, res.Stats.Embedder)
	}
	if got := nmi(res.Assignments, labels); got < 0.8 {
		t.Errorf("NMI with the model embedder = %.3f", got)
	}
}

type fakeNamer struct{ err error }

func (f fakeNamer) NameThemes(ctx context.Context, th []ThemeBrief) ([]ThemeName, error) {
	if f.err != nil {
		return nil, f.err
	}
	out := make([]ThemeName, len(th))
	for i, b := range th {
		out[i] = ThemeName{Label: "Named " + b.Keyphrases[0], Summary: "about " + b.Quotes[0]}
	}
	return out, nil
}

func TestAnalyzeNamer(t *testing.T) {
	docs, _ := synthDocs(200, 2)
	var stages []string
	res, err := Analyze(context.Background(), docs, Options{K: 3, Namer: fakeNamer{}, Progress: func(s string) { stages = append(stages, s) }})
	if err != nil {
		t.Fatal(err)
	}
	if len(stages) < 4 || stages[0] != "sentiment" || !strings.Contains(stages[len(stages)-1], "theme names") {
		t.Errorf("progress stages = %q", stages)
	}
	for _, th := range res.Themes {
		if !strings.HasPrefix(th.Label, "Named ") || th.Summary == "" {
			t.Errorf("theme not named: %+v", th)
		}
	}
	res, err = Analyze(context.Background(), docs, Options{K: 3, Namer: fakeNamer{err: context.DeadlineExceeded}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Notices) == 0 || strings.HasPrefix(res.Themes[0].Label, "Named") {
		t.Errorf("naming failure: notices %q, label %q", res.Notices, res.Themes[0].Label)
	}
}

func TestNearDuplicates(t *testing.T) {
	texts := []string{
		"The export to CSV drops the last column of every report",
		"I like the new dashboard",
		"the export to csv drops the last column of every report!!",
		"Export to CSV drops the last column of every single report",
		"Something else entirely about billing",
		"",
	}
	got := nearDuplicates(texts, 1000, 1, 0)
	if len(got) != 1 || !reflect.DeepEqual(got[0][:2], []int{0, 2}) {
		t.Errorf("duplicates = %v, want one group starting [0 2]", got)
	}
}
