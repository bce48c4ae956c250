/*
 * input.c - the loop every tool runs: ids from arguments, ids a query
 * selected, or JSON lines from stdin; one savepoint per record so that a
 * refused record changes nothing while the others go on; commits in
 * batches for bulk input, and at once whenever stdin has nothing to read
 * yet, so a slow pipe never holds records back; and a database that fails
 * under the run (busy past the timeout, full, I/O error, read-only) stops
 * it with nothing of the batch kept.
 *
 * The one place in the library that writes to stderr: a refused record is
 * reported as it goes ("inc-TOOL: line 12: ..."), as every tool's main
 * loop does.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "inc.h"

/* Records per transaction, and the longest a transaction is held: big
 * enough for bulk speed, short enough that a one-shot writer waiting for
 * the lock gets it within about a second. */
#define BATCH_RECORDS 20000
#define BATCH_NSEC 500000000LL
/* After a batch that held the lock to its deadline, it is left free this
 * long: a waiting writer polls every millisecond (db_sqlite.c) and gets in. */
#define YIELD_USEC 3000

struct reader {
	int fd;
	char *buf;
	size_t start, len, cap;
	int eof;
	int skipping;	/* the rest of a line too long to keep */
};

struct batch {
	int64_t n, t0;
};

/* Parsed lines between the threads: the reader hands them over in chunks
 * and the writer takes all there are at once, so that the two seldom wait
 * on each other's lock; enough to ride out a slow commit, few enough that
 * memory stays bounded on any input. */
#define FEED_CAP 1024
#define FEED_CHUNK 64

enum { ITEM_OBJ, ITEM_LONG, ITEM_BAD };

/* One input line as the reader thread left it: its object and id, a line
 * too long to keep, or why it is not a record. */
struct item {
	int64_t lineno;
	int kind;
	json_t *o;
	int64_t id;
	char *err;
	void *prep;	/* what the tool's preparation made of it */
};

/* Between the reader thread and the writer: a ring of parsed lines. */
struct feed {
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t more, room;	/* the writer waits for more; the reader for room */
	struct item q[FEED_CAP];	/* the ring, under mu */
	size_t head, n;
	int more_waiting, room_waiting;
	int starved;		/* the reader waits for input, all it read handed over */
	int done;		/* the reader has finished: end of input or a read error */
	int read_errno;
	int stopping;		/* the writer stopped: the reader is to stop too */
	int fd, stop[2];	/* stop: a pipe that wakes a reader waiting for input */
	unsigned flags;
	const struct inc_ctx *ctx;	/* read only, by prep */
	inc_prep_fn prep;
	void (*prep_free)(void *);
	struct item in[FEED_CHUNK];	/* the reader's, not yet handed over */
	size_t nin;
	struct item out[FEED_CAP];	/* the writer's, taken from the ring */
	size_t ohead, on;
	/* What the writer is done with of the reader's preparations, handed
	 * back for the reader to free: freed by the writer, each block of
	 * the reader's malloc arena takes that arena's lock, which the reader
	 * holds as it allocates (a futex a record in a bulk inc-log). */
	void *trash[2 * FEED_CAP];	/* under mu */
	size_t ntrash;
	void *wtrash[FEED_CHUNK];	/* the writer's, not yet handed back */
	size_t nwtrash;
};

static void
item_clear(struct feed *f, struct item *it)
{
	json_decref(it->o);
	free(it->err);
	if (it->prep)
		f->prep_free(it->prep);
	it->o = NULL;
	it->err = NULL;
	it->prep = NULL;
}

/* The writer's trash into the shared list (under mu), or freed by the
 * writer when that is full. */
static void
trash_move(struct feed *f)
{
	for (size_t i = 0; i < f->nwtrash; i++) {
		if (f->ntrash < sizeof f->trash / sizeof *f->trash)
			f->trash[f->ntrash++] = f->wtrash[i];
		else
			f->prep_free(f->wtrash[i]);
	}
	f->nwtrash = 0;
}

/* A preparation the writer is done with. */
static void
trash_put(struct feed *f, void *p)
{
	if (f->nwtrash == FEED_CHUNK) {
		pthread_mutex_lock(&f->mu);
		trash_move(f);
		pthread_mutex_unlock(&f->mu);
	}
	f->wtrash[f->nwtrash++] = p;
}

