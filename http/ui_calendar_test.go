package http

import (
	"bytes"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/tandem-pm/tandem"
)

// TestCalendarPages walks the calendar pages on SQLite: create, bad hours
// (422, input kept), paste holidays (a bad line names itself), remove one,
// a stale form (412), pick the calendar in the project form, and a delete
// refused while a project uses the calendar (409, the project named).
func TestCalendarPages(t *testing.T) {
	f := newPlanFixture(t)
	base := "/w/" + f.ws.Slug
	form := "application/x-www-form-urlencoded"
	post := func(path string, v url.Values, status int) ([]byte, string) {
		t.Helper()
		b, hdr := f.page("POST", base+path, form, strings.NewReader(v.Encode()), status)
		return b, hdr.Get("Location")
	}
	week := url.Values{"name": {"UK office"}, "default": {"1"}, "monday": {"09:00-13:00,14:00-18:00"}, "tuesday": {"09:00-17:00"}}

	html, _ := f.page("GET", base+"/calendars", "", nil, 200)
	if !bytes.Contains(html, []byte("No calendars yet")) {
		t.Errorf("empty list: %.300s", html)
	}
	bad := url.Values{"name": {"Broken"}, "monday": {"9 to 5"}}
	html, _ = post("/calendars", bad, 422)
	if !bytes.Contains(html, []byte("week.monday")) || !bytes.Contains(html, []byte(`value="9 to 5"`)) {
		t.Errorf("bad hours: want the problem and the input kept: %.2000s", html)
	}
	_, loc := post("/calendars", week, 303)
	id := loc[strings.LastIndex(loc, "/")+1:]
	if !tandem.IsID(id) {
		t.Fatalf("create redirects to %q", loc)
	}
	c, err := f.store.FindCalendarByID(t.Context(), f.ws.ID, id)
	if err != nil || !c.Default || c.Week.Tuesday != "09:00-17:00" || c.Week.Friday != "" {
		t.Fatalf("created %+v (%v)", c, err)
	}

	v := func(extra url.Values) url.Values {
		extra.Set("version", "0")
		return extra
	}
	html, _ = post("/calendars/"+id+"/holidays/import", v(url.Values{"holidays": {"2026-12-25 Christmas Day\n26/12/2026 Boxing Day"}}), 422)
	if !bytes.Contains(html, []byte("line 2")) || !bytes.Contains(html, []byte("Boxing Day")) {
		t.Errorf("a bad pasted line: want line 2 named and the text kept: %.2000s", html)
	}
	post("/calendars/"+id+"/holidays/import", v(url.Values{"holidays": {"2026-12-25 Christmas Day\n2026-12-28..2026-12-29 Closed\n2026-12-25 Christmas again"}}), 303)
	post("/calendars/"+id+"/holidays", v(url.Values{"from": {"2026-12-24"}, "name": {"Christmas Eve"}, "hours": {"09:00-12:00"}}), 303)
	c, _ = f.store.FindCalendarByID(t.Context(), f.ws.ID, id)
	if len(c.Exceptions) != 3 || c.Exceptions[1].To.String() != "2026-12-29" || c.Exceptions[2].Hours != "09:00-12:00" {
		t.Fatalf("exceptions after paste and add: %+v", c.Exceptions)
	}
	// The page lists them by date: Christmas Eve (index 2) first.
	html, _ = f.page("GET", base+"/calendars/"+id, "", nil, 200)
	if i, j := bytes.Index(html, []byte("Christmas Eve")), bytes.Index(html, []byte("Christmas Day")); i < 0 || j < 0 || i > j {
		t.Errorf("holidays not in date order")
	}
	post("/calendars/"+id+"/holidays/2/delete", url.Values{"version": {itoa64(c.Version)}}, 303)
	post("/calendars/"+id+"/holidays/0/delete", url.Values{"version": {itoa64(c.Version)}}, 412) // stale
	c, _ = f.store.FindCalendarByID(t.Context(), f.ws.ID, id)
	if len(c.Exceptions) != 2 {
		t.Errorf("after removing one: %+v", c.Exceptions)
	}

	// The project page names the calendar it runs on: here the workspace default.
	html, _ = f.page("GET", base+"/projects/"+f.portal.ID, "", nil, 200)
	if !bytes.Contains(html, []byte("UK office</a> <span class=\"muted\">(workspace default)</span>")) {
		t.Errorf("project page does not name its default calendar")
	}

	// The project form offers the calendar and saves it.
	html, _ = f.page("GET", base+"/projects/"+f.portal.ID+"/edit", "", nil, 200)
	if !bytes.Contains(html, []byte(`name="calendar_id"`)) || !bytes.Contains(html, []byte("The workspace default (UK office)")) {
		t.Errorf("project form without the calendar picker")
	}
	p, _ := f.store.FindProjectByID(t.Context(), f.ws.ID, f.portal.ID)
	post("/projects/"+f.portal.ID+"/edit", url.Values{"version": {itoa64(p.Version)}, "name": {p.Name}, "status": {p.Status}, "health": {p.Health},
		"program_id": {p.ProgramID}, "start_date": {p.StartDate.String()}, "end_date": {p.EndDate.String()}, "calendar_id": {id}}, 303)
	if p, _ = f.store.FindProjectByID(t.Context(), f.ws.ID, f.portal.ID); p.CalendarID != id {
		t.Errorf("project calendar_id = %q, want %q", p.CalendarID, id)
	}
	html, _ = post("/calendars/"+id+"/delete", url.Values{}, 409)
	if !bytes.Contains(html, []byte("Customer portal")) {
		t.Errorf("the 409 page should name the project: %.2000s", html)
	}
}

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }
