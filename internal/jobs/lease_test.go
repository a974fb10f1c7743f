package jobs_test

import (
	"context"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tandem-pm/tandem/internal/jobs"
	"github.com/tandem-pm/tandem/sqlite"
)

// Two nodes on one database file: while one runs a job under its lease
// (renewing it past its TTL), the other skips; once it is released, the
// other runs.
func TestLeaseOneNodeAtATime(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "tandem.db")
	var nodes [2]*jobs.Lease
	for i := range nodes {
		st, err := sqlite.Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		nodes[i] = &jobs.Lease{Leaser: st, Holder: []string{"node-a", "node-b"}[i], TTL: 90 * time.Millisecond}
	}
	var running, most atomic.Int32
	started := make(chan struct{})
	finish := make(chan struct{})
	job := func(ctx context.Context) error {
		n := running.Add(1)
		defer running.Add(-1)
		if n > most.Load() {
			most.Store(n)
		}
		close(started)
		select {
		case <-finish:
			return nil
		case <-ctx.Done():
			return context.Cause(ctx)
		}
	}
	done := make(chan error, 1)
	go func() {
		ran, err := nodes[0].Run(ctx, "themes:ws", job)
		if !ran && err == nil {
			t.Error("node a did not run a free job")
		}
		done <- err
	}()
	<-started
	// Node b keeps trying for several TTLs: node a's renewals keep it out.
	for range 6 {
		ran, err := nodes[1].Run(ctx, "themes:ws", func(context.Context) error {
			t.Error("node b ran while node a held the lease")
			return nil
		})
		if err != nil || ran {
			t.Fatalf("node b: ran %v, err %v", ran, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	close(finish)
	if err := <-done; err != nil {
		t.Fatalf("node a's run: %v", err)
	}
	// Released at the end: node b gets it at once, without waiting for expiry.
	ranB := false
	ran, err := nodes[1].Run(ctx, "themes:ws", func(context.Context) error { ranB = true; return nil })
	if err != nil || !ran || !ranB {
		t.Fatalf("node b after release: ran %v, err %v", ran, err)
	}
	if most.Load() != 1 {
		t.Errorf("at most %d runs at once, want 1", most.Load())
	}
}
