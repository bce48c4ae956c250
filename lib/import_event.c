/*
 * import_event.c - the normalized import event: one source row (a CSV row,
 * an XES event) made into events by the mapping, and every event, mapped or
 * read as JSON lines, checked and written in one shape (keys in their
 * documented order, "at" in UTC) before it reaches the caller.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "inc.h"
#include "import_int.h"

static const char *const sources[] = {
	"phone", "email", "sms", "web", "chat", "api", "monitoring", NULL
};
static const char *const resolution_types[] = {"workaround", "permanent", NULL};

enum fkind { F_STR, F_STR_NOTNULL, F_STATUS, F_ENUM, F_TIER, F_BOOL };

/* The fields an event may set, in the order an event is written. */
static const struct {
	const char *name;
	enum fkind kind;
	const char *const *values;
} fields[] = {
	{"status", F_STATUS, NULL},
	{"group", F_STR, NULL},
	{"tier", F_TIER, NULL},
	{"assignee", F_STR, NULL},
	{"subject", F_STR_NOTNULL, NULL},
	{"description", F_STR, NULL},
	{"requester", F_STR, NULL},
	{"source", F_ENUM, sources},
	{"category", F_STR, NULL},
	{"subcategory", F_STR, NULL},
	{"impact", F_STR, NULL},
	{"urgency", F_STR, NULL},
	{"priority", F_STR, NULL},
	{"major", F_BOOL, NULL},
	{"closure_code", F_STR, NULL},
	{"resolution", F_STR, NULL},
	{"resolution_type", F_ENUM, resolution_types},
};
#define NFIELDS (sizeof fields / sizeof *fields)
_Static_assert(NFIELDS == IMP_NFIELDS, "IMP_NFIELDS is the length of fields[]");

int
imp_field_rank(const char *name)
{
	for (size_t i = 0; i < NFIELDS; i++)
		if (strcmp(name, fields[i].name) == 0)
			return (int)i;
	return -1;
}

const char *
imp_field_name(int rank)
{
	return fields[rank].name;
}

/* A source value fit for a message: at most 80 bytes, no control bytes. */
static const char *
shown(char *buf, size_t size, const char *s)
{
	size_t n = 0;
	int utf8 = inc_utf8_valid(s, strlen(s));

	for (; *s && n + 4 < size && n < 80; s++)
		buf[n++] = (unsigned char)*s < 0x20 || *s == 0x7f ||
			(!utf8 && (unsigned char)*s >= 0x80) ? '?' : *s;
	if (*s) {
		while (n > 0 && ((unsigned char)buf[n - 1] & 0xc0) == 0x80)
			n--;	/* no half character before the dots */
		if (n > 0 && (unsigned char)buf[n - 1] >= 0xc0)
			n--;
		memcpy(buf + n, "...", 3);
		n += 3;
	}
	buf[n] = '\0';
	return buf;
}

/* Whether a missing source value may clear the field: subject, status and
 * major have no empty state, so they are left as they are. */
static int
nullable(const char *name)
{
	for (size_t i = 0; i < NFIELDS; i++)
		if (strcmp(name, fields[i].name) == 0)
			return fields[i].kind == F_STR || fields[i].kind == F_ENUM ||
				fields[i].kind == F_TIER;
	return 1;	/* custom values */
}

int
imp_is_field(const char *name)
{
	for (size_t i = 0; i < NFIELDS; i++)
		if (strcmp(name, fields[i].name) == 0)
			return 1;
	return 0;
}

static int
in_list(const char *const *l, const char *s)
{
	for (; *l; l++)
		if (strcmp(*l, s) == 0)
			return 1;
	return 0;
}

static int
key_rank(const char *k)
{
	static const char *const own[] = {"id", "at", "seq", "actor"};
	int r;

	for (int i = 0; i < 4; i++)
		if (strcmp(k, own[i]) == 0)
			return i;
	if (strcmp(k, "custom") == 0)
		return 4 + IMP_NFIELDS;
	r = imp_field_rank(k);
	return r < 0 ? -1 : 4 + r;
}

