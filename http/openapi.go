package http

import (
	"encoding/json"
	"net/http"
	"reflect"
	"regexp"
	"strings"
	"sync"

	"github.com/tandem-pm/tandem"
)

// The OpenAPI 3.1 document is generated from the API's endpoints and, for
// the schemas, from the domain structs' json tags, so it says what the
// server does.
var openAPIDoc struct {
	once sync.Once
	body []byte
}

func (s *Server) handleAPIOpenAPI(w http.ResponseWriter, r *http.Request, _ *request) error {
	openAPIDoc.once.Do(func() {
		b, err := json.MarshalIndent(s.openAPI(), "", "  ")
		if err != nil {
			panic(err) // the document is made of maps, strings and slices
		}
		openAPIDoc.body = b
	})
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	w.Write(openAPIDoc.body)
	return nil
}

var pathParamPattern = regexp.MustCompile(`\{([a-z_]+)\}`)

var pathParamDocs = map[string]string{
	"ws":      "The workspace's ID or slug.",
	"id":      "The entity's ID.",
	"user_id": "The user's ID.",
}

// openAPI builds the document.
func (s *Server) openAPI() map[string]any {
	g := &schemaGen{schemas: map[string]any{}}
	g.schema(reflect.TypeFor[problem]()) // named "Problem"
	paths := map[string]any{}
	for _, e := range s.apiEndpoints() {
		item, _ := paths[e.Pattern].(map[string]any)
		if item == nil {
			item = map[string]any{}
			paths[e.Pattern] = item
		}
		item[strings.ToLower(e.Method)] = g.operation(e)
	}
	return map[string]any{
		"openapi": "3.1.0",
		"info": map[string]any{
			"title":   "Tandem API",
			"version": "1",
			"description": "Tandem's JSON API. Authenticate with 'Authorization: Bearer <token>'. " +
				"Lists return {\"data\": [...], \"next_cursor\": \"...\"}; pass ?cursor= to continue and ?limit= (default 50, at most 500). " +
				"PATCH takes a JSON merge patch (RFC 7396) and honours If-Match. Errors are application/problem+json (RFC 9457).",
		},
		"paths": paths,
		"components": map[string]any{
			"schemas": g.schemas,
			"securitySchemes": map[string]any{
				"bearer": map[string]any{"type": "http", "scheme": "bearer", "description": "An API token from POST /api/v1/tokens or 'tandem token create'."},
			},
		},
		"security": []any{map[string]any{"bearer": []any{}}},
	}
}

