/*
 * vocab.c - the closed vocabularies of SPEC sections 1, 3 and 5 (statuses,
 * roles, routing strategies, escalation events and actions, sources, link
 * types),
 * parsed once where they enter (the config, an option, a row) and carried
 * as enums everywhere else; and the one way a refused value lists the
 * valid ones.
 */
#define _GNU_SOURCE
#include <string.h>

#include "inc.h"

#define VOCAB(var, ...) \
	static const char *const var##_names[] = {__VA_ARGS__}; \
	const struct inc_vocab var = {var##_names, \
		(int)(sizeof var##_names / sizeof var##_names[0])}

VOCAB(inc_statuses, "new", "assigned", "in_progress", "on_hold", "resolved", "closed",
      "cancelled");
VOCAB(inc_roles, "requester", "technician", "incident_manager", "process_owner", "admin");
VOCAB(inc_strategies, "round_robin", "least_loaded", "skills");
VOCAB(inc_esc_ons, "response_warning", "response_breached", "resolve_warning",
      "resolve_breached");
VOCAB(inc_esc_actions, "notify", "functional", "hierarchical");
VOCAB(inc_sources, "phone", "email", "sms", "web", "chat", "api", "monitoring");
VOCAB(inc_link_types, "problem", "change", "asset", "incident");

int
inc_vocab_parse(const struct inc_vocab *v, const char *s)
{
	for (int i = 0; s && i < v->n; i++)
		if (strcmp(s, v->names[i]) == 0)
			return i;
	return -1;
}

const char *
inc_vocab_name(const struct inc_vocab *v, int i)
{
	return i >= 0 && i < v->n ? v->names[i] : "?";
}

const char *
inc_vocab_want(const struct inc_vocab *v, char *buf, size_t len)
{
	struct inc_buf b = {0};

	inc_buf_addstr(&b, "want ");
	for (int i = 0; i < v->n; i++) {
		if (i)
			inc_buf_addstr(&b, i == v->n - 1 ? " or " : ", ");
		inc_buf_addstr(&b, v->names[i]);
	}
	snprintf(buf, len, "%s", b.data);
	inc_buf_free(&b);
	return buf;
}

const char *
inc_status_name(enum inc_status s)
{
	return inc_vocab_name(&inc_statuses, (int)s);
}

int
inc_status_parse(const char *s)
{
	return inc_vocab_parse(&inc_statuses, s);
}

int
inc_status_open(enum inc_status s)
{
	return s == INC_NEW || s == INC_ASSIGNED || s == INC_IN_PROGRESS || s == INC_ON_HOLD;
}

const char *
inc_role_name(enum inc_role r)
{
	return inc_vocab_name(&inc_roles, (int)r);
}
