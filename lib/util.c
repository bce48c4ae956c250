/*
 * util.c - messages, growable buffers, allocation and small string helpers
 * shared by every module.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "inc.h"

const char *
inc_progname(void)
{
	/* glibc keeps argv[0]'s base name: no state of our own needed */
	return program_invocation_short_name;
}

void
inc_vwarn(const char *fmt, va_list ap)
{
	fflush(stdout);
	fprintf(stderr, "%s: ", inc_progname());
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void
inc_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	inc_vwarn(fmt, ap);
	va_end(ap);
}

int
inc_err(char *err, const char *fmt, ...)
{
	va_list ap;

	if (err) {
		va_start(ap, fmt);
		vsnprintf(err, INC_ERRLEN, fmt, ap);
		va_end(ap);
	}
	return -1;
}

void *
inc_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		abort();
	return p;
}

void *
inc_xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		abort();
	return p;
}

char *
inc_xstrdup(const char *s)
{
	char *p;

	if (!s)
		return NULL;
	p = strdup(s);
	if (!p)
		abort();
	return p;
}

void
inc_buf_grow(struct inc_buf *b, size_t n)
{
	size_t cap = b->cap ? b->cap : 256;

	while (cap < b->len + n + 1)
		cap *= 2;
	b->data = inc_xrealloc(b->data, cap);
	b->cap = cap;
}

void
inc_buf_addstr(struct inc_buf *b, const char *s)
{
	inc_buf_add(b, s, strlen(s));
}

void
inc_buf_vprintf(struct inc_buf *b, const char *fmt, va_list ap)
{
	va_list again;
	char small[256];
	int n;

	va_copy(again, ap);
	n = vsnprintf(small, sizeof small, fmt, ap);
	if (n < 0 || (size_t)n < sizeof small) {
		if (n > 0)
			inc_buf_add(b, small, (size_t)n);
		va_end(again);
		return;
	}
	inc_buf_add(b, "", 0);
	if (b->len + (size_t)n + 1 > b->cap) {
		b->cap = b->len + (size_t)n + 1;
		b->data = inc_xrealloc(b->data, b->cap);
	}
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, again);
	va_end(again);
	b->len += (size_t)n;
}

void
inc_buf_printf(struct inc_buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	inc_buf_vprintf(b, fmt, ap);
	va_end(ap);
}

void
inc_buf_free(struct inc_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

int
inc_utf8_valid(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + n;

	while (p < end) {
		unsigned c = *p;
		size_t k;

		if (c < 0x80) {
			if (c == 0)
				return 0;
			p++;
			continue;
		}
		if (!(k = inc_utf8_seq(p, end)))
			return 0;
		p += k;
	}
	return 1;
}

size_t
inc_utf8_seq(const unsigned char *p, const unsigned char *end)
{
	unsigned c = *p, cp;
	size_t k;

	if (c >= 0xc2 && c <= 0xdf) { k = 1; cp = c & 0x1f; }
	else if (c >= 0xe0 && c <= 0xef) { k = 2; cp = c & 0x0f; }
	else if (c >= 0xf0 && c <= 0xf4) { k = 3; cp = c & 0x07; }
	else
		return 0;
	if ((size_t)(end - p) <= k)
		return 0;
	for (size_t i = 1; i <= k; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[i] & 0x3f);
	}
	/* no overlong form, no surrogate, nothing past U+10FFFF */
	if ((k == 2 && cp < 0x800) || (k == 3 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return k + 1;
}

int
inc_json_array_has(const json_t *array, const char *s)
{
	size_t i;
	const json_t *v;

	if (!s)
		return 0;
	json_array_foreach(array, i, v)
		if (json_is_string(v) && strcmp(json_string_value(v), s) == 0)
			return 1;
	return 0;
}

int
inc_streq(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

int
inc_in_list(const char *s, const char *const *list)
{
	for (; s && *list; list++)
		if (strcmp(s, *list) == 0)
			return 1;
	return 0;
}

int64_t
inc_mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int
inc_split(const char *list, int (*fn)(const char *item, void *arg), void *arg)
{
	char *s = inc_xstrdup(list ? list : ""), *save = NULL;
	int rc = 0;

	for (char *w = strtok_r(s, ",", &save); w && rc == 0; w = strtok_r(NULL, ",", &save))
		rc = fn(w, arg);
	free(s);
	return rc;
}

static int
append(const char *item, void *arg)
{
	json_array_append_new(arg, json_string(item));
	return 0;
}

json_t *
inc_split_json(const char *list)
{
	json_t *a = json_array();

	inc_split(list, append, a);
	return a;
}
