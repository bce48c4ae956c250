/*
 * inc-classify - categorize and prioritize incidents by the config's rules.
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tool.h"

static const char usage[] =
	"inc-classify [-d DB] [-c CONFIG] [--now TIME] [--as USER] [-f|--force] [-n|--dry-run]"
	" [-x|--explain] [ID...] [< records.jsonl]";

struct opts {
	int dry_run, explain;
};

static int
classify_one(struct inc_ctx *ctx, const char *where, json_t *line, int64_t id, void *arg,
	     char *err)
{
	const struct opts *o = arg;
	struct inc_incident r, before;
	json_t *event = json_pack("{s:s}", "kind", "classified");
	char gave_up[INC_ERRLEN];
	int rc;

	(void)line;
	inc_incident_init(&r);
	inc_incident_init(&before);
	if ((rc = inc_load_may(ctx, id, INC_ACT_WORK, "only technicians classify incidents",
			       &r, err)) < 0)
		goto out;
	inc_incident_copy(&before, &r);
	if (inc_classify(ctx->cfg, &r, ctx->force, o->explain ? event : NULL, gave_up) &&
	    o->dry_run)
		r.updated_at = ctx->now;	/* as a real run would store it */
	/* said, not refused: the rule is read as not applying, the rest of
	 * the classification stands */
	if (gave_up[0])
		inc_warn("%s: %s: gave up matching (the expression backtracks too much"
			 " on this text): the rule does not apply", where, gave_up);
	/* storing refreshes the SLA fields; a dry run shows them refreshed too */
	rc = o->dry_run ? inc_sla_update(ctx, &r, err) :
		inc_incident_store(ctx, &before, &r, "classified", err);
	if (rc < 0)
		goto out;
	if (o->dry_run) {
		json_object_set_new(event, "dry_run", json_true());
		inc_emit(ctx, &r, event);
	} else {
		rc = inc_event(ctx, &r, event, err);
	}
	event = NULL;
out:
	json_decref(event);
	inc_incident_clear(&before);
	inc_incident_clear(&r);
	return rc < 0 ? -1 : 0;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		INC_COMMON_LONGOPTS,
		{"force", no_argument, 0, 'f'},
		{"dry-run", no_argument, 0, 'n'},
		{"explain", no_argument, 0, 'x'},
		{0, 0, 0, 0}
	};
	struct inc_ctx ctx = {0};
	struct opts o = {0};
	int c;

	while ((c = getopt_long(argc, argv, INC_COMMON_SHORTOPTS "fnx", longopts, NULL)) != -1) {
		if (tool_option(&ctx, c, optarg, usage))
			continue;
		switch (c) {
		case 'f': ctx.force = 1; break;
		case 'n': o.dry_run = 1; break;
		case 'x': o.explain = 1; break;
		default: inc_usage_error(usage);
		}
	}
	tool_need_input(argc - optind, usage);
	tool_config(&ctx);
	ctx.read_only = o.dry_run;
	/* the actor is known once the database is: a server's login */
	tool_db(&ctx);
	if (ctx.force && !inc_may(ctx.cfg, ctx.actor, INC_ACT_FORCE, NULL))
		inc_die(INC_EXIT_USAGE, "--force: %s may not force (role %s)", ctx.actor,
			inc_role_name(ctx.role));
	/* classify_one refuses (not allowed, dated before the last change)
	 * before its first write: no savepoint per record, which journals a
	 * copy of every page the record touches */
	ctx.no_savepoint = 1;
	inc_each(&ctx, argc - optind, argv + optind, stdin, INC_EACH_NEEDS_ID | INC_EACH_NO_LINE,
		 classify_one, &o);
	return tool_close(&ctx);
}
