#!/bin/bash
# desk.sh - issue 15, "Fast after a day's work, not only on a fresh
# database": one database lives through a desk's day, and every figure is
# measured on it as the previous step left it (never a checkpoint by hand
# between steps):
#
#  1. bulk: BENCH_N lines (gen-incidents --profile issue15) into a new
#     database by inc-log, timed to its exit (so with any checkpoint it makes
#     on the way out), against loader15.c on the same lines (its checkpoint
#     included); BENCH_REPEAT runs of each in turn, the best kept, the last
#     inc-log database kept for what follows;
#  2. one-shot: `inc-show ID` against `sqlite3 DB 'select 1'`: its first call
#     right after the bulk, then rounds of calls of each in turn (medians);
#  3. inc-sla, nothing due: 3,000 critical incidents logged on Saturday noon
#     (24x7 policy) and one inc-sla pass to attach every policy (not judged),
#     then rounds of passes that find nothing due, against select 1;
#  4. inc-sla, 1,000 transitions due: INC_NOW moved past the response
#     warning of 1,000 of them, three times (medians), against select 1;
#     for scale, slafloor (slafloor.c: the rows inc-sla reads and writes
#     for them, by a C loop alone) on a copy of the database;
#  5. intake: `inc-log | inc-classify | inc-assign` of 100,000 lines (and of
#     BENCH_N when larger) against inc-log alone on the same lines (the same
#     text, other external_ids); each stage alone at half that and at that
#     (and at BENCH_N), their processor time per record compared for
#     linearity;
#  6. one-shot again, after the intake;
#  7. a day of cron: every minute of a Sunday `inc-sla | inc-escalate`, and
#     200 small intake pipelines of 5 incidents in between (BENCH_DAY_MIN
#     minutes, BENCH_DAY_PIPES pipelines); then the one-shot again, and, last
#     of all, once more after a checkpoint by hand, for information.
#
# Steps that run away are cut short (timeout) at twice their budget (ten
# times under BENCH_CI) and FAIL; the run goes on to the end. Exit status 1 if
# a budget failed, 2 if the bench could not run at all.
set -eu -o pipefail
cd "$(dirname "$0")"
root=$(cd .. && pwd)
# shellcheck source=bench/common.sh
. ./common.sh

if [ -n "$ci" ]; then
	N=${BENCH_N:-20000}
	RUNS=${BENCH_SHOW_RUNS:-60}
	REPEAT=${BENCH_REPEAT:-1}
	DAY_MIN=${BENCH_DAY_MIN:-120}
	DAY_PIPES=${BENCH_DAY_PIPES:-20}
	FACTOR=$((GROSS + 1))
else
	N=${BENCH_N:-1000000}
	RUNS=${BENCH_SHOW_RUNS:-200}
	REPEAT=${BENCH_REPEAT:-2}
	DAY_MIN=${BENCH_DAY_MIN:-1440}
	DAY_PIPES=${BENCH_DAY_PIPES:-200}
	FACTOR=2
fi
SEED=${BENCH_SEED:-42}
ROUNDS=3		# one-shot: rounds of RUNS/ROUNDS calls, select 1 and ours in turn
FIRSTS=5		# one-shot: first calls, each on the files as the step left them
DUE=1000		# SLA transitions due in step 4
PIPE_N=100000		# the intake's size, and BENCH_N when larger
[ "$N" -lt "$PIPE_N" ] && PIPE_N=$N
FIRST_LIMIT=${BENCH_TIMEOUT:-900}	# seconds for a step nothing predicts

BULK_BUDGET=0.80	# bulk inc-log rows/s at least this times loader15's
SHOW_BUDGET=2		# one-shot inc-show at most this times select 1
IDLE_BUDGET=3		# inc-sla with nothing due
DUE_BUDGET=10		# inc-sla with 1,000 transitions due
PIPE_BUDGET=3		# the intake pipeline against inc-log alone
LINEAR_BUDGET=1.5	# a stage's time per record at 2M against at M

need_tools desk.sh inc-log inc-show inc-sla inc-classify inc-assign inc-escalate
for p in gen-incidents loader15 slafloor timeit; do
	[ -x "$B/$p" ] || { echo "desk.sh: $B/$p: missing (make -C bench)" >&2; exit 2; }
done
command -v jq >/dev/null || { echo "desk.sh: jq is missing: make deps" >&2; exit 2; }

