package mspdi

import (
	"fmt"
	"math"
	"strconv"
	"strings"

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

// Compare checks early and late start and finish, total slack and the
// critical flag of every task against MS Project's. Dates are compared as
// working time on the project calendar, so that MS Project's habit of
// writing some finishes as the next working morning (2016-02-23T08:00
// instead of 2016-02-22T17:00) is not counted as a difference.
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
		for _, d := range []struct {
			name string
			s    string
			w    int64
			form func(int64) string
		}{
			{"EarlyStart", t.EarlyStart, got.ES, func(w int64) string { return FormatTime(r.StartTime(w)) }},
			{"EarlyFinish", t.EarlyFinish, got.EF, func(w int64) string { return FormatTime(r.FinishTime(w)) }},
			{"LateStart", t.LateStart, got.LS, func(w int64) string { return FormatTime(r.StartTime(w)) }},
			{"LateFinish", t.LateFinish, got.LF, func(w int64) string { return FormatTime(r.FinishTime(w)) }},
		} {
			tm, err := ParseTime(d.s)
			if err != nil {
				add(d.name, d.s, "unreadable")
				continue
			}
			if r.Work(tm) != d.w {
				add(d.name, d.s, d.form(d.w))
			}
		}
		if ts, err := strconv.ParseFloat(strings.TrimSpace(t.TotalSlack), 64); err == nil {
			if int64(math.Round(ts/10)) != got.TotalFloat {
				add("TotalSlack", fmt.Sprintf("%.0f min", ts/10), fmt.Sprintf("%d min", got.TotalFloat))
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
