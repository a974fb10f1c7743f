package http

import (
	"net/http"
	"strings"

	"github.com/tandem-pm/tandem"
)

// apiFallbackPattern catches requests under /api/ that no endpoint
// matches, so that API clients get a problem document (404, or 405 with
// Allow) instead of the mux's plain text.
const apiFallbackPattern = "/api/{rest...}"

func (s *Server) apiFallbackRoutes() []route {
	var rs []route
	for _, m := range []string{"GET", "POST", "PUT", "PATCH", "DELETE"} {
		rs = append(rs, route{Method: m, Pattern: apiFallbackPattern, Public: true, Handle: s.handleAPIFallback})
	}
	return rs
}

func (s *Server) handleAPIFallback(w http.ResponseWriter, r *http.Request, _ *request) error {
	mux := http.NewServeMux()
	for _, e := range s.apiEndpoints() {
		mux.Handle(e.Method+" "+e.Pattern, http.NotFoundHandler())
	}
	var allow []string
	for _, m := range []string{"GET", "POST", "PUT", "PATCH", "DELETE"} {
		r2 := r.Clone(r.Context())
		r2.Method = m
		if _, pattern := mux.Handler(r2); pattern != "" {
			allow = append(allow, m)
		}
	}
	if len(allow) > 0 {
		w.Header().Set("Allow", strings.Join(allow, ", "))
		return &statusError{Status: http.StatusMethodNotAllowed, Code: tandem.EInvalid,
			Detail: "This resource does not take " + r.Method + "; it takes " + strings.Join(allow, ", ") + "."}
	}
	return tandem.Errorf(tandem.ENotFound, "There is no API endpoint at %s; see /api/v1/openapi.json.", r.URL.Path)
}
