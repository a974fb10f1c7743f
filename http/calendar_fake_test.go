package http

import (
	"context"
	"sync"
	"time"

	"github.com/tandem-pm/tandem"
)

// fakeCalendars keeps calendars in memory for fakeStore. It does not check
// whether projects use a calendar: that is storetest's business.
type fakeCalendars struct {
	calMu sync.Mutex
	cals  []*tandem.Calendar
}

func (s *fakeCalendars) find(ws, id string) *tandem.Calendar {
	for _, c := range s.cals {
		if c.WorkspaceID == ws && c.ID == id {
			return c
		}
	}
	return nil
}

func (s *fakeCalendars) FindCalendarByID(_ context.Context, ws, id string) (*tandem.Calendar, error) {
	s.calMu.Lock()
	defer s.calMu.Unlock()
	if c := s.find(ws, id); c != nil {
		cp := *c
		return &cp, nil
	}
	return nil, fakeNotFound("Calendar")
}

func (s *fakeCalendars) FindCalendars(_ context.Context, ws string, f tandem.CalendarFilter) ([]*tandem.Calendar, string, error) {
	s.calMu.Lock()
	defer s.calMu.Unlock()
	xs, next := fakePage(fakeFilter(s.cals, func(c *tandem.Calendar) bool { return c.WorkspaceID == ws }), f.Page)
	if xs == nil {
		xs = []*tandem.Calendar{}
	}
	return xs, next, nil
}

func (s *fakeCalendars) FindDefaultCalendar(_ context.Context, ws string) (*tandem.Calendar, error) {
	s.calMu.Lock()
	defer s.calMu.Unlock()
	for _, c := range s.cals {
		if c.WorkspaceID == ws && c.Default {
			cp := *c
			return &cp, nil
		}
	}
	return nil, fakeNotFound("Default calendar")
}

func (s *fakeCalendars) CreateCalendar(_ context.Context, ws string, c *tandem.Calendar) error {
	c.Derive()
	if err := c.Validate(); err != nil {
		return err
	}
	s.calMu.Lock()
	defer s.calMu.Unlock()
	now := time.Now().UTC()
	c.Meta = tandem.Meta{ID: tandem.NewID(), WorkspaceID: ws, Version: 1, CreatedAt: now, UpdatedAt: now}
	if c.Default {
		for _, o := range s.cals {
			if o.WorkspaceID == ws {
				o.Default = false
			}
		}
	}
	cp := *c
	s.cals = append(s.cals, &cp)
	return nil
}

func (s *fakeCalendars) UpdateCalendar(_ context.Context, ws, id string, upd tandem.CalendarUpdate, version int64) (*tandem.Calendar, error) {
	s.calMu.Lock()
	defer s.calMu.Unlock()
	c := s.find(ws, id)
	if c == nil {
		return nil, fakeNotFound("Calendar")
	}
	if version != 0 && version != c.Version {
		return nil, tandem.Errorf(tandem.EStale, "Stale.")
	}
	x := *c
	upd.Apply(&x)
	x.Derive()
	if err := x.Validate(); err != nil {
		return nil, err
	}
	if x.Default {
		for _, o := range s.cals {
			if o.WorkspaceID == ws {
				o.Default = false
			}
		}
	}
	x.Version++
	*c = x
	return &x, nil
}

func (s *fakeCalendars) DeleteCalendar(_ context.Context, ws, id string) error {
	s.calMu.Lock()
	defer s.calMu.Unlock()
	for i, c := range s.cals {
		if c.WorkspaceID == ws && c.ID == id {
			s.cals = append(s.cals[:i], s.cals[i+1:]...)
			return nil
		}
	}
	return fakeNotFound("Calendar")
}
