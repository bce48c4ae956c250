/*
 * record.c - the incident record, all of it generated from the field
 * registry (fields.def): loading a row, storing one back with an audit row
 * per changed field, the JSON record of SPEC section 1, and the audit
 * trail read back.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "inc.h"

#define MEMBER(r, f, type) (*(type *)((char *)(r) + (f)->off))

/* ---- SQL ---- */

#define COLS_C(m, col, js, t, fl, ex) "," col
#define QMARK(m, col, js, t, fl, ex) ",?"
#define SETC(m, col, js, t, fl, ex) col "=?,"

static const char sql_select[] =
	"SELECT id"
#define X COLS_C
#include "fields.def"
#undef X
	" FROM incident WHERE id=?";
static const char sql_select_xid[] =
	"SELECT id"
#define X COLS_C
#include "fields.def"
#undef X
	" FROM incident WHERE external_id=?";
static const char sql_insert[] =
	"INSERT INTO incident(id"
#define X COLS_C
#include "fields.def"
#undef X
	") VALUES(?"
#define X QMARK
#include "fields.def"
#undef X
	")";
static const char sql_update[] =
	"UPDATE incident SET "
#define X SETC
#include "fields.def"
#undef X
	"id=id WHERE id=?";
static const char sql_audit[] =
	"INSERT INTO audit(incident, task, at, actor, tool, action, field, old, new, via)"
	" VALUES(?,?,?,?,?,?,?,?,?,?)";

/* ---- per-field operations, by type ---- */

#define INIT(m, col, js, t, fl, ex) INIT_##t(m)
#define INIT_STR(m) r->m = NULL;
#define INIT_JARR(m) r->m = NULL;
#define INIT_JOBJ(m) r->m = NULL;
#define INIT_INT(m) r->m = INC_NULL;
#define INIT_BOOL(m) r->m = INC_NULL;
#define INIT_TIME(m) r->m = INC_NULL;
#define INIT_CNT(m) r->m = 0;
#define INIT_FLAG(m) r->m = 0;
#define INIT_STATUS(m) r->m = INC_NEW;

#define FREE(m, col, js, t, fl, ex) FREE_##t(m)
#define FREE_STR(m) free(r->m);
#define FREE_JARR(m) free(r->m);
#define FREE_JOBJ(m) free(r->m);
#define FREE_INT(m)
#define FREE_BOOL(m)
#define FREE_TIME(m)
#define FREE_CNT(m)
#define FREE_FLAG(m)
#define FREE_STATUS(m)

#define DUP(m, col, js, t, fl, ex) DUP_##t(m)
#define DUP_STR(m) d->m = inc_xstrdup(s->m);
#define DUP_JARR(m) d->m = inc_xstrdup(s->m);
#define DUP_JOBJ(m) d->m = inc_xstrdup(s->m);
#define DUP_INT(m)
#define DUP_BOOL(m)
#define DUP_TIME(m)
#define DUP_CNT(m)
#define DUP_FLAG(m)
#define DUP_STATUS(m)

#define LOAD(m, col, js, t, fl, ex) LOAD_##t(m) i++;
#define LOAD_S(m) r->m = inc_sql_col_dup(q, i);
#define LOAD_I(m) r->m = inc_sql_col_int(q, i);
#define LOAD_STR LOAD_S
#define LOAD_JARR LOAD_S
#define LOAD_JOBJ LOAD_S
#define LOAD_INT LOAD_I
#define LOAD_BOOL LOAD_I
#define LOAD_TIME LOAD_I
#define LOAD_Z(m) r->m = inc_sql_null(q, i) ? 0 : inc_sql_col_int(q, i);
#define LOAD_CNT LOAD_Z
#define LOAD_FLAG LOAD_Z
#define LOAD_STATUS(m) { int s_ = inc_status_parse(inc_sql_col_text(q, i)); \
	r->m = s_ < 0 ? INC_NEW : (enum inc_status)s_; }

/* NULL needs no binding: every use of these statements is reset with its
 * bindings cleared, and most of a new incident's fields are null */
