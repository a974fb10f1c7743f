// Package gantt draws Gantt charts as SVG on the server: bars, milestones,
// summary bars, dependency arrows, the critical path, baseline bars and a
// today line, on a time scale zoomed from days to quarters.
//
// It is a pure renderer: rows and links in, SVG out. It knows nothing of the
// scheduling engine or of storage; callers give it dates already computed.
// Colours are SVG presentation attributes, so the chart looks right without a
// stylesheet (and under a strict Content-Security-Policy), while every part
// carries a class that a stylesheet may override.
package gantt

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"
	"unicode/utf8"
)

// Zoom is the time scale: how many pixels a calendar day takes.
type Zoom int

// Zoom levels, from the finest to the coarsest.
const (
	Days Zoom = iota
	Weeks
	Months
	Quarters
)

// Zooms lists every zoom level, finest first.
var Zooms = []Zoom{Days, Weeks, Months, Quarters}

// String returns the zoom's name as used in URLs: days, weeks, months, quarters.
func (z Zoom) String() string {
	switch z {
	case Days:
		return "days"
	case Weeks:
		return "weeks"
	case Months:
		return "months"
	case Quarters:
		return "quarters"
	}
	return "zoom(" + strconv.Itoa(int(z)) + ")"
}

// ParseZoom returns the zoom named s; ok is false for an unknown name.
func ParseZoom(s string) (z Zoom, ok bool) {
	for _, z := range Zooms {
		if z.String() == s {
			return z, true
		}
	}
	return Weeks, false
}

// PxPerDay returns the width of one calendar day at zoom z.
func (z Zoom) PxPerDay() int {
	switch z {
	case Days:
		return 24
	case Weeks:
		return 8
	case Months:
		return 3
	}
	return 1
}

// Row is one line of the chart. Dates are calendar days (the time of day and
// location are ignored); Finish is the last day of work, inclusive.
type Row struct {
	ID    string
	Label string
	// Start and Finish place the bar; a zero Start leaves the row without a bar.
	Start, Finish time.Time
	// BaselineStart and BaselineFinish draw the saved plan under the bar; zero = none.
	BaselineStart, BaselineFinish time.Time
	Milestone                     bool // a diamond at Start instead of a bar
	Summary                       bool // a bracket spanning its children
	Critical                      bool // on the critical path
	Progress                      int  // percent complete, 0-100
	Level                         int  // indentation of the label, 0 = top
	// Detail is added to the row's accessible title, e.g. "3 days late".
	Detail string
	// Href, when set, makes the label a link.
	Href string
	// Movable marks the bar as one the user may drag (and resize).
	Movable bool
}

// Link is a dependency arrow between two rows, by row ID.
type Link struct {
	From, To string
	Type     string // FS, SS, FF or SF; empty = FS
	Critical bool
}

// Chart is everything Render draws.
type Chart struct {
	Title string // the chart's accessible name
	Rows  []Row
	Links []Link
	Today time.Time // zero = no today line
	Zoom  Zoom
	// LabelWidth is the width of the label column in pixels; 0 = 260.
	LabelWidth int
	// NonWorking, when set, says which days are not worked (weekends and
	// holidays of the project's calendar): those are shaded at the day and
	// week zooms instead of Saturdays and Sundays.
	NonWorking func(date time.Time) bool
}

// Layout constants, in pixels.
const (
	RowHeight    = 24
	HeaderHeight = 44
	tierHeight   = HeaderHeight / 2
	indent       = 14
	defaultLabel = 260
)

// Colours, as presentation attributes.
const (
	colBar         = "#4a78c9"
	colBarCritical = "#cf3b3b"
	colProgress    = "#1d3f7a"
	colProgressCr  = "#7d1414"
	colBaseline    = "#a3acb8"
	colSummary     = "#2b2f36"
	colGrid        = "#e3e6ea"
	colWeekend     = "#eceef2"
	colStripe      = "#fafbfc"
	colText        = "#2b2f36"
	colMuted       = "#5f6773"
	colLink        = "#6b7480"
	colToday       = "#e07b00"
	colHeaderBg    = "#f0f2f5"
)

