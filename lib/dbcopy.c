/*
 * dbcopy.c - moving a desk from one database to another (inc db copy):
 * every table row for row, whatever the engines, through the storage
 * layer's calls only. The rows keep their ids, sequence numbers and
 * times, so the audit trail, the event log and its cursors, the outbox
 * and the KPIs read the same on the other side.
 */
#include <stdlib.h>
#include <string.h>

#include "inc.h"

/* Every table of the schema, parents before the tables that name them.
 * A migration that adds a table adds it here: tests/inc.bats checks this
 * list against the schema. */
const char *const inc_db_tables[] = {"incident", "audit", "task", "escalation_fired", "hold",
	"rotation", "meta", "event", "cursor", "outbox", "mail_seen", NULL};

static int
count(struct inc_db *db, const char *table, int64_t *n, char *err)
{
	struct inc_buf sql = {0};
	struct inc_sql *q;
	int rc;

	inc_buf_printf(&sql, "SELECT count(*) FROM %s", table);
	q = inc_sql_new(db, sql.data);
	free(sql.data);
	rc = inc_sql_one_int(q, n, err);
	inc_sql_free(q);
	return rc < 0 ? -1 : 0;
}

/* "INSERT INTO t(a, b) VALUES(?1, ?2)" for the columns of q's result. */
static struct inc_sql *
insert_for(struct inc_db *dst, const char *table, struct inc_sql *q)
{
	struct inc_buf sql = {0};
	struct inc_sql *ins;
	int n = inc_sql_ncols(q);

	inc_buf_printf(&sql, "INSERT INTO %s(", table);
	for (int i = 0; i < n; i++)
		inc_buf_printf(&sql, "%s\"%s\"", i ? ", " : "", inc_sql_col_name(q, i));
	inc_buf_addstr(&sql, ") VALUES(");
	for (int i = 0; i < n; i++)
		inc_buf_printf(&sql, "%s?%d", i ? ", " : "", i + 1);
	inc_buf_addstr(&sql, ")");
	ins = inc_sql_new(dst, sql.data);
	free(sql.data);
	return ins;
}

/* One table: its rows read from src and written to dst; *n rows. */
static int
table(struct inc_db *src, struct inc_db *dst, const char *name, int64_t *n, char *err)
{
	struct inc_buf sql = {0};
	struct inc_sql *q, *ins = NULL;
	int rc, ncols = 0;

	*n = 0;
	/* rowid order where there is one is the order they were written in;
	 * the engine's own order is as good where there is not */
	inc_buf_printf(&sql, "SELECT * FROM %s", name);
	q = inc_sql_new(src, sql.data);
	free(sql.data);
	if (!q)
		return inc_db_err(src, err);
	while ((rc = inc_sql_step(q)) > 0) {
		if (!ins) {
			ncols = inc_sql_ncols(q);
			if (!(ins = insert_for(dst, name, q))) {
				inc_sql_free(q);
				return inc_db_err(dst, err);
			}
		}
		for (int i = 0; i < ncols; i++) {
			switch (inc_sql_col_kind(q, i)) {
			case INC_COL_NULL:
				inc_sql_text(ins, i + 1, NULL);
				break;
			case INC_COL_INT:
				inc_sql_int(ins, i + 1, inc_sql_col_int(q, i));
				break;
			case INC_COL_TEXT:
				inc_sql_text(ins, i + 1, inc_sql_col_text(q, i));
				break;
			default:
				inc_err(err, "%s: column %s of row %lld holds a value inc does not store",
					name, inc_sql_col_name(q, i), (long long)*n + 1);
				inc_sql_free(ins);
				inc_sql_free(q);
				return -1;
			}
		}
		if (inc_sql_run(ins, err) < 0) {
			inc_sql_free(ins);
			inc_sql_free(q);
			return -1;
		}
		(*n)++;
	}
	inc_sql_free(ins);
	inc_sql_free(q);
	return rc < 0 ? inc_db_err(src, err) : 0;
}

