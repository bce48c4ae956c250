/*
 * calendar_int.h - what tz.c and calendar.c share beyond inc.h: the one
 * zone query the calendar needs to skip whole weeks, and a clamp that keeps
 * absurd instants from overflowing date arithmetic.
 */
#ifndef INC_CALENDAR_INT_H
#define INC_CALENDAR_INT_H

#include <stdint.h>

#include "inc.h"
#include "civil.h"

/*
 * Instants are clamped to about +-35 million years before any date
 * arithmetic, so that no input, however absurd, can overflow.
 */
#define INC_TLIM ((int64_t)1 << 50)

/* The first instant after t at which the zone changes its UTC offset (or
 * might: a change of abbreviation only counts too); INT64_MAX if none. */
int64_t inc_tz_next_change(const struct inc_tz *, int64_t t);

static inline int64_t
inc_clamp_t(int64_t t)
{
	return t < -INC_TLIM ? -INC_TLIM : t > INC_TLIM ? INC_TLIM : t;
}

#endif
