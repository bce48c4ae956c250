#!/usr/bin/env bats
# inc-assign: routing by strategy, availability and caps, the queue, the
# round-robin rotation across runs, assignment by hand and its refusals.
load test_helper

# Log n incidents (subject "t1".."tn", optional extra fields); no output.
log_n() {
	local i
	for ((i = 1; i <= $1; i++)); do
		printf '{"subject":"t%d"%s}\n' "$i" "${2:+,$2}"
	done | inc-log >/dev/null
}

assignees() {
	jq -r '.assignee // "-"' <<<"$output" | paste -sd' '
}

@test "round_robin starts with the group's first member and takes them in listed order" {
	log_n 4
	run --separate-stderr inc-assign 1 2 3 4
	assert_success
	assert_equal "$(assignees)" "alice bob chen alice"
	assert_equal "$(jq -c 'select(.id == 1) | [.status, .group, .event]' <<<"$output")" \
		'["assigned","service-desk",{"kind":"assigned","group":"service-desk","assignee":"alice","strategy":"round_robin"}]'
	assert_equal "$stderr" ""
}

@test "the round-robin rotation survives across runs" {
	log_n 5
	inc-assign 1 >/dev/null
	inc-assign 2 >/dev/null
	run --separate-stderr inc-assign <<<'{"id":3}'
	assert_equal "$(assignees)" chen
	run --separate-stderr inc-assign 4 5
	assert_equal "$(assignees)" "alice bob"
	assert_equal "$(dbq 'SELECT grp, last FROM rotation')" "service-desk|bob"
}

@test "concurrent runs continue one rotation" {
	log_n 6
	inc-assign 1 2 3 >"$BATS_TEST_TMPDIR/a" &
	inc-assign 4 5 6 >"$BATS_TEST_TMPDIR/b" &
	wait
	run --separate-stderr inc-show
	assert_equal "$(jq -r .assignee <<<"$output" | sort | uniq -c | awk '{print $1 $2}' | paste -sd' ')" \
		"2alice 2bob 2chen"
}

@test "a rotation whose last member left the group starts again with the first" {
	log_n 2
	inc-assign 1 >/dev/null
	edit_config '(.groups[] | select(.name == "service-desk")).members = ["chen", "bob"]'
	run --separate-stderr inc-assign 2
	assert_equal "$(assignees)" chen
}

@test "round_robin skips unavailable members and those at max_open" {
	edit_config '(.people[] | select(.name == "bob")).available = false
		| (.people[] | select(.name == "alice")).max_open = 1'
	log_n 4
	run --separate-stderr inc-assign 1 2 3 4
	assert_success
	# alice takes one and is full; bob is away: chen takes the rest
	assert_equal "$(assignees)" "alice chen chen chen"
}

@test "least_loaded: fewest open incidents, ties by listed order" {
	log_n 4 '"group":"l2-infra"'
	run --separate-stderr inc-assign 1 2 3
	assert_equal "$(assignees)" "dana erik dana"
	assert_equal "$(jq -r 'select(.id == 1) | .event.strategy' <<<"$output")" least_loaded
	# dana's resolved or cancelled incidents no longer count
	inc-update --status cancelled 1 3 >/dev/null
	run --separate-stderr inc-assign 4
	assert_equal "$(assignees)" dana
}

@test "least_loaded in a long run: another writer's commit between its batches is counted" {
	local i
	log_n 4 '"group":"l2-infra"'
	mkfifo "$BATS_TEST_TMPDIR/in"
	inc-assign <"$BATS_TEST_TMPDIR/in" >"$BATS_TEST_TMPDIR/out" 2>"$BATS_TEST_TMPDIR/err" 3>&- &
	exec 5>"$BATS_TEST_TMPDIR/in"
	echo '{"id":1}' >&5
	# the input stalls: the run commits and writes it out
	for ((i = 0; i < 100; i++)); do
		[ -s "$BATS_TEST_TMPDIR/out" ] && break
		sleep 0.05
	done
	assert_equal "$(jq -r .assignee "$BATS_TEST_TMPDIR/out")" dana
	# dana has one, erik none: another writer gives erik two; counted
	# again, dana is the least loaded (kept from the first batch, erik)
	inc-assign --to erik 2 3 >/dev/null
	echo '{"id":4}' >&5
	exec 5>&-
	wait
	assert_equal "$(cat "$BATS_TEST_TMPDIR/err")" ""
	assert_equal "$(jq -r .assignee "$BATS_TEST_TMPDIR/out" | paste -sd' ')" "dana dana"
}

