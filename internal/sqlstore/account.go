package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/tandem-pm/tandem"
)

// DefaultSessionTTL is a session's lifetime when CreateSession gets none.
const DefaultSessionTTL = 14 * 24 * time.Hour

// tokenTouchInterval bounds how often a token's last use is written, so
// that API requests do not each cost a write.
const tokenTouchInterval = time.Minute

// SetPasswordHasher replaces tandem.HashPassword for new passwords. Tests
// use it to hash with cheap argon2id parameters: checking reads the
// parameters from the hash, so such hashes verify like any other.
func (s *Store) SetPasswordHasher(hash func(password string) string) { s.hash = hash }

func (s *Store) hashPassword(pw string) string {
	if s.hash != nil {
		return s.hash(pw)
	}
	return tandem.HashPassword(pw)
}

// dummyHash makes Authenticate of an unknown email cost as much as a wrong
// password; made on first use, as hashing takes 64 MiB and some milliseconds.
func (s *Store) dummyHash() string {
	s.dummyOnce.Do(func() { s.dummy = s.hashPassword("not the password of anyone") })
	return s.dummy
}

const userColumns = "u.id, u.email, u.name, u.created_at"

func scanUser(row interface{ Scan(...any) error }, u *tandem.User) error {
	return row.Scan(&u.ID, &u.Email, &u.Name, ts{&u.CreatedAt})
}

// CreateUser stores a new user with an argon2id hash of password.
func (s *Store) CreateUser(ctx context.Context, u *tandem.User, password string) error {
	u.Email = tandem.NormalizeEmail(u.Email)
	u.Name = strings.TrimSpace(u.Name)
	if err := u.Validate(); err != nil {
		return err
	}
	if err := tandem.ValidatePassword(password); err != nil {
		return err
	}
	hash := s.hashPassword(password) // slow: outside the transaction
	return s.inTx(ctx, func(t *tx) error {
		id := tandem.NewID()
		_, err := t.exec(ctx, "INSERT INTO users (id, email, name, password_hash, created_at) VALUES ($1, $2, $3, $4, $5)",
			id, u.Email, u.Name, hash, tsv(t.now))
		if t.s.dialect.IsUniqueViolation(err) {
			return &tandem.Error{Code: tandem.EConflict, Message: "A user with this email already exists.",
				Fields: []tandem.FieldError{{Field: "email", Message: "is taken"}}}
		}
		if err != nil {
			return fmt.Errorf("create user: %w", err)
		}
		u.ID, u.CreatedAt = id, t.now
		return nil
	})
}

func (t *tx) findUser(ctx context.Context, where string, arg any) (*tandem.User, error) {
	u := &tandem.User{}
	err := scanUser(t.queryRow(ctx, "SELECT "+userColumns+" FROM users u WHERE "+where, arg), u)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, tandem.Errorf(tandem.ENotFound, "There is no such user.")
	}
	if err != nil {
		return nil, fmt.Errorf("find user: %w", err)
	}
	return u, nil
}

// FindUserByID returns ENotFound when there is no such user.
func (s *Store) FindUserByID(ctx context.Context, id string) (*tandem.User, error) {
	return s.reader(ctx).findUser(ctx, "u.id = $1", id)
}

// FindUserByEmail returns ENotFound when there is no such user.
func (s *Store) FindUserByEmail(ctx context.Context, email string) (*tandem.User, error) {
	return s.reader(ctx).findUser(ctx, "u.email = $1", tandem.NormalizeEmail(email))
}

// Authenticate returns the user when email and password match.
func (s *Store) Authenticate(ctx context.Context, email, password string) (*tandem.User, error) {
	t := s.reader(ctx)
	u := &tandem.User{}
	var hash string
	err := t.queryRow(ctx, "SELECT "+userColumns+", u.password_hash FROM users u WHERE u.email = $1", tandem.NormalizeEmail(email)).
		Scan(&u.ID, &u.Email, &u.Name, ts{&u.CreatedAt}, &hash)
	denied := tandem.Errorf(tandem.EUnauthorized, "The email or password is wrong.")
	if errors.Is(err, sql.ErrNoRows) {
		tandem.CheckPassword(s.dummyHash(), password)
		return nil, denied
	}
	if err != nil {
		return nil, fmt.Errorf("authenticate: %w", err)
	}
	if !tandem.CheckPassword(hash, password) {
		return nil, denied
	}
	return u, nil
}

