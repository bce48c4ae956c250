-- The warning instants of the two SLA targets, kept like their due times:
-- while an edited SLA config waits for inc-sla --recompute, the clocks are
-- watched on what was computed, warnings included.
ALTER TABLE incident ADD COLUMN response_warn_at INTEGER;
ALTER TABLE incident ADD COLUMN resolve_warn_at INTEGER;
