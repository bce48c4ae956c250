/*
 * inc-show - select incidents and write their records, or a table.
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
	" [--breached] [--since TIME] [--until TIME] [--limit N] [--history]"
	" [--format jsonl|table] [ID...]";

struct filter {
	json_t *status, *ids;
	const char *priority, *group, *assignee, *category, *requester;
	int open, major, breached, history, table;
	int64_t since, until, limit;
	json_t *vals;		/* values bound to the query */
};

/* The query is made of fixed fragments; every value is bound, in order. */
static struct inc_sql *
prepare(struct inc_ctx *ctx, struct filter *f)
{
	struct inc_buf sql = {0};
	json_t *vals = json_array(), *v;
	struct inc_sql *q;
	size_t i;

#define COND(text, val) (inc_buf_addstr(&sql, text), json_array_append_new(vals, val))
	inc_buf_addstr(&sql, "SELECT id FROM incident WHERE 1");
	if (f->ids) {
		inc_buf_addstr(&sql, " AND id IN (");
		json_array_foreach(f->ids, i, v)
			COND(i ? ",?" : "?", json_incref(v));
		inc_buf_addstr(&sql, ")");
	}
	if (f->status) {
		inc_buf_addstr(&sql, " AND status IN (");
		json_array_foreach(f->status, i, v)
			COND(i ? ",?" : "?", json_incref(v));
		inc_buf_addstr(&sql, ")");
	}
	if (f->open)
		inc_buf_addstr(&sql, " AND " INC_SQL_OPEN);
	if (f->priority)
		COND(" AND priority = ?", json_string(f->priority));
	if (f->group)
		COND(" AND grp = ?", json_string(f->group));
	if (f->assignee)
		COND(" AND assignee = ?", json_string(f->assignee));
	if (f->category)
		COND(" AND category = ?", json_string(f->category));
	if (f->requester)
		COND(" AND requester = ?", json_string(f->requester));
	if (f->major)
		inc_buf_addstr(&sql, " AND major = 1");
	if (f->breached)
		inc_buf_addstr(&sql, " AND sla_state = 'breached'");
	if (f->since != INC_NULL)
		COND(" AND created_at >= ?", json_integer(f->since));
	if (f->until != INC_NULL)
		COND(" AND created_at < ?", json_integer(f->until));
#undef COND
	/* no LIMIT here: it counts the incidents the actor may see (show()) */
	inc_buf_addstr(&sql, " ORDER BY id");
	q = inc_sql_new(ctx->db, sql.data);
	inc_buf_free(&sql);
	json_array_foreach(vals, i, v) {
		if (json_is_integer(v))
			inc_sql_int(q, (int)i + 1, json_integer_value(v));
		else
			inc_sql_text(q, (int)i + 1, json_string_value(v));
	}
	/* the bound strings live in vals, which lives as long as the filter */
	f->vals = vals;
	return q;
}

static void
table_row(struct inc_ctx *ctx, const struct inc_incident *r, int width)
{
	static const size_t w[] = {6, 8, 11, 12, 8, 8, 0};
	static const char *const head[] = {"ID", "PRIORITY", "STATUS", "GROUP", "ASSIGNEE",
		"SLA", "SUBJECT"};
	char id[32];

	if (!r) {
		inc_table_row(&ctx->out, head, w, 7, width);
		return;
	}
	snprintf(id, sizeof id, "%lld", (long long)r->id);
	inc_table_row(&ctx->out, (const char *const[]){id, r->priority, inc_status_name(r->status), r->group,
		r->assignee, r->sla_state, r->subject}, w, 7, width);
}

static int
show(struct inc_ctx *ctx, struct filter *f)
{
	struct inc_sql *q = prepare(ctx, f);
	struct inc_incident r;
	char err[INC_ERRLEN];
	int rc, width = inc_term_width();
	int64_t shown = 0;
	json_t *seen = json_object();

	inc_incident_init(&r);
	if (f->table)
		table_row(ctx, NULL, width);
	while ((rc = (f->limit != INC_NULL && shown >= f->limit) ? 0 : inc_sql_step(q)) > 0) {
		int64_t id = inc_sql_col_int(q, 0);
		json_t *extra = NULL;
		char key[32];

		if (f->ids) {
			snprintf(key, sizeof key, "%lld", (long long)id);
			json_object_set_new(seen, key, json_true());
		}
		if ((rc = inc_incident_load(ctx, id, &r, err)) < 0)
			tool_db_fail(ctx, err);
		if (rc == 0)
			continue;	/* gone since the query read it */
		if (!inc_may(ctx->cfg, ctx->actor, INC_ACT_SEE, r.requester)) {
			if (f->ids) {
				inc_warn("%lld: not yours to see", (long long)id);
				ctx->status = INC_EXIT_REFUSED;
			}
			continue;
		}
		shown++;
		if (f->table) {
			table_row(ctx, &r, width);
		} else {
			if (f->history) {
				json_t *h = inc_history(ctx, id, err);

				if (!h)
					tool_db_fail(ctx, err);
				extra = json_pack("{s:o}", "history", h);
			}
			inc_incident_write(&ctx->out, &r, NULL, extra);
			inc_buf_add(&ctx->out, "\n", 1);
			json_decref(extra);
		}
		if (ctx->out.len > 65536)
			inc_ctx_flush(ctx);
	}
	if (rc < 0) {
		inc_db_err(ctx->db, err);
		tool_db_fail(ctx, err);
	}
	inc_sql_free(q);
	if (f->ids) {
		size_t i;
		json_t *v;

		/* an id the filters or --limit left out exists all the same */
		json_array_foreach(f->ids, i, v) {
			char key[32];
			int64_t id = json_integer_value(v);

			snprintf(key, sizeof key, "%lld", (long long)id);
			if (!json_object_get(seen, key) && inc_incident_load(ctx, id, &r, err) == 0) {
				inc_warn("%s: no such incident", key);
				ctx->status = INC_EXIT_REFUSED;
			}
		}
	}
	inc_incident_clear(&r);
	json_decref(seen);
	return ctx->status;
}

