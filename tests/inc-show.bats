#!/usr/bin/env bats
# inc-show: selecting incidents, their records, history and table (SPEC
# sections 1, 2 and 6).
load test_helper

# Four incidents; the statuses and SLA states the later tools would set are
# written straight into the database.
local_setup() {
	inc-log >/dev/null <<'EOF'
{"subject":"VPN down","requester":"joe@example.com","impact":"high","urgency":"high","category":"network/vpn","group":"l2-infra","created_at":"2026-11-20T08:00:00Z"}
{"subject":"Printer jam on the second floor, paper everywhere, please send help","requester":"ann","category":"hardware/printer","asset_tag":"P-1","major":true,"created_at":"2026-11-26T08:00:00Z"}
{"subject":"Mail slow","requester":"joe@example.com","impact":"low","urgency":"low","created_at":"2026-11-27T09:00:00Z"}
{"subject":"Wi-Fi flaky","requester":"zed","category":"network/wifi","group":"service-desk"}
EOF
	dbq "UPDATE incident SET status = 'in_progress', assignee = 'dana' WHERE id = 1;
		UPDATE incident SET status = 'resolved', sla_policy = 'high', sla_state = 'breached' WHERE id = 2;
		UPDATE incident SET status = 'on_hold', assignee = 'alice', sla_policy = 'standard', sla_state = 'warning' WHERE id = 4"
}

# The ids inc-show writes, on one line.
ids() {
	run --separate-stderr inc-show "$@"
	assert_success
	assert_equal "$stderr" ""
	echo "$output" | jq -r .id | paste -sd' '
}

@test "no ids, no filters: every incident, in id order, the full record" {
	run --separate-stderr inc-show
	assert_success
	assert_equal "$stderr" ""
	assert_equal "${#lines[@]}" 4
	assert_line --index 2 '{"id":3,"ref":"INC-3","subject":"Mail slow","description":null,"requester":"joe@example.com","source":null,"category":null,"subcategory":null,"impact":"low","urgency":"low","priority":"low","status":"new","group":null,"assignee":null,"major":false,"sla":null,"escalation_level":0,"reassignment_count":0,"reopen_count":0,"resolution":null,"resolution_type":null,"closure_code":null,"rating":null,"feedback":null,"links":[],"attachments":[],"external_id":null,"custom":{},"detected_at":"2026-11-27T09:00:00Z","created_at":"2026-11-27T09:00:00Z","updated_at":"2026-11-27T10:00:00Z","resolved_at":null,"closed_at":null}'
	assert_equal "$(jq -c .sla <<<"${lines[1]}")" '{"policy":"high","response_due":null,"resolve_due":null,"responded_at":null,"response_met":null,"resolve_met":null,"paused_s":0,"state":"breached"}'
}

@test "the same record as inc-log wrote, without the event" {
	inc-log -s "new one" --link problem:PRB-7 --field room=B12 >"$BATS_TEST_TMPDIR/logged"
	run --separate-stderr inc-show 5
	assert_success
	assert_output "$(jq -c 'del(.event)' "$BATS_TEST_TMPDIR/logged")"
}

@test "an empty database: nothing, status 0" {
	INC_DB=$(db_at empty)
	export INC_DB
	run --separate-stderr inc-show
	assert_success
	assert_output ""
	assert_equal "$stderr" ""
}

@test "--status: one or a list" {
	assert_equal "$(ids --status new)" 3
	assert_equal "$(ids --status in_progress,on_hold)" "1 4"
	assert_equal "$(ids --status closed)" ""
}

@test "--open: new, assigned, in_progress, on_hold" {
	assert_equal "$(ids --open)" "1 3 4"
	dbq "UPDATE incident SET status = 'cancelled' WHERE id = 3"
	assert_equal "$(ids --open)" "1 4"
}

@test "--priority, --group, --assignee, --category, --requester" {
	assert_equal "$(ids --priority critical)" 1
	assert_equal "$(ids --priority low)" 3
	assert_equal "$(ids --group service-desk)" 4
	assert_equal "$(ids --assignee dana)" 1
	assert_equal "$(ids --assignee alice@example.com)" ""
	assert_equal "$(ids --category network)" "1 4"
	assert_equal "$(ids --requester joe@example.com)" "1 3"
	assert_equal "$(ids --requester nobody)" ""
}

