package http

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/tandem-pm/tandem"
)

// TestGanttDragInBrowser opens a project's Gantt chart in Chromium, drags a
// bar a week later and its end a day longer, moves it back with the
// keyboard, and checks each change through the JSON API.
func TestGanttDragInBrowser(t *testing.T) {
	ctx, problems := browser(t)
	f := newPlanFixture(t)
	base := f.srv.URL()
	run, fail := browserSteps(t, ctx)
	run("sign in", browserSignIn(base+"/signin", f.owner.Email, "correct horse battery")...)
	bar := `#gantt-board g.task.movable[data-id="` + f.b.ID + `"]`
	run("open the Gantt chart",
		chromedp.Navigate(base+"/w/"+f.ws.Slug+"/projects/"+f.portal.ID+"/gantt?zoom=days&status_date=2026-01-01"),
		chromedp.WaitVisible(chromedp.CSS(bar+` .bar`)),
	)
	type box struct{ X, Y, W, H float64 }
	boxOf := func(sel string) box {
		t.Helper()
		b, err := chromedp.Run(ctx, chromedp.Evaluate[box](`(() => { const r = document.querySelector(`+"`"+sel+"`"+`).getBoundingClientRect(); return {X: r.x, Y: r.y, W: r.width, H: r.height}; })()`))
		if err != nil {
			fail("measure "+sel, err)
		}
		return b
	}
	drag := func(step string, x, y, dx float64) {
		t.Helper()
		run(step,
			chromedp.MouseEvent(chromedp.MouseMoved, x, y),
			chromedp.MouseEvent(chromedp.MousePressed, x, y, chromedp.ButtonLeft, chromedp.ClickCount(1)),
			chromedp.MouseEvent(chromedp.MouseMoved, x+dx/2, y, chromedp.ButtonLeft),
			chromedp.MouseEvent(chromedp.MouseMoved, x+dx, y, chromedp.ButtonLeft),
			chromedp.MouseEvent(chromedp.MouseReleased, x+dx, y, chromedp.ButtonLeft, chromedp.ClickCount(1)),
		)
	}
	waitStatus := func(step, want string) {
		t.Helper()
		run(step, chromedp.Poll[chromedp.Void](`(document.getElementById("gantt-status").textContent || "").includes(`+"`"+want+"`"+`)`))
	}
	item := func() *tandem.Item {
		t.Helper()
		b, _ := f.do("GET", f.wsPrefix+"/items/"+f.b.ID, "", nil, nil, 200)
		return ptrTo(decodeJSON[tandem.Item](t, b))
	}

	// B runs Mon 12 to Wed 14 Jan, at 24 px a day: drag its middle a week right.
	b := boxOf(bar + ` .bar`)
	drag("drag the bar", b.X+b.W/2, b.Y+b.H/2, 7*24)
	waitStatus("wait for the move", "moved to start on 2026-01-19")
	if got := item(); got.PlannedStart.String() != "2026-01-19" || got.PlannedFinish.String() != "2026-01-21" {
		t.Errorf("after the drag, B is planned %s..%s, want 2026-01-19..2026-01-21", got.PlannedStart, got.PlannedFinish)
	}
	start, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector(`+"`"+bar+"`"+`).getAttribute("data-start")`))
	if err != nil {
		fail("read data-start", err)
	}
	if got := strings.TrimSpace(start); got != "2026-01-19" {
		t.Errorf("the redrawn bar starts %q, want 2026-01-19", got)
	}

	// Drag its right end one day further: four working days.
	h := boxOf(bar + ` .handle`)
	drag("resize the bar", h.X+h.W/2, h.Y+h.H/2, 24)
	waitStatus("wait for the resize", "length changed to 4 working days")
	if got := item(); got.DurationDays != 4 || got.PlannedFinish.String() != "2026-01-22" {
		t.Errorf("after the resize, B lasts %g days to %s, want 4 to 2026-01-22", got.DurationDays, got.PlannedFinish)
	}

	// The keyboard moves it back a day at a time.
	run("focus the bar and press ←", chromedp.Focus(chromedp.CSS(bar)), chromedp.KeyEvent(kb.ArrowLeft))
	waitStatus("wait for the key", "moved to start on 2026-01-16")
	if got := item(); got.PlannedStart.String() != "2026-01-16" {
		t.Errorf("after ←, B is planned from %s, want 2026-01-16 (the Friday before)", got.PlannedStart)
	}
	if dir := os.Getenv("TANDEM_SCREENSHOTS"); dir != "" {
		if buf, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)); err == nil {
			os.WriteFile(filepath.Join(dir, "gantt.png"), buf, 0o644)
		}
	}
	if p := problems(); len(p) > 0 {
		t.Errorf("browser console errors: %q", p)
	}
}

func ptrTo[T any](v T) *T { return &v }
