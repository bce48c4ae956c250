#!/usr/bin/env bats
# inc: the dispatcher, init, config check and path, help; and the time
# forms every tool reads from --now / INC_NOW (SPEC sections 2, 4, 5).
load test_helper

SHIPPED_CONFIG="$INC_ROOT/share/config.json"

# What inc init adds on PostgreSQL, run by the database's owner: a third line
roles_line() {
	if [ "$INC_TEST_ENGINE" = pg ]; then
		printf '\nroles: group roles, grants and row-level security in place (logins: inc db roles)'
	fi
}

@test "inc log ... runs inc-log ...: the same output" {
	run --separate-stderr inc log -s x -r ann --impact high
	assert_success
	assert_equal "$stderr" ""
	local via_inc=$output
	INC_DB=$(db_at other)
	export INC_DB
	run --separate-stderr inc-log -s x -r ann --impact high
	assert_equal "$output" "$via_inc"
}

@test "inc show, with -d and -c given before the command" {
	local a
	a=$(db_at a)
	inc-log -d "$a" -s "in a" >/dev/null
	run --separate-stderr inc -d "$a" -c "$SHIPPED_CONFIG" show 1
	assert_success
	assert_equal "$(jq -r .subject <<<"$output")" "in a"
	run --separate-stderr inc show 1
	assert_failure 1
	assert_equal "$stderr" "inc-show: 1: no such incident"
}

@test "inc events and inc notify run their tools" {
	inc-log -s x >/dev/null
	run --separate-stderr inc events --since-seq 0
	assert_success
	assert_equal "$(jq -c '[.seq, .id, .event.kind]' <<<"$output")" '[1,1,"logged"]'
	run --separate-stderr inc notify --list
	assert_success
}

@test "a tool's status passes through the dispatcher" {
	run --separate-stderr inc log --impact huge -s x
	assert_failure 2
	assert_equal "$stderr" 'inc-log: impact: unknown impact "huge" (want high, medium or low)'
	run --separate-stderr inc log <<<'oops'
	assert_failure 1
	assert_equal "$stderr" "inc-log: line 1: invalid JSON: '[' or '{' expected near 'oops'"
}

@test "inc init: the database and the starter config, said on stdout" {
	unset INC_CONFIG INC_DB
	run --separate-stderr inc init
	assert_success
	assert_equal "$stderr" ""
	assert_output "database: $XDG_DATA_HOME/inc/inc.db
config: $XDG_CONFIG_HOME/inc/config.json (written)"
	cmp "$SHIPPED_CONFIG" "$XDG_CONFIG_HOME/inc/config.json"
	# the default database is a SQLite file, whatever the engine of the run
	assert_equal "$(INC_DB=$XDG_DATA_HOME/inc/inc.db dbq 'PRAGMA journal_mode')" wal
	assert_equal "$(INC_DB=$XDG_DATA_HOME/inc/inc.db dbq 'SELECT count(*) FROM incident')" 0
	# the tools now find both by themselves
	run --separate-stderr inc config path
	assert_output "$XDG_CONFIG_HOME/inc/config.json"
	inc log -s x >/dev/null
	assert_equal "$(INC_DB=$XDG_DATA_HOME/inc/inc.db dbq 'SELECT count(*) FROM incident')" 1
}

@test "inc init never overwrites a config" {
	unset INC_CONFIG
	mkdir -p "$XDG_CONFIG_HOME/inc"
	jq '.closure_codes += ["mine"]' "$SHIPPED_CONFIG" >"$XDG_CONFIG_HOME/inc/config.json"
	cp "$XDG_CONFIG_HOME/inc/config.json" "$BATS_TEST_TMPDIR/before.json"
	run --separate-stderr inc init
	assert_success
	assert_output "database: $INC_DB
config: $XDG_CONFIG_HOME/inc/config.json (kept)$(roles_line)"
	cmp "$BATS_TEST_TMPDIR/before.json" "$XDG_CONFIG_HOME/inc/config.json"
	run --separate-stderr inc init
	assert_success
	assert_line --index 1 "config: $XDG_CONFIG_HOME/inc/config.json (kept)"
}