int
imp_field_ok(const char *name, const json_t *v, char *msg)
{
	size_t i;
	char sh[128];

	for (i = 0; i < NFIELDS; i++)
		if (strcmp(name, fields[i].name) == 0)
			break;
	if (i == NFIELDS) {
		snprintf(msg, INC_ERRLEN, "unknown field \"%s\"", name);
		return 0;
	}
	switch (fields[i].kind) {
	case F_TIER:
		if (json_is_null(v) || (json_is_integer(v) && json_integer_value(v) >= 1 &&
					json_integer_value(v) <= 99))
			return 1;
		snprintf(msg, INC_ERRLEN, "tier: must be a support line (1, 2, 3...) or null");
		return 0;
	case F_BOOL:
		if (json_is_boolean(v))
			return 1;
		snprintf(msg, INC_ERRLEN, "%s: must be true or false", name);
		return 0;
	case F_STATUS:
		if (json_is_string(v) && inc_status_parse(json_string_value(v)) >= 0)
			return 1;
		if (json_is_string(v))
			snprintf(msg, INC_ERRLEN, "unknown status \"%s\" (new, assigned, "
				 "in_progress, on_hold, resolved, closed, cancelled)",
				 shown(sh, sizeof sh, json_string_value(v)));
		else
			snprintf(msg, INC_ERRLEN, "status: must be a string");
		return 0;
	case F_ENUM:
		if (json_is_null(v) || (json_is_string(v) &&
					in_list(fields[i].values, json_string_value(v))))
			return 1;
		if (json_is_string(v)) {
			struct inc_buf b = {0};

			for (const char *const *l = fields[i].values; *l; l++)
				inc_buf_printf(&b, "%s%s", l == fields[i].values ? "" : ", ", *l);
			snprintf(msg, INC_ERRLEN, "%s: \"%s\" is not one of %s", name,
				 shown(sh, sizeof sh, json_string_value(v)), b.data);
			inc_buf_free(&b);
		} else {
			snprintf(msg, INC_ERRLEN, "%s: must be a string or null", name);
		}
		return 0;
	case F_STR:
	case F_STR_NOTNULL:
		if (json_is_null(v) && fields[i].kind == F_STR)
			return 1;
		if (!json_is_string(v)) {
			snprintf(msg, INC_ERRLEN, fields[i].kind == F_STR ?
				 "%s: must be a string or null" : "%s: must be a string", name);
			return 0;
		}
		if (json_string_length(v) > IMP_FIELD_MAX) {
			snprintf(msg, INC_ERRLEN, "%s: longer than 16 MiB", name);
			return 0;
		}
		return 1;
	}
	return 0;
}

