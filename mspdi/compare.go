package mspdi

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/tandem-pm/tandem/schedule"
)

// Comparison is how far a schedule computed by the engine agrees with the
// dates MS Project saved in the file.
type Comparison struct {
	Tasks      int // tasks compared (those with MS Project's early/late dates)
	Matched    int // tasks on which every field agrees
	Auto       int // of Tasks, those MS Project scheduled automatically
	AutoMatch  int
	Mismatches []Mismatch
}

// Mismatch is one field on which the engine and MS Project disagree.
type Mismatch struct {
	UID, Name string
	Manual    bool
	Field     string
	Want, Got string
}

func (m Mismatch) String() string {
	man := ""
	if m.Manual {
		man = " (manual)"
	}
	return fmt.Sprintf("UID %s %q%s: %s: MS Project %s, engine %s", m.UID, m.Name, man, m.Field, m.Want, m.Got)
}

// totalSlack is a task's total slack as MSPDI states it: working minutes,
// or for an elapsed task elapsed minutes from its early to its late finish
// (MS Project keeps the slack of elapsed tasks in elapsed minutes,
// Microsoft KB 113966).
func totalSlack(tr *schedule.TaskResult, elapsed bool) int64 {
	if elapsed {
		return int64(tr.LateFinish.Sub(tr.EarlyFinish) / time.Minute)
	}
	return tr.TotalFloat
}

// freeSlack is a task's free slack as MSPDI states it, in elapsed minutes
// for an elapsed task: up to the start of its earliest successor (the
// project's end for the last), at most its total slack.
func freeSlack(r *schedule.Result, tr *schedule.TaskResult, elapsed bool) int64 {
	if !elapsed {
		return tr.FreeFloat
	}
	until := tr.LateFinish
	if w := tr.EF + tr.FreeFloat; w < r.FinishWork {
		until = r.StartTime(w)
	}
	return min(max(0, int64(until.Sub(tr.EarlyFinish)/time.Minute)), totalSlack(tr, true))
}

// Compare checks early and late start and finish, total slack and the
// critical flag of every task against MS Project's. Our dates are the ones
// reported (on a task's own calendars, on the clock for elapsed tasks); they
// are compared as working time on the project calendar, so that MS
// Project's habit of writing some finishes as the next working morning
// (2016-02-23T08:00 instead of 2016-02-22T17:00) is not counted as a
// difference, except for elapsed tasks, whose dates must be the same
// instants.
func Compare(f *File, r *schedule.Result) Comparison {
	var c Comparison
	at := make(map[string]int, len(r.Tasks))
	for i, t := range r.Tasks {
		at[t.ID] = i
	}
	for _, t := range f.Tasks {
		i, ok := at[strings.TrimSpace(t.UID)]
		if !ok || t.EarlyStart == "" || t.LateStart == "" || t.TotalSlack == "" {
			continue
		}
		got := r.Tasks[i]
		manual := t.Manual == "1"
		c.Tasks++
		if !manual {
			c.Auto++
		}
		before := len(c.Mismatches)
		add := func(field, want, gotS string) {
			c.Mismatches = append(c.Mismatches, Mismatch{UID: t.UID, Name: t.Name, Manual: manual, Field: field, Want: want, Got: gotS})
		}
		elapsed := elapsedFormat(t.DurationFormat)
		for _, d := range []struct {
			name string
			s    string
			got  time.Time
		}{
			{"EarlyStart", t.EarlyStart, got.EarlyStart},
			{"EarlyFinish", t.EarlyFinish, got.EarlyFinish},
			{"LateStart", t.LateStart, got.LateStart},
			{"LateFinish", t.LateFinish, got.LateFinish},
		} {
			tm, err := ParseTime(d.s)
			if err != nil {
				add(d.name, d.s, "unreadable")
				continue
			}
			// Elapsed dates are instants on the clock; the others are
			// compared as working time.
			if elapsed && !tm.Equal(d.got) || !elapsed && r.Work(tm) != r.Work(d.got) {
				add(d.name, d.s, FormatTime(d.got))
			}
		}
		if ts, err := strconv.ParseFloat(strings.TrimSpace(t.TotalSlack), 64); err == nil {
			if want, got := int64(math.Round(ts/10)), totalSlack(&got, elapsed); want != got {
				add("TotalSlack", fmt.Sprintf("%d min", want), fmt.Sprintf("%d min", got))
			}
		}
		if t.Critical != "" && (t.Critical == "1") != got.Critical {
			add("Critical", t.Critical, strconv.FormatBool(got.Critical))
		}
		if len(c.Mismatches) == before {
			c.Matched++
			if !manual {
				c.AutoMatch++
			}
		}
	}
	return c
}
