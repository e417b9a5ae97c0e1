#!/usr/bin/env bash
# DKIM signing end to end (issue 17): the real daemon, `nurture run`, drains N due sends (both tracks, shipped
# templates) into Postfix's smtp-sink, once with signing off and once with signing on (an rsa-sha256 2048-bit key
# and an ed25519-sha256 key for acme-analytics.example: every message carries both signatures), back to back;
# RUNS pairs per K. Prints the medians of each rate and of the per-pair ratios (on / off) and writes
# benchmarks/out/dkim.json. Timed as benchmarks/throughput.sh times the daemon (`nurture-bench drain`).
#
# Usage: bash benchmarks/dkim.sh                 (N=20000 sends, K = 1 and 4 connections, RUNS=3)
#        N=5000 RUNS=1 CONNECTIONS=4 bash benchmarks/dkim.sh
# Needs: the Swift toolchain, Postfix's smtp-sink (Debian package postfix), openssl, python3.
set -euo pipefail
cd "$(dirname "$0")/.."
export NURTURE_BENCHMARKS=1
. benchmarks/lib.sh

N="${N:-20000}"
CONNECTIONS="${CONNECTIONS:-1 4}"
RUNS="${RUNS:-3}"
OUT=benchmarks/out
mkdir -p "$OUT"
STARTED_AT="$(date -u +%Y-%m-%dT%H:%M:%SZ)"

# add_dkim DIR: both keys for acme-analytics.example, mode 0600, in DIR/nurture.yaml.
add_dkim() {
    local dir="$1"
    openssl genpkey -algorithm rsa -pkeyopt rsa_keygen_bits:2048 -out "$dir/dkim-rsa.pem" 2>/dev/null
    openssl genpkey -algorithm ed25519 -out "$dir/dkim-ed25519.pem" 2>/dev/null
    chmod 600 "$dir/dkim-rsa.pem" "$dir/dkim-ed25519.pem"
    cat >>"$dir/nurture.yaml" <<YAML

dkim:
  - { domain: acme-analytics.example, selector: bench-rsa, algorithm: rsa-sha256, private_key_file: $PWD/$dir/dkim-rsa.pem }
  - { domain: acme-analytics.example, selector: bench-ed, algorithm: ed25519-sha256, private_key_file: $PWD/$dir/dkim-ed25519.pem }
YAML
}

# drain DIR K SIGN: seeds N sends and prints the daemon's rate.
drain() {
    local dir="$1" pool="$2" sign="$3" output
    make_config "$dir" "$pool"
    [ "$sign" = on ] && add_dkim "$dir"
    "$BIN/nurture-bench" seed --config "$dir/nurture.yaml" --sends "$N" >/dev/null
    output="$("$BIN/nurture-bench" drain --nurture "$BIN/nurture" --config "$dir/nurture.yaml" --sends "$N")"
    echo "$output" >&2
    [ -n "${KEEP_STORES:-}" ] || rm -rf "$dir"
    sed -n 's/^nurture drain: .*, \([0-9.]*\) msg\/s$/\1/p' <<<"$output"
}

build_release nurture nurture-bench
trap 'stop_sink' EXIT INT TERM
start_sink
echo "== smtp-sink on 127.0.0.1:$PORT; $N sends per run; $RUNS pairs per K; $(nproc) cores; load $(cut -d' ' -f1 /proc/loadavg)"
results=()
for K in $CONNECTIONS; do
    offs=() ons=() ratios=()
    for run in $(seq "$RUNS"); do
        echo "-- K=$K, pair $run of $RUNS"
        off="$(drain "$OUT/dkim-k$K-off" "$K" off)"
        on="$(drain "$OUT/dkim-k$K-on" "$K" on)"
        echo "signing off $off msg/s, signing on $on msg/s"
        offs+=("$off") ons+=("$on")
        ratios+=("$(awk -v a="$on" -v b="$off" 'BEGIN { printf "%.3f", a / b }')")
    done
    off="$(median <<<"${offs[*]}")"
    on="$(median <<<"${ons[*]}")"
    ratio="$(median <<<"${ratios[*]}" | awk '{ printf "%.2f", $1 }')"
    echo "K=$K: signing off $off msg/s, signing on (rsa-sha256 + ed25519-sha256) $on msg/s, ratio on/off $ratio (medians; ratios ${ratios[*]})"
    results+=("$K|$on|$off|$ratio|${ratios[*]}")
done

machine="$(machine_json)"
printf '%s\n' "${results[@]}" | python3 -c '
import json, sys
machine, started, n = json.loads(sys.argv[1]), sys.argv[2], sys.argv[3]
results = []
for line in sys.stdin.read().splitlines():
    k, on, off, ratio, ratios = line.split("|")
    results.append({"name": f"throughput K={k}, DKIM signing on (rsa-sha256 + ed25519-sha256)", "value": float(on),
                    "unit": "msg/s", "reference": float(off), "reference_name": "the same run with signing off",
                    "ratio": float(ratio), "target": None, "met": None,
                    "notes": f"N={n} due sends, half marketing and half sales, shipped templates, smtp-sink; "
                             f"medians of {len(ratios.split())} off/on pairs, per-pair ratios {ratios}"})
json.dump({"benchmark": "dkim", "command": "bash benchmarks/dkim.sh", "machine": machine, "started_at": started,
           "results": results}, open("benchmarks/out/dkim.json", "w"), indent=2)
' "$machine" "$STARTED_AT" "$N"
echo "wrote $OUT/dkim.json"
