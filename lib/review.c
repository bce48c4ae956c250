/*
 * review.c - the post-incident review of one incident, as Markdown: the
 * facts, a timeline read from the audit trail, the time spent in each
 * status and group, the SLA targets and how they went, tasks, notes, the
 * survey answer, and the questions the review meeting has to answer.
 *
 * The timeline is derived from the fields each change touched, not from
 * the action names the tools write: rows of one change (same instant,
 * actor, tool and action) read as one step, and a status moving to
 * on_hold is "paused" whichever tool moved it.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "inc.h"

struct trail {
	struct inc_audit_row *r;
	size_t n;
};

/* Seconds per name, in order of first appearance. */
struct tally {
	const char *name[64];
	int64_t secs[64];
	size_t n;
};

static int
eq(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

/* ---- Markdown ---- */

/* Text inside a table cell: pipes escaped, line breaks as <br>. */
static void
md_cell(struct inc_buf *b, const char *s)
{
	if (!s || !*s) {
		inc_buf_addstr(b, "-");
		return;
	}
	for (; *s; s++) {
		if (*s == '|')
			inc_buf_addstr(b, "\\|");
		else if (*s == '\n')
			inc_buf_addstr(b, "<br>");
		else if (*s != '\r')
			inc_buf_add(b, s, 1);
	}
}

/* A table row of n cells (const char *, NULL for none). */
static void
md_row(struct inc_buf *b, int n, ...)
{
	va_list ap;

	va_start(ap, n);
	for (int i = 0; i < n; i++) {
		inc_buf_addstr(b, "| ");
		md_cell(b, va_arg(ap, const char *));
		inc_buf_addstr(b, " ");
	}
	va_end(ap);
	inc_buf_addstr(b, "|\n");
}

static void
md_head(struct inc_buf *b, const char *cols)
{
	size_t n = 1;

	inc_buf_printf(b, "| %s |\n", cols);
	for (const char *p = cols; *p; p++)
		n += *p == '|';
	for (size_t i = 0; i < n; i++)
		inc_buf_addstr(b, "|---");
	inc_buf_addstr(b, "|\n");
}

static const char *
tm(int64_t t, char *buf)
{
	return t == INC_NULL ? NULL : inc_time_format(t, buf);
}

/* ---- the timeline ---- */

static const struct inc_audit_row *
find(const struct inc_audit_row *r, size_t n, const char *field)
{
	const struct inc_audit_row *hit = NULL;

	for (size_t i = 0; i < n; i++)
		if (eq(r[i].field, field))
			hit = &r[i];
	return hit;
}

static void
event(struct inc_buf *b, const struct inc_audit_row *r, int64_t created, const char *kind,
      struct inc_buf *detail)
{
	char t[INC_TIMELEN], d[INC_TIMELEN];

	inc_buf_add(detail, "", 1);	/* terminated, even when empty */
	md_row(b, 5, inc_time_format(r->at, t), inc_duration_format(r->at - created, d), kind,
	       r->actor, detail->data);
	detail->len = 0;
}

/* "field new (was old)" for each listed field the change touched. */
static int
changes(struct inc_buf *d, const struct inc_audit_row *r, size_t n, const char *const *fields)
{
	int any = 0;

	for (const char *const *f = fields; *f; f++) {
		const struct inc_audit_row *c = find(r, n, *f);

		if (!c)
			continue;
		inc_buf_printf(d, "%s%s %s", any++ ? ", " : "", *f, c->new_ ? c->new_ : "-");
		if (c->old)
			inc_buf_printf(d, " (was %s)", c->old);
	}
	return any;
}

/* The row of an escalation tool naming why: its field is the rule's key
 * ("resolve_breached+2h:hierarchical") or "by hand", its text the reason
 * and whom it told. */
static int
is_why(const struct inc_audit_row *r)
{
	return r->field && (eq(r->field, "by hand") || strchr(r->field, ':'));
}

static const struct inc_audit_row *
why_row(const struct inc_audit_row *r, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (is_why(&r[i]))
			return &r[i];
	return NULL;
}

/* The steps one change (rows r[0..n), one instant, actor and action) makes. */
static void
change_events(struct inc_buf *b, const struct inc_audit_row *r, size_t n, int64_t created)
{
	static const char *const classify[] = {"category", "subcategory", "impact", "urgency",
		"priority", NULL};
	static const char *const assign[] = {"group", "assignee", NULL};
	static const char *const why[] = {"reason", NULL};
	static const char *const shown[] = {"category", "subcategory", "impact", "urgency",
		"priority", "group", "assignee", "escalation_level", "responded_at", "status",
		"major", "sla_policy", "sla_state", "rating", "feedback", "resolution",
		"resolution_type", "closure_code", "response_due", "resolve_due", "response_met",
		"resolve_met", "resolved_at", "closed_at", "reopen_count", "reason", NULL};
	const struct inc_audit_row *st = find(r, n, "status"), *as = find(r, n, "assignee"),
		*gr = find(r, n, "group"), *lv = find(r, n, "escalation_level"), *c;
	const char *from = st ? st->old : NULL, *to = st ? st->new_ : NULL;
	struct inc_buf d = {0};
	size_t before = b->len;
	int assigned = 0;

	if (r->task != INC_NULL) {
		inc_buf_printf(&d, "task %lld", (long long)r->task);
		if (!eq(r->action, "task"))
			inc_buf_printf(&d, " %s", r->action);
		for (size_t i = 0; i < n; i++)
			if (r[i].field)
				inc_buf_printf(&d, "%s%s %s", i ? ", " : ": ", r[i].field,
					       r[i].new_ ? r[i].new_ : "-");
		event(b, r, created, "task", &d);
		goto out;
	}
	if (eq(r->action, "logged")) {
		inc_buf_addstr(&d, r->new_ ? r->new_ : "");
		event(b, r, created, "logged", &d);
	}
	if (eq(r->action, "note") || eq(r->action, "reply")) {
		inc_buf_addstr(&d, r->new_ ? r->new_ : "");
		event(b, r, created, eq(r->action, "note") ? "note" : "reply", &d);
	}
	if (eq(r->action, "forced")) {
		inc_buf_addstr(&d, r->new_ ? r->new_ : "");
		event(b, r, created, "forced", &d);
	}
	if (eq(r->action, "notified") && (c = why_row(r, n))) {
		/* a functional rule with nowhere to go told people: it did
		 * not escalate, as the facts say */
		size_t k = strlen(c->field);
		int functional = k > 11 && strcmp(c->field + k - 11, ":functional") == 0;

		inc_buf_addstr(&d, c->new_ ? c->new_ : "");
		event(b, r, created, functional ? "not escalated" : "notified", &d);
	}
	if (changes(&d, r, n, classify))
		event(b, r, created, "classified", &d);
	if (lv || (r->action && strstr(r->action, "escalat"))) {
		static const char *const esc[] = {"escalation_level", "group", "assignee",
			"reason", NULL};

		changes(&d, r, n, esc);
		if ((c = why_row(r, n)))
			inc_buf_printf(&d, "%s%s%s", d.len ? "; " : "",
				       eq(c->field, "by hand") ? "by hand: " : "",
				       c->new_ ? c->new_ : "");
		event(b, r, created, "escalated", &d);
		assigned = 1;
	} else if (changes(&d, r, n, assign)) {
		assigned = 1;
		event(b, r, created, (as && !as->old) || (!as && !gr->old) ? "assigned" :
			"reassigned", &d);
	}
	if ((c = find(r, n, "major"))) {
		inc_buf_addstr(&d, eq(c->new_, "true") ? "declared a major incident" :
			       "no longer a major incident");
		event(b, r, created, "major", &d);
	}
	if ((c = find(r, n, "responded_at")) && !c->old && c->new_)
		event(b, r, created, "responded", &d);
	if (eq(to, "on_hold")) {
		event(b, r, created, "paused", &d);
	} else if (eq(to, "in_progress") && eq(from, "on_hold")) {
		event(b, r, created, "resumed", &d);
	} else if (eq(to, "in_progress") && (eq(from, "resolved") || eq(from, "closed"))) {
		changes(&d, r, n, why);
		event(b, r, created, "reopened", &d);
	} else if (eq(to, "in_progress")) {
		event(b, r, created, "in progress", &d);
	} else if (eq(to, "resolved")) {
		static const char *const res[] = {"resolution", "resolution_type",
			"closure_code", NULL};

		changes(&d, r, n, res);
		event(b, r, created, "resolved", &d);
	} else if (eq(to, "closed")) {
		static const char *const code[] = {"closure_code", NULL};

		if (eq(r->action, "auto-closed"))
			inc_buf_addstr(&d, "unconfirmed: closed by inc-close --expire");
		else
			changes(&d, r, n, code);
		event(b, r, created, eq(r->action, "auto-closed") ? "auto-closed" : "closed", &d);
	} else if (eq(to, "cancelled")) {
		changes(&d, r, n, why);
		event(b, r, created, "cancelled", &d);
	} else if (st && !(eq(to, "assigned") && assigned)) {
		inc_buf_printf(&d, "status %s (was %s)", to ? to : "-", from ? from : "-");
		event(b, r, created, "status", &d);
	}
	if ((c = find(r, n, "sla_policy")) && c->new_) {
		inc_buf_printf(&d, "policy %s", c->new_);
		event(b, r, created, "sla attached", &d);
	}
	if ((c = find(r, n, "sla_state")) && (eq(c->new_, "warning") || eq(c->new_, "breached"))) {
		const struct inc_audit_row *rm = find(r, n, "response_met"), *sm = find(r, n, "resolve_met");

		/* the target is named where the met flag fell in the same change */
		if (rm && eq(rm->new_, "false"))
			inc_buf_addstr(&d, "response target");
		if (sm && eq(sm->new_, "false"))
			inc_buf_printf(&d, "%sresolution target", d.len ? ", " : "");
		event(b, r, created, eq(c->new_, "warning") ? "sla warning" : "sla breached", &d);
	}
	if ((c = find(r, n, "rating")) && c->new_) {
		static const char *const survey[] = {"rating", "feedback", NULL};

		changes(&d, r, n, survey);
		event(b, r, created, "survey", &d);
	}
	if (b->len == before) {
		/* nothing the review names: say which fields changed */
		for (size_t i = 0; i < n; i++) {
			int known = 0;

			for (const char *const *f = shown; *f; f++)
				known |= eq(r[i].field, *f);
			if (r[i].field && !known)
				inc_buf_printf(&d, "%s%s", d.len ? ", " : "", r[i].field);
		}
		if (d.len || !r->field)
			event(b, r, created, d.len ? "updated" : r->action, &d);
	}
out:
	inc_buf_free(&d);
}

static void
timeline(struct inc_buf *b, const struct trail *t, int64_t created)
{
	size_t i = 0;

	inc_buf_addstr(b, "\n## Timeline\n\n");
	if (!t->n) {
		inc_buf_addstr(b, "No audit trail.\n");
		return;
	}
	md_head(b, "Time (UTC) | After | Event | By | Details");
	while (i < t->n) {
		size_t j = i + 1;

		while (j < t->n && t->r[j].at == t->r[i].at && t->r[j].task == t->r[i].task &&
		       inc_streq(t->r[j].actor, t->r[i].actor) &&
		       inc_streq(t->r[j].tool, t->r[i].tool) &&
		       inc_streq(t->r[j].action, t->r[i].action) &&
		       !eq(t->r[i].action, "note") && !eq(t->r[i].action, "reply") &&
		       !eq(t->r[i].action, "forced") && !eq(t->r[i].action, "logged") &&
		       !is_why(&t->r[j - 1]))	/* a rule's row ends its change */
			j++;
		change_events(b, t->r + i, j - i, created);
		i = j;
	}
}

/* ---- time in each status and group ---- */

static void
tally_add(struct tally *t, const char *name, int64_t secs)
{
	size_t i;

	if (!name)
		name = "(none)";
	for (i = 0; i < t->n; i++)
		if (strcmp(t->name[i], name) == 0)
			break;
	if (i == t->n) {
		if (t->n == sizeof t->name / sizeof t->name[0])
			return;	/* more than 64: the rest is noise in a review */
		t->name[t->n] = name;
		t->secs[t->n++] = 0;
	}
	t->secs[i] += secs;
}

static void
tally_write(struct inc_buf *b, const char *title, const char *what, const struct tally *t)
{
	char d[INC_TIMELEN], h[64];

	inc_buf_printf(b, "\n## %s\n\n", title);
	snprintf(h, sizeof h, "%s | Time", what);
	md_head(b, h);
	for (size_t i = 0; i < t->n; i++)
		md_row(b, 2, t->name[i], inc_duration_format(t->secs[i], d));
}

/*
 * Replays the status and group changes from the values before the first
 * change of each. Status time runs until closure or cancellation; group
 * time only while the incident is open.
 */
static void
time_spent(struct inc_buf *b, const struct inc_incident *inc, const struct trail *t,
	   int64_t now)
{
	const struct inc_audit_row *s0 = NULL, *g0 = NULL;
	struct tally ts = {0}, tg = {0};
	const char *status = inc_status_name(inc->status), *group = inc->group;
	int64_t at = inc->created_at;

	for (size_t i = 0; i < t->n; i++) {
		if (t->r[i].task != INC_NULL)
			continue;	/* a task's status is not the incident's */
		if (!s0 && eq(t->r[i].field, "status"))
			s0 = &t->r[i];
		if (!g0 && eq(t->r[i].field, "group"))
			g0 = &t->r[i];
	}
	if (s0)
		status = s0->old;
	if (g0)
		group = g0->old;
	for (size_t i = 0; i <= t->n; i++) {
		const struct inc_audit_row *r = i < t->n ? &t->r[i] : NULL;
		int64_t until;

		if (r && (r->task != INC_NULL ||
			  (!eq(r->field, "status") && !eq(r->field, "group"))))
			continue;
		until = r ? r->at : now;
		if (until < at)
			until = at;
		if (!eq(status, "closed") && !eq(status, "cancelled"))
			tally_add(&ts, status, until - at);
		if (inc_status_open((enum inc_status)inc_status_parse(status)))
			tally_add(&tg, group, until - at);
		at = until;
		if (r && eq(r->field, "status"))
			status = r->new_;
		else if (r)
			group = r->new_;
	}
	tally_write(b, "Time in each status", "Status", &ts);
	tally_write(b, "Time in each group", "Group", &tg);
}

/* ---- SLA, holds, tasks, notes, survey ---- */

static void
target(struct inc_buf *b, const char *name, int64_t due, int64_t done, int64_t met,
       int64_t now)
{
	char t1[INC_TIMELEN], t2[INC_TIMELEN], d[INC_TIMELEN], res[INC_TIMELEN + 32];

	if (due == INC_NULL)
		snprintf(res, sizeof res, "-");
	else if (met == 1)
		snprintf(res, sizeof res, "met (%s to spare)",
			 inc_duration_format(done == INC_NULL ? 0 : due - done, d));
	else if (met == 0)
		snprintf(res, sizeof res, "breached (%s late)",
			 inc_duration_format((done == INC_NULL ? now : done) - due, d));
	else if (done == INC_NULL && now > due)
		snprintf(res, sizeof res, "open (%s overdue)", inc_duration_format(now - due, d));
	else if (done == INC_NULL)
		snprintf(res, sizeof res, "open (due in %s)", inc_duration_format(due - now, d));
	else
		snprintf(res, sizeof res, "-");
	md_row(b, 4, name, tm(due, t1), tm(done, t2), res);
}

static int
sla(struct inc_ctx *ctx, struct inc_buf *b, const struct inc_incident *inc, char *err)
{
	struct inc_sql *q = inc_sql(ctx->db,
		"SELECT start, \"end\" FROM hold WHERE incident = ? ORDER BY start");
	int64_t resolved = inc->status == INC_RESOLVED || inc->status == INC_CLOSED ?
		inc->resolved_at : INC_NULL;
	char t1[INC_TIMELEN], t2[INC_TIMELEN], d[INC_TIMELEN];
	int rc, n = 0;

	inc_buf_addstr(b, "\n## SLA\n\n");
	if (!inc->sla_policy) {
		inc_buf_addstr(b, "No SLA policy was attached.\n");
	} else {
		inc_buf_printf(b, "Policy %s; on hold for %s of working time.\n\n",
			       inc->sla_policy,
			       inc_duration_format(inc->paused_s == INC_NULL ? 0 : inc->paused_s, d));
		md_head(b, "Target | Due | Done | Result");
		target(b, "Response", inc->response_due, inc->responded_at, inc->response_met,
		       ctx->now);
		target(b, "Resolution", inc->resolve_due, resolved, inc->resolve_met, ctx->now);
	}
	inc_sql_int(q, 1, inc->id);
	while ((rc = inc_sql_step(q)) > 0) {
		int64_t start = inc_sql_col_int(q, 0), end = inc_sql_col_int(q, 1);

		if (!n++)
			inc_buf_addstr(b, "\nOn hold:\n\n");
		if (end == INC_NULL)
			inc_buf_printf(b, "- since %s (%s so far)\n", tm(start, t1),
				       inc_duration_format(ctx->now - start, d));
		else
			inc_buf_printf(b, "- %s to %s (%s)\n", tm(start, t1), tm(end, t2),
				       inc_duration_format(end - start, d));
	}
	inc_sql_reset(q);
	return rc < 0 ? inc_db_err(ctx->db, err) : 0;
}

static int
tasks(struct inc_ctx *ctx, struct inc_buf *b, int64_t id, char *err)
{
	struct inc_sql *q = inc_sql(ctx->db,
		"SELECT id, title, grp, assignee, status, due, done_at FROM task"
		" WHERE incident = ? ORDER BY id");
	int rc, n = 0;

	inc_buf_addstr(b, "\n## Tasks\n\n");
	inc_sql_int(q, 1, id);
	while ((rc = inc_sql_step(q)) > 0) {
		char t1[INC_TIMELEN], t2[INC_TIMELEN], num[24];

		if (!n++)
			md_head(b, "Task | Title | Group | Assignee | Status | Due | Done");
		snprintf(num, sizeof num, "%lld", (long long)inc_sql_col_int(q, 0));
		md_row(b, 7, num, inc_sql_col_text(q, 1), inc_sql_col_text(q, 2),
		       inc_sql_col_text(q, 3), inc_sql_col_text(q, 4),
		       tm(inc_sql_col_int(q, 5), t1), tm(inc_sql_col_int(q, 6), t2));
	}
	inc_sql_reset(q);
	if (!n)
		inc_buf_addstr(b, "No tasks.\n");
	return rc < 0 ? inc_db_err(ctx->db, err) : 0;
}

/* Text as a Markdown list item or quote: later lines indented by prefix. */
static void
md_lines(struct inc_buf *b, const char *s, const char *prefix)
{
	for (; s && *s; s++) {
		if (*s == '\n')
			inc_buf_printf(b, "\n%s", prefix);
		else if (*s != '\r')
			inc_buf_add(b, s, 1);
	}
	inc_buf_addstr(b, "\n");
}

static void
notes(struct inc_buf *b, const struct trail *t)
{
	char tb[INC_TIMELEN];
	int n = 0;

	inc_buf_addstr(b, "\n## Notes\n\n");
	for (size_t i = 0; i < t->n; i++) {
		if (!eq(t->r[i].action, "note") || t->r[i].task != INC_NULL)
			continue;
		inc_buf_printf(b, "- %s, %s: ", inc_time_format(t->r[i].at, tb),
			       t->r[i].actor);
		md_lines(b, t->r[i].new_, "  ");
		n++;
	}
	if (!n)
		inc_buf_addstr(b, "No notes.\n");
}

static void
survey(struct inc_buf *b, const struct inc_incident *inc)
{
	inc_buf_addstr(b, "\n## Survey\n\n");
	if (inc->rating == INC_NULL) {
		inc_buf_addstr(b, "No survey answer.\n");
		return;
	}
	inc_buf_printf(b, "Rating %lld of 5.\n", (long long)inc->rating);
	if (inc->feedback) {
		inc_buf_addstr(b, "\n> ");
		md_lines(b, inc->feedback, "> ");
	}
}

/* ---- the review's six areas: what inc knows under each, then the
 * questions the meeting answers ---- */

/* The first row of the trail (not a task's) with this action, or field. */
static const struct inc_audit_row *
first(const struct trail *t, const char *action, const char *field)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->r[i].task == INC_NULL && (!action || eq(t->r[i].action, action)) &&
		    (!field || eq(t->r[i].field, field)))
			return &t->r[i];
	return NULL;
}

