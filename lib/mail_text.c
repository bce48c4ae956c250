/*
 * mail_text.c - text that came by mail made fit for a record: valid UTF-8
 * (U+FFFD for what is not), no control characters but the line breaks and
 * tabs a body keeps, header text folded to one line, bodies tidied. Shared
 * by the parser (mail.c) and the HTML reader (html.c).
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "inc.h"
#include "mail_int.h"

/* The length of the well-formed UTF-8 sequence at p (2-4 bytes, no
 * overlong form, no surrogate, nothing past U+10FFFF) with its code point,
 * or 0. */
static size_t
utf8_seq(const unsigned char *p, const unsigned char *end, unsigned *cp)
{
	unsigned c = p[0], lo = 0x80, hi = 0xbf, v;
	size_t k;

	if (c >= 0xc2 && c <= 0xdf) {
		k = 1;
		v = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		k = 2;
		v = c & 0x0f;
		if (c == 0xe0)
			lo = 0xa0;
		else if (c == 0xed)
			hi = 0x9f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		k = 3;
		v = c & 0x07;
		if (c == 0xf0)
			lo = 0x90;
		else if (c == 0xf4)
			hi = 0x8f;
	} else
		return 0;
	if ((size_t)(end - p) <= k)
		return 0;
	for (size_t i = 1; i <= k; i++) {
		unsigned b = p[i];

		if (i == 1 ? (b < lo || b > hi) : (b & 0xc0) != 0x80)
			return 0;
		v = (v << 6) | (b & 0x3f);
	}
	*cp = v;
	return k + 1;
}

int
inc_mail_utf8_ok(const unsigned char *p, size_t n)
{
	const unsigned char *end = p + n;
	unsigned cp;

	while (p < end) {
		size_t k;

		if (*p < 0x80) {
			p++;
			continue;
		}
		if (!(k = utf8_seq(p, end, &cp)))
			return 0;
		p += k;
	}
	return 1;
}

void
inc_mail_clean(struct inc_buf *b, const char *s, size_t n, int body)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + n, *run = p;

	inc_buf_add(b, "", 0);
	if (n == 0)
		return;	/* s may be NULL: an empty part's GByteArray has no data */
	while (p < end) {
		const char *put = NULL;
		size_t k = 1;
		unsigned c = *p, cp;

		if (c >= 0x20 && c < 0x7f) {
			p++;
			continue;
		}
		if (c < 0x80) {
			if (!body)
				put = " ";
			else if (c == '\n' || c == '\t')
				put = c == '\n' ? "\n" : "\t";
			else if (c == '\r') {
				put = "\n";
				if (p + 1 < end && p[1] == '\n')
					k = 2;
			} else
				put = "";
		} else if (!(k = utf8_seq(p, end, &cp))) {
			put = "\xef\xbf\xbd";
			k = 1;
		} else if (cp < 0xa0) {
			put = body ? "" : " ";	/* C1 controls */
		} else if (cp == 0x2028 || cp == 0x2029) {
			put = body ? "\n" : " ";
		} else {
			p += k;
			continue;
		}
		inc_buf_add(b, (const char *)run, (size_t)(p - run));
		inc_buf_addstr(b, put);
		p += k;
		run = p;
	}
	inc_buf_add(b, (const char *)run, (size_t)(p - run));
}

char *
inc_mail_clean_header(const char *s)
{
	struct inc_buf b = {0};
	size_t j = 0;

	if (!s)
		return NULL;
	inc_mail_clean(&b, s, strlen(s), 0);
	for (size_t i = 0; i < b.len; i++) {
		if (b.data[i] == ' ' && (j == 0 || b.data[j - 1] == ' '))
			continue;
		b.data[j++] = b.data[i];
	}
	while (j > 0 && b.data[j - 1] == ' ')
		j--;
	b.data[j] = '\0';
	if (j == 0) {
		inc_buf_free(&b);
		return NULL;
	}
	return b.data;
}

void
inc_mail_tidy(struct inc_buf *b, int squeeze)
{
	size_t i = 0, j = 0, blanks = 0;

	if (!b->data)
		return;
	while (i < b->len) {
		size_t e = i, end;

		while (e < b->len && b->data[e] != '\n')
			e++;
		end = e;
		while (end > i && (b->data[end - 1] == ' ' || b->data[end - 1] == '\t'))
			end--;
		if (end == i) {
			blanks++;
		} else {
			size_t breaks = (squeeze && blanks > 1 ? 1 : blanks) + 1;

			for (size_t n = 0; j > 0 && n < breaks; n++)
				b->data[j++] = '\n';
			memmove(b->data + j, b->data + i, end - i);
			j += end - i;
			blanks = 0;
		}
		i = e + 1;
	}
	b->len = j;
	b->data[j] = '\0';
}

/* ---- parsing ---- */

