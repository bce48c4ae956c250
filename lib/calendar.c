/*
 * calendar.c - business calendars: working hours per weekday in a time
 * zone, minus holidays; counting working seconds between two instants and
 * finding the instant a given amount of working time after another, which
 * is what SLA due times are made of.
 *
 * Working time is, for each local day, that day's intervals mapped from
 * local wall-clock time to instants through the zone (so 09:00-17:00 stays
 * 09:00-17:00 local across DST changes). Everything walks day by day and
 * interval by interval, never minute by minute, and skips runs of whole
 * weeks that hold neither a holiday nor an offset change.
 */
#include <stdlib.h>
#include <string.h>

#include "inc.h"
#include "calendar_int.h"

#define WEEK (7 * (int64_t)INC_DAY)

/* No walk goes farther than 4000 years, whatever it is asked: a due time
 * beyond is "never" (INT64_MAX), and a count or a walk stops there. */
#define MAXDAYS ((int64_t)4000 * 366)

/* One working interval, seconds from local midnight, start < end <= 24h. */
struct span {
	int32_t s, e;
};

struct inc_calendar {
	char *name, *zone;
	struct inc_tz *tz;
	struct span *hours[7];		/* Monday first */
	size_t nhours[7];
	int plain;			/* 24x7, no holidays: plain arithmetic */
	int64_t *once;			/* YYYY-MM-DD holidays, local day numbers */
	size_t nonce;
	unsigned char annual[13][32];	/* MM-DD holidays, [month][day] */
	int nannual;
	int64_t week;			/* working seconds of a week without changes */
};

static const char *const daynames[7] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
static const char *const daylabels[7] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};

/* ---- building ---- */

/* "HH:MM" to seconds; "24:00" only as an end. */
static int32_t
parse_hhmm(const char *s, int end)
{
	int h, m;

	if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9' || s[2] != ':' ||
	    s[3] < '0' || s[3] > '5' || s[4] < '0' || s[4] > '9')
		return -1;
	h = (s[0] - '0') * 10 + (s[1] - '0');
	m = (s[3] - '0') * 10 + (s[4] - '0');
	if (h > 24 || (h == 24 && (!end || m != 0)))
		return -1;
	return h * 3600 + m * 60;
}

static int
parse_day(struct inc_calendar *c, int wd, const json_t *a, char *err)
{
	const char *day = daynames[wd];
	size_t i;
	json_t *e;

	if (!json_is_array(a))
		return inc_err(err, "hours.%s: expected an array of strings", day);
	c->hours[wd] = inc_xmalloc(sizeof *c->hours[wd] * (json_array_size(a) + 1));
	json_array_foreach(a, i, e) {
		const char *s = json_string_value(e);
		struct span *sp = &c->hours[wd][i];

		if (!s)
			return inc_err(err, "hours.%s[%zu]: expected a string", day, i);
		if (strlen(s) != 11 || s[5] != '-' || (sp->s = parse_hhmm(s, 0)) < 0 ||
		    (sp->e = parse_hhmm(s + 6, 1)) < 0)
			return inc_err(err, "hours.%s[%zu]: bad interval \"%s\" (want HH:MM-HH:MM)",
				       day, i, s);
		if (sp->s >= sp->e)
			return inc_err(err, "hours.%s[%zu]: bad interval \"%s\" (start must be before end)",
				       day, i, s);
		/* Unsorted or overlapping lists are most likely typos: refuse
		 * rather than guess. Touching intervals are fine. */
		if (i && sp->s < sp[-1].e)
			return inc_err(err, "hours.%s[%zu]: \"%s\" overlaps or precedes \"%s\" (want sorted, non-overlapping intervals)",
				       day, i, s, json_string_value(json_array_get(a, i - 1)));
		c->nhours[wd] = i + 1;
		c->week += sp->e - sp->s;
	}
	return 0;
}

