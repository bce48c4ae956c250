#!/bin/sh
# import-figures.sh - the true figures of a real incident log, computed
# straight from the raw file with POSIX awk and coreutils, never through
# inc's own reader, so that tests can hold inc-import and inc-report to them:
#
#	tests/import-figures.sh servicenow ../shared/data/uci-incident-event-log.csv.gz
#	tests/import-figures.sh xes ../shared/data/bpi2013-incidents.xes.gz
#	tests/import-figures.sh helpdesk ../shared/data/helpdesk-event-log.csv.gz
#	tests/import-figures.sh jsonl EVENTS.jsonl[.gz]
#
# prints one JSON object per figure, {"figure":"incidents","value":24918}.
# Without the file: a message on stderr and exit status 77 (skipped).
#
# How the log is read. Each format is first turned into one line per event,
# "id TAB time TAB seq TAB class TAB group TAB assignee TAB sets TAB
# source counters", then sorted by incident, time (epoch seconds, UTC), then
# seq, the order in which inc-import applies an incident's events:
#
#   servicenow  one line per row at sys_updated_at (d/m/yyyy HH:MM, UTC),
#               seq sys_mod_count; before them the incident's opening, at
#               the earliest of opened_at and sys_created_at, seq -1 (no
#               update is ever earlier). Every row sets the group
#               (assignment_group) and the assignee (assigned_to), "?"
#               being none: a row is a snapshot of the incident.
#   xes         one line per <event> of a <trace> (the trace's concept:name
#               is the incident), at time:timestamp taken to UTC, seq the
#               event's number in the file; every event sets the group
#               (org:group) and the assignee (org:resource, "-" none). The
#               file is read line by line, one attribute per line, as
#               OpenXES writes it.
#   jsonl       normalized events (share/import/README.md), read with jq:
#               the figures of what inc-import's reader made of a log, to
#               hold it to the raw ones; status gives the class (resolved
#               and closed R, cancelled C, any other O, none -), "group"
#               and "assignee" set what they hold (null: none), and
#               custom.source_reassignment_count and source_reopen_count
#               give the source's counters.
#   helpdesk    one line per row at Complete Timestamp (UTC), seq the row's
#               number; every row sets the group (workgroup); only "Take
#               in charge ticket" sets the assignee (Resource): the closing
#               rows are written by two closing accounts, not technicians.
#               Rows in capitals (VERIFIED, RESOLVED, INVALID, DUPLICATE)
#               are the states of a linked bug in the bug tracker, with
#               that bug's attributes, and are left out.
#
# Each event's state falls in a class, the same as the shipped mappings
# (share/import/*.json) give, written here by hand:
#   O open:      servicenow New, Active, Awaiting *; xes Queued/*, Accepted/*;
#                helpdesk Insert ticket, Take in charge ticket, Wait
#   R resolved:  servicenow Resolved, Closed; xes Completed/Resolved,
#                Completed/In Call (resolved in the call), Completed/Closed;
#                helpdesk Resolve ticket, Closed
#   C cancelled: xes Completed/Cancelled
#   - no change: servicenow -100; xes Unmatched/Unmatched; helpdesk Assign
#                seriousness, Require upgrade, Create SW anomaly, Resolve SW
#                anomaly, Schedule intervention
# An incident begins open, at its opening (servicenow) or its first event.
#
# The figures, per incident in that order, summed over the log:
#   incidents        distinct incident keys
#   ever_resolved    incidents that reached class R at least once
#   resolved         incidents whose last class is R (inc-report's resolved)
#   open             incidents whose last class is O (inc-report's open)
#   cancelled        incidents whose last class is C
#   reopened         incidents moved at least once from R back to O
#   reopenings       all such moves (R to C, or C to O, is none)
#   reopen_count_source   servicenow: the sum over incidents of the largest
#                    reopen_count of their rows, ServiceNow's own count
#   reassignments    servicenow: the sum over incidents of the largest
#                    reassignment_count (ServiceNow's own, which counts
#                    changes of group only); xes, helpdesk: as derived
#   reassignments_derived  inc's reassignment_count (SPEC section 1, and
#                    lib/lifecycle.c): after the first event that leaves an
#                    assignee, each event that changes the group or the
#                    assignee (to another or to none) counts one
#   mttr_s           mean over ever_resolved incidents of the last
#                    resolution (the last move into R, not a move from
#                    resolved to closed) minus the opening, in seconds,
#                    rounded half away from zero as inc-report rounds
#   mttr_s_resolved  the same over the resolved ones only (inc-report's
#                    mttr_s: a reopened incident has no resolved_at)
#   events           lines of the sorted stream (servicenow: rows plus one
#                    opening per incident), as a check on the reading
set -eu

