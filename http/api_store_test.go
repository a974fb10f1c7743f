package http

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/tandem-pm/tandem"
	"github.com/tandem-pm/tandem/sqlite"
)

// openTestStore opens a SQLite store in a temporary directory.
func openTestStore(t *testing.T) tandem.Store {
	t.Helper()
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "tandem.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}