#define BIND(m, col, js, t, fl, ex) BIND_##t(m) i++;
#define BIND_S(m) if (r->m) inc_sql_text(q, i, r->m);
#define BIND_I(m) if (r->m != INC_NULL) inc_sql_int(q, i, r->m);
#define BIND_STR BIND_S
#define BIND_JARR BIND_S
#define BIND_JOBJ BIND_S
#define BIND_INT BIND_I
#define BIND_BOOL BIND_I
#define BIND_TIME BIND_I
#define BIND_CNT BIND_I
#define BIND_FLAG BIND_I
#define BIND_STATUS(m) inc_sql_text(q, i, inc_status_name(r->m));

void
inc_incident_init(struct inc_incident *r)
{
	memset(r, 0, sizeof *r);
	r->id = INC_NULL;
#define X INIT
#include "fields.def"
#undef X
}

void
inc_incident_clear(struct inc_incident *r)
{
#define X FREE
#include "fields.def"
#undef X
	inc_incident_init(r);
}

void
inc_incident_copy(struct inc_incident *d, const struct inc_incident *s)
{
	*d = *s;
#define X DUP
#include "fields.def"
#undef X
}

void
inc_set_str(char **field, const char *v)
{
	char *old = *field;

	*field = inc_xstrdup(v);
	free(old);
}

/* ---- JSON ---- */

static void
put_time(struct inc_buf *b, int64_t t)
{
	char tb[INC_TIMELEN];

	if (t == INC_NULL) {
		inc_buf_add(b, "null", 4);
		return;
	}
	inc_buf_add(b, "\"", 1);
	inc_buf_addstr(b, inc_time_format(t, tb));
	inc_buf_add(b, "\"", 1);
}

static void
put_bool(struct inc_buf *b, int64_t v)
{
	if (v == INC_NULL)
		inc_buf_add(b, "null", 4);
	else if (v)
		inc_buf_add(b, "true", 4);
	else
		inc_buf_add(b, "false", 5);
}

#define PUT_STR(b, v) inc_json_str(b, v)
#define PUT_INT(b, v) inc_json_int(b, v)
#define PUT_CNT(b, v) inc_json_int(b, v)
#define PUT_FLAG(b, v) put_bool(b, (v) ? 1 : 0)
#define PUT_BOOL(b, v) put_bool(b, v)
#define PUT_TIME(b, v) put_time(b, v)
#define PUT_STATUS(b, v) { inc_buf_add(b, "\"", 1); \
	inc_buf_addstr(b, inc_status_name(v)); inc_buf_add(b, "\"", 1); }
#define PUT_JARR(b, v) inc_buf_addstr(b, (v) ? (v) : "[]")
#define PUT_JOBJ(b, v) inc_buf_addstr(b, (v) ? (v) : "{}")

/* The record's keys in registry order; fields of the "sla" object go
 * inside it, opened at the first (policy, null when unset) and closed after
 * the last. */
#define KEY(b, k) inc_buf_add(b, k, sizeof(k) - 1)
#define WRITE(m, col, js, t, fl, ex) \
	if (((fl) & INC_F_SLA_OBJ) && !sla_seen) { \
		sla_seen = 1; \
		KEY(b, ",\"sla\":"); \
		if (!r->sla_policy) { inc_buf_add(b, "null", 4); in_sla = -1; } \
		else { inc_buf_add(b, "{", 1); in_sla = 1; sla_first = 1; } \
	} \
	if (!((fl) & INC_F_SLA_OBJ) && in_sla) { \
		if (in_sla > 0) inc_buf_add(b, "}", 1); \
		in_sla = 0; \
	} \
	if (js[0] && (!((fl) & INC_F_SLA_OBJ) || in_sla > 0)) { \
		if (!sla_first) inc_buf_add(b, ",", 1); \
		sla_first = 0; \
		inc_buf_add(b, "\"", 1); KEY(b, js "\":"); \
		PUT_##t(b, r->m); \
	}

/* The record's id and ref, the start of its text. */
static void
write_id(struct inc_buf *b, int64_t id)
{
	inc_buf_add(b, "{\"id\":", 6);
	inc_json_int(b, id);
	inc_buf_add(b, ",\"ref\":\"INC-", 12);
	inc_json_int(b, id);
	inc_buf_add(b, "\"", 1);
}

