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
	ctx->as_given = as && *as;
	if (!as || !*as) {
		struct passwd *pw = getpwuid(geteuid());

		as = pw ? pw->pw_name : getenv("LOGNAME");
	}
	if (!as || !*as)
		as = "unknown";
	if (!inc_utf8_valid(as, strlen(as)))
		return inc_err(err, "--as: not valid UTF-8");
	snprintf(ctx->actor, sizeof ctx->actor, "%s", as);
	/* a setting, not the database's failure: a usage error */
	{
		const char *e = getenv("INC_BUSY_TIMEOUT");
		int64_t timeout = 10;

		if (e && *e && inc_duration_parse(e, &timeout) < 0)
			return inc_err(err, "INC_BUSY_TIMEOUT: bad duration \"%s\"", e);
		ctx->busy_ms = timeout > INT_MAX / 1000 ? INT_MAX : (int)(timeout * 1000);
	}
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
		ctx->pinned = 1;
	} else {
		ctx->now = (int64_t)time(NULL);
	}
	ctx->role = inc_role(ctx->cfg, ctx->actor);
	ctx->status = INC_EXIT_OK;
	return 0;
}

/* On a server that authenticates its sessions the actor is the login:
 * --as and INC_USER name another only for an admin's or the owner's login
 * (a gateway or cron acting for people), and a login like any other that
 * names someone else is refused, as a usage error. The role follows. */
static int
who(struct inc_ctx *ctx, char *err)
{
	char msg[INC_ERRLEN];
	int rc = inc_db_login(ctx->db, ctx->login, sizeof ctx->login, &ctx->standing, msg);

	if (rc < 0)
		return inc_err(err, "%s: %s", inc_db_name(ctx->db), msg);
	if (rc == 0)
		return 0;
	if (!ctx->as_given) {
		snprintf(ctx->actor, sizeof ctx->actor, "%s", ctx->login);
	} else if (inc_ctx_self_only(ctx) && strcmp(ctx->actor, ctx->login) != 0) {
		inc_err(err, "%s %s: only an admin's login acts for another (logged in as %s)",
			ctx->as_arg ? "--as" : "INC_USER", ctx->actor, ctx->login);
		inc_db_close(ctx->db);
		ctx->db = NULL;
		return -2;
	}
	ctx->role = inc_role(ctx->cfg, ctx->actor);
	return 0;
}

int
inc_ctx_self_only(const struct inc_ctx *ctx)
{
	return ctx->login[0] && ctx->standing == INC_LOGIN_USER;
}

const char *
inc_ctx_via(const struct inc_ctx *ctx)
{
	if (ctx->standing == INC_LOGIN_ADMIN && ctx->login[0] &&
	    strcmp(ctx->actor, ctx->login) != 0)
		return ctx->login;
	return NULL;
}

int
inc_ctx_db(struct inc_ctx *ctx, char *err)
{
	int rc;

	ctx->db = inc_db_open(ctx->db_arg, ctx->busy_ms, err);
	if (!ctx->db)
		return -1;
	if ((rc = who(ctx, err)) < 0)
		return rc;
	if (inc_db_created(ctx->db) && ctx->pinned) {
		struct inc_sql *q = inc_sql(ctx->db, "INSERT INTO meta(key, value) VALUES('clock', 'pinned')"
					    " ON CONFLICT(key) DO NOTHING");
		char msg[INC_ERRLEN];

		if (inc_db_begin(ctx->db) < 0 || inc_sql_run(q, msg) < 0 || inc_db_commit(ctx->db) < 0) {
			inc_db_err(ctx->db, msg);
			inc_db_rollback(ctx->db);
			return inc_err(err, "%s: %s", inc_db_name(ctx->db), msg);
		}
	}
	return 0;
}

int
inc_ctx_clock_ok(struct inc_ctx *ctx, char *err)
{
	int64_t real = (int64_t)time(NULL), test = 0;
	struct inc_sql *q;
	char tb[INC_TIMELEN];

	if (!ctx->pinned || ctx->read_only || ctx->role == INC_ADMIN ||
	    (ctx->now >= real - 300 && ctx->now <= real + 300))
		return 0;
	q = inc_sql(ctx->db, "SELECT count(*) FROM meta WHERE key = 'clock' AND value = 'pinned'");
	if (inc_sql_one_int(q, &test, err) < 0)
		return -1;
	if (test)
		return 0;
	return inc_err(err, "--now: %s is not now: on this database only an admin moves the clock"
		       " (acting as %s)", inc_time_format(ctx->now, tb), ctx->actor);
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
	char err[INC_ERRLEN];

	/* the audit and event rows kept under defer_rows go in with the
	 * changes they tell of, whoever commits */
	if (((ctx->npev || ctx->npau) && inc_rows_flush(ctx, err) < 0) ||
	    inc_db_commit(ctx->db) < 0) {
		/* not committed: nothing of it may reach a downstream stage */
		inc_tx_rollback(ctx);
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
	inc_events_drop(ctx, 0);
	inc_audit_drop(ctx, 0);
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
	inc_rows_free(ctx);
	write_out(ctx);
	inc_buf_free(&ctx->out);
	for (size_t i = 0; i < ctx->loads.n; i++)
		free(ctx->loads.name[i]);
	free(ctx->loads.name);
	free(ctx->loads.open);
	memset(&ctx->loads, 0, sizeof ctx->loads);
	for (int i = 0; i < ctx->nupd; i++)
		free(ctx->upd[i].sql);
	ctx->nupd = 0;
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
