#!/bin/sh
# The bats files given (default: the whole suite, tests/*.bats) against a
# throwaway PostgreSQL cluster, started here and removed after:
#   sh tests/check-pg.sh [FILE.bats...]
# The same summary line as make check's last.
set -eu
cd "$(dirname "$0")/.."
if [ $# -eq 0 ]; then
	set -- tests/*.bats
fi
dir=$(mktemp -d "${TMPDIR:-/tmp}/inc-pg.XXXXXX")
# shellcheck disable=SC2317 # run by the trap
stop() {
	sh tests/pg-cluster.sh stop "$dir" || true
	rm -rf "$dir"
}
trap stop EXIT
trap 'exit 130' INT TERM
sh tests/pg-cluster.sh start "$dir" >/dev/null
# bats's own status, through the pipe that shows its lines as they come
{
	st=0
	INC_TEST_ENGINE=pg INC_TEST_PGHOST=$dir PATH="$PWD/bin:$PATH" \
		bats -j "${BATS_JOBS:-4}" "$@" 2>&1 || st=$?
	echo "$st" >"$dir/status"
} | tee "$dir/out"
skip=$(grep -c '^ok .* # skip' "$dir/out" || true)
echo "bats on PostgreSQL: $(($(grep -c '^ok' "$dir/out" || true) - skip)) passed," \
	"$(grep -c '^not ok' "$dir/out" || true) failed, $skip skipped"
exit "$(cat "$dir/status")"
