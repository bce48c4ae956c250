/*
 * dispatch.c - inc, the dispatcher: "inc log ..." runs inc-log (like git), plus the
 * commands of its own: init, config check, config path, db copy, help,
 * version.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tool.h"

static const char usage[] =
	"inc [-d DB] [-c CONFIG] COMMAND [ARG...]\n"
	"\n"
	"commands:\n"
	"  log        log new incidents (inc-log)\n"
	"  classify   categorize and prioritize by the rules (inc-classify)\n"
	"  assign     route to a group and a technician (inc-assign)\n"
	"  update     change status, add notes, set fields (inc-update)\n"
	"  task       tasks of an incident (inc-task)\n"
	"  sla        attach and watch SLA clocks (inc-sla)\n"
	"  escalate   apply the escalation rules (inc-escalate)\n"
	"  close      resolve, confirm, reopen, expire (inc-close)\n"
	"  show       select incidents and write their records (inc-show)\n"
	"  report     KPIs, aging, post-incident review (inc-report)\n"
	"  events     read the event log through a cursor (inc-events)\n"
	"  notify     mail the people events concern (inc-notify)\n"
	"  mail       a mail message into an incident or a reply (inc-mail)\n"
	"  import     another desk's history, from its event log (inc-import)\n"
	"  init       create the database and a starter config\n"
	"  config     config check [FILE] | config path\n"
	"  db         db copy SRC DST (move a desk) | db roles (people as logins)\n"
	"  help       this text, or help COMMAND for its manual\n"
	"  version    the version";

static const char *const verbs[] = {"log", "classify", "assign", "update", "task", "sla",
	"escalate", "close", "show", "report", "events", "notify", "mail", "import", NULL};

static void
exec_tool(const char *verb, char **argv)
{
	char exe[PATH_MAX], path[PATH_MAX + 128], name[64];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);

	snprintf(name, sizeof name, "inc-%s", verb);
	argv[0] = name;
	/* our own folder first: the tool of the same build */
	if (n > 0) {
		char *slash;

		exe[n] = '\0';
		if ((slash = strrchr(exe, '/'))) {
			*slash = '\0';
			snprintf(path, sizeof path, "%s/%s", exe, name);
			if (access(path, X_OK) == 0)
				execv(path, argv);
		}
	}
	execvp(name, argv);
	inc_die(INC_EXIT_USAGE, "%s: %s", name, strerror(errno));
}

static int
copy_file(const char *from, const char *to)
{
	FILE *in = fopen(from, "r"), *out;
	char buf[8192];
	size_t n;
	int rc = 0;

	if (!in)
		return -1;
	/* "x": never overwrite a config someone wrote meanwhile */
	out = fopen(to, "wx");
	if (!out) {
		fclose(in);
		return -1;
	}
	while ((n = fread(buf, 1, sizeof buf, in)) > 0)
		if (fwrite(buf, 1, n, out) != n)
			rc = -1;
	if (ferror(in))
		rc = -1;
	fclose(in);
	if (fclose(out) != 0)
		rc = -1;
	return rc;
}

/* The folders of path, as mkdir -p makes them (path itself excluded). */
static void
make_folders(const char *path)
{
	char dir[PATH_MAX];
	char *slash;

	snprintf(dir, sizeof dir, "%s", path);
	if (!(slash = strrchr(dir, '/')) || slash == dir)
		return;
	*slash = '\0';
	for (char *p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		mkdir(dir, 0755);
		*p = '/';
	}
	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		inc_die(INC_EXIT_USAGE, "%s: %s", dir, strerror(errno));
}

/* The database, then the starter config where the tools will look first:
 * INC_CONFIG (or -c) when it names one, else the user's folder. */
static int
cmd_init(struct inc_ctx *ctx)
{
	char path[PATH_MAX], def[PATH_MAX];
	const char *x = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	const char *e = getenv("INC_CONFIG");
	int exists;

	if (e && *e)
		snprintf(path, sizeof path, "%s", e);
	else if (x && *x)
		snprintf(path, sizeof path, "%s/inc/config.json", x);
	else if (home && *home)
		snprintf(path, sizeof path, "%s/.config/inc/config.json", home);
	else
		inc_die(INC_EXIT_USAGE, "no config folder: set XDG_CONFIG_HOME or HOME");
	exists = access(path, F_OK) == 0;
	if (!exists && !inc_config_default_path(def, sizeof def))
		inc_die(INC_EXIT_USAGE, "no shipped default config found");
	/* the config to be written is the shipped one: check that one */
	if (!exists)
		ctx->config_arg = def;
	tool_config(ctx);
	tool_db(ctx);
	printf("database: %s\n", inc_db_name(ctx->db));
	if (exists) {
		printf("config: %s (kept)\n", path);
	} else {
		make_folders(path);
		if (copy_file(def, path) < 0)
			inc_die(INC_EXIT_USAGE, "%s: %s", path, strerror(errno));
		printf("config: %s (written)\n", path);
	}
	/* a server's desk: its group roles, grants and row-level security,
	 * when the owner runs it (people's logins: inc db roles) */
	if (ctx->login[0]) {
		char err[INC_ERRLEN];

		if (ctx->standing != INC_LOGIN_OWNER) {
			printf("roles: left to the database's owner (logged in as %s)\n", ctx->login);
		} else if (inc_db_secure(ctx->db, err) < 0) {
			tool_db_fail(ctx, err);
		} else {
			printf("roles: group roles, grants and row-level security in place"
			       " (logins: inc db roles)\n");
		}
	}
	return tool_close(ctx);
}

