"""Shared helpers for the benchmark scripts: the machine description and the JSON result files.

Every benchmark writes benchmarks/out/<name>.json:

    {"benchmark": "scale", "command": "bash benchmarks/scale.sh", "machine": {...}, "started_at": "ISO-8601",
     "results": [{"name": ..., "value": ..., "unit": ..., "reference": ..., "reference_name": ...,
                  "ratio": ..., "target": ..., "met": ..., "notes": ...}]}

`python3 benchmarks/benchlib.py machine` prints the machine description as JSON.
"""
import datetime
import json
import os
import platform
import re
import subprocess
import sys

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "out")


def _run(*command):
    try:
        return subprocess.run(command, capture_output=True, text=True, timeout=60).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def machine():
    """What the figures were measured on."""
    pretty = platform.platform()
    try:
        with open("/etc/os-release", encoding="utf-8") as release:
            for line in release:
                if line.startswith("PRETTY_NAME="):
                    pretty = line.split("=", 1)[1].strip().strip('"')
    except OSError:
        pass
    model = platform.processor() or "unknown"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    memory_gb = None
    try:
        with open("/proc/meminfo", encoding="utf-8") as meminfo:
            for line in meminfo:
                if line.startswith("MemTotal:"):
                    memory_gb = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    swift = re.search(r"Swift version (\S+)", _run("swift", "--version"))
    return {
        "os": f"{pretty}, Linux {platform.release()}",
        "cpus": os.cpu_count(),
        "cpu_model": model,
        "memory_gb": memory_gb,
        "swift": swift.group(1) if swift else "unknown",
        "libcurl": _run("pkg-config", "--modversion", "libcurl") or "unknown",
        "sqlite": _run("pkg-config", "--modversion", "sqlite3") or "unknown",
        "load_average_at_start": [round(value, 2) for value in os.getloadavg()],
    }


def now_iso():
    return datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0).isoformat()


def result(name, value, unit, target=None, met=None, reference=None, reference_name=None, ratio=None, notes=None):
    """One row of a result file; `ratio` is computed as value / reference when not given."""
    if ratio is None and reference not in (None, 0) and value is not None:
        ratio = round(value / reference, 3)
    return {
        "name": name, "value": value, "unit": unit, "reference": reference, "reference_name": reference_name,
        "ratio": ratio, "target": target, "met": met, "notes": notes,
    }


def write(benchmark, command, started_at, results, extra=None):
    """Writes benchmarks/out/<benchmark>.json and returns its path."""
    os.makedirs(OUT, exist_ok=True)
    document = {
        "benchmark": benchmark, "command": command, "machine": machine(), "started_at": started_at,
        "results": results,
    }
    if extra:
        document.update(extra)
    path = os.path.join(OUT, f"{benchmark}.json")
    with open(path, "w", encoding="utf-8") as out:
        json.dump(document, out, indent=2, ensure_ascii=False)
        out.write("\n")
    return path


if __name__ == "__main__":
    if sys.argv[1:] == ["machine"]:
        print(json.dumps(machine(), indent=2))
    else:
        sys.exit("usage: benchlib.py machine")
