/*
 * show.c - selecting incidents as inc-show does: the filters as one query
 * made of fixed fragments with every value bound, in the order asked for
 * (--sort, ties by id); then in C what SQL cannot say (the rule expression
 * of --grep over subject, description and notes), who may see what, and
 * the limit. And the columns of its table and CSV.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "inc.h"

/* ---- --sort ---- */

/* A field --sort takes: id, and every field of the record with a column
 * of its own but the JSON ones (links, custom). */
static int
sortable(const struct inc_field *f)
{
	return f->json[0] && f->type != INC_FT_JARR && f->type != INC_FT_JOBJ;
}

const char *
inc_sort_fields(char *buf, size_t len)
{
	struct inc_buf b = {0};
	size_t n = 1, k = 1;

	for (size_t i = 0; i < inc_nfields; i++)
		n += sortable(&inc_fields[i]);
	inc_buf_addstr(&b, "id");
	for (size_t i = 0; i < inc_nfields; i++)
		if (sortable(&inc_fields[i]))
			inc_buf_printf(&b, "%s%s", ++k == n ? " or " : ", ", inc_fields[i].name);
	snprintf(buf, len, "%s", b.data);
	inc_buf_free(&b);
	return buf;
}

int
inc_sort_parse(const char *list, struct inc_filter *f, char *err)
{
	char *copy = inc_xstrdup(list), *save = NULL;
	int rc = 0;

	f->nsort = 0;
	for (char *s = strtok_r(copy, ",", &save); s && rc == 0; s = strtok_r(NULL, ",", &save)) {
		int desc = *s == '-';
		const char *name = s + desc;
		const struct inc_field *fl = inc_field_find(name);
		char want[1024];

		if (strcmp(name, "id") != 0 && (!fl || !sortable(fl))) {
			rc = inc_err(err, "unknown field \"%s\" (want %s; -FIELD for descending)",
				     name, inc_sort_fields(want, sizeof want));
			break;
		}
		for (int i = 0; i < f->nsort; i++)
			if (f->sort[i].field == fl)
				rc = inc_err(err, "\"%s\" given twice", name);
		if (rc == 0 && f->nsort == INC_SORT_MAX)
			rc = inc_err(err, "at most %d fields", INC_SORT_MAX);
		if (rc == 0)
			f->sort[f->nsort++] = (struct inc_sort){fl, desc};
	}
	if (rc == 0 && f->nsort == 0)
		rc = inc_err(err, "no field given");
	free(copy);
	return rc;
}

/* ---- the query ---- */

struct query {
	struct inc_buf sql;
	json_t *vals;		/* bound in order; owns the bound text */
};

static void
cond(struct query *q, const char *text, json_t *val)
{
	inc_buf_addstr(&q->sql, text);
	json_array_append_new(q->vals, val);
}

/* ", ?, ?, ?" for each member of a list */
static void
in_list(struct query *q, const char *what, const json_t *list)
{
	size_t i;
	json_t *v;

	inc_buf_printf(&q->sql, " AND %s IN (", what);
	json_array_foreach(list, i, v)
		cond(q, i ? ",?" : "?", json_incref(v));
	inc_buf_addstr(&q->sql, ")");
}

/* A sort key: levels in the configured order (most severe first, as the
 * config lists them), statuses in life-cycle order, the rest by value. */
