package http

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/tandem-pm/tandem"
)

// maxBodyBytes bounds every request body; larger bodies get 413 before
// anything is written.
const maxBodyBytes = 1 << 20

// statusError is an error with its own HTTP status, for the few cases the
// domain's codes do not cover (415).
type statusError struct {
	Status int
	Code   string
	Detail string
}

func (e *statusError) Error() string { return e.Detail }

// Unwrap gives the error a domain code, so that it is not logged as internal.
func (e *statusError) Unwrap() error { return tandem.Errorf(e.Code, "%s", e.Detail) }

// readObject checks that the body is JSON, reads at most maxBodyBytes and
// returns its top-level members, not yet decoded.
func readObject(w http.ResponseWriter, r *http.Request) (map[string]json.RawMessage, error) {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || !(mt == "application/json" || strings.HasSuffix(mt, "+json")) {
		return nil, &statusError{Status: http.StatusUnsupportedMediaType, Code: tandem.EInvalid,
			Detail: "Send the body as JSON with 'Content-Type: application/json'."}
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxBodyBytes)
	b, err := io.ReadAll(r.Body)
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, tandem.Errorf(tandem.ETooLarge, "The request body is larger than %d bytes.", maxBodyBytes)
		}
		return nil, tandem.Errorf(tandem.EInvalid, "The request body could not be read.")
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(b, &obj); err != nil || obj == nil {
		return nil, tandem.Errorf(tandem.EInvalid, "The request body is not a JSON object.")
	}
	return obj, nil
}

// jsonField is one field of a struct as JSON sees it.
type jsonField struct {
	Name  string
	Index []int
	Type  reflect.Type
}

var fieldCache sync.Map // reflect.Type → []jsonField

// jsonFields lists the fields of struct type t by their JSON names,
// including those of embedded structs without a tag (tandem.Meta).
func jsonFields(t reflect.Type) []jsonField {
	if v, ok := fieldCache.Load(t); ok {
		return v.([]jsonField)
	}
	var out []jsonField
	var walk func(t reflect.Type, index []int)
	walk = func(t reflect.Type, index []int) {
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			idx := append(append([]int(nil), index...), i)
			tag := f.Tag.Get("json")
			if f.Anonymous && tag == "" && f.Type.Kind() == reflect.Struct {
				walk(f.Type, idx)
				continue
			}
			if !f.IsExported() || tag == "-" {
				continue
			}
			name, _, _ := strings.Cut(tag, ",")
			if name == "" {
				name = f.Name
			}
			out = append(out, jsonField{Name: name, Index: idx, Type: f.Type})
		}
	}
	walk(t, nil)
	fieldCache.Store(t, out)
	return out
}

func fieldByName(t reflect.Type, name string) (jsonField, bool) {
	for _, f := range jsonFields(t) {
		if f.Name == name {
			return f, true
		}
	}
	return jsonField{}, false
}

// decodeFields sets the fields of the struct dst points to from obj, by
// their JSON names, and collects one field error per unknown field or
// value of the wrong type. Fields named in ignore are accepted and left
// alone (read-only fields a client may echo back). A JSON null sets a
// field to its zero value; for a pointer field (an XxxUpdate), to a
// pointer to the zero value, which is how a merge patch clears a field.
func decodeFields(obj map[string]json.RawMessage, dst any, ignore map[string]bool) error {
	return decodeFieldsReadOnly(obj, dst, ignore, nil)
}

// decodeFieldsReadOnly is decodeFields that names the fields in readOnly
// as such instead of as unknown, for patches that try to change them.
func decodeFieldsReadOnly(obj map[string]json.RawMessage, dst any, ignore, readOnly map[string]bool) error {
	v := reflect.ValueOf(dst).Elem()
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var p tandem.Problems
	for _, k := range keys {
		if ignore[k] {
			continue
		}
		f, ok := fieldByName(v.Type(), k)
		if !ok && readOnly[k] {
			p.Add(k, "cannot be changed")
			continue
		}
		if !ok {
			p.Add(k, "is not a known field")
			continue
		}
		fv := v.FieldByIndex(f.Index)
		raw := obj[k]
		if bytes.Equal(bytes.TrimSpace(raw), []byte("null")) {
			if f.Type.Kind() == reflect.Pointer {
				fv.Set(reflect.New(f.Type.Elem()))
			} else {
				fv.SetZero()
			}
			continue
		}
		ptr := reflect.New(f.Type)
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.DisallowUnknownFields()
		if err := dec.Decode(ptr.Interface()); err != nil {
			field, msg := describeDecodeError(k, f.Type, err)
			p.Add(field, "%s", msg)
			continue
		}
		fv.Set(ptr.Elem())
	}
	return p.Err("request body")
}

