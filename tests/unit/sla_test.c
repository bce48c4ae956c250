/*
 * sla_test.c - unit tests of the SLA clocks (lib/sla.c) through the
 * library, as every tool drives them: incidents inserted, moved by
 * inc_set_status and stored (which refreshes their SLA fields), and passed
 * through inc_sla_check as inc-sla does. Due times are checked to the
 * second against values worked out by hand, each next to its case: office
 * hours in Berlin across week-ends and holidays, New York across its fall
 * back, a Sydney night shift across its spring forward, holds, the response
 * clock, reopening, a policy that follows the incident, and the instants
 * inc-sla reports once.
 *
 * Runs from the top of the source tree (make check): reads
 * share/config.json, writes in a temporary folder.
 */
#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE		/* setenv, mkdtemp */
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../lib/inc.h"
#include "../../lib/sla_int.h"

static int npass, nfail;
static char dir[] = "/tmp/sla_test.XXXXXX";

static int64_t
T(const char *iso)
{
	int64_t t;

	if (inc_time_parse(iso, 0, 0, &t) < 0) {
		printf("bad time in a test: %s\n", iso);
		exit(2);
	}
	return t;
}

static void
check_t(int line, const char *what, int64_t got, const char *want)
{
	char g[INC_TIMELEN];

	if (want ? got == T(want) : got == INC_NULL) {
		npass++;
		return;
	}
	nfail++;
	printf("FAIL line %d: %s: got %s, want %s\n", line, what,
	       got == INC_NULL ? "null" : inc_time_format(got, g), want ? want : "null");
}

static void
check_i(int line, const char *what, int64_t got, int64_t want)
{
	if (got == want) {
		npass++;
		return;
	}
	nfail++;
	printf("FAIL line %d: %s: got %lld, want %lld\n", line, what, (long long)got,
	       (long long)want);
}

static void
check_s(int line, const char *what, const char *got, const char *want)
{
	if ((!got && !want) || (got && want && strcmp(got, want) == 0)) {
		npass++;
		return;
	}
	nfail++;
	printf("FAIL line %d: %s: got %s, want %s\n", line, what, got ? got : "null",
	       want ? want : "null");
}

#define CT(what, got, want) check_t(__LINE__, what, got, want)
#define CI(what, got, want) check_i(__LINE__, what, got, want)
#define CS(what, got, want) check_s(__LINE__, what, got, want)

/* ---- a database and a config of the test's own ---- */

static struct inc_ctx ctx;

/* The shipped config with calendars, sla and escalation replaced by the
 * JSON given (NULL keeps the shipped one). */
static void
open_env(const char *name, const char *calendars, const char *sla, const char *escalation)
{
	json_error_t je;
	json_t *c = json_load_file("share/config.json", 0, &je);
	static char cfg[256], db[256];
	char err[INC_ERRLEN];

	if (!c) {
		printf("share/config.json: %s (run from the top of the tree)\n", je.text);
		exit(2);
	}
	if (calendars)
		json_object_set_new(c, "calendars", json_loads(calendars, 0, NULL));
	if (sla)
		json_object_set_new(c, "sla", json_loads(sla, 0, NULL));
	if (escalation)
		json_object_set_new(c, "escalation", json_loads(escalation, 0, NULL));
	snprintf(cfg, sizeof cfg, "%s/%s.json", dir, name);
	snprintf(db, sizeof db, "%s/%s.db", dir, name);
	if (json_dump_file(c, cfg, 0) < 0) {
		printf("cannot write %s\n", cfg);
		exit(2);
	}
	json_decref(c);
	memset(&ctx, 0, sizeof ctx);
	ctx.config_arg = cfg;
	ctx.db_arg = db;
	if (inc_ctx_config(&ctx, err) < 0 || inc_ctx_db(&ctx, err) < 0) {
		printf("%s\n", err);
		exit(2);
	}
}

static void
close_env(void)
{
	inc_tx_commit(&ctx);
	inc_db_close(ctx.db);
	inc_config_free(ctx.cfg);
	inc_buf_free(&ctx.out);
	/* record.c's UPDATE texts live as long as the context */
	for (int i = 0; i < ctx.nupd; i++)
		free(ctx.upd[i].sql);
	memset(&ctx, 0, sizeof ctx);
}

