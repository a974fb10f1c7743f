package http

import (
	"encoding/json"
	"errors"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/tandem-pm/tandem"
)

func ptr[T any](v T) *T { return &v }

func TestDecodeFieldsMergePatch(t *testing.T) {
	tests := []struct {
		name   string
		body   string
		want   tandem.ItemUpdate
		fields []string // field errors, sorted
	}{
		{name: "absent is unchanged", body: `{}`, want: tandem.ItemUpdate{}},
		{name: "value sets", body: `{"title":"New","progress":40,"goal_ids":["a"]}`,
			want: tandem.ItemUpdate{Title: ptr("New"), Progress: ptr(40), GoalIDs: ptr([]string{"a"})}},
		{name: "null clears", body: `{"parent_id":null,"planned_start":null,"effort_hours":null}`,
			want: tandem.ItemUpdate{ParentID: ptr(""), PlannedStart: ptr(tandem.Date{}), EffortHours: ptr(0.0)}},
		{name: "date", body: `{"planned_finish":"2026-03-01"}`,
			want: tandem.ItemUpdate{PlannedFinish: ptr(tandem.Date{Year: 2026, Month: 3, Day: 1})}},
		{name: "unknown fields", body: `{"titel":"x","colour":1,"title":"ok"}`, fields: []string{"colour", "titel"}},
		{name: "wrong types", body: `{"title":5,"progress":"high","goal_ids":"a","planned_start":"soon"}`,
			fields: []string{"goal_ids", "planned_start", "progress", "title"}},
		{name: "fraction for an integer", body: `{"progress":1.5}`, fields: []string{"progress"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var obj map[string]json.RawMessage
			if err := json.Unmarshal([]byte(tt.body), &obj); err != nil {
				t.Fatal(err)
			}
			var got tandem.ItemUpdate
			err := decodeFields(obj, &got, nil)
			if tt.fields != nil {
				var e *tandem.Error
				if !asDomainError(err, &e) || e.Code != tandem.EInvalid {
					t.Fatalf("err = %v, want an invalid error", err)
				}
				var names []string
				for _, f := range e.Fields {
					names = append(names, f.Field)
					if f.Message == "" {
						t.Errorf("field %s has no message", f.Field)
					}
				}
				if !reflect.DeepEqual(names, tt.fields) {
					t.Errorf("field errors = %v, want %v (%v)", names, tt.fields, e.Fields)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				gb, _ := json.Marshal(got)
				wb, _ := json.Marshal(tt.want)
				t.Errorf("got %s, want %s", gb, wb)
			}
		})
	}
}

func asDomainError(err error, e **tandem.Error) bool { return errors.As(err, e) }

func TestDecodeFieldsCreateIgnoresReadOnly(t *testing.T) {
	var obj map[string]json.RawMessage
	json.Unmarshal([]byte(`{"id":"x","version":9,"created_at":"2020-01-01T00:00:00Z","kind":"task","title":"T","budget":1}`), &obj)
	var x tandem.Item
	err := decodeFields(obj, &x, map[string]bool{"id": true, "version": true, "created_at": true})
	var e *tandem.Error
	if !asDomainError(err, &e) || len(e.Fields) != 1 || e.Fields[0].Field != "budget" {
		t.Fatalf("err = %v, want one field error for budget", err)
	}
	if x.ID != "" || x.Version != 0 || x.Kind != "task" {
		t.Errorf("got %+v", x)
	}
}

func TestDecodeFieldsNested(t *testing.T) {
	var obj map[string]json.RawMessage
	json.Unmarshal([]byte(`{"budget":{"amount":"lots","currency":"EUR"}}`), &obj)
	var u tandem.ProgramUpdate
	err := decodeFields(obj, &u, nil)
	var e *tandem.Error
	if !asDomainError(err, &e) || len(e.Fields) != 1 || e.Fields[0].Field != "budget.amount" {
		t.Fatalf("err = %v, want a field error for budget.amount", err)
	}
	json.Unmarshal([]byte(`{"budget":{"amount":5,"colour":"red"}}`), &obj)
	err = decodeFields(obj, &u, nil)
	if !asDomainError(err, &e) || len(e.Fields) != 1 || e.Fields[0].Field != "budget.colour" {
		t.Fatalf("err = %v, want a field error for budget.colour", err)
	}
}

func TestDecodeQuery(t *testing.T) {
	var f tandem.ItemFilter
	q, _ := url.ParseQuery("kind=task&project_id=0190f3a2-7b1c-7def-8abc-0123456789ab&q=login&limit=900&cursor=abc")
	if err := decodeQuery(q, &f); err != nil {
		t.Fatal(err)
	}
	want := tandem.ItemFilter{Kind: "task", ProjectID: "0190f3a2-7b1c-7def-8abc-0123456789ab", Q: "login",
		Page: tandem.Page{Limit: tandem.MaxLimit, Cursor: "abc"}}
	if f != want {
		t.Errorf("got %+v, want %+v", f, want)
	}

	var g tandem.GoalFilter
	q, _ = url.ParseQuery("parent_id=")
	if err := decodeQuery(q, &g); err != nil || g.ParentID == nil || *g.ParentID != "" {
		t.Errorf("parent_id= gave %v, %v; want a pointer to \"\" (top-level goals)", g.ParentID, err)
	}

	q, _ = url.ParseQuery("projct_id=x&limit=0&assignee_id=nope")
	err := decodeQuery(q, &f)
	var e *tandem.Error
	if !asDomainError(err, &e) || len(e.Fields) != 3 {
		t.Fatalf("err = %v, want three field errors", err)
	}
}

func TestSnakeName(t *testing.T) {
	for in, want := range map[string]string{"ProjectID": "project_id", "Q": "q", "EntityType": "entity_type", "ID": "id", "Kind": "kind"} {
		if got := snakeName(in); got != want {
			t.Errorf("snakeName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestIfMatch(t *testing.T) {
	tests := []struct {
		header  string
		version int64
		stale   bool
	}{
		{"", 0, false},
		{"*", 0, false},
		{`"3"`, 3, false},
		{`W/"4"`, 4, false},
		{`3`, 0, true},
		{`"x"`, 0, true},
		{`"0"`, 0, true},
		{`"1", "2"`, 0, true},
	}
	for _, tt := range tests {
		r := httptest.NewRequest("PATCH", "/", nil)
		if tt.header != "" {
			r.Header.Set("If-Match", tt.header)
		}
		v, err := ifMatchVersion(r)
		if v != tt.version || (err != nil) != tt.stale || (err != nil && tandem.ErrorCode(err) != tandem.EStale) {
			t.Errorf("If-Match %q: got %d, %v; want %d, stale %v", tt.header, v, err, tt.version, tt.stale)
		}
	}
}

func TestReadObject(t *testing.T) {
	tests := []struct {
		name, ctype, body string
		status            int
	}{
		{"json", "application/json", `{"a":1}`, 0},
		{"json with charset", "application/json; charset=utf-8", `{}`, 0},
		{"merge patch", "application/merge-patch+json", `{}`, 0},
		{"form", "application/x-www-form-urlencoded", `a=1`, 415},
		{"no type", "", `{}`, 415},
		{"array", "application/json", `[1]`, 422},
		{"null", "application/json", `null`, 422},
		{"trailing garbage", "application/json", `{} x`, 422},
		{"too large", "application/json", `{"a":"` + strings.Repeat("x", maxBodyBytes) + `"}`, 413},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("POST", "/", strings.NewReader(tt.body))
			if tt.ctype != "" {
				r.Header.Set("Content-Type", tt.ctype)
			}
			w := httptest.NewRecorder()
			_, err := readObject(w, r)
			if tt.status == 0 {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			w = httptest.NewRecorder()
			writeProblem(w, err)
			if w.Code != tt.status {
				t.Errorf("status = %d, want %d (%v)", w.Code, tt.status, err)
			}
			if ct := w.Header().Get("Content-Type"); ct != "application/problem+json" {
				t.Errorf("Content-Type = %q", ct)
			}
		})
	}
}

func TestMergePatch(t *testing.T) {
	// Cases from RFC 7396, appendix A, where target and patch are objects.
	tests := []struct{ target, patch, want string }{
		{`{"a":"b"}`, `{"a":"c"}`, `{"a":"c"}`},
		{`{"a":"b"}`, `{"b":"c"}`, `{"a":"b","b":"c"}`},
		{`{"a":"b"}`, `{"a":null}`, `{}`},
		{`{"a":"b","b":"c"}`, `{"a":null}`, `{"b":"c"}`},
		{`{"a":["b"]}`, `{"a":"c"}`, `{"a":"c"}`},
		{`{"a":{"b":"c"}}`, `{"a":{"b":"d","c":null}}`, `{"a":{"b":"d"}}`},
		{`{"a":[{"b":"c"}]}`, `{"a":[1]}`, `{"a":[1]}`},
		{`{"e":null}`, `{"a":1}`, `{"a":1,"e":null}`},
		{`{}`, `{"a":{"bb":{"ccc":null}}}`, `{"a":{"bb":{}}}`},
		{`{"amount":12345678901234567,"currency":"EUR"}`, `{"currency":"USD"}`, `{"amount":12345678901234567,"currency":"USD"}`},
	}
	for _, tt := range tests {
		got, err := mergePatch(json.RawMessage(tt.target), json.RawMessage(tt.patch))
		if err != nil || string(got) != tt.want {
			t.Errorf("mergePatch(%s, %s) = %s, %v; want %s", tt.target, tt.patch, got, err, tt.want)
		}
	}
}
