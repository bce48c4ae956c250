/*
 * kpi.c - the KPIs of SPEC section 7 and the aging of the open backlog,
 * grouped by --by fields, written as JSON lines, CSV, TSV or a table.
 *
 * SQLite does the work: one aggregate over the incidents of the window, and
 * one window-function query for the exact percentiles of the resolution
 * time, both sorted by the same group keys and merged here row by row. C
 * only turns the exact integer sums into rounded figures: rounding in
 * integers, not in floating point, so that a figure such as 12.125 rounds
 * the same way every time.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "inc.h"

/* The --by fields and the SQL expression of each: fixed text, never input.
 * Calendar keys are the desk's local dates: LOCAL stands for created_at
 * in local wall-clock seconds (local_expr()); the ISO week is the week of
 * its Thursday. The unary + keeps the planner from walking an index such
 * as (grp, status) for the GROUP BY order, a table lookup per row: a scan
 * (or the range of created_at) and a sort are faster, 1.7 to 4 times on a
 * million rows. */
#define LOCAL "\x02"
#define WEEK_THU LOCAL " + (3 - (CAST(strftime('%w', " LOCAL ", 'unixepoch') AS INTEGER) + 6) % 7) * 86400"
/* PostgreSQL (pg, when it differs) has neither a unary + on text nor
 * strftime: to_char of the local seconds read as UTC, the ISO week as its
 * own pattern (the same keys). */
#define PG_LOCAL "(to_timestamp(" LOCAL ") AT TIME ZONE 'UTC')"
static const struct {
	const char *name, *expr, *pg;
} by_fields[] = {
	{"category", "+category", "category"},
	{"subcategory", "+subcategory", "subcategory"},
	{"priority", "+priority", "priority"},
	{"group", "+grp", "grp"},
	{"assignee", "+assignee", "assignee"},
	{"source", "+source", "source"},
	{"requester", "+requester", "requester"},
	{"day", "strftime('%Y-%m-%d', " LOCAL ", 'unixepoch')",
		"to_char(" PG_LOCAL ", 'YYYY-MM-DD')"},
	{"week", "printf('%s-W%02d', strftime('%Y', " WEEK_THU ", 'unixepoch'),"
		 " (CAST(strftime('%j', " WEEK_THU ", 'unixepoch') AS INTEGER) - 1) / 7 + 1)",
		"to_char(" PG_LOCAL ", 'IYYY-\"W\"IW')"},
	{"month", "strftime('%Y-%m', " LOCAL ", 'unixepoch')",
		"to_char(" PG_LOCAL ", 'YYYY-MM')"},
};
#define NBY (sizeof by_fields / sizeof by_fields[0])

#define OPEN_SQL INC_SQL_OPEN
/* resolved: a forced close of an incident nobody resolved is not */
#define DONE_SQL "(" INC_SQL_DONE " AND resolved_at IS NOT NULL)"
#define TTR_SQL "CASE WHEN " DONE_SQL " THEN resolved_at - created_at END"
/* A target counts once decided, or once its due time passed unmet while
 * the incident is open and not on hold, whether inc-sla has run since or
 * not: an open incident past due is a breach, never left out. */
#define LATE_SQL(due, met) "(" met " IS NULL AND " due " < ?3 AND hold_since IS NULL AND " \
	OPEN_SQL ")"

/* Bound parameters: ?1 since, ?2 until, ?3 now, then the tier-1 groups,
 * whose placeholders stand at TIER1 (a run-time list), then the desk
 * zone's offsets (struct zone). */
#define TIER1 "\x01"

/* The desk zone's UTC offsets over the created_at of the report: span i
 * runs from at[i] (at[0]: from the start) to at[i + 1] at offset off[i].
 * Bound as parameters, so that SQL turns created_at into local time
 * exactly across daylight-saving changes. n 0: UTC. */
struct zone {
	int64_t *at;
	long *off;
	size_t n;
};
/* Past this many changes of offset the window is absurd (the SQL would
 * bind twice as many parameters). */
#define MAXSPANS 4000

/* A condition as a number to sum (PostgreSQL sums no boolean): 1 or 0.
 * An unknown one counts 0 where SQLite's sum would skip it: the same, as
 * every sum is read through col(), a NULL sum as 0. x once: it may hold
 * the TIER1 list. */
