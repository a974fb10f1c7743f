package sqlstore

import (
	"context"
	"fmt"

	"github.com/tandem-pm/tandem"
)

// entityTables maps entity types to their tables.
var entityTables = map[string]string{
	tandem.EntityGoal:       "goals",
	tandem.EntityKeyResult:  "key_results",
	tandem.EntityProgram:    "programs",
	tandem.EntityProject:    "projects",
	tandem.EntityProduct:    "products",
	tandem.EntityItem:       "items",
	tandem.EntityDependency: "dependencies",
	tandem.EntityComment:    "comments",
	tandem.EntityCalendar:   "calendars",
}

// inWorkspace reports whether the entity id of type entityType is in workspace ws.
func (t *tx) inWorkspace(ctx context.Context, entityType, ws, id string) (bool, error) {
	table, ok := entityTables[entityType]
	if !ok {
		return false, fmt.Errorf("unknown entity type %q", entityType)
	}
	ok, err := t.exists(ctx, "SELECT 1 FROM "+table+" WHERE id = $1 AND workspace_id = $2", id, ws)
	if err != nil {
		return false, fmt.Errorf("check %s %s: %w", entityType, id, err)
	}
	return ok, nil
}

// checkRef adds a problem for field when id is set and names no entity of
// entityType in workspace ws.
func (t *tx) checkRef(ctx context.Context, p *tandem.Problems, field, entityType, ws, id string) error {
	if id == "" {
		return nil
	}
	ok, err := t.inWorkspace(ctx, entityType, ws, id)
	if err != nil {
		return err
	}
	if !ok {
		p.Add(field, "no such %s in this workspace", entityType)
	}
	return nil
}

// checkMemberRef adds a problem for field when userID is set and is not a
// member of workspace ws.
func (t *tx) checkMemberRef(ctx context.Context, p *tandem.Problems, field, ws, userID string) error {
	if userID == "" {
		return nil
	}
	ok, err := t.exists(ctx, "SELECT 1 FROM members WHERE workspace_id = $1 AND user_id = $2", ws, userID)
	if err != nil {
		return fmt.Errorf("check member %s: %w", userID, err)
	}
	if !ok {
		p.Add(field, "no such member of this workspace")
	}
	return nil
}

// checkGoalRefs adds a problem when a goal of ids is not in workspace ws.
func (t *tx) checkGoalRefs(ctx context.Context, p *tandem.Problems, ws string, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	var f filter
	f.add("workspace_id = %s", ws)
	f.conds = append(f.conds, "id IN ("+f.in(ids)+")")
	var n int
	if err := t.queryRow(ctx, "SELECT COUNT(*) FROM goals"+f.where(), f.args...).Scan(&n); err != nil {
		return fmt.Errorf("check goals: %w", err)
	}
	if n != len(ids) {
		p.Add("goal_ids", "no such goal in this workspace")
	}
	return nil
}

// setGoalLinks replaces the goals an entity is aligned to.
func (t *tx) setGoalLinks(ctx context.Context, ws, entityType, id string, goalIDs []string) error {
	if _, err := t.exec(ctx, "DELETE FROM goal_links WHERE entity_type = $1 AND entity_id = $2", entityType, id); err != nil {
		return fmt.Errorf("set goals of %s %s: %w", entityType, id, err)
	}
	for _, g := range goalIDs {
		if _, err := t.exec(ctx, "INSERT INTO goal_links (entity_type, entity_id, goal_id, workspace_id) VALUES ($1, $2, $3, $4)",
			entityType, id, g, ws); err != nil {
			return fmt.Errorf("set goals of %s %s: %w", entityType, id, err)
		}
	}
	return nil
}