// describeDecodeError turns a json error about field name into a field and
// a message for people.
func describeDecodeError(name string, t reflect.Type, err error) (string, string) {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		field := name
		ft := t
		if te.Field != "" {
			field = name + "." + te.Field
			ft = te.Type
		}
		return field, "must be " + describeType(ft)
	}
	msg := err.Error()
	if rest, ok := strings.CutPrefix(msg, "json: unknown field "); ok {
		return name + "." + strings.Trim(rest, `"`), "is not a known field"
	}
	msg = strings.TrimPrefix(msg, "json: ")
	if strings.Contains(msg, "cannot unmarshal") || strings.Contains(msg, "invalid character") || msg == "unexpected EOF" {
		return name, "must be " + describeType(t)
	}
	return name, msg
}

var (
	dateType  = reflect.TypeFor[tandem.Date]()
	timeType  = reflect.TypeFor[time.Time]()
	moneyType = reflect.TypeFor[tandem.Money]()
)

// describeType names a Go type the way a JSON client sees it.
func describeType(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t {
	case dateType:
		return "a date like \"2025-01-31\""
	case timeType:
		return "a time like \"2025-01-31T12:00:00Z\""
	case moneyType:
		return "an object like {\"amount\": 1000, \"currency\": \"EUR\"}"
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "an integer"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		e := describeType(t.Elem())
		_, e, _ = strings.Cut(e, " ")
		return "an array of " + e + "s"
	case reflect.Struct, reflect.Map:
		return "an object"
	}
	return "a JSON value"
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

// queryParam is one filter of a list, derived from a Filter struct's field.
type queryParam struct {
	Name  string
	Index []int
	Ptr   bool // *string: present-but-empty means "none" (e.g. top-level goals)
	Int   bool
	Bool  bool // *bool: true or false; absent does not filter
}

var pageType = reflect.TypeFor[tandem.Page]()

// queryParams lists the query parameters of filter type t: one per string
// field (snake_case of its name) plus limit and cursor from the embedded Page.
func queryParams(t reflect.Type) []queryParam {
	var out []queryParam
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		switch {
		case f.Anonymous && f.Type == pageType:
			out = append(out,
				queryParam{Name: "limit", Index: []int{i, 0}, Int: true},
				queryParam{Name: "cursor", Index: []int{i, 1}})
		case f.Type.Kind() == reflect.String:
			out = append(out, queryParam{Name: snakeName(f.Name), Index: []int{i}})
		case f.Type.Kind() == reflect.Pointer && f.Type.Elem().Kind() == reflect.String:
			out = append(out, queryParam{Name: snakeName(f.Name), Index: []int{i}, Ptr: true})
		case f.Type.Kind() == reflect.Pointer && f.Type.Elem().Kind() == reflect.Bool:
			out = append(out, queryParam{Name: snakeName(f.Name), Index: []int{i}, Bool: true})
		}
	}
	return out
}

// decodeQuery fills the filter dst points to from q. Unknown parameters,
// malformed IDs and bad limits are field errors, so that a typo does not
// silently return everything.
func decodeQuery(q url.Values, dst any) error {
	v := reflect.ValueOf(dst).Elem()
	params := queryParams(v.Type())
	known := map[string]queryParam{}
	for _, qp := range params {
		known[qp.Name] = qp
	}
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var p tandem.Problems
	for _, k := range keys {
		qp, ok := known[k]
		if !ok {
			p.Add(k, "is not a filter of this list")
			continue
		}
		val := q.Get(k)
		fv := v.FieldByIndex(qp.Index)
		switch {
		case qp.Int:
			n, err := strconv.Atoi(val)
			if err != nil || n < 1 {
				p.Add(k, "must be a whole number from 1 to %d", tandem.MaxLimit)
				continue
			}
			fv.SetInt(int64(min(n, tandem.MaxLimit)))
		case qp.Bool:
			b, err := strconv.ParseBool(val)
			if err != nil {
				p.Add(k, "must be true or false")
				continue
			}
			fv.Set(reflect.ValueOf(&b))
		case strings.HasSuffix(k, "_id") && val != "" && !tandem.IsID(val):
			p.Add(k, "is not a valid id")
		case qp.Ptr:
			fv.Set(reflect.ValueOf(&val))
		default:
			fv.SetString(val)
		}
	}
	return p.Err("query")
}