// SetPassword replaces a user's password.
func (s *Store) SetPassword(ctx context.Context, userID, password string) error {
	if err := tandem.ValidatePassword(password); err != nil {
		return err
	}
	hash := s.hashPassword(password)
	return s.inTx(ctx, func(t *tx) error {
		res, err := t.exec(ctx, "UPDATE users SET password_hash = $1 WHERE id = $2", hash, userID)
		if err != nil {
			return fmt.Errorf("set password: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return notFound("user", userID)
		}
		return nil
	})
}

// CreateWorkspace stores ws and makes ownerID its owner.
func (s *Store) CreateWorkspace(ctx context.Context, ws *tandem.Workspace, ownerID string) error {
	ws.Name = strings.TrimSpace(ws.Name)
	if err := ws.Validate(); err != nil {
		return err
	}
	return s.inTx(ctx, func(t *tx) error {
		owner, err := t.findUser(ctx, "u.id = $1", ownerID)
		if tandem.ErrorCode(err) == tandem.ENotFound {
			return &tandem.Error{Code: tandem.EInvalid, Message: "The workspace's owner does not exist.",
				Fields: []tandem.FieldError{{Field: "owner_id", Message: "no such user"}}}
		}
		if err != nil {
			return err
		}
		id := tandem.NewID()
		_, err = t.exec(ctx, "INSERT INTO workspaces (id, slug, name, created_at) VALUES ($1, $2, $3, $4)", id, ws.Slug, ws.Name, tsv(t.now))
		if t.s.dialect.IsUniqueViolation(err) {
			return &tandem.Error{Code: tandem.EConflict, Message: "A workspace with this slug already exists.",
				Fields: []tandem.FieldError{{Field: "slug", Message: "is taken"}}}
		}
		if err != nil {
			return fmt.Errorf("create workspace: %w", err)
		}
		ws.ID, ws.CreatedAt = id, t.now
		if _, err := t.exec(ctx, "INSERT INTO members (workspace_id, user_id, role, created_at) VALUES ($1, $2, $3, $4)",
			id, ownerID, string(tandem.RoleOwner), tsv(t.now)); err != nil {
			return fmt.Errorf("create workspace: add owner: %w", err)
		}
		m := &tandem.Member{WorkspaceID: id, UserID: ownerID, Role: tandem.RoleOwner, Name: owner.Name, Email: owner.Email, CreatedAt: t.now}
		return t.record(ctx, id, tandem.EntityMember, ownerID, tandem.ActionCreate, owner.Email+" as owner", nil, m)
	})
}

// FindWorkspace finds a workspace by ID or slug.
func (s *Store) FindWorkspace(ctx context.Context, idOrSlug string) (*tandem.Workspace, error) {
	if w, ok := cacheGet(s.auth, s.auth.workspaces, idOrSlug, s.Now()); ok {
		return w, nil
	}
	col := "slug"
	if tandem.IsID(idOrSlug) {
		col = "id"
	}
	w := &tandem.Workspace{}
	err := s.reader(ctx).queryRow(ctx, "SELECT id, slug, name, created_at FROM workspaces WHERE "+col+" = $1", idOrSlug).
		Scan(&w.ID, &w.Slug, &w.Name, ts{&w.CreatedAt})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("workspace", idOrSlug)
	}
	if err != nil {
		return nil, fmt.Errorf("find workspace %s: %w", idOrSlug, err)
	}
	cachePut(s.auth, s.auth.workspaces, idOrSlug, w, s.Now())
	return w, nil
}

// FindWorkspacesOf lists the workspaces userID is a member of, by name.
func (s *Store) FindWorkspacesOf(ctx context.Context, userID string) ([]*tandem.Workspace, error) {
	rows, err := s.reader(ctx).query(ctx, `SELECT w.id, w.slug, w.name, w.created_at FROM workspaces w
		JOIN members m ON m.workspace_id = w.id WHERE m.user_id = $1 ORDER BY w.name, w.id`, userID)
	if err != nil {
		return nil, fmt.Errorf("find workspaces of %s: %w", userID, err)
	}
	defer rows.Close()
	list := []*tandem.Workspace{}
	for rows.Next() {
		w := &tandem.Workspace{}
		if err := rows.Scan(&w.ID, &w.Slug, &w.Name, ts{&w.CreatedAt}); err != nil {
			return nil, fmt.Errorf("find workspaces of %s: %w", userID, err)
		}
		list = append(list, w)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find workspaces of %s: %w", userID, err)
	}
	return list, nil
}

const memberColumns = "m.workspace_id, m.user_id, m.role, u.name, u.email, m.created_at"

