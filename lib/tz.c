/*
 * tz.c - IANA time zones read straight from their TZif files (RFC 8536),
 * so that calendars in several zones can be used side by side without
 * setting TZ: the C library keeps one process-wide zone, which a library
 * must not touch.
 */
#include <stdlib.h>
#include <string.h>

#include "inc.h"
#include "calendar_int.h"

/* RFC 8536 bounds a UT offset to (-25h, +26h); beyond that a file is
 * corrupt, and to_utc relies on the bound to search a finite window. */
#define MAXOFF (26 * 3600L)
#define TZMAXFILE (1L << 20)

/* A transition date of a POSIX TZ rule. */
struct rdate {
	char kind;		/* 'J': Jn, 'n': n, 'M': Mm.w.d */
	int n, m, w, d;
	long secs;		/* local time of day of the change, may be <0 or >24h */
};

struct inc_tz {
	int64_t *when;		/* transition instants, ascending */
	long *off;		/* UTC offset in force from when[i] on */
	size_t n;
	long first;		/* offset before the first transition */
	int rule;		/* the footer rule applies after when[n-1] */
	int dst;		/* the rule has daylight saving time */
	long stdoff, dstoff;	/* seconds east */
	struct rdate start, end;
};

static uint32_t
be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int64_t
be64(const unsigned char *p)
{
	return (int64_t)((uint64_t)be32(p) << 32 | be32(p + 4));
}

/* ---- the POSIX TZ string of the footer ---- */

static const char *
parse_abbr(const char *s)
{
	const char *p = s;

	if (*s == '<') {
		for (p = s + 1; *p && *p != '>'; p++)
			if (!(('A' <= *p && *p <= 'Z') || ('a' <= *p && *p <= 'z') ||
			      ('0' <= *p && *p <= '9') || *p == '+' || *p == '-'))
				return NULL;
		return *p == '>' && p - s > 3 ? p + 1 : NULL;
	}
	while (('A' <= *p && *p <= 'Z') || ('a' <= *p && *p <= 'z'))
		p++;
	return p - s >= 3 ? p : NULL;
}

static const char *
parse_num(const char *s, long max, long *out)
{
	long v = 0;

	if (*s < '0' || *s > '9')
		return NULL;
	while ('0' <= *s && *s <= '9') {
		v = v * 10 + (*s++ - '0');
		if (v > max)
			return NULL;
	}
	*out = v;
	return s;
}

/* [+-]hh[:mm[:ss]] in seconds; maxh is 24 for offsets, 167 for the times
 * of day of rule transitions (RFC 8536's extension of POSIX). */
static const char *
parse_hms(const char *s, long maxh, long *out)
{
	long sign = 1, h, m = 0, sec = 0;

	if (*s == '+' || *s == '-')
		sign = *s++ == '-' ? -1 : 1;
	if (!(s = parse_num(s, maxh, &h)))
		return NULL;
	if (*s == ':') {
		if (!(s = parse_num(s + 1, 59, &m)))
			return NULL;
		if (*s == ':' && !(s = parse_num(s + 1, 59, &sec)))
			return NULL;
	}
	*out = sign * (h * 3600 + m * 60 + sec);
	return s;
}

static const char *
parse_rdate(const char *s, struct rdate *r)
{
	long a, b, c;

	if (*s == 'J') {
		if (!(s = parse_num(s + 1, 365, &a)) || a < 1)
			return NULL;
		r->kind = 'J';
		r->n = (int)a;
	} else if (*s == 'M') {
		if (!(s = parse_num(s + 1, 12, &a)) || a < 1 || *s != '.' ||
		    !(s = parse_num(s + 1, 5, &b)) || b < 1 || *s != '.' ||
		    !(s = parse_num(s + 1, 6, &c)))
			return NULL;
		r->kind = 'M';
		r->m = (int)a;
		r->w = (int)b;
		r->d = (int)c;
	} else {
		if (!(s = parse_num(s, 365, &a)))
			return NULL;
		r->kind = 'n';
		r->n = (int)a;
	}
	r->secs = 7200;
	if (*s == '/' && !(s = parse_hms(s + 1, 167, &r->secs)))
		return NULL;
	return s;
}

