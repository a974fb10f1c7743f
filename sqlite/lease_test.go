package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"

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