func scanMember(row interface{ Scan(...any) error }, m *tandem.Member) error {
	var role string
	err := row.Scan(&m.WorkspaceID, &m.UserID, &role, &m.Name, &m.Email, ts{&m.CreatedAt})
	m.Role = tandem.Role(role)
	return err
}

func (t *tx) findMember(ctx context.Context, ws, userID string) (*tandem.Member, error) {
	m := &tandem.Member{}
	err := scanMember(t.queryRow(ctx, "SELECT "+memberColumns+" FROM members m JOIN users u ON u.id = m.user_id WHERE m.workspace_id = $1 AND m.user_id = $2", ws, userID), m)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, tandem.Errorf(tandem.ENotFound, "The user is not a member of this workspace.")
	}
	if err != nil {
		return nil, fmt.Errorf("find member %s of %s: %w", userID, ws, err)
	}
	return m, nil
}

// lockWorkspace makes changes of one workspace that must not interleave
// (member roles, links and parents that could close a cycle) take turns on
// PostgreSQL, and checks that the workspace exists. On SQLite every write
// takes turns anyway.
func (t *tx) lockWorkspace(ctx context.Context, ws string) error {
	ok, err := t.exists(ctx, "SELECT 1 FROM workspaces WHERE id = $1"+t.lock(), ws)
	if err != nil {
		return fmt.Errorf("lock workspace %s: %w", ws, err)
	}
	if !ok {
		return notFound("workspace", ws)
	}
	return nil
}

func (t *tx) otherOwners(ctx context.Context, ws, userID string) (int, error) {
	var n int
	err := t.queryRow(ctx, "SELECT COUNT(*) FROM members WHERE workspace_id = $1 AND role = $2 AND user_id <> $3", ws, string(tandem.RoleOwner), userID).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count owners: %w", err)
	}
	return n, nil
}

var errLastOwner = tandem.Errorf(tandem.EConflict, "A workspace must keep at least one owner.")

// SetMember adds userID to the workspace or changes their role.
func (s *Store) SetMember(ctx context.Context, ws, userID string, role tandem.Role) (*tandem.Member, error) {
	defer s.auth.dropMember(ws, userID)
	if !role.Valid() {
		return nil, &tandem.Error{Code: tandem.EInvalid, Message: "The role is not valid.",
			Fields: []tandem.FieldError{{Field: "role", Message: "must be one of owner, admin, manager, contributor, viewer"}}}
	}
	var m *tandem.Member
	err := s.inTx(ctx, func(t *tx) error {
		if err := t.lockWorkspace(ctx, ws); err != nil {
			return err
		}
		before, err := t.findMember(ctx, ws, userID)
		switch {
		case tandem.ErrorCode(err) == tandem.ENotFound:
			u, err := t.findUser(ctx, "u.id = $1", userID)
			if tandem.ErrorCode(err) == tandem.ENotFound {
				return &tandem.Error{Code: tandem.EInvalid, Message: "There is no such user.",
					Fields: []tandem.FieldError{{Field: "user_id", Message: "no such user"}}}
			}
			if err != nil {
				return err
			}
			if _, err := t.exec(ctx, "INSERT INTO members (workspace_id, user_id, role, created_at) VALUES ($1, $2, $3, $4)",
				ws, userID, string(role), tsv(t.now)); err != nil {
				return fmt.Errorf("add member: %w", err)
			}
			m = &tandem.Member{WorkspaceID: ws, UserID: userID, Role: role, Name: u.Name, Email: u.Email, CreatedAt: t.now}
			return t.record(ctx, ws, tandem.EntityMember, userID, tandem.ActionCreate, fmt.Sprintf("%s as %s", u.Email, role), nil, m)
		case err != nil:
			return err
		}
		if before.Role == tandem.RoleOwner && role != tandem.RoleOwner {
			n, err := t.otherOwners(ctx, ws, userID)
			if err != nil {
				return err
			}
			if n == 0 {
				return errLastOwner
			}
		}
		if _, err := t.exec(ctx, "UPDATE members SET role = $1 WHERE workspace_id = $2 AND user_id = $3", string(role), ws, userID); err != nil {
			return fmt.Errorf("set member role: %w", err)
		}
		after := *before
		after.Role = role
		m = &after
		return t.record(ctx, ws, tandem.EntityMember, userID, tandem.ActionUpdate, fmt.Sprintf("%s as %s", after.Email, role), before, m)
	})
	if err != nil {
		return nil, err
	}
	return m, nil
}

