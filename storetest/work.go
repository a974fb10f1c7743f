package storetest

import (
	"testing"

	"github.com/tandem-pm/tandem"
)

func programIDs(l []*tandem.Program) []string {
	return ids(l, func(x *tandem.Program) string { return x.ID })
}

func testPrograms(t *testing.T, open Opener) {
	f := newFixture(t, open)
	s, ctx, ws := f.s, f.ctx, f.ws
	g1, g2 := f.goal(t, "Digital", ""), f.goal(t, "Efficiency", "")
	p := &tandem.Program{Name: "Digital Transformation", Objective: "Move customers online", Sponsor: "COO", ManagerID: f.member.ID,
		StartDate: date("2026-01-01"), EndDate: date("2027-06-30"), Budget: tandem.Money{Amount: 250_000_000, Currency: "EUR"}, GoalIDs: []string{g1.ID, g2.ID}}
	must(t, s.CreateProgram(ctx, ws, p))
	if p.ID == "" || p.Version != 1 || p.Status != tandem.ProgramProposed || p.Health != tandem.HealthGreen {
		t.Fatalf("CreateProgram: got %+v", p)
	}
	got, err := s.FindProgramByID(ctx, ws, p.ID)
	must(t, err)
	if got.Name != p.Name || got.Budget != p.Budget || got.StartDate != p.StartDate || got.EndDate != p.EndDate ||
		got.ManagerID != p.ManagerID || len(got.GoalIDs) != 2 || !got.CreatedAt.Equal(p.CreatedAt) {
		t.Errorf("FindProgramByID:\n got %+v\nwant %+v", got, p)
	}
	q := &tandem.Program{Name: "Platform migration", Status: tandem.ProgramActive, Health: tandem.HealthRed, HealthReason: "vendor late", GoalIDs: []string{g2.ID}}
	must(t, s.CreateProgram(ctx, ws, q))
	r := &tandem.Program{Name: "Data platform"}
	must(t, s.CreateProgram(ctx, ws, r))
	if r.GoalIDs == nil {
		t.Errorf("CreateProgram: GoalIDs is nil, want an empty list")
	}

	for _, tt := range []struct {
		name   string
		filter tandem.ProgramFilter
		want   []string
	}{
		{"all", tandem.ProgramFilter{}, []string{p.ID, q.ID, r.ID}},
		{"status", tandem.ProgramFilter{Status: tandem.ProgramActive}, []string{q.ID}},
		{"health", tandem.ProgramFilter{Health: tandem.HealthGreen}, []string{p.ID, r.ID}},
		{"goal", tandem.ProgramFilter{GoalID: g2.ID}, []string{p.ID, q.ID}},
		{"q", tandem.ProgramFilter{Q: "PLATFORM"}, []string{q.ID, r.ID}},
		{"q and status", tandem.ProgramFilter{Q: "platform", Status: tandem.ProgramProposed}, []string{r.ID}},
	} {
		t.Run("FindPrograms/"+tt.name, func(t *testing.T) {
			list, _, err := s.FindPrograms(ctx, ws, tt.filter)
			must(t, err)
			sameIDs(t, "programs", programIDs(list), tt.want)
		})
	}
	list, _, err := s.FindPrograms(ctx, ws, tandem.ProgramFilter{GoalID: g1.ID})
	must(t, err)
	if len(list) != 1 || len(list[0].GoalIDs) != 2 {
		t.Errorf("FindPrograms loads goal IDs: got %+v", list)
	}

	_, err = s.UpdateProgram(ctx, ws, p.ID, tandem.ProgramUpdate{Health: ptr(tandem.HealthAmber)}, 0)
	wantField(t, err, "health_reason")
	up, err := s.UpdateProgram(ctx, ws, p.ID, tandem.ProgramUpdate{Health: ptr(tandem.HealthAmber), HealthReason: ptr("hiring"), GoalIDs: &[]string{g1.ID}}, 1)
	must(t, err)
	if up.Version != 2 || up.Health != tandem.HealthAmber || len(up.GoalIDs) != 1 || up.Sponsor != "COO" {
		t.Errorf("UpdateProgram: got %+v", up)
	}
	got, err = s.FindProgramByID(ctx, ws, p.ID)
	must(t, err)
	sameIDs(t, "goal IDs after update", got.GoalIDs, []string{g1.ID})

	// Deleting a program keeps its projects, outside any program.
	pr := &tandem.Project{Name: "Customer portal", ProgramID: p.ID}
	must(t, s.CreateProject(ctx, ws, pr))
	must(t, s.DeleteProgram(ctx, ws, p.ID))
	_, err = s.FindProgramByID(ctx, ws, p.ID)
	wantCode(t, err, tandem.ENotFound)
	gotPr, err := s.FindProjectByID(ctx, ws, pr.ID)
	must(t, err)
	if gotPr.ProgramID != "" || gotPr.Version != 2 {
		t.Errorf("project after its program's deletion: got program %q version %d, want none and 2", gotPr.ProgramID, gotPr.Version)
	}
	acts, _, err := s.FindActivity(ctx, ws, tandem.ActivityFilter{EntityID: pr.ID})
	must(t, err)
	if len(acts) != 2 || acts[0].Action != tandem.ActionUpdate {
		t.Errorf("project's activity after its program's deletion: got %d rows, want a create and an update", len(acts))
	}
	// Deleting a goal removes the alignments to it.
	must(t, s.DeleteGoal(ctx, ws, g2.ID))
	got, err = s.FindProgramByID(ctx, ws, q.ID)
	must(t, err)
	if len(got.GoalIDs) != 0 || got.Version != 2 {
		t.Errorf("program after its goal's deletion: got goals %v version %d, want none and 2", got.GoalIDs, got.Version)
	}
	acts, _, err = s.FindActivity(ctx, ws, tandem.ActivityFilter{EntityID: q.ID})
	must(t, err)
	if len(acts) != 2 || !contains(string(acts[0].Before), g2.ID) || contains(string(acts[0].After), g2.ID) {
		t.Errorf("program's activity after its goal's deletion: got %d rows, want a create and an update without the goal", len(acts))
	}
}

