package storetest

import (
	"strings"
	"testing"

	"github.com/tandem-pm/tandem"
)

func testCalendars(t *testing.T, open Opener) {
	f := newFixture(t, open)
	s, ctx, ws := f.s, f.ctx, f.ws

	_, err := s.FindDefaultCalendar(ctx, ws)
	wantCode(t, err, tandem.ENotFound)

	week := tandem.StandardWeek()
	week.Friday = " 09:00-13:00 "
	bank := &tandem.Calendar{Name: " Bank holidays ", Week: week, Default: true, Exceptions: []tandem.CalendarException{
		{Name: "Christmas Day", From: day(2026, 12, 25)},
		{Name: "Short day", From: day(2026, 12, 24), To: day(2026, 12, 24), Hours: "09:00-12:00"},
	}}
	must(t, s.CreateCalendar(ctx, ws, bank))
	if !tandem.IsID(bank.ID) || bank.Version != 1 || bank.Name != "Bank holidays" || bank.Week.Friday != "09:00-13:00" {
		t.Fatalf("CreateCalendar: got %+v", bank)
	}
	// (4 days of 8 hours + 4 hours) / 5 days = 7.2 hours.
	if bank.HoursPerDay != 7.2 {
		t.Errorf("HoursPerDay = %v, want 7.2", bank.HoursPerDay)
	}
	if bank.Exceptions[0].To != day(2026, 12, 25) {
		t.Errorf("an exception without an end lasts its one day: got to = %v", bank.Exceptions[0].To)
	}
	got, err := s.FindCalendarByID(ctx, ws, bank.ID)
	must(t, err)
	if got.Name != bank.Name || !got.Default || got.Week != bank.Week || len(got.Exceptions) != 2 || got.Exceptions[1] != bank.Exceptions[1] || got.HoursPerDay != 7.2 {
		t.Errorf("FindCalendarByID:\n got %+v\nwant %+v", got, bank)
	}
	def, err := s.FindDefaultCalendar(ctx, ws)
	must(t, err)
	if def.ID != bank.ID {
		t.Errorf("FindDefaultCalendar = %s, want %s", def.ID, bank.ID)
	}
	_, err = s.FindCalendarByID(f.otherCtx(), f.other, bank.ID)
	wantCode(t, err, tandem.ENotFound)

	// A second default takes over; the first one's version moves.
	shifts := &tandem.Calendar{Name: "Shifts", Default: true, Week: tandem.WorkWeek{Saturday: "06:00-14:00", Sunday: "06:00-14:00"}}
	must(t, s.CreateCalendar(ctx, ws, shifts))
	old, err := s.FindCalendarByID(ctx, ws, bank.ID)
	must(t, err)
	if old.Default || old.Version != 2 {
		t.Errorf("former default: default=%v version=%d, want false and 2", old.Default, old.Version)
	}
	def, err = s.FindDefaultCalendar(ctx, ws)
	must(t, err)
	if def.ID != shifts.ID {
		t.Errorf("FindDefaultCalendar = %s, want the new default %s", def.ID, shifts.ID)
	}

	list, next, err := s.FindCalendars(ctx, ws, tandem.CalendarFilter{Page: tandem.Page{Limit: 1}})
	must(t, err)
	if len(list) != 1 || list[0].ID != bank.ID || next == "" {
		t.Fatalf("FindCalendars page 1: got %d, next %q", len(list), next)
	}
	list, next, err = s.FindCalendars(ctx, ws, tandem.CalendarFilter{Page: tandem.Page{Limit: 1, Cursor: next}})
	must(t, err)
	if len(list) != 1 || list[0].ID != shifts.ID || next != "" {
		t.Fatalf("FindCalendars page 2: got %d, next %q", len(list), next)
	}
	list, _, err = s.FindCalendars(ctx, ws, tandem.CalendarFilter{Q: "bank"})
	must(t, err)
	if len(list) != 1 || list[0].ID != bank.ID {
		t.Errorf("FindCalendars q=bank: got %d", len(list))
	}
	list, _, err = s.FindCalendars(f.otherCtx(), f.other, tandem.CalendarFilter{})
	must(t, err)
	if len(list) != 0 {
		t.Errorf("another workspace sees %d calendars", len(list))
	}

	for _, tt := range []struct {
		name  string
		c     tandem.Calendar
		field string
	}{
		{"no name", tandem.Calendar{Week: tandem.StandardWeek()}, "name"},
		{"no working day", tandem.Calendar{Name: "X"}, "week"},
		{"bad hours", tandem.Calendar{Name: "X", Week: tandem.WorkWeek{Monday: "9-5"}}, "week.monday"},
		{"overlapping hours", tandem.Calendar{Name: "X", Week: tandem.WorkWeek{Monday: "09:00-13:00,12:00-14:00"}}, "week.monday"},
		{"exception without date", tandem.Calendar{Name: "X", Week: tandem.StandardWeek(), Exceptions: []tandem.CalendarException{{Name: "Y"}}}, "exceptions[0].from"},
		{"exception without name", tandem.Calendar{Name: "X", Week: tandem.StandardWeek(), Exceptions: []tandem.CalendarException{{From: day(2026, 1, 1)}}}, "exceptions[0].name"},
		{"exception backwards", tandem.Calendar{Name: "X", Week: tandem.StandardWeek(), Exceptions: []tandem.CalendarException{{Name: "Y", From: day(2026, 1, 2), To: day(2026, 1, 1)}}}, "exceptions[0].to"},
		{"exception bad hours", tandem.Calendar{Name: "X", Week: tandem.StandardWeek(), Exceptions: []tandem.CalendarException{{Name: "Y", From: day(2026, 1, 2), Hours: "25:00-26:00"}}}, "exceptions[0].hours"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := tt.c
			wantField(t, s.CreateCalendar(ctx, ws, &c), tt.field)
		})
	}

	// Update: a merge of the week, a new exception list; stale versions are refused.
	exc := append(got.Exceptions, tandem.CalendarException{Name: "Boxing Day", From: day(2026, 12, 26), To: day(2026, 12, 28)})
	upd, err := s.UpdateCalendar(ctx, ws, bank.ID, tandem.CalendarUpdate{Name: ptr("UK bank holidays"), Exceptions: &exc}, old.Version)
	must(t, err)
	if upd.Version != 3 || upd.Name != "UK bank holidays" || len(upd.Exceptions) != 3 || upd.Default {
		t.Errorf("UpdateCalendar: got %+v", upd)
	}
	_, err = s.UpdateCalendar(ctx, ws, bank.ID, tandem.CalendarUpdate{Name: ptr("Again")}, 2)
	wantCode(t, err, tandem.EStale)
	_, err = s.UpdateCalendar(ctx, ws, bank.ID, tandem.CalendarUpdate{Week: &tandem.WorkWeek{}}, 0)
	wantField(t, err, "week")
	upd, err = s.UpdateCalendar(ctx, ws, bank.ID, tandem.CalendarUpdate{Default: ptr(true)}, 0)
	must(t, err)
	if !upd.Default {
		t.Errorf("UpdateCalendar default: not the default")
	}
	if sh, err := s.FindCalendarByID(ctx, ws, shifts.ID); err != nil || sh.Default {
		t.Errorf("making another calendar the default leaves the former one default (%v)", err)
	}

	// Projects refer to calendars of their own workspace only.
	pr := &tandem.Project{Name: "Portal", CalendarID: shifts.ID}
	must(t, s.CreateProject(ctx, ws, pr))
	if pr2, err := s.FindProjectByID(ctx, ws, pr.ID); err != nil || pr2.CalendarID != shifts.ID {
		t.Fatalf("project calendar_id: got %+v (%v)", pr2, err)
	}
	otherCal := &tandem.Calendar{Name: "Theirs", Week: tandem.StandardWeek()}
	must(t, s.CreateCalendar(f.otherCtx(), f.other, otherCal))
	wantField(t, s.CreateProject(ctx, ws, &tandem.Project{Name: "X", CalendarID: otherCal.ID}), "calendar_id")
	_, err = s.UpdateProject(ctx, ws, pr.ID, tandem.ProjectUpdate{CalendarID: ptr(otherCal.ID)}, 0)
	wantField(t, err, "calendar_id")

	// A calendar in use cannot be deleted, nor the default while a project has no calendar.
	err = s.DeleteCalendar(ctx, ws, shifts.ID)
	wantCode(t, err, tandem.EConflict)
	if !strings.Contains(tandem.ErrorMessage(err), "Portal") {
		t.Errorf("the conflict should name the project: %q", tandem.ErrorMessage(err))
	}
	plain := &tandem.Project{Name: "Data platform"}
	must(t, s.CreateProject(ctx, ws, plain))
	err = s.DeleteCalendar(ctx, ws, bank.ID)
	wantCode(t, err, tandem.EConflict)
	if !strings.Contains(tandem.ErrorMessage(err), "Data platform") {
		t.Errorf("the conflict should name the project without a calendar: %q", tandem.ErrorMessage(err))
	}
	_, err = s.UpdateProject(ctx, ws, pr.ID, tandem.ProjectUpdate{CalendarID: ptr("")}, 0)
	must(t, err)
	must(t, s.DeleteCalendar(ctx, ws, shifts.ID))
	_, err = s.FindCalendarByID(ctx, ws, shifts.ID)
	wantCode(t, err, tandem.ENotFound)
	wantCode(t, s.DeleteCalendar(f.otherCtx(), f.other, bank.ID), tandem.ENotFound)

	acts, _, err := s.FindActivity(ctx, ws, tandem.ActivityFilter{EntityType: tandem.EntityCalendar, EntityID: shifts.ID})
	must(t, err)
	var actions []string
	for _, a := range acts {
		actions = append(actions, a.Action)
	}
	if strings.Join(actions, ",") != "delete,update,create" {
		t.Errorf("activity of a calendar, newest first: got %v", actions)
	}
}
