package http

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"strconv"
	"sync"

	"github.com/tandem-pm/tandem"
)

// endpoint is an API route with what the OpenAPI document says about it.
// The route table and the document are both made from endpoints, so they
// cannot drift apart.
type endpoint struct {
	route
	ID      string       // operationId
	Summary string       // one line
	Tag     string       // group in the document
	Query   reflect.Type // a Filter struct: the list's query parameters
	Body    reflect.Type // request body
	Resp    reflect.Type // response body; the element type when List
	List    bool         // responds {"data": [...], "next_cursor": ...}
	Status  int          // success status
	ETag    bool         // responds with an ETag; GET honours If-None-Match
	IfMatch bool         // honours If-Match
	Stream  bool         // responds text/event-stream, each event's data a Resp
}

// apiRoutes lists the JSON API's routes under /api/v1.
func (s *Server) apiRoutes() []route {
	eps := s.apiEndpoints()
	rs := make([]route, len(eps))
	for i, e := range eps {
		rs[i] = e.route
	}
	return append(rs, s.apiFallbackRoutes()...)
}

// apiEndpoints lists every endpoint of the JSON API.
func (s *Server) apiEndpoints() []endpoint {
	eps := []endpoint{
		{route: route{Method: "GET", Pattern: "/api/v1/openapi.json", Public: true, Handle: s.handleAPIOpenAPI},
			ID: "getOpenAPI", Summary: "This API's OpenAPI 3.1 document", Tag: "meta", Resp: reflect.TypeFor[map[string]any](), Status: 200},
		{route: route{Method: "GET", Pattern: "/api/v1/workspaces", Handle: s.handleAPIWorkspaceList},
			ID: "listWorkspaces", Summary: "The caller's workspaces", Tag: "workspaces", Resp: reflect.TypeFor[tandem.Workspace](), List: true, Status: 200},
		{route: route{Method: "POST", Pattern: "/api/v1/workspaces", Handle: s.handleAPIWorkspaceCreate},
			ID: "createWorkspace", Summary: "Create a workspace; the caller becomes its owner", Tag: "workspaces",
			Body: reflect.TypeFor[workspaceInput](), Resp: reflect.TypeFor[tandem.Workspace](), Status: 201},
		{route: route{Method: "GET", Pattern: "/api/v1/workspaces/{ws}", Perm: tandem.PermRead, Handle: s.handleAPIWorkspaceView},
			ID: "getWorkspace", Summary: "One workspace, by ID or slug", Tag: "workspaces", Resp: reflect.TypeFor[tandem.Workspace](), Status: 200},

		{route: route{Method: "GET", Pattern: "/api/v1/tokens", Handle: s.handleAPITokenList},
			ID: "listTokens", Summary: "The caller's API tokens", Tag: "tokens", Resp: reflect.TypeFor[tandem.Token](), List: true, Status: 200},
		{route: route{Method: "POST", Pattern: "/api/v1/tokens", Handle: s.handleAPITokenCreate},
			ID: "createToken", Summary: "Create an API token; the response holds its secret, shown only this once", Tag: "tokens",
			Body: reflect.TypeFor[tokenInput](), Resp: reflect.TypeFor[tokenCreated](), Status: 201},
		{route: route{Method: "DELETE", Pattern: "/api/v1/tokens/{id}", Handle: s.handleAPITokenRevoke},
			ID: "revokeToken", Summary: "Revoke one of the caller's API tokens", Tag: "tokens", Status: 204},

		{route: route{Method: "GET", Pattern: "/api/v1/workspaces/{ws}/members", Perm: tandem.PermRead, Handle: s.handleAPIMemberList},
			ID: "listMembers", Summary: "The workspace's members", Tag: "members", Resp: reflect.TypeFor[tandem.Member](), List: true, Status: 200},
		{route: route{Method: "GET", Pattern: "/api/v1/workspaces/{ws}/members/{user_id}", Perm: tandem.PermRead, Handle: s.handleAPIMemberView},
			ID: "getMember", Summary: "One member", Tag: "members", Resp: reflect.TypeFor[tandem.Member](), Status: 200},
		{route: route{Method: "PUT", Pattern: "/api/v1/workspaces/{ws}/members/{user_id}", Perm: tandem.PermManageMembers, Handle: s.handleAPIMemberSet},
			ID: "setMember", Summary: "Add a user to the workspace or change their role", Tag: "members",
			Body: reflect.TypeFor[memberInput](), Resp: reflect.TypeFor[tandem.Member](), Status: 200},
		{route: route{Method: "DELETE", Pattern: "/api/v1/workspaces/{ws}/members/{user_id}", Perm: tandem.PermManageMembers, Handle: s.handleAPIMemberRemove},
			ID: "removeMember", Summary: "Remove a member", Tag: "members", Status: 204},

		{route: route{Method: "GET", Pattern: "/api/v1/workspaces/{ws}/activity", Perm: tandem.PermRead, Handle: s.handleAPIActivityList},
			ID: "listActivity", Summary: "The audit log, newest first", Tag: "activity",
			Query: reflect.TypeFor[tandem.ActivityFilter](), Resp: reflect.TypeFor[tandem.Activity](), List: true, Status: 200},

		{route: route{Method: "GET", Pattern: "/api/v1/workspaces/{ws}/key_results/{id}/measurements", Perm: tandem.PermRead, Handle: s.handleAPIMeasurementList},
			ID: "listMeasurements", Summary: "A key result's measurements, by date", Tag: "key_results",
			Resp: reflect.TypeFor[tandem.Measurement](), List: true, Status: 200},
		{route: route{Method: "POST", Pattern: "/api/v1/workspaces/{ws}/key_results/{id}/measurements", Perm: tandem.PermEditAll, Handle: s.handleAPIMeasurementCreate},
			ID: "createMeasurement", Summary: "Record a measurement of a key result", Tag: "key_results",
			Body: reflect.TypeFor[tandem.Measurement](), Resp: reflect.TypeFor[tandem.Measurement](), Status: 201},
	}
	eps = append(eps, s.resourceEndpoints()...)
	eps = append(eps, s.calendarEndpoints()...)
	eps = append(eps, s.scheduleEndpoints()...)
	eps = append(eps, s.insightEndpoints()...)
	eps = append(eps, s.similarEndpoints()...)
	eps = append(eps, s.eventEndpoints()...)
	return eps
}

