package client

// Code in this file follows one pattern per resource; the method names and
// signatures are those of the tandem service interfaces.

import (
	"context"

	"github.com/tandem-pm/tandem"
)

var (
	_ tandem.GoalService       = (*Client)(nil)
	_ tandem.ProgramService    = (*Client)(nil)
	_ tandem.ProjectService    = (*Client)(nil)
	_ tandem.ProductService    = (*Client)(nil)
	_ tandem.ItemService       = (*Client)(nil)
	_ tandem.DependencyService = (*Client)(nil)
	_ tandem.CommentService    = (*Client)(nil)
	_ tandem.ActivityService   = (*Client)(nil)
)

// FindGoalByID returns one goal of workspace ws (ID or slug).
func (c *Client) FindGoalByID(ctx context.Context, ws, id string) (*tandem.Goal, error) {
	return get[tandem.Goal](ctx, c, wsPath(ws, "goals", id))
}

// FindGoals returns one page of goals and the cursor of the next page ("" after the last).
func (c *Client) FindGoals(ctx context.Context, ws string, f tandem.GoalFilter) ([]*tandem.Goal, string, error) {
	return list[tandem.Goal](ctx, c, wsPath(ws, "goals"), f)
}

// Goals is FindGoals.
func (c *Client) Goals(ctx context.Context, ws string, f tandem.GoalFilter) ([]*tandem.Goal, string, error) {
	return c.FindGoals(ctx, ws, f)
}

// CreateGoal stores x and fills in what the server assigned (ID, version, times).
func (c *Client) CreateGoal(ctx context.Context, ws string, x *tandem.Goal) error {
	return create(ctx, c, wsPath(ws, "goals"), x)
}

// UpdateGoal sends the set fields of upd as a merge patch; a version other
// than 0 is sent as If-Match, so that the server refuses (tandem.EStale) to
// change a newer version.
func (c *Client) UpdateGoal(ctx context.Context, ws, id string, upd tandem.GoalUpdate, version int64) (*tandem.Goal, error) {
	return patch[tandem.Goal](ctx, c, wsPath(ws, "goals", id), upd, version)
}

// PatchGoal sends a merge patch as it is: a nil value clears a field.
func (c *Client) PatchGoal(ctx context.Context, ws, id string, p map[string]any, version int64) (*tandem.Goal, error) {
	return patch[tandem.Goal](ctx, c, wsPath(ws, "goals", id), p, version)
}

// DeleteGoal deletes one.
func (c *Client) DeleteGoal(ctx context.Context, ws, id string) error {
	return del(ctx, c, wsPath(ws, "goals", id))
}

// FindKeyResultByID returns one key result of workspace ws (ID or slug).
func (c *Client) FindKeyResultByID(ctx context.Context, ws, id string) (*tandem.KeyResult, error) {
	return get[tandem.KeyResult](ctx, c, wsPath(ws, "key_results", id))
}

// FindKeyResults returns one page of key results and the cursor of the next page ("" after the last).
func (c *Client) FindKeyResults(ctx context.Context, ws string, f tandem.KeyResultFilter) ([]*tandem.KeyResult, string, error) {
	return list[tandem.KeyResult](ctx, c, wsPath(ws, "key_results"), f)
}

// KeyResults is FindKeyResults.
func (c *Client) KeyResults(ctx context.Context, ws string, f tandem.KeyResultFilter) ([]*tandem.KeyResult, string, error) {
	return c.FindKeyResults(ctx, ws, f)
}

// CreateKeyResult stores x and fills in what the server assigned (ID, version, times).
func (c *Client) CreateKeyResult(ctx context.Context, ws string, x *tandem.KeyResult) error {
	return create(ctx, c, wsPath(ws, "key_results"), x)
}

// UpdateKeyResult sends the set fields of upd as a merge patch; a version other
// than 0 is sent as If-Match, so that the server refuses (tandem.EStale) to
// change a newer version.
func (c *Client) UpdateKeyResult(ctx context.Context, ws, id string, upd tandem.KeyResultUpdate, version int64) (*tandem.KeyResult, error) {
	return patch[tandem.KeyResult](ctx, c, wsPath(ws, "key_results", id), upd, version)
}

