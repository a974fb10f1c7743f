package tandem

import "context"

// Baseline is a saved copy of a project's schedule, to measure variance against.
type Baseline struct {
	Meta
	ProjectID string         `json:"project_id"`
	Name      string         `json:"name"`
	Items     []BaselineItem `json:"items"`
}

// BaselineItem is one item's dates in a baseline.
type BaselineItem struct {
	ItemID string `json:"item_id"`
	Start  Date   `json:"start"`
	Finish Date   `json:"finish"`
}

// Validate checks the baseline's fields.
func (b *Baseline) Validate() error {
	var p Problems
	validateRef(&p, "project_id", b.ProjectID)
	if b.ProjectID == "" {
		p.Add("project_id", "is required")
	}
	validateTitle(&p, "name", b.Name, 200)
	for _, it := range b.Items {
		if !IsID(it.ItemID) {
			p.Add("items", "%q is not a valid item id", it.ItemID)
			break
		}
		if !it.Start.IsZero() && !it.Finish.IsZero() && it.Finish.Before(it.Start) {
			p.Add("items", "item %s finishes before it starts", it.ItemID)
			break
		}
	}
	return p.Err("baseline")
}

// BaselineService keeps project baselines. The caller computes the dates
// (from the scheduling engine); the store only keeps them.
type BaselineService interface {
	// CreateBaseline stores b; EInvalid when the project or an item is not in the workspace.
	CreateBaseline(ctx context.Context, ws string, b *Baseline) error
	FindBaselineByID(ctx context.Context, ws, id string) (*Baseline, error)
	// FindBaselines lists a project's baselines, newest first, without their items.
	FindBaselines(ctx context.Context, ws, projectID string) ([]*Baseline, error)
	DeleteBaseline(ctx context.Context, ws, id string) error
}

// ProjectImport is a project read from a file, with what comes with it.
type ProjectImport struct {
	Project      *Project
	Items        []*Item
	Dependencies []*Dependency
	// Calendar, when set, is stored as a new workspace calendar and the
	// project runs on it.
	Calendar *Calendar
	// Baselines of the project's items, stored oldest first (the last is
	// the newest).
	Baselines []*Baseline
}

// ProjectImportService stores a project read from a file.
type ProjectImportService interface {
	// ImportProject stores the project with its items, dependencies,
	// calendar and baselines in one transaction: all or nothing. The caller
	// assigns the IDs of the project, items and dependencies (so that
	// parents, dependencies and baselines can refer to each other) and
	// lists parents before their children. EInvalid for bad fields or
	// references outside the workspace and the import; EConflict when the
	// dependencies close a cycle or link a pair twice.
	ImportProject(ctx context.Context, ws string, imp *ProjectImport) error
}
