/*
 * loader - the yardstick bulk inc-log is measured against: about the least
 * a C program must do to load incident JSON lines into inc's incident
 * table. Each line is parsed with Jansson and inserted by one prepared
 * statement, all in one transaction, on a database in WAL mode with
 * synchronous=NORMAL and inc's own schema (so the same indexes are kept
 * up to date). It maps fields as inc-log does (category "a/b", created_at
 * as ISO 8601 or epoch seconds, unknown fields into custom) but validates
 * nothing, writes no audit trail and no output.
 *
 *	loader SCHEMA.sql DB < incidents.jsonl
 *
 * Prints "N rows in S s: R rows/s" on stderr.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>
#include <sqlite3.h>

static const char *const known[] = {"subject", "description", "requester", "source",
	"category", "subcategory", "impact", "urgency", "priority", "external_id",
	"links", "custom", "created_at", NULL};

enum { C_SUBJECT = 1, C_DESCRIPTION, C_REQUESTER, C_SOURCE, C_CATEGORY,
       C_SUBCATEGORY, C_IMPACT, C_URGENCY, C_PRIORITY, C_EXTERNAL_ID, C_LINKS,
       C_CUSTOM, C_CREATED, C_UPDATED };

static const char sql_insert[] =
	"INSERT INTO incident(subject, description, requester, source, category,"
	" subcategory, impact, urgency, priority, external_id, links, custom,"
	" created_at, updated_at) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?)";

static void
die(sqlite3 *db, const char *what)
{
	fprintf(stderr, "loader: %s: %s\n", what, db ? sqlite3_errmsg(db) : "failed");
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

static void
bind_str(sqlite3_stmt *st, int i, const json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));

	if (s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

static char *
slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t len = 0;
	FILE *m;

	if (!f) {
		perror(path);
		exit(1);
	}
	m = open_memstream(&buf, &len);
	for (int c; (c = getc(f)) != EOF;)
		putc(c, m);
	fclose(f);
	fclose(m);
	return buf;
}

static int
is_known(const char *k)
{
	for (int i = 0; known[i]; i++)
		if (strcmp(k, known[i]) == 0)
			return 1;
	return 0;
}

int
main(int argc, char **argv)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	char *line = NULL, *schema;
	size_t cap = 0;
	ssize_t n;
	long long rows = 0;
	int64_t now = (int64_t)time(NULL);
	struct timespec t0, t1;
	double secs;

	if (argc != 3) {
		fprintf(stderr, "usage: loader SCHEMA.sql DB < incidents.jsonl\n");
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	schema = slurp(argv[1]);
	if (sqlite3_open(argv[2], &db) != SQLITE_OK)
		die(db, argv[2]);
	if (sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL", 0, 0, 0)
	    != SQLITE_OK || sqlite3_exec(db, schema, 0, 0, 0) != SQLITE_OK)
		die(db, argv[1]);
	free(schema);
	if (sqlite3_exec(db, "BEGIN", 0, 0, 0) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, sql_insert, -1, &st, NULL) != SQLITE_OK)
		die(db, "prepare");
	while ((n = getline(&line, &cap, stdin)) > 0) {
		json_t *o = json_loadb(line, (size_t)n, 0, NULL), *custom, *v;
		const char *k, *cat;
		char *links = NULL, *cj = NULL, *slash;

		if (!json_is_object(o)) {
			fprintf(stderr, "loader: a line that is not a JSON object\n");
			json_decref(o);
			continue;
		}
		bind_str(st, C_SUBJECT, o, "subject");
		bind_str(st, C_DESCRIPTION, o, "description");
		bind_str(st, C_REQUESTER, o, "requester");
		bind_str(st, C_SOURCE, o, "source");
		bind_str(st, C_SUBCATEGORY, o, "subcategory");
		cat = json_string_value(json_object_get(o, "category"));
		if (cat && (slash = strchr(cat, '/'))) {
			sqlite3_bind_text(st, C_CATEGORY, cat, (int)(slash - cat), SQLITE_TRANSIENT);
			sqlite3_bind_text(st, C_SUBCATEGORY, slash + 1, -1, SQLITE_TRANSIENT);
		} else {
			bind_str(st, C_CATEGORY, o, "category");
		}
		bind_str(st, C_IMPACT, o, "impact");
		bind_str(st, C_URGENCY, o, "urgency");
		bind_str(st, C_PRIORITY, o, "priority");
		bind_str(st, C_EXTERNAL_ID, o, "external_id");
		if ((v = json_object_get(o, "links")))
			links = json_dumps(v, JSON_COMPACT);
		sqlite3_bind_text(st, C_LINKS, links ? links : "[]", -1, SQLITE_TRANSIENT);
		/* the caller's own fields, and those inc does not know */
		custom = json_object_get(o, "custom");
		custom = json_is_object(custom) ? json_copy(custom) : json_object();
		json_object_foreach(o, k, v)
			if (!is_known(k))
				json_object_set(custom, k, v);
		cj = json_dumps(custom, JSON_COMPACT);
		sqlite3_bind_text(st, C_CUSTOM, cj, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, C_CREATED, when(json_object_get(o, "created_at"), now));
		sqlite3_bind_int64(st, C_UPDATED, now);
		if (sqlite3_step(st) == SQLITE_DONE) {
			rows++;
		} else if (sqlite3_errcode(db) == SQLITE_CONSTRAINT) {
			/* an external_id seen before, say: that line only */
			fprintf(stderr, "loader: %s\n", sqlite3_errmsg(db));
		} else {
			die(db, "insert");
		}
		sqlite3_reset(st);
		free(links);
		free(cj);
		json_decref(custom);
		json_decref(o);
	}
	free(line);
	sqlite3_finalize(st);
	if (sqlite3_exec(db, "COMMIT", 0, 0, 0) != SQLITE_OK)
		die(db, "commit");
	sqlite3_close(db);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	fprintf(stderr, "loader: %lld rows in %.2f s: %.0f rows/s\n", rows, secs,
		(double)rows / secs);
	return 0;
}
