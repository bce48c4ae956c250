#!/usr/bin/env bats
# Real data nobody here wrote: the UCI ServiceNow incident log of
# ../shared/data (see its README), imported, routed, watched and reported.
load test_helper

local_setup() {
	DATA="$INC_ROOT/../shared/data/uci-incident-event-log.csv.gz"
	[ -r "$DATA" ] || skip "no $DATA (real incident logs live in ../shared/data)"
	"$INC_ROOT/bench/import-uci.sh" "$DATA" >"$BATS_TEST_TMPDIR/uci.jsonl"
}

@test "the UCI ServiceNow log imports whole, and a re-run doubles nothing" {
	assert_equal "$(wc -l <"$BATS_TEST_TMPDIR/uci.jsonl")" 24918
	run --separate-stderr sh -c 'inc-log < "$BATS_TEST_TMPDIR/uci.jsonl" | wc -l'
	assert_success
	assert_equal "$stderr" ""
	assert_output 24918
	assert_equal "$(dbq 'SELECT count(*), count(DISTINCT external_id) FROM incident')" "24918|24918"
	assert_equal "$(dbq "SELECT count(*) FROM audit WHERE action = 'logged'")" 24918
	# the ServiceNow number is the key: a second import returns what is stored
	run --separate-stderr sh -c 'inc-log < "$BATS_TEST_TMPDIR/uci.jsonl" | jq -c "select(.event.existing != true)" | wc -l'
	assert_success
	assert_output 0
	assert_equal "$(dbq 'SELECT count(*) FROM incident')" 24918
	assert_equal "$(db_integrity)" ok
}

@test "imported incidents keep their times and the caller's columns" {
	inc-log <"$BATS_TEST_TMPDIR/uci.jsonl" >/dev/null
	first=$(head -n 1 "$BATS_TEST_TMPDIR/uci.jsonl")
	xid=$(jq -r .external_id <<<"$first")
	run --separate-stderr sh -c "inc-show | jq -c 'select(.external_id == \"$xid\") | [.created_at, .requester, .source]'"
	assert_success
	assert_output "$(jq -c '[(.created_at | if type == "number" then todate else . end), .requester, .source]' <<<"$first")"
}

@test "intake, SLA clocks and KPIs over the imported log" {
	# after the last incident of the log was opened: nothing is dated
	# before the incident it acts on
	export INC_NOW=2018-01-01T00:00:00Z
	inc-log <"$BATS_TEST_TMPDIR/uci.jsonl" | inc-classify | inc-assign >/dev/null
	assert_equal "$(dbq "SELECT count(*) FROM incident WHERE status = 'new' AND assignee IS NULL AND grp IS NULL")" 0
	run --separate-stderr inc-sla
	assert_success
	assert_equal "$(dbq 'SELECT count(*) FROM incident WHERE sla_policy IS NULL')" 0
	run --separate-stderr inc-report --by priority
	assert_success
	assert_equal "$(jq -s 'map(.count) | add' <<<"$output")" 24918
	run --separate-stderr inc-report --aging
	assert_success
	assert_equal "$(jq -s '.[0].open' <<<"$output")" 24918
}
