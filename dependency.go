package tandem

import (
	"context"
	"strings"
)

// Dependency types: which end of the predecessor constrains which end of the successor.
const (
	FinishToStart  = "FS"
	StartToStart   = "SS"
	FinishToFinish = "FF"
	StartToFinish  = "SF"
)

// Dependency links two items, possibly in different projects.
type Dependency struct {
	Meta
	PredecessorID string  `json:"predecessor_id"`
	SuccessorID   string  `json:"successor_id"`
	Type          string  `json:"type"`
	LagDays       float64 `json:"lag_days"` // negative = lead
}

// Validate checks the dependency's fields.
func (d *Dependency) Validate() error {
	var p Problems
	validateRef(&p, "predecessor_id", d.PredecessorID)
	validateRef(&p, "successor_id", d.SuccessorID)
	if d.PredecessorID == "" {
		p.Add("predecessor_id", "is required")
	}
	if d.SuccessorID == "" {
		p.Add("successor_id", "is required")
	}
	if d.PredecessorID != "" && d.PredecessorID == d.SuccessorID {
		p.Add("successor_id", "an item cannot depend on itself")
	}
	oneOf(&p, "type", d.Type, FinishToStart, StartToStart, FinishToFinish, StartToFinish)
	if d.LagDays < -3650 || d.LagDays > 3650 {
		p.Add("lag_days", "must be within ten years")
	}
	return p.Err("dependency")
}

// Defaults fills fields a caller may leave out.
func (d *Dependency) Defaults() {
	if d.Type == "" {
		d.Type = FinishToStart
	}
}

// DependencyUpdate holds the fields to change; the two ends are fixed.
type DependencyUpdate struct {
	Type    *string  `json:"type"`
	LagDays *float64 `json:"lag_days"`
}

// Apply copies the set fields onto d.
func (u *DependencyUpdate) Apply(d *Dependency) {
	set(&d.Type, u.Type)
	set(&d.LagDays, u.LagDays)
}

// DependencyFilter selects dependencies.
type DependencyFilter struct {
	ItemID        string // either end
	PredecessorID string
	SuccessorID   string
	ProjectID     string // either end in this project
	Page
}

// CycleError returns the EConflict error for a dependency that would close
// the cycle path (item titles or IDs, first = last omitted).
func CycleError(path []string) *Error {
	return &Error{Code: EConflict,
		Message: "This dependency would close a cycle: " + strings.Join(append(path, path[0]), " → ") + ".",
		Fields:  []FieldError{{Field: "successor_id", Message: "closes the cycle " + strings.Join(append(path, path[0]), " → ")}}}
}

// DependencyService manages dependencies. See GoalService for the conventions.
type DependencyService interface {
	FindDependencyByID(ctx context.Context, ws, id string) (*Dependency, error)
	FindDependencies(ctx context.Context, ws string, f DependencyFilter) ([]*Dependency, string, error)
	// CreateDependency stores d. EInvalid when an end is not an item of the
	// workspace; EConflict when the pair is already linked or when d would
	// close a cycle (the message names every item of the cycle).
	CreateDependency(ctx context.Context, ws string, d *Dependency) error
	UpdateDependency(ctx context.Context, ws, id string, upd DependencyUpdate, version int64) (*Dependency, error)
	DeleteDependency(ctx context.Context, ws, id string) error
}
