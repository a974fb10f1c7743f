-- Tandem schema, version 1, for PostgreSQL.
-- IDs are UUIDv7 text with the "C" collation, so that they sort by creation
-- byte by byte; times are timestamptz; dates are date; money is integer
-- minor units.

CREATE TABLE users (
	id            TEXT COLLATE "C" PRIMARY KEY,
	email         TEXT NOT NULL UNIQUE, -- normalized: lower case
	name          TEXT NOT NULL,
	password_hash TEXT NOT NULL,
	created_at    TIMESTAMPTZ NOT NULL
);

CREATE TABLE workspaces (
	id         TEXT COLLATE "C" PRIMARY KEY,
	slug       TEXT NOT NULL UNIQUE,
	name       TEXT NOT NULL,
	created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE members (
	workspace_id TEXT COLLATE "C" NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
	user_id      TEXT COLLATE "C" NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	role         TEXT NOT NULL,
	created_at   TIMESTAMPTZ NOT NULL,
	PRIMARY KEY (workspace_id, user_id)
);
CREATE INDEX members_user ON members (user_id);

CREATE TABLE sessions (
	id          TEXT COLLATE "C" PRIMARY KEY,
	secret_hash TEXT NOT NULL UNIQUE,
	user_id     TEXT COLLATE "C" NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	created_at  TIMESTAMPTZ NOT NULL,
	expires_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE tokens (
	id           TEXT COLLATE "C" PRIMARY KEY,
	secret_hash  TEXT NOT NULL UNIQUE,
	user_id      TEXT COLLATE "C" NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	name         TEXT NOT NULL,
	created_at   TIMESTAMPTZ NOT NULL,
	last_used_at TIMESTAMPTZ
);
CREATE INDEX tokens_user ON tokens (user_id);

CREATE TABLE goals (
	id           TEXT COLLATE "C" PRIMARY KEY,
	workspace_id TEXT COLLATE "C" NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
	version      BIGINT NOT NULL,
	created_at   TIMESTAMPTZ NOT NULL,
	updated_at   TIMESTAMPTZ NOT NULL,
	parent_id    TEXT COLLATE "C" REFERENCES goals (id),
	title        TEXT NOT NULL,
	description  TEXT NOT NULL,
	owner_id     TEXT COLLATE "C" REFERENCES users (id),
	start_date   DATE,
	due_date     DATE
);
CREATE INDEX goals_workspace ON goals (workspace_id, id);
CREATE INDEX goals_parent ON goals (parent_id);

CREATE TABLE key_results (
	id            TEXT COLLATE "C" PRIMARY KEY,
	workspace_id  TEXT COLLATE "C" NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
	version       BIGINT NOT NULL,
	created_at    TIMESTAMPTZ NOT NULL,
	updated_at    TIMESTAMPTZ NOT NULL,
	goal_id       TEXT COLLATE "C" NOT NULL REFERENCES goals (id) ON DELETE CASCADE,
	metric        TEXT NOT NULL,
	unit          TEXT NOT NULL,
	baseline      DOUBLE PRECISION NOT NULL,
	target        DOUBLE PRECISION NOT NULL,
	current_value DOUBLE PRECISION, -- the latest-dated measurement's value; NULL = none yet
	direction     TEXT NOT NULL,
	due_date      DATE
);
CREATE INDEX key_results_workspace ON key_results (workspace_id, id);
CREATE INDEX key_results_goal ON key_results (goal_id);

CREATE TABLE measurements (
	id            TEXT COLLATE "C" PRIMARY KEY,
	workspace_id  TEXT COLLATE "C" NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
	key_result_id TEXT COLLATE "C" NOT NULL REFERENCES key_results (id) ON DELETE CASCADE,
	date          DATE NOT NULL,
	value         DOUBLE PRECISION NOT NULL,
	note          TEXT NOT NULL,
	created_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX measurements_key_result ON measurements (key_result_id, date);

CREATE TABLE programs (
	id              TEXT COLLATE "C" PRIMARY KEY,
	workspace_id    TEXT COLLATE "C" NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
	version         BIGINT NOT NULL,
	created_at      TIMESTAMPTZ NOT NULL,
	updated_at      TIMESTAMPTZ NOT NULL,
	name            TEXT NOT NULL,
	objective       TEXT NOT NULL,
	scope           TEXT NOT NULL,
	sponsor         TEXT NOT NULL,
	manager_id      TEXT COLLATE "C" REFERENCES users (id),
	status          TEXT NOT NULL,
	health          TEXT NOT NULL,
	health_reason   TEXT NOT NULL,
	start_date      DATE,
	end_date        DATE,
	budget_amount   BIGINT NOT NULL,
	budget_currency TEXT NOT NULL
);
CREATE INDEX programs_workspace ON programs (workspace_id, id);

CREATE TABLE projects (
	id              TEXT COLLATE "C" PRIMARY KEY,
	workspace_id    TEXT COLLATE "C" NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
	version         BIGINT NOT NULL,
	created_at      TIMESTAMPTZ NOT NULL,
	updated_at      TIMESTAMPTZ NOT NULL,
	program_id      TEXT COLLATE "C" REFERENCES programs (id),
	name            TEXT NOT NULL,
	description     TEXT NOT NULL,
	manager_id      TEXT COLLATE "C" REFERENCES users (id),
	status          TEXT NOT NULL,
	health          TEXT NOT NULL,
	health_reason   TEXT NOT NULL,
	start_date      DATE,
	end_date        DATE,
	budget_amount   BIGINT NOT NULL,
	budget_currency TEXT NOT NULL
);
CREATE INDEX projects_workspace ON projects (workspace_id, id);
CREATE INDEX projects_program ON projects (program_id);

CREATE TABLE products (
	id           TEXT COLLATE "C" PRIMARY KEY,
	workspace_id TEXT COLLATE "C" NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
	version      BIGINT NOT NULL,
	created_at   TIMESTAMPTZ NOT NULL,
	updated_at   TIMESTAMPTZ NOT NULL,
	name         TEXT NOT NULL,
	vision       TEXT NOT NULL,
	strategy     TEXT NOT NULL,
	owner_id     TEXT COLLATE "C" REFERENCES users (id)
);
CREATE INDEX products_workspace ON products (workspace_id, id);

CREATE TABLE items (
	id             TEXT COLLATE "C" PRIMARY KEY,
	workspace_id   TEXT COLLATE "C" NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
	version        BIGINT NOT NULL,
	created_at     TIMESTAMPTZ NOT NULL,
	updated_at     TIMESTAMPTZ NOT NULL,
	kind           TEXT NOT NULL,
	parent_id      TEXT COLLATE "C" REFERENCES items (id),
	project_id     TEXT COLLATE "C" REFERENCES projects (id),
	product_id     TEXT COLLATE "C" REFERENCES products (id),
	title          TEXT NOT NULL,
	description    TEXT NOT NULL,
	status         TEXT NOT NULL,
	assignee_id    TEXT COLLATE "C" REFERENCES users (id),
	effort_hours   DOUBLE PRECISION NOT NULL,
	duration_days  DOUBLE PRECISION NOT NULL,
	planned_start  DATE,
	planned_finish DATE,
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
	entity_id    TEXT COLLATE "C" NOT NULL,
	goal_id      TEXT COLLATE "C" NOT NULL REFERENCES goals (id) ON DELETE CASCADE,
	workspace_id TEXT COLLATE "C" NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
	PRIMARY KEY (entity_type, entity_id, goal_id)
);
CREATE INDEX goal_links_goal ON goal_links (goal_id, entity_type);

CREATE TABLE dependencies (
	id             TEXT COLLATE "C" PRIMARY KEY,
	workspace_id   TEXT COLLATE "C" NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
	version        BIGINT NOT NULL,
	created_at     TIMESTAMPTZ NOT NULL,
	updated_at     TIMESTAMPTZ NOT NULL,
	predecessor_id TEXT COLLATE "C" NOT NULL REFERENCES items (id) ON DELETE CASCADE,
	successor_id   TEXT COLLATE "C" NOT NULL REFERENCES items (id) ON DELETE CASCADE,
	type           TEXT NOT NULL,
	lag_days       DOUBLE PRECISION NOT NULL,
	UNIQUE (predecessor_id, successor_id)
);
CREATE INDEX dependencies_workspace ON dependencies (workspace_id, id);
CREATE INDEX dependencies_successor ON dependencies (successor_id);

CREATE TABLE comments (
	id           TEXT COLLATE "C" PRIMARY KEY,
	workspace_id TEXT COLLATE "C" NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
	version      BIGINT NOT NULL,
	created_at   TIMESTAMPTZ NOT NULL,
	updated_at   TIMESTAMPTZ NOT NULL,
	entity_type  TEXT NOT NULL,
	entity_id    TEXT COLLATE "C" NOT NULL,
	author_id    TEXT COLLATE "C" NOT NULL REFERENCES users (id),
	body         TEXT NOT NULL
);
CREATE INDEX comments_entity ON comments (workspace_id, entity_type, entity_id, id);
CREATE INDEX comments_workspace ON comments (workspace_id, id);

-- The audit log. actor_id is not a foreign key: the log outlives what it names.
CREATE TABLE activity (
	id           TEXT COLLATE "C" PRIMARY KEY,
	workspace_id TEXT COLLATE "C" NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
	actor_id     TEXT COLLATE "C",
	at           TIMESTAMPTZ NOT NULL,
	entity_type  TEXT NOT NULL,
	entity_id    TEXT COLLATE "C" NOT NULL,
	action       TEXT NOT NULL,
	summary      TEXT NOT NULL,
	before_json  JSONB,
	after_json   JSONB
);
CREATE INDEX activity_workspace ON activity (workspace_id, id);
CREATE INDEX activity_entity ON activity (workspace_id, entity_type, entity_id, id);
CREATE INDEX activity_actor ON activity (workspace_id, actor_id, id);
