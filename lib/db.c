/*
 * db.c - the storage layer every module talks to, whatever the engine:
 * which database a tool opens, statements cached by their SQL literal,
 * transactions and per-record savepoints, the class of every failure (so
 * that a full disk stops the run while a refused row does not), and the
 * schema migrations of share/migrations/, applied in order on open.
 *
 * Nothing here exits or prints: a failure is recorded on the connection
 * (inc_db_err() gives its message) and returned as -1.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "db_int.h"
#include "migrations.h"	/* generated from share/migrations/ by make */

#define SCHEMA_VERSION ((int)(sizeof inc_migrations / sizeof inc_migrations[0]))

/* both engines' schemas go through the same versions */
_Static_assert(sizeof inc_migrations == sizeof inc_migrations_pg,
	       "share/migrations/pg/ must have a file for each of share/migrations/");

void
inc_db_fail(struct inc_db *db, enum inc_dberr e, const char *msg)
{
	db->err = e;
	if (msg != db->msg)
		snprintf(db->msg, sizeof db->msg, "%s", msg ? msg : "unknown error");
	if (e == INC_DBE_BUSY || e == INC_DBE_FATAL)
		db->failed = 1;
}

int
inc_db_err(const struct inc_db *db, char *err)
{
	if (db->err == INC_DBE_BUSY)
		return inc_err(err, "database is locked");
	return inc_err(err, "%s", db->msg[0] ? db->msg : "database error");
}

enum inc_dberr
inc_db_errclass(const struct inc_db *db)
{
	return db->err;
}

int
inc_db_failed(const struct inc_db *db)
{
	return db->failed;
}

const char *
inc_db_name(const struct inc_db *db)
{
	return db->name;
}

const char *
inc_db_engine(const struct inc_db *db)
{
	return db->ops->engine;
}

enum inc_dialect
inc_db_dialect(const struct inc_db *db)
{
	return db->ops->dialect;
}

int
inc_db_login(struct inc_db *db, char *login, size_t len, enum inc_standing *st, char *err)
{
	login[0] = '\0';
	*st = INC_LOGIN_USER;
	if (!db->ops->login)
		return 0;
	if (db->ops->login(db, login, len, st) < 0)
		return inc_db_err(db, err);
	return 1;
}

int
inc_db_is_uri(const char *name)
{
	return name && (strncmp(name, "postgresql://", 13) == 0 ||
			strncmp(name, "postgres://", 11) == 0);
}

/* ---- statements ---- */

struct inc_sql *
inc_sql(struct inc_db *db, const char *sql)
{
	struct inc_sql *q;
	void *h;

	/* callers pass string literals: the pointer is the key */
	for (int i = 0; i < db->ncache; i++)
		if (db->cache[i].key == sql)
			return &db->cache[i];
	if (db->failed || !(h = db->ops->prepare(db, sql)))
		return NULL;
	if (db->ncache == INC_SQL_CACHE) {
		/* full: slot 0 holds the newest one-off */
		db->ops->finalize(db->cache[0].h);
		q = &db->cache[0];
	} else {
		q = &db->cache[db->ncache++];
	}
	q->db = db;
	q->h = h;
	q->key = sql;
	q->cached = 1;
	return q;
}

struct inc_sql *
inc_sql_new(struct inc_db *db, const char *sql)
{
	struct inc_sql *q;
	void *h;

	if (db->failed || !(h = db->ops->prepare(db, sql)))
		return NULL;
	q = inc_xmalloc(sizeof *q);
	q->db = db;
	q->h = h;
	q->key = NULL;
	q->cached = 0;
	return q;
}

void
inc_sql_free(struct inc_sql *q)
{
	if (!q || q->cached)
		return;
	q->db->ops->finalize(q->h);
	free(q);
}

void
inc_sql_int(struct inc_sql *q, int i, int64_t v)
{
	if (q)
		q->db->ops->bind_int(q, i, v);
}

void
inc_sql_text(struct inc_sql *q, int i, const char *s)
{
	if (q)
		q->db->ops->bind_text(q, i, s);
}

int
inc_sql_step(struct inc_sql *q)
{
	if (!q)
		return -1;
	return q->db->ops->step(q);
}

int
inc_sql_null(struct inc_sql *q, int i)
{
	return q->db->ops->col_null(q, i);
}

int64_t
inc_sql_col_int(struct inc_sql *q, int i)
{
	return q->db->ops->col_null(q, i) ? INC_NULL : q->db->ops->col_int(q, i);
}

const char *
inc_sql_col_text(struct inc_sql *q, int i)
{
	return q->db->ops->col_text(q, i);
}

