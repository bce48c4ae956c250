-- Messages the mail gateway (inc-mail) has acted on, by Message-ID as
-- written in headers ("<id@host>"), or "sha256:HEX" of a message without
-- one: a redelivered message, whether it made an incident or a reply,
-- changes nothing the second time. kind is the event it made.
CREATE TABLE mail_seen (
	message_id TEXT PRIMARY KEY,
	incident   INTEGER NOT NULL,
	kind       TEXT NOT NULL,
	at         INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX mail_seen_incident ON mail_seen(incident);