usage() {
	echo "usage: import-figures.sh servicenow|xes|helpdesk|jsonl FILE[.gz]" >&2
	exit 2
}
[ $# -eq 2 ] || usage
format=$1
file=$2
if [ ! -r "$file" ]; then
	echo "import-figures.sh: $file: not found (real incident logs live in ../shared/data, see its README); skipped" >&2
	exit 77
fi

# Shared by the readers: days since 1970-01-01 of a proleptic Gregorian date.
days='
function days(y, m, d,   era, yoe, doy, doe) {
	y -= (m <= 2)
	era = int((y >= 0 ? y : y - 399) / 400)
	yoe = y - era * 400
	doy = int((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1
	doe = yoe * 365 + int(yoe / 4) - int(yoe / 100) + doy
	return era * 146097 + doe - 719468
}
function out(id, t, seq, class, group, assignee, sets, c1, c2) {
	printf "%s\t%d\t%d\t%s\t%s\t%s\t%s\t%s\t%s\n", id, t, seq, class, group, \
		assignee, sets, c1, c2
}'

# shellcheck disable=SC2016 # awk's own $fields
servicenow='
# "29/2/2016 01:16" -> epoch seconds
function epoch(s,   a, d, h) {
	split(s, a, " ")
	split(a[1], d, "/")
	split(a[2], h, ":")
	return days(d[3] + 0, d[2] + 0, d[1] + 0) * 86400 + h[1] * 3600 + h[2] * 60
}
function class(s) {
	if (s == "Resolved" || s == "Closed")
		return "R"
	if (s == "New" || s == "Active" || s ~ /^Awaiting /)
		return "O"
	return "-"
}
function v(name) {
	return $(col[name]) == "?" ? "" : $(col[name])
}
NR == 1 {
	if (index($0, "\"")) {
		print "import-figures.sh: quoted CSV fields: this script reads plain ones" > "/dev/stderr"
		exit 3
	}
	sub(/\r$/, "")
	for (i = 1; i <= NF; i++)
		col[$i] = i
	next
}
{
	sub(/\r$/, "")
	id = $(col["number"])
	if (!(id in opened)) {
		t = epoch($(col["opened_at"]))
		if (v("sys_created_at") != "" && epoch(v("sys_created_at")) < t)
			t = epoch(v("sys_created_at"))
		opened[id] = 1
		out(id, t, -1, "O", "", "", "", "", "")
	}
	out(id, epoch($(col["sys_updated_at"])), $(col["sys_mod_count"]),
	    class($(col["incident_state"])), v("assignment_group"), v("assigned_to"),
	    "GA", $(col["reassignment_count"]), $(col["reopen_count"]))
}'

# shellcheck disable=SC2016 # awk's own $fields
xes='
function unxml(s) {
	gsub(/&lt;/, "<", s)
	gsub(/&gt;/, ">", s)
	gsub(/&quot;/, "\"", s)
	gsub(/&apos;/, "\047", s)
	gsub(/&amp;/, "\\&", s)
	return s
}
# the value of attribute a in this line
function attr(a,   i, s) {
	i = index($0, " " a "=\"")
	if (!i)
		return ""
	s = substr($0, i + length(a) + 3)
	return unxml(substr(s, 1, index(s, "\"") - 1))
}
# "2010-03-31T16:59:42+02:00" (fraction, Z or offset) -> epoch seconds UTC
function epoch(s,   t, off, sign) {
	t = days(substr(s, 1, 4) + 0, substr(s, 6, 2) + 0, substr(s, 9, 2) + 0) * 86400 + \
		substr(s, 12, 2) * 3600 + substr(s, 15, 2) * 60 + substr(s, 18, 2)
	s = substr(s, 20)
	sub(/^[.,][0-9]+/, "", s)
	if (s ~ /^[+-][0-9][0-9]:?[0-9][0-9]$/) {
		sign = substr(s, 1, 1) == "-" ? -1 : 1
		sub(/:/, "", s)
		off = substr(s, 2, 2) * 3600 + substr(s, 4, 2) * 60
		t -= sign * off
	}
	return t
}
function class(s) {
	if (s == "Completed/Resolved" || s == "Completed/In Call" || s == "Completed/Closed")
		return "R"
	if (s == "Completed/Cancelled")
		return "C"
	if (s ~ /^(Queued|Accepted)\//)
		return "O"
	return "-"
}
function none(s) {
	return s == "-" || s == "UNKNOWN" ? "" : s
}
/<trace>/ { intrace = 1; id = ""; next }
/<\/trace>/ { intrace = 0; next }
/<event>/ { inevent = 1; split("", a); next }
/<\/event>/ {
	inevent = 0
	n++
	out(id, epoch(a["time:timestamp"]), n, class(a["concept:name"] "/" a["lifecycle:transition"]),
	    none(a["org:group"]), none(a["org:resource"]), "GA", "", "")
	next
}
intrace && /key="/ {
	if (inevent)
		a[attr("key")] = attr("value")
	else if (attr("key") == "concept:name")
		id = attr("value")
}'

# shellcheck disable=SC2016 # awk's own $fields
helpdesk='
# "2012/10/09 14:50:17.000" -> epoch seconds
function epoch(s,   a, d, h) {
	split(s, a, " ")
	split(a[1], d, "/")
	split(a[2], h, ":")
	return days(d[1] + 0, d[2] + 0, d[3] + 0) * 86400 + h[1] * 3600 + h[2] * 60 + int(h[3])
}
function class(s) {
	if (s == "Resolve ticket" || s == "Closed")
		return "R"
	if (s == "Insert ticket" || s == "Take in charge ticket" || s == "Wait")
		return "O"
	return "-"
}
NR == 1 {
	if (index($0, "\"")) {
		print "import-figures.sh: quoted CSV fields: this script reads plain ones" > "/dev/stderr"
		exit 3
	}
	sub(/\r$/, "")
	for (i = NF; i >= 1; i--)
		col[$i] = i
	next
}
{
	sub(/\r$/, "")
	act = $(col["Activity"])
	if (act ~ /^[A-Z]+$/)
		next
	taken = act == "Take in charge ticket"
	out($(col["Case ID"]), epoch($(col["Complete Timestamp"])), NR - 1, class(act),
	    $(col["workgroup"]), taken ? $(col["Resource"]) : "", taken ? "GA" : "G", "", "")
}'

# The normalized events (inc-import's --format jsonl, or what its reader
# made of a log), with jq: the same figures from what the reader produced.
jsonl='
def class: if . == null then "-" elif . == "resolved" or . == "closed" then "R"
	elif . == "cancelled" then "C" else "O" end;
[.id, (.at | fromdateiso8601), (.seq // 0), (.status | class),
 (.group // ""), (.assignee // ""),
 ((if has("group") then "G" else "" end) + (if has("assignee") then "A" else "" end)),
 (.custom.source_reassignment_count // ""), (.custom.source_reopen_count // "")]
| map(tostring) | join("\t")'

case $format in
servicenow) prog=$servicenow ;;
xes) prog=$xes ;;
helpdesk) prog=$helpdesk ;;
jsonl) ;;
*) usage ;;
esac

read_log() {
	case $format in
	jsonl) gzip -dcf "$file" | jq -r "$jsonl" ;;
	*) gzip -dc "$file" | awk -F, "$days$prog" ;;
	esac
}

