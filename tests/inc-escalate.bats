#!/usr/bin/env bats
# inc-escalate: the escalation rules of the config, each once per incident,
# their events ready for a mailer; escalation by hand.
load test_helper

# Incident $1 assigned by hand to $3 in group $2.
assign() { inc-assign "$1" --group "$2" --to "$3" >/dev/null; }

# A standard incident logged Friday 11:00 Berlin, attached, with alice on it.
standard() {
	log_one '{"subject":"printer jammed","requester":"joe@example.com"}' >/dev/null
	inc-sla
	assign 1 service-desk alice
}

# inc-sla | inc-escalate at $1
tick() {
	INC_NOW=$1 inc-sla | INC_NOW=$1 inc-escalate
}

@test "a response warning notifies the assignee, once" {
	standard
	INC_NOW=2026-11-27T13:13:00Z run --separate-stderr bash -c 'inc-sla | inc-escalate'
	assert_success
	assert_equal "$stderr" ""
	assert_equal "$(jq -c '[.id, .event]' <<<"$output")" \
		'[1,{"kind":"notified","type":"notify","notify":["alice@example.com"],"reason":"response_warning: response due 2026-11-27T14:00:00Z"}]'
	# the same record again fires nothing
	INC_NOW=2026-11-27T13:14:00Z run --separate-stderr inc-escalate <<<'{"id":1}'
	assert_success
	assert_output ""
	run --separate-stderr dbq "SELECT incident, rule, at FROM escalation_fired"
	assert_output "1|response_warning+0:notify|$(date -ud '2026-11-27 13:13:00' +%s)"
}

@test "the resolve warning notifies the assignee and the group's manager" {
	standard
	tick 2026-11-27T13:13:00Z >/dev/null
	INC_NOW=2026-12-01T13:13:00Z run --separate-stderr bash -c 'inc-sla | inc-escalate'
	assert_success
	assert_equal "$(jq -c .event <<<"$output")" \
		'{"kind":"notified","type":"notify","notify":["alice@example.com","maria@example.com"],"reason":"resolve_warning: resolve due 2026-12-02T10:00:00Z"}'
}

@test "a resolve breach escalates functionally to escalate_to, one level up" {
	standard
	INC_NOW=2026-12-02T10:01:00Z run --separate-stderr bash -c 'inc-sla | inc-escalate'
	assert_success
	# catching up: both warnings, then the breach, in the config's order
	assert_equal "$(jq -c '.event | [.kind, .type]' <<<"$output")" \
'["notified","notify"]
["notified","notify"]
["escalated","functional"]'
	# reassigned by l2-infra's strategy, least loaded: dana before erik
	assert_equal "$(tail -n 1 <<<"$output" | jq -c '[.group, .assignee, .status, .escalation_level, .reassignment_count, .event]')" \
		'["l2-infra","dana","assigned",1,1,{"kind":"escalated","type":"functional","level":1,"from":"service-desk","to":"l2-infra","notify":["omar@example.com"],"reason":"resolve_breached: resolve due 2026-12-02T10:00:00Z"}]'
	run --separate-stderr inc-show 1 --history
	assert_equal "$(jq -c '[.history[] | select(.action == "escalated") | [.tool, .field, .from, .to]]' <<<"$output")" \
		'[["inc-escalate","group","service-desk","l2-infra"],["inc-escalate","assignee","alice","dana"],["inc-escalate","escalation_level","0","1"],["inc-escalate","resolve_breached+0:functional",null,"resolve_breached: resolve due 2026-12-02T10:00:00Z; notify [\"omar@example.com\"]"]]'
	assert_equal "$(dbq 'SELECT escalated FROM incident')" 1
}

@test "escalated into a group where nobody is free: waits there unassigned" {
	edit_config '(.people[] | select(.name == "dana" or .name == "erik")).available = false
		| .escalation[2].notify = ["manager", "assignee"]'
	standard
	INC_NOW=2026-12-02T10:01:00Z run --separate-stderr inc-escalate 1
	assert_success
	assert_equal "$(tail -n 1 <<<"$output" | jq -c '[.group, .assignee, .status, .event.notify]')" \
		'["l2-infra",null,"assigned",["omar@example.com"]]'
}

