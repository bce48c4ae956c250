/*
 * record.c - the incident record: one table of fields drives loading from
 * the database, storing back with one audit row per changed field, and the
 * JSON record of SPEC section 1.
 *
 * The JSON is written by hand rather than built as a json_t tree: bulk
 * loads write a million records, and building then dumping a 40-field tree
 * per record costs more than the insert itself. The output matches
 * Jansson's compact form byte for byte (same escapes).
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "inc.h"

enum ftype { FT_STR, FT_INT, FT_BOOL, FT_TIME, FT_JSON };
#define AUD 1	/* changes are audited */

/* member, column, type, flags: in the schema's column order */
#define INC_FIELDS(X) \
	X(subject, "subject", FT_STR, AUD) \
	X(description, "description", FT_STR, AUD) \
	X(requester, "requester", FT_STR, AUD) \
	X(source, "source", FT_STR, AUD) \
	X(category, "category", FT_STR, AUD) \
	X(subcategory, "subcategory", FT_STR, AUD) \
	X(impact, "impact", FT_STR, AUD) \
	X(urgency, "urgency", FT_STR, AUD) \
	X(priority, "priority", FT_STR, AUD) \
	X(status, "status", FT_STR, AUD) \
	X(group, "grp", FT_STR, AUD) \
	X(assignee, "assignee", FT_STR, AUD) \
	X(major, "major", FT_BOOL, AUD) \
	X(explicit_, "explicit", FT_INT, 0) \
	X(sla_policy, "sla_policy", FT_STR, AUD) \
	X(response_due, "response_due", FT_TIME, AUD) \
	X(resolve_due, "resolve_due", FT_TIME, AUD) \
	X(responded_at, "responded_at", FT_TIME, AUD) \
	X(response_met, "response_met", FT_BOOL, AUD) \
	X(resolve_met, "resolve_met", FT_BOOL, AUD) \
	X(paused_s, "paused_s", FT_INT, 0) \
	X(sla_state, "sla_state", FT_STR, AUD) \
	X(sla_response_state, "sla_response_state", FT_STR, 0) \
	X(sla_resolve_state, "sla_resolve_state", FT_STR, 0) \
	X(hold_since, "hold_since", FT_TIME, 0) \
	X(sla_next_check, "sla_next_check", FT_TIME, 0) \
	X(sla_checked_at, "sla_checked_at", FT_TIME, 0) \
	X(escalation_level, "escalation_level", FT_INT, AUD) \
	X(reassignment_count, "reassignment_count", FT_INT, 0) \
	X(reopen_count, "reopen_count", FT_INT, AUD) \
	X(resolution, "resolution", FT_STR, AUD) \
	X(resolution_type, "resolution_type", FT_STR, AUD) \
	X(closure_code, "closure_code", FT_STR, AUD) \
	X(rating, "rating", FT_INT, AUD) \
	X(feedback, "feedback", FT_STR, AUD) \
	X(links, "links", FT_JSON, AUD) \
	X(external_id, "external_id", FT_STR, AUD) \
	X(custom, "custom", FT_JSON, AUD) \
	X(created_at, "created_at", FT_TIME, 0) \
	X(updated_at, "updated_at", FT_TIME, 0) \
	X(resolved_at, "resolved_at", FT_TIME, AUD) \
	X(closed_at, "closed_at", FT_TIME, AUD) \
	X(first_assignee, "first_assignee", FT_STR, 0) \
	X(first_group, "first_group", FT_STR, 0) \
	X(escalated, "escalated", FT_INT, 0) \
	X(ever_resolved, "ever_resolved", FT_INT, 0)

#define COLS_C(m, col, t, f) "," col
#define QMARK(m, col, t, f) ",?"
#define SETC(m, col, t, f) col "=?,"

static const char sql_select[] =
	"SELECT id" INC_FIELDS(COLS_C) " FROM incident WHERE id=?";
static const char sql_select_xid[] =
	"SELECT id" INC_FIELDS(COLS_C) " FROM incident WHERE external_id=?";
static const char sql_insert[] =
	"INSERT INTO incident(id" INC_FIELDS(COLS_C) ") VALUES(?" INC_FIELDS(QMARK) ")";
