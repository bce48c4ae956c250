#!/usr/bin/env bash
# bench/report.sh - inc-report --by category,priority over a million
# incidents, against the same figures computed by hand-written SQL through
# sqlite3: prints both times (best of three, after a warm-up run), their
# ratio, and whether the two agree figure for figure.
#
#	bench/report.sh [N]	N incidents: N, else $BENCH_N, else 1000000
#				(20000 under BENCH_CI)
#
# The database is built once with SQL (a recursive CTE writing incidents
# through their whole life cycle: responded, resolved, closed, rated,
# reassigned, escalated, reopened) and kept as $BENCH_DB, by default
# bench/build/report-N.db, beside the build that made it: a database made by
# another build of inc (a newer schema), or left short by a killed run, is
# made again. Needs a build (make) and sqlite3.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
cd "$here"
# shellcheck source=bench/common.sh
. ./common.sh
if [ -n "$ci" ]; then
	n=${1:-${BENCH_N:-20000}}
else
	n=${1:-${BENCH_N:-1000000}}
fi
case $n in '' | *[!0-9]*) echo "usage: bench/report.sh [N]" >&2; exit 2 ;; esac
mkdir -p "$B"
db=${BENCH_DB:-$here/$B/report-$n.db}
tool=$root/bin/inc-report
export INC_CONFIG=$root/share/config.json INC_USER=root INC_NOW=2026-11-27T10:00:00Z
unset INC_DB

command -v sqlite3 >/dev/null || { echo "bench/report.sh: needs sqlite3" >&2; exit 2; }
[ -x "$tool" ] || { echo "bench/report.sh: build first (make)" >&2; exit 2; }

# kept only if this build opens it and it holds its N incidents
if [ -s "$db" ] && { ! "$root/bin/inc-show" -d "$db" </dev/null >/dev/null 2>&1 ||
	[ "$(sqlite3 "$db" 'SELECT count(*) FROM incident' 2>/dev/null)" != "$n" ]; }; then
	echo "report.sh: $db: not of this build or not whole, made again" >&2
	rm -f "$db" "$db-wal" "$db-shm"
fi
if [ ! -s "$db" ]; then
	echo "building $db ($n incidents)..." >&2
	rm -f "$db" "$db-wal" "$db-shm"
	"$root/bin/inc-show" -d "$db" </dev/null >/dev/null	# the schema
	# a, b, c, d: four independent draws in [0, 1000) per incident
	sqlite3 "$db" <<EOF
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $n),
x AS MATERIALIZED (SELECT i, random() AS r, random() AS s FROM n),
v AS (SELECT i, abs(r) % 1000 AS a, abs(r / 1000) % 1000 AS b, abs(s) % 1000 AS c,
	abs(s / 1000) % 1000 AS d, 1795773600 - (abs(r / 1000000) % 31536000) AS t FROM x)
INSERT INTO incident(subject, requester, source, category, priority, impact, urgency,
	status, grp, assignee, created_at, updated_at, responded_at, response_met,
	resolved_at, resolve_met, closed_at, reopen_count, reassignment_count, rating,
	escalated, ever_resolved, first_assignee, first_group, sla_policy)
