/*
 * inc-update - a technician's everyday moves on incidents: status, notes,
 * fields, major, links; from options, or from patch objects on stdin.
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tool.h"

static const char usage[] =
	"inc-update [-d DB] [-c CONFIG] [--now TIME] [--as USER]"
	" [--status in_progress|on_hold|cancelled] [-m|--note TEXT] [-r|--reply TEXT]"
	" [--set FIELD=VALUE]..."
	" [--major|--no-major] [--link TYPE:REF]... [ID...] [< patches.jsonl]";

/* --set FIELD=VALUE into opt->set; values checked once the config is read. */
static void
add_set(struct inc_change *opt, char *arg)
{
	char *eq = strchr(arg, '=');
	const struct inc_field *f;
	json_t *v, *custom;

	if (!eq || eq == arg)
		inc_die(INC_EXIT_USAGE, "--set: want FIELD=VALUE, got \"%s\"", arg);
	if (!inc_utf8_valid(arg, strlen(arg)))
		inc_die(INC_EXIT_USAGE, "--set: not valid UTF-8");
	*eq = '\0';
	if (strcmp(arg, "status") == 0)
		inc_die(INC_EXIT_USAGE, "--set: use --status to change the status");
	if (strcmp(arg, "major") == 0) {
		if (strcmp(eq + 1, "true") && strcmp(eq + 1, "false"))
			inc_die(INC_EXIT_USAGE, "--set: major: expected true or false");
		opt->major = strcmp(eq + 1, "true") == 0;
		return;
	}
	if (!(strncmp(arg, "custom.", 7) == 0 && arg[7]) &&
	    (!(f = inc_field_find(arg)) || !(f->flags & INC_F_SET) || strcmp(arg, "custom") == 0)) {
		char want[512];
		size_t n = 0;

		want[0] = '\0';
		for (size_t i = 0; i < inc_nfields && n < sizeof want; i++)
			if ((inc_fields[i].flags & INC_F_SET) && strcmp(inc_fields[i].name, "custom"))
				n += (size_t)snprintf(want + n, sizeof want - n, "%s, ",
						      inc_fields[i].name);
		inc_die(INC_EXIT_USAGE, "--set: unknown field \"%s\" (want %smajor or custom.KEY)",
			arg, want);
	}
	v = eq[1] ? json_string(eq + 1) : json_null();	/* FIELD= clears it */
	if (strncmp(arg, "custom.", 7) == 0) {
		if (!(custom = json_object_get(opt->set, "custom")))
			json_object_set_new(opt->set, "custom", custom = json_object());
		json_object_set_new(custom, arg + 7, v);
	} else {
		json_object_set_new(opt->set, arg, v);
	}
}

/* What the config does not know is a usage error, before anything is done. */
static void
check_set(struct inc_ctx *ctx, json_t *set)
{
	struct inc_incident t;
	char err[INC_ERRLEN];
	const char *k, *s;
	json_t *v;

	inc_incident_init(&t);
	json_object_foreach(set, k, v) {
		s = json_string_value(v);
		if (strcmp(k, "group") == 0 && !inc_config_group(ctx->cfg, s) &&
		    inc_config_unknown_group(ctx->cfg, s, err) < 0)
			inc_die(INC_EXIT_USAGE, "--set: group: %s", err);
		if (strcmp(k, "assignee") == 0 && !inc_assignable(ctx->cfg, s) &&
		    inc_config_unknown_person(ctx->cfg, "technician", s, 1, err) < 0)
			inc_die(INC_EXIT_USAGE, "--set: assignee: %s", err);
		if (strcmp(k, "subcategory") == 0 && s && !inc_config_category(ctx->cfg, NULL, s) &&
		    inc_config_unknown_category(ctx->cfg, NULL, s, err) < 0)
			inc_die(INC_EXIT_USAGE, "--set: subcategory: %s", err);
		if (strcmp(k, "group") && strcmp(k, "assignee") && strcmp(k, "subcategory") &&
		    inc_field_set(ctx->cfg, &t, k, v, err) < 0)
			inc_die(INC_EXIT_USAGE, "--set: %s", err);
	}
	inc_incident_clear(&t);
}

int
main(int argc, char **argv)
{
	enum { O_STATUS = INC_OPT_TOOL, O_SET, O_MAJOR, O_NO_MAJOR, O_LINK };
	static const struct option longopts[] = {
		INC_COMMON_LONGOPTS,
		{"status", required_argument, 0, O_STATUS},
		{"note", required_argument, 0, 'm'},
		{"reply", required_argument, 0, 'r'},
		{"set", required_argument, 0, O_SET},
		{"major", no_argument, 0, O_MAJOR},
		{"no-major", no_argument, 0, O_NO_MAJOR},
		{"link", required_argument, 0, O_LINK},
		{0, 0, 0, 0}
	};
	struct inc_ctx ctx = {0};
	struct inc_change opt = {.major = -1};
	char err[INC_ERRLEN];
	int c, named;

	opt.set = json_object();
	while ((c = getopt_long(argc, argv, INC_COMMON_SHORTOPTS "m:r:", longopts, NULL)) != -1) {
		if (tool_option(&ctx, c, optarg, usage))
			continue;
		switch (c) {
		case O_STATUS:
			if (inc_update_status_target(optarg, err) < 0)
				inc_die(INC_EXIT_USAGE, "--status: %s", err);
			opt.status = optarg;
			break;
		case 'm':
			if (!*optarg || !inc_utf8_valid(optarg, strlen(optarg)))
				inc_die(INC_EXIT_USAGE, "--note: expected non-empty UTF-8 text");
			opt.note = optarg;
			break;
		case 'r':
			if (!*optarg || !inc_utf8_valid(optarg, strlen(optarg)))
				inc_die(INC_EXIT_USAGE, "--reply: expected non-empty UTF-8 text");
			opt.reply = optarg;
			break;
		case O_SET: add_set(&opt, optarg); break;
		case O_MAJOR: opt.major = 1; break;
		case O_NO_MAJOR: opt.major = 0; break;
		case O_LINK:
			if (!opt.links)
				opt.links = json_array();
			if (inc_links_add_ref(opt.links, optarg, err) < 0)
				inc_die(INC_EXIT_USAGE, "--link: %s",
					strncmp(err, "links: ", 7) == 0 ? err + 7 : err);
			break;
		default: inc_usage_error(usage);
		}
	}
	named = opt.status || opt.note || opt.reply || json_object_size(opt.set) || opt.major >= 0 ||
		opt.links;
	if (optind < argc && !named)
		inc_die(INC_EXIT_USAGE, "nothing to change (want --status, --note, --reply, --set, --major or --link)");
	tool_need_input(argc - optind, usage);
	tool_config(&ctx);
	check_set(&ctx, opt.set);
	tool_db(&ctx);
	if (opt.major >= 0 && !inc_may(ctx.cfg, ctx.actor, INC_ACT_MAJOR, NULL))
		inc_die(INC_EXIT_USAGE, "--%smajor: %s may not %s a major incident (role %s)",
			opt.major ? "" : "no-", ctx.actor, opt.major ? "declare" : "undeclare",
			inc_role_name(ctx.role));
	inc_each(&ctx, argc - optind, argv + optind, stdin, INC_EACH_NEEDS_ID, inc_update_record, &opt);
	json_decref(opt.set);
	json_decref(opt.links);
	return tool_close(&ctx);
}
