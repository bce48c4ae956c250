#!/usr/bin/env bats
# inc-classify: the ordered rules, defaults, the priority matrix, explicit
# values, --force, --dry-run and --explain.
load test_helper

# Log one incident and classify it; the classified record is in $output.
classify() {
	local id
	id=$(log_one "$1")
	run --separate-stderr inc-classify "${@:2}" "$id"
}

fields() {
	jq -c '[.category, .subcategory, .impact, .urgency, .priority, .group, .major]' <<<"$output"
}

@test "rule 0: an outage for all users is a critical major service outage" {
	classify '{"subject":"Mail down for everyone"}'
	assert_success
	assert_equal "$(fields)" '["service","outage","high","high","critical","service-desk",true]'
	assert_equal "$(jq -c .event <<<"$output")" '{"kind":"classified"}'
	assert_equal "$stderr" ""
}

@test "rule 1: a VPN report goes to network/vpn and the l2-infra group" {
	classify '{"subject":"cannot connect","description":"the tunnel keeps dropping"}'
	assert_success
	assert_equal "$(fields)" '["network","vpn","low","medium","low","l2-infra",false]'
}

@test "rule 2: wi-fi and wireless are network/wifi" {
	classify '{"subject":"WiFi slow on floor 3"}'
	assert_equal "$(fields)" '["network","wifi","low","medium","low","service-desk",false]'
	classify '{"subject":"no wireless"}'
	assert_equal "$(fields)" '["network","wifi","low","medium","low","service-desk",false]'
}

@test "rule 3: a password in the subject is access/password, urgent" {
	classify '{"subject":"Locked out of my account"}'
	assert_equal "$(fields)" '["access","password","low","high","medium","service-desk",false]'
}

@test "rule 3 reads the subject only: a password in the description does not match" {
	classify '{"subject":"help","description":"I forgot my password"}'
	assert_equal "$(fields)" '[null,null,"low","medium","low","service-desk",false]'
}

@test "rule 4: printer and toner are hardware/printer, not urgent" {
	classify '{"subject":"Printer jammed","custom":{"asset_tag":"PR-1"}}'
	assert_equal "$(fields)" '["hardware","printer","low","low","low","service-desk",false]'
}

@test "rule 5: monitoring alerts are medium impact, high urgency" {
	classify '{"subject":"disk 91% on db1","source":"monitoring"}'
	assert_equal "$(fields)" '[null,null,"medium","high","high","service-desk",false]'
}

@test "regexes are case-insensitive" {
	classify '{"subject":"VPN CONCENTRATOR ALARM"}'
	assert_equal "$(jq -r .category <<<"$output")" network
}

@test "every matching rule applies, a later one overriding an earlier field by field" {
	classify '{"subject":"VPN outage for all users"}'
	assert_success
	# rule 1 overrides rule 0's category and subcategory; rule 0's impact,
	# urgency and major stay; rule 1 adds the group
	assert_equal "$(fields)" '["network","vpn","high","high","critical","l2-infra",true]'
}

@test "a monitoring outage: rule 5 lowers rule 0's impact" {
	classify '{"subject":"service outage","source":"monitoring"}'
	assert_equal "$(fields)" '["service","outage","medium","high","high","service-desk",true]'
}

@test "no rule matches: the defaults, and priority from the matrix" {
	classify '{"subject":"something odd"}'
	assert_success
	assert_equal "$(fields)" '[null,null,"low","medium","low","service-desk",false]'
}

@test "a config without defaults leaves unset what no rule sets, and no priority" {
	edit_config 'del(.defaults)'
	classify '{"subject":"something odd"}'
	assert_success
	assert_equal "$(fields)" '[null,null,null,null,null,null,false]'
}

@test "values given at logging win over the rules" {
	classify '{"subject":"locked out","category":"email","impact":"high"}'
	assert_success
	# category and impact stay; urgency from rule 3; priority from the matrix
	assert_equal "$(fields)" '["email",null,"high","high","critical","service-desk",false]'
}

@test "an explicit priority at logging wins over the matrix" {
	classify '{"subject":"printer","priority":"high","custom":{"asset_tag":"A"}}' --explain
	assert_equal "$(jq -c '[.priority, .event.kept]' <<<"$output")" '["high",["priority"]]'
}

