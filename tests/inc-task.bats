#!/usr/bin/env bats
# inc-task: add, start, done, cancel, list; refusals; access per role.
load test_helper

new_incident() {
	inc-log -s "${1:-Mail down}" -r "${2:-joe@example.com}" </dev/null | jq -r .id
}

audit_rows() {
	dbq "SELECT count(*) FROM audit"
}

# ---- add ----

@test "add: one object, every field in order" {
	id=$(new_incident)
	run --separate-stderr inc-task --as alice add "$id" --title "restart exchange" --group l2-infra \
		--assignee dana@example.com --due 2026-11-27T14:00:00+01:00
	assert_success
	assert_equal "$stderr" ""
	assert_equal "$output" "{\"id\":1,\"incident\":$id,\"title\":\"restart exchange\",\"group\":\"l2-infra\",\"assignee\":\"dana\",\"status\":\"open\",\"due\":\"2026-11-27T13:00:00Z\",\"created_at\":\"2026-11-27T10:00:00Z\",\"done_at\":null}"
}

@test "add: only a title; relative due; INC- ids; task ids are their own" {
	a=$(new_incident); b=$(new_incident)
	inc-task add "$a" --title one >/dev/null
	run --separate-stderr inc-task add "INC-$b" --title two --due +4h
	assert_success
	assert_equal "$(jq -c '[.id,.incident,.group,.assignee,.due]' <<<"$output")" \
		"[2,$b,null,null,\"2026-11-27T14:00:00Z\"]"
}

@test "add: in the incident's history, by whom, with the task id" {
	id=$(new_incident)
	inc-task --as alice add "$id" --title "swap disk" --group l2-infra >/dev/null
	run --separate-stderr inc-show --history "$id"
	assert_success
	assert_equal "$(jq -c '[.history[] | select(.task) | [.actor,.tool,.action,.task,.field,.from,.to]]' <<<"$output")" \
		'[["alice","inc-task","task",1,"title",null,"swap disk"],["alice","inc-task","task",1,"status",null,"open"],["alice","inc-task","task",1,"group",null,"l2-infra"]]'
}

@test "add: the incident's updated_at follows" {
	id=$(new_incident)
	INC_NOW=2026-11-27T11:00:00Z inc-task add "$id" --title t >/dev/null
	assert_equal "$(inc-show "$id" | jq -r .updated_at)" "2026-11-27T11:00:00Z"
}

@test "add: refused on closed and cancelled incidents, allowed on resolved ones" {
	id=$(new_incident)
	inc-close --as alice --resolution done "$id" >/dev/null
	run --separate-stderr inc-task add "$id" --title "follow-up"
	assert_success
	inc-close --as joe@example.com --confirm "$id" >/dev/null
	before=$(audit_rows)
	run --separate-stderr inc-task add "$id" --title "too late"
	assert_failure 1
	assert_equal "$output" ""
	assert_equal "$stderr" "inc-task: $id: incident is closed: no new tasks"
	dbq "UPDATE incident SET status='cancelled' WHERE id=$id"
	run --separate-stderr inc-task add "$id" --title "too late"
	assert_failure 1
	assert_equal "$stderr" "inc-task: $id: incident is cancelled: no new tasks"
	assert_equal "$(audit_rows)" "$before"
	assert_equal "$(dbq "SELECT count(*) FROM task")" "1"
}

@test "add: unknown incident" {
	run --separate-stderr inc-task add 42 --title t
	assert_failure 1
	assert_equal "$stderr" "inc-task: 42: no such incident"
}

@test "add: values the config does not know are usage errors, nothing done" {
	id=$(new_incident)
	before=$(audit_rows)
	run --separate-stderr inc-task add "$id" --title t --group nowhere
	assert_failure 2
	assert_equal "$stderr" 'inc-task: --group: unknown group "nowhere" (want service-desk, l2-infra or l3-network)'
	run --separate-stderr inc-task add "$id" --title t --assignee zed
	assert_failure 2
	assert_equal "$stderr" 'inc-task: --assignee: unknown assignee "zed" (want alice, bob, chen, dana, erik, fay, gus, maria, omar, pat or root)'
	run --separate-stderr inc-task add "$id" --title t --due tomorrow
	assert_failure 2
	assert_equal "$stderr" 'inc-task: --due: bad time "tomorrow"'
	assert_equal "$output" ""
	assert_equal "$(audit_rows)" "$before"
}

@test "add: any assignee when no people are configured" {
	edit_config '.people = [] | .groups |= map(.members = [] | del(.manager))'
	id=$(new_incident)
	run --separate-stderr inc-task add "$id" --title t --assignee zed
	assert_success
	assert_equal "$(jq -r .assignee <<<"$output")" "zed"
}

