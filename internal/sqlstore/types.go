package sqlstore

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/base64"
	"errors"
	"fmt"
	"time"

	"github.com/tandem-pm/tandem"
)

// timeFormat is how times are written: fixed width, so that SQLite can
// compare them as text, and parsed by PostgreSQL as timestamptz.
const timeFormat = "2006-01-02T15:04:05.000000Z"

// ts writes a time as UTC text with microseconds and reads it back from
// text (SQLite) or a time.Time (PostgreSQL).
type ts struct{ t *time.Time }

func tsv(t time.Time) driver.Value { return t.UTC().Format(timeFormat) }

func (x ts) Scan(v any) error {
	switch v := v.(type) {
	case nil:
		*x.t = time.Time{}
	case time.Time:
		*x.t = v.UTC()
	case string:
		return x.parse(v)
	case []byte:
		return x.parse(string(v))
	default:
		return fmt.Errorf("cannot scan %T into a time", v)
	}
	return nil
}

func (x ts) parse(s string) error {
	if t, ok := parseTimeFormat(s); ok {
		*x.t = t
		return nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return fmt.Errorf("scan time %q: %w", s, err)
	}
	*x.t = t.UTC()
	return nil
}

// parseTimeFormat parses a time written in timeFormat, as every stored
// time is, without time.Parse's general layout machinery: a list of 100
// items reads 200 of them. It reports false for anything else, which
// time.Parse then reads (or rejects with its message).
func parseTimeFormat(s string) (time.Time, bool) {
	if len(s) != len(timeFormat) || s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != '.' || s[26] != 'Z' {
		return time.Time{}, false
	}
	y, mo, d, ok := parseDigitsDate(s[:10])
	h, ok1 := digits(s[11:13])
	mi, ok2 := digits(s[14:16])
	sec, ok3 := digits(s[17:19])
	us, ok4 := digits(s[20:26])
	if !ok || !ok1 || !ok2 || !ok3 || !ok4 || h > 23 || mi > 59 || sec > 59 {
		return time.Time{}, false
	}
	return time.Date(y, time.Month(mo), d, h, mi, sec, us*1000, time.UTC), true
}

// parseDigitsDate parses YYYY-MM-DD, reporting false unless it names a
// real day.
func parseDigitsDate(s string) (y, m, d int, ok bool) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return 0, 0, 0, false
	}
	y, ok1 := digits(s[:4])
	m, ok2 := digits(s[5:7])
	d, ok3 := digits(s[8:10])
	if !ok1 || !ok2 || !ok3 || m < 1 || m > 12 || d < 1 || d > daysIn(y, m) {
		return 0, 0, 0, false
	}
	return y, m, d, true
}

