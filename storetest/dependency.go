package storetest

import (
	"strings"
	"testing"

	"github.com/tandem-pm/tandem"
)

func depIDs(l []*tandem.Dependency) []string {
	return ids(l, func(d *tandem.Dependency) string { return d.ID })
}

func testDependencies(t *testing.T, open Opener) {
	f := newFixture(t, open)
	s, ctx, ws := f.s, f.ctx, f.ws
	pr := &tandem.Project{Name: "Portal"}
	must(t, s.CreateProject(ctx, ws, pr))
	a := f.item(t, "A", func(x *tandem.Item) { x.ProjectID = pr.ID })
	b := f.item(t, "B")
	c := f.item(t, "C")
	ab := &tandem.Dependency{PredecessorID: a.ID, SuccessorID: b.ID, LagDays: -2}
	must(t, s.CreateDependency(ctx, ws, ab))
	if ab.ID == "" || ab.Type != tandem.FinishToStart || ab.Version != 1 {
		t.Fatalf("CreateDependency: got %+v", ab)
	}
	bc := &tandem.Dependency{PredecessorID: b.ID, SuccessorID: c.ID, Type: tandem.StartToStart}
	must(t, s.CreateDependency(ctx, ws, bc))
	got, err := s.FindDependencyByID(ctx, ws, ab.ID)
	must(t, err)
	if *got != *ab {
		t.Errorf("FindDependencyByID:\n got %+v\nwant %+v", got, ab)
	}

	for _, tt := range []struct {
		name  string
		dep   tandem.Dependency
		code  string
		field string
	}{
		{"same pair again", tandem.Dependency{PredecessorID: a.ID, SuccessorID: b.ID}, tandem.EConflict, ""},
		{"itself", tandem.Dependency{PredecessorID: a.ID, SuccessorID: a.ID}, tandem.EInvalid, "successor_id"},
		{"unknown predecessor", tandem.Dependency{PredecessorID: tandem.NewID(), SuccessorID: a.ID}, tandem.EInvalid, "predecessor_id"},
		{"no successor", tandem.Dependency{PredecessorID: a.ID}, tandem.EInvalid, "successor_id"},
		{"bad type", tandem.Dependency{PredecessorID: a.ID, SuccessorID: c.ID, Type: "XX"}, tandem.EInvalid, "type"},
		{"two-item cycle", tandem.Dependency{PredecessorID: b.ID, SuccessorID: a.ID}, tandem.EConflict, ""},
	} {
		t.Run("CreateDependency/"+tt.name, func(t *testing.T) {
			d := tt.dep
			err := s.CreateDependency(ctx, ws, &d)
			wantCode(t, err, tt.code)
			if tt.field != "" {
				wantField(t, err, tt.field)
			}
		})
	}

	for _, tt := range []struct {
		name   string
		filter tandem.DependencyFilter
		want   []string
	}{
		{"all", tandem.DependencyFilter{}, []string{ab.ID, bc.ID}},
		{"item at either end", tandem.DependencyFilter{ItemID: b.ID}, []string{ab.ID, bc.ID}},
		{"item", tandem.DependencyFilter{ItemID: c.ID}, []string{bc.ID}},
		{"predecessor", tandem.DependencyFilter{PredecessorID: b.ID}, []string{bc.ID}},
		{"successor", tandem.DependencyFilter{SuccessorID: b.ID}, []string{ab.ID}},
		{"project", tandem.DependencyFilter{ProjectID: pr.ID}, []string{ab.ID}},
	} {
		t.Run("FindDependencies/"+tt.name, func(t *testing.T) {
			list, _, err := s.FindDependencies(ctx, ws, tt.filter)
			must(t, err)
			sameIDs(t, "dependencies", depIDs(list), tt.want)
		})
	}

	up, err := s.UpdateDependency(ctx, ws, ab.ID, tandem.DependencyUpdate{Type: ptr(tandem.FinishToFinish), LagDays: ptr(1.5)}, 1)
	must(t, err)
	if up.Type != tandem.FinishToFinish || up.LagDays != 1.5 || up.Version != 2 || up.PredecessorID != a.ID {
		t.Errorf("UpdateDependency: got %+v", up)
	}
	_, err = s.UpdateDependency(ctx, ws, ab.ID, tandem.DependencyUpdate{LagDays: ptr(5000.0)}, 0)
	wantField(t, err, "lag_days")
	must(t, s.DeleteDependency(ctx, ws, ab.ID))
	_, err = s.FindDependencyByID(ctx, ws, ab.ID)
	wantCode(t, err, tandem.ENotFound)
	// With A → B gone, B → A no longer closes a cycle.
	must(t, s.CreateDependency(ctx, ws, &tandem.Dependency{PredecessorID: b.ID, SuccessorID: a.ID}))
}

