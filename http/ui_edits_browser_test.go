package http

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/tandem-pm/tandem"
)

// editsBrowser is a signed-in Chromium on a seeded server for the tests below.
type editsBrowser struct {
	ctx      context.Context
	store    tandem.Store
	sd       *seeded
	base     string
	gateway  *tandem.Item
	analyst  *tandem.User
	run      func(step string, steps ...chromedp.Action[chromedp.Void])
	eval     func(step, js string) string
	fail     func(step string, err error)
	problems func() []string
}

func newEditsBrowser(t *testing.T) *editsBrowser {
	ctx, problems := browser(t)
	store := newBrowserStore(t)
	sd := seedWorkspace(t, store)
	bg := tandem.WithActor(context.Background(), sd.Owner.ID)
	ws := sd.WS.ID
	// Another project of the same program, and a long list elsewhere.
	other := &tandem.Project{ProgramID: sd.Program.ID, Name: "Payments platform"}
	if err := store.CreateProject(bg, ws, other); err != nil {
		t.Fatal(err)
	}
	gateway := &tandem.Item{Kind: tandem.KindTask, Title: "Payments gateway", ProjectID: other.ID}
	if err := store.CreateItem(bg, ws, gateway); err != nil {
		t.Fatal(err)
	}
	for i := range 60 {
		if err := store.CreateItem(bg, ws, &tandem.Item{Kind: tandem.KindTask, Title: fmt.Sprintf("Backlog chore %02d", i)}); err != nil {
			t.Fatal(err)
		}
	}
	analyst := &tandem.User{Email: "analyst@example.com", Name: "Analyst"}
	if err := store.CreateUser(context.Background(), analyst, seedPassword); err != nil {
		t.Fatal(err)
	}
	srv := NewServer(store, uiTestLogger(t))
	if err := srv.Open("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close(context.Background()) })
	base := srv.URL()

	run, fail := browserSteps(t, ctx)
	eval := func(step, js string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Evaluate[string](js))
		if err != nil {
			fail(step, err)
		}
		return s
	}
	run("sign in", browserSignIn(base+"/w/acme", sd.Owner.Email, seedPassword)...)
	return &editsBrowser{ctx: ctx, store: store, sd: sd, base: base, gateway: gateway, analyst: analyst,
		run: run, eval: eval, fail: fail, problems: problems}
}

func (b *editsBrowser) checkConsole(t *testing.T) {
	for _, p := range b.problems() {
		t.Errorf("browser console: %s", p)
	}
}

