// Package client is a Go client of Tandem's JSON API (/api/v1). Its
// methods carry the names and signatures of the domain's services
// (tandem.ItemService and the others), so that code written against a
// tandem.Store reads the same against a remote server; errors come back as
// *Error, which unwraps to a *tandem.Error with the server's code.
package client

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/tandem-pm/tandem"
)

// Client calls one Tandem server with one API token. It is safe for
// concurrent use; reuse one Client so that connections are reused.
type Client struct {
	base  string
	token string
	hc    *http.Client
	agent string
}

// Option configures a Client.
type Option func(*Client)

// WithHTTPClient makes the client send its requests through hc.
func WithHTTPClient(hc *http.Client) Option { return func(c *Client) { c.hc = hc } }

// WithUserAgent sets the User-Agent header.
func WithUserAgent(ua string) Option { return func(c *Client) { c.agent = ua } }

// New returns a client of the server at baseURL (e.g. http://localhost:8080)
// that authenticates with token. By default it keeps up to 64 idle
// connections per host, enough for benchmarks with many concurrent callers.
func New(baseURL, token string, opts ...Option) *Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConns = 256
	tr.MaxIdleConnsPerHost = 64
	c := &Client{
		base:  strings.TrimRight(baseURL, "/"),
		token: token,
		hc:    &http.Client{Transport: tr, Timeout: 60 * time.Second},
		agent: "tandem-client/1",
	}
	for _, o := range opts {
		o(c)
	}
	return c
}

// Error is a problem (RFC 9457) the server answered with.
type Error struct {
	Status int                 // HTTP status
	Code   string              // tandem error code: invalid, not_found, conflict, stale, ...
	Title  string              // the status text
	Detail string              // what went wrong, for people
	Fields []tandem.FieldError // the invalid fields, for validation errors
}

func (e *Error) Error() string {
	s := fmt.Sprintf("%d %s: %s", e.Status, e.Code, e.Detail)
	if len(e.Fields) > 0 {
		parts := make([]string, len(e.Fields))
		for i, f := range e.Fields {
			parts[i] = f.Field + ": " + f.Message
		}
		s += " (" + strings.Join(parts, "; ") + ")"
	}
	return s
}

// Unwrap returns the error as a *tandem.Error, so that tandem.ErrorCode
// and errors.As work on client errors as on store errors.
func (e *Error) Unwrap() error {
	return &tandem.Error{Code: e.Code, Message: e.Detail, Fields: e.Fields}
}

// Do sends one request to path (under the base URL, query included) and
// decodes a JSON response into out when out is not nil. body is sent as
// JSON unless it is an io.Reader, which is sent as it is with the
// Content-Type in hdr (application/json when hdr does not say). It returns
// the response's headers; error responses come back as *Error.
func (c *Client) Do(ctx context.Context, method, path string, hdr http.Header, body any, out any) (http.Header, error) {
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case io.Reader:
		rd = b
	default:
		buf, err := json.Marshal(b)
		if err != nil {
			return nil, fmt.Errorf("encode %s %s: %w", method, path, err)
		}
		rd = bytes.NewReader(buf)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, rd)
	if err != nil {
		return nil, err
	}
	for k, vs := range hdr {
		req.Header[k] = vs
	}
	if rd != nil && req.Header.Get("Content-Type") == "" {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.agent)
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer func() {
		// Drain what is left so that the connection can be reused.
		io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
		resp.Body.Close()
	}()
	if resp.StatusCode >= 400 {
		return resp.Header, readError(resp)
	}
	if out != nil && resp.StatusCode != http.StatusNoContent && resp.StatusCode != http.StatusNotModified {
		if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
			return resp.Header, fmt.Errorf("decode response of %s %s: %w", method, path, err)
		}
	}
	return resp.Header, nil
}

func readError(resp *http.Response) error {
	e := &Error{Status: resp.StatusCode, Title: http.StatusText(resp.StatusCode)}
	var p struct {
		Title  string              `json:"title"`
		Detail string              `json:"detail"`
		Code   string              `json:"code"`
		Errors []tandem.FieldError `json:"errors"`
	}
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if json.Unmarshal(b, &p) == nil && p.Detail != "" {
		e.Title, e.Detail, e.Code, e.Fields = p.Title, p.Detail, p.Code, p.Errors
	} else {
		e.Detail = strings.TrimSpace(string(b))
	}
	if e.Code == "" {
		e.Code = codeOf(resp.StatusCode)
	}
	return e
}

// codeOf guesses the tandem code of a status, for answers without a problem body.
func codeOf(status int) string {
	switch status {
	case http.StatusBadRequest, http.StatusUnprocessableEntity, http.StatusUnsupportedMediaType:
		return tandem.EInvalid
	case http.StatusUnauthorized:
		return tandem.EUnauthorized
	case http.StatusForbidden:
		return tandem.EForbidden
	case http.StatusNotFound:
		return tandem.ENotFound
	case http.StatusConflict:
		return tandem.EConflict
	case http.StatusPreconditionFailed:
		return tandem.EStale
	case http.StatusRequestEntityTooLarge:
		return tandem.ETooLarge
	}
	return tandem.EInternal
}

