# common.sh - what the bench scripts share: sourced by desk.sh, run.sh,
# sla.sh, report.sh, taskwarrior.sh and table.sh from bench/, with $root set
# to the top of the tree.
#
# Every figure is one row of one table, build/table.tsv (name, ours,
# reference, ratio, budget, verdict), written by `row` as it is measured
# and printed whole by table.sh at the end of `make bench`.
# shellcheck shell=bash disable=SC2034,SC2154

B=build
table=$B/table.tsv
export LC_ALL=C		# "1.5", not "1,5"; sort and awk alike everywhere
# BENCH_CI=1: reduced sizes; a figure fails only beyond 10 times its budget
ci=${BENCH_CI:-}
case $ci in '' | 0) ci='' ;; esac
GROSS=10

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

# peek DB SQL: a query that leaves the database's WAL as it is (the sqlite3
# shell, as the last connection to close, would checkpoint it: a checkpoint
# by hand between two steps of a benchmark)
peek() {
	sqlite3 -readonly -cmd '.dbconfig no_ckpt_on_close on' "$1" "$2" 2>/dev/null | tail -n 1
}

# calc 'awk expression of a and b' A B
calc() {
	awk -v a="$2" -v b="$3" "BEGIN { print ($1) }"
}

# median X...: the middle value (the mean of the two middle ones)
median() {
	printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 }
		END { print NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# get KEY "timeit output line": the value of KEY=
get() {
	local s=${2#*"$1"=}
	echo "${s%% *}"
}

# verdict OP RATIO BUDGET: sets v to PASS or FAIL, OP being <= or >=; with
# BENCH_CI a figure over budget is "over" and FAILs only beyond GROSS times
# it. A FAIL is remembered in $failed for the exit status.
failed=0
verdict() {
	local op=$1 ratio=$2 budget=$3 within=0 gross=0
	case $ratio in
	'' | '>'* | n/a) ;;	# not measured, or cut short
	*)
		within=$(within "$op" "$ratio" "$budget")
		gross=$(within "$op" "$ratio" "$(calc "a $( [ "$op" = '<=' ] && echo '*' || echo /) b" \
			"$budget" "$GROSS")")
		;;
	esac
	if [ "$within" = 1 ]; then
		v=PASS
	elif [ -n "$ci" ] && [ "$gross" = 1 ]; then
		v=over
	else
		v=FAIL
		failed=1
	fi
}

# within OP A B: 1 if A OP B holds, else 0
within() {
	awk -v a="$2" -v b="$3" -v op="$1" 'BEGIN { print (op == "<=" ? a <= b : a >= b) ? 1 : 0 }'
}

# row NAME OURS REFERENCE RATIO [OP BUDGET]: one figure: printed, and kept
# in the table. RATIO is a number, "" or "n/a" (not measured) or ">X" (cut
# short past X); without OP BUDGET it is information, judged by nobody.
row() {
	local name=$1 ours=$2 ref=$3 ratio=$4 op=${5:-} budget=${6:-} r b
	case $ratio in
	'' | n/a) r=n/a ;;
	'>'*) r=">$(printf '%.2f' "${ratio#>}")x" ;;
	*) r="$(printf '%.2f' "$ratio")x" ;;
	esac
	if [ -n "$op" ]; then
		verdict "$op" "$ratio" "$budget"
		b="$op ${budget}x"
	else
		v=info
		b=-
	fi
	mkdir -p "$B"
	printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$ours" "$ref" "$r" "$b" "$v" >>"$table"
	printf '  %-46s %15s %15s %8s %9s  %s\n' "$name" "$ours" "$ref" "$r" "$b" "$v"
}

# fmt_ms MS (seconds from 10 s), fmt_s MS, fmt_rate N MS: figures as the
# table shows them
fmt_ms() {
	if [ "$(within '>=' "$1" 10000)" = 1 ]; then
		printf '%.2f s' "$(calc 'a / 1000' "$1" 0)"
	else
		printf '%.2f ms' "$1"
	fi
}
fmt_s() {
	printf '%.2f s' "$(calc 'a / 1000' "$1" 0)"
}
fmt_rate() {
	printf '%s/s' "$(thousands "$(calc 'int(a * 1000 / b)' "$1" "$2")")"
}

# thousands N: 1234567 as 1,234,567
thousands() {
	echo "$1" | sed -e ':a' -e 's/\([0-9]\)\([0-9]\{3\}\)\($\|,\)/\1,\2\3/' -e 'ta'
}
