/*
 * config.c - find, load and validate the configuration (SPEC section 5).
 * The whole file is checked before any tool acts: a bad config is refused
 * naming the file, the JSON path inside it and the problem.
 */
#define _GNU_SOURCE
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "inc.h"

#ifndef INC_SHAREDIR
#define INC_SHAREDIR "/usr/local/share/inc"
#endif

static const char *const default_config_text =
	"{\"levels\":{\"impact\":[\"high\",\"medium\",\"low\"],"
	"\"urgency\":[\"high\",\"medium\",\"low\"],"
	"\"priority\":[\"critical\",\"high\",\"medium\",\"low\"]}}";

static const char *const default_matrix_text =
	"{\"high\":{\"high\":\"critical\",\"medium\":\"high\",\"low\":\"medium\"},"
	"\"medium\":{\"high\":\"high\",\"medium\":\"medium\",\"low\":\"low\"},"
	"\"low\":{\"high\":\"medium\",\"medium\":\"low\",\"low\":\"low\"}}";

static const char *const default_codes_text =
	"[\"fixed\",\"workaround\",\"no-fault-found\",\"user-error\",\"duplicate\","
	"\"auto-closed\",\"cancelled\"]";

struct vctx {
	const char *file;
	char *err;
};

static int
bad(struct vctx *v, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int
bad(struct vctx *v, const char *path, const char *fmt, ...)
{
	char msg[INC_ERRLEN];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return inc_err(v->err, "%s: %s: %s", v->file, path, msg);
}

/* Refuse keys outside `allowed`: typos in a config must not pass silently. */
static int
check_keys(struct vctx *v, const char *path, const json_t *obj, const char *const *allowed)
{
	const char *k;
	json_t *val;

	json_object_foreach((json_t *)obj, k, val)
		if (!inc_in_list(k, allowed))
			return bad(v, path, "unknown key \"%s\"", k);
	return 0;
}

/* A value refused by an inc_config_unknown*() message in msg. */
static int
bad_value(struct vctx *v, const char *path, const char *key, const char *msg)
{
	return key ? bad(v, path, "%s: %s", key, msg) : bad(v, path, "%s", msg);
}

static int
bad_level(struct vctx *v, const char *path, const char *key, const json_t *levels,
	  const char *what, const char *value)
{
	char msg[INC_ERRLEN];

	inc_config_unknown(levels, what, value, msg);
	return bad_value(v, path, key, msg);
}

static int
bad_group(struct vctx *v, const struct inc_config *c, const char *path, const char *key,
	  const char *value)
{
	char msg[INC_ERRLEN];

	inc_config_unknown_group(c, value, msg);
	return bad_value(v, path, key, msg);
}


static int
check_string_array(struct vctx *v, const char *path, const json_t *a, int nonempty)
{
	size_t i;
	json_t *e;

	if (!json_is_array(a))
		return bad(v, path, "expected an array of strings");
	if (nonempty && json_array_size(a) == 0)
		return bad(v, path, "must not be empty");
	json_array_foreach(a, i, e) {
		if (!json_is_string(e) || !*json_string_value(e))
			return bad(v, path, "[%zu]: expected a non-empty string", i);
		for (size_t j = 0; j < i; j++)
			if (strcmp(json_string_value(json_array_get(a, j)),
				   json_string_value(e)) == 0)
				return bad(v, path, "[%zu]: \"%s\" listed twice", i,
					   json_string_value(e));
	}
	return 0;
}

/* A duration, at most INC_DURATION_MAX as a string or an integer: a due
 * time centuries of working time away is a typing error, and walking a
 * calendar that far would cost every incident seconds. */
static int
get_duration(struct vctx *v, const char *path, const json_t *d, int64_t *out)
{
	int rc = -1;

	if (json_is_integer(d) && json_integer_value(d) >= 0) {
		if (json_integer_value(d) > INC_DURATION_MAX)
			return bad(v, path, "duration %" JSON_INTEGER_FORMAT "s is longer than"
				   " 100 years", json_integer_value(d));
		*out = json_integer_value(d);
		return 0;
	}
	if (json_is_string(d) && (rc = inc_duration_parse(json_string_value(d), out)) == -2)
		return bad(v, path, "duration \"%s\" is longer than 100 years",
			   json_string_value(d));
	if (!json_is_string(d) || rc < 0)
		return bad(v, path, "bad duration %s%s%s (want e.g. 90s, 15m, 4h, 1h30m)",
			   json_is_string(d) ? "\"" : "",
			   json_is_string(d) ? json_string_value(d) : "of the wrong type",
			   json_is_string(d) ? "\"" : "");
	return 0;
}

static const char *
opt_string(struct vctx *v, const char *path, const json_t *obj, const char *key, int *rc)
{
	const json_t *s = json_object_get(obj, key);

	if (!s || json_is_null(s))
		return NULL;
	if (!json_is_string(s) || !*json_string_value(s)) {
		*rc = bad(v, path, "%s: expected a non-empty string", key);
		return NULL;
	}
	return json_string_value(s);
}

static int
load_levels(struct vctx *v, struct inc_config *c, json_t *defaults)
{
	static const char *const keys[] = {"impact", "urgency", "priority", NULL};
	json_t *lv = json_object_get(c->root, "levels");
	json_t *dl = json_object_get(defaults, "levels");

	if (!lv) {
		lv = json_object();
		json_object_set_new(c->root, "levels", lv);
	}
	if (!json_is_object(lv))
		return bad(v, "levels", "expected an object");
	if (check_keys(v, "levels", lv, keys) < 0)
		return -1;
	for (int i = 0; keys[i]; i++) {
		char path[64];
		json_t *a = json_object_get(lv, keys[i]);

		snprintf(path, sizeof path, "levels.%s", keys[i]);
		if (!a) {
			a = json_object_get(dl, keys[i]);
			json_object_set(lv, keys[i], a);
		}
		if (check_string_array(v, path, a, 1) < 0)
			return -1;
	}
	c->impact = json_object_get(lv, "impact");
	c->urgency = json_object_get(lv, "urgency");
	c->priority = json_object_get(lv, "priority");
	return 0;
}

static int
load_matrix(struct vctx *v, struct inc_config *c)
{
	json_t *m = json_object_get(c->root, "priority_matrix");
	size_t i, j;
	json_t *im, *um;

	if (!m) {
		m = json_loads(default_matrix_text, 0, NULL);
		json_object_set_new(c->root, "priority_matrix", m);
	}
	if (!json_is_object(m))
		return bad(v, "priority_matrix", "expected an object");
	json_array_foreach(c->impact, i, im) {
		const char *ik = json_string_value(im);
		json_t *row = json_object_get(m, ik);

		if (!json_is_object(row))
			return bad(v, "priority_matrix", "no row for impact \"%s\"", ik);
		json_array_foreach(c->urgency, j, um) {
			const char *uk = json_string_value(um);
			json_t *p = json_object_get(row, uk);

			if (!json_is_string(p))
				return bad(v, "priority_matrix", "%s.%s: missing", ik, uk);
			if (inc_config_level(c->priority, json_string_value(p)) < 0) {
				char key[256];

				snprintf(key, sizeof key, "%s.%s", ik, uk);
				return bad_level(v, "priority_matrix", key, c->priority, "priority",
						 json_string_value(p));
			}
		}
	}
	{
		const char *k;
		json_t *row;

		json_object_foreach(m, k, row) {
			const char *uk;
			json_t *p;

			if (inc_config_level(c->impact, k) < 0)
				return bad_level(v, "priority_matrix", NULL, c->impact, "impact", k);
			/* a cell for an urgency that does not exist is a typo the
			 * matrix would never read */
			json_object_foreach(row, uk, p)
				if (inc_config_level(c->urgency, uk) < 0)
					return bad_level(v, "priority_matrix", k, c->urgency, "urgency", uk);
		}
	}
	c->matrix = m;
	return 0;
}

static int
load_categories(struct vctx *v, struct inc_config *c)
{
	static const char *const keys[] = {"subcategories", "form", NULL};
	json_t *cats = json_object_get(c->root, "categories");
	const char *name;
	json_t *cat;

	if (!cats) {
		cats = json_object();
		json_object_set_new(c->root, "categories", cats);
	}
	if (!json_is_object(cats))
		return bad(v, "categories", "expected an object");
	json_object_foreach(cats, name, cat) {
		char path[256];
		json_t *subs, *form;

		snprintf(path, sizeof path, "categories.%s", name);
		if (!*name || strchr(name, '/'))
			return bad(v, path, "a category name must be non-empty, without '/'");
		if (!json_is_object(cat))
			return bad(v, path, "expected an object");
		if (check_keys(v, path, cat, keys) < 0)
			return -1;
		subs = json_object_get(cat, "subcategories");
		if (subs) {
			char sp[300];

			snprintf(sp, sizeof sp, "%s.subcategories", path);
			if (check_string_array(v, sp, subs, 0) < 0)
				return -1;
		}
		form = json_object_get(cat, "form");
		if (form) {
			const char *fk;
			json_t *fv;

			if (!json_is_object(form))
				return bad(v, path, "form: expected an object");
			json_object_foreach(form, fk, fv) {
				json_t *req;

				if (!json_is_object(fv))
					return bad(v, path, "form.%s: expected an object", fk);
				req = json_object_get(fv, "required");
				if (req && !json_is_boolean(req))
					return bad(v, path, "form.%s.required: expected true or false", fk);
			}
		}
	}
	c->categories = cats;
	return 0;
}

static int
load_people(struct vctx *v, struct inc_config *c)
{
	static const char *const keys[] = {"name", "email", "role", "skills", "available",
		"max_open", NULL};
	json_t *a = json_object_get(c->root, "people");
	size_t i;
	json_t *p;

	if (!a)
		return 0;
	if (!json_is_array(a))
		return bad(v, "people", "expected an array");
	c->people = inc_xmalloc(sizeof *c->people * (json_array_size(a) + 1));
	json_array_foreach(a, i, p) {
		struct inc_person *pp = &c->people[i];
		char path[64];
		int rc = 0, role;
		const char *rs;
		json_t *x;

		snprintf(path, sizeof path, "people[%zu]", i);
		if (!json_is_object(p))
			return bad(v, path, "expected an object");
		if (check_keys(v, path, p, keys) < 0)
			return -1;
		memset(pp, 0, sizeof *pp);
		pp->name = opt_string(v, path, p, "name", &rc);
		pp->email = opt_string(v, path, p, "email", &rc);
		rs = opt_string(v, path, p, "role", &rc);
		if (rc < 0)
			return -1;
		if (!pp->name)
			return bad(v, path, "name: missing");
		if (pp->email && !inc_config_address(pp->email))
			return bad(v, path, "email: not an e-mail address \"%s\"", pp->email);
		role = rs ? inc_vocab_parse(&inc_roles, rs) : INC_TECHNICIAN;
		if (role < 0) {
			char want[256];

			return bad(v, path, "role: unknown role \"%s\" (%s)", rs,
				   inc_vocab_want(&inc_roles, want, sizeof want));
		}
		pp->role = (enum inc_role)role;
		x = json_object_get(p, "skills");
		if (!x) {
			x = json_array();
			json_object_set_new(p, "skills", x);
		}
		if (check_string_array(v, path, x, 0) < 0)
			return -1;
		pp->skills = x;
		x = json_object_get(p, "available");
		if (x && !json_is_boolean(x))
			return bad(v, path, "available: expected true or false");
		pp->available = !x || json_is_true(x);
		x = json_object_get(p, "max_open");
		pp->max_open = INC_NULL;
		if (x) {
			if (!json_is_integer(x) || json_integer_value(x) < 0)
				return bad(v, path, "max_open: expected a non-negative integer");
			pp->max_open = json_integer_value(x);
		}
		for (size_t j = 0; j < i; j++)
			if (strcmp(c->people[j].name, pp->name) == 0)
				return bad(v, path, "name: \"%s\" listed twice", pp->name);
		c->npeople = i + 1;
	}
	return 0;
}

static int
load_groups(struct vctx *v, struct inc_config *c)
{
	static const char *const keys[] = {"name", "tier", "manager", "escalate_to",
		"strategy", "members", "email", NULL};
	json_t *a = json_object_get(c->root, "groups");
	size_t i;
	json_t *g;

	if (!a)
		return 0;
	if (!json_is_array(a))
		return bad(v, "groups", "expected an array");
	c->groups = inc_xmalloc(sizeof *c->groups * (json_array_size(a) + 1));
	json_array_foreach(a, i, g) {
		struct inc_group *gp = &c->groups[i];
		char path[64], want[256];
		const char *ss;
		int rc = 0, st;
		json_t *x;

		snprintf(path, sizeof path, "groups[%zu]", i);
		if (!json_is_object(g))
			return bad(v, path, "expected an object");
		if (check_keys(v, path, g, keys) < 0)
			return -1;
		memset(gp, 0, sizeof *gp);
		gp->name = opt_string(v, path, g, "name", &rc);
		gp->manager = opt_string(v, path, g, "manager", &rc);
		gp->escalate_to = opt_string(v, path, g, "escalate_to", &rc);
		gp->email = opt_string(v, path, g, "email", &rc);
		ss = opt_string(v, path, g, "strategy", &rc);
		if (rc < 0)
			return -1;
		if (gp->email && !inc_config_address(gp->email))
			return bad(v, path, "email: not an e-mail address \"%s\"", gp->email);
		if (!gp->name)
			return bad(v, path, "name: missing");
		st = ss ? inc_vocab_parse(&inc_strategies, ss) : INC_ROUND_ROBIN;
		if (st < 0)
			return bad(v, path, "strategy: unknown strategy \"%s\" (%s)", ss,
				   inc_vocab_want(&inc_strategies, want, sizeof want));
		gp->strategy = (enum inc_strategy)st;
		x = json_object_get(g, "tier");
		gp->tier = 1;
		if (x) {
			if (!json_is_integer(x) || json_integer_value(x) < 1)
				return bad(v, path, "tier: expected a positive integer");
			gp->tier = (int)json_integer_value(x);
		}
		x = json_object_get(g, "members");
		if (!x) {
			x = json_array();
			json_object_set_new(g, "members", x);
		}
		if (check_string_array(v, path, x, 0) < 0)
			return -1;
		gp->members = x;
		for (size_t j = 0; j < i; j++)
			if (strcmp(c->groups[j].name, gp->name) == 0)
				return bad(v, path, "name: \"%s\" listed twice", gp->name);
		c->ngroups = i + 1;
	}
	/* names are all known now: check the references */
	for (i = 0; i < c->ngroups; i++) {
		struct inc_group *gp = &c->groups[i];
		char path[64];
		size_t k;
		json_t *m;

		snprintf(path, sizeof path, "groups[%zu]", i);
		if (gp->escalate_to && !inc_config_group(c, gp->escalate_to))
			return bad_group(v, c, path, "escalate_to", gp->escalate_to);
		if (gp->escalate_to && strcmp(gp->escalate_to, gp->name) == 0)
			return bad(v, path, "escalate_to: a group cannot escalate to itself");
		if (c->npeople && gp->manager && !inc_config_person(c, gp->manager)) {
			char msg[INC_ERRLEN];

			inc_config_unknown_person(c, "person", gp->manager, 0, msg);
			return bad_value(v, path, "manager", msg);
		}
		json_array_foreach(gp->members, k, m)
			if (c->npeople && !inc_config_person(c, json_string_value(m))) {
				char msg[INC_ERRLEN], key[32];

				inc_config_unknown_person(c, "person", json_string_value(m), 0, msg);
				snprintf(key, sizeof key, "members[%zu]", k);
				return bad_value(v, path, key, msg);
			}
	}
	return 0;
}

static int
load_defaults(struct vctx *v, struct inc_config *c)
{
	static const char *const keys[] = {"impact", "urgency", "group", NULL};
	json_t *d = json_object_get(c->root, "defaults");
	const char *s;
	int rc = 0;

	if (!d) {
		d = json_object();
		json_object_set_new(c->root, "defaults", d);
	}
	if (!json_is_object(d))
		return bad(v, "defaults", "expected an object");
	if (check_keys(v, "defaults", d, keys) < 0)
		return -1;
	if ((s = opt_string(v, "defaults", d, "impact", &rc)) &&
	    inc_config_level(c->impact, s) < 0)
		return bad_level(v, "defaults.impact", NULL, c->impact, "impact", s);
	if ((s = opt_string(v, "defaults", d, "urgency", &rc)) &&
	    inc_config_level(c->urgency, s) < 0)
		return bad_level(v, "defaults.urgency", NULL, c->urgency, "urgency", s);
	if ((s = opt_string(v, "defaults", d, "group", &rc)) && !inc_config_group(c, s))
		return bad_group(v, c, "defaults.group", NULL, s);
	if (rc < 0)
		return -1;
	c->defaults = d;
	return 0;
}

/* A rule's or policy's value for a classification field must be known. */
static int
check_field_value(struct vctx *v, struct inc_config *c, const char *path, const char *k,
		  const json_t *val, const json_t *set)
{
	const char *s = json_string_value(val);

	if (strcmp(k, "major") == 0) {
		if (!json_is_boolean(val))
			return bad(v, path, "%s: expected true or false", k);
		return 0;
	}
	if (!json_is_string(val))
		return bad(v, path, "%s: expected a string", k);
	if (strcmp(k, "impact") == 0 && inc_config_level(c->impact, s) < 0)
		return bad_level(v, path, k, c->impact, k, s);
	if (strcmp(k, "urgency") == 0 && inc_config_level(c->urgency, s) < 0)
		return bad_level(v, path, k, c->urgency, k, s);
	if (strcmp(k, "priority") == 0 && inc_config_level(c->priority, s) < 0)
		return bad_level(v, path, k, c->priority, k, s);
	if (strcmp(k, "group") == 0 && !inc_config_group(c, s))
		return bad_group(v, c, path, k, s);
	if (strcmp(k, "category") == 0 && !inc_config_category(c, s, NULL)) {
		char msg[INC_ERRLEN];

		inc_config_unknown_category(c, s, NULL, msg);
		return bad_value(v, path, k, msg);
	}
	if (strcmp(k, "subcategory") == 0) {
		const json_t *cat = set ? json_object_get(set, "category") : NULL;
		const char *cs = json_is_string(cat) ? json_string_value(cat) : NULL;
		char msg[INC_ERRLEN];

		if ((cs || !cat) && !inc_config_category(c, cs, s)) {
			inc_config_unknown_category(c, cs, s, msg);
			return bad_value(v, path, k, msg);
		}
	}
	return 0;
}

/* The match keys of a rule: the record fields F_RULE marks, and "text"
 * (subject or description). */
const char *const inc_rule_fields[INC_RF_N] = {"subject", "description", "text",
	"requester", "source", "category"};

static int
rule_field(const char *k)
{
	for (int f = 0; f < INC_RF_N; f++)
		if (strcmp(k, inc_rule_fields[f]) == 0)
			return f;
	return -1;
}

static int
load_rules(struct vctx *v, struct inc_config *c)
{
	static const char *const keys[] = {"match", "set", NULL};
	json_t *a = json_object_get(c->root, "rules");
	size_t i;
	json_t *r;

	if (!a)
		return 0;
	if (!json_is_array(a))
		return bad(v, "rules", "expected an array");
	c->rules = inc_xmalloc(sizeof *c->rules * (json_array_size(a) + 1));
	json_array_foreach(a, i, r) {
		struct inc_rule *rp = &c->rules[i];
		char path[64];
		json_t *m, *s, *x;
		const char *k;

		snprintf(path, sizeof path, "rules[%zu]", i);
		memset(rp, 0, sizeof *rp);
		c->nrules = i;	/* compiled so far, for freeing on error */
		if (!json_is_object(r))
			return bad(v, path, "expected an object");
		if (check_keys(v, path, r, keys) < 0)
			return -1;
		m = json_object_get(r, "match");
		s = json_object_get(r, "set");
		if (m && !json_is_object(m))
			return bad(v, path, "match: expected an object");
		if (!json_is_object(s) || json_object_size(s) == 0)
			return bad(v, path, "set: expected a non-empty object");
		json_object_foreach(s, k, x) {
			const struct inc_field *f = inc_field_find(k);
			char sp[96];

			snprintf(sp, sizeof sp, "%s.set", path);
			if (!f || !(f->flags & INC_F_RULESET))
				return bad(v, sp, "unknown field \"%s\"", k);
			if (check_field_value(v, c, sp, k, x, s) < 0)
				return -1;
		}
		rp->match = m;
		rp->set = s;
		c->nrules = i + 1;
		json_object_foreach(m, k, x) {
			char err[INC_ERRLEN];
			int f = rule_field(k);

			if (f < 0)
				return bad(v, path, "match: unknown field \"%s\"", k);
			if (!json_is_string(x))
				return bad(v, path, "match.%s: expected a string", k);
			if (!(rp->re[f] = inc_rule_re_new(json_string_value(x), err)))
				return bad(v, path, "match.%s: bad regex \"%s\": %s", k,
					   json_string_value(x), err);
		}
	}
	return 0;
}

static int
load_calendars(struct vctx *v, struct inc_config *c)
{
	json_t *a = json_object_get(c->root, "calendars");
	size_t i;
	json_t *cal;

	if (!a) {
		a = json_array();
		json_object_set_new(c->root, "calendars", a);
	}
	if (!json_is_array(a))
		return bad(v, "calendars", "expected an array");
	c->calendars = inc_xmalloc(sizeof *c->calendars * (json_array_size(a) + 1));
	json_array_foreach(a, i, cal) {
		char path[64], err[INC_ERRLEN];
		struct inc_calendar *k;

		snprintf(path, sizeof path, "calendars[%zu]", i);
		if (!json_is_object(cal))
			return bad(v, path, "expected an object");
		k = inc_calendar_new(cal, err);
		if (!k)
			return bad(v, path, "%s", err);
		c->calendars[c->ncalendars++] = k;
		for (size_t j = 0; j < i; j++)
			if (strcmp(inc_calendar_name(c->calendars[j]), inc_calendar_name(k)) == 0)
				return bad(v, path, "name: \"%s\" listed twice", inc_calendar_name(k));
	}
	return 0;
}

/* A match object (an SLA policy's, an escalation rule's): record fields
 * with exact values, each one the field can hold (a configured level,
 * group or category, a status, true or false for major): a value none can
 * hold is a typo that would never match. */
static int
check_match(struct vctx *v, const struct inc_config *c, const char *path, const json_t *x)
{
	char mp[96], msg[INC_ERRLEN];
	const char *k;
	json_t *mv;

	if (!json_is_object(x))
		return bad(v, path, "match: expected an object");
	snprintf(mp, sizeof mp, "%s.match", path);
	json_object_foreach((json_t *)x, k, mv) {
		const struct inc_field *f = inc_field_find(k);
		const char *s = json_string_value(mv);

		if (!f || !(f->flags & INC_F_SLA))
			return bad(v, mp, "unknown field \"%s\"", k);
		if (f->type == INC_FT_FLAG) {
			if (!json_is_boolean(mv))
				return bad(v, mp, "%s: expected true or false", k);
			continue;
		}
		if (!s)
			return bad(v, mp, "%s: expected a string", k);
		if (strcmp(k, "priority") == 0 && inc_config_level(c->priority, s) < 0)
			return bad_level(v, mp, k, c->priority, "priority", s);
		if (strcmp(k, "impact") == 0 && inc_config_level(c->impact, s) < 0)
			return bad_level(v, mp, k, c->impact, "impact", s);
		if (strcmp(k, "urgency") == 0 && inc_config_level(c->urgency, s) < 0)
			return bad_level(v, mp, k, c->urgency, "urgency", s);
		if (strcmp(k, "group") == 0 && !inc_config_group(c, s))
			return bad_group(v, c, mp, k, s);
		if (strcmp(k, "category") == 0 && json_object_size(c->categories) &&
		    !inc_config_category(c, s, NULL)) {
			inc_config_unknown_category(c, s, NULL, msg);
			return bad_value(v, mp, k, msg);
		}
		if (f->type == INC_FT_STATUS && inc_status_parse(s) < 0) {
			char want[256];

			return bad(v, mp, "%s: unknown status \"%s\" (%s)", k, s,
				   inc_vocab_want(&inc_statuses, want, sizeof want));
		}
	}
	return 0;
}

static int
load_sla(struct vctx *v, struct inc_config *c)
{
	static const char *const keys[] = {"name", "match", "response", "resolve",
		"calendar", "warn", NULL};
	json_t *a = json_object_get(c->root, "sla");
	size_t i;
	json_t *p;

	if (!a)
		return 0;
	if (!json_is_array(a))
		return bad(v, "sla", "expected an array");
	c->policies = inc_xmalloc(sizeof *c->policies * (json_array_size(a) + 1));
	json_array_foreach(a, i, p) {
		struct inc_policy *pp = &c->policies[i];
		char path[64];
		int rc = 0;
		const char *calname;
		json_t *x;

		snprintf(path, sizeof path, "sla[%zu]", i);
		if (!json_is_object(p))
			return bad(v, path, "expected an object");
		if (check_keys(v, path, p, keys) < 0)
			return -1;
		memset(pp, 0, sizeof *pp);
		pp->name = opt_string(v, path, p, "name", &rc);
		calname = opt_string(v, path, p, "calendar", &rc);
		if (rc < 0)
			return -1;
		if (!pp->name)
			return bad(v, path, "name: missing");
		for (size_t j = 0; j < i; j++)
			if (strcmp(c->policies[j].name, pp->name) == 0)
				return bad(v, path, "name: \"%s\" listed twice", pp->name);
		x = json_object_get(p, "match");
		if (!x) {
			x = json_object();
			json_object_set_new(p, "match", x);
		}
		if (check_match(v, c, path, x) < 0)
			return -1;
		pp->match = x;
		{
			char dp[96];

			snprintf(dp, sizeof dp, "%s.response", path);
			if (!json_object_get(p, "response"))
				return bad(v, path, "response: missing");
			if (get_duration(v, dp, json_object_get(p, "response"), &pp->response) < 0)
				return -1;
			snprintf(dp, sizeof dp, "%s.resolve", path);
			if (!json_object_get(p, "resolve"))
				return bad(v, path, "resolve: missing");
			if (get_duration(v, dp, json_object_get(p, "resolve"), &pp->resolve) < 0)
				return -1;
		}
		if (calname) {
			pp->calendar = inc_config_calendar(c, calname);
			if (!pp->calendar) {
				json_t *names = json_array();
				char msg[INC_ERRLEN];

				for (size_t j = 0; j < c->ncalendars; j++)
					json_array_append_new(names,
						json_string(inc_calendar_name(c->calendars[j])));
				inc_config_unknown(names, "calendar", calname, msg);
				json_decref(names);
				return bad_value(v, path, "calendar", msg);
			}
		} else {
			pp->calendar = NULL;	/* 24x7 UTC */
		}
		x = json_object_get(p, "warn");
		pp->warn = 0.8;
		if (x) {
			if (!json_is_number(x) || json_number_value(x) <= 0 ||
			    json_number_value(x) > 1)
				return bad(v, path, "warn: expected a number in (0, 1]");
			pp->warn = json_number_value(x);
		}
		c->npolicies = i + 1;
	}
	return 0;
}

/* ---- notifications and mail ---- */

static const char *const notify_words[] = {"requester", "assignee", "group", "manager",
	"incident_manager", NULL};

/* What inc-notify mails on each event when the config says nothing (SPEC
 * section 5); requester_replied is a replied event by the requester. */
static const char *const default_notify_text =
	"{\"logged\":[\"requester\"],\"replied\":[\"requester\"],"
	"\"requester_replied\":[\"assignee\"],\"resolved\":[\"requester\"],"
	"\"closed\":[\"requester\"],\"reopened\":[\"requester\",\"assignee\"],"
	"\"assigned\":[\"assignee\"],\"queued\":[],\"classified\":[],\"updated\":[],"
	"\"sla_warning\":[\"assignee\"],\"sla_breached\":[\"assignee\"],"
	"\"escalated\":[\"assignee\"],\"notified\":[],"
	"\"major_declared\":[\"incident_manager\"]}";

int
inc_config_address(const char *s)
{
	const char *at = s ? strchr(s, '@') : NULL;

	if (!at || at == s || !at[1] || strchr(at + 1, '@'))
		return 0;
	for (const char *p = s; *p; p++)
		if ((unsigned char)*p <= ' ' || strchr("<>()[],;:\\\"", *p))
			return 0;
	return strchr(at + 1, '.') || strcmp(at + 1, "localhost") == 0;
}

int
inc_config_notify_target(const struct inc_config *c, const char *w)
{
	return inc_in_list(w, notify_words) || inc_config_person(c, w) || inc_config_address(w);
}

/* A notify list: role words, people the config names, addresses. */
static int
check_notify(struct vctx *v, const struct inc_config *c, const char *path, const json_t *a)
{
	size_t i;
	json_t *x;

	json_array_foreach(a, i, x)
		if (!inc_config_notify_target(c, json_string_value(x)))
			return bad(v, path, "notify[%zu]: \"%s\" is no one (want %s)", i,
				   json_string_value(x), INC_NOTIFY_WANT);
	return 0;
}

static int
load_notify(struct vctx *v, struct inc_config *c)
{
	static const char *const keys[] = {"templates", "on", NULL};
	json_t *n = json_object_get(c->root, "notify"), *on, *dflt, *x;
	const char *k;
	int rc = 0;

	dflt = json_loads(default_notify_text, 0, NULL);
	json_object_set_new(c->root, "_notify_on", dflt);
	c->notify_on = dflt;
	if (!n)
		return 0;
	if (!json_is_object(n))
		return bad(v, "notify", "expected an object");
	if (check_keys(v, "notify", n, keys) < 0)
		return -1;
	c->templates = opt_string(v, "notify", n, "templates", &rc);
	if (rc < 0)
		return -1;
	if (!(on = json_object_get(n, "on")))
		return 0;
	if (!json_is_object(on))
		return bad(v, "notify.on", "expected an object");
	json_object_foreach(on, k, x) {
		char path[96];

		snprintf(path, sizeof path, "notify.on.%s", k);
		if (!json_object_get(dflt, k)) {
			/* the kinds there are, in their order, as inc_vocab_want */
			struct inc_buf want = {0};
			const char *d;
			json_t *dx;
			size_t i = 0, n = json_object_size(dflt);

			json_object_foreach(dflt, d, dx) {
				inc_buf_addstr(&want, i == 0 ? "want " : i == n - 1 ? " or " : ", ");
				inc_buf_addstr(&want, d);
				i++;
			}
			rc = bad(v, "notify.on", "unknown event \"%s\" (%s)", k, want.data);
			inc_buf_free(&want);
			return rc;
		}
		if (check_string_array(v, path, x, 0) < 0 || check_notify(v, c, path, x) < 0)
			return -1;
		json_object_set(dflt, k, x);
	}
	return 0;
}

int
inc_size_parse(const char *s, int64_t *out)
{
	char *end;
	long long n;
	int64_t unit = 1;

	if (!s || !*s || *s == '-')
		return -1;
	n = strtoll(s, &end, 10);
	if (end == s || n < 0)
		return -1;
	switch (*end) {
	case 'k': case 'K': unit = 1 << 10; end++; break;
	case 'm': case 'M': unit = 1 << 20; end++; break;
	case 'g': case 'G': unit = 1 << 30; end++; break;
	default: break;
	}
	if ((*end == 'B' || *end == 'b') && end[1] == '\0')
		end++;
	if (*end || n > INT64_MAX / unit)
		return -1;
	*out = n * unit;
	return 0;
}

static int
get_size(struct vctx *v, const char *path, const json_t *x, int64_t *out)
{
	if (json_is_integer(x) && json_integer_value(x) >= 0) {
		*out = json_integer_value(x);
		return 0;
	}
	if (!json_is_string(x) || inc_size_parse(json_string_value(x), out) < 0)
		return bad(v, path, "bad size (want e.g. 512K, 10M or bytes)");
	return 0;
}

static int
load_mail(struct vctx *v, struct inc_config *c)
{
	static const char *const keys[] = {"address", "name", "sendmail", "allow", "deny",
		"max_size", "max_attachment", NULL};
	json_t *m = json_object_get(c->root, "mail"), *x;
	int rc = 0;

	c->sendmail = "sendmail -t -i";
	c->mail_max = 25 << 20;
	c->attach_max = 10 << 20;
	if (!m)
		return 0;
	if (!json_is_object(m))
		return bad(v, "mail", "expected an object");
	if (check_keys(v, "mail", m, keys) < 0)
		return -1;
	c->mail_address = opt_string(v, "mail", m, "address", &rc);
	c->mail_name = opt_string(v, "mail", m, "name", &rc);
	/* null, like a missing key, keeps the default */
	if ((x = json_object_get(m, "sendmail")) && !json_is_null(x))
		c->sendmail = opt_string(v, "mail", m, "sendmail", &rc);
	if (rc < 0)
		return -1;
	if (c->mail_address && !inc_config_address(c->mail_address))
		return bad(v, "mail.address", "not an e-mail address \"%s\"", c->mail_address);
	if ((x = json_object_get(m, "allow"))) {
		if (check_string_array(v, "mail.allow", x, 0) < 0)
			return -1;
		c->mail_allow = x;
	}
	if ((x = json_object_get(m, "deny"))) {
		if (check_string_array(v, "mail.deny", x, 0) < 0)
			return -1;
		c->mail_deny = x;
	}
	if ((x = json_object_get(m, "max_size")) && get_size(v, "mail.max_size", x, &c->mail_max) < 0)
		return -1;
	if ((x = json_object_get(m, "max_attachment")) &&
	    get_size(v, "mail.max_attachment", x, &c->attach_max) < 0)
		return -1;
	return 0;
}

static int
load_escalation(struct vctx *v, struct inc_config *c)
{
	static const char *const keys[] = {"on", "after", "action", "notify", "match", NULL};
	json_t *a = json_object_get(c->root, "escalation");
	size_t i;
	json_t *r;

	if (!a)
		return 0;
	if (!json_is_array(a))
		return bad(v, "escalation", "expected an array");
	c->escalation = inc_xmalloc(sizeof *c->escalation * (json_array_size(a) + 1));
	json_array_foreach(a, i, r) {
		struct inc_escrule *e = &c->escalation[i];
		char path[64], want[256];
		const char *on, *action;
		int rc = 0, k;
		json_t *x;

		snprintf(path, sizeof path, "escalation[%zu]", i);
		if (!json_is_object(r))
			return bad(v, path, "expected an object");
		if (check_keys(v, path, r, keys) < 0)
			return -1;
		memset(e, 0, sizeof *e);
		on = opt_string(v, path, r, "on", &rc);
		action = opt_string(v, path, r, "action", &rc);
		if (rc < 0)
			return -1;
		if ((k = inc_vocab_parse(&inc_esc_ons, on)) < 0)
			return bad(v, path, "on: %s%s%s (%s)",
				   on ? "unknown event \"" : "missing", on ? on : "", on ? "\"" : "",
				   inc_vocab_want(&inc_esc_ons, want, sizeof want));
		e->on = (enum inc_esc_on)k;
		if ((k = action ? inc_vocab_parse(&inc_esc_actions, action) : INC_ESC_NOTIFY) < 0)
			return bad(v, path, "action: unknown action \"%s\" (%s)", action,
				   inc_vocab_want(&inc_esc_actions, want, sizeof want));
		e->action = (enum inc_esc_action)k;
		x = json_object_get(r, "after");
		if (x) {
			char ap[96];

			snprintf(ap, sizeof ap, "%s.after", path);
			if (get_duration(v, ap, x, &e->after) < 0)
				return -1;
		}
		x = json_object_get(r, "notify");
		if (!x) {
			x = json_array();
			json_object_set_new(r, "notify", x);
		}
		if (check_string_array(v, path, x, 0) < 0 || check_notify(v, c, path, x) < 0)
			return -1;
		e->notify = x;
		if ((x = json_object_get(r, "match")) && check_match(v, c, path, x) < 0)
			return -1;
		e->match = x;
		snprintf(e->key, sizeof e->key, "%s+%lld:%s", inc_vocab_name(&inc_esc_ons, (int)e->on),
			 (long long)e->after, inc_vocab_name(&inc_esc_actions, (int)e->action));
		if (e->match && json_object_size(e->match)) {
			/* rules that differ by their match only are different rules */
			char *m = json_dumps(e->match, JSON_COMPACT | JSON_SORT_KEYS);

			snprintf(e->key + strlen(e->key), sizeof e->key - strlen(e->key), "%s", m ? m : "");
			free(m);
		}
		for (size_t j = 0; j < i; j++)
			if (strcmp(c->escalation[j].key, e->key) == 0)
				return bad(v, path, "same on, after, action and match as escalation[%zu]", j);
		c->nescalation = i + 1;
	}
	return 0;
}

static int
load_misc(struct vctx *v, struct inc_config *c)
{
	json_t *x = json_object_get(c->root, "closure_codes");

	if (!x) {
		x = json_loads(default_codes_text, 0, NULL);
		json_object_set_new(c->root, "closure_codes", x);
	}
	if (check_string_array(v, "closure_codes", x, 0) < 0)
		return -1;
	c->closure_codes = x;
	c->reopen_window = 7 * 86400;
	x = json_object_get(c->root, "reopen_window");
	if (x && get_duration(v, "reopen_window", x, &c->reopen_window) < 0)
		return -1;
	return 0;
}

/* The desk's time zone, for people: tables, calendar keys of reports,
 * times written without an offset. NULL is UTC. */
static int
load_timezone(struct vctx *v, struct inc_config *c)
{
	json_t *x = json_object_get(c->root, "timezone");
	char err[INC_ERRLEN];

	if (!x)
		return 0;
	if (!json_is_string(x) || !*json_string_value(x))
		return bad(v, "timezone", "expected an IANA time zone name (e.g. Europe/Berlin)");
	if (inc_tz_load(json_string_value(x), &c->tz, err) < 0)
		return bad(v, "timezone", "%s", err);
	return 0;
}

static int
validate(struct vctx *v, struct inc_config *c)
{
	static const char *const keys[] = {"levels", "priority_matrix", "defaults",
		"categories", "rules", "groups", "people", "calendars", "sla", "escalation",
		"closure_codes", "reopen_window", "notify", "mail", "timezone", NULL};
	json_t *defaults = json_loads(default_config_text, 0, NULL);
	int rc;

	if (!json_is_object(c->root)) {
		json_decref(defaults);
		return inc_err(v->err, "%s: expected a JSON object", v->file);
	}
	rc = check_keys(v, "(top level)", c->root, keys);
	if (!rc)
		rc = load_levels(v, c, defaults);
	json_decref(defaults);
	if (!rc)
		rc = load_matrix(v, c);
	if (!rc)
		rc = load_categories(v, c);
	if (!rc)
		rc = load_people(v, c);
	if (!rc)
		rc = load_groups(v, c);
	if (!rc)
		rc = load_defaults(v, c);
	if (!rc)
		rc = load_rules(v, c);
	if (!rc)
		rc = load_calendars(v, c);
	if (!rc)
		rc = load_sla(v, c);
	if (!rc)
		rc = load_escalation(v, c);
	if (!rc)
		rc = load_notify(v, c);
	if (!rc)
		rc = load_mail(v, c);
	if (!rc)
		rc = load_misc(v, c);
	if (!rc)
		rc = load_timezone(v, c);
	return rc;
}

const char *
inc_config_default_path(char *buf, size_t len)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	static const char *const rel[] = {"/../share/inc/config.json",
		"/../share/config.json", NULL};

	if (n > 0) {
		char *slash;

		exe[n] = '\0';
		slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			for (int i = 0; rel[i]; i++) {
				char cand[PATH_MAX + 64];

				snprintf(cand, sizeof cand, "%s%s", exe, rel[i]);
				/* a clean path for messages: no "bin/../" */
				if (access(cand, R_OK) == 0 && realpath(cand, exe) &&
				    strlen(exe) < len) {
					snprintf(buf, len, "%s", exe);
					return buf;
				}
			}
		}
	}
	snprintf(buf, len, "%s/config.json", INC_SHAREDIR);
	if (access(buf, R_OK) == 0)
		return buf;
	return NULL;
}

