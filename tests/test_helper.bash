# Shared set-up for every bats file: a fresh database and config folder per
# test, a pinned clock, the shipped config, and the tools of this build.
# shellcheck shell=bash

bats_require_minimum_version 1.5.0

load '/usr/lib/bats/bats-support/load'
load '/usr/lib/bats/bats-assert/load'

INC_ROOT="$(cd "$BATS_TEST_DIRNAME/.." && pwd)"
export INC_ROOT

setup() {
	export INC_DB="$BATS_TEST_TMPDIR/inc.db"
	export INC_CONFIG="$INC_ROOT/share/config.json"
	export INC_NOW="2026-11-27T10:00:00Z"	# a Friday, 11:00 in Berlin
	export INC_USER="root"			# admin in the shipped config
	export HOME="$BATS_TEST_TMPDIR/home"
	export XDG_CONFIG_HOME="$BATS_TEST_TMPDIR/xdg-config"
	export XDG_DATA_HOME="$BATS_TEST_TMPDIR/xdg-data"
	unset INC_BUSY_TIMEOUT COLUMNS TZDIR
	mkdir -p "$HOME"
	PATH="$INC_ROOT/bin:$PATH"
	if [ -n "${INC_VALGRIND:-}" ]; then
		# every tool under valgrind: a leak or bad access fails the test
		mkdir -p "$BATS_TEST_TMPDIR/vg"
		for t in "$INC_ROOT"/bin/*; do
			printf '#!/bin/sh\nexec valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite "%s" "$@"\n' "$t" \
				>"$BATS_TEST_TMPDIR/vg/${t##*/}"
			chmod +x "$BATS_TEST_TMPDIR/vg/${t##*/}"
		done
		PATH="$BATS_TEST_TMPDIR/vg:$PATH"
	fi
	export PATH
	if declare -F local_setup >/dev/null; then
		local_setup
	fi
}

# Use a config of the test's own: make_config NAME < file  (JSON on stdin).
make_config() {
	cat >"$BATS_TEST_TMPDIR/$1.json"
	export INC_CONFIG="$BATS_TEST_TMPDIR/$1.json"
}

# The shipped config edited by a jq filter: edit_config 'FILTER'.
edit_config() {
	jq "$1" "$INC_ROOT/share/config.json" >"$BATS_TEST_TMPDIR/edited.json"
	export INC_CONFIG="$BATS_TEST_TMPDIR/edited.json"
}

# Log one incident from a JSON object; prints its id.
log_one() {
	inc-log <<<"$1" | jq -r .id
}
