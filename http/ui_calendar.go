package http

import (
	"context"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/tandem-pm/tandem"
)

// calendarUIRoutes are the pages of working calendars: a list with a
// create form, and one page per calendar to edit its week, add holidays
// one by one or pasted as a list, and delete it.
func (s *Server) calendarUIRoutes() []route {
	return []route{
		{Method: "GET", Pattern: "/w/{ws}/calendars", Perm: tandem.PermRead, UI: true, Handle: s.handleCalendarList},
		{Method: "POST", Pattern: "/w/{ws}/calendars", Perm: tandem.PermEditAll, UI: true, Handle: s.handleCalendarCreate},
		{Method: "GET", Pattern: "/w/{ws}/calendars/{id}", Perm: tandem.PermRead, UI: true, Handle: s.handleCalendarView},
		{Method: "POST", Pattern: "/w/{ws}/calendars/{id}", Perm: tandem.PermEditAll, UI: true, Handle: s.handleCalendarSave},
		{Method: "POST", Pattern: "/w/{ws}/calendars/{id}/holidays", Perm: tandem.PermEditAll, UI: true, Handle: s.handleCalendarHolidayAdd},
		{Method: "POST", Pattern: "/w/{ws}/calendars/{id}/holidays/import", Perm: tandem.PermEditAll, UI: true, Handle: s.handleCalendarHolidayImport},
		{Method: "POST", Pattern: "/w/{ws}/calendars/{id}/holidays/{n}/delete", Perm: tandem.PermEditAll, UI: true, Handle: s.handleCalendarHolidayDelete},
		{Method: "POST", Pattern: "/w/{ws}/calendars/{id}/delete", Perm: tandem.PermEditAll, UI: true, Handle: s.handleCalendarDelete},
	}
}

// weekdays in the order the forms show them.
var weekdays = []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday, time.Sunday}

type weekdayField struct {
	Name, Label, Hours string
}

func weekFields(w tandem.WorkWeek) []weekdayField {
	out := make([]weekdayField, len(weekdays))
	for i, wd := range weekdays {
		out[i] = weekdayField{Name: strings.ToLower(wd.String()), Label: wd.String(), Hours: w.Day(wd)}
	}
	return out
}

func weekFromForm(v url.Values) tandem.WorkWeek {
	var w tandem.WorkWeek
	for _, wd := range weekdays {
		w.SetDay(wd, strings.TrimSpace(v.Get(strings.ToLower(wd.String()))))
	}
	return w
}

type calendarListData struct {
	Calendars []*tandem.Calendar
	Week      []weekdayField // of the create form
	Name      string
	Error     string
	Problems  []string
}

type calendarRow struct {
	Index int
	tandem.CalendarException
}

type calendarData struct {
	Calendar   *tandem.Calendar
	Week       []weekdayField
	Exceptions []calendarRow // by date
	Projects   []*tandem.Project
	Error      string
	Problems   []string
	Paste      string
}

func problemTexts(err error) []string {
	e := domainErr(err)
	if e == nil {
		return nil
	}
	out := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		out[i] = f.Field + ": " + f.Message
	}
	return out
}

func (s *Server) handleCalendarList(w http.ResponseWriter, r *http.Request, rq *request) error {
	cals, err := allPages("calendars", func(c string) ([]*tandem.Calendar, string, error) {
		return s.Store.FindCalendars(r.Context(), rq.Workspace.ID, tandem.CalendarFilter{Page: tandem.Page{Limit: tandem.MaxLimit, Cursor: c}})
	})
	if err != nil {
		return err
	}
	return s.renderPage(w, r, rq, "calendars", "Calendars", "calendars", &calendarListData{Calendars: cals, Week: weekFields(tandem.StandardWeek())})
}

