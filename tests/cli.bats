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
		local l found=
		for l in "${stderr_lines[@]}"; do
			[[ $l == "usage: $t "* ]] && found=1
		done
		[ -n "$found" ] || fail "$t: no usage line in: $stderr"
	done
	db_absent
}

# The SYNOPSIS of man/TOOL.1 as one line, spaces before "..." dropped.
synopsis() {
	mandoc -Tascii "$INC_ROOT/man/$1.1" | col -b |
		awk '/^SYNOPSIS/ { f = 1; next } /^[A-Z]/ { f = 0 } f' |
		tr -s ' \n\t' ' ' | normalize
}

# Spacing that mandoc adds: before "..." and around "|".
normalize() {
	sed 's/^ //; s/ $//; s/ \.\.\./.../g; s/ | /|/g'
}

@test "the usage says what the man page's SYNOPSIS says" {
	local t usage n=0
	for t in $(tools); do
		[ -e "$INC_ROOT/man/$t.1" ] || continue
		n=$((n + 1))
		usage=$("$t" --help | sed -n '1s/^usage: //p' | normalize)
		if [ "$("$t" --help | wc -l)" -eq 1 ]; then
			assert_equal "$(synopsis "$t")" "$usage"
		else
			# several forms (inc): the first is the usage line
			[[ "$(synopsis "$t")" == "$usage "* ]] || fail "$t: $(synopsis "$t")"
		fi
	done
	[ "$n" -ge 3 ]
}
