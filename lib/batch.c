/*
 * batch.c - the ids a query selected (the cron pass of inc-sla,
 * inc-escalate --all, inc-assign --queued, inc-close --expire), read in
 * full before any is worked on, so that the work never runs under an open
 * read of the table it changes.
 */
#define _GNU_SOURCE
#include <stdlib.h>

#include "inc.h"

int64_t *
inc_select_ids(struct inc_ctx *ctx, struct inc_sql *q, size_t *n, char *err)
{
	int64_t *ids = NULL;
	size_t cap = 0;
	int rc;

	*n = 0;
	while ((rc = inc_sql_step(q)) > 0) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 64;
			ids = inc_xrealloc(ids, cap * sizeof *ids);
		}
		ids[(*n)++] = inc_sql_col_int(q, 0);
	}
	inc_sql_reset(q);
	if (rc < 0) {
		free(ids);
		inc_db_err(ctx->db, err);
		return NULL;
	}
	if (!ids)
		ids = inc_xmalloc(sizeof *ids);
	return ids;
}
