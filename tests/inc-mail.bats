#!/usr/bin/env bats
# inc-mail: messages of every shape become incidents; replies are threaded
# (by subject tag and by headers of mail inc-notify really sent) into public
# replies, confirmations, reopenings and notes; attachments by content hash;
# robots, loops and unwanted senders dropped; redelivery changes nothing;
# the MTA's exit statuses; maildir and mbox. Every message is built here.
load test_helper

local_setup() {
	# a sendmail that keeps what inc-notify sends, one message after another
	printf '#!/bin/sh\n{ cat; echo; } >>"%s/sent"\n' "$BATS_TEST_TMPDIR" >"$BATS_TEST_TMPDIR/sendmail"
	chmod +x "$BATS_TEST_TMPDIR/sendmail"
	mail_config '.'
}

# The shipped config with the desk's mail set up, then edited by a jq filter.
mail_config() {
	edit_config '.mail = {"address":"helpdesk@example.com","name":"IT Service Desk",
		"sendmail":"'"$BATS_TEST_TMPDIR"'/sendmail -t -i"} | '"$1"
}

# A message from a heredoc into $BATS_TEST_TMPDIR/NAME.eml; crlf NAME
# turns its line ends into CRLF.
msg() {
	cat >"$BATS_TEST_TMPDIR/$1.eml"
}
crlf() {
	sed 's/$/\r/' "$BATS_TEST_TMPDIR/$1.eml" >"$BATS_TEST_TMPDIR/$1.tmp"
	mv "$BATS_TEST_TMPDIR/$1.tmp" "$BATS_TEST_TMPDIR/$1.eml"
}

# The gateway as the MTA runs it, on message NAME.
deliver() {
	inc-mail --as mail <"$BATS_TEST_TMPDIR/$1.eml"
}

count() {
	dbq "SELECT count(*) FROM ${1:-incident}"
}

# A first message from joe: INC-1.
joe_reports() {
	msg first <<'EOF'
From: Joe Bloggs <joe@example.com>
To: helpdesk@example.com
Subject: VPN drops every 5 minutes
Date: Fri, 27 Nov 2026 09:55:00 +0000
Message-ID: <first@mail.example.com>

Since this morning the VPN drops every 5 minutes.
EOF
	deliver first >/dev/null
}

# The Message-ID of the last mail inc-notify sent.
last_sent_id() {
	grep '^Message-ID: ' "$BATS_TEST_TMPDIR/sent" | tail -n 1 | sed 's/^Message-ID: //'
}

# ---- new incidents ----

@test "a plain message: an incident with subject, requester, description, source, external_id" {
	joe_reports
	run --separate-stderr deliver first
	assert_success
	msg second <<'EOF'
From: Ann <ann@example.com>
To: helpdesk@example.com
Subject: Printer on floor 2 jams
Message-ID: <p2@mail.example.com>

Every second page jams.
-- 
Ann, floor 2
EOF
	run --separate-stderr deliver second
	assert_success
	assert_equal "$stderr" ""
	assert_equal "$(jq -c '[.id, .subject, .requester, .description, .source, .external_id, .attachments, .status, .event]' <<<"$output")" \
		'[2,"Printer on floor 2 jams","ann@example.com","Every second page jams.\n--\nAnn, floor 2","email","<p2@mail.example.com>",[],"new",{"kind":"logged"}]'
	run --separate-stderr sh -c 'inc-show 2 --history | jq -c ".history[] | [.actor, .tool, .action, .to]"'
	assert_output '["ann@example.com","inc-mail","logged","Printer on floor 2 jams"]'
	assert_equal "$(dbq "SELECT actor || ' ' || kind FROM event WHERE incident = 2")" "ann@example.com logged"
}

@test "Latin-1 quoted-printable, CRLF line ends: converted to UTF-8" {
	msg latin1 <<'EOF'
From: =?ISO-8859-1?Q?Ren=E9_Fran=E7ois?= <rene@example.fr>
Subject: =?ISO-8859-1?Q?Imprimante_bloqu=E9e?=
Message-ID: <l1@example.fr>
MIME-Version: 1.0
Content-Type: text/plain; charset=ISO-8859-1
Content-Transfer-Encoding: quoted-printable

L'imprimante du 3=E8me =E9tage affiche =AB erreur =BB depuis ce mat=
in.
EOF
	crlf latin1
	run --separate-stderr deliver latin1
	assert_success
	assert_equal "$stderr" ""
	assert_equal "$(jq -c '[.subject, .requester, .description]' <<<"$output")" \
		"[\"Imprimante bloquée\",\"rene@example.fr\",\"L'imprimante du 3ème étage affiche « erreur » depuis ce matin.\"]"
}

@test "base64 UTF-8 body and an encoded-word subject" {
	body=$(printf 'Grüße aus München – der Drucker streikt.\n' | base64 -w 0)
	msg b64 <<EOF
From: Jörg <joerg@example.de>
Subject: =?UTF-8?B?$(printf 'Drucker in München' | base64 -w 0)?= =?UTF-8?Q?_=E2=80=93_dringend?=
Message-ID: <b64@example.de>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: base64

$body
EOF
	run --separate-stderr deliver b64
	assert_success
	assert_equal "$(jq -c '[.subject, .description]' <<<"$output")" \
		'["Drucker in München – dringend","Grüße aus München – der Drucker streikt."]'
}

@test "multipart/alternative: the text/plain part" {
	msg alt <<'EOF'
From: ann@example.com
Subject: Outlook crashes
Message-ID: <alt@example.com>
MIME-Version: 1.0
Content-Type: multipart/alternative; boundary="xyz"

--xyz
Content-Type: text/plain; charset=utf-8

Outlook crashes when I open the calendar.
--xyz
Content-Type: text/html; charset=utf-8

<p>Outlook <b>crashes</b> when I open the calendar.</p>
--xyz--
EOF
	run --separate-stderr deliver alt
	assert_success
	assert_equal "$(jq -c '[.description, .attachments]' <<<"$output")" '["Outlook crashes when I open the calendar.",[]]'
}