@test "inc init without XDG_CONFIG_HOME: ~/.config/inc" {
	unset INC_CONFIG XDG_CONFIG_HOME
	run --separate-stderr inc init
	assert_success
	assert_line --index 1 "config: $HOME/.config/inc/config.json (written)"
	cmp "$SHIPPED_CONFIG" "$HOME/.config/inc/config.json"
}

@test "inc init with INC_CONFIG or -c naming a file not there yet: the starter config there" {
	export INC_CONFIG="$BATS_TEST_TMPDIR/etc/desk/inc.json"
	run --separate-stderr inc init
	assert_success
	assert_equal "$stderr" ""
	assert_output "database: $INC_DB
config: $INC_CONFIG (written)$(roles_line)"
	cmp "$SHIPPED_CONFIG" "$INC_CONFIG"
	[ ! -e "$XDG_CONFIG_HOME/inc/config.json" ]
	run --separate-stderr inc init
	assert_success
	assert_line --index 1 "config: $INC_CONFIG (kept)"
	unset INC_CONFIG
	run --separate-stderr inc -c "$BATS_TEST_TMPDIR/other.json" init
	assert_success
	assert_line --index 1 "config: $BATS_TEST_TMPDIR/other.json (written)"
	run --separate-stderr inc -c "$BATS_TEST_TMPDIR/other.json" config check
	assert_output "$BATS_TEST_TMPDIR/other.json: ok"
}

@test "inc init: a database that cannot be created is exit 3, no config written" {
	unset INC_CONFIG
	run --separate-stderr inc -d "$BATS_TEST_TMPDIR/no/dir/x.db" init
	assert_failure 3
	assert_equal "$stderr" "inc: $BATS_TEST_TMPDIR/no/dir/x.db: unable to open database file"
	[ ! -e "$XDG_CONFIG_HOME/inc/config.json" ]
	run --separate-stderr inc init now
	assert_failure 2
	assert_equal "$stderr" "usage: inc init"
}

@test "inc config check: the config in use, or a file" {
	run --separate-stderr inc config check
	assert_success
	assert_output "$SHIPPED_CONFIG: ok"
	cp "$SHIPPED_CONFIG" "$BATS_TEST_TMPDIR/mine.json"
	run --separate-stderr inc config check "$BATS_TEST_TMPDIR/mine.json"
	assert_success
	assert_output "$BATS_TEST_TMPDIR/mine.json: ok"
	run --separate-stderr inc -c "$BATS_TEST_TMPDIR/mine.json" config check
	assert_output "$BATS_TEST_TMPDIR/mine.json: ok"
}

@test "inc config check: minimal configs are whole" {
	for c in '{}' '{"people":[]}' '{"calendars":[{"name":"24x7"}]}'; do
		echo "$c" >"$BATS_TEST_TMPDIR/min.json"
		run --separate-stderr inc config check "$BATS_TEST_TMPDIR/min.json"
		assert_success
		assert_output "$BATS_TEST_TMPDIR/min.json: ok"
	done
}

