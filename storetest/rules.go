package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/tandem-pm/tandem"
)

// testForeignReferences checks that every reference must be in the same workspace.
func testForeignReferences(t *testing.T, open Opener) {
	f := newFixture(t, open)
	s, ctx, ws := f.s, f.ctx, f.ws
	octx := f.otherCtx()
	// One of everything in the other workspace.
	og := &tandem.Goal{Title: "Foreign goal"}
	must(t, s.CreateGoal(octx, f.other, og))
	oprog := &tandem.Program{Name: "Foreign program"}
	must(t, s.CreateProgram(octx, f.other, oprog))
	oproj := &tandem.Project{Name: "Foreign project"}
	must(t, s.CreateProject(octx, f.other, oproj))
	oprod := &tandem.Product{Name: "Foreign product"}
	must(t, s.CreateProduct(octx, f.other, oprod))
	oit := f.otherItem(t)
	mine := f.item(t, "Mine")
	myGoal := f.goal(t, "My goal", "")

	for _, tt := range []struct {
		name  string
		do    func() error
		field string
	}{
		{"goal parent", func() error { return s.CreateGoal(ctx, ws, &tandem.Goal{Title: "g", ParentID: og.ID}) }, "parent_id"},
		{"goal owner outside the workspace", func() error { return s.CreateGoal(ctx, ws, &tandem.Goal{Title: "g", OwnerID: f.outsider.ID}) }, "owner_id"},
		{"goal owner unknown", func() error { return s.CreateGoal(ctx, ws, &tandem.Goal{Title: "g", OwnerID: tandem.NewID()}) }, "owner_id"},
		{"goal parent by update", func() error {
			_, err := s.UpdateGoal(ctx, ws, myGoal.ID, tandem.GoalUpdate{ParentID: &og.ID}, 0)
			return err
		}, "parent_id"},
		{"key result goal", func() error {
			return s.CreateKeyResult(ctx, ws, &tandem.KeyResult{GoalID: og.ID, Metric: "m", Baseline: 0, Target: 1, Direction: tandem.Increase})
		}, "goal_id"},
		{"program manager", func() error { return s.CreateProgram(ctx, ws, &tandem.Program{Name: "p", ManagerID: f.outsider.ID}) }, "manager_id"},
		{"program goals", func() error {
			return s.CreateProgram(ctx, ws, &tandem.Program{Name: "p", GoalIDs: []string{myGoal.ID, og.ID}})
		}, "goal_ids"},
		{"project program", func() error { return s.CreateProject(ctx, ws, &tandem.Project{Name: "p", ProgramID: oprog.ID}) }, "program_id"},
		{"project manager", func() error { return s.CreateProject(ctx, ws, &tandem.Project{Name: "p", ManagerID: f.outsider.ID}) }, "manager_id"},
		{"product owner", func() error { return s.CreateProduct(ctx, ws, &tandem.Product{Name: "p", OwnerID: f.outsider.ID}) }, "owner_id"},
		{"product goals", func() error { return s.CreateProduct(ctx, ws, &tandem.Product{Name: "p", GoalIDs: []string{og.ID}}) }, "goal_ids"},
		{"item parent", func() error {
			return s.CreateItem(ctx, ws, &tandem.Item{Kind: tandem.KindTask, Title: "i", ParentID: oit.ID})
		}, "parent_id"},
		{"item project", func() error {
			return s.CreateItem(ctx, ws, &tandem.Item{Kind: tandem.KindTask, Title: "i", ProjectID: oproj.ID})
		}, "project_id"},
		{"item product", func() error {
			return s.CreateItem(ctx, ws, &tandem.Item{Kind: tandem.KindTask, Title: "i", ProductID: oprod.ID})
		}, "product_id"},
		{"item assignee", func() error {
			return s.CreateItem(ctx, ws, &tandem.Item{Kind: tandem.KindTask, Title: "i", AssigneeID: f.outsider.ID})
		}, "assignee_id"},
		{"item goals", func() error {
			return s.CreateItem(ctx, ws, &tandem.Item{Kind: tandem.KindTask, Title: "i", GoalIDs: []string{og.ID}})
		}, "goal_ids"},
		{"item project by update", func() error {
			_, err := s.UpdateItem(ctx, ws, mine.ID, tandem.ItemUpdate{ProjectID: &oproj.ID}, 0)
			return err
		}, "project_id"},
		{"dependency successor", func() error {
			return s.CreateDependency(ctx, ws, &tandem.Dependency{PredecessorID: mine.ID, SuccessorID: oit.ID})
		}, "successor_id"},
		{"comment entity", func() error {
			return s.CreateComment(ctx, ws, &tandem.Comment{EntityType: tandem.EntityProgram, EntityID: oprog.ID, Body: "b"})
		}, "entity_id"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.do()
			wantField(t, err, tt.field)
			e := err.(*tandem.Error)
			for _, fe := range e.Fields {
				if fe.Field == tt.field && !contains(fe.Message, "this workspace") {
					t.Errorf("field message: got %q, want it to say the thing is not in this workspace", fe.Message)
				}
			}
		})
	}
}

