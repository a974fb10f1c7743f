package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/tandem-pm/tandem/mspdi"
	"github.com/tandem-pm/tandem/psplib"
	"github.com/tandem-pm/tandem/schedule"
)

const scheduleSynopsis = `FILE [--format json|mspdi|psplib] [--level] [--schedules N] [--time-limit D] [--seed S] [--json]

Computes the critical-path schedule of FILE: early and late dates, total and
free float, the critical path. The format is guessed from the extension
(.json, .xml/.mspdi, .sm/.rcp) or the content when --format is omitted.
With --level, tasks are moved so that no resource is used above its
capacity (resource-constrained scheduling); start and finish are then the
levelled dates. Without --json a table is printed; with --json one JSON
object (see docs/schedule-format.md).`

// parseArgs parses flags that may come before or after the file names,
// and returns the file names.
func parseArgs(fs *flag.FlagSet, args []string) ([]string, error) {
	var files []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return files, nil
		}
		files = append(files, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

// scheduleJSON is the contract of 'tandem schedule --json'.
type scheduleJSON struct {
	Makespan     float64          `json:"makespan"`
	Start        any              `json:"start"`
	Finish       any              `json:"finish"`
	CriticalPath []any            `json:"critical_path"`
	Tasks        []scheduleTask   `json:"tasks"`
	Stats        scheduleStatsOut `json:"stats"`
}

type scheduleTask struct {
	ID          any     `json:"id"`
	Name        string  `json:"name"`
	Start       any     `json:"start"`
	Finish      any     `json:"finish"`
	EarlyStart  any     `json:"early_start"`
	EarlyFinish any     `json:"early_finish"`
	LateStart   any     `json:"late_start"`
	LateFinish  any     `json:"late_finish"`
	TotalFloat  float64 `json:"total_float"`
	FreeFloat   float64 `json:"free_float"`
	Critical    bool    `json:"critical"`
}

type scheduleStatsOut struct {
	ComputeMS float64 `json:"compute_ms"`
	Schedules int     `json:"schedules"`
}

func runSchedule(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "schedule", scheduleSynopsis)
	format := fs.String("format", "", "input format: json, mspdi or psplib (default: from the extension or content)")
	level := fs.Bool("level", false, "level resources (resource-constrained schedule)")
	schedules := fs.Int("schedules", schedule.LevelDefaultSchedules, "levelling budget: schedules to generate")
	timeLimit := fs.Duration("time-limit", 0, "levelling wall-clock limit, e.g. 10s (0 = none)")
	seed := fs.Int64("seed", 1, "levelling random seed; the same seed gives the same result")
	asJSON := fs.Bool("json", false, "print one JSON object instead of a table")
	files, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(files) != 1 {
		fs.Usage()
		return usagef("schedule takes one FILE (got %d); try 'tandem schedule plan.xml'", len(files))
	}
	if *schedules < 1 {
		return usagef("--schedules must be at least 1, not %d", *schedules)
	}
	if *timeLimit < 0 {
		return usagef("--time-limit must not be negative")
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
	opt := schedule.LevelOptions{Schedules: *schedules, TimeLimit: *timeLimit, Seed: *seed}
	var out *scheduleJSON
	var table func(io.Writer)
	if !*asJSON && *level {
		fmt.Fprintf(e.stderr, "schedule: levelling %s (%d schedules)...\n", path, *schedules)
	}
	if f == "psplib" {
		out, err = schedulePSPLIB(ctx, path, data, *level, opt)
	} else {
		out, table, err = scheduleProject(ctx, path, f, data, *level, opt)
	}
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		return enc.Encode(out)
	}
	if table != nil {
		table(e.stdout)
		return nil
	}
	return printTable(e.stdout, out)
}

