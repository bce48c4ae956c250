/*
 * inc-assign - route incidents to their group and a technician in it, or
 * assign them by hand.
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tool.h"

static const char usage[] =
	"inc-assign [-d DB] [-c CONFIG] [--now TIME] [--as USER] [-t|--to NAME] [-g|--group GROUP]"
	" [--queued | ID... | < records.jsonl]";

struct opts {
	const char *to, *group;
};

static int
assign_one(struct inc_ctx *ctx, const char *where, json_t *line, int64_t id, void *arg,
	   char *err)
{
	const struct opts *o = arg;
	struct inc_incident r, before;
	json_t *event = NULL;
	int rc;

	(void)where; (void)line;
	inc_incident_init(&r);
	inc_incident_init(&before);
	if ((rc = inc_load_may(ctx, id, INC_ACT_WORK, "only technicians assign incidents",
			       &r, err)) < 0)
		goto out;
	inc_incident_copy(&before, &r);
	rc = inc_assign(ctx, &r, o->group, o->to, err);
	/* the round-robin turn is written after the incident: every refusal
	 * (routing, the SLA refresh, a change dated before the last) comes
	 * before the record's first write */
	if (rc < 0 || inc_incident_store(ctx, &before, &r, "assigned", err) < 0 ||
	    inc_rotation_flush(ctx, err) < 0) {
		rc = -1;
		goto out;
	}
	if (rc == 0) {
		event = json_pack("{s:s,s:s}", "kind", "queued", "group", r.group);
		/* queued where it was already (inc-assign --queued every
		 * minute): nothing happened, shown, not logged again */
		if (inc_streq(before.group, r.group) && !before.assignee &&
		    (rc = inc_assign_queued_already(ctx, r.id, err)) != 0) {
			if (rc < 0)
				goto out;
			json_object_set_new(event, "existing", json_true());
		}
		rc = 0;
	} else {
		event = json_pack("{s:s,s:s?,s:s}", "kind", "assigned", "group", r.group,
				  "assignee", r.assignee);
		if (inc_streq(before.assignee, r.assignee) &&
		    (!before.group || inc_streq(before.group, r.group)))
			json_object_set_new(event, "existing", json_true());
		else
			json_object_set_new(event, "strategy", json_string(o->to ? "hand" :
				inc_vocab_name(&inc_strategies,
					       (int)inc_config_group(ctx->cfg, r.group)->strategy)));
		if (before.assignee && !inc_streq(before.assignee, r.assignee))
			json_object_set_new(event, "from", json_string(before.assignee));
	}
	/* a no-op (assigned already) is shown, not logged: nothing happened */
	if (json_object_get(event, "existing"))
		inc_emit(ctx, &r, event);
	else
		rc = inc_event(ctx, &r, event, err);
out:
	inc_rotation_drop(ctx);
	inc_incident_clear(&before);
	inc_incident_clear(&r);
	return rc < 0 ? -1 : 0;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		INC_COMMON_LONGOPTS,
		{"to", required_argument, 0, 't'},
		{"group", required_argument, 0, 'g'},
		{"queued", no_argument, 0, 'q'},
		{0, 0, 0, 0}
	};
	struct inc_ctx ctx = {0};
	struct opts o = {0};
	char err[INC_ERRLEN];
	int c, queued = 0;

	while ((c = getopt_long(argc, argv, INC_COMMON_SHORTOPTS "t:g:q", longopts, NULL)) != -1) {
		if (tool_option(&ctx, c, optarg, usage))
			continue;
		switch (c) {
		case 't': o.to = optarg; break;
		case 'g': o.group = optarg; break;
		case 'q': queued = 1; break;
		default: inc_usage_error(usage);
		}
	}
	if (queued && optind < argc)
		inc_usage_error(usage);
	if (!queued)
		tool_need_input(argc - optind, usage);
	tool_config(&ctx);
	/* values the config does not know: nothing done */
	if (o.group && !inc_config_group(ctx.cfg, o.group)) {
		inc_config_unknown_group(ctx.cfg, o.group, err);
		inc_die(INC_EXIT_USAGE, "--group: %s", err);
	}
	if (o.to && !inc_assignable(ctx.cfg, o.to)) {
		inc_config_unknown_person(ctx.cfg, "technician", o.to, 1, err);
		inc_die(INC_EXIT_USAGE, "--to: %s", err);
	}
	tool_db(&ctx);
	/* assign_one refuses before its first write (the rotation is written
	 * last): no savepoint per record, which journals a copy of every page
	 * the record touches */
	ctx.defer_rotation = 1;
	ctx.no_savepoint = 1;
	/* --queued: every open incident without an assignee, what waits in a
	 * queue for the next cron run */
	if (queued)
		inc_each_query(&ctx, inc_sql(ctx.db, "SELECT id FROM incident WHERE assignee IS NULL"
					     " AND " INC_SQL_OPEN " ORDER BY id"), assign_one, &o);
	else
		inc_each(&ctx, argc - optind, argv + optind, stdin,
			 INC_EACH_NEEDS_ID | INC_EACH_NO_LINE, assign_one, &o);
	return tool_close(&ctx);
}
