package tandem

import (
	"context"
	"encoding/json"
	"time"
)

// Entity types, as used in comments, activity and the API's paths.
const (
	EntityGoal        = "goal"
	EntityKeyResult   = "key_result"
	EntityProgram     = "program"
	EntityProject     = "project"
	EntityProduct     = "product"
	EntityItem        = "item"
	EntityDependency  = "dependency"
	EntityComment     = "comment"
	EntityMember      = "member"
	EntityMeasurement = "measurement"
	EntityBaseline    = "baseline"
)

// CommentableEntities are the entity types a comment may be attached to.
var CommentableEntities = []string{EntityGoal, EntityKeyResult, EntityProgram, EntityProject, EntityProduct, EntityItem, EntityDependency}

// Comment is a remark on any entity.
type Comment struct {
	Meta
	EntityType string `json:"entity_type"`
	EntityID   string `json:"entity_id"`
	AuthorID   string `json:"author_id"`
	AuthorName string `json:"author_name"`
	Body       string `json:"body"` // Markdown
}

// Validate checks the comment's fields.
func (c *Comment) Validate() error {
	var p Problems
	oneOf(&p, "entity_type", c.EntityType, CommentableEntities...)
	validateRef(&p, "entity_id", c.EntityID)
	if c.EntityID == "" {
		p.Add("entity_id", "is required")
	}
	validateTitle(&p, "body", c.Body, 20_000)
	return p.Err("comment")
}

// CommentUpdate holds the fields to change.
type CommentUpdate struct {
	Body *string `json:"body"`
}

// Apply copies the set fields onto c.
func (u *CommentUpdate) Apply(c *Comment) { set(&c.Body, u.Body) }

// CommentFilter selects comments.
type CommentFilter struct {
	EntityType string
	EntityID   string
	Page
}

// CommentService manages comments. Creating one on an entity that is not in
// the workspace is EInvalid.
type CommentService interface {
	FindCommentByID(ctx context.Context, ws, id string) (*Comment, error)
	FindComments(ctx context.Context, ws string, f CommentFilter) ([]*Comment, string, error)
	CreateComment(ctx context.Context, ws string, c *Comment) error
	UpdateComment(ctx context.Context, ws, id string, upd CommentUpdate, version int64) (*Comment, error)
	DeleteComment(ctx context.Context, ws, id string) error
}

// Activity actions.
const (
	ActionCreate = "create"
	ActionUpdate = "update"
	ActionDelete = "delete"
)

// Activity records one change: who, when, what, and the entity before and after.
type Activity struct {
	ID          string          `json:"id"`
	WorkspaceID string          `json:"workspace_id"`
	ActorID     string          `json:"actor_id"`
	ActorName   string          `json:"actor_name"`
	At          time.Time       `json:"at"`
	EntityType  string          `json:"entity_type"`
	EntityID    string          `json:"entity_id"`
	Action      string          `json:"action"`
	Summary     string          `json:"summary"` // e.g. the entity's title
	Before      json.RawMessage `json:"before"`
	After       json.RawMessage `json:"after"`
}

// ActivityFilter selects activity, newest first.
type ActivityFilter struct {
	EntityType string
	EntityID   string
	ActorID    string
	Page
}

// ActivityService reads the audit log. Stores write it inside each change's transaction.
type ActivityService interface {
	FindActivity(ctx context.Context, ws string, f ActivityFilter) ([]*Activity, string, error)
}

// Store is every service Tandem keeps its data in.
type Store interface {
	AccountService
	GoalService
	ProgramService
	ProjectService
	ProductService
	ItemService
	DependencyService
	CommentService
	ActivityService
	BaselineService
	ProjectImportService
	InsightService
	CalendarService
	// Ping checks that the database answers.
	Ping(ctx context.Context) error
	Close() error
}
