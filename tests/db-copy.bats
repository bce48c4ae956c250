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

# Every row of every table of database $1 (a file or a URI), in a stable
# order.
dump() {
	local t INC_DB=$1
	for t in $(db_tables); do
		echo "== $t"
		dbq "SELECT * FROM \"$t\" ORDER BY 1, 2"
	done
}

@test "a desk copied whole: every table row for row, the same records and KPIs" {
	desk
	local new
	new=$(db_at new)
	run --separate-stderr inc db copy "$INC_DB" "$new"
	assert_success
	assert_equal "$stderr" ""
	assert_output "$(printf '%s\n' '{"table":"incident","rows":2}' \
		"{\"table\":\"audit\",\"rows\":$(dbq 'SELECT count(*) FROM audit')}" \
		'{"table":"task","rows":0}' '{"table":"escalation_fired","rows":0}' \
		'{"table":"hold","rows":0}' '{"table":"rotation","rows":1}' \
		"{\"table\":\"meta\",\"rows\":$(dbq 'SELECT count(*) FROM meta')}" \
		"{\"table\":\"event\",\"rows\":$(dbq 'SELECT count(*) FROM event')}" \
		'{"table":"cursor","rows":2}' \
		"{\"table\":\"outbox\",\"rows\":$(dbq 'SELECT count(*) FROM outbox')}" \
		'{"table":"mail_seen","rows":0}')"
	assert [ "$(dbq 'SELECT count(*) FROM outbox')" -gt 0 ]
	assert_equal "$(dump "$new")" "$(dump "$INC_DB")"
	assert_equal "$(INC_DB=$new inc-show)" "$(inc-show)"
	assert_equal "$(INC_DB=$new inc-report)" "$(inc-report)"
	assert_equal "$(INC_DB=$new inc-show --history 1)" "$(inc-show --history 1)"
	# life goes on there: the consumer's cursor and the ids continue
	export INC_DB=$new
	run --separate-stderr inc-events --consumer feed
	assert_equal "$(jq -c '[.seq, .event.kind]' <<<"$output" | head -1)" "[7,\"replied\"]"
	assert_equal "$(log_one '{"subject":"third"}')" 3
}

# The desk, every consumer at the log's end, the whole log pruned a month
# on: prints the highest seq the desk had given.
pruned_desk() {
	local top
	desk
	inc-events --consumer feed >/dev/null
	top=$(dbq 'SELECT max(seq) FROM event')
	INC_NOW=2026-12-30T10:00:00Z inc-events --prune 1d
	[ "$(dbq 'SELECT count(*) FROM event')" = 0 ] || return 1
	echo "$top"
}

@test "a desk whose log was pruned whole: the copy gives the next number, never one given before" {
	local top new
	top=$(pruned_desk)
	new=$(db_at new)
	run --separate-stderr inc db copy "$INC_DB" "$new"
	assert_success
	export INC_DB=$new INC_NOW=2026-12-30T10:00:00Z
	inc-update --note "after the move" 1 >/dev/null
	assert_equal "$(dbq 'SELECT seq FROM event')" "$((top + 1))"
	# behind feed's cursor it would never have been read
	run --separate-stderr inc-events --consumer feed
	assert_equal "$(jq -c '[.seq, .event.kind]' <<<"$output")" "[$((top + 1)),\"updated\"]"
}

@test "the copy knows every table of the schema" {
	log_one '{"subject":"one"}' >/dev/null
	run --separate-stderr inc db copy "$INC_DB" "$(db_at new)"
	assert_success
	# all but the engine's own (PostgreSQL's schema version and counters)
	assert_equal "$(jq -r .table <<<"$output" | sort)" \
		"$(db_tables | grep -v -x -e inc_schema -e inc_sequence)"
}

@test "into a desk that has incidents: refused, exit 1, nothing written there" {
	desk
	log_one '{"subject":"theirs"}' >/dev/null
	local new before
	new=$(db_at new)
	inc db copy "$INC_DB" "$new" >/dev/null
	before=$(dump "$new")
	run --separate-stderr inc db copy "$INC_DB" "$new"
	assert_failure 1
	assert_output ""
	assert_equal "$stderr" "inc: db copy: $new: not empty (table incident has 3 rows): copy into a new database"
	assert_equal "$(dump "$new")" "$before"
}

