#!/usr/bin/env bats
# inc-close: resolve, confirm, reopen, expire; every refusal; access per role.
load test_helper

# Log an incident from requester joe; prints its id.
new_incident() {
	inc-log -s "${1:-VPN down}" -r joe@example.com </dev/null | jq -r .id
}

# Log and resolve one, as alice; prints its id.
resolved_incident() {
	local id
	id=$(new_incident)
	inc-close --as alice --resolution "restarted the tunnel" "$id" >/dev/null
	echo "$id"
}

# A status set behind the tools' back, for states only other tools reach.
force_status() {
	dbq "UPDATE incident SET status='$2' WHERE id=$1"
}

audit_rows() {
	dbq "SELECT count(*) FROM audit"
}

# ---- resolving ----

@test "resolve: permanent by default, closure code fixed, resolved_at, first response" {
	id=$(new_incident)
	run --separate-stderr inc-close --as alice --resolution "restarted the tunnel" "$id"
	assert_success
	assert_equal "$stderr" ""
	assert_equal "$(jq -c '[.id,.status,.resolution,.resolution_type,.closure_code,.resolved_at,.closed_at]' <<<"$output")" \
		"[$id,\"resolved\",\"restarted the tunnel\",\"permanent\",\"fixed\",\"2026-11-27T10:00:00Z\",null]"
	assert_equal "$(jq -c .event <<<"$output")" '{"kind":"resolved"}'
	assert_equal "$(dbq "SELECT responded_at FROM incident WHERE id=$id")" "$(date -d 2026-11-27T10:00:00Z +%s)"
}

@test "resolve: an unassigned incident becomes the resolver's" {
	id=$(new_incident)
	run --separate-stderr inc-close --as alice --resolution done "$id"
	assert_success
	assert_equal "$(jq -r .assignee <<<"$output")" "alice"
}

@test "resolve --workaround: type workaround, code workaround" {
	id=$(new_incident)
	run --separate-stderr inc-close --as alice --resolution "use the web mail" --workaround "$id"
	assert_success
	assert_equal "$(jq -c '[.resolution_type,.closure_code]' <<<"$output")" '["workaround","workaround"]'
}

@test "resolve --code: the given closure code" {
	id=$(new_incident)
	run --separate-stderr inc-close --as alice --resolution "same as INC-1" --code duplicate "INC-$id"
	assert_success
	assert_equal "$(jq -c '[.resolution_type,.closure_code]' <<<"$output")" '["permanent","duplicate"]'
}

@test "resolve: no default code when the config has neither fixed nor workaround" {
	edit_config '.closure_codes = ["duplicate", "auto-closed"]'
	id=$(new_incident)
	run --separate-stderr inc-close --as alice --resolution done "$id"
	assert_success
	assert_equal "$(jq -r .closure_code <<<"$output")" "null"
}

@test "resolve: the first response stays the first" {
	id=$(new_incident)
	INC_NOW=2026-11-27T10:05:00Z inc-close --as alice --resolution one "$id" >/dev/null
	INC_NOW=2026-11-27T10:10:00Z inc-close --as joe@example.com --reopen --reason again "$id" >/dev/null
	run --separate-stderr env INC_NOW=2026-11-27T10:20:00Z inc-close --as alice --resolution two "$id"
	assert_success
	assert_equal "$(jq -c '[.resolved_at,.reopen_count]' <<<"$output")" '["2026-11-27T10:20:00Z",1]'
	assert_equal "$(dbq "SELECT responded_at FROM incident WHERE id=$id")" "$(date -d 2026-11-27T10:05:00Z +%s)"
}

