/*
 * calendar_test.c - unit tests of lib/tz.c and lib/calendar.c: zone
 * offsets checked against the C library over many instants, and calendar
 * arithmetic checked against values worked out by hand (each next to its
 * case) and against a minute-by-minute count made through the C library.
 *
 * Only this test sets TZ: the library never does.
 */
#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE		/* setenv, timegm, mkdtemp */
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../../lib/inc.h"

static int npass, nfail;

static void
check(const char *name, int64_t got, int64_t want)
{
	if (got == want) {
		npass++;
		return;
	}
	nfail++;
	printf("FAIL %s: got %lld, want %lld\n", name, (long long)got, (long long)want);
}

static void
check_str(const char *name, const char *got, const char *want)
{
	if (got && strcmp(got, want) == 0) {
		npass++;
		return;
	}
	nfail++;
	printf("FAIL %s: got \"%s\", want \"%s\"\n", name, got ? got : "(null)", want);
}

/* UTC instant of a civil time; timegm is the C library's, not ours. */
static int64_t
ts(int y, int mo, int d, int h, int mi, int s)
{
	struct tm tm = {0};

	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = s;
	return (int64_t)timegm(&tm);
}

/* xorshift64: a fixed seed makes every run the same. */
static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint64_t
rnd(uint64_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng % n;
}

static struct inc_tz *
zone(const char *name)
{
	struct inc_tz *tz;
	char err[INC_ERRLEN];

	if (inc_tz_load(name, &tz, err) < 0) {
		nfail++;
		printf("FAIL load %s: %s\n", name, err);
		return NULL;
	}
	return tz;
}

static struct inc_calendar *
cal(const char *json)
{
	json_error_t je;
	json_t *o = json_loads(json, 0, &je);
	struct inc_calendar *c;
	char err[INC_ERRLEN];

	if (!o) {
		nfail++;
		printf("FAIL bad test JSON %s: %s\n", json, je.text);
		return NULL;
	}
	c = inc_calendar_new(o, err);
	json_decref(o);
	if (!c) {
		nfail++;
		printf("FAIL calendar %s: %s\n", json, err);
	}
	return c;
}

/* The calendar must be refused with exactly this message. */
static void
refused(const char *json, const char *want)
{
	json_t *o = json_loads(json, 0, NULL);
	struct inc_calendar *c;
	char err[INC_ERRLEN] = "";

	c = inc_calendar_new(o, err);
	json_decref(o);
	if (c) {
		nfail++;
		printf("FAIL refuse %s: accepted\n", json);
		inc_calendar_free(c);
		return;
	}
	check_str(json, err, want);
}

/* ---- zones ---- */

/* Offsets against glibc's localtime_r over random instants 1970-2100
 * (past 2038 the TZif footer rule decides) and the hours around each
 * transition of 2026 and 2045. */
static void
test_glibc(const char *name)
{
	struct inc_tz *tz = zone(name);
	char label[128];
	int bad = 0;

	if (!tz)
		return;
	setenv("TZ", name, 1);
	tzset();
	for (int i = 0; i < 40000; i++) {
		int64_t t = i < 20000 ? (int64_t)rnd(130ULL * 365 * 86400) :
			    ts(i < 30000 ? 2026 : 2045, 1, 1, 0, 0, 0) +
			    (int64_t)rnd(365ULL * 86400);
		time_t tt = (time_t)t;
		struct tm tm;

		localtime_r(&tt, &tm);
		if (inc_tz_offset(tz, t) != tm.tm_gmtoff && bad++ < 3)
			printf("FAIL %s at %lld: got %ld, want %ld\n", name, (long long)t,
			       inc_tz_offset(tz, t), (long)tm.tm_gmtoff);
		/* and back: the local time of an instant maps to the instant,
		 * or to its first occurrence */
		if (inc_tz_to_utc(tz, t + tm.tm_gmtoff) > t && bad++ < 3)
			printf("FAIL %s to_utc(local of %lld) later than it\n", name, (long long)t);
	}
	snprintf(label, sizeof label, "offsets of %s agree with glibc", name);
	check(label, bad, 0);
	inc_tz_free(tz);
}