static void
die_on(int rc, const char *what, const char *err)
{
	if (rc < 0) {
		printf("%s: %s\n", what, err);
		exit(2);
	}
}

static int64_t
log_at(const char *created, const char *priority)
{
	struct inc_incident r;
	char err[INC_ERRLEN];
	int64_t id;

	ctx.now = T(created);
	inc_tx_begin(&ctx);
	inc_incident_init(&r);
	inc_set_str(&r.subject, "test");
	inc_set_str(&r.priority, priority);
	r.created_at = ctx.now;
	die_on(inc_incident_insert(&ctx, &r, err), "insert", err);
	inc_tx_commit(&ctx);
	id = r.id;
	inc_incident_clear(&r);
	return id;
}

/* Load incident id into r (cleared first). */
static void
get(int64_t id, struct inc_incident *r)
{
	char err[INC_ERRLEN];

	inc_incident_clear(r);
	if (inc_incident_load(&ctx, id, r, err) <= 0) {
		printf("load %lld: %s\n", (long long)id, err);
		exit(2);
	}
}

/* inc-sla's pass over one incident at `at`; the event's kind (and target)
 * or "" when none, left in r. */
static const char *
pass(int64_t id, const char *at, struct inc_incident *r)
{
	static char kind[64];
	char err[INC_ERRLEN];
	json_t *ev;
	int rc;

	ctx.now = T(at);
	inc_tx_begin(&ctx);
	get(id, r);
	rc = inc_sla_check(&ctx, r, INC_SLA_PASS, &ev, err);
	die_on(rc, "inc_sla_check", err);
	inc_tx_commit(&ctx);
	kind[0] = '\0';
	if (ev) {
		json_t *after = json_object_get(ev, "after");

		snprintf(kind, sizeof kind, "%s %s%s%s", json_string_value(json_object_get(ev, "kind")),
			 json_string_value(json_object_get(ev, "target")), after ? " +" : "",
			 after ? json_string_value(after) : "");
	}
	json_decref(ev);
	get(id, r);
	return kind;
}

/* A change at `at`, stored as a tool stores it: a status move (to) or a
 * new priority. */
static void
change(int64_t id, const char *at, const char *to, const char *priority)
{
	struct inc_incident r, before;
	char err[INC_ERRLEN];

	ctx.now = T(at);
	inc_tx_begin(&ctx);
	inc_incident_init(&r);
	get(id, &r);
	inc_incident_copy(&before, &r);
	if (to)
		die_on(inc_set_status(&ctx, &r, (enum inc_status)inc_status_parse(to), err), "status", err);
	if (priority)
		inc_set_str(&r.priority, priority);
	die_on(inc_incident_store(&ctx, &before, &r, "change", err), "store", err);
	inc_tx_commit(&ctx);
	inc_incident_clear(&r);
	inc_incident_clear(&before);
}

static void
move(int64_t id, const char *to, const char *at)
{
	change(id, at, to, NULL);
}

static void
set_priority(int64_t id, const char *p, const char *at)
{
	change(id, at, NULL, p);
}

/* ---- the cases ---- */

