-- Numbering without writing the counter, and safe to run with the owner's
-- rights.
--
-- 1. Until now every numbered row (an incident, task or outbox id, an audit
--    row's or event's seq) did an UPDATE of its table's inc_sequence row.
--    In one transaction each UPDATE left a row version that the next walked
--    past: a cost quadratic in a transaction's rows (one INSERT of 8,000
--    audit rows: 0.68 s in the trigger). Now a row takes one past the
--    larger of its table's highest number (the primary key's last entry)
--    and the counter, which is only read. The counter moves when rows go
--    (AFTER DELETE, once a statement), so that a number is never given
--    twice, even when the newest events are pruned: as SQLite's
--    AUTOINCREMENT. The audit trail is append-only: its highest seq is all.
-- 2. The turn: whoever numbers a row takes the writers' advisory lock
--    (lib/db_pg.c's, which every inc writer holds already; held again, it
--    costs a lookup), so that numbers are taken, and committed, in order,
--    by psql too: a consumer's cursor never passes a number still to
--    commit.
-- 3. A number given rather than taken (inc db copy keeps them) only from
--    the tables' owner: a login that gave an event's seq could put it
--    behind a consumer's cursor (never read) or at the largest bigint
--    (every later insert failing), an admin's too (the mail gateway's).
-- 4. These functions run with the owner's rights: pg_catalog now comes
--    first in their search_path (it came after the desk's schema, where a
--    login allowed to CREATE there could have shadowed max() or an
--    operator and had it run as the owner).

-- an error unless session_user may act as the owner of rel
CREATE FUNCTION inc_number_given(rel regclass) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	IF NOT pg_catalog.pg_has_role(session_user,
			(SELECT c.relowner FROM pg_catalog.pg_class c WHERE c.oid = rel), 'MEMBER') THEN
		RAISE EXCEPTION 'the numbers of % are the database''s: % may not give one', rel, session_user
			USING ERRCODE = 'insufficient_privilege';
	END IF;
END $$;

-- A number is taken under the turn, from what the transaction sees after
-- waiting for it: in REPEATABLE READ or SERIALIZABLE it would see the
-- table as it was before the wait, and could take a number given (and
-- pruned) meanwhile, behind every cursor. inc's writers are READ COMMITTED.
CREATE FUNCTION inc_number_isolation() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'rows are numbered in READ COMMITTED transactions only, not %',
		current_setting('transaction_isolation') USING ERRCODE = 'invalid_transaction_state';
END $$;

-- The three numbering triggers below repeat the same few lines (a number
-- given; the isolation; the turn) rather than call a function for them:
-- they run once a row, and a PL/pgSQL call costs more there than the
-- lines it would save. Each table's max() is written out for the same
-- reason: static SQL keeps its plan, EXECUTE format() would plan it again.
CREATE OR REPLACE FUNCTION inc_next_seq() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF NEW.seq IS NOT NULL THEN
		PERFORM inc_number_given(TG_RELID);
		RETURN NEW;
	END IF;
	IF current_setting('transaction_isolation') <> 'read committed' THEN
		PERFORM inc_number_isolation();
	END IF;
	PERFORM pg_advisory_xact_lock(6909795);
	IF TG_TABLE_NAME = 'audit' THEN
		SELECT coalesce(max(a.seq), 0) + 1 INTO NEW.seq FROM audit a;
	ELSIF TG_TABLE_NAME = 'event' THEN
		SELECT greatest(coalesce(max(e.seq), 0), coalesce((SELECT s.last FROM inc_sequence s
			WHERE s.name = 'event'), 0)) + 1 INTO NEW.seq FROM event e;
	ELSE
		RAISE EXCEPTION 'inc_next_seq(): no numbering for table %', TG_TABLE_NAME;
	END IF;
	RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION inc_next_id() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF NEW.id IS NOT NULL THEN
		PERFORM inc_number_given(TG_RELID);
		RETURN NEW;
	END IF;
	IF current_setting('transaction_isolation') <> 'read committed' THEN
		PERFORM inc_number_isolation();
	END IF;
	PERFORM pg_advisory_xact_lock(6909795);
	IF TG_TABLE_NAME = 'task' THEN
		SELECT greatest(coalesce(max(t.id), 0), coalesce((SELECT s.last FROM inc_sequence s
			WHERE s.name = 'task'), 0)) + 1 INTO NEW.id FROM task t;
	ELSIF TG_TABLE_NAME = 'outbox' THEN
		SELECT greatest(coalesce(max(o.id), 0), coalesce((SELECT s.last FROM inc_sequence s
			WHERE s.name = 'outbox'), 0)) + 1 INTO NEW.id FROM outbox o;
	ELSE
		RAISE EXCEPTION 'inc_next_id(): no numbering for table %', TG_TABLE_NAME;
	END IF;
	RETURN NEW;
