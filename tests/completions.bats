#!/usr/bin/env bats
# The bash and zsh completions: commands, options from the usage lines,
# values from fixed lists and from the configuration.
load test_helper

# Complete the words given, the last being the one under the cursor; prints
# the candidates, one per line.
complete_bash() {
	bash -c '
		source "$INC_ROOT/completions/inc.bash"
		COMP_WORDS=("$@")
		COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		COMPREPLY=()
		_inc
		printf "%s\n" "${COMPREPLY[@]}"' - "$@"
}

# The zsh to run ($INC_ZSH, else zsh). A test calls need_zsh first, outside
# `run`: a skip inside `run` only ends the subshell, and the test fails.
need_zsh() {
	command -v "${INC_ZSH:-zsh}" >/dev/null || skip "zsh is not installed"
}

complete_zsh() {
	"${INC_ZSH:-zsh}" -f -c '
		# stand-ins for the completion system: print what would be offered,
		# each with the suffix -S gives it
		compadd() {
			local suf=
			while [[ $1 == -* && $1 != -- ]]; do
				case $1 in
				(-S?*) suf=${1#-S} ;;
				(-[SPpsJVXxrRWFMOADEIi]) shift ;;
				esac
				shift
			done
			[[ $1 == -- ]] && shift
			(( $# )) && print -rl -- ${^@}$suf
		}
		_files() { print -r -- "<files>"; }
		compset() { :; }
		fpath=("$INC_ROOT/completions" $fpath)
		autoload -Uz _inc
		service=$1
		words=("$@")
		CURRENT=$#words
		_inc' - "$@"
}

@test "bash: the commands of inc, and inc's own" {
	run complete_bash inc ''
	assert_output "$(printf '%s\n' log classify assign update task sla escalate close show report events notify mail import init config db help version)"
	run complete_bash inc -d x.db s
	assert_output $'sla\nshow'
	run complete_bash inc config ''
	assert_output $'check\npath'
	run complete_bash inc help cl
	assert_output $'classify\nclose'
	run complete_bash inc init ''
	assert_output ""
}

@test "bash: options come from the tool's usage line" {
	run complete_bash inc-show --st
	assert_output "--status"
	run complete_bash inc show --h
	assert_output $'--help\n--history'
	run complete_bash inc-log --ex
	assert_output "--external-id"
}

@test "bash: fixed values, and values from the configuration" {
	run complete_bash inc-show --status in
	assert_output "in_progress "
	run complete_bash inc-show --format ''
	assert_output $'jsonl\ntable\ncsv\ntsv'
	run complete_bash inc-log --source w
	assert_output "web "
	run complete_bash inc-log --link pr
	assert_output "problem:"
	run complete_bash inc log --impact ''
	assert_output $'high\nmedium\nlow'
	run complete_bash inc-show --group l
	assert_output $'l2-infra\nl3-network'
	run complete_bash inc-show --assignee d
	assert_output "dana "
	run complete_bash inc-log --category hardware/
	assert_output $'hardware/laptop\nhardware/printer\nhardware/monitor'
	run complete_bash inc-log --source=w
	assert_output "--source=web "
	run complete_bash inc-log --source = w
	assert_output "web "
}

@test "bash: the configuration named by -c, or none" {
	make_config mine <<<'{"groups":[{"name":"ops"},{"name":"dev"}]}'
	cp "$INC_CONFIG" "$BATS_TEST_TMPDIR/other.json"
	run complete_bash inc-show --group ''
	assert_output $'ops\ndev'
	export INC_CONFIG="$INC_ROOT/share/config.json"
	run complete_bash inc-show -c "$BATS_TEST_TMPDIR/other.json" --group ''
	assert_output $'ops\ndev'
	run complete_bash inc-show -c "$BATS_TEST_TMPDIR/none.json" --group ''
	assert_output ""
}

@test "bash: nothing is guessed for free-text arguments" {
	run complete_bash inc-log -s ''
	assert_output ""
	run complete_bash inc-show --since ''
	assert_output ""
}

@test "zsh: commands, options, values" {
	need_zsh
	run complete_zsh inc ''
	assert_output "$(printf '%s\n' log classify assign update task sla escalate close show report events notify mail import init config db help version)"
	run complete_zsh inc log --impact ''
	assert_output $'high\nmedium\nlow'
	run complete_zsh inc-show --status ''
	assert_output "$(printf '%s\n' new assigned in_progress on_hold resolved closed cancelled)"
	run complete_zsh inc-show --format ''
	assert_output $'jsonl\ntable\ncsv\ntsv'
	run complete_zsh inc-show -d ''
	assert_output "<files>"
	run complete_zsh inc-show --group=
	assert_output $'service-desk\nl2-infra\nl3-network'
	run complete_zsh inc config ''
	assert_output $'check\npath'
	run complete_zsh inc-log -
	assert_line -- "--external-id"
	assert_line -- "--help"
	run complete_zsh inc-log -s ''
	assert_output ""
	run complete_zsh inc-import --map ''
	assert_output $'servicenow\nbpi2013\nhelpdesk'
	run complete_zsh inc-sla --what-if ''
	assert_output "<files>"
}

@test "bash: inc-import's formats and mappings, inc-sla's --what-if file" {
	run complete_bash inc import --format ''
	assert_output "$(printf '%s\n' servicenow xes helpdesk csv jsonl)"
	run complete_bash inc-import --map bp
	assert_output bpi2013
	run complete_bash inc-sla --what-if "$INC_ROOT/share/conf"
	assert_output "$INC_ROOT/share/config.json"
}

@test "bash: comma lists, short options with values, subcommands of inc-task" {
	run complete_bash inc-show --status new,on
	assert_output "new,on_hold "
	run complete_bash inc-report --by group,pri
	assert_output "group,priority "
	run complete_bash inc-report --by ''
	assert_line month
	run complete_bash inc-update --status ''
	if [ -x "$INC_ROOT/bin/inc-update" ]; then
		assert_output $'in_progress\non_hold\ncancelled'
	fi
	run complete_bash inc-assign -t da
	assert_output "dana "
	run complete_bash inc-assign -g l3
	assert_output "l3-network "
	run complete_bash inc-task ''
	assert_output $'add\nstart\ndone\ncancel\nlist'
}

@test "inc-mail: its options, a folder for --maildir, a file for --mbox" {
	mkdir -p "$BATS_TEST_TMPDIR/Maildir" && : >"$BATS_TEST_TMPDIR/Mbox"
	run complete_bash inc-mail --m
	assert_output $'--maildir\n--mbox'
	run complete_bash inc mail --dr
	assert_output "--dry-run"
	run complete_bash inc-mail --maildir "$BATS_TEST_TMPDIR/M"
	assert_output "$BATS_TEST_TMPDIR/Maildir"
	run complete_bash inc-mail --mbox "$BATS_TEST_TMPDIR/Mb"
	assert_output "$BATS_TEST_TMPDIR/Mbox"
	run complete_bash inc-mail --as al
	assert_output "alice "
	run complete_zsh inc-mail --mbox ''
	assert_output "<files>"
	run complete_zsh inc-mail -
	assert_line -- "--maildir"
	assert_line -- "--dry-run"
}

@test "without zsh the zsh tests are skipped, not failed" {
	INC_ZSH=no-such-zsh run bats -f '^zsh: commands' "$BATS_TEST_FILENAME"
	assert_success
	assert_output $'1..1\nok 1 zsh: commands, options, values # skip zsh is not installed'
}

@test "bash: --set FIELD= from the settable fields, then the values the config knows" {
	run complete_bash inc-update --set ''
	assert_output "$(printf '%s\n' subject= description= requester= source= category= subcategory= impact= urgency= priority= group= assignee= major= custom.)"
	run complete_bash inc-update --set im
	assert_output "impact="
	run complete_bash inc-update --set cu
	assert_output "custom."
	# "=" breaks words in bash: "--set" "impact" "=" "h"
	run complete_bash inc-update --set impact = h
	assert_output "high"
	run complete_bash inc-update --set group =
	assert_output $'service-desk\nl2-infra\nl3-network'
	run complete_bash inc update --set priority = ''
	assert_output $'critical\nhigh\nmedium\nlow'
	# and as one word, when it does not
	run complete_bash inc-update --set source=w
	assert_output "source=web"
	run complete_bash inc-update --set category=network/w
	assert_output "category=network/wifi"
	run complete_bash inc-update --set assignee = m
	assert_output "maria"
	run complete_bash inc-update --set major = ''
	assert_output $'true\nfalse'
	run complete_bash inc-update --set subject = ''
	assert_output ""
}

@test "bash: --notify takes the roles and the people's names; comma lists repeat nothing" {
	local want w
	run complete_bash inc-escalate --notify ''
	assert_output "$(printf '%s\n' assignee group manager incident_manager requester alice bob chen dana erik fay gus maria omar pat root)"
	# every word inc-escalate takes, as its refusal lists them
	want=$(inc-escalate 1 --to l2-infra --reason x --notify '?' </dev/null 2>&1 |
		sed -n 's/.*(want \(.*\), a person or an address)$/\1/p')
	[ -n "$want" ]
	for w in ${want//,/ }; do
		assert_line "$w"
	done
	run complete_bash inc-escalate --notify assignee,ma
	assert_output $'assignee,manager\nassignee,maria'
	run complete_bash inc-escalate --notify manager,assignee,
	assert_line "manager,assignee,requester"
	refute_line "manager,assignee,manager"
	refute_line "manager,assignee,assignee"
	run complete_bash inc-show --status new,assigned,in_progress,on_hold,resolved,c
	assert_output $'new,assigned,in_progress,on_hold,resolved,closed\nnew,assigned,in_progress,on_hold,resolved,cancelled'
	run complete_bash inc-show --status new,
	refute_line "new,new"
	run complete_bash inc-report --by group,g
	assert_output ""
	run complete_bash inc-report --by group,priority,
	refute_line "group,priority,group"
	assert_line "group,priority,month"
}

@test "zsh: --set, --notify, comma lists" {
	need_zsh
	run complete_zsh inc-update --set ''
	assert_output "$(printf '%s\n' subject= description= requester= source= category= subcategory= impact= urgency= priority= group= assignee= major= custom.)"
	run complete_zsh inc-update --set impact=
	assert_output $'high\nmedium\nlow'
	run complete_zsh inc-update --set group=
	assert_output $'service-desk\nl2-infra\nl3-network'
	run complete_zsh inc-update --set major=
	assert_output $'true\nfalse'
	run complete_zsh inc-escalate --notify ''
	assert_output "$(printf '%s\n' assignee group manager incident_manager requester alice bob chen dana erik fay gus maria omar pat root)"
	run complete_zsh inc-escalate --notify manager,assignee,
	refute_line manager
	refute_line assignee
	assert_line requester
	run complete_zsh inc-show --status new,assigned,
	assert_output "$(printf '%s\n' in_progress on_hold resolved closed cancelled)"
	run complete_zsh inc-report --by group,
	refute_line group
	assert_line priority
}

# The commands "inc --help" lists, in its order.
dispatcher_commands() {
	inc --help | awk '/^commands:/ { f = 1; next } f && NF { print $1 }'
}

@test "the commands offered are the dispatcher's; every tool has its completion" {
	local tools
	run dispatcher_commands
	assert_line events
	assert_line import
	run complete_bash inc ''
	assert_output "$(dispatcher_commands)"
	run complete_bash inc db ''
	assert_output "copy
roles"
	: >"$BATS_TEST_TMPDIR/desk.db"
	run complete_bash inc db copy "$BATS_TEST_TMPDIR/de"
	assert_output "$BATS_TEST_TMPDIR/desk.db"
	run complete_bash inc help ''
	assert_output "$(dispatcher_commands | grep -v -x -e init -e config -e db -e help -e version)"
	# the Makefile's tools: a "complete" line for bash, #compdef for zsh
	tools=$(sed -n '/^TOOLS = /,/[^\\]$/p' "$INC_ROOT/Makefile" | sed 's/^TOOLS = //; s/\\$//' | tr -s ' \t' '\n' | grep .)
	assert [ "$(wc -l <<<"$tools")" -ge 15 ]
	for t in $tools; do
		bash -c 'source "$INC_ROOT/completions/inc.bash"; complete -p "$1"' - "$t" >/dev/null ||
			fail "bash: no completion for $t"
		grep -q "^#compdef.* $t\( \|\$\)" "$INC_ROOT/completions/_inc" || fail "zsh: no #compdef for $t"
	done
}

@test "bash: inc-events: options, --kind's event kinds as a comma list, --seek end" {
	run complete_bash inc-events --k
	assert_output "--kind"
	run complete_bash inc-events --con
	assert_output $'--consumer\n--consumers'
	run complete_bash inc-events --
	assert_output "$(printf '%s\n' --as --consumer --consumers --drop --exec --follow --help --kind --now --prune --seek --since-seq --version)"
	run complete_bash inc events --kind ''
	assert_output "$(printf '%s\n' logged classified assigned queued updated sla_warning sla_breached escalated notified replied major_declared resolved closed reopened)"
	# the kinds inc-events takes (cmd/inc-events.c), all of them
	assert_output "$(awk '/kinds\[\] = \{/ { f = 1 } f { print } /NULL\};/ { f = 0 }' \
		"$INC_ROOT/cmd/inc-events.c" | grep -o '"[a-z_]*"' | tr -d '"')"
	run complete_bash inc-events --kind sla_
	assert_output $'sla_warning\nsla_breached'
	run complete_bash inc-events --kind logged,re
	assert_output $'logged,replied\nlogged,resolved\nlogged,reopened'
	run complete_bash inc-events --kind sla_breached,escalated,
	refute_line "sla_breached,escalated,escalated"
	assert_line "sla_breached,escalated,major_declared"
	run complete_bash inc-events --kind=esc
	assert_output "--kind=escalated "
	run complete_bash inc-events --consumer chat --seek ''
	assert_output "end "
	# names, commands, ages and numbers are the caller's
	for opt in --consumer --exec --prune --since-seq; do
		run complete_bash inc-events "$opt" ''
		assert_output ""
	done
	run complete_bash inc-events -d ''
	assert_success
}

@test "bash: inc-notify's and inc-import's options and values; inc-mail by the dispatcher" {
	run complete_bash inc-notify --
	assert_output "$(printf '%s\n' --as --consumer --help --list --now --queue-only --send-only --version)"
	run complete_bash inc notify --s
	assert_output "--send-only"
	run complete_bash inc-notify --consumer ''
	assert_output ""
	run complete_bash inc-notify --as ma
	assert_output "maria "
	run complete_bash inc-import --
	assert_output "$(printf '%s\n' --as --format --help --live --map --now --prefix --version)"
	run complete_bash inc-import --format x
	assert_output "xes "
	run complete_bash inc-import --format=j
	assert_output "--format=jsonl "
	run complete_bash inc-import --prefix ''
	assert_output ""
	run complete_bash inc mail --mb
	assert_output "--mbox"
	run complete_bash inc help ev
	assert_output "events"
	run complete_bash inc help m
	assert_output "mail"
	run complete_bash inc e
	assert_output $'escalate\nevents'
}

@test "zsh: events, notify, mail and import: commands, options, values" {
	need_zsh
	run complete_zsh inc help ''
	assert_output "$(printf '%s\n' log classify assign update task sla escalate close show report events notify mail import)"
	run complete_zsh inc events --kind ''
	assert_output "$(printf '%s\n' logged classified assigned queued updated sla_warning sla_breached escalated notified replied major_declared resolved closed reopened)"
	run complete_zsh inc-events --kind logged,assigned,
	refute_line logged
	refute_line assigned
	assert_line reopened
	run complete_zsh inc-events --kind=
	assert_line sla_breached
	run complete_zsh inc-events --seek ''
	assert_output "end"
	run complete_zsh inc-events --consumer ''
	assert_output ""
	run complete_zsh inc-events -
	assert_line -- "--since-seq"
	assert_line -- "--consumers"
	assert_line -- "--prune"
	run complete_zsh inc-notify -
	assert_line -- "--queue-only"
	assert_line -- "--send-only"
	assert_line -- "--list"
	assert_line -- "--consumer"
	run complete_zsh inc notify --consumer ''
	assert_output ""
	run complete_zsh inc-import --format ''
	assert_output "$(printf '%s\n' servicenow xes helpdesk csv jsonl)"
	run complete_zsh inc-import -
	assert_line -- "--prefix"
	assert_line -- "--live"
	run complete_zsh inc mail --maildir ''
	assert_output "<files>"
}
