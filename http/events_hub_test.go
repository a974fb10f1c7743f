package http

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tandem-pm/tandem"
	"github.com/tandem-pm/tandem/internal/cputime"
	"github.com/tandem-pm/tandem/sqlite"
)

// countingStore is a real store that counts the activity reads made
// through it, per workspace: what the event streams cost the database.
type countingStore struct {
	tandem.Store
	mu    sync.Mutex
	reads map[string]int
	total atomic.Int64
}

func (c *countingStore) FindActivity(ctx context.Context, ws string, f tandem.ActivityFilter) ([]*tandem.Activity, string, error) {
	c.mu.Lock()
	if c.reads == nil {
		c.reads = map[string]int{}
	}
	c.reads[ws]++
	c.mu.Unlock()
	c.total.Add(1)
	return c.Store.FindActivity(ctx, ws, f)
}

// readsOf returns the activity reads of workspace ws so far.
func (c *countingStore) readsOf(ws string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.reads[ws]
}

// eventFixture is a server on a SQLite file, behind a counting store, with
// an owner, a token and workspaces.
type eventFixture struct {
	store  tandem.Store
	count  *countingStore
	srv    *Server
	owner  *tandem.User
	token  string
	actx   context.Context // acts as the owner
	spaces map[string]*tandem.Workspace
}

func newEventFixture(tb testing.TB, poll time.Duration, slugs ...string) *eventFixture {
	tb.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(tb.TempDir(), "tandem.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	f := &eventFixture{store: st, count: &countingStore{Store: st}, spaces: map[string]*tandem.Workspace{}}
	f.owner = &tandem.User{Email: "pm@example.com", Name: "PM"}
	if err := st.CreateUser(ctx, f.owner, "correct horse battery staple"); err != nil {
		tb.Fatal(err)
	}
	if _, f.token, err = st.CreateToken(ctx, f.owner.ID, "t"); err != nil {
		tb.Fatal(err)
	}
	for _, slug := range slugs {
		ws := &tandem.Workspace{Slug: slug, Name: slug}
		if err := st.CreateWorkspace(ctx, ws, f.owner.ID); err != nil {
			tb.Fatal(err)
		}
		f.spaces[slug] = ws
	}
	f.actx = tandem.WithActor(ctx, f.owner.ID)
	f.srv = NewServer(f.count, nil)
	f.srv.EventPoll = poll
	if err := f.srv.Open("127.0.0.1:0"); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { f.srv.Close(context.Background()) })
	return f
}

// open opens n event streams of workspace slug.
func (f *eventFixture) open(tb testing.TB, ctx context.Context, slug string, n int, lastID string) []<-chan sseEvent {
	tb.Helper()
	out := make([]<-chan sseEvent, n)
	for i := range out {
		out[i] = openEvents(tb, ctx, f.srv.URL()+"/api/v1/workspaces/"+slug+"/events", f.token, lastID)
	}
	return out
}

// BenchmarkEventStreams measures what open event streams cost the
// database: the activity reads per second of 100 streams open on one
// workspace, at the default poll interval (1 s), while nothing changes,
// and the CPU time the whole test process (server, SQLite, the streams'
// readers) spends per second meanwhile.
// Each iteration waits one poll interval; run it with -benchtime 5x or so.
func BenchmarkEventStreams(b *testing.B) {
	for _, streams := range []int{1, 100} {
		b.Run(fmt.Sprintf("streams=%d", streams), func(b *testing.B) {
			f := newEventFixture(b, 0, "acme")
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			f.open(b, ctx, "acme", streams, "")
			poll, _ := f.srv.eventTimes()
			time.Sleep(poll) // let the streams' polls spread out
			start, reads, cpu := time.Now(), f.count.total.Load(), cputime.Process()
			for b.Loop() {
				time.Sleep(poll)
			}
			secs := time.Since(start).Seconds()
			b.ReportMetric(float64(f.count.total.Load()-reads)/secs, "reads/s")
			b.ReportMetric((cputime.Process()-cpu).Seconds()*1000/secs, "cpu-ms/s")
		})
	}
}

