// Package postgres is Tandem's store on PostgreSQL, for teams that run
// several tandem processes against one database. It connects with pgx/v5
// (through database/sql), applies the migrations embedded under
// migrations/ while holding an advisory lock, so that several nodes can
// start at once, and hands the database to internal/sqlstore, which
// implements the services.
package postgres

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver

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

// migrationLock is the pg_advisory_lock key that migrating processes take
// turns on ("tandem" in ASCII).
const migrationLock int64 = 0x74616e64656d

// maxConns is the most connections one store opens; several tandem
// processes share the server's max_connections (100 by default).
const maxConns = 32

// Open connects to the PostgreSQL database dsn names (a URL such as
// postgres://user:pass@host/db?sslmode=disable, or key=value pairs), brings
// its schema up to date, and returns the store. It refuses a database whose
// schema is newer than this binary's migrations.
func Open(ctx context.Context, dsn string) (*sqlstore.Store, error) {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	db.SetMaxOpenConns(maxConns)
	// Keep every connection open: a PostgreSQL connection costs a server
	// process to make, and closing idle ones under a burst of requests made
	// each burst pay for new ones (p99 of half a second at 32 clients).
	db.SetMaxIdleConns(maxConns)
	db.SetConnMaxIdleTime(5 * time.Minute)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	m, err := migrate(ctx, db)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	return sqlstore.New(db, db, Dialect{}, m), nil
}

func migrate(ctx context.Context, db *sql.DB) (m sqlstore.Migration, err error) {
	conn, err := db.Conn(ctx)
	if err != nil {
		return m, err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", migrationLock); err != nil {
		return m, fmt.Errorf("take the migration lock: %w", err)
	}
	defer func() {
		// A fresh context: the lock must be released even when ctx is done.
		if _, uerr := conn.ExecContext(context.Background(), "SELECT pg_advisory_unlock($1)", migrationLock); uerr != nil && err == nil {
			err = fmt.Errorf("release the migration lock: %w", uerr)
		}
	}()
	return sqlstore.Migrate(ctx, conn, migrations, "migrations", Dialect{}.Rebind)
}

// Dialect is PostgreSQL's sqlstore.Dialect.
type Dialect struct{}

// Name returns "postgres".
func (Dialect) Name() string { return "postgres" }

// Rebind returns q: PostgreSQL's placeholders are $1, $2 already.
func (Dialect) Rebind(q string) string { return q }

func code(err error) string {
	var e *pgconn.PgError
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

// IsUniqueViolation reports SQLSTATE 23505 (unique_violation).
func (Dialect) IsUniqueViolation(err error) bool { return code(err) == "23505" }

// IsForeignKeyViolation reports SQLSTATE 23503 (foreign_key_violation).
func (Dialect) IsForeignKeyViolation(err error) bool { return code(err) == "23503" }

// ForUpdate locks the rows a write transaction reads before changing them,
// so that concurrent writers on several nodes take turns. NO KEY: the key
// never changes, so inserts that reference the row need not wait.
func (Dialect) ForUpdate() string { return " FOR NO KEY UPDATE" }

// ReadTxOptions gives multi-query reads one snapshot.
func (Dialect) ReadTxOptions() *sql.TxOptions {
	return &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true}
}

// StringAgg returns string_agg ordered by col.
func (Dialect) StringAgg(col string) string {
	return "string_agg(" + col + ", ',' ORDER BY " + col + ")"
}
