/*
 * rules.c - classification: the config's ordered categorization rules
 * (regexes compiled once, at config load), defaults for what no rule set,
 * and priority from the impact x urgency matrix. Pure: no database, so
 * inc-classify --dry-run computes exactly what a real run would store.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "inc.h"

/* The fields a rule may set, in the order they are applied: a rule's
 * subcategory only makes sense after its category. */
static const struct {
	const char *name;
	unsigned bit;
	size_t off;		/* char * member; 0 for major */
} slots[] = {
	{"category", INC_EXPLICIT_CATEGORY, offsetof(struct inc_incident, category)},
	{"subcategory", INC_EXPLICIT_SUBCATEGORY, offsetof(struct inc_incident, subcategory)},
	{"impact", INC_EXPLICIT_IMPACT, offsetof(struct inc_incident, impact)},
	{"urgency", INC_EXPLICIT_URGENCY, offsetof(struct inc_incident, urgency)},
	{"group", INC_EXPLICIT_GROUP, offsetof(struct inc_incident, group)},
	{"major", INC_EXPLICIT_MAJOR, 0},
};
#define NSLOTS (sizeof slots / sizeof slots[0])

static char **
slot(struct inc_incident *r, size_t i)
{
	return (char **)((char *)r + slots[i].off);
}

/* A condition on an unset field never holds. */
static int
test(const regex_t *re, const char *s)
{
	return s && regexec(re, s, 0, NULL, 0) == 0;
}

static int
matches(const struct inc_rule *rule, const struct inc_incident *r)
{
	const char *val[INC_RF_N] = {r->subject, r->description, NULL, r->requester,
		r->source, r->category};

	for (int f = 0; f < INC_RF_N; f++) {
		if (!(rule->has & (1u << f)))
			continue;
		if (f == INC_RF_TEXT ? !test(&rule->re[f], r->subject) &&
				       !test(&rule->re[f], r->description)
				     : !test(&rule->re[f], val[f]))
			return 0;
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

/* One rule's set, field by field, minus what must stay. */
static void
apply(const struct inc_rule *rule, struct inc_incident *r, int force, json_t *explain)
{
	for (size_t i = 0; i < NSLOTS; i++) {
		const json_t *v = json_object_get(rule->set, slots[i].name);
		int differs;

		if (!v)
			continue;
		differs = slots[i].off ? !inc_streq(*slot(r, i), json_string_value(v))
				       : !r->major != !json_is_true(v);
		if ((r->explicit_ & slots[i].bit) && !force) {
			if (differs)
				note(explain, "kept", slots[i].name);
			continue;
		}
		if (slots[i].off == offsetof(struct inc_incident, group) && r->assignee) {
			if (differs)
				note(explain, "kept", "group");
			continue;
		}
		if (slots[i].off)
			inc_set_str(slot(r, i), json_string_value(v));
		else
			r->major = json_is_true(v);
	}
}

static void
fill_default(const struct inc_config *c, struct inc_incident *r, size_t i,
	     json_t *explain)
{
	const char *d = json_string_value(json_object_get(c->defaults, slots[i].name));

	if (*slot(r, i) || !d)
		return;
	if (slots[i].off == offsetof(struct inc_incident, group) && r->assignee)
		return;
	inc_set_str(slot(r, i), d);
	note(explain, "defaults", slots[i].name);
}

int
inc_classify(const struct inc_config *c, struct inc_incident *r, int force,
	     json_t *explain)
{
	const json_t *rules = json_object_get(c->root, "rules");
	char *before[NSLOTS + 1];
	int64_t major = r->major;
	const char *p;
	int changed = 0;

	for (size_t i = 0; i < NSLOTS; i++)
		before[i] = slots[i].off ? inc_xstrdup(*slot(r, i)) : NULL;
	before[NSLOTS] = inc_xstrdup(r->priority);
	if (explain) {
		json_object_set_new(explain, "rules", json_array());
		json_object_set_new(explain, "kept", json_array());
		json_object_set_new(explain, "defaults", json_array());
	}
	for (size_t k = 0; k < c->nrules; k++) {
		json_t *m = json_object_get(json_array_get(rules, k), "match");

		if (!matches(&c->rules[k], r))
			continue;
		if (explain)
			json_array_append_new(json_object_get(explain, "rules"),
				json_pack("{s:I,s:o,s:O}", "index", (json_int_t)k,
					  "match", m ? json_incref(m) : json_object(),
					  "set", c->rules[k].set));
		apply(&c->rules[k], r, force, explain);
	}
	/* a rule may move the category from under an older subcategory */
	if (r->subcategory && !inc_config_category(c, r->category, r->subcategory))
		inc_set_str(&r->subcategory, NULL);
	for (size_t i = 2; i <= 4; i++)	/* impact, urgency, group */
		fill_default(c, r, i, explain);
	p = inc_config_priority(c, r->impact, r->urgency);
	if (p && !inc_streq(p, r->priority)) {
		if ((r->explicit_ & INC_EXPLICIT_PRIORITY) && !force)
			note(explain, "kept", "priority");
		else
			inc_set_str(&r->priority, p);
	}
	for (size_t i = 0; i < NSLOTS; i++)
		if (slots[i].off && !inc_streq(before[i], *slot(r, i)))
			changed = 1;
	changed |= !inc_streq(before[NSLOTS], r->priority) || !major != !r->major;
	for (size_t i = 0; i <= NSLOTS; i++)
		free(before[i]);
	return changed;
}
