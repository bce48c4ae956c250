/*
 * tool.h - what every main in cmd/ does the same way, and the only place
 * besides the mains that exits: the common options (-h and --version
 * answered here), opening the config (exit 2) and the database (exit 3),
 * the input loop over ids or stdin, and the end of the run. The library
 * returns errors; these turn them into messages and exit statuses.
 */
#ifndef INC_TOOL_H
#define INC_TOOL_H

#include <stdarg.h>
#include <stdlib.h>
#include <unistd.h>

#include "inc.h"

/* inc_warn, then exit(status). */
static inline _Noreturn void inc_die(int status, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static inline _Noreturn void
inc_die(int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	inc_vwarn(fmt, ap);
	va_end(ap);
	exit(status);
}

/* The usage line on stderr, exit 2. */
static inline _Noreturn void
inc_usage_error(const char *usage)
{
	fprintf(stderr, "usage: %s\n", usage);
	exit(INC_EXIT_USAGE);
}

/* The options every tool takes: 1 taken, 0 the tool's own. -h prints the
 * usage on stdout, --version the version; both exit. */
static inline int
tool_option(struct inc_ctx *ctx, int opt, const char *arg, const char *usage)
{
	if (inc_ctx_option(ctx, opt, arg))
		return 1;
	if (opt == 'h' || opt == INC_OPT_VERSION) {
		if (opt == 'h')
			printf("usage: %s\n", usage);
		else
			printf("%s %s\n", inc_progname(), INC_VERSION);
		exit(fflush(stdout) == 0 ? INC_EXIT_OK : INC_EXIT_DB);
	}
	return 0;
}

/* Config (exit 2 on failure). */
static inline void
tool_config(struct inc_ctx *ctx)
{
	char err[INC_ERRLEN];

	if (inc_ctx_config(ctx, err) < 0)
		inc_die(INC_EXIT_USAGE, "%s", err);
}

/* Database (exit 3 on failure). */
static inline void
tool_db(struct inc_ctx *ctx)
{
	char err[INC_ERRLEN];

	int rc = inc_ctx_db(ctx, err);

	if (rc < 0) {
		inc_config_free(ctx->cfg);
		ctx->cfg = NULL;
		/* -2: --as naming another than a login that may not act for others */
		inc_die(rc == -2 ? INC_EXIT_USAGE : INC_EXIT_DB, "%s", err);
	}
	if (inc_ctx_clock_ok(ctx, err) < 0)
		inc_die(INC_EXIT_USAGE, "%s", err);
}

static inline void
tool_open(struct inc_ctx *ctx)
{
	tool_config(ctx);
	tool_db(ctx);
}

/* A database failure outside the input loop: exit 3, naming it. */
static inline _Noreturn void
tool_db_fail(struct inc_ctx *ctx, const char *err)
{
	inc_die(INC_EXIT_DB, "%s: %s", inc_db_name(ctx->db), err);
}

/* An edited SLA config not applied yet: said on every run (cron mails
 * it) until inc-sla --recompute; the incidents stay watched meanwhile. */
static inline void
tool_stale_warning(struct inc_ctx *ctx)
{
	char err[INC_ERRLEN];
	int64_t n = inc_sla_config_stale(ctx, err);

	if (n < 0)
		tool_db_fail(ctx, err);
	inc_warn("%s: %lld incident%s due times from an older SLA config: run inc-sla"
		 " --recompute", ctx->cfg->path, (long long)n, n == 1 ? " has" : "s have");
}

/* No ids and stdin a terminal: nobody meant to type records, print the
 * usage. */
static inline void
tool_need_input(int nargs, const char *usage)
{
	if (nargs == 0 && isatty(0))
		inc_usage_error(usage);
}

/* The end of the run: commit, flush, close; the exit status. */
static inline int
tool_close(struct inc_ctx *ctx)
{
	char err[INC_ERRLEN];
	int status = inc_ctx_close(ctx, err);

	if (err[0])
		inc_warn("%s", err);
	return status;
}

#endif
