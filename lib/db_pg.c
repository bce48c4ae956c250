/*
 * db_pg.c - the PostgreSQL engine of the storage layer (INC_DB or -d a
 * libpq URI: postgresql://... or postgres://...), through libpq.
 *
 * The statements of lib/ are written once: SQLite's "?" and "?N"
 * parameters become "$N" here, when a statement is prepared; the rest of
 * the SQL is the portable subset both engines read, and what cannot be
 * (date functions, the schema) comes from inc_db_dialect() and
 * share/migrations/pg/.
 *
 * Transactions, and why: a writer's transaction (inc_db_begin) is READ
 * COMMITTED and first takes one transaction-scoped advisory lock, the same
 * for every writer: writers take turns, as SQLite's BEGIN IMMEDIATE makes
 * them, so that what a record reads before it writes (the round-robin
 * rotation, an external_id, an escalation fired, a cursor) cannot change
 * under it, and every statement after the lock sees every writer before.
 * Readers (inc_db_begin_read) run REPEATABLE READ READ ONLY: one snapshot,
 * no lock, never waiting for a writer. Waiting for that lock is bounded by
 * lock_timeout (INC_BUSY_TIMEOUT, as SQLite's busy timeout): past it, the
 * run stops as on a locked SQLite database (exit 3).
 *
 * Statements are sent with PQexecParams, values as text (PostgreSQL infers
 * their types from where they stand), and results read whole: a tool reads
 * a result while it writes through the same connection.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <libpq-fe.h>

#include "db_int.h"

/*
 * libpq is loaded when a tool first connects to PostgreSQL, not linked:
 * linked, it and the libraries it needs (TLS, Kerberos, LDAP: 22 of them)
 * cost every process about 4.5 ms to load, four times what a one-shot call
 * on SQLite costs in all. The table of its functions is filled once per
 * process and read only after that.
 */
#define PQ_FUNCS(X) X(PQclear) X(PQresultStatus) X(PQstatus) X(PQgetvalue) \
	X(PQexecParams) X(PQexec) X(PQtransactionStatus) X(PQsendQueryParams) \
	X(PQresultErrorField) X(PQntuples) X(PQnfields) X(PQgetisnull) X(PQfinish) \
	X(PQexitPipelineMode) X(PQerrorMessage) X(PQcmdStatus) X(PQsocket) \
	X(PQsetNoticeReceiver) X(PQpipelineSync) X(PQnotifies) X(PQgetResult) X(PQftype) \
	X(PQfreemem) X(PQfname) X(PQenterPipelineMode) X(PQconsumeInput) X(PQconnectdb) \
	X(PQcmdTuples) X(PQprepare) X(PQexecPrepared) X(PQsendQueryPrepared)

static struct pq_api {
#define X(f) __typeof__(f) *f;
	PQ_FUNCS(X)
#undef X
	const char *error;	/* why it could not be loaded; NULL: loaded */
} pq;
static pthread_once_t pq_once = PTHREAD_ONCE_INIT;

static void
pq_load(void)
{
	void *lib = dlopen("libpq.so.5", RTLD_NOW | RTLD_LOCAL);

	if (!lib) {
		pq.error = "libpq.so.5 cannot be loaded (Debian: apt-get install libpq5)";
		return;
	}
#define X(f) if (!(*(void **)&pq.f = dlsym(lib, #f))) { pq.error = "libpq.so.5 lacks " #f; return; }
	PQ_FUNCS(X)
#undef X
}

/* every call below goes through the table */
#define PQclear pq.PQclear
#define PQresultStatus pq.PQresultStatus
#define PQstatus pq.PQstatus
#define PQgetvalue pq.PQgetvalue
#define PQexecParams pq.PQexecParams
#define PQexec pq.PQexec
#define PQtransactionStatus pq.PQtransactionStatus
#define PQsendQueryParams pq.PQsendQueryParams
#define PQresultErrorField pq.PQresultErrorField
#define PQntuples pq.PQntuples
#define PQnfields pq.PQnfields
#define PQgetisnull pq.PQgetisnull
#define PQfinish pq.PQfinish
#define PQexitPipelineMode pq.PQexitPipelineMode
#define PQerrorMessage pq.PQerrorMessage
#define PQcmdStatus pq.PQcmdStatus
#define PQsocket pq.PQsocket
#define PQsetNoticeReceiver pq.PQsetNoticeReceiver
#define PQpipelineSync pq.PQpipelineSync
#define PQnotifies pq.PQnotifies
#define PQgetResult pq.PQgetResult
#define PQftype pq.PQftype
#define PQfreemem pq.PQfreemem
#define PQfname pq.PQfname
#define PQenterPipelineMode pq.PQenterPipelineMode
#define PQconsumeInput pq.PQconsumeInput
#define PQconnectdb pq.PQconnectdb
#define PQcmdTuples pq.PQcmdTuples
#define PQprepare pq.PQprepare
#define PQexecPrepared pq.PQexecPrepared
#define PQsendQueryPrepared pq.PQsendQueryPrepared

