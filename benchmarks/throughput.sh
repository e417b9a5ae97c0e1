#!/usr/bin/env bash
# End-to-end delivery throughput (issue 6, part 1): the real daemon, `nurture run`, drains N due sends
# (both tracks, rendered from the shipped templates) into Postfix's smtp-sink, every outcome recorded in
# the SQLite store; the reference is Postfix's own load generator, `smtp-source -d -s K -m N`, against the
# same sink in the same run. Each run times the reference and then the daemon, back to back; the script
# repeats that RUNS times per K and prints the medians (rate of each, and of the per-run ratios), and
# writes benchmarks/out/throughput.json. On a shared machine, compare ratios, not rates.
#
# The second reference is Postfix's own durable queue (what "just use an MTA queue" gives): N messages held in
# a private loopback Postfix instance (benchmarks/lib.sh), released with `postsuper -H ALL` + `postqueue -f`
# and timed until the queue is empty and the sink counted all N. It runs in every run, between smtp-source
# and the daemon; it needs root (Postfix's master starts as root) and is skipped otherwise or with
# POSTFIX_QUEUE=0.
#
# Usage: bash benchmarks/throughput.sh               (N=20000 sends, K = 1 and 4 connections)
#        N=5000 bash benchmarks/throughput.sh        (fewer sends)
#        RUNS=5 bash benchmarks/throughput.sh        (runs per K, 3 by default; medians are reported)
#        CONNECTIONS="1 2 4" bash benchmarks/throughput.sh
#        SCRATCH_PATH=.build-bench bash benchmarks/throughput.sh   (build in another scratch path)
# Needs: the Swift toolchain, Postfix's smtp-sink and smtp-source (Debian package postfix), python3.
#
# How the daemon is timed: `nurture-bench drain` starts `nurture run` and reads its log. The clock starts at
# the daemon's `started` line (store open, crash recovery done, before the first pass) and stops at the
# log line of the N-th send recorded `sent`: the daemon writes that line only after the store committed
# the outcome (synchronous=FULL). After stopping the daemon, drain checks in the store that all N rows are
# `sent`. Seeding the store (nurture-bench seed) is not timed.
set -euo pipefail
cd "$(dirname "$0")/.."
# nurture-bench is declared in Package.swift only when NURTURE_BENCHMARKS is set (a plain `swift build` skips it).
export NURTURE_BENCHMARKS=1
. benchmarks/lib.sh

N="${N:-20000}"
CONNECTIONS="${CONNECTIONS:-1 4}"
RUNS="${RUNS:-3}"
MESSAGE_BYTES="${MESSAGE_BYTES:-3000}"
OUT=benchmarks/out
mkdir -p "$OUT"
STARTED_AT="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
[ -x "$SOURCE" ] || { echo "missing $SOURCE (Debian package postfix)" >&2; exit 1; }

build_release nurture nurture-bench
trap 'stop_postfix_queue; stop_sink' EXIT INT TERM
start_sink
use_postfix=
if postfix_queue_usable; then
    use_postfix=1
    start_postfix_queue "$PWD/$OUT/postfix-queue"
fi

