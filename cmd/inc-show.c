/*
 * inc-show - select incidents and write their records, a table, or CSV.
 * The selection is lib/show.c's.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "tool.h"

static const char usage[] =
	"inc-show [-d DB] [-c CONFIG] [--now TIME] [--as USER] [--status S[,S...]] [--open]"
	" [--priority P] [--group G] [--assignee A] [--category C] [--requester R] [--major]"
	" [--breached] [--since TIME] [--until TIME] [--grep REGEX] [--sort [-]FIELD[,...]]"
	" [--limit N] [--history] [--format jsonl|table|csv|tsv] [ID...]";

enum format { F_JSONL, F_TABLE, F_CSV, F_TSV };

struct out {
	enum format format;
	int history;
	struct inc_table table;
};

static void
one(struct inc_ctx *ctx, int64_t id, const struct inc_incident *r, const char *why, void *arg)
{
	struct out *o = arg;
	char err[INC_ERRLEN], *cells[INC_SHOW_NCOLS];
	json_t *extra = NULL;

	if (!r) {
		inc_warn("%lld: %s", (long long)id, why);
		ctx->status = INC_EXIT_REFUSED;
		return;
	}
	switch (o->format) {
	case F_TABLE:
		inc_show_cells(ctx, r, 1, cells);
		inc_table_add(&o->table, cells);
		return;
	case F_CSV:
	case F_TSV:
		inc_show_cells(ctx, r, 0, cells);
		inc_sv_row(&ctx->out, (const char *const *)cells, INC_SHOW_NCOLS,
			   o->format == F_CSV ? ',' : '\t');
		for (int i = 0; i < INC_SHOW_NCOLS; i++)
			free(cells[i]);
		break;
	case F_JSONL:
		if (o->history) {
			json_t *h = inc_history(ctx, id, err);

			if (!h)
				tool_db_fail(ctx, err);
			extra = json_pack("{s:o}", "history", h);
		}
		inc_incident_write(&ctx->out, r, NULL, extra);
		inc_buf_add(&ctx->out, "\n", 1);
		json_decref(extra);
		break;
	}
	if (ctx->out.len > 65536)
		inc_ctx_flush(ctx);
}

/* A filter value the config does not know: exit 2, naming the valid ones. */
static void
unknown(const char *opt, int rc, const char *err)
{
	if (rc < 0)
		inc_die(INC_EXIT_USAGE, "--%s: %s", opt, err);
}

static json_t *
statuses(const char *list)
{
	char *copy = inc_xstrdup(list), *save = NULL, want[256];
	json_t *a = json_array();

	for (char *s = strtok_r(copy, ",", &save); s; s = strtok_r(NULL, ",", &save)) {
		if (inc_status_parse(s) < 0)
			inc_die(INC_EXIT_USAGE, "--status: unknown status \"%s\" (%s)", s,
				inc_vocab_want(&inc_statuses, want, sizeof want));
		json_array_append_new(a, json_string(s));
	}
	free(copy);
	if (json_array_size(a) == 0)
		inc_die(INC_EXIT_USAGE, "--status: no status given");
	return a;
}