// RemoveMember removes userID from the workspace.
func (s *Store) RemoveMember(ctx context.Context, ws, userID string) error {
	defer s.auth.dropMember(ws, userID)
	return s.inTx(ctx, func(t *tx) error {
		if err := t.lockWorkspace(ctx, ws); err != nil {
			return err
		}
		before, err := t.findMember(ctx, ws, userID)
		if err != nil {
			return err
		}
		if before.Role == tandem.RoleOwner {
			n, err := t.otherOwners(ctx, ws, userID)
			if err != nil {
				return err
			}
			if n == 0 {
				return errLastOwner
			}
		}
		if _, err := t.exec(ctx, "DELETE FROM members WHERE workspace_id = $1 AND user_id = $2", ws, userID); err != nil {
			return fmt.Errorf("remove member: %w", err)
		}
		return t.record(ctx, ws, tandem.EntityMember, userID, tandem.ActionDelete, before.Email, before, nil)
	})
}

// FindMember returns ENotFound when userID is not a member.
func (s *Store) FindMember(ctx context.Context, ws, userID string) (*tandem.Member, error) {
	key := [2]string{ws, userID}
	if m, ok := cacheGet(s.auth, s.auth.members, key, s.Now()); ok {
		return m, nil
	}
	m, err := s.reader(ctx).findMember(ctx, ws, userID)
	if err != nil {
		return nil, err
	}
	cachePut(s.auth, s.auth.members, key, m, s.Now())
	return m, nil
}

