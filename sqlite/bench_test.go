package sqlite_test

import (
	"context"
	"fmt"
	"runtime"
	"testing"

	"github.com/tandem-pm/tandem"
)

// BenchmarkFindItemByID reads items by ID from 32 concurrent callers, the
// store's share of the API's "read by id" budget (≥ 5,000 req/s on SQLite):
//
//	go test -run XXX -bench FindItemByID ./sqlite/
func BenchmarkFindItemByID(b *testing.B) {
	s := openFresh(b)
	defer s.Close()
	ctx := context.Background()
	u := &tandem.User{Email: "bench@example.com", Name: "Bench"}
	if err := s.CreateUser(ctx, u, "a long enough password"); err != nil {
		b.Fatal(err)
	}
	ws := &tandem.Workspace{Slug: "bench", Name: "Bench"}
	if err := s.CreateWorkspace(ctx, ws, u.ID); err != nil {
		b.Fatal(err)
	}
	g := &tandem.Goal{Title: "Goal"}
	if err := s.CreateGoal(ctx, ws.ID, g); err != nil {
		b.Fatal(err)
	}
	ids := make([]string, 1000)
	for i := range ids {
		x := &tandem.Item{Kind: tandem.KindTask, Title: fmt.Sprintf("Item %d", i), Description: "Some text", GoalIDs: []string{g.ID}}
		if err := s.CreateItem(ctx, ws.ID, x); err != nil {
			b.Fatal(err)
		}
		ids[i] = x.ID
	}
	b.SetParallelism((32 + runtime.GOMAXPROCS(0) - 1) / runtime.GOMAXPROCS(0))
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			if _, err := s.FindItemByID(ctx, ws.ID, ids[i%len(ids)]); err != nil {
				b.Error(err)
				return
			}
			i += 7
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "reads/s")
}
