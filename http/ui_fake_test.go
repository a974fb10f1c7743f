package http

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/tandem-pm/tandem"
)

// fakeStore is a small in-memory tandem.Store for fast UI tests. It keeps
// the contracts the UI relies on (not-found, versions, cycles, activity) but
// none of a real store's durability; browser tests use the SQLite store.
type fakeStore struct {
	// The voice of the customer is not faked: its pages are tested on SQLite.
	tandem.InsightService
	// Calendars: calendar_fake_test.go.
	fakeCalendars

	mu         sync.Mutex
	users      []*tandem.User
	passwords  map[string]string
	workspaces []*tandem.Workspace
	members    []*tandem.Member
	sessions   map[string]string
	goals      []*tandem.Goal
	krs        []*tandem.KeyResult
	ms         []*tandem.Measurement
	programs   []*tandem.Program
	projects   []*tandem.Project
	products   []*tandem.Product
	items      []*tandem.Item
	deps       []*tandem.Dependency
	comments   []*tandem.Comment
	activity   []*tandem.Activity
}

var _ tandem.Store = (*fakeStore)(nil)

func newFakeStore() *fakeStore {
	return &fakeStore{passwords: map[string]string{}, sessions: map[string]string{}}
}

func fakeNotFound(what string) error { return tandem.Errorf(tandem.ENotFound, "%s not found.", what) }

func fakePage[T any](xs []T, p tandem.Page) ([]T, string) {
	start, _ := strconv.Atoi(p.Cursor)
	if start > len(xs) {
		start = len(xs)
	}
	end := start + p.Size()
	if end >= len(xs) {
		return slices.Clone(xs[start:]), ""
	}
	return slices.Clone(xs[start:end]), strconv.Itoa(end)
}

func fakeFilter[T any](xs []T, keep func(T) bool) []T {
	var out []T
	for _, x := range xs {
		if keep(x) {
			out = append(out, x)
		}
	}
	return out
}

func fakeFind[T any](xs []T, match func(T) bool) (T, bool) {
	for _, x := range xs {
		if match(x) {
			return x, true
		}
	}
	var zero T
	return zero, false
}

func (s *fakeStore) meta(ws string) tandem.Meta {
	now := time.Now().UTC()
	return tandem.Meta{ID: tandem.NewID(), WorkspaceID: ws, Version: 1, CreatedAt: now, UpdatedAt: now}
}

func (s *fakeStore) log(ctx context.Context, ws, typ, id, action, summary string, before, after any) {
	actor := tandem.ActorFrom(ctx)
	name := ""
	if u, ok := fakeFind(s.users, func(u *tandem.User) bool { return u.ID == actor }); ok {
		name = u.Name
	}
	b, _ := json.Marshal(before)
	a, _ := json.Marshal(after)
	s.activity = append([]*tandem.Activity{{ID: tandem.NewID(), WorkspaceID: ws, ActorID: actor, ActorName: name,
		At: time.Now().UTC(), EntityType: typ, EntityID: id, Action: action, Summary: summary, Before: b, After: a}}, s.activity...)
}

func fakeCheckVersion(stored, want int64) error {
	if want != 0 && stored != want {
		return tandem.Errorf(tandem.EStale, "The item was changed by someone else.")
	}
	return nil
}

// Accounts.

func (s *fakeStore) CreateUser(ctx context.Context, u *tandem.User, password string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	u.Email = tandem.NormalizeEmail(u.Email)
	if err := u.Validate(); err != nil {
		return err
	}
	if _, ok := fakeFind(s.users, func(x *tandem.User) bool { return x.Email == u.Email }); ok {
		return tandem.Errorf(tandem.EConflict, "The email is taken.")
	}
	u.ID, u.CreatedAt = tandem.NewID(), time.Now().UTC()
	s.users = append(s.users, u)
	s.passwords[u.ID] = password
	return nil
}

func (s *fakeStore) FindUserByID(ctx context.Context, id string) (*tandem.User, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if u, ok := fakeFind(s.users, func(x *tandem.User) bool { return x.ID == id }); ok {
		return u, nil
	}
	return nil, fakeNotFound("User")
}