// goalLinks returns the goal IDs of entities of one type, in one query.
func (t *tx) goalLinks(ctx context.Context, entityType string, ids []string) (map[string][]string, error) {
	links := make(map[string][]string, len(ids))
	if len(ids) == 0 {
		return links, nil
	}
	var f filter
	f.add("entity_type = %s", entityType)
	if len(ids) == 1 {
		f.add("entity_id = %s", ids[0])
	} else {
		f.conds = append(f.conds, "entity_id IN ("+f.in(ids)+")")
	}
	rows, err := t.query(ctx, "SELECT entity_id, goal_id FROM goal_links"+f.where()+" ORDER BY entity_id, goal_id", f.args...)
	if err != nil {
		return nil, fmt.Errorf("find goal links: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var e, g string
		if err := rows.Scan(&e, &g); err != nil {
			return nil, fmt.Errorf("find goal links: %w", err)
		}
		links[e] = append(links[e], g)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find goal links: %w", err)
	}
	return links, nil
}

// deleteAttached removes what hangs off a deleted entity: its comments and
// its goal alignments.
func (t *tx) deleteAttached(ctx context.Context, entityType, id string) error {
	if _, err := t.exec(ctx, "DELETE FROM comments WHERE entity_type = $1 AND entity_id = $2", entityType, id); err != nil {
		return fmt.Errorf("delete comments of %s %s: %w", entityType, id, err)
	}
	if _, err := t.exec(ctx, "DELETE FROM goal_links WHERE entity_type = $1 AND entity_id = $2", entityType, id); err != nil {
		return fmt.Errorf("delete goal links of %s %s: %w", entityType, id, err)
	}
	return nil
}

// checkVersion returns EStale when want is set and differs from stored.
func checkVersion(what, id string, want, stored int64) error {
	if want != 0 && want != stored {
		return tandem.Errorf(tandem.EStale, "The %s %s was changed by someone else (version %d, not %d); reload it and try again.", what, id, stored, want)
	}
	return nil
}

// updated checks that a conditional UPDATE ... WHERE version = old hit its row.
func updated(what, id string, res interface{ RowsAffected() (int64, error) }) error {
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("update %s %s: %w", what, id, err)
	}
	if n == 0 {
		return tandem.Errorf(tandem.EStale, "The %s %s was changed by someone else; reload it and try again.", what, id)
	}
	return nil
}

// createsCycle reports whether making parent the parent of id would close
// a cycle in table's parent_id tree: that is, whether id is parent or one
// of parent's ancestors.
func (t *tx) createsCycle(ctx context.Context, table, id, parent string) (bool, error) {
	if parent == "" {
		return false, nil
	}
	if parent == id {
		return true, nil
	}
	ok, err := t.exists(ctx, `WITH RECURSIVE anc (id, parent_id) AS (
			SELECT id, parent_id FROM `+table+` WHERE id = $1
			UNION
			SELECT x.id, x.parent_id FROM `+table+` x JOIN anc ON x.id = anc.parent_id
		) SELECT 1 FROM anc WHERE id = $2`, parent, id)
	if err != nil {
		return false, fmt.Errorf("check %s cycle: %w", table, err)
	}
	return ok, nil
}

// sideChange is an entity that a delete changes on the side (a child
// moving up, an alignment going away). It gets an update of its own in the
// activity log, with the entity as it was before.
type sideChange struct {
	typ, id string
	before  any
}

// findEntity loads an entity of a type that deletes change on the side,
// with its activity summary.
func (t *tx) findEntity(ctx context.Context, typ, ws, id string) (any, string, error) {
	switch typ {
	case tandem.EntityGoal:
		x, err := t.findGoal(ctx, ws, id)
		if err != nil {
			return nil, "", err
		}
		return x, x.Title, nil
	case tandem.EntityProgram:
		x, err := t.findProgram(ctx, ws, id)
		if err != nil {
			return nil, "", err
		}
		return x, x.Name, nil
	case tandem.EntityProject:
		x, err := t.findProject(ctx, ws, id)
		if err != nil {
			return nil, "", err
		}
		return x, x.Name, nil
	case tandem.EntityProduct:
		x, err := t.findProduct(ctx, ws, id)
		if err != nil {
			return nil, "", err
		}
		return x, x.Name, nil
	case tandem.EntityItem:
		x, err := t.findItem(ctx, ws, id)
		if err != nil {
			return nil, "", err
		}
		return x, x.Title, nil
	}
	return nil, "", fmt.Errorf("no side changes of %s", typ)
}

// sideBefore loads the entities of type typ whose IDs q selects, before a
// delete changes them.
func (t *tx) sideBefore(ctx context.Context, typ, ws, q string, args ...any) ([]sideChange, error) {
	rows, err := t.query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("find %s changed by a delete: %w", typ, err)
	}
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, fmt.Errorf("find %s changed by a delete: %w", typ, err)
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find %s changed by a delete: %w", typ, err)
	}
	cs := make([]sideChange, len(ids))
	for i, id := range ids {
		v, _, err := t.findEntity(ctx, typ, ws, id)
		if err != nil {
			return nil, err
		}
		cs[i] = sideChange{typ: typ, id: id, before: v}
	}
	return cs, nil
}

// recordSide writes the update activity of each side change, with the
// entity as it is now.
func (t *tx) recordSide(ctx context.Context, ws string, cs []sideChange) error {
	for _, c := range cs {
		after, summary, err := t.findEntity(ctx, c.typ, ws, c.id)
		if err != nil {
			return err
		}
		if err := t.record(ctx, ws, c.typ, c.id, tandem.ActionUpdate, summary, c.before, after); err != nil {
			return err
		}
	}
	return nil
}