@test "least_loaded counts on-hold and in-progress incidents as open" {
	log_n 3 '"group":"l2-infra"'
	inc-assign --to erik 1 >/dev/null
	inc-update --status in_progress 1 >/dev/null
	inc-update --status on_hold 1 >/dev/null
	run --separate-stderr inc-assign 2 3
	assert_equal "$(assignees)" "dana dana"
}

@test "skills: a member with the category among their skills, the least loaded of them" {
	edit_config '(.groups[] | select(.name == "l3-network")).members = ["fay", "gus", "omar"]
		| (.people[] | select(.name == "omar")).skills = ["network"]'
	log_n 3 '"group":"l3-network","category":"network"'
	run --separate-stderr inc-assign 1 2 3
	assert_success
	# fay has no network skill; gus and omar share the work
	assert_equal "$(assignees)" "gus omar gus"
	assert_equal "$(jq -r 'select(.id == 1) | .event.strategy' <<<"$output")" skills
}

@test "skills: nobody with the skill free, any member least loaded" {
	edit_config '(.people[] | select(.name == "gus")).max_open = 0'
	log_n 1 '"group":"l3-network","category":"network"'
	log_n 1 '"group":"l3-network","category":"email"'
	log_n 1 '"group":"l3-network"'
	run --separate-stderr inc-assign 1 2 3
	assert_equal "$(assignees)" "fay fay fay"
}

@test "skills: the skilled member wins over a less loaded one" {
	log_n 3 '"group":"l3-network","category":"service"'
	run --separate-stderr inc-assign 1 2 3
	assert_equal "$(assignees)" "fay fay fay"
}

@test "nobody free: the incident stays new, queued in its group, and a later run assigns it" {
	edit_config '.people |= map(if .name == "dana" or .name == "erik" then .max_open = 1 else . end)'
	log_n 3 '"group":"l2-infra"'
	run --separate-stderr inc-assign 1 2 3
	assert_success
	assert_equal "$(jq -c '[.id, .status, .group, .assignee, .event]' <<<"$output" | tail -1)" \
		'[3,"new","l2-infra",null,{"kind":"queued","group":"l2-infra"}]'
	inc-update --status cancelled 2 >/dev/null
	run --separate-stderr inc-assign 3
	assert_success
	assert_equal "$(jq -c '[.status, .assignee, .reassignment_count, .event.kind]' <<<"$output")" \
		'["assigned","erik",0,"assigned"]'
}

@test "a group with no member free queues: available false" {
	edit_config '.people |= map(if .name == "dana" or .name == "erik" then .available = false else . end)'
	log_n 1 '"group":"l2-infra"'
	run --separate-stderr inc-assign 1
	assert_success
	assert_equal "$(jq -c .event <<<"$output")" '{"kind":"queued","group":"l2-infra"}'
	assert_equal "$(inc-show 1 | jq -r .status)" new
	# offered again every minute by cron: shown, not logged again
	events=$(dbq 'SELECT count(*) FROM event')
	run --separate-stderr inc-assign --queued
	assert_success
	assert_equal "$(jq -c .event <<<"$output")" '{"kind":"queued","group":"l2-infra","existing":true}'
	assert_equal "$(dbq 'SELECT count(*) FROM event')" "$events"
}