@test "--requester: without regard to case, e-mail addresses and names alike" {
	assert_equal "$(ids --requester JOE@Example.COM)" "1 3"
	assert_equal "$(ids --requester ANN)" 2
	assert_equal "$(ids --requester jo)" ""
	# as access has it: a requester who is not listed sees their own, in any case
	INC_USER=Joe@EXAMPLE.com run --separate-stderr inc-show --requester joe@example.com
	assert_success
	assert_equal "$(jq -r .id <<<"$output" | paste -sd' ')" "1 3"
	INC_USER=Joe@EXAMPLE.com run --separate-stderr inc-show
	assert_equal "$(jq -r .id <<<"$output" | paste -sd' ')" "1 3"
}

@test "--grep: subject, description and notes, case-insensitive, after the filters" {
	inc-update --note "called the user: the VPN token expired" 3 >/dev/null
	inc-update --note "Zebra crossing" 3 >/dev/null
	inc-log -s "keyboard" -m "the printer next to it smokes" >/dev/null
	dbq "INSERT INTO audit(incident, task, at, actor, tool, action, field, old, new)
		VALUES (4, NULL, 1795773600, 'root', 'inc-update', 'set', 'impact', 'okapi', 'okapi')"
	assert_equal "$(ids --grep printer)" "2 5"
	assert_equal "$(ids --grep 'JAM|flaky')" "2 4"
	assert_equal "$(ids --grep 'token')" 3
	assert_equal "$(ids --grep '^zebra')" 3
	assert_equal "$(ids --grep vpn)" "1 3"
	assert_equal "$(ids --grep vpn --status new)" 3
	assert_equal "$(ids --grep vpn --limit 1)" 1
	assert_equal "$(ids --grep okapi)" ""
	assert_equal "$(ids --grep 'v.n' 3 4)" 3
	# an id the grep leaves out is no error
	run --separate-stderr inc-show --grep nothing-matches 1
	assert_success
	assert_output ""
	INC_USER=zed run --separate-stderr inc-show --grep 'flaky|vpn'
	assert_equal "$(jq -r .id <<<"$output")" 4
}

@test "--sort: levels in the configured order, statuses in life-cycle order, empty last, ties by id" {
	assert_equal "$(ids --sort priority)" "1 3 2 4"
	assert_equal "$(ids --sort -priority)" "3 1 2 4"
	assert_equal "$(ids --sort status)" "3 1 4 2"
	assert_equal "$(ids --sort -status)" "2 4 1 3"
	assert_equal "$(ids --sort -created_at)" "4 3 2 1"
	assert_equal "$(ids --sort requester,-id)" "2 3 1 4"
	assert_equal "$(ids --sort sla_state)" "2 4 1 3"
	assert_equal "$(ids --sort group)" "1 4 2 3"
	assert_equal "$(ids --sort -group)" "4 1 2 3"
	assert_equal "$(ids --sort -id)" "4 3 2 1"
	assert_equal "$(ids --sort major --open)" "1 3 4"
	assert_equal "$(ids --sort -major)" "2 1 3 4"
	assert_equal "$(ids --sort priority --limit 2)" "1 3"
	assert_equal "$(ids --sort priority 4 3)" "3 4"
	assert_equal "$(inc-show --sort -priority --format csv | cut -d, -f1 | paste -sd' ')" "id 3 1 2 4"
}

@test "--major, --breached" {
	assert_equal "$(ids --major)" 2
	assert_equal "$(ids --breached)" 2
}

@test "filters combine: all must hold" {
	assert_equal "$(ids --category network --open --group l2-infra)" 1
	assert_equal "$(ids --requester joe@example.com --status new)" 3
	assert_equal "$(ids --major --open)" ""
}

@test "--since and --until: created_at in [since, until)" {
	assert_equal "$(ids --since 2026-11-26T08:00:00Z)" "2 3 4"
	assert_equal "$(ids --until 2026-11-26T08:00:00Z)" 1
	assert_equal "$(ids --since 2026-11-26 --until 2026-11-27T09:00:00Z)" 2
	assert_equal "$(ids --since 2026-11-27T10:00:00+01:00)" "3 4"
	assert_equal "$(ids --since 1795770001)" 4
}

@test "--since and --until relative to now: -7d, -2h, now" {
	assert_equal "$(ids --since -8d)" "1 2 3 4"
	assert_equal "$(ids --since -7d)" "2 3 4"
	assert_equal "$(ids --since -1d)" "3 4"
	assert_equal "$(ids --since -1h)" "3 4"
	assert_equal "$(ids --since -59m)" 4
	assert_equal "$(ids --until now)" "1 2 3"
	assert_equal "$(ids --now 2026-11-26T09:00:00Z --since -1d --until now)" 2
}

