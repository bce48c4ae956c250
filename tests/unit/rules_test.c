/*
 * rules_test.c - unit tests of classification (lib/rules.c inc_classify)
 * and of the rules' expressions (lib/regex.c), with configs built by
 * inc_config_parse and no database: ordered rules, a later one overriding
 * an earlier one field by field and seeing what it set; "text" as subject
 * or description; a condition on an unset field never holding; explicit
 * fields and the group of an assigned incident kept (and said so in
 * explain); defaults; a subcategory dropped when its category moves;
 * priority from the matrix; the return value. Then the expressions: the
 * PCRE2 syntax admins write, the POSIX extended one they wrote before,
 * case-insensitivity, and the bounds: a catastrophic pattern gives up
 * within the match limit (timed), and only the first 64 KiB of a 16 MiB
 * description is looked at.
 */
#define _POSIX_C_SOURCE 200809L	/* clock_gettime */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "inc.h"
#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#endif
#endif
#ifndef RUNNING_ON_VALGRIND
#define RUNNING_ON_VALGRIND 0
#endif

/* The bound on a match's time: under valgrind everything runs some fifty
 * times slower, and the JIT is off. */
#define BOUND_S (RUNNING_ON_VALGRIND ? 100.0 : 2.0)

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
	char d[512];

	snprintf(d, sizeof d, "got %s%s%s, want %s%s%s", got ? "\"" : "", got ? got : "null",
		 got ? "\"" : "", want ? "\"" : "", want ? want : "null", want ? "\"" : "");
	check(inc_streq(got, want), what, d);
}

/* JSON written with single quotes, for tables people can read. */
static char *
dequote(const char *text)
{
	char *s = inc_xstrdup(text);

	for (char *p = s; *p; p++)
		if (*p == '\'')
			*p = '"';
	return s;
}

static struct inc_config *
config(const char *text)
{
	char err[INC_ERRLEN] = "", *s = dequote(text);
	struct inc_config *c = inc_config_parse(s, strlen(s), "t.json", err);

	if (!c) {
		printf("FAIL a test config does not load: %s\n", err);
		exit(1);
	}
	free(s);
	return c;
}

/*
 * Set a record field to a copy of s with zeroed room after it. PCRE2's JIT
 * reads a subject 16 bytes at a time, past its end (by design: aligned, never
 * across a page), and valgrind reports those reads in a string allocated to
 * the byte, as inc_set_str's are; with room after each subject the test stays
 * valgrind-clean on what it owns.
 */
static void
set(char **field, const char *s)
{
	size_t n;

	free(*field);
	*field = NULL;
	if (!s)
		return;
	n = strlen(s);
	*field = calloc(1, n + 64);
	if (!*field)
		abort();
	memcpy(*field, s, n);
}

/* A buffer of n bytes plus a NUL, with the same zeroed room. */
static char *
buffer(size_t n)
{
	char *b = calloc(1, n + 64);

	if (!b)
		abort();
	return b;
}

static double
seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- classification ---- */

/*
 * Rules in order: 0 sets what "vpn" means; 1 a printer, by subject alone;
 * 2 holds only once 0 has set the category; 3 on the requester; 4 on the
 * source, with major; 5 moves the category from under 0's subcategory.
 * Backslashes are doubled for JSON, then for C.
 */
static const char cfg_text[] =
	"{'categories':{'network':{'subcategories':['vpn','wifi']},"
	"'hardware':{'subcategories':['printer','laptop']},"
	"'service':{'subcategories':['outage']}},"
	"'groups':[{'name':'service-desk'},{'name':'l2-infra'},{'name':'l2-hw'}],"
	"'defaults':{'impact':'low','urgency':'medium','group':'service-desk'},"
	"'rules':["
	"{'match':{'text':'vpn'},'set':{'category':'network','subcategory':'vpn','group':'l2-infra'}},"
	"{'match':{'subject':'printer'},'set':{'category':'hardware','subcategory':'printer','urgency':'low'}},"
	"{'match':{'category':'^network$','description':'everyone'},'set':{'impact':'high'}},"
	"{'match':{'requester':'@vip\\\\.example\\\\.com$'},'set':{'urgency':'high'}},"
	"{'match':{'source':'^monitoring$'},'set':{'major':true,'impact':'medium'}},"
	"{'match':{'text':'outage'},'set':{'category':'service','impact':'high','urgency':'high'}}"
	"]}";

