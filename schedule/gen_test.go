package schedule

import (
	"math/rand/v2"
	"slices"
	"time"
)

// genNetwork builds a random acyclic network of n tasks with about two
// links each, the same for a seed: the tasks form projects of 1,000 that run
// side by side (a portfolio); links go mostly to one of the 50 previous
// tasks of the same project, one in twenty to a task of one of the five
// previous projects; durations are 1-10 days of 480 minutes, with a mix of
// link types and lags. Every link goes from a lower to a higher index.
func genNetwork(n int, seed uint64) ([]int64, []Edge) {
	return genNetworkDeg(n, seed, false)
}

// genNetworkMixed is genNetwork with one to three links into each task
// (two on average) instead of two, as in real plans where the number of
// predecessors varies: the incremental sweeps must not depend on a regular
// degree.
func genNetworkMixed(n int, seed uint64) ([]int64, []Edge) {
	return genNetworkDeg(n, seed, true)
}

// genNetworkInterleaved is k independent genNetwork portfolios of n/k
// tasks whose task indexes alternate (task i of portfolio j is i·k + j):
// a change that moves one portfolio moves one position in k, the hardest
// density for a sweep that must choose between visiting moved tasks and
// sweeping every position.
func genNetworkInterleaved(n, k int, seed uint64) ([]int64, []Edge) {
	dur := make([]int64, 0, n)
	var edges []Edge
	m := n / k
	for j := range k {
		d, e := genNetwork(m, seed+uint64(j))
		if j == 0 {
			dur = dur[:m*k]
		}
		for i, x := range d {
			dur[i*k+j] = x
		}
		for _, x := range e {
			x.From, x.To = x.From*int32(k)+int32(j), x.To*int32(k)+int32(j)
			edges = append(edges, x)
		}
	}
	slices.SortFunc(edges, func(a, b Edge) int { return int(a.To - b.To) })
	return dur, edges
}

func genNetworkDeg(n int, seed uint64, mixed bool) ([]int64, []Edge) {
	rng := rand.New(rand.NewPCG(seed, 7))
	dur := make([]int64, n)
	edges := make([]Edge, 0, 2*n)
	for v := range n {
		dur[v] = int64(1+rng.IntN(10)) * 480
		if v == 0 {
			continue
		}
		k := 2
		if v%1000 == 1 {
			k = 1
		} else if mixed {
			k = 1 + rng.IntN(3)
		}
		first := v - v%1000 // first task of v's project
		proj, at := v/1000, v%1000
		for range k {
			from := first + at - 1 - rng.IntN(min(max(at, 1), 50))
			if at == 0 || (proj > 0 && rng.IntN(20) == 0) {
				// A cross-project link, to a task at most as far into one of
				// the five previous projects (projects run side by side).
				if proj == 0 {
					from = v - 1
				} else {
					from = (proj-1-rng.IntN(min(proj, 5)))*1000 + rng.IntN(at+1)
				}
			}
			e := Edge{From: int32(from), To: int32(v)}
			switch r := rng.IntN(20); {
			case r < 16:
				e.Type = FS
			case r < 18:
				e.Type = SS
			case r < 19:
				e.Type = FF
			default:
				e.Type = SF
			}
			if rng.IntN(5) == 0 {
				e.Lag = int32(rng.IntN(5)-1) * 480
			}
			edges = append(edges, e)
		}
	}
	return dur, edges
}

// genProject wraps genNetwork as a Project on a Monday-Friday calendar
// with ten holidays a year.
func genProject(n int, seed uint64) *Project {
	dur, edges := genNetwork(n, seed)
	start := time.Date(2025, 1, 6, 8, 0, 0, 0, time.UTC)
	var hol []time.Time
	for y := 2025; y < 2026+n/2000; y++ {
		for _, md := range [][2]int{{1, 1}, {5, 1}, {5, 8}, {7, 14}, {8, 15}, {11, 1}, {11, 11}, {12, 24}, {12, 25}, {12, 31}} {
			hol = append(hol, time.Date(y, time.Month(md[0]), md[1], 0, 0, 0, 0, time.UTC))
		}
	}
	p := &Project{Name: "generated", Start: start, Calendars: []Calendar{StandardCalendar(hol...)}, MinutesPerDay: 480}
	p.Tasks = make([]Task, n)
	for v := range n {
		p.Tasks[v] = Task{ID: "T" + itoa(v), Name: "Task " + itoa(v), Duration: dur[v]}
	}
	for _, e := range edges {
		p.Links = append(p.Links, Link{From: "T" + itoa(int(e.From)), To: "T" + itoa(int(e.To)), Type: e.Type, Lag: int64(e.Lag)})
	}
	return p
}

func itoa(v int) string {
	if v == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	for v > 0 {
		i--
		b[i] = byte('0' + v%10)
		v /= 10
	}
	return string(b[i:])
}
