// Package sqlite is Tandem's store on an embedded SQLite database
// (modernc.org/sqlite, no cgo). It opens the database with the settings a
// server needs (WAL, busy_timeout, foreign keys, synchronous=NORMAL), keeps
// one writer connection beside a pool of readers so that concurrent writers
// queue instead of failing with "database is locked", and applies the
// migrations embedded under migrations/. The services themselves live in
// internal/sqlstore.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"regexp"
	"runtime"
	"strings"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/tandem-pm/tandem/internal/sqlstore"
)

//go:embed migrations/*.sql
var migrations embed.FS

// LatestSchemaVersion returns the schema version this binary's migrations reach.
func LatestSchemaVersion() int {
	v, err := sqlstore.LatestVersion(migrations, "migrations")
	if err != nil {
		panic(err) // the embedded files are checked by the tests
	}
	return v
}

// Per-connection settings, applied by the driver to every connection it opens.
const pragmas = "_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)"

// readerPoolSize is how many read connections a store keeps at most: reads
// never wait for the writer in WAL mode, so a few per CPU keep them busy.
func readerPoolSize() int { return max(8, 4*runtime.NumCPU()) }

// Open opens (creating if needed) the SQLite database at path, brings its
// schema up to date, and returns the store. It refuses a database whose
// schema is newer than this binary's migrations.
func Open(ctx context.Context, path string) (*sqlstore.Store, error) {
	if path == "" || strings.ContainsAny(path, "?#") || path == ":memory:" || strings.HasPrefix(path, "file:") {
		return nil, fmt.Errorf("open sqlite: %q: want the path of a database file (without '?' or '#')", path)
	}
	// One writer connection: write transactions queue in database/sql's pool
	// instead of failing with SQLITE_BUSY, and BEGIN IMMEDIATE takes the
	// write lock up front so that a transaction never fails to upgrade its lock.
	write, err := sql.Open("sqlite", "file:"+path+"?"+pragmas+"&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	write.SetMaxOpenConns(1)
	write.SetMaxIdleConns(1)
	write.SetConnMaxLifetime(0)
	write.SetConnMaxIdleTime(0)

	m, err := migrate(ctx, write)
	if err != nil {
		write.Close()
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}

	read, err := sql.Open("sqlite", "file:"+path+"?"+pragmas+"&_pragma=query_only(1)")
	if err != nil {
		write.Close()
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	read.SetMaxOpenConns(readerPoolSize())
	read.SetMaxIdleConns(readerPoolSize())
	read.SetConnMaxLifetime(0)
	read.SetConnMaxIdleTime(0)
	if err := read.PingContext(ctx); err != nil {
		write.Close()
		read.Close()
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	return sqlstore.New(read, write, Dialect{}, m), nil
}

func migrate(ctx context.Context, write *sql.DB) (sqlstore.Migration, error) {
	conn, err := write.Conn(ctx)
	if err != nil {
		return sqlstore.Migration{}, err
	}
	defer conn.Close()
	// The writer's BEGIN IMMEDIATE serialises migrations of several processes.
	return sqlstore.Migrate(ctx, conn, migrations, "migrations", Dialect{}.Rebind)
}

// Dialect is SQLite's sqlstore.Dialect.
type Dialect struct{}

// Name returns "sqlite".
func (Dialect) Name() string { return "sqlite" }

var placeholder = regexp.MustCompile(`\$([0-9]+)`)

// Rebind turns $1 into ?1: SQLite's numbered parameters, which may repeat.
func (Dialect) Rebind(q string) string { return placeholder.ReplaceAllString(q, "?$1") }

func code(err error) int {
	var e *sqlite.Error
	if errors.As(err, &e) {
		return e.Code()
	}
	return 0
}

// IsUniqueViolation reports SQLITE_CONSTRAINT_UNIQUE and _PRIMARYKEY.
func (Dialect) IsUniqueViolation(err error) bool {
	c := code(err)
	return c == sqlite3.SQLITE_CONSTRAINT_UNIQUE || c == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
}

// IsForeignKeyViolation reports SQLITE_CONSTRAINT_FOREIGNKEY.
func (Dialect) IsForeignKeyViolation(err error) bool {
	return code(err) == sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY
}

// ForUpdate returns "": the one writer connection already serialises writes.
func (Dialect) ForUpdate() string { return "" }

// ReadTxOptions returns nil: a SQLite transaction reads one snapshot already.
func (Dialect) ReadTxOptions() *sql.TxOptions { return nil }

// StringAgg returns group_concat ordered by col (SQLite 3.44 and later).
func (Dialect) StringAgg(col string) string {
	return "group_concat(" + col + ", ',' ORDER BY " + col + ")"
}
