-- Tandem schema, version 1, for SQLite.
-- Times are UTC text 'YYYY-MM-DDTHH:MM:SS.ffffffZ' (fixed width, so they
-- compare as text); dates are 'YYYY-MM-DD'; money is integer minor units.

CREATE TABLE users (
	id            TEXT PRIMARY KEY,
	email         TEXT NOT NULL UNIQUE, -- normalized: lower case
	name          TEXT NOT NULL,
	password_hash TEXT NOT NULL,
	created_at    TEXT NOT NULL
);

CREATE TABLE workspaces (
	id         TEXT PRIMARY KEY,
	slug       TEXT NOT NULL UNIQUE,
	name       TEXT NOT NULL,
	created_at TEXT NOT NULL
);

CREATE TABLE members (
	workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
	user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	role         TEXT NOT NULL,
	created_at   TEXT NOT NULL,
	PRIMARY KEY (workspace_id, user_id)
);
CREATE INDEX members_user ON members (user_id);

CREATE TABLE sessions (
	id          TEXT PRIMARY KEY,
	secret_hash TEXT NOT NULL UNIQUE,
	user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	created_at  TEXT NOT NULL,
	expires_at  TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE tokens (
	id           TEXT PRIMARY KEY,
	secret_hash  TEXT NOT NULL UNIQUE,
	user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	name         TEXT NOT NULL,
	created_at   TEXT NOT NULL,
	last_used_at TEXT
);
CREATE INDEX tokens_user ON tokens (user_id);

CREATE TABLE goals (
	id           TEXT PRIMARY KEY,
	workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
	version      INTEGER NOT NULL,
	created_at   TEXT NOT NULL,
	updated_at   TEXT NOT NULL,
	parent_id    TEXT REFERENCES goals (id),
	title        TEXT NOT NULL,
	description  TEXT NOT NULL,
	owner_id     TEXT REFERENCES users (id),
	start_date   TEXT,
	due_date     TEXT
);
CREATE INDEX goals_workspace ON goals (workspace_id, id);
CREATE INDEX goals_parent ON goals (parent_id);

CREATE TABLE key_results (
	id            TEXT PRIMARY KEY,
	workspace_id  TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
	version       INTEGER NOT NULL,
	created_at    TEXT NOT NULL,
	updated_at    TEXT NOT NULL,
	goal_id       TEXT NOT NULL REFERENCES goals (id) ON DELETE CASCADE,
	metric        TEXT NOT NULL,
	unit          TEXT NOT NULL,
	baseline      REAL NOT NULL,
	target        REAL NOT NULL,
	current_value REAL, -- the latest-dated measurement's value; NULL = none yet
	direction     TEXT NOT NULL,
	due_date      TEXT
);
CREATE INDEX key_results_workspace ON key_results (workspace_id, id);
CREATE INDEX key_results_goal ON key_results (goal_id);

CREATE TABLE measurements (
	id            TEXT PRIMARY KEY,
	workspace_id  TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
	key_result_id TEXT NOT NULL REFERENCES key_results (id) ON DELETE CASCADE,
	date          TEXT NOT NULL,
	value         REAL NOT NULL,
	note          TEXT NOT NULL,
	created_at    TEXT NOT NULL
);
CREATE INDEX measurements_key_result ON measurements (key_result_id, date);

CREATE TABLE programs (
	id              TEXT PRIMARY KEY,
	workspace_id    TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
	version         INTEGER NOT NULL,
	created_at      TEXT NOT NULL,
	updated_at      TEXT NOT NULL,
	name            TEXT NOT NULL,
	objective       TEXT NOT NULL,
	scope           TEXT NOT NULL,
	sponsor         TEXT NOT NULL,
	manager_id      TEXT REFERENCES users (id),
	status          TEXT NOT NULL,
	health          TEXT NOT NULL,
	health_reason   TEXT NOT NULL,
	start_date      TEXT,
	end_date        TEXT,
	budget_amount   INTEGER NOT NULL,
	budget_currency TEXT NOT NULL
);
CREATE INDEX programs_workspace ON programs (workspace_id, id);

CREATE TABLE projects (
	id              TEXT PRIMARY KEY,
	workspace_id    TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
	version         INTEGER NOT NULL,
	created_at      TEXT NOT NULL,
	updated_at      TEXT NOT NULL,
	program_id      TEXT REFERENCES programs (id),
	name            TEXT NOT NULL,
	description     TEXT NOT NULL,
	manager_id      TEXT REFERENCES users (id),
	status          TEXT NOT NULL,
	health          TEXT NOT NULL,
	health_reason   TEXT NOT NULL,
	start_date      TEXT,
	end_date        TEXT,
	budget_amount   INTEGER NOT NULL,
	budget_currency TEXT NOT NULL
);
CREATE INDEX projects_workspace ON projects (workspace_id, id);
CREATE INDEX projects_program ON projects (program_id);

CREATE TABLE products (
	id           TEXT PRIMARY KEY,
	workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
	version      INTEGER NOT NULL,
	created_at   TEXT NOT NULL,
	updated_at   TEXT NOT NULL,
	name         TEXT NOT NULL,
	vision       TEXT NOT NULL,
	strategy     TEXT NOT NULL,
	owner_id     TEXT REFERENCES users (id)
);
CREATE INDEX products_workspace ON products (workspace_id, id);

CREATE TABLE items (
	id             TEXT PRIMARY KEY,
	workspace_id   TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
	version        INTEGER NOT NULL,
	created_at     TEXT NOT NULL,
	updated_at     TEXT NOT NULL,
	kind           TEXT NOT NULL,
	parent_id      TEXT REFERENCES items (id),
	project_id     TEXT REFERENCES projects (id),
	product_id     TEXT REFERENCES products (id),
	title          TEXT NOT NULL,
	description    TEXT NOT NULL,
	status         TEXT NOT NULL,
	assignee_id    TEXT REFERENCES users (id),
	effort_hours   REAL NOT NULL,
	duration_days  REAL NOT NULL,
	planned_start  TEXT,
	planned_finish TEXT,
	progress       INTEGER NOT NULL
);
CREATE INDEX items_workspace ON items (workspace_id, id);
CREATE INDEX items_parent ON items (parent_id);
CREATE INDEX items_project ON items (project_id);
CREATE INDEX items_product ON items (product_id);
CREATE INDEX items_assignee ON items (assignee_id);

-- Alignments of programs, products and items to goals.
CREATE TABLE goal_links (
	entity_type  TEXT NOT NULL,
	entity_id    TEXT NOT NULL,
	goal_id      TEXT NOT NULL REFERENCES goals (id) ON DELETE CASCADE,
	workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
	PRIMARY KEY (entity_type, entity_id, goal_id)
);
CREATE INDEX goal_links_goal ON goal_links (goal_id, entity_type);

CREATE TABLE dependencies (
	id             TEXT PRIMARY KEY,
	workspace_id   TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
	version        INTEGER NOT NULL,
	created_at     TEXT NOT NULL,
	updated_at     TEXT NOT NULL,
	predecessor_id TEXT NOT NULL REFERENCES items (id) ON DELETE CASCADE,
	successor_id   TEXT NOT NULL REFERENCES items (id) ON DELETE CASCADE,
	type           TEXT NOT NULL,
	lag_days       REAL NOT NULL,
	UNIQUE (predecessor_id, successor_id)
);
CREATE INDEX dependencies_workspace ON dependencies (workspace_id, id);
CREATE INDEX dependencies_successor ON dependencies (successor_id);

CREATE TABLE comments (
	id           TEXT PRIMARY KEY,
	workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
	version      INTEGER NOT NULL,
	created_at   TEXT NOT NULL,
	updated_at   TEXT NOT NULL,
	entity_type  TEXT NOT NULL,
	entity_id    TEXT NOT NULL,
	author_id    TEXT NOT NULL REFERENCES users (id),
	body         TEXT NOT NULL
);
CREATE INDEX comments_entity ON comments (workspace_id, entity_type, entity_id, id);
CREATE INDEX comments_workspace ON comments (workspace_id, id);

-- The audit log. actor_id is not a foreign key: the log outlives what it names.
CREATE TABLE activity (
	id           TEXT PRIMARY KEY,
	workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
	actor_id     TEXT,
	at           TEXT NOT NULL,
	entity_type  TEXT NOT NULL,
	entity_id    TEXT NOT NULL,
	action       TEXT NOT NULL,
	summary      TEXT NOT NULL,
	before_json  TEXT,
	after_json   TEXT
);
CREATE INDEX activity_workspace ON activity (workspace_id, id);
CREATE INDEX activity_entity ON activity (workspace_id, entity_type, entity_id, id);
CREATE INDEX activity_actor ON activity (workspace_id, actor_id, id);
