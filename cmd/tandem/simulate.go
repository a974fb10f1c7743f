package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/tandem-pm/tandem/schedule"
)

const simulateSynopsis = `FILE --iterations N --seed S [--distribution triangular|pert] [--format json|mspdi] [--json]

Monte Carlo schedule risk analysis: draws the duration of every task that
has a three-point estimate (optimistic, most likely, pessimistic), runs the
critical path on each draw and reports the P50, P80 and P95 finish of the
project and of each milestone, and each task's criticality index (the share
of draws in which it was critical). The result depends only on the file,
the iterations and the seed.`

// simulateJSON is the contract of 'tandem simulate --json'.
type simulateJSON struct {
	Iterations   int              `json:"iterations"`
	Seed         uint64           `json:"seed"`
	Distribution string           `json:"distribution"`
	Project      percentileJSON   `json:"project"`
	Milestones   []milestoneJSON  `json:"milestones"`
	Criticality  []criticalityOut `json:"criticality"`
	Stats        struct {
		ComputeMS float64 `json:"compute_ms"`
	} `json:"stats"`
}

type percentileJSON struct {
	Deterministic string  `json:"deterministic"` // finish with the planned durations
	P50           string  `json:"p50"`
	P80           string  `json:"p80"`
	P95           string  `json:"p95"`
	P50Days       float64 `json:"p50_days"`
	P80Days       float64 `json:"p80_days"`
	P95Days       float64 `json:"p95_days"`
}

type milestoneJSON struct {
	ID   any    `json:"id"`
	Name string `json:"name"`
	percentileJSON
}

type criticalityOut struct {
	ID    any     `json:"id"`
	Name  string  `json:"name"`
	Index float64 `json:"index"`
}

func runSimulate(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "simulate", simulateSynopsis)
	iterations := fs.Int("iterations", 1000, "number of Monte Carlo iterations")
	seed := fs.Uint64("seed", 1, "random seed; the same seed gives the same result")
	dist := fs.String("distribution", "triangular", "distribution of the estimates: triangular or pert")
	format := fs.String("format", "", "input format: json or mspdi (default: from the extension or content)")
	asJSON := fs.Bool("json", false, "print one JSON object instead of a report")
	files, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(files) != 1 {
		fs.Usage()
		return usagef("simulate takes one FILE (got %d); try 'tandem simulate plan.json --iterations 10000 --seed 1'", len(files))
	}
	if *iterations < 1 || *iterations > 10_000_000 {
		return usagef("--iterations must be between 1 and 10000000, not %d", *iterations)
	}
	opt := schedule.SimOptions{Iterations: *iterations, Seed: *seed}
	switch strings.ToLower(*dist) {
	case "triangular":
		opt.Distribution = schedule.Triangular
	case "pert", "beta", "pert-beta":
		opt.Distribution = schedule.PERT
	default:
		return usagef("--distribution must be triangular or pert, not %q", *dist)
	}
	path := files[0]
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	f, err := guessFormat(*format, path, data)
	if err != nil {
		return err
	}
	if f == "psplib" {
		return usagef("simulate reads json or mspdi files (PSPLIB has no estimates)")
	}
	p, err := loadProject(path, f, data)
	if err != nil {
		return err
	}
	began := time.Now()
	r, err := schedule.Schedule(p)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	net := r.Net
	est := make([]*schedule.Estimate, net.Len())
	var milestones []int
	withEstimates := 0
	for v, i := range r.Leaf {
		t := &p.Tasks[i]
		if t.Estimate != nil {
			est[v] = t.Estimate
			withEstimates++
		}
		if t.Milestone {
			milestones = append(milestones, v)
		}
	}
	if !*asJSON {
		fmt.Fprintf(e.stderr, "simulate: %d iterations on %d tasks (%d with estimates)...\n", *iterations, net.Len(), withEstimates)
	}
	sim, err := net.Simulate(ctx, est, milestones, opt)
	if err != nil {
		return err
	}
	mpd := float64(r.MinutesPerDay())
	// A project finishes at the end of its last working minute (17:00); a
	// milestone is a point, shown like its start (the next 08:00).
	pct := func(det int64, q schedule.Percentiles, point bool) percentileJSON {
		at := r.FinishTime
		if point {
			at = r.StartTime
		}
		return percentileJSON{
			Deterministic: schedule.FormatDate(at(det)),
			P50:           schedule.FormatDate(at(q.P50)), P80: schedule.FormatDate(at(q.P80)), P95: schedule.FormatDate(at(q.P95)),
			P50Days: round3(float64(q.P50) / mpd), P80Days: round3(float64(q.P80) / mpd), P95Days: round3(float64(q.P95) / mpd),
		}
	}
	id := func(s string) any {
		if f == "mspdi" {
			if n, err := strconv.Atoi(s); err == nil {
				return n
			}
		}
		return s
	}
	out := simulateJSON{Iterations: sim.Iterations, Seed: *seed, Distribution: strings.ToLower(*dist), Project: pct(net.Finish(), sim.Finish, false), Milestones: []milestoneJSON{}, Criticality: []criticalityOut{}}
	for k, v := range milestones {
		t := &p.Tasks[r.Leaf[v]]
		out.Milestones = append(out.Milestones, milestoneJSON{ID: id(t.ID), Name: t.Name, percentileJSON: pct(net.EF(v), sim.Milestones[k], net.Dur[v] == 0)})
	}
	for v, c := range sim.Criticality {
		t := &p.Tasks[r.Leaf[v]]
		out.Criticality = append(out.Criticality, criticalityOut{ID: id(t.ID), Name: t.Name, Index: round3(c)})
	}
	out.Stats.ComputeMS = round3(float64(time.Since(began).Microseconds()) / 1000)
	if *asJSON {
		return json.NewEncoder(e.stdout).Encode(out)
	}
	w := e.stdout
	fmt.Fprintf(w, "Project finish: planned %s; P50 %s, P80 %s, P95 %s\n", out.Project.Deterministic, out.Project.P50, out.Project.P80, out.Project.P95)
	for _, m := range out.Milestones {
		fmt.Fprintf(w, "Milestone %v %s: planned %s; P50 %s, P80 %s, P95 %s\n", m.ID, m.Name, m.Deterministic, m.P50, m.P80, m.P95)
	}
	crit := append([]criticalityOut(nil), out.Criticality...)
	sort.SliceStable(crit, func(a, b int) bool { return crit[a].Index > crit[b].Index })
	fmt.Fprintln(w, "\nCriticality index (most critical first):")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for i, c := range crit {
		if i == 20 {
			fmt.Fprintf(tw, "...\t(%d more)\t\n", len(crit)-20)
			break
		}
		fmt.Fprintf(tw, "%v\t%s\t%.1f%%\n", c.ID, clip(c.Name, 40), 100*c.Index)
	}
	return tw.Flush()
}