int
inc_sql_ncols(struct inc_sql *q)
{
	return q ? q->db->ops->ncols(q) : 0;
}

const char *
inc_sql_col_name(struct inc_sql *q, int i)
{
	return q->db->ops->col_name(q, i);
}

int
inc_sql_col_kind(struct inc_sql *q, int i)
{
	return q->db->ops->col_kind(q, i);
}

char *
inc_sql_col_dup(struct inc_sql *q, int i)
{
	const char *s = q->db->ops->col_text(q, i);

	return s ? inc_xstrdup(s) : NULL;
}

void
inc_sql_reset(struct inc_sql *q)
{
	if (q)
		q->db->ops->reset(q);
}

int
inc_sql_run(struct inc_sql *q, char *err)
{
	int rc = inc_sql_step(q);

	inc_sql_reset(q);
	if (rc < 0)
		return q ? inc_db_err(q->db, err) : inc_err(err, "cannot prepare statement");
	return 0;
}

int
inc_sql_one_int(struct inc_sql *q, int64_t *out, char *err)
{
	int rc = inc_sql_step(q);

	if (rc > 0)
		*out = inc_sql_col_int(q, 0);
	inc_sql_reset(q);
	if (rc < 0)
		return q ? inc_db_err(q->db, err) : inc_err(err, "cannot prepare statement");
	return rc;
}

int64_t
inc_db_changes(struct inc_db *db)
{
	return db->ops->changes(db);
}

int64_t
inc_db_last_id(struct inc_db *db)
{
	return db->ops->last_id(db);
}

int64_t
inc_db_generation(struct inc_db *db)
{
	int64_t v = db->ops->data_version(db);

	if (v < 0 || v != db->data_version)
		db->gen++;
	db->data_version = v;
	return db->gen;
}

int
inc_db_exec(struct inc_db *db, const char *sql, char *err)
{
	if (db->failed || db->ops->exec(db, sql) < 0)
		return inc_db_err(db, err);
	return 0;
}

int
inc_db_scratch(struct inc_db *db, char *err)
{
	if (db->failed || db->ops->scratch(db) < 0)
		return inc_db_err(db, err);
	return 0;
}

int
inc_db_lock(struct inc_db *db, const char *name, int *handle, char *err)
{
	return db->ops->lock(db, name, handle, err);
}

void
inc_db_unlock(struct inc_db *db, const char *name, int handle)
{
	db->ops->unlock(db, name, handle);
}

int
inc_db_wait(struct inc_db *db, int timeout_ms)
{
	return db->ops->wait(db, timeout_ms);
}

/* ---- transactions ---- */

static int
tx(struct inc_db *db, const char *sql)
{
	struct inc_sql *q = inc_sql(db, sql);
	int rc = inc_sql_step(q);

	inc_sql_reset(q);
	return rc < 0 ? -1 : 0;
}

int
inc_db_begin(struct inc_db *db)
{
	if (db->tx)
		return 0;
	if (db->ops->begin ? db->ops->begin(db, 1) < 0 : tx(db, "BEGIN IMMEDIATE") < 0)
		return -1;
	db->tx = 1;
	db->writes++;
	return 0;
}

int
inc_db_begin_read(struct inc_db *db)
{
	if (db->tx)
		return 0;
	if (db->ops->begin ? db->ops->begin(db, 0) < 0 : tx(db, "BEGIN") < 0)
		return -1;
	db->tx = 2;
	return 0;
}

int
inc_db_commit(struct inc_db *db)
{
	if (!db->tx)
		return 0;
	/* a transaction the engine rolled back by itself (disk full, I/O
	 * error) must not be mistaken for one still open */
	if (!db->ops->in_tx(db)) {
		db->tx = 0;
		inc_db_fail(db, INC_DBE_FATAL, db->err == INC_DBE_FATAL ? db->msg :
			    "the transaction was rolled back by the database");
		return -1;
	}
	if (tx(db, "COMMIT") < 0) {
		if (db->err != INC_DBE_BUSY)
			inc_db_fail(db, INC_DBE_FATAL, db->msg);
		return -1;
	}
	if (db->tx == 1)
		db->wrote = 1;
	db->tx = 0;
	return 0;
}

void
inc_db_rollback(struct inc_db *db)
{
	if (!db->tx)
		return;
	db->tx = 0;
	db->gen++;
	if (db->ops->in_tx(db))
		db->ops->exec(db, "ROLLBACK");
}

int
inc_db_in_tx(const struct inc_db *db)
{
	return db->tx;
}