// ErrTooLarge is returned for a chart whose time span would make an SVG too
// wide to be useful (more than 50 years).
var ErrTooLarge = errors.New("gantt: chart spans more than 50 years")

// maxSpanDays bounds the width of the chart.
const maxSpanDays = 50 * 366

// Render writes c as a standalone SVG document fragment (an <svg> element).
func Render(w io.Writer, c *Chart) error {
	b, err := Append(make([]byte, 0, 256+len(c.Rows)*700+len(c.Links)*120), c)
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

// Append appends the SVG of c to dst and returns the extended slice.
func Append(dst []byte, c *Chart) ([]byte, error) {
	r, err := newRenderer(c)
	if err != nil {
		return dst, err
	}
	r.b = dst
	r.draw()
	return r.b, nil
}

// day is a calendar day as a count of days since 1970-01-01.
type day int64

func dayOf(t time.Time) day {
	y, m, d := t.Date()
	return day(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

func (d day) time() time.Time { return time.Unix(int64(d)*86400, 0).UTC() }

type renderer struct {
	c          *Chart
	b          []byte
	ppd        int // pixels per day
	lw         int // label column width
	from, to   day // the drawn span [from, to)
	width      int
	height     int
	rowIndex   map[string]int
	rowDays    []rowDays
	hasBars    bool
	showToday  bool
	todayDay   day
	nCritical  int
	nMilestone int
}

type rowDays struct {
	ok             bool
	start, finish  day // finish exclusive
	bStart, bEnd   day
	baseline       bool
	xStart, xEnd   int
	center, yTop   int
	startX, finisX int // where links attach
}

func newRenderer(c *Chart) (*renderer, error) {
	r := &renderer{c: c, ppd: c.Zoom.PxPerDay(), lw: c.LabelWidth}
	if r.lw <= 0 {
		r.lw = defaultLabel
	}
	if c.Zoom < Days || c.Zoom > Quarters {
		return nil, fmt.Errorf("gantt: unknown zoom %d", int(c.Zoom))
	}
	var lo, hi day
	first := true
	widen := func(a, b day) {
		if first {
			lo, hi, first = a, b, false
			return
		}
		lo, hi = min(lo, a), max(hi, b)
	}
	r.rowDays = make([]rowDays, len(c.Rows))
	r.rowIndex = make(map[string]int, len(c.Rows))
	for i := range c.Rows {
		row := &c.Rows[i]
		if row.ID != "" {
			r.rowIndex[row.ID] = i
		}
		rd := &r.rowDays[i]
		if !row.Start.IsZero() {
			rd.ok = true
			rd.start = dayOf(row.Start)
			rd.finish = rd.start + 1
			if !row.Finish.IsZero() && !row.Milestone {
				rd.finish = max(dayOf(row.Finish)+1, rd.start+1)
			}
			widen(rd.start, rd.finish)
		}
		if !row.BaselineStart.IsZero() {
			rd.baseline = true
			rd.bStart = dayOf(row.BaselineStart)
			rd.bEnd = rd.bStart + 1
			if !row.BaselineFinish.IsZero() {
				rd.bEnd = max(dayOf(row.BaselineFinish)+1, rd.bStart+1)
			}
			widen(rd.bStart, rd.bEnd)
		}
	}
	if !c.Today.IsZero() {
		r.todayDay = dayOf(c.Today)
	}
	if first {
		// Nothing to draw: show a month around today (or the epoch of the chart).
		lo = r.todayDay
		hi = lo + 28
	}
	if int64(hi-lo) > maxSpanDays {
		return nil, ErrTooLarge
	}
	r.from = c.Zoom.floor(lo - 1)
	r.to = c.Zoom.ceil(hi + 1)
	r.showToday = !c.Today.IsZero() && r.todayDay >= r.from && r.todayDay < r.to
	r.width = r.lw + int(r.to-r.from)*r.ppd
	r.height = HeaderHeight + len(c.Rows)*RowHeight + 1
	for i := range c.Rows {
		row := &c.Rows[i]
		rd := &r.rowDays[i]
		rd.yTop = HeaderHeight + i*RowHeight
		rd.center = rd.yTop + RowHeight/2
		if !rd.ok {
			continue
		}
		r.hasBars = true
		rd.xStart, rd.xEnd = r.x(rd.start), r.x(rd.finish)
		rd.startX, rd.finisX = rd.xStart, rd.xEnd
		if row.Milestone {
			cx := r.milestoneX(rd.start)
			rd.startX, rd.finisX = cx-6, cx+6
			r.nMilestone++
		}
		if row.Critical {
			r.nCritical++
		}
	}
	return r, nil
}

func (r *renderer) x(d day) int { return r.lw + int(d-r.from)*r.ppd }

// milestoneX centres a milestone on its day when days are wide enough to
// tell, and on the day's start otherwise.
func (r *renderer) milestoneX(d day) int {
	if r.ppd >= 8 {
		return r.x(d) + r.ppd/2
	}
	return r.x(d)
}

// floor returns the first day of the zoom's lower-tier unit holding d.
func (z Zoom) floor(d day) day {
	t := d.time()
	switch z {
	case Days, Weeks:
		wd := (int(t.Weekday()) + 6) % 7 // Monday = 0
		return d - day(wd)
	case Months:
		return dayOf(time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC))
	default:
		q := (int(t.Month()) - 1) / 3 * 3
		return dayOf(time.Date(t.Year(), time.Month(q+1), 1, 0, 0, 0, 0, time.UTC))
	}
}

// ceil returns the first unit boundary at or after d.
func (z Zoom) ceil(d day) day {
	f := z.floor(d)
	if f == d {
		return d
	}
	return z.next(f)
}

// next returns the start of the unit after the one starting at d.
func (z Zoom) next(d day) day {
	t := d.time()
	switch z {
	case Days, Weeks:
		return d + 7
	case Months:
		return dayOf(t.AddDate(0, 1, 0))
	default:
		return dayOf(t.AddDate(0, 3, 0))
	}
}

// Writing helpers: the SVG is built by appending to a byte slice, which keeps
// a 5,000-row chart well inside its time budget.

func (r *renderer) s(s string) { r.b = append(r.b, s...) }
func (r *renderer) i(n int)    { r.b = strconv.AppendInt(r.b, int64(n), 10) }

// attr writes ` name="n"`.
func (r *renderer) attrInt(name string, n int) {
	r.b = append(r.b, ' ')
	r.b = append(r.b, name...)
	r.b = append(r.b, '=', '"')
	r.i(n)
	r.b = append(r.b, '"')
}

func (r *renderer) attr(name, v string) {
	r.b = append(r.b, ' ')
	r.b = append(r.b, name...)
	r.b = append(r.b, '=', '"')
	r.esc(v)
	r.b = append(r.b, '"')
}

// esc appends s escaped for XML text and attribute values; control
// characters that XML 1.0 forbids are dropped, and bytes that are not UTF-8
// become U+FFFD.
func (r *renderer) esc(s string) {
	for i := 0; i < len(s); {
		c := s[i]
		if c >= utf8.RuneSelf {
			ch, size := utf8.DecodeRuneInString(s[i:])
			if ch == utf8.RuneError && size == 1 || ch == 0xFFFE || ch == 0xFFFF {
				r.b = utf8.AppendRune(r.b, utf8.RuneError)
			} else {
				r.b = append(r.b, s[i:i+size]...)
			}
			i += size
			continue
		}
		switch {
		case c == '&':
			r.s("&amp;")
		case c == '<':
			r.s("&lt;")
		case c == '>':
			r.s("&gt;")
		case c == '"':
			r.s("&#34;")
		case c == '\'':
			r.s("&#39;")
		case c < 0x20 && c != '\t' && c != '\n' && c != '\r':
		default:
			r.b = append(r.b, c)
		}
		i++
	}
}

func (r *renderer) rect(class string, x, y, w, h int, fill string) {
	r.s("<rect")
	if class != "" {
		r.attr("class", class)
	}
	r.attrInt("x", x)
	r.attrInt("y", y)
	r.attrInt("width", w)
	r.attrInt("height", h)
	r.s(` fill="`)
	r.s(fill)
	r.s(`"/>`)
}

func dateText(d day) string { return d.time().Format("2 Jan 2006") }

func isoDate(d day) string { return d.time().Format(time.DateOnly) }

func (r *renderer) draw() {
	c := r.c
	r.s(`<svg xmlns="http://www.w3.org/2000/svg" class="gantt" role="group"`)
	r.attrInt("width", r.width)
	r.attrInt("height", r.height)
	r.s(` viewBox="0 0 `)
	r.i(r.width)
	r.s(" ")
	r.i(r.height)
	r.s(`" font-family="system-ui, sans-serif" font-size="12" aria-labelledby="gantt-title gantt-desc"`)
	r.attr("data-zoom", c.Zoom.String())
	r.attr("data-origin", isoDate(r.from))
	r.attrInt("data-px-per-day", r.ppd)
	r.attrInt("data-label-width", r.lw)
	r.attrInt("data-row-height", RowHeight)
	r.attrInt("data-header-height", HeaderHeight)
	r.s(">")
	title := c.Title
	if title == "" {
		title = "Gantt chart"
	}
	r.s(`<title id="gantt-title">`)
	r.esc(title)
	r.s(`</title><desc id="gantt-desc">`)
	r.i(len(c.Rows))
	if len(c.Rows) == 1 {
		r.s(" row")
	} else {
		r.s(" rows")
	}
	if r.hasBars {
		r.s(", from ")
		r.s(dateText(r.from))
		r.s(" to ")
		r.s(dateText(r.to - 1))
	}
	r.s(", by ")
	r.s(c.Zoom.String())
	if r.nCritical > 0 {
		r.s("; ")
		r.i(r.nCritical)
		r.s(" on the critical path, drawn in red")
	}
	r.s(".</desc>")
	r.defs()
	r.background()
	r.header()
	r.labels()
	r.bars()
	r.links()
	r.today()
	r.s("</svg>")
}

func (r *renderer) defs() {
	r.s(`<defs><pattern id="gantt-stripes" width="8"`)
	r.attrInt("height", 2*RowHeight)
	r.s(` patternUnits="userSpaceOnUse"><rect width="8"`)
	r.attrInt("height", RowHeight)
	r.s(` fill="#fff"/><rect width="8"`)
	r.attrInt("y", RowHeight)
	r.attrInt("height", RowHeight)
	r.s(` fill="` + colStripe + `"/></pattern>`)
	for _, m := range [...]struct{ id, fill string }{{"gantt-arrow", colLink}, {"gantt-arrow-critical", colBarCritical}} {
		r.s(`<marker id="`)
		r.s(m.id)
		r.s(`" viewBox="0 0 8 8" refX="7" refY="4" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0L8,4L0,8z" fill="`)
		r.s(m.fill)
		r.s(`"/></marker>`)
	}
	r.s(`<clipPath id="gantt-label-clip"><rect width="`)
	r.i(r.lw - 8)
	r.s(`" height="`)
	r.i(r.height)
	r.s(`"/></clipPath></defs>`)
}

// background draws the row stripes, weekend shading and the grid.
func (r *renderer) background() {
	rowsH := len(r.c.Rows) * RowHeight
	r.rect("gantt-rows", 0, HeaderHeight, r.width, rowsH, "url(#gantt-stripes)")
	if rowsH == 0 {
		rowsH = 1
	}
	if r.c.Zoom <= Weeks {
		r.s(`<path class="gantt-weekend" fill="` + colWeekend + `" fill-opacity=".8" d="`)
		shade := func(d day, n int) {
			r.s("M")
			r.i(r.x(d))
			r.s(" ")
			r.i(HeaderHeight)
			r.s("h")
			r.i(n * r.ppd)
			r.s("v")
			r.i(rowsH)
			r.s("h-")
			r.i(n * r.ppd)
			r.s("z")
		}
		if r.c.NonWorking == nil {
			for d := r.from + 5; d < r.to; d += 7 { // r.from is a Monday
				shade(d, 2)
			}
		} else {
			// Runs of days off make one rectangle each.
			for d := r.from; d < r.to; {
				if !r.c.NonWorking(d.time()) {
					d++
					continue
				}
				n := 1
				for d+day(n) < r.to && r.c.NonWorking((d + day(n)).time()) {
					n++
				}
				shade(d, n)
				d += day(n)
			}
		}
		r.s(`"/>`)
	}
	r.s(`<path class="gantt-grid" stroke="` + colGrid + `" d="`)
	for d := r.from; d < r.to; d = r.lowerNext(d) {
		r.s("M")
		r.i(r.x(d))
		r.s(".5 ")
		r.i(tierHeight)
		r.s("V")
		r.i(r.height)
	}
	r.s(`"/>`)
}

// lowerNext steps along the header's lower tier.
func (r *renderer) lowerNext(d day) day {
	switch r.c.Zoom {
	case Days:
		return d + 1
	case Weeks:
		return d + 7
	case Months:
		return dayOf(d.time().AddDate(0, 1, 0))
	}
	return dayOf(d.time().AddDate(0, 3, 0))
}

// upperStart returns the start of the header's upper-tier unit holding d,
// and upperNext the start of the next one.
func (r *renderer) upperStart(d day) day {
	t := d.time()
	if r.c.Zoom <= Weeks {
		return dayOf(time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC))
	}
	return dayOf(time.Date(t.Year(), 1, 1, 0, 0, 0, 0, time.UTC))
}

func (r *renderer) upperNext(d day) day {
	if r.c.Zoom <= Weeks {
		return dayOf(d.time().AddDate(0, 1, 0))
	}
	return dayOf(d.time().AddDate(1, 0, 0))
}

func (r *renderer) upperLabel(d day) string {
	if r.c.Zoom <= Weeks {
		return d.time().Format("Jan 2006")
	}
	return strconv.Itoa(d.time().Year())
}

func (r *renderer) lowerLabel(d day) string {
	t := d.time()
	switch r.c.Zoom {
	case Days:
		return strconv.Itoa(t.Day())
	case Weeks:
		return t.Format("2 Jan")
	case Months:
		return t.Format("Jan")
	}
	return "Q" + strconv.Itoa((int(t.Month())-1)/3+1)
}

func (r *renderer) header() {
	r.s(`<g class="gantt-header" aria-hidden="true">`)
	r.rect("", 0, 0, r.width, HeaderHeight, colHeaderBg)
	r.s(`<path stroke="#c9ced6" d="M0 `)
	r.i(tierHeight)
	r.s(".5H")
	r.i(r.width)
	r.s("M0 ")
	r.i(HeaderHeight)
	r.s(".5H")
	r.i(r.width)
	for d := r.upperStart(r.from); d < r.to; d = r.upperNext(d) {
		r.s("M")
		r.i(r.x(max(d, r.from)))
		r.s(".5 0V")
		r.i(tierHeight)
	}
	r.s(`"/>`)
	r.s(`<g fill="` + colText + `">`)
	for d := r.upperStart(r.from); d < r.to; d = r.upperNext(d) {
		x0, x1 := r.x(max(d, r.from)), r.x(min(r.upperNext(d), r.to))
		if x1-x0 < 60 {
			continue
		}
		r.s(`<text`)
		r.attrInt("x", x0+6)
		r.attrInt("y", tierHeight-7)
		r.s(` font-weight="600">`)
		r.s(r.upperLabel(d))
		r.s("</text>")
	}
	r.s(`</g><g fill="` + colMuted + `" font-size="11" text-anchor="middle">`)
	for d := r.from; d < r.to; d = r.lowerNext(d) {
		x0, x1 := r.x(d), r.x(min(r.lowerNext(d), r.to))
		r.s(`<text`)
		r.attrInt("x", (x0+x1)/2)
		r.attrInt("y", HeaderHeight-7)
		r.s(">")
		r.s(r.lowerLabel(d))
		r.s("</text>")
	}
	r.s(`</g><text x="8"`)
	r.attrInt("y", HeaderHeight-7)
	r.s(` fill="` + colText + `" font-weight="600">Item</text></g>`)
}

func (r *renderer) labels() {
	r.s(`<g class="gantt-labels" clip-path="url(#gantt-label-clip)" fill="` + colText + `">`)
	for i := range r.c.Rows {
		row := &r.c.Rows[i]
		rd := &r.rowDays[i]
		if row.Href != "" {
			r.s("<a")
			r.attr("href", row.Href)
			r.s(">")
		}
		r.s("<text")
		r.attrInt("x", 8+max(row.Level, 0)*indent)
		r.attrInt("y", rd.center+4)
		if row.Summary {
			r.s(` font-weight="600"`)
		}
		if row.Critical {
			r.s(` class="critical"`)
		}
		r.s(">")
		r.esc(row.Label)
		r.s("</text>")
		if row.Href != "" {
			r.s("</a>")
		}
	}
	r.s(`</g><path stroke="#c9ced6" d="M`)
	r.i(r.lw)
	r.s(".5 0V")
	r.i(r.height)
	r.s(`"/>`)
}

func (r *renderer) bars() {
	r.s(`<g class="gantt-bars">`)
	for i := range r.c.Rows {
		row := &r.c.Rows[i]
		rd := &r.rowDays[i]
		if !rd.ok && !rd.baseline {
			continue
		}
		r.s(`<g class="task`)
		switch {
		case row.Milestone:
			r.s(" milestone")
		case row.Summary:
			r.s(" summary")
		}
		if row.Critical {
			r.s(" critical")
		}
		if row.Movable && rd.ok {
			r.s(` movable" tabindex="0`)
		}
		r.s(`"`)
		if row.ID != "" {
			r.attr("data-id", row.ID)
		}
		if rd.ok {
			r.attr("data-start", isoDate(rd.start))
			r.attr("data-finish", isoDate(rd.finish-1))
		}
		r.s("><title>")
		r.title(row, rd)
		r.s("</title>")
		if rd.baseline {
			x0, x1 := r.x(rd.bStart), r.x(rd.bEnd)
			r.rect("baseline", x0, rd.yTop+18, max(x1-x0, 2), 4, colBaseline)
		}
		if rd.ok {
			switch {
			case row.Milestone:
				cx, cy := r.milestoneX(rd.start), rd.center-2
				fill := colSummary
				if row.Critical {
					fill = colBarCritical
				}
				r.s(`<path class="bar" d="M`)
				r.i(cx)
				r.s(" ")
				r.i(cy - 7)
				r.s("l7 7l-7 7l-7-7z\" fill=\"")
				r.s(fill)
				r.s(`"/>`)
			case row.Summary:
				x0, x1 := rd.xStart, rd.xEnd
				fill := colSummary
				if row.Critical {
					fill = colBarCritical
				}
				r.s(`<path class="bar" d="M`)
				r.i(x0)
				r.s(" ")
				r.i(rd.yTop + 5)
				r.s("H")
				r.i(x1)
				r.s("v10l-5-4H")
				r.i(x0 + 5)
				r.s("l-5 4z\" fill=\"")
				r.s(fill)
				r.s(`"/>`)
			default:
				x0, x1 := rd.xStart, rd.xEnd
				w := max(x1-x0, 2)
				fill, pfill := colBar, colProgress
				if row.Critical {
					fill, pfill = colBarCritical, colProgressCr
				}
				r.s(`<rect class="bar"`)
				r.attrInt("x", x0)
				r.attrInt("y", rd.yTop+4)
				r.attrInt("width", w)
				r.s(` height="13" rx="3" fill="`)
				r.s(fill)
				r.s(`"/>`)
				if p := min(max(row.Progress, 0), 100); p > 0 {
					r.s(`<rect class="progress"`)
					r.attrInt("x", x0)
					r.attrInt("y", rd.yTop+13)
					r.attrInt("width", w*p/100)
					r.s(` height="4" fill="`)
					r.s(pfill)
					r.s(`"/>`)
				}
				if row.Movable {
					r.s(`<rect class="handle" fill="transparent" cursor="ew-resize"`)
					r.attrInt("x", x0+w-5)
					r.attrInt("y", rd.yTop+4)
					r.s(` width="6" height="13"/>`)
				}
			}
		}
		r.s("</g>")
	}
	r.s("</g>")
}

// title writes a row's accessible description.
func (r *renderer) title(row *Row, rd *rowDays) {
	r.esc(row.Label)
	if rd.ok {
		r.s(": ")
		if row.Milestone {
			r.s("milestone on ")
			r.s(dateText(rd.start))
		} else {
			r.s(dateText(rd.start))
			r.s(" to ")
			r.s(dateText(rd.finish - 1))
		}
		if row.Progress > 0 && !row.Milestone {
			r.s(", ")
			r.i(min(row.Progress, 100))
			r.s("% done")
		}
		if row.Critical {
			r.s(", critical")
		}
	} else {
		r.s(": not scheduled")
	}
	if rd.baseline {
		r.s("; baseline ")
		if row.Milestone || rd.bEnd == rd.bStart+1 {
			r.s(dateText(rd.bStart))
		} else {
			r.s(dateText(rd.bStart))
			r.s(" to ")
			r.s(dateText(rd.bEnd - 1))
		}
	}
	if row.Detail != "" {
		r.s("; ")
		r.esc(row.Detail)
	}
}

// links draws the dependency arrows: out of the predecessor's start or
// finish, into the successor's start or finish, with right-angle bends that
// run along the gap between rows.
func (r *renderer) links() {
	r.s(`<g class="gantt-links" fill="none">`)
	for _, l := range r.c.Links {
		fi, ok1 := r.rowIndex[l.From]
		ti, ok2 := r.rowIndex[l.To]
		if !ok1 || !ok2 || fi == ti {
			continue
		}
		a, b := &r.rowDays[fi], &r.rowDays[ti]
		if !a.ok || !b.ok {
			continue
		}
		fromFinish, toStart := true, true
		switch l.Type {
		case "SS":
			fromFinish = false
		case "FF":
			toStart = false
		case "SF":
			fromFinish, toStart = false, false
		}
		xs, xt := a.startX, b.startX
		out, in := -1, 1 // leave leftwards from a start; arrive rightwards at a start
		if fromFinish {
			xs, out = a.finisX, 1
		}
		if !toStart {
			xt, in = b.finisX, -1
		}
		ys, yt := a.center, b.center
		xa := xs + out*6        // first bend, just out of the source
		xb := xt - in*8         // last bend, just before the arrowhead
		gap := yt - RowHeight/2 // the gap above the target row
		if yt < ys {
			gap = yt + RowHeight/2
		}
		r.s(`<path class="link`)
		if l.Critical {
			r.s(" critical")
		}
		r.s(`" stroke="`)
		if l.Critical {
			r.s(colBarCritical + `" marker-end="url(#gantt-arrow-critical)"`)
		} else {
			r.s(colLink + `" marker-end="url(#gantt-arrow)"`)
		}
		r.attr("data-from", l.From)
		r.attr("data-to", l.To)
		r.s(` d="M`)
		r.i(xs)
		r.s(" ")
		r.i(ys)
		if (in == 1 && xa <= xb) || (in == -1 && xa >= xb) {
			// Room to drop straight down beside the target.
			r.s("H")
			r.i(xa)
			r.s("V")
			r.i(yt)
		} else {
			r.s("H")
			r.i(xa)
			r.s("V")
			r.i(gap)
			r.s("H")
			r.i(xb)
			r.s("V")
			r.i(yt)
		}
		r.s("H")
		r.i(xt)
		r.s(`"><title>`)
		r.esc(r.c.Rows[fi].Label)
		r.s(" → ")
		r.esc(r.c.Rows[ti].Label)
		r.s(" (")
		r.s(linkTypeText(l.Type))
		r.s(")</title></path>")
	}
	r.s("</g>")
}

func linkTypeText(t string) string {
	switch t {
	case "SS":
		return "start to start"
	case "FF":
		return "finish to finish"
	case "SF":
		return "start to finish"
	}
	return "finish to start"
}

func (r *renderer) today() {
	if !r.showToday {
		return
	}
	x := r.x(r.todayDay)
	if r.ppd >= 8 {
		x += r.ppd / 2
	}
	r.s(`<line class="today" stroke="` + colToday + `" stroke-width="2"`)
	r.attrInt("x1", x)
	r.attrInt("x2", x)
	r.attrInt("y1", tierHeight)
	r.attrInt("y2", r.height)
	r.s("><title>Today, ")
	r.s(dateText(r.todayDay))
	r.s("</title></line>")
}
