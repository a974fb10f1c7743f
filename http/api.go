package http

import (
	"encoding/json"
	"errors"
	"net/http"

	"github.com/tandem-pm/tandem"
)

// apiRoutes lists the JSON API's routes under /api/v1.
func (s *Server) apiRoutes() []route {
	return []route{
		{Method: "GET", Pattern: "/api/v1/workspaces", Handle: s.handleWorkspaceList},
	}
}

func (s *Server) handleWorkspaceList(w http.ResponseWriter, r *http.Request, rq *request) error {
	wss, err := s.Store.FindWorkspacesOf(r.Context(), rq.User.ID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"data": wss, "next_cursor": ""})
	return nil
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// problem is an RFC 9457 problem document.
type problem struct {
	Type   string              `json:"type"`
	Title  string              `json:"title"`
	Status int                 `json:"status"`
	Detail string              `json:"detail"`
	Code   string              `json:"code"`
	Errors []tandem.FieldError `json:"errors,omitempty"`
}

func writeProblem(w http.ResponseWriter, err error) {
	code := tandem.ErrorCode(err)
	status := statusOf(code)
	p := problem{Type: "about:blank", Title: http.StatusText(status), Status: status, Detail: tandem.ErrorMessage(err), Code: code}
	var e *tandem.Error
	if errors.As(err, &e) {
		p.Errors = e.Fields
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(p)
}