func (s *Server) handleCalendarCreate(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := parseUIForm(w, r); err != nil {
		return err
	}
	c := &tandem.Calendar{Name: r.PostForm.Get("name"), Default: r.PostForm.Get("default") != "", Week: weekFromForm(r.PostForm)}
	err := s.Store.CreateCalendar(r.Context(), rq.Workspace.ID, c)
	if err == nil {
		return s.seeOtherWith(w, r, "/w/"+url.PathEscape(rq.Workspace.Slug)+"/calendars/"+c.ID, "Calendar created.")
	}
	if tandem.ErrorCode(err) != tandem.EInvalid {
		return err
	}
	cals, _, ferr := s.Store.FindCalendars(r.Context(), rq.Workspace.ID, tandem.CalendarFilter{Page: tandem.Page{Limit: tandem.MaxLimit}})
	if ferr != nil {
		return ferr
	}
	d := &calendarListData{Calendars: cals, Week: weekFields(c.Week), Name: c.Name, Error: tandem.ErrorMessage(err), Problems: problemTexts(err)}
	p, perr := s.newPage(r, rq, "Calendars", "calendars", d)
	if perr != nil {
		return perr
	}
	return s.render(w, http.StatusUnprocessableEntity, "calendars", p)
}

func (s *Server) calendarData(ctx context.Context, ws string, c *tandem.Calendar) (*calendarData, error) {
	d := &calendarData{Calendar: c, Week: weekFields(c.Week)}
	for i, e := range c.Exceptions {
		d.Exceptions = append(d.Exceptions, calendarRow{Index: i, CalendarException: e})
	}
	sort.SliceStable(d.Exceptions, func(i, j int) bool { return d.Exceptions[i].From.Before(d.Exceptions[j].From) })
	projects, err := allPages("projects", func(cur string) ([]*tandem.Project, string, error) {
		return s.Store.FindProjects(ctx, ws, tandem.ProjectFilter{Page: tandem.Page{Limit: tandem.MaxLimit, Cursor: cur}})
	})
	if err != nil {
		return nil, err
	}
	for _, p := range projects {
		if p.CalendarID == c.ID || (p.CalendarID == "" && c.Default) {
			d.Projects = append(d.Projects, p)
		}
	}
	return d, nil
}

func (s *Server) handleCalendarView(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := pathID(r, "id", "calendar")
	if err != nil {
		return err
	}
	c, err := s.Store.FindCalendarByID(r.Context(), rq.Workspace.ID, id)
	if err != nil {
		return err
	}
	d, err := s.calendarData(r.Context(), rq.Workspace.ID, c)
	if err != nil {
		return err
	}
	return s.renderPage(w, r, rq, "calendar", c.Name, "calendars", d)
}

// changeCalendar applies a change made on a calendar's page: 303 back to
// the page on success; the page with the problem (422, 409 or 412)
// otherwise, keeping what the user typed in paste.
func (s *Server) changeCalendar(w http.ResponseWriter, r *http.Request, rq *request, msg string,
	change func(c *tandem.Calendar) (tandem.CalendarUpdate, error)) error {
	id, err := pathID(r, "id", "calendar")
	if err != nil {
		return err
	}
	if err := parseUIForm(w, r); err != nil {
		return err
	}
	ctx, ws := r.Context(), rq.Workspace.ID
	c, err := s.Store.FindCalendarByID(ctx, ws, id)
	if err != nil {
		return err
	}
	version, _ := strconv.ParseInt(r.PostForm.Get("version"), 10, 64)
	upd, err := change(c)
	if err == nil {
		_, err = s.Store.UpdateCalendar(ctx, ws, id, upd, version)
	}
	if err == nil {
		return s.seeOtherWith(w, r, "/w/"+url.PathEscape(rq.Workspace.Slug)+"/calendars/"+id, msg)
	}
	code := tandem.ErrorCode(err)
	if code != tandem.EInvalid && code != tandem.EStale {
		return err
	}
	if code == tandem.EStale {
		if c, err = s.Store.FindCalendarByID(ctx, ws, id); err != nil {
			return err
		}
	}
	d, derr := s.calendarData(ctx, ws, c)
	if derr != nil {
		return derr
	}
	d.Error, d.Problems, d.Paste = tandem.ErrorMessage(err), problemTexts(err), r.PostForm.Get("holidays")
	if code == tandem.EStale {
		d.Error = "Someone changed this calendar while you were editing it. This is the latest version; make your change again."
	}
	p, perr := s.newPage(r, rq, c.Name, "calendars", d)
	if perr != nil {
		return perr
	}
	return s.render(w, statusOf(code), "calendar", p)
}

func (s *Server) handleCalendarSave(w http.ResponseWriter, r *http.Request, rq *request) error {
	return s.changeCalendar(w, r, rq, "Calendar saved.", func(c *tandem.Calendar) (tandem.CalendarUpdate, error) {
		name, week, def := r.PostForm.Get("name"), weekFromForm(r.PostForm), r.PostForm.Get("default") != ""
		return tandem.CalendarUpdate{Name: &name, Week: &week, Default: &def}, nil
	})
}

