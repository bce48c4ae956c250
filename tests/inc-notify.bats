#!/usr/bin/env bats
# inc-notify: the event log as mail, from templates, through a fake
# sendmail; who hears of what; well-formed RFC 5322; the outbox and its
# delivery (a refusal retried, never twice after success).
load test_helper

# Mail goes to tests/fixtures/sendmail, a fake that keeps each message in a
# file of its own under $M, and refuses them while $M.fail exists.
local_setup() {
	M="$BATS_TEST_TMPDIR/mail"
	SENDMAIL="$INC_ROOT/tests/fixtures/sendmail"
	export INC_TEST_MAIL="$M"
	mkdir -p "$M"
	desk
}

# The shipped config with the desk's mail through the fake sendmail, then
# the jq filter $1.
desk() {
	edit_config '.mail = {"address":"helpdesk@example.com","name":"IT Service Desk","sendmail":"'"$SENDMAIL"' -t -i"} | '"${1:-.}"
}

# How many messages the fake sendmail took.
received() {
	find "$M" -type f | wc -l
}

# The messages received, in the order of their Message-IDs
# (INC-<id>.<seq>.<n>): one file name a line.
messages() {
	local f
	for f in "$M"/*; do
		[ -f "$f" ] || continue
		printf '%s %s\n' "$(field "$f" message-id | tr -c '0-9\n' ' ' | awk '{ printf "%09d %09d %03d", $1, $2, $3 }')" "$f"
	done | sort | cut -d' ' -f4-
}

# The value of header $2 (any case) of message $1, unfolded.
field() {
	LC_ALL=C awk -v want="$2" '
		/^$/ { exit }
		/^[ \t]/ { if (on) { sub(/^[ \t]+/, " "); v = v $0 } next }
		{ if (on) exit; on = 0
		  i = index($0, ":"); if (tolower(substr($0, 1, i - 1)) == tolower(want)) { on = 1; v = substr($0, i + 1); sub(/^ /, "", v) } }
		END { if (on) print v }' "$1"
}

# The body of message $1.
body() {
	sed '1,/^$/d' "$1"
}

# The message sent to $1 about event kind $2 (X-Inc-Event): its file.
mail_to() {
	local f
	for f in $(messages); do
		if [ "$(field "$f" to)" = "$1" ] && [ "$(field "$f" x-inc-event)" = "$2" ]; then
			echo "$f"
		fi
	done
}

# Who got mail, in order: "KIND TO" a line.
who() {
	local f
	for f in $(messages); do
		echo "$(field "$f" x-inc-event) $(field "$f" to)"
	done
}

# RFC 5322, as far as a line-based check goes: header lines "Name: value"
# up to the blank line (folded ones start with white space), no CR or
# other control character, lines at most 998 bytes, the headers ASCII with
# any other text RFC 2047-encoded, From To Subject Date Message-ID
# MIME-Version Content-Type once each, To exactly one address, a body in
# 7bit that is ASCII. Prints what is wrong; fails when anything is.
rfc5322() {
	local f=$1 problems
	local addr='^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+$' msgid='^<[!-;=?-~]+@[A-Za-z0-9.-]+>$'
	problems=$(
		LC_ALL=C grep -naP '[\x00-\x08\x0b-\x1f\x7f]' "$f" | head -n 3 | sed 's/^/control character: /'
		sed '/^$/q' "$f" | LC_ALL=C grep -naP '[^\x00-\x7f]' | head -n 3 | sed 's/^/8-bit header: /'
		sed '/^$/q' "$f" | grep -o '=?[^ ]*?=' | grep -vE '^=\?[Uu][Tt][Ff]-8\?([Bb]\?[A-Za-z0-9+/=]*|[Qq]\?[!-<>@-~]*)\?=$' | sed 's/^/bad encoded word: /'
		LC_ALL=C awk '
			length($0) > 998 { print "line " NR ": " length($0) " bytes" }
			hdr == 0 && NR == 1 && /^[ \t]/ { print "line 1: folded" }
			hdr == 0 && /^$/ { hdr = 1; next }
			hdr == 0 && /^[ \t]/ { next }
			hdr == 0 && /^[!-9;-~]+:/ { n = tolower(substr($0, 1, index($0, ":") - 1)); count[n]++; next }
			hdr == 0 { print "line " NR ": not a header: " $0 }
			END {
				if (!hdr) print "no blank line before the body"
				split("from to subject date message-id mime-version content-type", need, " ")
				for (i in need) if (count[need[i]] != 1) print need[i] ": " (count[need[i]] + 0) " times"
			}' "$f"
		[[ "$(field "$f" to)" =~ $addr ]] || echo "To: not one address: $(field "$f" to)"
		[[ "$(field "$f" message-id)" =~ $msgid ]] || echo "Message-ID: $(field "$f" message-id)"
		date -d "$(field "$f" date)" +%s >/dev/null 2>&1 || echo "Date: $(field "$f" date)"
		[ "$(field "$f" mime-version)" = "1.0" ] || echo "MIME-Version: $(field "$f" mime-version)"
		if [ "$(field "$f" content-transfer-encoding)" = "7bit" ]; then
			body "$f" | LC_ALL=C grep -naP '[^\x00-\x7f]' | head -n 1 | sed 's/^/8-bit body in 7bit: /'
		fi
	)
	if [ -n "$problems" ]; then
		echo "$f: $problems" >&2
		return 1
	fi
}

# Every message received well-formed.
all_rfc5322() {
	local f n=0
	for f in $(messages); do
		rfc5322 "$f" || return 1
		n=$((n + 1))
	done
	[ "$n" -gt 0 ] || fail "no message to check"
}

# ---- the requester's life ----

@test "the demo's requester: acknowledgement, reply, resolution, closure, one thread" {
	# demo.sh's intake and ann's password, with a public reply
	inc-log --now 2026-11-27T09:00:00Z <"$INC_ROOT/share/examples/incidents.jsonl" |
		inc-classify --now 2026-11-27T09:00:00Z | inc-assign --now 2026-11-27T09:00:00Z >/dev/null
	inc-update 2 --as alice --now 2026-11-27T09:20:00Z --reply "A reset link is on its way by SMS." >/dev/null
	inc-close 2 --as alice --now 2026-11-27T09:25:00Z --resolution "password reset" >/dev/null
	inc-close 2 --as ann@example.com --now 2026-11-27T09:40:00Z --confirm --rating 5 --feedback "quick, thanks" >/dev/null
	run --separate-stderr inc-notify </dev/null
	assert_success
	assert_equal "$stderr" ""
	# what ann received, and nothing else about her incident
	assert_equal "$(jq -c 'select(.to == "ann@example.com") | [.ref, .kind, .subject, .message_id]' <<<"$output")" \
'["INC-2","logged","[INC-2] Locked out of my account","INC-2.2.0@example.com"]
["INC-2","replied","[INC-2] Locked out of my account","INC-2.32.0@example.com"]
["INC-2","resolved","[INC-2] Resolved: Locked out of my account","INC-2.33.0@example.com"]
["INC-2","closed","[INC-2] Closed: Locked out of my account","INC-2.34.0@example.com"]'
	# and the others: ten acknowledgements, ten assignments, the major incident
	assert_equal "$(jq -r .kind <<<"$output" | sort | uniq -c | awk '{ print $2, $1 }')" \
'assigned 10
closed 1
logged 10
major_declared 1
replied 1
resolved 1'
	assert_equal "$(jq -r .to <<<"$output" | sort | uniq -c | awk '{ print $2, $1 }' | tr '\n' ' ')" \
		"alice@example.com 3 ann@example.com 4 bob@example.com 3 cfo@example.com 1 chen@example.com 3 dana@example.com 1 eve@example.com 1 hr@example.com 1 joe@example.com 1 kim@example.com 1 li@example.com 1 maria@example.com 1 max@example.com 1 nagios@example.com 1 sam@example.com 1 "
	assert_equal "$(received)" 24
	all_rfc5322
	local f ids=
	for f in $(messages); do
		[ "$(field "$f" to)" = ann@example.com ] || continue
		assert_equal "$(field "$f" from)" "IT Service Desk <helpdesk@example.com>"
		assert_equal "$(field "$f" in-reply-to)" "<INC-2@example.com>"
		assert_equal "$(field "$f" references)" "<INC-2@example.com>"
		assert_equal "$(field "$f" auto-submitted)" "auto-generated"
		assert_equal "$(field "$f" x-inc-ref)" "INC-2"
		assert_equal "$(field "$f" date)" "Fri, 27 Nov 2026 10:00:00 +0000"
		[[ "$(field "$f" subject)" == "[INC-2] "* ]] || fail "$(field "$f" subject)"
		ids+="$(field "$f" message-id) "
	done
	assert_equal "$ids" "<INC-2.2.0@example.com> <INC-2.32.0@example.com> <INC-2.33.0@example.com> <INC-2.34.0@example.com> "
	# every Message-ID once, naming its incident
	assert_equal "$(for f in $(messages); do field "$f" message-id; done | sort | uniq -d)" ""
	for f in $(messages); do
		[[ "$(field "$f" message-id)" == "<INC-$(field "$f" x-inc-ref | tr -dc 0-9)."* ]] || fail "$f"
	done
	assert_equal "$(body "$(mail_to ann@example.com logged)")" 'Hello,

Your request has been logged as INC-2: "Locked out of my account".
We will come back to you; to add anything, reply to this mail and keep
INC-2 in the subject.

IT Service Desk'
	assert_equal "$(body "$(mail_to ann@example.com replied)" | head -n 1)" "A reset link is on its way by SMS."
	run body "$(mail_to ann@example.com resolved)"
	assert_line "password reset"
	assert_line "- Reply with CONFIRM as the first word to close the incident. You may add"
	assert_line '  a rating from 1 (poor) to 5 (excellent) after it, e.g. "CONFIRM 5";'
	assert_line "- Reply with anything else to reopen it: tell us what is still wrong."
	run body "$(mail_to ann@example.com closed)"
	assert_line 'INC-2, "Locked out of my account", is now closed. Thank you.'
}

@test "each message once: a second run sends nothing, the outbox holds them sent" {
	log_one '{"subject":"VPN down","requester":"joe@example.com"}' >/dev/null
	run --separate-stderr inc-notify </dev/null
	assert_success
	assert_output '{"id":1,"ref":"INC-1","seq":1,"kind":"logged","to":"joe@example.com","subject":"[INC-1] VPN down","message_id":"INC-1.1.0@example.com"}'
	run --separate-stderr inc-notify </dev/null
	assert_success
	assert_output ""
	assert_equal "$stderr" ""
	assert_equal "$(received)" 1
	assert_equal "$(dbq "SELECT id, seq, incident, kind, rcpt, message_id, subject, attempts, datetime(sent_at, 'unixepoch'), CASE WHEN last_error IS NULL THEN 1 ELSE 0 END FROM outbox ORDER BY id")" \
		"1|1|1|logged|joe@example.com|INC-1.1.0@example.com|[INC-1] VPN down|1|2026-11-27 10:00:00|1"
	assert_equal "$(dbq "SELECT name, seq FROM cursor")" "mail|1"
	# the stored message is what sendmail read, byte for byte
	db_write "$BATS_TEST_TMPDIR/stored" "SELECT message FROM outbox"
	cmp "$BATS_TEST_TMPDIR/stored" "$(messages)"
}

# ---- well-formed ----

@test "RFC 5322: a subject with a newline and Bcc: stays one harmless header; 8-bit text encoded" {
	printf '%s\n' '{"subject":"Printer\nBcc: evil@example.org","requester":"ann@example.com","description":"line 1\r\nBcc: x@example.org\u0007\u001b[31m"}' \
		'{"subject":"Drucker kaputt – Größe ü, „bitte“ \t tab","requester":"bob@example.com","description":"Grüße"}' \
		"{\"subject\":\"$(printf 'long %.0s' $(seq 400))\",\"requester\":\"chen@example.com\",\"description\":\"$(printf 'x%.0s' $(seq 2000))\"}" |
		inc-log | inc-assign --to alice --group service-desk >/dev/null
	run --separate-stderr inc-notify </dev/null
	assert_success
	assert_equal "$stderr" ""
	assert_equal "$(received)" 6
	all_rfc5322
	f=$(mail_to ann@example.com logged)
	assert_equal "$(field "$f" subject)" "[INC-1] Printer Bcc: evil@example.org"
	assert_equal "$(sed '/^$/q' "$f" | grep -ci '^bcc:')" 0
	assert_equal "$(sed '/^$/q' "$f" | grep -c '^To:')" 1
	assert_equal "$(body "$f" | head -n 1)" "Hello,"
	# the assignee's mail carries the description: in the body, its
	# control characters gone, CR LF a line end
	f=$(mail_to alice@example.com assigned | head -n 1)
	assert_equal "$(sed '/^$/q' "$f" | grep -ci '^bcc:')" 0
	assert_equal "$(body "$f" | sed -n 3,6p)" 'Printer
Bcc: evil@example.org
line 1
Bcc: x@example.org[31m'
	# RFC 2047: the non-ASCII subject decodes to what was logged
	f=$(mail_to bob@example.com logged)
	[[ "$(field "$f" subject)" == "[INC-2] Drucker kaputt =?"* ]] || fail "$(field "$f" subject)"
	assert_equal "$(field "$f" content-transfer-encoding)" "quoted-printable"
	# the long subject folded, every line within limits, still one To
	f=$(mail_to chen@example.com logged)
	assert [ "$(sed '/^$/q' "$f" | grep -c '^ ')" -gt 1 ]
}

@test "a requester field that is not one address gets no mail, and a warning" {
	printf '%s\n' '{"subject":"a list","requester":"a@example.com, b@example.org"}' \
		'{"subject":"an injection","requester":"a@example.com\nBcc: c@example.org"}' \
		'{"subject":"a name","requester":"Ann Example <ann@example.com>"}' \
		'{"subject":"a person","requester":"Joe"}' \
		'{"subject":"fine","requester":"joe@example.com"}' | inc-log >/dev/null
	run --separate-stderr inc-notify </dev/null
	assert_success
	assert_equal "$(jq -c '[.id, .to]' <<<"$output")" '[5,"joe@example.com"]'
	assert_equal "$stderr" 'inc-notify: INC-1: logged: "a@example.com, b@example.org": not one mail address, not mailed
inc-notify: INC-2: logged: "a@example.com\nBcc: c@example.org": not one mail address, not mailed
inc-notify: INC-3: logged: "Ann Example <ann@example.com>": not one mail address, not mailed'
	assert_equal "$(received)" 1
	assert_equal "$(dbq "SELECT rcpt FROM outbox ORDER BY id" | paste -sd,)" "joe@example.com"
	# the events are passed, not retried: the next run says nothing
	run --separate-stderr inc-notify </dev/null
	assert_success
	assert_output ""
	assert_equal "$stderr" ""
}

@test "never the desk's own address" {
	log_one '{"subject":"forwarded","requester":"helpdesk@example.com"}' >/dev/null
	log_one '{"subject":"forwarded","requester":"HelpDesk@Example.com"}' >/dev/null
	run --separate-stderr inc-notify </dev/null
	assert_success
	assert_output ""
	assert_equal "$stderr" ""
	assert_equal "$(received)" 0
}

# ---- who hears of what ----

@test "assigned: the assignee; a requester's reply: the assignee; a desk's reply: the requester" {
	log_one '{"subject":"VPN down","requester":"joe@example.com"}' >/dev/null
	inc-assign 1 >/dev/null
	inc-update 1 --as joe@example.com --reply "It is still down." >/dev/null
	inc-update 1 --as alice --reply "On it." >/dev/null
	inc-update 1 --as alice --note "internal: checking the concentrator" >/dev/null
	run --separate-stderr inc-notify </dev/null
	assert_success
	assert_equal "$(who)" 'logged joe@example.com
assigned alice@example.com
replied alice@example.com
replied joe@example.com'
	f=$(mail_to alice@example.com replied)
	assert_equal "$(field "$f" subject)" "[INC-1] joe@example.com replied: VPN down"
	assert_equal "$(body "$f" | sed -n 3p)" "It is still down."
	assert_equal "$(field "$(mail_to alice@example.com assigned)" subject)" "[INC-1] Assigned to you: VPN down"
	# an internal note mails nobody
	assert_equal "$(grep -l "checking the concentrator" "$M"/* | wc -l)" 0
}

@test "nobody assigned: the group's mailbox, else its manager" {
	desk '(.people[] | select(.role == "technician")).available = false
		| (.groups[] | select(.name == "service-desk")).email = "l1@example.com"'
	log_one '{"subject":"printer","requester":"joe@example.com"}' >/dev/null
	inc-assign 1 >/dev/null	# queued: nobody free
	inc-sla >/dev/null
	INC_NOW=2026-11-27T13:13:00Z inc-sla >/dev/null	# the response warning
	run --separate-stderr inc-notify </dev/null
	assert_success
	assert_equal "$(who)" 'logged joe@example.com
sla_warning l1@example.com'
	# without a mailbox, the manager
	desk '(.people[] | select(.role == "technician")).available = false'
	INC_NOW=2026-11-27T14:01:00Z inc-sla >/dev/null	# the response breach
	run --separate-stderr inc-notify </dev/null
	assert_success
	assert_equal "$(jq -c '[.kind, .to, .subject]' <<<"$output")" '["sla_breached","maria@example.com","[INC-1] SLA breached (response): printer"]'
}

@test "major_declared: every incident manager; escalations: the assignee and the rule's list" {
	desk '.people += [{"name":"ivy","email":"ivy@example.com","role":"incident_manager"}]'
	log_one '{"subject":"ERP down","requester":"cfo@example.com"}' >/dev/null
	inc-assign 1 --to alice --group service-desk >/dev/null
	inc-update 1 --major >/dev/null
	inc-sla >/dev/null
	run --separate-stderr inc-notify </dev/null	# cron's minute
	assert_success
	INC_NOW=2026-12-02T10:01:00Z inc-escalate 1 >/dev/null	# both warnings, the breach
	INC_NOW=2026-12-02T10:01:00Z run --separate-stderr inc-notify </dev/null
	assert_success
	assert_equal "$stderr" ""
	assert_equal "$(cat "$BATS_TEST_TMPDIR"/mail/* | grep -c '^X-Inc-Event: ')" 9
	assert_equal "$(who)" 'logged cfo@example.com
assigned alice@example.com
major_declared maria@example.com
major_declared ivy@example.com
notified alice@example.com
notified alice@example.com
notified maria@example.com
escalated dana@example.com
escalated omar@example.com'
	assert_equal "$(for f in $(messages); do field "$f" subject; done | sort -u)" '[INC-1] Assigned to you: ERP down
[INC-1] ERP down
[INC-1] Escalated (functional): ERP down
[INC-1] MAJOR INCIDENT: ERP down
[INC-1] SLA notice: ERP down'
	assert_equal "$(body "$(mail_to omar@example.com escalated)" | head -n 3)" 'INC-1 has been escalated (functional), to level 1.
Group: service-desk -> l2-infra
Why: resolve_breached: resolve due 2026-12-02T10:00:00Z'
	assert_equal "$(received)" 9
	all_rfc5322
	# the hierarchical escalation, 2h later: the group stays
	INC_NOW=2026-12-02T12:01:00Z inc-escalate 1 >/dev/null
	INC_NOW=2026-12-02T12:01:00Z run --separate-stderr inc-notify </dev/null
	assert_equal "$(jq -r '"\(.kind) \(.to)"' <<<"$output")" 'escalated dana@example.com
escalated maria@example.com
escalated ivy@example.com'
	assert_equal "$(body "$(mail_to maria@example.com escalated)" | head -n 2)" 'INC-1 has been escalated (hierarchical), to level 2.
Group: l2-infra -> l2-infra'
}

@test "resolved, closed, reopened: the requester; reopened: the assignee too" {
	log_one '{"subject":"VPN down","requester":"joe@example.com"}' >/dev/null
	inc-assign 1 --to bob --group service-desk >/dev/null
	inc-close 1 --as bob --resolution "restarted the tunnel" >/dev/null
	inc-close 1 --as joe@example.com --reopen --reason "still drops" >/dev/null
	inc-close 1 --as bob --resolution "new firmware" >/dev/null
	inc-close 1 --as joe@example.com --confirm >/dev/null
	run --separate-stderr inc-notify </dev/null
	assert_success
	assert_equal "$(who)" 'logged joe@example.com
assigned bob@example.com
resolved joe@example.com
reopened joe@example.com
reopened bob@example.com
resolved joe@example.com
closed joe@example.com'
	run body "$(mail_to bob@example.com reopened)"
	assert_line "INC-1, \"VPN down\", has been reopened by joe@example.com:"
	assert_line "still drops"
}

@test "notify config: silenced acknowledgements, a literal address, a person by name" {
	desk '.notify = {"on": {"logged": [], "assigned": ["assignee", "audit@example.org", "pat"]}}'
	log_one '{"subject":"VPN down","requester":"joe@example.com"}' >/dev/null
	inc-assign 1 --to alice --group service-desk >/dev/null
	inc-close 1 --as alice --resolution "done" >/dev/null
	run --separate-stderr inc-notify </dev/null
	assert_success
	assert_equal "$(jq -r '"\(.kind) \(.to) \(.message_id)"' <<<"$output")" 'assigned alice@example.com INC-1.2.0@example.com
assigned audit@example.org INC-1.2.1@example.com
assigned pat@example.com INC-1.2.2@example.com
resolved joe@example.com INC-1.3.0@example.com'
	all_rfc5322
}

@test "notify config: an unknown target or event is a config error, nothing done" {
	log_one '{"subject":"VPN down","requester":"joe@example.com"}' >/dev/null
	desk '.notify = {"on": {"logged": ["requester", "nobody"]}}'
	run --separate-stderr inc-notify </dev/null
	assert_failure 2
	assert_output ""
	assert_equal "$stderr" "inc-notify: $INC_CONFIG: notify.on.logged: notify[1]: \"nobody\" is no one (want requester, assignee, group, manager, incident_manager, a person or an address)"
	desk '.notify = {"on": {"loged": ["requester"]}}'
	run --separate-stderr inc-notify </dev/null
	assert_failure 2
	assert_equal "$stderr" "inc-notify: $INC_CONFIG: notify.on: unknown event \"loged\" (want logged, replied, requester_replied, resolved, closed, reopened, assigned, queued, classified, updated, sla_warning, sla_breached, escalated, notified or major_declared)"
	desk '.notify = {"on": {"logged": "requester"}}'
	run --separate-stderr inc-notify </dev/null
	assert_failure 2
	assert_equal "$stderr" "inc-notify: $INC_CONFIG: notify.on.logged: expected an array of strings"
	assert_equal "$(dbq "SELECT count(*) FROM outbox")" 0
	assert_equal "$(dbq "SELECT count(*) FROM cursor")" 0
	assert_equal "$(received)" 0
}

# ---- templates ----

@test "templates: one beside the config wins over the shipped one; default.txt for a kind without one" {
	mkdir "$BATS_TEST_TMPDIR/templates"
	printf 'Subject: We have it: {{subject}}\n\nDear {{requester}},\n{{ref}} ({{id}}) by {{actor}} at {{at}}, {{event.kind}},\n{{desk}} <{{desk_address}}>; [{{nonsense}}] {{ priority }} {{category}}\n' \
		>"$BATS_TEST_TMPDIR/templates/logged.txt"
	log_one '{"subject":"VPN down","requester":"joe@example.com","impact":"high","urgency":"high"}' >/dev/null
	run --separate-stderr inc-notify </dev/null
	assert_success
	f=$(messages)
	assert_equal "$(field "$f" subject)" "[INC-1] We have it: VPN down"
	assert_equal "$(body "$f")" 'Dear joe@example.com,
INC-1 (1) by root at 2026-11-27T10:00:00Z, logged,
IT Service Desk <helpdesk@example.com>; [] critical -'
	# a template without a Subject: line: the incident's subject
	printf 'Just this.\n' >"$BATS_TEST_TMPDIR/templates/logged.txt"
	log_one '{"subject":"second","requester":"joe@example.com"}' >/dev/null
	run --separate-stderr inc-notify </dev/null
	assert_equal "$(jq -r .subject <<<"$output")" "[INC-2] second"
	# a subject that names the incident already is not tagged twice
	printf 'Subject: About [INC-{{id}}]\n\nx\n' >"$BATS_TEST_TMPDIR/templates/logged.txt"
	log_one '{"subject":"third","requester":"joe@example.com"}' >/dev/null
	run --separate-stderr inc-notify </dev/null
	assert_equal "$(jq -r .subject <<<"$output")" "About [INC-3]"
	# ... unless another incident comes first: a reply must thread here
	log_one '{"subject":"[INC-1] again","requester":"joe@example.com"}' >/dev/null
	printf 'Subject: {{subject}} [INC-{{id}}]\n\nx\n' >"$BATS_TEST_TMPDIR/templates/logged.txt"
	run --separate-stderr inc-notify </dev/null
	assert_equal "$(jq -r .subject <<<"$output")" "[INC-4] [INC-1] again [INC-4]"
	# notify.templates, relative to the config's folder, comes first
	mkdir "$BATS_TEST_TMPDIR/mine"
	printf 'Subject: mine\n\nmine\n' >"$BATS_TEST_TMPDIR/mine/logged.txt"
	desk '.notify = {"templates": "mine"}'
	log_one '{"subject":"fifth","requester":"joe@example.com"}' >/dev/null
	run --separate-stderr inc-notify </dev/null
	assert_equal "$(jq -r .subject <<<"$output")" "[INC-5] mine"
	# a kind without a template of its own: default.txt
	desk '.notify = {"on": {"classified": ["requester"]}}'
	log_one '{"subject":"VPN down","requester":"joe@example.com"}' >/dev/null
	inc-classify 6 >/dev/null
	run --separate-stderr inc-notify </dev/null
	assert_success
	assert_equal "$(jq -c 'select(.kind == "classified") | .subject' <<<"$output")" '"[INC-6] VPN down"'
	f=$(for g in $(messages); do [ "$(field "$g" x-inc-event)" = classified ] && echo "$g"; done)
	assert_equal "$(body "$f" | head -n 1)" "INC-6: classified by root at 2026-11-27T10:00:00Z."
}

@test "templates: beside a config named without a folder (-c config.json)" {
	mkdir "$BATS_TEST_TMPDIR/templates"
	printf 'Subject: custom\n\nmine\n' >"$BATS_TEST_TMPDIR/templates/logged.txt"
	log_one '{"subject":"VPN down","requester":"joe@example.com"}' >/dev/null
	cd "$BATS_TEST_TMPDIR"
	INC_CONFIG='' run --separate-stderr inc-notify -c edited.json </dev/null
	assert_success
	assert_equal "$(jq -r .subject <<<"$output")" "[INC-1] custom"
}

@test "a template that cannot be read stops the run at its event, which waits there" {
	mkdir -p "$BATS_TEST_TMPDIR/templates/logged.txt"	# a folder: unreadable
	log_one '{"subject":"VPN down","requester":"joe@example.com"}' >/dev/null
	log_one '{"subject":"Printer","requester":"ann@example.com"}' >/dev/null
	run --separate-stderr inc-notify </dev/null
	assert_failure 1
	assert_output ""
	assert_equal "$stderr" "inc-notify: event 1 (INC-1 logged): $BATS_TEST_TMPDIR/templates/logged.txt: Is a directory"
	assert_equal "$(dbq "SELECT count(*) FROM outbox")" 0
	assert_equal "$(dbq "SELECT count(*) FROM cursor")" 0
	rmdir "$BATS_TEST_TMPDIR/templates/logged.txt"
	# one that is not UTF-8 (Latin-1): refused too, not sent garbled
	printf 'Subject: Gr\374\337e\n\nK\366ln\n' >"$BATS_TEST_TMPDIR/templates/logged.txt"
	run --separate-stderr inc-notify </dev/null
	assert_failure 1
	assert_output ""
	assert_equal "$stderr" "inc-notify: event 1 (INC-1 logged): $BATS_TEST_TMPDIR/templates/logged.txt: not UTF-8 text"
	assert_equal "$(received)" 0
	rm "$BATS_TEST_TMPDIR/templates/logged.txt"
	run --separate-stderr inc-notify </dev/null
	assert_success
	assert_equal "$(jq -r .message_id <<<"$output")" 'INC-1.1.0@example.com
INC-2.2.0@example.com'
}

# ---- delivery ----

@test "a sendmail that fails, then recovers: kept with its error, sent once on the next run" {
	log_one '{"subject":"VPN down","requester":"joe@example.com"}' >/dev/null
	log_one '{"subject":"Printer","requester":"ann@example.com"}' >/dev/null
	touch "$M.fail"
	run --separate-stderr inc-notify </dev/null
	assert_failure 1
	assert_output ""
	assert_equal "$stderr" "sendmail: try again later
inc-notify: INC-1.1.0@example.com: to joe@example.com: $SENDMAIL -t -i: exit status 75
sendmail: try again later
inc-notify: INC-2.2.0@example.com: to ann@example.com: $SENDMAIL -t -i: exit status 75"
	assert_equal "$(received)" 0
	assert_equal "$(dbq "SELECT count(*) FROM outbox WHERE sent_at IS NOT NULL")" 0
	run --separate-stderr inc-notify --list </dev/null
	assert_success
	assert_equal "$stderr" ""
	assert_output "{\"outbox\":1,\"seq\":1,\"id\":1,\"kind\":\"logged\",\"to\":\"joe@example.com\",\"message_id\":\"INC-1.1.0@example.com\",\"subject\":\"[INC-1] VPN down\",\"queued_at\":\"2026-11-27T10:00:00Z\",\"attempts\":1,\"last_error\":\"$SENDMAIL -t -i: exit status 75\"}
{\"outbox\":2,\"seq\":2,\"id\":2,\"kind\":\"logged\",\"to\":\"ann@example.com\",\"message_id\":\"INC-2.2.0@example.com\",\"subject\":\"[INC-2] Printer\",\"queued_at\":\"2026-11-27T10:00:00Z\",\"attempts\":1,\"last_error\":\"$SENDMAIL -t -i: exit status 75\"}"
	# still down: attempts 2, and a new event queued meanwhile waits too
	log_one '{"subject":"third","requester":"li@example.com"}' >/dev/null
	run --separate-stderr inc-notify </dev/null
	assert_failure 1
	assert_equal "$(inc-notify --list </dev/null | jq -c '[.message_id, .attempts]')" '["INC-1.1.0@example.com",2]
["INC-2.2.0@example.com",2]
["INC-3.3.0@example.com",1]'
	rm "$M.fail"
	INC_NOW=2026-11-27T10:05:00Z run --separate-stderr inc-notify </dev/null
	assert_success
	assert_equal "$stderr" ""
	assert_equal "$(jq -r .message_id <<<"$output")" 'INC-1.1.0@example.com
INC-2.2.0@example.com
INC-3.3.0@example.com'
	assert_equal "$(received)" 3
	run --separate-stderr inc-notify --list </dev/null
	assert_success
	assert_output ""
	run --separate-stderr inc-notify </dev/null
	assert_success
	assert_output ""
	assert_equal "$(received)" 3
	assert_equal "$(dbq "SELECT message_id, attempts, datetime(sent_at, 'unixepoch'), last_error FROM outbox ORDER BY id")" \
'INC-1.1.0@example.com|3|2026-11-27 10:05:00|
INC-2.2.0@example.com|3|2026-11-27 10:05:00|
INC-3.3.0@example.com|2|2026-11-27 10:05:00|'
	# one of each: exactly once after recovery
	assert_equal "$(for f in $(messages); do field "$f" message-id; done)" '<INC-1.1.0@example.com>
<INC-2.2.0@example.com>
<INC-3.3.0@example.com>'
}

@test "a sendmail that cannot be run, or dies: kept, exit 1" {
	desk '.mail.sendmail = "/nonexistent/sendmail -t -i"'
	log_one '{"subject":"VPN down","requester":"joe@example.com"}' >/dev/null
	run --separate-stderr inc-notify </dev/null
	assert_failure 1
	assert_equal "${stderr##*$'\n'}" "inc-notify: INC-1.1.0@example.com: to joe@example.com: /nonexistent/sendmail -t -i: exit status 127"
	desk '.mail.sendmail = "kill -9 $$"'
	run --separate-stderr inc-notify </dev/null
	assert_failure 1
	assert_equal "$stderr" 'inc-notify: INC-1.1.0@example.com: to joe@example.com: kill -9 $$: killed by signal 9'
	assert_equal "$(inc-notify --list </dev/null | jq .attempts)" 2
}

@test "--queue-only, then --send-only; another --consumer queues nothing twice" {
	log_one '{"subject":"VPN down","requester":"joe@example.com"}' >/dev/null
	run --separate-stderr inc-notify --queue-only </dev/null
	assert_success
	assert_output ""
	assert_equal "$(received)" 0
	assert_equal "$(inc-notify --list </dev/null | jq -c '[.message_id, .attempts, .last_error]')" '["INC-1.1.0@example.com",0,null]'
	# a second consumer makes the same messages: no new row
	run --separate-stderr inc-notify --consumer audit --queue-only </dev/null
	assert_success
	assert_equal "$(dbq "SELECT name || '=' || seq FROM cursor ORDER BY name")" 'audit=1
mail=1'
	assert_equal "$(dbq "SELECT count(*) FROM outbox")" 1
	log_one '{"subject":"second","requester":"ann@example.com"}' >/dev/null
	run --separate-stderr inc-notify --send-only </dev/null
	assert_success
	assert_equal "$(jq -r .message_id <<<"$output")" "INC-1.1.0@example.com"
	assert_equal "$(dbq "SELECT count(*) FROM outbox")" 1
	assert_equal "$(received)" 1
}

@test "killed while sendmail reads: sendmail still gets the whole message; the next run sends it again" {
	# a message larger than a pipe holds (the assignee's, with the
	# description; no acknowledgement first); a sendmail that says it
	# started, then waits before reading
	desk '.notify.on.logged = [] | .mail.sendmail = "touch '"$BATS_TEST_TMPDIR"'/started; sleep 1; '"$SENDMAIL"' -t -i && touch '"$BATS_TEST_TMPDIR"'/done"'
	log_one "{\"subject\":\"big\",\"requester\":\"joe@example.com\",\"description\":\"$(head -c 150000 /dev/zero | tr '\0' 'x' | fold -w 70 | tr '\n' ' ')\"}" >/dev/null
	inc-assign 1 --to alice --group service-desk >/dev/null
	inc-notify --queue-only </dev/null
	inc-notify --send-only </dev/null >/dev/null &
	pid=$!
	for _ in $(seq 600); do [ -e "$BATS_TEST_TMPDIR/started" ] && break; sleep 0.05; done
	kill -9 "$pid"
	wait "$pid" || true
	# the orphaned sendmail finishes
	for _ in $(seq 600); do [ -e "$BATS_TEST_TMPDIR/done" ] && break; sleep 0.05; done
	assert_equal "$(received)" 1
	db_write "$BATS_TEST_TMPDIR/stored" "SELECT message FROM outbox WHERE id = 1"
	assert [ "$(stat -c %s "$BATS_TEST_TMPDIR/stored")" -gt 150000 ]
	cmp "$BATS_TEST_TMPDIR/stored" "$(messages)"
	# not marked: the next run sends it again, the same message (at least once)
	assert_equal "$(inc-notify --list </dev/null | jq -c '[.message_id, .attempts]')" '["INC-1.2.0@example.com",0]'
	desk
	run --separate-stderr inc-notify </dev/null
	assert_success
	assert_equal "$(received)" 2
	assert_equal "$(for f in "$M"/*; do field "$f" message-id; done | sort | uniq -c | awk '{ print $1, $2 }')" '2 <INC-1.2.0@example.com>'
	all_rfc5322
}

@test "two runs at once: each message goes to sendmail once" {
	desk '.mail.sendmail = "sleep 0.2; '"$SENDMAIL"' -t -i"'
	for i in 1 2 3 4 5; do
		log_one "{\"subject\":\"incident $i\",\"requester\":\"user$i@example.com\"}" >/dev/null
	done
	inc-notify --queue-only </dev/null
	inc-notify </dev/null >"$BATS_TEST_TMPDIR/out1" &
	a=$!
	inc-notify </dev/null >"$BATS_TEST_TMPDIR/out2" &
	b=$!
	inc-notify </dev/null >"$BATS_TEST_TMPDIR/out3"
	wait "$a"
	wait "$b"
	assert_equal "$(received)" 5
	assert_equal "$(cat "$BATS_TEST_TMPDIR"/out[123] | jq -r .message_id | sort)" 'INC-1.1.0@example.com
INC-2.2.0@example.com
INC-3.3.0@example.com
INC-4.4.0@example.com
INC-5.5.0@example.com'
	assert_equal "$(dbq "SELECT count(*) FROM outbox WHERE sent_at IS NOT NULL AND attempts = 1")" 5
}

# ---- the command line ----

@test "--list: the unsent outbox, oldest first; nothing when all is sent" {
	run --separate-stderr inc-notify --list </dev/null
	assert_success
	assert_output ""
	log_one '{"subject":"VPN down","requester":"joe@example.com"}' >/dev/null
	inc-assign 1 --to alice --group service-desk >/dev/null
	inc-notify --queue-only </dev/null
	run --separate-stderr inc-notify --list </dev/null
	assert_success
	assert_equal "$stderr" ""
	assert_output '{"outbox":1,"seq":1,"id":1,"kind":"logged","to":"joe@example.com","message_id":"INC-1.1.0@example.com","subject":"[INC-1] VPN down","queued_at":"2026-11-27T10:00:00Z","attempts":0,"last_error":null}
{"outbox":2,"seq":2,"id":1,"kind":"assigned","to":"alice@example.com","message_id":"INC-1.2.0@example.com","subject":"[INC-1] Assigned to you: VPN down","queued_at":"2026-11-27T10:00:00Z","attempts":0,"last_error":null}'
	# --list moves nothing
	assert_equal "$(received)" 0
	assert_equal "$(inc-notify --list </dev/null | wc -l)" 2
}

@test "usage errors: exit 2, nothing done" {
	log_one '{"subject":"VPN down","requester":"joe@example.com"}' >/dev/null
	local usage="usage: inc-notify [-d DB] [-c CONFIG] [--now TIME] [--as USER] [--consumer NAME] [--queue-only | --send-only | --list]"
	for args in "1" "--queue-only --send-only" "--list --send-only" "--queue-only --list" "--bogus" "--consumer"; do
		# shellcheck disable=SC2086
		run --separate-stderr inc-notify $args </dev/null
		assert_failure 2
		assert_output ""
		[[ "$stderr" == *"$usage" ]] || fail "inc-notify $args: $stderr"
	done
	run --separate-stderr inc-notify --consumer "" </dev/null
	assert_failure 2
	assert_equal "$stderr" "inc-notify: --consumer: expected a name"
	run --separate-stderr inc-notify --help
	assert_success
	assert_output "$usage"
	assert_equal "$(dbq "SELECT count(*) FROM outbox")" 0
	assert_equal "$(dbq "SELECT count(*) FROM cursor")" 0
	assert_equal "$(received)" 0
}

@test "stdin is never read: a terminal or a pipe that never ends does not hold it" {
	log_one '{"subject":"VPN down","requester":"joe@example.com"}' >/dev/null
	mkfifo "$BATS_TEST_TMPDIR/fifo"
	exec 7<>"$BATS_TEST_TMPDIR/fifo"	# open, never written: no end
	run --separate-stderr timeout 60 inc-notify <&7
	exec 7>&-
	assert_success
	assert_equal "$(jq -r .message_id <<<"$output")" "INC-1.1.0@example.com"
	# what stdin held is left there
	run bash -c 'printf "x\n" | { inc-notify >/dev/null; cat; }'
	assert_output "x"
}

@test "a desk at an IDN domain: Message-IDs in ASCII" {
	desk '.mail.address = "hilfe@bücher.example"'
	log_one '{"subject":"VPN down","requester":"joe@example.com"}' >/dev/null
	run --separate-stderr inc-notify </dev/null
	assert_success
	assert_equal "$(jq -r .message_id <<<"$output")" "INC-1.1.0@xn--bcher-kva.example"
	f=$(messages)
	assert_equal "$(field "$f" in-reply-to)" "<INC-1@xn--bcher-kva.example>"
	assert_equal "$(field "$f" from)" "IT Service Desk <hilfe@xn--bcher-kva.example>"
	rfc5322 "$f"
}

@test "without a mail section: sendmail -t -i from PATH, From inc@localhost" {
	edit_config '.'
	mkdir "$BATS_TEST_TMPDIR/path"
	ln -s "$SENDMAIL" "$BATS_TEST_TMPDIR/path/sendmail"
	log_one '{"subject":"VPN down","requester":"joe@example.com"}' >/dev/null
	PATH="$BATS_TEST_TMPDIR/path:$PATH" run --separate-stderr inc-notify </dev/null
	assert_success
	assert_equal "$(jq -r .message_id <<<"$output")" "INC-1.1.0@localhost"
	f=$(messages)
	assert_equal "$(field "$f" from)" "inc@localhost"
	assert_equal "$(field "$f" in-reply-to)" "<INC-1@localhost>"
}
