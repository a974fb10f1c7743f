package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/tandem-pm/tandem"
)

const commentColumns = "c.id, c.workspace_id, c.version, c.created_at, c.updated_at, c.entity_type, c.entity_id, c.author_id, u.name, c.body"

func scanComment(row interface{ Scan(...any) error }, c *tandem.Comment) error {
	return row.Scan(&c.ID, &c.WorkspaceID, &c.Version, ts{&c.CreatedAt}, ts{&c.UpdatedAt}, &c.EntityType, &c.EntityID, &c.AuthorID, &c.AuthorName, &c.Body)
}

func (t *tx) findComment(ctx context.Context, ws, id string) (*tandem.Comment, error) {
	c := &tandem.Comment{}
	lock := t.lock()
	if lock != "" {
		lock += " OF c"
	}
	err := scanComment(t.queryRow(ctx, "SELECT "+commentColumns+" FROM comments c JOIN users u ON u.id = c.author_id WHERE c.id = $1 AND c.workspace_id = $2"+lock, id, ws), c)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("comment", id)
	}
	if err != nil {
		return nil, fmt.Errorf("find comment %s: %w", id, err)
	}
	return c, nil
}

// FindCommentByID returns ENotFound when there is no such comment in the workspace.
func (s *Store) FindCommentByID(ctx context.Context, ws, id string) (*tandem.Comment, error) {
	return s.reader(ctx).findComment(ctx, ws, id)
}

// FindComments lists comments ordered by creation.
func (s *Store) FindComments(ctx context.Context, ws string, f tandem.CommentFilter) ([]*tandem.Comment, string, error) {
	t := s.reader(ctx)
	var w filter
	w.add("c.workspace_id = %s", ws)
	if f.EntityType != "" {
		w.add("c.entity_type = %s", f.EntityType)
	}
	if f.EntityID != "" {
		w.add("c.entity_id = %s", f.EntityID)
	}
	tail, err := w.page(f.Page, "c.id", false)
	if err != nil {
		return nil, "", err
	}
	return findPage(ctx, t, "comments", "SELECT "+commentColumns+" FROM comments c JOIN users u ON u.id = c.author_id"+w.where()+tail, w.args, f.Page,
		scanComment, func(c *tandem.Comment) string { return c.ID })
}

// CreateComment stores c. The author is the acting user unless c names one;
// either way it must be a member of the workspace.
func (s *Store) CreateComment(ctx context.Context, ws string, c *tandem.Comment) error {
	return s.inTx(ctx, func(t *tx) error {
		c.ID, c.WorkspaceID, c.Version, c.CreatedAt, c.UpdatedAt = tandem.NewID(), ws, 1, t.now, t.now
		if c.AuthorID == "" {
			c.AuthorID = t.actor
		}
		if err := c.Validate(); err != nil {
			return err
		}
		var p tandem.Problems
		if c.AuthorID == "" {
			p.Add("author_id", "is required")
		}
		if err := t.checkMemberRef(ctx, &p, "author_id", ws, c.AuthorID); err != nil {
			return err
		}
		if err := t.checkRef(ctx, &p, "entity_id", c.EntityType, ws, c.EntityID); err != nil {
			return err
		}
		if err := p.Err("comment"); err != nil {
			return err
		}
		_, err := t.exec(ctx, "INSERT INTO comments (id, workspace_id, version, created_at, updated_at, entity_type, entity_id, author_id, body) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
			c.ID, ws, c.Version, tsv(t.now), tsv(t.now), c.EntityType, c.EntityID, c.AuthorID, c.Body)
		if err != nil {
			return fmt.Errorf("create comment: %w", t.dbErr(err, "comment"))
		}
		if err := t.queryRow(ctx, "SELECT name FROM users WHERE id = $1", c.AuthorID).Scan(&c.AuthorName); err != nil {
			return fmt.Errorf("create comment: author: %w", err)
		}
		return t.record(ctx, ws, tandem.EntityComment, c.ID, tandem.ActionCreate, summarize(c.Body), nil, c)
	})
}

// summarize shortens a text for an activity summary.
func summarize(s string) string {
	r := []rune(s)
	if len(r) > 80 {
		return string(r[:79]) + "…"
	}
	return s
}

// UpdateComment applies upd when version matches the stored one.
func (s *Store) UpdateComment(ctx context.Context, ws, id string, upd tandem.CommentUpdate, version int64) (*tandem.Comment, error) {
	var c *tandem.Comment
	err := s.inTx(ctx, func(t *tx) error {
		before, err := t.findComment(ctx, ws, id)
		if err != nil {
			return err
		}
		if err := checkVersion("comment", id, version, before.Version); err != nil {
			return err
		}
		after := *before
		c = &after
		upd.Apply(c)
		if err := c.Validate(); err != nil {
			return err
		}
		c.Version, c.UpdatedAt = before.Version+1, t.now
		res, err := t.exec(ctx, "UPDATE comments SET version = $1, updated_at = $2, body = $3 WHERE id = $4 AND version = $5",
			c.Version, tsv(t.now), c.Body, id, before.Version)
		if err != nil {
			return fmt.Errorf("update comment %s: %w", id, err)
		}
		if err := updated("comment", id, res); err != nil {
			return err
		}
		return t.record(ctx, ws, tandem.EntityComment, id, tandem.ActionUpdate, summarize(c.Body), before, c)
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// DeleteComment deletes a comment.
func (s *Store) DeleteComment(ctx context.Context, ws, id string) error {
	return s.inTx(ctx, func(t *tx) error {
		c, err := t.findComment(ctx, ws, id)
		if err != nil {
			return err
		}
		if _, err := t.exec(ctx, "DELETE FROM comments WHERE id = $1", id); err != nil {
			return fmt.Errorf("delete comment %s: %w", id, err)
		}
		return t.record(ctx, ws, tandem.EntityComment, id, tandem.ActionDelete, summarize(c.Body), c, nil)
	})
}
