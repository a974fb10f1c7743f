package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/tandem-pm/tandem"
)

// record writes the Activity row of a change, in the change's transaction.
// before and after are the entity as it was and as it is (nil for none).
func (t *tx) record(ctx context.Context, ws, entityType, entityID, action, summary string, before, after any) error {
	b, err := jsonOrNil(before)
	if err != nil {
		return err
	}
	a, err := jsonOrNil(after)
	if err != nil {
		return err
	}
	_, err = t.exec(ctx, `INSERT INTO activity (id, workspace_id, actor_id, at, entity_type, entity_id, action, summary, before_json, after_json)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
		tandem.NewID(), ws, nullStr(t.actor), tsv(t.now), entityType, entityID, action, summary, b, a)
	if err != nil {
		return fmt.Errorf("record activity: %w", err)
	}
	return nil
}

func jsonOrNil(v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("activity json: %w", err)
	}
	return string(b), nil
}

// FindActivity lists a workspace's activity, newest first.
func (s *Store) FindActivity(ctx context.Context, ws string, f tandem.ActivityFilter) ([]*tandem.Activity, string, error) {
	t := s.reader(ctx)
	var w filter
	w.add("a.workspace_id = %s", ws)
	if f.EntityType != "" {
		w.add("a.entity_type = %s", f.EntityType)
	}
	if f.EntityID != "" {
		w.add("a.entity_id = %s", f.EntityID)
	}
	if f.ActorID != "" {
		w.add("a.actor_id = %s", f.ActorID)
	}
	tail, err := w.page(f.Page, "a.id", true)
	if err != nil {
		return nil, "", err
	}
	rows, err := t.query(ctx, `SELECT a.id, a.workspace_id, a.actor_id, u.name, a.at, a.entity_type, a.entity_id, a.action, a.summary, a.before_json, a.after_json
		FROM activity a LEFT JOIN users u ON u.id = a.actor_id`+w.where()+tail, w.args...)
	if err != nil {
		return nil, "", fmt.Errorf("find activity: %w", err)
	}
	defer rows.Close()
	var list []*tandem.Activity
	for rows.Next() {
		a := &tandem.Activity{}
		var before, after []byte
		if err := rows.Scan(&a.ID, &a.WorkspaceID, ns{&a.ActorID}, ns{&a.ActorName}, ts{&a.At}, &a.EntityType, &a.EntityID,
			&a.Action, &a.Summary, bytesCol{&before}, bytesCol{&after}); err != nil {
			return nil, "", fmt.Errorf("find activity: %w", err)
		}
		if before != nil {
			a.Before = before
		}
		if after != nil {
			a.After = after
		}
		list = append(list, a)
	}
	if err := rows.Err(); err != nil {
		return nil, "", fmt.Errorf("find activity: %w", err)
	}
	list, next := trim(list, f.Page, func(a *tandem.Activity) string { return a.ID })
	if list == nil {
		list = []*tandem.Activity{}
	}
	return list, next, nil
}
