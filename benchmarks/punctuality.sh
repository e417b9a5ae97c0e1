#!/usr/bin/env bash
# Punctuality (issue 6, part 3): N sends (10,000 by default, both tracks, shipped templates) due at random
# moments spread over SPREAD seconds (60), no limit applying and the send window always open, sent by the
# real daemon, `nurture run`, into Postfix's smtp-sink. For each send, lateness = when its transfer started
# (send_log.started_at, recorded by the daemon) minus its due time (planned_sends.due_at). Prints p50, p99
# and max; target p99 <= 100 ms. Writes benchmarks/out/punctuality.json.
#
# Usage: bash benchmarks/punctuality.sh                 (N=10000 over 60 s, relay pool K=2)
#        N=2000 SPREAD=20 bash benchmarks/punctuality.sh
#        SCRATCH_PATH=.build-bench bash benchmarks/punctuality.sh
# Needs: the Swift toolchain, Postfix's smtp-sink (Debian package postfix), python3.
#
# The sends are seeded before the daemon starts, the first due START_IN seconds (10) later, so start-up is
# over when they fall due. The run takes about START_IN + SPREAD seconds.
set -euo pipefail
cd "$(dirname "$0")/.."
# nurture-bench is declared in Package.swift only when NURTURE_BENCHMARKS is set (a plain `swift build` skips it).
export NURTURE_BENCHMARKS=1
. benchmarks/lib.sh

N="${N:-10000}"
SPREAD="${SPREAD:-60}"
START_IN="${START_IN:-10}"
K="${K:-2}"
OUT=benchmarks/out
mkdir -p "$OUT"
STARTED_AT="$(date -u +%Y-%m-%dT%H:%M:%SZ)"

build_release nurture nurture-bench
trap stop_sink EXIT INT TERM
start_sink

echo "== smtp-sink on 127.0.0.1:$PORT; $N sends due over $SPREAD s; pool $K; $(nproc) cores; load $(cut -d' ' -f1 /proc/loadavg)"
dir="$OUT/punctuality"
make_config "$dir" "$K"
"$BIN/nurture-bench" seed --config "$dir/nurture.yaml" --sends "$N" --start-in "$START_IN" --spread "$SPREAD"
output="$("$BIN/nurture-bench" punctuality --nurture "$BIN/nurture" --config "$dir/nurture.yaml" --sends "$N" \
    --timeout "$((START_IN + SPREAD + 300))")"
echo "$output"
[ -n "${KEEP_STORES:-}" ] || rm -rf "$dir"

machine="$(machine_json)"
python3 - "$machine" "$STARTED_AT" "$N" "$SPREAD" "$output" <<'PY'
import json, re, sys
machine, started, n, spread, output = json.loads(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5]
m = re.search(r"p50 ([\d.]+) ms, p99 ([\d.]+) ms, max ([\d.]+) ms", output)
p50, p99, worst = (float(x) for x in m.groups())
notes = (f"{n} sends due at random moments over {spread} s, both tracks, no limits, window always open; "
         "lateness = send_log.started_at - planned_sends.due_at")
results = [
    {"name": "lateness p50", "value": p50, "unit": "ms", "target": None, "met": None, "notes": notes},
    {"name": "lateness p99", "value": p99, "unit": "ms", "target": "<= 100 ms", "met": p99 <= 100, "notes": notes},
    {"name": "lateness max", "value": worst, "unit": "ms", "target": None, "met": None, "notes": notes},
]
json.dump({"benchmark": "punctuality", "command": "bash benchmarks/punctuality.sh", "machine": machine,
           "started_at": started, "results": results}, open("benchmarks/out/punctuality.json", "w"), indent=2)
PY
echo "wrote $OUT/punctuality.json"
