#!/usr/bin/env bats
# inc-events: the event log every tool appends to in the transaction of its
# change, read in seq order (--since-seq, --kind), through durable consumer
# cursors (--consumer, --seek, --exec, --consumers), followed (--follow) and
# pruned (--prune); its access rules, its triggers, its errors.
load test_helper

# Incident 1 (joe's): logged (seq 1), assigned to alice (2), taken in hand
# by alice at 10:05 (3); the test goes on at 10:05 (history runs forward).
three_events() {
	log_one '{"subject":"printer offline","requester":"joe@example.com"}' >/dev/null
	inc-assign 1 >/dev/null
	export INC_NOW=2026-11-27T10:05:00Z
	inc-update --as alice --status in_progress 1 >/dev/null
}

# [seq, incident, kind] of each line of $output.
summary() {
	jq -c '[.seq, .id, .event.kind]' <<<"$output"
}

events_in_log() {
	dbq 'SELECT count(*) FROM event'
}

# Wait, up to $3 seconds, for file $1 to hold $2 lines.
wait_lines() {
	local i
	for ((i = 0; i < $3 * 20; i++)); do
		[ "$(wc -l <"$1")" -ge "$2" ] && return 0
		sleep 0.05
	done
	return 1
}

teardown() {
	if [ -n "${pid:-}" ]; then
		kill "$pid" 2>/dev/null || true
	fi
	pg_teardown
}

@test "events in seq order, each the incident's current record with seq and event" {
	three_events
	run --separate-stderr inc-events
	assert_success
	assert_equal "$stderr" ""
	assert_equal "${#lines[@]}" 3
	assert_equal "${lines[0]}" '{"id":1,"ref":"INC-1","subject":"printer offline","description":null,"requester":"joe@example.com","source":null,"category":null,"subcategory":null,"impact":null,"urgency":null,"priority":null,"status":"in_progress","group":"service-desk","assignee":"alice","major":false,"sla":null,"escalation_level":0,"reassignment_count":0,"reopen_count":0,"resolution":null,"resolution_type":null,"closure_code":null,"rating":null,"feedback":null,"links":[],"attachments":[],"external_id":null,"custom":{},"detected_at":"2026-11-27T10:00:00Z","created_at":"2026-11-27T10:00:00Z","updated_at":"2026-11-27T10:05:00Z","resolved_at":null,"closed_at":null,"seq":1,"event":{"kind":"logged","at":"2026-11-27T10:00:00Z","actor":"root","tool":"inc-log"}}'
	# the record is the incident as it is now, whatever the event
	assert_equal "$(jq -c '{seq, status, assignee, updated_at}' <<<"$output")" \
'{"seq":1,"status":"in_progress","assignee":"alice","updated_at":"2026-11-27T10:05:00Z"}
{"seq":2,"status":"in_progress","assignee":"alice","updated_at":"2026-11-27T10:05:00Z"}
{"seq":3,"status":"in_progress","assignee":"alice","updated_at":"2026-11-27T10:05:00Z"}'
	# the record is inc-show's, with seq and event after it
	assert_equal "$(jq -c 'del(.seq, .event)' <<<"${lines[2]}")" "$(inc-show 1)"
}

@test "the event: what the tool wrote, with at, actor and tool added" {
	three_events
	run --separate-stderr inc-events
	assert_success
	assert_equal "$(jq -c .event <<<"$output")" \
'{"kind":"logged","at":"2026-11-27T10:00:00Z","actor":"root","tool":"inc-log"}
{"kind":"assigned","group":"service-desk","assignee":"alice","strategy":"round_robin","at":"2026-11-27T10:00:00Z","actor":"root","tool":"inc-assign"}
{"kind":"updated","changed":["status"],"at":"2026-11-27T10:05:00Z","actor":"alice","tool":"inc-update"}'
	assert_equal "$(dbq 'SELECT seq, at, actor, tool, incident, kind, data FROM event')" \
'1|1795773600|root|inc-log|1|logged|{"kind":"logged"}
2|1795773600|root|inc-assign|1|assigned|{"kind":"assigned","group":"service-desk","assignee":"alice","strategy":"round_robin"}
3|1795773900|alice|inc-update|1|updated|{"kind":"updated","changed":["status"]}'
}

@test "an empty log: nothing, exit 0" {
	run --separate-stderr inc-events </dev/null
	assert_success
	assert_output ""
	assert_equal "$stderr" ""
}