static int
cmd_config(struct inc_ctx *ctx, int argc, char **argv)
{
	char buf[PATH_MAX];
	const char *p;

	if (argc >= 1 && strcmp(argv[0], "check") == 0 && argc <= 2) {
		if (argc == 2)
			ctx->config_arg = argv[1];
		tool_config(ctx);
		/* the database it drives, when there is one: due times from an
		 * older SLA config are worth knowing before cron says so */
		if (inc_db_exists(ctx->db_arg)) {
			char err[INC_ERRLEN];
			int st;

			ctx->read_only = 1;
			tool_db(ctx);
			if ((st = inc_sla_config_state(ctx, err)) < 0)
				tool_db_fail(ctx, err);
			if (st == INC_SLACFG_CHANGED)
				tool_stale_warning(ctx);
		}
		printf("%s: ok\n", ctx->cfg->path);
		return tool_close(ctx);
	}
	if (argc == 1 && strcmp(argv[0], "path") == 0) {
		p = inc_config_find(ctx->config_arg, buf, sizeof buf);
		if (!p)
			inc_die(INC_EXIT_USAGE, "no configuration found");
		printf("%s\n", p);
		return fflush(stdout) == 0 ? INC_EXIT_OK : INC_EXIT_REFUSED;
	}
	inc_usage_error("inc config check [FILE] | inc config path");
}

static void
copied(const char *table, int64_t rows, void *arg)
{
	(void)arg;
	printf("{\"table\":\"%s\",\"rows\":%lld}\n", table, (long long)rows);
}

static void
role_done(const char *login, const char *role, const char *did, void *arg)
{
	json_t *o = json_pack("{s:s,s:s?,s:s}", "login", login, "role", role, "did", did);
	struct inc_buf b = {0};

	(void)arg;
	inc_json_value(&b, o);
	printf("%s\n", b.data);
	inc_buf_free(&b);
	json_decref(o);
}

/* inc db roles: the config's people made the desk's logins, on the
 * database INC_DB or -d names; the owner's act. */
static int
cmd_roles(struct inc_ctx *ctx)
{
	char err[INC_ERRLEN];

	tool_config(ctx);
	tool_db(ctx);
	if (inc_db_roles(ctx->db, ctx->cfg, role_done, NULL, err) < 0) {
		if (inc_db_failed(ctx->db))
			tool_db_fail(ctx, err);
		inc_die(INC_EXIT_USAGE, "%s", err);
	}
	return tool_close(ctx);
}

/* inc db copy SRC DST: a whole desk into a new database, an admin's act.
 * SRC must exist; DST is made (or must have no incident yet). A failed
 * copy leaves no database it made behind. */
static int
cmd_db(struct inc_ctx *ctx, int argc, char **argv)
{
	struct inc_db *src, *dst;
	char err[INC_ERRLEN];

	if (argc == 1 && strcmp(argv[0], "roles") == 0)
		return cmd_roles(ctx);
	if (argc != 3 || strcmp(argv[0], "copy") != 0)
		inc_usage_error("inc db copy SRC DST | inc db roles");
	tool_config(ctx);
	if (ctx->role != INC_ADMIN)
		inc_die(INC_EXIT_USAGE, "db copy: %s may not copy a desk (role %s)", ctx->actor,
			inc_role_name(ctx->role));
	if (!inc_db_exists(argv[1]))
		inc_die(INC_EXIT_DB, "%s: no such database", argv[1]);
	if (!(src = inc_db_open(argv[1], ctx->busy_ms, err)))
		inc_die(INC_EXIT_DB, "%s", err);
	if (!(dst = inc_db_open(argv[2], ctx->busy_ms, err))) {
		inc_db_close(src);
		inc_die(INC_EXIT_DB, "%s", err);
	}
	if (inc_db_copy(src, dst, copied, NULL, err) < 0) {
		inc_warn("db copy: %s", err);
		ctx->status = inc_db_failed(src) || inc_db_failed(dst) ? INC_EXIT_DB : INC_EXIT_REFUSED;
		inc_db_discard(dst);
	} else {
		inc_db_close(dst);
	}
	inc_db_close(src);
	inc_config_free(ctx->cfg);
	if (fflush(stdout) != 0)
		return INC_EXIT_DB;
	return ctx->status;
}

