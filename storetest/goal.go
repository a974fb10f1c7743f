package storetest

import (
	"math"
	"testing"

	"github.com/tandem-pm/tandem"
)

func testGoals(t *testing.T, open Opener) {
	f := newFixture(t, open)
	s, ctx, ws := f.s, f.ctx, f.ws

	g := &tandem.Goal{Title: "  Grow digital banking ", OwnerID: f.member.ID, StartDate: date("2026-01-01"), DueDate: date("2026-12-31")}
	must(t, s.CreateGoal(ctx, ws, g))
	if g.ID == "" || g.Version != 1 || g.WorkspaceID != ws || g.Title != "Grow digital banking" || g.CreatedAt.IsZero() {
		t.Fatalf("CreateGoal: got %+v", g)
	}
	got, err := s.FindGoalByID(ctx, ws, g.ID)
	must(t, err)
	if *got != *g {
		t.Errorf("FindGoalByID:\n got %+v\nwant %+v", got, g)
	}
	child := f.goal(t, "Mobile adoption", g.ID)
	grandchild := f.goal(t, "App store rating", child.ID)
	other := f.goal(t, "Cut costs", "")

	for _, tt := range []struct {
		name   string
		filter tandem.GoalFilter
		want   []string
	}{
		{"all", tandem.GoalFilter{}, []string{g.ID, child.ID, grandchild.ID, other.ID}},
		{"top level", tandem.GoalFilter{ParentID: ptr("")}, []string{g.ID, other.ID}},
		{"children", tandem.GoalFilter{ParentID: &g.ID}, []string{child.ID}},
		{"q, any case", tandem.GoalFilter{Q: "MOBILE"}, []string{child.ID}},
		{"q, like characters are literal", tandem.GoalFilter{Q: "%"}, nil},
	} {
		t.Run("FindGoals/"+tt.name, func(t *testing.T) {
			list, next, err := s.FindGoals(ctx, ws, tt.filter)
			must(t, err)
			if next != "" {
				t.Errorf("next cursor: got %q, want none", next)
			}
			sameIDs(t, "goals", ids(list, func(g *tandem.Goal) string { return g.ID }), orEmpty(tt.want))
		})
	}

	for _, tt := range []struct {
		name  string
		upd   tandem.GoalUpdate
		code  string
		field string
	}{
		{"own parent", tandem.GoalUpdate{ParentID: &g.ID}, tandem.EInvalid, "parent_id"},
		{"under its child", tandem.GoalUpdate{ParentID: &child.ID}, tandem.EConflict, ""},
		{"under its grandchild", tandem.GoalUpdate{ParentID: &grandchild.ID}, tandem.EConflict, ""},
		{"empty title", tandem.GoalUpdate{Title: ptr(" ")}, tandem.EInvalid, "title"},
		{"due before start", tandem.GoalUpdate{DueDate: ptr(date("2025-01-01"))}, tandem.EInvalid, "due_date"},
		{"owner not a member", tandem.GoalUpdate{OwnerID: &f.outsider.ID}, tandem.EInvalid, "owner_id"},
	} {
		t.Run("UpdateGoal/"+tt.name, func(t *testing.T) {
			_, err := s.UpdateGoal(ctx, ws, g.ID, tt.upd, 0)
			wantCode(t, err, tt.code)
			if tt.field != "" {
				wantField(t, err, tt.field)
			}
		})
	}

	up, err := s.UpdateGoal(ctx, ws, g.ID, tandem.GoalUpdate{Title: ptr("Grow digital"), ParentID: &other.ID}, 1)
	must(t, err)
	if up.Version != 2 || up.Title != "Grow digital" || up.ParentID != other.ID || up.Description != g.Description || !up.UpdatedAt.After(g.UpdatedAt) && up.UpdatedAt != g.UpdatedAt {
		t.Errorf("UpdateGoal: got %+v", up)
	}

	// Deleting a goal moves its children up to its parent.
	must(t, s.DeleteGoal(ctx, ws, child.ID))
	_, err = s.FindGoalByID(ctx, ws, child.ID)
	wantCode(t, err, tandem.ENotFound)
	gc, err := s.FindGoalByID(ctx, ws, grandchild.ID)
	must(t, err)
	if gc.ParentID != g.ID || gc.Version != 2 {
		t.Errorf("grandchild after its parent's deletion: got parent %q version %d, want parent %q version 2", gc.ParentID, gc.Version, g.ID)
	}
	wantCode(t, s.DeleteGoal(ctx, ws, child.ID), tandem.ENotFound)
}

func orEmpty(ids []string) []string {
	if ids == nil {
		return []string{}
	}
	return ids
}

func testGoalProgress(t *testing.T, open Opener) {
	f := newFixture(t, open)
	s, ctx, ws := f.s, f.ctx, f.ws
	top := f.goal(t, "Top", "")
	a := f.goal(t, "A", top.ID)
	b := f.goal(t, "B", top.ID)
	_ = b // no key results: counts as 0
	kr := &tandem.KeyResult{GoalID: a.ID, Metric: "Active users", Baseline: 100, Target: 200, Direction: tandem.Increase}
	must(t, s.CreateKeyResult(ctx, ws, kr))
	must(t, s.AddMeasurement(ctx, ws, &tandem.Measurement{KeyResultID: kr.ID, Date: date("2026-03-01"), Value: 150}))
	kr2 := &tandem.KeyResult{GoalID: top.ID, Metric: "Cost per user", Baseline: 10, Target: 5, Direction: tandem.Decrease}
	must(t, s.CreateKeyResult(ctx, ws, kr2))
	must(t, s.AddMeasurement(ctx, ws, &tandem.Measurement{KeyResultID: kr2.ID, Date: date("2026-03-01"), Value: 5}))

	// A = 0.5; B = 0; top = mean(kr2 = 1, A = 0.5, B = 0) = 0.5.
	for _, tt := range []struct {
		id   string
		want float64
	}{{a.ID, 0.5}, {b.ID, 0}, {top.ID, 0.5}} {
		g, err := s.FindGoalByID(ctx, ws, tt.id)
		must(t, err)
		if math.Abs(g.Progress-tt.want) > 1e-9 {
			t.Errorf("FindGoalByID(%s).Progress: got %v, want %v", g.Title, g.Progress, tt.want)
		}
	}
	list, _, err := s.FindGoals(ctx, ws, tandem.GoalFilter{})
	must(t, err)
	want := map[string]float64{top.ID: 0.5, a.ID: 0.5, b.ID: 0}
	for _, g := range list {
		if math.Abs(g.Progress-want[g.ID]) > 1e-9 {
			t.Errorf("FindGoals: %s.Progress: got %v, want %v", g.Title, g.Progress, want[g.ID])
		}
	}
}