/* SPEC section 5's search order. */
const char *
inc_config_find(const char *arg, char *buf, size_t len)
{
	const char *e, *home;

	if (arg)
		return arg;
	if ((e = getenv("INC_CONFIG")) && *e)
		return e;
	if ((e = getenv("XDG_CONFIG_HOME")) && *e)
		snprintf(buf, len, "%s/inc/config.json", e);
	else if ((home = getenv("HOME")) && *home)
		snprintf(buf, len, "%s/.config/inc/config.json", home);
	else
		buf[0] = '\0';
	if (buf[0] && access(buf, F_OK) == 0)
		return buf;
	if (access("/etc/inc/config.json", F_OK) == 0)
		return "/etc/inc/config.json";
	return inc_config_default_path(buf, len);
}

/* Validate c->root, read from c->path: c is freed on failure. */
static struct inc_config *
finish(struct inc_config *c, char *err)
{
	struct vctx v = {.file = c->path, .err = err};

	if (validate(&v, c) < 0) {
		inc_config_free(c);
		return NULL;
	}
	return c;
}

static struct inc_config *
new_config(const char *path)
{
	struct inc_config *c = inc_xmalloc(sizeof *c);

	memset(c, 0, sizeof *c);
	c->path = inc_xstrdup(path);
	return c;
}