static void
test_offsets(void)
{
	struct inc_tz *tz;

	test_glibc("Europe/Berlin");
	test_glibc("America/New_York");
	test_glibc("Australia/Sydney");
	test_glibc("Asia/Kolkata");
	test_glibc("UTC");
	test_glibc("America/Nuuk");	/* footer with negative times: M3.5.0/-1 */
	test_glibc("Asia/Jerusalem");	/* footer with 26:00: M3.4.4/26 */
	test_glibc("Australia/Lord_Howe");	/* a 30-minute DST */
	unsetenv("TZ");
	tzset();

	if ((tz = zone("Europe/Berlin"))) {
		/* CET is +1h, CEST +2h; 2026's change is Sunday March 29 at
		 * 02:00 CET = 01:00Z, back on Sunday October 25 at 03:00 CEST
		 * = 01:00Z */
		check("Berlin winter", inc_tz_offset(tz, ts(2026, 1, 15, 12, 0, 0)), 3600);
		check("Berlin summer", inc_tz_offset(tz, ts(2026, 7, 1, 12, 0, 0)), 7200);
		check("Berlin 1s before spring", inc_tz_offset(tz, ts(2026, 3, 29, 0, 59, 59)), 3600);
		check("Berlin at spring", inc_tz_offset(tz, ts(2026, 3, 29, 1, 0, 0)), 7200);
		check("Berlin 1s before fall", inc_tz_offset(tz, ts(2026, 10, 25, 0, 59, 59)), 7200);
		check("Berlin at fall", inc_tz_offset(tz, ts(2026, 10, 25, 1, 0, 0)), 3600);
		/* 2040's last Sunday of March is the 25th: footer rule only */
		check("Berlin 2040 before spring", inc_tz_offset(tz, ts(2040, 3, 25, 0, 59, 59)), 3600);
		check("Berlin 2040 at spring", inc_tz_offset(tz, ts(2040, 3, 25, 1, 0, 0)), 7200);
		check("Berlin 2040 summer", inc_tz_offset(tz, ts(2040, 7, 1, 12, 0, 0)), 7200);
		check("Berlin 2100 winter", inc_tz_offset(tz, ts(2100, 1, 1, 0, 0, 0)), 3600);
		/* gap: 02:00-03:00 local on 2026-03-29 does not exist; all of
		 * it maps to the change, 01:00Z */
		check("Berlin to_utc 01:59:59 before gap",
		      inc_tz_to_utc(tz, ts(2026, 3, 29, 1, 59, 59)), ts(2026, 3, 29, 0, 59, 59));
		check("Berlin to_utc 02:00 gap", inc_tz_to_utc(tz, ts(2026, 3, 29, 2, 0, 0)),
		      ts(2026, 3, 29, 1, 0, 0));
		check("Berlin to_utc 02:30 gap", inc_tz_to_utc(tz, ts(2026, 3, 29, 2, 30, 0)),
		      ts(2026, 3, 29, 1, 0, 0));
		check("Berlin to_utc 03:00 after gap", inc_tz_to_utc(tz, ts(2026, 3, 29, 3, 0, 0)),
		      ts(2026, 3, 29, 1, 0, 0));
		check("Berlin to_utc 03:00:01 after gap", inc_tz_to_utc(tz, ts(2026, 3, 29, 3, 0, 1)),
		      ts(2026, 3, 29, 1, 0, 1));
		/* overlap: 02:00-03:00 on 2026-10-25 happens twice; the first
		 * (CEST, +2h) wins: 02:30 -> 00:30Z, not 01:30Z */
		check("Berlin to_utc 01:59:59 before overlap",
		      inc_tz_to_utc(tz, ts(2026, 10, 25, 1, 59, 59)), ts(2026, 10, 24, 23, 59, 59));
		check("Berlin to_utc 02:00 overlap", inc_tz_to_utc(tz, ts(2026, 10, 25, 2, 0, 0)),
		      ts(2026, 10, 25, 0, 0, 0));
		check("Berlin to_utc 02:30 overlap", inc_tz_to_utc(tz, ts(2026, 10, 25, 2, 30, 0)),
		      ts(2026, 10, 25, 0, 30, 0));
		check("Berlin to_utc 02:59:59 overlap", inc_tz_to_utc(tz, ts(2026, 10, 25, 2, 59, 59)),
		      ts(2026, 10, 25, 0, 59, 59));
		/* 03:00 exists once, in CET: 02:00Z */
		check("Berlin to_utc 03:00 after overlap", inc_tz_to_utc(tz, ts(2026, 10, 25, 3, 0, 0)),
		      ts(2026, 10, 25, 2, 0, 0));
		/* 2040-10-28, footer only: 02:30 first in CEST = 00:30Z */
		check("Berlin to_utc 2040 overlap", inc_tz_to_utc(tz, ts(2040, 10, 28, 2, 30, 0)),
		      ts(2040, 10, 28, 0, 30, 0));
		check("Berlin to_utc 2040 gap", inc_tz_to_utc(tz, ts(2040, 3, 25, 2, 30, 0)),
		      ts(2040, 3, 25, 1, 0, 0));
		inc_tz_free(tz);
	}
	if ((tz = zone("America/New_York"))) {
		/* EST -5h, EDT -4h; 2026-03-08 02:00 EST = 07:00Z, back
		 * 2026-11-01 02:00 EDT = 06:00Z */
		check("NY winter", inc_tz_offset(tz, ts(2026, 1, 15, 12, 0, 0)), -18000);
		check("NY summer", inc_tz_offset(tz, ts(2026, 7, 1, 12, 0, 0)), -14400);
		check("NY 1s before spring", inc_tz_offset(tz, ts(2026, 3, 8, 6, 59, 59)), -18000);
		check("NY at spring", inc_tz_offset(tz, ts(2026, 3, 8, 7, 0, 0)), -14400);
		check("NY at fall", inc_tz_offset(tz, ts(2026, 11, 1, 6, 0, 0)), -18000);
		/* 2045-11-05 (first Sunday) 02:00 EDT = 06:00Z */
		check("NY 2045 1s before fall", inc_tz_offset(tz, ts(2045, 11, 5, 5, 59, 59)), -14400);
		check("NY 2045 at fall", inc_tz_offset(tz, ts(2045, 11, 5, 6, 0, 0)), -18000);
		/* gap 02:00-03:00 on 03-08: 02:30 -> the change, 07:00Z */
		check("NY to_utc gap", inc_tz_to_utc(tz, ts(2026, 3, 8, 2, 30, 0)), ts(2026, 3, 8, 7, 0, 0));
		/* 01:30 on 11-01 twice: EDT first, 05:30Z (EST would be 06:30Z) */
		check("NY to_utc overlap", inc_tz_to_utc(tz, ts(2026, 11, 1, 1, 30, 0)),
		      ts(2026, 11, 1, 5, 30, 0));
		check("NY to_utc plain", inc_tz_to_utc(tz, ts(2026, 7, 4, 12, 0, 0)), ts(2026, 7, 4, 16, 0, 0));
		inc_tz_free(tz);
	}
	if ((tz = zone("Australia/Sydney"))) {
		/* southern: AEDT +11h in January, AEST +10h in July; DST ends
		 * 2026-04-05 03:00 AEDT = 04-04 16:00Z, starts 2026-10-04
		 * 02:00 AEST = 10-03 16:00Z */
		check("Sydney January", inc_tz_offset(tz, ts(2026, 1, 15, 0, 0, 0)), 39600);
		check("Sydney July", inc_tz_offset(tz, ts(2026, 7, 15, 0, 0, 0)), 36000);
		check("Sydney 1s before April", inc_tz_offset(tz, ts(2026, 4, 4, 15, 59, 59)), 39600);
		check("Sydney at April", inc_tz_offset(tz, ts(2026, 4, 4, 16, 0, 0)), 36000);
		check("Sydney 1s before October", inc_tz_offset(tz, ts(2026, 10, 3, 15, 59, 59)), 36000);
		check("Sydney at October", inc_tz_offset(tz, ts(2026, 10, 3, 16, 0, 0)), 39600);
		check("Sydney 2050 January", inc_tz_offset(tz, ts(2050, 1, 15, 0, 0, 0)), 39600);
		/* 04-05 02:30 twice: AEDT first = 04-04 15:30Z */
		check("Sydney to_utc overlap", inc_tz_to_utc(tz, ts(2026, 4, 5, 2, 30, 0)),
		      ts(2026, 4, 4, 15, 30, 0));
		/* 10-04 02:30 missing: the change, 10-03 16:00Z */
		check("Sydney to_utc gap", inc_tz_to_utc(tz, ts(2026, 10, 4, 2, 30, 0)),
		      ts(2026, 10, 3, 16, 0, 0));
		inc_tz_free(tz);
	}
	if ((tz = zone("Asia/Kolkata"))) {
		/* IST +5:30, no DST since 1945 */
		check("Kolkata", inc_tz_offset(tz, ts(2026, 6, 1, 0, 0, 0)), 19800);
		check("Kolkata 2050", inc_tz_offset(tz, ts(2050, 1, 1, 0, 0, 0)), 19800);
		check("Kolkata to_utc", inc_tz_to_utc(tz, ts(2026, 6, 1, 5, 30, 0)), ts(2026, 6, 1, 0, 0, 0));
		inc_tz_free(tz);
	}
	if ((tz = zone("UTC"))) {
		check("UTC", inc_tz_offset(tz, ts(2026, 6, 1, 0, 0, 0)), 0);
		check("UTC 2100", inc_tz_offset(tz, ts(2100, 6, 1, 0, 0, 0)), 0);
		check("UTC to_utc", inc_tz_to_utc(tz, 1234567890), 1234567890);
		inc_tz_free(tz);
	}
}

/* ---- TZif files of our own: footers, version 1, bad files ---- */

static void
put32(FILE *f, uint32_t v)
{
	fputc(v >> 24, f);
	fputc(v >> 16 & 255, f);
	fputc(v >> 8 & 255, f);
	fputc(v & 255, f);
}

static void
header(FILE *f, char version, uint32_t timecnt, uint32_t typecnt)
{
	fwrite("TZif", 1, 4, f);
	fputc(version, f);
	for (int i = 0; i < 15; i++)
		fputc(0, f);
	put32(f, 0);		/* isutcnt */
	put32(f, 0);		/* isstdcnt */
	put32(f, 0);		/* leapcnt */
	put32(f, timecnt);
	put32(f, typecnt);
	put32(f, 4);		/* charcnt: "XXX\0" */
}

/* A version-3 file with no transitions: only the footer rule. */
static int
write_rule(const char *dir, const char *name, const char *rule, int32_t off0)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	if (!(f = fopen(path, "wb")))
		return -1;
	for (int block = 0; block < 2; block++) {
		header(f, '3', 0, 1);
		put32(f, (uint32_t)off0);
		fputc(0, f);
		fputc(0, f);
		fwrite("XXX", 1, 4, f);
	}
	fprintf(f, "\n%s\n", rule);
	return fclose(f);
}

static void
tz_rule_case(const char *dir, const char *name, const char *rule, int32_t off0, int glibc)
{
	struct inc_tz *tz;
	char err[INC_ERRLEN], label[160];
	int bad = 0;

	if (write_rule(dir, name, rule, off0) < 0) {
		nfail++;
		printf("FAIL cannot write %s/%s\n", dir, name);
		return;
	}
	setenv("TZDIR", dir, 1);
	if (inc_tz_load(name, &tz, err) < 0) {
		unsetenv("TZDIR");
		nfail++;
		printf("FAIL load rule %s: %s\n", rule, err);
		return;
	}
	unsetenv("TZDIR");
	if (glibc) {
		/* glibc parses the string itself when TZ names no file */
		setenv("TZ", rule, 1);
		tzset();
		for (int i = 0; i < 20000; i++) {
			int64_t t = (int64_t)rnd(200ULL * 365 * 86400);
			time_t tt = (time_t)t;
			struct tm tm;

			localtime_r(&tt, &tm);
			if (inc_tz_offset(tz, t) != tm.tm_gmtoff && bad++ < 3)
				printf("FAIL rule %s at %lld: got %ld, want %ld\n", rule, (long long)t,
				       inc_tz_offset(tz, t), (long)tm.tm_gmtoff);
		}
		unsetenv("TZ");
		tzset();
		snprintf(label, sizeof label, "rule %s agrees with glibc", rule);
		check(label, bad, 0);
	}
	inc_tz_free(tz);
}