db=$B/desk.db
export INC_CONFIG="$root/share/config.json" INC_USER=root INC_DB=$db
export PATH="$root/bin:$PATH"
unset INC_NOW INC_BUSY_TIMEOUT
mkdir -p "$B"
rm -f "$B"/desk-*.out "$B"/desk-*.err

say() {
	printf '%s\n' "$*"
}
# wal: the size of the WAL the last step left, for the log
wal() {
	local s=0
	[ -f "$db-wal" ] && s=$(stat -c %s "$db-wal")
	printf 'WAL %s MB' "$(calc 'sprintf("%.1f", a / 1048576)' "$s" 0)"
}
# gen FILE ARGS...: gen-incidents ARGS into FILE, once
gen() {
	local f=$1
	shift
	if [ ! -s "$f" ]; then
		"$B/gen-incidents" "$@" >"$f.tmp"
		mv "$f.tmp" "$f"
	fi
}
# wall LIMIT IN OUT CMD...: CMD with stdin IN and stdout OUT, stopped after
# LIMIT seconds; sets ms (wall milliseconds) and returns its status (124:
# cut short). The timeout's process group takes a pipeline down whole.
wall() {
	local limit=$1 in=$2 out=$3 t0 t1 rc=0
	shift 3
	t0=$EPOCHREALTIME
	timeout "$(calc 'int(a + 1)' "$limit" 0)" "$@" <"$in" >"$out" 2>>"$B/desk-$step.err" || rc=$?
	t1=$EPOCHREALTIME
	ms=$(calc '(b - a) * 1000' "$t0" "$t1")
	return "$rc"
}
# stage LIMIT IN OUT CMD...: one run of CMD (no shell) with stdin IN and
# stdout OUT, stopped after LIMIT seconds; sets ms (wall) and cpu (processor
# milliseconds, user and system); returns its status (124: cut short)
stage() {
	local limit=$1 in=$2 out=$3 r rc=0
	shift 3
	r=$(timeout "$(calc 'int(a + 1)' "$limit" 0)" "$B/timeit" -i "$in" -o "$out" "$@" \
		2>>"$B/desk-$step.err") || rc=$?
	[ "$rc" = 0 ] || return "$rc"
	ms=$(get mean_ms "$r")
	cpu=$(get cpu_ms "$r")
}
# limit SECONDS: at least 30 s
limit() {
	calc 'a < 30 ? 30 : a' "$1" 0
}
# firstcall CMD...: CMD's first call, a command that only reads: the
# median of FIRSTS, each the first process on the database's files as the
# step left them (the database itself through a hard link; its WAL and WAL
# index copied afresh, so that each rebuilds the index from the WAL, as a
# first call does); sets first_ms; returns 1 if a call failed. A call that
# wrote the database would have written it through the link: the bench
# stops there (exit 2), its database no longer the step's.
firstcall() {
	local out firsts=() f=$B/first.db was
	was=$(stat -c '%s %y' "$db")
	for _ in $(seq "$FIRSTS"); do
		rm -f "$f" "$f-wal" "$f-shm"
		ln "$db" "$f"
		for x in wal shm; do [ ! -e "$db-$x" ] || cp "$db-$x" "$f-$x"; done
		out=$(INC_DB=$f timeout 600 "$B/timeit" -n 1 "$@" 2>>"$B/desk-$step.err") || {
			rm -f "$f" "$f-wal" "$f-shm"
			return 1
		}
		firsts+=("$(get median_ms "$out")")
	done
	rm -f "$f" "$f-wal" "$f-shm"
	if [ "$(stat -c '%s %y' "$db")" != "$was" ]; then
		echo "desk.sh: $* wrote the database on its first call, through the link: stopped" >&2
		exit 2
	fi
	first_ms=$(median "${firsts[@]}")
}
# oneshot CMD...: ROUNDS rounds of calls of `sqlite3 DB 'select 1'` and of
# CMD in turn; sets sel_ms, cmd_ms (medians of the rounds' medians);
# returns 1 if a call failed
oneshot() {
	local out n=$(((RUNS + ROUNDS - 1) / ROUNDS)) sels=() cmds=()
	for _ in $(seq "$ROUNDS"); do
		out=$(timeout 600 "$B/timeit" -n "$n" -w 2 sqlite3 "$db" 'select 1') || return 1
		sels+=("$(get median_ms "$out")")
		out=$(timeout 600 "$B/timeit" -n "$n" -w 2 "$@" 2>>"$B/desk-$step.err") || return 1
		cmds+=("$(get median_ms "$out")")
	done
	sel_ms=$(median "${sels[@]}")
	cmd_ms=$(median "${cmds[@]}")
}
# show_rows WHEN: the one-shot inc-show figures, first call and steady
show_id=$(((N + 1) / 2))
show_rows() {
	step=show
	if ! firstcall inc-show "$show_id" || ! oneshot inc-show "$show_id"; then
		row "inc-show ID $1" failed - n/a '<=' "$SHOW_BUDGET"
		return 0
	fi
	row "inc-show ID $1, first call" "$(fmt_ms "$first_ms")" "$(fmt_ms "$sel_ms")" \
		"$(calc 'a / b' "$first_ms" "$sel_ms")" '<=' "$SHOW_BUDGET"
	row "inc-show ID $1" "$(fmt_ms "$cmd_ms")" "$(fmt_ms "$sel_ms")" \
		"$(calc 'a / b' "$cmd_ms" "$sel_ms")" '<=' "$SHOW_BUDGET"
}