@test "--force lets the rules override explicit values, priority included" {
	classify '{"subject":"locked out","category":"email","priority":"critical"}' --force
	assert_success
	assert_equal "$(fields)" '["access","password","low","high","medium","service-desk",false]'
}

@test "--force is for an incident manager or admin only: exit 2, nothing done" {
	id=$(log_one '{"subject":"vpn"}')
	run --separate-stderr inc-classify --as alice --force "$id"
	assert_failure 2
	assert_equal "$output" ""
	assert_equal "$stderr" "inc-classify: --force: alice may not force (role technician)"
	assert_equal "$(inc-show "$id" | jq -r .category)" null
	run --separate-stderr inc-classify --as maria -f "$id"
	assert_success
}

@test "an explicit group stays; an explicit major stays" {
	classify '{"subject":"vpn outage","group":"service-desk","major":false}'
	assert_equal "$(fields)" '["network","vpn","high","high","critical","service-desk",false]'
}

@test "the group of an assigned incident stays: routing placed it" {
	id=$(log_one '{"subject":"vpn issue"}')
	inc-assign --to alice "$id" >/dev/null
	run --separate-stderr inc-classify --explain "$id"
	assert_success
	assert_equal "$(jq -r '.group, .assignee' <<<"$output")" "$(printf 'service-desk\nalice')"
	assert_equal "$(jq -c .event.kept <<<"$output")" '["group"]'
}

@test "--explain names the matching rules, the kept fields and the defaults" {
	classify '{"subject":"vpn outage","category":"email"}' --explain
	assert_success
	assert_equal "$(jq -c .event <<<"$output")" \
		'{"kind":"classified","rules":[{"index":0,"match":{"text":"outage|down for everyone|all users"},"set":{"category":"service","subcategory":"outage","impact":"high","urgency":"high","major":true}},{"index":1,"match":{"text":"vpn|tunnel"},"set":{"category":"network","subcategory":"vpn","group":"l2-infra"}}],"kept":["category"],"defaults":[]}'
}

@test "--explain with nothing matched: empty rules, the defaults used" {
	classify '{"subject":"odd"}' -x
	assert_equal "$(jq -c .event <<<"$output")" \
		'{"kind":"classified","rules":[],"kept":[],"defaults":["impact","urgency","group"]}'
}

@test "--dry-run shows the would-be record and writes nothing, not even audit" {
	id=$(log_one '{"subject":"vpn outage"}')
	audit=$(dbq 'SELECT count(*) FROM audit')
	before=$(inc-show "$id")
	INC_NOW=2026-11-27T11:00:00Z run --separate-stderr inc-classify --dry-run "$id"
	assert_success
	assert_equal "$(fields)" '["network","vpn","high","high","critical","l2-infra",true]'
	assert_equal "$(jq -r .updated_at <<<"$output")" 2026-11-27T11:00:00Z
	assert_equal "$(jq -c .event <<<"$output")" '{"kind":"classified","dry_run":true}'
	assert_equal "$(inc-show "$id")" "$before"
	assert_equal "$(dbq 'SELECT count(*) FROM audit')" "$audit"
}

@test "debugging a rule set on yesterday's incidents: inc-show --since -1d | inc-classify -n -x" {
	INC_NOW=2026-11-25T10:00:00Z log_one '{"subject":"old printer"}' >/dev/null
	log_one '{"subject":"vpn flaps"}' >/dev/null
	log_one '{"subject":"wifi"}' >/dev/null
	run --separate-stderr bash -c 'inc-show --since -1d | inc-classify --dry-run --explain'
	assert_success
	assert_equal "$(jq -c '[.id, .category, [.event.rules[].index], .event.dry_run]' <<<"$output")" \
		"$(printf '%s\n' '[2,"network",[1],true]' '[3,"network",[2],true]')"
	assert_equal "$(inc-show | jq -c .category | sort -u)" null
}

@test "classification is stored with one audit row per changed field" {
	id=$(log_one '{"subject":"vpn"}')
	inc-classify "$id" >/dev/null
	run --separate-stderr inc-show --history "$id"
	assert_equal "$(jq -c '[.history[] | select(.action == "classified") | [.tool, .field, .to]]' <<<"$output")" \
		'[["inc-classify","category","network"],["inc-classify","subcategory","vpn"],["inc-classify","impact","low"],["inc-classify","urgency","medium"],["inc-classify","priority","low"],["inc-classify","group","l2-infra"]]'
}

