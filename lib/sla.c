/*
 * sla.c - SLA clocks (SPEC sections 3 and 5): which policy applies, the
 * response and resolve clocks counted in the policy's business calendar
 * from created_at and stopped by holds, warning and due instants, met flags
 * and states; the next instant anything about an incident can change (so
 * that the cron pass costs what changes, not what is open); what one
 * inc-sla pass does to an incident; the config fingerprint that keeps an
 * edited config from moving due times unseen; and --explain.
 *
 * A clock is a function of time: the working seconds of the calendar since
 * created_at, less those spent on hold. Every instant (warning, due, a
 * delayed escalation rule) is the first at which the clock reaches some
 * amount, which is why a hold that starts at or after an instant does not
 * move it, and one that starts before moves it by exactly its working
 * seconds.
 */
#define _GNU_SOURCE
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "inc.h"
#include "calendar_int.h"	/* civil dates, for --explain's local days */

static const char *const state_names[] = {"ok", "warning", "breached", "met"};
static const char *const target_names[] = {"response", "resolve"};

const char *
inc_sla_state_name(enum inc_sla_state s)
{
	return state_names[s];
}

/* ---- calendars (a policy without one counts around the clock, in UTC) ---- */

static int64_t
cal_add(const struct inc_calendar *c, int64_t t, int64_t secs)
{
	if (c)
		return inc_cal_add(c, t, secs);
	if (secs <= 0)
		return t;
	return secs > INT64_MAX - t ? INT64_MAX : t + secs;
}

static int64_t
cal_count(const struct inc_calendar *c, int64_t a, int64_t b)
{
	if (c)
		return inc_cal_count(c, a, b);
	return b > a ? b - a : 0;
}

/* ---- policies ---- */

const struct inc_policy *
inc_sla_policy(const struct inc_config *c, const char *name)
{
	for (size_t i = 0; name && i < c->npolicies; i++)
		if (strcmp(c->policies[i].name, name) == 0)
			return &c->policies[i];
	return NULL;
}

/* The record's value of a field a policy may match on; major as
 * "true"/"false". */
static const char *
field_value(const struct inc_incident *r, const char *k)
{
	static const struct {
		const char *name;
		size_t off;
	} f[] = {
#define F(n, m) {n, offsetof(struct inc_incident, m)}
		F("subject", subject), F("description", description),
		F("requester", requester), F("source", source), F("category", category),
		F("subcategory", subcategory), F("impact", impact), F("urgency", urgency),
		F("priority", priority), F("status", status), F("group", group),
		F("assignee", assignee),
#undef F
	};

	if (strcmp(k, "major") == 0)
		return r->major ? "true" : "false";
	for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
		if (strcmp(k, f[i].name) == 0)
			return *(char *const *)((const char *)r + f[i].off);
	return NULL;
}

/* 1 if every value of p's match equals the record's; why (may be NULL)
 * says so, or names the first field that differs. */
static int
policy_holds(const struct inc_policy *p, const struct inc_incident *r, struct inc_buf *why)
{
	const char *k;
	json_t *v;
	int first = 1;

	if (json_object_size(p->match) == 0) {
		if (why)
			inc_buf_addstr(why, "matches every incident");
		return 1;
	}
	json_object_foreach((json_t *)p->match, k, v) {
		const char *want = json_is_boolean(v) ? (json_is_true(v) ? "true" : "false") :
				   json_string_value(v);
		const char *have = field_value(r, k);

		if (!have || !want || strcmp(have, want) != 0) {
			if (why) {
				inc_buf_printf(why, "%s is ", k);
				inc_buf_printf(why, have ? "\"%s\"" : "%s", have ? have : "null");
				inc_buf_printf(why, ", not \"%s\"", want ? want : "");
			}
			return 0;
		}
		if (why)
			inc_buf_printf(why, "%s%s is \"%s\"", first ? "" : ", ", k, have);
		first = 0;
	}
	return 1;
}

const struct inc_policy *
inc_sla_match(const struct inc_config *c, const struct inc_incident *r)
{
	for (size_t i = 0; i < c->npolicies; i++)
		if (policy_holds(&c->policies[i], r, NULL))
			return &c->policies[i];
	return NULL;
}

/* ---- clocks ---- */

/*
 * The instant target's clock reaches amount: the calendar's working time
 * from created_at, each hold that starts before the instant found so far
 * (and before the target was decided) pushing it on by its working
 * seconds. A hold still open counts up to now and freezes the clock.
 * *nused: holds that counted (the first ones, sorted by start).
 */
static int64_t
instant(const struct inc_sla_clock *ck, int x, int64_t amount, int *frozen, int64_t *paused,
	size_t *nused)
{
	const struct inc_calendar *cal = ck->policy->calendar;
	int64_t created = ck->r->created_at, t = cal_add(cal, created, amount);
	int64_t held = 0, prev = created;
	size_t i;
	int fz = 0;

	for (i = 0; i < ck->nholds; i++) {
		const struct inc_sla_hold *h = &ck->holds[i];
		int64_t s = h->start > prev ? h->start : prev;
		int64_t e = h->end == INC_NULL ? ck->now : h->end;

		if (t == INT64_MAX || s >= t)
			break;
		if (ck->decided[x] != INC_NULL && s >= ck->decided[x])
			break;
		if (h->end == INC_NULL)
			fz = 1;
		if (e > prev)
			prev = e;
		if (e <= s)
			continue;
		held += cal_count(cal, s, e);
		t = cal_add(cal, created, amount > INT64_MAX / 2 - held ? INT64_MAX / 2 : amount + held);
	}
	if (frozen)
		*frozen = fz;
	if (paused)
		*paused = held;
	if (nused)
		*nused = i;
	return t;
}