// list is the body of every list response.
type list[T any] struct {
	Data       []T    `json:"data"`
	NextCursor string `json:"next_cursor"`
}

func writeList[T any](w http.ResponseWriter, data []T, next string) {
	if data == nil {
		data = []T{}
	}
	if xs, ok := any(data).([]*tandem.Item); ok {
		buf := getBody()
		defer putBody(buf)
		var err error
		if buf.b, err = appendItemList(buf.b, xs, next); err == nil {
			writeBody(w, http.StatusOK, "application/json", buf.b)
			return
		}
		// Not encodable the fast way: encoding/json says why.
	}
	writeJSON(w, http.StatusOK, list[T]{Data: data, NextCursor: next})
}

func (s *Server) handleAPIWorkspaceList(w http.ResponseWriter, r *http.Request, rq *request) error {
	wss, err := s.Store.FindWorkspacesOf(r.Context(), rq.User.ID)
	if err != nil {
		return err
	}
	writeList(w, wss, "")
	return nil
}

type workspaceInput struct {
	Slug string `json:"slug"`
	Name string `json:"name"`
}

func (s *Server) handleAPIWorkspaceCreate(w http.ResponseWriter, r *http.Request, rq *request) error {
	obj, err := readObject(w, r)
	if err != nil {
		return err
	}
	var in workspaceInput
	if err := decodeFields(obj, &in, nil); err != nil {
		return err
	}
	ws := &tandem.Workspace{Slug: in.Slug, Name: in.Name}
	if err := ws.Validate(); err != nil {
		return err
	}
	if err := s.Store.CreateWorkspace(r.Context(), ws, rq.User.ID); err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/workspaces/"+ws.ID)
	writeJSON(w, http.StatusCreated, ws)
	return nil
}

