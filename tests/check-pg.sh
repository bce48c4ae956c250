#!/bin/sh
# The bats files given (default: those that pass on PostgreSQL) against a
# throwaway PostgreSQL cluster, started here and removed after:
#   sh tests/check-pg.sh [FILE.bats...]
set -eu
cd "$(dirname "$0")/.."
if [ $# -eq 0 ]; then
	# one file name a line, no blanks in them
	# shellcheck disable=SC2046
	set -- $(cat tests/pg-files)
fi
dir=$(mktemp -d "${TMPDIR:-/tmp}/inc-pg.XXXXXX")
stop() {
	sh tests/pg-cluster.sh stop "$dir" || true
	rm -rf "$dir"
}
trap stop EXIT
trap 'exit 130' INT TERM
sh tests/pg-cluster.sh start "$dir" >/dev/null
INC_TEST_ENGINE=pg INC_TEST_PGHOST=$dir PATH="$PWD/bin:$PATH" \
	bats -j "${BATS_JOBS:-4}" "$@"
