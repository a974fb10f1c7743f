// Package jobs runs Tandem's background work inside the server process.
//
// A Debouncer coalesces bursts of triggers for one key (a workspace) into a
// single run after a quiet period, so that importing 5,000 feedback rows or
// editing ten in a minute recomputes the workspace's themes once, not 5,000
// times. It never runs one key twice at the same time: a trigger that
// arrives during a run schedules exactly one more run after it.
//
// Scope: a Debouncer is in-process: with several `tandem serve` nodes on
// one database, each node debounces the triggers of the requests it
// served. A Lease (lease.go) on top of it makes one node at a time run a
// key's job: the others skip and trigger again later.
package jobs

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// Timer is the part of *time.Timer a Debouncer uses.
type Timer interface{ Stop() bool }

// Debouncer runs Run(ctx, key) once per burst of Trigger(key) calls.
type Debouncer struct {
	// Delay is the quiet period after the last trigger before a run.
	Delay time.Duration
	// MaxDelay bounds how long a steady stream of triggers can postpone a
	// run, counted from the first trigger of a burst.
	MaxDelay time.Duration
	// Timeout bounds one run.
	Timeout time.Duration
	Run     func(ctx context.Context, key string) error
	Logger  *slog.Logger
	// AfterFunc schedules f after d; tests replace it with a fake clock.
	AfterFunc func(d time.Duration, f func()) Timer
	// Now is the clock; tests replace it.
	Now func() time.Time

	mu     sync.Mutex
	keys   map[string]*keyState
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
	closed bool
	done   chan struct{} // closed and replaced when any run ends, for Wait
}

type keyState struct {
	timer   Timer
	first   time.Time // first trigger of the pending burst
	pending bool      // a run is due (timer armed or waiting for the running one)
	running bool
	runs    int // finished runs, for Wait
}

// NewDebouncer returns a debouncer with the given quiet period, running run.
func NewDebouncer(delay time.Duration, run func(ctx context.Context, key string) error, logger *slog.Logger) *Debouncer {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Debouncer{Delay: delay, MaxDelay: 10 * delay, Timeout: 5 * time.Minute, Run: run, Logger: logger}
}

func (d *Debouncer) init() {
	if d.keys != nil {
		return
	}
	d.keys = map[string]*keyState{}
	d.ctx, d.cancel = context.WithCancel(context.Background())
	d.done = make(chan struct{})
	if d.AfterFunc == nil {
		d.AfterFunc = func(t time.Duration, f func()) Timer { return time.AfterFunc(t, f) }
	}
	if d.Now == nil {
		d.Now = time.Now
	}
}

// Trigger asks for a run for key after the quiet period. It never blocks.
func (d *Debouncer) Trigger(key string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.init()
	if d.closed {
		return
	}
	k := d.keys[key]
	if k == nil {
		k = &keyState{}
		d.keys[key] = k
	}
	now := d.Now()
	if !k.pending {
		k.pending, k.first = true, now
	}
	if k.running {
		return // the running job re-arms when it ends
	}
	d.arm(key, k, now)
}

// Flush runs key now, without the quiet period, for a user's explicit
// "recompute". When a run is under way, one more follows it as after Trigger.
func (d *Debouncer) Flush(key string) {
	d.mu.Lock()
	d.init()
	if d.closed {
		d.mu.Unlock()
		return
	}
	k := d.keys[key]
	if k == nil {
		k = &keyState{}
		d.keys[key] = k
	}
	if !k.pending {
		k.pending, k.first = true, d.Now()
	}
	if k.timer != nil {
		k.timer.Stop()
		k.timer = nil
	}
	running := k.running
	d.mu.Unlock()
	if !running {
		d.fire(key, k)
	}
}

// arm (re)starts key's timer; d.mu is held.
func (d *Debouncer) arm(key string, k *keyState, now time.Time) {
	if k.timer != nil {
		k.timer.Stop()
	}
	wait := d.Delay
	if d.MaxDelay > 0 {
		if left := k.first.Add(d.MaxDelay).Sub(now); left < wait {
			wait = max(left, 0)
		}
	}
	k.timer = d.AfterFunc(wait, func() { d.fire(key, k) })
}

func (d *Debouncer) fire(key string, k *keyState) {
	d.mu.Lock()
	if d.closed || k.running || !k.pending {
		d.mu.Unlock()
		return
	}
	k.pending, k.running, k.timer = false, true, nil
	d.wg.Add(1)
	ctx := d.ctx
	d.mu.Unlock()
	go d.run(ctx, key, k)
}

func (d *Debouncer) run(ctx context.Context, key string, k *keyState) {
	defer d.wg.Done()
	start := d.Now()
	err := d.safeRun(ctx, key)
	if err != nil {
		d.Logger.Error("background job failed", "key", key, "err", err)
	} else {
		d.Logger.Debug("background job done", "key", key, "took", d.Now().Sub(start))
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	k.running = false
	k.runs++
	close(d.done)
	d.done = make(chan struct{})
	if k.pending && !d.closed {
		d.arm(key, k, d.Now())
	} else if !k.pending {
		delete(d.keys, key)
	}
}

func (d *Debouncer) safeRun(ctx context.Context, key string) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = &panicError{r}
		}
	}()
	if d.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, d.Timeout)
		defer cancel()
	}
	return d.Run(ctx, key)
}

type panicError struct{ v any }

func (p *panicError) Error() string { return "panic in background job: " + slogValue(p.v) }

func slogValue(v any) string { return slog.AnyValue(v).String() }

// Pending reports whether key has a run scheduled or under way.
func (d *Debouncer) Pending(key string) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	k := d.keys[key]
	return k != nil && (k.pending || k.running)
}

// Wait blocks until key has no run scheduled or under way, or ctx ends.
// Tests and the CLI use it; request handlers never wait.
func (d *Debouncer) Wait(ctx context.Context, key string) error {
	for {
		d.mu.Lock()
		d.init()
		k := d.keys[key]
		idle := k == nil || (!k.pending && !k.running)
		done := d.done
		d.mu.Unlock()
		if idle {
			return nil
		}
		select {
		case <-done:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// Close stops scheduling, cancels runs under way and waits for them to end.
func (d *Debouncer) Close() {
	d.mu.Lock()
	d.init()
	d.closed = true
	for _, k := range d.keys {
		if k.timer != nil {
			k.timer.Stop()
		}
	}
	d.cancel()
	d.mu.Unlock()
	d.wg.Wait()
}
