/*
 * import_read.c - inc_import_read(): the format dispatcher, the CSV reader
 * (libcsv's push parser fed one line at a time from a fixed buffer, so that
 * every row knows the line it began on) and the JSON lines reader (the
 * normalized events themselves, checked). The XES reader is import_xes.c.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <csv.h>

#include "inc.h"
#include "import_int.h"

/* More columns than any export has: a line of commas stops here. */
#define CSV_MAX_COLUMNS 10000

struct csv_rd {
	const struct inc_import_map *m;
	struct imp_out *out;
	struct inc_buf *cols;	/* the fields of the row being read */
	size_t ncols;		/* cols allocated */
	size_t nf;		/* fields in the row so far */
	size_t nhead;		/* 0 until the header is read */
	char **head;
	int *colof;		/* per map name: its column */
	size_t *xcols;		/* columns no entry names, for "custom" */
	size_t nx;
	struct imp_extra *extra;
	const char **vals;
	long line;		/* the line being fed */
	long row_line;		/* where the row being read began, or 0 */
	long long rows;		/* data rows so far */
	int stop;
};

/* libcsv trims spaces and tabs around unquoted fields by default; an
 * import keeps the source's bytes. */
static int
no_space(unsigned char c)
{
	(void)c;
	return 0;
}

static void
csv_field(void *s, size_t len, void *data)
{
	struct csv_rd *rd = data;
	size_t max = rd->nhead ? rd->nhead + 1 : CSV_MAX_COLUMNS;

	if (rd->stop)
		return;
	if (rd->nf < max) {
		if (rd->nf == rd->ncols) {
			size_t n = rd->ncols ? rd->ncols * 2 : 64;

			rd->cols = inc_xrealloc(rd->cols, n * sizeof *rd->cols);
			memset(rd->cols + rd->ncols, 0, (n - rd->ncols) * sizeof *rd->cols);
			rd->ncols = n;
		}
		rd->cols[rd->nf].len = 0;
		inc_buf_add(&rd->cols[rd->nf], len ? s : "", len);
	}
	rd->nf++;
}

static int
fatal(struct csv_rd *rd, long line, const char *fmt, const char *arg)
{
	char msg[INC_ERRLEN];

	snprintf(msg, sizeof msg, fmt, arg);
	imp_line_msg(rd->out->err, line, msg);
	rd->stop = 1;
	return -1;
}

static int
ignored(const struct inc_import_map *m, const char *name)
{
	for (size_t i = 0; i < m->nignore; i++)
		if (strcmp(m->ignore[i], name) == 0)
			return 1;
	return 0;
}

static int
csv_header(struct csv_rd *rd, long line)
{
	const struct inc_import_map *m = rd->m;

	if (rd->nf > CSV_MAX_COLUMNS)
		return fatal(rd, line, "more than %s columns", "10000");
	rd->nhead = rd->nf;
	rd->head = inc_xmalloc(rd->nhead * sizeof *rd->head);
	for (size_t i = 0; i < rd->nhead; i++) {
		struct inc_buf *c = &rd->cols[i];
		const char *s = c->data;
		size_t n = c->len;

		if (i == 0 && n >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0) {
			s += 3;	/* a byte order mark, as spreadsheets write */
			n -= 3;
		}
		if (!inc_utf8_valid(s, n)) {
			while (i-- > 0)
				free(rd->head[i]);
			free(rd->head);
			rd->head = NULL;
			return fatal(rd, line, "the header is not valid UTF-8%s", "");
		}
		rd->head[i] = inc_xstrdup(s);
	}
	rd->colof = inc_xmalloc((m->nnames + 1) * sizeof *rd->colof);
	for (size_t k = 0; k < m->nnames; k++) {
		size_t i;

		for (i = 0; i < rd->nhead; i++)
			if (strcmp(rd->head[i], m->names[k]) == 0)
				break;
		if (i == rd->nhead)
			return fatal(rd, line, "no column \"%s\", which the mapping reads",
				     m->names[k]);
		rd->colof[k] = (int)i;
	}
	rd->xcols = inc_xmalloc((rd->nhead + 1) * sizeof *rd->xcols);
	for (size_t i = 0; i < rd->nhead; i++) {
		size_t k;

		for (k = 0; k < m->nnames; k++)
			if (strcmp(rd->head[i], m->names[k]) == 0)
				break;
		if (k < m->nnames || ignored(m, rd->head[i]) || m->unmapped == UNMAPPED_IGNORE)
			continue;
		if (m->unmapped == UNMAPPED_ERROR)
			return fatal(rd, line, "column \"%s\" is in no entry of the mapping "
				     "(map it, or list it in \"ignore\")", rd->head[i]);
		rd->xcols[rd->nx++] = i;
	}
	rd->extra = inc_xmalloc((rd->nx + 1) * sizeof *rd->extra);
	rd->vals = inc_xmalloc((m->nnames + 1) * sizeof *rd->vals);
	return 0;
}

