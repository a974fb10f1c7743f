package demo_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/tandem-pm/tandem"
	"github.com/tandem-pm/tandem/demo"
	"github.com/tandem-pm/tandem/sqlite"
)

func TestSeedIsIdempotent(t *testing.T) {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "demo.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	today := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	created, err := demo.Seed(ctx, st, today)
	if err != nil || !created {
		t.Fatalf("first Seed = %v, %v; want created", created, err)
	}
	count := func() int {
		ws, err := st.FindWorkspace(ctx, demo.Slug)
		if err != nil {
			t.Fatal(err)
		}
		n, cursor := 0, ""
		for {
			items, next, err := st.FindItems(ctx, ws.ID, tandem.ItemFilter{Page: tandem.Page{Limit: 500, Cursor: cursor}})
			if err != nil {
				t.Fatal(err)
			}
			n += len(items)
			if next == "" {
				return n
			}
			cursor = next
		}
	}
	before := count()
	if before < 20 {
		t.Errorf("demo has %d items, want a realistic plan (≥ 20)", before)
	}
	created, err = demo.Seed(ctx, st, today.AddDate(0, 0, 7))
	if err != nil || created {
		t.Fatalf("second Seed = %v, %v; want no change", created, err)
	}
	if after := count(); after != before {
		t.Errorf("items after reseeding = %d, want %d", after, before)
	}
	// Every demo account can sign in, and has its role.
	ws, _ := st.FindWorkspace(ctx, demo.Slug)
	for _, a := range demo.Accounts {
		u, err := st.Authenticate(ctx, a.Email, demo.Password)
		if err != nil {
			t.Errorf("sign in as %s: %v", a.Email, err)
			continue
		}
		m, err := st.FindMember(ctx, ws.ID, u.ID)
		if err != nil || m.Role != a.Role {
			t.Errorf("%s: member %+v, %v; want role %s", a.Email, m, err, a.Role)
		}
	}
	// The program's cross-project chain exists.
	deps, _, err := st.FindDependencies(ctx, ws.ID, tandem.DependencyFilter{Page: tandem.Page{Limit: 500}})
	if err != nil || len(deps) < 20 {
		t.Errorf("dependencies = %d, %v; want the demo's links", len(deps), err)
	}
}

// TestSeedCalendar: the demo's projects are scheduled on its calendar.
func TestSeedCalendar(t *testing.T) {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "demo.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := demo.Seed(ctx, st, time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	ws, _ := st.FindWorkspace(ctx, demo.Slug)
	cal, err := st.FindDefaultCalendar(ctx, ws.ID)
	if err != nil || len(cal.Exceptions) == 0 {
		t.Fatalf("default calendar = %+v, %v; want one with holidays", cal, err)
	}
	projects, _, err := st.FindProjects(ctx, ws.ID, tandem.ProjectFilter{})
	if err != nil || len(projects) == 0 {
		t.Fatal(projects, err)
	}
	for _, p := range projects {
		if p.CalendarID != cal.ID {
			t.Errorf("project %s is on calendar %q, want the demo calendar", p.Name, p.CalendarID)
		}
	}
}
