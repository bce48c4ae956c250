/*
 * inc-task - tasks of an incident: add, start, done, cancel, list. Never
 * reads stdin.
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "tool.h"

#define COMMON "[-d DB] [-c CONFIG] [--now TIME] [--as USER]"
static const char usage[] =
	"inc-task " COMMON " add ID --title TITLE [--group G] [--assignee A] [--due TIME]\n"
	"       inc-task " COMMON " start|done|cancel TASK...\n"
	"       inc-task " COMMON " list [--format jsonl|table] [ID...]";

struct opts {
	struct inc_task t;	/* add: what the new task gets */
	const char *to;		/* start, done, cancel: the new status */
	int table, width;
};

static void
table_row(struct inc_ctx *ctx, const struct inc_task *t, int width)
{
	static const size_t w[] = {5, 8, 11, 12, 8, 16};
	static const char *const head[] = {"ID", "INCIDENT", "STATUS", "GROUP", "ASSIGNEE",
		"DUE", "TITLE"};
	char id[24], inc[24], due[INC_TIMELEN];

	if (!t) {
		inc_table_row(&ctx->out, head, w, 7, width);
		return;
	}
	snprintf(id, sizeof id, "%lld", (long long)t->id);
	snprintf(inc, sizeof inc, "%lld", (long long)t->incident);
	inc_table_row(&ctx->out, (const char *const[]){id, inc, t->status, t->group,
		t->assignee, t->due == INC_NULL ? NULL : inc_time_local(t->due, ctx->cfg->tz, due),
		t->title}, w, 7, width);
}

static void
list_one(struct inc_ctx *ctx, const struct inc_task *t, void *arg)
{
	struct opts *o = arg;

	if (o->table)
		table_row(ctx, t, o->width);
	else
		inc_emit_json(ctx, inc_task_json(t));
	if (ctx->out.len > 65536)
		inc_ctx_flush(ctx);
}

static int
add(struct inc_ctx *ctx, const char *where, json_t *line, int64_t id, void *arg,
    char *err)
{
	struct opts *o = arg;

	(void)where; (void)line;
	o->t.incident = id;
	if (inc_task_add(ctx, &o->t, err) < 0)
		return -1;
	inc_emit_json(ctx, inc_task_json(&o->t));
	return 0;
}

static int
move(struct inc_ctx *ctx, const char *where, json_t *line, int64_t id, void *arg,
     char *err)
{
	struct opts *o = arg;
	struct inc_task t;
	int rc;

	(void)where; (void)line;
	inc_task_init(&t);
	rc = inc_task_load(ctx, id, &t, err);
	if (rc == 0)
		rc = inc_err(err, "no such task");
	if (rc > 0)
		rc = inc_task_set_status(ctx, &t, o->to, err);
	if (rc >= 0)
		inc_emit_json(ctx, inc_task_json(&t));
	inc_task_clear(&t);
	return rc < 0 ? -1 : 0;
}

static void
list(struct inc_ctx *ctx, struct opts *o, char **ids, int n)
{
	char err[INC_ERRLEN];

	o->width = inc_term_width();
	if (o->table)
		table_row(ctx, NULL, o->width);
	if (n == 0 && inc_task_list(ctx, INC_NULL, list_one, o, err) < 0)
		tool_db_fail(ctx, err);
	for (int i = 0; i < n; i++) {
		int64_t id;

		inc_parse_id(ids[i], &id);	/* checked before */
		if (inc_task_list(ctx, id, list_one, o, err) < 0) {
			if (inc_db_failed(ctx->db))
				tool_db_fail(ctx, err);
			inc_warn("%s: %s", ids[i], err);
			ctx->status = INC_EXIT_REFUSED;
		}
	}
}

/* A group and a person the config must know (any name when it lists no
 * people): exit 2, naming the valid ones. */
static void
known(struct inc_ctx *ctx, const char *group, const char *assignee)
{
	char err[INC_ERRLEN];

	if (group && !inc_config_group(ctx->cfg, group) &&
	    inc_config_unknown_group(ctx->cfg, group, err) < 0)
		inc_die(INC_EXIT_USAGE, "--group: %s", err);
	if (assignee && ctx->cfg->npeople && !inc_config_person(ctx->cfg, assignee) &&
	    inc_config_unknown_person(ctx->cfg, "assignee", assignee, 0, err) < 0)
		inc_die(INC_EXIT_USAGE, "--assignee: %s", err);
}

