#!/usr/bin/env bats
# inc-sla: policies attached, due times to the second in several zones,
# each state change written once, --all, --explain, --recompute.
load test_helper

# The SLA object of incident $1, compact.
sla() {
	inc-show "$1" | jq -c .sla
}

@test "the first run attaches the first matching policy and writes nothing" {
	run --separate-stderr inc-log -s "printer jammed" -r joe@example.com
	assert_success
	assert_equal "$(jq -c .sla <<<"$output")" null
	run --separate-stderr inc-sla
	assert_success
	assert_output ""
	assert_equal "$stderr" ""
	# Friday 11:00 Berlin, standard: response 4h, resolve 24h of office time
	# (Fri 6h, Mon 8h, Tue 8h, Wed 09:00-11:00)
	assert_equal "$(sla 1)" '{"policy":"standard","response_due":"2026-11-27T14:00:00Z","resolve_due":"2026-12-02T10:00:00Z","responded_at":null,"response_met":null,"resolve_met":null,"paused_s":0,"state":"ok"}'
	run --separate-stderr inc-show 1 --history
	assert_equal "$(jq -c '[.history[] | select(.field == "sla_policy") | [.tool, .action, .to]]' <<<"$output")" '[["inc-sla","sla","standard"]]'
}

@test "a target is lost at its breach: met is false from then, not only once decided" {
	log_one '{"subject":"x"}' >/dev/null
	inc-sla
	INC_NOW=2026-11-27T14:01:00Z run --separate-stderr inc-sla
	assert_equal "$(jq -c '[.event.kind, .event.target, .sla.response_met, .sla.resolve_met]' <<<"$output")" '["sla_breached","response",false,null]'
	# responding late keeps it lost
	INC_NOW=2026-11-27T15:00:00Z inc-update --status in_progress 1 >/dev/null
	assert_equal "$(sla 1 | jq -c '[.responded_at, .response_met]')" '["2026-11-27T15:00:00Z",false]'
}

@test "KPIs count an open target past due as breached, whether inc-sla ran since or not" {
	log_one '{"subject":"late"}' >/dev/null
	log_one '{"subject":"on time"}' >/dev/null
	inc-sla
	INC_NOW=2026-11-27T11:00:00Z inc-close --as alice --resolution done 2 >/dev/null
	# a week later, nobody ran inc-sla: incident 1 is past both due times
	INC_NOW=2026-12-04T10:00:00Z run --separate-stderr inc-report --since 2026-11-01
	assert_success
	assert_equal "$(jq -c '[.count, .open, .resolved]' <<<"$output")" '[2,1,1]'
	assert_output --partial '"sla_response_pct":50.00,"sla_resolve_pct":50.00,'

	# on hold, a target is not running: not counted until the hold ends
	INC_NOW=2026-11-27T11:00:00Z inc-update --status in_progress 1 >/dev/null
	INC_NOW=2026-11-27T11:01:00Z inc-update --status on_hold 1 >/dev/null
	INC_NOW=2026-12-04T10:00:00Z run --separate-stderr inc-report --since 2026-11-01
	assert_output --partial '"sla_response_pct":100.00,"sla_resolve_pct":100.00,'
}

@test "the first policy whose match holds, in order" {
	log_one '{"subject":"all down","impact":"high","urgency":"high"}' >/dev/null
	log_one '{"subject":"slow","impact":"medium","urgency":"high"}' >/dev/null
	log_one '{"subject":"meh","impact":"low","urgency":"low"}' >/dev/null
	run --separate-stderr inc-sla
	assert_success
	run --separate-stderr inc-sla --all
	assert_success
	# critical is 24x7 UTC: 15m and 4h of wall time
	assert_equal "$(jq -c '[.id, .priority, .sla.policy, .sla.response_due, .sla.resolve_due]' <<<"$output")" \
'[1,"critical","critical","2026-11-27T10:15:00Z","2026-11-27T14:00:00Z"]
[2,"high","high","2026-11-27T11:00:00Z","2026-11-30T10:00:00Z"]
[3,"low","standard","2026-11-27T14:00:00Z","2026-12-02T10:00:00Z"]'
	assert_equal "$(jq -c .event <<<"$output")" "null
null
null"
}

@test "due times skip holidays: Christmas in Berlin" {
	# Wednesday 23 December, 16:00 Berlin; the 24th to 26th are holidays
	log_one '{"subject":"x","created_at":"2026-12-23T15:00:00Z"}' >/dev/null
	INC_NOW=2026-12-23T15:00:00Z run --separate-stderr inc-sla --all
	assert_success
	# response: Wed 1h, Mon 28 09:00-12:00; resolve: Wed 1h, Mon 8h, Tue 8h, Wed 09:00-16:00
	assert_equal "$(jq -c '[.sla.response_due, .sla.resolve_due]' <<<"$output")" '["2026-12-28T11:00:00Z","2026-12-30T15:00:00Z"]'
}

