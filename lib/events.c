/*
 * events.c - the event log: every event a tool writes is appended, with a
 * global sequence number, in the transaction of the change it tells of;
 * consumers (inc-escalate, inc-notify, inc-events --consumer) read it
 * through durable cursors, so that nothing that happened is lost when a
 * pipe breaks, a run is refused or a process is killed. Delivery is at
 * least once; a consumer that acts in the database moves its cursor in the
 * same transaction as its effects, and so acts exactly once.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "inc.h"

/* ---- the set of incidents with kept events ---- */

/* cap a power of two: the product's top bits, Fibonacci hashing */
static size_t
id_slot(const int64_t *slot, size_t cap, int64_t id)
{
	size_t i = (size_t)(((uint64_t)id * UINT64_C(0x9E3779B97F4A7C15)) >>
			    (64 - __builtin_ctzll(cap)));

	while (slot[i] && slot[i] != id)
		i = (i + 1) & (cap - 1);
	return i;
}

static void
ids_add(struct inc_ctx *ctx, int64_t id)
{
	size_t i;

	if (id < 1)
		return;	/* no incident: 0 marks an empty slot */
	if (2 * (ctx->npev_ids + 1) > ctx->cappev_ids) {
		size_t cap = ctx->cappev_ids ? 2 * ctx->cappev_ids : 512;
		int64_t *slot = inc_xmalloc(cap * sizeof *slot);

		memset(slot, 0, cap * sizeof *slot);
		for (size_t k = 0; k < ctx->cappev_ids; k++)
			if (ctx->pev_ids[k])
				slot[id_slot(slot, cap, ctx->pev_ids[k])] = ctx->pev_ids[k];
		free(ctx->pev_ids);
		ctx->pev_ids = slot;
		ctx->cappev_ids = cap;
	}
	i = id_slot(ctx->pev_ids, ctx->cappev_ids, id);
	if (!ctx->pev_ids[i]) {
		ctx->pev_ids[i] = id;
		ctx->npev_ids++;
	}
}

int
inc_events_kept(const struct inc_ctx *ctx, int64_t id)
{
	return ctx->npev_ids && id >= 1 &&
	       ctx->pev_ids[id_slot(ctx->pev_ids, ctx->cappev_ids, id)] == id;
}

/* ---- writing ---- */

int
inc_event_log(struct inc_ctx *ctx, const struct inc_incident *r, const json_t *ev, char *err)
{
	const char *kind = json_string_value(json_object_get(ev, "kind"));
	struct inc_buf data = {0};
	struct inc_sql *q;
	int rc;

	if (!kind)
		return inc_err(err, "an event without a kind");
	if (ctx->defer_rows) {
		struct inc_pending_event *p;

		if (ctx->npev == ctx->cappev) {
			ctx->cappev = ctx->cappev ? 2 * ctx->cappev : 256;
			ctx->pev = inc_xrealloc(ctx->pev, ctx->cappev * sizeof *ctx->pev);
		}
		p = &ctx->pev[ctx->npev++];
		p->at = ctx->now;
		p->incident = r->id;
		ids_add(ctx, r->id);
		p->kind = inc_text_put(&ctx->pev_text, kind);
		/* the data written in place, after its kind */
		p->data = ctx->pev_text.len;
		inc_json_value(&ctx->pev_text, ev);
		inc_buf_add(&ctx->pev_text, "", 1);
		return 0;
	}
	inc_json_value(&data, ev);
	q = inc_sql(ctx->db, "INSERT INTO event(at, actor, tool, incident, kind, data, via)"
		    " VALUES(?, ?, ?, ?, ?, ?, ?)");
	inc_sql_int(q, 1, ctx->now);
	inc_sql_text(q, 2, ctx->actor);
	inc_sql_text(q, 3, inc_progname());
	inc_sql_int(q, 4, r->id);
	inc_sql_text(q, 5, kind);
	inc_sql_text(q, 6, data.data);
	inc_sql_text(q, 7, inc_ctx_via(ctx));
	rc = inc_sql_run(q, err);
	inc_buf_free(&data);
	return rc;
}

/* Kept events, several to an INSERT, as the audit rows (record.c): the
 * texts are constants of 1, 2, 4, 8, 16 and 32 rows, a run of n written as
 * n's binary digits; on SQLite "OR FAIL": no statement journal for a
 * statement of many rows none of which can fail. */
