/*
 * inc-events - the event log, the change feed every consumer reads: the
 * events after a sequence number or after a consumer's durable cursor,
 * printed (the incident's current record with "seq" and "event") or handed
 * to a command one by one, once or following new ones as they come; a
 * consumer's cursor set or dropped; and pruning what every consumer has
 * seen.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tool.h"

static const char usage[] =
	"inc-events [-d DB] [-c CONFIG] [--now TIME] [--as USER] [--since-seq N]"
	" [--kind K[,K...]] [--consumer NAME [--exec CMD]] [--follow]\n"
	"       inc-events [-d DB] [-c CONFIG] [--now TIME] [--as USER] --consumer NAME"
	" --seek end|N|--drop\n"
	"       inc-events [-d DB] [-c CONFIG] [--now TIME] [--as USER] --prune AGE\n"
	"       inc-events [-d DB] [-c CONFIG] [--now TIME] [--as USER] --consumers";

/* How long --follow waits before looking anyway (a change the watch
 * cannot see: a database on another host). */
#define FOLLOW_MS 30000

/* SIGTERM and SIGINT end --follow between two events: main's own flag. */
static volatile sig_atomic_t stop;

static void
on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/* A sequence number: digits, 0 included (an incident id's "INC-" is not
 * one). 0, or -1. */
