package sqlstore

import (
	"context"
	"fmt"
	"strings"

	"github.com/tandem-pm/tandem"
)

const baselineColumns = "id, workspace_id, version, created_at, updated_at, project_id, name"

func scanBaseline(row interface{ Scan(...any) error }, b *tandem.Baseline) error {
	return row.Scan(&b.ID, &b.WorkspaceID, &b.Version, ts{&b.CreatedAt}, ts{&b.UpdatedAt}, &b.ProjectID, &b.Name)
}

func (t *tx) findBaseline(ctx context.Context, ws, id string) (*tandem.Baseline, error) {
	b, err := findByID(ctx, t, "baseline", "baselines", baselineColumns, scanBaseline, ws, id)
	if err != nil {
		return nil, err
	}
	rows, err := t.query(ctx, "SELECT item_id, start_date, finish_date FROM baseline_items WHERE baseline_id = $1 ORDER BY position", id)
	if err != nil {
		return nil, fmt.Errorf("find baseline %s items: %w", id, err)
	}
	defer rows.Close()
	b.Items = []tandem.BaselineItem{}
	for rows.Next() {
		var it tandem.BaselineItem
		if err := rows.Scan(&it.ItemID, date{&it.Start}, date{&it.Finish}); err != nil {
			return nil, fmt.Errorf("find baseline %s items: %w", id, err)
		}
		b.Items = append(b.Items, it)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find baseline %s items: %w", id, err)
	}
	return b, nil
}

// FindBaselineByID returns a baseline with its items; ENotFound when there
// is no such baseline in the workspace.
func (s *Store) FindBaselineByID(ctx context.Context, ws, id string) (*tandem.Baseline, error) {
	var b *tandem.Baseline
	err := s.inReadTx(ctx, func(t *tx) error {
		var err error
		b, err = t.findBaseline(ctx, ws, id)
		return err
	})
	return b, err
}

// FindBaselines lists a project's baselines, newest first, without their
// items. ENotFound when the project is not in the workspace.
func (s *Store) FindBaselines(ctx context.Context, ws, projectID string) ([]*tandem.Baseline, error) {
	t := s.reader(ctx)
	if _, err := t.findProject(ctx, ws, projectID); err != nil {
		return nil, err
	}
	rows, err := t.query(ctx, "SELECT "+baselineColumns+" FROM baselines WHERE workspace_id = $1 AND project_id = $2 ORDER BY id DESC", ws, projectID)
	if err != nil {
		return nil, fmt.Errorf("find baselines: %w", err)
	}
	defer rows.Close()
	list := []*tandem.Baseline{}
	for rows.Next() {
		b := &tandem.Baseline{}
		if err := scanBaseline(rows, b); err != nil {
			return nil, fmt.Errorf("find baselines: %w", err)
		}
		list = append(list, b)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find baselines: %w", err)
	}
	return list, nil
}

// CreateBaseline stores b and its items. EInvalid when the project or an
// item is not in the workspace, or an item is listed twice.
func (s *Store) CreateBaseline(ctx context.Context, ws string, b *tandem.Baseline) error {
	return s.inTx(ctx, func(t *tx) error { return t.createBaseline(ctx, ws, b) })
}

