/*
 * vocab_test.c - the closed vocabularies (lib/vocab.c) against their other
 * spellings: INC_SQL_OPEN, the one SQL spelling of the open statuses, lists
 * exactly the statuses inc_status_open() holds open (and INC_SQL_DONE the
 * resolved and closed ones); every name parses back to its enum; the
 * "want ..." lists of messages.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "inc.h"

static int passed, failed;

static void
check(int ok, const char *what, const char *detail)
{
	if (ok) {
		passed++;
		return;
	}
	failed++;
	printf("FAIL %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
}

/*
 * The statuses of a "status IN ('a','b',...)" clause as a bit set; -1 if
 * the clause is not of that form, names an unknown status or one twice.
 */
static int
sql_statuses(const char *sql, char *why, size_t len)
{
	static const char head[] = "status IN (";
	const char *p = sql;
	int set = 0;

	if (strncmp(p, head, sizeof head - 1) != 0)
		return snprintf(why, len, "does not start with \"%s\"", head), -1;
	p += sizeof head - 1;
	for (;;) {
		const char *q;
		char name[64];
		int s;

		if (*p != '\'' || !(q = strchr(p + 1, '\'')) || (size_t)(q - p - 1) >= sizeof name)
			return snprintf(why, len, "no quoted name at \"%s\"", p), -1;
		memcpy(name, p + 1, (size_t)(q - p - 1));
		name[q - p - 1] = '\0';
		if ((s = inc_status_parse(name)) < 0)
			return snprintf(why, len, "unknown status \"%s\"", name), -1;
		if (set & 1 << s)
			return snprintf(why, len, "\"%s\" listed twice", name), -1;
		set |= 1 << s;
		p = q + 1;
		if (*p == ',') {
			p++;
			continue;
		}
		if (strcmp(p, ")") != 0)
			return snprintf(why, len, "junk at the end: \"%s\"", p), -1;
		return set;
	}
}

static void
sql_lists(const char *what, const char *sql, int (*holds)(enum inc_status))
{
	char why[256] = "", d[512];
	int set = sql_statuses(sql, why, sizeof why);

	snprintf(d, sizeof d, "%s: %s", sql, why);
	check(set >= 0, what, d);
	if (set < 0)
		return;
	for (int s = 0; s < INC_NSTATUS; s++) {
		snprintf(d, sizeof d, "%s %s %s", sql, set & 1 << s ? "lists" : "leaves out",
			 inc_status_name((enum inc_status)s));
		check(!(set & 1 << s) == !holds((enum inc_status)s), what, d);
	}
}

static int
is_done(enum inc_status s)
{
	return s == INC_RESOLVED || s == INC_CLOSED;
}

static void
test_sql(void)
{
	char why[256];

	sql_lists("INC_SQL_OPEN is inc_status_open()", INC_SQL_OPEN, inc_status_open);
	sql_lists("INC_SQL_DONE is resolved or closed", INC_SQL_DONE, is_done);
	/* open and done never overlap, and cancelled is neither */
	check((sql_statuses(INC_SQL_OPEN, why, sizeof why) &
	       sql_statuses(INC_SQL_DONE, why, sizeof why)) == 0, "open and done disjoint", NULL);
	check(!inc_status_open(INC_CANCELLED) && !is_done(INC_CANCELLED), "cancelled neither",
	      NULL);
	/* the parser itself refuses what it should */
	check(sql_statuses("status IN ('new','nwe')", why, sizeof why) < 0,
	      "parser: an unknown status", NULL);
	check(sql_statuses("status IN ('new','new')", why, sizeof why) < 0,
	      "parser: a status twice", NULL);
	check(sql_statuses("status IN ('new') OR 1", why, sizeof why) < 0,
	      "parser: junk at the end", NULL);
	check(sql_statuses("status IN ('new','assigned')", why, sizeof why) == 3,
	      "parser: two statuses", NULL);
}

static void
round_trip(const char *kind, const struct inc_vocab *v, int n)
{
	char what[128];

	snprintf(what, sizeof what, "%s: %d names", kind, n);
	check(v->n == n, what, NULL);
	for (int i = 0; i < v->n; i++) {
		snprintf(what, sizeof what, "%s: \"%s\" parses back", kind, inc_vocab_name(v, i));
		check(inc_vocab_parse(v, inc_vocab_name(v, i)) == i, what, NULL);
	}
	snprintf(what, sizeof what, "%s: out of range", kind);
	check(strcmp(inc_vocab_name(v, -1), "?") == 0 && strcmp(inc_vocab_name(v, v->n), "?") == 0,
	      what, NULL);
	snprintf(what, sizeof what, "%s: unknown and NULL refused", kind);
	check(inc_vocab_parse(v, "nonesuch") < 0 && inc_vocab_parse(v, NULL) < 0 &&
	      inc_vocab_parse(v, "") < 0, what, NULL);
}

static void
want_is(const struct inc_vocab *v, const char *want)
{
	char buf[256];

	check(strcmp(inc_vocab_want(v, buf, sizeof buf), want) == 0, want, buf);
}

static void
test_vocab(void)
{
	round_trip("statuses", &inc_statuses, INC_NSTATUS);
	round_trip("roles", &inc_roles, INC_ADMIN + 1);
	round_trip("strategies", &inc_strategies, INC_SKILLS + 1);
	round_trip("escalation events", &inc_esc_ons, INC_ON_RESOLVE_BREACHED + 1);
	round_trip("escalation actions", &inc_esc_actions, INC_ESC_HIERARCHICAL + 1);
	round_trip("sources", &inc_sources, 7);
	for (int s = 0; s < INC_NSTATUS; s++)
		check(inc_status_parse(inc_status_name((enum inc_status)s)) == s,
		      inc_status_name((enum inc_status)s), "status name and parse");
	check(strcmp(inc_role_name(INC_INCIDENT_MANAGER), "incident_manager") == 0,
	      "role name", NULL);
	/* the enums and the names agree, in SPEC's spelling */
	check(strcmp(inc_status_name(INC_ON_HOLD), "on_hold") == 0 &&
	      strcmp(inc_status_name(INC_IN_PROGRESS), "in_progress") == 0 &&
	      strcmp(inc_status_name(INC_CANCELLED), "cancelled") == 0, "status spellings", NULL);
	want_is(&inc_statuses,
		"want new, assigned, in_progress, on_hold, resolved, closed or cancelled");
	want_is(&inc_roles,
		"want requester, technician, incident_manager, process_owner or admin");
	want_is(&inc_strategies, "want round_robin, least_loaded or skills");
	want_is(&inc_esc_ons,
		"want response_warning, response_breached, resolve_warning or resolve_breached");
	want_is(&inc_esc_actions, "want notify, functional or hierarchical");
	want_is(&inc_sources, "want phone, email, sms, web, chat, api or monitoring");
}

int
main(void)
{
	test_sql();
	test_vocab();
	printf("%d passed, %d failed\n", passed, failed);
	return failed != 0;
}
