-- Who acted for whom: an audit row or an event written by a session that
-- acted for another ("mail for joe": the PostgreSQL login "mail", an
-- admin, acting with --as joe) keeps the login in via. NULL when the
-- actor acted in person, and always on SQLite, whose file permissions are
-- the boundary: there --as is a label nobody's login vouches for.
ALTER TABLE audit ADD COLUMN via TEXT;
ALTER TABLE event ADD COLUMN via TEXT;