@test "classifying again changes nothing and writes no audit row" {
	id=$(log_one '{"subject":"vpn"}')
	inc-classify "$id" >/dev/null
	audit=$(dbq 'SELECT count(*) FROM audit')
	run --separate-stderr inc-classify "$id"
	assert_success
	assert_equal "$(fields)" '["network","vpn","low","medium","low","l2-infra",false]'
	assert_equal "$(dbq 'SELECT count(*) FROM audit')" "$audit"
}

@test "a value set by an earlier classification stays when no rule sets it any more" {
	id=$(log_one '{"subject":"vpn"}')
	inc-classify "$id" >/dev/null
	edit_config '.rules = []'
	run --separate-stderr inc-classify "$id"
	assert_equal "$(fields)" '["network","vpn","low","medium","low","l2-infra",false]'
}

@test "a rule matches on requester, description, source and category" {
	edit_config '.rules = [
		{"match": {"requester": "@vip\\.example$"}, "set": {"impact": "high"}},
		{"match": {"description": "^urgent"}, "set": {"urgency": "high"}},
		{"match": {"source": "^phone$"}, "set": {"category": "access"}},
		{"match": {"category": "^access$"}, "set": {"group": "l2-infra"}}]'
	classify '{"subject":"x","requester":"Boss@VIP.example","description":"Urgent: call me","source":"phone"}' -x
	assert_equal "$(fields)" '["access",null,"high","high","critical","l2-infra",false]'
	assert_equal "$(jq -c '[.event.rules[].index]' <<<"$output")" '[0,1,2,3]'
	classify '{"subject":"urgent","requester":"joe@example.com","source":"web"}' -x
	assert_equal "$(jq -c '[.event.rules[].index]' <<<"$output")" '[]'
}

@test "a category rule sees the category an earlier rule set, or the one logged" {
	edit_config '.rules = [{"match": {"category": "network"}, "set": {"group": "l3-network"}}] + .rules'
	classify '{"subject":"vpn"}'
	# rule 0 ran before rule 2 set the category: no match
	assert_equal "$(jq -r .group <<<"$output")" l2-infra
	classify '{"subject":"help","category":"network"}'
	assert_equal "$(jq -r .group <<<"$output")" l3-network
	edit_config '.rules += [{"match": {"category": "network"}, "set": {"group": "l3-network"}}]'
	classify '{"subject":"wifi"}'
	assert_equal "$(jq -r .group <<<"$output")" l3-network
}

@test "every condition of a match must hold" {
	edit_config '.rules = [{"match": {"subject": "disk", "source": "monitoring"}, "set": {"urgency": "high"}}]'
	classify '{"subject":"disk full","source":"email"}'
	assert_equal "$(jq -r .urgency <<<"$output")" medium
	classify '{"subject":"disk full","source":"monitoring"}'
	assert_equal "$(jq -r .urgency <<<"$output")" high
}

@test "a condition on an unset field never holds, even a pattern matching empty text" {
	edit_config '.rules = [{"match": {"source": ".*"}, "set": {"urgency": "high"}}]'
	classify '{"subject":"x"}'
	assert_equal "$(jq -r .urgency <<<"$output")" medium
}

@test "a rule whose match gives up on a text does not apply, and the run says so" {
	# nested repeats on 40 a's and a "!": the backtracking hits the match
	# limit long before an answer; the next rule still applies
	edit_config '.rules = [{"match": {"subject": "^(a+)+$"}, "set": {"impact": "high"}},
		{"match": {"subject": "^a"}, "set": {"urgency": "high"}}]'
	classify '{"subject":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!"}' -x
	assert_success
	assert_equal "$stderr" "inc-classify: $(jq -r .id <<<"$output"): rules[0]: match.subject: gave up matching (the expression backtracks too much on this text): the rule does not apply"
	assert_equal "$(jq -c '[.impact, .urgency, [.event.rules[].index], .event.gave_up]' <<<"$output")" \
		'["low","high",[1],[{"index":0,"field":"subject"}]]'
	# stored as classified, without that rule
	assert_equal "$(dbq "SELECT impact, urgency FROM incident WHERE id = $(jq -r .id <<<"$output")")" 'low|high'
}

