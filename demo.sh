#!/bin/sh
# The main job of inc on a throwaway database with the shipped config:
# intake (log, classify, assign), a morning's work, the SLA cron job later
# in the day, and the KPIs. Times are pinned with --now: a Friday in Berlin.
set -eu
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
INC_DB="$tmp/demo.db"
INC_CONFIG="$PWD/share/config.json"
INC_USER=root
export INC_DB INC_CONFIG INC_USER
PATH="$PWD/bin:$PATH"

echo "== 10:00 intake: inc-log < share/examples/incidents.jsonl | inc-classify | inc-assign"
inc-log --now 2026-11-27T09:00:00Z < share/examples/incidents.jsonl |
	inc-classify --now 2026-11-27T09:00:00Z |
	inc-assign --now 2026-11-27T09:00:00Z >/dev/null
inc-sla --now 2026-11-27T09:00:00Z >/dev/null	# clocks attached
inc-show --now 2026-11-27T10:00:00Z --format table

echo
echo "== the morning's work: the outage, a password, a printer"
inc-update 4 --as chen --now 2026-11-27T09:04:00Z --status in_progress --note "ERP login service hangs" >/dev/null
inc-close 4 --as chen --now 2026-11-27T10:40:00Z --resolution "restarted the SSO broker" --code fixed >/dev/null
inc-update 2 --as alice --now 2026-11-27T09:20:00Z --note "reset sent by SMS" >/dev/null
inc-close 2 --as alice --now 2026-11-27T09:25:00Z --resolution "password reset" >/dev/null
inc-close 2 --as ann@example.com --now 2026-11-27T09:40:00Z --confirm --rating 5 --feedback "quick, thanks" >/dev/null
inc-update 3 --as bob --now 2026-11-27T11:00:00Z --status in_progress >/dev/null
inc-update 3 --as bob --now 2026-11-27T11:05:00Z --status on_hold --note "toner ordered" >/dev/null
inc-show 4 --history | jq -r '.history[] | [.at, .actor, .action, (.field // ""), (.to // "")] | @tsv' | head -n 12

echo
echo "== 17:30 cron: inc-sla | inc-escalate (each event once)"
inc-sla --now 2026-11-27T16:30:00Z | inc-escalate --now 2026-11-27T16:30:00Z |
	jq -c '{ref, event}'
echo "-- run again at the same minute: nothing new"
inc-sla --now 2026-11-27T16:30:00Z | inc-escalate --now 2026-11-27T16:30:00Z | wc -l
inc-show --now 2026-11-27T16:30:00Z --format table

echo
echo "== inc-report --by priority --format table"
inc-report --now 2026-11-27T16:30:00Z --by priority --format table
