/*
 * ctx.c - what a tool run holds around its own work: the common options,
 * the environment (INC_DB, INC_CONFIG, INC_NOW, INC_USER, INC_BUSY_TIMEOUT),
 * the config then the database, the run's transactions, and output that
 * reaches stdout only once committed. Nothing here knows an incident.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "inc.h"

int
inc_ctx_option(struct inc_ctx *ctx, int opt, const char *arg)
{
	switch (opt) {
	case 'd': ctx->db_arg = arg; return 1;
	case 'c': ctx->config_arg = arg; return 1;
	case INC_OPT_NOW: ctx->now_arg = arg; return 1;
	case INC_OPT_AS: ctx->as_arg = arg; return 1;
	default: return 0;
	}
}

int
inc_ctx_config(struct inc_ctx *ctx, char *err)
{
	const char *now = ctx->now_arg, *as = ctx->as_arg;

	if (!now)
		now = getenv("INC_NOW");
	if (ctx->now_arg && !*ctx->now_arg)
		return inc_err(err, "--now: bad time \"\"");
	if (!as)
		as = getenv("INC_USER");
	if (!as || !*as) {
		struct passwd *pw = getpwuid(geteuid());

		as = pw ? pw->pw_name : getenv("LOGNAME");
	}
	if (!as || !*as)
		as = "unknown";
	if (!inc_utf8_valid(as, strlen(as)))
		return inc_err(err, "--as: not valid UTF-8");
	snprintf(ctx->actor, sizeof ctx->actor, "%s", as);
	ctx->cfg = inc_config_load(ctx->config_arg, err);
	if (!ctx->cfg)
		return -1;
	/* after the config: a time without an offset is the desk's */
	if (now && *now) {
		if (inc_time_parse_tz(now, (int64_t)time(NULL), 1, ctx->cfg->tz, &ctx->now) < 0) {
			inc_config_free(ctx->cfg);
			ctx->cfg = NULL;
			return inc_err(err, "%s: bad time \"%s\"", ctx->now_arg ? "--now" : "INC_NOW",
				       now);
		}
	} else {
		ctx->now = (int64_t)time(NULL);
	}
	ctx->role = inc_role(ctx->cfg, ctx->actor);
	ctx->status = INC_EXIT_OK;
	return 0;
}

int
inc_ctx_db(struct inc_ctx *ctx, char *err)
{
	const char *e = getenv("INC_BUSY_TIMEOUT");
	int64_t timeout = 10;

	if (e && *e && inc_duration_parse(e, &timeout) < 0)
		return inc_err(err, "INC_BUSY_TIMEOUT: bad duration \"%s\"", e);
	ctx->db = inc_db_open(ctx->db_arg, timeout > INT_MAX / 1000 ? INT_MAX : (int)(timeout * 1000),
			      err);
	return ctx->db ? 0 : -1;
}

/* ---- output ---- */

static void
write_out(struct inc_ctx *ctx)
{
	if (ctx->out.len && !ctx->out_errno &&
	    fwrite(ctx->out.data, 1, ctx->out.len, stdout) != ctx->out.len)
		ctx->out_errno = errno ? errno : EIO;
	ctx->out.len = 0;
	if (fflush(stdout) != 0 && !ctx->out_errno)
		ctx->out_errno = errno ? errno : EIO;
}

void
inc_ctx_flush(struct inc_ctx *ctx)
{
	if (!ctx->db || !inc_db_in_tx(ctx->db))
		write_out(ctx);
}

void
inc_emit_json(struct inc_ctx *ctx, json_t *j)
{
	inc_json_value(&ctx->out, j);
	inc_buf_add(&ctx->out, "\n", 1);
	json_decref(j);
	if (ctx->out.len > 65536)
		inc_ctx_flush(ctx);
}

/* ---- transactions ---- */

int
inc_tx_begin(struct inc_ctx *ctx)
{
	return inc_db_begin(ctx->db);
}

int
inc_tx_commit(struct inc_ctx *ctx)
{
	if (inc_db_commit(ctx->db) < 0) {
		/* not committed: nothing of it may reach a downstream stage */
		inc_db_rollback(ctx->db);
		ctx->out.len = 0;
		return -1;
	}
	/* only now may a downstream stage see these records */
	write_out(ctx);
	return 0;
}

void
inc_tx_rollback(struct inc_ctx *ctx)
{
	inc_db_rollback(ctx->db);
	ctx->out.len = 0;
}

int
inc_ctx_close(struct inc_ctx *ctx, char *err)
{
	int status = ctx->status;

	err[0] = '\0';
	if (ctx->db) {
		if (inc_db_in_tx(ctx->db) && inc_tx_commit(ctx) < 0) {
			char msg[INC_ERRLEN];

			inc_db_err(ctx->db, msg);
			inc_err(err, "%s: %s", inc_db_name(ctx->db), msg);
			status = INC_EXIT_DB;
		}
		inc_db_close(ctx->db);
		ctx->db = NULL;
	}
	write_out(ctx);
	inc_buf_free(&ctx->out);
	inc_config_free(ctx->cfg);
	ctx->cfg = NULL;
	if (fclose(stdout) != 0 && !ctx->out_errno)
		ctx->out_errno = errno ? errno : EIO;
	if (ctx->out_errno) {
		/* the records are committed, their reader did not get them */
		if (!err[0])
			inc_err(err, "stdout: %s", strerror(ctx->out_errno));
		status = INC_EXIT_DB;
	}
	return status;
}
