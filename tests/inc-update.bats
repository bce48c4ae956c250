#!/usr/bin/env bats
# inc-update: status moves of SPEC section 3, notes and the response clock,
# validated --set, major, links, patch objects and access.
load test_helper

# Incident 1, assigned to alice in service-desk, requested by joe.
local_setup() {
	log_one '{"subject":"printer offline","requester":"joe@example.com"}' >/dev/null
	inc-assign 1 >/dev/null
}

status_of() {
	inc-show "$1" | jq -r .status
}

# Each line VALUE|MESSAGE of stdin: inc-update OPTION VALUE 1 is a usage error
# saying "inc-update: OPTION: MESSAGE".
usage_errors() {
	local value message
	while IFS='|' read -r value message; do
		run --separate-stderr inc-update "$1" "$value" 1
		assert_failure 2
		assert_equal "$output" ""
		assert_equal "$stderr" "inc-update: $1: $message"
	done
}

# Moves incident 1 through the given statuses, quietly.
move() {
	local s
	for s in "$@"; do
		inc-update --status "$s" 1 >/dev/null
	done
}

@test "assigned -> in_progress -> on_hold -> in_progress" {
	run --separate-stderr inc-update --status in_progress 1
	assert_success
	assert_equal "$(jq -c '[.status, .event]' <<<"$output")" '["in_progress",{"kind":"updated","changed":["status"]}]'
	assert_equal "$stderr" ""
	run --separate-stderr inc-update --status on_hold 1
	assert_equal "$(jq -r .status <<<"$output")" on_hold
	run --separate-stderr inc-update --status in_progress 1
	assert_success
	assert_equal "$(jq -r .status <<<"$output")" in_progress
	assert_equal "$(dbq 'SELECT count(*) FROM hold WHERE incident = 1 AND "end" IS NOT NULL')" 1
}

@test "new -> in_progress takes the incident: the acting technician is its assignee" {
	log_one '{"subject":"x"}' >/dev/null
	run --separate-stderr inc-update --as BOB@example.com --status in_progress 2
	assert_success
	assert_equal "$(jq -c '[.status, .assignee, .reassignment_count]' <<<"$output")" '["in_progress","bob",0]'
}

@test "any open status -> cancelled" {
	log_one '{"subject":"new one"}' >/dev/null
	run --separate-stderr inc-update --status cancelled 2
	assert_success
	assert_equal "$(jq -r .status <<<"$output")" cancelled
	run --separate-stderr inc-update --status cancelled 1
	assert_equal "$(jq -r .status <<<"$output")" cancelled
	for from in in_progress on_hold; do
		id=$(log_one '{"subject":"x"}')
		inc-update --status in_progress "$id" >/dev/null
		[ "$from" = in_progress ] || inc-update --status on_hold "$id" >/dev/null
		run --separate-stderr inc-update --status cancelled "$id"
		assert_success
		assert_equal "$(jq -r .status <<<"$output")" cancelled
	done
}

@test "a move to the status it has changes nothing" {
	move in_progress
	audit=$(dbq 'SELECT count(*) FROM audit')
	run --separate-stderr inc-update --status in_progress 1
	assert_success
	assert_equal "$(jq -c .event <<<"$output")" null
	assert_equal "$(jq -c .status <<<"$output")" '"in_progress"'
	assert_equal "$(dbq 'SELECT count(*) FROM audit')" "$audit"
	# nor anything in the event log
	assert_equal "$(dbq "SELECT kind FROM event ORDER BY seq DESC LIMIT 1")" updated
}