static const char *
checked(struct inc_ctx *ctx, const char *opt, const char *v, int ok)
{
	if (!ok)
		inc_die(INC_EXIT_USAGE, "--%s: unknown %s \"%s\"", opt, opt, v);
	(void)ctx;
	return v;
}

int
main(int argc, char **argv)
{
	enum { O_STATUS = INC_OPT_TOOL, O_OPEN, O_PRIORITY, O_GROUP, O_ASSIGNEE, O_CATEGORY,
	       O_REQUESTER, O_MAJOR, O_BREACHED, O_SINCE, O_UNTIL, O_LIMIT, O_HISTORY,
	       O_FORMAT };
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
		{"limit", required_argument, 0, O_LIMIT},
		{"history", no_argument, 0, O_HISTORY},
		{"format", required_argument, 0, O_FORMAT},
		{0, 0, 0, 0}
	};
	struct inc_ctx ctx = {0};
	struct filter f = {.since = INC_NULL, .until = INC_NULL, .limit = INC_NULL};
	const char *since = NULL, *until = NULL, *status = NULL;
	int c, st;

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
		case O_LIMIT: {
			int64_t n;

			if (!isdigit((unsigned char)*optarg) || inc_parse_id(optarg, &n) < 0)
				inc_die(INC_EXIT_USAGE, "--limit: expected a positive number, got \"%s\"", optarg);
			f.limit = n;
			break;
		}
		case O_HISTORY: f.history = 1; break;
		case O_FORMAT:
			if (strcmp(optarg, "table") == 0)
				f.table = 1;
			else if (strcmp(optarg, "jsonl") != 0 && strcmp(optarg, "json") != 0)
				inc_die(INC_EXIT_USAGE, "--format: unknown format \"%s\" (want jsonl or table)", optarg);
			break;
		default: inc_usage_error(usage);
		}
	}
	tool_config(&ctx);
	if (status) {
		char *list = inc_xstrdup(status), *save = NULL;

		f.status = json_array();
		for (char *s = strtok_r(list, ",", &save); s; s = strtok_r(NULL, ",", &save)) {
			if (inc_status_parse(s) < 0)
				inc_die(INC_EXIT_USAGE, "--status: unknown status \"%s\"", s);
			json_array_append_new(f.status, json_string(s));
		}
		free(list);
		if (json_array_size(f.status) == 0)
			inc_die(INC_EXIT_USAGE, "--status: no status given");
	}
	if (f.priority)
		checked(&ctx, "priority", f.priority, inc_config_level(ctx.cfg->priority, f.priority) >= 0);
	if (f.group)
		checked(&ctx, "group", f.group, inc_config_group(ctx.cfg, f.group) != NULL);
	if (f.category)
		checked(&ctx, "category", f.category, inc_config_category(ctx.cfg, f.category, NULL));
	if (f.assignee && ctx.cfg->npeople)
		checked(&ctx, "assignee", f.assignee, inc_config_person(ctx.cfg, f.assignee) != NULL);
	if (since && inc_time_parse_tz(since, ctx.now, 1, ctx.cfg->tz, &f.since) < 0)
		inc_die(INC_EXIT_USAGE, "--since: bad time \"%s\"", since);
	if (until && inc_time_parse_tz(until, ctx.now, 1, ctx.cfg->tz, &f.until) < 0)
		inc_die(INC_EXIT_USAGE, "--until: bad time \"%s\"", until);
	if (optind < argc) {
		f.ids = json_array();
		for (int i = optind; i < argc; i++) {
			int64_t id;

			if (inc_parse_id(argv[i], &id) < 0)
				inc_die(INC_EXIT_USAGE, "%s: not an incident id", argv[i]);
			json_array_append_new(f.ids, json_integer(id));
		}
	}
	if (f.table && f.history)
		inc_die(INC_EXIT_USAGE, "--history needs --format jsonl");
	tool_db(&ctx);
	st = show(&ctx, &f);
	ctx.status = st;
	json_decref(f.status);
	json_decref(f.ids);
	json_decref(f.vals);
	return tool_close(&ctx);
}