// testOtherWorkspace checks that IDs from another workspace are not found.
func testOtherWorkspace(t *testing.T, open Opener) {
	f := newFixture(t, open)
	s, ctx, ws := f.s, f.ctx, f.ws
	octx := f.otherCtx()
	oit := f.otherItem(t)
	og := &tandem.Goal{Title: "Foreign goal"}
	must(t, s.CreateGoal(octx, f.other, og))
	oprog := &tandem.Program{Name: "Foreign program"}
	must(t, s.CreateProgram(octx, f.other, oprog))
	for _, tt := range []struct {
		name string
		do   func() error
	}{
		{"FindItemByID", func() error { _, err := s.FindItemByID(ctx, ws, oit.ID); return err }},
		{"UpdateItem", func() error {
			_, err := s.UpdateItem(ctx, ws, oit.ID, tandem.ItemUpdate{Title: ptr("x")}, 0)
			return err
		}},
		{"DeleteItem", func() error { return s.DeleteItem(ctx, ws, oit.ID) }},
		{"FindGoalByID", func() error { _, err := s.FindGoalByID(ctx, ws, og.ID); return err }},
		{"DeleteGoal", func() error { return s.DeleteGoal(ctx, ws, og.ID) }},
		{"FindProgramByID", func() error { _, err := s.FindProgramByID(ctx, ws, oprog.ID); return err }},
		{"UpdateProgram", func() error { _, err := s.UpdateProgram(ctx, ws, oprog.ID, tandem.ProgramUpdate{}, 0); return err }},
		{"unknown item", func() error { _, err := s.FindItemByID(ctx, ws, tandem.NewID()); return err }},
		{"not an ID", func() error { _, err := s.FindItemByID(ctx, ws, "nope"); return err }},
	} {
		t.Run(tt.name, func(t *testing.T) { wantCode(t, tt.do(), tandem.ENotFound) })
	}
	list, _, err := s.FindItems(ctx, ws, tandem.ItemFilter{})
	must(t, err)
	if len(list) != 0 {
		t.Errorf("FindItems: got %d items of the other workspace", len(list))
	}
	// The other workspace's item is unchanged.
	got, err := s.FindItemByID(octx, f.other, oit.ID)
	must(t, err)
	if got.Title != oit.Title || got.Version != 1 {
		t.Errorf("foreign item: got %+v", got)
	}
}

