#!/usr/bin/env bash
# Shared by benchmarks/throughput.sh and benchmarks/punctuality.sh: the smtp-sink peer, a per-run
# configuration, and the machine description for the JSON files. Source it from the repository root.

SINK="${SMTP_SINK:-/usr/sbin/smtp-sink}"
SOURCE="${SMTP_SOURCE:-/usr/sbin/smtp-source}"

# build_release PRODUCT...: release builds; sets BIN to the binaries' directory. With SKIP_BUILD set (run.sh
# sets it after building once), uses the release binaries already built; with BIN set as well, the binaries in
# that directory (another build's, to compare two commits in the same run).
build_release() {
    local args=(-c release)
    [ -n "${SCRATCH_PATH:-}" ] && args+=(--scratch-path "$SCRATCH_PATH")
    for product in "$@"; do
        [ -n "${SKIP_BUILD:-}" ] && break
        echo "== building $product (release)"
        swift build "${args[@]}" --product "$product"
    done
    if [ -n "${SKIP_BUILD:-}" ] && [ -n "${BIN:-}" ]; then return; fi
    BIN="$(swift build "${args[@]}" --show-bin-path)"
}

# start_sink: smtp-sink on a free loopback port (PORT); stopped by stop_sink (the scripts' EXIT trap).
start_sink() {
    [ -x "$SINK" ] || { echo "missing $SINK (Debian package postfix)" >&2; exit 1; }
    PORT="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
    SINK_LOG="$(mktemp)"
    local user=()
    [ "$(id -u)" = 0 ] && user=(-u nobody)   # smtp-sink refuses to run as root without it
    "$SINK" "${user[@]}" -c "127.0.0.1:$PORT" 1000 >"$SINK_LOG" 2>&1 &
    SINK_PID=$!
    for _ in $(seq 100); do
        if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then return 0; fi
        kill -0 "$SINK_PID" 2>/dev/null || { echo "smtp-sink exited: $(cat "$SINK_LOG")" >&2; exit 1; }
        sleep 0.05
    done
    echo "smtp-sink did not listen on 127.0.0.1:$PORT" >&2
    exit 1
}

stop_sink() {
    [ -n "${SINK_PID:-}" ] && { kill "$SINK_PID" 2>/dev/null || true; wait "$SINK_PID" 2>/dev/null || true; }
    [ -n "${SINK_LOG:-}" ] && rm -f "$SINK_LOG"
    return 0
}

# make_config DIR K: a fresh state directory DIR with DIR/nurture.yaml, benchmarks/config/bench.yaml
# pointed at the sink (PORT), relay pool size K and the shipped templates.
make_config() {
    local dir="$1" pool="$2"
    rm -rf "$dir"
    mkdir -p "$dir"
    sed -e "s|__PORT__|$PORT|" -e "s|__POOL__|$pool|" -e "s|__STATE__|$PWD/$dir|" \
        -e "s|__TEMPLATES__|$PWD/templates|" benchmarks/config/bench.yaml >"$dir/nurture.yaml"
    head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$dir/unsubscribe.key"
    chmod 600 "$dir/unsubscribe.key"
}

