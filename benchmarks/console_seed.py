#!/usr/bin/env python3
"""Seeds a migrated Nurture SQLite store for benchmarks/console.sh: LEADS leads, three enrollments each (all
ended), ten ledger rows each (planned_sends: the five marketing-nurture steps, the four inbound-sales steps, the
first recycled-renurture step) and one send-log line per ledger row, spread over the last DAYS days.

Usage: console_seed.py STORE [LEADS] [DAYS]     (LEADS 1,000,000 gives 10,000,000 ledger rows and log lines)

The store must have been made by Nurture (`nurture store migrate`): the tables are the project's own. For speed
the indexes and triggers of the four tables are dropped, the rows are generated inside SQLite with recursive
CTEs, the counts the triggers would have kept (send_counts) are made from the ledger, and the same CREATE
statements, read from sqlite_master beforehand, are run again at the end, so the seeded file has exactly the
schema and contents a daemon would have made. Nothing waits: every row is in a final state (sent,
cancelled, skipped, failed or unknown) and every enrollment has ended, so a daemon started on the store stays
idle while the console is timed.

Lead i is lead<i, 7 digits>@d<i mod 1000, 3 digits>.example; its ledger rows have ids 10(i-1)+1 to 10i and its
log lines the same ids. Of the rows, 0.1% (id mod 1000 = 7) are `unknown`, and the others are mostly `sent`.
"""
import sqlite3
import sys
import time

TABLES = ("leads", "enrollments", "planned_sends", "send_log")


