/*
 * time_test.c - unit tests for lib/time.c: the time forms of SPEC section 4
 * (ISO 8601 with Z or an offset, epoch seconds, relative times), their
 * formatting across 1970 and leap years, durations; local times in the
 * desk's zone (read and written) and durations for people.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "inc.h"

static int passed, failed;

/* 2026-11-27T04:23:00Z, the instant most forms below name */
#define T0 INT64_C(1795753380)
#define NOW INT64_C(1795773600)	/* 2026-11-27T10:00:00Z */
#define INC_C(x) INT64_C(x)

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
parse_ok(const char *s, int rel, int64_t want)
{
	int64_t got = 0;
	char d[128];
	int rc = inc_time_parse(s, NOW, rel, &got);

	snprintf(d, sizeof d, "rc %d, got %" PRId64 ", want %" PRId64, rc, got, want);
	check(rc == 0 && got == want, s, d);
}

static void
parse_bad(const char *s, int rel)
{
	int64_t got = 0;
	char what[128];

	snprintf(what, sizeof what, "bad time \"%s\" (rel %d)", s, rel);
	check(inc_time_parse(s, NOW, rel, &got) < 0, what, NULL);
}

/* A formatter's output: kind is "format" or "duration format". */
static void
string_is(const char *kind, int64_t v, const char *got, const char *want)
{
	char what[64];

	snprintf(what, sizeof what, "%s %" PRId64, kind, v);
	check(strcmp(got, want) == 0, what, got);
}

static void
format_is(int64_t t, const char *want)
{
	char buf[INC_TIMELEN];

	string_is("format", t, inc_time_format(t, buf), want);
}

/* Formatting then parsing gives the instant back. */
static void
round_trip(int64_t t)
{
	char buf[INC_TIMELEN], what[64];
	int64_t back = 0;

	snprintf(what, sizeof what, "round trip %" PRId64, t);
	inc_time_format(t, buf);
	check(inc_time_parse(buf, NOW, 0, &back) == 0 && back == t, what, buf);
}

static void
duration_ok(const char *s, int64_t want)
{
	int64_t got = -1;
	char d[96];
	int rc = inc_duration_parse(s, &got);

	snprintf(d, sizeof d, "rc %d, got %" PRId64 ", want %" PRId64, rc, got, want);
	check(rc == 0 && got == want, s, d);
}

static void
duration_bad(const char *s)
{
	int64_t got = 0;
	char what[128];

	snprintf(what, sizeof what, "bad duration \"%s\"", s);
	check(inc_duration_parse(s, &got) < 0, what, NULL);
}

/* Well formed but past INC_DURATION_MAX: -2, so that a config can say so. */
static void
duration_long(const char *s)
{
	int64_t got = 0;
	char what[128];

	snprintf(what, sizeof what, "too long \"%s\"", s);
	check(inc_duration_parse(s, &got) == -2, what, NULL);
}

static void
duration_format_is(int64_t secs, const char *want)
{
	char buf[INC_TIMELEN];

	string_is("duration format", secs, inc_duration_format(secs, buf), want);
}

