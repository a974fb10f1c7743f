-- Working calendars of a workspace (working week, holidays and other
-- exceptions as JSON text), and the calendar a project is scheduled on.
CREATE TABLE calendars (
	id              TEXT PRIMARY KEY,
	workspace_id    TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
	version         INTEGER NOT NULL,
	created_at      TEXT NOT NULL,
	updated_at      TEXT NOT NULL,
	name            TEXT NOT NULL,
	is_default      INTEGER NOT NULL DEFAULT 0,
	week_json       TEXT NOT NULL,
	exceptions_json TEXT NOT NULL
);
CREATE INDEX calendars_workspace ON calendars (workspace_id, id);
CREATE UNIQUE INDEX calendars_one_default ON calendars (workspace_id) WHERE is_default = 1;

ALTER TABLE projects ADD COLUMN calendar_id TEXT REFERENCES calendars (id);
CREATE INDEX projects_calendar ON projects (calendar_id);
