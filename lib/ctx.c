/*
 * ctx.c - what every tool does around its own work: common options, the
 * environment (INC_DB, INC_CONFIG, INC_NOW, INC_USER), opening config and
 * database, cached statements, transactions, and output that reaches
 * stdout only once committed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "inc.h"

_Noreturn void
inc_usage_error(const char *usage)
{
	fprintf(stderr, "usage: %s\n", usage);
	exit(INC_EXIT_USAGE);
}

int
inc_ctx_option(struct inc_ctx *ctx, int opt, const char *arg, const char *usage)
{
	switch (opt) {
	case 'd': ctx->db_arg = arg; return 1;
	case 'c': ctx->config_arg = arg; return 1;
	case INC_OPT_NOW: ctx->now_arg = arg; return 1;
	case INC_OPT_AS: ctx->as_arg = arg; return 1;
	case 'h':
		printf("usage: %s\n", usage);
		exit(fflush(stdout) == 0 ? INC_EXIT_OK : INC_EXIT_REFUSED);
	case INC_OPT_VERSION:
		printf("%s %s\n", inc_progname(), INC_VERSION);
		exit(fflush(stdout) == 0 ? INC_EXIT_OK : INC_EXIT_REFUSED);
	default:
		return 0;
	}
}

void
inc_ctx_config(struct inc_ctx *ctx)
{
	char err[INC_ERRLEN];
	const char *now = ctx->now_arg, *as = ctx->as_arg;

	if (!now)
		now = getenv("INC_NOW");
	if (ctx->now_arg && !*ctx->now_arg)
		inc_die(INC_EXIT_USAGE, "--now: bad time \"\"");
	if (now && *now) {
		if (inc_time_parse(now, (int64_t)time(NULL), 1, &ctx->now) < 0)
			inc_die(INC_EXIT_USAGE, "%s: bad time \"%s\"",
				ctx->now_arg ? "--now" : "INC_NOW", now);
	} else {
		ctx->now = (int64_t)time(NULL);
	}
	if (!as)
		as = getenv("INC_USER");
	if (!as || !*as) {
		struct passwd *pw = getpwuid(geteuid());

		as = pw ? pw->pw_name : getenv("LOGNAME");
	}
	if (!as || !*as)
		as = "unknown";
	if (!inc_utf8_valid(as, strlen(as)))
		inc_die(INC_EXIT_USAGE, "--as: not valid UTF-8");
	snprintf(ctx->actor, sizeof ctx->actor, "%s", as);
	ctx->cfg = inc_config_load(ctx->config_arg, err);
	if (!ctx->cfg)
		inc_die(INC_EXIT_USAGE, "%s", err);
	ctx->role = inc_role(ctx->cfg, ctx->actor);
	ctx->status = INC_EXIT_OK;
}

void
inc_ctx_open(struct inc_ctx *ctx)
{
	inc_ctx_config(ctx);
	inc_ctx_db(ctx);
}

void
inc_ctx_db(struct inc_ctx *ctx)
{
	char err[INC_ERRLEN];

	ctx->db = inc_db_open(ctx->db_arg, ctx->dbpath, sizeof ctx->dbpath, err);
	if (!ctx->db) {
		inc_config_free(ctx->cfg);
		ctx->cfg = NULL;
		inc_die(INC_EXIT_DB, "%s", err);
	}
}

sqlite3_stmt *
inc_stmt(struct inc_ctx *ctx, const char *sql)
{
	struct inc_stmt_cache *c = &ctx->stmts;
	sqlite3_stmt *st;
	int i;

	/* callers pass string literals: the pointer is the key */
	for (i = 0; i < c->n; i++)
		if (c->sql[i] == sql)
			return c->stmt[i];
	if (sqlite3_prepare_v3(ctx->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL)
	    != SQLITE_OK) {
		if (inc_db_is_busy(ctx->db))
			inc_die(INC_EXIT_DB, "%s: database is locked", ctx->dbpath);
		inc_die(INC_EXIT_DB, "%s: %s", ctx->dbpath, sqlite3_errmsg(ctx->db));
	}
	if (c->n == (int)(sizeof c->sql / sizeof c->sql[0])) {
		/* full: a one-off statement, dropped from slot 0 */
		sqlite3_finalize(c->stmt[0]);
		c->stmt[0] = st;
		c->sql[0] = sql;
		return st;
	}
	c->sql[c->n] = sql;
	c->stmt[c->n++] = st;
	return st;
}

static void
tx_exec(struct inc_ctx *ctx, const char *sql)
{
	sqlite3_stmt *st = inc_stmt(ctx, sql);
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		return;
	if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
		inc_die(INC_EXIT_DB, "%s: database is locked", ctx->dbpath);
	inc_die(INC_EXIT_DB, "%s: %s", ctx->dbpath, sqlite3_errmsg(ctx->db));
}

void
inc_tx_begin(struct inc_ctx *ctx)
{
	if (ctx->in_tx)
		return;
	tx_exec(ctx, "BEGIN IMMEDIATE");
	ctx->in_tx = 1;
}

static void
flush_out(struct inc_ctx *ctx)
{
	if (ctx->out.len) {
		fwrite(ctx->out.data, 1, ctx->out.len, stdout);
		ctx->out.len = 0;
	}
	fflush(stdout);
}

void
inc_tx_commit(struct inc_ctx *ctx)
{
	if (ctx->in_tx) {
		tx_exec(ctx, "COMMIT");
		ctx->in_tx = 0;
	}
	/* only now may a downstream stage see these records */
	flush_out(ctx);
}

void
inc_tx_rollback(struct inc_ctx *ctx)
{
	if (ctx->in_tx) {
		sqlite3_exec(ctx->db, "ROLLBACK", NULL, NULL, NULL);
		ctx->in_tx = 0;
	}
	ctx->out.len = 0;
}

void
inc_emit(struct inc_ctx *ctx, const struct inc_incident *r, json_t *event)
{
	inc_incident_write(&ctx->out, r, event, NULL);
	inc_buf_add(&ctx->out, "\n", 1);
	json_decref(event);
	if (!ctx->in_tx && ctx->out.len > 65536)
		flush_out(ctx);
}

void
inc_emit_json(struct inc_ctx *ctx, json_t *j)
{
	char *s = json_dumps(j, JSON_COMPACT);

	if (s) {
		inc_buf_addstr(&ctx->out, s);
		inc_buf_add(&ctx->out, "\n", 1);
		free(s);
	}
	json_decref(j);
	if (!ctx->in_tx && ctx->out.len > 65536)
		flush_out(ctx);
}

int
inc_ctx_close(struct inc_ctx *ctx)
{
	int status = ctx->status;

	if (ctx->db) {
		inc_tx_commit(ctx);
		for (int i = 0; i < ctx->stmts.n; i++)
			sqlite3_finalize(ctx->stmts.stmt[i]);
		ctx->stmts.n = 0;
		sqlite3_close(ctx->db);
		ctx->db = NULL;
	} else {
		flush_out(ctx);
	}
	inc_buf_free(&ctx->out);
	inc_config_free(ctx->cfg);
	ctx->cfg = NULL;
	if (fflush(stdout) != 0 || ferror(stdout)) {
		inc_warn("write error: %s", strerror(errno));
		status = INC_EXIT_REFUSED;
	}
	if (fclose(stdout) != 0 && status == INC_EXIT_OK) {
		inc_warn("write error: %s", strerror(errno));
		status = INC_EXIT_REFUSED;
	}
	return status;
}