int
main(int argc, char **argv)
{
	enum { O_TITLE = INC_OPT_TOOL, O_GROUP, O_ASSIGNEE, O_DUE, O_FORMAT };
	static const struct option longopts[] = {
		INC_COMMON_LONGOPTS,
		{"title", required_argument, 0, O_TITLE},
		{"group", required_argument, 0, O_GROUP},
		{"assignee", required_argument, 0, O_ASSIGNEE},
		{"due", required_argument, 0, O_DUE},
		{"format", required_argument, 0, O_FORMAT},
		{0, 0, 0, 0}
	};
	static const char *const verbs[][2] = {{"add", NULL}, {"start", "in_progress"},
		{"done", "done"}, {"cancel", "cancelled"}, {"list", NULL}};
	struct inc_ctx ctx = {0};
	struct opts o = {0};
	const char *title = NULL, *group = NULL, *assignee = NULL, *due = NULL, *verb;
	int c, v, n, format = 0;
	char **args;

	while ((c = getopt_long(argc, argv, INC_COMMON_SHORTOPTS, longopts, NULL)) != -1) {
		if (tool_option(&ctx, c, optarg, usage))
			continue;
		switch (c) {
		case O_TITLE: title = optarg; break;
		case O_GROUP: group = optarg; break;
		case O_ASSIGNEE: assignee = optarg; break;
		case O_DUE: due = optarg; break;
		case O_FORMAT:
			format = 1;
			if (strcmp(optarg, "table") == 0)
				o.table = 1;
			else if (strcmp(optarg, "jsonl") != 0)
				inc_die(INC_EXIT_USAGE, "--format: unknown format \"%s\" (want jsonl or table)", optarg);
			break;
		default: inc_usage_error(usage);
		}
	}
	if (optind == argc)
		inc_usage_error(usage);
	verb = argv[optind];
	args = argv + optind + 1;
	n = argc - optind - 1;
	for (v = 0; v < 5 && strcmp(verb, verbs[v][0]) != 0; v++)
		;
	if (v == 5)
		inc_die(INC_EXIT_USAGE, "%s: unknown command (want add, start, done, cancel or list)", verb);
	if (v != 0 && (title || group || assignee || due))
		inc_die(INC_EXIT_USAGE, "--title, --group, --assignee and --due go with add");
	if (v != 4 && format)
		inc_die(INC_EXIT_USAGE, "--format goes with list");
	if (v == 0 && (n != 1 || !title))
		inc_die(INC_EXIT_USAGE, "add: want one incident ID and --title");
	if (v != 0 && v != 4 && n == 0)
		inc_die(INC_EXIT_USAGE, "%s: want a TASK id", verb);
	for (int i = 0; i < n; i++) {
		int64_t id;

		if ((v == 0 || v == 4) ? inc_parse_id(args[i], &id) < 0 :
		    inc_task_parse_id(args[i], &id) < 0)
			inc_die(INC_EXIT_USAGE, "%s: not %s id", args[i],
				(v == 0 || v == 4) ? "an incident" : "a task");
	}
	if (title && (!*title || !inc_utf8_valid(title, strlen(title))))
		inc_die(INC_EXIT_USAGE, "--title: empty or not valid UTF-8");
	tool_config(&ctx);
	known(&ctx, group, assignee);
	inc_task_init(&o.t);
	if (due && inc_time_parse_tz(due, ctx.now, 1, ctx.cfg->tz, &o.t.due) < 0)
		inc_die(INC_EXIT_USAGE, "--due: bad time \"%s\"", due);
	o.t.title = inc_xstrdup(title);
	o.t.group = inc_xstrdup(group);
	if (assignee && ctx.cfg->npeople)	/* an e-mail address names a person */
		assignee = inc_config_person(ctx.cfg, assignee)->name;
	o.t.assignee = inc_xstrdup(assignee);
	o.to = verbs[v][1];
	ctx.read_only = v == 4;	/* list */
	tool_db(&ctx);
	if (v == 0)
		inc_each(&ctx, n, args, stdin, 0, add, &o);
	else if (v == 4)
		list(&ctx, &o, args, n);
	else
		inc_each(&ctx, n, args, stdin, 0, move, &o);
	inc_task_clear(&o.t);
	return tool_close(&ctx);
}
