-- as ../004-event-log.sql: the event log, the consumers' cursors, the
-- outbox; and a notification "inc_event" at the commit of every
-- transaction that appends events (inc-events --follow LISTENs to it).
CREATE TABLE event (
	seq      bigint PRIMARY KEY,
	at       bigint NOT NULL,
	actor    text NOT NULL,
	tool     text NOT NULL,
	incident bigint NOT NULL,
	kind     text NOT NULL,
	data     text NOT NULL
);
CREATE INDEX event_incident ON event(incident, seq);
CREATE TRIGGER event_seq BEFORE INSERT ON event
	FOR EACH ROW EXECUTE FUNCTION inc_next_seq();

CREATE TABLE cursor (
	name text PRIMARY KEY,
	seq  bigint NOT NULL,
	at   bigint NOT NULL
);

CREATE TRIGGER event_no_update BEFORE UPDATE ON event
	FOR EACH ROW EXECUTE FUNCTION inc_refuse('the event log is append-only');
CREATE FUNCTION inc_event_keep() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF old.seq > (SELECT coalesce(min(seq), 0) FROM cursor) THEN
		RAISE EXCEPTION 'the event log keeps what a consumer has not seen'
			USING ERRCODE = 'integrity_constraint_violation';
	END IF;
	RETURN old;
END $$;
CREATE TRIGGER event_no_delete BEFORE DELETE ON event
	FOR EACH ROW EXECUTE FUNCTION inc_event_keep();
CREATE TRIGGER event_no_truncate BEFORE TRUNCATE ON event
	FOR EACH STATEMENT EXECUTE FUNCTION inc_refuse('the event log is append-only');

CREATE FUNCTION inc_event_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_notify('inc_event', '');
	RETURN NULL;
END $$;
CREATE TRIGGER event_notify AFTER INSERT ON event
	FOR EACH STATEMENT EXECUTE FUNCTION inc_event_notify();

CREATE TABLE outbox (
	id         bigint PRIMARY KEY,
	seq        bigint NOT NULL,
	incident   bigint NOT NULL,
	kind       text NOT NULL,
	rcpt       text NOT NULL,
	message_id text NOT NULL UNIQUE,
	subject    text NOT NULL,
	message    text NOT NULL,
	created_at bigint NOT NULL,
	sent_at    bigint,
	attempts   bigint NOT NULL DEFAULT 0,
	last_error text
);
CREATE TRIGGER outbox_id BEFORE INSERT ON outbox
	FOR EACH ROW EXECUTE FUNCTION inc_next_id();
CREATE INDEX outbox_unsent ON outbox(id) WHERE sent_at IS NULL;
