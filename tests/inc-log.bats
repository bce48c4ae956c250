#!/usr/bin/env bats
# inc-log: logging new incidents from options and from JSON lines (SPEC
# sections 1, 2 and 6).
load test_helper

# A freshly logged incident as inc-log writes it, at the pinned INC_NOW.
BLANK='{"id":1,"ref":"INC-1","subject":"x","description":null,"requester":null,"source":null,"category":null,"subcategory":null,"impact":null,"urgency":null,"priority":null,"status":"new","group":null,"assignee":null,"major":false,"sla":null,"escalation_level":0,"reassignment_count":0,"reopen_count":0,"resolution":null,"resolution_type":null,"closure_code":null,"rating":null,"feedback":null,"links":[],"attachments":[],"external_id":null,"custom":{},"detected_at":"2026-11-27T10:00:00Z","created_at":"2026-11-27T10:00:00Z","updated_at":"2026-11-27T10:00:00Z","resolved_at":null,"closed_at":null,"event":{"kind":"logged"}}'

# The record expected: BLANK edited by a jq filter (jq keeps the key order).
record() {
	jq -c "$1" <<<"$BLANK"
}

count() {
	dbq "SELECT count(*) FROM ${1:-incident}"
}

@test "option form: the full record, every field, null when unset" {
	run --separate-stderr inc-log -s x
	assert_success
	assert_equal "$stderr" ""
	assert_output "$BLANK"
}

@test "option form: every option" {
	run --separate-stderr inc-log -s "VPN down" -r joe@example.com -m "since 9:00" \
		--source phone --impact high --urgency medium --category network/vpn \
		--group l2-infra --major --external-id MSG-1 --link problem:PRB-7 \
		--link asset:LAPTOP-0042 --field floor=3 --field desk=3.14
	assert_success
	assert_equal "$stderr" ""
	assert_output "$(record '.subject="VPN down" | .description="since 9:00" |
		.requester="joe@example.com" | .source="phone" | .category="network" |
		.subcategory="vpn" | .impact="high" | .urgency="medium" | .priority="high" |
		.group="l2-infra" | .major=true | .external_id="MSG-1" |
		.links=[{"type":"problem","ref":"PRB-7"},{"type":"asset","ref":"LAPTOP-0042"}] |
		.custom={"floor":"3","desk":"3.14"}')"
}

@test "option form: long names of -s -r -m, --category with --subcategory" {
	run --separate-stderr inc-log --subject x --requester ann --description d \
		--category network --subcategory wifi
	assert_success
	assert_output "$(record '.description="d" | .requester="ann" | .category="network" | .subcategory="wifi"')"
}

@test "option form: a link given twice is linked once" {
	run --separate-stderr inc-log -s x --link change:CHG-1 --link change:CHG-1
	assert_success
	assert_equal "$(jq -c .links <<<"$output")" '[{"type":"change","ref":"CHG-1"}]'
}

@test "JSON lines: every descriptive field" {
	run --separate-stderr inc-log <<'EOF'
{"subject":"Printer jam","description":"2nd floor","requester":"ann@example.com","source":"web","category":"hardware","subcategory":"printer","impact":"low","urgency":"high","group":"service-desk","major":false,"external_id":"web-77","links":[{"type":"asset","ref":"PRN-2"}],"custom":{"asset_tag":"PRN-2"},"created_at":"2026-11-27T08:30:00Z"}
EOF
	assert_success
	assert_equal "$stderr" ""
	assert_output "$(record '.subject="Printer jam" | .description="2nd floor" |
		.requester="ann@example.com" | .source="web" | .category="hardware" |
		.subcategory="printer" | .impact="low" | .urgency="high" | .priority="medium" |
		.group="service-desk" | .external_id="web-77" |
		.links=[{"type":"asset","ref":"PRN-2"}] | .custom={"asset_tag":"PRN-2"} |
		.detected_at="2026-11-27T08:30:00Z" | .created_at="2026-11-27T08:30:00Z"')"
}

@test "JSON lines: one record per line, ids in order, status 0" {
	run --separate-stderr inc-log <<<$'{"subject":"a"}\n{"subject":"b"}\n{"subject":"c"}'
	assert_success
	assert_equal "$(jq -c '[.id, .ref, .subject]' <<<"$output")" \
		$'[1,"INC-1","a"]\n[2,"INC-2","b"]\n[3,"INC-3","c"]'
	assert_equal "$(count)" 3
}