static int
savepoint(struct inc_db *db, const char *sql)
{
	/* every failure here is the engine's, never the record's */
	if (!db->ops->in_tx(db) || tx(db, sql) < 0) {
		inc_db_fail(db, INC_DBE_FATAL, db->err == INC_DBE_OK || !db->msg[0] ?
			    "the transaction was rolled back by the database" : db->msg);
		return -1;
	}
	return 0;
}

int
inc_db_savepoint(struct inc_db *db)
{
	return savepoint(db, "SAVEPOINT rec");
}

int
inc_db_release(struct inc_db *db)
{
	return savepoint(db, "RELEASE rec");
}

int
inc_db_rollback_to(struct inc_db *db)
{
	db->gen++;
	if (savepoint(db, "ROLLBACK TO rec") < 0)
		return -1;
	return savepoint(db, "RELEASE rec");
}

/* ---- opening and migrating ---- */

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

/* The database a tool uses: -d, else INC_DB, else the XDG data folder.
 * 1 when named by the user, 0 when the default, -1 when none. */
static int
name_of(const char *arg, char *out, size_t len)
{
	const char *e;

	if (arg && *arg)
		snprintf(out, len, "%s", arg);
	else if ((e = getenv("INC_DB")) && *e)
		snprintf(out, len, "%s", e);
	else if ((e = getenv("XDG_DATA_HOME")) && *e)
		snprintf(out, len, "%s/inc/inc.db", e);
	else if ((e = getenv("HOME")) && *e)
		snprintf(out, len, "%s/.local/share/inc/inc.db", e);
	else
		return -1;
	return (arg && *arg) || ((e = getenv("INC_DB")) && *e) ? 1 : 0;
}

int
inc_db_exists(const char *arg)
{
	char name[PATH_MAX];
	struct stat st;

	if (name_of(arg, name, sizeof name) < 0)
		return 0;
	if (inc_db_is_uri(name)) {
		/* a server: there when it answers, with inc's schema */
		char err[INC_ERRLEN];
		struct inc_db *db = inc_xmalloc(sizeof *db);
		int v = 0, rc;

		memset(db, 0, sizeof *db);
		db->watch_fd = -1;
		db->ops = &inc_db_pg_ops;
		snprintf(db->name, sizeof db->name, "%s", name);
		rc = db->ops->open(db, name, 1000, err) == 0 && db->ops->version(db, &v) == 0 && v > 0;
		inc_db_close(db);
		return rc;
	}
	return stat(name, &st) == 0 && st.st_size > 0;
}

int
inc_db_folder(const struct inc_db *db, char *out, size_t len, char *err)
{
	const char *e;
	char *slash;

	if (!inc_db_is_uri(db->name)) {
		/* the SQLite file's own folder */
		snprintf(out, len, "%s", db->name);
		slash = strrchr(out, '/');
		if (!slash)
			snprintf(out, len, ".");
		else if (slash == out)
			out[1] = '\0';
		else
			*slash = '\0';
		return 0;
	}
	/* a server's database: the data folder of whoever runs the tool, the
	 * folder of the default database */
	if ((e = getenv("XDG_DATA_HOME")) && *e)
		snprintf(out, len, "%s/inc/", e);
	else if ((e = getenv("HOME")) && *e)
		snprintf(out, len, "%s/.local/share/inc/", e);
	else
		return inc_err(err, "no data folder: set XDG_DATA_HOME or HOME");
	if (mkdirs(out) < 0)
		return inc_err(err, "%s: cannot create it: %s", out, strerror(errno));
	out[strlen(out) - 1] = '\0';
	return 0;
}

/* name_of, and the default's folder made. */
static int
resolve(const char *arg, char *out, size_t len, char *err)
{
	int rc = name_of(arg, out, len);

	if (rc < 0)
		return inc_err(err, "no database: set INC_DB or HOME, or give -d");
	if (rc == 0 && !inc_db_is_uri(out) && mkdirs(out) < 0)
		return inc_err(err, "%s: cannot create its folder: %s", out, strerror(errno));
	return 0;
}

void
inc_db_discard(struct inc_db *db)
{
	char *name;
	void (*remove)(const char *);

	if (!db)
		return;
	if (!db->created || !db->ops->remove) {
		inc_db_close(db);
		return;
	}
	name = inc_xstrdup(db->name);
	remove = db->ops->remove;
	inc_db_close(db);
	remove(name);
	free(name);
}

int
inc_db_created(const struct inc_db *db)
{
	return db->created;
}

int
inc_db_schema_version(void)
{
	return SCHEMA_VERSION;
}

