#!/bin/sh
# One command for a newcomer on Debian, as root: install what is missing,
# build, then run the demo (sh setup.sh demo) or every test (sh setup.sh check).
set -eu
cd "$(dirname "$0")"
case "${1:-}" in
demo|check) ;;
*) echo "usage: sh setup.sh demo|check" >&2; exit 2 ;;
esac
if ! command -v make >/dev/null 2>&1 || ! command -v cc >/dev/null 2>&1; then
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq make build-essential
fi
make deps
if [ "$1" = demo ]; then
	make demo
else
	make check lint
fi
