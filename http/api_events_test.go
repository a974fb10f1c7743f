package http

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tandem-pm/tandem"
	"github.com/tandem-pm/tandem/sqlite"
)

// sseEvent is one event read off a stream.
type sseEvent struct {
	ID, Event string
	Data      liveEvent
}

// openEvents connects to url's event stream and returns its events as they come.
func openEvents(t testing.TB, ctx context.Context, url, token, lastID string) <-chan sseEvent {
	t.Helper()
	req, _ := http.NewRequestWithContext(ctx, "GET", url, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	if lastID != "" {
		req.Header.Set("Last-Event-ID", lastID)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		t.Fatalf("events: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	out := make(chan sseEvent, 100)
	go func() {
		defer resp.Body.Close()
		defer close(out)
		sc := bufio.NewScanner(resp.Body)
		var ev sseEvent
		for sc.Scan() {
			line := sc.Text()
			switch {
			case line == "":
				if ev.Event != "" {
					out <- ev
				}
				ev = sseEvent{}
			case strings.HasPrefix(line, "id: "):
				ev.ID = line[4:]
			case strings.HasPrefix(line, "event: "):
				ev.Event = line[7:]
			case strings.HasPrefix(line, "data: "):
				if err := json.Unmarshal([]byte(line[6:]), &ev.Data); err != nil {
					t.Errorf("event data %q: %v", line, err)
				}
			}
		}
	}()
	return out
}

// next waits for the next event, or fails after a generous deadline.
func next(t *testing.T, evs <-chan sseEvent) sseEvent {
	t.Helper()
	select {
	case ev, ok := <-evs:
		if !ok {
			t.Fatal("the stream ended")
		}
		return ev
	case <-time.After(20 * time.Second):
		t.Fatal("no event within 20 s")
	}
	return sseEvent{}
}

// Two servers on one database, as two nodes: a change written through one
// reaches a stream on the other; a stream resumes after Last-Event-ID; and
// closing the server ends its streams.
func TestEventStream(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "tandem.db")
	var nodes [2]*Server
	var stores [2]tandem.Store
	for i := range nodes {
		st, err := sqlite.Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		stores[i] = st
		nodes[i] = NewServer(st, nil)
		nodes[i].EventPoll = 20 * time.Millisecond
		if err := nodes[i].Open("127.0.0.1:0"); err != nil {
			t.Fatal(err)
		}
	}
	defer nodes[0].Close(ctx)
	a := stores[0]
	owner := &tandem.User{Email: "pm@example.com", Name: "PM"}
	if err := a.CreateUser(ctx, owner, "correct horse battery staple"); err != nil {
		t.Fatal(err)
	}
	_, token, err := a.CreateToken(ctx, owner.ID, "t")
	if err != nil {
		t.Fatal(err)
	}
	ws := &tandem.Workspace{Slug: "acme", Name: "Acme"}
	if err := a.CreateWorkspace(ctx, ws, owner.ID); err != nil {
		t.Fatal(err)
	}
	sctx, cancel := context.WithCancel(ctx)
	defer cancel()
	evs := openEvents(t, sctx, nodes[1].URL()+"/api/v1/workspaces/acme/events", token, "")

	actx := tandem.WithActor(ctx, owner.ID)
	first := &tandem.Item{Kind: tandem.KindTask, Title: "Written on node A"}
	if err := a.CreateItem(actx, ws.ID, first); err != nil {
		t.Fatal(err)
	}
	ev := next(t, evs)
	if ev.Event != "activity" || ev.Data.EntityType != tandem.EntityItem || ev.Data.EntityID != first.ID || ev.Data.Action == "" || ev.ID != ev.Data.ID {
		t.Fatalf("event = %+v", ev)
	}
	if ev.Data.ActorName != "PM" || ev.Data.Summary == "" {
		t.Errorf("event lacks actor or summary: %+v", ev.Data)
	}
	title := "Renamed"
	if _, err := a.UpdateItem(actx, ws.ID, first.ID, tandem.ItemUpdate{Title: &title}, 0); err != nil {
		t.Fatal(err)
	}
	upd := next(t, evs)
	if upd.Data.EntityID != first.ID || upd.ID == ev.ID {
		t.Fatalf("second event = %+v", upd)
	}

	// Resuming after the first event replays the second, and only it.
	second := &tandem.Item{Kind: tandem.KindTask, Title: "Third change"}
	if err := a.CreateItem(actx, ws.ID, second); err != nil {
		t.Fatal(err)
	}
	resumed := openEvents(t, sctx, nodes[0].URL()+"/api/v1/workspaces/acme/events", token, ev.ID)
	if got := next(t, resumed); got.ID != upd.ID {
		t.Errorf("after Last-Event-ID the first event is %+v, want %s", got.Data, upd.ID)
	}
	if got := next(t, resumed); got.Data.EntityID != second.ID {
		t.Errorf("then %+v, want the new item", got.Data)
	}

	// Closing a node ends its streams at once.
	cctx, ccancel := context.WithTimeout(ctx, 10*time.Second)
	defer ccancel()
	if err := nodes[1].Close(cctx); err != nil {
		t.Fatalf("close with a stream open: %v", err)
	}
	for range evs {
	}
}

func TestIDTime(t *testing.T) {
	before := time.Now().Add(-time.Millisecond)
	at, ok := idTime(tandem.NewID())
	if !ok || at.Before(before.Truncate(time.Millisecond)) || at.After(time.Now()) {
		t.Errorf("idTime(NewID()) = %v, %v; want about now", at, ok)
	}
	if _, ok := idTime("not-an-id"); ok {
		t.Error("idTime accepted a malformed ID")
	}
}

// BenchmarkEventPoll measures one poll of an event stream (what every open
// stream costs the database each second) in a workspace whose activity
// table holds 5,000 older rows and, per sub-benchmark, 0 or 50 rows in the
// 10-second window a poll reads.
func BenchmarkEventPoll(b *testing.B) {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "tandem.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	owner := &tandem.User{Email: "pm@example.com", Name: "PM"}
	if err := st.CreateUser(ctx, owner, "correct horse battery staple"); err != nil {
		b.Fatal(err)
	}
	ws := &tandem.Workspace{Slug: "acme", Name: "Acme"}
	if err := st.CreateWorkspace(ctx, ws, owner.ID); err != nil {
		b.Fatal(err)
	}
	actx := tandem.WithActor(ctx, owner.ID)
	past := time.Now().Add(-time.Hour)
	st.Now = func() time.Time { return past }
	items := make([]*tandem.Item, 5000)
	for i := range items {
		items[i] = &tandem.Item{Kind: tandem.KindTask, Title: "Old item"}
	}
	for _, it := range items {
		if err := st.CreateItem(actx, ws.ID, it); err != nil {
			b.Fatal(err)
		}
	}
	st.Now = time.Now
	s := NewServer(st, nil)
	for _, recent := range []int{0, 50} {
		for i := range recent {
			if err := st.CreateItem(actx, ws.ID, &tandem.Item{Kind: tandem.KindTask, Title: fmt.Sprintf("New %d", i)}); err != nil {
				b.Fatal(err)
			}
		}
		b.Run(fmt.Sprintf("recent=%d", recent), func(b *testing.B) {
			for b.Loop() {
				acts, err := s.activitySince(ctx, ws.ID, time.Now().Add(-eventLag))
				if err != nil || len(acts) != recent {
					b.Fatalf("%d rows, %v; want %d", len(acts), err, recent)
				}
			}
		})
	}
}