#define E_COLS " event(at, actor, tool, incident, kind, data, via) VALUES"
#define E_1 "(?,?,?,?,?,?,?)"
#define E_2 E_1 "," E_1
#define E_4 E_2 "," E_2
#define E_8 E_4 "," E_4
#define E_16 E_8 "," E_8
#define E_32 E_16 "," E_16
static const char *const event_sql[2][6] = {
	{"INSERT OR FAIL INTO" E_COLS E_1, "INSERT OR FAIL INTO" E_COLS E_2,
	 "INSERT OR FAIL INTO" E_COLS E_4, "INSERT OR FAIL INTO" E_COLS E_8,
	 "INSERT OR FAIL INTO" E_COLS E_16, "INSERT OR FAIL INTO" E_COLS E_32},
	{"INSERT INTO" E_COLS E_1, "INSERT INTO" E_COLS E_2, "INSERT INTO" E_COLS E_4,
	 "INSERT INTO" E_COLS E_8, "INSERT INTO" E_COLS E_16, "INSERT INTO" E_COLS E_32},
};
#define EVENT_MAX 32	/* rows of the longest text */

int
inc_events_flush(struct inc_ctx *ctx, char *err)
{
	int pg = inc_db_dialect(ctx->db) != INC_SQLITE;
	const char *via = inc_ctx_via(ctx);
	size_t done = 0;
	int rc = 0;

	while (rc == 0 && done < ctx->npev) {
		int l;
		size_t k = inc_rows_run(ctx->npev - done, EVENT_MAX, &l);
		struct inc_sql *q = inc_sql(ctx->db, event_sql[pg][l]);

		for (size_t i = 0; i < k; i++) {
			const struct inc_pending_event *p = &ctx->pev[done + i];
			int j = 1 + 7 * (int)i;

			inc_sql_int(q, j, p->at);
			inc_sql_text(q, j + 1, ctx->actor);
			inc_sql_text(q, j + 2, inc_progname());
			inc_sql_int(q, j + 3, p->incident);
			inc_sql_text(q, j + 4, inc_text_at(&ctx->pev_text, p->kind));
			inc_sql_text(q, j + 5, inc_text_at(&ctx->pev_text, p->data));
			inc_sql_text(q, j + 6, via);
		}
		rc = inc_sql_run(q, err);
		done += k;
	}
	inc_events_drop(ctx, 0);
	return rc;
}

size_t
inc_rows_run(size_t n, size_t max, int *text)
{
	size_t k = 1;

	*text = 0;
	while (2 * k <= n && 2 * k <= max)
		k *= 2, ++*text;
	return k;
}

int
inc_rows_flush(struct inc_ctx *ctx, char *err)
{
	if (ctx->npev || ctx->npau)
		ctx->rows_flushed++;
	return inc_audit_flush(ctx, err) < 0 || inc_events_flush(ctx, err) < 0 ? -1 : 0;
}

void
inc_events_drop(struct inc_ctx *ctx, size_t from)
{
	if (from < ctx->npev) {
		/* the texts of event `from` on begin with its kind */
		ctx->pev_text.len = ctx->pev[from].kind;
		ctx->npev = from;
		/* the set again, of those left */
		if (ctx->npev_ids) {
			memset(ctx->pev_ids, 0, ctx->cappev_ids * sizeof *ctx->pev_ids);
			ctx->npev_ids = 0;
		}
		for (size_t i = 0; i < from; i++)
			ids_add(ctx, ctx->pev[i].incident);
	}
}

void
inc_rows_free(struct inc_ctx *ctx)
{
	free(ctx->pev);
	free(ctx->pev_ids);
	free(ctx->pau);
	inc_buf_free(&ctx->pev_text);
	inc_buf_free(&ctx->pau_text);
	ctx->pev = NULL;
	ctx->pev_ids = NULL;
	ctx->pau = NULL;
	ctx->npev = ctx->cappev = ctx->npau = ctx->cappau = 0;
	ctx->npev_ids = ctx->cappev_ids = 0;
}

size_t
inc_text_put(struct inc_buf *b, const char *s)
{
	size_t off = b->len;

	if (!s)
		return INC_NOTEXT;
	inc_buf_add(b, s, strlen(s) + 1);
	return off;
}

int
inc_event(struct inc_ctx *ctx, const struct inc_incident *r, json_t *ev, char *err)
{
	if (inc_event_log(ctx, r, ev, err) < 0) {
		json_decref(ev);
		return -1;
	}
	inc_emit(ctx, r, ev);
	return 0;
}

void
inc_event_row_clear(struct inc_event_row *e)
{
	free(e->actor);
	free(e->tool);
	free(e->kind);
	free(e->via);
	json_decref(e->data);
	memset(e, 0, sizeof *e);
}

/* ---- cursors ---- */

