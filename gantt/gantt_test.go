package gantt

import (
	"bytes"
	"encoding/xml"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func date(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

// sample is a small plan with every kind of row and link.
func sample(z Zoom) *Chart {
	return &Chart{
		Title: "Customer portal <v2> & more",
		Zoom:  z,
		Today: date("2026-03-11"),
		Rows: []Row{
			{ID: "p", Label: "Phase 1", Summary: true, Start: date("2026-03-02"), Finish: date("2026-03-20"), Critical: true},
			{ID: "a", Label: "Design", Level: 1, Start: date("2026-03-02"), Finish: date("2026-03-06"), Progress: 100, Critical: true, Movable: true,
				BaselineStart: date("2026-03-02"), BaselineFinish: date("2026-03-06"), Href: "/w/acme/items/a"},
			{ID: "b", Label: "Build \"API\"", Level: 1, Start: date("2026-03-09"), Finish: date("2026-03-20"), Progress: 40, Critical: true, Movable: true,
				BaselineStart: date("2026-03-09"), BaselineFinish: date("2026-03-17"), Detail: "3 days late"},
			{ID: "c", Label: "Docs", Level: 1, Start: date("2026-03-09"), Finish: date("2026-03-11"), Movable: true},
			{ID: "m", Label: "Launch", Milestone: true, Start: date("2026-03-23"), Critical: true, BaselineStart: date("2026-03-18")},
			{ID: "u", Label: "Unscheduled idea"},
		},
		Links: []Link{
			{From: "a", To: "b", Type: "FS", Critical: true},
			{From: "a", To: "c", Type: "SS"},
			{From: "c", To: "b", Type: "FF"},
			{From: "b", To: "m", Critical: true},
			{From: "m", To: "c", Type: "SF"},
			{From: "a", To: "missing"},
		},
	}
}

func TestRenderGolden(t *testing.T) {
	for _, z := range Zooms {
		t.Run(z.String(), func(t *testing.T) {
			var buf bytes.Buffer
			if err := Render(&buf, sample(z)); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", "sample-"+z.String()+".svg")
			if *update {
				if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./gantt -update to create it)", err)
			}
			if !bytes.Equal(buf.Bytes(), want) {
				t.Errorf("SVG differs from %s; if the change is intended, run go test ./gantt -update and review the diff", path)
			}
		})
	}
}

// element is a parsed SVG element, for checks on structure.
type element struct {
	Name     string
	Attr     map[string]string
	Text     string
	Children []*element
}

func parse(t *testing.T, svg []byte) *element {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(svg))
	dec.Strict = true
	root := &element{}
	stack := []*element{root}
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("SVG is not well-formed XML: %v", err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			e := &element{Name: tok.Name.Local, Attr: map[string]string{}}
			for _, a := range tok.Attr {
				e.Attr[a.Name.Local] = a.Value
			}
			top := stack[len(stack)-1]
			top.Children = append(top.Children, e)
			stack = append(stack, e)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			stack[len(stack)-1].Text += string(tok)
		}
	}
	if len(root.Children) != 1 || root.Children[0].Name != "svg" {
		t.Fatalf("want one <svg> root, got %d elements", len(root.Children))
	}
	return root.Children[0]
}

func (e *element) walk(fn func(*element)) {
	fn(e)
	for _, c := range e.Children {
		c.walk(fn)
	}
}

func (e *element) find(pred func(*element) bool) []*element {
	var out []*element
	e.walk(func(x *element) {
		if pred(x) {
			out = append(out, x)
		}
	})
	return out
}

func (e *element) child(name string) *element {
	for _, c := range e.Children {
		if c.Name == name {
			return c
		}
	}
	return nil
}

func hasClass(e *element, class string) bool {
	for _, c := range strings.Fields(e.Attr["class"]) {
		if c == class {
			return true
		}
	}
	return false
}

func render(t *testing.T, c *Chart) *element {
	t.Helper()
	var buf bytes.Buffer
	if err := Render(&buf, c); err != nil {
		t.Fatal(err)
	}
	return parse(t, buf.Bytes())
}

