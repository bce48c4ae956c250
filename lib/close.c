/*
 * close.c - the end of the life cycle, as ITIL service desks run it: a
 * technician resolves (workaround or permanent fix), the requester confirms
 * and rates, unconfirmed resolutions expire into closure, unhappy
 * requesters reopen. The status moves themselves are lifecycle.c's; this
 * adds the checks (access, open tasks, the reopen window, --force) and the
 * resolution and survey fields.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "inc.h"

int
inc_close_check(const struct inc_config *cfg, const struct inc_close *o, char *err)
{
	if (o->code && !inc_json_array_has(cfg->closure_codes, o->code)) {
		char msg[INC_ERRLEN];

		inc_config_unknown(cfg->closure_codes, "closure code", o->code, msg);
		return inc_err(err, "--code: %s", msg);
	}
	if (o->rating != INC_NULL && (o->rating < 1 || o->rating > 5))
		return inc_err(err, "--rating: want 1 to 5, got \"%lld\"", (long long)o->rating);
	return 0;
}

/* The closure code a resolution gets when none is named: "fixed" or
 * "workaround", if the config has them. */
static const char *
default_code(const struct inc_config *cfg, const char *type)
{
	const char *code = type && strcmp(type, "workaround") == 0 ? "workaround" : "fixed";

	return inc_json_array_has(cfg->closure_codes, code) ? code : NULL;
}

/* The actor used --force to get past `what`: the audit trail says so. */
static int
forced(struct inc_ctx *ctx, const struct inc_incident *r, const char *what, json_t *ev,
       char *err)
{
	if (!inc_may(ctx->cfg, ctx->actor, INC_ACT_FORCE, r->requester))
		return inc_err(err, "%s may not --force (role %s)", ctx->actor,
			       inc_role_name(ctx->role));
	json_object_set_new(ev, "forced", json_true());
	return inc_audit(ctx, r->id, INC_NULL, "forced", NULL, NULL, what, err);
}

static int
resolve(struct inc_ctx *ctx, struct inc_incident *r, const struct inc_close *o,
	json_t *ev, char *err)
{
	char what[64];
	int64_t n;

	if (!inc_may(ctx->cfg, ctx->actor, INC_ACT_WORK, r->requester))
		return inc_err(err, "%s may not resolve incidents (role %s)", ctx->actor,
			       inc_role_name(ctx->role));
	if (r->status == INC_CANCELLED)
		return inc_err(err, "cancelled: a cancelled incident is never resolved");
	if (!inc_status_open(r->status))
		return inc_err(err, "already %s", inc_status_name(r->status));
	n = inc_task_open_count(ctx, r->id, err);
	if (n < 0)
		return -1;
	if (n > 0) {
		if (!ctx->force)
			return inc_err(err, "%lld open task%s remain%s (inc-task list %lld)",
				       (long long)n, n == 1 ? "" : "s", n == 1 ? "s" : "",
				       (long long)r->id);
		snprintf(what, sizeof what, "%lld open task%s", (long long)n, n == 1 ? "" : "s");
		if (forced(ctx, r, what, ev, err) < 0)
			return -1;
	}
	inc_set_str(&r->resolution, o->resolution);
	inc_set_str(&r->resolution_type, o->workaround ? "workaround" : "permanent");
	inc_set_str(&r->closure_code, o->code ? o->code :
		    default_code(ctx->cfg, r->resolution_type));
	return inc_set_status(ctx, r, INC_RESOLVED, err);
}

static int
confirm(struct inc_ctx *ctx, struct inc_incident *r, const struct inc_close *o,
	json_t *ev, char *err)
{
	char what[64];

	if (!inc_may(ctx->cfg, ctx->actor, INC_ACT_CONFIRM, r->requester))
		return inc_err(err, "not yours to confirm");
	if (r->status == INC_CANCELLED || r->status == INC_CLOSED)
		return inc_err(err, "already %s", inc_status_name(r->status));
	if (r->status != INC_RESOLVED) {
		if (!ctx->force)
			return inc_err(err, "not resolved (status %s): resolve it first",
				       inc_status_name(r->status));
		/* closed as it is: nobody resolved it, which the KPIs keep
		 * out of the resolutions; the code says what happened */
		snprintf(what, sizeof what, "not resolved: %s", inc_status_name(r->status));
		if (forced(ctx, r, what, ev, err) < 0)
			return -1;
		inc_set_str(&r->closure_code, o->code ? o->code :
			    inc_json_array_has(ctx->cfg->closure_codes, "cancelled") ?
			    "cancelled" : NULL);
		json_object_set_new(ev, "unresolved", json_true());
	} else if (o->code) {
		inc_set_str(&r->closure_code, o->code);
	}
	if (!r->closure_code && r->resolved_at != INC_NULL)
		inc_set_str(&r->closure_code, default_code(ctx->cfg, r->resolution_type));
	if (o->rating != INC_NULL)
		r->rating = o->rating;
	if (o->feedback)
		inc_set_str(&r->feedback, o->feedback);
	return inc_set_status(ctx, r, INC_CLOSED, err);
}

