-- The event log: every event a tool writes on its output (logged,
-- classified, assigned, queued, updated, sla_warning, sla_breached,
-- escalated, notified, replied, major_declared, resolved, closed, reopened),
-- appended in the same transaction as the change, in one global sequence.
CREATE TABLE event (
	seq      INTEGER PRIMARY KEY AUTOINCREMENT,
	at       INTEGER NOT NULL,
	actor    TEXT NOT NULL,
	tool     TEXT NOT NULL,
	incident INTEGER NOT NULL,
	kind     TEXT NOT NULL,
	data     TEXT NOT NULL	-- the event object, JSON
);
CREATE INDEX event_incident ON event(incident, seq);

-- What each consumer (inc-escalate, inc-notify, inc-events --consumer) has
-- seen: its cursor moves past an event in the transaction that acts on it.
CREATE TABLE cursor (
	name TEXT PRIMARY KEY,
	seq  INTEGER NOT NULL,
	at   INTEGER NOT NULL	-- when it last moved
) WITHOUT ROWID;

-- Append-only: nothing updates an event, and only events every consumer
-- has passed may be dropped (inc-events --prune).
CREATE TRIGGER event_no_update BEFORE UPDATE ON event
BEGIN
	SELECT RAISE(ABORT, 'the event log is append-only');
END;
CREATE TRIGGER event_no_delete BEFORE DELETE ON event
	WHEN old.seq > (SELECT coalesce(min(seq), 0) FROM cursor)
BEGIN
	SELECT RAISE(ABORT, 'the event log keeps what a consumer has not seen');
END;

-- Mail inc-notify has made from events, until sendmail takes it: queued
-- with the cursor's move, marked sent once delivered, retried until then.
CREATE TABLE outbox (
	id         INTEGER PRIMARY KEY AUTOINCREMENT,
	seq        INTEGER NOT NULL,		-- the event it tells of
	incident   INTEGER NOT NULL,
	kind       TEXT NOT NULL,
	rcpt       TEXT NOT NULL,
	message_id TEXT NOT NULL UNIQUE,
	subject    TEXT NOT NULL,
	message    TEXT NOT NULL,		-- RFC 5322, as sendmail -t reads it
	created_at INTEGER NOT NULL,
	sent_at    INTEGER,
	attempts   INTEGER NOT NULL DEFAULT 0,
	last_error TEXT
);
CREATE INDEX outbox_unsent ON outbox(id) WHERE sent_at IS NULL;