static const char sql_update[] =
	"UPDATE incident SET " INC_FIELDS(SETC) "id=id WHERE id=?";
static const char sql_audit[] =
	"INSERT INTO audit(incident, task, at, actor, tool, action, field, old, new)"
	" VALUES(?,?,?,?,?,?,?,?,?)";

/* Per-field operations, by type: strings (and JSON text) or integers. */
#define INIT(m, col, t, f) INIT_##t(m)
#define INIT_FT_STR(m) r->m = NULL;
#define INIT_FT_JSON(m) r->m = NULL;
#define INIT_FT_INT(m) r->m = INC_NULL;
#define INIT_FT_BOOL(m) r->m = INC_NULL;
#define INIT_FT_TIME(m) r->m = INC_NULL;

#define FREE(m, col, t, f) FREE_##t(m)
#define FREE_FT_STR(m) free(r->m);
#define FREE_FT_JSON(m) free(r->m);
#define FREE_FT_INT(m)
#define FREE_FT_BOOL(m)
#define FREE_FT_TIME(m)

#define DUP(m, col, t, f) DUP_##t(m)
#define DUP_FT_STR(m) d->m = inc_xstrdup(s->m);
#define DUP_FT_JSON(m) d->m = inc_xstrdup(s->m);
#define DUP_FT_INT(m)
#define DUP_FT_BOOL(m)
#define DUP_FT_TIME(m)

#define LOAD(m, col, t, f) LOAD_##t(m) i++;
#define LOAD_S(m) { const unsigned char *s_ = sqlite3_column_text(st, i); \
	r->m = s_ ? inc_xstrdup((const char *)s_) : NULL; }
#define LOAD_I(m) r->m = sqlite3_column_type(st, i) == SQLITE_NULL ? INC_NULL : \
	sqlite3_column_int64(st, i);
#define LOAD_FT_STR LOAD_S
#define LOAD_FT_JSON LOAD_S
#define LOAD_FT_INT LOAD_I
#define LOAD_FT_BOOL LOAD_I
#define LOAD_FT_TIME LOAD_I

#define BIND(m, col, t, f) if (rc == SQLITE_OK) { BIND_##t(m) i++; }
/* NULL needs no binding: every use of these statements ends with
 * sqlite3_clear_bindings(), and most of a new incident's 46 fields are null */
#define BIND_S(m) if (r->m) rc = sqlite3_bind_text(st, i, r->m, -1, SQLITE_STATIC);
#define BIND_I(m) if (r->m != INC_NULL) rc = sqlite3_bind_int64(st, i, r->m);
#define BIND_FT_STR BIND_S
#define BIND_FT_JSON BIND_S
#define BIND_FT_INT BIND_I
#define BIND_FT_BOOL BIND_I
#define BIND_FT_TIME BIND_I

/* one audit row per changed field (AUD); any change at all sets `changed` */
#define DIFF(m, col, t, f) DIFF_##t(m, col, t, f)
#define DIFF_S(m, col, t, f) if (!inc_streq(before->m, r->m)) { changed = 1; \
	if ((f & AUD) && inc_audit(ctx, r->id, INC_NULL, action, FIELDNAME(col), \
				   before->m, r->m, err) < 0) return -1; }
#define DIFF_I(m, col, t, f) if (before->m != r->m) { changed = 1; \
	char ob_[INC_TIMELEN], nb_[INC_TIMELEN]; \
	if ((f & AUD) && inc_audit(ctx, r->id, INC_NULL, action, FIELDNAME(col), \
		int_text(t, before->m, ob_), int_text(t, r->m, nb_), err) < 0) return -1; }
#define DIFF_FT_STR DIFF_S
#define DIFF_FT_JSON DIFF_S
#define DIFF_FT_INT DIFF_I
#define DIFF_FT_BOOL DIFF_I
#define DIFF_FT_TIME DIFF_I
#define FIELDNAME(col) (strcmp(col, "grp") == 0 ? "group" : col)

void
inc_incident_init(struct inc_incident *r)
{
	memset(r, 0, sizeof *r);
	r->id = INC_NULL;
	INC_FIELDS(INIT)
	r->major = 0;
	r->explicit_ = 0;
	r->escalation_level = r->reassignment_count = r->reopen_count = 0;
	r->escalated = r->ever_resolved = 0;
}

