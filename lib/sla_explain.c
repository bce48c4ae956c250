/*
 * sla_explain.c - inc-sla --explain: the arithmetic of one incident's
 * clocks for people, segment by segment: the policy and why it matched,
 * working intervals counted, days skipped, holds, warning and due instants
 * in the calendar's local time, the state now, the escalation rules.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "sla_int.h"
#include "civil.h"

static const char *const target_names[] = {"response", "resolve"};

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

	inc_sla_instant(ck, t, ck->target[t], NULL, NULL, &nused);
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
		inc_buf_printf(x->b, "  %-8s %s: %s\n", t == INC_RESPONSE ? "responded" : "resolved",
			       inc_time_format(ck->decided[t], tb),
			       ck->state[t] == INC_SLA_MET ? "met" : "breached");
	} else {
		inc_buf_printf(x->b, "  state    %s", inc_sla_state_name(ck->state[t]));
		if (ck->state[t] == INC_SLA_BREACHED)
			put_dur(x->b, ", overdue %s", ck->now - ck->due[t]);
		inc_buf_addstr(x->b, "\n");
	}
}

static int
explain_rules(struct inc_ctx *ctx, struct explain *x, const struct inc_sla_clock *ck, char *err)
{
	char tb[INC_TIMELEN];

	if (!ctx->cfg->nescalation)
		return 0;
	inc_buf_addstr(x->b, "\nescalation:\n");
	for (size_t i = 0; i < ctx->cfg->nescalation; i++) {
		const struct inc_escrule *e = &ctx->cfg->escalation[i];
		int64_t t = inc_sla_rule_at(ck, e), at;
		int rc;

		inc_buf_printf(x->b, "  %s", inc_vocab_name(&inc_esc_ons, (int)e->on));
		if (e->after)
			put_dur(x->b, "+%s", e->after);
		inc_buf_printf(x->b, " %s: ", inc_vocab_name(&inc_esc_actions, (int)e->action));
		if ((rc = inc_esc_fired(ctx, ck->r->id, e->key, &at, err)) < 0)
			return -1;
		if (rc) {
			inc_buf_printf(x->b, "fired %s\n", inc_time_format(at, tb));
			continue;
		}
		if (t == INC_NULL) {
			inc_buf_addstr(x->b, !ck->open ? "not open, does not apply\n" :
				       ck->state[inc_esc_target(e->on)] == INC_SLA_MET ?
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
		       r->subject ? r->subject : "", inc_status_name(r->status),
		       r->priority ? r->priority : "none",
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
		ok = inc_sla_match_holds(q->match, r, b);
		inc_buf_addstr(b, ok ? ": first match\n" : ": skipped\n");
		if (ok)
			break;
	}
	if (p && m && m != p)
		inc_buf_printf(b, "  (the incident now matches %s first: it switches at its next change)\n",
			       m->name);
	if ((st = inc_sla_config_state(ctx, err)) < 0)
		return -1;
	if (st == INC_SLACFG_CHANGED) {
		inc_buf_addstr(b, "config: the SLA settings changed since the stored due times were"
			       " computed; watched as stored until inc-sla --recompute (response due ");
		inc_buf_addstr(b, r->response_due == INC_NULL ? "none" :
			       inc_time_format(r->response_due, tb));
		inc_buf_addstr(b, ", resolve due ");
		inc_buf_addstr(b, r->resolve_due == INC_NULL ? "none" :
			       inc_time_format(r->resolve_due, tb));
		inc_buf_addstr(b, "); what follows is what the recompute will set\n");
	}
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
	/* the clocks under the config as it is, even before it is applied */
	inc_sla_config_apply(ctx);
	if (inc_sla_clock(ctx, r, &ck, err) < 0) {
		rc = -1;
	} else {
		explain_target(&x, &ck, INC_RESPONSE);
		explain_target(&x, &ck, INC_RESOLVE);
		rc = explain_rules(ctx, &x, &ck, err);
		inc_buf_printf(b, "\nstate: %s\n", inc_sla_overall(&ck));
	}
	inc_sla_clock_free(&ck);
	inc_tz_free(tz);
	inc_calendar_free(utc);
	ctx->sla_config = 1 + st;
	return rc;
}
