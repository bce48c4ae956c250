/*
 * db_sqlite.c - the SQLite engine of the storage layer (the embedded
 * default): one file, WAL, synchronous=NORMAL, a busy timeout, and the
 * class of every failure, so that a full disk, an I/O error, a read-only
 * or corrupt file stops a run (exit 3) while a refused row stays the
 * record's own business.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/file.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <sqlite3.h>

#include "db_int.h"

/* A WAL left behind larger than this is checkpointed by the writer that
 * leaves it, before it exits: every process that opens the database first
 * reads all of the WAL to rebuild its index, about 0.3 ms a megabyte here,
 * which a one-shot call of 2 ms would pay after every write. Under this
 * size that costs a reader less than a checkpoint costs a small writer
 * (two fsyncs: a one-shot inc-update 1.5 times as long), so most small
 * writers leave theirs for the one that crosses it. */
#define WAL_LEAVE_BYTES (512 << 10)

static sqlite3 *
H(struct inc_db *db)
{
	return db->h;
}

static enum inc_dberr
classify(int xrc)
{
	switch (xrc & 0xff) {
	case SQLITE_CONSTRAINT:
		return xrc == SQLITE_CONSTRAINT_UNIQUE || xrc == SQLITE_CONSTRAINT_PRIMARYKEY ?
			INC_DBE_UNIQUE : INC_DBE_CONSTRAINT;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return INC_DBE_BUSY;
	default:
		/* full, I/O error, read-only, corrupt, no memory, not a
		 * database, a statement SQLite cannot run: nothing to go on with */
		return INC_DBE_FATAL;
	}
}

static void
fail(struct inc_db *db)
{
	sqlite3 *h = H(db);

	inc_db_fail(db, classify(sqlite3_extended_errcode(h)), sqlite3_errmsg(h));
}

/* The file a new database is created as: 0600, or 0660 in a folder shared
 * by its group (setgid), so that nobody else on the host reads the desk. */
static int
create_file(const char *path, char *err)
{
	char dir[PATH_MAX];
	struct stat st;
	mode_t mode = 0600;
	int fd;

	if (stat(path, &st) == 0) {
		/* /dev/null and the like: SQLite would make /dev/null-journal */
		if (!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode))
			return inc_err(err, "not a regular file");
		return 0;
	}
	if (errno != ENOENT)
		return inc_err(err, "%s", strerror(errno));
	snprintf(dir, sizeof dir, "%s", path);
	if (stat(dirname(dir), &st) == 0 && (st.st_mode & S_ISGID))
		mode = 0660;
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
	if (fd < 0 && errno != EEXIST)
		return inc_err(err, "cannot create: %s", strerror(errno));
	if (fd >= 0) {
		/* the umask must not widen or narrow what was chosen */
		if (fchmod(fd, mode) < 0) {
			close(fd);
			return inc_err(err, "cannot create: %s", strerror(errno));
		}
		close(fd);
	}
	return 0;
}

static int
exec_(struct inc_db *db, const char *sql)
{
	if (sqlite3_exec(H(db), sql, NULL, NULL, NULL) != SQLITE_OK) {
		fail(db);
		return -1;
	}
	return 0;
}

static int
version(struct inc_db *db, int *v)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(H(db), "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK) {
		fail(db);
		return -1;
	}
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*v = sqlite3_column_int(st, 0);
	else
		fail(db);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : -1;
}

static int
set_version(struct inc_db *db, int v)
{
	char sql[64];

	snprintf(sql, sizeof sql, "PRAGMA user_version=%d", v);
	return exec_(db, sql);
}

static int
foreign(struct inc_db *db)
{
	sqlite3_stmt *st;
	int n = 0;

	if (sqlite3_prepare_v2(H(db), "SELECT count(*) FROM sqlite_master", -1, &st, NULL)
	    != SQLITE_OK)
		return 0;
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return n > 0;
}

/* Waiting for the lock: a try every millisecond, where SQLite's own handler
 * backs off to 100 ms. A batch writer leaves the lock free for a few
 * milliseconds between batches (input.c); polling this often is what lets
 * a one-shot writer in then, instead of after the whole bulk load. */
static int
busy(void *arg, int count)
{
	struct inc_db *db = arg;
	int64_t now = inc_mono_ns();

	if (count == 0)
		db->busy_since = now;
	if (now - db->busy_since >= (int64_t)db->busy_ms * 1000000)
		return 0;
	usleep(count < 20 ? 200 : 1000);
	return 1;
}