@test "the notified assignee of a functional escalation is the new one" {
	edit_config '.escalation[2].notify = ["manager", "assignee"]'
	standard
	INC_NOW=2026-12-02T10:01:00Z run --separate-stderr inc-escalate 1
	assert_success
	assert_equal "$(tail -n 1 <<<"$output" | jq -c '[.assignee, .event.notify]')" \
		'["dana",["omar@example.com","dana@example.com"]]'
}

@test "the delayed hierarchical rule fires two office hours after the breach, once" {
	standard
	tick 2026-12-02T10:01:00Z >/dev/null
	for t in 2026-12-02T11:00:00Z 2026-12-02T12:00:00Z; do
		run --separate-stderr tick "$t"
		assert_success
		assert_output ""
	done
	run --separate-stderr tick 2026-12-02T12:01:00Z
	assert_success
	assert_equal "$(jq -c '[.escalation_level, .event]' <<<"$output")" \
		'[2,{"kind":"escalated","type":"hierarchical","level":2,"from":"l2-infra","to":"l2-infra","notify":["maria@example.com"],"reason":"resolve_breached+2h: resolve due 2026-12-02T10:00:00Z"}]'
	run --separate-stderr tick 2026-12-02T12:02:00Z
	assert_output ""
	run --separate-stderr tick 2026-12-09T12:00:00Z
	assert_output ""
}

@test "--all evaluates every open incident itself" {
	standard
	log_one '{"subject":"b"}' >/dev/null
	log_one '{"subject":"c"}' >/dev/null
	inc-sla
	inc-close 3 --resolution done >/dev/null
	INC_NOW=2026-11-27T13:30:00Z run --separate-stderr inc-escalate --all
	assert_success
	# incident 2 has nobody assigned: the rule fires, no address to tell
	assert_equal "$(jq -c '[.id, .event.kind, .event.notify]' <<<"$output")" \
'[1,"notified",["alice@example.com"]]
[2,"notified",[]]'
	INC_NOW=2026-11-27T13:30:00Z run --separate-stderr inc-escalate --all
	assert_success
	assert_output ""
}

@test "lines that fire nothing write nothing; bad lines are refused, the others go on" {
	standard
	log_one '{"subject":"b"}' >/dev/null
	inc-sla
	INC_NOW=2026-11-27T13:13:00Z run --separate-stderr inc-escalate <<<'{"id":2,"subject":"ignored"}
not json
{"id":99}
{"no":"id"}
{"id":1}'
	assert_failure 1
	assert_equal "$(jq -c '[.id, .event.kind]' <<<"$output")" '[2,"notified"]
[1,"notified"]'
	assert_equal "$stderr" "inc-escalate: line 2: invalid JSON: '[' or '{' expected near 'not'
inc-escalate: line 3: no such incident
inc-escalate: line 4: no \"id\""
}

@test "notify lists resolve names to addresses, once each" {
	edit_config '.escalation = [{"on":"response_warning","action":"notify",
		"notify":["requester","assignee","incident_manager","manager","oncall@example.com","root","pat"]}]'
	standard
	INC_NOW=2026-11-27T13:13:00Z run --separate-stderr bash -c 'inc-sla | inc-escalate'
	assert_success
	# maria is both incident manager and manager; root has no address
	assert_equal "$(jq -c .event.notify <<<"$output")" \
		'["joe@example.com","alice@example.com","maria@example.com","oncall@example.com","pat@example.com"]'
}

@test "a hierarchical rule without notify tells the group's manager" {
	edit_config '.escalation = [{"on":"response_breached","action":"hierarchical"}]'
	standard
	INC_NOW=2026-11-27T14:01:00Z run --separate-stderr bash -c 'inc-sla | inc-escalate'
	assert_success
	assert_equal "$(jq -c '[.escalation_level, .event.type, .event.notify]' <<<"$output")" '[1,"hierarchical",["maria@example.com"]]'
}

@test "a functional rule at the top of the line moves nothing but still notifies, once" {
	standard
	assign 1 l3-network fay
	INC_NOW=2026-12-02T10:01:00Z run --separate-stderr inc-escalate 1
	assert_success
	assert_equal "$(jq -c '[.event.kind, .event.type, .event.notify]' <<<"$output")" '["notified","notify",["fay@example.com"]]
["notified","notify",["fay@example.com","omar@example.com"]]
["notified","functional",["omar@example.com"]]'
	assert_equal "$(jq -r '.event.reason' <<<"${lines[2]}")" \
		"resolve_breached: resolve due 2026-12-02T10:00:00Z; no escalate_to: the incident stays in l3-network"
	assert_equal "$(inc-show 1 | jq -c '[.group, .assignee, .escalation_level]')" '["l3-network","fay",0]'
	assert_equal "$(dbq "SELECT rule FROM escalation_fired WHERE rule LIKE '%functional'")" "resolve_breached+0:functional"
	INC_NOW=2026-12-02T10:02:00Z run --separate-stderr inc-escalate 1
	assert_success
	assert_output ""
}

