package tandem

import (
	"context"
	"math"
)

// Goal is a strategic objective; goals form a tree through ParentID.
type Goal struct {
	Meta
	ParentID    string `json:"parent_id"`
	Title       string `json:"title"`
	Description string `json:"description"`
	OwnerID     string `json:"owner_id"`
	StartDate   Date   `json:"start_date"`
	DueDate     Date   `json:"due_date"`
	// Progress in [0,1], derived from the goal's key results and child goals.
	Progress float64 `json:"progress"`
}

// Validate checks the goal's own fields.
func (g *Goal) Validate() error {
	var p Problems
	validateTitle(&p, "title", g.Title, 300)
	validateRef(&p, "parent_id", g.ParentID)
	validateRef(&p, "owner_id", g.OwnerID)
	validateDates(&p, "start_date", g.StartDate, "due_date", g.DueDate)
	if g.ParentID != "" && g.ParentID == g.ID {
		p.Add("parent_id", "a goal cannot be its own parent")
	}
	return p.Err("goal")
}

// GoalUpdate holds the fields to change; nil means unchanged.
type GoalUpdate struct {
	ParentID    *string `json:"parent_id"`
	Title       *string `json:"title"`
	Description *string `json:"description"`
	OwnerID     *string `json:"owner_id"`
	StartDate   *Date   `json:"start_date"`
	DueDate     *Date   `json:"due_date"`
}

// Apply copies the set fields onto g.
func (u *GoalUpdate) Apply(g *Goal) {
	set(&g.ParentID, u.ParentID)
	set(&g.Title, u.Title)
	set(&g.Description, u.Description)
	set(&g.OwnerID, u.OwnerID)
	set(&g.StartDate, u.StartDate)
	set(&g.DueDate, u.DueDate)
}

// GoalFilter selects goals.
type GoalFilter struct {
	ParentID *string // "" = top-level goals
	Q        string  // words in the title
	Page
}

// Direction says whether a key result improves as its metric rises or falls.
type Direction string

const (
	Increase Direction = "increase"
	Decrease Direction = "decrease"
)

// KeyResult is a measurable outcome of a goal.
type KeyResult struct {
	Meta
	GoalID    string    `json:"goal_id"`
	Metric    string    `json:"metric"`
	Unit      string    `json:"unit"`
	Baseline  float64   `json:"baseline"`
	Target    float64   `json:"target"`
	Current   float64   `json:"current"` // the latest measurement, or the baseline
	Direction Direction `json:"direction"`
	DueDate   Date      `json:"due_date"`
	Progress  float64   `json:"progress"` // derived, in [0,1]
}

// Validate checks the key result's fields.
func (k *KeyResult) Validate() error {
	var p Problems
	validateRef(&p, "goal_id", k.GoalID)
	if k.GoalID == "" {
		p.Add("goal_id", "is required")
	}
	validateTitle(&p, "metric", k.Metric, 300)
	if len(k.Unit) > 40 {
		p.Add("unit", "must be at most 40 characters")
	}
	oneOf(&p, "direction", string(k.Direction), string(Increase), string(Decrease))
	switch {
	case k.Direction == Increase && k.Target <= k.Baseline:
		p.Add("target", "must be above the baseline for an increasing metric")
	case k.Direction == Decrease && k.Target >= k.Baseline:
		p.Add("target", "must be below the baseline for a decreasing metric")
	}
	for _, v := range []float64{k.Baseline, k.Target, k.Current} {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			p.Add("value", "must be a finite number")
			break
		}
	}
	return p.Err("key result")
}

// ComputeProgress sets Progress from baseline, target and current value.
func (k *KeyResult) ComputeProgress() {
	span := k.Target - k.Baseline
	if span == 0 {
		k.Progress = 0
		return
	}
	k.Progress = math.Max(0, math.Min(1, (k.Current-k.Baseline)/span))
}

// KeyResultUpdate holds the fields to change; nil means unchanged.
type KeyResultUpdate struct {
	Metric    *string    `json:"metric"`
	Unit      *string    `json:"unit"`
	Baseline  *float64   `json:"baseline"`
	Target    *float64   `json:"target"`
	Direction *Direction `json:"direction"`
	DueDate   *Date      `json:"due_date"`
	// Current, when set to a value other than the current one, is recorded
	// as today's measurement in the same transaction: the current value is
	// always the latest-dated measurement.
	Current *float64 `json:"current"`
}

