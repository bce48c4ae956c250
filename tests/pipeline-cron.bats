#!/usr/bin/env bats
# The cron pipeline, `inc-sla | inc-escalate` every minute, over a simulated
# week: every warning, breach and escalation written exactly once, at the
# right minute. Minute by minute around each expected instant, every
# quarter of an hour everywhere else in the week (which proves nothing
# fires where nothing is due, and that a rule, once fired, stays fired).
load test_helper

# Incident $1 assigned by hand to $3 in group $2.
assign() { inc-assign "$1" --group "$2" --to "$3" >/dev/null; }

# every minute of [FROM, TO], epoch seconds
minutes() {
	local t=$1
	while [ "$t" -le "$2" ]; do
		echo "$t"
		t=$((t + 60))
	done
}

# Runs the pipeline at each instant (epoch seconds, stdin, sorted), after
# the hook `at_EPOCH` if one is defined; the records of inc-sla go to
# sla.log and those of inc-escalate to esc.log, each line after its instant.
simulate() {
	local t l d=$BATS_TEST_TMPDIR
	while read -r t; do
		if declare -F "at_$t" >/dev/null; then
			"at_$t" "$t"
		fi
		INC_NOW=$t inc-sla 2>>"$d/err" >"$d/sla.out"
		INC_NOW=$t inc-escalate <"$d/sla.out" >"$d/esc.out" 2>>"$d/err"
		if [ -s "$d/sla.out" ]; then
			while read -r l; do echo "$t $l"; done <"$d/sla.out" >>"$d/sla.log"
		fi
		if [ -s "$d/esc.out" ]; then
			while read -r l; do echo "$t $l"; done <"$d/esc.out" >>"$d/esc.log"
		fi
	done
}

# "MM-DDTHH:MM ID what" for each logged record, what from its event
summary() {
	sed 's/^\([0-9]*\) {/{"t":\1,/' "$BATS_TEST_TMPDIR/$1" |
		jq -r '"\(.t | todate | .[5:16]) \(.id) \(.event | [.kind, .type // .target, .after // empty, (.notify // empty | join(","))] | join(" "))"'
}

e() {
	date -u -d "$1" +%s
}

@test "a simulated week: every warning, breach and escalation once, at the right minute" {
	touch "$BATS_TEST_TMPDIR/sla.log" "$BATS_TEST_TMPDIR/esc.log"
	# Friday 27 November, 11:00 Berlin
	log_one '{"subject":"printer jammed","requester":"joe@example.com"}' >/dev/null	# standard
	log_one '{"subject":"mail down for everyone","impact":"high","urgency":"high"}' >/dev/null	# critical, 24x7
	log_one '{"subject":"vpn flaky","impact":"medium","urgency":"high"}' >/dev/null	# high
	assign 1 service-desk alice
	assign 2 service-desk bob
	assign 3 l2-infra dana
	# 3 is resolved at 11:30 Berlin, well within its targets: nothing ever fires
	eval "at_$(e 2026-11-27T10:30:00Z)() { INC_NOW=\$1 inc-close 3 --resolution fixed >/dev/null; }"
	# 4 comes in on Saturday: its clocks start on Monday 09:00 Berlin
	eval "at_$(e 2026-11-28T09:00:00Z)() {
		INC_NOW=\$1 inc-log -s 'monitor flickers' >/dev/null
		INC_NOW=\$1 assign 4 service-desk chen
	}"
	{
		minutes "$(e 2026-11-27T10:00:00Z)" "$(e 2026-11-27T16:10:00Z)"
		minutes "$(e 2026-11-30T11:00:00Z)" "$(e 2026-11-30T12:10:00Z)"
		minutes "$(e 2026-12-01T13:00:00Z)" "$(e 2026-12-01T13:20:00Z)"
		minutes "$(e 2026-12-02T09:50:00Z)" "$(e 2026-12-02T12:10:00Z)"
		minutes "$(e 2026-12-02T15:50:00Z)" "$(e 2026-12-02T16:10:00Z)"
		minutes "$(e 2026-12-03T09:50:00Z)" "$(e 2026-12-03T10:10:00Z)"
		t=$(e 2026-11-27T10:00:00Z)
		while [ "$t" -le "$(e 2026-12-04T10:00:00Z)" ]; do
			echo "$t"
			t=$((t + 900))
		done
	} | sort -nu | simulate
	assert_equal "$(cat "$BATS_TEST_TMPDIR/err")" ""
	# inc-sla: each state change once, the minute after its instant
	run summary sla.log
	assert_output "11-27T10:12 2 sla_warning response
