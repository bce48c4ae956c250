/*
 * inc-mail - the mail gateway: one message on stdin, as a mail transfer
 * agent delivers it, or the messages of a maildir or an mbox, each made
 * into an incident or threaded onto the one it answers. Exit statuses are
 * the MTA's (sysexits.h): 0 delivered or deliberately dropped, 75 try
 * again later, 65 not a message.
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "tool.h"

static const char usage[] =
	"inc-mail [-d DB] [-c CONFIG] [--now TIME] [--as USER] [-n|--dry-run]"
	" [--maildir DIR | --mbox FILE] < message";

/* The worse of two exit statuses: try again later, then bad data. */
static int
worse(int a, int b)
{
	static const int rank[] = {EX_OK, EX_DATAERR, EX_TEMPFAIL};
	int ra = 0, rb = 0;

	for (int i = 0; i < 3; i++) {
		if (rank[i] == a)
			ra = i;
		if (rank[i] == b)
			rb = i;
	}
	return ra >= rb ? a : b;
}

/* One message: said on stderr when not delivered; its exit status. */
static int
deliver(struct inc_ctx *ctx, const char *where, const struct inc_buf *msg, size_t size,
	int dry_run)
{
	struct inc_mailgate_result res;
	char err[INC_ERRLEN], at[INC_ERRLEN + 300];
	int rc = inc_mailgate(ctx, msg->data, msg->len, size, dry_run, &res, err);

	snprintf(at, sizeof at, "%s%s%s", where ? where : "", where ? ": " : "",
		 res.msgid[0] ? res.msgid : "(no Message-ID)");
	switch (rc) {
	case INC_MG_DELIVERED:
		if (res.note[0])
			inc_warn("%s: INC-%lld: %s", at, (long long)res.incident, res.note);
		return EX_OK;
	case INC_MG_DROPPED:
		inc_warn("%s: dropped: %s", at, err);
		return EX_OK;
	case INC_MG_BAD:
		inc_warn("%s: %s", at, err);
		return EX_DATAERR;
	default:
		inc_warn("%s: %s (try again later)", at, err);
		return EX_TEMPFAIL;
	}
}

static int
from_maildir(struct inc_ctx *ctx, const char *dir, int dry_run)
{
	char err[INC_ERRLEN];
	char **list = inc_maildir_list(dir, err);
	struct inc_buf msg = {0};
	int status = EX_OK;

	if (!list)
		inc_die(EX_NOINPUT, "%s", err);
	for (size_t i = 0; list[i]; i++) {
		char path[8192];
		FILE *f;
		size_t size;
		int rc;

		snprintf(path, sizeof path, "%s/%s", dir, list[i]);
		if (!(f = fopen(path, "rb")))
			continue;	/* taken meanwhile by someone else */
		rc = inc_mail_read(f, (size_t)ctx->cfg->mail_max, &msg, &size, err);
		fclose(f);
		if (rc < 0) {
			inc_warn("%s: %s", path, err);
			status = worse(status, EX_TEMPFAIL);
			break;
		}
		rc = deliver(ctx, list[i], &msg, size, dry_run);
		status = worse(status, rc);
		/* the database failing: the rest waits for the next run */
		if (rc == EX_TEMPFAIL)
			break;
		/* done or dropped: seen; not a message: seen and flagged for a
		 * person to look at */
		if (!dry_run && inc_maildir_done(dir, list[i], rc == EX_OK ? "S" : "FS", err) < 0) {
			inc_warn("%s", err);
			status = worse(status, EX_TEMPFAIL);
			break;
		}
	}
	inc_buf_free(&msg);
	inc_maildir_free(list);
	return status;
}

static int
from_mbox(struct inc_ctx *ctx, const char *file, int dry_run)
{
	FILE *f = fopen(file, "rb");
	struct inc_mbox *mb;
	struct inc_buf msg = {0};
	char err[INC_ERRLEN], where[64];
	int status = EX_OK, rc;
	size_t size, n = 0;

	if (!f)
		inc_die(EX_NOINPUT, "%s: %m", file);
	mb = inc_mbox_open(f);
	while ((rc = inc_mbox_next(mb, (size_t)ctx->cfg->mail_max, &msg, &size, err)) > 0) {
		snprintf(where, sizeof where, "message %zu", ++n);
		rc = deliver(ctx, where, &msg, size, dry_run);
		status = worse(status, rc);
		if (rc == EX_TEMPFAIL)
			break;
	}
	if (rc < 0) {
		inc_warn("%s: %s", file, err);
		status = worse(status, EX_TEMPFAIL);
	}
	inc_mbox_close(mb);
	fclose(f);
	inc_buf_free(&msg);
	return status;
}

int
main(int argc, char **argv)
{
	enum { O_MAILDIR = INC_OPT_TOOL, O_MBOX };
	static const struct option longopts[] = {
		INC_COMMON_LONGOPTS,
		{"dry-run", no_argument, 0, 'n'},
		{"maildir", required_argument, 0, O_MAILDIR},
		{"mbox", required_argument, 0, O_MBOX},
		{0, 0, 0, 0}
	};
	struct inc_ctx ctx = {0};
	const char *maildir = NULL, *mbox = NULL;
	char err[INC_ERRLEN];
	int c, dry_run = 0, status;

	while ((c = getopt_long(argc, argv, INC_COMMON_SHORTOPTS "n", longopts, NULL)) != -1) {
		if (tool_option(&ctx, c, optarg, usage))
			continue;
		switch (c) {
		case 'n': dry_run = 1; break;
		case O_MAILDIR: maildir = optarg; break;
		case O_MBOX: mbox = optarg; break;
		default: inc_usage_error(usage);
		}
	}
	if (optind < argc || (maildir && mbox))
		inc_usage_error(usage);
	if (!maildir && !mbox)
		tool_need_input(0, usage);
	/* what the admin must fix, the MTA keeps the mail for: a config or
	 * database that fails is a temporary failure, never a bounce */
	if (inc_ctx_config(&ctx, err) < 0)
		inc_die(EX_TEMPFAIL, "%s", err);
	if (inc_ctx_db(&ctx, err) < 0) {
		inc_config_free(ctx.cfg);
		inc_die(EX_TEMPFAIL, "%s", err);
	}
	/* the gateway acts for each sender: on a server only an admin's
	 * login may act for others (the MTA keeps the mail meanwhile) */
	if (inc_ctx_self_only(&ctx))
		inc_die(EX_TEMPFAIL, "%s: the gateway acts for its senders: its login must be in"
			" the desk's admin group (inc db roles)", ctx.login);
	/* a reader gone is a failed write, answered 75, not a death by
	 * signal the MTA would have to interpret */
	signal(SIGPIPE, SIG_IGN);
	inc_mail_init();
	if (maildir) {
		status = from_maildir(&ctx, maildir, dry_run);
	} else if (mbox) {
		status = from_mbox(&ctx, mbox, dry_run);
	} else {
		struct inc_buf msg = {0};
		size_t size;

		if (inc_mail_read(stdin, (size_t)ctx.cfg->mail_max, &msg, &size, err) < 0) {
			inc_warn("stdin: %s", err);
			status = EX_TEMPFAIL;
		} else {
			status = deliver(&ctx, NULL, &msg, size, dry_run);
		}
		inc_buf_free(&msg);
	}
	/* output that did not reach its reader: the MTA delivers again, and
	 * the redelivery writes the record */
	if (tool_close(&ctx) != INC_EXIT_OK)
		status = EX_TEMPFAIL;
	inc_mail_shutdown();
	return status;
}
