package client_test

import (
	"context"
	"testing"
	"time"

	"github.com/tandem-pm/tandem"
	"github.com/tandem-pm/tandem/client"
	tandemhttp "github.com/tandem-pm/tandem/http"
)

func TestEventsSQLite(t *testing.T) {
	ctx := context.Background()
	st := sqliteBackend(t)(t)
	owner := &tandem.User{Email: "pm@example.com", Name: "PM"}
	must(t, st.CreateUser(ctx, owner, "correct horse battery staple"))
	_, secret, err := st.CreateToken(ctx, owner.ID, "e2e")
	must(t, err)
	srv := tandemhttp.NewServer(st, nil)
	srv.EventPoll = 20 * time.Millisecond // set before it serves
	if err := srv.Open("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	e := &env{store: st, srv: srv, token: secret, client: client.New(srv.URL(), secret)}
	defer e.stop(t)
	c := e.client
	must(t, c.CreateWorkspace(ctx, &tandem.Workspace{Slug: "acme", Name: "Acme"}))

	sctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	got := make(chan client.Event, 10)
	errs := make(chan error, 1)
	go func() {
		defer close(got)
		for ev, err := range c.Events(sctx, "acme", "") {
			if err != nil {
				errs <- err
				return
			}
			got <- ev
		}
	}()
	// The stream is open once the server has answered; writes before that
	// would not be sent, so write until the first event arrives.
	var first client.Event
	var it *tandem.Item
	for first.ID == "" {
		it = &tandem.Item{Kind: tandem.KindTask, Title: "Live"}
		must(t, c.CreateItem(ctx, "acme", it))
		select {
		case first = <-got:
		case err := <-errs:
			t.Fatal(err)
		case <-time.After(500 * time.Millisecond):
		}
	}
	if first.EntityType != tandem.EntityItem || first.Action == "" || first.ActorName != "PM" {
		t.Fatalf("first event: %+v", first)
	}
	// Resuming after the first event yields what came after it.
	title := "Live, renamed"
	_, err = c.UpdateItem(ctx, "acme", it.ID, tandem.ItemUpdate{Title: &title}, 0)
	must(t, err)
	found := false
	for ev, err := range c.Events(sctx, "acme", first.ID) {
		must(t, err)
		if ev.ID == first.ID {
			t.Fatal("resumed stream repeated the event it resumed after")
		}
		if ev.EntityID == it.ID && ev.Summary == title {
			found = true
			break
		}
	}
	if !found {
		t.Fatal("the resumed stream ended without the rename")
	}
	cancel()
	for range got {
	}

	// A non-member's stream is refused before it starts.
	other := &tandem.User{Email: "out@example.com", Name: "Out"}
	must(t, st.CreateUser(ctx, other, "correct horse battery staple"))
	_, osecret, err := st.CreateToken(ctx, other.ID, "out")
	must(t, err)
	for _, err := range client.New(e.srv.URL(), osecret).Events(ctx, "acme", "") {
		if tandem.ErrorCode(err) != tandem.ENotFound {
			t.Errorf("outsider's stream: %v, want not_found", err)
		}
		break
	}
}