static void
json_error(const char *path, const json_error_t *je, char *err)
{
	if (je->line <= 0)
		inc_err(err, "%s: %s", path, je->text);
	else
		inc_err(err, "%s: line %d: %s", path, je->line, je->text);
}

struct inc_config *
inc_config_load(const char *arg, char *err)
{
	char buf[PATH_MAX];
	const char *path = inc_config_find(arg, buf, sizeof buf);
	struct inc_config *c;
	json_error_t je;

	if (!path) {
		inc_err(err, "no configuration found (try -c FILE or inc init)");
		return NULL;
	}
	c = new_config(path);
	c->root = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
	if (!c->root) {
		json_error(path, &je, err);
		inc_config_free(c);
		return NULL;
	}
	return finish(c, err);
}

struct inc_config *
inc_config_parse(const char *text, size_t len, const char *name, char *err)
{
	struct inc_config *c = new_config(name);
	json_error_t je;

	c->root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
	if (!c->root) {
		json_error(name, &je, err);
		inc_config_free(c);
		return NULL;
	}
	return finish(c, err);
}

void
inc_config_free(struct inc_config *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->nrules; i++)
		for (int f = 0; f < INC_RF_N; f++)
			inc_rule_re_free(c->rules[i].re[f]);
	for (size_t i = 0; i < c->ncalendars; i++)
		inc_calendar_free(c->calendars[i]);
	free(c->rules);
	free(c->people);
	free(c->groups);
	free(c->calendars);
	free(c->policies);
	free(c->escalation);
	inc_tz_free(c->tz);
	json_decref(c->root);
	free(c->path);
	free(c);
}

