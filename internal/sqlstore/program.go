package sqlstore

import (
	"context"
	"fmt"
	"strings"

	"github.com/tandem-pm/tandem"
)

const programColumns = "id, workspace_id, version, created_at, updated_at, name, objective, scope, sponsor, manager_id, status, health, health_reason, start_date, end_date, budget_amount, budget_currency"

func scanProgram(row interface{ Scan(...any) error }, x *tandem.Program) error {
	return row.Scan(&x.ID, &x.WorkspaceID, &x.Version, ts{&x.CreatedAt}, ts{&x.UpdatedAt}, &x.Name, &x.Objective, &x.Scope, &x.Sponsor,
		ns{&x.ManagerID}, &x.Status, &x.Health, &x.HealthReason, date{&x.StartDate}, date{&x.EndDate}, &x.Budget.Amount, &x.Budget.Currency)
}

func (t *tx) findProgram(ctx context.Context, ws, id string) (*tandem.Program, error) {
	x, err := findByID(ctx, t, "program", "programs", programColumns, scanProgram, ws, id)
	if err != nil {
		return nil, err
	}
	links, err := t.goalLinks(ctx, tandem.EntityProgram, []string{id})
	if err != nil {
		return nil, err
	}
	x.GoalIDs = orEmpty(links[id])
	return x, nil
}

func orEmpty(ids []string) []string {
	if ids == nil {
		return []string{}
	}
	return ids
}

// FindProgramByID returns ENotFound when there is no such program in the workspace.
func (s *Store) FindProgramByID(ctx context.Context, ws, id string) (*tandem.Program, error) {
	return s.reader(ctx).findProgram(ctx, ws, id)
}

// FindPrograms lists programs ordered by creation.
func (s *Store) FindPrograms(ctx context.Context, ws string, f tandem.ProgramFilter) ([]*tandem.Program, string, error) {
	var list []*tandem.Program
	var next string
	err := s.inReadTx(ctx, func(t *tx) error {
		var w filter
		w.add("workspace_id = %s", ws)
		if f.Status != "" {
			w.add("status = %s", f.Status)
		}
		if f.Health != "" {
			w.add("health = %s", f.Health)
		}
		if f.GoalID != "" {
			w.add("id IN (SELECT entity_id FROM goal_links WHERE goal_id = %s AND entity_type = %s)", f.GoalID, tandem.EntityProgram)
		}
		if strings.TrimSpace(f.Q) != "" {
			w.add(`lower(name) LIKE %s ESCAPE '\'`, likeQ(f.Q))
		}
		tail, err := w.page(f.Page, "id", false)
		if err != nil {
			return err
		}
		list, next, err = findPage(ctx, t, "programs", "SELECT "+programColumns+" FROM programs"+w.where()+tail, w.args, f.Page, scanProgram,
			func(x *tandem.Program) string { return x.ID })
		if err != nil {
			return err
		}
		return attachGoalIDs(ctx, t, tandem.EntityProgram, list, func(x *tandem.Program) string { return x.ID },
			func(x *tandem.Program) *[]string { return &x.GoalIDs })
	})
	if err != nil {
		return nil, "", err
	}
	if list == nil {
		list = []*tandem.Program{}
	}
	return list, next, nil
}

func (t *tx) checkProgram(ctx context.Context, ws string, x *tandem.Program) error {
	if err := x.Validate(); err != nil {
		return err
	}
	var p tandem.Problems
	if err := t.checkMemberRef(ctx, &p, "manager_id", ws, x.ManagerID); err != nil {
		return err
	}
	if err := t.checkGoalRefs(ctx, &p, ws, x.GoalIDs); err != nil {
		return err
	}
	return p.Err("program")
}

