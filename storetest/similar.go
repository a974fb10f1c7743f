package storetest

import (
	"context"
	"testing"

	"github.com/tandem-pm/tandem"
)

// testSimilarityVersion: the similarity index's change check moves with
// every write to feedback and to features and epics (deletes too), and not
// with tasks or other workspaces.
func testSimilarityVersion(t *testing.T, open Opener) {
	f := newFixture(t, open)
	s, ctx, ws := f.s, f.ctx, f.ws
	v, ok := s.(interface {
		SimilarityVersion(ctx context.Context, ws string) (string, error)
	})
	if !ok {
		t.Skip("the store has no SimilarityVersion")
	}
	version := func() string {
		t.Helper()
		x, err := v.SimilarityVersion(ctx, ws)
		must(t, err)
		return x
	}
	seen := map[string]string{}
	changed := func(what string) {
		t.Helper()
		x := version()
		if prev, dup := seen[x]; dup {
			t.Errorf("after %s the version %q is the one seen after %s", what, x, prev)
		}
		seen[x] = what
	}
	changed("nothing")
	fb := f.feedback(t, "The card never arrived")
	changed("a new feedback")
	text := "The card never arrived, two weeks now"
	_, err := s.UpdateFeedback(ctx, ws, fb.ID, tandem.FeedbackUpdate{Text: &text}, 0)
	must(t, err)
	changed("an edited feedback")
	feature := &tandem.Item{Kind: tandem.KindFeature, Title: "Card delivery tracking"}
	must(t, s.CreateItem(ctx, ws, feature))
	changed("a new feature")
	epic := &tandem.Item{Kind: tandem.KindEpic, Title: "Cards"}
	must(t, s.CreateItem(ctx, ws, epic))
	changed("a new epic")

	before := version()
	must(t, s.CreateItem(ctx, ws, &tandem.Item{Kind: tandem.KindTask, Title: "Write the release note"}))
	must(t, s.CreateFeedback(ctx, f.other, &tandem.Feedback{Text: "Elsewhere", Source: tandem.SourceSupport}))
	if after := version(); after != before {
		t.Errorf("a task and another workspace's feedback changed the version: %q -> %q", before, after)
	}

	must(t, s.DeleteFeedback(ctx, ws, fb.ID))
	changed("a deleted feedback")
	must(t, s.DeleteItem(ctx, ws, epic.ID))
	changed("a deleted epic")
}
