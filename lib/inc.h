/*
 * inc.h - the one public header of libinc, the library every inc tool is a
 * thin main over. It reads as the API, layer by layer, from the bottom:
 *
 *   1. base        messages, buffers, JSON output, vocabularies, the field
 *                  registry, rule expressions, times, business calendars,
 *                  mail messages, other desks' logs (util, json, vocab,
 *                  registry, regex, time, tz, calendar, mail, mailbox,
 *                  import)
 *   2. config      the configuration, validated whole; who may do what
 *                                                            (config, access)
 *   3. storage     the database, whatever its engine         (db, db_sqlite)
 *   4. context     what a tool run holds: config, database, now, actor,
 *                  transactions, output written once committed  (ctx)
 *   5. record      the incident record: rows, audit trail, JSON,
 *                  descriptive fields                        (record, fields)
 *   6. clocks      SLA arithmetic, pure                      (sla_clock)
 *   7. incident    loading an incident for an actor, storing it with its
 *                  clocks, the event log, the life cycle, the SLA state
 *                  kept in the database, --explain     (incident, events,
 *                  lifecycle, sla_store, sla_explain)
 *   8. work        what the tools do: classify, assign, update, tasks,
 *                  close, escalate, the cron pass, KPIs, reviews,
 *                  the mail gateway
 *   9. input       the loop every tool runs over ids or JSON lines (input)
 *
 * A module calls only into its own layer or those below it. Library code
 * never exits: functions return -1 (or NULL) and fill `char *err`
 * (INC_ERRLEN bytes); the tools in cmd/ decide what to say and with what
 * exit status. The input loop alone reports refused records on stderr as
 * it goes, as every tool's shared main loop.
 */
#ifndef INC_H
#define INC_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <jansson.h>

#define INC_VERSION "0.1.0"

/* "No value" for every nullable integer or time field. */
#define INC_NULL INT64_MIN

/* Exit statuses, one table for every tool (SPEC section 6). */
enum {
	INC_EXIT_OK = 0,	/* all done */
	INC_EXIT_REFUSED = 1,	/* some input refused */
	INC_EXIT_USAGE = 2,	/* usage or config error, nothing done */
	INC_EXIT_DB = 3		/* database unavailable or failing, or output failing */
};

#define INC_ERRLEN 512

/* The largest field a record takes (SPEC section 6), and the longest input
 * line a tool reads. */
#define INC_FIELD_MAX ((size_t)16 << 20)
#define INC_LINE_MAX ((size_t)64 << 20)

/* ======================================================================
 * 1. base
 * ====================================================================== */

/* ---- messages and memory (util.c) ---- */

/* "inc-TOOL: " + message + newline on stderr. */
void inc_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void inc_vwarn(const char *fmt, va_list ap);
/* snprintf into err (INC_ERRLEN bytes); returns -1 for "return inc_err(...)". */
int inc_err(char *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
const char *inc_progname(void);

/* A growable byte buffer. */
struct inc_buf {
	char *data;
	size_t len, cap;
};
/* Room for n more bytes and a NUL. */
void inc_buf_grow(struct inc_buf *, size_t n);
/* Inline: a record is a hundred small pieces (keys, punctuation), and a
 * call each was a third of writing it. */
static inline void
inc_buf_add(struct inc_buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap)
		inc_buf_grow(b, n);
	__builtin_memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}
