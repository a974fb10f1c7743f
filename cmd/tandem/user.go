package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/tandem-pm/tandem"
)

func runUser(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || args[0] != "create" {
		return usagef("usage: tandem user create --db DB --email E --name N --password-stdin [--workspace SLUG --role ROLE]")
	}
	fs := newFlagSet(e, "user create", "--db DB --email E --name N --password-stdin [--workspace SLUG --role ROLE]")
	db := fs.String("db", envOr(e, "TANDEM_DB", "tandem.db"), "SQLite file or postgres:// URL (TANDEM_DB)")
	email := fs.String("email", "", "the user's email address (required)")
	name := fs.String("name", "", "the user's full name (required)")
	pwStdin := fs.Bool("password-stdin", false, "read the password from the first line of standard input (required)")
	wsSlug := fs.String("workspace", "", "add the user to this workspace, creating it if it does not exist")
	role := fs.String("role", "", "the user's role in --workspace: owner, admin, manager, contributor or viewer\n(default: owner of a new workspace, contributor of an existing one)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	switch {
	case *email == "":
		return usagef("--email is required, e.g. --email ada@example.com")
	case *name == "":
		return usagef("--name is required, e.g. --name 'Ada Lovelace'")
	case !*pwStdin:
		return usagef("--password-stdin is required: pipe the password in, e.g. echo \"$PW\" | tandem user create ...")
	case *role != "" && *wsSlug == "":
		return usagef("--role needs --workspace")
	case *role != "" && !tandem.Role(*role).Valid():
		return usagef("--role %q: use owner, admin, manager, contributor or viewer", *role)
	}
	line, err := bufio.NewReader(e.stdin).ReadString('\n')
	if err != nil && line == "" {
		return usagef("no password on standard input")
	}
	password := strings.TrimRight(line, "\r\n")

	st, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	u := &tandem.User{Email: tandem.NormalizeEmail(*email), Name: strings.TrimSpace(*name)}
	if err := st.CreateUser(ctx, u, password); err != nil {
		return describeErr("create user", err)
	}
	fmt.Fprintf(e.stderr, "created user %s (%s)\n", u.Email, u.ID)
	if *wsSlug == "" {
		return nil
	}
	ws, err := st.FindWorkspace(ctx, *wsSlug)
	switch {
	case tandem.ErrorCode(err) == tandem.ENotFound:
		if *role != "" && *role != string(tandem.RoleOwner) {
			return usagef("workspace %q does not exist; create it with --role owner (the user was created)", *wsSlug)
		}
		ws = &tandem.Workspace{Slug: *wsSlug, Name: *wsSlug}
		if err := st.CreateWorkspace(tandem.WithActor(ctx, u.ID), ws, u.ID); err != nil {
			return describeErr("create workspace", err)
		}
		fmt.Fprintf(e.stderr, "created workspace %s with %s as owner\n", ws.Slug, u.Email)
		return nil
	case err != nil:
		return err
	}
	r := tandem.Role(*role)
	if r == "" {
		r = tandem.RoleContributor
	}
	if _, err := st.SetMember(tandem.WithActor(ctx, u.ID), ws.ID, u.ID, r); err != nil {
		return describeErr("add member", err)
	}
	fmt.Fprintf(e.stderr, "added %s to workspace %s as %s\n", u.Email, ws.Slug, r)
	return nil
}

func runToken(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || args[0] != "create" {
		return usagef("usage: tandem token create --db DB --email E [--name NAME]")
	}
	fs := newFlagSet(e, "token create", "--db DB --email E [--name NAME]")
	db := fs.String("db", envOr(e, "TANDEM_DB", "tandem.db"), "SQLite file or postgres:// URL (TANDEM_DB)")
	email := fs.String("email", "", "the user the token acts for (required)")
	name := fs.String("name", "cli", "a name to recognise the token by")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if *email == "" {
		return usagef("--email is required: the token acts for that user")
	}
	st, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	u, err := st.FindUserByEmail(ctx, tandem.NormalizeEmail(*email))
	if err != nil {
		return describeErr("find user "+*email, err)
	}
	_, secret, err := st.CreateToken(tandem.WithActor(ctx, u.ID), u.ID, *name)
	if err != nil {
		return describeErr("create token", err)
	}
	fmt.Fprintln(e.stdout, secret)
	return nil
}

// describeErr turns a domain error into a message for the terminal.
func describeErr(what string, err error) error {
	var te *tandem.Error
	if errors.As(err, &te) {
		msg := te.Message
		for _, f := range te.Fields {
			msg += fmt.Sprintf("\n  %s: %s", f.Field, f.Message)
		}
		return fmt.Errorf("%s: %s", what, msg)
	}
	return fmt.Errorf("%s: %w", what, err)
}