static void
test_parse(void)
{
	/* the output form, and every offset form naming the same instant */
	parse_ok("2026-11-27T04:23:00Z", 0, T0);
	parse_ok("2026-11-27t04:23:00z", 0, T0);
	parse_ok("2026-11-27 04:23:00Z", 0, T0);
	parse_ok("2026-11-27T05:23:00+01:00", 0, T0);
	parse_ok("2026-11-27T05:23:00+0100", 0, T0);
	parse_ok("2026-11-27T05:23:00+01", 0, T0);
	parse_ok("2026-11-26T23:23:00-05:00", 0, T0);
	parse_ok("2026-11-27T09:53:00+05:30", 0, T0);
	parse_ok("2026-11-27T04:23:00+00:00", 0, T0);
	parse_ok("2026-11-27T04:23:00-00:00", 0, T0);
	/* minutes without seconds; fractions dropped, not rounded */
	parse_ok("2026-11-27T04:23Z", 0, T0);
	parse_ok("2026-11-27T04:23:00.999Z", 0, T0);
	parse_ok("2026-11-27T04:23:00,5Z", 0, T0);
	/* no offset and no zone: UTC, like the output */
	parse_ok("2026-11-27T04:23:00", 0, T0);
	/* a date alone and no zone: midnight UTC */
	parse_ok("2026-11-27", 0, T0 - (4 * 3600 + 23 * 60));
	/* 24:00 is the end of the day; a leap second the minute's last second */
	parse_ok("2026-11-26T24:00:00Z", 0, T0 - (4 * 3600 + 23 * 60));
	parse_ok("2026-12-31T23:59:60Z", 0, INT64_C(1798761599));
	/* epoch seconds */
	parse_ok("1795753380", 0, T0);
	parse_ok("0", 0, 0);
	/* before 1970, leap days */
	/* only years 1970 to 9999 are times a record holds */
	parse_bad("1969-12-31T23:59:59Z", 0);
	parse_bad("1969-07-20T20:17:40Z", 0);
	parse_bad("1900-03-01T00:00:00Z", 0);
	parse_bad("-1", 0);
	parse_bad("253402300800", 0);
	parse_bad("99999999999999999", 0);
	parse_bad("-9223372036854775000", 0);
	parse_ok("1970-01-01T00:00:00Z", 0, 0);
	parse_ok("9999-12-31T23:59:59Z", 0, INT64_C(253402300799));
	parse_ok("253402300799", 0, INT64_C(253402300799));
	parse_ok("2024-02-29T12:00:00Z", 0, INT64_C(1709208000));
	parse_ok("2000-02-29T00:00:00Z", 0, INT64_C(951782400));
	parse_bad("0001-01-01T00:00:00Z", 0);
	parse_ok("9999-12-31T23:59:59Z", 0, INT64_C(253402300799));
	/* relative forms, only where allowed */
	parse_ok("now", 1, NOW);
	parse_ok("-7d", 1, NOW - 7 * 86400);
	parse_ok("+2h", 1, NOW + 7200);
	parse_ok("-1h30m", 1, NOW - 5400);
	parse_ok("-90", 1, NOW - 90);
	parse_ok("2026-11-27T04:23:00Z", 1, T0);
	parse_bad("now", 0);
	parse_bad("-7d", 0);
	parse_bad("+2h", 0);
	parse_bad("-90", 0);

	parse_bad("", 0);
	parse_bad("", 1);
	parse_bad("bad", 0);
	parse_bad("-", 1);
	parse_bad("-x", 1);
	parse_bad("2026-13-01T00:00:00Z", 0);
	parse_bad("2026-00-01T00:00:00Z", 0);
	parse_bad("2026-11-00T00:00:00Z", 0);
	parse_bad("2026-11-31T00:00:00Z", 0);
	parse_bad("2026-02-29T00:00:00Z", 0);	/* not a leap year */
	parse_bad("1900-02-29T00:00:00Z", 0);	/* nor is 1900 */
	parse_bad("2026-11-27T25:00:00Z", 0);
	parse_bad("2026-11-27T24:01:00Z", 0);
	parse_bad("2026-11-27T04:60:00Z", 0);
	parse_bad("2026-11-27T04:23:61Z", 0);
	parse_bad("2026-11-27T4:23:00Z", 0);
	parse_bad("2026-11-27T04:23:00.Z", 0);
	parse_bad("2026-11-27T04:23:00+1", 0);
	parse_bad("2026-11-27T04:23:00+24:00", 0);
	parse_bad("2026-11-27T04:23:00+01:60", 0);
	parse_bad("2026-11-27T04:23:00Zjunk", 0);
	parse_bad("2026-11-27T04:23:00 Z", 0);
	parse_bad("2026-11-27T", 0);
	parse_bad("2026-11-27X", 0);
	parse_bad("26-11-27", 0);
	parse_bad("2026/11/27", 0);
	parse_bad("12abc", 0);
	parse_bad("99999999999999999999", 0);
}

