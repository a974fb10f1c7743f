package sqlstore

import (
	"context"
	"fmt"
	"strings"

	"github.com/tandem-pm/tandem"
)

const productColumns = "id, workspace_id, version, created_at, updated_at, name, vision, strategy, owner_id"

func scanProduct(row interface{ Scan(...any) error }, x *tandem.Product) error {
	return row.Scan(&x.ID, &x.WorkspaceID, &x.Version, ts{&x.CreatedAt}, ts{&x.UpdatedAt}, &x.Name, &x.Vision, &x.Strategy, ns{&x.OwnerID})
}

func (t *tx) findProduct(ctx context.Context, ws, id string) (*tandem.Product, error) {
	x, err := findByID(ctx, t, "product", "products", productColumns, scanProduct, ws, id)
	if err != nil {
		return nil, err
	}
	links, err := t.goalLinks(ctx, tandem.EntityProduct, []string{id})
	if err != nil {
		return nil, err
	}
	x.GoalIDs = orEmpty(links[id])
	return x, nil
}

// FindProductByID returns ENotFound when there is no such product in the workspace.
func (s *Store) FindProductByID(ctx context.Context, ws, id string) (*tandem.Product, error) {
	return s.reader(ctx).findProduct(ctx, ws, id)
}

// FindProducts lists products ordered by creation.
func (s *Store) FindProducts(ctx context.Context, ws string, f tandem.ProductFilter) ([]*tandem.Product, string, error) {
	var list []*tandem.Product
	var next string
	err := s.inReadTx(ctx, func(t *tx) error {
		var w filter
		w.add("workspace_id = %s", ws)
		if f.GoalID != "" {
			w.add("id IN (SELECT entity_id FROM goal_links WHERE goal_id = %s AND entity_type = %s)", f.GoalID, tandem.EntityProduct)
		}
		if strings.TrimSpace(f.Q) != "" {
			w.add(`lower(name) LIKE %s ESCAPE '\'`, likeQ(f.Q))
		}
		tail, err := w.page(f.Page, "id", false)
		if err != nil {
			return err
		}
		list, next, err = findPage(ctx, t, "products", "SELECT "+productColumns+" FROM products"+w.where()+tail, w.args, f.Page, scanProduct,
			func(x *tandem.Product) string { return x.ID })
		if err != nil {
			return err
		}
		return attachGoalIDs(ctx, t, tandem.EntityProduct, list, func(x *tandem.Product) string { return x.ID },
			func(x *tandem.Product) *[]string { return &x.GoalIDs })
	})
	if err != nil {
		return nil, "", err
	}
	if list == nil {
		list = []*tandem.Product{}
	}
	return list, next, nil
}

func (t *tx) checkProduct(ctx context.Context, ws string, x *tandem.Product) error {
	if err := x.Validate(); err != nil {
		return err
	}
	var p tandem.Problems
	if err := t.checkMemberRef(ctx, &p, "owner_id", ws, x.OwnerID); err != nil {
		return err
	}
	if err := t.checkGoalRefs(ctx, &p, ws, x.GoalIDs); err != nil {
		return err
	}
	return p.Err("product")
}

// CreateProduct stores x.
func (s *Store) CreateProduct(ctx context.Context, ws string, x *tandem.Product) error {
	x.Defaults()
	x.Name = strings.TrimSpace(x.Name)
	return s.inTx(ctx, func(t *tx) error {
		x.ID, x.WorkspaceID, x.Version, x.CreatedAt, x.UpdatedAt = tandem.NewID(), ws, 1, t.now, t.now
		if err := t.checkProduct(ctx, ws, x); err != nil {
			return err
		}
		_, err := t.exec(ctx, "INSERT INTO products ("+productColumns+") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
			x.ID, ws, x.Version, tsv(t.now), tsv(t.now), x.Name, x.Vision, x.Strategy, nullStr(x.OwnerID))
		if err != nil {
			return fmt.Errorf("create product: %w", t.dbErr(err, "product"))
		}
		if err := t.setGoalLinks(ctx, ws, tandem.EntityProduct, x.ID, x.GoalIDs); err != nil {
			return err
		}
		return t.record(ctx, ws, tandem.EntityProduct, x.ID, tandem.ActionCreate, x.Name, nil, x)
	})
}

// UpdateProduct applies upd when version matches the stored one.
func (s *Store) UpdateProduct(ctx context.Context, ws, id string, upd tandem.ProductUpdate, version int64) (*tandem.Product, error) {
	var x *tandem.Product
	err := s.inTx(ctx, func(t *tx) error {
		before, err := t.findProduct(ctx, ws, id)
		if err != nil {
			return err
		}
		if err := checkVersion("product", id, version, before.Version); err != nil {
			return err
		}
		after := *before
		x = &after
		upd.Apply(x)
		x.Name = strings.TrimSpace(x.Name)
		if err := t.checkProduct(ctx, ws, x); err != nil {
			return err
		}
		x.Version, x.UpdatedAt = before.Version+1, t.now
		res, err := t.exec(ctx, `UPDATE products SET version = $1, updated_at = $2, name = $3, vision = $4, strategy = $5, owner_id = $6
			WHERE id = $7 AND version = $8`,
			x.Version, tsv(t.now), x.Name, x.Vision, x.Strategy, nullStr(x.OwnerID), id, before.Version)
		if err != nil {
			return fmt.Errorf("update product %s: %w", id, t.dbErr(err, "product"))
		}
		if err := updated("product", id, res); err != nil {
			return err
		}
		if upd.GoalIDs != nil {
			if err := t.setGoalLinks(ctx, ws, tandem.EntityProduct, id, x.GoalIDs); err != nil {
				return err
			}
		}
		return t.record(ctx, ws, tandem.EntityProduct, id, tandem.ActionUpdate, x.Name, before, x)
	})
	if err != nil {
		return nil, err
	}
	return x, nil
}

// DeleteProduct deletes a product; its items stay, outside any product.
func (s *Store) DeleteProduct(ctx context.Context, ws, id string) error {
	return s.inTx(ctx, func(t *tx) error {
		x, err := t.findProduct(ctx, ws, id)
		if err != nil {
			return err
		}
		items, err := t.sideBefore(ctx, tandem.EntityItem, ws, "SELECT id FROM items WHERE product_id = $1", id)
		if err != nil {
			return err
		}
		if _, err := t.exec(ctx, "UPDATE items SET product_id = NULL, "+bumpSet+"$1 WHERE product_id = $2", tsv(t.now), id); err != nil {
			return fmt.Errorf("delete product %s: release items: %w", id, err)
		}
		if err := t.deleteAttached(ctx, tandem.EntityProduct, id); err != nil {
			return err
		}
		if _, err := t.exec(ctx, "DELETE FROM products WHERE id = $1", id); err != nil {
			return fmt.Errorf("delete product %s: %w", id, err)
		}
		if err := t.recordSide(ctx, ws, items); err != nil {
			return err
		}
		return t.record(ctx, ws, tandem.EntityProduct, id, tandem.ActionDelete, x.Name, x, nil)
	})
}
