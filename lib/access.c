/*
 * access.c - who may do what (SPEC section 5), in the one place every tool
 * asks.
 */
#include <string.h>
#include <strings.h>

#include "inc.h"

const char *
inc_role(const struct inc_config *c, const char *actor)
{
	const struct inc_person *p;

	if (c->npeople == 0)
		return "admin";	/* one admin on a laptop */
	p = inc_config_person(c, actor);
	return p ? p->role : "requester";
}

static int
owns(const struct inc_config *c, const char *actor, const char *requester)
{
	const struct inc_person *p;

	if (!requester || !actor)
		return 0;
	if (strcasecmp(requester, actor) == 0)
		return 1;
	p = inc_config_person(c, actor);
	return p && ((p->email && strcasecmp(requester, p->email) == 0) ||
		     strcasecmp(requester, p->name) == 0);
}

int
inc_may(const struct inc_config *c, const char *actor, enum inc_act act,
	const char *requester)
{
	const char *role = inc_role(c, actor);

	if (strcmp(role, "admin") == 0 || strcmp(role, "incident_manager") == 0)
		return 1;
	switch (act) {
	case INC_ACT_LOG:
		return 1;
	case INC_ACT_SEE:
	case INC_ACT_NOTE:
	case INC_ACT_CONFIRM:
		return strcmp(role, "requester") != 0 || owns(c, actor, requester);
	case INC_ACT_WORK:
	case INC_ACT_REPORT:
		return strcmp(role, "requester") != 0;
	case INC_ACT_FORCE:
	case INC_ACT_MAJOR:
	case INC_ACT_REASSIGN:
		return 0;
	}
	return 0;
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
