#!/usr/bin/env bash
# End-to-end throughput on PostgreSQL (issue 15): the real daemon, `nurture run`, drains N due sends (both
# tracks, shipped templates) into Postfix's smtp-sink, in the same run:
#   sqlite-1     the SQLite store, one daemon (the figure of benchmarks/throughput.sh)
#   postgres-1   one PostgreSQL database, one daemon
#   postgres-2   one PostgreSQL database, two daemons (a state directory each), sharing the work by leases
# Each run seeds a fresh store (nurture-bench seed; not timed) and times from the first daemon's `started` log
# line to the log line that makes N sends recorded `sent` across the daemons (each is written after the
# store committed the outcome), then checks in the store that all N rows are `sent`. The script repeats that
# RUNS times and prints the medians (rates, and ratios against sqlite-1 of the same run), and writes
# benchmarks/out/cluster.json.
#
# Usage: bash benchmarks/cluster.sh                 (N=20000 sends, relay pool K=4 per daemon, 3 runs)
#        N=5000 RUNS=1 bash benchmarks/cluster.sh   (quicker)
#        K=1 bash benchmarks/cluster.sh
#        SKIP_BUILD=1 bash benchmarks/cluster.sh    (the release binaries already built)
# Needs: the Swift toolchain (PostgreSQL trait on, the default), PostgreSQL's server (Debian package postgresql;
# a throwaway cluster is started on a free loopback port with scripts/postgres-peer.sh and removed after),
# psql, Postfix's smtp-sink, python3.
#
# Durability is the same on both stores: SQLite commits with synchronous=FULL; the throwaway cluster is
# started with fsync on (POSTGRES_FSYNC=on; the tests run it with fsync off), checked before anything is
# measured, with synchronous_commit on (PostgreSQL's default). The database is on the same disk as the SQLite
# file (benchmarks/out/). Daemons and PostgreSQL share the machine's cores.
set -euo pipefail
cd "$(dirname "$0")/.."
# nurture-bench is declared in Package.swift only when NURTURE_BENCHMARKS is set (a plain `swift build` skips it).
export NURTURE_BENCHMARKS=1
. benchmarks/lib.sh

N="${N:-20000}"
K="${K:-4}"
RUNS="${RUNS:-3}"
OUT=benchmarks/out
mkdir -p "$OUT"
STARTED_AT="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
command -v psql >/dev/null || { echo "missing psql (Debian package postgresql-client)" >&2; exit 1; }

build_release nurture nurture-bench
PG_DIR="$PWD/$OUT/cluster-postgres"
stop_postgres() { bash scripts/postgres-peer.sh stop "$PG_DIR" || true; }
trap 'stop_postgres; stop_sink' EXIT INT TERM
start_sink
rm -rf "$PG_DIR"
export "$(POSTGRES_FSYNC=on bash scripts/postgres-peer.sh start "$PG_DIR")"
# NURTURE_TEST_POSTGRES=postgres://nurture@127.0.0.1:PGPORT/postgres
PG_PORT="$(sed -n 's|.*@127\.0\.0\.1:\([0-9]*\)/.*|\1|p' <<<"$NURTURE_TEST_POSTGRES")"
pg() { psql -X -q -A -t -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U nurture -d "${2:-postgres}" -c "$1"; }
[ "$(pg "SHOW fsync")" = on ] || { echo "could not switch the benchmark's PostgreSQL to fsync on" >&2; exit 1; }

# postgres_config DIR DATABASE: the bench configuration in DIR (make_config), its store the PostgreSQL database.
postgres_config() {
    local dir="$1" database="$2"
    make_config "$dir" "$K"
    sed -i "s|^  store: nurture.sqlite|  store: postgres://nurture@127.0.0.1:$PG_PORT/$database|" "$dir/nurture.yaml"
    grep -q "store: postgres://" "$dir/nurture.yaml" || { echo "bench.yaml has no 'store: nurture.sqlite' line" >&2; exit 1; }
    cat >>"$dir/nurture.yaml" <<YAML

database:
  tls: disable        # loopback
  pool_size: 4
YAML
}

# drain NAME CONFIGS: seeds the store of the first configuration, drains with one daemon per configuration
# (comma-separated); sets RATE.
drain() {
    local name="$1" configs="$2" output
    "$BIN/nurture-bench" seed --config "${configs%%,*}" --sends "$N"
    output="$("$BIN/nurture-bench" drain --nurture "$BIN/nurture" --config "$configs" --sends "$N")"
    echo "$output"
    RATE="$(sed -n 's/^nurture drain: .*, \([0-9.]*\) msg\/s$/\1/p' <<<"$output")"
    [ -n "$RATE" ] || { echo "$name: no rate in the drain's output" >&2; exit 1; }
}