// PatchKeyResult sends a merge patch as it is: a nil value clears a field.
func (c *Client) PatchKeyResult(ctx context.Context, ws, id string, p map[string]any, version int64) (*tandem.KeyResult, error) {
	return patch[tandem.KeyResult](ctx, c, wsPath(ws, "key_results", id), p, version)
}

// DeleteKeyResult deletes one.
func (c *Client) DeleteKeyResult(ctx context.Context, ws, id string) error {
	return del(ctx, c, wsPath(ws, "key_results", id))
}

// FindProgramByID returns one program of workspace ws (ID or slug).
func (c *Client) FindProgramByID(ctx context.Context, ws, id string) (*tandem.Program, error) {
	return get[tandem.Program](ctx, c, wsPath(ws, "programs", id))
}

// FindPrograms returns one page of programs and the cursor of the next page ("" after the last).
func (c *Client) FindPrograms(ctx context.Context, ws string, f tandem.ProgramFilter) ([]*tandem.Program, string, error) {
	return list[tandem.Program](ctx, c, wsPath(ws, "programs"), f)
}

// Programs is FindPrograms.
func (c *Client) Programs(ctx context.Context, ws string, f tandem.ProgramFilter) ([]*tandem.Program, string, error) {
	return c.FindPrograms(ctx, ws, f)
}

// CreateProgram stores x and fills in what the server assigned (ID, version, times).
func (c *Client) CreateProgram(ctx context.Context, ws string, x *tandem.Program) error {
	return create(ctx, c, wsPath(ws, "programs"), x)
}

// UpdateProgram sends the set fields of upd as a merge patch; a version other
// than 0 is sent as If-Match, so that the server refuses (tandem.EStale) to
// change a newer version.
func (c *Client) UpdateProgram(ctx context.Context, ws, id string, upd tandem.ProgramUpdate, version int64) (*tandem.Program, error) {
	return patch[tandem.Program](ctx, c, wsPath(ws, "programs", id), upd, version)
}

// PatchProgram sends a merge patch as it is: a nil value clears a field.
func (c *Client) PatchProgram(ctx context.Context, ws, id string, p map[string]any, version int64) (*tandem.Program, error) {
	return patch[tandem.Program](ctx, c, wsPath(ws, "programs", id), p, version)
}

// DeleteProgram deletes one.
func (c *Client) DeleteProgram(ctx context.Context, ws, id string) error {
	return del(ctx, c, wsPath(ws, "programs", id))
}

// FindProjectByID returns one project of workspace ws (ID or slug).
func (c *Client) FindProjectByID(ctx context.Context, ws, id string) (*tandem.Project, error) {
	return get[tandem.Project](ctx, c, wsPath(ws, "projects", id))
}

// FindProjects returns one page of projects and the cursor of the next page ("" after the last).
func (c *Client) FindProjects(ctx context.Context, ws string, f tandem.ProjectFilter) ([]*tandem.Project, string, error) {
	return list[tandem.Project](ctx, c, wsPath(ws, "projects"), f)
}

// Projects is FindProjects.
func (c *Client) Projects(ctx context.Context, ws string, f tandem.ProjectFilter) ([]*tandem.Project, string, error) {
	return c.FindProjects(ctx, ws, f)
}

// CreateProject stores x and fills in what the server assigned (ID, version, times).
func (c *Client) CreateProject(ctx context.Context, ws string, x *tandem.Project) error {
	return create(ctx, c, wsPath(ws, "projects"), x)
}

// UpdateProject sends the set fields of upd as a merge patch; a version other
// than 0 is sent as If-Match, so that the server refuses (tandem.EStale) to
// change a newer version.
func (c *Client) UpdateProject(ctx context.Context, ws, id string, upd tandem.ProjectUpdate, version int64) (*tandem.Project, error) {
	return patch[tandem.Project](ctx, c, wsPath(ws, "projects", id), upd, version)
}

