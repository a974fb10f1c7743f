package http

import (
	"context"

	"github.com/tandem-pm/tandem"
)

// calendarEndpoints are the working calendars of a workspace: the usual
// five operations; everyone reads them, managers and above change them
// (a calendar moves the schedule of every project on it).
func (s *Server) calendarEndpoints() []endpoint {
	type st = tandem.Store
	return resource[tandem.Calendar, tandem.CalendarUpdate, tandem.CalendarFilter]{
		Path: "calendars", Name: "calendar", Edit: tandem.PermEditAll, ReadOnly: []string{"hours_per_day"},
		Find: st.FindCalendarByID, List: st.FindCalendars, Create: st.CreateCalendar, Update: st.UpdateCalendar, Delete: st.DeleteCalendar,
		s: s,
	}.endpoints()
}

// projectCalendar returns the calendar project p is scheduled on: its own,
// else the workspace's default, else nil (Monday to Friday, 8 hours a day).
func (s *Server) projectCalendar(ctx context.Context, ws string, p *tandem.Project) (*tandem.Calendar, error) {
	if p.CalendarID != "" {
		return s.Store.FindCalendarByID(ctx, ws, p.CalendarID)
	}
	c, err := s.Store.FindDefaultCalendar(ctx, ws)
	if tandem.ErrorCode(err) == tandem.ENotFound {
		return nil, nil
	}
	return c, err
}