static const struct inc_config *cfg;

/* What an incident came out as: its fields, the return, explain. */
struct want {
	const char *category, *subcategory, *impact, *urgency, *priority, *group;
	int major, rc;
	const char *explain;	/* single-quoted JSON, or NULL: not checked */
};

static void
outcome(const char *name, struct inc_incident *r, int force, const struct want *w)
{
	json_t *explain = json_object();
	char what[160];
	int rc = inc_classify(cfg, r, force, explain, NULL);

#define FIELD(f) snprintf(what, sizeof what, "%s: " #f, name); str_is(what, r->f, w->f);
	FIELD(category)
	FIELD(subcategory)
	FIELD(impact)
	FIELD(urgency)
	FIELD(priority)
	FIELD(group)
#undef FIELD
	snprintf(what, sizeof what, "%s: major", name);
	check(!r->major == !w->major, what, r->major ? "true" : "false");
	snprintf(what, sizeof what, "%s: returns %d", name, w->rc);
	check(rc == w->rc, what, rc ? "1" : "0");
	if (w->explain) {
		char *got = json_dumps(explain, JSON_COMPACT), *want = dequote(w->explain);

		snprintf(what, sizeof what, "%s: explain", name);
		str_is(what, got, want);
		free(got);
		free(want);
	}
	json_decref(explain);
}

static void
incident(struct inc_incident *r, const char *subject, const char *description)
{
	inc_incident_init(r);
	r->id = 1;
	set(&r->subject, subject);
	set(&r->description, description);
}

static void
test_rules(void)
{
	struct inc_incident r;

	/* one rule, case-insensitive; defaults fill the rest; priority from
	 * the matrix (low x medium) */
	incident(&r, "VPN down", NULL);
	outcome("one rule", &r, 0, &(struct want){"network", "vpn", "low", "medium", "low",
		"l2-infra", 0, 1,
		"{'rules':[{'index':0,'match':{'text':'vpn'},'set':{'category':'network',"
		"'subcategory':'vpn','group':'l2-infra'}}],'kept':[],'defaults':['impact','urgency']}"});
	/* run again: nothing changes, and says so */
	outcome("one rule, again", &r, 0, &(struct want){"network", "vpn", "low", "medium", "low",
		"l2-infra", 0, 0, "{'rules':[{'index':0,'match':{'text':'vpn'},"
		"'set':{'category':'network','subcategory':'vpn','group':'l2-infra'}}],"
		"'kept':[],'defaults':[]}"});
	inc_incident_clear(&r);

	/* two rules: the later overrides category, subcategory and urgency;
	 * the group of the earlier stays */
	incident(&r, "Printer next to the VPN box", NULL);
	outcome("later rule overrides field by field", &r, 0, &(struct want){"hardware",
		"printer", "low", "low", "low", "l2-infra", 0, 1, NULL});
	inc_incident_clear(&r);

	/* text: the description alone is enough; subject: it is not */
	incident(&r, "help", "my vpn client hangs");
	outcome("text matches the description", &r, 0, &(struct want){"network", "vpn", "low",
		"medium", "low", "l2-infra", 0, 1, NULL});
	inc_incident_clear(&r);
	incident(&r, "help", "the printer jams");
	outcome("subject does not match the description", &r, 0, &(struct want){NULL, NULL,
		"low", "medium", "low", "service-desk", 0, 1,
		"{'rules':[],'kept':[],'defaults':['impact','urgency','group']}"});
	inc_incident_clear(&r);

	/* a rule sees what earlier rules set: 2 holds once 0 set network
	 * (high x medium is high) */
	incident(&r, "vpn", "down for EVERYONE");
	outcome("a rule sees the earlier rules' work", &r, 0, &(struct want){"network", "vpn",
		"high", "medium", "high", "l2-infra", 0, 1, NULL});
	inc_incident_clear(&r);
	/* and not without it: the category is unset, its condition never holds */
	incident(&r, "help", "down for everyone");
	outcome("a condition on an unset category", &r, 0, &(struct want){NULL, NULL, "low",
		"medium", "low", "service-desk", 0, 1, NULL});
	inc_incident_clear(&r);

	/* requester and source */
	incident(&r, "hello", NULL);
	set(&r.requester, "Boss@VIP.example.com");
	outcome("requester rule", &r, 0, &(struct want){NULL, NULL, "low", "high", "medium",
		"service-desk", 0, 1, NULL});
	set(&r.requester, "boss@vip.example.com.evil.org");
	set(&r.urgency, NULL);
	outcome("requester rule anchored", &r, 0, &(struct want){NULL, NULL, "low", "medium",
		"low", "service-desk", 0, 1, NULL});
	inc_incident_clear(&r);
	incident(&r, "disk full on db1", NULL);
	set(&r.source, "monitoring");
	outcome("source rule sets major", &r, 0, &(struct want){NULL, NULL, "medium", "medium",
		"medium", "service-desk", 1, 1, NULL});
	inc_incident_clear(&r);

	/* a later rule moves the category: the earlier subcategory goes
	 * (high x high is critical) */
	incident(&r, "vpn outage", NULL);
	outcome("subcategory dropped when the category moves", &r, 0, &(struct want){"service",
		NULL, "high", "high", "critical", "l2-infra", 0, 1, NULL});
	inc_incident_clear(&r);
	/* the same for a subcategory set before classification */
	incident(&r, "outage", NULL);
	set(&r.category, "network");
	set(&r.subcategory, "wifi");
	outcome("logged subcategory dropped", &r, 0, &(struct want){"service", NULL, "high",
		"high", "critical", "service-desk", 0, 1, NULL});
	inc_incident_clear(&r);
	/* a subcategory that fits its category stays */
	incident(&r, "hello", NULL);
	set(&r.category, "network");
	set(&r.subcategory, "wifi");
	outcome("subcategory kept in its category", &r, 0, &(struct want){"network", "wifi",
		"low", "medium", "low", "service-desk", 0, 1, NULL});
	inc_incident_clear(&r);
}

