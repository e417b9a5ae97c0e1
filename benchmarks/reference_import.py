#!/usr/bin/env python3
"""The reference for the import benchmark: the same CSV loaded into the same schema with Python's csv and
sqlite3 modules, `executemany` per table, in transactions of the same size as Nurture's, with the same
durability (WAL, synchronous=FULL).

It writes what an import of new leads writes (the lead row, the `created` and `enrolled` audit entries, the
enrollment by the shipped rules) but checks nothing: no address or time-zone validation, no stage machine,
no round-robin, no suppression. A floor for what the work costs on this machine, not a competitor.

Usage: reference_import.py CSV DATABASE   (DATABASE: an empty store Nurture created, so the schema is its own)
Prints the number of leads written.
"""
import csv
import json
import sys
import time

KNOWN = ["email", "first_name", "last_name", "company", "title", "time_zone", "stage", "source", "owner",
         "vision", "budget", "need", "authority", "timeframe", "unsubscribed"]
BATCH = 2000


def sequence(stage, source, unsubscribed):
    if unsubscribed:
        return None
    if stage in ("subscriber", "lead", "marketing-qualified"):
        return "marketing-nurture"
    if stage == "sales-qualified" and source == "inbound":
        return "inbound-sales"
    if stage == "recycled":
        return "recycled-renurture"
    return None


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    connection = sqlite3_connect(sys.argv[2])
    now = int(time.time() * 1000)
    next_enrollment = (connection.execute("SELECT COALESCE(MAX(id), 0) FROM enrollments").fetchone()[0]) + 1
    count = 0
    with open(sys.argv[1], newline="", encoding="utf-8") as source:
        reader = csv.DictReader(source)
        batch = []
        for row in reader:
            batch.append(row)
            if len(batch) == BATCH:
                next_enrollment = write(connection, batch, now, next_enrollment)
                count += len(batch)
                batch = []
        if batch:
            write(connection, batch, now, next_enrollment)
            count += len(batch)
    print(count)


def sqlite3_connect(path):
    import sqlite3
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute("PRAGMA synchronous = FULL")
    connection.execute("PRAGMA foreign_keys = ON")
    connection.execute("PRAGMA cache_size = -65536")
    return connection


def write(connection, rows, now, next_enrollment):
    leads, audit, enrollments = [], [], []
    for row in rows:
        email = row["email"].strip()
        stage = row.get("stage") or "subscriber"
        source = row.get("source") or "inbound"
        unsubscribed = (row.get("unsubscribed") or "").lower() in ("yes", "true", "1")
        attributes = {key: value for key, value in row.items() if key not in KNOWN}
        leads.append((
            email, row.get("first_name") or None, row.get("last_name") or None, row.get("company") or None,
            row.get("title") or None, row.get("time_zone") or None, stage, source, row.get("owner") or None,
            *[(row.get(key) or "unknown") for key in ("vision", "budget", "need", "authority", "timeframe")],
            json.dumps(attributes, sort_keys=True), int(unsubscribed), 0, now, now,
        ))
        audit.append((now, email, "created", f"stage {stage}, source {source}"))
        chosen = sequence(stage, source, unsubscribed)
        if chosen:
            enrollments.append((next_enrollment, email, chosen, now))
            audit.append((now, email, "enrolled", f"enrolled in {chosen} (enrollment {next_enrollment})"))
            next_enrollment += 1
    connection.execute("BEGIN IMMEDIATE")
    connection.executemany(
        "INSERT INTO leads (email, first_name, last_name, company, title, time_zone, stage, source, owner,"
        " vision, budget, need, authority, timeframe, attributes, unsubscribed, bounced, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", leads)
    connection.executemany(
        "INSERT INTO enrollments (id, lead_email, sequence, started_at) VALUES (?, ?, ?, ?)", enrollments)
    connection.executemany("INSERT INTO lead_audit (at, lead_email, kind, detail) VALUES (?, ?, ?, ?)", audit)
    connection.execute("COMMIT")
    return next_enrollment


if __name__ == "__main__":
    main()