static int
csv_data(struct csv_rd *rd, long line)
{
	const struct inc_import_map *m = rd->m;
	struct imp_src src = {0};

	rd->rows++;
	if (rd->nf != rd->nhead)
		return imp_refuse(rd->out, line, "%zu fields, the header has %zu",
				  rd->nf, rd->nhead);
	for (size_t k = 0; k < m->nnames; k++) {
		const struct inc_buf *c = &rd->cols[rd->colof[k]];

		if (strlen(c->data) != c->len)
			return imp_refuse(rd->out, line, "column \"%s\" holds a NUL byte",
					  m->names[k]);
		rd->vals[k] = c->data;
	}
	for (size_t i = 0; i < rd->nx; i++) {
		const struct inc_buf *c = &rd->cols[rd->xcols[i]];

		if (strlen(c->data) != c->len)
			return imp_refuse(rd->out, line, "column \"%s\" holds a NUL byte",
					  rd->head[rd->xcols[i]]);
		rd->extra[i].key = rd->head[rd->xcols[i]];
		rd->extra[i].val = c->data;
		rd->extra[i].type = T_STRING;
	}
	src.vals = rd->vals;
	src.extra = rd->extra;
	src.nextra = rd->nx;
	src.line = line;
	src.seq = rd->rows;
	return imp_apply(m, &src, rd->out);
}

static void
csv_row(int c, void *data)
{
	struct csv_rd *rd = data;
	long line = rd->row_line ? rd->row_line : rd->line;

	(void)c;
	if (!rd->stop && (rd->nhead ? csv_data(rd, line) : csv_header(rd, line)) < 0)
		rd->stop = 1;
	rd->nf = 0;
	rd->row_line = 0;
}

static void
csv_rd_free(struct csv_rd *rd)
{
	for (size_t i = 0; i < rd->ncols; i++)
		inc_buf_free(&rd->cols[i]);
	free(rd->cols);
	for (size_t i = 0; rd->head && i < rd->nhead; i++)
		free(rd->head[i]);
	free(rd->head);
	free(rd->colof);
	free(rd->xcols);
	free(rd->extra);
	free(rd->vals);
}

int
imp_read_csv(FILE *in, const struct inc_import_map *m, struct imp_out *out)
{
	struct csv_parser p;
	struct csv_rd rd = {0};
	char *buf;
	size_t n;
	int rc = 0;

	/* strict: a stray quote is an error, as the fields after it could not
	 * be told apart */
	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI) != 0)
		return inc_err(out->err, "out of memory");
	csv_set_space_func(&p, no_space);
	csv_set_blk_size(&p, IMP_BLOCK);
	buf = inc_xmalloc(IMP_BLOCK);
	rd.m = m;
	rd.out = out;
	rd.line = 1;
	while (!rd.stop && (n = fread(buf, 1, IMP_BLOCK, in)) > 0) {
		size_t off = 0;

		/* line by line, so that a row knows where it began */
		while (off < n && !rd.stop) {
			char *nl = memchr(buf + off, '\n', n - off);
			size_t seg = nl ? (size_t)(nl - (buf + off)) + 1 : n - off;

			if (!rd.row_line && !(nl && (seg == 1 || (seg == 2 && buf[off] == '\r'))))
				rd.row_line = rd.line;
			if (csv_parse(&p, buf + off, seg, csv_field, csv_row, &rd) != seg &&
			    !rd.stop) {
				fatal(&rd, rd.line, "%s", csv_error(&p) == CSV_EPARSE ?
				      "a quote inside an unquoted field, or text after a "
				      "closing quote" : csv_strerror(csv_error(&p)));
				break;
			}
			if (nl)
				rd.line++;
			off += seg;
			if (csv_get_buffer_size(&p) > IMP_FIELD_MAX + IMP_BLOCK) {
				fatal(&rd, rd.row_line ? rd.row_line : rd.line,
				      "a field longer than 16 MiB%s", "");
				break;
			}
		}
	}
	if (!rd.stop && ferror(in))
		fatal(&rd, rd.line, "cannot read: %s", strerror(errno));
	if (!rd.stop && csv_fini(&p, csv_field, csv_row, &rd) != 0 && !rd.stop)
		fatal(&rd, rd.row_line ? rd.row_line : rd.line,
		      "a quoted field is not closed by the end of the input%s", "");
	if (rd.stop)
		rc = -1;
	csv_free(&p);
	csv_rd_free(&rd);
	free(buf);
	return rc;
}

