-- inc database schema, version 1: the incident, its audit trail, tasks,
-- holds, escalations fired, round-robin rotation and settings.
-- Applied by lib/db.c to a new database; each later file in this folder
-- takes the database one version on (PRAGMA user_version). Never edit a
-- file once released: add the next one. Times are integer epoch seconds.

CREATE TABLE incident (
	id                 INTEGER PRIMARY KEY AUTOINCREMENT,	-- never reused
	subject            TEXT NOT NULL,
	description        TEXT,
	requester          TEXT,
	source             TEXT,
	category           TEXT,
	subcategory        TEXT,
	impact             TEXT,
	urgency            TEXT,
	priority           TEXT,
	status             TEXT NOT NULL DEFAULT 'new',
	grp                TEXT,
	assignee           TEXT,
	major              INTEGER NOT NULL DEFAULT 0,
	-- fields given explicitly at logging (bit per field, see INC_EXPLICIT_*):
	-- classification leaves them alone unless forced
	explicit           INTEGER NOT NULL DEFAULT 0,
	sla_policy         TEXT,
	response_due       INTEGER,
	resolve_due        INTEGER,
	responded_at       INTEGER,
	response_met       INTEGER,
	resolve_met        INTEGER,
	paused_s           INTEGER,
	sla_state          TEXT,
	-- SLA bookkeeping: state reported by the last inc-sla run per target,
	-- start of the current hold, the next instant the state can change,
	-- and the `now` of the last inc-sla pass over the incident (a delayed
	-- escalation rule that came due after it is still to be reported)
	sla_response_state TEXT,
	sla_resolve_state  TEXT,
	hold_since         INTEGER,
	sla_next_check     INTEGER,
	sla_checked_at     INTEGER,
	escalation_level   INTEGER NOT NULL DEFAULT 0,
	reassignment_count INTEGER NOT NULL DEFAULT 0,
	reopen_count       INTEGER NOT NULL DEFAULT 0,
	resolution         TEXT,
	resolution_type    TEXT,
	closure_code       TEXT,
	rating             INTEGER,
	feedback           TEXT,
	links              TEXT NOT NULL DEFAULT '[]',
	external_id        TEXT UNIQUE,
	custom             TEXT NOT NULL DEFAULT '{}',
	created_at         INTEGER NOT NULL,
	updated_at         INTEGER NOT NULL,
	resolved_at        INTEGER,
	closed_at          INTEGER,
	-- KPI facts that later changes must not erase
	first_assignee     TEXT,
	first_group        TEXT,
	escalated          INTEGER NOT NULL DEFAULT 0,
	ever_resolved      INTEGER NOT NULL DEFAULT 0
);

CREATE INDEX incident_status ON incident(status);
CREATE INDEX incident_created ON incident(created_at);
CREATE INDEX incident_group ON incident(grp, status);
CREATE INDEX incident_assignee ON incident(assignee, status);
CREATE INDEX incident_sla_next ON incident(sla_next_check) WHERE sla_next_check IS NOT NULL;
-- open incidents without a policy yet: what inc-sla attaches first (once
-- it found no policy to match, sla_checked_at takes the incident out until
-- a change makes one match)
CREATE INDEX incident_sla_pending ON incident(id)
	WHERE sla_policy IS NULL AND sla_checked_at IS NULL
	AND status NOT IN ('resolved', 'closed', 'cancelled');

-- Append-only audit trail: one row per change, written in the same
-- transaction as the change itself.
CREATE TABLE audit (
	seq      INTEGER PRIMARY KEY,
	incident INTEGER NOT NULL,
	task     INTEGER,
	at       INTEGER NOT NULL,
	actor    TEXT NOT NULL,
	tool     TEXT NOT NULL,
	action   TEXT NOT NULL,	-- logged, set, note, status, assigned, escalated, ...
	field    TEXT,
	old      TEXT,
	new      TEXT
);
CREATE INDEX audit_incident ON audit(incident, seq);

CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN
	SELECT RAISE(ABORT, 'audit trail is append-only');
END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN
	SELECT RAISE(ABORT, 'audit trail is append-only');
END;

CREATE TABLE task (
	id         INTEGER PRIMARY KEY AUTOINCREMENT,
	incident   INTEGER NOT NULL REFERENCES incident(id),
	title      TEXT NOT NULL,
	grp        TEXT,
	assignee   TEXT,
	status     TEXT NOT NULL DEFAULT 'open',
	due        INTEGER,
	created_at INTEGER NOT NULL,
	done_at    INTEGER
);
CREATE INDEX task_incident ON task(incident, status);

-- Escalation rules that fired, so that each fires once per incident.
-- A rule is keyed by its signature (on, after, action), stable across
-- config edits that reorder or add rules.
CREATE TABLE escalation_fired (
	incident INTEGER NOT NULL,
	rule     TEXT NOT NULL,
	at       INTEGER NOT NULL,
	PRIMARY KEY (incident, rule)
) WITHOUT ROWID;

-- On-hold periods, for SLA pauses and --explain.
CREATE TABLE hold (
	incident INTEGER NOT NULL,
	start    INTEGER NOT NULL,
	end      INTEGER,
	PRIMARY KEY (incident, start)
) WITHOUT ROWID;

-- Round-robin rotation per group: the member who got the last incident.
CREATE TABLE rotation (
	grp  TEXT PRIMARY KEY,
	last TEXT NOT NULL
) WITHOUT ROWID;

-- Settings the database keeps for itself: "sla_config", the fingerprint of
-- the SLA policies, calendars and escalation delays the stored due times
-- were computed with (inc-sla --recompute records a new one).
CREATE TABLE meta (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
) WITHOUT ROWID;