const struct inc_person *
inc_config_person(const struct inc_config *c, const char *who)
{
	if (!who)
		return NULL;
	for (size_t i = 0; i < c->npeople; i++)
		if (strcmp(c->people[i].name, who) == 0 ||
		    (c->people[i].email && strcasecmp(c->people[i].email, who) == 0))
			return &c->people[i];
	return NULL;
}

const struct inc_group *
inc_config_group(const struct inc_config *c, const char *name)
{
	if (!name)
		return NULL;
	for (size_t i = 0; i < c->ngroups; i++)
		if (strcmp(c->groups[i].name, name) == 0)
			return &c->groups[i];
	return NULL;
}

const struct inc_calendar *
inc_config_calendar(const struct inc_config *c, const char *name)
{
	for (size_t i = 0; i < c->ncalendars; i++)
		if (strcmp(inc_calendar_name(c->calendars[i]), name) == 0)
			return c->calendars[i];
	return NULL;
}

int
inc_config_level(const json_t *levels, const char *value)
{
	size_t i;
	json_t *v;

	if (!value)
		return -1;
	json_array_foreach(levels, i, v)
		if (strcmp(json_string_value(v), value) == 0)
			return (int)i;
	return -1;
}

const char *
inc_config_priority(const struct inc_config *c, const char *impact, const char *urgency)
{
	json_t *row;

	if (!impact || !urgency)
		return NULL;
	row = json_object_get(c->matrix, impact);
	return json_string_value(json_object_get(row, urgency));
}