static size_t
count(const struct trail *t, const char *action, const char *field)
{
	size_t n = 0;

	for (size_t i = 0; i < t->n; i++)
		n += t->r[i].task == INC_NULL && (!action || eq(t->r[i].action, action)) &&
		     (!field || eq(t->r[i].field, field));
	return n;
}

/* "- " line: a fact. */
static void __attribute__((format(printf, 2, 3)))
bullet(struct inc_buf *b, const char *fmt, ...)
{
	va_list ap;

	inc_buf_addstr(b, "- ");
	va_start(ap, fmt);
	inc_buf_vprintf(b, fmt, ap);
	va_end(ap);
	inc_buf_addstr(b, "\n");
}

/* "N thing" or "N things" */
static const char *
plural(size_t n, const char *one, const char *many, char *buf, size_t len)
{
	snprintf(buf, len, "%zu %s", n, n == 1 ? one : many);
	return buf;
}

static void
area(struct inc_buf *b, int n, const char *title)
{
	inc_buf_printf(b, "\n### %d. %s\n\n", n, title);
}

static void
questions(struct inc_buf *b, const char *q)
{
	inc_buf_printf(b, "\n%s\n", q);
}

static void
identification(struct inc_buf *b, const struct inc_incident *inc, const struct trail *t)
{
	const struct inc_audit_row *c = first(t, "classified", NULL), *m = NULL;
	char tb[INC_TIMELEN], db[INC_TIMELEN];

	area(b, 1, "Identification");
	if (inc->detected_at != INC_NULL && inc->detected_at < inc->created_at)
		bullet(b, "Detected %s, logged %s later", inc_time_format(inc->detected_at, tb),
		       inc_duration_format(inc->created_at - inc->detected_at, db));
	else
		bullet(b, "Logged when detected, %s", inc_time_format(inc->created_at, tb));
	bullet(b, "Source: %s; requester: %s", inc->source ? inc->source : "none given",
	       inc->requester ? inc->requester : "none given");
	if (c)
		bullet(b, "Classified %s after logging; priority %s now, changed %zu time%s",
		       inc_duration_format(c->at - inc->created_at, db),
		       inc->priority ? inc->priority : "none", count(t, NULL, "priority") ?
		       count(t, NULL, "priority") - 1 : 0,
		       count(t, NULL, "priority") == 2 ? "" : "s");
	else
		bullet(b, "Never classified by the rules; priority %s",
		       inc->priority ? inc->priority : "none");
	for (size_t i = 0; i < t->n; i++)
		if (eq(t->r[i].field, "major") && eq(t->r[i].new_, "true"))
			m = &t->r[i];
	if (inc->major > 0)
		bullet(b, "A major incident%s%s%s", m ? ", declared " : "",
		       m ? inc_duration_format(m->at - inc->created_at, db) : "",
		       m ? " after logging" : "");
	questions(b, "How was it detected, and could it have been detected, or logged, sooner?"
		  " Was it classified and prioritized right the first time?");
}