static void
berlin_week(void)
{
	struct inc_incident r;

	open_env("berlin", NULL, NULL, NULL);
	inc_incident_init(&r);
	/* Friday 11:00 Berlin; standard: response 4h, resolve 24h, warn 0.8 */
	int64_t id = log_at("2026-11-27T10:00:00Z", "low");

	CS("event at attach", pass(id, "2026-11-27T10:00:00Z", &r), "");
	CS("policy", r.sla_policy, "standard");
	/* Friday 11:00 + 4h = 15:00 CET */
	CT("response due", r.response_due, "2026-11-27T14:00:00Z");
	/* Fri 6h, Mon 8h, Tue 8h, Wed 09:00-11:00 */
	CT("resolve due", r.resolve_due, "2026-12-02T10:00:00Z");
	CS("state", r.sla_state, "ok");
	/* the response warning, 3h12m in: 14:12 CET; first seen the second after */
	CT("next check", r.sla_next_check, "2026-11-27T13:12:01Z");
	CS("at the warning instant", pass(id, "2026-11-27T13:12:00Z", &r), "");
	CS("one second later", pass(id, "2026-11-27T13:12:01Z", &r), "sla_warning response");
	CS("state", r.sla_state, "warning");
	CS("again", pass(id, "2026-11-27T13:30:00Z", &r), "");
	CS("at the due second", pass(id, "2026-11-27T14:00:00Z", &r), "");
	CS("one second past", pass(id, "2026-11-27T14:00:01Z", &r), "sla_breached response");
	CS("state", r.sla_state, "breached");
	/* resolve warning: 19h12m in = Tue 14:12 CET */
	CT("next check", r.sla_next_check, "2026-12-01T13:12:01Z");
	CS("the week-end passes quietly", pass(id, "2026-11-30T08:00:00Z", &r), "");
	CS("resolve warning", pass(id, "2026-12-01T13:13:00Z", &r), "sla_warning resolve");
	CS("state stays the worse", r.sla_state, "breached");
	CS("resolve breach", pass(id, "2026-12-02T10:01:00Z", &r), "sla_breached resolve");
	/* resolve_breached after 2h: 2h of office time later, Wed 13:00 CET */
	CT("next check: the delayed rule", r.sla_next_check, "2026-12-02T12:00:01Z");
	CS("delayed rule", pass(id, "2026-12-02T12:01:00Z", &r), "sla_breached resolve +2h");
	CS("reported once", pass(id, "2026-12-02T12:02:00Z", &r), "");
	CT("nothing left", r.sla_next_check, NULL);
	inc_incident_clear(&r);
	close_env();
}

static void
holidays(void)
{
	struct inc_incident r;

	open_env("xmas", NULL, NULL, NULL);
	inc_incident_init(&r);
	/* Wednesday 23 December, 16:00 Berlin */
	int64_t id = log_at("2026-12-23T15:00:00Z", "low");

	pass(id, "2026-12-23T15:00:00Z", &r);
	/* Wed 1h; 24, 25, 26 holidays; Sun; Mon 28 09:00-12:00 */
	CT("response due", r.response_due, "2026-12-28T11:00:00Z");
	/* Wed 1h, Mon 8h, Tue 8h, Wed 30 09:00-16:00 */
	CT("resolve due", r.resolve_due, "2026-12-30T15:00:00Z");
	inc_incident_clear(&r);
	close_env();

	/* yearly holidays (MM-DD) and a dated one */
	open_env("yearly",
		 "[{\"name\":\"24x7\"},{\"name\":\"office-berlin\",\"timezone\":\"Europe/Berlin\","
		 "\"hours\":{\"mon\":[\"09:00-17:00\"],\"tue\":[\"09:00-17:00\"],"
		 "\"wed\":[\"09:00-17:00\"],\"thu\":[\"09:00-17:00\"],\"fri\":[\"09:00-17:00\"]},"
		 "\"holidays\":[\"12-24\",\"12-25\",\"12-26\",\"01-01\",\"2027-12-27\"]}]",
		 NULL, NULL);
	inc_incident_init(&r);
	/* Thursday 23 December 2027, 16:00 Berlin */
	id = log_at("2027-12-23T15:00:00Z", "low");
	pass(id, "2027-12-23T15:00:00Z", &r);
	/* Thu 1h; Fri 24 yearly; week-end; Mon 27 dated; Tue 28 09:00-12:00 */
	CT("response due", r.response_due, "2027-12-28T11:00:00Z");
	inc_incident_clear(&r);
	close_env();
}

