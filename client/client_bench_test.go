package client_test

import (
	"context"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/tandem-pm/tandem"
)

// BenchmarkAPIReadItem reads one item by ID through the client, from 32
// goroutines at once, against a server on SQLite: the design's budget is
// 5,000 requests a second with a p99 of 20 ms on two cores.
//
//	go test -run '^$' -bench APIReadItem -benchtime 20000x ./client
func BenchmarkAPIReadItem(b *testing.B) {
	ctx := context.Background()
	st := sqliteBackend(b)(b)
	owner := &tandem.User{Email: "bench@example.com", Name: "Bench"}
	if err := st.CreateUser(ctx, owner, "correct horse battery staple"); err != nil {
		b.Fatal(err)
	}
	_, secret, err := st.CreateToken(ctx, owner.ID, "bench")
	if err != nil {
		b.Fatal(err)
	}
	ws := &tandem.Workspace{Slug: "bench", Name: "Bench"}
	if err := st.CreateWorkspace(ctx, ws, owner.ID); err != nil {
		b.Fatal(err)
	}
	var ids []string
	for i := range 100 {
		it := &tandem.Item{Kind: tandem.KindTask, Title: "Task " + string(rune('A'+i%26))}
		it.Defaults()
		if err := st.CreateItem(tandem.WithActor(ctx, owner.ID), ws.ID, it); err != nil {
			b.Fatal(err)
		}
		ids = append(ids, it.ID)
	}
	e := start(b, st, secret)
	defer e.stop(b)

	const workers = 32
	var (
		mu    sync.Mutex
		took  []time.Duration
		next  = make(chan int)
		wg    sync.WaitGroup
		first error
	)
	b.ResetTimer()
	start := time.Now()
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []time.Duration
			for i := range next {
				t0 := time.Now()
				if _, err := e.client.FindItemByID(ctx, ws.Slug, ids[i%len(ids)]); err != nil {
					mu.Lock()
					first = err
					mu.Unlock()
				}
				mine = append(mine, time.Since(t0))
			}
			mu.Lock()
			took = append(took, mine...)
			mu.Unlock()
		}()
	}
	for i := range b.N {
		next <- i
	}
	close(next)
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	if first != nil {
		b.Fatal(first)
	}
	sort.Slice(took, func(i, j int) bool { return took[i] < took[j] })
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "req/s")
	b.ReportMetric(float64(took[len(took)*99/100].Microseconds())/1000, "p99-ms")
}
