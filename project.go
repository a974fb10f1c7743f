package tandem

import "context"

// Project statuses.
const (
	ProjectProposed  = "proposed"
	ProjectActive    = "active"
	ProjectOnHold    = "on_hold"
	ProjectCompleted = "completed"
	ProjectCancelled = "cancelled"
)

// Project is a scheduled body of work with a team and a budget, usually part of a program.
type Project struct {
	Meta
	ProgramID    string `json:"program_id"`
	Name         string `json:"name"`
	Description  string `json:"description"`
	ManagerID    string `json:"manager_id"`
	Status       string `json:"status"`
	Health       string `json:"health"`
	HealthReason string `json:"health_reason"`
	StartDate    Date   `json:"start_date"`
	EndDate      Date   `json:"end_date"`
	Budget       Money  `json:"budget"`
	// CalendarID is the working calendar its items are scheduled on; ""
	// = the workspace's default calendar.
	CalendarID string `json:"calendar_id"`
}

// Validate checks the project's fields.
func (x *Project) Validate() error {
	var p Problems
	validateTitle(&p, "name", x.Name, 200)
	validateRef(&p, "program_id", x.ProgramID)
	validateRef(&p, "manager_id", x.ManagerID)
	validateRef(&p, "calendar_id", x.CalendarID)
	oneOf(&p, "status", x.Status, ProjectProposed, ProjectActive, ProjectOnHold, ProjectCompleted, ProjectCancelled)
	oneOf(&p, "health", x.Health, HealthGreen, HealthAmber, HealthRed)
	validateDates(&p, "start_date", x.StartDate, "end_date", x.EndDate)
	validateMoney(&p, "budget", x.Budget)
	return p.Err("project")
}

// Defaults fills fields a caller may leave out.
func (x *Project) Defaults() {
	if x.Status == "" {
		x.Status = ProjectProposed
	}
	if x.Health == "" {
		x.Health = HealthGreen
	}
}

// ProjectUpdate holds the fields to change; nil means unchanged.
type ProjectUpdate struct {
	ProgramID    *string `json:"program_id"`
	Name         *string `json:"name"`
	Description  *string `json:"description"`
	ManagerID    *string `json:"manager_id"`
	Status       *string `json:"status"`
	Health       *string `json:"health"`
	HealthReason *string `json:"health_reason"`
	StartDate    *Date   `json:"start_date"`
	EndDate      *Date   `json:"end_date"`
	Budget       *Money  `json:"budget"`
	CalendarID   *string `json:"calendar_id"`
}

// Apply copies the set fields onto x.
func (u *ProjectUpdate) Apply(x *Project) {
	set(&x.ProgramID, u.ProgramID)
	set(&x.Name, u.Name)
	set(&x.Description, u.Description)
	set(&x.ManagerID, u.ManagerID)
	set(&x.Status, u.Status)
	set(&x.Health, u.Health)
	set(&x.HealthReason, u.HealthReason)
	set(&x.StartDate, u.StartDate)
	set(&x.EndDate, u.EndDate)
	set(&x.Budget, u.Budget)
	set(&x.CalendarID, u.CalendarID)
}

// ProjectFilter selects projects.
type ProjectFilter struct {
	ProgramID string
	Status    string
	Q         string
	Page
}

// ProjectService manages projects. See GoalService for the conventions.
type ProjectService interface {
	FindProjectByID(ctx context.Context, ws, id string) (*Project, error)
	FindProjects(ctx context.Context, ws string, f ProjectFilter) ([]*Project, string, error)
	CreateProject(ctx context.Context, ws string, x *Project) error
	UpdateProject(ctx context.Context, ws, id string, upd ProjectUpdate, version int64) (*Project, error)
	// DeleteProject deletes a project; its items stay, outside any project.
	DeleteProject(ctx context.Context, ws, id string) error
}
