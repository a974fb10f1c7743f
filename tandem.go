// Package tandem holds Tandem's domain: the entities product and program
// managers work with, their validation rules, and the service interfaces
// that storage adapters implement. It does no I/O.
package tandem

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
)

// Error codes. Only the HTTP edge maps them to statuses.
const (
	EInvalid      = "invalid"
	ENotFound     = "not_found"
	EConflict     = "conflict"
	EStale        = "stale" // the caller's copy is older than the stored one (If-Match)
	EUnauthorized = "unauthorized"
	EForbidden    = "forbidden"
	ETooLarge     = "too_large"
	EInternal     = "internal"
)

// Error is the one error type of the domain: a code, a message safe to
// show to users, and field-level problems for validation errors.
type Error struct {
	Code    string
	Message string
	Fields  []FieldError
}

// FieldError names one invalid input field.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

func (e *Error) Error() string {
	if len(e.Fields) == 0 {
		return fmt.Sprintf("%s: %s", e.Code, e.Message)
	}
	parts := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		parts[i] = f.Field + ": " + f.Message
	}
	return fmt.Sprintf("%s: %s (%s)", e.Code, e.Message, strings.Join(parts, "; "))
}

// Errorf returns an *Error with the given code and message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of err, EInternal for errors that are not an *Error.
func ErrorCode(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	if err == nil {
		return ""
	}
	return EInternal
}

// ErrorMessage returns the user-facing message of err; internal details are hidden.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "Internal error."
}

// Problems collects field errors during validation.
type Problems []FieldError

// Add records a problem with field.
func (p *Problems) Add(field, format string, args ...any) {
	*p = append(*p, FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
}

// Err returns nil when there are no problems, else an EInvalid *Error.
func (p Problems) Err(what string) error {
	if len(p) == 0 {
		return nil
	}
	return &Error{Code: EInvalid, Message: "The " + what + " is not valid.", Fields: p}
}

// NewID returns a new sortable unique identifier (UUIDv7 as text).
func NewID() string {
	id, err := uuid.NewV7()
	if err != nil {
		// crypto/rand does not fail on supported platforms.
		panic(err)
	}
	return id.String()
}

// IsID reports whether s has the shape of an ID made by NewID.
func IsID(s string) bool {
	if len(s) != 36 {
		return false
	}
	_, err := uuid.Parse(s)
	return err == nil
}

// RandomToken returns n random bytes as lowercase hex, for secrets.
func RandomToken(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return fmt.Sprintf("%x", b)
}

// Date is a calendar date with no time zone. The zero Date means "not set".
type Date struct{ Year, Month, Day int }

// ParseDate parses YYYY-MM-DD.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, fmt.Errorf("%q is not a date like 2025-01-31", s)
	}
	return DateOf(t), nil
}

// DateOf returns the date of t in t's location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, int(m), d}
}

// IsZero reports whether d is unset.
func (d Date) IsZero() bool { return d == Date{} }

// Time returns midnight UTC of d.
func (d Date) Time() time.Time {
	return time.Date(d.Year, time.Month(d.Month), d.Day, 0, 0, 0, 0, time.UTC)
}

// AddDays returns d plus n calendar days.
func (d Date) AddDays(n int) Date { return DateOf(d.Time().AddDate(0, 0, n)) }

// Before reports whether d is before e.
func (d Date) Before(e Date) bool { return d.Time().Before(e.Time()) }

func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day)
}

// MarshalText writes YYYY-MM-DD; a zero Date marshals as JSON null via MarshalJSON.
func (d Date) MarshalJSON() ([]byte, error) {
	if d.IsZero() {
		return []byte("null"), nil
	}
	return []byte(`"` + d.String() + `"`), nil
}

// UnmarshalJSON reads YYYY-MM-DD or null.
func (d *Date) UnmarshalJSON(b []byte) error {
	s := string(b)
	if s == "null" {
		*d = Date{}
		return nil
	}
	if len(s) < 2 || s[0] != '"' || s[len(s)-1] != '"' {
		return fmt.Errorf("want a date string like \"2025-01-31\"")
	}
	if s == `""` {
		*d = Date{}
		return nil
	}
	v, err := ParseDate(s[1 : len(s)-1])
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// Money is an amount in integer minor units (cents) of a currency.
type Money struct {
	Amount   int64  `json:"amount"`
	Currency string `json:"currency"`
}

func validateMoney(p *Problems, field string, m Money) {
	if m.Amount < 0 {
		p.Add(field+".amount", "must not be negative")
	}
	if m.Currency != "" && (len(m.Currency) != 3 || strings.ToUpper(m.Currency) != m.Currency) {
		p.Add(field+".currency", "must be a three-letter ISO 4217 code like EUR")
	}
	if m.Amount != 0 && m.Currency == "" {
		p.Add(field+".currency", "is required with an amount")
	}
}

func validateTitle(p *Problems, field, s string, max int) {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		p.Add(field, "is required")
	case len(s) > max:
		p.Add(field, "must be at most %d characters", max)
	}
}

func validateRef(p *Problems, field, id string) {
	if id != "" && !IsID(id) {
		p.Add(field, "is not a valid id")
	}
}

func validateDates(p *Problems, startField string, start Date, endField string, end Date) {
	if !start.IsZero() && !end.IsZero() && end.Before(start) {
		p.Add(endField, "must not be before %s", startField)
	}
}

func oneOf(p *Problems, field, v string, allowed ...string) {
	for _, a := range allowed {
		if v == a {
			return
		}
	}
	p.Add(field, "must be one of %s", strings.Join(allowed, ", "))
}

// Actor context: who is making a change, for the Activity log.
type actorKey struct{}

// WithActor returns a context that names userID as the one acting.
func WithActor(ctx context.Context, userID string) context.Context {
	return context.WithValue(ctx, actorKey{}, userID)
}

// ActorFrom returns the acting user's ID, or "" for the system.
func ActorFrom(ctx context.Context) string {
	id, _ := ctx.Value(actorKey{}).(string)
	return id
}

// Page is the part of a filter that selects one page of a list.
type Page struct {
	Limit  int    // 0 = DefaultLimit; at most MaxLimit
	Cursor string // opaque; from a previous list's NextCursor
}

const (
	DefaultLimit = 50
	MaxLimit     = 500
)

// Normalize returns the limit to use.
func (p Page) Size() int {
	switch {
	case p.Limit <= 0:
		return DefaultLimit
	case p.Limit > MaxLimit:
		return MaxLimit
	}
	return p.Limit
}

// Meta is what every stored entity carries.
type Meta struct {
	ID          string    `json:"id"`
	WorkspaceID string    `json:"workspace_id"`
	Version     int64     `json:"version"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}
