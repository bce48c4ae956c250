/*
 * import_apply.c - the applying half of inc-import: another desk's history
 * (the normalized events of import_read.c) made into incidents, each with
 * its real history, through the same library calls as live work.
 *
 * The log's events come in the log's order, not per incident, and need
 * not be sorted. They are staged in a scratch table of this connection, on
 * disk (inc_db_scratch), in batches; then SQLite sorts them (an index built once, on
 * disk too: memory stays flat however long the log) and each incident's
 * events are replayed in the order of their time, then seq, then their
 * place in the log: ctx->now is each event's time and ctx->actor its
 * actor, so that the audit trail, the holds, the SLA clocks and the KPI
 * facts (first assignee and group, reassignments, reopenings, escalation
 * between support lines) are the log's. An incident is replayed in a
 * savepoint of its own, and incidents are committed in batches, as the
 * input loop commits records.
 *
 * Imported incidents write nothing to the event log (no notification, no
 * escalation: they are history), unless live: then those still open get a
 * "logged" event at the end, and the SLA watch takes them from now on.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sla_int.h"

/* Events staged per transaction of the stage (the connection's own table:
 * no lock on the database), incidents replayed per write transaction, and
 * the longest a write transaction is held (the input loop's rule: a
 * one-shot writer waiting for the lock gets it within about a second). */
#define STAGE_ROWS 5000
#define BATCH_INCIDENTS 2000
#define BATCH_NSEC 500000000LL
#define YIELD_USEC 3000

#define MEMBER(r, f, type) (*(type *)((char *)(r) + (f)->off))

struct run {
	struct inc_ctx *ctx;
	const struct inc_import *opt;
	struct inc_import_stats *st;
	int64_t line;		/* events staged: each one's place in the log */
	int64_t staged;		/* in the current stage transaction */
	int64_t now;		/* the run's own now and actor, restored */
	char actor[sizeof ((struct inc_ctx *)0)->actor];
	int record_config;	/* the SLA fingerprint is still to be recorded */
};

/* ---- mapping files ---- */

const char *
inc_import_map_path(const char *name, char *buf, size_t len)
{
	char cfg[4096], *slash;
	size_t n = strlen(name);

	if (strchr(name, '/') || (n > 5 && strcmp(name + n - 5, ".json") == 0)) {
		snprintf(buf, len, "%s", name);
		return buf;
	}
	/* beside the shipped config: share/import/NAME.json */
	if (inc_config_default_path(cfg, sizeof cfg) && (slash = strrchr(cfg, '/'))) {
		*slash = '\0';
		snprintf(buf, len, "%s/import/%s.json", cfg, name);
	} else {
		snprintf(buf, len, "%s/import/%s.json", INC_SHAREDIR, name);
	}
	return access(buf, R_OK) == 0 ? buf : NULL;
}

char *
inc_import_prefix(const struct inc_import_map *map)
{
	const char *base, *dot;
	struct inc_buf b = {0};

	if (!map) {
		inc_buf_addstr(&b, "import:");
		return b.data;
	}
	base = strrchr(inc_import_map_file(map), '/') ? strrchr(inc_import_map_file(map), '/') + 1 :
	       inc_import_map_file(map);
	dot = strrchr(base, '.');
	inc_buf_add(&b, base, dot && dot > base ? (size_t)(dot - base) : strlen(base));
	inc_buf_addstr(&b, ":");
	return b.data;
}

/* ---- staging ---- */

static int
stage_commit(struct run *run, char *err)
{
	if (inc_db_in_tx(run->ctx->db) && inc_db_commit(run->ctx->db) < 0)
		return inc_db_err(run->ctx->db, err);
	run->staged = 0;
	return 0;
}

/* inc_import_read's callback: one normalized event into the stage, or a
 * refused row reported. */
