package http

import (
	"context"
	"encoding/json"
	"sync"
	"sync/atomic"
	"time"

	"github.com/tandem-pm/tandem"
)

// One activity poller per workspace, shared by the workspace's event
// streams: the first stream of a workspace starts it, it hands each new
// activity record to every stream of the workspace, and it stops when the
// last one leaves. So 200 open tabs on one workspace cost one read of the
// activity table per poll interval, not 200. It still polls the database
// (not an in-process bus), so that a change served by any node of several
// reaches every node's streams.

// eventBuffer is how many records a stream may fall behind its poller
// before it is dropped: its stream ends and the client, reconnecting with
// Last-Event-ID, catches up from the database.
const eventBuffer = 256

// eventHub holds the running pollers, one per workspace with open streams.
type eventHub struct {
	mu      sync.Mutex
	feeds   map[string]*eventFeed // by workspace ID
	stopped bool                  // the server is shutting down: no new feeds
	running sync.WaitGroup        // the pollers' goroutines
	live    atomic.Int32          // how many pollers run (tests read it)
	dropped atomic.Int64          // streams dropped for falling behind
	buffer  int                   // per-stream buffer; 0 means eventBuffer
}

// eventFeed is one workspace's poller and the streams it feeds.
type eventFeed struct {
	ws     string
	subs   map[*eventSub]struct{}
	ctx    context.Context // ends when the last stream leaves, or at shutdown
	cancel context.CancelFunc
	ready  chan struct{} // closed after the first read; err says whether it failed
	err    error
}

// eventSub is one stream's place in a feed. Its channel delivers the
// feed's new records in order and is closed when the stream leaves, falls
// behind, or the server shuts down.
type eventSub struct {
	feed *eventFeed
	C    chan *eventRecord
}

// eventRecord is one activity record ready to send: its data is encoded
// once for all the streams it goes to.
type eventRecord struct {
	ID   string
	Data []byte // a liveEvent as JSON
}

func newEventRecord(a *tandem.Activity) *eventRecord {
	data, _ := json.Marshal(liveEvent{ID: a.ID, At: a.At, ActorID: a.ActorID, ActorName: a.ActorName,
		EntityType: a.EntityType, EntityID: a.EntityID, Action: a.Action, Summary: a.Summary})
	return &eventRecord{ID: a.ID, Data: data}
}

// subscribeEvents adds a stream to workspace ws's feed, starting the feed's
// poller if it is the first. It returns once the poller has made its first
// read, which counts what was written before as already sent: the stream
// receives the records the poller finds after that. After shutdown it
// returns a subscription whose channel is closed.
func (s *Server) subscribeEvents(ctx context.Context, ws string) (*eventSub, error) {
	h := &s.events
	h.mu.Lock()
	if h.stopped {
		h.mu.Unlock()
		sub := &eventSub{feed: &eventFeed{ws: ws}, C: make(chan *eventRecord)}
		close(sub.C)
		return sub, nil
	}
	f := h.feeds[ws]
	if f == nil {
		f = &eventFeed{ws: ws, subs: map[*eventSub]struct{}{}, ready: make(chan struct{})}
		f.ctx, f.cancel = context.WithCancel(context.Background())
		if h.feeds == nil {
			h.feeds = map[string]*eventFeed{}
		}
		h.feeds[ws] = f
		h.running.Add(1)
		h.live.Add(1)
		go s.pollEvents(f)
	}
	size := h.buffer
	if size <= 0 {
		size = eventBuffer
	}
	sub := &eventSub{feed: f, C: make(chan *eventRecord, size)}
	f.subs[sub] = struct{}{}
	h.mu.Unlock()

	select {
	case <-f.ready:
	case <-ctx.Done():
		s.unsubscribeEvents(sub)
		return nil, ctx.Err()
	}
	if f.err != nil {
		h.mu.Lock()
		stopped := h.stopped
		h.mu.Unlock()
		s.unsubscribeEvents(sub)
		if stopped {
			return sub, nil // its channel is closed: the stream ends at once
		}
		return nil, f.err
	}
	return sub, nil
}