func TestRenderStructure(t *testing.T) {
	svg := render(t, sample(Days))
	if got := svg.child("title"); got == nil || got.Text != "Customer portal <v2> & more" {
		t.Errorf("chart title = %+v, want the escaped title text", got)
	}
	tasks := svg.find(func(e *element) bool { return hasClass(e, "task") })
	if got, want := len(tasks), 5; got != want {
		t.Fatalf("got %d task groups, want %d (the unscheduled row has none)", got, want)
	}
	byID := map[string]*element{}
	for _, g := range tasks {
		byID[g.Attr["data-id"]] = g
		if g.child("title") == nil {
			t.Errorf("task %s has no <title>", g.Attr["data-id"])
		}
	}
	if !hasClass(byID["m"], "milestone") || !hasClass(byID["m"], "critical") {
		t.Errorf("launch classes = %q, want milestone critical", byID["m"].Attr["class"])
	}
	if hasClass(byID["c"], "critical") {
		t.Errorf("docs is marked critical")
	}
	if got, want := byID["b"].child("title").Text, `Build "API": 9 Mar 2026 to 20 Mar 2026, 40% done, critical; baseline 9 Mar 2026 to 17 Mar 2026; 3 days late`; got != want {
		t.Errorf("title of b:\n got %q\nwant %q", got, want)
	}
	if got, want := byID["b"].Attr["data-start"], "2026-03-09"; got != want {
		t.Errorf("data-start = %q, want %q", got, want)
	}
	if got, want := byID["b"].Attr["data-finish"], "2026-03-20"; got != want {
		t.Errorf("data-finish = %q, want %q", got, want)
	}
	// Days zoom: 24 px a day from the Monday before the first bar (23 Feb).
	if got, want := svg.Attr["data-origin"], "2026-02-23"; got != want {
		t.Errorf("origin = %s, want %s", got, want)
	}
	var bar *element
	for _, c := range byID["b"].Children {
		if hasClass(c, "bar") {
			bar = c
		}
	}
	if bar == nil {
		t.Fatal("b has no bar")
	}
	if got, want := bar.Attr["x"], fmt.Sprint(260+14*24); got != want {
		t.Errorf("bar x = %s, want %s", got, want)
	}
	if got, want := bar.Attr["width"], fmt.Sprint(12*24); got != want {
		t.Errorf("bar width = %s, want %s (12 calendar days)", got, want)
	}
	links := svg.find(func(e *element) bool { return hasClass(e, "link") })
	if got, want := len(links), 5; got != want {
		t.Errorf("got %d links, want %d (a link to a missing row is skipped)", got, want)
	}
	for _, l := range links {
		crit := hasClass(l, "critical")
		if want := map[bool]string{true: "url(#gantt-arrow-critical)", false: "url(#gantt-arrow)"}[crit]; l.Attr["marker-end"] != want {
			t.Errorf("link %s→%s marker = %s, want %s", l.Attr["data-from"], l.Attr["data-to"], l.Attr["marker-end"], want)
		}
	}
	today := svg.find(func(e *element) bool { return hasClass(e, "today") })
	if len(today) != 1 || today[0].child("title").Text != "Today, 11 Mar 2026" {
		t.Errorf("today line = %+v", today)
	}
	if got := len(svg.find(func(e *element) bool { return hasClass(e, "baseline") })); got != 3 {
		t.Errorf("got %d baseline bars, want 3", got)
	}
	if got := len(svg.find(func(e *element) bool { return hasClass(e, "movable") })); got != 3 {
		t.Errorf("got %d movable bars, want 3", got)
	}
}

// TestLinkEnds checks where each kind of arrow leaves and arrives.
func TestLinkEnds(t *testing.T) {
	rows := []Row{
		{ID: "a", Label: "A", Start: date("2026-01-05"), Finish: date("2026-01-09")},
		{ID: "b", Label: "B", Start: date("2026-01-19"), Finish: date("2026-01-23")},
	}
	// Origin: Monday 29 Dec 2025 (the Monday on or before 4 Jan); 24 px a day.
	x := func(s string) int { return 260 + int(date(s).Sub(date("2025-12-29")).Hours()/24)*24 }
	for _, tc := range []struct {
		typ          string
		startX, endX int
	}{
		{"FS", x("2026-01-10"), x("2026-01-19")},
		{"SS", x("2026-01-05"), x("2026-01-19")},
		{"FF", x("2026-01-10"), x("2026-01-24")},
		{"SF", x("2026-01-05"), x("2026-01-24")},
	} {
		t.Run(tc.typ, func(t *testing.T) {
			svg := render(t, &Chart{Rows: rows, Links: []Link{{From: "a", To: "b", Type: tc.typ}}, Zoom: Days})
			links := svg.find(func(e *element) bool { return hasClass(e, "link") })
			if len(links) != 1 {
				t.Fatalf("got %d links", len(links))
			}
			d := links[0].Attr["d"]
			if want := fmt.Sprintf("M%d %d", tc.startX, HeaderHeight+RowHeight/2); !strings.HasPrefix(d, want) {
				t.Errorf("path %q does not start at %q", d, want)
			}
			if want := fmt.Sprintf("H%d", tc.endX); !strings.HasSuffix(d, want) {
				t.Errorf("path %q does not end at %q", d, want)
			}
		})
	}
}

