package mspdi

import (
	"bytes"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/tandem-pm/tandem/schedule"
)

// readSchedule reads an MSPDI document and schedules it.
func readSchedule(t *testing.T, doc []byte) (*File, *schedule.Project, *schedule.Result) {
	t.Helper()
	f, err := Read(bytes.NewReader(doc))
	if err != nil {
		t.Fatal(err)
	}
	p, err := f.Project()
	if err != nil {
		t.Fatal(err)
	}
	r, err := schedule.Schedule(p)
	if err != nil {
		t.Fatal(err)
	}
	return f, p, r
}

// spansOn is the working time of calendar c on the date of day: its last
// exception covering that date, else its week.
func spansOn(c *schedule.Calendar, day time.Time) []schedule.Span {
	d := time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, time.UTC)
	sp := c.Week[d.Weekday()]
	for _, e := range c.Exceptions {
		from := time.Date(e.From.Year(), e.From.Month(), e.From.Day(), 0, 0, 0, 0, time.UTC)
		to := time.Date(e.To.Year(), e.To.Month(), e.To.Day(), 0, 0, 0, 0, time.UTC)
		if !d.Before(from) && !d.After(to) {
			sp = e.Working
		}
	}
	return sp
}

// taskKey is what a task means to the engine, for comparing two readings.
func taskKey(t schedule.Task) string {
	d := t.Duration
	if t.Milestone {
		d = 0
	}
	return fmt.Sprintf("%s %q parent=%s dur=%d elapsed=%v ms=%v c=%s@%s dl=%s cal=%s ign=%v act=%s/%s pct=%.0f demands=%v",
		t.ID, t.Name, t.Parent, d, t.Elapsed, t.Milestone, t.Constraint, t.ConstraintDate.Format(time.DateTime),
		t.Deadline.Format(time.DateTime), t.Calendar, t.IgnoreResourceCalendar, t.ActualStart.Format(time.DateTime),
		t.ActualFinish.Format(time.DateTime), t.PercentComplete, t.Demands)
}

// Every sample file read, scheduled, written and read again gives the same
// tasks, links, baselines, calendars (working time on every day the
// schedule spans; resource calendars written as derived ones) and dates.
func TestRoundTripSampleFiles(t *testing.T) {
	for _, sf := range sampleFiles(t) {
		t.Run(sf.name, func(t *testing.T) {
			doc := sf.doc
			f, p, r := readSchedule(t, doc)
			var buf bytes.Buffer
			if err := WriteExtras(&buf, p, r, &Extras{Baselines: f.Baselines(), Contours: f.Contours()}); err != nil {
				t.Fatal(err)
			}
			f2, p2, r2 := readSchedule(t, buf.Bytes())
			// Baselines of the tasks read come back as they were (the
			// project summary task, UID 0, is not a task of p).
			want := f.Baselines()
			for _, tk := range p.Tasks {
				if got := f2.Baselines()[tk.ID]; !reflect.DeepEqual(got, want[tk.ID]) {
					t.Errorf("task %s baselines:\n %+v\nwant\n %+v", tk.ID, got, want[tk.ID])
				}
			}
			if len(p2.Tasks) != len(p.Tasks) {
				t.Fatalf("%d tasks after the round trip, want %d", len(p2.Tasks), len(p.Tasks))
			}
			// The writer puts tasks in outline order; compare by ID.
			byID := make(map[string]int, len(p2.Tasks))
			for i, tk := range p2.Tasks {
				byID[tk.ID] = i
			}
			for i, tk := range p.Tasks {
				j, ok := byID[tk.ID]
				if !ok {
					t.Errorf("task %s lost", tk.ID)
					continue
				}
				if a, b := taskKey(tk), taskKey(p2.Tasks[j]); a != b {
					t.Errorf("task differs:\n %s\n %s", a, b)
				}
				x, y := r.Tasks[i], r2.Tasks[j]
				if x.ES != y.ES || x.EF != y.EF || x.LS != y.LS || x.LF != y.LF || x.TotalFloat != y.TotalFloat || x.FreeFloat != y.FreeFloat ||
					!x.Start.Equal(y.Start) || !x.Finish.Equal(y.Finish) || x.Critical != y.Critical {
					t.Errorf("task %s dates differ:\n %+v\n %+v", tk.ID, x, y)
				}
			}
			type link struct {
				from, to string
				typ      schedule.LinkType
				lag      int64
				pct      float64
			}
			links := func(ls []schedule.Link) map[link]int {
				m := make(map[link]int)
				for _, l := range ls {
					m[link{l.From, l.To, l.Type, l.Lag, l.LagPercent}]++
				}
				return m
			}
			if a, b := links(p.Links), links(p2.Links); !reflect.DeepEqual(a, b) {
				t.Errorf("links differ:\n %v\n %v", a, b)
			}
			if p2.Calendar != p.Calendar || len(p2.Calendars) != len(p.Calendars) {
				t.Fatalf("calendars: project %q of %d, want %q of %d", p2.Calendar, len(p2.Calendars), p.Calendar, len(p.Calendars))
			}
			from, to := p.Start.AddDate(0, 0, -14), r.Finish.AddDate(0, 0, 60)
			for i := range p.Calendars {
				a, b := &p.Calendars[i], &p2.Calendars[i]
				if a.ID != b.ID {
					t.Errorf("calendar %d: ID %q, want %q", i, b.ID, a.ID)
				}
				for d := from; !d.After(to); d = d.AddDate(0, 0, 1) {
					if x, y := spansOn(a, d), spansOn(b, d); !reflect.DeepEqual(x, y) && !(len(x) == 0 && len(y) == 0) {
						t.Errorf("calendar %s on %s: %v, want %v", a.ID, d.Format(time.DateOnly), y, x)
						break
					}
				}
			}
			if !reflect.DeepEqual(p2.Resources, p.Resources) {
				t.Errorf("resources differ:\n %+v\n %+v", p.Resources, p2.Resources)
			}
			// The dates written are the dates computed.
			for _, xt := range f2.Tasks {
				j, ok := byID[xt.UID]
				if !ok {
					continue
				}
				tr := r2.Tasks[j]
				for _, d := range [][2]string{
					{xt.Start, FormatTime(tr.Start)}, {xt.Finish, FormatTime(tr.Finish)},
					{xt.EarlyStart, FormatTime(tr.EarlyStart)}, {xt.EarlyFinish, FormatTime(tr.EarlyFinish)},
					{xt.LateStart, FormatTime(tr.LateStart)}, {xt.LateFinish, FormatTime(tr.LateFinish)},
					{xt.TotalSlack, fmt.Sprint(totalSlack(&tr, p2.Tasks[j].Elapsed) * 10)}, {xt.FreeSlack, fmt.Sprint(freeSlack(r2, &tr, p2.Tasks[j].Elapsed) * 10)},
				} {
					if d[0] != d[1] {
						t.Errorf("task %s: written %s, computed %s", xt.UID, d[0], d[1])
					}
				}
			}
		})
	}
}
