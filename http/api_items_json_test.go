package http

import (
	"bytes"
	"encoding/json"
	"math"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/tandem-pm/tandem"
)

// encodeItemListStd is what the list response was before appendItemList:
// encoding/json's Encoder with its defaults.
func encodeItemListStd(xs []*tandem.Item, next string) ([]byte, error) {
	var buf bytes.Buffer
	err := json.NewEncoder(&buf).Encode(list[*tandem.Item]{Data: xs, NextCursor: next})
	return buf.Bytes(), err
}

func testItems() []*tandem.Item {
	t0 := time.Date(2026, 11, 24, 1, 2, 3, 456789000, time.UTC)
	plus := time.FixedZone("plus", 5*3600+30*60)
	minusSec := time.FixedZone("odd", -(3*3600 + 7*60 + 13))
	return []*tandem.Item{
		{Meta: tandem.Meta{ID: "0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b", WorkspaceID: "0193a1b2-0000-7000-8000-000000000001", Version: 1,
			CreatedAt: t0, UpdatedAt: t0}, Kind: tandem.KindTask, Title: "design component 1", Description: "Generated.",
			Status: tandem.StatusPlanned, DurationDays: 3, GoalIDs: []string{}},
		{Meta: tandem.Meta{ID: "b", Version: math.MaxInt64, CreatedAt: time.Time{}, UpdatedAt: t0.Add(-456789000)},
			Kind: tandem.KindMilestone, ParentID: "p", ProjectID: "pr", ProductID: "pd", AssigneeID: "u",
			Title: `quotes " and \ backslash`, Description: "line\nbreak\ttab\r\b\f\x00\x01\x1f end",
			EffortHours: 0.1, DurationDays: 0, PlannedStart: tandem.Date{Year: 2026, Month: 1, Day: 31},
			PlannedFinish: tandem.Date{Year: 2026, Month: 12, Day: 1}, Progress: 100, GoalIDs: []string{"g1", "g<2>"}},
		{Meta: tandem.Meta{ID: "c", Version: -3, CreatedAt: t0.In(plus), UpdatedAt: t0.In(minusSec)},
			Title: "<script>alert('x' & \"y\")</script>", Description: "café ünïcödé 日本語 😀 \u2028 \u2029 \u007f",
			EffortHours: 1e-7, DurationDays: 1e21, Progress: -1},
		{Meta: tandem.Meta{ID: "d", CreatedAt: time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC), UpdatedAt: time.Date(0, 1, 1, 0, 0, 0, 1, time.UTC)},
			Title: "invalid \xff\xfe utf-8 \xc3", Description: "\xed\xa0\x80 surrogate", EffortHours: 123456.789,
			DurationDays: 2.5e-6, PlannedStart: tandem.Date{Year: 1, Month: 2, Day: 3}, GoalIDs: nil},
		{Title: "", EffortHours: math.SmallestNonzeroFloat64, DurationDays: math.MaxFloat64, Progress: 50,
			Description: "tiny and huge; negative zero below"},
		{EffortHours: math.Copysign(0, -1), DurationDays: -1.5e-9, Title: "negative numbers"},
		nil,
	}
}

// TestAppendItemListMatchesEncodingJSON: the hand-written encoding of a list
// of items is byte for byte what encoding/json writes.
func TestAppendItemListMatchesEncodingJSON(t *testing.T) {
	items := testItems()
	cases := []struct {
		name string
		xs   []*tandem.Item
		next string
	}{
		{"empty", []*tandem.Item{}, ""},
		{"one", items[:1], ""},
		{"all", items, "MDE5M2ExYjItYzNkNC03ZTVmLThhOWItMGMxZDJlM2Y0YTVi"},
		{"cursor to escape", items[1:3], "<&>"},
	}
	for i, x := range items {
		cases = append(cases, struct {
			name string
			xs   []*tandem.Item
			next string
		}{"item " + string(rune('0'+i)), []*tandem.Item{x}, ""})
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			want, err := encodeItemListStd(c.xs, c.next)
			if err != nil {
				t.Fatalf("encoding/json: %v", err)
			}
			got, err := appendItemList([]byte("prefix"), c.xs, c.next)
			if err != nil {
				t.Fatalf("appendItemList: %v", err)
			}
			if !bytes.Equal(got[len("prefix"):], want) {
				t.Errorf("got\n%s\nwant\n%s", got[len("prefix"):], want)
			}
		})
	}
}