int64_t
inc_sla_instant(const struct inc_sla_clock *ck, int target, int64_t amount, int *frozen)
{
	return instant(ck, target, amount, frozen, NULL, NULL);
}

static int64_t rule_at(const struct inc_sla_clock *, const struct inc_escrule *);

static int
load_holds(struct inc_ctx *ctx, int64_t id, struct inc_sla_clock *ck, char *err)
{
	sqlite3_stmt *st = inc_stmt(ctx, "SELECT start, end FROM hold WHERE incident=?"
				    " ORDER BY start");
	size_t cap = 0;
	int rc;

	sqlite3_bind_int64(st, 1, id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (ck->nholds == cap) {
			cap = cap ? cap * 2 : 4;
			ck->holds = inc_xrealloc(ck->holds, cap * sizeof *ck->holds);
		}
		ck->holds[ck->nholds].start = sqlite3_column_int64(st, 0);
		ck->holds[ck->nholds++].end = inc_col_int(st, 1);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return inc_err(err, "%s", sqlite3_errmsg(ctx->db));
	return 0;
}

int
inc_sla_clock(struct inc_ctx *ctx, const struct inc_incident *r, struct inc_sla_clock *ck,
	      char *err)
{
	memset(ck, 0, sizeof *ck);
	ck->r = r;
	ck->now = ctx->now;
	ck->open = inc_is_open(r->status);
	ck->policy = inc_sla_policy(ctx->cfg, r->sla_policy);
	if (!ck->policy)
		return inc_err(err, "SLA policy \"%s\" is not in %s", r->sla_policy ? r->sla_policy : "",
			       ctx->cfg->path);
	if (load_holds(ctx, r->id, ck, err) < 0)
		return -1;
	ck->target[INC_SLA_RESPONSE] = ck->policy->response;
	ck->target[INC_SLA_RESOLVE] = ck->policy->resolve;
	ck->decided[INC_SLA_RESPONSE] = r->responded_at;
	ck->decided[INC_SLA_RESOLVE] = r->resolved_at;
	for (int x = 0; x < 2; x++) {
		int64_t w = llround(ck->policy->warn * (double)ck->target[x]);

		ck->warn[x] = w < 0 ? 0 : w > ck->target[x] ? ck->target[x] : w;
		ck->due[x] = instant(ck, x, ck->target[x], &ck->frozen[x],
				     x == INC_SLA_RESOLVE ? &ck->paused_s : NULL, NULL);
		ck->warn_at[x] = instant(ck, x, ck->warn[x], &ck->wfrozen[x], NULL, NULL);
		if (ck->decided[x] != INC_NULL)
			ck->state[x] = ck->decided[x] <= ck->due[x] ? INC_SLA_MET : INC_SLA_BREACHED;
		else if (ck->now > ck->due[x])
			ck->state[x] = INC_SLA_BREACHED;
		else if (ck->now > ck->warn_at[x])
			ck->state[x] = INC_SLA_WARNING;
		else
			ck->state[x] = INC_SLA_OK;
	}
	ck->rules = ctx->cfg->escalation;
	ck->nrules = ctx->cfg->nescalation;
	ck->rule_at = inc_xmalloc((ck->nrules + 1) * sizeof *ck->rule_at);
	for (size_t i = 0; i < ck->nrules; i++)
		ck->rule_at[i] = rule_at(ck, &ck->rules[i]);
	return 0;
}

void
inc_sla_clock_free(struct inc_sla_clock *ck)
{
	free(ck->holds);
	free(ck->rule_at);
	ck->holds = NULL;
	ck->rule_at = NULL;
	ck->nholds = ck->nrules = 0;
}

int
inc_sla_rule_target(const struct inc_escrule *e)
{
	return strncmp(e->on, "response_", 9) == 0 ? INC_SLA_RESPONSE : INC_SLA_RESOLVE;
}

static int
rule_is_warning(const struct inc_escrule *e)
{
	return strstr(e->on, "_warning") != NULL;
}

static int64_t
rule_at(const struct inc_sla_clock *ck, const struct inc_escrule *e)
{
	int x = inc_sla_rule_target(e), fz;
	int64_t base = rule_is_warning(e) ? ck->warn[x] : ck->target[x], t;

	if (!ck->open || ck->state[x] == INC_SLA_MET)
		return INC_NULL;
	if (e->after == 0) {
		t = rule_is_warning(e) ? ck->warn_at[x] : ck->due[x];
		fz = rule_is_warning(e) ? ck->wfrozen[x] : ck->frozen[x];
	} else {
		t = instant(ck, x, base > INT64_MAX / 2 - e->after ? INT64_MAX / 2 : base + e->after,
			    &fz, NULL, NULL);
	}
	return fz || t == INT64_MAX ? INC_NULL : t;
}

int64_t
inc_sla_rule_at(const struct inc_sla_clock *ck, const struct inc_escrule *e)
{
	if (ck->rule_at && e >= ck->rules && e < ck->rules + ck->nrules)
		return ck->rule_at[e - ck->rules];
	return rule_at(ck, e);
}

int
inc_sla_rule_due(const struct inc_sla_clock *ck, const struct inc_escrule *e)
{
	int x = inc_sla_rule_target(e);
	int64_t t = inc_sla_rule_at(ck, e);

	if (t == INC_NULL || ck->now <= t)
		return 0;
	/* a target decided before the instant never got there */
	return ck->decided[x] == INC_NULL || ck->decided[x] > t;
}

/* ---- the stored fields ---- */

/* How bad a state is, for "changed since reported": met counts as ok. */
static int
severity(const char *s)
{
	if (!s)
		return 0;
	if (strcmp(s, "warning") == 0)
		return 1;
	if (strcmp(s, "breached") == 0)
		return 2;
	return 0;
}

static int
sev_of(enum inc_sla_state s)
{
	return s == INC_SLA_WARNING ? 1 : s == INC_SLA_BREACHED ? 2 : 0;
}

static const char *
overall(const struct inc_sla_clock *ck)
{
	int a = sev_of(ck->state[0]), b = sev_of(ck->state[1]);

	if (ck->state[0] == INC_SLA_MET && ck->state[1] == INC_SLA_MET)
		return "met";
	return state_names[a > b ? a : b];
}

static void
apply(struct inc_incident *r, const struct inc_sla_clock *ck)
{
	r->response_due = ck->due[INC_SLA_RESPONSE] == INT64_MAX ? INC_NULL :
			  ck->due[INC_SLA_RESPONSE];
	r->resolve_due = ck->due[INC_SLA_RESOLVE] == INT64_MAX ? INC_NULL :
			 ck->due[INC_SLA_RESOLVE];
	r->paused_s = ck->paused_s;
	r->response_met = ck->decided[INC_SLA_RESPONSE] == INC_NULL ? INC_NULL :
			  ck->state[INC_SLA_RESPONSE] == INC_SLA_MET;
	r->resolve_met = ck->decided[INC_SLA_RESOLVE] == INC_NULL ? INC_NULL :
			 ck->state[INC_SLA_RESOLVE] == INC_SLA_MET;
	inc_set_str(&r->sla_state, overall(ck));
}

static void
consider(const struct inc_incident *r, int64_t t, int64_t *best)
{
	if (t == INC_NULL || t == INT64_MAX)
		return;
	t++;	/* the first second past the instant: "passes strictly" */
	if (r->sla_checked_at != INC_NULL && t <= r->sla_checked_at)
		return;	/* inc-sla has seen it pass */
	if (t < *best)
		*best = t;
}

/*
 * The next instant inc-sla must look at r: the earliest warning, due or
 * delayed-rule instant it has not yet seen pass (instants held back by an
 * open hold are not known yet, so they do not count), or now when a
 * target's state differs from the one last reported.
 */
static void
next_check(struct inc_ctx *ctx, struct inc_incident *r, const struct inc_sla_clock *ck)
{
	const char *rep[2] = {r->sla_response_state, r->sla_resolve_state};
	int64_t best = INT64_MAX;

	for (int x = 0; ck->open && x < 2; x++) {
		int64_t t;

		if (ck->decided[x] == INC_NULL) {
			if (!ck->wfrozen[x])
				consider(r, ck->warn_at[x], &best);
			if (!ck->frozen[x])
				consider(r, ck->due[x], &best);
		}
		/* a delayed rule may have come due just before its target was
		 * decided: that counts too */
		for (size_t i = 0; i < ctx->cfg->nescalation; i++) {
			const struct inc_escrule *e = &ctx->cfg->escalation[i];

			if (e->after <= 0 || inc_sla_rule_target(e) != x)
				continue;
			t = inc_sla_rule_at(ck, e);
			if (t != INC_NULL && (ck->decided[x] == INC_NULL || t < ck->decided[x]))
				consider(r, t, &best);
		}
	}
	for (int x = 0; x < 2; x++)
		if (sev_of(ck->state[x]) != severity(rep[x]) && ctx->now < best)
			best = ctx->now;
	r->sla_next_check = best == INT64_MAX ? INC_NULL : best;
}

/* With the config changed and not yet applied: only what the stored due
 * times decide by themselves. */
static void
decide_stored(struct inc_incident *r)
{
	if (r->responded_at != INC_NULL && r->response_due != INC_NULL)
		r->response_met = r->responded_at <= r->response_due;
	if (r->resolved_at != INC_NULL && r->resolve_due != INC_NULL)
		r->resolve_met = r->resolved_at <= r->resolve_due;
	else if (r->resolved_at == INC_NULL)
		r->resolve_met = INC_NULL;
	if (r->response_met == 1 && r->resolve_met == 1)
		inc_set_str(&r->sla_state, "met");
}

/* The computing half of inc_sla_update, leaving ck filled (policy known). */
static int
refresh(struct inc_ctx *ctx, struct inc_incident *r, struct inc_sla_clock *ck, char *err)
{
	const struct inc_policy *q;
	int st;

	memset(ck, 0, sizeof *ck);
	if (!r->sla_policy) {
		/* something changed: a policy may match now */
		if (r->sla_checked_at != INC_NULL && inc_is_open(r->status) &&
		    inc_sla_match(ctx->cfg, r))
			r->sla_checked_at = INC_NULL;
		r->sla_next_check = INC_NULL;
		return 0;
	}
	if ((st = inc_sla_config_state(ctx, err)) < 0)
		return -1;
	if (st == 2) {
		decide_stored(r);
		return 0;
	}
	if (r->status && strcmp(r->status, "cancelled") == 0) {
		r->sla_next_check = INC_NULL;	/* the clocks stop where they were */
		return 0;
	}
	/* the policy follows the incident; none matching keeps the one it has */
	if (inc_is_open(r->status) && (q = inc_sla_match(ctx->cfg, r)) &&
	    strcmp(q->name, r->sla_policy) != 0)
		inc_set_str(&r->sla_policy, q->name);
	if (!inc_sla_policy(ctx->cfg, r->sla_policy)) {
		r->sla_next_check = INC_NULL;
		return 0;
	}
	if (inc_sla_clock(ctx, r, ck, err) < 0) {
		inc_sla_clock_free(ck);
		return -1;
	}
	apply(r, ck);
	next_check(ctx, r, ck);
	return 1;
}

int
inc_sla_update(struct inc_ctx *ctx, struct inc_incident *r, char *err)
{
	struct inc_sla_clock ck;
	int rc = refresh(ctx, r, &ck, err);

	inc_sla_clock_free(&ck);
	return rc < 0 ? -1 : 0;
}

/* ---- saving ---- */

/* A field of the record (SPEC section 1) differs: not only bookkeeping. */
static int
visible_change(const struct inc_incident *a, const struct inc_incident *b)
{
	return !inc_streq(a->sla_policy, b->sla_policy) || !inc_streq(a->sla_state, b->sla_state) ||
	       a->response_due != b->response_due || a->resolve_due != b->resolve_due ||
	       a->responded_at != b->responded_at || a->response_met != b->response_met ||
	       a->resolve_met != b->resolve_met || a->paused_s != b->paused_s;
}

/* One audit row when an SLA field changed, in record.c's text forms. */
static int
audit_time(struct inc_ctx *ctx, const struct inc_incident *r, const char *action,
	   const char *field, int64_t old, int64_t now, int is_bool, char *err)
{
	char ob[INC_TIMELEN], nb[INC_TIMELEN];
	const char *o = NULL, *n = NULL;

	if (old == now)
		return 0;
	if (old != INC_NULL)
		o = is_bool ? (old ? "true" : "false") : inc_time_format(old, ob);
	if (now != INC_NULL)
		n = is_bool ? (now ? "true" : "false") : inc_time_format(now, nb);
	return inc_audit(ctx, r->id, INC_NULL, action, field, o, n, err);
}

/*
 * The clocks alone moved (a state, a due time): audit rows for the audited
 * SLA fields and an UPDATE of the SLA columns only. Writing every column,
 * as inc_incident_store does, rewrites an entry in each of the incident's
 * indexes: ten times the pages for a cron pass over a large database.
 */
static int
store_clocks(struct inc_ctx *ctx, const struct inc_incident *b, struct inc_incident *r,
	     const char *action, char *err)
{
	sqlite3_stmt *st;

	if (audit_time(ctx, r, action, "response_due", b->response_due, r->response_due, 0, err) < 0 ||
	    audit_time(ctx, r, action, "resolve_due", b->resolve_due, r->resolve_due, 0, err) < 0 ||
	    audit_time(ctx, r, action, "response_met", b->response_met, r->response_met, 1, err) < 0 ||
	    audit_time(ctx, r, action, "resolve_met", b->resolve_met, r->resolve_met, 1, err) < 0)
		return -1;
	if (!inc_streq(b->sla_state, r->sla_state) &&
	    inc_audit(ctx, r->id, INC_NULL, action, "sla_state", b->sla_state, r->sla_state, err) < 0)
		return -1;
	r->updated_at = ctx->now;
	st = inc_stmt(ctx, "UPDATE incident SET response_due=?, resolve_due=?, response_met=?,"
		      " resolve_met=?, paused_s=?, sla_state=?, sla_response_state=?,"
		      " sla_resolve_state=?, sla_next_check=?, sla_checked_at=?, updated_at=?"
		      " WHERE id=?");
	inc_bind_int(st, 1, r->response_due);
	inc_bind_int(st, 2, r->resolve_due);
	inc_bind_int(st, 3, r->response_met);
	inc_bind_int(st, 4, r->resolve_met);
	inc_bind_int(st, 5, r->paused_s);
	sqlite3_bind_text(st, 6, r->sla_state, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, r->sla_response_state, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 8, r->sla_resolve_state, -1, SQLITE_STATIC);
	inc_bind_int(st, 9, r->sla_next_check);
	inc_bind_int(st, 10, r->sla_checked_at);
	sqlite3_bind_int64(st, 11, r->updated_at);
	sqlite3_bind_int64(st, 12, r->id);
	return inc_step_done(ctx->db, st, err);
}

int
inc_sla_save(struct inc_ctx *ctx, const struct inc_incident *before, struct inc_incident *r,
	     const char *action, char *err)
{
	sqlite3_stmt *st;

	/* a policy attached or switched: the whole store, as any change */
	if (!inc_streq(before->sla_policy, r->sla_policy))
		return inc_incident_store(ctx, before, r, action, err);
	if (visible_change(before, r))
		return store_clocks(ctx, before, r, action, err);
	if (inc_streq(before->sla_response_state, r->sla_response_state) &&
	    inc_streq(before->sla_resolve_state, r->sla_resolve_state) &&
	    before->sla_next_check == r->sla_next_check &&
	    before->sla_checked_at == r->sla_checked_at)
		return 0;
	st = inc_stmt(ctx, "UPDATE incident SET sla_response_state=?, sla_resolve_state=?,"
		      " sla_next_check=?, sla_checked_at=? WHERE id=?");
	sqlite3_bind_text(st, 1, r->sla_response_state, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, r->sla_resolve_state, -1, SQLITE_STATIC);
	inc_bind_int(st, 3, r->sla_next_check);
	inc_bind_int(st, 4, r->sla_checked_at);
	sqlite3_bind_int64(st, 5, r->id);
	return inc_step_done(ctx->db, st, err);
}

/* ---- one incident in an inc-sla run ---- */

static json_t *
state_event(const struct inc_sla_clock *ck, int x)
{
	json_t *ev = json_pack("{s:s,s:s}", "kind", ck->state[x] == INC_SLA_BREACHED ?
			       "sla_breached" : "sla_warning", "target", target_names[x]);

	if (ck->state[x] == INC_SLA_BREACHED) {
		int64_t at = ck->decided[x] != INC_NULL ? ck->decided[x] : ck->now;

		json_object_set_new(ev, "overdue_s", json_integer(at - ck->due[x]));
	}
	return ev;
}

/* The most severe transition since the last report (resolve wins a tie),
 * else a delayed rule that came due since the last pass, into *event (left
 * NULL if neither); -1 on error. */
static int
pass_event(struct inc_ctx *ctx, const struct inc_incident *r, const struct inc_sla_clock *ck,
	   int64_t checked, json_t **event, char *err)
{
	const char *rep[2] = {r->sla_response_state, r->sla_resolve_state};
	int best = -1;

	for (int x = 0; x < 2; x++)
		if (sev_of(ck->state[x]) > severity(rep[x]) &&
		    (best < 0 || sev_of(ck->state[x]) >= sev_of(ck->state[best])))
			best = x;
	if (best >= 0) {
		*event = state_event(ck, best);
		return 0;
	}
	for (size_t i = 0; i < ctx->cfg->nescalation; i++) {
		const struct inc_escrule *e = &ctx->cfg->escalation[i];
		int64_t t;
		int fired;
		char d[INC_TIMELEN];

		if (e->after <= 0 || !inc_sla_rule_due(ck, e))
			continue;
		t = inc_sla_rule_at(ck, e);
		if (checked != INC_NULL && t < checked)
			continue;	/* had come due at the last pass */
		if ((fired = inc_esc_fired(ctx, r->id, e->key, err)) < 0)
			return -1;
		if (fired)
			continue;
		*event = state_event(ck, inc_sla_rule_target(e));
		json_object_set_new(*event, "after", json_string(inc_duration_format(e->after, d)));
		return 0;
	}
	return 0;
}

int
inc_sla_check(struct inc_ctx *ctx, struct inc_incident *r, enum inc_sla_mode mode,
	      json_t **event, char *err)
{
	struct inc_incident before;
	struct inc_sla_clock ck;
	const struct inc_policy *p;
	int64_t checked = r->sla_checked_at;
	int rc, out = 0;

	*event = NULL;
	inc_incident_copy(&before, r);
	/* clocks start at created_at, whenever the policy is attached */
	if (!r->sla_policy && mode != INC_SLA_RECOMPUTE && inc_is_open(r->status) &&
	    (p = inc_sla_match(ctx->cfg, r)))
		inc_set_str(&r->sla_policy, p->name);
	rc = refresh(ctx, r, &ck, err);
	if (rc < 0)
		goto done;
	if (mode == INC_SLA_PASS) {
		if (rc > 0) {
			if ((rc = pass_event(ctx, r, &ck, checked, event, err)) < 0)
				goto done;
			inc_set_str(&r->sla_response_state, state_names[ck.state[INC_SLA_RESPONSE]]);
			inc_set_str(&r->sla_resolve_state, state_names[ck.state[INC_SLA_RESOLVE]]);
		}
		r->sla_checked_at = ctx->now;
		if (r->sla_policy && ck.policy)
			next_check(ctx, r, &ck);
		out = *event != NULL;
	} else {
		out = mode == INC_SLA_ALL || visible_change(&before, r);
	}
	rc = inc_sla_save(ctx, &before, r, mode == INC_SLA_RECOMPUTE ? "recompute" : "sla", err);
done:
	inc_sla_clock_free(&ck);
	inc_incident_clear(&before);
	if (rc < 0) {
		json_decref(*event);
		*event = NULL;
		return -1;
	}
	return out;
}

/* ---- the config the due times were computed with ---- */

static void
fnv(uint64_t *h, const char *s)
{
	/* FNV-1a, with the terminating NUL as a separator */
	do {
		*h ^= (unsigned char)*s;
		*h *= 1099511628211ULL;
	} while (*s++);
}

static void
fnv_json(uint64_t *h, const json_t *j)
{
	char *s = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);

	fnv(h, s ? s : "null");
	free(s);
}