func (g *schemaGen) operation(e endpoint) map[string]any {
	op := map[string]any{
		"operationId": e.ID,
		"summary":     e.Summary,
		"tags":        []any{e.Tag},
	}
	if e.Public {
		op["security"] = []any{}
	}
	var params []any
	for _, m := range pathParamPattern.FindAllStringSubmatch(e.Pattern, -1) {
		params = append(params, map[string]any{
			"name": m[1], "in": "path", "required": true,
			"description": pathParamDocs[m[1]], "schema": map[string]any{"type": "string"},
		})
	}
	if e.Query != nil {
		for _, qp := range queryParams(e.Query) {
			p := map[string]any{"name": qp.Name, "in": "query", "schema": map[string]any{"type": "string"}}
			switch {
			case qp.Int:
				p["schema"] = map[string]any{"type": "integer", "minimum": 1, "maximum": tandem.MaxLimit, "default": tandem.DefaultLimit}
			case qp.Bool:
				p["schema"] = map[string]any{"type": "boolean"}
			case qp.Name == "cursor":
				p["description"] = "The next_cursor of the previous page."
			case qp.Ptr:
				p["description"] = "Empty selects those without one."
			}
			params = append(params, p)
		}
	}
	if e.IfMatch {
		params = append(params, map[string]any{"name": "If-Match", "in": "header",
			"description": "The ETag the change is based on; 412 when the entity changed since.", "schema": map[string]any{"type": "string"}})
	}
	if e.ETag && e.Method == "GET" {
		params = append(params, map[string]any{"name": "If-None-Match", "in": "header",
			"description": "304 when the entity still has this ETag.", "schema": map[string]any{"type": "string"}})
	}
	if params != nil {
		op["parameters"] = params
	}
	if e.Body != nil {
		content := map[string]any{"application/json": map[string]any{"schema": g.schema(e.Body)}}
		if e.Method == "PATCH" {
			content["application/merge-patch+json"] = content["application/json"]
		}
		op["requestBody"] = map[string]any{"required": true, "content": content}
	}
	resp := map[string]any{"description": http.StatusText(e.Status)}
	if e.Resp != nil {
		sch := g.schema(e.Resp)
		if e.List {
			sch = map[string]any{
				"type":     "object",
				"required": []any{"data", "next_cursor"},
				"properties": map[string]any{
					"data":        map[string]any{"type": "array", "items": sch},
					"next_cursor": map[string]any{"type": "string", "description": "Empty on the last page."},
				},
			}
		}
		resp["content"] = map[string]any{"application/json": map[string]any{"schema": sch}}
		if e.Stream {
			resp["content"] = map[string]any{"text/event-stream": map[string]any{"schema": map[string]any{
				"type": "string", "description": "Server-sent events; the data of each is a JSON object as in x-event-data (itemSchema in OpenAPI 3.2)."}, "x-event-data": sch}}
		}
	}
	headers := map[string]any{}
	if e.ETag {
		headers["ETag"] = map[string]any{"description": "The entity's version, quoted.", "schema": map[string]any{"type": "string"}}
	}
	if e.Status == http.StatusCreated {
		headers["Location"] = map[string]any{"description": "The new entity's URL.", "schema": map[string]any{"type": "string"}}
	}
	if len(headers) > 0 {
		resp["headers"] = headers
	}
	problemResp := map[string]any{
		"description": "A problem (RFC 9457).",
		"content":     map[string]any{"application/problem+json": map[string]any{"schema": map[string]any{"$ref": "#/components/schemas/Problem"}}},
	}
	responses := map[string]any{itoa(e.Status): resp, "default": problemResp}
	if e.ETag && e.Method == "GET" {
		responses["304"] = map[string]any{"description": "Not Modified"}
	}
	op["responses"] = responses
	return op
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

// schemaGen makes JSON Schemas of Go types, named structs by reference.
type schemaGen struct {
	schemas map[string]any
}

var (
	rawType  = reflect.TypeFor[json.RawMessage]()
	roleType = reflect.TypeFor[tandem.Role]()
	dirType  = reflect.TypeFor[tandem.Direction]()
	metaType = reflect.TypeFor[tandem.Meta]()
)

func (g *schemaGen) schema(t reflect.Type) map[string]any {
	switch t {
	case dateType:
		return map[string]any{"type": []any{"string", "null"}, "format": "date"}
	case timeType:
		return map[string]any{"type": "string", "format": "date-time"}
	case rawType:
		return map[string]any{"description": "Any JSON value."}
	case roleType:
		enum := []any{}
		for _, r := range tandem.Roles {
			enum = append(enum, string(r))
		}
		return map[string]any{"type": "string", "enum": enum}
	case dirType:
		return map[string]any{"type": "string", "enum": []any{string(tandem.Increase), string(tandem.Decrease)}}
	}
	switch t.Kind() {
	case reflect.Pointer:
		inner := g.schema(t.Elem())
		if typ, ok := inner["type"].(string); ok {
			out := map[string]any{}
			for k, v := range inner {
				out[k] = v
			}
			out["type"] = []any{typ, "null"}
			return out
		}
		if _, ok := inner["type"].([]any); ok {
			return inner // already nullable
		}
		return map[string]any{"oneOf": []any{inner, map[string]any{"type": "null"}}}
	case reflect.String:
		return map[string]any{"type": "string"}
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32:
		return map[string]any{"type": "integer"}
	case reflect.Int64, reflect.Uint64:
		return map[string]any{"type": "integer", "format": "int64"}
	case reflect.Float32, reflect.Float64:
		return map[string]any{"type": "number"}
	case reflect.Slice, reflect.Array:
		return map[string]any{"type": "array", "items": g.schema(t.Elem())}
	case reflect.Map:
		return map[string]any{"type": "object"}
	case reflect.Struct:
		name := t.Name()
		name = strings.ToUpper(name[:1]) + name[1:]
		if _, ok := g.schemas[name]; !ok {
			g.schemas[name] = map[string]any{} // placeholder against recursion
			props := map[string]any{}
			for _, f := range jsonFields(t) {
				p := g.schema(f.Type)
				if len(f.Index) > 1 && t.FieldByIndex(f.Index[:1]).Type == metaType {
					p = withKey(p, "readOnly", true)
				}
				props[f.Name] = p
			}
			g.schemas[name] = map[string]any{"type": "object", "properties": props, "additionalProperties": false}
		}
		return map[string]any{"$ref": "#/components/schemas/" + name}
	}
	return map[string]any{}
}

func withKey(m map[string]any, k string, v any) map[string]any {
	out := map[string]any{k: v}
	for kk, vv := range m {
		out[kk] = vv
	}
	return out
}
