/*
 * config_use.h - a config text tried as the tools would try it, for the
 * config harnesses (config_fuzz.c, config_mut_fuzz.c) and the checks of a
 * classified record they share with the others: inc_config_parse(), then,
 * when it loads, what the tools do with a config that holds no incident of
 * its own: the matrix, classification of sample incidents by its rules,
 * its calendars' arithmetic, its SLA clocks, its escalation lists.
 *
 * Invariants checked (each a promise of config.c's validation, SPEC
 * section 5 or a module's header comment):
 *  - a refused config names the file: "fuzz.json: PATH: problem";
 *  - every impact x urgency has a priority, a known one;
 *  - classification leaves a record inc-log would take: category and
 *    subcategory in the tree, known levels, the matrix's priority;
 *  - a calendar's inc_cal_add(start, n) is not before start, and exactly n
 *    working seconds (inc_cal_count) lie between them;
 *  - SLA due and warning instants are not before created_at, warning not
 *    after due;
 *  - an escalation notify entry is a role word, a person or an address
 *    ("anything else is a config error").
 */
#ifndef INC_CONFIG_USE_H
#define INC_CONFIG_USE_H

#include <inttypes.h>

#include "fuzz.h"
#include "sla_int.h"

#define FUZZ_NOW INT64_C(1795773600)	/* 2026-11-27T10:00:00Z, the tests' */

/* What classification leaves must be a record inc-log would take. */
static inline void
fuzz_check_classified(const struct inc_config *c, const struct inc_incident *r)
{
	char err[INC_ERRLEN] = "";
	const char *p = inc_config_priority(c, r->impact, r->urgency);

	FUZZ_CHECK(inc_check_category(c, r, err) == 0, "classified into an invalid record: %s", err);
	FUZZ_CHECK(!r->impact || inc_config_level(c->impact, r->impact) >= 0, "impact %s", r->impact);
	FUZZ_CHECK(!r->urgency || inc_config_level(c->urgency, r->urgency) >= 0, "urgency %s",
		   r->urgency);
	FUZZ_CHECK(!r->group || inc_config_group(c, r->group), "group %s", r->group);
	if (!(r->explicit_ & INC_EXPLICIT_PRIORITY))
		FUZZ_CHECK(inc_streq(p, r->priority), "priority %s, the matrix says %s",
			   r->priority ? r->priority : "null", p ? p : "null");
}

static inline void
fuzz_check_calendar(const struct inc_calendar *cal, int64_t start, int64_t n)
{
	int64_t end = inc_cal_add(cal, start, n), got;

	FUZZ_CHECK(end >= start, "calendar %s: %" PRId64 "s after %" PRId64 " is %" PRId64
		   ", before it", inc_calendar_name(cal), n, start, end);
	if (end == INT64_MAX || n <= 0)
		return;
	got = inc_cal_count(cal, start, end);
	FUZZ_CHECK(got == n, "calendar %s: %" PRId64 "s after %" PRId64 " is %" PRId64
		   ", but %" PRId64 "s of working time lie between", inc_calendar_name(cal), n,
		   start, end, got);
}

static inline void
fuzz_config_use(const struct inc_config *c)
{
	static const char *const texts[][4] = {
		/* subject, description, requester, source */
		{"VPN down for everyone", NULL, "ann@example.com", "email"},
		{"printer out of toner", "the wi-fi printer", "bob", "phone"},
		{"Password locked out", NULL, NULL, "web"},
		{"disk full", "all users", "nagios", "monitoring"},
	};
	size_t i, j;
	json_t *a, *b;

	json_array_foreach(c->impact, i, a)
		json_array_foreach(c->urgency, j, b) {
			const char *p = inc_config_priority(c, json_string_value(a),
							    json_string_value(b));

			FUZZ_CHECK(p && inc_config_level(c->priority, p) >= 0,
				   "no known priority for %s x %s", json_string_value(a),
				   json_string_value(b));
		}

	for (i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		struct inc_incident r;
		const struct inc_policy *p;
		json_t *explain = json_object();

		inc_incident_init(&r);
		inc_set_str(&r.subject, texts[i][0]);
		inc_set_str(&r.description, texts[i][1]);
		inc_set_str(&r.requester, texts[i][2]);
		inc_set_str(&r.source, texts[i][3]);
		r.created_at = FUZZ_NOW - 3600;
		(void)inc_classify(c, &r, (int)(i & 1), explain, NULL);
		json_decref(explain);
		fuzz_check_classified(c, &r);
		if (c->ngroups && !r.group)
			inc_set_str(&r.group, c->groups[i % c->ngroups].name);
		if (c->npeople)
			inc_set_str(&r.assignee, c->people[i % c->npeople].name);

		if ((p = inc_sla_match(c, &r))) {
			struct inc_sla_clock ck;

			inc_sla_clock_compute(c, p, &r, FUZZ_NOW, NULL, 0, &ck);
			for (int x = 0; x < 2; x++) {
				FUZZ_CHECK(ck.due[x] >= r.created_at && ck.warn_at[x] >= r.created_at,
					   "policy %s: due %" PRId64 " or warning %" PRId64
					   " before created_at", p->name, ck.due[x], ck.warn_at[x]);
				FUZZ_CHECK(ck.warn_at[x] <= ck.due[x], "policy %s: warning after due",
					   p->name);
			}
			(void)inc_sla_overall(&ck);
			inc_sla_clock_free(&ck);
		}
		for (j = 0; j < c->nescalation; j++)
			json_decref(inc_esc_notify(c, &r, c->escalation[j].notify));
		inc_incident_clear(&r);
	}

	for (i = 0; i < c->ncalendars; i++) {
		fuzz_check_calendar(c->calendars[i], FUZZ_NOW, 3600);
		fuzz_check_calendar(c->calendars[i], FUZZ_NOW + 12345, 5 * 86400 + 7);
	}
	for (i = 0; i < c->npolicies; i++)
		if (c->policies[i].calendar) {
			fuzz_check_calendar(c->policies[i].calendar, FUZZ_NOW, c->policies[i].response);
			fuzz_check_calendar(c->policies[i].calendar, FUZZ_NOW, c->policies[i].resolve);
		}

	for (i = 0; i < c->nescalation; i++)
		json_array_foreach(c->escalation[i].notify, j, a) {
			static const char *const words[] = {"assignee", "manager",
				"incident_manager", "requester", NULL};
			const char *w = json_string_value(a);

			FUZZ_CHECK_KNOWN("notify", inc_in_list(w, words) || strchr(w, '@') ||
					 inc_config_person(c, w),
					 "escalation[%zu].notify[%zu]: \"%s\" accepted, neither a role "
					 "word, a person nor an address (SPEC 5: a config error)", i, j, w);
		}
	for (i = 0; i < c->npeople; i++)
		(void)inc_may(c, c->people[i].name, INC_ACT_WORK, "someone");
}

/* A config text as a tool would load it. */
static inline void
fuzz_config_try(const char *text, size_t len)
{
	char err[INC_ERRLEN] = "";
	struct inc_config *c = inc_config_parse(text, len, "fuzz.json", err);

	if (!c) {
		FUZZ_CHECK(strncmp(err, "fuzz.json: ", 11) == 0 && err[11],
			   "refused without naming the file: \"%s\"", err);
		return;
	}
	fuzz_config_use(c);
	inc_config_free(c);
}

#endif