@test "every tool's events land in the log, in order" {
	inc-log -s "mail down" -r joe@example.com --impact high --urgency high --major >/dev/null
	inc-classify 1 >/dev/null
	inc-assign 1 >/dev/null
	INC_NOW=2026-11-27T10:12:00Z inc-sla >/dev/null
	INC_NOW=2026-11-27T10:12:00Z inc-escalate 1 >/dev/null
	INC_NOW=2026-11-27T10:13:00Z inc-update --as bob --reply "on it" 1 >/dev/null
	INC_NOW=2026-11-27T10:14:00Z inc-update --as bob --status in_progress 1 >/dev/null
	INC_NOW=2026-11-27T14:01:00Z inc-sla >/dev/null
	INC_NOW=2026-11-27T14:01:00Z inc-escalate 1 >/dev/null
	INC_NOW=2026-11-27T14:30:00Z inc-close --resolution fixed 1 >/dev/null
	INC_NOW=2026-11-27T14:40:00Z inc-close --as joe@example.com --reopen --reason "still down" 1 >/dev/null
	INC_NOW=2026-11-27T15:00:00Z inc-close --resolution "fixed again" 1 >/dev/null
	INC_NOW=2026-11-27T15:10:00Z inc-close --as joe@example.com --confirm --rating 5 1 >/dev/null
	run --separate-stderr inc-events
	assert_success
	assert_equal "$(jq -r '[.seq, .event.at, .event.actor, .event.tool, (.event | del(.at, .actor, .tool) | tojson)] | join(" ")' <<<"$output")" \
'1 2026-11-27T10:00:00Z root inc-log {"kind":"logged"}
2 2026-11-27T10:00:00Z root inc-log {"kind":"major_declared"}
3 2026-11-27T10:00:00Z root inc-classify {"kind":"classified"}
4 2026-11-27T10:00:00Z root inc-assign {"kind":"assigned","group":"service-desk","assignee":"alice","strategy":"round_robin"}
5 2026-11-27T10:12:00Z root inc-sla {"kind":"sla_warning","target":"response"}
6 2026-11-27T10:12:00Z root inc-escalate {"kind":"notified","type":"notify","notify":["alice@example.com"],"reason":"response_warning: response due 2026-11-27T10:15:00Z"}
7 2026-11-27T10:13:00Z bob inc-update {"kind":"replied","changed":[],"by":"desk","text":"on it"}
8 2026-11-27T10:14:00Z bob inc-update {"kind":"updated","changed":["status"]}
9 2026-11-27T14:01:00Z root inc-sla {"kind":"sla_breached","target":"resolve","overdue_s":60}
10 2026-11-27T14:01:00Z root inc-escalate {"kind":"notified","type":"notify","notify":["alice@example.com","maria@example.com"],"reason":"resolve_warning: resolve due 2026-11-27T14:00:00Z"}
11 2026-11-27T14:01:00Z root inc-escalate {"kind":"escalated","type":"functional","level":1,"from":"service-desk","to":"l2-infra","notify":["omar@example.com"],"reason":"resolve_breached: resolve due 2026-11-27T14:00:00Z"}
12 2026-11-27T14:30:00Z root inc-close {"kind":"resolved"}
13 2026-11-27T14:40:00Z joe@example.com inc-close {"kind":"reopened","reason":"still down"}
14 2026-11-27T15:00:00Z root inc-close {"kind":"resolved"}
15 2026-11-27T15:10:00Z joe@example.com inc-close {"kind":"closed"}'
}

@test "queued, a reassignment by hand and major_declared by inc-update are logged" {
	edit_config '.people |= map(if .role == "technician" then .available = false else . end)'
	log_one '{"subject":"nobody here"}' >/dev/null
	inc-assign 1 >/dev/null
	export INC_CONFIG="$INC_ROOT/share/config.json"
	inc-assign 1 >/dev/null
	inc-assign --to bob 1 >/dev/null
	inc-update --major 1 >/dev/null
	run --separate-stderr inc-events --since-seq 1
	assert_success
	assert_equal "$(jq -c '.event | del(.at, .actor, .tool)' <<<"$output")" \
'{"kind":"queued","group":"service-desk"}
{"kind":"assigned","group":"service-desk","assignee":"alice","strategy":"round_robin"}
{"kind":"assigned","group":"service-desk","assignee":"bob","strategy":"hand","from":"alice"}
{"kind":"major_declared"}
{"kind":"updated","changed":["major"]}'
}