static void
sort_key(struct query *q, const struct inc_config *cfg, const struct inc_sort *k)
{
	const json_t *order = NULL;
	json_t *names = NULL;
	size_t i;
	json_t *v;

	if (!k->field) {
		inc_buf_addstr(&q->sql, "id");
	} else {
		if (strcmp(k->field->name, "impact") == 0)
			order = cfg->impact;
		else if (strcmp(k->field->name, "urgency") == 0)
			order = cfg->urgency;
		else if (strcmp(k->field->name, "priority") == 0)
			order = cfg->priority;
		else if (k->field->type == INC_FT_STATUS) {
			order = names = json_array();
			for (int s = 0; s < INC_NSTATUS; s++)
				json_array_append_new(names, json_string(inc_status_name(s)));
		}
		if (order) {
			/* a value the config no longer lists sorts with the empty */
			inc_buf_printf(&q->sql, "CASE %s", k->field->column);
			json_array_foreach(order, i, v) {
				cond(q, " WHEN ? THEN ", json_incref(v));
				inc_buf_printf(&q->sql, "%zu", i);
			}
			inc_buf_addstr(&q->sql, " END");
		} else {
			inc_buf_addstr(&q->sql, k->field->column);
		}
		json_decref(names);
	}
	inc_buf_addstr(&q->sql, k->desc ? " DESC NULLS LAST, " : " ASC NULLS LAST, ");
}

static struct inc_sql *
prepare(struct inc_ctx *ctx, const struct inc_filter *f, struct query *q)
{
	struct inc_sql *s;
	size_t i;
	json_t *v;

	q->vals = json_array();
	inc_buf_addstr(&q->sql, "SELECT id FROM incident WHERE 1=1");
	if (f->ids) {
		inc_buf_addstr(&q->sql, " AND id IN (");
		json_array_foreach(f->ids, i, v)
			cond(q, i ? ",?" : "?", json_incref(v));
		inc_buf_addstr(&q->sql, ")");
	}
	if (f->statuses)
		in_list(q, "status", f->statuses);
	if (f->open)
		inc_buf_addstr(&q->sql, " AND " INC_SQL_OPEN);
	if (f->priority)
		cond(q, " AND priority = ?", json_string(f->priority));
	if (f->group)
		cond(q, " AND grp = ?", json_string(f->group));
	if (f->assignee)
		cond(q, " AND assignee = ?", json_string(f->assignee));
	if (f->category)
		cond(q, " AND category = ?", json_string(f->category));
	/* requesters are named by hand and by mail clients alike: JOE@Example.com
	 * is joe@example.com, as access (owns) has it */
	if (f->requester)
		cond(q, " AND lower(requester) = lower(?)", json_string(f->requester));
	if (f->major)
		inc_buf_addstr(&q->sql, " AND major = 1");
	if (f->breached)
		inc_buf_addstr(&q->sql, " AND sla_state = 'breached'");
	if (f->since != INC_NULL)
		cond(q, " AND created_at >= ?", json_integer(f->since));
	if (f->until != INC_NULL)
		cond(q, " AND created_at < ?", json_integer(f->until));
	/* no LIMIT here: it counts the incidents the actor may see */
	inc_buf_addstr(&q->sql, " ORDER BY ");
	for (int k = 0; k < f->nsort; k++)
		sort_key(q, ctx->cfg, &f->sort[k]);
	inc_buf_addstr(&q->sql, "id");
	s = inc_sql_new(ctx->db, q->sql.data);
	json_array_foreach(q->vals, i, v) {
		if (json_is_integer(v))
			inc_sql_int(s, (int)i + 1, json_integer_value(v));
		else
			inc_sql_text(s, (int)i + 1, json_string_value(v));
	}
	return s;
}

/* --grep: the subject, the description, or one of the notes. */
static int
grep(struct inc_ctx *ctx, const struct inc_rule_re *re, const struct inc_incident *r,
     char *err)
{
	struct inc_sql *q;
	int rc;

	if (inc_rule_re_match(re, r->subject) > 0 || inc_rule_re_match(re, r->description) > 0)
		return 1;
	q = inc_sql(ctx->db, "SELECT new FROM audit WHERE incident = ? AND action = 'note'"
		    " ORDER BY seq");
	inc_sql_int(q, 1, r->id);
	while ((rc = inc_sql_step(q)) > 0)
		if (inc_rule_re_match(re, inc_sql_col_text(q, 0)) > 0)
			break;
	inc_sql_reset(q);
	if (rc < 0)
		return inc_db_err(ctx->db, err);
	return rc;
}

