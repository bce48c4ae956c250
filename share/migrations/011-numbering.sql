-- A number stays its row's: an id moved by UPDATE (to the largest integer,
-- or down into a gap) would steer the numbering of the next rows. The
-- same triggers on PostgreSQL (pg/011-numbering.sql), where the triggers
-- that number rows also stop writing their counter for every row, and only
-- the owner or an admin's login may give a number; SQLite numbers rows
-- itself (AUTOINCREMENT, or the rowid for the append-only audit trail).
CREATE TRIGGER incident_id_fixed BEFORE UPDATE OF id ON incident
	WHEN NEW.id IS NOT OLD.id
BEGIN
	SELECT RAISE(ABORT, 'an incident''s id never changes');
END;
CREATE TRIGGER task_id_fixed BEFORE UPDATE OF id ON task
	WHEN NEW.id IS NOT OLD.id
BEGIN
	SELECT RAISE(ABORT, 'a task''s id never changes');
END;
CREATE TRIGGER outbox_id_fixed BEFORE UPDATE OF id ON outbox
	WHEN NEW.id IS NOT OLD.id
BEGIN
	SELECT RAISE(ABORT, 'an outbox message''s id never changes');
END;