#define N(x) "CASE WHEN " x " THEN 1 ELSE 0 END"

/* The aggregate columns after the keys, in the order kpi_row() reads them. */
static const char kpi_cols[] =
	"count(*), sum(" N(OPEN_SQL) "), sum(" N(DONE_SQL) "),"
	" sum(responded_at - created_at), count(responded_at),"
	" sum(" TTR_SQL "), count(" TTR_SQL "),"
	" sum(" N("response_met = 1") "), count(response_met)"
	" + sum(" N(LATE_SQL("response_due", "response_met") " AND responded_at IS NULL") "),"
	" sum(" N("resolve_met = 1") "), count(resolve_met) + sum("
	N(LATE_SQL("resolve_due", "resolve_met")) "),"
	" sum(" N("ever_resolved = 1 AND reopen_count > 0") "), sum(" N("ever_resolved = 1") "),"
	" sum(" N(DONE_SQL " AND reassignment_count = 0 AND escalated = 0"
	" AND assignee = first_assignee"
	" AND (first_tier = 1 OR (first_tier IS NULL AND first_group IN (" TIER1 ")))") "),"
	" sum(reassignment_count), sum(" N("escalated <> 0") "), sum(rating), count(rating)";
enum { A_COUNT, A_OPEN, A_DONE, A_TTA_SUM, A_TTA_N, A_TTR_SUM, A_TTR_N, A_RESP_MET,
       A_RESP_N, A_RES_MET, A_RES_N, A_REOPENED, A_EVER, A_FCR, A_REASSIGN,
       A_ESCALATED, A_RATING_SUM, A_RATING_N };

/* Percentiles by linear interpolation between closest ranks: rank
 * (m-1)*q counted from 0, so the values at ranks floor and floor+1. */
static const char pct_cols[] =
	"max(m), max(CASE WHEN rn = (m - 1) / 2 + 1 THEN d END),"
	" max(CASE WHEN rn = (m - 1) / 2 + 2 THEN d END),"
	" max(CASE WHEN rn = (m - 1) * 9 / 10 + 1 THEN d END),"
	" max(CASE WHEN rn = (m - 1) * 9 / 10 + 2 THEN d END)";

static const char aging_cols[] =
	"count(*), sum(" N("?3 - created_at < 86400") "),"
	" sum(" N("?3 - created_at >= 86400 AND ?3 - created_at < 259200") "),"
	" sum(" N("?3 - created_at >= 259200 AND ?3 - created_at < 604800") "),"
	" sum(" N("?3 - created_at >= 604800 AND ?3 - created_at < 2592000") "),"
	" sum(" N("?3 - created_at >= 2592000") ")";

static const char *const kpi_names[] = {"count", "open", "resolved", "mtta_s", "mttr_s",
	"mttr_p50_s", "mttr_p90_s", "sla_response_pct", "sla_resolve_pct", "reopen_pct",
	"fcr_pct", "reassign_avg", "escalated_pct", "csat"};
static const char *const aging_names[] = {"open", "<1d", "1-3d", "3-7d", "7-30d", ">30d"};
#define NKPI (sizeof kpi_names / sizeof kpi_names[0])
#define NAGING (sizeof aging_names / sizeof aging_names[0])

int
inc_report_by_field(const char *name)
{
	for (size_t i = 0; i < NBY; i++)
		if (strcmp(name, by_fields[i].name) == 0)
			return (int)i;
	return -1;
}

int
inc_report_format(const char *name)
{
	static const char *const names[] = {"jsonl", "csv", "tsv", "table"};

	for (int i = 0; i < 4; i++)
		if (strcmp(name, names[i]) == 0)
			return i;
	return -1;
}

/* ---- rows in memory: a cell is text, NULL for null ---- */

struct table {
	const char *names[INC_REPORT_MAXBY + NKPI];
	int numeric[INC_REPORT_MAXBY + NKPI];
	int duration[INC_REPORT_MAXBY + NKPI];	/* seconds; readable in a table */
	size_t ncols, nrows, cap;
	char **cells;		/* row-major */
};

