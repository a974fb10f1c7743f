package http

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/tandem-pm/tandem"
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

// cpuTime returns the CPU time (user and system) this process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
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
			start, reads, cpu := time.Now(), f.count.total.Load(), cpuTime()
			for b.Loop() {
				time.Sleep(poll)
			}
			secs := time.Since(start).Seconds()
			b.ReportMetric(float64(f.count.total.Load()-reads)/secs, "reads/s")
			b.ReportMetric((cpuTime()-cpu).Seconds()*1000/secs, "cpu-ms/s")
		})
	}
}
