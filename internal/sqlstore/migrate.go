package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"
)

// A migration file is named NNNN_what.sql; NNNN is its version.
type migrationFile struct {
	version int
	name    string
	sql     string
}

// LatestVersion returns the highest version among the migration files in
// dir of fsys.
func LatestVersion(fsys fs.FS, dir string) (int, error) {
	files, err := readMigrations(fsys, dir)
	if err != nil {
		return 0, err
	}
	if len(files) == 0 {
		return 0, nil
	}
	return files[len(files)-1].version, nil
}

func readMigrations(fsys fs.FS, dir string) ([]migrationFile, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, fmt.Errorf("read migrations: %w", err)
	}
	var files []migrationFile
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".sql") {
			continue
		}
		num, _, _ := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if err != nil || v <= 0 {
			return nil, fmt.Errorf("migration %s: name must start with a positive number like 0001_", e.Name())
		}
		b, err := fs.ReadFile(fsys, path.Join(dir, e.Name()))
		if err != nil {
			return nil, fmt.Errorf("read migration %s: %w", e.Name(), err)
		}
		files = append(files, migrationFile{version: v, name: e.Name(), sql: string(b)})
	}
	sort.Slice(files, func(i, j int) bool { return files[i].version < files[j].version })
	for i := 1; i < len(files); i++ {
		if files[i].version == files[i-1].version {
			return nil, fmt.Errorf("migrations %s and %s have the same version", files[i-1].name, files[i].name)
		}
	}
	return files, nil
}

const createMigrationsTable = `CREATE TABLE IF NOT EXISTS schema_migrations (
	version INTEGER PRIMARY KEY,
	name TEXT NOT NULL,
	applied_at TEXT NOT NULL
)`

// currentVersion returns the highest applied migration (0 for none); the
// schema_migrations table must exist.
func currentVersion(ctx context.Context, q querier) (int, error) {
	var v sql.NullInt64
	if err := q.QueryRowContext(ctx, "SELECT MAX(version) FROM schema_migrations").Scan(&v); err != nil {
		return 0, fmt.Errorf("read schema version: %w", err)
	}
	return int(v.Int64), nil
}

// Migrate applies the migration files in dir of fsys that conn's database
// lacks, each in its own transaction, and records them in
// schema_migrations. rebind adapts the bookkeeping queries' placeholders.
// It refuses a database whose schema is newer than the newest file. The
// caller holds whatever lock keeps other processes from migrating at once.
func Migrate(ctx context.Context, conn *sql.Conn, fsys fs.FS, dir string, rebind func(string) string) (Migration, error) {
	files, err := readMigrations(fsys, dir)
	if err != nil {
		return Migration{}, err
	}
	latest := 0
	if len(files) > 0 {
		latest = files[len(files)-1].version
	}
	if _, err := conn.ExecContext(ctx, createMigrationsTable); err != nil {
		return Migration{}, fmt.Errorf("create schema_migrations: %w", err)
	}
	cur, err := currentVersion(ctx, conn)
	if err != nil {
		return Migration{}, err
	}
	if cur > latest {
		return Migration{From: cur, To: cur}, fmt.Errorf("database schema version %d is newer than this tandem binary (%d); upgrade tandem", cur, latest)
	}
	m := Migration{From: cur, To: cur}
	for _, f := range files {
		if f.version <= cur {
			continue
		}
		tx, err := conn.BeginTx(ctx, nil)
		if err != nil {
			return m, fmt.Errorf("migration %s: begin: %w", f.name, err)
		}
		// Another process may have applied it since we looked (SQLite has no
		// advisory lock; its BEGIN IMMEDIATE makes this check and the
		// migration one step).
		var done int
		err = tx.QueryRowContext(ctx, rebind("SELECT COUNT(*) FROM schema_migrations WHERE version = $1"), f.version).Scan(&done)
		if err != nil || done > 0 {
			tx.Rollback()
			if err != nil {
				return m, fmt.Errorf("migration %s: %w", f.name, err)
			}
			m.To = f.version
			continue
		}
		if _, err := tx.ExecContext(ctx, f.sql); err != nil {
			tx.Rollback()
			return m, fmt.Errorf("migration %s: %w", f.name, err)
		}
		if _, err := tx.ExecContext(ctx, rebind("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)"),
			f.version, f.name, time.Now().UTC().Format(timeFormat)); err != nil {
			tx.Rollback()
			return m, fmt.Errorf("migration %s: record: %w", f.name, err)
		}
		if err := tx.Commit(); err != nil {
			return m, fmt.Errorf("migration %s: commit: %w", f.name, err)
		}
		m.To = f.version
	}
	return m, nil
}