static int
stage_event(json_t *ev, void *arg, char *err)
{
	struct run *run = arg;
	struct inc_ctx *ctx = run->ctx;
	struct inc_sql *q;
	const char *id;
	char *data;
	int64_t at;
	int rc;

	if (!ev) {
		run->st->refused++;
		if (run->opt->warn)
			run->opt->warn(err, run->opt->warn_arg);
		return 0;
	}
	id = json_string_value(json_object_get(ev, "id"));
	if (!id || inc_time_parse(json_string_value(json_object_get(ev, "at")), 0, 0, &at) < 0)
		return inc_err(err, "event %lld: no id or time", (long long)run->line + 1);
	/* the stage is this connection's: its transaction locks nothing */
	if (!inc_db_in_tx(ctx->db) && inc_db_begin_read(ctx->db) < 0)
		return inc_db_err(ctx->db, err);
	data = json_dumps(ev, JSON_COMPACT);
	q = inc_sql(ctx->db, "INSERT INTO scratch.import_stage(key, at, seq, line, data)"
		    " VALUES(?, ?, ?, ?, ?)");
	inc_sql_text(q, 1, id);
	inc_sql_int(q, 2, at);
	inc_sql_int(q, 3, json_integer_value(json_object_get(ev, "seq")));
	inc_sql_int(q, 4, ++run->line);
	inc_sql_text(q, 5, data);
	rc = inc_sql_run(q, err);
	free(data);
	if (rc < 0)
		return -1;
	run->st->events++;
	if (++run->staged >= STAGE_ROWS)
		return stage_commit(run, err);
	return 0;
}

/* ---- one incident ---- */

/* What the replay of one incident keeps besides the record. */
struct replay {
	struct inc_incident r;
	int64_t tier;		/* of the current group; INC_NULL: unknown */
	int64_t events;
	int created;
	int raced;		/* its external_id taken meanwhile by another run */
};

static void
set_actor(struct inc_ctx *ctx, json_t *ev)
{
	const char *a = json_string_value(json_object_get(ev, "actor"));

	snprintf(ctx->actor, sizeof ctx->actor, "%s", a && *a ? a : "import");
}

/* The descriptive fields an event sets, as the log has them: the other
 * desk's groups, categories and levels are its history, not checked
 * against the config. Explicit, so that inc-classify leaves them be. */
static void
apply_fields(struct inc_incident *r, json_t *ev)
{
	static const char *const moves[] = {"id", "at", "seq", "actor", "status", "group",
		"assignee", "tier", "custom", NULL};
	const char *k;
	json_t *v;

	json_object_foreach(ev, k, v) {
		const struct inc_field *f;

		if (inc_in_list(k, moves) || !(f = inc_field_find(k)))
			continue;
		if (f->type == INC_FT_STR) {
			const char *s = json_string_value(v);

			if (strcmp(k, "subject") == 0 && (!s || !*s))
				continue;	/* a subject is never cleared */
			inc_set_str(&MEMBER(r, f, char *), s && *s ? s : NULL);
		} else if (f->type == INC_FT_FLAG) {
			MEMBER(r, f, int64_t) = json_is_true(v);
		} else {
			continue;
		}
		r->explicit_ |= f->explicit_bit;
	}
	if ((v = json_object_get(ev, "custom")) && json_object_size(v))
		inc_custom_merge(r, NULL, NULL, v);
}

/* The tier of group: the event's, else the config's for a group it
 * knows, else unknown. */
static int64_t
group_tier(const struct inc_config *cfg, json_t *ev, const char *group)
{
	json_t *t = json_object_get(ev, "tier");
	const struct inc_group *g;

	if (json_is_integer(t))
		return json_integer_value(t);
	if (group && (g = inc_config_group(cfg, group)))
		return g->tier;
	return INC_NULL;
}

/*
 * Group and assignee through inc_set_assignment (the first assignee and
 * group kept, every later change counted as a reassignment), the tier of
 * the first group kept beside them, and a move to a group of a higher
 * support line than the one it leaves counted as a functional escalation:
 * *from set (malloc'd) for its audit row.
 */
static void
apply_assignment(struct inc_ctx *ctx, struct replay *rp, json_t *ev, char **from)
{
	struct inc_incident *r = &rp->r;
	json_t *g = json_object_get(ev, "group"), *a = json_object_get(ev, "assignee");
	const char *group = g ? json_string_value(g) : r->group;
	const char *assignee = a ? json_string_value(a) : r->assignee;
	int had_first = r->first_assignee != NULL;
	int64_t tier = rp->tier;
	char *old = r->group ? inc_xstrdup(r->group) : NULL;

	*from = NULL;
	if (g)
		tier = group_tier(ctx->cfg, ev, group);
	else if (json_is_integer(json_object_get(ev, "tier")))
		tier = json_integer_value(json_object_get(ev, "tier"));
	if (g || a)
		inc_set_assignment(ctx, r, group, assignee);
	if (g)
		r->explicit_ |= INC_EXPLICIT_GROUP;	/* the log's, not the rules' */
	if (!inc_streq(old, r->group) && rp->tier != INC_NULL && tier != INC_NULL &&
	    tier > rp->tier) {
		r->escalation_level++;
		r->escalated = 1;
		*from = old ? old : inc_xstrdup("");
		old = NULL;
	}
	rp->tier = tier;
	if (!had_first && r->first_assignee)
		r->first_tier = rp->tier;
	free(old);
}

