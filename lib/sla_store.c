/*
 * sla_store.c - the SLA state an incident keeps in the database: its holds,
 * the stored fields refreshed after every change (due times, met flags,
 * state), the next instant anything about it can change (so that the cron
 * pass costs what changes, not what is open), what one inc-sla pass does
 * to it, the config fingerprint that keeps an edited config from moving due
 * times unseen, and the record of which escalation rules fired.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "sla_int.h"

static const char *const target_names[] = {"response", "resolve"};

static int
load_holds(struct inc_ctx *ctx, int64_t id, struct inc_sla_hold **holds, size_t *n,
	   char *err)
{
	struct inc_sql *q = inc_sql(ctx->db, "SELECT start, \"end\" FROM hold WHERE incident=?"
				    " ORDER BY start");
	size_t cap = 0;
	int rc;

	*holds = NULL;
	*n = 0;
	inc_sql_int(q, 1, id);
	while ((rc = inc_sql_step(q)) > 0) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 4;
			*holds = inc_xrealloc(*holds, cap * sizeof **holds);
		}
		(*holds)[*n].start = inc_sql_col_int(q, 0);
		(*holds)[(*n)++].end = inc_sql_col_int(q, 1);
	}
	inc_sql_reset(q);
	if (rc < 0) {
		free(*holds);
		*holds = NULL;
		return inc_db_err(ctx->db, err);
	}
	return 0;
}

int
inc_sla_clock(struct inc_ctx *ctx, const struct inc_incident *r, struct inc_sla_clock *ck,
	      char *err)
{
	const struct inc_policy *p = inc_sla_policy(ctx->cfg, r->sla_policy);
	int st = inc_sla_config_state(ctx, err);

	memset(ck, 0, sizeof *ck);
	if (st < 0)
		return -1;
	/* an edited config not applied yet: watched on what was stored */
	if (st == INC_SLACFG_CHANGED && r->sla_policy && r->sla_checked_at != INC_NULL) {
		inc_sla_clock_stored(ctx->cfg, r, ctx->now, ck);
		return 0;
	}
	if (!p)
		return inc_err(err, "SLA policy \"%s\" is not in %s", r->sla_policy ? r->sla_policy : "",
			       ctx->cfg->path);
	return inc_sla_clock_with(ctx, ctx->cfg, p, r, ck, err);
}

int
inc_sla_clock_with(struct inc_ctx *ctx, const struct inc_config *cfg,
		   const struct inc_policy *p, const struct inc_incident *r,
		   struct inc_sla_clock *ck, char *err)
{
	struct inc_sla_hold *holds;
	size_t n;

	memset(ck, 0, sizeof *ck);
	if (load_holds(ctx, r->id, &holds, &n, err) < 0)
		return -1;
	inc_sla_clock_compute(cfg, p, r, ctx->now, holds, n, ck);
	return 0;
}