int
main(int argc, char **argv)
{
	enum { O_STATUS = INC_OPT_TOOL, O_OPEN, O_PRIORITY, O_GROUP, O_ASSIGNEE, O_CATEGORY,
	       O_REQUESTER, O_MAJOR, O_BREACHED, O_SINCE, O_UNTIL, O_LIMIT, O_HISTORY,
	       O_FORMAT, O_GREP, O_SORT };
	static const struct option longopts[] = {
		INC_COMMON_LONGOPTS,
		{"status", required_argument, 0, O_STATUS},
		{"open", no_argument, 0, O_OPEN},
		{"priority", required_argument, 0, O_PRIORITY},
		{"group", required_argument, 0, O_GROUP},
		{"assignee", required_argument, 0, O_ASSIGNEE},
		{"category", required_argument, 0, O_CATEGORY},
		{"requester", required_argument, 0, O_REQUESTER},
		{"major", no_argument, 0, O_MAJOR},
		{"breached", no_argument, 0, O_BREACHED},
		{"since", required_argument, 0, O_SINCE},
		{"until", required_argument, 0, O_UNTIL},
		{"grep", required_argument, 0, O_GREP},
		{"sort", required_argument, 0, O_SORT},
		{"limit", required_argument, 0, O_LIMIT},
		{"history", no_argument, 0, O_HISTORY},
		{"format", required_argument, 0, O_FORMAT},
		{0, 0, 0, 0}
	};
	static const char *const formats[] = {"jsonl", "table", "csv", "tsv"};
	struct inc_ctx ctx = {0};
	struct inc_filter f = {.since = INC_NULL, .until = INC_NULL, .limit = INC_NULL};
	struct out o = {.table = {INC_SHOW_NCOLS, inc_show_head, inc_show_min, NULL, 0, 0}};
	const char *since = NULL, *until = NULL, *status = NULL, *re = NULL, *sort = NULL;
	struct inc_rule_re *grep = NULL;
	json_t *ids = NULL, *sts = NULL;
	char err[INC_ERRLEN];
	int c;

	while ((c = getopt_long(argc, argv, INC_COMMON_SHORTOPTS, longopts, NULL)) != -1) {
		if (tool_option(&ctx, c, optarg, usage))
			continue;
		switch (c) {
		case O_STATUS: status = optarg; break;
		case O_OPEN: f.open = 1; break;
		case O_PRIORITY: f.priority = optarg; break;
		case O_GROUP: f.group = optarg; break;
		case O_ASSIGNEE: f.assignee = optarg; break;
		case O_CATEGORY: f.category = optarg; break;
		case O_REQUESTER: f.requester = optarg; break;
		case O_MAJOR: f.major = 1; break;
		case O_BREACHED: f.breached = 1; break;
		case O_SINCE: since = optarg; break;
		case O_UNTIL: until = optarg; break;
		case O_GREP: re = optarg; break;
		case O_SORT: sort = optarg; break;
		case O_LIMIT:
			if (!isdigit((unsigned char)*optarg) || inc_parse_id(optarg, &f.limit) < 0)
				inc_die(INC_EXIT_USAGE, "--limit: expected a positive number, got \"%s\"", optarg);
			break;
		case O_HISTORY: o.history = 1; break;
		case O_FORMAT:
			for (c = 0; c < 4 && strcmp(optarg, formats[c]) != 0; c++)
				;
			/* json: the name the first versions took */
			if (c == 4 && strcmp(optarg, "json") != 0)
				inc_die(INC_EXIT_USAGE, "--format: unknown format \"%s\""
					" (want jsonl, table, csv or tsv)", optarg);
			o.format = c == 4 ? F_JSONL : (enum format)c;
			break;
		default: inc_usage_error(usage);
		}
	}
	if (sort && inc_sort_parse(sort, &f, err) < 0)
		inc_die(INC_EXIT_USAGE, "--sort: %s", err);
	if (re && !(grep = inc_rule_re_new(re, err)))
		inc_die(INC_EXIT_USAGE, "--grep: bad regex \"%s\": %s", re, err);
	f.grep = grep;
	if (optind < argc) {
		f.ids = ids = json_array();
		for (int i = optind; i < argc; i++) {
			int64_t id;

			if (inc_parse_id(argv[i], &id) < 0)
				inc_die(INC_EXIT_USAGE, "%s: not an incident id", argv[i]);
			json_array_append_new(ids, json_integer(id));
		}
	}
	if (o.format != F_JSONL && o.history)
		inc_die(INC_EXIT_USAGE, "--history needs --format jsonl");
	ctx.read_only = 1;
	tool_config(&ctx);
	if (status)
		f.statuses = sts = statuses(status);
	if (f.priority && inc_config_level(ctx.cfg->priority, f.priority) < 0)
		unknown("priority", inc_config_unknown(ctx.cfg->priority, "priority", f.priority, err), err);
	if (f.group && !inc_config_group(ctx.cfg, f.group))
		unknown("group", inc_config_unknown_group(ctx.cfg, f.group, err), err);
	if (f.category && !inc_config_category(ctx.cfg, f.category, NULL))
		unknown("category", inc_config_unknown_category(ctx.cfg, f.category, NULL, err), err);
	if (f.assignee && ctx.cfg->npeople && !inc_config_person(ctx.cfg, f.assignee))
		unknown("assignee", inc_config_unknown_person(ctx.cfg, "assignee", f.assignee, 0, err), err);
	if (since && inc_time_parse_tz(since, ctx.now, 1, ctx.cfg->tz, &f.since) < 0)
		inc_die(INC_EXIT_USAGE, "--since: bad time \"%s\"", since);
	if (until && inc_time_parse_tz(until, ctx.now, 1, ctx.cfg->tz, &f.until) < 0)
		inc_die(INC_EXIT_USAGE, "--until: bad time \"%s\"", until);
	tool_db(&ctx);
	if (o.format == F_CSV || o.format == F_TSV)
		inc_sv_row(&ctx.out, inc_show_sv_head, INC_SHOW_NCOLS, o.format == F_CSV ? ',' : '\t');
	if (inc_show(&ctx, &f, one, &o, err) < 0)
		tool_db_fail(&ctx, err);
	if (o.format == F_TABLE)
		inc_table_write(&ctx.out, &o.table, inc_term_width());
	inc_table_free(&o.table);
	inc_rule_re_free(grep);
	json_decref(sts);
	json_decref(ids);
	return tool_close(&ctx);
}
