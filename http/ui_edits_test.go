package http

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/tandem-pm/tandem"
)

// The small edits of ui_edits.go, through the real handler on SQLite.

func TestUIKeyResultEdit(t *testing.T) {
	store := newBrowserStore(t)
	h, sd := newUITestOn(t, store)
	ctx := context.Background()
	ws := sd.WS.ID
	owner := signIn(t, h, sd.Owner.Email)
	goalPage := "/w/acme/goals/" + sd.Goal.ID
	owner.expect(owner.get(goalPage), http.StatusOK, "Edit key result", `action="/w/acme/key-results/`+sd.KR.ID+`/edit"`)

	k, err := store.FindKeyResultByID(ctx, ws, sd.KR.ID)
	if err != nil {
		t.Fatal(err)
	}
	version := strconv.FormatInt(k.Version, 10)
	form := url.Values{"version": {version}, "metric": {"Monthly digital users"}, "unit": {"k"}, "target": {"150"}, "current": {"118"}, "due_date": {"2026-12-31"}}
	rec := owner.post("/w/acme/key-results/"+k.ID+"/edit", form)
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("edit: status %d; body:\n%.2000s", rec.Code, rec.Body)
	}
	got, err := store.FindKeyResultByID(ctx, ws, k.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Metric != "Monthly digital users" || got.Target != 150 || got.Current != 118 || got.DueDate.String() != "2026-12-31" {
		t.Errorf("after edit: %+v", got)
	}
	ms, err := store.FindMeasurements(ctx, ws, k.ID)
	if err != nil || len(ms) == 0 || ms[len(ms)-1].Value != 118 {
		t.Errorf("the new current value was not recorded as a measurement: %v %v", ms, err)
	}

	// A stale version and a bad target come back with the input kept.
	form.Set("metric", "Stale edit")
	owner.expect(owner.post("/w/acme/key-results/"+k.ID+"/edit", form), http.StatusUnprocessableEntity, "The key result was not saved. Someone else changed this key result; reload the page and try again.", `value="Stale edit"`)
	form.Set("version", strconv.FormatInt(got.Version, 10))
	form.Set("target", "lots")
	owner.expect(owner.post("/w/acme/key-results/"+k.ID+"/edit", form), http.StatusUnprocessableEntity, "Must be a number.")
	again, _ := store.FindKeyResultByID(ctx, ws, k.ID)
	if again.Metric != "Monthly digital users" {
		t.Errorf("a rejected edit changed the key result: %+v", again)
	}

	// A contributor may not edit key results, and sees no form.
	contrib := signIn(t, h, sd.Contributor.Email)
	if strings.Contains(contrib.get(goalPage).Body.String(), "Edit key result") {
		t.Error("a contributor sees the key result edit form")
	}
	if rec := contrib.post("/w/acme/key-results/"+k.ID+"/edit", form); rec.Code != http.StatusForbidden {
		t.Errorf("contributor's edit: status %d, want 403", rec.Code)
	}
}