static struct inc_tz *
load_from(const char *dir, const char *name)
{
	struct inc_tz *tz;
	char err[INC_ERRLEN];

	setenv("TZDIR", dir, 1);
	if (inc_tz_load(name, &tz, err) < 0)
		tz = NULL;
	unsetenv("TZDIR");
	if (!tz) {
		nfail++;
		printf("FAIL load %s from %s: %s\n", name, dir, err);
	}
	return tz;
}

static void
load_error(const char *name, const char *want)
{
	struct inc_tz *tz = (struct inc_tz *)1;
	char err[INC_ERRLEN] = "";

	check(name, inc_tz_load(name, &tz, err), -1);
	check_str(name, err, want);
	check("failed load leaves NULL", tz == NULL, 1);
}

static void
test_files(void)
{
	char dir[] = "/tmp/calendar_test.XXXXXX", path[512], err[INC_ERRLEN];
	const char *names[] = {"Perm", "Plus3", "Julian", "Zero", "Neg", "V1", "Junk", "Trunc", NULL};
	struct inc_tz *tz;
	FILE *f;

	if (!mkdtemp(dir)) {
		nfail++;
		printf("FAIL mkdtemp\n");
		return;
	}
	/* permanent DST, tzfile(5)'s own example: DST starts Jan 1 00:00
	 * EST (05:00Z) and ends Dec 31 25:00 EDT = Jan 1 01:00 EDT (05:00Z)
	 * just as the next year's starts: -4h all year. (glibc gets the
	 * hours after 00:00Z on January 1 wrong, so no glibc here.) */
	tz_rule_case(dir, "Perm", "EST5EDT,0/0,J365/25", -18000, 0);
	if ((tz = load_from(dir, "Perm"))) {
		check("perm DST Jan 1 00:30Z", inc_tz_offset(tz, ts(2030, 1, 1, 0, 30, 0)), -14400);
		check("perm DST Jan 1 05:00Z", inc_tz_offset(tz, ts(2030, 1, 1, 5, 0, 0)), -14400);
		check("perm DST July", inc_tz_offset(tz, ts(2030, 7, 1, 0, 0, 0)), -14400);
		check("perm DST Dec 31", inc_tz_offset(tz, ts(2030, 12, 31, 23, 59, 59)), -14400);
		inc_tz_free(tz);
	}
	/* no DST at all, quoted abbreviation: +3h for ever */
	tz_rule_case(dir, "Plus3", "<+03>-3", 10800, 1);
	if ((tz = load_from(dir, "Plus3"))) {
		check("<+03>-3 offset", inc_tz_offset(tz, ts(2077, 5, 5, 0, 0, 0)), 10800);
		check("<+03>-3 to_utc", inc_tz_to_utc(tz, ts(2077, 5, 5, 3, 0, 0)), ts(2077, 5, 5, 0, 0, 0));
		inc_tz_free(tz);
	}
	/* Jn never counts February 29: J60 is March 1 even in 2028; DST
	 * (-4h) from 01:30 EST = 06:30Z. J300 = Oct 27 (31+28+31+30+31+30
	 * +31+31+30 = 273, +27); "/26" is Oct 28 02:00 EDT = 06:00Z. */
	tz_rule_case(dir, "Julian", "ABC5DEF,J60/1:30,J300/26", -18000, 1);
	if ((tz = load_from(dir, "Julian"))) {
		check("Jn before start", inc_tz_offset(tz, ts(2028, 3, 1, 6, 29, 59)), -18000);
		check("Jn at start", inc_tz_offset(tz, ts(2028, 3, 1, 6, 30, 0)), -14400);
		check("Jn before end (>24h)", inc_tz_offset(tz, ts(2028, 10, 28, 5, 59, 59)), -14400);
		check("Jn at end (>24h)", inc_tz_offset(tz, ts(2028, 10, 28, 6, 0, 0)), -18000);
		inc_tz_free(tz);
	}
	/* n counts February 29, from 0: day 59 is Feb 29 in 2028, Mar 1 in
	 * 2027; start 01:00 EST = 06:00Z. Day 299 of 2028 is Oct 26 (Oct 1
	 * is day 274); "/167" is 6 days 23h later: Nov 1 23:00 EDT = Nov 2
	 * 03:00Z. */
	tz_rule_case(dir, "Zero", "ABC5DEF,59/1,299/167", -18000, 1);
	if ((tz = load_from(dir, "Zero"))) {
		check("n leap before start", inc_tz_offset(tz, ts(2028, 2, 29, 5, 59, 59)), -18000);
		check("n leap at start", inc_tz_offset(tz, ts(2028, 2, 29, 6, 0, 0)), -14400);
		check("n common at start", inc_tz_offset(tz, ts(2027, 3, 1, 6, 0, 0)), -14400);
		check("n common before start", inc_tz_offset(tz, ts(2027, 3, 1, 5, 59, 59)), -18000);
		check("n 167h before end", inc_tz_offset(tz, ts(2028, 11, 2, 2, 59, 59)), -14400);
		check("n 167h at end", inc_tz_offset(tz, ts(2028, 11, 2, 3, 0, 0)), -18000);
		inc_tz_free(tz);
	}
	/* negative times: -3h/-2h, DST from last Sunday of March at -2:00
	 * (Saturday 22:00 local, -03) = Sunday 01:00Z, to last Sunday of
	 * October at -1:00 (Saturday 23:00, -02) = Sunday 01:00Z. */
	tz_rule_case(dir, "Neg", "<-03>3<-02>,M3.5.0/-2,M10.5.0/-1", -10800, 1);
	if ((tz = load_from(dir, "Neg"))) {
		check("negative time before start", inc_tz_offset(tz, ts(2026, 3, 29, 0, 59, 59)), -10800);
		check("negative time at start", inc_tz_offset(tz, ts(2026, 3, 29, 1, 0, 0)), -7200);
		check("negative time before end", inc_tz_offset(tz, ts(2026, 10, 25, 0, 59, 59)), -7200);
		check("negative time at end", inc_tz_offset(tz, ts(2026, 10, 25, 1, 0, 0)), -10800);
		/* Saturday 22:30 local in the gap 22:00-23:00: the change */
		check("negative time to_utc gap", inc_tz_to_utc(tz, ts(2026, 3, 28, 22, 30, 0)),
		      ts(2026, 3, 29, 1, 0, 0));
		inc_tz_free(tz);
	}
	/* version 1, two transitions, no footer: +1h, +2h from 1e9, +1h
	 * again from 1.1e9 for ever */
	snprintf(path, sizeof path, "%s/V1", dir);
	if ((f = fopen(path, "wb"))) {
		header(f, 0, 2, 2);
		put32(f, 1000000000);
		put32(f, 1100000000);
		fputc(1, f);
		fputc(0, f);
		put32(f, 3600);
		fputc(0, f);
		fputc(0, f);
		put32(f, 7200);
		fputc(1, f);
		fputc(0, f);
		fwrite("XXX", 1, 4, f);
		fclose(f);
	}
	if ((tz = load_from(dir, "V1"))) {
		check("v1 before", inc_tz_offset(tz, 999999999), 3600);
		check("v1 first", inc_tz_offset(tz, 1000000000), 7200);
		check("v1 last", inc_tz_offset(tz, 1100000000), 3600);
		check("v1 far", inc_tz_offset(tz, ts(2300, 1, 1, 0, 0, 0)), 3600);
		/* local 1e9+3600 .. 1e9+7200 is the gap: the change */
		check("v1 gap", inc_tz_to_utc(tz, 1000000000 + 5000), 1000000000);
		inc_tz_free(tz);
	}
	snprintf(path, sizeof path, "%s/Junk", dir);
	if ((f = fopen(path, "wb"))) {
		fputs("this is not a zone\n", f);
		fclose(f);
	}
	/* a header promising 1000 transitions the file does not hold */
	snprintf(path, sizeof path, "%s/Trunc", dir);
	if ((f = fopen(path, "wb"))) {
		header(f, '2', 1000, 1);
		fclose(f);
	}
	setenv("TZDIR", dir, 1);
	load_error("Junk", "unknown time zone \"Junk\"");
	load_error("Europe/Berlin", "unknown time zone \"Europe/Berlin\"");	/* honours TZDIR */
	tz = NULL;
	check("truncated file refused", inc_tz_load("Trunc", &tz, err), -1);
	snprintf(path, sizeof path, "time zone \"Trunc\": corrupt file %s/Trunc", dir);
	check_str("truncated file message", err, path);
	unsetenv("TZDIR");
	load_error("Mars/Base", "unknown time zone \"Mars/Base\"");
	load_error("../../etc/passwd", "unknown time zone \"../../etc/passwd\"");
	load_error("Europe/../../../etc/passwd", "unknown time zone \"Europe/../../../etc/passwd\"");
	load_error("/etc/localtime", "unknown time zone \"/etc/localtime\"");
	load_error("", "unknown time zone \"\"");
	load_error("Europe", "unknown time zone \"Europe\"");	/* a directory */
	for (int i = 0; names[i]; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		unlink(path);
	}
	rmdir(dir);
}

