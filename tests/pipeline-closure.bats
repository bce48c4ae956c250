#!/usr/bin/env bats
# The end of the life cycle through the tools alone: logging, tasks,
# resolution, the requester's rated confirmation, reopening, and the cron
# job that closes what nobody confirmed; the audit trail shows each step
# and who took it.
load test_helper

# The history as "actor action field from->to" lines, task rows marked.
trail() {
	inc-show --history "$1" | jq -r '.history[] |
		"\(.actor) \(.action)\(if .task then "#\(.task)" else "" end) \(.field // "-") \(.from // "-")->\(.to // "-")"'
}

@test "logged, split into tasks, resolved, confirmed and rated" {
	run --separate-stderr inc-log -s "Mail server down" -r joe@example.com </dev/null
	assert_success
	id=$(jq -r .id <<<"$output")

	INC_NOW=2026-11-27T10:05:00Z inc-task --as alice add "$id" --title "fail over to the spare" --group l2-infra --assignee dana >/dev/null
	INC_NOW=2026-11-27T10:06:00Z inc-task --as alice add "$id" --title "tell the users" >/dev/null

	# open tasks hold back the resolution
	run --separate-stderr env INC_NOW=2026-11-27T10:30:00Z inc-close --as alice --resolution "failed over" "$id"
	assert_failure 1
	assert_equal "$stderr" "inc-close: $id: 2 open tasks remain (inc-task list $id)"

	INC_NOW=2026-11-27T10:40:00Z inc-task --as dana start 1 >/dev/null
	INC_NOW=2026-11-27T11:00:00Z inc-task --as dana done 1 >/dev/null
	INC_NOW=2026-11-27T11:02:00Z inc-task --as chen start 2 >/dev/null
	INC_NOW=2026-11-27T11:05:00Z inc-task --as chen done 2 >/dev/null

	run --separate-stderr env INC_NOW=2026-11-27T11:10:00Z inc-close --as alice --resolution "failed over to the spare" "$id"
	assert_success
	assert_equal "$(jq -c '[.status,.resolution_type,.closure_code,.resolved_at,.event.kind]' <<<"$output")" \
		'["resolved","permanent","fixed","2026-11-27T11:10:00Z","resolved"]'

	# the requester's acknowledgement and survey, fed down the pipe
	run --separate-stderr env INC_NOW=2026-11-27T12:00:00Z bash -c \
		"inc-show $id | inc-close --as joe@example.com --confirm --rating 5 --feedback 'back in minutes'"
	assert_success
	assert_equal "$(jq -c '[.status,.closure_code,.rating,.feedback,.closed_at,.event]' <<<"$output")" \
		'["closed","fixed",5,"back in minutes","2026-11-27T12:00:00Z",{"kind":"closed"}]'

	assert_equal "$(inc-task list "$id" | jq -r '"\(.id) \(.status) \(.assignee) \(.done_at)"')" \
		"1 done dana 2026-11-27T11:00:00Z
2 done chen 2026-11-27T11:05:00Z"

	run trail "$id"
	assert_success
	assert_equal "$output" "root logged - -->Mail server down
alice task#1 title -->fail over to the spare
alice task#1 status -->open
alice task#1 group -->l2-infra
alice task#1 assignee -->dana
alice task#2 title -->tell the users
alice task#2 status -->open
dana task#1 status open->in_progress
dana task#1 status in_progress->done
chen task#2 status open->in_progress
chen task#2 assignee -->chen
chen task#2 status in_progress->done
alice resolved status new->resolved
alice resolved assignee -->alice
alice resolved responded_at -->2026-11-27T11:10:00Z
alice resolved resolution -->failed over to the spare
alice resolved resolution_type -->permanent
alice resolved closure_code -->fixed
alice resolved resolved_at -->2026-11-27T11:10:00Z
joe@example.com closed status resolved->closed
joe@example.com closed rating -->5
joe@example.com closed feedback -->back in minutes
joe@example.com closed closed_at -->2026-11-27T12:00:00Z"
}