// CreateProgram stores x.
func (s *Store) CreateProgram(ctx context.Context, ws string, x *tandem.Program) error {
	x.Defaults()
	x.Name = strings.TrimSpace(x.Name)
	return s.inTx(ctx, func(t *tx) error {
		x.ID, x.WorkspaceID, x.Version, x.CreatedAt, x.UpdatedAt = tandem.NewID(), ws, 1, t.now, t.now
		if err := t.checkProgram(ctx, ws, x); err != nil {
			return err
		}
		_, err := t.exec(ctx, "INSERT INTO programs ("+programColumns+") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)",
			x.ID, ws, x.Version, tsv(t.now), tsv(t.now), x.Name, x.Objective, x.Scope, x.Sponsor, nullStr(x.ManagerID), x.Status, x.Health, x.HealthReason,
			datev(x.StartDate), datev(x.EndDate), x.Budget.Amount, x.Budget.Currency)
		if err != nil {
			return fmt.Errorf("create program: %w", t.dbErr(err, "program"))
		}
		if err := t.setGoalLinks(ctx, ws, tandem.EntityProgram, x.ID, x.GoalIDs); err != nil {
			return err
		}
		return t.record(ctx, ws, tandem.EntityProgram, x.ID, tandem.ActionCreate, x.Name, nil, x)
	})
}

// UpdateProgram applies upd when version matches the stored one.
func (s *Store) UpdateProgram(ctx context.Context, ws, id string, upd tandem.ProgramUpdate, version int64) (*tandem.Program, error) {
	var x *tandem.Program
	err := s.inTx(ctx, func(t *tx) error {
		before, err := t.findProgram(ctx, ws, id)
		if err != nil {
			return err
		}
		if err := checkVersion("program", id, version, before.Version); err != nil {
			return err
		}
		after := *before
		x = &after
		upd.Apply(x)
		x.Name = strings.TrimSpace(x.Name)
		if err := t.checkProgram(ctx, ws, x); err != nil {
			return err
		}
		x.Version, x.UpdatedAt = before.Version+1, t.now
		res, err := t.exec(ctx, `UPDATE programs SET version = $1, updated_at = $2, name = $3, objective = $4, scope = $5, sponsor = $6,
			manager_id = $7, status = $8, health = $9, health_reason = $10, start_date = $11, end_date = $12, budget_amount = $13,
			budget_currency = $14 WHERE id = $15 AND version = $16`,
			x.Version, tsv(t.now), x.Name, x.Objective, x.Scope, x.Sponsor, nullStr(x.ManagerID), x.Status, x.Health, x.HealthReason,
			datev(x.StartDate), datev(x.EndDate), x.Budget.Amount, x.Budget.Currency, id, before.Version)
		if err != nil {
			return fmt.Errorf("update program %s: %w", id, t.dbErr(err, "program"))
		}
		if err := updated("program", id, res); err != nil {
			return err
		}
		if upd.GoalIDs != nil {
			if err := t.setGoalLinks(ctx, ws, tandem.EntityProgram, id, x.GoalIDs); err != nil {
				return err
			}
		}
		return t.record(ctx, ws, tandem.EntityProgram, id, tandem.ActionUpdate, x.Name, before, x)
	})
	if err != nil {
		return nil, err
	}
	return x, nil
}

// DeleteProgram deletes a program; its projects stay, outside any program.
func (s *Store) DeleteProgram(ctx context.Context, ws, id string) error {
	return s.inTx(ctx, func(t *tx) error {
		x, err := t.findProgram(ctx, ws, id)
		if err != nil {
			return err
		}
		projects, err := t.sideBefore(ctx, tandem.EntityProject, ws, "SELECT id FROM projects WHERE program_id = $1", id)
		if err != nil {
			return err
		}
		if _, err := t.exec(ctx, "UPDATE projects SET program_id = NULL, "+bumpSet+"$1 WHERE program_id = $2", tsv(t.now), id); err != nil {
			return fmt.Errorf("delete program %s: release projects: %w", id, err)
		}
		if err := t.deleteAttached(ctx, tandem.EntityProgram, id); err != nil {
			return err
		}
		if _, err := t.exec(ctx, "DELETE FROM programs WHERE id = $1", id); err != nil {
			return fmt.Errorf("delete program %s: %w", id, err)
		}
		if err := t.recordSide(ctx, ws, projects); err != nil {
			return err
		}
		return t.record(ctx, ws, tandem.EntityProgram, id, tandem.ActionDelete, x.Name, x, nil)
	})
}