@test "yearly holidays (MM-DD) come round every year" {
	edit_config '.calendars[1].holidays = ["12-24", "12-25", "12-26", "01-01"]'
	# Thursday 23 December 2027, 16:00 Berlin: Friday 24 is a yearly holiday
	log_one '{"subject":"x","created_at":"2027-12-23T15:00:00Z"}' >/dev/null
	INC_NOW=2027-12-23T15:00:00Z run --separate-stderr inc-sla --all
	assert_success
	assert_equal "$(jq -r .sla.response_due <<<"$output")" 2027-12-27T11:00:00Z
}

@test "New York office hours across the fall back" {
	edit_config '.calendars += [{"name":"office-ny","timezone":"America/New_York",
		"hours":{"mon":["09:00-17:00"],"tue":["09:00-17:00"],"wed":["09:00-17:00"],
			 "thu":["09:00-17:00"],"fri":["09:00-17:00"]}}]
		| .sla = [{"name":"ny","match":{},"response":"2h","resolve":"16h","calendar":"office-ny","warn":0.5}]'
	# Friday 30 October, 16:00 EDT; Sunday 1 November falls back to EST
	INC_NOW=2026-10-30T20:00:00Z log_one '{"subject":"x","created_at":"2026-10-30T20:00:00Z"}' >/dev/null
	INC_NOW=2026-10-30T20:00:00Z run --separate-stderr inc-sla --all
	assert_success
	# response: Fri 16-17 EDT, Mon 09-10 EST; resolve: Fri 1h, Mon 8h, Tue 09-16 EST
	assert_equal "$(jq -c '[.sla.response_due, .sla.resolve_due]' <<<"$output")" '["2026-11-02T15:00:00Z","2026-11-03T21:00:00Z"]'
	# the response warning, 1h in, is reported the minute after 17:00 EDT
	INC_NOW=2026-10-30T21:00:00Z run --separate-stderr inc-sla
	assert_output ""
	INC_NOW=2026-10-30T21:01:00Z run --separate-stderr inc-sla
	assert_equal "$(jq -c .event <<<"$output")" '{"kind":"sla_warning","target":"response"}'
}

@test "a Sydney night shift runs on past midnight and across the spring forward" {
	edit_config '.calendars += [{"name":"nights","timezone":"Australia/Sydney","hours":
		([("mon","tue","wed","thu","fri","sat","sun")] | map({(.): ["00:00-06:00","22:00-24:00"]}) | add)}]
		| .sla = [{"name":"night","match":{},"response":"3h","resolve":"7h","calendar":"nights"}]'
	# Saturday 3 October 2026, 22:00 AEST; at 02:00 Sunday clocks go to 03:00
	INC_NOW=2026-10-03T12:00:00Z log_one '{"subject":"x","created_at":"2026-10-03T12:00:00Z"}' >/dev/null
	INC_NOW=2026-10-03T12:00:00Z run --separate-stderr inc-sla --all
	assert_success
	# response: 22:00-24:00 then 00:00-01:00 without a gap; resolve: 2h,
	# 00:00-02:00 AEST, 03:00-06:00 AEDT
	assert_equal "$(jq -c '[.sla.response_due, .sla.resolve_due]' <<<"$output")" '["2026-10-03T15:00:00Z","2026-10-03T19:00:00Z"]'
}

@test "a policy without a calendar counts around the clock, in UTC" {
	edit_config '.sla = [{"name":"plain","match":{},"response":"90m","resolve":"2d"}]'
	log_one '{"subject":"x"}' >/dev/null
	run --separate-stderr inc-sla --all
	assert_equal "$(jq -c '[.sla.response_due, .sla.resolve_due]' <<<"$output")" '["2026-11-27T11:30:00Z","2026-11-29T10:00:00Z"]'
}

@test "a warning is written once, the first second after its instant" {
	log_one '{"subject":"x"}' >/dev/null
	inc-sla
	# standard response warning: 3h12m in, Friday 14:12 Berlin
	INC_NOW=2026-11-27T13:12:00Z run --separate-stderr inc-sla
	assert_success
	assert_output ""
	INC_NOW=2026-11-27T13:12:01Z run --separate-stderr inc-sla
	assert_success
	assert_equal "$(jq -c '[.id, .sla.state, .event]' <<<"$output")" '[1,"warning",{"kind":"sla_warning","target":"response"}]'
	INC_NOW=2026-11-27T13:12:01Z run --separate-stderr inc-sla
	assert_success
	assert_output ""
	INC_NOW=2026-11-27T13:40:00Z run --separate-stderr inc-sla
	assert_output ""
}

