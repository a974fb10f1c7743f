-- Leases on background jobs, so that one server node at a time runs a job
-- (e.g. "themes:<workspace id>") when several nodes share one database.
-- A row is held by holder until expires_at; an expired row may be taken.
CREATE TABLE job_leases (
	name       TEXT COLLATE "C" PRIMARY KEY,
	holder     TEXT NOT NULL,
	expires_at TIMESTAMPTZ NOT NULL
);
