#!/bin/sh
# import-uci.sh - the UCI ServiceNow incident event log (shared/data, see its
# README) as inc-log JSON lines on stdout, one incident per ServiceNow number:
#
#	bench/import-uci.sh [FILE.csv.gz] | inc-log
#
# The log has one row per update; the first row of a number is the incident as
# it was opened. Mapped: number -> external_id, opened_at (d/m/yyyy HH:MM,
# read as UTC) -> created_at, caller_id -> requester, contact_type -> source
# (Phone and IVR phone, Email email, Self service and Direct opening web),
# impact, urgency, priority ("1 - High" -> high; priority "3 - Moderate" ->
# medium). The subject is made of category, subcategory and symptom, which
# are anonymised ("Category 55"), so the category is only a loose,
# deterministic spread over the shipped config's network, access, email and
# service (number modulo 4; hardware left out, its form wants an asset tag).
# Every other column of that row goes into custom under its ServiceNow name
# ("?" means missing and is left out; true/false and counts as JSON values).
#
# Without the file: a message on stderr and exit status 77, the "skipped" of
# automake's test harness, so tests and the benchmark can skip cleanly.
set -eu

data=${1:-$(dirname "$0")/../../shared/data/uci-incident-event-log.csv.gz}
if [ ! -r "$data" ]; then
	echo "import-uci.sh: $data: not found (real incident logs live in ../shared/data, see its README); skipped" >&2
	exit 77
fi

gzip -dc "$data" | awk -F, '
function str(s) {
	gsub(/\\/, "\\\\", s)
	gsub(/"/, "\\\"", s)
	return "\"" s "\""
}
# "1 - High" -> "high"; "3 - Moderate" -> "medium"
function level(s) {
	sub(/^[0-9] - /, "", s)
	s = tolower(s)
	return s == "moderate" ? "medium" : s
}
# "29/2/2016 01:16" -> "2016-02-29T01:16:00Z"
function iso(s,   d, t) {
	split(s, t, " ")
	split(t[1], d, "/")
	return sprintf("%04d-%02d-%02dT%s:00Z", d[3], d[2], d[1], t[2])
}
function value(s) {
	if (s == "true" || s == "false" || s ~ /^[0-9]+$/)
		return s
	return str(s)
}
NR == 1 {
	for (i = 1; i <= NF; i++)
		col[$i] = i
	n = NF
	for (i = 1; i <= NF; i++)
		name[i] = $i
	split("number opened_at caller_id contact_type impact urgency priority", m, " ")
	for (i in m)
		mapped[col[m[i]]] = 1
	split("network access email service", cats, " ")
	next
}
$1 == last { next }
{
	last = $1
	subj = ""
	if ((v = $(col["category"])) != "?")
		subj = v
	if ((v = $(col["subcategory"])) != "?")
		subj = subj (subj == "" ? "" : " / ") v
	if ((v = $(col["u_symptom"])) != "?")
		subj = subj (subj == "" ? "" : ": ") v
	if (subj == "")
		subj = "ServiceNow incident " $1
	out = "{\"subject\":" str(subj)
	if ((v = $(col["caller_id"])) != "?")
		out = out ",\"requester\":" str(v)
	v = $(col["contact_type"])
	src = v == "Phone" || v == "IVR" ? "phone" : v == "Email" ? "email" : \
		v == "Self service" || v == "Direct opening" ? "web" : ""
	if (src != "")
		out = out ",\"source\":\"" src "\""
	if ((v = $(col["category"])) ~ /^Category [0-9]+$/) {
		sub(/^Category /, "", v)
		out = out ",\"category\":\"" cats[v % 4 + 1] "\""
	}
	if ((v = $(col["impact"])) != "?")
		out = out ",\"impact\":\"" level(v) "\""
	if ((v = $(col["urgency"])) != "?")
		out = out ",\"urgency\":\"" level(v) "\""
	if ((v = $(col["priority"])) != "?")
		out = out ",\"priority\":\"" level(v) "\""
	out = out ",\"external_id\":" str($1)
	if ((v = $(col["opened_at"])) != "?")
		out = out ",\"created_at\":\"" iso(v) "\""
	c = ""
	for (i = 1; i <= n; i++) {
		if ((i in mapped) || $i == "?")
			continue
		c = c (c == "" ? "" : ",") str(name[i]) ":" value($i)
	}
	print out ",\"custom\":{" c "}}"
}'