int
inc_cursor_get(struct inc_ctx *ctx, const char *name, int64_t *seq, char *err)
{
	struct inc_sql *q = inc_sql(ctx->db, "SELECT seq FROM cursor WHERE name=?");
	int rc;

	*seq = 0;
	inc_sql_text(q, 1, name);
	rc = inc_sql_one_int(q, seq, err);
	return rc < 0 ? -1 : 0;
}

int
inc_cursor_owner(struct inc_ctx *ctx, const char *name, char *owner, size_t len, char *err)
{
	struct inc_sql *q = inc_sql(ctx->db, "SELECT coalesce(tool, '') FROM cursor WHERE name=?");
	int rc;

	owner[0] = '\0';
	inc_sql_text(q, 1, name);
	if ((rc = inc_sql_step(q)) > 0)
		snprintf(owner, len, "%s", inc_sql_col_text(q, 0));
	inc_sql_reset(q);
	if (rc < 0)
		return inc_db_err(ctx->db, err), -1;
	return rc > 0 && *owner && strcmp(owner, inc_progname()) != 0 ? 2 : rc;
}

int
inc_cursor_set(struct inc_ctx *ctx, const char *name, int64_t seq, char *err)
{
	/* a cursor never moves back: two runs of one consumer at once; the
	 * first tool to move it owns it */
	struct inc_sql *q = inc_sql(ctx->db, "INSERT INTO cursor(name, seq, at, tool) VALUES(?1, ?2, ?3, ?4)"
				    " ON CONFLICT(name) DO UPDATE SET seq=CASE WHEN excluded.seq > cursor.seq"
				    " THEN excluded.seq ELSE cursor.seq END,"
				    " at=excluded.at, tool=coalesce(cursor.tool, excluded.tool)");

	inc_sql_text(q, 1, name);
	inc_sql_int(q, 2, seq);
	inc_sql_int(q, 3, ctx->now);
	inc_sql_text(q, 4, inc_progname());
	return inc_sql_run(q, err);
}

int
inc_cursor_seek(struct inc_ctx *ctx, const char *name, int64_t seq, char *err)
{
	/* a seek may move the cursor back: the admin's choice; the owner stays */
	struct inc_sql *q = inc_sql(ctx->db, "INSERT INTO cursor(name, seq, at) VALUES(?1, ?2, ?3)"
				    " ON CONFLICT(name) DO UPDATE SET seq=excluded.seq, at=excluded.at");

	inc_sql_text(q, 1, name);
	inc_sql_int(q, 2, seq);
	inc_sql_int(q, 3, ctx->now);
	return inc_sql_run(q, err);
}

int
inc_cursor_drop(struct inc_ctx *ctx, const char *name, char *err)
{
	struct inc_sql *q = inc_sql(ctx->db, "DELETE FROM cursor WHERE name=?");
	int64_t c0 = inc_db_changes(ctx->db);

	inc_sql_text(q, 1, name);
	if (inc_sql_run(q, err) < 0)
		return -1;
	return inc_db_changes(ctx->db) > c0;
}

/* ---- reading ---- */

/* Kinds a fetch names in its SQL, the slots it leaves unbound (NULL)
 * matching none: a consumer of a few kinds reads no other row, nor parses
 * its data. More kinds than this are dropped as the rows are read. (The
 * IN list costs SQLite a small ephemeral table per run, once a batch of
 * 500 here, where assign.c's one-row lookup avoids it.) */
#define KINDS_SQL 4
#define EV_COLS "SELECT seq, at, actor, tool, incident, kind, data, via FROM event"

/*
 * The events after `after` among the next max rows of the log (of the
 * kinds named, when they are few enough for the SQL), those of the kinds
 * named kept (NULL or []: all), oldest first. In *upto (may be NULL) how
 * far the log was looked at, for the consumer's cursor: the last row read
 * when max were (more may follow), else the log's last (nothing more of
 * those kinds up to it). 1: more may follow, 0: no more, -1: error.
 */
static int
fetch(struct inc_ctx *ctx, int64_t after, size_t max, const json_t *kinds,
      struct inc_event_row **rows, size_t *n, int64_t *upto, char *err)
{
	size_t nk = kinds ? json_array_size(kinds) : 0, nread = 0;
	int named = nk > 0 && nk <= KINDS_SQL;
	struct inc_sql *q = inc_sql(ctx->db, named ?
				    EV_COLS " WHERE seq > ? AND kind IN (?, ?, ?, ?)"
				    " ORDER BY seq LIMIT ?" :
				    EV_COLS " WHERE seq > ? ORDER BY seq LIMIT ?");
	int64_t seen = after;
	int rc;