@test "HTML only: converted to readable text" {
	msg html <<'EOF'
From: Ann <ann@example.com>
Subject: Portal down
Message-ID: <html@example.com>
MIME-Version: 1.0
Content-Type: text/html; charset=utf-8

<html><head><style>p {color: red}</style></head><body>
<p>Hello <b>desk</b>,</p><ul><li>the portal is down</li><li>since 9:00</li></ul>
<p>See <a href="https://portal.example.com/">the portal</a>&nbsp;&amp; retry.</p>
</body></html>
EOF
	run --separate-stderr deliver html
	assert_success
	assert_equal "$(jq -r .description <<<"$output")" "$(printf 'Hello desk,\n\n- the portal is down\n- since 9:00\n\nSee the portal <https://portal.example.com/> & retry.')"
}

@test "a forwarded message/rfc822: its text in the description, the message kept as .eml" {
	msg fwd <<'EOF'
From: Ann <ann@example.com>
Subject: Fwd: Disk almost full
Message-ID: <fwd@example.com>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="outer"

--outer
Content-Type: text/plain; charset=utf-8

See below.
--outer
Content-Type: message/rfc822

From: monitor@example.com
Subject: Disk almost full
Date: Fri, 27 Nov 2026 08:00:00 +0000

/var is 95% full on db1.
--outer--
EOF
	run --separate-stderr deliver fwd
	assert_success
	assert_equal "$(jq -r .description <<<"$output")" "$(printf 'See below.\n\n---------- Forwarded message ----------\nFrom: monitor@example.com\nDate: Fri, 27 Nov 2026 08:00:00 +0000\nSubject: Disk almost full\n\n/var is 95%% full on db1.')"
	assert_equal "$(jq -c '.attachments | map([.name, .type])' <<<"$output")" '[["Disk almost full.eml","message/rfc822"]]'
	sha=$(jq -r '.attachments[0].sha256' <<<"$output")
	[ -f "$(attachments_dir)/${sha:0:2}/$sha" ]
}

@test "no subject: \"(no subject)\"; an empty body: no description" {
	msg empty <<'EOF'
From: ann@example.com
Message-ID: <empty@example.com>

EOF
	run --separate-stderr deliver empty
	assert_success
	assert_equal "$(jq -c '[.subject, .description]' <<<"$output")" '["(no subject)",null]'
}

@test "inc-mail | inc-classify | inc-assign: the usual pipeline follows" {
	msg vpn <<'EOF'
From: joe@example.com
Subject: VPN tunnel fails
Message-ID: <vpn@example.com>

The VPN tunnel does not come up.
EOF
	run --separate-stderr sh -c 'inc-mail --as mail <"$1" | inc-classify | inc-assign' - "$BATS_TEST_TMPDIR/vpn.eml"
	assert_success
	assert_equal "$stderr" ""
	assert_equal "$(jq -c '[.category, .group, .status, .source]' <<<"$output")" '["network","l2-infra","assigned","email"]'
}

# ---- attachments ----

@test "a 10 MB attachment: stored once by its SHA-256, listed in the record and the history" {
	yes 'a line of the server log, again and again' | head -c 10485760 >"$BATS_TEST_TMPDIR/server.log"
	sha=$(sha256sum "$BATS_TEST_TMPDIR/server.log" | cut -d' ' -f1)
	for n in 1 2; do
		msg "big$n" <<EOF
From: Joe <joe@example.com>
Subject: Server log $n
Message-ID: <big$n@example.com>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="b1"

--b1
Content-Type: text/plain; charset=utf-8

The log is attached.
--b1
Content-Type: text/plain; name="server.log"
Content-Disposition: attachment; filename="server.log"
Content-Transfer-Encoding: base64

$(base64 -w 76 "$BATS_TEST_TMPDIR/server.log")
--b1--
EOF
	done
	run --separate-stderr deliver big1
	assert_success
	assert_equal "$stderr" ""
	assert_equal "$(jq -c .attachments <<<"$output")" "[{\"name\":\"server.log\",\"type\":\"text/plain\",\"size\":10485760,\"sha256\":\"$sha\"}]"
	assert_equal "$(jq -r .description <<<"$output")" "The log is attached."
	file="$(attachments_dir)/${sha:0:2}/$sha"
	assert_equal "$(stat -c %s "$file")" 10485760
	assert_equal "$(sha256sum "$file" | cut -d' ' -f1)" "$sha"
	assert_equal "$(stat -c %a "$file")" 600
	assert_equal "$(stat -c %a "$(attachments_dir)")" 700
	run --separate-stderr sh -c 'inc-show 1 --history | jq -r ".history[] | select(.field == \"attachments\") | .to | fromjson | .[0].sha256"'
	assert_output "$sha"
	# the same file in another message: one copy
	run --separate-stderr deliver big2
	assert_success
	assert_equal "$(jq -r '.attachments[0].sha256' <<<"$output")" "$sha"
	assert_equal "$(find "$(attachments_dir)" -type f | wc -l)" 1
}

@test "an attachment over mail.max_attachment: not kept, said on stderr and in the history" {
	mail_config '.mail.max_attachment = "1K"'
	msg att <<EOF
From: joe@example.com
Subject: Screenshots
Message-ID: <att@example.com>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="b"

--b
Content-Type: text/plain

Two screenshots.
--b
Content-Type: image/png
Content-Disposition: attachment; filename="small.png"
Content-Transfer-Encoding: base64

$(head -c 100 /dev/zero | base64)
--b
Content-Type: image/png
Content-Disposition: attachment; filename="large.png"
Content-Transfer-Encoding: base64

$(head -c 2000 /dev/zero | base64)
--b--
EOF
	run --separate-stderr deliver att
	assert_success
	assert_equal "$stderr" 'inc-mail: <att@example.com>: INC-1: attachment "large.png" (2000 bytes) not kept: larger than mail.max_attachment (1024 bytes)'
	assert_equal "$(jq -c '.attachments | map([.name, .size])' <<<"$output")" '[["small.png",100]]'
	run --separate-stderr sh -c 'inc-show 1 --history | jq -r ".history[] | select(.action == \"note\") | .to"'
	assert_output 'attachment "large.png" (2000 bytes) not kept: larger than mail.max_attachment (1024 bytes)'
}