@test "assigned -> on_hold: waiting for the requester before work starts" {
	run --separate-stderr inc-update --status on_hold --note "waiting for joe" 1
	assert_success
	assert_equal "$stderr" ""
	assert_equal "$(jq -c '[.status, .assignee, .sla.responded_at]' <<<"$output")" '["on_hold","alice",null]'
	assert_equal "$(dbq 'SELECT count(*) FROM hold WHERE incident = 1 AND "end" IS NULL')" 1
	run --separate-stderr inc-update --status in_progress 1
	assert_success
	assert_equal "$(jq -r .status <<<"$output")" in_progress
	assert_equal "$(dbq 'SELECT count(*) FROM hold WHERE incident = 1 AND "end" IS NOT NULL')" 1
}

@test "new -> on_hold is refused" {
	log_one '{"subject":"x"}' >/dev/null
	run --separate-stderr inc-update --status on_hold 2
	assert_failure 1
	assert_equal "$stderr" "inc-update: 2: cannot move from new to on_hold"
}

@test "cancelled is final" {
	move cancelled
	for s in in_progress on_hold; do
		run --separate-stderr inc-update --status "$s" 1
		assert_failure 1
		assert_equal "$stderr" "inc-update: 1: cannot move from cancelled to $s"
	done
	assert_equal "$(status_of 1)" cancelled
}

@test "resolved or closed -> in_progress is a reopen: inc-close's" {
	dbq "UPDATE incident SET status = 'resolved' WHERE id = 1"
	run --separate-stderr inc-update --status in_progress 1
	assert_failure 1
	assert_equal "$stderr" "inc-update: 1: cannot move from resolved to in_progress: reopen with inc-close --reopen"
	run --separate-stderr inc-update --status cancelled 1
	assert_failure 1
	assert_equal "$stderr" "inc-update: 1: cannot move from resolved to cancelled"
	assert_equal "$(status_of 1)" resolved
	dbq "UPDATE incident SET status = 'closed' WHERE id = 1"
	run --separate-stderr inc-update --status in_progress 1
	assert_failure 1
	assert_equal "$stderr" "inc-update: 1: cannot move from closed to in_progress: reopen with inc-close --reopen"
}

@test "--status other than in_progress, on_hold, cancelled: exit 2, nothing done" {
	usage_errors --status <<'CASES'
resolved|resolved: use inc-close
closed|closed: use inc-close
assigned|assigned: use inc-assign
new|new: an incident never goes back to new
opne|unknown status "opne" (want in_progress, on_hold or cancelled)
CASES
	assert_equal "$(status_of 1)" assigned
}

@test "a note is an internal audit row: no response, no mail" {
	run --separate-stderr inc-update --as alice --note "rebooting the print server" 1
	assert_success
	assert_equal "$(jq -c '[.status, .event, .updated_at]' <<<"$output")" \
		'["assigned",{"kind":"updated","changed":[],"note":"rebooting the print server"},"2026-11-27T10:00:00Z"]'
	assert_equal "$(dbq "SELECT actor, tool, new FROM audit WHERE action = 'note'")" \
		"alice|inc-update|rebooting the print server"
	assert_equal "$(dbq 'SELECT responded_at IS NULL FROM incident')" 1
	assert_equal "$(dbq "SELECT kind FROM event WHERE incident = 1 ORDER BY seq DESC LIMIT 1")" updated
}

@test "a public reply is the first response and a replied event; a later one moves nothing" {
	run --separate-stderr inc-update --as alice --reply "Rebooting the print server, back in 5 minutes." 1
	assert_success
	assert_equal "$(jq -c '.event' <<<"$output")" \
		'{"kind":"replied","changed":[],"by":"desk","text":"Rebooting the print server, back in 5 minutes."}'
	assert_equal "$(dbq "SELECT actor, tool, new FROM audit WHERE action = 'reply'")" \
		"alice|inc-update|Rebooting the print server, back in 5 minutes."
	assert_equal "$(dbq 'SELECT responded_at FROM incident')" 1795773600
	assert_equal "$(dbq "SELECT kind FROM event WHERE incident = 1 ORDER BY seq DESC LIMIT 1")" replied
	assert_equal "$(dbq "SELECT data FROM event WHERE incident = 1 ORDER BY seq DESC LIMIT 1" | jq -r .by)" desk
	INC_NOW=2026-11-27T12:00:00Z inc-update -r "Done, please check." 1 >/dev/null
	assert_equal "$(dbq 'SELECT responded_at, updated_at FROM incident')" "1795773600|1795780800"
	run --separate-stderr inc-update -r "" 1
	assert_failure 2
	assert_equal "$stderr" "inc-update: --reply: expected non-empty UTF-8 text"
}

