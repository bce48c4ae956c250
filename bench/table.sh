#!/bin/bash
# table.sh - the last step of `make bench`: every figure of the run, one row
# each (build/table.tsv, written by the other scripts through `row` in
# common.sh), under a line that says on what machine it was measured.
# Exit status 1 if a figure failed its budget.
set -eu -o pipefail
cd "$(dirname "$0")"
root=$(cd .. && pwd)
# shellcheck source=bench/common.sh
. ./common.sh

if [ ! -s "$table" ]; then
	echo "table.sh: $table: no figures (run make bench)" >&2
	exit 2
fi
model=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -n 1)
echo
echo "inc bench, $(date -u +%Y-%m-%dT%H:%MZ): $(nproc) cores${model:+ ($model)}," \
	"$(awk '{ printf "%.1f GiB", $2 / 1048576; exit }' /proc/meminfo 2>/dev/null)," \
	"load average $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null), SQLite $(sqlite3 -version | cut -d' ' -f1)," \
	"$(git -C "$root" describe --always --dirty 2>/dev/null || echo '?')${ci:+, BENCH_CI}"
echo
printf '%-58s %15s %15s %9s %9s  %s\n' figure ours reference ratio budget verdict
printf '%-58s %15s %15s %9s %9s  %s\n' "$(printf '%58s' '' | tr ' ' -)" --------------- \
	--------------- --------- --------- -------
awk -F'\t' '{ printf "%-58s %15s %15s %9s %9s  %s\n", $1, $2, $3, $4, $5, $6 }' "$table"
echo
pass=$(awk -F'\t' '$6 == "PASS"' "$table" | wc -l)
over=$(awk -F'\t' '$6 == "over"' "$table" | wc -l)
fail=$(awk -F'\t' '$6 == "FAIL"' "$table" | wc -l)
info=$(awk -F'\t' '$6 == "info"' "$table" | wc -l)
broken=$(awk -F'\t' '$2 == "failed"' "$table" | wc -l)
[ "$broken" = 0 ] && broken='' || broken=", $broken failed to run"
if [ -n "$ci" ]; then
	echo "bench (BENCH_CI): $pass within budget, $over over budget but within ${GROSS}x of it," \
		"$fail grossly over, $info for information$broken"
else
	echo "bench: $pass within budget, $fail over budget, $info for information$broken"
fi
[ "$fail" = 0 ]
