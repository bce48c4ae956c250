-- Nothing to do on SQLite, which numbers rows itself (AUTOINCREMENT, or
-- the rowid for the append-only audit trail). On PostgreSQL
-- (pg/011-numbering.sql) the triggers that number rows stop writing their
-- counter for every row, and only the owner may give a number. Every
-- version is a step on both engines.
SELECT 1;