/* "CET-1CEST,M3.5.0,M10.5.0/3", "<+03>-3", "EST5EDT,M3.2.0,M11.1.0". */
static int
parse_rule(struct inc_tz *tz, const char *s)
{
	long west;

	if (!*s)
		return 0;	/* no rule: the last transition holds for ever */
	if (!(s = parse_abbr(s)) || !(s = parse_hms(s, 24, &west)))
		return -1;
	tz->rule = 1;
	tz->stdoff = -west;	/* POSIX counts west, RFC 8536 and we east */
	if (!*s)
		return 0;
	if (!(s = parse_abbr(s)))
		return -1;
	tz->dst = 1;
	tz->dstoff = tz->stdoff + 3600;
	if (*s && *s != ',') {
		if (!(s = parse_hms(s, 24, &west)))
			return -1;
		tz->dstoff = -west;
	}
	if (!*s) {
		/* no dates: glibc's default, the US rules */
		tz->start = (struct rdate){'M', 0, 3, 2, 0, 7200};
		tz->end = (struct rdate){'M', 0, 11, 1, 0, 7200};
		return 0;
	}
	if (*s++ != ',' || !(s = parse_rdate(s, &tz->start)) || *s++ != ',' ||
	    !(s = parse_rdate(s, &tz->end)) || *s)
		return -1;
	return 0;
}

/* ---- the rule in force after the last transition ---- */

/* Local day number of a rule date in year y. */
static int64_t
rdate_day(const struct rdate *r, int64_t y)
{
	int64_t jan1 = inc_days_from_civil(y, 1, 1), first;
	int wd, dd;

	switch (r->kind) {
	case 'J':	/* 1..365, February 29 never counted */
		return jan1 + r->n - 1 + (inc_is_leap(y) && r->n >= 60);
	case 'n':	/* 0..365, February 29 counted */
		return jan1 + r->n;
	}
	first = inc_days_from_civil(y, r->m, 1);
	wd = (int)inc_fmod(first + 4, 7);	/* 0 = Sunday, as POSIX counts */
	dd = (r->d - wd + 7) % 7 + (r->w - 1) * 7;
	while (dd >= inc_mdays(y, r->m))
		dd -= 7;	/* week 5 means the last one */
	return first + dd;
}

/* The instants at which DST starts and ends in year y. Each change happens
 * at a local time of the time then in force. */
static void
rule_year(const struct inc_tz *tz, int64_t y, int64_t *start, int64_t *end)
{
	*start = rdate_day(&tz->start, y) * INC_DAY + tz->start.secs - tz->stdoff;
	*end = rdate_day(&tz->end, y) * INC_DAY + tz->end.secs - tz->dstoff;
}

static int64_t
rule_year_of(const struct inc_tz *tz, int64_t t)
{
	int64_t y;
	int m, d;

	inc_civil_from_days(inc_fdiv(t + tz->stdoff, INC_DAY), &y, &m, &d);
	return y;
}

static long
rule_offset(const struct inc_tz *tz, int64_t t)
{
	int64_t y, best = INT64_MIN, s, e;
	int dst = 0;

	if (!tz->dst)
		return tz->stdoff;
	/*
	 * The last change at or before t decides. Transition times may run a
	 * week into the neighbouring year, so look at the years around. On a
	 * tie the start wins: "J365/25" ending DST just as "0/0" starts it
	 * again is how a zone says daylight saving all year.
	 */
	y = rule_year_of(tz, t);
	for (int64_t yy = y - 2; yy <= y + 1; yy++) {
		rule_year(tz, yy, &s, &e);
		if (e <= t && e > best) {
			best = e;
			dst = 0;
		}
		if (s <= t && s >= best) {
			best = s;
			dst = 1;
		}
	}
	return dst ? tz->dstoff : tz->stdoff;
}