/* Store r against before: the SLA clocks follow (inc_sla_update), then the
 * row and an audit row per changed field, action "import". Not
 * inc_incident_store: a major incident in the history declares nothing to
 * the event log. */
static int
store(struct inc_ctx *ctx, const struct inc_incident *before, struct inc_incident *r,
      char *err)
{
	if (inc_sla_update(ctx, r, err) < 0)
		return -1;
	return inc_record_save(ctx, before, r, "import", err);
}

/* One event after the first: the status move (as the log has it), the
 * assignment, the fields, in that order, so that what the event sets is
 * what stands after it (a reopening clears the closure code before the
 * event gives one). */
static int
apply_event(struct inc_ctx *ctx, struct replay *rp, json_t *ev, char *err)
{
	struct inc_incident before;
	const char *s = json_string_value(json_object_get(ev, "status"));
	char *from = NULL;
	int rc = 0;

	inc_incident_copy(&before, &rp->r);
	if (s && inc_status_replay(ctx, &rp->r, (enum inc_status)inc_status_parse(s), err) < 0)
		rc = -1;
	if (rc == 0) {
		apply_assignment(ctx, rp, ev, &from);
		apply_fields(&rp->r, ev);
		rc = store(ctx, &before, &rp->r, err);
	}
	if (rc == 0 && from)
		rc = inc_audit(ctx, rp->r.id, INC_NULL, "escalated", "group", *from ? from : NULL,
			       rp->r.group, err);
	free(from);
	inc_incident_clear(&before);
	return rc;
}

/* The subject of an incident whose first event gives none (the BPI and
 * helpdesk logs have no subject): "<product> (<id>)" when custom holds a
 * product, else the source's id. */
static void
fallback_subject(struct inc_incident *r, const char *key)
{
	json_t *c = r->custom ? json_loads(r->custom, 0, NULL) : NULL;
	const char *product = json_string_value(json_object_get(c, "product"));
	struct inc_buf b = {0};

	if (product && *product)
		inc_buf_printf(&b, "%s (%s)", product, key);
	else
		inc_buf_addstr(&b, key);
	inc_set_str(&r->subject, b.data);
	inc_buf_free(&b);
	json_decref(c);
}

/* The first event: the incident logged at its time by its actor, with the
 * descriptive fields it gives and the SLA policy that matches it (as
 * inc-sla would attach it), then its status and assignment as a change. */
static int
create(struct run *run, struct replay *rp, const char *key, const char *xid, json_t *ev,
       char *err)
{
	struct inc_ctx *ctx = run->ctx;
	struct inc_incident *r = &rp->r;
	const struct inc_policy *p;
	json_t *moves;
	int rc;

	apply_fields(r, ev);
	if (!r->subject)
		fallback_subject(r, key);
	inc_set_str(&r->external_id, xid);
	r->created_at = ctx->now;
	if ((p = inc_sla_match(ctx->cfg, r)))
		inc_set_str(&r->sla_policy, p->name);
	if (inc_incident_insert(ctx, r, err) < 0) {
		/* another import of the same log got there first */
		if (inc_db_errclass(ctx->db) == INC_DBE_UNIQUE && !inc_db_failed(ctx->db))
			rp->raced = 1;
		return -1;
	}
	rp->created = 1;
	/* status, group, assignee, tier: the moves of the first event */
	moves = json_object();
	for (int i = 0; i < 4; i++) {
		static const char *const keys[] = {"status", "group", "assignee", "tier"};
		json_t *v = json_object_get(ev, keys[i]);

		if (v)
			json_object_set(moves, keys[i], v);
	}
	rc = apply_event(ctx, rp, moves, err);
	json_decref(moves);
	return rc;
}

/*
 * The end of an incident's replay. History is silent: its SLA states count
 * as reported (at its last event: an inc-sla pass would otherwise announce
 * every breach of the history), and one still open is left out of the SLA
 * watch (sla_next_check null). Live, an incident still open is watched
 * from now on: its clocks brought to now by the importer, their states left
 * for the next inc-sla pass to report (and inc-escalate to act on), and a
 * "logged" event in the event log for inc-notify and other consumers.
 */
