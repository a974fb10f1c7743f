package http

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/tandem-pm/tandem"
)

// call sends one API request as p and returns the status and decoded body.
func (rw *roleWalk) call(t *testing.T, p *principal, method, path, body string, hdr ...string) (int, http.Header, map[string]any) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, rw.srv.URL()+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if p != nil {
		req.Header.Set("Authorization", "Bearer "+p.token)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	b, _ := io.ReadAll(resp.Body)
	if len(b) > 0 {
		if err := json.Unmarshal(b, &out); err != nil {
			t.Fatalf("%s %s: %d, body is not a JSON object: %s", method, path, resp.StatusCode, b)
		}
	}
	return resp.StatusCode, resp.Header, out
}

func (rw *roleWalk) as(role string) *principal {
	for _, p := range rw.who {
		if p.name == role {
			return p
		}
	}
	panic("no principal " + role)
}

func testAPIMembers(t *testing.T, rw *roleWalk) {
	admin, owner := rw.as("admin"), rw.as("owner")
	base := "/api/v1/workspaces/acme/members/"

	tests := []struct {
		name         string
		who          *principal
		method, path string
		body         string
		want         int
	}{
		{"admin makes a contributor", admin, "PUT", base + rw.spare.ID, `{"role":"contributor"}`, 200},
		{"admin may not make an owner", admin, "PUT", base + rw.spare.ID, `{"role":"owner"}`, 403},
		{"admin may not demote the owner", admin, "PUT", base + rw.owner.ID, `{"role":"viewer"}`, 403},
		{"admin may not remove the owner", admin, "DELETE", base + rw.owner.ID, ``, 403},
		{"unknown role", admin, "PUT", base + rw.spare.ID, `{"role":"boss"}`, 422},
		{"unknown user", admin, "PUT", base + tandem.NewID(), `{"role":"viewer"}`, 404},
		{"malformed user ID", admin, "PUT", base + "bob", `{"role":"viewer"}`, 404},
		{"the last owner stays", owner, "PUT", base + rw.owner.ID, `{"role":"viewer"}`, 409},
		{"owner makes an owner", owner, "PUT", base + rw.spare.ID, `{"role":"owner"}`, 200},
		{"owner removes an owner", owner, "DELETE", base + rw.spare.ID, ``, 204},
		{"removed", owner, "GET", base + rw.spare.ID, ``, 404},
	}
	for _, tt := range tests {
		status, _, body := rw.call(t, tt.who, tt.method, tt.path, tt.body)
		if status != tt.want {
			t.Errorf("%s: %s %s: %d, want %d: %v", tt.name, tt.method, tt.path, status, tt.want, body)
		}
	}
	status, _, body := rw.call(t, owner, "GET", "/api/v1/workspaces/acme/members", "")
	if status != 200 || len(body["data"].([]any)) != 5 {
		t.Errorf("members: %d %v, want 5 (the spare was removed)", status, body)
	}
}