@test "resolved with a workaround, reopened by the requester, fixed for good" {
	id=$(inc-log -s "VPN drops every hour" -r joe@example.com </dev/null | jq -r .id)
	INC_NOW=2026-11-27T10:10:00Z inc-close --as chen --resolution "reconnect by hand" --workaround "$id" >/dev/null

	run --separate-stderr env INC_NOW=2026-11-28T09:00:00Z inc-close --as joe@example.com --reopen --reason "a workaround is no fix" "$id"
	assert_success
	assert_equal "$(jq -c '[.status,.reopen_count,.resolution,.closure_code,.event]' <<<"$output")" \
		'["in_progress",1,null,null,{"kind":"reopened","reason":"a workaround is no fix"}]'

	INC_NOW=2026-11-30T10:00:00Z inc-close --as chen --resolution "new firmware on the concentrator" "$id" >/dev/null
	run --separate-stderr env INC_NOW=2026-11-30T11:00:00Z inc-close --as joe@example.com --confirm --rating 4 "$id"
	assert_success
	assert_equal "$(jq -c '[.status,.reopen_count,.resolution_type,.closure_code,.rating,.resolved_at]' <<<"$output")" \
		'["closed",1,"permanent","fixed",4,"2026-11-30T10:00:00Z"]'

	run trail "$id"
	assert_success
	assert_equal "$(grep -E ' (status|reason) ' <<<"$output")" "chen resolved status new->resolved
joe@example.com reopened reason -->a workaround is no fix
joe@example.com reopened status resolved->in_progress
chen resolved status in_progress->resolved
joe@example.com closed status resolved->closed"
}

@test "closed, then reopened within the window" {
	id=$(inc-log -s "Printer jams" -r joe@example.com </dev/null | jq -r .id)
	inc-close --as bob --resolution "new roller" "$id" >/dev/null
	inc-close --as joe@example.com --confirm --rating 3 "$id" >/dev/null
	run --separate-stderr env INC_NOW=2026-12-01T10:00:00Z inc-close --as joe@example.com --reopen --reason "jams again" "$id"
	assert_success
	assert_equal "$(jq -c '[.status,.reopen_count,.rating,.closed_at]' <<<"$output")" '["in_progress",1,null,null]'
}

@test "unconfirmed resolutions close themselves from cron, as root" {
	a=$(inc-log -s "Disk full" -r joe@example.com </dev/null | jq -r .id)
	b=$(inc-log -s "Slow wifi" -r eve@example.com </dev/null | jq -r .id)
	INC_NOW=2026-11-27T10:00:00Z inc-close --as alice --resolution "cleaned /var" "$a" >/dev/null
	INC_NOW=2026-11-30T10:00:00Z inc-close --as alice --resolution "moved the AP" "$b" >/dev/null

	# crontab: 0 * * * *  inc-close --as root --expire 3d
	run --separate-stderr env INC_NOW=2026-12-01T00:00:00Z inc-close --as root --expire 3d </dev/null
	assert_success
	assert_equal "$(jq -c '[.id,.status,.closure_code,.event]' <<<"$output")" \
		"[$a,\"closed\",\"fixed\",{\"kind\":\"closed\",\"auto\":true}]"
	run --separate-stderr env INC_NOW=2026-12-03T10:00:00Z inc-close --as root --expire 3d </dev/null
	assert_success
	assert_equal "$(jq -r .id <<<"$output")" "$b"

	run trail "$a"
	assert_success
	# the resolver's code stands; the closing is said by the action
	assert_equal "$(tail -2 <<<"$output")" "root auto-closed status resolved->closed
root auto-closed closed_at -->2026-12-01T00:00:00Z"
	assert_equal "$(inc-show --status closed | jq -r .id | tr '\n' ' ')" "$a $b "
}
