#!/usr/bin/env bats
# Integrity and security (issue 12): faults that must stop a run whole,
# hostile input that must change nothing, who may do what.

load test_helper

count() {
	dbq "SELECT count(*) FROM ${1:-incident}"
}

# N characters C
chars() {
	head -c "$1" /dev/zero | tr '\0' "$2"
}

@test "fields up to 16 MiB work in every tool; larger ones are refused at intake" {
	printf '{"subject":"big","description":"%s"}\n' "$(chars 3145728 x)" | inc-log >/dev/null
	run --separate-stderr inc-update --set impact=high 1
	assert_success
	run --separate-stderr inc-classify 1
	assert_success
	printf '{"id":1,"description":"%s"}\n' "$(chars 12582912 y)" | inc-update >/dev/null
	run --separate-stderr inc-close --resolution done 1
	assert_success
	assert_equal "$(inc-show 1 | jq -r '.description | length')" 12582912
	printf '{"subject":"too big","description":"%s"}\n' "$(chars 16777217 z)" >"$BATS_TEST_TMPDIR/big"
	run --separate-stderr inc-log <"$BATS_TEST_TMPDIR/big"
	assert_failure 1
	assert_equal "$stderr" "inc-log: line 1: description: longer than 16 MiB (16777217 bytes)"
	assert_equal "$(count)" 1
}

@test "a line over 64 MiB is refused without being held, the others go on" {
	{
		echo '{"subject":"before"}'
		chars 70000000 a
		echo
		echo '{"subject":"after"}'
	} >"$BATS_TEST_TMPDIR/long"
	run --separate-stderr inc-log <"$BATS_TEST_TMPDIR/long"
	assert_failure 1
	assert_equal "$stderr" "inc-log: line 2: longer than 64 MiB"
	assert_equal "$(jq -r .subject <<<"$output" | tr '\n' ' ')" "before after "
}

@test "a white-space subject is no subject" {
	run --separate-stderr inc-log <<<'{"subject":" \t "}'
	assert_failure 1
	assert_equal "$stderr" "inc-log: line 1: subject: must not be empty"
	run --separate-stderr inc-log -s "   "
	assert_failure 2
	assert_equal "$stderr" "inc-log: subject: must not be empty"
}

@test "a new database is its owner's alone: the file and its WAL, or its group's in a shared folder; on PostgreSQL, no other login's" {
	if [ "$INC_TEST_ENGINE" = pg ]; then
		# what the file's mode keeps from others, the server's grants do:
		# a login the owner granted nothing (inc db roles grants the
		# desk's people: identity.bats) reads and writes no table of it
		inc-log -s x >/dev/null
		local other="o${INC_TEST_PGDB: -20}" t tables
		tables=$(db_tables)
		dbq "CREATE ROLE $other LOGIN" >/dev/null
		for t in $tables; do
			psql -X -q -A -t -d "postgresql:///$INC_TEST_PGDB?host=$INC_TEST_PGHOST&user=$other" \
				-c "SELECT count(*) FROM $t" >>"$BATS_TEST_TMPDIR/read" 2>&1 || true
			psql -X -q -A -t -d "postgresql:///$INC_TEST_PGDB?host=$INC_TEST_PGHOST&user=$other" \
				-c "DELETE FROM $t" >>"$BATS_TEST_TMPDIR/wrote" 2>&1 || true
		done
		dbq "DROP ROLE $other"
		[ "$(wc -l <<<"$tables")" -ge 12 ]
		assert_equal "$(cat "$BATS_TEST_TMPDIR/read")" "$(printf 'ERROR:  permission denied for table %s\n' $tables)"
		assert_equal "$(cat "$BATS_TEST_TMPDIR/wrote")" "$(printf 'ERROR:  permission denied for table %s\n' $tables)"
		assert_equal "$(count)" 1
		return
	fi
	umask 022
	inc-log -s x >/dev/null
	assert_equal "$(stat -c %a "$INC_DB")" 600
	assert_equal "$(stat -c %a "$INC_DB-wal")" 600
	mkdir "$BATS_TEST_TMPDIR/desk"
	chmod 2770 "$BATS_TEST_TMPDIR/desk"
	inc-log -d "$BATS_TEST_TMPDIR/desk/inc.db" -s x >/dev/null
	assert_equal "$(stat -c %a "$BATS_TEST_TMPDIR/desk/inc.db")" 660
}

