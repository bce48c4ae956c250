/*
 * incident.c - an incident as every tool takes and stores it: loaded with
 * the actor's right to act on it checked; stored with its SLA fields
 * following the change first (the clocks are the incident layer's, not the
 * record's), then the row and its audit rows, and the declaration of a
 * major incident in the event log.
 */
#include "inc.h"

int
inc_incident_store(struct inc_ctx *ctx, const struct inc_incident *before,
		   struct inc_incident *r, const char *action, char *err)
{
	if (inc_sla_update(ctx, r, err) < 0 || inc_record_save(ctx, before, r, action, err) < 0)
		return -1;
	/* however it became major (by hand, by a rule), the managers hear of it */
	if (!before->major && r->major)
		return inc_major_declared(ctx, r, err);
	return 0;
}

int
inc_major_declared(struct inc_ctx *ctx, const struct inc_incident *r, char *err)
{
	json_t *ev = json_pack("{s:s}", "kind", "major_declared");
	int rc = inc_event_log(ctx, r, ev, err);

	json_decref(ev);
	return rc;
}

int
inc_load_may(struct inc_ctx *ctx, int64_t id, enum inc_act act, const char *why,
	     struct inc_incident *r, char *err)
{
	if (inc_incident_get(ctx, id, r, err) < 0)
		return -1;
	if (!inc_may(ctx->cfg, ctx->actor, act, r->requester))
		return inc_err(err, "not allowed: %s", why);
	return 0;
}