json_t *
imp_normalize(json_t *ev, long long dflt_seq, char *msg)
{
	json_t *out, *v;
	const char *k;
	int64_t t;
	char tbuf[INC_TIMELEN], sh[128];
	int last = -1, canonical = 1;

	if (!json_is_object(ev)) {
		snprintf(msg, INC_ERRLEN, "an event is a JSON object");
		return NULL;
	}
	/* rank: id, at, seq, actor, the fields, custom; an event already in
	 * that order with nothing to change is handed on as it is */
	json_object_foreach(ev, k, v) {
		int rank = key_rank(k);

		if (rank < 0 || (rank >= 4 && rank < 4 + IMP_NFIELDS &&
				 !imp_field_ok(k, v, msg))) {
			if (rank < 0)
				snprintf(msg, INC_ERRLEN, "unknown field \"%s\"",
					 shown(sh, sizeof sh, k));
			return NULL;
		}
		if (rank <= last)
			canonical = 0;
		last = rank;
	}
	v = json_object_get(ev, "id");
	if (!json_is_string(v) || json_string_length(v) == 0) {
		snprintf(msg, INC_ERRLEN, v ? "id: must be a non-empty string" : "no id");
		return NULL;
	}
	if (json_string_length(v) > IMP_FIELD_MAX) {
		snprintf(msg, INC_ERRLEN, "id: longer than 16 MiB");
		return NULL;
	}
	v = json_object_get(ev, "at");
	if (!v) {
		snprintf(msg, INC_ERRLEN, "no time (at)");
		return NULL;
	}
	if (json_is_integer(v) && json_integer_value(v) >= 0) {
		t = json_integer_value(v);
	} else if (!json_is_string(v) || inc_time_parse(json_string_value(v), 0, 0, &t) < 0) {
		snprintf(msg, INC_ERRLEN, "at: %s%s%s is not a time (ISO 8601 or epoch "
			 "seconds)", json_is_string(v) ? "\"" : "",
			 json_is_string(v) ? shown(sh, sizeof sh, json_string_value(v)) :
			 "the value", json_is_string(v) ? "\"" : "");
		return NULL;
	}
	v = json_object_get(ev, "seq");
	if (v && !json_is_integer(v)) {
		snprintf(msg, INC_ERRLEN, "seq: must be an integer");
		return NULL;
	}
	v = json_object_get(ev, "actor");
	if (v && !json_is_null(v) && !json_is_string(v)) {
		snprintf(msg, INC_ERRLEN, "actor: must be a string or null");
		return NULL;
	}
	if (json_is_string(v) && json_string_length(v) > IMP_FIELD_MAX) {
		snprintf(msg, INC_ERRLEN, "actor: longer than 16 MiB");
		return NULL;
	}
	v = json_object_get(ev, "custom");
	if (v && !json_is_object(v)) {
		snprintf(msg, INC_ERRLEN, "custom: must be an object");
		return NULL;
	}

	v = json_object_get(ev, "at");
	if (!json_is_string(v) || strcmp(json_string_value(v), inc_time_format(t, tbuf)) != 0 ||
	    (!json_object_get(ev, "seq") && dflt_seq != LLONG_MIN) ||
	    json_is_null(json_object_get(ev, "actor")) ||
	    ((v = json_object_get(ev, "custom")) && json_object_size(v) == 0))
		canonical = 0;
	if (canonical)
		return json_incref(ev);

	out = json_object();
	if (!out ||
	    json_object_set(out, "id", json_object_get(ev, "id")) < 0 ||
	    json_object_set_new(out, "at", json_string(inc_time_format(t, tbuf))) < 0)
		goto nomem;
	if ((v = json_object_get(ev, "seq"))) {
		if (json_object_set(out, "seq", v) < 0)
			goto nomem;
	} else if (dflt_seq != LLONG_MIN) {
		if (json_object_set_new(out, "seq", json_integer(dflt_seq)) < 0)
			goto nomem;
	}
	if (json_is_string(v = json_object_get(ev, "actor")) &&
	    json_object_set(out, "actor", v) < 0)
		goto nomem;
	for (size_t i = 0; i < NFIELDS; i++)
		if ((v = json_object_get(ev, fields[i].name)) &&
		    json_object_set(out, fields[i].name, v) < 0)
			goto nomem;
	if ((v = json_object_get(ev, "custom")) && json_object_size(v) > 0 &&
	    json_object_set(out, "custom", v) < 0)
		goto nomem;
	return out;
nomem:
	json_decref(out);
	snprintf(msg, INC_ERRLEN, "out of memory");
	return NULL;
}

static int
days_in_month(int y, int m)
{
	static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return dm[m - 1];
}

static int64_t
days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

int
imp_time(const struct inc_import_map *m, const char *s, int64_t *out)
{
	struct tm tm;
	const char *p;
	int y, mo;

	if (!m || !m->time)
		return inc_time_parse(s, 0, 0, out);
	memset(&tm, 0, sizeof tm);
	tm.tm_mday = 1;
	p = strptime(s, m->time, &tm);
	if (!p)
		return -1;
	if ((*p == '.' || *p == ',') && p[1] >= '0' && p[1] <= '9')
		for (p++; *p >= '0' && *p <= '9'; p++)
			;	/* a fraction of a second: dropped, as inc keeps seconds */
	if (*p)
		return -1;
	/* strptime takes the 31st of any month: the calendar decides */
	y = tm.tm_year + 1900;
	mo = tm.tm_mon + 1;
	if (y < 1 || y > 9999 || mo < 1 || mo > 12 || tm.tm_mday < 1 ||
	    tm.tm_mday > days_in_month(y, mo) || tm.tm_hour > 23 || tm.tm_min > 59 ||
	    tm.tm_sec > 60)
		return -1;
	*out = days_from_civil(y, mo, tm.tm_mday) * 86400 + tm.tm_hour * 3600 +
		tm.tm_min * 60 + (tm.tm_sec == 60 ? 59 : tm.tm_sec);
	return 0;
}

