-- Tandem schema, version 2, for PostgreSQL: the voice of the customer.
-- Feedback, ideas and their votes, interviews and highlights, the themes the
-- insight engine extracts, and evidence linking them to items. Lists of
-- strings (tags, keyphrases) are JSON arrays in text columns.

CREATE TABLE themes (
	id           TEXT COLLATE "C" PRIMARY KEY,
	workspace_id TEXT COLLATE "C" NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
	version      BIGINT NOT NULL,
	created_at   TIMESTAMPTZ NOT NULL,
	updated_at   TIMESTAMPTZ NOT NULL,
	label        TEXT NOT NULL,
	summary      TEXT NOT NULL,
	keyphrases   TEXT NOT NULL, -- JSON array
	size         INTEGER NOT NULL,
	negative     INTEGER NOT NULL,
	neutral      INTEGER NOT NULL,
	positive     INTEGER NOT NULL,
	emerging     BOOLEAN NOT NULL,
	quote_ids    TEXT NOT NULL, -- JSON array of feedback IDs
	trend        TEXT NOT NULL, -- JSON array: feedback per week, oldest first
	trend_start  DATE
);
CREATE INDEX themes_workspace ON themes (workspace_id, size);

CREATE TABLE feedback (
	id               TEXT COLLATE "C" PRIMARY KEY,
	workspace_id     TEXT COLLATE "C" NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
	version          BIGINT NOT NULL,
	created_at       TIMESTAMPTZ NOT NULL,
	updated_at       TIMESTAMPTZ NOT NULL,
	body             TEXT NOT NULL,
	source           TEXT NOT NULL,
	customer_name    TEXT NOT NULL,
	customer_email   TEXT NOT NULL,
	account          TEXT NOT NULL,
	account_tier     TEXT NOT NULL,
	revenue_amount   BIGINT NOT NULL,
	revenue_currency TEXT NOT NULL,
	received_on      DATE,
	tags             TEXT NOT NULL, -- JSON array
	sentiment_score  DOUBLE PRECISION NOT NULL,
	sentiment_label  TEXT NOT NULL,
	theme_id         TEXT COLLATE "C" REFERENCES themes (id) ON DELETE SET NULL
);
CREATE INDEX feedback_workspace ON feedback (workspace_id, id);
CREATE INDEX feedback_theme ON feedback (theme_id);
CREATE INDEX feedback_account ON feedback (workspace_id, account);

CREATE TABLE ideas (
	id              TEXT COLLATE "C" PRIMARY KEY,
	workspace_id    TEXT COLLATE "C" NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
	version         BIGINT NOT NULL,
	created_at      TIMESTAMPTZ NOT NULL,
	updated_at      TIMESTAMPTZ NOT NULL,
	product_id      TEXT COLLATE "C" REFERENCES products (id) ON DELETE SET NULL,
	title           TEXT NOT NULL,
	description     TEXT NOT NULL,
	status          TEXT NOT NULL,
	submitter_name  TEXT NOT NULL,
	submitter_email TEXT NOT NULL,
	votes           INTEGER NOT NULL, -- COUNT of idea_votes, kept in step
	merged_into_id  TEXT COLLATE "C" REFERENCES ideas (id) ON DELETE SET NULL,
	item_id         TEXT COLLATE "C" REFERENCES items (id) ON DELETE SET NULL,
	public          BOOLEAN NOT NULL
);
CREATE INDEX ideas_workspace ON ideas (workspace_id, id);
CREATE INDEX ideas_merged_into ON ideas (merged_into_id);
CREATE INDEX ideas_item ON ideas (item_id);
CREATE INDEX ideas_product ON ideas (product_id);

-- One vote per voter (an email or a user ID) and idea.
CREATE TABLE idea_votes (
	idea_id    TEXT COLLATE "C" NOT NULL REFERENCES ideas (id) ON DELETE CASCADE,
	voter      TEXT NOT NULL,
	created_at TIMESTAMPTZ NOT NULL,
	PRIMARY KEY (idea_id, voter)
);

CREATE TABLE interviews (
	id           TEXT COLLATE "C" PRIMARY KEY,
	workspace_id TEXT COLLATE "C" NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
	version      BIGINT NOT NULL,
	created_at   TIMESTAMPTZ NOT NULL,
	updated_at   TIMESTAMPTZ NOT NULL,
	title        TEXT NOT NULL,
	participant  TEXT NOT NULL,
	account      TEXT NOT NULL,
	held_on      DATE,
	format       TEXT NOT NULL,
	transcript   TEXT NOT NULL
);
CREATE INDEX interviews_workspace ON interviews (workspace_id, id);

CREATE TABLE highlights (
	id           TEXT COLLATE "C" PRIMARY KEY,
	workspace_id TEXT COLLATE "C" NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
	version      BIGINT NOT NULL,
	created_at   TIMESTAMPTZ NOT NULL,
	updated_at   TIMESTAMPTZ NOT NULL,
	interview_id TEXT COLLATE "C" NOT NULL REFERENCES interviews (id) ON DELETE CASCADE,
	start_offset INTEGER NOT NULL, -- byte offsets into the transcript
	end_offset   INTEGER NOT NULL,
	quote        TEXT NOT NULL,
	tags         TEXT NOT NULL, -- JSON array
	note         TEXT NOT NULL
);
CREATE INDEX highlights_interview ON highlights (interview_id, start_offset);

-- Evidence links an item to exactly one of feedback, theme, idea, highlight.
CREATE TABLE evidence (
	id           TEXT COLLATE "C" PRIMARY KEY,
	workspace_id TEXT COLLATE "C" NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
	version      BIGINT NOT NULL,
	created_at   TIMESTAMPTZ NOT NULL,
	updated_at   TIMESTAMPTZ NOT NULL,
	item_id      TEXT COLLATE "C" NOT NULL REFERENCES items (id) ON DELETE CASCADE,
	feedback_id  TEXT COLLATE "C" REFERENCES feedback (id) ON DELETE CASCADE,
	theme_id     TEXT COLLATE "C" REFERENCES themes (id) ON DELETE CASCADE,
	idea_id      TEXT COLLATE "C" REFERENCES ideas (id) ON DELETE CASCADE,
	highlight_id TEXT COLLATE "C" REFERENCES highlights (id) ON DELETE CASCADE,
	note         TEXT NOT NULL
);
CREATE INDEX evidence_item ON evidence (item_id, id);
CREATE INDEX evidence_feedback ON evidence (feedback_id);
CREATE INDEX evidence_theme ON evidence (theme_id);
CREATE INDEX evidence_idea ON evidence (idea_id);
CREATE INDEX evidence_highlight ON evidence (highlight_id);
