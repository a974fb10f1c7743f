package tandem

import "context"

// Program statuses.
const (
	ProgramProposed = "proposed"
	ProgramActive   = "active"
	ProgramOnHold   = "on_hold"
	ProgramClosed   = "closed"
)

// Health of a program or project, with a reason when not green.
const (
	HealthGreen = "green"
	HealthAmber = "amber"
	HealthRed   = "red"
)

// Program is a set of related projects that together reach strategic goals.
type Program struct {
	Meta
	Name         string   `json:"name"`
	Objective    string   `json:"objective"`
	Scope        string   `json:"scope"`
	Sponsor      string   `json:"sponsor"` // a person or body, not necessarily a user
	ManagerID    string   `json:"manager_id"`
	Status       string   `json:"status"`
	Health       string   `json:"health"`
	HealthReason string   `json:"health_reason"`
	StartDate    Date     `json:"start_date"`
	EndDate      Date     `json:"end_date"`
	Budget       Money    `json:"budget"`
	GoalIDs      []string `json:"goal_ids"`
}

// Validate checks the program's fields.
func (x *Program) Validate() error {
	var p Problems
	validateTitle(&p, "name", x.Name, 200)
	validateRef(&p, "manager_id", x.ManagerID)
	oneOf(&p, "status", x.Status, ProgramProposed, ProgramActive, ProgramOnHold, ProgramClosed)
	oneOf(&p, "health", x.Health, HealthGreen, HealthAmber, HealthRed)
	if x.Health != HealthGreen && x.Health != "" && x.HealthReason == "" {
		p.Add("health_reason", "is required when health is amber or red")
	}
	validateDates(&p, "start_date", x.StartDate, "end_date", x.EndDate)
	validateMoney(&p, "budget", x.Budget)
	validateGoalIDs(&p, x.GoalIDs)
	return p.Err("program")
}

// Defaults fills fields a caller may leave out.
func (x *Program) Defaults() {
	if x.Status == "" {
		x.Status = ProgramProposed
	}
	if x.Health == "" {
		x.Health = HealthGreen
	}
	if x.GoalIDs == nil {
		x.GoalIDs = []string{}
	}
}

// ProgramUpdate holds the fields to change; nil means unchanged.
type ProgramUpdate struct {
	Name         *string   `json:"name"`
	Objective    *string   `json:"objective"`
	Scope        *string   `json:"scope"`
	Sponsor      *string   `json:"sponsor"`
	ManagerID    *string   `json:"manager_id"`
	Status       *string   `json:"status"`
	Health       *string   `json:"health"`
	HealthReason *string   `json:"health_reason"`
	StartDate    *Date     `json:"start_date"`
	EndDate      *Date     `json:"end_date"`
	Budget       *Money    `json:"budget"`
	GoalIDs      *[]string `json:"goal_ids"`
}

// Apply copies the set fields onto x.
func (u *ProgramUpdate) Apply(x *Program) {
	set(&x.Name, u.Name)
	set(&x.Objective, u.Objective)
	set(&x.Scope, u.Scope)
	set(&x.Sponsor, u.Sponsor)
	set(&x.ManagerID, u.ManagerID)
	set(&x.Status, u.Status)
	set(&x.Health, u.Health)
	set(&x.HealthReason, u.HealthReason)
	set(&x.StartDate, u.StartDate)
	set(&x.EndDate, u.EndDate)
	set(&x.Budget, u.Budget)
	set(&x.GoalIDs, u.GoalIDs)
	if x.GoalIDs == nil {
		x.GoalIDs = []string{}
	}
}

// ProgramFilter selects programs.
type ProgramFilter struct {
	Status string
	Health string
	GoalID string // aligned to this goal
	Q      string
	Page
}

// ProgramService manages programs. See GoalService for the conventions.
type ProgramService interface {
	FindProgramByID(ctx context.Context, ws, id string) (*Program, error)
	FindPrograms(ctx context.Context, ws string, f ProgramFilter) ([]*Program, string, error)
	CreateProgram(ctx context.Context, ws string, x *Program) error
	UpdateProgram(ctx context.Context, ws, id string, upd ProgramUpdate, version int64) (*Program, error)
	// DeleteProgram deletes a program; its projects stay, outside any program.
	DeleteProgram(ctx context.Context, ws, id string) error
}

func validateGoalIDs(p *Problems, ids []string) {
	seen := map[string]bool{}
	for _, id := range ids {
		if !IsID(id) {
			p.Add("goal_ids", "%q is not a valid id", id)
			return
		}
		if seen[id] {
			p.Add("goal_ids", "lists %s twice", id)
			return
		}
		seen[id] = true
	}
}