int
inc_show(struct inc_ctx *ctx, const struct inc_filter *f, inc_show_fn fn, void *arg,
	 char *err)
{
	struct query qu = {{0}, NULL};
	struct inc_sql *q = prepare(ctx, f, &qu);
	struct inc_incident r;
	json_t *seen = json_object();
	int64_t shown = 0;
	int rc;

	err[0] = '\0';
	inc_incident_init(&r);
	while ((rc = (f->limit != INC_NULL && shown >= f->limit) ? 0 : inc_sql_step(q)) > 0) {
		int64_t id = inc_sql_col_int(q, 0);
		char key[32];

		if (f->ids) {
			snprintf(key, sizeof key, "%lld", (long long)id);
			json_object_set_new(seen, key, json_true());
		}
		if ((rc = inc_incident_load(ctx, id, &r, err)) < 0)
			break;
		if (rc == 0)
			continue;	/* gone since the query read it */
		if (!inc_may(ctx->cfg, ctx->actor, INC_ACT_SEE, r.requester)) {
			if (f->ids)
				fn(ctx, id, NULL, "not yours to see", arg);
			continue;
		}
		if (f->grep && (rc = grep(ctx, f->grep, &r, err)) <= 0) {
			if (rc < 0)
				break;
			continue;
		}
		shown++;
		fn(ctx, id, &r, NULL, arg);
	}
	if (rc < 0 && !err[0])
		inc_db_err(ctx->db, err);
	inc_sql_free(q);
	if (rc >= 0 && f->ids) {
		size_t i;
		json_t *v;

		/* an id the filters or --limit left out exists all the same */
		json_array_foreach(f->ids, i, v) {
			char key[32];
			int64_t id = json_integer_value(v);

			snprintf(key, sizeof key, "%lld", (long long)id);
			if (json_object_get(seen, key))
				continue;
			if ((rc = inc_incident_load(ctx, id, &r, err)) < 0)
				break;
			if (rc == 0)
				fn(ctx, id, NULL, "no such incident", arg);
		}
	}
	inc_incident_clear(&r);
	json_decref(seen);
	json_decref(qu.vals);
	inc_buf_free(&qu.sql);
	return rc < 0 ? -1 : 0;
}

/* ---- the columns of the table and of CSV ---- */

const char *const inc_show_head[INC_SHOW_NCOLS] = {"ID", "PRIORITY", "STATUS", "GROUP",
	"ASSIGNEE", "SLA", "AGE", "REQUESTER", "SUBJECT"};
const char *const inc_show_sv_head[INC_SHOW_NCOLS] = {"id", "priority", "status", "group",
	"assignee", "sla_state", "age_s", "requester", "subject"};
/* Cut no further: an id, a status, a state and an age are whole or
 * useless; names and the subject give way. */
const size_t inc_show_min[INC_SHOW_NCOLS] = {20, 8, 11, 8, 8, 8, 8, 10, 10};

static char *
dup(const char *s)
{
	return s ? inc_xstrdup(s) : NULL;
}

void
inc_show_cells(const struct inc_ctx *ctx, const struct inc_incident *r, int human,
	       char *cells[INC_SHOW_NCOLS])
{
	char buf[INC_TIMELEN];

	snprintf(buf, sizeof buf, "%lld", (long long)r->id);
	cells[0] = dup(buf);
	cells[1] = dup(r->priority);
	cells[2] = dup(inc_status_name(r->status));
	cells[3] = dup(r->group);
	cells[4] = dup(r->assignee);
	cells[5] = dup(r->sla_state);
	if (human)
		inc_duration_human(ctx->now - r->created_at, buf);
	else
		snprintf(buf, sizeof buf, "%lld", (long long)(ctx->now - r->created_at));
	cells[6] = dup(buf);
	cells[7] = dup(r->requester);
	cells[8] = dup(r->subject);
}
