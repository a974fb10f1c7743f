package tandem

import (
	"context"
	"net/mail"
	"regexp"
	"strings"
	"time"
)

// Workspace is a tenant: every other entity belongs to exactly one.
type Workspace struct {
	ID        string    `json:"id"`
	Slug      string    `json:"slug"`
	Name      string    `json:"name"`
	CreatedAt time.Time `json:"created_at"`
}

var slugPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,62}$`)

// Validate checks the workspace's fields.
func (w *Workspace) Validate() error {
	var p Problems
	if !slugPattern.MatchString(w.Slug) {
		p.Add("slug", "must be 1-63 lowercase letters, digits or dashes, starting with a letter or digit")
	}
	validateTitle(&p, "name", w.Name, 200)
	return p.Err("workspace")
}

// Role is what a member may do in a workspace.
type Role string

const (
	RoleOwner       Role = "owner"
	RoleAdmin       Role = "admin"
	RoleManager     Role = "manager"
	RoleContributor Role = "contributor"
	RoleViewer      Role = "viewer"
)

// Roles lists every role, most powerful first.
var Roles = []Role{RoleOwner, RoleAdmin, RoleManager, RoleContributor, RoleViewer}

func (r Role) rank() int {
	for i, x := range Roles {
		if x == r {
			return len(Roles) - i
		}
	}
	return 0
}

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return r.rank() > 0 }

// AtLeast reports whether r grants everything min grants.
func (r Role) AtLeast(min Role) bool { return r.rank() >= min.rank() && r.Valid() }

// Permission is an action on a workspace that roles grant.
type Permission int

const (
	PermRead          Permission = iota // see everything in the workspace
	PermEditItems                       // create and edit items and dependencies; comment
	PermEditAll                         // edit goals, programs, projects, products
	PermManageMembers                   // add, remove and change members
)

// Can reports whether role r grants perm.
func (r Role) Can(perm Permission) bool {
	switch perm {
	case PermRead:
		return r.AtLeast(RoleViewer)
	case PermEditItems:
		return r.AtLeast(RoleContributor)
	case PermEditAll:
		return r.AtLeast(RoleManager)
	case PermManageMembers:
		return r.AtLeast(RoleAdmin)
	}
	return false
}

// User is a person with a local account.
type User struct {
	ID        string    `json:"id"`
	Email     string    `json:"email"`
	Name      string    `json:"name"`
	CreatedAt time.Time `json:"created_at"`
}

// Validate checks the user's fields.
func (u *User) Validate() error {
	var p Problems
	if a, err := mail.ParseAddress(u.Email); err != nil || a.Address != u.Email {
		p.Add("email", "is not a valid email address")
	}
	validateTitle(&p, "name", u.Name, 200)
	return p.Err("user")
}

// NormalizeEmail returns the canonical form of an email address.
func NormalizeEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// Member is a user's role in a workspace.
type Member struct {
	WorkspaceID string    `json:"workspace_id"`
	UserID      string    `json:"user_id"`
	Role        Role      `json:"role"`
	Name        string    `json:"name"`  // of the user, for display
	Email       string    `json:"email"` // of the user, for display
	CreatedAt   time.Time `json:"created_at"`
}

// Token is an API token's record; the secret itself is only shown once.
type Token struct {
	ID         string    `json:"id"`
	UserID     string    `json:"user_id"`
	Name       string    `json:"name"`
	CreatedAt  time.Time `json:"created_at"`
	LastUsedAt time.Time `json:"last_used_at"`
}

// AccountService manages users, workspaces, members, sessions and tokens.
type AccountService interface {
	// CreateUser stores a new user with the given password (hashed with
	// argon2id). EConflict when the email is taken; EInvalid for bad fields.
	CreateUser(ctx context.Context, u *User, password string) error
	// FindUserByID returns ENotFound when there is no such user.
	FindUserByID(ctx context.Context, id string) (*User, error)
	// FindUserByEmail returns ENotFound when there is no such user.
	FindUserByEmail(ctx context.Context, email string) (*User, error)
	// Authenticate returns the user when email and password match,
	// EUnauthorized otherwise (without saying which was wrong).
	Authenticate(ctx context.Context, email, password string) (*User, error)
	// SetPassword replaces a user's password.
	SetPassword(ctx context.Context, userID, password string) error

	// CreateWorkspace stores ws and makes ownerID its owner. EConflict when the slug is taken.
	CreateWorkspace(ctx context.Context, ws *Workspace, ownerID string) error
	// FindWorkspace finds a workspace by ID or slug; ENotFound otherwise.
	FindWorkspace(ctx context.Context, idOrSlug string) (*Workspace, error)
	// FindWorkspacesOf lists the workspaces userID is a member of, by name.
	FindWorkspacesOf(ctx context.Context, userID string) ([]*Workspace, error)

	// SetMember adds userID to the workspace or changes their role.
	// EConflict when it would leave the workspace without an owner.
	SetMember(ctx context.Context, workspaceID, userID string, role Role) (*Member, error)
	// RemoveMember removes userID; EConflict for the last owner.
	RemoveMember(ctx context.Context, workspaceID, userID string) error
	// FindMember returns ENotFound when userID is not a member.
	FindMember(ctx context.Context, workspaceID, userID string) (*Member, error)
	// FindMembers lists a workspace's members by name.
	FindMembers(ctx context.Context, workspaceID string) ([]*Member, error)

	// CreateSession starts a browser session and returns its secret.
	CreateSession(ctx context.Context, userID string, ttl time.Duration) (secret string, err error)
	// FindSessionUser returns the user of a live session; EUnauthorized otherwise.
	FindSessionUser(ctx context.Context, secret string) (*User, error)
	// DeleteSession ends a session; ending an unknown session is not an error.
	DeleteSession(ctx context.Context, secret string) error

	// CreateToken makes an API token for userID and returns its secret, which is stored hashed.
	CreateToken(ctx context.Context, userID, name string) (*Token, string, error)
	// FindTokenUser returns the user of a live token; EUnauthorized otherwise.
	FindTokenUser(ctx context.Context, secret string) (*User, error)
	// FindTokens lists a user's tokens.
	FindTokens(ctx context.Context, userID string) ([]*Token, error)
	// RevokeToken deletes one of userID's tokens; ENotFound when it is not theirs.
	RevokeToken(ctx context.Context, userID, tokenID string) error
}