// FindMembers lists a workspace's members by name.
func (s *Store) FindMembers(ctx context.Context, ws string) ([]*tandem.Member, error) {
	rows, err := s.reader(ctx).query(ctx, "SELECT "+memberColumns+" FROM members m JOIN users u ON u.id = m.user_id WHERE m.workspace_id = $1 ORDER BY u.name, u.id", ws)
	if err != nil {
		return nil, fmt.Errorf("find members of %s: %w", ws, err)
	}
	defer rows.Close()
	list := []*tandem.Member{}
	for rows.Next() {
		m := &tandem.Member{}
		if err := scanMember(rows, m); err != nil {
			return nil, fmt.Errorf("find members of %s: %w", ws, err)
		}
		list = append(list, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find members of %s: %w", ws, err)
	}
	return list, nil
}

// CreateSession starts a browser session and returns its secret.
func (s *Store) CreateSession(ctx context.Context, userID string, ttl time.Duration) (string, error) {
	if ttl <= 0 {
		ttl = DefaultSessionTTL
	}
	secret := tandem.RandomToken(32)
	err := s.inTx(ctx, func(t *tx) error {
		if _, err := t.findUser(ctx, "u.id = $1", userID); err != nil {
			return err
		}
		// Sweep this user's expired sessions, so that the table does not grow forever.
		if _, err := t.exec(ctx, "DELETE FROM sessions WHERE user_id = $1 AND expires_at <= $2", userID, tsv(t.now)); err != nil {
			return fmt.Errorf("create session: %w", err)
		}
		if _, err := t.exec(ctx, "INSERT INTO sessions (id, secret_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
			tandem.NewID(), tandem.HashSecret(secret), userID, tsv(t.now), tsv(t.now.Add(ttl))); err != nil {
			return fmt.Errorf("create session: %w", err)
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	return secret, nil
}

// FindSessionUser returns the user of a live session.
func (s *Store) FindSessionUser(ctx context.Context, secret string) (*tandem.User, error) {
	key := "s:" + tandem.HashSecret(secret)
	if u, ok := cacheGet(s.auth, s.auth.users, key, s.Now()); ok {
		return u, nil
	}
	t := s.reader(ctx)
	u := &tandem.User{}
	err := scanUser(t.queryRow(ctx, "SELECT "+userColumns+" FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.secret_hash = $1 AND s.expires_at > $2",
		tandem.HashSecret(secret), tsv(t.now)), u)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, tandem.Errorf(tandem.EUnauthorized, "The session has ended; sign in again.")
	}
	if err != nil {
		return nil, fmt.Errorf("find session: %w", err)
	}
	cachePut(s.auth, s.auth.users, key, u, s.Now())
	return u, nil
}

// DeleteSession ends a session.
func (s *Store) DeleteSession(ctx context.Context, secret string) error {
	defer s.auth.dropUser("s:" + tandem.HashSecret(secret))
	return s.inTx(ctx, func(t *tx) error {
		if _, err := t.exec(ctx, "DELETE FROM sessions WHERE secret_hash = $1", tandem.HashSecret(secret)); err != nil {
			return fmt.Errorf("delete session: %w", err)
		}
		return nil
	})
}

// TokenPrefix starts every API token's secret, so that leaked ones are easy to find.
const TokenPrefix = "tdm_"

// CreateToken makes an API token for userID and returns its secret.
func (s *Store) CreateToken(ctx context.Context, userID, name string) (*tandem.Token, string, error) {
	name = strings.TrimSpace(name)
	if name == "" || len(name) > 200 {
		return nil, "", &tandem.Error{Code: tandem.EInvalid, Message: "The token is not valid.",
			Fields: []tandem.FieldError{{Field: "name", Message: "must be 1-200 characters"}}}
	}
	secret := TokenPrefix + tandem.RandomToken(32)
	tok := &tandem.Token{UserID: userID, Name: name}
	err := s.inTx(ctx, func(t *tx) error {
		if _, err := t.findUser(ctx, "u.id = $1", userID); err != nil {
			return err
		}
		tok.ID, tok.CreatedAt = tandem.NewID(), t.now
		if _, err := t.exec(ctx, "INSERT INTO tokens (id, secret_hash, user_id, name, created_at) VALUES ($1, $2, $3, $4, $5)",
			tok.ID, tandem.HashSecret(secret), userID, name, tsv(t.now)); err != nil {
			return fmt.Errorf("create token: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, "", err
	}
	return tok, secret, nil
}

// FindTokenUser returns the user of a live token and notes its use, at
// most once a minute per token.
func (s *Store) FindTokenUser(ctx context.Context, secret string) (*tandem.User, error) {
	key := "t:" + tandem.HashSecret(secret)
	if u, ok := cacheGet(s.auth, s.auth.users, key, s.Now()); ok {
		return u, nil
	}
	t := s.reader(ctx)
	u := &tandem.User{}
	var tokenID string
	var lastUsed time.Time
	err := t.queryRow(ctx, "SELECT "+userColumns+", t.id, t.last_used_at FROM tokens t JOIN users u ON u.id = t.user_id WHERE t.secret_hash = $1",
		tandem.HashSecret(secret)).Scan(&u.ID, &u.Email, &u.Name, ts{&u.CreatedAt}, &tokenID, ts{&lastUsed})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, tandem.Errorf(tandem.EUnauthorized, "The API token is not valid.")
	}
	if err != nil {
		return nil, fmt.Errorf("find token: %w", err)
	}
	if t.now.Sub(lastUsed) >= tokenTouchInterval {
		err := s.inTx(ctx, func(w *tx) error {
			_, err := w.exec(ctx, "UPDATE tokens SET last_used_at = $1 WHERE id = $2 AND (last_used_at IS NULL OR last_used_at < $3)",
				tsv(w.now), tokenID, tsv(w.now.Add(-tokenTouchInterval)))
			return err
		})
		if err != nil {
			return nil, fmt.Errorf("note token use: %w", err)
		}
	}
	cachePut(s.auth, s.auth.users, key, u, s.Now())
	return u, nil
}

// FindTokens lists a user's tokens, oldest first.
func (s *Store) FindTokens(ctx context.Context, userID string) ([]*tandem.Token, error) {
	rows, err := s.reader(ctx).query(ctx, "SELECT id, user_id, name, created_at, last_used_at FROM tokens WHERE user_id = $1 ORDER BY id", userID)
	if err != nil {
		return nil, fmt.Errorf("find tokens of %s: %w", userID, err)
	}
	defer rows.Close()
	list := []*tandem.Token{}
	for rows.Next() {
		tok := &tandem.Token{}
		if err := rows.Scan(&tok.ID, &tok.UserID, &tok.Name, ts{&tok.CreatedAt}, ts{&tok.LastUsedAt}); err != nil {
			return nil, fmt.Errorf("find tokens of %s: %w", userID, err)
		}
		list = append(list, tok)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find tokens of %s: %w", userID, err)
	}
	return list, nil
}

// RevokeToken deletes one of userID's tokens.
func (s *Store) RevokeToken(ctx context.Context, userID, tokenID string) error {
	defer s.auth.dropUsers()
	return s.inTx(ctx, func(t *tx) error {
		res, err := t.exec(ctx, "DELETE FROM tokens WHERE id = $1 AND user_id = $2", tokenID, userID)
		if err != nil {
			return fmt.Errorf("revoke token: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return notFound("token", tokenID)
		}
		return nil
	})
}