static int
parse_hours(struct inc_calendar *c, const json_t *h, char *err)
{
	const char *k;
	json_t *v;
	int wd;

	if (!h) {
		/* no hours: 24x7 */
		for (wd = 0; wd < 7; wd++) {
			c->hours[wd] = inc_xmalloc(sizeof *c->hours[wd]);
			c->hours[wd][0] = (struct span){0, INC_DAY};
			c->nhours[wd] = 1;
		}
		c->week = WEEK;
		return 0;
	}
	if (!json_is_object(h))
		return inc_err(err, "hours: expected an object");
	json_object_foreach((json_t *)h, k, v) {
		for (wd = 0; wd < 7 && strcmp(k, daynames[wd]) != 0; wd++)
			;
		if (wd == 7)
			return inc_err(err, "hours: unknown day \"%s\" (want mon, tue, wed, thu, fri, sat or sun)", k);
	}
	for (wd = 0; wd < 7; wd++)
		if ((v = json_object_get(h, daynames[wd])) && parse_day(c, wd, v, err) < 0)
			return -1;
	/* Without any working time no due time could ever be found. */
	if (c->week == 0)
		return inc_err(err, "hours: no working time");
	return 0;
}

/* "YYYY-MM-DD" or "MM-DD"; returns 1 for a dated, 2 for a yearly holiday. */
static int
parse_holiday(const char *s, int64_t *day, int *month, int *mday)
{
	size_t len = strlen(s);
	int64_t y = 2000;	/* a leap year: "02-29" is a valid yearly date */
	int i;

	if (len != 10 && len != 5)
		return -1;
	for (i = 0; i < (int)len; i++)
		if (i == (int)len - 3 || i == (int)len - 6 ? s[i] != '-' :
		    (s[i] < '0' || s[i] > '9'))
			return -1;
	if (len == 10) {
		y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
		s += 5;
	}
	*month = (s[0] - '0') * 10 + (s[1] - '0');
	*mday = (s[3] - '0') * 10 + (s[4] - '0');
	if (*month < 1 || *month > 12 || *mday < 1 || *mday > inc_mdays(y, *month))
		return -1;
	*day = inc_days_from_civil(y, *month, *mday);
	return len == 10 ? 1 : 2;
}

static int
cmp_day(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

static int
parse_holidays(struct inc_calendar *c, const json_t *a, char *err)
{
	size_t i, n = 0;
	json_t *e;

	if (!a)
		return 0;
	if (!json_is_array(a))
		return inc_err(err, "holidays: expected an array of strings");
	c->once = inc_xmalloc(sizeof *c->once * (json_array_size(a) + 1));
	json_array_foreach(a, i, e) {
		const char *s = json_string_value(e);
		int64_t day;
		int m, d, kind;

		if (!s)
			return inc_err(err, "holidays[%zu]: expected a string", i);
		if ((kind = parse_holiday(s, &day, &m, &d)) < 0)
			return inc_err(err, "holidays[%zu]: bad date \"%s\"", i, s);
		if (kind == 1)
			c->once[n++] = day;
		else if (!c->annual[m][d]) {
			c->annual[m][d] = 1;
			c->nannual++;
		}
	}
	qsort(c->once, n, sizeof *c->once, cmp_day);
	for (i = 0; i < n; i++)
		if (!c->nonce || c->once[c->nonce - 1] != c->once[i])
			c->once[c->nonce++] = c->once[i];
	if (c->nannual == 366)
		return inc_err(err, "holidays: no working time");
	return 0;
}

struct inc_calendar *
inc_calendar_new(const json_t *obj, char *err)
{
	static const char *const keys[] = {"name", "timezone", "hours", "holidays", NULL};
	struct inc_calendar *c;
	const json_t *v;
	const char *k, *zone = "UTC";
	char tzerr[INC_ERRLEN];

	if (!json_is_object(obj)) {
		inc_err(err, "expected an object");
		return NULL;
	}
	json_object_foreach((json_t *)obj, k, v) {
		int i;

		for (i = 0; keys[i] && strcmp(k, keys[i]) != 0; i++)
			;
		if (!keys[i]) {
			inc_err(err, "unknown key \"%s\"", k);
			return NULL;
		}
	}
	v = json_object_get(obj, "name");
	if (!v || json_is_null(v)) {
		inc_err(err, "name: missing");
		return NULL;
	}
	if (!json_is_string(v) || !*json_string_value(v)) {
		inc_err(err, "name: expected a non-empty string");
		return NULL;
	}
	c = inc_xmalloc(sizeof *c);
	memset(c, 0, sizeof *c);
	c->name = inc_xstrdup(json_string_value(v));
	v = json_object_get(obj, "timezone");
	if (v && !json_is_null(v)) {
		if (!json_is_string(v) || !*json_string_value(v)) {
			inc_err(err, "timezone: expected a non-empty string");
			goto fail;
		}
		zone = json_string_value(v);
	}
	c->zone = inc_xstrdup(zone);
	if (inc_tz_load(zone, &c->tz, tzerr) < 0) {
		inc_err(err, "timezone: %s", tzerr);
		goto fail;
	}
	v = json_object_get(obj, "hours");
	if (parse_hours(c, json_is_null(v) ? NULL : v, err) < 0)
		goto fail;
	v = json_object_get(obj, "holidays");
	if (parse_holidays(c, json_is_null(v) ? NULL : v, err) < 0)
		goto fail;
	c->plain = c->week == WEEK && !c->nonce && !c->nannual;
	return c;
fail:
	inc_calendar_free(c);
	return NULL;
}

void
inc_calendar_free(struct inc_calendar *c)
{
	if (!c)
		return;
	for (int wd = 0; wd < 7; wd++)
		free(c->hours[wd]);
	free(c->once);
	inc_tz_free(c->tz);
	free(c->name);
	free(c->zone);
	free(c);
}

const char *
inc_calendar_name(const struct inc_calendar *c)
{
	return c->name;
}

const char *
inc_calendar_zone(const struct inc_calendar *c)
{
	return c->zone;
}

/* ---- days ---- */

/* The local day holding instant t. */
static int64_t
local_day(const struct inc_calendar *c, int64_t t)
{
	return inc_fdiv(t + inc_tz_offset(c->tz, t), INC_DAY);
}

/* The instant of a local wall-clock time on local day d. */
static int64_t
at(const struct inc_calendar *c, int64_t d, int32_t secs)
{
	return inc_tz_to_utc(c->tz, d * INC_DAY + secs);
}

static int
is_holiday(const struct inc_calendar *c, int64_t d)
{
	size_t lo = 0, hi = c->nonce;
	int64_t y;
	int m, md;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (c->once[mid] < d)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < c->nonce && c->once[lo] == d)
		return 1;
	if (!c->nannual)
		return 0;
	inc_civil_from_days(d, &y, &m, &md);
	return c->annual[m][md];
}