// unsubscribeEvents takes a stream out of its feed; the last one out stops
// the poller. It may be called again, and after the stream was dropped.
func (s *Server) unsubscribeEvents(sub *eventSub) {
	s.events.mu.Lock()
	defer s.events.mu.Unlock()
	s.events.removeLocked(sub)
}

// removeLocked takes sub out of its feed and closes its channel, once.
// The caller holds h.mu.
func (h *eventHub) removeLocked(sub *eventSub) {
	f := sub.feed
	if _, ok := f.subs[sub]; !ok {
		return
	}
	delete(f.subs, sub)
	close(sub.C)
	if len(f.subs) == 0 {
		if h.feeds[f.ws] == f {
			delete(h.feeds, f.ws)
		}
		f.cancel()
	}
}

// publish hands recs to every stream of f, in order. A stream whose buffer
// is full is dropped rather than waited for, so that one slow client does
// not hold up the others.
func (s *Server) publish(f *eventFeed, recs []*eventRecord) {
	h := &s.events
	h.mu.Lock()
	defer h.mu.Unlock()
	for sub := range f.subs {
		for _, r := range recs {
			select {
			case sub.C <- r:
				continue
			default:
			}
			h.removeLocked(sub)
			h.dropped.Add(1)
			s.Logger.Info("event stream fell behind; ended it so that it reconnects", "workspace", f.ws)
			break
		}
	}
}

// pollEvents is f's poller. Its first read marks the records in the
// look-back window as seen; then each poll reads eventLag back from the
// previous one and publishes the records it has not seen yet, oldest first.
func (s *Server) pollEvents(f *eventFeed) {
	h := &s.events
	defer h.running.Done()
	defer h.live.Add(-1)
	poll, _ := s.eventTimes()

	watermark := time.Now()
	seen := map[string]time.Time{}
	recent, err := s.activitySince(f.ctx, f.ws, watermark.Add(-eventLag))
	if err != nil {
		// The streams waiting for the first read fail, and a later one
		// starts a new poller.
		h.mu.Lock()
		if h.feeds[f.ws] == f {
			delete(h.feeds, f.ws)
		}
		h.mu.Unlock()
		f.cancel()
		f.err = err
		close(f.ready)
		return
	}
	for _, a := range recent {
		seen[a.ID] = a.At
	}
	close(f.ready)

	tick := time.NewTicker(poll)
	defer tick.Stop()
	for {
		select {
		case <-f.ctx.Done():
			return
		case <-tick.C:
		}
		since, now := watermark.Add(-eventLag), time.Now()
		acts, err := s.activitySince(f.ctx, f.ws, since)
		if err != nil {
			if f.ctx.Err() == nil {
				s.Logger.Warn("event stream: read activity", "workspace", f.ws, "err", err)
			}
			continue // the next poll reads from the same watermark
		}
		watermark = now
		var recs []*eventRecord
		for _, a := range acts {
			if _, ok := seen[a.ID]; ok {
				continue
			}
			seen[a.ID] = a.At
			recs = append(recs, newEventRecord(a))
		}
		for id, at := range seen {
			if at.Before(since.Add(-eventLag)) {
				delete(seen, id)
			}
		}
		if len(recs) > 0 {
			s.publish(f, recs)
		}
	}
}

// stopEvents ends every event stream and poller, so that a graceful
// shutdown need not wait for the streams' lifetime, and waits for the
// pollers to return (up to ctx's deadline).
func (s *Server) stopEvents(ctx context.Context) {
	h := &s.events
	h.mu.Lock()
	h.stopped = true
	for _, f := range h.feeds {
		for sub := range f.subs {
			h.removeLocked(sub)
		}
	}
	h.mu.Unlock()
	done := make(chan struct{})
	go func() {
		h.running.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-ctx.Done():
	}
}