static void
new_york(void)
{
	struct inc_incident r;

	open_env("ny",
		 "[{\"name\":\"office-ny\",\"timezone\":\"America/New_York\","
		 "\"hours\":{\"mon\":[\"09:00-17:00\"],\"tue\":[\"09:00-17:00\"],"
		 "\"wed\":[\"09:00-17:00\"],\"thu\":[\"09:00-17:00\"],\"fri\":[\"09:00-17:00\"]}},"
		 "{\"name\":\"ny-all-day\",\"timezone\":\"America/New_York\","
		 "\"hours\":{\"mon\":[\"00:00-24:00\"],\"tue\":[\"00:00-24:00\"],"
		 "\"wed\":[\"00:00-24:00\"],\"thu\":[\"00:00-24:00\"],\"fri\":[\"00:00-24:00\"],"
		 "\"sat\":[\"00:00-24:00\"],\"sun\":[\"00:00-24:00\"]}}]",
		 "[{\"name\":\"all-day\",\"match\":{\"priority\":\"high\"},\"response\":\"1h\","
		 "\"resolve\":\"24h\",\"calendar\":\"ny-all-day\"},"
		 "{\"name\":\"office\",\"match\":{},\"response\":\"2h\",\"resolve\":\"16h\","
		 "\"calendar\":\"office-ny\",\"warn\":0.5}]",
		 NULL);
	inc_incident_init(&r);
	/* Friday 30 October, 16:00 EDT; New York falls back on Sunday 1 November */
	int64_t id = log_at("2026-10-30T20:00:00Z", "low");

	pass(id, "2026-10-30T20:00:00Z", &r);
	/* Fri 16:00-17:00 EDT, Mon 09:00-10:00 EST */
	CT("response due", r.response_due, "2026-11-02T15:00:00Z");
	/* Fri 1h, Mon 8h, Tue 09:00-16:00 EST */
	CT("resolve due", r.resolve_due, "2026-11-03T21:00:00Z");
	/* warn 0.5 of 2h: Fri 1h = 17:00 EDT */
	CT("next check: the response warning", r.sla_next_check, "2026-10-30T21:00:01Z");
	/* Saturday 12:00 EDT, 24h of a calendar open all day: Sunday has 25
	 * hours, so the due time reads 11:00 EST, 24 real hours later */
	id = log_at("2026-10-31T16:00:00Z", "high");
	pass(id, "2026-10-31T16:00:00Z", &r);
	CS("policy", r.sla_policy, "all-day");
	CT("resolve due", r.resolve_due, "2026-11-01T16:00:00Z");
	inc_incident_clear(&r);
	close_env();
}

static void
sydney_night(void)
{
	struct inc_incident r;

	/* a night shift, 22:00-24:00 running on into 00:00-06:00 */
	open_env("sydney",
		 "[{\"name\":\"nights\",\"timezone\":\"Australia/Sydney\",\"hours\":{"
		 "\"mon\":[\"00:00-06:00\",\"22:00-24:00\"],\"tue\":[\"00:00-06:00\",\"22:00-24:00\"],"
		 "\"wed\":[\"00:00-06:00\",\"22:00-24:00\"],\"thu\":[\"00:00-06:00\",\"22:00-24:00\"],"
		 "\"fri\":[\"00:00-06:00\",\"22:00-24:00\"],\"sat\":[\"00:00-06:00\",\"22:00-24:00\"],"
		 "\"sun\":[\"00:00-06:00\",\"22:00-24:00\"]}}]",
		 "[{\"name\":\"night\",\"match\":{},\"response\":\"3h\",\"resolve\":\"7h\","
		 "\"calendar\":\"nights\"}]",
		 NULL);
	inc_incident_init(&r);
	/* Saturday 3 October 2026, 22:00 AEST; at 02:00 on Sunday clocks go to 03:00 AEDT */
	int64_t id = log_at("2026-10-03T12:00:00Z", "low");

	pass(id, "2026-10-03T12:00:00Z", &r);
	/* 22:00-24:00 AEST (2h), then Sunday 00:00-01:00 without a gap */
	CT("response due", r.response_due, "2026-10-03T15:00:00Z");
	/* 2h, Sunday 00:00-02:00 AEST (4h), 03:00-06:00 AEDT (7h) */
	CT("resolve due", r.resolve_due, "2026-10-03T19:00:00Z");
	inc_incident_clear(&r);
	close_env();
}

