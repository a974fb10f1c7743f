// Command tandem is the one Tandem binary: the server, its database tools,
// and the engines (schedule, analyze) run on files.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// env is what a subcommand may touch of the outside world, so that tests can
// run commands in-process with their own streams.
type env struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	getenv func(string) string
}

// command is one subcommand: its name, a one-line summary for the top-level
// usage, and the function that runs it.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, e *env, args []string) error
}

func commands() []command {
	return []command{
		{"serve", "run the web server (add --demo for a demo workspace)", runServe},
		{"migrate", "create or upgrade the database schema", runMigrate},
		{"user", "create a user account: tandem user create ...", runUser},
		{"token", "create an API token: tandem token create ...", runToken},
		{"bench", "measure the API under load: tandem bench api", runBench},
		{"version", "print the version", runVersion},
		{"schedule", "compute the critical-path (or levelled) schedule of a project file", runSchedule},
		{"simulate", "Monte Carlo schedule risk: P50/P80/P95 finish and criticality", runSimulate},
		{"analyze", "find themes, sentiment and duplicates in a feedback file", runAnalyze},
	}
}

var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	e := &env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv}
	if err := run(ctx, e, os.Args[1:]); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "tandem:", err)
		}
		var ue usageError
		if errors.As(err, &ue) || errors.Is(err, flag.ErrHelp) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

// usageError marks a mistake in how the command was called; main exits 2.
type usageError struct{ msg string }

func (u usageError) Error() string { return u.msg }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

func run(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		printUsage(e.stderr)
		if len(args) == 0 {
			return usagef("no command given; try 'tandem serve --demo'")
		}
		return nil
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(ctx, e, args[1:])
		}
	}
	return usagef("unknown command %q; run 'tandem help' for the list", args[0])
}

func printUsage(w io.Writer) {
	fmt.Fprintln(w, "Usage: tandem <command> [flags]\n\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun 'tandem <command> -h' for the flags of one command.")
}

// newFlagSet returns a flag set that reports errors instead of exiting, with
// a usage text that starts with the command line.
func newFlagSet(e *env, name, synopsis string) *flag.FlagSet {
	fs := flag.NewFlagSet("tandem "+name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "Usage: tandem %s %s\n\nFlags:\n", name, synopsis)
		fs.PrintDefaults()
	}
	return fs
}

func runVersion(ctx context.Context, e *env, args []string) error {
	fmt.Fprintln(e.stdout, "tandem", version)
	return nil
}
