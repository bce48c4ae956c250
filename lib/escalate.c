/*
 * escalate.c - the escalation rules of SPEC section 5 and escalation by
 * hand: notify, functional (into the group's escalate_to, reassigned there
 * by that group's strategy) and hierarchical (one level up, notifying up
 * the chain); each rule at most once per incident, recorded in
 * escalation_fired in the same transaction as what it did; notify lists
 * resolved to e-mail addresses for the mailer downstream.
 */
#define _GNU_SOURCE
#include <string.h>

#include "sla_int.h"

static int
mark_fired(struct inc_ctx *ctx, int64_t id, const char *key, char *err)
{
	struct inc_sql *q = inc_sql(ctx->db, "INSERT INTO escalation_fired(incident, rule, at)"
				    " VALUES(?, ?, ?)");

	inc_sql_int(q, 1, id);
	inc_sql_text(q, 2, key);
	inc_sql_int(q, 3, ctx->now);
	return inc_sql_run(q, err);
}

/* ---- notify lists ---- */

/* A person's address: their configured e-mail, or the name itself when it
 * is one; NULL when neither (a name the config gives no address). */
static const char *
address(const struct inc_config *c, const char *name)
{
	const struct inc_person *p;

	if (!name || !*name)
		return NULL;
	p = inc_config_person(c, name);
	if (p && p->email)
		return p->email;
	return strchr(name, '@') ? name : NULL;
}

static void
add(json_t *a, const char *addr)
{
	if (addr && !inc_json_array_has(a, addr))
		json_array_append_new(a, json_string(addr));
}

json_t *
inc_esc_notify(const struct inc_config *c, const struct inc_incident *r, const json_t *who)
{
	json_t *a = json_array(), *v;
	size_t i;

	json_array_foreach(who, i, v) {
		const char *w = json_string_value(v);

		if (!w)
			continue;
		if (strcmp(w, "assignee") == 0 || strcmp(w, "group") == 0) {
			/* someone must hear: the assignee, else the group's
			 * mailbox, else its manager */
			const struct inc_group *g = inc_config_group(c, r->group);
			const char *to = w[0] == 'a' ? address(c, r->assignee) : NULL;

			if (!to && g)
				to = g->email ? g->email : address(c, g->manager);
			add(a, to);
		} else if (strcmp(w, "manager") == 0) {
			const struct inc_group *g = inc_config_group(c, r->group);

			add(a, g ? address(c, g->manager) : NULL);
		} else if (strcmp(w, "incident_manager") == 0) {
			for (size_t k = 0; k < c->npeople; k++)
				if (c->people[k].role == INC_INCIDENT_MANAGER)
					add(a, address(c, c->people[k].name));
		} else if (strcmp(w, "requester") == 0) {
			add(a, address(c, r->requester));
		} else {
			add(a, address(c, w));
		}
	}
	return a;
}

/* ---- actions ---- */

/* Into another group, reassigned there by its strategy (inc-assign's
 * inc_route): when nobody there is free, the incident waits in the group,
 * unassigned, status unchanged, for the next inc-assign. */
static int
route(struct inc_ctx *ctx, struct inc_incident *r, const char *group, char *err)
{
	return inc_route(ctx, r, group, err) < 0 ? -1 : 0;
}

/* Store r, audit the reason, and emit the record with its event. */
static int
done(struct inc_ctx *ctx, const struct inc_incident *before, struct inc_incident *r,
     const char *action, const char *field, const char *reason, json_t *event, char *err)
{
	char *list = json_dumps(json_object_get(event, "notify"), JSON_COMPACT);
	struct inc_buf text = {0};
	int rc;

	inc_buf_printf(&text, "%s; notify %s", reason, list ? list : "[]");
	free(list);
	rc = inc_incident_store(ctx, before, r, action, err);
	if (rc == 0)
		rc = inc_audit(ctx, r->id, INC_NULL, action, field, NULL, text.data, err);
	inc_buf_free(&text);
	if (rc < 0) {
		json_decref(event);
		return -1;
	}
	return inc_event(ctx, r, event, err);
}

static json_t *
escalated_event(const char *type, const struct inc_incident *r, const char *from,
		json_t *notify, const char *reason)
{
	return json_pack("{s:s,s:s,s:I,s:s?,s:s?,s:o,s:s}", "kind", "escalated", "type", type,
			 "level", (json_int_t)r->escalation_level, "from", from, "to", r->group,
			 "notify", notify, "reason", reason);
}

/* Why a rule fired, for the mail: "resolve_breached+2h: resolve due
 * 2026-11-27T14:00:00Z". */
static void
rule_reason(const struct inc_escrule *e, const struct inc_sla_clock *ck, char *buf, size_t len)
{
	int x = inc_esc_target(e->on);
	char d[INC_TIMELEN], t[INC_TIMELEN];

	inc_duration_format(e->after, d);
	snprintf(buf, len, "%s%s%s: %s due %s", inc_vocab_name(&inc_esc_ons, (int)e->on),
		 e->after ? "+" : "", e->after ? d : "",
		 x == INC_RESPONSE ? "response" : "resolve", inc_time_format(ck->due[x], t));
}

