package http

import (
	"context"
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
// activity records as server-sent events as they are written. One poller
// per workspace (events_hub.go) reads the activity table, not an in-process
// bus, so that a change served by any node of several reaches every node's
// listeners, and hands new records to all of the workspace's streams.

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
	// eventPages bounds the pages (16 rows, then 100) one poll, or one
	// resumed stream's catch-up, reads.
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
	// The workspace's poller (events_hub.go) sends what is written from
	// now on. Join it before reading what a resumed stream missed, so that
	// nothing written in between falls through.
	sub, err := s.subscribeEvents(r.Context(), ws)
	if err != nil {
		if r.Context().Err() != nil {
			return nil
		}
		return err
	}
	defer s.unsubscribeEvents(sub)
	// A resumed stream first replays what came after the event the client
	// saw last (its ID holds the time it was stamped, UUIDv7), at most an
	// hour back. What that read returns, sent or at or before Last-Event-ID
	// (IDs sort by time), is not sent again when the poller finds it too.
	var backlog []*eventRecord
	var known map[string]bool
	if last := r.Header.Get("Last-Event-ID"); tandem.IsID(last) {
		if at, ok := idTime(last); ok && at.After(time.Now().Add(-time.Hour)) {
			recent, err := s.activitySince(r.Context(), ws, at.Add(-eventLag))
			if err != nil {
				return err
			}
			known = make(map[string]bool, len(recent))
			for _, a := range recent {
				known[a.ID] = true
				if a.ID > last {
					backlog = append(backlog, newEventRecord(a))
				}
			}
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
	for _, rec := range backlog {
		fmt.Fprintf(w, "id: %s\nevent: activity\ndata: %s\n\n", rec.ID, rec.Data)
	}
	if err := rc.Flush(); err != nil {
		return nil
	}

	ctx := r.Context()
	end := time.NewTimer(lifetime)
	defer end.Stop()
	idle := time.NewTimer(eventHeartbeat)
	defer idle.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-end.C:
			return nil
		case <-idle.C:
			fmt.Fprint(w, ": keep-alive\n\n")
		case rec, ok := <-sub.C:
			// Write what has come, then flush once.
			for ok {
				if known[rec.ID] {
					delete(known, rec.ID)
				} else {
					fmt.Fprintf(w, "id: %s\nevent: activity\ndata: %s\n\n", rec.ID, rec.Data)
				}
				select {
				case rec, ok = <-sub.C:
					continue
				default:
				}
				break
			}
			if !ok {
				// Dropped for falling behind, or the server is shutting
				// down: end the stream; the client reconnects.
				rc.Flush()
				return nil
			}
		}
		idle.Reset(eventHeartbeat)
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