@test "what changes nothing, or is refused, writes no event" {
	three_events
	# assigned already: shown, not logged
	run --separate-stderr inc-assign 1
	assert_success
	assert_equal "$(jq -c .event <<<"$output")" '{"kind":"assigned","group":"service-desk","assignee":"alice","existing":true}'
	# a dry run
	run --separate-stderr inc-classify --dry-run 1
	assert_success
	# an external_id seen before
	log_one '{"subject":"disk full","external_id":"alert-7"}' >/dev/null
	log_one '{"subject":"disk full","external_id":"alert-7"}' >/dev/null
	assert_equal "$(events_in_log)" 4
	# refused moves
	run --separate-stderr inc-update --status on_hold 2
	assert_failure 1
	assert_equal "$stderr" "inc-update: 2: cannot move from new to on_hold"
	run --separate-stderr inc-close --confirm 1
	assert_failure 1
	assert_equal "$stderr" "inc-close: 1: not resolved (status in_progress): resolve it first"
	assert_equal "$(events_in_log)" 4
	# in a batch, the refused line leaves no event and the good one its own
	run --separate-stderr inc-update <<<'{"id":1,"status":"on_hold"}
{"id":2,"status":"on_hold"}'
	assert_failure 1
	assert_equal "$stderr" "inc-update: line 2: cannot move from new to on_hold"
	assert_equal "$(dbq 'SELECT seq, incident, kind FROM event WHERE seq > 4')" "5|1|updated"
}

@test "--since-seq N: the events after N" {
	three_events
	run --separate-stderr inc-events --since-seq 1
	assert_success
	assert_equal "$(summary)" $'[2,1,"assigned"]\n[3,1,"updated"]'
	run --separate-stderr inc-events --since-seq 0
	assert_equal "$(summary)" $'[1,1,"logged"]\n[2,1,"assigned"]\n[3,1,"updated"]'
	run --separate-stderr inc-events --since-seq 3
	assert_success
	assert_output ""
	run --separate-stderr inc-events --since-seq 99
	assert_success
	assert_output ""
	assert_equal "$stderr" ""
}

@test "--kind: only those kinds" {
	three_events
	run --separate-stderr inc-events --kind updated,logged
	assert_success
	assert_equal "$(summary)" $'[1,1,"logged"]\n[3,1,"updated"]'
	run --separate-stderr inc-events --kind queued
	assert_success
	assert_output ""
	run --separate-stderr inc-events --kind logged,bogus
	assert_failure 2
	assert_output ""
	assert_equal "$stderr" 'inc-events: --kind: unknown event "bogus" (want logged, classified, assigned, queued, updated, sla_warning, sla_breached, escalated, notified, replied, major_declared, resolved, closed or reopened)'
	run --separate-stderr inc-events --kind ,
	assert_failure 2
	assert_equal "$stderr" 'inc-events: --kind: no kind given'
}

@test "a consumer sees each event once, across runs; another one independently" {
	three_events
	run --separate-stderr inc-events --consumer a
	assert_success
	assert_equal "$(summary)" $'[1,1,"logged"]\n[2,1,"assigned"]\n[3,1,"updated"]'
	run --separate-stderr inc-events --consumer a
	assert_success
	assert_output ""
	inc-update --note "toner ordered" 1 >/dev/null
	run --separate-stderr inc-events --consumer a
	assert_success
	assert_equal "$(summary)" '[4,1,"updated"]'
	assert_equal "$stderr" ""
	run --separate-stderr inc-events --consumer b
	assert_equal "$(summary)" $'[1,1,"logged"]\n[2,1,"assigned"]\n[3,1,"updated"]\n[4,1,"updated"]'
	run --separate-stderr inc-events --consumer a
	assert_output ""
}

@test "--kind with a cursor passes over the other kinds" {
	three_events
	run --separate-stderr inc-events --consumer a --kind assigned
	assert_success
	assert_equal "$(summary)" '[2,1,"assigned"]'
	run --separate-stderr inc-events --consumer a
	assert_success
	assert_output ""
	inc-update --note "toner ordered" 1 >/dev/null
	run --separate-stderr inc-events --consumer a
	assert_equal "$(summary)" '[4,1,"updated"]'
}

