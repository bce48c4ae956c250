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
	" ON i.id = t.incident WHERE ?1 IS NULL OR t.incident = ?1 ORDER BY t.id";

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
from_row(sqlite3_stmt *st, struct inc_task *t)
{
	inc_task_clear(t);
	t->id = sqlite3_column_int64(st, 0);
	t->incident = sqlite3_column_int64(st, 1);
	t->title = inc_col_text(st, 2);
	t->group = inc_col_text(st, 3);
	t->assignee = inc_col_text(st, 4);
	t->status = inc_col_text(st, 5);
	t->due = inc_col_int(st, 6);
	t->created_at = inc_col_int(st, 7);
	t->done_at = inc_col_int(st, 8);
}

int
inc_task_load(struct inc_ctx *ctx, int64_t id, struct inc_task *t, char *err)
{
	sqlite3_stmt *st = inc_stmt(ctx, sql_task_select);
	int rc;

	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		from_row(st, t);
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	return inc_err(err, "%s", sqlite3_errmsg(ctx->db));
}

int
inc_task_list(struct inc_ctx *ctx, int64_t incident, inc_task_fn fn, void *arg, char *err)
{
	sqlite3_stmt *st;
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
	st = inc_stmt(ctx, sql_task_list);
	if (incident != INC_NULL)
		sqlite3_bind_int64(st, 1, incident);
	else
		sqlite3_bind_null(st, 1);
	inc_task_init(&t);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const unsigned char *req = sqlite3_column_text(st, 9);

		/* listing everything shows what the actor may see, silently */
		if (!inc_may(ctx->cfg, ctx->actor, INC_ACT_SEE, (const char *)req))
			continue;
		from_row(st, &t);
		fn(ctx, &t, arg);
	}
	sqlite3_reset(st);
	inc_task_clear(&t);
	if (rc != SQLITE_DONE)
		return inc_err(err, "%s", sqlite3_errmsg(ctx->db));
	return 0;
}

int64_t
inc_task_open_count(struct inc_ctx *ctx, int64_t incident, char *err)
{
	sqlite3_stmt *st = inc_stmt(ctx,
		"SELECT count(*) FROM task WHERE incident=? AND status IN ('open','in_progress')");
	int64_t n = -1;

	sqlite3_bind_int64(st, 1, incident);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	else
		inc_err(err, "%s", sqlite3_errmsg(ctx->db));
	sqlite3_reset(st);
	return n;
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
			       ctx->role);
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
	sqlite3_stmt *st;
	struct inc_incident r;
	char tb[INC_TIMELEN];

	inc_incident_init(&r);
	if (load_incident(ctx, t->incident, &r, err) < 0)
		goto fail;
	if (strcmp(r.status, "closed") == 0 || strcmp(r.status, "cancelled") == 0) {
		inc_err(err, "incident is %s: no new tasks", r.status);
		goto fail;
	}
	inc_set_str(&t->status, "open");
	t->created_at = ctx->now;
	t->done_at = INC_NULL;
	st = inc_stmt(ctx, "INSERT INTO task(incident, title, grp, assignee, status, due,"
		      " created_at) VALUES(?,?,?,?,?,?,?)");
	sqlite3_bind_int64(st, 1, t->incident);
	sqlite3_bind_text(st, 2, t->title, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, t->group, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, t->assignee, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, t->status, -1, SQLITE_STATIC);
	inc_bind_int(st, 6, t->due);
	sqlite3_bind_int64(st, 7, t->created_at);
	if (inc_step_done(ctx->db, st, err) < 0)
		goto fail;
	t->id = sqlite3_last_insert_rowid(ctx->db);
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
	sqlite3_stmt *st;

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
	if (strcmp(to, "in_progress") == 0 &&
	    (strcmp(r.status, "closed") == 0 || strcmp(r.status, "cancelled") == 0)) {
		inc_err(err, "incident %lld is %s", (long long)r.id, r.status);
		goto fail;
	}
	old_status = t->status;
	t->status = inc_xstrdup(to);
	old_assignee = inc_xstrdup(t->assignee);
	/* starting an unassigned task takes it, as with incidents */
	if (strcmp(to, "in_progress") == 0 && !t->assignee &&
	    strcmp(ctx->role, "requester") != 0)
		inc_set_str(&t->assignee, ctx->actor);
	if (strcmp(to, "done") == 0 || strcmp(to, "cancelled") == 0)
		t->done_at = ctx->now;
	st = inc_stmt(ctx, "UPDATE task SET status=?, assignee=?, done_at=? WHERE id=?");
	sqlite3_bind_text(st, 1, t->status, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, t->assignee, -1, SQLITE_STATIC);
	inc_bind_int(st, 3, t->done_at);
	sqlite3_bind_int64(st, 4, t->id);
	if (inc_step_done(ctx->db, st, err) < 0)
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
