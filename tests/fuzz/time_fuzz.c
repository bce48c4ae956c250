/*
 * time_fuzz.c - libFuzzer harness for times and durations (lib/time.c,
 * SPEC section 4). The input is read twice: as text (up to a NUL) for
 * inc_time_parse (absolute and relative, against a fixed now),
 * inc_duration_parse and inc_time_from_json; and its first 8 bytes as a
 * raw int64 for the formatters, a JSON integer time, and the now of a
 * relative time (a tool's now comes from --now or INC_NOW).
 *
 * Invariants (a failure aborts, so libFuzzer keeps the input):
 *  - no accepted time is INT64_MIN, the library's "null": it would be
 *    stored as "unset" (and a new incident's created_at as now);
 *  - an accepted time is written so that it reads back to itself: as ISO
 *    8601 (years 0000-9999) and as epoch seconds beyond;
 *  - any int64 that formats as ISO 8601 reads back to itself;
 *  - an accepted duration is >= 0 and formats to text that reads back to
 *    itself, and so does every int64 in [0, INT64_MAX / 4] (the largest
 *    duration the parser takes);
 *  - nothing overflows (UBSan aborts) and formats fit INC_TIMELEN.
 */
#define _GNU_SOURCE
#include <inttypes.h>

#include "fuzz.h"

#define NOW INT64_C(1795773600)		/* 2026-11-27T10:00:00Z, the tests' */

/* "YYYY-MM-DDTHH:MM:SSZ": what inc_time_format writes for years 0-9999. */
static int
is_iso(const char *s)
{
	return strlen(s) == 20 && s[4] == '-' && s[10] == 'T' && s[19] == 'Z';
}

static void
formats(int64_t t, char *buf)
{
	inc_time_format(t, buf);
	FUZZ_CHECK(memchr(buf, '\0', INC_TIMELEN) && *buf, "time %" PRId64 " formats badly", t);
}

/* A time the library accepted from `in`: it must not be null, and what a
 * tool writes for it must read back to it. */
static void
accepted_time(const char *what, const char *in, int64_t t)
{
	char buf[INC_TIMELEN];
	int64_t back = 0;
	int rc;

	FUZZ_CHECK_KNOWN("time-null", t != INC_NULL,
			 "%s \"%s\" is INT64_MIN: the null time, a new incident's now", what, in);
	formats(t, buf);
	rc = inc_time_parse(buf, NOW, 0, &back);
	if (is_iso(buf))
		FUZZ_CHECK(rc == 0 && back == t,
			   "%s \"%s\" = %" PRId64 " is written \"%s\", which reads back as %s%" PRId64,
			   what, in, t, buf, rc ? "an error " : "", back);
	else
		FUZZ_CHECK_KNOWN("time-range", rc == 0 && back == t,
			   "%s \"%s\" = %" PRId64 " (beyond year 0000-9999) is written \"%s\", which reads back as %s%" PRId64,
			   what, in, t, buf, rc ? "an error " : "", back);
}

static void
duration_roundtrip(const char *in, int64_t d)
{
	char buf[INC_TIMELEN];
	int64_t back = -1;

	inc_duration_format(d, buf);
	FUZZ_CHECK(memchr(buf, '\0', INC_TIMELEN) && *buf, "duration %" PRId64 " formats badly", d);
	FUZZ_CHECK(inc_duration_parse(buf, &back) == 0 && back == d,
		   "duration \"%s\" = %" PRId64 "s is written \"%s\", which reads back as %" PRId64,
		   in, d, buf, back);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = inc_xmalloc(size + 1), buf[INC_TIMELEN];
	int64_t v = (int64_t)fuzz_u64(data, size), t, d;
	json_t *j;

	memcpy(s, data, size);
	s[size] = '\0';

	for (int rel = 0; rel <= 1; rel++) {
		t = 0;
		if (inc_time_parse(s, NOW, rel, &t) == 0)
			accepted_time(rel ? "relative time" : "time", s, t);
	}
	/* a tool's now is whatever --now or INC_NOW said, epoch seconds too */
	t = 0;
	if (inc_time_parse(s, v, 1, &t) == 0)
		FUZZ_CHECK_KNOWN("time-null", t != INC_NULL, "relative time \"%s\" at now %" PRId64 " is INT64_MIN, the null time",
			   s, v);
	if (inc_duration_parse(s, &d) == 0) {
		FUZZ_CHECK(d >= 0, "duration \"%s\" is negative: %" PRId64, s, d);
		duration_roundtrip(s, d);
	}
	if (inc_utf8_valid(s, strlen(s))) {
		j = json_string(s);
		if (j && inc_time_from_json(j, NOW, &t) == 0)
			accepted_time("JSON string time", s, t);
		json_decref(j);
	}

	/* the raw int64: an epoch time as a JSON integer, then formatted */
	j = json_integer(v);
	t = 0;
	if (inc_time_from_json(j, NOW, &t) == 0) {
		char in[32];

		snprintf(in, sizeof in, "%" PRId64, v);
		accepted_time("JSON integer time", in, t);
	}
	json_decref(j);
	formats(v, buf);
	if (is_iso(buf) && v >= INC_TIME_MIN && v <= INC_TIME_MAX) {	/* the times read */
		FUZZ_CHECK(inc_time_parse(buf, NOW, 0, &t) == 0 && t == v,
			   "%" PRId64 " formats as \"%s\", which does not read back", v, buf);
	}
	inc_duration_format(v, buf);
	FUZZ_CHECK(memchr(buf, '\0', INC_TIMELEN) && *buf, "duration %" PRId64 " formats badly", v);
	if (v >= 0 && v <= INC_DURATION_MAX) {	/* the longest duration read */
		char in[32];

		snprintf(in, sizeof in, "%" PRId64, v);
		duration_roundtrip(in, v);
	}
	free(s);
	return 0;
}
