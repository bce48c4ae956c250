/*
 * lifecycle.c - the status life cycle of SPEC section 3 and what each move
 * brings with it (response clock, holds, resolution, reopening), and
 * assignment bookkeeping (first assignee, reassignment count). Every tool
 * that moves an incident goes through here.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "inc.h"

static const char *const statuses[] = {"new", "assigned", "in_progress", "on_hold",
	"resolved", "closed", "cancelled", NULL};

int
inc_status_known(const char *s)
{
	for (int i = 0; statuses[i]; i++)
		if (s && strcmp(s, statuses[i]) == 0)
			return 1;
	return 0;
}

int
inc_is_open(const char *s)
{
	return s && (strcmp(s, "new") == 0 || strcmp(s, "assigned") == 0 ||
		     strcmp(s, "in_progress") == 0 || strcmp(s, "on_hold") == 0);
}

int
inc_status_allowed(const char *from, const char *to)
{
	if (!from || !to || strcmp(from, to) == 0)
		return 0;
	if (strcmp(to, "resolved") == 0 || strcmp(to, "cancelled") == 0)
		return inc_is_open(from);
	if (strcmp(to, "assigned") == 0)
		return strcmp(from, "new") == 0;
	if (strcmp(to, "in_progress") == 0)
		return strcmp(from, "new") == 0 || strcmp(from, "assigned") == 0 ||
		       strcmp(from, "on_hold") == 0 || strcmp(from, "resolved") == 0;
	if (strcmp(to, "on_hold") == 0)
		return strcmp(from, "in_progress") == 0;
	if (strcmp(to, "closed") == 0)
		return strcmp(from, "resolved") == 0;
	return 0;
}

void
inc_mark_response(struct inc_ctx *ctx, struct inc_incident *r)
{
	if (r->responded_at == INC_NULL)
		r->responded_at = ctx->now;
}

static int
hold_sql(struct inc_ctx *ctx, const char *sql, int64_t id, char *err)
{
	sqlite3_stmt *st = inc_stmt(ctx, sql);
	int rc;

	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, ctx->now);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return inc_err(err, "%s", sqlite3_errmsg(ctx->db));
	return 0;
}

void
inc_set_assignment(struct inc_ctx *ctx, struct inc_incident *r, const char *group,
		   const char *assignee)
{
	int gchanged = (group != r->group) &&
		(!group || !r->group || strcmp(group, r->group) != 0);
	int achanged = (assignee != r->assignee) &&
		(!assignee || !r->assignee || strcmp(assignee, r->assignee) != 0);

	if (!gchanged && !achanged)
		return;
	if (r->first_assignee) {
		r->reassignment_count++;
	} else if (assignee) {
		inc_set_str(&r->first_assignee, assignee);
		inc_set_str(&r->first_group, group);
	}
	if (gchanged)
		inc_set_str(&r->group, group);
	if (achanged)
		inc_set_str(&r->assignee, assignee);
	if (assignee && strcmp(r->status, "new") == 0)
		inc_set_str(&r->status, "assigned");
	(void)ctx;
}

/* An unassigned incident a technician moves becomes theirs, by name as
 * routing stores it, also when they act by e-mail. */
static void
take(struct inc_ctx *ctx, struct inc_incident *r)
{
	const struct inc_person *p;

	if (r->assignee || strcmp(ctx->role, "requester") == 0)
		return;
	p = inc_config_person(ctx->cfg, ctx->actor);
	inc_set_assignment(ctx, r, r->group, p ? p->name : ctx->actor);
}

int
inc_set_status(struct inc_ctx *ctx, struct inc_incident *r, const char *to, char *err)
{
	const char *from = r->status;
	int reopen;

	if (!inc_status_known(to))
		return inc_err(err, "unknown status \"%s\"", to);
	reopen = strcmp(to, "in_progress") == 0 &&
		 (strcmp(from, "resolved") == 0 || strcmp(from, "closed") == 0);
	if (!inc_status_allowed(from, to) &&
	    !(reopen && strcmp(from, "closed") == 0))
		return inc_err(err, "cannot move from %s to %s", from, to);
	if (strcmp(from, "on_hold") == 0) {
		if (hold_sql(ctx, "UPDATE hold SET end=?2 WHERE incident=?1 AND end IS NULL",
			     r->id, err) < 0)
			return -1;
		r->hold_since = INC_NULL;
	}
	if (strcmp(to, "on_hold") == 0) {
		if (hold_sql(ctx, "INSERT OR IGNORE INTO hold(incident, start) VALUES(?1, ?2)",
			     r->id, err) < 0)
			return -1;
		r->hold_since = ctx->now;
	}
	if (strcmp(to, "in_progress") == 0) {
		/* taking a new incident makes it yours */
		if (strcmp(from, "new") == 0)
			take(ctx, r);
		inc_mark_response(ctx, r);
	}
	if (strcmp(to, "resolved") == 0) {
		/* a first-contact resolution: the resolver took it */
		take(ctx, r);
		r->resolved_at = ctx->now;
		r->ever_resolved = 1;
		inc_mark_response(ctx, r);
	}
	if (strcmp(to, "closed") == 0)
		r->closed_at = ctx->now;
	if (reopen) {
		r->resolved_at = INC_NULL;
		r->closed_at = INC_NULL;
		inc_set_str(&r->resolution, NULL);
		inc_set_str(&r->resolution_type, NULL);
		inc_set_str(&r->closure_code, NULL);
		r->rating = INC_NULL;
		inc_set_str(&r->feedback, NULL);
		r->reopen_count++;
	}
	inc_set_str(&r->status, to);
	return 0;
}