static int
communication(struct inc_ctx *ctx, struct inc_buf *b, const struct inc_incident *inc,
	      const struct trail *t, char *err)
{
	struct inc_sql *q = inc_sql(ctx->db, "SELECT count(*), count(sent_at),"
				    " sum(CASE WHEN sent_at IS NULL AND attempts > 0 THEN 1 ELSE 0 END),"
				    " sum(CASE WHEN rcpt = ?2 THEN 1 ELSE 0 END)"
				    " FROM outbox WHERE incident = ?1");
	const struct inc_audit_row *first_reply = NULL;
	size_t desk = 0, requester = 0, notices = count(t, "notified", NULL);
	char db[INC_TIMELEN], n1[64], n2[64];
	int rc;

	area(b, 2, "Communication");
	for (size_t i = 0; i < t->n; i++) {
		if (!eq(t->r[i].action, "reply") || t->r[i].task != INC_NULL)
			continue;
		if (inc_streq(t->r[i].actor, inc->requester)) {
			requester++;
		} else {
			desk++;
			if (!first_reply)
				first_reply = &t->r[i];
		}
	}
	if (first_reply)
		bullet(b, "%s to the requester, the first %s after logging",
		       plural(desk, "reply", "replies", n1, sizeof n1),
		       inc_duration_format(first_reply->at - inc->created_at, db));
	else
		bullet(b, "No reply to the requester");
	bullet(b, "%s from the requester, %s",
	       plural(requester, "reply", "replies", n1, sizeof n1),
	       plural(count(t, "note", NULL), "internal note", "internal notes", n2, sizeof n2));
	bullet(b, "%s by the escalation rules", plural(notices, "notice", "notices", n1, sizeof n1));
	inc_sql_int(q, 1, inc->id);
	inc_sql_text(q, 2, inc->requester ? inc->requester : "");
	if ((rc = inc_sql_step(q)) > 0) {
		int64_t all = inc_sql_col_int(q, 0), sent = inc_sql_col_int(q, 1),
			failing = inc_sql_col_int(q, 2), to_req = inc_sql_col_int(q, 3);

		if (all > 0)
			bullet(b, "%lld mail%s by inc-notify, %lld to the requester; %lld sent,"
			       " %lld failing", (long long)all, all == 1 ? "" : "s",
			       (long long)(to_req == INC_NULL ? 0 : to_req), (long long)sent,
			       (long long)(failing == INC_NULL ? 0 : failing));
		else
			bullet(b, "No mail by inc-notify");
	}
	inc_sql_reset(q);
	if (rc < 0)
		return inc_db_err(ctx->db, err);
	questions(b, "Were the requester and those affected told what they needed, when they"
		  " needed it? Did the right people hear of the warnings and breaches?");
	return 0;
}

