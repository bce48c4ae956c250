/*
 * mail_reply.c - what a requester's reply says, for inc-mail: the new text
 * without what it quotes, the incident its subject names, and the CONFIRM
 * convention of the "resolved" mail:
 *
 *	Reply with CONFIRM as the first word to close the incident, optionally
 *	with a rating from 1 (poor) to 5 (excellent), e.g. "CONFIRM 5";
 *	anything after that is kept as feedback. Reply with anything else to
 *	reopen it.
 *
 * Plain text in, plain text out: the body was decoded by inc_mail_parse(),
 * whose HTML conversion marks <blockquote> lines with '>' like any client.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "inc.h"
#include "mail_int.h"

struct line {
	const char *s;
	size_t n;	/* without the line end */
	int drop;
};

/* The line without surrounding blanks, and the same shortened by the
 * bold markers ('*') a client's plain text puts around "*From:*". */
static void
trim(const struct line *l, const char **s, size_t *n)
{
	const char *p = l->s, *e = l->s + l->n;

	while (p < e && (*p == ' ' || *p == '\t'))
		p++;
	while (e > p && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	*s = p;
	*n = (size_t)(e - p);
}

static int
blank(const struct line *l)
{
	const char *s;
	size_t n;

	trim(l, &s, &n);
	return n == 0;
}

static int
quoted(const struct line *l)
{
	const char *s;
	size_t n;

	trim(l, &s, &n);
	return n > 0 && *s == '>';
}

/* RFC 3676's "-- " (clients that strip trailing blanks leave "--"). */
static int
sig_dashes(const struct line *l)
{
	size_t n = l->n;

	while (n > 2 && (l->s[n - 1] == ' ' || l->s[n - 1] == '\t'))
		n--;
	return n == 2 && l->s[0] == '-' && l->s[1] == '-';
}

/* needle in s[0..n), ASCII letters in any case. */
static int
contains(const char *s, size_t n, const char *needle)
{
	size_t k = strlen(needle);

	for (size_t i = 0; i + k <= n; i++)
		if (strncasecmp(s + i, needle, k) == 0)
			return 1;
	return 0;
}

static int
starts(const char *s, size_t n, const char *prefix)
{
	size_t k = strlen(prefix);

	return n >= k && strncasecmp(s, prefix, k) == 0;
}

/* "-----Original Message-----" in the languages of the desk's users. */
static int
original_message(const struct line *l)
{
	static const char *const names[] = {
		"original message", "ursprüngliche nachricht", "message d'origine",
		"mensaje original", "messaggio originale", "oorspronkelijk bericht",
		"originalmeddelande", NULL
	};
	const char *s;
	size_t n;

	trim(l, &s, &n);
	if (n < 6 || s[0] != '-' || s[1] != '-' || s[n - 1] != '-' || s[n - 2] != '-')
		return 0;
	while (n > 0 && (*s == '-' || *s == ' ')) {
		s++;
		n--;
	}
	while (n > 0 && (s[n - 1] == '-' || s[n - 1] == ' '))
		n--;
	for (const char *const *p = names; *p; p++)
		if (n == strlen(*p) && strncasecmp(s, *p, n) == 0)
			return 1;
	return 0;
}

/* Outlook's rule: a line of underscores. */
static int
rule(const struct line *l)
{
	const char *s;
	size_t n;

	trim(l, &s, &n);
	if (n < 10)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (s[i] != '_')
			return 0;
	return 1;
}

/* A header line "Label:" (or "*Label:*", or French "Label :") with one of
 * the labels. */
static int
label(const struct line *l, const char *const *labels)
{
	const char *s;
	size_t n;

	trim(l, &s, &n);
	if (n > 0 && *s == '*') {
		s++;
		n--;
	}
	for (const char *const *p = labels; *p; p++) {
		size_t k = strlen(*p), i;

		if (n <= k || strncasecmp(s, *p, k) != 0)
			continue;
		for (i = k; i < n && (s[i] == ' ' || s[i] == '*'); i++)
			;
		if (i < n && s[i] == ':')
			return 1;
	}
	return 0;
}

static const char *const from_labels[] = {
	"From", "De", "Von", "Van", "Da", "Fra", "Från", NULL
};
static const char *const date_labels[] = {
	"Sent", "Date", "Envoyé", "Gesendet", "Datum", "Enviado", "Inviato", "Data",
	"Verzonden", "Skickat", "Sendt", NULL
};
static const char *const to_labels[] = {
	"To", "Subject", "Cc", "À", "A", "Objet", "An", "Betreff", "Para", "Asunto",
	"Oggetto", "Aan", "Onderwerp", "Till", "Ämne", "Til", "Emne", NULL
};

/* The header block Outlook writes above the message it quotes:
 * From:, then Sent: (or Date:), then To: or Subject:. */
static int
outlook_block(const struct line *v, size_t i, size_t end)
{
	int dated = 0;

	if (!label(&v[i], from_labels))
		return 0;
	for (size_t j = i + 1; j < end && j <= i + 5; j++) {
		if (label(&v[j], date_labels))
			dated = 1;
		else if (dated && label(&v[j], to_labels))
			return 1;
	}
	return 0;
}

static const char *const openers[] = {
	"On ", "Le ", "Am ", "El ", "Il ", "Op ", "Em ", "Den ", "W dniu ", NULL
};
static const char *const verbs[] = {
	"wrote", "a écrit", "schrieb", "escribió", "ha scritto", "schreef", "skrev",
	"escreveu", "napisał", "kirjoitti", "написал", NULL
};

static int
opens(const struct line *l)
{
	const char *s;
	size_t n;

	trim(l, &s, &n);
	for (const char *const *p = openers; *p; p++)
		if (starts(s, n, *p))
			return 1;
	return 0;
}

/* Text that says who wrote what follows: ends with ':', has one of the
 * verbs, and has what an attribution carries (a date's digits, an address,
 * or the opening "On"), so that "the error message wrote:" of a person
 * quoting a log is not taken for one. */
static int
attribution_text(const char *s, size_t n, int opened)
{
	int verb = 0, mark = opened;

	if (n == 0 || s[n - 1] != ':')
		return 0;
	for (const char *const *p = verbs; *p && !verb; p++)
		verb = contains(s, n, *p);
	for (size_t i = 0; i < n && !mark; i++)
		mark = s[i] == '@' || (s[i] >= '0' && s[i] <= '9');
	return verb && mark;
}

/* Drops the attribution ending at line j (one line, or two when a client
 * wrapped it) before a quoted block. */
static void
drop_attribution(struct line *v, size_t j)
{
	const char *s, *ps;
	size_t n, pn;
	int two = j > 0 && !blank(&v[j - 1]) && !quoted(&v[j - 1]) && !v[j - 1].drop &&
		  !opens(&v[j]) && opens(&v[j - 1]);

	trim(&v[j], &s, &n);
	if (!two) {
		if (attribution_text(s, n, opens(&v[j])))
			v[j].drop = 1;
		return;
	}
	trim(&v[j - 1], &ps, &pn);
	{
		struct inc_buf b = {0};

		inc_buf_add(&b, ps, pn);
		inc_buf_add(&b, " ", 1);
		inc_buf_add(&b, s, n);
		if (attribution_text(b.data, b.len, 1))
			v[j].drop = v[j - 1].drop = 1;
		inc_buf_free(&b);
	}
}

/* The phone's advertisement a mobile client signs with. */
static int
device_sig(const struct line *l)
{
	static const char *const ads[] = {
		"Sent from my ", "Get Outlook for ", "Envoyé de mon ", "Von meinem ",
		"Enviado desde mi ", "Inviato da ", NULL
	};
	const char *s;
	size_t n;

	trim(l, &s, &n);
	for (const char *const *p = ads; *p; p++)
		if (starts(s, n, *p))
			return 1;
	return 0;
}

char *
inc_mail_strip_quoted(const char *text)
{
	struct line *v = NULL;
	size_t n = 0, cap = 0, end, last;
	struct inc_buf out = {0};
	const char *p = text ? text : "";

	for (;;) {
		const char *e = strchr(p, '\n');
		size_t len = e ? (size_t)(e - p) : strlen(p);

		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			v = inc_xrealloc(v, cap * sizeof *v);
		}
		v[n].s = p;
		v[n].n = len > 0 && p[len - 1] == '\r' ? len - 1 : len;
		v[n].drop = 0;
		n++;
		if (!e)
			break;
		p = e + 1;
	}

	/* Where the reply ends: its signature, or the original message an
	 * Outlook-style client appends unquoted. Quoted lines are no end:
	 * an inline reply goes on after them. */
	for (end = 0; end < n; end++) {
		size_t j;

		if (quoted(&v[end]))
			continue;
		if (sig_dashes(&v[end]) || original_message(&v[end]) || outlook_block(v, end, n))
			break;
		if (rule(&v[end])) {
			for (j = end + 1; j < n && blank(&v[j]); j++)
				;
			if (j < n && label(&v[j], from_labels))
				break;
		}
	}

	/* Quoted lines go, and the attribution before each quoted block
	 * (or before the end, when what it introduced was cut). */
	for (size_t i = 0; i <= end; i++) {
		size_t j;

		if (i < end && !quoted(&v[i]))
			continue;
		if (i < end)
			v[i].drop = 1;
		for (j = i; j > 0 && blank(&v[j - 1]); j--)
			;
		if (j > 0 && !quoted(&v[j - 1]) && !v[j - 1].drop)
			drop_attribution(v, j - 1);
	}

	last = end;
	while (last > 0 && (v[last - 1].drop || blank(&v[last - 1])))
		last--;
	if (last > 0 && device_sig(&v[last - 1]))
		v[last - 1].drop = 1;

	for (size_t i = 0; i < end; i++) {
		if (v[i].drop)
			continue;
		inc_buf_add(&out, v[i].s, v[i].n);
		inc_buf_add(&out, "\n", 1);
	}
	free(v);
	inc_buf_add(&out, "", 0);
	inc_mail_tidy(&out, 1);
	return out.data;
}