int
inc_esc_fired(struct inc_ctx *ctx, int64_t id, const char *key, int64_t *at, char *err)
{
	struct inc_sql *q = inc_sql(ctx->db, "SELECT at FROM escalation_fired"
				    " WHERE incident=? AND rule=?");
	int rc;

	inc_sql_int(q, 1, id);
	inc_sql_text(q, 2, key);
	rc = inc_sql_step(q);
	if (rc > 0 && at)
		*at = inc_sql_col_int(q, 0);
	inc_sql_reset(q);
	return rc < 0 ? inc_db_err(ctx->db, err) : rc;
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

/* An instant as stored: none (never reached) as NULL, and one past the
 * last time inc reads back (a target counted from the end of year 9999)
 * as that last time, so that the record can be read again. */
static int64_t
stored(int64_t t)
{
	return t == INT64_MAX ? INC_NULL : t > INC_TIME_MAX ? INC_TIME_MAX : t;
}

static void
apply(struct inc_incident *r, const struct inc_sla_clock *ck)
{
	if (!ck->stored) {
		r->response_due = stored(ck->due[INC_RESPONSE]);
		r->resolve_due = stored(ck->due[INC_RESOLVE]);
		/* what a warning needs while an edited config waits */
		r->response_warn_at = ck->wfrozen[INC_RESPONSE] ? INC_NULL :
				      stored(ck->warn_at[INC_RESPONSE]);
		r->resolve_warn_at = ck->wfrozen[INC_RESOLVE] ? INC_NULL :
				     stored(ck->warn_at[INC_RESOLVE]);
	}
	if (!ck->stored)
		r->paused_s = ck->paused_s;
	/* a target is lost at its breach, not only when it is decided late */
	r->response_met = ck->state[INC_RESPONSE] == INC_SLA_BREACHED ? 0 :
			  ck->decided[INC_RESPONSE] == INC_NULL ? INC_NULL :
			  ck->state[INC_RESPONSE] == INC_SLA_MET;
	r->resolve_met = ck->state[INC_RESOLVE] == INC_SLA_BREACHED ? 0 :
			 ck->decided[INC_RESOLVE] == INC_NULL ? INC_NULL :
			 ck->state[INC_RESOLVE] == INC_SLA_MET;
	inc_set_str(&r->sla_state, inc_sla_overall(ck));
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

			if (e->after <= 0 || (int)inc_esc_target(e->on) != x || !inc_esc_applies(e, r))
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

/* The computing half of inc_sla_update, leaving ck filled (policy known). */
static int
refresh(struct inc_ctx *ctx, struct inc_incident *r, struct inc_sla_clock *ck, char *err)
{
	const struct inc_policy *q;
	int st;

	memset(ck, 0, sizeof *ck);
	if (!r->sla_policy) {
		/* something changed: a policy may match now */
		if (r->sla_checked_at != INC_NULL && inc_status_open(r->status) &&
		    inc_sla_match(ctx->cfg, r))
			r->sla_checked_at = INC_NULL;
		r->sla_next_check = INC_NULL;
		return 0;
	}
	if ((st = inc_sla_config_state(ctx, err)) < 0)
		return -1;
	if (r->status == INC_CANCELLED || (r->status == INC_CLOSED && r->resolved_at == INC_NULL)) {
		r->sla_next_check = INC_NULL;	/* the clocks stop where they were */
		return 0;
	}
	/* the policy follows the incident (none matching keeps the one it
	 * has), under the config its due times were computed with */
	if (st != INC_SLACFG_CHANGED && inc_status_open(r->status) &&
	    (q = inc_sla_match(ctx->cfg, r)) && strcmp(q->name, r->sla_policy) != 0)
		inc_set_str(&r->sla_policy, q->name);
	if (st != INC_SLACFG_CHANGED && !inc_sla_policy(ctx->cfg, r->sla_policy)) {
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

/*
 * The clocks alone moved (a state, a due time): audit rows for the audited
 * SLA fields and an UPDATE of the SLA columns only. Writing every column,
 * as inc_record_save does, rewrites an entry in each of the incident's
 * indexes: ten times the pages for a cron pass over a large database.
 */
static int
store_clocks(struct inc_ctx *ctx, const struct inc_incident *b, struct inc_incident *r,
	     const char *action, char *err)
{
	struct inc_sql *q;

	if (inc_record_audit(ctx, b, r, action, INC_F_SLA_OBJ, err) < 0)
		return -1;
	r->updated_at = ctx->now;
	q = inc_sql(ctx->db, "UPDATE incident SET response_due=?, resolve_due=?, response_met=?,"
		    " resolve_met=?, paused_s=?, sla_state=?, sla_response_state=?,"
		    " sla_resolve_state=?, sla_next_check=?, sla_checked_at=?, updated_at=?"
		    " WHERE id=?");
	inc_sql_int(q, 1, r->response_due);
	inc_sql_int(q, 2, r->resolve_due);
	inc_sql_int(q, 3, r->response_met);
	inc_sql_int(q, 4, r->resolve_met);
	inc_sql_int(q, 5, r->paused_s);
	inc_sql_text(q, 6, r->sla_state);
	inc_sql_text(q, 7, r->sla_response_state);
	inc_sql_text(q, 8, r->sla_resolve_state);
	inc_sql_int(q, 9, r->sla_next_check);
	inc_sql_int(q, 10, r->sla_checked_at);
	inc_sql_int(q, 11, r->updated_at);
	inc_sql_int(q, 12, r->id);
	return inc_sql_run(q, err);
}

/* Store r, which differs from before in SLA fields only: as any change
 * when the policy changed; the SLA columns with their audit rows and
 * updated_at when another field of the record changed; else only the
 * bookkeeping columns, so that watching the clocks touches neither
 * updated_at nor the audit trail. */
static int
save(struct inc_ctx *ctx, const struct inc_incident *before, struct inc_incident *r,
     const char *action, char *err)
{
	struct inc_sql *q;

	if (!inc_streq(before->sla_policy, r->sla_policy))
		return inc_record_save(ctx, before, r, action, err);
	if (visible_change(before, r))
		return store_clocks(ctx, before, r, action, err);
	if (inc_streq(before->sla_response_state, r->sla_response_state) &&
	    inc_streq(before->sla_resolve_state, r->sla_resolve_state) &&
	    before->sla_next_check == r->sla_next_check &&
	    before->sla_checked_at == r->sla_checked_at)
		return 0;
	q = inc_sql(ctx->db, "UPDATE incident SET sla_response_state=?, sla_resolve_state=?,"
		    " sla_next_check=?, sla_checked_at=? WHERE id=?");
	inc_sql_text(q, 1, r->sla_response_state);
	inc_sql_text(q, 2, r->sla_resolve_state);
	inc_sql_int(q, 3, r->sla_next_check);
	inc_sql_int(q, 4, r->sla_checked_at);
	inc_sql_int(q, 5, r->id);
	return inc_sql_run(q, err);
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

		if (e->after <= 0 || !inc_esc_applies(e, r) || !inc_sla_rule_due(ck, e))
			continue;
		t = inc_sla_rule_at(ck, e);
		if (checked != INC_NULL && t < checked)
			continue;	/* had come due at the last pass */
		if ((fired = inc_esc_fired(ctx, r->id, e->key, NULL, err)) < 0)
			return -1;
		if (fired)
			continue;
		*event = state_event(ck, (int)inc_esc_target(e->on));
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
	if (!r->sla_policy && mode != INC_SLA_RECOMPUTE && inc_status_open(r->status) &&
	    (p = inc_sla_match(ctx->cfg, r)))
		inc_set_str(&r->sla_policy, p->name);
	rc = refresh(ctx, r, &ck, err);
	if (rc < 0)
		goto done;
	if (mode == INC_SLA_PASS) {
		if (rc > 0) {
			if ((rc = pass_event(ctx, r, &ck, checked, event, err)) < 0)
				goto done;
			inc_set_str(&r->sla_response_state, inc_sla_state_name(ck.state[INC_RESPONSE]));
			inc_set_str(&r->sla_resolve_state, inc_sla_state_name(ck.state[INC_RESOLVE]));
		}
		r->sla_checked_at = ctx->now;
		if (r->sla_policy && ck.policy)
			next_check(ctx, r, &ck);
		out = *event != NULL;
	} else {
		out = mode == INC_SLA_ALL || visible_change(&before, r);
	}
	rc = save(ctx, &before, r, mode == INC_SLA_RECOMPUTE ? "recompute" : "sla", err);
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
		snprintf(buf, sizeof buf, "%s+%lld", inc_vocab_name(&inc_esc_ons, (int)c->escalation[i].on),
			 (long long)c->escalation[i].after);
		fnv(&h, buf);
	}
	snprintf(out, 17, "%016llx", (unsigned long long)h);
}

int
inc_sla_config_state(struct inc_ctx *ctx, char *err)
{
	struct inc_sql *q;
	char fp[17];
	int rc;

	if (ctx->sla_config)
		return ctx->sla_config - 1;
	q = inc_sql(ctx->db, "SELECT value FROM meta WHERE key='sla_config'");
	rc = inc_sql_step(q);
	if (rc > 0) {
		fingerprint(ctx->cfg, fp);
		ctx->sla_config = 1 + (inc_streq(inc_sql_col_text(q, 0), fp) ? INC_SLACFG_SAME :
				       INC_SLACFG_CHANGED);
	} else if (rc == 0) {
		ctx->sla_config = 1 + INC_SLACFG_NONE;
	}
	inc_sql_reset(q);
	if (rc < 0)
		return inc_db_err(ctx->db, err);
	return ctx->sla_config - 1;
}

void
inc_sla_config_apply(struct inc_ctx *ctx)
{
	ctx->sla_config = 1 + INC_SLACFG_SAME;
}

int
inc_sla_config_record(struct inc_ctx *ctx, char *err)
{
	struct inc_sql *q = inc_sql(ctx->db, "INSERT INTO meta(key, value) VALUES('sla_config', ?)"
				    " ON CONFLICT(key) DO UPDATE SET value=excluded.value");
	char fp[17];

	fingerprint(ctx->cfg, fp);
	inc_sql_text(q, 1, fp);
	if (inc_sql_run(q, err) < 0)
		return -1;
	ctx->sla_config = 1 + INC_SLACFG_SAME;
	return 0;
}


int64_t
inc_sla_config_stale(struct inc_ctx *ctx, char *err)
{
	struct inc_sql *q;
	int64_t n = 0;
	int st = inc_sla_config_state(ctx, err), rc;

	if (st != INC_SLACFG_CHANGED)
		return st < 0 ? -1 : 0;
	q = inc_sql(ctx->db, "SELECT count(*) FROM incident WHERE sla_policy IS NOT NULL"
		    " AND sla_checked_at IS NOT NULL AND " INC_SQL_OPEN);
	if ((rc = inc_sql_step(q)) > 0)
		n = inc_sql_col_int(q, 0);
	inc_sql_reset(q);
	return rc < 0 ? inc_db_err(ctx->db, err) : n;
}
