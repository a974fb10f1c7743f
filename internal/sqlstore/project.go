package sqlstore

import (
	"context"
	"fmt"
	"strings"

	"github.com/tandem-pm/tandem"
)

const projectColumns = "id, workspace_id, version, created_at, updated_at, program_id, name, description, manager_id, status, health, health_reason, start_date, end_date, budget_amount, budget_currency, calendar_id"

func scanProject(row interface{ Scan(...any) error }, x *tandem.Project) error {
	return row.Scan(&x.ID, &x.WorkspaceID, &x.Version, ts{&x.CreatedAt}, ts{&x.UpdatedAt}, ns{&x.ProgramID}, &x.Name, &x.Description,
		ns{&x.ManagerID}, &x.Status, &x.Health, &x.HealthReason, date{&x.StartDate}, date{&x.EndDate}, &x.Budget.Amount, &x.Budget.Currency, ns{&x.CalendarID})
}

func (t *tx) findProject(ctx context.Context, ws, id string) (*tandem.Project, error) {
	return findByID(ctx, t, "project", "projects", projectColumns, scanProject, ws, id)
}

// FindProjectByID returns ENotFound when there is no such project in the workspace.
func (s *Store) FindProjectByID(ctx context.Context, ws, id string) (*tandem.Project, error) {
	return s.reader(ctx).findProject(ctx, ws, id)
}

// FindProjects lists projects ordered by creation.
func (s *Store) FindProjects(ctx context.Context, ws string, f tandem.ProjectFilter) ([]*tandem.Project, string, error) {
	t := s.reader(ctx)
	var w filter
	w.add("workspace_id = %s", ws)
	if f.ProgramID != "" {
		w.add("program_id = %s", f.ProgramID)
	}
	if f.Status != "" {
		w.add("status = %s", f.Status)
	}
	if strings.TrimSpace(f.Q) != "" {
		w.add(`lower(name) LIKE %s ESCAPE '\'`, likeQ(f.Q))
	}
	tail, err := w.page(f.Page, "id", false)
	if err != nil {
		return nil, "", err
	}
	return findPage(ctx, t, "projects", "SELECT "+projectColumns+" FROM projects"+w.where()+tail, w.args, f.Page, scanProject,
		func(x *tandem.Project) string { return x.ID })
}

func (t *tx) checkProject(ctx context.Context, ws string, x *tandem.Project) error {
	if err := x.Validate(); err != nil {
		return err
	}
	var p tandem.Problems
	if err := t.checkRef(ctx, &p, "program_id", tandem.EntityProgram, ws, x.ProgramID); err != nil {
		return err
	}
	if err := t.checkMemberRef(ctx, &p, "manager_id", ws, x.ManagerID); err != nil {
		return err
	}
	if err := t.checkRef(ctx, &p, "calendar_id", tandem.EntityCalendar, ws, x.CalendarID); err != nil {
		return err
	}
	return p.Err("project")
}

// insertProject writes a new, checked project row.
func (t *tx) insertProject(ctx context.Context, ws string, x *tandem.Project) error {
	_, err := t.exec(ctx, "INSERT INTO projects ("+projectColumns+") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)",
		x.ID, ws, x.Version, tsv(t.now), tsv(t.now), nullStr(x.ProgramID), x.Name, x.Description, nullStr(x.ManagerID), x.Status, x.Health, x.HealthReason,
		datev(x.StartDate), datev(x.EndDate), x.Budget.Amount, x.Budget.Currency, nullStr(x.CalendarID))
	if err != nil {
		return fmt.Errorf("create project: %w", t.dbErr(err, "project"))
	}
	return nil
}

// CreateProject stores x.
func (s *Store) CreateProject(ctx context.Context, ws string, x *tandem.Project) error {
	x.Defaults()
	x.Name = strings.TrimSpace(x.Name)
	return s.inTx(ctx, func(t *tx) error {
		x.ID, x.WorkspaceID, x.Version, x.CreatedAt, x.UpdatedAt = tandem.NewID(), ws, 1, t.now, t.now
		if err := t.checkProject(ctx, ws, x); err != nil {
			return err
		}
		if err := t.insertProject(ctx, ws, x); err != nil {
			return err
		}
		return t.record(ctx, ws, tandem.EntityProject, x.ID, tandem.ActionCreate, x.Name, nil, x)
	})
}

// UpdateProject applies upd when version matches the stored one.
func (s *Store) UpdateProject(ctx context.Context, ws, id string, upd tandem.ProjectUpdate, version int64) (*tandem.Project, error) {
	var x *tandem.Project
	err := s.inTx(ctx, func(t *tx) error {
		before, err := t.findProject(ctx, ws, id)
		if err != nil {
			return err
		}
		if err := checkVersion("project", id, version, before.Version); err != nil {
			return err
		}
		after := *before
		x = &after
		upd.Apply(x)
		x.Name = strings.TrimSpace(x.Name)
		if err := t.checkProject(ctx, ws, x); err != nil {
			return err
		}
		x.Version, x.UpdatedAt = before.Version+1, t.now
		res, err := t.exec(ctx, `UPDATE projects SET version = $1, updated_at = $2, program_id = $3, name = $4, description = $5,
			manager_id = $6, status = $7, health = $8, health_reason = $9, start_date = $10, end_date = $11, budget_amount = $12,
			budget_currency = $13, calendar_id = $14 WHERE id = $15 AND version = $16`,
			x.Version, tsv(t.now), nullStr(x.ProgramID), x.Name, x.Description, nullStr(x.ManagerID), x.Status, x.Health, x.HealthReason,
			datev(x.StartDate), datev(x.EndDate), x.Budget.Amount, x.Budget.Currency, nullStr(x.CalendarID), id, before.Version)
		if err != nil {
			return fmt.Errorf("update project %s: %w", id, t.dbErr(err, "project"))
		}
		if err := updated("project", id, res); err != nil {
			return err
		}
		return t.record(ctx, ws, tandem.EntityProject, id, tandem.ActionUpdate, x.Name, before, x)
	})
	if err != nil {
		return nil, err
	}
	return x, nil
}

// DeleteProject deletes a project; its items stay, outside any project.
func (s *Store) DeleteProject(ctx context.Context, ws, id string) error {
	return s.inTx(ctx, func(t *tx) error {
		x, err := t.findProject(ctx, ws, id)
		if err != nil {
			return err
		}
		items, err := t.sideBefore(ctx, tandem.EntityItem, ws, "SELECT id FROM items WHERE project_id = $1", id)
		if err != nil {
			return err
		}
		if _, err := t.exec(ctx, "UPDATE items SET project_id = NULL, "+bumpSet+"$1 WHERE project_id = $2", tsv(t.now), id); err != nil {
			return fmt.Errorf("delete project %s: release items: %w", id, err)
		}
		if err := t.deleteAttached(ctx, tandem.EntityProject, id); err != nil {
			return err
		}
		if _, err := t.exec(ctx, "DELETE FROM projects WHERE id = $1", id); err != nil {
			return fmt.Errorf("delete project %s: %w", id, err)
		}
		if err := t.recordSide(ctx, ws, items); err != nil {
			return err
		}
		return t.record(ctx, ws, tandem.EntityProject, id, tandem.ActionDelete, x.Name, x, nil)
	})
}