/* The rest of its fields, without the closing brace so an event can
 * follow. */
static void
write_fields(struct inc_buf *b, const struct inc_incident *r)
{
	int sla_seen = 0, in_sla = 0, sla_first = 0;

#define X WRITE
#include "fields.def"
#undef X
	if (in_sla > 0)
		inc_buf_add(b, "}", 1);
}

/* The record of SPEC section 1, compact, without the closing brace so an
 * event can follow. */
static void
write_record(struct inc_buf *b, const struct inc_incident *r)
{
	write_id(b, r->id);
	write_fields(b, r);
}

void
inc_incident_write(struct inc_buf *b, const struct inc_incident *r, const json_t *event,
		   const json_t *extra)
{
	write_record(b, r);
	if (extra) {
		const char *k;
		json_t *v;

		json_object_foreach((json_t *)extra, k, v) {
			inc_buf_add(b, ",", 1);
			inc_json_str(b, k);
			inc_buf_add(b, ":", 1);
			inc_json_value(b, v);
		}
	}
	if (event) {
		inc_buf_addstr(b, ",\"event\":");
		inc_json_value(b, event);
	}
	inc_buf_add(b, "}", 1);
}

void
inc_emit(struct inc_ctx *ctx, const struct inc_incident *r, json_t *event)
{
	inc_incident_write(&ctx->out, r, event, NULL);
	inc_buf_add(&ctx->out, "\n", 1);
	json_decref(event);
	if (ctx->out.len > 65536)
		inc_ctx_flush(ctx);
}

void
inc_incident_write_rest(struct inc_buf *b, const struct inc_incident *r)
{
	write_fields(b, r);
}

void
inc_emit_rest(struct inc_ctx *ctx, int64_t id, const char *rest, size_t n, json_t *event)
{
	write_id(&ctx->out, id);
	inc_buf_add(&ctx->out, rest, n);
	if (event) {
		inc_buf_addstr(&ctx->out, ",\"event\":");
		inc_json_value(&ctx->out, event);
	}
	inc_buf_add(&ctx->out, "}\n", 2);
	json_decref(event);
	if (ctx->out.len > 65536)
		inc_ctx_flush(ctx);
}

/* ---- database ---- */

static void
from_row(struct inc_sql *q, struct inc_incident *r)
{
	int i = 1;

	inc_incident_clear(r);
	r->id = inc_sql_col_int(q, 0);
#define X LOAD
#include "fields.def"
#undef X
}

static int
bind_fields(struct inc_sql *q, const struct inc_incident *r, int first)
{
	int i = first;

#define X BIND
#include "fields.def"
#undef X
	return i;
}

static int
load_by(struct inc_ctx *ctx, const char *sql, int64_t id, const char *xid,
	struct inc_incident *r, char *err)
{
	struct inc_sql *q = inc_sql(ctx->db, sql);
	int rc;

	if (xid)
		inc_sql_text(q, 1, xid);
	else
		inc_sql_int(q, 1, id);
	rc = inc_sql_step(q);
	if (rc > 0)
		from_row(q, r);
	inc_sql_reset(q);
	return rc < 0 ? inc_db_err(ctx->db, err) : rc;
}

int
inc_incident_load(struct inc_ctx *ctx, int64_t id, struct inc_incident *r, char *err)
{
	return load_by(ctx, sql_select, id, NULL, r, err);
}

int
inc_incident_get(struct inc_ctx *ctx, int64_t id, struct inc_incident *r, char *err)
{
	int rc = inc_incident_load(ctx, id, r, err);

	if (rc == 0)
		return inc_err(err, "no such incident");
	return rc < 0 ? -1 : 0;
}

int
inc_incident_by_external(struct inc_ctx *ctx, const char *xid, struct inc_incident *r,
			 char *err)
{
	return load_by(ctx, sql_select_xid, 0, xid, r, err);
}

/* ---- open incidents per assignee ---- */

/* The counts hold while the generation does: another process's commit
 * or a rollback drops them all. */
static void
loads_check(struct inc_ctx *ctx)
{
	struct inc_loads *l = &ctx->loads;

	if (!l->n || inc_db_generation(ctx->db) == l->gen)
		return;
	for (size_t i = 0; i < l->n; i++)
		free(l->name[i]);
	l->n = 0;
}

