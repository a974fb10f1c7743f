package postgres_test

import (
	"context"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/tandem-pm/tandem"
	"github.com/tandem-pm/tandem/postgres"
	"github.com/tandem-pm/tandem/storetest"
)

// TestLeases runs the job lease contract with two stores (two connection
// pools) on one schema, as two server nodes would share the database.
func TestLeases(t *testing.T) {
	dsn := freshSchema(t)
	storetest.RunLeases(t, func(t *testing.T) tandem.Store { return open(t, dsn) })
}

// BenchmarkAcquireLease measures one lease renewal (the write a running
// job makes every TTL/3).
func BenchmarkAcquireLease(b *testing.B) {
	dsn := os.Getenv("TANDEM_TEST_POSTGRES")
	if dsn == "" {
		b.Skip("set TANDEM_TEST_POSTGRES")
	}
	admin, err := schemas.db(dsn)
	if err != nil {
		b.Fatal(err)
	}
	schema := "tandem_bench_" + strings.ReplaceAll(tandem.NewID(), "-", "")
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		b.Fatal(err)
	}
	defer admin.Exec("DROP SCHEMA " + schema + " CASCADE")
	u, err := url.Parse(dsn)
	if err != nil {
		b.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	s, err := postgres.Open(context.Background(), u.String())
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	name := "bench:" + tandem.NewID()
	defer s.ReleaseLease(ctx, name, "node-a")
	for b.Loop() {
		if ok, err := s.AcquireLease(ctx, name, "node-a", time.Minute); err != nil || !ok {
			b.Fatal(ok, err)
		}
	}
}
