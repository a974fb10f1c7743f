package client

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"net/http"
	"strings"
	"time"
)

// Event is one change in a workspace, from its live event stream.
type Event struct {
	ID         string    `json:"id"` // the activity record's ID; pass it as lastID to resume
	At         time.Time `json:"at"`
	ActorID    string    `json:"actor_id"`
	ActorName  string    `json:"actor_name"`
	EntityType string    `json:"entity_type"`
	EntityID   string    `json:"entity_id"`
	Action     string    `json:"action"`
	Summary    string    `json:"summary"`
}

// Events streams the changes of workspace ws as they are written (GET
// .../events, server-sent events), starting after the event lastID ("" for
// changes from now on). The sequence ends when ctx ends, when the server
// closes the stream (after a few minutes: call Events again with the last
// ID seen), or with an error as its last element.
func (c *Client) Events(ctx context.Context, ws, lastID string) iter.Seq2[Event, error] {
	return func(yield func(Event, error) bool) {
		req, err := http.NewRequestWithContext(ctx, "GET", c.base+wsPath(ws, "events"), nil)
		if err != nil {
			yield(Event{}, err)
			return
		}
		req.Header.Set("Accept", "text/event-stream")
		req.Header.Set("User-Agent", c.agent)
		if c.token != "" {
			req.Header.Set("Authorization", "Bearer "+c.token)
		}
		if lastID != "" {
			req.Header.Set("Last-Event-ID", lastID)
		}
		// The client's overall timeout would cut a stream; ctx bounds it.
		hc := *c.hc
		hc.Timeout = 0
		resp, err := hc.Do(req)
		if err != nil {
			if ctx.Err() == nil {
				yield(Event{}, err)
			}
			return
		}
		defer resp.Body.Close()
		if resp.StatusCode >= 400 {
			yield(Event{}, readError(resp))
			return
		}
		sc := bufio.NewScanner(resp.Body)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		var kind, data string
		for sc.Scan() {
			line := sc.Text()
			switch {
			case line == "":
				if kind == "activity" && data != "" {
					var ev Event
					if err := json.Unmarshal([]byte(data), &ev); err != nil {
						yield(Event{}, fmt.Errorf("event stream of %s: %w", ws, err))
						return
					}
					if !yield(ev, nil) {
						return
					}
				}
				kind, data = "", ""
			case strings.HasPrefix(line, "event:"):
				kind = strings.TrimSpace(strings.TrimPrefix(line, "event:"))
			case strings.HasPrefix(line, "data:"):
				data += strings.TrimPrefix(strings.TrimPrefix(line, "data:"), " ")
			}
		}
		if err := sc.Err(); err != nil && ctx.Err() == nil {
			yield(Event{}, fmt.Errorf("event stream of %s: %w", ws, err))
		}
	}
}