static int64_t *
load_slot(struct inc_ctx *ctx, const char *name)
{
	struct inc_loads *l = &ctx->loads;

	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->name[i], name) == 0)
			return &l->open[i];
	return NULL;
}

/* An incident stored as open with this assignee (+1), or no longer (-1). */
static void
loads_move(struct inc_ctx *ctx, const char *name, int64_t by)
{
	int64_t *slot;

	if (name && (slot = load_slot(ctx, name)))
		*slot += by;
}

/* After a write of r over before (NULL: a new incident). */
static void
loads_note(struct inc_ctx *ctx, const struct inc_incident *before, const struct inc_incident *r)
{
	int was = before && before->assignee && inc_status_open(before->status);
	int is = r->assignee && inc_status_open(r->status);

	if (!ctx->loads.n || (was == is && (!is || strcmp(before->assignee, r->assignee) == 0)))
		return;
	loads_check(ctx);
	if (was)
		loads_move(ctx, before->assignee, -1);
	if (is)
		loads_move(ctx, r->assignee, 1);
}

int64_t
inc_open_count(struct inc_ctx *ctx, const char *name, char *err)
{
	struct inc_sql *q = inc_sql(ctx->db,
		"SELECT count(*) FROM incident WHERE assignee=? AND " INC_SQL_OPEN);
	struct inc_loads *l = &ctx->loads;
	int64_t n = -1, *slot;

	/* outside a transaction every statement sees its own snapshot */
	if (inc_db_in_tx(ctx->db)) {
		loads_check(ctx);
		if ((slot = load_slot(ctx, name)))
			return *slot;
	}
	inc_sql_text(q, 1, name);
	if (inc_sql_one_int(q, &n, err) < 0)
		return -1;
	if (inc_db_in_tx(ctx->db)) {
		if (!l->n)
			l->gen = inc_db_generation(ctx->db);
		if (l->n == l->cap) {
			l->cap = l->cap ? 2 * l->cap : 16;
			l->name = inc_xrealloc(l->name, l->cap * sizeof *l->name);
			l->open = inc_xrealloc(l->open, l->cap * sizeof *l->open);
		}
		l->name[l->n] = inc_xstrdup(name);
		l->open[l->n++] = n;
	}
	return n;
}

void
inc_incident_defaults(const struct inc_ctx *ctx, struct inc_incident *r)
{
	if (r->created_at == INC_NULL)
		r->created_at = ctx->now;
	if (r->detected_at == INC_NULL)
		r->detected_at = r->created_at;
	r->updated_at = ctx->now;
	/* JSON columns are never null: [] and {} when there is nothing */
	for (size_t i = 0; i < inc_nfields; i++) {
		const struct inc_field *f = &inc_fields[i];

		if ((f->type == INC_FT_JARR || f->type == INC_FT_JOBJ) && !MEMBER(r, f, char *))
			MEMBER(r, f, char *) = inc_xstrdup(f->type == INC_FT_JARR ? "[]" : "{}");
	}
}

int
inc_incident_insert(struct inc_ctx *ctx, struct inc_incident *r, char *err)
{
	struct inc_sql *q = inc_sql(ctx->db, sql_insert);
	int rc;

	inc_incident_defaults(ctx, r);
	bind_fields(q, r, 2);
	/* the id from the connection, not RETURNING: that costs an ephemeral
	 * table (opened, written, freed) for every incident */
	rc = inc_sql_step(q);
	inc_sql_reset(q);
	if (rc < 0)
		return inc_db_err(ctx->db, err);
	r->id = inc_db_last_id(ctx->db);
	loads_note(ctx, NULL, r);
	return inc_audit(ctx, r->id, INC_NULL, "logged", NULL, NULL, r->subject, err);
}

/* The audit rows of one change (up to AUDIT_ROWS), or those kept for a
 * batch's commit, several to an INSERT: a statement's run costs as much
 * again as the row it writes (inc-classify writes five a record). The
 * texts are constants, 1, 2, 4, 8 and 16 rows (a run of n rows is written
 * as n's binary digits), since the statement cache's key is the text's
 * address. On SQLite "OR FAIL": a statement of several rows that may
 * abort runs in a statement journal (a copy of each page it touches, 4%
 * of inc-classify), and no row here can break a constraint; a failure
 * stops the record all the same. */
