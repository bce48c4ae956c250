/*
 * table.c - aligned text tables for people: column widths in characters
 * (UTF-8 aware), long cells cut with "~", the last column filling what the
 * terminal (or 80 columns) leaves.
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

void
inc_table_cell(struct inc_buf *b, const char *s, size_t width, int last)
{
	size_t n;

	if (!s)
		s = "-";
	n = u8len(s);
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
}

void
inc_table_row(struct inc_buf *b, const char *const cells[], const size_t w[], int n,
	      int width)
{
	size_t used = 0;

	for (int i = 0; i < n - 1; i++) {
		inc_table_cell(b, cells[i], w[i], 0);
		used += w[i] + 1;
	}
	/* the last column takes what is left, and never less than 10 */
	inc_table_cell(b, cells[n - 1], (size_t)width > used + 10 ? (size_t)width - used : 10, 1);
	inc_buf_add(b, "\n", 1);
}
