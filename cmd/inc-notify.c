/*
 * inc-notify - tell everyone who should know: the events of the log that
 * its consumer has not seen yet become mail from templates (queued in the
 * outbox with the cursor's move), then the outbox goes to sendmail; a
 * message sendmail refuses waits for the next run.
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "tool.h"

static const char usage[] =
	"inc-notify [-d DB] [-c CONFIG] [--now TIME] [--as USER] [--consumer NAME]"
	" [--queue-only | --send-only | --list]";

static int
queue(struct inc_ctx *ctx, const struct inc_event_row *e, void *arg, char *err)
{
	(void)arg;
	return inc_notify_queue(ctx, e, err);
}

/* One line per message sent (stdout), or why not (stderr). */
static void
told(struct inc_ctx *ctx, const struct inc_outbox *m, void *arg)
{
	char ref[32];

	(void)arg;
	if (m->error) {
		inc_warn("%s: to %s: %s", m->message_id, m->rcpt, m->error);
		return;
	}
	snprintf(ref, sizeof ref, "INC-%lld", (long long)m->incident);
	inc_emit_json(ctx, json_pack("{s:I,s:s,s:I,s:s,s:s,s:s,s:s}", "id", (json_int_t)m->incident,
				     "ref", ref, "seq", (json_int_t)m->seq, "kind", m->kind,
				     "to", m->rcpt, "subject", m->subject, "message_id", m->message_id));
	inc_ctx_flush(ctx);
}

/* The outbox's unsent messages, oldest first. */
static void
list(struct inc_ctx *ctx)
{
	struct inc_sql *q = inc_sql(ctx->db, "SELECT id, seq, incident, kind, rcpt, message_id,"
				    " subject, created_at, attempts, last_error FROM outbox"
				    " WHERE sent_at IS NULL ORDER BY id");
	char err[INC_ERRLEN];
	int rc;

	while ((rc = inc_sql_step(q)) > 0) {
		char tb[INC_TIMELEN];

		inc_emit_json(ctx, json_pack("{s:I,s:I,s:I,s:s,s:s,s:s,s:s,s:s,s:I,s:s?}",
			"outbox", (json_int_t)inc_sql_col_int(q, 0), "seq", (json_int_t)inc_sql_col_int(q, 1),
			"id", (json_int_t)inc_sql_col_int(q, 2), "kind", inc_sql_col_text(q, 3),
			"to", inc_sql_col_text(q, 4), "message_id", inc_sql_col_text(q, 5),
			"subject", inc_sql_col_text(q, 6),
			"queued_at", inc_time_format(inc_sql_col_int(q, 7), tb),
			"attempts", (json_int_t)inc_sql_col_int(q, 8), "last_error", inc_sql_col_text(q, 9)));
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
	enum { O_CONSUMER = INC_OPT_TOOL, O_QUEUE, O_SEND, O_LIST };
	static const struct option longopts[] = {
		INC_COMMON_LONGOPTS,
		{"consumer", required_argument, 0, O_CONSUMER},
		{"queue-only", no_argument, 0, O_QUEUE},
		{"send-only", no_argument, 0, O_SEND},
		{"list", no_argument, 0, O_LIST},
		{0, 0, 0, 0}
	};
	struct inc_ctx ctx = {0};
	const char *consumer = "mail";
	int c, queue_only = 0, send_only = 0, listing = 0, status;

	while ((c = getopt_long(argc, argv, INC_COMMON_SHORTOPTS, longopts, NULL)) != -1) {
		if (tool_option(&ctx, c, optarg, usage))
			continue;
		switch (c) {
		case O_CONSUMER: consumer = optarg; break;
		case O_QUEUE: queue_only = 1; break;
		case O_SEND: send_only = 1; break;
		case O_LIST: listing = 1; break;
		default: inc_usage_error(usage);
		}
	}
	/* never reads stdin: cron must not hang on it */
	if (optind < argc || queue_only + send_only + listing > 1)
		inc_usage_error(usage);
	if (!*consumer || !inc_utf8_valid(consumer, strlen(consumer)))
		inc_die(INC_EXIT_USAGE, "--consumer: expected a name");
	tool_config(&ctx);
	tool_db(&ctx);
	if (!listing && !send_only) {
		char err[INC_ERRLEN], owner[64];

		int own = inc_cursor_owner(&ctx, consumer, owner, sizeof owner, err);

		if (own < 0)
			tool_db_fail(&ctx, err);
		/* a consumer of someone else's would pass over what it must do */
		if (own == 2)
			inc_die(INC_EXIT_USAGE, "--consumer: \"%s\" is the cursor of %s: use a name of your own",
				consumer, owner);
	}
	inc_mail_init();
	if (listing) {
		list(&ctx);
	} else {
		if (!send_only)
			inc_consume(&ctx, consumer, NULL, queue, NULL);
		if (!queue_only && ctx.status != INC_EXIT_DB) {
			char err[INC_ERRLEN];
			int failed = inc_notify_send(&ctx, told, NULL, err);

			if (failed < 0)
				tool_db_fail(&ctx, err);
			if (failed > 0)
				ctx.status = INC_EXIT_REFUSED;
		}
	}
	status = tool_close(&ctx);
	inc_mail_shutdown();
	return status;
}