@test "add: usage errors" {
	run --separate-stderr inc-task add 1 </dev/null
	assert_failure 2
	assert_equal "$stderr" "inc-task: add: want one incident ID and --title"
	run --separate-stderr inc-task add 1 2 --title t </dev/null
	assert_failure 2
	assert_equal "$stderr" "inc-task: add: want one incident ID and --title"
	run --separate-stderr inc-task add 1 --title "" </dev/null
	assert_failure 2
	assert_equal "$stderr" "inc-task: --title: empty or not valid UTF-8"
	run --separate-stderr inc-task add x --title t </dev/null
	assert_failure 2
	assert_equal "$stderr" "inc-task: x: not an incident id"
	run --separate-stderr inc-task add 1 --title t --format table </dev/null
	assert_failure 2
	assert_equal "$stderr" "inc-task: --format goes with list"
	db_absent
}

# ---- start, done, cancel ----

@test "start: in_progress, an unassigned task taken by the actor" {
	id=$(new_incident)
	inc-task add "$id" --title t >/dev/null
	run --separate-stderr inc-task --as chen start 1
	assert_success
	assert_equal "$(jq -c '[.status,.assignee,.done_at]' <<<"$output")" '["in_progress","chen",null]'
	assert_equal "$(inc-show --history "$id" | jq -c '[.history[] | select(.task and .actor=="chen") | [.field,.from,.to]]')" \
		'[["status","open","in_progress"],["assignee",null,"chen"]]'
}

@test "start: an assigned task keeps its assignee" {
	id=$(new_incident)
	inc-task add "$id" --title t --assignee dana >/dev/null
	run --separate-stderr inc-task --as chen start 1
	assert_success
	assert_equal "$(jq -r .assignee <<<"$output")" "dana"
}

@test "done and cancel: from open or in_progress, done_at set, several at once" {
	id=$(new_incident)
	for t in a b c; do inc-task add "$id" --title "$t" >/dev/null; done
	inc-task start 2 >/dev/null
	run --separate-stderr env INC_NOW=2026-11-27T12:00:00Z inc-task done 1 2
	assert_success
	assert_equal "$(jq -c '[.id,.status,.done_at]' <<<"$output" | tr '\n' ' ')" \
		'[1,"done","2026-11-27T12:00:00Z"] [2,"done","2026-11-27T12:00:00Z"] '
	run --separate-stderr env INC_NOW=2026-11-27T12:30:00Z inc-task cancel 3
	assert_success
	assert_equal "$(jq -c '[.status,.done_at]' <<<"$output")" '["cancelled","2026-11-27T12:30:00Z"]'
}

@test "moves out of done or cancelled, and repeats, are refused; the others go on" {
	id=$(new_incident)
	for t in a b c; do inc-task add "$id" --title "$t" >/dev/null; done
	inc-task done 1 >/dev/null
	inc-task cancel 2 >/dev/null
	inc-task start 3 >/dev/null
	before=$(audit_rows)
	run --separate-stderr inc-task start 1 2 3
	assert_failure 1
	assert_equal "$output" ""
	assert_equal "$stderr" "inc-task: 1: cannot move task from done to in_progress
inc-task: 2: cannot move task from cancelled to in_progress
inc-task: 3: task is in_progress already"
	run --separate-stderr inc-task done 1 9 3
	assert_failure 1
	assert_equal "$(jq -r .id <<<"$output")" "3"
	assert_equal "$stderr" "inc-task: 1: task is done already
inc-task: 9: no such task"
	run --separate-stderr inc-task cancel 2
	assert_failure 1
	assert_equal "$stderr" "inc-task: 2: task is cancelled already"
	assert_equal "$(audit_rows)" "$((before + 1))"
}

@test "start is refused on a closed incident; done and cancel tidy up" {
	id=$(new_incident)
	inc-task add "$id" --title a >/dev/null
	inc-task add "$id" --title b >/dev/null
	inc-close --as maria --force --confirm "$id" >/dev/null
	run --separate-stderr inc-task start 1
	assert_failure 1
	assert_equal "$stderr" "inc-task: 1: incident $id is closed"
	run --separate-stderr inc-task done 1
	assert_success
	run --separate-stderr inc-task cancel 2
	assert_success
}

@test "task ids are digits: INC- ids and garbage are usage errors" {
	run --separate-stderr inc-task done INC-1 </dev/null
	assert_failure 2
	assert_equal "$stderr" "inc-task: INC-1: not a task id"
	run --separate-stderr inc-task start </dev/null
	assert_failure 2
	assert_equal "$stderr" "inc-task: start: want a TASK id"
	run --separate-stderr inc-task cancel 1 --title x </dev/null
	assert_failure 2
	assert_equal "$stderr" "inc-task: --title, --group, --assignee and --due go with add"
}

# ---- list ----