func (t *tx) createBaseline(ctx context.Context, ws string, b *tandem.Baseline) error {
	b.Name = strings.TrimSpace(b.Name)
	if b.Items == nil {
		b.Items = []tandem.BaselineItem{}
	}
	b.ID, b.WorkspaceID, b.Version, b.CreatedAt, b.UpdatedAt = tandem.NewID(), ws, 1, t.now, t.now
	if err := b.Validate(); err != nil {
		return err
	}
	var p tandem.Problems
	if err := t.checkRef(ctx, &p, "project_id", tandem.EntityProject, ws, b.ProjectID); err != nil {
		return err
	}
	seen := make(map[string]bool, len(b.Items))
	for _, it := range b.Items {
		if seen[it.ItemID] {
			p.Add("items", "item %s is listed twice", it.ItemID)
			break
		}
		seen[it.ItemID] = true
	}
	if err := p.Err("baseline"); err != nil {
		return err
	}
	if err := t.checkItemsInWorkspace(ctx, ws, b.Items); err != nil {
		return err
	}
	_, err := t.exec(ctx, "INSERT INTO baselines ("+baselineColumns+") VALUES ($1, $2, $3, $4, $5, $6, $7)",
		b.ID, ws, b.Version, tsv(t.now), tsv(t.now), b.ProjectID, b.Name)
	if err != nil {
		return fmt.Errorf("create baseline: %w", t.dbErr(err, "baseline"))
	}
	for i, it := range b.Items {
		_, err := t.exec(ctx, "INSERT INTO baseline_items (baseline_id, item_id, position, start_date, finish_date) VALUES ($1, $2, $3, $4, $5)",
			b.ID, it.ItemID, i, datev(it.Start), datev(it.Finish))
		if err != nil {
			return fmt.Errorf("create baseline item: %w", t.dbErr(err, "baseline item"))
		}
	}
	// The activity keeps the baseline's name and size, not every date.
	summary := struct {
		ID        string `json:"id"`
		ProjectID string `json:"project_id"`
		Name      string `json:"name"`
		Items     int    `json:"items"`
	}{b.ID, b.ProjectID, b.Name, len(b.Items)}
	return t.record(ctx, ws, tandem.EntityBaseline, b.ID, tandem.ActionCreate, b.Name, nil, summary)
}

// checkItemsInWorkspace returns EInvalid when an item of a baseline is not
// in the workspace. It asks in chunks, to stay under placeholder limits.
func (t *tx) checkItemsInWorkspace(ctx context.Context, ws string, items []tandem.BaselineItem) error {
	const chunk = 500
	for i := 0; i < len(items); i += chunk {
		part := items[i:min(i+chunk, len(items))]
		var f filter
		ids := make([]string, len(part))
		for j, it := range part {
			ids[j] = it.ItemID
		}
		q := "SELECT COUNT(*) FROM items WHERE workspace_id = " + f.next(ws) + " AND id IN (" + f.in(ids) + ")"
		var n int
		if err := t.queryRow(ctx, q, f.args...).Scan(&n); err != nil {
			return fmt.Errorf("check baseline items: %w", err)
		}
		if n != len(part) {
			return &tandem.Error{Code: tandem.EInvalid, Message: "The baseline is not valid.",
				Fields: []tandem.FieldError{{Field: "items", Message: "names items that are not in this workspace"}}}
		}
	}
	return nil
}

// DeleteBaseline deletes a baseline and its items.
func (s *Store) DeleteBaseline(ctx context.Context, ws, id string) error {
	return s.inTx(ctx, func(t *tx) error {
		b, err := t.findBaseline(ctx, ws, id)
		if err != nil {
			return err
		}
		if _, err := t.exec(ctx, "DELETE FROM baseline_items WHERE baseline_id = $1", id); err != nil {
			return fmt.Errorf("delete baseline %s: %w", id, err)
		}
		if _, err := t.exec(ctx, "DELETE FROM baselines WHERE id = $1", id); err != nil {
			return fmt.Errorf("delete baseline %s: %w", id, err)
		}
		summary := map[string]any{"id": b.ID, "project_id": b.ProjectID, "name": b.Name, "items": len(b.Items)}
		return t.record(ctx, ws, tandem.EntityBaseline, id, tandem.ActionDelete, b.Name, summary, nil)
	})
}