static int
migrate(struct inc_db *db, char *err)
{
	int v;

	if (db->ops->version(db, &v) < 0)
		return inc_db_err(db, err);
	if (v > SCHEMA_VERSION)
		return inc_err(err, "schema version %d is newer than this inc knows (%d)",
			       v, SCHEMA_VERSION);
	if (v == SCHEMA_VERSION)
		return 0;
	if (inc_db_begin(db) < 0)
		return inc_db_err(db, err);
	/* another process may have migrated while we waited for the lock */
	if (db->ops->version(db, &v) < 0)
		goto fail;
	if (v == 0 && db->ops->foreign(db)) {
		inc_db_rollback(db);
		return inc_err(err, "not an inc database (it holds tables of another program)");
	}
	if (v == 0)
		db->created = 1;
	for (; v < SCHEMA_VERSION; v++)
		if (db->ops->exec(db, (db->ops->dialect == INC_PG ? inc_migrations_pg : inc_migrations)[v]) < 0 ||
		    db->ops->set_version(db, v + 1) < 0)
			goto step;
	if (inc_db_commit(db) < 0)
		goto fail;
	return 0;
step:
	/* a desk in use, brought up to date by whoever runs a new inc
	 * first: on a server, only its tables' owner can */
	if (!db->created) {
		char why[INC_ERRLEN];

		inc_db_err(db, why);
		inc_db_rollback(db);
		return inc_err(err, "upgrading the schema from version %d to %d: %s%s", v, v + 1, why,
			       db->ops->dialect == INC_PG && strstr(why, "permission denied") ?
			       " (its owner upgrades a desk: run a tool as the owner first)" : "");
	}
fail:
	inc_db_err(db, err);
	inc_db_rollback(db);
	return -1;
}

/* A URI's password (postgresql://user:SECRET@host/db, or ?password=SECRET)
 * as "***", in place: the name is for messages. */
static void
redact(char *uri, size_t size)
{
	char out[sizeof ((struct inc_db *)0)->name], *o = out, *p = strstr(uri, "://");
	char *at, *colon;
	size_t n;

	if (!p)
		return;
	p += 3;
	at = p + strcspn(p, "@/?");
	colon = *at == '@' ? memchr(p, ':', (size_t)(at - p)) : NULL;
	n = (size_t)((colon ? colon : p) - uri);
	memcpy(o, uri, n);
	o += n;
	if (colon) {
		o += sprintf(o, ":***");
		p = at;
	}
	while (*p && (size_t)(o - out) < sizeof out - 8) {
		if ((p[-1] == '?' || p[-1] == '&') && strncmp(p, "password=", 9) == 0) {
			o += sprintf(o, "password=***");
			p += 9 + strcspn(p + 9, "&");
		} else {
			*o++ = *p++;
		}
	}
	*o = '\0';
	snprintf(uri, size, "%s", out);
}

struct inc_db *
inc_db_open(const char *arg, int busy_ms, char *err)
{
	struct inc_db *db = inc_xmalloc(sizeof *db);
	char msg[INC_ERRLEN];

	memset(db, 0, sizeof *db);
	db->watch_fd = -1;
	if (resolve(arg, db->name, sizeof db->name, err) < 0) {
		free(db);
		return NULL;
	}
	db->ops = inc_db_is_uri(db->name) ? &inc_db_pg_ops : &inc_db_sqlite_ops;
	if (db->ops == &inc_db_pg_ops) {
		/* the URI as given to libpq; its password never in a message */
		char uri[sizeof db->name];
		int rc;

		snprintf(uri, sizeof uri, "%s", db->name);
		redact(db->name, sizeof db->name);
		rc = db->ops->open(db, uri, busy_ms, msg);
		explicit_bzero(uri, sizeof uri);
		if (rc < 0) {
			inc_err(err, "%s: %s", db->name, msg);
			inc_db_close(db);
			return NULL;
		}
	} else if (db->ops->open(db, db->name, busy_ms, msg) < 0) {
		inc_err(err, "%s: %s", db->name, msg);
		inc_db_close(db);
		return NULL;
	}
	if (migrate(db, msg) < 0) {
		inc_err(err, "%s: %s", db->name, msg);
		inc_db_close(db);
		return NULL;
	}
	return db;
}

void
inc_db_close(struct inc_db *db)
{
	if (!db)
		return;
	inc_db_rollback(db);
	for (int i = 0; i < db->ncache; i++)
		db->ops->finalize(db->cache[i].h);
	db->ncache = 0;
	if (db->h) {
		if (db->wrote && !db->failed)
			db->ops->finish(db);
		db->ops->close(db);
	}
	if (db->watch_fd >= 0)
		close(db->watch_fd);
	free(db);
}