void
inc_incident_clear(struct inc_incident *r)
{
	INC_FIELDS(FREE)
	inc_incident_init(r);
}

void
inc_incident_copy(struct inc_incident *d, const struct inc_incident *s)
{
	*d = *s;
	INC_FIELDS(DUP)
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
put_str(struct inc_buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";	/* as Jansson writes them */
	const char *run = s;

	if (!s) {
		inc_buf_add(b, "null", 4);
		return;
	}
	inc_buf_add(b, "\"", 1);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		char esc[7];
		size_t n = 2;

		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		inc_buf_add(b, run, (size_t)(s - run));
		esc[0] = '\\';
		switch (c) {
		case '"': esc[1] = '"'; break;
		case '\\': esc[1] = '\\'; break;
		case '\b': esc[1] = 'b'; break;
		case '\f': esc[1] = 'f'; break;
		case '\n': esc[1] = 'n'; break;
		case '\r': esc[1] = 'r'; break;
		case '\t': esc[1] = 't'; break;
		default:
			memcpy(esc + 1, "u00", 3);
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 15];
			n = 6;
		}
		inc_buf_add(b, esc, n);
		run = s + 1;
	}
	inc_buf_add(b, run, (size_t)(s - run));
	inc_buf_add(b, "\"", 1);
}

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

/* Decimal by hand: printf showed in the profile of a bulk load. */
static void
put_dec(struct inc_buf *b, int64_t v)
{
	char d[24], *p = d + sizeof d;
	uint64_t u = v < 0 ? -(uint64_t)v : (uint64_t)v;

	do
		*--p = (char)('0' + u % 10);
	while (u /= 10);
	if (v < 0)
		*--p = '-';
	inc_buf_add(b, p, (size_t)(d + sizeof d - p));
}

