/*
 * task.c - tasks of an incident: pieces of work split off for several
 * teams. A task has its own id and life (open, in_progress, done,
 * cancelled); every change is written to the incident's audit trail with
 * the task's id, and open tasks hold back the incident's resolution.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "inc.h"

static const char sql_task_select[] =
	"SELECT id, incident, title, grp, assignee, status, due, created_at, done_at"
	" FROM task WHERE id=?";
/* tasks of one incident (?1) or of all, with the incident's requester
 * for the access check */
static const char sql_task_list[] =
	"SELECT t.id, t.incident, t.title, t.grp, t.assignee, t.status, t.due,"
	" t.created_at, t.done_at, i.requester FROM task t JOIN incident i"
	" ON i.id = t.incident WHERE CAST(?1 AS BIGINT) IS NULL OR t.incident = ?1 ORDER BY t.id";

void
inc_task_init(struct inc_task *t)
{
	memset(t, 0, sizeof *t);
	t->id = t->incident = t->due = t->created_at = t->done_at = INC_NULL;
}

void
inc_task_clear(struct inc_task *t)
{
	free(t->title);
	free(t->group);
	free(t->assignee);
	free(t->status);
	inc_task_init(t);
}

int
inc_task_parse_id(const char *s, int64_t *out)
{
	/* digits only: "INC-42" names an incident, never a task */
	if (!isdigit((unsigned char)*s))
		return -1;
	return inc_parse_id(s, out);
}

int
inc_task_is_open(const char *status)
{
	return status && (strcmp(status, "open") == 0 || strcmp(status, "in_progress") == 0);
}

static void
from_row(struct inc_sql *q, struct inc_task *t)
{
	inc_task_clear(t);
	t->id = inc_sql_col_int(q, 0);
	t->incident = inc_sql_col_int(q, 1);
	t->title = inc_sql_col_dup(q, 2);
	t->group = inc_sql_col_dup(q, 3);
	t->assignee = inc_sql_col_dup(q, 4);
	t->status = inc_sql_col_dup(q, 5);
	t->due = inc_sql_col_int(q, 6);
	t->created_at = inc_sql_col_int(q, 7);
	t->done_at = inc_sql_col_int(q, 8);
}

int
inc_task_load(struct inc_ctx *ctx, int64_t id, struct inc_task *t, char *err)
{
	struct inc_sql *q = inc_sql(ctx->db, sql_task_select);
	int rc;

	inc_sql_int(q, 1, id);
	rc = inc_sql_step(q);
	if (rc > 0)
		from_row(q, t);
	inc_sql_reset(q);
	return rc < 0 ? inc_db_err(ctx->db, err) : rc;
}

int
inc_task_list(struct inc_ctx *ctx, int64_t incident, inc_task_fn fn, void *arg, char *err)
{
	struct inc_sql *q;
	struct inc_task t;
	int rc;

	if (incident != INC_NULL) {
		struct inc_incident r;

		inc_incident_init(&r);
		rc = inc_incident_get(ctx, incident, &r, err);
		if (rc == 0 && !inc_may(ctx->cfg, ctx->actor, INC_ACT_SEE, r.requester))
			rc = inc_err(err, "not yours to see");
		inc_incident_clear(&r);
		if (rc < 0)
			return -1;
	}
	q = inc_sql(ctx->db, sql_task_list);
	inc_sql_int(q, 1, incident);
	inc_task_init(&t);
	while ((rc = inc_sql_step(q)) > 0) {
		/* listing everything shows what the actor may see, silently */
		if (!inc_may(ctx->cfg, ctx->actor, INC_ACT_SEE, inc_sql_col_text(q, 9)))
			continue;
		from_row(q, &t);
		fn(ctx, &t, arg);
	}
	inc_sql_reset(q);
	inc_task_clear(&t);
	return rc < 0 ? inc_db_err(ctx->db, err) : 0;
}

int64_t
inc_task_open_count(struct inc_ctx *ctx, int64_t incident, char *err)
{
	struct inc_sql *q = inc_sql(ctx->db,
		"SELECT count(*) FROM task WHERE incident=? AND status IN ('open','in_progress')");
	int64_t n = -1;

	inc_sql_int(q, 1, incident);
	return inc_sql_one_int(q, &n, err) < 0 ? -1 : n;
}

static void
set_time(json_t *o, const char *k, int64_t t)
{
	char tb[INC_TIMELEN];

	json_object_set_new(o, k, t == INC_NULL ? json_null() :
			    json_string(inc_time_format(t, tb)));
}

static json_t *
str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

json_t *
inc_task_json(const struct inc_task *t)
{
	json_t *o = json_object();

	json_object_set_new(o, "id", json_integer(t->id));
	json_object_set_new(o, "incident", json_integer(t->incident));
	json_object_set_new(o, "title", str_or_null(t->title));
	json_object_set_new(o, "group", str_or_null(t->group));
	json_object_set_new(o, "assignee", str_or_null(t->assignee));
	json_object_set_new(o, "status", str_or_null(t->status));
	set_time(o, "due", t->due);
	set_time(o, "created_at", t->created_at);
	set_time(o, "done_at", t->done_at);
	return o;
}

/* The incident a task belongs to, loaded, with the actor's right to work
 * on it checked: tasks are technicians' work (SPEC section 5). */