// guessFormat picks the input format from the flag, the extension or the
// first bytes of the file.
func guessFormat(flagValue, path string, data []byte) (string, error) {
	switch strings.ToLower(flagValue) {
	case "json", "mspdi", "psplib":
		return strings.ToLower(flagValue), nil
	case "":
	default:
		return "", usagef("--format must be json, mspdi or psplib, not %q", flagValue)
	}
	switch strings.ToLower(filepath.Ext(path)) {
	case ".json":
		return "json", nil
	case ".xml", ".mspdi":
		return "mspdi", nil
	case ".sm", ".rcp", ".psplib":
		return "psplib", nil
	}
	head := bytes.TrimSpace(data[:min(len(data), 4096)])
	switch {
	case bytes.HasPrefix(head, []byte("{")):
		return "json", nil
	case bytes.Contains(head, []byte("<Project")):
		return "mspdi", nil
	case bytes.Contains(head, []byte("jobs")) || bytes.HasPrefix(head, []byte("****")):
		return "psplib", nil
	}
	return "", usagef("cannot tell the format of %s; say --format json, mspdi or psplib", path)
}

// loadProject reads a JSON or MSPDI file into the engine's input.
func loadProject(path, format string, data []byte) (*schedule.Project, error) {
	if format == "json" {
		p, err := schedule.ReadJSON(bytes.NewReader(data))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		return p, nil
	}
	f, err := mspdi.Read(bytes.NewReader(data))
	if err == nil {
		var p *schedule.Project
		if p, err = f.Project(); err == nil {
			return p, nil
		}
	}
	var me *mspdi.Error
	if errors.As(err, &me) {
		me.File = path
		return nil, me
	}
	return nil, fmt.Errorf("%s: %w", path, err)
}

func scheduleProject(ctx context.Context, path, format string, data []byte, level bool, opt schedule.LevelOptions) (*scheduleJSON, func(io.Writer), error) {
	p, err := loadProject(path, format, data)
	if err != nil {
		return nil, nil, err
	}
	began := time.Now()
	r, err := schedule.Schedule(p)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	mpd := float64(r.MinutesPerDay())
	starts := make(map[string]int64) // levelled starts in working minutes
	schedulesUsed := 0
	finishWork := r.FinishWork
	if level {
		lv, err := levelProject(ctx, p, r, opt)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: levelling: %w", path, err)
		}
		starts, finishWork, schedulesUsed = lv.starts, lv.finish, lv.schedules
	}
	elapsed := time.Since(began)
	id := func(s string) any {
		if format == "mspdi" {
			if n, err := strconv.Atoi(s); err == nil {
				return n
			}
		}
		return s
	}
	out := &scheduleJSON{
		Makespan:     round3(float64(finishWork) / mpd),
		Start:        schedule.FormatDate(r.Start),
		Finish:       schedule.FormatDate(r.FinishTime(finishWork)),
		CriticalPath: []any{},
		Stats:        scheduleStatsOut{ComputeMS: round3(float64(elapsed.Microseconds()) / 1000), Schedules: schedulesUsed},
	}
	for _, c := range r.CriticalPath {
		out.CriticalPath = append(out.CriticalPath, id(c))
	}
	for _, t := range r.Tasks {
		st := scheduleTask{
			ID: id(t.ID), Name: t.Name,
			Start: schedule.FormatDate(t.Start), Finish: schedule.FormatDate(t.Finish),
			EarlyStart: schedule.FormatDate(t.EarlyStart), EarlyFinish: schedule.FormatDate(t.EarlyFinish),
			LateStart: schedule.FormatDate(t.LateStart), LateFinish: schedule.FormatDate(t.LateFinish),
			TotalFloat: round3(float64(t.TotalFloat) / mpd), FreeFloat: round3(float64(t.FreeFloat) / mpd),
			Critical: t.Critical,
		}
		if s, ok := starts[t.ID]; ok {
			d := t.EF - t.ES
			st.Start = schedule.FormatDate(r.StartTime(s))
			if d == 0 {
				st.Finish = st.Start
			} else {
				st.Finish = schedule.FormatDate(r.FinishTime(s + d))
			}
		}
		out.Tasks = append(out.Tasks, st)
	}
	if level {
		// Summaries span their levelled children.
		rollUpLevelled(p, out)
	}
	table := func(w io.Writer) {
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintf(tw, "ID\tName\tStart\tFinish\tLate start\tLate finish\tFloat (d)\tFree (d)\tCritical\n")
		for _, t := range out.Tasks {
			crit := ""
			if t.Critical {
				crit = "yes"
			}
			fmt.Fprintf(tw, "%v\t%s\t%v\t%v\t%v\t%v\t%g\t%g\t%s\n", t.ID, clip(t.Name, 40), t.Start, t.Finish, t.LateStart, t.LateFinish, t.TotalFloat, t.FreeFloat, crit)
		}
		tw.Flush()
		fmt.Fprintf(w, "\n%d tasks, %s to %s (%g working days)", len(out.Tasks), out.Start, out.Finish, out.Makespan)
		if level {
			fmt.Fprintf(w, ", levelled with %d schedules", schedulesUsed)
		}
		fmt.Fprintln(w)
		if len(r.Late) > 0 {
			fmt.Fprintf(w, "negative float (a constraint or deadline cannot be met): %s\n", strings.Join(r.Late, ", "))
		}
	}
	return out, table, nil
}

