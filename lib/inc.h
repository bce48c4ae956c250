/*
 * inc.h - the one public header of libinc, the library every inc tool is a
 * thin main over. It reads as the API, layer by layer, from the bottom:
 *
 *   1. base        messages, buffers, JSON output, vocabularies, the field
 *                  registry, rule expressions, times, business calendars
 *                  (util, json, vocab, registry, regex, time, tz, calendar)
 *   2. config      the configuration, validated whole; who may do what
 *                                                            (config, access)
 *   3. storage     the database, whatever its engine         (db, db_sqlite)
 *   4. context     what a tool run holds: config, database, now, actor,
 *                  transactions, output written once committed  (ctx)
 *   5. record      the incident record: rows, audit trail, JSON,
 *                  descriptive fields                        (record, fields)
 *   6. clocks      SLA arithmetic, pure                      (sla_clock)
 *   7. incident    loading an incident for an actor, storing it with its
 *                  clocks, the life cycle, the SLA state kept in the
 *                  database, --explain   (incident, lifecycle, sla_store,
 *                  sla_explain)
 *   8. work        what the tools do: classify, assign, update, tasks,
 *                  close, escalate, the cron pass, KPIs, reviews
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
void inc_buf_add(struct inc_buf *, const char *, size_t);
void inc_buf_addstr(struct inc_buf *, const char *);
void inc_buf_printf(struct inc_buf *, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void inc_buf_free(struct inc_buf *);

void *inc_xmalloc(size_t);	/* abort on out-of-memory: nothing sane to do */
void *inc_xrealloc(void *, size_t);
char *inc_xstrdup(const char *);
int inc_utf8_valid(const char *, size_t);
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
 * rel != 0, also relative to now: "-7d", "+2h", "now".
 */
int inc_time_parse_tz(const char *s, int64_t now, int rel, const struct inc_tz *tz,
		      int64_t *out);
int inc_time_parse(const char *s, int64_t now, int rel, int64_t *out);	/* in UTC */
/* ISO 8601 UTC, buf of INC_TIMELEN bytes. */
#define INC_TIMELEN 80
char *inc_time_format(int64_t t, char *buf);
/* "90s", "15m", "4h", "2d", "1h30m", "1w", bare seconds; >= 0. */
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
/* 1 if re matches s (NULL never matches); 0 when not, and when the match
 * gave up at its limits. */
int inc_rule_re_match(const struct inc_rule_re *, const char *s);
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
	const char *name, *manager, *escalate_to;
	enum inc_strategy strategy;
	int tier;
	const json_t *members;	/* array of strings, never NULL */
};

enum { INC_RF_SUBJECT, INC_RF_DESCRIPTION, INC_RF_TEXT, INC_RF_REQUESTER,
       INC_RF_SOURCE, INC_RF_CATEGORY, INC_RF_N };
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
	char key[96];		/* signature for escalation_fired */
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
 * 3. storage (db.c, db_sqlite.c)
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
/* Closes; a connection that wrote leaves no large WAL behind it. */
void inc_db_close(struct inc_db *);
const char *inc_db_name(const struct inc_db *);
const char *inc_db_engine(const struct inc_db *);	/* "sqlite" */
int inc_db_schema_version(void);
int inc_db_exec(struct inc_db *, const char *sql, char *err);

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
void inc_sql_reset(struct inc_sql *);	/* ready to bind and run again */
/* Step to the end and reset: 0, or -1 with err. */
int inc_sql_run(struct inc_sql *, char *err);
/* The first column of the first row: 1 found, 0 no row, -1 with err. */
int inc_sql_one_int(struct inc_sql *, int64_t *out, char *err);
int64_t inc_db_changes(struct inc_db *);	/* rows changed since opening */

/* Transactions (a write lock taken at BEGIN) and the savepoint each record
 * runs in. 0, or -1 with the failure on the connection. */
int inc_db_begin(struct inc_db *);
/* A read-only transaction: one snapshot for several queries, no lock. */
int inc_db_begin_read(struct inc_db *);
int inc_db_commit(struct inc_db *);
void inc_db_rollback(struct inc_db *);
int inc_db_in_tx(const struct inc_db *);
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
/* The database (exit 3 on failure). */
int inc_ctx_db(struct inc_ctx *, char *err);
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