static int64_t
rule_next(const struct inc_tz *tz, int64_t t)
{
	int64_t y, best = INT64_MAX, s, e;

	if (!tz->dst)
		return INT64_MAX;
	y = rule_year_of(tz, t);
	for (int64_t yy = y - 1; yy <= y + 2; yy++) {
		rule_year(tz, yy, &s, &e);
		if (s > t && s < best)
			best = s;
		if (e > t && e < best)
			best = e;
	}
	return best;
}

/* ---- reading the file ---- */

/* One data block: 4-byte times (v1) or 8-byte times (v2+). Returns the
 * number of bytes it takes, or -1 if it does not fit in len. */
static long
parse_block(struct inc_tz *tz, const unsigned char *p, size_t len, int tsize)
{
	uint32_t isut, isstd, leap, timecnt, typecnt, charcnt;
	const unsigned char *times, *idx, *types;
	size_t need;

	if (len < 44 || memcmp(p, "TZif", 4) != 0)
		return -1;
	isut = be32(p + 20);
	isstd = be32(p + 24);
	leap = be32(p + 28);
	timecnt = be32(p + 32);
	typecnt = be32(p + 36);
	charcnt = be32(p + 40);
	if (typecnt < 1 || typecnt > 256 || timecnt > 100000 || leap > 100000 ||
	    isut > typecnt || isstd > typecnt || charcnt > 100000)
		return -1;
	need = 44 + (size_t)timecnt * (tsize + 1) + (size_t)typecnt * 6 + charcnt +
	       (size_t)leap * (tsize + 4) + isstd + isut;
	if (need > len)
		return -1;
	times = p + 44;
	idx = times + (size_t)timecnt * tsize;
	types = idx + timecnt;
	for (uint32_t i = 0; i < typecnt; i++) {
		int32_t o = (int32_t)be32(types + 6 * i);

		if (o <= -MAXOFF || o >= MAXOFF)
			return -1;
	}
	free(tz->when);
	free(tz->off);
	tz->when = inc_xmalloc(sizeof *tz->when * (timecnt ? timecnt : 1));
	tz->off = inc_xmalloc(sizeof *tz->off * (timecnt ? timecnt : 1));
	tz->n = timecnt;
	tz->first = (int32_t)be32(types);	/* RFC 8536: type 0 */
	for (uint32_t i = 0; i < timecnt; i++) {
		tz->when[i] = tsize == 8 ? be64(times + 8 * i) :
			      (int64_t)(int32_t)be32(times + 4 * i);
		if (idx[i] >= typecnt || (i && tz->when[i] <= tz->when[i - 1]))
			return -1;
		tz->off[i] = (int32_t)be32(types + 6 * idx[i]);
	}
	/* Leap second records are ignored: our instants are POSIX seconds. */
	return (long)need;
}

static int
parse_tzif(struct inc_tz *tz, const unsigned char *buf, size_t len)
{
	long n1, n2;
	const unsigned char *f, *nl;
	char rule[256];

	if ((n1 = parse_block(tz, buf, len, 4)) < 0)
		return -1;
	if (buf[4] == 0)
		return 0;	/* version 1: no 64-bit data, no footer */
	if ((n2 = parse_block(tz, buf + n1, len - n1, 8)) < 0)
		return -1;
	f = buf + n1 + n2;
	if (f == buf + len)
		return 0;	/* no footer at all: the last transition holds */
	if (*f != '\n' || !(nl = memchr(f + 1, '\n', buf + len - f - 1)) ||
	    (size_t)(nl - f - 1) >= sizeof rule)
		return -1;
	memcpy(rule, f + 1, nl - f - 1);
	rule[nl - f - 1] = '\0';
	return parse_rule(tz, rule);
}

static int
valid_name(const char *name)
{
	const char *p;

	if (!*name || *name == '/' || strstr(name, "..") || strlen(name) > 255)
		return 0;
	for (p = name; *p; p++)
		if (!(('A' <= *p && *p <= 'Z') || ('a' <= *p && *p <= 'z') ||
		      ('0' <= *p && *p <= '9') || strchr("/_+-.", *p)))
			return 0;
	return 1;
}

