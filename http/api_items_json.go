package http

import (
	"encoding/json"
	"errors"
	"math"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/tandem-pm/tandem"
)

// appendItemList appends the body of a list of items, {"data": [...],
// "next_cursor": ...} and a newline, exactly as json.Encoder writes it. A
// list of 100 items is the API's most frequent large response, and
// encoding/json's reflection cost a fifth of its CPU time. It returns an
// error where encoding/json would (a NaN, a year past 9999), and the caller
// then falls back to encoding/json. TestAppendItemListMatchesEncodingJSON
// keeps the two in step.
func appendItemList(b []byte, xs []*tandem.Item, next string) ([]byte, error) {
	b = append(b, `{"data":[`...)
	var err error
	for i, x := range xs {
		if i > 0 {
			b = append(b, ',')
		}
		if b, err = appendItem(b, x); err != nil {
			return b, err
		}
	}
	b = append(b, `],"next_cursor":`...)
	b = appendJSONString(b, next)
	return append(b, "}\n"...), nil
}

var errNotEncodable = errors.New("item: value has no JSON encoding")

// appendItem appends x's fields in tandem.Item's order: Meta's first.
func appendItem(b []byte, x *tandem.Item) ([]byte, error) {
	if x == nil {
		return append(b, "null"...), nil
	}
	var err error
	b = append(b, `{"id":`...)
	b = appendJSONString(b, x.ID)
	b = append(b, `,"workspace_id":`...)
	b = appendJSONString(b, x.WorkspaceID)
	b = append(b, `,"version":`...)
	b = strconv.AppendInt(b, x.Version, 10)
	b = append(b, `,"created_at":`...)
	if b, err = appendJSONTime(b, x.CreatedAt); err != nil {
		return b, err
	}
	b = append(b, `,"updated_at":`...)
	if b, err = appendJSONTime(b, x.UpdatedAt); err != nil {
		return b, err
	}
	b = append(b, `,"kind":`...)
	b = appendJSONString(b, x.Kind)
	b = append(b, `,"parent_id":`...)
	b = appendJSONString(b, x.ParentID)
	b = append(b, `,"project_id":`...)
	b = appendJSONString(b, x.ProjectID)
	b = append(b, `,"product_id":`...)
	b = appendJSONString(b, x.ProductID)
	b = append(b, `,"title":`...)
	b = appendJSONString(b, x.Title)
	b = append(b, `,"description":`...)
	b = appendJSONString(b, x.Description)
	b = append(b, `,"status":`...)
	b = appendJSONString(b, x.Status)
	b = append(b, `,"assignee_id":`...)
	b = appendJSONString(b, x.AssigneeID)
	b = append(b, `,"effort_hours":`...)
	if b, err = appendJSONFloat(b, x.EffortHours); err != nil {
		return b, err
	}
	b = append(b, `,"duration_days":`...)
	if b, err = appendJSONFloat(b, x.DurationDays); err != nil {
		return b, err
	}
	b = append(b, `,"planned_start":`...)
	b = appendJSONDate(b, x.PlannedStart)
	b = append(b, `,"planned_finish":`...)
	b = appendJSONDate(b, x.PlannedFinish)
	b = append(b, `,"progress":`...)
	b = strconv.AppendInt(b, int64(x.Progress), 10)
	b = append(b, `,"goal_ids":`...)
	if x.GoalIDs == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i, g := range x.GoalIDs {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(b, g)
		}
		b = append(b, ']')
	}
	return append(b, '}'), nil
}

// appendJSONString appends s quoted. Strings that need no escaping (the
// usual case: IDs, kinds, most titles) are copied as they are; any other
// goes through encoding/json, which escapes <, > and & as json.Encoder
// does by default, and replaces invalid UTF-8.
func appendJSONString(b []byte, s string) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if !jsonPlain[c] {
				return appendJSONStringSlow(b, s)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size == 1) || r == '\u2028' || r == '\u2029' {
			return appendJSONStringSlow(b, s)
		}
		i += size
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

// jsonPlain marks the ASCII bytes that json.Encoder writes as they are.
var jsonPlain = func() (t [utf8.RuneSelf]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\' && c != '<' && c != '>' && c != '&'
	}
	return t
}()

func appendJSONStringSlow(b []byte, s string) []byte {
	q, _ := json.Marshal(s) // a string always encodes
	return append(b, q...)
}

// appendJSONTime appends t as time.Time's MarshalJSON does (RFC 3339 with
// nanoseconds, trailing zeros cut), and fails where it fails: a year not
// of four digits, a zone offset of 24 hours or more.
func appendJSONTime(b []byte, t time.Time) ([]byte, error) {
	b = append(b, '"')
	n0 := len(b)
	b = t.AppendFormat(b, time.RFC3339Nano)
	if b[n0+len("9999")] != '-' {
		return b, errNotEncodable
	}
	if n := len(b); b[n-1] != 'Z' {
		c := b[n-len("Z07:00")]
		if ('0' <= c && c <= '9') || 10*(b[n-5]-'0')+(b[n-4]-'0') >= 24 {
			return b, errNotEncodable
		}
	}
	return append(b, '"'), nil
}

// appendJSONFloat appends f as encoding/json writes a float64.
func appendJSONFloat(b []byte, f float64) ([]byte, error) {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return b, errNotEncodable
	}
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' {
		// e-09 to e-9, as encoding/json does
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b, nil
}

// appendJSONDate appends d as tandem.Date's MarshalJSON does.
func appendJSONDate(b []byte, d tandem.Date) []byte {
	if d.IsZero() {
		return append(b, "null"...)
	}
	b = append(b, '"')
	b = append(b, d.String()...)
	return append(b, '"')
}
