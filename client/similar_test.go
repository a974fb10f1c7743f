package client_test

import (
	"context"
	"strings"
	"testing"

	"github.com/tandem-pm/tandem"
)

func TestSimilarSQLite(t *testing.T)   { testSimilar(t, sqliteBackend(t)) }
func TestSimilarPostgres(t *testing.T) { testSimilar(t, postgresBackend(t)) }

// testSimilar runs both similarity searches through the client, including
// the index's invalidation by a new feedback (the fingerprint query, which
// differs between the SQL dialects).
func testSimilar(t *testing.T, open backend) {
	ctx := context.Background()
	st := open(t)
	e := startAsOwner(t, st, "Product Manager")
	defer e.stop(t)
	c := e.client
	must(t, c.CreateWorkspace(ctx, &tandem.Workspace{Slug: "acme", Name: "Acme Bank"}))
	const ws = "acme"
	var fbs []*tandem.Feedback
	for _, tx := range []string{"My new card was not delivered", "The card never arrived, delivery takes weeks", "Please add a dark mode", "Dark mode please, the screen is too bright", "Login fails since the update"} {
		f := &tandem.Feedback{Text: tx, Source: tandem.SourceEmail}
		must(t, c.CreateFeedback(ctx, ws, f))
		fbs = append(fbs, f)
	}
	card := &tandem.Item{Kind: tandem.KindFeature, Title: "Card delivery tracking", Description: "Track the delivery of a new card"}
	must(t, c.CreateItem(ctx, ws, card))
	dark := &tandem.Item{Kind: tandem.KindEpic, Title: "Dark mode"}
	must(t, c.CreateItem(ctx, ws, dark))

	sf, err := c.SimilarFeedback(ctx, ws, card.ID, 2)
	must(t, err)
	if len(sf) != 2 || !strings.Contains(sf[0].Feedback.Text, "card") || sf[0].Score <= 0 || sf[0].Linked {
		t.Fatalf("similar feedback %+v", sf)
	}
	si, err := c.SimilarItems(ctx, ws, fbs[2].ID, 0)
	must(t, err)
	if len(si) == 0 || si[0].Item.ID != dark.ID {
		t.Fatalf("similar items %+v", si)
	}
	nf := &tandem.Feedback{Text: "Where is my card? No delivery tracking at all", Source: tandem.SourceEmail}
	must(t, c.CreateFeedback(ctx, ws, nf))
	sf, err = c.SimilarFeedback(ctx, ws, card.ID, 50)
	must(t, err)
	found := false
	for _, h := range sf {
		found = found || h.Feedback.ID == nf.ID
	}
	if !found {
		t.Fatalf("new feedback missing from %+v", sf)
	}
	if _, err := c.SimilarItems(ctx, ws, tandem.NewID(), 0); tandem.ErrorCode(err) != tandem.ENotFound {
		t.Fatalf("unknown feedback: %v", err)
	}
}
