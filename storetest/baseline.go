package storetest

import (
	"strings"
	"testing"

	"github.com/tandem-pm/tandem"
)

func day(y, m, d int) tandem.Date { return tandem.Date{Year: y, Month: m, Day: d} }

func testBaselines(t *testing.T, open Opener) {
	f := newFixture(t, open)
	s, ctx, ws := f.s, f.ctx, f.ws
	pr := &tandem.Project{Name: "Portal"}
	must(t, s.CreateProject(ctx, ws, pr))
	a := f.item(t, "A", func(x *tandem.Item) { x.ProjectID = pr.ID })
	b := f.item(t, "B", func(x *tandem.Item) { x.ProjectID = pr.ID })
	c := f.item(t, "C", func(x *tandem.Item) { x.ProjectID = pr.ID })

	first := &tandem.Baseline{ProjectID: pr.ID, Name: " Plan of record ", Items: []tandem.BaselineItem{
		{ItemID: b.ID, Start: day(2026, 1, 12), Finish: day(2026, 1, 14)},
		{ItemID: a.ID, Start: day(2026, 1, 5), Finish: day(2026, 1, 9)},
		{ItemID: c.ID, Start: day(2026, 1, 15)},
	}}
	must(t, s.CreateBaseline(ctx, ws, first))
	if !tandem.IsID(first.ID) || first.Version != 1 || first.WorkspaceID != ws || first.Name != "Plan of record" || first.CreatedAt.IsZero() {
		t.Fatalf("CreateBaseline: got %+v", first)
	}
	got, err := s.FindBaselineByID(ctx, ws, first.ID)
	must(t, err)
	if got.Name != first.Name || got.ProjectID != pr.ID || !got.CreatedAt.Equal(first.CreatedAt) {
		t.Errorf("FindBaselineByID: got %+v, want %+v", got, first)
	}
	if len(got.Items) != 3 || got.Items[0] != first.Items[0] || got.Items[1] != first.Items[1] || got.Items[2] != first.Items[2] {
		t.Errorf("FindBaselineByID items, in the order given:\n got %+v\nwant %+v", got.Items, first.Items)
	}
	second := &tandem.Baseline{ProjectID: pr.ID, Name: "Re-plan", Items: []tandem.BaselineItem{{ItemID: a.ID, Start: day(2026, 2, 2), Finish: day(2026, 2, 6)}}}
	must(t, s.CreateBaseline(ctx, ws, second))
	empty := &tandem.Baseline{ProjectID: pr.ID, Name: "Nothing scheduled yet"}
	must(t, s.CreateBaseline(ctx, ws, empty))
	list, err := s.FindBaselines(ctx, ws, pr.ID)
	must(t, err)
	if gotIDs := ids(list, func(b *tandem.Baseline) string { return b.ID }); len(gotIDs) != 3 || gotIDs[0] != empty.ID || gotIDs[1] != second.ID || gotIDs[2] != first.ID {
		t.Errorf("FindBaselines: got %v, want newest first", gotIDs)
	}
	for _, x := range list {
		if len(x.Items) != 0 {
			t.Errorf("FindBaselines: baseline %s carries %d items, want none", x.ID, len(x.Items))
		}
	}

	for _, tt := range []struct {
		name  string
		b     tandem.Baseline
		code  string
		field string
	}{
		{"no name", tandem.Baseline{ProjectID: pr.ID, Name: "  "}, tandem.EInvalid, "name"},
		{"no project", tandem.Baseline{Name: "X"}, tandem.EInvalid, "project_id"},
		{"unknown project", tandem.Baseline{ProjectID: tandem.NewID(), Name: "X"}, tandem.EInvalid, "project_id"},
		{"item of another workspace", tandem.Baseline{ProjectID: pr.ID, Name: "X", Items: []tandem.BaselineItem{{ItemID: f.otherItem(t).ID}}}, tandem.EInvalid, "items"},
		{"unknown item", tandem.Baseline{ProjectID: pr.ID, Name: "X", Items: []tandem.BaselineItem{{ItemID: tandem.NewID()}}}, tandem.EInvalid, "items"},
		{"item twice", tandem.Baseline{ProjectID: pr.ID, Name: "X", Items: []tandem.BaselineItem{{ItemID: a.ID}, {ItemID: a.ID}}}, tandem.EInvalid, "items"},
		{"finish before start", tandem.Baseline{ProjectID: pr.ID, Name: "X", Items: []tandem.BaselineItem{{ItemID: a.ID, Start: day(2026, 1, 9), Finish: day(2026, 1, 5)}}}, tandem.EInvalid, "items"},
	} {
		t.Run("CreateBaseline/"+tt.name, func(t *testing.T) {
			x := tt.b
			err := s.CreateBaseline(ctx, ws, &x)
			wantCode(t, err, tt.code)
			wantField(t, err, tt.field)
		})
	}
	if list, _ := s.FindBaselines(ctx, ws, pr.ID); len(list) != 3 {
		t.Errorf("failed creates left %d baselines, want 3", len(list))
	}

	// Another workspace sees nothing.
	_, err = s.FindBaselineByID(f.otherCtx(), f.other, first.ID)
	wantCode(t, err, tandem.ENotFound)
	_, err = s.FindBaselines(f.otherCtx(), f.other, pr.ID)
	wantCode(t, err, tandem.ENotFound)
	wantCode(t, s.DeleteBaseline(f.otherCtx(), f.other, first.ID), tandem.ENotFound)
	_, err = s.FindBaselineByID(ctx, ws, "not-an-id")
	wantCode(t, err, tandem.ENotFound)

	// Deleting an item takes it out of the baselines that have it.
	must(t, s.DeleteItem(ctx, ws, c.ID))
	got, err = s.FindBaselineByID(ctx, ws, first.ID)
	must(t, err)
	if len(got.Items) != 2 {
		t.Errorf("after deleting C, the baseline has %d items, want 2", len(got.Items))
	}

	must(t, s.DeleteBaseline(ctx, ws, second.ID))
	_, err = s.FindBaselineByID(ctx, ws, second.ID)
	wantCode(t, err, tandem.ENotFound)
	wantCode(t, s.DeleteBaseline(ctx, ws, second.ID), tandem.ENotFound)

	acts, _, err := s.FindActivity(ctx, ws, tandem.ActivityFilter{EntityType: tandem.EntityBaseline})
	must(t, err)
	var creates, deletes int
	for _, x := range acts {
		switch x.Action {
		case tandem.ActionCreate:
			creates++
		case tandem.ActionDelete:
			deletes++
		}
		if x.ActorID != f.owner.ID {
			t.Errorf("baseline activity by %q, want the owner", x.ActorID)
		}
	}
	if creates != 3 || deletes != 1 {
		t.Errorf("baseline activity: %d creates and %d deletes, want 3 and 1", creates, deletes)
	}

	// Deleting the project deletes its baselines.
	must(t, s.DeleteProject(ctx, ws, pr.ID))
	_, err = s.FindBaselineByID(ctx, ws, first.ID)
	wantCode(t, err, tandem.ENotFound)
}

