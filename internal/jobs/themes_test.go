package jobs

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/tandem-pm/tandem"
	"github.com/tandem-pm/tandem/insight"
)

func TestExtract(t *testing.T) {
	now := time.Date(2025, 6, 30, 12, 0, 0, 0, time.UTC) // a Monday
	var fbs []*tandem.Feedback
	texts := []string{
		"The app crashes when I open my statements",
		"App crashes every time I log in, terrible",
		"Crash on startup after the update",
		"I love the new dark mode, great work",
		"Please add a dark mode, the white screen hurts",
		"Dark theme would be lovely at night",
		"Fees for foreign card payments are too high",
		"Why is there a monthly account fee now",
		"The ATM fee is outrageous",
	}
	for i := range 60 {
		fbs = append(fbs, &tandem.Feedback{
			Meta:       tandem.Meta{ID: tandem.NewID(), CreatedAt: now},
			Text:       fmt.Sprintf("%s (%d)", texts[i%len(texts)], i),
			ReceivedOn: tandem.DateOf(now.AddDate(0, 0, -i)),
		})
	}
	themes, assign, err := Extract(context.Background(), fbs, now, insight.Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(themes) == 0 {
		t.Fatal("no themes")
	}
	if len(assign) != len(fbs) {
		t.Fatalf("assigned %d of %d", len(assign), len(fbs))
	}
	ids := map[string]*tandem.Theme{}
	total := 0
	for i, th := range themes {
		ids[th.ID] = th
		if i > 0 && th.Size > themes[i-1].Size {
			t.Errorf("themes not largest first: %d after %d", th.Size, themes[i-1].Size)
		}
		if th.Label == "" || th.Negative+th.Neutral+th.Positive != th.Size || len(th.Trend) != TrendWeeks {
			t.Errorf("theme %+v is inconsistent", th)
		}
		if th.TrendStart != tandem.DateOf(now.AddDate(0, 0, -7*(TrendWeeks-1))) {
			t.Errorf("trend starts %s", th.TrendStart)
		}
		weeks := 0
		for _, n := range th.Trend {
			weeks += n
		}
		if weeks != th.Size { // all 60 days fall inside the 12 weeks
			t.Errorf("trend of %q sums to %d, size %d", th.Label, weeks, th.Size)
		}
		total += th.Size
	}
	inThemes := 0
	for _, fi := range assign {
		if fi.ThemeID != "" {
			if ids[fi.ThemeID] == nil {
				t.Fatalf("assigned to unknown theme %s", fi.ThemeID)
			}
			inThemes++
		}
		if fi.SentimentLabel == "" || fi.SentimentScore < -1 || fi.SentimentScore > 1 {
			t.Errorf("bad sentiment %+v", fi)
		}
	}
	if inThemes != total {
		t.Errorf("%d feedback in themes, sizes sum to %d", inThemes, total)
	}

	// Too little feedback: sentiment only.
	themes, assign, err = Extract(context.Background(), fbs[:2], now, insight.Options{})
	if err != nil || len(themes) != 0 || len(assign) != 2 {
		t.Fatalf("small input: %v %v %v", themes, assign, err)
	}
}
