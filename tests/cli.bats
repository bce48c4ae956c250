#!/usr/bin/env bats
# What every tool in bin/ shares: --help, --version, a bad option (STYLE.md).
load test_helper

tools() {
	local t
	for t in "$INC_ROOT"/bin/*; do
		[ -x "$t" ] && echo "${t##*/}"
	done
}

@test "bin/ holds the tools of this build" {
	run tools
	assert_line inc
	assert_line inc-log
	assert_line inc-show
}

@test "--help: usage on stdout, exit 0, nothing on stderr" {
	local t
	for t in $(tools); do
		run --separate-stderr "$t" --help </dev/null
		assert_success
		assert_equal "$stderr" ""
		[[ "${lines[0]}" == "usage: $t "* ]] || fail "$t --help: ${lines[0]}"
		run --separate-stderr "$t" -h </dev/null
		assert_success
		[[ "${lines[0]}" == "usage: $t "* ]] || fail "$t -h: ${lines[0]}"
	done
}

@test "--version: the tool's name and 0.1.0" {
	local t
	for t in $(tools); do
		run --separate-stderr "$t" --version </dev/null
		assert_success
		assert_output "$t 0.1.0"
		assert_equal "$stderr" ""
	done
}

@test "a bad option: exit 2, a usage line on stderr, nothing on stdout" {
	local t
	for t in $(tools); do
		run --separate-stderr "$t" --no-such-option </dev/null
		assert_failure 2
		assert_output ""
		[[ "${stderr_lines[-1]}" == "usage: $t "* ]] || fail "$t: ${stderr_lines[-1]}"
	done
	[ ! -e "$INC_DB" ]
}