# ---- what is dropped ----

@test "an auto-reply is dropped: exit 0, one line on stderr, nothing written" {
	joe_reports
	for h in 'Auto-Submitted: auto-replied' 'X-Autoreply: yes' 'Precedence: bulk' 'Precedence: junk'; do
		msg auto <<EOF
From: joe@example.com
Subject: Out of office: [INC-1] VPN drops every 5 minutes
Message-ID: <ooo@example.com>
$h

I am out of the office until Monday.
EOF
		run --separate-stderr deliver auto
		assert_success
		assert_output ""
		assert_equal "$stderr" "inc-mail: <ooo@example.com>: dropped: auto-reply"
	done
	assert_equal "$(count audit)" 1
}

@test "a bounce is dropped: null sender, mailer-daemon" {
	msg bounce <<'EOF'
Return-Path: <>
From: Mail Delivery System <MAILER-DAEMON@mx.example.com>
Subject: Undelivered Mail Returned to Sender
Message-ID: <bounce@mx.example.com>

This is the mail system at host mx.example.com.
EOF
	run --separate-stderr deliver bounce
	assert_success
	assert_output ""
	assert_equal "$stderr" "inc-mail: <bounce@mx.example.com>: dropped: bounce"
	msg daemon <<'EOF'
From: mailer-daemon@mx.example.com
Subject: failure notice
Message-ID: <daemon@mx.example.com>

Sorry.
EOF
	run --separate-stderr deliver daemon
	assert_success
	assert_equal "$stderr" "inc-mail: <daemon@mx.example.com>: dropped: bounce"
	assert_equal "$(count)" 0
}

@test "a mailing list message is dropped" {
	msg list <<'EOF'
From: announce@lists.example.com
Subject: Newsletter
Message-ID: <news@lists.example.com>
List-Id: <announce.lists.example.com>
Precedence: list

News.
EOF
	run --separate-stderr deliver list
	assert_success
	assert_equal "$stderr" "inc-mail: <news@lists.example.com>: dropped: mailing list"
	assert_equal "$(count)" 0
}

@test "a mail loop: inc-notify's own message fed back is dropped, and so is mail From the desk" {
	joe_reports
	inc-notify >/dev/null
	id=$(last_sent_id)
	assert_equal "$id" "<INC-1.1.0@example.com>"
	run --separate-stderr inc-mail --as mail <"$BATS_TEST_TMPDIR/sent"
	assert_success
	assert_output ""
	assert_equal "$stderr" "inc-mail: $id: dropped: from the desk's own address (a mail loop)"
	msg desk <<'EOF'
From: IT Service Desk <HelpDesk@example.com>
Subject: hello
Message-ID: <desk@example.com>

A person writing from the desk's address.
EOF
	run --separate-stderr deliver desk
	assert_success
	assert_equal "$stderr" "inc-mail: <desk@example.com>: dropped: from the desk's own address (a mail loop)"
	# a relay that rewrote the From keeps inc-notify's Message-ID
	sed -e 's/^From: .*/From: relay@example.net/' -e '/^Auto-Submitted/d' \
		"$BATS_TEST_TMPDIR/sent" >"$BATS_TEST_TMPDIR/relayed.eml"
	run --separate-stderr deliver relayed
	assert_success
	assert_equal "$stderr" "inc-mail: $id: dropped: the desk's own message (a mail loop)"
	assert_equal "$(count)" 1
	assert_equal "$(count audit)" 1
}

@test "sender domains: mail.deny keeps out, mail.allow lets in only its own (and subdomains)" {
	mail_config '.mail.allow = ["example.com"] | .mail.deny = ["spam.example.com"]'
	for from in ann@example.com bob@it.example.com eve@example.org mallory@spam.example.com; do
		msg "m-${from%@*}" <<EOF
From: $from
Subject: hello from $from
Message-ID: <${from%@*}@x>

Hi.
EOF
	done
	run --separate-stderr deliver m-ann
	assert_success
	assert_equal "$(jq -r .requester <<<"$output")" ann@example.com
	run --separate-stderr deliver m-bob
	assert_success
	assert_equal "$(jq -r .requester <<<"$output")" bob@it.example.com
	run --separate-stderr deliver m-eve
	assert_success
	assert_output ""
	assert_equal "$stderr" "inc-mail: <eve@x>: dropped: sender domain example.org is not in mail.allow"
	run --separate-stderr deliver m-mallory
	assert_success
	assert_output ""
	assert_equal "$stderr" "inc-mail: <mallory@x>: dropped: sender domain spam.example.com is in mail.deny"
	assert_equal "$(count)" 2
}

@test "a message over mail.max_size is dropped, its pipe read to the end" {
	mail_config '.mail.max_size = "2K"'
	{
		printf 'From: joe@example.com\nSubject: huge\nMessage-ID: <huge@example.com>\n\n'
		head -c 300000 /dev/zero | tr '\0' 'x' | fold -w 70
	} >"$BATS_TEST_TMPDIR/huge.eml"
	size=$(stat -c %s "$BATS_TEST_TMPDIR/huge.eml")
	run --separate-stderr deliver huge
	assert_success
	assert_output ""
	assert_equal "$stderr" "inc-mail: <huge@example.com>: dropped: larger than mail.max_size (2048 bytes): $size bytes"
	assert_equal "$(count)" 0
}