static void
test_kept(void)
{
	struct inc_incident r;

	/* explicit category kept, reported; the rule's subcategory does not fit
	 * it and goes; the group moves */
	incident(&r, "vpn", NULL);
	set(&r.category, "hardware");
	r.explicit_ = INC_EXPLICIT_CATEGORY;
	outcome("explicit category kept", &r, 0, &(struct want){"hardware", NULL, "low",
		"medium", "low", "l2-infra", 0, 1,
		"{'rules':[{'index':0,'match':{'text':'vpn'},'set':{'category':'network',"
		"'subcategory':'vpn','group':'l2-infra'}}],'kept':['category'],"
		"'defaults':['impact','urgency']}"});
	inc_incident_clear(&r);
	/* unless forced */
	incident(&r, "vpn", NULL);
	set(&r.category, "hardware");
	r.explicit_ = INC_EXPLICIT_CATEGORY;
	outcome("explicit category forced", &r, 1, &(struct want){"network", "vpn", "low",
		"medium", "low", "l2-infra", 0, 1, NULL});
	inc_incident_clear(&r);
	/* an explicit value the rule agrees with is not "kept" */
	incident(&r, "vpn", NULL);
	set(&r.category, "network");
	r.explicit_ = INC_EXPLICIT_CATEGORY;
	outcome("explicit and equal", &r, 0, &(struct want){"network", "vpn", "low", "medium",
		"low", "l2-infra", 0, 1, NULL});
	inc_incident_clear(&r);

	/* explicit impact, urgency, major: all kept, all reported */
	incident(&r, "outage", NULL);
	set(&r.source, "monitoring");
	set(&r.impact, "low");
	set(&r.urgency, "low");
	r.explicit_ = INC_EXPLICIT_IMPACT | INC_EXPLICIT_URGENCY | INC_EXPLICIT_MAJOR;
	outcome("explicit impact, urgency, major", &r, 0, &(struct want){"service", NULL, "low",
		"low", "low", "service-desk", 0, 1, NULL});
	inc_incident_clear(&r);
	{
		json_t *explain = json_object();
		char *got;

		incident(&r, "outage", NULL);
		set(&r.source, "monitoring");
		r.explicit_ = INC_EXPLICIT_MAJOR | INC_EXPLICIT_IMPACT;
		set(&r.impact, "low");
		inc_classify(cfg, &r, 0, explain, NULL);
		got = json_dumps(json_object_get(explain, "kept"), JSON_COMPACT);
		str_is("kept in the order met: registry order within a rule", got,
		       "[\"impact\",\"major\"]");
		free(got);
		json_decref(explain);
		inc_incident_clear(&r);
	}

	/* an assigned incident keeps its group, even forced; reported */
	incident(&r, "vpn", NULL);
	set(&r.group, "l2-hw");
	set(&r.assignee, "alice");
	outcome("assigned: group kept", &r, 0, &(struct want){"network", "vpn", "low", "medium",
		"low", "l2-hw", 0, 1,
		"{'rules':[{'index':0,'match':{'text':'vpn'},'set':{'category':'network',"
		"'subcategory':'vpn','group':'l2-infra'}}],'kept':['group'],"
		"'defaults':['impact','urgency']}"});
	inc_incident_clear(&r);
	incident(&r, "vpn", NULL);
	set(&r.group, "l2-hw");
	set(&r.assignee, "alice");
	outcome("assigned: group kept when forced", &r, 1, &(struct want){"network", "vpn", "low",
		"medium", "low", "l2-hw", 0, 1, NULL});
	inc_incident_clear(&r);
	/* nor does the default group reach an assigned incident */
	incident(&r, "hello", NULL);
	set(&r.assignee, "alice");
	outcome("assigned: no default group", &r, 0, &(struct want){NULL, NULL, "low", "medium",
		"low", NULL, 0, 1, "{'rules':[],'kept':[],'defaults':['impact','urgency']}"});
	inc_incident_clear(&r);

	/* priority: an explicit one kept unless forced, reported */
	incident(&r, "hello", NULL);
	set(&r.priority, "critical");
	r.explicit_ = INC_EXPLICIT_PRIORITY;
	outcome("explicit priority kept", &r, 0, &(struct want){NULL, NULL, "low", "medium",
		"critical", "service-desk", 0, 1,
		"{'rules':[],'kept':['priority'],'defaults':['impact','urgency','group']}"});
	outcome("explicit priority forced", &r, 1, &(struct want){NULL, NULL, "low", "medium",
		"low", "service-desk", 0, 1, NULL});
	inc_incident_clear(&r);
	/* one set at logging but not explicit follows the matrix */
	incident(&r, "hello", NULL);
	set(&r.priority, "critical");
	outcome("priority follows the matrix", &r, 0, &(struct want){NULL, NULL, "low", "medium",
		"low", "service-desk", 0, 1, NULL});
	inc_incident_clear(&r);

	/* nothing to do: 0, and nothing touched */
	incident(&r, "hello", "world");
	set(&r.impact, "high");
	set(&r.urgency, "high");
	set(&r.group, "l2-hw");
	set(&r.priority, "critical");
	outcome("nothing to change", &r, 0, &(struct want){NULL, NULL, "high", "high",
		"critical", "l2-hw", 0, 0, "{'rules':[],'kept':[],'defaults':[]}"});
	str_is("subject untouched", r.subject, "hello");
	str_is("description untouched", r.description, "world");
	/* a NULL explain is fine */
	check(inc_classify(cfg, &r, 1, NULL, NULL) == 0, "explain may be NULL", NULL);
	inc_incident_clear(&r);
}

