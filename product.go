package tandem

import "context"

// Product is something a product manager owns: vision, strategy, backlog.
type Product struct {
	Meta
	Name     string   `json:"name"`
	Vision   string   `json:"vision"`
	Strategy string   `json:"strategy"`
	OwnerID  string   `json:"owner_id"`
	GoalIDs  []string `json:"goal_ids"`
}

// Validate checks the product's fields.
func (x *Product) Validate() error {
	var p Problems
	validateTitle(&p, "name", x.Name, 200)
	validateRef(&p, "owner_id", x.OwnerID)
	validateGoalIDs(&p, x.GoalIDs)
	return p.Err("product")
}

// Defaults fills fields a caller may leave out.
func (x *Product) Defaults() {
	if x.GoalIDs == nil {
		x.GoalIDs = []string{}
	}
}

// ProductUpdate holds the fields to change; nil means unchanged.
type ProductUpdate struct {
	Name     *string   `json:"name"`
	Vision   *string   `json:"vision"`
	Strategy *string   `json:"strategy"`
	OwnerID  *string   `json:"owner_id"`
	GoalIDs  *[]string `json:"goal_ids"`
}

// Apply copies the set fields onto x.
func (u *ProductUpdate) Apply(x *Product) {
	set(&x.Name, u.Name)
	set(&x.Vision, u.Vision)
	set(&x.Strategy, u.Strategy)
	set(&x.OwnerID, u.OwnerID)
	set(&x.GoalIDs, u.GoalIDs)
	x.Defaults()
}

// ProductFilter selects products.
type ProductFilter struct {
	GoalID string
	Q      string
	Page
}

// ProductService manages products. See GoalService for the conventions.
type ProductService interface {
	FindProductByID(ctx context.Context, ws, id string) (*Product, error)
	FindProducts(ctx context.Context, ws string, f ProductFilter) ([]*Product, string, error)
	CreateProduct(ctx context.Context, ws string, x *Product) error
	UpdateProduct(ctx context.Context, ws, id string, upd ProductUpdate, version int64) (*Product, error)
	// DeleteProduct deletes a product; its items stay, outside any product.
	DeleteProduct(ctx context.Context, ws, id string) error
}
