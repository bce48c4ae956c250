/*
 * import_map.c - the mapping file of inc-import: loaded whole, checked
 * key by key, and compiled (column and attribute names interned, templates
 * split, tier expressions compiled) so that reading a row costs no lookups
 * by name. The schema is share/import/README.md; a bad file is refused with
 * its path, the key path inside it and what is wrong.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "inc.h"
#include "import_int.h"

static const char *const type_names[] = {
	[T_AUTO] = "auto", [T_STRING] = "string", [T_INTEGER] = "integer",
	[T_NUMBER] = "number", [T_BOOLEAN] = "boolean", [T_TIME] = "time"
};

/* Refuse the file: "PATH: KEYPATH: what". */
static int
bad(const struct inc_import_map *m, char *err, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int
bad(const struct inc_import_map *m, char *err, const char *path, const char *fmt, ...)
{
	char msg[INC_ERRLEN];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (path && *path)
		return inc_err(err, "%s: %s: %s", m->path, path, msg);
	return inc_err(err, "%s: %s", m->path, msg);
}

/* "a.b" + "c" into buf (INC_ERRLEN); keys with spaces or dots quoted. */
static const char *
sub(char *buf, const char *path, const char *key)
{
	int plain = strcspn(key, " .\"-/:") == strlen(key) && *key;

	snprintf(buf, INC_ERRLEN, plain ? "%s%s%s" : "%s%s\"%s\"",
		 path, *path ? "." : "", key);
	return buf;
}

static int
check_keys(const struct inc_import_map *m, const json_t *obj, const char *const keys[],
	   const char *path, char *err)
{
	const char *k;
	json_t *v;
	char p[INC_ERRLEN];

	json_object_foreach((json_t *)obj, k, v) {
		int ok = 0;

		for (size_t i = 0; keys[i] && !ok; i++)
			ok = strcmp(k, keys[i]) == 0;
		if (!ok)
			return bad(m, err, sub(p, path, k), "unknown key");
	}
	return 0;
}

static int
intern(char ***names, size_t *n, const char *s)
{
	for (size_t i = 0; i < *n; i++)
		if (strcmp((*names)[i], s) == 0)
			return (int)i;
	*names = inc_xrealloc(*names, (*n + 1) * sizeof **names);
	(*names)[*n] = inc_xstrdup(s);
	return (int)(*n)++;
}

static int
name_ok(const struct inc_import_map *m, const json_t *j, const char *path, char *err)
{
	if (!json_is_string(j) || json_string_length(j) == 0)
		return bad(m, err, path, "must be a column or attribute name (a non-empty string)");
	return 0;
}

/* An array of strings into a list; allow_empty for "missing". */
static int
string_list(const struct inc_import_map *m, const json_t *j, char ***out, size_t *n,
	    const char *path, char *err)
{
	size_t i;
	json_t *v;
	char p[INC_ERRLEN];

	if (!json_is_array(j))
		return bad(m, err, path, "must be an array of strings");
	json_array_foreach((json_t *)j, i, v) {
		snprintf(p, sizeof p, "%s[%zu]", path, i);
		if (!json_is_string(v))
			return bad(m, err, p, "must be a string");
		*out = inc_xrealloc(*out, (*n + 1) * sizeof **out);
		(*out)[(*n)++] = inc_xstrdup(json_string_value(v));
	}
	return 0;
}

/* One value of the status map: "in_progress", "unchanged", "skip", or
 * {"status": S, "if_assignee": S, "set": {FIELD: VALUE}}. */
static int
status_entry_ok(const struct inc_import_map *m, const json_t *v, const char *path, char *err)
{
	static const char *const keys[] = {"status", "if_assignee", "set", NULL};
	char p[INC_ERRLEN], msg[INC_ERRLEN];
	const char *k;
	json_t *x, *set;

	if (json_is_string(v)) {
		const char *s = json_string_value(v);

		if (inc_status_parse(s) < 0 && strcmp(s, "unchanged") != 0 &&
		    strcmp(s, "skip") != 0)
			return bad(m, err, path, "\"%s\" is not a status (new, assigned, "
				   "in_progress, on_hold, resolved, closed, cancelled), "
				   "\"unchanged\" or \"skip\"", s);
		return 0;
	}
	if (!json_is_object(v))
		return bad(m, err, path, "must be a status, \"unchanged\", \"skip\" or an object");
	if (check_keys(m, v, keys, path, err) < 0)
		return -1;
	x = json_object_get(v, "status");
	if (!json_is_string(x) || (inc_status_parse(json_string_value(x)) < 0 &&
				   strcmp(json_string_value(x), "unchanged") != 0))
		return bad(m, err, sub(p, path, "status"),
			   "must be a status or \"unchanged\"");
	x = json_object_get(v, "if_assignee");
	if (x && (!json_is_string(x) || inc_status_parse(json_string_value(x)) < 0))
		return bad(m, err, sub(p, path, "if_assignee"), "must be a status");
	set = json_object_get(v, "set");
	if (!set)
		return 0;
	if (!json_is_object(set))
		return bad(m, err, sub(p, path, "set"), "must be an object of fields");
	json_object_foreach(set, k, x) {
		char q[INC_ERRLEN];

		sub(q, sub(p, path, "set"), k);
		if (strcmp(k, "custom") == 0) {
			if (!json_is_object(x))
				return bad(m, err, q, "must be an object");
			continue;
		}
		if (!imp_is_field(k) || strcmp(k, "status") == 0)
			return bad(m, err, q, "not a field an event sets");
		if (!imp_field_ok(k, x, msg))
			return bad(m, err, q, "%s", msg);
	}
	return 0;
}

/* A "format" template: "{category} / {subcategory}", "{{" a brace. */
static int
parse_format(struct inc_import_map *m, struct imp_spec *sp, const char *f,
	     const char *path, char *err)
{
	struct inc_buf lit = {0};

	for (const char *p = f; ; ) {
		if (*p == '{' && p[1] == '{') {
			inc_buf_add(&lit, "{", 1);
			p += 2;
		} else if (*p == '}' && p[1] == '}') {
			inc_buf_add(&lit, "}", 1);
			p += 2;
		} else if (*p == '{' || !*p) {
			struct imp_piece *pc;
			const char *end = NULL;

			if (*p) {
				end = strchr(p, '}');
				if (!end || end == p + 1) {
					inc_buf_free(&lit);
					return bad(m, err, path, "\"{\" without a name and \"}\" "
						   "(write \"{{\" for a brace)");
				}
			}
			sp->pieces = inc_xrealloc(sp->pieces, (sp->npieces + 1) * sizeof *sp->pieces);
			pc = &sp->pieces[sp->npieces++];
			pc->lit = inc_xstrdup(lit.data ? lit.data : "");
			pc->name = -1;
			lit.len = 0;
			if (lit.data)
				lit.data[0] = '\0';
			if (!*p)
				break;
			{
				char *name = inc_xmalloc((size_t)(end - p));

				memcpy(name, p + 1, (size_t)(end - p - 1));
				name[end - p - 1] = '\0';
				pc->name = intern(&m->names, &m->nnames, name);
				free(name);
			}
			p = end + 1;
		} else {
			inc_buf_add(&lit, p, 1);
			p++;
		}
	}
	inc_buf_free(&lit);
	return 0;
}

enum spec_kind { K_FIELD, K_CUSTOM, K_STATUS, K_ID, K_TIME, K_SEQ, K_ACTOR };

/*
 * A source spec: "column", or {"from"|"trace"|"format"|"value", "map",
 * "default", "type", "when"}. field is our field (K_FIELD), for checking the
 * map's values.
 */
static int
parse_spec(struct inc_import_map *m, const json_t *j, struct imp_spec *sp,
	   enum spec_kind kind, const char *field, const char *path, char *err)
{
	static const char *const keys[] = {
		"from", "trace", "format", "value", "map", "default", "type", "when", NULL
	};
	char p[INC_ERRLEN], msg[INC_ERRLEN];
	json_t *x, *v;
	const char *k;
	size_t i;
	int n = 0;

	sp->label = inc_xstrdup(kind == K_STATUS ? "state" : field);
	if (json_is_string(j)) {
		if (name_ok(m, j, path, err) < 0)
			return -1;
		sp->kind = SP_FROM;
		sp->names = inc_xmalloc(sizeof *sp->names);
		sp->names[0] = intern(&m->names, &m->nnames, json_string_value(j));
		sp->nnames = 1;
		return 0;
	}
	if (!json_is_object(j))
		return bad(m, err, path, "must be a column or attribute name, or an object "
			   "with \"from\", \"trace\", \"format\" or \"value\"");
	if (check_keys(m, j, keys, path, err) < 0)
		return -1;
	if ((x = json_object_get(j, "from"))) {
		n++;
		sp->kind = SP_FROM;
		if (json_is_array(x) && json_array_size(x) > 0) {
			json_array_foreach(x, i, v) {
				snprintf(p, sizeof p, "%s.from[%zu]", path, i);
				if (name_ok(m, v, p, err) < 0)
					return -1;
				sp->names = inc_xrealloc(sp->names, (i + 1) * sizeof *sp->names);
				sp->names[i] = intern(&m->names, &m->nnames, json_string_value(v));
				sp->nnames = i + 1;
			}
		} else {
			if (!json_is_string(x) || json_string_length(x) == 0)
				return bad(m, err, sub(p, path, "from"), "must be a name or a "
					   "non-empty array of names");
			sp->names = inc_xmalloc(sizeof *sp->names);
			sp->names[0] = intern(&m->names, &m->nnames, json_string_value(x));
			sp->nnames = 1;
		}
	}
	if ((x = json_object_get(j, "trace"))) {
		n++;
		if (m->fmt != IMP_XES)
			return bad(m, err, sub(p, path, "trace"), "only an XES log has traces");
		if (name_ok(m, x, p, err) < 0)
			return -1;
		sp->kind = SP_TRACE;
		sp->names = inc_xmalloc(sizeof *sp->names);
		sp->names[0] = intern(&m->tnames, &m->ntnames, json_string_value(x));
		sp->nnames = 1;
	}
	if ((x = json_object_get(j, "format"))) {
		n++;
		sp->kind = SP_FORMAT;
		if (!json_is_string(x))
			return bad(m, err, sub(p, path, "format"), "must be a string");
		if (parse_format(m, sp, json_string_value(x), sub(p, path, "format"), err) < 0)
			return -1;
	}
	if ((x = json_object_get(j, "value"))) {
		n++;
		sp->kind = SP_VALUE;
		sp->value = json_incref(x);
	}
	if (n != 1)
		return bad(m, err, path, "needs exactly one of \"from\", \"trace\", "
			   "\"format\" and \"value\"");
	if ((x = json_object_get(j, "type"))) {
		const char *t = json_is_string(x) ? json_string_value(x) : "";
		size_t ti;

		for (ti = 0; ti < sizeof type_names / sizeof *type_names; ti++)
			if (strcmp(t, type_names[ti]) == 0)
				break;
		if (ti == sizeof type_names / sizeof *type_names)
			return bad(m, err, sub(p, path, "type"), "must be \"string\", "
				   "\"integer\", \"number\", \"boolean\" or \"time\"");
		sp->type = (enum imp_type)ti;
	}
	if ((x = json_object_get(j, "when"))) {
		if (kind != K_FIELD && kind != K_CUSTOM)
			return bad(m, err, sub(p, path, "when"), "only fields and custom "
				   "values can depend on the status");
		if (!json_is_array(x) || json_array_size(x) == 0)
			return bad(m, err, sub(p, path, "when"), "must be a non-empty "
				   "array of statuses (or \"opening\")");
		json_array_foreach(x, i, v) {
			const char *s = json_is_string(v) ? json_string_value(v) : "";
			int si = inc_status_parse(s);

			snprintf(p, sizeof p, "%s.when[%zu]", path, i);
			if (strcmp(s, "opening") == 0)
				sp->when |= W_OPENING;
			else if (si >= 0)
				sp->when |= 1u << si;
			else
				return bad(m, err, p, "must be a status or \"opening\"");
		}
	}
	if ((x = json_object_get(j, "map"))) {
		if (!json_is_object(x))
			return bad(m, err, sub(p, path, "map"), "must be an object "
				   "(source value: our value)");
		if (sp->kind == SP_VALUE)
			return bad(m, err, sub(p, path, "map"), "a constant \"value\" "
				   "needs no map");
		json_object_foreach(x, k, v) {
			char q[INC_ERRLEN];

			sub(q, sub(p, path, "map"), k);
			if (kind == K_STATUS) {
				if (status_entry_ok(m, v, q, err) < 0)
					return -1;
			} else if (kind == K_FIELD && !imp_field_ok(field, v, msg)) {
				return bad(m, err, q, "%s", msg);
			}
		}
		sp->map = json_incref(x);
	}
	if ((x = json_object_get(j, "default"))) {
		if (!sp->map)
			return bad(m, err, sub(p, path, "default"), "a default is for "
				   "values the \"map\" lacks: give a map");
		if (kind == K_STATUS) {
			if (status_entry_ok(m, x, sub(p, path, "default"), err) < 0)
				return -1;
		} else if (kind == K_FIELD && !imp_field_ok(field, x, msg)) {
			return bad(m, err, sub(p, path, "default"), "%s", msg);
		}
		sp->dflt = json_incref(x);
	}
	if (kind == K_STATUS && sp->kind == SP_VALUE &&
	    status_entry_ok(m, sp->value, sub(p, path, "value"), err) < 0)
		return -1;
	if (kind == K_FIELD && sp->kind == SP_VALUE && !imp_field_ok(field, sp->value, msg))
		return bad(m, err, sub(p, path, "value"), "%s", msg);
	if ((kind == K_ID || kind == K_ACTOR || kind == K_STATUS) && sp->type != T_AUTO &&
	    sp->type != T_STRING)
		return bad(m, err, sub(p, path, "type"), "must be \"string\" here");
	if (kind == K_SEQ && sp->type != T_AUTO && sp->type != T_INTEGER)
		return bad(m, err, sub(p, path, "type"), "must be \"integer\" here");
	if (kind == K_TIME && sp->type != T_AUTO && sp->type != T_TIME)
		return bad(m, err, sub(p, path, "type"), "must be \"time\" here");
	if ((kind == K_ID || kind == K_TIME || kind == K_SEQ) && sp->map)
		return bad(m, err, sub(p, path, "map"), "not for this key");
	return 0;
}

static void
spec_free(struct imp_spec *sp)
{
	free(sp->names);
	for (size_t i = 0; i < sp->npieces; i++)
		free(sp->pieces[i].lit);
	free(sp->pieces);
	json_decref(sp->value);
	json_decref(sp->map);
	json_decref(sp->dflt);
	free(sp->label);
}

static int
parse_fields(struct inc_import_map *m, const json_t *j, struct imp_field **out,
	     size_t *n, int custom, const char *path, char *err)
{
	const char *k;
	json_t *v;
	char p[INC_ERRLEN];

	if (!json_is_object(j))
		return bad(m, err, path, "must be an object");
	json_object_foreach((json_t *)j, k, v) {
		struct imp_field *f;
		char label[INC_ERRLEN];

		sub(p, path, k);
		if (!custom && (!imp_is_field(k) || strcmp(k, "status") == 0))
			return bad(m, err, p, "not a field of an event (subject, "
				   "description, requester, source, category, subcategory, "
				   "impact, urgency, priority, group, tier, assignee, major, "
				   "closure_code, resolution, resolution_type); status, id, "
				   "at, seq, actor and custom have keys of their own");
		if (custom && !*k)
			return bad(m, err, path, "an empty custom key");
		*out = inc_xrealloc(*out, (*n + 1) * sizeof **out);
		f = &(*out)[(*n)++];
		memset(f, 0, sizeof *f);
		f->name = inc_xstrdup(k);
		snprintf(label, sizeof label, custom ? "custom.%s" : "%s", k);
		if (parse_spec(m, v, &f->spec, custom ? K_CUSTOM : K_FIELD, label, p, err) < 0)
			return -1;
	}
	return 0;
}

static int
parse_tiers(struct inc_import_map *m, const json_t *j, char *err)
{
	static const char *const keys[] = {"match", "tier", NULL};
	size_t i;
	json_t *v;
	char p[INC_ERRLEN], q[INC_ERRLEN];

	if (!json_is_array(j))
		return bad(m, err, "tier", "must be an array of {\"match\": REGEX, \"tier\": N}");
	m->tiers = inc_xmalloc((json_array_size(j) + 1) * sizeof *m->tiers);
	json_array_foreach((json_t *)j, i, v) {
		json_t *re, *t;
		int rc;

		snprintf(p, sizeof p, "tier[%zu]", i);
		if (!json_is_object(v))
			return bad(m, err, p, "must be {\"match\": REGEX, \"tier\": N}");
		if (check_keys(m, v, keys, p, err) < 0)
			return -1;
		re = json_object_get(v, "match");
		t = json_object_get(v, "tier");
		if (!json_is_string(re))
			return bad(m, err, sub(q, p, "match"), "must be a regular expression");
		if (!json_is_integer(t) || json_integer_value(t) < 1 || json_integer_value(t) > 99)
			return bad(m, err, sub(q, p, "tier"), "must be a support line, 1 to 99");
		rc = regcomp(&m->tiers[i].re, json_string_value(re),
			     REG_EXTENDED | REG_ICASE | REG_NOSUB);
		if (rc != 0) {
			char msg[256];

			regerror(rc, &m->tiers[i].re, msg, sizeof msg);
			return bad(m, err, sub(q, p, "match"), "%s", msg);
		}
		m->tiers[i].tier = (int)json_integer_value(t);
		m->ntiers = i + 1;
	}
	return 0;
}

static int
parse_opening(struct inc_import_map *m, const json_t *j, char *err)
{
	static const char *const keys[] = {"at", "actor", "status", "fields", NULL};
	json_t *x, *v;
	size_t i;
	char p[INC_ERRLEN];

	if (!json_is_object(j))
		return bad(m, err, "opening", "must be an object");
	if (check_keys(m, j, keys, "opening", err) < 0)
		return -1;
	m->opening = 1;
	x = json_object_get(j, "at");
	if (json_is_string(x)) {
		if (name_ok(m, x, "opening.at", err) < 0)
			return -1;
		m->open_at = inc_xmalloc(sizeof *m->open_at);
		m->open_at[m->nopen_at++] = intern(&m->names, &m->nnames, json_string_value(x));
	} else if (json_is_array(x) && json_array_size(x) > 0) {
		m->open_at = inc_xmalloc(json_array_size(x) * sizeof *m->open_at);
		json_array_foreach(x, i, v) {
			snprintf(p, sizeof p, "opening.at[%zu]", i);
			if (name_ok(m, v, p, err) < 0)
				return -1;
			m->open_at[m->nopen_at++] = intern(&m->names, &m->nnames,
							   json_string_value(v));
		}
	} else {
		return bad(m, err, "opening.at", "must be the column of the opening "
			   "time, or an array of them (the earliest wins)");
	}
	if ((x = json_object_get(j, "actor")) &&
	    parse_spec(m, x, &m->open_actor, K_ACTOR, "actor", "opening.actor", err) < 0)
		return -1;
	if (m->open_actor.type == T_AUTO)
		m->open_actor.type = T_STRING;
	x = json_object_get(j, "status");
	if (x && (!json_is_string(x) || inc_status_parse(json_string_value(x)) < 0))
		return bad(m, err, "opening.status", "must be a status");
	m->open_status = inc_xstrdup(x ? json_string_value(x) : "new");
	if ((x = json_object_get(j, "fields"))) {
		if (string_list(m, x, &m->open_fields, &m->nopen_fields, "opening.fields",
				err) < 0)
			return -1;
		for (i = 0; i < m->nopen_fields; i++) {
			const char *f = m->open_fields[i];
			size_t k;

			snprintf(p, sizeof p, "opening.fields[%zu]", i);
			if (strcmp(f, "custom") == 0) {
				m->open_custom = 1;
				continue;
			}
			if (strcmp(f, "tier") == 0 && m->ntiers) {
				m->open_has[imp_field_rank(f)] = 1;
				continue;
			}
			for (k = 0; k < m->nfields; k++)
				if (strcmp(m->fields[k].name, f) == 0)
					break;
			if (k == m->nfields)
				return bad(m, err, p, "\"%s\" is not a key of \"fields\"", f);
			m->open_has[imp_field_rank(f)] = 1;
		}
	}
	return 0;
}

static int
parse_root(struct inc_import_map *m, json_t *root, char *err)
{
	static const char *const keys[] = {
		"about", "format", "time", "missing", "missing_means", "unmapped", "ignore",
		"id", "at", "seq", "actor", "status", "fields", "custom", "tier", "opening",
		NULL
	};
	json_t *x;
	const char *s;

	if (!json_is_object(root))
		return bad(m, err, NULL, "a mapping is a JSON object");
	if (check_keys(m, root, keys, "", err) < 0)
		return -1;
	x = json_object_get(root, "about");
	if (x && !json_is_string(x))
		return bad(m, err, "about", "must be a string");
	x = json_object_get(root, "format");
	s = json_is_string(x) ? json_string_value(x) : "";
	if (strcmp(s, "csv") == 0)
		m->fmt = IMP_CSV;
	else if (strcmp(s, "xes") == 0)
		m->fmt = IMP_XES;
	else
		return bad(m, err, "format", "must be \"csv\" or \"xes\"");
	if ((x = json_object_get(root, "time"))) {
		if (!json_is_string(x) || !strchr(json_string_value(x), '%'))
			return bad(m, err, "time", "must be a strptime(3) form, "
				   "\"%%d/%%m/%%Y %%H:%%M\" say");
		m->time = inc_xstrdup(json_string_value(x));
	}
	if ((x = json_object_get(root, "missing")) &&
	    string_list(m, x, &m->missing, &m->nmissing, "missing", err) < 0)
		return -1;
	if ((x = json_object_get(root, "missing_means"))) {
		s = json_is_string(x) ? json_string_value(x) : "";
		if (strcmp(s, "null") == 0)
			m->missing_null = 1;
		else if (strcmp(s, "unchanged") != 0)
			return bad(m, err, "missing_means", "must be \"null\" (a missing "
				   "value clears the field) or \"unchanged\"");
	}
	m->unmapped = UNMAPPED_ERROR;
	if ((x = json_object_get(root, "unmapped"))) {
		s = json_is_string(x) ? json_string_value(x) : "";
		if (strcmp(s, "ignore") == 0)
			m->unmapped = UNMAPPED_IGNORE;
		else if (strcmp(s, "custom") == 0)
			m->unmapped = UNMAPPED_CUSTOM;
		else if (strcmp(s, "error") != 0)
			return bad(m, err, "unmapped", "must be \"error\", \"ignore\" or \"custom\"");
	}
	if ((x = json_object_get(root, "ignore")) &&
	    string_list(m, x, &m->ignore, &m->nignore, "ignore", err) < 0)
		return -1;
	if (!(x = json_object_get(root, "id")))
		return bad(m, err, "id", "missing: which column is the incident's key?");
	if (parse_spec(m, x, &m->id, K_ID, "id", "id", err) < 0)
		return -1;
	if (!(x = json_object_get(root, "at")))
		return bad(m, err, "at", "missing: which column is the event's time?");
	if (parse_spec(m, x, &m->at, K_TIME, "at", "at", err) < 0)
		return -1;
	/* what these keys must be, whatever the source's own types */
	if (m->id.type == T_AUTO)
		m->id.type = T_STRING;
	if (m->at.type == T_AUTO)
		m->at.type = T_TIME;
	if ((x = json_object_get(root, "seq")) &&
	    parse_spec(m, x, &m->seq, K_SEQ, "seq", "seq", err) < 0)
		return -1;
	if ((x = json_object_get(root, "actor")) &&
	    parse_spec(m, x, &m->actor, K_ACTOR, "actor", "actor", err) < 0)
		return -1;
	if (m->seq.type == T_AUTO)
		m->seq.type = T_INTEGER;
	if (m->actor.type == T_AUTO)
		m->actor.type = T_STRING;
	if ((x = json_object_get(root, "status")) &&
	    parse_spec(m, x, &m->status, K_STATUS, "status", "status", err) < 0)
		return -1;
	if ((x = json_object_get(root, "fields")) &&
	    parse_fields(m, x, &m->fields, &m->nfields, 0, "fields", err) < 0)
		return -1;
	for (size_t i = 0; i < m->nfields; i++)
		m->byrank[imp_field_rank(m->fields[i].name)] = &m->fields[i];
	if ((x = json_object_get(root, "custom")) &&
	    parse_fields(m, x, &m->custom, &m->ncustom, 1, "custom", err) < 0)
		return -1;
	if ((x = json_object_get(root, "tier"))) {
		for (size_t i = 0; i < m->nfields; i++)
			if (strcmp(m->fields[i].name, "tier") == 0)
				return bad(m, err, "tier", "tier rules and fields.tier "
					   "both give the tier: keep one");
		if (parse_tiers(m, x, err) < 0)
			return -1;
	}
	if ((x = json_object_get(root, "opening")) && parse_opening(m, x, err) < 0)
		return -1;
	return 0;
}

struct inc_import_map *
inc_import_map_parse(const char *text, const char *name, char *err)
{
	struct inc_import_map *m = inc_xmalloc(sizeof *m);
	json_error_t je;
	json_t *root;

	memset(m, 0, sizeof *m);
	m->path = inc_xstrdup(name ? name : "mapping");
	root = json_loads(text, JSON_REJECT_DUPLICATES, &je);
	if (!root) {
		inc_err(err, "%s: line %d, column %d: %s", m->path, je.line, je.column,
			je.text);
		inc_import_map_free(m);
		return NULL;
	}
	m->root = root;
	if (parse_root(m, root, err) < 0) {
		inc_import_map_free(m);
		return NULL;
	}
	return m;
}

struct inc_import_map *
inc_import_map_load(const char *path, char *err)
{
	FILE *f = fopen(path, "r");
	struct inc_buf b = {0};
	char chunk[IMP_BLOCK];
	struct inc_import_map *m;
	size_t n;

	if (!f) {
		inc_err(err, "%s: %s", path, strerror(errno));
		return NULL;
	}
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
		inc_buf_add(&b, chunk, n);
		if (b.len > IMP_FIELD_MAX) {
			fclose(f);
			inc_buf_free(&b);
			inc_err(err, "%s: larger than 16 MiB: not a mapping file", path);
			return NULL;
		}
	}
	if (ferror(f)) {
		inc_err(err, "%s: %s", path, strerror(errno));
		fclose(f);
		inc_buf_free(&b);
		return NULL;
	}
	if (fclose(f) != 0) {
		inc_err(err, "%s: %s", path, strerror(errno));
		inc_buf_free(&b);
		return NULL;
	}
	m = inc_import_map_parse(b.data ? b.data : "", path, err);
	inc_buf_free(&b);
	return m;
}

static void
fields_free(struct imp_field *f, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(f[i].name);
		spec_free(&f[i].spec);
	}
	free(f);
}

static void
list_free(char **l, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(l[i]);
	free(l);
}

const char *
inc_import_map_file(const struct inc_import_map *m)
{
	return m->path;
}

void
inc_import_map_free(struct inc_import_map *m)
{
	if (!m)
		return;
	free(m->path);
	free(m->time);
	list_free(m->missing, m->nmissing);
	list_free(m->ignore, m->nignore);
	spec_free(&m->id);
	spec_free(&m->at);
	spec_free(&m->seq);
	spec_free(&m->actor);
	spec_free(&m->status);
	fields_free(m->fields, m->nfields);
	fields_free(m->custom, m->ncustom);
	for (size_t i = 0; i < m->ntiers; i++)
		regfree(&m->tiers[i].re);
	free(m->tiers);
	free(m->open_at);
	spec_free(&m->open_actor);
	free(m->open_status);
	list_free(m->open_fields, m->nopen_fields);
	list_free(m->names, m->nnames);
	list_free(m->tnames, m->ntnames);
	json_decref(m->root);
	free(m);
}