static int
finish(struct run *run, struct replay *rp, char *err)
{
	struct inc_ctx *ctx = run->ctx;
	struct inc_incident *r = &rp->r, before;
	int live = run->opt->live && inc_status_open(r->status), rc;
	json_t *ev = NULL, *out;

	inc_incident_init(&before);
	if (live) {
		ctx->now = run->now > r->updated_at ? run->now : r->updated_at;
		snprintf(ctx->actor, sizeof ctx->actor, "%s", run->actor);
		inc_incident_copy(&before, r);
		rc = store(ctx, &before, r, err);
	} else {
		rc = inc_sla_check(ctx, r, INC_SLA_PASS, &ev, err);
		json_decref(ev);
		if (rc >= 0 && inc_status_open(r->status) && r->sla_next_check != INC_NULL) {
			inc_incident_copy(&before, r);
			r->sla_next_check = INC_NULL;
			rc = inc_record_save(ctx, &before, r, "import", err);
		}
	}
	inc_incident_clear(&before);
	if (rc < 0)
		return -1;
	out = json_pack("{s:s,s:b,s:I}", "kind", "logged", "imported", 1, "events",
			(json_int_t)rp->events);
	if (live) {
		json_t *logged = json_pack("{s:s,s:b}", "kind", "logged", "imported", 1);

		rc = inc_event_log(ctx, r, logged, err);
		json_decref(logged);
		if (rc < 0) {
			json_decref(out);
			return -1;
		}
		run->st->live++;
	}
	inc_emit(ctx, r, out);
	return 0;
}

/* Replay the staged events of incident key: 1 created, 0 there already,
 * -1 refused (err), -2 created meanwhile by another run (to be rolled
 * back: there already). */
static int
replay(struct run *run, const char *key, char *err)
{
	struct inc_ctx *ctx = run->ctx;
	struct inc_sql *q;
	struct replay rp = {.tier = INC_NULL};
	struct inc_buf xid = {0};
	int rc, step;

	inc_incident_init(&rp.r);
	inc_buf_printf(&xid, "%s%s", run->opt->prefix ? run->opt->prefix : "", key);
	rc = inc_incident_by_external(ctx, xid.data, &rp.r, err);
	if (rc != 0) {
		/* there already: left as it is (a re-import changes nothing) */
		inc_incident_clear(&rp.r);
		inc_buf_free(&xid);
		return rc < 0 ? -1 : 0;
	}
	q = inc_sql(ctx->db, "SELECT at, data FROM scratch.import_stage WHERE key=?"
		    " ORDER BY at, seq, line");
	inc_sql_text(q, 1, key);
	while ((step = inc_sql_step(q)) > 0) {
		json_t *ev = json_loads(inc_sql_col_text(q, 1), 0, NULL);

		if (!ev) {
			rc = inc_err(err, "a staged event that is not JSON");
			break;
		}
		ctx->now = inc_sql_col_int(q, 0);
		set_actor(ctx, ev);
		rp.events++;
		rc = rp.created ? apply_event(ctx, &rp, ev, err) :
		     create(run, &rp, key, xid.data, ev, err);
		json_decref(ev);
		if (rc < 0)
			break;
	}
	inc_sql_reset(q);
	if (step < 0)
		rc = inc_db_err(ctx->db, err);
	if (rc == 0 && rp.created)
		rc = finish(run, &rp, err);
	ctx->now = run->now;
	snprintf(ctx->actor, sizeof ctx->actor, "%s", run->actor);
	inc_incident_clear(&rp.r);
	inc_buf_free(&xid);
	if (rc < 0 && rp.raced)
		return -2;
	return rc < 0 ? -1 : 1;
}

/* ---- the run ---- */

/* The database failed under the run: nothing of the batch stands. */
static int
fatal(struct run *run, char *err)
{
	inc_db_err(run->ctx->db, err);
	inc_tx_rollback(run->ctx);
	return -1;
}

static int
commit(struct run *run, int64_t *n, int64_t *t0, char *err)
{
	int held = *n > 0 && inc_mono_ns() - *t0 > BATCH_NSEC;

	if (inc_db_in_tx(run->ctx->db) && inc_tx_commit(run->ctx) < 0)
		return fatal(run, err);
	inc_ctx_flush(run->ctx);
	if (held)
		usleep(YIELD_USEC);
	*n = 0;
	*t0 = inc_mono_ns();
	return 0;
}

/* The next incident key of the stage after `after` (malloc'd in *key, NULL
 * at the end): 0, or -1 (err). */