func (s *Server) handleAPIWorkspaceView(w http.ResponseWriter, r *http.Request, rq *request) error {
	writeJSON(w, http.StatusOK, rq.Workspace)
	return nil
}

type tokenInput struct {
	Name string `json:"name"`
}

// tokenCreated is a new token with its secret, which is never shown again.
type tokenCreated struct {
	tandem.Token
	Secret string `json:"secret"`
}

func (s *Server) handleAPITokenList(w http.ResponseWriter, r *http.Request, rq *request) error {
	ts, err := s.Store.FindTokens(r.Context(), rq.User.ID)
	if err != nil {
		return err
	}
	writeList(w, ts, "")
	return nil
}

func (s *Server) handleAPITokenCreate(w http.ResponseWriter, r *http.Request, rq *request) error {
	obj, err := readObject(w, r)
	if err != nil {
		return err
	}
	var in tokenInput
	if err := decodeFields(obj, &in, nil); err != nil {
		return err
	}
	var p tandem.Problems
	switch {
	case in.Name == "":
		p.Add("name", "is required")
	case len(in.Name) > 200:
		p.Add("name", "must be at most 200 characters")
	}
	if err := p.Err("token"); err != nil {
		return err
	}
	t, secret, err := s.Store.CreateToken(r.Context(), rq.User.ID, in.Name)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/tokens/"+t.ID)
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusCreated, tokenCreated{Token: *t, Secret: secret})
	return nil
}

func (s *Server) handleAPITokenRevoke(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := pathID(r, "id", "token")
	if err != nil {
		return err
	}
	if err := s.Store.RevokeToken(r.Context(), rq.User.ID, id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

type memberInput struct {
	Role tandem.Role `json:"role"`
}

func (s *Server) handleAPIMemberList(w http.ResponseWriter, r *http.Request, rq *request) error {
	ms, err := s.Store.FindMembers(r.Context(), rq.Workspace.ID)
	if err != nil {
		return err
	}
	writeList(w, ms, "")
	return nil
}

func (s *Server) handleAPIMemberView(w http.ResponseWriter, r *http.Request, rq *request) error {
	uid, err := pathID(r, "user_id", "member")
	if err != nil {
		return err
	}
	m, err := s.Store.FindMember(r.Context(), rq.Workspace.ID, uid)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, m)
	return nil
}

// mayChangeMember says whether the caller may give target role (or remove
// it, when role is ""): only owners make or unmake owners.
func mayChangeMember(rq *request, current *tandem.Member, role tandem.Role) error {
	if rq.Member.Role == tandem.RoleOwner {
		return nil
	}
	if role == tandem.RoleOwner || (current != nil && current.Role == tandem.RoleOwner) {
		return tandem.Errorf(tandem.EForbidden, "Only an owner can make or change an owner.")
	}
	return nil
}

func (s *Server) handleAPIMemberSet(w http.ResponseWriter, r *http.Request, rq *request) error {
	uid, err := pathID(r, "user_id", "user")
	if err != nil {
		return err
	}
	obj, err := readObject(w, r)
	if err != nil {
		return err
	}
	var in memberInput
	if err := decodeFields(obj, &in, nil); err != nil {
		return err
	}
	if !in.Role.Valid() {
		var p tandem.Problems
		p.Add("role", "must be one of owner, admin, manager, contributor, viewer")
		return p.Err("member")
	}
	if _, err := s.Store.FindUserByID(r.Context(), uid); err != nil {
		return err
	}
	cur, err := s.Store.FindMember(r.Context(), rq.Workspace.ID, uid)
	if err != nil && tandem.ErrorCode(err) != tandem.ENotFound {
		return err
	}
	if err := mayChangeMember(rq, cur, in.Role); err != nil {
		return err
	}
	m, err := s.Store.SetMember(r.Context(), rq.Workspace.ID, uid, in.Role)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, m)
	return nil
}

