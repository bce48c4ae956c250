/*
 * inc.h - the one public header of libinc, shared by every inc tool.
 *
 * Sectioned per module, like mblaze's blaze822.h. Library code never prints
 * and never exits: functions return -1 (or NULL) and fill an error message;
 * the tools in cmd/ decide what to say, through inc_warn().
 */
#ifndef INC_H
#define INC_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <regex.h>
#include <jansson.h>
#include <sqlite3.h>

#define INC_VERSION "0.1.0"

/* "No value" for every nullable integer or time field. */
#define INC_NULL INT64_MIN

/* Exit statuses, one table for every tool (SPEC section 6). */
enum {
	INC_EXIT_OK = 0,	/* all done */
	INC_EXIT_REFUSED = 1,	/* some input refused */
	INC_EXIT_USAGE = 2,	/* usage or config error, nothing done */
	INC_EXIT_DB = 3		/* database unavailable */
};

#define INC_ERRLEN 512

/* ---- messages (util.c) ---- */

/* "inc-TOOL: " + message + newline on stderr. */
void inc_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* inc_warn, then exit(status). For main() only. */
_Noreturn void inc_die(int status, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
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
/* Membership of s in a JSON array of strings. */
int inc_json_array_has(const json_t *array, const char *s);

/* ---- times and durations (time.c) ---- */

/*
 * Times: "2026-11-27T04:23:00Z", any ISO 8601 offset, a date alone
 * (midnight UTC), or epoch seconds. With rel != 0, also relative to now:
 * "-7d", "+2h", "now".
 */
int inc_time_parse(const char *s, int64_t now, int rel, int64_t *out);
/* ISO 8601 UTC, buf of at least 21 bytes (INC_TIMELEN). */
#define INC_TIMELEN 80
char *inc_time_format(int64_t t, char *buf);
/* "90s", "15m", "4h", "2d", "1h30m", "1w", bare seconds; >= 0. */
int inc_duration_parse(const char *s, int64_t *out);
/* Shortest form: 5400 -> "1h30m". buf of INC_TIMELEN. */
char *inc_duration_format(int64_t secs, char *buf);
/* JSON value (string or integer) to time / duration. */
int inc_time_from_json(const json_t *, int64_t now, int64_t *out);

/* ---- business calendars (tz.c, calendar.c) ---- */

struct inc_tz;		/* a loaded IANA zone (TZif + POSIX rule footer) */
int inc_tz_load(const char *name, struct inc_tz **out, char *err);
void inc_tz_free(struct inc_tz *);
/* Seconds east of UTC in force at instant t. */
long inc_tz_offset(const struct inc_tz *, int64_t t);
/* Local wall-clock seconds (as if UTC) to the instant; a time in a spring
 * gap maps to the end of the gap, an ambiguous one to its first occurrence. */
int64_t inc_tz_to_utc(const struct inc_tz *, int64_t local);

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

/* ---- configuration (config.c) ---- */

struct inc_person {
	const char *name, *email, *role;
	const json_t *skills;	/* array of strings, never NULL */
	int available;
	int64_t max_open;	/* INC_NULL: no cap */
};

struct inc_group {
	const char *name, *manager, *escalate_to, *strategy;
	int tier;
	const json_t *members;	/* array of strings, never NULL */
};

enum { INC_RF_SUBJECT, INC_RF_DESCRIPTION, INC_RF_TEXT, INC_RF_REQUESTER,
       INC_RF_SOURCE, INC_RF_CATEGORY, INC_RF_N };
struct inc_rule {
	regex_t re[INC_RF_N];
	unsigned has;		/* bit per INC_RF_* */
	const json_t *set;
};

struct inc_policy {
	const char *name;
	const json_t *match;
	int64_t response, resolve;
	const struct inc_calendar *calendar;
	double warn;
};

struct inc_escrule {
	const char *on, *action;
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
};

/* Finds the config (-c, INC_CONFIG, XDG, /etc, shipped default); path may be
 * NULL. On error, err reads "FILE: PATH: problem". */
struct inc_config *inc_config_load(const char *path, char *err);
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

/* ---- database (db.c) ---- */

/* Opens (creating folder, file and schema) path, or INC_DB, or
 * $XDG_DATA_HOME/inc/inc.db. Returns NULL with err filled. */
sqlite3 *inc_db_open(const char *path, char *resolved, size_t rlen, char *err);
int inc_db_exec(sqlite3 *, const char *sql, char *err);
int inc_db_is_busy(sqlite3 *);
/* Column i of a result row: a copy of its text (NULL for null), or its
 * integer (INC_NULL for null). */
char *inc_col_text(sqlite3_stmt *, int i);
int64_t inc_col_int(sqlite3_stmt *, int i);
/* Bind an integer or a time, INC_NULL as NULL. */
int inc_bind_int(sqlite3_stmt *, int i, int64_t v);
/* Step a bound write statement once, then reset it and clear its
 * bindings: 0, or -1 with err. */
int inc_step_done(sqlite3 *, sqlite3_stmt *, char *err);

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
/* Role of an actor: "requester" when not listed; "admin" when the config
 * has no people at all. */
const char *inc_role(const struct inc_config *, const char *actor);
/* 1 if actor may do act on an incident with the given requester (may be NULL). */
int inc_may(const struct inc_config *, const char *actor, enum inc_act act,
	    const char *requester);

/* ---- the incident record (record.c) ---- */

struct inc_incident {
	int64_t id;
	char *subject, *description, *requester, *source, *category,
	     *subcategory, *impact, *urgency, *priority, *status, *group,
	     *assignee;
	int64_t major, explicit_;
	char *sla_policy;
	int64_t response_due, resolve_due, responded_at, response_met,
		resolve_met, paused_s;
	char *sla_state, *sla_response_state, *sla_resolve_state;
	int64_t hold_since, sla_next_check, sla_checked_at;
	int64_t escalation_level, reassignment_count, reopen_count;
	char *resolution, *resolution_type, *closure_code;
	int64_t rating;
	char *feedback, *links, *external_id, *custom;	/* links, custom: JSON text */
	int64_t created_at, updated_at, resolved_at, closed_at;
	char *first_assignee, *first_group;
	int64_t escalated, ever_resolved;
};

/* Bits of inc_incident.explicit_: set at logging, kept by inc-classify. */
enum {
	INC_EXPLICIT_CATEGORY = 1, INC_EXPLICIT_SUBCATEGORY = 2,
	INC_EXPLICIT_IMPACT = 4, INC_EXPLICIT_URGENCY = 8,
	INC_EXPLICIT_GROUP = 16, INC_EXPLICIT_MAJOR = 32,
	INC_EXPLICIT_PRIORITY = 64
};

void inc_incident_init(struct inc_incident *);	/* all null, counters 0 */
void inc_incident_clear(struct inc_incident *);	/* free strings, re-init */
void inc_incident_copy(struct inc_incident *dst, const struct inc_incident *src);
/* Replace a string field: frees the old value, copies v (may be NULL). */
void inc_set_str(char **field, const char *v);
/* The record as SPEC section 1 lists it, every field, stable order. */
json_t *inc_incident_json(const struct inc_incident *);
/* The same, compact, appended to b; extra's members then event follow the
 * record's fields (both may be NULL). */
void inc_incident_write(struct inc_buf *b, const struct inc_incident *,
			const json_t *event, const json_t *extra);

/* ---- descriptive fields (fields.c) ---- */

/* Set field k from v with validation: 0 done, -1 refused (err), 1 not a
 * descriptive field (inc-log puts those into custom). */
int inc_field_set(const struct inc_config *, struct inc_incident *, const char *k,
		  json_t *v, char *err);
int inc_custom_set(struct inc_incident *, const char *k, json_t *v);
/* Append {type, ref} to a links array unless present; type validated. */
int inc_links_add(json_t *links, const char *type, const char *ref, char *err);
/* Category and subcategory in the tree; required form fields present. */
int inc_check_category(const struct inc_config *, const struct inc_incident *, char *err);
int inc_check_form(const struct inc_config *, const struct inc_incident *, char *err);

/* ---- tables for people (table.c) ---- */

int inc_term_width(void);	/* COLUMNS, the terminal, else 80 */
/* A cell padded to width plus one space (none when last), cut with "~". */
void inc_table_cell(struct inc_buf *, const char *s, size_t width, int last);
size_t inc_u8_width(const char *s);	/* characters of a UTF-8 string */
/* A row of n cells, the first n-1 at widths w, the last filling width. */
void inc_table_row(struct inc_buf *, const char *const cells[], const size_t w[], int n,
		   int width);

/* ---- tool context (ctx.c) ---- */

struct inc_stmt_cache {
	const char *sql[48];
	sqlite3_stmt *stmt[48];
	int n;
};

struct inc_ctx {
	const char *db_arg, *config_arg, *now_arg, *as_arg;
	char dbpath[4096];
	sqlite3 *db;
	struct inc_config *cfg;
	int64_t now;
	char actor[256];
	const char *role;
	int force;
	struct inc_stmt_cache stmts;
	struct inc_buf out;	/* records waiting for the commit */
	int in_tx;
	int status;		/* running exit status */
	/* set by a tool whose record function refuses before its first write:
	 * the input loop then takes no savepoint per record (bulk speed); a
	 * record that fails after writing aborts the run, exit 3 */
	int no_savepoint;
	int sla_config;		/* sla.c: 0 unchecked, 1 as recorded, 2 changed, 3 none recorded */
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

/* Handles -d, -c, --now, --as, --version; -h prints usage. Returns 1 if
 * handled, 0 if not a common option (exits on --version/-h). */
int inc_ctx_option(struct inc_ctx *, int opt, const char *arg, const char *usage);
/* Env, config, now, actor; then the database. Exits 2 or 3 on failure. */
void inc_ctx_open(struct inc_ctx *);
/* The two halves: config (exit 2), then database (exit 3). */
void inc_ctx_config(struct inc_ctx *);
void inc_ctx_db(struct inc_ctx *);
/* Commit, flush, finalize, close; returns the exit status, checking stdout. */
int inc_ctx_close(struct inc_ctx *);
sqlite3_stmt *inc_stmt(struct inc_ctx *, const char *sql);	/* cached, reset */
/* Print usage line to stderr and exit 2. */
_Noreturn void inc_usage_error(const char *usage);

/* Transactions: BEGIN IMMEDIATE (exit 3 if locked), savepoints per record. */
void inc_tx_begin(struct inc_ctx *);
void inc_tx_commit(struct inc_ctx *);	/* commits and writes pending output */
void inc_tx_rollback(struct inc_ctx *);	/* drops the transaction and its output */

/* Load an incident by id: 1 found, 0 not found, -1 error (err). */
int inc_incident_load(struct inc_ctx *, int64_t id, struct inc_incident *, char *err);
/* The same for a record that must exist: 0, or -1 ("no such incident"). */
int inc_incident_get(struct inc_ctx *, int64_t id, struct inc_incident *, char *err);
int inc_incident_by_external(struct inc_ctx *, const char *xid, struct inc_incident *, char *err);
/* Insert (id assigned) and audit "logged". */
int inc_incident_insert(struct inc_ctx *, struct inc_incident *, char *err);
/* Store `now` against `before`: refreshes the SLA fields (inc_sla_update),
 * writes changed columns, one audit row per changed field (action names
 * what happened), updated_at = ctx->now. */
int inc_incident_store(struct inc_ctx *, const struct inc_incident *before,
		       struct inc_incident *now, const char *action, char *err);
/* An audit row of its own (notes, escalations, tasks). */
int inc_audit(struct inc_ctx *, int64_t incident, int64_t task, const char *action,
	      const char *field, const char *old, const char *new_, char *err);
/* The audit trail of an incident as a JSON array. */
json_t *inc_history(struct inc_ctx *, int64_t incident, char *err);

/* Append a record (plus event, may be NULL; both stolen) to the pending
 * output, written when the transaction commits. */
void inc_emit(struct inc_ctx *, const struct inc_incident *, json_t *event);
/* Append a raw JSON object (stolen): tasks, report rows. */
void inc_emit_json(struct inc_ctx *, json_t *);

/* ---- life cycle (lifecycle.c) ---- */

int inc_status_known(const char *);
int inc_is_open(const char *);	/* new, assigned, in_progress, on_hold */
/* SPEC section 3's moves (reopen from closed is inc-close's to allow). */
int inc_status_allowed(const char *from, const char *to);
/* Move to status `to` with what the move brings: an unassigned incident
 * taken (new -> in_progress) or resolved by a technician becomes theirs,
 * the response clock at in_progress or resolution, holds opened and closed, resolved_at and
 * closed_at, clearing on reopen (resolved or closed -> in_progress, with
 * reopen_count + 1). Refuses others. The SLA fields follow when the
 * incident is stored. */
int inc_set_status(struct inc_ctx *, struct inc_incident *, const char *to, char *err);
/* The first response (status, technician note, resolution): responded_at. */
void inc_mark_response(struct inc_ctx *, struct inc_incident *);
/* Group and assignee: the first assignee is remembered, every later change
 * counts as a reassignment, and new moves to assigned with an assignee. */
void inc_set_assignment(struct inc_ctx *, struct inc_incident *, const char *group,
			const char *assignee);

/* ---- SLA (sla.c) ---- */

/* Recompute the stored SLA fields of r at ctx->now (due times, paused_s
 * from the hold table, met flags, state, sla_next_check), writing no event
 * and leaving sla_response_state / sla_resolve_state (what inc-sla last
 * reported) alone. Called by inc_incident_store for every change. An open
 * incident whose first matching policy is no longer its own switches to it
 * (the policy follows the incident). No policy: nothing to compute; an open
 * incident that now matches one is put back in inc-sla's queue. While the
 * SLA config differs from the one the due times were computed with (see
 * inc_sla_config_state), due times stay as stored until inc-sla --recompute. */
int inc_sla_update(struct inc_ctx *, struct inc_incident *, char *err);

enum { INC_SLA_RESPONSE, INC_SLA_RESOLVE };	/* the two targets */
enum inc_sla_state { INC_SLA_OK, INC_SLA_WARNING, INC_SLA_BREACHED, INC_SLA_MET };
const char *inc_sla_state_name(enum inc_sla_state);

struct inc_sla_hold {
	int64_t start, end;	/* end INC_NULL: on hold now */
};

/* An incident's two clocks at ctx->now. Each counts working seconds of the
 * policy's calendar from created_at, stopped by holds that start before the
 * instant sought and before the target was decided. */
struct inc_sla_clock {
	const struct inc_policy *policy;
	const struct inc_incident *r;
	int64_t now;
	int open;			/* status new, assigned, in_progress, on_hold */
	int64_t target[2], warn[2];	/* working seconds */
	int64_t warn_at[2], due[2];	/* instants; INT64_MAX: never */
	int frozen[2], wfrozen[2];	/* an open hold holds due / warning back */
	int64_t decided[2];		/* responded_at, resolved_at, or INC_NULL */
	enum inc_sla_state state[2];
	int64_t paused_s;		/* working seconds on hold that moved the resolve due */
	struct inc_sla_hold *holds;	/* by start */
	size_t nholds;
	const struct inc_escrule *rules;	/* the config's, and when each applies */
	int64_t *rule_at;		/* (inc_sla_rule_at), computed once */
	size_t nrules;
};

/* The first policy whose match holds for r, or NULL. */
const struct inc_policy *inc_sla_match(const struct inc_config *, const struct inc_incident *);
const struct inc_policy *inc_sla_policy(const struct inc_config *, const char *name);
/* Both clocks of r (which has a policy the config knows). 0, or -1 (err). */
int inc_sla_clock(struct inc_ctx *, const struct inc_incident *, struct inc_sla_clock *,
		  char *err);
void inc_sla_clock_free(struct inc_sla_clock *);
/* The instant target's clock reaches `amount` working seconds; *frozen set
 * when an open hold holds it back (the instant is not known yet). */
int64_t inc_sla_instant(const struct inc_sla_clock *, int target, int64_t amount, int *frozen);
/* Escalation rule e against the clock: the instant after which it applies
 * (its target's warning instant or due time, plus `after` counted on the
 * same clock), or INC_NULL when it cannot apply (incident not open, target
 * met, or held back by a hold). */
int64_t inc_sla_rule_at(const struct inc_sla_clock *, const struct inc_escrule *);
/* 1 if e applies now: its instant has passed (strictly) before now and
 * before the target was decided. */
int inc_sla_rule_due(const struct inc_sla_clock *, const struct inc_escrule *);
int inc_sla_rule_target(const struct inc_escrule *);	/* INC_SLA_RESPONSE or _RESOLVE */

/* What one inc-sla pass does to an incident (inc_sla_check's mode). */
enum inc_sla_mode {
	INC_SLA_PASS,		/* attach, report transitions and delayed rules once */
	INC_SLA_ALL,		/* attach, refresh, always write, no event, report nothing */
	INC_SLA_RECOMPUTE	/* re-apply the config; write what changed, no event */
};
/*
 * One incident in an inc-sla run: attaches the first matching policy to an
 * open incident without one, refreshes the SLA fields, and in
 * INC_SLA_PASS mode compares each target's state with what was last
 * reported. Returns 1 when r is to be written (with *event, may be NULL),
 * 0 when not, -1 on error (err). Writes the incident (inc_sla_save).
 */
int inc_sla_check(struct inc_ctx *, struct inc_incident *, enum inc_sla_mode,
		  json_t **event, char *err);
/* Store r, which differs from before in SLA fields only: through
 * inc_incident_store when the policy changed; the SLA columns with their
 * audit rows and updated_at when another field of the record changed; else
 * only the bookkeeping columns, so that watching the clocks touches
 * neither updated_at nor the audit trail. */
int inc_sla_save(struct inc_ctx *, const struct inc_incident *before,
		 struct inc_incident *r, const char *action, char *err);

/* The SLA config (policies, calendars, escalation delays) against the
 * fingerprint the database recorded: 0 none recorded yet, 1 the same,
 * 2 changed; -1 on error. Cached in ctx->sla_config. */
int inc_sla_config_state(struct inc_ctx *, char *err);
/* Record the current config's fingerprint (inside a transaction). */
int inc_sla_config_record(struct inc_ctx *, char *err);

/* The clock of r segment by segment, for people: the policy and why it
 * matched, working intervals counted, days skipped, holds, warning and due
 * instants, the state now, the escalation rules. Appended to out. */
int inc_sla_explain(struct inc_ctx *, const struct inc_incident *, struct inc_buf *out,
		    char *err);

/* ---- the input loop every tool shares (input.c) ---- */

/*
 * Calls fn once per id argument, or once per JSON line of stdin. `where`
 * is "line N" or the id as given. fn returns 0 on success, -1 with err
 * filled to refuse the record: its changes are rolled back (savepoint),
 * its output dropped, the error printed as "prog: where: err", and the run
 * goes on with exit status 1. Input is committed in batches, and at once
 * whenever stdin has nothing more to read yet.
 */
typedef int (*inc_record_fn)(struct inc_ctx *, const char *where, json_t *line,
			     int64_t id, void *arg, char *err);
/* Per-line mode: the JSON object is passed; id is its "id" field or
 * INC_NULL (needs_id refuses lines without one). */
int inc_each_arg(struct inc_ctx *, char **ids, int nids, inc_record_fn, void *arg);
int inc_each_line(struct inc_ctx *, FILE *in, int needs_id, inc_record_fn, void *arg);
/* Parse an id argument: "42" or "INC-42". */
int inc_parse_id(const char *s, int64_t *out);

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

/* ---- helpers of the tools (util.c, access.c) ---- */

int inc_streq(const char *, const char *);	/* equal, NULL equal to NULL */
int inc_in_list(const char *s, const char *const *list);	/* NULL-ended list */
/* Load incident id for act by ctx->actor: 0 loaded; -1 with err "no such
 * incident" or "not allowed: why". */
int inc_load_may(struct inc_ctx *, int64_t id, enum inc_act act, const char *why,
		 struct inc_incident *, char *err);

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

/* Open incidents (new, assigned, in_progress, on_hold) assigned to name,
 * not counting incident `except`; -1 with err on error. */
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
 * as it is (one without a group gets it), else it is routed by inc_route. name given (by hand): a member
 * of the group; anyone who works incidents when group is given. Moving an
 * incident to another group, or assigning outside the group, needs
 * INC_ACT_REASSIGN. Returns as inc_route.
 */
int inc_assign(struct inc_ctx *, struct inc_incident *, const char *group,
	       const char *name, char *err);
/* A person an incident may be assigned to (anyone who is not a requester;
 * any name when the config has no people): their configured name, or NULL. */
const char *inc_assignable(const struct inc_config *, const char *name_or_email);

/* ---- runs over selected incidents (batch.c) ---- */

/* The ids a prepared statement selects (its first column), malloc'd; NULL
 * with err on error. */
int64_t *inc_select_ids(struct inc_ctx *, sqlite3_stmt *, size_t *n, char *err);
/* inc_each_arg over ids, a transaction per slice of a few hundred. */
int inc_each_id(struct inc_ctx *, const int64_t *ids, size_t n, inc_record_fn, void *arg);

/* ---- escalation (escalate.c) ---- */

/* 1 if rule `key` already fired for incident id, 0 if not, -1 on error. */
int inc_esc_fired(struct inc_ctx *, int64_t id, const char *key, char *err);
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
/* "in_progress", "on_hold" or "cancelled", else err. */
int inc_update_status_target(const char *to, char *err);
/* "TYPE:REF" appended to links. */
int inc_update_add_link(json_t *links, const char *s, char *err);
/* A field --set and patches may set. */
int inc_update_settable(const char *field);

#endif
