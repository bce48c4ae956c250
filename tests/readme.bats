#!/usr/bin/env bats
# The README's set-up demo and its examples (the same pipelines as inc(7)),
# run as a newcomer would run them.
load test_helper

@test "demo.sh runs the main job end to end" {
	run --separate-stderr "$INC_ROOT/demo.sh"
	assert_success
	assert_equal "$stderr" ""
	assert_line "== 10:00 intake: inc-log < share/examples/incidents.jsonl | inc-classify | inc-assign"
	# the cron job reports each event once: the second run at the same minute writes nothing
	assert_equal "$(printf '%s\n' "$output" | grep -A1 '^-- run again' | tail -n 1)" "0"
	assert_line --regexp '^4 +critical +resolved +service~ +chen +met +7h 30m +cfo@examp~ +ERP down for ~$'
	assert_line --regexp '^2 +medium +closed +service~ +alice +met +7h 30m +ann@examp~ +Locked out of~$'
	assert_line --regexp '^critical +1 +0 +1 +4m +1h 40m +1h 40m +1h 40m +100\.00 +100\.00 +0\.00 +100\.00 +0\.00 +0\.00 +-$'
}

@test "quick start: log, intake, work, resolve, confirm, history" {
	run --separate-stderr inc-log -s "VPN drops every 5 minutes" -r joe@example.com --source email
	assert_success
	assert_equal "$(jq -c '[.id, .status, .source, .event.kind]' <<<"$output")" '[1,"new","email","logged"]'

	run --separate-stderr sh -c 'inc-log < "$INC_ROOT/share/examples/incidents.jsonl" | inc-classify | inc-assign'
	assert_success
	assert_equal "${#lines[@]}" 10
	assert_equal "$(jq -sc 'map(.status) | unique' <<<"$output")" '["assigned"]'

	run --separate-stderr inc-show --open --format table
	assert_success
	assert_equal "${#lines[@]}" 12

	run --separate-stderr inc-update 3 --as alice --status in_progress --note "looking at the tunnel logs"
	assert_success
	run --separate-stderr inc-close 3 --as alice --resolution "replaced the VPN profile" --code fixed
	assert_success
	assert_equal "$(jq -c '[.status, .resolution, .closure_code]' <<<"$output")" '["resolved","replaced the VPN profile","fixed"]'
	requester=$(inc-show 3 | jq -r .requester)
	run --separate-stderr inc-close 3 --confirm --rating 5 --as "$requester"
	assert_success
	assert_equal "$(jq -c '[.status, .rating]' <<<"$output")" '["closed",5]'

	run --separate-stderr sh -c "inc-show 3 --history | jq -r '.history[] | [.actor, .action] | @tsv' | uniq"
	assert_success
	assert_line --index 0 "$(printf 'root\tlogged')"
	assert_line "$(printf 'alice\tnote')"
	assert_line "$(printf '%s\tclosed' "$requester")"
}

@test "mail into tickets is idempotent" {
	printf '%s\n' '{"subject":"Mailbox full","from":"ann@example.com","body":"cannot receive","message_id":"<m1@example.com>"}' >"$BATS_TEST_TMPDIR/inbox.jsonl"
	for _ in 1 2; do
		run --separate-stderr sh -c "jq -c '{subject, requester: .from, description: .body, source: \"email\", external_id: .message_id}' \"$BATS_TEST_TMPDIR/inbox.jsonl\" | inc-log | inc-classify | inc-assign"
		assert_success
	done
	assert_equal "$(inc-show | wc -l)" 1
	assert_equal "$(inc-show | jq -c '[.external_id, .requester, .status]')" '["<m1@example.com>","ann@example.com","assigned"]'
}

@test "yesterday's incidents through the rules, writing nothing" {
	inc-log --now 2026-11-26T12:00:00Z <"$INC_ROOT/share/examples/incidents.jsonl" >/dev/null
	before=$(dbq 'SELECT count(*) FROM audit')
	run --separate-stderr sh -c "inc-show --since -1d | inc-classify --dry-run --explain | jq -c '{id, category, event}'"
	assert_success
	assert_equal "${#lines[@]}" 10
	assert_equal "$(jq -c '[.id, .category]' <<<"${lines[0]}")" '[1,"network"]'
	assert_equal "$(dbq 'SELECT count(*) FROM audit')" "$before"
}

@test "queues, breaches, KPIs and a review as the README shows them" {
	# yesterday morning's intake, then today's SLA pass
	INC_NOW=2026-11-26T09:00:00Z sh -c 'inc-log <"$1" | inc-classify | inc-assign >/dev/null' - \
		"$INC_ROOT/share/examples/incidents.jsonl"
	inc-sla --now 2026-11-26T09:00:00Z >/dev/null
	inc-sla >/dev/null
	run --separate-stderr inc-show --assignee alice --open --format table
	assert_success
	assert_line --index 0 --regexp '^ID +PRIORITY +STATUS +GROUP +ASSIGNEE +SLA +AGE +REQUESTER +SUBJECT$'
	run --separate-stderr sh -c 'inc-show --group l2-infra --breached | jq -r .ref'
	assert_success
	assert_output "INC-1"
	run --separate-stderr inc-report --since -30d --by group,priority --format csv
	assert_success
	assert_line --index 0 --regexp '^group,priority,count,open,resolved,'
	run --separate-stderr inc-report --aging --by group --format table
	assert_success
	run --separate-stderr inc-report --review 1
	assert_success
	assert_line --index 0 --regexp '^# .*INC-1'
}

