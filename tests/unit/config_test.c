/*
 * config_test.c - unit tests of config validation (lib/config.c, and the
 * calendars of lib/calendar.c it builds) through inc_config_parse, with no
 * file but the two shipped configs: share/config.json and SPEC's
 * ../shared/config.example.json load; a table of bad configs, one small
 * JSON text each, is refused with the exact message, "NAME: PATH: problem"
 * (the messages are the current behaviour: the table pins them); and a
 * valid config is checked for what it yields: enums, durations in seconds,
 * escalation keys, and the defaults filled in.
 *
 * Runs from the top of the source tree (make check).
 */
#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE
#endif
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

static void
str_is(const char *what, const char *got, const char *want)
{
	char d[INC_ERRLEN + 64];

	snprintf(d, sizeof d, "got \"%s\", want \"%s\"", got ? got : "(null)",
		 want ? want : "(null)");
	check(inc_streq(got, want), what, d);
}

static void
int_is(const char *what, int64_t got, int64_t want)
{
	char d[96];

	snprintf(d, sizeof d, "got %" PRId64 ", want %" PRId64, got, want);
	check(got == want, what, d);
}

/* A config written with single quotes, for tables people can read. */
static char *
dequote(const char *text)
{
	char *s = inc_xstrdup(text);

	for (char *p = s; *p; p++)
		if (*p == '\'')
			*p = '"';
	return s;
}

/* text (single-quoted) loads; NULL with a FAIL line if not. */
static struct inc_config *
parse_ok(const char *what, const char *text)
{
	char err[INC_ERRLEN] = "", *s = dequote(text);
	struct inc_config *c = inc_config_parse(s, strlen(s), "t.json", err);

	check(c != NULL, what, err);
	free(s);
	return c;
}

/* text (single-quoted) is refused with exactly "t.json: " + msg. */
static void
refused(const char *text, const char *msg)
{
	char err[INC_ERRLEN] = "", want[INC_ERRLEN + 16], what[600];
	char *s = dequote(text);
	struct inc_config *c = inc_config_parse(s, strlen(s), "t.json", err);

	snprintf(want, sizeof want, "t.json: %s", msg);
	snprintf(what, sizeof what, "refused %.500s", text);
	if (c) {
		check(0, what, "accepted");
		inc_config_free(c);
	} else {
		str_is(what, err, want);
	}
	free(s);
}

static char *
read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	struct inc_buf b = {0};
	char chunk[8192];
	size_t n;

	if (!f)
		return NULL;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		inc_buf_add(&b, chunk, n);
	fclose(f);
	*len = b.len;
	return b.data;
}

static struct inc_config *
load_file(const char *path)
{
	char err[INC_ERRLEN] = "", what[256];
	size_t len = 0;
	char *text = read_file(path, &len);
	struct inc_config *c;

	snprintf(what, sizeof what, "%s loads", path);
	if (!text) {
		check(0, what, "cannot read it (run from the top of the tree)");
		return NULL;
	}
	c = inc_config_parse(text, len, path, err);
	check(c != NULL, what, err);
	free(text);
	return c;
}

/* ---- bad configs ---- */

/* The default matrix's rows, for the cases that change one cell. */
#define ROW_HIGH "'high':{'high':'critical','medium':'high','low':'medium'}"
#define ROW_MEDIUM "'medium':{'high':'high','medium':'medium','low':'low'}"
#define ROW_LOW "'low':{'high':'medium','medium':'low','low':'low'}"

