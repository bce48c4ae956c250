/*
 * json_test.c - a differential test of the JSON written by hand (lib/json.c:
 * inc_json_str, inc_json_int, inc_json_value; lib/record.c's
 * inc_incident_write) against Jansson's json_dumps(JSON_COMPACT |
 * JSON_ENCODE_ANY), which json.c promises to match byte for byte: every
 * control character, quotes and backslashes, "/", DEL, U+2028/U+2029, every
 * UTF-8 length up to U+10FFFF, a 1 MiB string, strings holding a NUL,
 * integers at their limits, reals, nesting, a seeded random corpus of a few
 * thousand values; then the whole record of SPEC section 1 with hostile
 * strings in every field: valid JSON, every field back as it went in, the
 * "sla" object, and the key order of the registry and of SPEC.
 *
 * Invalid UTF-8 is outside the comparison: Jansson refuses it in
 * json_string() (and on load), while inc_json_str writes bytes as they come.
 * Records are validated at intake (inc_utf8_valid), so none reaches the
 * writer; what is held here is that even then no raw control character or
 * unescaped quote leaves it, so a JSON line stays one line.
 */
#include <float.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "inc.h"

static int passed, failed;

static void
check(int ok, const char *what, const char *detail)
{
	if (ok) {
		passed++;
		return;
	}
	failed++;
	printf("FAIL %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
}

/* A printable excerpt of bytes around offset at, for messages. */
static void
excerpt(char *out, size_t len, const char *s, size_t n, size_t at)
{
	size_t from = at > 16 ? at - 16 : 0, to = at + 16 < n ? at + 16 : n, k = 0;

	for (size_t i = from; i < to && k + 5 < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x20 && c < 0x7f)
			out[k++] = (char)c;
		else
			k += (size_t)snprintf(out + k, len - k, "<%02X>", c);
	}
	out[k] = '\0';
}

/* got (n bytes) equals want (m bytes); on a difference, where and what. */
static void
bytes_equal(const char *what, const char *got, size_t n, const char *want, size_t m)
{
	char d[512], eg[128], ew[128];
	size_t i = 0;

	while (i < n && i < m && got[i] == want[i])
		i++;
	if (i == n && n == m) {
		check(1, what, NULL);
		return;
	}
	excerpt(eg, sizeof eg, got, n, i);
	excerpt(ew, sizeof ew, want, m, i);
	snprintf(d, sizeof d, "differs at byte %zu of %zu/%zu: got ...%s... want ...%s...",
		 i, n, m, eg, ew);
	check(0, what, d);
}

/* inc_json_value(v) is json_dumps(v) byte for byte. */
static void
value_same(const char *what, const json_t *v)
{
	struct inc_buf b = {0};
	char *want = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);

	if (!want) {
		check(0, what, "json_dumps refused the value");
		return;
	}
	inc_json_value(&b, v);
	bytes_equal(what, b.data, b.len, want, strlen(want));
	inc_buf_free(&b);
	free(want);
}

/*
 * The string s of n bytes: through inc_json_str (when it holds no NUL: a C
 * string cannot say more) and through inc_json_value, as Jansson writes it.
 */
static void
string_same(const char *what, const char *s, size_t n)
{
	json_t *j = json_stringn(s, n);
	char w[160];

	if (!j) {
		check(0, what, "json_stringn refused it (not valid UTF-8?)");
		return;
	}
	if (memchr(s, '\0', n) == NULL) {
		struct inc_buf b = {0};
		char *want = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY);
		char *c = inc_xmalloc(n + 1);	/* s need not end in a NUL */

		memcpy(c, s, n);
		c[n] = '\0';
		snprintf(w, sizeof w, "inc_json_str %s", what);
		inc_json_str(&b, c);
		bytes_equal(w, b.data, b.len, want, strlen(want));
		inc_buf_free(&b);
		free(want);
		free(c);
	}
	snprintf(w, sizeof w, "inc_json_value %s", what);
	value_same(w, j);
	json_decref(j);
}

static void
cstring_same(const char *what, const char *s)
{
	string_same(what, s, strlen(s));
}

/* inc_json_int(v) writes exactly `want`. */
static void
int_is(int64_t v, const char *want)
{
	struct inc_buf b = {0};
	char what[64];

	snprintf(what, sizeof what, "inc_json_int %" PRId64, v);
	inc_json_int(&b, v);
	bytes_equal(what, b.data, b.len, want, strlen(want));
	inc_buf_free(&b);
}

/* inc_json_int and inc_json_value against Jansson for integer v. */
static void
int_same(int64_t v)
{
	json_t *j = json_integer(v);
	char *want = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY);
	char what[64];

	int_is(v, want);
	snprintf(what, sizeof what, "inc_json_value %" PRId64, v);
	value_same(what, j);
	free(want);
	json_decref(j);
}

/* ---- the hostile strings ---- */

static void
test_control_chars(void)
{
	for (int c = 0; c < 0x20; c++) {
		char s[8], what[64];

		/* alone */
		s[0] = (char)c;
		snprintf(what, sizeof what, "control 0x%02X alone", c);
		string_same(what, s, 1);
		/* embedded, first and last, doubled */
		memcpy(s, "a?b", 3);
		s[1] = (char)c;
		snprintf(what, sizeof what, "control 0x%02X embedded", c);
		string_same(what, s, 3);
		s[0] = (char)c;
		s[1] = 'x';
		s[2] = (char)c;
		snprintf(what, sizeof what, "control 0x%02X first and last", c);
		string_same(what, s, 3);
		s[0] = s[1] = (char)c;
		s[2] = '"';
		s[3] = (char)c;
		s[4] = '\\';
		snprintf(what, sizeof what, "control 0x%02X with quote and backslash", c);
		string_same(what, s, 5);
	}
	/* all of them in a row, after text */
	{
		char s[40];

		memcpy(s, "x:", 2);
		for (int c = 1; c < 0x20; c++)
			s[1 + c] = (char)c;
		string_same("every control character in a row", s, 33);
	}
}

