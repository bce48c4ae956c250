/*
 * inc-report - KPIs of the incidents created in a window, grouped by
 * fields; the open backlog by age; the post-incident review of one
 * incident. Reads no stdin. The figures are lib/kpi.c's, the review
 * lib/review.c's.
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "tool.h"

static const char usage[] =
	"inc-report [-d DB] [-c CONFIG] [--now TIME] [--as USER] [--by FIELD[,FIELD...]]"
	" [--since TIME] [--until TIME] [--aging] [--format jsonl|csv|tsv|table]\n"
	"       inc-report [-d DB] [-c CONFIG] [--now TIME] [--as USER] --review ID";

/* --by FIELD[,FIELD...], repeatable: appended in order, each once. */
static void
add_by(struct inc_report *rep, const char *arg)
{
	char *list = inc_xstrdup(arg), *save = NULL;

	for (char *s = strtok_r(list, ",", &save); s; s = strtok_r(NULL, ",", &save)) {
		int f = inc_report_by_field(s);

		if (f < 0)
			inc_die(INC_EXIT_USAGE, "--by: unknown field \"%s\" (want category,"
				" subcategory, priority, group, assignee, source, requester, day,"
				" week or month)", s);
		for (int i = 0; i < rep->nby; i++)
			if (rep->by[i] == f)
				inc_die(INC_EXIT_USAGE, "--by: \"%s\" given twice", s);
		rep->by[rep->nby++] = f;	/* ten fields: each fits once */
	}
	free(list);
}

static void
parse_time(struct inc_ctx *ctx, const char *opt, const char *arg, int64_t *out)
{
	if (arg && inc_time_parse_tz(arg, ctx->now, 1, ctx->cfg->tz, out) < 0)
		inc_die(INC_EXIT_USAGE, "--%s: bad time \"%s\"", opt, arg);
}

int
main(int argc, char **argv)
{
	enum { O_BY = INC_OPT_TOOL, O_SINCE, O_UNTIL, O_AGING, O_FORMAT, O_REVIEW };
	static const struct option longopts[] = {
		INC_COMMON_LONGOPTS,
		{"by", required_argument, 0, O_BY},
		{"since", required_argument, 0, O_SINCE},
		{"until", required_argument, 0, O_UNTIL},
		{"aging", no_argument, 0, O_AGING},
		{"format", required_argument, 0, O_FORMAT},
		{"review", required_argument, 0, O_REVIEW},
		{0, 0, 0, 0}
	};
	struct inc_ctx ctx = {0};
	struct inc_report rep = {.since = INC_NULL, .until = INC_NULL};
	const char *since = NULL, *until = NULL, *review = NULL;
	char err[INC_ERRLEN];
	int c, f, report_opts = 0;
	int64_t id = 0;

	while ((c = getopt_long(argc, argv, INC_COMMON_SHORTOPTS, longopts, NULL)) != -1) {
		if (tool_option(&ctx, c, optarg, usage))
			continue;
		report_opts += c != O_REVIEW;
		switch (c) {
		case O_BY: add_by(&rep, optarg); break;
		case O_SINCE: since = optarg; break;
		case O_UNTIL: until = optarg; break;
		case O_AGING: rep.aging = 1; break;
		case O_FORMAT:
			if ((f = inc_report_format(optarg)) < 0)
				inc_die(INC_EXIT_USAGE, "--format: unknown format \"%s\""
					" (want jsonl, csv, tsv or table)", optarg);
			rep.format = f;
			break;
		case O_REVIEW: review = optarg; break;
		default: inc_usage_error(usage);
		}
	}
	if (optind < argc)
		inc_usage_error(usage);
	if (review && report_opts)
		inc_die(INC_EXIT_USAGE, "--review takes no --by, --since, --until, --aging"
			" or --format");
	if (review && inc_parse_id(review, &id) < 0)
		inc_die(INC_EXIT_USAGE, "--review: not an incident id \"%s\"", review);
	tool_config(&ctx);
	parse_time(&ctx, "since", since, &rep.since);
	parse_time(&ctx, "until", until, &rep.until);
	ctx.read_only = 1;
	tool_db(&ctx);
	if (!inc_may(ctx.cfg, ctx.actor, INC_ACT_REPORT, NULL)) {
		inc_warn("%s: may not read reports (role %s)", ctx.actor, inc_role_name(ctx.role));
		ctx.status = INC_EXIT_REFUSED;
		return tool_close(&ctx);
	}
	if (review) {
		int rc = inc_review(&ctx, id, &ctx.out, err);

		if (rc < 0)
			tool_db_fail(&ctx, err);
		if (rc == 0) {
			inc_warn("%lld: no such incident", (long long)id);
			ctx.status = INC_EXIT_REFUSED;
		}
	} else if (inc_report(&ctx, &rep, &ctx.out, err) < 0) {
		tool_db_fail(&ctx, err);
	}
	return tool_close(&ctx);
}