func (s *Server) handleCalendarHolidayAdd(w http.ResponseWriter, r *http.Request, rq *request) error {
	return s.changeCalendar(w, r, rq, "Holiday added.", func(c *tandem.Calendar) (tandem.CalendarUpdate, error) {
		f := &formReader{v: r.PostForm}
		e := tandem.CalendarException{Name: f.str("name"), From: f.date("from"), To: f.date("to"), Hours: f.str("hours")}
		if err := f.p.Err("holiday"); err != nil {
			return tandem.CalendarUpdate{}, err
		}
		exc := append(c.Exceptions, e)
		return tandem.CalendarUpdate{Exceptions: &exc}, nil
	})
}

func (s *Server) handleCalendarHolidayImport(w http.ResponseWriter, r *http.Request, rq *request) error {
	n := 0
	return s.changeCalendar(w, r, rq, "Holidays imported.", func(c *tandem.Calendar) (tandem.CalendarUpdate, error) {
		hs, err := tandem.ParseHolidays(r.PostForm.Get("holidays"))
		if err != nil {
			return tandem.CalendarUpdate{}, err
		}
		// A date already listed is not added twice.
		have := map[tandem.Date]bool{}
		for _, e := range c.Exceptions {
			have[e.From] = true
		}
		exc := c.Exceptions
		for _, h := range hs {
			if !have[h.From] {
				exc = append(exc, h)
				have[h.From] = true
				n++
			}
		}
		if n == 0 {
			return tandem.CalendarUpdate{}, tandem.Errorf(tandem.EInvalid, "No new holidays: paste lines like “2026-12-25 Christmas Day”.")
		}
		return tandem.CalendarUpdate{Exceptions: &exc}, nil
	})
}

func (s *Server) handleCalendarHolidayDelete(w http.ResponseWriter, r *http.Request, rq *request) error {
	return s.changeCalendar(w, r, rq, "Holiday removed.", func(c *tandem.Calendar) (tandem.CalendarUpdate, error) {
		i, err := strconv.Atoi(r.PathValue("n"))
		if err != nil || i < 0 || i >= len(c.Exceptions) {
			return tandem.CalendarUpdate{}, tandem.Errorf(tandem.EStale, "That holiday is gone already.")
		}
		exc := append(append([]tandem.CalendarException{}, c.Exceptions[:i]...), c.Exceptions[i+1:]...)
		return tandem.CalendarUpdate{Exceptions: &exc}, nil
	})
}

func (s *Server) handleCalendarDelete(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := pathID(r, "id", "calendar")
	if err != nil {
		return err
	}
	err = s.Store.DeleteCalendar(r.Context(), rq.Workspace.ID, id)
	if err == nil {
		return s.seeOtherWith(w, r, "/w/"+url.PathEscape(rq.Workspace.Slug)+"/calendars", "Calendar deleted.")
	}
	if tandem.ErrorCode(err) != tandem.EConflict {
		return err
	}
	c, ferr := s.Store.FindCalendarByID(r.Context(), rq.Workspace.ID, id)
	if ferr != nil {
		return ferr
	}
	d, derr := s.calendarData(r.Context(), rq.Workspace.ID, c)
	if derr != nil {
		return derr
	}
	d.Error = tandem.ErrorMessage(err)
	p, perr := s.newPage(r, rq, c.Name, "calendars", d)
	if perr != nil {
		return perr
	}
	return s.render(w, http.StatusConflict, "calendar", p)
}

// calendarOptions lists the workspace's calendars for a project's form;
// the empty choice is the workspace default.
func (s *Server) calendarOptions(ctx context.Context, ws string) ([]option, error) {
	cals, _, err := s.Store.FindCalendars(ctx, ws, tandem.CalendarFilter{Page: tandem.Page{Limit: tandem.MaxLimit}})
	if err != nil {
		return nil, err
	}
	empty := "Monday to Friday, 8 hours (no calendar)"
	for _, c := range cals {
		if c.Default {
			empty = "The workspace default (" + c.Name + ")"
		}
	}
	opts := []option{{"", empty}}
	for _, c := range cals {
		opts = append(opts, option{c.ID, c.Name})
	}
	return opts, nil
}
