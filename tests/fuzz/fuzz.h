/*
 * fuzz.h - what the libFuzzer harnesses of tests/fuzz share: the check
 * that turns a broken invariant into a crash libFuzzer saves, the shipped
 * config found from the harness binary, and input bytes made into the
 * valid UTF-8 the library is promised (records are checked at intake).
 */
#ifndef INC_FUZZ_H
#define INC_FUZZ_H

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "inc.h"

/* A broken invariant is a bug: say which, then abort so that libFuzzer
 * keeps the input and prints the stack. */
#define FUZZ_CHECK(cond, ...) do { \
	if (!(cond)) { \
		fprintf(stderr, "FUZZ_CHECK failed at %s:%d: %s\n  ", __FILE__, __LINE__, #cond); \
		fprintf(stderr, __VA_ARGS__); \
		fputc('\n', stderr); \
		abort(); \
	} \
} while (0)

/* The same for a bug already reported, under a name: INC_FUZZ_KNOWN (a
 * comma list of such names) skips it, so that a long run can look past it
 * while the fix is pending. */
#define FUZZ_CHECK_KNOWN(name, cond, ...) do { \
	if (!(cond) && !fuzz_known(name)) \
		FUZZ_CHECK(cond, __VA_ARGS__); \
} while (0)

static inline int
fuzz_known(const char *name)
{
	const char *l = getenv("INC_FUZZ_KNOWN");
	size_t n = strlen(name);

	for (; l && *l; l += strcspn(l, ","), l += *l == ',')
		if (strncmp(l, name, n) == 0 && (l[n] == ',' || !l[n]))
			return 1;
	return 0;
}

/* A refusal must say why, within INC_ERRLEN. */
#define FUZZ_CHECK_ERR(err) \
	FUZZ_CHECK((err)[0] && memchr((err), '\0', INC_ERRLEN), "a refusal with an empty message")

/* The whole of a file, NUL-terminated; NULL if unreadable. */
static inline char *
fuzz_slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0, n = 0, got;

	if (!f)
		return NULL;
	do {
		if (cap - n < 4096) {
			cap = cap ? cap * 2 : 8192;
			buf = inc_xrealloc(buf, cap + 1);
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
	} while (got > 0);
	if (ferror(f)) {
		free(buf);
		buf = NULL;
	} else {
		buf[n] = '\0';
		*len = n;
	}
	fclose(f);
	return buf;
}

/* The shipped config: INC_FUZZ_CONFIG, else share/config.json of the tree
 * the harness was built in (tests/fuzz/build/NAME_fuzz). Its text, or exit:
 * a harness without it would fuzz nothing. */
static inline char *
fuzz_config_text(size_t *len, const char **where)
{
	static char path[PATH_MAX + 64];
	const char *e = getenv("INC_FUZZ_CONFIG");
	char exe[PATH_MAX];
	char *text;

	if (e && *e) {
		snprintf(path, sizeof path, "%s", e);
	} else {
		ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
		char *slash;

		exe[n > 0 ? n : 0] = '\0';
		if ((slash = strrchr(exe, '/')))
			*slash = '\0';
		snprintf(path, sizeof path, "%s/../../../share/config.json", exe);
	}
	if (!(text = fuzz_slurp(path, len))) {
		fprintf(stderr, "fuzz: cannot read the shipped config %s (set INC_FUZZ_CONFIG)\n",
			path);
		exit(2);
	}
	*where = path;
	return text;
}

/* The shipped config, loaded, or exit. */
static inline struct inc_config *
fuzz_config_load(void)
{
	char err[INC_ERRLEN];
	const char *where;
	size_t len;
	char *text = fuzz_config_text(&len, &where);
	struct inc_config *c = inc_config_parse(text, len, where, err);

	free(text);
	if (!c) {
		fprintf(stderr, "fuzz: %s\n", err);
		exit(2);
	}
	return c;
}

/* n bytes as a NUL-terminated string the library accepts as a record's
 * text (inc_utf8_valid: UTF-8, no NUL): every byte that does not start a
 * valid sequence becomes '?'. */
static inline char *
fuzz_utf8(const uint8_t *p, size_t n)
{
	char *s = inc_xmalloc(n + 1);
	size_t i = 0, o = 0;

	while (i < n) {
		size_t k = p[i] < 0x80 ? 1 : p[i] < 0xe0 ? 2 : p[i] < 0xf0 ? 3 : 4;

		if (k <= n - i && inc_utf8_valid((const char *)p + i, k)) {
			memcpy(s + o, p + i, k);
			o += k;
			i += k;
		} else {
			s[o++] = '?';
			i++;
		}
	}
	s[o] = '\0';
	return s;
}

/* Little-endian integer of up to 8 bytes at p (fewer bytes: zeros). */
static inline uint64_t
fuzz_u64(const uint8_t *p, size_t n)
{
	uint64_t v = 0;

	for (size_t i = 0; i < 8 && i < n; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

#endif
