#!/usr/bin/env bats
# The intake pipeline of SPEC section 2: raw reports in, categorized,
# prioritized, assigned incidents out.
load test_helper

local_setup() {
	cat >"$BATS_TEST_TMPDIR/new.jsonl" <<'JSON'
{"subject":"VPN tunnel drops every hour","requester":"joe@example.com","source":"email"}
{"subject":"Printer on 3rd floor out of toner","requester":"ann@example.com","source":"web","custom":{"asset_tag":"PRN-0042"}}
{"subject":"Mail down for everyone","source":"phone"}
{"subject":"Locked out after password change","requester":"joe@example.com","source":"phone"}
{"subject":"disk 95% on db1","source":"monitoring","external_id":"alert-7781"}
{"subject":"Wi-Fi slow in the canteen","requester":"sam@example.com","source":"chat"}
{"subject":"New laptop please","category":"hardware","impact":"medium","custom":{"asset_tag":"LAP-1"}}
JSON
}

summary() {
	jq -r '[.id, .category, .subcategory, .impact, .urgency, .priority, .group, .assignee, .status, .major] | map(if . == null then "-" else tostring end) | join(" ")' <<<"$output"
}

@test "inc-log < new.jsonl | inc-classify | inc-assign: categorized, prioritized, assigned" {
	run --separate-stderr bash -c 'inc-log < "$BATS_TEST_TMPDIR/new.jsonl" | inc-classify | inc-assign'
	assert_success
	assert_equal "$stderr" ""
	assert_equal "$(summary)" "$(cat <<'TABLE'
1 network vpn low medium low l2-infra dana assigned false
2 hardware printer low low low service-desk alice assigned false
3 service outage high high critical service-desk bob assigned true
4 access password low high medium service-desk chen assigned false
5 - - medium high high service-desk alice assigned false
6 network wifi low medium low service-desk bob assigned false
7 hardware - medium medium medium service-desk chen assigned false
TABLE
)"
	assert_equal "$(jq -r .event.kind <<<"$output" | sort -u)" assigned
	# what the last stage wrote is what the database holds
	assert_equal "$(inc-show | jq -c 'del(.event)')" "$(jq -c 'del(.event)' <<<"$output")"
}

@test "the audit trail tells each stage apart" {
	bash -c 'inc-log < "$BATS_TEST_TMPDIR/new.jsonl" | inc-classify | inc-assign' >/dev/null
	run --separate-stderr inc-show --history 3
	assert_equal "$(jq -c '[.history[] | .tool] | unique' <<<"$output")" '["inc-assign","inc-classify","inc-log"]'
	assert_equal "$(jq -c '[.history[] | select(.tool == "inc-assign") | [.field, .to]]' <<<"$output")" \
		'[["status","assigned"],["assignee","bob"]]'
}

@test "a second intake run continues the rotation" {
	head -3 "$BATS_TEST_TMPDIR/new.jsonl" >"$BATS_TEST_TMPDIR/a.jsonl"
	tail -4 "$BATS_TEST_TMPDIR/new.jsonl" >"$BATS_TEST_TMPDIR/b.jsonl"
	bash -c 'inc-log < "$BATS_TEST_TMPDIR/a.jsonl" | inc-classify | inc-assign' >/dev/null
	run --separate-stderr bash -c 'INC_NOW=2026-11-27T10:05:00Z; export INC_NOW; inc-log < "$BATS_TEST_TMPDIR/b.jsonl" | inc-classify | inc-assign'
	assert_success
	assert_equal "$(jq -r .assignee <<<"$output" | paste -sd' ')" "chen alice bob chen"
}

@test "re-running the intake with the same external ids assigns nothing twice" {
	bash -c 'inc-log < "$BATS_TEST_TMPDIR/new.jsonl" | inc-classify | inc-assign' >/dev/null
	run --separate-stderr bash -c 'grep alert-7781 "$BATS_TEST_TMPDIR/new.jsonl" | inc-log | inc-classify | inc-assign'
	assert_success
	assert_equal "$(jq -c '[.id, .assignee, .event]' <<<"$output")" \
		'[5,"alice",{"kind":"assigned","group":"service-desk","assignee":"alice","existing":true}]'
}

@test "an intake with nobody free queues, and inc-assign --queued picks it up later" {
	edit_config '.people |= map(if .name == "dana" or .name == "erik" then .available = false else . end)'
	run --separate-stderr bash -c 'head -1 "$BATS_TEST_TMPDIR/new.jsonl" | inc-log | inc-classify | inc-assign'
	assert_success
	assert_equal "$(summary)" "1 network vpn low medium low l2-infra - new false"
	assert_equal "$(jq -c .event <<<"$output")" '{"kind":"queued","group":"l2-infra"}'
	edit_config '.'
	run --separate-stderr inc-assign --queued
	assert_equal "$(summary)" "1 network vpn low medium low l2-infra dana assigned false"
}

@test "--explain in the middle of the pipeline; inc-assign writes its own event" {
	run --separate-stderr bash -c 'head -1 "$BATS_TEST_TMPDIR/new.jsonl" | inc-log | inc-classify --explain | tee "$BATS_TEST_TMPDIR/mid" | inc-assign'
	assert_success
	assert_equal "$(jq -c '[.event.kind, [.event.rules[].index]]' "$BATS_TEST_TMPDIR/mid")" '["classified",[1]]'
	assert_equal "$(jq -r .event.kind <<<"$output")" assigned
}

@test "a bad report stops at inc-log; the rest flows through" {
	run --separate-stderr bash -c 'printf "%s\n" "{\"subject\":\"vpn\"}" "{\"description\":\"no subject\"}" "{\"subject\":\"wifi\"}" | inc-log | inc-classify | inc-assign'
	assert_success
	assert_equal "$stderr" "inc-log: line 2: subject: missing"
	assert_equal "$(jq -c '[.id, .assignee]' <<<"$output" | paste -sd' ')" '[1,"dana"] [2,"alice"]'
}