static const struct {
	const char *text, *msg;
} bad[] = {
	/* the file and its top level */
	{"[]",
	 "expected a JSON object"},
	{"{",
	 "line 1: string or '}' expected near end of file"},
	{"{'levels':{},'levels':{}}",
	 "line 1: duplicate object key near '\"levels\"'"},
	{"{'bogus':1}",
	 "(top level): unknown key \"bogus\""},

	/* levels */
	{"{'levels':[]}",
	 "levels: expected an object"},
	{"{'levels':{'impact':'high'}}",
	 "levels.impact: expected an array of strings"},
	{"{'levels':{'impact':[]}}",
	 "levels.impact: must not be empty"},
	{"{'levels':{'urgency':['a','a']}}",
	 "levels.urgency: [1]: \"a\" listed twice"},
	{"{'levels':{'priority':['p',1]}}",
	 "levels.priority: [1]: expected a non-empty string"},
	{"{'levels':{'priority':['']}}",
	 "levels.priority: [0]: expected a non-empty string"},
	{"{'levels':{'severity':['x']}}",
	 "levels: unknown key \"severity\""},

	/* priority_matrix (default levels) */
	{"{'priority_matrix':[]}",
	 "priority_matrix: expected an object"},
	{"{'priority_matrix':{" ROW_HIGH "," ROW_MEDIUM "}}",
	 "priority_matrix: no row for impact \"low\""},
	{"{'priority_matrix':{'high':{'high':'critical','medium':'high'}," ROW_MEDIUM "," ROW_LOW "}}",
	 "priority_matrix: high.low: missing"},
	{"{'priority_matrix':{'high':{'high':'urgent','medium':'high','low':'medium'}," ROW_MEDIUM "," ROW_LOW "}}",
	 "priority_matrix: high.high: unknown priority \"urgent\" (want critical, high, medium or low)"},
	{"{'priority_matrix':{" ROW_HIGH "," ROW_MEDIUM "," ROW_LOW ",'extreme':{}}}",
	 "priority_matrix: unknown impact \"extreme\" (want high, medium or low)"},
	{"{'priority_matrix':{'high':{'high':'critical','medium':'high','low':'medium','extreme':'critical'}," ROW_MEDIUM "," ROW_LOW "}}",
	 "priority_matrix: high: unknown urgency \"extreme\" (want high, medium or low)"},
	{"{'priority_matrix':{'high':[]," ROW_MEDIUM "," ROW_LOW "}}",
	 "priority_matrix: no row for impact \"high\""},
	/* a cell of the wrong type reads "missing" */
	{"{'priority_matrix':{'high':{'high':7,'medium':'high','low':'medium'}," ROW_MEDIUM "," ROW_LOW "}}",
	 "priority_matrix: high.high: missing"},
	{"{'levels':{'impact':['major','minor']}}",
	 "priority_matrix: no row for impact \"major\""},

	/* defaults */
	{"{'defaults':[]}",
	 "defaults: expected an object"},
	{"{'defaults':{'severity':'x'}}",
	 "defaults: unknown key \"severity\""},
	{"{'defaults':{'impact':'huge'}}",
	 "defaults.impact: unknown impact \"huge\" (want high, medium or low)"},
	{"{'defaults':{'urgency':'now'}}",
	 "defaults.urgency: unknown urgency \"now\" (want high, medium or low)"},
	{"{'defaults':{'group':'sd'}}",
	 "defaults.group: unknown group \"sd\" (the config has none)"},
	{"{'defaults':{'impact':5}}",
	 "defaults: impact: expected a non-empty string"},

	/* categories */
	{"{'categories':[]}",
	 "categories: expected an object"},
	{"{'categories':{'a/b':{}}}",
	 "categories.a/b: a category name must be non-empty, without '/'"},
	{"{'categories':{'':{}}}",
	 "categories.: a category name must be non-empty, without '/'"},
	{"{'categories':{'net':[]}}",
	 "categories.net: expected an object"},
	{"{'categories':{'net':{'owner':'x'}}}",
	 "categories.net: unknown key \"owner\""},
	{"{'categories':{'net':{'subcategories':'vpn'}}}",
	 "categories.net.subcategories: expected an array of strings"},
	{"{'categories':{'net':{'subcategories':['vpn','vpn']}}}",
	 "categories.net.subcategories: [1]: \"vpn\" listed twice"},
	{"{'categories':{'net':{'form':[]}}}",
	 "categories.net: form: expected an object"},
	{"{'categories':{'net':{'form':{'tag':true}}}}",
	 "categories.net: form.tag: expected an object"},
	{"{'categories':{'net':{'form':{'tag':{'required':'yes'}}}}}",
	 "categories.net: form.tag.required: expected true or false"},

	/* people */
	{"{'people':{}}",
	 "people: expected an array"},
	{"{'people':[7]}",
	 "people[0]: expected an object"},
	{"{'people':[{'name':'a','boss':'b'}]}",
	 "people[0]: unknown key \"boss\""},
	{"{'people':[{'role':'admin'}]}",
	 "people[0]: name: missing"},
	{"{'people':[{'name':''}]}",
	 "people[0]: name: expected a non-empty string"},
	{"{'people':[{'name':'a'},{'name':'a'}]}",
	 "people[1]: name: \"a\" listed twice"},
	{"{'people':[{'name':'a','role':'boss'}]}",
	 "people[0]: role: unknown role \"boss\" (want requester, technician, incident_manager, process_owner or admin)"},
	{"{'people':[{'name':'a','max_open':-1}]}",
	 "people[0]: max_open: expected a non-negative integer"},
	{"{'people':[{'name':'a','max_open':'5'}]}",
	 "people[0]: max_open: expected a non-negative integer"},
	{"{'people':[{'name':'a','max_open':2.5}]}",
	 "people[0]: max_open: expected a non-negative integer"},
	{"{'people':[{'name':'a','available':'yes'}]}",
	 "people[0]: available: expected true or false"},
	/* the path names the person, not "skills" (nor "members", "notify"
	 * below): check_string_array gets the element's path */
	{"{'people':[{'name':'a','skills':'network'}]}",
	 "people[0]: expected an array of strings"},
	{"{'people':[{'name':'a','skills':['network',3]}]}",
	 "people[0]: [1]: expected a non-empty string"},

	/* groups (manager and members checked only when people are listed) */
	{"{'groups':{}}",
	 "groups: expected an array"},
	{"{'groups':[[]]}",
	 "groups[0]: expected an object"},
	{"{'groups':[{'name':'g','queue':'x'}]}",
	 "groups[0]: unknown key \"queue\""},
	{"{'groups':[{'tier':1}]}",
	 "groups[0]: name: missing"},
	{"{'groups':[{'name':'g'},{'name':'g'}]}",
	 "groups[1]: name: \"g\" listed twice"},
	{"{'groups':[{'name':'g','strategy':'random'}]}",
	 "groups[0]: strategy: unknown strategy \"random\" (want round_robin, least_loaded or skills)"},
	{"{'groups':[{'name':'g','tier':0}]}",
	 "groups[0]: tier: expected a positive integer"},
	{"{'groups':[{'name':'g','tier':'2'}]}",
	 "groups[0]: tier: expected a positive integer"},
	{"{'groups':[{'name':'g','escalate_to':'l9'}]}",
	 "groups[0]: escalate_to: unknown group \"l9\" (want g)"},
	{"{'groups':[{'name':'g','escalate_to':'g'}]}",
	 "groups[0]: escalate_to: a group cannot escalate to itself"},
	{"{'people':[{'name':'a'}],'groups':[{'name':'g','manager':'zed'}]}",
	 "groups[0]: manager: unknown person \"zed\" (want a)"},
	{"{'people':[{'name':'a'}],'groups':[{'name':'g','members':['a','zed']}]}",
	 "groups[0]: members[1]: unknown person \"zed\" (want a)"},
	{"{'groups':[{'name':'g','members':'a'}]}",
	 "groups[0]: expected an array of strings"},

	/* rules */
	{"{'rules':{}}",
	 "rules: expected an array"},
	{"{'rules':[1]}",
	 "rules[0]: expected an object"},
	{"{'rules':[{'match':{},'set':{'impact':'high'},'stop':true}]}",
	 "rules[0]: unknown key \"stop\""},
	{"{'rules':[{'match':{'subject':'x'}}]}",
	 "rules[0]: set: expected a non-empty object"},
	{"{'rules':[{'match':{'subject':'x'},'set':{}}]}",
	 "rules[0]: set: expected a non-empty object"},
	{"{'rules':[{'match':[],'set':{'impact':'high'}}]}",
	 "rules[0]: match: expected an object"},
	{"{'rules':[{'set':{'priority':'high'}}]}",
	 "rules[0].set: unknown field \"priority\""},
	{"{'rules':[{'set':{'bogus':'x'}}]}",
	 "rules[0].set: unknown field \"bogus\""},
	{"{'rules':[{'set':{'impact':'huge'}}]}",
	 "rules[0].set: impact: unknown impact \"huge\" (want high, medium or low)"},
	{"{'rules':[{'set':{'urgency':'now'}}]}",
	 "rules[0].set: urgency: unknown urgency \"now\" (want high, medium or low)"},
	{"{'rules':[{'set':{'group':'sd'}}]}",
	 "rules[0].set: group: unknown group \"sd\" (the config has none)"},
	{"{'rules':[{'set':{'category':'net'}}]}",
	 "rules[0].set: category: unknown category \"net\" (the config has none)"},
	{"{'categories':{'net':{'subcategories':['vpn']}},'rules':[{'set':{'category':'net','subcategory':'wifi'}}]}",
	 "rules[0].set: subcategory: unknown subcategory \"wifi\" of \"net\" (want vpn)"},
	{"{'categories':{'net':{'subcategories':['vpn']}},'rules':[{'set':{'subcategory':'wifi'}}]}",
	 "rules[0].set: subcategory: unknown subcategory \"wifi\" (want vpn)"},
	{"{'rules':[{'set':{'major':'yes'}}]}",
	 "rules[0].set: major: expected true or false"},
	{"{'rules':[{'set':{'impact':1}}]}",
	 "rules[0].set: impact: expected a string"},
	{"{'rules':[{'match':{'assignee':'bob'},'set':{'impact':'high'}}]}",
	 "rules[0]: match: unknown field \"assignee\""},
	{"{'rules':[{'match':{'subject':1},'set':{'impact':'high'}}]}",
	 "rules[0]: match.subject: expected a string"},
	{"{'rules':[{'match':{'subject':'('},'set':{'impact':'high'}}]}",
	 "rules[0]: match.subject: bad regex \"(\": missing closing parenthesis at offset 1"},
	{"{'rules':[{'match':{'text':'[a-'},'set':{'impact':'high'}}]}",
	 "rules[0]: match.text: bad regex \"[a-\": missing terminating ] for character class at offset 3"},
	{"{'rules':[{'match':{'subject':'ok'},'set':{'impact':'high'}},{'match':{'description':'a{2,1}'},'set':{'impact':'low'}}]}",
	 "rules[1]: match.description: bad regex \"a{2,1}\": numbers out of order in {} quantifier at offset 5"},

	/* calendars (lib/calendar.c inc_calendar_new, lib/tz.c) */
	{"{'calendars':{}}",
	 "calendars: expected an array"},
	{"{'calendars':[1]}",
	 "calendars[0]: expected an object"},
	{"{'calendars':[{'name':'c','tz':'UTC'}]}",
	 "calendars[0]: unknown key \"tz\""},
	{"{'calendars':[{'timezone':'UTC'}]}",
	 "calendars[0]: name: missing"},
	{"{'calendars':[{'name':''}]}",
	 "calendars[0]: name: expected a non-empty string"},
	{"{'calendars':[{'name':'c','timezone':5}]}",
	 "calendars[0]: timezone: expected a non-empty string"},
	{"{'calendars':[{'name':'c','timezone':'Mars/Olympus_Mons'}]}",
	 "calendars[0]: timezone: unknown time zone \"Mars/Olympus_Mons\""},
	{"{'calendars':[{'name':'c','timezone':'../etc/passwd'}]}",
	 "calendars[0]: timezone: unknown time zone \"../etc/passwd\""},
	{"{'calendars':[{'name':'c','hours':[]}]}",
	 "calendars[0]: hours: expected an object"},
	{"{'calendars':[{'name':'c','hours':{'monday':['09:00-17:00']}}]}",
	 "calendars[0]: hours: unknown day \"monday\" (want mon, tue, wed, thu, fri, sat or sun)"},
	{"{'calendars':[{'name':'c','hours':{'mon':'09:00-17:00'}}]}",
	 "calendars[0]: hours.mon: expected an array of strings"},
	{"{'calendars':[{'name':'c','hours':{'mon':[9]}}]}",
	 "calendars[0]: hours.mon[0]: expected a string"},
	{"{'calendars':[{'name':'c','hours':{'mon':['9-17']}}]}",
	 "calendars[0]: hours.mon[0]: bad interval \"9-17\" (want HH:MM-HH:MM)"},
	{"{'calendars':[{'name':'c','hours':{'tue':['09:60-10:00']}}]}",
	 "calendars[0]: hours.tue[0]: bad interval \"09:60-10:00\" (want HH:MM-HH:MM)"},
	{"{'calendars':[{'name':'c','hours':{'wed':['24:00-24:00']}}]}",
	 "calendars[0]: hours.wed[0]: bad interval \"24:00-24:00\" (want HH:MM-HH:MM)"},
	{"{'calendars':[{'name':'c','hours':{'thu':['17:00-09:00']}}]}",
	 "calendars[0]: hours.thu[0]: bad interval \"17:00-09:00\" (start must be before end)"},
	{"{'calendars':[{'name':'c','hours':{'fri':['09:00-12:00','11:00-13:00']}}]}",
	 "calendars[0]: hours.fri[1]: \"11:00-13:00\" overlaps or precedes \"09:00-12:00\" (want sorted, non-overlapping intervals)"},
	{"{'calendars':[{'name':'c','hours':{}}]}",
	 "calendars[0]: hours: no working time"},
	{"{'calendars':[{'name':'c','hours':{'sat':[],'sun':[]}}]}",
	 "calendars[0]: hours: no working time"},
	{"{'calendars':[{'name':'c','holidays':'12-25'}]}",
	 "calendars[0]: holidays: expected an array of strings"},
	{"{'calendars':[{'name':'c','holidays':[1225]}]}",
	 "calendars[0]: holidays[0]: expected a string"},
	{"{'calendars':[{'name':'c','holidays':['2026-02-30']}]}",
	 "calendars[0]: holidays[0]: bad date \"2026-02-30\""},
	{"{'calendars':[{'name':'c','holidays':['12/25']}]}",
	 "calendars[0]: holidays[0]: bad date \"12/25\""},
	{"{'calendars':[{'name':'c','holidays':['2026-12-24','13-01']}]}",
	 "calendars[0]: holidays[1]: bad date \"13-01\""},
	{"{'calendars':[{'name':'c'},{'name':'c'}]}",
	 "calendars[1]: name: \"c\" listed twice"},

	/* sla */
	{"{'sla':{}}",
	 "sla: expected an array"},
	{"{'sla':[1]}",
	 "sla[0]: expected an object"},
	{"{'sla':[{'name':'p','response':'1h','resolve':'8h','target':1}]}",
	 "sla[0]: unknown key \"target\""},
	{"{'sla':[{'response':'1h','resolve':'8h'}]}",
	 "sla[0]: name: missing"},
	{"{'sla':[{'name':'p','resolve':'8h'}]}",
	 "sla[0]: response: missing"},
	{"{'sla':[{'name':'p','response':'1h'}]}",
	 "sla[0]: resolve: missing"},
	{"{'sla':[{'name':'p','response':'1h','resolve':'8h'},{'name':'p','response':'1h','resolve':'8h'}]}",
	 "sla[1]: name: \"p\" listed twice"},
	{"{'sla':[{'name':'p','response':'1h','resolve':'8h','calendar':'office'}]}",
	 "sla[0]: calendar: unknown calendar \"office\" (the config has none)"},
	{"{'sla':[{'name':'p','response':'4 hours','resolve':'8h'}]}",
	 "sla[0].response: bad duration \"4 hours\" (want e.g. 90s, 15m, 4h, 1h30m)"},
	/* a negative number reads "of the wrong type" */
	{"{'sla':[{'name':'p','response':'1h','resolve':-5}]}",
	 "sla[0].resolve: bad duration of the wrong type (want e.g. 90s, 15m, 4h, 1h30m)"},
	{"{'sla':[{'name':'p','response':true,'resolve':'8h'}]}",
	 "sla[0].response: bad duration of the wrong type (want e.g. 90s, 15m, 4h, 1h30m)"},
	{"{'sla':[{'name':'p','response':'1h','resolve':'8h','warn':0}]}",
	 "sla[0]: warn: expected a number in (0, 1]"},
	{"{'sla':[{'name':'p','response':'1h','resolve':'8h','warn':1.5}]}",
	 "sla[0]: warn: expected a number in (0, 1]"},
	{"{'sla':[{'name':'p','response':'1h','resolve':'8h','warn':'0.8'}]}",
	 "sla[0]: warn: expected a number in (0, 1]"},
	{"{'sla':[{'name':'p','response':'1h','resolve':'8h','match':[]}]}",
	 "sla[0]: match: expected an object"},
	{"{'sla':[{'name':'p','response':'1h','resolve':'8h','match':{'text':'x'}}]}",
	 "sla[0].match: unknown field \"text\""},
	{"{'sla':[{'name':'p','response':'1h','resolve':'8h','match':{'rating':'5'}}]}",
	 "sla[0].match: unknown field \"rating\""},
	{"{'sla':[{'name':'p','response':'1h','resolve':'8h','match':{'priority':1}}]}",
	 "sla[0].match: priority: expected a string"},
	{"{'sla':[{'name':'p','response':'1h','resolve':'8h','match':{'major':null}}]}",
	 "sla[0].match: major: expected true or false"},
	/* a value the field can never hold would never match */
	{"{'sla':[{'name':'p','response':'1h','resolve':'8h','match':{'major':'yes'}}]}",
	 "sla[0].match: major: expected true or false"},
	{"{'sla':[{'name':'p','response':'1h','resolve':'8h','match':{'priority':true}}]}",
	 "sla[0].match: priority: expected a string"},
	{"{'sla':[{'name':'p','response':'1h','resolve':'8h','match':{'priority':'urgent'}}]}",
	 "sla[0].match: priority: unknown priority \"urgent\" (want critical, high, medium or low)"},
	{"{'sla':[{'name':'p','response':'1h','resolve':'8h','match':{'urgency':'asap'}}]}",
	 "sla[0].match: urgency: unknown urgency \"asap\" (want high, medium or low)"},
	{"{'sla':[{'name':'p','response':'1h','resolve':'8h','match':{'group':'sd'}}]}",
	 "sla[0].match: group: unknown group \"sd\" (the config has none)"},
	{"{'sla':[{'name':'p','response':'1h','resolve':'8h','match':{'status':'open'}}]}",
	 "sla[0].match: status: unknown status \"open\" (want new, assigned, in_progress, on_hold, resolved, closed or cancelled)"},
	{"{'escalation':[{'on':'resolve_breached','action':'notify','notify':['manager'],'match':{'impact':'huge'}}]}",
	 "escalation[0].match: impact: unknown impact \"huge\" (want high, medium or low)"},
	{"{'people':[{'name':'joe','email':'joe at example.com'}]}",
	 "people[0]: email: not an e-mail address \"joe at example.com\""},

	/* escalation */
	{"{'escalation':{}}",
	 "escalation: expected an array"},
	{"{'escalation':[1]}",
	 "escalation[0]: expected an object"},
	{"{'escalation':[{'on':'resolve_breached','when':'now'}]}",
	 "escalation[0]: unknown key \"when\""},
	{"{'escalation':[{'action':'notify'}]}",
	 "escalation[0]: on: missing (want response_warning, response_breached, resolve_warning or resolve_breached)"},
	{"{'escalation':[{'on':'breach'}]}",
	 "escalation[0]: on: unknown event \"breach\" (want response_warning, response_breached, resolve_warning or resolve_breached)"},
	{"{'escalation':[{'on':'resolve_breached','action':'page'}]}",
	 "escalation[0]: action: unknown action \"page\" (want notify, functional or hierarchical)"},
	{"{'escalation':[{'on':'resolve_breached','after':'soon'}]}",
	 "escalation[0].after: bad duration \"soon\" (want e.g. 90s, 15m, 4h, 1h30m)"},
	{"{'escalation':[{'on':'resolve_breached','after':-60}]}",
	 "escalation[0].after: bad duration of the wrong type (want e.g. 90s, 15m, 4h, 1h30m)"},
	{"{'escalation':[{'on':'resolve_breached','after':'2h','action':'hierarchical'},{'on':'resolve_breached','after':7200,'action':'hierarchical'}]}",
	 "escalation[1]: same on, after, action and match as escalation[0]"},
	{"{'escalation':[{'on':'response_warning'},{'on':'response_warning','action':'notify','notify':['manager']}]}",
	 "escalation[1]: same on, after, action and match as escalation[0]"},
	{"{'escalation':[{'on':'resolve_breached','notify':'manager'}]}",
	 "escalation[0]: expected an array of strings"},
	{"{'escalation':[{'on':'resolve_breached','notify':['manager','']}]}",
	 "escalation[0]: [1]: expected a non-empty string"},

	/* closure_codes */
	{"{'closure_codes':'fixed'}",
	 "closure_codes: expected an array of strings"},
	{"{'closure_codes':['fixed','fixed']}",
	 "closure_codes: [1]: \"fixed\" listed twice"},
	{"{'closure_codes':['fixed','']}",
	 "closure_codes: [1]: expected a non-empty string"},

	/* reopen_window */
	{"{'reopen_window':'a week'}",
	 "reopen_window: bad duration \"a week\" (want e.g. 90s, 15m, 4h, 1h30m)"},
	{"{'reopen_window':-1}",
	 "reopen_window: bad duration of the wrong type (want e.g. 90s, 15m, 4h, 1h30m)"},
};