/* the writers' lock: any constant, the same in every process ("inc") */
#define WRITER_LOCK "SELECT pg_advisory_xact_lock(6909795)"

#define MAXPARAM 65535	/* the protocol's limit */

struct stmt {
	char *sql;		/* rewritten: $N parameters */
	int nparam;
	int writes;		/* INSERT, UPDATE or DELETE: atomic on its own */
	Oid *types;		/* nparam: 0 inferred; text for a parameter never read */
	char **val;		/* nparam bound values, as text; NULL: SQL NULL */
	PGresult *res;		/* the result being read; NULL before the first step */
	int row, nrows;		/* the current row, and how many */
	int runs;		/* executions so far */
	char name[16];		/* prepared on the server under this name; "": not */
	int deferred;		/* an audit row or an event: sent without waiting */
	int incident;		/* record.c's incident insert (its id is $1) */
	int returning;		/* "RETURNING id" added: the id kept for last_id */
};

struct conn {
	PGconn *c;
	int named;		/* statements prepared on the server so far */
	int pending;		/* deferred statements sent, their results not read */
	int64_t last_id;	/* the id the last INSERT ... RETURNING id gave */
	int have_last;
	int64_t changes;	/* rows inserted, updated or deleted so far */
	int listening;		/* LISTEN done (inc_db_wait) */
};

static PGconn *
C(struct inc_db *db)
{
	return ((struct conn *)db->h)->c;
}

static int in_tx(struct inc_db *);

static enum inc_dberr
classify(const char *state, PGconn *c)
{
	if (PQstatus(c) != CONNECTION_OK || !state)
		return INC_DBE_FATAL;
	if (strcmp(state, "23505") == 0)
		return INC_DBE_UNIQUE;
	if (strncmp(state, "23", 2) == 0)
		return INC_DBE_CONSTRAINT;
	/* a privilege the login lacks, a row its row-level security hides:
	 * the server refused this record (or this act), not the run */
	if (strcmp(state, "42501") == 0)
		return INC_DBE_CONSTRAINT;
	/* serialization failure, deadlock, lock not available (lock_timeout),
	 * a statement cancelled: another writer held on, as SQLITE_BUSY */
	if (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0 ||
	    strcmp(state, "55P03") == 0 || strcmp(state, "57014") == 0)
		return INC_DBE_BUSY;
	/* no space, I/O, a server going down, a statement the server
	 * cannot run: nothing to go on with */
	return INC_DBE_FATAL;
}

static void
fail_res(struct inc_db *db, const PGresult *res)
{
	PGconn *c = C(db);
	const char *msg = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	char buf[INC_ERRLEN];

	if (!msg || !*msg) {
		snprintf(buf, sizeof buf, "%s", PQerrorMessage(c));
		buf[strcspn(buf, "\n")] = '\0';
		msg = buf[0] ? buf : "database error";
	}
	inc_db_fail(db, classify(res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL, c), msg);
}

/* A command's result: -1 (error set) unless it is the status wanted. */
static int
check(struct inc_db *db, PGresult *res, ExecStatusType want)
{
	if (!res || PQresultStatus(res) != want) {
		fail_res(db, res);
		PQclear(res);
		return -1;
	}
	return 0;
}

static char *rewrite(const char *sql, int *nparam, Oid **types);

/*
 * The audit rows and events sent without waiting (step: deferred) have
 * their results read before anything else talks to the server: one sync
 * for all of them. One refused is the run's failure, as it would have
 * been at once (nothing in them is a record's to be refused for): the
 * transaction is aborted, the error sticky.
 */
/*
 * The results of a pipeline up to its sync, then out of pipeline mode:
 * the first error result (NULL: none), and in *mine (when not NULL) the
 * result of query number keep (from 0). *synced: the sync was reached
 * (not: the connection was lost).
 */
