/*
 * sla_clock.c - SLA clocks as arithmetic (SPEC sections 3 and 5), with no
 * database: which policy applies, the response and resolve clocks counted
 * in the policy's business calendar from created_at and stopped by holds,
 * warning and due instants, states, and when each escalation rule applies.
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

#include "sla_int.h"

static const char *const state_names[] = {"ok", "warning", "breached", "met"};

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
	return t > 0 && secs > INT64_MAX - t ? INT64_MAX : t + secs;
}

static int64_t
cal_count(const struct inc_calendar *c, int64_t a, int64_t b)
{
	if (c)
		return inc_cal_count(c, a, b);
	return b <= a ? 0 : a < 0 && b > INT64_MAX + a ? INT64_MAX : b - a;
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

/* 1 if every value of the match equals the record's (major as
 * "true"/"false"); why (may be NULL) says so, or names the first field that
 * differs. */
int
inc_sla_match_holds(const json_t *match, const struct inc_incident *r, struct inc_buf *why)
{
	const char *k;
	json_t *v;
	int first = 1;

	if (json_object_size(match) == 0) {
		if (why)
			inc_buf_addstr(why, "matches every incident");
		return 1;
	}
	json_object_foreach((json_t *)match, k, v) {
		const char *want = json_is_boolean(v) ? (json_is_true(v) ? "true" : "false") :
				   json_string_value(v);
		const struct inc_field *f = inc_field_find(k);
		char buf[INC_TIMELEN];
		const char *have = f ? inc_field_text(r, f, buf) : NULL;

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

int
inc_esc_applies(const struct inc_escrule *e, const struct inc_incident *r)
{
	return !e->match || inc_sla_match_holds(e->match, r, NULL);
}

const struct inc_policy *
inc_sla_match(const struct inc_config *c, const struct inc_incident *r)
{
	for (size_t i = 0; i < c->npolicies; i++)
		if (inc_sla_match_holds(c->policies[i].match, r, NULL))
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
int64_t
inc_sla_instant(const struct inc_sla_clock *ck, int x, int64_t amount, int *frozen,
		int64_t *paused, size_t *nused)
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
	/* past the last time inc reads back (counted from the end of year
	 * 9999): that last time, so that a stored instant reads back */
	return t != INT64_MAX && t > INC_TIME_MAX ? INC_TIME_MAX : t;
}

static int64_t rule_at(const struct inc_sla_clock *, const struct inc_escrule *);

/* The states from the instants (one held back by a hold is not reached),
 * and when each escalation rule applies. */
static void
settle(const struct inc_config *c, struct inc_sla_clock *ck)
{
	for (int x = 0; x < 2; x++) {
		if (ck->decided[x] != INC_NULL)
			ck->state[x] = ck->decided[x] <= ck->due[x] ? INC_SLA_MET : INC_SLA_BREACHED;
		else if (ck->now > ck->due[x] && !ck->frozen[x])
			ck->state[x] = INC_SLA_BREACHED;
		else if (ck->now > ck->warn_at[x] && !ck->wfrozen[x])
			ck->state[x] = INC_SLA_WARNING;
		else
			ck->state[x] = INC_SLA_OK;
	}
	ck->rules = c->escalation;
	ck->nrules = c->nescalation;
	ck->rule_at = inc_xmalloc((ck->nrules + 1) * sizeof *ck->rule_at);
	for (size_t i = 0; i < ck->nrules; i++)
		ck->rule_at[i] = rule_at(ck, &ck->rules[i]);
}

void
inc_sla_clock_compute(const struct inc_config *c, const struct inc_policy *p,
		      const struct inc_incident *r, int64_t now, struct inc_sla_hold *holds,
		      size_t nholds, struct inc_sla_clock *ck)
{
	memset(ck, 0, sizeof *ck);
	ck->r = r;
	ck->now = now;
	ck->open = inc_status_open(r->status);
	ck->policy = p;
	ck->holds = holds;
	ck->nholds = nholds;
	ck->target[INC_RESPONSE] = p->response;
	ck->target[INC_RESOLVE] = p->resolve;
	ck->decided[INC_RESPONSE] = r->responded_at;
	ck->decided[INC_RESOLVE] = r->resolved_at;
	for (int x = 0; x < 2; x++) {
		int64_t w = llround(p->warn * (double)ck->target[x]);

		ck->warn[x] = w < 0 ? 0 : w > ck->target[x] ? ck->target[x] : w;
		ck->due[x] = inc_sla_instant(ck, x, ck->target[x], &ck->frozen[x],
					     x == INC_RESOLVE ? &ck->paused_s : NULL, NULL);
		ck->warn_at[x] = inc_sla_instant(ck, x, ck->warn[x], &ck->wfrozen[x], NULL, NULL);
	}
	settle(c, ck);
}

/* With an edited SLA config not yet applied: the clocks as they were
 * computed and stored, so that monitoring never stops. Breaches and
 * warnings come from the stored instants; rules delayed by `after` wait
 * for the recompute (their instant needs the old calendar). */
void
inc_sla_clock_stored(const struct inc_config *c, const struct inc_incident *r, int64_t now,
		     struct inc_sla_clock *ck)
{
	const int64_t due[2] = {r->response_due, r->resolve_due};
	const int64_t warn[2] = {r->response_warn_at, r->resolve_warn_at};

	memset(ck, 0, sizeof *ck);
	ck->r = r;
	ck->now = now;
	ck->open = inc_status_open(r->status);
	ck->policy = inc_sla_policy(c, r->sla_policy);
	ck->stored = 1;
	ck->decided[INC_RESPONSE] = r->responded_at;
	ck->decided[INC_RESOLVE] = r->resolved_at;
	ck->paused_s = r->paused_s;
	for (int x = 0; x < 2; x++) {
		ck->due[x] = due[x] == INC_NULL ? INT64_MAX : due[x];
		ck->warn_at[x] = warn[x] == INC_NULL ? INT64_MAX : warn[x];
		/* an open hold would move them: held back until it ends */
		ck->frozen[x] = ck->wfrozen[x] = r->hold_since != INC_NULL && ck->decided[x] == INC_NULL;
	}
	settle(c, ck);
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

static int64_t
rule_at(const struct inc_sla_clock *ck, const struct inc_escrule *e)
{
	int x = inc_esc_target(e->on), fz;
	int64_t base = inc_esc_warning(e->on) ? ck->warn[x] : ck->target[x], t;

	if (!ck->open || ck->state[x] == INC_SLA_MET)
		return INC_NULL;
	if (ck->stored && e->after != 0)
		return INC_NULL;
	if (e->after == 0) {
		t = inc_esc_warning(e->on) ? ck->warn_at[x] : ck->due[x];
		fz = inc_esc_warning(e->on) ? ck->wfrozen[x] : ck->frozen[x];
	} else {
		t = inc_sla_instant(ck, x, base > INT64_MAX / 2 - e->after ? INT64_MAX / 2 :
				    base + e->after, &fz, NULL, NULL);
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
	int x = inc_esc_target(e->on);
	int64_t t = inc_sla_rule_at(ck, e);

	if (t == INC_NULL || ck->now <= t)
		return 0;
	/* a target decided before the instant never got there */
	return ck->decided[x] == INC_NULL || ck->decided[x] > t;
}

static int
sev_of(enum inc_sla_state s)
{
	return s == INC_SLA_WARNING ? 1 : s == INC_SLA_BREACHED ? 2 : 0;
}

const char *
inc_sla_overall(const struct inc_sla_clock *ck)
{
	int a = sev_of(ck->state[0]), b = sev_of(ck->state[1]);

	if (ck->state[0] == INC_SLA_MET && ck->state[1] == INC_SLA_MET)
		return "met";
	return state_names[a > b ? a : b];
}