@test "a breach: at the due second nothing, then once with overdue_s" {
	log_one '{"subject":"x"}' >/dev/null
	inc-sla
	INC_NOW=2026-11-27T14:00:00Z run --separate-stderr inc-sla
	# the warning, not yet the breach
	assert_equal "$(jq -c .event <<<"$output")" '{"kind":"sla_warning","target":"response"}'
	INC_NOW=2026-11-27T14:01:00Z run --separate-stderr inc-sla
	assert_equal "$(jq -c '[.sla.state, .event]' <<<"$output")" '["breached",{"kind":"sla_breached","target":"response","overdue_s":60}]'
	INC_NOW=2026-11-27T14:01:00Z run --separate-stderr inc-sla
	assert_output ""
	run --separate-stderr inc-show 1 --history
	assert_equal "$(jq -c '[.history[] | select(.field == "sla_state") | [.at, .from, .to]]' <<<"$output")" \
		'[["2026-11-27T10:00:00Z",null,"ok"],["2026-11-27T14:00:00Z","ok","warning"],["2026-11-27T14:01:00Z","warning","breached"]]'
}

@test "a run that finds several changes writes the most severe" {
	log_one '{"subject":"x"}' >/dev/null
	inc-sla
	# nothing ran all week: both targets breached; resolve wins the tie
	INC_NOW=2026-12-03T10:00:00Z run --separate-stderr inc-sla
	assert_success
	assert_equal "$(jq -c .event <<<"$output")" '{"kind":"sla_breached","target":"resolve","overdue_s":86400}'
	INC_NOW=2026-12-03T10:05:00Z run --separate-stderr inc-sla
	assert_output ""
}

@test "a delayed escalation rule coming due writes the record again, once" {
	log_one '{"subject":"x"}' >/dev/null
	inc-sla
	INC_NOW=2026-12-02T10:01:00Z run --separate-stderr inc-sla
	assert_equal "$(jq -c .event <<<"$output")" '{"kind":"sla_breached","target":"resolve","overdue_s":60}'
	# resolve_breached after 2h: two hours of office time, Wednesday 13:00 Berlin
	INC_NOW=2026-12-02T12:00:00Z run --separate-stderr inc-sla
	assert_output ""
	INC_NOW=2026-12-02T12:01:00Z run --separate-stderr inc-sla
	assert_equal "$(jq -c .event <<<"$output")" '{"kind":"sla_breached","target":"resolve","overdue_s":7260,"after":"2h"}'
	INC_NOW=2026-12-02T12:02:00Z run --separate-stderr inc-sla
	assert_output ""
}

@test "--all writes every open incident, without event, and swallows no change" {
	log_one '{"subject":"a"}' >/dev/null
	log_one '{"subject":"b"}' >/dev/null
	inc-sla
	inc-close 2 --resolution done >/dev/null
	INC_NOW=2026-11-27T13:30:00Z run --separate-stderr inc-sla --all
	assert_success
	assert_equal "$(jq -c '[.id, .sla.state, .event]' <<<"$output")" '[1,"warning",null]'
	INC_NOW=2026-11-27T13:30:00Z run --separate-stderr inc-sla
	assert_equal "$(jq -c '[.id, .event.kind]' <<<"$output")" '[1,"sla_warning"]'
}

@test "resolution stops both clocks" {
	log_one '{"subject":"x"}' >/dev/null
	inc-sla
	INC_NOW=2026-11-27T10:20:00Z inc-close 1 --resolution "toner replaced" >/dev/null
	assert_equal "$(sla 1)" '{"policy":"standard","response_due":"2026-11-27T14:00:00Z","resolve_due":"2026-12-02T10:00:00Z","responded_at":"2026-11-27T10:20:00Z","response_met":true,"resolve_met":true,"paused_s":0,"state":"met"}'
	INC_NOW=2026-12-10T10:00:00Z run --separate-stderr inc-sla
	assert_output ""
}