func testVersions(t *testing.T, open Opener) {
	f := newFixture(t, open)
	s, ctx, ws := f.s, f.ctx, f.ws
	x := f.item(t, "Versioned")
	up, err := s.UpdateItem(ctx, ws, x.ID, tandem.ItemUpdate{Progress: ptr(10)}, 1)
	must(t, err)
	if up.Version != 2 {
		t.Fatalf("version after one update: got %d, want 2", up.Version)
	}
	_, err = s.UpdateItem(ctx, ws, x.ID, tandem.ItemUpdate{Progress: ptr(20)}, 1)
	wantCode(t, err, tandem.EStale)
	got, err := s.FindItemByID(ctx, ws, x.ID)
	must(t, err)
	if got.Progress != 10 || got.Version != 2 {
		t.Errorf("after a stale update: got progress %d version %d, want 10 and 2", got.Progress, got.Version)
	}
	up, err = s.UpdateItem(ctx, ws, x.ID, tandem.ItemUpdate{Progress: ptr(30)}, 0)
	must(t, err)
	if up.Version != 3 {
		t.Errorf("version 0 skips the check: got version %d, want 3", up.Version)
	}
	// Every entity checks its version.
	g := f.goal(t, "G", "")
	kr := &tandem.KeyResult{GoalID: g.ID, Metric: "m", Baseline: 0, Target: 1, Direction: tandem.Increase}
	must(t, s.CreateKeyResult(ctx, ws, kr))
	prog := &tandem.Program{Name: "P"}
	must(t, s.CreateProgram(ctx, ws, prog))
	proj := &tandem.Project{Name: "P"}
	must(t, s.CreateProject(ctx, ws, proj))
	prod := &tandem.Product{Name: "P"}
	must(t, s.CreateProduct(ctx, ws, prod))
	d := f.dep(t, x.ID, f.item(t, "Next").ID)
	c := &tandem.Comment{EntityType: tandem.EntityItem, EntityID: x.ID, Body: "b"}
	must(t, s.CreateComment(ctx, ws, c))
	for _, tt := range []struct {
		name string
		do   func() error
	}{
		{"goal", func() error { _, err := s.UpdateGoal(ctx, ws, g.ID, tandem.GoalUpdate{}, 7); return err }},
		{"key result", func() error { _, err := s.UpdateKeyResult(ctx, ws, kr.ID, tandem.KeyResultUpdate{}, 7); return err }},
		{"program", func() error { _, err := s.UpdateProgram(ctx, ws, prog.ID, tandem.ProgramUpdate{}, 7); return err }},
		{"project", func() error { _, err := s.UpdateProject(ctx, ws, proj.ID, tandem.ProjectUpdate{}, 7); return err }},
		{"product", func() error { _, err := s.UpdateProduct(ctx, ws, prod.ID, tandem.ProductUpdate{}, 7); return err }},
		{"dependency", func() error { _, err := s.UpdateDependency(ctx, ws, d.ID, tandem.DependencyUpdate{}, 7); return err }},
		{"comment", func() error { _, err := s.UpdateComment(ctx, ws, c.ID, tandem.CommentUpdate{}, 7); return err }},
	} {
		t.Run(tt.name, func(t *testing.T) { wantCode(t, tt.do(), tandem.EStale) })
	}
}

func testPagination(t *testing.T, open Opener) {
	f := newFixture(t, open)
	s, ctx, ws := f.s, f.ctx, f.ws
	var want []string
	for i := range 7 {
		want = append(want, f.item(t, fmt.Sprintf("Item %d", i)).ID)
	}
	for _, size := range []int{1, 3, 7, 10} {
		t.Run(fmt.Sprintf("items by %d", size), func(t *testing.T) {
			var got []string
			cursor := ""
			for pages := 0; ; pages++ {
				if pages > 10 {
					t.Fatal("too many pages")
				}
				list, next, err := s.FindItems(ctx, ws, tandem.ItemFilter{Page: tandem.Page{Limit: size, Cursor: cursor}})
				must(t, err)
				if len(list) > size {
					t.Fatalf("page of %d: got %d items", size, len(list))
				}
				got = append(got, itemIDs(list)...)
				if next == "" {
					break
				}
				cursor = next
			}
			sameIDs(t, "all pages", got, want)
		})
	}
	// A filter holds across pages.
	list, next, err := s.FindItems(ctx, ws, tandem.ItemFilter{Q: "item", Page: tandem.Page{Limit: 4}})
	must(t, err)
	list2, next2, err := s.FindItems(ctx, ws, tandem.ItemFilter{Q: "item", Page: tandem.Page{Limit: 4, Cursor: next}})
	must(t, err)
	if len(list) != 4 || len(list2) != 3 || next2 != "" {
		t.Errorf("filtered pages: got %d then %d (next %q), want 4 then 3 and no next", len(list), len(list2), next2)
	}
	_, _, err = s.FindItems(ctx, ws, tandem.ItemFilter{Page: tandem.Page{Cursor: "!!not a cursor"}})
	wantField(t, err, "cursor")

	// Other lists page the same way.
	var goals []string
	for i := range 3 {
		goals = append(goals, f.goal(t, fmt.Sprintf("G%d", i), "").ID)
	}
	g1, next, err := s.FindGoals(ctx, ws, tandem.GoalFilter{Page: tandem.Page{Limit: 2}})
	must(t, err)
	g2, next2, err := s.FindGoals(ctx, ws, tandem.GoalFilter{Page: tandem.Page{Limit: 2, Cursor: next}})
	must(t, err)
	sameIDs(t, "goal pages", append(ids(g1, func(g *tandem.Goal) string { return g.ID }), ids(g2, func(g *tandem.Goal) string { return g.ID })...), goals)
	if next2 != "" {
		t.Errorf("last goal page: got next %q, want none", next2)
	}

	// Activity pages newest first.
	a1, next, err := s.FindActivity(ctx, ws, tandem.ActivityFilter{EntityType: tandem.EntityItem, Page: tandem.Page{Limit: 5}})
	must(t, err)
	a2, next2, err := s.FindActivity(ctx, ws, tandem.ActivityFilter{EntityType: tandem.EntityItem, Page: tandem.Page{Limit: 5, Cursor: next}})
	must(t, err)
	all := append(a1, a2...)
	if len(all) != 7 || next2 != "" {
		t.Fatalf("activity pages: got %d rows (next %q), want 7", len(all), next2)
	}
	for i, a := range all {
		if a.EntityID != want[len(want)-1-i] {
			t.Errorf("activity %d: got item %s, want %s (newest first)", i, a.EntityID, want[len(want)-1-i])
		}
	}
}