static void
test_bad(void)
{
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		refused(bad[i].text, bad[i].msg);

	/* every day of the year a holiday, 02-29 included: no working time */
	{
		struct inc_buf b = {0};
		static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

		inc_buf_addstr(&b, "{'calendars':[{'name':'c','holidays':[");
		for (int m = 1; m <= 12; m++)
			for (int d = 1; d <= mdays[m - 1]; d++)
				inc_buf_printf(&b, "%s'%02d-%02d'", m == 1 && d == 1 ? "" : ",", m, d);
		inc_buf_addstr(&b, "]}]}");
		refused(b.data, "calendars[0]: holidays: no working time");
		inc_buf_free(&b);
	}
	/* the name given stands for the file in every message */
	{
		char err[INC_ERRLEN] = "";
		struct inc_config *c = inc_config_parse("{\"levels\":[]}", 13,
							"/etc/inc/config.json", err);

		check(c == NULL, "refused under another name", NULL);
		str_is("the message names the file", err,
		       "/etc/inc/config.json: levels: expected an object");
		inc_config_free(c);
	}
	/* only len bytes are read */
	{
		char err[INC_ERRLEN] = "";
		struct inc_config *c = inc_config_parse("{}garbage", 2, "t.json", err);

		check(c != NULL, "only len bytes are parsed", err);
		inc_config_free(c);
	}
}

