/*
 * fields.c - setting an incident's descriptive fields from JSON values, with
 * the validation inc-log (input lines and options) and inc-update --set
 * share: levels, categories, groups, sources, links, custom fields. A field
 * the registry marks F_LOG or F_SET and that needs no check of its own is
 * set by its type alone: a new descriptive field needs no code here.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "inc.h"

#define MEMBER(r, f, type) (*(type *)((char *)(r) + (f)->off))

/* A string field: JSON string (non-empty where required: white space is
 * not a subject) or null, up to INC_FIELD_MAX bytes. */
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
	if (json_string_length(v) > INC_FIELD_MAX)
		return inc_err(err, "%s: longer than 16 MiB (%zu bytes)", k, json_string_length(v));
	*out = json_string_value(v);
	if (required && !*(*out + strspn(*out, " \t\r\n\v\f")))
		return inc_err(err, "%s: must not be empty", k);
	return 0;
}

/* A JSON value stored as text (custom, links) within INC_FIELD_MAX. */
static int
json_size_ok(const char *k, const json_t *v, char *err)
{
	char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
	size_t n = s ? strlen(s) : 0;

	free(s);
	if (n > INC_FIELD_MAX)
		return inc_err(err, "%s: longer than 16 MiB (%zu bytes)", k, n);
	return 0;
}

/* "k: " before a message of inc_config_unknown*() */
static int
prefixed(const char *k, char *err)
{
	char msg[INC_ERRLEN];

	snprintf(msg, sizeof msg, "%s", err);
	return inc_err(err, "%s: %s", k, msg);
}

static int
level(const json_t *levels, const char *k, const char *s, char *err)
{
	if (s && inc_config_level(levels, s) < 0)
		return inc_config_unknown(levels, k, s, err), prefixed(k, err);
	return 0;
}

int
inc_links_add(json_t *links, const char *type, const char *ref, char *err)
{
	size_t i;
	json_t *l;
	char want[128];

	if (inc_vocab_parse(&inc_link_types, type) < 0)
		return inc_err(err, "links: unknown link type \"%s\" (%s)", type ? type : "",
			       inc_vocab_want(&inc_link_types, want, sizeof want));
	if (!ref || !*ref)
		return inc_err(err, "links: empty reference");
	json_array_foreach(links, i, l)
		if (strcmp(json_string_value(json_object_get(l, "type")), type) == 0 &&
		    strcmp(json_string_value(json_object_get(l, "ref")), ref) == 0)
			return 0;	/* linked already */
	json_array_append_new(links, json_pack("{s:s,s:s}", "type", type, "ref", ref));
	return 0;
}