void
imp_line_msg(char *err, long line, const char *msg)
{
	int n = snprintf(err, INC_ERRLEN, "line %ld: ", line);
	size_t len = strlen(msg);

	if (n < 0 || n >= INC_ERRLEN)
		return;
	if (len > (size_t)(INC_ERRLEN - n - 1))
		len = (size_t)(INC_ERRLEN - n - 1);
	memcpy(err + n, msg, len);
	err[n + len] = '\0';
}

int
imp_refuse(struct imp_out *out, long line, const char *fmt, ...)
{
	char msg[INC_ERRLEN];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	imp_line_msg(out->err, line, msg);
	out->refused++;
	return out->fn(NULL, out->arg, out->err) < 0 ? -1 : 0;
}

int
imp_emit(struct imp_out *out, json_t *event)
{
	int rc;

	out->err[0] = '\0';
	rc = out->fn(event, out->arg, out->err);
	json_decref(event);
	if (rc < 0 && !out->err[0])
		snprintf(out->err, INC_ERRLEN, "stopped");
	return rc < 0 ? -1 : 0;
}

/* ---- one source row through the mapping ---- */

/*
 * Building an event: keys are field names or names the mapping or the log
 * gave (checked UTF-8), values made just before; what fails is memory, and
 * like inc_xmalloc there is nothing sane to do but abort.
 */
static json_t *
xobject(void)
{
	json_t *o = json_object();

	if (!o)
		abort();
	return o;
}

static void
xset(json_t *o, const char *k, json_t *v)
{
	if (json_object_set_new(o, k, v) < 0)
		abort();
}

static void
xsetref(json_t *o, const char *k, json_t *v)
{
	if (json_object_set(o, k, v) < 0)
		abort();
}

static int
missing(const struct inc_import_map *m, const char *v)
{
	if (!v || !*v)
		return 1;
	for (size_t i = 0; i < m->nmissing; i++)
		if (strcmp(v, m->missing[i]) == 0)
			return 1;
	return 0;
}

/* The source text of a spec into b: 1, or 0 when missing. */
static int
spec_raw(const struct inc_import_map *m, const struct imp_spec *sp,
	 const struct imp_src *src, struct inc_buf *b, enum imp_type *type)
{
	int any = 0;

	inc_buf_add(b, "", 0);
	*type = T_STRING;
	switch (sp->kind) {
	case SP_FROM:
		for (size_t i = 0; i < sp->nnames; i++) {
			const char *v = src->vals[sp->names[i]];

			if (i > 0)
				inc_buf_add(b, "/", 1);
			if (missing(m, v))
				continue;
			any = 1;
			inc_buf_addstr(b, v);
			if (sp->nnames == 1 && src->types)
				*type = src->types[sp->names[i]];
		}
		return any;
	case SP_TRACE:
		if (missing(m, src->tvals[sp->names[0]]))
			return 0;
		inc_buf_addstr(b, src->tvals[sp->names[0]]);
		if (src->ttypes)
			*type = src->ttypes[sp->names[0]];
		return 1;
	case SP_FORMAT:
		for (size_t i = 0; i < sp->npieces; i++) {
			const char *v;

			inc_buf_addstr(b, sp->pieces[i].lit);
			if (sp->pieces[i].name < 0)
				continue;
			v = src->vals[sp->pieces[i].name];
			if (missing(m, v))
				continue;
			any = 1;
			inc_buf_addstr(b, v);
		}
		return any;
	default:
		return 0;
	}
}