static int
fire(struct inc_ctx *ctx, struct inc_incident *r, const struct inc_escrule *e,
     const struct inc_sla_clock *ck, char *err)
{
	struct inc_incident before;
	char reason[256], *from = NULL;
	const struct inc_group *g;
	json_t *ev;
	int rc;

	rule_reason(e, ck, reason, sizeof reason);
	if (e->action == INC_ESC_FUNCTIONAL) {
		if (!inc_may(ctx->cfg, ctx->actor, INC_ACT_REASSIGN, r->requester))
			return inc_err(err, "%s: moving an incident to another group needs an"
				       " incident_manager or admin (acting as %s)", e->key, ctx->actor);
	} else if (!inc_may(ctx->cfg, ctx->actor, INC_ACT_WORK, r->requester)) {
		return inc_err(err, "%s: escalation needs someone who works incidents (acting as %s)",
			       e->key, ctx->actor);
	}
	if (mark_fired(ctx, r->id, e->key, err) < 0)
		return -1;
	g = inc_config_group(ctx->cfg, r->group);
	inc_incident_copy(&before, r);
	if (e->action == INC_ESC_FUNCTIONAL && !(g && g->escalate_to)) {
		/* the top of the line: nowhere to go, but whom the rule names
		 * still hears of it; no escalation happened */
		json_t *who = json_array_size(e->notify) ? json_incref((json_t *)e->notify) :
			      json_pack("[s]", "manager");

		snprintf(reason + strlen(reason), sizeof reason - strlen(reason),
			 "; no escalate_to: the incident stays in %s", r->group ? r->group : "no group");
		ev = json_pack("{s:s,s:s,s:o,s:s}", "kind", "notified", "type", "functional",
			       "notify", inc_esc_notify(ctx->cfg, r, who), "reason", reason);
		json_decref(who);
		rc = done(ctx, &before, r, "notified", e->key, reason, ev, err);
	} else if (e->action == INC_ESC_NOTIFY) {
		ev = json_pack("{s:s,s:s,s:o,s:s}", "kind", "notified", "type", "notify", "notify",
			       inc_esc_notify(ctx->cfg, r, e->notify), "reason", reason);
		rc = done(ctx, &before, r, "notified", e->key, reason, ev, err);
	} else {
		json_t *who = json_incref((json_t *)e->notify);

		from = r->group ? inc_xstrdup(r->group) : NULL;
		if (e->action == INC_ESC_FUNCTIONAL && route(ctx, r, g->escalate_to, err) < 0) {
			json_decref(who);
			free(from);
			inc_incident_clear(&before);
			return -1;
		}
		if (json_array_size(who) == 0) {
			/* up the chain: at least the group's manager hears of it */
			json_decref(who);
			who = json_pack("[s]", "manager");
		}
		r->escalation_level++;
		r->escalated = 1;
		ev = escalated_event(inc_vocab_name(&inc_esc_actions, (int)e->action), r, from,
				     inc_esc_notify(ctx->cfg, r, who), reason);
		json_decref(who);
		rc = done(ctx, &before, r, "escalated", e->key, reason, ev, err);
	}
	free(from);
	inc_incident_clear(&before);
	return rc;
}

int
inc_escalate_rules(struct inc_ctx *ctx, struct inc_incident *r, char *err)
{
	struct inc_sla_clock ck;
	int n = 0, fresh = 0;

	memset(&ck, 0, sizeof ck);
	for (size_t i = 0; i < ctx->cfg->nescalation; i++) {
		const struct inc_escrule *e = &ctx->cfg->escalation[i];
		int fired;

		if (!inc_status_open(r->status) || !r->sla_policy)
			break;
		/* again after each action: a new group may mean a new policy */
		if (!fresh) {
			inc_sla_clock_free(&ck);
			if (inc_sla_clock(ctx, r, &ck, err) < 0)
				goto fail;
			fresh = 1;
		}
		if (!inc_esc_applies(e, r) || !inc_sla_rule_due(&ck, e))
			continue;
		if ((fired = inc_esc_fired(ctx, r->id, e->key, NULL, err)) < 0)
			goto fail;
		if (fired)
			continue;
		if (fire(ctx, r, e, &ck, err) < 0)
			goto fail;
		fresh = 0;
		n++;
	}
	inc_sla_clock_free(&ck);
	return n;
fail:
	inc_sla_clock_free(&ck);
	return -1;
}

int
inc_escalate_to(struct inc_ctx *ctx, struct inc_incident *r, const char *group,
		const char *reason, const json_t *notify, char *err)
{
	struct inc_incident before;
	char *from;
	json_t *ev, *who;
	int rc;

	const struct inc_group *g = inc_config_group(ctx->cfg, r->group);
	const struct inc_person *p = inc_config_person(ctx->cfg, ctx->actor);
	/* the ITIL tiers' daily move: a technician of the group passes the
	 * incident to the group's escalate_to; anywhere else takes a manager */
	int own_tier = g && g->escalate_to && strcmp(g->escalate_to, group) == 0 && p &&
		       inc_json_array_has(g->members, p->name) &&
		       inc_may(ctx->cfg, ctx->actor, INC_ACT_WORK, r->requester);

	if (!own_tier && !inc_may(ctx->cfg, ctx->actor, INC_ACT_REASSIGN, r->requester))
		return inc_err(err, "escalating by hand needs an incident_manager or admin, or a"
			       " technician of the incident's group escalating to its escalate_to"
			       " (acting as %s)", ctx->actor);
	if (!inc_status_open(r->status))
		return inc_err(err, "is %s: only open incidents escalate", inc_status_name(r->status));
	if (r->group && strcmp(r->group, group) == 0)
		return inc_err(err, "already in %s", group);
	inc_incident_copy(&before, r);
	from = r->group ? inc_xstrdup(r->group) : NULL;
	if (route(ctx, r, group, err) < 0) {
		free(from);
		inc_incident_clear(&before);
		return -1;
	}
	r->escalation_level++;
	r->escalated = 1;
	who = notify ? json_incref((json_t *)notify) : json_pack("[s]", "manager");
	ev = escalated_event("functional", r, from, inc_esc_notify(ctx->cfg, r, who), reason);
	json_decref(who);
	rc = done(ctx, &before, r, "escalated", "by hand", reason, ev, err);
	free(from);
	inc_incident_clear(&before);
	return rc;
}
