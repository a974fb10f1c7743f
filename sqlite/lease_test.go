package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/tandem-pm/tandem"
	"github.com/tandem-pm/tandem/sqlite"
	"github.com/tandem-pm/tandem/storetest"
)

// TestLeases runs the job lease contract with two stores on one database
// file, as two server processes on one machine would share it.
func TestLeases(t *testing.T) {
	path := filepath.Join(t.TempDir(), "tandem.db")
	storetest.RunLeases(t, func(t *testing.T) tandem.Store {
		s, err := sqlite.Open(context.Background(), path)
		if err != nil {
			t.Fatalf("open: %v", err)
		}
		return s
	})
}

// BenchmarkAcquireLease measures one lease renewal (the write a running
// job makes every TTL/3) on a database file.
func BenchmarkAcquireLease(b *testing.B) {
	s, err := sqlite.Open(context.Background(), filepath.Join(b.TempDir(), "tandem.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	for b.Loop() {
		if ok, err := s.AcquireLease(ctx, "themes:bench", "node-a", time.Minute); err != nil || !ok {
			b.Fatal(ok, err)
		}
	}
}
