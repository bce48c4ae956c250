/*
 * inc-escalate - apply the escalation rules to the incidents whose SLA
 * events it has not seen yet in the event log (its cursor "escalate"),
 * then to those named on stdin (typically inc-sla's records) or as
 * arguments; or to every open incident with --all; or escalate by hand
 * with --to. Writes one record per action taken, its event logged for
 * inc-notify.
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tool.h"

static const char usage[] =
	"inc-escalate [-d DB] [-c CONFIG] [--now TIME] [--as USER]"
	" [--all | --to GROUP --reason TEXT [--notify WHO[,WHO...]]] [ID...] < records.jsonl";

struct opts {
	const char *to, *reason;
	json_t *notify;
};

static int
by_rules(struct inc_ctx *ctx, const char *where, json_t *line, int64_t id, void *arg,
	 char *err)
{
	struct inc_incident r;
	int rc;

	(void)where; (void)line; (void)arg;
	inc_incident_init(&r);
	rc = inc_incident_get(ctx, id, &r, err);
	if (rc >= 0)
		rc = inc_escalate_rules(ctx, &r, err);
	inc_incident_clear(&r);
	return rc < 0 ? -1 : 0;
}

/* An SLA event of the log: the rules of its incident. What fails for the
 * incident (gone, its policy no longer configured, a change dated before
 * its last) is said and passed over, so that one incident never holds up
 * every later escalation; whatever its rules wrote before the failure
 * goes too (a rule marked fired with no escalation would never fire). */
static int
by_event(struct inc_ctx *ctx, const struct inc_event_row *e, void *arg, char *err)
{
	char where[32];

	(void)arg;
	if (by_rules(ctx, NULL, NULL, e->incident, NULL, err) == 0)
		return 0;
	if (inc_db_failed(ctx->db))
		return -1;
	snprintf(where, sizeof where, "INC-%lld", (long long)e->incident);
	inc_warn("%s: %s", where, err);
	ctx->status = INC_EXIT_REFUSED;
	return 1;
}

static int
by_hand(struct inc_ctx *ctx, const char *where, json_t *line, int64_t id, void *arg,
	char *err)
{
	struct opts *o = arg;
	struct inc_incident r;
	int rc;

	(void)where; (void)line;
	inc_incident_init(&r);
	rc = inc_incident_get(ctx, id, &r, err);
	if (rc == 0)
		rc = inc_escalate_to(ctx, &r, o->to, o->reason, o->notify, err);
	inc_incident_clear(&r);
	return rc;
}

int
main(int argc, char **argv)
{
	enum { O_ALL = INC_OPT_TOOL, O_TO, O_REASON, O_NOTIFY };
	static const struct option longopts[] = {
		INC_COMMON_LONGOPTS,
		{"all", no_argument, 0, O_ALL},
		{"to", required_argument, 0, O_TO},
		{"reason", required_argument, 0, O_REASON},
		{"notify", required_argument, 0, O_NOTIFY},
		{0, 0, 0, 0}
	};
	struct inc_ctx ctx = {0};
	struct opts o = {0};
	const char *notify = NULL;
	int c, all = 0;

	while ((c = getopt_long(argc, argv, INC_COMMON_SHORTOPTS, longopts, NULL)) != -1) {
		if (tool_option(&ctx, c, optarg, usage))
			continue;
		switch (c) {
		case O_ALL: all = 1; break;
		case O_TO: o.to = optarg; break;
		case O_REASON: o.reason = optarg; break;
		case O_NOTIFY: notify = optarg; break;
		default: inc_usage_error(usage);
		}
	}
	if ((all && (o.to || optind < argc)) || (!o.to && (o.reason || notify)))
		inc_usage_error(usage);
	if (o.to && (!o.reason || !*o.reason))
		inc_die(INC_EXIT_USAGE, "--to needs --reason TEXT");
	if (o.reason && !inc_utf8_valid(o.reason, strlen(o.reason)))
		inc_die(INC_EXIT_USAGE, "--reason: not valid UTF-8");
	if (o.to)
		tool_need_input(argc - optind, usage);
	tool_config(&ctx);
	if (o.to && !inc_config_group(ctx.cfg, o.to)) {
		char err[INC_ERRLEN];

		inc_config_unknown_group(ctx.cfg, o.to, err);
		inc_die(INC_EXIT_USAGE, "--to: %s", err);
	}
	if (notify) {
		size_t i;
		json_t *w;

		o.notify = inc_split_json(notify);
		json_array_foreach(o.notify, i, w)
			if (!inc_config_notify_target(ctx.cfg, json_string_value(w)))
				inc_die(INC_EXIT_USAGE, "--notify: \"%s\" is no one (want %s)",
					json_string_value(w), INC_NOTIFY_WANT);
	}
	for (int i = optind; i < argc; i++) {
		int64_t id;

		if (inc_parse_id(argv[i], &id) < 0)
			inc_die(INC_EXIT_USAGE, "%s: not an incident id", argv[i]);
	}
	tool_db(&ctx);
	if (!o.to) {
		char err[INC_ERRLEN];
		int st = inc_sla_config_state(&ctx, err);

		/* the rules read due times: never those of a config not yet applied */
		if (st < 0)
			tool_db_fail(&ctx, err);
		if (st == INC_SLACFG_CHANGED)
			tool_stale_warning(&ctx);
	}
	if (all) {
		inc_each_query(&ctx, inc_sql(ctx.db, "SELECT id FROM incident WHERE"
					     " sla_policy IS NOT NULL AND " INC_SQL_OPEN),
			       by_rules, NULL);
	} else if (o.to) {
		inc_each(&ctx, argc - optind, argv + optind, stdin,
			 INC_EACH_NEEDS_ID | INC_EACH_NO_LINE, by_hand, &o);
	} else {
		/* the log first: a breach inc-sla reported to someone else, a
		 * run refused or killed, is escalated all the same; the cursor
		 * is an incident manager's or admin's to move, as functional
		 * rules need one */
		if (optind == argc && inc_may(ctx.cfg, ctx.actor, INC_ACT_REASSIGN, NULL)) {
			json_t *kinds = json_pack("[ss]", "sla_warning", "sla_breached");

			inc_consume(&ctx, "escalate", kinds, by_event, NULL);
			json_decref(kinds);
		}
		if (ctx.status != INC_EXIT_DB && (optind < argc || !isatty(0)))
			inc_each(&ctx, argc - optind, argv + optind, stdin,
				 INC_EACH_NEEDS_ID | INC_EACH_NO_LINE, by_rules, &o);
	}
	json_decref(o.notify);
	return tool_close(&ctx);
}