@test "--kind with a cursor: other kinds, more than a batch of them, passed over; the cursor at the log's end" {
	# 1,200 incidents logged (events 1-1200), a note (1201), 3 more logged
	jq -nc 'range(1200) | {subject: "noise \(.)"}' | inc-log >/dev/null
	inc-update --note "toner ordered" 7 >/dev/null
	jq -nc 'range(3) | {subject: "after \(.)"}' | inc-log >/dev/null
	run --separate-stderr inc-events --consumer a --kind updated
	assert_success
	assert_equal "$(summary)" '[1201,7,"updated"]'
	assert_equal "$(dbq "SELECT seq FROM cursor WHERE name = 'a'")" 1204
	# five kinds: filtered as they are read, the same
	run --separate-stderr inc-events --consumer b --kind updated,classified,assigned,queued,resolved
	assert_success
	assert_equal "$(summary)" '[1201,7,"updated"]'
	assert_equal "$(dbq "SELECT seq FROM cursor WHERE name = 'b'")" 1204
	# --exec: run once, the cursor at the end too
	run --separate-stderr inc-events --consumer c --kind updated --exec 'echo "$INC_EVENT_SEQ"'
	assert_success
	assert_output 1201
	assert_equal "$(dbq "SELECT seq FROM cursor WHERE name = 'c'")" 1204
	# none of those kinds at all: nothing printed, the cursor at the end
	run --separate-stderr inc-events --consumer d --kind resolved
	assert_success
	assert_output ""
	assert_equal "$(dbq "SELECT seq FROM cursor WHERE name = 'd'")" 1204
	# and the next one is read
	inc-update --note "delivered" 7 >/dev/null
	run --separate-stderr inc-events --consumer a --kind updated
	assert_equal "$(summary)" '[1205,7,"updated"]'
}

@test "--kind of more than four, --exec failing after a batch of other kinds: the cursor stays before it, and it runs once next time" {
	# 600 incidents logged (events 1-600), a note (601), 3 more logged
	jq -nc 'range(600) | {subject: "noise \(.)"}' | inc-log >/dev/null
	inc-update --note "toner ordered" 7 >/dev/null
	jq -nc 'range(3) | {subject: "after \(.)"}' | inc-log >/dev/null
	run --separate-stderr inc-events --consumer a --kind updated,classified,assigned,queued,resolved \
		--exec 'exit 4'
	assert_failure 1
	assert_equal "$stderr" "inc-events: event 601 (INC-7 updated): exit 4: exit status 4"
	run dbq "SELECT seq < 601 FROM cursor WHERE name = 'a'"
	assert_output 1
	run --separate-stderr inc-events --consumer a --kind updated,classified,assigned,queued,resolved \
		--exec 'echo "$INC_EVENT_SEQ"'
	assert_success
	assert_output 601
	assert_equal "$(dbq "SELECT seq FROM cursor WHERE name = 'a'")" 604
}

@test "--seek end and --seek N set the cursor, and print nothing" {
	three_events
	run --separate-stderr inc-events --consumer a --seek end
	assert_success
	assert_output ""
	assert_equal "$stderr" ""
	run --separate-stderr inc-events --consumer a
	assert_output ""
	inc-update --note "toner ordered" 1 >/dev/null
	run --separate-stderr inc-events --consumer a
	assert_equal "$(summary)" '[4,1,"updated"]'
	# back, for a replay
	run --separate-stderr inc-events --consumer a --seek 2
	assert_success
	assert_output ""
	run --separate-stderr inc-events --consumer a
	assert_equal "$(summary)" $'[3,1,"updated"]\n[4,1,"updated"]'
	inc-events --consumer a --seek 0
	run --separate-stderr inc-events --consumer a --kind logged
	assert_equal "$(summary)" '[1,1,"logged"]'
	# on an empty log, end is 0
	drop_db
	inc-events --consumer new --seek end
	assert_equal "$(dbq 'SELECT name, seq FROM cursor')" "new|0"
}

@test "--consumers: one line per cursor, with how far behind" {
	three_events
	inc-events --consumer b --seek 1
	INC_NOW=2026-11-27T10:30:00Z inc-events --consumer a >/dev/null
	run --separate-stderr inc-events --consumers
	assert_success
	assert_equal "$output" \
'{"consumer":"a","seq":3,"at":"2026-11-27T10:30:00Z","behind":0}
{"consumer":"b","seq":1,"at":"2026-11-27T10:05:00Z","behind":2}'
	assert_equal "$stderr" ""
	drop_db
	run --separate-stderr inc-events --consumers
	assert_success
	assert_output ""
}

@test "--exec: CMD gets the line on stdin and INC_EVENT_SEQ, INC_EVENT_KIND, INC_INCIDENT" {
	three_events
	run --separate-stderr inc-events --consumer hook --exec 'cat >>"$BATS_TEST_TMPDIR/lines"; echo "$INC_EVENT_SEQ $INC_EVENT_KIND $INC_INCIDENT"'
	assert_success
	assert_equal "$output" $'1 logged 1\n2 assigned 1\n3 updated 1'
	assert_equal "$stderr" ""
	# the very lines inc-events writes
	assert_equal "$(cat "$BATS_TEST_TMPDIR/lines")" "$(inc-events)"
	run --separate-stderr inc-events --consumers
	assert_equal "$(jq -c '[.consumer, .seq, .behind]' <<<"$output")" '["hook",3,0]'
	# nothing left to run
	run --separate-stderr inc-events --consumer hook --exec 'echo ran'
	assert_success
	assert_output ""
}

