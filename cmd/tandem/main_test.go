package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"
	"github.com/tandem-pm/tandem"
)

// runCmd runs the tandem command in-process with the given stdin and env.
func runTandem(t *testing.T, ctx context.Context, stdin string, environ map[string]string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errb bytes.Buffer
	e := &env{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errb,
		getenv: func(k string) string { return environ[k] }}
	err = run(ctx, e, args)
	return out.String(), errb.String(), err
}

func TestUsageErrors(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"no command", nil, "no command given"},
		{"unknown command", []string{"frobnicate"}, "unknown command"},
		{"user without create", []string{"user"}, "tandem user create"},
		{"user without email", []string{"user", "create", "--name", "A", "--password-stdin"}, "--email is required"},
		{"user without password", []string{"user", "create", "--email", "a@b.c", "--name", "A"}, "--password-stdin is required"},
		{"bad role", []string{"user", "create", "--email", "a@b.c", "--name", "A", "--password-stdin", "--workspace", "x", "--role", "king"}, "--role"},
		{"token without email", []string{"token", "create"}, "--email is required"},
		{"bad log format", []string{"serve", "--log-format", "xml"}, "--log-format"},
		{"serve extra args", []string{"serve", "now"}, "no arguments"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := runTandem(t, ctx, "", nil, tc.args...)
			var ue usageError
			if !errors.As(err, &ue) {
				t.Fatalf("err = %v, want a usage error", err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %q, want it to mention %q", err, tc.want)
			}
		})
	}
}

func TestVersion(t *testing.T) {
	out, _, err := runTandem(t, context.Background(), "", nil, "version")
	if err != nil || !strings.HasPrefix(out, "tandem ") {
		t.Fatalf("version = %q, %v", out, err)
	}
}

func TestCLIOnSQLite(t *testing.T) {
	testCLI(t, filepath.Join(t.TempDir(), "t.db"))
}

// TestCLIOnPostgres runs the same commands on PostgreSQL, in a schema of its own.
func TestCLIOnPostgres(t *testing.T) {
	dsn := os.Getenv("TANDEM_TEST_POSTGRES")
	if dsn == "" {
		t.Skip("set TANDEM_TEST_POSTGRES=postgres://... to run the CLI on PostgreSQL")
	}
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	schema := "tandem_cli_test_" + strings.ReplaceAll(tandem.NewID(), "-", "")
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	defer admin.Exec("DROP SCHEMA " + schema + " CASCADE")
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	testCLI(t, u.String())
}

// testCLI creates accounts and a token from the command line, then serves
// the database (seeding the demo), uses the token, and stops as on SIGTERM;
// a second start finds the data again.
func testCLI(t *testing.T, db string) {
	ctx := context.Background()
	if _, _, err := runTandem(t, ctx, "", nil, "migrate", "--db", db); err != nil {
		t.Fatal(err)
	}
	_, stderr, err := runTandem(t, ctx, "correct horse battery\n", nil, "user", "create", "--db", db,
		"--email", "Ada@Example.com", "--name", "Ada Lovelace", "--password-stdin", "--workspace", "acme", "--role", "owner")
	if err != nil {
		t.Fatalf("user create: %v (%s)", err, stderr)
	}
	if !strings.Contains(stderr, "created workspace acme") {
		t.Errorf("stderr = %q, want it to say the workspace was created", stderr)
	}
	// A second user joins the existing workspace with the default role.
	if _, stderr, err := runTandem(t, ctx, "another password\n", map[string]string{"TANDEM_DB": db}, "user", "create",
		"--email", "bob@example.com", "--name", "Bob", "--password-stdin", "--workspace", "acme"); err != nil {
		t.Fatalf("second user: %v (%s)", err, stderr)
	} else if !strings.Contains(stderr, "as contributor") {
		t.Errorf("stderr = %q, want the default role contributor", stderr)
	}
	// The same email again is refused with a clear message.
	if _, _, err := runTandem(t, ctx, "correct horse battery\n", nil, "user", "create", "--db", db,
		"--email", "ada@example.com", "--name", "Ada", "--password-stdin"); err == nil {
		t.Error("creating a user with a taken email succeeded")
	}
	// A short password is refused.
	if _, _, err := runTandem(t, ctx, "short\n", nil, "user", "create", "--db", db,
		"--email", "c@example.com", "--name", "C", "--password-stdin"); err == nil || !strings.Contains(err.Error(), "password") {
		t.Errorf("short password: err = %v, want a password error", err)
	}
	out, _, err := runTandem(t, ctx, "", nil, "token", "create", "--db", db, "--email", "ada@example.com")
	if err != nil {
		t.Fatal(err)
	}
	token := strings.TrimSpace(out)
	if strings.Contains(token, "\n") || len(token) < 32 {
		t.Fatalf("token create printed %q, want only a token", out)
	}
	if _, _, err := runTandem(t, ctx, "", nil, "token", "create", "--db", db, "--email", "nobody@example.com"); err == nil {
		t.Error("token for an unknown user succeeded")
	}

	for round := range 2 {
		serveAndCheck(t, db, token, round)
	}
}

func serveAndCheck(t *testing.T, db, token string, round int) {
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		e := &env{stdin: strings.NewReader(""), stdout: pw, stderr: io.Discard, getenv: func(string) string { return "" }}
		done <- run(ctx, e, []string{"serve", "--addr", "127.0.0.1:0", "--db", db, "--demo"})
		pw.Close()
	}()
	line := readLine(t, pr)
	url := regexp.MustCompile(`http://[0-9.:]+`).FindString(line)
	if url == "" {
		t.Fatalf("serve printed %q, want a URL", line)
	}
	go io.Copy(io.Discard, pr)
	req, _ := http.NewRequest("GET", url+"/api/v1/workspaces", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var body struct {
		Data []struct{ Slug string } `json:"data"`
	}
	json.NewDecoder(resp.Body).Decode(&body)
	resp.Body.Close()
	if resp.StatusCode != 200 || len(body.Data) != 1 || body.Data[0].Slug != "acme" {
		t.Errorf("round %d: GET /api/v1/workspaces = %d %+v, want acme only", round, resp.StatusCode, body)
	}
	if resp, err := http.Get(url + "/readyz"); err != nil || resp.StatusCode != 200 {
		t.Errorf("/readyz: %v %v", resp, err)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve returned %v after shutdown", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not stop after its context was cancelled")
	}
}

func readLine(t *testing.T, r io.Reader) string {
	t.Helper()
	var b []byte
	one := make([]byte, 1)
	for {
		n, err := r.Read(one)
		if n == 1 {
			if one[0] == '\n' {
				return string(b)
			}
			b = append(b, one[0])
		}
		if err != nil {
			t.Fatalf("read: %v (got %q)", err, b)
		}
	}
}
