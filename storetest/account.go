package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/tandem-pm/tandem"
)

func testUsers(t *testing.T, open Opener) {
	s := openFast(t, open)
	ctx := context.Background()
	u := &tandem.User{Email: "  Ada@Example.COM ", Name: "Ada"}
	must(t, s.CreateUser(ctx, u, testPassword))
	if u.ID == "" || u.Email != "ada@example.com" || u.CreatedAt.IsZero() {
		t.Fatalf("CreateUser: got %+v, want an ID, the normalized email and a creation time", u)
	}

	for _, tt := range []struct {
		name     string
		email    string
		password string
		code     string
	}{
		{"email taken in another case", "ADA@example.com", testPassword, tandem.EConflict},
		{"bad email", "not an email", testPassword, tandem.EInvalid},
		{"short password", "bob@example.com", "short", tandem.EInvalid},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := s.CreateUser(ctx, &tandem.User{Email: tt.email, Name: "X"}, tt.password)
			wantCode(t, err, tt.code)
		})
	}

	got, err := s.FindUserByID(ctx, u.ID)
	must(t, err)
	if *got != *u {
		t.Errorf("FindUserByID: got %+v, want %+v", got, u)
	}
	got, err = s.FindUserByEmail(ctx, "ADA@EXAMPLE.COM")
	must(t, err)
	if got.ID != u.ID {
		t.Errorf("FindUserByEmail: got %s, want %s", got.ID, u.ID)
	}
	_, err = s.FindUserByID(ctx, tandem.NewID())
	wantCode(t, err, tandem.ENotFound)
	_, err = s.FindUserByEmail(ctx, "nobody@example.com")
	wantCode(t, err, tandem.ENotFound)

	for _, tt := range []struct {
		name, email, password, code string
	}{
		{"right password", "ada@example.com", testPassword, ""},
		{"email in another case", "Ada@Example.com", testPassword, ""},
		{"wrong password", "ada@example.com", "wrong password", tandem.EUnauthorized},
		{"unknown email", "nobody@example.com", testPassword, tandem.EUnauthorized},
	} {
		t.Run("Authenticate/"+tt.name, func(t *testing.T) {
			got, err := s.Authenticate(ctx, tt.email, tt.password)
			wantCode(t, err, tt.code)
			if err == nil && got.ID != u.ID {
				t.Errorf("got user %s, want %s", got.ID, u.ID)
			}
		})
	}

	must(t, s.SetPassword(ctx, u.ID, "a new password"))
	_, err = s.Authenticate(ctx, u.Email, testPassword)
	wantCode(t, err, tandem.EUnauthorized)
	_, err = s.Authenticate(ctx, u.Email, "a new password")
	must(t, err)
	wantCode(t, s.SetPassword(ctx, tandem.NewID(), "a new password"), tandem.ENotFound)
	wantCode(t, s.SetPassword(ctx, u.ID, "short"), tandem.EInvalid)
}

// testRealPasswordHash checks the store's own (argon2id) hashing once.
func testRealPasswordHash(t *testing.T, open Opener) {
	s := open(t)
	t.Cleanup(func() { s.Close() })
	ctx := context.Background()
	u := &tandem.User{Email: "real@example.com", Name: "Real"}
	must(t, s.CreateUser(ctx, u, testPassword))
	_, err := s.Authenticate(ctx, u.Email, testPassword)
	must(t, err)
}

func testWorkspaces(t *testing.T, open Opener) {
	f := newFixture(t, open)
	s, ctx := f.s, f.ctx
	ws, err := s.FindWorkspace(ctx, "acme")
	must(t, err)
	if ws.ID != f.ws || ws.Name != "Acme" || ws.CreatedAt.IsZero() {
		t.Errorf("FindWorkspace by slug: got %+v", ws)
	}
	byID, err := s.FindWorkspace(ctx, f.ws)
	must(t, err)
	if *byID != *ws {
		t.Errorf("FindWorkspace by ID: got %+v, want %+v", byID, ws)
	}
	_, err = s.FindWorkspace(ctx, "nope")
	wantCode(t, err, tandem.ENotFound)
	_, err = s.FindWorkspace(ctx, tandem.NewID())
	wantCode(t, err, tandem.ENotFound)

	m, err := s.FindMember(ctx, f.ws, f.owner.ID)
	must(t, err)
	if m.Role != tandem.RoleOwner || m.Email != f.owner.Email || m.Name != f.owner.Name {
		t.Errorf("owner membership: got %+v", m)
	}

	wantCode(t, s.CreateWorkspace(ctx, &tandem.Workspace{Slug: "acme", Name: "Again"}, f.owner.ID), tandem.EConflict)
	wantField(t, s.CreateWorkspace(ctx, &tandem.Workspace{Slug: "Bad Slug", Name: "X"}, f.owner.ID), "slug")
	wantField(t, s.CreateWorkspace(ctx, &tandem.Workspace{Slug: "ghost", Name: "X"}, tandem.NewID()), "owner_id")

	// FindWorkspacesOf lists by name.
	must(t, s.CreateWorkspace(ctx, &tandem.Workspace{Slug: "aardvark", Name: "Aardvark"}, f.owner.ID))
	list, err := s.FindWorkspacesOf(ctx, f.owner.ID)
	must(t, err)
	var names []string
	for _, w := range list {
		names = append(names, w.Name)
	}
	sameIDs(t, "FindWorkspacesOf names", names, []string{"Aardvark", "Acme"})
	list, err = s.FindWorkspacesOf(ctx, tandem.NewID())
	must(t, err)
	if list == nil || len(list) != 0 {
		t.Errorf("FindWorkspacesOf(unknown): got %v, want an empty list", list)
	}
}

func testMembers(t *testing.T, open Opener) {
	f := newFixture(t, open)
	s, ctx := f.s, f.ctx

	wantCode(t, s.RemoveMember(ctx, f.ws, f.owner.ID), tandem.EConflict)
	_, err := s.SetMember(ctx, f.ws, f.owner.ID, tandem.RoleAdmin)
	wantCode(t, err, tandem.EConflict)
	_, err = s.SetMember(ctx, f.ws, f.member.ID, tandem.Role("boss"))
	wantField(t, err, "role")
	_, err = s.SetMember(ctx, f.ws, tandem.NewID(), tandem.RoleViewer)
	wantField(t, err, "user_id")
	_, err = s.SetMember(ctx, tandem.NewID(), f.member.ID, tandem.RoleViewer)
	wantCode(t, err, tandem.ENotFound)
	wantCode(t, s.RemoveMember(ctx, f.ws, f.outsider.ID), tandem.ENotFound)
	_, err = s.FindMember(ctx, f.ws, f.outsider.ID)
	wantCode(t, err, tandem.ENotFound)

	// A second owner lets the first step down.
	m, err := s.SetMember(ctx, f.ws, f.member.ID, tandem.RoleOwner)
	must(t, err)
	if m.Role != tandem.RoleOwner || m.Name != f.member.Name {
		t.Errorf("SetMember: got %+v", m)
	}
	_, err = s.SetMember(ctx, f.ws, f.owner.ID, tandem.RoleViewer)
	must(t, err)
	wantCode(t, s.RemoveMember(ctx, f.ws, f.member.ID), tandem.EConflict)
	must(t, s.RemoveMember(ctx, f.ws, f.owner.ID))
	_, err = s.FindMember(ctx, f.ws, f.owner.ID)
	wantCode(t, err, tandem.ENotFound)

	_, err = s.SetMember(ctx, f.ws, f.outsider.ID, tandem.RoleManager)
	must(t, err)
	members, err := s.FindMembers(ctx, f.ws)
	must(t, err)
	var got []string
	for _, m := range members {
		got = append(got, m.Name+":"+string(m.Role))
	}
	sameIDs(t, "FindMembers (by name)", got, []string{"Max Member:owner", "Oscar Outsider:manager"})

	acts, _, err := s.FindActivity(ctx, f.ws, tandem.ActivityFilter{EntityType: tandem.EntityMember})
	must(t, err)
	// owner created, member added, member promoted, owner demoted, owner removed, outsider added.
	if len(acts) != 6 {
		t.Errorf("member activity: got %d rows, want 6", len(acts))
	}
}