func testProjects(t *testing.T, open Opener) {
	f := newFixture(t, open)
	s, ctx, ws := f.s, f.ctx, f.ws
	prog := &tandem.Program{Name: "Digital"}
	must(t, s.CreateProgram(ctx, ws, prog))
	a := &tandem.Project{Name: "Customer portal", ProgramID: prog.ID, ManagerID: f.member.ID, Budget: tandem.Money{Amount: 100, Currency: "USD"}}
	must(t, s.CreateProject(ctx, ws, a))
	b := &tandem.Project{Name: "Core API migration", Status: tandem.ProjectActive}
	must(t, s.CreateProject(ctx, ws, b))
	got, err := s.FindProjectByID(ctx, ws, a.ID)
	must(t, err)
	if got.ProgramID != prog.ID || got.ManagerID != f.member.ID || got.Budget != a.Budget || got.Status != tandem.ProjectProposed {
		t.Errorf("FindProjectByID: got %+v", got)
	}
	for _, tt := range []struct {
		name   string
		filter tandem.ProjectFilter
		want   []string
	}{
		{"all", tandem.ProjectFilter{}, []string{a.ID, b.ID}},
		{"program", tandem.ProjectFilter{ProgramID: prog.ID}, []string{a.ID}},
		{"status", tandem.ProjectFilter{Status: tandem.ProjectActive}, []string{b.ID}},
		{"q", tandem.ProjectFilter{Q: "api"}, []string{b.ID}},
	} {
		t.Run("FindProjects/"+tt.name, func(t *testing.T) {
			list, _, err := s.FindProjects(ctx, ws, tt.filter)
			must(t, err)
			sameIDs(t, "projects", ids(list, func(x *tandem.Project) string { return x.ID }), tt.want)
		})
	}
	up, err := s.UpdateProject(ctx, ws, b.ID, tandem.ProjectUpdate{ProgramID: &prog.ID, EndDate: ptr(date("2026-09-30"))}, 1)
	must(t, err)
	if up.ProgramID != prog.ID || up.EndDate != date("2026-09-30") || up.Version != 2 {
		t.Errorf("UpdateProject: got %+v", up)
	}
	_, err = s.UpdateProject(ctx, ws, b.ID, tandem.ProjectUpdate{Status: ptr("done")}, 0)
	wantField(t, err, "status")

	it := f.item(t, "Login page", func(x *tandem.Item) { x.ProjectID = a.ID })
	must(t, s.DeleteProject(ctx, ws, a.ID))
	_, err = s.FindProjectByID(ctx, ws, a.ID)
	wantCode(t, err, tandem.ENotFound)
	gotIt, err := s.FindItemByID(ctx, ws, it.ID)
	must(t, err)
	if gotIt.ProjectID != "" {
		t.Errorf("item after its project's deletion: got project %q, want none", gotIt.ProjectID)
	}
}