// TestBrowserDependencyPickerAndComments: typing in the dependency
// picker's filter box narrows the list and the form adds the match; a
// comment is then edited in place.
func TestBrowserDependencyPickerAndComments(t *testing.T) {
	b := newEditsBrowser(t)
	ctx, run, eval, sd, base, store, gateway := b.ctx, b.run, b.eval, b.sd, b.base, b.store, b.gateway
	ws := sd.WS.ID
	_ = ctx
	// The dependency picker: typing narrows the list to the matches, the
	// first match is chosen, and the form adds it.
	run("open item", chromedp.Navigate(base+"/w/acme/items/"+sd.TaskB.ID), chromedp.WaitVisible(chromedp.CSS(`#dependencies`)),
		chromedp.Click(chromedp.CSS(`#dependencies summary`)), chromedp.WaitVisible(chromedp.CSS(`#dep-other-filter`)))
	visible := `Array.from(document.querySelectorAll('#dep-other option')).filter(o => o.value && !o.hidden).length`
	if n := eval("count options", `String(`+visible+`)`); n == "0" || n == "1" {
		t.Fatalf("before filtering %s options are shown", n)
	}
	if got := eval("first group", `document.querySelector('#dep-other optgroup').label`); !strings.HasPrefix(got, "This project: Customer portal") {
		t.Errorf("first group = %q, want the item's own project", got)
	}
	run("type a filter", chromedp.SendKeys(chromedp.CSS(`#dep-other-filter`), "payments gate"))
	if n := eval("count matches", `String(`+visible+`)`); n != "1" {
		t.Errorf("after typing, %s options are shown, want 1", n)
	}
	if got := eval("selected", `document.querySelector('#dep-other').value`); got != gateway.ID {
		t.Errorf("selected %q, want the only match %s", got, gateway.ID)
	}
	if got := eval("visible group", `Array.from(document.querySelectorAll('#dep-other optgroup')).filter(g => !g.hidden).map(g => g.label).join('|')`); got != "Same program: Payments platform" {
		t.Errorf("visible groups = %q", got)
	}
	if got := eval("status", `document.querySelector('.picker-status').textContent`); got != "1 item matches." {
		t.Errorf("status = %q", got)
	}
	// Wait for the gateway's row itself: the page may already list other
	// dependencies, and the store is read only after the page reloaded.
	run("add the dependency",
		chromedp.Click(chromedp.CSS(`#dependencies details form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`.dep-list a[href$="/items/`+gateway.ID+`"]`)),
	)
	deps, _, err := store.FindDependencies(context.Background(), ws, tandem.DependencyFilter{ItemID: gateway.ID})
	if err != nil || len(deps) != 1 || deps[0].SuccessorID != sd.TaskB.ID {
		t.Errorf("dependencies of the gateway: %v %v", deps, err)
	}

	// A comment, then edited in place.
	run("comment",
		chromedp.SendKeys(chromedp.CSS(`#comment-body`), "Needs the gateway first"),
		chromedp.Click(chromedp.CSS(`.comment-form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`.comment-actions summary`)),
	)
	run("edit the comment",
		chromedp.Click(chromedp.CSS(`.comment-actions summary`)),
		chromedp.SetValue(chromedp.CSS(`.comment-actions textarea`), "Needs the gateway and the API keys"),
		// The flash of the new comment goes first, so that the wait below sees the edit's.
		chromedp.Evaluate[chromedp.Void](`document.querySelectorAll('.flash').forEach(e => e.remove())`),
		chromedp.Click(chromedp.CSS(`.comment-actions button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`.flash`)),
	)
	if got := eval("comment", `document.querySelector('#comments .comment').textContent`); !strings.Contains(got, "Needs the gateway and the API keys") || !strings.Contains(got, "(edited)") {
		t.Errorf("comment after edit: %q", got)
	}
	b.checkConsole(t)
}

// TestBrowserKeyResultAndMember edits a key result's target and current
// value from the goal page and adds a member by email.
func TestBrowserKeyResultAndMember(t *testing.T) {
	b := newEditsBrowser(t)
	run, eval, sd, base, analyst := b.run, b.eval, b.sd, b.base, b.analyst
	// A key result's target, from the goal page.
	run("edit key result",
		chromedp.Navigate(base+"/w/acme/goals/"+sd.Goal.ID),
		chromedp.WaitVisible(chromedp.CSS(`.kr-edit summary`)),
		chromedp.Click(chromedp.CSS(`.kr-edit summary`)),
		chromedp.WaitVisible(chromedp.CSS(`.kr-edit input[name=target]`)),
		chromedp.SetValue(chromedp.CSS(`.kr-edit input[name=target]`), "145"),
		chromedp.SetValue(chromedp.CSS(`.kr-edit input[name=current]`), "112"),
		chromedp.Click(chromedp.CSS(`.kr-edit button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`.flash`)),
	)
	if got, err := b.store.FindKeyResultByID(context.Background(), sd.WS.ID, sd.KR.ID); err != nil || got.Target != 145 || got.Current != 112 {
		t.Errorf("key result after the browser's edit: %+v, %v", got, err)
	}
	if got := eval("kr line", `document.querySelector('#key-results .kr-scale').textContent`); !strings.Contains(got, "target 145") || !strings.Contains(got, "now 112") {
		t.Errorf("key result after edit: %q", got)
	}

	// A member added by email.
	run("add member",
		chromedp.Navigate(base+"/w/acme/members"),
		chromedp.WaitVisible(chromedp.CSS(`#member-email`)),
		chromedp.SendKeys(chromedp.CSS(`#member-email`), analyst.Email),
		chromedp.SetValue(chromedp.CSS(`#member-role`), "manager"),
		chromedp.Click(chromedp.CSS(`#member-email`)),
		chromedp.Evaluate[chromedp.Void](`document.querySelector('#member-email').form.requestSubmit()`),
		chromedp.WaitVisible(chromedp.CSS(`#role-`+analyst.ID)),
	)
	if got := eval("role", `document.querySelector('#role-`+analyst.ID+`').value`); got != "manager" {
		t.Errorf("new member's role = %q", got)
	}
	b.checkConsole(t)
}

// TestBrowserChartsFollowColourScheme measures the Gantt chart's computed
// colours: dark rows and light text in dark mode, the opposite in light mode.
func TestBrowserChartsFollowColourScheme(t *testing.T) {
	b := newEditsBrowser(t)
	ctx, run, fail, sd, base := b.ctx, b.run, b.fail, b.sd, b.base
	lum := func(step, js string) float64 {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`(() => {
			const m = getComputedStyle(`+js+`).getPropertyValue('fill').match(/\d+(\.\d+)?/g).map(Number);
			return (0.2126*m[0] + 0.7152*m[1] + 0.0722*m[2]) / 255; })()`))
		if err != nil {
			fail(step, err)
		}
		return v
	}
	scheme := func(mode string) {
		t.Helper()
		run("prefers "+mode, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
				Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: mode}}})
			return err
		}), chromedp.Navigate(base+"/w/acme/projects/"+sd.Project.ID), chromedp.WaitVisible(chromedp.CSS(`svg.gantt`)))
	}
	rows := `document.querySelector('#gantt-stripes rect')`
	label := `document.querySelector('.gantt-labels text')`
	milestone := `document.querySelector('.gantt .task.milestone:not(.critical) .bar') || document.querySelector('.gantt .task.milestone .bar')`
	scheme("light")
	if r, l := lum("light rows", rows), lum("light labels", label); r < 0.8 || l > 0.3 {
		t.Errorf("light mode: rows luminance %.2f, labels %.2f; want light rows and dark text", r, l)
	}
	scheme("dark")
	if r, l, s := lum("dark rows", rows), lum("dark labels", label), lum("dark milestone", milestone); r > 0.2 || l < 0.7 || s < 0.5 {
		t.Errorf("dark mode: rows luminance %.2f, labels %.2f, milestones %.2f; want dark rows, light text and milestones", r, l, s)
	}

	b.checkConsole(t)
}

