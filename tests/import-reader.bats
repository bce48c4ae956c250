#!/usr/bin/env bats
# The reading half of inc-import over the three real logs of ../shared/data
# (see its README): every row read, none refused, and the figures of the
# normalized events it makes equal to those tests/import-figures.sh computes
# from the raw file with awk alone. The reader runs through
# tests/unit/import_test --dump, built by make.
load test_helper

DATA="$INC_ROOT/../shared/data"
DUMP="$INC_ROOT/tests/unit/import_test"

# figures_agree FORMAT FILE MAPPING EVENTS
figures_agree() {
	[ -r "$DATA/$2" ] || skip "no $DATA/$2 (real incident logs live in ../shared/data)"
	run --separate-stderr sh -c "gzip -dc '$DATA/$2' | '$DUMP' --dump $1 '$INC_ROOT/share/import/$3' >'$BATS_TEST_TMPDIR/events.jsonl'"
	assert_success
	assert_equal "$stderr" "$4 events, 0 refused, ${stderr#*, 0 refused, }"
	assert_equal "$(wc -l <"$BATS_TEST_TMPDIR/events.jsonl")" "$4"
	"$INC_ROOT/tests/import-figures.sh" "$1" "$DATA/$2" >"$BATS_TEST_TMPDIR/raw"
	"$INC_ROOT/tests/import-figures.sh" jsonl "$BATS_TEST_TMPDIR/events.jsonl" >"$BATS_TEST_TMPDIR/read"
	run diff "$BATS_TEST_TMPDIR/raw" "$BATS_TEST_TMPDIR/read"
	assert_success
}

@test "the UCI ServiceNow log: 141,712 rows and 24,918 openings, figures as the raw file's" {
	figures_agree servicenow uci-incident-event-log.csv.gz servicenow.json 166630
	assert_equal "$(jq -c 'select(.figure == "incidents" or .figure == "reopen_count_source") | .value' "$BATS_TEST_TMPDIR/raw" | paste -sd ' ')" "24918 331"
}

@test "the BPI 2013 XES log: 65,533 events, figures as the raw file's" {
	figures_agree xes bpi2013-incidents.xes.gz bpi2013.json 65533
	assert_equal "$(jq -c 'select(.figure == "incidents") | .value' "$BATS_TEST_TMPDIR/raw")" 7554
}

@test "the helpdesk log: 21,348 rows less 8 of the bug tracker, figures as the raw file's" {
	figures_agree helpdesk helpdesk-event-log.csv.gz helpdesk.json 21340
	assert_equal "$(jq -c 'select(.figure == "incidents") | .value' "$BATS_TEST_TMPDIR/raw")" 4580
}

@test "the normalized events read back as jsonl are the same events" {
	[ -r "$DATA/bpi2013-incidents.xes.gz" ] || skip "no $DATA (real incident logs live in ../shared/data)"
	gzip -dc "$DATA/bpi2013-incidents.xes.gz" | "$DUMP" --dump xes "$INC_ROOT/share/import/bpi2013.json" \
		>"$BATS_TEST_TMPDIR/a.jsonl" 2>/dev/null
	run --separate-stderr sh -c "'$DUMP' --dump jsonl <'$BATS_TEST_TMPDIR/a.jsonl' >'$BATS_TEST_TMPDIR/b.jsonl'"
	assert_success
	run cmp "$BATS_TEST_TMPDIR/a.jsonl" "$BATS_TEST_TMPDIR/b.jsonl"
	assert_success
}

@test "a bad row is reported with its line and the rest is read" {
	printf 'Case ID,Activity,Resource,Complete Timestamp,Variant,Variant index,Variant,seriousness,customer,product,responsible_section,seriousness_2,service_level,service_type,support_section,workgroup\n%s\n%s\n' \
		'Case 1,Take a break,Value 1,2012/10/09 14:50:17.000,V,1,V,Value 1,Value 1,Value 1,Value 1,Value 1,Value 1,Value 1,Value 1,Value 1' \
		'Case 1,Wait,Value 1,2012/10/09 14:51:17.000,V,1,V,Value 1,Value 1,Value 1,Value 1,Value 1,Value 1,Value 1,Value 1,Value 1' \
		>"$BATS_TEST_TMPDIR/h.csv"
	run --separate-stderr "$DUMP" --dump helpdesk "$INC_ROOT/share/import/helpdesk.json" <"$BATS_TEST_TMPDIR/h.csv"
	assert_failure 1
	assert_equal "$(head -n 1 <<<"$stderr")" 'import_test: line 2: unknown state "Take a break"'
	assert_equal "$(jq -r .status <<<"$output")" on_hold
}
