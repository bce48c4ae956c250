/*
 * civil.h - proleptic Gregorian date arithmetic, private to the library:
 * the one copy time.c (ISO 8601 in and out), calendar.c (local days) and
 * the SLA explanation share.
 */
#ifndef INC_CIVIL_H
#define INC_CIVIL_H

#include <stdint.h>

#define INC_DAY 86400

/* Division and remainder rounding towards minus infinity: times before
 * 1970 must land in the right day too. */
static inline int64_t
inc_fdiv(int64_t a, int64_t b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

static inline int64_t
inc_fmod(int64_t a, int64_t b)
{
	return a - inc_fdiv(a, b) * b;
}

static inline int
inc_is_leap(int64_t y)
{
	return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
}

static inline int
inc_mdays(int64_t y, int m)
{
	static const unsigned char n[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	return m == 2 && inc_is_leap(y) ? 29 : n[m - 1];
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
 * algorithm: exact for every year, no tables, no loops). */
static inline int64_t
inc_days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static inline void
inc_civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

/* 0 = Monday ... 6 = Sunday; 1970-01-01 was a Thursday. */
static inline int
inc_weekday(int64_t day)
{
	return (int)inc_fmod(day + 3, 7);
}

#endif