/* Everything a stored due time or next-check instant depends on: the
 * policies as loaded, the calendars they use, the delays of the rules. */
static void
fingerprint(const struct inc_config *c, char *out)
{
	const json_t *cals = json_object_get(c->root, "calendars");
	uint64_t h = 14695981039346656037ULL;
	char buf[128];

	for (size_t i = 0; i < c->npolicies; i++) {
		const struct inc_policy *p = &c->policies[i];
		size_t j;
		json_t *cal;

		fnv(&h, p->name);
		fnv_json(&h, p->match);
		snprintf(buf, sizeof buf, "%lld %lld %.17g", (long long)p->response,
			 (long long)p->resolve, p->warn);
		fnv(&h, buf);
		fnv(&h, p->calendar ? inc_calendar_name(p->calendar) : "");
		json_array_foreach(cals, j, cal)
			if (p->calendar && inc_streq(json_string_value(json_object_get(cal, "name")),
						    inc_calendar_name(p->calendar)))
				fnv_json(&h, cal);
	}
	for (size_t i = 0; i < c->nescalation; i++) {
		if (c->escalation[i].after <= 0)
			continue;
		snprintf(buf, sizeof buf, "%s+%lld", c->escalation[i].on,
			 (long long)c->escalation[i].after);
		fnv(&h, buf);
	}
	snprintf(out, 17, "%016llx", (unsigned long long)h);
}