/* ---- calendars ---- */

static const char *office_berlin =
	"{\"name\": \"office-berlin\", \"timezone\": \"Europe/Berlin\","
	" \"hours\": {\"mon\": [\"09:00-17:00\"], \"tue\": [\"09:00-17:00\"], \"wed\": [\"09:00-17:00\"],"
	"           \"thu\": [\"09:00-17:00\"], \"fri\": [\"09:00-17:00\"]},"
	" \"holidays\": [\"2026-12-24\", \"2026-12-25\", \"2026-12-26\", \"2027-01-01\"]}";

static const char *berlin917 =
	"{\"name\": \"b\", \"timezone\": \"Europe/Berlin\","
	" \"hours\": {\"mon\": [\"09:00-17:00\"], \"tue\": [\"09:00-17:00\"], \"wed\": [\"09:00-17:00\"],"
	"           \"thu\": [\"09:00-17:00\"], \"fri\": [\"09:00-17:00\"]}}";

struct seg {
	enum inc_cal_seg kind;
	int64_t from, to;
	char day[32];
};

struct segs {
	struct seg s[64];
	int n;
};

static void
collect(enum inc_cal_seg kind, int64_t from, int64_t to, const char *day, void *arg)
{
	struct segs *v = arg;

	if (v->n < 64) {
		v->s[v->n].kind = kind;
		v->s[v->n].from = from;
		v->s[v->n].to = to;
		snprintf(v->s[v->n].day, sizeof v->s[v->n].day, "%s", day);
	}
	v->n++;
}

static void
check_seg(const char *name, const struct segs *v, int i, enum inc_cal_seg kind,
	  int64_t from, int64_t to, const char *day)
{
	char label[128];

	snprintf(label, sizeof label, "%s [%d]", name, i);
	if (i >= v->n) {
		nfail++;
		printf("FAIL %s: missing\n", label);
		return;
	}
	check(label, v->s[i].kind, kind);
	check(label, v->s[i].from, from);
	check(label, v->s[i].to, to);
	check_str(label, v->s[i].day, day);
}

static void
test_office(void)
{
	struct inc_calendar *c = cal(office_berlin);
	int64_t a = ts(2026, 12, 23, 9, 0, 0);	/* Wed 10:00 CET */
	struct segs v = {0};

	if (!c)
		return;
	check_str("name", inc_calendar_name(c), "office-berlin");
	check_str("zone", inc_calendar_zone(c), "Europe/Berlin");
	/* 24h from Wed 12-23 10:00: Wed 10-17 = 7h (17h left); Thu 24, Fri
	 * 25, Sat 26 holidays, Sun closed; Mon 28 8h (9h left); Tue 29 8h
	 * (1h left); Wed 30 09:00-10:00 CET = 09:00Z */
	check("office 24h from Wed 23rd", inc_cal_add(c, a, 86400), ts(2026, 12, 30, 9, 0, 0));
	check("office count back", inc_cal_count(c, a, ts(2026, 12, 30, 9, 0, 0)), 86400);
	/* start on a holiday (Thu 24th 08:00 CET): next opening Mon 28 09:00,
	 * +4h = 13:00 CET = 12:00Z */
	check("office start on holiday", inc_cal_add(c, ts(2026, 12, 24, 7, 0, 0), 4 * 3600),
	      ts(2026, 12, 28, 12, 0, 0));
	/* Wed 30 09:00 + 16h: Wed 8h, Thu 31 8h, lands on Thu 17:00 CET
	 * (16:00Z), the closing time at year end, and stays there */
	check("office lands on closing at year end",
	      inc_cal_add(c, ts(2026, 12, 30, 8, 0, 0), 16 * 3600), ts(2026, 12, 31, 16, 0, 0));
	/* one second more: Fri 2027-01-01 holiday, week-end, Mon 01-04
	 * 09:00:01 CET = 08:00:01Z */
	check("office one second past closing",
	      inc_cal_add(c, ts(2026, 12, 30, 8, 0, 0), 16 * 3600 + 1), ts(2027, 1, 4, 8, 0, 1));
	/* two weeks Mon 12-21 to Mon 01-04 (local midnights, 23:00Z the day
	 * before): Mon-Wed 24h, Mon 28-Thu 31 32h = 56h */
	check("office two weeks of holidays",
	      inc_cal_count(c, ts(2026, 12, 20, 23, 0, 0), ts(2027, 1, 3, 23, 0, 0)), 56 * 3600);

	inc_cal_walk(c, a, ts(2026, 12, 30, 9, 0, 0), collect, &v);
	check("office walk segments", v.n, 8);
	check_seg("office walk", &v, 0, INC_SEG_WORK, a, ts(2026, 12, 23, 16, 0, 0), "2026-12-23 (Wed)");
	check_seg("office walk", &v, 1, INC_SEG_HOLIDAY, ts(2026, 12, 23, 23, 0, 0),
		  ts(2026, 12, 24, 23, 0, 0), "2026-12-24 (Thu)");
	check_seg("office walk", &v, 2, INC_SEG_HOLIDAY, ts(2026, 12, 24, 23, 0, 0),
		  ts(2026, 12, 25, 23, 0, 0), "2026-12-25 (Fri)");
	/* a holiday on a week-end is reported as the holiday */
	check_seg("office walk", &v, 3, INC_SEG_HOLIDAY, ts(2026, 12, 25, 23, 0, 0),
		  ts(2026, 12, 26, 23, 0, 0), "2026-12-26 (Sat)");
	check_seg("office walk", &v, 4, INC_SEG_CLOSED, ts(2026, 12, 26, 23, 0, 0),
		  ts(2026, 12, 27, 23, 0, 0), "2026-12-27 (Sun)");
	check_seg("office walk", &v, 5, INC_SEG_WORK, ts(2026, 12, 28, 8, 0, 0),
		  ts(2026, 12, 28, 16, 0, 0), "2026-12-28 (Mon)");
	check_seg("office walk", &v, 6, INC_SEG_WORK, ts(2026, 12, 29, 8, 0, 0),
		  ts(2026, 12, 29, 16, 0, 0), "2026-12-29 (Tue)");
	/* clipped to b, Wed 10:00 CET */
	check_seg("office walk", &v, 7, INC_SEG_WORK, ts(2026, 12, 30, 8, 0, 0),
		  ts(2026, 12, 30, 9, 0, 0), "2026-12-30 (Wed)");
	inc_calendar_free(c);
}