bulk=$B/i15-$N-$SEED.jsonl
gen "$bulk" --profile issue15 "$N" "$SEED"
say "desk: one database through a desk's day, $(thousands "$N") incidents" \
	"(gen-incidents --profile issue15 $N $SEED, $(awk '{ s += length($0) + 1 } END { printf "%d", s / NR }' "$bulk") bytes a line)"
say "  figure                                                   ours       reference    ratio    budget"

# 1. bulk
export INC_NOW=2026-11-27T10:00:00Z
best_ref='' best_log=''
for _ in $(seq "$REPEAT"); do
	step=loader15
	rm -f "$B/loader15.db" "$B/loader15.db-wal" "$B/loader15.db-shm"
	if ! wall "$FIRST_LIMIT" "$bulk" /dev/null "$B/loader15" "$B/loader15.db"; then
		echo "desk.sh: loader15 failed, see bench/$B/desk-loader15.err" >&2
		exit 2
	fi
	best_ref=$(calc 'a == "" || b < a ? b : a' "$best_ref" "$ms")
	step=bulk
	rm -f "$db" "$db-wal" "$db-shm"
	if wall "$FIRST_LIMIT" "$bulk" /dev/null inc-log; then
		best_log=$(calc 'a == "" || b < a ? b : a' "$best_log" "$ms")
	else
		best_log=''
		break
	fi
done
rows=$(peek "$db" 'SELECT count(*) FROM incident' || echo 0)
if [ -z "$best_log" ] || [ "$rows" != "$N" ]; then
	row "bulk inc-log, $(thousands "$N") lines" "failed" "$(fmt_rate "$N" "$best_ref")" n/a \
		'>=' "$BULK_BUDGET"
	echo "desk.sh: bulk inc-log failed ($rows incidents stored), see bench/$B/desk-bulk.err;" \
		"the rest of the day cannot be measured" >&2
	exit 1
fi
[ "$(sqlite3 "$B/loader15.db" 'SELECT count(*) FROM incident')" = "$N" ] ||
	{ echo "desk.sh: loader15 did not store $N incidents" >&2; exit 2; }
row "bulk inc-log, $(thousands "$N") lines (rows/s)" "$(fmt_rate "$N" "$best_log")" \
	"$(fmt_rate "$N" "$best_ref")" "$(calc 'b / a' "$best_log" "$best_ref")" '>=' "$BULK_BUDGET"
say "    (after the bulk: $(wal))"

# 2. one-shot right after the bulk
show_rows "after the bulk"

# 3. inc-sla with nothing due. The 3,000 incidents of step 4: critical
# (high impact and urgency: 24x7, response 15m, warning at 11m15s), logged
# on Saturday at 12:00, 12:01 and 12:02, so that their warnings fall due at
# 12:11:15, 12:12:15 and 12:13:15 and nothing else does around then (the
# office-hours policies sleep on Saturdays).
gen "$B/sla-$SEED.jsonl" --profile issue15 $((3 * DUE)) $((SEED + 1))
jq -c -n --argjson due "$DUE" '[inputs] | to_entries[] | .value + {impact: "high",
	urgency: "high", created_at: "2026-11-28T12:0\(.key / $due | floor):00Z"} |
	del(.category)' "$B/sla-$SEED.jsonl" >"$B/sla-$SEED-critical.jsonl"
step=sla
export INC_NOW=2026-11-28T12:04:00Z
if ! inc-log <"$B/sla-$SEED-critical.jsonl" >/dev/null 2>>"$B/desk-sla.err"; then
	echo "desk.sh: inc-log of the SLA incidents failed, see bench/$B/desk-sla.err" >&2
	exit 1