// The same invalid key-result input gets the same words whether it is
// added or edited (keyResultFormErrors): the message beside the field, and
// the alert above the form, which names what no field shows.
func TestUIKeyResultFormErrors(t *testing.T) {
	store := newBrowserStore(t)
	h, sd := newUITestOn(t, store)
	owner := signIn(t, h, sd.Owner.Email)
	k, err := store.FindKeyResultByID(context.Background(), sd.WS.ID, sd.KR.ID)
	if err != nil {
		t.Fatal(err)
	}
	fieldError := func(msg string) string { return `<p class="field-error" role="alert">` + msg + `</p>` }
	for _, tc := range []struct {
		name          string
		set           url.Values
		field, alert  string // beside the field; the alert after "The key result was not added/saved."
		noFieldErrors bool
	}{
		{name: "target not a number", set: url.Values{"target": {"lots"}}, field: fieldError("Must be a number."), alert: " Please correct the marked fields."},
		{name: "no target", set: url.Values{"target": {""}}, field: fieldError("Is required."), alert: " Please correct the marked fields."},
		{name: "no metric", set: url.Values{"metric": {" "}}, field: fieldError("Is required."), alert: " Please correct the marked fields."},
		{name: "bad due date", set: url.Values{"due_date": {"31/12/2026"}}, field: fieldError("Must be a date like 2025-01-31."), alert: " Please correct the marked fields."},
		{name: "target not finite", set: url.Values{"target": {"NaN"}}, alert: " Value must be a finite number.", noFieldErrors: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			add := url.Values{"metric": {"NPS"}, "unit": {"pts"}, "direction": {"increase"}, "baseline": {"30"}, "target": {"50"}, "due_date": {"2026-12-31"}}
			edit := url.Values{"version": {strconv.FormatInt(k.Version, 10)}, "metric": {k.Metric}, "unit": {k.Unit}, "target": {"150"}, "current": {""}, "due_date": {"2026-12-31"}}
			for name, v := range tc.set {
				add[name], edit[name] = v, v
			}
			for _, c := range []struct {
				path, done string
				form       url.Values
			}{
				{"/w/acme/goals/" + sd.Goal.ID + "/key-results", "added", add},
				{"/w/acme/key-results/" + k.ID + "/edit", "saved", edit},
			} {
				rec := owner.post(c.path, c.form)
				body := rec.Body.String()
				if rec.Code != http.StatusUnprocessableEntity {
					t.Fatalf("%s: status %d, want 422", c.path, rec.Code)
				}
				alert := `<div class="alert alert-error" role="alert">The key result was not ` + c.done + "." + tc.alert + `</div>`
				if !strings.Contains(body, alert) {
					t.Errorf("%s: no alert %q in\n%.3000s", c.path, alert, body)
				}
				if tc.field != "" && !strings.Contains(body, tc.field) {
					t.Errorf("%s: no field message %q", c.path, tc.field)
				}
				if tc.noFieldErrors && strings.Contains(body, `class="field-error"`) {
					t.Errorf("%s: a field message for a problem no field shows", c.path)
				}
			}
		})
	}
}

func TestUICommentEditDelete(t *testing.T) {
	store := newBrowserStore(t)
	h, sd := newUITestOn(t, store)
	ctx := context.Background()
	ws := sd.WS.ID
	itemPage := "/w/acme/items/" + sd.TaskA.ID
	contrib := signIn(t, h, sd.Contributor.Email)
	rec := contrib.post(itemPage+"/comments", url.Values{"body": {"First **draft**"}})
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("comment: %d", rec.Code)
	}
	cs, _, err := store.FindComments(ctx, ws, tandem.CommentFilter{EntityType: tandem.EntityItem, EntityID: sd.TaskA.ID})
	if err != nil || len(cs) != 1 {
		t.Fatalf("comments: %v %v", cs, err)
	}
	c := cs[0]
	contrib.expect(contrib.get(itemPage), http.StatusOK, `action="/w/acme/comments/`+c.ID+`/edit"`, `action="/w/acme/comments/`+c.ID+`/delete"`)

	rec = contrib.post("/w/acme/comments/"+c.ID+"/edit", url.Values{"body": {"Second draft"}})
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != itemPage+"#comment-"+c.ID {
		t.Fatalf("edit own comment: %d to %q", rec.Code, rec.Header().Get("Location"))
	}
	got, _ := store.FindCommentByID(ctx, ws, c.ID)
	if got.Body != "Second draft" {
		t.Errorf("body after edit = %q", got.Body)
	}
	contrib.expect(contrib.get(itemPage), http.StatusOK, "Second draft", "(edited)")

	// Someone else's comment: a contributor may neither see the controls
	// nor change it; a manager (here the owner) may.
	other := &tandem.Comment{EntityType: tandem.EntityItem, EntityID: sd.TaskA.ID, AuthorID: sd.Owner.ID, AuthorName: sd.Owner.Name, Body: "Owner's note"}
	if err := store.CreateComment(tandem.WithActor(ctx, sd.Owner.ID), ws, other); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(contrib.get(itemPage).Body.String(), "/comments/"+other.ID+"/edit") {
		t.Error("a contributor sees edit controls on someone else's comment")
	}
	if rec := contrib.post("/w/acme/comments/"+other.ID+"/edit", url.Values{"body": {"hijacked"}}); rec.Code != http.StatusForbidden {
		t.Errorf("contributor edits another's comment: %d, want 403", rec.Code)
	}
	if rec := contrib.post("/w/acme/comments/"+other.ID+"/delete", url.Values{}); rec.Code != http.StatusForbidden {
		t.Errorf("contributor deletes another's comment: %d, want 403", rec.Code)
	}
	viewer := signIn(t, h, sd.Viewer.Email)
	if rec := viewer.post("/w/acme/comments/"+c.ID+"/delete", url.Values{}); rec.Code != http.StatusForbidden {
		t.Errorf("viewer deletes a comment: %d, want 403", rec.Code)
	}
	owner := signIn(t, h, sd.Owner.Email)
	if rec := owner.post("/w/acme/comments/"+c.ID+"/delete", url.Values{}); rec.Code != http.StatusSeeOther {
		t.Fatalf("owner deletes a contributor's comment: %d", rec.Code)
	}
	if rec := contrib.post("/w/acme/comments/"+other.ID+"/delete", url.Values{}); rec.Code != http.StatusForbidden {
		t.Errorf("still 403: %d", rec.Code)
	}
	if _, err := store.FindCommentByID(ctx, ws, c.ID); tandem.ErrorCode(err) != tandem.ENotFound {
		t.Errorf("deleted comment: %v", err)
	}
	if _, err := store.FindCommentByID(ctx, ws, other.ID); err != nil {
		t.Errorf("the other comment should remain: %v", err)
	}
}