static PGresult *
drain(PGconn *c, int keep, PGresult **mine, int *synced)
{
	PGresult *r, *bad = NULL;
	int part = 0;

	*synced = 0;
	for (;;) {
		ExecStatusType st;

		if (!(r = PQgetResult(c))) {
			if (PQstatus(c) != CONNECTION_OK)
				break;
			part++;	/* one query's results end with a NULL */
			continue;
		}
		st = PQresultStatus(r);
		if (st == PGRES_PIPELINE_SYNC) {
			PQclear(r);
			*synced = 1;
			break;
		}
		if (st == PGRES_FATAL_ERROR && !bad)
			bad = r;
		else if (st != PGRES_FATAL_ERROR && mine && part == keep && !*mine)
			*mine = r;
		else
			PQclear(r);
	}
	PQexitPipelineMode(c);
	return bad;
}

/*
 * The audit rows and events sent without waiting (step: deferred) have
 * their results read before anything else talks to the server: one sync
 * for all of them. One refused is the run's failure, as it would have
 * been at once (nothing in them is a record's to be refused for): the
 * transaction is aborted, the error sticky.
 */
static int
flush(struct inc_db *db)
{
	struct conn *k = db->h;
	PGresult *bad;
	int synced;

	if (!k || !k->pending)
		return 0;
	k->pending = 0;
	if (!PQpipelineSync(k->c)) {
		PQexitPipelineMode(k->c);
		fail_res(db, NULL);
		return -1;
	}
	bad = drain(k->c, -1, NULL, &synced);
	if (bad || !synced) {
		const char *msg = bad ? PQresultErrorField(bad, PG_DIAG_MESSAGE_PRIMARY) : NULL;

		inc_db_fail(db, INC_DBE_FATAL, msg && *msg ? msg : "the connection was lost");
		PQclear(bad);
		return -1;
	}
	return 0;
}

static int
exec_(struct inc_db *db, const char *sql)
{
	char *mapped = NULL;
	PGresult *res;
	int rc, n, rollback = strncmp(sql, "ROLLBACK", 8) == 0;

	if (flush(db) < 0 && !rollback)
		return -1;

	/* the only statements of several that name the scratch schema are
	 * inc's own (import_apply.c), never a migration */
	if (strstr(sql, "scratch."))
		sql = mapped = rewrite(sql, &n, NULL);
	res = PQexec(C(db), sql);
	free(mapped);

	if (!res || (PQresultStatus(res) != PGRES_COMMAND_OK &&
		     PQresultStatus(res) != PGRES_TUPLES_OK)) {
		fail_res(db, res);
		PQclear(res);
		return -1;
	}
	/* a COMMIT of a transaction that had failed is a ROLLBACK */
	rc = strcmp(PQcmdStatus(res), "ROLLBACK") == 0 && !rollback ? -1 : 0;
	PQclear(res);
	if (rc < 0)
		inc_db_fail(db, INC_DBE_FATAL, "the transaction was rolled back by the database");
	return rc;
}

/* One value from a query of no parameters: 1 and *out, 0 no row, -1. */
static int
query_int(struct inc_db *db, const char *sql, int64_t *out)
{
	PGresult *res;
	int rc = 0;

	if (flush(db) < 0)
		return -1;
	res = PQexec(C(db), sql);

	if (check(db, res, PGRES_TUPLES_OK) < 0)
		return -1;
	if (PQntuples(res) > 0 && !PQgetisnull(res, 0, 0)) {
		*out = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
		rc = 1;
	}
	PQclear(res);
	return rc;
}

static void
quiet(void *arg, const PGresult *res)
{
	/* NOTICEs (an IF NOT EXISTS that was) are not the user's business */
}

