/*
 * inc-close - resolve, confirm (close with the requester's rating), reopen,
 * and close resolutions nobody confirmed in time.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tool.h"

#define COMMON "[-d DB] [-c CONFIG] [--now TIME] [--as USER]"
static const char usage[] =
	"inc-close " COMMON " --resolution TEXT [--workaround] [--code CODE] [--force] [ID...]\n"
	"       inc-close " COMMON " --confirm [--rating N] [--feedback TEXT] [--force [--code CODE]] [ID...]\n"
	"       inc-close " COMMON " --reopen --reason TEXT [ID...]\n"
	"       inc-close " COMMON " --expire DURATION";

static int
close_one(struct inc_ctx *ctx, const char *where, json_t *line, int64_t id, void *arg,
	  char *err)
{
	(void)where; (void)line;
	return inc_close_one(ctx, id, arg, err);
}

/* A text option: not empty, valid UTF-8. */
static const char *
text(const char *opt, const char *v)
{
	if (!*v)
		inc_die(INC_EXIT_USAGE, "--%s: empty", opt);
	if (!inc_utf8_valid(v, strlen(v)))
		inc_die(INC_EXIT_USAGE, "--%s: not valid UTF-8", opt);
	return v;
}

int
main(int argc, char **argv)
{
	enum { O_RESOLUTION = INC_OPT_TOOL, O_WORKAROUND, O_CODE, O_CONFIRM, O_RATING,
	       O_FEEDBACK, O_REOPEN, O_REASON, O_EXPIRE, O_FORCE };
	static const struct option longopts[] = {
		INC_COMMON_LONGOPTS,
		{"resolution", required_argument, 0, O_RESOLUTION},
		{"workaround", no_argument, 0, O_WORKAROUND},
		{"code", required_argument, 0, O_CODE},
		{"confirm", no_argument, 0, O_CONFIRM},
		{"rating", required_argument, 0, O_RATING},
		{"feedback", required_argument, 0, O_FEEDBACK},
		{"reopen", no_argument, 0, O_REOPEN},
		{"reason", required_argument, 0, O_REASON},
		{"expire", required_argument, 0, O_EXPIRE},
		{"force", no_argument, 0, O_FORCE},
		{0, 0, 0, 0}
	};
	struct inc_ctx ctx = {0};
	struct inc_close o = {.rating = INC_NULL, .cutoff = INC_NULL};
	const char *expire_arg = NULL;
	char err[INC_ERRLEN];
	int c, modes = 0;

	while ((c = getopt_long(argc, argv, INC_COMMON_SHORTOPTS, longopts, NULL)) != -1) {
		if (tool_option(&ctx, c, optarg, usage))
			continue;
		switch (c) {
		case O_RESOLUTION: o.resolution = text("resolution", optarg); break;
		case O_WORKAROUND: o.workaround = 1; break;
		case O_CODE: o.code = optarg; break;
		case O_CONFIRM: modes |= 1 << INC_CLOSE_CONFIRM; break;
		case O_RATING: {
			char *end;
			long v;

			errno = 0;
			v = strtol(optarg, &end, 10);
			if (!*optarg || *end || errno)
				inc_die(INC_EXIT_USAGE, "--rating: want 1 to 5, got \"%s\"", optarg);
			o.rating = v;
			break;
		}
		case O_FEEDBACK: o.feedback = text("feedback", optarg); break;
		case O_REOPEN: modes |= 1 << INC_CLOSE_REOPEN; break;
		case O_REASON: o.reason = text("reason", optarg); break;
		case O_EXPIRE: expire_arg = optarg; break;
		case O_FORCE: ctx.force = 1; break;
		default: inc_usage_error(usage);
		}
	}
	if (o.resolution)
		modes |= 1 << INC_CLOSE_RESOLVE;
	if (expire_arg)
		modes |= 1 << INC_CLOSE_EXPIRE;
	if (modes == 0)
		inc_die(INC_EXIT_USAGE, "want one of --resolution, --confirm, --reopen, --expire");
	if (modes & (modes - 1))
		inc_die(INC_EXIT_USAGE, "--resolution, --confirm, --reopen and --expire"
			" exclude each other");
	for (o.mode = INC_CLOSE_RESOLVE; !(modes & 1 << o.mode); o.mode++)
		;
	if (o.workaround && o.mode != INC_CLOSE_RESOLVE)
		inc_die(INC_EXIT_USAGE, "--workaround goes with --resolution");
	if (o.code && o.mode != INC_CLOSE_RESOLVE && !(o.mode == INC_CLOSE_CONFIRM && ctx.force))
		inc_die(INC_EXIT_USAGE, "--code goes with --resolution, or with --confirm --force");
	if ((o.rating != INC_NULL || o.feedback) && o.mode != INC_CLOSE_CONFIRM)
		inc_die(INC_EXIT_USAGE, "--rating and --feedback go with --confirm");
	if (!!o.reason != (o.mode == INC_CLOSE_REOPEN))
		inc_die(INC_EXIT_USAGE, "--reopen needs --reason, and --reason --reopen");
	if (ctx.force && o.mode != INC_CLOSE_RESOLVE && o.mode != INC_CLOSE_CONFIRM)
		inc_die(INC_EXIT_USAGE, "--force goes with --resolution or --confirm");
	if (o.mode == INC_CLOSE_EXPIRE && optind < argc)
		inc_die(INC_EXIT_USAGE, "--expire takes no ids: it finds the incidents itself");
	if (o.mode != INC_CLOSE_EXPIRE)
		tool_need_input(argc - optind, usage);
	tool_config(&ctx);
	if (inc_close_check(ctx.cfg, &o, err) < 0)
		inc_die(INC_EXIT_USAGE, "%s", err);
	if (expire_arg) {
		int64_t d;

		if (inc_duration_parse(expire_arg, &d) < 0)
			inc_die(INC_EXIT_USAGE, "--expire: bad duration \"%s\"", expire_arg);
		o.cutoff = ctx.now - d;
	}
	/* the actor is known once the database is (a server's login); who
	 * may force or expire does not depend on the incident: asked once */
	tool_db(&ctx);
	if (ctx.force && !inc_may(ctx.cfg, ctx.actor, INC_ACT_FORCE, NULL))
		inc_die(INC_EXIT_USAGE, "--force: %s may not force (role %s)", ctx.actor,
			inc_role_name(ctx.role));
	if (expire_arg && !inc_may(ctx.cfg, ctx.actor, INC_ACT_WORK, NULL))
		inc_die(INC_EXIT_USAGE, "--expire: %s may not close incidents (role %s)",
			ctx.actor, inc_role_name(ctx.role));
	if (o.mode == INC_CLOSE_EXPIRE)
		inc_each_query(&ctx, inc_close_expired(&ctx, o.cutoff), close_one, &o);
	else
		inc_each(&ctx, argc - optind, argv + optind, stdin,
			 INC_EACH_NEEDS_ID | INC_EACH_NO_LINE, close_one, &o);
	return tool_close(&ctx);
}
