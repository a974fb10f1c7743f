package sqlite_test

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	_ "modernc.org/sqlite"

	"github.com/tandem-pm/tandem"
	"github.com/tandem-pm/tandem/internal/sqlstore"
	"github.com/tandem-pm/tandem/sqlite"
	"github.com/tandem-pm/tandem/storetest"
)

// template is a migrated, empty database that openTemp copies: migrating
// anew for every test would cost more than most tests (TestMigrations
// covers migrating).
var template = sync.OnceValues(func() ([]byte, error) {
	dir, err := os.MkdirTemp("", "tandem-template-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "tandem.db")
	s, err := sqlite.Open(context.Background(), path)
	if err != nil {
		return nil, err
	}
	if err := s.Close(); err != nil { // checkpoints the WAL into the file
		return nil, err
	}
	return os.ReadFile(path)
})

// openTemp opens a fresh store in a file of the test's temporary directory.
func openTemp(t *testing.T) tandem.Store { return openFresh(t) }

func openFresh(t testing.TB) *sqlstore.Store {
	t.Helper()
	b, err := template()
	if err != nil {
		t.Fatalf("template database: %v", err)
	}
	path := filepath.Join(t.TempDir(), "tandem.db")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	return s
}

func TestStore(t *testing.T) {
	storetest.Run(t, openTemp)
}

func TestReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "tandem.db")
	storetest.RunReopen(t, func(t *testing.T) tandem.Store {
		s, err := sqlite.Open(context.Background(), path)
		if err != nil {
			t.Fatalf("open: %v", err)
		}
		return s
	})
}

func TestMigrations(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "tandem.db")
	s, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	latest := sqlite.LatestSchemaVersion()
	if m := s.Migration(); m.From != 0 || m.To != latest || latest < 1 {
		t.Errorf("first open: got migration %+v, want 0 → %d", m, latest)
	}
	v, err := s.SchemaVersion(ctx)
	if err != nil || v != latest {
		t.Errorf("SchemaVersion: got %d, %v; want %d", v, err, latest)
	}
	s.Close()

	s, err = sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if m := s.Migration(); m.From != latest || m.To != latest {
		t.Errorf("second open: got migration %+v, want none", m)
	}
	s.Close()

	// A database from a newer binary is refused.
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, 'future.sql', 'now')", latest+1); err != nil {
		t.Fatal(err)
	}
	db.Close()
	_, err = sqlite.Open(ctx, path)
	want := "newer than this tandem binary"
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("open a newer database: got %v, want an error saying %q", err, want)
	}
}

func TestOpenRefusesNonFiles(t *testing.T) {
	for _, path := range []string{"", ":memory:", "file:x.db", "x.db?mode=ro"} {
		if s, err := sqlite.Open(context.Background(), path); err == nil {
			s.Close()
			t.Errorf("Open(%q): got no error", path)
		}
	}
}

func TestPragmas(t *testing.T) {
	s, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "tandem.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, tt := range []struct{ pragma, want string }{
		{"journal_mode", "wal"},
		{"foreign_keys", "1"},
		{"synchronous", "1"},
		{"busy_timeout", "10000"},
	} {
		var got string
		if err := s.DB().QueryRow("PRAGMA " + tt.pragma).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != tt.want {
			t.Errorf("PRAGMA %s: got %s, want %s", tt.pragma, got, tt.want)
		}
	}
}

func TestRebind(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"SELECT 1", "SELECT 1"},
		{"id = $1 AND ws = $2", "id = ?1 AND ws = ?2"},
		{"a = $10 OR b = $1", "a = ?10 OR b = ?1"},
	} {
		if got := (sqlite.Dialect{}).Rebind(tt.in); got != tt.want {
			t.Errorf("Rebind(%q): got %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestWriterSurvivesPanic checks that a panicking write does not keep the
// one writer connection: the next write must go through.
func TestWriterSurvivesPanic(t *testing.T) {
	s := openFresh(t)
	defer s.Close()
	ctx := context.Background()
	func() {
		defer func() { recover() }()
		// A nil *Comment makes CreateComment panic inside its transaction.
		s.CreateComment(ctx, tandem.NewID(), nil)
	}()
	u := &tandem.User{Email: "after@example.com", Name: "After"}
	s.SetPasswordHasher(func(string) string { return "x" })
	done := make(chan error, 1)
	go func() { done <- s.CreateUser(ctx, u, "a long enough password") }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("write after a panic: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("write after a panic: still waiting for the writer after 10s")
	}
}

// TestTokenUseWrittenAtMostOncePerMinute checks that API requests do not
// each write the token's last use.
func TestTokenUseWrittenAtMostOncePerMinute(t *testing.T) {
	s := openFresh(t)
	defer s.Close()
	s.SetPasswordHasher(func(string) string { return "x" })
	ctx := context.Background()
	now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	s.Now = func() time.Time { return now }
	u := &tandem.User{Email: "t@example.com", Name: "T"}
	if err := s.CreateUser(ctx, u, "a long enough password"); err != nil {
		t.Fatal(err)
	}
	_, secret, err := s.CreateToken(ctx, u.ID, "cli")
	if err != nil {
		t.Fatal(err)
	}
	lastUsed := func() time.Time {
		t.Helper()
		toks, err := s.FindTokens(ctx, u.ID)
		if err != nil || len(toks) != 1 {
			t.Fatalf("FindTokens: %v, %v", toks, err)
		}
		return toks[0].LastUsedAt
	}
	for _, tt := range []struct {
		after time.Duration
		want  time.Time
	}{
		{0, now},                // first use: written
		{30 * time.Second, now}, // within the minute: not written
		{61 * time.Second, now.Add(61 * time.Second)}, // a minute later: written
	} {
		s.Now = func() time.Time { return now.Add(tt.after) }
		if _, err := s.FindTokenUser(ctx, secret); err != nil {
			t.Fatal(err)
		}
		if got := lastUsed(); !got.Equal(tt.want) {
			t.Errorf("used at +%v: last use %v, want %v", tt.after, got, tt.want)
		}
	}
}