static int
open_(struct inc_db *db, const char *uri, int busy_ms, char *err)
{
	struct conn *k = inc_xmalloc(sizeof *k);
	char set[128];

	memset(k, 0, sizeof *k);
	pthread_once(&pq_once, pq_load);
	if (pq.error) {
		free(k);
		return inc_err(err, "%s", pq.error);
	}
	k->c = PQconnectdb(uri);
	if (!k->c || PQstatus(k->c) != CONNECTION_OK) {
		char msg[INC_ERRLEN];

		snprintf(msg, sizeof msg, "%s", k->c ? PQerrorMessage(k->c) : "out of memory");
		/* libpq's first line says why; the second is a hint */
		msg[strcspn(msg, "\n")] = '\0';
		inc_err(err, "cannot connect: %s", msg);
		PQfinish(k->c);
		free(k);
		return -1;
	}
	db->h = k;
	db->busy_ms = busy_ms;
	PQsetNoticeReceiver(k->c, quiet, NULL);
	snprintf(set, sizeof set, "SET lock_timeout = %d", busy_ms > 0 ? busy_ms : 1);
	if (exec_(db, set) < 0 || exec_(db, "SET client_min_messages = warning") < 0 ||
	    exec_(db, "SET TIME ZONE 'UTC'") < 0)
		return inc_db_err(db, err);
	return 0;
}

static void
close_(struct inc_db *db)
{
	struct conn *k = db->h;

	PQfinish(k->c);
	free(k);
	db->h = NULL;
}

static void
finish(struct inc_db *db)
{
	/* nothing left behind: the server checkpoints by itself */
}

/* ---- parameters: SQLite's ?, ?N into $N; the scratch schema ---- */

static int
ident(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '.';
}

/* sql with $N parameters; their number (more than MAXPARAM: too many);
 * in *types (when not NULL, allocated) text for those the text skips,
 * whose type PostgreSQL cannot infer (a report without --since binds ?1
 * and never reads it), 0 for the others: inferred from where they stand. */
static char *
rewrite(const char *sql, int *nparam, Oid **types)
{
	size_t len = strlen(sql);
	char *out = inc_xmalloc(len * 4 + 16), *o = out;
	int max = 0;
	char *used = inc_xmalloc(MAXPARAM + 1);

	memset(used, 0, MAXPARAM + 1);

	for (const char *p = sql; *p; ) {
		if (*p == '\'' || *p == '"') {
			char q = *p;

			*o++ = *p++;
			while (*p) {
				if (*p == q && p[1] == q) {
					*o++ = *p++;
					*o++ = *p++;
				} else if (*p == q) {
					*o++ = *p++;
					break;
				} else {
					*o++ = *p++;
				}
			}
		} else if (*p == '-' && p[1] == '-') {
			while (*p && *p != '\n')
				*o++ = *p++;
		} else if ((p == sql || !ident(p[-1])) && strncmp(p, "INDEX scratch.", 14) == 0) {
			/* an index goes where its table is: no schema of its own */
			o += sprintf(o, "INDEX ");
			p += 14;
		} else if ((p == sql || !ident(p[-1])) && strncmp(p, "scratch.", 8) == 0) {
			/* inc_db_scratch's schema: this session's temporary one */
			o += sprintf(o, "pg_temp.");
			p += 8;
		} else if (*p == '?') {
			int n;

			p++;
			if (*p >= '0' && *p <= '9') {
				long v = strtol(p, (char **)&p, 10);

				n = v > MAXPARAM ? MAXPARAM + 1 : (int)v;
			} else {
				n = max + 1;
			}
			if (n > max)
				max = n;
			if (n >= 1 && n <= MAXPARAM)
				used[n] = 1;
			o += sprintf(o, "$%d", n);
		} else {
			*o++ = *p++;
		}
	}
	*o = '\0';
	*nparam = max;
	if (types && max <= MAXPARAM) {
		*types = inc_xmalloc((size_t)(max ? max : 1) * sizeof **types);
		for (int i = 1; i <= max; i++)
			(*types)[i - 1] = used[i] ? 0 : 25;	/* text */
	}
	free(used);
	return out;
}

