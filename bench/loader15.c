/*
 * loader15 - the reference loader of issue 15 ("Fast after a day's work"),
 * built exactly as the issue describes it: Jansson parses each line, one
 * prepared INSERT binds 16 columns (the custom object re-serialised
 * compactly), into a table of its own with exactly three secondary indexes
 * (status+resolve_due, assignee, category) besides the UNIQUE external_id;
 * one transaction, WAL, synchronous=NORMAL, and a checkpoint on close, so
 * that it leaves no WAL behind for the next process to read.
 *
 *	loader15 DB < incidents.jsonl
 *
 * The database must be new. Prints "N rows in S s: R rows/s" on stderr;
 * the time includes the checkpoint and the close.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>
#include <sqlite3.h>

static const char schema[] =
	"PRAGMA journal_mode=WAL;"
	"PRAGMA synchronous=NORMAL;"
	"CREATE TABLE incident ("
	" id INTEGER PRIMARY KEY,"
	" subject TEXT NOT NULL, description TEXT, requester TEXT, source TEXT,"
	" category TEXT, subcategory TEXT, impact TEXT, urgency TEXT, priority TEXT,"
	" status TEXT NOT NULL, grp TEXT, assignee TEXT, external_id TEXT UNIQUE,"
	" custom TEXT NOT NULL, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,"
	" resolve_due INTEGER);"
	"CREATE INDEX incident_status_due ON incident(status, resolve_due);"
	"CREATE INDEX incident_assignee ON incident(assignee);"
	"CREATE INDEX incident_category ON incident(category);";

/* the 16 bound columns */
enum { C_SUBJECT = 1, C_DESCRIPTION, C_REQUESTER, C_SOURCE, C_CATEGORY,
       C_SUBCATEGORY, C_IMPACT, C_URGENCY, C_PRIORITY, C_STATUS, C_GROUP,
       C_ASSIGNEE, C_EXTERNAL_ID, C_CUSTOM, C_CREATED, C_UPDATED, C_COUNT };

static const char sql_insert[] =
	"INSERT INTO incident(subject, description, requester, source, category,"
	" subcategory, impact, urgency, priority, status, grp, assignee, external_id,"
	" custom, created_at, updated_at) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";

static void
die(sqlite3 *db, const char *what)
{
	fprintf(stderr, "loader15: %s: %s\n", what, db ? sqlite3_errmsg(db) : "failed");
	exit(1);
}

static int64_t
days_from_civil(int64_t y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400, yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;

	return era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
}

/* "YYYY-MM-DDTHH:MM:SS" then "Z" or "+HH:MM"; epoch seconds as a number. */
static int64_t
when(const json_t *v, int64_t now)
{
	int y, mo, d, h, mi, s, oh = 0, om = 0, n = 0;
	const char *p;

	if (json_is_integer(v))
		return json_integer_value(v);
	if (!json_is_string(v))
		return now;
	p = json_string_value(v);
	if (sscanf(p, "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &s, &n) != 6)
		return now;
	p += n;
	if ((*p == '+' || *p == '-') && sscanf(p + 1, "%2d:%2d", &oh, &om) == 2)
		oh = (*p == '-' ? -1 : 1) * (oh * 3600 + om * 60);
	else
		oh = 0;
	return days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s - oh;
}

static int
bind_str(sqlite3_stmt *st, int i, const json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));

	return s ? sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT) : sqlite3_bind_null(st, i);
}

int
main(int argc, char **argv)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	long long rows = 0;
	int64_t now = (int64_t)time(NULL);
	int log = -1, ckpt = -1;
	struct timespec t0, t1;
	double secs;

	if (argc != 2) {
		fprintf(stderr, "usage: loader15 DB < incidents.jsonl\n");
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (sqlite3_open(argv[1], &db) != SQLITE_OK)
		die(db, argv[1]);
	if (sqlite3_exec(db, schema, 0, 0, 0) != SQLITE_OK)
		die(db, "schema");
	if (sqlite3_exec(db, "BEGIN", 0, 0, 0) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, sql_insert, -1, &st, NULL) != SQLITE_OK)
		die(db, "prepare");
	while ((n = getline(&line, &cap, stdin)) > 0) {
		json_t *o = json_loadb(line, (size_t)n, 0, NULL), *custom;
		const char *cat, *slash;
		char *cj;
		int rc;

		if (!json_is_object(o)) {
			fprintf(stderr, "loader15: a line that is not a JSON object\n");
			json_decref(o);
			continue;
		}
		custom = json_object_get(o, "custom");
		cj = json_is_object(custom) ? json_dumps(custom, JSON_COMPACT) : strdup("{}");
		if (!cj)
			die(NULL, "custom");
		cat = json_string_value(json_object_get(o, "category"));
		rc = bind_str(st, C_SUBJECT, o, "subject") |
			bind_str(st, C_DESCRIPTION, o, "description") |
			bind_str(st, C_REQUESTER, o, "requester") |
			bind_str(st, C_SOURCE, o, "source") |
			bind_str(st, C_IMPACT, o, "impact") |
			bind_str(st, C_URGENCY, o, "urgency") |
			bind_str(st, C_PRIORITY, o, "priority") |
			sqlite3_bind_text(st, C_STATUS, "new", 3, SQLITE_STATIC) |
			bind_str(st, C_GROUP, o, "group") |
			sqlite3_bind_null(st, C_ASSIGNEE) |
			bind_str(st, C_EXTERNAL_ID, o, "external_id") |
			sqlite3_bind_text(st, C_CUSTOM, cj, -1, free) |
			sqlite3_bind_int64(st, C_CREATED, when(json_object_get(o, "created_at"), now)) |
			sqlite3_bind_int64(st, C_UPDATED, now);
		/* "network/vpn" is a category and its subcategory */
		if (cat && (slash = strchr(cat, '/')))
			rc |= sqlite3_bind_text(st, C_CATEGORY, cat, (int)(slash - cat),
						SQLITE_TRANSIENT) |
				sqlite3_bind_text(st, C_SUBCATEGORY, slash + 1, -1, SQLITE_TRANSIENT);
		else
			rc |= bind_str(st, C_CATEGORY, o, "category") |
				bind_str(st, C_SUBCATEGORY, o, "subcategory");
		if (rc != SQLITE_OK)
			die(db, "bind");
		if (sqlite3_step(st) == SQLITE_DONE)
			rows++;
		else if (sqlite3_errcode(db) == SQLITE_CONSTRAINT)
			fprintf(stderr, "loader15: %s\n", sqlite3_errmsg(db));	/* that line only */
		else
			die(db, "insert");
		if (sqlite3_reset(st) != SQLITE_OK && sqlite3_errcode(db) != SQLITE_CONSTRAINT)
			die(db, "reset");
		json_decref(o);
	}
	free(line);
	if (ferror(stdin))
		die(NULL, "stdin");
	if (sqlite3_finalize(st) != SQLITE_OK || sqlite3_exec(db, "COMMIT", 0, 0, 0) != SQLITE_OK)
		die(db, "commit");
	/* The checkpoint on close, made sure of: the WAL back into the database
	 * and truncated to nothing, as the last connection's close would. */
	if (sqlite3_wal_checkpoint_v2(db, NULL, SQLITE_CHECKPOINT_TRUNCATE, &log, &ckpt) != SQLITE_OK)
		die(db, "checkpoint");
	if (sqlite3_close(db) != SQLITE_OK)
		die(db, "close");
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	fprintf(stderr, "loader15: %lld rows in %.2f s: %.0f rows/s\n", rows, secs,
		(double)rows / secs);
	return 0;
}
