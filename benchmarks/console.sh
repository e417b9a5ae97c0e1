#!/usr/bin/env bash
# The operator console at scale: a SQLite store seeded with LEADS leads (default 1,000,000) and ten ledger rows
# and send-log lines per lead (10,000,000 each), the daemon started on it with a console user, and each page
# timed with curl over a logged-in session: the median of RUNS requests (default 11, after one warm-up),
# printed next to the 100 ms target with the ratio, and GET /healthz timed the same way in the same run as the
# reference (the cost of the HTTP listener alone).
#
# Usage: benchmarks/console.sh                 (seeding 1,000,000 leads takes a few minutes on 2 cores; the
#                                               seeded store is kept in benchmarks/out/console-store-LEADS and
#                                               reused by the next run)
#        LEADS=100000 benchmarks/console.sh    (quick)
#        RESEED=1 benchmarks/console.sh        (seed again)
#        SKIP_BUILD=1 benchmarks/console.sh    (use the release binary already built)
#        BIN=.build/debug benchmarks/console.sh (time another build's binary, e.g. a debug build: slower)
# Needs: the Swift toolchain, python3 (standard library only), curl, Postfix's smtp-sink (the relay the daemon
# is pointed at; nothing is sent: every seeded send is final). See docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
source benchmarks/lib.sh

LEADS="${LEADS:-1000000}"
RUNS="${RUNS:-11}"
TARGET_MS=100
OUT=benchmarks/out/console
STORE_DIR="$PWD/benchmarks/out/console-store-$LEADS"

if [ -n "${BIN:-}" ]; then
    echo "== using $BIN/nurture as it is (BIN is set)"
else
    build_release nurture
fi
start_sink
DAEMON_PID=
cleanup() {
    if [ -n "$DAEMON_PID" ]; then
        kill "$DAEMON_PID" 2>/dev/null || true
        wait "$DAEMON_PID" 2>/dev/null || true
    fi
    stop_sink
}
trap cleanup EXIT

make_config "$OUT" 1
sed -i "s|^  directory: $PWD/$OUT\$|  directory: $STORE_DIR|" "$OUT/nurture.yaml"
grep -q "directory: $STORE_DIR" "$OUT/nurture.yaml" || { echo "console.sh: could not set the state directory" >&2; exit 1; }
printf '\nconsole:\n  users_file: console-users\n' >>"$OUT/nurture.yaml"
PASSWORD="$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
printf '%s\n' "$PASSWORD" | "$BIN/nurture" console add-user bench --role admin --users-file "$OUT/console-users" >/dev/null

if [ -n "${RESEED:-}" ] || [ ! -f "$STORE_DIR/seeded" ]; then
    echo "== seeding $LEADS leads, $((LEADS * 10)) ledger rows and $((LEADS * 10)) send-log lines into $STORE_DIR"
    rm -rf "$STORE_DIR"
    mkdir -p "$STORE_DIR"
    "$BIN/nurture" store migrate --config "$OUT/nurture.yaml" >/dev/null
    seed_start=$(date +%s)
    python3 benchmarks/console_seed.py "$STORE_DIR/nurture.sqlite" "$LEADS"
    echo "seeded in $(($(date +%s) - seed_start)) s, $(du -sh "$STORE_DIR" | cut -f1) on disk"
    touch "$STORE_DIR/seeded"
fi

# A store seeded by an earlier version gets this version's migrations (the console's indexes) before the clock runs.
migrate_start=$(date +%s)
"$BIN/nurture" store migrate --config "$OUT/nurture.yaml"
echo "migrated in $(($(date +%s) - migrate_start)) s"

echo "== starting the daemon on the seeded store"
"$BIN/nurture" run --config "$OUT/nurture.yaml" 2>"$OUT/daemon.log" &
DAEMON_PID=$!
BASE=
for _ in $(seq 1200); do
    BASE="$(sed -n 's/.*http_listening.*address=\([^ ]*\).*/\1/p' "$OUT/daemon.log" | head -1)"
    [ -n "$BASE" ] && break
    kill -0 "$DAEMON_PID" 2>/dev/null || { echo "the daemon exited:" >&2; tail -20 "$OUT/daemon.log" >&2; exit 1; }
    sleep 0.1
done
[ -n "$BASE" ] || { echo "the daemon did not listen:" >&2; tail -20 "$OUT/daemon.log" >&2; exit 1; }
BASE="http://$BASE"