func testAPIProblems(t *testing.T, rw *roleWalk) {
	mgr := rw.as("manager")
	ws := "/api/v1/workspaces/acme"

	status, hdr, goal := rw.call(t, mgr, "POST", ws+"/goals", `{"title":"Grow","id":"ignored","progress":0.5}`)
	if status != 201 || hdr.Get("ETag") != `"1"` || !strings.HasPrefix(hdr.Get("Location"), "/api/v1/workspaces/"+rw.ws.ID+"/goals/") {
		t.Fatalf("create goal: %d %v %v", status, hdr, goal)
	}
	id := goal["id"].(string)
	if id == "ignored" {
		t.Errorf("the id of a create body was used")
	}

	tests := []struct {
		name         string
		method, path string
		body         string
		hdr          []string
		want         int
		fields       []string
	}{
		{name: "wrong type", method: "PATCH", path: ws + "/goals/" + id, body: `{"title":["a"]}`, want: 422, fields: []string{"title"}},
		{name: "read-only field", method: "PATCH", path: ws + "/goals/" + id, body: `{"progress":1}`, want: 422, fields: []string{"progress"}},
		{name: "bad date", method: "PATCH", path: ws + "/goals/" + id, body: `{"due_date":"tomorrow"}`, want: 422, fields: []string{"due_date"}},
		{name: "validation", method: "PATCH", path: ws + "/goals/" + id, body: `{"title":""}`, want: 422, fields: []string{"title"}},
		{name: "malformed If-Match", method: "PATCH", path: ws + "/goals/" + id, body: `{"title":"x"}`, hdr: []string{"If-Match", "1"}, want: 412},
		{name: "stale If-Match", method: "PATCH", path: ws + "/goals/" + id, body: `{"title":"x"}`, hdr: []string{"If-Match", `"7"`}, want: 412},
		{name: "current If-Match", method: "PATCH", path: ws + "/goals/" + id, body: `{"title":"Grow more"}`, hdr: []string{"If-Match", `"1"`}, want: 200},
		{name: "not modified", method: "GET", path: ws + "/goals/" + id, hdr: []string{"If-None-Match", `"2"`}, want: 304},
		{name: "modified", method: "GET", path: ws + "/goals/" + id, hdr: []string{"If-None-Match", `"1"`}, want: 200},
		{name: "unknown filter", method: "GET", path: ws + "/goals?parent=x", want: 422, fields: []string{"parent"}},
		{name: "bad limit", method: "GET", path: ws + "/goals?limit=-1", want: 422, fields: []string{"limit"}},
		{name: "no such goal", method: "GET", path: ws + "/goals/" + tandem.NewID(), want: 404},
		{name: "malformed id", method: "DELETE", path: ws + "/goals/42", want: 404},
		{name: "no such workspace", method: "GET", path: "/api/v1/workspaces/nowhere/goals", want: 404},
		{name: "stale delete", method: "DELETE", path: ws + "/goals/" + id, hdr: []string{"If-Match", `"1"`}, want: 412},
		{name: "delete", method: "DELETE", path: ws + "/goals/" + id, hdr: []string{"If-Match", `"2"`}, want: 204},
		{name: "deleted", method: "GET", path: ws + "/goals/" + id, want: 404},
	}
	for _, tt := range tests {
		status, hdr, body := rw.call(t, mgr, tt.method, tt.path, tt.body, tt.hdr...)
		if status != tt.want {
			t.Errorf("%s: %s %s: %d, want %d: %v", tt.name, tt.method, tt.path, status, tt.want, body)
			continue
		}
		if status >= 400 {
			if ct := hdr.Get("Content-Type"); ct != "application/problem+json" {
				t.Errorf("%s: Content-Type %q, want application/problem+json", tt.name, ct)
			}
			if body["status"] != float64(status) || body["title"] == "" || body["detail"] == "" || body["type"] == "" {
				t.Errorf("%s: problem %v lacks type, title, status or detail", tt.name, body)
			}
		}
		var got []string
		if errs, ok := body["errors"].([]any); ok {
			for _, e := range errs {
				got = append(got, e.(map[string]any)["field"].(string))
			}
		}
		if strings.Join(got, ",") != strings.Join(tt.fields, ",") {
			t.Errorf("%s: field errors %v, want %v", tt.name, got, tt.fields)
		}
	}

	// Nested objects merge (RFC 7396): changing the amount keeps the currency.
	status, _, prog := rw.call(t, mgr, "POST", ws+"/programs", `{"name":"Migration","budget":{"amount":100,"currency":"EUR"}}`)
	if status != 201 {
		t.Fatalf("create program: %d %v", status, prog)
	}
	pid := prog["id"].(string)
	status, _, prog = rw.call(t, mgr, "PATCH", ws+"/programs/"+pid, `{"budget":{"amount":250}}`)
	if b, _ := prog["budget"].(map[string]any); status != 200 || b["amount"] != 250.0 || b["currency"] != "EUR" {
		t.Errorf("patch budget amount: %d %v, want 250 EUR", status, prog["budget"])
	}
	status, _, prog = rw.call(t, mgr, "PATCH", ws+"/programs/"+pid, `{"budget":null}`)
	if b, _ := prog["budget"].(map[string]any); status != 200 || b["amount"] != 0.0 || b["currency"] != "" {
		t.Errorf("clear budget: %d %v", status, prog["budget"])
	}
	status, _, prog = rw.call(t, mgr, "PATCH", ws+"/programs/"+pid, `{"budget":{"amount":1,"colour":"red"}}`)
	if status != 422 {
		t.Errorf("unknown nested field: %d %v, want 422", status, prog)
	}

	// A browser session cannot be used for cross-site writes (CSRF).
	req, _ := http.NewRequest("POST", rw.srv.URL()+ws+"/goals", strings.NewReader(`{"title":"Forged"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	req.AddCookie(&http.Cookie{Name: sessionCookie, Value: mgr.cookie})
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("cross-site write with a session cookie: %d, want 403", resp.StatusCode)
	}

	// Workspaces list: the caller's only.
	status, _, body := rw.call(t, rw.as("non-member"), "GET", "/api/v1/workspaces", "")
	data, _ := body["data"].([]any)
	if status != 200 || len(data) != 1 || data[0].(map[string]any)["slug"] != "elsewhere" {
		t.Errorf("outsider's workspaces: %d %v", status, body)
	}
	if _, ok := body["next_cursor"]; !ok {
		t.Errorf("list without next_cursor: %v", body)
	}
}