@test "queued twice in one run: the second is shown as existing, one event logged" {
	edit_config '.people |= map(if .name == "dana" or .name == "erik" then .available = false else . end)'
	log_n 2 '"group":"l2-infra"'
	events=$(dbq 'SELECT count(*) FROM event')
	# one batch: the first queued event is still kept for the commit when
	# the second line asks whether the incident is queued already
	run --separate-stderr inc-assign <<<$'1\n2\n1'
	assert_success
	assert_equal "$(jq -c '[.id, .event]' <<<"$output")" \
'[1,{"kind":"queued","group":"l2-infra"}]
[2,{"kind":"queued","group":"l2-infra"}]
[1,{"kind":"queued","group":"l2-infra","existing":true}]'
	assert_equal "$(dbq 'SELECT count(*) FROM event')" "$((events + 2))"
	assert_equal "$(dbq "SELECT incident, kind FROM event WHERE kind = 'queued' ORDER BY seq")" \
'1|queued
2|queued'
}

@test "queued twice in one run with a refused line between: the kept event still counts" {
	edit_config '.people |= map(if .name == "dana" or .name == "erik" then .available = false else . end)'
	log_n 2 '"group":"l2-infra"'
	events=$(dbq 'SELECT count(*) FROM event')
	# a refusal in the batch keeps nothing of its own (inc-assign refuses
	# before it writes) and leaves the others' kept rows: incident 1's
	# queued event is still found when line 4 asks about incident 1 (the
	# set of incidents with kept events through a partial drop: events_test)
	run --separate-stderr inc-assign <<<$'1\n999\n2\n1'
	assert_failure 1
	assert_equal "$stderr" "inc-assign: line 2: no such incident"
	assert_equal "$(jq -c '[.id, .event]' <<<"$output")" \
'[1,{"kind":"queued","group":"l2-infra"}]
[2,{"kind":"queued","group":"l2-infra"}]
[1,{"kind":"queued","group":"l2-infra","existing":true}]'
	assert_equal "$(dbq "SELECT incident, kind FROM event WHERE seq > $events ORDER BY seq")" \
'1|queued
2|queued'
}

@test "--queued routes every open incident that has no assignee, and reads no stdin" {
	edit_config '(.people[] | select(.name == "dana")).available = false
		| (.people[] | select(.name == "erik")).available = false'
	log_n 2 '"group":"l2-infra"'
	log_n 1
	run --separate-stderr inc-assign --queued
	assert_equal "$(jq -c '[.id, .event.kind]' <<<"$output" | paste -sd' ')" \
		'[1,"queued"] [2,"queued"] [3,"assigned"]'
	edit_config '.'
	run --separate-stderr inc-assign --queued
	assert_success
	assert_equal "$(jq -c '[.id, .assignee]' <<<"$output" | paste -sd' ')" \
		'[1,"dana"] [2,"erik"]'
	run --separate-stderr inc-assign --queued
	assert_success
	assert_equal "$output" ""
}

@test "--queued takes no ids" {
	run --separate-stderr inc-assign --queued 1
	assert_failure 2
	assert_equal "$output" ""
}

@test "the group comes from classification, else defaults.group" {
	log_one '{"subject":"vpn drops"}' >/dev/null
	log_one '{"subject":"odd"}' >/dev/null
	inc-classify 1 >/dev/null
	run --separate-stderr inc-assign 1 2
	assert_equal "$(jq -c '[.group, .assignee]' <<<"$output" | paste -sd' ')" \
		'["l2-infra","dana"] ["service-desk","alice"]'
}

@test "no group and no defaults.group: refused" {
	edit_config 'del(.defaults.group)'
	log_n 1
	run --separate-stderr inc-assign 1
	assert_failure 1
	assert_equal "$output" ""
	assert_equal "$stderr" "inc-assign: 1: no group to assign to (classify it, or name one with --group)"
}