static void
put_int(struct inc_buf *b, int64_t v)
{
	if (v == INC_NULL)
		inc_buf_add(b, "null", 4);
	else
		put_dec(b, v);
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

#define KEY(b, k) inc_buf_add(b, "," "\"" k "\":", sizeof("," "\"" k "\":") - 1)

/* The record of SPEC section 1, compact, without the closing brace so an
 * event can follow. */
static void
write_record(struct inc_buf *b, const struct inc_incident *r)
{
	inc_buf_add(b, "{\"id\":", 6);
	put_dec(b, r->id);
	inc_buf_add(b, ",\"ref\":\"INC-", 12);
	put_dec(b, r->id);
	inc_buf_add(b, "\"", 1);
	KEY(b, "subject"); put_str(b, r->subject);
	KEY(b, "description"); put_str(b, r->description);
	KEY(b, "requester"); put_str(b, r->requester);
	KEY(b, "source"); put_str(b, r->source);
	KEY(b, "category"); put_str(b, r->category);
	KEY(b, "subcategory"); put_str(b, r->subcategory);
	KEY(b, "impact"); put_str(b, r->impact);
	KEY(b, "urgency"); put_str(b, r->urgency);
	KEY(b, "priority"); put_str(b, r->priority);
	KEY(b, "status"); put_str(b, r->status);
	KEY(b, "group"); put_str(b, r->group);
	KEY(b, "assignee"); put_str(b, r->assignee);
	KEY(b, "major"); put_bool(b, r->major ? 1 : 0);
	KEY(b, "sla");
	if (!r->sla_policy) {
		inc_buf_add(b, "null", 4);
	} else {
		inc_buf_addstr(b, "{\"policy\":"); put_str(b, r->sla_policy);
		KEY(b, "response_due"); put_time(b, r->response_due);
		KEY(b, "resolve_due"); put_time(b, r->resolve_due);
		KEY(b, "responded_at"); put_time(b, r->responded_at);
		KEY(b, "response_met"); put_bool(b, r->response_met);
		KEY(b, "resolve_met"); put_bool(b, r->resolve_met);
		KEY(b, "paused_s"); put_int(b, r->paused_s == INC_NULL ? 0 : r->paused_s);
		KEY(b, "state"); put_str(b, r->sla_state);
		inc_buf_add(b, "}", 1);
	}
	KEY(b, "escalation_level"); put_int(b, r->escalation_level);
	KEY(b, "reassignment_count"); put_int(b, r->reassignment_count);
	KEY(b, "reopen_count"); put_int(b, r->reopen_count);
	KEY(b, "resolution"); put_str(b, r->resolution);
	KEY(b, "resolution_type"); put_str(b, r->resolution_type);
	KEY(b, "closure_code"); put_str(b, r->closure_code);
	KEY(b, "rating"); put_int(b, r->rating);
	KEY(b, "feedback"); put_str(b, r->feedback);
	KEY(b, "links"); inc_buf_addstr(b, r->links ? r->links : "[]");
	KEY(b, "external_id"); put_str(b, r->external_id);
	KEY(b, "custom"); inc_buf_addstr(b, r->custom ? r->custom : "{}");
	KEY(b, "created_at"); put_time(b, r->created_at);
	KEY(b, "updated_at"); put_time(b, r->updated_at);
	KEY(b, "resolved_at"); put_time(b, r->resolved_at);
	KEY(b, "closed_at"); put_time(b, r->closed_at);
}

/* A value as Jansson's compact dump writes it, minus its allocations: an
 * event goes out with every record. Reals and strings holding a NUL are
 * left to Jansson. */
static void
put_json(struct inc_buf *b, const json_t *v)
{
	const char *k;
	json_t *e;
	size_t i;
	char *s;

	switch (json_typeof(v)) {
	case JSON_OBJECT:
		i = 0;
		inc_buf_add(b, "{", 1);
		json_object_foreach((json_t *)v, k, e) {
			if (i++)
				inc_buf_add(b, ",", 1);
			put_str(b, k);
			inc_buf_add(b, ":", 1);
			put_json(b, e);
		}
		inc_buf_add(b, "}", 1);
		return;
	case JSON_ARRAY:
		inc_buf_add(b, "[", 1);
		json_array_foreach(v, i, e) {
			if (i)
				inc_buf_add(b, ",", 1);
			put_json(b, e);
		}
		inc_buf_add(b, "]", 1);
		return;
	case JSON_STRING:
		if (strlen(json_string_value(v)) == json_string_length(v)) {
			put_str(b, json_string_value(v));
			return;
		}
		break;
	case JSON_INTEGER:
		put_dec(b, json_integer_value(v));
		return;
	case JSON_TRUE:
		inc_buf_add(b, "true", 4);
		return;
	case JSON_FALSE:
		inc_buf_add(b, "false", 5);
		return;
	case JSON_NULL:
		inc_buf_add(b, "null", 4);
		return;
	case JSON_REAL:
		break;
	}
	s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
	inc_buf_addstr(b, s ? s : "null");
	free(s);
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
			put_str(b, k);
			inc_buf_add(b, ":", 1);
			put_json(b, v);
		}
	}
	if (event) {
		inc_buf_addstr(b, ",\"event\":");
		put_json(b, event);
	}
	inc_buf_add(b, "}", 1);
}

json_t *
inc_incident_json(const struct inc_incident *r)
{
	struct inc_buf b = {0};
	json_t *j;

	inc_incident_write(&b, r, NULL, NULL);
	j = json_loadb(b.data, b.len, 0, NULL);
	inc_buf_free(&b);
	return j;
}

/* ---- database ---- */

static void
from_row(sqlite3_stmt *st, struct inc_incident *r)
{
	int i = 1;

	inc_incident_clear(r);
	r->id = sqlite3_column_int64(st, 0);
	INC_FIELDS(LOAD)
}

static int
bind_fields(sqlite3_stmt *st, const struct inc_incident *r, int first)
{
	int i = first, rc = SQLITE_OK;

	INC_FIELDS(BIND)
	return rc == SQLITE_OK ? i : -1;
}

static int
load_by(struct inc_ctx *ctx, const char *sql, int64_t id, const char *xid,
	struct inc_incident *r, char *err)
{
	sqlite3_stmt *st = inc_stmt(ctx, sql);
	int rc;

	if (xid)
		sqlite3_bind_text(st, 1, xid, -1, SQLITE_STATIC);
	else
		sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		from_row(st, r);
		sqlite3_reset(st);
		return 1;
	}
	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		return 0;
	return inc_err(err, "%s", sqlite3_errmsg(ctx->db));
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

