/*
 * batch.c - runs over incidents a query selected (the cron pass of
 * inc-sla, inc-escalate --all): the ids are read first, then handed to the
 * input loop in slices, each slice one transaction of per-record
 * savepoints, so that a long run never holds the write lock for long and a
 * refused incident changes nothing while the others go on.
 */
#define _GNU_SOURCE
#include <stdlib.h>

#include "inc.h"

/* Incidents per transaction. */
#define SLICE 2000

int64_t *
inc_select_ids(struct inc_ctx *ctx, sqlite3_stmt *st, size_t *n, char *err)
{
	int64_t *ids = NULL;
	size_t cap = 0;
	int rc;

	*n = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 64;
			ids = inc_xrealloc(ids, cap * sizeof *ids);
		}
		ids[(*n)++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		free(ids);
		inc_err(err, "%s", sqlite3_errmsg(ctx->db));
		return NULL;
	}
	if (!ids)
		ids = inc_xmalloc(sizeof *ids);
	return ids;
}

int
inc_each_id(struct inc_ctx *ctx, const int64_t *ids, size_t n, inc_record_fn fn, void *arg)
{
	char buf[SLICE][24], *argv[SLICE];

	for (size_t i = 0; i < n; i += SLICE) {
		int k = 0;

		for (; k < SLICE && i + (size_t)k < n; k++) {
			snprintf(buf[k], sizeof buf[k], "%lld", (long long)ids[i + (size_t)k]);
			argv[k] = buf[k];
		}
		inc_each_arg(ctx, argv, k, fn, arg);
	}
	return ctx->status;
}