@test "the requester adds a note to their own incident; it is no response" {
	run --separate-stderr inc-update --as joe@example.com -m "any news?" 1
	assert_success
	assert_equal "$(jq -r .event.note <<<"$output")" "any news?"
	assert_equal "$(dbq 'SELECT responded_at IS NULL FROM incident')" 1
}

@test "a requester may not note someone else's incident, nor change their own" {
	log_one '{"subject":"mine","requester":"ann@example.com"}' >/dev/null
	run --separate-stderr inc-update --as joe@example.com -m "me too" 2
	assert_failure 1
	assert_equal "$stderr" "inc-update: 2: not allowed: not your incident"
	run --separate-stderr inc-update --as joe@example.com --status cancelled 1
	assert_failure 1
	assert_equal "$stderr" "inc-update: 1: not allowed: requesters may only add notes to their own incidents"
	run --separate-stderr inc-update --as joe@example.com --set urgency=high 1
	assert_failure 1
	assert_equal "$stderr" "inc-update: 1: not allowed: requesters may only add notes to their own incidents"
	assert_equal "$(inc-show 1 | jq -c '[.status, .urgency]')" '["assigned",null]'
}

@test "--set validates levels, categories and fields: exit 2, nothing done" {
	before=$(inc-show 1)
	usage_errors --set <<'CASES'
impact=huge|impact: unknown impact "huge" (want high, medium or low)
category=plumbing|category: unknown category "plumbing" (want network, hardware, access, email or service)
subcategory=boiler|subcategory: unknown subcategory "boiler" (want vpn, wifi, lan, laptop, printer, monitor, password, account, outage or degradation)
source=fax|source: unknown source "fax" (want phone, email, sms, web, chat, api or monitoring)
prority=high|unknown field "prority" (want subject, description, requester, source, category, subcategory, impact, urgency, priority, group, assignee, major or custom.KEY)
status=on_hold|use --status to change the status
assignee=nobody|assignee: unknown technician "nobody" (want alice, bob, chen, dana, erik, fay, gus, maria, omar, pat or root)
group=l9|group: unknown group "l9" (want service-desk, l2-infra or l3-network)
subject=|subject: must not be null
major=yes|major: expected true or false
impact|want FIELD=VALUE, got "impact"
CASES
	assert_equal "$(inc-show 1)" "$before"
}

@test "--set impact or urgency recomputes the priority from the matrix" {
	run --separate-stderr inc-update --set impact=high --set urgency=high 1
	assert_success
	assert_equal "$(jq -c '[.impact, .urgency, .priority, .event.changed]' <<<"$output")" \
		'["high","high","critical",["impact","urgency","priority"]]'
	run --separate-stderr inc-update --set urgency=low 1
	assert_equal "$(jq -r .priority <<<"$output")" medium
}

@test "an explicit priority stays when impact changes" {
	run --separate-stderr inc-update --set priority=low --set impact=high --set urgency=high 1
	assert_equal "$(jq -r .priority <<<"$output")" low
	run --separate-stderr inc-update --set urgency=medium 1
	assert_equal "$(jq -r .priority <<<"$output")" low
}

