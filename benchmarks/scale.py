#!/usr/bin/env python3
"""Scale benchmark driver (run it through benchmarks/scale.sh, which builds the release binaries first).

For each store size (10,000, 100,000 and N leads by default), on a fresh store:
  1. `nurture leads import` of a generated CSV (benchmarks/generate_leads.py), wall clock; the reference is
     the same CSV loaded into the same schema by benchmarks/reference_import.py;
  2. `nurture-bench plan --phase before`: the `enrollmentsNeedingPlan` query with every enrollment waiting,
     and the time to plan one enrollment through the real Scheduler;
  3. `nurture run` with NOTIFY_SOCKET on a datagram socket this script listens on: exec until READY=1, then
     until the daemon has planned every enrollment (the `needs_plan` flag is clear everywhere), sampling its
     VmRSS; VmRSS and VmHWM once it is idle;
  4. `nurture log --lead EMAIL` and `nurture why EMAIL`: wall clock of the process, median and max;
  5. `nurture-bench plan --phase after`: `earliestWaiting`, `claimDue` and `enrollmentsNeedingPlan` with
     every step planned.
The send window of the store's configuration copy is set to a weekday two days ahead (in no time zone is
it today), so nothing falls due: the run measures planning, not sending.

Environment: BIN (directory of the release binaries, required), N (default 1000000), SIZES (default
"10000 100000 N"), RUNS (latency runs, default 20), SETTLE_TIMEOUT (seconds, default 1200), KEEP=1 keeps
the scratch directory. Writes benchmarks/out/scale.json.
"""
import datetime
import os
import re
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.environ.get("BIN") or sys.exit("BIN must name the directory of the release binaries")
NURTURE = os.path.join(BIN, "nurture")
BENCH = os.path.join(BIN, "nurture-bench")
N = int(os.environ.get("N", "1000000"))
SIZES = sorted({int(size) for size in os.environ.get("SIZES", f"10000 100000 {N}").split() if int(size) <= N})
RUNS = int(os.environ.get("RUNS", "20"))
SETTLE_TIMEOUT = float(os.environ.get("SETTLE_TIMEOUT", "1200"))
WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


def log(line):
    print(line, flush=True)


def timed(command, **kwargs):
    """Runs `command`, fails loudly on a non-zero exit; returns (seconds, stdout)."""
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, **kwargs)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"{' '.join(command)} exited {done.returncode}:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    return elapsed, done.stdout


def prepare(directory):
    """A copy of config/ and templates/ whose store is in `directory`/state and whose window is closed."""
    shutil.copytree(os.path.join(ROOT, "config"), os.path.join(directory, "config"))
    shutil.copytree(os.path.join(ROOT, "templates"), os.path.join(directory, "templates"))
    path = os.path.join(directory, "config", "nurture.yaml")
    with open(path, encoding="utf-8") as file:
        text = file.read()
    closed = WEEKDAYS[(datetime.datetime.now(datetime.timezone.utc).weekday() + 2) % 7]
    text = text.replace("  directory: ../state", f"  directory: {os.path.join(directory, 'state')}", 1)
    text, replaced = re.subn(r"(?m)^    days: mon-fri", f"    days: [{closed}]", text, count=1)
    if replaced != 1:
        sys.exit("config/nurture.yaml: `days: mon-fri` not found; update benchmarks/scale.py")
    # No relay is needed: nothing falls due. An unused port makes any send fail loudly rather than leave.
    text = text.replace("  port: 2525", "  port: 9", 1)
    # The HTTP interface runs as shipped, on a port the kernel chooses (the shipped one may be taken).
    text, replaced = re.subn(r"(?m)^  listen: 127\.0\.0\.1:8470", "  listen: 127.0.0.1:0", text, count=1)
    if replaced != 1:
        sys.exit("config/nurture.yaml: `listen: 127.0.0.1:8470` not found; update benchmarks/scale.py")
    with open(path, "w", encoding="utf-8") as file:
        file.write(text)
    return path


def store_path(directory):
    return os.path.join(directory, "state", "nurture.sqlite")