func testProducts(t *testing.T, open Opener) {
	f := newFixture(t, open)
	s, ctx, ws := f.s, f.ctx, f.ws
	g := f.goal(t, "Digital", "")
	a := &tandem.Product{Name: "Mobile Banking App", Vision: "Banking in your pocket", OwnerID: f.member.ID, GoalIDs: []string{g.ID}}
	must(t, s.CreateProduct(ctx, ws, a))
	b := &tandem.Product{Name: "Web banking"}
	must(t, s.CreateProduct(ctx, ws, b))
	got, err := s.FindProductByID(ctx, ws, a.ID)
	must(t, err)
	if got.Name != a.Name || got.Vision != a.Vision || got.OwnerID != a.OwnerID || len(got.GoalIDs) != 1 {
		t.Errorf("FindProductByID: got %+v", got)
	}
	for _, tt := range []struct {
		name   string
		filter tandem.ProductFilter
		want   []string
	}{
		{"all", tandem.ProductFilter{}, []string{a.ID, b.ID}},
		{"goal", tandem.ProductFilter{GoalID: g.ID}, []string{a.ID}},
		{"q", tandem.ProductFilter{Q: "WEB"}, []string{b.ID}},
	} {
		t.Run("FindProducts/"+tt.name, func(t *testing.T) {
			list, _, err := s.FindProducts(ctx, ws, tt.filter)
			must(t, err)
			sameIDs(t, "products", ids(list, func(x *tandem.Product) string { return x.ID }), tt.want)
		})
	}
	up, err := s.UpdateProduct(ctx, ws, a.ID, tandem.ProductUpdate{Strategy: ptr("Mobile first"), GoalIDs: &[]string{}}, 1)
	must(t, err)
	if up.Strategy != "Mobile first" || len(up.GoalIDs) != 0 || up.GoalIDs == nil || up.Version != 2 {
		t.Errorf("UpdateProduct: got %+v", up)
	}
	it := f.item(t, "Face ID login", func(x *tandem.Item) { x.ProductID = a.ID })
	must(t, s.DeleteProduct(ctx, ws, a.ID))
	_, err = s.FindProductByID(ctx, ws, a.ID)
	wantCode(t, err, tandem.ENotFound)
	gotIt, err := s.FindItemByID(ctx, ws, it.ID)
	must(t, err)
	if gotIt.ProductID != "" || gotIt.Version != 2 {
		t.Errorf("item after its product's deletion: got product %q version %d, want none and 2", gotIt.ProductID, gotIt.Version)
	}
}