#define AUDIT_ROWS 8
struct audit_row {
	int64_t incident, task, at;
	const char *action, *field, *old, *new_;
};

#define A_COLS " audit(incident, task, at, actor, tool, action, field, old, new, via) VALUES"
#define A_1 "(?,?,?,?,?,?,?,?,?,?)"
#define A_2 A_1 "," A_1
#define A_4 A_2 "," A_2
#define A_8 A_4 "," A_4
#define A_16 A_8 "," A_8
static const char *const audit_sql[2][5] = {
	{"INSERT OR FAIL INTO" A_COLS A_1, "INSERT OR FAIL INTO" A_COLS A_2,
	 "INSERT OR FAIL INTO" A_COLS A_4, "INSERT OR FAIL INTO" A_COLS A_8,
	 "INSERT OR FAIL INTO" A_COLS A_16},
	{"INSERT INTO" A_COLS A_1, "INSERT INTO" A_COLS A_2, "INSERT INTO" A_COLS A_4,
	 "INSERT INTO" A_COLS A_8, "INSERT INTO" A_COLS A_16},
};
#define AUDIT_MAX 16	/* rows of the longest text */

static int
audit_write(struct inc_ctx *ctx, const struct audit_row *rows, size_t n, char *err)
{
	int pg = inc_db_dialect(ctx->db) != INC_SQLITE;
	const char *via = inc_ctx_via(ctx);

	while (n > 0) {
		int l;
		size_t k = inc_rows_run(n, AUDIT_MAX, &l);
		struct inc_sql *q = inc_sql(ctx->db, audit_sql[pg][l]);

		for (size_t i = 0; i < k; i++) {
			int j = 1 + 10 * (int)i;

			inc_sql_int(q, j, rows[i].incident);
			inc_sql_int(q, j + 1, rows[i].task);
			inc_sql_int(q, j + 2, rows[i].at);
			inc_sql_text(q, j + 3, ctx->actor);
			inc_sql_text(q, j + 4, inc_progname());
			inc_sql_text(q, j + 5, rows[i].action);
			inc_sql_text(q, j + 6, rows[i].field);
			inc_sql_text(q, j + 7, rows[i].old);
			inc_sql_text(q, j + 8, rows[i].new_);
			inc_sql_text(q, j + 9, via);
		}
		if (inc_sql_run(q, err) < 0)
			return -1;
		rows += k;
		n -= k;
	}
	return 0;
}

static int
audit_rows(struct inc_ctx *ctx, const struct audit_row *rows, size_t n, char *err)
{
	if (!ctx->defer_rows)
		return audit_write(ctx, rows, n, err);
	/* kept for the commit (inc_audit) */
	for (size_t i = 0; i < n; i++)
		if (inc_audit(ctx, rows[i].incident, rows[i].task, rows[i].action, rows[i].field,
			      rows[i].old, rows[i].new_, err) < 0)
			return -1;
	return 0;
}

/* One audit row per changed audited field with all of `only`; any change
 * at all sets *changed. */
