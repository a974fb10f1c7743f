package jobs_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
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
		// The TTL must outlast a renewal's delay on a loaded machine (a
		// renewal is due every TTL/3); node b tries for three TTLs below.
		nodes[i] = &jobs.Lease{Leaser: st, Holder: []string{"node-a", "node-b"}[i], TTL: 400 * time.Millisecond}
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
	for range 8 {
		ran, err := nodes[1].Run(ctx, "themes:ws", func(context.Context) error {
			t.Error("node b ran while node a held the lease")
			return nil
		})
		if err != nil || ran {
			t.Fatalf("node b: ran %v, err %v", ran, err)
		}
		time.Sleep(150 * time.Millisecond)
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

// takenOver is a real store on which, after the first acquisition, another
// node takes the lease (by making it expire and taking it), so that the
// holder's next renewal finds it gone.
type takenOver struct {
	jobs.Leaser
	other jobs.Leaser
	n     atomic.Int32
}

func (s *takenOver) AcquireLease(ctx context.Context, name, holder string, ttl time.Duration) (bool, error) {
	if s.n.Add(1) == 2 {
		// Between the holder's acquisition and its first renewal, the lease
		// expires (the holder stalled) and node b takes it.
		time.Sleep(ttl + 10*time.Millisecond)
		if ok, err := s.other.AcquireLease(ctx, name, "node-b", time.Hour); err != nil || !ok {
			return false, fmt.Errorf("node b could not take the expired lease: %v %v", ok, err)
		}
	}
	return s.Leaser.AcquireLease(ctx, name, holder, ttl)
}

// A holder whose renewal finds the lease taken over stops its job.
func TestLeaseLostCancelsTheJob(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "tandem.db")
	var st [2]jobs.Leaser
	for i := range st {
		s, err := sqlite.Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		st[i] = s
	}
	l := &jobs.Lease{Leaser: &takenOver{Leaser: st[0], other: st[1]}, Holder: "node-a", TTL: 60 * time.Millisecond}
	ran, err := l.Run(ctx, "themes:ws", func(ctx context.Context) error {
		select {
		case <-ctx.Done():
			return context.Cause(ctx)
		case <-time.After(10 * time.Second):
			return nil
		}
	})
	if !ran || err == nil || !strings.Contains(err.Error(), "taken by another node") {
		t.Fatalf("ran %v, err %v; want the job cancelled because the lease was taken", ran, err)
	}
	// Node a's release at the end leaves node b's lease alone.
	if ok, _ := st[0].AcquireLease(ctx, "themes:ws", "node-c", time.Hour); ok {
		t.Error("node a's release freed node b's lease")
	}
}
