/*
 * assign.c - routing: which technician of a group takes an incident, by the
 * group's strategy (round_robin, least_loaded, skills), and assignment by
 * hand with its access rules. inc-assign, inc-update --set and
 * inc-escalate's functional escalation all assign through here, so every
 * assignment counts loads, caps and reassignments the same way.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "inc.h"

/* Who incident id is stored as open with (a copy), NULL when nobody or
 * not open; -1 on error. */
static int
stored_assignee(struct inc_ctx *ctx, int64_t id, char **who, char *err)
{
	struct inc_sql *q;
	int rc;

	*who = NULL;
	if (id == INC_NULL)
		return 0;
	/* the status tested here, not by INC_SQL_OPEN: SQLite builds an
	 * ephemeral table for an IN list at every run of the statement */
	q = inc_sql(ctx->db, "SELECT assignee, status FROM incident WHERE id=?");
	inc_sql_int(q, 1, id);
	if ((rc = inc_sql_step(q)) > 0) {
		int st = inc_status_parse(inc_sql_col_text(q, 1));

		if (st >= 0 && inc_status_open((enum inc_status)st))
			*who = inc_sql_col_dup(q, 0);
	}
	inc_sql_reset(q);
	return rc < 0 ? inc_db_err(ctx->db, err) : 0;
}

int64_t
inc_open_load(struct inc_ctx *ctx, const char *name, int64_t except, char *err)
{
	char *who;
	int64_t n;

	if (stored_assignee(ctx, except, &who, err) < 0)
		return -1;
	n = inc_open_count(ctx, name, err);
	if (n > 0 && inc_streq(who, name))
		n--;
	free(who);
	return n;
}

/* The member after the one who took the group's last incident: the first
 * member when the group has no rotation yet or that member left it. */
static int
rotation_start(struct inc_ctx *ctx, const struct inc_group *g, char *err)
{
	struct inc_sql *q = inc_sql(ctx->db, "SELECT last FROM rotation WHERE grp=?");
	int start = 0, rc;

	inc_sql_text(q, 1, g->name);
	rc = inc_sql_step(q);
	if (rc > 0) {
		const char *last = inc_sql_col_text(q, 0);
		size_t i;
		json_t *m;

		json_array_foreach(g->members, i, m)
			if (last && strcmp(json_string_value(m), last) == 0)
				start = (int)i + 1;
	}
	inc_sql_reset(q);
	return rc < 0 ? inc_db_err(ctx->db, err) : start;
}

static int
rotation_save(struct inc_ctx *ctx, const char *group, const char *name, char *err)
{
	struct inc_sql *q = inc_sql(ctx->db,
		"INSERT INTO rotation(grp, last) VALUES(?1, ?2)"
		" ON CONFLICT(grp) DO UPDATE SET last=excluded.last");

	inc_sql_text(q, 1, group);
	inc_sql_text(q, 2, name);
	return inc_sql_run(q, err);
}

/* The least loaded free member (ties: the first listed), only among those
 * with the skill when skill is given; -1 if none. */
static int
least_loaded(const struct inc_config *c, const struct inc_group *g, const int64_t *load,
	     const char *skill)
{
	int best = -1;
	size_t i;
	json_t *m;

	json_array_foreach(g->members, i, m) {
		const struct inc_person *p = inc_config_person(c, json_string_value(m));

		if (load[i] < 0 || (skill && !(p && inc_json_array_has(p->skills, skill))))
			continue;
		if (best < 0 || load[i] < load[best])
			best = (int)i;
	}
	return best;
}

int
inc_route(struct inc_ctx *ctx, struct inc_incident *r, const char *group, char *err)
{
	const struct inc_group *g = inc_config_group(ctx->cfg, group);
	size_t n, i;
	int64_t *load;
	char *self;
	int pick = -1;
	json_t *m;

	if (!g)
		return inc_config_unknown_group(ctx->cfg, group, err);
	if (!inc_status_open(r->status))
		return inc_err(err, "%s: only open incidents are assigned", inc_status_name(r->status));
	n = json_array_size(g->members);
	/* the incident itself does not count against whoever has it */
	if (stored_assignee(ctx, r->id, &self, err) < 0)
		return -1;
	load = inc_xmalloc(sizeof *load * (n + 1));
	/* load -1: not free (unavailable, or at max_open) */
	json_array_foreach(g->members, i, m) {
		const struct inc_person *p = inc_config_person(ctx->cfg, json_string_value(m));

		load[i] = -1;
		if (p && !p->available)
			continue;
		load[i] = inc_open_count(ctx, json_string_value(m), err);
		if (load[i] < 0) {
			free(load);
			free(self);
			return -1;
		}
		if (load[i] > 0 && inc_streq(self, json_string_value(m)))
			load[i]--;
		if (p && p->max_open != INC_NULL && load[i] >= p->max_open)
			load[i] = -1;
	}
	free(self);
	if (g->strategy == INC_ROUND_ROBIN) {
		int start = n ? rotation_start(ctx, g, err) : 0;

		if (start < 0) {
			free(load);
			return -1;
		}
		for (size_t k = 0; k < n && pick < 0; k++)
			if (load[(start + k) % n] >= 0)
				pick = (int)((start + k) % n);
	} else {
		if (g->strategy == INC_SKILLS && r->category)
			pick = least_loaded(ctx->cfg, g, load, r->category);
		if (pick < 0)
			pick = least_loaded(ctx->cfg, g, load, NULL);
	}
	free(load);
	if (pick < 0) {
		/* nobody free: it waits in the group for the next run */
		inc_set_assignment(ctx, r, g->name, NULL);
		return 0;
	}
	m = json_array_get(g->members, (size_t)pick);
	if (g->strategy == INC_ROUND_ROBIN && ctx->defer_rotation) {
		inc_rotation_drop(ctx);
		ctx->rotation_group = inc_xstrdup(g->name);
		ctx->rotation_member = inc_xstrdup(json_string_value(m));
	} else if (g->strategy == INC_ROUND_ROBIN &&
		   rotation_save(ctx, g->name, json_string_value(m), err) < 0) {
		return -1;
	}
	inc_set_assignment(ctx, r, g->name, json_string_value(m));
	return 1;
}