@test "a late resolution is a breach, reported once even if no run saw it coming" {
	log_one '{"subject":"x","impact":"high","urgency":"high"}' >/dev/null
	inc-sla
	# critical: response due 10:15, resolve due 14:00; resolved at 14:00:30,
	# no run in between: both breached, the resolve breach written
	INC_NOW=2026-11-27T14:00:30Z inc-close 1 --resolution "rebooted" >/dev/null
	assert_equal "$(inc-show 1 | jq -c '[.sla.response_met, .sla.resolve_met, .sla.state]')" '[false,false,"breached"]'
	INC_NOW=2026-11-27T14:01:00Z run --separate-stderr inc-sla
	assert_equal "$(jq -c .event <<<"$output")" '{"kind":"sla_breached","target":"resolve","overdue_s":30}'
	INC_NOW=2026-11-27T14:02:00Z run --separate-stderr inc-sla
	assert_output ""
}

@test "a reopened incident keeps its original due times" {
	log_one '{"subject":"x"}' >/dev/null
	inc-sla
	INC_NOW=2026-11-27T11:00:00Z inc-close 1 --resolution "done" >/dev/null
	INC_NOW=2026-12-01T14:00:00Z inc-close 1 --reopen --reason "back again" >/dev/null
	assert_equal "$(inc-show 1 | jq -c '[.sla.resolve_due, .sla.resolve_met, .sla.state]')" '["2026-12-02T10:00:00Z",null,"warning"]'
	INC_NOW=2026-12-01T14:01:00Z run --separate-stderr inc-sla
	assert_equal "$(jq -c .event <<<"$output")" '{"kind":"sla_warning","target":"resolve"}'
}

@test "the response clock stops at in_progress, and a second late is a breach" {
	log_one '{"subject":"x","impact":"medium","urgency":"high"}' >/dev/null
	log_one '{"subject":"y","impact":"medium","urgency":"high"}' >/dev/null
	inc-sla
	# high: response due Friday 12:00 Berlin
	INC_NOW=2026-11-27T11:00:00Z inc-update 1 --status in_progress >/dev/null
	INC_NOW=2026-11-27T11:00:01Z inc-update 2 --status in_progress >/dev/null
	assert_equal "$(inc-show 1 2 | jq -c '[.id, .sla.responded_at, .sla.response_met]')" \
'[1,"2026-11-27T11:00:00Z",true]
[2,"2026-11-27T11:00:01Z",false]'
	INC_NOW=2026-11-27T11:01:00Z run --separate-stderr inc-sla
	assert_equal "$(jq -c '[.id, .event]' <<<"$output")" '[2,{"kind":"sla_breached","target":"response","overdue_s":1}]'
}

@test "a technician's public reply stops the response clock; a note or the requester's reply does not" {
	log_one '{"subject":"x","requester":"joe@example.com"}' >/dev/null
	inc-sla
	INC_NOW=2026-11-27T10:30:00Z inc-update 1 --reply "any news?" --as joe@example.com >/dev/null
	assert_equal "$(sla 1 | jq -c '[.responded_at, .response_met]')" '[null,null]'
	INC_NOW=2026-11-27T10:40:00Z inc-update 1 --note "checking the logs" --as alice >/dev/null
	assert_equal "$(sla 1 | jq -c '[.responded_at, .response_met]')" '[null,null]'
	INC_NOW=2026-11-27T10:45:00Z inc-update 1 --reply "looking into it" --as alice >/dev/null
	assert_equal "$(sla 1 | jq -c '[.responded_at, .response_met]')" '["2026-11-27T10:45:00Z",true]'
}

@test "on hold the clocks stop: paused_s in office time moves the resolve due" {
	log_one '{"subject":"x"}' >/dev/null
	inc-sla
	INC_NOW=2026-11-27T10:30:00Z inc-update 1 --status in_progress >/dev/null
	# on hold Friday 12:00 to Monday 10:00 Berlin: 5h + 1h of office time
	INC_NOW=2026-11-27T11:00:00Z inc-update 1 --status on_hold >/dev/null
	INC_NOW=2026-11-30T09:00:00Z run --separate-stderr inc-update 1 --status in_progress
	assert_success
	assert_equal "$(jq -c '[.sla.paused_s, .sla.resolve_due]' <<<"$output")" '[21600,"2026-12-02T16:00:00Z"]'
	# the warning moved as much: Tuesday 14:12 + 6h = Wednesday 12:12 Berlin
	INC_NOW=2026-12-01T13:13:00Z run --separate-stderr inc-sla
	assert_output ""
	INC_NOW=2026-12-02T11:13:00Z run --separate-stderr inc-sla
	assert_equal "$(jq -c .event <<<"$output")" '{"kind":"sla_warning","target":"resolve"}'
	# a hold after the due time does not move it
	INC_NOW=2026-12-02T16:30:00Z inc-update 1 --status on_hold >/dev/null
	INC_NOW=2026-12-03T09:00:00Z inc-update 1 --status in_progress >/dev/null
	assert_equal "$(sla 1 | jq -c '[.paused_s, .resolve_due]')" '[21600,"2026-12-02T16:00:00Z"]'
}