@test "inc config check: bad configs, FILE: PATH: problem, exit 2" {
	local f="$BATS_TEST_TMPDIR/bad.json" filter msg
	while IFS='|' read -r filter msg; do
		jq "$filter" "$SHIPPED_CONFIG" >"$f"
		run --separate-stderr inc config check "$f"
		assert_failure 2
		assert_output ""
		assert_equal "$stderr" "inc: $f: $msg"
	done <<'EOF'
.sla[0].calendar = "moon"|sla[0]: calendar: unknown calendar "moon" (want 24x7 or office-berlin)
.groups[0].escalate_to = "nowhere"|groups[0]: escalate_to: unknown group "nowhere" (want service-desk, l2-infra or l3-network)
.groups[1].escalate_to = "l2-infra"|groups[1]: escalate_to: a group cannot escalate to itself
.groups[0].members += ["zoe"]|groups[0]: members[3]: unknown person "zoe" (want alice, bob, chen, dana, erik, fay, gus, maria, omar, pat or root)
.groups[0].manager = "zoe"|groups[0]: manager: unknown person "zoe" (want alice, bob, chen, dana, erik, fay, gus, maria, omar, pat or root)
.groups[0].strategy = "random"|groups[0]: strategy: unknown strategy "random" (want round_robin, least_loaded or skills)
.groups += [{"name":"l2-infra"}]|groups[3]: name: "l2-infra" listed twice
.defaults.group = "nowhere"|defaults.group: unknown group "nowhere" (want service-desk, l2-infra or l3-network)
.defaults.impact = "huge"|defaults.impact: unknown impact "huge" (want high, medium or low)
.defaults.urgency = "now"|defaults.urgency: unknown urgency "now" (want high, medium or low)
.rules[0].set.impact = "huge"|rules[0].set: impact: unknown impact "huge" (want high, medium or low)
.rules[1].set.group = "nowhere"|rules[1].set: group: unknown group "nowhere" (want service-desk, l2-infra or l3-network)
.rules[1].set.category = "nope"|rules[1].set: category: unknown category "nope" (want network, hardware, access, email or service)
.rules[1].set.subcategory = "nope"|rules[1].set: subcategory: unknown subcategory "nope" of "network" (want vpn, wifi or lan)
.rules[1].set.status = "closed"|rules[1].set: unknown field "status"
.rules[1].match.text = "(vpn"|rules[1]: match.text: bad regex "(vpn": missing closing parenthesis at offset 4
.rules[1].match.body = "x"|rules[1]: match: unknown field "body"
.priority_matrix.high.high = "urgent"|priority_matrix: high.high: unknown priority "urgent" (want critical, high, medium or low)
.priority_matrix.low = {"high":"medium","medium":"low"}|priority_matrix: low.low: missing
.levels.impact = []|levels.impact: must not be empty
.levels.impact = ["high","high"]|levels.impact: [1]: "high" listed twice
.sla[0].response = "15x"|sla[0].response: bad duration "15x" (want e.g. 90s, 15m, 4h, 1h30m)
.sla[1].resolve = "h"|sla[1].resolve: bad duration "h" (want e.g. 90s, 15m, 4h, 1h30m)
.sla[0].response = -5|sla[0].response: bad duration of the wrong type (want e.g. 90s, 15m, 4h, 1h30m)
.sla[1].resolve = 1855975627687576|sla[1].resolve: duration 1855975627687576s is longer than 100 years
.sla[1].resolve = "36601d"|sla[1].resolve: duration "36601d" is longer than 100 years
.sla[0].warn = 1.5|sla[0]: warn: expected a number in (0, 1]
.sla[2].match.colour = "red"|sla[2].match: unknown field "colour"
.escalation[3].after = "2 hours"|escalation[3].after: bad duration "2 hours" (want e.g. 90s, 15m, 4h, 1h30m)
.escalation[0].on = "whenever"|escalation[0]: on: unknown event "whenever" (want response_warning, response_breached, resolve_warning or resolve_breached)
.escalation[0].action = "panic"|escalation[0]: action: unknown action "panic" (want notify, functional or hierarchical)
.reopen_window = "1y"|reopen_window: bad duration "1y" (want e.g. 90s, 15m, 4h, 1h30m)
.colour = "red"|(top level): unknown key "colour"
.groups[0].colour = "red"|groups[0]: unknown key "colour"
.sla[0].colour = "red"|sla[0]: unknown key "colour"
.people[0].role = "king"|people[0]: role: unknown role "king" (want requester, technician, incident_manager, process_owner or admin)
.people[0].max_open = -1|people[0]: max_open: expected a non-negative integer
.calendars[1].timezone = "Mars/Olympus"|calendars[1]: timezone: unknown time zone "Mars/Olympus"
.timezone = "Mars/Olympus"|timezone: unknown time zone "Mars/Olympus"
.timezone = 1|timezone: expected an IANA time zone name (e.g. Europe/Berlin)
.timezone = ""|timezone: expected an IANA time zone name (e.g. Europe/Berlin)
.calendars[1].hours.mon = ["17:00-09:00"]|calendars[1]: hours.mon[0]: bad interval "17:00-09:00" (start must be before end)
.calendars[1].hours.sun = ["9-17"]|calendars[1]: hours.sun[0]: bad interval "9-17" (want HH:MM-HH:MM)
.calendars[1].hours.fri = ["09:00-12:00","11:00-17:00"]|calendars[1]: hours.fri[1]: "11:00-17:00" overlaps or precedes "09:00-12:00" (want sorted, non-overlapping intervals)
.calendars[1].hours.funday = []|calendars[1]: hours: unknown day "funday" (want mon, tue, wed, thu, fri, sat or sun)
.calendars[1].holidays = ["2026-13-01"]|calendars[1]: holidays[0]: bad date "2026-13-01"
.calendars[1].colour = "red"|calendars[1]: unknown key "colour"
.categories["a/b"] = {}|categories.a/b: a category name must be non-empty, without '/'
.categories.hardware.form.asset_tag.required = "yes"|categories.hardware: form.asset_tag.required: expected true or false
EOF
}