/* The first holiday on or after local day d, INT64_MAX if none. */
static int64_t
next_holiday(const struct inc_calendar *c, int64_t d)
{
	size_t lo = 0, hi = c->nonce;
	int64_t best = INT64_MAX, y;
	int m, md;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (c->once[mid] < d)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < c->nonce)
		best = c->once[lo];
	if (!c->nannual)
		return best;
	inc_civil_from_days(d, &y, &m, &md);
	/* "02-29" alone may take eight years (2096 to 2104) to come round */
	for (int64_t yy = y; yy <= y + 8; yy++)
		for (int mm = 1; mm <= 12; mm++)
			for (int dd = 1; dd <= inc_mdays(yy, mm); dd++) {
				int64_t day;

				if (!c->annual[mm][dd] || (day = inc_days_from_civil(yy, mm, dd)) < d)
					continue;
				return day < best ? day : best;
			}
	return best;
}

/*
 * How many whole weeks from local day d on (at most maxw) hold no holiday
 * and no offset change: each of them has exactly c->week working seconds,
 * so they need not be walked. 0 when d's midnight is itself irregular.
 */
static int64_t
clean_weeks(const struct inc_calendar *c, int64_t d, int64_t maxw)
{
	int64_t from = at(c, d, 0), next, hol, k = maxw;
	long o = inc_tz_offset(c->tz, from);

	if (from + o != d * INC_DAY)
		return 0;
	/* strictly before the change: a fall-back change at midnight would
	 * move the last day's 24:00 */
	next = inc_tz_next_change(c->tz, from);
	if (next != INT64_MAX && (next - from - 1) / WEEK < k)
		k = (next - from - 1) / WEEK;
	hol = next_holiday(c, d);
	if (hol != INT64_MAX && (hol - d) / 7 < k)
		k = (hol - d) / 7;
	return k;
}

/* ---- the public walks ---- */