static void
structure(struct inc_buf *b, const struct inc_incident *inc, const struct trail *t)
{
	struct inc_buf g = {0};
	size_t by_rule = 0, by_hand = 0, nowhere = 0;
	char n1[64];

	area(b, 3, "Structure");
	for (size_t i = 0; i < t->n; i++) {
		const struct inc_audit_row *r = &t->r[i];

		if (r->task != INC_NULL || !r->field)
			continue;
		if (eq(r->field, "group") && r->new_)
			inc_buf_printf(&g, "%s%s", g.len ? ", " : "", r->new_);
		if (eq(r->action, "escalated") && eq(r->field, "by hand"))
			by_hand++;
		else if (eq(r->action, "escalated") && strchr(r->field, ':'))
			by_rule++;
		else if (eq(r->action, "notified") && strstr(r->field, ":functional"))
			nowhere++;
	}
	inc_buf_add(&g, "", 1);
	bullet(b, "Groups, in turn: %s", g.len > 1 ? g.data : inc->group ? inc->group : "none");
	bullet(b, "%s; first assignee %s, now %s",
	       plural((size_t)(inc->reassignment_count > 0 ? inc->reassignment_count : 0),
		      "reassignment", "reassignments", n1, sizeof n1),
	       inc->first_assignee ? inc->first_assignee : "none",
	       inc->assignee ? inc->assignee : "none");
	bullet(b, "Escalation level %lld: %zu by the rules, %zu by hand",
	       (long long)(inc->escalation_level == INC_NULL ? 0 : inc->escalation_level),
	       by_rule, by_hand);
	if (nowhere)
		bullet(b, "%zu functional rule%s found no group to escalate to", nowhere,
		       nowhere == 1 ? "" : "s");
	inc_buf_free(&g);
	questions(b, "Did the incident reach the team that could fix it, and quickly? Were the"
		  " roles, the groups' escalate_to and the escalation rules right?");
}