@test "inc config check: not JSON, not an object, no such file" {
	local f="$BATS_TEST_TMPDIR/bad.json"
	printf '{\n  "levels": {,}\n}\n' >"$f"
	run --separate-stderr inc config check "$f"
	assert_failure 2
	assert_equal "$stderr" "inc: $f: line 2: string or '}' expected near ','"
	echo '[]' >"$f"
	run --separate-stderr inc config check "$f"
	assert_failure 2
	assert_equal "$stderr" "inc: $f: expected a JSON object"
	printf '{"people":[],"people":[]}' >"$f"
	run --separate-stderr inc config check "$f"
	assert_failure 2
	assert_equal "$stderr" "inc: $f: line 1: duplicate object key near '\"people\"'"
	run --separate-stderr inc config check "$BATS_TEST_TMPDIR/none.json"
	assert_failure 2
	assert_equal "$stderr" "inc: $BATS_TEST_TMPDIR/none.json: unable to open $BATS_TEST_TMPDIR/none.json: No such file or directory"
}

@test "a bad config stops every tool before anything is done" {
	echo '{"colour":"red"}' >"$BATS_TEST_TMPDIR/bad.json"
	run --separate-stderr inc -c "$BATS_TEST_TMPDIR/bad.json" log -s x
	assert_failure 2
	assert_equal "$stderr" "inc-log: $BATS_TEST_TMPDIR/bad.json: (top level): unknown key \"colour\""
	run --separate-stderr inc-show -c "$BATS_TEST_TMPDIR/bad.json"
	assert_failure 2
	db_absent
}