/* ---- what a valid config yields ---- */

static const struct inc_person *
person(const struct inc_config *c, const char *name)
{
	const struct inc_person *p = inc_config_person(c, name);

	if (!p)
		check(0, name, "no such person in the config");
	return p;
}

static const struct inc_group *
group(const struct inc_config *c, const char *name)
{
	const struct inc_group *g = inc_config_group(c, name);

	if (!g)
		check(0, name, "no such group in the config");
	return g;
}

static const struct inc_policy *
policy(const struct inc_config *c, const char *name)
{
	const struct inc_policy *p = inc_sla_policy(c, name);

	if (!p)
		check(0, name, "no such policy in the config");
	return p;
}

/* levels (a JSON array) hold exactly the comma-separated names. */
static void
list_is(const char *what, const json_t *levels, const char *want)
{
	struct inc_buf b = {0};
	size_t i;
	json_t *v;

	json_array_foreach(levels, i, v)
		inc_buf_printf(&b, "%s%s", i ? "," : "", json_string_value(v));
	str_is(what, b.data ? b.data : "", want);
	inc_buf_free(&b);
}

/* The shipped config, as share/config.json writes it. */
static void
test_shipped(void)
{
	struct inc_config *c = load_file("share/config.json"), *x;
	const struct inc_person *p;
	const struct inc_group *g;
	const struct inc_policy *pol;
	static const struct {
		const char *key;
		enum inc_esc_on on;
		enum inc_esc_action action;
		int64_t after;
		const char *notify;
	} esc[] = {
		{"response_warning+0:notify", INC_ON_RESPONSE_WARNING, INC_ESC_NOTIFY, 0, "assignee"},
		{"resolve_warning+0:notify", INC_ON_RESOLVE_WARNING, INC_ESC_NOTIFY, 0,
		 "assignee,manager"},
		{"resolve_breached+0:functional", INC_ON_RESOLVE_BREACHED, INC_ESC_FUNCTIONAL, 0,
		 "manager"},
		{"resolve_breached+7200:hierarchical", INC_ON_RESOLVE_BREACHED,
		 INC_ESC_HIERARCHICAL, 7200, "incident_manager"},
	};

	/* SPEC's schema by example, beside the tree: accepted exactly as it is */
	if (access("../shared/config.example.json", F_OK) == 0) {
		x = load_file("../shared/config.example.json");
		inc_config_free(x);
	} else {
		printf("SKIP ../shared/config.example.json: not beside this tree\n");
	}
	if (!c)
		return;
	str_is("path", c->path, "share/config.json");

	/* people: roles as enums, defaults for what a person leaves out */
	int_is("people", (int64_t)c->npeople, 11);
	if ((p = person(c, "alice"))) {
		int_is("alice is a technician", p->role, INC_TECHNICIAN);
		str_is("alice's email", p->email, "alice@example.com");
		int_is("alice's max_open", p->max_open, 25);
		int_is("alice available by default", p->available, 1);
		list_is("alice's skills", p->skills, "access,email");
	}
	if ((p = person(c, "dana")))
		int_is("dana has no cap", p->max_open, INC_NULL);
	if ((p = person(c, "maria")))
		int_is("maria is an incident manager", p->role, INC_INCIDENT_MANAGER);
	if ((p = person(c, "pat")))
		int_is("pat is a process owner", p->role, INC_PROCESS_OWNER);
	if ((p = person(c, "root"))) {
		int_is("root is an admin", p->role, INC_ADMIN);
		check(p->email == NULL, "root has no email", NULL);
		list_is("root has no skills", p->skills, "");
	}
	p = inc_config_person(c, "BOB@example.COM");
	check(p && strcmp(p->name, "bob") == 0, "a person by email, any case", NULL);
	check(inc_config_person(c, "nobody") == NULL, "no such person", NULL);
	check(inc_config_person(c, NULL) == NULL, "a NULL name is nobody", NULL);

	/* groups: strategies as enums, tiers, escalate_to, managers, members */
	int_is("groups", (int64_t)c->ngroups, 3);
	if ((g = group(c, "service-desk"))) {
		int_is("service-desk round robin", g->strategy, INC_ROUND_ROBIN);
		int_is("service-desk tier", g->tier, 1);
		str_is("service-desk escalates", g->escalate_to, "l2-infra");
		str_is("service-desk manager", g->manager, "maria");
		list_is("service-desk members", g->members, "alice,bob,chen");
	}
	if ((g = group(c, "l2-infra"))) {
		int_is("l2-infra least loaded", g->strategy, INC_LEAST_LOADED);
		int_is("l2-infra tier", g->tier, 2);
	}
	if ((g = group(c, "l3-network"))) {
		int_is("l3-network skills", g->strategy, INC_SKILLS);
		int_is("l3-network tier", g->tier, 3);
		check(g->escalate_to == NULL, "l3-network escalates nowhere", NULL);
	}

	/* rules: compiled per field */
	int_is("rules", (int64_t)c->nrules, 6);
	if (c->nrules == 6) {
		check(c->rules[0].re[INC_RF_TEXT] && !c->rules[0].re[INC_RF_SUBJECT],
		      "rule 0 on text alone", NULL);
		check(c->rules[3].re[INC_RF_SUBJECT] && !c->rules[3].re[INC_RF_TEXT],
		      "rule 3 on subject alone", NULL);
		check(c->rules[5].re[INC_RF_SOURCE] != NULL, "rule 5 on source", NULL);
	}

	/* calendars */
	int_is("calendars", (int64_t)c->ncalendars, 2);
	check(inc_config_calendar(c, "office-berlin") &&
	      strcmp(inc_calendar_zone(inc_config_calendar(c, "office-berlin")),
		     "Europe/Berlin") == 0, "office-berlin in Berlin", NULL);
	check(inc_config_calendar(c, "nowhere") == NULL, "no such calendar", NULL);

	/* SLA policies: durations in seconds, warn, calendars */
	int_is("policies", (int64_t)c->npolicies, 3);
	if ((pol = policy(c, "critical"))) {
		int_is("critical response", pol->response, 900);
		int_is("critical resolve", pol->resolve, 4 * 3600);
		check(pol->warn == 0.75, "critical warn 0.75", NULL);
		check(pol->calendar == inc_config_calendar(c, "24x7"), "critical on 24x7", NULL);
	}
	if ((pol = policy(c, "standard"))) {
		int_is("standard response", pol->response, 4 * 3600);
		int_is("standard resolve", pol->resolve, 24 * 3600);
		check(pol->warn == 0.8, "standard warn 0.8", NULL);
		check(pol->calendar == inc_config_calendar(c, "office-berlin"),
		      "standard on office-berlin", NULL);
		check(json_object_size(pol->match) == 0, "standard matches everything", NULL);
	}

	/* escalation: on and action as enums, after in seconds, keys */
	int_is("escalation rules", (int64_t)c->nescalation, 4);
	for (size_t i = 0; i < c->nescalation && i < sizeof esc / sizeof esc[0]; i++) {
		const struct inc_escrule *e = &c->escalation[i];
		char what[64];

		snprintf(what, sizeof what, "escalation[%zu] key", i);
		str_is(what, e->key, esc[i].key);
		snprintf(what, sizeof what, "escalation[%zu] on", i);
		int_is(what, e->on, esc[i].on);
		snprintf(what, sizeof what, "escalation[%zu] action", i);
		int_is(what, e->action, esc[i].action);
		snprintf(what, sizeof what, "escalation[%zu] after", i);
		int_is(what, e->after, esc[i].after);
		snprintf(what, sizeof what, "escalation[%zu] notify", i);
		list_is(what, e->notify, esc[i].notify);
	}

	/* the rest */
	list_is("closure codes", c->closure_codes,
		"fixed,workaround,no-fault-found,user-error,duplicate,auto-closed,cancelled");
	int_is("reopen_window default 7 days", c->reopen_window, 7 * 86400);
	str_is("defaults.group", json_string_value(json_object_get(c->defaults, "group")),
	       "service-desk");
	check(inc_config_category(c, "network", "vpn") == 1, "network/vpn", NULL);
	check(inc_config_category(c, "network", "printer") == 0, "no network/printer", NULL);
	check(inc_config_category(c, NULL, "printer") == 1, "printer in some category", NULL);
	check(inc_config_category(c, "email", NULL) == 1, "email, no subcategories", NULL);
	check(inc_config_category(c, "nope", NULL) == 0, "no such category", NULL);
	{
		char err[INC_ERRLEN];

		inc_config_unknown_group(c, "l9", err);
		str_is("unknown group message", err,
		       "unknown group \"l9\" (want service-desk, l2-infra or l3-network)");
	}
	inc_config_free(c);
}