static char **
new_row(struct table *t)
{
	if (t->nrows == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 16;
		t->cells = inc_xrealloc(t->cells, t->cap * t->ncols * sizeof *t->cells);
	}
	memset(t->cells + t->nrows * t->ncols, 0, t->ncols * sizeof *t->cells);
	return t->cells + t->nrows++ * t->ncols;
}

static void
table_free(struct table *t)
{
	for (size_t i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
}

/* num/den rounded to the nearest integer, halves away from zero; den > 0. */
static int64_t
div_round(int64_t num, int64_t den)
{
	return num >= 0 ? (2 * num + den) / (2 * den) : -((-2 * num + den) / (2 * den));
}

static char *
int_cell(int64_t v)
{
	char s[32];

	snprintf(s, sizeof s, "%lld", (long long)v);
	return inc_xstrdup(s);
}

/* num/den times scale, with two decimals; null when den is 0. */
static char *
ratio_cell(int64_t num, int64_t den, int64_t scale)
{
	char s[48];
	int64_t c;

	if (den <= 0)
		return NULL;
	c = div_round(num * scale * 100, den);
	snprintf(s, sizeof s, "%s%lld.%02lld", c < 0 ? "-" : "", llabs(c) / 100, llabs(c) % 100);
	return inc_xstrdup(s);
}

/* A sum or count: SQL's sum() of no rows is NULL, which counts as 0. */
static int64_t
col(struct inc_sql *q, int i)
{
	int64_t v = inc_sql_col_int(q, i);

	return v == INC_NULL ? 0 : v;
}

/*
 * The q-quantile (q = qn/qd) of m sorted values, given the values at ranks
 * floor((m-1)q) and the one after: lo + (hi - lo) * frac, rounded to whole
 * seconds in integers.
 */
static char *
quantile_cell(int64_t m, int64_t qn, int64_t qd, struct inc_sql *p, int ilo, int ihi)
{
	int64_t f, lo, hi;

	if (m <= 0 || inc_sql_null(p, ilo))
		return NULL;
	f = (m - 1) * qn % qd;
	lo = col(p, ilo);
	hi = f ? col(p, ihi) : lo;
	return int_cell(div_round(qd * lo + (hi - lo) * f, qd));
}

/* One KPI row from the aggregate row (and the percentile row, if any). */
static void
kpi_row(struct table *t, int nby, struct inc_sql *a, struct inc_sql *p)
{
	char **row = new_row(t), **c = row + nby;
	int64_t m = p ? col(p, nby) : 0;
#define A(k) col(a, nby + (k))

	for (int i = 0; i < nby; i++)
		row[i] = inc_sql_col_dup(a, i);
	c[0] = int_cell(A(A_COUNT));
	c[1] = int_cell(A(A_OPEN));
	c[2] = int_cell(A(A_DONE));
	c[3] = A(A_TTA_N) ? int_cell(div_round(A(A_TTA_SUM), A(A_TTA_N))) : NULL;
	c[4] = A(A_TTR_N) ? int_cell(div_round(A(A_TTR_SUM), A(A_TTR_N))) : NULL;
	c[5] = p ? quantile_cell(m, 1, 2, p, nby + 1, nby + 2) : NULL;
	c[6] = p ? quantile_cell(m, 9, 10, p, nby + 3, nby + 4) : NULL;
	c[7] = ratio_cell(A(A_RESP_MET), A(A_RESP_N), 100);
	c[8] = ratio_cell(A(A_RES_MET), A(A_RES_N), 100);
	c[9] = ratio_cell(A(A_REOPENED), A(A_EVER), 100);
	c[10] = ratio_cell(A(A_FCR), A(A_DONE), 100);
	c[11] = ratio_cell(A(A_REASSIGN), A(A_COUNT), 1);
	c[12] = ratio_cell(A(A_ESCALATED), A(A_COUNT), 100);
	c[13] = ratio_cell(A(A_RATING_SUM), A(A_RATING_N), 1);
#undef A
}

/* ---- SQL from fixed fragments ---- */

/* The key expressions, comma-separated; named k0, k1, ... with alias. */
static void
add_keys(struct inc_buf *sql, const struct inc_report *rep, int alias, enum inc_dialect d)
{
	for (int i = 0; i < rep->nby; i++) {
		/* keys in byte order, nulls first, as key_cmp() merges them */
		inc_buf_printf(sql, d == INC_PG ? "%s(%s) COLLATE \"C\"" : "%s%s", i ? ", " : "",
			       d == INC_PG ? by_fields[rep->by[i]].pg : by_fields[rep->by[i]].expr);
		if (alias)
			inc_buf_printf(sql, " AS k%d", i);
	}
}

static void
add_window(struct inc_buf *sql, const struct inc_report *rep)
{
	if (rep->since != INC_NULL)
		inc_buf_addstr(sql, " AND created_at >= ?1");
	if (rep->until != INC_NULL)
		inc_buf_addstr(sql, " AND created_at < ?2");
}

static void
add_group(struct inc_buf *sql, int nby, enum inc_dialect d)
{
	for (int pass = 0; pass < 2 && nby; pass++)
		for (int i = 0; i < nby; i++)
			inc_buf_printf(sql, "%s%d%s", i ? ", " : pass ? " ORDER BY " : " GROUP BY ",
				       i + 1, pass && d == INC_PG ? " NULLS FIRST" : "");
}

/* created_at in local wall-clock seconds: a binary search over the spans
 * of constant offset, written as nested CASEs on bound parameters (first
 * the offsets, ?base..; then the instants of change). */
static void
local_expr(struct inc_buf *b, const struct zone *z, int base, size_t lo, size_t hi)
{
	size_t mid;

	if (lo == hi) {
		/* typed: PostgreSQL would take a CASE of bare parameters for text */
		inc_buf_printf(b, "CAST(?%d AS BIGINT)", base + (int)lo);
		return;
	}
	mid = (lo + hi + 1) / 2;
	inc_buf_printf(b, "CASE WHEN created_at < ?%d THEN ", base + (int)z->n + (int)mid - 1);
	local_expr(b, z, base, lo, mid - 1);
	inc_buf_addstr(b, " ELSE ");
	local_expr(b, z, base, mid, hi);
	inc_buf_addstr(b, " END");
}

/* The statement of sql, its tier-1 list spelled as placeholders, its
 * local times as the zone's expression, and every parameter bound. */
static struct inc_sql *
prepare(struct inc_ctx *ctx, const struct inc_report *rep, const struct zone *z,
	const char *sql, char *err)
{
	struct inc_buf text = {0}, local = {0};
	struct inc_sql *q;
	int k = 4, first = 1, ntier1 = 0;

	for (size_t i = 0; i < ctx->cfg->ngroups; i++)
		ntier1 += ctx->cfg->groups[i].tier == 1;
	if (z->n == 0)
		inc_buf_addstr(&local, "created_at");
	else {
		inc_buf_addstr(&local, "(created_at + ");
		local_expr(&local, z, 4 + ntier1, 0, z->n - 1);
		inc_buf_addstr(&local, ")");
	}
	for (const char *s = sql; *s; s++) {
		if (*s == LOCAL[0]) {
			inc_buf_addstr(&text, local.data);
			continue;
		}
		if (*s != TIER1[0]) {
			inc_buf_add(&text, s, 1);
			continue;
		}
		for (size_t i = 0; i < ctx->cfg->ngroups; i++)
			if (ctx->cfg->groups[i].tier == 1) {
				inc_buf_printf(&text, "%s?%d", first ? "" : ",", k++);
				first = 0;
			}
		if (first)
			inc_buf_addstr(&text, "NULL");
	}
	q = inc_sql_new(ctx->db, text.data);
	inc_buf_free(&text);
	inc_buf_free(&local);
	if (!q) {
		inc_db_err(ctx->db, err);
		return NULL;
	}
	/* every ?N up to the highest exists in the text, or it is not bound */
	if (strstr(sql, "?1"))
		inc_sql_int(q, 1, rep->since);
	if (strstr(sql, "?2"))
		inc_sql_int(q, 2, rep->until);
	if (strstr(sql, "?3"))
		inc_sql_int(q, 3, ctx->now);
	k = 4;
	if (strchr(sql, TIER1[0]) || (z->n && strchr(sql, LOCAL[0])))
		for (size_t i = 0; i < ctx->cfg->ngroups; i++)
			if (ctx->cfg->groups[i].tier == 1)
				inc_sql_text(q, k++, ctx->cfg->groups[i].name);
	if (z->n && strchr(sql, LOCAL[0])) {
		for (size_t i = 0; i < z->n; i++)
			inc_sql_int(q, 4 + ntier1 + (int)i, z->off[i]);
		for (size_t i = 1; i < z->n; i++)
			inc_sql_int(q, 4 + ntier1 + (int)z->n + (int)i - 1, z->at[i]);
	}
	return q;
}

/* The first or last created_at of the window: 1 found, 0 none, -1 error. */
static int
window_end(struct inc_ctx *ctx, const struct inc_report *rep, int last, int64_t *out,
	   char *err)
{
	struct inc_buf sql = {0};
	struct inc_sql *q;
	struct zone utc = {0};
	int rc;

	/* one min() or max() alone: SQLite reads it off the index */
	inc_buf_printf(&sql, "SELECT %s(created_at) FROM incident WHERE 1=1", last ? "max" : "min");
	add_window(&sql, rep);
	q = prepare(ctx, rep, &utc, sql.data, err);
	inc_buf_free(&sql);
	if (!q)
		return -1;
	rc = inc_sql_step(q);
	if (rc > 0 && inc_sql_null(q, 0))
		rc = 0;
	if (rc > 0)
		*out = inc_sql_col_int(q, 0);
	if (rc < 0)
		inc_db_err(ctx->db, err);
	inc_sql_free(q);
	return rc;
}

/* The spans of the desk zone's offset over the window's incidents; none
 * (UTC) when there is no zone, no calendar key, or the offset is 0
 * throughout. */
static int
zone_spans(struct inc_ctx *ctx, const struct inc_report *rep, struct zone *z, char *err)
{
	const struct inc_tz *tz = ctx->cfg->tz;
	int64_t lo, hi, t, next;
	int local = 0, rc;
	size_t cap = 0;

	for (int i = 0; i < rep->nby; i++)
		local |= strchr(by_fields[rep->by[i]].expr, LOCAL[0]) != NULL;	/* pg: the same */
	if (!tz || !local)
		return 0;
	if ((rc = window_end(ctx, rep, 0, &lo, err)) <= 0 ||
	    (rc = window_end(ctx, rep, 1, &hi, err)) <= 0)
		return rc;
	for (t = lo;; t = next) {
		long o = inc_tz_offset(tz, t);

		if (!z->n || o != z->off[z->n - 1]) {
			if (z->n == MAXSPANS)
				return inc_err(err, "timezone: the incidents span more than %d changes"
					       " of UTC offset; narrow the window (--since, --until)",
					       MAXSPANS);
			if (z->n == cap) {
				cap = cap ? cap * 2 : 16;
				z->at = inc_xrealloc(z->at, cap * sizeof *z->at);
				z->off = inc_xrealloc(z->off, cap * sizeof *z->off);
			}
			z->at[z->n] = t;
			z->off[z->n++] = o;
		}
		next = inc_tz_next_change(tz, t);
		if (next > hi)
			break;
	}
	if (z->n == 1 && z->off[0] == 0)
		z->n = 0;	/* UTC all along: created_at as it is */
	return 0;
}

/* Order of two rows' keys as SQLite's ORDER BY has them: null first, then
 * text bytewise (BINARY collation). */
static int
key_cmp(struct inc_sql *x, struct inc_sql *y, int n)
{
	for (int i = 0; i < n; i++) {
		const char *a = inc_sql_col_text(x, i), *b = inc_sql_col_text(y, i);
		int c;

		if (!a || !b) {
			if (a != b)
				return a ? 1 : -1;
			continue;
		}
		if ((c = strcmp(a, b)) != 0)
			return c;
	}
	return 0;
}

static int
step_error(struct inc_ctx *ctx, char *err)
{
	return inc_db_err(ctx->db, err);
}

static int
kpis(struct inc_ctx *ctx, const struct inc_report *rep, const struct zone *z, struct table *t,
     char *err)
{
	struct inc_buf sql = {0}, psql = {0};
	struct inc_sql *a = NULL, *p = NULL;
	int rc = -1, arc, prc;

	inc_buf_addstr(&sql, "SELECT ");
	add_keys(&sql, rep, 0, inc_db_dialect(ctx->db));
	inc_buf_printf(&sql, "%s%s FROM incident WHERE 1=1", rep->nby ? ", " : "", kpi_cols);
	add_window(&sql, rep);
	add_group(&sql, rep->nby, inc_db_dialect(ctx->db));

	inc_buf_addstr(&psql, "SELECT ");
	for (int i = 0; i < rep->nby; i++)
		inc_buf_printf(&psql, "k%d, ", i);
	inc_buf_printf(&psql, "%s FROM (SELECT ", pct_cols);
	add_keys(&psql, rep, 1, inc_db_dialect(ctx->db));
	inc_buf_printf(&psql, "%sresolved_at - created_at AS d, row_number() OVER w AS rn,"
		       " count(*) OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED"
		       " FOLLOWING) AS m FROM incident WHERE " DONE_SQL
		       " AND resolved_at IS NOT NULL", rep->nby ? ", " : "");
	add_window(&psql, rep);
	inc_buf_addstr(&psql, " WINDOW w AS (");
	if (rep->nby) {
		inc_buf_addstr(&psql, "PARTITION BY ");
		add_keys(&psql, rep, 0, inc_db_dialect(ctx->db));
	}
	inc_buf_addstr(&psql, " ORDER BY resolved_at - created_at)) AS r");
	add_group(&psql, rep->nby, inc_db_dialect(ctx->db));

	if (!(a = prepare(ctx, rep, z, sql.data, err)) || !(p = prepare(ctx, rep, z, psql.data, err)))
		goto out;
	prc = inc_sql_step(p);
	while ((arc = inc_sql_step(a)) > 0) {
		int match;

		while (prc > 0 && key_cmp(p, a, rep->nby) < 0)
			prc = inc_sql_step(p);
		match = prc > 0 && key_cmp(p, a, rep->nby) == 0;
		kpi_row(t, rep->nby, a, match ? p : NULL);
		if (match)
			prc = inc_sql_step(p);
	}
	if (arc < 0 || prc < 0)
		step_error(ctx, err);
	else
		rc = 0;
out:
	inc_sql_free(a);
	inc_sql_free(p);
	inc_buf_free(&sql);
	inc_buf_free(&psql);
	return rc;
}

static int
aging(struct inc_ctx *ctx, const struct inc_report *rep, const struct zone *z, struct table *t,
      char *err)
{
	struct inc_buf sql = {0};
	struct inc_sql *q;
	int rc;

	inc_buf_addstr(&sql, "SELECT ");
	add_keys(&sql, rep, 0, inc_db_dialect(ctx->db));
	inc_buf_printf(&sql, "%s%s FROM incident WHERE " INC_SQL_OPEN, rep->nby ? ", " : "",
		       aging_cols);
	add_window(&sql, rep);
	add_group(&sql, rep->nby, inc_db_dialect(ctx->db));
	q = prepare(ctx, rep, z, sql.data, err);
	inc_buf_free(&sql);
	if (!q)
		return -1;
	while ((rc = inc_sql_step(q)) > 0) {
		char **row = new_row(t);

		for (int i = 0; i < rep->nby; i++)
			row[i] = inc_sql_col_dup(q, i);
		for (size_t i = 0; i < NAGING; i++)
			row[rep->nby + i] = int_cell(col(q, rep->nby + (int)i));
	}
	if (rc < 0)
		step_error(ctx, err);
	inc_sql_free(q);
	return rc < 0 ? -1 : 0;
}

/* ---- output ---- */

static void
write_jsonl(struct inc_buf *b, const struct table *t)
{
	for (size_t r = 0; r < t->nrows; r++) {
		char **row = t->cells + r * t->ncols;

		for (size_t c = 0; c < t->ncols; c++) {
			inc_buf_addstr(b, c ? "," : "{");
			inc_json_str(b, t->names[c]);
			inc_buf_addstr(b, ":");
			if (!row[c])
				inc_buf_addstr(b, "null");
			else if (t->numeric[c])
				inc_buf_addstr(b, row[c]);
			else
				inc_json_str(b, row[c]);
		}
		inc_buf_addstr(b, "}\n");
	}
}

/* CSV and TSV with a header: lib/table.c's cells (RFC 4180, TSV escapes,
 * formulas neutralised), null an empty cell. */
static void
write_sv(struct inc_buf *b, const struct table *t, char sep)
{
	inc_sv_row(b, t->names, (int)t->ncols, sep);
	for (size_t r = 0; r < t->nrows; r++)
		inc_sv_row(b, (const char *const *)t->cells + r * t->ncols, (int)t->ncols, sep);
}

/* The text of a table cell for people: durations readable ("2d 4h"),
 * control characters escaped; null is "-". A new string. */
static char *
table_text(const struct table *t, size_t c, const char *s)
{
	char buf[INC_TIMELEN];

	if (!s)
		return inc_xstrdup("-");
	if (t->duration[c])
		return inc_xstrdup(inc_duration_human(strtoll(s, NULL, 10), buf));
	return inc_table_escape(s);
}

/* Columns as wide as their widest cell, two spaces apart, numbers to the
 * right; null is "-"; durations readable, their names without "_s". Never
 * cut: a wide report scrolls (less -S). */
static void
write_table(struct inc_buf *b, const struct table *t)
{
	size_t *w = inc_xmalloc(t->ncols * sizeof *w), n = (t->nrows + 1) * t->ncols;
	char **text = inc_xmalloc(n * sizeof *text);

	for (size_t c = 0; c < t->ncols; c++) {
		size_t len = strlen(t->names[c]);

		/* "mttr_s" holds seconds; its table column "mttr" does not */
		text[c] = t->duration[c] && len > 2 ? strndup(t->names[c], len - 2) :
			  inc_xstrdup(t->names[c]);
		for (size_t r = 0; r < t->nrows; r++)
			text[(r + 1) * t->ncols + c] = table_text(t, c, t->cells[r * t->ncols + c]);
	}
	for (size_t c = 0; c < t->ncols; c++) {
		w[c] = 0;
		for (size_t r = 0; r <= t->nrows; r++)
			if (inc_u8_width(text[r * t->ncols + c]) > w[c])
				w[c] = inc_u8_width(text[r * t->ncols + c]);
	}
	for (size_t r = 0; r <= t->nrows; r++) {
		for (size_t c = 0; c < t->ncols; c++) {
			const char *s = text[r * t->ncols + c];
			size_t pad = w[c] - inc_u8_width(s);

			if (c)
				inc_buf_addstr(b, "  ");
			if (t->numeric[c])
				for (size_t i = 0; i < pad; i++)
					inc_buf_add(b, " ", 1);
			inc_buf_addstr(b, s);
			if (!t->numeric[c] && c + 1 < t->ncols)
				for (size_t i = 0; i < pad; i++)
					inc_buf_add(b, " ", 1);
		}
		inc_buf_addstr(b, "\n");
	}
	for (size_t i = 0; i < n; i++)
		free(text[i]);
	free(text);
	free(w);
}

int
inc_report(struct inc_ctx *ctx, const struct inc_report *rep, struct inc_buf *out, char *err)
{
	struct table t = {0};
	struct zone z = {0};
	const char *const *names = rep->aging ? aging_names : kpi_names;
	size_t n = rep->aging ? NAGING : NKPI;
	int rc;

	for (int i = 0; i < rep->nby; i++)
		t.names[t.ncols++] = by_fields[rep->by[i]].name;
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(names[i]);

		t.numeric[t.ncols] = 1;
		t.duration[t.ncols] = !rep->aging && len > 2 && strcmp(names[i] + len - 2, "_s") == 0;
		t.names[t.ncols++] = names[i];
	}
	/* one snapshot for all queries of a report */
	if (inc_db_begin_read(ctx->db) < 0)
		return step_error(ctx, err);
	rc = zone_spans(ctx, rep, &z, err);
	if (rc == 0)
		rc = rep->aging ? aging(ctx, rep, &z, &t, err) : kpis(ctx, rep, &z, &t, err);
	inc_db_rollback(ctx->db);
	free(z.at);
	free(z.off);
	if (rc == 0) {
		switch (rep->format) {
		case INC_FMT_JSONL: write_jsonl(out, &t); break;
		case INC_FMT_CSV: write_sv(out, &t, ','); break;
		case INC_FMT_TSV: write_sv(out, &t, '\t'); break;
		case INC_FMT_TABLE: write_table(out, &t); break;
		}
	}
	table_free(&t);
	return rc;
}