static int
diff(struct inc_ctx *ctx, const struct inc_incident *before, const struct inc_incident *r,
     const char *action, unsigned only, int *changed, char *err)
{
	struct audit_row rows[AUDIT_ROWS];
	char tb[AUDIT_ROWS][2][INC_TIMELEN];
	size_t n = 0;

	for (size_t i = 0; i < inc_nfields; i++) {
		const struct inc_field *f = &inc_fields[i];
		const char *o, *nv;

		if (f->type == INC_FT_STR || f->type == INC_FT_JARR || f->type == INC_FT_JOBJ) {
			o = MEMBER(before, f, char *const);
			nv = MEMBER(r, f, char *const);
			if (inc_streq(o, nv))
				continue;
		} else if (f->type == INC_FT_STATUS) {
			if (MEMBER(before, f, const enum inc_status) == MEMBER(r, f, const enum inc_status))
				continue;
			o = nv = NULL;
		} else {
			if (MEMBER(before, f, const int64_t) == MEMBER(r, f, const int64_t))
				continue;
			o = nv = NULL;
		}
		*changed = 1;
		if (!(f->flags & INC_F_AUDIT) || (f->flags & only) != only)
			continue;
		if (n == AUDIT_ROWS) {
			if (audit_rows(ctx, rows, n, err) < 0)
				return -1;
			n = 0;
		}
		if (f->type != INC_FT_STR && f->type != INC_FT_JARR && f->type != INC_FT_JOBJ) {
			o = inc_field_text(before, f, tb[n][0]);
			nv = inc_field_text(r, f, tb[n][1]);
		}
		rows[n].incident = r->id;
		rows[n].task = INC_NULL;
		rows[n].at = ctx->now;
		rows[n].action = action;
		rows[n].field = f->name;
		rows[n].old = o;
		rows[n++].new_ = nv;
	}
	return audit_rows(ctx, rows, n, err);
}

/* Any field at all differs. */
static int
changed_at_all(const struct inc_incident *a, const struct inc_incident *b)
{
	for (size_t i = 0; i < inc_nfields; i++) {
		const struct inc_field *f = &inc_fields[i];

		if (f->type == INC_FT_STR || f->type == INC_FT_JARR || f->type == INC_FT_JOBJ) {
			if (!inc_streq(MEMBER(a, f, char *const), MEMBER(b, f, char *const)))
				return 1;
		} else if (f->type == INC_FT_STATUS) {
			if (MEMBER(a, f, const enum inc_status) != MEMBER(b, f, const enum inc_status))
				return 1;
		} else if (MEMBER(a, f, const int64_t) != MEMBER(b, f, const int64_t)) {
			return 1;
		}
	}
	return 0;
}

/* Whether field f differs between a and b. */
static int
field_differs(const struct inc_incident *a, const struct inc_incident *b,
	      const struct inc_field *f)
{
	if (f->type == INC_FT_STR || f->type == INC_FT_JARR || f->type == INC_FT_JOBJ)
		return !inc_streq(MEMBER(a, f, char *const), MEMBER(b, f, char *const));
	if (f->type == INC_FT_STATUS)
		return MEMBER(a, f, const enum inc_status) != MEMBER(b, f, const enum inc_status);
	return MEMBER(a, f, const int64_t) != MEMBER(b, f, const int64_t);
}

/*
 * The UPDATE of the columns that changed (updated_at always), bound, or
 * NULL for the UPDATE of them all. SQLite rewrites the entry of every
 * index on a column the SET names, changed or not: writing every column
 * costs a delete and an insert in each of the incident's indexes. One
 * text per set of columns, kept in the context (the statement cache's
 * key); past 16 sets, the full UPDATE.
 */
static struct inc_sql *
update_changed(struct inc_ctx *ctx, const struct inc_incident *before,
	       const struct inc_incident *r)
{
	uint64_t cols = 0;
	const char *sql = NULL;
	struct inc_sql *q;
	int i = 1;

	if (inc_nfields > 64)
		return NULL;
	for (size_t k = 0; k < inc_nfields; k++)
		if (field_differs(before, r, &inc_fields[k]) ||
		    &MEMBER(r, &inc_fields[k], const int64_t) == &r->updated_at)
			cols |= (uint64_t)1 << k;
	for (int k = 0; k < ctx->nupd && !sql; k++)
		if (ctx->upd[k].cols == cols)
			sql = ctx->upd[k].sql;
	if (!sql) {
		struct inc_buf b = {0};

		if (ctx->nupd == (int)(sizeof ctx->upd / sizeof ctx->upd[0]))
			return NULL;
		inc_buf_addstr(&b, "UPDATE incident SET ");
		for (size_t k = 0; k < inc_nfields; k++) {
			if (!(cols & ((uint64_t)1 << k)))
				continue;
			inc_buf_addstr(&b, inc_fields[k].column);
			inc_buf_addstr(&b, "=?,");
		}
		b.data[--b.len] = '\0';
		inc_buf_addstr(&b, " WHERE id=?");
		ctx->upd[ctx->nupd].cols = cols;
		ctx->upd[ctx->nupd++].sql = b.data;
		sql = b.data;
	}
	if (!(q = inc_sql(ctx->db, sql)))
		return NULL;
	for (size_t k = 0; k < inc_nfields; k++) {
		const struct inc_field *f = &inc_fields[k];

		if (!(cols & ((uint64_t)1 << k)))
			continue;
		/* as BIND: NULL needs no binding */
		if (f->type == INC_FT_STR || f->type == INC_FT_JARR || f->type == INC_FT_JOBJ) {
			if (MEMBER(r, f, char *const))
				inc_sql_text(q, i, MEMBER(r, f, char *const));
		} else if (f->type == INC_FT_STATUS) {
			inc_sql_text(q, i, inc_status_name(MEMBER(r, f, const enum inc_status)));
		} else if (MEMBER(r, f, const int64_t) != INC_NULL) {
			inc_sql_int(q, i, MEMBER(r, f, const int64_t));
		}
		i++;
	}
	inc_sql_int(q, i, r->id);
	return q;
}