echo "== smtp-sink on 127.0.0.1:$PORT; PostgreSQL on 127.0.0.1:$PG_PORT (fsync on); $N sends per run; pool $K per daemon; $RUNS runs; $(nproc) cores; load $(cut -d' ' -f1 /proc/loadavg)"
sqlite=() pg1=() pg2=() ratio1=() ratio2=()
for run in $(seq "$RUNS"); do
    echo "-- run $run of $RUNS: SQLite, 1 daemon"
    dir="$OUT/cluster-sqlite"
    make_config "$dir" "$K"
    drain sqlite-1 "$dir/nurture.yaml"
    sqlite+=("$RATE")
    [ -n "${KEEP_STORES:-}" ] || rm -rf "$dir"

    echo "-- run $run of $RUNS: PostgreSQL, 1 daemon"
    database="bench_one_$run"
    pg "DROP DATABASE IF EXISTS $database"
    pg "CREATE DATABASE $database"
    postgres_config "$OUT/cluster-pg1" "$database"
    drain postgres-1 "$OUT/cluster-pg1/nurture.yaml"
    pg1+=("$RATE")
    ratio1+=("$(awk -v a="$RATE" -v b="${sqlite[-1]}" 'BEGIN { printf "%.3f", a / b }')")

    echo "-- run $run of $RUNS: PostgreSQL, 2 daemons"
    database="bench_two_$run"
    pg "DROP DATABASE IF EXISTS $database"
    pg "CREATE DATABASE $database"
    postgres_config "$OUT/cluster-pg2a" "$database"
    postgres_config "$OUT/cluster-pg2b" "$database"
    # One unsubscribe key for both daemons: links must verify whichever daemon rendered them.
    cp "$OUT/cluster-pg2a/unsubscribe.key" "$OUT/cluster-pg2b/unsubscribe.key"
    drain postgres-2 "$OUT/cluster-pg2a/nurture.yaml,$OUT/cluster-pg2b/nurture.yaml"
    pg2+=("$RATE")
    ratio2+=("$(awk -v a="$RATE" -v b="${sqlite[-1]}" 'BEGIN { printf "%.3f", a / b }')")
    [ -n "${KEEP_STORES:-}" ] || rm -rf "$OUT/cluster-pg1" "$OUT/cluster-pg2a" "$OUT/cluster-pg2b"
done

s="$(median <<<"${sqlite[*]}")" p1="$(median <<<"${pg1[*]}")" p2="$(median <<<"${pg2[*]}")"
r1="$(median <<<"${ratio1[*]}" | awk '{ printf "%.2f", $1 }')"
r2="$(median <<<"${ratio2[*]}" | awk '{ printf "%.2f", $1 }')"
echo "== summary (N=$N, pool $K per daemon, medians of $RUNS runs)"
echo "SQLite, 1 daemon: $s msg/s (runs ${sqlite[*]})"
echo "PostgreSQL, 1 daemon: $p1 msg/s, ratio to SQLite $r1 (runs ${pg1[*]}; ratios ${ratio1[*]})"
echo "PostgreSQL, 2 daemons: $p2 msg/s, ratio to SQLite $r2 (runs ${pg2[*]}; ratios ${ratio2[*]})"

python3 - "$STARTED_AT" "$N" "$K" "$s" "$p1" "$p2" "$r1" "$r2" "${ratio1[*]}" "${ratio2[*]}" <<'PY'
import sys
sys.path.insert(0, "benchmarks")
import benchlib
started, n, k, s, p1, p2, r1, r2, ratios1, ratios2 = sys.argv[1:]
notes = (f"N={n} due sends, half marketing and half sales, shipped templates, relay pool {k} per daemon, into "
         "smtp-sink; timed from the first daemon's started log line to the N-th send recorded sent; PostgreSQL "
         "15 on loopback with fsync on; medians")
reference = "SQLite store, 1 daemon, same run"
benchlib.write("cluster", "bash benchmarks/cluster.sh", started, [
    benchlib.result("throughput, SQLite, 1 daemon", float(s), "msg/s", notes=notes),
    benchlib.result("throughput, PostgreSQL, 1 daemon", float(p1), "msg/s", reference=float(s),
                    reference_name=reference, ratio=float(r1), notes=f"{notes}; per-run ratios {ratios1}"),
    benchlib.result("throughput, PostgreSQL, 2 daemons", float(p2), "msg/s", reference=float(s),
                    reference_name=reference, ratio=float(r2), notes=f"{notes}; per-run ratios {ratios2}"),
])
PY
echo "wrote $OUT/cluster.json"
