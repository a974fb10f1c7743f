package postgres_test

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/tandem-pm/tandem"
	"github.com/tandem-pm/tandem/internal/sqlstore"
	"github.com/tandem-pm/tandem/postgres"
	"github.com/tandem-pm/tandem/storetest"
)

// testDSN returns the test database's DSN, or skips the test.
func testDSN(t *testing.T) string {
	t.Helper()
	dsn := os.Getenv("TANDEM_TEST_POSTGRES")
	if dsn == "" {
		t.Skip("set TANDEM_TEST_POSTGRES=postgres://... to run the PostgreSQL store tests")
	}
	return dsn
}

// freshSchema creates an empty schema, dropped when the test ends, and
// returns a DSN that uses it.
func freshSchema(t *testing.T) string {
	t.Helper()
	dsn := testDSN(t)
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Close() })
	schema := "tandem_test_" + strings.ReplaceAll(tandem.NewID(), "-", "")
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		if _, err := admin.Exec("DROP SCHEMA " + schema + " CASCADE"); err != nil {
			t.Errorf("drop schema: %v", err)
		}
	})
	u, err := url.Parse(dsn)
	if err != nil || u.Scheme == "" {
		t.Fatalf("TANDEM_TEST_POSTGRES must be a postgres:// URL: %v", err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	// Tests need no durability; not waiting for the WAL flush makes each
	// schema's migration several times faster.
	q.Set("synchronous_commit", "off")
	u.RawQuery = q.Encode()
	return u.String()
}

func open(t *testing.T, dsn string) *sqlstore.Store {
	t.Helper()
	s, err := postgres.Open(context.Background(), dsn)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	return s
}

func TestStore(t *testing.T) {
	testDSN(t)
	storetest.Run(t, func(t *testing.T) tandem.Store { return open(t, freshSchema(t)) })
}

func TestReopen(t *testing.T) {
	dsn := freshSchema(t)
	storetest.RunReopen(t, func(t *testing.T) tandem.Store { return open(t, dsn) })
}

func TestMigrations(t *testing.T) {
	ctx := context.Background()
	dsn := freshSchema(t)
	latest := postgres.LatestSchemaVersion()

	// Several nodes starting at once: one migrates, the others wait and find it done.
	const nodes = 4
	stores := make(chan *sqlstore.Store, nodes)
	errs := make(chan error, nodes)
	for range nodes {
		go func() {
			s, err := postgres.Open(ctx, dsn)
			if err != nil {
				errs <- err
				return
			}
			stores <- s
		}()
	}
	migrated := 0
	for range nodes {
		select {
		case err := <-errs:
			t.Errorf("concurrent open: %v", err)
		case s := <-stores:
			if m := s.Migration(); m.To != latest {
				t.Errorf("migration: got %+v, want to %d", m, latest)
			} else if m.From == 0 {
				migrated++
			}
			v, err := s.SchemaVersion(ctx)
			if err != nil || v != latest {
				t.Errorf("SchemaVersion: got %d, %v; want %d", v, err, latest)
			}
			s.Close()
		}
	}
	if migrated != 1 {
		t.Errorf("nodes that ran the migrations: got %d, want 1", migrated)
	}

	// A database from a newer binary is refused.
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, 'future.sql', 'now')", latest+1); err != nil {
		t.Fatal(err)
	}
	_, err = postgres.Open(ctx, dsn)
	want := fmt.Sprintf("database schema version %d is newer than this tandem binary (%d)", latest+1, latest)
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("open a newer database: got %v, want an error saying %q", err, want)
	}
}
