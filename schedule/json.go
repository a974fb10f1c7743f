package schedule

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
)

// The native JSON format (docs/schedule-format.md). Durations and lags are
// strings with a unit: "90m", "4h", "5d", "2w" (working time; a day is
// minutes_per_day, a week five days) and, for lags, "50%". Dates are local
// date-times "2024-03-04T08:00:00" or dates "2024-03-04".

type jsonProject struct {
	Name          string         `json:"name,omitempty"`
	Start         string         `json:"start"`
	StatusDate    string         `json:"status_date,omitempty"`
	MoveUnstarted bool           `json:"move_unstarted_after_status,omitempty"`
	MinutesPerDay int            `json:"minutes_per_day,omitempty"`
	Calendar      string         `json:"calendar,omitempty"`
	Calendars     []jsonCalendar `json:"calendars,omitempty"`
	Resources     []jsonResource `json:"resources,omitempty"`
	Tasks         []jsonTask     `json:"tasks"`
	Links         []jsonLink     `json:"links,omitempty"`
}

type jsonCalendar struct {
	ID         string                 `json:"id"`
	Name       string                 `json:"name,omitempty"`
	Week       map[string][][2]string `json:"week,omitempty"`
	Exceptions []jsonException        `json:"exceptions,omitempty"`
}

type jsonException struct {
	From    string      `json:"from"`
	To      string      `json:"to,omitempty"`
	Working [][2]string `json:"working,omitempty"`
}

type jsonResource struct {
	ID       string  `json:"id"`
	Name     string  `json:"name,omitempty"`
	Capacity float64 `json:"capacity,omitempty"`
	Calendar string  `json:"calendar,omitempty"`
}

type jsonTask struct {
	ID              string          `json:"id"`
	Name            string          `json:"name,omitempty"`
	Duration        string          `json:"duration,omitempty"`
	Estimate        *jsonEstimate   `json:"estimate,omitempty"`
	Milestone       bool            `json:"milestone,omitempty"`
	Parent          string          `json:"parent,omitempty"`
	Constraint      *jsonConstraint `json:"constraint,omitempty"`
	Deadline        string          `json:"deadline,omitempty"`
	Calendar        string          `json:"calendar,omitempty"`
	IgnoreResCal    bool            `json:"ignore_resource_calendar,omitempty"`
	Demands         []jsonDemand    `json:"demands,omitempty"`
	ActualStart     string          `json:"actual_start,omitempty"`
	ActualFinish    string          `json:"actual_finish,omitempty"`
	PercentComplete float64         `json:"percent_complete,omitempty"`
}

type jsonEstimate struct {
	Optimistic  string `json:"optimistic"`
	MostLikely  string `json:"most_likely"`
	Pessimistic string `json:"pessimistic"`
}

type jsonConstraint struct {
	Type string `json:"type"`
	Date string `json:"date,omitempty"`
}

type jsonDemand struct {
	Resource string  `json:"resource"`
	Units    float64 `json:"units"`
	Work     string  `json:"work,omitempty"`
}

type jsonLink struct {
	From string `json:"from"`
	To   string `json:"to"`
	Type string `json:"type,omitempty"`
	Lag  string `json:"lag,omitempty"`
}

var weekdayKeys = [7]string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}

