/*
 * time.c - instants and durations as SPEC section 4 writes them: ISO 8601
 * in UTC on output, ISO 8601 with any offset or epoch seconds on input,
 * durations such as "1h30m".
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

static int
days_in_month(int y, int m)
{
	static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return dm[m - 1];
}

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant). */
static int64_t
days_from_civil(int64_t y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe - 719468;
}

static int
parse_iso(const char *s, int64_t *out)
{
	const char *p = s;
	int y, mo, d, h = 0, mi = 0, sec = 0;
	long off = 0;

	if (digits(&p, 4, &y) || *p++ != '-' || digits(&p, 2, &mo) ||
	    *p++ != '-' || digits(&p, 2, &d))
		return -1;
	if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo))
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
		} else if (*p) {
			return -1;
		}
		/* a time without an offset is read as UTC, like the output */
	}
	if (*p)
		return -1;
	if (sec == 60)
		sec = 59;	/* leap second: the last second of the minute */
	*out = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec - off;
	return 0;
}

int
inc_duration_parse(const char *s, int64_t *out)
{
	const char *p = s;
	int64_t total = 0;
	int any = 0;

	if (!s || !*s)
		return -1;
	while (*p) {
		int64_t v = 0, unit;

		if (!isdigit((unsigned char)*p))
			return -1;
		while (isdigit((unsigned char)*p)) {
			if (v > (INT64_MAX - 9) / 10)
				return -1;
			v = v * 10 + (*p++ - '0');
		}
		switch (*p) {
		case '\0': unit = 1; if (any) return -1; break;
		case 's': unit = 1; p++; break;
		case 'm': unit = 60; p++; break;
		case 'h': unit = 3600; p++; break;
		case 'd': unit = 86400; p++; break;
		case 'w': unit = 604800; p++; break;
		default: return -1;
		}
		if (v > INT64_MAX / unit / 4 || total > INT64_MAX / 4 - v * unit)
			return -1;
		total += v * unit;
		any = 1;
	}
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

int
inc_time_parse(const char *s, int64_t now, int rel, int64_t *out)
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

		if (inc_duration_parse(s + 1, &d) < 0)
			return -1;
		*out = *s == '-' ? now - d : now + d;
		return 0;
	}
	if (isdigit((unsigned char)*s) || *s == '-') {
		long long v;

		errno = 0;
		v = strtoll(s, &end, 10);
		if (!*end && !errno && end != s) {
			if (*s == '-' && !rel)
				return -1;
			*out = v;
			return 0;
		}
	}
	return parse_iso(s, out);
}

int
inc_time_from_json(const json_t *v, int64_t now, int64_t *out)
{
	if (json_is_integer(v)) {
		*out = json_integer_value(v);
		return 0;
	}
	if (json_is_string(v))
		return inc_time_parse(json_string_value(v), now, 0, out);
	return -1;
}

/* Proleptic Gregorian date of a day count (Howard Hinnant's algorithm):
 * no gmtime_r call per field of a million records. */
static void
civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;

	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
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
	int64_t days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400), y;
	int64_t s = t - days * 86400;
	int m, d;

	civil_from_days(days, &y, &m, &d);
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
