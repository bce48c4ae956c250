/*
 * access.c - who may do what (SPEC section 5), in the one place every tool
 * asks.
 */
#include <string.h>
#include <strings.h>

#include "inc.h"

enum inc_role
inc_role(const struct inc_config *c, const char *actor)
{
	const struct inc_person *p;

	if (c->npeople == 0)
		return INC_ADMIN;	/* one admin on a laptop */
	p = inc_config_person(c, actor);
	return p ? p->role : INC_REQUESTER;
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
	enum inc_role role = inc_role(c, actor);

	if (role == INC_ADMIN || role == INC_INCIDENT_MANAGER)
		return 1;
	switch (act) {
	case INC_ACT_LOG:
		return 1;
	case INC_ACT_SEE:
	case INC_ACT_NOTE:
	case INC_ACT_CONFIRM:
		return role != INC_REQUESTER || owns(c, actor, requester);
	case INC_ACT_WORK:
	case INC_ACT_REPORT:
		return role != INC_REQUESTER;
	case INC_ACT_FORCE:
	case INC_ACT_MAJOR:
	case INC_ACT_REASSIGN:
		return 0;
	}
	return 0;
}
