/*
 * input.c - the input loop every tool shares: ids from arguments or JSON
 * lines from stdin, one savepoint per record so a refused record changes
 * nothing while the others go on, commits in batches for bulk input, and a
 * commit as soon as input pauses, so a slow pipe never holds records back.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "inc.h"

/* Records per transaction, and the longest a transaction is held: big
 * enough for bulk speed (WAL checkpoints cost dearly under 10,000), short
 * enough that other writers wait well under their busy timeout. */
#define BATCH_RECORDS 20000
#define BATCH_NSEC 500000000LL

struct reader {
	int fd;
	char *buf;
	size_t start, len, cap;
	int eof;
};

static int64_t
mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Next line without its newline, NUL-terminated in place. 1: a line, 0: end
 * of input, -1: read error (errno). */
static int
next_line(struct reader *r, struct inc_ctx *ctx, char **line, size_t *n)
{
	for (;;) {
		/* no buffer before the first read: memchr(NULL, ...) is undefined */
		char *nl = r->len > r->start ?
			memchr(r->buf + r->start, '\n', r->len - r->start) : NULL;
		ssize_t got;

		if (nl) {
			*line = r->buf + r->start;
			*n = (size_t)(nl - *line);
			*nl = '\0';
			r->start += *n + 1;
			return 1;
		}
		if (r->eof) {
			if (r->start == r->len)
				return 0;
			*line = r->buf + r->start;
			*n = r->len - r->start;
			r->buf[r->len] = '\0';
			r->start = r->len;
			return 1;
		}
		if (r->start > 0) {
			memmove(r->buf, r->buf + r->start, r->len - r->start);
			r->len -= r->start;
			r->start = 0;
		}
		if (r->cap - r->len < 65536 + 1) {
			r->cap = r->cap ? r->cap * 2 : 262144;
			r->buf = inc_xrealloc(r->buf, r->cap);
		}
		/* nothing to read right now: what is done goes out first */
		if (ctx->in_tx || ctx->out.len) {
			struct pollfd p = {.fd = r->fd, .events = POLLIN};

			if (poll(&p, 1, 0) == 0)
				inc_tx_commit(ctx);
		}
		got = read(r->fd, r->buf + r->len, r->cap - r->len - 1);
		if (got < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (got == 0)
			r->eof = 1;
		r->len += (size_t)got;
	}
}

int
inc_parse_id(const char *s, int64_t *out)
{
	char *end;
	long long v;

	if (strncasecmp(s, "INC-", 4) == 0)
		s += 4;
	if (!isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (*end || errno || v <= 0)
		return -1;
	*out = v;
	return 0;
}

static void
savepoint(struct inc_ctx *ctx, const char *sql)
{
	sqlite3_stmt *st = inc_stmt(ctx, sql);
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		inc_die(INC_EXIT_DB, "%s: %s", ctx->dbpath, sqlite3_errmsg(ctx->db));
}

/* One record inside its own savepoint; its output is kept only on success. */
static void
one(struct inc_ctx *ctx, const char *where, json_t *line, int64_t id, inc_record_fn fn,
    void *arg)
{
	char err[INC_ERRLEN] = "";
	size_t mark;

	inc_tx_begin(ctx);
	mark = ctx->out.len;
	if (ctx->no_savepoint) {
		/* the tool refuses before its first write: a savepoint per record
		 * would be pure cost (a bulk inc-log spends 4% on it) */
		int64_t changes = sqlite3_total_changes64(ctx->db);

		if (fn(ctx, where, line, id, arg, err) == 0)
			return;
		if (sqlite3_total_changes64(ctx->db) != changes) {
			/* a write then a failure: nothing of this batch may stand */
			inc_tx_rollback(ctx);
			inc_die(INC_EXIT_DB, "%s: %s: %s", ctx->dbpath, where,
				err[0] ? err : "write failed");
		}
	} else {
		savepoint(ctx, "SAVEPOINT rec");
		if (fn(ctx, where, line, id, arg, err) == 0) {
			savepoint(ctx, "RELEASE rec");
			return;
		}
		savepoint(ctx, "ROLLBACK TO rec");
		savepoint(ctx, "RELEASE rec");
	}
	ctx->out.len = mark;
	if (inc_db_is_busy(ctx->db))
		inc_die(INC_EXIT_DB, "%s: database is locked", ctx->dbpath);
	inc_warn("%s: %s", where, err[0] ? err : "refused");
	ctx->status = INC_EXIT_REFUSED;
}

int
inc_each_arg(struct inc_ctx *ctx, char **ids, int nids, inc_record_fn fn, void *arg)
{
	for (int i = 0; i < nids; i++) {
		int64_t id;

		if (inc_parse_id(ids[i], &id) < 0) {
			inc_warn("%s: not an incident id", ids[i]);
			ctx->status = INC_EXIT_REFUSED;
			continue;
		}
		one(ctx, ids[i], NULL, id, fn, arg);
	}
	inc_tx_commit(ctx);
	return ctx->status;
}

/* The "id" of an input line: 42, "42" or "INC-42". */
static int
line_id(json_t *o, int64_t *id, char *err)
{
	json_t *v = json_object_get(o, "id");

	if (!v || json_is_null(v))
		return inc_err(err, "no \"id\"");
	if (json_is_integer(v) && json_integer_value(v) > 0) {
		*id = json_integer_value(v);
		return 0;
	}
	if (json_is_string(v) && inc_parse_id(json_string_value(v), id) == 0)
		return 0;
	return inc_err(err, "id: not an incident id");
}

int
inc_each_line(struct inc_ctx *ctx, FILE *in, int needs_id, inc_record_fn fn, void *arg)
{
	struct reader r = {.fd = fileno(in)};
	int64_t lineno = 0, batch = 0, t0 = mono_ns();
	int progress = isatty(2), shown = 0, rc;
	char *line;
	size_t n;

	while ((rc = next_line(&r, ctx, &line, &n)) == 1) {
		char where[48], err[INC_ERRLEN];
		json_error_t je;
		json_t *o;
		int64_t id = INC_NULL;

		lineno++;
		snprintf(where, sizeof where, "line %lld", (long long)lineno);
		while (n && (line[n - 1] == '\r' || line[n - 1] == ' ' || line[n - 1] == '\t'))
			line[--n] = '\0';
		if (n == 0)
			continue;
		o = json_loadb(line, n, JSON_REJECT_DUPLICATES, &je);
		/* a number or a string is valid JSON, just not an object: say
		 * so as for an array, rather than "invalid JSON" */
		if (!o && (o = json_loadb(line, n, JSON_DECODE_ANY, NULL)) &&
		    json_is_object(o)) {
			json_decref(o);
			o = NULL;
		}
		if (!o) {
			inc_warn("%s: invalid JSON: %s", where, je.text);
			ctx->status = INC_EXIT_REFUSED;
			continue;
		}
		if (!json_is_object(o)) {
			inc_warn("%s: expected a JSON object", where);
			ctx->status = INC_EXIT_REFUSED;
			json_decref(o);
			continue;
		}
		if (json_object_get(o, "id") && line_id(o, &id, err) < 0) {
			inc_warn("%s: %s", where, err);
			ctx->status = INC_EXIT_REFUSED;
			json_decref(o);
			continue;
		}
		if (needs_id && id == INC_NULL) {
			inc_warn("%s: no \"id\"", where);
			ctx->status = INC_EXIT_REFUSED;
			json_decref(o);
			continue;
		}
		one(ctx, where, o, id, fn, arg);
		json_decref(o);
		if (++batch >= BATCH_RECORDS || (batch % 256 == 0 && mono_ns() - t0 > BATCH_NSEC)) {
			inc_tx_commit(ctx);
			batch = 0;
			t0 = mono_ns();
		}
		if (progress && lineno % 100000 == 0) {
			fprintf(stderr, "\r%s: %lld lines", inc_progname(), (long long)lineno);
			shown = 1;
		}
	}
	if (shown)
		fprintf(stderr, "\r%s: %lld lines\n", inc_progname(), (long long)lineno);
	free(r.buf);
	if (rc < 0) {
		inc_tx_commit(ctx);
		inc_warn("stdin: %s", strerror(errno));
		ctx->status = INC_EXIT_REFUSED;
		return ctx->status;
	}
	inc_tx_commit(ctx);
	return ctx->status;
}
