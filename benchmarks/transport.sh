#!/usr/bin/env bash
# Transport throughput against Postfix's smtp-sink on loopback: Postfix's own load generator, smtp-source,
# is the reference for how fast an SMTP client can go on this machine; nurture-bench sends the same number
# of messages through SMTPTransport with the same number of connections. Prints both rates and the ratio.
#
# Usage: benchmarks/transport.sh            (N=20000 messages, K = 1 and 4 connections)
#        N=5000 benchmarks/transport.sh     (fewer messages)
#        SCRATCH_PATH=.build-bench benchmarks/transport.sh   (build in another scratch path)
# Needs: the Swift toolchain, Postfix's smtp-sink and smtp-source (Debian package postfix), python3.
set -euo pipefail
cd "$(dirname "$0")/.."
# nurture-bench is declared in Package.swift only when NURTURE_BENCHMARKS is set (a plain `swift build` skips it).
export NURTURE_BENCHMARKS=1

N="${N:-20000}"
CONNECTIONS="${CONNECTIONS:-1 4}"
SINK="${SMTP_SINK:-/usr/sbin/smtp-sink}"
SOURCE="${SMTP_SOURCE:-/usr/sbin/smtp-source}"
for tool in "$SINK" "$SOURCE"; do
    [ -x "$tool" ] || { echo "missing $tool (Debian package postfix)" >&2; exit 1; }
done

build_args=(-c release --product nurture-bench)
[ -n "${SCRATCH_PATH:-}" ] && build_args+=(--scratch-path "$SCRATCH_PATH")
echo "== building nurture-bench (release)"
swift build "${build_args[@]}"
BENCH="$(swift build "${build_args[@]}" --show-bin-path)/nurture-bench"

# A free loopback port, chosen by the kernel.
PORT="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
SINK_LOG="$(mktemp)"
sink_user=()
[ "$(id -u)" = 0 ] && sink_user=(-u nobody)   # smtp-sink refuses to run as root without it
"$SINK" "${sink_user[@]}" -c "127.0.0.1:$PORT" 1000 >"$SINK_LOG" 2>&1 &
SINK_PID=$!
cleanup() {
    kill "$SINK_PID" 2>/dev/null || true
    wait "$SINK_PID" 2>/dev/null || true
    rm -f "$SINK_LOG"
}
trap cleanup EXIT INT TERM
for _ in $(seq 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then break; fi
    kill -0 "$SINK_PID" 2>/dev/null || { echo "smtp-sink exited: $(cat "$SINK_LOG")" >&2; exit 1; }
    sleep 0.05
done

now() { date +%s.%N; }
echo "== smtp-sink on 127.0.0.1:$PORT; $N messages per run; $(nproc) cores"
summary=()
for K in $CONNECTIONS; do
    start="$(now)"
    "$SOURCE" -d -s "$K" -m "$N" -l 3000 -f bench@nurture.test -t sink@nurture.test "127.0.0.1:$PORT"
    end="$(now)"
    reference="$(awk -v n="$N" -v a="$start" -v b="$end" 'BEGIN { printf "%.0f", n / (b - a) }')"
    seconds="$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }')"
    echo "smtp-source: $N messages, $K connections, $seconds s, $reference msg/s"

    output="$("$BENCH" transport --port "$PORT" --messages "$N" --connections "$K")"
    echo "$output"
    nurture="$(sed -n 's/^nurture transport: .*, \([0-9]*\) msg\/s$/\1/p' <<<"$output")"
    ratio="$(awk -v a="$nurture" -v b="$reference" 'BEGIN { printf "%.2f", a / b }')"
    summary+=("K=$K: smtp-source $reference msg/s, nurture $nurture msg/s, ratio nurture/reference $ratio")
done

echo "== summary (N=$N)"
printf '%s\n' "${summary[@]}"