static int
resources(struct inc_ctx *ctx, struct inc_buf *b, const struct inc_incident *inc,
	  const struct trail *t, char *err)
{
	struct inc_sql *q = inc_sql(ctx->db, "SELECT count(*), sum(CASE WHEN status = 'done' THEN 1 ELSE 0 END),"
				    " sum(CASE WHEN due IS NOT NULL AND coalesce(done_at, ?2) > due"
				    " THEN 1 ELSE 0 END)"
				    " FROM task WHERE incident = ?1");
	struct inc_buf who = {0};
	char db[INC_TIMELEN];
	int rc;

	area(b, 4, "Resources");
	for (size_t i = 0; i < t->n; i++) {
		const char *a = t->r[i].field && eq(t->r[i].field, "assignee") ? t->r[i].new_ : NULL;

		if (a && !(who.len && strstr(who.data, a)))
			inc_buf_printf(&who, "%s%s", who.len ? ", " : "", a);
	}
	inc_buf_add(&who, "", 1);
	bullet(b, "Worked by: %s", who.len > 1 ? who.data : inc->assignee ? inc->assignee : "nobody");
	inc_buf_free(&who);
	inc_sql_int(q, 1, inc->id);
	inc_sql_int(q, 2, ctx->now);
	if ((rc = inc_sql_step(q)) > 0) {
		int64_t n = inc_sql_col_int(q, 0), done = inc_sql_col_int(q, 1),
			late = inc_sql_col_int(q, 2);

		bullet(b, "%lld task%s, %lld done, %lld late", (long long)n, n == 1 ? "" : "s",
		       (long long)(done == INC_NULL ? 0 : done),
		       (long long)(late == INC_NULL ? 0 : late));
	}
	inc_sql_reset(q);
	if (rc < 0)
		return inc_db_err(ctx->db, err);
	bullet(b, "On hold for %s of working time",
	       inc_duration_format(inc->paused_s == INC_NULL ? 0 : inc->paused_s, db));
	questions(b, "Did those working it have the skills, the access, the tools and the time"
		  " they needed? What were they waiting for while it was on hold?");
	return 0;
}