static void
test_format(void)
{
	format_is(0, "1970-01-01T00:00:00Z");
	format_is(T0, "2026-11-27T04:23:00Z");
	format_is(-1, "1969-12-31T23:59:59Z");
	format_is(-86400, "1969-12-31T00:00:00Z");
	format_is(-86401, "1969-12-30T23:59:59Z");
	format_is(INT64_C(-14182940), "1969-07-20T20:17:40Z");
	format_is(INT64_C(-2203891200), "1900-03-01T00:00:00Z");
	format_is(INT64_C(-2203891201), "1900-02-28T23:59:59Z");
	format_is(INT64_C(951782400), "2000-02-29T00:00:00Z");
	format_is(INT64_C(951868800), "2000-03-01T00:00:00Z");
	format_is(INT64_C(1709208000), "2024-02-29T12:00:00Z");
	format_is(INT64_C(1735689599), "2024-12-31T23:59:59Z");
	format_is(INT64_C(1735689600), "2025-01-01T00:00:00Z");
	format_is(INT64_C(-62135596800), "0001-01-01T00:00:00Z");
	format_is(INT64_C(253402300799), "9999-12-31T23:59:59Z");
	/* outside years 0-9999 ISO 8601 has no plain form: epoch seconds */
	format_is(INT64_C(253402300800), "253402300800");
	for (int64_t t = 0; t < INT64_C(4200000000); t += INT64_C(86399 * 397 + 17))
		round_trip(t);
}

/* JSON times: integers in range, INT64_MIN (the library's null) is none;
 * a relative time may not leave the range from a far now. */
static void
test_edges(void)
{
	json_t *v;
	int64_t t = 0;

	v = json_integer(INT64_MIN);
	check(inc_time_from_json(v, NOW, &t) < 0, "JSON INT64_MIN is no time", NULL);
	json_decref(v);
	v = json_integer(INT64_C(1405933105933196));
	check(inc_time_from_json(v, NOW, &t) < 0, "JSON far future is no time", NULL);
	json_decref(v);
	v = json_integer(NOW);
	check(inc_time_from_json(v, NOW, &t) == 0 && t == NOW, "JSON epoch seconds", NULL);
	json_decref(v);
	check(inc_time_parse("+1s", INT64_MAX, 1, &t) < 0, "+1s from a now past the range", NULL);
	check(inc_time_parse("+1s", INT64_C(253402300799), 1, &t) < 0, "+1s past 9999", NULL);
	check(inc_time_parse("-1s", 0, 1, &t) < 0, "-1s before 1970", NULL);
}

static void
test_duration(void)
{
	duration_ok("90s", 90);
	duration_ok("15m", 900);
	duration_ok("4h", 14400);
	duration_ok("2d", 172800);
	duration_ok("1h30m", 5400);
	duration_ok("1d2h3m4s", 93784);
	duration_ok("1w", 604800);
	duration_ok("90", 90);
	duration_ok("0", 0);
	duration_ok("0s", 0);
	duration_ok("16h", 57600);

	duration_bad(NULL);
	duration_bad("");
	duration_bad("h");
	duration_bad("1x");
	duration_bad("1h1");
	duration_bad("1H");
	duration_bad("-5m");
	duration_bad("+5m");
	duration_bad(" 5m");
	duration_bad("5m ");
	duration_bad("1.5h");
	/* largest unit first, each once */
	duration_bad("30m1h");
	duration_bad("1h1h");
	duration_bad("5s1d");
	duration_ok("1w2d", 777600);
	duration_bad("99999999999999999999");
	duration_bad("9223372036854775807s");
	duration_bad("99999999999999w");
	/* each part fits, the sum does not */
	duration_bad("2000000000000000000s2000000000000000000s");
	/* up to 100 years: a 9999999999w target would never breach */
	duration_bad("9999999999w");
	duration_bad("36601d");
	duration_ok("36600d", INT64_C(36600) * 86400);
	/* too long but well formed (-2), or malformed after the digits (-1) */
	duration_long("36601d");
	duration_long("3162240001");
	duration_long("99999999999999999999");
	duration_long("9999999999w");
	duration_long("2000000000000000000m2000000000000000000s");
	duration_long("36000d36000h");
	duration_long("1w99999999999999999999999s");
	duration_bad("99999999999999999999x");
	duration_bad("99999999999999999999s1h");
	duration_ok("3162240000", INC_DURATION_MAX);

	duration_format_is(0, "0s");
	duration_format_is(-5, "0s");
	duration_format_is(59, "59s");
	duration_format_is(60, "1m");
	duration_format_is(5400, "1h30m");
	duration_format_is(86400, "1d");
	duration_format_is(93784, "1d2h3m4s");
	duration_format_is(604800, "7d");
}

