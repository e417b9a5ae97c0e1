#!/usr/bin/env bash
# Scale: a million leads in one SQLite store. Imports a generated CSV, starts the daemon (time to READY=1,
# memory while planning and idle), times planning and the daemon's hot queries at 10,000, 100,000 and N leads,
# and the latency of `nurture log --lead` and `nurture why`. Writes benchmarks/out/scale.json.
#
# Usage: benchmarks/scale.sh                 (N=1000000; about 5 minutes on 2 cores)
#        N=100000 benchmarks/scale.sh        (quick: sizes 10,000 and 100,000)
#        SIZES="1000000" benchmarks/scale.sh (only one size; scaling ratios then compare it with itself)
#        SKIP_BUILD=1 benchmarks/scale.sh    (use the release binaries already built, as run.sh does)
# Needs: the Swift toolchain and python3 (standard library only). See docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
# nurture-bench is declared in Package.swift only when NURTURE_BENCHMARKS is set (a plain `swift build` skips it).
export NURTURE_BENCHMARKS=1

build_args=(-c release)
[ -n "${SCRATCH_PATH:-}" ] && build_args+=(--scratch-path "$SCRATCH_PATH")
if [ -z "${SKIP_BUILD:-}" ]; then
    echo "== building nurture and nurture-bench (release)"
    swift build "${build_args[@]}" --product nurture
    swift build "${build_args[@]}" --product nurture-bench
fi
BIN="$(swift build "${build_args[@]}" --show-bin-path)"
export BIN
exec python3 benchmarks/scale.py
