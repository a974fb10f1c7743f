package http

import (
	"testing"

	"github.com/tandem-pm/tandem"
)

// newBrowserStore returns the store the browser tests run on.
func newBrowserStore(t *testing.T) tandem.Store {
	return newFakeStore()
}
