/*
 * inc-sla - attach SLA policies and watch the clocks: run every minute from
 * cron, write each incident whose SLA state changed since the last run (or
 * whose delayed escalation rule came due), once; --all writes every open
 * incident's state, --recompute applies an edited config, --explain shows
 * the arithmetic of one incident's clocks, --what-if the outcomes and the
 * compliance under another config, writing nothing.
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "tool.h"

static const char usage[] =
	"inc-sla [-d DB] [-c CONFIG] [--now TIME] [--as USER] [--all | --recompute | --explain ID]\n"
	"       inc-sla [-d DB] [-c CONFIG] [--now TIME] [--as USER] --what-if CONFIG"
	" [--since TIME] [--until TIME] [--format jsonl|csv|tsv|table]";

/* The cron pass: incidents whose next check has come, and open ones that
 * have no policy yet and were not looked at since they changed. Both
 * halves are answered by a partial index: the cost is what is due. (No
 * ORDER BY: SQLite would walk the whole table in id order to merge; the
 * loop sorts the ids once read.) */
static const char sql_due[] =
	"SELECT id FROM incident WHERE sla_next_check <= ?1"
	" UNION SELECT id FROM incident WHERE sla_policy IS NULL AND sla_checked_at IS NULL"
	" AND status <> 'resolved' AND status <> 'closed' AND status <> 'cancelled'";
static const char sql_open[] =
	"SELECT id FROM incident WHERE " INC_SQL_OPEN;

static int
check_one(struct inc_ctx *ctx, const char *where, json_t *line, int64_t id, void *arg,
	  char *err)
{
	enum inc_sla_mode mode = *(enum inc_sla_mode *)arg;
	struct inc_incident r;
	json_t *event;
	int rc;

	(void)where; (void)line;
	inc_incident_init(&r);
	rc = inc_incident_get(ctx, id, &r, err);
	/* anyone may run inc-sla, over the incidents they may see: a
	 * requester's run neither shows nor takes the others' changes */
	if (rc == 0 && inc_may(ctx->cfg, ctx->actor, INC_ACT_SEE, r.requester) &&
	    (rc = inc_sla_check(ctx, &r, mode, &event, err)) > 0) {
		if (event)
			rc = inc_event(ctx, &r, event, err);
		else
			inc_emit(ctx, &r, NULL);
	}
	inc_incident_clear(&r);
	return rc < 0 ? -1 : 0;
}

static int
explain(struct inc_ctx *ctx, int64_t id)
{
	struct inc_incident r;
	char err[INC_ERRLEN];
	int rc;

	inc_incident_init(&r);
	rc = inc_incident_load(ctx, id, &r, err);
	if (rc < 0)
		tool_db_fail(ctx, err);
	if (rc == 0 || !inc_may(ctx->cfg, ctx->actor, INC_ACT_SEE, r.requester)) {
		inc_warn("%lld: %s", (long long)id, rc == 0 ? "no such incident" : "not yours to see");
		ctx->status = INC_EXIT_REFUSED;
	} else if (inc_sla_explain(ctx, &r, &ctx->out, err) < 0) {
		inc_warn("%lld: %s", (long long)id, err);
		ctx->status = INC_EXIT_REFUSED;
	}
	inc_incident_clear(&r);
	return tool_close(ctx);
}

/* --what-if CONFIG: outcomes and compliance under another config's
 * policies and calendars; reads only. */
static int
what_if(struct inc_ctx *ctx, struct inc_whatif *w, const char *path)
{
	char err[INC_ERRLEN];
	struct inc_config *other;
	int rc;

	if (!inc_may(ctx->cfg, ctx->actor, INC_ACT_REPORT, NULL)) {
		inc_warn("%s: may not read reports (role %s)", ctx->actor, inc_role_name(ctx->role));
		ctx->status = INC_EXIT_REFUSED;
		return tool_close(ctx);
	}
	if (!(other = inc_config_load(path, err)))
		inc_die(INC_EXIT_USAGE, "%s", err);
	w->cfg = other;
	rc = inc_sla_whatif(ctx, w, &ctx->out, err);
	inc_config_free(other);
	if (rc < 0)
		tool_db_fail(ctx, err);
	return tool_close(ctx);
}

static void
parse_time(struct inc_ctx *ctx, const char *opt, const char *arg, int64_t *out)
{
	if (arg && inc_time_parse(arg, ctx->now, 1, out) < 0)
		inc_die(INC_EXIT_USAGE, "--%s: bad time \"%s\"", opt, arg);
}

