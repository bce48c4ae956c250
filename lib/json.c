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