static void
test_berlin917(void)
{
	struct inc_calendar *c = cal(berlin917);

	if (!c)
		return;
	/* 2026-03-02 is a Monday; March before the 29th is CET (+1h) */
	/* before opening: Mon 07:00 CET, +1h -> 10:00 CET = 09:00Z */
	check("before opening", inc_cal_add(c, ts(2026, 3, 2, 6, 0, 0), 3600), ts(2026, 3, 2, 9, 0, 0));
	/* after closing: Mon 18:00 CET, +1h -> Tue 10:00 CET = 09:00Z */
	check("after closing", inc_cal_add(c, ts(2026, 3, 2, 17, 0, 0), 3600), ts(2026, 3, 3, 9, 0, 0));
	/* Saturday 03-07 12:00 CET, +1h -> Mon 03-09 10:00 CET = 09:00Z */
	check("on a Saturday", inc_cal_add(c, ts(2026, 3, 7, 11, 0, 0), 3600), ts(2026, 3, 9, 9, 0, 0));
	/* Mon 09:00 + 8h = Mon 17:00 CET (16:00Z), not Tue 09:00 */
	check("exactly at closing", inc_cal_add(c, ts(2026, 3, 2, 8, 0, 0), 8 * 3600),
	      ts(2026, 3, 2, 16, 0, 0));
	/* Fri 03-06 09:00 + 8h = Fri 17:00 CET, not Monday */
	check("exactly at Friday closing", inc_cal_add(c, ts(2026, 3, 6, 8, 0, 0), 8 * 3600),
	      ts(2026, 3, 6, 16, 0, 0));
	check("zero duration outside hours", inc_cal_add(c, ts(2026, 3, 7, 11, 0, 0), 0),
	      ts(2026, 3, 7, 11, 0, 0));
	/* one second from the closing instant: Tue 09:00:01 CET */
	check("from the closing instant", inc_cal_add(c, ts(2026, 3, 2, 16, 0, 0), 1),
	      ts(2026, 3, 3, 8, 0, 1));
	/* spring: Fri 03-27 16:00 CET (15:00Z) + 2h: 1h Friday, then Mon
	 * 03-30 09:00 CEST + 1h = 10:00 CEST = 08:00Z */
	check("across spring DST", inc_cal_add(c, ts(2026, 3, 27, 15, 0, 0), 7200),
	      ts(2026, 3, 30, 8, 0, 0));
	/* Fri 00:00 CET (Thu 23:00Z) to Tue 00:00 CEST (Mon 22:00Z): Fri
	 * and Mon, 8h each, the Sunday DST day has no hours */
	check("count across spring DST", inc_cal_count(c, ts(2026, 3, 26, 23, 0, 0),
						      ts(2026, 3, 30, 22, 0, 0)), 16 * 3600);
	/* a Sunday on the DST day itself, 12:00 CEST (10:00Z): Mon 10:00
	 * CEST = 08:00Z */
	check("start on the spring Sunday", inc_cal_add(c, ts(2026, 3, 29, 10, 0, 0), 3600),
	      ts(2026, 3, 30, 8, 0, 0));
	/* two weeks Mon 03-23 00:00 CET (03-22 23:00Z) to Mon 04-06 00:00
	 * CEST (04-05 22:00Z): 10 days of 8 local hours = 80h */
	check("two weeks across spring DST", inc_cal_count(c, ts(2026, 3, 22, 23, 0, 0),
							  ts(2026, 4, 5, 22, 0, 0)), 80 * 3600);
	/* fall: Fri 10-23 16:00 CEST (14:00Z) + 2h: Mon 10-26 10:00 CET =
	 * 09:00Z */
	check("across fall DST", inc_cal_add(c, ts(2026, 10, 23, 14, 0, 0), 7200),
	      ts(2026, 10, 26, 9, 0, 0));
	/* Mon 10-19 00:00 CEST (10-18 22:00Z) to Mon 11-02 00:00 CET
	 * (11-01 23:00Z): 80h, every day still 09:00-17:00 local */
	check("two weeks across fall DST", inc_cal_count(c, ts(2026, 10, 18, 22, 0, 0),
							ts(2026, 11, 1, 23, 0, 0)), 80 * 3600);
	/* Mon 10-26 09:00 CET is 08:00Z (the week before it was 07:00Z) */
	check("opening after fall DST", inc_cal_add(c, ts(2026, 10, 26, 0, 0, 0), 1),
	      ts(2026, 10, 26, 8, 0, 1));
	/* exactly three working weeks from a Sunday (2027-01-03 12:00 CET):
	 * Mon 01-04 to Fri 01-22, 3 x 40h, ends on Fri 17:00 CET = 16:00Z,
	 * not on the Monday after (whole weeks are skipped here, and the
	 * skip must leave the landing to the walk) */
	check("three whole weeks", inc_cal_add(c, ts(2027, 1, 3, 11, 0, 0), 120 * 3600),
	      ts(2027, 1, 22, 16, 0, 0));
	/* Mon 01-04 00:00 CET to Mon 01-25 00:00 CET: the same 120h */
	check("count three whole weeks", inc_cal_count(c, ts(2027, 1, 3, 23, 0, 0),
						      ts(2027, 1, 24, 23, 0, 0)), 120 * 3600);
	check("count reversed", inc_cal_count(c, ts(2026, 3, 3, 0, 0, 0), ts(2026, 3, 2, 0, 0, 0)), 0);
	check("count empty", inc_cal_count(c, ts(2026, 3, 3, 0, 0, 0), ts(2026, 3, 3, 0, 0, 0)), 0);
	inc_calendar_free(c);
}

static void
test_night(void)
{
	struct inc_calendar *c;
	struct segs v = {0};

	/* Sunday only, all day, Berlin: the DST days are 23h and 25h long */
	if ((c = cal("{\"name\": \"sun\", \"timezone\": \"Europe/Berlin\","
		     " \"hours\": {\"sun\": [\"00:00-24:00\"]}}"))) {
		/* Sun 03-29 00:00 CET = Sat 23:00Z to Mon 00:00 CEST = Sun
		 * 22:00Z: 23h */
		check("spring Sunday is 23h", inc_cal_count(c, ts(2026, 3, 28, 12, 0, 0),
							    ts(2026, 3, 30, 12, 0, 0)), 23 * 3600);
		/* Sun 10-25 00:00 CEST = Sat 22:00Z to Mon 00:00 CET = Sun
		 * 23:00Z: 25h */
		check("fall Sunday is 25h", inc_cal_count(c, ts(2026, 10, 24, 12, 0, 0),
							  ts(2026, 10, 26, 12, 0, 0)), 25 * 3600);
		/* 23h land on Sun 24:00 (22:00Z) and stay */
		check("spring Sunday add 23h", inc_cal_add(c, ts(2026, 3, 28, 12, 0, 0), 23 * 3600),
		      ts(2026, 3, 29, 22, 0, 0));
		/* one second more: next Sunday 04-05 00:00 CEST = 04-04 22:00Z,
		 * +1s */
		check("spring Sunday add 23h+1s", inc_cal_add(c, ts(2026, 3, 28, 12, 0, 0), 23 * 3600 + 1),
		      ts(2026, 4, 4, 22, 0, 1));
		check("fall Sunday add 25h", inc_cal_add(c, ts(2026, 10, 24, 12, 0, 0), 25 * 3600),
		      ts(2026, 10, 25, 23, 0, 0));
		/* inside the Sunday, time runs as elapsed time across the
		 * changes: Sun 01:30 CET (00:30Z) + 1h = 01:30Z (03:30 CEST) */
		check("through the spring gap", inc_cal_add(c, ts(2026, 3, 29, 0, 30, 0), 3600),
		      ts(2026, 3, 29, 1, 30, 0));
		/* Sun 02:30 CEST, first time (00:30Z) + 1h = 01:30Z (02:30 CET) */
		check("through the fall overlap", inc_cal_add(c, ts(2026, 10, 25, 0, 30, 0), 3600),
		      ts(2026, 10, 25, 1, 30, 0));
		inc_calendar_free(c);
	}
	/* Havana springs forward at midnight: Sunday 2026-03-08 starts at
	 * 01:00 CDT (05:00Z) and ends at Monday 00:00 CDT (04:00Z), 23h */
	if ((c = cal("{\"name\": \"hav\", \"timezone\": \"America/Havana\","
		     " \"hours\": {\"sun\": [\"00:00-24:00\"]}}"))) {
		/* Sun 03-01 00:00 CST (05:00Z) to Sun 03-29 00:00 CDT (04:00Z):
		 * Sundays 1, 15, 22 of 24h, the 8th of 23h: 95h */
		check("midnight gap Sundays", inc_cal_count(c, ts(2026, 3, 1, 5, 0, 0),
							    ts(2026, 3, 29, 4, 0, 0)), 95 * 3600);
		check("midnight gap Sunday opens", inc_cal_add(c, ts(2026, 3, 7, 12, 0, 0), 1),
		      ts(2026, 3, 8, 5, 0, 1));
		inc_calendar_free(c);
	}
	/* night shift: Mon 22:00-24:00 runs on into Tue 00:00-06:00 */
	if (!(c = cal("{\"name\": \"night\", \"timezone\": \"Europe/Berlin\","
		      " \"hours\": {\"mon\": [\"22:00-24:00\"], \"tue\": [\"00:00-06:00\"]}}")))
		return;
	/* Mon 03-02 22:00 CET (21:00Z) + 3h: 2h Monday, 1h Tuesday = Tue
	 * 01:00 CET = 00:00Z */
	check("night shift runs on", inc_cal_add(c, ts(2026, 3, 2, 21, 0, 0), 3 * 3600),
	      ts(2026, 3, 3, 0, 0, 0));
	/* +2h: midnight, 23:00Z, the same instant as Tuesday's opening */
	check("night shift midnight", inc_cal_add(c, ts(2026, 3, 2, 21, 0, 0), 2 * 3600),
	      ts(2026, 3, 2, 23, 0, 0));
	/* Tue 00:30 CET (Mon 23:30Z) + 5.5h = Tue 06:00 CET, closing */
	check("night shift closing", inc_cal_add(c, ts(2026, 3, 2, 23, 30, 0), 5 * 3600 + 1800),
	      ts(2026, 3, 3, 5, 0, 0));
	check("night shift count", inc_cal_count(c, ts(2026, 3, 2, 0, 0, 0), ts(2026, 3, 4, 0, 0, 0)),
	      8 * 3600);
	/* [Mon 01:00 CET, Wed 01:00 CET): Mon's 22-24, Tue's 00-06, and
	 * Wed from its midnight (Tue 23:00Z) to b, closed */
	inc_cal_walk(c, ts(2026, 3, 2, 0, 0, 0), ts(2026, 3, 4, 0, 0, 0), collect, &v);
	check("night walk segments", v.n, 3);
	check_seg("night walk", &v, 0, INC_SEG_WORK, ts(2026, 3, 2, 21, 0, 0), ts(2026, 3, 2, 23, 0, 0),
		  "2026-03-02 (Mon)");
	check_seg("night walk", &v, 1, INC_SEG_WORK, ts(2026, 3, 2, 23, 0, 0), ts(2026, 3, 3, 5, 0, 0),
		  "2026-03-03 (Tue)");
	check_seg("night walk", &v, 2, INC_SEG_CLOSED, ts(2026, 3, 3, 23, 0, 0), ts(2026, 3, 4, 0, 0, 0),
		  "2026-03-04 (Wed)");
	inc_calendar_free(c);
}