fi
export INC_NOW=2026-11-28T12:05:00Z
if wall "$FIRST_LIMIT" /dev/null "$B/desk-attach.out" inc-sla; then
	row "inc-sla attaching policies to $(thousands $((N + 3 * DUE)))" "$(fmt_s "$ms")" - n/a
else
	row "inc-sla attaching policies to $(thousands $((N + 3 * DUE)))" "failed" - n/a
fi
left=$(inc-sla 2>>"$B/desk-sla.err" | wc -l)
[ "$left" = 0 ] || say "    (inc-sla still writes $left records with nothing due)"
say "    (after the attach pass: $(wal))"
if oneshot inc-sla; then
	row "inc-sla, nothing due" "$(fmt_ms "$cmd_ms")" "$(fmt_ms "$sel_ms")" \
		"$(calc 'a / b' "$cmd_ms" "$sel_ms")" '<=' "$IDLE_BUDGET"
else
	row "inc-sla, nothing due" failed - n/a '<=' "$IDLE_BUDGET"
fi

# 4. inc-sla with 1,000 transitions due, three times; then, for scale, the
# same three passes by slafloor.c on a copy of the database as the step
# found it: the rows inc-sla must read and write, by a C loop, nothing else
rm -f "$B/floor.db" "$B/floor.db-wal" "$B/floor.db-shm"
cp "$db" "$B/floor.db"
[ ! -s "$db-wal" ] || cp "$db-wal" "$B/floor.db-wal"
# on disk before it is timed: its closing checkpoint's fsync would write
# the whole copy out
sync "$B"/floor.db*
due_at=(2026-11-28T12:11:30Z 2026-11-28T12:12:30Z 2026-11-28T12:13:30Z)
due=() wrote=()
for k in 0 1 2; do
	export INC_NOW="${due_at[k]}"
	if out=$(timeout 600 "$B/timeit" -n 1 -o "$B/desk-due.out" inc-sla 2>>"$B/desk-sla.err"); then
		due+=("$(get median_ms "$out")")
		wrote+=("$(wc -l <"$B/desk-due.out")")
	fi
done
if [ "${#due[@]}" = 3 ]; then
	label="inc-sla, $(thousands "$DUE") transitions due"
	[ "${wrote[*]}" = "$DUE $DUE $DUE" ] || label="$label (wrote ${wrote[*]})"
	row "$label" "$(fmt_ms "$(median "${due[@]}")")" "$(fmt_ms "$sel_ms")" \
		"$(calc 'a / b' "$(median "${due[@]}")" "$sel_ms")" '<=' "$DUE_BUDGET"
else
	row "inc-sla, $(thousands "$DUE") transitions due" failed - n/a '<=' "$DUE_BUDGET"
fi
say "    (after the transitions: $(wal))"
floor=() fwrote=()
for k in 0 1 2; do
	at=$(date -u -d "${due_at[k]}" +%s)
	if out=$(timeout 600 "$B/timeit" -n 1 -o "$B/desk-floor.out" "$B/slafloor" "$B/floor.db" "$at" \
			2>>"$B/desk-sla.err"); then
		floor+=("$(get median_ms "$out")")
		fwrote+=("$(cat "$B/desk-floor.out")")
	fi
done
rm -f "$B/floor.db" "$B/floor.db-wal" "$B/floor.db-shm" "$B/desk-floor.out"
if [ "${#floor[@]}" = 3 ]; then
	label="  the same rows by a C loop alone (floor)"
	[ "${fwrote[*]}" = "$DUE $DUE $DUE" ] || label="$label (wrote ${fwrote[*]})"
	row "$label" "$(fmt_ms "$(median "${floor[@]}")")" "$(fmt_ms "$sel_ms")" \
		"$(calc 'a / b' "$(median "${floor[@]}")" "$sel_ms")"
else
	row "  the same rows by a C loop alone (floor)" failed - n/a
fi