static const char *
met_text(int64_t met)
{
	return met == 1 ? "met" : met == 0 ? "breached" : "not decided";
}

static void
process(struct inc_buf *b, const struct inc_incident *inc, const struct trail *t)
{
	char n1[64];

	area(b, 5, "Process");
	if (inc->sla_policy)
		bullet(b, "SLA %s: response %s, resolution %s", inc->sla_policy,
		       met_text(inc->response_met), met_text(inc->resolve_met));
	else
		bullet(b, "No SLA policy");
	bullet(b, "Reopened %lld time%s", (long long)(inc->reopen_count == INC_NULL ? 0 :
						   inc->reopen_count),
	       inc->reopen_count == 1 ? "" : "s");
	bullet(b, "%s", plural(count(t, "forced", NULL), "step forced past the rules (--force)",
			       "steps forced past the rules (--force)", n1, sizeof n1));
	questions(b, "Was the process followed, and did it help? Where did it get in the way"
		  " (holds, reopenings, forced steps, rules that fired too late or too often)?");
}

static void
reporting(struct inc_buf *b, const struct inc_incident *inc, const struct trail *t)
{
	json_t *links = inc->links ? json_loads(inc->links, 0, NULL) : NULL, *l;
	size_t i, problems = 0;
	const char *how = inc->status == INC_CLOSED && first(t, "auto-closed", NULL) &&
			  !first(t, "closed", "status") ? "closed by the expiry job, unconfirmed" :
			  inc->status == INC_CLOSED && inc->resolved_at == INC_NULL ?
			  "closed without a resolution" :
			  inc->status == INC_CLOSED ? "closed, confirmed" :
			  inc_status_name(inc->status);

	area(b, 6, "Reporting");
	bullet(b, "Status: %s; closure code %s, resolution type %s", how,
	       inc->closure_code ? inc->closure_code : "none",
	       inc->resolution_type ? inc->resolution_type : "none");
	json_array_foreach(links, i, l)
		problems += inc_streq(json_string_value(json_object_get(l, "type")), "problem");
	json_decref(links);
	bullet(b, "%zu problem record%s linked", problems, problems == 1 ? "" : "s");
	if (inc->rating != INC_NULL)
		bullet(b, "Survey: %lld of 5", (long long)inc->rating);
	else
		bullet(b, "No survey answer");
	questions(b, "Is the record right for the KPIs (times, codes, category)? Does the root"
		  " cause have a problem record? Which actions follow, with an owner and a due date?");
}

