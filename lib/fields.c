/*
 * fields.c - setting an incident's descriptive fields from JSON values, with
 * the validation inc-log (input lines and options) and inc-update --set
 * share: levels, categories, groups, sources, links, custom fields.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "inc.h"

static const char *const sources[] = {"phone", "email", "sms", "web", "chat", "api",
	"monitoring", NULL};
static const char *const link_types[] = {"problem", "change", "asset", "incident", NULL};

/* A string field: JSON string (non-empty where required) or null. */
static int
get_str(const char *k, const json_t *v, int required, const char **out, char *err)
{
	if (json_is_null(v)) {
		if (required)
			return inc_err(err, "%s: must not be null", k);
		*out = NULL;
		return 0;
	}
	if (!json_is_string(v))
		return inc_err(err, "%s: expected a string", k);
	*out = json_string_value(v);
	if (required && !**out)
		return inc_err(err, "%s: must not be empty", k);
	return 0;
}

static int
level(const struct inc_config *c, const json_t *levels, const char *k, const char *s,
      char *err)
{
	if (s && inc_config_level(levels, s) < 0) {
		struct inc_buf b = {0};
		size_t i;
		json_t *v;

		json_array_foreach(levels, i, v) {
			inc_buf_addstr(&b, i ? ", " : "");
			inc_buf_addstr(&b, json_string_value(v));
		}
		inc_err(err, "%s: unknown %s \"%s\" (want %s)", k, k, s, b.data ? b.data : "");
		inc_buf_free(&b);
		return -1;
	}
	(void)c;
	return 0;
}

int
inc_links_add(json_t *links, const char *type, const char *ref, char *err)
{
	size_t i;
	json_t *l;

	if (!type || !inc_in_list(type, link_types))
		return inc_err(err, "links: unknown link type \"%s\" (want problem, change, asset or incident)",
			       type ? type : "");
	if (!ref || !*ref)
		return inc_err(err, "links: empty reference");
	json_array_foreach(links, i, l)
		if (strcmp(json_string_value(json_object_get(l, "type")), type) == 0 &&
		    strcmp(json_string_value(json_object_get(l, "ref")), ref) == 0)
			return 0;	/* linked already */
	json_array_append_new(links, json_pack("{s:s,s:s}", "type", type, "ref", ref));
	return 0;
}

static int
set_links(struct inc_incident *r, const json_t *v, char *err)
{
	json_t *links = json_array();
	size_t i;
	json_t *l;

	if (!json_is_array(v)) {
		json_decref(links);
		return inc_err(err, "links: expected an array of {\"type\",\"ref\"} objects");
	}
	json_array_foreach(v, i, l) {
		const json_t *t = json_object_get(l, "type"), *ref = json_object_get(l, "ref");

		if (!json_is_object(l) || !json_is_string(t) || !json_is_string(ref)) {
			json_decref(links);
			return inc_err(err, "links[%zu]: expected {\"type\":\"...\",\"ref\":\"...\"}", i);
		}
		if (inc_links_add(links, json_string_value(t), json_string_value(ref), err) < 0) {
			json_decref(links);
			return -1;
		}
	}
	free(r->links);
	r->links = json_dumps(links, JSON_COMPACT);
	json_decref(links);
	return 0;
}

static void
custom_put(json_t *c, const char *k, json_t *v)
{
	if (json_is_null(v))
		json_object_del(c, k);
	else
		json_object_set(c, k, v);
}

/* Set key k to v (null deletes it) in the custom fields, or every key of
 * obj when given: one parse and one dump however many keys. */
static void
custom_merge(struct inc_incident *r, const char *k, json_t *v, json_t *obj)
{
	json_t *c = r->custom ? json_loads(r->custom, 0, NULL) : NULL;
	const char *ok;
	json_t *ov;

	if (!c)
		c = json_object();
	if (obj) {
		json_object_foreach(obj, ok, ov)
			custom_put(c, ok, ov);
	} else {
		custom_put(c, k, v);
	}
	free(r->custom);
	r->custom = json_dumps(c, JSON_COMPACT);
	json_decref(c);
}

int
inc_custom_set(struct inc_incident *r, const char *k, json_t *v)
{
	custom_merge(r, k, v, NULL);
	return 0;
}