int
inc_record_save(struct inc_ctx *ctx, const struct inc_incident *before,
		struct inc_incident *r, const char *action, char *err)
{
	struct inc_sql *q;
	int i, changed = 0;

	if (!changed_at_all(before, r))
		return 0;
	/* history runs forward: an action dated before the incident's last
	 * change (a close before the logging) would make nonsense of its
	 * times and of the KPIs */
	if (ctx->now < before->updated_at || ctx->now < before->created_at) {
		char a[INC_TIMELEN], b[INC_TIMELEN];

		return inc_err(err, "dated %s, before the incident's last change at %s",
			       inc_time_format(ctx->now, a),
			       inc_time_format(before->updated_at > before->created_at ?
					       before->updated_at : before->created_at, b));
	}
	if (diff(ctx, before, r, action, 0, &changed, err) < 0)
		return -1;
	r->updated_at = ctx->now;
	if ((q = update_changed(ctx, before, r))) {
		/* bound by update_changed */
	} else {
		q = inc_sql(ctx->db, sql_update);
		i = bind_fields(q, r, 1);
		inc_sql_int(q, i, r->id);
	}
	if (inc_sql_run(q, err) < 0)
		return -1;
	loads_note(ctx, before, r);
	return 0;
}

int
inc_record_audit(struct inc_ctx *ctx, const struct inc_incident *before,
		 const struct inc_incident *r, const char *action, unsigned only, char *err)
{
	int changed = 0;

	return diff(ctx, before, r, action, only, &changed, err);
}

int
inc_audit_flush(struct inc_ctx *ctx, char *err)
{
	struct audit_row rows[AUDIT_MAX];
	size_t done = 0;
	int rc = 0;

	while (rc == 0 && done < ctx->npau) {
		size_t k = ctx->npau - done < AUDIT_MAX ? ctx->npau - done : AUDIT_MAX;

		for (size_t i = 0; i < k; i++) {
			const struct inc_pending_audit *a = &ctx->pau[done + i];
			const struct inc_buf *t = &ctx->pau_text;

			rows[i] = (struct audit_row){a->incident, a->task, a->at,
						     inc_text_at(t, a->action),
						     inc_text_at(t, a->field),
						     inc_text_at(t, a->old),
						     inc_text_at(t, a->new_)};
		}
		rc = audit_write(ctx, rows, k, err);
		done += k;
	}
	inc_audit_drop(ctx, 0);
	return rc;
}

void
inc_audit_drop(struct inc_ctx *ctx, size_t from)
{
	if (from < ctx->npau) {
		/* the texts of row `from` on begin with its action */
		ctx->pau_text.len = ctx->pau[from].action;
		ctx->npau = from;
	}
}