@test "inc config path: -c, INC_CONFIG, XDG_CONFIG_HOME, ~/.config, the shipped default" {
	unset INC_CONFIG
	run --separate-stderr inc config path
	assert_success
	assert_output "$INC_ROOT/share/config.json"
	if [ -e /etc/inc/config.json ]; then
		skip "/etc/inc/config.json exists: the shipped default is not reached"
	fi
	mkdir -p "$HOME/.config/inc" "$XDG_CONFIG_HOME/inc"
	echo '{}' >"$HOME/.config/inc/config.json"
	run --separate-stderr inc config path
	assert_output "$INC_ROOT/share/config.json"
	XDG_CONFIG_HOME='' run --separate-stderr inc config path
	assert_output "$HOME/.config/inc/config.json"
	echo '{}' >"$XDG_CONFIG_HOME/inc/config.json"
	run --separate-stderr inc config path
	assert_output "$XDG_CONFIG_HOME/inc/config.json"
	INC_CONFIG=/some/where.json run --separate-stderr inc config path
	assert_output /some/where.json
	INC_CONFIG=/some/where.json run --separate-stderr inc -c "$BATS_TEST_TMPDIR/c.json" config path
	assert_output "$BATS_TEST_TMPDIR/c.json"
	# the tools read the same one
	echo '{"colour":1}' >"$XDG_CONFIG_HOME/inc/config.json"
	run --separate-stderr inc-log -s x
	assert_failure 2
	assert_equal "$stderr" "inc-log: $XDG_CONFIG_HOME/inc/config.json: (top level): unknown key \"colour\""
}

@test "inc config path: /etc/inc/config.json before the shipped default" {
	[ -n "${INC_TEST_ETC:-}" ] || skip "writes /etc/inc: set INC_TEST_ETC=1 to run"
	[ ! -e /etc/inc ] || skip "/etc/inc exists already"
	unset INC_CONFIG
	mkdir /etc/inc
	echo '{}' >/etc/inc/config.json
	run --separate-stderr inc config path
	rm -r /etc/inc
	assert_output /etc/inc/config.json
}

@test "inc config: bad use is exit 2" {
	run --separate-stderr inc config
	assert_failure 2
	assert_equal "$stderr" "usage: inc config check [FILE] | inc config path"
	run --separate-stderr inc config path extra
	assert_failure 2
	run --separate-stderr inc config lint
	assert_failure 2
	assert_equal "$stderr" "usage: inc config check [FILE] | inc config path"
}

@test "inc help, inc -h, inc --help: the commands on stdout" {
	run --separate-stderr inc help
	assert_success
	assert_equal "$stderr" ""
	assert_line --index 0 "usage: inc [-d DB] [-c CONFIG] COMMAND [ARG...]"
	assert_line "  log        log new incidents (inc-log)"
	assert_line "  help       this text, or help COMMAND for its manual"
	local help=$output
	run --separate-stderr inc -h
	assert_success
	assert_equal "$output" "$help"
	run --separate-stderr inc --help
	assert_equal "$output" "$help"
}

@test "inc help log: the manual page" {
	mkdir -p "$BATS_TEST_TMPDIR/man/man1"
	cp "$INC_ROOT/man/inc-log.1" "$BATS_TEST_TMPDIR/man/man1/"
	MANPATH="$BATS_TEST_TMPDIR/man" MANPAGER=cat run --separate-stderr inc help log
	assert_success
	assert_line --regexp '^SYNOPSIS'
	assert_line --regexp '^ +inc-log +\[-d DB\]'
}

@test "inc help log without man(1): the tool's usage" {
	mkdir "$BATS_TEST_TMPDIR/nothing"
	run --separate-stderr env PATH="$BATS_TEST_TMPDIR/nothing" "$INC_ROOT/bin/inc" help log
	assert_success
	assert_output --regexp '^usage: inc-log '
}

@test "inc help of an unknown command, an unknown command, no command: exit 2" {
	run --separate-stderr inc help frobnicate
	assert_failure 2
	assert_equal "$stderr" 'inc: help: unknown command "frobnicate" (want log, classify, assign, update, task, sla, escalate, close, show, report, events, notify, mail or import)'
	run --separate-stderr inc frobnicate
	assert_failure 2
	assert_output ""
	assert_equal "$stderr" 'inc: unknown command "frobnicate" (want log, classify, assign, update, task, sla, escalate, close, show, report, events, notify, mail, import, init, config, db, help or version)'
	run --separate-stderr inc
	assert_failure 2
	assert_equal "$stderr" "usage: inc [-d DB] [-c CONFIG] COMMAND [ARG...]"
}