@test "a copy that fails leaves no database it made; on a server, no row in it" {
	local dst=$BATS_TEST_TMPDIR/new.db
	if [ "$INC_TEST_ENGINE" = pg ]; then
		# a value inc does not store (a real number) only a SQLite file
		# holds: the desk is one, copied to the server's database
		dst=$INC_DB
		export INC_DB=$BATS_TEST_TMPDIR/desk.db
	fi
	desk
	dbq "UPDATE incident SET rating = 4.5 WHERE id = 2"
	run --separate-stderr inc db copy "$INC_DB" "$dst"
	assert_failure 1
	assert_output ""
	assert_equal "$stderr" "inc: db copy: incident: column rating of row 2 holds a value inc does not store"
	if [ "$INC_TEST_ENGINE" = pg ]; then
		# the server keeps the database it was given, with not a row of
		# the copy; once the value is mended the copy goes through
		assert_equal "$(INC_DB=$dst dbq 'SELECT (SELECT count(*) FROM incident) + (SELECT count(*) FROM audit) + (SELECT count(*) FROM event)')" 0
		dbq "UPDATE incident SET rating = 4 WHERE id = 2"
		run --separate-stderr inc db copy "$INC_DB" "$dst"
		assert_success
		assert_equal "$(INC_DB=$dst dbq 'SELECT id, rating FROM incident ORDER BY id')" "1|
2|4"
	else
		assert [ ! -e "$dst" ]
		assert [ ! -e "$dst-wal" ]
	fi
}

@test "only an admin copies a desk; a missing source is exit 3; usage" {
	desk
	local new nope
	new=$(db_at new)
	run --separate-stderr inc db copy --as alice "$INC_DB" "$new"
	assert_failure 2
	run --separate-stderr env INC_USER=alice inc db copy "$INC_DB" "$new"
	assert_failure 2
	assert_equal "$stderr" "inc: db copy: alice may not copy a desk (role technician)"
	INC_DB=$new db_absent
	# a file not there; on a server, a database without inc's schema
	nope=$(db_at nope)
	run --separate-stderr inc db copy "$nope" "$new"
	assert_failure 3
	assert_equal "$stderr" "inc: $nope: no such database"
	INC_DB=$new db_absent
	for args in "" "copy" "copy $INC_DB" "move $INC_DB x" "copy a b c"; do
		run --separate-stderr inc db $args
		assert_failure 2
		assert_equal "$stderr" "usage: inc db copy SRC DST | inc db roles"
	done
}

@test "a pruned desk from SQLite to PostgreSQL and back: the numbers given go with it" {
	[ "$INC_TEST_ENGINE" = pg ] || skip "PostgreSQL: make check-pg"
	local pg=$INC_DB top
	export INC_DB=$BATS_TEST_TMPDIR/desk.db
	top=$(pruned_desk)
	inc db copy "$INC_DB" "$pg" >/dev/null
	INC_NOW=2026-12-30T10:00:00Z INC_DB=$pg inc-update --note "on the server" 1 >/dev/null
	assert_equal "$(INC_DB=$pg dbq 'SELECT seq FROM event')" "$((top + 1))"
	# prune it there too, and back: the next is past that one
	INC_DB=$pg inc-events --consumer feed >/dev/null
	INC_NOW=2026-12-30T10:00:00Z INC_DB=$pg inc-notify --queue-only >/dev/null
	INC_NOW=2027-01-30T10:00:00Z INC_DB=$pg inc-events --prune 1d
	assert_equal "$(INC_DB=$pg dbq 'SELECT count(*) FROM event')" 0
	inc db copy "$pg" "$BATS_TEST_TMPDIR/back.db" >/dev/null
	export INC_DB=$BATS_TEST_TMPDIR/back.db INC_NOW=2027-01-30T10:00:00Z
	inc-update --note "home again" 1 >/dev/null
	assert_equal "$(dbq 'SELECT seq FROM event')" "$((top + 2))"
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
		"$(for t in $(jq -r .table <<<"$output"); do dbq "SELECT count(*) FROM $t"; done | awk '{ s += $1 } END { print s }')"
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