// waitFor polls cond until it holds, or fails after a generous deadline.
func waitFor(tb testing.TB, what string, cond func() bool) {
	tb.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			tb.Fatalf("%s: not within 20 s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// size returns how many workspaces have a feed in the hub.
func (h *eventHub) size() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.feeds)
}

// createItems writes n items into ws, one transaction each, and returns the
// IDs of the activity records they wrote, oldest first.
func (f *eventFixture) createItems(tb testing.TB, ws *tandem.Workspace, n int) []string {
	tb.Helper()
	for i := range n {
		if err := f.store.CreateItem(f.actx, ws.ID, &tandem.Item{Kind: tandem.KindTask, Title: fmt.Sprintf("Item %d", i)}); err != nil {
			tb.Fatal(err)
		}
	}
	acts, _, err := f.store.FindActivity(context.Background(), ws.ID, tandem.ActivityFilter{Page: tandem.Page{Limit: n}})
	if err != nil {
		tb.Fatal(err)
	}
	ids := make([]string, len(acts))
	for i, a := range acts {
		ids[len(acts)-1-i] = a.ID
	}
	return ids
}

// receive reads len(want) events off each stream and checks that they are want,
// in order.
func receive(t *testing.T, streams []<-chan sseEvent, want []string) {
	t.Helper()
	for i, evs := range streams {
		for j, id := range want {
			if ev := next(t, evs); ev.ID != id || ev.Data.ID != id {
				t.Fatalf("stream %d, event %d: %s, want %s", i, j, ev.ID, id)
			}
		}
	}
}

// Many streams of one workspace share one poller: they cost one activity
// read per poll between them, and each gets every change exactly once, in
// the order written.
func TestEventHubSharesOnePoller(t *testing.T) {
	const streams = 50
	poll := 20 * time.Millisecond
	f := newEventFixture(t, poll, "acme")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	evs := f.open(t, ctx, "acme", streams, "")
	if got := f.srv.events.live.Load(); got != 1 {
		t.Fatalf("%d pollers run for one workspace, want 1", got)
	}

	// While nothing changes, each poll is one read (the window holds fewer
	// rows than the first page). One stream per poller would make 50 each.
	start, reads := time.Now(), f.count.readsOf(f.spaces["acme"].ID)
	time.Sleep(500 * time.Millisecond)
	n := f.count.readsOf(f.spaces["acme"].ID) - reads
	if polls := int(time.Since(start)/poll) + 1; n > polls {
		t.Errorf("%d activity reads in %d poll intervals with %d streams open, want at most one a poll", n, polls, streams)
	}
	t.Logf("%d streams: %d activity reads in %v", streams, n, time.Since(start).Round(time.Millisecond))

	want := f.createItems(t, f.spaces["acme"], 30)
	receive(t, evs, want)
	// And nothing more: a change after them is the next event everywhere.
	last := f.createItems(t, f.spaces["acme"], 1)
	receive(t, evs, last)
}

// Streams of two workspaces get their own workspace's changes only, each
// from its own poller.
func TestEventHubIsolatesWorkspaces(t *testing.T) {
	f := newEventFixture(t, 20*time.Millisecond, "acme", "globex")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	acme := f.open(t, ctx, "acme", 3, "")
	globex := f.open(t, ctx, "globex", 3, "")
	if got := f.srv.events.live.Load(); got != 2 {
		t.Fatalf("%d pollers run for two workspaces, want 2", got)
	}
	a := f.createItems(t, f.spaces["acme"], 5)
	g := f.createItems(t, f.spaces["globex"], 4)
	receive(t, acme, a)
	receive(t, globex, g)
	// The next event of each is its own workspace's next change.
	a = f.createItems(t, f.spaces["acme"], 1)
	g = f.createItems(t, f.spaces["globex"], 1)
	receive(t, globex, g)
	receive(t, acme, a)
}

