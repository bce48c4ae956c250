#!/usr/bin/env bats
# inc db copy SRC DST: a whole desk moved to another database, row for row:
# incidents, the audit trail, the event log and its cursors, the outbox;
# verified by counts; refused into a desk that has incidents.
load test_helper

# A desk with some history: logged, classified, assigned, a reply, a
# breach seen by inc-sla, a notification queued, a consumer part way.
desk() {
	printf '%s\n' '{"subject":"VPN drops","requester":"joe@example.com"}' \
		'{"subject":"printer jammed","requester":"ann@example.com"}' |
		inc-log | inc-classify | inc-assign >/dev/null
	inc-events --consumer feed >/dev/null
	export INC_NOW=2026-11-27T10:05:00Z
	inc-update --as alice --reply "on it" 1 >/dev/null
	export INC_NOW=2026-11-28T10:00:00Z
	inc-sla >/dev/null
	inc-notify --queue-only >/dev/null
}

# These tests read SQLite files whole; on PostgreSQL the last one runs.
sqlite_only() {
	[ "$INC_TEST_ENGINE" != pg ] || skip "reads SQLite files: the last test is PostgreSQL's"
}

# Every row of every table, in a stable order.
dump() {
	local t
	for t in $(sqlite3 "$1" "SELECT name FROM sqlite_master WHERE type = 'table'
			AND name NOT LIKE 'sqlite%' ORDER BY name"); do
		echo "== $t"
		sqlite3 "$1" "SELECT * FROM \"$t\" ORDER BY 1, 2"
	done
}

@test "a desk copied whole: every table row for row, the same records and KPIs" {
	sqlite_only
	desk
	run --separate-stderr inc db copy "$INC_DB" "$BATS_TEST_TMPDIR/new.db"
	assert_success
	assert_equal "$stderr" ""
	assert_output "$(printf '%s\n' '{"table":"incident","rows":2}' \
		"{\"table\":\"audit\",\"rows\":$(sqlite3 "$INC_DB" 'SELECT count(*) FROM audit')}" \
		'{"table":"task","rows":0}' '{"table":"escalation_fired","rows":0}' \
		'{"table":"hold","rows":0}' '{"table":"rotation","rows":1}' \
		"{\"table\":\"meta\",\"rows\":$(sqlite3 "$INC_DB" 'SELECT count(*) FROM meta')}" \
		"{\"table\":\"event\",\"rows\":$(sqlite3 "$INC_DB" 'SELECT count(*) FROM event')}" \
		'{"table":"cursor","rows":2}' \
		"{\"table\":\"outbox\",\"rows\":$(sqlite3 "$INC_DB" 'SELECT count(*) FROM outbox')}" \
		'{"table":"mail_seen","rows":0}')"
	assert [ "$(sqlite3 "$INC_DB" 'SELECT count(*) FROM outbox')" -gt 0 ]
	assert_equal "$(dump "$BATS_TEST_TMPDIR/new.db")" "$(dump "$INC_DB")"
	assert_equal "$(INC_DB=$BATS_TEST_TMPDIR/new.db inc-show)" "$(inc-show)"
	assert_equal "$(INC_DB=$BATS_TEST_TMPDIR/new.db inc-report)" "$(inc-report)"
	assert_equal "$(INC_DB=$BATS_TEST_TMPDIR/new.db inc-show --history 1)" "$(inc-show --history 1)"
	# life goes on there: the consumer's cursor and the ids continue
	export INC_DB=$BATS_TEST_TMPDIR/new.db
	run --separate-stderr inc-events --consumer feed
	assert_equal "$(jq -c '[.seq, .event.kind]' <<<"$output" | head -1)" "[7,\"replied\"]"
	assert_equal "$(log_one '{"subject":"third"}')" 3
}

@test "the copy knows every table of the schema" {
	sqlite_only
	log_one '{"subject":"one"}' >/dev/null
	run --separate-stderr inc db copy "$INC_DB" "$BATS_TEST_TMPDIR/new.db"
	assert_success
	assert_equal "$(jq -r .table <<<"$output" | sort)" \
		"$(sqlite3 "$INC_DB" "SELECT name FROM sqlite_master WHERE type = 'table'
			AND name NOT LIKE 'sqlite%' ORDER BY name")"
}

@test "into a desk that has incidents: refused, exit 1, nothing written there" {
	sqlite_only
	desk
	log_one '{"subject":"theirs"}' >/dev/null
	inc db copy "$INC_DB" "$BATS_TEST_TMPDIR/new.db" >/dev/null
	before=$(dump "$BATS_TEST_TMPDIR/new.db")
	run --separate-stderr inc db copy "$INC_DB" "$BATS_TEST_TMPDIR/new.db"
	assert_failure 1
	assert_output ""
	assert_equal "$stderr" "inc: db copy: $BATS_TEST_TMPDIR/new.db: not empty (table incident has 3 rows): copy into a new database"
	assert_equal "$(dump "$BATS_TEST_TMPDIR/new.db")" "$before"
}

@test "a copy that fails leaves no database it made" {
	sqlite_only
	desk
	sqlite3 "$INC_DB" "UPDATE incident SET rating = 4.5 WHERE id = 2"
	run --separate-stderr inc db copy "$INC_DB" "$BATS_TEST_TMPDIR/new.db"
	assert_failure 1
	assert_equal "$stderr" "inc: db copy: incident: column rating of row 2 holds a value inc does not store"
	assert [ ! -e "$BATS_TEST_TMPDIR/new.db" ]
	assert [ ! -e "$BATS_TEST_TMPDIR/new.db-wal" ]
}

@test "only an admin copies a desk; a missing source is exit 3; usage" {
	sqlite_only
	desk
	run --separate-stderr inc db copy --as alice "$INC_DB" "$BATS_TEST_TMPDIR/new.db"
	assert_failure 2
	run --separate-stderr env INC_USER=alice inc db copy "$INC_DB" "$BATS_TEST_TMPDIR/new.db"
	assert_failure 2
	assert_equal "$stderr" "inc: db copy: alice may not copy a desk (role technician)"
	assert [ ! -e "$BATS_TEST_TMPDIR/new.db" ]
	run --separate-stderr inc db copy "$BATS_TEST_TMPDIR/nope.db" "$BATS_TEST_TMPDIR/new.db"
	assert_failure 3
	assert_equal "$stderr" "inc: $BATS_TEST_TMPDIR/nope.db: no such database"
	assert [ ! -e "$BATS_TEST_TMPDIR/new.db" ]
	for args in "" "copy" "copy $INC_DB" "move $INC_DB x" "copy a b c"; do
		run --separate-stderr inc db $args
		assert_failure 2
		assert_equal "$stderr" "usage: inc db copy SRC DST | inc db roles"
	done
}

@test "SQLite to PostgreSQL and back: the same records, history, cursors and KPIs" {
	[ "$INC_TEST_ENGINE" = pg ] || skip "PostgreSQL: make check-pg"
	local pg=$INC_DB
	export INC_DB=$BATS_TEST_TMPDIR/desk.db
	desk
	run --separate-stderr inc db copy "$INC_DB" "$pg"
	assert_success
	assert_equal "$stderr" ""
	assert_equal "$(jq -r .rows <<<"$output" | awk '{ s += $1 } END { print s }')" \
		"$(for t in $(jq -r .table <<<"$output"); do sqlite3 "$INC_DB" "SELECT count(*) FROM $t"; done | awk '{ s += $1 } END { print s }')"
	for args in "inc-show" "inc-report" "inc-show --history 1" "inc-events --consumers" \
		    "inc-report --by priority" "inc-show --format table"; do
		assert_equal "$(INC_DB=$pg $args)" "$($args)"
	done
	# and back again: every row as it was
	run --separate-stderr inc db copy "$pg" "$BATS_TEST_TMPDIR/back.db"
	assert_success
	assert_equal "$(dump "$BATS_TEST_TMPDIR/back.db")" "$(dump "$INC_DB")"
	# the desk goes on there: ids and cursors continue
	export INC_DB=$pg
	assert_equal "$(log_one '{"subject":"third"}')" 3
	run --separate-stderr inc-events --consumer feed
	assert_equal "$(jq -c '[.seq, .event.kind]' <<<"$output" | head -1)" "[7,\"replied\"]"
}