// ReadJSON decodes a project in the native JSON format. Unknown fields are
// rejected; errors name the task or link at fault.
func ReadJSON(r io.Reader) (*Project, error) {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	var jp jsonProject
	if err := dec.Decode(&jp); err != nil {
		return nil, fmt.Errorf("schedule json: %w", err)
	}
	p := &Project{Name: jp.Name, MinutesPerDay: jp.MinutesPerDay, Calendar: jp.Calendar}
	if p.MinutesPerDay <= 0 {
		p.MinutesPerDay = 480
	}
	if p.MinutesPerDay > 1440 {
		return nil, fmt.Errorf("schedule json: minutes_per_day %d is more than a day", p.MinutesPerDay)
	}
	var err error
	if p.Start, err = ParseDate(jp.Start); err != nil {
		return nil, fmt.Errorf("schedule json: start: %w", err)
	}
	p.MoveUnstartedAfterStatus = jp.MoveUnstarted
	if jp.StatusDate != "" {
		if p.StatusDate, err = ParseDate(jp.StatusDate); err != nil {
			return nil, fmt.Errorf("schedule json: status_date: %w", err)
		}
	}
	for _, jc := range jp.Calendars {
		c := Calendar{ID: jc.ID, Name: jc.Name}
		if jc.Week == nil {
			c.Week = StandardCalendar().Week
		}
		for k, v := range jc.Week {
			d := -1
			for i, key := range weekdayKeys {
				if strings.EqualFold(k, key) {
					d = i
				}
			}
			if d < 0 {
				return nil, fmt.Errorf("schedule json: calendar %q: unknown weekday %q (want sun..sat)", jc.ID, k)
			}
			if c.Week[d], err = parseSpans(v); err != nil {
				return nil, fmt.Errorf("schedule json: calendar %q: %s: %w", jc.ID, k, err)
			}
		}
		for _, je := range jc.Exceptions {
			var e Exception
			if e.From, err = ParseDate(je.From); err != nil {
				return nil, fmt.Errorf("schedule json: calendar %q: exception: %w", jc.ID, err)
			}
			e.To = e.From
			if je.To != "" {
				if e.To, err = ParseDate(je.To); err != nil {
					return nil, fmt.Errorf("schedule json: calendar %q: exception: %w", jc.ID, err)
				}
			}
			if e.Working, err = parseSpans(je.Working); err != nil {
				return nil, fmt.Errorf("schedule json: calendar %q: exception: %w", jc.ID, err)
			}
			c.Exceptions = append(c.Exceptions, e)
		}
		p.Calendars = append(p.Calendars, c)
	}
	for _, jr := range jp.Resources {
		capacity := jr.Capacity
		if capacity == 0 {
			capacity = 1
		}
		p.Resources = append(p.Resources, Resource{ID: jr.ID, Name: jr.Name, Capacity: capacity, Calendar: jr.Calendar})
	}
	mpd := int64(p.MinutesPerDay)
	for _, jt := range jp.Tasks {
		t := Task{ID: jt.ID, Name: jt.Name, Milestone: jt.Milestone, Parent: jt.Parent, Calendar: jt.Calendar, PercentComplete: jt.PercentComplete}
		bad := func(field string, err error) error {
			return fmt.Errorf("schedule json: task %q: %s: %w", jt.ID, field, err)
		}
		if jt.Duration != "" {
			if t.Duration, err = ParseWork(jt.Duration, mpd); err != nil {
				return nil, bad("duration", err)
			}
			if t.Duration < 0 {
				return nil, bad("duration", fmt.Errorf("negative duration %q", jt.Duration))
			}
		}
		if e := jt.Estimate; e != nil {
			var est Estimate
			if est.Optimistic, err = ParseWork(e.Optimistic, mpd); err != nil {
				return nil, bad("estimate", err)
			}
			if est.MostLikely, err = ParseWork(e.MostLikely, mpd); err != nil {
				return nil, bad("estimate", err)
			}
			if est.Pessimistic, err = ParseWork(e.Pessimistic, mpd); err != nil {
				return nil, bad("estimate", err)
			}
			if est.Optimistic < 0 || est.Optimistic > est.MostLikely || est.MostLikely > est.Pessimistic {
				return nil, bad("estimate", fmt.Errorf("want 0 <= optimistic <= most_likely <= pessimistic"))
			}
			t.Estimate = &est
			if jt.Duration == "" {
				t.Duration = est.MostLikely
			}
		}
		if c := jt.Constraint; c != nil {
			if t.Constraint, err = ParseConstraintType(c.Type); err != nil {
				return nil, bad("constraint", err)
			}
			if t.Constraint != ASAP && t.Constraint != ALAP {
				if t.ConstraintDate, err = ParseDate(c.Date); err != nil {
					return nil, bad("constraint date", err)
				}
			}
		}
		for _, d := range []struct {
			s, name string
			dst     *time.Time
		}{{jt.Deadline, "deadline", &t.Deadline}, {jt.ActualStart, "actual_start", &t.ActualStart}, {jt.ActualFinish, "actual_finish", &t.ActualFinish}} {
			if d.s != "" {
				if *d.dst, err = ParseDate(d.s); err != nil {
					return nil, bad(d.name, err)
				}
			}
		}
		t.IgnoreResourceCalendar = jt.IgnoreResCal
		for _, d := range jt.Demands {
			dm := Demand{Resource: d.Resource, Units: d.Units}
			if d.Work != "" {
				if dm.Work, err = ParseWork(d.Work, mpd); err != nil || dm.Work < 0 {
					return nil, bad("demand work", fmt.Errorf("bad work %q", d.Work))
				}
			}
			t.Demands = append(t.Demands, dm)
		}
		p.Tasks = append(p.Tasks, t)
	}
	for i, jl := range jp.Links {
		l := Link{From: jl.From, To: jl.To}
		if l.Type, err = ParseLinkType(jl.Type); err != nil {
			return nil, fmt.Errorf("schedule json: link %d (%s -> %s): %w", i, jl.From, jl.To, err)
		}
		if lag := strings.TrimSpace(jl.Lag); strings.HasSuffix(lag, "%") {
			if l.LagPercent, err = strconv.ParseFloat(strings.TrimSuffix(lag, "%"), 64); err != nil || math.IsNaN(l.LagPercent) || math.Abs(l.LagPercent) > 1e6 {
				return nil, fmt.Errorf("schedule json: link %d (%s -> %s): bad lag %q", i, jl.From, jl.To, jl.Lag)
			}
		} else if lag != "" {
			if l.Lag, err = ParseWork(lag, mpd); err != nil {
				return nil, fmt.Errorf("schedule json: link %d (%s -> %s): lag: %w", i, jl.From, jl.To, err)
			}
		}
		p.Links = append(p.Links, l)
	}
	return p, nil
}

