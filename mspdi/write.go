package mspdi

import (
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"strconv"
	"time"

	"github.com/tandem-pm/tandem/schedule"
)

// Write emits p, with the dates of r when r is not nil, as an MSPDI
// document that MS Project and ProjectLibre open: elements in schema order,
// tasks in outline order (each summary before its children), durations and
// slack in MSPDI's units. Task IDs that are numbers become the UIDs (so that
// a file read and written keeps them); other IDs are numbered from 1.
func Write(w io.Writer, p *schedule.Project, r *schedule.Result) error {
	mpd := p.MinutesPerDay
	if mpd <= 0 {
		mpd = 480
	}
	f := File{
		SaveVersion: "14", Name: p.Name, Title: p.Name, ScheduleFromStart: "1",
		StartDate: FormatTime(p.Start), CriticalSlackLimit: "0",
		MinutesPerDay: strconv.Itoa(mpd), MinutesPerWeek: strconv.Itoa(5 * mpd), DaysPerMonth: "20",
		DefaultStartTime: "08:00:00", DefaultFinishTime: "17:00:00",
	}
	if !p.StatusDate.IsZero() {
		f.StatusDate = FormatTime(p.StatusDate)
	}
	if r != nil {
		f.FinishDate = FormatTime(r.Finish)
	}
	// Calendars: numbered 1.., the project calendar first.
	cals := p.Calendars
	if len(cals) == 0 {
		cals = []schedule.Calendar{schedule.StandardCalendar()}
	}
	calUID := make(map[string]string)
	keepCal := numericIDs(len(cals), func(i int) string { return cals[i].ID })
	for i, c := range cals {
		uid := strconv.Itoa(i + 1)
		if keepCal {
			uid = c.ID
		}
		calUID[c.ID] = uid
		xc := Calendar{UID: uid, Name: c.Name, IsBaseCalendar: "1", BaseCalendarUID: "-1"}
		if xc.Name == "" {
			xc.Name = c.ID
		}
		for d := range 7 {
			wd := WeekDay{DayType: strconv.Itoa(d + 1), DayWorking: "0"}
			if len(c.Week[d]) > 0 {
				wd.DayWorking = "1"
				wd.WorkingTimes = workingTimes(c.Week[d])
			}
			xc.WeekDays = append(xc.WeekDays, wd)
		}
		for _, e := range c.Exceptions {
			xe := Exception{EnteredByOccurrences: "0", Occurrences: "1", Type: "1", DayWorking: "0",
				TimePeriod: TimePeriod{FromDate: FormatTime(day0(e.From)), ToDate: FormatTime(day0(e.To).Add(24*time.Hour - time.Minute))}}
			if len(e.Working) > 0 {
				xe.DayWorking = "1"
				xe.WorkingTimes = workingTimes(e.Working)
			}
			xc.Exceptions = append(xc.Exceptions, xe)
		}
		f.Calendars = append(f.Calendars, xc)
	}
	f.CalendarUID = f.Calendars[0].UID
	if u, ok := calUID[p.Calendar]; ok {
		f.CalendarUID = u
	}

	// UIDs: keep numeric IDs, number the rest after the largest.
	uid := make(map[string]string, len(p.Tasks))
	numeric := numericIDs(len(p.Tasks), func(i int) string { return p.Tasks[i].ID })
	for i, t := range p.Tasks {
		if numeric {
			uid[t.ID] = t.ID
		} else {
			uid[t.ID] = strconv.Itoa(i + 1)
		}
	}
	results := make(map[string]*schedule.TaskResult)
	if r != nil {
		for i := range r.Tasks {
			results[r.Tasks[i].ID] = &r.Tasks[i]
		}
	}
	children := make(map[string][]int)
	var roots []int
	for i, t := range p.Tasks {
		if t.Parent == "" {
			roots = append(roots, i)
		} else {
			children[t.Parent] = append(children[t.Parent], i)
		}
	}
	preds := make(map[string][]schedule.Link)
	for _, l := range p.Links {
		preds[l.To] = append(preds[l.To], l)
	}
	id := 0
	var walk func(list []int, level int, prefix string)
	walk = func(list []int, level int, prefix string) {
		for k, i := range list {
			t := &p.Tasks[i]
			id++
			num := prefix + strconv.Itoa(k+1)
			kids := children[t.ID]
			xt := Task{UID: uid[t.ID], ID: strconv.Itoa(id), Name: t.Name, Type: "1", IsNull: "0",
				WBS: num, OutlineNumber: num, OutlineLevel: strconv.Itoa(level), Priority: "500",
				Duration: FormatDuration(t.Duration), DurationFormat: "7", Estimated: "0",
				Milestone: bit(t.Milestone), Summary: bit(len(kids) > 0),
				ConstraintType: strconv.Itoa(int(t.Constraint)), CalendarUID: "-1",
				PercentComplete: strconv.Itoa(int(math.Round(t.PercentComplete))),
			}
			if t.Milestone {
				xt.Duration = FormatDuration(0)
			}
			if t.Elapsed {
				xt.DurationFormat = "8" // elapsed days
			}
			if t.IgnoreResourceCalendar {
				xt.IgnoreResourceCalendar = "1"
			}
			if u, ok := calUID[t.Calendar]; ok {
				xt.CalendarUID = u
			}
			if t.Constraint != schedule.ASAP && t.Constraint != schedule.ALAP {
				xt.ConstraintDate = FormatTime(t.ConstraintDate)
			}
			if !t.Deadline.IsZero() {
				xt.Deadline = FormatTime(t.Deadline)
			}
			if !t.ActualStart.IsZero() {
				xt.ActualStart = FormatTime(t.ActualStart)
			}
			if !t.ActualFinish.IsZero() {
				xt.ActualFinish = FormatTime(t.ActualFinish)
			}
			if tr := results[t.ID]; tr != nil {
				xt.Start, xt.Finish = FormatTime(tr.Start), FormatTime(tr.Finish)
				xt.EarlyStart, xt.EarlyFinish = FormatTime(tr.EarlyStart), FormatTime(tr.EarlyFinish)
				xt.LateStart, xt.LateFinish = FormatTime(tr.LateStart), FormatTime(tr.LateFinish)
				xt.TotalSlack = strconv.FormatInt(totalSlack(tr, t.Elapsed)*10, 10)
				xt.FreeSlack = strconv.FormatInt(freeSlack(r, tr, t.Elapsed)*10, 10)
				xt.Critical = bit(tr.Critical)
				if tr.Summary {
					xt.Duration = FormatDuration(tr.EF - tr.ES)
				}
			}
			for _, l := range preds[t.ID] {
				pl := PredecessorLink{PredecessorUID: uid[l.From], CrossProject: "0"}
				pl.Type = map[schedule.LinkType]string{schedule.FF: "0", schedule.FS: "1", schedule.SF: "2", schedule.SS: "3"}[l.Type]
				if l.LagPercent != 0 {
					pl.LinkLag = strconv.FormatInt(int64(math.Round(l.LagPercent*10)), 10)
					pl.LagFormat = "19"
				} else {
					pl.LinkLag = strconv.FormatInt(l.Lag*10, 10)
					pl.LagFormat = "7"
				}
				xt.PredecessorLinks = append(xt.PredecessorLinks, pl)
			}
			f.Tasks = append(f.Tasks, xt)
			walk(kids, level+1, num+".")
		}
	}
	walk(roots, 1, "")
	if len(f.Tasks) != len(p.Tasks) {
		return fmt.Errorf("mspdi: the task outline has a loop")
	}
	resUID := make(map[string]string)
	keepRes := numericIDs(len(p.Resources), func(i int) string { return p.Resources[i].ID })
	for i, res := range p.Resources {
		u := strconv.Itoa(i + 1)
		if keepRes {
			u = res.ID
		}
		resUID[res.ID] = u
		xr := Resource{UID: u, ID: u, Name: res.Name, Type: "1", IsNull: "0", MaxUnits: strconv.FormatFloat(res.Capacity, 'f', -1, 64)}
		if xr.Name == "" {
			xr.Name = res.ID
		}
		if cu, ok := calUID[res.Calendar]; ok {
			xr.CalendarUID = cu
		}
		f.Resources = append(f.Resources, xr)
	}
	n := 0
	for _, t := range p.Tasks {
		for _, d := range t.Demands {
			ru, ok := resUID[d.Resource]
			if !ok {
				continue
			}
			n++
			a := Assignment{UID: strconv.Itoa(n), TaskUID: uid[t.ID], ResourceUID: ru, Units: strconv.FormatFloat(d.Units, 'f', -1, 64)}
			if d.Work > 0 {
				a.Work = FormatDuration(d.Work)
			}
			f.Assignments = append(f.Assignments, a)
		}
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(f); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// numericIDs reports whether the n IDs are distinct positive integers
// written plainly, so that they can be kept as UIDs.
func numericIDs(n int, id func(int) string) bool {
	seen := make(map[int]bool, n)
	for i := range n {
		v, err := strconv.Atoi(id(i))
		if err != nil || v <= 0 || seen[v] || strconv.Itoa(v) != id(i) {
			return false
		}
		seen[v] = true
	}
	return true
}

func bit(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

func day0(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

func workingTimes(sp []schedule.Span) []WorkingTime {
	var out []WorkingTime
	for _, s := range sp {
		to := fmt.Sprintf("%02d:%02d:00", s.To/60, s.To%60)
		if s.To == 24*60 {
			to = "00:00:00"
		}
		out = append(out, WorkingTime{FromTime: fmt.Sprintf("%02d:%02d:00", s.From/60, s.From%60), ToTime: to})
	}
	return out
}
