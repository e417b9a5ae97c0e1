#!/usr/bin/env bash
# Shared by benchmarks/throughput.sh and benchmarks/punctuality.sh: the smtp-sink peer, a per-run
# configuration, and the machine description for the JSON files. Source it from the repository root.

SINK="${SMTP_SINK:-/usr/sbin/smtp-sink}"
SOURCE="${SMTP_SOURCE:-/usr/sbin/smtp-source}"

# build_release PRODUCT...: release builds; sets BIN to the binaries' directory.
build_release() {
    local args=(-c release)
    [ -n "${SCRATCH_PATH:-}" ] && args+=(--scratch-path "$SCRATCH_PATH")
    for product in "$@"; do
        echo "== building $product (release)"
        swift build "${args[@]}" --product "$product"
    done
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
