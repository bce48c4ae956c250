-- as ../009-sla-pending-no-in.sql: the index's WHERE spelled as inc-sla's
-- query spells it, so that the planner can prove the one from the other
DROP INDEX incident_sla_pending;
CREATE INDEX incident_sla_pending ON incident(id)
	WHERE sla_policy IS NULL AND sla_checked_at IS NULL
	AND status <> 'resolved' AND status <> 'closed' AND status <> 'cancelled';

-- inc_db_last_id: the id the last insert of this transaction was given,
-- as SQLite's last_insert_rowid() tells it (the tools no longer ask for
-- it with RETURNING, which costs SQLite a temporary table a row)
CREATE OR REPLACE FUNCTION inc_next_id() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF NEW.id IS NULL THEN
		INSERT INTO inc_sequence VALUES (TG_TABLE_NAME, 1)
			ON CONFLICT (name) DO UPDATE SET last = inc_sequence.last + 1
			RETURNING last INTO NEW.id;
	ELSE
		INSERT INTO inc_sequence VALUES (TG_TABLE_NAME, NEW.id)
			ON CONFLICT (name) DO UPDATE SET last = greatest(inc_sequence.last, excluded.last);
	END IF;
	PERFORM set_config('inc.last_id', NEW.id::text, true);
	RETURN NEW;
END $$;
