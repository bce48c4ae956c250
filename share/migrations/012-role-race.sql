-- Nothing on SQLite: PostgreSQL's inc_secure() and inc_login() (migration
-- 010) make server roles, which a SQLite desk has none of. See
-- pg/012-role-race.sql.
SELECT 1;
