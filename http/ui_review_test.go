//go:build review

package http

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

func TestReviewScreens(t *testing.T) {
	ctx, _ := browser(t)
	store := newBrowserStore(t)
	sd := seedWorkspace(t, store)
	srv := NewServer(store, uiTestLogger(t))
	if err := srv.Open("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	defer srv.Close(context.Background())
	base := srv.URL()
	dir := os.Getenv("TANDEM_SCREENSHOTS")
	shot := func(name, path string, steps ...chromedp.Action[chromedp.Void]) {
		all := append([]chromedp.Action[chromedp.Void]{chromedp.Navigate(base + path)}, steps...)
		if err := chromedp.Do(ctx, all...); err != nil {
			t.Fatal(name, err)
		}
		buf, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(dir, name+".png"), buf, 0o644)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/signin"), chromedp.SendKeys(chromedp.CSS("#email"), sd.Owner.Email),
		chromedp.SendKeys(chromedp.CSS("#password"), seedPassword), chromedp.Click(chromedp.CSS("form button")), chromedp.WaitVisible(chromedp.CSS("nav"))); err != nil {
		t.Fatal(err)
	}
	shot("project", "/w/acme/projects/"+sd.Project.ID)
	shot("goals", "/w/acme/goals")
	shot("goal", "/w/acme/goals/"+sd.Goal.ID)
	shot("items", "/w/acme/items")
	shot("programs", "/w/acme/programs")
	shot("form", "/w/acme/programs/"+sd.Program.ID+"/edit")
	shot("members", "/w/acme/members")
	shot("error", "/w/acme/programs/"+sd.Goal.ID)
	chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: "dark"}}})
		return err
	}))
	shot("dark", "/w/acme/programs/"+sd.Program.ID)
	chromedp.Do(ctx, chromedp.EmulateViewport(390, 800))
	shot("mobile", "/w/acme")
	chromedp.Do(ctx, chromedp.Navigate(base+"/signout"))
}