static void
test_specials(void)
{
	static const struct {
		const char *what, *s;
	} cases[] = {
		{"empty", ""},
		{"plain ASCII", "Printer on floor 3 is down"},
		{"DEL", "\x7f"},
		{"DEL embedded", "a\x7f" "b"},
		{"quote", "\""},
		{"backslash", "\\"},
		{"quotes and backslashes", "\\\"\\\\\"\"\\"},
		{"escaped-looking text", "\\n\\u0000\\\""},
		{"slash", "/"},
		{"closing script tag", "</script>"},
		{"U+2028", "\xe2\x80\xa8"},
		{"U+2029", "\xe2\x80\xa9"},
		{"U+2028 and U+2029 in text", "line\xe2\x80\xa8sep\xe2\x80\xa9par"},
		{"U+0080 (2 bytes, lowest)", "\xc2\x80"},
		{"e acute (2 bytes)", "caf\xc3\xa9"},
		{"U+07FF (2 bytes, highest)", "\xdf\xbf"},
		{"U+0800 (3 bytes, lowest)", "\xe0\xa0\x80"},
		{"euro sign (3 bytes)", "\xe2\x82\xac 5"},
		{"U+D7FF (below the surrogates)", "\xed\x9f\xbf"},
		{"U+E000 (above the surrogates)", "\xee\x80\x80"},
		{"BOM U+FEFF", "\xef\xbb\xbf" "x"},
		{"U+FFFD", "\xef\xbf\xbd"},
		{"U+FFFE", "\xef\xbf\xbe"},
		{"U+FFFF (3 bytes, highest)", "\xef\xbf\xbf"},
		{"U+10000 (4 bytes, lowest)", "\xf0\x90\x80\x80"},
		{"emoji (4 bytes)", "\xf0\x9f\x98\x80 ok"},
		{"U+10FFFF (largest code point)", "\xf4\x8f\xbf\xbf"},
		{"every length in a row", "a\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\xf4\x8f\xbf\xbf\n"},
		{"mixed hostile", "\"}\n{\"id\":1,\x1b[31m\\u0000\xe2\x80\xa8/\x7f\t"},
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		cstring_same(cases[i].what, cases[i].s);
}

/* A NUL inside a json_t string: inc_json_value leaves it to Jansson. */
static void
test_nul_inside(void)
{
	string_same("NUL alone", "\0", 1);
	string_same("two NULs", "\0\0", 2);
	string_same("NUL between letters", "a\0b", 3);
	string_same("NUL first", "\0abc", 4);
	string_same("NUL last", "abc\0", 4);
	string_same("NUL with escapes", "x\0\n\"\\\x1f\xe2\x80\xa8", 10);
	/* and nested: the fallback writes only that value */
	{
		json_t *v = json_pack("{s:[s,o,i],s:o}", "a", "x",
				      json_stringn("p\0q", 3), 7, "b", json_stringn("\0", 1));

		value_same("NUL strings nested", v);
		json_decref(v);
	}
}

/* 1 MiB strings: the runs between escapes, and all escapes. */
static void
test_long(void)
{
	size_t n = (size_t)1 << 20;
	char *s = inc_xmalloc(n + 1);
	static const char *const pieces[] = {"abc", "\n", "\"", "\\", "\xc3\xa9",
		"\xe2\x80\xa8", "\xf0\x9f\x98\x80", "\x01", "/", "\x7f", "\t"};
	size_t k = 0, p = 0;

	/* a mixed 1 MiB, no piece cut */
	while (k + 4 <= n) {
		size_t l = strlen(pieces[p]);

		memcpy(s + k, pieces[p], l);
		k += l;
		p = (p * 7 + 3) % (sizeof pieces / sizeof pieces[0]);
	}
	while (k < n)
		s[k++] = 'z';
	s[n] = '\0';
	string_same("1 MiB mixed", s, n);
	/* 1 MiB of plain text: one run */
	memset(s, 'q', n);
	string_same("1 MiB plain", s, n);
	/* 1 MiB of control characters: every byte becomes \u00XX */
	for (k = 0; k < n; k++)
		s[k] = (char)(1 + k % 31);
	string_same("1 MiB of control characters", s, n);
	/* 1 MiB with a NUL in the middle: Jansson writes it all */
	memset(s, 'r', n);
	s[n / 2] = '\0';
	string_same("1 MiB with a NUL inside", s, n);
	free(s);
}

static void
test_integers(void)
{
	static const int64_t vals[] = {0, 1, -1, 9, 10, -9, -10, 99, 100, 12345, -12345,
		INT32_MAX, INT32_MIN, (int64_t)INT32_MAX + 1, (int64_t)INT32_MIN - 1,
		INT64_C(999999999999999999), INT64_C(1000000000000000000),
		INT64_C(-1000000000000000000), INT64_MAX, INT64_MAX - 1, INT64_MIN + 1,
		INT64_MIN + 2};

	for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++)
		int_same(vals[i]);
	for (int64_t p = 1; p <= INT64_MAX / 10; p *= 10) {
		int_same(p - 1);
		int_same(-p);
		int_same(-p - 1);
	}
	/* INT64_MIN is INC_NULL for inc_json_int: null, SPEC's unset */
	int_is(INC_NULL, "null");
	int_is(INT64_MIN, "null");
	int_is(INT64_MAX, "9223372036854775807");
	int_is(INT64_MIN + 1, "-9223372036854775807");
	/* but as a json_t integer it is a value, and inc_json_value says so */
	{
		json_t *j = json_integer(INT64_MIN);
		struct inc_buf b = {0};

		value_same("inc_json_value INT64_MIN", j);
		inc_json_value(&b, j);
		check(strcmp(b.data, "-9223372036854775808") == 0,
		      "inc_json_value INT64_MIN is a number", b.data);
		inc_buf_free(&b);
		json_decref(j);
	}
}

static void
test_scalars(void)
{
	static const double reals[] = {0.0, -0.0, 1.0, -1.0, 0.5, 1.5, 0.1, 1e300, -1e-300,
		3.141592653589793, 1e-7, 123456789012345678.0, DBL_MAX, DBL_MIN, 5e-324,
		0.8, 2.5e10};

	for (size_t i = 0; i < sizeof reals / sizeof reals[0]; i++) {
		json_t *j = json_real(reals[i]);
		char what[64];

		snprintf(what, sizeof what, "real %.17g", reals[i]);
		value_same(what, j);
		json_decref(j);
	}
	{
		json_t *t = json_true(), *f = json_false(), *n = json_null();
		struct inc_buf b = {0};

		value_same("true", t);
		value_same("false", f);
		value_same("null", n);
		inc_json_str(&b, NULL);
		check(strcmp(b.data, "null") == 0, "inc_json_str(NULL) is null", b.data);
		inc_buf_free(&b);
	}
}

