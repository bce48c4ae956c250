/*
 * sla_whatif.c - inc-sla --what-if: the SLA outcome of every incident of a
 * window recomputed under another config's policies and calendars, beside
 * the outcome it has now, and compliance both ways. Reads only: one read
 * transaction, nothing written.
 *
 * An outcome is a target's fate at ctx->now: met, breached (also while
 * still open past its due time), or pending. "Now" is the incident's own
 * policy under the config in use, its clocks computed as inc-sla would
 * store them at ctx->now (the stored flags when that policy is no longer
 * in the config); "what if" is the first policy of the other config that
 * matches the record as it stands, over the same holds.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "sla_int.h"

/* A side's outcome: -1 pending, 0 breached, 1 met. */
struct outcome {
	const char *policy;	/* NULL: none */
	int resp, res;
	char state[16];
};

struct tally {
	int64_t count, resp_met, resp_breached, res_met, res_breached;
};

static int
of_state(enum inc_sla_state s)
{
	return s == INC_SLA_MET ? 1 : s == INC_SLA_BREACHED ? 0 : -1;
}

/* Stored flags, a target still open past its stored due time breached. */
static int
of_stored(int64_t met, int64_t due, int64_t now)
{
	if (met != INC_NULL)
		return met ? 1 : 0;
	return due != INC_NULL && now > due ? 0 : -1;
}

static int
side(struct inc_ctx *ctx, const struct inc_config *cfg, const struct inc_policy *p,
     const struct inc_incident *r, struct outcome *o, char *err)
{
	struct inc_sla_clock ck;

	memset(o, 0, sizeof *o);
	o->resp = o->res = -1;
	if (!p)
		return 0;
	o->policy = p->name;
	if (inc_sla_clock_with(ctx, cfg, p, r, &ck, err) < 0)
		return -1;
	o->resp = of_state(ck.state[INC_RESPONSE]);
	o->res = of_state(ck.state[INC_RESOLVE]);
	snprintf(o->state, sizeof o->state, "%s", inc_sla_overall(&ck));
	inc_sla_clock_free(&ck);
	return 0;
}

static void
stored(struct inc_ctx *ctx, const struct inc_incident *r, struct outcome *o)
{
	memset(o, 0, sizeof *o);
	o->policy = r->sla_policy;
	o->resp = of_stored(r->response_met, r->response_due, ctx->now);
	o->res = of_stored(r->resolve_met, r->resolve_due, ctx->now);
	snprintf(o->state, sizeof o->state, "%s", o->resp == 0 || o->res == 0 ? "breached" :
		 r->sla_state ? r->sla_state : "ok");
}

static void
count(struct tally *t, const struct outcome *o)
{
	if (!o->policy)
		return;
	t->count++;
	t->resp_met += o->resp == 1;
	t->resp_breached += o->resp == 0;
	t->res_met += o->res == 1;
	t->res_breached += o->res == 0;
}

static void
put_met(struct inc_buf *b, int v)
{
	inc_buf_addstr(b, v < 0 ? "null" : v ? "true" : "false");
}

static void
put_outcome(struct inc_buf *b, const struct outcome *o)
{
	inc_buf_addstr(b, "{\"policy\":");
	inc_json_str(b, o->policy);
	inc_buf_addstr(b, ",\"response_met\":");
	put_met(b, o->resp);
	inc_buf_addstr(b, ",\"resolve_met\":");
	put_met(b, o->res);
	inc_buf_addstr(b, ",\"state\":");
	inc_json_str(b, o->policy ? o->state : NULL);
	inc_buf_addstr(b, "}");
}

/* ---- the summary rows ---- */

/* num/den in percent with two decimals, rounded half away from zero as
 * inc-report rounds; NULL when den is 0. */
static char *
pct(int64_t num, int64_t den)
{
	char s[48];
	int64_t c;

	if (den <= 0)
		return NULL;
	c = (2 * num * 10000 + den) / (2 * den);
	snprintf(s, sizeof s, "%lld.%02lld", (long long)(c / 100), (long long)(c % 100));
	return inc_xstrdup(s);
}

static char *
num(int64_t v)
{
	char s[32];

	snprintf(s, sizeof s, "%lld", (long long)v);
	return inc_xstrdup(s);
}

#define NCOLS 10
static const char *const names[NCOLS] = {"sla", "config", "count", "response_met",
	"response_breached", "sla_response_pct", "resolve_met", "resolve_breached",
	"sla_resolve_pct", "changed"};

static void
row(char **cells, const char *which, const char *path, const struct tally *t, int64_t changed)
{
	cells[0] = inc_xstrdup(which);
	cells[1] = inc_xstrdup(path);
	cells[2] = num(t->count);
	cells[3] = num(t->resp_met);
	cells[4] = num(t->resp_breached);
	cells[5] = pct(t->resp_met, t->resp_met + t->resp_breached);
	cells[6] = num(t->res_met);
	cells[7] = num(t->res_breached);
	cells[8] = pct(t->res_met, t->res_met + t->res_breached);
	cells[9] = num(changed);
}

static void
sv_cell(struct inc_buf *b, const char *s, char sep)
{
	if (!s)
		return;
	if (sep == ',' && strpbrk(s, ",\"\r\n")) {
		inc_buf_addstr(b, "\"");
		for (; *s; s++)
			inc_buf_add(b, *s == '"' ? "\"\"" : s, *s == '"' ? 2 : 1);
		inc_buf_addstr(b, "\"");
		return;
	}
	for (; *s; s++) {
		if (sep == '\t' && strchr("\\\t\n\r", *s))
			inc_buf_addstr(b, *s == '\\' ? "\\\\" : *s == '\t' ? "\\t" :
				       *s == '\n' ? "\\n" : "\\r");
		else
			inc_buf_add(b, s, 1);
	}
}