@test "--exec: a failing CMD stops the run, exit 1; the event comes again next run" {
	three_events
	fail_on_2='cat >/dev/null; [ "$INC_EVENT_SEQ" != 2 ] || exit 3; echo "ran $INC_EVENT_SEQ"'
	run --separate-stderr inc-events --consumer hook --exec "$fail_on_2"
	assert_failure 1
	assert_output "ran 1"
	assert_equal "$stderr" "inc-events: event 2 (INC-1 assigned): $fail_on_2: exit status 3"
	run --separate-stderr inc-events --consumers
	assert_equal "$(jq -c '[.consumer, .seq, .behind]' <<<"$output")" '["hook",1,2]'
	# again: the same event fails, the one before is not run again
	run --separate-stderr inc-events --consumer hook --exec "$fail_on_2"
	assert_failure 1
	assert_output ""
	# once CMD succeeds, that event and the rest
	run --separate-stderr inc-events --consumer hook --exec 'echo "ran $INC_EVENT_SEQ"'
	assert_success
	assert_output $'ran 2\nran 3'
	assert_equal "$stderr" ""
}

@test "--exec: a CMD killed by a signal failed" {
	three_events
	run --separate-stderr inc-events --consumer hook --exec 'kill -9 $$'
	assert_failure 1
	assert_output ""
	assert_equal "$stderr" 'inc-events: event 1 (INC-1 logged): kill -9 $$: killed by signal 9'
	assert_equal "$(dbq 'SELECT name, seq FROM cursor')" "hook|0"
}

@test "--exec: a CMD that does not read its stdin is fine, even for a long line" {
	log_one "$(jq -cn '{subject: "big", description: ("x" * 300000)}')" >/dev/null
	log_one '{"subject":"small"}' >/dev/null
	run --separate-stderr inc-events --consumer hook --exec 'echo "$INC_EVENT_SEQ"'
	assert_success
	assert_output $'1\n2'
	assert_equal "$stderr" ""
}

@test "--exec with --kind runs only those kinds, and passes over the others" {
	three_events
	run --separate-stderr inc-events --consumer hook --kind assigned --exec 'echo "$INC_EVENT_KIND"'
	assert_success
	assert_output "assigned"
	run --separate-stderr inc-events --consumers
	assert_equal "$(jq -c '[.consumer, .seq]' <<<"$output")" '["hook",3]'
}

@test "output that cannot be written: exit 3, the cursor stays, the events come again" {
	three_events
	run --separate-stderr bash -c 'inc-events --consumer a >/dev/full'
	assert_failure 3
	assert_equal "$stderr" "inc-events: stdout: No space left on device"
	assert_equal "$(dbq 'SELECT count(*) FROM cursor')" 0
	run --separate-stderr inc-events --consumer a
	assert_success
	assert_equal "$(summary)" $'[1,1,"logged"]\n[2,1,"assigned"]\n[3,1,"updated"]'
}

@test "--follow writes a new event within a second of its commit, and exits 0 on SIGTERM" {
	three_events
	inc-events --follow >"$BATS_TEST_TMPDIR/out" 2>"$BATS_TEST_TMPDIR/err" 3>&- &
	pid=$!
	# caught up with the log (a slow start, under valgrind, is not the point)
	wait_lines "$BATS_TEST_TMPDIR/out" 3 30 || fail "no history: $(cat "$BATS_TEST_TMPDIR/err")"
	inc-update --note "toner ordered" 1 >/dev/null
	wait_lines "$BATS_TEST_TMPDIR/out" 4 2 || fail "no new event within 2 s"
	assert_equal "$(jq -c '[.seq, .event.kind, .event.note]' "$BATS_TEST_TMPDIR/out" | tail -n 1)" '[4,"updated","toner ordered"]'
	# another one, to see it was no accident of timing
	inc-update --note "toner arrived" 1 >/dev/null
	wait_lines "$BATS_TEST_TMPDIR/out" 5 2 || fail "no second event within 2 s"
	kill -TERM "$pid"
	rc=0
	wait "$pid" || rc=$?
	pid=
	assert_equal "$rc" 0
	assert_equal "$(cat "$BATS_TEST_TMPDIR/err")" ""
	assert_equal "$(wc -l <"$BATS_TEST_TMPDIR/out")" 5
}

