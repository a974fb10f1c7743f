package sqlstore_test

import (
	"context"
	"fmt"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/tandem-pm/tandem"
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
func BenchmarkFindItems(b *testing.B) {
	ctx := context.Background()
	s, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	u := &tandem.User{Email: "bench@example.com", Name: "Bench"}
	if err := s.CreateUser(ctx, u, "a long enough password"); err != nil {
		b.Fatal(err)
	}
	ctx = tandem.WithActor(ctx, u.ID)
	ws := &tandem.Workspace{Slug: "bench", Name: "Bench"}
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
			cpu0 := cpuTime()
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
			b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N), "cpu-ns/op")
		})
	}
}

// cpuTime returns the CPU time (user and system) the process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