func (s *fakeStore) FindUserByEmail(ctx context.Context, email string) (*tandem.User, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if u, ok := fakeFind(s.users, func(x *tandem.User) bool { return x.Email == tandem.NormalizeEmail(email) }); ok {
		return u, nil
	}
	return nil, fakeNotFound("User")
}

func (s *fakeStore) Authenticate(ctx context.Context, email, password string) (*tandem.User, error) {
	u, err := s.FindUserByEmail(ctx, email)
	s.mu.Lock()
	defer s.mu.Unlock()
	if err != nil || s.passwords[u.ID] != password {
		return nil, tandem.Errorf(tandem.EUnauthorized, "Wrong email or password.")
	}
	return u, nil
}

func (s *fakeStore) SetPassword(ctx context.Context, userID, password string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.passwords[userID] = password
	return nil
}

func (s *fakeStore) CreateWorkspace(ctx context.Context, ws *tandem.Workspace, ownerID string) error {
	if err := ws.Validate(); err != nil {
		return err
	}
	s.mu.Lock()
	ws.ID, ws.CreatedAt = tandem.NewID(), time.Now().UTC()
	s.workspaces = append(s.workspaces, ws)
	s.mu.Unlock()
	_, err := s.SetMember(ctx, ws.ID, ownerID, tandem.RoleOwner)
	return err
}

func (s *fakeStore) FindWorkspace(ctx context.Context, idOrSlug string) (*tandem.Workspace, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if w, ok := fakeFind(s.workspaces, func(x *tandem.Workspace) bool { return x.ID == idOrSlug || x.Slug == idOrSlug }); ok {
		return w, nil
	}
	return nil, fakeNotFound("Workspace")
}

func (s *fakeStore) FindWorkspacesOf(ctx context.Context, userID string) ([]*tandem.Workspace, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return fakeFilter(s.workspaces, func(w *tandem.Workspace) bool {
		_, ok := fakeFind(s.members, func(m *tandem.Member) bool { return m.WorkspaceID == w.ID && m.UserID == userID })
		return ok
	}), nil
}

func (s *fakeStore) SetMember(ctx context.Context, workspaceID, userID string, role tandem.Role) (*tandem.Member, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, ok := fakeFind(s.users, func(x *tandem.User) bool { return x.ID == userID })
	if !ok {
		return nil, fakeNotFound("User")
	}
	if m, ok := fakeFind(s.members, func(m *tandem.Member) bool { return m.WorkspaceID == workspaceID && m.UserID == userID }); ok {
		owners := len(fakeFilter(s.members, func(x *tandem.Member) bool { return x.WorkspaceID == workspaceID && x.Role == tandem.RoleOwner }))
		if m.Role == tandem.RoleOwner && role != tandem.RoleOwner && owners == 1 {
			return nil, tandem.Errorf(tandem.EConflict, "A workspace needs at least one owner.")
		}
		m.Role = role
		return m, nil
	}
	m := &tandem.Member{WorkspaceID: workspaceID, UserID: userID, Role: role, Name: u.Name, Email: u.Email, CreatedAt: time.Now().UTC()}
	s.members = append(s.members, m)
	return m, nil
}

func (s *fakeStore) RemoveMember(ctx context.Context, workspaceID, userID string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.members = fakeFilter(s.members, func(m *tandem.Member) bool { return m.WorkspaceID != workspaceID || m.UserID != userID })
	return nil
}

func (s *fakeStore) FindMember(ctx context.Context, workspaceID, userID string) (*tandem.Member, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if m, ok := fakeFind(s.members, func(m *tandem.Member) bool { return m.WorkspaceID == workspaceID && m.UserID == userID }); ok {
		c := *m
		return &c, nil
	}
	return nil, fakeNotFound("Member")
}

func (s *fakeStore) FindMembers(ctx context.Context, workspaceID string) ([]*tandem.Member, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return fakeFilter(s.members, func(m *tandem.Member) bool { return m.WorkspaceID == workspaceID }), nil
}

func (s *fakeStore) CreateSession(ctx context.Context, userID string, ttl time.Duration) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	secret := tandem.RandomToken(16)
	s.sessions[secret] = userID
	return secret, nil
}

