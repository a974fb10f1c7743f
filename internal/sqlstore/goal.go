package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/tandem-pm/tandem"
)

const goalColumns = "id, workspace_id, version, created_at, updated_at, parent_id, title, description, owner_id, start_date, due_date"

func scanGoal(row interface{ Scan(...any) error }, g *tandem.Goal) error {
	return row.Scan(&g.ID, &g.WorkspaceID, &g.Version, ts{&g.CreatedAt}, ts{&g.UpdatedAt}, ns{&g.ParentID},
		&g.Title, &g.Description, ns{&g.OwnerID}, date{&g.StartDate}, date{&g.DueDate})
}

func (t *tx) findGoal(ctx context.Context, ws, id string) (*tandem.Goal, error) {
	return findByID(ctx, t, "goal", "goals", goalColumns, scanGoal, ws, id)
}

// goalProgress computes the progress of every goal of the workspace: two
// queries, one for the goal tree and one for the key results.
func (t *tx) goalProgress(ctx context.Context, ws string) (map[string]float64, error) {
	rows, err := t.query(ctx, "SELECT id, parent_id FROM goals WHERE workspace_id = $1", ws)
	if err != nil {
		return nil, fmt.Errorf("goal progress: %w", err)
	}
	var goals []*tandem.Goal
	for rows.Next() {
		g := &tandem.Goal{}
		if err := rows.Scan(&g.ID, ns{&g.ParentID}); err != nil {
			rows.Close()
			return nil, fmt.Errorf("goal progress: %w", err)
		}
		goals = append(goals, g)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("goal progress: %w", err)
	}
	rows, err = t.query(ctx, "SELECT goal_id, baseline, target, current_value FROM key_results WHERE workspace_id = $1", ws)
	if err != nil {
		return nil, fmt.Errorf("goal progress: %w", err)
	}
	defer rows.Close()
	var krs []*tandem.KeyResult
	for rows.Next() {
		k := &tandem.KeyResult{}
		var cur sql.NullFloat64
		if err := rows.Scan(&k.GoalID, &k.Baseline, &k.Target, &cur); err != nil {
			return nil, fmt.Errorf("goal progress: %w", err)
		}
		k.Current = k.Baseline
		if cur.Valid {
			k.Current = cur.Float64
		}
		krs = append(krs, k)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("goal progress: %w", err)
	}
	tandem.RollUpGoalProgress(goals, krs)
	progress := make(map[string]float64, len(goals))
	for _, g := range goals {
		progress[g.ID] = g.Progress
	}
	return progress, nil
}

// FindGoalByID returns the goal with its derived progress.
func (s *Store) FindGoalByID(ctx context.Context, ws, id string) (*tandem.Goal, error) {
	var g *tandem.Goal
	err := s.inReadTx(ctx, func(t *tx) error {
		var err error
		if g, err = t.findGoal(ctx, ws, id); err != nil {
			return err
		}
		progress, err := t.goalProgress(ctx, ws)
		g.Progress = progress[g.ID]
		return err
	})
	if err != nil {
		return nil, err
	}
	return g, nil
}

