-- Baselines: saved copies of a project's schedule, to measure variance against.
CREATE TABLE baselines (
	id           TEXT PRIMARY KEY,
	workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
	version      INTEGER NOT NULL,
	created_at   TEXT NOT NULL,
	updated_at   TEXT NOT NULL,
	project_id   TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
	name         TEXT NOT NULL
);
CREATE INDEX baselines_project ON baselines (workspace_id, project_id, id);

CREATE TABLE baseline_items (
	baseline_id TEXT NOT NULL REFERENCES baselines (id) ON DELETE CASCADE,
	item_id     TEXT NOT NULL REFERENCES items (id) ON DELETE CASCADE,
	position    INTEGER NOT NULL,
	start_date  TEXT,
	finish_date TEXT,
	PRIMARY KEY (baseline_id, item_id)
);
CREATE INDEX baseline_items_item ON baseline_items (item_id);
