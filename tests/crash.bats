#!/usr/bin/env bats
# Crashes: the consumers of the event log (inc-sla's clocks, inc-escalate,
# inc-notify) killed with kill -9 at random moments, over and over, while
# incidents come and go and sendmail fails now and then; then everything
# run to completion. Each escalation rule fires once per incident, each
# notification is queued once per recipient, and sendmail receives every
# message: exactly once, but for those whose run died between sendmail
# taking them and the run marking them sent (at least once).
load test_helper

local_setup() {
	M="$BATS_TEST_TMPDIR/mail"
	export INC_TEST_MAIL="$M"
	mkdir -p "$M"
	edit_config '.mail = {"address":"helpdesk@example.com","name":"IT Service Desk","sendmail":"'"$INC_ROOT"'/tests/fixtures/sendmail -t -i"}'
}

# Run "${@:2}" in the background and kill -9 it after a random 0 to $1-1
# ms; succeeds when the kill landed (the process had not finished).
shoot() {
	local ms=$1 pid st
	shift
	"$@" </dev/null >/dev/null 2>&1 &
	pid=$!
	sleep "$(printf '0.%03d' $((RANDOM % ms)))"
	kill -9 "$pid" 2>/dev/null || true
	st=0
	{ wait "$pid"; } 2>/dev/null || st=$?
	[ "$st" -eq 137 ]
}

# The minute of cron, to completion.
cron() {
	inc-sla | inc-escalate >/dev/null
	inc-notify >/dev/null 2>&1 || true	# sendmail may be refusing
}

