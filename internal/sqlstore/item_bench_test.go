package sqlstore_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tandem-pm/tandem"
	"github.com/tandem-pm/tandem/internal/cputime"
	"github.com/tandem-pm/tandem/postgres"
	"github.com/tandem-pm/tandem/sqlite"
)

// BenchmarkFindItems lists pages of 100 items from 2,000 on SQLite, the
// store's share of the API's "list of 100 items" budget (p99 ≤ 30 ms):
//
//	go test -run XXX -bench FindItems -benchmem ./internal/sqlstore/
//
// A third of the items are aligned to one or two goals and half have
// planned dates, so that the goal-link lookup and the date columns carry
// data. "all" lists the workspace's first page, "status" a filtered one,
// "goal" the items aligned to one goal and "search" the 111 items whose
// title holds "item 19".
//
// With TANDEM_BENCH_POSTGRES set to the URL of a database it may fill, it
// runs on PostgreSQL too, and reports the CPU time of the server's
// processes per list as well (pg-cpu-ns/op; Linux only).
func BenchmarkFindItems(b *testing.B) {
	b.Run("sqlite", func(b *testing.B) {
		s, err := sqlite.Open(context.Background(), filepath.Join(b.TempDir(), "bench.db"))
		if err != nil {
			b.Fatal(err)
		}
		defer s.Close()
		benchFindItems(b, s, nil)
	})
	b.Run("postgres", func(b *testing.B) {
		dsn := os.Getenv("TANDEM_BENCH_POSTGRES")
		if dsn == "" {
			b.Skip("set TANDEM_BENCH_POSTGRES to a database the benchmark may fill")
		}
		s, err := postgres.Open(context.Background(), dsn)
		if err != nil {
			b.Fatal(err)
		}
		defer s.Close()
		benchFindItems(b, s, postgresCPU)
	})
}

func benchFindItems(b *testing.B, s tandem.Store, serverCPU func() time.Duration) {
	ctx := context.Background()
	u := &tandem.User{Email: fmt.Sprintf("bench-%d@example.com", time.Now().UnixNano()), Name: "Bench"}
	if err := s.CreateUser(ctx, u, "a long enough password"); err != nil {
		b.Fatal(err)
	}
	ctx = tandem.WithActor(ctx, u.ID)
	ws := &tandem.Workspace{Slug: fmt.Sprintf("bench-%d", time.Now().UnixNano()%1_000_000), Name: "Bench"}
	if err := s.CreateWorkspace(ctx, ws, u.ID); err != nil {
		b.Fatal(err)
	}
	var goals []string
	for i := range 3 {
		g := &tandem.Goal{Title: fmt.Sprintf("Goal %d", i)}
		if err := s.CreateGoal(ctx, ws.ID, g); err != nil {
			b.Fatal(err)
		}
		goals = append(goals, g.ID)
	}
	statuses := []string{tandem.StatusBacklog, tandem.StatusPlanned, tandem.StatusInProgress, tandem.StatusDone}
	for i := range 2000 {
		x := &tandem.Item{Kind: tandem.KindTask, Title: fmt.Sprintf("Item %d of the benchmark", i),
			Description: "Some text about the item, a sentence or two long.", Status: statuses[i%len(statuses)],
			EffortHours: float64(i % 40), DurationDays: float64(1 + i%10), Progress: i % 101}
		if i%3 == 0 {
			x.GoalIDs = goals[i%2 : i%2+1+i%2]
		}
		if i%2 == 0 {
			x.PlannedStart = tandem.Date{Year: 2026, Month: 1 + i%12, Day: 1 + i%28}
			x.PlannedFinish = x.PlannedStart.AddDays(14)
		}
		if err := s.CreateItem(ctx, ws.ID, x); err != nil {
			b.Fatal(err)
		}
	}
	if d, ok := s.(interface{ DB() *sql.DB }); ok && serverCPU != nil {
		// PostgreSQL plans for its statistics, which a table filled a moment
		// ago lacks until autovacuum gets to it (the goal filter then took
		// 25 ms a list). Analyze, as a database in use would be.
		if _, err := d.DB().ExecContext(ctx, "ANALYZE"); err != nil {
			b.Fatal(err)
		}
	}
	for _, c := range []struct {
		name string
		f    tandem.ItemFilter
	}{
		{"all", tandem.ItemFilter{}},
		{"status", tandem.ItemFilter{Status: tandem.StatusDone}},
		{"goal", tandem.ItemFilter{GoalID: goals[1]}},
		{"search", tandem.ItemFilter{Q: "item 19"}},
	} {
		c.f.Limit = 100
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			cpu0 := cputime.Process()
			var server0 time.Duration
			if serverCPU != nil {
				server0 = serverCPU()
			}
			for b.Loop() {
				xs, _, err := s.FindItems(ctx, ws.ID, c.f)
				if err != nil {
					b.Fatal(err)
				}
				if len(xs) == 0 {
					b.Fatal("no items")
				}
			}
			// CPU time is steadier than wall time on a machine others load.
			b.ReportMetric(float64(cputime.Process()-cpu0)/float64(b.N), "cpu-ns/op")
			if serverCPU != nil {
				b.ReportMetric(float64(serverCPU()-server0)/float64(b.N), "pg-cpu-ns/op")
			}
		})
	}
}

// postgresCPU returns the CPU time used so far by the processes named
// postgres on this machine, read from /proc (0 where there is none).
func postgresCPU() time.Duration {
	dirs, _ := filepath.Glob("/proc/[0-9]*/stat")
	var ticks int64
	for _, d := range dirs {
		b, err := os.ReadFile(d)
		if err != nil {
			continue
		}
		// pid (comm) state ppid ... field 14 utime, 15 stime, after the comm.
		s := string(b)
		i := strings.LastIndexByte(s, ')')
		if i < 0 || !strings.HasPrefix(s[strings.IndexByte(s, '(')+1:], "postgres") {
			continue
		}
		f := strings.Fields(s[i+1:])
		if len(f) < 13 {
			continue
		}
		u, _ := strconv.ParseInt(f[11], 10, 64)
		st, _ := strconv.ParseInt(f[12], 10, 64)
		ticks += u + st
	}
	return time.Duration(ticks) * (time.Second / 100) // USER_HZ
}