# median: the median of the numbers on standard input (separated by spaces or newlines).
median() { tr ' ' '\n' | grep . | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# machine_json: the machine block of the shared JSON schema.
machine_json() {
    local libcurl
    libcurl="$(curl-config --version 2>/dev/null | awk '{print $2}')"
    python3 - "$libcurl" <<'PY'
import json, os, platform, subprocess, sys
model = ""
for line in open("/proc/cpuinfo"):
    if line.startswith("model name"):
        model = line.split(":", 1)[1].strip()
        break
memory = 0
for line in open("/proc/meminfo"):
    if line.startswith("MemTotal:"):
        memory = round(int(line.split()[1]) / 1024 / 1024)
os_name = platform.platform()
try:
    for line in open("/etc/os-release"):
        if line.startswith("PRETTY_NAME="):
            os_name = line.split("=", 1)[1].strip().strip('"')
except OSError:
    pass
swift = subprocess.run(["swift", "--version"], capture_output=True, text=True).stdout + \
    subprocess.run(["swift", "--version"], capture_output=True, text=True).stderr
version = ""
for word in swift.split():
    if word[:1].isdigit():
        version = word
        break
print(json.dumps({"os": os_name, "cpus": os.cpu_count(), "cpu_model": model, "memory_gb": memory,
                  "swift": version, "libcurl": sys.argv[1], "load_average": os.getloadavg()[0]}))
PY
}

# Postfix's own durable queue, the second reference of benchmarks/throughput.sh: a private Postfix instance
# (its own main.cf, master.cf, queue and data directories under DIR; no postmulti, nothing of the system's
# Postfix touched) that accepts mail on a loopback port, holds every message on arrival (an access action
# `HOLD` for every client) and relays everything through its `smtp` client to the sink
# (`relayhost = [127.0.0.1]:PORT`). Postfix's own defaults otherwise: queue files written with fsync, up to 20
# connections per destination, connections reused. The master must start as root (it drops to `postfix`).

POSTFIX="${POSTFIX_COMMAND:-/usr/sbin/postfix}"
POSTSUPER="${POSTSUPER_COMMAND:-/usr/sbin/postsuper}"
POSTQUEUE="${POSTQUEUE_COMMAND:-/usr/sbin/postqueue}"

# postfix_queue_usable: whether the Postfix reference can run here (prints why not).
postfix_queue_usable() {
    [ "${POSTFIX_QUEUE:-1}" != 0 ] || { echo "Postfix queue reference: skipped (POSTFIX_QUEUE=0)"; return 1; }
    [ -x "$POSTFIX" ] && [ -x "$POSTSUPER" ] && [ -x "$POSTQUEUE" ] \
        || { echo "Postfix queue reference: skipped, no $POSTFIX (Debian package postfix)"; return 1; }
    [ "$(id -u)" = 0 ] || { echo "Postfix queue reference: skipped, Postfix's master must start as root"; return 1; }
    getent passwd postfix >/dev/null && getent group postdrop >/dev/null \
        || { echo "Postfix queue reference: skipped, no postfix user or postdrop group"; return 1; }
}

# start_postfix_queue DIR: the private instance in DIR (absolute, made fresh), relaying to the sink on PORT;
# sets POSTFIX_DIR and POSTFIX_SUBMIT (its SMTP port). Stopped by stop_postfix_queue.
start_postfix_queue() {
    POSTFIX_DIR="$1"
    rm -rf "$POSTFIX_DIR"
    mkdir -p "$POSTFIX_DIR/etc" "$POSTFIX_DIR/queue" "$POSTFIX_DIR/data"
    chmod 755 "$POSTFIX_DIR"
    chown postfix "$POSTFIX_DIR/data"
    POSTFIX_SUBMIT="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
    cat >"$POSTFIX_DIR/etc/main.cf" <<MAIN
# The benchmark's private Postfix instance (benchmarks/lib.sh): hold on arrival, relay to smtp-sink.
compatibility_level = 3.6
config_directory = $POSTFIX_DIR/etc
queue_directory = $POSTFIX_DIR/queue
data_directory = $POSTFIX_DIR/data
maillog_file = $POSTFIX_DIR/maillog
maillog_file_prefixes = $POSTFIX_DIR
mail_owner = postfix
setgid_group = postdrop
myhostname = queue.nurture.test
mydomain = nurture.test
myorigin = nurture.test
mydestination =
local_recipient_maps =
relay_domains =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
smtpd_client_restrictions = check_client_access static:HOLD
smtpd_relay_restrictions = permit_mynetworks, reject
relayhost = [127.0.0.1]:$PORT
default_transport = smtp
smtp_tls_security_level = none
smtpd_tls_security_level = none
MAIN
    # Only the services this needs; none chrooted (the queue is not under the system's chroot).
    cat >"$POSTFIX_DIR/etc/master.cf" <<MASTER
127.0.0.1:$POSTFIX_SUBMIT inet n - n - - smtpd
pickup    unix  n - n 60    1 pickup
cleanup   unix  n - n -     0 cleanup
qmgr      unix  n - n 300   1 qmgr
rewrite   unix  - - n -     - trivial-rewrite
bounce    unix  - - n -     0 bounce
defer     unix  - - n -     0 bounce
trace     unix  - - n -     0 bounce
verify    unix  - - n -     1 verify
flush     unix  n - n 1000? 0 flush
proxymap  unix  - - n -     - proxymap
smtp      unix  - - n -     - smtp
showq     unix  n - n -     - showq
error     unix  - - n -     - error
retry     unix  - - n -     - error
anvil     unix  - - n -     1 anvil
scache    unix  - - n -     1 scache
postlog   unix-dgram n - n - 1 postlogd
MASTER
    # postfix(1) reports to syslog only unless stdin is a terminal: its reasons are in maillog.
    "$POSTFIX" -c "$POSTFIX_DIR/etc" start </dev/null >/dev/null 2>&1 \
        || { echo "the benchmark's Postfix did not start:" >&2; cat "$POSTFIX_DIR/maillog" >&2 2>/dev/null; exit 1; }
    for _ in $(seq 100); do
        if (exec 3<>"/dev/tcp/127.0.0.1/$POSTFIX_SUBMIT") 2>/dev/null; then return 0; fi
        sleep 0.05
    done
    echo "the benchmark's Postfix did not listen on 127.0.0.1:$POSTFIX_SUBMIT" >&2
    exit 1
}

stop_postfix_queue() {
    [ -n "${POSTFIX_DIR:-}" ] || return 0
    "$POSTFIX" -c "$POSTFIX_DIR/etc" stop </dev/null >/dev/null 2>&1 || true
    [ -n "${KEEP_STORES:-}" ] || rm -rf "$POSTFIX_DIR"
    POSTFIX_DIR=
    return 0
}

# sink_count: how many messages smtp-sink has accepted so far (its -c counter, the last "mesg=N").
sink_count() {
    tail -c 300 "$SINK_LOG" | tr '\r' '\n' | sed -n 's/.*mesg=\([0-9]*\).*/\1/p' | tail -1 | grep . || echo 0
}

# postfix_queue_files: whether any message is still in the instance's queue (incoming, active, deferred,
# hold, maildrop): prints the first queue file found.
postfix_queue_files() {
    find "$POSTFIX_DIR"/queue/{incoming,active,deferred,hold,maildrop} -type f -print -quit 2>/dev/null
}

# postfix_queue_run N BYTES: queues N messages of BYTES bytes (smtp-source into the instance, 4 sessions; all
# held; not timed), then times `postsuper -H ALL` + `postqueue -f` until the queue is empty (each message's
# queue file is removed once the sink accepted it) and the sink has counted all N. Sets POSTFIX_RATE (msg/s)
# and POSTFIX_SECONDS.
postfix_queue_run() {
    local n="$1" bytes="$2" held start end before
    "$SOURCE" -d -s 4 -m "$n" -l "$bytes" -f bench@nurture.test -t sink@nurture.test "127.0.0.1:$POSTFIX_SUBMIT"
    for _ in $(seq 600); do
        held="$(find "$POSTFIX_DIR/queue/hold" -type f | wc -l)"
        [ "$held" -ge "$n" ] && break
        sleep 0.1
    done
    [ "$held" -ge "$n" ] || { echo "Postfix holds $held of $n messages; see $POSTFIX_DIR/maillog" >&2; exit 1; }
    before="$(sink_count)"
    start="$(date +%s.%N)"
    "$POSTSUPER" -c "$POSTFIX_DIR/etc" -H ALL 2>/dev/null
    "$POSTQUEUE" -c "$POSTFIX_DIR/etc" -f
    while [ -n "$(postfix_queue_files)" ]; do sleep 0.02; done
    end="$(date +%s.%N)"
    local accepted=$(($(sink_count) - before))
    [ "$accepted" -ge "$n" ] || {
        echo "Postfix's queue is empty but the sink counted $accepted of $n; see $POSTFIX_DIR/maillog" >&2
        exit 1
    }
    POSTFIX_SECONDS="$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }')"
    POSTFIX_RATE="$(awk -v n="$n" -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", n / (b - a) }')"
}