func (s *Server) handleAPIMemberRemove(w http.ResponseWriter, r *http.Request, rq *request) error {
	uid, err := pathID(r, "user_id", "member")
	if err != nil {
		return err
	}
	cur, err := s.Store.FindMember(r.Context(), rq.Workspace.ID, uid)
	if err != nil {
		return err
	}
	if err := mayChangeMember(rq, cur, ""); err != nil {
		return err
	}
	if err := s.Store.RemoveMember(r.Context(), rq.Workspace.ID, uid); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) handleAPIActivityList(w http.ResponseWriter, r *http.Request, rq *request) error {
	var f tandem.ActivityFilter
	if err := decodeQuery(r.URL.Query(), &f); err != nil {
		return err
	}
	as, next, err := s.Store.FindActivity(r.Context(), rq.Workspace.ID, f)
	if err != nil {
		return err
	}
	writeList(w, as, next)
	return nil
}

func (s *Server) handleAPIMeasurementList(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := pathID(r, "id", "key result")
	if err != nil {
		return err
	}
	if _, err := s.Store.FindKeyResultByID(r.Context(), rq.Workspace.ID, id); err != nil {
		return err
	}
	ms, err := s.Store.FindMeasurements(r.Context(), rq.Workspace.ID, id)
	if err != nil {
		return err
	}
	writeList(w, ms, "")
	return nil
}

func (s *Server) handleAPIMeasurementCreate(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := pathID(r, "id", "key result")
	if err != nil {
		return err
	}
	obj, err := readObject(w, r)
	if err != nil {
		return err
	}
	var m tandem.Measurement
	if err := decodeFields(obj, &m, map[string]bool{"id": true, "key_result_id": true}); err != nil {
		return err
	}
	m.ID, m.KeyResultID = "", id
	if err := s.Store.AddMeasurement(r.Context(), rq.Workspace.ID, &m); err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, m)
	return nil
}

// writeJSON writes v as the response body. The body is encoded into a
// buffer first, so that it goes out with a Content-Length in as few writes
// as the connection allows (streamed, a list of 100 items left in 4 KB
// chunks, a system call each), and so that a value that cannot be encoded
// is answered with a 500 problem instead of a cut-off 200.
func writeJSON(w http.ResponseWriter, status int, v any) {
	buf := getBody()
	defer putBody(buf)
	if err := json.NewEncoder(buf).Encode(v); err != nil {
		writeProblem(w, fmt.Errorf("encode response: %w", err))
		return
	}
	writeBody(w, status, "application/json", buf.b)
}

// writeBody writes a whole response body with its length.
func writeBody(w http.ResponseWriter, status int, contentType string, body []byte) {
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	w.Write(body)
}

// body is a response body being built; it is reused through bodies.
type body struct{ b []byte }

func (x *body) Write(p []byte) (int, error) {
	x.b = append(x.b, p...)
	return len(p), nil
}

// bodies holds response buffers for reuse; a buffer that grew past
// maxPooledBody (a rare large response) is left to the collector.
var bodies = sync.Pool{New: func() any { return new(body) }}

const maxPooledBody = 1 << 20

func getBody() *body {
	x := bodies.Get().(*body)
	x.b = x.b[:0]
	return x
}

func putBody(x *body) {
	if cap(x.b) <= maxPooledBody {
		bodies.Put(x)
	}
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
	detail := tandem.ErrorMessage(err)
	var se *statusError
	if errors.As(err, &se) {
		code, status, detail = se.Code, se.Status, se.Detail
	}
	p := problem{Type: "about:blank", Title: http.StatusText(status), Status: status, Detail: detail, Code: code}
	var e *tandem.Error
	if errors.As(err, &e) {
		p.Errors = e.Fields
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(p)
}