# 5. intake. Each stage alone at M (its input the previous stage's output),
# then the pipeline on the same lines under other external_ids.
export INC_NOW=2026-11-28T12:20:00Z
declare -A t c	# t[stage,M]: wall ms, or ">limit" when cut short; c[stage,M]: cpu ms
stages=(inc-log inc-classify inc-assign)
sizes=($((PIPE_N / 2)) "$PIPE_N")
[ "$N" -gt "$PIPE_N" ] && sizes+=("$N")
prev=''
for m in "${sizes[@]}"; do
	in=$B/i15-$m-$((SEED + 2)).jsonl
	gen "$in" --profile issue15 "$m" $((SEED + 2))
	src=$in
	for s in "${stages[@]}"; do
		step=$s-$m
		out=$B/desk-$s.out
		[ "$s" = inc-assign ] && out=/dev/null
		if [ -n "$prev" ] && [ "${t[$s,$prev]#>}" = "${t[$s,$prev]}" ]; then
			lim=$(limit "$(calc "$FACTOR * $LINEAR_BUDGET * a * $m / $prev / 1000" "${t[$s,$prev]}" 0)")
		else
			lim=$FIRST_LIMIT
		fi
		c[$s,$m]=n/a
		if [ "$src" = skip ]; then
			t[$s,$m]=n/a
		elif stage "$lim" "$src" "$out" "$s"; then
			t[$s,$m]=$ms c[$s,$m]=$cpu
		else
			[ $? = 124 ] && t[$s,$m]=">$(calc 'a * 1000' "$lim" 0)" || t[$s,$m]=n/a
		fi
		case ${t[$s,$m]} in
		n/a | '>'*) src=skip ;;
		*) src=$out ;;
		esac
	done
	rm -f "$B"/desk-inc-log.out "$B"/desk-inc-classify.out
	say "    (stages alone at $(thousands "$m"), wall/cpu ms: ${t[inc-log,$m]}/${c[inc-log,$m]}" \
		"${t[inc-classify,$m]}/${c[inc-classify,$m]} ${t[inc-assign,$m]}/${c[inc-assign,$m]}; $(wal))"
	if [ "$m" != "${sizes[0]}" ]; then
		# the pipeline, against inc-log alone
		gen "$B/i15-$m-$((SEED + 2))-again.jsonl" --profile issue15 --offset 500000000 "$m" $((SEED + 2))
		step=pipe-$m
		label="inc-log | inc-classify | inc-assign, $(thousands "$m")"
		if [ "${t[inc-log,$m]}" = n/a ] || [ "${t[inc-log,$m]#>}" != "${t[inc-log,$m]}" ]; then
			row "$label" "not run" "${t[inc-log,$m]}" n/a '<=' "$PIPE_BUDGET"
		else
			lim=$(limit "$(calc "$FACTOR * $PIPE_BUDGET * a / 1000" "${t[inc-log,$m]}" 0)")
			rc=0
			wall "$lim" "$B/i15-$m-$((SEED + 2))-again.jsonl" /dev/null \
				bash -c 'inc-log | inc-classify | inc-assign' || rc=$?
			if [ "$rc" = 0 ]; then
				row "$label" "$(fmt_s "$ms")" "$(fmt_s "${t[inc-log,$m]}")" \
					"$(calc 'a / b' "$ms" "${t[inc-log,$m]}")" '<=' "$PIPE_BUDGET"
			elif [ "$rc" = 124 ]; then
				row "$label" "> $(printf '%.0f s' "$lim")" "$(fmt_s "${t[inc-log,$m]}")" \
					">$(calc 'a * 1000 / b' "$lim" "${t[inc-log,$m]}")" '<=' "$PIPE_BUDGET"
			else
				row "$label" "failed" "$(fmt_s "${t[inc-log,$m]}")" n/a '<=' "$PIPE_BUDGET"
			fi
		fi
		say "    (after the pipeline: $(wal))"
		# linearity: processor time per record at m against at prev (wall
		# time would follow whatever else the machine does meanwhile)
		for s in "${stages[@]}"; do
			a=${c[$s,$m]} b=${c[$s,$prev]}
			label="$s alone, cpu per record, $(thousands "$m") vs $(thousands "$prev")"
			if [ "$b" = n/a ]; then
				row "$label" "${t[$s,$m]%%.*} ms" "${t[$s,$prev]%%.*} ms" n/a '<=' "$LINEAR_BUDGET"
			elif [ "$a" = n/a ]; then
				row "$label" "cut at $(calc 'sprintf("%.0f s", a / 1000)' "${t[$s,$m]#>}" 0)" \
					"$(calc 'sprintf("%.1f us", a * 1000 / b)' "$b" "$prev")" n/a '<=' "$LINEAR_BUDGET"
			else
				row "$label" "$(calc 'sprintf("%.1f us", a * 1000 / b)' "$a" "$m")" \
					"$(calc 'sprintf("%.1f us", a * 1000 / b)' "$b" "$prev")" \
					"$(calc "a / $m * $prev / b" "$a" "$b")" '<=' "$LINEAR_BUDGET"
			fi
		done
	fi
	prev=$m
done

# 6. one-shot after the intake
show_rows "after the intake"

# 7. a day of cron on a Sunday, with small intake pipelines in between: their
# incidents are logged "now" (no created_at). First the policies of the
# intake's incidents, for information: cron ran no inc-sla during the
# intake, and the day is to show the cron's steady cost.
step=catchup
export INC_NOW=2026-11-28T23:59:00Z
n_in=$(peek "$db" "SELECT count(*) FROM incident WHERE sla_policy IS NULL" || echo '?')
if wall "$FIRST_LIMIT" /dev/null /dev/null inc-sla; then
	row "inc-sla attaching policies to $(thousands "$n_in") more" "$(fmt_s "$ms")" - n/a
else
	row "inc-sla attaching policies to $(thousands "$n_in") more" "failed" - n/a
fi
gen "$B/day-$SEED.jsonl" --profile issue15 $((5 * DAY_PIPES)) $((SEED + 3))
sed -E 's/,"created_at":("[^"]*"|[0-9]+)}$/}/' "$B/day-$SEED.jsonl" >"$B/day-$SEED-now.jsonl"
step=day
day0=1795910400		# 2026-11-29T00:00:00Z, a Sunday
p=0 dayfail=0 cron_us=0 pipe_us=0 worst_us=0
t0=$EPOCHREALTIME
for ((minute = 0; minute < DAY_MIN; minute++)); do
	INC_NOW=$((day0 + 60 * minute))
	export INC_NOW
	if [ $((minute * DAY_PIPES / DAY_MIN)) -ge "$p" ] && [ "$p" -lt "$DAY_PIPES" ]; then
		u0=${EPOCHREALTIME/./}
		sed -n "$((5 * p + 1)),$((5 * p + 5))p" "$B/day-$SEED-now.jsonl" |
			inc-log | inc-classify | inc-assign >/dev/null 2>>"$B/desk-day.err" || dayfail=1
		pipe_us=$((pipe_us + ${EPOCHREALTIME/./} - u0))
		p=$((p + 1))
	fi
	u0=${EPOCHREALTIME/./}
	inc-sla 2>>"$B/desk-day.err" | inc-escalate >/dev/null 2>>"$B/desk-day.err" || dayfail=1
	u=$((${EPOCHREALTIME/./} - u0))
	cron_us=$((cron_us + u))
	[ "$u" -le "$worst_us" ] || worst_us=$u
done
t1=$EPOCHREALTIME
[ "$dayfail" = 0 ] || say "    (some of the day's runs failed: see bench/$B/desk-day.err)"
row "a day: inc-sla | inc-escalate, mean of $DAY_MIN" "$(fmt_ms "$(calc "a / 1000 / $DAY_MIN" "$cron_us" 0)")" \
	"$(fmt_ms "$sel_ms")" "$(calc "a / 1000 / $DAY_MIN / b" "$cron_us" "$sel_ms")"
row "a day: inc-sla | inc-escalate, slowest" "$(fmt_ms "$(calc 'a / 1000' "$worst_us" 0)")" \
	"$(fmt_ms "$sel_ms")" "$(calc 'a / 1000 / b' "$worst_us" "$sel_ms")"
[ "$p" = 0 ] || row "a day: 5 incidents through the intake, mean of $p" \
	"$(fmt_ms "$(calc "a / 1000 / $p" "$pipe_us" 0)")" "$(fmt_ms "$sel_ms")" \
	"$(calc "a / 1000 / $p / b" "$pipe_us" "$sel_ms")"
say "    (after the day: $(wal), $(calc 'sprintf("%.0f", (b - a))' "$t0" "$t1") s)"
export INC_NOW=$((day0 + 60 * DAY_MIN))
show_rows "after the day"
after_day=$cmd_ms

# For information only, last: the same call on a database checkpointed by
# hand, which is what "as on a freshly checkpointed database" means
sqlite3 "$db" 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null
step=show
if oneshot inc-show "$show_id"; then
	row "inc-show ID after the day, vs checkpointed" "$(fmt_ms "$after_day")" \
		"$(fmt_ms "$cmd_ms")" "$(calc 'a / b' "$after_day" "$cmd_ms")"
fi

[ "$failed" = 0 ] || exit 1