// listBody is the shape of every list response.
type listBody[T any] struct {
	Data       []*T   `json:"data"`
	NextCursor string `json:"next_cursor"`
}

func list[T any](ctx context.Context, c *Client, path string, filter any) ([]*T, string, error) {
	if filter != nil {
		if q := Query(filter).Encode(); q != "" {
			path += "?" + q
		}
	}
	var out listBody[T]
	if _, err := c.Do(ctx, "GET", path, nil, nil, &out); err != nil {
		return nil, "", err
	}
	return out.Data, out.NextCursor, nil
}

func get[T any](ctx context.Context, c *Client, path string) (*T, error) {
	out := new(T)
	if _, err := c.Do(ctx, "GET", path, nil, nil, out); err != nil {
		return nil, err
	}
	return out, nil
}

func ifMatch(version int64) http.Header {
	if version == 0 {
		return nil
	}
	return http.Header{"If-Match": {`"` + strconv.FormatInt(version, 10) + `"`}}
}

// patch sends a merge patch and decodes the changed entity.
func patch[T any](ctx context.Context, c *Client, path string, p any, version int64) (*T, error) {
	out := new(T)
	h := ifMatch(version)
	if h == nil {
		h = http.Header{}
	}
	h.Set("Content-Type", "application/merge-patch+json")
	if _, err := c.Do(ctx, "PATCH", path, h, PatchOf(p), out); err != nil {
		return nil, err
	}
	return out, nil
}

// PatchOf turns an XxxUpdate struct (pointer fields, nil = unchanged) into
// a JSON merge patch holding only the set fields. Maps pass through, so
// that callers can send null to clear a field: map[string]any{"parent_id": nil}.
func PatchOf(u any) any {
	v := reflect.ValueOf(u)
	for v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return map[string]any{}
		}
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct {
		return u
	}
	out := map[string]any{}
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if !f.IsExported() || name == "-" {
			continue
		}
		if name == "" {
			name = f.Name
		}
		fv := v.Field(i)
		if fv.Kind() == reflect.Pointer && fv.IsNil() {
			continue
		}
		out[name] = fv.Interface()
	}
	return out
}

// Query turns a tandem XxxFilter into query parameters: each non-empty
// string field by its snake_case name (a non-nil *string even when empty,
// a non-nil *bool as true or false),
// and limit and cursor from the embedded tandem.Page.
func Query(filter any) url.Values {
	q := url.Values{}
	v := reflect.ValueOf(filter)
	for v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return q
		}
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct {
		return q
	}
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		f, fv := t.Field(i), v.Field(i)
		switch {
		case f.Type == reflect.TypeFor[tandem.Page]():
			p := fv.Interface().(tandem.Page)
			if p.Limit > 0 {
				q.Set("limit", strconv.Itoa(p.Limit))
			}
			if p.Cursor != "" {
				q.Set("cursor", p.Cursor)
			}
		case f.Type.Kind() == reflect.String:
			if s := fv.String(); s != "" {
				q.Set(snakeName(f.Name), s)
			}
		case f.Type.Kind() == reflect.Pointer && f.Type.Elem().Kind() == reflect.String:
			if !fv.IsNil() {
				q.Set(snakeName(f.Name), fv.Elem().String())
			}
		case f.Type.Kind() == reflect.Pointer && f.Type.Elem().Kind() == reflect.Bool:
			if !fv.IsNil() {
				q.Set(snakeName(f.Name), strconv.FormatBool(fv.Elem().Bool()))
			}
		}
	}
	return q
}

// snakeName turns a Go field name into its query parameter: ProjectID → project_id.
func snakeName(s string) string {
	if strings.HasSuffix(s, "ID") {
		s = strings.TrimSuffix(s, "ID") + "Id"
	}
	var b strings.Builder
	for i, r := range s {
		if unicode.IsUpper(r) {
			if i > 0 {
				b.WriteByte('_')
			}
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}

// create posts x to path and decodes the stored entity back into x, as a
// store's CreateX fills in the ID, version and times.
func create(ctx context.Context, c *Client, path string, x any) error {
	_, err := c.Do(ctx, "POST", path, nil, x, x)
	return err
}

func del(ctx context.Context, c *Client, path string) error {
	_, err := c.Do(ctx, "DELETE", path, nil, nil, nil)
	return err
}

func wsPath(ws string, parts ...string) string {
	p := "/api/v1/workspaces/" + url.PathEscape(ws)
	for _, s := range parts {
		p += "/" + url.PathEscape(s)
	}
	return p
}
