#!/usr/bin/env bash
# End-to-end delivery throughput (issue 6, part 1): the real daemon, `nurture run`, drains N due sends
# (both tracks, rendered from the shipped templates) into Postfix's smtp-sink, every outcome recorded in
# the SQLite store; the reference is Postfix's own load generator, `smtp-source -d -s K -m N`, against the
# same sink in the same run. Each run times the reference and then the daemon, back to back; the script
# repeats that RUNS times per K and prints the medians (rate of each, and of the per-run ratios), and
# writes benchmarks/out/throughput.json. On a shared machine, compare ratios, not rates.
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
trap stop_sink EXIT INT TERM
start_sink

now() { date +%s.%N; }
median() { tr ' ' '\n' | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
echo "== smtp-sink on 127.0.0.1:$PORT; $N sends per run; $RUNS runs per K; $(nproc) cores; load $(cut -d' ' -f1 /proc/loadavg)"
results=()
summary=()
for K in $CONNECTIONS; do
    references=() rates=() ratios=()
    for run in $(seq "$RUNS"); do
        echo "-- K=$K, run $run of $RUNS"
        start="$(now)"
        "$SOURCE" -d -s "$K" -m "$N" -l "$MESSAGE_BYTES" -f bench@nurture.test -t sink@nurture.test "127.0.0.1:$PORT"
        end="$(now)"
        reference="$(awk -v n="$N" -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", n / (b - a) }')"
        echo "smtp-source: $N messages, $K connections, $(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }') s, $reference msg/s"

        dir="$OUT/throughput-k$K"
        make_config "$dir" "$K"
        "$BIN/nurture-bench" seed --config "$dir/nurture.yaml" --sends "$N"
        output="$("$BIN/nurture-bench" drain --nurture "$BIN/nurture" --config "$dir/nurture.yaml" --sends "$N")"
        echo "$output"
        nurture="$(sed -n 's/^nurture drain: .*, \([0-9.]*\) msg\/s$/\1/p' <<<"$output")"
        references+=("$reference") rates+=("$nurture")
        ratios+=("$(awk -v a="$nurture" -v b="$reference" 'BEGIN { printf "%.3f", a / b }')")
        [ -n "${KEEP_STORES:-}" ] || rm -rf "$dir"
    done
    reference="$(median <<<"${references[*]}")"
    nurture="$(median <<<"${rates[*]}")"
    ratio="$(median <<<"${ratios[*]}" | awk '{ printf "%.2f", $1 }')"
    summary+=("K=$K: smtp-source $reference msg/s, nurture $nurture msg/s, ratio nurture/reference $ratio (medians of $RUNS runs; ratios ${ratios[*]})")
    results+=("throughput K=$K|$nurture|$reference|smtp-source -d -s $K -m $N -l $MESSAGE_BYTES|$ratio|${ratios[*]}")
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
    results.append({"name": name, "value": float(value), "unit": "msg/s", "reference": float(reference),
                    "reference_name": reference_name, "ratio": float(ratio), "target": ">= 0.9 ratio",
                    "met": float(ratio) >= 0.9,
                    "notes": f"N={n} due sends, half marketing and half sales, shipped templates; daemon timed "
                             "from its started log line to the N-th send recorded sent in the store; medians of "
                             f"{len(ratios.split())} runs, per-run ratios {ratios}"})
json.dump({"benchmark": "throughput", "command": "bash benchmarks/throughput.sh", "machine": machine,
           "started_at": started, "results": results}, open("benchmarks/out/throughput.json", "w"), indent=2)
' "$machine" "$STARTED_AT" "$N"
echo "wrote $OUT/throughput.json"