@test "the shipped crontab's jobs run as they are, in any order" {
	# a sendmail that keeps what it is given
	printf '#!/bin/sh\ncat >>"%s/mail"\necho >>"%s/mail"\n' "$BATS_TEST_TMPDIR" "$BATS_TEST_TMPDIR" \
		>"$BATS_TEST_TMPDIR/sendmail"
	chmod +x "$BATS_TEST_TMPDIR/sendmail"
	edit_config '.mail = {"address":"helpdesk@example.com","sendmail":"'"$BATS_TEST_TMPDIR"'/sendmail -t -i"}'
	inc-log <"$INC_ROOT/share/examples/incidents.jsonl" | inc-classify >/dev/null
	grep -v '^#' "$INC_ROOT/share/examples/crontab" | grep -E '^[*0-9]' | sed -E 's/^([^ ]+ +){5}//' \
		>"$BATS_TEST_TMPDIR/jobs"
	assert_equal "$(wc -l <"$BATS_TEST_TMPDIR/jobs")" 7
	# backwards first, then forwards: each is safe at any time, in any order
	for order in "tac" "cat"; do
		$order "$BATS_TEST_TMPDIR/jobs" >"$BATS_TEST_TMPDIR/run"
		while IFS= read -r job; do
			run --separate-stderr sh -c "$job"
			assert_success
			assert_equal "$stderr" ""
		done <"$BATS_TEST_TMPDIR/run"
	done
	assert_equal "$(inc-show --status new | wc -l)" 0
	# every requester heard that their incident was logged, once
	assert_equal "$(grep -c '^X-Inc-Event: logged' "$BATS_TEST_TMPDIR/mail")" \
		"$(inc-show | jq -r 'select(.requester | test("@")) | .id' | wc -l)"
	assert_equal "$(inc-notify --list | wc -l)" 0
}

@test "bring your history: the README's commands (the two larger logs are inc-import.bats's)" {
	local data="$INC_ROOT/../shared/data"
	[ -r "$data/helpdesk-event-log.csv.gz" ] || skip "no $data (real incident logs live in ../shared/data)"
	awk '/^## Bring your history/ { f = 1; next } /^## / { f = 0 } f && /^    / { sub(/^    /, ""); print }' \
		"$INC_ROOT/README.md" | grep -v -e uci- -e bpi2013- |
		sed -e "s|\([ >]\)/tmp/|\1$BATS_TEST_TMPDIR/|g" -e "s|/etc/inc/config.json|$INC_CONFIG|" \
		>"$BATS_TEST_TMPDIR/cmds"
	assert_equal "$(wc -l <"$BATS_TEST_TMPDIR/cmds")" 4
	cd "$data"
	while IFS= read -r cmd; do
		run --separate-stderr sh -c "$cmd"
		assert_success
		assert_equal "$stderr" ""
	done <"$BATS_TEST_TMPDIR/cmds"
	assert_line --regexp '^now +.*config\.json +4580 '
	assert_line --regexp '^what_if +.*4h\.json +4580 '
}

@test "working the queue as the README shows it: --sort, --grep, csv, ids piped on" {
	inc-log --now 2026-11-26T09:00:00Z <"$INC_ROOT/share/examples/incidents.jsonl" | inc-classify | inc-assign >/dev/null
	inc-log -s "srv-db-01 slow" -r Ana@example.com >/dev/null
	inc-update --note "same on srv-db-02" 3 >/dev/null
	inc-assign 11 >/dev/null
	run --separate-stderr inc-show --open --sort priority,created_at --format table
	assert_success
	assert_line --index 1 --regexp '^4 +critical '
	run --separate-stderr inc-show --grep 'srv-db-0[12]' --format table
	assert_success
	assert_equal "$(cut -d' ' -f1 <<<"$output" | paste -sd' ')" "ID 3 11"
	cd "$BATS_TEST_TMPDIR"
	run --separate-stderr sh -c 'inc-show --requester Ana@Example.com --format csv > ana.csv && cat ana.csv'
	assert_success
	assert_equal "${#lines[@]}" 2
	run --separate-stderr sh -c 'inc-show --status assigned --requester ana@example.com | jq -r .id |
    inc-update --status on_hold --note "waiting for Ana"'
	assert_success
	assert_equal "$(jq -c '[.id, .status, .event.note]' <<<"$output")" '[11,"on_hold","waiting for Ana"]'
}