func testKeyResults(t *testing.T, open Opener) {
	f := newFixture(t, open)
	s, ctx, ws := f.s, f.ctx, f.ws
	g := f.goal(t, "Grow", "")
	g2 := f.goal(t, "Other", "")
	kr := &tandem.KeyResult{GoalID: g.ID, Metric: "Digital active users", Unit: "%", Baseline: 40, Target: 52, Direction: tandem.Increase, DueDate: date("2026-12-31")}
	must(t, s.CreateKeyResult(ctx, ws, kr))
	if kr.ID == "" || kr.Version != 1 || kr.Current != 40 || kr.Progress != 0 {
		t.Fatalf("CreateKeyResult: got %+v", kr)
	}
	kr2 := &tandem.KeyResult{GoalID: g2.ID, Metric: "Churn", Baseline: 10, Target: 8, Direction: tandem.Decrease}
	must(t, s.CreateKeyResult(ctx, ws, kr2))

	for _, tt := range []struct {
		name  string
		kr    tandem.KeyResult
		field string
	}{
		{"no goal", tandem.KeyResult{Metric: "m", Baseline: 1, Target: 2, Direction: tandem.Increase}, "goal_id"},
		{"unknown goal", tandem.KeyResult{GoalID: tandem.NewID(), Metric: "m", Baseline: 1, Target: 2, Direction: tandem.Increase}, "goal_id"},
		{"target below baseline", tandem.KeyResult{GoalID: g.ID, Metric: "m", Baseline: 3, Target: 2, Direction: tandem.Increase}, "target"},
		{"bad direction", tandem.KeyResult{GoalID: g.ID, Metric: "m", Baseline: 1, Target: 2, Direction: "up"}, "direction"},
	} {
		t.Run("CreateKeyResult/"+tt.name, func(t *testing.T) {
			k := tt.kr
			wantField(t, s.CreateKeyResult(ctx, ws, &k), tt.field)
		})
	}

	// The current value is the latest-dated measurement's, whatever the order of entry.
	for _, m := range []struct {
		date  string
		value float64
	}{{"2026-02-01", 43}, {"2026-04-01", 49}, {"2026-03-01", 46}} {
		must(t, s.AddMeasurement(ctx, ws, &tandem.Measurement{KeyResultID: kr.ID, Date: date(m.date), Value: m.value, Note: "monthly"}))
	}
	got, err := s.FindKeyResultByID(ctx, ws, kr.ID)
	must(t, err)
	if got.Current != 49 || math.Abs(got.Progress-0.75) > 1e-9 {
		t.Errorf("after measurements: got current %v progress %v, want 49 and 0.75", got.Current, got.Progress)
	}
	ms, err := s.FindMeasurements(ctx, ws, kr.ID)
	must(t, err)
	var dates []string
	for _, m := range ms {
		dates = append(dates, m.Date.String())
	}
	sameIDs(t, "measurement dates", dates, []string{"2026-02-01", "2026-03-01", "2026-04-01"})
	wantField(t, s.AddMeasurement(ctx, ws, &tandem.Measurement{KeyResultID: kr.ID, Value: 1}), "date")
	wantField(t, s.AddMeasurement(ctx, ws, &tandem.Measurement{KeyResultID: tandem.NewID(), Date: date("2026-01-01"), Value: 1}), "key_result_id")
	_, err = s.FindMeasurements(ctx, f.other, kr.ID)
	wantCode(t, err, tandem.ENotFound)

	list, _, err := s.FindKeyResults(ctx, ws, tandem.KeyResultFilter{GoalID: g2.ID})
	must(t, err)
	sameIDs(t, "FindKeyResults by goal", ids(list, func(k *tandem.KeyResult) string { return k.ID }), []string{kr2.ID})
	list, _, err = s.FindKeyResults(ctx, ws, tandem.KeyResultFilter{})
	must(t, err)
	sameIDs(t, "FindKeyResults", ids(list, func(k *tandem.KeyResult) string { return k.ID }), []string{kr.ID, kr2.ID})

	up, err := s.UpdateKeyResult(ctx, ws, kr.ID, tandem.KeyResultUpdate{Target: ptr(58.0), Unit: ptr("pct")}, 1)
	must(t, err)
	if up.Version != 2 || up.Target != 58 || up.Unit != "pct" || up.Current != 49 || math.Abs(up.Progress-0.5) > 1e-9 {
		t.Errorf("UpdateKeyResult: got %+v", up)
	}
	_, err = s.UpdateKeyResult(ctx, ws, kr.ID, tandem.KeyResultUpdate{Target: ptr(1.0)}, 0)
	wantField(t, err, "target")

	// A new current value is today's measurement, written with the update or not at all.
	_, err = s.UpdateKeyResult(ctx, ws, kr.ID, tandem.KeyResultUpdate{Target: ptr(1.0), Current: ptr(55.0)}, 0)
	wantField(t, err, "target")
	up, err = s.UpdateKeyResult(ctx, ws, kr.ID, tandem.KeyResultUpdate{Current: ptr(55.0)}, 2)
	must(t, err)
	if up.Version != 3 || up.Current != 55 || math.Abs(up.Progress-15.0/18) > 1e-9 {
		t.Errorf("UpdateKeyResult with current: got %+v", up)
	}
	_, err = s.UpdateKeyResult(ctx, ws, kr.ID, tandem.KeyResultUpdate{Current: ptr(55.0)}, 3)
	must(t, err)
	ms, err = s.FindMeasurements(ctx, ws, kr.ID)
	must(t, err)
	if len(ms) != 4 || ms[3].Value != 55 {
		t.Errorf("measurements after setting current twice (and once refused): got %d, want 4 ending with 55", len(ms))
	}

	must(t, s.DeleteKeyResult(ctx, ws, kr.ID))
	_, err = s.FindKeyResultByID(ctx, ws, kr.ID)
	wantCode(t, err, tandem.ENotFound)
	// Deleting a goal deletes its key results.
	must(t, s.DeleteGoal(ctx, ws, g2.ID))
	_, err = s.FindKeyResultByID(ctx, ws, kr2.ID)
	wantCode(t, err, tandem.ENotFound)
}