// The poller stops when its last stream leaves, and a new stream starts a
// new one; closing the server ends streams and pollers.
func TestEventHubStops(t *testing.T) {
	f := newEventFixture(t, 20*time.Millisecond, "acme")
	ws := f.spaces["acme"]
	h := &f.srv.events
	ctx, cancel := context.WithCancel(context.Background())
	evs := f.open(t, ctx, "acme", 5, "")
	receive(t, evs, f.createItems(t, ws, 2))
	cancel()
	for _, e := range evs {
		for range e {
		}
	}
	waitFor(t, "the poller stops after its streams leave", func() bool { return h.live.Load() == 0 && h.size() == 0 })
	reads := f.count.readsOf(ws.ID)
	time.Sleep(100 * time.Millisecond)
	if n := f.count.readsOf(ws.ID) - reads; n != 0 {
		t.Errorf("%d activity reads with no stream open", n)
	}

	ctx, cancel = context.WithCancel(context.Background())
	defer cancel()
	evs = f.open(t, ctx, "acme", 2, "")
	if got := h.live.Load(); got != 1 {
		t.Fatalf("%d pollers after streams reopened, want 1", got)
	}
	receive(t, evs, f.createItems(t, ws, 1))

	cctx, ccancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer ccancel()
	if err := f.srv.Close(cctx); err != nil {
		t.Fatal(err)
	}
	if got := h.live.Load(); got != 0 {
		t.Errorf("%d pollers run after Close", got)
	}
	for _, e := range evs {
		for range e {
		}
	}
}

// A stream that falls behind is dropped without holding up the others:
// its channel delivers what it holds, then closes.
func TestEventHubDropsSlowStream(t *testing.T) {
	f := newEventFixture(t, 20*time.Millisecond, "acme")
	ws := f.spaces["acme"]
	h := &f.srv.events
	h.buffer = 4
	ctx := context.Background()
	slow, err := f.srv.subscribeEvents(ctx, ws.ID)
	if err != nil {
		t.Fatal(err)
	}
	defer f.srv.unsubscribeEvents(slow)
	fast, err := f.srv.subscribeEvents(ctx, ws.ID)
	if err != nil {
		t.Fatal(err)
	}
	defer f.srv.unsubscribeEvents(fast)
	// An HTTP stream beside them (its handler reads its channel at once).
	sctx, cancel := context.WithCancel(ctx)
	defer cancel()
	evs := f.open(t, sctx, "acme", 1, "")

	// One change at a time, each received before the next is written, so
	// that the fast stream's buffer never holds more than one.
	var want []string
	for range 3 * h.buffer {
		id := f.createItems(t, ws, 1)[0]
		want = append(want, id)
		select {
		case rec, ok := <-fast.C:
			if !ok || rec.ID != id {
				t.Fatalf("fast stream got %v (open %v), want %s", rec, ok, id)
			}
		case <-time.After(20 * time.Second):
			t.Fatal("the fast stream waits for the slow one")
		}
	}
	receive(t, evs, want)
	var got []string
	for rec := range slow.C {
		got = append(got, rec.ID)
	}
	if !slices.Equal(got, want[:h.buffer]) {
		t.Errorf("the slow stream got %v, want the first %d then its end: %v", got, h.buffer, want[:h.buffer])
	}
	if n := h.dropped.Load(); n != 1 {
		t.Errorf("%d streams dropped, want 1", n)
	}
}

// A stream that was dropped ends; its client reconnects with Last-Event-ID
// and receives what it missed, and then what comes, each once.
func TestEventHubResumeAfterDrop(t *testing.T) {
	f := newEventFixture(t, 20*time.Millisecond, "acme")
	ws := f.spaces["acme"]
	h := &f.srv.events
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	evs := f.open(t, ctx, "acme", 1, "")
	first := f.createItems(t, ws, 3)
	receive(t, evs, first)

	// Drop the stream as publish does when its buffer is full.
	h.mu.Lock()
	for _, feed := range h.feeds {
		for sub := range feed.subs {
			h.removeLocked(sub)
		}
	}
	h.mu.Unlock()
	for ev := range evs[0] {
		t.Errorf("event after the drop: %+v", ev)
	}
	missed := f.createItems(t, ws, 2)
	resumed := f.open(t, ctx, "acme", 1, first[len(first)-1])
	receive(t, resumed, missed)
	receive(t, resumed, f.createItems(t, ws, 1))
}