/* A source string as a JSON value of type t; NULL with msg. */
static json_t *
convert(const struct inc_import_map *m, const char *s, size_t len, enum imp_type t,
	const char *label, char *msg)
{
	char sh[128], *end;
	int64_t tm;
	char tbuf[INC_TIMELEN];

	if (!inc_utf8_valid(s, len)) {
		snprintf(msg, INC_ERRLEN, "%s: not valid UTF-8", label);
		return NULL;
	}
	switch (t) {
	case T_AUTO:
	case T_STRING:
		if (len > IMP_FIELD_MAX) {
			snprintf(msg, INC_ERRLEN, "%s: longer than 16 MiB", label);
			return NULL;
		}
		return json_stringn(s, len);
	case T_INTEGER: {
		long long v;

		errno = 0;
		v = strtoll(s, &end, 10);
		if (end == s || *end || errno) {
			snprintf(msg, INC_ERRLEN, "%s: \"%s\" is not an integer", label,
				 shown(sh, sizeof sh, s));
			return NULL;
		}
		return json_integer(v);
	}
	case T_NUMBER: {
		double v;

		errno = 0;
		v = strtod(s, &end);
		if (end == s || *end || errno || !isfinite(v)) {
			snprintf(msg, INC_ERRLEN, "%s: \"%s\" is not a number", label,
				 shown(sh, sizeof sh, s));
			return NULL;
		}
		return json_real(v);
	}
	case T_BOOLEAN:
		if (!strcasecmp(s, "true") || !strcasecmp(s, "yes") || !strcmp(s, "1"))
			return json_true();
		if (!strcasecmp(s, "false") || !strcasecmp(s, "no") || !strcmp(s, "0"))
			return json_false();
		snprintf(msg, INC_ERRLEN, "%s: \"%s\" is not true or false", label,
			 shown(sh, sizeof sh, s));
		return NULL;
	case T_TIME:
		if (imp_time(m, s, &tm) < 0) {
			snprintf(msg, INC_ERRLEN, "%s: \"%s\" is not a time%s%s", label,
				 shown(sh, sizeof sh, s), m->time ? " of the form " : "",
				 m->time ? m->time : "");
			return NULL;
		}
		return json_string(inc_time_format(tm, tbuf));
	}
	return NULL;
}

/* 1 with *out (a new reference), 0 when missing, -1 with msg. */
static int
spec_eval(const struct inc_import_map *m, const struct imp_spec *sp,
	  const struct imp_src *src, json_t **out, char *msg)
{
	struct inc_buf b = {0};
	enum imp_type t;
	json_t *v;
	char sh[128];
	const char *raw;
	size_t len;

	*out = NULL;
	if (sp->kind == SP_NONE)
		return 0;
	if (sp->kind == SP_VALUE) {
		*out = json_incref(sp->value);
		return 1;
	}
	if (sp->kind == SP_FROM && sp->nnames == 1) {
		/* the common case, one column as it is: no copy */
		raw = src->vals[sp->names[0]];
		if (missing(m, raw))
			return 0;
		len = strlen(raw);
		t = src->types ? src->types[sp->names[0]] : T_STRING;
	} else {
		if (!spec_raw(m, sp, src, &b, &t)) {
			inc_buf_free(&b);
			return 0;
		}
		raw = b.data;
		len = b.len;
	}
	if (sp->map) {
		v = json_object_get(sp->map, raw);
		if (!v)
			v = sp->dflt;
		if (!v)
			snprintf(msg, INC_ERRLEN, "unknown %s \"%s\"", sp->label,
				 shown(sh, sizeof sh, raw));
		else
			*out = json_incref(v);
	} else {
		*out = convert(m, raw, len, sp->type == T_AUTO ? t : sp->type, sp->label, msg);
	}
	inc_buf_free(&b);
	return *out ? 1 : -1;
}

/* A field by its spec into ev: a missing value is null or absent. */
static int
put_spec(const struct inc_import_map *m, const struct imp_spec *sp, const char *key,
	 const struct imp_src *src, json_t *ev, char *msg)
{
	json_t *v;
	int r = spec_eval(m, sp, src, &v, msg);

	if (r < 0)
		return -1;
	if (r == 0) {
		if (m->missing_null && nullable(key))
			xset(ev, key, json_null());
		return 0;
	}
	xset(ev, key, v);
	return 0;
}

static int
when_ok(unsigned when, int status, int opening)
{
	if (opening)
		return 1;
	return when == 0 || (status >= 0 && (when & (1u << status)));
}

/* The custom object of an event: the mapped keys, then what no entry
 * names (when "unmapped" is "custom"), then the status entry's "set". */