int
inc_sla_config_state(struct inc_ctx *ctx, char *err)
{
	sqlite3_stmt *st;
	char fp[17];
	int rc;

	if (ctx->sla_config)
		return ctx->sla_config == 3 ? 0 : ctx->sla_config;
	st = inc_stmt(ctx, "SELECT value FROM meta WHERE key='sla_config'");
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		fingerprint(ctx->cfg, fp);
		ctx->sla_config = strcmp((const char *)sqlite3_column_text(st, 0), fp) == 0 ? 1 : 2;
	} else if (rc == SQLITE_DONE) {
		ctx->sla_config = 3;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return inc_err(err, "%s", sqlite3_errmsg(ctx->db));
	return ctx->sla_config == 3 ? 0 : ctx->sla_config;
}

int
inc_sla_config_record(struct inc_ctx *ctx, char *err)
{
	sqlite3_stmt *st = inc_stmt(ctx, "INSERT OR REPLACE INTO meta(key, value)"
				    " VALUES('sla_config', ?)");
	char fp[17];
	int rc;

	fingerprint(ctx->cfg, fp);
	sqlite3_bind_text(st, 1, fp, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return inc_err(err, "%s", sqlite3_errmsg(ctx->db));
	ctx->sla_config = 1;
	return 0;
}

/* ---- --explain ---- */

struct seg {
	enum inc_cal_seg kind;
	int64_t from, to;
	char day[32];
};

struct segs {
	struct seg *v;
	size_t n, cap;
};

static void
collect(enum inc_cal_seg kind, int64_t from, int64_t to, const char *day, void *arg)
{
	struct segs *s = arg;

	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 16;
		s->v = inc_xrealloc(s->v, s->cap * sizeof *s->v);
	}
	s->v[s->n].kind = kind;
	s->v[s->n].from = from;
	s->v[s->n].to = to;
	snprintf(s->v[s->n].day, sizeof s->v[s->n].day, "%s", day);
	s->n++;
}