func (s *fakeStore) FindSessionUser(ctx context.Context, secret string) (*tandem.User, error) {
	s.mu.Lock()
	id, ok := s.sessions[secret]
	s.mu.Unlock()
	if !ok {
		return nil, tandem.Errorf(tandem.EUnauthorized, "Sign in again.")
	}
	return s.FindUserByID(ctx, id)
}

func (s *fakeStore) DeleteSession(ctx context.Context, secret string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.sessions, secret)
	return nil
}

func (s *fakeStore) CreateToken(ctx context.Context, userID, name string) (*tandem.Token, string, error) {
	return nil, "", tandem.Errorf(tandem.EInternal, "not in the fake")
}
func (s *fakeStore) FindTokenUser(ctx context.Context, secret string) (*tandem.User, error) {
	return nil, tandem.Errorf(tandem.EUnauthorized, "No such token.")
}
func (s *fakeStore) FindTokens(ctx context.Context, userID string) ([]*tandem.Token, error) {
	return nil, nil
}
func (s *fakeStore) RevokeToken(ctx context.Context, userID, tokenID string) error {
	return fakeNotFound("Token")
}

// Goals.

func (s *fakeStore) rollUp(ws string) {
	goals := fakeFilter(s.goals, func(g *tandem.Goal) bool { return g.WorkspaceID == ws })
	krs := fakeFilter(s.krs, func(k *tandem.KeyResult) bool { return k.WorkspaceID == ws })
	tandem.RollUpGoalProgress(goals, krs)
}

func (s *fakeStore) FindGoalByID(ctx context.Context, ws, id string) (*tandem.Goal, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rollUp(ws)
	if g, ok := fakeFind(s.goals, func(g *tandem.Goal) bool { return g.WorkspaceID == ws && g.ID == id }); ok {
		c := *g
		return &c, nil
	}
	return nil, fakeNotFound("Goal")
}

func (s *fakeStore) FindGoals(ctx context.Context, ws string, f tandem.GoalFilter) ([]*tandem.Goal, string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rollUp(ws)
	xs := fakeFilter(s.goals, func(g *tandem.Goal) bool {
		return g.WorkspaceID == ws && (f.ParentID == nil || g.ParentID == *f.ParentID) && strings.Contains(strings.ToLower(g.Title), strings.ToLower(f.Q))
	})
	out, next := fakePage(xs, f.Page)
	return out, next, nil
}