static int
open_(struct inc_db *db, const char *path, int busy_ms, char *err)
{
	sqlite3 *h = NULL;
	int v;

	/* a file that cannot be made here is left for SQLite to say why */
	if (create_file(path, err) < 0 && strcmp(err, "not a regular file") == 0)
		return -1;
	/*
	 * Every record runs in a savepoint, which journals each page it
	 * touches; SQLite keeps that journal in memory up to this size, then
	 * in a temp file. Process-wide, so set before SQLite starts (a later
	 * call fails harmlessly). The temp file is the one that failed: SQLite
	 * 3.40 reports "database or disk is full" for a statement journal
	 * spilled to a file, so a field over about 1 MiB made its incident
	 * unchangeable. temp_store=MEMORY below keeps the spill in memory,
	 * which the 16 MiB field limit (INC_FIELD_MAX) bounds.
	 */
	sqlite3_config(SQLITE_CONFIG_STMTJRNL_SPILL, 1 << 20);
	/* One thread works a connection (input.c's reader thread parses, it
	 * never touches the database): no mutex around every call, and no
	 * global count of memory taken under a lock at every allocation. */
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	if (sqlite3_open_v2(path, &h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
			    SQLITE_OPEN_NOMUTEX, NULL)
	    != SQLITE_OK) {
		inc_err(err, "%s", h ? sqlite3_errmsg(h) : "cannot open");
		sqlite3_close(h);
		return -1;
	}
	db->h = h;
	sqlite3_extended_result_codes(h, 1);
	db->busy_ms = busy_ms;
	sqlite3_busy_handler(h, busy, db);
	/* the checkpoint policy is finish()'s, not every close's */
	sqlite3_db_config(h, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);
	if (exec_(db, "PRAGMA synchronous=NORMAL") < 0 ||
	    exec_(db, "PRAGMA foreign_keys=ON") < 0 ||
	    exec_(db, "PRAGMA temp_store=MEMORY") < 0 ||
	    exec_(db, "PRAGMA wal_autocheckpoint=10000") < 0 ||
	    /* 16 MiB of pages, not 2: a batch of half a second writes
	     * entries all over the external_id and created_at indexes, and
	     * pages pushed out of a small cache are written to the WAL in the
	     * middle of the transaction (then again at its commit) and read
	     * back: at 100,000 lines a third fewer writes, two thirds fewer
	     * reads. Only a bulk fills it; a one-shot call takes what it
	     * reads. */
	    exec_(db, "PRAGMA cache_size=-16384") < 0 || version(db, &v) < 0)
		return inc_db_err(db, err);
	if (v == 0) {
		int rc;

		/* persistent, and only possible outside a transaction. A process
		 * creating the same new database at the same moment (the first
		 * run of a pipeline) makes this busy without a call to the busy
		 * handler: wait here as the handler would. */
		for (int ms = 0; ; ms += 10) {
			rc = sqlite3_exec(h, "PRAGMA journal_mode=WAL", NULL, NULL, NULL);
			if ((rc & 0xff) != SQLITE_BUSY || ms >= busy_ms)
				break;
			sqlite3_sleep(10);
		}
		if (rc != SQLITE_OK) {
			fail(db);
			return inc_db_err(db, err);
		}
	}
	return 0;
}

static void
close_(struct inc_db *db)
{
	sqlite3_close(H(db));
	db->h = NULL;
}

/* Checkpoint a large WAL on the way out, without waiting for anyone: a
 * reader in the middle of it stops the checkpoint where it reads, and the
 * next writer leaving will finish the job. */