static void *
prepare(struct inc_db *db, const char *sql)
{
	struct stmt *s = inc_xmalloc(sizeof *s);

	memset(s, 0, sizeof *s);
	s->sql = rewrite(sql, &s->nparam, &s->types);
	sql += strspn(sql, " \t\n");
	s->writes = strncasecmp(sql, "INSERT", 6) == 0 || strncasecmp(sql, "UPDATE", 6) == 0 ||
		    strncasecmp(sql, "DELETE", 6) == 0;
	/* an audit row and an event have nothing a record could be refused
	 * for (their numbers are the database's, every value inc's own): no
	 * savepoint, two round trips fewer for every change */
	if (strncmp(sql, "INSERT INTO audit(", 18) == 0 || strncmp(sql, "INSERT INTO event(", 18) == 0) {
		s->writes = 0;
		/* and no need to wait for it: sent, its result read later */
		s->deferred = 1;
	}
	/* the id numbered by the trigger comes back with the row, instead of
	 * a round trip of its own to ask for it (inc_db_last_id) */
	if ((strncmp(sql, "INSERT INTO incident(", 21) == 0 || strncmp(sql, "INSERT INTO task(", 17) == 0 ||
	     strncmp(sql, "INSERT INTO outbox(", 19) == 0) && !strstr(sql, "RETURNING")) {
		size_t n = strlen(s->sql);

		s->sql = inc_xrealloc(s->sql, n + sizeof " RETURNING id");
		memcpy(s->sql + n, " RETURNING id", sizeof " RETURNING id");
		s->returning = 1;
	}
	s->incident = strncmp(sql, "INSERT INTO incident(id,", 24) == 0;
	if (s->nparam > MAXPARAM) {
		inc_db_fail(db, INC_DBE_FATAL, "too many parameters in a statement");
		free(s->sql);
		free(s);
		return NULL;
	}
	s->val = inc_xmalloc((size_t)(s->nparam ? s->nparam : 1) * sizeof *s->val);
	memset(s->val, 0, (size_t)(s->nparam ? s->nparam : 1) * sizeof *s->val);
	return s;
}

static void
clear_values(struct stmt *s)
{
	for (int i = 0; i < s->nparam; i++) {
		free(s->val[i]);
		s->val[i] = NULL;
	}
}

static void
finalize(void *h)
{
	struct stmt *s = h;

	if (!s)
		return;
	PQclear(s->res);
	clear_values(s);
	free(s->val);
	free(s->types);
	free(s->sql);
	free(s);
}

static void
bind_int(struct inc_sql *q, int i, int64_t v)
{
	struct stmt *s = q->h;
	char buf[32];

	if (i < 1 || i > s->nparam)
		return;
	free(s->val[i - 1]);
	s->val[i - 1] = NULL;
	if (v != INC_NULL) {
		snprintf(buf, sizeof buf, "%lld", (long long)v);
		s->val[i - 1] = inc_xstrdup(buf);
	}
}

static void
bind_text(struct inc_sql *q, int i, const char *v)
{
	struct stmt *s = q->h;

	if (i < 1 || i > s->nparam)
		return;
	free(s->val[i - 1]);
	s->val[i - 1] = v ? inc_xstrdup(v) : NULL;
}

/*
 * A statement run a second time is prepared on the server (parsed and
 * planned once for the session, as SQLite's prepared statements are): a
 * bulk load runs the same few statements for every record. Once is not
 * worth the round trip: a one-shot tool runs most statements once. Not in
 * a failed transaction, where the server would refuse it.
 */
static void
named(struct inc_db *db, struct stmt *s)
{
	struct conn *k = db->h;
	PGresult *r;

	if (s->name[0] || s->runs++ < 1 || flush(db) < 0 ||
	    PQtransactionStatus(k->c) == PQTRANS_INERROR)
		return;
	snprintf(s->name, sizeof s->name, "inc%d", ++k->named);
	r = PQprepare(k->c, s->name, s->sql, s->nparam, s->types);
	if (!r || PQresultStatus(r) != PGRES_COMMAND_OK)
		s->name[0] = '\0';	/* it runs unprepared, and fails there if it must */
	PQclear(r);
}

static PGresult *
run(struct inc_db *db, struct stmt *s)
{
	PGconn *c = C(db);

	if (s->name[0])
		return PQexecPrepared(c, s->name, s->nparam, (const char *const *)s->val, NULL,
				      NULL, 0);
	return PQexecParams(c, s->sql, s->nparam, s->types, (const char *const *)s->val, NULL,
			    NULL, 0);
}

/*
 * The statement between SAVEPOINT and RELEASE, the three in one round
 * trip (a pipeline): its result, or an error result. After a failure of
 * the statement the transaction is left aborted, to roll back to the
 * savepoint.
 */
