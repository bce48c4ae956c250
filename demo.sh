#!/bin/sh
# The main job of inc on a throwaway database with the shipped config:
# intake (log, classify, assign), an SLA check later in the day, a report.
set -eu
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
INC_DB="$tmp/demo.db"
INC_CONFIG="$PWD/share/config.json"
INC_USER=root
INC_NOW=2026-11-27T09:00:00Z
export INC_DB INC_CONFIG INC_USER INC_NOW
PATH="$PWD/bin:$PATH"

echo "== intake: inc-log < share/examples/incidents.jsonl | inc-classify | inc-assign"
inc-log < share/examples/incidents.jsonl | inc-classify | inc-assign >"$tmp/intake.jsonl"
inc-show --format table

echo
echo "== 17:30: inc-sla | inc-escalate (the cron job, run later the same day)"
inc-sla --now 2026-11-27T16:30:00Z | inc-escalate --now 2026-11-27T16:30:00Z >"$tmp/cron.jsonl"
inc-sla --now 2026-11-27T16:30:00Z --all >/dev/null
wc -l <"$tmp/cron.jsonl" | sed 's/^/records written by the cron pipeline: /'
inc-show --breached --format table

echo
echo "== inc-report --by priority --format table"
inc-report --by priority --format table
