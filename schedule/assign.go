package schedule

import (
	"errors"
	"fmt"
	"math"
	"time"
)

// ErrDisjointCalendars: a task's calendar and one of its resources'
// calendars have no working time in common in their working weeks, so the
// assignment could never be done.
var ErrDisjointCalendars = errors.New("the task calendar and the resource calendar share no working time")

// assignTL is one assignment of a task scheduled per assignment: the
// timeline of the calendar it works on and its working minutes there.
type assignTL struct {
	tl   *timeline
	work int64
}

// taskCalendars is how each network task's dates relate to calendars
// (docs/schedule.md, "Calendars").
type taskCalendars struct {
	// tl[k] is the timeline of task k when it is not the project's: the
	// calendar the whole task runs on, or, for a task scheduled per
	// assignment, its task calendar (lags are measured on it) or the project
	// timeline. nil slice when every task runs on the project calendar.
	tl []*timeline
	// asg[k] lists the assignments of a task scheduled per assignment: its
	// start is the earliest assignment start, its finish the latest
	// assignment finish. nil slice when there are none.
	asg [][]assignTL
	// dur[k] >= 0 replaces the duration of a task whose assignments all run
	// on the project calendar but whose work sets another length.
	dur []int64
}

// assignmentWork is the working minutes that demand d keeps its resource
// busy on task t: its work at its units when both are given (an
// effort-driven, fixed-units task), else the task's duration.
func assignmentWork(t *Task, d Demand) int64 {
	if d.Work > 0 && d.Units > 0 {
		return min(int64(math.Round(float64(d.Work)/d.Units)), maxMinutes)
	}
	return t.Duration
}

// resolveCalendars decides, for every network task, which calendars its
// dates follow: its task calendar, its resources' calendars (each
// assignment on its resource's calendar, intersected with the task calendar
// unless IgnoreResourceCalendar), or the project calendar.
func (p *Project) resolveCalendars(leaf []int, projCal *Calendar, projTL *timeline) (taskCalendars, error) {
	var out taskCalendars
	var cals map[string]*Calendar
	var resCal map[string]string
	var cache map[string]*timeline // allocated on first use: none with one calendar
	calendar := func(id string) *Calendar {
		if cals == nil {
			cals = make(map[string]*Calendar, len(p.Calendars))
			for i := range p.Calendars {
				if _, dup := cals[p.Calendars[i].ID]; !dup {
					cals[p.Calendars[i].ID] = &p.Calendars[i]
				}
			}
		}
		if c, ok := cals[id]; ok {
			return c
		}
		if id == projCal.ID {
			return projCal
		}
		return nil
	}
	// timelineOf returns the timeline of calendar id, or of the
	// intersection of calendars id and with; nil for an unknown calendar.
	var timelineOf func(id, with string) (*timeline, error)
	timelineOf = func(id, with string) (*timeline, error) {
		if id == "" {
			id, with = with, ""
		}
		if with == id {
			with = ""
		}
		if id == "" || id == projCal.ID && with == "" {
			return projTL, nil
		}
		key := id + "\x00" + with
		if tl, ok := cache[key]; ok {
			return tl, nil
		}
		if cache == nil {
			cache = make(map[string]*timeline)
		}
		c := calendar(id)
		if c == nil {
			cache[key] = nil
			return nil, nil
		}
		if with != "" {
			w := calendar(with)
			if w == nil {
				return timelineOf(id, "")
			}
			x := intersectCalendars(c, w)
			if !x.hasWorkingWeek() {
				return nil, fmt.Errorf("calendars %q and %q: %w", id, with, ErrDisjointCalendars)
			}
			c = &x
		}
		if err := c.Validate(); err != nil {
			return nil, err
		}
		tl := newTimeline(c, projTL.StartTime(0))
		cache[key] = tl
		return tl, nil
	}
	set := func(k int, tl *timeline) {
		if tl == projTL || tl == nil {
			return
		}
		if out.tl == nil {
			out.tl = make([]*timeline, len(leaf))
		}
		out.tl[k] = tl
	}
	for k, i := range leaf {
		t := &p.Tasks[i]
		taskTL := projTL
		if t.Calendar != "" {
			tl, err := timelineOf(t.Calendar, "")
			if err != nil {
				return out, err
			}
			if tl == nil {
				return out, fmt.Errorf("schedule: task %q: calendar %q is not among the calendars", t.ID, t.Calendar)
			}
			taskTL = tl
		}
		if len(t.Demands) == 0 || t.IgnoreResourceCalendar {
			set(k, taskTL)
			continue
		}
		if resCal == nil {
			resCal = make(map[string]string, len(p.Resources))
			for _, r := range p.Resources {
				resCal[r.ID] = r.Calendar
			}
		}
		list := make([]assignTL, 0, len(t.Demands))
		for _, d := range t.Demands {
			tl, err := timelineOf(resCal[d.Resource], t.Calendar)
			if err != nil {
				return out, fmt.Errorf("schedule: task %q: resource %q: %w", t.ID, d.Resource, err)
			}
			if tl == nil { // an unknown resource calendar: the task's
				tl = taskTL
			}
			list = append(list, assignTL{tl, assignmentWork(t, d)})
		}
		same, onProject := true, true
		longest := int64(0)
		for _, a := range list {
			same = same && a == list[0]
			onProject = onProject && a.tl == projTL
			longest = max(longest, a.work)
		}
		switch {
		case t.Milestone || t.Elapsed || !t.ActualFinish.IsZero():
			// Their length does not come from the assignments: one
			// calendar, the single assignment's or the task's.
			if same {
				set(k, list[0].tl)
			} else {
				set(k, taskTL)
			}
		case same && list[0].work == t.Duration && (t.Calendar == "" || list[0].tl == taskTL):
			set(k, list[0].tl) // the whole task on one calendar
		case onProject:
			if out.dur == nil {
				out.dur = filled(len(leaf), -1)
			}
			out.dur[k] = longest
		default:
			if out.asg == nil {
				out.asg = make([][]assignTL, len(leaf))
			}
			out.asg[k] = list
			if out.tl == nil {
				out.tl = make([]*timeline, len(leaf))
			}
			out.tl[k] = taskTL
		}
	}
	return out, nil
}

// assignmentSpan is the start and finish of a task scheduled per assignment
// when it may start at anchor: each assignment starts at the first working
// minute of its calendar at or after the anchor and runs its work there; the
// task starts with the first and finishes with the last.
func assignmentSpan(list []assignTL, anchor time.Time) (start, finish time.Time) {
	for j, a := range list {
		w := a.tl.Work(anchor)
		s := a.tl.StartTime(w)
		f := s
		if a.work > 0 {
			f = a.tl.FinishTime(w + a.work)
		}
		if j == 0 || s.Before(start) {
			start = s
		}
		if j == 0 || f.After(finish) {
			finish = f
		}
	}
	return start, finish
}

// assignmentLate is the late start and finish of a task scheduled per
// assignment whose late finish in project working time is reached at the
// instant lf (the start form, so that a calendar working outside the
// project's hours can use the time up to the next project working minute):
// each assignment finishes at the last working minute of its calendar up to
// lf and starts its work earlier.
func assignmentLate(list []assignTL, lf time.Time) (start, finish time.Time) {
	for j, a := range list {
		w := a.tl.Work(lf)
		s, f := a.tl.StartTime(w-a.work), a.tl.FinishTime(w)
		if a.work == 0 {
			s = a.tl.StartTime(w)
			f = s
		}
		if j == 0 || s.Before(start) {
			start = s
		}
		if j == 0 || f.After(finish) {
			finish = f
		}
	}
	return start, finish
}

// length is the working time task k lasts before calendars: its duration,
// or the longest of its assignments' work at their units.
func (tc *taskCalendars) length(k int, t *Task) int64 {
	switch {
	case tc.dur != nil && tc.dur[k] >= 0:
		return tc.dur[k]
	case tc.asg != nil && tc.asg[k] != nil:
		d := int64(0)
		for _, a := range tc.asg[k] {
			d = max(d, a.work)
		}
		return d
	}
	return t.Duration
}