/* The reader hands over what it parsed, waiting for room, and frees what
 * the writer handed back. -1: the writer stopped. */
static int
feed_flush(struct feed *f)
{
	void *trash[2 * FEED_CAP];
	size_t ntrash;

	pthread_mutex_lock(&f->mu);
	ntrash = f->ntrash;
	memcpy(trash, f->trash, ntrash * sizeof *trash);
	f->ntrash = 0;
	while (FEED_CAP - f->n < f->nin && !f->stopping) {
		f->room_waiting = 1;
		pthread_cond_wait(&f->room, &f->mu);
		f->room_waiting = 0;
	}
	if (f->stopping) {
		pthread_mutex_unlock(&f->mu);
		for (size_t i = 0; i < ntrash; i++)
			f->prep_free(trash[i]);
		return -1;
	}
	for (size_t i = 0; i < f->nin; i++)
		f->q[(f->head + f->n++) % FEED_CAP] = f->in[i];
	f->nin = 0;
	f->starved = 0;
	if (f->more_waiting)
		pthread_cond_signal(&f->more);
	pthread_mutex_unlock(&f->mu);
	for (size_t i = 0; i < ntrash; i++)
		f->prep_free(trash[i]);
	return 0;
}

static int
feed_push(struct feed *f, struct item *it)
{
	f->in[f->nin++] = *it;
	return f->nin == FEED_CHUNK ? feed_flush(f) : 0;
}

/* Before a read: when nothing is there to read, hand over what is parsed,
 * say so to the writer (it commits what is done) and wait for input or
 * for the writer to stop us. -1: stop. */
static int
feed_wait_input(struct feed *f)
{
	struct pollfd p[2] = {{.fd = f->fd, .events = POLLIN}, {.fd = f->stop[0], .events = POLLIN}};

	if (poll(p, 1, 0) != 0)
		return 0;	/* readable, at end, or an error read() will say */
	if (feed_flush(f) < 0)
		return -1;
	pthread_mutex_lock(&f->mu);
	f->starved = 1;
	if (f->more_waiting)
		pthread_cond_signal(&f->more);
	pthread_mutex_unlock(&f->mu);
	while (poll(p, 2, -1) < 0)
		if (errno != EINTR)
			return 0;
	pthread_mutex_lock(&f->mu);
	f->starved = 0;
	pthread_mutex_unlock(&f->mu);
	return p[1].revents ? -1 : 0;
}

/* The database failed under the run: nothing of the batch stands. */
static int
fatal(struct inc_ctx *ctx, const char *where)
{
	char msg[INC_ERRLEN];

	inc_db_err(ctx->db, msg);
	inc_tx_rollback(ctx);
	if (where)
		inc_warn("%s: %s: %s", inc_db_name(ctx->db), where, msg);
	else
		inc_warn("%s: %s", inc_db_name(ctx->db), msg);
	ctx->status = INC_EXIT_DB;
	return -1;
}

static int
commit(struct inc_ctx *ctx, struct batch *b)
{
	int held = b->n > 0 && inc_mono_ns() - b->t0 > BATCH_NSEC;

	/* inc_tx_commit writes the batch's kept audit and event rows first */
	if (inc_db_in_tx(ctx->db) && inc_tx_commit(ctx) < 0)
		return fatal(ctx, NULL);
	inc_ctx_flush(ctx);
	if (held)
		usleep(YIELD_USEC);
	b->n = 0;
	b->t0 = inc_mono_ns();
	return 0;
}

/* After each record: commit when the batch is full or has held the lock
 * long enough. */
static int
tick(struct inc_ctx *ctx, struct batch *b)
{
	if (++b->n >= BATCH_RECORDS || inc_mono_ns() - b->t0 > BATCH_NSEC)
		return commit(ctx, b);
	return 0;
}

/* One record inside its own savepoint; its output is kept only on success.
 * 0: go on (done or refused); -1: the run stops. */
