package client_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/tandem-pm/tandem"
)

func TestCalendarsEndToEndSQLite(t *testing.T) { testCalendarsEndToEnd(t, sqliteBackend(t)) }

// TestCalendarsEndToEndPostgres runs it on PostgreSQL.
func TestCalendarsEndToEndPostgres(t *testing.T) { testCalendarsEndToEnd(t, postgresBackend(t)) }

// testCalendarsEndToEnd drives the calendars resource through the client:
// create, the default, a merge patch of the week, stale versions, a
// project on a calendar and the 409 when deleting a calendar in use.
func testCalendarsEndToEnd(t *testing.T, open backend) {
	ctx := context.Background()
	st := open(t)
	e := startAsOwner(t, st, "Program Manager")
	defer e.stop(t)
	c := e.client
	ws := &tandem.Workspace{Slug: "acme", Name: "Acme Bank"}
	must(t, c.CreateWorkspace(ctx, ws))

	_, err := c.FindDefaultCalendar(ctx, "acme")
	if tandem.ErrorCode(err) != tandem.ENotFound {
		t.Fatalf("FindDefaultCalendar of a workspace without calendars: %v, want not found", err)
	}
	cal := &tandem.Calendar{Name: "UK", Default: true, Week: tandem.StandardWeek(),
		Exceptions: []tandem.CalendarException{{Name: "Christmas Day", From: tandem.Date{Year: 2026, Month: 12, Day: 25}}}}
	must(t, c.CreateCalendar(ctx, "acme", cal))
	if cal.ID == "" || cal.Version != 1 || cal.HoursPerDay != 8 || cal.Exceptions[0].To != cal.Exceptions[0].From {
		t.Fatalf("CreateCalendar: got %+v", cal)
	}
	def, err := c.FindDefaultCalendar(ctx, "acme")
	must(t, err)
	if def.ID != cal.ID {
		t.Errorf("FindDefaultCalendar = %s, want %s", def.ID, cal.ID)
	}
	// A merge patch of one weekday keeps the others.
	upd, err := c.PatchCalendar(ctx, "acme", cal.ID, map[string]any{"week": map[string]any{"friday": "09:00-13:00"}}, cal.Version)
	must(t, err)
	if upd.Week.Friday != "09:00-13:00" || upd.Week.Monday != "09:00-13:00,14:00-18:00" || upd.HoursPerDay != 7.2 {
		t.Errorf("patch friday: got week %+v, %v hours a day", upd.Week, upd.HoursPerDay)
	}
	_, err = c.UpdateCalendar(ctx, "acme", cal.ID, tandem.CalendarUpdate{Name: ptr("Old")}, cal.Version)
	wantStatus(t, "stale update", err, http.StatusPreconditionFailed, tandem.EStale)
	ce := wantStatus(t, "bad hours", c.CreateCalendar(ctx, "acme", &tandem.Calendar{Name: "X", Week: tandem.WorkWeek{Monday: "9 to 5"}}),
		http.StatusUnprocessableEntity, tandem.EInvalid)
	if !hasField(ce, "week.monday") {
		t.Errorf("bad hours: fields %+v, want week.monday", ce.Fields)
	}

	pr := &tandem.Project{Name: "Portal", CalendarID: cal.ID}
	must(t, c.CreateProject(ctx, "acme", pr))
	ce = wantStatus(t, "delete in use", c.DeleteCalendar(ctx, "acme", cal.ID), http.StatusConflict, tandem.EConflict)
	if ce.Detail == "" {
		t.Errorf("the 409 should say why")
	}
	must(t, c.DeleteProject(ctx, "acme", pr.ID))
	must(t, c.DeleteCalendar(ctx, "acme", cal.ID))
	list, _, err := c.FindCalendars(ctx, "acme", tandem.CalendarFilter{})
	must(t, err)
	if len(list) != 0 {
		t.Errorf("after delete: %d calendars", len(list))
	}
}

func ptr[T any](v T) *T { return &v }