static int
reopen(struct inc_ctx *ctx, struct inc_incident *r, const struct inc_close *o,
       json_t *ev, char *err)
{
	char tb[INC_TIMELEN], db[INC_TIMELEN];

	if (!inc_may(ctx->cfg, ctx->actor, INC_ACT_CONFIRM, r->requester))
		return inc_err(err, "not yours to reopen");
	if (r->status == INC_CLOSED && r->closed_at + ctx->cfg->reopen_window < ctx->now)
		return inc_err(err, "closed at %s, past the reopen window of %s",
			       inc_time_format(r->closed_at, tb),
			       inc_duration_format(ctx->cfg->reopen_window, db));
	if (r->status != INC_RESOLVED && r->status != INC_CLOSED)
		return inc_err(err, "not resolved or closed (status %s)", inc_status_name(r->status));
	if (inc_set_status(ctx, r, INC_IN_PROGRESS, err) < 0)
		return -1;
	json_object_set_new(ev, "reason", json_string(o->reason));
	return inc_audit(ctx, r->id, INC_NULL, "reopened", "reason", NULL, o->reason, err);
}

static int
expire(struct inc_ctx *ctx, struct inc_incident *r, const struct inc_close *o,
       json_t *ev, char *err)
{
	if (!inc_may(ctx->cfg, ctx->actor, INC_ACT_WORK, r->requester))
		return inc_err(err, "%s may not close incidents (role %s)", ctx->actor,
			       inc_role_name(ctx->role));
	/* the resolver's code stands; the closing is the tool's, said by
	 * the audit action and the event */
	if (!r->closure_code)
		inc_set_str(&r->closure_code, default_code(ctx->cfg, r->resolution_type));
	json_object_set_new(ev, "auto", json_true());
	(void)o;
	return inc_set_status(ctx, r, INC_CLOSED, err);
}

int
inc_close_one(struct inc_ctx *ctx, int64_t id, const struct inc_close *o, char *err)
{
	static const struct {
		int (*fn)(struct inc_ctx *, struct inc_incident *, const struct inc_close *,
			  json_t *, char *);
		const char *kind;
	} modes[] = {
		[INC_CLOSE_RESOLVE] = {resolve, "resolved"},
		[INC_CLOSE_CONFIRM] = {confirm, "closed"},
		[INC_CLOSE_REOPEN] = {reopen, "reopened"},
		[INC_CLOSE_EXPIRE] = {expire, "closed"},
	};
	struct inc_incident before, r;
	json_t *ev = json_pack("{s:s}", "kind", modes[o->mode].kind);
	int rc;

	inc_incident_init(&r);
	inc_incident_init(&before);
	rc = inc_incident_load(ctx, id, &r, err);
	if (rc == 0)
		rc = inc_err(err, "no such incident");
	/* a confirmation or reopening since the list was made: not expired */
	if (rc > 0 && o->mode == INC_CLOSE_EXPIRE &&
	    (r.status != INC_RESOLVED || r.resolved_at > o->cutoff)) {
		rc = 0;
		goto done;
	}
	if (rc > 0) {
		inc_incident_copy(&before, &r);
		rc = modes[o->mode].fn(ctx, &r, o, ev, err);
	}
	if (rc >= 0)
		rc = inc_incident_store(ctx, &before, &r, o->mode == INC_CLOSE_EXPIRE ? "auto-closed" :
					modes[o->mode].kind, err);
	if (rc >= 0) {
		rc = inc_event(ctx, &r, ev, err);
		ev = NULL;
	}
done:
	json_decref(ev);
	inc_incident_clear(&before);
	inc_incident_clear(&r);
	return rc < 0 ? -1 : 0;
}

struct inc_sql *
inc_close_expired(struct inc_ctx *ctx, int64_t cutoff)
{
	struct inc_sql *q = inc_sql(ctx->db, "SELECT id FROM incident"
				    " WHERE status='resolved' AND resolved_at <= ?");

	inc_sql_int(q, 1, cutoff);
	return q;
}
