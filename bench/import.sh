#!/bin/bash
# import.sh - inc-import on the three real logs of ../shared/data (see its
# README), whole, each into a fresh database:
#
#	bench/import.sh [servicenow|xes|helpdesk ...]
#
# For each log: the source's rows (CSV rows, XES events) imported per second
# of wall time, the process's CPU seconds and peak RSS, beside inc-log
# loading the same incidents (one line each, built with jq from the first
# of each incident's normalized events: what the log says when the incident
# was opened), then the log's KPIs (inc-report) and the incidents' SLA
# compliance under resolve targets a third as long (inc-sla --what-if).
# No budget: information. The build of the tools is make's (bin/,
# tests/unit/import_test); the work files go to bench/build/.
#
# A log that is not there is skipped, saying so; none at all: exit 77.
set -eu -o pipefail
cd "$(dirname "$0")"
root=$(cd .. && pwd)
data=$root/../shared/data
B=build

# shellcheck source=bench/common.sh
. ./common.sh
need_tools import.sh inc-import inc-log inc-report inc-sla
if [ ! -x "$root/tests/unit/import_test" ]; then
	echo "import.sh: $root/tests/unit/import_test: missing; run make first" >&2
	exit 2
fi
make -s build/timeit >/dev/null
export INC_CONFIG="$root/share/config.json" INC_USER=root INC_NOW=2026-11-27T10:00:00Z
unset INC_DB INC_BUSY_TIMEOUT
mkdir -p "$B"

# get KEY "timeit output line"
get() {
	local s=${2#*"$1"=}
	echo "${s%% *}"
}

# run NAME INPUT DB COMMAND...: one run into a fresh DB; sets wall (s),
# cpu (s, user + system) and rss (KB)
run() {
	local name=$1 in=$2 db=$3 out t0 t1
	shift 3
	rm -f "$db" "$db-wal" "$db-shm"
	t0=$(awk '{ print $14 + $15 + $16 + $17 }' /proc/$$/stat)
	if ! out=$("$B/timeit" -n 1 -i "$in" "$@" 2>"$B/$name.err"); then
		echo "import.sh: $name failed, see bench/$B/$name.err" >&2
		exit 1
	fi
	t1=$(awk '{ print $14 + $15 + $16 + $17 }' /proc/$$/stat)
	wall=$(calc 'a / 1000' "$(get mean_ms "$out")" 0)
	cpu=$(calc "(a - b) / $(getconf CLK_TCK)" "$t1" "$t0")
	rss=$(get maxrss_kb "$out")
}

# One incident per line for inc-log, from its first normalized event: its
# descriptive fields (groups and categories, which the config does not
# know, into custom), its time as created_at, its key as external_id.
# shellcheck disable=SC2016 # jq's own $e
inclog_lines='group_by(.id)[] | sort_by(.at, .seq) | .[0] as $e
	| {subject: ($e.subject // (($e.custom.product // "") + " (" + $e.id + ")")),
	   requester: $e.requester, source: $e.source, impact: $e.impact,
	   urgency: $e.urgency, priority: $e.priority, external_id: ("bench:" + $e.id),
	   created_at: $e.at,
	   custom: (($e.custom // {}) + {group: $e.group, category: $e.category})}
	| with_entries(select(.value != null))'

one() {
	local format=$1 file=$2 map=$3 rows
	if [ ! -r "$data/$file" ]; then
		echo "import.sh: $data/$file: not found; skipped" >&2
		return 1
	fi
	gzip -dc "$data/$file" >"$B/$format.log"
	case $format in
	xes) rows=$(grep -c '<event>' "$B/$format.log") ;;
	*) rows=$(($(wc -l <"$B/$format.log") - 1)) ;;
	esac
	"$root/tests/unit/import_test" --dump "$format" "$root/share/import/$map" \
		<"$B/$format.log" >"$B/$format.events" 2>/dev/null
	jq -s -c "$inclog_lines" "$B/$format.events" >"$B/$format.inclog"

	run "$format-import" "$B/$format.log" "$B/$format.db" \
		"$root/bin/inc-import" -d "$B/$format.db" --format "$format"
	local iwall=$wall icpu=$cpu irss=$rss n
	n=$(sqlite3 "$B/$format.db" 'SELECT count(*) FROM incident')
	run "$format-log" "$B/$format.inclog" "$B/$format-log.db" \
		"$root/bin/inc-log" -d "$B/$format-log.db"
	printf '%-10s rows=%d events=%d incidents=%d import_s=%.1f cpu_s=%.1f rows_per_s=%.0f rows_per_cpu_s=%.0f maxrss_kb=%d | inc-log incidents=%d s=%.2f incidents_per_s=%.0f\n' \
		"$format" "$rows" "$(wc -l <"$B/$format.events")" "$n" "$iwall" "$icpu" \
		"$(calc 'a / b' "$rows" "$iwall")" "$(calc 'a / b' "$rows" "$icpu")" "$irss" \
		"$(sqlite3 "$B/$format-log.db" 'SELECT count(*) FROM incident')" "$wall" \
		"$(calc 'a / b' "$(wc -l <"$B/$format.inclog")" "$wall")"
	"$root/bin/inc-report" -d "$B/$format.db" --format table | sed 's/^/    /'
	jq '.sla |= map(.resolve |= ({"4h": "80m", "8h": "160m", "24h": "8h"}[.] // .))' \
		"$INC_CONFIG" >"$B/tight.json"
	"$root/bin/inc-sla" -d "$B/$format.db" --what-if "$B/tight.json" --format table | sed 's/^/    /'
}

[ $# -gt 0 ] || set -- servicenow xes helpdesk
done=0
for f in "$@"; do
	case $f in
	servicenow) one servicenow uci-incident-event-log.csv.gz servicenow.json && done=1 ;;
	xes) one xes bpi2013-incidents.xes.gz bpi2013.json && done=1 ;;
	helpdesk) one helpdesk helpdesk-event-log.csv.gz helpdesk.json && done=1 ;;
	*) echo "usage: import.sh [servicenow|xes|helpdesk ...]" >&2; exit 2 ;;
	esac || true
done
[ "$done" = 1 ] || exit 77