@test "a rule without match applies to every incident" {
	edit_config '.rules = [{"set": {"group": "l3-network"}}]'
	classify '{"subject":"x"}'
	assert_equal "$(jq -r .group <<<"$output")" l3-network
}

@test "a later rule's category drops an earlier rule's subcategory it does not have" {
	edit_config '.rules += [{"match": {"subject": "outage"}, "set": {"category": "email"}}]'
	classify '{"subject":"mail outage"}'
	assert_equal "$(jq -c '[.category, .subcategory]' <<<"$output")" '["email",null]'
}

@test "a rule's subcategory is dropped when the category was given at logging" {
	classify '{"subject":"vpn","category":"hardware","custom":{"asset_tag":"L-1"}}' -x
	assert_equal "$(jq -c '[.category, .subcategory, .event.kept]' <<<"$output")" '["hardware",null,["category"]]'
}

@test "records on stdin: unknown ids and lines without id are refused, the rest go on" {
	id=$(log_one '{"subject":"vpn"}')
	run --separate-stderr inc-classify <<<"{\"id\":99}
not json
{\"subject\":\"no id\"}
{\"id\":$id}"
	assert_failure 1
	assert_equal "$(jq -r .category <<<"$output")" network
	assert_equal "$stderr" "$(printf '%s\n' 'inc-classify: line 1: no such incident' \
		"inc-classify: line 2: invalid JSON: '[' or '{' expected near 'not'" \
		'inc-classify: line 3: no "id"')"
}

@test "lines that are an id alone: 5, INC-5, \"INC-5\" (jq -r .id, jq .ref)" {
	log_one '{"subject":"vpn"}' >/dev/null
	log_one '{"subject":"wifi"}' >/dev/null
	log_one '{"subject":"printer"}' >/dev/null
	run --separate-stderr inc-classify <<<'1
INC-2
"INC-3"
"3"
0
[3]
INC-x
9'
	assert_failure 1
	assert_equal "$(jq -c '[.id, .subcategory]' <<<"$output" | paste -sd' ')" \
		'[1,"vpn"] [2,"wifi"] [3,"printer"] [3,"printer"]'
	assert_equal "$stderr" "$(printf '%s\n' \
		'inc-classify: line 5: expected a JSON object or an incident id' \
		'inc-classify: line 6: expected a JSON object or an incident id' \
		"inc-classify: line 7: invalid JSON: '[' or '{' expected near 'INC'" \
		'inc-classify: line 8: no such incident')"
}

@test "ids as arguments; a bad id is refused" {
	id=$(log_one '{"subject":"wifi"}')
	run --separate-stderr inc-classify "INC-$id" 42 x
	assert_failure 1
	assert_equal "$(jq -r .subcategory <<<"$output")" wifi
	assert_equal "$stderr" "$(printf '%s\n' 'inc-classify: 42: no such incident' 'inc-classify: x: not an incident id')"
}

@test "requesters do not classify" {
	id=$(log_one '{"subject":"vpn","requester":"joe@example.com"}')
	run --separate-stderr inc-classify --as joe@example.com "$id"
	assert_failure 1
	assert_equal "$output" ""
	assert_equal "$stderr" "inc-classify: $id: not allowed: only technicians classify incidents"
	assert_equal "$(inc-show "$id" | jq -r .category)" null
}

@test "a technician classifies; the rules may declare a major incident" {
	classify '{"subject":"outage"}' --as alice
	assert_success
	assert_equal "$(jq -r .major <<<"$output")" true
}

@test "a bad option is a usage error" {
	run --separate-stderr inc-classify --bogus </dev/null
	assert_failure 2
	assert_equal "$output" ""
	assert_equal "${stderr##*$'\n'}" "usage: inc-classify [-d DB] [-c CONFIG] [--now TIME] [--as USER] [-f|--force] [-n|--dry-run] [-x|--explain] [ID...] [< records.jsonl]"
}

@test "a bad regex in the config is refused whole: exit 2" {
	edit_config '.rules[0].match.text = "(unclosed"'
	run --separate-stderr inc-classify </dev/null
	assert_failure 2
	assert_output ""
	assert_equal "$stderr" "inc-classify: $INC_CONFIG: rules[0]: match.text: bad regex \"(unclosed\": missing closing parenthesis at offset 9"
}
