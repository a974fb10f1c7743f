package http

import (
	"net/http"

	"github.com/tandem-pm/tandem"
)

// uiRoutes lists the browser UI's pages.
func (s *Server) uiRoutes() []route {
	return nil
}

// writeUIError renders err as an HTML page (sign-in redirect for EUnauthorized).
func (s *Server) writeUIError(w http.ResponseWriter, r *http.Request, err error) {
	http.Error(w, err.Error(), statusOf(tandem.ErrorCode(err)))
}
