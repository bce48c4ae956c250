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
		# stand-ins for the completion system: print what would be offered
		compadd() {
			while [[ $1 == -* && $1 != -- ]]; do shift; done
			[[ $1 == -- ]] && shift
			print -rl -- "$@"
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
	assert_output "$(printf '%s\n' log classify assign update task sla escalate close show report init config help version)"
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
	assert_output $'jsonl\ntable'
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
	assert_output "$(printf '%s\n' log classify assign update task sla escalate close show report init config help version)"
	run complete_zsh inc log --impact ''
	assert_output $'high\nmedium\nlow'
	run complete_zsh inc-show --status ''
	assert_output "$(printf '%s\n' new assigned in_progress on_hold resolved closed cancelled)"
	run complete_zsh inc-show --format ''
	assert_output $'jsonl\ntable'
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

@test "without zsh the zsh tests are skipped, not failed" {
	INC_ZSH=no-such-zsh run bats -f '^zsh: commands' "$BATS_TEST_FILENAME"
	assert_success
	assert_output $'1..1\nok 1 zsh: commands, options, values # skip zsh is not installed'
}