@test "list: every task, or an incident's, in id order" {
	a=$(new_incident); b=$(new_incident)
	inc-task add "$a" --title a1 >/dev/null
	inc-task add "$b" --title b1 >/dev/null
	inc-task add "$a" --title a2 >/dev/null
	run --separate-stderr inc-task list
	assert_success
	assert_equal "$(jq -r .title <<<"$output" | tr '\n' ' ')" "a1 b1 a2 "
	assert_equal "$(jq -c 'keys_unsorted' <<<"$output" | sort -u)" \
		'["id","incident","title","group","assignee","status","due","created_at","done_at"]'
	run --separate-stderr inc-task list "$a"
	assert_success
	assert_equal "$(jq -r .title <<<"$output" | tr '\n' ' ')" "a1 a2 "
	run --separate-stderr inc-task list "INC-$b" "$a"
	assert_success
	assert_equal "$(jq -r .title <<<"$output" | tr '\n' ' ')" "b1 a1 a2 "
}

@test "list: nothing at all is no error" {
	run --separate-stderr inc-task list
	assert_success
	assert_equal "$output" ""
	assert_equal "$stderr" ""
}

@test "list --format table" {
	id=$(new_incident)
	inc-task add "$id" --title "restart exchange" --group l2-infra --assignee dana --due 2026-11-28T09:00:00Z >/dev/null
	inc-task add "$id" --title "tell users" >/dev/null
	run --separate-stderr env COLUMNS=100 inc-task list --format table
	assert_success
	assert_equal "$output" "ID    INCIDENT STATUS      GROUP        ASSIGNEE DUE              TITLE
1     $id        open        l2-infra     dana     2026-11-28 09:00 restart exchange
2     $id        open        -            -        -                tell users"
	run --separate-stderr env COLUMNS=80 inc-task list --format table
	assert_success
	assert_equal "$(sed -n 2p <<<"$output")" "1     $id        open        l2-infra     dana     2026-11-28 09:00 restart excha~"
	run --separate-stderr inc-task list --format csv
	assert_failure 2
	assert_equal "$stderr" 'inc-task: --format: unknown format "csv" (want jsonl or table)'
}

@test "list: unknown incidents are refused, the others listed" {
	id=$(new_incident)
	inc-task add "$id" --title t >/dev/null
	run --separate-stderr inc-task list 42 "$id"
	assert_failure 1
	assert_equal "$(jq -r .id <<<"$output")" "1"
	assert_equal "$stderr" "inc-task: 42: no such incident"
}

@test "never reads stdin; no command is a usage error" {
	id=$(new_incident)
	inc-task add "$id" --title t >/dev/null
	run --separate-stderr inc-task list <<<'{"id":999}'
	assert_success
	assert_equal "$(jq -r .incident <<<"$output")" "$id"
	run --separate-stderr inc-task </dev/null
	assert_failure 2
	assert_equal "$(head -c 16 <<<"$stderr")" "usage: inc-task "
	run --separate-stderr inc-task finish 1 </dev/null
	assert_failure 2
	assert_equal "$stderr" "inc-task: finish: unknown command (want add, start, done, cancel or list)"
}

# ---- access per role (SPEC section 5) ----

@test "access: requesters add, start, finish no tasks, not even on their own incidents" {
	id=$(new_incident)
	inc-task add "$id" --title t >/dev/null
	before=$(audit_rows)
	run --separate-stderr inc-task --as joe@example.com add "$id" --title mine
	assert_failure 1
	assert_equal "$stderr" "inc-task: $id: joe@example.com may not work on tasks (role requester)"
	for verb in start done cancel; do
		run --separate-stderr inc-task --as joe@example.com "$verb" 1
		assert_failure 1
		assert_equal "$output" ""
		assert_equal "$stderr" "inc-task: 1: joe@example.com may not work on tasks (role requester)"
	done
	assert_equal "$(audit_rows)" "$before"
}

@test "access: technicians, process owners, incident managers and admins work tasks" {
	id=$(new_incident)
	for who in alice pat maria root; do
		run --separate-stderr inc-task --as "$who" add "$id" --title "by $who"
		assert_success
		t=$(jq -r .id <<<"$output")
		run --separate-stderr inc-task --as "$who" done "$t"
		assert_success
	done
}

@test "access: a requester lists the tasks of their own incidents only" {
	mine=$(new_incident "mine" joe@example.com)
	theirs=$(new_incident "theirs" eve@example.com)
	inc-task add "$mine" --title m >/dev/null
	inc-task add "$theirs" --title t >/dev/null
	run --separate-stderr inc-task --as joe@example.com list
	assert_success
	assert_equal "$(jq -r .title <<<"$output")" "m"
	run --separate-stderr inc-task --as joe@example.com list "$theirs"
	assert_failure 1
	assert_equal "$output" ""
	assert_equal "$stderr" "inc-task: $theirs: not yours to see"
	run --separate-stderr inc-task --as alice list
	assert_success
	assert_equal "$(jq -r .title <<<"$output" | tr '\n' ' ')" "m t "
}
