package storetest

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"
)

// leaser is what a store shared by several server nodes implements, so that
// one node at a time runs each background job.
type leaser interface {
	AcquireLease(ctx context.Context, name, holder string, ttl time.Duration) (bool, error)
	ReleaseLease(ctx context.Context, name, holder string) error
	LeaseHolder(ctx context.Context, name string) (string, time.Time, error)
}

// RunLeases checks job leases between two stores on one database, as two
// server nodes would use them: open must open the same database each time
// it is called (the test closes the stores).
func RunLeases(t *testing.T, open Opener) {
	ctx := context.Background()
	first, second := open(t), open(t)
	defer first.Close()
	defer second.Close()
	a, ok := first.(leaser)
	if !ok {
		t.Skipf("%T has no job leases", first)
	}
	b := second.(leaser)

	acquire := func(l leaser, name, holder string, ttl time.Duration) bool {
		t.Helper()
		ok, err := l.AcquireLease(ctx, name, holder, ttl)
		if err != nil {
			t.Fatalf("AcquireLease(%s, %s): %v", name, holder, err)
		}
		return ok
	}
	holderOf := func(l leaser, name string) string {
		t.Helper()
		h, _, err := l.LeaseHolder(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		return h
	}

	t.Run("OneHolder", func(t *testing.T) {
		if !acquire(a, "themes:1", "node-a", time.Hour) {
			t.Fatal("node a could not take a free lease")
		}
		if acquire(b, "themes:1", "node-b", time.Hour) {
			t.Fatal("node b took a lease node a holds")
		}
		if h := holderOf(b, "themes:1"); h != "node-a" {
			t.Fatalf("holder seen by node b = %q, want node-a", h)
		}
		// Another job's lease is independent.
		if !acquire(b, "themes:2", "node-b", time.Hour) {
			t.Fatal("node b could not take another job's lease")
		}
		// Renewing extends the holder's own lease.
		_, until1, _ := a.LeaseHolder(ctx, "themes:1")
		if !acquire(a, "themes:1", "node-a", 2*time.Hour) {
			t.Fatal("node a could not renew its lease")
		}
		_, until2, _ := a.LeaseHolder(ctx, "themes:1")
		if !until2.After(until1) {
			t.Errorf("renewal did not extend the lease: %v then %v", until1, until2)
		}
		// Releasing someone else's lease does nothing; releasing one's own frees it.
		if err := b.ReleaseLease(ctx, "themes:1", "node-b"); err != nil {
			t.Fatal(err)
		}
		if h := holderOf(a, "themes:1"); h != "node-a" {
			t.Fatalf("after node b's release of a lease it does not hold, holder = %q", h)
		}
		if err := a.ReleaseLease(ctx, "themes:1", "node-a"); err != nil {
			t.Fatal(err)
		}
		if h := holderOf(b, "themes:1"); h != "" {
			t.Fatalf("after release, holder = %q, want none", h)
		}
		if !acquire(b, "themes:1", "node-b", time.Hour) {
			t.Fatal("node b could not take a released lease")
		}
	})

	t.Run("TakeoverAfterExpiry", func(t *testing.T) {
		// Long enough that node b's attempt right after cannot find it
		// expired, even on a loaded machine.
		const ttl = time.Second
		if !acquire(a, "themes:3", "node-a", ttl) {
			t.Fatal("node a could not take a free lease")
		}
		if acquire(b, "themes:3", "node-b", time.Hour) {
			t.Fatal("node b took a lease before it expired")
		}
		time.Sleep(ttl + 300*time.Millisecond)
		if !acquire(b, "themes:3", "node-b", time.Hour) {
			t.Fatal("node b could not take an expired lease")
		}
		// Node a, back from a stall, finds its lease gone and cannot renew it.
		if acquire(a, "themes:3", "node-a", ttl) {
			t.Fatal("node a renewed a lease node b had taken over")
		}
		if h := holderOf(a, "themes:3"); h != "node-b" {
			t.Fatalf("holder = %q, want node-b", h)
		}
	})

	t.Run("Contention", func(t *testing.T) {
		// Many rounds of both nodes (four goroutines each) racing for a free
		// lease: every round has exactly one winner.
		const rounds = 20
		for r := range rounds {
			name := fmt.Sprintf("race:%d", r)
			var mu sync.Mutex
			var winners []string
			var wg sync.WaitGroup
			for i := range 8 {
				l, holder := a, fmt.Sprintf("node-a-%d", i)
				if i%2 == 1 {
					l, holder = b, fmt.Sprintf("node-b-%d", i)
				}
				wg.Go(func() {
					ok, err := l.AcquireLease(ctx, name, holder, time.Hour)
					if err != nil {
						t.Error(err)
						return
					}
					if ok {
						mu.Lock()
						winners = append(winners, holder)
						mu.Unlock()
					}
				})
			}
			wg.Wait()
			if len(winners) != 1 {
				t.Fatalf("round %d: winners %v, want exactly one", r, winners)
			}
			if h := holderOf(a, name); h != winners[0] {
				t.Fatalf("round %d: holder %q, winner %q", r, h, winners[0])
			}
		}
	})
}