int64_t
inc_cal_count(const struct inc_calendar *c, int64_t a, int64_t b)
{
	int64_t total = 0, d, noskip, from, last;

	a = inc_clamp_t(a);
	b = inc_clamp_t(b);
	if (b <= a)
		return 0;
	if (c->plain)
		return b - a;
	/* the day of a: the day before ends at its midnight, which to_utc
	 * (non-decreasing) puts at or before a */
	noskip = d = local_day(c, a);
	for (last = d + MAXDAYS; d < last && (from = at(c, d, 0)) < b; d++) {
		if (d >= noskip && from >= a && (b - from) / WEEK >= 2) {
			int64_t k = clean_weeks(c, d, (b - from) / WEEK);

			if (k > 0) {
				total += k * c->week;
				d += 7 * k - 1;
				continue;
			}
			noskip = d + 7;
		}
		if (is_holiday(c, d))
			continue;
		for (size_t i = 0; i < c->nhours[inc_weekday(d)]; i++) {
			const struct span *sp = &c->hours[inc_weekday(d)][i];
			int64_t u = at(c, d, sp->s), v = at(c, d, sp->e);

			if (u < a)
				u = a;
			if (v > b)
				v = b;
			if (v > u)
				total += v - u;
		}
	}
	return total;
}

int64_t
inc_cal_add(const struct inc_calendar *c, int64_t start, int64_t secs)
{
	int64_t rem = secs, d, noskip, last;

	if (secs <= 0)
		return start;	/* a negative duration is none */
	start = inc_clamp_t(start);
	if (c->plain)
		return secs > INC_TLIM - start ? INT64_MAX : start + secs;
	noskip = d = local_day(c, start);
	last = d + MAXDAYS;
	for (; d < last; d++) {
		if (d >= noskip && rem > 2 * c->week) {
			int64_t from = at(c, d, 0), k;

			if (from >= start) {
				/* (rem - 1): the landing itself is found below */
				if ((k = clean_weeks(c, d, (rem - 1) / c->week)) > 0) {
					rem -= k * c->week;
					d += 7 * k - 1;
					continue;
				}
				noskip = d + 7;
			}
		}
		if (is_holiday(c, d))
			continue;
		for (size_t i = 0; i < c->nhours[inc_weekday(d)]; i++) {
			const struct span *sp = &c->hours[inc_weekday(d)][i];
			int64_t u = at(c, d, sp->s), v = at(c, d, sp->e);

			if (u < start)
				u = start;
			if (v <= u)
				continue;
			/* v - u == rem lands on the closing time and stays there */
			if (v - u >= rem)
				return u + rem;
			rem -= v - u;
		}
	}
	return INT64_MAX;
}

void
inc_cal_walk(const struct inc_calendar *c, int64_t a, int64_t b, inc_cal_cb cb, void *arg)
{
	int64_t d, from, to, y, last;
	int m, md;

	a = inc_clamp_t(a);
	b = inc_clamp_t(b);
	if (b <= a)
		return;
	d = local_day(c, a);
	for (last = d + MAXDAYS; d < last && (from = at(c, d, 0)) < b; d++) {
		char label[64];
		int wd = inc_weekday(d);

		to = at(c, d + 1, 0);
		if (from < a)
			from = a;
		if (to > b)
			to = b;
		if (to <= from)
			continue;	/* the day is outside [a, b) */
		inc_civil_from_days(d, &y, &m, &md);
		snprintf(label, sizeof label, "%04lld-%02d-%02d (%s)", (long long)y, m, md,
			 daylabels[wd]);
		/* a holiday on a closed day is reported as the holiday: it says more */
		if (is_holiday(c, d)) {
			cb(INC_SEG_HOLIDAY, from, to, label, arg);
			continue;
		}
		if (!c->nhours[wd]) {
			cb(INC_SEG_CLOSED, from, to, label, arg);
			continue;
		}
		for (size_t i = 0; i < c->nhours[wd]; i++) {
			int64_t u = at(c, d, c->hours[wd][i].s), v = at(c, d, c->hours[wd][i].e);

			if (u < a)
				u = a;
			if (v > b)
				v = b;
			if (v > u)
				cb(INC_SEG_WORK, u, v, label, arg);
		}
	}
}
