-- Baselines: saved copies of a project's schedule, to measure variance against.
CREATE TABLE baselines (
	id           TEXT COLLATE "C" PRIMARY KEY,
	workspace_id TEXT COLLATE "C" NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
	version      BIGINT NOT NULL,
	created_at   TIMESTAMPTZ NOT NULL,
	updated_at   TIMESTAMPTZ NOT NULL,
	project_id   TEXT COLLATE "C" NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
	name         TEXT NOT NULL
);
CREATE INDEX baselines_project ON baselines (workspace_id, project_id, id);

CREATE TABLE baseline_items (
	baseline_id TEXT COLLATE "C" NOT NULL REFERENCES baselines (id) ON DELETE CASCADE,
	item_id     TEXT COLLATE "C" NOT NULL REFERENCES items (id) ON DELETE CASCADE,
	position    INTEGER NOT NULL,
	start_date  DATE,
	finish_date DATE,
	PRIMARY KEY (baseline_id, item_id)
);
CREATE INDEX baseline_items_item ON baseline_items (item_id);