@test "a text over 16 MiB, the most a field holds: the description cut there, and said" {
	mail_config '.mail.max_size = "20M"'
	{
		printf 'From: joe@example.com\nSubject: long log\nMessage-ID: <long@example.com>\n\n'
		yes 'the same log line, over and over again' | head -c 17000000
	} >"$BATS_TEST_TMPDIR/long.eml"
	run --separate-stderr deliver long
	assert_success
	assert_equal "$stderr" "inc-mail: <long@example.com>: INC-1: description cut at 16 MiB"
	assert_equal "$(jq -r '.description | utf8bytelength' <<<"$output")" 16777216
	assert_equal "$(inc-show 1 --history | jq -r '.history[] | select(.action == "note") | .to')" \
		"description cut at 16 MiB"
}

@test "no From address: dropped" {
	msg nofrom <<'EOF'
Subject: who am I
Message-ID: <nofrom@example.com>

Nobody.
EOF
	run --separate-stderr deliver nofrom
	assert_success
	assert_equal "$stderr" "inc-mail: <nofrom@example.com>: dropped: no From address"
}

@test "a malformed message: exit 65 (EX_DATAERR), nothing written" {
	inc-log -s x >/dev/null
	printf 'this is not a mail message\n\x00\x01 at all\n' >"$BATS_TEST_TMPDIR/junk.eml"
	run --separate-stderr deliver junk
	assert_failure 65
	assert_output ""
	assert_equal "$stderr" "inc-mail: (no Message-ID): not a mail message: no header found"
	: >"$BATS_TEST_TMPDIR/nothing.eml"
	run --separate-stderr deliver nothing
	assert_failure 65
	assert_equal "$(count)" 1
}

# ---- replies ----

@test "a reply by subject tag from the requester: a public reply, quotes and signature stripped, not a response" {
	joe_reports
	inc-sla >/dev/null
	msg reply <<'EOF'
From: Joe Bloggs <JOE@example.com>
Subject: Re: [INC-1] VPN drops every 5 minutes
Message-ID: <reply1@mail.example.com>

It also happens on the wired network.

On Fri, 27 Nov 2026 at 10:00, IT Service Desk <helpdesk@example.com> wrote:
> Your request has been logged as INC-1.
> We will come back to you.

-- 
Joe Bloggs
Accounting
EOF
	crlf reply
	run --separate-stderr deliver reply
	assert_success
	assert_equal "$stderr" ""
	assert_equal "$(jq -c '[.id, .status, .sla.responded_at, .event]' <<<"$output")" \
		'[1,"new",null,{"kind":"replied","by":"requester","text":"It also happens on the wired network."}]'
	run --separate-stderr sh -c 'inc-show 1 --history | jq -c ".history[-1] | [.actor, .action, .to]"'
	assert_output '["JOE@example.com","reply","It also happens on the wired network."]'
	assert_equal "$(count incident)" 1
}

@test "a reply by In-Reply-To of a mail inc-notify really sent, no tag in the subject" {
	joe_reports
	inc-notify >/dev/null
	id=$(last_sent_id)
	msg reply <<EOF
From: joe@example.com
Subject: Re: your request
Message-ID: <reply2@mail.example.com>
In-Reply-To: $id
References: <first@mail.example.com> $id

Here is the error message: "tunnel reset by peer".
EOF
	run --separate-stderr deliver reply
	assert_success
	assert_equal "$(jq -c '[.id, .event.kind, .event.by, .event.text]' <<<"$output")" \
		'[1,"replied","requester","Here is the error message: \"tunnel reset by peer\"."]'
}

@test "a reply by References alone: inc-notify's Message-ID form, or the first message's own id" {
	joe_reports
	msg byref <<'EOF'
From: joe@example.com
Subject: one more thing
Message-ID: <reply3@mail.example.com>
References: <somewhere@else.example.com> <INC-1@example.com> <unknown@else.example.com>

Also on my phone.
EOF
	run --separate-stderr deliver byref
	assert_success
	assert_equal "$(jq -c '[.id, .event.kind]' <<<"$output")" '[1,"replied"]'
	msg myown <<'EOF'
From: joe@example.com
Subject: Re: VPN drops every 5 minutes
Message-ID: <reply4@mail.example.com>
In-Reply-To: <first@mail.example.com>

And on the guest Wi-Fi.
EOF
	run --separate-stderr deliver myown
	assert_success
	assert_equal "$(jq -c '[.id, .event.kind]' <<<"$output")" '[1,"replied"]'
	assert_equal "$(count)" 1
}

@test "a tag or reference naming no incident: a new incident" {
	joe_reports
	msg stale <<'EOF'
From: ann@example.com
Subject: Re: [INC-99] old thing
Message-ID: <stale@example.com>
In-Reply-To: <INC-77.3.0@example.com>

Still broken.
EOF
	run --separate-stderr deliver stale
	assert_success
	assert_equal "$(jq -c '[.id, .subject, .event.kind]' <<<"$output")" '[2,"Re: [INC-99] old thing","logged"]'
}

@test "a technician's reply is a public reply to the requester and the response" {
	joe_reports
	inc-sla >/dev/null
	msg tech <<'EOF'
From: Alice <alice@example.com>
Subject: Re: [INC-1] VPN drops every 5 minutes
Message-ID: <tech@example.com>

Please send us the client's log file.

> Since this morning the VPN drops every 5 minutes.
EOF
	run --separate-stderr deliver tech
	assert_success
	assert_equal "$(jq -c '[.status, .sla.responded_at, .event]' <<<"$output")" \
		'["new","2026-11-27T10:00:00Z",{"kind":"replied","by":"desk","text":"Please send us the client'"'"'s log file."}]'
	run --separate-stderr sh -c 'inc-show 1 --history | jq -c ".history[] | select(.action == \"reply\") | [.actor, .to]"'
	assert_output '["alice","Please send us the client'"'"'s log file."]'
	# inc-notify mails it to the requester
	inc-notify >/dev/null
	grep -q '^To: joe@example.com' "$BATS_TEST_TMPDIR/sent"
	grep -q '^X-Inc-Event: replied' "$BATS_TEST_TMPDIR/sent"
}

