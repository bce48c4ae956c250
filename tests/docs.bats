#!/usr/bin/env bats
# The manuals and the README say what the tools do, and say it alike.
load test_helper

# A manual as text.
page() {
	mandoc -Tascii "$INC_ROOT/man/$1" | col -b
}

# The cron jobs of a text: schedule and command, the mail script by name.
jobs() {
	grep -E '^[[:space:]]*(\*|[0-9])[^[:space:]]*([[:space:]]+[^[:space:]]+){4}[[:space:]]+inc' |
		sed -E 's/^[[:space:]]+//; s/[[:space:]]+/ /g; s#/usr/local/share/inc/examples/##' | sort
}

@test "the manuals cite no specification that is not shipped" {
	run grep -l -i 'of the specification' "$INC_ROOT"/man/*
	assert_failure 1
	assert_output ""
}

@test "inc(7), the README and share/examples/crontab run the same cron jobs" {
	local crontab readme manual
	crontab=$(jobs <"$INC_ROOT/share/examples/crontab")
	readme=$(awk '/^## / { f = $0 == "## Cron" } f' "$INC_ROOT/README.md" | jobs)
	manual=$(page inc.7 | awk '/The crontab:/ { f = 1 } /Queues and reports/ { f = 0 } f' | jobs)
	assert_equal "$(wc -l <<<"$crontab")" 7
	assert_equal "$readme" "$crontab"
	assert_equal "$manual" "$crontab"
}

@test "inc-show(1) says the window is [since, until): --until is exclusive" {
	run page inc-show.1
	assert_output --partial '[since, until)'
	refute_output --partial '[since, until]'
}

# Pages outside inc that the manuals may name: everything else an .Xr names
# must be a page of man/.
SYSTEM_PAGES="aliases(5) crontab(5) fetchmail(1) flock(1) git(1) inotify(7) jq(1) man(1)
pcre2pattern(3) pipe(8) procmail(1) regex(7) sendmail(8) sqlite3(1) strptime(3)"

# The keys of the keys[] lists of C text on stdin, one per line.
config_keys() {
	awk '/keys\[\] = \{/ { f = 1 } f { print } /NULL\};/ { f = 0 }' |
		grep -o '"[a-z_]*"' | tr -d '"'
}

# Every NAME(SECTION) an .Xr of the manuals names, one per line, with the
# page naming it: "inc-sla.1 inc-notify(1)".
xrefs() {
	local f
	for f in "$INC_ROOT"/man/*.[1-9]; do
		awk -v page="${f##*/}" '/^\./ {
			for (i = 1; i < NF; i++)
				if ($i == "Xr" || $i == ".Xr")
					print page, $(i + 1) "(" ($(i + 2) ~ /^[1-9]/ ? $(i + 2) : "?") ")"
		}' "$f"
	done
}

@test "every .Xr names a page of man/, or a system page of the allow list" {
	local page ref name sec bad=
	[ -n "$(xrefs)" ]
	while read -r page ref; do
		name=${ref%(*} sec=${ref#*(} sec=${sec%)}
		[ -f "$INC_ROOT/man/$name.$sec" ] && continue
		[[ " ${SYSTEM_PAGES//$'\n'/ } " == *" $ref "* ]] && continue
		bad+="$page: $ref"$'\n'
	done < <(xrefs)
	assert_equal "$bad" ""
}

@test "the allow list of system pages names no page of man/" {
	local ref name sec
	for ref in $SYSTEM_PAGES; do
		name=${ref%(*} sec=${ref#*(} sec=${sec%)}
		[ ! -f "$INC_ROOT/man/$name.$sec" ] || fail "$ref is inc's own page"
	done
}

@test "inc-config(5) has every top-level key lib/config.c accepts, and every key of a section" {
	local top documented key missing=
	top=$(sed -n '/^validate(/,/^}/p' "$INC_ROOT/lib/config.c" | config_keys)
	[ "$(wc -w <<<"$top")" -ge 15 ]
	documented=" $(page inc-config.5 | col -bx | awk '/^[A-Z]/ { f = $0 == "KEYS" } f' |
		grep -oE '^     [a-z_]+( |$)' | tr -d ' ' | paste -sd' ') "
	for key in $top; do
		[[ $documented == *" $key "* ]] || missing+=" $key"
	done
	assert_equal "$missing" ""
	# the keys of each object (groups[], mail, notify, sla[], ...), as a
	# Cm of the page
	for key in $(cat "$INC_ROOT/lib/config.c" "$INC_ROOT/lib/calendar.c" | config_keys | sort -u); do
		grep -qE "^\..*Cm( [^ ]+)* $key( |\$)" "$INC_ROOT/man/inc-config.5" || missing+=" $key"
	done
	assert_equal "$missing" ""
}

@test "the README's Mail section: the crontab's inc-notify line, a config that passes, the aliases line" {
	local section
	section=$(awk '/^## / { f = $0 == "## Mail" } f' "$INC_ROOT/README.md")
	assert_equal "$(jobs <<<"$section")" "$(jobs <"$INC_ROOT/share/examples/crontab" | grep ' inc-notify ')"
	grep -E '^    "mail": ' <<<"$section" | sed 's/^    //' >"$BATS_TEST_TMPDIR/mail.frag"
	[ -s "$BATS_TEST_TMPDIR/mail.frag" ]
	jq --slurpfile m <(printf '{%s}\n' "$(cat "$BATS_TEST_TMPDIR/mail.frag")") '. + $m[0]' \
		"$INC_ROOT/share/config.json" >"$BATS_TEST_TMPDIR/config.json"
	run --separate-stderr inc config check "$BATS_TEST_TMPDIR/config.json"
	assert_success
	assert_equal "$(jq -r .mail.address "$BATS_TEST_TMPDIR/config.json")" "helpdesk@example.com"
	grep -qx '    helpdesk: "|inc-mail --as mail"' <<<"$section"
}