// Apply copies the set fields onto k.
func (u *KeyResultUpdate) Apply(k *KeyResult) {
	set(&k.Current, u.Current)
	set(&k.Metric, u.Metric)
	set(&k.Unit, u.Unit)
	set(&k.Baseline, u.Baseline)
	set(&k.Target, u.Target)
	set(&k.Direction, u.Direction)
	set(&k.DueDate, u.DueDate)
}

// KeyResultFilter selects key results.
type KeyResultFilter struct {
	GoalID string
	Page
}

// Measurement is one dated value of a key result's metric.
type Measurement struct {
	ID          string  `json:"id"`
	KeyResultID string  `json:"key_result_id"`
	Date        Date    `json:"date"`
	Value       float64 `json:"value"`
	Note        string  `json:"note"`
}

// Validate checks the measurement's fields.
func (m *Measurement) Validate() error {
	var p Problems
	if m.Date.IsZero() {
		p.Add("date", "is required")
	}
	if math.IsNaN(m.Value) || math.IsInf(m.Value, 0) {
		p.Add("value", "must be a finite number")
	}
	if len(m.Note) > 2000 {
		p.Add("note", "must be at most 2000 characters")
	}
	return p.Err("measurement")
}

// RollUpGoalProgress sets each goal's Progress to the mean of its key
// results' progress and its child goals' progress (goals with neither count
// as 0). goals must hold whole subtrees; krs are the goals' key results.
func RollUpGoalProgress(goals []*Goal, krs []*KeyResult) {
	children := map[string][]*Goal{}
	byID := map[string]*Goal{}
	for _, g := range goals {
		byID[g.ID] = g
	}
	for _, g := range goals {
		if _, ok := byID[g.ParentID]; ok {
			children[g.ParentID] = append(children[g.ParentID], g)
		}
	}
	krsOf := map[string][]*KeyResult{}
	for _, k := range krs {
		krsOf[k.GoalID] = append(krsOf[k.GoalID], k)
	}
	done := map[string]bool{}
	var visit func(g *Goal, depth int) float64
	visit = func(g *Goal, depth int) float64 {
		if done[g.ID] || depth > len(goals) {
			return g.Progress
		}
		sum, n := 0.0, 0
		for _, k := range krsOf[g.ID] {
			k.ComputeProgress()
			sum += k.Progress
			n++
		}
		for _, c := range children[g.ID] {
			sum += visit(c, depth+1)
			n++
		}
		if n > 0 {
			g.Progress = sum / float64(n)
		} else {
			g.Progress = 0
		}
		done[g.ID] = true
		return g.Progress
	}
	for _, g := range goals {
		visit(g, 0)
	}
}

// GoalService manages goals, key results and measurements.
// Every method takes the workspace ID; IDs from another workspace are ENotFound.
type GoalService interface {
	// FindGoalByID returns the goal with its derived progress; ENotFound otherwise.
	FindGoalByID(ctx context.Context, ws, id string) (*Goal, error)
	// FindGoals lists goals ordered by creation; the cursor continues a list.
	FindGoals(ctx context.Context, ws string, f GoalFilter) ([]*Goal, string, error)
	// CreateGoal stores g, assigning ID, version and times. EInvalid for bad
	// fields or a parent in another workspace.
	CreateGoal(ctx context.Context, ws string, g *Goal) error
	// UpdateGoal applies upd when version matches the stored one (0 skips
	// the check): EStale otherwise; EConflict when the parent would close a cycle.
	UpdateGoal(ctx context.Context, ws, id string, upd GoalUpdate, version int64) (*Goal, error)
	// DeleteGoal deletes a goal and its key results; child goals move up to its parent.
	DeleteGoal(ctx context.Context, ws, id string) error

	FindKeyResultByID(ctx context.Context, ws, id string) (*KeyResult, error)
	FindKeyResults(ctx context.Context, ws string, f KeyResultFilter) ([]*KeyResult, string, error)
	CreateKeyResult(ctx context.Context, ws string, k *KeyResult) error
	UpdateKeyResult(ctx context.Context, ws, id string, upd KeyResultUpdate, version int64) (*KeyResult, error)
	DeleteKeyResult(ctx context.Context, ws, id string) error

	// AddMeasurement records a value; the key result's current value becomes
	// the value of its latest-dated measurement.
	AddMeasurement(ctx context.Context, ws string, m *Measurement) error
	// FindMeasurements lists a key result's measurements by date.
	FindMeasurements(ctx context.Context, ws, keyResultID string) ([]*Measurement, error)
}

func set[T any](dst *T, src *T) {
	if src != nil {
		*dst = *src
	}
}