// WriteJSON encodes p in the native JSON format.
func WriteJSON(w io.Writer, p *Project) error {
	mpd := int64(p.MinutesPerDay)
	if mpd <= 0 {
		mpd = 480
	}
	jp := jsonProject{Name: p.Name, Start: FormatDate(p.Start), MinutesPerDay: int(mpd), Calendar: p.Calendar, Tasks: []jsonTask{}}
	jp.MoveUnstarted = p.MoveUnstartedAfterStatus
	if !p.StatusDate.IsZero() {
		jp.StatusDate = FormatDate(p.StatusDate)
	}
	for _, c := range p.Calendars {
		jc := jsonCalendar{ID: c.ID, Name: c.Name, Week: map[string][][2]string{}}
		for d, sp := range c.Week {
			jc.Week[weekdayKeys[d]] = formatSpans(sp)
		}
		for _, e := range c.Exceptions {
			jc.Exceptions = append(jc.Exceptions, jsonException{From: e.From.Format(time.DateOnly), To: e.To.Format(time.DateOnly), Working: formatSpans(e.Working)})
		}
		jp.Calendars = append(jp.Calendars, jc)
	}
	for _, r := range p.Resources {
		jp.Resources = append(jp.Resources, jsonResource{ID: r.ID, Name: r.Name, Capacity: r.Capacity, Calendar: r.Calendar})
	}
	date := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return FormatDate(t)
	}
	for _, t := range p.Tasks {
		jt := jsonTask{ID: t.ID, Name: t.Name, Duration: FormatWork(t.Duration, mpd), Milestone: t.Milestone, Parent: t.Parent,
			Deadline: date(t.Deadline), Calendar: t.Calendar, ActualStart: date(t.ActualStart), ActualFinish: date(t.ActualFinish), PercentComplete: t.PercentComplete}
		if e := t.Estimate; e != nil {
			jt.Estimate = &jsonEstimate{FormatWork(e.Optimistic, mpd), FormatWork(e.MostLikely, mpd), FormatWork(e.Pessimistic, mpd)}
		}
		if t.Constraint != ASAP {
			jt.Constraint = &jsonConstraint{Type: t.Constraint.String(), Date: date(t.ConstraintDate)}
		}
		jt.IgnoreResCal = t.IgnoreResourceCalendar
		for _, d := range t.Demands {
			jd := jsonDemand{Resource: d.Resource, Units: d.Units}
			if d.Work != 0 {
				jd.Work = FormatWork(d.Work, mpd)
			}
			jt.Demands = append(jt.Demands, jd)
		}
		jp.Tasks = append(jp.Tasks, jt)
	}
	for _, l := range p.Links {
		jl := jsonLink{From: l.From, To: l.To, Type: l.Type.String()}
		if l.LagPercent != 0 {
			jl.Lag = strconv.FormatFloat(l.LagPercent, 'f', -1, 64) + "%"
		} else if l.Lag != 0 {
			jl.Lag = FormatWork(l.Lag, mpd)
		}
		jp.Links = append(jp.Links, jl)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(jp); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// ParseWork reads an amount of working time with a unit (m, h, d, w; a day
// is minutesPerDay, a week five days) and returns minutes.
func ParseWork(s string, minutesPerDay int64) (int64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, fmt.Errorf("empty duration")
	}
	unit := s[len(s)-1]
	num := s[:len(s)-1]
	var mult float64
	switch unit {
	case 'm':
		mult = 1
	case 'h':
		mult = 60
	case 'd':
		mult = float64(minutesPerDay)
	case 'w':
		mult = float64(5 * minutesPerDay)
	default:
		return 0, fmt.Errorf("duration %q needs a unit: m, h, d or w", s)
	}
	v, err := strconv.ParseFloat(num, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) || math.Abs(v*mult) > maxMinutes {
		return 0, fmt.Errorf("bad duration %q", s)
	}
	return int64(math.Round(v * mult)), nil
}

