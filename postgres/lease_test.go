package postgres_test

import (
	"testing"

	"github.com/tandem-pm/tandem"
	"github.com/tandem-pm/tandem/storetest"
)

// TestLeases runs the job lease contract with two stores (two connection
// pools) on one schema, as two server nodes would share the database.
func TestLeases(t *testing.T) {
	dsn := freshSchema(t)
	storetest.RunLeases(t, func(t *testing.T) tandem.Store { return open(t, dsn) })
}