END $$;

-- as 010's, less the counter's UPDATE
CREATE OR REPLACE FUNCTION inc_incident_id() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF NEW.external_id IS NOT NULL
	   AND EXISTS (SELECT 1 FROM incident WHERE external_id = NEW.external_id) THEN
		RETURN NULL;
	END IF;
	IF NEW.id IS NOT NULL THEN
		PERFORM inc_number_given(TG_RELID);
	ELSE
		IF current_setting('transaction_isolation') <> 'read committed' THEN
			PERFORM inc_number_isolation();
		END IF;
		PERFORM pg_advisory_xact_lock(6909795);
		SELECT greatest(coalesce(max(i.id), 0), coalesce((SELECT s.last FROM inc_sequence s
			WHERE s.name = 'incident'), 0)) + 1 INTO NEW.id FROM incident i;
	END IF;
	PERFORM set_config('inc.last_id', NEW.id::text, true);
	RETURN NEW;
END $$;

-- After rows went: the counter past the highest number they had (once a
-- statement; TG_ARGV[0] names the numbered column). Before a TRUNCATE
-- (the owner's), past the table's highest.
CREATE FUNCTION inc_numbers_gone() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	top bigint;
BEGIN
	IF TG_RELID NOT IN ('event'::regclass, 'incident'::regclass, 'task'::regclass,
			    'outbox'::regclass) THEN
		RAISE EXCEPTION 'inc_numbers_gone(): not a table of the desk: %', TG_RELID::regclass
			USING ERRCODE = 'insufficient_privilege';
	END IF;
	IF TG_OP = 'TRUNCATE' THEN
		EXECUTE format('SELECT max(%I) FROM %I.%I', TG_ARGV[0], TG_TABLE_SCHEMA, TG_TABLE_NAME)
			INTO top;
	ELSIF TG_ARGV[0] = 'seq' THEN
		SELECT max(g.seq) INTO top FROM inc_gone g;
	ELSE
		SELECT max(g.id) INTO top FROM inc_gone g;
	END IF;
	IF top IS NOT NULL THEN
		INSERT INTO inc_sequence VALUES (TG_TABLE_NAME::text, top)
			ON CONFLICT (name) DO UPDATE SET last = excluded.last
			WHERE inc_sequence.last < excluded.last;
	END IF;
	RETURN NULL;
END $$;
CREATE TRIGGER event_numbers_gone AFTER DELETE ON event REFERENCING OLD TABLE AS inc_gone
	FOR EACH STATEMENT EXECUTE FUNCTION inc_numbers_gone('seq');
CREATE TRIGGER incident_numbers_gone AFTER DELETE ON incident REFERENCING OLD TABLE AS inc_gone
	FOR EACH STATEMENT EXECUTE FUNCTION inc_numbers_gone('id');
CREATE TRIGGER task_numbers_gone AFTER DELETE ON task REFERENCING OLD TABLE AS inc_gone
	FOR EACH STATEMENT EXECUTE FUNCTION inc_numbers_gone('id');
CREATE TRIGGER outbox_numbers_gone AFTER DELETE ON outbox REFERENCING OLD TABLE AS inc_gone
	FOR EACH STATEMENT EXECUTE FUNCTION inc_numbers_gone('id');
CREATE TRIGGER event_numbers_truncated BEFORE TRUNCATE ON event
	FOR EACH STATEMENT EXECUTE FUNCTION inc_numbers_gone('seq');
CREATE TRIGGER incident_numbers_truncated BEFORE TRUNCATE ON incident
	FOR EACH STATEMENT EXECUTE FUNCTION inc_numbers_gone('id');
CREATE TRIGGER task_numbers_truncated BEFORE TRUNCATE ON task
	FOR EACH STATEMENT EXECUTE FUNCTION inc_numbers_gone('id');
CREATE TRIGGER outbox_numbers_truncated BEFORE TRUNCATE ON outbox
	FOR EACH STATEMENT EXECUTE FUNCTION inc_numbers_gone('id');

-- inc db copy: the highest number a desk has given in table t past its
-- rows' (the counter: the newest events pruned, rows deleted), and the
-- copy's counter moved past n, the owner's act, so that the
-- copy never gives one of those numbers again (lib/dbcopy.c)
CREATE FUNCTION inc_number_top(t text) RETURNS bigint LANGUAGE plpgsql AS $$
BEGIN
	IF t NOT IN ('incident', 'task', 'outbox', 'event') THEN
		RAISE EXCEPTION 'inc_number_top(): % has no numbers of its own', t;
	END IF;
	RETURN coalesce((SELECT s.last FROM inc_sequence s WHERE s.name = t), 0);
END $$;
CREATE FUNCTION inc_number_past(t text, n bigint) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	IF t NOT IN ('incident', 'task', 'outbox', 'event') THEN
		RAISE EXCEPTION 'inc_number_past(): % has no numbers of its own', t;
	END IF;
	PERFORM inc_number_given(t::regclass);
	INSERT INTO inc_sequence VALUES (t, n)
		ON CONFLICT (name) DO UPDATE SET last = excluded.last
		WHERE inc_sequence.last < excluded.last;
END $$;

-- with the owner's rights, pg_catalog first
DO $$
DECLARE
	f text;
BEGIN
	FOREACH f IN ARRAY ARRAY['inc_number_given(regclass)', 'inc_number_isolation()',
			'inc_number_top(text)', 'inc_number_past(text, bigint)',
			'inc_next_seq()', 'inc_next_id()',
			'inc_incident_id()', 'inc_numbers_gone()', 'inc_event_prune(bigint)'] LOOP
		EXECUTE format('ALTER FUNCTION %s SECURITY DEFINER SET search_path = pg_catalog, %I, pg_temp',
			f, current_schema());
	END LOOP;
END $$;

-- Nobody calls these but the triggers: a login that may not EXECUTE them
-- cannot put them on a table of its own (a temporary one) to have them
-- run with the owner's rights; triggers fire whoever writes.
REVOKE EXECUTE ON FUNCTION inc_number_given(regclass), inc_number_isolation(), inc_next_seq(),
	inc_next_id(), inc_incident_id(), inc_numbers_gone() FROM PUBLIC;

-- A number stays its row's: an id moved by UPDATE (to the largest bigint,
-- or down into a gap) would steer the numbering, now one past the highest.
-- As on SQLite (../011-numbering.sql).
CREATE TRIGGER incident_id_fixed BEFORE UPDATE OF id ON incident
	FOR EACH ROW WHEN (NEW.id IS DISTINCT FROM OLD.id)
	EXECUTE FUNCTION inc_refuse('an incident''s id never changes');
CREATE TRIGGER task_id_fixed BEFORE UPDATE OF id ON task
	FOR EACH ROW WHEN (NEW.id IS DISTINCT FROM OLD.id)
	EXECUTE FUNCTION inc_refuse('a task''s id never changes');
CREATE TRIGGER outbox_id_fixed BEFORE UPDATE OF id ON outbox
	FOR EACH ROW WHEN (NEW.id IS DISTINCT FROM OLD.id)
	EXECUTE FUNCTION inc_refuse('an outbox message''s id never changes');