11-27T10:16 2 sla_breached response
11-27T13:01 2 sla_warning resolve
11-27T13:13 1 sla_warning response
11-27T14:01 1 sla_breached response
11-27T14:01 2 sla_breached resolve
11-27T16:01 2 sla_breached resolve 2h
11-30T11:13 4 sla_warning response
11-30T12:01 4 sla_breached response
12-01T13:13 1 sla_warning resolve
12-02T10:01 1 sla_breached resolve
12-02T11:13 4 sla_warning resolve
12-02T12:01 1 sla_breached resolve 2h
12-02T16:01 4 sla_breached resolve
12-03T10:01 4 sla_breached resolve 2h"
	# inc-escalate: each rule once, in the same minute
	run summary esc.log
	assert_output "11-27T10:12 2 notified notify bob@example.com
11-27T13:01 2 notified notify bob@example.com,maria@example.com
11-27T13:13 1 notified notify alice@example.com
11-27T14:01 2 escalated functional omar@example.com
11-27T16:01 2 escalated hierarchical maria@example.com
11-30T11:13 4 notified notify chen@example.com
12-01T13:13 1 notified notify alice@example.com,maria@example.com
12-02T10:01 1 escalated functional omar@example.com
12-02T11:13 4 notified notify chen@example.com,maria@example.com
12-02T12:01 1 escalated hierarchical maria@example.com
12-02T16:01 4 escalated functional omar@example.com
12-03T10:01 4 escalated hierarchical maria@example.com"
	assert_equal "$(dbq 'SELECT count(*), count(DISTINCT incident || rule) FROM escalation_fired')" "12|12"
	assert_equal "$(inc-show 1 2 3 4 | jq -c '[.id, .group, .escalation_level, .sla.state]')" \
'[1,"l2-infra",2,"breached"]
[2,"l2-infra",2,"breached"]
[3,"l2-infra",0,"met"]
[4,"l2-infra",2,"breached"]'
}

@test "a pause moves warnings and breaches to the right minute" {
	touch "$BATS_TEST_TMPDIR/sla.log" "$BATS_TEST_TMPDIR/esc.log"
	log_one '{"subject":"printer jammed","requester":"joe@example.com"}' >/dev/null
	assign 1 service-desk alice
	# taken at 11:30, on hold Friday 12:00 to Monday 10:00 Berlin: 6 office hours
	eval "at_$(e 2026-11-27T10:30:00Z)() { INC_NOW=\$1 inc-update 1 --status in_progress --as alice >/dev/null; }"
	eval "at_$(e 2026-11-27T11:00:00Z)() { INC_NOW=\$1 inc-update 1 --status on_hold --as alice >/dev/null; }"
	eval "at_$(e 2026-11-30T09:00:00Z)() { INC_NOW=\$1 inc-update 1 --status in_progress --as alice >/dev/null; }"
	{
		minutes "$(e 2026-11-27T10:00:00Z)" "$(e 2026-11-27T11:10:00Z)"
		minutes "$(e 2026-12-02T11:00:00Z)" "$(e 2026-12-02T11:20:00Z)"
		minutes "$(e 2026-12-02T15:50:00Z)" "$(e 2026-12-02T16:10:00Z)"
		minutes "$(e 2026-12-03T09:50:00Z)" "$(e 2026-12-03T10:10:00Z)"
		t=$(e 2026-11-27T10:00:00Z)
		while [ "$t" -le "$(e 2026-12-03T10:00:00Z)" ]; do
			echo "$t"
			t=$((t + 900))
		done
	} | sort -nu | simulate
	assert_equal "$(cat "$BATS_TEST_TMPDIR/err")" ""
	# resolve due Wednesday 17:00 Berlin instead of 11:00; warning 12:12
	# instead of Tuesday 14:12; the delayed rule two office hours later,
	# on Thursday 11:00
	run summary esc.log
	assert_output "12-02T11:13 1 notified notify alice@example.com,maria@example.com
12-02T16:01 1 escalated functional omar@example.com
12-03T10:01 1 escalated hierarchical maria@example.com"
}

