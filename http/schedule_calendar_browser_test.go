package http

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/tandem-pm/tandem"
	"github.com/tandem-pm/tandem/internal/projectplan"
)

// TestGanttDragAcrossHolidayInBrowser puts the project on a calendar with a
// holiday, drags a bar across it in Chromium, and checks that the planned
// finish gantt.js stores is the early finish the server schedules (the
// holiday counted, not only weekends), and that the redrawn bar ends there.
func TestGanttDragAcrossHolidayInBrowser(t *testing.T) {
	ctx, problems := browser(t)
	f := newPlanFixture(t)
	actx := tandem.WithActor(context.Background(), f.owner.ID)
	cal := &tandem.Calendar{Name: "Portal team", Week: tandem.StandardWeek(), Exceptions: []tandem.CalendarException{
		{Name: "Team day off", From: tandem.Date{Year: 2026, Month: 1, Day: 20}}, // a Tuesday
	}}
	if err := f.store.CreateCalendar(actx, f.ws.ID, cal); err != nil {
		t.Fatal(err)
	}
	if _, err := f.store.UpdateProject(actx, f.ws.ID, f.portal.ID, tandem.ProjectUpdate{CalendarID: &cal.ID}, 0); err != nil {
		t.Fatal(err)
	}
	base := f.srv.URL()
	run, fail := browserSteps(t, ctx)
	run("sign in", browserSignIn(base+"/signin", f.owner.Email, "correct horse battery")...)
	bar := `#gantt-board g.task.movable[data-id="` + f.b.ID + `"]`
	run("open the Gantt chart",
		chromedp.Navigate(base+"/w/"+f.ws.Slug+"/projects/"+f.portal.ID+"/gantt?zoom=days&status_date=2026-01-01"),
		chromedp.WaitVisible(chromedp.CSS(bar+` .bar`)),
	)
	type box struct{ X, Y, W, H float64 }
	b, err := chromedp.Run(ctx, chromedp.Evaluate[box](`(() => { const r = document.querySelector(`+"`"+bar+` .bar`+"`"+`).getBoundingClientRect(); return {X: r.x, Y: r.y, W: r.width, H: r.height}; })()`))
	if err != nil {
		fail("measure the bar", err)
	}
	// B (3 working days) runs Mon 12 to Wed 14 Jan, at 24 px a day: a week
	// later it starts Mon 19 and, with Tue 20 off, ends Thu 22.
	x, y, dx := b.X+b.W/2, b.Y+b.H/2, 7*24.0
	run("drag the bar across the holiday",
		chromedp.MouseEvent(chromedp.MouseMoved, x, y),
		chromedp.MouseEvent(chromedp.MousePressed, x, y, chromedp.ButtonLeft, chromedp.ClickCount(1)),
		chromedp.MouseEvent(chromedp.MouseMoved, x+dx/2, y, chromedp.ButtonLeft),
		chromedp.MouseEvent(chromedp.MouseMoved, x+dx, y, chromedp.ButtonLeft),
		chromedp.MouseEvent(chromedp.MouseReleased, x+dx, y, chromedp.ButtonLeft, chromedp.ClickCount(1)),
		chromedp.Poll[chromedp.Void](`(document.getElementById("gantt-status").textContent || "").includes("moved to start on 2026-01-19")`),
	)
	raw, _ := f.do("GET", f.wsPrefix+"/items/"+f.b.ID, "", nil, nil, 200)
	item := decodeJSON[tandem.Item](t, raw)
	raw, _ = f.do("GET", f.wsPrefix+"/projects/"+f.portal.ID+"/schedule?status_date=2026-01-01", "", nil, nil, 200)
	sched := decodeJSON[projectplan.Schedule](t, raw)
	x2 := sched.Item(f.b.ID)
	if x2 == nil {
		t.Fatalf("B is not in the schedule: %s", raw)
	}
	if item.PlannedStart.String() != "2026-01-19" || item.PlannedFinish.String() != "2026-01-22" {
		t.Errorf("after the drag, B is planned %s..%s, want 2026-01-19..2026-01-22 (Tue 20 is a holiday)", item.PlannedStart, item.PlannedFinish)
	}
	if x2.EarlyStart != item.PlannedStart || x2.EarlyFinish != item.PlannedFinish {
		t.Errorf("the server schedules B %s..%s, the drag stored %s..%s", x2.EarlyStart, x2.EarlyFinish, item.PlannedStart, item.PlannedFinish)
	}
	finish, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector(`+"`"+bar+"`"+`).getAttribute("data-finish")`))
	if err != nil {
		fail("read data-finish", err)
	}
	if got := strings.TrimSpace(finish); got != item.PlannedFinish.String() {
		t.Errorf("the redrawn bar ends %q, want %s", got, item.PlannedFinish)
	}
	if p := problems(); len(p) > 0 {
		t.Errorf("browser console errors: %q", p)
	}
}