func testSessions(t *testing.T, open Opener) {
	f := newFixture(t, open)
	s, ctx := f.s, f.ctx
	secret, err := s.CreateSession(ctx, f.owner.ID, time.Hour)
	must(t, err)
	if len(secret) < 32 {
		t.Fatalf("session secret %q is too short", secret)
	}
	u, err := s.FindSessionUser(ctx, secret)
	must(t, err)
	if u.ID != f.owner.ID {
		t.Errorf("FindSessionUser: got %s, want %s", u.ID, f.owner.ID)
	}
	_, err = s.FindSessionUser(ctx, "not a session")
	wantCode(t, err, tandem.EUnauthorized)
	must(t, s.DeleteSession(ctx, secret))
	_, err = s.FindSessionUser(ctx, secret)
	wantCode(t, err, tandem.EUnauthorized)
	must(t, s.DeleteSession(ctx, secret)) // ending an unknown session is no error

	short, err := s.CreateSession(ctx, f.owner.ID, 20*time.Millisecond)
	must(t, err)
	time.Sleep(40 * time.Millisecond)
	_, err = s.FindSessionUser(ctx, short)
	wantCode(t, err, tandem.EUnauthorized)

	_, err = s.CreateSession(ctx, tandem.NewID(), time.Hour)
	wantCode(t, err, tandem.ENotFound)
}

func testTokens(t *testing.T, open Opener) {
	f := newFixture(t, open)
	s, ctx := f.s, f.ctx
	tok, secret, err := s.CreateToken(ctx, f.owner.ID, "CI")
	must(t, err)
	if tok.ID == "" || tok.UserID != f.owner.ID || tok.Name != "CI" || secret == "" || contains(secret, tok.ID) {
		t.Fatalf("CreateToken: got %+v, %q", tok, secret)
	}
	_, _, err = s.CreateToken(ctx, f.owner.ID, " ")
	wantField(t, err, "name")

	u, err := s.FindTokenUser(ctx, secret)
	must(t, err)
	if u.ID != f.owner.ID {
		t.Errorf("FindTokenUser: got %s, want %s", u.ID, f.owner.ID)
	}
	_, err = s.FindTokenUser(ctx, secret+"x")
	wantCode(t, err, tandem.EUnauthorized)

	toks, err := s.FindTokens(ctx, f.owner.ID)
	must(t, err)
	if len(toks) != 1 || toks[0].ID != tok.ID || toks[0].LastUsedAt.IsZero() {
		t.Fatalf("FindTokens after use: got %+v, want the token with its last use", toks)
	}
	toks, err = s.FindTokens(ctx, f.member.ID)
	must(t, err)
	if len(toks) != 0 {
		t.Errorf("FindTokens of another user: got %d tokens, want 0", len(toks))
	}

	wantCode(t, s.RevokeToken(ctx, f.member.ID, tok.ID), tandem.ENotFound)
	must(t, s.RevokeToken(ctx, f.owner.ID, tok.ID))
	_, err = s.FindTokenUser(ctx, secret)
	wantCode(t, err, tandem.EUnauthorized)
	wantCode(t, s.RevokeToken(ctx, f.owner.ID, tok.ID), tandem.ENotFound)
}

// testAuthLookupsSeeChanges checks that the lookups every request makes
// (membership, session) see a change at once, even right after being read:
// a store may cache them, but must not serve a stale answer to itself.
func testAuthLookupsSeeChanges(t *testing.T, open Opener) {
	f := newFixture(t, open)
	s, ctx := f.s, f.ctx
	for range 2 { // twice, so that a cache would answer the second time
		m, err := s.FindMember(ctx, f.ws, f.member.ID)
		must(t, err)
		if m.Role == tandem.RoleViewer {
			t.Fatalf("fixture member is already a viewer")
		}
	}
	_, err := s.SetMember(ctx, f.ws, f.member.ID, tandem.RoleViewer)
	must(t, err)
	m, err := s.FindMember(ctx, f.ws, f.member.ID)
	must(t, err)
	if m.Role != tandem.RoleViewer {
		t.Errorf("FindMember after SetMember: role %s, want viewer", m.Role)
	}
	must(t, s.RemoveMember(ctx, f.ws, f.member.ID))
	_, err = s.FindMember(ctx, f.ws, f.member.ID)
	wantCode(t, err, tandem.ENotFound)

	secret, err := s.CreateSession(ctx, f.owner.ID, time.Hour)
	must(t, err)
	for range 2 {
		_, err := s.FindSessionUser(ctx, secret)
		must(t, err)
	}
	must(t, s.DeleteSession(ctx, secret))
	_, err = s.FindSessionUser(ctx, secret)
	wantCode(t, err, tandem.EUnauthorized)

	// A returned value is the caller's own: changing it changes nothing stored.
	w, err := s.FindWorkspace(ctx, f.ws)
	must(t, err)
	w.Name = "changed by the caller"
	w2, err := s.FindWorkspace(ctx, f.ws)
	must(t, err)
	if w2.Name == w.Name {
		t.Errorf("FindWorkspace returned a value shared with an earlier caller")
	}
}
