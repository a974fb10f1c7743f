package http

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/tandem-pm/tandem"
	"github.com/tandem-pm/tandem/internal/jobs"
)

// A theme job whose lease another node holds does not run here, and is
// scheduled again; once the lease is free it runs.
func TestThemeJobSkipsWhileAnotherNodeHoldsTheLease(t *testing.T) {
	ctx := context.Background()
	st := openTestStore(t)
	owner := &tandem.User{Email: "pm@example.com", Name: "PM"}
	if err := st.CreateUser(ctx, owner, "correct horse battery staple"); err != nil {
		t.Fatal(err)
	}
	ws := &tandem.Workspace{Slug: "acme", Name: "Acme"}
	if err := st.CreateWorkspace(ctx, ws, owner.ID); err != nil {
		t.Fatal(err)
	}
	actx := tandem.WithActor(ctx, owner.ID)
	for i := range 12 {
		text := fmt.Sprintf("The app crashes when I open my statement (%d)", i)
		if i%2 == 1 {
			text = fmt.Sprintf("Please add a dark mode for reading at night (%d)", i)
		}
		if err := st.CreateFeedback(actx, ws.ID, &tandem.Feedback{Text: text, Source: tandem.SourceSupport}); err != nil {
			t.Fatal(err)
		}
	}
	l := st.(jobs.Leaser)
	if ok, err := l.AcquireLease(ctx, "themes:"+ws.ID, "other-node", time.Hour); err != nil || !ok {
		t.Fatalf("other node's lease: %v %v", ok, err)
	}
	s := NewServer(st, nil)
	defer s.stopThemes()
	if err := s.runThemeJob(ctx, ws.ID); err != nil {
		t.Fatal(err)
	}
	if ts, _ := st.FindThemes(ctx, ws.ID); len(ts) != 0 {
		t.Fatalf("the job ran while another node held its lease: %d themes", len(ts))
	}
	if !s.themes().Pending(ws.ID) {
		t.Error("the skipped job was not scheduled again")
	}
	if err := l.ReleaseLease(ctx, "themes:"+ws.ID, "other-node"); err != nil {
		t.Fatal(err)
	}
	if err := s.runThemeJob(ctx, ws.ID); err != nil {
		t.Fatal(err)
	}
	if ts, _ := st.FindThemes(ctx, ws.ID); len(ts) == 0 {
		t.Fatal("no themes once the lease was free")
	}
	// The lease was released at the end of the run.
	if ok, err := l.AcquireLease(ctx, "themes:"+ws.ID, "other-node", time.Hour); err != nil || !ok {
		t.Errorf("lease not released after the run: %v %v", ok, err)
	}
	// With NoThemeJobs the job does nothing at all.
	s2 := NewServer(st, nil)
	s2.NoThemeJobs = true
	if err := s2.runThemeJob(ctx, ws.ID); err != nil {
		t.Error(err)
	}
}