def main():
    store = sys.argv[1]
    leads = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
    days = int(sys.argv[3]) if len(sys.argv) > 3 else 90
    now = int(time.time() * 1000)
    start = now - days * 86_400_000
    # Lead i enrolls at start + (i - 1) * spread; its steps follow an hour apart, its log lines a second later.
    spread = max(1, (days * 86_400_000 - 10 * 3_600_000) // leads)
    db = sqlite3.connect(store, isolation_level=None)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = OFF")
    db.execute("PRAGMA cache_size = -1000000")
    db.execute("PRAGMA temp_store = MEMORY")
    for table in TABLES:
        if db.execute("SELECT count(*) FROM %s" % table).fetchone()[0]:
            sys.exit("console_seed: %s is not empty in %s; seed a freshly migrated store" % (table, store))
    saved = db.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE tbl_name IN (%s) AND type IN ('index', 'trigger')"
        " AND sql IS NOT NULL" % ",".join("'%s'" % t for t in TABLES)).fetchall()
    for kind, name, _ in saved:
        db.execute("DROP %s %s" % (kind.upper(), name))
    params = {"leads": leads, "start": start, "spread": spread, "now": now}

    def run(label, sql):
        began = time.time()
        db.execute("BEGIN")
        db.execute(sql, params)
        db.execute("COMMIT")
        print("console_seed: %-13s %6.1f s" % (label, time.time() - began), flush=True)

    run("leads", """
        WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < :leads)
        INSERT INTO leads (id, email, first_name, last_name, company, title, time_zone, stage, source, owner,
            vision, budget, need, authority, timeframe, attributes, unsubscribed, bounced, created_at, updated_at)
        SELECT i, printf('lead%07d@d%03d.example', i, i % 1000), 'First' || (i % 977), 'Last' || (i % 983),
            'Company ' || (i % 5003), 'Head of Data',
            CASE i % 4 WHEN 0 THEN 'Europe/Berlin' WHEN 1 THEN 'America/New_York' WHEN 2 THEN 'Asia/Tokyo' END,
            CASE i % 5 WHEN 0 THEN 'customer' WHEN 1 THEN 'sales-qualified' ELSE 'recycled' END,
            CASE i % 3 WHEN 0 THEN 'outbound' ELSE 'inbound' END,
            CASE i % 2 WHEN 0 THEN 'priya' ELSE 'marco' END,
            'yes', 'unknown', 'yes', 'unknown', 'no', '{"plan":"pro"}', 0, 0,
            :start + (i - 1) * :spread, :start + (i - 1) * :spread + 36000000
        FROM n""")
    run("enrollments", """
        WITH RECURSIVE n(e) AS (SELECT 1 UNION ALL SELECT e + 1 FROM n WHERE e < 3 * :leads)
        INSERT INTO enrollments (id, lead_email, sequence, started_at, ended_at, end_reason, needs_plan)
        SELECT e, printf('lead%07d@d%03d.example', (e - 1) / 3 + 1, ((e - 1) / 3 + 1) % 1000),
            CASE (e - 1) % 3 WHEN 0 THEN 'marketing-nurture' WHEN 1 THEN 'inbound-sales' ELSE 'recycled-renurture' END,
            :start + ((e - 1) / 3) * :spread + ((e - 1) % 3) * 18000000,
            :start + ((e - 1) / 3) * :spread + ((e - 1) % 3) * 18000000 + 17000000,
            CASE (e - 1) % 3 WHEN 0 THEN 'stage-changed' WHEN 1 THEN 'stage-changed' ELSE 'completed' END, 0
        FROM n""")
    run("planned_sends", """
        WITH RECURSIVE n(id) AS (SELECT 1 UNION ALL SELECT id + 1 FROM n WHERE id < 10 * :leads),
        s AS (SELECT id, (id - 1) / 10 + 1 AS i, (id - 1) % 10 AS k,
                CASE WHEN id % 1000 = 7 THEN 'unknown' WHEN id % 100 < 85 THEN 'sent'
                    WHEN id % 100 < 90 THEN 'cancelled' WHEN id % 100 < 94 THEN 'skipped' ELSE 'failed' END AS state
            FROM n)
        INSERT INTO planned_sends (id, enrollment_id, lead_email, sequence, step, step_number, track, due_at,
            next_attempt_at, state, attempts, message_id, last_code, last_reply, reason, reason_kind, created_at,
            updated_at)
        SELECT id, (i - 1) * 3 + CASE WHEN k < 5 THEN 1 WHEN k < 9 THEN 2 ELSE 3 END,
            printf('lead%07d@d%03d.example', i, i % 1000),
            CASE WHEN k < 5 THEN 'marketing-nurture' WHEN k < 9 THEN 'inbound-sales' ELSE 'recycled-renurture' END,
            CASE k WHEN 0 THEN 'welcome' WHEN 1 THEN 'guide' WHEN 2 THEN 'case-study' WHEN 3 THEN 'webinar'
                WHEN 4 THEN 'check-in' WHEN 5 THEN 'intro' WHEN 6 THEN 'follow-up' WHEN 7 THEN 'resources'
                WHEN 8 THEN 'last-note' ELSE 'back' END,
            CASE WHEN k < 5 THEN k + 1 WHEN k < 9 THEN k - 4 ELSE 1 END,
            CASE WHEN k < 5 OR k = 9 THEN 'marketing' ELSE 'sales' END,
            :start + (i - 1) * :spread + k * 3600000, :start + (i - 1) * :spread + k * 3600000, state,
            CASE WHEN state IN ('sent', 'failed', 'unknown') THEN 1 ELSE 0 END,
            printf('<%d.%07d@acme-analytics.example>', id, i),
            CASE state WHEN 'sent' THEN 250 WHEN 'failed' THEN 550 END,
            CASE state WHEN 'sent' THEN '250 2.0.0 Ok: queued as ' || id
                WHEN 'failed' THEN '550 5.1.1 No such user here' END,
            CASE state WHEN 'cancelled' THEN 'enrollment ended (stage-changed)'
                WHEN 'skipped' THEN 'the step''s condition no longer holds'
                WHEN 'failed' THEN 'permanent failure: 550 5.1.1 No such user here'
                WHEN 'unknown' THEN 'outcome unknown: the connection closed after the message was sent' END,
            CASE state WHEN 'cancelled' THEN 'enrollment_ended' WHEN 'skipped' THEN 'condition_not_met'
                WHEN 'failed' THEN 'recipient_bounced' WHEN 'unknown' THEN 'outcome_unknown' END,
            :start + (i - 1) * :spread, :start + (i - 1) * :spread + k * 3600000 + 1000
        FROM s""")
    run("send_log", """
        INSERT INTO send_log (id, at, send_id, lead_email, sequence, step, message_id, state, attempt, code, reply,
            detail, sender, recipient_domain, started_at, reason_kind)
        SELECT id, updated_at, id, lead_email, sequence, step, message_id, state, max(attempts, 1), last_code,
            last_reply, reason,
            CASE track WHEN 'marketing' THEN 'hello@acme-analytics.example'
                ELSE CASE (id / 10) % 2 WHEN 0 THEN 'marco@acme-analytics.example'
                    ELSE 'priya@acme-analytics.example' END END,
            substr(lead_email, instr(lead_email, '@') + 1),
            CASE WHEN attempts > 0 THEN updated_at - 180 END, reason_kind
        FROM planned_sends ORDER BY id""")
    # The counts the triggers keep as rows are written (send_counts, migration v8-console-scale), made once here
    # since the triggers were off while the ledger was filled.
    if db.execute("SELECT count(*) FROM sqlite_master WHERE name = 'send_counts'").fetchone()[0]:
        run("send_counts", """
            INSERT INTO send_counts (sequence, step_number, step, state, reason_kind, n)
            SELECT sequence, step_number, step, state, coalesce(reason_kind, ''), count(*) FROM planned_sends
            GROUP BY 1, 2, 3, 4, 5""")
    began = time.time()
    for kind, name, sql in saved:
        db.execute(sql)
    print("console_seed: %-13s %6.1f s (%d indexes and triggers)" % ("rebuild", time.time() - began, len(saved)),
          flush=True)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()


if __name__ == "__main__":
    main()