@test "kill -9 at random moments of inc-sla, inc-escalate, inc-notify: every rule once, every mail queued once, delivered at least once" {
	[ -z "${INC_VALGRIND:-}" ] || skip "kill -9 under valgrind tells nothing more"
	local n=100 i kills_sla=0 kills_esc=0 kills_notify=0 failing=0
	local base slow=1
	base=$(date -u -d 2026-11-27T10:00:00Z +%s)
	# a run on PostgreSQL takes some five times as long (loading libpq,
	# connecting, a round trip a statement): the kills wait longer, so
	# that they still land all through a run, its commits included
	if [ "$INC_TEST_ENGINE" = pg ]; then
		slow=4
	fi
	for i in $(seq 1 "$n"); do
		# half an hour a step; critical incidents on a 24x7 calendar:
		# response due in 15m (warning at 11m15s), resolve in 4h
		# (warning at 3h), hierarchical 2h after the resolve breach
		INC_NOW=$(date -u -d "@$((base + i * 1800))" +%Y-%m-%dT%H:%M:%SZ)
		export INC_NOW
		inc-log -s "incident $i" -r "user$i@example.com" --impact high --urgency high </dev/null |
			inc-assign >/dev/null
		if ((i % 3 == 1 && i > 1)); then	# the desk answers the one before
			inc-update $((i - 1)) --as alice --reply "looking at it" </dev/null >/dev/null
		fi
		if ((i % 5 == 2 && i > 2)); then	# a requester writes back
			inc-update $((i - 2)) --as "user$((i - 2))@example.com" --reply "still broken" </dev/null >/dev/null
		fi
		if ((i % 4 == 3 && i > 3)); then	# every 4th resolved 1h30 on,
			inc-close $((i - 3)) --resolution fixed </dev/null >/dev/null
		fi
		if ((i % 8 == 4 && i > 4)); then	# every 8th confirmed 2h on
			inc-close $((i - 4)) --as "user$((i - 4))@example.com" --confirm </dev/null >/dev/null
		fi
		# sendmail down one step in five
		if ((RANDOM % 5 == 0)); then
			touch "$M.fail"
			failing=$((failing + 1))
		else
			rm -f "$M.fail"
		fi
		# a start-up takes a few ms; inc-notify's sendmail runs take longer
		if shoot $((20 * slow)) inc-sla; then kills_sla=$((kills_sla + 1)); fi
		if shoot $((20 * slow)) inc-escalate; then kills_esc=$((kills_esc + 1)); fi
		if shoot $((60 * slow)) inc-notify; then kills_notify=$((kills_notify + 1)); fi
		cron
	done
	rm -f "$M.fail"
	# a killed inc-notify leaves its sendmail running: let it finish
	sleep 0.2
	while pgrep -f "$INC_ROOT/tests/fixtures/sendmail" >/dev/null; do sleep 0.05; done
	cron
	echo "# $n steps; killed: inc-sla $kills_sla, inc-escalate $kills_esc, inc-notify $kills_notify; sendmail down $failing steps" >&3

	# ---- escalation: each rule once per incident, as many as the timeline says ----
	# a rule fires for incident j when its instant is past the last step
	# (T_n), strictly, and j was not resolved before it (every 4th is, at
	# 1h30): the response warning (11m15s) for all but the last; the resolve
	# warning (3h, 6 steps) for j <= n-7, the functional escalation at the
	# breach (4h, 8 steps) for j <= n-9, the hierarchical one 2h later
	# (12 steps) for j <= n-13, but the multiples of 4
	local rw=$((n - 1)) sw=$((n - 7 - (n - 7) / 4)) fn=$((n - 9 - (n - 9) / 4)) hi=$((n - 13 - (n - 13) / 4))
	local fired=$((rw + sw + fn + hi))
	run dbq "SELECT count(*), count(DISTINCT incident || ' ' || rule) FROM escalation_fired"
	assert_output "$fired|$fired"
	assert_equal "$(dbq "SELECT rule, count(*) FROM escalation_fired GROUP BY rule ORDER BY rule")" \
"resolve_breached+0:functional|$fn
resolve_breached+7200:hierarchical|$hi
resolve_warning+0:notify|$sw
response_warning+0:notify|$rw"
	# escalated and notified events: one per firing
	assert_equal "$(dbq "SELECT count(*) FROM event WHERE kind IN ('escalated', 'notified')")" "$fired"

	# ---- the outbox: exactly once per event and recipient ----
	# what each event makes by the default table: the requester on logged,
	# replied by the desk, resolved, closed; the assignee on assigned, a
	# requester's reply, warnings and breaches; an escalation's own list
	# (and the new assignee of an escalated one)
	local want="CASE kind
		WHEN 'notified' THEN json_array_length(data, '\$.notify')
		WHEN 'escalated' THEN 1 + json_array_length(data, '\$.notify')
		WHEN 'logged' THEN 1 WHEN 'assigned' THEN 1 WHEN 'replied' THEN 1
		WHEN 'resolved' THEN 1 WHEN 'closed' THEN 1
		WHEN 'sla_warning' THEN 1 WHEN 'sla_breached' THEN 1
		ELSE 0 END"
	assert_equal "$(dbq "SELECT count(*) FROM event e WHERE (SELECT count(*) FROM outbox o WHERE o.seq = e.seq) != $want")" 0
	local total
	total=$(dbq "SELECT sum($want) FROM event")
	assert_equal "$(dbq "SELECT count(*), count(DISTINCT message_id), count(DISTINCT seq || ' ' || rcpt) FROM outbox")" "$total|$total|$total"
	assert_equal "$(dbq "SELECT count(*) FROM (SELECT message_id FROM outbox GROUP BY message_id HAVING count(*) > 1) AS d")" 0
	assert_equal "$(dbq "SELECT count(*) FROM event WHERE kind = 'logged'")" "$n"
	assert_equal "$(dbq "SELECT kind, count(*) FROM outbox WHERE kind IN ('logged', 'assigned', 'replied', 'resolved', 'closed') GROUP BY kind ORDER BY kind")" \
"assigned|$n
closed|$(((n - 4) / 8))
logged|$n
replied|$(((n - 1) / 3 + (n - 2) / 5))
resolved|$(((n - 3) / 4))"
	# the cursors at the end of the log
	assert_equal "$(dbq "SELECT name, CASE WHEN seq = (SELECT max(seq) FROM event) THEN 1 ELSE 0 END FROM cursor ORDER BY name")" \
"escalate|1
mail|1"

	# ---- delivery: all sent; received at least once, twice only when cut ----
	assert_equal "$(dbq "SELECT count(*) FROM outbox WHERE sent_at IS NULL")" 0
	mkdir "$BATS_TEST_TMPDIR/stored"
	db_write_rows "$BATS_TEST_TMPDIR/stored" "SELECT message_id AS name, message AS value FROM outbox"
	# every message received is one of the outbox's, byte for byte (never
	# a truncated one), and every one of the outbox was received
	(cd "$BATS_TEST_TMPDIR/stored" && md5sum -- * | cut -c1-32 | sort) >"$BATS_TEST_TMPDIR/stored.md5"
	(cd "$M" && md5sum -- * | cut -c1-32 | sort -u) >"$BATS_TEST_TMPDIR/received.md5"
	cmp "$BATS_TEST_TMPDIR/stored.md5" "$BATS_TEST_TMPDIR/received.md5"
	local received dups
	received=$(find "$M" -type f | wc -l)
	dups=$((received - total))
	echo "# $total messages queued and sent; sendmail took $received ($dups again after a kill)" >&3
	# a run interrupts at most the one message sendmail is taking
	[ "$dups" -ge 0 ] && [ "$dups" -le "$kills_notify" ] ||
		fail "$dups messages received twice, $kills_notify runs of inc-notify killed"
	# no Message-ID three times unless killed that often: each duplicate
	# is a message whose run died with it at sendmail
	assert_equal "$(grep -h '^Message-ID:' "$M"/* | sort | uniq -c | awk '$1 > 1 { d += $1 - 1 } END { print d + 0 }')" "$dups"
}
