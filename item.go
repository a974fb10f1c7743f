package tandem

import (
	"context"
	"math"
	"strings"
)

// Item kinds, from the largest to the smallest.
const (
	KindInitiative = "initiative"
	KindEpic       = "epic"
	KindFeature    = "feature"
	KindTask       = "task"
	KindMilestone  = "milestone"
)

// ItemKinds lists every kind.
var ItemKinds = []string{KindInitiative, KindEpic, KindFeature, KindTask, KindMilestone}

// Item statuses.
const (
	StatusBacklog    = "backlog"
	StatusPlanned    = "planned"
	StatusInProgress = "in_progress"
	StatusDone       = "done"
	StatusCancelled  = "cancelled"
)

// ItemStatuses lists every status in workflow order.
var ItemStatuses = []string{StatusBacklog, StatusPlanned, StatusInProgress, StatusDone, StatusCancelled}

// Item is a unit of work or of product scope: an initiative, epic, feature,
// task or milestone. It may belong to a project, a product, or both.
type Item struct {
	Meta
	Kind          string   `json:"kind"`
	ParentID      string   `json:"parent_id"`
	ProjectID     string   `json:"project_id"`
	ProductID     string   `json:"product_id"`
	Title         string   `json:"title"`
	Description   string   `json:"description"` // Markdown
	Status        string   `json:"status"`
	AssigneeID    string   `json:"assignee_id"`
	EffortHours   float64  `json:"effort_hours"`
	DurationDays  float64  `json:"duration_days"`
	PlannedStart  Date     `json:"planned_start"`
	PlannedFinish Date     `json:"planned_finish"`
	Progress      int      `json:"progress"` // percent complete, 0-100
	GoalIDs       []string `json:"goal_ids"`
}

// Validate checks the item's fields.
func (x *Item) Validate() error {
	var p Problems
	oneOf(&p, "kind", x.Kind, ItemKinds...)
	validateTitle(&p, "title", x.Title, 300)
	if len(x.Description) > 100_000 {
		p.Add("description", "must be at most 100,000 characters")
	}
	validateRef(&p, "parent_id", x.ParentID)
	validateRef(&p, "project_id", x.ProjectID)
	validateRef(&p, "product_id", x.ProductID)
	validateRef(&p, "assignee_id", x.AssigneeID)
	if x.ParentID != "" && x.ParentID == x.ID {
		p.Add("parent_id", "an item cannot be its own parent")
	}
	oneOf(&p, "status", x.Status, ItemStatuses...)
	if x.EffortHours < 0 || math.IsNaN(x.EffortHours) || math.IsInf(x.EffortHours, 0) {
		p.Add("effort_hours", "must be a number of hours, 0 or more")
	}
	if x.DurationDays < 0 || math.IsNaN(x.DurationDays) || math.IsInf(x.DurationDays, 0) {
		p.Add("duration_days", "must be a number of days, 0 or more")
	}
	if x.Kind == KindMilestone && x.DurationDays != 0 {
		p.Add("duration_days", "must be 0 for a milestone")
	}
	validateDates(&p, "planned_start", x.PlannedStart, "planned_finish", x.PlannedFinish)
	if x.Progress < 0 || x.Progress > 100 {
		p.Add("progress", "must be a percentage from 0 to 100")
	}
	validateGoalIDs(&p, x.GoalIDs)
	return p.Err("item")
}

// Defaults fills fields a caller may leave out.
func (x *Item) Defaults() {
	if x.Status == "" {
		x.Status = StatusBacklog
	}
	if x.GoalIDs == nil {
		x.GoalIDs = []string{}
	}
	x.Title = strings.TrimSpace(x.Title)
}

// ItemUpdate holds the fields to change; nil means unchanged.
type ItemUpdate struct {
	Kind          *string   `json:"kind"`
	ParentID      *string   `json:"parent_id"`
	ProjectID     *string   `json:"project_id"`
	ProductID     *string   `json:"product_id"`
	Title         *string   `json:"title"`
	Description   *string   `json:"description"`
	Status        *string   `json:"status"`
	AssigneeID    *string   `json:"assignee_id"`
	EffortHours   *float64  `json:"effort_hours"`
	DurationDays  *float64  `json:"duration_days"`
	PlannedStart  *Date     `json:"planned_start"`
	PlannedFinish *Date     `json:"planned_finish"`
	Progress      *int      `json:"progress"`
	GoalIDs       *[]string `json:"goal_ids"`
}

// Apply copies the set fields onto x.
func (u *ItemUpdate) Apply(x *Item) {
	set(&x.Kind, u.Kind)
	set(&x.ParentID, u.ParentID)
	set(&x.ProjectID, u.ProjectID)
	set(&x.ProductID, u.ProductID)
	set(&x.Title, u.Title)
	set(&x.Description, u.Description)
	set(&x.Status, u.Status)
	set(&x.AssigneeID, u.AssigneeID)
	set(&x.EffortHours, u.EffortHours)
	set(&x.DurationDays, u.DurationDays)
	set(&x.PlannedStart, u.PlannedStart)
	set(&x.PlannedFinish, u.PlannedFinish)
	set(&x.Progress, u.Progress)
	set(&x.GoalIDs, u.GoalIDs)
	x.Defaults()
}

// ItemFilter selects items. Empty fields do not filter.
type ItemFilter struct {
	Kind       string
	Status     string
	ProjectID  string
	ProductID  string
	ParentID   string
	AssigneeID string
	GoalID     string
	Q          string // words in the title
	Page
}

// ItemService manages items. See GoalService for the conventions.
type ItemService interface {
	FindItemByID(ctx context.Context, ws, id string) (*Item, error)
	FindItems(ctx context.Context, ws string, f ItemFilter) ([]*Item, string, error)
	// CreateItem stores x. EInvalid for bad fields or references (parent,
	// project, product, assignee, goals) that are not in the workspace.
	CreateItem(ctx context.Context, ws string, x *Item) error
	// UpdateItem: EConflict when the new parent would close a cycle.
	UpdateItem(ctx context.Context, ws, id string, upd ItemUpdate, version int64) (*Item, error)
	// DeleteItem deletes an item with its dependencies; children move up to its parent.
	DeleteItem(ctx context.Context, ws, id string) error
}