@test "while on hold nothing changes and nothing is written" {
	log_one '{"subject":"x"}' >/dev/null
	inc-sla
	INC_NOW=2026-11-27T10:30:00Z inc-update 1 --status in_progress >/dev/null
	INC_NOW=2026-11-27T11:00:00Z inc-update 1 --status on_hold >/dev/null
	INC_NOW=2026-12-09T10:00:00Z run --separate-stderr inc-sla
	assert_success
	assert_output ""
	INC_NOW=2026-12-09T10:00:00Z run --separate-stderr inc-sla --all
	assert_equal "$(jq -c '[.status, .sla.state]' <<<"$output")" '["on_hold","ok"]'
}

@test "the policy follows the incident" {
	log_one '{"subject":"x"}' >/dev/null
	inc-sla
	INC_NOW=2026-11-27T10:10:00Z run --separate-stderr inc-update 1 --set priority=critical
	assert_success
	assert_equal "$(jq -c '[.sla.policy, .sla.response_due]' <<<"$output")" '["critical","2026-11-27T10:15:00Z"]'
	# its warning, 11m15s in, has passed: the next run writes it
	INC_NOW=2026-11-27T10:12:00Z run --separate-stderr inc-sla
	assert_equal "$(jq -c .event <<<"$output")" '{"kind":"sla_warning","target":"response"}'
}

@test "an incident no policy matches keeps sla null" {
	edit_config '.sla = [{"name":"critical","match":{"priority":"critical"},"response":"15m","resolve":"4h"}]'
	log_one '{"subject":"x"}' >/dev/null
	run --separate-stderr inc-sla
	assert_success
	assert_output ""
	assert_equal "$(sla 1)" null
	INC_NOW=2026-12-27T10:00:00Z run --separate-stderr inc-sla --all
	assert_equal "$(jq -c '[.id, .sla]' <<<"$output")" '[1,null]'
}

