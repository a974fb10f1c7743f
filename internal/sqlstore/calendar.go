package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/tandem-pm/tandem"
)

const calendarColumns = "id, workspace_id, version, created_at, updated_at, name, is_default, week_json, exceptions_json"

func scanCalendar(row interface{ Scan(...any) error }, x *tandem.Calendar) error {
	var def int
	var week, exc []byte
	if err := row.Scan(&x.ID, &x.WorkspaceID, &x.Version, ts{&x.CreatedAt}, ts{&x.UpdatedAt}, &x.Name, &def,
		bytesCol{&week}, bytesCol{&exc}); err != nil {
		return err
	}
	x.Default = def != 0
	if err := json.Unmarshal(week, &x.Week); err != nil {
		return fmt.Errorf("calendar %s: week: %w", x.ID, err)
	}
	if err := json.Unmarshal(exc, &x.Exceptions); err != nil {
		return fmt.Errorf("calendar %s: exceptions: %w", x.ID, err)
	}
	x.Derive()
	return nil
}

func calendarValues(x *tandem.Calendar) (def int, week, exc string, err error) {
	w, err := json.Marshal(x.Week)
	if err != nil {
		return 0, "", "", err
	}
	e, err := json.Marshal(x.Exceptions)
	if err != nil {
		return 0, "", "", err
	}
	if x.Default {
		def = 1
	}
	return def, string(w), string(e), nil
}

func (t *tx) findCalendar(ctx context.Context, ws, id string) (*tandem.Calendar, error) {
	return findByID(ctx, t, "calendar", "calendars", calendarColumns, scanCalendar, ws, id)
}

// FindCalendarByID returns ENotFound when there is no such calendar in the workspace.
func (s *Store) FindCalendarByID(ctx context.Context, ws, id string) (*tandem.Calendar, error) {
	return s.reader(ctx).findCalendar(ctx, ws, id)
}

// FindDefaultCalendar returns the workspace's default calendar, ENotFound when it has none.
func (s *Store) FindDefaultCalendar(ctx context.Context, ws string) (*tandem.Calendar, error) {
	x := &tandem.Calendar{}
	err := scanCalendar(s.reader(ctx).queryRow(ctx, "SELECT "+calendarColumns+" FROM calendars WHERE workspace_id = $1 AND is_default = 1", ws), x)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, tandem.Errorf(tandem.ENotFound, "The workspace has no default calendar.")
	}
	if err != nil {
		return nil, fmt.Errorf("find default calendar: %w", err)
	}
	return x, nil
}

// FindCalendars lists calendars ordered by creation.
func (s *Store) FindCalendars(ctx context.Context, ws string, f tandem.CalendarFilter) ([]*tandem.Calendar, string, error) {
	var w filter
	w.add("workspace_id = %s", ws)
	if strings.TrimSpace(f.Q) != "" {
		w.add(`lower(name) LIKE %s ESCAPE '\'`, likeQ(f.Q))
	}
	tail, err := w.page(f.Page, "id", false)
	if err != nil {
		return nil, "", err
	}
	return findPage(ctx, s.reader(ctx), "calendars", "SELECT "+calendarColumns+" FROM calendars"+w.where()+tail, w.args, f.Page, scanCalendar,
		func(x *tandem.Calendar) string { return x.ID })
}

// clearDefault makes the workspace's default calendar, other than keep, an
// ordinary one, recording the change.
func (t *tx) clearDefault(ctx context.Context, ws, keep string) error {
	side, err := t.sideCalendars(ctx, ws, "SELECT id FROM calendars WHERE workspace_id = $1 AND is_default = 1 AND id <> $2", ws, keep)
	if err != nil {
		return err
	}
	for _, c := range side {
		if _, err := t.exec(ctx, "UPDATE calendars SET is_default = 0, "+bumpSet+"$1 WHERE id = $2", tsv(t.now), c.ID); err != nil {
			return fmt.Errorf("clear default calendar %s: %w", c.ID, err)
		}
		after, err := t.findCalendar(ctx, ws, c.ID)
		if err != nil {
			return err
		}
		if err := t.record(ctx, ws, tandem.EntityCalendar, c.ID, tandem.ActionUpdate, c.Name, c, after); err != nil {
			return err
		}
	}
	return nil
}

