package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/tandem-pm/tandem"
)

const itemColumns = "id, workspace_id, version, created_at, updated_at, kind, parent_id, project_id, product_id, title, description, status, assignee_id, effort_hours, duration_days, planned_start, planned_finish, progress"

func itemDest(x *tandem.Item) []any {
	return []any{&x.ID, &x.WorkspaceID, num[int64]{&x.Version}, ts{&x.CreatedAt}, ts{&x.UpdatedAt}, &x.Kind, ns{&x.ParentID}, ns{&x.ProjectID},
		ns{&x.ProductID}, &x.Title, &x.Description, &x.Status, ns{&x.AssigneeID}, num[float64]{&x.EffortHours}, num[float64]{&x.DurationDays},
		date{&x.PlannedStart}, date{&x.PlannedFinish}, num[int]{&x.Progress}}
}

// itemListColumns are itemColumns less workspace_id, which a list knows:
// every column read costs a list of 100 items 100 calls into the driver.
const itemListColumns = "id, version, created_at, updated_at, kind, parent_id, project_id, product_id, title, description, status, assignee_id, effort_hours, duration_days, planned_start, planned_finish, progress"

// itemListDest is itemDest for itemListColumns, into dest, which is reused
// from row to row.
func itemListDest(dest []any, x *tandem.Item) []any {
	return append(dest[:0], &x.ID, num[int64]{&x.Version}, ts{&x.CreatedAt}, ts{&x.UpdatedAt}, &x.Kind, ns{&x.ParentID}, ns{&x.ProjectID},
		ns{&x.ProductID}, &x.Title, &x.Description, &x.Status, ns{&x.AssigneeID}, num[float64]{&x.EffortHours}, num[float64]{&x.DurationDays},
		date{&x.PlannedStart}, date{&x.PlannedFinish}, num[int]{&x.Progress})
}

func (t *tx) findItem(ctx context.Context, ws, id string) (*tandem.Item, error) {
	// One query with the goal links: this is the API's hottest read.
	x := &tandem.Item{}
	var goals string
	err := t.queryRow(ctx, "SELECT "+itemColumns+", (SELECT "+t.s.dialect.StringAgg("goal_id")+
		" FROM goal_links WHERE entity_type = 'item' AND entity_id = items.id) FROM items WHERE id = $1 AND workspace_id = $2"+t.lock(), id, ws).
		Scan(append(itemDest(x), ns{&goals})...)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("item", id)
	}
	if err != nil {
		return nil, fmt.Errorf("find item %s: %w", id, err)
	}
	x.GoalIDs = []string{}
	if goals != "" {
		x.GoalIDs = strings.Split(goals, ",")
	}
	return x, nil
}

// FindItemByID returns ENotFound when there is no such item in the workspace.
func (s *Store) FindItemByID(ctx context.Context, ws, id string) (*tandem.Item, error) {
	return s.reader(ctx).findItem(ctx, ws, id)
}

// FindItems lists items ordered by creation.
func (s *Store) FindItems(ctx context.Context, ws string, f tandem.ItemFilter) ([]*tandem.Item, string, error) {
	var w filter
	w.add("workspace_id = %s", ws)
	for _, c := range []struct{ col, v string }{
		{"kind", f.Kind}, {"status", f.Status}, {"project_id", f.ProjectID}, {"product_id", f.ProductID},
		{"parent_id", f.ParentID}, {"assignee_id", f.AssigneeID},
	} {
		if c.v != "" {
			w.add(c.col+" = %s", c.v)
		}
	}
	if f.GoalID != "" {
		w.add("id IN (SELECT entity_id FROM goal_links WHERE goal_id = %s AND entity_type = %s)", f.GoalID, tandem.EntityItem)
	}
	if strings.TrimSpace(f.Q) != "" {
		w.add(`lower(title) LIKE %s ESCAPE '\'`, likeQ(f.Q))
	}
	tail, err := w.page(f.Page, "id", false)
	if err != nil {
		return nil, "", err
	}
	// One statement with the goal links, as findItem: it sees one state of
	// the database without a transaction, and costs one round trip instead
	// of four (begin, items, goal links, rollback).
	t := s.reader(ctx)
	list, err := t.scanItems(ctx, ws, "SELECT "+itemListColumns+", (SELECT "+s.dialect.StringAgg("goal_id")+
		" FROM goal_links WHERE entity_type = 'item' AND entity_id = items.id) FROM items"+w.where()+tail, w.args)
	if err != nil {
		return nil, "", err
	}
	list, next := trim(list, f.Page, func(x *tandem.Item) string { return x.ID })
	return list, next, nil
}

// scanItems runs a query of itemListColumns and the item's goal IDs joined
// with commas, in workspace ws.
func (t *tx) scanItems(ctx context.Context, ws, q string, args []any) ([]*tandem.Item, error) {
	rows, err := t.query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("find items: %w", err)
	}
	defer rows.Close()
	list := []*tandem.Item{} // an empty page encodes as [], not null
	var (
		dest  []any
		goals string
		slab  []tandem.Item // items are allocated a few dozen at a time
	)
	for rows.Next() {
		if len(slab) == 0 {
			slab = make([]tandem.Item, 32)
		}
		x := &slab[0]
		slab = slab[1:]
		dest = append(itemListDest(dest, x), ns{&goals})
		if err := rows.Scan(dest...); err != nil {
			return nil, fmt.Errorf("find items: %w", err)
		}
		x.WorkspaceID = ws
		x.GoalIDs = []string{}
		if goals != "" {
			x.GoalIDs = strings.Split(goals, ",")
		}
		list = append(list, x)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find items: %w", err)
	}
	return list, nil
}

func (t *tx) checkItem(ctx context.Context, ws string, x *tandem.Item) error {
	if err := x.Validate(); err != nil {
		return err
	}
	var p tandem.Problems
	for _, r := range []struct{ field, typ, id string }{
		{"parent_id", tandem.EntityItem, x.ParentID},
		{"project_id", tandem.EntityProject, x.ProjectID},
		{"product_id", tandem.EntityProduct, x.ProductID},
	} {
		if err := t.checkRef(ctx, &p, r.field, r.typ, ws, r.id); err != nil {
			return err
		}
	}
	if err := t.checkMemberRef(ctx, &p, "assignee_id", ws, x.AssigneeID); err != nil {
		return err
	}
	if err := t.checkGoalRefs(ctx, &p, ws, x.GoalIDs); err != nil {
		return err
	}
	return p.Err("item")
}

// CreateItem stores x.
func (s *Store) CreateItem(ctx context.Context, ws string, x *tandem.Item) error {
	x.Defaults()
	return s.inTx(ctx, func(t *tx) error {
		x.ID, x.WorkspaceID, x.Version, x.CreatedAt, x.UpdatedAt = tandem.NewID(), ws, 1, t.now, t.now
		if err := t.checkItem(ctx, ws, x); err != nil {
			return err
		}
		if err := t.insertItem(ctx, ws, x); err != nil {
			return err
		}
		return t.record(ctx, ws, tandem.EntityItem, x.ID, tandem.ActionCreate, x.Title, nil, x)
	})
}

// insertItem writes a checked item and its goal links, for CreateItem and
// the import of a project.
func (t *tx) insertItem(ctx context.Context, ws string, x *tandem.Item) error {
	_, err := t.exec(ctx, "INSERT INTO items ("+itemColumns+") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)",
		x.ID, ws, x.Version, tsv(t.now), tsv(t.now), x.Kind, nullStr(x.ParentID), nullStr(x.ProjectID), nullStr(x.ProductID), x.Title, x.Description,
		x.Status, nullStr(x.AssigneeID), x.EffortHours, x.DurationDays, datev(x.PlannedStart), datev(x.PlannedFinish), x.Progress)
	if err != nil {
		return fmt.Errorf("create item: %w", t.dbErr(err, "item"))
	}
	return t.setGoalLinks(ctx, ws, tandem.EntityItem, x.ID, x.GoalIDs)
}