static int
one(struct inc_ctx *ctx, const char *where, json_t *line, int64_t id, inc_record_fn fn,
    void *arg)
{
	char err[INC_ERRLEN] = "";
	size_t mark;
	int rc;

	if (inc_tx_begin(ctx) < 0)
		return fatal(ctx, NULL);
	mark = ctx->out.len;
	if (ctx->no_savepoint) {
		/* the tool refuses before its first write: a savepoint per record
		 * would be pure cost (a bulk inc-log spends 4% on it) */
		int64_t changes = inc_db_changes(ctx->db);
		size_t events = ctx->npev, audits = ctx->npau;

		/* its audit and event rows are kept for the commit */
		ctx->defer_rows = 1;
		rc = fn(ctx, where, line, id, arg, err);
		ctx->defer_rows = 0;
		if (rc == 0)
			return 0;
		if (inc_db_failed(ctx->db))
			return fatal(ctx, where);
		if (inc_db_changes(ctx->db) != changes || ctx->npev < events ||
		    ctx->npau < audits) {
			/* a write then a failure (the rows kept for the batch
			 * written, or lost to a failed write, on the way): nothing
			 * of this batch may stand */
			inc_tx_rollback(ctx);
			inc_warn("%s: %s: %s", inc_db_name(ctx->db), where,
				 err[0] ? err : "write failed");
			ctx->status = INC_EXIT_DB;
			return -1;
		}
		/* refused before writing */
		inc_events_drop(ctx, events);
		inc_audit_drop(ctx, audits);
	} else {
		if (inc_db_savepoint(ctx->db) < 0)
			return fatal(ctx, where);
		if (fn(ctx, where, line, id, arg, err) == 0)
			return inc_db_release(ctx->db) < 0 ? fatal(ctx, where) : 0;
		if (inc_db_failed(ctx->db) || inc_db_rollback_to(ctx->db) < 0)
			return fatal(ctx, where);
	}
	ctx->out.len = mark;
	inc_warn("%s: %s", where, err[0] ? err : "refused");
	ctx->status = INC_EXIT_REFUSED;
	return 0;
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

static int
each_arg(struct inc_ctx *ctx, char **ids, int nids, inc_record_fn fn, void *arg)
{
	struct batch b = {0, inc_mono_ns()};

	for (int i = 0; i < nids; i++) {
		int64_t id;

		if (inc_parse_id(ids[i], &id) < 0) {
			inc_warn("%s: not an incident id", ids[i]);
			ctx->status = INC_EXIT_REFUSED;
			continue;
		}
		if (one(ctx, ids[i], NULL, id, fn, arg) < 0 || tick(ctx, &b) < 0)
			return ctx->status;
	}
	commit(ctx, &b);
	return ctx->status;
}

int
inc_each_id(struct inc_ctx *ctx, const int64_t *ids, size_t n, inc_record_fn fn, void *arg)
{
	struct batch b = {0, inc_mono_ns()};

	for (size_t i = 0; i < n; i++) {
		char where[24];

		snprintf(where, sizeof where, "%lld", (long long)ids[i]);
		if (one(ctx, where, NULL, ids[i], fn, arg) < 0 || tick(ctx, &b) < 0)
			return ctx->status;
	}
	commit(ctx, &b);
	return ctx->status;
}

static int
by_id(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

int
inc_each_query(struct inc_ctx *ctx, struct inc_sql *q, inc_record_fn fn, void *arg)
{
	char err[INC_ERRLEN];
	size_t n;
	int64_t *ids = inc_select_ids(ctx, q, &n, err);

	if (!ids) {
		inc_warn("%s: %s", inc_db_name(ctx->db), err);
		ctx->status = INC_EXIT_DB;
		return ctx->status;
	}
	qsort(ids, n, sizeof *ids, by_id);
	inc_each_id(ctx, ids, n, fn, arg);
	free(ids);
	return ctx->status;
}

/* Next line without its newline, NUL-terminated in place. 1: a line, 2: a
 * line longer than INC_LINE_MAX (dropped), 0: end of input, -1: read error
 * (errno), -2: the run stopped (the writer asked the feed to stop). */
static int
next_line(struct feed *f, struct reader *r, char **line, size_t *n)
{
	for (;;) {
		/* no buffer before the first read: memchr(NULL, ...) is undefined */
		char *nl = r->len > r->start ?
			memchr(r->buf + r->start, '\n', r->len - r->start) : NULL;
		ssize_t got;

		if (r->skipping) {
			/* memory stays bounded: what is read of it goes */
			r->start = nl ? (size_t)(nl - r->buf) + 1 : r->len;
			if (nl || r->eof) {
				r->skipping = 0;
				return 2;
			}
		} else if (nl ? (size_t)(nl - r->buf) - r->start > INC_LINE_MAX :
			   r->len - r->start > INC_LINE_MAX) {
			r->skipping = 1;
			continue;
		}
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
		if (feed_wait_input(f) < 0)
			return -2;
		got = read(r->fd, r->buf + r->len, r->cap - r->len - 1);
		if (got < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			return -1;
		}
		if (got == 0)
			r->eof = 1;
		r->len += (size_t)got;
	}
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

/* A line that is an id alone: 5, INC-5, "INC-5" (quoted as jq -r would
 * not, or as a JSON string). 0 and the id, or -1. */
static int
bare_id(const char *line, size_t n, int64_t *id)
{
	char buf[32];

	if (n >= 2 && line[0] == '"' && line[n - 1] == '"') {
		line++;
		n -= 2;
	}
	if (n == 0 || n >= sizeof buf)
		return -1;
	memcpy(buf, line, n);
	buf[n] = '\0';
	return inc_parse_id(buf, id);
}

/* The id of a line certain to be a valid object (inc_json_scan_object),
 * without building it: 1 and *id when its "id" is a positive integer or a
 * string inc_parse_id reads, else 0 (Jansson reads it and says what is
 * wrong, as for any line). */
static int
quick_id(const char *line, size_t n, int64_t *id)
{
	const char *v;
	size_t vn;
	char buf[32];

	if (!inc_json_scan_object(line, n, "id", &v, &vn) || !v || vn < 1 || vn >= sizeof buf)
		return 0;
	if (v[0] == '"') {
		if (vn < 2 || memchr(v, '\\', vn))
			return 0;
		v++;
		vn -= 2;
	} else if (!memchr("123456789", v[0], 9) || memchr(v, '.', vn) || memchr(v, 'e', vn) ||
		   memchr(v, 'E', vn)) {
		return 0;	/* 0, negative, real: line_id says why */
	}
	memcpy(buf, v, vn);
	buf[vn] = '\0';
	return inc_parse_id(buf, id) == 0;
}

/* One input line: its JSON object and id, or a message why not. A tool
 * that needs an id also takes the id alone, as {"id":N}. */
static json_t *
parse_line(char *line, size_t n, unsigned flags, int64_t *id, char *err)
{
	const char *want = (flags & INC_EACH_NEEDS_ID) ?
		"expected a JSON object or an incident id" : "expected a JSON object";
	json_error_t je;
	json_t *o;

	*id = INC_NULL;
	if ((flags & INC_EACH_NEEDS_ID) && bare_id(line, n, id) == 0)
		return json_pack("{s:I}", "id", (json_int_t)*id);
	o = json_loadb(line, n, JSON_REJECT_DUPLICATES, &je);
	/* a number or a string is valid JSON, just not an object: say so as
	 * for an array, rather than "invalid JSON" */
	if (!o && (o = json_loadb(line, n, JSON_DECODE_ANY, NULL)) && json_is_object(o)) {
		json_decref(o);
		o = NULL;
	}
	if (!o) {
		inc_err(err, "invalid JSON: %s", je.text);
		return NULL;
	}
	if (!json_is_object(o)) {
		json_decref(o);
		inc_err(err, "%s", want);
		return NULL;
	}
	if (json_object_get(o, "id") && line_id(o, id, err) < 0) {
		json_decref(o);
		return NULL;
	}
	if ((flags & INC_EACH_NEEDS_ID) && *id == INC_NULL) {
		json_decref(o);
		inc_err(err, "no \"id\"");
		return NULL;
	}
	return o;
}

/* The reader thread: reads stdin, splits and parses its lines, and hands
 * them to the writer (the tool's thread) in order, so that parsing runs
 * on one core while the writer works the database on the other. */
static void *
feed_run(void *arg)
{
	struct feed *f = arg;
	struct reader r = {.fd = f->fd};
	int64_t lineno = 0;
	int rc, e = 0;
	char *line;
	size_t n;

	while ((rc = next_line(f, &r, &line, &n)) >= 1) {
		struct item it = {.lineno = ++lineno, .id = INC_NULL};
		char err[INC_ERRLEN];

		if (rc == 2) {
			it.kind = ITEM_LONG;
		} else {
			while (n && (line[n - 1] == '\r' || line[n - 1] == ' ' || line[n - 1] == '\t'))
				line[--n] = '\0';
			if (n == 0)
				continue;
			if ((f->flags & INC_EACH_NO_LINE) && (f->flags & INC_EACH_NEEDS_ID) &&
			    !f->prep && (bare_id(line, n, &it.id) == 0 || quick_id(line, n, &it.id))) {
				it.kind = ITEM_OBJ;	/* the id is all fn reads */
			} else if ((it.o = parse_line(line, n, f->flags, &it.id, err)) &&
			    (!f->prep || (it.prep = f->prep(f->ctx, it.o, err)))) {
				it.kind = ITEM_OBJ;
				if (f->flags & INC_EACH_NO_LINE) {
					/* freed here, in this thread's own arena,
					 * not by the writer */
					json_decref(it.o);
					it.o = NULL;
				}
			} else {
				json_decref(it.o);
				it.o = NULL;
				it.kind = ITEM_BAD;
				it.err = inc_xstrdup(err);
			}
		}
		/* the item is the feed's now: feed_stop() drops what is left */
		if (feed_push(f, &it) < 0) {
			rc = -2;
			break;
		}
	}
	if (rc == -1)
		e = errno;
	free(r.buf);
	if (rc != -2)
		feed_flush(f);
	pthread_mutex_lock(&f->mu);
	f->done = 1;
	f->read_errno = e;
	pthread_cond_signal(&f->more);
	pthread_mutex_unlock(&f->mu);
	return NULL;
}

static struct feed *
feed_start(const struct inc_ctx *ctx, int fd, unsigned flags, inc_prep_fn prep,
	   void (*prep_free)(void *))
{
	struct feed *f = inc_xmalloc(sizeof *f);
	int rc;

	memset(f, 0, sizeof *f);
	f->fd = fd;
	f->flags = flags;
	f->ctx = ctx;
	f->prep = prep;
	f->prep_free = prep_free;
	pthread_mutex_init(&f->mu, NULL);
	pthread_cond_init(&f->more, NULL);
	pthread_cond_init(&f->room, NULL);
	if (pipe2(f->stop, O_CLOEXEC) < 0) {
		inc_warn("pipe: %s", strerror(errno));
		abort();	/* out of descriptors: as out of memory */
	}
	if ((rc = pthread_create(&f->th, NULL, feed_run, f)) != 0) {
		inc_warn("a thread: %s", strerror(rc));
		abort();
	}
	return f;
}

/* Stop the reader wherever it is (waiting for input or for room) and drop
 * what it parsed that the writer will not take. */
static void
feed_stop(struct feed *f)
{
	pthread_mutex_lock(&f->mu);
	f->stopping = 1;
	pthread_cond_signal(&f->room);
	pthread_mutex_unlock(&f->mu);
	while (write(f->stop[1], "x", 1) < 0 && errno == EINTR)
		;
	pthread_join(f->th, NULL);
	for (; f->n; f->n--, f->head = (f->head + 1) % FEED_CAP)
		item_clear(f, &f->q[f->head]);
	for (size_t i = 0; i < f->nin; i++)
		item_clear(f, &f->in[i]);
	for (; f->on; f->on--)
		item_clear(f, &f->out[f->ohead++]);
	trash_move(f);
	for (size_t i = 0; i < f->ntrash; i++)
		f->prep_free(f->trash[i]);
	close(f->stop[0]);
	close(f->stop[1]);
	pthread_cond_destroy(&f->room);
	pthread_cond_destroy(&f->more);
	pthread_mutex_destroy(&f->mu);
	free(f);
}

/* The writer's next line. 1: an item, 0: end of input, -2: the run stopped
 * (a commit failed). Whenever the reader waits for input with nothing
 * parsed, what is done is committed and goes out first, so a slow pipe
 * never holds records back. */
static int
feed_take(struct feed *f, struct inc_ctx *ctx, struct batch *b, struct item *it)
{
	if (!f->on) {
		pthread_mutex_lock(&f->mu);
		for (;;) {
			if (f->n) {
				trash_move(f);
				f->ohead = 0;
				for (; f->n; f->n--, f->head = (f->head + 1) % FEED_CAP)
					f->out[f->on++] = f->q[f->head];
				if (f->room_waiting)
					pthread_cond_signal(&f->room);
				break;
			}
			if (f->done) {
				pthread_mutex_unlock(&f->mu);
				return 0;
			}
			if (f->starved && (inc_db_in_tx(ctx->db) || ctx->out.len)) {
				pthread_mutex_unlock(&f->mu);
				if (commit(ctx, b) < 0)
					return -2;
				pthread_mutex_lock(&f->mu);
				continue;
			}
			f->more_waiting = 1;
			pthread_cond_wait(&f->more, &f->mu);
			f->more_waiting = 0;
		}
		pthread_mutex_unlock(&f->mu);
	}
	*it = f->out[f->ohead++];
	f->on--;
	return 1;
}

static int
each_line(struct inc_ctx *ctx, FILE *in, unsigned flags, inc_prep_fn prep,
	  void (*prep_free)(void *), inc_record_fn fn, void *arg)
{
	struct feed *f;
	struct batch b = {0, inc_mono_ns()};
	struct item it;
	int progress = isatty(2), shown = 0, rc, e = 0;
	int64_t lineno = 0;

	f = feed_start(ctx, fileno(in), flags, prep, prep_free);
	while ((rc = feed_take(f, ctx, &b, &it)) == 1) {
		char where[48];

		lineno = it.lineno;
		snprintf(where, sizeof where, "line %lld", (long long)lineno);
		if (it.kind == ITEM_LONG) {
			inc_warn("%s: longer than 64 MiB", where);
			ctx->status = INC_EXIT_REFUSED;
			continue;
		}
		if (it.kind == ITEM_BAD) {
			inc_warn("%s: %s", where, it.err);
			ctx->status = INC_EXIT_REFUSED;
			item_clear(f, &it);
			continue;
		}
		ctx->prepared = it.prep;
		it.prep = NULL;
		rc = one(ctx, where, it.o, it.id, fn, arg);
		if (ctx->prepared)
			trash_put(f, ctx->prepared);
		ctx->prepared = NULL;
		item_clear(f, &it);
		if (rc < 0 || tick(ctx, &b) < 0) {
			rc = -2;
			break;
		}
		if (progress && lineno % 100000 == 0) {
			fprintf(stderr, "\r%s: %lld lines", inc_progname(), (long long)lineno);
			shown = 1;
		}
	}
	if (rc == 0 && (e = f->read_errno))
		rc = -1;
	feed_stop(f);
	if (shown)
		fprintf(stderr, "\r%s: %lld lines\n", inc_progname(), (long long)lineno);
	if (ctx->status == INC_EXIT_DB)
		return ctx->status;
	if (commit(ctx, &b) < 0)
		return ctx->status;
	if (rc == -1) {
		inc_warn("stdin: %s", strerror(e));
		ctx->status = INC_EXIT_REFUSED;
	}
	return ctx->status;
}

int
inc_each(struct inc_ctx *ctx, int argc, char **argv, FILE *in, unsigned flags,
	 inc_record_fn fn, void *arg)
{
	if (argc > 0)
		return each_arg(ctx, argv, argc, fn, arg);
	return each_line(ctx, in, flags, NULL, NULL, fn, arg);
}

int
inc_each_prep(struct inc_ctx *ctx, FILE *in, unsigned flags, inc_prep_fn prep,
	      void (*prep_free)(void *), inc_record_fn fn, void *arg)
{
	return each_line(ctx, in, flags, prep, prep_free, fn, arg);
}