now() { date +%s.%N; }
echo "== smtp-sink on 127.0.0.1:$PORT; $N sends per run; $RUNS runs per K; $(nproc) cores; load $(cut -d' ' -f1 /proc/loadavg)"
results=()
summary=()
for K in $CONNECTIONS; do
    references=() rates=() ratios=() queues=() queue_ratios=()
    for run in $(seq "$RUNS"); do
        echo "-- K=$K, run $run of $RUNS"
        start="$(now)"
        "$SOURCE" -d -s "$K" -m "$N" -l "$MESSAGE_BYTES" -f bench@nurture.test -t sink@nurture.test "127.0.0.1:$PORT"
        end="$(now)"
        reference="$(awk -v n="$N" -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", n / (b - a) }')"
        echo "smtp-source: $N messages, $K connections, $(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }') s, $reference msg/s"

        if [ -n "$use_postfix" ]; then
            postfix_queue_run "$N" "$MESSAGE_BYTES"
            echo "Postfix queue: $N messages held then released, $POSTFIX_SECONDS s, $POSTFIX_RATE msg/s"
        fi

        dir="$OUT/throughput-k$K"
        make_config "$dir" "$K"
        "$BIN/nurture-bench" seed --config "$dir/nurture.yaml" --sends "$N"
        output="$("$BIN/nurture-bench" drain --nurture "$BIN/nurture" --config "$dir/nurture.yaml" --sends "$N")"
        echo "$output"
        nurture="$(sed -n 's/^nurture drain: .*, \([0-9.]*\) msg\/s$/\1/p' <<<"$output")"
        references+=("$reference") rates+=("$nurture")
        ratios+=("$(awk -v a="$nurture" -v b="$reference" 'BEGIN { printf "%.3f", a / b }')")
        if [ -n "$use_postfix" ]; then
            queues+=("$POSTFIX_RATE")
            queue_ratios+=("$(awk -v a="$nurture" -v b="$POSTFIX_RATE" 'BEGIN { printf "%.3f", a / b }')")
        fi
        [ -n "${KEEP_STORES:-}" ] || rm -rf "$dir"
    done
    reference="$(median <<<"${references[*]}")"
    nurture="$(median <<<"${rates[*]}")"
    ratio="$(median <<<"${ratios[*]}" | awk '{ printf "%.2f", $1 }')"
    summary+=("K=$K: smtp-source $reference msg/s, nurture $nurture msg/s, ratio nurture/reference $ratio (medians of $RUNS runs; ratios ${ratios[*]})")
    results+=("throughput K=$K|$nurture|$reference|smtp-source -d -s $K -m $N -l $MESSAGE_BYTES|$ratio|${ratios[*]}")
    if [ -n "$use_postfix" ]; then
        queue="$(median <<<"${queues[*]}")"
        queue_ratio="$(median <<<"${queue_ratios[*]}" | awk '{ printf "%.2f", $1 }')"
        summary+=("K=$K: Postfix queue $queue msg/s, nurture $nurture msg/s, ratio nurture/Postfix queue $queue_ratio (medians of $RUNS runs; ratios ${queue_ratios[*]})")
        results+=("throughput K=$K vs Postfix queue|$nurture|$queue|Postfix 3 durable queue: N held messages released (postsuper -H ALL, postqueue -f) through its smtp client, default concurrency|$queue_ratio|${queue_ratios[*]}")
    fi
done

echo "== summary (N=$N)"
printf '%s\n' "${summary[@]}"

machine="$(machine_json)"
printf '%s\n' "${results[@]}" | python3 -c '
import json, sys
machine, started, n = json.loads(sys.argv[1]), sys.argv[2], sys.argv[3]
results = []
for line in sys.stdin.read().splitlines():
    name, value, reference, reference_name, ratio, ratios = line.split("|")
    queue = "Postfix queue" in name
    results.append({"name": name, "value": float(value), "unit": "msg/s", "reference": float(reference),
                    "reference_name": reference_name, "ratio": float(ratio),
                    "target": None if queue else ">= 0.9 ratio", "met": None if queue else float(ratio) >= 0.9,
                    "notes": f"N={n} due sends, half marketing and half sales, shipped templates; daemon timed "
                             "from its started log line to the N-th send recorded sent in the store; medians of "
                             f"{len(ratios.split())} runs, per-run ratios {ratios}"})
json.dump({"benchmark": "throughput", "command": "bash benchmarks/throughput.sh", "machine": machine,
           "started_at": started, "results": results}, open("benchmarks/out/throughput.json", "w"), indent=2)
' "$machine" "$STARTED_AT" "$N"
echo "wrote $OUT/throughput.json"