/* ---- JSON lines: the normalized events themselves ---- */

static int
jsonl_line(struct imp_out *out, const char *s, size_t len, long line)
{
	json_error_t je;
	json_t *ev, *norm;
	char msg[INC_ERRLEN];
	size_t i;

	for (i = 0; i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r'); i++)
		;
	if (i == len)
		return 0;	/* a blank line */
	ev = json_loadb(s, len, JSON_REJECT_DUPLICATES, &je);
	if (!ev)
		return imp_refuse(out, line, "column %d: %s", je.column, je.text);
	norm = imp_normalize(ev, line, msg);
	json_decref(ev);
	if (!norm)
		return imp_refuse(out, line, "%s", msg);
	return imp_emit(out, norm);
}

int
imp_read_jsonl(FILE *in, struct imp_out *out)
{
	struct inc_buf line = {0};
	char *buf = inc_xmalloc(IMP_BLOCK);
	long lineno = 1;
	int rc = 0, toolong = 0;
	size_t n;

	inc_buf_add(&line, "", 0);
	while (rc == 0 && (n = fread(buf, 1, IMP_BLOCK, in)) > 0) {
		size_t off = 0;

		while (off < n && rc == 0) {
			char *nl = memchr(buf + off, '\n', n - off);
			size_t seg = nl ? (size_t)(nl - (buf + off)) : n - off;

			if (!toolong && line.len + seg > IMP_LINE_MAX) {
				toolong = 1;
				line.len = 0;
			}
			if (!toolong)
				inc_buf_add(&line, buf + off, seg);
			off += seg;
			if (!nl)
				break;
			off++;
			rc = toolong ? imp_refuse(out, lineno, "longer than 64 MiB") :
				jsonl_line(out, line.data, line.len, lineno);
			line.len = 0;
			toolong = 0;
			lineno++;
		}
	}
	if (rc == 0 && ferror(in))
		rc = inc_err(out->err, "line %ld: cannot read: %s", lineno, strerror(errno));
	if (rc == 0 && (line.len > 0 || toolong))
		rc = toolong ? imp_refuse(out, lineno, "longer than 64 MiB") :
			jsonl_line(out, line.data, line.len, lineno);
	inc_buf_free(&line);
	free(buf);
	return rc;
}

int
inc_import_read(FILE *in, const char *format, const struct inc_import_map *map,
		inc_import_fn fn, void *arg, size_t *refused, char *err)
{
	struct imp_out out = {0};
	int rc;

	out.fn = fn;
	out.arg = arg;
	out.err = err;
	if (refused)
		*refused = 0;
	if (!in || !format || !fn)
		return inc_err(err, "inc_import_read: no input, format or callback");
	if (strcmp(format, "jsonl") == 0) {
		rc = imp_read_jsonl(in, &out);
	} else if (strcmp(format, "servicenow") == 0 || strcmp(format, "helpdesk") == 0 ||
		   strcmp(format, "csv") == 0 || strcmp(format, "xes") == 0) {
		int xes = strcmp(format, "xes") == 0;

		if (!map)
			return inc_err(err, "format %s needs a mapping file", format);
		if ((map->fmt == IMP_XES) != xes)
			return inc_err(err, "%s: a mapping for %s logs, not for format %s",
				       map->path, map->fmt == IMP_XES ? "XES" : "CSV", format);
		rc = xes ? imp_read_xes(in, map, &out) : imp_read_csv(in, map, &out);
	} else {
		return inc_err(err, "unknown format \"%s\" (servicenow, helpdesk, csv, xes, "
			       "jsonl)", format);
	}
	free(out.last_id);
	if (refused)
		*refused = out.refused;
	return rc;
}