// PatchProject sends a merge patch as it is: a nil value clears a field.
func (c *Client) PatchProject(ctx context.Context, ws, id string, p map[string]any, version int64) (*tandem.Project, error) {
	return patch[tandem.Project](ctx, c, wsPath(ws, "projects", id), p, version)
}

// DeleteProject deletes one.
func (c *Client) DeleteProject(ctx context.Context, ws, id string) error {
	return del(ctx, c, wsPath(ws, "projects", id))
}

// FindProductByID returns one product of workspace ws (ID or slug).
func (c *Client) FindProductByID(ctx context.Context, ws, id string) (*tandem.Product, error) {
	return get[tandem.Product](ctx, c, wsPath(ws, "products", id))
}

// FindProducts returns one page of products and the cursor of the next page ("" after the last).
func (c *Client) FindProducts(ctx context.Context, ws string, f tandem.ProductFilter) ([]*tandem.Product, string, error) {
	return list[tandem.Product](ctx, c, wsPath(ws, "products"), f)
}

// Products is FindProducts.
func (c *Client) Products(ctx context.Context, ws string, f tandem.ProductFilter) ([]*tandem.Product, string, error) {
	return c.FindProducts(ctx, ws, f)
}

// CreateProduct stores x and fills in what the server assigned (ID, version, times).
func (c *Client) CreateProduct(ctx context.Context, ws string, x *tandem.Product) error {
	return create(ctx, c, wsPath(ws, "products"), x)
}

// UpdateProduct sends the set fields of upd as a merge patch; a version other
// than 0 is sent as If-Match, so that the server refuses (tandem.EStale) to
// change a newer version.
func (c *Client) UpdateProduct(ctx context.Context, ws, id string, upd tandem.ProductUpdate, version int64) (*tandem.Product, error) {
	return patch[tandem.Product](ctx, c, wsPath(ws, "products", id), upd, version)
}

// PatchProduct sends a merge patch as it is: a nil value clears a field.
func (c *Client) PatchProduct(ctx context.Context, ws, id string, p map[string]any, version int64) (*tandem.Product, error) {
	return patch[tandem.Product](ctx, c, wsPath(ws, "products", id), p, version)
}

// DeleteProduct deletes one.
func (c *Client) DeleteProduct(ctx context.Context, ws, id string) error {
	return del(ctx, c, wsPath(ws, "products", id))
}

// FindItemByID returns one item of workspace ws (ID or slug).
func (c *Client) FindItemByID(ctx context.Context, ws, id string) (*tandem.Item, error) {
	return get[tandem.Item](ctx, c, wsPath(ws, "items", id))
}

// FindItems returns one page of items and the cursor of the next page ("" after the last).
func (c *Client) FindItems(ctx context.Context, ws string, f tandem.ItemFilter) ([]*tandem.Item, string, error) {
	return list[tandem.Item](ctx, c, wsPath(ws, "items"), f)
}

// Items is FindItems.
func (c *Client) Items(ctx context.Context, ws string, f tandem.ItemFilter) ([]*tandem.Item, string, error) {
	return c.FindItems(ctx, ws, f)
}

// CreateItem stores x and fills in what the server assigned (ID, version, times).
func (c *Client) CreateItem(ctx context.Context, ws string, x *tandem.Item) error {
	return create(ctx, c, wsPath(ws, "items"), x)
}

// UpdateItem sends the set fields of upd as a merge patch; a version other
// than 0 is sent as If-Match, so that the server refuses (tandem.EStale) to
// change a newer version.
func (c *Client) UpdateItem(ctx context.Context, ws, id string, upd tandem.ItemUpdate, version int64) (*tandem.Item, error) {
	return patch[tandem.Item](ctx, c, wsPath(ws, "items", id), upd, version)
}

// PatchItem sends a merge patch as it is: a nil value clears a field.
func (c *Client) PatchItem(ctx context.Context, ws, id string, p map[string]any, version int64) (*tandem.Item, error) {
	return patch[tandem.Item](ctx, c, wsPath(ws, "items", id), p, version)
}

