/*
 * json.c - JSON written by hand, byte for byte as Jansson's compact dump
 * writes it (same escapes, upper-case \u hex): the record goes out a
 * million times in a bulk load, and building then dumping a json_t tree
 * per record costs more than the insert itself. A unit test holds it to
 * json_dumps() on hostile strings.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "inc.h"

/* Bytes a string is written with other than as they are: control
 * characters (NUL: its end), " and \\ */
static const unsigned char escaped[256] = {
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
};

void
inc_json_str(struct inc_buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	const char *run = s;

	if (!s) {
		inc_buf_add(b, "null", 4);
		return;
	}
	inc_buf_add(b, "\"", 1);
	for (;; s++) {
		unsigned char c;
		char esc[7];
		size_t n = 2;

		while (!escaped[(unsigned char)*s])
			s++;
		if (!*s)
			break;
		c = (unsigned char)*s;
		inc_buf_add(b, run, (size_t)(s - run));
		esc[0] = '\\';
		switch (c) {
		case '"': esc[1] = '"'; break;
		case '\\': esc[1] = '\\'; break;
		case '\b': esc[1] = 'b'; break;
		case '\f': esc[1] = 'f'; break;
		case '\n': esc[1] = 'n'; break;
		case '\r': esc[1] = 'r'; break;
		case '\t': esc[1] = 't'; break;
		default:
			memcpy(esc + 1, "u00", 3);
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 15];
			n = 6;
		}
		inc_buf_add(b, esc, n);
		run = s + 1;
	}
	inc_buf_add(b, run, (size_t)(s - run));
	inc_buf_add(b, "\"", 1);
}

/* Decimal by hand: printf showed in the profile of a bulk load. */
void
inc_json_int(struct inc_buf *b, int64_t v)
{
	char d[24], *p = d + sizeof d;
	uint64_t u = v < 0 ? -(uint64_t)v : (uint64_t)v;

	if (v == INC_NULL) {
		inc_buf_add(b, "null", 4);
		return;
	}
	do
		*--p = (char)('0' + u % 10);
	while (u /= 10);
	if (v < 0)
		*--p = '-';
	inc_buf_add(b, p, (size_t)(d + sizeof d - p));
}

/* Reals and strings holding a NUL are left to Jansson. */
void
inc_json_value(struct inc_buf *b, const json_t *v)
{
	const char *k;
	json_t *e;
	size_t i;
	char *s;

	switch (json_typeof(v)) {
	case JSON_OBJECT:
		i = 0;
		inc_buf_add(b, "{", 1);
		json_object_foreach((json_t *)v, k, e) {
			if (i++)
				inc_buf_add(b, ",", 1);
			inc_json_str(b, k);
			inc_buf_add(b, ":", 1);
			inc_json_value(b, e);
		}
		inc_buf_add(b, "}", 1);
		return;
	case JSON_ARRAY:
		inc_buf_add(b, "[", 1);
		json_array_foreach(v, i, e) {
			if (i)
				inc_buf_add(b, ",", 1);
			inc_json_value(b, e);
		}
		inc_buf_add(b, "]", 1);
		return;
	case JSON_STRING:
		if (strlen(json_string_value(v)) == json_string_length(v)) {
			inc_json_str(b, json_string_value(v));
			return;
		}
		break;
	case JSON_INTEGER:
		/* INT64_MIN is a value here, not null */
		if (json_integer_value(v) != INC_NULL) {
			inc_json_int(b, json_integer_value(v));
			return;
		}
		break;
	case JSON_TRUE:
		inc_buf_add(b, "true", 4);
		return;
	case JSON_FALSE:
		inc_buf_add(b, "false", 5);
		return;
	case JSON_NULL:
		inc_buf_add(b, "null", 4);
		return;
	case JSON_REAL:
		break;
	}
	s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
	inc_buf_addstr(b, s ? s : "null");
	free(s);
}

/* ---- JSON read without a tree ---- */

/*
 * A scanner that says "certainly valid" only where Jansson's json_loadb
 * (JSON_REJECT_DUPLICATES) reads the same text without an error, and
 * "ask Jansson" on anything it does not follow: escapes in keys, \u0000
 * and surrogate escapes, integers of 19 digits or more, reals that could
 * overflow, objects of more than SCAN_KEYS keys, nesting past SCAN_DEPTH.
 * It never builds anything: a tool that only needs a line's "id" (a full
 * record of a kilobyte, from the stage before) reads it at a tenth of the
 * cost of the tree, and the few lines it is unsure of go to Jansson, whose
 * messages say what is wrong.
 */
#define SCAN_DEPTH 64
#define SCAN_KEYS 128

struct scan {
	const unsigned char *p, *end;
	const char *key;	/* the top-level key looked for */
	size_t klen;
	const char *val;	/* its value's text, once found */
	size_t vlen;
};

static int scan_value(struct scan *, int depth);

static void
scan_ws(struct scan *s)
{
	while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r'))
		s->p++;
}

static int
hexval(unsigned c)
{
	return c >= '0' && c <= '9' ? (int)(c - '0') : c >= 'a' && c <= 'f' ? (int)(c - 'a' + 10) :
	       c >= 'A' && c <= 'F' ? (int)(c - 'A' + 10) : -1;
}

/* A string from its opening quote; a key may hold no escape (compared as
 * it is written). 1 and past it, or 0. */
