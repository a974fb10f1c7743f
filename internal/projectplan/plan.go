// Package projectplan adapts Tandem's items and dependencies to a schedule:
// it turns a project's items (durations in working days on a Monday-to-
// Friday calendar, planned starts as start-no-earlier-than dates, progress)
// and their FS/SS/FF/SF links into early and late dates, float and the
// critical path; compares a schedule with a baseline; draws it as a Gantt
// chart; and analyses the dependencies between the projects of a program.
//
// Everything here is a pure function of plain values: the caller loads the
// items and dependencies and stores what it needs to keep.
package projectplan

import (
	"cmp"
	"strings"

	"github.com/tandem-pm/tandem"
)

// Options set what a schedule is computed against.
type Options struct {
	// Start is the project's start when no item has an earlier planned
	// start; zero = the project's start date, else the earliest planned start,
	// else StatusDate.
	Start tandem.Date
	// StatusDate, when set, forecasts unfinished work dated before it: work
	// not started moves to the status date, work under way finishes its
	// remaining part (by progress) from it.
	StatusDate tandem.Date
	// Calendar is the working calendar to schedule on; nil = Monday to
	// Friday, 8 hours a day, no holidays.
	Calendar *tandem.Calendar
}

// ItemSchedule is one item's computed dates. Float is in working days.
type ItemSchedule struct {
	ItemID       string  `json:"item_id"`
	Title        string  `json:"title"`
	Kind         string  `json:"kind"`
	ProjectID    string  `json:"project_id"`
	ParentID     string  `json:"parent_id"`
	Level        int     `json:"level"`
	Summary      bool    `json:"summary"`
	Milestone    bool    `json:"milestone"`
	Anchor       bool    `json:"anchor"` // a predecessor from another project, at its own dates
	DurationDays float64 `json:"duration_days"`
	WorkDays     int     `json:"work_days"`
	Progress     int     `json:"progress"`
	Status       string  `json:"status"`
	Version      int64   `json:"version"`

	EarlyStart  tandem.Date `json:"early_start"`
	EarlyFinish tandem.Date `json:"early_finish"`
	LateStart   tandem.Date `json:"late_start"`
	LateFinish  tandem.Date `json:"late_finish"`
	TotalFloat  int         `json:"total_float"`
	FreeFloat   int         `json:"free_float"`
	Critical    bool        `json:"critical"`
}

// Link is a dependency as scheduled.
type Link struct {
	DependencyID  string  `json:"dependency_id"`
	PredecessorID string  `json:"predecessor_id"`
	SuccessorID   string  `json:"successor_id"`
	Type          string  `json:"type"`
	LagDays       float64 `json:"lag_days"`
	Critical      bool    `json:"critical"`
}

// Schedule is a project's computed schedule.
type Schedule struct {
	ProjectID    string         `json:"project_id"`
	Start        tandem.Date    `json:"project_start"`
	Finish       tandem.Date    `json:"project_finish"`
	StatusDate   tandem.Date    `json:"status_date"`
	Calendar     CalendarInfo   `json:"calendar"` // the calendar it was computed on
	Items        []ItemSchedule `json:"items"`    // anchors first, then the project's items in outline order
	Links        []Link         `json:"links"`
	CriticalPath []string       `json:"critical_path"` // item IDs, in order

	cal *workCal
}

// Item returns the schedule of item id, or nil.
func (s *Schedule) Item(id string) *ItemSchedule {
	for i := range s.Items {
		if s.Items[i].ItemID == id {
			return &s.Items[i]
		}
	}
	return nil
}

func isDone(it *tandem.Item) bool {
	return it.Status == tandem.StatusDone || it.Progress >= 100
}

// duration returns an item's duration in working days: duration_days, else
// the span of its planned dates, else one day (a milestone takes none).
func duration(it *tandem.Item, cal *workCal) int {
	if it.Kind == tandem.KindMilestone {
		return 0
	}
	if it.DurationDays > 0 {
		return workDays(it.DurationDays)
	}
	if !it.PlannedStart.IsZero() && !it.PlannedFinish.IsZero() {
		return max(cal.countWorkDays(it.PlannedStart, it.PlannedFinish), 1)
	}
	return 1
}

