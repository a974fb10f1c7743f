package http

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/tandem-pm/tandem"
)

// TestCalendarInBrowser creates a workspace calendar in Chromium, makes it
// the default, pastes a public holiday into it and checks that the Gantt
// chart of a project moves its work past the holiday and names the calendar.
func TestCalendarInBrowser(t *testing.T) {
	ctx, problems := browser(t)
	f := newPlanFixture(t)
	base := f.srv.URL()
	run, fail := browserSteps(t, ctx)
	text := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			fail("read "+sel, err)
		}
		return s
	}
	barStart := func() string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('#gantt-board g.task[data-id="`+f.b.ID+`"]').getAttribute("data-start")`))
		if err != nil {
			fail("read data-start", err)
		}
		return strings.TrimSpace(s)
	}
	gantt := base + "/w/" + f.ws.Slug + "/projects/" + f.portal.ID + "/gantt?zoom=days&status_date=2026-01-01"
	run("sign in", browserSignIn(base+"/signin", f.owner.Email, "correct horse battery")...)
	// Portal build runs Mon 12 to Wed 14 January on the built-in calendar.
	run("open the Gantt chart", chromedp.Navigate(gantt), chromedp.WaitVisible(chromedp.CSS(`#schedule-calendar`)))
	if got := barStart(); got != "2026-01-12" {
		t.Fatalf("before the calendar, Portal build starts %s, want 2026-01-12", got)
	}
	run("create a default calendar",
		chromedp.Navigate(base+"/w/"+f.ws.Slug+"/calendars"),
		chromedp.WaitVisible(chromedp.CSS(`#cal-name`)),
		chromedp.SendKeys(chromedp.CSS(`#cal-name`), "UK office"),
		chromedp.Click(chromedp.CSS(`input[name=default]`)),
		chromedp.Click(chromedp.CSS(`form[action$="/calendars"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`#hol-paste`)),
	)
	run("paste a holiday",
		chromedp.SendKeys(chromedp.CSS(`#hol-paste`), "2026-01-12 Staff training day\n"),
		chromedp.Click(chromedp.CSS(`form[action$="/holidays/import"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`#holidays`)),
	)
	if got := text(`#holidays tbody`); !strings.Contains(got, "Staff training day") {
		t.Errorf("holidays table: %q", got)
	}
	if dir := os.Getenv("TANDEM_SCREENSHOTS"); dir != "" {
		if buf, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)); err == nil {
			os.WriteFile(filepath.Join(dir, "calendar.png"), buf, 0o644)
		}
	}
	run("open the Gantt chart again", chromedp.Navigate(gantt), chromedp.WaitVisible(chromedp.CSS(`#schedule-calendar`)))
	// Monday 12 is off: the design ends Friday 9 and the build starts Tuesday 13.
	if got := barStart(); got != "2026-01-13" {
		t.Errorf("with the holiday, Portal build starts %s, want 2026-01-13", got)
	}
	if dir := os.Getenv("TANDEM_SCREENSHOTS"); dir != "" {
		if buf, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)); err == nil {
			os.WriteFile(filepath.Join(dir, "calendar-gantt.png"), buf, 0o644)
		}
	}
	if got := text(`#schedule-calendar`); !strings.Contains(got, "UK office") {
		t.Errorf("the page names calendar %q, want UK office", got)
	}
	b, _ := f.do("GET", f.wsPrefix+"/projects/"+f.portal.ID+"/schedule?status_date=2026-01-01", "", nil, nil, 200)
	if s := decodeJSON[struct {
		Calendar struct{ Name string } `json:"calendar"`
	}](t, b); s.Calendar.Name != "UK office" {
		t.Errorf("schedule JSON calendar = %+v", s.Calendar)
	}
	cals, _, err := f.store.FindCalendars(t.Context(), f.ws.ID, tandem.CalendarFilter{})
	if err != nil || len(cals) != 1 || !cals[0].Default || len(cals[0].Exceptions) != 1 {
		t.Errorf("stored calendars: %+v (%v)", cals, err)
	}
	if p := problems(); len(p) > 0 {
		t.Errorf("browser console errors: %q", p)
	}
}