# Log in as a browser does: the login page's csrf token, then the form, then the session cookie.
JAR="$OUT/cookies"
rm -f "$JAR"
CSRF="$(curl -s -c "$JAR" -b "$JAR" "$BASE/console/login" | sed -n 's/.*name="csrf"[^>]*value="\([^"]*\)".*/\1/p' | head -1)"
[ -n "$CSRF" ] || CSRF="$(curl -s -c "$JAR" -b "$JAR" "$BASE/console/login" | sed -n 's/.*value="\([^"]*\)"[^>]*name="csrf".*/\1/p' | head -1)"
status="$(curl -s -o /dev/null -w '%{http_code}' -c "$JAR" -b "$JAR" --data-urlencode "username=bench" \
    --data-urlencode "password=$PASSWORD" --data-urlencode "csrf=$CSRF" "$BASE/console/login")"
[ "$status" = 303 ] || { echo "console login answered $status (csrf '${CSRF:0:8}…'), not 303" >&2; exit 1; }

# A lead in the middle of the store, its sends, and dates in the middle of the seeded 90 days (UTC).
LEAD_NUMBER=$((LEADS * 42 / 100 + 7))
LEAD="$(printf 'lead%07d@d%03d.example' "$LEAD_NUMBER" $((LEAD_NUMBER % 1000)))"
LEAD_URL="${LEAD/@/%40}"
PREFIX="${LEAD:0:9}"
SEND_ID=$(((LEAD_NUMBER - 1) * 10 + 3))
DEEP_ID=$((LEADS * 5))
FROM="$(date -u -d '-45 days' +%Y-%m-%d)"
TO="$(date -u -d '-44 days' +%Y-%m-%d)"

printf '%-44s %10s %8s %7s %10s %9s %9s\n' "page" "median ms" "target" "ratio" "bytes" "first ms" "1st byte"
RESULTS="$OUT/console.txt"
: >"$RESULTS"
FAILED=0
# time_page LABEL PATH: one warm-up (its time printed as "first ms"), then RUNS timed requests: the median of the
# whole answer, and of its first byte ("1st byte": where a streamed CSV export starts); fails the run on a status
# other than 200.
time_page() {
    local label="$1" path="$2" times=() starts=() status size line first start
    first="$(curl -s -o /dev/null -b "$JAR" -w '%{time_total}' "$BASE$path" | awk '{ printf "%.1f", $1 * 1000 }')"
    for _ in $(seq "$RUNS"); do
        line="$(curl -s -o /dev/null -b "$JAR" -w '%{http_code} %{time_total} %{size_download} %{time_starttransfer}' \
            "$BASE$path")"
        read -r status seconds size start <<<"$line"
        if [ "$status" != 200 ]; then
            printf '%-44s answered %s (%s)\n' "$label" "$status" "$path" | tee -a "$RESULTS"
            FAILED=1
            return 0
        fi
        times+=("$seconds")
        starts+=("$start")
    done
    local ms byte
    ms="$(printf '%s\n' "${times[@]}" | median | awk '{ printf "%.1f", $1 * 1000 }')"
    byte="$(printf '%s\n' "${starts[@]}" | median | awk '{ printf "%.1f", $1 * 1000 }')"
    printf '%-44s %10s %8s %7s %10s %9s %9s\n' "$label" "$ms" "$TARGET_MS" \
        "$(awk -v m="$ms" -v t="$TARGET_MS" 'BEGIN { printf "%.2f", m / t }')" "$size" "$first" "$byte" \
        | tee -a "$RESULTS"
}

time_page "reference: GET /healthz" "/healthz"
time_page "overview" "/console"
time_page "send log, first page" "/console/sends"
time_page "send log, lead prefix ($PREFIX)" "/console/sends?lead=$PREFIX"
time_page "send log, sequence inbound-sales" "/console/sends?sequence=inbound-sales"
time_page "send log, state unknown" "/console/sends?state=unknown"
time_page "send log, dates $FROM..$TO" "/console/sends?from=$FROM&to=$TO"
time_page "send log, sequence+state+dates" "/console/sends?sequence=marketing-nurture&state=failed&from=$FROM&to=$TO"
time_page "send log, deep keyset page (after=$DEEP_ID)" "/console/sends?after=$DEEP_ID"
time_page "send detail ($SEND_ID)" "/console/sends/$SEND_ID"
time_page "lead page" "/console/leads/$LEAD_URL"
time_page "sequences" "/console/sequences"
time_page "funnel, marketing-nurture" "/console/sequences/marketing-nurture"
time_page "funnel, inbound-sales" "/console/sequences/inbound-sales"
time_page "preview, welcome for a real lead" "/console/preview?sequence=marketing-nurture&step=welcome&lead=$LEAD_URL"
time_page "CSV export, lead prefix" "/console/sends.csv?lead=$PREFIX"
time_page "CSV export, sequence+state+dates" "/console/sends.csv?sequence=marketing-nurture&state=failed&from=$FROM&to=$TO"

echo "$LEADS leads, $((LEADS * 10)) ledger rows, $((LEADS * 10)) send-log lines; median of $RUNS; $(nproc) cores;" \
    "load average $(cut -d' ' -f1 /proc/loadavg) at the end" | tee -a "$RESULTS"
exit "$FAILED"