static void
test_misc(void)
{
	struct inc_calendar *c;
	char buf[8192];
	size_t len;

	/* two intervals a day, UTC */
	if ((c = cal("{\"name\": \"split\", \"timezone\": \"UTC\", \"hours\": {"
		     "\"mon\": [\"08:00-12:00\", \"13:00-17:00\"], \"tue\": [\"08:00-12:00\", \"13:00-17:00\"],"
		     "\"wed\": [\"08:00-12:00\", \"13:00-17:00\"], \"thu\": [\"08:00-12:00\", \"13:00-17:00\"],"
		     "\"fri\": [\"08:00-12:00\", \"13:00-17:00\"]}}"))) {
		/* Mon 11:00 + 2h: 11-12, then 13-14 */
		check("lunch break", inc_cal_add(c, ts(2026, 3, 2, 11, 0, 0), 7200), ts(2026, 3, 2, 14, 0, 0));
		/* + 1h lands on 12:00, the lunch closing, and stays */
		check("lands on lunch", inc_cal_add(c, ts(2026, 3, 2, 11, 0, 0), 3600), ts(2026, 3, 2, 12, 0, 0));
		check("start in lunch", inc_cal_add(c, ts(2026, 3, 2, 12, 30, 0), 3600), ts(2026, 3, 2, 14, 0, 0));
		check("split day count", inc_cal_count(c, ts(2026, 3, 2, 0, 0, 0), ts(2026, 3, 3, 0, 0, 0)), 8 * 3600);
		check("count over lunch", inc_cal_count(c, ts(2026, 3, 2, 11, 30, 0), ts(2026, 3, 2, 13, 30, 0)), 3600);
		/* Fri 03-06 16:00 + 2h: 1h Fri, Mon 03-09 08:00-09:00 */
		check("split over week-end", inc_cal_add(c, ts(2026, 3, 6, 16, 0, 0), 7200), ts(2026, 3, 9, 9, 0, 0));
		inc_calendar_free(c);
	}
	/* 24x7: no hours, zone defaults to UTC */
	if ((c = cal("{\"name\": \"24x7\"}"))) {
		check_str("default zone", inc_calendar_zone(c), "UTC");
		check("24x7 across year end", inc_cal_add(c, ts(2026, 12, 31, 23, 30, 0), 3600),
		      ts(2027, 1, 1, 0, 30, 0));
		check("24x7 count", inc_cal_count(c, ts(2026, 12, 31, 23, 30, 0), ts(2027, 1, 1, 0, 30, 0)), 3600);
		check("24x7 zero", inc_cal_add(c, 1234567890, 0), 1234567890);
		check("24x7 one year", inc_cal_add(c, ts(2026, 1, 1, 0, 0, 0), 365 * 86400LL),
		      ts(2027, 1, 1, 0, 0, 0));
		inc_calendar_free(c);
	}
	/* 24x7 with New Year's Day off, in Berlin: midnight is 23:00Z */
	if ((c = cal("{\"name\": \"h\", \"timezone\": \"Europe/Berlin\", \"holidays\": [\"01-01\"]}"))) {
		/* Dec 31 23:30Z is Jan 1 00:30 CET, a holiday: 1h from Jan 2
		 * 00:00 CET = Jan 1 23:00Z, so Jan 2 00:00Z */
		check("24x7 holiday", inc_cal_add(c, ts(2026, 12, 31, 23, 30, 0), 3600), ts(2027, 1, 2, 0, 0, 0));
		/* 22:30Z is 23:30 CET on the 31st: 30 min, then from Jan 1
		 * 23:00Z 30 min */
		check("24x7 holiday split", inc_cal_add(c, ts(2026, 12, 31, 22, 30, 0), 3600),
		      ts(2027, 1, 1, 23, 30, 0));
		/* Dec 31 00:00Z to Jan 3 00:00Z is 72h less Jan 1 CET (24h) */
		check("24x7 holiday count", inc_cal_count(c, ts(2026, 12, 31, 0, 0, 0), ts(2027, 1, 3, 0, 0, 0)),
		      48 * 3600);
		inc_calendar_free(c);
	}
	/* holidays both ways, one on a week-end */
	if ((c = cal("{\"name\": \"w\", \"timezone\": \"Europe/Berlin\","
		     " \"hours\": {\"mon\": [\"09:00-17:00\"], \"tue\": [\"09:00-17:00\"], \"wed\": [\"09:00-17:00\"],"
		     "           \"thu\": [\"09:00-17:00\"], \"fri\": [\"09:00-17:00\"]},"
		     " \"holidays\": [\"12-25\", \"2026-05-01\"]}"))) {
		struct segs v = {0};

		/* 2027-12-25 is a Saturday: the week Mon 12-20 to Mon 12-27
		 * (CET midnights, 23:00Z the day before) keeps its 40h */
		check("yearly holiday on a Saturday",
		      inc_cal_count(c, ts(2027, 12, 19, 23, 0, 0), ts(2027, 12, 26, 23, 0, 0)), 40 * 3600);
		/* 2026-12-25 is a Friday: 32h */
		check("yearly holiday on a Friday",
		      inc_cal_count(c, ts(2026, 12, 20, 23, 0, 0), ts(2026, 12, 27, 23, 0, 0)), 32 * 3600);
		/* 2026-05-01 Friday, CEST midnights at 22:00Z: 32h */
		check("dated holiday", inc_cal_count(c, ts(2026, 4, 26, 22, 0, 0), ts(2026, 5, 3, 22, 0, 0)),
		      32 * 3600);
		/* Thu 04-30 16:00 CEST (14:00Z) + 2h: 1h Thu, Fri off, Mon
		 * 05-04 10:00 CEST = 08:00Z */
		check("over a dated holiday", inc_cal_add(c, ts(2026, 4, 30, 14, 0, 0), 7200),
		      ts(2026, 5, 4, 8, 0, 0));
		/* on the holiday, 10:00 CET: Mon 12-28 10:00 CET = 09:00Z */
		check("start on a yearly holiday", inc_cal_add(c, ts(2026, 12, 25, 9, 0, 0), 3600),
		      ts(2026, 12, 28, 9, 0, 0));
		inc_cal_walk(c, ts(2027, 12, 24, 23, 0, 0), ts(2027, 12, 25, 23, 0, 0), collect, &v);
		check("walk Saturday holiday", v.n, 1);
		check_seg("walk Saturday holiday", &v, 0, INC_SEG_HOLIDAY, ts(2027, 12, 24, 23, 0, 0),
			  ts(2027, 12, 25, 23, 0, 0), "2027-12-25 (Sat)");
		inc_calendar_free(c);
	}
	/* accepted oddities */
	if ((c = cal("{\"name\": \"ok\", \"hours\": {\"mon\": [\"09:00-12:00\", \"12:00-24:00\"]},"
		     " \"holidays\": [\"02-29\", \"2028-02-29\"], \"timezone\": null}"))) {
		/* touching intervals: Mon 2026-03-02 09:00 + 15h = 24:00 */
		check("touching intervals", inc_cal_add(c, ts(2026, 3, 2, 9, 0, 0), 15 * 3600),
		      ts(2026, 3, 3, 0, 0, 0));
		/* 2032-03-01 is a Monday, 2032-02-29 a Sunday */
		check("Feb 29 yearly", inc_cal_count(c, ts(2032, 2, 28, 0, 0, 0), ts(2032, 3, 2, 0, 0, 0)),
		      15 * 3600);
		inc_calendar_free(c);
	}

	refused("{\"name\": \"x\", \"timezone\": \"Mars/Base\"}", "timezone: unknown time zone \"Mars/Base\"");
	refused("{\"name\": \"x\", \"timezone\": \"../../etc/passwd\"}",
		"timezone: unknown time zone \"../../etc/passwd\"");
	refused("{\"name\": \"x\", \"timezone\": 5}", "timezone: expected a non-empty string");
	refused("{\"name\": \"x\", \"hours\": {\"mon\": [\"08:00-09:00\", \"9-17\"]}}",
		"hours.mon[1]: bad interval \"9-17\" (want HH:MM-HH:MM)");
	refused("{\"name\": \"x\", \"hours\": {\"mon\": [\"09:00-24:30\"]}}",
		"hours.mon[0]: bad interval \"09:00-24:30\" (want HH:MM-HH:MM)");
	refused("{\"name\": \"x\", \"hours\": {\"mon\": [\"24:00-24:00\"]}}",
		"hours.mon[0]: bad interval \"24:00-24:00\" (want HH:MM-HH:MM)");
	refused("{\"name\": \"x\", \"hours\": {\"sat\": [\"09:60-10:00\"]}}",
		"hours.sat[0]: bad interval \"09:60-10:00\" (want HH:MM-HH:MM)");
	refused("{\"name\": \"x\", \"hours\": {\"mon\": [\"17:00-09:00\"]}}",
		"hours.mon[0]: bad interval \"17:00-09:00\" (start must be before end)");
	refused("{\"name\": \"x\", \"hours\": {\"tue\": [\"09:00-12:00\", \"11:00-13:00\"]}}",
		"hours.tue[1]: \"11:00-13:00\" overlaps or precedes \"09:00-12:00\" (want sorted, non-overlapping intervals)");
	refused("{\"name\": \"x\", \"hours\": {\"wed\": [\"13:00-14:00\", \"09:00-12:00\"]}}",
		"hours.wed[1]: \"09:00-12:00\" overlaps or precedes \"13:00-14:00\" (want sorted, non-overlapping intervals)");
	refused("{\"name\": \"x\", \"hours\": {\"monday\": [\"09:00-17:00\"]}}",
		"hours: unknown day \"monday\" (want mon, tue, wed, thu, fri, sat or sun)");
	refused("{\"name\": \"x\", \"hours\": {\"mon\": \"09:00-17:00\"}}",
		"hours.mon: expected an array of strings");
	refused("{\"name\": \"x\", \"hours\": {\"mon\": [9]}}", "hours.mon[0]: expected a string");
	refused("{\"name\": \"x\", \"hours\": []}", "hours: expected an object");
	refused("{\"name\": \"x\", \"hours\": {}}", "hours: no working time");
	refused("{\"name\": \"x\", \"hours\": {\"mon\": [], \"sun\": []}}", "hours: no working time");
	refused("{\"name\": \"x\", \"holidays\": [\"2026-12-24\", \"12-25\", \"2026-13-01\"]}",
		"holidays[2]: bad date \"2026-13-01\"");
	refused("{\"name\": \"x\", \"holidays\": [\"02-30\"]}", "holidays[0]: bad date \"02-30\"");
	refused("{\"name\": \"x\", \"holidays\": [\"2027-02-29\"]}", "holidays[0]: bad date \"2027-02-29\"");
	refused("{\"name\": \"x\", \"holidays\": [\"2026-1-01\"]}", "holidays[0]: bad date \"2026-1-01\"");
	refused("{\"name\": \"x\", \"holidays\": [\"00-10\"]}", "holidays[0]: bad date \"00-10\"");
	refused("{\"name\": \"x\", \"holidays\": \"12-25\"}", "holidays: expected an array of strings");
	refused("{\"name\": \"x\", \"holidays\": [20261225]}", "holidays[0]: expected a string");
	refused("{\"timezone\": \"UTC\"}", "name: missing");
	refused("{\"name\": \"\"}", "name: expected a non-empty string");
	refused("{\"name\": \"x\", \"holiday\": []}", "unknown key \"holiday\"");
	refused("[]", "expected an object");
	/* every day of the year a holiday: no working time, ever */
	len = (size_t)snprintf(buf, sizeof buf, "{\"name\": \"x\", \"holidays\": [");
	for (int m = 1; m <= 12; m++)
		for (int d = 1; d <= (m == 2 ? 29 : m == 4 || m == 6 || m == 9 || m == 11 ? 30 : 31); d++)
			len += (size_t)snprintf(buf + len, sizeof buf - len, "%s\"%02d-%02d\"",
						m == 1 && d == 1 ? "" : ", ", m, d);
	snprintf(buf + len, sizeof buf - len, "]}");
	refused(buf, "holidays: no working time");
}