func rollUpLevelled(p *schedule.Project, out *scheduleJSON) {
	idx := make(map[string]int, len(p.Tasks))
	for i, t := range p.Tasks {
		idx[t.ID] = i
	}
	lo := make(map[int]string)
	hi := make(map[int]string)
	for i, t := range p.Tasks {
		s, f := out.Tasks[i].Start.(string), out.Tasks[i].Finish.(string)
		for a := t.Parent; a != ""; a = p.Tasks[idx[a]].Parent {
			j := idx[a]
			if v, ok := lo[j]; !ok || s < v {
				lo[j] = s
			}
			if v, ok := hi[j]; !ok || f > v {
				hi[j] = f
			}
		}
	}
	for j, s := range lo {
		out.Tasks[j].Start, out.Tasks[j].Finish = s, hi[j]
	}
}

type levelled struct {
	starts    map[string]int64
	finish    int64
	schedules int
}

// levelProject converts the work tasks to an RCProblem in integer periods
// on the project calendar (the largest period dividing every duration and
// link distance), levels it, and maps the starts back to working minutes.
func levelProject(ctx context.Context, p *schedule.Project, r *schedule.Result, opt schedule.LevelOptions) (*levelled, error) {
	net := r.Net
	n := net.Len()
	// Times are shifted so that the earliest start is period 0 (a task
	// with an actual start before the project start has a negative ES).
	origin := int64(0)
	for v := range n {
		origin = min(origin, net.ES(v))
	}
	g := int64(0)
	gcd := func(a, b int64) int64 {
		a, b = max(a, -a), max(b, -b)
		for b != 0 {
			a, b = b, a%b
		}
		return a
	}
	for v := range n {
		g = gcd(g, net.Dur[v])
		g = gcd(g, net.ES(v)-origin)
		net.Preds(v, func(_ int, _ schedule.LinkType, dist int64) { g = gcd(g, dist) })
	}
	if g == 0 {
		g = int64(r.MinutesPerDay())
	}
	resIdx := make(map[string]int)
	var caps []int
	const scale = 100 // demands and capacities in hundredths of a unit
	for _, res := range p.Resources {
		resIdx[res.ID] = len(caps)
		caps = append(caps, int(math.Round(res.Capacity*scale)))
	}
	rp := &schedule.RCProblem{Durations: make([]int, n), Release: make([]int, n), Demands: make([][]int, n), Capacities: caps}
	for v := range n {
		rp.Durations[v] = int(net.Dur[v] / g)
		rp.Release[v] = int((net.ES(v) - origin) / g)
		row := make([]int, len(caps))
		for _, d := range p.Tasks[r.Leaf[v]].Demands {
			if k, ok := resIdx[d.Resource]; ok {
				row[k] += int(math.Round(d.Units * scale))
				if row[k] > caps[k] {
					return nil, fmt.Errorf("task %q needs %g of %q, more than its capacity %g", p.Tasks[r.Leaf[v]].ID, d.Units, d.Resource, float64(caps[k])/scale)
				}
			}
		}
		rp.Demands[v] = row
		net.Preds(v, func(from int, _ schedule.LinkType, dist int64) {
			rp.Arcs = append(rp.Arcs, schedule.Arc{From: from, To: v, Lag: int(dist / g)})
		})
	}
	res, err := schedule.Level(ctx, rp, opt)
	if err != nil {
		return nil, err
	}
	lv := &levelled{starts: make(map[string]int64, n), schedules: res.Schedules}
	for v, s := range res.Starts {
		st := int64(s)*g + origin
		lv.starts[p.Tasks[r.Leaf[v]].ID] = st
		lv.finish = max(lv.finish, st+net.Dur[v])
	}
	return lv, nil
}