static void
local_ok(const struct inc_tz *tz, const char *s, int64_t want)
{
	int64_t got = 0;
	char d[128];
	int rc = inc_time_parse_tz(s, NOW, 1, tz, &got);

	snprintf(d, sizeof d, "rc %d, got %" PRId64 ", want %" PRId64, rc, got, want);
	check(rc == 0 && got == want, s, d);
}

static void
test_local(void)
{
	struct inc_tz *berlin = NULL;
	char err[INC_ERRLEN], buf[INC_TIMELEN];
	json_t *v;
	int64_t t = 0;

	if (inc_tz_load("Europe/Berlin", &berlin, err) < 0) {
		check(0, "load Europe/Berlin", err);
		return;
	}
	/* without an offset, the desk's local time; a date its local midnight */
	local_ok(berlin, "2026-11-27T11:00:00", NOW);
	local_ok(berlin, "2026-11-27 11:00", NOW);
	local_ok(berlin, "2026-11-27", INC_C(1795734000));
	local_ok(berlin, "2026-07-01T12:00", INC_C(1782900000));
	/* a spring-gap time is the end of the gap; an autumn one the first */
	local_ok(berlin, "2026-03-29T02:30:00", INC_C(1774746000));
	local_ok(berlin, "2026-10-25T02:30:00", INC_C(1792888200));
	/* Z, offsets, epoch seconds and relative times are what they say */
	local_ok(berlin, "2026-11-27T10:00:00Z", NOW);
	local_ok(berlin, "2026-11-27T10:00:00+00:00", NOW);
	local_ok(berlin, "1795773600", NOW);
	local_ok(berlin, "-1h", NOW - 3600);
	local_ok(NULL, "2026-11-27T11:00:00", NOW + 3600);
	v = json_string("2026-11-27T11:00");
	check(inc_time_from_json_tz(v, 0, berlin, &t) == 0 && t == NOW, "json local", NULL);
	json_decref(v);

	string_is("local", NOW, inc_time_local(NOW, berlin, buf), "2026-11-27 11:00");
	string_is("local", NOW, inc_time_local(NOW, NULL, buf), "2026-11-27 10:00");
	string_is("local", INC_C(1782900000), inc_time_local(INC_C(1782900000), berlin, buf),
		  "2026-07-01 12:00");
	string_is("local", NOW + 59, inc_time_local(NOW + 59, berlin, buf), "2026-11-27 11:00");
	string_is("local", -1, inc_time_local(-1, NULL, buf), "1969-12-31 23:59");
	check(inc_local_offset(berlin, NOW) == 3600 && inc_local_offset(NULL, NOW) == 0,
	      "offset", NULL);
	inc_tz_free(berlin);
}

static void
human_is(int64_t secs, const char *want)
{
	char buf[INC_TIMELEN];

	string_is("human", secs, inc_duration_human(secs, buf), want);
}

static void
test_human(void)
{
	human_is(0, "0s");
	human_is(45, "45s");
	human_is(60, "1m");
	human_is(45 * 60 + 59, "45m");
	human_is(3600, "1h");
	human_is(3 * 3600 + 20 * 60 + 7, "3h 20m");
	human_is(86400, "1d");
	human_is(188729, "2d 4h");
	human_is(2 * 86400 + 59 * 60, "2d");
	human_is(400 * 86400 + 3600, "400d 1h");
	human_is(-7200, "-2h");
	human_is(INT64_MIN, "-106751991167300d 15h");
}

int
main(void)
{
	test_parse();
	test_format();
	test_duration();
	test_edges();
	test_local();
	test_human();
	printf("%d passed, %d failed\n", passed, failed);
	return failed != 0;
}
