#!/usr/bin/env python3
"""Turns the runs of bench/intake.sh into a Markdown section between the
markers of its mode and prints it; intake.sh puts it in bench/RESULTS.md
(bench_write_section in bench/lib.sh).

usage: report.py --runs RUNS.jsonl --mode both|baseline|service
                 --command CMD [--meta KEY=VALUE ...]
"""
import argparse
import datetime
import json
import os
import platform
import statistics
import sys

TESTS = [("POST", 1), ("POST", 32), ("GET", 1), ("GET", 32)]
TITLES = {
    "both": "Intake: service against the C baseline",
    "baseline": "Intake: C baseline alone (no service measured)",
    "service": "Intake: service alone (no baseline measured)",
}
# The issue's target for the service, at 32 connections.
TARGET_RATIO, TARGET_P99_MS = 0.5, 20.0
# Issue 14, at 32 connections: POST at least 1.5 x the baseline with p99 under 20 ms, GET at least
# 0.5 x, and CPU per request at most 3 x the baseline's for both.
ISSUE14 = {"POST": 1.5, "GET": 0.5}
ISSUE14_CPU = 3.0


def issue14_targets(agg):
    """One line per figure of issue 14's targets, each saying met or not met."""
    lines = []
    for method, want in ISSUE14.items():
        s, b = agg.get(("service", method, 32)), agg.get(("baseline", method, 32))
        if not (s and b and b["rps"] and b["cpu_us_per_req"]):
            continue
        r, cpu = s["rps"] / b["rps"], s["cpu_us_per_req"] / b["cpu_us_per_req"]
        p99 = f", p99 {s['p99_ms']:.2f} ms (under {TARGET_P99_MS:.0f})" if method == "POST" else ""
        ok = r >= want and cpu <= ISSUE14_CPU and (method != "POST" or s["p99_ms"] < TARGET_P99_MS)
        lines.append(f"Target (issue 14: {method} at 32 connections at least {want} x the baseline's req/s, "
                     f"CPU per request at most {ISSUE14_CPU:.0f} x{', p99 under 20 ms' if method == 'POST' else ''}): "
                     f"ratio {r:.2f}, CPU {cpu:.1f} x{p99}: **{'met' if ok else 'not met'}**.")
    return lines
# A run during which other processes used more of the machine is flagged.
BUSY_PCT = 5.0


def cpu_model() -> str:
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def mem_gib() -> str:
    try:
        for line in open("/proc/meminfo"):
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return "?"


def fmt(x, digits=2):
    if x is None:
        return "–"
    if digits == 0:
        return f"{x:,.0f}"
    return f"{x:.{digits}f}"


def ratio(a, b, digits=2):
    if a is None or b is None or b == 0:
        return "–"
    return f"{a / b:.{digits}f}"


def quiet(r):
    return (r.get("other_cpu_pct") or 0) <= BUSY_PCT


def aggregate(runs):
    """Median per (server, method, conns) over the rounds that other processes
    left quiet, or over all rounds when none was."""
    out = {}
    keys = {(r["server"], r["method"], r["conns"]) for r in runs}
    for k in keys:
        rs = [r for r in runs if (r["server"], r["method"], r["conns"]) == k]
        calm = [r for r in rs if quiet(r)]
        agg = {"rounds": len(rs), "used": len(calm) or len(rs), "disturbed": not calm}
        if calm:
            rs = calm
        for f in ("rps", "p50_ms", "p90_ms", "p99_ms", "max_ms", "cpu_us_per_req",
                  "other_cpu_pct"):
            vals = [r[f] for r in rs if r.get(f) is not None]
            agg[f] = statistics.median(vals) if vals else None
        agg["non2xx"] = sum(r.get("non2xx", 0) for r in rs)
        agg["socket_errors"] = sum(r.get("socket_errors", 0) for r in rs)
        agg["requests"] = sum(r.get("requests", 0) for r in rs)
        out[k] = agg
    return out


def errors(a):
    if a is None:
        return ""
    parts = []
    if a["non2xx"]:
        parts.append(f'{a["non2xx"]} non-2xx')
    if a["socket_errors"]:
        parts.append(f'{a["socket_errors"]} socket errors')
    return ", ".join(parts)