void inc_buf_addstr(struct inc_buf *, const char *);
void inc_buf_printf(struct inc_buf *, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void inc_buf_vprintf(struct inc_buf *, const char *fmt, va_list)
	__attribute__((format(printf, 2, 0)));
void inc_buf_free(struct inc_buf *);

void *inc_xmalloc(size_t);	/* abort on out-of-memory: nothing sane to do */
void *inc_xrealloc(void *, size_t);
char *inc_xstrdup(const char *);
int inc_utf8_valid(const char *, size_t);
/* The length of the valid UTF-8 sequence of two to four bytes at p (a
 * byte >= 0x80), before end; 0 if it is not one. */
size_t inc_utf8_seq(const unsigned char *p, const unsigned char *end);
int64_t inc_mono_ns(void);	/* a monotonic clock, nanoseconds: for timing, never for "now" */
int inc_streq(const char *, const char *);	/* equal, NULL equal to NULL */
int inc_in_list(const char *s, const char *const *list);	/* NULL-ended list */
/* Membership of s in a JSON array of strings. */
int inc_json_array_has(const json_t *array, const char *s);
/* Calls fn for each non-empty item of a comma-separated list; stops at
 * the first fn that returns -1 and returns -1. */
int inc_split(const char *list, int (*fn)(const char *item, void *arg), void *arg);
/* A comma list as a new JSON array of strings (empty items dropped). */
json_t *inc_split_json(const char *list);

/* ---- JSON written by hand, as Jansson's compact form writes it (json.c) ---- */

/* A JSON string (NULL: null), escapes as Jansson writes them. */
void inc_json_str(struct inc_buf *, const char *s);
void inc_json_int(struct inc_buf *, int64_t v);	/* INC_NULL: null */
/* Any value, compact, keys in their stored order. */
void inc_json_value(struct inc_buf *, const json_t *);
/* 1 when text (n bytes) is for certain a JSON object that Jansson's
 * json_loadb(JSON_REJECT_DUPLICATES) reads without error, with *val and
 * *vlen the text of top-level key's value (NULL when absent); 0 when it is
 * not sure, and Jansson is to read it (and say why not). No tree built. */
int inc_json_scan_object(const char *text, size_t n, const char *key, const char **val,
			 size_t *vlen);

/* ---- closed vocabularies (vocab.c) ---- */

/* "a, b or c" of a vocabulary, for the messages that refuse a value. */
struct inc_vocab {
	const char *const *names;
	int n;
};
int inc_vocab_parse(const struct inc_vocab *, const char *s);	/* index or -1 */
const char *inc_vocab_name(const struct inc_vocab *, int i);
/* "want a, b or c" into buf, for "unknown status \"x\" (want ...)". */
const char *inc_vocab_want(const struct inc_vocab *, char *buf, size_t len);

enum inc_status { INC_NEW, INC_ASSIGNED, INC_IN_PROGRESS, INC_ON_HOLD, INC_RESOLVED,
		  INC_CLOSED, INC_CANCELLED, INC_NSTATUS };
extern const struct inc_vocab inc_statuses;
const char *inc_status_name(enum inc_status);
int inc_status_parse(const char *);		/* enum inc_status or -1 */
int inc_status_open(enum inc_status);		/* new, assigned, in_progress, on_hold */
/* The one spelling of the open statuses in SQL: "status IN (...)" (a unit
 * test holds it to inc_status_open()). */
#define INC_SQL_OPEN "status IN ('new','assigned','in_progress','on_hold')"
#define INC_SQL_DONE "status IN ('resolved','closed')"

enum inc_role { INC_REQUESTER, INC_TECHNICIAN, INC_INCIDENT_MANAGER, INC_PROCESS_OWNER,
		INC_ADMIN };
extern const struct inc_vocab inc_roles;
const char *inc_role_name(enum inc_role);

enum inc_strategy { INC_ROUND_ROBIN, INC_LEAST_LOADED, INC_SKILLS };
extern const struct inc_vocab inc_strategies;

/* Escalation rules: `on` is a target and a kind, `action` what it does. */
enum inc_target { INC_RESPONSE, INC_RESOLVE };
enum inc_esc_on { INC_ON_RESPONSE_WARNING, INC_ON_RESPONSE_BREACHED,
		  INC_ON_RESOLVE_WARNING, INC_ON_RESOLVE_BREACHED };
extern const struct inc_vocab inc_esc_ons;
enum inc_esc_action { INC_ESC_NOTIFY, INC_ESC_FUNCTIONAL, INC_ESC_HIERARCHICAL };
extern const struct inc_vocab inc_esc_actions;
static inline enum inc_target inc_esc_target(enum inc_esc_on on)
{ return on <= INC_ON_RESPONSE_BREACHED ? INC_RESPONSE : INC_RESOLVE; }
static inline int inc_esc_warning(enum inc_esc_on on)
{ return on == INC_ON_RESPONSE_WARNING || on == INC_ON_RESOLVE_WARNING; }

extern const struct inc_vocab inc_sources;	/* phone, email, sms, web, ... */
extern const struct inc_vocab inc_link_types;	/* problem, change, asset, incident */

/* ---- times and durations (time.c) ---- */

struct inc_tz;		/* a loaded IANA zone (tz.c, below); NULL: UTC */
/*
 * Times: "2026-11-27T04:23:00Z", any ISO 8601 offset, or epoch seconds; a
 * time without an offset ("2026-11-27T09:00:00", "2026-11-27 09:00") and a
 * date alone (its midnight) are local times in zone tz (NULL: UTC). With
 * rel != 0, also relative to now: "-7d", "+2h", "now". Only years 1970 to
 * 9999 are times; durations go up to 100 years.
 */
#define INC_TIME_MIN INT64_C(0)			/* 1970-01-01T00:00:00Z */
#define INC_TIME_MAX INT64_C(253402300799)	/* 9999-12-31T23:59:59Z */
#define INC_DURATION_MAX (INT64_C(100) * 366 * 86400)
int inc_time_parse_tz(const char *s, int64_t now, int rel, const struct inc_tz *tz,
		      int64_t *out);
int inc_time_parse(const char *s, int64_t now, int rel, int64_t *out);	/* in UTC */
/* ISO 8601 UTC, buf of INC_TIMELEN bytes. */
#define INC_TIMELEN 80
char *inc_time_format(int64_t t, char *buf);
/* "90s", "15m", "4h", "2d", "1h30m", "1w", bare seconds; >= 0. -1 when
 * that is not what s is, -2 when it is but longer than INC_DURATION_MAX. */
int inc_duration_parse(const char *s, int64_t *out);
/* Shortest form: 5400 -> "1h30m". buf of INC_TIMELEN. */
char *inc_duration_format(int64_t secs, char *buf);
/* JSON value (string or integer) to time; without an offset in zone tz. */
int inc_time_from_json_tz(const json_t *, int64_t now, const struct inc_tz *tz, int64_t *out);
int inc_time_from_json(const json_t *, int64_t now, int64_t *out);	/* in UTC */
/* For people: the local time in zone tz (NULL: UTC), to the minute,
 * "2026-11-27 11:00" (buf of INC_TIMELEN). */
char *inc_time_local(int64_t t, const struct inc_tz *tz, char *buf);
/* Seconds east of UTC of zone tz at t; 0 for NULL (UTC). */
long inc_local_offset(const struct inc_tz *tz, int64_t t);
/* For people: the two largest units, cut: "2d 4h", "3h 20m", "45m", "0s"
 * (buf of INC_TIMELEN). */
char *inc_duration_human(int64_t secs, char *buf);

/* ---- business calendars (tz.c, calendar.c) ---- */

/* struct inc_tz: a loaded IANA zone (TZif + POSIX rule footer) */
int inc_tz_load(const char *name, struct inc_tz **out, char *err);
void inc_tz_free(struct inc_tz *);
/* Seconds east of UTC in force at instant t. */
long inc_tz_offset(const struct inc_tz *, int64_t t);
/* Local wall-clock seconds (as if UTC) to the instant; a time in a spring
 * gap maps to the end of the gap, an ambiguous one to its first occurrence. */
int64_t inc_tz_to_utc(const struct inc_tz *, int64_t local);
/* The first instant after t at which the zone changes its UTC offset (or
 * might: a change of abbreviation only counts too); INT64_MAX if none. */
int64_t inc_tz_next_change(const struct inc_tz *, int64_t t);

struct inc_calendar;
/* Builds a calendar from its config object; err names the problem (the
 * caller adds file and path). */
struct inc_calendar *inc_calendar_new(const json_t *obj, char *err);
void inc_calendar_free(struct inc_calendar *);
const char *inc_calendar_name(const struct inc_calendar *);
const char *inc_calendar_zone(const struct inc_calendar *);
/* The instant at which `secs` working seconds after `start` have passed.
 * secs == 0 returns start. Lands on a closing time: stays there. */
int64_t inc_cal_add(const struct inc_calendar *, int64_t start, int64_t secs);
/* Working seconds in [a, b); 0 when b <= a. */
int64_t inc_cal_count(const struct inc_calendar *, int64_t a, int64_t b);
/* For --explain: calls cb for each working interval within [a, b) and for
 * each local day skipped (why: "holiday", "closed"). */
enum inc_cal_seg { INC_SEG_WORK, INC_SEG_HOLIDAY, INC_SEG_CLOSED };
typedef void (*inc_cal_cb)(enum inc_cal_seg, int64_t from, int64_t to,
			   const char *localday, void *arg);
void inc_cal_walk(const struct inc_calendar *, int64_t a, int64_t b,
		  inc_cal_cb cb, void *arg);

/* ---- the field registry (fields.def, registry.c) ---- */

enum inc_ftype { INC_FT_STR, INC_FT_INT, INC_FT_CNT, INC_FT_FLAG, INC_FT_BOOL,
		 INC_FT_TIME, INC_FT_STATUS, INC_FT_JARR, INC_FT_JOBJ };
enum {
	INC_F_AUDIT = 1, INC_F_LOG = 2, INC_F_SET = 4, INC_F_SLA = 8, INC_F_RULE = 16,
	INC_F_RULESET = 32, INC_F_BY = 64, INC_F_TABLE = 128, INC_F_SLA_OBJ = 256
};

/* C types of the field types. */
#define INC_CTYPE_STR char *
#define INC_CTYPE_INT int64_t
#define INC_CTYPE_CNT int64_t
#define INC_CTYPE_FLAG int64_t
#define INC_CTYPE_BOOL int64_t
#define INC_CTYPE_TIME int64_t
#define INC_CTYPE_STATUS enum inc_status
#define INC_CTYPE_JARR char *	/* JSON text */
#define INC_CTYPE_JOBJ char *

struct inc_incident {
	int64_t id;
#define X(m, col, json, t, flags, ex) INC_CTYPE_##t m;
#include "fields.def"
#undef X
};

/* The registry as data: one entry per line of fields.def. */
struct inc_field {
	const char *name, *column, *json;
	enum inc_ftype type;
	unsigned flags, explicit_bit;
	size_t off;
};
extern const struct inc_field inc_fields[];
extern const size_t inc_nfields;
/* The field of that name, or NULL. */
const struct inc_field *inc_field_find(const char *name);
/* 1 if k is a top-level key of the record (or id, ref, sla, event,
 * history): a line fed back from inc-show carries them. */
int inc_field_record_key(const char *k);
/* The names of the fields with all of `flags`, comma-separated, for
 * messages ("want subject, description or ..."). */
const char *inc_field_names(unsigned flags, char *buf, size_t len);
/* A field's value as text: strings as they are, NULL when unset,
 * booleans "true"/"false", times ISO 8601, integers decimal (buf of
 * INC_TIMELEN). */
const char *inc_field_text(const struct inc_incident *, const struct inc_field *, char *buf);

/* Bits of inc_incident.explicit_: set at logging, kept by inc-classify. */
enum {
	INC_EXPLICIT_CATEGORY = 1, INC_EXPLICIT_SUBCATEGORY = 2,
	INC_EXPLICIT_IMPACT = 4, INC_EXPLICIT_URGENCY = 8,
	INC_EXPLICIT_GROUP = 16, INC_EXPLICIT_MAJOR = 32,
	INC_EXPLICIT_PRIORITY = 64
};

/* ---- rule expressions (regex.c) ---- */

struct inc_rule_re;		/* a compiled match condition */
/* Compile a rule's condition (config load): NULL with err on a bad
 * expression. Case-insensitive, PCRE2 with match limits. */
struct inc_rule_re *inc_rule_re_new(const char *pattern, char *err);
void inc_rule_re_free(struct inc_rule_re *);
/* 1 if re matches s (NULL never matches), 0 if not, -1 if the match gave
 * up at its limits (backtracking, time): no match, but not a sure one. */
int inc_rule_re_match(const struct inc_rule_re *, const char *s);
/* ---- mail (mail.c, mail_reply.c, html.c, mailbox.c) ---- */

/* the mail logic of inc-mail (the gateway) and inc-notify: parsing
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

/* ---- mailboxes (mailbox.c): where inc-mail's messages come from ---- */

/* A whole message from f into out (NUL-terminated), at most limit bytes
 * kept; *size counts them all, so that a message over the limit is known
 * as such and its pipe drained. 0, or -1 with err on a read error. */
int inc_mail_read(FILE *f, size_t limit, struct inc_buf *out, size_t *size, char *err);

/* An mbox, message by message: each from its "From " line (kept: it is
 * the envelope) to the next "From " line that follows a blank line, with
 * mboxrd's ">From " lines unquoted by one '>'. */
struct inc_mbox;
struct inc_mbox *inc_mbox_open(FILE *f);
void inc_mbox_close(struct inc_mbox *);
/* The next message into out, as inc_mail_read: 1, 0 at the end, -1 (err). */
int inc_mbox_next(struct inc_mbox *, size_t limit, struct inc_buf *out, size_t *size,
		  char *err);

/* The messages of maildir dir to take: those of new/, then those of cur/
 * without the S (seen) flag, each folder in name (arrival) order; paths
 * relative to dir ("new/NAME"), NULL-ended. NULL with err when a folder
 * cannot be read. */
char **inc_maildir_list(const char *dir, char *err);
void inc_maildir_free(char **list);
/* Message path (as listed) moved to cur/ with flags added to its own
 * ("S": seen), in the maildir's flag order. 0, or -1 (err). */
int inc_maildir_done(const char *dir, const char *path, const char *flags, char *err);

/* ---- reading other desks' logs (import_map.c, import_event.c, import_read.c, import_xes.c) ---- */

/* the reading half of inc-import: another desk's event log
 * (a ServiceNow CSV export, an XES process-mining log, a helpdesk CSV, or
 * inc's own JSON lines) read as one stream of normalized events, one JSON
 * object per event:
 *
 *	{"id":"INC0000045","at":"2016-02-29T01:16:00Z","seq":3,
 *	 "actor":"Updated by 21","status":"in_progress","group":"Group 56",
 *	 "tier":1,"assignee":"Resolver 5",...,"custom":{"made_sla":true}}
 *
 * The source's values are turned into inc's by a mapping file (JSON,
 * share/import/README.md). The readers stream: a fixed read buffer, one
 * row or event in memory at a time, whatever the length of the log.
 */

/*
 * Called once per normalized event, in file order. event is borrowed: take
 * a reference (json_incref) to keep it past the call. Return 0 to go on,
 * -1 (with err, INC_ERRLEN bytes) to stop the reading.
 *
 * A refused row or event (an unknown state, a bad time, a wrong type) is
 * reported through the same callback with event == NULL and err holding
 * the message, "line 12: unknown state \"Foo\"": return 0 to go on (the
 * row is counted in *refused), or -1 to stop (err then says why).
 */
typedef int (*inc_import_fn)(json_t *event, void *arg, char *err);

/* A loaded, validated mapping file. */
struct inc_import_map;

/* NULL with err ("PATH: status.map.\"Foo\": ...") when the file cannot be
 * read or is not a valid mapping. */
struct inc_import_map *inc_import_map_load(const char *path, char *err);
/* The same from a JSON text; name stands for the path in messages. */
struct inc_import_map *inc_import_map_parse(const char *text, const char *name,
					    char *err);
void inc_import_map_free(struct inc_import_map *);
/* The path (or name) it was loaded from. */
const char *inc_import_map_file(const struct inc_import_map *);

/*
 * Reads in (to its end) as format: "servicenow", "helpdesk" or "csv" (a CSV
 * file with a header line), "xes", or "jsonl" (the normalized events
 * themselves, validated: map may be NULL and is not used). Calls fn once
 * per event, in file order. *refused (may be NULL) counts the rows or
 * events refused and reported through fn.
 *
 * Returns 0 when the whole input was read (some rows may have been
 * refused), -1 with err when the reading stopped: fn returned -1, the
 * input cannot be read or parsed any further (malformed XML, an unclosed
 * CSV quote, a field over 16 MiB), or the input does not fit the mapping
 * (a column the mapping names is not in the header). Errors name the line.
 */
int inc_import_read(FILE *in, const char *format, const struct inc_import_map *map,
		    inc_import_fn fn, void *arg, size_t *refused, char *err);

/* ---- tables for people, CSV and TSV for spreadsheets (table.c) ---- */

int inc_term_width(void);	/* COLUMNS, the terminal, else 80 */
size_t inc_u8_width(const char *s);	/* characters of a UTF-8 string */
/* s with its control characters shown, never raw: \n, \r, \t, \e (ESC),
 * \xHH (other C0 and DEL), \u00HH (C1); a new string, NULL for NULL. */
char *inc_table_escape(const char *s);
/* A row of n cells, the first n-1 at widths w, the last filling width;
 * cells escaped (inc_table_escape), cut with "~", NULL shown as "-". */
void inc_table_row(struct inc_buf *, const char *const cells[], const size_t w[], int n,
		   int width);
/* A table held whole, so that its columns fit their cells: each column as
 * wide as its widest cell; when the row is wider than the terminal, the
 * last is cut down to 30 characters, then the widest of the others down to
 * min[], then the last down to its min[]. */
struct inc_table {
	int ncols;
	const char *const *head;	/* ncols names */
	const size_t *min;		/* ncols least widths */
	char **cells;			/* row-major, escaped; NULL shown as "-" */
	size_t nrows, cap;
};
/* Add a row of ncols cells (malloc'd or NULL; taken, and set to NULL). */
void inc_table_add(struct inc_table *, char **cells);
void inc_table_write(struct inc_buf *, const struct inc_table *, int width);
void inc_table_free(struct inc_table *);
/* One CSV (sep ',', RFC 4180) or TSV (sep '\t': \\, \t, \n, \r escaped)
 * cell; NULL is empty. A cell starting with =, +, -, @, tab or CR that is
 * not a number gets a leading ' (spreadsheet formula injection). */
void inc_sv_cell(struct inc_buf *, const char *s, char sep);
void inc_sv_row(struct inc_buf *, const char *const cells[], int n, char sep);

/* ======================================================================
 * 2. config (config.c, access.c)
 * ====================================================================== */

struct inc_person {
	const char *name, *email;
	enum inc_role role;
	const json_t *skills;	/* array of strings, never NULL */
	int available;
	int64_t max_open;	/* INC_NULL: no cap */
};

struct inc_group {
	const char *name, *manager, *escalate_to, *email;
	enum inc_strategy strategy;
	int tier;
	const json_t *members;	/* array of strings, never NULL */
};

enum { INC_RF_SUBJECT, INC_RF_DESCRIPTION, INC_RF_TEXT, INC_RF_REQUESTER,
       INC_RF_SOURCE, INC_RF_CATEGORY, INC_RF_N };
/* their keys in a rule's "match" */
extern const char *const inc_rule_fields[INC_RF_N];
struct inc_rule {
	struct inc_rule_re *re[INC_RF_N];	/* NULL: no condition on that field */
	const json_t *match, *set;
};

struct inc_policy {
	const char *name;
	const json_t *match;
	int64_t response, resolve;
	const struct inc_calendar *calendar;	/* NULL: around the clock, UTC */
	double warn;
};

struct inc_escrule {
	enum inc_esc_on on;
	enum inc_esc_action action;
	int64_t after;
	const json_t *notify;
	const json_t *match;	/* NULL: every incident */
	char key[256];		/* signature for escalation_fired */
};

struct inc_config {
	char *path;		/* where it came from */
	json_t *root;		/* owns every string the structs point to */
	const json_t *impact, *urgency, *priority;	/* level arrays */
	const json_t *matrix, *defaults, *categories, *closure_codes;
	struct inc_person *people; size_t npeople;
	struct inc_group *groups; size_t ngroups;
	struct inc_rule *rules; size_t nrules;
	struct inc_calendar **calendars; size_t ncalendars;
	struct inc_policy *policies; size_t npolicies;
	struct inc_escrule *escalation; size_t nescalation;
	int64_t reopen_window;	/* closed incidents reopen within this */
	/* inc-notify: event kind -> who is mailed (the defaults filled in),
	 * and the folder of templates that override the shipped ones */
	const json_t *notify_on;
	const char *templates;
	/* mail: the desk's own address and name, the command that sends,
	 * the sender domains let in or kept out, size limits in bytes */
	const char *mail_address, *mail_name, *sendmail;
	const json_t *mail_allow, *mail_deny;
	int64_t mail_max, attach_max;
	struct inc_tz *tz;	/* the desk's time zone; NULL: UTC */
};

/* Finds the config (-c, INC_CONFIG, XDG, /etc, shipped default); path may be
 * NULL. On error, err reads "FILE: PATH: problem". */
struct inc_config *inc_config_load(const char *path, char *err);
/* The same from text (tests, fuzzing); name stands for the file. */
struct inc_config *inc_config_parse(const char *text, size_t len, const char *name, char *err);
void inc_config_free(struct inc_config *);
/* The config a tool would use (SPEC section 5's order), or NULL. */
const char *inc_config_find(const char *arg, char *buf, size_t len);
/* The shipped default config's path, or NULL. */
const char *inc_config_default_path(char *buf, size_t len);
const struct inc_person *inc_config_person(const struct inc_config *, const char *name_or_email);
const struct inc_group *inc_config_group(const struct inc_config *, const char *name);
const struct inc_calendar *inc_config_calendar(const struct inc_config *, const char *name);
int inc_config_level(const json_t *levels, const char *value);	/* index or -1 */
const char *inc_config_priority(const struct inc_config *, const char *impact, const char *urgency);
int inc_config_category(const struct inc_config *, const char *cat, const char *sub);
/* "unknown group \"x\" (want a, b or c)": the message for a value a
 * config list does not have; what names the kind ("group", "closure code"). */
int inc_config_unknown(const json_t *names, const char *what, const char *value, char *err);
int inc_config_unknown_group(const struct inc_config *, const char *value, char *err);
/* Whom a notify list may name: a role word (requester, assignee, group,
 * manager, incident_manager), a person of the config, an address. */
int inc_config_notify_target(const struct inc_config *, const char *who);
#define INC_NOTIFY_WANT "requester, assignee, group, manager, incident_manager, a person or an address"
/* One plain e-mail address (local@domain): no name, no list, no spaces. */
int inc_config_address(const char *s);
/* "512K", "10M", "1G", "25MB" or bytes. */
int inc_size_parse(const char *s, int64_t *out);
/* The same for a category, or a subcategory (sub) of cat (NULL: of any
 * category): "unknown subcategory \"x\" of \"network\" (want vpn or wifi)". */
int inc_config_unknown_category(const struct inc_config *, const char *cat, const char *sub,
				char *err);
/* The same for a person, listing the people's names (those who may be
 * assigned, not requesters, when assignable). */
int inc_config_unknown_person(const struct inc_config *, const char *what, const char *value,
			      int assignable, char *err);

/* ---- access (access.c) ---- */

enum inc_act {
	INC_ACT_LOG,		/* log an incident */
	INC_ACT_SEE,		/* read an incident */
	INC_ACT_NOTE,		/* add a note */
	INC_ACT_WORK,		/* change status, assign, resolve, tasks */
	INC_ACT_CONFIRM,	/* confirm, rate, reopen */
	INC_ACT_REPORT,		/* read KPIs */
	INC_ACT_FORCE,		/* --force */
	INC_ACT_MAJOR,		/* declare or undeclare a major incident */
	INC_ACT_REASSIGN	/* hand assignment across groups */
};
/* Role of an actor: requester when not listed; admin when the config has
 * no people at all. */
enum inc_role inc_role(const struct inc_config *, const char *actor);
/* 1 if actor may do act on an incident with the given requester (may be NULL). */
int inc_may(const struct inc_config *, const char *actor, enum inc_act act,
	    const char *requester);

/* ======================================================================
 * 3. storage (db.c, db_sqlite.c, db_pg.c)
 * ====================================================================== */

struct inc_db;		/* a connection */
struct inc_sql;		/* a prepared statement on it */

/* What went wrong last on a connection. */
enum inc_dberr {
	INC_DBE_OK,
	INC_DBE_UNIQUE,		/* a unique key refused the row: the record's business */
	INC_DBE_CONSTRAINT,	/* another constraint refused it: the record's business */
	INC_DBE_BUSY,		/* still locked after the busy timeout: the run stops, exit 3 */
	INC_DBE_FATAL		/* full, I/O, read-only, corrupt, transaction lost: the run stops, exit 3 */
};

/* Opens (creating file and schema, migrating) arg, or INC_DB, or
 * $XDG_DATA_HOME/inc/inc.db. NULL with err "WHERE: what". */
struct inc_db *inc_db_open(const char *arg, int busy_ms, char *err);
/* The database inc_db_open would open is there already (nothing made). */
int inc_db_exists(const char *arg);
/* Closes; a connection that wrote leaves no large WAL behind it. */
void inc_db_close(struct inc_db *);
/* Closes; a database this open made is removed too (SQLite: the file and
 * its -wal and -shm), so that nothing half-made is mistaken for a desk. */
void inc_db_discard(struct inc_db *);
const char *inc_db_name(const struct inc_db *);
/* The folder of the files that go with the database (inc-mail's
 * attachments): a SQLite file's own; for a server's database the data
 * folder of whoever runs the tool, $XDG_DATA_HOME/inc (else
 * ~/.local/share/inc), made when missing. -1 with err when there is none. */
int inc_db_folder(const struct inc_db *, char *out, size_t len, char *err);
const char *inc_db_engine(const struct inc_db *);	/* "sqlite", "postgresql" */
/* The SQL dialect of a connection, for the few statements that cannot be
 * written once for both engines: choose between two literals with it. */
enum inc_dialect { INC_SQLITE, INC_PG };
enum inc_dialect inc_db_dialect(const struct inc_db *);
/* The name is a libpq connection URI (postgresql://, postgres://). */
int inc_db_is_uri(const char *name);
/* Who the server says the session is (PostgreSQL's session_user), and its
 * standing on this desk: the owner (a superuser, or the database's owner:
 * who ran inc init), an admin (in the desk's group role DB_admin), or a
 * login like any other. 1 with login and *standing; 0 when the engine has
 * no logins (SQLite: the file's permissions are the boundary); -1 (err). */
enum inc_standing { INC_LOGIN_USER, INC_LOGIN_ADMIN, INC_LOGIN_OWNER };
int inc_db_login(struct inc_db *, char *login, size_t len, enum inc_standing *, char *err);
/* inc db roles (dbroles.c): the desk's group roles, grants and row-level
 * security made or brought up to date, then each person of the config given
 * a login in the group of their role (no other), and every other login of
 * the desk's groups taken out of them. fn hears each login and what was
 * done: "created", "granted" (the role changed), "kept", "revoked". 0, or
 * -1 with err (SQLite: "no logins"; not the owner; the server's refusal). */
int inc_db_roles(struct inc_db *, const struct inc_config *,
		 void (*fn)(const char *login, const char *role, const char *did, void *arg),
		 void *arg, char *err);
/* inc init on PostgreSQL: the group roles, grants and policies alone. */
int inc_db_secure(struct inc_db *, char *err);
int inc_db_schema_version(void);
int inc_db_created(const struct inc_db *);	/* this open made the database */
int inc_db_exec(struct inc_db *, const char *sql, char *err);

/* A lock named name among all the processes of this database, held until
 * inc_db_unlock or the end of the process (kill -9 included; a child does
 * not inherit it): 1 taken (*handle set), 0 another process holds it, -1
 * with err. SQLite: a file beside the database, DB-NAME.lock (flock);
 * PostgreSQL: an advisory lock of the session. */
int inc_db_lock(struct inc_db *, const char *name, int *handle, char *err);
void inc_db_unlock(struct inc_db *, const char *name, int handle);

/* A private schema "scratch" on this connection, for a work table as
 * large as the input (inc-import's stage): on disk, seen by no other
 * connection, gone when this one closes or the process ends. Outside a
 * transaction. 0, or -1 with err. */
int inc_db_scratch(struct inc_db *, char *err);

/* The last failure: its message into err (returns -1), its class, and
 * whether the run must stop (a busy or fatal failure happened). */
int inc_db_err(const struct inc_db *, char *err);
enum inc_dberr inc_db_errclass(const struct inc_db *);
int inc_db_failed(const struct inc_db *);

/* A statement cached by its SQL literal (the pointer is the key): NULL
 * when it cannot be prepared (the error is the connection's; every call
 * below takes NULL and fails). SQL text is fixed; values are bound. */
struct inc_sql *inc_sql(struct inc_db *, const char *sql);
/* A statement of SQL built at run time, freed with inc_sql_free. */
struct inc_sql *inc_sql_new(struct inc_db *, const char *sql);
void inc_sql_free(struct inc_sql *);
void inc_sql_int(struct inc_sql *, int i, int64_t v);	/* INC_NULL binds NULL */
void inc_sql_text(struct inc_sql *, int i, const char *s);	/* NULL binds NULL; s lives until reset */
int inc_sql_step(struct inc_sql *);	/* 1 a row, 0 done, -1 failed */
int inc_sql_null(struct inc_sql *, int col);
int64_t inc_sql_col_int(struct inc_sql *, int col);	/* INC_NULL for NULL */
const char *inc_sql_col_text(struct inc_sql *, int col);	/* until the next step */
char *inc_sql_col_dup(struct inc_sql *, int col);	/* a copy, NULL for NULL */
/* A result's shape: its columns, a column's name, and the kind of its
 * value in the current row (-1: a kind inc never stores, REAL or BLOB). */
enum { INC_COL_NULL, INC_COL_INT, INC_COL_TEXT };
int inc_sql_ncols(struct inc_sql *);
const char *inc_sql_col_name(struct inc_sql *, int col);
int inc_sql_col_kind(struct inc_sql *, int col);
void inc_sql_reset(struct inc_sql *);	/* ready to bind and run again */
/* Step to the end and reset: 0, or -1 with err. */
int inc_sql_run(struct inc_sql *, char *err);
/* The first column of the first row: 1 found, 0 no row, -1 with err. */
int inc_sql_one_int(struct inc_sql *, int64_t *out, char *err);
int64_t inc_db_changes(struct inc_db *);	/* rows changed since opening */
/* The id (rowid) the connection's last successful INSERT gave its row: no
 * RETURNING, which costs an ephemeral table per statement. */
int64_t inc_db_last_id(struct inc_db *);
/* A number that moves whenever what this connection read may no longer
 * hold: another connection committed, or this one rolled back. Asked
 * inside a transaction, a cache of what was read stays good while it
 * stays the same. */
int64_t inc_db_generation(struct inc_db *);
/* Wait, without polling the database, until another process may have
 * committed something: 1 (perhaps something new), 0 timeout, -1 a signal
 * or an error. The first call starts watching and returns 1 at once, so
 * that nothing committed between a last read and the wait is missed. */
int inc_db_wait(struct inc_db *, int timeout_ms);

/* Transactions (a write lock taken at BEGIN) and the savepoint each record
 * runs in. 0, or -1 with the failure on the connection. */
int inc_db_begin(struct inc_db *);
/* A read-only transaction: one snapshot for several queries, no lock. */
int inc_db_begin_read(struct inc_db *);
int inc_db_commit(struct inc_db *);
void inc_db_rollback(struct inc_db *);
int inc_db_in_tx(const struct inc_db *);

/* Moving a desk (dbcopy.c): every table of src, row for row (ids, seqs,
 * times, the audit trail, the event log, cursors, the outbox), into dst,
 * a database of the same schema with no incident, audit row or event yet,
 * in one transaction of dst read from one snapshot of src, then each
 * table's rows counted on both sides. fn hears of each table copied.
 * 0, or -1 with err ("dst: not empty", "table: 5 rows copied, 6 read"). */
extern const char *const inc_db_tables[];	/* in copying order, NULL-ended */
int inc_db_copy(struct inc_db *src, struct inc_db *dst,
		void (*fn)(const char *table, int64_t rows, void *arg), void *arg, char *err);
int inc_db_savepoint(struct inc_db *);
int inc_db_release(struct inc_db *);
int inc_db_rollback_to(struct inc_db *);	/* and release */

/* ======================================================================
 * 4. context (ctx.c)
 * ====================================================================== */

struct inc_ctx {
	/* from the common options; NULL: the environment's, or the default */
	const char *db_arg, *config_arg, *now_arg, *as_arg;
	struct inc_db *db;
	struct inc_config *cfg;
	int64_t now;
	char actor[256];
	enum inc_role role;
	int as_given;		/* --as or INC_USER named the actor */
	/* the database login (PostgreSQL's session_user; "" on SQLite) and
	 * its standing (inc_db_login) */
	char login[256];
	enum inc_standing standing;
	int busy_ms;		/* INC_BUSY_TIMEOUT */
	int pinned;		/* --now or INC_NOW named the time */
	int read_only;		/* the tool only reads: any --now is its business */
	int force;
	struct inc_buf out;	/* records waiting for the commit */
	int status;		/* running exit status */
	int out_errno;		/* a write to stdout failed */
	/* set by a tool whose record function refuses before its first write:
	 * the input loop then takes no savepoint per record (bulk speed); a
	 * record that fails after writing stops the run, exit 3 */
	int no_savepoint;
	/* sla_store.c's cache of inc_sla_config_state() + 1; 0: not asked yet */
	int sla_config;
	/* record.c's count of open incidents per assignee (inc_open_count):
	 * good while the database's generation stays gen */
	struct inc_loads {
		char **name;
		int64_t *open;
		size_t n, cap;
		int64_t gen;
	} loads;
	/* record.c's UPDATE texts, one per set of columns a save changes
	 * (bit i: inc_fields[i]); the statement cache's keys, freed with the
	 * context, after the database */
	/* input.c: what inc_each_prep's prep made of the record's line */
	void *prepared;
	/* assign.c: with defer_rotation, the round-robin turn inc_route took
	 * is kept here, written by inc_rotation_flush() once the incident is
	 * (inc-assign: no write before a refusal, no savepoint per record) */
	int defer_rotation;
	char *rotation_group, *rotation_member;
	/* events.c, record.c: with defer_rows (input.c sets it for a tool
	 * without a savepoint per record, inc_consume around each event), the
	 * event and audit rows of a batch are kept here and written by
	 * inc_rows_flush() before its commit, many rows an INSERT: a change,
	 * its audit rows and its event still commit together. rows_flushed
	 * counts the flushes that wrote rows: inc_consume asks whether one
	 * came in the middle of an event, whose savepoint would then take
	 * earlier events' rows with it. */
	int defer_rows;
	unsigned long rows_flushed;
	/* their texts are offsets in pev_text and pau_text, NUL-terminated
	 * one after the other (INC_NOTEXT: null), not a malloc each */
	struct inc_pending_event {
		int64_t at, incident;
		size_t kind, data;
	} *pev;
	size_t npev, cappev;
	struct inc_buf pev_text;
	/* the incidents of the kept events, a set (open addressing, 0 an
	 * empty slot; ids are >= 1): whether one has any is asked without
	 * writing them out (inc_events_kept) */
	int64_t *pev_ids;
	size_t npev_ids, cappev_ids;
	struct inc_pending_audit {
		int64_t incident, task, at;
		size_t action, field, old, new_;
	} *pau;
	size_t npau, cappau;
	struct inc_buf pau_text;
	struct inc_upd {
		uint64_t cols;
		char *sql;
	} upd[16];
	int nupd;
};

/* Long options every tool takes; put INC_COMMON_LONGOPTS in the
 * getopt_long table and hand unknown cases to inc_ctx_option(). */
enum { INC_OPT_NOW = 0x1000, INC_OPT_AS, INC_OPT_VERSION, INC_OPT_TOOL };
#define INC_COMMON_LONGOPTS \
	{"db", required_argument, 0, 'd'}, \
	{"config", required_argument, 0, 'c'}, \
	{"now", required_argument, 0, INC_OPT_NOW}, \
	{"as", required_argument, 0, INC_OPT_AS}, \
	{"help", no_argument, 0, 'h'}, \
	{"version", no_argument, 0, INC_OPT_VERSION}
#define INC_COMMON_SHORTOPTS "d:c:h"

/* -d, -c, --now, --as: 1 taken; 0 not a common option (-h and --version
 * are the tool's to answer). */
int inc_ctx_option(struct inc_ctx *, int opt, const char *arg);
/* The environment, then the config: now, actor, role. -1 with err: a
 * usage or config error (exit 2). */
int inc_ctx_config(struct inc_ctx *, char *err);
/* The database (exit 3 on failure). A database made under a pinned clock
 * (--now, INC_NOW) is a test or replay database, and says so in meta. On
 * a server with logins the actor is then the login (inc_db_login), and the
 * role its: -2 with err (a usage error) when --as or INC_USER names
 * another and the login is neither an admin's nor the owner's. */
int inc_ctx_db(struct inc_ctx *, char *err);
/* --now more than 5 minutes from the real clock, for a tool that writes:
 * only an admin, or any actor on a test database; -1 with err (a usage
 * error) otherwise. */
int inc_ctx_clock_ok(struct inc_ctx *, char *err);
/* Who an audit row or event records as having acted for the actor: the
 * login, when an admin's login (not the owner's) acts for another ("mail
 * for joe"); NULL when the actor acts in person, and on SQLite. */
const char *inc_ctx_via(const struct inc_ctx *);
/* 1 for a server's login that acts only as itself: neither an admin's
 * nor the owner's (it may not act for others: a gateway, an import; its
 * rows are under row-level security); 0 for those and on SQLite. */
int inc_ctx_self_only(const struct inc_ctx *);
/* Commit, flush, close; returns the exit status. err gets what went wrong
 * at the end (a failed commit or write), or is left empty. */
int inc_ctx_close(struct inc_ctx *, char *err);

/* Transactions of the run: a write transaction around many records, the
 * records' output written once it commits. -1: the database failed (its
 * error on ctx->db). */
int inc_tx_begin(struct inc_ctx *);
int inc_tx_commit(struct inc_ctx *);
void inc_tx_rollback(struct inc_ctx *);	/* drops the transaction and its output */
/* Writes what is pending on stdout when no transaction holds it. */
void inc_ctx_flush(struct inc_ctx *);
/* Append a raw JSON object (stolen) to the output: tasks, report rows. */
void inc_emit_json(struct inc_ctx *, json_t *);

/* ======================================================================
 * 5. record (record.c, fields.c)
 * ====================================================================== */

void inc_incident_init(struct inc_incident *);	/* all null, counters 0, status new */
void inc_incident_clear(struct inc_incident *);	/* free strings, re-init */
void inc_incident_copy(struct inc_incident *dst, const struct inc_incident *src);
/* Replace a string field: frees the old value, copies v (may be NULL). */
void inc_set_str(char **field, const char *v);
/* The record of SPEC section 1, compact, appended to b; extra's members
 * then event follow the record's fields (both may be NULL). */
void inc_incident_write(struct inc_buf *b, const struct inc_incident *,
			const json_t *event, const json_t *extra);
/* Append a record (and its event, stolen, may be NULL) to the pending
 * output, written when the transaction commits. */
void inc_emit(struct inc_ctx *, const struct inc_incident *, json_t *event);
/* The record's text after its id and ref, without the closing brace:
 * rendered ahead, on input.c's reader thread, for an incident whose id is
 * not known yet. inc_emit_rest(ctx, id, rest, n, event) then emits what
 * inc_emit would for that incident, as it was rendered. */
void inc_incident_write_rest(struct inc_buf *b, const struct inc_incident *);
void inc_emit_rest(struct inc_ctx *, int64_t id, const char *rest, size_t n, json_t *event);

/* Load an incident by id: 1 found, 0 not found, -1 error (err). */
int inc_incident_load(struct inc_ctx *, int64_t id, struct inc_incident *, char *err);
/* The same for a record that must exist: 0, or -1 ("no such incident"). */
int inc_incident_get(struct inc_ctx *, int64_t id, struct inc_incident *, char *err);
int inc_incident_by_external(struct inc_ctx *, const char *xid, struct inc_incident *, char *err);
/* Insert (id assigned) and audit "logged": 0, or -1 with err (a taken
 * external_id: inc_db_errclass() is INC_DBE_UNIQUE). */
int inc_incident_insert(struct inc_ctx *, struct inc_incident *, char *err);
/* What the insert fills in where r leaves it unset: created_at (now),
 * detected_at (created_at), updated_at (now), [] and {} for JSON fields. */
void inc_incident_defaults(const struct inc_ctx *, struct inc_incident *);
/* Write r's changed columns against before, one audit row per changed
 * audited field (action names what happened), updated_at = ctx->now when
 * anything changed. The row alone: inc_incident_store() (incident layer)
 * is what tools call, so that the SLA clocks follow. */
int inc_record_save(struct inc_ctx *, const struct inc_incident *before,
		    struct inc_incident *r, const char *action, char *err);
/* Open incidents assigned to name as stored, this run's writes included;
 * -1 with err on error. Inside a transaction each name is counted once,
 * then kept as inc_incident_insert and inc_record_save move incidents, as
 * long as inc_db_generation() stays (nobody else wrote, nothing rolled
 * back): routing a million incidents costs no million counts. */
int64_t inc_open_count(struct inc_ctx *, const char *name, char *err);
/* The audit rows of inc_record_save alone, for the audited fields that
 * have all of `only` (INC_F_SLA_OBJ: the clocks'); nothing written to the
 * incident row. */
int inc_record_audit(struct inc_ctx *, const struct inc_incident *before,
		     const struct inc_incident *r, const char *action, unsigned only, char *err);
/* An audit row of its own (notes, escalations, tasks). */
int inc_audit(struct inc_ctx *, int64_t incident, int64_t task, const char *action,
	      const char *field, const char *old, const char *new_, char *err);

/* One row of the audit trail. */
struct inc_audit_row {
	int64_t at, task;
	char *actor, *tool, *action, *field, *old, *new_;
	char *via;		/* the login that acted for actor; NULL: in person */
};
/* The audit trail of an incident, oldest first: *rows malloc'd (free with
 * inc_audit_free). 0, or -1 with err. */
int inc_audit_read(struct inc_ctx *, int64_t incident, struct inc_audit_row **rows,
		   size_t *n, char *err);
void inc_audit_free(struct inc_audit_row *, size_t n);
/* The audit trail as the JSON array of inc-show --history. */
json_t *inc_history(struct inc_ctx *, int64_t incident, char *err);

/* ---- descriptive fields (fields.c) ---- */

/* Set field k from v with validation: 0 done, -1 refused (err), 1 not a
 * descriptive field (inc-log puts those into custom). */
int inc_field_set(const struct inc_config *, struct inc_incident *, const char *k,
		  json_t *v, char *err);
/* Merge into the custom fields: k set to v (null deletes it), or every
 * key of obj when obj is given. */
void inc_custom_merge(struct inc_incident *, const char *k, json_t *v, json_t *obj);
/* Append {type, ref} to a links array unless present; type validated. */
int inc_links_add(json_t *links, const char *type, const char *ref, char *err);
/* "TYPE:REF" appended to links. */
int inc_links_add_ref(json_t *links, const char *type_ref, char *err);
/* Category and subcategory in the tree; required form fields present. */
int inc_check_category(const struct inc_config *, const struct inc_incident *, char *err);
int inc_check_form(const struct inc_config *, const struct inc_incident *, char *err);

/* ======================================================================
 * 6. clocks (sla_clock.c): SLA arithmetic, no database
 * ====================================================================== */

enum inc_sla_state { INC_SLA_OK, INC_SLA_WARNING, INC_SLA_BREACHED, INC_SLA_MET };
const char *inc_sla_state_name(enum inc_sla_state);

/* The first policy whose match holds for r, or NULL. */
const struct inc_policy *inc_sla_match(const struct inc_config *, const struct inc_incident *);
/* 1 if escalation rule e's match (none: every incident) holds for r. */
int inc_esc_applies(const struct inc_escrule *, const struct inc_incident *);
const struct inc_policy *inc_sla_policy(const struct inc_config *, const char *name);
/* 1 if every value of a match object (an SLA policy's, an escalation
 * rule's) equals the record's; why (may be NULL) says so, or names the
 * first field that differs. */
int inc_sla_match_holds(const json_t *match, const struct inc_incident *, struct inc_buf *why);
/* The clocks themselves (struct inc_sla_clock, inc_sla_instant, when each
 * escalation rule applies) are in the private sla_int.h. */

/* ======================================================================
 * 7. incident (incident.c, events.c, lifecycle.c, sla_store.c, sla_explain.c)
 * ====================================================================== */

/* Load incident id for act by ctx->actor: 0 loaded; -1 with err "no such
 * incident" or "not allowed: why". */
int inc_load_may(struct inc_ctx *, int64_t id, enum inc_act act, const char *why,
		 struct inc_incident *, char *err);

/* Store `r` against `before`: the SLA fields follow the change
 * (inc_sla_update), then inc_record_save. What every tool calls. */
int inc_incident_store(struct inc_ctx *, const struct inc_incident *before,
		       struct inc_incident *r, const char *action, char *err);

/* The major_declared event of r, logged (inc_incident_store logs it when
 * a stored incident becomes major). */
int inc_major_declared(struct inc_ctx *, const struct inc_incident *r, char *err);

/* ---- the event log (events.c) ---- */

/* Append event ev (its "kind" names it) of r to the event log, in the
 * transaction of the change it tells of: 0, or -1 (err). */
int inc_event_log(struct inc_ctx *, const struct inc_incident *r, const json_t *ev, char *err);
/* The events kept under ctx->defer_rows: written (0, or -1 with err), or
 * dropped from the n-th on (a batch rolled back: 0). */
int inc_events_flush(struct inc_ctx *, char *err);
void inc_events_drop(struct inc_ctx *, size_t from);
/* Whether events of incident id are kept, not yet written (a query of the
 * event log about id must flush them first; about another, need not). */
int inc_events_kept(const struct inc_ctx *, int64_t id);
/* The same for the audit rows (record.c), and for both. */
int inc_audit_flush(struct inc_ctx *, char *err);
void inc_audit_drop(struct inc_ctx *, size_t from);
int inc_rows_flush(struct inc_ctx *, char *err);
/* Of n rows (n >= 1) to write with texts of 1, 2, 4, ... max rows (max a
 * power of two): how many the next INSERT takes, the largest that fits,
 * and in *text the index of its text (0 for 1 row, 1 for 2, ...). */
size_t inc_rows_run(size_t n, size_t max, int *text);
/* What the kept rows hold, freed (inc_ctx_close). */
void inc_rows_free(struct inc_ctx *);
/* The offset of s (NULL: INC_NOTEXT) appended to b with its NUL; and the
 * text at an offset. */
#define INC_NOTEXT ((size_t)-1)
size_t inc_text_put(struct inc_buf *b, const char *s);
static inline const char *
inc_text_at(const struct inc_buf *b, size_t off)
{
	return off == INC_NOTEXT ? NULL : b->data + off;
}
/* inc_event_log, then the record with ev (stolen) on the output. */
int inc_event(struct inc_ctx *, const struct inc_incident *r, json_t *ev, char *err);

/* An event as the log keeps it. */
struct inc_event_row {
	int64_t seq, at, incident;
	char *actor, *tool, *kind;
	char *via;		/* the login that acted for actor; NULL: in person */
	json_t *data;		/* the event object */
};
void inc_event_row_clear(struct inc_event_row *);
/* The events after seq of the kinds named (NULL or []: all), oldest first
 * (*rows malloc'd), among the next max rows of the log (of those kinds
 * when they are four at most, else of any kind, the others dropped); in
 * *upto (may be NULL) how far the log was looked at: the last row read
 * when max were, else the log's last, read in the rows' snapshot (the
 * caller's transaction, else a read transaction of its own), so that a
 * cursor may pass it. 1: more may follow, 0: no more, -1 (err). */
/* Events a consumer reads (and acts on) per transaction: inc_consume, and
 * inc-events. */
#define INC_EVENTS_BATCH 500
int inc_events_fetch(struct inc_ctx *, int64_t after, size_t max, const json_t *kinds,
		     struct inc_event_row **rows, size_t *n, int64_t *upto, char *err);
void inc_events_free(struct inc_event_row *, size_t n);
/* The event object as a consumer shows it: the stored one with at, actor
 * and tool. */
json_t *inc_event_object(const struct inc_event_row *);
/* A consumer's cursor: the last seq it has passed, 0 for a new one. Set
 * never moves it back. */
int inc_cursor_get(struct inc_ctx *, const char *name, int64_t *seq, char *err);
int inc_cursor_set(struct inc_ctx *, const char *name, int64_t seq, char *err);
/* The first tool to move a cursor owns it (inc-escalate, inc-notify,
 * inc-events): 1 with its name in owner ("" when nobody's yet: made by a
 * seek), 2 when that is another tool than this one, 0 when there is no
 * such cursor, -1 (err). A consumer must not take another tool's cursor:
 * its events would be passed over unacted. */
int inc_cursor_owner(struct inc_ctx *, const char *name, char *owner, size_t len, char *err);
/* A seek sets the cursor anywhere, back too, and keeps its owner; a drop
 * forgets it (1, or 0 when there was none). */
int inc_cursor_seek(struct inc_ctx *, const char *name, int64_t seq, char *err);
int inc_cursor_drop(struct inc_ctx *, const char *name, char *err);
/* Act on every event after consumer name's cursor (kinds: only those, the
 * others passed by; NULL: all), oldest first: fn runs inside a savepoint,
 * and the cursor moves past it in the same transaction, batch by batch.
 * fn returning -1 (err) stops the run at that event, which waits for the
 * next run (status 1); a database failure stops it too (status 3). fn
 * returning 1 passes the event over (fn says why): nothing it wrote
 * stands, and the cursor moves past it. */
typedef int (*inc_event_fn)(struct inc_ctx *, const struct inc_event_row *, void *arg,
			    char *err);
int inc_consume(struct inc_ctx *, const char *name, const json_t *kinds, inc_event_fn fn,
		void *arg);
/* The event as inc-events writes it: the incident's current record with
 * "seq" and "event" (at, actor, tool added), one line appended to out. 1
 * written, 0 not (an incident the actor may not see), -1 (err). */
int inc_event_write(struct inc_ctx *, const struct inc_event_row *, struct inc_buf *out,
		    char *err);
/* Drop the events older than before that every consumer has passed. */
int inc_events_prune(struct inc_ctx *, int64_t before, int64_t *n, char *err);

/* ---- life cycle (lifecycle.c) ---- */

/* SPEC section 3's moves (reopen from closed is inc-close's to allow). */
int inc_status_allowed(enum inc_status from, enum inc_status to);
/* Move to status `to` with what the move brings: an unassigned incident
 * taken (new -> in_progress) or resolved by a technician becomes theirs,
 * the response clock at in_progress or resolution, holds opened and
 * closed, resolved_at and closed_at, clearing on reopen (resolved or
 * closed -> in_progress, with reopen_count + 1). Refuses others. */
int inc_set_status(struct inc_ctx *, struct inc_incident *, enum inc_status to, char *err);
/* The same move as another desk's log has it (inc-import): every move is
 * made, those refused above included, with what it implies (holds, the
 * response clock, resolution, closure, a reopening when a resolved or
 * closed incident goes back to an open status); nobody is taken. */
int inc_status_replay(struct inc_ctx *, struct inc_incident *, enum inc_status to, char *err);
/* The first response: responded_at. */
void inc_mark_response(struct inc_ctx *, struct inc_incident *);
/* Group and assignee: the first assignee is remembered, every later change
 * counts as a reassignment, and new moves to assigned with an assignee. */
void inc_set_assignment(struct inc_ctx *, struct inc_incident *, const char *group,
			const char *assignee);

/* ---- SLA state in the database (sla_store.c) ---- */

/* Recompute the stored SLA fields of r at ctx->now (due times, paused_s,
 * met flags, state, sla_next_check), writing no event. An open incident
 * whose first matching policy is no longer its own switches to it. While
 * the SLA config differs from the one the due times were computed with,
 * due times stay as stored until inc-sla --recompute. */
int inc_sla_update(struct inc_ctx *, struct inc_incident *, char *err);

/* What one inc-sla pass does to an incident (inc_sla_check's mode). */
enum inc_sla_mode {
	INC_SLA_PASS,		/* attach, report transitions and delayed rules once */
	INC_SLA_ALL,		/* attach, refresh, always write, no event, report nothing */
	INC_SLA_RECOMPUTE	/* re-apply the config; write what changed, no event */
};
/* One incident in an inc-sla run: attaches the first matching policy to
 * an open incident without one, refreshes the SLA fields, and in
 * INC_SLA_PASS mode compares each target's state with what was last
 * reported. Returns 1 when r is to be written (with *event, may be NULL),
 * 0 when not, -1 on error (err). Writes the incident. */
int inc_sla_check(struct inc_ctx *, struct inc_incident *, enum inc_sla_mode,
		  json_t **event, char *err);
/* The SLA config (policies, calendars, escalation delays) against the
 * fingerprint the database recorded; -1 on error. Cached in ctx. */
enum { INC_SLACFG_NONE, INC_SLACFG_SAME, INC_SLACFG_CHANGED };
int inc_sla_config_state(struct inc_ctx *, char *err);
/* Compute with the SLA config as it is, whatever the database recorded
 * (inc-sla --recompute, before it records the new fingerprint). */
void inc_sla_config_apply(struct inc_ctx *);
/* Record the current config's fingerprint (inside a transaction). */
int inc_sla_config_record(struct inc_ctx *, char *err);
/* With the SLA config changed and not applied: how many open incidents
 * are watched on their stored instants (0 when the config is applied);
 * -1 on error. */
int64_t inc_sla_config_stale(struct inc_ctx *, char *err);
/* When rule `key` fired for incident id: 1 fired (*at set, may be NULL),
 * 0 not, -1 on error. The one reader of escalation_fired. */
int inc_esc_fired(struct inc_ctx *, int64_t id, const char *key, int64_t *at, char *err);

/* The clock of r segment by segment, for people (sla_explain.c). */
int inc_sla_explain(struct inc_ctx *, const struct inc_incident *, struct inc_buf *out,
		    char *err);

/* ======================================================================
 * 8. work
 * ====================================================================== */

/* ---- classification (rules.c) ---- */

/*
 * Classify r by the config's rules (SPEC section 5): in order, every rule
 * whose match holds against the record as the earlier rules left it applies
 * its set, a later rule overriding an earlier one field by field. Fields
 * explicit at logging stay unless force; the group of an incident that has
 * an assignee stays (routing placed it). Then defaults fill impact, urgency
 * and group still unset, a subcategory not in the final category is
 * dropped, and priority comes from the matrix (an explicit one stays unless
 * force). explain (may be NULL) gets "rules" (matched: index, match, set),
 * "kept" (fields a rule would have changed) and "defaults" (fields
 * defaulted), and "gave_up" when a rule's match gave up at its limits
 * (index, field), a rule that then does not apply. gave_up (may be NULL)
 * gets the first of those as "rules[K]: match.FIELD", or "" if none.
 * Returns 1 if r changed, 0 if not.
 */
int inc_classify(const struct inc_config *, struct inc_incident *, int force,
		 json_t *explain, char *gave_up);

/* ---- assignment (assign.c) ---- */

/* Open incidents assigned to name, not counting incident `except`; -1 with
 * err on error. */
int64_t inc_open_load(struct inc_ctx *, const char *name, int64_t except, char *err);
/*
 * Route r into group by the group's strategy (round_robin from the member
 * after the last one taken, remembered in table rotation; least_loaded;
 * skills), skipping members not available or at max_open, and assign
 * (inc_set_assignment). 1: assigned; 0: nobody free, r waits in the group
 * with no assignee, status unchanged; -1: error (err).
 */
int inc_route(struct inc_ctx *, struct inc_incident *, const char *group, char *err);
/* The round-robin turn inc_route kept under ctx->defer_rotation: written
 * (0, or -1 with err), or dropped (a refused record). */
int inc_rotation_flush(struct inc_ctx *, char *err);
void inc_rotation_drop(struct inc_ctx *);
/*
 * What inc-assign does to one open incident. group NULL: the incident's,
 * else defaults.group. name NULL: an incident assigned in that group stays
 * as it is (one without a group gets it), else it is routed by inc_route.
 * name given (by hand): a member of the group; anyone who works incidents
 * when group is given. Moving an incident to another group, or assigning
 * outside the group, needs INC_ACT_REASSIGN. Returns as inc_route.
 */
int inc_assign(struct inc_ctx *, struct inc_incident *, const char *group,
	       const char *name, char *err);
/* 1 when the incident's last routing event is "queued": inc-assign
 * --queued finding nobody again changes nothing; 0 if not, -1 on error. */
int inc_assign_queued_already(struct inc_ctx *, int64_t id, char *err);
/* A person an incident may be assigned to (anyone who is not a requester;
 * any name when the config has no people): their configured name, or NULL. */
const char *inc_assignable(const struct inc_config *, const char *name_or_email);

/* ---- inc-update's change to one incident (update.c) ---- */

/* What inc-update does to one record; pointers borrowed from the options
 * or the line. */
struct inc_change {
	const char *status, *note, *reply;
	json_t *set;		/* field -> value, owned */
	json_t *links;		/* [{type, ref}], owned; NULL: none named */
	int major;		/* -1: not named */
};
/* The record function of inc-update; arg is the options' struct inc_change. */
int inc_update_record(struct inc_ctx *, const char *where, json_t *line, int64_t id,
		      void *arg, char *err);
/* The status inc-update may move to (in_progress, on_hold, cancelled), as
 * enum inc_status; -1 with err for any other. */
int inc_update_status_target(const char *to, char *err);

/* ---- tasks (task.c) ---- */

/* A piece of an incident's work, for one team: status open, in_progress,
 * done or cancelled; done_at is when it was done or cancelled. */
struct inc_task {
	int64_t id, incident;
	char *title, *group, *assignee, *status;
	int64_t due, created_at, done_at;
};

void inc_task_init(struct inc_task *);
void inc_task_clear(struct inc_task *);
int inc_task_parse_id(const char *s, int64_t *out);	/* digits only */
int inc_task_is_open(const char *status);	/* open or in_progress */
/* 1 found, 0 not found, -1 error (err). */
int inc_task_load(struct inc_ctx *, int64_t id, struct inc_task *, char *err);
/* Insert t (incident, title, group, assignee, due set by the caller) as
 * open, with its audit rows; refuses closed or cancelled incidents and
 * actors who may not work on the incident. */
int inc_task_add(struct inc_ctx *, struct inc_task *, char *err);
/* Move to in_progress (takes an unassigned task), done or cancelled, with
 * its audit row; refuses other moves, and starting work on a closed or
 * cancelled incident. */
int inc_task_set_status(struct inc_ctx *, struct inc_task *, const char *to, char *err);
/* {id, incident, title, group, assignee, status, due, created_at, done_at} */
json_t *inc_task_json(const struct inc_task *);
/* Calls fn for each task of incident (INC_NULL: every incident) the actor
 * may see, in id order; for one incident, -1 if it is missing or not the
 * actor's to see. */
typedef void (*inc_task_fn)(struct inc_ctx *, const struct inc_task *, void *arg);
int inc_task_list(struct inc_ctx *, int64_t incident, inc_task_fn, void *arg, char *err);
/* Tasks of the incident still open or in progress; -1 on error. */
int64_t inc_task_open_count(struct inc_ctx *, int64_t incident, char *err);

/* ---- resolution, closure, reopening (close.c) ---- */

enum inc_close_mode { INC_CLOSE_RESOLVE, INC_CLOSE_CONFIRM, INC_CLOSE_REOPEN,
		      INC_CLOSE_EXPIRE };
struct inc_close {
	enum inc_close_mode mode;
	const char *resolution, *code;	/* RESOLVE; code may be NULL */
	int workaround;
	int64_t rating;			/* CONFIRM; INC_NULL: none */
	const char *feedback;		/* CONFIRM; may be NULL */
	const char *reason;		/* REOPEN */
	int64_t cutoff;			/* EXPIRE: resolved at or before this */
};
/* Option values against the config (closure code, rating 1-5): -1 is a
 * usage error. */
int inc_close_check(const struct inc_config *, const struct inc_close *, char *err);
/* Resolve, confirm, reopen or expire incident id: checks access, tasks,
 * the reopen window and ctx->force; stores, audits and emits the record
 * with its event. -1 with err refuses. EXPIRE passes over (0, nothing
 * emitted) an incident no longer resolved before the cutoff. */
int inc_close_one(struct inc_ctx *, int64_t id, const struct inc_close *, char *err);
/* The query of incidents resolved at or before cutoff and not yet closed. */
struct inc_sql *inc_close_expired(struct inc_ctx *, int64_t cutoff);

/* ---- escalation (escalate.c) ---- */

/* The e-mail addresses of a notify list (assignee, manager of the group,
 * incident_manager, requester, or a literal address) for r, as a new JSON
 * array without duplicates. */
json_t *inc_esc_notify(const struct inc_config *, const struct inc_incident *,
		       const json_t *who);
/* Every escalation rule due for r at ctx->now and not yet fired: each one
 * applied, recorded as fired, stored and emitted with its event. Returns the
 * number of actions taken, or -1 (err): the caller's savepoint undoes them. */
int inc_escalate_rules(struct inc_ctx *, struct inc_incident *, char *err);
/* Escalation by hand to group (functional, one level up). */
int inc_escalate_to(struct inc_ctx *, struct inc_incident *, const char *group,
		    const char *reason, const json_t *notify, char *err);

/* ---- notifications (notify.c) ---- */

/* The mail an event makes: for each address its kind's notify list (and
 * an escalation's own list) names, a message from the kind's template,
 * queued in the outbox; queueing one again is a no-op. 0, or -1 (err). */
int inc_notify_queue(struct inc_ctx *, const struct inc_event_row *, char *err);

/* A queued message. */
struct inc_outbox {
	int64_t id, seq, incident;
	char *kind, *rcpt, *message_id, *subject, *message;
	const char *error;	/* why sendmail refused it; NULL: sent */
};
typedef void (*inc_notify_fn)(struct inc_ctx *, const struct inc_outbox *, void *arg);
/* Each unsent message of the outbox through the config's sendmail, no
 * transaction held while it runs: marked sent once it exits 0, else its
 * error kept for the next run. fn hears of each. One run at a time, under
 * a lock beside the database: when another run holds it, 0 and nothing
 * sent. Returns how many failed, or -1 (err) when the database (or the
 * lock) does. */
int inc_notify_send(struct inc_ctx *, inc_notify_fn fn, void *arg, char *err);

/* ---- the mail gateway (mailgate.c) ---- */

/*
 * What inc-mail does with one inbound message (SPEC section 2, inc-mail(1)).
 * Dropped before anything is written: a message larger than mail.max_size,
 * from the desk's own address or with a Message-ID of inc-notify's (a
 * loop), an auto-reply, bounce or list message, one without a From
 * address, or from a sender domain in mail.deny or not in mail.allow.
 * Otherwise the sender is the actor (the person whose email the From is,
 * by name, else the address) and, in one transaction:
 *  - a message acted on before (its Message-ID, or the SHA-256 of a
 *    message without one, in table mail_seen; or an incident's
 *    external_id) writes nothing: the incident as it is, event
 *    {"kind": what it did then, "existing": true};
 *  - a message naming an incident (subject "[INC-n]", else In-Reply-To or
 *    References naming a mail of inc-notify's or one taken here) is, from
 *    its requester, a public reply (event replied, by requester) or, on a
 *    resolved incident, a confirmation (CONFIRM [1-5] [feedback]: closed)
 *    or a reopening (anything else: reopened), on a closed one within the
 *    reopen window a reopening (a late CONFIRM only brings its rating),
 *    past it a new incident linked to it; from a person of the desk a
 *    public reply to the requester (replied, by desk: the response); from
 *    anyone else an internal note; the text is inc_mail_strip_quoted's;
 *  - any other message is a new incident: subject ("(no subject)"),
 *    requester (the From address), description, source "email",
 *    external_id "<Message-ID>", attachments (event logged).
 * Attachments within mail.max_attachment are stored under the database's
 * folder (inc_db_folder), attachments/ab/abcdef... by SHA-256 (one copy), before the
 * transaction; larger ones are named in the incident's history and in
 * res->note. A dry run stores no file, writes the records it would write
 * (event.dry_run) and rolls everything back.
 */
enum inc_mailgate_outcome {
	INC_MG_DELIVERED,	/* done (or done before): its record is on the output */
	INC_MG_DROPPED,		/* deliberately not taken; err says why */
	INC_MG_BAD,		/* not a message, or refused by the life cycle; err */
	INC_MG_TEMPFAIL		/* database or storage failing: nothing written; err */
};
struct inc_mailgate_result {
	char msgid[256];	/* "<Message-ID>" for messages, "" when none */
	int64_t incident;	/* what it acted on, INC_NULL when nothing */
	const char *action;	/* logged, replied, updated, closed, reopened, existing */
	char note[INC_ERRLEN];	/* delivered, but something was not kept */
};
/* data[0..len) of a message of size bytes in all (more than len when its
 * reader stopped at mail.max_size). Returns an enum inc_mailgate_outcome. */
int inc_mailgate(struct inc_ctx *, const char *data, size_t len, size_t size, int dry_run,
		 struct inc_mailgate_result *res, char *err);

/* ---- another desk's history imported (import_apply.c) ---- */

struct inc_import {
	const char *format;		/* inc_import_read's */
	const struct inc_import_map *map;	/* NULL for jsonl */
	const char *prefix;		/* external_id = prefix + the source's id */
	int live;			/* the still-open incidents watched from now on */
	/* hears of each refused row or incident as it goes ("line 12: ...",
	 * "INC0000045: ..."); may be NULL */
	void (*warn)(const char *msg, void *arg);
	void *warn_arg;
};

struct inc_import_stats {
	int64_t events;		/* normalized events read */
	int64_t refused;	/* rows or events the reader refused */
	int64_t incidents;	/* incidents created */
	int64_t existing;	/* incidents there already, left as they are */
	int64_t failed;		/* incidents refused (warned of), nothing of them kept */
	int64_t live;		/* still open and watched from now on (live) */
	int stopped;		/* the log could not be read to its end: nothing imported */
};

/*
 * Reads the log in (inc_import_read) and creates each incident it holds
 * with its history, in the order of its events' times, whatever the order
 * of the log: every event applied at its own time by its own actor (ctx's
 * now and actor are restored after), through the life cycle
 * (inc_status_replay), assignment (inc_set_assignment), the SLA clocks of
 * the config's matching policy and the audit trail (action "import"). An
 * incident whose external_id exists is left as it is. Nothing is written
 * to the event log but, when live, a "logged" event for each incident
 * still open. Each created incident's record is emitted with
 * {"kind":"logged","imported":true,"events":N}. Commits in batches.
 * 0, or -1 with err: the log could not be read to its end (st->stopped:
 * nothing imported) or the database failed (what was committed stands).
 */
int inc_import(struct inc_ctx *, FILE *in, const struct inc_import *,
	       struct inc_import_stats *st, char *err);
/* The mapping file --map names: a path (with a slash, or ending in .json)
 * as it is, else NAME a shipped mapping, share/import/NAME.json beside the
 * shipped config; NULL when that one does not exist. */
const char *inc_import_map_path(const char *name, char *buf, size_t len);
/* The default prefix of external ids: the mapping file's name without
 * .json, and ":" ("servicenow:"); "import:" without a mapping. Malloc'd. */
char *inc_import_prefix(const struct inc_import_map *);
/* ---- selecting incidents (show.c) ---- */

/* A --sort key: field NULL is id. */
struct inc_sort {
	const struct inc_field *field;
	int desc;
};
#define INC_SORT_MAX 8
/* What inc-show selects: every filter set must hold. */
struct inc_filter {
	const json_t *ids;		/* integers; NULL: any */
	const json_t *statuses;		/* strings; NULL: any */
	int open, major, breached;
	const char *priority, *group, *assignee, *category;
	const char *requester;		/* without regard to (ASCII) case */
	int64_t since, until;		/* created in [since, until); INC_NULL: open */
	const struct inc_rule_re *grep;	/* subject, description or a note */
	struct inc_sort sort[INC_SORT_MAX];	/* then by id */
	int nsort;
	int64_t limit;			/* of those the actor may see; INC_NULL: all */
};
/* --sort "FIELD[,-FIELD...]" into f: id and the record's fields but links
 * and custom, "-" for descending; -1 with err naming the valid ones. */
int inc_sort_parse(const char *list, struct inc_filter *f, char *err);
const char *inc_sort_fields(char *buf, size_t len);	/* "id, subject, ... or closed_at" */
/* fn gets each incident selected, in order (r), or for an id asked for
 * that is not shown for a reason of its own, the id and why ("no such
 * incident", "not yours to see"), r NULL. */
typedef void (*inc_show_fn)(struct inc_ctx *, int64_t id, const struct inc_incident *r,
			    const char *why, void *arg);
/* Select by f: 0, or -1 with err when the database fails. */
int inc_show(struct inc_ctx *, const struct inc_filter *f, inc_show_fn, void *arg, char *err);
/* The columns of inc-show's table and CSV: ID (id), PRIORITY, STATUS,
 * GROUP, ASSIGNEE, SLA (sla_state), AGE (age_s), REQUESTER, SUBJECT. */
enum { INC_SHOW_NCOLS = 9 };
extern const char *const inc_show_head[INC_SHOW_NCOLS];
extern const char *const inc_show_sv_head[INC_SHOW_NCOLS];
extern const size_t inc_show_min[INC_SHOW_NCOLS];	/* least widths in a table */
/* The cells of r (new strings, NULL when unset): the age (now -
 * created_at) readable for people (human), else in seconds. */
void inc_show_cells(const struct inc_ctx *, const struct inc_incident *r, int human,
		    char *cells[INC_SHOW_NCOLS]);

/* ---- runs over selected incidents (batch.c) ---- */

/* The ids a statement selects (its first column), malloc'd; NULL with err
 * on error. */
int64_t *inc_select_ids(struct inc_ctx *, struct inc_sql *, size_t *n, char *err);

/* ---- KPIs and post-incident reviews (kpi.c, review.c) ---- */

enum inc_report_format { INC_FMT_JSONL, INC_FMT_CSV, INC_FMT_TSV, INC_FMT_TABLE };
#define INC_REPORT_MAXBY 10

struct inc_report {
	int by[INC_REPORT_MAXBY];	/* from inc_report_by_field(), in order */
	int nby;
	int64_t since, until;		/* created in [since, until); INC_NULL: open */
	int aging;			/* the open backlog by age, not the KPIs */
	enum inc_report_format format;
};

/* Index of a --by field ("category" ... "month"), or -1 if unknown. */
int inc_report_by_field(const char *name);
/* INC_FMT_* of "jsonl", "csv", "tsv", "table", or -1. */
int inc_report_format(const char *name);
/* The KPI (or aging) report, formatted, appended to out; -1 with err on a
 * database error. */
int inc_report(struct inc_ctx *, const struct inc_report *, struct inc_buf *out,
	       char *err);
/* inc-sla --what-if (sla_whatif.c): the SLA outcome of every incident
 * created in [since, until) (INC_NULL: open) recomputed at ctx->now under
 * cfg's first matching policy and its calendar, beside its outcome under
 * its own policy and the config in use. jsonl: one line per incident whose
 * outcome (response_met, resolve_met, state, or having a policy) changes,
 * {id, ref, external_id, now:{policy, response_met, resolve_met, state},
 * what_if:{...}}; then, in every format, two rows "now" and "what_if":
 * {sla, config, count, response_met, response_breached, sla_response_pct,
 * resolve_met, resolve_breached, sla_resolve_pct, changed}, a target still
 * open past its due time counting as breached. Writes nothing. */
struct inc_whatif {
	const struct inc_config *cfg;	/* the other config */
	int64_t since, until;
	enum inc_report_format format;
};
int inc_sla_whatif(struct inc_ctx *, const struct inc_whatif *, struct inc_buf *out,
		   char *err);
/* The post-incident review of an incident as Markdown, appended to out:
 * 1 done, 0 no such incident, -1 database error (err). */
int inc_review(struct inc_ctx *, int64_t id, struct inc_buf *out, char *err);

/* ======================================================================
 * 9. input (input.c): the loop every tool runs
 * ====================================================================== */

/*
 * fn is called once per record inside a transaction and a savepoint of its
 * own. `where` is "line N" or the id as given; line the JSON object (NULL
 * for an id); id its "id" (INC_NULL when the line has none). It returns 0,
 * or -1 with err filled to refuse the record: its changes are rolled back,
 * its output dropped, "prog: where: err" printed, and the run goes on with
 * exit status 1. A database that fails (busy past the timeout, full, I/O
 * error...) stops the run: exit status 3, nothing of the batch kept.
 * Input is committed in batches, and at once whenever stdin has nothing
 * more to read yet. Each returns ctx->status.
 */
typedef int (*inc_record_fn)(struct inc_ctx *, const char *where, json_t *line,
			     int64_t id, void *arg, char *err);
enum { INC_EACH_NEEDS_ID = 1, INC_EACH_NO_LINE = 2 };
/* ids as arguments (argc > 0), else JSON lines from in; with
 * INC_EACH_NEEDS_ID also lines that are an id alone (5, INC-5, "INC-5"),
 * taken as {"id":5}. With INC_EACH_NO_LINE fn never reads line (it gets
 * NULL): each line is only checked and its id read, without building its
 * object (the full record of a stage before is a kilobyte of JSON), or,
 * with a prep, its object is dropped on the reader thread once prepared. */
int inc_each(struct inc_ctx *, int argc, char **argv, FILE *in, unsigned flags,
	     inc_record_fn, void *arg);
/*
 * JSON lines from in, each first prepared by prep on the input's reader
 * thread: what fn would do first with the line and the config alone
 * (validating, building), so that it runs on one core while fn works the
 * database on the other. prep may only read ctx (cfg, actor, role, now),
 * never the database. It returns what it made, or NULL with err filled to
 * refuse the line as fn would ("prog: line N: err", exit status 1). fn
 * finds it as ctx->prepared (and may take it, leaving NULL there);
 * prep_free drops what is left, on the reader thread when it can (what
 * prep allocated is best freed in the thread that allocated it).
 */
typedef void *(*inc_prep_fn)(const struct inc_ctx *, json_t *line, char *err);
int inc_each_prep(struct inc_ctx *, FILE *in, unsigned flags, inc_prep_fn,
		  void (*prep_free)(void *), inc_record_fn, void *arg);
/* ids in a batch of their own. */
int inc_each_id(struct inc_ctx *, const int64_t *ids, size_t n, inc_record_fn, void *arg);
/* The ids a statement selects (its first column, bound by the caller), all
 * read first, then worked in id order. */
int inc_each_query(struct inc_ctx *, struct inc_sql *, inc_record_fn, void *arg);
/* Parse an id argument: "42" or "INC-42". */
int inc_parse_id(const char *s, int64_t *out);

#endif
