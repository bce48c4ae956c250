/*
 * db_int.h - private to the storage layer: what a database engine provides
 * behind the engine-neutral calls of inc.h ("storage"). db.c holds what is
 * common (the statement cache, transactions, error classes, migrations);
 * db_sqlite.c, and the PostgreSQL engine beside it, only talk to their
 * library.
 */
#ifndef INC_DB_INT_H
#define INC_DB_INT_H

#include "inc.h"

#define INC_SQL_CACHE 96

struct inc_sql {
	struct inc_db *db;
	void *h;		/* the engine's statement */
	const char *key;	/* cache key: the literal's address; NULL when not cached */
	int cached;
};

struct inc_db_ops {
	const char *engine;
	/* connect to an existing or new database; the caller migrates */
	int (*open)(struct inc_db *, const char *target, int busy_ms, char *err);
	void (*close)(struct inc_db *);
	void *(*prepare)(struct inc_db *, const char *sql);	/* NULL: error set */
	void (*finalize)(void *h);
	void (*bind_int)(struct inc_sql *, int i, int64_t v);
	void (*bind_text)(struct inc_sql *, int i, const char *s);
	int (*step)(struct inc_sql *);	/* 1 row, 0 done, -1 error set */
	int (*col_null)(struct inc_sql *, int i);
	int64_t (*col_int)(struct inc_sql *, int i);
	const char *(*col_text)(struct inc_sql *, int i);
	void (*reset)(struct inc_sql *);
	int (*exec)(struct inc_db *, const char *sql);	/* several statements; -1: error set */
	int64_t (*changes)(struct inc_db *);
	int64_t (*last_id)(struct inc_db *);	/* the rowid the last INSERT made */
	int (*in_tx)(struct inc_db *);	/* the engine's own view: a transaction is open */
	/* schema: the version recorded, and recording one (inside the
	 * migration's transaction) */
	int (*version)(struct inc_db *, int *v);
	int (*set_version)(struct inc_db *, int v);
	/* 1 when the database has tables that are not inc's (a version-0
	 * database someone else made) */
	int (*foreign)(struct inc_db *);
	/* before the process lets go of a connection that wrote: the engine's
	 * chance to leave nothing behind for the next process to pay for */
	void (*finish)(struct inc_db *);
	/* wait until another process may have committed (inc_db_wait) */
	int (*wait)(struct inc_db *, int timeout_ms);
	/* a private schema "scratch" for work tables as large as the input,
	 * on disk, gone with the connection (inc_db_scratch) */
	int (*scratch)(struct inc_db *);
	/* a number that changes when another connection has committed since
	 * it was last asked; -1 when the engine cannot tell (then every call
	 * counts as a change) */
	int64_t (*data_version)(struct inc_db *);
	/* a row's shape, for copying a table whole (inc_db_copy): the number
	 * of columns, a column's name, and whether its value is NULL, an
	 * integer or text (INC_COL_*; -1 for a kind inc never stores) */
	int (*ncols)(struct inc_sql *);
	const char *(*col_name)(struct inc_sql *, int i);
	int (*col_kind)(struct inc_sql *, int i);
	/* after close: remove what a database named so is made of, for a
	 * database this process made and gives up (inc_db_discard); NULL: the
	 * engine keeps its databases (a server's) */
	void (*remove)(const char *name);
	/* inc_db_lock, inc_db_unlock */
	int (*lock)(struct inc_db *, const char *name, int *handle, char *err);
	void (*unlock)(struct inc_db *, const char *name, int handle);
	/* inc_db_login; NULL: the engine has no logins */
	int (*login)(struct inc_db *, char *login, size_t len, enum inc_standing *);
	/* open a transaction, for writing (1) or reading (0); NULL: db.c's
	 * own BEGIN IMMEDIATE / BEGIN (SQLite) */
	int (*begin)(struct inc_db *, int write);
	/* the engine's dialect (inc_db_dialect); it chooses the schema
	 * migrations too (share/migrations/, share/migrations/pg/) */
	enum inc_dialect dialect;
};

struct inc_db {
	const struct inc_db_ops *ops;
	void *h;			/* the engine's connection */
	char name[4096];		/* path or URI, for messages */
	enum inc_dberr err;		/* class of the last failure */
	char msg[INC_ERRLEN];		/* its message */
	int failed;			/* a busy or fatal error happened: the run must stop */
	int tx;				/* inc_db_begin() was called and not ended */
	int wrote;			/* a transaction committed on this connection */
	int created;			/* migrated from version 0 by this open */
	int busy_ms;			/* how long to wait for a lock */
	int watch_fd;			/* inc_db_wait's watch, -1 before the first */
	int64_t busy_since;		/* when the current wait began (monotonic ns) */
	int64_t gen;			/* inc_db_generation() */
	int64_t data_version;		/* the engine's, when gen was last asked */
	int64_t writes;			/* write transactions begun (inc_db_begin) */
	int64_t dv_writes;		/* SQLite: `writes` of the write transaction that read
				 * data_version, -1 when none did (or it failed) */
	struct inc_sql cache[INC_SQL_CACHE];
	int ncache;
};

/* Engines set the error of their last failure through this: class and
 * message, and the sticky `failed` for busy and fatal classes. */
void inc_db_fail(struct inc_db *, enum inc_dberr, const char *msg);

extern const struct inc_db_ops inc_db_sqlite_ops;
extern const struct inc_db_ops inc_db_pg_ops;

#endif
