-- as ../006-mail.sql
CREATE TABLE mail_seen (
	message_id text PRIMARY KEY,
	incident   bigint NOT NULL,
	kind       text NOT NULL,
	at         bigint NOT NULL
);
CREATE INDEX mail_seen_incident ON mail_seen(incident);
