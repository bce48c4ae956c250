/*
 * mail.h - the mail logic of inc-mail (the gateway) and inc-notify: parsing
 * an inbound RFC 5322 message, the text of a reply, the CONFIRM convention,
 * and composing an outbound message. Pure functions over bytes and strings:
 * no database, no configuration, no I/O. MIME is GMime 3's job, HTML is
 * libxml2's; nothing here parses a message by hand.
 *
 * Every string handed out is UTF-8 without control characters: header
 * fields have none at all, bodies keep only \n and \t. Text is converted
 * from its declared charset (bytes invalid in it are dropped by the
 * converter); undeclared 8-bit text is UTF-8 when it is, else
 * Windows-1252; what is still not UTF-8 becomes U+FFFD.
 */
#ifndef INC_MAIL_H
#define INC_MAIL_H

#include <stddef.h>
#include <stdint.h>

struct inc_buf;

/* GMime's and libxml2's own process-wide set-up: once, from main(), before
 * any other inc_mail_ function (inc_mail_address_valid included), and
 * inc_mail_shutdown() once at the end. */
void inc_mail_init(void);
void inc_mail_shutdown(void);

/* ---- an inbound message ---- */

struct inc_mail_attachment {
	char *name;		/* a plain file name: no directory, never NULL */
	char *content_type;	/* "image/png": lowercase, no parameters */
	unsigned char *data;	/* decoded bytes (base64, quoted-printable) */
	size_t size;
};

struct inc_mail {
	char *message_id;	/* without <>; NULL when absent */
	char *in_reply_to;	/* the first id, without <>; NULL */
	char **references;	/* ids without <>, oldest first */
	size_t nreferences;
	char *subject;		/* RFC 2047 decoded, whitespace folded; NULL */
	/* The addr-spec, domain lowercased; NULL when From has no mailbox.
	 * Local mail may have no domain ("root"). */
	char *from_addr;
	char *from_name;	/* decoded display name; NULL when none */
	char **to, **cc;	/* addr-specs, groups flattened */
	size_t nto, ncc;
	int64_t date;		/* epoch seconds, INC_NULL when absent or bad */
	/* The envelope sender: Return-Path, else the "From " line of an mbox
	 * or pipe(8) envelope; "" for the null sender <>; NULL unknown. */
	char *return_path;
	char *text;		/* the readable body; "" when none, never NULL */
	struct inc_mail_attachment *attachments;
	size_t nattachments;
	/* Why this message must not open an incident: "bounce", "auto-reply"
	 * or "list" (static strings), or NULL for a message from a person. */
	const char *auto_reason;
	size_t size;		/* of the raw message, in bytes */
};

/* Parses one message (data need not be NUL-terminated). 0, or -1 with err
 * for bytes that are not a message at all (no header). Anything with a
 * header parses, however broken: fields it lacks are NULL. */
int inc_mail_parse(const char *data, size_t len, struct inc_mail *m, char *err);
void inc_mail_free(struct inc_mail *m);

/* HTML (UTF-8) as readable text, the way inc_mail_parse shows an HTML-only
 * body: entities decoded, white space collapsed (kept in <pre>), blocks
 * and <br> break lines, paragraphs and headings leave a blank line, <li>
 * is a "- " bullet ("N. " in <ol>), table cells are spaced, <hr> is a
 * row of underscores as in Outlook's text, <blockquote> lines are quoted
 * with "> ", a link keeps its URL as " <URL>" when its text differs, and
 * head, script, style and form controls are dropped. Malloc'd, never
 * NULL. */
char *inc_mail_html_text(const char *html, size_t len);

/* ---- replies ---- */

/* What is new in a reply: without quoted lines ("> ...") and the
 * attribution line(s) before them ("On ... wrote:", "Le ... a écrit :",
 * "Am ... schrieb ...:"), without an Outlook "-----Original Message-----"
 * or "From:/Sent:" block and all after it, without the signature after a
 * "-- " line, without a last "Sent from my iPhone"-style line; runs of
 * blank lines squeezed to one, leading and trailing ones trimmed.
 * Malloc'd, never NULL ("" for NULL). */
char *inc_mail_strip_quoted(const char *text);

/* The incident a subject names: the first "[INC-<id>]" (INC in any case).
 * 1 with *id, or 0. */
int inc_mail_ref(const char *subject, int64_t *id);

/* The answer to a "resolved" mail, on the new text of the reply
 * (inc_mail_strip_quoted's): 1 when its first word is CONFIRM or CONFIRMED
 * (any case), with *rating 1-5 when the next token is that digit (else 0)
 * and *feedback the rest, trimmed (malloc'd, NULL when empty); 0 for any
 * other answer, which reopens (*rating 0, *feedback NULL). */
int inc_mail_confirmation(const char *new_text, int *rating, char **feedback);

/* ---- an outbound message ---- */

struct inc_mail_header {
	const char *name, *value;
};

struct inc_mail_out {
	const char *from_addr, *from_name;	/* from_name may be NULL */
	const char *const *to;			/* addr-specs, at least one */
	size_t nto;
	const char *subject;
	const char *body;			/* UTF-8 text */
	const char *message_id;			/* without <>; required */
	const char *in_reply_to;		/* without <>; may be NULL */
	const char *const *references;		/* without <> */
	size_t nreferences;
	int64_t date;				/* epoch seconds; required */
	const struct inc_mail_header *headers;	/* extra, e.g. Auto-Submitted */
	size_t nheaders;
};

/* Appends to out an RFC 5322 message with LF line ends, for sendmail -t:
 * text/plain; charset=utf-8, 7bit, or quoted-printable for 8-bit text or a
 * line over 78 bytes. Free text (subject, display name, extra header
 * values) has its control characters, CR and LF included, turned into
 * spaces and is RFC 2047 encoded when not ASCII. Refused (-1 with err,
 * nothing appended): an address inc_mail_address_valid refuses, a
 * message_id that is not printable ASCII without space or <>, no date, an
 * extra header name that is not a field name, or one that names
 * recipients or that compose writes itself (To, Cc, Bcc, Resent-*,
 * Content-*, ...). An in_reply_to or reference that is not well-formed is
 * left out: threading is a courtesy, the notification still goes. */
int inc_mail_compose(const struct inc_mail_out *o, struct inc_buf *out, char *err);

/* 1 when s is exactly one bare addr-spec mailbox (local@domain: an ASCII
 * dot-atom local part, a dotted domain or "localhost", IDN allowed) that
 * GMime reads back the same: no display name, list, comment, quoted
 * string, domain literal, whitespace, control character or angle
 * bracket; 0 otherwise. Needs inc_mail_init(). */
int inc_mail_address_valid(const char *s);

/* ---- attachment storage ---- */

/* Lowercase hex SHA-256 of data into out (65 bytes with the NUL); 0, or -1. */
int inc_mail_sha256_hex(const void *data, size_t len, char out[65]);

#endif