static int
next_key(struct run *run, const char *after, char **key, char *err)
{
	struct inc_sql *q = inc_sql(run->ctx->db, "SELECT key FROM scratch.import_stage"
				    " WHERE key > ? ORDER BY key LIMIT 1");
	int rc;

	inc_sql_text(q, 1, after);
	rc = inc_sql_step(q);
	*key = rc > 0 ? inc_sql_col_dup(q, 0) : NULL;
	inc_sql_reset(q);
	return rc < 0 ? inc_db_err(run->ctx->db, err) : 0;
}

static int
apply_all(struct run *run, char *err)
{
	struct inc_ctx *ctx = run->ctx;
	char *key = inc_xstrdup(""), *next;
	int64_t n = 0, t0 = inc_mono_ns();

	for (;;) {
		char why[INC_ERRLEN] = "";
		size_t mark;
		int rc;

		if (!inc_db_in_tx(ctx->db) && inc_tx_begin(ctx) < 0)
			goto failed;
		/* the SLA settings the due times are computed with, as inc-sla
		 * records them on its first run */
		if (run->record_config) {
			if (inc_sla_config_record(ctx, err) < 0)
				goto failed;
			run->record_config = 0;
		}
		if (next_key(run, key, &next, err) < 0)
			goto failed;
		free(key);
		if (!(key = next))
			break;
		mark = ctx->out.len;
		if (inc_db_savepoint(ctx->db) < 0)
			goto failed;
		rc = replay(run, key, why);
		if (rc == -2) {
			if (inc_db_failed(ctx->db) || inc_db_rollback_to(ctx->db) < 0)
				goto failed;
			ctx->out.len = mark;
			run->st->existing++;
		} else if (rc < 0) {
			if (inc_db_failed(ctx->db) || inc_db_rollback_to(ctx->db) < 0)
				goto failed;
			ctx->out.len = mark;
			run->st->failed++;
			if (run->opt->warn) {
				char msg[INC_ERRLEN + 64];

				snprintf(msg, sizeof msg, "%s: %s", key, why);
				run->opt->warn(msg, run->opt->warn_arg);
			}
		} else {
			if (inc_db_release(ctx->db) < 0)
				goto failed;
			if (rc > 0)
				run->st->incidents++;
			else
				run->st->existing++;
		}
		if ((++n >= BATCH_INCIDENTS || inc_mono_ns() - t0 > BATCH_NSEC) &&
		    commit(run, &n, &t0, err) < 0)
			return -1;
	}
	return commit(run, &n, &t0, err);
failed:
	free(key);
	return fatal(run, err);
}

int
inc_import(struct inc_ctx *ctx, FILE *in, const struct inc_import *opt,
	   struct inc_import_stats *st, char *err)
{
	struct run run = {.ctx = ctx, .opt = opt, .st = st, .now = ctx->now};
	int rc, cfgstate;

	memset(st, 0, sizeof *st);
	snprintf(run.actor, sizeof run.actor, "%s", ctx->actor);
	if ((cfgstate = inc_sla_config_state(ctx, err)) < 0)
		return -1;
	run.record_config = cfgstate == INC_SLACFG_NONE;
	if (inc_db_scratch(ctx->db, err) < 0 ||
	    inc_db_exec(ctx->db, "CREATE TABLE scratch.import_stage(key TEXT NOT NULL,"
			" at BIGINT NOT NULL, seq BIGINT NOT NULL, line BIGINT NOT NULL,"
			" data TEXT NOT NULL)", err) < 0)
		return -1;
	rc = inc_import_read(in, opt->format, opt->map, stage_event, &run, NULL, err);
	if (rc == 0)
		rc = stage_commit(&run, err);
	if (rc < 0) {
		/* nothing is imported from a log that could not be read to its
		 * end: the run again, on the log put right, imports it whole */
		inc_db_rollback(ctx->db);
		inc_db_exec(ctx->db, "DROP TABLE IF EXISTS scratch.import_stage", NULL);
		st->stopped = 1;
		return -1;
	}
	/* sorted once, on disk: each incident's events in their order */
	if (inc_db_exec(ctx->db, "CREATE INDEX scratch.import_stage_order ON"
			" import_stage(key, at, seq, line)", err) < 0)
		return -1;
	rc = apply_all(&run, err);
	ctx->now = run.now;
	snprintf(ctx->actor, sizeof ctx->actor, "%s", run.actor);
	if (rc == 0 && inc_db_exec(ctx->db, "DROP TABLE scratch.import_stage", err) < 0)
		rc = -1;
	return rc;
}