func (t *tx) sideCalendars(ctx context.Context, ws, q string, args ...any) ([]*tandem.Calendar, error) {
	rows, err := t.query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("find calendars: %w", err)
	}
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, fmt.Errorf("find calendars: %w", err)
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find calendars: %w", err)
	}
	var out []*tandem.Calendar
	for _, id := range ids {
		c, err := t.findCalendar(ctx, ws, id)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

// CreateCalendar stores c; with Default set, the former default stops being one.
func (s *Store) CreateCalendar(ctx context.Context, ws string, x *tandem.Calendar) error {
	x.Derive()
	if err := x.Validate(); err != nil {
		return err
	}
	return s.inTx(ctx, func(t *tx) error { return t.createCalendar(ctx, ws, x) })
}

// createCalendar stores a derived and validated calendar.
func (t *tx) createCalendar(ctx context.Context, ws string, x *tandem.Calendar) error {
	if err := t.lockWorkspace(ctx, ws); err != nil {
		return err
	}
	x.ID, x.WorkspaceID, x.Version, x.CreatedAt, x.UpdatedAt = tandem.NewID(), ws, 1, t.now, t.now
	if x.Default {
		if err := t.clearDefault(ctx, ws, x.ID); err != nil {
			return err
		}
	}
	def, week, exc, err := calendarValues(x)
	if err != nil {
		return err
	}
	_, err = t.exec(ctx, "INSERT INTO calendars ("+calendarColumns+") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
		x.ID, ws, x.Version, tsv(t.now), tsv(t.now), x.Name, def, week, exc)
	if err != nil {
		return fmt.Errorf("create calendar: %w", t.dbErr(err, "calendar"))
	}
	return t.record(ctx, ws, tandem.EntityCalendar, x.ID, tandem.ActionCreate, x.Name, nil, x)
}

// UpdateCalendar applies upd when version matches the stored one.
func (s *Store) UpdateCalendar(ctx context.Context, ws, id string, upd tandem.CalendarUpdate, version int64) (*tandem.Calendar, error) {
	var x *tandem.Calendar
	err := s.inTx(ctx, func(t *tx) error {
		if err := t.lockWorkspace(ctx, ws); err != nil {
			return err
		}
		before, err := t.findCalendar(ctx, ws, id)
		if err != nil {
			return err
		}
		if err := checkVersion("calendar", id, version, before.Version); err != nil {
			return err
		}
		after := *before
		after.Exceptions = append([]tandem.CalendarException(nil), before.Exceptions...)
		x = &after
		upd.Apply(x)
		x.Derive()
		if err := x.Validate(); err != nil {
			return err
		}
		if x.Default && !before.Default {
			if err := t.clearDefault(ctx, ws, id); err != nil {
				return err
			}
		}
		x.Version, x.UpdatedAt = before.Version+1, t.now
		def, week, exc, err := calendarValues(x)
		if err != nil {
			return err
		}
		res, err := t.exec(ctx, `UPDATE calendars SET version = $1, updated_at = $2, name = $3, is_default = $4, week_json = $5,
			exceptions_json = $6 WHERE id = $7 AND version = $8`,
			x.Version, tsv(t.now), x.Name, def, week, exc, id, before.Version)
		if err != nil {
			return fmt.Errorf("update calendar %s: %w", id, t.dbErr(err, "calendar"))
		}
		if err := updated("calendar", id, res); err != nil {
			return err
		}
		return t.record(ctx, ws, tandem.EntityCalendar, id, tandem.ActionUpdate, x.Name, before, x)
	})
	if err != nil {
		return nil, err
	}
	return x, nil
}

// DeleteCalendar deletes a calendar no project uses.
func (s *Store) DeleteCalendar(ctx context.Context, ws, id string) error {
	return s.inTx(ctx, func(t *tx) error {
		if err := t.lockWorkspace(ctx, ws); err != nil {
			return err
		}
		x, err := t.findCalendar(ctx, ws, id)
		if err != nil {
			return err
		}
		q := "SELECT name FROM projects WHERE workspace_id = $1 AND calendar_id = $2 ORDER BY id"
		if x.Default {
			q = "SELECT name FROM projects WHERE workspace_id = $1 AND (calendar_id = $2 OR calendar_id IS NULL) ORDER BY id"
		}
		names, err := t.strings(ctx, q, ws, id)
		if err != nil {
			return fmt.Errorf("delete calendar %s: %w", id, err)
		}
		if len(names) > 0 {
			shown := names[:min(len(names), 3)]
			more := ""
			if len(names) > 3 {
				more = fmt.Sprintf(" and %d more", len(names)-3)
			}
			how := "Give them another calendar first."
			if x.Default {
				how = "Give them another calendar, or make another calendar the default, first."
			}
			return tandem.Errorf(tandem.EConflict, "The calendar %q is used by %d project(s): %s%s. %s",
				x.Name, len(names), strings.Join(shown, ", "), more, how)
		}
		if _, err := t.exec(ctx, "DELETE FROM calendars WHERE id = $1", id); err != nil {
			return fmt.Errorf("delete calendar %s: %w", id, t.dbErr(err, "calendar"))
		}
		return t.record(ctx, ws, tandem.EntityCalendar, id, tandem.ActionDelete, x.Name, x, nil)
	})
}

// strings returns the first column of q's rows.
func (t *tx) strings(ctx context.Context, q string, args ...any) ([]string, error) {
	rows, err := t.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}