func testItems(t *testing.T, open Opener) {
	f := newFixture(t, open)
	s, ctx, ws := f.s, f.ctx, f.ws
	g := f.goal(t, "Digital", "")
	epic := f.item(t, "Onboarding", func(x *tandem.Item) { x.Kind = tandem.KindEpic })
	x := &tandem.Item{Kind: tandem.KindFeature, ParentID: epic.ID, Title: " Face ID login ", Description: "**Fast** login", AssigneeID: f.member.ID,
		EffortHours: 12.5, DurationDays: 3, PlannedStart: date("2026-02-02"), PlannedFinish: date("2026-02-05"), Progress: 20, GoalIDs: []string{g.ID}}
	must(t, s.CreateItem(ctx, ws, x))
	if x.ID == "" || x.Version != 1 || x.Status != tandem.StatusBacklog || x.Title != "Face ID login" {
		t.Fatalf("CreateItem: got %+v", x)
	}
	got, err := s.FindItemByID(ctx, ws, x.ID)
	must(t, err)
	if got.Title != x.Title || got.Description != x.Description || got.ParentID != epic.ID || got.AssigneeID != f.member.ID ||
		got.EffortHours != 12.5 || got.DurationDays != 3 || got.PlannedStart != x.PlannedStart || got.PlannedFinish != x.PlannedFinish ||
		got.Progress != 20 || len(got.GoalIDs) != 1 || got.GoalIDs[0] != g.ID || !got.CreatedAt.Equal(x.CreatedAt) || got.WorkspaceID != ws {
		t.Errorf("FindItemByID:\n got %+v\nwant %+v", got, x)
	}
	task := f.item(t, "Enrol face", func(it *tandem.Item) { it.ParentID = x.ID })

	for _, tt := range []struct {
		name  string
		upd   tandem.ItemUpdate
		code  string
		field string
	}{
		{"same parent", tandem.ItemUpdate{ParentID: &epic.ID}, "", ""},
		{"under its child", tandem.ItemUpdate{ParentID: &task.ID}, tandem.EConflict, ""},
		{"bad kind", tandem.ItemUpdate{Kind: ptr("story")}, tandem.EInvalid, "kind"},
		{"progress over 100", tandem.ItemUpdate{Progress: ptr(101)}, tandem.EInvalid, "progress"},
		{"milestone with duration", tandem.ItemUpdate{Kind: ptr(tandem.KindMilestone)}, tandem.EInvalid, "duration_days"},
		{"unknown goal", tandem.ItemUpdate{GoalIDs: &[]string{tandem.NewID()}}, tandem.EInvalid, "goal_ids"},
	} {
		t.Run("UpdateItem/"+tt.name, func(t *testing.T) {
			_, err := s.UpdateItem(ctx, ws, x.ID, tt.upd, 0)
			wantCode(t, err, tt.code)
			if tt.field != "" {
				wantField(t, err, tt.field)
			}
		})
	}
	// Cycles through the epic: the epic may not go under its grandchild.
	_, err = s.UpdateItem(ctx, ws, epic.ID, tandem.ItemUpdate{ParentID: &task.ID}, 0)
	wantCode(t, err, tandem.EConflict)

	cur, err := s.FindItemByID(ctx, ws, x.ID)
	must(t, err)
	up, err := s.UpdateItem(ctx, ws, x.ID, tandem.ItemUpdate{Status: ptr(tandem.StatusInProgress), GoalIDs: &[]string{}}, cur.Version)
	must(t, err)
	if up.Status != tandem.StatusInProgress || up.Version != cur.Version+1 || len(up.GoalIDs) != 0 || up.EffortHours != 12.5 {
		t.Errorf("UpdateItem: got %+v", up)
	}

	// Deleting an item moves its children up and removes its dependencies and comments.
	other := f.item(t, "Other")
	d := f.dep(t, x.ID, other.ID)
	c := &tandem.Comment{EntityType: tandem.EntityItem, EntityID: x.ID, Body: "looks good"}
	must(t, s.CreateComment(ctx, ws, c))
	must(t, s.DeleteItem(ctx, ws, x.ID))
	_, err = s.FindItemByID(ctx, ws, x.ID)
	wantCode(t, err, tandem.ENotFound)
	gotTask, err := s.FindItemByID(ctx, ws, task.ID)
	must(t, err)
	if gotTask.ParentID != epic.ID || gotTask.Version != 2 {
		t.Errorf("child after its parent's deletion: got parent %q version %d, want %q and 2", gotTask.ParentID, gotTask.Version, epic.ID)
	}
	// Moving up is a change of the child's own, in the activity log.
	acts, _, err := s.FindActivity(ctx, ws, tandem.ActivityFilter{EntityType: tandem.EntityItem, EntityID: task.ID})
	must(t, err)
	if len(acts) != 2 || acts[0].Action != tandem.ActionUpdate || !contains(string(acts[0].Before), x.ID) || !contains(string(acts[0].After), epic.ID) {
		t.Errorf("child's activity after its parent's deletion: got %d rows, want a create and an update from parent %s to %s", len(acts), x.ID, epic.ID)
	}
	_, err = s.FindDependencyByID(ctx, ws, d.ID)
	wantCode(t, err, tandem.ENotFound)
	_, err = s.FindCommentByID(ctx, ws, c.ID)
	wantCode(t, err, tandem.ENotFound)
	wantCode(t, s.DeleteItem(ctx, ws, x.ID), tandem.ENotFound)
}