tab=$(printf '\t')
read_log | LC_ALL=C sort -t "$tab" -k1,1 -k2,2n -k3,3n |
awk -F '\t' -v format="$format" '
function rounded(num, den) {	# half away from zero, as inc-report
	return num >= 0 ? int((2 * num + den) / (2 * den)) : -int((-2 * num + den) / (2 * den))
}
function finish() {
	if (id == "")
		return
	incidents++
	if (ever) {
		ever_resolved++
		ttr_sum += last_res - created
	}
	if (cur == "R") {
		resolved++
		ttr_res_sum += last_res - created
	} else if (cur == "C") {
		cancelled++
	} else {
		open++
	}
	if (reopens) {
		reopened++
		reopenings += reopens
	}
	src_reass += max_reass
	src_reopen += max_reopen
	derived += reass
}
{
	events++
	if ($1 != id) {
		finish()
		id = $1
		created = $2
		cur = "O"
		ever = reopens = reass = max_reass = max_reopen = first = 0
		g = a = ""
	}
	if ($4 == "R" && cur != "R") {
		ever = 1
		last_res = $2
	}
	if ($4 == "O" && cur == "R")
		reopens++
	if ($4 != "-")
		cur = $4
	ng = index($7, "G") ? $5 : g
	na = index($7, "A") ? $6 : a
	if (ng != g || na != a) {
		if (first)
			reass++
		else if (na != "")
			first = 1
	}
	g = ng
	a = na
	if ($8 != "")
		has_source = 1
	if ($8 + 0 > max_reass)
		max_reass = $8 + 0
	if ($9 + 0 > max_reopen)
		max_reopen = $9 + 0
}
END {
	finish()
	printf "{\"figure\":\"incidents\",\"value\":%d}\n", incidents
	printf "{\"figure\":\"ever_resolved\",\"value\":%d}\n", ever_resolved
	printf "{\"figure\":\"resolved\",\"value\":%d}\n", resolved
	printf "{\"figure\":\"open\",\"value\":%d}\n", open
	printf "{\"figure\":\"cancelled\",\"value\":%d}\n", cancelled
	printf "{\"figure\":\"reopened\",\"value\":%d}\n", reopened
	printf "{\"figure\":\"reopenings\",\"value\":%d}\n", reopenings
	if (format == "servicenow" || has_source) {
		printf "{\"figure\":\"reopen_count_source\",\"value\":%d}\n", src_reopen
		printf "{\"figure\":\"reassignments\",\"value\":%d}\n", src_reass
	} else {
		printf "{\"figure\":\"reassignments\",\"value\":%d}\n", derived
	}
	printf "{\"figure\":\"reassignments_derived\",\"value\":%d}\n", derived
	if (ever_resolved)
		printf "{\"figure\":\"mttr_s\",\"value\":%d}\n", rounded(ttr_sum, ever_resolved)
	else
		printf "{\"figure\":\"mttr_s\",\"value\":null}\n"
	if (resolved)
		printf "{\"figure\":\"mttr_s_resolved\",\"value\":%d}\n", rounded(ttr_res_sum, resolved)
	else
		printf "{\"figure\":\"mttr_s_resolved\",\"value\":null}\n"
	printf "{\"figure\":\"events\",\"value\":%d}\n", events
}'