int
inc_audit(struct inc_ctx *ctx, int64_t incident, int64_t task, const char *action,
	  const char *field, const char *old, const char *new_, char *err)
{
	struct inc_sql *q;

	if (ctx->defer_rows) {
		struct inc_pending_audit *a;

		if (ctx->npau == ctx->cappau) {
			ctx->cappau = ctx->cappau ? 2 * ctx->cappau : 256;
			ctx->pau = inc_xrealloc(ctx->pau, ctx->cappau * sizeof *ctx->pau);
		}
		a = &ctx->pau[ctx->npau++];
		a->incident = incident;
		a->task = task;
		a->at = ctx->now;
		a->action = inc_text_put(&ctx->pau_text, action ? action : "");
		a->field = inc_text_put(&ctx->pau_text, field);
		a->old = inc_text_put(&ctx->pau_text, old);
		a->new_ = inc_text_put(&ctx->pau_text, new_);
		return 0;
	}
	q = inc_sql(ctx->db, sql_audit);

	inc_sql_int(q, 1, incident);
	inc_sql_int(q, 2, task);
	inc_sql_int(q, 3, ctx->now);
	inc_sql_text(q, 4, ctx->actor);
	inc_sql_text(q, 5, inc_progname());
	inc_sql_text(q, 6, action);
	inc_sql_text(q, 7, field);
	inc_sql_text(q, 8, old);
	inc_sql_text(q, 9, new_);
	inc_sql_text(q, 10, inc_ctx_via(ctx));
	return inc_sql_run(q, err);
}

/* ---- the audit trail read back ---- */

int
inc_audit_read(struct inc_ctx *ctx, int64_t incident, struct inc_audit_row **rows, size_t *n,
	       char *err)
{
	struct inc_sql *q = inc_sql(ctx->db,
		"SELECT at, task, actor, tool, action, field, old, new, via FROM audit"
		" WHERE incident=? ORDER BY seq");
	size_t cap = 0;
	int rc;

	*rows = NULL;
	*n = 0;
	inc_sql_int(q, 1, incident);
	while ((rc = inc_sql_step(q)) > 0) {
		struct inc_audit_row *a;

		if (*n == cap) {
			cap = cap ? 2 * cap : 32;
			*rows = inc_xrealloc(*rows, cap * sizeof **rows);
		}
		a = &(*rows)[(*n)++];
		a->at = inc_sql_col_int(q, 0);
		a->task = inc_sql_col_int(q, 1);
		a->actor = inc_sql_col_dup(q, 2);
		a->tool = inc_sql_col_dup(q, 3);
		a->action = inc_sql_col_dup(q, 4);
		a->field = inc_sql_col_dup(q, 5);
		a->old = inc_sql_col_dup(q, 6);
		a->new_ = inc_sql_col_dup(q, 7);
		a->via = inc_sql_col_dup(q, 8);
	}
	inc_sql_reset(q);
	if (rc < 0) {
		inc_audit_free(*rows, *n);
		*rows = NULL;
		*n = 0;
		return inc_db_err(ctx->db, err);
	}
	return 0;
}

void
inc_audit_free(struct inc_audit_row *rows, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(rows[i].actor);
		free(rows[i].tool);
		free(rows[i].action);
		free(rows[i].field);
		free(rows[i].old);
		free(rows[i].new_);
		free(rows[i].via);
	}
	free(rows);
}

static json_t *
str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

json_t *
inc_history(struct inc_ctx *ctx, int64_t incident, char *err)
{
	struct inc_audit_row *rows;
	size_t n;
	json_t *a;

	if (inc_audit_read(ctx, incident, &rows, &n, err) < 0)
		return NULL;
	a = json_array();
	for (size_t i = 0; i < n; i++) {
		char tb[INC_TIMELEN];
		json_t *o = json_object();

		json_object_set_new(o, "at", json_string(inc_time_format(rows[i].at, tb)));
		json_object_set_new(o, "actor", str_or_null(rows[i].actor));
		if (rows[i].via)
			json_object_set_new(o, "via", json_string(rows[i].via));
		json_object_set_new(o, "tool", str_or_null(rows[i].tool));
		json_object_set_new(o, "action", str_or_null(rows[i].action));
		json_object_set_new(o, "field", str_or_null(rows[i].field));
		json_object_set_new(o, "from", str_or_null(rows[i].old));
		json_object_set_new(o, "to", str_or_null(rows[i].new_));
		if (rows[i].task != INC_NULL)
			json_object_set_new(o, "task", json_integer(rows[i].task));
		json_array_append_new(a, o);
	}
	inc_audit_free(rows, n);
	return a;
}
