/*
 * time.c - instants and durations as SPEC section 4 writes them: ISO 8601
 * in UTC on output, ISO 8601 with any offset or epoch seconds on input,
 * durations such as "1h30m"; and for people, the desk's local time
 * ("2026-11-27 11:00") and readable durations ("2d 4h"). A time written
 * without an offset is the desk's (its time zone, UTC by default).
 */
#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE
#endif
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "inc.h"
#include "civil.h"

static int
digits(const char **p, int n, int *out)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)(*p)[i]))
			return -1;
		v = v * 10 + ((*p)[i] - '0');
	}
	*p += n;
	*out = v;
	return 0;
}

/* Years 1970 to 9999: what a desk's record can hold and write back as
 * ISO 8601; anything else is a typo or an attack on the calendars. */
static int
in_range(int64_t t)
{
	return t >= INC_TIME_MIN && t <= INC_TIME_MAX ? 0 : -1;
}

static int
parse_iso(const char *s, const struct inc_tz *tz, int64_t *out)
{
	const char *p = s;
	int y, mo, d, h = 0, mi = 0, sec = 0, zoned = 0;
	long off = 0;
	int64_t local;

	if (digits(&p, 4, &y) || *p++ != '-' || digits(&p, 2, &mo) ||
	    *p++ != '-' || digits(&p, 2, &d))
		return -1;
	if (mo < 1 || mo > 12 || d < 1 || d > inc_mdays(y, mo))
		return -1;
	if (*p == 'T' || *p == 't' || *p == ' ') {
		p++;
		if (digits(&p, 2, &h) || *p++ != ':' || digits(&p, 2, &mi))
			return -1;
		if (*p == ':') {
			p++;
			if (digits(&p, 2, &sec))
				return -1;
			if (*p == '.' || *p == ',') {	/* fractions: dropped */
				p++;
				if (!isdigit((unsigned char)*p))
					return -1;
				while (isdigit((unsigned char)*p))
					p++;
			}
		}
		if (h > 24 || mi > 59 || sec > 60 || (h == 24 && (mi || sec)))
			return -1;
		if (*p == 'Z' || *p == 'z') {
			p++;
			zoned = 1;
		} else if (*p == '+' || *p == '-') {
			int sign = *p++ == '-' ? -1 : 1, oh, om = 0;

			if (digits(&p, 2, &oh))
				return -1;
			if (*p == ':')
				p++;
			if (*p && digits(&p, 2, &om))
				return -1;
			if (oh > 23 || om > 59)
				return -1;
			off = sign * (oh * 3600L + om * 60L);
			zoned = 1;
		} else if (*p) {
			return -1;
		}
	}
	if (*p)
		return -1;
	if (sec == 60)
		sec = 59;	/* leap second: the last second of the minute */
	local = inc_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec;
	/* without an offset (a date alone too) the time is the desk's */
	*out = zoned || !tz ? local - off : inc_tz_to_utc(tz, local);
	return in_range(*out);
}

int
inc_duration_parse(const char *s, int64_t *out)
{
	const char *p = s;
	int64_t total = 0, last = INT64_MAX;
	int any = 0;

	if (!s || !*s)
		return -1;
	while (*p) {
		int64_t v = 0, unit;

		if (!isdigit((unsigned char)*p))
			return -1;
		/* past the cap the digits are only read: too long (-2) if
		 * the rest is well formed */
		for (; isdigit((unsigned char)*p); p++)
			if (v <= INC_DURATION_MAX)
				v = v * 10 + (*p - '0');
		switch (*p) {
		case '\0': unit = 1; if (any) return -1; break;
		case 's': unit = 1; p++; break;
		case 'm': unit = 60; p++; break;
		case 'h': unit = 3600; p++; break;
		case 'd': unit = 86400; p++; break;
		case 'w': unit = 604800; p++; break;
		default: return -1;
		}
		/* largest unit first, each once: "1h30m", never "30m1h" or "1h1h" */
		if (unit >= last)
			return -1;
		last = unit;
		/* capped at one past the most: no overflow, however long */
		total = v > INC_DURATION_MAX / unit ? INC_DURATION_MAX + 1 : total + v * unit;
		if (total > INC_DURATION_MAX)
			total = INC_DURATION_MAX + 1;
		any = 1;
	}
	if (total > INC_DURATION_MAX)
		return -2;
	*out = total;
	return 0;
}

char *
inc_duration_format(int64_t secs, char *buf)
{
	char *p = buf;
	int64_t d = secs / 86400, h = secs % 86400 / 3600, m = secs % 3600 / 60,
		s = secs % 60;

	if (secs <= 0) {
		snprintf(buf, INC_TIMELEN, "0s");
		return buf;
	}
	if (d)
		p += sprintf(p, "%lldd", (long long)d);
	if (h)
		p += sprintf(p, "%lldh", (long long)h);
	if (m)
		p += sprintf(p, "%lldm", (long long)m);
	if (s)
		sprintf(p, "%llds", (long long)s);
	return buf;
}

