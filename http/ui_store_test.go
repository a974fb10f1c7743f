package http

import (
	"path/filepath"
	"testing"

	"github.com/tandem-pm/tandem"
	"github.com/tandem-pm/tandem/sqlite"
)

// newBrowserStore returns a real SQLite store in a temporary directory.
func newBrowserStore(t *testing.T) tandem.Store {
	t.Helper()
	store, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "tandem.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	return store
}