static int
put_custom(const struct inc_import_map *m, const struct imp_src *src, int status,
	   int opening, const json_t *set, json_t *ev, char *msg)
{
	json_t *c = xobject(), *v;

	for (size_t i = 0; i < m->ncustom; i++) {
		const struct imp_field *f = &m->custom[i];

		if (!when_ok(f->spec.when, status, opening))
			continue;
		if (put_spec(m, &f->spec, f->name, src, c, msg) < 0) {
			json_decref(c);
			return -1;
		}
	}
	for (size_t i = 0; m->unmapped == UNMAPPED_CUSTOM && i < src->nextra; i++) {
		const struct imp_extra *x = &src->extra[i];
		char label[INC_ERRLEN];

		if (json_object_get(c, x->key))
			continue;
		if (missing(m, x->val)) {
			if (m->missing_null)
				xset(c, x->key, json_null());
			continue;
		}
		snprintf(label, sizeof label, "custom.%s", x->key);
		v = convert(m, x->val, strlen(x->val), x->type, label, msg);
		if (!v) {
			json_decref(c);
			return -1;
		}
		xset(c, x->key, v);
	}
	if (set && (v = json_object_get(set, "custom")) && json_object_update(c, v) < 0)
		abort();
	if (json_object_size(c) > 0)
		xset(ev, "custom", c);
	else
		json_decref(c);
	return 0;
}

/* The tier of the event's group, by the first rule that matches. */
static void
put_tier(const struct inc_import_map *m, json_t *ev)
{
	json_t *g = json_object_get(ev, "group");

	if (!m->ntiers || !g)
		return;
	if (json_is_string(g))
		for (size_t i = 0; i < m->ntiers; i++)
			if (regexec(&m->tiers[i].re, json_string_value(g), 0, NULL, 0) == 0) {
				xset(ev, "tier", json_integer(m->tiers[i].tier));
				return;
			}
	xset(ev, "tier", json_null());
}

/* The synthetic opening event of an incident: at the earliest of the
 * opening columns (never after the row itself), with its opening fields. */
static json_t *
opening(const struct inc_import_map *m, const struct imp_src *src, const json_t *row,
	char *msg)
{
	json_t *op = xobject(), *v;
	int64_t at = INT64_MAX, t;
	char tbuf[INC_TIMELEN], sh[128];

	for (size_t i = 0; i < m->nopen_at; i++) {
		const char *s = src->vals[m->open_at[i]];

		if (missing(m, s))
			continue;
		if (imp_time(m, s, &t) < 0) {
			snprintf(msg, INC_ERRLEN, "%s: \"%s\" is not a time%s%s",
				 m->names[m->open_at[i]], shown(sh, sizeof sh, s),
				 m->time ? " of the form " : "", m->time ? m->time : "");
			goto fail;
		}
		if (t < at)
			at = t;
	}
	if (at == INT64_MAX) {
		snprintf(msg, INC_ERRLEN, "no opening time (%s%s)", m->names[m->open_at[0]],
			 m->nopen_at > 1 ? ", ..." : "");
		goto fail;
	}
	if (inc_time_parse(json_string_value(json_object_get(row, "at")), 0, 0, &t) == 0 &&
	    t < at)
		at = t;
	xsetref(op, "id", json_object_get(row, "id"));
	xset(op, "at", json_string(inc_time_format(at, tbuf)));
	xset(op, "seq", json_integer(-1));
	if (m->open_actor.kind != SP_NONE) {
		int r = spec_eval(m, &m->open_actor, src, &v, msg);

		if (r < 0)
			goto fail;
		if (r > 0)
			xset(op, "actor", v);
	}
	xset(op, "status", json_string(m->open_status));
	for (int r = 1; r < IMP_NFIELDS; r++) {
		if (strcmp(fields[r].name, "tier") == 0 && m->ntiers)
			put_tier(m, op);
		else if (m->open_has[r] &&
			 put_spec(m, &m->byrank[r]->spec, fields[r].name, src, op, msg) < 0)
			goto fail;
	}
	if (m->open_custom && put_custom(m, src, -1, 1, NULL, op, msg) < 0)
		goto fail;
	return op;
fail:
	json_decref(op);
	return NULL;
}

