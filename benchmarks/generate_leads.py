#!/usr/bin/env python3
"""Writes a realistic CSV of N leads for `nurture leads import` (benchmarks/scale.sh).

Usage: generate_leads.py N FILE [SEED]

The mix, fixed by the seed: every stage (mostly subscriber, lead and marketing-qualified, so the marketing
track dominates; sales-qualified inbound leads enter the sales track and get an owner by round-robin unless
the row names one; some recycled, a few customers and disqualified), inbound and outbound sources, a few
fully VBANT-qualified leads (auto-qualified on import), 1% unsubscribed, IANA time zones or none, names with
non-ASCII letters, quoted companies with commas, and two attribute columns.
"""
import csv
import random
import sys

STAGES = [
    ("subscriber", 30), ("lead", 28), ("marketing-qualified", 15), ("sales-qualified", 15),
    ("recycled", 7), ("customer", 3), ("disqualified", 2),
]
FIRST = ["Ana", "Bruno", "Chloé", "Dmitri", "Eva", "Farid", "Grace", "Hiro", "Inès", "Jonas", "Kofi", "Lena",
         "Mateo", "Nora", "Oskar", "Priyanka", "Quentin", "Rosa", "Søren", "Tomás", "Uma", "Viktor", "Wen", "Zoë"]
LAST = ["Lima", "Schmidt", "Dubois", "Ivanov", "Novak", "Haddad", "Hopper", "Tanaka", "Moreau", "Berg",
        "Mensah", "Vogel", "García", "Jensen", "Nowak", "Patel", "Rossi", "Sato", "Øberg", "Silva"]
COMPANIES = ["Northwind", "Globex, Inc.", "Initech", "Umbrella Labs", "Stark Analytics", "Wayne Data",
             "Acme Retail", "Hooli", "Vandelay Imports", "Tyrell Systems"]
TITLES = ["CTO", "Head of Data", "VP Marketing", "Analyst", "Founder", "Operations Lead", ""]
ZONES = ["America/New_York", "America/Los_Angeles", "Europe/Berlin", "Europe/London", "Asia/Tokyo",
         "Australia/Sydney", "America/Sao_Paulo", "", ""]
INDUSTRIES = ["retail", "saas", "logistics", "finance", "health"]
PLANS = ["free", "trial", "pro", ""]


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    count, path = int(sys.argv[1]), sys.argv[2]
    rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 6)
    stages = [stage for stage, weight in STAGES for _ in range(weight)]
    with open(path, "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["email", "first_name", "last_name", "company", "title", "time_zone", "stage", "source",
                         "owner", "vision", "budget", "need", "authority", "timeframe", "unsubscribed",
                         "industry", "plan"])
        for index in range(count):
            stage = rng.choice(stages)
            source = "inbound" if rng.random() < 0.75 else "outbound"
            qualified = rng.random() < 0.04
            vbant = ["yes"] * 5 if qualified else [rng.choice(["yes", "no", "unknown", ""]) for _ in range(5)]
            owner = ""
            if stage in ("sales-qualified", "customer") and rng.random() < 0.3:
                owner = rng.choice(["priya", "marco"])
            writer.writerow([
                f"lead{index:07d}@{rng.choice(['example.com', 'example.org', 'mail.example.net'])}",
                rng.choice(FIRST), rng.choice(LAST), rng.choice(COMPANIES), rng.choice(TITLES), rng.choice(ZONES),
                stage, source, owner, *vbant, "yes" if rng.random() < 0.01 else "",
                rng.choice(INDUSTRIES), rng.choice(PLANS),
            ])


if __name__ == "__main__":
    main()
