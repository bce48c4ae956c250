#!/usr/bin/env bats
# The schema and its migrations (share/migrations/): a database made by the
# first release, holding data, is migrated to exactly the schema of a new
# one, its data kept; a newer or a foreign database is refused.

load test_helper

schema() {
	sqlite3 "$1" .schema
}

migrations() {
	find "$INC_ROOT/share/migrations" -maxdepth 1 -name '[0-9][0-9][0-9]-*.sql' | wc -l
}

# A version-1 database as the first release made it (tests/fixtures/schema-v1.sql
# is that schema, frozen: a migration that edits a released file fails here).
v1_db() {
	sqlite3 "$1" >/dev/null <<EOF
PRAGMA journal_mode=WAL;
$(cat "$INC_ROOT/tests/fixtures/schema-v1.sql")
INSERT INTO incident(subject, status, created_at, updated_at, links, custom)
	VALUES('printer jam', 'new', 1795740000, 1795740000, '[]', '{"asset_tag":"P-1"}');
INSERT INTO audit(incident, at, actor, tool, action, new)
	VALUES(1, 1795740000, 'ana', 'inc-log', 'logged', 'printer jam');
PRAGMA user_version=1;
EOF
}

@test "a version-1 database is migrated to the schema of a new one, its data kept" {
	v1_db "$BATS_TEST_TMPDIR/old.db"
	inc-log -d "$BATS_TEST_TMPDIR/new.db" -s x >/dev/null
	run --separate-stderr inc-show -d "$BATS_TEST_TMPDIR/old.db" 1
	assert_success
	assert_equal "$stderr" ""
	assert_equal "$(jq -c '[.subject, .custom, .attachments, .detected_at, .created_at]' <<<"$output")" \
		'["printer jam",{"asset_tag":"P-1"},[],"2026-11-27T00:40:00Z","2026-11-27T00:40:00Z"]'
	assert_equal "$(schema "$BATS_TEST_TMPDIR/old.db")" "$(schema "$BATS_TEST_TMPDIR/new.db")"
	assert_equal "$(sqlite3 "$BATS_TEST_TMPDIR/old.db" 'PRAGMA user_version')" "$(migrations)"
	assert_equal "$(sqlite3 "$BATS_TEST_TMPDIR/old.db" 'SELECT count(*) FROM audit')" 1
}

@test "the first release's schema is frozen as migration 001" {
	assert_equal "$(grep -v '^--' "$INC_ROOT/share/migrations/001-initial.sql")" \
		"$(grep -v '^--' "$INC_ROOT/tests/fixtures/schema-v1.sql")"
}

@test "a database newer than the tools is refused: exit 3, untouched" {
	inc-log -s x >/dev/null
	dbq 'PRAGMA user_version=999'
	run --separate-stderr inc-show 1
	assert_failure 3
	assert_equal "$stderr" "inc-show: $INC_DB: schema version 999 is newer than this inc knows ($(migrations))"
}