int
inc_incident_insert(struct inc_ctx *ctx, struct inc_incident *r, char *err)
{
	sqlite3_stmt *st = inc_stmt(ctx, sql_insert);
	int rc;

	if (r->created_at == INC_NULL)
		r->created_at = ctx->now;
	r->updated_at = ctx->now;
	if (!r->status)
		inc_set_str(&r->status, "new");
	if (!r->links)
		inc_set_str(&r->links, "[]");
	if (!r->custom)
		inc_set_str(&r->custom, "{}");
	sqlite3_bind_null(st, 1);
	if (bind_fields(st, r, 2) < 0)
		return inc_err(err, "%s", sqlite3_errmsg(ctx->db));
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (rc != SQLITE_DONE)
		return inc_err(err, "%s", sqlite3_errmsg(ctx->db));
	r->id = sqlite3_last_insert_rowid(ctx->db);
	return inc_audit(ctx, r->id, INC_NULL, "logged", NULL, NULL, r->subject, err);
}

static const char *
int_text(int t, int64_t v, char *buf)
{
	if (v == INC_NULL)
		return NULL;
	if (t == FT_TIME)
		return inc_time_format(v, buf);
	if (t == FT_BOOL)
		return v ? "true" : "false";
	snprintf(buf, INC_TIMELEN, "%lld", (long long)v);
	return buf;
}

int
inc_incident_store(struct inc_ctx *ctx, const struct inc_incident *before,
		   struct inc_incident *r, const char *action, char *err)
{
	sqlite3_stmt *st;
	int i, rc, changed = 0;

	/* the clocks follow every change: one place for every tool */
	if (inc_sla_update(ctx, r, err) < 0)
		return -1;
	INC_FIELDS(DIFF)
	if (!changed)
		return 0;
	r->updated_at = ctx->now;
	st = inc_stmt(ctx, sql_update);
	i = bind_fields(st, r, 1);
	if (i < 0)
		return inc_err(err, "%s", sqlite3_errmsg(ctx->db));
	sqlite3_bind_int64(st, i, r->id);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (rc != SQLITE_DONE)
		return inc_err(err, "%s", sqlite3_errmsg(ctx->db));
	return 0;
}

int
inc_audit(struct inc_ctx *ctx, int64_t incident, int64_t task, const char *action,
	  const char *field, const char *old, const char *new_, char *err)
{
	sqlite3_stmt *st = inc_stmt(ctx, sql_audit);
	int rc;

	sqlite3_bind_int64(st, 1, incident);
	if (task == INC_NULL)
		sqlite3_bind_null(st, 2);
	else
		sqlite3_bind_int64(st, 2, task);
	sqlite3_bind_int64(st, 3, ctx->now);
	sqlite3_bind_text(st, 4, ctx->actor, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, inc_progname(), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, action, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, field, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 8, old, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 9, new_, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (rc != SQLITE_DONE)
		return inc_err(err, "%s", sqlite3_errmsg(ctx->db));
	return 0;
}

json_t *
inc_history(struct inc_ctx *ctx, int64_t incident, char *err)
{
	sqlite3_stmt *st = inc_stmt(ctx,
		"SELECT at, actor, tool, action, field, old, new, task FROM audit"
		" WHERE incident=? ORDER BY seq");
	json_t *a = json_array();
	int rc;

	sqlite3_bind_int64(st, 1, incident);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		char tb[INC_TIMELEN];
		json_t *o = json_object();

		json_object_set_new(o, "at", json_string(inc_time_format(
			sqlite3_column_int64(st, 0), tb)));
		for (int c = 1; c <= 6; c++) {
			static const char *const names[] = {NULL, "actor", "tool", "action",
				"field", "from", "to"};
			const unsigned char *s = sqlite3_column_text(st, c);

			json_object_set_new(o, names[c], s ? json_string((const char *)s) :
							       json_null());
		}
		if (sqlite3_column_type(st, 7) != SQLITE_NULL)
			json_object_set_new(o, "task", json_integer(sqlite3_column_int64(st, 7)));
		json_array_append_new(a, o);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		json_decref(a);
		inc_err(err, "%s", sqlite3_errmsg(ctx->db));
		return NULL;
	}
	return a;
}