static void
holds(void)
{
	struct inc_incident r;

	open_env("hold", NULL, NULL, NULL);
	inc_incident_init(&r);
	/* Friday 11:00 Berlin, standard */
	int64_t id = log_at("2026-11-27T10:00:00Z", "low");

	pass(id, "2026-11-27T10:00:00Z", &r);
	move(id, "in_progress", "2026-11-27T10:30:00Z");
	get(id, &r);
	CT("responded", r.responded_at, "2026-11-27T10:30:00Z");
	CI("response met", r.response_met, 1);
	/* on hold Friday 12:00 to Monday 10:00 Berlin: Fri 5h + Mon 1h working */
	move(id, "on_hold", "2026-11-27T11:00:00Z");
	pass(id, "2026-11-27T15:00:00Z", &r);
	CT("frozen: nothing to watch", r.sla_next_check, NULL);
	CS("state frozen", r.sla_state, "ok");
	/* while on hold the due reads as if the hold ended now: + Fri 12-16 */
	CT("resolve due so far", r.resolve_due, "2026-12-02T14:00:00Z");
	move(id, "in_progress", "2026-11-30T09:00:00Z");
	get(id, &r);
	CI("paused_s", r.paused_s, 6 * 3600);
	/* Wednesday 11:00 + 6h = 17:00 Berlin */
	CT("resolve due", r.resolve_due, "2026-12-02T16:00:00Z");
	/* the warning moves as much: Tue 14:12 + 6h of office time = Wed 12:12 */
	CT("next check", r.sla_next_check, "2026-12-02T11:12:01Z");
	CS("no warning at the old instant", pass(id, "2026-12-01T13:13:00Z", &r), "");
	CS("warning at the new one", pass(id, "2026-12-02T11:13:00Z", &r), "sla_warning resolve");
	/* a hold after the due time does not move it */
	CS("breach", pass(id, "2026-12-02T16:00:01Z", &r), "sla_breached resolve");
	move(id, "on_hold", "2026-12-02T16:30:00Z");
	move(id, "in_progress", "2026-12-03T10:00:00Z");
	get(id, &r);
	CT("due unmoved", r.resolve_due, "2026-12-02T16:00:00Z");
	CI("paused_s unmoved", r.paused_s, 6 * 3600);
	move(id, "resolved", "2026-12-03T11:00:00Z");
	get(id, &r);
	CI("resolve met", r.resolve_met, 0);
	CS("state", r.sla_state, "breached");
	inc_incident_clear(&r);

	/* a hold that starts exactly at the due time does not move it either,
	 * and one that starts a second before moves it by its working time */
	id = log_at("2026-11-27T10:00:00Z", "low");
	pass(id, "2026-11-27T10:00:00Z", &r);
	move(id, "in_progress", "2026-11-27T10:01:00Z");
	move(id, "on_hold", "2026-12-02T10:00:00Z");
	move(id, "in_progress", "2026-12-02T11:00:00Z");
	get(id, &r);
	CT("hold at the due second", r.resolve_due, "2026-12-02T10:00:00Z");
	CI("paused_s", r.paused_s, 0);
	id = log_at("2026-11-27T10:00:00Z", "low");
	pass(id, "2026-11-27T10:00:00Z", &r);
	move(id, "in_progress", "2026-11-27T10:01:00Z");
	move(id, "on_hold", "2026-12-02T09:59:59Z");
	move(id, "in_progress", "2026-12-02T11:00:00Z");
	get(id, &r);
	CI("paused_s", r.paused_s, 3601);
	/* one second was left at 10:59:59 Berlin: it runs from 12:00 */
	CT("hold a second before", r.resolve_due, "2026-12-02T11:00:01Z");
	inc_incident_clear(&r);
	close_env();
}

