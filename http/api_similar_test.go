package http

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/tandem-pm/tandem"
)

type similarFeedbackList struct {
	Data []SimilarFeedback `json:"data"`
}

type similarItemList struct {
	Data []SimilarItem `json:"data"`
}

// similarFixture fills e's workspace with feedback about card delivery,
// dark mode and logins, and one feature for each of the first two.
func similarFixture(t *testing.T, e *voxEnv) (card, dark, shipped *tandem.Item, fbs []*tandem.Feedback) {
	t.Helper()
	ctx := tandem.WithActor(context.Background(), e.owner.ID)
	texts := []string{
		"My new card was not delivered",
		"The card never arrived in the post, delivery is taking weeks",
		"Still waiting for my replacement card to be delivered",
		"Please add a dark mode",
		"A dark theme would be easier on my eyes at night",
		"Dark mode please, the white screen is blinding",
		"Login fails with an error since the update",
		"I cannot log in with my fingerprint any more",
	}
	for _, tx := range texts {
		f := &tandem.Feedback{Text: tx, Source: tandem.SourceSupport}
		f.Defaults()
		if err := e.st.CreateFeedback(ctx, e.ws.ID, f); err != nil {
			t.Fatal(err)
		}
		fbs = append(fbs, f)
	}
	mk := func(kind, title, desc, status string) *tandem.Item {
		x := &tandem.Item{Kind: kind, Title: title, Description: desc, Status: status}
		x.Defaults()
		if err := e.st.CreateItem(ctx, e.ws.ID, x); err != nil {
			t.Fatal(err)
		}
		return x
	}
	card = mk(tandem.KindFeature, "Card delivery tracking", "Show customers where their new card is until it is delivered", "")
	dark = mk(tandem.KindFeature, "Dark mode", "A dark theme for the app", "")
	shipped = mk(tandem.KindFeature, "Card delivery by courier", "Deliver cards by courier", tandem.StatusDone)
	mk(tandem.KindTask, "Card delivery database migration", "card delivered card delivery", "")
	return card, dark, shipped, fbs
}

func TestSimilarAPI(t *testing.T) {
	e := newVoxEnv(t)
	api := e.api
	base := "/api/v1/workspaces/acme"
	card, dark, shipped, fbs := similarFixture(t, e)

	var got similarFeedbackList
	api.json("GET", base+"/items/"+card.ID+"/similar_feedback", "", 200, &got)
	if len(got.Data) == 0 || !strings.Contains(got.Data[0].Feedback.Text, "card") {
		t.Fatalf("card feature: %+v", got.Data)
	}
	for i := 1; i < len(got.Data); i++ {
		if got.Data[i].Score > got.Data[i-1].Score {
			t.Fatalf("not ordered by score: %+v", got.Data)
		}
	}
	if got.Data[0].Score <= 0 || got.Data[0].Score > 1.0001 || got.Data[0].Linked {
		t.Fatalf("top hit %+v", got.Data[0])
	}
	api.json("GET", base+"/items/"+dark.ID+"/similar_feedback?limit=2", "", 200, &got)
	if len(got.Data) != 2 || !strings.Contains(strings.ToLower(got.Data[0].Feedback.Text), "dark") || !strings.Contains(strings.ToLower(got.Data[1].Feedback.Text), "dark") {
		t.Fatalf("dark mode feature: %+v", got.Data)
	}
	if e.srv.similarCache.buildCount() != 1 {
		t.Fatalf("%d builds for an unchanged workspace", e.srv.similarCache.buildCount())
	}

	// Feedback -> items: open features and epics only.
	var items similarItemList
	api.json("GET", base+"/feedback/"+fbs[0].ID+"/similar_items", "", 200, &items)
	if len(items.Data) == 0 || items.Data[0].Item.ID != card.ID {
		t.Fatalf("card feedback: %+v", items.Data)
	}
	for _, h := range items.Data {
		if h.Item.ID == shipped.ID || h.Item.Kind == tandem.KindTask {
			t.Fatalf("suggested %q (%s, %s)", h.Item.Title, h.Item.Kind, h.Item.Status)
		}
	}

	// Linked: evidence already in place is flagged on both sides.
	api.json("POST", base+"/evidence", fmt.Sprintf(`{"item_id": %q, "feedback_id": %q}`, card.ID, fbs[0].ID), 201, nil)
	api.json("GET", base+"/feedback/"+fbs[0].ID+"/similar_items", "", 200, &items)
	if !items.Data[0].Linked {
		t.Fatalf("link not shown: %+v", items.Data[0])
	}
	api.json("GET", base+"/items/"+card.ID+"/similar_feedback", "", 200, &got)
	for _, h := range got.Data {
		if h.Linked != (h.Feedback.ID == fbs[0].ID) {
			t.Fatalf("linked flag of %q: %v", h.Feedback.Text, h.Linked)
		}
	}

	// New feedback invalidates the index: it shows up at once.
	builds := e.srv.similarCache.buildCount()
	var nf tandem.Feedback
	api.json("POST", base+"/feedback", `{"text": "Where is my card? The delivery tracking says nothing", "source": "email"}`, 201, &nf)
	api.json("GET", base+"/items/"+card.ID+"/similar_feedback?limit=50", "", 200, &got)
	found := false
	for _, h := range got.Data {
		found = found || h.Feedback.ID == nf.ID
	}
	if !found || e.srv.similarCache.buildCount() != builds+1 {
		t.Fatalf("new feedback found %v, builds %d -> %d", found, builds, e.srv.similarCache.buildCount())
	}
	// So does an item closed: it is no longer suggested.
	api.json("PATCH", base+"/items/"+card.ID, `{"status": "done"}`, 200, nil)
	api.json("GET", base+"/feedback/"+fbs[0].ID+"/similar_items", "", 200, &items)
	for _, h := range items.Data {
		if h.Item.ID == card.ID {
			t.Fatalf("a done feature is suggested: %+v", items.Data)
		}
	}

	// Bad limits; unknown IDs and another workspace's entities are 404.
	api.json("GET", base+"/items/"+dark.ID+"/similar_feedback?limit=0", "", 422, nil)
	api.json("GET", base+"/items/"+dark.ID+"/similar_feedback?limit=x", "", 422, nil)
	api.json("GET", base+"/items/"+tandem.NewID()+"/similar_feedback", "", 404, nil)
	api.json("GET", base+"/feedback/nope/similar_items", "", 404, nil)
	ctx := tandem.WithActor(context.Background(), e.owner.ID)
	other := &tandem.Workspace{Slug: "other", Name: "Other"}
	if err := e.st.CreateWorkspace(ctx, other, e.owner.ID); err != nil {
		t.Fatal(err)
	}
	ox := &tandem.Item{Kind: tandem.KindFeature, Title: "Card delivery tracking"}
	ox.Defaults()
	if err := e.st.CreateItem(ctx, other.ID, ox); err != nil {
		t.Fatal(err)
	}
	of := &tandem.Feedback{Text: "My card was not delivered", Source: tandem.SourceEmail}
	of.Defaults()
	if err := e.st.CreateFeedback(ctx, other.ID, of); err != nil {
		t.Fatal(err)
	}
	api.json("GET", base+"/items/"+ox.ID+"/similar_feedback", "", 404, nil)
	api.json("GET", base+"/feedback/"+of.ID+"/similar_items", "", 404, nil)
	api.json("GET", "/api/v1/workspaces/other/items/"+ox.ID+"/similar_feedback", "", 200, &got)
	if len(got.Data) != 1 || got.Data[0].Feedback.ID != of.ID {
		t.Fatalf("other workspace sees %+v", got.Data)
	}
}