@test "anyone else's reply is an internal note naming the sender" {
	joe_reports
	msg other <<'EOF'
From: Ann <ann@example.com>
Subject: Re: [INC-1] VPN drops every 5 minutes
Message-ID: <other@example.com>

Same for me, by the way.
EOF
	run --separate-stderr deliver other
	assert_success
	assert_equal "$(jq -c '[.id, .status, .event]' <<<"$output")" \
		'[1,"new",{"kind":"updated","changed":[],"note":"Same for me, by the way."}]'
	run --separate-stderr sh -c 'inc-show 1 --history | jq -c ".history[-1] | [.actor, .action, .to]"'
	assert_output '["ann@example.com","note","Same for me, by the way."]'
}

@test "the attachments of a reply are added to the incident's" {
	joe_reports
	msg withfile <<EOF
From: joe@example.com
Subject: Re: [INC-1] VPN drops every 5 minutes
Message-ID: <withfile@example.com>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="b"

--b
Content-Type: text/plain

The client log.
--b
Content-Type: text/plain; name="vpn.log"
Content-Disposition: attachment; filename="vpn.log"

tunnel reset by peer
--b--
EOF
	run --separate-stderr deliver withfile
	assert_success
	assert_equal "$(jq -c '[.event.text, (.attachments | map([.name, .type, .size]))]' <<<"$output")" \
		'["The client log.",[["vpn.log","text/plain",20]]]'
	run --separate-stderr sh -c 'inc-show 1 --history | jq -r ".history[] | select(.field == \"attachments\") | [.action, .from, .to] | @tsv"'
	assert_output --regexp '^updated	\[\]	\[\{"name":"vpn.log",'
}

# ---- confirmation and reopening ----

resolve_1() {
	inc-close 1 --resolution "replaced the VPN profile" >/dev/null
}

@test "CONFIRM on a resolved incident closes it; no rating, no feedback" {
	joe_reports
	resolve_1
	msg confirm <<'EOF'
From: joe@example.com
Subject: Re: [INC-1] Resolved: VPN drops every 5 minutes
Message-ID: <confirm@example.com>

Confirm

> Reply with CONFIRM as the first word to close the incident.
EOF
	run --separate-stderr deliver confirm
	assert_success
	assert_equal "$stderr" ""
	assert_equal "$(jq -c '[.status, .rating, .feedback, .closure_code, .closed_at, .event]' <<<"$output")" \
		'["closed",null,null,"fixed","2026-11-27T10:00:00Z",{"kind":"closed"}]'
	run --separate-stderr sh -c 'inc-show 1 --history | jq -c ".history[] | select(.field == \"status\") | [.actor, .action, .to]"'
	assert_line '["joe@example.com","closed","closed"]'
}

@test "CONFIRM 5 with feedback: closed, rated, the feedback kept" {
	joe_reports
	resolve_1
	msg confirm <<'EOF'
From: joe@example.com
Subject: Re: [INC-1] Resolved: VPN drops every 5 minutes
Message-ID: <confirm5@example.com>

CONFIRM 5
Thanks, quick and friendly.

Sent from my iPhone
EOF
	run --separate-stderr deliver confirm
	assert_success
	assert_equal "$(jq -c '[.status, .rating, .feedback]' <<<"$output")" '["closed",5,"Thanks, quick and friendly."]'
}

@test "any other reply to a resolved incident reopens it, the text its reason" {
	joe_reports
	resolve_1
	msg reopen <<'EOF'
From: joe@example.com
Subject: Re: [INC-1] Resolved: VPN drops every 5 minutes
Message-ID: <reopen@example.com>

No, it dropped again at 10:30.

On Fri, 27 Nov 2026, IT Service Desk wrote:
> Reply with CONFIRM as the first word to close the incident.
EOF
	run --separate-stderr deliver reopen
	assert_success
	assert_equal "$(jq -c '[.status, .reopen_count, .resolution, .event]' <<<"$output")" \
		'["in_progress",1,null,{"kind":"reopened","reason":"No, it dropped again at 10:30."}]'
}

# The "resolved" mail inc-notify really sends, answered as a mail client
# does: the answer on top, the whole mail quoted below, In-Reply-To set.
answer_resolved() {
	: >"$BATS_TEST_TMPDIR/sent"
	inc-notify >/dev/null
	id=$(last_sent_id)
	{
		printf 'From: Joe Bloggs <joe@example.com>\nTo: helpdesk@example.com\n'
		printf 'Subject: Re: %s\n' "$(grep -m 1 '^Subject: ' "$BATS_TEST_TMPDIR/sent" | sed 's/^Subject: //')"
		printf 'Message-ID: <%s@mail.example.com>\nIn-Reply-To: %s\n\n%s\n\n' "$2" "$id" "$1"
		printf 'On Fri, 27 Nov 2026 at 10:00, IT Service Desk <helpdesk@example.com> wrote:\n'
		sed -n '/^$/,$p' "$BATS_TEST_TMPDIR/sent" | sed 1d | sed 's/^/> /'
	} >"$BATS_TEST_TMPDIR/answer.eml"
	deliver answer
}