/* Rules with no match, or matching anything, against unset fields. */
static void
test_unset(void)
{
	struct inc_config *c = config(
		"{'rules':[{'set':{'impact':'medium'}},"
		"{'match':{'requester':''},'set':{'urgency':'high'}},"
		"{'match':{'source':'^$'},'set':{'urgency':'low'}}]}");
	const struct inc_config *saved = cfg;
	struct inc_incident r;

	cfg = c;
	incident(&r, "x", NULL);
	outcome("no match applies always; empty patterns never on unset fields", &r, 0,
		&(struct want){NULL, NULL, "medium", NULL, NULL, NULL, 0, 1,
		"{'rules':[{'index':0,'match':{},'set':{'impact':'medium'}}],'kept':[],"
		"'defaults':[]}"});
	inc_incident_clear(&r);
	incident(&r, "x", NULL);
	set(&r.requester, "");
	set(&r.source, "");
	outcome("empty values are values", &r, 0, &(struct want){NULL, NULL, "medium", "low",
		"low", NULL, 0, 1, NULL});
	inc_incident_clear(&r);
	cfg = saved;
	inc_config_free(c);
}

/* ---- expressions ---- */

static void
re_is(const char *pattern, const char *subject, int want)
{
	char err[INC_ERRLEN] = "", what[256];
	struct inc_rule_re *re = inc_rule_re_new(pattern, err);

	snprintf(what, sizeof what, "/%s/ %s \"%.60s\"", pattern, want ? "matches" : "misses",
		 subject ? subject : "(unset)");
	if (!re) {
		check(0, what, err);
		return;
	}
	check(inc_rule_re_match(re, subject) == want, what, NULL);
	inc_rule_re_free(re);
}

