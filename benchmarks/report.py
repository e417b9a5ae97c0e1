#!/usr/bin/env python3
"""Merges benchmarks/out/*.json into benchmarks/results.json and prints the Markdown table the README carries.

Usage: report.py [--command TEXT] [--started-at ISO] [--transport-log FILE] [--output FILE]
  --transport-log: the output of benchmarks/transport.sh, turned into out/transport.json first (that script
                   prints its figures but writes no file).
Each out/<name>.json follows the schema in benchmarks/benchlib.py.
"""
import argparse
import glob
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import benchlib  # noqa: E402

ORDER = ["transport", "throughput", "punctuality", "cluster", "scale", "render"]


def transport_from_log(path, started_at):
    """out/transport.json from the summary lines of benchmarks/transport.sh."""
    with open(path, encoding="utf-8") as file:
        text = file.read()
    pattern = r"K=(\d+): smtp-source (\d+) msg/s, nurture (\d+) msg/s, ratio nurture/reference ([\d.]+)"
    count = re.search(r"== summary \(N=(\d+)\)", text)
    rows = []
    for k, reference, value, ratio in re.findall(pattern, text):
        rows.append(benchlib.result(
            f"SMTP transport alone, K={k} connections", int(value), "msg/s", reference=int(reference),
            reference_name=f"smtp-source -d -s {k} -m N -l 3000, same smtp-sink", ratio=float(ratio),
            notes=f"nurture-bench transport, N={count.group(1) if count else '?'} pre-composed messages"))
    if rows:
        benchlib.write("transport", "bash benchmarks/transport.sh", started_at, rows)
    return bool(rows)


def fmt(value, unit=""):
    if value is None:
        return "–"
    if isinstance(value, float):
        value = f"{value:,.3f}".rstrip("0").rstrip(".") if abs(value) < 100 else f"{value:,.0f}"
    elif isinstance(value, int):
        value = f"{value:,}"
    return f"{value} {unit}".strip()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--command", default="bash benchmarks/run.sh")
    parser.add_argument("--started-at", default=benchlib.now_iso())
    parser.add_argument("--transport-log")
    parser.add_argument("--output", default=os.path.join(HERE, "results.json"), help="the merged file")
    arguments = parser.parse_args()
    if arguments.transport_log:
        transport_from_log(arguments.transport_log, arguments.started_at)

    documents = {}
    for path in glob.glob(os.path.join(benchlib.OUT, "*.json")):
        with open(path, encoding="utf-8") as file:
            document = json.load(file)
        documents[document.get("benchmark", os.path.basename(path)[:-5])] = document
    names = [name for name in ORDER if name in documents] + sorted(set(documents) - set(ORDER))
    merged = {
        "command": arguments.command,
        "started_at": arguments.started_at,
        "machine": benchlib.machine(),
        "benchmarks": [
            {key: documents[name][key] for key in ("benchmark", "command", "started_at", "results") if key in
             documents[name]} | {"machine": documents[name].get("machine")}
            for name in names
        ],
    }
    with open(arguments.output, "w", encoding="utf-8") as out:
        json.dump(merged, out, indent=2, ensure_ascii=False)
        out.write("\n")

    machine = merged["machine"]
    print(f"Machine: {machine['os']}; {machine['cpus']} × {machine['cpu_model']}; {machine['memory_gb']} GB;"
          f" Swift {machine['swift']}; libcurl {machine['libcurl']}; SQLite {machine['sqlite']}.")
    print(f"Command: `{arguments.command}` (started {arguments.started_at}).")
    print()
    print("| benchmark | figure | measured | reference | ratio | target | met |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for name in names:
        for row in documents[name]["results"]:
            reference = fmt(row.get("reference"), row.get("unit", "") if row.get("reference") is not None else "")
            if row.get("reference_name"):
                reference += f" ({row['reference_name']})"
            met = {True: "yes", False: "**no**", None: "–"}[row.get("met")]
            print(f"| {name} | {row['name']} | {fmt(row.get('value'), row.get('unit', ''))} | {reference} |"
                  f" {fmt(row.get('ratio'))} | {row.get('target') or '–'} | {met} |")
    missing = [name for name in ORDER if name not in documents]
    if missing:
        print()
        print(f"Not measured in this run: {', '.join(missing)}.")


if __name__ == "__main__":
    main()