static PGresult *
guarded(struct inc_db *db, struct stmt *s)
{
	PGconn *c = C(db);
	PGresult *mine = NULL, *bad;
	int synced;

	if (!PQenterPipelineMode(c) ||
	    !PQsendQueryParams(c, "SAVEPOINT inc_stmt", 0, NULL, NULL, NULL, NULL, 0) ||
	    !(s->name[0] ? PQsendQueryPrepared(c, s->name, s->nparam,
					       (const char *const *)s->val, NULL, NULL, 0) :
	      PQsendQueryParams(c, s->sql, s->nparam, s->types, (const char *const *)s->val,
				NULL, NULL, 0)) ||
	    !PQsendQueryParams(c, "RELEASE inc_stmt", 0, NULL, NULL, NULL, NULL, 0) ||
	    !PQpipelineSync(c)) {
		PQexitPipelineMode(c);
		return NULL;
	}
	bad = drain(c, 1, &mine, &synced);
	if (bad) {
		PQclear(mine);
		return bad;
	}
	return mine;
}

static int
step(struct inc_sql *q)
{
	struct stmt *s = q->h;
	struct conn *k = q->db->h;
	ExecStatusType st;
	const char *cmd;
	int guard;

	if (q->db->failed)
		return -1;
	if (s->res) {
		if (++s->row < s->nrows)
			return 1;
		return 0;
	}
	/*
	 * A statement that fails leaves a SQLite transaction as it was, and
	 * the record goes on (an external_id seen before is looked up after
	 * its INSERT failed); a PostgreSQL transaction is aborted instead. A
	 * write inside a transaction runs in a savepoint of its own, so that
	 * its failure undoes only itself, as on SQLite.
	 */
	named(q->db, s);
	if (q->db->failed)	/* what named() had to flush was refused */
		return -1;
	if (s->deferred && k->pending + 1 < 1000 &&
	    (k->pending || PQtransactionStatus(k->c) == PQTRANS_INTRANS)) {
		/* into the pipeline, to be read at the next flush */
		if ((k->pending || PQenterPipelineMode(k->c)) &&
		    (s->name[0] ? PQsendQueryPrepared(k->c, s->name, s->nparam,
						      (const char *const *)s->val, NULL, NULL, 0) :
		     PQsendQueryParams(k->c, s->sql, s->nparam, s->types,
				       (const char *const *)s->val, NULL, NULL, 0))) {
			k->pending++;
			k->changes++;
			return 0;
		}
		if (!k->pending)
			PQexitPipelineMode(k->c);
		fail_res(q->db, NULL);
		return -1;
	}
	if (flush(q->db) < 0)
		return -1;
	/* an incident numbered by the trigger fails only for a taken
	 * external_id, which the trigger turns into no row (migration 010):
	 * no savepoint needed, a subtransaction fewer per incident */
	guard = s->writes && PQtransactionStatus(k->c) == PQTRANS_INTRANS &&
		!(s->incident && s->nparam >= 1 && !s->val[0]);
	s->res = guard ? guarded(q->db, s) : run(q->db, s);
	st = s->res ? PQresultStatus(s->res) : PGRES_FATAL_ERROR;
	if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
		fail_res(q->db, s->res);
		PQclear(s->res);
		s->res = NULL;
		if (guard && PQstatus(k->c) == CONNECTION_OK &&
		    PQtransactionStatus(k->c) == PQTRANS_INERROR)
			PQclear(PQexec(k->c, "ROLLBACK TO inc_stmt; RELEASE inc_stmt"));
		return -1;
	}
	cmd = PQcmdStatus(s->res);
	if (strncmp(cmd, "INSERT", 6) == 0 || strncmp(cmd, "UPDATE", 6) == 0 ||
	    strncmp(cmd, "DELETE", 6) == 0)
		k->changes += strtoll(PQcmdTuples(s->res), NULL, 10);
	else if (strcmp(cmd, "ROLLBACK") == 0 && strncmp(s->sql, "ROLLBACK", 8) != 0) {
		/* COMMIT of a transaction that had failed */
		inc_db_fail(q->db, INC_DBE_FATAL, "the transaction was rolled back by the database");
		return -1;
	}
	s->row = 0;
	s->nrows = st == PGRES_TUPLES_OK ? PQntuples(s->res) : 0;
	if (s->returning) {
		/* an INSERT to its caller: no row; its id kept (none when a
		 * conflict inserted nothing: the last one stays, as SQLite's) */
		if (s->nrows > 0 && !PQgetisnull(s->res, 0, 0)) {
			k->last_id = strtoll(PQgetvalue(s->res, 0, 0), NULL, 10);
			k->have_last = 1;
		} else if (s->incident) {
			/* the trigger's no row: an external_id logged before */
			PQclear(s->res);
			s->res = NULL;
			inc_db_fail(q->db, INC_DBE_UNIQUE,
				    "duplicate key value violates unique constraint"
				    " \"incident_external_id_key\"");
			return -1;
		}
		s->nrows = 0;
	}
	return s->nrows > 0;
}