@test "rules wait for the clock: a hold holds them back" {
	standard
	INC_NOW=2026-11-27T10:30:00Z inc-update 1 --status in_progress --as alice >/dev/null
	INC_NOW=2026-12-01T13:00:00Z inc-update 1 --status on_hold --as alice >/dev/null
	INC_NOW=2026-12-09T10:00:00Z run --separate-stderr inc-escalate --all
	assert_success
	assert_output ""
}

@test "nothing fires for resolved incidents or incidents without a policy" {
	standard
	log_one '{"subject":"no policy yet"}' >/dev/null
	INC_NOW=2026-11-27T12:00:00Z inc-close 1 --resolution done >/dev/null
	INC_NOW=2026-12-09T10:00:00Z run --separate-stderr inc-escalate 1 2
	assert_success
	assert_output ""
}

@test "escalating needs the right role: functional rules an incident manager or admin" {
	standard
	INC_NOW=2026-12-02T10:01:00Z run --separate-stderr inc-escalate 1 --as alice
	assert_failure 1
	assert_output ""
	assert_equal "$stderr" "inc-escalate: 1: resolve_breached+0:functional: moving an incident to another group needs an incident_manager or admin (acting as alice)"
	assert_equal "$(dbq 'SELECT count(*) FROM escalation_fired')" 0
	INC_NOW=2026-11-27T13:13:00Z run --separate-stderr inc-escalate 1 --as joe@example.com
	assert_failure 1
	assert_equal "$stderr" "inc-escalate: 1: response_warning+0:notify: escalation needs someone who works incidents (acting as joe@example.com)"
	INC_NOW=2026-12-02T10:01:00Z run --separate-stderr inc-escalate 1 --as maria
	assert_success
	assert_equal "$(jq -c '.event.kind' <<<"$output" | tail -n 1)" '"escalated"'
}

@test "by hand: --to GROUP --reason TEXT" {
	standard
	run --separate-stderr inc-escalate INC-1 --to l3-network --reason "needs the network team"
	assert_success
	assert_equal "$(jq -c '[.group, .assignee, .escalation_level, .event]' <<<"$output")" \
		'["l3-network","fay",1,{"kind":"escalated","type":"functional","level":1,"from":"service-desk","to":"l3-network","notify":["omar@example.com"],"reason":"needs the network team"}]'
	run --separate-stderr inc-show 1 --history
	assert_equal "$(jq -c '[.history[] | select(.field == "by hand") | [.actor, .to]]' <<<"$output")" \
		'[["root","needs the network team; notify [\"omar@example.com\"]"]]'
	assert_equal "$(dbq 'SELECT escalated FROM incident')" 1
}

@test "by hand, with --notify, on stdin records" {
	standard
	log_one '{"subject":"b"}' >/dev/null
	run --separate-stderr inc-escalate --to l2-infra --reason "vpn" --notify requester,manager,ops@example.com <<<'{"id":1}
{"id":2}'
	assert_success
	assert_equal "$(jq -c '[.id, .event.from, .event.notify]' <<<"$output")" \
'[1,"service-desk",["joe@example.com","omar@example.com","ops@example.com"]]
[2,null,["omar@example.com","ops@example.com"]]'
}

@test "by hand: refused per incident; a technician only to their group's escalate_to" {
	standard
	log_one '{"subject":"b"}' >/dev/null
	inc-close 2 --resolution done >/dev/null
	run --separate-stderr inc-escalate 1 2 3 --to service-desk --reason x
	assert_failure 1
	assert_output ""
	assert_equal "$stderr" "inc-escalate: 1: already in service-desk
inc-escalate: 2: is resolved: only open incidents escalate
inc-escalate: 3: no such incident"
	# dana is not of service-desk, and l3-network is not its escalate_to
	run --separate-stderr inc-escalate 1 --to l2-infra --reason x --as dana
	assert_failure 1
	assert_equal "$stderr" "inc-escalate: 1: escalating by hand needs an incident_manager or admin, or a technician of the incident's group escalating to its escalate_to (acting as dana)"
	run --separate-stderr inc-escalate 1 --to l3-network --reason x --as alice
	assert_failure 1
	assert_equal "$(inc-show 1 | jq -r .group)" service-desk
	# alice is of service-desk, whose escalate_to is l2-infra: the tiers' daily move
	run --separate-stderr inc-escalate 1 --to l2-infra --reason "needs a network engineer" --as alice
	assert_success
	assert_equal "$(jq -c '[.group, .escalation_level, .event.kind, .event.from, .event.to, .event.reason]' <<<"$output")" \
		'["l2-infra",1,"escalated","service-desk","l2-infra","needs a network engineer"]'
}

