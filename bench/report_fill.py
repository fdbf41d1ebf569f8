#!/usr/bin/env python3
"""Fills a migrated kiosk-backend database with N signals straight through SQLite,
for bench/report.sh. The spread follows what O-punt sees: mostly web, citizens,
reports; a fifth unrouted, a third unclassified; a score only on web and kiosk
from citizens; answer times of hours to weeks; an outcome on most answered complaints.

usage: report_fill.py DB [--count 1000000] [--years 2023,2024,2025] [--config config/ostend.json]

The database must already carry the service's schema (the script runs
`kiosk-backend token create` on it first in report.sh, which migrates it).
Runs ANALYZE at the end, as the service's own migration does.
"""
import argparse
import json
import random
from filldb import close_after_fill, open_for_fill
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def weighted(pairs):
    values, weights = zip(*pairs)
    return values, weights


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("db")
    ap.add_argument("--count", type=int, default=1_000_000)
    ap.add_argument("--years", default="2023,2024,2025", help="calendar years the signals are spread over, evenly")
    ap.add_argument("--config", default=str(ROOT / "config" / "ostend.json"))
    ap.add_argument("--seed", type=int, default=5)
    args = ap.parse_args()

    config = json.loads(Path(args.config).read_text())
    rnd = random.Random(args.seed)
    # The complaints' outcomes from their own generator, so every other column is as before.
    ornd = random.Random(args.seed + 1)
    outcomes = weighted([("upheld", 25), ("partly_upheld", 20), ("not_upheld", 40), ("inadmissible", 5), (None, 10)])
    years = [int(y) for y in args.years.split(",")]
    spans = []
    for y in years:
        a = int(datetime(y, 1, 1, tzinfo=timezone.utc).timestamp() * 1000) - 3600_000
        b = int(datetime(y + 1, 1, 1, tzinfo=timezone.utc).timestamp() * 1000) - 3600_000
        spans.append((a, b))

    channels = weighted([("web", 50), ("kiosk", 8), ("counter", 12), ("phone", 20), ("email", 7), ("letter", 3)])
    kinds = weighted([("report", 55), ("complaint", 25), ("suggestion", 12), ("compliment", 8)])
    routes = weighted([("opunt", 70), ("special_procedure", 5), ("external", 8), (None, 17)])
    natures = weighted([("service", 35), ("policy", 8), ("combination", 5), ("undetermined", 17), (None, 35)])
    cats = [(c["key"], [s["key"] for s in c.get("subcategories", [])]) for c in config["categories"]]
    districts = [d["key"] for d in config["districts"]] + [None]
    dweights = [d["population"] for d in config["districts"]] + [sum(d["population"] for d in config["districts"]) // 5]
    sites = [s["key"] for s in config["sites"]]
    procs = config["special_procedures"]
    parties = [p["key"] for p in config["external_parties"]]
    depts = [d["key"] for d in config["departments"]]

    db = open_for_fill(args.db)
    started = time.monotonic()
    rows = []
    n = 0
    for i in range(args.count):
        a, b = spans[i % len(spans)]
        received = rnd.randrange(a, b)
        channel = rnd.choices(*channels)[0]
        reporter = "staff" if rnd.random() < 0.12 else "citizen"
        kind = rnd.choices(*kinds)[0]
        main, subs = rnd.choice(cats)
        category = f"{main}/{rnd.choice(subs)}" if subs and rnd.random() < 0.8 else main
        district = rnd.choices(districts, dweights)[0]
        site = rnd.choice(sites) if channel in ("kiosk", "counter") else None
        score = rnd.choice([1, 2, 2, 3, 3, 3, 4, 4, 5]) if channel in ("web", "kiosk") and reporter == "citizen" and rnd.random() < 0.7 else None
        route = rnd.choices(*routes)[0]
        dept = proc = party = None
        consent = None
        if route == "opunt":
            dept = rnd.choice(depts)
        elif route == "special_procedure":
            p = rnd.choice(procs)
            proc, dept = p["key"], p["department"]
        elif route == "external":
            party = rnd.choice(parties)
            consent = rnd.random() < 0.6
        nature = rnd.choices(*natures)[0] if route else None
        status = "received"
        answered = closed = None
        answer = None
        if route and rnd.random() < 0.85:
            answered = received + int(rnd.lognormvariate(11.5, 1.0) * 1000)  # median about 27 hours
            answer = "Antwoord aan de melder."
            status = "answered"
            if rnd.random() < 0.7:
                closed = answered + rnd.randrange(0, 7 * 86_400_000)
                status = "closed"
        elif route:
            status = "in_progress"
        outcome = ornd.choices(*outcomes)[0] if kind == "complaint" and answered else None
        ombuds = received + 40 * 86_400_000 if kind == "complaint" and rnd.random() < 0.01 else None
        ref = f"OP-B{i:08d}"  # unique without a lookup; not the service's alphabet, never shown
        rows.append((ref, kind, channel, site, reporter, category, main, district,
                     "Beschrijving van het signaal.", score, consent, received, status, route, dept, proc, party,
                     nature, answer, answered, closed, ombuds, "bench", received, outcome))
        if len(rows) == 20_000:
            insert(db, rows)
            n += len(rows)
            rows = []
    if rows:
        insert(db, rows)
        n += len(rows)
    db.commit()
    t_fill = time.monotonic() - started
    close_after_fill(db)
    print(f"filled {n} signals in {t_fill:.1f} s, ANALYZE in {time.monotonic() - started - t_fill:.1f} s")


def insert(db, rows):
    db.executemany(
        """INSERT INTO signal (reference, kind, channel, site, reporter, category, main_category, district,
               description, experience_score, consent_forward, received_at, status, route, department,
               special_procedure, external_party, nature, answer, answered_at, closed_at, ombuds_referred_at,
               created_by, updated_at, outcome)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        rows)


if __name__ == "__main__":
    main()
