-- as ../005-warn-instants.sql
ALTER TABLE incident ADD COLUMN response_warn_at bigint;
ALTER TABLE incident ADD COLUMN resolve_warn_at bigint;
