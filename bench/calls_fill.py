#!/usr/bin/env python3
"""Fills the `call` table of a migrated kiosk-backend database with synthetic
calls of the 0800 line, straight into SQLite, for the calls-report benchmark.

usage: calls_fill.py DB COUNT FROM_DAY TO_DAY [--seed N] [--expected FILE]
                     [--time-zone Europe/Brussels] [--service-level 20] [--short-abandon 5]

The database must already carry the service's schema (run `kiosk-backend token
create ... --db DB` first: it migrates). Calls arrive between 08:00 and 18:00
local time on the days FROM_DAY..TO_DAY (both included), like the line's opening
hours; about 84 % are answered, the rest abandoned (some within the short-abandon
limit) or missed, 3 % are outbound, a few are still ringing or talking, and most
answered calls carry a logged outcome.

With --expected, the figures of GET /api/v1/reports/calls for the whole range
are computed here, independently of the service (docs/interface.md §7-8), and written as
JSON, so the benchmark can check the answer it times.
"""
import argparse
import datetime as dt
import json
import random
from filldb import close_after_fill, open_for_fill
import sys
import zoneinfo

OUTCOMES = ["information", "signal", "forwarded_external", "ombuds_referral", "no_action"]
OUTCOME_WEIGHTS = [55, 15, 12, 3, 15]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("db")
    ap.add_argument("count", type=int)
    ap.add_argument("from_day")
    ap.add_argument("to_day")
    ap.add_argument("--seed", type=int, default=8400)
    ap.add_argument("--expected")
    ap.add_argument("--time-zone", default="Europe/Brussels")
    ap.add_argument("--service-level", type=int, default=20)
    ap.add_argument("--short-abandon", type=int, default=5)
    a = ap.parse_args()

    tz = zoneinfo.ZoneInfo(a.time_zone)
    first = dt.date.fromisoformat(a.from_day)
    last = dt.date.fromisoformat(a.to_day)
    days = (last - first).days + 1
    if days < 1 or a.count < 1:
        print("calls_fill.py: need at least one day and one call", file=sys.stderr)
        return 2
    rng = random.Random(a.seed)
    # Local opening hours as UTC instants, day by day (DST-correct).
    day_starts = []
    for i in range(days):
        d = first + dt.timedelta(days=i)
        opens = dt.datetime(d.year, d.month, d.day, 8, tzinfo=tz)
        day_starts.append(int(opens.timestamp() * 1000))
    range_start = int(dt.datetime(first.year, first.month, first.day, tzinfo=tz).timestamp() * 1000)
    after = last + dt.timedelta(days=1)
    range_end = int(dt.datetime(after.year, after.month, after.day, tzinfo=tz).timestamp() * 1000)

    sl_ms, sa_ms = a.service_level * 1000, a.short_abandon * 1000
    exp = {"offered": 0, "answered": 0, "short_abandoned": 0, "in_progress": 0, "within": 0,
           "speed_ms": 0, "talk_ms": 0, "by_hour": [0] * 24,
           "by_outcome": {k: 0 for k in OUTCOMES + ["unlogged"]}}

    con = open_for_fill(a.db)
    # Dropping the indexes and making them again after the insert is several times faster.
    indexes = con.execute("SELECT name, sql FROM sqlite_master WHERE type='index' AND tbl_name='call' AND sql IS NOT NULL").fetchall()
    for name, _ in indexes:
        con.execute(f"DROP INDEX {name}")
    rows = []
    now_ms = range_end + 86_400_000

    def flush():
        con.executemany(
            "INSERT INTO call (call_id, direction, from_number, to_number, queue, agents, answering_number,"
            " arrived_at, answered_at, ended_at, cause, state, events, outcome, topic, logged_by, logged_at,"
            " created_by, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", rows)
        rows.clear()

    for n in range(a.count):
        arrived = day_starts[rng.randrange(days)] + rng.randrange(10 * 3600 * 1000)
        outbound = rng.random() < 0.03
        r = rng.random()
        answered_at = ended_at = None
        cause = outcome = agent = None
        if r < 0.003:
            state, events = "ringing", "newCall"
        elif r < 0.006:
            state, events = "talking", "newCall,answer"
            answered_at = arrived + int(rng.expovariate(1 / 25_000))
            agent = f"agent {rng.randrange(12)}"
        elif r < 0.846:
            state, events, cause = "answered", "newCall,answer,hangup", "normalClearing"
            answered_at = arrived + int(rng.expovariate(1 / 25_000))
            ended_at = answered_at + int(rng.expovariate(1 / 180_000))
            agent = f"agent {rng.randrange(12)}"
            if rng.random() < 0.9:
                outcome = rng.choices(OUTCOMES, OUTCOME_WEIGHTS)[0]
        else:
            short = rng.random() < 0.35
            ended_at = arrived + (rng.randrange(sa_ms + 1) if short else sa_ms + 1 + int(rng.expovariate(1 / 60_000)))
            if rng.random() < 0.2:
                state, cause = "missed", rng.choice(["noAnswer", "busy"])
            else:
                state, cause = "abandoned", "cancel"
            events = "newCall,hangup"
        number = f"+3259{rng.randrange(10**6):06d}"
        direction = "out" if outbound else "in"
        frm, to = ("08001840", number) if outbound else (number, "08001840")
        rows.append((f"bench-{n}", direction, frm, to, "o-punt", json.dumps([agent] if agent else []), None,
                     arrived, answered_at, ended_at, cause, state, events, outcome,
                     "afval" if outcome else None, agent if outcome else None, ended_at if outcome else None,
                     "exchange", now_ms))
        if len(rows) >= 50_000:
            flush()

        if outbound or not (range_start <= arrived < range_end):
            continue
        if ended_at is None:
            exp["in_progress"] += 1
            continue
        exp["offered"] += 1
        local = dt.datetime.fromtimestamp(arrived / 1000, tz)
        exp["by_hour"][local.hour] += 1
        exp["by_outcome"][outcome or "unlogged"] += 1
        if answered_at is not None:
            exp["answered"] += 1
            exp["speed_ms"] += answered_at - arrived
            exp["talk_ms"] += ended_at - answered_at
            if answered_at - arrived <= sl_ms:
                exp["within"] += 1
        elif ended_at - arrived <= sa_ms:
            exp["short_abandoned"] += 1
    flush()
    for _, sql in indexes:
        con.execute(sql)
    close_after_fill(con)

    if a.expected:
        o, ans, sa = exp["offered"], exp["answered"], exp["short_abandoned"]
        base = o - sa
        figures = {
            "from": a.from_day, "to": a.to_day,
            "offered": o, "answered": ans, "abandoned": o - ans, "short_abandoned": sa,
            "service_level": exp["within"] / base if base else 0,
            "abandon_rate": (o - ans - sa) / base if base else 0,
            "average_speed_of_answer_seconds": exp["speed_ms"] / 1000 / ans if ans else 0,
            "average_talk_seconds": exp["talk_ms"] / 1000 / ans if ans else 0,
            "in_progress": exp["in_progress"], "by_outcome": exp["by_outcome"], "by_hour": exp["by_hour"],
            "signals_created": exp["by_outcome"]["signal"],
        }
        with open(a.expected, "w") as f:
            json.dump(figures, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