@test "resolve: ids from stdin, bad lines reported, the others go on" {
	a=$(new_incident); b=$(new_incident)
	run --separate-stderr inc-close --as alice --resolution done <<<"{\"id\":$a}
not json
{\"subject\":\"no id\"}
{\"id\":999}
{\"id\":\"INC-$b\"}"
	assert_failure 1
	assert_equal "$(jq -r .id <<<"$output" | tr '\n' ' ')" "$a $b "
	assert_equal "$(sed -n 1p <<<"$stderr" | cut -d: -f1-3)" "inc-close: line 2: invalid JSON"
	assert_equal "$(sed -n 2,3p <<<"$stderr")" 'inc-close: line 3: no "id"
inc-close: line 4: no such incident'
}

@test "resolve: refused while tasks are open, nothing changed" {
	id=$(new_incident)
	inc-task add "$id" --title "replace the switch" >/dev/null
	inc-task add "$id" --title "tell the users" >/dev/null
	before=$(audit_rows)
	run --separate-stderr inc-close --as alice --resolution done "$id"
	assert_failure 1
	assert_equal "$output" ""
	assert_equal "$stderr" "inc-close: $id: 2 open tasks remain (inc-task list $id)"
	assert_equal "$(audit_rows)" "$before"
	assert_equal "$(inc-show "$id" | jq -r .status)" "new"
}

@test "resolve: one open task, singular; done and cancelled tasks do not count" {
	id=$(new_incident)
	inc-task add "$id" --title a >/dev/null
	inc-task add "$id" --title b >/dev/null
	t3=$(inc-task add "$id" --title c | jq -r .id)
	inc-task done 1 >/dev/null
	inc-task cancel 2 >/dev/null
	inc-task start "$t3" >/dev/null
	run --separate-stderr inc-close --as alice --resolution done "$id"
	assert_failure 1
	assert_equal "$stderr" "inc-close: $id: 1 open task remains (inc-task list $id)"
	inc-task done "$t3" >/dev/null
	run --separate-stderr inc-close --as alice --resolution done "$id"
	assert_success
	assert_equal "$(jq -r .status <<<"$output")" "resolved"
}

@test "resolve --force: an incident manager resolves past open tasks, audited" {
	id=$(new_incident)
	inc-task add "$id" --title "replace the switch" >/dev/null
	run --separate-stderr inc-close --as maria --force --resolution done "$id"
	assert_success
	assert_equal "$(jq -c '[.status,.event]' <<<"$output")" '["resolved",{"kind":"resolved","forced":true}]'
	assert_equal "$(inc-show --history "$id" | jq -c '[.history[] | select(.action=="forced") | [.actor,.to]]')" \
		'[["maria","1 open task"]]'
	assert_equal "$(inc-task list "$id" | jq -r .status)" "open"
}

@test "resolve --force with nothing to force: no forced mark" {
	id=$(new_incident)
	run --separate-stderr inc-close --as root --force --resolution done "$id"
	assert_success
	assert_equal "$(jq -c .event <<<"$output")" '{"kind":"resolved"}'
}

@test "resolve: a cancelled incident is refused, even with --force" {
	id=$(new_incident)
	force_status "$id" cancelled
	before=$(audit_rows)
	run --separate-stderr inc-close --as maria --force --resolution done "$id"
	assert_failure 1
	assert_equal "$output" ""
	assert_equal "$stderr" "inc-close: $id: cancelled: a cancelled incident is never resolved"
	assert_equal "$(audit_rows)" "$before"
}

@test "resolve: already resolved or closed is refused" {
	id=$(resolved_incident)
	run --separate-stderr inc-close --as alice --resolution again "$id"
	assert_failure 1
	assert_equal "$stderr" "inc-close: $id: already resolved"
	inc-close --as joe@example.com --confirm "$id" >/dev/null
	run --separate-stderr inc-close --as alice --resolution again "$id"
	assert_failure 1
	assert_equal "$stderr" "inc-close: $id: already closed"
}

@test "resolve: from every open status" {
	for s in new assigned in_progress on_hold; do
		id=$(new_incident)
		force_status "$id" "$s"
		run --separate-stderr inc-close --as alice --resolution done "$id"
		assert_success
		assert_equal "$(jq -r .status <<<"$output")" "resolved"
	done
}

@test "resolve: unknown incident, bad id" {
	run --separate-stderr inc-close --as alice --resolution done 42 x
	assert_failure 1
	assert_equal "$output" ""
	assert_equal "$stderr" "inc-close: 42: no such incident
inc-close: x: not an incident id"
}

# ---- confirming ----

@test "confirm: the requester closes with a rating and feedback" {
	id=$(resolved_incident)
	run --separate-stderr inc-close --as joe@example.com --confirm --rating 4 --feedback "quick, thanks" "$id"
	assert_success
	assert_equal "$stderr" ""
	assert_equal "$(jq -c '[.status,.closure_code,.rating,.feedback,.closed_at,.resolution]' <<<"$output")" \
		'["closed","fixed",4,"quick, thanks","2026-11-27T10:00:00Z","restarted the tunnel"]'
	assert_equal "$(jq -c .event <<<"$output")" '{"kind":"closed"}'
}

@test "confirm: without a survey, rating and feedback stay null" {
	id=$(resolved_incident)
	run --separate-stderr inc-close --as joe@example.com --confirm "$id"
	assert_success
	assert_equal "$(jq -c '[.status,.rating,.feedback]' <<<"$output")" '["closed",null,null]'
}

@test "confirm: keeps the code set at resolution" {
	id=$(new_incident)
	inc-close --as alice --resolution "user error" --code user-error "$id" >/dev/null
	run --separate-stderr inc-close --as joe@example.com --confirm "$id"
	assert_success
	assert_equal "$(jq -r .closure_code <<<"$output")" "user-error"
}

@test "confirm: refused for an unresolved incident, nothing changed" {
	id=$(new_incident)
	before=$(audit_rows)
	run --separate-stderr inc-close --as joe@example.com --confirm --rating 5 "$id"
	assert_failure 1
	assert_equal "$output" ""
	assert_equal "$stderr" "inc-close: $id: not resolved (status new): resolve it first"
	assert_equal "$(audit_rows)" "$before"
}

@test "confirm --force: an incident manager closes an unresolved incident, as what happened" {
	id=$(new_incident)
	force_status "$id" in_progress
	run --separate-stderr inc-close --as maria --force --confirm "$id"
	assert_success
	# never resolved: no resolution time, the assignee unchanged, "cancelled"
	assert_equal "$(jq -c '[.status,.closure_code,.resolution,.resolution_type,.resolved_at,.closed_at,.assignee,.event]' <<<"$output")" \
		'["closed","cancelled",null,null,null,"2026-11-27T10:00:00Z",null,{"kind":"closed","forced":true,"unresolved":true}]'
	assert_equal "$(inc-show --history "$id" | jq -c '[.history[] | select(.action=="forced") | .to]')" \
		'["not resolved: in_progress"]'
	# or the code given
	id2=$(new_incident)
	run --separate-stderr inc-close --as maria --force --confirm --code duplicate "$id2"
	assert_success
	assert_equal "$(jq -c '[.status,.closure_code,.resolved_at]' <<<"$output")" '["closed","duplicate",null]'
	# not a resolution in the KPIs: counted, not resolved, no MTTR, no FCR
	run --separate-stderr inc-report --since 2026-11-01 --until 2026-12-01
	assert_equal "$(jq -c '[.count, .open, .resolved, .mttr_s, .fcr_pct]' <<<"$output")" '[2,0,0,null,null]'
}

@test "cancelling records the closure code cancelled, when the config has it" {
	id=$(new_incident)
	run --separate-stderr inc-update --as maria --status cancelled "$id"
	assert_success
	assert_equal "$(jq -c '[.status,.closure_code]' <<<"$output")" '["cancelled","cancelled"]'
	edit_config '.closure_codes = ["fixed"]'
	id2=$(new_incident)
	run --separate-stderr inc-update --as maria --status cancelled "$id2"
	assert_equal "$(jq -c '[.status,.closure_code]' <<<"$output")" '["cancelled",null]'
}

@test "confirm: closed or cancelled incidents are refused, even with --force" {
	id=$(resolved_incident)
	inc-close --as joe@example.com --confirm "$id" >/dev/null
	run --separate-stderr inc-close --as root --force --confirm "$id"
	assert_failure 1
	assert_equal "$stderr" "inc-close: $id: already closed"
	id2=$(new_incident)
	force_status "$id2" cancelled
	run --separate-stderr inc-close --as root --force --confirm "$id2"
	assert_failure 1
	assert_equal "$stderr" "inc-close: $id2: already cancelled"
}

# ---- reopening ----

@test "reopen: a resolved incident goes back to in_progress, cleared, counted" {
	id=$(resolved_incident)
	run --separate-stderr inc-close --as joe@example.com --reopen --reason "still broken" "$id"
	assert_success
	assert_equal "$(jq -c '[.status,.reopen_count,.resolution,.resolution_type,.closure_code,.resolved_at,.assignee]' <<<"$output")" \
		'["in_progress",1,null,null,null,null,"alice"]'
	assert_equal "$(jq -c .event <<<"$output")" '{"kind":"reopened","reason":"still broken"}'
	assert_equal "$(inc-show --history "$id" | jq -c '[.history[] | select(.field=="reason") | [.actor,.action,.to]]')" \
		'[["joe@example.com","reopened","still broken"]]'
}

@test "reopen: a closed incident within the window, survey cleared" {
	id=$(resolved_incident)
	inc-close --as joe@example.com --confirm --rating 1 --feedback meh "$id" >/dev/null
	run --separate-stderr env INC_NOW=2026-12-04T10:00:00Z inc-close --as joe@example.com --reopen --reason "back again" "$id"
	assert_success
	assert_equal "$(jq -c '[.status,.reopen_count,.closed_at,.rating,.feedback]' <<<"$output")" \
		'["in_progress",1,null,null,null]'
}

@test "reopen: a closed incident past the window is refused" {
	id=$(resolved_incident)
	inc-close --as joe@example.com --confirm "$id" >/dev/null
	before=$(audit_rows)
	run --separate-stderr env INC_NOW=2026-12-04T10:00:01Z inc-close --as joe@example.com --reopen --reason late "$id"
	assert_failure 1
	assert_equal "$output" ""
	assert_equal "$stderr" "inc-close: $id: closed at 2026-11-27T10:00:00Z, past the reopen window of 7d"
	assert_equal "$(audit_rows)" "$before"
}

@test "reopen: the window comes from the config" {
	edit_config '.reopen_window = "1h"'
	id=$(resolved_incident)
	inc-close --as joe@example.com --confirm "$id" >/dev/null
	run --separate-stderr env INC_NOW=2026-11-27T11:00:01Z inc-close --as joe@example.com --reopen --reason late "$id"
	assert_failure 1
	assert_equal "$stderr" "inc-close: $id: closed at 2026-11-27T10:00:00Z, past the reopen window of 1h"
	run --separate-stderr env INC_NOW=2026-11-27T11:00:00Z inc-close --as joe@example.com --reopen --reason "just in time" "$id"
	assert_success
}

@test "reopen: open and cancelled incidents are refused" {
	id=$(new_incident)
	run --separate-stderr inc-close --as alice --reopen --reason why "$id"
	assert_failure 1
	assert_equal "$stderr" "inc-close: $id: not resolved or closed (status new)"
	force_status "$id" cancelled
	run --separate-stderr inc-close --as alice --reopen --reason why "$id"
	assert_failure 1
	assert_equal "$stderr" "inc-close: $id: not resolved or closed (status cancelled)"
}

# ---- expiring ----

@test "an action dated before the incident's last change is refused" {
	id=$(new_incident)
	run --separate-stderr env INC_NOW=2026-11-27T09:00:00Z inc-close --as alice --resolution a "$id"
	assert_failure 1
	assert_equal "$stderr" "inc-close: $id: dated 2026-11-27T09:00:00Z, before the incident's last change at 2026-11-27T10:00:00Z"
	assert_equal "$(inc-show "$id" | jq -r .status)" new
}

@test "expire: closes resolutions older than DURATION, the resolver's code kept, one record each" {
	old=$(INC_NOW=2026-11-20T08:00:00Z new_incident)
	fresh=$(INC_NOW=2026-11-20T08:00:00Z new_incident)
	open=$(INC_NOW=2026-11-20T08:00:00Z new_incident)
	INC_NOW=2026-11-20T09:00:00Z inc-close --as alice --resolution a --code no-fault-found "$old" >/dev/null
	INC_NOW=2026-11-26T09:00:00Z inc-close --as alice --resolution b "$fresh" >/dev/null
	run --separate-stderr env INC_NOW=2026-11-27T09:00:00Z inc-close --expire 5d </dev/null
	assert_success
	assert_equal "$stderr" ""
	assert_equal "$(jq -c '[.id,.status,.closure_code,.closed_at,.resolution,.event]' <<<"$output")" \
		"[$old,\"closed\",\"no-fault-found\",\"2026-11-27T09:00:00Z\",\"a\",{\"kind\":\"closed\",\"auto\":true}]"
	assert_equal "$(inc-show "$fresh" "$open" | jq -r .status | tr '\n' ' ')" "resolved new "
	assert_equal "$(inc-show --history "$old" | jq -c '[.history[] | select(.field=="closure_code") | [.actor,.action,.to]]')" \
		'[["alice","resolved","no-fault-found"]]'
	assert_equal "$(inc-show --history "$old" | jq -c '[.history[] | select(.field=="status") | [.actor,.action,.to]] | last')" \
		'["root","auto-closed","closed"]'
}

@test "expire: the boundary is inclusive; a second run finds nothing" {
	id=$(INC_NOW=2026-11-24T09:00:00Z new_incident)
	INC_NOW=2026-11-24T10:00:00Z inc-close --as alice --resolution a "$id" >/dev/null
	run --separate-stderr inc-close --expire 3d </dev/null
	assert_success
	assert_equal "$(jq -r .id <<<"$output")" "$id"
	run --separate-stderr inc-close --expire 3d </dev/null
	assert_success
	assert_equal "$output" ""
	assert_equal "$stderr" ""
}

@test "expire: never reads stdin, takes no ids" {
	id=$(resolved_incident)
	run --separate-stderr inc-close --expire 0 <<<'{"id":999}'
	assert_success
	assert_equal "$(jq -r .id <<<"$output")" "$id"
	run --separate-stderr inc-close --expire 1d "$id"
	assert_failure 2
	assert_equal "$stderr" "inc-close: --expire takes no ids: it finds the incidents itself"
}

@test "expire: bad duration, and actors who may not close, are usage errors" {
	id=$(resolved_incident)
	run --separate-stderr inc-close --expire soon </dev/null
	assert_failure 2
	assert_equal "$stderr" 'inc-close: --expire: bad duration "soon"'
	run --separate-stderr inc-close --as joe@example.com --expire 0 </dev/null
	assert_failure 2
	assert_equal "$stderr" "inc-close: --expire: joe@example.com may not close incidents (role requester)"
	assert_equal "$(inc-show "$id" | jq -r .status)" "resolved"
}

@test "expire: a technician may run it" {
	id=$(resolved_incident)
	run --separate-stderr inc-close --as bob --expire 0 </dev/null
	assert_success
	assert_equal "$(jq -c '[.id,.closure_code,.event.auto]' <<<"$output")" "[$id,\"fixed\",true]"
}

# ---- usage errors: exit 2, nothing done ----

@test "usage: option values the config does not know" {
	id=$(new_incident)
	before=$(audit_rows)
	run --separate-stderr inc-close --resolution done --code bogus "$id"
	assert_failure 2
	assert_equal "$stderr" 'inc-close: --code: unknown closure code "bogus" (want fixed, workaround, no-fault-found, user-error, duplicate, auto-closed or cancelled)'
	inc-close --resolution done "$id" >/dev/null
	before=$(audit_rows)
	for r in 0 6 -1; do
		run --separate-stderr inc-close --confirm --rating "$r" "$id"
		assert_failure 2
		assert_equal "$stderr" "inc-close: --rating: want 1 to 5, got \"$r\""
	done
	run --separate-stderr inc-close --confirm --rating five "$id"
	assert_failure 2
	assert_equal "$stderr" 'inc-close: --rating: want 1 to 5, got "five"'
	assert_equal "$output" ""
	assert_equal "$(audit_rows)" "$before"
	assert_equal "$(inc-show "$id" | jq -r .status)" "resolved"
}

@test "usage: one mode, and options only with their mode" {
	run --separate-stderr inc-close 1 </dev/null
	assert_failure 2
	assert_equal "$stderr" "inc-close: want one of --resolution, --confirm, --reopen, --expire"
	run --separate-stderr inc-close --resolution x --confirm 1 </dev/null
	assert_failure 2
	assert_equal "$stderr" "inc-close: --resolution, --confirm, --reopen and --expire exclude each other"
	run --separate-stderr inc-close --confirm --workaround 1 </dev/null
	assert_failure 2
	assert_equal "$stderr" "inc-close: --workaround goes with --resolution"
	run --separate-stderr inc-close --confirm --code duplicate 1 </dev/null
	assert_failure 2
	assert_equal "$stderr" "inc-close: --code goes with --resolution, or with --confirm --force"
	run --separate-stderr inc-close --resolution x --rating 3 1 </dev/null
	assert_failure 2
	assert_equal "$stderr" "inc-close: --rating and --feedback go with --confirm"
	run --separate-stderr inc-close --reopen 1 </dev/null
	assert_failure 2
	assert_equal "$stderr" "inc-close: --reopen needs --reason, and --reason --reopen"
	run --separate-stderr inc-close --confirm --reason x 1 </dev/null
	assert_failure 2
	assert_equal "$stderr" "inc-close: --reopen needs --reason, and --reason --reopen"
	run --separate-stderr inc-close --reopen --reason x --force 1 </dev/null
	assert_failure 2
	assert_equal "$stderr" "inc-close: --force goes with --resolution or --confirm"
	run --separate-stderr inc-close --resolution "" 1 </dev/null
	assert_failure 2
	assert_equal "$stderr" "inc-close: --resolution: empty"
	run --separate-stderr inc-close --bogus </dev/null
	assert_failure 2
	# getopt names argv[0], a full path under INC_VALGRIND's wrappers
	assert_equal "$(sed -n '1{s|^/.*/||;p;}' <<<"$stderr")" "inc-close: unrecognized option '--bogus'"
	assert_equal "$(sed -n 2p <<<"$stderr" | head -c 17)" "usage: inc-close "
	db_absent
}

@test "usage: -h prints the usage on stdout" {
	run --separate-stderr inc-close -h
	assert_success
	assert_equal "$(head -1 <<<"$output")" "usage: inc-close [-d DB] [-c CONFIG] [--now TIME] [--as USER] --resolution TEXT [--workaround] [--code CODE] [--force] [ID...]"
	assert_equal "$(sed -n 4p <<<"$output")" "       inc-close [-d DB] [-c CONFIG] [--now TIME] [--as USER] --expire DURATION"
}

# ---- access per role (SPEC section 5) ----

@test "access: --force needs an incident manager or admin, else exit 2 before anything" {
	id=$(new_incident)
	for who in alice pat joe@example.com; do
		run --separate-stderr inc-close --as "$who" --force --resolution done "$id"
		assert_failure 2
		assert_equal "$output" ""
	done
	assert_equal "$stderr" "inc-close: --force: joe@example.com may not force (role requester)"
	run --separate-stderr inc-close --as pat --force --confirm "$id"
	assert_failure 2
	assert_equal "$stderr" "inc-close: --force: pat may not force (role process_owner)"
	assert_equal "$(inc-show "$id" | jq -r .status)" "new"
}

@test "access: requesters never resolve, not even their own" {
	id=$(new_incident)
	run --separate-stderr inc-close --as joe@example.com --resolution "fixed it myself" "$id"
	assert_failure 1
	assert_equal "$output" ""
	assert_equal "$stderr" "inc-close: $id: joe@example.com may not resolve incidents (role requester)"
}

@test "access: technicians, process owners, incident managers and admins resolve" {
	for who in alice pat maria root; do
		id=$(new_incident)
		run --separate-stderr inc-close --as "$who" --resolution done "$id"
		assert_success
		assert_equal "$(jq -r .status <<<"$output")" "resolved"
	done
}

@test "access: a requester confirms and reopens only their own" {
	id=$(resolved_incident)
	for act in "--confirm" "--reopen --reason no"; do
		# shellcheck disable=SC2086
		run --separate-stderr inc-close --as eve@example.com $act "$id"
		assert_failure 1
		assert_equal "$output" ""
	done
	assert_equal "$stderr" "inc-close: $id: not yours to reopen"
	run --separate-stderr inc-close --as eve@example.com --confirm "$id"
	assert_equal "$stderr" "inc-close: $id: not yours to confirm"
	# joe is the requester, by e-mail; a listed person matches by name too
	run --separate-stderr inc-close --as joe@example.com --confirm --rating 5 "$id"
	assert_success
	id2=$(inc-log -s "printer" -r bob@example.com </dev/null | jq -r .id)
	inc-close --as alice --resolution done "$id2" >/dev/null
	run --separate-stderr inc-close --as bob --reopen --reason "still jams" "$id2"
	assert_success
}

@test "access: every other role confirms and reopens on the requester's behalf" {
	for who in bob pat maria root; do
		id=$(resolved_incident)
		run --separate-stderr inc-close --as "$who" --reopen --reason "user called back" "$id"
		assert_success
		inc-close --as alice --resolution again "$id" >/dev/null
		run --separate-stderr inc-close --as "$who" --confirm "$id"
		assert_success
		assert_equal "$(jq -r .status <<<"$output")" "closed"
	done
}

@test "access: with no people configured everyone may do everything" {
	edit_config '.people = [] | .groups |= map(.members = [] | del(.manager))'
	id=$(new_incident)
	inc-task add "$id" --title t >/dev/null
	run --separate-stderr inc-close --as anybody --force --resolution done "$id"
	assert_success
	assert_equal "$(jq -c .event <<<"$output")" '{"kind":"resolved","forced":true}'
}