@test "inc with an unknown option names it, then the usage: exit 2" {
	run --separate-stderr inc --bogus log
	assert_failure 2
	assert_output ""
	assert_equal "$stderr" $'inc: unknown option --bogus\nusage: inc [-d DB] [-c CONFIG] COMMAND [ARG...]'
	run --separate-stderr inc -x
	assert_failure 2
	assert_equal "$stderr" $'inc: unknown option -x\nusage: inc [-d DB] [-c CONFIG] COMMAND [ARG...]'
	run --separate-stderr inc -d
	assert_failure 2
	assert_equal "$stderr" $'inc: option -d needs an argument\nusage: inc [-d DB] [-c CONFIG] COMMAND [ARG...]'
}

@test "inc version, inc --version" {
	run --separate-stderr inc version
	assert_success
	assert_output "inc 0.1.0"
	run --separate-stderr inc --version
	assert_output "inc 0.1.0"
}

@test "time forms for --now and INC_NOW: Z, offsets, epoch, date, relative" {
	local form want
	while read -r form want; do
		run --separate-stderr inc log --now "$form" -s x
		assert_success
		assert_equal "$(jq -r .created_at <<<"$output")" "$want"
		INC_NOW=$form run --separate-stderr inc-log -s x
		assert_equal "$(jq -r .created_at <<<"$output")" "$want"
	done <<'EOF'
2026-11-27T04:23:00Z 2026-11-27T04:23:00Z
2026-11-27T05:23:00+01:00 2026-11-27T04:23:00Z
2026-11-27T05:23:00+0100 2026-11-27T04:23:00Z
2026-11-26T23:23:00-05:00 2026-11-27T04:23:00Z
2026-11-27T04:23:00.999Z 2026-11-27T04:23:00Z
2026-11-27T04:23:00 2026-11-27T04:23:00Z
2026-11-27T04:23Z 2026-11-27T04:23:00Z
1795753380 2026-11-27T04:23:00Z
2026-11-27 2026-11-27T00:00:00Z
1970-01-01T00:00:00Z 1970-01-01T00:00:00Z
EOF
	# only years 1970 to 9999 are times
	run --separate-stderr inc-log --now 1969-12-31T23:59:59Z -s x
	assert_failure 2
	assert_equal "$stderr" 'inc-log: --now: bad time "1969-12-31T23:59:59Z"'
	INC_NOW=99999999999999 run --separate-stderr inc-log -s x
	assert_failure 2
	assert_equal "$stderr" 'inc-log: INC_NOW: bad time "99999999999999"'
	# --now wins over INC_NOW
	INC_NOW=2020-01-01T00:00:00Z run --separate-stderr inc-log --now 2026-11-27T04:23:00Z -s x
	assert_equal "$(jq -r .created_at <<<"$output")" 2026-11-27T04:23:00Z
}

@test "a relative --now counts from the real clock" {
	run --separate-stderr inc-log --now -1d -s x
	assert_success
	local got want
	got=$(date -u -d "$(jq -r .created_at <<<"$output")" +%s)
	want=$(($(date -u +%s) - 86400))
	[ "$got" -ge "$((want - 60))" ] && [ "$got" -le "$want" ]
}

@test "bad times for --now and INC_NOW: exit 2, nothing done" {
	local form
	for form in yesterday 2026-13-01T00:00:00Z 2026-02-29T00:00:00Z 2026-11-27T25:00:00Z \
		2026-11-27T04:23:00+1 2026-11-27T04:23:00Zjunk 27/11/2026 -1x; do
		run --separate-stderr inc log --now "$form" -s x
		assert_failure 2
		assert_equal "$stderr" "inc-log: --now: bad time \"$form\""
		INC_NOW=$form run --separate-stderr inc-show
		assert_failure 2
		assert_equal "$stderr" "inc-show: INC_NOW: bad time \"$form\""
	done
	db_absent
}