@test "--set category: CAT/SUB sets both; a new category drops a subcategory it lacks" {
	run --separate-stderr inc-update --set category=network/wifi 1
	assert_success
	assert_equal "$(jq -c '[.category, .subcategory]' <<<"$output")" '["network","wifi"]'
	run --separate-stderr inc-update --set category=email 1
	assert_equal "$(jq -c '[.category, .subcategory]' <<<"$output")" '["email",null]'
	run --separate-stderr inc-update --set category=network --set subcategory=lan 1
	assert_equal "$(jq -c '[.category, .subcategory]' <<<"$output")" '["network","lan"]'
	run --separate-stderr inc-update --set subcategory=printer 1
	assert_failure 1
	assert_equal "$stderr" 'inc-update: 1: subcategory: unknown subcategory "printer" of "network" (want vpn, wifi or lan)'
	run --separate-stderr inc-update --set category= 1
	assert_success
	assert_equal "$(jq -c '[.category, .subcategory]' <<<"$output")" '[null,null]'
}

@test "a field set by hand is explicit: classification leaves it" {
	inc-update --set category=email --set urgency=low 1 >/dev/null
	run --separate-stderr inc-classify 1
	assert_equal "$(jq -c '[.category, .urgency]' <<<"$output")" '["email","low"]'
}

@test "--set custom.KEY sets a custom field; an empty value removes it" {
	run --separate-stderr inc-update --set custom.asset_tag=PR-12 --set custom.floor=3 1
	assert_equal "$(jq -c .custom <<<"$output")" '{"asset_tag":"PR-12","floor":"3"}'
	run --separate-stderr inc-update --set custom.floor= 1
	assert_equal "$(jq -c '[.custom, .event.changed]' <<<"$output")" '[{"asset_tag":"PR-12"},["custom"]]'
}

@test "--set subject, description, requester, source" {
	run --separate-stderr inc-update --set "subject=Printer PR-12 offline" --set description= \
		--set requester=ann@example.com --set source=phone 1
	assert_success
	assert_equal "$(jq -c '[.subject, .description, .requester, .source]' <<<"$output")" \
		'["Printer PR-12 offline",null,"ann@example.com","phone"]'
}

@test "--set assignee assigns by hand within the group, counted" {
	run --separate-stderr inc-update --as alice --set assignee=bob 1
	assert_success
	assert_equal "$(jq -c '[.assignee, .reassignment_count, .event.changed]' <<<"$output")" '["bob",1,["assignee"]]'
	run --separate-stderr inc-update --set assignee=dana 1
	assert_failure 1
	assert_equal "$stderr" "inc-update: 1: dana is not a member of service-desk (name the group with --group)"
}

@test "--set group moves the incident and routes it there: incident manager or admin" {
	run --separate-stderr inc-update --as alice --set group=l2-infra 1
	assert_failure 1
	assert_equal "$stderr" "inc-update: 1: only an incident manager or admin may move an incident to another group"
	run --separate-stderr inc-update --as maria --set group=l2-infra 1
	assert_success
	assert_equal "$(jq -c '[.group, .assignee, .reassignment_count]' <<<"$output")" '["l2-infra","dana",1]'
	run --separate-stderr inc-update --as maria --set group=l3-network --set assignee=omar 1
	assert_equal "$(jq -c '[.group, .assignee, .reassignment_count]' <<<"$output")" '["l3-network","omar",2]'
}

@test "--major and --no-major: incident manager or admin" {
	run --separate-stderr inc-update --as maria --major 1
	assert_success
	assert_equal "$(jq -c '[.major, .event.changed]' <<<"$output")" '[true,["major"]]'
	run --separate-stderr inc-update --as alice --no-major 1
	assert_failure 2
	assert_equal "$stderr" "inc-update: --no-major: alice may not undeclare a major incident (role technician)"
	run --separate-stderr inc-update --as alice --set major=true 1
	assert_failure 2
	assert_equal "$stderr" "inc-update: --major: alice may not declare a major incident (role technician)"
	run --separate-stderr inc-update --no-major 1
	assert_equal "$(jq -r .major <<<"$output")" false
	# a declaration by hand is explicit: the rules do not undo it
	inc-update --major 1 >/dev/null
	edit_config '.rules = [{"set": {"major": false}}]'
	assert_equal "$(inc-classify 1 | jq -r .major)" true
}