struct explain {
	struct inc_buf *b;
	const struct inc_tz *tz;
	const struct inc_calendar *cal;
};

/* Local wall-clock time of t as "HH:MM" (":SS" when not whole); a segment's
 * end at the next local midnight reads "24:00". */
static void
put_local(struct explain *x, int64_t t, int end)
{
	int64_t l = t + inc_tz_offset(x->tz, end ? t - 1 : t), s;

	s = ((l % 86400) + 86400) % 86400;
	if (end && s == 0)
		s = 86400;
	inc_buf_printf(x->b, "%02d:%02d", (int)(s / 3600), (int)(s / 60 % 60));
	if (s % 60)
		inc_buf_printf(x->b, ":%02d", (int)(s % 60));
}

static void
put_offset(struct explain *x, int64_t t)
{
	long o = inc_tz_offset(x->tz, t), a = o < 0 ? -o : o;

	inc_buf_printf(x->b, "%c%02ld:%02ld", o < 0 ? '-' : '+', a / 3600, a / 60 % 60);
}

/* "2026-11-27T11:00:00Z (2026-11-27 (Fri) 12:00 +01:00)" */
static void
put_instant(struct explain *x, int64_t t)
{
	static const char *const wd[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
	char tb[INC_TIMELEN];
	int64_t day, y;
	int m, d;

	if (t == INT64_MAX || t == INC_NULL) {
		inc_buf_addstr(x->b, "never");
		return;
	}
	inc_buf_addstr(x->b, inc_time_format(t, tb));
	day = inc_fdiv(t + inc_tz_offset(x->tz, t), INC_DAY);
	inc_civil_from_days(day, &y, &m, &d);
	inc_buf_printf(x->b, " (%04lld-%02d-%02d (%s) ", (long long)y, m, d, wd[inc_weekday(day)]);
	put_local(x, t, 0);
	inc_buf_addstr(x->b, " ");
	put_offset(x, t);
	inc_buf_addstr(x->b, ")");
}

static void
put_dur(struct inc_buf *b, const char *fmt, int64_t secs)
{
	char d[INC_TIMELEN];

	inc_buf_printf(b, fmt, inc_duration_format(secs, d));
}

static void
put_span(struct explain *x, const char *what, const char *day, int64_t u, int64_t v)
{
	inc_buf_printf(x->b, "  %-8s %s ", what, day);
	put_local(x, u, 0);
	inc_buf_addstr(x->b, "-");
	put_local(x, v, 1);
	inc_buf_addstr(x->b, " ");
	put_offset(x, u);
}

/* One target's clock: each working interval from created_at to the due
 * time, split where holds stop the clock, days skipped, the instants. */
static void
explain_target(struct explain *x, const struct inc_sla_clock *ck, int t)
{
	const struct inc_incident *r = ck->r;
	struct segs s = {0};
	int64_t total = 0, held = 0;
	size_t nused = 0, i, h;
	char tb[INC_TIMELEN];

	instant(ck, t, ck->target[t], NULL, NULL, &nused);
	inc_buf_printf(x->b, "\n%s: ", target_names[t]);
	put_dur(x->b, "%s of working time from ", ck->target[t]);
	inc_buf_printf(x->b, "%s\n", inc_time_format(r->created_at, tb));
	if (ck->due[t] != INT64_MAX)
		inc_cal_walk(x->cal, r->created_at, ck->due[t], collect, &s);
	for (i = 0; i < s.n; i++) {
		const struct seg *g = &s.v[i];
		int64_t u = g->from;

		if (g->kind != INC_SEG_WORK) {
			inc_buf_printf(x->b, "  %-8s %s\n", g->kind == INC_SEG_HOLIDAY ?
				       "holiday" : "closed", g->day);
			continue;
		}
		/* the holds that stopped this clock, cut out of the interval */
		while (u < g->to) {
			int64_t v = g->to, hs = INT64_MAX, he = 0;

			for (h = 0; h < nused; h++) {
				int64_t e = ck->holds[h].end == INC_NULL ? ck->now : ck->holds[h].end;

				if (e > u && ck->holds[h].start < v) {
					hs = ck->holds[h].start > u ? ck->holds[h].start : u;
					he = e < g->to ? e : g->to;
					break;
				}
			}
			if (hs == u) {
				put_span(x, "hold", g->day, u, he);
				put_dur(x->b, "  %s paused\n", he - u);
				held += he - u;
				u = he;
				continue;
			}
			if (hs < v)
				v = hs;
			total += v - u;
			put_span(x, "work", g->day, u, v);
			put_dur(x->b, "  %s", v - u);
			put_dur(x->b, ", total %s\n", total);
			u = v;
		}
	}
	free(s.v);
	for (h = 0; h < ck->nholds; h++) {
		const struct inc_sla_hold *hd = &ck->holds[h];

		inc_buf_printf(x->b, "  on hold  %s to ", inc_time_format(hd->start, tb));
		inc_buf_addstr(x->b, hd->end == INC_NULL ? "now (the clock is stopped)" :
			       inc_time_format(hd->end, tb));
		if (h >= nused)
			inc_buf_addstr(x->b, ": starts after the due time (or the decision), does not move it");
		inc_buf_addstr(x->b, "\n");
	}
	if (held)
		put_dur(x->b, "  paused   %s of working time on hold: the due time moves as much later\n",
			held);
	inc_buf_addstr(x->b, "  warning  after ");
	put_instant(x, ck->warn_at[t]);
	put_dur(x->b, ", %s of working time", ck->warn[t]);
	inc_buf_printf(x->b, " (warn %g)\n", ck->policy->warn);
	inc_buf_addstr(x->b, "  due      ");
	put_instant(x, ck->due[t]);
	if (ck->frozen[t])
		inc_buf_addstr(x->b, " if the hold ended now");
	inc_buf_addstr(x->b, "\n");
	if (ck->decided[t] != INC_NULL) {
		inc_buf_printf(x->b, "  %-8s %s: %s\n", t == INC_SLA_RESPONSE ? "responded" : "resolved",
			       inc_time_format(ck->decided[t], tb),
			       ck->state[t] == INC_SLA_MET ? "met" : "breached");
	} else {
		inc_buf_printf(x->b, "  state    %s", state_names[ck->state[t]]);
		if (ck->state[t] == INC_SLA_BREACHED)
			put_dur(x->b, ", overdue %s", ck->now - ck->due[t]);
		inc_buf_addstr(x->b, "\n");
	}
}

static int
explain_rules(struct inc_ctx *ctx, struct explain *x, const struct inc_sla_clock *ck, char *err)
{
	sqlite3_stmt *st = inc_stmt(ctx, "SELECT at FROM escalation_fired WHERE incident=? AND rule=?");
	char tb[INC_TIMELEN];

	if (!ctx->cfg->nescalation)
		return 0;
	inc_buf_addstr(x->b, "\nescalation:\n");
	for (size_t i = 0; i < ctx->cfg->nescalation; i++) {
		const struct inc_escrule *e = &ctx->cfg->escalation[i];
		int64_t t = inc_sla_rule_at(ck, e);
		int rc;

		inc_buf_printf(x->b, "  %s", e->on);
		if (e->after)
			put_dur(x->b, "+%s", e->after);
		inc_buf_printf(x->b, " %s: ", e->action);
		sqlite3_bind_int64(st, 1, ck->r->id);
		sqlite3_bind_text(st, 2, e->key, -1, SQLITE_STATIC);
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW)
			inc_buf_printf(x->b, "fired %s\n", inc_time_format(sqlite3_column_int64(st, 0), tb));
		sqlite3_reset(st);
		if (rc == SQLITE_ROW)
			continue;
		if (rc != SQLITE_DONE)
			return inc_err(err, "%s", sqlite3_errmsg(ctx->db));
		if (t == INC_NULL) {
			inc_buf_addstr(x->b, !ck->open ? "not open, does not apply\n" :
				       ck->state[inc_sla_rule_target(e)] == INC_SLA_MET ?
				       "target met, does not apply\n" : "held back by the hold\n");
			continue;
		}
		inc_buf_addstr(x->b, inc_sla_rule_due(ck, e) ? "due since " : "applies after ");
		put_instant(x, t);
		inc_buf_addstr(x->b, "\n");
	}
	return 0;
}

