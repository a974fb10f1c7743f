package http

import (
	"context"
	"slices"
	"sync"

	"github.com/tandem-pm/tandem"
)

// Baselines and imports for the fake store, so that it stays a tandem.Store.
// The scheduling tests themselves run on SQLite (api_schedule_test.go).

type fakeBaselines struct {
	list []*tandem.Baseline
}

var (
	fakeBaselineMu    sync.Mutex
	fakeBaselineStore = map[*fakeStore]*fakeBaselines{}
)

// baselines returns s's baselines; the fake's own struct belongs to the ui
// tests, so they live beside it.
func (s *fakeStore) baselines() *fakeBaselines {
	fakeBaselineMu.Lock()
	defer fakeBaselineMu.Unlock()
	b, ok := fakeBaselineStore[s]
	if !ok {
		b = &fakeBaselines{}
		fakeBaselineStore[s] = b
	}
	return b
}

func (s *fakeStore) CreateBaseline(ctx context.Context, ws string, b *tandem.Baseline) error {
	if err := b.Validate(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := fakeFind(s.projects, func(x *tandem.Project) bool { return x.WorkspaceID == ws && x.ID == b.ProjectID }); !ok {
		return tandem.Errorf(tandem.EInvalid, "The project is not in this workspace.")
	}
	b.Meta = s.meta(ws)
	c := *b
	c.Items = slices.Clone(b.Items)
	s.baselines().list = append(s.baselines().list, &c)
	s.log(ctx, ws, tandem.EntityBaseline, b.ID, tandem.ActionCreate, b.Name, nil, nil)
	return nil
}

func (s *fakeStore) FindBaselineByID(ctx context.Context, ws, id string) (*tandem.Baseline, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, ok := fakeFind(s.baselines().list, func(b *tandem.Baseline) bool { return b.WorkspaceID == ws && b.ID == id })
	if !ok {
		return nil, fakeNotFound("Baseline")
	}
	c := *b
	c.Items = slices.Clone(b.Items)
	return &c, nil
}

func (s *fakeStore) FindBaselines(ctx context.Context, ws, projectID string) ([]*tandem.Baseline, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []*tandem.Baseline{}
	for i := len(s.baselines().list) - 1; i >= 0; i-- {
		if b := s.baselines().list[i]; b.WorkspaceID == ws && b.ProjectID == projectID {
			c := *b
			c.Items = nil
			out = append(out, &c)
		}
	}
	return out, nil
}

func (s *fakeStore) DeleteBaseline(ctx context.Context, ws, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	bl := s.baselines()
	i := slices.IndexFunc(bl.list, func(b *tandem.Baseline) bool { return b.WorkspaceID == ws && b.ID == id })
	if i < 0 {
		return fakeNotFound("Baseline")
	}
	bl.list = slices.Delete(bl.list, i, i+1)
	return nil
}

func (s *fakeStore) ImportProject(ctx context.Context, ws string, imp *tandem.ProjectImport) error {
	p := imp.Project
	if imp.Calendar != nil {
		if err := s.CreateCalendar(ctx, ws, imp.Calendar); err != nil {
			return err
		}
		p.CalendarID = imp.Calendar.ID
	}
	s.mu.Lock()
	m := s.meta(ws)
	p.WorkspaceID, p.Version, p.CreatedAt, p.UpdatedAt = ws, 1, m.CreatedAt, m.UpdatedAt
	s.projects = append(s.projects, p)
	for _, it := range imp.Items {
		it.WorkspaceID, it.Version, it.CreatedAt, it.UpdatedAt = ws, 1, m.CreatedAt, m.UpdatedAt
		s.items = append(s.items, it)
	}
	for _, d := range imp.Dependencies {
		d.WorkspaceID, d.Version, d.CreatedAt, d.UpdatedAt = ws, 1, m.CreatedAt, m.UpdatedAt
		s.deps = append(s.deps, d)
	}
	s.mu.Unlock()
	for _, b := range imp.Baselines {
		b.ProjectID = p.ID
		if err := s.CreateBaseline(ctx, ws, b); err != nil {
			return err
		}
	}
	return nil
}