int
imp_apply(const struct inc_import_map *m, const struct imp_src *src, struct imp_out *out)
{
	char msg[INC_ERRLEN];
	json_t *ev = xobject(), *entry = NULL, *v, *set = NULL, *norm = NULL, *op = NULL;
	const char *if_assignee = NULL, *id;
	int status = -1, r, rc = 0;

	msg[0] = '\0';
	r = spec_eval(m, &m->id, src, &v, msg);
	if (r <= 0) {
		if (r == 0)
			snprintf(msg, INC_ERRLEN, "no incident id");
		goto refuse;
	}
	xset(ev, "id", v);
	if (m->status.kind != SP_NONE) {
		r = spec_eval(m, &m->status, src, &entry, msg);
		if (r < 0)
			goto refuse;
		if (json_is_object(entry)) {
			v = json_object_get(entry, "status");
			status = inc_status_parse(json_string_value(v));
			if ((v = json_object_get(entry, "if_assignee")))
				if_assignee = json_string_value(v);
			set = json_object_get(entry, "set");
		} else if (json_is_string(entry)) {
			const char *s = json_string_value(entry);
			char sh[128];

			if (strcmp(s, "skip") == 0)
				goto done;
			status = inc_status_parse(s);
			if (status < 0 && strcmp(s, "unchanged") != 0) {
				snprintf(msg, INC_ERRLEN, "unknown state \"%s\"",
					 shown(sh, sizeof sh, s));
				goto refuse;
			}
		}
	}
	if ((r = spec_eval(m, &m->at, src, &v, msg)) <= 0) {
		if (r == 0)
			snprintf(msg, INC_ERRLEN, "no time (%s)", m->at.kind == SP_FROM ?
				 m->names[m->at.names[0]] : "at");
		goto refuse;
	}
	xset(ev, "at", v);
	if (m->seq.kind != SP_NONE) {
		if ((r = spec_eval(m, &m->seq, src, &v, msg)) <= 0) {
			if (r == 0)
				snprintf(msg, INC_ERRLEN, "no seq");
			goto refuse;
		}
		xset(ev, "seq", v);
	} else {
		xset(ev, "seq", json_integer(src->seq));
	}
	if ((r = spec_eval(m, &m->actor, src, &v, msg)) < 0)
		goto refuse;
	if (r > 0)
		xset(ev, "actor", v);
	if (status >= 0)
		xset(ev, "status", json_string(inc_status_name(status)));
	/* the fields in their order, a state's "set" before the columns, the
	 * tier from the group just set */
	for (int rank = 1; rank < IMP_NFIELDS; rank++) {
		const struct imp_field *f = m->byrank[rank];
		const char *name = fields[rank].name;

		if (set && (v = json_object_get(set, name)))
			xsetref(ev, name, v);
		else if (strcmp(name, "tier") == 0 && m->ntiers)
			put_tier(m, ev);
		else if (f && when_ok(f->spec.when, status, 0) &&
			 put_spec(m, &f->spec, name, src, ev, msg) < 0)
			goto refuse;
	}
	if (if_assignee && json_is_string(json_object_get(ev, "assignee")))
		xset(ev, "status", json_string(if_assignee));
	if (put_custom(m, src, status, 0, set, ev, msg) < 0)
		goto refuse;

	id = json_string_value(json_object_get(ev, "id"));
	if (m->opening && (!out->last_id || strcmp(out->last_id, id) != 0)) {
		json_t *o = opening(m, src, ev, msg);

		if (!o)
			goto refuse;
		op = imp_normalize(o, LLONG_MIN, msg);
		json_decref(o);
		if (!op)
			goto refuse;
	}
	if (!(norm = imp_normalize(ev, LLONG_MIN, msg)))
		goto refuse;
	if (op) {
		free(out->last_id);
		out->last_id = inc_xstrdup(id);
		rc = imp_emit(out, op);
		op = NULL;
	}
	if (rc == 0)
		rc = imp_emit(out, norm);
	else
		json_decref(norm);
	goto done;
refuse:
	json_decref(op);
	rc = imp_refuse(out, src->line, "%s", msg);
done:
	json_decref(entry);
	json_decref(ev);
	return rc;
}