int
inc_field_set(const struct inc_config *c, struct inc_incident *r, const char *k,
	      json_t *v, char *err)
{
	const char *s = NULL;

	if (strcmp(k, "subject") == 0) {
		if (get_str(k, v, 1, &s, err) < 0)
			return -1;
		inc_set_str(&r->subject, s);
	} else if (strcmp(k, "description") == 0 || strcmp(k, "requester") == 0) {
		if (get_str(k, v, 0, &s, err) < 0)
			return -1;
		inc_set_str(k[0] == 'd' ? &r->description : &r->requester, s && *s ? s : NULL);
	} else if (strcmp(k, "source") == 0) {
		if (get_str(k, v, 0, &s, err) < 0)
			return -1;
		if (s && !inc_in_list(s, sources))
			return inc_err(err, "source: unknown source \"%s\" (want phone, email, sms, web, chat, api or monitoring)", s);
		inc_set_str(&r->source, s);
	} else if (strcmp(k, "category") == 0) {
		const char *slash;

		if (get_str(k, v, 0, &s, err) < 0)
			return -1;
		/* "network/vpn" names both */
		if (s && (slash = strchr(s, '/'))) {
			char *cat = strndup(s, (size_t)(slash - s));

			inc_set_str(&r->category, cat);
			inc_set_str(&r->subcategory, slash[1] ? slash + 1 : NULL);
			free(cat);
			r->explicit_ |= INC_EXPLICIT_SUBCATEGORY;
		} else {
			inc_set_str(&r->category, s);
		}
		if (r->category && !inc_config_category(c, r->category, NULL))
			return inc_err(err, "category: unknown category \"%s\"", r->category);
		r->explicit_ |= INC_EXPLICIT_CATEGORY;
	} else if (strcmp(k, "subcategory") == 0) {
		if (get_str(k, v, 0, &s, err) < 0)
			return -1;
		inc_set_str(&r->subcategory, s);
		r->explicit_ |= INC_EXPLICIT_SUBCATEGORY;
	} else if (strcmp(k, "impact") == 0) {
		if (get_str(k, v, 0, &s, err) < 0 || level(c, c->impact, k, s, err) < 0)
			return -1;
		inc_set_str(&r->impact, s);
		r->explicit_ |= INC_EXPLICIT_IMPACT;
	} else if (strcmp(k, "urgency") == 0) {
		if (get_str(k, v, 0, &s, err) < 0 || level(c, c->urgency, k, s, err) < 0)
			return -1;
		inc_set_str(&r->urgency, s);
		r->explicit_ |= INC_EXPLICIT_URGENCY;
	} else if (strcmp(k, "priority") == 0) {
		if (get_str(k, v, 0, &s, err) < 0 || level(c, c->priority, k, s, err) < 0)
			return -1;
		inc_set_str(&r->priority, s);
		r->explicit_ |= INC_EXPLICIT_PRIORITY;
	} else if (strcmp(k, "group") == 0) {
		if (get_str(k, v, 0, &s, err) < 0)
			return -1;
		if (s && !inc_config_group(c, s))
			return inc_err(err, "group: unknown group \"%s\"", s);
		inc_set_str(&r->group, s);
		r->explicit_ |= INC_EXPLICIT_GROUP;
	} else if (strcmp(k, "major") == 0) {
		if (!json_is_boolean(v))
			return inc_err(err, "major: expected true or false");
		r->major = json_is_true(v);
		r->explicit_ |= INC_EXPLICIT_MAJOR;
	} else if (strcmp(k, "external_id") == 0) {
		if (get_str(k, v, 0, &s, err) < 0)
			return -1;
		inc_set_str(&r->external_id, s && *s ? s : NULL);
	} else if (strcmp(k, "links") == 0) {
		return set_links(r, v, err);
	} else if (strcmp(k, "custom") == 0) {
		if (!json_is_object(v))
			return inc_err(err, "custom: expected an object");
		custom_merge(r, NULL, NULL, v);
	} else {
		return 1;
	}
	return 0;
}

int
inc_check_category(const struct inc_config *c, const struct inc_incident *r, char *err)
{
	if (r->subcategory && !r->category)
		return inc_err(err, "subcategory: \"%s\" given without a category", r->subcategory);
	if (r->category && !inc_config_category(c, r->category, NULL))
		return inc_err(err, "category: unknown category \"%s\"", r->category);
	if (r->subcategory && !inc_config_category(c, r->category, r->subcategory))
		return inc_err(err, "subcategory: unknown subcategory \"%s\" of \"%s\"",
			       r->subcategory, r->category);
	return 0;
}

int
inc_check_form(const struct inc_config *c, const struct inc_incident *r, char *err)
{
	const json_t *form;
	json_t *custom;
	const char *k;
	json_t *f;
	int rc = 0;

	if (!r->category)
		return 0;
	form = json_object_get(json_object_get(c->categories, r->category), "form");
	if (!form)
		return 0;
	custom = json_loads(r->custom ? r->custom : "{}", 0, NULL);
	json_object_foreach((json_t *)form, k, f) {
		json_t *v = json_object_get(custom, k);

		if (json_is_true(json_object_get(f, "required")) &&
		    (!v || json_is_null(v) || (json_is_string(v) && !*json_string_value(v)))) {
			rc = inc_err(err, "category \"%s\" requires field \"%s\"", r->category, k);
			break;
		}
	}
	json_decref(custom);
	return rc;
}