// TestAppendItemListFailsWhereEncodingJSONFails: values encoding/json
// refuses make appendItemList fail too, so that writeList falls back.
func TestAppendItemListFailsWhereEncodingJSONFails(t *testing.T) {
	cases := map[string]*tandem.Item{
		"NaN":             {EffortHours: math.NaN()},
		"+Inf":            {DurationDays: math.Inf(1)},
		"-Inf":            {EffortHours: math.Inf(-1)},
		"year 10000":      {Meta: tandem.Meta{CreatedAt: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)}},
		"year -1":         {Meta: tandem.Meta{UpdatedAt: time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC)}},
		"offset 24 hours": {Meta: tandem.Meta{UpdatedAt: time.Date(2026, 1, 1, 0, 0, 0, 0, time.FixedZone("far", 24*3600))}},
	}
	for name, x := range cases {
		t.Run(name, func(t *testing.T) {
			if _, err := encodeItemListStd([]*tandem.Item{x}, ""); err == nil {
				t.Fatal("encoding/json encoded it; the case tests nothing")
			}
			if _, err := appendItemList(nil, []*tandem.Item{x}, ""); err == nil {
				t.Error("appendItemList encoded what encoding/json refuses")
			}
		})
	}
}

// TestWriteListItems: the list handler's writer sends the same body as
// encoding/json, with its length.
func TestWriteListItems(t *testing.T) {
	items := testItems()
	for _, xs := range [][]*tandem.Item{nil, items[:3]} {
		rec := httptest.NewRecorder()
		writeList(rec, xs, "next")
		want, _ := encodeItemListStd(orEmptyItems(xs), "next")
		if got := rec.Body.Bytes(); !bytes.Equal(got, want) {
			t.Errorf("body\n%s\nwant\n%s", got, want)
		}
		if got, want := rec.Header().Get("Content-Length"), len(want); got != strconv.Itoa(want) {
			t.Errorf("Content-Length %s, want %d", got, want)
		}
		if got := rec.Header().Get("Content-Type"); got != "application/json" {
			t.Errorf("Content-Type %q", got)
		}
	}
	// A NaN takes encoding/json's path, which refuses it with a problem.
	rec := httptest.NewRecorder()
	writeList(rec, []*tandem.Item{{EffortHours: math.NaN()}}, "")
	if rec.Code != 500 || rec.Header().Get("Content-Type") != "application/problem+json" {
		t.Errorf("NaN: status %d, %s; want 500 problem", rec.Code, rec.Header().Get("Content-Type"))
	}
}

func orEmptyItems(xs []*tandem.Item) []*tandem.Item {
	if xs == nil {
		return []*tandem.Item{}
	}
	return xs
}

// FuzzAppendItem compares the two encodings on arbitrary strings, numbers
// and times.
func FuzzAppendItem(f *testing.F) {
	f.Add("title", "<desc>&", 1.5, int64(0), int64(1700000000123456789), 7)
	f.Add("\xff\u2028\"", "\x00\\", math.MaxFloat64, int64(-5), int64(0), -1)
	f.Fuzz(func(t *testing.T, title, desc string, effort float64, version, nanos int64, progress int) {
		x := &tandem.Item{Meta: tandem.Meta{ID: title, Version: version, CreatedAt: time.Unix(0, nanos).UTC(),
			UpdatedAt: time.Unix(0, nanos).In(time.FixedZone("z", int(nanos%86400)))},
			Title: title, Description: desc, EffortHours: effort, DurationDays: -effort, Progress: progress,
			GoalIDs: []string{desc, title}}
		want, werr := encodeItemListStd([]*tandem.Item{x}, desc)
		got, gerr := appendItemList(nil, []*tandem.Item{x}, desc)
		if (werr != nil) != (gerr != nil) {
			t.Fatalf("encoding/json error %v, appendItemList error %v", werr, gerr)
		}
		if werr == nil && !bytes.Equal(got, want) {
			t.Fatalf("got\n%s\nwant\n%s", got, want)
		}
	})
}
