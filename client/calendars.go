package client

import (
	"context"

	"github.com/tandem-pm/tandem"
)

var _ tandem.CalendarService = (*Client)(nil)

// FindCalendarByID returns one working calendar of workspace ws (ID or slug).
func (c *Client) FindCalendarByID(ctx context.Context, ws, id string) (*tandem.Calendar, error) {
	return get[tandem.Calendar](ctx, c, wsPath(ws, "calendars", id))
}

// FindCalendars returns one page of calendars and the cursor of the next page ("" after the last).
func (c *Client) FindCalendars(ctx context.Context, ws string, f tandem.CalendarFilter) ([]*tandem.Calendar, string, error) {
	return list[tandem.Calendar](ctx, c, wsPath(ws, "calendars"), f)
}

// FindDefaultCalendar returns the workspace's default calendar, or an
// error with code tandem.ENotFound when it has none. It reads every page
// of the list: workspaces have few calendars.
func (c *Client) FindDefaultCalendar(ctx context.Context, ws string) (*tandem.Calendar, error) {
	f := tandem.CalendarFilter{Page: tandem.Page{Limit: tandem.MaxLimit}}
	for {
		xs, next, err := c.FindCalendars(ctx, ws, f)
		if err != nil {
			return nil, err
		}
		for _, x := range xs {
			if x.Default {
				return x, nil
			}
		}
		if next == "" {
			return nil, tandem.Errorf(tandem.ENotFound, "The workspace has no default calendar.")
		}
		f.Cursor = next
	}
}

// CreateCalendar stores x and fills in what the server assigned (ID, version, times, hours per day).
func (c *Client) CreateCalendar(ctx context.Context, ws string, x *tandem.Calendar) error {
	return create(ctx, c, wsPath(ws, "calendars"), x)
}

// UpdateCalendar sends the set fields of upd as a merge patch (an
// exceptions list replaces the stored one); a version other than 0 is sent
// as If-Match.
func (c *Client) UpdateCalendar(ctx context.Context, ws, id string, upd tandem.CalendarUpdate, version int64) (*tandem.Calendar, error) {
	return patch[tandem.Calendar](ctx, c, wsPath(ws, "calendars", id), upd, version)
}

// DeleteCalendar deletes one; tandem.EConflict while a project uses it.
func (c *Client) DeleteCalendar(ctx context.Context, ws, id string) error {
	return del(ctx, c, wsPath(ws, "calendars", id))
}

// PatchCalendar sends a merge patch as it is, e.g. {"week": {"friday": "09:00-13:00"}}.
func (c *Client) PatchCalendar(ctx context.Context, ws, id string, p map[string]any, version int64) (*tandem.Calendar, error) {
	return patch[tandem.Calendar](ctx, c, wsPath(ws, "calendars", id), p, version)
}
