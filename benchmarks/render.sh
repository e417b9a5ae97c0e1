#!/usr/bin/env bash
# Render + compose rate: `nurture-bench render` builds a typical step of each track (marketing-nurture/welcome,
# inbound-sales/intro) from the shipped templates and config/nurture.yaml through MessageBuilder, on one thread
# and with one worker per core; the reference in the same run composes the same messages with MessageComposer
# alone. The same messages are then built with DKIM signing on, once per algorithm (rsa-sha256 with a fresh
# 2048-bit key, ed25519-sha256), next to the unsigned figure. Writes benchmarks/out/render.json.
#
# Usage: benchmarks/render.sh                  (MESSAGES=50000)
#        MESSAGES=5000 benchmarks/render.sh    (quick)
#        SKIP_BUILD=1 benchmarks/render.sh     (use the release build already made, as run.sh does)
# Needs: the Swift toolchain and python3.
set -euo pipefail
cd "$(dirname "$0")/.."
# nurture-bench is declared in Package.swift only when NURTURE_BENCHMARKS is set (a plain `swift build` skips it).
export NURTURE_BENCHMARKS=1

MESSAGES="${MESSAGES:-50000}"
build_args=(-c release)
[ -n "${SCRATCH_PATH:-}" ] && build_args+=(--scratch-path "$SCRATCH_PATH")
if [ -z "${SKIP_BUILD:-}" ]; then
    echo "== building nurture-bench (release)"
    swift build "${build_args[@]}" --product nurture-bench
fi
BENCH="$(swift build "${build_args[@]}" --show-bin-path)/nurture-bench"
started_at="$(date -u +%Y-%m-%dT%H:%M:%S+00:00)"
figures="$(mktemp)"
trap 'rm -f "$figures"' EXIT
"$BENCH" render --config config/nurture.yaml --messages "$MESSAGES" --json "$figures"

python3 - "$figures" "$started_at" "$MESSAGES" <<'PY'
import json, os, sys
sys.path.insert(0, "benchmarks")
import benchlib
figures, started_at, messages = json.load(open(sys.argv[1])), sys.argv[2], int(sys.argv[3])
cores = figures["cores"]
note = (f"{messages} messages alternating marketing-nurture/welcome (text + HTML, List-Unsubscribe) and"
        f" inbound-sales/intro (text, owner's signature), {figures['average_bytes']} bytes on average")
reference = "MessageComposer.compose alone on the same messages, 1 thread (what rendering adds to composing)"
rows = [
    benchlib.result("Render + compose, 1 thread", round(figures["single_thread_msg_per_s"]), "msg/s",
                    reference=round(figures["compose_only_msg_per_s"]), reference_name=reference,
                    ratio=round(figures["ratio"], 3), notes=note),
    benchlib.result(f"Render + compose, {cores} workers (one per core)", round(figures["parallel_msg_per_s"]),
                    "msg/s", notes=f"{cores} threads, DispatchQueue.concurrentPerform"),
    benchlib.result("Render + compose per core", round(figures["parallel_msg_per_s_per_core"]), "msg/s/core",
                    reference=round(figures["single_thread_msg_per_s"]), reference_name="1 thread",
                    notes="all-core rate divided by the number of cores; ratio = scaling efficiency"),
]
for algorithm, rates in sorted(figures.get("signed", {}).items()):
    rows.append(benchlib.result(f"Render + compose + DKIM sign ({algorithm}) per core",
                                round(rates["parallel_msg_per_s_per_core"]), "msg/s/core",
                                reference=round(figures["parallel_msg_per_s_per_core"]),
                                reference_name="render + compose per core, same run",
                                ratio=round(rates["ratio_per_core"], 3),
                                notes=f"the same messages signed relaxed/relaxed with a fresh {algorithm} key"
                                      f" (2048-bit RSA, PKCS#1 v1.5); 1 thread: {round(rates['single_thread_msg_per_s'])} msg/s"))
command = "bash benchmarks/render.sh" + (f"  (MESSAGES={messages})" if messages != 50000 else "")
path = benchlib.write("render", command, started_at, rows, extra={"figures": figures})
print(f"== wrote {os.path.relpath(path)}")
PY
