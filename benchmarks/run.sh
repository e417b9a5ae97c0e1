#!/usr/bin/env bash
# The one command for every benchmark of issue 6. On a fresh Debian machine with the Swift toolchain it
# installs what the benchmarks need (scripts/install-deps.sh: libcurl, SQLite headers, Postfix's smtp-sink and
# smtp-source, python3), builds the release binaries once, then runs:
#   transport.sh    SMTP transport alone vs smtp-source
#   throughput.sh   the daemon draining due sends into smtp-sink vs smtp-source   (skipped if absent)
#   punctuality.sh  lateness of 10,000 sends spread over a minute                 (skipped if absent)
#   cluster.sh      the same drain on PostgreSQL with 1 and 2 daemons, next to SQLite with 1
#   scale.sh        a million leads: import, READY=1, memory, planning, log/why latency
#   render.sh       render + compose rate, per core
# Each writes benchmarks/out/<name>.json; report.py merges them into benchmarks/results.json and prints the
# Markdown table the README carries. Transport, scale and render take about 6 minutes on 2 cores.
#
# Usage: bash benchmarks/run.sh
#        QUICK=1 bash benchmarks/run.sh     (smaller sizes, a few minutes; figures not comparable with targets)
#        SKIP_DEPS=1 bash benchmarks/run.sh (do not install system packages)
set -uo pipefail
cd "$(dirname "$0")/.."
# nurture-bench is declared in Package.swift only when NURTURE_BENCHMARKS is set (a plain `swift build` skips it).
export NURTURE_BENCHMARKS=1

command="bash benchmarks/run.sh"
[ -n "${QUICK:-}" ] && command="QUICK=1 $command"
started_at="$(date -u +%Y-%m-%dT%H:%M:%S+00:00)"
if [ -n "${QUICK:-}" ]; then
    export SCALE_N="${SCALE_N:-100000}" MESSAGES="${MESSAGES:-10000}" TRANSPORT_N="${TRANSPORT_N:-5000}"
fi

if [ -z "${SKIP_DEPS:-}" ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        bash scripts/install-deps.sh || { echo "run.sh: installing dependencies failed" >&2; exit 1; }
    else
        echo "run.sh: not root or no apt-get: not installing packages (run scripts/install-deps.sh as root if a tool is missing)"
    fi
fi
command -v python3 >/dev/null || { echo "run.sh: python3 is required (apt-get install python3)" >&2; exit 1; }

echo "== building release binaries once"
swift build -c release --product nurture || exit 1
swift build -c release --product nurture-bench || exit 1
export SKIP_BUILD=1

rm -rf benchmarks/out
mkdir -p benchmarks/out
failed=()
transport_log="$(mktemp)"
trap 'rm -f "$transport_log"' EXIT
run() {
    local name="$1"
    shift
    if [ ! -f "benchmarks/$name.sh" ]; then
        echo "== $name: skipped, benchmarks/$name.sh is not in this checkout"
        return
    fi
    echo "== $name"
    local started=$SECONDS
    if "$@"; then
        echo "== $name: done in $((SECONDS - started)) s"
    else
        echo "== $name: FAILED (exit $?) after $((SECONDS - started)) s" >&2
        failed+=("$name")
    fi
}
run transport bash -c 'N="${TRANSPORT_N:-20000}" bash benchmarks/transport.sh | tee "$0"' "$transport_log"
run throughput bash benchmarks/throughput.sh
run punctuality bash benchmarks/punctuality.sh
run cluster bash benchmarks/cluster.sh
run scale env N="${SCALE_N:-1000000}" bash benchmarks/scale.sh
run render bash benchmarks/render.sh

echo "== report"
output=benchmarks/results.json
[ -n "${QUICK:-}" ] && output=benchmarks/out/results-quick.json   # quick figures never replace the real ones
python3 benchmarks/report.py --command "$command" --started-at "$started_at" --transport-log "$transport_log" \
    --output "$output"
if ((${#failed[@]})); then
    echo "run.sh: failed: ${failed[*]}" >&2
    exit 1
fi