@test "--link adds links, once each" {
	run --separate-stderr inc-update --link problem:PRB-7 --link asset:PRN-0042 --link problem:PRB-7 1
	assert_success
	assert_equal "$(jq -c .links <<<"$output")" '[{"type":"problem","ref":"PRB-7"},{"type":"asset","ref":"PRN-0042"}]'
	run --separate-stderr inc-update --link change:CHG-1 --link incident:INC-9 --link problem:PRB-7 1
	assert_equal "$(jq -c '[.links[].ref]' <<<"$output")" '["PRB-7","PRN-0042","CHG-1","INC-9"]'
	run --separate-stderr inc-update --link problem:PRB-7 1
	assert_equal "$(jq -c .event <<<"$output")" null
}

@test "--link with an unknown type or no colon: exit 2" {
	run --separate-stderr inc-update --link ticket:T-1 1
	assert_failure 2
	assert_equal "$stderr" 'inc-update: --link: unknown link type "ticket" (want problem, change, asset or incident)'
	run --separate-stderr inc-update --link PRB-7 1
	assert_failure 2
	assert_equal "$stderr" 'inc-update: --link: want TYPE:REF, got "PRB-7"'
}

@test "patch objects on stdin, line by line" {
	log_one '{"subject":"second"}' >/dev/null
	run --separate-stderr inc-update <<<'{"id":1,"status":"in_progress","note":"on site"}
{"id":1,"status":"on_hold","note":"waiting for user","link":"asset:PRN-1"}
{"id":"INC-2","urgency":"high","impact":"high","custom":{"k":"v"},"links":[{"type":"problem","ref":"PRB-1"}]}'
	assert_success
	assert_equal "$(jq -c '[.id, .status, .priority, .event.note, (.links | length)]' <<<"$output" | paste -sd' ')" \
		'[1,"in_progress",null,"on site",0] [1,"on_hold",null,"waiting for user",1] [2,"new","critical",null,1]'
	assert_equal "$stderr" ""
}

@test "ids alone on stdin get the options' changes: jq -r .id | inc-update" {
	log_one '{"subject":"second"}' >/dev/null
	run --separate-stderr inc-update --note "seen" <<<'1
"INC-2"'
	assert_success
	assert_equal "$stderr" ""
	assert_equal "$(jq -c '[.id, .event.note]' <<<"$output" | paste -sd' ')" '[1,"seen"] [2,"seen"]'
}

@test "bad patch lines are refused, the others go on" {
	before=$(inc-show 1)
	run --separate-stderr inc-update <<<'{"id":1,"status":"resolved"}
{"id":1,"stauts":"on_hold"}
{"id":1,"status":"new"}
{"id":1,"impact":"huge"}
{"id":1,"major":"yes"}
{"id":1,"note":""}
{"id":1,"link":"ticket:T-1"}
{"id":1,"assignee":null}
{"id":1,"set":{"impact":"high"}}
{"status":"in_progress"}
{"id":9,"note":"x"}
{"id":1,"status":"in_progress"}'
	assert_failure 1
	assert_equal "$(jq -c '[.id, .status]' <<<"$output")" '[1,"in_progress"]'
	assert_equal "$stderr" "$(cat <<'EOF'
inc-update: line 1: status: resolved: use inc-close
inc-update: line 2: unknown field "stauts"
inc-update: line 3: status: new: an incident never goes back to new
inc-update: line 4: impact: unknown impact "huge" (want high, medium or low)
inc-update: line 5: major: expected true or false
inc-update: line 6: note: expected a non-empty string
inc-update: line 7: links: unknown link type "ticket" (want problem, change, asset or incident)
inc-update: line 8: assignee: expected a name (it cannot be cleared)
inc-update: line 9: unknown field "set"
inc-update: line 10: no "id"
inc-update: line 11: no such incident
EOF
)"
	assert_equal "$(dbq "SELECT count(*) FROM audit WHERE tool = 'inc-update' AND field <> 'status' AND field <> 'responded_at'")" 0
}