	*n = 0;
	*rows = inc_xmalloc((max ? max : 1) * sizeof **rows);
	inc_sql_int(q, 1, after);
	for (size_t k = 0; named && k < nk; k++)
		if (json_is_string(json_array_get(kinds, k)))
			inc_sql_text(q, 2 + (int)k, json_string_value(json_array_get(kinds, k)));
	inc_sql_int(q, named ? 2 + KINDS_SQL : 2, (int64_t)max);
	while ((rc = inc_sql_step(q)) > 0) {
		struct inc_event_row *e;
		const char *data;

		nread++;
		seen = inc_sql_col_int(q, 0);
		if (nk > KINDS_SQL && !inc_json_array_has(kinds, inc_sql_col_text(q, 5)))
			continue;	/* passed over, its data never parsed */
		e = &(*rows)[(*n)++];
		data = inc_sql_col_text(q, 6);
		e->seq = seen;
		e->at = inc_sql_col_int(q, 1);
		e->actor = inc_sql_col_dup(q, 2);
		e->tool = inc_sql_col_dup(q, 3);
		e->incident = inc_sql_col_int(q, 4);
		e->kind = inc_sql_col_dup(q, 5);
		e->via = inc_sql_col_dup(q, 7);
		e->data = json_loads(data ? data : "{}", 0, NULL);
		if (!e->data)
			e->data = json_object();
	}
	inc_sql_reset(q);
	if (rc == 0 && upto) {
		int64_t end;

		*upto = seen;
		/* the rows of other kinds up to the log's end were passed
		 * over: the cursor may go past them (in the consumer's
		 * transaction: no event comes in between) */
		if (named && nread < max &&
		    (rc = inc_sql_one_int(inc_sql(ctx->db, "SELECT coalesce(max(seq), 0) FROM event"),
					  &end, err)) > 0 && end > *upto)
			*upto = end;
	}
	if (rc < 0) {
		inc_events_free(*rows, *n);
		*rows = NULL;
		*n = 0;
		return inc_db_err(ctx->db, err);
	}
	return max && nread == max;
}

/* As fetch, the log's end read in the rows' snapshot: the caller's
 * transaction, else a read transaction of its own. */
int
inc_events_fetch(struct inc_ctx *ctx, int64_t after, size_t max, const json_t *kinds,
		 struct inc_event_row **rows, size_t *n, int64_t *upto, char *err)
{
	int own = upto && !inc_db_in_tx(ctx->db), more;

	*rows = NULL;
	*n = 0;
	if (own && inc_db_begin_read(ctx->db) < 0)
		return inc_db_err(ctx->db, err);
	if ((more = fetch(ctx, after, max, kinds, rows, n, upto, err)) < 0) {
		if (own)
			inc_db_rollback(ctx->db);
		return -1;
	}
	if (own && inc_db_commit(ctx->db) < 0) {
		inc_events_free(*rows, *n);
		*rows = NULL;
		*n = 0;
		return inc_db_err(ctx->db, err);
	}
	return more;
}

void
inc_events_free(struct inc_event_row *rows, size_t n)
{
	for (size_t i = 0; i < n; i++)
		inc_event_row_clear(&rows[i]);
	free(rows);
}

json_t *
inc_event_object(const struct inc_event_row *e)
{
	json_t *o = json_deep_copy(e->data);
	char tb[INC_TIMELEN];

	json_object_set_new(o, "at", json_string(inc_time_format(e->at, tb)));
	json_object_set_new(o, "actor", json_string(e->actor));
	if (e->via)
		json_object_set_new(o, "via", json_string(e->via));
	json_object_set_new(o, "tool", json_string(e->tool));
	return o;
}

/* ---- consuming ---- */

/* One batch: the events after the cursor, each acted on in a savepoint of
 * its own, the cursor moved past what was done, one transaction. 1: more
 * may follow, 0: caught up, -1: stopped (a refusal, or the database). */