/* Load an incident by id: 1 found, 0 not found, -1 error (err). */
int inc_incident_load(struct inc_ctx *, int64_t id, struct inc_incident *, char *err);
/* The same for a record that must exist: 0, or -1 ("no such incident"). */
int inc_incident_get(struct inc_ctx *, int64_t id, struct inc_incident *, char *err);
int inc_incident_by_external(struct inc_ctx *, const char *xid, struct inc_incident *, char *err);
/* Insert (id assigned) and audit "logged": 0, or -1 with err (a taken
 * external_id: inc_db_errclass() is INC_DBE_UNIQUE). */
int inc_incident_insert(struct inc_ctx *, struct inc_incident *, char *err);
/* Write r's changed columns against before, one audit row per changed
 * audited field (action names what happened), updated_at = ctx->now when
 * anything changed. The row alone: inc_incident_store() (incident layer)
 * is what tools call, so that the SLA clocks follow. */
int inc_record_save(struct inc_ctx *, const struct inc_incident *before,
		    struct inc_incident *r, const char *action, char *err);
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
const struct inc_policy *inc_sla_policy(const struct inc_config *, const char *name);
/* 1 if every value of a match object (an SLA policy's, an escalation
 * rule's) equals the record's; why (may be NULL) says so, or names the
 * first field that differs. */
int inc_sla_match_holds(const json_t *match, const struct inc_incident *, struct inc_buf *why);
/* The clocks themselves (struct inc_sla_clock, inc_sla_instant, when each
 * escalation rule applies) are in the private sla_int.h. */

/* ======================================================================
 * 7. incident (incident.c, lifecycle.c, sla_store.c)
 * ====================================================================== */

/* Load incident id for act by ctx->actor: 0 loaded; -1 with err "no such
 * incident" or "not allowed: why". */
int inc_load_may(struct inc_ctx *, int64_t id, enum inc_act act, const char *why,
		 struct inc_incident *, char *err);

/* Store `r` against `before`: the SLA fields follow the change
 * (inc_sla_update), then inc_record_save. What every tool calls. */
int inc_incident_store(struct inc_ctx *, const struct inc_incident *before,
		       struct inc_incident *r, const char *action, char *err);

/* ---- life cycle (lifecycle.c) ---- */

/* SPEC section 3's moves (reopen from closed is inc-close's to allow). */
int inc_status_allowed(enum inc_status from, enum inc_status to);
/* Move to status `to` with what the move brings: an unassigned incident
 * taken (new -> in_progress) or resolved by a technician becomes theirs,
 * the response clock at in_progress or resolution, holds opened and
 * closed, resolved_at and closed_at, clearing on reopen (resolved or
 * closed -> in_progress, with reopen_count + 1). Refuses others. */
int inc_set_status(struct inc_ctx *, struct inc_incident *, enum inc_status to, char *err);
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
 * defaulted). Returns 1 if r changed, 0 if not.
 */
int inc_classify(const struct inc_config *, struct inc_incident *, int force,
		 json_t *explain);

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
/* A person an incident may be assigned to (anyone who is not a requester;
 * any name when the config has no people): their configured name, or NULL. */
const char *inc_assignable(const struct inc_config *, const char *name_or_email);

/* ---- inc-update's change to one incident (update.c) ---- */

/* What inc-update does to one record; pointers borrowed from the options
 * or the line. */
struct inc_change {
	const char *status, *note;
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
/* Ids of incidents resolved at or before cutoff and not yet closed. */
int64_t *inc_close_expired(struct inc_ctx *, int64_t cutoff, size_t *n, char *err);

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
enum { INC_EACH_NEEDS_ID = 1 };
/* ids as arguments (argc > 0), else JSON lines from in; with
 * INC_EACH_NEEDS_ID also lines that are an id alone (5, INC-5, "INC-5"),
 * taken as {"id":5}. */
int inc_each(struct inc_ctx *, int argc, char **argv, FILE *in, unsigned flags,
	     inc_record_fn, void *arg);
/* ids a query selected, a transaction per slice of a few thousand. */
int inc_each_id(struct inc_ctx *, const int64_t *ids, size_t n, inc_record_fn, void *arg);
/* Parse an id argument: "42" or "INC-42". */
int inc_parse_id(const char *s, int64_t *out);

#endif