/* 1 if cat (and sub, when given) exist; cat NULL: sub in any category. */
int
inc_config_category(const struct inc_config *c, const char *cat, const char *sub)
{
	const char *k;
	json_t *v;

	if (cat) {
		v = json_object_get(c->categories, cat);
		if (!v)
			return 0;
		return !sub || inc_json_array_has(json_object_get(v, "subcategories"), sub);
	}
	json_object_foreach((json_t *)c->categories, k, v)
		if (inc_json_array_has(json_object_get(v, "subcategories"), sub))
			return 1;
	return 0;
}

/* "(want a, b or c)", or "(the config has none)" */
static void
want_list(struct inc_buf *b, const json_t *names)
{
	size_t i, n = json_array_size(names);
	json_t *x;

	inc_buf_addstr(b, n ? "(want " : "(the config has none)");
	json_array_foreach(names, i, x) {
		if (i)
			inc_buf_addstr(b, i == n - 1 ? " or " : ", ");
		inc_buf_addstr(b, json_string_value(x));
	}
	if (n)
		inc_buf_addstr(b, ")");
}

int
inc_config_unknown(const json_t *names, const char *what, const char *value, char *err)
{
	struct inc_buf b = {0};

	want_list(&b, names);
	inc_err(err, "unknown %s \"%s\" %s", what, value ? value : "", b.data);
	inc_buf_free(&b);
	return -1;
}