@test "an incident that has an assignee is left as it is" {
	log_n 1
	inc-assign 1 >/dev/null
	audit=$(dbq 'SELECT count(*) FROM audit')
	run --separate-stderr inc-assign 1
	assert_success
	assert_equal "$(jq -c '[.assignee, .event]' <<<"$output")" \
		'["alice",{"kind":"assigned","group":"service-desk","assignee":"alice","existing":true}]'
	assert_equal "$(dbq 'SELECT count(*) FROM audit')" "$audit"
	assert_equal "$(dbq 'SELECT last FROM rotation')" alice
}

@test "an incident taken before it had a group gets one, and stays its taker's" {
	log_n 1
	inc-update --as bob --status in_progress 1 >/dev/null
	run --separate-stderr inc-assign 1
	assert_success
	assert_equal "$(jq -c '[.status, .group, .assignee, .reassignment_count, .event]' <<<"$output")" \
		'["in_progress","service-desk","bob",0,{"kind":"assigned","group":"service-desk","assignee":"bob","existing":true}]'
}

@test "--to assigns a member of the group by hand" {
	log_n 1
	run --separate-stderr inc-assign --to chen 1
	assert_success
	assert_equal "$(jq -c '[.status, .group, .assignee, .reassignment_count, .event]' <<<"$output")" \
		'["assigned","service-desk","chen",0,{"kind":"assigned","group":"service-desk","assignee":"chen","strategy":"hand"}]'
	# by hand leaves the rotation alone
	assert_equal "$(dbq 'SELECT count(*) FROM rotation')" 0
}

@test "--to by e-mail stores the name" {
	log_n 1
	run --separate-stderr inc-assign --to BOB@example.com 1
	assert_equal "$(assignees)" bob
}

@test "--to ignores availability and max_open: a person decided" {
	edit_config '(.people[] | select(.name == "bob")).available = false'
	log_n 1
	run --separate-stderr inc-assign -t bob 1
	assert_success
	assert_equal "$(assignees)" bob
}

@test "reassignments are counted and say whom from" {
	log_n 1
	inc-assign 1 >/dev/null
	run --separate-stderr inc-assign --to bob 1
	assert_equal "$(jq -c '[.assignee, .reassignment_count, .event.from]' <<<"$output")" '["bob",1,"alice"]'
	inc-update --status in_progress 1 >/dev/null
	run --separate-stderr inc-assign --to chen 1
	# an incident in progress stays in progress
	assert_equal "$(jq -c '[.status, .assignee, .reassignment_count]' <<<"$output")" '["in_progress","chen",2]'
}

@test "--to someone outside the group needs --group" {
	log_n 1
	run --separate-stderr inc-assign --to dana 1
	assert_failure 1
	assert_equal "$output" ""
	assert_equal "$stderr" "inc-assign: 1: dana is not a member of service-desk (name the group with --group)"
	assert_equal "$(inc-show 1 | jq -c '[.status, .group, .assignee]')" '["new",null,null]'
}

@test "--group and --to across groups: incident manager or admin only" {
	log_n 2
	inc-assign 1 2 >/dev/null
	run --separate-stderr inc-assign --as alice --to dana --group l2-infra 1
	assert_failure 1
	assert_equal "$stderr" "inc-assign: 1: only an incident manager or admin may assign across groups"
	run --separate-stderr inc-assign --as maria --to dana --group l2-infra 1
	assert_success
	assert_equal "$(jq -c '[.group, .assignee, .reassignment_count]' <<<"$output")" '["l2-infra","dana",1]'
	# any technician with --group, even outside it
	run --separate-stderr inc-assign --as root --to omar --group l3-network 2
	assert_success
	assert_equal "$(jq -c '[.group, .assignee]' <<<"$output")" '["l3-network","omar"]'
}

@test "--group alone moves the incident and routes it there" {
	log_n 1
	inc-assign 1 >/dev/null
	run --separate-stderr inc-assign --group l2-infra 1
	assert_success
	assert_equal "$(jq -c '[.group, .assignee, .reassignment_count, .event.strategy, .event.from]' <<<"$output")" \
		'["l2-infra","dana",1,"least_loaded","alice"]'
	run --separate-stderr inc-assign --as bob --group service-desk 1
	assert_failure 1
	assert_equal "$stderr" "inc-assign: 1: only an incident manager or admin may move an incident to another group"
}