def build(runs, mode, command, meta):
    agg = aggregate(runs)
    rounds = max((a["rounds"] for a in agg.values()), default=0)
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    L = [f"## {TITLES[mode]}", ""]
    L.append(f"- Date: {now}")
    L.append(f"- Machine: {os.cpu_count()} cores (`nproc` = {meta.get('nproc', '?')}), "
             f"{cpu_model()}, {mem_gib()} RAM, Linux {platform.release()}; "
             f"load average (1, 5, 15 min) {meta.get('load', '?')} the run")
    L.append(f"- Database files on: {meta.get('db_fs', '?')} (`{meta.get('db_dir', '?')}`); "
             "SQLite WAL, `synchronous=FULL`, one transaction per POST")
    L.append(f"- Versions: wrk {meta.get('wrk', '?')}, libmicrohttpd {meta.get('mhd', '?')}, "
             f"SQLite {meta.get('sqlite', '?')}"
             + (f", {meta['swift']}" if meta.get("swift") else ""))
    if meta.get("git"):
        L.append(f"- Tree: `{meta['git']}`")
    L.append(f"- Command: `{command}`")
    L.append(f"- Each row: wrk `-d {meta.get('duration', '?')}s --timeout 5s`, 1 thread for "
             "1 connection, 2 threads for 32; "
             + (f"{rounds} rounds; each figure is the median over the rounds during which "
                f"other processes used at most {BUSY_PCT:.0f} % of the machine's CPU "
                "(over all rounds, flagged, where none did). " if rounds > 1 else "one round. ")
             + "**wrk runs on the same 2-core machine as the server**, so it takes CPU "
             "from it (figures move ±25 % between runs here).")
    L.append("- POST: `bench/signal.json` (481 bytes, the website form: no token, no "
             "`Idempotency-Key`, so each request is a new signal and a new commit). "
             "GET: round-robin over 200 references made by a warm-up of 200 POSTs"
             + (" (service: coordinator token)" if mode != "baseline" else "") + ".")
    L.append("- CPU µs/req: the server process's user+system CPU time (from `/proc`) "
             "during the run, divided by the requests wrk completed.")
    L.append("")
    if mode == "both":
        L.append("| request | conns | service req/s | service p50 ms | service p99 ms "
                 "| baseline req/s | baseline p50 ms | baseline p99 ms "
                 "| req/s service/baseline | p99 service/baseline "
                 "| CPU µs/req service / baseline |")
        L.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for m, c in TESTS:
            s = agg.get(("service", m, c))
            b = agg.get(("baseline", m, c))
            g = lambda a, f, d=2: fmt(a[f], d) if a else "–"
            L.append(f"| {m} | {c} | {g(s, 'rps', 0)} | {g(s, 'p50_ms')} | {g(s, 'p99_ms')} "
                     f"| {g(b, 'rps', 0)} | {g(b, 'p50_ms')} | {g(b, 'p99_ms')} "
                     f"| {ratio(s and s['rps'], b and b['rps'])} "
                     f"| {ratio(s and s['p99_ms'], b and b['p99_ms'])} "
                     f"| {g(s, 'cpu_us_per_req', 1)} / {g(b, 'cpu_us_per_req', 1)} |")
        s = agg.get(("service", "POST", 32))
        b = agg.get(("baseline", "POST", 32))
        if s and b and b["rps"]:
            r = s["rps"] / b["rps"]
            ok = r >= TARGET_RATIO and s["p99_ms"] < TARGET_P99_MS
            L.append("")
            L.append(f"Target (issue 2: POST at 32 connections, at least {TARGET_RATIO:.0%} of "
                     f"the baseline's req/s with p99 under {TARGET_P99_MS:.0f} ms): "
                     f"ratio {r:.2f}, p99 {s['p99_ms']:.2f} ms: "
                     f"**{'met' if ok else 'not met'}**.")
            L.extend(issue14_targets(agg))
    else:
        who = "baseline" if mode == "baseline" else "service"
        L.append("| request | conns | req/s | p50 ms | p90 ms | p99 ms | max ms | CPU µs/req |")
        L.append("|---|---:|---:|---:|---:|---:|---:|---:|")
        for m, c in TESTS:
            a = agg.get((who, m, c))
            g = lambda f, d=2: fmt(a[f], d) if a else "–"
            L.append(f"| {m} | {c} | {g('rps', 0)} | {g('p50_ms')} | {g('p90_ms')} "
                     f"| {g('p99_ms')} | {g('max_ms')} | {g('cpu_us_per_req', 1)} |")
    errs = []
    for (srv, m, c), a in sorted(agg.items()):
        e = errors(a)
        if e:
            errs.append(f"{srv} {m} c={c}: {e}")
    busy = [f"{r['server']} {r['method']} c={r['conns']} round {r['round']}: "
            f"{r['other_cpu_pct']:.0f} %"
            for r in sorted(runs, key=lambda r: (r["round"], r["server"]))
            if not quiet(r)]
    bad = [f"{srv} {m} c={c}" for (srv, m, c), a in sorted(agg.items()) if a["disturbed"]]
    worst = max((r.get("other_cpu_pct") or 0 for r in runs if quiet(r)), default=0)
    L.append("")
    if bad:
        L.append("**Disturbed figures**: other processes used more than "
                 f"{BUSY_PCT:.0f} % of the machine's CPU in every round of: "
                 + ", ".join(bad) + ". Run again on a quiet machine.")
    if busy:
        L.append(f"Rounds left out because other processes (neither the server nor wrk) "
                 f"used more than {BUSY_PCT:.0f} % of the machine's CPU: "
                 + "; ".join(busy) + ".")
    L.append(f"Other processes used at most {worst:.0f} % of the machine's CPU during "
             "the rounds counted.")
    if errs:
        L.append("**Errors during the runs** (these rows are not valid measurements): "
                 + "; ".join(errs) + ".")
    else:
        L.append("No errors: every response was 2xx and no socket error occurred.")
    return "\n".join(L) + "\n"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--runs", required=True)
    p.add_argument("--mode", required=True, choices=sorted(TITLES))
    p.add_argument("--command", required=True)
    p.add_argument("--meta", action="append", default=[])
    a = p.parse_args()
    meta = dict(kv.split("=", 1) for kv in a.meta)
    runs = [json.loads(line) for line in open(a.runs) if line.strip()]
    section = build(runs, a.mode, a.command, meta)
    sys.stdout.write(f"<!-- bench/intake.sh begin {a.mode} -->\n{section}<!-- bench/intake.sh end {a.mode} -->\n")


if __name__ == "__main__":
    main()
