#!/usr/bin/env bats
# The schema and its migrations (share/migrations/, share/migrations/pg/):
# a database made by the first release, holding data, is migrated to
# exactly the schema of a new one, its data kept; a newer or a foreign
# database is refused. On PostgreSQL the same with its own schema.

load test_helper

migrations() {
	find "$INC_ROOT/share/migrations" -maxdepth 1 -name '[0-9][0-9][0-9]-*.sql' | wc -l
}

# A version-1 database as the first release made it, at INC_DB
# (tests/fixtures/schema-v1.sql, schema-v1-pg.sql for PostgreSQL: that
# schema, frozen: a migration that edits a released file fails here).
v1_db() {
	local schema=schema-v1.sql
	if [ "$INC_TEST_ENGINE" = pg ]; then
		schema=schema-v1-pg.sql
	else
		dbq 'PRAGMA journal_mode=WAL' >/dev/null
	fi
	dbq >/dev/null <<EOF
$(cat "$INC_ROOT/tests/fixtures/$schema")
INSERT INTO incident(subject, status, created_at, updated_at, links, custom)
	VALUES('printer jam', 'new', 1795740000, 1795740000, '[]', '{"asset_tag":"P-1"}');
INSERT INTO audit(incident, at, actor, tool, action, new)
	VALUES(1, 1795740000, 'ana', 'inc-log', 'logged', 'printer jam');
EOF
	db_version 1 >/dev/null
}

@test "a version-1 database is migrated to the schema of a new one, its data kept" {
	local old new
	old=$(db_at old)
	new=$(db_at new)
	INC_DB=$old v1_db
	assert_equal "$(INC_DB=$old db_version)" 1
	inc-log -d "$new" -s x >/dev/null
	run --separate-stderr inc-show -d "$old" 1
	assert_success
	assert_equal "$stderr" ""
	assert_equal "$(jq -c '[.subject, .custom, .attachments, .detected_at, .created_at]' <<<"$output")" \
		'["printer jam",{"asset_tag":"P-1"},[],"2026-11-27T00:40:00Z","2026-11-27T00:40:00Z"]'
	assert_equal "$(INC_DB=$old db_schema)" "$(INC_DB=$new db_schema)"
	assert_equal "$(INC_DB=$old db_version)" "$(migrations)"
	assert_equal "$(INC_DB=$old dbq 'SELECT count(*) FROM audit')" 1
	# the next ids follow the first release's
	run --separate-stderr inc-log -d "$old" -s "toner low"
	assert_success
	assert_equal "$(jq -r .id <<<"$output")" 2
	assert_equal "$(INC_DB=$old dbq "SELECT incident, action FROM audit ORDER BY seq")" "1|logged
2|logged"
}

@test "the first release's schema is frozen as migration 001, on both engines" {
	assert_equal "$(grep -v '^--' "$INC_ROOT/share/migrations/001-initial.sql")" \
		"$(grep -v '^--' "$INC_ROOT/tests/fixtures/schema-v1.sql")"
	assert_equal "$(grep -v '^--' "$INC_ROOT/share/migrations/pg/001-initial.sql")" \
		"$(grep -v '^--' "$INC_ROOT/tests/fixtures/schema-v1-pg.sql")"
	# and every step is taken on both
	assert_equal "$(cd "$INC_ROOT/share/migrations/pg" && ls [0-9][0-9][0-9]-*.sql)" \
		"$(cd "$INC_ROOT/share/migrations" && ls [0-9][0-9][0-9]-*.sql)"
}

@test "a database newer than the tools is refused: exit 3, untouched" {
	inc-log -s x >/dev/null
	db_version 999 >/dev/null
	md5=$(db_dump | md5sum)
	run --separate-stderr inc-show 1
	assert_failure 3
	assert_output ""
	assert_equal "$stderr" "inc-show: $INC_DB: schema version 999 is newer than this inc knows ($(migrations))"
	run --separate-stderr inc-log -s y
	assert_failure 3
	assert_equal "$stderr" "inc-log: $INC_DB: schema version 999 is newer than this inc knows ($(migrations))"
	assert_equal "$(db_dump | md5sum)" "$md5"
	assert_equal "$(db_version)" 999
}
