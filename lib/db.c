/*
 * db.c - open the database, apply and migrate the schema (PRAGMA
 * user_version), and the connection settings every tool relies on: WAL,
 * synchronous=NORMAL, a busy timeout.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "inc.h"
#include "schema.h"	/* generated from share/schema.sql */

/* Each step takes the database from version i to i + 1. */
static const char *const migrations[] = {
	inc_schema_sql,
};
#define SCHEMA_VERSION ((int)(sizeof migrations / sizeof migrations[0]))

static int
mkdirs(char *path)
{
	for (char *p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0700) < 0 && errno != EEXIST) {
			*p = '/';
			return -1;
		}
		*p = '/';
	}
	return 0;
}

int
inc_db_exec(sqlite3 *db, const char *sql, char *err)
{
	char *msg = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		inc_err(err, "%s", msg ? msg : sqlite3_errmsg(db));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

int
inc_db_is_busy(sqlite3 *db)
{
	int e = sqlite3_errcode(db);

	return e == SQLITE_BUSY || e == SQLITE_LOCKED;
}

char *
inc_col_text(sqlite3_stmt *st, int i)
{
	const unsigned char *s = sqlite3_column_text(st, i);

	return s ? inc_xstrdup((const char *)s) : NULL;
}

int64_t
inc_col_int(sqlite3_stmt *st, int i)
{
	return sqlite3_column_type(st, i) == SQLITE_NULL ? INC_NULL : sqlite3_column_int64(st, i);
}

int
inc_bind_int(sqlite3_stmt *st, int i, int64_t v)
{
	return v == INC_NULL ? sqlite3_bind_null(st, i) : sqlite3_bind_int64(st, i, v);
}

int
inc_step_done(sqlite3 *db, sqlite3_stmt *st, char *err)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (rc != SQLITE_DONE)
		return inc_err(err, "%s", sqlite3_errmsg(db));
	return 0;
}

static int
user_version(sqlite3 *db, int *v)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK)
		return -1;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : -1;
}

static int
migrate(sqlite3 *db, const char *path, int timeout_ms, char *err)
{
	int v;

	if (user_version(db, &v) < 0)
		return inc_err(err, "%s: %s", path, sqlite3_errmsg(db));
	if (v == SCHEMA_VERSION)
		return 0;
	if (v > SCHEMA_VERSION)
		return inc_err(err, "%s: schema version %d is newer than this inc knows (%d)",
			       path, v, SCHEMA_VERSION);
	if (v == 0) {
		char *msg = NULL;
		int rc;

		/* persistent, and only possible outside a transaction. A process
		 * creating the same new database at the same moment (the first
		 * run of a pipeline) makes this busy without a call to the busy
		 * handler: wait here as the handler would. */
		for (int ms = 0; ; ms += 10) {
			rc = sqlite3_exec(db, "PRAGMA journal_mode=WAL", NULL, NULL, &msg);
			if (rc != SQLITE_BUSY || ms >= timeout_ms)
				break;
			sqlite3_free(msg);
			msg = NULL;
			sqlite3_sleep(10);
		}
		if (rc != SQLITE_OK) {
			inc_err(err, "%s: %s", path, msg ? msg : sqlite3_errmsg(db));
			sqlite3_free(msg);
			return -1;
		}
	}
	if (inc_db_exec(db, "BEGIN IMMEDIATE", err) < 0)
		return inc_err(err, "%s: %s", path, sqlite3_errmsg(db));
	/* another process may have migrated while we waited for the lock */
	if (user_version(db, &v) < 0)
		goto fail;
	for (; v < SCHEMA_VERSION; v++) {
		char sql[64];

		if (inc_db_exec(db, migrations[v], err) < 0)
			goto fail;
		snprintf(sql, sizeof sql, "PRAGMA user_version=%d", v + 1);
		if (inc_db_exec(db, sql, err) < 0)
			goto fail;
	}
	if (inc_db_exec(db, "COMMIT", err) < 0)
		goto fail;
	return 0;
fail:
	inc_err(err, "%s: %s", path, sqlite3_errmsg(db));
	sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}

sqlite3 *
inc_db_open(const char *arg, char *resolved, size_t rlen, char *err)
{
	const char *e;
	sqlite3 *db = NULL;
	int64_t timeout = 10;
	int timeout_ms;
	char sql[64];

	if (arg && *arg) {
		snprintf(resolved, rlen, "%s", arg);
	} else if ((e = getenv("INC_DB")) && *e) {
		snprintf(resolved, rlen, "%s", e);
	} else {
		if ((e = getenv("XDG_DATA_HOME")) && *e)
			snprintf(resolved, rlen, "%s/inc/inc.db", e);
		else if ((e = getenv("HOME")) && *e)
			snprintf(resolved, rlen, "%s/.local/share/inc/inc.db", e);
		else {
			inc_err(err, "no database: set INC_DB or HOME, or give -d");
			return NULL;
		}
		if (mkdirs(resolved) < 0) {
			inc_err(err, "%s: cannot create its folder: %s", resolved, strerror(errno));
			return NULL;
		}
	}
	if ((e = getenv("INC_BUSY_TIMEOUT")) && *e && inc_duration_parse(e, &timeout) < 0) {
		inc_err(err, "INC_BUSY_TIMEOUT: bad duration \"%s\"", e);
		return NULL;
	}
	/*
	 * Every record runs in a savepoint, which journals each page it
	 * touches. SQLite keeps that journal in memory only up to 64 KiB and
	 * then moves it to a temp file for the rest of the transaction: two
	 * pwrite()s per page per record, half of a bulk inc-log's time. 1 MiB
	 * holds any ordinary record. Process-wide, so set before SQLite starts
	 * (later calls fail harmlessly).
	 */
	sqlite3_config(SQLITE_CONFIG_STMTJRNL_SPILL, 1 << 20);
	if (sqlite3_open_v2(resolved, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL)
	    != SQLITE_OK) {
		inc_err(err, "%s: %s", resolved, db ? sqlite3_errmsg(db) : "cannot open");
		sqlite3_close(db);
		return NULL;
	}
	timeout_ms = timeout > INT_MAX / 1000 ? INT_MAX : (int)(timeout * 1000);
	sqlite3_busy_timeout(db, timeout_ms);
	/* Short-lived tools in pipelines: the last one to close would pay for a
	 * full checkpoint every time. The WAL is checkpointed by the writer that
	 * fills it past wal_autocheckpoint instead, once for many processes. */
	sqlite3_db_config(db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);
	snprintf(sql, sizeof sql, "PRAGMA synchronous=NORMAL");
	/* A checkpoint every 10,000 WAL pages (40 MB), not SQLite's 1,000: each
	 * one costs three fsyncs, a bulk inc-log commits every half second, and
	 * a page rewritten by several batches is copied back once. */
	if (inc_db_exec(db, sql, err) < 0 || inc_db_exec(db, "PRAGMA foreign_keys=ON", err) < 0 ||
	    inc_db_exec(db, "PRAGMA wal_autocheckpoint=10000", err) < 0 ||
	    migrate(db, resolved, timeout_ms, err) < 0) {
		if (strncmp(err, resolved, strlen(resolved)) != 0) {
			char tmp[INC_ERRLEN];

			snprintf(tmp, sizeof tmp, "%s", err);
			inc_err(err, "%s: %s", resolved, tmp);
		}
		sqlite3_close(db);
		return NULL;
	}
	return db;
}
