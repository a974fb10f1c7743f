package demo

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tandem-pm/tandem"
	"github.com/tandem-pm/tandem/sqlite"
	"github.com/tandem-pm/tandem/transcript"
)

func TestGenerateFeedback(t *testing.T) {
	today := tandem.Date{Year: 2025, Month: 6, Day: 30}
	a, b := generateFeedback(feedbackSeed, today), generateFeedback(feedbackSeed, today)
	if len(a) < 250 || len(a) > 500 {
		t.Fatalf("got %d pieces of feedback, want a few hundred", len(a))
	}
	texts := map[string]bool{}
	crashOld, crashNew := 0, 0
	for i, f := range a {
		if f.Text != b[i].Text || f.ReceivedOn != b[i].ReceivedOn || f.Account != b[i].Account {
			t.Fatalf("not deterministic at %d: %q vs %q", i, f.Text, b[i].Text)
		}
		if err := f.Validate(); err != nil {
			t.Fatalf("feedback %d (%q) does not validate: %v", i, f.Text, err)
		}
		if texts[f.Text] {
			t.Errorf("repeated text %q", f.Text)
		}
		texts[f.Text] = true
		if strings.Contains(f.Text, "{") || strings.Contains(f.Text, "  ") || strings.Contains(f.Text, " .") {
			t.Errorf("unfilled or badly joined text %q", f.Text)
		}
		if today.Before(f.ReceivedOn) || f.ReceivedOn.Before(today.AddDays(-7*14)) {
			t.Errorf("received on %s, outside the 14 weeks before %s", f.ReceivedOn, today)
		}
		if strings.Contains(f.Text, "crash") {
			if f.ReceivedOn.Before(today.AddDays(-28)) {
				crashOld++
			} else {
				crashNew++
			}
		}
	}
	// Crashes are the emerging theme: more in the last 4 weeks than in the 10 before.
	if crashNew <= crashOld {
		t.Errorf("crash reports: %d in the last 4 weeks, %d before; want a surge", crashNew, crashOld)
	}
	if testing.Verbose() {
		for _, f := range a[len(a)-15:] {
			t.Logf("%s %-8s %-8s %s", f.ReceivedOn, f.Source, f.AccountTier, f.Text)
		}
	}
}

func TestDemoInterview(t *testing.T) {
	cues, err := transcript.ParseVTT(demoInterview)
	if err != nil {
		t.Fatal(err)
	}
	flat := transcript.Flatten(cues)
	for _, h := range demoHighlights {
		if !strings.Contains(flat, h.quote) {
			t.Errorf("highlight %q is not in the transcript", h.quote)
		}
	}
	for _, spec := range demoIdeas {
		idea := &tandem.Idea{Title: spec.title, Description: spec.desc, Status: spec.status}
		if err := idea.Validate(); err != nil {
			t.Errorf("idea %q: %v", spec.title, err)
		}
	}
}

func TestSeedVoiceOfCustomer(t *testing.T) {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "demo.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := Seed(ctx, st, time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	ws, err := st.FindWorkspace(ctx, Slug)
	if err != nil {
		t.Fatal(err)
	}
	n, cursor := 0, ""
	themed := 0
	for {
		fbs, next, err := st.FindFeedback(ctx, ws.ID, tandem.FeedbackFilter{Page: tandem.Page{Limit: tandem.MaxLimit, Cursor: cursor}})
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range fbs {
			if f.SentimentLabel == "" {
				t.Fatalf("feedback without sentiment: %q", f.Text)
			}
			if f.ThemeID != "" {
				themed++
			}
		}
		n += len(fbs)
		if next == "" {
			break
		}
		cursor = next
	}
	themes, err := st.FindThemes(ctx, ws.ID)
	if err != nil {
		t.Fatal(err)
	}
	if n < 250 || len(themes) < 4 || themed < n/2 {
		t.Fatalf("%d feedback, %d themes, %d feedback in themes", n, len(themes), themed)
	}
	ideas, _, err := st.FindIdeas(ctx, ws.ID, tandem.IdeaFilter{})
	if err != nil {
		t.Fatal(err)
	}
	merged := 0
	for _, x := range ideas {
		if x.MergedIntoID != "" {
			merged++
		}
	}
	if len(ideas) != len(demoIdeas) || merged != 1 {
		t.Errorf("%d ideas, %d merged", len(ideas), merged)
	}
	ivs, _, err := st.FindInterviews(ctx, ws.ID, tandem.InterviewFilter{})
	if err != nil || len(ivs) != 1 {
		t.Fatalf("interviews: %d, %v", len(ivs), err)
	}
	hs, err := st.FindHighlights(ctx, ws.ID, ivs[0].ID)
	if err != nil || len(hs) != len(demoHighlights) {
		t.Fatalf("highlights: %d, %v", len(hs), err)
	}
	items, _, err := st.FindItems(ctx, ws.ID, tandem.ItemFilter{Q: "Card freeze"})
	if err != nil || len(items) != 1 {
		t.Fatalf("card freeze item: %v %v", items, err)
	}
	sum, err := st.FindEvidence(ctx, ws.ID, items[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(sum.Evidence) < 3 || sum.Accounts == 0 || sum.Revenue.Amount == 0 {
		t.Errorf("evidence for card freeze: %+v", sum)
	}
	if testing.Verbose() {
		for _, th := range themes {
			t.Logf("%3d %-40s %v emerging=%v %v", th.Size, th.Label, th.Keyphrases, th.Emerging, th.Trend)
		}
	}
}