int
inc_sla_explain(struct inc_ctx *ctx, const struct inc_incident *r, struct inc_buf *b, char *err)
{
	struct inc_sla_clock ck;
	struct explain x = {.b = b};
	struct inc_calendar *utc = NULL;
	struct inc_tz *tz = NULL;
	const struct inc_policy *p = inc_sla_policy(ctx->cfg, r->sla_policy);
	const struct inc_policy *m = inc_sla_match(ctx->cfg, r);
	char tb[INC_TIMELEN];
	int rc = 0, st;

	inc_buf_printf(b, "INC-%lld \"%s\": %s, priority %s, created %s\n", (long long)r->id,
		       r->subject ? r->subject : "", r->status, r->priority ? r->priority : "none",
		       inc_time_format(r->created_at, tb));
	inc_buf_printf(b, "now %s\n", inc_time_format(ctx->now, tb));
	if (!r->sla_policy)
		inc_buf_printf(b, "policy: none attached yet%s%s\n", m ? "; inc-sla will attach " : "",
			       m ? m->name : "");
	else if (!p)
		inc_buf_printf(b, "policy %s: not in %s (inc-sla --recompute selects again)\n",
			       r->sla_policy, ctx->cfg->path);
	else
		inc_buf_printf(b, "policy %s\n", p->name);
	for (size_t i = 0; i < ctx->cfg->npolicies; i++) {
		const struct inc_policy *q = &ctx->cfg->policies[i];
		int ok;

		inc_buf_printf(b, "  sla[%zu] %s: ", i, q->name);
		ok = policy_holds(q, r, b);
		inc_buf_addstr(b, ok ? ": first match\n" : ": skipped\n");
		if (ok)
			break;
	}
	if (p && m && m != p)
		inc_buf_printf(b, "  (the incident now matches %s first: it switches at its next change)\n",
			       m->name);
	if ((st = inc_sla_config_state(ctx, err)) < 0)
		return -1;
	if (st == 2)
		inc_buf_addstr(b, "config: the SLA settings changed since the stored due times were"
			       " computed; what follows is what inc-sla --recompute will set\n");
	if (!p)
		return 0;
	if (p->calendar) {
		x.cal = p->calendar;
	} else {
		json_t *o = json_pack("{s:s,s:s}", "name", "24x7", "timezone", "UTC");

		x.cal = utc = inc_calendar_new(o, err);
		json_decref(o);
		if (!utc)
			return -1;
	}
	if (inc_tz_load(inc_calendar_zone(x.cal), &tz, err) < 0) {
		inc_calendar_free(utc);
		return -1;
	}
	x.tz = tz;
	inc_buf_printf(b, "calendar %s (%s); response ", p->calendar ? inc_calendar_name(x.cal) :
		       "none: around the clock", inc_calendar_zone(x.cal));
	put_dur(b, "%s, resolve ", p->response);
	put_dur(b, "%s", p->resolve);
	inc_buf_printf(b, ", warning at %g of each\n", p->warn);
	if (inc_sla_clock(ctx, r, &ck, err) < 0) {
		rc = -1;
	} else {
		explain_target(&x, &ck, INC_SLA_RESPONSE);
		explain_target(&x, &ck, INC_SLA_RESOLVE);
		rc = explain_rules(ctx, &x, &ck, err);
		inc_buf_printf(b, "\nstate: %s\n", overall(&ck));
	}
	inc_sla_clock_free(&ck);
	inc_tz_free(tz);
	inc_calendar_free(utc);
	return rc;
}