func testDependencyCycle(t *testing.T, open Opener) {
	f := newFixture(t, open)
	s, ctx, ws := f.s, f.ctx, f.ws
	design, build, test := f.item(t, "Design"), f.item(t, "Build"), f.item(t, "Test")
	side := f.item(t, "Docs")
	f.dep(t, design.ID, build.ID)
	f.dep(t, build.ID, test.ID)
	f.dep(t, design.ID, side.ID)
	f.dep(t, side.ID, test.ID)
	before, _, err := s.FindDependencies(ctx, ws, tandem.DependencyFilter{})
	must(t, err)

	err = s.CreateDependency(ctx, ws, &tandem.Dependency{PredecessorID: test.ID, SuccessorID: design.ID})
	wantCode(t, err, tandem.EConflict)
	msg := tandem.ErrorMessage(err)
	// The shortest way round is one of two, both with three items.
	want1 := `"Design" → "Build" → "Test" → "Design"`
	want2 := `"Design" → "Docs" → "Test" → "Design"`
	if !strings.Contains(msg, want1) && !strings.Contains(msg, want2) {
		t.Errorf("cycle message: got %q, want it to name the cycle %s", msg, want1)
	}
	after, _, err := s.FindDependencies(ctx, ws, tandem.DependencyFilter{})
	must(t, err)
	if len(after) != len(before) {
		t.Errorf("refused dependency was stored: got %d dependencies, want %d", len(after), len(before))
	}

	// A longer chain: every item of the cycle is named, in order.
	var chain []*tandem.Item
	for _, title := range []string{"S1", "S2", "S3", "S4", "S5"} {
		chain = append(chain, f.item(t, title))
	}
	for i := 1; i < len(chain); i++ {
		f.dep(t, chain[i-1].ID, chain[i].ID)
	}
	err = s.CreateDependency(ctx, ws, &tandem.Dependency{PredecessorID: chain[4].ID, SuccessorID: chain[0].ID})
	wantCode(t, err, tandem.EConflict)
	if want := `"S1" → "S2" → "S3" → "S4" → "S5" → "S1"`; !strings.Contains(tandem.ErrorMessage(err), want) {
		t.Errorf("cycle message: got %q, want it to contain %s", tandem.ErrorMessage(err), want)
	}
}

func testComments(t *testing.T, open Opener) {
	f := newFixture(t, open)
	s, ctx, ws := f.s, f.ctx, f.ws
	it := f.item(t, "Login")
	g := f.goal(t, "Grow", "")
	c := &tandem.Comment{EntityType: tandem.EntityItem, EntityID: it.ID, Body: "Needs a design review."}
	must(t, s.CreateComment(ctx, ws, c))
	if c.ID == "" || c.AuthorID != f.owner.ID || c.AuthorName != f.owner.Name || c.Version != 1 {
		t.Fatalf("CreateComment: got %+v", c)
	}
	c2 := &tandem.Comment{EntityType: tandem.EntityGoal, EntityID: g.ID, AuthorID: f.member.ID, Body: "Agreed."}
	must(t, s.CreateComment(ctx, ws, c2))
	got, err := s.FindCommentByID(ctx, ws, c.ID)
	must(t, err)
	if *got != *c {
		t.Errorf("FindCommentByID:\n got %+v\nwant %+v", got, c)
	}
	for _, tt := range []struct {
		name  string
		c     tandem.Comment
		field string
	}{
		{"entity in another workspace", tandem.Comment{EntityType: tandem.EntityItem, EntityID: f.otherItem(t).ID, Body: "x"}, "entity_id"},
		{"entity of another type", tandem.Comment{EntityType: tandem.EntityGoal, EntityID: it.ID, Body: "x"}, "entity_id"},
		{"unknown type", tandem.Comment{EntityType: "risk", EntityID: it.ID, Body: "x"}, "entity_type"},
		{"empty body", tandem.Comment{EntityType: tandem.EntityItem, EntityID: it.ID, Body: " "}, "body"},
		{"author not a member", tandem.Comment{EntityType: tandem.EntityItem, EntityID: it.ID, AuthorID: f.outsider.ID, Body: "x"}, "author_id"},
	} {
		t.Run("CreateComment/"+tt.name, func(t *testing.T) {
			c := tt.c
			wantField(t, s.CreateComment(ctx, ws, &c), tt.field)
		})
	}
	list, _, err := s.FindComments(ctx, ws, tandem.CommentFilter{EntityType: tandem.EntityItem, EntityID: it.ID})
	must(t, err)
	sameIDs(t, "FindComments by entity", ids(list, func(c *tandem.Comment) string { return c.ID }), []string{c.ID})
	list, _, err = s.FindComments(ctx, ws, tandem.CommentFilter{})
	must(t, err)
	sameIDs(t, "FindComments", ids(list, func(c *tandem.Comment) string { return c.ID }), []string{c.ID, c2.ID})

	up, err := s.UpdateComment(ctx, ws, c.ID, tandem.CommentUpdate{Body: ptr("Reviewed.")}, 1)
	must(t, err)
	if up.Body != "Reviewed." || up.Version != 2 || up.AuthorName != f.owner.Name {
		t.Errorf("UpdateComment: got %+v", up)
	}
	_, err = s.UpdateComment(ctx, ws, c.ID, tandem.CommentUpdate{Body: ptr("")}, 0)
	wantField(t, err, "body")
	must(t, s.DeleteComment(ctx, ws, c.ID))
	_, err = s.FindCommentByID(ctx, ws, c.ID)
	wantCode(t, err, tandem.ENotFound)
	// Deleting a goal deletes the comments on it.
	must(t, s.DeleteGoal(ctx, ws, g.ID))
	_, err = s.FindCommentByID(ctx, ws, c2.ID)
	wantCode(t, err, tandem.ENotFound)
}

// otherItem creates an item in the other workspace.
func (f *fixture) otherItem(t *testing.T) *tandem.Item {
	t.Helper()
	x := &tandem.Item{Kind: tandem.KindTask, Title: "Foreign"}
	must(t, f.s.CreateItem(f.otherCtx(), f.other, x))
	return x
}
