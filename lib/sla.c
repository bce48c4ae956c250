/*
 * sla.c - SLA clocks: policies, due times in business hours, pauses,
 * states. (The SLA module of issue 4 grows here.)
 */
#include "inc.h"

int
inc_sla_update(struct inc_ctx *ctx, struct inc_incident *r, char *err)
{
	(void)ctx; (void)err;
	if (!r->sla_policy)
		return 0;
	return 0;
}