@test "--follow with a consumer exits 0 on SIGINT, its cursor past what it wrote" {
	three_events
	inc-events --follow --consumer screen >"$BATS_TEST_TMPDIR/out" 2>"$BATS_TEST_TMPDIR/err" 3>&- &
	pid=$!
	wait_lines "$BATS_TEST_TMPDIR/out" 3 30 || fail "no history: $(cat "$BATS_TEST_TMPDIR/err")"
	inc-update --note "toner ordered" 1 >/dev/null
	wait_lines "$BATS_TEST_TMPDIR/out" 4 2 || fail "no new event within 2 s"
	kill -INT "$pid"
	rc=0
	wait "$pid" || rc=$?
	pid=
	assert_equal "$rc" 0
	assert_equal "$(cat "$BATS_TEST_TMPDIR/err")" ""
	run --separate-stderr inc-events --consumers
	assert_equal "$(jq -c '[.consumer, .seq, .behind]' <<<"$output")" '["screen",4,0]'
}

@test "--follow --exec: SIGTERM lets the running CMD finish, and starts no other" {
	three_events
	inc-events --follow --consumer hook \
		--exec 'cat >/dev/null; touch "$BATS_TEST_TMPDIR/started.$INC_EVENT_SEQ"; sleep 1; echo "done $INC_EVENT_SEQ"' \
		>"$BATS_TEST_TMPDIR/out" 2>"$BATS_TEST_TMPDIR/err" 3>&- &
	pid=$!
	for ((i = 0; i < 600; i++)); do
		[ -e "$BATS_TEST_TMPDIR/started.1" ] && break
		sleep 0.05
	done
	kill -TERM "$pid"
	rc=0
	wait "$pid" || rc=$?
	pid=
	assert_equal "$rc" 0
	assert_equal "$(cat "$BATS_TEST_TMPDIR/out")" "done 1"
	assert_equal "$(cat "$BATS_TEST_TMPDIR/err")" ""
	[ ! -e "$BATS_TEST_TMPDIR/started.2" ]
	run --separate-stderr inc-events --consumers
	assert_equal "$(jq -c '[.consumer, .seq, .behind]' <<<"$output")" '["hook",1,2]'
}

@test "a requester sees only the events of their own incidents" {
	three_events
	log_one '{"subject":"vpn down","requester":"ann@example.com"}' >/dev/null
	inc-update --note "for joe" 1 >/dev/null
	run --separate-stderr inc-events --as joe@example.com
	assert_success
	assert_equal "$(summary)" $'[1,1,"logged"]\n[2,1,"assigned"]\n[3,1,"updated"]\n[5,1,"updated"]'
	assert_equal "$stderr" ""
	run --separate-stderr inc-events --as ann@example.com
	assert_equal "$(summary)" '[4,2,"logged"]'
	# a consumer of theirs passes over the others' events
	run --separate-stderr inc-events --as ann@example.com --consumer ann
	assert_equal "$(summary)" '[4,2,"logged"]'
	run --separate-stderr inc-events --consumers
	assert_equal "$(jq -c '[.consumer, .seq, .behind]' <<<"$output")" '["ann",5,0]'
	# a technician sees them all
	run --separate-stderr inc-events --as alice
	assert_equal "${#lines[@]}" 5
}

@test "a tool's cursor is its own: no other consumer reads through it" {
	three_events
	inc-escalate </dev/null >/dev/null
	inc-notify --queue-only >/dev/null
	assert_equal "$(dbq 'SELECT name, seq, tool FROM cursor ORDER BY name')" \
		$'escalate|3|inc-escalate\nmail|3|inc-notify'
	inc-update --note "toner ordered" 1 >/dev/null
	run --separate-stderr inc-events --consumer escalate
	assert_failure 2
	assert_output ""
	assert_equal "$stderr" 'inc-events: --consumer: "escalate" is the cursor of inc-escalate: use a name of your own'
	run --separate-stderr inc-notify --consumer escalate
	assert_failure 2
	assert_equal "$stderr" 'inc-notify: --consumer: "escalate" is the cursor of inc-escalate: use a name of your own'
	# inc-events' own consumers are not inc-notify's either
	inc-events --consumer feed >/dev/null
	run --separate-stderr inc-notify --consumer feed
	assert_failure 2
	assert_equal "$stderr" 'inc-notify: --consumer: "feed" is the cursor of inc-events: use a name of your own'
	assert_equal "$(dbq "SELECT name || ':' || seq FROM cursor ORDER BY name" | paste -sd,)" "escalate:3,feed:4,mail:3"
}