@test "usage errors: nothing done, exit status 2" {
	standard
	run --separate-stderr inc-escalate 1 --to nowhere --reason x
	assert_failure 2
	assert_equal "$stderr" 'inc-escalate: --to: unknown group "nowhere" (want service-desk, l2-infra or l3-network)'
	run --separate-stderr inc-escalate 1 --to l2-infra
	assert_failure 2
	assert_equal "$stderr" "inc-escalate: --to needs --reason TEXT"
	run --separate-stderr inc-escalate 1 --reason x
	assert_failure 2
	run --separate-stderr inc-escalate --all 1
	assert_failure 2
	run --separate-stderr inc-escalate --all --to l2-infra --reason x
	assert_failure 2
	run --separate-stderr inc-escalate x1 --to l2-infra --reason x
	assert_failure 2
	assert_equal "$stderr" "inc-escalate: x1: not an incident id"
	assert_equal "$(inc-show 1 | jq -r .group)" service-desk
	run --separate-stderr inc-escalate --help
	assert_success
	assert_output "usage: inc-escalate [-d DB] [-c CONFIG] [--now TIME] [--as USER] [--all | --to GROUP --reason TEXT [--notify WHO[,WHO...]]] [ID...] < records.jsonl"
}

@test "with a config not yet applied, rules run on the stored due times and say so" {
	standard
	edit_config '.sla[2].response = "2h"'
	INC_NOW=2026-11-27T13:13:00Z run --separate-stderr inc-escalate <<<'{"id":1}'
	assert_success
	assert_equal "$(jq -c '[.id, .event.kind, .event.reason]' <<<"$output")" \
		'[1,"notified","response_warning: response due 2026-11-27T14:00:00Z"]'
	assert_equal "$stderr" "inc-escalate: $INC_CONFIG: 1 incident has due times from an older SLA config: run inc-sla --recompute"
	# at the stored resolve due time the functional rule runs; the one
	# delayed by `after` waits, as its instant needs the old calendar
	INC_NOW=2026-12-02T15:00:00Z run --separate-stderr inc-escalate <<<'{"id":1}'
	assert_success
	assert_equal "$(jq -sc 'map([.event.kind, .event.type, .event.reason])' <<<"$output")" \
		'[["notified","notify","resolve_warning: resolve due 2026-12-02T10:00:00Z"],["escalated","functional","resolve_breached: resolve due 2026-12-02T10:00:00Z"]]'
	# by hand needs no clock, and no warning
	INC_NOW=2026-12-02T15:01:00Z run --separate-stderr inc-escalate 1 --to service-desk --reason x
	assert_success
	assert_equal "$stderr" ""
}

@test "the event log: a breach inc-sla reported by hand is escalated by the next inc-escalate" {
	standard
	# by hand, "to check": the breach goes to the terminal, nobody escalates it
	INC_NOW=2026-11-27T14:01:00Z inc-sla >/dev/null
	INC_NOW=2026-11-27T14:02:00Z run --separate-stderr inc-escalate </dev/null
	assert_success
	assert_equal "$(jq -c '[.id, .event.kind, .event.reason]' <<<"$output")" \
		'[1,"notified","response_warning: response due 2026-11-27T14:00:00Z"]'
	# once: the cursor has passed it, the rule is spent
	INC_NOW=2026-11-27T14:03:00Z run --separate-stderr inc-escalate </dev/null
	assert_success
	assert_output ""
	assert_equal "$(dbq "SELECT seq >= (SELECT max(seq) FROM event WHERE kind LIKE 'sla_%') FROM cursor WHERE name = 'escalate'")" 1
}