func (s *fakeStore) CreateGoal(ctx context.Context, ws string, g *tandem.Goal) error {
	if err := g.Validate(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	g.Meta = s.meta(ws)
	s.goals = append(s.goals, g)
	s.log(ctx, ws, tandem.EntityGoal, g.ID, tandem.ActionCreate, g.Title, nil, g)
	return nil
}

func (s *fakeStore) UpdateGoal(ctx context.Context, ws, id string, upd tandem.GoalUpdate, version int64) (*tandem.Goal, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	g, ok := fakeFind(s.goals, func(g *tandem.Goal) bool { return g.WorkspaceID == ws && g.ID == id })
	if !ok {
		return nil, fakeNotFound("Goal")
	}
	if err := fakeCheckVersion(g.Version, version); err != nil {
		return nil, err
	}
	c := *g
	upd.Apply(&c)
	if err := c.Validate(); err != nil {
		return nil, err
	}
	c.Version++
	*g = c
	s.log(ctx, ws, tandem.EntityGoal, g.ID, tandem.ActionUpdate, g.Title, nil, g)
	return g, nil
}

func (s *fakeStore) DeleteGoal(ctx context.Context, ws, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	g, ok := fakeFind(s.goals, func(g *tandem.Goal) bool { return g.WorkspaceID == ws && g.ID == id })
	if !ok {
		return fakeNotFound("Goal")
	}
	for _, c := range s.goals {
		if c.ParentID == id {
			c.ParentID = g.ParentID
		}
	}
	s.goals = fakeFilter(s.goals, func(x *tandem.Goal) bool { return x != g })
	s.log(ctx, ws, tandem.EntityGoal, g.ID, tandem.ActionDelete, g.Title, g, nil)
	return nil
}

func (s *fakeStore) FindKeyResultByID(ctx context.Context, ws, id string) (*tandem.KeyResult, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if k, ok := fakeFind(s.krs, func(k *tandem.KeyResult) bool { return k.WorkspaceID == ws && k.ID == id }); ok {
		k.ComputeProgress()
		return k, nil
	}
	return nil, fakeNotFound("Key result")
}

func (s *fakeStore) FindKeyResults(ctx context.Context, ws string, f tandem.KeyResultFilter) ([]*tandem.KeyResult, string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	xs := fakeFilter(s.krs, func(k *tandem.KeyResult) bool { return k.WorkspaceID == ws && (f.GoalID == "" || k.GoalID == f.GoalID) })
	for _, k := range xs {
		k.ComputeProgress()
	}
	out, next := fakePage(xs, f.Page)
	return out, next, nil
}

func (s *fakeStore) CreateKeyResult(ctx context.Context, ws string, k *tandem.KeyResult) error {
	if err := k.Validate(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	k.Meta = s.meta(ws)
	k.Current = k.Baseline
	k.ComputeProgress()
	s.krs = append(s.krs, k)
	s.log(ctx, ws, tandem.EntityKeyResult, k.ID, tandem.ActionCreate, k.Metric, nil, k)
	return nil
}

func (s *fakeStore) UpdateKeyResult(ctx context.Context, ws, id string, upd tandem.KeyResultUpdate, version int64) (*tandem.KeyResult, error) {
	return nil, tandem.Errorf(tandem.EInternal, "not in the fake")
}

func (s *fakeStore) DeleteKeyResult(ctx context.Context, ws, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.krs = fakeFilter(s.krs, func(k *tandem.KeyResult) bool { return k.ID != id })
	return nil
}

func (s *fakeStore) AddMeasurement(ctx context.Context, ws string, m *tandem.Measurement) error {
	if err := m.Validate(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	k, ok := fakeFind(s.krs, func(k *tandem.KeyResult) bool { return k.WorkspaceID == ws && k.ID == m.KeyResultID })
	if !ok {
		return tandem.Errorf(tandem.EInvalid, "No such key result.")
	}
	m.ID = tandem.NewID()
	s.ms = append(s.ms, m)
	latest := m
	for _, x := range s.ms {
		if x.KeyResultID == k.ID && latest.Date.Before(x.Date) {
			latest = x
		}
	}
	k.Current = latest.Value
	k.ComputeProgress()
	return nil
}

func (s *fakeStore) FindMeasurements(ctx context.Context, ws, keyResultID string) ([]*tandem.Measurement, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	xs := fakeFilter(s.ms, func(m *tandem.Measurement) bool { return m.KeyResultID == keyResultID })
	slices.SortStableFunc(xs, func(a, b *tandem.Measurement) int { return a.Date.Time().Compare(b.Date.Time()) })
	return xs, nil
}

// Programs, projects, products.

func (s *fakeStore) FindProgramByID(ctx context.Context, ws, id string) (*tandem.Program, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if x, ok := fakeFind(s.programs, func(x *tandem.Program) bool { return x.WorkspaceID == ws && x.ID == id }); ok {
		c := *x
		return &c, nil
	}
	return nil, fakeNotFound("Program")
}

func (s *fakeStore) FindPrograms(ctx context.Context, ws string, f tandem.ProgramFilter) ([]*tandem.Program, string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	xs := fakeFilter(s.programs, func(x *tandem.Program) bool {
		return x.WorkspaceID == ws && (f.Status == "" || x.Status == f.Status) && (f.Health == "" || x.Health == f.Health) &&
			(f.GoalID == "" || slices.Contains(x.GoalIDs, f.GoalID)) && strings.Contains(strings.ToLower(x.Name), strings.ToLower(f.Q))
	})
	out, next := fakePage(xs, f.Page)
	return out, next, nil
}

func (s *fakeStore) CreateProgram(ctx context.Context, ws string, x *tandem.Program) error {
	x.Defaults()
	if err := x.Validate(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	x.Meta = s.meta(ws)
	s.programs = append(s.programs, x)
	s.log(ctx, ws, tandem.EntityProgram, x.ID, tandem.ActionCreate, x.Name, nil, x)
	return nil
}

func (s *fakeStore) UpdateProgram(ctx context.Context, ws, id string, upd tandem.ProgramUpdate, version int64) (*tandem.Program, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	x, ok := fakeFind(s.programs, func(x *tandem.Program) bool { return x.WorkspaceID == ws && x.ID == id })
	if !ok {
		return nil, fakeNotFound("Program")
	}
	if err := fakeCheckVersion(x.Version, version); err != nil {
		return nil, err
	}
	c := *x
	before := *x
	upd.Apply(&c)
	if err := c.Validate(); err != nil {
		return nil, err
	}
	c.Version++
	*x = c
	s.log(ctx, ws, tandem.EntityProgram, x.ID, tandem.ActionUpdate, x.Name, &before, x)
	return x, nil
}

func (s *fakeStore) DeleteProgram(ctx context.Context, ws, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	x, ok := fakeFind(s.programs, func(x *tandem.Program) bool { return x.WorkspaceID == ws && x.ID == id })
	if !ok {
		return fakeNotFound("Program")
	}
	s.programs = fakeFilter(s.programs, func(y *tandem.Program) bool { return y != x })
	s.log(ctx, ws, tandem.EntityProgram, x.ID, tandem.ActionDelete, x.Name, x, nil)
	return nil
}

func (s *fakeStore) FindProjectByID(ctx context.Context, ws, id string) (*tandem.Project, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if x, ok := fakeFind(s.projects, func(x *tandem.Project) bool { return x.WorkspaceID == ws && x.ID == id }); ok {
		c := *x
		return &c, nil
	}
	return nil, fakeNotFound("Project")
}

func (s *fakeStore) FindProjects(ctx context.Context, ws string, f tandem.ProjectFilter) ([]*tandem.Project, string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	xs := fakeFilter(s.projects, func(x *tandem.Project) bool {
		return x.WorkspaceID == ws && (f.Status == "" || x.Status == f.Status) && (f.ProgramID == "" || x.ProgramID == f.ProgramID) &&
			strings.Contains(strings.ToLower(x.Name), strings.ToLower(f.Q))
	})
	out, next := fakePage(xs, f.Page)
	return out, next, nil
}

func (s *fakeStore) CreateProject(ctx context.Context, ws string, x *tandem.Project) error {
	x.Defaults()
	if err := x.Validate(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	x.Meta = s.meta(ws)
	s.projects = append(s.projects, x)
	s.log(ctx, ws, tandem.EntityProject, x.ID, tandem.ActionCreate, x.Name, nil, x)
	return nil
}

func (s *fakeStore) UpdateProject(ctx context.Context, ws, id string, upd tandem.ProjectUpdate, version int64) (*tandem.Project, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	x, ok := fakeFind(s.projects, func(x *tandem.Project) bool { return x.WorkspaceID == ws && x.ID == id })
	if !ok {
		return nil, fakeNotFound("Project")
	}
	if err := fakeCheckVersion(x.Version, version); err != nil {
		return nil, err
	}
	c := *x
	upd.Apply(&c)
	if err := c.Validate(); err != nil {
		return nil, err
	}
	c.Version++
	*x = c
	s.log(ctx, ws, tandem.EntityProject, x.ID, tandem.ActionUpdate, x.Name, nil, x)
	return x, nil
}

func (s *fakeStore) DeleteProject(ctx context.Context, ws, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.projects = fakeFilter(s.projects, func(x *tandem.Project) bool { return x.ID != id })
	return nil
}

func (s *fakeStore) FindProductByID(ctx context.Context, ws, id string) (*tandem.Product, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if x, ok := fakeFind(s.products, func(x *tandem.Product) bool { return x.WorkspaceID == ws && x.ID == id }); ok {
		c := *x
		return &c, nil
	}
	return nil, fakeNotFound("Product")
}

func (s *fakeStore) FindProducts(ctx context.Context, ws string, f tandem.ProductFilter) ([]*tandem.Product, string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	xs := fakeFilter(s.products, func(x *tandem.Product) bool {
		return x.WorkspaceID == ws && (f.GoalID == "" || slices.Contains(x.GoalIDs, f.GoalID)) && strings.Contains(strings.ToLower(x.Name), strings.ToLower(f.Q))
	})
	out, next := fakePage(xs, f.Page)
	return out, next, nil
}

func (s *fakeStore) CreateProduct(ctx context.Context, ws string, x *tandem.Product) error {
	x.Defaults()
	if err := x.Validate(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	x.Meta = s.meta(ws)
	s.products = append(s.products, x)
	s.log(ctx, ws, tandem.EntityProduct, x.ID, tandem.ActionCreate, x.Name, nil, x)
	return nil
}

func (s *fakeStore) UpdateProduct(ctx context.Context, ws, id string, upd tandem.ProductUpdate, version int64) (*tandem.Product, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	x, ok := fakeFind(s.products, func(x *tandem.Product) bool { return x.WorkspaceID == ws && x.ID == id })
	if !ok {
		return nil, fakeNotFound("Product")
	}
	if err := fakeCheckVersion(x.Version, version); err != nil {
		return nil, err
	}
	c := *x
	upd.Apply(&c)
	c.Version++
	*x = c
	return x, nil
}

func (s *fakeStore) DeleteProduct(ctx context.Context, ws, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.products = fakeFilter(s.products, func(x *tandem.Product) bool { return x.ID != id })
	return nil
}

// Items and dependencies.

func (s *fakeStore) FindItemByID(ctx context.Context, ws, id string) (*tandem.Item, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if x, ok := fakeFind(s.items, func(x *tandem.Item) bool { return x.WorkspaceID == ws && x.ID == id }); ok {
		c := *x
		return &c, nil
	}
	return nil, fakeNotFound("Item")
}

func (s *fakeStore) FindItems(ctx context.Context, ws string, f tandem.ItemFilter) ([]*tandem.Item, string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	xs := fakeFilter(s.items, func(x *tandem.Item) bool {
		return x.WorkspaceID == ws && (f.Kind == "" || x.Kind == f.Kind) && (f.Status == "" || x.Status == f.Status) &&
			(f.ProjectID == "" || x.ProjectID == f.ProjectID) && (f.ProductID == "" || x.ProductID == f.ProductID) &&
			(f.ParentID == "" || x.ParentID == f.ParentID) && (f.AssigneeID == "" || x.AssigneeID == f.AssigneeID) &&
			(f.GoalID == "" || slices.Contains(x.GoalIDs, f.GoalID)) && strings.Contains(strings.ToLower(x.Title), strings.ToLower(f.Q))
	})
	out, next := fakePage(xs, f.Page)
	return out, next, nil
}

func (s *fakeStore) CreateItem(ctx context.Context, ws string, x *tandem.Item) error {
	x.Defaults()
	if err := x.Validate(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	x.Meta = s.meta(ws)
	s.items = append(s.items, x)
	s.log(ctx, ws, tandem.EntityItem, x.ID, tandem.ActionCreate, x.Title, nil, x)
	return nil
}

func (s *fakeStore) UpdateItem(ctx context.Context, ws, id string, upd tandem.ItemUpdate, version int64) (*tandem.Item, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	x, ok := fakeFind(s.items, func(x *tandem.Item) bool { return x.WorkspaceID == ws && x.ID == id })
	if !ok {
		return nil, fakeNotFound("Item")
	}
	if err := fakeCheckVersion(x.Version, version); err != nil {
		return nil, err
	}
	c := *x
	upd.Apply(&c)
	if err := c.Validate(); err != nil {
		return nil, err
	}
	c.Version++
	*x = c
	s.log(ctx, ws, tandem.EntityItem, x.ID, tandem.ActionUpdate, x.Title, nil, x)
	return x, nil
}

func (s *fakeStore) DeleteItem(ctx context.Context, ws, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	x, ok := fakeFind(s.items, func(x *tandem.Item) bool { return x.WorkspaceID == ws && x.ID == id })
	if !ok {
		return fakeNotFound("Item")
	}
	s.items = fakeFilter(s.items, func(y *tandem.Item) bool { return y != x })
	s.deps = fakeFilter(s.deps, func(d *tandem.Dependency) bool { return d.PredecessorID != id && d.SuccessorID != id })
	s.log(ctx, ws, tandem.EntityItem, x.ID, tandem.ActionDelete, x.Title, x, nil)
	return nil
}

func (s *fakeStore) FindDependencyByID(ctx context.Context, ws, id string) (*tandem.Dependency, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if d, ok := fakeFind(s.deps, func(d *tandem.Dependency) bool { return d.WorkspaceID == ws && d.ID == id }); ok {
		return d, nil
	}
	return nil, fakeNotFound("Dependency")
}

func (s *fakeStore) FindDependencies(ctx context.Context, ws string, f tandem.DependencyFilter) ([]*tandem.Dependency, string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	xs := fakeFilter(s.deps, func(d *tandem.Dependency) bool {
		return d.WorkspaceID == ws && (f.ItemID == "" || d.PredecessorID == f.ItemID || d.SuccessorID == f.ItemID)
	})
	out, next := fakePage(xs, f.Page)
	return out, next, nil
}

func (s *fakeStore) CreateDependency(ctx context.Context, ws string, d *tandem.Dependency) error {
	d.Defaults()
	if err := d.Validate(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	title := func(id string) string {
		x, _ := fakeFind(s.items, func(x *tandem.Item) bool { return x.ID == id })
		return x.Title
	}
	// A path from the successor back to the predecessor closes a cycle.
	var path []string
	var reach func(from string, seen map[string]bool) bool
	reach = func(from string, seen map[string]bool) bool {
		if from == d.PredecessorID {
			return true
		}
		if seen[from] {
			return false
		}
		seen[from] = true
		for _, e := range s.deps {
			if e.PredecessorID == from && reach(e.SuccessorID, seen) {
				path = append([]string{title(e.SuccessorID)}, path...)
				return true
			}
		}
		return false
	}
	if reach(d.SuccessorID, map[string]bool{}) {
		return tandem.CycleError(append([]string{title(d.SuccessorID)}, path[:len(path)-1]...))
	}
	d.Meta = s.meta(ws)
	s.deps = append(s.deps, d)
	return nil
}

func (s *fakeStore) UpdateDependency(ctx context.Context, ws, id string, upd tandem.DependencyUpdate, version int64) (*tandem.Dependency, error) {
	return nil, tandem.Errorf(tandem.EInternal, "not in the fake")
}

func (s *fakeStore) DeleteDependency(ctx context.Context, ws, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.deps = fakeFilter(s.deps, func(d *tandem.Dependency) bool { return d.ID != id })
	return nil
}

// Comments and activity.

func (s *fakeStore) FindCommentByID(ctx context.Context, ws, id string) (*tandem.Comment, error) {
	return nil, fakeNotFound("Comment")
}

func (s *fakeStore) FindComments(ctx context.Context, ws string, f tandem.CommentFilter) ([]*tandem.Comment, string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	xs := fakeFilter(s.comments, func(c *tandem.Comment) bool {
		return c.WorkspaceID == ws && c.EntityType == f.EntityType && c.EntityID == f.EntityID
	})
	out, next := fakePage(xs, f.Page)
	return out, next, nil
}

func (s *fakeStore) CreateComment(ctx context.Context, ws string, c *tandem.Comment) error {
	if err := c.Validate(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c.Meta = s.meta(ws)
	s.comments = append(s.comments, c)
	return nil
}

func (s *fakeStore) UpdateComment(ctx context.Context, ws, id string, upd tandem.CommentUpdate, version int64) (*tandem.Comment, error) {
	return nil, fakeNotFound("Comment")
}

func (s *fakeStore) DeleteComment(ctx context.Context, ws, id string) error {
	return fakeNotFound("Comment")
}

func (s *fakeStore) FindActivity(ctx context.Context, ws string, f tandem.ActivityFilter) ([]*tandem.Activity, string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	xs := fakeFilter(s.activity, func(a *tandem.Activity) bool {
		return a.WorkspaceID == ws && (f.EntityType == "" || a.EntityType == f.EntityType) && (f.EntityID == "" || a.EntityID == f.EntityID)
	})
	out, next := fakePage(xs, f.Page)
	return out, next, nil
}

func (s *fakeStore) Ping(ctx context.Context) error { return nil }
func (s *fakeStore) Close() error                   { return nil }