func compareDate(a, b tandem.Date) int {
	return cmp.Or(cmp.Compare(a.Year, b.Year), cmp.Compare(a.Month, b.Month), cmp.Compare(a.Day, b.Day))
}

// ItemVariance compares an item's schedule with its baseline, in working
// days: positive is late, negative early.
type ItemVariance struct {
	ItemID         string      `json:"item_id"`
	BaselineStart  tandem.Date `json:"baseline_start"`
	BaselineFinish tandem.Date `json:"baseline_finish"`
	StartDays      int         `json:"start_variance_days"`
	FinishDays     int         `json:"finish_variance_days"`
}

// Variance is a schedule compared with a baseline.
type Variance struct {
	BaselineID     string         `json:"baseline_id"`
	BaselineName   string         `json:"baseline_name"`
	BaselineFinish tandem.Date    `json:"baseline_finish"`
	FinishDays     int            `json:"finish_variance_days"` // at the project finish
	Items          []ItemVariance `json:"items"`
}

// daysBetween counts the working days from a to b (negative when b is earlier).
func (s *Schedule) daysBetween(a, b tandem.Date) int {
	c := s.calendar()
	return c.workIndex(b) - c.workIndex(a)
}

// finishDaysBetween counts the working days from finish a to finish b: a
// finish on a day off (a holiday since the baseline) counts as the working
// day before it.
func (s *Schedule) finishDaysBetween(a, b tandem.Date) int {
	c := s.calendar()
	return c.finishIndex(b) - c.finishIndex(a)
}

// Compare returns the variance of s against baseline b: per item in both,
// and at the project finish (the latest finish of the baseline's items).
func (s *Schedule) Compare(b *tandem.Baseline) *Variance {
	v := &Variance{BaselineID: b.ID, BaselineName: b.Name, Items: []ItemVariance{}}
	for _, bi := range b.Items {
		if bi.Finish.IsZero() {
			continue
		}
		if v.BaselineFinish.IsZero() || v.BaselineFinish.Before(bi.Finish) {
			v.BaselineFinish = bi.Finish
		}
	}
	byID := make(map[string]*ItemSchedule, len(s.Items))
	for i := range s.Items {
		byID[s.Items[i].ItemID] = &s.Items[i]
	}
	for _, bi := range b.Items {
		x := byID[bi.ItemID]
		if x == nil || x.Anchor || x.EarlyStart.IsZero() || bi.Start.IsZero() {
			continue
		}
		iv := ItemVariance{ItemID: bi.ItemID, BaselineStart: bi.Start, BaselineFinish: bi.Finish,
			StartDays: s.daysBetween(bi.Start, x.EarlyStart)}
		if !bi.Finish.IsZero() {
			iv.FinishDays = s.finishDaysBetween(bi.Finish, x.EarlyFinish)
		}
		v.Items = append(v.Items, iv)
	}
	if !v.BaselineFinish.IsZero() && !s.Finish.IsZero() {
		v.FinishDays = s.finishDaysBetween(v.BaselineFinish, s.Finish)
	}
	return v
}

// Baseline returns a baseline of s's own items (not anchors), named name.
func (s *Schedule) Baseline(name string) *tandem.Baseline {
	b := &tandem.Baseline{ProjectID: s.ProjectID, Name: strings.TrimSpace(name), Items: []tandem.BaselineItem{}}
	for _, x := range s.Items {
		if x.Anchor || x.EarlyStart.IsZero() {
			continue
		}
		b.Items = append(b.Items, tandem.BaselineItem{ItemID: x.ItemID, Start: x.EarlyStart, Finish: x.EarlyFinish})
	}
	return b
}

// VarianceText says a number of working days late or early in words.
func VarianceText(days int) string {
	switch {
	case days == 0:
		return "on time"
	case days > 0:
		return dayCount(days, "working day") + " late"
	}
	return dayCount(-days, "working day") + " early"
}