/* ---- the facts ---- */

static void
fact(struct inc_buf *b, const char *name, const char *value)
{
	md_row(b, 2, name, value);
}

/* A time and how long after logging it came. */
static void
fact_time(struct inc_buf *b, const char *name, int64_t t, int64_t created)
{
	char tb[INC_TIMELEN], db[INC_TIMELEN], v[2 * INC_TIMELEN + 16];

	if (t == INC_NULL) {
		fact(b, name, NULL);
		return;
	}
	snprintf(v, sizeof v, "%s (after %s)", inc_time_format(t, tb),
		 inc_duration_format(t - created, db));
	fact(b, name, v);
}

static void
fact_int(struct inc_buf *b, const char *name, int64_t v)
{
	char s[32];

	snprintf(s, sizeof s, "%lld", (long long)(v == INC_NULL ? 0 : v));
	fact(b, name, s);
}

static void
facts(struct inc_buf *b, const struct inc_incident *inc)
{
	struct inc_buf v = {0};
	json_t *links = inc->links ? json_loads(inc->links, 0, NULL) : NULL, *l;
	char tb[INC_TIMELEN];
	size_t i;

	inc_buf_printf(b, "# Post-incident review: INC-%lld\n\n", (long long)inc->id);
	md_head(b, "Field | Value");
	fact(b, "Subject", inc->subject);
	fact(b, "Status", inc_status_name(inc->status));
	if (inc->priority && inc->impact && inc->urgency)
		inc_buf_printf(&v, "%s (impact %s, urgency %s)", inc->priority, inc->impact,
			       inc->urgency);
	fact(b, "Priority", v.len ? v.data : inc->priority);
	v.len = 0;
	if (inc->category && inc->subcategory)
		inc_buf_printf(&v, "%s / %s", inc->category, inc->subcategory);
	fact(b, "Category", v.len ? v.data : inc->category);
	fact(b, "Major incident", inc->major > 0 ? "yes" : "no");
	fact(b, "Source", inc->source);
	fact(b, "Requester", inc->requester);
	fact(b, "Group", inc->group);
	fact(b, "Assignee", inc->assignee);
	fact(b, "First assignee", inc->first_assignee);
	if (inc->detected_at != INC_NULL && inc->detected_at < inc->created_at) {
		char db[INC_TIMELEN];

		v.len = 0;
		inc_buf_printf(&v, "%s (%s before logging)", inc_time_format(inc->detected_at, tb),
			       inc_duration_format(inc->created_at - inc->detected_at, db));
		fact(b, "Detected", v.data);
	} else {
		fact(b, "Detected", "at logging");
	}
	fact(b, "Logged", inc_time_format(inc->created_at, tb));
	fact_time(b, "Responded", inc->responded_at, inc->created_at);
	fact_time(b, "Resolved", inc->resolved_at, inc->created_at);
	fact_time(b, "Closed", inc->closed_at, inc->created_at);
	fact(b, "Resolution", inc->resolution);
	fact(b, "Resolution type", inc->resolution_type);
	fact(b, "Closure code", inc->closure_code);
	fact_int(b, "Escalation level", inc->escalation_level);
	fact(b, "Escalated", inc->escalated > 0 ? "yes" : "no");
	fact_int(b, "Reassignments", inc->reassignment_count);
	fact_int(b, "Reopened", inc->reopen_count);
	v.len = 0;
	json_array_foreach(links, i, l)
		inc_buf_printf(&v, "%s%s:%s", i ? ", " : "",
			       json_string_value(json_object_get(l, "type")),
			       json_string_value(json_object_get(l, "ref")));
	inc_buf_add(&v, "", 1);
	fact(b, "Links", v.data);
	json_decref(links);
	inc_buf_free(&v);
}