static void
response_clock(void)
{
	struct inc_incident r;

	open_env("response", NULL, NULL, NULL);
	inc_incident_init(&r);
	/* high: response 1h, Friday 11:00 -> 12:00 Berlin */
	int64_t a = log_at("2026-11-27T10:00:00Z", "high"), b, c;

	pass(a, "2026-11-27T10:00:00Z", &r);
	CT("response due", r.response_due, "2026-11-27T11:00:00Z");
	move(a, "in_progress", "2026-11-27T11:00:00Z");
	get(a, &r);
	CI("a response at the due second is met", r.response_met, 1);
	b = log_at("2026-11-27T10:00:00Z", "high");
	pass(b, "2026-11-27T10:00:00Z", &r);
	move(b, "in_progress", "2026-11-27T11:00:01Z");
	get(b, &r);
	CI("a second late is breached", r.response_met, 0);
	CS("state", r.sla_state, "breached");
	/* never seen in breach by inc-sla: the next pass reports it, once */
	CT("next check now", r.sla_next_check, "2026-11-27T11:00:01Z");
	CS("reported", pass(b, "2026-11-27T11:01:00Z", &r), "sla_breached response");
	CS("once", pass(b, "2026-11-27T11:02:00Z", &r), "");
	/* resolution stops the response clock too */
	c = log_at("2026-11-27T10:00:00Z", "high");
	pass(c, "2026-11-27T10:00:00Z", &r);
	move(c, "resolved", "2026-11-27T10:20:00Z");
	get(c, &r);
	CT("responded at resolution", r.responded_at, "2026-11-27T10:20:00Z");
	CI("response met", r.response_met, 1);
	CI("resolve met", r.resolve_met, 1);
	CS("state", r.sla_state, "met");
	CT("nothing to watch", r.sla_next_check, NULL);
	/* reopened: the original due times, the resolve target open again */
	move(c, "in_progress", "2026-11-30T09:00:00Z");
	get(c, &r);
	/* high resolve: 8h from Friday 11:00 = Monday 11:00 Berlin; warning
	 * 6h24m in = Friday 6h + Monday 24m -> Monday 09:24 Berlin */
	CT("resolve due kept", r.resolve_due, "2026-11-30T10:00:00Z");
	CI("resolve undecided", r.resolve_met, INC_NULL);
	CS("state", r.sla_state, "warning");
	CT("next check", r.sla_next_check, "2026-11-30T08:24:01Z");
	CS("warning after the reopening", pass(c, "2026-11-30T09:00:00Z", &r),
	   "sla_warning resolve");
	inc_incident_clear(&r);
	close_env();
}

static void
policy_follows(void)
{
	struct inc_incident r;

	open_env("follow", NULL, NULL, NULL);
	inc_incident_init(&r);
	int64_t id = log_at("2026-11-27T10:00:00Z", NULL);

	pass(id, "2026-11-27T10:00:00Z", &r);
	CS("standard", r.sla_policy, "standard");
	/* classified critical ten minutes later: 24x7, response 15m, warn 0.75 */
	set_priority(id, "critical", "2026-11-27T10:10:00Z");
	get(id, &r);
	CS("the policy follows", r.sla_policy, "critical");
	CT("response due from created_at", r.response_due, "2026-11-27T10:15:00Z");
	CT("resolve due", r.resolve_due, "2026-11-27T14:00:00Z");
	/* its warning (11m15s in) has passed: the next pass reports it */
	CT("next check", r.sla_next_check, "2026-11-27T10:11:16Z");
	CS("warning", pass(id, "2026-11-27T10:12:00Z", &r), "sla_warning response");
	inc_incident_clear(&r);
	close_env();
}

static void
no_policy(void)
{
	struct inc_incident r;

	/* only critical incidents have an SLA */
	open_env("nomatch", NULL,
		 "[{\"name\":\"critical\",\"match\":{\"priority\":\"critical\"},"
		 "\"response\":\"15m\",\"resolve\":\"4h\"}]", NULL);
	inc_incident_init(&r);
	int64_t id = log_at("2026-11-27T10:00:00Z", "low");

	CS("no event", pass(id, "2026-11-27T10:00:00Z", &r), "");
	CS("no policy", r.sla_policy, NULL);
	CT("looked at", r.sla_checked_at, "2026-11-27T10:00:00Z");
	set_priority(id, "medium", "2026-11-27T10:05:00Z");
	get(id, &r);
	CT("still nothing to match", r.sla_checked_at, "2026-11-27T10:00:00Z");
	set_priority(id, "critical", "2026-11-27T10:10:00Z");
	get(id, &r);
	CT("back in the queue", r.sla_checked_at, NULL);
	CS("not attached by the change itself", r.sla_policy, NULL);
	/* attached by inc-sla: the clocks run from created_at, 24x7 UTC;
	 * the warning (12m in) has passed */
	CS("attached late, warned at once", pass(id, "2026-11-27T10:13:00Z", &r),
	   "sla_warning response");
	CT("response due", r.response_due, "2026-11-27T10:15:00Z");
	inc_incident_clear(&r);
	close_env();
}

