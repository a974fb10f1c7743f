package gantt

import (
	"bytes"
	"regexp"
	"testing"
	"time"
)

var weekendPath = regexp.MustCompile(`class="gantt-weekend"[^>]* d="([^"]*)"`)

func shading(t *testing.T, c *Chart) string {
	t.Helper()
	var b bytes.Buffer
	if err := Render(&b, c); err != nil {
		t.Fatal(err)
	}
	m := weekendPath.FindSubmatch(b.Bytes())
	if m == nil {
		t.Fatalf("no weekend shading in\n%s", b.String())
	}
	return string(m[1])
}

// TestNonWorkingShading: a calendar with only weekends off shades what the
// default does; a holiday adds one day's rectangle, and a holiday next to a
// weekend widens that weekend's rectangle instead.
func TestNonWorkingShading(t *testing.T) {
	weekend := func(d time.Time) bool { return d.Weekday() == time.Saturday || d.Weekday() == time.Sunday }
	plain := shading(t, sample(Days))
	c := sample(Days)
	c.NonWorking = weekend
	if got := shading(t, c); got != plain {
		t.Errorf("weekends only:\n got %s\nwant %s", got, plain)
	}
	holidays := map[string]bool{"2026-03-11": true, "2026-03-13": true} // a Wednesday and a Friday
	c.NonWorking = func(d time.Time) bool { return weekend(d) || holidays[d.Format(time.DateOnly)] }
	got := shading(t, c)
	if n, want := bytes.Count([]byte(got), []byte("z")), bytes.Count([]byte(plain), []byte("z"))+1; n != want {
		t.Errorf("with a Wednesday holiday: %d rectangles, want %d\n%s", n, want, got)
	}
	if !regexp.MustCompile(`h24v`).MatchString(got) || !regexp.MustCompile(`h72v`).MatchString(got) {
		t.Errorf("want a one-day (24 px) and a three-day (72 px, Friday to Sunday) rectangle:\n%s", got)
	}
	c.Zoom = Months
	var b bytes.Buffer
	if err := Render(&b, c); err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(b.Bytes(), []byte("gantt-weekend")) {
		t.Errorf("month zoom shades days off; it should not")
	}
}