func testActivity(t *testing.T, open Opener) {
	f := newFixture(t, open)
	s, ctx, ws := f.s, f.ctx, f.ws
	x := f.item(t, "Audited")
	_, err := s.UpdateItem(ctx, ws, x.ID, tandem.ItemUpdate{Title: ptr("Audited twice")}, 0)
	must(t, err)
	mctx := tandem.WithActor(context.Background(), f.member.ID)
	must(t, s.DeleteItem(mctx, ws, x.ID))

	list, _, err := s.FindActivity(ctx, ws, tandem.ActivityFilter{EntityType: tandem.EntityItem, EntityID: x.ID})
	must(t, err)
	type row struct{ action, actor, actorName, summary, before, after string }
	title := func(raw json.RawMessage) string {
		if raw == nil {
			return "<none>"
		}
		var v struct{ Title string }
		if err := json.Unmarshal(raw, &v); err != nil {
			t.Fatalf("activity JSON %s: %v", raw, err)
		}
		return v.Title
	}
	var got []row
	for _, a := range list {
		if a.WorkspaceID != ws || a.At.IsZero() || a.ID == "" || a.EntityType != tandem.EntityItem {
			t.Errorf("activity row: got %+v", a)
		}
		got = append(got, row{a.Action, a.ActorID, a.ActorName, a.Summary, title(a.Before), title(a.After)})
	}
	want := []row{
		{tandem.ActionDelete, f.member.ID, f.member.Name, "Audited twice", "Audited twice", "<none>"},
		{tandem.ActionUpdate, f.owner.ID, f.owner.Name, "Audited twice", "Audited", "Audited twice"},
		{tandem.ActionCreate, f.owner.ID, f.owner.Name, "Audited", "<none>", "Audited"},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("activity of the item:\n got %v\nwant %v", got, want)
	}
	byActor, _, err := s.FindActivity(ctx, ws, tandem.ActivityFilter{ActorID: f.member.ID})
	must(t, err)
	if len(byActor) != 1 || byActor[0].Action != tandem.ActionDelete {
		t.Errorf("activity by actor: got %d rows, want the one delete", len(byActor))
	}
	// Changes by the system have no actor.
	g := &tandem.Goal{Title: "System goal"}
	must(t, s.CreateGoal(context.Background(), ws, g))
	sys, _, err := s.FindActivity(ctx, ws, tandem.ActivityFilter{EntityID: g.ID})
	must(t, err)
	if len(sys) != 1 || sys[0].ActorID != "" {
		t.Errorf("system activity: got %+v, want one row without actor", sys)
	}

	// Every kind of change writes activity.
	kr := &tandem.KeyResult{GoalID: g.ID, Metric: "m", Baseline: 0, Target: 1, Direction: tandem.Increase}
	must(t, s.CreateKeyResult(ctx, ws, kr))
	must(t, s.AddMeasurement(ctx, ws, &tandem.Measurement{KeyResultID: kr.ID, Date: date("2026-01-01"), Value: 0.5}))
	prog := &tandem.Program{Name: "P"}
	must(t, s.CreateProgram(ctx, ws, prog))
	proj := &tandem.Project{Name: "P"}
	must(t, s.CreateProject(ctx, ws, proj))
	prod := &tandem.Product{Name: "P"}
	must(t, s.CreateProduct(ctx, ws, prod))
	a, b := f.item(t, "A"), f.item(t, "B")
	d := f.dep(t, a.ID, b.ID)
	c := &tandem.Comment{EntityType: tandem.EntityItem, EntityID: a.ID, Body: "b"}
	must(t, s.CreateComment(ctx, ws, c))
	for _, e := range []struct{ typ, id string }{
		{tandem.EntityKeyResult, kr.ID}, {tandem.EntityProgram, prog.ID}, {tandem.EntityProject, proj.ID},
		{tandem.EntityProduct, prod.ID}, {tandem.EntityDependency, d.ID}, {tandem.EntityComment, c.ID},
	} {
		list, _, err := s.FindActivity(ctx, ws, tandem.ActivityFilter{EntityType: e.typ, EntityID: e.id})
		must(t, err)
		if len(list) != 1 || list[0].Action != tandem.ActionCreate || list[0].After == nil {
			t.Errorf("activity of the new %s: got %d rows, want one create with the entity", e.typ, len(list))
		}
	}
	list, _, err = s.FindActivity(ctx, ws, tandem.ActivityFilter{EntityType: tandem.EntityMeasurement})
	must(t, err)
	if len(list) != 1 {
		t.Errorf("measurement activity: got %d rows, want 1", len(list))
	}
	if d := list[0]; d.Summary == "" {
		t.Errorf("measurement activity has no summary")
	}
	// The other workspace sees none of it.
	other, _, err := s.FindActivity(ctx, f.other, tandem.ActivityFilter{EntityType: tandem.EntityItem})
	must(t, err)
	if len(other) != 0 {
		t.Errorf("other workspace's item activity: got %d rows, want 0", len(other))
	}
}