// TestBrowserLiveUpdates: an item page open in the browser shows a comment
// and a dependency that another node wrote, without a reload; an open edit
// form is left alone.
func TestBrowserLiveUpdates(t *testing.T) {
	b := newEditsBrowser(t)
	run, sd, base, store := b.run, b.sd, b.base, b.store
	ctx := tandem.WithActor(context.Background(), sd.Contributor.ID)
	ws := sd.WS.ID
	run("open item",
		chromedp.Navigate(base+"/w/acme/items/"+sd.TaskB.ID),
		chromedp.WaitVisible(chromedp.CSS(`#comments`)),
		chromedp.Evaluate[chromedp.Void](`window.notReloaded = true`),
	)
	// Written straight to the database, as another node would.
	if err := store.CreateComment(ctx, ws, &tandem.Comment{EntityType: tandem.EntityItem, EntityID: sd.TaskB.ID,
		AuthorID: sd.Contributor.ID, AuthorName: sd.Contributor.Name, Body: "Written elsewhere"}); err != nil {
		t.Fatal(err)
	}
	if err := store.CreateDependency(ctx, ws, &tandem.Dependency{PredecessorID: b.gateway.ID, SuccessorID: sd.TaskB.ID, Type: tandem.FinishToStart}); err != nil {
		t.Fatal(err)
	}
	run("see the comment and the dependency",
		chromedp.Poll[chromedp.Void](`document.querySelector('#comments ol.comments').textContent.includes('Written elsewhere') &&
			document.querySelector('#dependencies .deps').textContent.includes('Payments gateway')`, chromedp.WithPollingTimeout(20*time.Second)),
	)
	if got, _ := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`window.notReloaded === true`)); !got {
		t.Error("the page reloaded instead of updating in place")
	}
	if got := b.eval("count", `document.querySelector('#comments-h .count').textContent`); got != "1" {
		t.Errorf("comment count = %q, want 1", got)
	}
	b.checkConsole(t)
}
