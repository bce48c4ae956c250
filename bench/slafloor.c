/*
 * slafloor - the floor under inc-sla's transitions (issue 15): the rows an
 * SLA pass must read and write for each incident whose next check is due,
 * by one C loop with every statement prepared once, and nothing else: no
 * policy, no calendar, no JSON, no output but a count.
 *
 *	slafloor DB NOW
 *
 * For every incident with sla_next_check <= NOW (epoch seconds), in one
 * transaction: its row read whole and its holds read (as inc-sla reads
 * them to compute the clocks); its SLA columns rewritten (state warning,
 * the next check an hour on, checked at NOW); one audit row for sla_state
 * and one sla_warning event, as inc-sla writes for a response warning
 * (desk.sh's transitions), all of them in two statements (inc writes them
 * many to an INSERT, OR FAIL: no statement journal). Then the commit, and
 * the checkpoint inc's writers make on the way out when they leave a WAL of
 * 512 KiB or more (db_sqlite.c's finish). The connection is set up as
 * db_sqlite.c's. Prints the number of incidents on stdout.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <sqlite3.h>

#define WAL_LEAVE_BYTES (512 << 10)	/* as db_sqlite.c */

static void
die(sqlite3 *db, const char *what)
{
	fprintf(stderr, "slafloor: %s: %s\n", what, sqlite3_errmsg(db));
	exit(1);
}

static int
by_id(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

static sqlite3_stmt *
prep(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *s;

	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
		die(db, sql);
	return s;
}

static void
done(sqlite3 *db, sqlite3_stmt *s, const char *what)
{
	if (sqlite3_step(s) != SQLITE_DONE)
		die(db, what);
	sqlite3_reset(s);
}

int
main(int argc, char **argv)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *due, *row, *hold, *upd, *aud, *ev;
	int64_t now, *ids = NULL;
	size_t n = 0, cap = 0, len = 0;
	char *list, *end;
	unsigned long sum = 0;
	volatile unsigned long sink;
	char wal[4096 + 8];
	struct stat st;

	if (argc != 3) {
		fprintf(stderr, "usage: slafloor DB NOW\n");
		return 2;
	}
	now = strtoll(argv[2], &end, 10);
	if (*end || end == argv[2]) {
		fprintf(stderr, "slafloor: NOW: not epoch seconds: \"%s\"\n", argv[2]);
		return 2;
	}
	/* as db_sqlite.c opens a database */
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	if (sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL)
	    != SQLITE_OK)
		die(db, argv[1]);
	sqlite3_db_config(db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);
	if (sqlite3_exec(db, "PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
			 " PRAGMA temp_store=MEMORY; PRAGMA wal_autocheckpoint=10000;"
			 " PRAGMA cache_size=-16384", NULL, NULL, NULL) != SQLITE_OK)
		die(db, "pragmas");
	/* by the index on sla_next_check, as inc-sla: ORDER BY id would have
	 * SQLite walk the whole table in id order instead */
	due = prep(db, "SELECT id FROM incident WHERE sla_next_check <= ?1");
	row = prep(db, "SELECT * FROM incident WHERE id = ?1");
	hold = prep(db, "SELECT start, \"end\" FROM hold WHERE incident = ?1 ORDER BY start");
	upd = prep(db, "UPDATE incident SET sla_state = 'warning', sla_response_state = 'warning',"
		   " sla_next_check = ?2 + 3600, sla_checked_at = ?2, updated_at = ?2 WHERE id = ?1");
	/* the audit rows and events of all, each in one statement over a
	 * JSON array of the ids (inc writes them many to an INSERT) */
	aud = prep(db, "INSERT OR FAIL INTO audit(incident, task, at, actor, tool, action, field, old, new, via)"
		   " SELECT value, NULL, ?2, 'root', 'inc-sla', 'sla', 'sla_state', 'ok', 'warning',"
		   " NULL FROM json_each(?1)");
	ev = prep(db, "INSERT OR FAIL INTO event(at, actor, tool, incident, kind, data, via)"
		  " SELECT ?2, 'root', 'inc-sla', value, 'sla_warning',"
		  " '{\"kind\":\"sla_warning\",\"target\":\"response\"}', NULL FROM json_each(?1)");
	sqlite3_bind_int64(due, 1, now);
	while (sqlite3_step(due) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap ? 2 * cap : 1024;
			if (!(ids = realloc(ids, cap * sizeof *ids))) {
				fprintf(stderr, "slafloor: out of memory\n");
				return 1;
			}
		}
		ids[n++] = sqlite3_column_int64(due, 0);
	}
	if (sqlite3_reset(due) != SQLITE_OK)
		die(db, "the due incidents");
	if (n)
		qsort(ids, n, sizeof *ids, by_id);	/* in id order, as inc-sla works them */
	if (!(list = malloc(24 * n + 3))) {
		fprintf(stderr, "slafloor: out of memory\n");
		return 1;
	}
	list[len++] = '[';
	if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		die(db, "BEGIN");
	for (size_t i = 0; i < n; i++) {
		sqlite3_bind_int64(row, 1, ids[i]);
		if (sqlite3_step(row) == SQLITE_ROW)
			for (int c = 0; c < sqlite3_column_count(row); c++) {
				/* read as a tool reads it: numbers as numbers */
				if (sqlite3_column_type(row, c) == SQLITE_TEXT)
					sum += sqlite3_column_text(row, c)[0];
				else
					sum += (unsigned long)sqlite3_column_int64(row, c);
			}
		if (sqlite3_reset(row) != SQLITE_OK)
			die(db, "the incident");
		sqlite3_bind_int64(hold, 1, ids[i]);
		while (sqlite3_step(hold) == SQLITE_ROW)
			sum += (unsigned long)sqlite3_column_int64(hold, 0);
		if (sqlite3_reset(hold) != SQLITE_OK)
			die(db, "its holds");
		sqlite3_bind_int64(upd, 1, ids[i]);
		sqlite3_bind_int64(upd, 2, now);
		done(db, upd, "UPDATE");
		len += (size_t)snprintf(list + len, 24, "%s%lld", i ? "," : "", (long long)ids[i]);
	}
	list[len++] = ']';
	list[len] = '\0';
	sqlite3_bind_text(aud, 1, list, (int)len, SQLITE_STATIC);
	sqlite3_bind_int64(aud, 2, now);
	done(db, aud, "audit");
	sqlite3_bind_text(ev, 1, list, (int)len, SQLITE_STATIC);
	sqlite3_bind_int64(ev, 2, now);
	done(db, ev, "event");
	if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		die(db, "COMMIT");
	snprintf(wal, sizeof wal, "%s-wal", argv[1]);
	if (stat(wal, &st) == 0 && st.st_size >= WAL_LEAVE_BYTES)
		sqlite3_wal_checkpoint_v2(db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
	sqlite3_finalize(due);
	sqlite3_finalize(row);
	sqlite3_finalize(hold);
	sqlite3_finalize(upd);
	sqlite3_finalize(aud);
	sqlite3_finalize(ev);
	if (sqlite3_close(db) != SQLITE_OK)
		die(db, "close");
	free(ids);
	free(list);
	sink = sum;	/* the reads kept */
	(void)sink;
	printf("%zu\n", n);
	return 0;
}