int
inc_links_add_ref(json_t *links, const char *s, char *err)
{
	const char *colon = s ? strchr(s, ':') : NULL;
	char *type;
	int rc;

	if (!colon)
		return inc_err(err, "links: want TYPE:REF, got \"%s\"", s ? s : "");
	type = strndup(s, (size_t)(colon - s));
	rc = inc_links_add(links, type, colon + 1, err);
	free(type);
	return rc;
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

/* One parse and one dump however many keys. */
void
inc_custom_merge(struct inc_incident *r, const char *k, json_t *v, json_t *obj)
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

/* "network/vpn" names both. */
static int
set_category(const struct inc_config *c, struct inc_incident *r, const char *s, char *err)
{
	const char *slash;

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
		return inc_config_unknown_category(c, r->category, NULL, err), prefixed("category", err);
	return 0;
}

/* A field no check of its own covers: by its type. */
static int
set_by_type(const struct inc_config *c, struct inc_incident *r, const struct inc_field *f,
	    json_t *v, char *err)
{
	const char *s = NULL;
	int64_t t;

	switch (f->type) {
	case INC_FT_STR:
		if (get_str(f->name, v, 0, &s, err) < 0)
			return -1;
		inc_set_str(&MEMBER(r, f, char *), s && *s ? s : NULL);
		return 0;
	case INC_FT_TIME:
		if (json_is_null(v)) {
			MEMBER(r, f, int64_t) = INC_NULL;
			return 0;
		}
		if (inc_time_from_json_tz(v, 0, c->tz, &t) < 0)
			return json_is_string(v) ?
				inc_err(err, "%s: bad time \"%s\"", f->name, json_string_value(v)) :
				inc_err(err, "%s: bad time", f->name);
		MEMBER(r, f, int64_t) = t;
		return 0;
	case INC_FT_INT:
	case INC_FT_CNT:
		if (!json_is_integer(v) && !(f->type == INC_FT_INT && json_is_null(v)))
			return inc_err(err, "%s: expected an integer", f->name);
		MEMBER(r, f, int64_t) = json_is_null(v) ? INC_NULL : json_integer_value(v);
		return 0;
	case INC_FT_FLAG:
	case INC_FT_BOOL:
		if (!json_is_boolean(v))
			return inc_err(err, "%s: expected true or false", f->name);
		MEMBER(r, f, int64_t) = json_is_true(v);
		return 0;
	case INC_FT_JARR:
	case INC_FT_JOBJ:
		if (f->type == INC_FT_JARR ? !json_is_array(v) : !json_is_object(v))
			return inc_err(err, "%s: expected an %s", f->name,
				       f->type == INC_FT_JARR ? "array" : "object");
		if (json_size_ok(f->name, v, err) < 0)
			return -1;
		free(MEMBER(r, f, char *));
		MEMBER(r, f, char *) = json_dumps(v, JSON_COMPACT);
		return 0;
	case INC_FT_STATUS:
		break;
	}
	return 1;
}

int
inc_field_set(const struct inc_config *c, struct inc_incident *r, const char *k,
	      json_t *v, char *err)
{
	const struct inc_field *f = inc_field_find(k);
	const char *s = NULL;
	char want[256];

	if (!f || !(f->flags & (INC_F_LOG | INC_F_SET)) || f->type == INC_FT_STATUS ||
	    strcmp(k, "assignee") == 0)
		return 1;
	if (strcmp(k, "subject") == 0) {
		if (get_str(k, v, 1, &s, err) < 0)
			return -1;
		inc_set_str(&r->subject, s);
	} else if (strcmp(k, "source") == 0) {
		if (get_str(k, v, 0, &s, err) < 0)
			return -1;
		if (s && inc_vocab_parse(&inc_sources, s) < 0)
			return inc_err(err, "source: unknown source \"%s\" (%s)", s,
				       inc_vocab_want(&inc_sources, want, sizeof want));
		inc_set_str(&r->source, s);
	} else if (strcmp(k, "category") == 0) {
		if (get_str(k, v, 0, &s, err) < 0 || set_category(c, r, s, err) < 0)
			return -1;
	} else if (strcmp(k, "subcategory") == 0) {
		if (get_str(k, v, 0, &s, err) < 0)
			return -1;
		inc_set_str(&r->subcategory, s);
	} else if (strcmp(k, "impact") == 0 || strcmp(k, "urgency") == 0 ||
		   strcmp(k, "priority") == 0) {
		const json_t *levels = k[0] == 'i' ? c->impact : k[0] == 'u' ? c->urgency : c->priority;

		if (get_str(k, v, 0, &s, err) < 0 || level(levels, k, s, err) < 0)
			return -1;
		inc_set_str(&MEMBER(r, f, char *), s);
	} else if (strcmp(k, "group") == 0) {
		if (get_str(k, v, 0, &s, err) < 0)
			return -1;
		if (s && !inc_config_group(c, s))
			return inc_config_unknown_group(c, s, err), prefixed("group", err);
		inc_set_str(&r->group, s);
	} else if (strcmp(k, "links") == 0) {
		if (json_size_ok(k, v, err) < 0)
			return -1;
		return set_links(r, v, err);
	} else if (strcmp(k, "custom") == 0) {
		if (!json_is_object(v))
			return inc_err(err, "custom: expected an object");
		if (json_size_ok(k, v, err) < 0)
			return -1;
		inc_custom_merge(r, NULL, NULL, v);
	} else {
		int rc = set_by_type(c, r, f, v, err);

		if (rc != 0)
			return rc;
	}
	r->explicit_ |= f->explicit_bit;
	return 0;
}

int
inc_check_category(const struct inc_config *c, const struct inc_incident *r, char *err)
{
	if (r->subcategory && !r->category)
		return inc_err(err, "subcategory: \"%s\" given without a category", r->subcategory);
	if (r->category && !inc_config_category(c, r->category, NULL))
		return inc_config_unknown_category(c, r->category, NULL, err), prefixed("category", err);
	if (r->subcategory && !inc_config_category(c, r->category, r->subcategory))
		return inc_config_unknown_category(c, r->category, r->subcategory, err),
		       prefixed("subcategory", err);
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