// DeleteItem deletes one.
func (c *Client) DeleteItem(ctx context.Context, ws, id string) error {
	return del(ctx, c, wsPath(ws, "items", id))
}

// FindDependencyByID returns one dependency of workspace ws (ID or slug).
func (c *Client) FindDependencyByID(ctx context.Context, ws, id string) (*tandem.Dependency, error) {
	return get[tandem.Dependency](ctx, c, wsPath(ws, "dependencies", id))
}

// FindDependencies returns one page of dependencies and the cursor of the next page ("" after the last).
func (c *Client) FindDependencies(ctx context.Context, ws string, f tandem.DependencyFilter) ([]*tandem.Dependency, string, error) {
	return list[tandem.Dependency](ctx, c, wsPath(ws, "dependencies"), f)
}

// Dependencies is FindDependencies.
func (c *Client) Dependencies(ctx context.Context, ws string, f tandem.DependencyFilter) ([]*tandem.Dependency, string, error) {
	return c.FindDependencies(ctx, ws, f)
}

// CreateDependency stores x and fills in what the server assigned (ID, version, times).
func (c *Client) CreateDependency(ctx context.Context, ws string, x *tandem.Dependency) error {
	return create(ctx, c, wsPath(ws, "dependencies"), x)
}

// UpdateDependency sends the set fields of upd as a merge patch; a version other
// than 0 is sent as If-Match, so that the server refuses (tandem.EStale) to
// change a newer version.
func (c *Client) UpdateDependency(ctx context.Context, ws, id string, upd tandem.DependencyUpdate, version int64) (*tandem.Dependency, error) {
	return patch[tandem.Dependency](ctx, c, wsPath(ws, "dependencies", id), upd, version)
}

// PatchDependency sends a merge patch as it is: a nil value clears a field.
func (c *Client) PatchDependency(ctx context.Context, ws, id string, p map[string]any, version int64) (*tandem.Dependency, error) {
	return patch[tandem.Dependency](ctx, c, wsPath(ws, "dependencies", id), p, version)
}

// DeleteDependency deletes one.
func (c *Client) DeleteDependency(ctx context.Context, ws, id string) error {
	return del(ctx, c, wsPath(ws, "dependencies", id))
}

// FindCommentByID returns one comment of workspace ws (ID or slug).
func (c *Client) FindCommentByID(ctx context.Context, ws, id string) (*tandem.Comment, error) {
	return get[tandem.Comment](ctx, c, wsPath(ws, "comments", id))
}

// FindComments returns one page of comments and the cursor of the next page ("" after the last).
func (c *Client) FindComments(ctx context.Context, ws string, f tandem.CommentFilter) ([]*tandem.Comment, string, error) {
	return list[tandem.Comment](ctx, c, wsPath(ws, "comments"), f)
}

// Comments is FindComments.
func (c *Client) Comments(ctx context.Context, ws string, f tandem.CommentFilter) ([]*tandem.Comment, string, error) {
	return c.FindComments(ctx, ws, f)
}

// CreateComment stores x and fills in what the server assigned (ID, version, times).
func (c *Client) CreateComment(ctx context.Context, ws string, x *tandem.Comment) error {
	return create(ctx, c, wsPath(ws, "comments"), x)
}

// UpdateComment sends the set fields of upd as a merge patch; a version other
// than 0 is sent as If-Match, so that the server refuses (tandem.EStale) to
// change a newer version.
func (c *Client) UpdateComment(ctx context.Context, ws, id string, upd tandem.CommentUpdate, version int64) (*tandem.Comment, error) {
	return patch[tandem.Comment](ctx, c, wsPath(ws, "comments", id), upd, version)
}

// PatchComment sends a merge patch as it is: a nil value clears a field.
func (c *Client) PatchComment(ctx context.Context, ws, id string, p map[string]any, version int64) (*tandem.Comment, error) {
	return patch[tandem.Comment](ctx, c, wsPath(ws, "comments", id), p, version)
}

// DeleteComment deletes one.
func (c *Client) DeleteComment(ctx context.Context, ws, id string) error {
	return del(ctx, c, wsPath(ws, "comments", id))
}