int
inc_tz_load(const char *name, struct inc_tz **out, char *err)
{
	const char *dir = getenv("TZDIR");
	char path[4096];
	unsigned char *buf;
	size_t len;
	FILE *f;
	struct inc_tz *tz;
	int rc;

	*out = NULL;
	if (!name || !valid_name(name))
		return inc_err(err, "unknown time zone \"%s\"", name ? name : "");
	if (!dir || !*dir)
		dir = "/usr/share/zoneinfo";
	tz = inc_xmalloc(sizeof *tz);
	memset(tz, 0, sizeof *tz);
	if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, name) >= sizeof path ||
	    !(f = fopen(path, "rb"))) {
		/* A system without tzdata still knows UTC: the 24x7 calendar of
		 * the shipped config must not depend on a package. */
		if (strcmp(name, "UTC") == 0 || strcmp(name, "Etc/UTC") == 0) {
			*out = tz;
			return 0;
		}
		free(tz);
		return inc_err(err, "unknown time zone \"%s\"", name);
	}
	buf = inc_xmalloc(TZMAXFILE);
	len = fread(buf, 1, TZMAXFILE, f);
	rc = ferror(f);
	fclose(f);
	if (rc || len < 4 || memcmp(buf, "TZif", 4) != 0) {
		/* a directory, an empty or foreign file: not a zone */
		free(buf);
		free(tz);
		return inc_err(err, "unknown time zone \"%s\"", name);
	}
	rc = len == TZMAXFILE ? -1 : parse_tzif(tz, buf, len);
	free(buf);
	if (rc < 0) {
		inc_tz_free(tz);
		return inc_err(err, "time zone \"%s\": corrupt file %s", name, path);
	}
	*out = tz;
	return 0;
}

void
inc_tz_free(struct inc_tz *tz)
{
	if (!tz)
		return;
	free(tz->when);
	free(tz->off);
	free(tz);
}

/* Index of the last transition at or before t; t >= when[0]. */
static size_t
find(const struct inc_tz *tz, int64_t t)
{
	size_t lo = 0, hi = tz->n;

	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (tz->when[mid] <= t)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

long
inc_tz_offset(const struct inc_tz *tz, int64_t t)
{
	t = inc_clamp_t(t);
	if (tz->n == 0 || t >= tz->when[tz->n - 1]) {
		if (tz->rule)
			return rule_offset(tz, t);
		return tz->n ? tz->off[tz->n - 1] : tz->first;
	}
	if (t < tz->when[0])
		return tz->first;
	return tz->off[find(tz, t)];
}

int64_t
inc_tz_next_change(const struct inc_tz *tz, int64_t t)
{
	t = inc_clamp_t(t);
	if (tz->n && t < tz->when[0])
		return tz->when[0];
	if (tz->n && t < tz->when[tz->n - 1])
		return tz->when[find(tz, t) + 1];
	return tz->rule ? rule_next(tz, t) : INT64_MAX;
}

/*
 * Walks the stretches of constant offset that can hold the answer, in
 * time order: the first stretch whose image contains local holds its
 * first occurrence; if local falls between two stretches' images, it is
 * in a gap, and the change that opened the gap is the answer. Any
 * solution t = local - offset lies within MAXOFF of local.
 */
int64_t
inc_tz_to_utc(const struct inc_tz *tz, int64_t local)
{
	int64_t t, hi, next, cand;
	long o, o2;

	local = inc_clamp_t(local);
	t = local - MAXOFF - 1;
	hi = local + MAXOFF + 1;
	o = inc_tz_offset(tz, t);
	for (int i = 0; i < 64; i++) {
		next = inc_tz_next_change(tz, t);
		cand = local - o;
		if (cand >= t && cand < next)
			return cand;
		if (next > hi)
			break;
		o2 = inc_tz_offset(tz, next);
		if (cand >= next && local < next + o2)
			return next;
		t = next;
		o = o2;
	}
	/* not reached with offsets within MAXOFF */
	return local - inc_tz_offset(tz, local);
}