// testFailedWrites checks that a refused write changes nothing and writes no activity.
func testFailedWrites(t *testing.T, open Opener) {
	f := newFixture(t, open)
	s, ctx, ws := f.s, f.ctx, f.ws
	a, b, c := f.item(t, "A"), f.item(t, "B"), f.item(t, "C")
	f.dep(t, a.ID, b.ID)
	f.dep(t, b.ID, c.ID)
	count := func() int {
		t.Helper()
		list, _, err := s.FindActivity(ctx, ws, tandem.ActivityFilter{Page: tandem.Page{Limit: tandem.MaxLimit}})
		must(t, err)
		return len(list)
	}
	before := count()
	for _, tt := range []struct {
		name string
		do   func() error
	}{
		{"cycle", func() error {
			return s.CreateDependency(ctx, ws, &tandem.Dependency{PredecessorID: c.ID, SuccessorID: a.ID})
		}},
		{"duplicate", func() error {
			return s.CreateDependency(ctx, ws, &tandem.Dependency{PredecessorID: a.ID, SuccessorID: b.ID})
		}},
		{"bad reference", func() error {
			return s.CreateItem(ctx, ws, &tandem.Item{Kind: tandem.KindTask, Title: "X", ProjectID: tandem.NewID()})
		}},
		{"stale", func() error {
			_, err := s.UpdateItem(ctx, ws, a.ID, tandem.ItemUpdate{Title: ptr("A2")}, 9)
			return err
		}},
		{"invalid", func() error { _, err := s.UpdateItem(ctx, ws, a.ID, tandem.ItemUpdate{Title: ptr("")}, 0); return err }},
		{"parent cycle", func() error { _, err := s.UpdateItem(ctx, ws, a.ID, tandem.ItemUpdate{ParentID: &a.ID}, 0); return err }},
		{"last owner", func() error { return s.RemoveMember(ctx, ws, f.owner.ID) }},
		{"cancelled context", func() error {
			cctx, cancel := context.WithCancel(ctx)
			cancel()
			return s.CreateItem(cctx, ws, &tandem.Item{Kind: tandem.KindTask, Title: "Never"})
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.do(); err == nil {
				t.Fatal("got no error, want the write refused")
			}
			if got := count(); got != before {
				t.Errorf("activity rows: got %d, want %d", got, before)
			}
		})
	}
	list, _, err := s.FindItems(ctx, ws, tandem.ItemFilter{})
	must(t, err)
	if len(list) != 3 {
		t.Errorf("items: got %d, want 3", len(list))
	}
	got, err := s.FindItemByID(ctx, ws, a.ID)
	must(t, err)
	if got.Title != "A" || got.Version != 1 {
		t.Errorf("item A after refused updates: got title %q version %d", got.Title, got.Version)
	}
}

