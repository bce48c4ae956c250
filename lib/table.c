/*
 * table.c - tables for people and for spreadsheets. Aligned text: column
 * widths in characters (UTF-8 aware), long cells cut with "~", the last
 * column filling what the terminal (or 80 columns) leaves, control
 * characters shown escaped, never raw. CSV (RFC 4180) and TSV cells, with
 * spreadsheet formulas neutralised: the one writer inc-show and inc-report
 * share.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "inc.h"

int
inc_term_width(void)
{
	struct winsize ws;
	const char *c = getenv("COLUMNS");

	if (c && atoi(c) >= 40)
		return atoi(c);
	if (isatty(1) && ioctl(1, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 40)
		return ws.ws_col;
	return 80;
}

/* Characters in a UTF-8 string. */
static size_t
u8len(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

size_t
inc_u8_width(const char *s)
{
	return u8len(s);
}

/* A control character at s: C0, DEL, or C1 (U+0080-U+009F, UTF-8 C2 80 to
 * C2 9F); its length in bytes, or 0. */
static int
control(const unsigned char *s)
{
	if (*s < 0x20 || *s == 0x7f)
		return 1;
	if (s[0] == 0xc2 && s[1] >= 0x80 && s[1] <= 0x9f)
		return 2;
	return 0;
}

char *
inc_table_escape(const char *s)
{
	struct inc_buf b = {0};
	const unsigned char *p;

	if (!s)
		return NULL;
	for (p = (const unsigned char *)s; *p; p++)
		if (control(p))
			break;
	if (!*p)
		return inc_xstrdup(s);
	for (p = (const unsigned char *)s; *p; p++) {
		int n = control(p);

		switch (n ? *p : 0) {
		case 0: inc_buf_add(&b, (const char *)p, 1); break;
		case '\n': inc_buf_addstr(&b, "\\n"); break;
		case '\r': inc_buf_addstr(&b, "\\r"); break;
		case '\t': inc_buf_addstr(&b, "\\t"); break;
		case 0x1b: inc_buf_addstr(&b, "\\e"); break;
		case 0xc2: inc_buf_printf(&b, "\\u%04x", p[1]); p++; break;
		default: inc_buf_printf(&b, "\\x%02x", *p); break;
		}
	}
	return b.data;
}

/* A cell of width characters (the last: at most width), cut with "~". */
static void
cell(struct inc_buf *b, const char *raw, size_t width, int last)
{
	char *s = inc_table_escape(raw ? raw : "-");
	size_t n = u8len(s);

	if (n > width && width > 0) {
		size_t chars = 0;
		const char *p = s;

		/* cut at a character boundary, one short for the mark */
		while (*p && chars < width - 1) {
			p++;
			while (((unsigned char)*p & 0xc0) == 0x80)
				p++;
			chars++;
		}
		inc_buf_add(b, s, (size_t)(p - s));
		inc_buf_add(b, "~", 1);
		n = width;
	} else {
		inc_buf_addstr(b, s);
	}
	if (!last)
		for (; n <= width; n++)
			inc_buf_add(b, " ", 1);
	free(s);
}

void
inc_table_row(struct inc_buf *b, const char *const cells[], const size_t w[], int n,
	      int width)
{
	size_t used = 0;

	for (int i = 0; i < n - 1; i++) {
		cell(b, cells[i], w[i], 0);
		used += w[i] + 1;
	}
	/* the last column takes what is left, and never less than 10 */
	cell(b, cells[n - 1], (size_t)width > used + 10 ? (size_t)width - used : 10, 1);
	inc_buf_add(b, "\n", 1);
}

/* ---- a table held whole, its columns fitted to their cells ---- */

/* The last column is cut to this before any other is. */
#define LASTKEEP 30

void
inc_table_add(struct inc_table *t, char **cells)
{
	if (t->nrows == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 64;
		t->cells = inc_xrealloc(t->cells, t->cap * (size_t)t->ncols * sizeof *t->cells);
	}
	for (int c = 0; c < t->ncols; c++) {
		char *e = inc_table_escape(cells[c]);

		free(cells[c]);
		cells[c] = NULL;
		t->cells[t->nrows * (size_t)t->ncols + (size_t)c] = e;
	}
	t->nrows++;
}

void
inc_table_write(struct inc_buf *b, const struct inc_table *t, int width)
{
	size_t n = (size_t)t->ncols, *w = inc_xmalloc(n * sizeof *w), total = 0;
	size_t *min = inc_xmalloc(n * sizeof *min);

	for (size_t c = 0; c < n; c++) {
		w[c] = u8len(t->head[c]);
		for (size_t r = 0; r < t->nrows; r++) {
			const char *s = t->cells[r * n + c];
			size_t k = s ? u8len(s) : 1;

			if (k > w[c])
				w[c] = k;
		}
		min[c] = t->min[c] < w[c] ? t->min[c] : w[c];
		total += w[c] + 1;
	}
	/* too wide: the last column (a subject, a title: what a reader needs
	 * most, and the longest) gives way first, down to LASTKEEP; then the
	 * widest of the others, the rightmost of equals, one character at a
	 * time down to their least; then the last down to its least */
	for (int pass = 0; pass < 3 && total - 1 > (size_t)width; pass++) {
		size_t floor = pass == 0 ? (w[n - 1] < LASTKEEP ? w[n - 1] : LASTKEEP) : min[n - 1];

		while (total - 1 > (size_t)width) {
			size_t best = n;

			if (pass == 1) {
				for (size_t c = 0; c + 1 < n; c++)
					if (w[c] > min[c] && (best == n || w[c] >= w[best]))
						best = c;
			} else if (w[n - 1] > floor && w[n - 1] > min[n - 1]) {
				best = n - 1;
			}
			if (best == n)
				break;
			w[best]--;
			total--;
		}
	}
	inc_table_row(b, t->head, w, t->ncols, (int)(total - 1));
	for (size_t r = 0; r < t->nrows; r++)
		inc_table_row(b, (const char *const *)t->cells + r * n, w, t->ncols,
			      (int)(total - 1));
	free(w);
	free(min);
}

void
inc_table_free(struct inc_table *t)
{
	for (size_t i = 0; i < t->nrows * (size_t)t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	t->cells = NULL;
	t->nrows = t->cap = 0;
}

/* ---- CSV and TSV ---- */

/* A number as a spreadsheet reads it: -12, 3.50. */
static int
number(const char *s)
{
	const char *p = s + (*s == '-');

	if (*p < '0' || *p > '9')
		return 0;
	while (*p >= '0' && *p <= '9')
		p++;
	if (*p == '.') {
		p++;
		if (*p < '0' || *p > '9')
			return 0;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	return *p == '\0';
}

void
inc_sv_cell(struct inc_buf *b, const char *s, char sep)
{
	/* OWASP's advice on CSV injection: a cell a spreadsheet would take
	 * for a formula gets a leading single quote, and shows as text. A
	 * number cannot be a formula, and stays a number. */
	const char *mark;

	if (!s)
		return;
	mark = *s && strchr("=+-@\t\r", *s) && !number(s) ? "'" : "";
	if (sep == ',' && strpbrk(s, ",\"\r\n")) {
		/* RFC 4180: quoted, quotes doubled */
		inc_buf_printf(b, "\"%s", mark);
		for (; *s; s++)
			inc_buf_add(b, *s == '"' ? "\"\"" : s, *s == '"' ? 2 : 1);
		inc_buf_addstr(b, "\"");
		return;
	}
	inc_buf_addstr(b, mark);
	for (; *s; s++) {
		/* TSV cannot quote: backslash, tab, newline and carriage
		 * return are written as \\, \t, \n and \r */
		const char *e = sep != '\t' ? NULL : *s == '\\' ? "\\\\" : *s == '\t' ? "\\t" :
				*s == '\n' ? "\\n" : *s == '\r' ? "\\r" : NULL;

		if (e)
			inc_buf_addstr(b, e);
		else
			inc_buf_add(b, s, 1);
	}
}

void
inc_sv_row(struct inc_buf *b, const char *const cells[], int n, char sep)
{
	for (int i = 0; i < n; i++) {
		if (i)
			inc_buf_add(b, &sep, 1);
		inc_sv_cell(b, cells[i], sep);
	}
	inc_buf_addstr(b, "\n");
}