/* A readable duration for people: the two largest units, cut, not
 * rounded. */
char *
inc_duration_human(int64_t secs, char *buf)
{
	/* INT64_MIN has no positive counterpart: it reads as INT64_MAX */
	int64_t a = secs == INT64_MIN ? INT64_MAX : secs < 0 ? -secs : secs;
	const char *sign = secs < 0 ? "-" : "";

	if (a < 60)
		snprintf(buf, INC_TIMELEN, "%s%llds", sign, (long long)a);
	else if (a < 3600)
		snprintf(buf, INC_TIMELEN, "%s%lldm", sign, (long long)(a / 60));
	else if (a < 86400 && a % 3600 / 60)
		snprintf(buf, INC_TIMELEN, "%s%lldh %lldm", sign, (long long)(a / 3600),
			 (long long)(a % 3600 / 60));
	else if (a < 86400)
		snprintf(buf, INC_TIMELEN, "%s%lldh", sign, (long long)(a / 3600));
	else if (a % 86400 / 3600)
		snprintf(buf, INC_TIMELEN, "%s%lldd %lldh", sign, (long long)(a / 86400),
			 (long long)(a % 86400 / 3600));
	else
		snprintf(buf, INC_TIMELEN, "%s%lldd", sign, (long long)(a / 86400));
	return buf;
}

int
inc_time_parse(const char *s, int64_t now, int rel, int64_t *out)
{
	return inc_time_parse_tz(s, now, rel, NULL, out);
}

int
inc_time_parse_tz(const char *s, int64_t now, int rel, const struct inc_tz *tz, int64_t *out)
{
	char *end;

	if (!s || !*s)
		return -1;
	if (rel && strcmp(s, "now") == 0) {
		*out = now;
		return 0;
	}
	if (rel && (*s == '-' || *s == '+')) {
		int64_t d;

		if (inc_duration_parse(s + 1, &d) < 0 || in_range(now) < 0)
			return -1;
		*out = *s == '-' ? now - d : now + d;
		return in_range(*out);
	}
	if (isdigit((unsigned char)*s)) {
		long long v;

		errno = 0;
		v = strtoll(s, &end, 10);
		if (!*end && !errno && end != s) {
			*out = v;
			return in_range(v);
		}
	}
	return parse_iso(s, tz, out);
}

int
inc_time_from_json(const json_t *v, int64_t now, int64_t *out)
{
	return inc_time_from_json_tz(v, now, NULL, out);
}

int
inc_time_from_json_tz(const json_t *v, int64_t now, const struct inc_tz *tz, int64_t *out)
{
	if (json_is_integer(v)) {
		*out = json_integer_value(v);
		return in_range(*out);
	}
	if (json_is_string(v))
		return inc_time_parse_tz(json_string_value(v), now, 0, tz, out);
	return -1;
}

static void
two(char *p, int v)
{
	p[0] = (char)('0' + v / 10);
	p[1] = (char)('0' + v % 10);
}

char *
inc_time_format(int64_t t, char *buf)
{
	int64_t days = inc_fdiv(t, INC_DAY), y;
	int64_t s = (t % INC_DAY + INC_DAY) % INC_DAY;	/* t - days * 86400 overflows near INT64_MIN */
	int m, d;

	inc_civil_from_days(days, &y, &m, &d);
	if (y < 0 || y > 9999) {
		snprintf(buf, INC_TIMELEN, "%lld", (long long)t);
		return buf;
	}
	/* by hand: every record carries two to four times, and snprintf was a
	 * third of writing one */
	memcpy(buf, "0000-00-00T00:00:00Z", 21);
	two(buf, (int)(y / 100));
	two(buf + 2, (int)(y % 100));
	two(buf + 5, m);
	two(buf + 8, d);
	two(buf + 11, (int)(s / 3600));
	two(buf + 14, (int)(s / 60 % 60));
	two(buf + 17, (int)(s % 60));
	return buf;
}

long
inc_local_offset(const struct inc_tz *tz, int64_t t)
{
	return tz ? inc_tz_offset(tz, t) : 0;
}

char *
inc_time_local(int64_t t, const struct inc_tz *tz, char *buf)
{
	int64_t local = t + inc_local_offset(tz, t);
	int64_t days = inc_fdiv(local, INC_DAY), y, s = local - days * INC_DAY;
	int m, d;

	inc_civil_from_days(days, &y, &m, &d);
	if (y < 0 || y > 9999)
		return inc_time_format(t, buf);
	snprintf(buf, INC_TIMELEN, "%04d-%02d-%02d %02d:%02d", (int)y, m, d,
		 (int)(s / 3600), (int)(s / 60 % 60));
	return buf;
}