static void
write_rows(struct inc_buf *b, char *cells[2][NCOLS], enum inc_report_format fmt)
{
	size_t w[NCOLS];

	switch (fmt) {
	case INC_FMT_JSONL:
		for (int r = 0; r < 2; r++) {
			for (int c = 0; c < NCOLS; c++) {
				inc_buf_addstr(b, c ? "," : "{");
				inc_json_str(b, names[c]);
				inc_buf_addstr(b, ":");
				if (c < 2 || !cells[r][c])
					inc_json_str(b, cells[r][c]);
				else
					inc_buf_addstr(b, cells[r][c]);
			}
			inc_buf_addstr(b, "}\n");
		}
		break;
	case INC_FMT_CSV:
	case INC_FMT_TSV:
		for (int r = -1; r < 2; r++) {
			for (int c = 0; c < NCOLS; c++) {
				if (c)
					inc_buf_addstr(b, fmt == INC_FMT_CSV ? "," : "\t");
				sv_cell(b, r < 0 ? names[c] : cells[r][c],
					fmt == INC_FMT_CSV ? ',' : '\t');
			}
			inc_buf_addstr(b, "\n");
		}
		break;
	case INC_FMT_TABLE:
		/* as inc-report's tables: numbers to the right, null "-" */
		for (int c = 0; c < NCOLS; c++) {
			w[c] = inc_u8_width(names[c]);
			for (int r = 0; r < 2; r++) {
				size_t n = inc_u8_width(cells[r][c] ? cells[r][c] : "-");

				if (n > w[c])
					w[c] = n;
			}
		}
		for (int r = -1; r < 2; r++) {
			for (int c = 0; c < NCOLS; c++) {
				const char *s = r < 0 ? names[c] : cells[r][c] ? cells[r][c] : "-";
				size_t pad = w[c] - inc_u8_width(s);

				if (c)
					inc_buf_addstr(b, "  ");
				for (size_t i = 0; c >= 2 && i < pad; i++)
					inc_buf_addstr(b, " ");
				inc_buf_addstr(b, s);
				for (size_t i = 0; c < 2 && c + 1 < NCOLS && i < pad; i++)
					inc_buf_addstr(b, " ");
			}
			inc_buf_addstr(b, "\n");
		}
		break;
	}
}

int
inc_sla_whatif(struct inc_ctx *ctx, const struct inc_whatif *w, struct inc_buf *out,
	       char *err)
{
	struct inc_sql *q;
	struct tally now = {0}, what = {0};
	int64_t changed = 0;
	char *cells[2][NCOLS];
	int rc = 0, step;

	if (inc_db_begin_read(ctx->db) < 0)
		return inc_db_err(ctx->db, err);
	q = inc_sql(ctx->db, "SELECT id FROM incident WHERE (CAST(?1 AS BIGINT) IS NULL OR created_at >= ?1)"
		    " AND (CAST(?2 AS BIGINT) IS NULL OR created_at < ?2) ORDER BY id");
	inc_sql_int(q, 1, w->since);
	inc_sql_int(q, 2, w->until);
	while ((step = inc_sql_step(q)) > 0) {
		struct inc_incident r;
		struct outcome a, b;
		const struct inc_policy *p;

		inc_incident_init(&r);
		if ((rc = inc_incident_load(ctx, inc_sql_col_int(q, 0), &r, err)) < 0)
			break;
		rc = 0;
		if (!inc_may(ctx->cfg, ctx->actor, INC_ACT_SEE, r.requester)) {
			inc_incident_clear(&r);
			continue;
		}
		p = inc_sla_policy(ctx->cfg, r.sla_policy);
		if (r.sla_policy && !p)
			stored(ctx, &r, &a);
		else
			rc = side(ctx, ctx->cfg, p, &r, &a, err);
		if (rc == 0)
			rc = side(ctx, w->cfg, inc_sla_match(w->cfg, &r), &r, &b, err);
		if (rc == 0 && (a.policy || b.policy)) {
			count(&now, &a);
			count(&what, &b);
			if (a.resp != b.resp || a.res != b.res || !a.policy != !b.policy ||
			    (a.policy && strcmp(a.state, b.state) != 0)) {
				changed++;
				if (w->format == INC_FMT_JSONL) {
					inc_buf_printf(out, "{\"id\":%lld,\"ref\":\"INC-%lld\",\"external_id\":",
						       (long long)r.id, (long long)r.id);
					inc_json_str(out, r.external_id);
					inc_buf_addstr(out, ",\"now\":");
					put_outcome(out, &a);
					inc_buf_addstr(out, ",\"what_if\":");
					put_outcome(out, &b);
					inc_buf_addstr(out, "}\n");
				}
			}
		}
		inc_incident_clear(&r);
		if (rc < 0)
			break;
	}
	inc_sql_reset(q);
	if (step < 0)
		rc = inc_db_err(ctx->db, err);
	inc_db_rollback(ctx->db);
	if (rc < 0)
		return -1;
	row(cells[0], "now", ctx->cfg->path, &now, changed);
	row(cells[1], "what_if", w->cfg->path, &what, changed);
	write_rows(out, cells, w->format);
	for (int r = 0; r < 2; r++)
		for (int c = 0; c < NCOLS; c++)
			free(cells[r][c]);
	return 0;
}
