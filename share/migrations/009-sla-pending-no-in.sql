-- incident_sla_pending without NOT IN: SQLite evaluates an IN list of
-- three or more values through an ephemeral table built for the purpose,
-- and a partial index evaluates its WHERE on every insert and update of a
-- row: an ephemeral table created, filled and dropped for each incident
-- written (a fifth of a bulk inc-log). The same set of rows, by
-- comparisons; inc-sla's query spells it the same way, so that the
-- planner still answers it from the index.
DROP INDEX incident_sla_pending;
CREATE INDEX incident_sla_pending ON incident(id)
	WHERE sla_policy IS NULL AND sla_checked_at IS NULL
	AND status <> 'resolved' AND status <> 'closed' AND status <> 'cancelled';