@test "--seek and --drop of a tool's cursor: an admin's act; its owner stays" {
	three_events
	inc-escalate </dev/null >/dev/null
	run --separate-stderr inc-events --as alice --consumer escalate --seek 1
	assert_failure 2
	assert_equal "$stderr" 'inc-events: --seek: "escalate" is the cursor of inc-escalate: alice may not move it (role technician)'
	run --separate-stderr inc-events --as alice --consumer escalate --drop
	assert_failure 2
	assert_equal "$stderr" 'inc-events: --drop: "escalate" is the cursor of inc-escalate: alice may not move it (role technician)'
	run --separate-stderr inc-events --as maria --consumer escalate --seek 1
	assert_success
	assert_equal "$stderr" ""
	assert_equal "$(dbq 'SELECT seq, tool FROM cursor')" "1|inc-escalate"
	# a technician moves the cursors of inc-events' consumers, and makes new ones
	run --separate-stderr inc-events --as alice --consumer mine --seek end
	assert_success
	assert_equal "$(dbq "SELECT seq, CASE WHEN tool IS NULL THEN 1 ELSE 0 END FROM cursor WHERE name = 'mine'")" "3|1"
	# a cursor made by a seek is taken by the first consumer that moves it
	inc-update --note "toner ordered" 1 >/dev/null
	inc-notify --consumer mine --queue-only >/dev/null
	assert_equal "$(dbq "SELECT tool FROM cursor WHERE name = 'mine'")" "inc-notify"
}

@test "--drop forgets a consumer, and --prune no longer waits for it" {
	three_events
	inc-events --consumer a >/dev/null
	inc-events --consumer old --seek 1
	inc-events --now 2026-11-29T00:00:00Z --prune 1d
	assert_equal "$(dbq 'SELECT seq FROM event ORDER BY seq' | paste -sd,)" "2,3"
	run --separate-stderr inc-events --consumer old --drop
	assert_success
	assert_output ""
	assert_equal "$stderr" ""
	assert_equal "$(dbq 'SELECT name FROM cursor ORDER BY name' | paste -sd,)" "a"
	inc-events --now 2026-11-29T00:00:00Z --prune 1d
	assert_equal "$(events_in_log)" 0
	run --separate-stderr inc-events --consumer old --drop
	assert_failure 1
	assert_output ""
	assert_equal "$stderr" 'inc-events: --drop: no consumer "old"'
	run --separate-stderr inc-events --drop
	assert_failure 2
	assert_equal "$stderr" "inc-events: --drop needs --consumer NAME"
	run --separate-stderr inc-events --consumer a --drop --seek end
	assert_failure 2
	assert_equal "$stderr" "inc-events: --drop only forgets the cursor: not with --seek, --exec, --follow or --kind"
}

@test "after the whole log is pruned, the next event takes the next number, never one given before" {
	three_events
	inc-events --consumer a >/dev/null
	inc-events --now 2026-11-29T00:00:00Z --prune 1d
	assert_equal "$(events_in_log)" 0
	# a number given again would sit behind consumer a's cursor (3): never read
	inc-update --note "after the prune" 1 >/dev/null
	inc-update --note "and again" 1 >/dev/null
	assert_equal "$(dbq 'SELECT seq FROM event ORDER BY seq' | paste -sd,)" "4,5"
	run --separate-stderr inc-events --consumer a
	assert_success
	assert_equal "$(summary | paste -sd' ')" '[4,1,"updated"] [5,1,"updated"]'
}

@test "--prune: only an admin or incident manager" {
	three_events
	inc-events --consumer a >/dev/null
	run --separate-stderr inc-events --as alice --prune 0
	assert_failure 2
	assert_output ""
	assert_equal "$stderr" "inc-events: --prune: alice may not drop events (role technician)"
	run --separate-stderr inc-events --as joe@example.com --prune 0
	assert_failure 2
	assert_equal "$stderr" "inc-events: --prune: joe@example.com may not drop events (role requester)"
	assert_equal "$(events_in_log)" 3
	run --separate-stderr inc-events --as maria --now 2026-11-28T00:00:00Z --prune 1h
	assert_success
	assert_output ""
	assert_equal "$stderr" ""
	assert_equal "$(events_in_log)" 0
}