/* ---- against a minute-by-minute count through the C library ---- */

/*
 * Every minute of three weeks around each 2026 DST change in Berlin is
 * working or not by its local time (localtime_r), which matches the
 * calendar's definition as long as no interval bound falls inside
 * 02:00-03:00 on a change day. Count and add must agree with the prefix
 * sums for every minute-aligned question.
 */
static void
test_brute(void)
{
	static const char *json =
		"{\"name\": \"mix\", \"timezone\": \"Europe/Berlin\", \"hours\": {"
		"\"mon\": [\"09:00-17:00\"], \"tue\": [\"00:00-06:00\", \"09:00-17:00\"],"
		"\"wed\": [\"09:00-12:00\", \"13:00-17:00\"], \"thu\": [\"09:00-17:00\"],"
		"\"fri\": [\"09:00-17:00\", \"22:00-24:00\"], \"sat\": [\"00:00-04:00\", \"22:00-24:00\"],"
		"\"sun\": [\"00:00-06:00\", \"09:00-12:00\", \"22:00-24:00\"]},"
		"\"holidays\": [\"2026-10-26\", \"04-01\"]}";
	enum { N = 21 * 24 * 60 };
	static int prefix[N + 1];
	struct inc_calendar *c = cal(json);
	int64_t starts[2] = {ts(2026, 3, 18, 0, 0, 0), ts(2026, 10, 14, 0, 0, 0)};

	if (!c)
		return;
	setenv("TZ", "Europe/Berlin", 1);
	tzset();
	for (int w = 0; w < 2; w++) {
		int64_t w0 = starts[w];
		int bad = 0;
		char label[64];

		for (int i = 0; i < N; i++) {
			time_t t = (time_t)(w0 + 60LL * i);
			struct tm tm;
			int mins, work = 0, wd;

			localtime_r(&t, &tm);
			mins = tm.tm_hour * 60 + tm.tm_min;
			wd = (tm.tm_wday + 6) % 7;	/* Monday first */
			if (!((tm.tm_mon == 3 && tm.tm_mday == 1) ||
			      (tm.tm_year == 126 && tm.tm_mon == 9 && tm.tm_mday == 26))) {
				static const int iv[7][3][2] = {
					{{540, 1020}}, {{0, 360}, {540, 1020}}, {{540, 720}, {780, 1020}},
					{{540, 1020}}, {{540, 1020}, {1320, 1440}}, {{0, 240}, {1320, 1440}},
					{{0, 360}, {540, 720}, {1320, 1440}}};
				for (int k = 0; k < 3; k++)
					if (iv[wd][k][1] && mins >= iv[wd][k][0] && mins < iv[wd][k][1])
						work = 1;
			}
			prefix[i + 1] = prefix[i] + work;
		}
		for (int q = 0; q < 3000; q++) {
			int i = (int)rnd(N), j = i + (int)rnd((uint64_t)(N - i) + 1), k, want;
			int64_t got;

			got = inc_cal_count(c, w0 + 60LL * i, w0 + 60LL * j);
			if (got != 60LL * (prefix[j] - prefix[i]) && bad++ < 3)
				printf("FAIL brute count %d..%d: got %lld, want %d\n", i, j,
				       (long long)got, 60 * (prefix[j] - prefix[i]));
			/* add: the first minute m with prefix[m] - prefix[i] == k */
			k = (int)rnd((uint64_t)(prefix[N] - prefix[i]) + 1);
			if (k == 0)
				continue;
			for (want = i; prefix[want] - prefix[i] < k; want++)
				;
			got = inc_cal_add(c, w0 + 60LL * i, 60LL * k);
			if (got != w0 + 60LL * want && bad++ < 3)
				printf("FAIL brute add %d+%d: got %lld, want %lld\n", i, k,
				       (long long)got, (long long)(w0 + 60LL * want));
		}
		snprintf(label, sizeof label, "minute by minute around DST change %d", w + 1);
		check(label, bad, 0);
	}
	unsetenv("TZ");
	tzset();
	inc_calendar_free(c);
}