@test "unknown top-level fields go into custom, merged with custom" {
	run --separate-stderr inc-log <<<'{"subject":"x","custom":{"a":1},"room":"B12","tags":["x","y"],"n":{"k":null}}'
	assert_success
	assert_equal "$(jq -c .custom <<<"$output")" '{"a":1,"room":"B12","tags":["x","y"],"n":{"k":null}}'
}

@test "managed fields on input are ignored: a record fed back logs anew" {
	inc-log -s x --impact high >/dev/null
	run --separate-stderr inc-log < <(inc-show 1 | jq -c '.status="closed" | .assignee="bob" |
		.reopen_count=3 | .resolution="r" | .rating=5 | .updated_at="2020-01-01T00:00:00Z" |
		.sla={"policy":"x"} | .event={"kind":"closed"} | .history=[]')
	assert_success
	assert_output "$(record '.id=2 | .ref="INC-2" | .impact="high"')"
}

@test "priority is computed from the matrix when impact and urgency are both given" {
	run --separate-stderr inc-log <<'EOF'
{"subject":"a","impact":"high","urgency":"high"}
{"subject":"b","impact":"low","urgency":"low"}
{"subject":"c","impact":"high"}
{"subject":"d","urgency":"high"}
{"subject":"e","impact":"high","urgency":"high","priority":"low"}
EOF
	assert_success
	assert_equal "$(jq -c .priority <<<"$output")" $'"critical"\n"low"\nnull\nnull\n"low"'
}

@test "requester defaults to the actor for a requester-role actor" {
	INC_USER=zed run --separate-stderr inc-log -s x
	assert_success
	assert_equal "$(jq -r .requester <<<"$output")" zed
	INC_USER=zed run --separate-stderr inc-log -s x -r other@example.com
	assert_equal "$(jq -r .requester <<<"$output")" other@example.com
	run --separate-stderr inc-log -s x
	assert_equal "$(jq -r .requester <<<"$output")" null
	INC_USER=alice run --separate-stderr inc-log -s x
	assert_equal "$(jq -r .requester <<<"$output")" null
}

@test "the logged audit row: at, actor (--as), tool, subject" {
	inc-log --as maria -s "VPN down" >/dev/null
	run dbq "SELECT incident, task, at, actor, tool, action, field, old, new FROM audit"
	assert_output "1||1795773600|maria|inc-log|logged|||VPN down"
}

@test "--now and INC_NOW set created_at and updated_at" {
	run --separate-stderr inc-log --now 2026-11-27T05:23:00+01:00 -s x
	assert_success
	assert_output "$(record '.detected_at="2026-11-27T04:23:00Z" | .created_at="2026-11-27T04:23:00Z" |
		.updated_at="2026-11-27T04:23:00Z"')"
}

@test "detected_at on input: kept as given, else the creation time" {
	run --separate-stderr inc-log <<'EOF'
{"subject":"a","detected_at":"2026-11-27T08:00:00Z","created_at":"2026-11-27T08:15:00Z"}
{"subject":"b","created_at":"2026-11-27T08:15:00Z"}
{"subject":"c"}
{"subject":"d","detected_at":"soon"}
EOF
	assert_failure 1
	assert_equal "$stderr" 'inc-log: line 4: detected_at: bad time "soon"'
	assert_equal "$(jq -c '[.detected_at, .created_at]' <<<"$output")" \
		$'["2026-11-27T08:00:00Z","2026-11-27T08:15:00Z"]\n["2026-11-27T08:15:00Z","2026-11-27T08:15:00Z"]\n["2026-11-27T10:00:00Z","2026-11-27T10:00:00Z"]'
}

@test "created_at on input: Z, offsets, epoch seconds as number or string" {
	run --separate-stderr inc-log <<'EOF'
{"subject":"a","created_at":"2026-11-27T04:23:00Z"}
{"subject":"b","created_at":"2026-11-27T05:23:00+01:00"}
{"subject":"c","created_at":"2026-11-26T23:23:00-05:00"}
{"subject":"d","created_at":1795753380}
{"subject":"e","created_at":"1795753380"}
{"subject":"f","created_at":"2026-11-27T04:23:00.75Z"}
{"subject":"g","created_at":"2026-11-27T04:23:00"}
EOF
	assert_success
	assert_equal "$(jq -r .created_at <<<"$output" | sort -u)" 2026-11-27T04:23:00Z
	assert_equal "$(jq -r .updated_at <<<"$output" | sort -u)" 2026-11-27T10:00:00Z
}

@test "external_id: a re-run returns the stored incident, no duplicate" {
	inc-log <<<'{"subject":"disk full","external_id":"alert-9"}' >/dev/null
	run --separate-stderr inc-log <<<'{"subject":"disk still full","external_id":"alert-9","impact":"high"}'
	assert_success
	assert_output "$(record '.subject="disk full" | .external_id="alert-9" |
		.event={"kind":"logged","existing":true}')"
	assert_equal "$(count)" 1
	assert_equal "$(count audit)" 1
}

@test "external_id: twice in one input, and by option" {
	run --separate-stderr inc-log <<<$'{"subject":"a","external_id":"k"}\n{"subject":"b","external_id":"k"}'
	assert_success
	assert_equal "$(jq -c '[.id, .subject, .event]' <<<"$output")" \
		$'[1,"a",{"kind":"logged"}]\n[1,"a",{"kind":"logged","existing":true}]'
	run --separate-stderr inc-log -s c --external-id k
	assert_success
	assert_equal "$(jq -c '[.id, .subject, .event.existing]' <<<"$output")" '[1,"a",true]'
	assert_equal "$(count)" 1
}

@test "external_id: an empty one is none" {
	run --separate-stderr inc-log <<<$'{"subject":"a","external_id":""}\n{"subject":"b","external_id":""}'
	assert_success
	assert_equal "$(jq -c '[.id, .external_id]' <<<"$output")" $'[1,null]\n[2,null]'
}

@test "external_id: a requester cannot read another's incident through it, nor learn it exists" {
	inc-log -s secret -r boss --external-id k1 >/dev/null
	INC_USER=zed run --separate-stderr inc-log <<<'{"subject":"x","external_id":"k1"}'
	assert_success
	assert_equal "$stderr" ""
	assert_equal "$(jq -c '[.id, .subject, .requester, .external_id, .event]' <<<"$output")" \
		'[2,"x","zed",null,{"kind":"logged"}]'
	INC_USER=boss run --separate-stderr inc-log <<<'{"subject":"x","external_id":"k1"}'
	assert_success
	assert_equal "$(jq -c '[.id, .subject]' <<<"$output")" '[1,"secret"]'
}

@test "category forms: C/SUB, C with subcategory, required form fields" {
	run --separate-stderr inc-log <<'EOF'
{"subject":"a","category":"network/vpn"}
{"subject":"b","category":"network","subcategory":"lan"}
{"subject":"c","category":"hardware","asset_tag":"LT-1"}
{"subject":"d","category":"hardware/laptop","custom":{"asset_tag":"LT-2"}}
{"subject":"e","category":"hardware"}
{"subject":"f","category":"hardware","asset_tag":""}
{"subject":"g","category":"hardware","asset_tag":null}
{"subject":"h","category":"email"}
{"subject":"i","category":"network/"}
EOF
	assert_failure 1
	assert_equal "$(jq -c '[.subject, .category, .subcategory, .custom]' <<<"$output")" \
'["a","network","vpn",{}]
["b","network","lan",{}]
["c","hardware",null,{"asset_tag":"LT-1"}]
["d","hardware","laptop",{"asset_tag":"LT-2"}]
["h","email",null,{}]
["i","network",null,{}]'
	assert_equal "$stderr" 'inc-log: line 5: category "hardware" requires field "asset_tag"
inc-log: line 6: category "hardware" requires field "asset_tag"
inc-log: line 7: category "hardware" requires field "asset_tag"'
}

@test "category form by options: --field fills it" {
	run --separate-stderr inc-log -s x --category hardware/laptop --field asset_tag=LT-9
	assert_success
	assert_equal "$(jq -c '[.category, .subcategory, .custom]' <<<"$output")" \
		'["hardware","laptop",{"asset_tag":"LT-9"}]'
}

@test "bad lines: exact messages, the others go on, exit 1" {
	printf '%s\n' \
		'{"subject":"first"}' \
		'not json' \
		'[1,2]' \
		'42' \
		'"a string"' \
		'null' \
		'{"subject":"a"} trailing' \
		'{"subject":"a"' \
		'{"subject":5}' \
		'{"subject":null}' \
		'{"subject":""}' \
		'{"description":"no subject"}' \
		'{"subject":"a","subject":"b"}' \
		'{"subject":"a","category":"nope"}' \
		'{"subject":"a","category":"network","subcategory":"nope"}' \
		'{"subject":"a","category":"nope/vpn"}' \
		'{"subject":"a","subcategory":"vpn"}' \
		'{"subject":"a","impact":"huge"}' \
		'{"subject":"a","urgency":"now"}' \
		'{"subject":"a","priority":"p1"}' \
		'{"subject":"a","group":"nogroup"}' \
		'{"subject":"a","source":"pigeon"}' \
		'{"subject":"a","major":"yes"}' \
		'{"subject":"a","requester":7}' \
		'{"subject":"a","description":[]}' \
		'{"subject":"a","category":5}' \
		'{"subject":"a","external_id":3}' \
		'{"subject":"a","links":"PRB-1"}' \
		'{"subject":"a","links":[1]}' \
		'{"subject":"a","links":[{"type":"bug","ref":"B-1"}]}' \
		'{"subject":"a","custom":[]}' \
		'{"subject":"a","created_at":"yesterday"}' \
		'{"subject":"a","created_at":true}' \
		'{"subject":"last"}' >"$BATS_TEST_TMPDIR/in.jsonl"
	run --separate-stderr inc-log <"$BATS_TEST_TMPDIR/in.jsonl"
	assert_failure 1
	assert_equal "$(jq -c '[.id, .subject]' <<<"$output")" $'[1,"first"]\n[2,"last"]'
	assert_equal "$stderr" "inc-log: line 2: invalid JSON: '[' or '{' expected near 'not'
inc-log: line 3: expected a JSON object
inc-log: line 4: expected a JSON object
inc-log: line 5: expected a JSON object
inc-log: line 6: expected a JSON object
inc-log: line 7: invalid JSON: end of file expected near 'trailing'
inc-log: line 8: invalid JSON: '}' expected near end of file
inc-log: line 9: subject: expected a string
inc-log: line 10: subject: must not be null
inc-log: line 11: subject: must not be empty
inc-log: line 12: subject: missing
inc-log: line 13: invalid JSON: duplicate object key near '\"subject\"'
inc-log: line 14: category: unknown category \"nope\" (want network, hardware, access, email or service)
inc-log: line 15: subcategory: unknown subcategory \"nope\" of \"network\" (want vpn, wifi or lan)
inc-log: line 16: category: unknown category \"nope\" (want network, hardware, access, email or service)
inc-log: line 17: subcategory: \"vpn\" given without a category
inc-log: line 18: impact: unknown impact \"huge\" (want high, medium or low)
inc-log: line 19: urgency: unknown urgency \"now\" (want high, medium or low)
inc-log: line 20: priority: unknown priority \"p1\" (want critical, high, medium or low)
inc-log: line 21: group: unknown group \"nogroup\" (want service-desk, l2-infra or l3-network)
inc-log: line 22: source: unknown source \"pigeon\" (want phone, email, sms, web, chat, api or monitoring)
inc-log: line 23: major: expected true or false
inc-log: line 24: requester: expected a string
inc-log: line 25: description: expected a string
inc-log: line 26: category: expected a string
inc-log: line 27: external_id: expected a string
inc-log: line 28: links: expected an array of {\"type\",\"ref\"} objects
inc-log: line 29: links[0]: expected {\"type\":\"...\",\"ref\":\"...\"}
inc-log: line 30: links: unknown link type \"bug\" (want problem, change, asset or incident)
inc-log: line 31: custom: expected an object
inc-log: line 32: created_at: bad time \"yesterday\"
inc-log: line 33: created_at: bad time"
	# nothing of the bad lines reached the database
	assert_equal "$(count)" 2
	assert_equal "$(count audit)" 2
}

@test "bad bytes: invalid UTF-8, a NUL byte, an escaped NUL" {
	printf '{"subject":"\xff"}\n{"subject":"a\0b"}\n{"subject":"a\\u0000b"}\n{"subject":"caf\xc3\xa9"}\n' \
		>"$BATS_TEST_TMPDIR/in.jsonl"
	run --separate-stderr inc-log <"$BATS_TEST_TMPDIR/in.jsonl"
	assert_failure 1
	assert_equal "$(jq -c '[.id, .subject]' <<<"$output")" '[1,"café"]'
	assert_equal "$stderr" "inc-log: line 1: invalid JSON: unable to decode byte 0xff near '\"'
inc-log: line 2: invalid JSON: control character 0x0 near '\"a'
inc-log: line 3: invalid JSON: \\u0000 is not allowed without JSON_ALLOW_NUL near '\"a\\u0000b\"'"
	assert_equal "$(count)" 1
}

@test "blank lines are skipped but counted, CRLF and a last line without newline" {
	printf '\n  \n{"subject":"a"}\r\n\t\r\n{"subject":1}\r\n{"subject":"b"}' >"$BATS_TEST_TMPDIR/in.jsonl"
	run --separate-stderr inc-log <"$BATS_TEST_TMPDIR/in.jsonl"
	assert_failure 1
	assert_equal "$(jq -c '[.id, .subject]' <<<"$output")" $'[1,"a"]\n[2,"b"]'
	assert_equal "$stderr" "inc-log: line 5: subject: expected a string"
}

@test "an input line's id is ignored: the database assigns ids" {
	run --separate-stderr inc-log <<<$'{"id":7,"subject":"a"}\n{"id":"INC-7","subject":"b"}'
	assert_success
	assert_equal "$(jq -c '[.id, .ref]' <<<"$output")" $'[1,"INC-1"]\n[2,"INC-2"]'
}

@test "a 5 MB subject on one line" {
	{ printf '{"subject":"'; head -c 5000000 /dev/zero | tr '\0' x; printf '"}\n{"subject":"after"}\n'; } \
		>"$BATS_TEST_TMPDIR/big.jsonl"
	run --separate-stderr inc-log <"$BATS_TEST_TMPDIR/big.jsonl"
	assert_success
	assert_equal "$(jq -c '[.id, (.subject | length)]' <<<"$output")" $'[1,5000000]\n[2,5]'
	assert_equal "$(dbq 'SELECT length(subject) FROM incident WHERE id = 1')" 5000000
}

@test "empty stdin that is no terminal: nothing logged, status 0" {
	run --separate-stderr inc-log </dev/null
	assert_success
	assert_output ""
	assert_equal "$stderr" ""
	# every tool creates the database with its schema on first use
	assert_equal "$(count)" 0
}

@test "option values the config does not know: exit 2, nothing written" {
	local args
	while IFS='|' read -r args msg; do
		# shellcheck disable=SC2086
		run --separate-stderr inc-log $args
		assert_failure 2
		assert_output ""
		assert_equal "$stderr" "$msg"
		db_absent
	done <<'EOF'
-s x --impact huge|inc-log: impact: unknown impact "huge" (want high, medium or low)
-s x --urgency now|inc-log: urgency: unknown urgency "now" (want high, medium or low)
-s x --category nope|inc-log: category: unknown category "nope" (want network, hardware, access, email or service)
-s x --category network/nope|inc-log: subcategory: unknown subcategory "nope" of "network" (want vpn, wifi or lan)
-s x --category network --subcategory nope|inc-log: subcategory: unknown subcategory "nope" of "network" (want vpn, wifi or lan)
-s x --subcategory vpn|inc-log: subcategory: "vpn" given without a category
-s x --group nogroup|inc-log: group: unknown group "nogroup" (want service-desk, l2-infra or l3-network)
-s x --source pigeon|inc-log: source: unknown source "pigeon" (want phone, email, sms, web, chat, api or monitoring)
-s x --category hardware|inc-log: category "hardware" requires field "asset_tag"
-s x --link bug:B-1|inc-log: --link: unknown link type "bug" (want problem, change, asset or incident)
-s x --link PRB-7|inc-log: --link: want TYPE:REF, got "PRB-7"
-s x --link problem:|inc-log: --link: empty reference
-s x --field =v|inc-log: --field: want KEY=VALUE, got "=v"
-s x --field novalue|inc-log: --field: want KEY=VALUE, got "novalue"
-r joe|inc-log: options need -s SUBJECT
EOF
}

@test "an option that is not valid UTF-8: exit 2" {
	run --separate-stderr inc-log -s "$(printf 'a\xffb')"
	assert_failure 2
	assert_equal "$stderr" "inc-log: --subject: not valid UTF-8"
	run --separate-stderr inc-log --as "$(printf 'a\xffb')" -s x
	assert_failure 2
	assert_equal "$stderr" "inc-log: --as: not valid UTF-8"
	db_absent
}

@test "-h, --help, --version, a bad option, an operand" {
	run --separate-stderr inc-log -h
	assert_success
	assert_output --regexp '^usage: inc-log \[-d DB\] \[-c CONFIG\] \[--now TIME\] \[--as USER\] \[-s SUBJECT'
	assert_equal "$stderr" ""
	run --separate-stderr inc-log --help
	assert_success
	assert_line --index 0 --partial "usage: inc-log "
	run --separate-stderr inc-log --version
	assert_success
	assert_output "inc-log 0.1.0"
	run --separate-stderr inc-log --bogus
	assert_failure 2
	assert_output ""
	[[ "${stderr_lines[0]}" == *"inc-log: unrecognized option '--bogus'" ]]
	[[ "${stderr_lines[1]}" == "usage: inc-log "* ]]
	run --separate-stderr inc-log -s x extra
	assert_failure 2
	[[ "$stderr" == "usage: inc-log "* ]]
	db_absent
}

@test "a bad --now or INC_NOW: exit 2" {
	run --separate-stderr inc-log --now yesterday -s x
	assert_failure 2
	assert_equal "$stderr" 'inc-log: --now: bad time "yesterday"'
	INC_NOW=2026-02-30T00:00:00Z run --separate-stderr inc-log -s x
	assert_failure 2
	assert_equal "$stderr" 'inc-log: INC_NOW: bad time "2026-02-30T00:00:00Z"'
	db_absent
}

@test "a bad config: exit 2, nothing written" {
	make_config bad <<<'{"groups":[{"name":"g","strategy":"random"}]}'
	run --separate-stderr inc-log -s x
	assert_failure 2
	assert_equal "$stderr" "inc-log: $INC_CONFIG: groups[0]: strategy: unknown strategy \"random\" (want round_robin, least_loaded or skills)"
	db_absent
}

@test "database unavailable: exit 3" {
	run --separate-stderr inc-log -d "$BATS_TEST_TMPDIR/no/such/dir/x.db" -s x
	assert_failure 3
	assert_equal "$stderr" "inc-log: $BATS_TEST_TMPDIR/no/such/dir/x.db: unable to open database file"
	run --separate-stderr inc-log -d "$BATS_TEST_TMPDIR" -s x
	assert_failure 3
	assert_equal "$stderr" "inc-log: $BATS_TEST_TMPDIR: unable to open database file"
	echo "not a database, at all, no" >"$BATS_TEST_TMPDIR/junk.db"
	INC_DB=$BATS_TEST_TMPDIR/junk.db run --separate-stderr inc-log </dev/null
	assert_failure 3
	assert_equal "$stderr" "inc-log: $BATS_TEST_TMPDIR/junk.db: file is not a database"
	INC_BUSY_TIMEOUT=soon run --separate-stderr inc-log -s x
	assert_failure 2
	assert_equal "$stderr" 'inc-log: INC_BUSY_TIMEOUT: bad duration "soon"'
}

@test "a database server that cannot be reached: exit 3" {
	run --separate-stderr inc-log -d "postgresql:///inc?host=$BATS_TEST_TMPDIR/nowhere" -s x
	assert_failure 3
	assert_output ""
	assert_regex "$stderr" "^inc-log: postgresql:///inc\\?host=$BATS_TEST_TMPDIR/nowhere: cannot connect: .*No such file or directory"
	INC_DB="postgres://nobody@127.0.0.1:1/inc" run --separate-stderr inc-show
	assert_failure 3
	assert_regex "$stderr" '^inc-show: postgres://nobody@127.0.0.1:1/inc: cannot connect: '
	# a password is never shown
	INC_DB="postgresql://joe:s3cret@127.0.0.1:1/inc?sslmode=disable&password=s3cret" \
		run --separate-stderr inc-show
	assert_failure 3
	assert_regex "$stderr" '^inc-show: postgresql://joe:\*\*\*@127.0.0.1:1/inc\?sslmode=disable&password=\*\*\*: cannot connect: '
	refute_regex "$stderr" s3cret
}

@test "database locked past the busy timeout: exit 3, nothing written" {
	inc-log -s first >/dev/null
	mkfifo "$BATS_TEST_TMPDIR/sql" "$BATS_TEST_TMPDIR/said"
	dbq <"$BATS_TEST_TMPDIR/sql" >"$BATS_TEST_TMPDIR/said" 3>&- &
	exec 5>"$BATS_TEST_TMPDIR/sql" 6<"$BATS_TEST_TMPDIR/said"
	lock_sql >&5
	read -r said <&6
	assert_equal "$said" locked
	INC_BUSY_TIMEOUT=1 run --separate-stderr inc-log -s second
	assert_failure 3
	assert_output ""
	assert_equal "$stderr" "inc-log: $INC_DB: database is locked"
	INC_BUSY_TIMEOUT=1 run --separate-stderr inc-log <<<'{"subject":"third"}'
	assert_failure 3
	assert_output ""
	assert_equal "$stderr" "inc-log: $INC_DB: database is locked"
	# readers go on meanwhile (WAL)
	INC_BUSY_TIMEOUT=1 run --separate-stderr inc-show
	assert_success
	assert_equal "$(jq -r .subject <<<"$output")" first
	echo "ROLLBACK;" >&5
	exec 5>&- 6<&-
	wait
	assert_equal "$(count)" 1
}

@test "the audit table refuses UPDATE and DELETE" {
	inc-log -s x >/dev/null
	run dbq "UPDATE audit SET actor = 'mallory'"
	assert_failure
	assert_output --partial "audit trail is append-only"
	run dbq "DELETE FROM audit"
	assert_failure
	assert_output --partial "audit trail is append-only"
	assert_equal "$(dbq 'SELECT actor FROM audit')" root
}

@test "an id never changes: an UPDATE of an incident's or a task's id is refused, the next number unmoved" {
	inc-log -s x >/dev/null
	inc-log -s y >/dev/null
	inc-task add 1 --title "call the vendor" >/dev/null
	run dbq "UPDATE incident SET id = 9223372036854775807 WHERE id = 2"
	assert_failure
	assert_output --partial "an incident's id never changes"
	run dbq "UPDATE task SET id = 7"
	assert_failure
	assert_output --partial "a task's id never changes"
	# the same id set again is no change
	run dbq "UPDATE incident SET id = id, subject = 'x again' WHERE id = 1"
	assert_success
	run --separate-stderr inc-log -s z
	assert_success
	assert_equal "$(jq -r .id <<<"$output")" 3
}

@test "a record reaches stdout only once committed, without waiting for more input" {
	mkfifo "$BATS_TEST_TMPDIR/in" "$BATS_TEST_TMPDIR/out"
	inc-log <"$BATS_TEST_TMPDIR/in" >"$BATS_TEST_TMPDIR/out" 3>&- &
	local pid=$!
	exec 5>"$BATS_TEST_TMPDIR/in" 6<"$BATS_TEST_TMPDIR/out"
	echo '{"subject":"one"}' >&5
	read -r first <&6
	assert_equal "$(jq -c '[.id, .subject]' <<<"$first")" '[1,"one"]'
	# inc-log still runs, waiting on its input: line 1 is in the database
	assert_equal "$(inc-show | jq -c '[.id, .subject]')" '[1,"one"]'
	echo '{"subject":"two"}' >&5
	exec 5>&-
	read -r second <&6
	exec 6<&-
	assert_equal "$(jq -c '[.id, .subject]' <<<"$second")" '[2,"two"]'
	wait "$pid"
}

@test "kill -9 in the middle of a bulk load: no half record; a re-run completes it" {
	# a round trip per statement to a server: a tenth of the load there
	local total=200000
	if [ "$INC_TEST_ENGINE" = pg ]; then
		total=20000
	fi
	awk -v n="$total" 'BEGIN { for (i = 1; i <= n; i++)
		printf "{\"subject\":\"bulk %d\",\"external_id\":\"bulk-%d\"}\n", i, i }' \
		>"$BATS_TEST_TMPDIR/bulk.jsonl"
	mkfifo "$BATS_TEST_TMPDIR/out"
	inc-log <"$BATS_TEST_TMPDIR/bulk.jsonl" >"$BATS_TEST_TMPDIR/out" 3>&- &
	local pid=$! rc=0
	exec 6<"$BATS_TEST_TMPDIR/out"
	# the first record out means the first batch is committed
	read -r first <&6
	kill -9 "$pid"
	wait "$pid" || rc=$?
	exec 6<&-
	assert_equal "$rc" 137
	assert_equal "$(jq -r .external_id <<<"$first")" bulk-1
	assert_equal "$(db_integrity)" ok
	local n
	n=$(count)
	[ "$n" -ge 1 ] && [ "$n" -lt "$total" ]
	# every incident has its 'logged' audit row, and no audit row is orphaned
	assert_equal "$(dbq "SELECT count(*) FROM incident i WHERE NOT EXISTS
		(SELECT 1 FROM audit a WHERE a.incident = i.id AND a.action = 'logged')")" 0
	assert_equal "$(dbq "SELECT count(*) FROM audit a WHERE NOT EXISTS
		(SELECT 1 FROM incident i WHERE i.id = a.incident)")" 0
	# ids have no gap: what was committed is a prefix of the input
	assert_equal "$(dbq "SELECT count(*) FROM incident WHERE external_id <> 'bulk-' || id")" 0
	run --separate-stderr inc-log <"$BATS_TEST_TMPDIR/bulk.jsonl"
	assert_success
	assert_equal "${#lines[@]}" "$total"
	assert_equal "$(jq -c 'select(.event.existing)' <<<"$output" | wc -l)" "$n"
	assert_equal "$(dbq 'SELECT count(*), count(DISTINCT external_id) FROM incident')" "$total|$total"
	assert_equal "$(count audit)" "$total"
}

@test "four writers at once on a new database: all succeed, all rows present" {
	local w pids=() rc
	for w in 1 2 3 4; do
		awk -v w="$w" 'BEGIN { for (i = 1; i <= 2000; i++)
			printf "{\"subject\":\"w%d %d\",\"external_id\":\"w%d-%d\"}\n", w, i, w, i }' \
			>"$BATS_TEST_TMPDIR/w$w.jsonl"
	done
	for w in 1 2 3 4; do
		inc-log <"$BATS_TEST_TMPDIR/w$w.jsonl" >"$BATS_TEST_TMPDIR/w$w.out" \
			2>"$BATS_TEST_TMPDIR/w$w.err" 3>&- &
		pids+=($!)
	done
	for w in 0 1 2 3; do
		rc=0
		wait "${pids[$w]}" || rc=$?
		assert_equal "$rc" 0
	done
	for w in 1 2 3 4; do
		assert_equal "$(cat "$BATS_TEST_TMPDIR/w$w.err")" ""
		assert_equal "$(wc -l <"$BATS_TEST_TMPDIR/w$w.out")" 2000
	done
	assert_equal "$(dbq 'SELECT count(*), count(DISTINCT external_id) FROM incident')" "8000|8000"
	assert_equal "$(count audit)" 8000
	assert_equal "$(db_integrity)" ok
}

@test "eight processes creating one new database at once: none is refused" {
	local round i pids rc
	mkfifo "$BATS_TEST_TMPDIR/gun"
	# read-write: opening never blocks, and the fifo stays open for all
	exec 7<>"$BATS_TEST_TMPDIR/gun"
	for round in 1 2 3 4 5 6 7 8 9 10; do
		INC_DB=$(db_at "race$round")
		export INC_DB
		pids=()
		# each waits for a line on the fifo: they start together
		for i in 1 2 3 4 5 6 7 8; do
			bash -c 'read -r _ <"$1"; exec inc-log -s "$2"' - "$BATS_TEST_TMPDIR/gun" "p$i" \
				>/dev/null 2>"$BATS_TEST_TMPDIR/race$i.err" 3>&- 7>&- &
			pids+=($!)
		done
		printf '\n\n\n\n\n\n\n\n' >&7
		for i in 0 1 2 3 4 5 6 7; do
			rc=0
			wait "${pids[$i]}" || rc=$?
			assert_equal "$(cat "$BATS_TEST_TMPDIR/race$((i + 1)).err")" ""
			assert_equal "$rc" 0
		done
		assert_equal "$(count)" 8
	done
	exec 7>&-
}