int
inc_mail_ref(const char *subject, int64_t *id)
{
	/* The first tag wins: inc-notify writes its tag first, and a tag
	 * further on is more likely quoted from another thread. */
	for (const char *p = subject; p && (p = strchr(p, '[')); p++) {
		const char *q = p + 5;
		int64_t v = 0;

		if (strncasecmp(p + 1, "INC-", 4) != 0 || !(*q >= '0' && *q <= '9'))
			continue;
		for (; *q >= '0' && *q <= '9'; q++) {
			if (v > (INT64_MAX - (*q - '0')) / 10)
				break;
			v = v * 10 + (*q - '0');
		}
		if (*q == ']' && v > 0) {
			*id = v;
			return 1;
		}
	}
	return 0;
}

static const char *
skip_separators(const char *p)
{
	while (*p && strchr(" \t\r\n:;,.!-*\"'`_", *p))
		p++;
	return p;
}

int
inc_mail_confirmation(const char *text, int *rating, char **feedback)
{
	const char *p = text, *w;
	size_t n, len;

	*rating = 0;
	*feedback = NULL;
	if (!p)
		return 0;
	while (*p && strchr(" \t\r\n*\"'`_", *p))
		p++;
	for (w = p; (*w >= 'a' && *w <= 'z') || (*w >= 'A' && *w <= 'Z'); w++)
		;
	n = (size_t)(w - p);
	if (!((n == 7 && strncasecmp(p, "confirm", 7) == 0) ||
	      (n == 9 && strncasecmp(p, "confirmed", 9) == 0)))
		return 0;
	if ((*w >= '0' && *w <= '9') || (unsigned char)*w >= 0x80)
		return 0;	/* "confirm2", "confirmé": another word */

	p = skip_separators(w);
	/* a lone digit 1-5 ("4", "4/5"), not "10" or "4.5" */
	if (*p >= '1' && *p <= '5' && !(p[1] >= '0' && p[1] <= '9') &&
	    !(p[1] == '.' && p[2] >= '0' && p[2] <= '9')) {
		*rating = *p - '0';
		p++;
		if (p[0] == '/' && p[1] == '5')
			p += 2;
		p = skip_separators(p);
	}
	len = strlen(p);
	while (len > 0 && strchr(" \t\r\n", p[len - 1]))
		len--;
	if (len > 0) {
		*feedback = inc_xmalloc(len + 1);
		memcpy(*feedback, p, len);
		(*feedback)[len] = '\0';
	}
	return 1;
}
