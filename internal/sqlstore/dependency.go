package sqlstore

import (
	"context"
	"fmt"
	"strconv"

	"github.com/tandem-pm/tandem"
)

const dependencyColumns = "id, workspace_id, version, created_at, updated_at, predecessor_id, successor_id, type, lag_days"

func scanDependency(row interface{ Scan(...any) error }, d *tandem.Dependency) error {
	return row.Scan(&d.ID, &d.WorkspaceID, &d.Version, ts{&d.CreatedAt}, ts{&d.UpdatedAt}, &d.PredecessorID, &d.SuccessorID, &d.Type, &d.LagDays)
}

func (t *tx) findDependency(ctx context.Context, ws, id string) (*tandem.Dependency, error) {
	return findByID(ctx, t, "dependency", "dependencies", dependencyColumns, scanDependency, ws, id)
}

// FindDependencyByID returns ENotFound when there is no such dependency in the workspace.
func (s *Store) FindDependencyByID(ctx context.Context, ws, id string) (*tandem.Dependency, error) {
	return s.reader(ctx).findDependency(ctx, ws, id)
}

// FindDependencies lists dependencies ordered by creation.
func (s *Store) FindDependencies(ctx context.Context, ws string, f tandem.DependencyFilter) ([]*tandem.Dependency, string, error) {
	t := s.reader(ctx)
	var w filter
	w.add("workspace_id = %s", ws)
	if f.ItemID != "" {
		w.add("(predecessor_id = %s OR successor_id = %s)", f.ItemID, f.ItemID)
	}
	if f.PredecessorID != "" {
		w.add("predecessor_id = %s", f.PredecessorID)
	}
	if f.SuccessorID != "" {
		w.add("successor_id = %s", f.SuccessorID)
	}
	if f.ProjectID != "" {
		w.add("(predecessor_id IN (SELECT id FROM items WHERE project_id = %s) OR successor_id IN (SELECT id FROM items WHERE project_id = %s))",
			f.ProjectID, f.ProjectID)
	}
	tail, err := w.page(f.Page, "id", false)
	if err != nil {
		return nil, "", err
	}
	return findPage(ctx, t, "dependencies", "SELECT "+dependencyColumns+" FROM dependencies"+w.where()+tail, w.args, f.Page, scanDependency,
		func(d *tandem.Dependency) string { return d.ID })
}

// cyclePath returns the items of the path from 'from' to 'to' along
// existing dependencies (predecessor to successor), or nil when there is
// none. A new dependency to → from would close that path into a cycle. It
// searches breadth first, one query per level, so the path is a shortest one.
func (t *tx) cyclePath(ctx context.Context, from, to string) ([]string, error) {
	prev := map[string]string{from: ""}
	frontier := []string{from}
	for len(frontier) > 0 {
		var nextFrontier []string
		for start := 0; start < len(frontier); start += 500 {
			chunk := frontier[start:min(start+500, len(frontier))]
			var f filter
			f.conds = append(f.conds, "predecessor_id IN ("+f.in(chunk)+")")
			rows, err := t.query(ctx, "SELECT predecessor_id, successor_id FROM dependencies"+f.where(), f.args...)
			if err != nil {
				return nil, fmt.Errorf("find cycle: %w", err)
			}
			for rows.Next() {
				var p, s string
				if err := rows.Scan(&p, &s); err != nil {
					rows.Close()
					return nil, fmt.Errorf("find cycle: %w", err)
				}
				if _, seen := prev[s]; seen {
					continue
				}
				prev[s] = p
				nextFrontier = append(nextFrontier, s)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return nil, fmt.Errorf("find cycle: %w", err)
			}
			if _, ok := prev[to]; ok {
				var path []string
				for n := to; n != ""; n = prev[n] {
					path = append(path, n)
				}
				for i, j := 0, len(path)-1; i < j; i, j = i+1, j-1 {
					path[i], path[j] = path[j], path[i]
				}
				return path, nil
			}
		}
		frontier = nextFrontier
	}
	return nil, nil
}

// titles returns the quoted titles of the items ids, in their order.
func (t *tx) titles(ctx context.Context, ids []string) ([]string, error) {
	var f filter
	f.conds = append(f.conds, "id IN ("+f.in(ids)+")")
	rows, err := t.query(ctx, "SELECT id, title FROM items"+f.where(), f.args...)
	if err != nil {
		return nil, fmt.Errorf("item titles: %w", err)
	}
	defer rows.Close()
	byID := map[string]string{}
	for rows.Next() {
		var id, title string
		if err := rows.Scan(&id, &title); err != nil {
			return nil, fmt.Errorf("item titles: %w", err)
		}
		byID[id] = title
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("item titles: %w", err)
	}
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = strconv.Quote(byID[id])
	}
	return out, nil
}

