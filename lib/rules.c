/*
 * rules.c - classification: the config's ordered categorization rules
 * (their expressions compiled once, at config load: regex.c), defaults for
 * what no rule set, and priority from the impact x urgency matrix. Pure:
 * no database, so inc-classify --dry-run computes exactly what a real run
 * would store.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "inc.h"

/* 1 if the rule applies to r; 0 if not; -1 if not because a condition
 * gave up at its limits (*field: which). The short fields first: a sure
 * no there spares the long texts, and ends the rule before any of them
 * can give up; the first give-up ends it too, as no condition after it
 * could make the rule apply. */
static int
matches(const struct inc_rule *rule, const struct inc_incident *r, int *field)
{
	static const int order[INC_RF_N] = {INC_RF_REQUESTER, INC_RF_SOURCE, INC_RF_CATEGORY,
		INC_RF_SUBJECT, INC_RF_DESCRIPTION, INC_RF_TEXT};
	const char *val[INC_RF_N] = {r->subject, r->description, NULL, r->requester,
		r->source, r->category};

	for (int i = 0; i < INC_RF_N; i++) {
		int f = order[i], m;

		if (!rule->re[f])
			continue;
		if (f == INC_RF_TEXT) {
			/* the subject or the description */
			int d;

			if ((m = inc_rule_re_match(rule->re[f], r->subject)) <= 0 &&
			    (d = inc_rule_re_match(rule->re[f], r->description)) != 0)
				m = d;
		} else {
			m = inc_rule_re_match(rule->re[f], val[f]);
		}
		if (m == 0)
			return 0;
		if (m < 0) {
			*field = f;
			return -1;
		}
	}
	return 1;
}

static void
note(json_t *explain, const char *list, const char *field)
{
	json_t *a;

	if (!explain)
		return;
	a = json_object_get(explain, list);
	if (!inc_json_array_has(a, field))
		json_array_append_new(a, json_string(field));
}

#define SLOT(r, f) ((char **)((char *)(r) + (f)->off))

/* One rule's set, field by field in registry order (a subcategory after
 * its category), minus what must stay. */
static void
apply(const struct inc_rule *rule, struct inc_incident *r, int force, json_t *explain)
{
	for (size_t i = 0; i < inc_nfields; i++) {
		const struct inc_field *f = &inc_fields[i];
		const json_t *v;
		int differs, flag;

		if (!(f->flags & INC_F_RULESET) || !(v = json_object_get(rule->set, f->name)))
			continue;
		flag = f->type == INC_FT_FLAG;
		differs = flag ? !r->major != !json_is_true(v) :
			  !inc_streq(*SLOT(r, f), json_string_value(v));
		if ((r->explicit_ & f->explicit_bit) && !force) {
			if (differs)
				note(explain, "kept", f->name);
			continue;
		}
		if (f->explicit_bit == INC_EXPLICIT_GROUP && r->assignee) {
			if (differs)
				note(explain, "kept", "group");
			continue;
		}
		if (flag)
			r->major = json_is_true(v);
		else
			inc_set_str(SLOT(r, f), json_string_value(v));
	}
}

static void
fill_default(const struct inc_config *c, struct inc_incident *r, char **slot,
	     const char *name, json_t *explain)
{
	const char *d = json_string_value(json_object_get(c->defaults, name));

	if (*slot || !d)
		return;
	if (slot == &r->group && r->assignee)
		return;
	inc_set_str(slot, d);
	note(explain, "defaults", name);
}

int
inc_classify(const struct inc_config *c, struct inc_incident *r, int force,
	     json_t *explain, char *gave_up)
{
	struct inc_incident before;
	const char *p;
	int changed;

	inc_incident_copy(&before, r);
	if (explain) {
		json_object_set_new(explain, "rules", json_array());
		json_object_set_new(explain, "kept", json_array());
		json_object_set_new(explain, "defaults", json_array());
	}
	if (gave_up)
		gave_up[0] = '\0';
	for (size_t k = 0; k < c->nrules; k++) {
		const json_t *m = c->rules[k].match;
		int f, rc = matches(&c->rules[k], r, &f);

		if (rc < 0) {
			if (gave_up && !gave_up[0])
				snprintf(gave_up, INC_ERRLEN, "rules[%zu]: match.%s", k,
					 inc_rule_fields[f]);
			if (explain) {
				json_t *a = json_object_get(explain, "gave_up");

				if (!a)
					json_object_set_new(explain, "gave_up", a = json_array());
				json_array_append_new(a, json_pack("{s:I,s:s}", "index", (json_int_t)k,
								   "field", inc_rule_fields[f]));
			}
		}
		if (rc <= 0)
			continue;
		if (explain)
			json_array_append_new(json_object_get(explain, "rules"),
				json_pack("{s:I,s:o,s:O}", "index", (json_int_t)k,
					  "match", m ? json_incref((json_t *)m) : json_object(),
					  "set", c->rules[k].set));
		apply(&c->rules[k], r, force, explain);
	}
	/* a rule may move the category from under an older subcategory */
	if (r->subcategory && (!r->category || !inc_config_category(c, r->category, r->subcategory)))
		inc_set_str(&r->subcategory, NULL);
	fill_default(c, r, &r->impact, "impact", explain);
	fill_default(c, r, &r->urgency, "urgency", explain);
	fill_default(c, r, &r->group, "group", explain);
	p = inc_config_priority(c, r->impact, r->urgency);
	if (p && !inc_streq(p, r->priority)) {
		if ((r->explicit_ & INC_EXPLICIT_PRIORITY) && !force)
			note(explain, "kept", "priority");
		else
			inc_set_str(&r->priority, p);
	}
	changed = !inc_streq(before.category, r->category) ||
		  !inc_streq(before.subcategory, r->subcategory) ||
		  !inc_streq(before.impact, r->impact) || !inc_streq(before.urgency, r->urgency) ||
		  !inc_streq(before.group, r->group) || !inc_streq(before.priority, r->priority) ||
		  !before.major != !r->major;
	inc_incident_clear(&before);
	return changed;
}
