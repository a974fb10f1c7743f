package http

import (
	"context"
	"html"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/tandem-pm/tandem"
)

// The similarity cards on item and feedback pages, and their "Link as
// evidence" buttons, on a real SQLite store.
func TestSimilarUI(t *testing.T) {
	e := newVoxEnv(t)
	card, dark, _, fbs := similarFixture(t, e)
	page := func(c *voxClient, path string) string {
		t.Helper()
		status, _, body := c.do("GET", path, "", "")
		if status != 200 {
			t.Fatalf("GET %s: %d: %.300s", path, status, body)
		}
		return string(body)
	}
	// The card's section, from its heading to the end of the section.
	section := func(body, title string) string {
		t.Helper()
		i := strings.Index(body, title)
		if i < 0 {
			t.Fatalf("no %q card in %.2000s", title, body)
		}
		j := strings.Index(body[i:], "</section>")
		return body[i : i+j]
	}

	itemPage := page(e.web, "/w/acme/items/"+card.ID)
	sec := section(itemPage, "Feedback that may support this")
	first := regexp.MustCompile(`<a href="/w/acme/feedback/([^"]+)">([^<]*)</a>`).FindStringSubmatch(sec)
	if first == nil || !strings.Contains(html.UnescapeString(first[2]), "card") {
		t.Fatalf("top suggestion %q in %s", first, sec)
	}
	if !strings.Contains(sec, `class="score-bar"`) {
		t.Fatalf("no score bar: %s", sec)
	}
	form := regexp.MustCompile(`action="(/w/acme/feedback/` + first[1] + `/evidence)"[^>]*>\s*<input type="hidden" name="item_id" value="([^"]+)"><input type="hidden" name="back" value="([^"]+)">`).FindStringSubmatch(sec)
	if form == nil || form[2] != card.ID || form[3] != "/w/acme/items/"+card.ID {
		t.Fatalf("link form %q in %s", form, sec)
	}
	// Press "Link as evidence": back to the item, now linked.
	status, hdr, body := e.web.do("POST", form[1], "application/x-www-form-urlencoded", url.Values{"item_id": {form[2]}, "back": {form[3]}}.Encode())
	if status != 303 || hdr.Get("Location") != "/w/acme/items/"+card.ID+"#evidence" {
		t.Fatalf("link: %d %s %.300s", status, hdr.Get("Location"), body)
	}
	links, err := e.st.FindEvidenceLinks(context.Background(), e.ws.ID, tandem.EvidenceFilter{ItemID: card.ID})
	if err != nil || len(links) != 1 || links[0].FeedbackID != first[1] {
		t.Fatalf("links %+v %v", links, err)
	}
	sec = section(page(e.web, "/w/acme/items/"+card.ID), "Feedback that may support this")
	if !strings.Contains(sec, `<span class="tag">Linked</span>`) || strings.Contains(sec, `/feedback/`+first[1]+`/evidence`) {
		t.Fatalf("linked suggestion still offered: %s", sec)
	}

	// The feedback page suggests the feature, with the same button.
	sec = section(page(e.web, "/w/acme/feedback/"+fbs[3].ID), "Features this may be evidence for")
	if !strings.Contains(sec, `<a href="/w/acme/items/`+dark.ID+`">Dark mode</a>`) ||
		!strings.Contains(sec, `action="/w/acme/feedback/`+fbs[3].ID+`/evidence"`) || !strings.Contains(sec, `value="`+dark.ID+`"`) {
		t.Fatalf("feedback card: %s", sec)
	}

	// A viewer sees the suggestions without the button.
	ctx := context.Background()
	viewer := &tandem.User{Email: "viewer@example.com", Name: "Viewer"}
	if err := e.st.CreateUser(ctx, viewer, "correct horse battery staple"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.st.SetMember(ctx, e.ws.ID, viewer.ID, tandem.RoleViewer); err != nil {
		t.Fatal(err)
	}
	secret, err := e.st.CreateSession(ctx, viewer.ID, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	sec = section(page(&voxClient{t: t, base: e.srv.URL(), cookie: secret}, "/w/acme/feedback/"+fbs[3].ID), "Features this may be evidence for")
	if !strings.Contains(sec, "Dark mode") || strings.Contains(sec, "Link as evidence") {
		t.Fatalf("viewer's card: %s", sec)
	}

	// Tasks get no card.
	task, _, err := e.st.FindItems(ctx, e.ws.ID, tandem.ItemFilter{Kind: tandem.KindTask})
	if err != nil || len(task) != 1 {
		t.Fatalf("tasks %v %v", task, err)
	}
	if strings.Contains(page(e.web, "/w/acme/items/"+task[0].ID), "Feedback that may support this") {
		t.Fatal("a task has the card")
	}
}