@test "the resolved template's convention, end to end: CONFIRM with a rating closes, anything else reopens" {
	joe_reports
	inc-notify >/dev/null
	resolve_1
	run --separate-stderr answer_resolved "$(printf 'confirm 5\nThe VPN holds now, thanks!')" a1
	assert_success
	assert_equal "$stderr" ""
	grep -q '^Subject: \[INC-1\] Resolved: VPN drops every 5 minutes$' "$BATS_TEST_TMPDIR/sent"
	grep -q 'Reply with CONFIRM as the first word' "$BATS_TEST_TMPDIR/sent"
	assert_equal "$(jq -c '[.status, .rating, .feedback, .event.kind]' <<<"$output")" '["closed",5,"The VPN holds now, thanks!","closed"]'
	inc-close 1 --reopen --reason "again" >/dev/null
	resolve_1
	run --separate-stderr answer_resolved "Sorry, it dropped again just now." a2
	assert_success
	assert_equal "$(jq -c '[.status, .reopen_count, .event.reason]' <<<"$output")" '["in_progress",2,"Sorry, it dropped again just now."]'
}

@test "a confirmation from someone else changes nothing but adds a note" {
	joe_reports
	resolve_1
	msg notjoe <<'EOF'
From: ann@example.com
Subject: Re: [INC-1] Resolved: VPN drops every 5 minutes
Message-ID: <notjoe@example.com>

CONFIRM 1
EOF
	run --separate-stderr deliver notjoe
	assert_success
	assert_equal "$(jq -c '[.status, .rating, .event.kind, .event.note]' <<<"$output")" '["resolved",null,"updated","CONFIRM 1"]'
}

@test "a closed incident: reopened within the reopen window; past it, a new incident linked to it" {
	joe_reports
	resolve_1
	inc-close 1 --confirm >/dev/null
	msg again <<'EOF'
From: joe@example.com
Subject: Re: [INC-1] Closed: VPN drops every 5 minutes
Message-ID: <again@example.com>

It is back.
EOF
	run --separate-stderr inc-mail --as mail --now 2026-11-30T10:00:00Z <"$BATS_TEST_TMPDIR/again.eml"
	assert_success
	assert_equal "$(jq -c '[.id, .status, .reopen_count, .event.kind]' <<<"$output")" '[1,"in_progress",1,"reopened"]'
	resolve_1() { inc-close 1 --now 2026-11-30T11:00:00Z --resolution "new profile" >/dev/null; }
	resolve_1
	inc-close 1 --now 2026-11-30T11:00:00Z --confirm >/dev/null
	msg late <<'EOF'
From: joe@example.com
Subject: Re: [INC-1] Closed: VPN drops every 5 minutes
Message-ID: <late@example.com>

It is back, weeks later.
EOF
	run --separate-stderr inc-mail --as mail --now 2026-12-30T10:00:00Z <"$BATS_TEST_TMPDIR/late.eml"
	assert_success
	assert_equal "$(jq -c '[.id, .status, .links, .requester, .event.kind]' <<<"$output")" \
		'[2,"new",[{"type":"incident","ref":"INC-1"}],"joe@example.com","logged"]'
	assert_equal "$(inc-show 1 | jq -r .status)" closed
}

@test "a late CONFIRM on a closed incident brings its rating, and does not reopen it" {
	joe_reports
	resolve_1
	inc-close --expire 0s >/dev/null
	msg late <<'EOF'
From: joe@example.com
Subject: Re: [INC-1] Resolved: VPN drops every 5 minutes
Message-ID: <lateconfirm@example.com>

CONFIRM 4 works now
EOF
	run --separate-stderr deliver late
	assert_success
	assert_equal "$(jq -c '[.status, .rating, .feedback, .closure_code, .event.kind, .event.by]' <<<"$output")" \
		'["closed",4,"works now","fixed","replied","requester"]'
}

# ---- redelivery ----

@test "redelivery changes nothing: the same record, no new audit rows, no second reply" {
	joe_reports
	run --separate-stderr deliver first
	assert_success
	first=$output
	audit=$(count audit)
	events=$(count event)
	run --separate-stderr deliver first
	assert_success
	assert_equal "$(jq -c .event <<<"$output")" '{"kind":"logged","existing":true}'
	assert_equal "$(jq -c 'del(.event)' <<<"$output")" "$(jq -c 'del(.event)' <<<"$first")"
	msg reply <<'EOF'
From: joe@example.com
Subject: Re: [INC-1] VPN drops every 5 minutes
Message-ID: <again1@mail.example.com>

Still dropping.
EOF
	deliver reply >/dev/null
	replied=$(inc-show 1)
	audit=$(count audit)
	events=$(count event)
	run --separate-stderr deliver reply
	assert_success
	assert_equal "$(jq -c .event <<<"$output")" '{"kind":"replied","existing":true}'
	assert_equal "$(jq -c 'del(.event)' <<<"$output")" "$replied"
	assert_equal "$(count audit)" "$audit"
	assert_equal "$(count event)" "$events"
	assert_equal "$(dbq "SELECT count(*) FROM audit WHERE action = 'reply'")" 1
}

@test "a redelivered confirmation is not applied twice" {
	joe_reports
	resolve_1
	msg confirm <<'EOF'
From: joe@example.com
Subject: Re: [INC-1] Resolved
Message-ID: <c2@example.com>

CONFIRM 3
EOF
	deliver confirm >/dev/null
	audit=$(count audit)
	run --separate-stderr deliver confirm
	assert_success
	assert_equal "$(jq -c '[.status, .rating, .event]' <<<"$output")" '["closed",3,{"kind":"closed","existing":true}]'
	assert_equal "$(count audit)" "$audit"
}

@test "a message without a Message-ID: the same bytes again are recognized" {
	msg noid <<'EOF'
From: ann@example.com
Subject: no id

Hello.
EOF
	run --separate-stderr deliver noid
	assert_success
	assert_equal "$stderr" ""
	assert_equal "$(jq -c '[.id, .external_id]' <<<"$output")" '[1,null]'
	run --separate-stderr deliver noid
	assert_success
	assert_equal "$(jq -c '[.id, .event.existing]' <<<"$output")" '[1,true]'
	assert_equal "$(count)" 1
}

