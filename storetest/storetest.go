// Package storetest is the contract suite every tandem.Store must pass. Each
// store's tests call Run with a function that opens a fresh, empty store:
// the SQLite store on a file in a temporary directory, the PostgreSQL store
// in a schema of its own.
package storetest

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"slices"
	"strings"
	"testing"

	"golang.org/x/crypto/argon2"

	"github.com/tandem-pm/tandem"
)

// Opener opens a fresh, empty store for one test; the test closes it.
type Opener func(t *testing.T) tandem.Store

// Run runs the whole contract suite against the stores open makes. Its
// tests run in parallel (go test's -parallel sets how many at once), each
// on a store of its own.
func Run(t *testing.T, open Opener) {
	tests := []struct {
		name string
		fn   func(t *testing.T, open Opener)
	}{
		{"Users", testUsers},
		{"RealPasswordHash", testRealPasswordHash},
		{"Workspaces", testWorkspaces},
		{"Members", testMembers},
		{"Sessions", testSessions},
		{"Tokens", testTokens},
		{"AuthLookupsSeeChanges", testAuthLookupsSeeChanges},
		{"Goals", testGoals},
		{"GoalProgress", testGoalProgress},
		{"KeyResults", testKeyResults},
		{"Programs", testPrograms},
		{"Projects", testProjects},
		{"Products", testProducts},
		{"Items", testItems},
		{"ItemFilters", testItemFilters},
		{"ListedItemsMatchFound", testListedItemsMatchFound},
		{"Dependencies", testDependencies},
		{"DependencyCycle", testDependencyCycle},
		{"Comments", testComments},
		{"ForeignReferences", testForeignReferences},
		{"OtherWorkspaceIsNotFound", testOtherWorkspace},
		{"Versions", testVersions},
		{"Pagination", testPagination},
		{"Activity", testActivity},
		{"FailedWritesLeaveNothing", testFailedWrites},
		{"ConcurrentWriters", testConcurrentWriters},
		{"Baselines", testBaselines}, {"ImportProject", testImportProject},
		{"Calendars", testCalendars},
		{"VoiceOfCustomer", testVoiceOfCustomer},
		{"SimilarityVersion", testSimilarityVersion},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Each test has a store of its own: they may run side by side.
			t.Parallel()
			tt.fn(t, open)
		})
	}
}

// passwordHasher is what stores that let tests choose a cheaper password hash implement.
type passwordHasher interface {
	SetPasswordHasher(func(string) string)
}

// fastHash is an argon2id hash in the same format as tandem.HashPassword,
// with parameters cheap enough for tests under the race detector.
func fastHash(pw string) string {
	salt := make([]byte, 16)
	rand.Read(salt)
	key := argon2.IDKey([]byte(pw), salt, 1, 64, 1, 32)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, 64, 1, 1, b64.EncodeToString(salt), b64.EncodeToString(key))
}

// openFast opens a store and makes it hash passwords cheaply when it can.
func openFast(t *testing.T, open Opener) tandem.Store {
	t.Helper()
	s := open(t)
	if h, ok := s.(passwordHasher); ok {
		h.SetPasswordHasher(fastHash)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

const testPassword = "correct horse battery"

// fixture is a store with two workspaces: ws, owned by owner with member
// as a contributor, and other, owned by outsider.
type fixture struct {
	s        tandem.Store
	ctx      context.Context // acting as owner
	owner    *tandem.User
	member   *tandem.User
	outsider *tandem.User
	ws       string
	other    string
}

func newFixture(t *testing.T, open Opener) *fixture {
	t.Helper()
	s := openFast(t, open)
	f := &fixture{s: s}
	bg := context.Background()
	f.owner = f.user(t, "owner@example.com", "Olivia Owner")
	f.member = f.user(t, "member@example.com", "Max Member")
	f.outsider = f.user(t, "outsider@example.com", "Oscar Outsider")
	f.ctx = tandem.WithActor(bg, f.owner.ID)
	ws := &tandem.Workspace{Slug: "acme", Name: "Acme"}
	must(t, s.CreateWorkspace(f.ctx, ws, f.owner.ID))
	f.ws = ws.ID
	if _, err := s.SetMember(f.ctx, f.ws, f.member.ID, tandem.RoleContributor); err != nil {
		t.Fatalf("SetMember: %v", err)
	}
	other := &tandem.Workspace{Slug: "other", Name: "Other"}
	must(t, s.CreateWorkspace(tandem.WithActor(bg, f.outsider.ID), other, f.outsider.ID))
	f.other = other.ID
	return f
}

func (f *fixture) user(t *testing.T, email, name string) *tandem.User {
	t.Helper()
	u := &tandem.User{Email: email, Name: name}
	must(t, f.s.CreateUser(context.Background(), u, testPassword))
	return u
}

// otherCtx acts as the owner of the other workspace.
func (f *fixture) otherCtx() context.Context {
	return tandem.WithActor(context.Background(), f.outsider.ID)
}

func (f *fixture) item(t *testing.T, title string, mods ...func(*tandem.Item)) *tandem.Item {
	t.Helper()
	x := &tandem.Item{Kind: tandem.KindTask, Title: title}
	for _, m := range mods {
		m(x)
	}
	must(t, f.s.CreateItem(f.ctx, f.ws, x))
	return x
}

func (f *fixture) goal(t *testing.T, title, parent string) *tandem.Goal {
	t.Helper()
	g := &tandem.Goal{Title: title, ParentID: parent}
	must(t, f.s.CreateGoal(f.ctx, f.ws, g))
	return g
}

func (f *fixture) dep(t *testing.T, pred, succ string) *tandem.Dependency {
	t.Helper()
	d := &tandem.Dependency{PredecessorID: pred, SuccessorID: succ}
	must(t, f.s.CreateDependency(f.ctx, f.ws, d))
	return d
}

// must fails the test at once on an error.
func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("unexpected error: %v", err)
	}
}

// wantCode checks that err carries code.
func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if got := tandem.ErrorCode(err); got != code {
		t.Fatalf("got error %v (code %q), want code %q", err, got, code)
	}
}

// wantField checks that err is EInvalid and names field.
func wantField(t *testing.T, err error, field string) {
	t.Helper()
	wantCode(t, err, tandem.EInvalid)
	e := err.(*tandem.Error)
	for _, fe := range e.Fields {
		if fe.Field == field {
			return
		}
	}
	t.Fatalf("got fields %v, want one for %q", e.Fields, field)
}

func ptr[T any](v T) *T { return &v }

func ids[T any](list []*T, id func(*T) string) []string {
	out := make([]string, len(list))
	for i, x := range list {
		out[i] = id(x)
	}
	return out
}

func itemIDs(list []*tandem.Item) []string {
	return ids(list, func(x *tandem.Item) string { return x.ID })
}

func sameIDs(t *testing.T, what string, got, want []string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("%s: got %v, want %v", what, got, want)
	}
}

func date(s string) tandem.Date {
	d, err := tandem.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }
