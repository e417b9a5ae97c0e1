#!/usr/bin/env bash
# The whole test suite, from a fresh machine: installs what it needs, builds with warnings as errors,
# lints, and runs every test against real peers (smtp-sink, aiosmtpd, Dovecot, PostgreSQL, SQLite files,
# systemd-analyze).
# The tests start their SMTP peers on free loopback ports and stop them; NURTURE_REQUIRE_PEERS=1 makes
# a missing peer a failure instead of a skip.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh

echo "== build (warnings are errors)"
swift build --build-tests -Xswiftc -warnings-as-errors

echo "== lint"
swift format lint --strict --recursive Sources Tests Package.swift benchmarks/NurtureBench

# One throwaway PostgreSQL cluster for the run (each test makes a database of its own), stopped on exit.
postgres_dir=$(mktemp -d "${TMPDIR:-/tmp}/nurture-postgres.XXXXXX")
trap 'bash scripts/postgres-peer.sh stop "$postgres_dir"' EXIT
export "$(bash scripts/postgres-peer.sh start "$postgres_dir")"

# The end-to-end suites of several daemons on PostgreSQL keep both cores busy: they run after the others, each
# group on its own, so no suite's timing is measured on a machine the others saturate.
cluster_suites='NurturePostgresTests|ClusterKillTests|StoreCopyEndToEndTests|ClusterSchedulerTests|ClusterServiceTests'

echo "== test"
NURTURE_REQUIRE_PEERS=1 swift test --skip-build --skip "$cluster_suites|ConsoleBrowserTests"

# A real daemon's console walked through in headless Chromium (Selenium, chromium-driver): on its own, as the
# browser keeps a core busy.
echo "== the operator console in a real browser (headless Chromium)"
NURTURE_REQUIRE_PEERS=1 swift test --skip-build --filter ConsoleBrowserTests

echo "== the PostgreSQL store: contract, leases, reservations, migrations, copy"
NURTURE_REQUIRE_PEERS=1 swift test --skip-build --filter NurturePostgresTests

echo "== several daemons on PostgreSQL: schedulers, the cluster service, store copy end to end"
NURTURE_REQUIRE_PEERS=1 swift test --skip-build --filter 'StoreCopyEndToEndTests|ClusterSchedulerTests|ClusterServiceTests'

# Three daemons draining 10,000 sends while one is SIGKILLed.
echo "== several daemons on one PostgreSQL database, SIGKILLed at random (10,000 sends)"
NURTURE_REQUIRE_PEERS=1 NURTURE_KILL_SENDS=10000 swift test --skip-build --filter ClusterKillTests

# The same suite built without the PostgreSQL trait (SQLite only: no postgres-nio, no swift-nio-ssl), in a
# build directory of its own; its PostgreSQL tests compile away.
echo "== build and test without PostgreSQL (swift build --disable-default-traits)"
swift build --build-tests --disable-default-traits --scratch-path .build/without-postgres -Xswiftc -warnings-as-errors
NURTURE_REQUIRE_PEERS=1 swift test --skip-build --disable-default-traits --scratch-path .build/without-postgres \
    --skip 'SchemathesisTests|ConsoleBrowserTests'

# schemathesis keeps both cores busy for half a minute: on its own, so it cannot slow the suites above.
echo "== docs/openapi.yaml against the running daemon (schemathesis --checks all)"
NURTURE_REQUIRE_PEERS=1 NURTURE_SCHEMATHESIS=1 swift test --skip-build --filter SchemathesisTests