// FindGoals lists goals ordered by creation.
func (s *Store) FindGoals(ctx context.Context, ws string, f tandem.GoalFilter) ([]*tandem.Goal, string, error) {
	var list []*tandem.Goal
	var next string
	err := s.inReadTx(ctx, func(t *tx) error {
		var w filter
		w.add("workspace_id = %s", ws)
		if f.ParentID != nil {
			if *f.ParentID == "" {
				w.add("parent_id IS NULL")
			} else {
				w.add("parent_id = %s", *f.ParentID)
			}
		}
		if strings.TrimSpace(f.Q) != "" {
			w.add(`lower(title) LIKE %s ESCAPE '\'`, likeQ(f.Q))
		}
		tail, err := w.page(f.Page, "id", false)
		if err != nil {
			return err
		}
		rows, err := t.query(ctx, "SELECT "+goalColumns+" FROM goals"+w.where()+tail, w.args...)
		if err != nil {
			return fmt.Errorf("find goals: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			g := &tandem.Goal{}
			if err := scanGoal(rows, g); err != nil {
				return fmt.Errorf("find goals: %w", err)
			}
			list = append(list, g)
		}
		if err := rows.Err(); err != nil {
			return fmt.Errorf("find goals: %w", err)
		}
		rows.Close()
		list, next = trim(list, f.Page, func(g *tandem.Goal) string { return g.ID })
		if len(list) == 0 {
			return nil
		}
		progress, err := t.goalProgress(ctx, ws)
		for _, g := range list {
			g.Progress = progress[g.ID]
		}
		return err
	})
	if err != nil {
		return nil, "", err
	}
	if list == nil {
		list = []*tandem.Goal{}
	}
	return list, next, nil
}

func (t *tx) checkGoal(ctx context.Context, ws string, g *tandem.Goal) error {
	if err := g.Validate(); err != nil {
		return err
	}
	var p tandem.Problems
	if err := t.checkRef(ctx, &p, "parent_id", tandem.EntityGoal, ws, g.ParentID); err != nil {
		return err
	}
	if err := t.checkMemberRef(ctx, &p, "owner_id", ws, g.OwnerID); err != nil {
		return err
	}
	return p.Err("goal")
}

// CreateGoal stores g.
func (s *Store) CreateGoal(ctx context.Context, ws string, g *tandem.Goal) error {
	g.Title = strings.TrimSpace(g.Title)
	return s.inTx(ctx, func(t *tx) error {
		g.ID, g.WorkspaceID, g.Version, g.CreatedAt, g.UpdatedAt = tandem.NewID(), ws, 1, t.now, t.now
		if err := t.checkGoal(ctx, ws, g); err != nil {
			return err
		}
		_, err := t.exec(ctx, "INSERT INTO goals ("+goalColumns+") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
			g.ID, ws, g.Version, tsv(t.now), tsv(t.now), nullStr(g.ParentID), g.Title, g.Description, nullStr(g.OwnerID), datev(g.StartDate), datev(g.DueDate))
		if err != nil {
			return fmt.Errorf("create goal: %w", t.dbErr(err, "goal"))
		}
		g.Progress = 0
		return t.record(ctx, ws, tandem.EntityGoal, g.ID, tandem.ActionCreate, g.Title, nil, g)
	})
}

// UpdateGoal applies upd when version matches the stored one.
func (s *Store) UpdateGoal(ctx context.Context, ws, id string, upd tandem.GoalUpdate, version int64) (*tandem.Goal, error) {
	var g *tandem.Goal
	err := s.inTx(ctx, func(t *tx) error {
		before, err := t.findGoal(ctx, ws, id)
		if err != nil {
			return err
		}
		if err := checkVersion("goal", id, version, before.Version); err != nil {
			return err
		}
		after := *before
		g = &after
		upd.Apply(g)
		g.Title = strings.TrimSpace(g.Title)
		if err := t.checkGoal(ctx, ws, g); err != nil {
			return err
		}
		if g.ParentID != before.ParentID {
			// Parent changes take turns, so that two cannot close a cycle together.
			if err := t.lockWorkspace(ctx, ws); err != nil {
				return err
			}
			cycle, err := t.createsCycle(ctx, "goals", id, g.ParentID)
			if err != nil {
				return err
			}
			if cycle {
				return &tandem.Error{Code: tandem.EConflict, Message: "A goal cannot be placed under one of its own sub-goals.",
					Fields: []tandem.FieldError{{Field: "parent_id", Message: "would close a cycle"}}}
			}
		}
		g.Version, g.UpdatedAt = before.Version+1, t.now
		res, err := t.exec(ctx, `UPDATE goals SET version = $1, updated_at = $2, parent_id = $3, title = $4, description = $5, owner_id = $6,
			start_date = $7, due_date = $8 WHERE id = $9 AND version = $10`,
			g.Version, tsv(t.now), nullStr(g.ParentID), g.Title, g.Description, nullStr(g.OwnerID), datev(g.StartDate), datev(g.DueDate), id, before.Version)
		if err != nil {
			return fmt.Errorf("update goal %s: %w", id, t.dbErr(err, "goal"))
		}
		if err := updated("goal", id, res); err != nil {
			return err
		}
		progress, err := t.goalProgress(ctx, ws)
		if err != nil {
			return err
		}
		before.Progress, g.Progress = progress[id], progress[id]
		return t.record(ctx, ws, tandem.EntityGoal, id, tandem.ActionUpdate, g.Title, before, g)
	})
	if err != nil {
		return nil, err
	}
	return g, nil
}

// bumpSet raises the version of rows that a delete changes on the side
// (children moving up), so that stale copies of them are refused.
const bumpSet = "version = version + 1, updated_at = "

// DeleteGoal deletes a goal and its key results; child goals move up to its parent.
func (s *Store) DeleteGoal(ctx context.Context, ws, id string) error {
	return s.inTx(ctx, func(t *tx) error {
		g, err := t.findGoal(ctx, ws, id)
		if err != nil {
			return err
		}
		side, err := t.sideBefore(ctx, tandem.EntityGoal, ws, "SELECT id FROM goals WHERE parent_id = $1", id)
		if err != nil {
			return err
		}
		for _, typ := range []string{tandem.EntityProgram, tandem.EntityProduct, tandem.EntityItem} {
			aligned, err := t.sideBefore(ctx, typ, ws, "SELECT entity_id FROM goal_links WHERE goal_id = $1 AND entity_type = $2", id, typ)
			if err != nil {
				return err
			}
			side = append(side, aligned...)
		}
		if _, err := t.exec(ctx, "UPDATE goals SET parent_id = $1, "+bumpSet+"$2 WHERE parent_id = $3 AND workspace_id = $4",
			nullStr(g.ParentID), tsv(t.now), id, ws); err != nil {
			return fmt.Errorf("delete goal %s: move children: %w", id, err)
		}
		// Entities aligned to the goal lose the alignment: their version changes.
		for _, e := range []struct{ typ, table string }{{tandem.EntityProgram, "programs"}, {tandem.EntityProduct, "products"}, {tandem.EntityItem, "items"}} {
			if _, err := t.exec(ctx, "UPDATE "+e.table+" SET "+bumpSet+"$1 WHERE id IN (SELECT entity_id FROM goal_links WHERE goal_id = $2 AND entity_type = $3)",
				tsv(t.now), id, e.typ); err != nil {
				return fmt.Errorf("delete goal %s: unalign %s: %w", id, e.table, err)
			}
		}
		if _, err := t.exec(ctx, "DELETE FROM goal_links WHERE goal_id = $1", id); err != nil {
			return fmt.Errorf("delete goal %s: %w", id, err)
		}
		if _, err := t.exec(ctx, "DELETE FROM comments WHERE entity_type = $1 AND entity_id IN (SELECT id FROM key_results WHERE goal_id = $2)",
			tandem.EntityKeyResult, id); err != nil {
			return fmt.Errorf("delete goal %s: %w", id, err)
		}
		if _, err := t.exec(ctx, "DELETE FROM measurements WHERE key_result_id IN (SELECT id FROM key_results WHERE goal_id = $1)", id); err != nil {
			return fmt.Errorf("delete goal %s: %w", id, err)
		}
		if _, err := t.exec(ctx, "DELETE FROM key_results WHERE goal_id = $1", id); err != nil {
			return fmt.Errorf("delete goal %s: %w", id, err)
		}
		if err := t.deleteAttached(ctx, tandem.EntityGoal, id); err != nil {
			return err
		}
		if _, err := t.exec(ctx, "DELETE FROM goals WHERE id = $1", id); err != nil {
			return fmt.Errorf("delete goal %s: %w", id, err)
		}
		if err := t.recordSide(ctx, ws, side); err != nil {
			return err
		}
		return t.record(ctx, ws, tandem.EntityGoal, id, tandem.ActionDelete, g.Title, g, nil)
	})
}

const keyResultColumns = "id, workspace_id, version, created_at, updated_at, goal_id, metric, unit, baseline, target, current_value, direction, due_date"

func scanKeyResult(row interface{ Scan(...any) error }, k *tandem.KeyResult) error {
	var cur sql.NullFloat64
	var dir string
	err := row.Scan(&k.ID, &k.WorkspaceID, &k.Version, ts{&k.CreatedAt}, ts{&k.UpdatedAt}, &k.GoalID, &k.Metric, &k.Unit,
		&k.Baseline, &k.Target, &cur, &dir, date{&k.DueDate})
	k.Direction = tandem.Direction(dir)
	k.Current = k.Baseline
	if cur.Valid {
		k.Current = cur.Float64
	}
	k.ComputeProgress()
	return err
}

func (t *tx) findKeyResult(ctx context.Context, ws, id string) (*tandem.KeyResult, error) {
	return findByID(ctx, t, "key result", "key_results", keyResultColumns, scanKeyResult, ws, id)
}

// FindKeyResultByID returns ENotFound when there is no such key result in the workspace.
func (s *Store) FindKeyResultByID(ctx context.Context, ws, id string) (*tandem.KeyResult, error) {
	return s.reader(ctx).findKeyResult(ctx, ws, id)
}

// FindKeyResults lists key results ordered by creation.
func (s *Store) FindKeyResults(ctx context.Context, ws string, f tandem.KeyResultFilter) ([]*tandem.KeyResult, string, error) {
	t := s.reader(ctx)
	var w filter
	w.add("workspace_id = %s", ws)
	if f.GoalID != "" {
		w.add("goal_id = %s", f.GoalID)
	}
	tail, err := w.page(f.Page, "id", false)
	if err != nil {
		return nil, "", err
	}
	return findPage(ctx, t, "key results", "SELECT "+keyResultColumns+" FROM key_results"+w.where()+tail, w.args, f.Page, scanKeyResult,
		func(k *tandem.KeyResult) string { return k.ID })
}

func (t *tx) checkKeyResult(ctx context.Context, ws string, k *tandem.KeyResult) error {
	if err := k.Validate(); err != nil {
		return err
	}
	var p tandem.Problems
	if err := t.checkRef(ctx, &p, "goal_id", tandem.EntityGoal, ws, k.GoalID); err != nil {
		return err
	}
	return p.Err("key result")
}

// CreateKeyResult stores k; its current value starts at the baseline.
func (s *Store) CreateKeyResult(ctx context.Context, ws string, k *tandem.KeyResult) error {
	k.Metric = strings.TrimSpace(k.Metric)
	return s.inTx(ctx, func(t *tx) error {
		k.ID, k.WorkspaceID, k.Version, k.CreatedAt, k.UpdatedAt = tandem.NewID(), ws, 1, t.now, t.now
		k.Current = k.Baseline
		if err := t.checkKeyResult(ctx, ws, k); err != nil {
			return err
		}
		k.ComputeProgress()
		_, err := t.exec(ctx, "INSERT INTO key_results ("+keyResultColumns+") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, NULL, $11, $12)",
			k.ID, ws, k.Version, tsv(t.now), tsv(t.now), k.GoalID, k.Metric, k.Unit, k.Baseline, k.Target, string(k.Direction), datev(k.DueDate))
		if err != nil {
			return fmt.Errorf("create key result: %w", t.dbErr(err, "key result"))
		}
		return t.record(ctx, ws, tandem.EntityKeyResult, k.ID, tandem.ActionCreate, k.Metric, nil, k)
	})
}

// UpdateKeyResult applies upd when version matches the stored one.
func (s *Store) UpdateKeyResult(ctx context.Context, ws, id string, upd tandem.KeyResultUpdate, version int64) (*tandem.KeyResult, error) {
	var k *tandem.KeyResult
	err := s.inTx(ctx, func(t *tx) error {
		before, err := t.findKeyResult(ctx, ws, id)
		if err != nil {
			return err
		}
		if err := checkVersion("key result", id, version, before.Version); err != nil {
			return err
		}
		after := *before
		k = &after
		upd.Apply(k)
		k.Metric = strings.TrimSpace(k.Metric)
		if err := t.checkKeyResult(ctx, ws, k); err != nil {
			return err
		}
		k.Version, k.UpdatedAt = before.Version+1, t.now
		k.ComputeProgress()
		res, err := t.exec(ctx, `UPDATE key_results SET version = $1, updated_at = $2, metric = $3, unit = $4, baseline = $5, target = $6,
			direction = $7, due_date = $8 WHERE id = $9 AND version = $10`,
			k.Version, tsv(t.now), k.Metric, k.Unit, k.Baseline, k.Target, string(k.Direction), datev(k.DueDate), id, before.Version)
		if err != nil {
			return fmt.Errorf("update key result %s: %w", id, t.dbErr(err, "key result"))
		}
		if err := updated("key result", id, res); err != nil {
			return err
		}
		if err := t.record(ctx, ws, tandem.EntityKeyResult, id, tandem.ActionUpdate, k.Metric, before, k); err != nil {
			return err
		}
		if upd.Current == nil || *upd.Current == before.Current {
			return nil
		}
		m := &tandem.Measurement{KeyResultID: id, Date: tandem.DateOf(t.now), Value: *upd.Current, Note: "Set when editing the key result"}
		if err := t.addMeasurement(ctx, ws, k, m); err != nil {
			return err
		}
		refreshed, err := t.findKeyResult(ctx, ws, id)
		if err != nil {
			return err
		}
		k = refreshed
		return nil
	})
	if err != nil {
		return nil, err
	}
	return k, nil
}

// DeleteKeyResult deletes a key result with its measurements.
func (s *Store) DeleteKeyResult(ctx context.Context, ws, id string) error {
	return s.inTx(ctx, func(t *tx) error {
		k, err := t.findKeyResult(ctx, ws, id)
		if err != nil {
			return err
		}
		if _, err := t.exec(ctx, "DELETE FROM measurements WHERE key_result_id = $1", id); err != nil {
			return fmt.Errorf("delete key result %s: %w", id, err)
		}
		if err := t.deleteAttached(ctx, tandem.EntityKeyResult, id); err != nil {
			return err
		}
		if _, err := t.exec(ctx, "DELETE FROM key_results WHERE id = $1", id); err != nil {
			return fmt.Errorf("delete key result %s: %w", id, err)
		}
		return t.record(ctx, ws, tandem.EntityKeyResult, id, tandem.ActionDelete, k.Metric, k, nil)
	})
}

// AddMeasurement records a value; the key result's current value becomes
// the value of its latest-dated measurement.
func (s *Store) AddMeasurement(ctx context.Context, ws string, m *tandem.Measurement) error {
	if err := m.Validate(); err != nil {
		return err
	}
	return s.inTx(ctx, func(t *tx) error {
		k, err := t.findKeyResult(ctx, ws, m.KeyResultID)
		if tandem.ErrorCode(err) == tandem.ENotFound {
			return &tandem.Error{Code: tandem.EInvalid, Message: "The measurement is not valid.",
				Fields: []tandem.FieldError{{Field: "key_result_id", Message: "no such key result in this workspace"}}}
		}
		if err != nil {
			return err
		}
		return t.addMeasurement(ctx, ws, k, m)
	})
}

// addMeasurement stores m for key result k and makes the latest-dated
// measurement k's current value.
func (t *tx) addMeasurement(ctx context.Context, ws string, k *tandem.KeyResult, m *tandem.Measurement) error {
	m.ID = tandem.NewID()
	if _, err := t.exec(ctx, "INSERT INTO measurements (id, workspace_id, key_result_id, date, value, note, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
		m.ID, ws, m.KeyResultID, datev(m.Date), m.Value, m.Note, tsv(t.now)); err != nil {
		return fmt.Errorf("add measurement: %w", err)
	}
	if _, err := t.exec(ctx, `UPDATE key_results SET current_value =
		(SELECT value FROM measurements WHERE key_result_id = $1 ORDER BY date DESC, id DESC LIMIT 1) WHERE id = $1`, m.KeyResultID); err != nil {
		return fmt.Errorf("add measurement: %w", err)
	}
	return t.record(ctx, ws, tandem.EntityMeasurement, m.ID, tandem.ActionCreate, fmt.Sprintf("%s: %g on %s", k.Metric, m.Value, m.Date), nil, m)
}

// FindMeasurements lists a key result's measurements by date.
func (s *Store) FindMeasurements(ctx context.Context, ws, keyResultID string) ([]*tandem.Measurement, error) {
	var list []*tandem.Measurement
	err := s.inReadTx(ctx, func(t *tx) error {
		if _, err := t.findKeyResult(ctx, ws, keyResultID); err != nil {
			return err
		}
		rows, err := t.query(ctx, "SELECT id, key_result_id, date, value, note FROM measurements WHERE key_result_id = $1 ORDER BY date, id", keyResultID)
		if err != nil {
			return fmt.Errorf("find measurements: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			m := &tandem.Measurement{}
			if err := rows.Scan(&m.ID, &m.KeyResultID, date{&m.Date}, &m.Value, &m.Note); err != nil {
				return fmt.Errorf("find measurements: %w", err)
			}
			list = append(list, m)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, err
	}
	if list == nil {
		list = []*tandem.Measurement{}
	}
	return list, nil
}
