package client_test

import (
	"context"
	"database/sql"
	"net/url"
	"os"
	"strings"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver, for making the test schema

	"github.com/tandem-pm/tandem"
	"github.com/tandem-pm/tandem/postgres"
)

// TestAPIEndToEndPostgres runs the end-to-end API test on PostgreSQL.
func TestAPIEndToEndPostgres(t *testing.T) { testAPIEndToEnd(t, postgresBackend(t)) }

// postgresBackend opens stores in a schema of t's own on the database of
// TANDEM_TEST_POSTGRES (dropped when t ends), or skips t.
func postgresBackend(t *testing.T) backend {
	dsn := os.Getenv("TANDEM_TEST_POSTGRES")
	if dsn == "" {
		t.Skip("set TANDEM_TEST_POSTGRES=postgres://... to run the API end-to-end test on PostgreSQL")
	}
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	schema := "tandem_api_test_" + strings.ReplaceAll(tandem.NewID(), "-", "")
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		if _, err := admin.Exec("DROP SCHEMA " + schema + " CASCADE"); err != nil {
			t.Errorf("drop schema: %v", err)
		}
		admin.Close()
	})
	u, err := url.Parse(dsn)
	if err != nil || u.Scheme == "" {
		t.Fatalf("TANDEM_TEST_POSTGRES must be a postgres:// URL: %v", err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return func(t testing.TB) tandem.Store {
		st, err := postgres.Open(context.Background(), u.String())
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
}
