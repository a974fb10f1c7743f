package http

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"time"

	"github.com/tandem-pm/tandem"
)

// The similarity cards of the UI (issue 4): on a feature or epic, the
// feedback that may support it; on a feedback, the features and epics it
// may be evidence for. Each suggestion has a score bar and, for editors, a
// "Link as evidence" button that posts to the feedback's evidence route.
// The search itself is in api_similar.go.

const (
	similarCardRows = 5
	// similarCardWait is how long a page waits for a workspace's index
	// being built; after that the card says so and the build goes on.
	similarCardWait = 2 * time.Second
)

// similarCard is the "similarcard" template's data.
type similarCard struct {
	ID      string // of the page's entity, for element IDs
	Title   string
	Empty   string
	Pending bool // the workspace's index is still being built
	Back    string
	Rows    []similarRow
}

type similarRow struct {
	Href   string // the suggested entity's page
	Text   string // its title or text
	Sub    string // e.g. the item's kind and status, the feedback's customer
	Score  float64
	Bar    template.HTML
	Linked bool
	Action string // where "Link as evidence" posts (the feedback's evidence route)
	ItemID string // the item_id it posts
}

// scoreBar draws a similarity score in [0, 1] as a small bar.
func scoreBar(score float64) template.HTML {
	const w, h = 80.0, 8.0
	fill := w * max(0, min(1, score))
	desc := fmt.Sprintf("similarity %.0f%%", 100*max(0, min(1, score)))
	return template.HTML(fmt.Sprintf(`<svg class="score-bar" viewBox="0 0 %g %g" width="%g" height="%g" role="img" aria-label="%s"><title>%s</title>`+
		`<rect width="%g" height="%g" rx="2" class="s-none"/><rect width="%.2f" height="%g" rx="2" class="s-fill"/></svg>`,
		w, h, w, h, desc, desc, w, h, fill, h))
}

// waitSimilar bounds a page's wait for the index: pending is true when it
// is still being built.
func waitSimilar[T any](ctx context.Context, f func(ctx context.Context) (T, error)) (v T, pending bool, err error) {
	wctx, cancel := context.WithTimeout(ctx, similarCardWait)
	defer cancel()
	v, err = f(wctx)
	if errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil {
		return v, true, nil
	}
	return v, false, err
}

// similarFeedbackCard is the card of item x's page; nil for items that
// feedback does not support (tasks, milestones, initiatives).
func (s *Server) similarFeedbackCard(ctx context.Context, rq *request, x *tandem.Item) (*similarCard, error) {
	if x.Kind != tandem.KindFeature && x.Kind != tandem.KindEpic {
		return nil, nil
	}
	base := insightBase(rq)
	c := &similarCard{ID: x.ID, Title: "Feedback that may support this", Empty: "No feedback resembles this yet.", Back: base + "/items/" + x.ID}
	hits, pending, err := waitSimilar(ctx, func(ctx context.Context) ([]SimilarFeedback, error) {
		return s.similarFeedback(ctx, rq.Workspace.ID, x.ID, similarCardRows)
	})
	if err != nil {
		return nil, err
	}
	c.Pending = pending
	for _, h := range hits {
		sub := h.Feedback.CustomerName
		if h.Feedback.Account != "" {
			if sub != "" {
				sub += ", "
			}
			sub += h.Feedback.Account
		}
		c.Rows = append(c.Rows, similarRow{
			Href: base + "/feedback/" + h.Feedback.ID, Text: h.Feedback.Text, Sub: sub,
			Score: h.Score, Bar: scoreBar(h.Score), Linked: h.Linked,
			Action: base + "/feedback/" + h.Feedback.ID + "/evidence", ItemID: x.ID,
		})
	}
	return c, nil
}

// similarItemsCard is the card of a feedback's page.
func (s *Server) similarItemsCard(ctx context.Context, rq *request, fb *tandem.Feedback) (*similarCard, error) {
	base := insightBase(rq)
	c := &similarCard{ID: fb.ID, Title: "Features this may be evidence for", Empty: "No open feature or epic resembles this feedback.", Back: base + "/feedback/" + fb.ID}
	hits, pending, err := waitSimilar(ctx, func(ctx context.Context) ([]SimilarItem, error) {
		return s.similarItems(ctx, rq.Workspace.ID, fb.ID, similarCardRows)
	})
	if err != nil {
		return nil, err
	}
	c.Pending = pending
	for _, h := range hits {
		c.Rows = append(c.Rows, similarRow{
			Href: base + "/items/" + h.Item.ID, Text: h.Item.Title, Sub: humanLabel(h.Item.Kind) + " · " + humanLabel(h.Item.Status),
			Score: h.Score, Bar: scoreBar(h.Score), Linked: h.Linked,
			Action: base + "/feedback/" + fb.ID + "/evidence", ItemID: h.Item.ID,
		})
	}
	return c, nil
}
