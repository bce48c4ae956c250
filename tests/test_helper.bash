# Shared set-up for every bats file: a fresh database and config folder per
# test, a pinned clock, the shipped config, and the tools of this build.
# shellcheck shell=bash

bats_require_minimum_version 1.5.0

load '/usr/lib/bats/bats-support/load'
load '/usr/lib/bats/bats-assert/load'

INC_ROOT="$(cd "$BATS_TEST_DIRNAME/.." && pwd)"
export INC_ROOT

# INC_TEST_ENGINE=pg runs a test on PostgreSQL: a database of its own on
# the throwaway cluster whose socket folder is INC_TEST_PGHOST (started
# once per run by tests/pg-cluster.sh: make check-pg). INC_DB is then a
# libpq URI; dbq reads and writes the database whichever the engine.
INC_TEST_ENGINE="${INC_TEST_ENGINE:-sqlite}"
export INC_TEST_ENGINE

setup() {
	export INC_DB="$BATS_TEST_TMPDIR/inc.db"
	if [ "$INC_TEST_ENGINE" = pg ]; then
		if [ -z "${INC_TEST_PGHOST:-}" ]; then
			echo "INC_TEST_ENGINE=pg needs INC_TEST_PGHOST (make check-pg)" >&2
			return 1
		fi
		INC_TEST_PGDB="t_$(basename "$BATS_TEST_TMPDIR" | tr -c 'a-zA-Z0-9\n' _)_$$_$RANDOM"
		export INC_TEST_PGDB
		createdb -h "$INC_TEST_PGHOST" -U inc "$INC_TEST_PGDB"
		INC_DB="postgresql:///$INC_TEST_PGDB?host=$INC_TEST_PGHOST&user=inc"
	fi
	export INC_CONFIG="$INC_ROOT/share/config.json"
	export INC_NOW="2026-11-27T10:00:00Z"	# a Friday, 11:00 in Berlin
	export INC_USER="root"			# admin in the shipped config
	export HOME="$BATS_TEST_TMPDIR/home"
	export XDG_CONFIG_HOME="$BATS_TEST_TMPDIR/xdg-config"
	export XDG_DATA_HOME="$BATS_TEST_TMPDIR/xdg-data"
	unset INC_BUSY_TIMEOUT COLUMNS TZDIR
	mkdir -p "$HOME"
	PATH="$INC_ROOT/bin:$PATH"
	if [ -n "${INC_VALGRIND:-}" ]; then
		# every tool under valgrind: a leak or bad access fails the test
		mkdir -p "$BATS_TEST_TMPDIR/vg"
		for t in "$INC_ROOT"/bin/*; do
			printf '#!/bin/sh\nexec valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite "%s" "$@"\n' "$t" \
				>"$BATS_TEST_TMPDIR/vg/${t##*/}"
			chmod +x "$BATS_TEST_TMPDIR/vg/${t##*/}"
		done
		PATH="$BATS_TEST_TMPDIR/vg:$PATH"
	fi
	export PATH
	if declare -F local_setup >/dev/null; then
		local_setup
	fi
}

# The test's database is dropped after it (PostgreSQL: the cluster
# outlives the test). A file's own teardown calls pg_teardown.
pg_teardown() {
	if [ "$INC_TEST_ENGINE" = pg ] && [ -n "${INC_TEST_PGDB:-}" ]; then
		dropdb -h "$INC_TEST_PGHOST" -U inc --force "$INC_TEST_PGDB" 2>/dev/null || true
		if [ -f "$BATS_TEST_TMPDIR/pg-dbs" ]; then
			while read -r db; do
				dropdb -h "$INC_TEST_PGHOST" -U inc --force "$db" 2>/dev/null || true
			done <"$BATS_TEST_TMPDIR/pg-dbs"
		fi
	fi
}
teardown() {
	pg_teardown
}

# The test's database gone, as if never made (the next tool makes it anew).
drop_db() {
	if [ "$INC_TEST_ENGINE" = pg ]; then
		dropdb -h "$INC_TEST_PGHOST" -U inc --force "$INC_TEST_PGDB"
		createdb -h "$INC_TEST_PGHOST" -U inc "$INC_TEST_PGDB"
	else
		rm "$INC_DB"
	fi
}

