#!/usr/bin/env bats
# The desk's time zone (config "timezone", SPEC section 5): tables and
# calendar keys of reports in local time, times written without an offset
# read as local; JSON output stays UTC.
load test_helper

berlin() {
	edit_config '.timezone = "Europe/Berlin"'
}

@test "no timezone: UTC, as before; Europe/Berlin accepted by inc config check" {
	run --separate-stderr inc-log -s x --now 2026-11-27T11:00:00
	assert_success
	assert_equal "$(jq -r .created_at <<<"$output")" 2026-11-27T11:00:00Z
	berlin
	run --separate-stderr inc config check
	assert_success
	assert_output "$INC_CONFIG: ok"
}

@test "a bad zone is a config error naming the file: exit 2, nothing done" {
	edit_config '.timezone = "Europe/Atlantis"'
	run --separate-stderr inc-show
	assert_failure 2
	assert_output ""
	assert_equal "$stderr" "inc-show: $INC_CONFIG: timezone: unknown time zone \"Europe/Atlantis\""
	db_absent
}

@test "input times without an offset are the desk's; JSON output stays UTC" {
	berlin
	run --separate-stderr inc-log <<'JSON'
{"subject":"winter","created_at":"2026-11-27T09:00:00"}
{"subject":"summer","created_at":"2026-07-01 09:00"}
{"subject":"a date","created_at":"2026-11-27"}
{"subject":"explicit","created_at":"2026-11-27T09:00:00Z"}
{"subject":"offset","created_at":"2026-11-27T09:00:00-05:00"}
{"subject":"epoch","created_at":1795773600}
JSON
	assert_success
	assert_equal "$stderr" ""
	assert_equal "$(jq -r .created_at <<<"$output" | paste -sd' ')" \
		"2026-11-27T08:00:00Z 2026-07-01T07:00:00Z 2026-11-26T23:00:00Z 2026-11-27T09:00:00Z 2026-11-27T14:00:00Z 2026-11-27T10:00:00Z"
}

@test "--now, INC_NOW and --since/--until without an offset are the desk's" {
	berlin
	run --separate-stderr inc-log -s x --now "2026-11-27 11:00"
	assert_equal "$(jq -r .created_at <<<"$output")" 2026-11-27T10:00:00Z
	INC_NOW=2026-11-27T12:30 run --separate-stderr inc-log -s y
	assert_equal "$(jq -r .created_at <<<"$output")" 2026-11-27T11:30:00Z
	# created 10:00Z and 11:30Z: 11:00 and 12:30 in Berlin
	assert_equal "$(inc-show --since 2026-11-27T12:00 | jq -r .id)" 2
	assert_equal "$(inc-show --until "2026-11-27 12:00" | jq -r .id)" 1
	assert_equal "$(inc-show --since 2026-11-27 | jq -r .id | paste -sd' ')" "1 2"
	assert_equal "$(inc-show --since 2026-11-28 | jq -r .id)" ""
	assert_equal "$(inc-report --since 2026-11-27T12:00 | jq .count)" 1
}

@test "inc-task: --due without an offset is the desk's; the table shows local times" {
	berlin
	inc-log -s x >/dev/null
	run --separate-stderr inc-task add 1 --title t --due "2026-11-28 10:00"
	assert_success
	assert_equal "$(jq -r .due <<<"$output")" 2026-11-28T09:00:00Z
	inc-task add 1 --title summer --due 2026-07-01T12:00:00Z >/dev/null
	run --separate-stderr env COLUMNS=80 inc-task list --format table
	assert_success
	assert_equal "$(sed -n '2,3p' <<<"$output" | cut -c50-65)" $'2026-11-28 10:00\n2026-07-01 14:00'
}

@test "a bad time without an offset is still refused" {
	berlin
	run --separate-stderr inc-show --since "2026-11-27 25:00"
	assert_failure 2
	assert_equal "$stderr" 'inc-show: --since: bad time "2026-11-27 25:00"'
}

@test "inc-report --by day, week, month: the desk's local dates, across DST changes" {
	berlin
	inc-log >/dev/null <<'JSON'
{"subject":"a","created_at":"2026-11-26T22:59:59Z"}
{"subject":"b","created_at":"2026-11-26T23:00:00Z"}
{"subject":"c","created_at":"2026-03-28T22:59:59Z"}
{"subject":"d","created_at":"2026-03-29T21:59:59Z"}
{"subject":"e","created_at":"2026-03-29T22:00:00Z"}
{"subject":"f","created_at":"2026-10-24T21:59:59Z"}
{"subject":"g","created_at":"2026-10-24T22:00:00Z"}
{"subject":"h","created_at":"2026-10-25T22:59:59Z"}
{"subject":"i","created_at":"2026-10-25T23:00:00Z"}
{"subject":"j","created_at":"2026-12-31T23:00:00Z"}
JSON
	run --separate-stderr inc-report --by day
	assert_success
	assert_equal "$(jq -c '[.day, .count]' <<<"$output" | paste -sd' ')" \
		'["2026-03-28",1] ["2026-03-29",1] ["2026-03-30",1] ["2026-10-24",1] ["2026-10-25",2] ["2026-10-26",1] ["2026-11-26",1] ["2026-11-27",1] ["2027-01-01",1]'
	run --separate-stderr inc-report --by month,week
	assert_equal "$(jq -c '[.month, .week, .count]' <<<"$output" | paste -sd' ')" \
		'["2026-03","2026-W13",2] ["2026-03","2026-W14",1] ["2026-10","2026-W43",3] ["2026-10","2026-W44",1] ["2026-11","2026-W48",2] ["2027-01","2026-W53",1]'
	# UTC, the default, as before
	export INC_CONFIG="$INC_ROOT/share/config.json"
	run --separate-stderr inc-report --by day --since 2026-11-26 --until 2026-11-28
	assert_equal "$(jq -c '[.day, .count]' <<<"$output" | paste -sd' ')" '["2026-11-26",2]'
}

@test "inc-report --by day in a zone without DST changes, and the percentiles by local day" {
	edit_config '.timezone = "Asia/Kolkata"'
	inc-log >/dev/null <<'JSON'
{"subject":"a","created_at":"2026-11-26T18:29:59Z"}
{"subject":"b","created_at":"2026-11-26T18:30:00Z"}
JSON
	dbq "UPDATE incident SET status = 'resolved', resolved_at = created_at + 600 * id"
	run --separate-stderr inc-report --by day --format csv
	assert_success
	assert_equal "$(cut -d, -f1-8 <<<"$output")" $'day,count,open,resolved,mtta_s,mttr_s,mttr_p50_s,mttr_p90_s\n2026-11-26,1,0,1,,600,600,600\n2026-11-27,1,0,1,,1200,1200,1200'
}
