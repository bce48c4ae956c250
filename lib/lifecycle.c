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

int
inc_status_allowed(enum inc_status from, enum inc_status to)
{
	if (from == to)
		return 0;
	switch (to) {
	case INC_RESOLVED:
	case INC_CANCELLED:
		return inc_status_open(from);
	case INC_ASSIGNED:
		return from == INC_NEW;
	case INC_IN_PROGRESS:
		return from == INC_NEW || from == INC_ASSIGNED || from == INC_ON_HOLD ||
		       from == INC_RESOLVED;
	case INC_ON_HOLD:
		/* waiting for the requester right after assignment is common */
		return from == INC_ASSIGNED || from == INC_IN_PROGRESS;
	case INC_CLOSED:
		return from == INC_RESOLVED;
	default:
		return 0;
	}
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
	struct inc_sql *q = inc_sql(ctx->db, sql);

	inc_sql_int(q, 1, id);
	inc_sql_int(q, 2, ctx->now);
	return inc_sql_run(q, err);
}

/* A move out of on_hold ends the open hold, one into it starts one, for
 * the SLA clocks. Held, resumed and held again within one second (a log
 * of minutes has many, a script too): one hold from that second. */
static int
hold_move(struct inc_ctx *ctx, struct inc_incident *r, enum inc_status from,
	  enum inc_status to, char *err)
{
	if (from == INC_ON_HOLD) {
		if (hold_sql(ctx, "UPDATE hold SET \"end\"=?2 WHERE incident=?1 AND \"end\" IS NULL",
			     r->id, err) < 0)
			return -1;
		r->hold_since = INC_NULL;
	}
	if (to == INC_ON_HOLD) {
		if (hold_sql(ctx, "INSERT INTO hold(incident, start) VALUES(?1, ?2)"
			     " ON CONFLICT(incident, start) DO UPDATE SET \"end\"=NULL", r->id, err) < 0)
			return -1;
		r->hold_since = ctx->now;
	}
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
	if (assignee && r->status == INC_NEW)
		r->status = INC_ASSIGNED;
	(void)ctx;
}

/* An unassigned incident a technician moves becomes theirs, by name as
 * routing stores it, also when they act by e-mail. */
static void
take(struct inc_ctx *ctx, struct inc_incident *r)
{
	const struct inc_person *p;

	if (r->assignee || ctx->role == INC_REQUESTER)
		return;
	p = inc_config_person(ctx->cfg, ctx->actor);
	inc_set_assignment(ctx, r, r->group, p ? p->name : ctx->actor);
}

/* Taking and resolving follow the rule of assigning: a technician works
 * the incidents of their own groups (and those assigned to them); across
 * groups it takes an incident manager or an admin. */
static int
own_group(struct inc_ctx *ctx, const struct inc_incident *r, char *err)
{
	const struct inc_group *g = inc_config_group(ctx->cfg, r->group);
	const struct inc_person *p = inc_config_person(ctx->cfg, ctx->actor);

	if (!g || !ctx->cfg->npeople || ctx->role == INC_ADMIN ||
	    ctx->role == INC_INCIDENT_MANAGER || ctx->role == INC_REQUESTER)
		return 0;
	if (p && (inc_json_array_has(g->members, p->name) || inc_streq(r->assignee, p->name)))
		return 0;
	return inc_err(err, "%s is not a member of %s (an incident manager can move it across groups)",
		       ctx->actor, g->name);
}

int
inc_set_status(struct inc_ctx *ctx, struct inc_incident *r, enum inc_status to, char *err)
{
	enum inc_status from = r->status;
	int reopen = to == INC_IN_PROGRESS && (from == INC_RESOLVED || from == INC_CLOSED);
	/* inc-close --confirm --force: closed, never resolved */
	int unresolved = to == INC_CLOSED && inc_status_open(from) && ctx->force;

	if (!inc_status_allowed(from, to) && !(reopen && from == INC_CLOSED) && !unresolved)
		return inc_err(err, "cannot move from %s to %s", inc_status_name(from),
			       inc_status_name(to));
	if (((to == INC_IN_PROGRESS && from == INC_NEW) || to == INC_RESOLVED) &&
	    own_group(ctx, r, err) < 0)
		return -1;
	if (hold_move(ctx, r, from, to, err) < 0)
		return -1;
	if (to == INC_IN_PROGRESS) {
		/* taking a new incident makes it yours */
		if (from == INC_NEW)
			take(ctx, r);
		inc_mark_response(ctx, r);
	}
	if (to == INC_RESOLVED) {
		/* a first-contact resolution: the resolver took it */
		take(ctx, r);
		r->resolved_at = ctx->now;
		r->ever_resolved = 1;
		inc_mark_response(ctx, r);
	}
	if (to == INC_CLOSED)
		r->closed_at = ctx->now;
	if (to == INC_CANCELLED || unresolved) {
		/* the clocks stop here: a target already past due is lost */
		if (r->responded_at == INC_NULL && r->response_due != INC_NULL &&
		    r->response_due < ctx->now && r->response_met == INC_NULL && from != INC_ON_HOLD)
			r->response_met = 0;
		if (r->resolve_due != INC_NULL && r->resolve_due < ctx->now &&
		    r->resolve_met == INC_NULL && from != INC_ON_HOLD)
			r->resolve_met = 0;
	}
	if (to == INC_CANCELLED && !r->closure_code &&
	    inc_json_array_has(ctx->cfg->closure_codes, "cancelled"))
		inc_set_str(&r->closure_code, "cancelled");
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
	r->status = to;
	return 0;
}

/*
 * Another desk's history replayed (inc-import): the log's moves are facts,
 * not requests, so every move is made, those SPEC section 3 refuses
 * included (closed -> in_progress without a reopening, in_progress ->
 * assigned, new -> closed), with what each implies: holds opened and
 * closed, the response clock at in_progress or resolution, resolved_at at
 * a move into resolved (or into closed from an unresolved status: closing
 * resolves), closed_at, and a reopening (reopen_count + 1, the resolution
 * cleared) at any move from resolved or closed back to an open status.
 * Nobody is taken: the assignee is the log's.
 */
int
inc_status_replay(struct inc_ctx *ctx, struct inc_incident *r, enum inc_status to, char *err)
{
	enum inc_status from = r->status;
	int done = from == INC_RESOLVED || from == INC_CLOSED;

	if (from == to)
		return 0;
	if (hold_move(ctx, r, from, to, err) < 0)
		return -1;
	if (done && inc_status_open(to)) {
		r->resolved_at = INC_NULL;
		r->closed_at = INC_NULL;
		inc_set_str(&r->resolution, NULL);
		inc_set_str(&r->resolution_type, NULL);
		inc_set_str(&r->closure_code, NULL);
		r->rating = INC_NULL;
		inc_set_str(&r->feedback, NULL);
		r->reopen_count++;
	}
	if (to == INC_IN_PROGRESS)
		inc_mark_response(ctx, r);
	if ((to == INC_RESOLVED && from != INC_CLOSED) || (to == INC_CLOSED && !done)) {
		r->resolved_at = ctx->now;
		r->ever_resolved = 1;
		inc_mark_response(ctx, r);
	}
	if (to == INC_RESOLVED)
		r->closed_at = INC_NULL;	/* closed -> resolved: the resolution stands */
	if (to == INC_CLOSED)
		r->closed_at = ctx->now;
	r->status = to;
	return 0;
}