@test "--limit: the first N in id order" {
	assert_equal "$(ids --limit 2)" "1 2"
	assert_equal "$(ids --limit 1 --open)" 1
	assert_equal "$(ids --limit 10)" "1 2 3 4"
}

@test "ids: 42, INC-42, inc-42; with filters the intersection" {
	assert_equal "$(ids 3 INC-1 inc-4)" "1 3 4"
	assert_equal "$(ids --open 1 2)" 1
	assert_equal "$(ids --limit 1 3 4)" 3
}

@test "an unknown id: 'no such incident', exit 1, the others shown" {
	run --separate-stderr inc-show 9
	assert_failure 1
	assert_output ""
	assert_equal "$stderr" "inc-show: 9: no such incident"
	run --separate-stderr inc-show 1 INC-9 3
	assert_failure 1
	assert_equal "$(jq -r .id <<<"$output" | paste -sd' ')" "1 3"
	assert_equal "$stderr" "inc-show: 9: no such incident"
}

@test "filters and ids the config or the syntax does not know: exit 2, nothing done" {
	drop_db		# local_setup's database gone: a refusal makes none
	local args
	while IFS='|' read -r args msg; do
		# shellcheck disable=SC2086
		run --separate-stderr inc-show $args
		assert_failure 2
		assert_output ""
		assert_equal "$stderr" "$msg"
	done <<'EOF'
--status opne|inc-show: --status: unknown status "opne" (want new, assigned, in_progress, on_hold, resolved, closed or cancelled)
--status new,bogus|inc-show: --status: unknown status "bogus" (want new, assigned, in_progress, on_hold, resolved, closed or cancelled)
--priority p1|inc-show: --priority: unknown priority "p1" (want critical, high, medium or low)
--group nogroup|inc-show: --group: unknown group "nogroup" (want service-desk, l2-infra or l3-network)
--assignee nobody|inc-show: --assignee: unknown assignee "nobody" (want alice, bob, chen, dana, erik, fay, gus, maria, omar, pat or root)
--category nope|inc-show: --category: unknown category "nope" (want network, hardware, access, email or service)
--sort bogus|inc-show: --sort: unknown field "bogus" (want id, subject, description, requester, source, category, subcategory, impact, urgency, priority, status, group, assignee, major, sla_policy, response_due, resolve_due, responded_at, response_met, resolve_met, paused_s, sla_state, escalation_level, reassignment_count, reopen_count, resolution, resolution_type, closure_code, rating, feedback, external_id, detected_at, created_at, updated_at, resolved_at or closed_at; -FIELD for descending)
--sort links|inc-show: --sort: unknown field "links" (want id, subject, description, requester, source, category, subcategory, impact, urgency, priority, status, group, assignee, major, sla_policy, response_due, resolve_due, responded_at, response_met, resolve_met, paused_s, sla_state, escalation_level, reassignment_count, reopen_count, resolution, resolution_type, closure_code, rating, feedback, external_id, detected_at, created_at, updated_at, resolved_at or closed_at; -FIELD for descending)
--sort priority,-priority|inc-show: --sort: "priority" given twice
--sort ,|inc-show: --sort: no field given
--grep (vpn|inc-show: --grep: bad regex "(vpn": missing closing parenthesis at offset 4
--since yesterday|inc-show: --since: bad time "yesterday"
--until 2026-02-30|inc-show: --until: bad time "2026-02-30"
--limit 0|inc-show: --limit: expected a positive number, got "0"
--limit ten|inc-show: --limit: expected a positive number, got "ten"
--limit INC-3|inc-show: --limit: expected a positive number, got "INC-3"
--format xml|inc-show: --format: unknown format "xml" (want jsonl, table, csv or tsv)
--history --format csv|inc-show: --history needs --format jsonl
--history --format table|inc-show: --history needs --format jsonl
abc|inc-show: abc: not an incident id
INC-0|inc-show: INC-0: not an incident id
EOF
	db_absent
}

@test "--assignee takes any name when the config lists no people" {
	make_config nopeople <<<'{"groups":[{"name":"l2-infra"},{"name":"service-desk"}]}'
	assert_equal "$(ids --assignee dana)" 1
	assert_equal "$(ids --assignee nobody)" ""
}

@test "--history: the audit trail, at, actor, tool, action, field, from, to" {
	inc-log --as maria --now 2026-11-27T11:00:00Z -s "disk full" >/dev/null
	dbq "INSERT INTO audit(incident, task, at, actor, tool, action, field, old, new)
		VALUES (5, NULL, 1795777200, 'alice', 'inc-update', 'set', 'impact', NULL, 'high'),
		       (5, 3, 1795777260, 'bob', 'inc-task', 'task', 'status', 'open', 'done'),
		       (1, NULL, 1795777300, 'root', 'inc-update', 'note', NULL, NULL, 'other incident')"
	run --separate-stderr inc-show --history 5
	assert_success
	assert_equal "$(jq -c 'del(.history)' <<<"$output")" "$(inc-show 5)"
	assert_equal "$(jq -c '.history[]' <<<"$output")" \
'{"at":"2026-11-27T11:00:00Z","actor":"maria","tool":"inc-log","action":"logged","field":null,"from":null,"to":"disk full"}
{"at":"2026-11-27T11:00:00Z","actor":"alice","tool":"inc-update","action":"set","field":"impact","from":null,"to":"high"}
{"at":"2026-11-27T11:01:00Z","actor":"bob","tool":"inc-task","action":"task","field":"status","from":"open","to":"done","task":3}'
	# history follows the record's fields
	assert_equal "$(jq -c 'keys_unsorted[-2:]' <<<"$output")" '["closed_at","history"]'
}

@test "--format table: header and rows in 80 columns, AGE readable, columns fitted" {
	run --separate-stderr inc-show --format table
	assert_success
	assert_equal "$stderr" ""
	assert_output 'ID PRIORITY STATUS      GROUP    ASSIGNEE SLA      AGE   REQUESTER  SUBJECT
1  critical in_progress l2-infra dana     -        7d 2h joe@examp~ VPN down
2  -        resolved    -        -        breached 1d 2h ann        Printer jam~
3  low      new         -        -        -        1h    joe@examp~ Mail slow
4  -        on_hold     service~ alice    warning  0s    zed        Wi-Fi flaky'
	assert_equal "$(awk '{ print length }' <<<"$output" | sort -n | tail -1)" 80
}

@test "--format table: COLUMNS widens it; filters apply; jsonl is the default" {
	COLUMNS=120 run --separate-stderr inc-show --format table
	assert_success
	assert_output 'ID PRIORITY STATUS      GROUP        ASSIGNEE SLA      AGE   REQUESTER       SUBJECT
1  critical in_progress l2-infra     dana     -        7d 2h joe@example.com VPN down
2  -        resolved    -            -        breached 1d 2h ann             Printer jam on the second floor, paper eve~
3  low      new         -            -        -        1h    joe@example.com Mail slow
4  -        on_hold     service-desk alice    warning  0s    zed             Wi-Fi flaky'
	COLUMNS=100 run --separate-stderr inc-show --format table --major
	assert_success
	assert_output 'ID PRIORITY STATUS   GROUP ASSIGNEE SLA      AGE   REQUESTER SUBJECT
2  -        resolved -     -        breached 1d 2h ann       Printer jam on the second floor, paper~'
	run --separate-stderr inc-show --format table 9
	assert_failure 1
	assert_output 'ID PRIORITY STATUS GROUP ASSIGNEE SLA AGE REQUESTER SUBJECT'
	assert_equal "$stderr" "inc-show: 9: no such incident"
	assert_equal "$(inc-show --format jsonl)" "$(inc-show)"
	assert_equal "$(inc-show --format json)" "$(inc-show)"
}

@test "--format table: control characters shown escaped, never raw" {
	inc-log >/dev/null <<<'{"subject":"\u001b]0;owned\u0007\u001b[2Jhi\nthere\ttab\u0085","requester":"x\ry"}'
	COLUMNS=120 run --separate-stderr inc-show --format table 5
	assert_success
	assert_line --index 1 '5  -        new    -     -        -   0s  x\ry      \e]0;owned\x07\e[2Jhi\nthere\ttab\u0085'
	[[ "$output" != *$'\e'* ]]
}

@test "--format csv and tsv: the table's columns, a header, age in seconds" {
	run --separate-stderr inc-show --format csv --open
	assert_success
	assert_equal "$stderr" ""
	assert_output 'id,priority,status,group,assignee,sla_state,age_s,requester,subject
1,critical,in_progress,l2-infra,dana,,612000,joe@example.com,VPN down
3,low,new,,,,3600,joe@example.com,Mail slow
4,,on_hold,service-desk,alice,warning,0,zed,Wi-Fi flaky'
	run --separate-stderr inc-show --format tsv 2
	assert_success
	assert_output "$(printf 'id\tpriority\tstatus\tgroup\tassignee\tsla_state\tage_s\trequester\tsubject\n2\t\tresolved\t\t\tbreached\t93600\tann\tPrinter jam on the second floor, paper everywhere, please send help')"
}

@test "--format csv and tsv: RFC 4180 quoting, TSV escapes, formulas neutralised" {
	inc-log >/dev/null <<'EOF'
{"subject":"=HYPERLINK(\"http://evil\",\"click\")","requester":"@mallory"}
{"subject":"a, \"quoted\"\nsubject","requester":"-1+2"}
{"subject":"+tab\there","requester":"-42"}
EOF
	run --separate-stderr inc-show --format csv 5 6 7
	assert_success
	assert_output "id,priority,status,group,assignee,sla_state,age_s,requester,subject
5,,new,,,,0,'@mallory,\"'=HYPERLINK(\"\"http://evil\"\",\"\"click\"\")\"
6,,new,,,,0,'-1+2,\"a, \"\"quoted\"\"
subject\"
7,,new,,,,0,-42,'+tab	here"
	run --separate-stderr inc-show --format tsv 7
	assert_success
	assert_line --index 1 $'7\t\tnew\t\t\t\t0\t-42\t\'+tab\\there'
}

@test "a requester sees only their own incidents" {
	INC_USER=zed run --separate-stderr inc-show
	assert_success
	assert_equal "$(jq -r .id <<<"$output")" 4
	INC_USER=zed run --separate-stderr inc-show --format table
	assert_equal "${#lines[@]}" 2
	INC_USER=someone-not-in-config run --separate-stderr inc-show
	assert_success
	assert_output ""
	INC_USER=zed run --separate-stderr inc-show 1 4
	assert_failure 1
	assert_equal "$(jq -r .id <<<"$output")" 4
	assert_equal "$stderr" "inc-show: 1: not yours to see"
}

@test "a requester listed in the config owns by name and by e-mail; --limit counts what they see" {
	edit_config '.people += [{"name":"joe","email":"joe@example.com","role":"requester"}]'
	inc-log -s "joe's own" -r joe >/dev/null
	INC_USER=joe run --separate-stderr inc-show
	assert_success
	assert_equal "$(jq -r .id <<<"$output" | paste -sd' ')" "1 3 5"
	INC_USER=joe run --separate-stderr inc-show --limit 2
	assert_equal "$(jq -r .id <<<"$output" | paste -sd' ')" "1 3"
}

@test "technicians see everything; with no people in the config everyone does" {
	INC_USER=alice run --separate-stderr inc-show
	assert_equal "${#lines[@]}" 4
	make_config solo <<<'{}'
	INC_USER=anyone run --separate-stderr inc-show
	assert_equal "${#lines[@]}" 4
}

@test "stdin is never read: a pipe that never closes does not block" {
	mkfifo "$BATS_TEST_TMPDIR/never"
	# read-write: the fifo has a writer that never writes nor closes
	exec 7<>"$BATS_TEST_TMPDIR/never"
	run --separate-stderr timeout 10 inc-show --open <"$BATS_TEST_TMPDIR/never"
	exec 7>&-
	assert_success
	assert_equal "$(jq -r .id <<<"$output" | paste -sd' ')" "1 3 4"
}

@test "-h, --version, a bad option" {
	run --separate-stderr inc-show -h
	assert_success
	assert_output "usage: inc-show [-d DB] [-c CONFIG] [--now TIME] [--as USER] [--status S[,S...]] [--open] [--priority P] [--group G] [--assignee A] [--category C] [--requester R] [--major] [--breached] [--since TIME] [--until TIME] [--grep REGEX] [--sort [-]FIELD[,...]] [--limit N] [--history] [--format jsonl|table|csv|tsv] [ID...]"
	run --separate-stderr inc-show --version
	assert_success
	assert_output "inc-show 0.1.0"
	run --separate-stderr inc-show --bogus
	assert_failure 2
	[[ "${stderr_lines[0]}" == *"inc-show: unrecognized option '--bogus'" ]]
	[[ "${stderr_lines[1]}" == "usage: inc-show "* ]]
}

@test "database unavailable: exit 3" {
	run --separate-stderr inc-show -d "$BATS_TEST_TMPDIR/no/such/dir/x.db"
	assert_failure 3
	assert_output ""
	assert_equal "$stderr" "inc-show: $BATS_TEST_TMPDIR/no/such/dir/x.db: unable to open database file"
}

@test "an empty --status list or --now is a usage error" {
	run --separate-stderr inc-show --status ,
	assert_failure 2
	assert_equal "$stderr" 'inc-show: --status: no status given'
	run --separate-stderr inc-show --now ""
	assert_failure 2
	assert_equal "$stderr" 'inc-show: --now: bad time ""'
}