func testImportProject(t *testing.T, open Opener) {
	f := newFixture(t, open)
	s, ctx, ws := f.s, f.ctx, f.ws
	plan := func() (*tandem.Project, []*tandem.Item, []*tandem.Dependency) {
		p := &tandem.Project{Meta: tandem.Meta{ID: tandem.NewID()}, Name: "Imported", StartDate: day(2026, 1, 5)}
		epic := &tandem.Item{Meta: tandem.Meta{ID: tandem.NewID()}, Kind: tandem.KindEpic, Title: "Epic", ProjectID: p.ID}
		a := &tandem.Item{Meta: tandem.Meta{ID: tandem.NewID()}, Kind: tandem.KindTask, Title: "A", ProjectID: p.ID, ParentID: epic.ID, DurationDays: 5}
		b := &tandem.Item{Meta: tandem.Meta{ID: tandem.NewID()}, Kind: tandem.KindTask, Title: "B", ProjectID: p.ID, ParentID: epic.ID, DurationDays: 3,
			PlannedStart: day(2026, 1, 12)}
		m := &tandem.Item{Meta: tandem.Meta{ID: tandem.NewID()}, Kind: tandem.KindMilestone, Title: "Live", ProjectID: p.ID}
		deps := []*tandem.Dependency{
			{Meta: tandem.Meta{ID: tandem.NewID()}, PredecessorID: a.ID, SuccessorID: b.ID},
			{Meta: tandem.Meta{ID: tandem.NewID()}, PredecessorID: b.ID, SuccessorID: m.ID, Type: tandem.FinishToFinish, LagDays: 1},
		}
		return p, []*tandem.Item{epic, a, b, m}, deps
	}

	p, items, deps := plan()
	cal := &tandem.Calendar{Name: "From the file", Week: tandem.StandardWeek()}
	base := &tandem.Baseline{Name: "Baseline", Items: []tandem.BaselineItem{{ItemID: items[1].ID, Start: day(2026, 1, 5), Finish: day(2026, 1, 9)}}}
	must(t, s.ImportProject(ctx, ws, &tandem.ProjectImport{Project: p, Items: items, Dependencies: deps, Calendar: cal, Baselines: []*tandem.Baseline{base}}))
	got, err := s.FindProjectByID(ctx, ws, p.ID)
	must(t, err)
	if got.Name != "Imported" || got.Version != 1 || got.Status != tandem.ProjectProposed || got.CalendarID == "" || got.CalendarID != cal.ID {
		t.Errorf("imported project: %+v (calendar %s)", got, cal.ID)
	}
	if c, err := s.FindCalendarByID(ctx, ws, cal.ID); err != nil || c.Name != "From the file" {
		t.Errorf("imported calendar: %+v, %v", c, err)
	}
	if bl, err := s.FindBaselines(ctx, ws, p.ID); err != nil || len(bl) != 1 || bl[0].Name != "Baseline" {
		t.Errorf("imported baselines: %+v, %v", bl, err)
	} else if full, err := s.FindBaselineByID(ctx, ws, bl[0].ID); err != nil || len(full.Items) != 1 || full.Items[0].Finish != day(2026, 1, 9) {
		t.Errorf("imported baseline items: %+v, %v", full, err)
	}
	stored, _, err := s.FindItems(ctx, ws, tandem.ItemFilter{ProjectID: p.ID})
	must(t, err)
	if len(stored) != 4 {
		t.Fatalf("got %d imported items, want 4", len(stored))
	}
	bID := items[2].ID
	x, err := s.FindItemByID(ctx, ws, bID)
	must(t, err)
	if x.ParentID != items[0].ID || x.PlannedStart != day(2026, 1, 12) || x.DurationDays != 3 || x.Status != tandem.StatusBacklog {
		t.Errorf("imported B: %+v", x)
	}
	ds, _, err := s.FindDependencies(ctx, ws, tandem.DependencyFilter{ProjectID: p.ID})
	must(t, err)
	if len(ds) != 2 {
		t.Errorf("got %d imported dependencies, want 2", len(ds))
	}
	acts, _, err := s.FindActivity(ctx, ws, tandem.ActivityFilter{})
	must(t, err)
	if len(acts) < 9 {
		t.Errorf("the import wrote %d activity rows, want one per project, item, dependency, calendar and baseline (9)", len(acts))
	}

	// Failures leave nothing behind.
	for _, tt := range []struct {
		name string
		mod  func(p *tandem.Project, items []*tandem.Item, deps []*tandem.Dependency) []*tandem.Dependency
		code string
	}{
		{"a cycle", func(p *tandem.Project, items []*tandem.Item, deps []*tandem.Dependency) []*tandem.Dependency {
			return append(deps, &tandem.Dependency{Meta: tandem.Meta{ID: tandem.NewID()}, PredecessorID: items[3].ID, SuccessorID: items[1].ID})
		}, tandem.EConflict},
		{"a link outside the import", func(p *tandem.Project, items []*tandem.Item, deps []*tandem.Dependency) []*tandem.Dependency {
			return append(deps, &tandem.Dependency{Meta: tandem.Meta{ID: tandem.NewID()}, PredecessorID: f.otherItem(t).ID, SuccessorID: items[1].ID})
		}, tandem.EInvalid},
		{"a pair twice", func(p *tandem.Project, items []*tandem.Item, deps []*tandem.Dependency) []*tandem.Dependency {
			return append(deps, &tandem.Dependency{Meta: tandem.Meta{ID: tandem.NewID()}, PredecessorID: items[1].ID, SuccessorID: items[2].ID})
		}, tandem.EConflict},
		{"a bad item", func(p *tandem.Project, items []*tandem.Item, deps []*tandem.Dependency) []*tandem.Dependency {
			items[3].Title = ""
			return deps
		}, tandem.EInvalid},
		{"an unknown program", func(p *tandem.Project, items []*tandem.Item, deps []*tandem.Dependency) []*tandem.Dependency {
			p.ProgramID = tandem.NewID()
			return deps
		}, tandem.EInvalid},
		{"a baseline of an item outside the workspace", func(p *tandem.Project, items []*tandem.Item, deps []*tandem.Dependency) []*tandem.Dependency {
			return deps
		}, tandem.EInvalid},
	} {
		t.Run("ImportProject/"+tt.name, func(t *testing.T) {
			p, items, deps := plan()
			deps = tt.mod(p, items, deps)
			cal := &tandem.Calendar{Name: "Refused " + tt.name, Week: tandem.StandardWeek()}
			base := &tandem.Baseline{Name: "Baseline", Items: []tandem.BaselineItem{{ItemID: items[1].ID, Start: day(2026, 1, 5), Finish: day(2026, 1, 9)}}}
			if strings.HasPrefix(tt.name, "a baseline") {
				base.Items[0].ItemID = tandem.NewID()
			}
			wantCode(t, s.ImportProject(ctx, ws, &tandem.ProjectImport{Project: p, Items: items, Dependencies: deps, Calendar: cal, Baselines: []*tandem.Baseline{base}}), tt.code)
			cals, _, err := s.FindCalendars(ctx, ws, tandem.CalendarFilter{Q: "Refused"})
			must(t, err)
			if len(cals) != 0 {
				t.Errorf("a refused import left its calendar behind: %+v", cals[0])
			}
			_, err = s.FindProjectByID(ctx, ws, p.ID)
			wantCode(t, err, tandem.ENotFound)
			_, err = s.FindItemByID(ctx, ws, items[1].ID)
			wantCode(t, err, tandem.ENotFound)
		})
	}
}