@test "--explain shows the arithmetic" {
	log_one '{"subject":"printer jammed","created_at":"2026-12-23T15:00:00Z"}' >/dev/null
	INC_NOW=2026-12-23T15:00:00Z inc-sla
	INC_NOW=2026-12-28T10:30:00Z run --separate-stderr inc-sla --explain INC-1
	assert_success
	assert_equal "$stderr" ""
	assert_line --index 0 'INC-1 "printer jammed": new, priority none, created 2026-12-23T15:00:00Z'
	assert_line 'policy standard'
	assert_line '  sla[1] high: priority is null, not "high": skipped'
	assert_line '  sla[2] standard: matches every incident: first match'
	assert_line 'calendar office-berlin (Europe/Berlin); response 4h, resolve 1d, warning at 0.8 of each'
	assert_line 'response: 4h of working time from 2026-12-23T15:00:00Z'
	assert_line '  work     2026-12-23 (Wed) 16:00-17:00 +01:00  1h, total 1h'
	assert_line '  holiday  2026-12-24 (Thu)'
	assert_line '  closed   2026-12-27 (Sun)'
	assert_line '  work     2026-12-28 (Mon) 09:00-12:00 +01:00  3h, total 4h'
	assert_line '  warning  after 2026-12-28T10:12:00Z (2026-12-28 (Mon) 11:12 +01:00), 3h12m of working time (warn 0.8)'
	assert_line '  due      2026-12-28T11:00:00Z (2026-12-28 (Mon) 12:00 +01:00)'
	assert_line '  state    warning'
	assert_line '  due      2026-12-30T15:00:00Z (2026-12-30 (Wed) 16:00 +01:00)'
	assert_line '  response_warning notify: due since 2026-12-28T10:12:00Z (2026-12-28 (Mon) 11:12 +01:00)'
	assert_line '  resolve_breached+2h hierarchical: applies after 2026-12-31T09:00:00Z (2026-12-31 (Thu) 10:00 +01:00)'
	assert_line --index $((${#lines[@]} - 1)) 'state: warning'
}

@test "--explain shows holds" {
	log_one '{"subject":"x"}' >/dev/null
	inc-sla
	INC_NOW=2026-11-27T10:30:00Z inc-update 1 --status in_progress >/dev/null
	INC_NOW=2026-11-27T11:00:00Z inc-update 1 --status on_hold >/dev/null
	INC_NOW=2026-11-30T09:00:00Z inc-update 1 --status in_progress >/dev/null
	INC_NOW=2026-11-30T09:00:00Z run --separate-stderr inc-sla --explain 1
	assert_success
	assert_line '  work     2026-11-27 (Fri) 11:00-12:00 +01:00  1h, total 1h'
	assert_line '  hold     2026-11-27 (Fri) 12:00-17:00 +01:00  5h paused'
	assert_line '  hold     2026-11-30 (Mon) 09:00-10:00 +01:00  1h paused'
	assert_line '  on hold  2026-11-27T11:00:00Z to 2026-11-30T09:00:00Z'
	assert_line '  paused   6h of working time on hold: the due time moves as much later'
	assert_line '  due      2026-12-02T16:00:00Z (2026-12-02 (Wed) 17:00 +01:00)'
}

@test "--explain: an unknown incident, a bad id" {
	run --separate-stderr inc-sla --explain 7
	assert_failure 1
	assert_equal "$stderr" "inc-sla: 7: no such incident"
	run --separate-stderr inc-sla --explain seven
	assert_failure 2
	assert_equal "$stderr" 'inc-sla: --explain: not an incident id: "seven"'
}

@test "--explain is for those who may see the incident" {
	log_one '{"subject":"x","requester":"joe@example.com"}' >/dev/null
	run --separate-stderr inc-sla --explain 1 --as ann@example.com
	assert_failure 1
	assert_equal "$stderr" "inc-sla: 1: not yours to see"
	run --separate-stderr inc-sla --explain 1 --as joe@example.com
	assert_success
}

@test "an edited SLA config keeps the stored due times watched, says so, until --recompute applies it" {
	log_one '{"subject":"x"}' >/dev/null
	log_one '{"subject":"y"}' >/dev/null
	inc-sla
	inc-close 2 --resolution done >/dev/null
	edit_config '.sla[2].resolve = "16h"'
	run --separate-stderr inc-sla
	assert_success
	assert_output ""
	assert_equal "$stderr" "inc-sla: $INC_CONFIG: 1 incident has due times from an older SLA config: run inc-sla --recompute"
	assert_equal "$(sla 1 | jq -r .resolve_due)" 2026-12-02T10:00:00Z
	run --separate-stderr inc config check
	assert_success
	assert_output "$INC_CONFIG: ok"
	assert_equal "$stderr" "inc: $INC_CONFIG: 1 incident has due times from an older SLA config: run inc-sla --recompute"
	run --separate-stderr inc-sla --explain 1
	assert_line "config: the SLA settings changed since the stored due times were computed; watched as stored until inc-sla --recompute (response due 2026-11-27T14:00:00Z, resolve due 2026-12-02T10:00:00Z); what follows is what the recompute will set"
	assert_line --partial "  due      2026-12-01T10:00:00Z"
	# monitoring goes on: the stored warning instant still warns
	INC_NOW=2026-11-27T13:13:00Z run --separate-stderr inc-sla
	assert_success
	assert_equal "$(jq -c '[.id, .event.kind, .event.target]' <<<"$output")" '[1,"sla_warning","response"]'
	INC_NOW=2026-11-27T13:14:00Z run --separate-stderr inc-sla --recompute
	assert_success
	# Fri 6h, Mon 8h, Tue 09:00-11:00; the resolved incident keeps its own
	assert_equal "$(jq -c '[.id, .sla.resolve_due, .event]' <<<"$output")" '[1,"2026-12-01T10:00:00Z",null]'
	run --separate-stderr inc-show 1 --history
	assert_equal "$(jq -c '[.history[] | select(.action == "recompute") | [.field, .from, .to]]' <<<"$output")" '[["resolve_due","2026-12-02T10:00:00Z","2026-12-01T10:00:00Z"]]'
	assert_equal "$(sla 2 | jq -r .resolve_due)" 2026-12-02T10:00:00Z
	INC_NOW=2026-11-27T13:14:00Z run --separate-stderr inc-sla
	assert_success
	assert_output ""
	INC_NOW=2026-11-27T13:14:00Z run --separate-stderr inc-sla --recompute
	assert_success
	assert_output ""
}

@test "until --recompute, other tools keep the stored due times" {
	log_one '{"subject":"x"}' >/dev/null
	inc-sla
	edit_config '.sla[2].resolve = "2h"'
	INC_NOW=2026-11-30T10:00:00Z run --separate-stderr inc-close 1 --resolution done
	assert_success
	assert_equal "$(jq -c '[.sla.resolve_due, .sla.resolve_met]' <<<"$output")" '["2026-12-02T10:00:00Z",true]'
}

@test "calendar and escalation delay edits need --recompute too; other edits do not" {
	log_one '{"subject":"x"}' >/dev/null
	inc-sla
	edit_config '.people[0].email = "alice@example.org" | .escalation[1].notify = ["requester"]'
	run --separate-stderr inc-sla
	assert_success
	assert_equal "$stderr" ""
	edit_config '.calendars[1].holidays += ["2026-11-30"]'
	run --separate-stderr inc-sla
	assert_success
	assert_equal "$stderr" "inc-sla: $INC_CONFIG: 1 incident has due times from an older SLA config: run inc-sla --recompute"
	inc-sla --recompute
	edit_config '.escalation[3].after = "3h"'
	run --separate-stderr inc-sla
	assert_equal "$stderr" "inc-sla: $INC_CONFIG: 1 incident has due times from an older SLA config: run inc-sla --recompute"
}

@test "inc config check says nothing of a database it would have to create" {
	run --separate-stderr inc config check
	assert_success
	assert_equal "$stderr" ""
	db_absent
}

@test "anyone may run inc-sla, over the incidents they may see" {
	log_one '{"subject":"mine","requester":"joe@example.com"}' >/dev/null
	log_one '{"subject":"not mine","requester":"ann@example.com"}' >/dev/null
	inc-sla
	INC_NOW=2026-11-27T13:13:00Z run --separate-stderr inc-sla --as joe@example.com
	assert_success
	assert_equal "$(jq -c '[.id, .event.kind]' <<<"$output")" '[1,"sla_warning"]'
	INC_NOW=2026-11-27T13:13:00Z run --separate-stderr inc-sla --all --as joe@example.com
	assert_equal "$(jq -c .id <<<"$output")" 1
	# the other change is still there for the cron job
	INC_NOW=2026-11-27T13:14:00Z run --separate-stderr inc-sla
	assert_equal "$(jq -c '[.id, .event.kind]' <<<"$output")" '[2,"sla_warning"]'
}

SLA_USAGE="usage: inc-sla [-d DB] [-c CONFIG] [--now TIME] [--as USER] [--all | --recompute | --explain ID]
       inc-sla [-d DB] [-c CONFIG] [--now TIME] [--as USER] --what-if CONFIG [--since TIME] [--until TIME] [--format jsonl|csv|tsv|table]"

@test "never reads stdin; options and their conflicts" {
	log_one '{"subject":"x"}' >/dev/null
	run --separate-stderr inc-sla <<<'{"id":1}'
	assert_success
	assert_output ""
	run --separate-stderr inc-sla 1
	assert_failure 2
	assert_equal "$stderr" "$SLA_USAGE"
	run --separate-stderr inc-sla --all --recompute
	assert_failure 2
	run --separate-stderr inc-sla --bogus
	assert_failure 2
	run --separate-stderr inc-sla -h
	assert_success
	assert_output "$SLA_USAGE"
	run --separate-stderr inc-sla --since -1d
	assert_failure 2
	assert_equal "$stderr" "$SLA_USAGE"
	run --separate-stderr inc-sla --what-if "$INC_CONFIG" --all
	assert_failure 2
}

@test "a database that cannot be opened is exit status 3" {
	run --separate-stderr inc-sla -d "$BATS_TEST_TMPDIR/no/such/dir/inc.db"
	assert_failure 3
	assert_output ""
}

# ---- --what-if CONFIG ----

# Four critical incidents (24x7: response 15m, resolve 4h) with their
# history imported: met in 2h; late on both; still open past its due time;
# met in 4.5h of which 2h on hold.
whatif_history() {
	inc-import --format jsonl >/dev/null <<'EOF2'
{"id":"W-1","at":"2026-11-02T09:00:00Z","subject":"fast","priority":"critical"}
{"id":"W-1","at":"2026-11-02T09:10:00Z","status":"in_progress"}
{"id":"W-1","at":"2026-11-02T11:00:00Z","status":"resolved"}
{"id":"W-2","at":"2026-11-02T09:00:00Z","subject":"slow","priority":"critical"}
{"id":"W-2","at":"2026-11-02T09:20:00Z","status":"in_progress"}
{"id":"W-2","at":"2026-11-02T14:00:00Z","status":"resolved"}
{"id":"W-3","at":"2026-11-26T08:00:00Z","subject":"still open","priority":"critical"}
{"id":"W-3","at":"2026-11-26T08:05:00Z","status":"in_progress"}
{"id":"W-4","at":"2026-11-02T09:00:00Z","subject":"held","priority":"critical"}
{"id":"W-4","at":"2026-11-02T09:05:00Z","status":"in_progress"}
{"id":"W-4","at":"2026-11-02T10:00:00Z","status":"on_hold"}
{"id":"W-4","at":"2026-11-02T12:00:00Z","status":"in_progress"}
{"id":"W-4","at":"2026-11-02T13:30:00Z","status":"resolved"}
EOF2
}

@test "--what-if a tighter policy: the incidents it would breach, compliance now and then" {
	whatif_history
	jq '.sla[0].resolve = "1h"' "$INC_CONFIG" >"$BATS_TEST_TMPDIR/tight.json"
	dump=$(db_dump | md5sum)
	run --separate-stderr inc-sla --what-if "$BATS_TEST_TMPDIR/tight.json"
	assert_success
	assert_equal "$stderr" ""
	# W-4's hold starts at the tighter due time: it no longer moves it
	assert_output '{"id":1,"ref":"INC-1","external_id":"import:W-1","now":{"policy":"critical","response_met":true,"resolve_met":true,"state":"met"},"what_if":{"policy":"critical","response_met":true,"resolve_met":false,"state":"breached"}}
{"id":4,"ref":"INC-4","external_id":"import:W-4","now":{"policy":"critical","response_met":true,"resolve_met":true,"state":"met"},"what_if":{"policy":"critical","response_met":true,"resolve_met":false,"state":"breached"}}
{"sla":"now","config":"'"$INC_CONFIG"'","count":4,"response_met":3,"response_breached":1,"sla_response_pct":75.00,"resolve_met":2,"resolve_breached":2,"sla_resolve_pct":50.00,"changed":2}
{"sla":"what_if","config":"'"$BATS_TEST_TMPDIR/tight.json"'","count":4,"response_met":3,"response_breached":1,"sla_response_pct":75.00,"resolve_met":0,"resolve_breached":4,"sla_resolve_pct":0.00,"changed":2}'
	# nothing written
	assert_equal "$(db_dump | md5sum)" "$dump"
}

@test "--what-if a looser policy, a window, csv and a table" {
	whatif_history
	jq '.sla[0].response = "30m" | .sla[0].resolve = "8h"' "$INC_CONFIG" >"$BATS_TEST_TMPDIR/loose.json"
	run --separate-stderr inc-sla --what-if "$BATS_TEST_TMPDIR/loose.json"
	assert_success
	assert_equal "$(head -n 1 <<<"$output")" '{"id":2,"ref":"INC-2","external_id":"import:W-2","now":{"policy":"critical","response_met":false,"resolve_met":false,"state":"breached"},"what_if":{"policy":"critical","response_met":true,"resolve_met":true,"state":"met"}}'
	assert_equal "$(wc -l <<<"$output")" 3
	# the incidents created in the window only: W-3 alone, late either way
	run --separate-stderr inc-sla --what-if "$BATS_TEST_TMPDIR/loose.json" --since 2026-11-20 \
		--until 2026-11-27 --format csv
	assert_success
	assert_output "sla,config,count,response_met,response_breached,sla_response_pct,resolve_met,resolve_breached,sla_resolve_pct,changed
now,$INC_CONFIG,1,1,0,100.00,0,1,0.00,0
what_if,$BATS_TEST_TMPDIR/loose.json,1,1,0,100.00,0,1,0.00,0"
	# under a config like loose.json, nothing changes; relative paths as given
	cd "$BATS_TEST_TMPDIR"
	cp loose.json l.json
	run --separate-stderr inc-sla -c l.json --what-if loose.json --format table
	assert_success
	assert_output "sla      config      count  response_met  response_breached  sla_response_pct  resolve_met  resolve_breached  sla_resolve_pct  changed
now      l.json          4             4                  0            100.00            3                 1            75.00        0
what_if  loose.json      4             4                  0            100.00            3                 1            75.00        0"
}

@test "--what-if: a bad config is exit 2, a requester exit 1, an empty window null" {
	whatif_history
	echo '{"sla": 3}' >"$BATS_TEST_TMPDIR/bad.json"
	run --separate-stderr inc-sla --what-if "$BATS_TEST_TMPDIR/bad.json"
	assert_failure 2
	assert_output ""
	run --separate-stderr inc-sla --what-if "$INC_CONFIG" --as nobody@example.com
	assert_failure 1
	assert_equal "$stderr" "inc-sla: nobody@example.com: may not read reports (role requester)"
	run --separate-stderr inc-sla --what-if "$INC_CONFIG" --since 2030-01-01 --format tsv
	assert_success
	assert_equal "$(cut -f1,3- <<<"$output")" "$(printf '%s\n' \
		$'sla\tcount\tresponse_met\tresponse_breached\tsla_response_pct\tresolve_met\tresolve_breached\tsla_resolve_pct\tchanged' \
		$'now\t0\t0\t0\t\t0\t0\t\t0' $'what_if\t0\t0\t0\t\t0\t0\t\t0')"
}