static int
col_null(struct inc_sql *q, int i)
{
	struct stmt *s = q->h;

	return !s->res || s->row >= s->nrows || i >= PQnfields(s->res) ||
	       PQgetisnull(s->res, s->row, i);
}

static int64_t
col_int(struct inc_sql *q, int i)
{
	struct stmt *s = q->h;
	const char *v;

	if (col_null(q, i))
		return 0;
	v = PQgetvalue(s->res, s->row, i);
	/* a boolean expression: SQLite's 1 and 0 */
	if (v[0] == 't' && !v[1])
		return 1;
	if (v[0] == 'f' && !v[1])
		return 0;
	return strtoll(v, NULL, 10);
}

static const char *
col_text(struct inc_sql *q, int i)
{
	struct stmt *s = q->h;

	if (col_null(q, i))
		return NULL;
	return PQgetvalue(s->res, s->row, i);
}

/* The id the trigger inc_next_id gave the last row inserted in this
 * transaction (migration pg/009), as SQLite's last_insert_rowid(). */
static int64_t
last_id(struct inc_db *db)
{
	struct conn *k = db->h;
	int64_t v = 0;

	if (k->have_last)
		return k->last_id;
	if (query_int(db, "SELECT CAST(current_setting('inc.last_id', true) AS bigint)", &v) < 0)
		return 0;
	return v;
}

static int
ncols(struct inc_sql *q)
{
	struct stmt *s = q->h;

	return s->res ? PQnfields(s->res) : 0;
}

static const char *
col_name(struct inc_sql *q, int i)
{
	struct stmt *s = q->h;

	return s->res ? PQfname(s->res, i) : NULL;
}

/* The kinds of inc's columns: bigint and text (the type OIDs of
 * pg_type.h: int8, int4, int2, text, varchar, name) */
static int
col_kind(struct inc_sql *q, int i)
{
	struct stmt *s = q->h;

	if (col_null(q, i))
		return INC_COL_NULL;
	switch (PQftype(s->res, i)) {
	case 20: case 23: case 21: return INC_COL_INT;
	case 25: case 1043: case 19: return INC_COL_TEXT;
	default: return -1;
	}
}

static void
reset(struct inc_sql *q)
{
	struct stmt *s = q->h;

	PQclear(s->res);
	s->res = NULL;
	s->row = s->nrows = 0;
	clear_values(s);
}

static int64_t
changes(struct inc_db *db)
{
	return ((struct conn *)db->h)->changes;
}

static int
in_tx(struct inc_db *db)
{
	PGTransactionStatusType t;

	flush(db);	/* a failure leaves the transaction aborted: still open */
	t = PQtransactionStatus(C(db));

	return t == PQTRANS_INTRANS || t == PQTRANS_INERROR || t == PQTRANS_ACTIVE;
}

/* ---- schema version: a table of one row, inc_schema ---- */

static int
version(struct inc_db *db, int *v)
{
	int64_t n = 0, ver = 0;
	int rc = query_int(db, "SELECT count(*) FROM pg_catalog.pg_tables"
			   " WHERE schemaname = current_schema() AND tablename = 'inc_schema'", &n);

	if (rc < 0)
		return -1;
	if (n == 0) {
		*v = 0;
		return 0;
	}
	if (query_int(db, "SELECT max(version) FROM inc_schema", &ver) < 0)
		return -1;
	*v = (int)ver;
	return 0;
}

static int
set_version(struct inc_db *db, int v)
{
	char sql[160];

	snprintf(sql, sizeof sql, "CREATE TABLE IF NOT EXISTS inc_schema(version integer NOT NULL);"
		 " DELETE FROM inc_schema; INSERT INTO inc_schema VALUES(%d)", v);
	return exec_(db, sql);
}

static int
foreign(struct inc_db *db)
{
	int64_t n = 0;

	if (query_int(db, "SELECT count(*) FROM pg_catalog.pg_tables"
		      " WHERE schemaname = current_schema()", &n) < 0)
		return 0;
	return n > 0;
}