// etag is the entity tag of a stored version.
func etag(version int64) string { return `"` + strconv.FormatInt(version, 10) + `"` }

// ifMatchVersion returns the version an If-Match header asks for: 0 when
// absent or "*". A header that is not one ETag of ours is stale by
// definition (RFC 9110: it cannot match), so it is EStale as well.
func ifMatchVersion(r *http.Request) (int64, error) {
	h := strings.TrimSpace(r.Header.Get("If-Match"))
	if h == "" || h == "*" {
		return 0, nil
	}
	if v, ok := parseETag(h); ok {
		return v, nil
	}
	return 0, tandem.Errorf(tandem.EStale, "If-Match must hold one ETag from a previous response, like \"3\".")
}

func parseETag(h string) (int64, bool) {
	h = strings.TrimPrefix(h, "W/")
	if len(h) < 3 || h[0] != '"' || h[len(h)-1] != '"' {
		return 0, false
	}
	v, err := strconv.ParseInt(h[1:len(h)-1], 10, 64)
	if err != nil || v < 1 {
		return 0, false
	}
	return v, true
}

// notModified reports whether If-None-Match names version.
func notModified(r *http.Request, version int64) bool {
	h := r.Header.Get("If-None-Match")
	if h == "" {
		return false
	}
	for _, t := range strings.Split(h, ",") {
		t = strings.TrimSpace(t)
		if t == "*" {
			return true
		}
		if v, ok := parseETag(t); ok && v == version {
			return true
		}
	}
	return false
}

// pathID returns the path value param when it is an ID; anything else
// cannot name a stored entity, so it is ENotFound without asking the store.
func pathID(r *http.Request, param, what string) (string, error) {
	id := r.PathValue(param)
	if !tandem.IsID(id) {
		return "", tandem.Errorf(tandem.ENotFound, "There is no such %s.", what)
	}
	return id, nil
}

// isObject reports whether raw is a JSON object.
func isObject(raw json.RawMessage) bool {
	b := bytes.TrimSpace(raw)
	return len(b) > 0 && b[0] == '{'
}

// mergeNested applies the object members of patch (a merge patch's
// top-level members) to the same members of current, as RFC 7396 merges
// objects recursively: {"budget": {"amount": 5}} keeps the currency.
func mergeNested(patch map[string]json.RawMessage, current any) error {
	b, err := json.Marshal(current)
	if err != nil {
		return err
	}
	var cur map[string]json.RawMessage
	if err := json.Unmarshal(b, &cur); err != nil {
		return err
	}
	for k, raw := range patch {
		base, ok := cur[k]
		if !ok || !isObject(raw) || !isObject(base) {
			continue
		}
		merged, err := mergePatch(base, raw)
		if err != nil {
			return err
		}
		patch[k] = merged
	}
	return nil
}

// mergePatch is RFC 7396's MergePatch of two JSON objects.
func mergePatch(target, patch json.RawMessage) (json.RawMessage, error) {
	decode := func(raw json.RawMessage) (map[string]any, error) {
		d := json.NewDecoder(bytes.NewReader(raw))
		d.UseNumber()
		var m map[string]any
		err := d.Decode(&m)
		return m, err
	}
	t, err := decode(target)
	if err != nil {
		return nil, err
	}
	p, err := decode(patch)
	if err != nil {
		return nil, err
	}
	var apply func(t, p map[string]any) map[string]any
	apply = func(t, p map[string]any) map[string]any {
		if t == nil {
			t = map[string]any{}
		}
		for k, v := range p {
			switch v := v.(type) {
			case nil:
				delete(t, k)
			case map[string]any:
				sub, _ := t[k].(map[string]any)
				t[k] = apply(sub, v)
			default:
				t[k] = v
			}
		}
		return t
	}
	return json.Marshal(apply(t, p))
}