static void
run(struct inc_ctx *ctx, const char *sql, enum inc_sla_mode mode)
{
	struct inc_sql *q = inc_sql(ctx->db, sql);

	if (sql == sql_due)
		inc_sql_int(q, 1, ctx->now);
	/* check_one refuses (a policy's change dated before the incident's
	 * last) before its first write: no savepoint per record, which
	 * journals a copy of every page the record touches */
	ctx->no_savepoint = 1;
	inc_each_query(ctx, q, check_one, &mode);
}

static void
record_config(struct inc_ctx *ctx)
{
	char err[INC_ERRLEN];

	if (inc_tx_begin(ctx) < 0 || inc_sla_config_record(ctx, err) < 0 ||
	    inc_tx_commit(ctx) < 0) {
		inc_db_err(ctx->db, err);
		tool_db_fail(ctx, err);
	}
}

int
main(int argc, char **argv)
{
	enum { O_ALL = INC_OPT_TOOL, O_RECOMPUTE, O_EXPLAIN, O_WHAT_IF, O_SINCE, O_UNTIL,
	       O_FORMAT };
	static const struct option longopts[] = {
		INC_COMMON_LONGOPTS,
		{"all", no_argument, 0, O_ALL},
		{"recompute", no_argument, 0, O_RECOMPUTE},
		{"explain", required_argument, 0, O_EXPLAIN},
		{"what-if", required_argument, 0, O_WHAT_IF},
		{"since", required_argument, 0, O_SINCE},
		{"until", required_argument, 0, O_UNTIL},
		{"format", required_argument, 0, O_FORMAT},
		{0, 0, 0, 0}
	};
	struct inc_ctx ctx = {0};
	struct inc_whatif w = {.since = INC_NULL, .until = INC_NULL, .format = INC_FMT_JSONL};
	char err[INC_ERRLEN];
	const char *whatif = NULL, *since = NULL, *until = NULL, *format = NULL;
	int c, all = 0, recompute = 0, state;
	int64_t explain_id = INC_NULL;

	while ((c = getopt_long(argc, argv, INC_COMMON_SHORTOPTS, longopts, NULL)) != -1) {
		if (tool_option(&ctx, c, optarg, usage))
			continue;
		switch (c) {
		case O_ALL: all = 1; break;
		case O_RECOMPUTE: recompute = 1; break;
		case O_EXPLAIN:
			if (inc_parse_id(optarg, &explain_id) < 0)
				inc_die(INC_EXIT_USAGE, "--explain: not an incident id: \"%s\"", optarg);
			break;
		case O_WHAT_IF: whatif = optarg; break;
		case O_SINCE: since = optarg; break;
		case O_UNTIL: until = optarg; break;
		case O_FORMAT: format = optarg; break;
		default: inc_usage_error(usage);
		}
	}
	/* never reads stdin: cron must not hang on it */
	if (optind < argc || all + recompute + (explain_id != INC_NULL) + !!whatif > 1 ||
	    (!whatif && (since || until || format)))
		inc_usage_error(usage);
	ctx.read_only = explain_id != INC_NULL;
	if (format && (int)(w.format = inc_report_format(format)) < 0)
		inc_die(INC_EXIT_USAGE, "--format: unknown format \"%s\" (want jsonl, csv, tsv or"
			" table)", format);
	if (whatif) {
		tool_config(&ctx);
		parse_time(&ctx, "since", since, &w.since);
		parse_time(&ctx, "until", until, &w.until);
		tool_db(&ctx);
		return what_if(&ctx, &w, whatif);
	}
	tool_open(&ctx);
	if (explain_id != INC_NULL)
		return explain(&ctx, explain_id);
	if ((state = inc_sla_config_state(&ctx, err)) < 0)
		tool_db_fail(&ctx, err);
	if (recompute) {
		/* the new settings apply while recomputing; recorded once all
		 * is done, so an interrupted run is simply run again */
		inc_sla_config_apply(&ctx);
		run(&ctx, sql_open, INC_SLA_RECOMPUTE);
		record_config(&ctx);
		return tool_close(&ctx);
	}
	if (state == INC_SLACFG_CHANGED)
		tool_stale_warning(&ctx);
	if (state == INC_SLACFG_NONE)
		record_config(&ctx);
	run(&ctx, all ? sql_open : sql_due, all ? INC_SLA_ALL : INC_SLA_PASS);
	return tool_close(&ctx);
}
