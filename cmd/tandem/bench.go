package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/tandem-pm/tandem"
	tandemhttp "github.com/tandem-pm/tandem/http"
	"github.com/tandem-pm/tandem/internal/cputime"
)

func runBench(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || args[0] != "api" {
		return usagef("usage: tandem bench api [--db DB] [--clients 32[,8...]] [--duration 10s] [--items 10000] [--json]\n(the engines are benchmarked with go test -bench; see docs/BENCHMARKS.md)")
	}
	fs := newFlagSet(e, "bench api", "[--db DB] [--clients 32[,8...]] [--duration 10s] [--items 10000] [--json]")
	db := fs.String("db", "", "database to benchmark (default: a new SQLite file in a temporary directory);\na postgres:// URL should name an empty database")
	clientList := fs.String("clients", "32", "concurrent clients; a list such as 8,32 runs each phase with each,\non one seeded database")
	duration := fs.Duration("duration", 10*time.Second, "how long each phase runs")
	nItems := fs.Int("items", 10000, "items to seed before reading")
	asJSON := fs.Bool("json", false, "print the results as JSON")
	only := fs.String("phase", "", "run only the phases whose name contains this (get, list, create)")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the load phases to this file")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	var clients []int
	for _, f := range strings.Split(*clientList, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			return usagef("--clients must be a number ≥ 1 or a list of them, such as 8,32")
		}
		clients = append(clients, n)
	}
	if *duration <= 0 || *nItems < 100 {
		return usagef("--duration must be > 0, --items ≥ 100")
	}
	serverGC(e.getenv) // measure the server as serve runs it
	if *db == "" {
		dir, err := os.MkdirTemp("", "tandem-bench-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		*db = filepath.Join(dir, "bench.db")
	}
	st, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()

	progress := func(format string, a ...any) { fmt.Fprintf(e.stderr, format+"\n", a...) }
	progress("seeding %d items into %s ...", *nItems, describeDB(*db))
	slug := fmt.Sprintf("bench-%d", time.Now().UnixNano()%1_000_000)
	token, ids, err := seedBench(ctx, st, slug, *nItems)
	if err != nil {
		return err
	}

	// PostgreSQL plans for the statistics it has, and a database filled a
	// moment ago has none until autovacuum analyzes it, some time later:
	// list runs that started before or after that moment differed twofold.
	// Analyze once, as a database in use would have been.
	if d, ok := st.(interface{ DB() *sql.DB }); ok && isPostgres(*db) {
		if _, err := d.DB().ExecContext(ctx, "ANALYZE"); err != nil {
			return fmt.Errorf("analyze: %w", err)
		}
	}

	srv := tandemhttp.NewServer(st, slog.New(slog.DiscardHandler))
	if err := srv.Open("127.0.0.1:0"); err != nil {
		return err
	}
	defer srv.Close(context.Background())
	base := srv.URL() + "/api/v1/workspaces/" + slug

	hc := &http.Client{Transport: &http.Transport{MaxIdleConns: 256, MaxIdleConnsPerHost: 256}}
	do := func(method, url string, body []byte, want int) error {
		var rd io.Reader
		if body != nil {
			rd = bytes.NewReader(body)
		}
		req, _ := http.NewRequestWithContext(ctx, method, url, rd)
		req.Header.Set("Authorization", "Bearer "+token)
		if body != nil {
			req.Header.Set("Content-Type", "application/json")
		}
		resp, err := hc.Do(req)
		if err != nil {
			return err
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != want {
			return fmt.Errorf("%s %s: status %d", method, url, resp.StatusCode)
		}
		return nil
	}

	phases := []struct {
		name string
		op   func(r *rand.Rand, i int) error
	}{
		{"GET item by id", func(r *rand.Rand, _ int) error {
			return do("GET", base+"/items/"+ids[r.IntN(len(ids))], nil, 200)
		}},
		{"GET list of 100 items", func(r *rand.Rand, _ int) error {
			return do("GET", base+"/items?limit=100", nil, 200)
		}},
		{"POST create item", func(r *rand.Rand, i int) error {
			body, _ := json.Marshal(map[string]any{"kind": "task", "title": fmt.Sprintf("Bench item %d", i)})
			return do("POST", base+"/items", body, 201)
		}},
	}
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	var results []benchResult
	for _, ph := range phases {
		if !strings.Contains(strings.ToLower(ph.name), strings.ToLower(*only)) {
			continue
		}
		for _, n := range clients {
			progress("%s: %d clients for %s ...", ph.name, n, *duration)
			cpu0 := cputime.Process()
			res := loadPhase(ctx, ph.name, n, *duration, ph.op)
			if res.Requests > 0 {
				res.CPUPerRequest = float64((cputime.Process() - cpu0).Microseconds()) / 1000 / float64(res.Requests)
			}
			results = append(results, res)
		}
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(map[string]any{"db": describeDB(*db), "clients": clients, "cpus": runtime.NumCPU(), "results": results})
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "phase\tclients\trequests\terrors\treq/s\tp50 ms\tp90 ms\tp99 ms\tmax ms\tCPU ms/req\t\n")
	for _, r := range results {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%.0f\t%.2f\t%.2f\t%.2f\t%.2f\t%.3f\t\n", r.Phase, r.Clients, r.Requests, r.Errors, r.PerSecond, r.P50, r.P90, r.P99, r.Max, r.CPUPerRequest)
	}
	tw.Flush()
	fmt.Fprintf(e.stdout, "%s, %d CPUs, load generator in the same process\n", describeDB(*db), runtime.NumCPU())
	for _, r := range results {
		if r.Errors > 0 {
			return fmt.Errorf("%s: %d errors, first: %s", r.Phase, r.Errors, r.FirstError)
		}
	}
	return nil
}

type benchResult struct {
	Phase      string  `json:"phase"`
	Clients    int     `json:"clients"`
	Requests   int     `json:"requests"`
	Errors     int     `json:"errors"`
	FirstError string  `json:"first_error,omitempty"`
	PerSecond  float64 `json:"per_second"`
	P50        float64 `json:"p50_ms"`
	P90        float64 `json:"p90_ms"`
	P99        float64 `json:"p99_ms"`
	Max        float64 `json:"max_ms"`
	// CPUPerRequest is the process's CPU time (user and system, server and
	// load generator together) per request: steadier than the latencies
	// when other work loads the machine.
	CPUPerRequest float64 `json:"cpu_ms_per_request"`
}

// loadPhase runs op from n clients for d and summarises the latencies.
func loadPhase(ctx context.Context, name string, n int, d time.Duration, op func(r *rand.Rand, i int) error) benchResult {
	var (
		mu       sync.Mutex
		lat      []time.Duration
		errs     int
		firstErr string
		wg       sync.WaitGroup
	)
	start := time.Now()
	deadline := start.Add(d)
	for w := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewPCG(uint64(w), 42))
			var mine []time.Duration
			var myErrs int
			var myFirst string
			for i := 0; time.Now().Before(deadline) && ctx.Err() == nil; i++ {
				t := time.Now()
				err := op(r, w*1_000_000+i)
				mine = append(mine, time.Since(t))
				if err != nil {
					if myErrs == 0 {
						myFirst = err.Error()
					}
					myErrs++
				}
			}
			mu.Lock()
			lat = append(lat, mine...)
			errs += myErrs
			if firstErr == "" {
				firstErr = myFirst
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	slices.Sort(lat)
	pct := func(p float64) float64 {
		if len(lat) == 0 {
			return 0
		}
		i := int(float64(len(lat)-1) * p)
		return float64(lat[i].Microseconds()) / 1000
	}
	return benchResult{Phase: name, Clients: n, Requests: len(lat), Errors: errs, FirstError: firstErr,
		PerSecond: float64(len(lat)) / elapsed.Seconds(), P50: pct(0.50), P90: pct(0.90), P99: pct(0.99), Max: pct(1)}
}

// seedBench creates a user, a workspace, a token and n items.
func seedBench(ctx context.Context, st tandem.Store, slug string, n int) (token string, ids []string, err error) {
	u := &tandem.User{Email: slug + "@bench.tandem.test", Name: "Bench"}
	if err := st.CreateUser(ctx, u, "bench-password"); err != nil {
		return "", nil, err
	}
	ctx = tandem.WithActor(ctx, u.ID)
	ws := &tandem.Workspace{Slug: slug, Name: "Bench"}
	if err := st.CreateWorkspace(ctx, ws, u.ID); err != nil {
		return "", nil, err
	}
	_, token, err = st.CreateToken(ctx, u.ID, "bench")
	if err != nil {
		return "", nil, err
	}
	words := strings.Fields("design build test review migrate deploy document measure integrate secure")
	for i := range n {
		x := &tandem.Item{Kind: tandem.KindTask, Title: fmt.Sprintf("%s component %d", words[i%len(words)], i),
			Description: "Generated for the API benchmark.", DurationDays: float64(1 + i%10), Status: tandem.StatusPlanned}
		if err := st.CreateItem(ctx, ws.ID, x); err != nil {
			return "", nil, err
		}
		ids = append(ids, x.ID)
	}
	return token, ids, nil
}