static void
test_nested(void)
{
	static const char *const texts[] = {
		"{}", "[]", "[[]]", "{\"a\":{}}", "[{}, [], {\"\":[]}]",
		"{\"b\":1,\"a\":2,\"c\":3}",		/* order kept, not sorted */
		"{\"\\n\\t\\\"\\\\\\u0001\":\"\\u001f\", \"\\u2028\":[\"\\u2029\"]}",
		"{\"links\":[{\"type\":\"problem\",\"ref\":\"PRB-7\"},{\"type\":\"asset\",\"ref\":\"LAPTOP-0042\"}]}",
		"[1,-1,0,1.5,true,false,null,\"s\",{\"k\":[null]}]",
		"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\"deep\"]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
		"{\"a\":{\"b\":{\"c\":{\"d\":{\"e\":{\"f\":{\"g\":[1,{\"h\":null}]}}}}}}}",
		"{\"k\\u00e9y\\ud83d\\ude00\":\"v\\u00e9\\ud83d\\ude00\"}",
		"[9223372036854775807,-9223372036854775808,-9223372036854775807]",
		"[1e300,-0.0,0.1,5e-324]",
	};

	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		json_error_t je;
		json_t *v = json_loads(texts[i], JSON_DECODE_ANY, &je);

		if (!v) {
			check(0, texts[i], je.text);
			continue;
		}
		value_same(texts[i], v);
		json_decref(v);
	}
	/* hostile keys, built rather than parsed */
	{
		json_t *o = json_object();

		for (int c = 1; c < 0x20; c++) {
			char k[4] = {'k', (char)c, '"', 0};

			json_object_set_new(o, k, json_integer(c));
		}
		json_object_set_new(o, "\\", json_string("\\"));
		json_object_set_new(o, "", json_string(""));
		json_object_set_new(o, "\xe2\x80\xa8", json_string("\xf4\x8f\xbf\xbf"));
		value_same("object with hostile keys", o);
		json_decref(o);
	}
	/*
	 * A key holding a NUL is the one json_t inc_json_value does not write
	 * as Jansson does: keys go through inc_json_str, which stops at the NUL
	 * ({"a\u0000b":1} comes out {"a":1}). No input reaches it: Jansson's
	 * loader refuses such a key even with JSON_ALLOW_NUL, and the library
	 * builds no key with json_object_setn. Held here so that a change on
	 * either side is seen.
	 */
	{
		json_error_t je;
		json_t *v = json_loads("{\"a\\u0000b\":1}", JSON_ALLOW_NUL, &je);

		check(v == NULL, "Jansson's loader refuses a NUL in a key", NULL);
		json_decref(v);
	}
}

/* ---- a random corpus ---- */

static uint64_t seed = 0x2026112704230042ULL;

