-- inc database schema on PostgreSQL, version 1: the same tables, columns
-- and constraints as ../001-initial.sql, in PostgreSQL's words. Each file
-- here takes the database the same step as its namesake in ../ (the table
-- inc_schema holds the version). Never edit a file once released.
-- Times are integer epoch seconds (bigint); flags are 0/1 integers, as on
-- SQLite, so that the statements of lib/ read both.

-- Ids and sequence numbers as SQLite gives them: the next after the
-- highest ever given (AUTOINCREMENT's sqlite_sequence), counted in a table,
-- so that an insert that fails or is rolled back takes no number (a
-- PostgreSQL sequence would leave a gap). A number given moves the counter
-- past it. Writers take turns (lib/db_pg.c), so the counter row is no
-- point of contention.
CREATE TABLE inc_sequence (
	name text PRIMARY KEY,
	last bigint NOT NULL
);
CREATE FUNCTION inc_next_id() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF NEW.id IS NULL THEN
		INSERT INTO inc_sequence VALUES (TG_TABLE_NAME, 1)
			ON CONFLICT (name) DO UPDATE SET last = inc_sequence.last + 1
			RETURNING last INTO NEW.id;
	ELSE
		INSERT INTO inc_sequence VALUES (TG_TABLE_NAME, NEW.id)
			ON CONFLICT (name) DO UPDATE SET last = greatest(inc_sequence.last, excluded.last);
	END IF;
	RETURN NEW;
END $$;
CREATE FUNCTION inc_next_seq() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF NEW.seq IS NULL THEN
		INSERT INTO inc_sequence VALUES (TG_TABLE_NAME, 1)
			ON CONFLICT (name) DO UPDATE SET last = inc_sequence.last + 1
			RETURNING last INTO NEW.seq;
	ELSE
		INSERT INTO inc_sequence VALUES (TG_TABLE_NAME, NEW.seq)
			ON CONFLICT (name) DO UPDATE SET last = greatest(inc_sequence.last, excluded.last);
	END IF;
	RETURN NEW;
END $$;

CREATE TABLE incident (
	id                 bigint PRIMARY KEY,
	subject            text NOT NULL,
	description        text,
	requester          text,
	source             text,
	category           text,
	subcategory        text,
	impact             text,
	urgency            text,
	priority           text,
	status             text NOT NULL DEFAULT 'new',
	grp                text,
	assignee           text,
	major              bigint NOT NULL DEFAULT 0,
	explicit           bigint NOT NULL DEFAULT 0,
	sla_policy         text,
	response_due       bigint,
	resolve_due        bigint,
	responded_at       bigint,
	response_met       bigint,
	resolve_met        bigint,
	paused_s           bigint,
	sla_state          text,
	sla_response_state text,
	sla_resolve_state  text,
	hold_since         bigint,
	sla_next_check     bigint,
	sla_checked_at     bigint,
	escalation_level   bigint NOT NULL DEFAULT 0,
	reassignment_count bigint NOT NULL DEFAULT 0,
	reopen_count       bigint NOT NULL DEFAULT 0,
	resolution         text,
	resolution_type    text,
	closure_code       text,
	rating             bigint,
	feedback           text,
	links              text NOT NULL DEFAULT '[]',
	external_id        text UNIQUE,
	custom             text NOT NULL DEFAULT '{}',
	created_at         bigint NOT NULL,
	updated_at         bigint NOT NULL,
	resolved_at        bigint,
	closed_at          bigint,
	first_assignee     text,
	first_group        text,
	escalated          bigint NOT NULL DEFAULT 0,
	ever_resolved      bigint NOT NULL DEFAULT 0
);
CREATE TRIGGER incident_id BEFORE INSERT ON incident
	FOR EACH ROW EXECUTE FUNCTION inc_next_id();

CREATE INDEX incident_status ON incident(status);
CREATE INDEX incident_created ON incident(created_at);
CREATE INDEX incident_group ON incident(grp, status);
CREATE INDEX incident_assignee ON incident(assignee, status);
CREATE INDEX incident_sla_next ON incident(sla_next_check) WHERE sla_next_check IS NOT NULL;
CREATE INDEX incident_sla_pending ON incident(id)
	WHERE sla_policy IS NULL AND sla_checked_at IS NULL
	AND status NOT IN ('resolved', 'closed', 'cancelled');

-- Append-only audit trail: one row per change, written in the same
-- transaction as the change itself.
CREATE TABLE audit (
	seq      bigint PRIMARY KEY,
	incident bigint NOT NULL,
	task     bigint,
	at       bigint NOT NULL,
	actor    text NOT NULL,
	tool     text NOT NULL,
	action   text NOT NULL,
	field    text,
	old      text,
	new      text
);
CREATE INDEX audit_incident ON audit(incident, seq);
CREATE TRIGGER audit_seq BEFORE INSERT ON audit
	FOR EACH ROW EXECUTE FUNCTION inc_next_seq();

-- SQLite's RAISE(ABORT) is a constraint failure: so is this (23000)
CREATE FUNCTION inc_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION '%', TG_ARGV[0] USING ERRCODE = 'integrity_constraint_violation';
END $$;
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
	FOR EACH ROW EXECUTE FUNCTION inc_refuse('audit trail is append-only');
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
	FOR EACH ROW EXECUTE FUNCTION inc_refuse('audit trail is append-only');
CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit
	FOR EACH STATEMENT EXECUTE FUNCTION inc_refuse('audit trail is append-only');

CREATE TABLE task (
	id         bigint PRIMARY KEY,
	incident   bigint NOT NULL REFERENCES incident(id),
	title      text NOT NULL,
	grp        text,
	assignee   text,
	status     text NOT NULL DEFAULT 'open',
	due        bigint,
	created_at bigint NOT NULL,
	done_at    bigint
);
CREATE TRIGGER task_id BEFORE INSERT ON task
	FOR EACH ROW EXECUTE FUNCTION inc_next_id();
CREATE INDEX task_incident ON task(incident, status);

CREATE TABLE escalation_fired (
	incident bigint NOT NULL,
	rule     text NOT NULL,
	at       bigint NOT NULL,
	PRIMARY KEY (incident, rule)
);

CREATE TABLE hold (
	incident bigint NOT NULL,
	start    bigint NOT NULL,
	"end"    bigint,
	PRIMARY KEY (incident, start)
);

CREATE TABLE rotation (
	grp  text PRIMARY KEY,
	last text NOT NULL
);

CREATE TABLE meta (
	key   text PRIMARY KEY,
	value text NOT NULL
);