def needs_plan(database):
    connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=10)
    try:
        return connection.execute(
            "SELECT COUNT(*) FROM enrollments INDEXED BY enrollments_needing_plan WHERE needs_plan = 1").fetchone()[0]
    finally:
        connection.close()


def proc_status(pid):
    values = {}
    with open(f"/proc/{pid}/status", encoding="utf-8") as status:
        for line in status:
            if line.startswith(("VmRSS:", "VmHWM:")):
                key, value = line.split(":", 1)
                values[key] = int(value.split()[0]) / 1024
    return values


def run_daemon(config, directory):
    """Starts the daemon, times READY=1, waits until planning settles; returns the figures."""
    socket_path = os.path.join(directory, "notify.sock")
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    listener.bind(socket_path)
    listener.settimeout(0.2)
    environment = dict(os.environ, NOTIFY_SOCKET=socket_path)
    daemon_log = open(os.path.join(directory, "daemon.log"), "w", encoding="utf-8")
    database = store_path(directory)
    waiting_at_start = needs_plan(database)
    started = time.perf_counter()
    daemon = subprocess.Popen(
        [NURTURE, "run", "--config", config, "--log-level", "notice"], stdout=daemon_log, stderr=daemon_log,
        env=environment)
    ready_at = []
    stop = threading.Event()

    def drain():
        # Like systemd, read every datagram as it comes: the daemon's sendto blocks once 10 wait unread
        # (net.unix.max_dgram_qlen), which would stall its STATUS updates and its SIGTERM handling.
        while not stop.is_set():
            try:
                message = listener.recv(4096).decode()
            except socket.timeout:
                continue
            except OSError:
                return
            if not ready_at and "READY=1" in message.split("\n"):
                ready_at.append(time.perf_counter())

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    ready = None
    try:
        while ready is None:
            time.sleep(0.005)
            if ready_at:
                ready = ready_at[0] - started
            elif daemon.poll() is not None:
                daemon_log.flush()
                with open(daemon_log.name, encoding="utf-8") as text:
                    sys.exit(f"the daemon exited with {daemon.returncode}:\n{text.read()[-3000:]}")
            elif time.perf_counter() - started > 120:
                sys.exit("no READY=1 within 120 s")
        peak_rss = 0.0
        remaining = waiting_at_start
        settled = None
        while time.perf_counter() - started < SETTLE_TIMEOUT:
            peak_rss = max(peak_rss, proc_status(daemon.pid)["VmRSS"])
            remaining = needs_plan(database)
            if remaining == 0:
                settled = time.perf_counter() - started
                break
            time.sleep(0.5)
        time.sleep(3)  # idle: nothing is due and nothing needs planning
        idle = proc_status(daemon.pid)
        daemon.terminate()
        try:
            daemon.wait(timeout=60)
        except subprocess.TimeoutExpired:
            sys.exit(f"the daemon did not stop within 60 s of SIGTERM; see {daemon_log.name}")
    finally:
        if daemon.poll() is None:
            daemon.kill()
            daemon.wait()
        stop.set()
        reader.join()
        listener.close()
        daemon_log.close()
    return {
        "ready_s": ready, "settled_s": settled, "planned": waiting_at_start - remaining,
        "unplanned_at_timeout": remaining, "sampled_peak_rss_mb": peak_rss, "idle_rss_mb": idle["VmRSS"],
        "hwm_mb": idle["VmHWM"],
    }


def latency(command, runs):
    times = []
    for _ in range(runs):
        elapsed, _ = timed(command)
        times.append(elapsed * 1000)
    return statistics.median(times), max(times)


def plan_bench(config, phase, directory):
    json_path = os.path.join(directory, f"plan-{phase}.json")
    arguments = [BENCH, "plan", "--config", config, "--phase", phase, "--json", json_path]
    _, out = timed(arguments)
    log(out.rstrip())
    import json
    with open(json_path, encoding="utf-8") as file:
        return json.load(file)


def sample_emails(csv_path, count):
    """Addresses from across the file (first, middle, last...)."""
    with open(csv_path, encoding="utf-8") as file:
        lines = file.read().splitlines()[1:]
    picks = [lines[int(index * (len(lines) - 1) / max(1, count - 1))] for index in range(count)]
    return [line.split(",", 1)[0] for line in picks]


