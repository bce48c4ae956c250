/*
 * regex.c - the expressions of classification rules: PCRE2 (the \d, \b
 * and (?i) admins write; POSIX extended expressions, GNU's \< and \>
 * included, mean what they meant), case-insensitive, UTF-8, JIT-compiled
 * where the platform has it, with
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
	/* made at the first match, not at config load: a one-shot tool that
	 * matches nothing (inc-show ID) pays no JIT compile and no 8 MiB
	 * stack reservation per rule */
	struct inc_rule_run {
		int ready;	/* 1: made, -1: out of memory (never matches) */
		pcre2_match_data *md;
		pcre2_match_context *mc;
		pcre2_jit_stack *stack;
	} *run;
};

/* Subject text a condition looks at: a rule is about what a ticket says,
 * and a 16 MiB description must not cost 16 MiB of matching per rule. */
#define MATCH_MAX 65536
#define MATCH_LIMIT 1000000
#define DEPTH_LIMIT 100000
/* The JIT's stack, reserved up to this and used as a match needs it: the
 * default 32 KiB gives up on a repeated group over a thousand characters. */
#define JIT_STACK_MAX (8 << 20)
/* The match limit counts no step of a single-character repeat, so an
 * expression like (\w+)?\s*a[^a] costs time quadratic in the text (15 s
 * over 64 KiB). The starting positions are tried a window at a time, and
 * a match gives up (no match) once it has taken MATCH_NS: no rule holds
 * up a tool, whatever it is given to read. */
#define MATCH_WINDOW 1024
#define MATCH_NS (INT64_C(200) * 1000000)

/* The POSIX (and GNU) spellings PCRE2 reads otherwise: \< and \> (word
 * start and end) and {,n}, outside bracket expressions. */
static char *
posix_compat(const char *p)
{
	struct inc_buf b = {0};
	int bracket = 0;

	inc_buf_add(&b, "", 0);
	for (; *p; p++) {
		if (bracket) {
			/* "[]...]" and "[^]...]": a first ] is a member */
			if (*p == ']' && bracket > 1)
				bracket = 0;
			else if (*p == '[' && (p[1] == ':' || p[1] == '=' || p[1] == '.')) {
				const char *e = strstr(p + 2, (char[]){p[1], ']', 0});

				if (e) {
					inc_buf_add(&b, p, (size_t)(e + 2 - p));
					p = e + 1;
					bracket++;
					continue;
				}
			}
			if (bracket && !(*p == '^' && bracket == 1))
				bracket++;
			inc_buf_add(&b, p, 1);
			continue;
		}
		if (*p == '\\' && p[1]) {
			if (p[1] == '<')
				inc_buf_addstr(&b, "\\b(?=\\w)");
			else if (p[1] == '>')
				inc_buf_addstr(&b, "\\b(?<=\\w)");
			else
				inc_buf_add(&b, p, 2);
			p++;
			continue;
		}
		if (*p == '[')
			bracket = 1;
		inc_buf_add(&b, p, 1);
		if (*p == '{' && p[1] == ',')
			inc_buf_addstr(&b, "0");
	}
	return b.data;
}

struct inc_rule_re *
inc_rule_re_new(const char *pattern, char *err)
{
	struct inc_rule_re *re;
	PCRE2_SIZE off;
	int code;

	char *text = posix_compat(pattern);

	re = inc_xmalloc(sizeof *re);
	memset(re, 0, sizeof *re);
	/* as POSIX reads them: "." matches a newline, "$" only the end */
	re->code = pcre2_compile((PCRE2_SPTR)text, PCRE2_ZERO_TERMINATED,
				 PCRE2_CASELESS | PCRE2_UTF | PCRE2_DOTALL | PCRE2_DOLLAR_ENDONLY |
				 PCRE2_USE_OFFSET_LIMIT,
				 &code, &off, NULL);
	free(text);
	if (!re->code) {
		PCRE2_UCHAR msg[256];

		pcre2_get_error_message(code, msg, sizeof msg);
		inc_err(err, "%s at offset %zu", (const char *)msg, (size_t)off);
		free(re);
		return NULL;
	}
	re->run = inc_xmalloc(sizeof *re->run);
	memset(re->run, 0, sizeof *re->run);
	return re;
}

/* JIT, match data and limits, made once, at the first match. Without JIT
 * (some platforms) the interpreter runs, with the same limits; and under
 * valgrind, where JIT code's word-wide reads past the end of a subject
 * (harmless, never past its page) are reported as errors. */
static int
ready(const struct inc_rule_re *re)
{
	struct inc_rule_run *run = re->run;	/* mutable behind the const */

	if (run->ready)
		return run->ready > 0;
	if (!RUNNING_ON_VALGRIND)
		pcre2_jit_compile(re->code, PCRE2_JIT_COMPLETE);
	run->md = pcre2_match_data_create_from_pattern(re->code, NULL);
	run->mc = pcre2_match_context_create(NULL);
	run->stack = pcre2_jit_stack_create(32 << 10, JIT_STACK_MAX, NULL);
	if (!run->md || !run->mc || !run->stack) {
		run->ready = -1;
		return 0;
	}
	pcre2_set_match_limit(run->mc, MATCH_LIMIT);
	pcre2_set_depth_limit(run->mc, DEPTH_LIMIT);
	pcre2_jit_stack_assign(run->mc, NULL, run->stack);
	run->ready = 1;
	return 1;
}

void
inc_rule_re_free(struct inc_rule_re *re)
{
	if (!re)
		return;
	pcre2_match_context_free(re->run->mc);
	pcre2_jit_stack_free(re->run->stack);
	pcre2_match_data_free(re->run->md);
	pcre2_code_free(re->code);
	free(re->run);
	free(re);
}

int
inc_rule_re_match(const struct inc_rule_re *re, const char *s)
{
	uint32_t opts = PCRE2_NO_UTF_CHECK;
	size_t n;

	if (!s)
		return 0;	/* a condition on an unset field never holds */
	if (!ready(re))
		return -1;	/* out of memory for the match: not a sure no */
	n = strnlen(s, MATCH_MAX + 1);
	if (n > MATCH_MAX) {
		/* cut on a character boundary: the subject stays valid UTF-8,
		 * and where it is cut is not its end */
		n = MATCH_MAX;
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
		opts |= PCRE2_NOTEOL;
	}
	/* records are valid UTF-8 (checked at intake); a limit hit gives up
	 * (-1). Each window's starting positions are [from, to]: from on a
	 * character boundary, to the byte before the next window's. */
	{
		/* the clock read only for a subject of several windows: most
		 * are one, and a match a record per rule read it each time */
		int64_t t0 = n >= MATCH_WINDOW ? inc_mono_ns() : 0;
		size_t from = 0;

		for (;;) {
			size_t next = from + MATCH_WINDOW;
			int rc;

			while (next < n && ((unsigned char)s[next] & 0xc0) == 0x80)
				next++;
			pcre2_set_offset_limit(re->run->mc, next > n ? n : next - 1);
			rc = pcre2_match(re->code, (PCRE2_SPTR)s, n, from, opts, re->run->md,
					 re->run->mc);
			if (rc >= 0)
				return 1;
			if (rc != PCRE2_ERROR_NOMATCH)
				return -1;	/* a limit, or out of JIT stack */
			if (next > n)
				return 0;
			if (inc_mono_ns() - t0 > MATCH_NS)
				return -1;
			from = next;
		}
	}
}