static void
re_bad(const char *pattern, const char *want)
{
	char err[INC_ERRLEN] = "", what[128];
	struct inc_rule_re *re = inc_rule_re_new(pattern, err);

	snprintf(what, sizeof what, "/%s/ refused", pattern);
	check(re == NULL, what, NULL);
	snprintf(what, sizeof what, "/%s/ refused with its message", pattern);
	str_is(what, err, want);
	inc_rule_re_free(re);
}

static void
test_syntax(void)
{
	static const struct {
		const char *re, *s;
		int want;
	} cases[] = {
		/* case-insensitive, ASCII and beyond */
		{"vpn", "VPN down", 1},
		{"VPN", "my vpn", 1},
		{"caf\xc3\xa9", "CAF\xc3\x89 machine", 1},
		{"(?-i)VPN", "vpn", 0},
		/* PCRE2 as admins write it */
		{"\\d{3}", "room 101", 1},
		{"\\d", "no digits", 0},
		{"\\bvpn\\b", "the vpn is down", 1},
		{"\\bvpn\\b", "openvpn", 0},
		{"(?i)Outage", "OUTAGE", 1},
		{"outage|down for everyone", "Down for everyone since 9", 1},
		{"outage|down for everyone", "down for me", 0},
		{"^(?=.*vpn)(?=.*down)", "down: vpn", 1},
		{"^(?=.*vpn)(?=.*down)", "vpn up", 0},
		{"\\w+@example\\.com", "from bob@example.com", 1},
		{"\\s{2,}", "a  b", 1},
		{"lock(ed)?\\s+out", "Locked   out", 1},
		{"err(?:or)?\\s*\\d+", "ERROR 500", 1},
		{"\\x{1F600}", "smile \xf0\x9f\x98\x80", 1},
		/* POSIX extended, as rules were written before PCRE2 */
		{"[[:digit:]]{2,3}", "a12b", 1},
		{"[[:digit:]]{2,3}", "a1b", 0},
		{"^printer", "Printer jam", 1},
		{"^printer", "the printer", 0},
		{"jam$", "paper jam", 1},
		{"jam$", "jam here", 0},
		{"x{2,3}", "xx", 1},
		{"x{2,3}", "x", 0},
		{"^(a|b)+$", "abBA", 1},
		{"^(a|b)+$", "abc", 0},
		{"[[:alpha:]]+", "!!", 0},
		{"[[:space:]]", "a\tb", 1},
		{"[^[:alnum:]]", "abc", 0},
		{"[]a]", "]", 1},
		{"[^]a]", "b", 1},
		{"a\\.b", "a.b", 1},
		{"a\\.b", "axb", 0},
		{"[a-z]+", "ABC", 1},
		{"(foo|bar)baz", "BARBAZ", 1},
		{"\\(x\\)", "(x)", 1},
		{"a|", "anything", 1},
		{"()", "anything", 1},
		/* unset fields never match, whatever the pattern; empty ones may */
		{".*", NULL, 0},
		{"^$", NULL, 0},
		{"", NULL, 0},
		{"^$", "", 1},
		{"", "", 1},
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		re_is(cases[i].re, cases[i].s, cases[i].want);
	re_bad("(", "missing closing parenthesis at offset 1");
	re_bad("[a-", "missing terminating ] for character class at offset 3");
	re_bad("a{2,1}", "numbers out of order in {} quantifier at offset 5");
	re_bad("*a", "quantifier does not follow a repeatable item at offset 0");
	re_bad("(?<n", "syntax error in subpattern name (missing terminator?) at offset 4");

	/*
	 * POSIX regcomp (without REG_NEWLINE, as rules ran before) lets "."
	 * match a newline; PCRE2 without PCRE2_DOTALL does not, so a rule
	 * across the lines of a mailed description stopped matching.
	 */
	{
		char err[INC_ERRLEN];
		struct inc_rule_re *re = inc_rule_re_new("printer.*jam", err);

		check(re && inc_rule_re_match(re, "printer on floor 3\npaper jam") == 1,
		      "/printer.*jam/ matches across a newline, as POSIX ERE did", NULL);
		inc_rule_re_free(re);
	}
}

/*
 * Legitimate patterns over a few KiB of text: a repeated group needs
 * stack in the JIT, whose default stack (32 KiB) runs out after about a
 * thousand repetitions, and the run gives up: no match.
 */
static void
test_long_text(void)
{
	char err[INC_ERRLEN];
	size_t n = 3000;
	char *s = buffer(n + 1);
	struct inc_rule_re *re;

	memset(s, 'x', n);
	s[n] = 'z';
	s[n + 1] = '\0';
	re = inc_rule_re_new("x+z", err);
	check(re && inc_rule_re_match(re, s) == 1, "/x+z/ over 3000 characters", NULL);
	inc_rule_re_free(re);
	re = inc_rule_re_new("(x|y)*z", err);
	check(re && inc_rule_re_match(re, s) == 1, "/(x|y)*z/ over 3000 characters", NULL);
	inc_rule_re_free(re);
	free(s);
}

/* ---- bounds ---- */

/* pattern against subject: no match, in well under 2 s; want -1 (the
 * match gave up at a limit), 0 (a sure no), or 2 (either: a time bound,
 * which a slow build may reach). */
static void
gives_up(const char *pattern, const char *subject, const char *label, int want)
{
	char err[INC_ERRLEN] = "", what[160], d[64];
	struct inc_rule_re *re = inc_rule_re_new(pattern, err);
	double t0, dt;
	int m;

	snprintf(what, sizeof what, "/%s/ on %s", pattern, label);
	if (!re) {
		check(0, what, err);
		return;
	}
	t0 = seconds();
	m = inc_rule_re_match(re, subject);
	dt = seconds() - t0;
	snprintf(d, sizeof d, "took %.3f s", dt);
	check(dt < BOUND_S, what, d);
	check(m == want || (want == 2 && m <= 0), what,
	      m == 1 ? "matched" : m == 0 ? "a sure no match, not given up" : "gave up");
	inc_rule_re_free(re);
}

static void
test_redos(void)
{
	size_t n = 5000;
	char *a = buffer(n + 2);
	struct inc_config *c;
	struct inc_incident r;
	json_t *explain;
	double t0, dt;
	char d[64], gave[INC_ERRLEN];

	/* a subject without the "x" a pattern requires fails at once; the
	 * others below make the engine backtrack until a limit stops it */
	memset(a, 'a', n);
	a[n] = '\0';
	gives_up("^(a|aa)*\\1x$", a, "5000 a", 0);
	memcpy(a + n, "!x", 3);
	gives_up("^(a|aa)*\\1x$", a, "5000 a then !x", -1);
	memcpy(a + n, "x!", 3);
	gives_up("^(a|a)*x$", a, "5000 a then x!", -1);
	gives_up("(a*)*x$", a, "5000 a then x!", -1);
	a[n] = '\0';
	a[n - 1] = '!';
	gives_up("^(a+)+$", a, "4999 a then !", -1);
	gives_up("^(a|aa)+$", a, "4999 a then !", -1);
	gives_up("^(\\w+\\s?)+$", a, "4999 a then !", -1);

	/* and through classification: rules that give up do not apply */
	c = config("{'rules':[{'match':{'subject':'^(a+)+$'},'set':{'impact':'high'}},"
		   "{'match':{'text':'^(a|aa)*\\\\1x$'},'set':{'urgency':'high'}},"
		   "{'match':{'text':'^(a|aa)+$','source':'email'},'set':{'urgency':'high'}},"
		   "{'match':{'text':'^(a|aa)+$','source':'phone'},'set':{'urgency':'low'}}]}");
	incident(&r, a, a);
	set(&r.source, "email");
	explain = json_object();
	t0 = seconds();
	inc_classify(c, &r, 0, explain, gave);
	dt = seconds() - t0;
	snprintf(d, sizeof d, "took %.3f s", dt);
	check(dt < BOUND_S, "classification with catastrophic rules is bounded", d);
	check(!r.impact && !r.urgency, "rules that give up do not apply", NULL);
	/* and say so: the first in gave_up, each in the explanation */
	str_is("the first rule that gave up", gave, "rules[0]: match.subject");
	{
		char *got = json_dumps(json_object_get(explain, "gave_up"), JSON_COMPACT);
		/* rule 1 is a sure no (no "x"), rule 3 too (the source), whatever
		 * its text did */
		char *want = dequote("[{'index':0,'field':'subject'},{'index':2,'field':'text'}]");

		str_is("the rules that gave up, explained", got, want);
		free(got);
		free(want);
	}
	json_decref(explain);
	inc_incident_clear(&r);
	inc_config_free(c);
	free(a);
}

/* A 16 MiB description: only the first 64 KiB is looked at. */
static void
test_huge(void)
{
	size_t n = (size_t)16 << 20, k = 65536;
	char *s = buffer(n), err[INC_ERRLEN];
	struct inc_rule_re *needle = inc_rule_re_new("needle", err);
	struct inc_rule_re *tail = inc_rule_re_new("q$", err);
	struct inc_rule_re *emoji = inc_rule_re_new("\\x{1F600}", err);
	struct inc_config *c;
	struct inc_incident r;
	double t0, dt;
	char d[64];

	memset(s, 'q', n);
	s[n] = '\0';
	/* within the first 64 KiB, up to its last byte */
	memcpy(s + 1000, "NEEDLE", 6);
	check(inc_rule_re_match(needle, s) == 1, "a match within 64 KiB is found", NULL);
	memcpy(s + 1000, "qqqqqq", 6);
	memcpy(s + k - 6, "needle", 6);
	check(inc_rule_re_match(needle, s) == 1, "a match ending at 64 KiB is found", NULL);
	memcpy(s + k - 6, "qqqqqq", 6);
	/* across the bound, beyond it, at the very end */
	memcpy(s + k - 3, "needle", 6);
	check(inc_rule_re_match(needle, s) == 0, "a match across 64 KiB is not found", NULL);
	memcpy(s + k - 3, "qqqqqq", 6);
	memcpy(s + k + 10, "needle", 6);
	check(inc_rule_re_match(needle, s) == 0, "a match beyond 64 KiB is not found", NULL);
	memcpy(s + n - 6, "needle", 6);
	check(inc_rule_re_match(needle, s) == 0, "a match at 16 MiB is not found", NULL);

	/* bounded in time: ten rules' worth of matching (the limit leaves
	 * room for valgrind, under which strlen() of 16 MiB takes 0.2 s) */
	t0 = seconds();
	for (int i = 0; i < 10; i++)
		inc_rule_re_match(needle, s);
	dt = seconds() - t0;
	snprintf(d, sizeof d, "took %.3f s", dt);
	check(dt < 5.0, "10 matches on 16 MiB are bounded", d);

	/* the cut falls on a character boundary: a 4-byte character across
	 * 64 KiB is left out whole, what comes before is still seen */
	memcpy(s + k - 2, "\xf0\x9f\x98\x80", 4);
	check(inc_rule_re_match(emoji, s) == 0, "a character across 64 KiB is left out", NULL);
	memcpy(s + k - 2, "qqqq", 4);
	memcpy(s + k - 4, "\xf0\x9f\x98\x80", 4);
	check(inc_rule_re_match(emoji, s) == 1, "a character ending at 64 KiB is seen", NULL);
	memcpy(s + k - 4, "qqqq", 4);
	/*
	 * "$" is the end of the text, not of what was looked at: s ends in
	 * "needle", so "q$" must not hold; it does at the cut (no
	 * PCRE2_NOTEOL when the subject is cut).
	 */
	check(inc_rule_re_match(tail, s) == 0, "/q$/ does not hold at the 64 KiB cut", NULL);

	/* through classification: text on a 16 MiB description */
	c = config("{'rules':[{'match':{'text':'needle'},'set':{'impact':'high'}}]}");
	incident(&r, "subject", NULL);
	r.description = s;	/* borrowed: no 16 MiB copy */
	check(inc_classify(c, &r, 0, NULL, NULL) == 0 && !r.impact,
	      "classify: a needle at 16 MiB is not found", NULL);
	memcpy(s + 20000, "needle", 6);
	t0 = seconds();
	check(inc_classify(c, &r, 0, NULL, NULL) == 1 && inc_streq(r.impact, "high"),
	      "classify: a needle within 64 KiB is found", NULL);
	dt = seconds() - t0;
	snprintf(d, sizeof d, "took %.3f s", dt);
	check(dt < BOUND_S, "classify on 16 MiB is bounded", d);
	r.description = NULL;
	inc_incident_clear(&r);
	inc_config_free(c);
	inc_rule_re_free(needle);
	inc_rule_re_free(tail);
	inc_rule_re_free(emoji);
	free(s);
}

/* Work quadratic in the text, which the match limit does not count
 * (a single-character repeat at every starting position): given up in
 * time; and the windows of starting positions that bound it lose no
 * match, wherever it starts, a multibyte character on a window's edge
 * included. */
static void
test_quadratic(void)
{
	size_t n = 65536;
	char *s = buffer(n), err[INC_ERRLEN];
	struct inc_rule_re *re;

	memset(s, 'b', n);
	s[n] = '\0';
	gives_up("(\\w+)?\\s*a[^a]", s, "64 KiB of letters", 2);
	re = inc_rule_re_new("bz", err);
	for (size_t at = 1020; at < 1030; at++) {
		char what[64];

		s[at + 1] = 'z';
		snprintf(what, sizeof what, "a match starting at %zu is found", at);
		check(inc_rule_re_match(re, s) == 1, what, NULL);
		s[at + 1] = 'b';
	}
	inc_rule_re_free(re);
	/* a 4-byte character across the first window's edge, then a match */
	memcpy(s + 1022, "\xf0\x9f\x98\x80z", 5);
	re = inc_rule_re_new("\\x{1F600}z", err);
	check(inc_rule_re_match(re, s) == 1, "a character across a window's edge is matched", NULL);
	inc_rule_re_free(re);
	re = inc_rule_re_new("^b", err);
	check(inc_rule_re_match(re, s) == 1, "^ is the text's start only", NULL);
	inc_rule_re_free(re);
	re = inc_rule_re_new("^z", err);
	check(inc_rule_re_match(re, s) == 0, "^ does not match at a window's start", NULL);
	inc_rule_re_free(re);
	/* a text of exactly one window: a match that starts at its end, the
	 * one position past the window, is still tried */
	memset(s, 'b', 1024);
	s[1024] = '\0';
	re = inc_rule_re_new("(?<=b)\\z", err);
	check(inc_rule_re_match(re, s) == 1, "a match at the end of a text of one window is found", NULL);
	inc_rule_re_free(re);
	free(s);
}

/* What POSIX and GNU regcomp() read, read the same way: \< and \> as
 * word start and end, {,n} as {0,n}, "$" at the very end only. */
static void
test_posix_compat(void)
{
	static const struct {
		const char *pattern, *subject;
		int want;
	} cases[] = {
		{"\\<vpn\\>", "the vpn is down", 1},
		{"\\<vpn\\>", "openvpn is down", 0},
		{"\\<vpn\\>", "vpnclient is down", 0},
		{"\\<vpn", "VPN", 1},
		{"^a{,3}b$", "aab", 1},
		{"^a{,3}b$", "aaaab", 0},
		{"down$", "down", 1},
		{"down$", "down\n", 0},
		{"[[:digit:]]{3}", "room 204", 1},
		{"[]a]", "]", 1},
		{"[^]a]x", "bx", 1},
		{"[\\<]", "<", 1},
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char err[INC_ERRLEN], what[256];
		struct inc_rule_re *re = inc_rule_re_new(cases[i].pattern, err);

		snprintf(what, sizeof what, "/%s/ on \"%s\" is %d", cases[i].pattern,
			 cases[i].subject, cases[i].want);
		check(re && inc_rule_re_match(re, cases[i].subject) == cases[i].want, what,
		      re ? NULL : err);
		inc_rule_re_free(re);
	}
}

int
main(void)
{
	struct inc_config *c = config(cfg_text);

	cfg = c;
	test_rules();
	test_kept();
	test_unset();
	test_syntax();
	test_posix_compat();
	test_long_text();
	test_redos();
	test_huge();
	test_quadratic();
	inc_config_free(c);
	printf("%d passed, %d failed\n", passed, failed);
	return failed != 0;
}
