package main

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/tandem-pm/tandem/demo"
	tandemhttp "github.com/tandem-pm/tandem/http"
	"github.com/tandem-pm/tandem/insight/modelserver"
)

// serveConfig is the server's configuration: defaults, then TANDEM_*
// environment variables, then flags.
type serveConfig struct {
	Addr          string
	DB            string
	Demo          bool
	LogFormat     string // text or json
	LogLevel      string // debug, info, warn, error
	SecureCookies bool
}

func (c *serveConfig) validate() error {
	if c.Addr == "" {
		return usagef("--addr is empty; give host:port, e.g. --addr 127.0.0.1:8080")
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		return usagef("--log-format %q: use text or json (or TANDEM_LOG_FORMAT)", c.LogFormat)
	}
	var lvl slog.Level
	if err := lvl.UnmarshalText([]byte(c.LogLevel)); err != nil {
		return usagef("--log-level %q: use debug, info, warn or error (or TANDEM_LOG_LEVEL)", c.LogLevel)
	}
	return nil
}

func (c *serveConfig) logger(e *env) *slog.Logger {
	var lvl slog.Level
	lvl.UnmarshalText([]byte(c.LogLevel))
	opts := &slog.HandlerOptions{Level: lvl}
	if c.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(e.stderr, opts))
	}
	return slog.New(slog.NewTextHandler(e.stderr, opts))
}

func runServe(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "serve", "[--addr 127.0.0.1:8080] [--db tandem.db | --db postgres://...] [--demo]")
	c := serveConfig{
		Addr:          envOr(e, "TANDEM_ADDR", "127.0.0.1:8080"),
		DB:            envOr(e, "TANDEM_DB", "tandem.db"),
		Demo:          envBool(e, "TANDEM_DEMO"),
		LogFormat:     envOr(e, "TANDEM_LOG_FORMAT", "text"),
		LogLevel:      envOr(e, "TANDEM_LOG_LEVEL", "info"),
		SecureCookies: envBool(e, "TANDEM_SECURE_COOKIES"),
	}
	fs.StringVar(&c.Addr, "addr", c.Addr, "address to listen on (TANDEM_ADDR)")
	fs.StringVar(&c.DB, "db", c.DB, "SQLite file, or a postgres:// URL (TANDEM_DB)")
	fs.BoolVar(&c.Demo, "demo", c.Demo, "seed the demo workspace 'demo' if it is missing (TANDEM_DEMO)")
	fs.StringVar(&c.LogFormat, "log-format", c.LogFormat, "text or json (TANDEM_LOG_FORMAT)")
	fs.StringVar(&c.LogLevel, "log-level", c.LogLevel, "debug, info, warn or error (TANDEM_LOG_LEVEL)")
	fs.BoolVar(&c.SecureCookies, "secure-cookies", c.SecureCookies, "mark cookies Secure; set when serving behind TLS (TANDEM_SECURE_COOKIES)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("serve takes no arguments, got %q", fs.Args())
	}
	if err := c.validate(); err != nil {
		return err
	}
	log := c.logger(e)
	serverGC(e.getenv)

	st, err := openStore(ctx, c.DB)
	if err != nil {
		return err
	}
	defer st.Close()

	if c.Demo {
		created, err := demo.Seed(ctx, st, time.Now())
		if err != nil {
			return err
		}
		if created {
			log.Info("seeded the demo workspace", "slug", demo.Slug)
		}
	}

	srv := tandemhttp.NewServer(st, log)
	srv.Version = version
	srv.SecureCookies = c.SecureCookies
	if ms, ok := modelserver.FromEnv(e.getenv); ok {
		// Themes get the model's embeddings and names; the local engine
		// takes over whenever the server fails (insight.Analyze's fallback).
		srv.ThemeOptions.Embedder, srv.ThemeOptions.Namer = ms, ms
		log.Info("theme extraction uses a model server", "url", ms.BaseURL, "model", ms.Model)
	}
	if err := srv.Open(c.Addr); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Tandem %s is serving %s at %s\n", version, describeDB(c.DB), srv.URL())
	if c.Demo {
		fmt.Fprintf(e.stdout, "Demo: open %s/w/%s and sign in as %s with password %s\n",
			srv.URL(), demo.Slug, demo.Accounts[0].Email, demo.Password)
		fmt.Fprintf(e.stdout, "      (other demo roles: %s)\n", otherDemoAccounts())
	}
	log.Info("listening", "url", srv.URL(), "db", describeDB(c.DB))

	<-ctx.Done()
	log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	return srv.Close(shutdownCtx)
}

func otherDemoAccounts() string {
	var parts []string
	for _, a := range demo.Accounts[1:] {
		parts = append(parts, fmt.Sprintf("%s %s", a.Email, a.Role))
	}
	return strings.Join(parts, ", ")
}

func envOr(e *env, key, def string) string {
	if v := e.getenv(key); v != "" {
		return v
	}
	return def
}

func envBool(e *env, key string) bool {
	switch strings.ToLower(e.getenv(key)) {
	case "1", "true", "yes", "on":
		return true
	}
	return false
}
