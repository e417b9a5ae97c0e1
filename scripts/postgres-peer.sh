#!/usr/bin/env bash
# A throwaway PostgreSQL cluster on a free loopback port, for the tests and the demo.
#   bash scripts/postgres-peer.sh start DIR   initdb into DIR (trust auth, user nurture), start it; prints
#                                             NURTURE_TEST_POSTGRES=postgres://nurture@127.0.0.1:PORT/postgres
#   bash scripts/postgres-peer.sh stop DIR    stops it (immediate) and removes DIR
# Run as root it runs PostgreSQL as the `postgres` user (DIR is handed to that user); otherwise as you.
set -euo pipefail
command=${1:?usage: postgres-peer.sh start|stop DIR}
dir=${2:?usage: postgres-peer.sh start|stop DIR}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$bin/initdb" ] || { echo "postgres-peer: no PostgreSQL server (Debian package postgresql; scripts/install-deps.sh)" >&2; exit 1; }
as_owner() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
case "$command" in
start)
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$dir"
    as_owner "$bin/initdb" -D "$dir/data" -U nurture -A trust --no-sync -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; exit 1; }
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    # fsync off: a throwaway cluster (POSTGRES_FSYNC=on for benchmarks, which compare durable commits);
    # max_connections for several daemons and the tests running in parallel.
    fsync="${POSTGRES_FSYNC:-off}"
    as_owner "$bin/pg_ctl" -D "$dir/data" -w -l "$dir/server.log" \
        -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=$fsync -c max_connections=300" start >/dev/null \
        || { cat "$dir/server.log" >&2; exit 1; }
    echo "NURTURE_TEST_POSTGRES=postgres://nurture@127.0.0.1:$port/postgres"
    ;;
stop)
    [ -d "$dir/data" ] && as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$dir"
    ;;
*) echo "usage: postgres-peer.sh start|stop DIR" >&2; exit 2 ;;
esac