static int
begin(struct inc_db *db, int write)
{
	if (!write)
		return exec_(db, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
	if (exec_(db, "BEGIN ISOLATION LEVEL READ COMMITTED") < 0)
		return -1;
	if (exec_(db, WRITER_LOCK) < 0) {
		PQclear(PQexec(C(db), "ROLLBACK"));
		return -1;
	}
	return 0;
}

/* Every commit that adds events notifies "inc_event" (a trigger of the
 * schema): LISTEN once, then wait for a notification or the timeout. */
static int
wait_(struct inc_db *db, int timeout_ms)
{
	struct conn *k = db->h;
	struct pollfd p;
	PGnotify *n;
	int got = 0;

	if (flush(db) < 0)
		return -1;
	if (!k->listening) {
		if (exec_(db, "LISTEN inc_event") < 0)
			return -1;
		k->listening = 1;
		return 1;
	}
	for (;;) {
		int rc;

		while ((n = PQnotifies(k->c))) {
			got = 1;
			PQfreemem(n);
		}
		if (got)
			return 1;
		p.fd = PQsocket(k->c);
		p.events = POLLIN;
		rc = poll(&p, 1, timeout_ms);
		if (rc < 0)
			return errno == EINTR ? 0 : -1;
		if (rc == 0)
			return 0;
		if (!PQconsumeInput(k->c)) {
			fail_res(db, NULL);
			return -1;
		}
	}
}

/* The schema "scratch" is this session's temporary schema (pg_temp): its
 * tables are seen by no other session, written to disk past temp_buffers,
 * and dropped when the connection closes. Nothing to make beforehand. */
static int
scratch(struct inc_db *db)
{
	return 0;
}

/* No such number on the server. But in a write transaction this session
 * holds the writers' turn: no other inc writer commits until it ends, so
 * that what it counted stays counted (record.c's loads), its own writes
 * kept by itself; a write from outside inc (psql), which takes no turn,
 * could only make a count as stale as one read a moment earlier. Outside
 * a write transaction every call counts as a change. */
static int64_t
data_version(struct inc_db *db)
{
	return db->tx == 1 ? db->writes : -1;
}

/* The server's word on who this session is (migration 010's inc_standing). */
static int
login(struct inc_db *db, char *out, size_t len, enum inc_standing *st)
{
	PGresult *res;
	const char *s;

	if (flush(db) < 0)
		return -1;
	res = PQexec(C(db), "SELECT session_user, inc_standing()");
	if (check(db, res, PGRES_TUPLES_OK) < 0)
		return -1;
	snprintf(out, len, "%s", PQgetvalue(res, 0, 0));
	s = PQgetvalue(res, 0, 1);
	*st = strcmp(s, "owner") == 0 ? INC_LOGIN_OWNER :
	      strcmp(s, "admin") == 0 ? INC_LOGIN_ADMIN : INC_LOGIN_USER;
	PQclear(res);
	return 0;
}

/* An advisory lock of this session, keyed by the name: the server drops
 * it when the connection ends, however the process ended. */
static int
lock_(struct inc_db *db, const char *name, int *handle, char *err)
{
	const char *v[1] = {name};
	PGresult *res;
	int rc;

	if (flush(db) < 0)
		return inc_db_err(db, err);
	res = PQexecParams(C(db), "SELECT pg_try_advisory_lock(hashtext('inc:' || $1::text))", 1,
			   NULL, v, NULL, NULL, 0);
	if (check(db, res, PGRES_TUPLES_OK) < 0)
		return inc_db_err(db, err);
	rc = PQgetvalue(res, 0, 0)[0] == 't';
	PQclear(res);
	*handle = 0;
	return rc;
}

static void
unlock_(struct inc_db *db, const char *name, int handle)
{
	const char *v[1] = {name};

	flush(db);
	PQclear(PQexecParams(C(db), "SELECT pg_advisory_unlock(hashtext('inc:' || $1::text))",
			     1, NULL, v, NULL, NULL, 0));
}

const struct inc_db_ops inc_db_pg_ops = {
	.engine = "postgresql",
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
	.in_tx = in_tx,
	.version = version,
	.set_version = set_version,
	.foreign = foreign,
	.finish = finish,
	.wait = wait_,
	.scratch = scratch,
	.data_version = data_version,
	.begin = begin,
	.lock = lock_,
	.unlock = unlock_,
	.last_id = last_id,
	.login = login,
	.ncols = ncols,
	.col_name = col_name,
	.col_kind = col_kind,
	.dialect = INC_PG,
};