SELECT 'incident ' || i, 'user' || (c * 7 % 500) || '@example.com',
	json_extract('["phone","email","web","chat","monitoring"]', '\$[' || (b % 5) || ']'),
	json_extract('["network","hardware","access","email","service"]', '\$[' || (c % 5) || ']'),
	json_extract('["critical","high","medium","low"]', '\$[' || (d % 4) || ']'),
	'medium', 'medium',
	CASE WHEN a < 60 THEN 'new' WHEN a < 80 THEN 'assigned' WHEN a < 150 THEN 'in_progress'
	     WHEN a < 170 THEN 'on_hold' WHEN a < 400 THEN 'resolved' WHEN a < 990 THEN 'closed'
	     ELSE 'cancelled' END,
	CASE WHEN b < 600 THEN 'service-desk' WHEN b < 900 THEN 'l2-infra' ELSE 'l3-network' END,
	json_extract('["alice","bob","chen","dana","erik"]', '\$[' || (d % 5) || ']'),
	t, t,
	CASE WHEN a >= 60 AND a < 990 THEN t + 30 * (1 + (b * c) % 600) END,
	CASE WHEN a >= 60 AND a < 990 THEN (c % 10) < 8 END,
	CASE WHEN a >= 170 AND a < 990 THEN t + 60 * (10 + (c * d) % 4000) END,
	CASE WHEN a >= 170 AND a < 990 THEN (d % 10) < 7 END,
	CASE WHEN a >= 400 AND a < 990 THEN t + 60 * (10 + (c * d) % 4000) + 86400 END,
	(c % 20 = 0), (b * d) % 3, CASE WHEN a >= 400 AND a < 990 AND b % 2 = 0 THEN 1 + d % 5 END,
	(b + c) % 17 = 0, (a >= 170 AND a < 990) OR c % 20 = 0,
	CASE WHEN (b * d) % 3 = 0 THEN json_extract('["alice","bob","chen","dana","erik"]', '\$[' || (d % 5) || ']') ELSE 'alice' END,
	CASE WHEN b < 750 THEN 'service-desk' ELSE 'l2-infra' END, 'standard'
FROM v;
EOF
fi

# The figures of inc-report(1), by hand: integer sums, rounded halves away
# from zero, percentiles interpolated between the ranks around (m-1)q.
hand_sql=$(cat <<'EOF'
.headers on
.mode csv
WITH a AS (
 SELECT category, priority, count(*) AS n,
  sum(status IN ('new','assigned','in_progress','on_hold')) AS open,
  sum(status IN ('resolved','closed')) AS resolved,
  sum(responded_at - created_at) AS tta, count(responded_at) AS tta_n,
  sum(CASE WHEN status IN ('resolved','closed') THEN resolved_at - created_at END) AS ttr,
  count(CASE WHEN status IN ('resolved','closed') THEN resolved_at END) AS ttr_n,
  sum(response_met = 1) AS rm, count(response_met) AS rm_n,
  sum(resolve_met = 1) AS sm, count(resolve_met) AS sm_n,
  sum(ever_resolved = 1 AND reopen_count > 0) AS reop, sum(ever_resolved = 1) AS ever,
  sum(status IN ('resolved','closed') AND reassignment_count = 0 AND escalated = 0
      AND assignee = first_assignee AND first_group = 'service-desk') AS fcr,
  sum(reassignment_count) AS reas, sum(escalated <> 0) AS esc,
  sum(rating) AS rat, count(rating) AS rat_n
 FROM incident GROUP BY category, priority),
r AS (
 SELECT category, priority, resolved_at - created_at AS d,
  row_number() OVER w - 1 AS i, count(*) OVER (w ROWS BETWEEN UNBOUNDED PRECEDING
  AND UNBOUNDED FOLLOWING) AS m
 FROM incident WHERE status IN ('resolved','closed') AND resolved_at IS NOT NULL
 WINDOW w AS (PARTITION BY category, priority ORDER BY resolved_at - created_at)),
p AS (
 SELECT category, priority, max(m) AS m,
  max(CASE WHEN i = (m - 1) / 2 THEN d END) AS lo5, max(CASE WHEN i = (m - 1) / 2 + 1 THEN d END) AS hi5,
  max(CASE WHEN i = (m - 1) * 9 / 10 THEN d END) AS lo9, max(CASE WHEN i = (m - 1) * 9 / 10 + 1 THEN d END) AS hi9
 FROM r GROUP BY category, priority)
SELECT a.category, a.priority, n AS count, open, resolved,
 (2 * tta + tta_n) / (2 * tta_n) AS mtta_s,
 (2 * ttr + ttr_n) / (2 * ttr_n) AS mttr_s,
 (2 * (2 * lo5 + (coalesce(hi5, lo5) - lo5) * ((m - 1) % 2)) + 2) / 4 AS mttr_p50_s,
 (2 * (10 * lo9 + (coalesce(hi9, lo9) - lo9) * ((m - 1) * 9 % 10)) + 10) / 20 AS mttr_p90_s,
 CASE WHEN rm_n THEN printf('%d.%02d', (20000 * rm / rm_n + 1) / 2 / 100, (20000 * rm / rm_n + 1) / 2 % 100) END AS sla_response_pct,
 CASE WHEN sm_n THEN printf('%d.%02d', (20000 * sm / sm_n + 1) / 2 / 100, (20000 * sm / sm_n + 1) / 2 % 100) END AS sla_resolve_pct,
 CASE WHEN ever THEN printf('%d.%02d', (20000 * reop / ever + 1) / 2 / 100, (20000 * reop / ever + 1) / 2 % 100) END AS reopen_pct,
 CASE WHEN resolved THEN printf('%d.%02d', (20000 * fcr / resolved + 1) / 2 / 100, (20000 * fcr / resolved + 1) / 2 % 100) END AS fcr_pct,
 CASE WHEN n THEN printf('%d.%02d', (200 * reas / n + 1) / 2 / 100, (200 * reas / n + 1) / 2 % 100) END AS reassign_avg,
 CASE WHEN n THEN printf('%d.%02d', (20000 * esc / n + 1) / 2 / 100, (20000 * esc / n + 1) / 2 % 100) END AS escalated_pct,
 CASE WHEN rat_n THEN printf('%d.%02d', (200 * rat / rat_n + 1) / 2 / 100, (200 * rat / rat_n + 1) / 2 % 100) END AS csat
FROM a LEFT JOIN p ON p.category IS a.category AND p.priority IS a.priority
ORDER BY a.category, a.priority;
EOF
)

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# milliseconds of wall-clock time "$@" takes, output to file $1
ms() {
	local f=$1 t0 t1
	shift
	t0=$(date +%s%N)
	"$@" >"$out/$f"
	t1=$(date +%s%N)
	echo $(( (t1 - t0) / 1000000 ))
}
hand() { sqlite3 "$db" <<<"$hand_sql"; }
tool() { "$tool" -d "$db" --by category,priority --format csv; }

