package storetest

import (
	"encoding/json"
	"testing"

	"github.com/tandem-pm/tandem"
)

// testListedItemsMatchFound: a listed item is the item FindItemByID
// returns, field for field (the list reads fewer columns and scans them
// its own way), with its goal IDs in order, for items with every optional
// field set and with none.
func testListedItemsMatchFound(t *testing.T, open Opener) {
	f := newFixture(t, open)
	s, ctx, ws := f.s, f.ctx, f.ws
	g1, g2, g3 := f.goal(t, "One", ""), f.goal(t, "Two", ""), f.goal(t, "Three", "")
	pr := &tandem.Project{Name: "Portal"}
	must(t, s.CreateProject(ctx, ws, pr))
	pd := &tandem.Product{Name: "App"}
	must(t, s.CreateProduct(ctx, ws, pd))
	bare := f.item(t, "Bare")
	full := f.item(t, `Full <item> & "quotes"`, func(x *tandem.Item) {
		x.Kind, x.ParentID, x.ProjectID, x.ProductID, x.AssigneeID = tandem.KindFeature, bare.ID, pr.ID, pd.ID, f.member.ID
		x.Description, x.Status, x.EffortHours, x.DurationDays, x.Progress = "Ünïcode\nlines", tandem.StatusInProgress, 12.5, 3, 40
		x.PlannedStart, x.PlannedFinish = tandem.Date{Year: 2026, Month: 2, Day: 28}, tandem.Date{Year: 2026, Month: 3, Day: 3}
		x.GoalIDs = []string{g3.ID, g1.ID, g2.ID}
	})
	one := f.item(t, "One goal", func(x *tandem.Item) { x.GoalIDs = []string{g2.ID} })
	f.item(t, "Elsewhere") // beyond the page of 3 below
	_, err := s.UpdateItem(ctx, ws, full.ID, tandem.ItemUpdate{Title: ptr("Full, updated")}, full.Version)
	must(t, err)

	list, next, err := s.FindItems(ctx, ws, tandem.ItemFilter{Page: tandem.Page{Limit: 3}})
	must(t, err)
	if len(list) != 3 || next == "" {
		t.Fatalf("got %d items and next cursor %q, want 3 and a cursor", len(list), next)
	}
	for i, want := range []*tandem.Item{bare, full, one} {
		found, err := s.FindItemByID(ctx, ws, want.ID)
		must(t, err)
		got, _ := json.Marshal(list[i])
		wantJSON, _ := json.Marshal(found)
		if string(got) != string(wantJSON) {
			t.Errorf("listed item %d:\n got %s\nwant %s", i, got, wantJSON)
		}
	}
	if got := list[1].GoalIDs; len(got) != 3 || got[0] > got[1] || got[1] > got[2] {
		t.Errorf("goal IDs of the full item: got %v, want three in order", got)
	}
	if got := list[0].GoalIDs; got == nil || len(got) != 0 {
		t.Errorf("goal IDs of the bare item: got %#v, want an empty list", got)
	}
}