@test "--prune AGE drops the events older than AGE that every consumer has passed" {
	three_events						# seq 1-3, Friday 10:00-10:05
	INC_NOW=2026-11-28T10:00:00Z inc-update --note "Saturday" 1 >/dev/null	# seq 4
	inc-events --consumer a >/dev/null
	inc-events --consumer b --seek 2
	# older than a day at Sunday 09:00: seq 1-3; passed by both: 1-2
	run --separate-stderr inc-events --now 2026-11-29T09:00:00Z --prune 1d
	assert_success
	assert_output ""
	assert_equal "$stderr" ""
	assert_equal "$(dbq 'SELECT seq FROM event ORDER BY seq' | paste -sd,)" "3,4"
	inc-events --consumer b >/dev/null
	inc-events --now 2026-11-29T09:00:00Z --prune 1d
	assert_equal "$(dbq 'SELECT seq FROM event ORDER BY seq' | paste -sd,)" "4"
	# a new consumer starts at the oldest event kept
	run --separate-stderr inc-events --consumer c
	assert_equal "$(summary)" '[4,1,"updated"]'
}

@test "--prune: with no consumer at all, nothing is consumed, nothing dropped" {
	three_events
	run --separate-stderr inc-events --now 2027-11-27T00:00:00Z --prune 1d
	assert_success
	assert_equal "$(events_in_log)" 3
}

@test "the database refuses to delete unconsumed events and to update any" {
	three_events
	inc-events --consumer a --seek 2
	run dbq 'DELETE FROM event WHERE seq = 3'
	assert_failure
	assert_output --partial "the event log keeps what a consumer has not seen"
	run dbq 'DELETE FROM event'
	assert_failure
	assert_equal "$(events_in_log)" 3
	run dbq "UPDATE event SET kind = 'closed' WHERE seq = 1"
	assert_failure
	assert_output --partial "the event log is append-only"
	assert_equal "$(dbq 'SELECT kind FROM event WHERE seq = 1')" "logged"
	# what every cursor has passed may go
	run dbq 'DELETE FROM event WHERE seq <= 2'
	assert_success
	assert_equal "$(events_in_log)" 1
}

@test "usage errors: exit 2, the message, nothing done" {
	local args message
	while IFS='|' read -r args message; do
		read -r -a argv <<<"$args"
		run --separate-stderr inc-events "${argv[@]}"
		assert_failure 2
		assert_output ""
		assert_equal "$stderr" "inc-events: $message"
	done <<'EOF'
--exec true|--exec needs --consumer NAME: its cursor says what ran
--seek end|--seek needs --consumer NAME
--consumer a --since-seq 1|--since-seq and --consumer exclude each other
--consumer a --seek end --follow|--seek only moves the cursor: not with --exec, --follow or --kind
--consumer a --seek 1 --exec true|--seek only moves the cursor: not with --exec, --follow or --kind
--consumer a --seek 1 --kind logged|--seek only moves the cursor: not with --exec, --follow or --kind
--consumer a --seek -3|--seek: want end or a number, got "-3"
--consumer a --seek END|--seek: want end or a number, got "END"
--since-seq x|--since-seq: expected a number, got "x"
--since-seq -1|--since-seq: expected a number, got "-1"
--since-seq 1.5|--since-seq: expected a number, got "1.5"
--since-seq INC-2|--since-seq: expected a number, got "INC-2"
--since-seq 99999999999999999999|--since-seq: expected a number, got "99999999999999999999"
--kind nope|--kind: unknown event "nope" (want logged, classified, assigned, queued, updated, sla_warning, sla_breached, escalated, notified, replied, major_declared, resolved, closed or reopened)
--prune soon|--prune: bad duration "soon"
EOF
	run --separate-stderr inc-events --consumer ''
	assert_failure 2
	assert_equal "$stderr" "inc-events: --consumer: expected a name"
	db_absent
}

@test "usage errors: a bad combination or an argument prints the usage" {
	for args in "--prune 1d --consumers" "--consumers --kind logged" "--prune 1d --follow" "42"; do
		read -r -a argv <<<"$args"
		run --separate-stderr inc-events "${argv[@]}"
		assert_failure 2
		assert_output ""
		assert_equal "$stderr" "$(inc-events --help)"
	done
	db_absent
}

@test "a database that cannot be opened: exit 3" {
	run --separate-stderr inc-events -d "$BATS_TEST_TMPDIR/no/such/dir/inc.db"
	assert_failure 3
	assert_output ""
	assert_equal "$stderr" "inc-events: $BATS_TEST_TMPDIR/no/such/dir/inc.db: unable to open database file"
	run --separate-stderr inc-events -d "$BATS_TEST_TMPDIR/no/such/dir/inc.db" --consumers
	assert_failure 3
	run --separate-stderr inc-events -d "$BATS_TEST_TMPDIR/no/such/dir/inc.db" --prune 1d
	assert_failure 3
}