@test "a patch's major by a technician is refused for that record" {
	run --separate-stderr inc-update --as alice <<<'{"id":1,"major":true}'
	assert_failure 1
	assert_equal "$stderr" "inc-update: line 1: not allowed: only an incident manager or admin may declare a major incident"
}

@test "options apply to every stdin record, and win where they name the same thing" {
	log_one '{"subject":"second"}' >/dev/null
	inc-assign 2 >/dev/null
	run --separate-stderr inc-update --status in_progress --set urgency=low <<<'{"id":1,"status":"cancelled","urgency":"high","impact":"high","note":"n1"}
{"id":2}'
	assert_success
	assert_equal "$(jq -c '[.id, .status, .impact, .urgency, .event.note]' <<<"$output" | paste -sd' ')" \
		'[1,"in_progress","high","low","n1"] [2,"in_progress",null,"low",null]'
}

@test "records of another stage fed back change only what differs" {
	run --separate-stderr bash -c 'inc-show 1 | inc-update --note "seen"'
	assert_success
	assert_equal "$(jq -c .event <<<"$output")" '{"kind":"updated","changed":[],"note":"seen"}'
	# a record edited with jq is a patch
	run --separate-stderr bash -c "inc-show 1 | jq -c '.status = \"in_progress\" | .urgency = \"high\"' | inc-update"
	assert_success
	assert_equal "$(jq -c .event.changed <<<"$output")" '["urgency","status"]'
	# the explicit bits of unchanged fields are untouched
	assert_equal "$(dbq 'SELECT explicit FROM incident WHERE id = 1')" 8
}

@test "cancel what monitoring logged in a maintenance window" {
	INC_NOW=2026-11-27T02:10:00Z log_one '{"subject":"ping loss","source":"monitoring"}' >/dev/null
	INC_NOW=2026-11-27T02:20:00Z log_one '{"subject":"user call","source":"phone"}' >/dev/null
	INC_NOW=2026-11-27T03:10:00Z log_one '{"subject":"disk","source":"monitoring"}' >/dev/null
	run --separate-stderr bash -c 'inc-show --since 2026-11-27T02:00:00Z --until 2026-11-27T03:00:00Z |
		jq -c "select(.source == \"monitoring\")" |
		inc-update --status cancelled --note "maintenance window"'
	assert_success
	assert_equal "$(inc-show | jq -r '[.id, .status] | join(" ")' | paste -sd,)" \
		"1 assigned,2 cancelled,3 new,4 new"
}

@test "ids with no change to make: exit 2" {
	run --separate-stderr inc-update 1
	assert_failure 2
	assert_equal "$stderr" "inc-update: nothing to change (want --status, --note, --reply, --set, --major or --link)"
}

@test "unknown ids are refused, the others go on" {
	run --separate-stderr inc-update --note hello 7 1 INC-x
	assert_failure 1
	assert_equal "$(jq -r .id <<<"$output")" 1
	assert_equal "$stderr" "$(printf '%s\n' 'inc-update: 7: no such incident' 'inc-update: INC-x: not an incident id')"
}

@test "a bad option is a usage error" {
	run --separate-stderr inc-update --frobnicate </dev/null
	assert_failure 2
	assert_equal "${stderr##*$'\n'}" "usage: inc-update [-d DB] [-c CONFIG] [--now TIME] [--as USER] [--status in_progress|on_hold|cancelled] [-m|--note TEXT] [-r|--reply TEXT] [--set FIELD=VALUE]... [--major|--no-major] [--link TYPE:REF]... [ID...] [< patches.jsonl]"
}
