package sqlstore

import (
	"testing"
	"time"

	"github.com/tandem-pm/tandem"
)

// FuzzParseTimeFormat: the fast parser of stored times agrees with
// time.Parse wherever it answers, and answers for every time written in
// timeFormat.
func FuzzParseTimeFormat(f *testing.F) {
	for _, s := range []string{"2026-11-24T01:02:03.456789Z", "2024-02-29T23:59:59.999999Z", "2023-02-29T00:00:00.000000Z",
		"0000-01-01T00:00:00.000000Z", "2026-13-01T00:00:00.000000Z", "2026-11-24T24:00:00.000000Z", "2026-11-24T01:02:03Z",
		"2026-11-24T01:02:03.456789+01:00", "2026-04-31T00:00:00.000000Z", "+026-11-24T01:02:03.456789Z", "2026-11-24T01:02:60.000000Z"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := parseTimeFormat(s)
		want, err := time.Parse(time.RFC3339Nano, s)
		if ok && (err != nil || !got.Equal(want) || got.Location() != time.UTC) {
			t.Fatalf("parseTimeFormat(%q) = %v; time.Parse: %v, %v", s, got, want, err)
		}
		if err == nil && !ok && want.UTC().Format(timeFormat) == s {
			t.Fatalf("parseTimeFormat(%q) declined a time in timeFormat", s)
		}
	})
}

// FuzzParseDigitsDate: the fast date parser agrees with tandem.ParseDate.
func FuzzParseDigitsDate(f *testing.F) {
	for _, s := range []string{"2026-11-24", "2024-02-29", "2023-02-29", "0000-01-01", "2026-00-10", "2026-1-1", "9999-12-31", "2026-04-31"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		y, m, d, ok := parseDigitsDate(s)
		want, err := tandem.ParseDate(s)
		if ok != (err == nil) {
			t.Fatalf("parseDigitsDate(%q) ok=%v; tandem.ParseDate: %v", s, ok, err)
		}
		if ok && (tandem.Date{Year: y, Month: m, Day: d}) != want {
			t.Fatalf("parseDigitsDate(%q) = %d-%d-%d, want %v", s, y, m, d, want)
		}
	})
}

// TestScanTime: stored times read back through the fast path and through
// time.Parse alike.
func TestScanTime(t *testing.T) {
	want := time.Date(2026, 11, 24, 1, 2, 3, 456789000, time.UTC)
	for _, v := range []any{"2026-11-24T01:02:03.456789Z", []byte("2026-11-24T01:02:03.456789Z"), "2026-11-24T02:02:03.456789+01:00",
		want.In(time.FixedZone("x", 3600))} {
		var got time.Time
		if err := (ts{&got}).Scan(v); err != nil {
			t.Fatalf("Scan(%v): %v", v, err)
		}
		if !got.Equal(want) || got.Location() != time.UTC {
			t.Errorf("Scan(%v) = %v, want %v", v, got, want)
		}
	}
	var got time.Time
	if err := (ts{&got}).Scan("2026-02-30T00:00:00.000000Z"); err == nil {
		t.Errorf("Scan of 30 February: no error, got %v", got)
	}
}