static void
finish(struct inc_db *db)
{
	char wal[4096 + 8];
	struct stat st;

	snprintf(wal, sizeof wal, "%s-wal", db->name);
	if (stat(wal, &st) < 0 || st.st_size < WAL_LEAVE_BYTES)
		return;
	sqlite3_busy_handler(H(db), NULL, NULL);
	sqlite3_wal_checkpoint_v2(H(db), NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
}

/* Commits append to the WAL (checkpoints write the database file): a
 * change to either, seen by inotify on their folder, is the signal. */
static int
wait_(struct inc_db *db, int timeout_ms)
{
	char dir[4096], buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	const char *base;
	size_t blen;
	struct pollfd p;
	int rc;

	snprintf(dir, sizeof dir, "%s", db->name);
	base = strrchr(db->name, '/') ? strrchr(db->name, '/') + 1 : db->name;
	blen = strlen(base);
	if (db->watch_fd < 0) {
		db->watch_fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
		if (db->watch_fd < 0 ||
		    inotify_add_watch(db->watch_fd, strchr(db->name, '/') ? dirname(dir) : ".",
				      IN_MODIFY | IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE) < 0) {
			inc_db_fail(db, INC_DBE_FATAL, strerror(errno));
			return -1;
		}
		return 1;
	}
	p.fd = db->watch_fd;
	p.events = POLLIN;
	for (;;) {
		ssize_t n;

		rc = poll(&p, 1, timeout_ms);
		if (rc <= 0)
			return rc < 0 ? -1 : 0;
		while ((n = read(db->watch_fd, buf, sizeof buf)) > 0) {
			for (char *q = buf; q < buf + n; ) {
				const struct inotify_event *ev = (const struct inotify_event *)q;

				/* the database, its -wal and -shm */
				if (ev->len && strncmp(ev->name, base, blen) == 0)
					rc = 2;
				q += sizeof *ev + ev->len;
			}
		}
		if (rc == 2)
			return 1;
	}
}

static void *
prepare(struct inc_db *db, const char *sql)
{
	sqlite3_stmt *st;

	if (sqlite3_prepare_v3(H(db), sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
		fail(db);
		return NULL;
	}
	return st;
}

static void
finalize(void *h)
{
	sqlite3_finalize(h);
}

static void
bind_int(struct inc_sql *q, int i, int64_t v)
{
	int rc = v == INC_NULL ? sqlite3_bind_null(q->h, i) : sqlite3_bind_int64(q->h, i, v);

	if (rc != SQLITE_OK)
		fail(q->db);
}

static void
bind_text(struct inc_sql *q, int i, const char *s)
{
	int rc = s ? sqlite3_bind_text(q->h, i, s, -1, SQLITE_STATIC) : sqlite3_bind_null(q->h, i);

	if (rc != SQLITE_OK)
		fail(q->db);
}

static int
step(struct inc_sql *q)
{
	int rc;

	if (q->db->failed)
		return -1;
	rc = sqlite3_step(q->h);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	fail(q->db);
	return -1;
}

static int
col_null(struct inc_sql *q, int i)
{
	return sqlite3_column_type(q->h, i) == SQLITE_NULL;
}

static int64_t
col_int(struct inc_sql *q, int i)
{
	return sqlite3_column_int64(q->h, i);
}

static const char *
col_text(struct inc_sql *q, int i)
{
	return (const char *)sqlite3_column_text(q->h, i);
}

static void
reset(struct inc_sql *q)
{
	sqlite3_reset(q->h);
	sqlite3_clear_bindings(q->h);
}

static int64_t
changes(struct inc_db *db)
{
	return sqlite3_total_changes64(H(db));
}

static int64_t
last_id(struct inc_db *db)
{
	return sqlite3_last_insert_rowid(H(db));
}

static int
in_tx(struct inc_db *db)
{
	return !sqlite3_get_autocommit(H(db));
}

/*
 * A private scratch schema: a database file of its own in TMPDIR (else
 * /var/tmp, where large temporary files belong, else /tmp), attached as
 * "scratch" and unlinked at once, so that it goes with the connection or
 * the process, whatever ends it. Not a TEMP table: those are kept in memory
 * here (temp_store=MEMORY), and with temp_store=FILE SQLite 3.40 fails any
 * statement journal that spills past the 1 MiB set above ("database or
 * disk is full"). No journal: nothing in it outlives a failure.
 */
static int
scratch(struct inc_db *db)
{
	static const char *const dirs[] = {"/var/tmp", "/tmp", NULL};
	const char *dir = getenv("TMPDIR");
	char path[PATH_MAX];
	sqlite3_stmt *st;
	int fd = -1, rc;

	if (dir && *dir) {
		snprintf(path, sizeof path, "%s/inc-scratch-XXXXXX", dir);
		fd = mkstemp(path);
	}
	for (int i = 0; fd < 0 && dirs[i]; i++) {
		snprintf(path, sizeof path, "%s/inc-scratch-XXXXXX", dirs[i]);
		fd = mkstemp(path);
	}
	if (fd < 0) {
		char msg[INC_ERRLEN];

		snprintf(msg, sizeof msg, "cannot make a scratch file in %s: %s",
			 dir && *dir ? dir : "/var/tmp or /tmp", strerror(errno));
		inc_db_fail(db, INC_DBE_FATAL, msg);
		return -1;
	}
	close(fd);
	if (sqlite3_prepare_v2(H(db), "ATTACH ? AS scratch", -1, &st, NULL) != SQLITE_OK) {
		fail(db);
		unlink(path);
		return -1;
	}
	sqlite3_bind_text(st, 1, path, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	unlink(path);
	if (rc != SQLITE_DONE) {
		fail(db);
		return -1;
	}
	return exec_(db, "PRAGMA scratch.journal_mode=OFF; PRAGMA scratch.synchronous=OFF");
}

static int64_t
data_version(struct inc_db *db)
{
	static const char sql[] = "PRAGMA data_version";
	struct inc_sql *q;
	int64_t v = -1;

	/* No other connection commits while this one holds the write lock:
	 * what its first call in a write transaction read holds to its end
	 * (a run of inc-assign asked three times a record). That value is
	 * db->data_version, as inc_db_generation, the one caller, keeps it. */
	if (db->tx == 1 && db->dv_writes == db->writes)
		return db->data_version;
	q = inc_sql(db, sql);	/* cached */
	if (q && sqlite3_step(q->h) == SQLITE_ROW)
		v = sqlite3_column_int64(q->h, 0);
	if (q)
		sqlite3_reset(q->h);
	db->dv_writes = db->tx == 1 && v >= 0 ? db->writes : -1;
	return v;
}

static int
ncols(struct inc_sql *q)
{
	return sqlite3_column_count(q->h);
}

static const char *
col_name(struct inc_sql *q, int i)
{
	return sqlite3_column_name(q->h, i);
}

static int
col_kind(struct inc_sql *q, int i)
{
	switch (sqlite3_column_type(q->h, i)) {
	case SQLITE_NULL: return INC_COL_NULL;
	case SQLITE_INTEGER: return INC_COL_INT;
	case SQLITE_TEXT: return INC_COL_TEXT;
	default: return -1;
	}
}

/* A file beside the database, locked by this open file only: the kernel
 * drops the lock when the process dies, and a child (sendmail) does not
 * inherit it. The handle is the fd. */
static int
lock_(struct inc_db *db, const char *name, int *handle, char *err)
{
	char path[PATH_MAX];
	int fd;

	if (snprintf(path, sizeof path, "%s-%s.lock", db->name, name) >= (int)sizeof path)
		return inc_err(err, "%s: name too long for its lock", db->name);
	if ((fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0666)) < 0)
		return inc_err(err, "%s: %s", path, strerror(errno));
	while (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		if (errno == EINTR)
			continue;
		close(fd);
		if (errno == EWOULDBLOCK)
			return 0;
		return inc_err(err, "%s: %s", path, strerror(errno));
	}
	*handle = fd;
	return 1;
}

static void
unlock_(struct inc_db *db, const char *name, int handle)
{
	close(handle);
}

static void
remove_(const char *name)
{
	static const char *const ext[] = {"", "-wal", "-shm", "-journal", NULL};
	char path[PATH_MAX];

	for (int i = 0; ext[i]; i++)
		if (snprintf(path, sizeof path, "%s%s", name, ext[i]) < (int)sizeof path)
			unlink(path);
}

const struct inc_db_ops inc_db_sqlite_ops = {
	.engine = "sqlite",
	.open = open_,
	.close = close_,
	.prepare = prepare,
	.finalize = finalize,
	.bind_int = bind_int,
	.bind_text = bind_text,
	.step = step,
	.col_null = col_null,
	.col_int = col_int,
	.col_text = col_text,
	.reset = reset,
	.exec = exec_,
	.changes = changes,
	.last_id = last_id,
	.in_tx = in_tx,
	.version = version,
	.set_version = set_version,
	.foreign = foreign,
	.finish = finish,
	.wait = wait_,
	.scratch = scratch,
	.data_version = data_version,
	.remove = remove_,
	.ncols = ncols,
	.col_name = col_name,
	.col_kind = col_kind,
	.lock = lock_,
	.unlock = unlock_,
	.dialect = INC_SQLITE,
};