@test "the event log: events of other kinds, more than a batch of them, are passed over; the cursor goes to the log's end" {
	standard
	# 1,200 incidents logged before the breach, 3 notes after it: the SLA
	# event is one among 1,206, past two batches of 500 of other kinds
	jq -nc 'range(1200) | {subject: "noise \(.)"}' | INC_NOW=2026-11-27T14:00:30Z inc-log >/dev/null
	INC_NOW=2026-11-27T14:01:00Z inc-sla >/dev/null
	for i in 1 2 3; do INC_NOW=2026-11-27T14:01:30Z inc-update --note "n$i" 2 >/dev/null; done
	assert_equal "$(dbq "SELECT count(*) FROM event WHERE kind LIKE 'sla_%'")" 1
	INC_NOW=2026-11-27T14:02:00Z run --separate-stderr inc-escalate </dev/null
	assert_success
	assert_equal "$(jq -c '[.id, .event.kind, .event.reason]' <<<"$output")" \
		'[1,"notified","response_warning: response due 2026-11-27T14:00:00Z"]'
	# past the notes too: the end of the log as the run found it
	assert_equal "$(dbq "SELECT seq = (SELECT max(seq) FROM event WHERE tool <> 'inc-escalate') FROM cursor WHERE name = 'escalate'")" 1
	INC_NOW=2026-11-27T14:03:00Z run --separate-stderr inc-escalate </dev/null
	assert_success
	assert_output ""
	assert_equal "$(dbq "SELECT seq = (SELECT max(seq) FROM event) FROM cursor WHERE name = 'escalate'")" 1
}

@test "the event log: a backlog of more than a batch of breaches, each escalated once, its trail and event in the order of the breaches" {
	edit_config '.escalation = [{"on":"response_breached","action":"hierarchical","notify":["oncall@example.com"]}]'
	# 600 incidents breached, unseen by any inc-escalate: two batches of
	# the log (500 events, then 100), their escalations written at each
	# commit
	jq -nc 'range(600) | {subject: "down \(.)", impact: "high", urgency: "high"}' | inc-log >/dev/null
	inc-sla >/dev/null
	INC_NOW=2026-11-28T10:00:00Z inc-sla >/dev/null
	assert_equal "$(dbq "SELECT count(*) FROM event WHERE kind = 'sla_breached'")" 600
	INC_NOW=2026-11-28T10:01:00Z run --separate-stderr inc-escalate </dev/null
	assert_success
	assert_equal "$stderr" ""
	assert_equal "$(jq -r .id <<<"$output" | paste -sd' ')" "$(seq 1 600 | paste -sd' ')"
	assert_equal "$(jq -c '.event | [.kind, .type, .level]' <<<"$output" | sort | uniq -c | awk '{print $1, $2}')" \
		'600 ["escalated","hierarchical",1]'
	# one event and one audit row of the escalation each, in the order of
	# the breaches, after them
	assert_equal "$(dbq "SELECT count(*), count(DISTINCT incident), CASE WHEN min(seq) > (SELECT max(seq) FROM event WHERE kind = 'sla_breached') THEN 'after' END FROM event WHERE kind = 'escalated'")" "600|600|after"
	assert_equal "$(dbq "SELECT count(*) FROM event a JOIN event b ON b.seq > a.seq AND b.incident < a.incident WHERE a.kind = 'escalated' AND b.kind = 'escalated'")" 0
	assert_equal "$(dbq "SELECT count(*), count(DISTINCT incident) FROM audit WHERE action = 'escalated' AND field = 'escalation_level'")" "600|600"
	assert_equal "$(dbq "SELECT count(*) FROM audit a JOIN audit b ON b.seq > a.seq AND b.incident < a.incident WHERE a.action = 'escalated' AND b.action = 'escalated'")" 0
	assert_equal "$(dbq "SELECT seq >= (SELECT max(seq) FROM event WHERE kind = 'sla_breached') FROM cursor WHERE name = 'escalate'")" 1
	# once: the next run finds nothing to do
	INC_NOW=2026-11-28T10:02:00Z run --separate-stderr inc-escalate </dev/null
	assert_success
	assert_output ""
	assert_equal "$(dbq "SELECT count(*) FROM event WHERE kind = 'escalated'")" 600
}

