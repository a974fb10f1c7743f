package main

import (
	"context"
	"net/url"
	"strings"

	"github.com/tandem-pm/tandem"
	"github.com/tandem-pm/tandem/postgres"
	"github.com/tandem-pm/tandem/sqlite"
)

// isPostgres reports whether db names a PostgreSQL server rather than a SQLite file.
func isPostgres(db string) bool {
	return strings.HasPrefix(db, "postgres://") || strings.HasPrefix(db, "postgresql://")
}

// openStore opens (and migrates) the database db names.
func openStore(ctx context.Context, db string) (tandem.Store, error) {
	if db == "" {
		return nil, usagef("no database given: use --db tandem.db, --db postgres://..., or TANDEM_DB")
	}
	if isPostgres(db) {
		return postgres.Open(ctx, db)
	}
	return sqlite.Open(ctx, db)
}

// describeDB names the database for messages without revealing a password.
func describeDB(db string) string {
	if !isPostgres(db) {
		return "SQLite " + db
	}
	u, err := url.Parse(db)
	if err != nil {
		return "PostgreSQL"
	}
	u.User = nil
	u.RawQuery = ""
	return "PostgreSQL " + u.String()
}
