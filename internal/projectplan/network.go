package projectplan

import (
	"math"

	"github.com/tandem-pm/tandem"
)

// Working days: a Monday-to-Friday calendar. A working-day index counts
// working days from a fixed Monday; a weekend date maps to the index of the
// Monday after it, which is where work dated on a weekend can start.

// workIndex returns the index of the first working day on or after d.
func workIndex(d tandem.Date) int {
	days := floorDiv(int(d.Time().Unix()), 86400) + 3 // 1970-01-01 was a Thursday: day 3 of a Monday week
	week, wd := floorDiv(days, 7), mod(days, 7)
	return week*5 + min(wd, 5)
}

// workDate returns the date of working-day index w.
func workDate(w int) tandem.Date {
	week, r := floorDiv(w, 5), mod(w, 5)
	days := week*7 + r - 3
	return tandem.DateOf(tandemEpoch.AddDate(0, 0, days))
}

// finishIndex returns the exclusive working-day index after the last day d.
func finishIndex(d tandem.Date) int { return workIndex(d.AddDays(1)) }

var tandemEpoch = tandem.Date{Year: 1970, Month: 1, Day: 1}.Time()

func floorDiv(a, b int) int {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

func mod(a, b int) int { return a - floorDiv(a, b)*b }

// workDays rounds a duration or lag in days to whole working days: up for
// durations (half a day of work still takes the day), to nearest for lags.
func workDays(d float64) int {
	if d <= 0 || math.IsNaN(d) {
		return 0
	}
	return int(math.Ceil(d - 1e-9))
}

func lagDays(d float64) int {
	if math.IsNaN(d) {
		return 0
	}
	return int(math.Round(d))
}

// CountWorkDays returns the number of working days from start to finish, both included.
func CountWorkDays(start, finish tandem.Date) int {
	return max(finishIndex(finish)-workIndex(start), 0)
}