// CreateDependency stores d.
func (s *Store) CreateDependency(ctx context.Context, ws string, d *tandem.Dependency) error {
	d.Defaults()
	return s.inTx(ctx, func(t *tx) error {
		d.ID, d.WorkspaceID, d.Version, d.CreatedAt, d.UpdatedAt = tandem.NewID(), ws, 1, t.now, t.now
		if err := d.Validate(); err != nil {
			return err
		}
		var p tandem.Problems
		if err := t.checkRef(ctx, &p, "predecessor_id", tandem.EntityItem, ws, d.PredecessorID); err != nil {
			return err
		}
		if err := t.checkRef(ctx, &p, "successor_id", tandem.EntityItem, ws, d.SuccessorID); err != nil {
			return err
		}
		if err := p.Err("dependency"); err != nil {
			return err
		}
		// Two links created at once could close a cycle that neither sees:
		// links of one workspace are created one at a time.
		if err := t.lockWorkspace(ctx, ws); err != nil {
			return err
		}
		dup, err := t.exists(ctx, "SELECT 1 FROM dependencies WHERE predecessor_id = $1 AND successor_id = $2", d.PredecessorID, d.SuccessorID)
		if err != nil {
			return fmt.Errorf("create dependency: %w", err)
		}
		if dup {
			return &tandem.Error{Code: tandem.EConflict, Message: "These items are already linked.",
				Fields: []tandem.FieldError{{Field: "successor_id", Message: "already depends on the predecessor"}}}
		}
		path, err := t.cyclePath(ctx, d.SuccessorID, d.PredecessorID)
		if err != nil {
			return err
		}
		if path != nil {
			names, err := t.titles(ctx, path)
			if err != nil {
				return err
			}
			return tandem.CycleError(names)
		}
		if err := t.insertDependency(ctx, ws, d); err != nil {
			return err
		}
		names, err := t.titles(ctx, []string{d.PredecessorID, d.SuccessorID})
		if err != nil {
			return err
		}
		return t.record(ctx, ws, tandem.EntityDependency, d.ID, tandem.ActionCreate, names[0]+" → "+names[1], nil, d)
	})
}

// insertDependency writes a checked dependency, for CreateDependency and
// the import of a project: EConflict when the two items are already linked.
func (t *tx) insertDependency(ctx context.Context, ws string, d *tandem.Dependency) error {
	_, err := t.exec(ctx, "INSERT INTO dependencies ("+dependencyColumns+") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
		d.ID, ws, d.Version, tsv(t.now), tsv(t.now), d.PredecessorID, d.SuccessorID, d.Type, d.LagDays)
	if t.s.dialect.IsUniqueViolation(err) {
		return tandem.Errorf(tandem.EConflict, "These items are already linked.")
	}
	if err != nil {
		return fmt.Errorf("create dependency: %w", t.dbErr(err, "dependency"))
	}
	return nil
}

// UpdateDependency applies upd when version matches the stored one.
func (s *Store) UpdateDependency(ctx context.Context, ws, id string, upd tandem.DependencyUpdate, version int64) (*tandem.Dependency, error) {
	var d *tandem.Dependency
	err := s.inTx(ctx, func(t *tx) error {
		before, err := t.findDependency(ctx, ws, id)
		if err != nil {
			return err
		}
		if err := checkVersion("dependency", id, version, before.Version); err != nil {
			return err
		}
		after := *before
		d = &after
		upd.Apply(d)
		if err := d.Validate(); err != nil {
			return err
		}
		d.Version, d.UpdatedAt = before.Version+1, t.now
		res, err := t.exec(ctx, "UPDATE dependencies SET version = $1, updated_at = $2, type = $3, lag_days = $4 WHERE id = $5 AND version = $6",
			d.Version, tsv(t.now), d.Type, d.LagDays, id, before.Version)
		if err != nil {
			return fmt.Errorf("update dependency %s: %w", id, err)
		}
		if err := updated("dependency", id, res); err != nil {
			return err
		}
		names, err := t.titles(ctx, []string{d.PredecessorID, d.SuccessorID})
		if err != nil {
			return err
		}
		return t.record(ctx, ws, tandem.EntityDependency, id, tandem.ActionUpdate, names[0]+" → "+names[1], before, d)
	})
	if err != nil {
		return nil, err
	}
	return d, nil
}

// DeleteDependency deletes a dependency.
func (s *Store) DeleteDependency(ctx context.Context, ws, id string) error {
	return s.inTx(ctx, func(t *tx) error {
		d, err := t.findDependency(ctx, ws, id)
		if err != nil {
			return err
		}
		names, err := t.titles(ctx, []string{d.PredecessorID, d.SuccessorID})
		if err != nil {
			return err
		}
		if err := t.deleteAttached(ctx, tandem.EntityDependency, id); err != nil {
			return err
		}
		if _, err := t.exec(ctx, "DELETE FROM dependencies WHERE id = $1", id); err != nil {
			return fmt.Errorf("delete dependency %s: %w", id, err)
		}
		return t.record(ctx, ws, tandem.EntityDependency, id, tandem.ActionDelete, names[0]+" → "+names[1], d, nil)
	})
}