func daysIn(y, m int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// digits parses a run of ASCII digits.
func digits(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// date writes a tandem.Date as 'YYYY-MM-DD' (NULL when zero) and reads it
// from text (SQLite) or a time.Time (PostgreSQL's date).
type date struct{ d *tandem.Date }

func datev(d tandem.Date) driver.Value {
	if d.IsZero() {
		return nil
	}
	return d.String()
}

func (x date) Scan(v any) error {
	switch v := v.(type) {
	case nil:
		*x.d = tandem.Date{}
	case time.Time:
		*x.d = tandem.Date{Year: v.Year(), Month: int(v.Month()), Day: v.Day()}
	case string:
		return x.parse(v)
	case []byte:
		return x.parse(string(v))
	default:
		return fmt.Errorf("cannot scan %T into a date", v)
	}
	return nil
}

func (x date) parse(s string) error {
	if len(s) > 10 {
		s = s[:10]
	}
	if y, m, d, ok := parseDigitsDate(s); ok {
		*x.d = tandem.Date{Year: y, Month: m, Day: d}
		return nil
	}
	d, err := tandem.ParseDate(s)
	if err != nil {
		return fmt.Errorf("scan date: %w", err)
	}
	*x.d = d
	return nil
}

// ns reads a nullable text column into a string ("" for NULL).
type ns struct{ s *string }

func (x ns) Scan(v any) error {
	switch v := v.(type) {
	case nil:
		*x.s = ""
	case string:
		*x.s = v
	case []byte:
		*x.s = string(v)
	default:
		return fmt.Errorf("cannot scan %T into a string", v)
	}
	return nil
}

// nullStr writes "" as NULL, for optional references.
func nullStr(s string) driver.Value {
	if s == "" {
		return nil
	}
	return s
}

// bytesCol reads a nullable text or json column into a byte slice it owns.
type bytesCol struct{ b *[]byte }

func (x bytesCol) Scan(v any) error {
	switch v := v.(type) {
	case nil:
		*x.b = nil
	case string:
		*x.b = []byte(v)
	case []byte:
		*x.b = append([]byte(nil), v...)
	default:
		return fmt.Errorf("cannot scan %T into bytes", v)
	}
	return nil
}

// Cursors are opaque to callers: the last row's ID, base64-encoded.
func encodeCursor(id string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(id))
}

func decodeCursor(c string) (string, error) {
	if c == "" {
		return "", nil
	}
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil || !tandem.IsID(string(b)) {
		return "", &tandem.Error{Code: tandem.EInvalid, Message: "The cursor is not valid.",
			Fields: []tandem.FieldError{{Field: "cursor", Message: "is not a cursor from a previous list"}}}
	}
	return string(b), nil
}

// page adds the keyset condition and returns the ORDER BY and LIMIT clause.
// desc lists newest first.
func (f *filter) page(p tandem.Page, col string, desc bool) (string, error) {
	after, err := decodeCursor(p.Cursor)
	if err != nil {
		return "", err
	}
	dir, op := "", ">"
	if desc {
		dir, op = " DESC", "<"
	}
	if after != "" {
		f.add(col+" "+op+" %s", after)
	}
	return fmt.Sprintf(" ORDER BY %s%s LIMIT %d", col, dir, p.Size()+1), nil
}

// trim cuts a list fetched with limit+1 rows to its page and returns the
// next cursor ("" at the end).
func trim[T any](list []T, p tandem.Page, id func(T) string) ([]T, string) {
	if len(list) <= p.Size() {
		return list, ""
	}
	list = list[:p.Size()]
	return list, encodeCursor(id(list[len(list)-1]))
}

// findPage runs a list query built with filter.page (it asks for one row
// more than the page), scans each row into a new T and cuts the result to
// its page, returning the next cursor ("" at the end).
func findPage[T any](ctx context.Context, t *tx, what, q string, args []any, p tandem.Page,
	scan func(row interface{ Scan(...any) error }, x *T) error, id func(*T) string) ([]*T, string, error) {
	rows, err := t.query(ctx, q, args...)
	if err != nil {
		return nil, "", fmt.Errorf("find %s: %w", what, err)
	}
	defer rows.Close()
	list := []*T{} // an empty page encodes as [], not null
	for rows.Next() {
		x := new(T)
		if err := scan(rows, x); err != nil {
			return nil, "", fmt.Errorf("find %s: %w", what, err)
		}
		list = append(list, x)
	}
	if err := rows.Err(); err != nil {
		return nil, "", fmt.Errorf("find %s: %w", what, err)
	}
	list, next := trim(list, p, id)
	return list, next, nil
}

// findByID reads the row of table with id in workspace ws (locked for the
// transaction when it writes): ENotFound, naming noun, when there is none.
func findByID[T any](ctx context.Context, t *tx, noun, table, cols string,
	scan func(row interface{ Scan(...any) error }, x *T) error, ws, id string) (*T, error) {
	x := new(T)
	err := scan(t.queryRow(ctx, "SELECT "+cols+" FROM "+table+" WHERE id = $1 AND workspace_id = $2"+t.lock(), id, ws), x)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound(noun, id)
	}
	if err != nil {
		return nil, fmt.Errorf("find %s %s: %w", noun, id, err)
	}
	return x, nil
}

// attachGoalIDs loads the goal alignments of a page of entities in one query.
func attachGoalIDs[T any](ctx context.Context, t *tx, entityType string, list []*T, id func(*T) string, goals func(*T) *[]string) error {
	ids := make([]string, len(list))
	for i, x := range list {
		ids[i] = id(x)
	}
	links, err := t.goalLinks(ctx, entityType, ids)
	if err != nil {
		return err
	}
	for _, x := range list {
		*goals(x) = orEmpty(links[id(x)])
	}
	return nil
}

// num reads a number column. As a sql.Scanner it takes the driver's usual
// type (int64 or float64) without database/sql's reflection, which a list
// of 100 items pays 400 times; any other type is converted as database/sql
// would.
type num[T int | int64 | float64] struct{ p *T }

func (x num[T]) Scan(v any) error {
	switch p := any(x.p).(type) {
	case *float64:
		if f, ok := v.(float64); ok {
			*p = f
			return nil
		}
	case *int64:
		if n, ok := v.(int64); ok {
			*p = n
			return nil
		}
	case *int:
		if n, ok := v.(int64); ok && n == int64(int(n)) {
			*p = int(n)
			return nil
		}
	}
	if v == nil {
		return fmt.Errorf("converting NULL to %T is unsupported", *x.p)
	}
	var n sql.Null[T]
	if err := n.Scan(v); err != nil {
		return err
	}
	*x.p = n.V
	return nil
}