/*
 * The numbers a desk has given past its rows' (the newest events pruned,
 * rows deleted) are its counter's: carried to the copy, so that the copy
 * never gives one of them again (an event numbered behind a consumer's
 * cursor would never be read). The rows carry the rest. The audit trail
 * is append-only: its rows are all its numbers.
 */
static const char *const numbered[] = {"incident", "task", "outbox", "event", NULL};

static int
numbers_top(struct inc_db *db, const char *t, int64_t *top, char *err)
{
	struct inc_sql *q = inc_sql_new(db, inc_db_dialect(db) == INC_PG ? "SELECT inc_number_top(?1)" :
					"SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = ?1), 0)");
	int rc;

	if (!q)
		return inc_db_err(db, err);
	inc_sql_text(q, 1, t);
	rc = inc_sql_one_int(q, top, err);
	inc_sql_free(q);
	return rc < 0 ? -1 : 0;
}

static int
numbers_past(struct inc_db *db, const char *t, int64_t top, char *err)
{
	static const char *const pg[] = {"SELECT inc_number_past(?1, ?2)", NULL};
	static const char *const lite[] = {
		"INSERT INTO sqlite_sequence(name, seq) SELECT ?1, ?2"
		" WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = ?1)",
		"UPDATE sqlite_sequence SET seq = ?2 WHERE name = ?1 AND seq < ?2", NULL};
	const char *const *sql = inc_db_dialect(db) == INC_PG ? pg : lite;

	for (int i = 0; sql[i]; i++) {
		struct inc_sql *q = inc_sql_new(db, sql[i]);
		int rc;

		if (!q)
			return inc_db_err(db, err);
		inc_sql_text(q, 1, t);
		inc_sql_int(q, 2, top);
		rc = inc_sql_run(q, err);
		inc_sql_free(q);
		if (rc < 0)
			return -1;
	}
	return 0;
}

int
inc_db_copy(struct inc_db *src, struct inc_db *dst,
	    void (*fn)(const char *table, int64_t rows, void *arg), void *arg, char *err)
{
	static const char *const must_be_empty[] = {"incident", "audit", "event", NULL};
	int64_t n, m, k;

	if (inc_db_begin_read(src) < 0)
		return inc_db_err(src, err);
	if (inc_db_begin(dst) < 0) {
		inc_db_rollback(src);
		return inc_db_err(dst, err);
	}
	for (int i = 0; must_be_empty[i]; i++) {
		if (count(dst, must_be_empty[i], &n, err) < 0)
			goto fail;
		if (n) {
			inc_err(err, "%s: not empty (table %s has %lld row%s): copy into a new database",
				inc_db_name(dst), must_be_empty[i], (long long)n, n == 1 ? "" : "s");
			goto fail;
		}
	}
	/* what the new database wrote of itself (its clock, the SLA config
	 * it has seen) gives way to the desk's */
	if (inc_db_exec(dst, "DELETE FROM meta; DELETE FROM cursor; DELETE FROM rotation", err) < 0)
		goto fail;
	for (int i = 0; inc_db_tables[i]; i++) {
		if (table(src, dst, inc_db_tables[i], &n, err) < 0 ||
		    count(src, inc_db_tables[i], &m, err) < 0 || count(dst, inc_db_tables[i], &k, err) < 0)
			goto fail;
		if (n != m || k != m) {
			inc_err(err, "%s: %lld rows read, %lld copied, %lld there", inc_db_tables[i],
				(long long)m, (long long)n, (long long)k);
			goto fail;
		}
		if (fn)
			fn(inc_db_tables[i], n, arg);
	}
	for (int i = 0; numbered[i]; i++) {
		int64_t top;

		if (numbers_top(src, numbered[i], &top, err) < 0 ||
		    (top > 0 && numbers_past(dst, numbered[i], top, err) < 0))
			goto fail;
	}
	if (inc_db_commit(dst) < 0) {
		inc_db_err(dst, err);
		goto fail;
	}
	inc_db_commit(src);
	return 0;
fail:
	inc_db_rollback(dst);
	inc_db_rollback(src);
	return -1;
}
