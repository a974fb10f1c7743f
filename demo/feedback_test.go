package demo

import (
	"strings"
	"testing"

	"github.com/tandem-pm/tandem"
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
