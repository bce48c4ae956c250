/*
 * events_test.c - the events a batch keeps for its commit (events.c):
 * which incidents have some, asked without writing them out, through
 * many incidents (the set grows), a drop of the last ones (a refused
 * record's, the set made again of those left) and a drop of them all (a
 * rollback, or the flush). No database: kept events are not written until
 * the flush.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>

#include "inc.h"

static int npass, nfail;

static void
check(int ok, const char *what)
{
	if (ok) {
		npass++;
	} else {
		nfail++;
		printf("FAIL %s\n", what);
	}
}

static void
keep(struct inc_ctx *ctx, int64_t id)
{
	struct inc_incident r;
	json_t *ev = json_pack("{s:s,s:s}", "kind", "queued", "group", "l2-infra");
	char err[INC_ERRLEN] = "";

	inc_incident_init(&r);
	r.id = id;
	check(inc_event_log(ctx, &r, ev, err) == 0 && !err[0], "an event kept");
	json_decref(ev);
	inc_incident_clear(&r);
}

int
main(void)
{
	struct inc_ctx ctx;
	char what[64];
	int all = 1;

	memset(&ctx, 0, sizeof ctx);
	ctx.defer_rows = 1;
	ctx.now = 1795773600;

	check(!inc_events_kept(&ctx, 1), "none kept: not 1");
	check(!inc_events_kept(&ctx, 0), "none kept: not 0 (the empty slot)");

	/* past the first table's size, many times over: the set grows */
	for (int64_t id = 1; id <= 5000; id += 2)
		keep(&ctx, id);
	keep(&ctx, 1);		/* twice: one member */
	check(ctx.npev == 2501 && ctx.npev_ids == 2500, "2,501 events of 2,500 incidents");
	for (int64_t id = 1; id <= 5001; id++)
		if (inc_events_kept(&ctx, id) != (id % 2 == 1 && id < 5000))
			all = 0;
	check(all, "the odd ids below 5,000 kept, no other");
	check(!inc_events_kept(&ctx, INT64_MAX) && !inc_events_kept(&ctx, -1),
	      "not INT64_MAX, not -1");

	/* ids far apart, alike in their low bits: members all the same */
	for (int64_t k = 1; k <= 64; k++)
		keep(&ctx, k << 40);
	all = 1;
	for (int64_t k = 1; k <= 64; k++)
		if (!inc_events_kept(&ctx, k << 40) || inc_events_kept(&ctx, (k << 40) + 2))
			all = 0;
	check(all && ctx.npev_ids == 2564, "64 ids k << 40 kept, their neighbours not");
	inc_events_drop(&ctx, 2501);

	/* an event of no incident (id 0) is kept, its id not a member */
	keep(&ctx, 0);
	check(ctx.npev == 2502 && ctx.npev_ids == 2500 && !inc_events_kept(&ctx, 0),
	      "id 0: the event kept, the set as it was");
	inc_events_drop(&ctx, 2501);

	/* a refused record's events dropped: those before it stay */
	keep(&ctx, 6000);
	keep(&ctx, 6002);
	check(inc_events_kept(&ctx, 6000) && inc_events_kept(&ctx, 6002), "6000 and 6002 kept");
	inc_events_drop(&ctx, 2502);	/* 6002's on */
	check(inc_events_kept(&ctx, 6000), "6000 still kept after the drop of 6002's");
	check(!inc_events_kept(&ctx, 6002), "6002 no longer kept");
	check(inc_events_kept(&ctx, 4999) && inc_events_kept(&ctx, 1), "the earlier ones still kept");
	check(ctx.npev == 2502, "2,502 events left");
	check(strcmp(inc_text_at(&ctx.pev_text, ctx.pev[2501].kind), "queued") == 0,
	      "the last one's kind intact");

	/* all dropped (a rollback): none kept, and keeping starts again */
	inc_events_drop(&ctx, 0);
	all = ctx.npev == 0 && ctx.npev_ids == 0;
	for (int64_t id = 1; id <= 6002; id++)
		if (inc_events_kept(&ctx, id))
			all = 0;
	check(all, "a drop of all: none kept");
	keep(&ctx, 42);
	snprintf(what, sizeof what, "kept again after the drop: 42, not 41");
	check(inc_events_kept(&ctx, 42) && !inc_events_kept(&ctx, 41), what);

	inc_rows_free(&ctx);
	check(!inc_events_kept(&ctx, 42), "freed: none kept");
	printf("%d passed, %d failed\n", npass, nfail);
	return nfail != 0;
}
