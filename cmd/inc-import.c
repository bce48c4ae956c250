/*
 * inc-import - another desk's history imported: an event log on stdin (a
 * ServiceNow CSV export, an XES log, a helpdesk CSV, or inc's own JSON
 * lines of normalized events), a mapping file from its values to inc's,
 * and the incidents created with their real history, at its times, by its
 * actors. Idempotent: an incident imported before is left as it is. The
 * reading is lib/import_read.c's, the replaying lib/import_apply.c's.
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "tool.h"

static const char usage[] =
	"inc-import [-d DB] [-c CONFIG] [--now TIME] [--as USER]"
	" --format servicenow|xes|helpdesk|csv|jsonl [--map FILE] [--prefix P] [--live] < LOG";

/* Each refused row or incident, as it goes: exit status 1. */
static void
warn(const char *msg, void *arg)
{
	struct inc_ctx *ctx = arg;

	inc_warn("%s", msg);
	ctx->status = INC_EXIT_REFUSED;
}

int
main(int argc, char **argv)
{
	enum { O_FORMAT = INC_OPT_TOOL, O_MAP, O_PREFIX, O_LIVE };
	static const struct option longopts[] = {
		INC_COMMON_LONGOPTS,
		{"format", required_argument, 0, O_FORMAT},
		{"map", required_argument, 0, O_MAP},
		{"prefix", required_argument, 0, O_PREFIX},
		{"live", no_argument, 0, O_LIVE},
		{0, 0, 0, 0}
	};
	static const char *const formats[] = {"servicenow", "xes", "helpdesk", "csv", "jsonl",
		NULL};
	struct inc_ctx ctx = {0};
	struct inc_import opt = {.warn = warn, .warn_arg = &ctx};
	struct inc_import_stats st;
	struct inc_import_map *map = NULL;
	const char *mapname = NULL, *prefix = NULL;
	char err[INC_ERRLEN], path[4096], *dflt_prefix = NULL;
	int c, state;

	while ((c = getopt_long(argc, argv, INC_COMMON_SHORTOPTS, longopts, NULL)) != -1) {
		if (tool_option(&ctx, c, optarg, usage))
			continue;
		switch (c) {
		case O_FORMAT: opt.format = optarg; break;
		case O_MAP: mapname = optarg; break;
		case O_PREFIX: prefix = optarg; break;
		case O_LIVE: opt.live = 1; break;
		default: inc_usage_error(usage);
		}
	}
	if (optind < argc || !opt.format)
		inc_usage_error(usage);
	if (!inc_in_list(opt.format, formats))
		inc_die(INC_EXIT_USAGE, "--format: unknown format \"%s\" (want servicenow, xes,"
			" helpdesk, csv or jsonl)", opt.format);
	if (strcmp(opt.format, "jsonl") == 0 && mapname)
		inc_die(INC_EXIT_USAGE, "--map: the jsonl format is inc's own events: it takes no"
			" mapping");
	if (strcmp(opt.format, "csv") == 0 && !mapname)
		inc_die(INC_EXIT_USAGE, "--format csv: needs --map FILE (the columns' meaning)");
	tool_need_input(0, usage);
	tool_config(&ctx);
	if (strcmp(opt.format, "jsonl") != 0) {
		if (!mapname)
			mapname = strcmp(opt.format, "xes") == 0 ? "bpi2013" : opt.format;
		if (!inc_import_map_path(mapname, path, sizeof path))
			inc_die(INC_EXIT_USAGE, "--map: no shipped mapping \"%s\"", mapname);
		if (!(map = inc_import_map_load(path, err)))
			inc_die(INC_EXIT_USAGE, "%s", err);
		opt.map = map;
	}
	if (!prefix)
		prefix = dflt_prefix = inc_import_prefix(map);
	opt.prefix = prefix;
	tool_db(&ctx);
	/* another desk's acts recorded under their own actors: on a server,
	 * only an admin's login acts for others */
	if (!inc_may(ctx.cfg, ctx.actor, INC_ACT_REASSIGN, NULL) ||
	    inc_ctx_self_only(&ctx)) {
		if (inc_ctx_self_only(&ctx))
			inc_warn("%s: may not import history: it records others' acts, which only an"
				 " admin's login may", ctx.login);
		else
			inc_warn("%s: may not import history (role %s): it assigns and reassigns"
				 " across groups", ctx.actor, inc_role_name(ctx.role));
		ctx.status = INC_EXIT_REFUSED;
		inc_import_map_free(map);
		free(dflt_prefix);
		return tool_close(&ctx);
	}
	if ((state = inc_sla_config_state(&ctx, err)) < 0)
		tool_db_fail(&ctx, err);
	if (state == INC_SLACFG_CHANGED)
		inc_die(INC_EXIT_USAGE, "%s: the SLA policies, calendars or escalation delays changed"
			" since the due times were computed: run inc-sla --recompute to apply them"
			" to the open incidents", ctx.cfg->path);
	if (inc_import(&ctx, stdin, &opt, &st, err) < 0) {
		if (st.stopped) {
			inc_warn("%s (nothing imported)", err);
			ctx.status = INC_EXIT_REFUSED;
		} else {
			inc_warn("%s: %s", inc_db_name(ctx.db), err);
			ctx.status = INC_EXIT_DB;
		}
	}
	if (isatty(2))
		inc_warn("%lld events, %lld incidents imported, %lld there already, %lld rows and"
			 " %lld incidents refused, %lld watched from now on", (long long)st.events,
			 (long long)st.incidents, (long long)st.existing, (long long)st.refused,
			 (long long)st.failed, (long long)st.live);
	inc_import_map_free(map);
	free(dflt_prefix);
	return tool_close(&ctx);
}