func testItemFilters(t *testing.T, open Opener) {
	f := newFixture(t, open)
	s, ctx, ws := f.s, f.ctx, f.ws
	g := f.goal(t, "Digital", "")
	pr := &tandem.Project{Name: "Portal"}
	must(t, s.CreateProject(ctx, ws, pr))
	pd := &tandem.Product{Name: "App"}
	must(t, s.CreateProduct(ctx, ws, pd))
	epic := f.item(t, "Payments epic", func(x *tandem.Item) { x.Kind = tandem.KindEpic; x.ProjectID = pr.ID })
	a := f.item(t, "Pay by QR code", func(x *tandem.Item) {
		x.ParentID = epic.ID
		x.ProjectID = pr.ID
		x.Status = tandem.StatusPlanned
		x.AssigneeID = f.member.ID
	})
	b := f.item(t, "Card freeze", func(x *tandem.Item) { x.ProductID = pd.ID; x.GoalIDs = []string{g.ID} })
	c := f.item(t, "100% uptime_target", func(x *tandem.Item) { x.Kind = tandem.KindMilestone; x.ProductID = pd.ID })
	for _, tt := range []struct {
		name   string
		filter tandem.ItemFilter
		want   []string
	}{
		{"all", tandem.ItemFilter{}, []string{epic.ID, a.ID, b.ID, c.ID}},
		{"kind", tandem.ItemFilter{Kind: tandem.KindTask}, []string{a.ID, b.ID}},
		{"status", tandem.ItemFilter{Status: tandem.StatusPlanned}, []string{a.ID}},
		{"project", tandem.ItemFilter{ProjectID: pr.ID}, []string{epic.ID, a.ID}},
		{"product", tandem.ItemFilter{ProductID: pd.ID}, []string{b.ID, c.ID}},
		{"parent", tandem.ItemFilter{ParentID: epic.ID}, []string{a.ID}},
		{"assignee", tandem.ItemFilter{AssigneeID: f.member.ID}, []string{a.ID}},
		{"goal", tandem.ItemFilter{GoalID: g.ID}, []string{b.ID}},
		{"q, any case", tandem.ItemFilter{Q: "PAY"}, []string{epic.ID, a.ID}},
		{"q with %", tandem.ItemFilter{Q: "100%"}, []string{c.ID}},
		{"q with _", tandem.ItemFilter{Q: "e_t"}, []string{c.ID}},
		{"q matching nothing", tandem.ItemFilter{Q: "zzz"}, []string{}},
		{"two filters", tandem.ItemFilter{ProjectID: pr.ID, Kind: tandem.KindEpic}, []string{epic.ID}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			list, next, err := s.FindItems(ctx, ws, tt.filter)
			must(t, err)
			if list == nil {
				t.Fatalf("got a nil list, want an empty one")
			}
			if next != "" {
				t.Errorf("next cursor: got %q, want none", next)
			}
			sameIDs(t, "items", itemIDs(list), tt.want)
		})
	}
}