// UpdateItem applies upd when version matches the stored one.
func (s *Store) UpdateItem(ctx context.Context, ws, id string, upd tandem.ItemUpdate, version int64) (*tandem.Item, error) {
	var x *tandem.Item
	err := s.inTx(ctx, func(t *tx) error {
		before, err := t.findItem(ctx, ws, id)
		if err != nil {
			return err
		}
		if err := checkVersion("item", id, version, before.Version); err != nil {
			return err
		}
		after := *before
		x = &after
		upd.Apply(x)
		if err := t.checkItem(ctx, ws, x); err != nil {
			return err
		}
		if x.ParentID != before.ParentID {
			// Parent changes take turns, so that two cannot close a cycle together.
			if err := t.lockWorkspace(ctx, ws); err != nil {
				return err
			}
			cycle, err := t.createsCycle(ctx, "items", id, x.ParentID)
			if err != nil {
				return err
			}
			if cycle {
				return &tandem.Error{Code: tandem.EConflict, Message: "An item cannot be placed under one of its own children.",
					Fields: []tandem.FieldError{{Field: "parent_id", Message: "would close a cycle"}}}
			}
		}
		x.Version, x.UpdatedAt = before.Version+1, t.now
		res, err := t.exec(ctx, `UPDATE items SET version = $1, updated_at = $2, kind = $3, parent_id = $4, project_id = $5, product_id = $6,
			title = $7, description = $8, status = $9, assignee_id = $10, effort_hours = $11, duration_days = $12, planned_start = $13,
			planned_finish = $14, progress = $15 WHERE id = $16 AND version = $17`,
			x.Version, tsv(t.now), x.Kind, nullStr(x.ParentID), nullStr(x.ProjectID), nullStr(x.ProductID), x.Title, x.Description, x.Status,
			nullStr(x.AssigneeID), x.EffortHours, x.DurationDays, datev(x.PlannedStart), datev(x.PlannedFinish), x.Progress, id, before.Version)
		if err != nil {
			return fmt.Errorf("update item %s: %w", id, t.dbErr(err, "item"))
		}
		if err := updated("item", id, res); err != nil {
			return err
		}
		if upd.GoalIDs != nil {
			if err := t.setGoalLinks(ctx, ws, tandem.EntityItem, id, x.GoalIDs); err != nil {
				return err
			}
		}
		return t.record(ctx, ws, tandem.EntityItem, id, tandem.ActionUpdate, x.Title, before, x)
	})
	if err != nil {
		return nil, err
	}
	return x, nil
}

// DeleteItem deletes an item with its dependencies; children move up to its parent.
func (s *Store) DeleteItem(ctx context.Context, ws, id string) error {
	return s.inTx(ctx, func(t *tx) error {
		x, err := t.findItem(ctx, ws, id)
		if err != nil {
			return err
		}
		children, err := t.sideBefore(ctx, tandem.EntityItem, ws, "SELECT id FROM items WHERE parent_id = $1", id)
		if err != nil {
			return err
		}
		if _, err := t.exec(ctx, "UPDATE items SET parent_id = $1, "+bumpSet+"$2 WHERE parent_id = $3", nullStr(x.ParentID), tsv(t.now), id); err != nil {
			return fmt.Errorf("delete item %s: move children: %w", id, err)
		}
		if _, err := t.exec(ctx, "DELETE FROM comments WHERE entity_type = $1 AND entity_id IN (SELECT id FROM dependencies WHERE predecessor_id = $2 OR successor_id = $2)",
			tandem.EntityDependency, id); err != nil {
			return fmt.Errorf("delete item %s: %w", id, err)
		}
		if _, err := t.exec(ctx, "DELETE FROM dependencies WHERE predecessor_id = $1 OR successor_id = $1", id); err != nil {
			return fmt.Errorf("delete item %s: dependencies: %w", id, err)
		}
		if err := t.deleteAttached(ctx, tandem.EntityItem, id); err != nil {
			return err
		}
		if _, err := t.exec(ctx, "DELETE FROM items WHERE id = $1", id); err != nil {
			return fmt.Errorf("delete item %s: %w", id, err)
		}
		if err := t.recordSide(ctx, ws, children); err != nil {
			return err
		}
		return t.record(ctx, ws, tandem.EntityItem, id, tandem.ActionDelete, x.Title, x, nil)
	})
}