// schedulePSPLIB schedules a PSPLIB instance in integer periods; with
// level, the levelled starts are the scheduled ones.
func schedulePSPLIB(ctx context.Context, path string, data []byte, level bool, opt schedule.LevelOptions) (*scheduleJSON, error) {
	in, err := psplib.Read(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	rp := in.Problem()
	began := time.Now()
	dur := make([]int64, len(rp.Durations))
	for i, d := range rp.Durations {
		dur[i] = int64(d)
	}
	edges := make([]schedule.Edge, 0, len(rp.Arcs))
	for _, a := range rp.Arcs {
		edges = append(edges, schedule.Edge{From: int32(a.From), To: int32(a.To), Type: schedule.SS, Lag: int32(a.Lag)})
	}
	net, err := schedule.NewNetwork(dur, edges)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	starts := make([]int64, net.Len())
	for v := range starts {
		starts[v] = net.ES(v)
	}
	makespan := net.Finish()
	used := 0
	if level {
		res, err := schedule.Level(ctx, rp, opt)
		if err != nil {
			return nil, fmt.Errorf("%s: levelling: %w", path, err)
		}
		for v, s := range res.Starts {
			starts[v] = int64(s)
		}
		makespan, used = int64(res.Makespan), res.Schedules
	}
	elapsed := time.Since(began)
	out := &scheduleJSON{Makespan: float64(makespan), Start: 0, Finish: makespan, CriticalPath: []any{},
		Stats: scheduleStatsOut{ComputeMS: round3(float64(elapsed.Microseconds()) / 1000), Schedules: used}}
	for _, v := range net.Order() {
		if net.TotalFloat(int(v)) <= 0 {
			out.CriticalPath = append(out.CriticalPath, int(v)+1)
		}
	}
	for v := range net.Len() {
		out.Tasks = append(out.Tasks, scheduleTask{
			ID: v + 1, Name: "job " + strconv.Itoa(v+1),
			Start: starts[v], Finish: starts[v] + dur[v],
			EarlyStart: net.ES(v), EarlyFinish: net.EF(v), LateStart: net.LS(v), LateFinish: net.LF(v),
			TotalFloat: float64(net.TotalFloat(v)), FreeFloat: float64(net.FreeFloat(v)), Critical: net.TotalFloat(v) <= 0,
		})
	}
	return out, nil
}

func printTable(w io.Writer, out *scheduleJSON) error {
	bw := bufio.NewWriter(w)
	tw := tabwriter.NewWriter(bw, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "Job\tStart\tFinish\tES\tEF\tLS\tLF\tFloat\tCritical\n")
	for _, t := range out.Tasks {
		crit := ""
		if t.Critical {
			crit = "yes"
		}
		fmt.Fprintf(tw, "%v\t%v\t%v\t%v\t%v\t%v\t%v\t%g\t%s\n", t.ID, t.Start, t.Finish, t.EarlyStart, t.EarlyFinish, t.LateStart, t.LateFinish, t.TotalFloat, crit)
	}
	tw.Flush()
	fmt.Fprintf(bw, "\nmakespan %g periods", out.Makespan)
	if out.Stats.Schedules > 0 {
		fmt.Fprintf(bw, " (levelled, %d schedules)", out.Stats.Schedules)
	}
	fmt.Fprintln(bw)
	return bw.Flush()
}

func round3(x float64) float64 { return math.Round(x*1000) / 1000 }

func clip(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}