// FormatWork writes minutes in the largest unit that divides them: "5d",
// "4h", "90m".
func FormatWork(m, minutesPerDay int64) string {
	switch {
	case m != 0 && minutesPerDay > 0 && m%minutesPerDay == 0:
		return strconv.FormatInt(m/minutesPerDay, 10) + "d"
	case m != 0 && m%60 == 0:
		return strconv.FormatInt(m/60, 10) + "h"
	}
	return strconv.FormatInt(m, 10) + "m"
}

// ParseDate reads "2024-03-04T08:00:00", "2024-03-04T08:00" or
// "2024-03-04" as a local wall-clock time (kept in time.UTC).
func ParseDate(s string) (time.Time, error) {
	for _, layout := range []string{"2006-01-02T15:04:05", "2006-01-02T15:04", time.DateOnly} {
		if t, err := time.Parse(layout, strings.TrimSpace(s)); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("bad date %q (want 2006-01-02 or 2006-01-02T15:04:05)", s)
}

// FormatDate writes a local date-time as MS Project does:
// 2024-03-04T08:00:00.
func FormatDate(t time.Time) string { return t.Format("2006-01-02T15:04:05") }

func parseSpans(v [][2]string) ([]Span, error) {
	var out []Span
	for _, p := range v {
		a, err1 := parseHHMM(p[0])
		b, err2 := parseHHMM(p[1])
		if err1 != nil || err2 != nil {
			return nil, fmt.Errorf("bad working time %q-%q (want HH:MM)", p[0], p[1])
		}
		out = append(out, Span{a, b})
	}
	return out, checkSpans(out)
}

func parseHHMM(s string) (int, error) {
	t, err := time.Parse("15:04", s)
	if err != nil {
		if s == "24:00" {
			return 24 * 60, nil
		}
		return 0, err
	}
	return t.Hour()*60 + t.Minute(), nil
}

func formatSpans(sp []Span) [][2]string {
	out := [][2]string{}
	for _, s := range sp {
		out = append(out, [2]string{clock(s.From), clock(s.To)})
	}
	return out
}