static int
scan_string(struct scan *s, int key)
{
	const unsigned char *p = s->p + 1, *end = s->end;

	while (p < end) {
		unsigned c = *p;

		if (c == '"') {
			s->p = p + 1;
			return 1;
		}
		if (c < 0x20)
			return 0;
		if (c == '\\') {
			if (key || p + 1 >= end)
				return 0;
			c = p[1];
			if (c == 'u') {
				int v = 0;

				if (end - p < 6)
					return 0;
				for (int i = 2; i < 6; i++) {
					int h = hexval(p[i]);

					if (h < 0)
						return 0;
					v = v * 16 + h;
				}
				if (v == 0 || (v >= 0xd800 && v <= 0xdfff))
					return 0;
				p += 6;
				continue;
			}
			if (!strchr("\"\\/bfnrt", (int)c) || c == 0)
				return 0;
			p += 2;
			continue;
		}
		if (c < 0x80) {
			p++;
			continue;
		}
		/* UTF-8 as inc_utf8_valid (and Jansson) take it */
		{
			size_t k = inc_utf8_seq(p, end);

			if (!k)
				return 0;
			p += k;
		}
	}
	return 0;
}

/* A number, as Jansson lexes it, that it also converts without error. */
static int
scan_number(struct scan *s)
{
	const unsigned char *p = s->p, *end = s->end;
	size_t ndig = 0, edig = 0;
	int real = 0;

	if (p < end && *p == '-')
		p++;
	if (p >= end || *p < '0' || *p > '9')
		return 0;
	if (*p == '0') {
		p++;
		ndig = 1;
		if (p < end && *p >= '0' && *p <= '9')
			return 0;
	} else {
		while (p < end && *p >= '0' && *p <= '9') {
			p++;
			ndig++;
		}
	}
	if (p < end && *p == '.') {
		real = 1;
		p++;
		if (p >= end || *p < '0' || *p > '9')
			return 0;
		while (p < end && *p >= '0' && *p <= '9')
			p++;
	}
	if (p < end && (*p == 'e' || *p == 'E')) {
		real = 1;
		p++;
		if (p < end && (*p == '+' || *p == '-'))
			p++;
		if (p >= end || *p < '0' || *p > '9')
			return 0;
		while (p < end && *p >= '0' && *p <= '9') {
			p++;
			edig++;
		}
	}
	/* an integer that fits int64; a real that cannot overflow a double */
	if (real ? ndig > 15 || edig > 2 : ndig > 18)
		return 0;
	s->p = p;
	return 1;
}

static int
scan_word(struct scan *s, const char *w, size_t n)
{
	if ((size_t)(s->end - s->p) < n || memcmp(s->p, w, n) != 0)
		return 0;
	s->p += n;
	return 1;
}

/* After a member or an element: 1 past the closing bracket, 2 past a
 * comma (and the blanks after it), 0 on anything else. */
static int
scan_next(struct scan *s, unsigned char close)
{
	scan_ws(s);
	if (s->p >= s->end)
		return 0;
	if (*s->p == close) {
		s->p++;
		return 1;
	}
	if (*s->p != ',')
		return 0;
	s->p++;
	scan_ws(s);
	return 2;
}

static int
scan_object(struct scan *s, int depth)
{
	const unsigned char *key[SCAN_KEYS];
	size_t klen[SCAN_KEYS], nk = 0;

	s->p++;	/* { */
	scan_ws(s);
	if (s->p < s->end && *s->p == '}') {
		s->p++;
		return 1;
	}
	for (;;) {
		const unsigned char *k;
		size_t kn;
		int rc;

		if (s->p >= s->end || *s->p != '"' || nk == SCAN_KEYS)
			return 0;
		k = s->p + 1;
		if (!scan_string(s, 1))
			return 0;
		kn = (size_t)(s->p - 1 - k);
		/* JSON_REJECT_DUPLICATES: Jansson refuses the line */
		for (size_t i = 0; i < nk; i++)
			if (klen[i] == kn && memcmp(key[i], k, kn) == 0)
				return 0;
		key[nk] = k;
		klen[nk++] = kn;
		scan_ws(s);
		if (s->p >= s->end || *s->p != ':')
			return 0;
		s->p++;
		scan_ws(s);
		if (depth == 1 && s->key && kn == s->klen && memcmp(k, s->key, kn) == 0) {
			const unsigned char *v = s->p;

			if (!scan_value(s, depth))
				return 0;
			s->val = (const char *)v;
			s->vlen = (size_t)(s->p - v);
		} else if (!scan_value(s, depth)) {
			return 0;
		}
		if ((rc = scan_next(s, '}')) != 2)
			return rc;
	}
}

static int
scan_array(struct scan *s, int depth)
{
	s->p++;	/* [ */
	scan_ws(s);
	if (s->p < s->end && *s->p == ']') {
		s->p++;
		return 1;
	}
	for (;;) {
		int rc;

		if (!scan_value(s, depth))
			return 0;
		if ((rc = scan_next(s, ']')) != 2)
			return rc;
	}
}

static int
scan_value(struct scan *s, int depth)
{
	if (s->p >= s->end)
		return 0;
	switch (*s->p) {
	case '{':
		return depth < SCAN_DEPTH && scan_object(s, depth + 1);
	case '[':
		return depth < SCAN_DEPTH && scan_array(s, depth + 1);
	case '"':
		return scan_string(s, 0);
	case 't':
		return scan_word(s, "true", 4);
	case 'f':
		return scan_word(s, "false", 5);
	case 'n':
		return scan_word(s, "null", 4);
	default:
		return scan_number(s);
	}
}

int
inc_json_scan_object(const char *text, size_t n, const char *key, const char **val,
		     size_t *vlen)
{
	struct scan s = {(const unsigned char *)text, (const unsigned char *)text + n, key,
			 key ? strlen(key) : 0, NULL, 0};

	*val = NULL;
	*vlen = 0;
	scan_ws(&s);
	if (s.p >= s.end || *s.p != '{' || !scan_object(&s, 1))
		return 0;
	scan_ws(&s);
	if (s.p != s.end)
		return 0;
	*val = s.val;
	*vlen = s.vlen;
	return 1;
}