@test "inc-sla, inc-escalate and inc-notify from cron: one mail per action, each once" {
	printf '#!/bin/sh\n{ echo "ARGS: $*"; cat; echo .; } >>"%s/mail"\n' "$BATS_TEST_TMPDIR" >"$BATS_TEST_TMPDIR/sendmail"
	chmod +x "$BATS_TEST_TMPDIR/sendmail"
	edit_config '.mail = {"address":"desk@example.com","sendmail":"'"$BATS_TEST_TMPDIR"'/sendmail -t -i"}
		| .notify.on = {"logged":[],"assigned":[],"sla_warning":[],"sla_breached":[],"escalated":[]}'
	log_one '{"subject":"printer jammed","requester":"joe@example.com"}' >/dev/null
	log_one '{"subject":"nobody on it","group":"service-desk"}' >/dev/null
	inc-sla
	assign 1 service-desk alice
	# the three jobs of the crontab, each on its own, twice
	for i in 1 2; do
		INC_NOW=2026-12-02T10:01:00Z run --separate-stderr sh -c 'inc-sla >/dev/null; inc-escalate </dev/null >/dev/null; inc-notify >/dev/null'
		assert_success
		assert_equal "$stderr" ""
	done
	# 1: two notices (the second to the manager too) and the escalation;
	# 2, queued in service-desk with nobody on it: what reaches the
	# manager, who stands in for the missing assignee
	run grep -E '^(ARGS|From|To|Subject|X-Inc-Event):' "$BATS_TEST_TMPDIR/mail"
	assert_output "ARGS: -t -i
From: desk@example.com
To: alice@example.com
Subject: [INC-1] SLA notice: printer jammed
X-Inc-Event: notified
ARGS: -t -i
From: desk@example.com
To: alice@example.com
Subject: [INC-1] SLA notice: printer jammed
X-Inc-Event: notified
ARGS: -t -i
From: desk@example.com
To: maria@example.com
Subject: [INC-1] SLA notice: printer jammed
X-Inc-Event: notified
ARGS: -t -i
From: desk@example.com
To: omar@example.com
Subject: [INC-1] Escalated (functional): printer jammed
X-Inc-Event: escalated
ARGS: -t -i
From: desk@example.com
To: maria@example.com
Subject: [INC-2] SLA notice: nobody on it
X-Inc-Event: notified
ARGS: -t -i
From: desk@example.com
To: maria@example.com
Subject: [INC-2] SLA notice: nobody on it
X-Inc-Event: notified
ARGS: -t -i
From: desk@example.com
To: omar@example.com
Subject: [INC-2] Escalated (functional): nobody on it
X-Inc-Event: escalated"
}

@test "inc-notify: a subject cannot add headers" {
	printf '#!/bin/sh\ncat >>"%s/mail"\n' "$BATS_TEST_TMPDIR" >"$BATS_TEST_TMPDIR/sendmail"
	chmod +x "$BATS_TEST_TMPDIR/sendmail"
	edit_config '.mail = {"address":"desk@example.com","sendmail":"'"$BATS_TEST_TMPDIR"'/sendmail -t -i"}
		| .notify.on = {"logged":[],"assigned":[],"sla_warning":[]}'
	log_one '{"subject":"hi\nBcc: all@example.com"}' >/dev/null
	inc-sla
	assign 1 service-desk alice
	INC_NOW=2026-11-27T13:13:00Z inc-sla >/dev/null
	INC_NOW=2026-11-27T13:13:00Z inc-escalate </dev/null >/dev/null
	run --separate-stderr inc-notify
	assert_success
	# the headers: up to the first empty line
	run awk '/^$/ { exit } /^(To|Subject|Bcc):/ { print }' "$BATS_TEST_TMPDIR/mail"
	assert_output "To: alice@example.com
Subject: [INC-1] SLA notice: hi Bcc: all@example.com"
}