int
inc_review(struct inc_ctx *ctx, int64_t id, struct inc_buf *out, char *err)
{
	struct inc_incident inc;
	struct trail t = {0};
	int rc;

	inc_incident_init(&inc);
	rc = inc_incident_load(ctx, id, &inc, err);
	if (rc <= 0)
		return rc;
	rc = inc_audit_read(ctx, id, &t.r, &t.n, err);
	if (rc == 0) {
		facts(out, &inc);
		timeline(out, &t, inc.created_at);
		time_spent(out, &inc, &t, ctx->now);
		rc = sla(ctx, out, &inc, err);
	}
	if (rc == 0)
		rc = tasks(ctx, out, id, err);
	if (rc == 0) {
		notes(out, &t);
		survey(out, &inc);
		inc_buf_addstr(out, "\n## Review\n\n"
			       "- What happened, and what did it cost the users?\n"
			       "- Root cause:\n"
			       "- What went well:\n"
			       "- What went wrong, and why:\n"
			       "- Actions (owner, due date):\n");
		identification(out, &inc, &t);
		rc = communication(ctx, out, &inc, &t, err);
	}
	if (rc == 0) {
		structure(out, &inc, &t);
		rc = resources(ctx, out, &inc, &t, err);
	}
	if (rc == 0) {
		process(out, &inc, &t);
		reporting(out, &inc, &t);
	}
	inc_audit_free(t.r, t.n);
	inc_incident_clear(&inc);
	return rc == 0 ? 1 : -1;
}
