/*
 * rule_fuzz.c - libFuzzer harness for rule matching (lib/regex.c,
 * lib/rules.c): the PCRE2 expressions of classification rules, with their
 * match limits, against the text of a record.
 *
 * Input: a mode byte, then the pattern up to the first newline, then the
 * subject. The pattern is made valid UTF-8 (it comes from a JSON string of
 * the config) and so is the subject (records are checked at intake, by
 * inc_utf8_valid: the matcher skips PCRE2's own check).
 *
 *  - inc_rule_re_new(pattern); inc_rule_re_match(re, subject), and, mode
 *    bit 0, the subject after 65533 bytes of padding, so that the 64 KiB cut
 *    falls inside it (a cut must keep the text valid UTF-8);
 *  - mode bits 1-7: the pattern split on tabs into the conditions of rules
 *    of a config (each on one of subject, description, text, requester,
 *    source, category; each with one of a few sets), the subject split on
 *    tabs into a record's subject, description, requester, source and
 *    category, classified by inc_classify.
 *
 * Invariants: what inc_utf8_valid accepts PCRE2 accepts as UTF-8 too (else
 * the unchecked match reads garbage); a refused pattern says why; a
 * pattern the config refuses, inc_rule_re_new refuses; classification
 * leaves a record inc-log would take (config_use.h); every run ends within
 * the harness timeout (-timeout=5): the match limits bound the work.
 */
#define _GNU_SOURCE
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "fuzz.h"
#include "config_use.h"

#define MATCH_MAX 65536		/* regex.c's cut */

/* The config the rules go into: the shipped tree, levels and groups. */
static const char base_config[] =
	"{\"categories\":{\"network\":{\"subcategories\":[\"vpn\",\"wifi\",\"lan\"]},"
	"\"hardware\":{\"subcategories\":[\"laptop\",\"printer\"]},"
	"\"service\":{\"subcategories\":[\"outage\"]},\"email\":{}},"
	"\"groups\":[{\"name\":\"service-desk\"},{\"name\":\"l2-infra\"}],"
	"\"defaults\":{\"impact\":\"low\",\"urgency\":\"medium\",\"group\":\"service-desk\"}}";

static const char *const sets[] = {
	"{\"category\":\"service\",\"subcategory\":\"outage\",\"impact\":\"high\",\"urgency\":\"high\",\"major\":true}",
	"{\"category\":\"network\",\"subcategory\":\"vpn\",\"group\":\"l2-infra\"}",
	"{\"category\":\"network\"}",
	"{\"subcategory\":\"printer\"}",
	"{\"urgency\":\"low\"}",
	"{\"impact\":\"medium\",\"urgency\":\"high\",\"major\":false}",
	"{\"category\":\"email\",\"group\":\"service-desk\"}",
	"{\"subcategory\":\"wifi\",\"category\":\"network\"}",
};
static const char *const fields[] = {"subject", "description", "text", "requester", "source",
	"category"};

/* PCRE2's own UTF-8 check of s (with a trivial pattern). */
static int
pcre2_utf8_ok(const char *s)
{
	int code;
	PCRE2_SIZE off;
	pcre2_code *re = pcre2_compile((PCRE2_SPTR)"x", 1, PCRE2_UTF, &code, &off, NULL);
	pcre2_match_data *md = pcre2_match_data_create(1, NULL);
	int rc = pcre2_match(re, (PCRE2_SPTR)s, strlen(s), 0, 0, md, NULL);

	pcre2_match_data_free(md);
	pcre2_code_free(re);
	return rc >= 0 || rc == PCRE2_ERROR_NOMATCH;
}

static void
match(const char *pattern, const char *subject, int pad)
{
	char err[INC_ERRLEN] = "";
	struct inc_rule_re *re = inc_rule_re_new(pattern, err);

	if (!re) {
		FUZZ_CHECK_ERR(err);
		return;
	}
	(void)inc_rule_re_match(re, subject);
	(void)inc_rule_re_match(re, NULL);
	if (pad) {
		size_t n = strlen(subject), p = MATCH_MAX - 3;
		char *s = inc_xmalloc(p + n + 1);

		memset(s, 'a', p);
		memcpy(s + p, subject, n + 1);
		(void)inc_rule_re_match(re, s);
		free(s);
	}
	inc_rule_re_free(re);
}

/* Up to n tab-separated fields of s (modified), missing ones NULL. */
static void
split(char *s, char **out, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		out[i] = s;
		if (s && (s = strchr(s, '\t')))
			*s++ = '\0';
	}
}

static void
classify(unsigned mode, char *patterns, char *text)
{
	char *pat[6], *val[5], err[INC_ERRLEN] = "", *cfgtext;
	json_t *root = json_loads(base_config, 0, NULL), *rules = json_array();
	struct inc_config *c;
	struct inc_incident r;
	size_t i;

	split(patterns, pat, 6);
	for (i = 0; i < 6 && pat[i]; i++) {
		json_t *set = json_loads(sets[((mode >> 4) + i) % 8], 0, NULL);

		json_array_append_new(rules, json_pack("{s:{s:s},s:o}", "match",
			fields[((mode >> 1) + i) % 6], pat[i], "set", set));
	}
	json_object_set_new(root, "rules", rules);
	cfgtext = json_dumps(root, JSON_COMPACT);
	json_decref(root);
	c = inc_config_parse(cfgtext, strlen(cfgtext), "rules.json", err);
	free(cfgtext);
	if (!c) {
		/* a pattern refused: inc_rule_re_new refuses one of them too */
		int refused = 0;

		FUZZ_CHECK_ERR(err);
		for (i = 0; i < 6 && pat[i]; i++) {
			struct inc_rule_re *re = inc_rule_re_new(pat[i], err);

			refused |= !re;
			inc_rule_re_free(re);
		}
		FUZZ_CHECK(refused, "the config refused rules whose patterns all compile");
		return;
	}
	split(text, val, 5);
	inc_incident_init(&r);
	inc_set_str(&r.subject, val[0]);
	inc_set_str(&r.description, val[1]);
	inc_set_str(&r.requester, val[2]);
	if (val[3] && inc_vocab_parse(&inc_sources, val[3]) >= 0)
		inc_set_str(&r.source, val[3]);
	if (val[4] && inc_config_category(c, val[4], NULL))
		inc_set_str(&r.category, val[4]);
	(void)inc_classify(c, &r, mode & 1, NULL, NULL);
	fuzz_check_classified(c, &r);
	inc_incident_clear(&r);
	inc_config_free(c);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nl;
	size_t plen;
	unsigned mode;
	char *pattern, *subject;

	if (size < 1)
		return 0;
	mode = data[0];
	data++;
	size--;
	nl = memchr(data, '\n', size);
	plen = nl ? (size_t)(nl - data) : size;
	pattern = fuzz_utf8(data, plen);
	subject = nl ? fuzz_utf8(nl + 1, size - plen - 1) : inc_xstrdup("");
	FUZZ_CHECK(pcre2_utf8_ok(pattern) && pcre2_utf8_ok(subject),
		   "inc_utf8_valid accepts what PCRE2 calls invalid UTF-8");

	match(pattern, subject, mode & 1);
	if (mode >> 1)
		classify(mode, pattern, subject);
	free(pattern);
	free(subject);
	return 0;
}
