package postgres_test

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/tandem-pm/tandem"
	"github.com/tandem-pm/tandem/internal/sqlstore"
	"github.com/tandem-pm/tandem/postgres"
	"github.com/tandem-pm/tandem/storetest"
)

// TestMain runs more tests at once than go test's default (one per CPU),
// as the PostgreSQL tests mostly wait for the server; an explicit -parallel
// wins. It drops the test schemas at the end.
func TestMain(m *testing.M) {
	flag.Parse()
	explicit := false
	flag.Visit(func(f *flag.Flag) { explicit = explicit || f.Name == "test.parallel" })
	if !explicit {
		flag.Set("test.parallel", "6")
	}
	code := m.Run()
	if err := schemas.dropAll(); err != nil {
		fmt.Fprintln(os.Stderr, "drop test schemas:", err)
		code = 1
	}
	os.Exit(code)
}

// testDSN returns the test database's DSN, or skips the test.
func testDSN(t *testing.T) string {
	t.Helper()
	dsn := os.Getenv("TANDEM_TEST_POSTGRES")
	if dsn == "" {
		t.Skip("set TANDEM_TEST_POSTGRES=postgres://... to run the PostgreSQL store tests")
	}
	return dsn
}

// schemas hands out test schemas. Creating and migrating one costs the
// server far more than emptying one, so a test's schema is emptied
// (TRUNCATE) when it ends and handed to the next test.
var schemas schemaPool

type schemaPool struct {
	mu    sync.Mutex
	admin *sql.DB
	free  []string
	all   []string
}

func (p *schemaPool) db(dsn string) (*sql.DB, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.admin == nil {
		db, err := sql.Open("pgx", dsn)
		if err != nil {
			return nil, err
		}
		p.admin = db
	}
	return p.admin, nil
}

// newSchema creates an empty schema that no other test uses.
func (p *schemaPool) newSchema(t *testing.T) string {
	t.Helper()
	admin, err := p.db(testDSN(t))
	if err != nil {
		t.Fatal(err)
	}
	name := "tandem_test_" + strings.ReplaceAll(tandem.NewID(), "-", "")
	if _, err := admin.Exec("CREATE SCHEMA " + name); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	p.mu.Lock()
	p.all = append(p.all, name)
	p.mu.Unlock()
	return name
}

// take returns an empty schema for t: a new one, or one that an earlier
// test used and that has been emptied since (it is migrated already).
func (p *schemaPool) take(t *testing.T) string {
	t.Helper()
	p.mu.Lock()
	var name string
	if n := len(p.free); n > 0 {
		name, p.free = p.free[n-1], p.free[:n-1]
	}
	p.mu.Unlock()
	if name == "" {
		name = p.newSchema(t)
	}
	t.Cleanup(func() {
		// Runs after the store's own cleanup has closed it.
		if err := p.empty(name); err != nil {
			t.Errorf("empty schema %s: %v", name, err)
			return
		}
		p.mu.Lock()
		p.free = append(p.free, name)
		p.mu.Unlock()
	})
	return name
}

func (p *schemaPool) empty(name string) error {
	var tables sql.NullString
	err := p.admin.QueryRow(`SELECT string_agg(format('%I.%I', schemaname, tablename), ', ')
		FROM pg_tables WHERE schemaname = $1 AND tablename <> 'schema_migrations'`, name).Scan(&tables)
	if err != nil || !tables.Valid {
		return err
	}
	_, err = p.admin.Exec("TRUNCATE " + tables.String + " CASCADE")
	return err
}

func (p *schemaPool) dropAll() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.admin == nil {
		return nil
	}
	defer p.admin.Close()
	if len(p.all) == 0 {
		return nil
	}
	_, err := p.admin.Exec("DROP SCHEMA " + strings.Join(p.all, ", ") + " CASCADE")
	return err
}

// withSchema returns the test DSN with schema as the search path.
func withSchema(t *testing.T, schema string) string {
	t.Helper()
	u, err := url.Parse(testDSN(t))
	if err != nil || u.Scheme == "" {
		t.Fatalf("TANDEM_TEST_POSTGRES must be a postgres:// URL: %v", err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	// Tests need no durability; not waiting for the WAL flush makes
	// migrating a schema several times faster.
	q.Set("synchronous_commit", "off")
	u.RawQuery = q.Encode()
	return u.String()
}

// freshSchema returns a DSN whose search path is an empty schema of t's own.
func freshSchema(t *testing.T) string {
	t.Helper()
	return withSchema(t, schemas.take(t))
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
	testDSN(t)
	dsn := withSchema(t, schemas.newSchema(t)) // not from the pool: this one is changed
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