int
inc_rotation_flush(struct inc_ctx *ctx, char *err)
{
	int rc = 0;

	if (ctx->rotation_group)
		rc = rotation_save(ctx, ctx->rotation_group, ctx->rotation_member, err);
	inc_rotation_drop(ctx);
	return rc;
}

void
inc_rotation_drop(struct inc_ctx *ctx)
{
	free(ctx->rotation_group);
	free(ctx->rotation_member);
	ctx->rotation_group = ctx->rotation_member = NULL;
}

const char *
inc_assignable(const struct inc_config *c, const char *who)
{
	const struct inc_person *p;

	if (!who || !*who)
		return NULL;
	if (c->npeople == 0)
		return who;
	p = inc_config_person(c, who);
	return p && p->role != INC_REQUESTER ? p->name : NULL;
}

int
inc_assign(struct inc_ctx *ctx, struct inc_incident *r, const char *group,
	   const char *name, char *err)
{
	const char *target = group ? group : r->group ? r->group :
		json_string_value(json_object_get(ctx->cfg->defaults, "group"));
	const struct inc_group *g;
	int moving, across;

	if (!inc_status_open(r->status))
		return inc_err(err, "%s: only open incidents are assigned", inc_status_name(r->status));
	if (!target)
		return inc_err(err, "no group to assign to (classify it, or name one with --group)");
	if (!(g = inc_config_group(ctx->cfg, target)))
		return inc_config_unknown_group(ctx->cfg, target, err);
	moving = r->group && strcmp(r->group, g->name) != 0;
	if (name) {
		const char *who = inc_assignable(ctx->cfg, name);

		if (!who)
			return inc_err(err, "\"%s\" is not a technician", name);
		across = !inc_json_array_has(g->members, who);
		if (across && !group)
			return inc_err(err, "%s is not a member of %s (name the group with --group)",
				       who, g->name);
		if ((moving || across) && !inc_may(ctx->cfg, ctx->actor, INC_ACT_REASSIGN, NULL))
			return inc_err(err, "only an incident manager or admin may assign across groups");
		inc_set_assignment(ctx, r, g->name, who);
		return 1;
	}
	if (moving && !inc_may(ctx->cfg, ctx->actor, INC_ACT_REASSIGN, NULL))
		return inc_err(err, "only an incident manager or admin may move an incident to another group");
	if (!moving && r->assignee) {
		/* assigned already: left as it is, but one taken before it had
		 * a group gets this one (no reassignment: nothing moved) */
		if (!r->group)
			inc_set_str(&r->group, g->name);
		if (!r->first_group)
			inc_set_str(&r->first_group, g->name);
		return 1;
	}
	return inc_route(ctx, r, g->name, err);
}

int
inc_assign_queued_already(struct inc_ctx *ctx, int64_t id, char *err)
{
	/* the last event that routed or touched the incident, newest first;
	 * the kinds tested here, not by an IN list in the SQL, for which
	 * SQLite builds an ephemeral table at every run */
	static const char *const kinds[] = {"queued", "assigned", "escalated", "classified",
		"updated", "reopened"};
	struct inc_sql *q;
	int rc, queued = 0, found = 0;

	/* the events this run kept for its commit are read too: written out
	 * first when some are of this incident (not when only others' are:
	 * the batch's events then go many to an INSERT at its commit) */
	if (inc_events_kept(ctx, id) && inc_rows_flush(ctx, err) < 0)
		return -1;
	q = inc_sql(ctx->db, "SELECT kind FROM event WHERE incident=? ORDER BY seq DESC");

	inc_sql_int(q, 1, id);
	while (!found && (rc = inc_sql_step(q)) > 0) {
		const char *k = inc_sql_col_text(q, 0);

		for (size_t i = 0; i < sizeof kinds / sizeof kinds[0] && !found; i++)
			if (inc_streq(k, kinds[i])) {
				found = 1;
				queued = i == 0;
			}
	}
	inc_sql_reset(q);
	return rc < 0 ? inc_db_err(ctx->db, err) : queued;
}
