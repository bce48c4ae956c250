/*
 * calendar_int.h - what tz.c and calendar.c share beyond inc.h: a clamp
 * that keeps absurd instants from overflowing date arithmetic.
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

static inline int64_t
inc_clamp_t(int64_t t)
{
	return t < -INC_TLIM ? -INC_TLIM : t > INC_TLIM ? INC_TLIM : t;
}

#endif