// testConcurrentWriters runs 32 writers at once: creates, and
// read-modify-write updates retried when stale. None may fail and no
// update may be lost.
func testConcurrentWriters(t *testing.T, open Opener) {
	f := newFixture(t, open)
	s, ctx, ws := f.s, f.ctx, f.ws
	// Four shared counters, eight writers on each: enough contention to lose
	// updates if the version check were broken, little enough to stay quick.
	const writers, counters = 32, 4
	creates, increments := 20, 10
	if raceEnabled {
		creates, increments = 4, 3
	}
	var counter [counters]*tandem.Item
	for i := range counter {
		counter[i] = f.item(t, fmt.Sprintf("Counter %d", i))
	}
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	retries := make(chan int, writers)
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			n := 0
			for i := range creates {
				x := &tandem.Item{Kind: tandem.KindTask, Title: fmt.Sprintf("w%d-%d", w, i)}
				if err := s.CreateItem(ctx, ws, x); err != nil {
					errs <- fmt.Errorf("writer %d: create: %w", w, err)
					return
				}
			}
			for range increments {
				for {
					c := counter[w%counters]
					cur, err := s.FindItemByID(ctx, ws, c.ID)
					if err != nil {
						errs <- fmt.Errorf("writer %d: read: %w", w, err)
						return
					}
					_, err = s.UpdateItem(ctx, ws, c.ID, tandem.ItemUpdate{EffortHours: ptr(cur.EffortHours + 1)}, cur.Version)
					if tandem.ErrorCode(err) == tandem.EStale {
						n++
						continue
					}
					if err != nil {
						errs <- fmt.Errorf("writer %d: update: %w", w, err)
						return
					}
					break
				}
			}
			retries <- n
		}()
	}
	wg.Wait()
	close(errs)
	close(retries)
	var all []error
	for err := range errs {
		all = append(all, err)
	}
	if err := errors.Join(all...); err != nil {
		t.Fatalf("%d writers failed:\n%v", len(all), err)
	}
	total := 0
	for n := range retries {
		total += n
	}
	for _, c := range counter {
		got, err := s.FindItemByID(ctx, ws, c.ID)
		must(t, err)
		if want := float64(writers / counters * increments); got.EffortHours != want || got.Version != int64(want)+1 {
			t.Errorf("%s: got %v at version %d, want %v at version %d (lost updates)", c.Title, got.EffortHours, got.Version, want, int64(want)+1)
		}
	}
	created, cursor := 0, ""
	for {
		list, next, err := s.FindItems(ctx, ws, tandem.ItemFilter{Q: "w", Page: tandem.Page{Limit: tandem.MaxLimit, Cursor: cursor}})
		must(t, err)
		created += len(list)
		if next == "" {
			break
		}
		cursor = next
	}
	if created != writers*creates {
		t.Errorf("created items: got %d, want %d", created, writers*creates)
	}
	t.Logf("%d writers: %d creates, %d increments, %d stale retries", writers, writers*creates, writers*increments, total)
}

// RunReopen checks that data survives closing and reopening the store.
// open must open the same database every time it is called.
func RunReopen(t *testing.T, open Opener) {
	s := open(t)
	if h, ok := s.(passwordHasher); ok {
		h.SetPasswordHasher(fastHash)
	}
	ctx := context.Background()
	u := &tandem.User{Email: "keep@example.com", Name: "Keeper"}
	must(t, s.CreateUser(ctx, u, testPassword))
	ws := &tandem.Workspace{Slug: "keep", Name: "Keep"}
	must(t, s.CreateWorkspace(ctx, ws, u.ID))
	x := &tandem.Item{Kind: tandem.KindTask, Title: "Persisted", PlannedStart: date("2026-05-04")}
	must(t, s.CreateItem(tandem.WithActor(ctx, u.ID), ws.ID, x))
	must(t, s.Close())

	s = open(t)
	defer s.Close()
	must(t, s.Ping(ctx))
	got, err := s.FindItemByID(ctx, ws.ID, x.ID)
	must(t, err)
	if got.Title != x.Title || got.PlannedStart != x.PlannedStart || !got.CreatedAt.Equal(x.CreatedAt) {
		t.Errorf("item after reopening: got %+v, want %+v", got, x)
	}
	if _, err := s.Authenticate(ctx, u.Email, testPassword); err != nil {
		t.Errorf("Authenticate after reopening: %v", err)
	}
	acts, _, err := s.FindActivity(ctx, ws.ID, tandem.ActivityFilter{})
	must(t, err)
	if len(acts) != 2 {
		t.Errorf("activity after reopening: got %d rows, want 2", len(acts))
	}
}