# a warm-up run each, then the best of three rounds, taking turns so that
# a load on the machine weighs on both alike
if ! tool >/dev/null 2>"$out/tool.err"; then
	echo "report.sh: inc-report failed on $db: $(head -n 1 "$out/tool.err")" >&2
	row "inc-report on $(thousands "$n")" failed - n/a
	exit 1
fi
hand >/dev/null
t_tool='' t_sql=''
for _ in 1 2 3; do
	t=$(ms tool.csv tool)
	if [ -z "$t_tool" ] || [ "$t" -lt "$t_tool" ]; then t_tool=$t; fi
	t=$(ms hand.csv hand)
	if [ -z "$t_sql" ] || [ "$t" -lt "$t_sql" ]; then t_sql=$t; fi
done
# sqlite3 -csv writes CRLF line ends
tr -d '\r' <"$out/hand.csv" >"$out/hand.lf"
count=$(sqlite3 "$db" 'SELECT count(*) FROM incident')
if cmp -s "$out/tool.csv" "$out/hand.lf"; then
	agree="figures identical"
else
	agree="figures DIFFER"
fi
echo "report: inc-report --by category,priority against hand-written SQL through sqlite3, best of 3"
row "inc-report on $(thousands "$count"), vs SQL ($agree)" "$(fmt_ms "$t_tool")" "$(fmt_ms "$t_sql")" \
	"$(calc 'a / (b ? b : 1)' "$t_tool" "$t_sql")"
if [ "$agree" != "figures identical" ]; then
	diff "$out/tool.csv" "$out/hand.lf" >&2 || true
	exit 1
fi