static int
batch(struct inc_ctx *ctx, const char *name, const json_t *kinds, inc_event_fn fn, void *arg)
{
	struct inc_event_row *rows = NULL;
	char err[INC_ERRLEN];
	int64_t cur, last, upto;
	size_t n = 0, i;
	int rc = 0, more = 0;

	if (inc_tx_begin(ctx) < 0 || inc_cursor_get(ctx, name, &cur, err) < 0 ||
	    (more = fetch(ctx, cur, INC_EVENTS_BATCH, kinds, &rows, &n, &upto, err)) < 0)
		goto failed;
	last = cur;
	for (i = 0; i < n; i++) {
		struct inc_event_row *e = &rows[i];
		size_t mark = ctx->out.len, events = ctx->npev, audits = ctx->npau;
		unsigned long flushed = ctx->rows_flushed;
		int f;

		err[0] = '\0';
		if (inc_db_savepoint(ctx->db) < 0)
			goto failed;
		/* the audit and event rows kept for the commit, many to an
		 * INSERT (a quarter of a backlog's escalations went to writing
		 * them one at a time) */
		ctx->defer_rows = 1;
		f = fn(ctx, e, arg, err);
		ctx->defer_rows = 0;
		if (f != 0) {
			if (inc_db_failed(ctx->db))
				goto failed;
			if (ctx->rows_flushed != flushed && (events || audits)) {
				/* rows kept for earlier events, written out
				 * meanwhile, would go with the savepoint: none of
				 * the batch stands (the cursor with it: all again
				 * next run) */
				inc_err(err, "event %lld (INC-%lld %s): refused after the batch's"
					" earlier rows were written: the batch is rolled back",
					(long long)e->seq, (long long)e->incident, e->kind);
				goto failed;
			}
			if (inc_db_rollback_to(ctx->db) < 0)
				goto failed;
			inc_events_drop(ctx, events);
			inc_audit_drop(ctx, audits);
			ctx->out.len = mark;
			if (f > 0) {
				/* passed over: nothing of it stands */
				last = e->seq;
				continue;
			}
			/* it waits here for the next run: at least once */
			inc_warn("event %lld (INC-%lld %s): %s", (long long)e->seq,
				 (long long)e->incident, e->kind, err[0] ? err : "refused");
			ctx->status = INC_EXIT_REFUSED;
			rc = -1;
			break;
		}
		if (inc_db_release(ctx->db) < 0)
			goto failed;
		last = e->seq;
	}
	if (i == n)
		last = upto;	/* past the kinds not wanted too */
	if (last != cur && inc_cursor_set(ctx, name, last, err) < 0)
		goto failed;
	if (inc_tx_commit(ctx) < 0)
		goto failed;
	inc_events_free(rows, n);
	return rc < 0 ? -1 : more;
failed:
	if (inc_db_failed(ctx->db) || !err[0])
		inc_db_err(ctx->db, err);
	inc_tx_rollback(ctx);
	inc_warn("%s: %s", inc_db_name(ctx->db), err);
	ctx->status = INC_EXIT_DB;
	inc_events_free(rows, n);
	return -1;
}

int
inc_consume(struct inc_ctx *ctx, const char *name, const json_t *kinds, inc_event_fn fn,
	    void *arg)
{
	int rc;

	while ((rc = batch(ctx, name, kinds, fn, arg)) > 0)
		;
	return ctx->status;
}

/* ---- pruning ---- */

int
inc_events_prune(struct inc_ctx *ctx, int64_t before, int64_t *n, char *err)
{
	struct inc_sql *q;
	int64_t c0 = inc_db_changes(ctx->db);

	/* on PostgreSQL nobody who logs in may DELETE from the log: a
	 * function of the owner's deletes what the same rule allows
	 * (migration 010), for DB_admin */
	if (inc_db_dialect(ctx->db) == INC_PG) {
		q = inc_sql(ctx->db, "SELECT inc_event_prune(?1)");
		inc_sql_int(q, 1, before);
		return inc_sql_one_int(q, n, err) < 0 ? -1 : 0;
	}
	q = inc_sql(ctx->db, "DELETE FROM event WHERE at < ?1"
		    " AND seq <= (SELECT coalesce(min(seq), 0) FROM cursor)");
	inc_sql_int(q, 1, before);
	if (inc_sql_run(q, err) < 0)
		return -1;
	*n = inc_db_changes(ctx->db) - c0;
	return 0;
}

/* ---- showing ---- */

int
inc_event_write(struct inc_ctx *ctx, const struct inc_event_row *e, struct inc_buf *out,
		char *err)
{
	struct inc_incident r;
	json_t *extra, *ev;
	int rc;

	inc_incident_init(&r);
	rc = inc_incident_load(ctx, e->incident, &r, err);
	/* a requester follows the events of their own incidents only */
	if (rc > 0 && !inc_may(ctx->cfg, ctx->actor, INC_ACT_SEE, r.requester))
		rc = 0;
	if (rc > 0) {
		extra = json_pack("{s:I}", "seq", (json_int_t)e->seq);
		ev = inc_event_object(e);
		inc_incident_write(out, &r, ev, extra);
		inc_buf_add(out, "\n", 1);
		json_decref(extra);
		json_decref(ev);
	}
	inc_incident_clear(&r);
	return rc;
}