# Succeeds when no tool has made the test's database: no SQLite file; on
# PostgreSQL no table in its schema (a tool makes them as it connects).
db_absent() {
	if [ "$INC_TEST_ENGINE" = pg ]; then
		[ "$(db_tables | wc -l)" -eq 0 ]
	else
		[ ! -e "$INC_DB" ]
	fi
}

# The tables of the database, one a line, sorted.
db_tables() {
	if [ "$INC_TEST_ENGINE" = pg ]; then
		dbq "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
	else
		dbq "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
	fi
}

# The schema version the database records (SQLite's user_version, the
# table inc_schema on PostgreSQL); db_version N records N, as a migration
# does.
db_version() {
	if [ $# -eq 0 ]; then
		if [ "$INC_TEST_ENGINE" = pg ]; then
			dbq "SELECT max(version) FROM inc_schema"
		else
			dbq "PRAGMA user_version"
		fi
	elif [ "$INC_TEST_ENGINE" = pg ]; then
		dbq "CREATE TABLE IF NOT EXISTS inc_schema(version integer NOT NULL);
			DELETE FROM inc_schema; INSERT INTO inc_schema VALUES($1)"
	else
		dbq "PRAGMA user_version=$1"
	fi
}

# The database's schema as text (sqlite3's .schema, pg_dump's), to
# compare two databases: INC_DB=OTHER db_schema.
db_schema() {
	if [ "$INC_TEST_ENGINE" = pg ]; then
		pg_dump -d "$INC_DB" --schema-only | grep -v -e '^\\restrict ' -e '^\\unrestrict '
	else
		sqlite3 "$INC_DB" .schema
	fi
}

# Another database of the test, NAME, not made yet: its path, or on
# PostgreSQL its URI (an empty database, dropped after the test).
db_at() {
	if [ "$INC_TEST_ENGINE" = pg ]; then
		createdb -h "$INC_TEST_PGHOST" -U inc "${INC_TEST_PGDB}_$1"
		echo "${INC_TEST_PGDB}_$1" >>"$BATS_TEST_TMPDIR/pg-dbs"
		echo "postgresql:///${INC_TEST_PGDB}_$1?host=$INC_TEST_PGHOST&user=inc"
	else
		echo "$BATS_TEST_TMPDIR/$1.db"
	fi
}

# The folder inc-mail keeps attachments in: beside the SQLite file; for a
# database on a server, the data folder (XDG_DATA_HOME/inc).
attachments_dir() {
	if [ "$INC_TEST_ENGINE" = pg ]; then
		echo "$XDG_DATA_HOME/inc/attachments"
	else
		echo "$(dirname "$INC_DB")/attachments"
	fi
}

# "ok" when the database's structures are sound: SQLite's integrity check;
# on PostgreSQL amcheck over every index of the schema (heap included).
db_integrity() {
	if [ "$INC_TEST_ENGINE" = pg ]; then
		dbq "CREATE EXTENSION IF NOT EXISTS amcheck" >/dev/null &&
			dbq "SELECT count(bt_index_check(c.oid, true)) FROM pg_index i
				JOIN pg_class c ON c.oid = i.indexrelid
				JOIN pg_namespace n ON n.oid = c.relnamespace
				JOIN pg_am a ON a.oid = c.relam
				WHERE n.nspname = current_schema() AND a.amname = 'btree'" >/dev/null &&
			echo ok
	else
		sqlite3 "$INC_DB" 'PRAGMA integrity_check'
	fi
}

# Everything the database holds, as text: sqlite3's .dump, pg_dump's.
db_dump() {
	if [ "$INC_TEST_ENGINE" = pg ]; then
		# less the random key of pg_dump's \restrict lines, new every run
		pg_dump -d "$INC_DB" --inserts | grep -v -e '^\\restrict ' -e '^\\unrestrict '
	else
		sqlite3 "$INC_DB" .dump
	fi
}

# One value a query selects into FILE, byte for byte: db_write FILE SQL.
db_write() {
	if [ "$INC_TEST_ENGINE" = pg ]; then
		# psql ends the value with a newline of its own
		psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$INC_DB" -c "$2" -o "$1" && truncate -s -1 "$1"
	else
		sqlite3 "$INC_DB" "SELECT writefile('$1', ($2))" >/dev/null
	fi
}

# Each row of a query, "SELECT name, value ...", as the file DIR/name
# holding value byte for byte: db_write_rows DIR SQL.
db_write_rows() {
	if [ "$INC_TEST_ENGINE" = pg ]; then
		local name b64 st
		psql -X -q -A -t -F ' ' -v ON_ERROR_STOP=1 -d "$INC_DB" \
			-c "SELECT name, translate(encode(convert_to(value, 'UTF8'), 'base64'), E'\\n', '') FROM ($2) AS q" |
			while read -r name b64; do
				printf '%s' "$b64" | base64 -d >"$1/$name" || exit 1
			done
		st=("${PIPESTATUS[@]}")
		[ "${st[0]}" -eq 0 ] && [ "${st[1]}" -eq 0 ]
		return
	fi
	sqlite3 "$INC_DB" "SELECT writefile('$1/' || name, value) FROM ($2)" >/dev/null
}

# SQL that takes the writers' lock and prints "locked" (then hold it
# until ROLLBACK): what another writer waits for.
lock_sql() {
	if [ "$INC_TEST_ENGINE" = pg ]; then
		echo "BEGIN; SELECT 'locked' FROM (SELECT pg_advisory_xact_lock(6909795)) AS l;"
	else
		echo "BEGIN IMMEDIATE; SELECT 'locked';"
	fi
}

# SQL on the test's database, output as sqlite3 prints it (columns joined
# by |, no header, true and false as 1 and 0): dbq SQL, or SQL on stdin.
# The fixtures' SQLite functions, unixepoch('TIME'), datetime(COLUMN,
# 'unixepoch'), char(N), json_extract(COLUMN, '$.KEY') (text) and
# json_array_length(COLUMN, '$.KEY'), are spelt for PostgreSQL on the way.
dbq() {
	if [ "$INC_TEST_ENGINE" = pg ]; then
		# unbuffered: statements from a fifo are answered as they come
		if [ $# -eq 0 ]; then cat; else printf '%s\n' "$1"; fi |
			sed -u -e "s/unixepoch(\('[^']*'\))/CAST(extract(epoch FROM timestamp \1) AS bigint)/g" \
			    -e "s/datetime(\([a-z_]*\), 'unixepoch')/to_char(to_timestamp(\1) AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS')/g" \
			    -e "s/\bchar(\([0-9]*\))/chr(\1)/g" \
			    -e "s/\bjson_extract(\([a-z_.]*\), '\\\$\.\([a-z_]*\)')/(CAST(\1 AS json) ->> '\2')/g" \
			    -e "s/\bjson_array_length(\([a-z_.]*\), '\\\$\.\([a-z_]*\)')/json_array_length(CAST(\1 AS json) -> '\2')/g" |
			psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$INC_DB" | sed -u -e 's/^t$/1/' -e 's/^f$/0/'
		return "${PIPESTATUS[2]}"
	fi
	sqlite3 "$INC_DB" "$@"
}

# Skip a test that only holds on SQLite (its file, its locks, its pragmas).
sqlite_only() {
	if [ "$INC_TEST_ENGINE" = pg ]; then
		skip "${1:-SQLite only}"
	fi
}

# Use a config of the test's own: make_config NAME < file  (JSON on stdin).
make_config() {
	cat >"$BATS_TEST_TMPDIR/$1.json"
	export INC_CONFIG="$BATS_TEST_TMPDIR/$1.json"
}

# The shipped config edited by a jq filter: edit_config 'FILTER'.
edit_config() {
	jq "$1" "$INC_ROOT/share/config.json" >"$BATS_TEST_TMPDIR/edited.json"
	export INC_CONFIG="$BATS_TEST_TMPDIR/edited.json"
}

# Log one incident from a JSON object; prints its id.
log_one() {
	inc-log <<<"$1" | jq -r .id
}
