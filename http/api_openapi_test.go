package http

import (
	"encoding/json"
	"net/http/httptest"
	"sort"
	"strings"
	"testing"
)

// TestOpenAPIMatchesRoutes keeps the served document in step with the
// route table: every API route is documented with its method, and every
// documented operation is routed.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	s := NewServer(nil, nil)
	w := httptest.NewRecorder()
	s.Handler().ServeHTTP(w, httptest.NewRequest("GET", "/api/v1/openapi.json", nil))
	if w.Code != 200 {
		t.Fatalf("GET /api/v1/openapi.json: %d %s", w.Code, w.Body)
	}
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
		Comps   struct {
			Schemas map[string]json.RawMessage `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.OpenAPI != "3.1.0" {
		t.Errorf("openapi = %q, want 3.1.0", doc.OpenAPI)
	}

	routed := map[string]bool{}
	for _, rt := range s.routes() {
		if !strings.HasPrefix(rt.Pattern, "/api/") || rt.Pattern == apiFallbackPattern {
			continue
		}
		key := rt.Method + " " + rt.Pattern
		routed[key] = true
		if _, ok := doc.Paths[rt.Pattern][strings.ToLower(rt.Method)]; !ok {
			t.Errorf("route %s is not in the OpenAPI document", key)
		}
	}
	var documented []string
	for path, ops := range doc.Paths {
		for method := range ops {
			key := strings.ToUpper(method) + " " + path
			documented = append(documented, key)
			if !routed[key] {
				t.Errorf("the OpenAPI document has %s, which is not routed", key)
			}
		}
	}
	sort.Strings(documented)
	if len(documented) < 50 {
		t.Errorf("only %d operations documented: %v", len(documented), documented)
	}

	// Every $ref resolves.
	for _, ref := range strings.Split(w.Body.String(), `"$ref": "#/components/schemas/`)[1:] {
		name, _, _ := strings.Cut(ref, `"`)
		if _, ok := doc.Comps.Schemas[name]; !ok {
			t.Errorf("$ref to missing schema %s", name)
		}
	}
	for _, name := range []string{"Item", "ItemUpdate", "Problem", "Dependency", "Member", "TokenCreated"} {
		if _, ok := doc.Comps.Schemas[name]; !ok {
			t.Errorf("schema %s missing", name)
		}
	}
	var item struct {
		Properties map[string]json.RawMessage `json:"properties"`
	}
	json.Unmarshal(doc.Comps.Schemas["Item"], &item)
	for _, f := range []string{"id", "version", "kind", "title", "project_id", "planned_start", "goal_ids"} {
		if _, ok := item.Properties[f]; !ok {
			t.Errorf("Item schema lacks %s", f)
		}
	}
}

func TestAPIFallback(t *testing.T) {
	s := NewServer(nil, nil)
	tests := []struct {
		method, path string
		status       int
		allow        string
	}{
		{"GET", "/api/v1/nothing", 404, ""},
		{"DELETE", "/api/v2/workspaces", 404, ""},
		{"PUT", "/api/v1/workspaces", 405, "GET, POST"},
		{"POST", "/api/v1/openapi.json", 405, "GET"},
	}
	for _, tt := range tests {
		w := httptest.NewRecorder()
		s.Handler().ServeHTTP(w, httptest.NewRequest(tt.method, tt.path, nil))
		if w.Code != tt.status || w.Header().Get("Allow") != tt.allow || w.Header().Get("Content-Type") != "application/problem+json" {
			t.Errorf("%s %s: %d, Allow %q, %s; want %d, Allow %q, a problem", tt.method, tt.path, w.Code, w.Header().Get("Allow"), w.Header().Get("Content-Type"), tt.status, tt.allow)
		}
	}
}