/* ---- properties ---- */

static void
test_properties(void)
{
	static const char *const cals[] = {
		NULL,	/* office_berlin */
		"{\"name\": \"ny\", \"timezone\": \"America/New_York\", \"hours\": {"
		"\"mon\": [\"08:00-18:00\"], \"tue\": [\"08:00-18:00\"], \"wed\": [\"08:00-18:00\"],"
		"\"thu\": [\"08:00-18:00\"], \"fri\": [\"08:00-18:00\"]}, \"holidays\": [\"07-04\", \"12-25\"]}",
		"{\"name\": \"syd\", \"timezone\": \"Australia/Sydney\", \"hours\": {"
		"\"sat\": [\"01:00-04:00\"], \"sun\": [\"00:00-24:00\"]}}",
		"{\"name\": \"night\", \"timezone\": \"Europe/Berlin\", \"hours\": {"
		"\"mon\": [\"22:00-24:00\"], \"tue\": [\"00:00-06:00\", \"22:00-24:00\"], \"wed\": [\"00:00-06:00\"]},"
		"\"holidays\": [\"01-01\", \"2030-01-08\"]}",
		"{\"name\": \"h\", \"timezone\": \"Asia/Kolkata\", \"holidays\": [\"08-15\"]}",
		"{\"name\": \"lh\", \"timezone\": \"Australia/Lord_Howe\", \"hours\": {"
		"\"sun\": [\"01:00-03:00\"], \"wed\": [\"09:00-10:00\"]}}",
		/* changes at Saturday 24:00, back and forth */
		"{\"name\": \"scl\", \"timezone\": \"America/Santiago\", \"hours\": {"
		"\"sat\": [\"20:00-24:00\"], \"sun\": [\"00:00-02:00\"], \"thu\": [\"10:00-11:00\"]}}",
	};
	for (size_t ci = 0; ci < sizeof cals / sizeof *cals; ci++) {
		struct inc_calendar *c = cal(cals[ci] ? cals[ci] : office_berlin);
		int bad = 0;
		char label[96];

		if (!c)
			continue;
		for (int i = 0; i < 1500; i++) {
			int64_t a = ts(2024, 1, 1, 0, 0, 0) + (int64_t)rnd(21ULL * 365 * 86400);
			int64_t n = i % 10 == 0 ? (int64_t)rnd(400ULL * 86400) :
				    (int64_t)rnd(4ULL * 86400 * 7);
			int64_t n2 = (int64_t)rnd(3ULL * 86400) + 1, t = inc_cal_add(c, a, n);

			/* count(a, add(a, n)) == n, and add's answer is the
			 * earliest such instant */
			if (inc_cal_count(c, a, t) != n && bad++ < 3)
				printf("FAIL %s: count(%lld, add(., %lld)) = %lld\n", inc_calendar_name(c),
				       (long long)a, (long long)n, (long long)inc_cal_count(c, a, t));
			if (n > 0 && inc_cal_count(c, a, t - 1) != n - 1 && bad++ < 3)
				printf("FAIL %s: add(%lld, %lld) not the earliest\n", inc_calendar_name(c),
				       (long long)a, (long long)n);
			/* adding in two steps is adding once; the first step
			 * may stop on a closing time */
			if (n > 0 && inc_cal_add(c, t, n2) != inc_cal_add(c, a, n + n2) && bad++ < 3)
				printf("FAIL %s: add(add(%lld, %lld), %lld) differs\n", inc_calendar_name(c),
				       (long long)a, (long long)n, (long long)n2);
			/* counts add up over any split point */
			if (inc_cal_count(c, a, t + n2) != inc_cal_count(c, a, a + n2) +
			    inc_cal_count(c, a + n2, t + n2) && bad++ < 3)
				printf("FAIL %s: count not additive at %lld\n", inc_calendar_name(c), (long long)a);
		}
		snprintf(label, sizeof label, "properties of %s", inc_calendar_name(c));
		check(label, bad, 0);
		inc_calendar_free(c);
	}
}

/* Long durations: week skipping must give what walking day by day gives,
 * and take no time. */
static void
test_long(void)
{
	struct inc_calendar *c = cal(office_berlin);
	int64_t a = ts(2026, 12, 23, 9, 0, 0), year = 365 * 86400LL, t, step, chunk = 86400, sum;
	clock_t t0;
	double ms;

	if (!c)
		return;
	t0 = clock();
	t = inc_cal_add(c, a, year);
	ms = (clock() - t0) * 1000.0 / CLOCKS_PER_SEC;
	check("one year of working time counts back", inc_cal_count(c, a, t), year);
	/* in chunks of one day of working time (each below two weeks: no
	 * skipping), the same instant */
	step = a;
	for (int64_t done = 0; done < year; done += chunk)
		step = inc_cal_add(c, step, chunk);
	check("one year in one step and in 365 steps", t, step);
	/* 365 * 24h / 40h a week = 219 weeks: into 2031 */
	check("one year lands in 2031", t >= ts(2031, 1, 1, 0, 0, 0) && t < ts(2032, 1, 1, 0, 0, 0), 1);
	check("one year takes under 50ms", ms < 50, 1);
	/* a decade at once (skipping weeks) and day by day (never) */
	sum = 0;
	for (int64_t d = ts(2026, 1, 1, 0, 0, 0); d < ts(2036, 1, 1, 0, 0, 0); d += 86400)
		sum += inc_cal_count(c, d, d + 86400);
	check("count of a decade at once and by days",
	      inc_cal_count(c, ts(2026, 1, 1, 0, 0, 0), ts(2036, 1, 1, 0, 0, 0)), sum);
	/* far beyond any sense: "never", quickly */
	check("absurd duration", inc_cal_add(c, a, INT64_MAX / 2), INT64_MAX);
	inc_calendar_free(c);
}

int
main(void)
{
	test_offsets();
	test_files();
	test_office();
	test_berlin917();
	test_night();
	test_misc();
	test_brute();
	test_properties();
	test_long();
	printf("%d passed, %d failed\n", npass, nfail);
	return nfail != 0;
}
