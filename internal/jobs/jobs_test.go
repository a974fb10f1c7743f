package jobs

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"
)

// fakeClock fires timers only when the test advances it.
type fakeClock struct {
	mu     sync.Mutex
	now    time.Time
	timers []*fakeTimer
}

type fakeTimer struct {
	c       *fakeClock
	at      time.Time
	f       func()
	stopped bool
}

func (t *fakeTimer) Stop() bool {
	t.c.mu.Lock()
	defer t.c.mu.Unlock()
	was := !t.stopped
	t.stopped = true
	return was
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) AfterFunc(d time.Duration, f func()) Timer {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := &fakeTimer{c: c, at: c.now.Add(d), f: f}
	c.timers = append(c.timers, t)
	return t
}

// Advance moves the clock and fires the timers that are due, in this goroutine.
func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	var due []*fakeTimer
	keep := c.timers[:0]
	for _, t := range c.timers {
		switch {
		case t.stopped:
		case !t.at.After(c.now):
			t.stopped = true
			due = append(due, t)
		default:
			keep = append(keep, t)
		}
	}
	c.timers = keep
	c.mu.Unlock()
	for _, t := range due {
		t.f()
	}
}

type recorder struct {
	mu    sync.Mutex
	runs  map[string]int
	block chan struct{} // when set, runs wait on it
	start chan string
}

func (r *recorder) run(ctx context.Context, key string) error {
	if r.start != nil {
		r.start <- key
	}
	if r.block != nil {
		<-r.block
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.runs[key]++
	if key == "fail" {
		return errors.New("boom")
	}
	if key == "panic" {
		panic("boom")
	}
	return nil
}

func (r *recorder) count(key string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.runs[key]
}

func newTest() (*Debouncer, *fakeClock, *recorder) {
	c := &fakeClock{now: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
	r := &recorder{runs: map[string]int{}}
	d := NewDebouncer(time.Second, r.run, nil)
	d.AfterFunc, d.Now = c.AfterFunc, c.Now
	return d, c, r
}

func TestBurstRunsOnce(t *testing.T) {
	d, c, r := newTest()
	defer d.Close()
	ctx := context.Background()
	for range 100 {
		d.Trigger("ws1")
		c.Advance(100 * time.Millisecond)
	}
	// 10 s of triggers: MaxDelay (10 s) forced one run during the burst.
	if err := d.Wait(ctx, "ws1"); err != nil {
		t.Fatal(err)
	}
	if got := r.count("ws1"); got != 1 {
		t.Fatalf("runs after a 10 s burst = %d, want 1 (forced by MaxDelay)", got)
	}
	d.Trigger("ws1")
	d.Trigger("ws2")
	if !d.Pending("ws1") {
		t.Fatal("ws1 not pending after Trigger")
	}
	c.Advance(999 * time.Millisecond)
	if r.count("ws1") != 1 || r.count("ws2") != 0 {
		t.Fatal("ran before the quiet period ended")
	}
	c.Advance(time.Millisecond)
	d.Wait(ctx, "ws1")
	d.Wait(ctx, "ws2")
	if r.count("ws1") != 2 || r.count("ws2") != 1 {
		t.Fatalf("runs = %v", r.runs)
	}
}

func TestTriggerDuringRunRunsOnceMore(t *testing.T) {
	d, c, r := newTest()
	defer d.Close()
	r.block, r.start = make(chan struct{}), make(chan string, 10)
	d.Trigger("ws")
	c.Advance(time.Second)
	<-r.start // the first run is under way
	for range 5 {
		d.Trigger("ws")
	}
	d.Flush("ws") // does not start a second concurrent run
	close(r.block)
	// The first run ends and arms the timer for the triggers it missed.
	for r.count("ws") < 1 {
		time.Sleep(time.Millisecond)
	}
	for !hasTimer(c) {
		time.Sleep(time.Millisecond)
	}
	c.Advance(time.Second)
	<-r.start
	if err := d.Wait(context.Background(), "ws"); err != nil {
		t.Fatal(err)
	}
	if got := r.count("ws"); got != 2 {
		t.Fatalf("runs = %d, want 2", got)
	}
	if d.Pending("ws") {
		t.Fatal("still pending")
	}
}

func hasTimer(c *fakeClock) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, t := range c.timers {
		if !t.stopped {
			return true
		}
	}
	return false
}

func TestFlushAndFailures(t *testing.T) {
	d, _, r := newTest()
	ctx := context.Background()
	for _, k := range []string{"now", "fail", "panic"} {
		d.Flush(k)
		if err := d.Wait(ctx, k); err != nil {
			t.Fatal(err)
		}
		if r.count(k) != 1 {
			t.Fatalf("%s: runs = %d, want 1", k, r.count(k))
		}
	}
	d.Close()
	d.Trigger("late")
	d.Flush("late")
	if d.Pending("late") {
		t.Fatal("a closed debouncer accepted work")
	}
}
