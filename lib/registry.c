/*
 * registry.c - the field registry (fields.def) as data: each field's name,
 * column, JSON key, type and flags, for the modules that know fields by
 * name (config validation, SLA matching, classification, inc-update,
 * inc-log) and for messages that list them.
 */
#define _GNU_SOURCE
#include <string.h>

#include "inc.h"

#define X(m, col, js, t, fl, ex) \
	{#m, col, js, INC_FT_##t, (fl), (ex), offsetof(struct inc_incident, m)},
const struct inc_field inc_fields[] = {
#include "fields.def"
};
#undef X
const size_t inc_nfields = sizeof inc_fields / sizeof inc_fields[0];

const struct inc_field *
inc_field_find(const char *name)
{
	for (size_t i = 0; name && i < inc_nfields; i++)
		if (strcmp(inc_fields[i].name, name) == 0)
			return &inc_fields[i];
	return NULL;
}

const char *
inc_field_names(unsigned flags, char *buf, size_t len)
{
	struct inc_buf b = {0};
	size_t n = 0, k = 0;

	for (size_t i = 0; i < inc_nfields; i++)
		n += (inc_fields[i].flags & flags) == flags;
	for (size_t i = 0; i < inc_nfields; i++) {
		if ((inc_fields[i].flags & flags) != flags)
			continue;
		if (k++)
			inc_buf_addstr(&b, k == n ? " or " : ", ");
		inc_buf_addstr(&b, inc_fields[i].name);
	}
	snprintf(buf, len, "%s", b.data ? b.data : "");
	inc_buf_free(&b);
	return buf;
}

int
inc_field_record_key(const char *k)
{
	static const char *const extra[] = {"id", "ref", "sla", "event", "history", NULL};
	const struct inc_field *f = inc_field_find(k);

	return inc_in_list(k, extra) || (f && f->json[0] && !(f->flags & INC_F_SLA_OBJ));
}

#define MEMBER(r, f, type) (*(type *)((char *)(r) + (f)->off))

const char *
inc_field_text(const struct inc_incident *r, const struct inc_field *f, char *buf)
{
	int64_t v;

	switch (f->type) {
	case INC_FT_STR:
	case INC_FT_JARR:
	case INC_FT_JOBJ:
		return MEMBER(r, f, char *const);
	case INC_FT_STATUS:
		return inc_status_name(MEMBER(r, f, const enum inc_status));
	default:
		break;
	}
	v = MEMBER(r, f, const int64_t);
	if (v == INC_NULL)
		return NULL;
	if (f->type == INC_FT_TIME)
		return inc_time_format(v, buf);
	if (f->type == INC_FT_FLAG || f->type == INC_FT_BOOL)
		return v ? "true" : "false";
	snprintf(buf, INC_TIMELEN, "%lld", (long long)v);
	return buf;
}