static int
seqnum(const char *s, int64_t *out)
{
	char *end;
	long long v;

	if (!isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (*end || errno)
		return -1;
	*out = v;
	return 0;
}

struct opts {
	const char *consumer, *exec;
	json_t *kinds;
	int follow;
	int64_t since;
};

/* CMD with the event's line on its stdin (and INC_EVENT_SEQ, INC_EVENT_KIND,
 * INC_INCIDENT in its environment): 0 when it exits 0. */
static int
run(const char *cmd, const struct inc_event_row *e, const char *line, size_t len, char *err)
{
	int fd[2], status;
	pid_t pid;
	char seq[24], inc[24];

	if (pipe(fd) < 0)
		return inc_err(err, "pipe: %s", strerror(errno));
	snprintf(seq, sizeof seq, "%lld", (long long)e->seq);
	snprintf(inc, sizeof inc, "%lld", (long long)e->incident);
	fflush(stdout);
	if ((pid = fork()) < 0) {
		close(fd[0]);
		close(fd[1]);
		return inc_err(err, "fork: %s", strerror(errno));
	}
	if (pid == 0) {
		dup2(fd[0], 0);
		close(fd[0]);
		close(fd[1]);
		setenv("INC_EVENT_SEQ", seq, 1);
		setenv("INC_EVENT_KIND", e->kind, 1);
		setenv("INC_INCIDENT", inc, 1);
		signal(SIGPIPE, SIG_DFL);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	close(fd[0]);
	/* a command that does not read its stdin is its own business */
	signal(SIGPIPE, SIG_IGN);
	while (len > 0) {
		ssize_t w = write(fd[1], line, len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		line += w;
		len -= (size_t)w;
	}
	close(fd[1]);
	signal(SIGPIPE, SIG_DFL);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return inc_err(err, "wait: %s", strerror(errno));
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	if (WIFEXITED(status))
		return inc_err(err, "%s: exit status %d", cmd, WEXITSTATUS(status));
	return inc_err(err, "%s: killed by signal %d", cmd, WTERMSIG(status));
}

/* The cursor past seq, in a transaction of its own: written after the
 * events were printed or run, never before (at least once). */
static void
move(struct inc_ctx *ctx, const char *name, int64_t seq)
{
	char err[INC_ERRLEN];

	if (inc_tx_begin(ctx) < 0 || inc_cursor_set(ctx, name, seq, err) < 0 ||
	    inc_tx_commit(ctx) < 0) {
		inc_db_err(ctx->db, err);
		tool_db_fail(ctx, err);
	}
}

/* One pass over what is there after *pos: printed, or run by --exec; the
 * cursor moved past it. 1 more may follow, 0 caught up, -1 stop. The
 * events of the kinds asked for only come back, and how far the log was
 * looked at, in the same snapshot: the cursor may pass the other kinds up
 * to it. */
static int
pass(struct inc_ctx *ctx, const struct opts *o, int64_t *pos)
{
	struct inc_event_row *rows = NULL;
	char err[INC_ERRLEN];
	int64_t start = *pos, upto;
	size_t n = 0, i;
	int rc = 0, more;

	if ((more = inc_events_fetch(ctx, *pos, INC_EVENTS_BATCH, o->kinds, &rows, &n, &upto,
				     err)) < 0)
		tool_db_fail(ctx, err);
	for (i = 0; i < n && !stop; i++) {
		const struct inc_event_row *e = &rows[i];
		size_t mark = ctx->out.len;

		if ((rc = inc_event_write(ctx, e, &ctx->out, err)) < 0)
			tool_db_fail(ctx, err);
		if (rc > 0 && o->exec) {
			rc = run(o->exec, e, ctx->out.data + mark, ctx->out.len - mark, err);
			ctx->out.len = mark;
			if (rc < 0) {
				inc_warn("event %lld (INC-%lld %s): %s", (long long)e->seq,
					 (long long)e->incident, e->kind, err);
				ctx->status = INC_EXIT_REFUSED;
				break;
			}
			*pos = e->seq;
			move(ctx, o->consumer, *pos);
			continue;
		}
		*pos = e->seq;
	}
	/* every row seen: past the events of other kinds too */
	if (i == n && !stop && ctx->status == INC_EXIT_OK && upto > *pos)
		*pos = upto;
	inc_ctx_flush(ctx);
	inc_events_free(rows, n);
	if (ctx->out_errno)
		return -1;	/* the reader went away: the cursor stays */
	if (o->consumer && (n || *pos != start))
		move(ctx, o->consumer, *pos);
	if (ctx->status != INC_EXIT_OK || stop)
		return -1;
	return more;
}

static void
consumers(struct inc_ctx *ctx)
{
	struct inc_sql *q = inc_sql(ctx->db, "SELECT name, seq, at,"
				    " (SELECT count(*) FROM event WHERE event.seq > cursor.seq)"
				    " FROM cursor ORDER BY name");
	char err[INC_ERRLEN];
	int rc;

	while ((rc = inc_sql_step(q)) > 0) {
		char tb[INC_TIMELEN];

		inc_emit_json(ctx, json_pack("{s:s,s:I,s:s,s:I}", "consumer", inc_sql_col_text(q, 0),
					     "seq", (json_int_t)inc_sql_col_int(q, 1),
					     "at", inc_time_format(inc_sql_col_int(q, 2), tb),
					     "behind", (json_int_t)inc_sql_col_int(q, 3)));
	}
	inc_sql_reset(q);
	if (rc < 0) {
		inc_db_err(ctx->db, err);
		tool_db_fail(ctx, err);
	}
}

int
main(int argc, char **argv)
{
	enum { O_SINCE = INC_OPT_TOOL, O_KIND, O_CONSUMER, O_EXEC, O_FOLLOW, O_PRUNE, O_SEEK,
	       O_CONSUMERS, O_DROP };
	static const struct option longopts[] = {
		INC_COMMON_LONGOPTS,
		{"since-seq", required_argument, 0, O_SINCE},
		{"kind", required_argument, 0, O_KIND},
		{"consumer", required_argument, 0, O_CONSUMER},
		{"exec", required_argument, 0, O_EXEC},
		{"follow", no_argument, 0, O_FOLLOW},
		{"prune", required_argument, 0, O_PRUNE},
		{"seek", required_argument, 0, O_SEEK},
		{"consumers", no_argument, 0, O_CONSUMERS},
		{"drop", no_argument, 0, O_DROP},
		{0, 0, 0, 0}
	};
	static const char *const kinds[] = {"logged", "classified", "assigned", "queued", "updated",
		"sla_warning", "sla_breached", "escalated", "notified", "replied", "major_declared",
		"resolved", "closed", "reopened", NULL};
	struct inc_ctx ctx = {0};
	struct opts o = {.since = INC_NULL};
	const char *prune = NULL, *seek = NULL, *since = NULL, *kind = NULL;
	int64_t to = 0;
	int c, list = 0, drop = 0;

	while ((c = getopt_long(argc, argv, INC_COMMON_SHORTOPTS, longopts, NULL)) != -1) {
		if (tool_option(&ctx, c, optarg, usage))
			continue;
		switch (c) {
		case O_SINCE: since = optarg; break;
		case O_KIND: kind = optarg; break;
		case O_CONSUMER: o.consumer = optarg; break;
		case O_EXEC: o.exec = optarg; break;
		case O_FOLLOW: o.follow = 1; break;
		case O_PRUNE: prune = optarg; break;
		case O_SEEK: seek = optarg; break;
		case O_CONSUMERS: list = 1; break;
		case O_DROP: drop = 1; break;
		default: inc_usage_error(usage);
		}
	}
	if (optind < argc || ((prune || list) && (since || kind || o.consumer || o.exec ||
						  o.follow || seek || drop || (prune && list))))
		inc_usage_error(usage);
	if (o.exec && !o.consumer)
		inc_die(INC_EXIT_USAGE, "--exec needs --consumer NAME: its cursor says what ran");
	if (seek && !o.consumer)
		inc_die(INC_EXIT_USAGE, "--seek needs --consumer NAME");
	if (drop && !o.consumer)
		inc_die(INC_EXIT_USAGE, "--drop needs --consumer NAME");
	if (drop && (seek || o.exec || o.follow || kind))
		inc_die(INC_EXIT_USAGE, "--drop only forgets the cursor: not with --seek, --exec, --follow or --kind");
	/* a seek in a service's command line would skip, at every restart,
	 * what came while it was down: it is a run of its own */
	if (seek && (o.exec || o.follow || kind))
		inc_die(INC_EXIT_USAGE, "--seek only moves the cursor: not with --exec, --follow or --kind");
	if (since && o.consumer)
		inc_die(INC_EXIT_USAGE, "--since-seq and --consumer exclude each other");
	if (o.consumer && (!*o.consumer || !inc_utf8_valid(o.consumer, strlen(o.consumer))))
		inc_die(INC_EXIT_USAGE, "--consumer: expected a name");
	if (seek && strcmp(seek, "end") != 0 && seqnum(seek, &to) < 0)
		inc_die(INC_EXIT_USAGE, "--seek: want end or a number, got \"%s\"", seek);
	if (since && seqnum(since, &o.since) < 0)
		inc_die(INC_EXIT_USAGE, "--since-seq: expected a number, got \"%s\"", since);
	if (kind) {
		size_t i;
		json_t *k;

		o.kinds = inc_split_json(kind);
		json_array_foreach(o.kinds, i, k)
			if (!inc_in_list(json_string_value(k), kinds)) {
				struct inc_buf want = {0};

				for (int j = 0; kinds[j]; j++)
					inc_buf_printf(&want, "%s%s", j ? (kinds[j + 1] ? ", " : " or ") : "",
						       kinds[j]);
				inc_die(INC_EXIT_USAGE, "--kind: unknown event \"%s\" (want %s)",
					json_string_value(k), want.data);
			}
		if (!json_array_size(o.kinds))
			inc_die(INC_EXIT_USAGE, "--kind: no kind given");
	}
	tool_config(&ctx);
	if (prune) {
		int64_t age;

		if (inc_duration_parse(prune, &age) < 0)
			inc_die(INC_EXIT_USAGE, "--prune: bad duration \"%s\"", prune);
		tool_db(&ctx);
		if (!inc_may(ctx.cfg, ctx.actor, INC_ACT_FORCE, NULL))
			inc_die(INC_EXIT_USAGE, "--prune: %s may not drop events (role %s)", ctx.actor,
				inc_role_name(ctx.role));
		{
			char err[INC_ERRLEN];
			int64_t n;

			if (inc_tx_begin(&ctx) < 0 || inc_events_prune(&ctx, ctx.now - age, &n, err) < 0 ||
			    inc_tx_commit(&ctx) < 0) {
				inc_db_err(ctx.db, err);
				tool_db_fail(&ctx, err);
			}
		}
		return tool_close(&ctx);
	}
	ctx.read_only = !o.consumer;
	tool_db(&ctx);
	if (list) {
		consumers(&ctx);
		return tool_close(&ctx);
	}
	if (o.consumer) {
		char err[INC_ERRLEN], owner[64];
		int own = inc_cursor_owner(&ctx, o.consumer, owner, sizeof owner, err);

		if (own < 0)
			tool_db_fail(&ctx, err);
		/* another tool's cursor: moving it by hand is an admin's act;
		 * reading through it would pass over what that tool must do */
		if ((seek || drop) && own == 2 && !inc_may(ctx.cfg, ctx.actor, INC_ACT_FORCE, NULL))
			inc_die(INC_EXIT_USAGE, "--%s: \"%s\" is the cursor of %s: %s may not move it (role %s)",
				seek ? "seek" : "drop", o.consumer, owner, ctx.actor,
				inc_role_name(ctx.role));
		if (!seek && !drop && own == 2)
			inc_die(INC_EXIT_USAGE, "--consumer: \"%s\" is the cursor of %s: use a name of your own",
				o.consumer, owner);
		if (drop) {
			int rc = 0;

			if (inc_tx_begin(&ctx) < 0 || (rc = inc_cursor_drop(&ctx, o.consumer, err)) < 0 ||
			    inc_tx_commit(&ctx) < 0) {
				inc_db_err(ctx.db, err);
				tool_db_fail(&ctx, err);
			}
			if (!rc) {
				inc_warn("--drop: no consumer \"%s\"", o.consumer);
				ctx.status = INC_EXIT_REFUSED;
			}
			return tool_close(&ctx);
		}
		if (seek) {
			struct inc_sql *q = inc_sql(ctx.db, "SELECT coalesce(max(seq), 0) FROM event");

			if (strcmp(seek, "end") == 0 && inc_sql_one_int(q, &to, err) < 0)
				tool_db_fail(&ctx, err);
			if (inc_tx_begin(&ctx) < 0 || inc_cursor_seek(&ctx, o.consumer, to, err) < 0 ||
			    inc_tx_commit(&ctx) < 0) {
				inc_db_err(ctx.db, err);
				tool_db_fail(&ctx, err);
			}
			json_decref(o.kinds);
			return tool_close(&ctx);
		}
		if (inc_cursor_get(&ctx, o.consumer, &o.since, err) < 0)
			tool_db_fail(&ctx, err);
	}
	if (o.since == INC_NULL)
		o.since = 0;
	if (o.follow) {
		struct sigaction sa;

		memset(&sa, 0, sizeof sa);
		sa.sa_handler = on_signal;
		sigaction(SIGTERM, &sa, NULL);
		sigaction(SIGINT, &sa, NULL);
	}
	for (;;) {
		int rc;

		while ((rc = pass(&ctx, &o, &o.since)) > 0)
			;
		if (rc < 0 || !o.follow || stop)
			break;
		if (inc_db_wait(ctx.db, FOLLOW_MS) < 0 && !stop) {
			char err[INC_ERRLEN];

			inc_db_err(ctx.db, err);
			tool_db_fail(&ctx, err);
		}
		if (stop)
			break;
	}
	json_decref(o.kinds);
	return tool_close(&ctx);
}