func TestZoomScale(t *testing.T) {
	rows := []Row{{ID: "a", Label: "A", Start: date("2026-02-10"), Finish: date("2026-05-20")}}
	for _, tc := range []struct {
		z      Zoom
		origin string
	}{
		{Days, "2026-02-09"},
		{Weeks, "2026-02-09"},
		{Months, "2026-02-01"},
		{Quarters, "2026-01-01"},
	} {
		svg := render(t, &Chart{Rows: rows, Zoom: tc.z})
		if got := svg.Attr["data-origin"]; got != tc.origin {
			t.Errorf("%s: origin = %s, want %s", tc.z, got, tc.origin)
		}
		if got, want := svg.Attr["data-px-per-day"], fmt.Sprint(tc.z.PxPerDay()); got != want {
			t.Errorf("%s: px per day = %s, want %s", tc.z, got, want)
		}
	}
	for _, z := range Zooms {
		got, ok := ParseZoom(z.String())
		if !ok || got != z {
			t.Errorf("ParseZoom(%q) = %v, %v", z.String(), got, ok)
		}
	}
	if _, ok := ParseZoom("years"); ok {
		t.Error("ParseZoom accepted years")
	}
}

func TestRenderEdgeCases(t *testing.T) {
	for name, c := range map[string]*Chart{
		"empty":            {},
		"no bars":          {Rows: []Row{{ID: "x", Label: "Nothing yet"}}},
		"finish before":    {Rows: []Row{{ID: "x", Label: "X", Start: date("2026-01-05"), Finish: date("2026-01-01")}}},
		"control chars":    {Title: "bad\x00\x01title", Rows: []Row{{ID: "x\x02", Label: "a\x1fb", Start: date("2026-01-05")}}},
		"negative level":   {Rows: []Row{{ID: "x", Label: "X", Level: -3, Start: date("2026-01-05"), Progress: 500}}},
		"baseline only":    {Rows: []Row{{ID: "x", Label: "X", BaselineStart: date("2026-01-05"), BaselineFinish: date("2026-01-09")}}},
		"self link":        {Rows: []Row{{ID: "x", Label: "X", Start: date("2026-01-05")}}, Links: []Link{{From: "x", To: "x"}}},
		"today far before": {Rows: []Row{{ID: "x", Label: "X", Start: date("2026-01-05")}}, Today: date("2020-01-01"), Zoom: Quarters},
	} {
		t.Run(name, func(t *testing.T) { render(t, c) })
	}
	huge := &Chart{Rows: []Row{{ID: "a", Start: date("1900-01-01")}, {ID: "b", Start: date("2100-01-01")}}}
	if err := Render(io.Discard, huge); err != ErrTooLarge {
		t.Errorf("two centuries: err = %v, want ErrTooLarge", err)
	}
	if err := Render(io.Discard, &Chart{Zoom: Zoom(9)}); err == nil {
		t.Error("unknown zoom: no error")
	}
}

// bigChart is a plan of n tasks over about two years: chains of ten tasks
// with one link into each task, a summary row every 50.
func bigChart(n int, z Zoom) *Chart {
	c := &Chart{Title: "Big plan", Zoom: z, Today: date("2026-06-15")}
	start := date("2026-01-05")
	c.Rows = make([]Row, n)
	for i := range c.Rows {
		s := start.AddDate(0, 0, (i*7)%600)
		c.Rows[i] = Row{
			ID: fmt.Sprintf("task-%05d", i), Label: fmt.Sprintf("Task %d: build & test part %d", i, i%97),
			Start: s, Finish: s.AddDate(0, 0, 3+i%20), Progress: (i * 13) % 101, Level: 1 + i%3,
			Critical: i%7 == 0, Movable: true, Milestone: i%40 == 39, Summary: i%50 == 0,
			BaselineStart: s.AddDate(0, 0, -2), BaselineFinish: s.AddDate(0, 0, 2+i%20),
		}
		if i%10 != 0 {
			c.Links = append(c.Links, Link{From: c.Rows[i-1].ID, To: c.Rows[i].ID, Critical: i%7 == 0})
		}
		if i >= 10 && i%10 == 0 {
			c.Links = append(c.Links, Link{From: c.Rows[i-10].ID, To: c.Rows[i].ID, Type: "SS"})
		}
	}
	return c
}

func TestBigChartIsWellFormed(t *testing.T) {
	c := bigChart(500, Weeks)
	svg := render(t, c)
	if got := len(svg.find(func(e *element) bool { return hasClass(e, "task") })); got != 500 {
		t.Errorf("got %d tasks, want 500", got)
	}
}

// BenchmarkRender5000 measures the budget figure: a Gantt of 5,000 tasks
// rendered on the server (DESIGN.md: ≤ 300 ms).
func BenchmarkRender5000(b *testing.B) {
	for _, z := range []Zoom{Days, Weeks, Months} {
		b.Run(z.String(), func(b *testing.B) {
			c := bigChart(5000, z)
			var buf bytes.Buffer
			b.ReportAllocs()
			for b.Loop() {
				buf.Reset()
				if err := Render(&buf, c); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(buf.Len())/1e6, "MB/svg")
		})
	}
}