// Concurrent first requests build the index once.
func TestSimilarBuildOnce(t *testing.T) {
	e := newVoxEnv(t)
	card, _, _, _ := similarFixture(t, e)
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := e.srv.similarFeedback(context.Background(), e.ws.ID, card.ID, 5); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if n := e.srv.similarCache.buildCount(); n != 1 {
		t.Fatalf("%d builds", n)
	}
}

// The cache keeps at most similarMaxWorkspaces workspaces, least recently used out.
func TestSimilarCacheLRU(t *testing.T) {
	var c similarCache
	c.entries = map[string]*similarEntry{}
	for i := range similarMaxWorkspaces + 2 {
		ws := fmt.Sprint("ws", i)
		c.entries[ws] = &similarEntry{}
		c.touch(ws)
		if i == similarMaxWorkspaces-1 {
			c.touch("ws0") // ws0 used again: ws1 is now the oldest
		}
	}
	if len(c.entries) != similarMaxWorkspaces || c.entries["ws0"] == nil || c.entries["ws1"] != nil || c.entries["ws2"] != nil {
		t.Fatalf("entries %v, lru %v", len(c.entries), c.lru)
	}
}

// Writes interleaved with concurrent requests: every answer comes from a
// finished build, and the last feedback is found in the end.
func TestSimilarWritesWhileSearching(t *testing.T) {
	e := newVoxEnv(t)
	card, _, _, _ := similarFixture(t, e)
	ctx := tandem.WithActor(context.Background(), e.owner.ID)
	var wg sync.WaitGroup
	var last *tandem.Feedback
	for i := range 5 {
		last = &tandem.Feedback{Text: fmt.Sprintf("Card delivery problem number %d", i), Source: tandem.SourceEmail}
		last.Defaults()
		if err := e.st.CreateFeedback(ctx, e.ws.ID, last); err != nil {
			t.Fatal(err)
		}
		for range 3 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := e.srv.similarFeedback(context.Background(), e.ws.ID, card.ID, 50); err != nil {
					t.Error(err)
				}
			}()
		}
	}
	wg.Wait()
	hits, err := e.srv.similarFeedback(context.Background(), e.ws.ID, card.ID, 50)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, h := range hits {
		found = found || h.Feedback.ID == last.ID
	}
	if !found || e.srv.similarCache.buildCount() > 6 {
		t.Fatalf("last feedback found %v after %d builds", found, e.srv.similarCache.buildCount())
	}
}