/* splitmix64: a fixed seed makes every run the same corpus */
static uint64_t
rnd(void)
{
	uint64_t z = (seed += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t
below(uint64_t n)
{
	return rnd() % n;
}

/* A code point of every class, as UTF-8 at p; returns its length. */
static size_t
put_cp(char *p, int allow_nul)
{
	uint32_t cp;

	switch (below(10)) {
	case 0:			/* control characters, NUL sometimes */
		cp = (uint32_t)below(0x20);
		if (cp == 0 && !allow_nul)
			cp = 0x1f;
		break;
	case 1:			/* the characters JSON escapes, and neighbours */
		cp = (uint32_t)"\"\\/\x7f '"[below(6)];
		break;
	case 2: case 3: case 4:	/* printable ASCII */
		cp = (uint32_t)(0x20 + below(0x5f));
		break;
	case 5:			/* 2 bytes */
		cp = (uint32_t)(0x80 + below(0x800 - 0x80));
		break;
	case 6:			/* 3 bytes, no surrogates */
		do
			cp = (uint32_t)(0x800 + below(0x10000 - 0x800));
		while (cp >= 0xd800 && cp <= 0xdfff);
		break;
	case 7:			/* the edges: U+2028, U+2029, U+FFFF, U+10FFFF... */
		cp = (const uint32_t[]){0x2028, 0x2029, 0xfeff, 0xfffd, 0xffff, 0xd7ff,
			0xe000, 0x10000, 0x10ffff, 0x7ff, 0x800, 0x80}[below(12)];
		break;
	default:		/* 4 bytes */
		cp = (uint32_t)(0x10000 + below(0x110000 - 0x10000));
		break;
	}
	if (cp < 0x80) {
		p[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		p[0] = (char)(0xc0 | cp >> 6);
		p[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		p[0] = (char)(0xe0 | cp >> 12);
		p[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		p[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	p[0] = (char)(0xf0 | cp >> 18);
	p[1] = (char)(0x80 | (cp >> 12 & 0x3f));
	p[2] = (char)(0x80 | (cp >> 6 & 0x3f));
	p[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/* Random valid UTF-8 of up to max code points into buf (4 * max + 1). */
static size_t
rand_text(char *buf, size_t max, int allow_nul)
{
	size_t n = below(max + 1), k = 0;

	for (size_t i = 0; i < n; i++)
		k += put_cp(buf + k, allow_nul);
	buf[k] = '\0';
	return k;
}

static int64_t
rand_int(void)
{
	switch (below(6)) {
	case 0:
		return (const int64_t[]){0, -1, 1, INT64_MAX, INT64_MIN, INT64_MIN + 1}[below(6)];
	case 1:
		return (int64_t)below(10);
	case 2:
		return -(int64_t)below(1000);
	default:
		return (int64_t)rnd();
	}
}

static json_t *
rand_value(int depth)
{
	char buf[4 * 40 + 1];
	size_t n, i;
	json_t *v;

	switch (depth >= 6 ? 2 + below(6) : below(8)) {
	case 0:
		v = json_object();
		n = below(6);
		for (i = 0; i < n; i++) {
			/* keys hold no NUL: Jansson's loader refuses those */
			rand_text(buf, 12, 0);
			json_object_set_new(v, buf, rand_value(depth + 1));
		}
		return v;
	case 1:
		v = json_array();
		n = below(6);
		for (i = 0; i < n; i++)
			json_array_append_new(v, rand_value(depth + 1));
		return v;
	case 2: case 3: case 4:
		n = rand_text(buf, 40, below(8) == 0);
		return json_stringn(buf, n);
	case 5:
		return json_integer(rand_int());
	case 6: {
		double d;

		/* any finite double, from its bits */
		do {
			uint64_t u = rnd();

			memcpy(&d, &u, sizeof d);
		} while (d != d || d - d != 0);
		return json_real(d);
	}
	default:
		return (json_t *[]){json_true(), json_false(), json_null()}[below(3)];
	}
}

static void
test_random(void)
{
	int bad = 0, n = 4000;

	for (int i = 0; i < n; i++) {
		json_t *v = rand_value(0);
		char *want = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
		struct inc_buf b = {0};

		inc_json_value(&b, v);
		if (!want || b.len != strlen(want) || memcmp(b.data, want, b.len) != 0) {
			char what[64];

			snprintf(what, sizeof what, "random value %d", i);
			if (bad++ < 5)
				bytes_equal(what, b.data, b.len, want ? want : "", want ? strlen(want) : 0);
			else
				check(0, what, NULL);
		} else {
			check(1, "random value", NULL);
		}
		inc_buf_free(&b);
		free(want);
		json_decref(v);
	}
}

/* ---- invalid UTF-8: outside the comparison, still one safe line ---- */

/*
 * out is a JSON string token as far as its escapes go: a quote, then no
 * raw byte below 0x20 and no unescaped quote, escapes JSON knows, the
 * closing quote last.
 */
static int
one_safe_token(const char *out, size_t n)
{
	if (n < 2 || out[0] != '"' || out[n - 1] != '"')
		return 0;
	for (size_t i = 1; i < n - 1; i++) {
		unsigned char c = (unsigned char)out[i];

		if (c < 0x20 || c == '"')
			return 0;
		if (c != '\\')
			continue;
		if (++i >= n - 1 || !strchr("\"\\/bfnrtu", out[i]))
			return 0;
		if (out[i] == 'u') {
			for (int k = 1; k <= 4; k++)
				if (i + (size_t)k >= n - 1 || !strchr("0123456789ABCDEF", out[i + k]))
					return 0;
			i += 4;
		}
	}
	return 1;
}

static void
test_invalid_utf8(void)
{
	static const struct {
		const char *what, *s, *want;
	} cases[] = {
		{"lone continuation byte", "\x80", "\"\x80\""},
		{"0xFF", "a\xff" "b", "\"a\xff" "b\""},
		{"overlong NUL", "\xc0\x80", "\"\xc0\x80\""},
		{"overlong slash", "\xe0\x80\xaf", "\"\xe0\x80\xaf\""},
		{"surrogate U+D800", "\xed\xa0\x80", "\"\xed\xa0\x80\""},
		{"above U+10FFFF", "\xf4\x90\x80\x80", "\"\xf4\x90\x80\x80\""},
		{"truncated sequence then newline", "\xe2\x82\n", "\"\xe2\x82\\n\""},
		{"lead byte before a quote", "\xc3\"", "\"\xc3\\\"\""},
		{"lead byte before a backslash", "\xf0\\", "\"\xf0\\\\\""},
		{"invalid around controls", "\xff\r\n\x01\xfe\x1f", "\"\xff\\r\\n\\u0001\xfe\\u001F\""},
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct inc_buf b = {0};
		char what[128];
		json_t *j = json_string(cases[i].s);

		/* Jansson will not hold it: this is why records are checked at intake */
		snprintf(what, sizeof what, "Jansson refuses invalid UTF-8: %s", cases[i].what);
		check(j == NULL && !inc_utf8_valid(cases[i].s, strlen(cases[i].s)), what, NULL);
		json_decref(j);
		inc_json_str(&b, cases[i].s);
		snprintf(what, sizeof what, "invalid UTF-8 escaped: %s", cases[i].what);
		check(one_safe_token(b.data, b.len) && !memchr(b.data, '\n', b.len), what, NULL);
		/* bytes >= 0x80 pass through as they are; the rest as Jansson would */
		snprintf(what, sizeof what, "invalid UTF-8 bytes kept: %s", cases[i].what);
		bytes_equal(what, b.data, b.len, cases[i].want, strlen(cases[i].want));
		inc_buf_free(&b);
	}
	/* a random byte soup: never a raw control byte or a stray quote */
	for (int i = 0; i < 500; i++) {
		char s[65];
		size_t n = 1 + below(64);
		struct inc_buf b = {0};

		for (size_t k = 0; k < n; k++)
			s[k] = (char)(1 + below(255));
		s[n] = '\0';
		inc_json_str(&b, s);
		check(one_safe_token(b.data, b.len), "random bytes give one safe token", NULL);
		inc_buf_free(&b);
	}
}

/* ---- the record ---- */

#define MEMBER(r, f, type) (*(type *)((char *)(r) + (f)->off))
#define T0 INT64_C(1795753380)	/* 2026-11-27T04:23:00Z */

/* SPEC section 1's keys in SPEC's order: the record has them all. */
static const char *const spec_order[] = {"id", "ref", "subject", "description", "requester",
	"source", "category", "subcategory", "impact", "urgency", "priority", "status",
	"group", "assignee", "major", "sla", "escalation_level", "reassignment_count",
	"reopen_count", "resolution", "resolution_type", "closure_code", "rating", "feedback",
	"links", "attachments", "external_id", "custom", "detected_at", "created_at",
	"updated_at", "resolved_at", "closed_at", NULL};

static const char *const sla_keys[] = {"policy", "response_due", "resolve_due",
	"responded_at", "response_met", "resolve_met", "paused_s", "state", NULL};

static const char *const hostile[] = {
	"\"quoted\" \\back\\slash\\",
	"line one\nline two\r\n\ttabbed\x0b\x0c\b",
	"\x01\x02\x03\x1b[31mred\x1b[0m\x1f\x7f",
	"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 \xf4\x8f\xbf\xbf",
	"\xe2\x80\xa8\xe2\x80\xa9</script>",
	"\"}\n{\"id\":1,\"ref\":\"INC-1\"",
	"",
	"plain",
};
#define NHOSTILE (sizeof hostile / sizeof hostile[0])

/* The keys of the record the registry describes, in registry order. */
static size_t
registry_keys(const char **keys, size_t max)
{
	size_t n = 0;
	int sla = 0;

	keys[n++] = "id";
	keys[n++] = "ref";
	for (size_t i = 0; i < inc_nfields && n < max - 1; i++) {
		const struct inc_field *f = &inc_fields[i];

		if (f->flags & INC_F_SLA_OBJ) {
			if (!sla++)
				keys[n++] = "sla";
		} else if (f->json[0]) {
			keys[n++] = f->json;
		}
	}
	keys[n] = NULL;
	return n;
}

static void
keys_are(const char *what, const json_t *obj, const char *const *want)
{
	const char *k;
	json_t *v;
	size_t i = 0;
	char d[256];

	json_object_foreach((json_t *)obj, k, v) {
		if (!want[i] || strcmp(k, want[i]) != 0) {
			snprintf(d, sizeof d, "key %zu is \"%s\", want \"%s\"", i, k,
				 want[i] ? want[i] : "(end)");
			check(0, what, d);
			return;
		}
		i++;
	}
	snprintf(d, sizeof d, "%zu keys, want more: \"%s\" next", i, want[i] ? want[i] : "");
	check(!want[i], what, d);
}

/* The keys of obj that SPEC knows come in SPEC's order, and it has no
 * other. */
static void
spec_order_kept(const char *what, const json_t *obj)
{
	const char *k;
	json_t *v;
	size_t pos = 0;
	char d[256];

	json_object_foreach((json_t *)obj, k, v) {
		size_t j = pos;

		while (spec_order[j] && strcmp(spec_order[j], k) != 0)
			j++;
		if (!spec_order[j]) {
			int known = 0;

			for (j = 0; spec_order[j]; j++)
				known |= strcmp(spec_order[j], k) == 0;
			snprintf(d, sizeof d, "\"%s\" %s", k,
				 known ? "out of SPEC order" : "not a SPEC field");
			check(0, what, d);
			return;
		}
		pos = j + 1;
	}
	check(1, what, NULL);
}

/* The same record built as a json_t, as SPEC section 1 describes it: what
 * json_dumps writes of it is what inc_incident_write must write. */
static json_t *
json_time(int64_t t)
{
	char buf[INC_TIMELEN];

	return t == INC_NULL ? json_null() : json_string(inc_time_format(t, buf));
}

static json_t *
json_str(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *
json_bool3(int64_t v)
{
	return v == INC_NULL ? json_null() : json_boolean(v);
}

static json_t *
expected_record(const struct inc_incident *r)
{
	json_t *o = json_object(), *sla = NULL;
	char ref[64];

	json_object_set_new(o, "id", json_integer(r->id));
	snprintf(ref, sizeof ref, "INC-%" PRId64, r->id);
	json_object_set_new(o, "ref", json_string(ref));
	for (size_t i = 0; i < inc_nfields; i++) {
		const struct inc_field *f = &inc_fields[i];
		json_t *v = NULL, *into = o;

		if (!f->json[0])
			continue;
		if (f->flags & INC_F_SLA_OBJ) {
			if (!sla) {
				sla = r->sla_policy ? json_object() : json_null();
				json_object_set_new(o, "sla", sla);
			}
			if (!r->sla_policy)
				continue;
			into = sla;
		}
		switch (f->type) {
		case INC_FT_STR:
			v = json_str(MEMBER(r, f, char *const));
			break;
		case INC_FT_JARR:
		case INC_FT_JOBJ: {
			const char *t = MEMBER(r, f, char *const);

			v = json_loads(t ? t : f->type == INC_FT_JARR ? "[]" : "{}", 0, NULL);
			break;
		}
		case INC_FT_INT:
		case INC_FT_CNT: {
			int64_t x = MEMBER(r, f, const int64_t);

			v = x == INC_NULL ? json_null() : json_integer(x);
			break;
		}
		case INC_FT_FLAG:
			v = json_boolean(MEMBER(r, f, const int64_t));
			break;
		case INC_FT_BOOL:
			v = json_bool3(MEMBER(r, f, const int64_t));
			break;
		case INC_FT_TIME:
			v = json_time(MEMBER(r, f, const int64_t));
			break;
		case INC_FT_STATUS:
			v = json_string(inc_status_name(MEMBER(r, f, const enum inc_status)));
			break;
		}
		json_object_set_new(into, f->json, v ? v : json_string("(test: bad JSON text)"));
	}
	return o;
}

/* "YYYY-MM-DDTHH:MM:SSZ" */
static int
iso_form(const char *s)
{
	static const char pat[] = "dddd-dd-ddTdd:dd:ddZ";

	if (!s || strlen(s) != sizeof pat - 1)
		return 0;
	for (size_t i = 0; pat[i]; i++)
		if (pat[i] == 'd' ? s[i] < '0' || s[i] > '9' : s[i] != pat[i])
			return 0;
	return 1;
}

/*
 * Write r, parse it back and hold it to what went in: valid JSON, one
 * line, no duplicate key, byte-equal to Jansson's dump of the same record,
 * every field back, times in SPEC section 4's form, the "sla" object, and
 * the key order of the registry and of SPEC.
 */
static void
record_round_trip(const char *name, const struct inc_incident *r, const json_t *event,
		  const json_t *extra)
{
	struct inc_buf b = {0};
	json_error_t je;
	json_t *got, *want, *sla;
	const char *keys[64];
	char what[160], *dump;

	inc_incident_write(&b, r, event, extra);
	snprintf(what, sizeof what, "%s: one line", name);
	check(!memchr(b.data, '\n', b.len) && !memchr(b.data, '\r', b.len), what, NULL);
	got = json_loadb(b.data, b.len, JSON_REJECT_DUPLICATES, &je);
	snprintf(what, sizeof what, "%s: valid JSON", name);
	check(got && json_is_object(got), what, got ? NULL : je.text);
	if (!got) {
		inc_buf_free(&b);
		return;
	}
	/* byte for byte the record Jansson would write */
	want = expected_record(r);
	if (extra)
		json_object_update(want, (json_t *)extra);
	if (event)
		json_object_set(want, "event", (json_t *)event);
	dump = json_dumps(want, JSON_COMPACT);
	snprintf(what, sizeof what, "%s: as json_dumps writes it", name);
	bytes_equal(what, b.data, b.len, dump, strlen(dump));
	free(dump);
	snprintf(what, sizeof what, "%s: every value back", name);
	check(json_equal(got, want), what, NULL);
	json_decref(want);

	/* field by field, by what SPEC says of each */
	for (size_t i = 0; i < inc_nfields; i++) {
		const struct inc_field *f = &inc_fields[i];
		const json_t *where = got, *v;
		int ok = 1;

		if (!f->json[0])
			continue;
		if (f->flags & INC_F_SLA_OBJ) {
			where = json_object_get(got, "sla");
			if (!r->sla_policy)
				continue;
		}
		v = json_object_get(where, f->json);
		switch (f->type) {
		case INC_FT_STR: {
			const char *s = MEMBER(r, f, char *const);

			ok = s ? json_is_string(v) && strcmp(json_string_value(v), s) == 0
			       : json_is_null(v);
			break;
		}
		case INC_FT_TIME: {
			int64_t t = MEMBER(r, f, const int64_t), back;

			/* written whatever it is; read back within the years
			 * 1970-9999 that the tools take in */
			ok = t == INC_NULL ? json_is_null(v) :
			     t < 0 || t > INT64_C(253402300799) ?
			     json_is_string(v) && (t < INT64_C(-62135596800) ||
						   iso_form(json_string_value(v))) :
			     json_is_string(v) && iso_form(json_string_value(v)) &&
			     inc_time_parse(json_string_value(v), 0, 0, &back) == 0 && back == t;
			break;
		}
		case INC_FT_INT:
		case INC_FT_CNT: {
			int64_t x = MEMBER(r, f, const int64_t);

			ok = x == INC_NULL ? json_is_null(v) :
			     json_is_integer(v) && json_integer_value(v) == x;
			break;
		}
		case INC_FT_FLAG:
			ok = json_is_boolean(v) && json_is_true(v) == !!MEMBER(r, f, const int64_t);
			break;
		case INC_FT_BOOL: {
			int64_t x = MEMBER(r, f, const int64_t);

			ok = x == INC_NULL ? json_is_null(v) : json_is_boolean(v) &&
			     json_is_true(v) == !!x;
			break;
		}
		case INC_FT_STATUS:
			ok = json_is_string(v) && strcmp(json_string_value(v),
				inc_status_name(MEMBER(r, f, const enum inc_status))) == 0;
			break;
		case INC_FT_JARR:
		case INC_FT_JOBJ: {
			const char *t = MEMBER(r, f, char *const);
			json_t *x = json_loads(t ? t : f->type == INC_FT_JARR ? "[]" : "{}", 0, NULL);

			ok = json_equal(x, v) && (f->type == INC_FT_JARR ? json_is_array(v) :
						  json_is_object(v));
			json_decref(x);
			break;
		}
		}
		snprintf(what, sizeof what, "%s: field %s", name, f->name);
		check(ok, what, NULL);
	}
	snprintf(what, sizeof what, "%s: id and ref", name);
	{
		char ref[64];

		snprintf(ref, sizeof ref, "INC-%" PRId64, r->id);
		check(json_integer_value(json_object_get(got, "id")) == r->id &&
		      inc_streq(json_string_value(json_object_get(got, "ref")), ref), what, NULL);
	}
	sla = json_object_get(got, "sla");
	if (r->sla_policy) {
		snprintf(what, sizeof what, "%s: sla is an object of 8 keys in order", name);
		keys_are(what, sla, sla_keys);
	} else {
		snprintf(what, sizeof what, "%s: sla null without a policy", name);
		check(json_is_null(sla), what, NULL);
	}

	/* key order: the registry's, today's list, SPEC's */
	{
		json_t *rec = json_deep_copy(got);
		const char *k;
		json_t *v;
		void *tmp;

		/* the record's own keys: extra and event follow it */
		json_object_foreach_safe(rec, tmp, k, v)
			if ((extra && json_object_get(extra, k)) || strcmp(k, "event") == 0)
				json_object_del(rec, k);
		registry_keys(keys, sizeof keys / sizeof keys[0]);
		snprintf(what, sizeof what, "%s: keys in registry order", name);
		keys_are(what, rec, keys);
		snprintf(what, sizeof what, "%s: keys as SPEC section 1 lists them today", name);
		keys_are(what, rec, spec_order);
		snprintf(what, sizeof what, "%s: keys in SPEC order", name);
		spec_order_kept(what, rec);
		json_decref(rec);
	}
	if (event) {
		const char *last = NULL, *k;
		json_t *v;

		json_object_foreach(got, k, v)
			last = k;
		snprintf(what, sizeof what, "%s: event last", name);
		check(inc_streq(last, "event") && json_equal(json_object_get(got, "event"),
							   (json_t *)event), what, last);
	}
	json_decref(got);
	inc_buf_free(&b);
}

/* Every string field of the registry (shown or not) gets a hostile value. */
static void
fill_hostile(struct inc_incident *r, size_t shift)
{
	size_t k = shift;

	for (size_t i = 0; i < inc_nfields; i++) {
		const struct inc_field *f = &inc_fields[i];

		if (f->type == INC_FT_STR)
			inc_set_str(&MEMBER(r, f, char *), hostile[k++ % NHOSTILE]);
	}
}

static void
test_record(void)
{
	struct inc_incident r;
	char *links, *custom;
	json_t *j;

	/* all unset: null strings and times, counters 0, [] and {}, sla null */
	inc_incident_init(&r);
	r.id = 1;
	record_round_trip("empty record", &r, NULL, NULL);

	/* every field set, hostile strings everywhere */
	fill_hostile(&r, 0);
	r.id = INT64_C(9007199254740993);
	r.status = INC_ON_HOLD;
	r.major = 1;
	r.explicit_ = INC_EXPLICIT_CATEGORY | INC_EXPLICIT_GROUP;
	r.response_due = T0 + 900;
	r.resolve_due = T0 + 4 * 3600;
	r.responded_at = T0 + 60;
	r.response_met = 1;
	r.resolve_met = 0;
	r.paused_s = 3600;
	r.escalation_level = 2;
	r.reassignment_count = 3;
	r.reopen_count = 1;
	r.rating = 5;
	r.created_at = T0;
	r.updated_at = T0 + 1;
	r.resolved_at = 0;			/* the epoch is a time, not null */
	r.closed_at = -1;			/* before 1970 */
	r.hold_since = T0;
	r.sla_next_check = T0;
	j = json_pack("[{s:s,s:s},{s:s,s:s}]", "type", "problem", "ref", hostile[1],
		      "type", "asset", "ref", hostile[3]);
	links = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	j = json_pack("{s:s,s:i,s:[b,n],s:{s:s}}", hostile[0], hostile[4], "asset_tag", 42,
		      "\n", 1, hostile[5], "x", hostile[2]);
	custom = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	inc_set_str(&r.links, links);
	inc_set_str(&r.custom, custom);
	free(links);
	free(custom);
	record_round_trip("hostile record", &r, NULL, NULL);
	for (size_t s = 1; s < NHOSTILE; s++) {
		char name[64];

		fill_hostile(&r, s);
		snprintf(name, sizeof name, "hostile record, rotation %zu", s);
		record_round_trip(name, &r, NULL, NULL);
	}

	/* a policy attached, its times not yet known; bools pending */
	r.response_due = r.resolve_due = r.responded_at = INC_NULL;
	r.response_met = r.resolve_met = INC_NULL;
	r.rating = INC_NULL;
	r.status = INC_CLOSED;
	r.created_at = INT64_C(253402300799);	/* 9999-12-31T23:59:59Z */
	r.updated_at = INT64_C(-62135596800);	/* 0001-01-01T00:00:00Z */
	record_round_trip("policy, nothing measured", &r, NULL, NULL);

	/* no policy: the sla fields set are not shown */
	inc_set_str(&r.sla_policy, NULL);
	r.response_due = T0;
	record_round_trip("no policy, stale sla fields", &r, NULL, NULL);

	/* every status */
	for (int s = 0; s < INC_NSTATUS; s++) {
		char name[64];

		r.status = (enum inc_status)s;
		snprintf(name, sizeof name, "status %s", inc_status_name(r.status));
		record_round_trip(name, &r, NULL, NULL);
	}

	/* extra members then the event, after the record's keys */
	{
		json_t *extra = json_pack("{s:[{s:s,s:s}]}", "history", "field", hostile[1],
					  "new", hostile[2]);
		json_t *event = json_pack("{s:s,s:s,s:i,s:[s],s:s}", "kind", "escalated",
					  "type", "functional", "level", 1, "notify",
					  "maria@example.com", "reason", hostile[5]);

		inc_set_str(&r.sla_policy, "critical");
		record_round_trip("with history and event", &r, event, extra);
		json_decref(extra);
		json_decref(event);
	}
	inc_incident_clear(&r);

	/* times as SPEC section 4 writes them */
	{
		static const struct {
			int64_t t;
			const char *s;
		} times[] = {
			{T0, "2026-11-27T04:23:00Z"},
			{0, "1970-01-01T00:00:00Z"},
			{-1, "1969-12-31T23:59:59Z"},
			{INT64_C(951782400), "2000-02-29T00:00:00Z"},
			{INT64_C(253402300799), "9999-12-31T23:59:59Z"},
		};

		for (size_t i = 0; i < sizeof times / sizeof times[0]; i++) {
			struct inc_buf b = {0};
			json_t *got;
			char what[64];

			inc_incident_init(&r);
			r.id = 7;
			r.created_at = times[i].t;
			inc_incident_write(&b, &r, NULL, NULL);
			got = json_loads(b.data, 0, NULL);
			snprintf(what, sizeof what, "created_at %s", times[i].s);
			check(inc_streq(json_string_value(json_object_get(got, "created_at")),
					times[i].s), what, b.data);
			json_decref(got);
			inc_buf_free(&b);
			inc_incident_clear(&r);
		}
	}
}

/* ---- the scanner (inc_json_scan_object) against Jansson ---- */

/*
 * Whenever the scanner says "certainly valid", Jansson reads the same text
 * as an object, under JSON_REJECT_DUPLICATES, and the value it found for
 * "id" is Jansson's (the same text dumped); whenever it is unsure, nothing
 * is lost but speed. held: the scanner's answer must be this (-1: either).
 */
static void
scan_agrees(const char *what, const char *text, size_t n, int held)
{
	const char *v;
	size_t vn;
	int ok = inc_json_scan_object(text, n, "id", &v, &vn);
	json_error_t je;
	json_t *o = json_loadb(text, n, JSON_REJECT_DUPLICATES, &je);
	char d[256];

	if (held >= 0 && ok != held) {
		snprintf(d, sizeof d, "scanner said %d, want %d (Jansson: %s)", ok, held,
			 o ? "valid" : je.text);
		check(0, what, d);
	} else if (ok && (!o || !json_is_object(o))) {
		snprintf(d, sizeof d, "scanner sure, Jansson refuses: %s", o ? "not an object" : je.text);
		check(0, what, d);
	} else if (ok) {
		json_t *id = json_object_get(o, "id");

		if (!id != !v) {
			check(0, what, "\"id\" found by one and not the other");
		} else if (id) {
			json_t *mine = json_loadb(v, vn, JSON_DECODE_ANY, NULL);

			check(mine && json_equal(mine, id), what, "the value of \"id\" differs");
			json_decref(mine);
		} else {
			check(1, what, NULL);
		}
	} else {
		check(1, what, NULL);
	}
	json_decref(o);
}

static void
scan_is(const char *text, int held)
{
	char what[96];

	snprintf(what, sizeof what, "scan %.60s", text);
	scan_agrees(what, text, strlen(text), held);
}

static void
test_scan(void)
{
	static const char *const sure[] = {
		"{}", " {\"id\":5} ", "{\"id\":\"INC-5\"}", "{\"a\":[1,-2,3.5,-0.25e-3,1E+2,0,-0]}",
		"{\"a\":{\"a\":{\"b\":null}},\"b\":{\"a\":1}}", "{\"s\":\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\u20AC\"}",
		"{\"s\":\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"}", "{\"t\":true,\"f\":false,\"n\":null}",
		"{\"\":1}", "\t{\"id\" : 7 ,\r\n\"x\":[ ]}", "{\"n\":123456789012345678}",
		"{\"id\":23001,\"ref\":\"INC-23001\",\"custom\":{\"host\":\"web-07\",\"trigger_id\":26280},"
		"\"links\":[],\"event\":{\"kind\":\"logged\"}}",
	};
	static const char *const refused[] = {
		"", " ", "[]", "5", "\"x\"", "{", "}", "{\"a\"}", "{\"a\":}", "{\"a\":1,}", "{,}",
		"{\"a\":1}x", "{\"a\":1}{}", "{\"a\":01}", "{\"a\":1.}", "{\"a\":.5}", "{\"a\":1e}",
		"{\"a\":-}", "{\"a\":+1}", "{\"a\":tru}", "{\"a\":nul}", "{\"a\":truex}",
		"{\"a\":1,\"a\":2}", "{\"x\":{\"a\":1,\"a\":1}}", "{\"a\":\"\\u0000\"}",
		"{\"a\":\"\\ud800\"}", "{\"a\":\"\\ud83d\\ude00\"}", "{\"a\":\"\\x\"}",
		"{\"a\":\"\\u12\"}", "{\"a\\u0062\":1}", "{\"a\":\"\x01\"}", "{\"a\":\"\xc3\"}",
		"{\"a\":\"\xc0\xaf\"}", "{\"a\":\"\xed\xa0\x80\"}", "{\"a\":\"\xf4\x90\x80\x80\"}",
		"{\"a\":\"\xff\"}", "\xef\xbb\xbf{}", "{\"n\":1234567890123456789}",
		"{\"n\":99999999999999999999}", "{\"r\":1e309}", "{\"r\":1e400}", "{\"a\":1 2}",
		"{\"a\" 1}", "{'a':1}", "{a:1}", "{\"a\":[1,]}", "{\"a\":[,1]}", "{\"a\":[1 2]}",
		"{\"a\":\"unterminated}",
	};
	char buf[4096];

	for (size_t i = 0; i < sizeof sure / sizeof *sure; i++)
		scan_is(sure[i], 1);
	for (size_t i = 0; i < sizeof refused / sizeof *refused; i++)
		scan_is(refused[i], 0);
	/* NUL bytes inside the text */
	scan_agrees("scan NUL in a string", "{\"a\":\"x\0y\"}", 11, 0);
	scan_agrees("scan NUL outside", "{\"a\":1}\0", 8, 0);
	/* deep nesting: unsure past its depth, never wrong */
	{
		size_t k = 0;

		k += (size_t)snprintf(buf, sizeof buf, "{\"id\":1,\"a\":");
		for (int d = 0; d < 100; d++)
			buf[k++] = '[';
		for (int d = 0; d < 100; d++)
			buf[k++] = ']';
		buf[k++] = '}';
		scan_agrees("scan 100 deep", buf, k, 0);
		k = (size_t)snprintf(buf, sizeof buf, "{\"id\":1,\"a\":");
		for (int d = 0; d < 30; d++)
			buf[k++] = '[';
		for (int d = 0; d < 30; d++)
			buf[k++] = ']';
		buf[k++] = '}';
		scan_agrees("scan 30 deep", buf, k, 1);
	}
	/* a record of the pipeline, mutated at random a few hundred thousand
	 * times: every mutant the scanner is sure of, Jansson reads alike */
	{
		static const char base[] =
			"{\"id\":23001,\"ref\":\"INC-23001\",\"subject\":\"[ALERT] caf\xc3\xa9 \\\"x\\\" "
			"\\u20ac\",\"description\":\"Trigger: HTTP check failed.\\nLine two\\t\xe2\x82\xac\","
			"\"requester\":null,\"status\":\"new\",\"major\":false,\"sla\":{\"policy\":\"p\","
			"\"response_due\":\"2026-11-27T10:00:00Z\",\"paused_s\":0,\"x\":-1.5e-7},"
			"\"links\":[{\"type\":\"a\",\"ref\":\"b\"},[],[1,2,[true]]],\"custom\":{\"host\":"
			"\"web-07\",\"trigger_id\":26280,\"n\":null},\"event\":{\"kind\":\"logged\"}}";
		static const char alphabet[] = "{}[]\":,\\ 0123456789-+.eEtrufalsnid\x01\x80\xc3\xa9\xff\t";
		size_t bn = sizeof base - 1, sure_n = 0;
		int bad = 0;

		scan_agrees("scan base record", base, bn, 1);
		for (int i = 0; i < 300000 && !bad; i++) {
			size_t n = bn, at;
			int edits = 1 + (int)below(3);

			memcpy(buf, base, bn);
			for (int e = 0; e < edits && n > 0; e++) {
				at = below(n);
				switch (below(4)) {
				case 0:	/* replace a byte */
					buf[at] = alphabet[below(sizeof alphabet - 1)];
					break;
				case 1:	/* delete one */
					memmove(buf + at, buf + at + 1, n - at - 1);
					n--;
					break;
				case 2:	/* insert one */
					if (n + 1 < sizeof buf) {
						memmove(buf + at + 1, buf + at, n - at);
						buf[at] = alphabet[below(sizeof alphabet - 1)];
						n++;
					}
					break;
				default:	/* cut it short */
					n = at;
					break;
				}
			}
			{
				int before = failed;
				const char *v;
				size_t vn;

				sure_n += (size_t)inc_json_scan_object(buf, n, "id", &v, &vn);
				scan_agrees("scan mutant", buf, n, -1);
				bad = failed != before;
			}
		}
		check(sure_n > 1000, "scan: many mutants still certainly valid", NULL);
	}
}

int
main(void)
{
	test_control_chars();
	test_specials();
	test_nul_inside();
	test_long();
	test_integers();
	test_scalars();
	test_nested();
	test_random();
	test_invalid_utf8();
	test_record();
	test_scan();
	printf("%d passed, %d failed\n", passed, failed);
	return failed != 0;
}