def measure(size, csv_all, scratch):
    log(f"== {size:,} leads")
    directory = os.path.join(scratch, f"size-{size}")
    os.makedirs(directory)
    csv_path = os.path.join(directory, "leads.csv")
    with open(csv_all, encoding="utf-8") as source, open(csv_path, "w", encoding="utf-8") as target:
        for index, line in enumerate(source):
            if index > size:
                break
            target.write(line)
    config = prepare(directory)
    figures = {"size": size}

    figures["import_s"], out = timed([NURTURE, "leads", "import", "--config", config, csv_path])
    log(out.strip() + f"  ({figures['import_s']:.2f} s)")

    reference_dir = os.path.join(directory, "reference")
    os.makedirs(reference_dir)
    reference_config = prepare(reference_dir)
    # An import of no rows creates the empty store with Nurture's schema (read-only commands never create one).
    header_only = os.path.join(reference_dir, "header.csv")
    with open(header_only, "w") as target:
        target.write("email\n")
    timed([NURTURE, "leads", "import", "--config", reference_config, header_only])
    figures["reference_import_s"], _ = timed(
        [sys.executable, os.path.join(ROOT, "benchmarks", "reference_import.py"), csv_path,
         store_path(reference_dir)])
    log(f"reference import (python sqlite3 executemany): {figures['reference_import_s']:.2f} s")
    shutil.rmtree(reference_dir)

    figures["before"] = plan_bench(config, "before", directory)
    figures["daemon"] = run_daemon(config, directory)
    daemon = figures["daemon"]
    log(f"daemon: READY=1 after {daemon['ready_s'] * 1000:.0f} ms; planned {daemon['planned']:,} enrollments in"
        f" {daemon['settled_s'] or float('nan'):.1f} s; idle VmRSS {daemon['idle_rss_mb']:.1f} MB,"
        f" VmHWM {daemon['hwm_mb']:.1f} MB")

    emails = sample_emails(csv_path, 5)
    runs = RUNS
    log_times = [latency([NURTURE, "log", "--lead", email, "--config", config], max(1, runs // len(emails)))
                 for email in emails]
    why_times = [latency([NURTURE, "why", email, "--config", config], max(1, runs // len(emails)))
                 for email in emails]
    # Median over every run, max over every run.
    figures["log_ms"] = (statistics.median([median for median, _ in log_times]), max(m for _, m in log_times))
    figures["why_ms"] = (statistics.median([median for median, _ in why_times]), max(m for _, m in why_times))
    log(f"log --lead: median {figures['log_ms'][0]:.1f} ms, max {figures['log_ms'][1]:.1f} ms;"
        f" why: median {figures['why_ms'][0]:.1f} ms, max {figures['why_ms'][1]:.1f} ms")
    figures["after"] = plan_bench(config, "after", directory)
    return figures


def results(by_size):
    """The rows of scale.json: headline figures at the largest size, scaling figures against the smallest."""
    big, small = by_size[-1], by_size[0]
    label = f"{big['size']:,} leads"
    rows = []
    imp, ref = big["import_s"], big["reference_import_s"]
    rows.append(benchlib.result(
        f"CSV import, {label}", round(imp, 2), "s", target="<= 60 s", met=imp <= 60, reference=round(ref, 2),
        reference_name="python3 csv + sqlite3 executemany, same schema and transactions, no validation",
        ratio=round(ref / imp, 3),
        notes=f"{big['size'] / imp:,.0f} leads/s; ratio = reference time / nurture time (1.0 = as fast as the"
              " floor)"))
    daemon = big["daemon"]
    rows.append(benchlib.result(
        f"Daemon start until READY=1, {label}", round(daemon["ready_s"], 3), "s", target="<= 2 s",
        met=daemon["ready_s"] <= 2, notes="exec of `nurture run` until the READY=1 datagram on NOTIFY_SOCKET"))
    rows.append(benchlib.result(
        f"Idle daemon VmRSS, {label}", round(daemon["idle_rss_mb"], 1), "MB", target="<= 150 MB",
        met=daemon["idle_rss_mb"] <= 150,
        notes=f"3 s after planning settled; VmHWM (peak, including planning) {daemon['hwm_mb']:.1f} MB"))
    rows.append(benchlib.result(
        f"Daemon peak memory (VmHWM) while planning {label}", round(daemon["hwm_mb"], 1), "MB",
        target="<= 150 MB", met=daemon["hwm_mb"] <= 150))
    if daemon["settled_s"]:
        rows.append(benchlib.result(
            f"Daemon plans every enrollment, {label}", round(daemon["settled_s"], 1), "s",
            notes=f"{daemon['planned']:,} enrollments, {daemon['planned'] / daemon['settled_s']:,.0f}/s,"
                  " from exec; sends are not delayed: each pass plans one batch of 500, then sends what is due"))
    else:
        rows.append(benchlib.result(
            f"Daemon plans every enrollment, {label}", None, "s", met=False,
            notes=f"{daemon['unplanned_at_timeout']:,} still unplanned after {SETTLE_TIMEOUT:.0f} s"))

    def scaling(name, key, phase, unit="ms", scale=1.0):
        value, reference = big[phase][key] * scale, small[phase][key] * scale
        ratio = value / reference if reference else None
        rows.append(benchlib.result(
            f"{name}, {label}", round(value, 4), unit, reference=round(reference, 4),
            reference_name=f"same at {small['size']:,} leads", ratio=round(ratio, 2) if ratio else None,
            target=f"not linear: < 10x for {big['size'] // small['size']}x leads",
            met=ratio is not None and ratio < 10 if big["size"] >= 10 * small["size"] else None))

    scaling("Plan one enrollment (Scheduler pass, batches of 500)", "plan_per_enrollment_us", "before", "µs")
    scaling("Find enrollments to plan (enrollmentsNeedingPlan, 500 of all)", "enrollments_needing_plan_ms",
            "before")
    scaling("Next due time (earliestWaiting)", "earliest_waiting_ms", "after")
    scaling("Claim due sends, none due (claimDue)", "claim_due_none_ms", "after")
    scaling("Claim the earliest due send (claimDue)", "claim_due_one_ms", "after")
    scaling("Find enrollments to plan, none left (enrollmentsNeedingPlan)", "enrollments_needing_plan_empty_ms",
            "after")
    for key, command in (("log_ms", "nurture log --lead EMAIL"), ("why_ms", "nurture why EMAIL")):
        median, worst = big[key]
        rows.append(benchlib.result(
            f"`{command}` latency, median, {label}", round(median, 1), "ms", target="<= 50 ms", met=median <= 50,
            notes=f"wall clock of the process, {RUNS} runs over 5 leads across the file; max {worst:.1f} ms"))
        rows.append(benchlib.result(
            f"`{command}` latency, max, {label}", round(worst, 1), "ms", target="<= 50 ms", met=worst <= 50))
    return rows


def main():
    started_at = benchlib.now_iso()
    scratch = tempfile.mkdtemp(prefix="nurture-scale-")
    try:
        csv_all = os.path.join(scratch, "leads.csv")
        elapsed, _ = timed([sys.executable, os.path.join(ROOT, "benchmarks", "generate_leads.py"), str(N), csv_all])
        log(f"generated {N:,} leads in {elapsed:.1f} s")
        by_size = [measure(size, csv_all, scratch) for size in SIZES]
    finally:
        if os.environ.get("KEEP") == "1":
            log(f"kept {scratch}")
        else:
            shutil.rmtree(scratch, ignore_errors=True)
    rows = results(by_size)
    path = benchlib.write(
        "scale", "bash benchmarks/scale.sh" + (f"  (N={N})" if N != 1000000 else ""), started_at, rows,
        extra={"sizes": by_size})
    log(f"== wrote {os.path.relpath(path, ROOT)}")
    for row in rows:
        met = {True: "met", False: "MISSED", None: ""}[row["met"]]
        reference = f"  reference {row['reference']} ({row['reference_name']})" if row["reference"] is not None else ""
        ratio = f"  ratio {row['ratio']}" if row["ratio"] is not None else ""
        log(f"{row['name']}: {row['value']} {row['unit']}{reference}{ratio}  target {row['target']} {met}")


if __name__ == "__main__":
    main()