/* An edited config not applied yet: the stored instants, nothing else. */
static void
stored_clock(void)
{
	struct inc_incident r;
	struct inc_sla_clock ck;

	open_env("stored", NULL, NULL, NULL);
	inc_incident_init(&r);
	r.status = INC_IN_PROGRESS;
	r.created_at = T("2026-11-27T10:00:00Z");
	r.response_warn_at = T("2026-11-27T13:12:00Z");
	r.response_due = T("2026-11-27T14:00:00Z");
	r.resolve_warn_at = INC_NULL;	/* stored before warn instants were */
	r.resolve_due = T("2026-12-02T10:00:00Z");
	inc_sla_clock_stored(ctx.cfg, &r, T("2026-11-27T13:00:00Z"), &ck);
	CI("before the warning", ck.state[INC_RESPONSE], INC_SLA_OK);
	CI("no warning instant: never warned", ck.state[INC_RESOLVE], INC_SLA_OK);
	inc_sla_clock_free(&ck);
	inc_sla_clock_stored(ctx.cfg, &r, T("2026-11-27T13:30:00Z"), &ck);
	CI("warned", ck.state[INC_RESPONSE], INC_SLA_WARNING);
	inc_sla_clock_free(&ck);
	inc_sla_clock_stored(ctx.cfg, &r, T("2026-11-27T14:00:01Z"), &ck);
	CI("breached", ck.state[INC_RESPONSE], INC_SLA_BREACHED);
	inc_sla_clock_free(&ck);
	/* the shipped rules: at resolve_breached, and 2h after it */
	inc_sla_clock_stored(ctx.cfg, &r, T("2026-12-02T15:00:00Z"), &ck);
	CI("resolve breached", ck.state[INC_RESOLVE], INC_SLA_BREACHED);
	for (size_t i = 0; i < ck.nrules; i++)
		if (ck.rules[i].on == INC_ON_RESOLVE_BREACHED)
			CT(ck.rules[i].after ? "a delayed rule waits" : "at the stored due time",
			   inc_sla_rule_at(&ck, &ck.rules[i]),
			   ck.rules[i].after ? NULL : "2026-12-02T10:00:00Z");
	inc_sla_clock_free(&ck);
	/* on hold: the instants would move, nothing is reached */
	r.hold_since = T("2026-11-27T13:00:00Z");
	inc_sla_clock_stored(ctx.cfg, &r, T("2026-11-27T15:00:00Z"), &ck);
	CI("held: not breached", ck.state[INC_RESPONSE], INC_SLA_OK);
	inc_sla_clock_free(&ck);
	/* decided: met or not by the stored due time */
	r.hold_since = INC_NULL;
	r.responded_at = T("2026-11-27T13:59:00Z");
	inc_sla_clock_stored(ctx.cfg, &r, T("2026-11-27T15:00:00Z"), &ck);
	CI("met", ck.state[INC_RESPONSE], INC_SLA_MET);
	inc_sla_clock_free(&ck);
	inc_incident_clear(&r);
	close_env();
}

int
main(void)
{
	setenv("INC_USER", "root", 1);
	unsetenv("INC_NOW");
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 2;
	}
	berlin_week();
	holidays();
	new_york();
	sydney_night();
	holds();
	response_clock();
	policy_follows();
	no_policy();
	stored_clock();
	{
		char cmd[300];

		snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
		if (system(cmd) != 0)
			printf("could not remove %s\n", dir);
	}
	printf("%d passed, %d failed\n", npass, nfail);
	return nfail != 0;
}