int
inc_config_unknown_group(const struct inc_config *c, const char *value, char *err)
{
	json_t *names = json_array();
	int rc;

	for (size_t i = 0; i < c->ngroups; i++)
		json_array_append_new(names, json_string(c->groups[i].name));
	rc = inc_config_unknown(names, "group", value, err);
	json_decref(names);
	return rc;
}

int
inc_config_unknown_category(const struct inc_config *c, const char *cat, const char *sub,
			    char *err)
{
	json_t *names = json_array();
	const char *k;
	json_t *v, *subs;
	int rc;

	if (!sub) {
		json_object_foreach((json_t *)c->categories, k, v)
			json_array_append_new(names, json_string(k));
		rc = inc_config_unknown(names, "category", cat, err);
	} else {
		/* of one category, or of any (each once) */
		json_object_foreach((json_t *)c->categories, k, v) {
			size_t i;

			if (cat && strcmp(k, cat) != 0)
				continue;
			subs = json_object_get(v, "subcategories");
			json_array_foreach(subs, i, v)
				if (!inc_json_array_has(names, json_string_value(v)))
					json_array_append(names, v);
		}
		if (cat) {
			struct inc_buf b = {0};

			want_list(&b, names);
			rc = inc_err(err, "unknown subcategory \"%s\" of \"%s\" %s", sub, cat, b.data);
			inc_buf_free(&b);
		} else {
			rc = inc_config_unknown(names, "subcategory", sub, err);
		}
	}
	json_decref(names);
	return rc;
}

int
inc_config_unknown_person(const struct inc_config *c, const char *what, const char *value,
			  int assignable, char *err)
{
	json_t *names = json_array();
	int rc;

	for (size_t i = 0; i < c->npeople; i++)
		if (!assignable || c->people[i].role != INC_REQUESTER)
			json_array_append_new(names, json_string(c->people[i].name));
	rc = inc_config_unknown(names, what, value, err);
	json_decref(names);
	return rc;
}
