package http

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/tandem-pm/tandem"
)

// Live updates: GET /api/v1/workspaces/{ws}/events streams the workspace's
// activity records as server-sent events as they are written. The stream
// polls the activity table, not an in-process bus, so that a change served
// by any node of several reaches every node's listeners.

// Defaults of the event stream; Server fields override them.
const (
	defaultEventPoll     = time.Second
	defaultEventLifetime = 5 * time.Minute
	// eventHeartbeat keeps proxies from closing an idle stream.
	eventHeartbeat = 15 * time.Second
	// eventLag is how far back each poll looks again: activity IDs are
	// sortable by the time the writing node stamped them, and a transaction
	// may commit a little after a later-stamped one, on another node.
	eventLag = 10 * time.Second
	// eventPages bounds the pages (16 rows, then 100) one poll reads.
	eventPages = 10
)

// liveEvent is one event's data: an activity record without its before and
// after copies (read those from GET .../activity when needed).
type liveEvent struct {
	ID         string    `json:"id"`
	At         time.Time `json:"at"`
	ActorID    string    `json:"actor_id"`
	ActorName  string    `json:"actor_name"`
	EntityType string    `json:"entity_type"`
	EntityID   string    `json:"entity_id"`
	Action     string    `json:"action"`
	Summary    string    `json:"summary"`
}

func (s *Server) eventEndpoints() []endpoint {
	return []endpoint{
		{route: route{Method: "GET", Pattern: "/api/v1/workspaces/{ws}/events", Perm: tandem.PermRead, Handle: s.handleAPIEvents},
			ID: "streamEvents", Summary: "Server-sent events (text/event-stream): one 'activity' event per change as it is written; " +
				"resumes after the Last-Event-ID header; the stream ends after a few minutes and the client reconnects",
			Tag: "activity", Resp: reflect.TypeFor[liveEvent](), Stream: true, Status: 200},
	}
}

func (s *Server) eventTimes() (poll, lifetime time.Duration) {
	poll, lifetime = s.EventPoll, s.EventLifetime
	if poll <= 0 {
		poll = defaultEventPoll
	}
	if lifetime <= 0 {
		lifetime = defaultEventLifetime
	}
	return poll, lifetime
}

func (s *Server) handleAPIEvents(w http.ResponseWriter, r *http.Request, rq *request) error {
	ws := rq.Workspace.ID
	poll, lifetime := s.eventTimes()
	// Where to start: after the event the client saw last (its ID holds the
	// time it was stamped, UUIDv7), at most an hour back; or now.
	watermark, upTo := time.Now(), ""
	if last := r.Header.Get("Last-Event-ID"); tandem.IsID(last) {
		if at, ok := idTime(last); ok && at.After(time.Now().Add(-time.Hour)) {
			watermark, upTo = at, last
		}
	}
	// Each poll looks eventLag back; what is in that window already counts
	// as seen: everything on a new stream, what is not after Last-Event-ID
	// on a resumed one (IDs sort by time).
	seen := map[string]time.Time{}
	recent, err := s.activitySince(r.Context(), ws, watermark.Add(-eventLag))
	if err != nil {
		return err
	}
	for _, a := range recent {
		if upTo == "" && !a.At.After(watermark) || upTo != "" && a.ID <= upTo {
			seen[a.ID] = a.At
		}
	}
	rc := http.NewResponseController(w)
	// The server's write timeout would cut the stream; its lifetime bounds it instead.
	if err := rc.SetWriteDeadline(time.Now().Add(lifetime + time.Minute)); err != nil {
		return tandem.Errorf(tandem.EInternal, "event stream: %v", err)
	}
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no") // nginx: do not buffer the stream
	w.WriteHeader(http.StatusOK)
	fmt.Fprintf(w, "retry: %d\n\n", (2 * poll).Milliseconds())
	if err := rc.Flush(); err != nil {
		return nil
	}

	ctx := r.Context()
	end := time.NewTimer(lifetime)
	defer end.Stop()
	tick := time.NewTicker(poll)
	defer tick.Stop()
	lastWrite := time.Now()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-s.eventsDone():
			return nil
		case <-end.C:
			return nil
		case <-tick.C:
		}
		since := watermark.Add(-eventLag)
		watermark = time.Now()
		acts, err := s.activitySince(ctx, ws, since)
		if err != nil {
			if ctx.Err() == nil {
				s.Logger.Warn("event stream: read activity", "workspace", ws, "err", err)
			}
			continue
		}
		for _, a := range acts {
			if _, ok := seen[a.ID]; ok {
				continue
			}
			seen[a.ID] = a.At
			data, _ := json.Marshal(liveEvent{ID: a.ID, At: a.At, ActorID: a.ActorID, ActorName: a.ActorName,
				EntityType: a.EntityType, EntityID: a.EntityID, Action: a.Action, Summary: a.Summary})
			fmt.Fprintf(w, "id: %s\nevent: activity\ndata: %s\n\n", a.ID, data)
			lastWrite = time.Now()
		}
		for id, at := range seen {
			if at.Before(since.Add(-eventLag)) {
				delete(seen, id)
			}
		}
		if time.Since(lastWrite) >= eventHeartbeat {
			fmt.Fprint(w, ": keep-alive\n\n")
			lastWrite = time.Now()
		}
		if err := rc.Flush(); err != nil {
			return nil // the client went away
		}
	}
}

// idTime returns the time a UUIDv7 was made: its first 48 bits count
// milliseconds since 1970.
func idTime(id string) (time.Time, bool) {
	hex := strings.ReplaceAll(id, "-", "")
	if len(hex) != 32 || hex[12] != '7' {
		return time.Time{}, false
	}
	ms, err := strconv.ParseInt(hex[:12], 16, 64)
	if err != nil {
		return time.Time{}, false
	}
	return time.UnixMilli(ms), true
}

// activitySince returns the activity stamped at or after since, oldest first.
func (s *Server) activitySince(ctx context.Context, ws string, since time.Time) ([]*tandem.Activity, error) {
	var out []*tandem.Activity
	// Most polls find nothing new: a small first page keeps them cheap
	// (the rows carry their before/after copies).
	f := tandem.ActivityFilter{Page: tandem.Page{Limit: 16}}
	for range eventPages {
		acts, next, err := s.Store.FindActivity(ctx, ws, f)
		if err != nil {
			return nil, err
		}
		done := next == ""
		for _, a := range acts {
			if a.At.Before(since) {
				done = true
				break
			}
			out = append(out, a)
		}
		if done {
			break
		}
		f.Cursor, f.Limit = next, 100
	}
	slices.Reverse(out)
	return out, nil
}

// eventsDone is closed when the server shuts down, ending every stream.
func (s *Server) eventsDone() <-chan struct{} {
	s.eventsOnce.Do(func() { s.eventsStop = make(chan struct{}) })
	return s.eventsStop
}

// stopEvents ends the event streams, so that a graceful shutdown need not
// wait for their lifetime.
func (s *Server) stopEvents() {
	done := s.eventsDone()
	s.eventsMu.Lock()
	defer s.eventsMu.Unlock()
	select {
	case <-done:
	default:
		close(s.eventsStop)
	}
}
