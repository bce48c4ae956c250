# common.sh - what the bench scripts share: sourced by run.sh and sla.sh
# from bench/, with $root set to the top of the tree.
# shellcheck shell=bash disable=SC2034,SC2154

# need_tools SCRIPT TOOL...: the tools of this build and sqlite3, or exit 2
need_tools() {
	local me=$1 t
	shift
	for t in "$@"; do
		if [ ! -x "$root/bin/$t" ]; then
			echo "$me: $root/bin/$t: missing; build the tools first (make bench does)" >&2
			exit 2
		fi
	done
	if ! command -v sqlite3 >/dev/null; then
		echo "$me: sqlite3 (the command) is missing: make deps" >&2
		exit 2
	fi
}

# calc 'awk expression of a and b' A B
calc() {
	awk -v a="$2" -v b="$3" "BEGIN { print ($1) }"
}

# verdict 'awk condition of a and b' A B: sets v to PASS or FAIL; a FAIL
# is remembered in $failed for the exit status
failed=0
verdict() {
	if [ "$(calc "($1) ? 1 : 0" "$2" "$3")" = 1 ]; then
		v=PASS
	else
		v=FAIL
		failed=1
	fi
}