@test "the event log: an escalation refused for its incident is passed over whole: no rule marked fired, so a later run fires it" {
	# the notice goes through (it changes nothing on the incident), the
	# escalation is refused: neither may stand
	edit_config '.escalation = [{"on":"response_breached","action":"notify","notify":["pat"]},
		{"on":"response_breached","action":"hierarchical","notify":["oncall@example.com"]}]'
	standard
	INC_NOW=2026-11-27T14:01:00Z inc-sla >/dev/null
	INC_NOW=2026-11-27T14:05:00Z inc-update 1 --note "checking" >/dev/null
	# a run whose clock is behind the incident's last change: refused
	INC_NOW=2026-11-27T14:02:00Z run --separate-stderr inc-escalate </dev/null
	assert_failure 1
	assert_output ""
	assert_equal "$stderr" "inc-escalate: INC-1: dated 2026-11-27T14:02:00Z, before the incident's last change at 2026-11-27T14:05:00Z"
	assert_equal "$(dbq "SELECT count(*) FROM escalation_fired")" 0
	assert_equal "$(dbq "SELECT count(*) FROM event WHERE kind IN ('notified', 'escalated')")" 0
	assert_equal "$(dbq "SELECT count(*) FROM audit WHERE action IN ('notified', 'escalated')")" 0
	assert_equal "$(dbq "SELECT escalation_level FROM incident WHERE id = 1")" 0
	# the log goes on past it: one incident never holds up the others
	assert_equal "$(dbq "SELECT seq >= (SELECT max(seq) FROM event WHERE kind = 'sla_breached') FROM cursor WHERE name = 'escalate'")" 1
	# the rule is not spent: the next look at the incident fires it
	INC_NOW=2026-11-27T14:06:00Z run --separate-stderr inc-escalate --all
	assert_success
	assert_equal "$(jq -c '[.id, .escalation_level, .event.kind, .event.type, .event.notify]' <<<"$output" | paste -sd' ')" \
		'[1,0,"notified","notify",["pat@example.com"]] [1,1,"escalated","hierarchical",["oncall@example.com"]]'
	assert_equal "$(dbq "SELECT count(*) FROM escalation_fired")" 2
}

@test "the event log: a technician's run leaves the log to the admin's, who escalates" {
	edit_config '.escalation = [{"on":"response_breached","action":"functional","notify":["manager"]}]'
	standard
	INC_NOW=2026-11-27T14:01:00Z inc-sla >/dev/null
	# a technician may not move incidents between groups: the log is not theirs
	INC_NOW=2026-11-27T14:02:00Z run --separate-stderr inc-escalate --as alice </dev/null
	assert_success
	assert_output ""
	assert_equal "$(dbq "SELECT count(*) FROM cursor")" 0
	INC_NOW=2026-11-27T14:03:00Z run --separate-stderr inc-escalate </dev/null
	assert_success
	assert_equal "$(jq -c '[.group, .event.kind, .event.type]' <<<"$output")" '["l2-infra","escalated","functional"]'
}

@test "a rule's match: only major incidents get the major-incident rule" {
	edit_config '.escalation = [{"on":"response_warning","action":"notify","notify":["incident_manager"],"match":{"major":true}},
		{"on":"response_warning","action":"notify","notify":["assignee"],"match":{"major":false}}]'
	standard
	log_one '{"subject":"all down","major":true}' >/dev/null
	inc-assign 2 >/dev/null
	INC_NOW=2026-11-27T10:00:30Z inc-sla >/dev/null
	INC_NOW=2026-11-27T14:01:00Z run --separate-stderr bash -c 'inc-sla | inc-escalate'
	assert_success
	assert_equal "$(jq -c '[.id, .major, .event.notify]' <<<"$output" | sort -u)" '[1,false,["alice@example.com"]]
[2,true,["maria@example.com"]]'
}

@test "notify lists are checked: an unknown word is a config error, --notify bogus a usage error" {
	edit_config '.escalation = [{"on":"resolve_breached","notify":["managr"]}]'
	run --separate-stderr inc-escalate --all
	assert_failure 2
	assert_equal "$stderr" "inc-escalate: $INC_CONFIG: escalation[0]: notify[0]: \"managr\" is no one (want requester, assignee, group, manager, incident_manager, a person or an address)"
	INC_CONFIG=$INC_ROOT/share/config.json
	standard
	run --separate-stderr inc-escalate 1 --to l2-infra --reason x --notify manager,bogus
	assert_failure 2
	assert_equal "$stderr" 'inc-escalate: --notify: "bogus" is no one (want requester, assignee, group, manager, incident_manager, a person or an address)'
}