@test "--group of the incident's own group leaves an assigned incident as it is" {
	log_n 1
	inc-assign 1 >/dev/null
	run --separate-stderr inc-assign --group service-desk 1
	assert_success
	assert_equal "$(jq -c '[.assignee, .reassignment_count, .event.existing]' <<<"$output")" '["alice",0,true]'
}

@test "hand one technician's open incidents over to another: inc-show | inc-assign --to" {
	log_n 3 '"group":"l2-infra"'
	inc-assign 1 2 3 >/dev/null
	inc-update --status cancelled 3 >/dev/null
	run --separate-stderr bash -c 'inc-show --assignee dana --open | inc-assign --as erik --to erik'
	assert_success
	assert_equal "$(jq -c '[.id, .assignee, .reassignment_count, .event.from]' <<<"$output")" '[1,"erik",1,"dana"]'
	assert_equal "$(inc-show 3 | jq -r .assignee)" dana
}

@test "a technician assigns by hand within the group" {
	log_n 1
	run --separate-stderr inc-assign --as alice --to bob 1
	assert_success
	assert_equal "$(assignees)" bob
}

@test "unknown --to or --group: exit 2, nothing done" {
	log_n 1
	run --separate-stderr inc-assign --to nobody 1
	assert_failure 2
	assert_equal "$stderr" 'inc-assign: --to: unknown technician "nobody" (want alice, bob, chen, dana, erik, fay, gus, maria, omar, pat or root)'
	run --separate-stderr inc-assign --to joe@example.com 1
	assert_failure 2
	assert_equal "$stderr" 'inc-assign: --to: unknown technician "joe@example.com" (want alice, bob, chen, dana, erik, fay, gus, maria, omar, pat or root)'
	run --separate-stderr inc-assign --group l9 1
	assert_failure 2
	assert_equal "$stderr" 'inc-assign: --group: unknown group "l9" (want service-desk, l2-infra or l3-network)'
	assert_equal "$(inc-show 1 | jq -r .status)" new
}

@test "only open incidents are assigned" {
	log_n 2
	inc-update --status cancelled 1 >/dev/null
	run --separate-stderr inc-assign 1 2
	assert_failure 1
	assert_equal "$(jq -r .id <<<"$output")" 2
	assert_equal "$stderr" "inc-assign: 1: cancelled: only open incidents are assigned"
}

@test "requesters do not assign" {
	log_one '{"subject":"x","requester":"joe@example.com"}' >/dev/null
	run --separate-stderr inc-assign --as joe@example.com 1
	assert_failure 1
	assert_equal "$stderr" "inc-assign: 1: not allowed: only technicians assign incidents"
	assert_equal "$(inc-show 1 | jq -r .status)" new
}

@test "a config without people: members are plain names, free, and anyone may assign" {
	edit_config '.people = [] | .groups[0].members = ["x", "y"]'
	log_n 3
	run --separate-stderr inc-assign --as someone 1 2
	assert_equal "$(assignees)" "x y"
	run --separate-stderr inc-assign --to z --group l2-infra 3
	assert_success
	assert_equal "$(assignees)" z
}

@test "unknown ids and bad lines are refused, the others go on" {
	log_n 1
	run --separate-stderr inc-assign <<<'{"id":7}
{"id":1}
[]'
	assert_failure 1
	assert_equal "$(assignees)" alice
	assert_equal "$stderr" "$(printf '%s\n' 'inc-assign: line 1: no such incident' 'inc-assign: line 3: expected a JSON object or an incident id')"
}

@test "a bad option is a usage error" {
	run --separate-stderr inc-assign -z </dev/null
	assert_failure 2
	assert_equal "${stderr##*$'\n'}" "usage: inc-assign [-d DB] [-c CONFIG] [--now TIME] [--as USER] [-t|--to NAME] [-g|--group GROUP] [--queued | ID... | < records.jsonl]"
}
