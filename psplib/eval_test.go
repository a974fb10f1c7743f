package psplib

import (
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tandem-pm/tandem/internal/cputime"
	"github.com/tandem-pm/tandem/schedule"
)

// The PSPLIB quality figures of docs/BENCHMARKS.md:
//
//	TANDEM_PSPLIB_EVAL=1 go test ./psplib -run Eval -v -timeout 60m
//
// Environment: TANDEM_PSPLIB_DIR (default ../../shared/data/psplib from this
// package, i.e. ../shared/data/psplib from the repository root),
// TANDEM_PSPLIB_SETS (default "j30,j120"), TANDEM_PSPLIB_SCHEDULES (default
// "1000,5000"), TANDEM_PSPLIB_SEED (default 1), TANDEM_PSPLIB_LIMIT (an even
// sample of n instances of each set, default all), TANDEM_PSPLIB_PARAMS ("odd"
// or "even": only the instances of odd or even parameter sets, j30{1,3,...}_*
// or j30{2,4,...}_*; the odd ones are the tuning half, the even ones held out),
// TANDEM_PSPLIB_MISSES (non-empty: log each instance above its best known makespan).
func TestEval(t *testing.T) {
	if os.Getenv("TANDEM_PSPLIB_EVAL") == "" {
		t.Skip("set TANDEM_PSPLIB_EVAL=1 to measure levelling on PSPLIB j30/j120 (minutes)")
	}
	dir := envOr("TANDEM_PSPLIB_DIR", filepath.Join("..", "..", "shared", "data", "psplib"))
	bounds, err := readBounds(filepath.Join(dir, "bounds.csv"))
	if err != nil {
		t.Skipf("PSPLIB data not available (%v): see TANDEM_PSPLIB_DIR", err)
	}
	seed, _ := strconv.ParseInt(envOr("TANDEM_PSPLIB_SEED", "1"), 10, 64)
	limit, _ := strconv.Atoi(envOr("TANDEM_PSPLIB_LIMIT", "0"))
	for _, set := range strings.Split(envOr("TANDEM_PSPLIB_SETS", "j30,j120"), ",") {
		files, err := filepath.Glob(filepath.Join(dir, set, "*.sm"))
		if err != nil || len(files) == 0 {
			t.Errorf("%s: no instances in %s", set, filepath.Join(dir, set))
			continue
		}
		if par := os.Getenv("TANDEM_PSPLIB_PARAMS"); par != "" {
			if par != "odd" && par != "even" {
				t.Fatalf("TANDEM_PSPLIB_PARAMS=%q: want odd or even", par)
			}
			var kept []string
			for _, f := range files {
				if n, ok := paramSet(set, filepath.Base(f)); ok && (n%2 == 1) == (par == "odd") {
					kept = append(kept, f)
				}
			}
			files = kept
		}
		if limit > 0 && limit < len(files) {
			// An even sample across the parameter sets.
			sample := make([]string, limit)
			for i := range sample {
				sample[i] = files[i*len(files)/limit]
			}
			files = sample
		}
		insts := make([]*Instance, len(files))
		for i, f := range files {
			insts[i], err = readFile(f)
			if err != nil {
				t.Fatal(err)
			}
		}
		for _, s := range strings.Split(envOr("TANDEM_PSPLIB_SCHEDULES", "1000,5000"), ",") {
			budget, err := strconv.Atoi(s)
			if err != nil {
				t.Fatalf("TANDEM_PSPLIB_SCHEDULES: %v", err)
			}
			evalSet(t, set, files, insts, bounds, budget, seed)
		}
	}
}

func evalSet(t *testing.T, set string, files []string, insts []*Instance, bounds map[string][2]int, budget int, seed int64) {
	type outcome struct {
		ms, cp, opt, ub int
		scheds          int
	}
	out := make([]outcome, len(insts))
	start, cpu0 := time.Now(), cputime.Process()
	// Instances in parallel, one worker each: Level's result does not depend
	// on Workers, so this is the same figure as a sequential run.
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < runtime.NumCPU(); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				p := insts[i].Problem()
				res, err := schedule.Level(context.Background(), p, schedule.LevelOptions{Schedules: budget, Seed: seed, Workers: 1})
				if err != nil {
					t.Errorf("%s: %v", files[i], err)
					continue
				}
				if err := schedule.CheckLevelled(p, res.Starts); err != nil {
					t.Errorf("%s: invalid schedule: %v", files[i], err)
				}
				b := bounds[filepath.Base(files[i])]
				out[i] = outcome{ms: res.Makespan, cp: p.CriticalPathBound(), opt: b[0], ub: b[1], scheds: res.Schedules}
			}
		}()
	}
	for i := range insts {
		next <- i
	}
	close(next)
	wg.Wait()
	elapsed, cpu := time.Since(start), cputime.Process()-cpu0
	var devCP, devLB, devUB float64
	hitUB, belowUB, scheds := 0, 0, 0
	for i, o := range out {
		if o.cp != insts[i].MPMTime && insts[i].MPMTime != 0 {
			t.Errorf("%s: critical path %d, file says %d", files[i], o.cp, insts[i].MPMTime)
		}
		devCP += 100 * float64(o.ms-o.cp) / float64(o.cp)
		if o.opt > 0 {
			devLB += 100 * float64(o.ms-o.opt) / float64(o.opt)
			devUB += 100 * float64(o.ms-o.ub) / float64(o.ub)
		}
		if o.ms == o.ub {
			hitUB++
		}
		if o.ms < o.ub {
			belowUB++
		}
		if o.ms > o.ub && os.Getenv("TANDEM_PSPLIB_MISSES") != "" {
			t.Logf("miss %s: makespan %d, best known %d (lower bound %d)", filepath.Base(files[i]), o.ms, o.ub, o.opt)
		}
		if o.ms < o.opt {
			t.Errorf("%s: makespan %d below the lower bound %d", files[i], o.ms, o.opt)
		}
		scheds += o.scheds
	}
	nf := float64(len(out))
	t.Logf("%s n=%d schedules=%d seed=%d: dev vs CP LB %.2f%%, vs best LB %.3f%%, vs best known %.3f%%, best known hit %d (below %d), mean schedules %.0f, wall %.1fs (%.1f ms/instance, %d goroutines), CPU %.1fs (%.1f ms/instance)",
		set, len(out), budget, seed, devCP/nf, devLB/nf, devUB/nf, hitUB, belowUB, float64(scheds)/nf,
		elapsed.Seconds(), elapsed.Seconds()*1000/nf, runtime.NumCPU(), cpu.Seconds(), cpu.Seconds()*1000/nf)
}

// paramSet returns the parameter set number of an instance file name such as
// j3013_7.sm (set j30: 13).
func paramSet(set, name string) (int, bool) {
	rest, ok := strings.CutPrefix(name, set)
	if !ok {
		return 0, false
	}
	num, _, ok := strings.Cut(rest, "_")
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(num)
	return n, err == nil
}

func readFile(path string) (*Instance, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	in, err := Read(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return in, nil
}

// readBounds maps an instance file name to its lower bound and best known makespan.
func readBounds(path string) (map[string][2]int, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, err
	}
	out := map[string][2]int{}
	for _, r := range rows[1:] {
		if len(r) < 6 {
			continue
		}
		lb, _ := strconv.Atoi(r[4])
		ub, _ := strconv.Atoi(r[5])
		out[r[1]] = [2]int{lb, ub}
	}
	return out, nil
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}
