package http

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// findChromium returns the path of a Chromium-like browser, or "".
func findChromium() string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// browser starts a headless Chromium for t and returns a tab's context.
// Console errors (a CSP violation, a script error) are collected in problems.
func browser(t *testing.T) (ctx context.Context, problems func() []string) {
	t.Helper()
	path := findChromium()
	if path == "" {
		t.Skip("no chromium, chromium-browser or google-chrome on PATH: skipping browser tests (apt-get install chromium)")
	}
	if testing.Short() {
		t.Skip("browser tests skipped in -short mode")
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1360, 900),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelTab := chromedp.NewContext(actx)
	// The test takes about 25 s; the limit leaves room for a loaded machine.
	ctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(func() {
		cancelTimeout()
		cancelTab()
		cancelAlloc()
	})
	var mu sync.Mutex
	var found []string
	messages := chromedp.Console(ctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			// Forms answer 4xx on purpose (validation, a cycle); anything else is a defect.
			if (m.Type == chromedp.ConsoleError || m.Type == chromedp.ConsoleException) && !strings.Contains(m.Text, "status of 4") {
				mu.Lock()
				found = append(found, m.Text)
				mu.Unlock()
			}
		}
	}()
	return ctx, func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), found...)
	}
}

// TestBrowser drives the real server in Chromium: sign in, create a program,
// a project and two items, link them, see them listed; then a viewer sees
// no edit buttons.
func TestBrowser(t *testing.T) {
	ctx, problems := browser(t)
	store := newBrowserStore(t)
	sd := seedWorkspace(t, store)
	srv := NewServer(store, uiTestLogger(t))
	if err := srv.Open("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close(context.Background()) })
	base := srv.URL()
	shots := os.Getenv("TANDEM_SCREENSHOTS") // a directory to save screenshots in, for design review

	run, fail := browserSteps(t, ctx)
	get := func(step string, a chromedp.Action[string]) string {
		t.Helper()
		s, err := chromedp.Run(ctx, a)
		if err != nil {
			fail(step, err)
		}
		return s
	}
	text := func(sel string) string {
		t.Helper()
		return get("read "+sel, chromedp.Text(chromedp.CSS(sel)))
	}
	screenshot := func(name string) {
		t.Helper()
		if shots == "" {
			return
		}
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](`window.scrollTo(0, 0)`)); err != nil {
			fail("scroll up", err)
		}
		buf, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			fail("screenshot "+name, err)
		}
		if err := os.WriteFile(filepath.Join(shots, name+".png"), buf, 0o644); err != nil {
			t.Error(err)
		}
	}
	signInAs := func(email string) {
		run("sign in as "+email,
			chromedp.Navigate(base+"/w/acme"),
			chromedp.WaitVisible(chromedp.CSS(`#email`)),
			chromedp.SendKeys(chromedp.CSS(`#email`), email),
			chromedp.SendKeys(chromedp.CSS(`#password`), seedPassword),
			chromedp.Click(chromedp.CSS(`form button[type=submit]`)),
			chromedp.WaitVisible(chromedp.CSS(`nav[aria-label=Workspace]`)),
		)
	}

	signInAs(sd.Owner.Email)
	if got := text("h1"); got != "Acme Bank" {
		t.Errorf("home h1 = %q, want the workspace name", got)
	}
	screenshot("home")

	// A program.
	run("create program",
		chromedp.Navigate(base+"/w/acme/programs/new"),
		chromedp.WaitVisible(chromedp.CSS(`#f-name`)),
		chromedp.SendKeys(chromedp.CSS(`#f-name`), "Core API migration"),
		chromedp.SetValue(chromedp.CSS(`#f-status`), "active"),
		chromedp.SetValue(chromedp.CSS(`#f-health`), "red"),
		chromedp.SendKeys(chromedp.CSS(`#f-sponsor`), "CTO"),
		chromedp.Click(chromedp.CSS(`form.form-card button[type=submit]`)),
		// Red without a reason is refused, and the input is kept.
		chromedp.WaitVisible(chromedp.CSS(`#f-health_reason-err`)),
	)
	name := get("read kept input", chromedp.Value(chromedp.CSS(`#f-name`)))
	if name != "Core API migration" {
		t.Errorf("after a validation error the name is %q, want the user's input", name)
	}
	run("fix and save program",
		chromedp.SendKeys(chromedp.CSS(`#f-health_reason`), "Vendor contract not signed"),
		chromedp.Click(chromedp.CSS(`form.form-card button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`.alert-red`)),
	)
	if got := text("h1"); got != "Core API migration" {
		t.Errorf("program page h1 = %q", got)
	}

	// A project in it, from the program page.
	run("create project",
		chromedp.Click(chromedp.CSS(`a[href*="/projects/new?program_id="]`)),
		chromedp.WaitVisible(chromedp.CSS(`#f-name`)),
		chromedp.SendKeys(chromedp.CSS(`#f-name`), "Payments API"),
		chromedp.Click(chromedp.CSS(`form.form-card button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`a[href*="/items/new?project_id="]`)),
	)
	if got := text(".crumbs"); !strings.Contains(got, "Core API migration") {
		t.Errorf("project crumbs %q do not name its program", got)
	}

	// Two items in the project.
	for _, title := range []string{"Define payment schema", "Migrate payment endpoints"} {
		run("create item "+title,
			chromedp.Click(chromedp.CSS(`a[href*="/items/new?project_id="]`)),
			chromedp.WaitVisible(chromedp.CSS(`#f-title`)),
			chromedp.SendKeys(chromedp.CSS(`#f-title`), title),
			chromedp.SetValue(chromedp.CSS(`#f-status`), "planned"),
			chromedp.Click(chromedp.CSS(`form.form-card button[type=submit]`)),
			chromedp.WaitVisible(chromedp.CSS(`#dependencies`)),
		)
		if title == "Define payment schema" {
			run("back to project", chromedp.Click(chromedp.CSS(`.crumbs a[href*="/projects/"]`)),
				chromedp.WaitVisible(chromedp.CSS(`a[href*="/items/new?project_id="]`)))
		}
	}

	// On the second item: it waits for the first.
	firstID := get("find first item", chromedp.Evaluate[string](`Array.from(document.querySelectorAll('#dep-other option')).find(o => o.textContent.startsWith('Define payment schema')).value`))
	run("add dependency",
		chromedp.Click(chromedp.CSS(`#dependencies summary`)),
		chromedp.SetValue(chromedp.CSS(`#dep-direction`), "predecessor"),
		chromedp.SetValue(chromedp.CSS(`#dep-other`), firstID),
		chromedp.SetValue(chromedp.CSS(`#dep-type`), "FS"),
		chromedp.SendKeys(chromedp.CSS(`#dep-lag`), "3"),
		chromedp.Click(chromedp.CSS(`#dependencies details form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`.dep-list`)),
	)
	if got := text(".dep-list"); !strings.Contains(got, "Define payment schema") || !strings.Contains(got, "3 d lag") {
		t.Errorf("dependency list = %q", got)
	}
	screenshot("item")

	// The reverse link would close a cycle: the error is shown on the first item.
	run("open first item", chromedp.Click(chromedp.CSS(`.dep-list a`)), chromedp.WaitVisible(chromedp.CSS(`#dependencies`)))
	secondID := get("find second item", chromedp.Evaluate[string](`Array.from(document.querySelectorAll('#dep-other option')).find(o => o.textContent.startsWith('Migrate payment endpoints')).value`))
	run("add cyclic dependency",
		chromedp.Click(chromedp.CSS(`#dependencies summary`)),
		chromedp.SetValue(chromedp.CSS(`#dep-direction`), "predecessor"),
		chromedp.SetValue(chromedp.CSS(`#dep-other`), secondID),
		chromedp.Click(chromedp.CSS(`#dependencies details form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`#dep-error`)),
	)
	if got := text("#dep-error"); !strings.Contains(got, "cycle") {
		t.Errorf("cycle error = %q", got)
	}

	// Listed with a filter.
	run("list items",
		chromedp.Navigate(base+"/w/acme/items?status=planned"),
		chromedp.WaitVisible(chromedp.CSS(`table.table`)),
	)
	if got := text("table.table tbody"); !strings.Contains(got, "Define payment schema") || !strings.Contains(got, "Migrate payment endpoints") || strings.Contains(got, "Design sign-up flow") {
		t.Errorf("planned items = %q", got)
	}
	run("program page", chromedp.Navigate(base+"/w/acme/programs/"+sd.Program.ID), chromedp.WaitVisible(chromedp.CSS(`#comments`)))
	screenshot("program")

	// Sign out; a viewer sees no edit, create or delete controls.
	run("sign out", chromedp.Click(chromedp.CSS(`.me button[type=submit]`)), chromedp.WaitVisible(chromedp.CSS(`#email`)))
	signInAs(sd.Viewer.Email)
	for _, page := range []string{"/w/acme", "/w/acme/programs", "/w/acme/programs/" + sd.Program.ID, "/w/acme/items/" + sd.TaskB.ID, "/w/acme/goals/" + sd.Goal.ID} {
		run("viewer opens "+page, chromedp.Navigate(base+page), chromedp.WaitVisible(chromedp.CSS(`main h1`)))
		n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('main a[href$="/edit"], main a[href*="/new"], main form[action$="/delete"], main textarea, #dep-other').length`))
		if err != nil {
			fail("count controls", err)
		}
		if n > 0 {
			t.Errorf("viewer sees %d edit controls on %s", n, page)
		}
	}

	for _, p := range problems() {
		t.Errorf("browser console: %s", p)
	}
}

// browserSteps returns what every browser test drives its tab with: run
// does the actions of one named step, and fail ends the test with the step,
// the error, the page's address and its main element.
func browserSteps(t *testing.T, ctx context.Context) (run func(step string, steps ...chromedp.Action[chromedp.Void]), fail func(step string, err error)) {
	fail = func(step string, err error) {
		t.Helper()
		url, _ := chromedp.Run(ctx, chromedp.Location())
		html, _ := chromedp.Run(ctx, chromedp.OuterHTML(chromedp.CSS("main")))
		t.Fatalf("%s: %v\nat %s\n%.3000s", step, err, url, html)
	}
	run = func(step string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, steps...); err != nil {
			fail(step, err)
		}
	}
	return run, fail
}

// browserSignIn opens url, which shows the sign-in form, signs in and waits for
// the workspace navigation.
func browserSignIn(url, email, password string) []chromedp.Action[chromedp.Void] {
	return []chromedp.Action[chromedp.Void]{
		chromedp.Navigate(url),
		chromedp.WaitVisible(chromedp.CSS(`#email`)),
		chromedp.SendKeys(chromedp.CSS(`#email`), email),
		chromedp.SendKeys(chromedp.CSS(`#password`), password),
		chromedp.Click(chromedp.CSS(`form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`nav[aria-label=Workspace]`)),
	}
}
