#!/bin/bash
# taskwarrior.sh - for information (issue 15): where Taskwarrior (`task`,
# Debian's taskwarrior) is installed, the same BENCH_TW_N (100,000)
# generated incidents imported as tasks (`task import`, each incident a
# pending task: subject as description, created_at as entry, category as
# project, source as tag, the description as an annotation) beside inc-log
# into a new database; then counting them (`task count` beside the count
# row of `inc-report`) and writing them all as JSON (`task export` beside
# `inc-show --status new`). Taskwarrior runs with a throwaway TASKDATA and
# TASKRC, rc.confirmation=off, rc.hooks=off. No budget; skipped without
# `task` and under BENCH_CI.
set -eu -o pipefail
cd "$(dirname "$0")"
root=$(cd .. && pwd)
# shellcheck source=bench/common.sh
. ./common.sh

N=${BENCH_TW_N:-100000}
SEED=${BENCH_SEED:-42}
RUNS=3
if [ -n "$ci" ]; then
	echo "taskwarrior: skipped under BENCH_CI"
	exit 0
fi
if ! command -v task >/dev/null; then
	echo "taskwarrior: skipped, no \`task\` on PATH (Debian: apt-get install taskwarrior)"
	exit 0
fi
need_tools taskwarrior.sh inc-log inc-report inc-show
command -v jq >/dev/null || { echo "taskwarrior.sh: jq is missing: make deps" >&2; exit 2; }

export INC_CONFIG="$root/share/config.json" INC_USER=root INC_NOW=2026-11-27T10:00:00Z
unset INC_DB INC_BUSY_TIMEOUT
tw=$B/taskwarrior
rm -rf "$tw"
mkdir -p "$tw/data"
: >"$tw/rc"
export TASKDATA=$tw/data TASKRC=$tw/rc
taskrc=(rc.confirmation=off rc.hooks=off rc.verbose=nothing rc.gc=off)

in=$B/i15-$N-$((SEED + 5)).jsonl
if [ ! -s "$in" ]; then
	"$B/gen-incidents" --profile issue15 "$N" $((SEED + 5)) >"$in.tmp"
	mv "$in.tmp" "$in"
fi
# The same incidents as tasks, converted beforehand (not timed)
jq -c '
def epoch: if type == "number" then .
	elif test("Z$") then fromdate
	else (.[0:19] + "Z" | fromdate) - (if .[19:20] == "-" then -1 else 1 end) *
		((.[20:22] | tonumber) * 3600 + (.[23:25] | tonumber) * 60) end;
((.created_at // 1795773600) | epoch | strftime("%Y%m%dT%H%M%SZ")) as $at |
{description: .subject, status: "pending", entry: $at,
 project: ((.category // "none") | split("/")[0]), tags: [.source],
 annotations: [{entry: $at, description: .description}]} +
(if .impact then {priority: (.impact[0:1] | ascii_upcase)} else {} end)' "$in" >"$tw/tasks.json"

echo "taskwarrior $(task --version): $(thousands "$N") incidents as tasks, for information"
db=$B/tw-inc.db
rm -f "$db" "$db-wal" "$db-shm"
ours=$("$B/timeit" -i "$in" "$root/bin/inc-log" -d "$db" 2>"$B/tw.err")
theirs=$("$B/timeit" task "${taskrc[@]}" import "$tw/tasks.json" 2>>"$B/tw.err")
tasks=$(task "${taskrc[@]}" count 2>>"$B/tw.err")
incs=$(peek "$db" 'SELECT count(*) FROM incident')
if [ "$tasks" != "$N" ] || [ "$incs" != "$N" ]; then
	echo "taskwarrior.sh: $tasks tasks and $incs incidents, not $N" >&2
	exit 1
fi
row "import $(thousands "$N"): inc-log vs task import" "$(fmt_s "$(get mean_ms "$ours")")" \
	"$(fmt_s "$(get mean_ms "$theirs")")" "$(calc 'a / b' "$(get mean_ms "$ours")" "$(get mean_ms "$theirs")")"

ours=$("$B/timeit" -n "$RUNS" -w 1 "$root/bin/inc-report" -d "$db" 2>>"$B/tw.err")
theirs=$("$B/timeit" -n "$RUNS" -w 1 task "${taskrc[@]}" count 2>>"$B/tw.err")
row "count $(thousands "$N"): inc-report vs task count" "$(fmt_ms "$(get median_ms "$ours")")" \
	"$(fmt_ms "$(get median_ms "$theirs")")" \
	"$(calc 'a / b' "$(get median_ms "$ours")" "$(get median_ms "$theirs")")"

ours=$("$B/timeit" -n "$RUNS" -w 1 "$root/bin/inc-show" -d "$db" --status new 2>>"$B/tw.err")
theirs=$("$B/timeit" -n "$RUNS" -w 1 task "${taskrc[@]}" export 2>>"$B/tw.err")
row "all as JSON: inc-show --status new vs task export" "$(fmt_ms "$(get median_ms "$ours")")" \
	"$(fmt_ms "$(get median_ms "$theirs")")" \
	"$(calc 'a / b' "$(get median_ms "$ours")" "$(get median_ms "$theirs")")"
rm -rf "$tw"