// ImportProject stores a project with its items, dependencies, calendar and
// baselines in one transaction, with an activity row for each, as the
// Create methods would, but all or nothing.
func (s *Store) ImportProject(ctx context.Context, ws string, imp *tandem.ProjectImport) error {
	x, items, deps := imp.Project, imp.Items, imp.Dependencies
	x.Defaults()
	x.Name = strings.TrimSpace(x.Name)
	if imp.Calendar != nil {
		imp.Calendar.Derive()
		if err := imp.Calendar.Validate(); err != nil {
			return err
		}
	}
	return s.inTx(ctx, func(t *tx) error {
		if !tandem.IsID(x.ID) {
			return tandem.Errorf(tandem.EInvalid, "An imported project needs an ID.")
		}
		if imp.Calendar != nil {
			if err := t.createCalendar(ctx, ws, imp.Calendar); err != nil {
				return err
			}
			x.CalendarID = imp.Calendar.ID
		}
		x.WorkspaceID, x.Version, x.CreatedAt, x.UpdatedAt = ws, 1, t.now, t.now
		if err := t.checkProject(ctx, ws, x); err != nil {
			return err
		}
		if err := t.insertProject(ctx, ws, x); err != nil {
			return err
		}
		if err := t.record(ctx, ws, tandem.EntityProject, x.ID, tandem.ActionCreate, x.Name, nil, x); err != nil {
			return err
		}
		titles := make(map[string]string, len(items))
		for _, it := range items {
			it.Defaults()
			if !tandem.IsID(it.ID) {
				return tandem.Errorf(tandem.EInvalid, "Imported item %q needs an ID.", it.Title)
			}
			it.WorkspaceID, it.Version, it.CreatedAt, it.UpdatedAt = ws, 1, t.now, t.now
			if err := t.checkItem(ctx, ws, it); err != nil {
				return err
			}
			if err := t.insertItem(ctx, ws, it); err != nil {
				return err
			}
			if err := t.record(ctx, ws, tandem.EntityItem, it.ID, tandem.ActionCreate, it.Title, nil, it); err != nil {
				return err
			}
			titles[it.ID] = it.Title
		}
		if path := depCycle(deps, titles); path != nil {
			return tandem.CycleError(path)
		}
		pairs := make(map[[2]string]bool, len(deps))
		for _, d := range deps {
			d.Defaults()
			if !tandem.IsID(d.ID) {
				return tandem.Errorf(tandem.EInvalid, "An imported dependency needs an ID.")
			}
			d.WorkspaceID, d.Version, d.CreatedAt, d.UpdatedAt = ws, 1, t.now, t.now
			if err := d.Validate(); err != nil {
				return err
			}
			if _, ok := titles[d.PredecessorID]; !ok {
				return tandem.Errorf(tandem.EInvalid, "An imported dependency links an item that is not part of the import.")
			}
			if _, ok := titles[d.SuccessorID]; !ok {
				return tandem.Errorf(tandem.EInvalid, "An imported dependency links an item that is not part of the import.")
			}
			key := [2]string{d.PredecessorID, d.SuccessorID}
			if pairs[key] {
				return tandem.Errorf(tandem.EConflict, "The file links %q to %q twice.", titles[d.PredecessorID], titles[d.SuccessorID])
			}
			pairs[key] = true
			if err := t.insertDependency(ctx, ws, d); err != nil {
				return err
			}
			if err := t.record(ctx, ws, tandem.EntityDependency, d.ID, tandem.ActionCreate, titles[d.PredecessorID]+" → "+titles[d.SuccessorID], nil, d); err != nil {
				return err
			}
		}
		for _, b := range imp.Baselines {
			b.ProjectID = x.ID
			if err := t.createBaseline(ctx, ws, b); err != nil {
				return err
			}
		}
		return nil
	})
}

// depCycle returns the titles of the items on a cycle among deps, or nil.
func depCycle(deps []*tandem.Dependency, titles map[string]string) []string {
	succ := map[string][]string{}
	for _, d := range deps {
		succ[d.PredecessorID] = append(succ[d.PredecessorID], d.SuccessorID)
	}
	const (
		white = iota
		grey
		black
	)
	color := map[string]int{}
	var stack []string
	var cycle []string
	var visit func(id string) bool
	visit = func(id string) bool {
		color[id] = grey
		stack = append(stack, id)
		for _, n := range succ[id] {
			switch color[n] {
			case grey:
				for i := len(stack) - 1; i >= 0; i-- {
					if stack[i] == n {
						for _, c := range stack[i:] {
							cycle = append(cycle, titles[c])
						}
						return true
					}
				}
			case white:
				if visit(n) {
					return true
				}
			}
		}
		stack = stack[:len(stack)-1]
		color[id] = black
		return false
	}
	for _, d := range deps {
		if color[d.PredecessorID] == white && visit(d.PredecessorID) {
			return cycle
		}
	}
	return nil
}