static int
load_incident(struct inc_ctx *ctx, int64_t id, struct inc_incident *r, char *err)
{
	if (inc_incident_get(ctx, id, r, err) < 0)
		return -1;
	if (!inc_may(ctx->cfg, ctx->actor, INC_ACT_WORK, r->requester))
		return inc_err(err, "%s may not work on tasks (role %s)", ctx->actor,
			       inc_role_name(ctx->role));
	return 0;
}

/* A task change is a change to its incident: updated_at follows. */
static int
touch_incident(struct inc_ctx *ctx, struct inc_incident *r, char *err)
{
	struct inc_incident before;
	int rc;

	inc_incident_copy(&before, r);
	r->updated_at = ctx->now;
	rc = inc_incident_store(ctx, &before, r, "task", err);
	inc_incident_clear(&before);
	return rc;
}

static int
audit(struct inc_ctx *ctx, const struct inc_task *t, const char *field, const char *old,
      const char *new_, char *err)
{
	return inc_audit(ctx, t->incident, t->id, "task", field, old, new_, err);
}

int
inc_task_add(struct inc_ctx *ctx, struct inc_task *t, char *err)
{
	struct inc_sql *q;
	struct inc_incident r;
	char tb[INC_TIMELEN];
	int rc;

	inc_incident_init(&r);
	if (load_incident(ctx, t->incident, &r, err) < 0)
		goto fail;
	if (r.status == INC_CLOSED || r.status == INC_CANCELLED) {
		inc_err(err, "incident is %s: no new tasks", inc_status_name(r.status));
		goto fail;
	}
	inc_set_str(&t->status, "open");
	t->created_at = ctx->now;
	t->done_at = INC_NULL;
	q = inc_sql(ctx->db, "INSERT INTO task(incident, title, grp, assignee, status, due,"
		    " created_at) VALUES(?,?,?,?,?,?,?) RETURNING id");
	inc_sql_int(q, 1, t->incident);
	inc_sql_text(q, 2, t->title);
	inc_sql_text(q, 3, t->group);
	inc_sql_text(q, 4, t->assignee);
	inc_sql_text(q, 5, t->status);
	inc_sql_int(q, 6, t->due);
	inc_sql_int(q, 7, t->created_at);
	if ((rc = inc_sql_one_int(q, &t->id, err)) <= 0) {
		if (rc == 0)
			inc_err(err, "task not inserted");
		goto fail;
	}
	if (audit(ctx, t, "title", NULL, t->title, err) < 0 ||
	    audit(ctx, t, "status", NULL, t->status, err) < 0 ||
	    (t->group && audit(ctx, t, "group", NULL, t->group, err) < 0) ||
	    (t->assignee && audit(ctx, t, "assignee", NULL, t->assignee, err) < 0) ||
	    (t->due != INC_NULL &&
	     audit(ctx, t, "due", NULL, inc_time_format(t->due, tb), err) < 0) ||
	    touch_incident(ctx, &r, err) < 0)
		goto fail;
	inc_incident_clear(&r);
	return 0;
fail:
	inc_incident_clear(&r);
	return -1;
}

static int
task_move_allowed(const char *from, const char *to)
{
	if (strcmp(to, "in_progress") == 0)
		return strcmp(from, "open") == 0;
	if (strcmp(to, "done") == 0 || strcmp(to, "cancelled") == 0)
		return inc_task_is_open(from);
	return 0;
}

int
inc_task_set_status(struct inc_ctx *ctx, struct inc_task *t, const char *to, char *err)
{
	struct inc_incident r;
	char *old_status = NULL, *old_assignee = NULL;
	struct inc_sql *q;

	inc_incident_init(&r);
	if (load_incident(ctx, t->incident, &r, err) < 0)
		goto fail;
	if (strcmp(t->status, to) == 0) {
		inc_err(err, "task is %s already", to);
		goto fail;
	}
	if (!task_move_allowed(t->status, to)) {
		inc_err(err, "cannot move task from %s to %s", t->status, to);
		goto fail;
	}
	/* finishing is tidying up and stays possible; new work is not */
	if (strcmp(to, "in_progress") == 0 && (r.status == INC_CLOSED || r.status == INC_CANCELLED)) {
		inc_err(err, "incident %lld is %s", (long long)r.id, inc_status_name(r.status));
		goto fail;
	}
	old_status = t->status;
	t->status = inc_xstrdup(to);
	old_assignee = inc_xstrdup(t->assignee);
	/* starting an unassigned task takes it, as with incidents */
	if (strcmp(to, "in_progress") == 0 && !t->assignee && ctx->role != INC_REQUESTER)
		inc_set_str(&t->assignee, ctx->actor);
	if (strcmp(to, "done") == 0 || strcmp(to, "cancelled") == 0)
		t->done_at = ctx->now;
	q = inc_sql(ctx->db, "UPDATE task SET status=?, assignee=?, done_at=? WHERE id=?");
	inc_sql_text(q, 1, t->status);
	inc_sql_text(q, 2, t->assignee);
	inc_sql_int(q, 3, t->done_at);
	inc_sql_int(q, 4, t->id);
	if (inc_sql_run(q, err) < 0)
		goto fail;
	if (audit(ctx, t, "status", old_status, t->status, err) < 0 ||
	    (!old_assignee && t->assignee &&
	     audit(ctx, t, "assignee", NULL, t->assignee, err) < 0) ||
	    touch_incident(ctx, &r, err) < 0)
		goto fail;
	free(old_status);
	free(old_assignee);
	inc_incident_clear(&r);
	return 0;
fail:
	free(old_status);
	free(old_assignee);
	inc_incident_clear(&r);
	return -1;
}