@test "a message inc-log logged before by its Message-ID is the stored incident" {
	inc-log -s "From the old script" -r joe@example.com --external-id "<first@mail.example.com>" >/dev/null
	joe_reports
	run --separate-stderr deliver first
	assert_success
	assert_equal "$(jq -c '[.id, .subject, .event]' <<<"$output")" '[1,"From the old script",{"kind":"logged","existing":true}]'
	assert_equal "$(count)" 1
}

# ---- the MTA ----

@test "the README's aliases line, run as an MTA runs it: the message on stdin of sh -c" {
	line=$(grep -m 1 '^    helpdesk: "|' "$INC_ROOT/README.md")
	line=${line#    }
	assert_equal "$line" 'helpdesk: "|inc-mail --as mail"'
	cmd=${line#*\"|}
	cmd=${cmd%\"}
	msg mta <<'EOF'
Return-Path: <joe@example.com>
Delivered-To: helpdesk@example.com
From: Joe <joe@example.com>
Subject: Keyboard missing keys
Message-ID: <mta@example.com>

The E key is gone.
EOF
	run --separate-stderr sh -c "$cmd" <"$BATS_TEST_TMPDIR/mta.eml"
	assert_success
	assert_equal "$stderr" ""
	assert_equal "$(jq -c '[.id, .subject, .requester, .event.kind]' <<<"$output")" '[1,"Keyboard missing keys","joe@example.com","logged"]'
	# as sendmail's prog mailer and postfix's pipe(8) do: a "From " envelope line first
	{ echo "From joe@example.com Fri Nov 27 10:00:00 2026"; sed 's/mta@/mta2@/' "$BATS_TEST_TMPDIR/mta.eml"; } \
		>"$BATS_TEST_TMPDIR/mta2.eml"
	run --separate-stderr sh -c "$cmd" <"$BATS_TEST_TMPDIR/mta2.eml"
	assert_success
	assert_equal "$(jq -c '[.id, .subject]' <<<"$output")" '[2,"Keyboard missing keys"]'
}

@test "a busy database: exit 75 (EX_TEMPFAIL), nothing written; the retry delivers" {
	joe_reports
	msg second <<'EOF'
From: ann@example.com
Subject: Second
Message-ID: <second@example.com>

Hi.
EOF
	mkfifo "$BATS_TEST_TMPDIR/sql" "$BATS_TEST_TMPDIR/said"
	dbq <"$BATS_TEST_TMPDIR/sql" >"$BATS_TEST_TMPDIR/said" 3>&- &
	exec 5>"$BATS_TEST_TMPDIR/sql" 6<"$BATS_TEST_TMPDIR/said"
	lock_sql >&5
	read -r said <&6
	assert_equal "$said" locked
	INC_BUSY_TIMEOUT=1 run --separate-stderr deliver second
	assert_failure 75
	assert_output ""
	assert_equal "$stderr" "inc-mail: <second@example.com>: $INC_DB: database is locked (try again later)"
	echo "ROLLBACK;" >&5
	exec 5>&- 6<&-
	wait
	assert_equal "$(count)" 1
	run --separate-stderr deliver second
	assert_success
	assert_equal "$(jq -r .id <<<"$output")" 2
}

@test "a database that cannot be opened, or a bad config: 75, so that the MTA keeps the mail" {
	joe_reports
	run --separate-stderr inc-mail --as mail -d "$BATS_TEST_TMPDIR/no/such/dir/x.db" <"$BATS_TEST_TMPDIR/first.eml"
	assert_failure 75
	assert_equal "$stderr" "inc-mail: $BATS_TEST_TMPDIR/no/such/dir/x.db: unable to open database file"
	# a database server that cannot be reached
	run --separate-stderr inc-mail --as mail -d "postgresql:///inc?host=$BATS_TEST_TMPDIR/nowhere" <"$BATS_TEST_TMPDIR/first.eml"
	assert_failure 75
	assert_output ""
	assert_equal "$stderr" "inc-mail: postgresql:///inc?host=$BATS_TEST_TMPDIR/nowhere: cannot connect: connection to server on socket \"$BATS_TEST_TMPDIR/nowhere/.s.PGSQL.5432\" failed: No such file or directory"
	echo '{"levels": 7}' >"$BATS_TEST_TMPDIR/bad.json"
	run --separate-stderr inc-mail --as mail -c "$BATS_TEST_TMPDIR/bad.json" <"$BATS_TEST_TMPDIR/first.eml"
	assert_failure 75
	assert_output ""
	[[ $stderr == "inc-mail: $BATS_TEST_TMPDIR/bad.json: levels: "* ]]
	run --separate-stderr inc-mail --maildir x --mbox y </dev/null
	assert_failure 2
	assert_equal "$stderr" "usage: $(inc-mail --help | sed -n '1s/^usage: //p')"
}

@test "--dry-run: says what would be done, writes nothing" {
	joe_reports
	audit=$(count audit)
	msg reply <<'EOF'
From: joe@example.com
Subject: Re: [INC-1] VPN
Message-ID: <dry@example.com>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="b"

--b
Content-Type: text/plain

Log attached.
--b
Content-Type: application/octet-stream
Content-Disposition: attachment; filename="x.bin"

abc
--b--
EOF
	run --separate-stderr inc-mail --as mail --dry-run <"$BATS_TEST_TMPDIR/reply.eml"
	assert_success
	assert_equal "$(jq -c '[.id, .event.kind, .event.dry_run, (.attachments | length)]' <<<"$output")" '[1,"replied",true,1]'
	assert_equal "$(count audit)" "$audit"
	assert_equal "$(count mail_seen)" 1
	[ ! -e "$(attachments_dir)" ]
}

# ---- maildir and mbox ----

@test "--maildir: new/ then cur/ not yet seen, each moved to cur/ with S; not a message: FS; seen ones left" {
	md="$BATS_TEST_TMPDIR/Maildir"
	mkdir -p "$md/new" "$md/cur" "$md/tmp"
	printf 'From: joe@example.com\nSubject: one\nMessage-ID: <md1@x>\n\n1\n' >"$md/new/1001.a.host"
	printf 'From: ann@example.com\nSubject: two\nMessage-ID: <md2@x>\n\n2\n' >"$md/new/1002.b.host"
	printf 'Auto-Submitted: auto-replied\nFrom: ann@example.com\nSubject: away\nMessage-ID: <md3@x>\n\n3\n' >"$md/new/1003.c.host"
	printf 'not a message\n' >"$md/new/1004.d.host"
	printf 'From: bob@example.net\nSubject: four\nMessage-ID: <md5@x>\n\n5\n' >"$md/cur/1000.e.host:2,F"
	printf 'From: bob@example.net\nSubject: read\nMessage-ID: <md6@x>\n\n6\n' >"$md/cur/0999.f.host:2,S"
	run --separate-stderr inc-mail --as mail --maildir "$md"
	assert_failure 65
	assert_equal "$(jq -r .subject <<<"$output" | paste -sd,)" "one,two,four"
	assert_equal "$stderr" "$(printf 'inc-mail: new/1003.c.host: <md3@x>: dropped: auto-reply\ninc-mail: new/1004.d.host: (no Message-ID): not a mail message: no header found')"
	assert_equal "$(ls "$md/new" | wc -l)" 0
	assert_equal "$(ls "$md/cur" | paste -sd' ')" "0999.f.host:2,S 1000.e.host:2,FS 1001.a.host:2,S 1002.b.host:2,S 1003.c.host:2,S 1004.d.host:2,FS"
	# a second run finds nothing to do
	run --separate-stderr inc-mail --as mail --maildir "$md"
	assert_success
	assert_output ""
	assert_equal "$stderr" ""
	run --separate-stderr inc-mail --as mail --maildir "$BATS_TEST_TMPDIR/nowhere"
	assert_failure 66
	assert_equal "$stderr" "inc-mail: $BATS_TEST_TMPDIR/nowhere/new: No such file or directory"
}

@test "--maildir with the database busy: the messages stay where they are, exit 75" {
	joe_reports
	md="$BATS_TEST_TMPDIR/Maildir"
	mkdir -p "$md/new" "$md/cur" "$md/tmp"
	printf 'From: joe@example.com\nSubject: one\nMessage-ID: <md1@x>\n\n1\n' >"$md/new/1001.a.host"
	printf 'From: ann@example.com\nSubject: two\nMessage-ID: <md2@x>\n\n2\n' >"$md/new/1002.b.host"
	mkfifo "$BATS_TEST_TMPDIR/sql" "$BATS_TEST_TMPDIR/said"
	dbq <"$BATS_TEST_TMPDIR/sql" >"$BATS_TEST_TMPDIR/said" 3>&- &
	exec 5>"$BATS_TEST_TMPDIR/sql" 6<"$BATS_TEST_TMPDIR/said"
	lock_sql >&5
	read -r said <&6
	assert_equal "$said" locked
	INC_BUSY_TIMEOUT=1 run --separate-stderr inc-mail --as mail --maildir "$md"
	assert_failure 75
	assert_equal "$stderr" "inc-mail: new/1001.a.host: <md1@x>: $INC_DB: database is locked (try again later)"
	echo "ROLLBACK;" >&5
	exec 5>&- 6<&-
	wait
	assert_equal "$(ls "$md/new" | paste -sd' ')" "1001.a.host 1002.b.host"
	run --separate-stderr inc-mail --as mail --maildir "$md"
	assert_success
	assert_equal "${#lines[@]}" 2
}

@test "--mbox: every message, >From unquoted, the file unchanged; a second run changes nothing" {
	cat >"$BATS_TEST_TMPDIR/inbox" <<'EOF'
From joe@example.com Fri Nov 27 09:00:00 2026
From: joe@example.com
Subject: first
Message-ID: <mb1@x>

>From the start of the day it fails.

From MAILER-DAEMON Fri Nov 27 09:10:00 2026
From: Mail Delivery System <MAILER-DAEMON@x>
Subject: Undelivered Mail
Message-ID: <mb2@x>

Bounce.

From ann@example.com Fri Nov 27 09:20:00 2026
From: ann@example.com
Subject: second
Message-ID: <mb3@x>

Hello.
EOF
	before=$(sha256sum "$BATS_TEST_TMPDIR/inbox")
	run --separate-stderr inc-mail --as mail --mbox "$BATS_TEST_TMPDIR/inbox"
	assert_success
	assert_equal "$(jq -c '[.subject, .description]' <<<"$output" | paste -sd' ')" \
		'["first","From the start of the day it fails."] ["second","Hello."]'
	assert_equal "$stderr" "inc-mail: message 2: <mb2@x>: dropped: bounce"
	assert_equal "$(sha256sum "$BATS_TEST_TMPDIR/inbox")" "$before"
	audit=$(count audit)
	run --separate-stderr inc-mail --as mail --mbox "$BATS_TEST_TMPDIR/inbox"
	assert_success
	assert_equal "$(jq -c .event.existing <<<"$output" | paste -sd' ')" "true true"
	assert_equal "$(count audit)" "$audit"
	run --separate-stderr inc-mail --as mail --mbox "$BATS_TEST_TMPDIR/none"
	assert_failure 66
	assert_equal "$stderr" "inc-mail: $BATS_TEST_TMPDIR/none: No such file or directory"
}

@test "inc mail runs inc-mail" {
	joe_reports
	run --separate-stderr inc mail --as mail <"$BATS_TEST_TMPDIR/first.eml"
	assert_success
	assert_equal "$(jq -c .event <<<"$output")" '{"kind":"logged","existing":true}'
}
