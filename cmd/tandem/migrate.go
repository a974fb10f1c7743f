package main

import (
	"context"
	"fmt"
)

func runMigrate(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "migrate", "--db DB")
	db := fs.String("db", envOr(e, "TANDEM_DB", "tandem.db"), "SQLite file or postgres:// URL (TANDEM_DB)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	st, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	v, ok := st.(interface {
		SchemaVersion(context.Context) (int, error)
	})
	if !ok {
		fmt.Fprintf(e.stdout, "%s is up to date\n", describeDB(*db))
		return nil
	}
	n, err := v.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%s is up to date: schema version %d\n", describeDB(*db), n)
	return nil
}