func TestUIMemberAdd(t *testing.T) {
	store := newBrowserStore(t)
	h, sd := newUITestOn(t, store)
	ctx := context.Background()
	newcomer := &tandem.User{Email: "analyst@example.com", Name: "Analyst"}
	if err := store.CreateUser(ctx, newcomer, seedPassword); err != nil {
		t.Fatal(err)
	}
	owner := signIn(t, h, sd.Owner.Email)
	owner.expect(owner.get("/w/acme/members"), http.StatusOK, "Add a member", `action="/w/acme/members"`)

	owner.expect(owner.post("/w/acme/members", url.Values{"email": {"nobody@example.com"}, "role": {"viewer"}}),
		http.StatusUnprocessableEntity, "No account has the email nobody@example.com", `value="nobody@example.com"`)
	owner.expect(owner.post("/w/acme/members", url.Values{"email": {newcomer.Email}, "role": {"emperor"}}),
		http.StatusUnprocessableEntity, "Choose one of the listed roles")
	owner.expect(owner.post("/w/acme/members", url.Values{"email": {sd.Viewer.Email}, "role": {"manager"}}),
		http.StatusConflict, "is a member already")

	rec := owner.post("/w/acme/members", url.Values{"email": {" ANALYST@example.com "}, "role": {"manager"}})
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("add member: %d; body:\n%.2000s", rec.Code, rec.Body)
	}
	m, err := store.FindMember(ctx, sd.WS.ID, newcomer.ID)
	if err != nil || m.Role != tandem.RoleManager {
		t.Fatalf("new member: %+v, %v", m, err)
	}
	owner.expect(owner.get("/w/acme/members"), http.StatusOK, "Analyst", "added as Manager")

	// Then change the role from the same page.
	if rec := owner.post("/w/acme/members/"+newcomer.ID+"/role", url.Values{"role": {"viewer"}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("change role: %d", rec.Code)
	}
	if m, _ := store.FindMember(ctx, sd.WS.ID, newcomer.ID); m.Role != tandem.RoleViewer {
		t.Errorf("role after change = %s", m.Role)
	}

	// Only admins and owners add members; the form is hidden from others.
	contrib := signIn(t, h, sd.Contributor.Email)
	if strings.Contains(contrib.get("/w/acme/members").Body.String(), "Add a member") {
		t.Error("a contributor sees the add-member form")
	}
	if rec := contrib.post("/w/acme/members", url.Values{"email": {newcomer.Email}, "role": {"owner"}}); rec.Code != http.StatusForbidden {
		t.Errorf("contributor adds a member: %d, want 403", rec.Code)
	}
}
