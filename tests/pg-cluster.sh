#!/bin/sh
# A throwaway PostgreSQL cluster for the tests: initdb and pg_ctl in a
# temporary folder, listening only on a Unix socket there, trust
# authentication (nobody else can reach the socket: the folder is the
# cluster owner's). PostgreSQL refuses to run as root: as root, the cluster
# runs as the "postgres" user the Debian package makes.
#
#   sh tests/pg-cluster.sh start DIR   prints the libpq URI prefix to use
#   sh tests/pg-cluster.sh stop DIR
set -eu
cmd=${1:-}
dir=${2:-}
if [ -z "$cmd" ] || [ -z "$dir" ]; then
	echo "usage: sh tests/pg-cluster.sh start|stop DIR" >&2
	exit 2
fi
bindir=$(pg_config --bindir 2>/dev/null || true)
if [ ! -x "$bindir/initdb" ]; then
	bindir=$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin 2>/dev/null | sort -V | tail -n 1)
fi
if [ ! -x "$bindir/initdb" ]; then
	echo "pg-cluster: no initdb (install postgresql)" >&2
	exit 3
fi
as() {
	if [ "$(id -u)" = 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}
case "$cmd" in
start)
	mkdir -p "$dir"
	if [ "$(id -u)" = 0 ]; then
		chown postgres "$dir"
	fi
	chmod 700 "$dir"
	if [ ! -f "$dir/data/PG_VERSION" ]; then
		as "$bindir/initdb" -D "$dir/data" -U inc --auth=trust -E UTF8 --locale=C.UTF-8 \
			-N >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 3; }
	fi
	as "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -s \
		-o "-k $dir -c listen_addresses= -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
		start || { cat "$dir/server.log" >&2; exit 3; }
	echo "postgresql:///?host=$dir&user=inc"
	;;
stop)
	if [ -f "$dir/data/postmaster.pid" ]; then
		as "$bindir/pg_ctl" -D "$dir/data" -m immediate -w -s stop
	fi
	;;
*)
	echo "usage: sh tests/pg-cluster.sh start|stop DIR" >&2
	exit 2
	;;
esac
