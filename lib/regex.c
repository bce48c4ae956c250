/*
 * regex.c - the expressions of classification rules: PCRE2 (the \\d, \\b
 * and (?i) admins write; every POSIX extended expression means the same),
 * case-insensitive, UTF-8, JIT-compiled where the platform has it, with
 * limits on a match's work and on the text it looks at, so that no rule
 * holds a tool, or the write lock, for minutes.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#endif
#endif
#ifndef RUNNING_ON_VALGRIND
#define RUNNING_ON_VALGRIND 0
#endif

#include "inc.h"

struct inc_rule_re {
	pcre2_code *code;
	pcre2_match_data *md;
	pcre2_match_context *mc;
};

/* Subject text a condition looks at: a rule is about what a ticket says,
 * and a 16 MiB description must not cost 16 MiB of matching per rule. */
#define MATCH_MAX 65536
#define MATCH_LIMIT 1000000
#define DEPTH_LIMIT 10000

struct inc_rule_re *
inc_rule_re_new(const char *pattern, char *err)
{
	struct inc_rule_re *re;
	PCRE2_SIZE off;
	int code;

	re = inc_xmalloc(sizeof *re);
	re->code = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
				 PCRE2_CASELESS | PCRE2_UTF | PCRE2_NO_UTF_CHECK,
				 &code, &off, NULL);
	if (!re->code) {
		PCRE2_UCHAR msg[256];

		pcre2_get_error_message(code, msg, sizeof msg);
		inc_err(err, "%s at offset %zu", (const char *)msg, (size_t)off);
		free(re);
		return NULL;
	}
	/* without JIT (some platforms) the interpreter runs, with the same
	 * limits; and under valgrind, where JIT code's word-wide reads past
	 * the end of a subject (harmless, never past its page) are reported
	 * as errors */
	if (!RUNNING_ON_VALGRIND)
		pcre2_jit_compile(re->code, PCRE2_JIT_COMPLETE);
	re->md = pcre2_match_data_create_from_pattern(re->code, NULL);
	re->mc = pcre2_match_context_create(NULL);
	if (!re->md || !re->mc) {
		inc_rule_re_free(re);
		inc_err(err, "out of memory");
		return NULL;
	}
	pcre2_set_match_limit(re->mc, MATCH_LIMIT);
	pcre2_set_depth_limit(re->mc, DEPTH_LIMIT);
	return re;
}

void
inc_rule_re_free(struct inc_rule_re *re)
{
	if (!re)
		return;
	pcre2_match_context_free(re->mc);
	pcre2_match_data_free(re->md);
	pcre2_code_free(re->code);
	free(re);
}

int
inc_rule_re_match(const struct inc_rule_re *re, const char *s)
{
	size_t n;

	if (!s)
		return 0;	/* a condition on an unset field never holds */
	n = strlen(s);
	if (n > MATCH_MAX) {
		/* cut on a character boundary: the subject stays valid UTF-8 */
		n = MATCH_MAX;
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
	}
	/* records are valid UTF-8 (checked at intake); a limit hit is "no match" */
	return pcre2_match(re->code, (PCRE2_SPTR)s, n, 0, PCRE2_NO_UTF_CHECK, re->md, re->mc) >= 0;
}