/* The manual: from the build tree's man/ when run from there (man -l),
 * else the installed one. Returns only when man(1) cannot be run. */
static void
help_page(const char *page)
{
	char exe[PATH_MAX], path[PATH_MAX + 128];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	char *slash;

	if (n > 0) {
		exe[n] = '\0';
		if ((slash = strrchr(exe, '/'))) {
			*slash = '\0';
			snprintf(path, sizeof path, "%s/../man/%s.1", exe, page);
			if (access(path, R_OK) == 0)
				execlp("man", "man", "-l", path, (char *)NULL);
		}
	}
	execlp("man", "man", page, (char *)NULL);
}

/* "log, classify, ... or report", and inc's own commands when own. */
static const char *
verb_list(char *buf, size_t len, int own)
{
	static const char *const mine[] = {"init", "config", "db", "help", "version", NULL};
	struct inc_buf b = {0};
	size_t n = 0, k = 0;

	while (verbs[n])
		n++;
	if (own)
		n += 5;
	for (int i = 0; verbs[i]; i++, k++)
		inc_buf_printf(&b, "%s%s", k ? (k == n - 1 ? " or " : ", ") : "", verbs[i]);
	for (int i = 0; own && mine[i]; i++, k++)
		inc_buf_printf(&b, "%s%s", k == n - 1 ? " or " : ", ", mine[i]);
	snprintf(buf, len, "%s", b.data);
	inc_buf_free(&b);
	return buf;
}

static int
known(const char *verb)
{
	for (int i = 0; verbs[i]; i++)
		if (strcmp(verb, verbs[i]) == 0)
			return 1;
	return 0;
}

int
main(int argc, char **argv)
{
	struct inc_ctx ctx = {0};
	char buf[512];
	int i = 1;

	/* -d and -c before the command are passed on through the environment */
	while (i < argc && argv[i][0] == '-') {
		if ((strcmp(argv[i], "-d") == 0 || strcmp(argv[i], "-c") == 0) && i + 1 < argc) {
			setenv(argv[i][1] == 'd' ? "INC_DB" : "INC_CONFIG", argv[i + 1], 1);
			i += 2;
		} else if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
			printf("usage: %s\n", usage);
			return fflush(stdout) == 0 ? 0 : 1;
		} else if (strcmp(argv[i], "--version") == 0) {
			printf("inc %s\n", INC_VERSION);
			return fflush(stdout) == 0 ? 0 : 1;
		} else if (strcmp(argv[i], "-d") == 0 || strcmp(argv[i], "-c") == 0) {
			inc_warn("option %s needs an argument", argv[i]);
			inc_usage_error("inc [-d DB] [-c CONFIG] COMMAND [ARG...]");
		} else {
			inc_warn("unknown option %s", argv[i]);
			inc_usage_error("inc [-d DB] [-c CONFIG] COMMAND [ARG...]");
		}
	}
	if (i == argc)
		inc_usage_error("inc [-d DB] [-c CONFIG] COMMAND [ARG...]");
	if (known(argv[i]))
		exec_tool(argv[i], argv + i);
	if (strcmp(argv[i], "help") == 0) {
		if (i + 1 < argc) {
			char page[64];

			if (!known(argv[i + 1]))
				inc_die(INC_EXIT_USAGE, "help: unknown command \"%s\" (want %s)",
					argv[i + 1], verb_list(buf, sizeof buf, 0));
			snprintf(page, sizeof page, "inc-%s", argv[i + 1]);
			help_page(page);
			/* no man(1): the tool's own usage */
			char *args[] = {argv[i + 1], "--help", NULL};

			exec_tool(argv[i + 1], args);
		}
		printf("usage: %s\n", usage);
		return fflush(stdout) == 0 ? 0 : 1;
	}
	if (strcmp(argv[i], "version") == 0) {
		printf("inc %s\n", INC_VERSION);
		return fflush(stdout) == 0 ? 0 : 1;
	}
	if (strcmp(argv[i], "init") == 0) {
		if (i + 1 != argc)
			inc_usage_error("inc init");
		return cmd_init(&ctx);
	}
	if (strcmp(argv[i], "config") == 0)
		return cmd_config(&ctx, argc - i - 1, argv + i + 1);
	if (strcmp(argv[i], "db") == 0)
		return cmd_db(&ctx, argc - i - 1, argv + i + 1);
	inc_die(INC_EXIT_USAGE, "unknown command \"%s\" (want %s)", argv[i],
		verb_list(buf, sizeof buf, 1));
}
