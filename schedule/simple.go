package schedule

import (
	"math"
	"time"
)

// DayTask is a task for ScheduleDays: a duration in working days (0 for a
// milestone).
type DayTask struct {
	ID   string
	Days float64
}

// DayLink is a link for ScheduleDays; Type is FS when zero; Lag is in
// working days (negative for a lead).
type DayLink struct {
	From, To string
	Type     LinkType
	LagDays  float64
}

// DayResult is the schedule of one DayTask: Start is the first working day,
// Finish the last (equal for a one-day task; for a milestone, the day it
// falls on). Floats are in working days.
type DayResult struct {
	ID            string
	Start, Finish time.Time // dates (midnight, time.UTC)
	EarlyStart    time.Time
	LateStart     time.Time
	TotalFloat    float64
	FreeFloat     float64
	Critical      bool
}

// ScheduleDays is the simple entry point for the web app: tasks with
// durations in days, links, a start date and holidays, on a Monday-Friday
// 8-hour calendar. The results are in the order of tasks. Errors: an unknown
// task in a link, a duplicate ID, a *CycleError.
func ScheduleDays(start time.Time, tasks []DayTask, links []DayLink, holidays []time.Time) ([]DayResult, error) {
	const mpd = 480
	p := &Project{
		Start:         time.Date(start.Year(), start.Month(), start.Day(), 8, 0, 0, 0, time.UTC),
		Calendars:     []Calendar{StandardCalendar(holidays...)},
		MinutesPerDay: mpd,
	}
	for _, t := range tasks {
		p.Tasks = append(p.Tasks, Task{ID: t.ID, Duration: int64(math.Round(max(0, t.Days) * mpd)), Milestone: t.Days <= 0})
	}
	for _, l := range links {
		p.Links = append(p.Links, Link{From: l.From, To: l.To, Type: l.Type, Lag: int64(math.Round(l.LagDays * mpd))})
	}
	r, err := Schedule(p)
	if err != nil {
		return nil, err
	}
	date := func(t time.Time) time.Time { return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC) }
	out := make([]DayResult, len(tasks))
	for i, t := range r.Tasks {
		out[i] = DayResult{
			ID: t.ID, Start: date(t.Start), Finish: date(t.Finish),
			EarlyStart: date(t.EarlyStart), LateStart: date(t.LateStart),
			TotalFloat: float64(t.TotalFloat) / mpd, FreeFloat: float64(t.FreeFloat) / mpd,
			Critical: t.Critical,
		}
	}
	return out, nil
}