/* An empty config: every default filled in. */
static void
test_defaults(void)
{
	struct inc_config *c = parse_ok("empty config loads", "{}");
	static const char *const matrix[][3] = {
		{"high", "high", "critical"}, {"high", "medium", "high"}, {"high", "low", "medium"},
		{"medium", "high", "high"}, {"medium", "medium", "medium"}, {"medium", "low", "low"},
		{"low", "high", "medium"}, {"low", "medium", "low"}, {"low", "low", "low"},
	};

	if (!c)
		return;
	list_is("default impact levels", c->impact, "high,medium,low");
	list_is("default urgency levels", c->urgency, "high,medium,low");
	list_is("default priority levels", c->priority, "critical,high,medium,low");
	for (size_t i = 0; i < sizeof matrix / sizeof matrix[0]; i++) {
		char what[64];

		snprintf(what, sizeof what, "default matrix %s x %s", matrix[i][0], matrix[i][1]);
		str_is(what, inc_config_priority(c, matrix[i][0], matrix[i][1]), matrix[i][2]);
	}
	check(inc_config_priority(c, "high", NULL) == NULL, "no priority without urgency", NULL);
	check(inc_config_priority(c, "huge", "high") == NULL, "no priority of a bad impact", NULL);
	list_is("default closure codes", c->closure_codes,
		"fixed,workaround,no-fault-found,user-error,duplicate,auto-closed,cancelled");
	int_is("default reopen_window", c->reopen_window, 7 * 86400);
	check(json_is_object(c->defaults) && json_object_size(c->defaults) == 0,
	      "defaults empty", NULL);
	check(json_is_object(c->categories) && json_object_size(c->categories) == 0,
	      "no categories", NULL);
	check(!c->npeople && !c->ngroups && !c->nrules && !c->ncalendars && !c->npolicies &&
	      !c->nescalation, "nothing else", NULL);
	int_is("level index", inc_config_level(c->priority, "medium"), 2);
	int_is("no such level", inc_config_level(c->priority, "urgent"), -1);
	int_is("no level of NULL", inc_config_level(c->priority, NULL), -1);
	inc_config_free(c);

	/* levels given in part: the others default, the matrix must follow */
	c = parse_ok("custom urgency levels",
		     "{'levels':{'urgency':['now','later']},"
		     "'priority_matrix':{'high':{'now':'critical','later':'high'},"
		     "'medium':{'now':'high','later':'medium'},'low':{'now':'medium','later':'low'}}}");
	if (c) {
		list_is("impact defaulted", c->impact, "high,medium,low");
		list_is("urgency given", c->urgency, "now,later");
		list_is("priority defaulted", c->priority, "critical,high,medium,low");
		str_is("custom matrix", inc_config_priority(c, "medium", "later"), "medium");
		inc_config_free(c);
	}
}