@test "INC_DB naming what is not a database file, or another program's database" {
	run --separate-stderr inc-log -d /dev/null -s x
	assert_failure 3
	assert_equal "$stderr" "inc-log: /dev/null: not a regular file"
	[ ! -e /dev/null-journal ]
	# another program's database (on PostgreSQL, its tables in the schema)
	local other
	other=$(db_at other)
	INC_DB=$other dbq 'CREATE TABLE notes(x integer); INSERT INTO notes VALUES(1)'
	run --separate-stderr inc-log -d "$other" -s x
	assert_failure 3
	assert_equal "$stderr" "inc-log: $other: not an inc database (it holds tables of another program)"
	assert_equal "$(INC_DB=$other db_tables)" notes
	assert_equal "$(INC_DB=$other dbq 'SELECT x FROM notes')" 1
}

@test "a bad INC_BUSY_TIMEOUT is a usage error, nothing done" {
	INC_BUSY_TIMEOUT=soon run --separate-stderr inc-log -s x
	assert_failure 2
	assert_equal "$stderr" 'inc-log: INC_BUSY_TIMEOUT: bad duration "soon"'
	db_absent
}

@test "a read-only database stops a writing run whole: exit 3, the database named" {
	inc-log -s x >/dev/null
	local db=$INC_DB audit
	audit=$(count audit)
	if [ "$INC_TEST_ENGINE" = pg ]; then
		# a database the server keeps read-only: its sessions' default
		dbq "ALTER DATABASE $INC_TEST_PGDB SET default_transaction_read_only = on"
		run --separate-stderr inc-update --reply hi 1
		assert_equal "$stderr" "inc-update: $INC_DB: 1: cannot execute INSERT in a read-only transaction"
	# root writes anyway: a read-only mount is what refuses it
	elif [ "$(id -u)" = 0 ]; then
		chmod 444 "$INC_DB"
		mkdir "$BATS_TEST_TMPDIR/ro"
		cp "$INC_DB" "$BATS_TEST_TMPDIR/ro/inc.db"
		mount --bind -o ro "$BATS_TEST_TMPDIR/ro" "$BATS_TEST_TMPDIR/ro" 2>/dev/null ||
			skip "cannot mount read-only here"
		mount -o remount,ro,bind "$BATS_TEST_TMPDIR/ro" 2>/dev/null || true
		db=$BATS_TEST_TMPDIR/ro/inc.db
		run --separate-stderr inc-update --reply hi 1 -d "$db"
		umount "$BATS_TEST_TMPDIR/ro"
	else
		chmod 444 "$INC_DB"
		run --separate-stderr inc-update --reply hi 1
	fi
	assert_failure 3
	assert_output ""
	[[ "$stderr" == "inc-update: $db: "* ]] || fail "$stderr"
	assert_equal "$(echo "$stderr" | wc -l)" 1
	assert_equal "$(count audit)" "$audit"
}

@test "taking and resolving follow the group rule of assigning" {
	inc-log -s "printer jammed" -r joe@example.com --group service-desk >/dev/null
	# dana works l2-infra, not service-desk
	run --separate-stderr inc-update --as dana --status in_progress 1
	assert_failure 1
	assert_equal "$stderr" "inc-update: 1: dana is not a member of service-desk (an incident manager can move it across groups)"
	run --separate-stderr inc-close --as dana --resolution "done" 1
	assert_failure 1
	assert_equal "$stderr" "inc-close: 1: dana is not a member of service-desk (an incident manager can move it across groups)"
	assert_equal "$(inc-show 1 | jq -c '[.status, .assignee]')" '["new",null]'
	# a member takes it; a manager resolves across groups
	run --separate-stderr inc-update --as alice --status in_progress 1
	assert_success
	assert_equal "$(jq -c '[.status, .assignee]' <<<"$output")" '["in_progress","alice"]'
	run --separate-stderr inc-close --as maria --resolution "done" 1
	assert_success
}

@test "--now far from the clock: only an admin, unless the database is a test database" {
	unset INC_NOW
	inc-log -s x >/dev/null
	run --separate-stderr inc-log --as maria --now 2020-01-01T00:00:00Z -s y
	assert_failure 2
	assert_equal "$stderr" "inc-log: --now: 2020-01-01T00:00:00Z is not now: on this database only an admin moves the clock (acting as maria)"
	assert_equal "$(count)" 1
	run --separate-stderr inc-log --as root --now "$(date -u -d '-1 hour' +%Y-%m-%dT%H:%M:%SZ)" -s z
	assert_success
	# reading at another time is anyone's business
	run --separate-stderr inc-report --as maria --now 2020-01-01T00:00:00Z
	assert_success
	# a database made under a pinned clock is a test database
	local test
	test=$(db_at test)
	INC_NOW=2026-11-27T10:00:00Z inc-log -d "$test" -s x >/dev/null
	run --separate-stderr inc-log -d "$test" --as maria --now 2026-11-27T11:00:00Z -s y
	assert_success
}