/* Small configs for one value each. */
static void
test_values(void)
{
	struct inc_config *c;

	/* a person with nothing but a name: technician, available, no cap */
	c = parse_ok("minimal person",
		     "{'people':[{'name':'a'},{'name':'r','role':'requester','available':false,"
		     "'max_open':0}]}");
	if (c) {
		int_is("role defaults to technician", c->people[0].role, INC_TECHNICIAN);
		int_is("available by default", c->people[0].available, 1);
		int_is("no cap by default", c->people[0].max_open, INC_NULL);
		int_is("a requester", c->people[1].role, INC_REQUESTER);
		int_is("unavailable", c->people[1].available, 0);
		int_is("max_open 0", c->people[1].max_open, 0);
		inc_config_free(c);
	}
	/* a group with nothing but a name: round robin, tier 1, no members */
	c = parse_ok("minimal group", "{'groups':[{'name':'g'}],'defaults':{'group':'g'}}");
	if (c) {
		int_is("strategy defaults to round robin", c->groups[0].strategy, INC_ROUND_ROBIN);
		int_is("tier defaults to 1", c->groups[0].tier, 1);
		list_is("no members", c->groups[0].members, "");
		check(!c->groups[0].manager && !c->groups[0].escalate_to, "no manager, no escalation",
		      NULL);
		inc_config_free(c);
	}
	/* without people, members and managers are not checked */
	c = parse_ok("members without people",
		     "{'groups':[{'name':'g','manager':'m','members':['x','y']}]}");
	inc_config_free(c);

	/* policies: durations in every form, warn default, no calendar */
	c = parse_ok("policy durations",
		     "{'sla':[{'name':'a','response':90,'resolve':'1h30m'},"
		     "{'name':'b','response':'1d2h3m4s','resolve':'1w','warn':1},"
		     "{'name':'c','response':0,'resolve':'0s','warn':0.001,"
		     "'match':{'major':true,'priority':'high'}}]}");
	if (c && c->npolicies == 3) {
		int_is("bare seconds", c->policies[0].response, 90);
		int_is("1h30m", c->policies[0].resolve, 5400);
		check(c->policies[0].warn == 0.8, "warn defaults to 0.8", NULL);
		check(c->policies[0].calendar == NULL, "no calendar: around the clock", NULL);
		check(json_is_object(c->policies[0].match) && !json_object_size(c->policies[0].match),
		      "no match: an empty one", NULL);
		int_is("1d2h3m4s", c->policies[1].response, 93784);
		int_is("1w", c->policies[1].resolve, 604800);
		check(c->policies[1].warn == 1.0, "warn 1 allowed", NULL);
		int_is("zero", c->policies[2].response, 0);
		check(json_is_true(json_object_get(c->policies[2].match, "major")),
		      "a boolean match value", NULL);
	}
	inc_config_free(c);

	/* escalation: defaults, and keys of delayed rules */
	c = parse_ok("escalation keys",
		     "{'escalation':[{'on':'response_breached'},"
		     "{'on':'response_breached','after':'1h30m','action':'functional'},"
		     "{'on':'resolve_warning','after':60,'action':'hierarchical','notify':['ops@example.com']},"
		     "{'on':'resolve_breached','after':'7200','action':'hierarchical'}]}");
	if (c && c->nescalation == 4) {
		str_is("key of a bare rule", c->escalation[0].key, "response_breached+0:notify");
		int_is("action defaults to notify", c->escalation[0].action, INC_ESC_NOTIFY);
		list_is("notify defaults to none", c->escalation[0].notify, "");
		int_is("on response_breached", c->escalation[0].on, INC_ON_RESPONSE_BREACHED);
		str_is("key with after", c->escalation[1].key, "response_breached+5400:functional");
		str_is("key of a warning", c->escalation[2].key, "resolve_warning+60:hierarchical");
		int_is("on resolve_warning", c->escalation[2].on, INC_ON_RESOLVE_WARNING);
		list_is("a literal address", c->escalation[2].notify, "ops@example.com");
		str_is("key, after as a string of seconds", c->escalation[3].key,
		       "resolve_breached+7200:hierarchical");
		check(inc_esc_target(c->escalation[0].on) == INC_RESPONSE &&
		      inc_esc_target(c->escalation[2].on) == INC_RESOLVE &&
		      inc_esc_warning(c->escalation[2].on) && !inc_esc_warning(c->escalation[3].on),
		      "targets and warnings of the on values", NULL);
	}
	inc_config_free(c);

	/* reopen_window and closure codes */
	c = parse_ok("reopen_window 2d", "{'reopen_window':'2d','closure_codes':['done']}");
	if (c) {
		int_is("reopen_window 2d", c->reopen_window, 2 * 86400);
		list_is("closure codes given", c->closure_codes, "done");
		inc_config_free(c);
	}
	c = parse_ok("reopen_window in seconds", "{'reopen_window':3600,'closure_codes':[]}");
	if (c) {
		int_is("reopen_window 3600", c->reopen_window, 3600);
		list_is("no closure codes", c->closure_codes, "");
		inc_config_free(c);
	}

	/* calendars that load: 24:00 as an end, touching intervals, nulls */
	c = parse_ok("calendar edges",
		     "{'calendars':[{'name':'night','timezone':'UTC',"
		     "'hours':{'mon':['00:00-06:00','22:00-24:00'],'tue':['06:00-12:00','12:00-18:00']},"
		     "'holidays':['02-29','2026-12-25','2026-12-25']},"
		     "{'name':'plain','timezone':null,'hours':null,'holidays':null}]}");
	if (c) {
		int_is("two calendars", (int64_t)c->ncalendars, 2);
		str_is("timezone null is UTC", inc_calendar_zone(inc_config_calendar(c, "plain")),
		       "UTC");
		inc_config_free(c);
	}

	/* rules: match optional, subcategory of the set's category, major */
	c = parse_ok("rules",
		     "{'categories':{'net':{'subcategories':['vpn']},'hw':{}},"
		     "'groups':[{'name':'g'}],"
		     "'rules':[{'set':{'impact':'low'}},"
		     "{'match':{'text':'x','requester':'y','source':'z','category':'net','subject':'s',"
		     "'description':'d'},'set':{'category':'net','subcategory':'vpn','urgency':'high',"
		     "'group':'g','major':false}},"
		     "{'set':{'subcategory':'vpn'}}]}");
	if (c && c->nrules == 3) {
		int f;

		check(c->rules[0].match == NULL, "no match: matches all", NULL);
		for (f = 0; f < INC_RF_N && c->rules[1].re[f]; f++)
			;
		int_is("every match field compiled", f, INC_RF_N);
	}
	inc_config_free(c);
}

int
main(void)
{
	test_bad();
	test_shipped();
	test_defaults();
	test_values();
	printf("%d passed, %d failed\n", passed, failed);
	return failed != 0;
}
