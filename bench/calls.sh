#!/usr/bin/env bash
# Calls benchmark (issue 4, the 0800 line): how fast the service takes the telephone
# exchange's events, next to signal intake on the same run, and how long the calls
# report takes over a million calls.
#
#   bench/calls.sh
#
# Steps: builds the service (`swift build -c release --product kiosk-backend`) unless
# KIOSK_BIN is given. (1) Ingestion: starts it on a free 127.0.0.1 port with a fresh
# SQLite file (durability full, as in production), then for each round runs wrk for
# 10 s with bench/cti.lua (form-encoded CTI events, every request a new event of a new
# or running call) at 1 and 32 connections and with bench/post.lua (signal intake, the
# website form) at 32 connections. (2) Report: fills a fresh database with BENCH_CALLS
# calls over 2025 straight into SQLite (bench/calls_fill.py, which also computes the
# expected figures independently), starts the service on it, checks that
# GET /api/v1/reports/calls for the whole year gives exactly those figures, and times
# the report for the year, a month and a day. Prints a Markdown section and puts it in
# bench/RESULTS.md between its own markers (other sections are left alone).
#
# Environment:
#   KIOSK_BIN           a built kiosk-backend: skips the swift build
#   BENCH_DURATION      seconds per wrk run (default 10)
#   BENCH_ROUNDS        rounds of the ingestion runs; the table shows medians (default 3)
#   BENCH_CALLS         calls in the report database (default 1000000)
#   BENCH_REPORT_RUNS   timed requests per report range (default 20)
#   BENCH_TMPDIR        where the temp folder goes (default $TMPDIR or /tmp; a real disk,
#                       not tmpfs, or the durable commits cost nothing)
#   BENCH_QUIET_PCT     wait until other processes use at most this % CPU before each
#                       phase (default 20); BENCH_QUIET_WAIT caps the wait (default 600 s)
#   BENCH_KEEP=1        keep the temp folder (it is also kept when the script fails)
#   BENCH_START_TIMEOUT seconds to wait for the service's /healthz (bench/lib.sh)
#   BENCH_NO_RESULTS=1  print the section but leave bench/RESULTS.md alone
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$BENCH_DIR/lib.sh"
DURATION=${BENCH_DURATION:-10}
ROUNDS=${BENCH_ROUNDS:-3}
CALLS=${BENCH_CALLS:-1000000}
REPORT_RUNS=${BENCH_REPORT_RUNS:-20}
BENCH_QUIET_WAIT=${BENCH_QUIET_WAIT:-600}
[[ "$DURATION" =~ ^[0-9]+$ && "$DURATION" -ge 1 && "$DURATION" -le 600 ]] || { echo "calls.sh: BENCH_DURATION must be 1 to 600" >&2; exit 2; }
[[ "$ROUNDS" =~ ^[0-9]+$ && "$ROUNDS" -ge 1 && "$ROUNDS" -le 10 ]] || { echo "calls.sh: BENCH_ROUNDS must be 1 to 10" >&2; exit 2; }
[[ "$CALLS" =~ ^[0-9]+$ && "$CALLS" -ge 1000 ]] || { echo "calls.sh: BENCH_CALLS must be at least 1000" >&2; exit 2; }
[[ "$REPORT_RUNS" =~ ^[0-9]+$ && "$REPORT_RUNS" -ge 3 ]] || { echo "calls.sh: BENCH_REPORT_RUNS must be at least 3" >&2; exit 2; }

bench_command calls.sh KIOSK_BIN BENCH_DURATION BENCH_ROUNDS BENCH_CALLS BENCH_REPORT_RUNS BENCH_TMPDIR
bench_require wrk curl python3
bench_binary
bench_workdir calls
bench_db_fs
RUNS="$WORK/runs.jsonl"
: >"$RUNS"
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
CLK_TCK=$(getconf CLK_TCK)
NCPU=$(nproc)
STOPS=()

# The bundled config with the per-address limit of the public form off (wrk is one address),
# and the signal body of bench/post.lua with a category and district of it.
SERVE_CONFIG="$WORK/config.json"
SERVE_LOG="$WORK/server.log"
bench_config "$ROOT/config/ostend.json" "$SERVE_CONFIG"
bench_signal_body "$SERVE_CONFIG" "$WORK/signal.json"

run_wrk() { # $1 label, $2 script, $3 connections, $4 token
  local label=$1 script=$2 conns=$3 m0 m1 other
  m0=$(machine_ticks)
  BENCH_LABEL="$label" BENCH_TOKEN="$4" BENCH_BODY_FILE="$WORK/signal.json" \
    bench_wrk "$script" "$conns" "$WORK/wrk-$RANDOM.txt"
  m1=$(machine_ticks)
  other=$(((m1 - m0) * 100 / (DURATION * CLK_TCK * NCPU)))
  python3 - "$RESULT" "$conns" "$other" "$RUNS" <<'EOF'
import json, sys
result, conns, busy, runs = sys.argv[1:]
r = json.loads(result)
r.update(conns=int(conns), machine_cpu_pct=int(busy))
open(runs, "a").write(json.dumps(r) + "\n")
print(f"  {r['label']:<14} c={conns:<2} {r['rps']:>8,.0f} req/s  p50 {r['p50_ms']:.2f} ms  p99 {r['p99_ms']:.2f} ms  "
      f"non-2xx {r['non2xx']}  socket errors {r['socket_errors']}", file=sys.stderr)
EOF
}

# ---- (1) ingestion ----------------------------------------------------------------
INGEST_DB="$WORK/ingest.sqlite"
PBX=$(bench_token pbx "$INGEST_DB")
bench_wait_quiet
bench_serve "$INGEST_DB"
log "ingestion: service at $URL; warm-up"
DURATION=2 run_wrk "warm-up" "$BENCH_DIR/cti.lua" 32 "$PBX"
: >"$RUNS"
for round in $(seq "$ROUNDS"); do
  log "ingestion round $round of $ROUNDS"
  if ((round % 2 == 1)); then
    run_wrk "cti" "$BENCH_DIR/cti.lua" 32 "$PBX"
    run_wrk "signals" "$BENCH_DIR/post.lua" 32 ""
  else
    run_wrk "signals" "$BENCH_DIR/post.lua" 32 ""
    run_wrk "cti" "$BENCH_DIR/cti.lua" 32 "$PBX"
  fi
  run_wrk "cti" "$BENCH_DIR/cti.lua" 1 "$PBX"
done
bench_stop
STOPS+=("ingestion: $STOP_HOW ($STOP_RC)")
CALLS_STORED=$(python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); print(c.execute('SELECT count(*) FROM call').fetchone()[0])" "$INGEST_DB")

# ---- (2) the calls report over a million calls ------------------------------------
REPORT_DB="$WORK/report.sqlite"
COORD=$(bench_token coordinator "$REPORT_DB")
log "report: filling $CALLS calls into SQLite (bench/calls_fill.py)"
FILL_START=$SECONDS
python3 "$BENCH_DIR/calls_fill.py" "$REPORT_DB" "$CALLS" 2025-01-01 2025-12-31 --expected "$WORK/expected.json" ||
  fail "calls_fill.py"
FILL_SECONDS=$((SECONDS - FILL_START))
bench_wait_quiet
bench_serve "$REPORT_DB"
curl -fsS -H "Authorization: Bearer $COORD" "$URL/api/v1/reports/calls?from=2025-01-01&to=2025-12-31" >"$WORK/year.json" ||
  fail "GET /api/v1/reports/calls"
python3 - "$WORK/year.json" "$WORK/expected.json" <<'EOF' || fail "the report's figures differ from calls_fill.py's"
import json, sys
got, want = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
bad = [k for k, v in want.items() if not (abs(got[k] - v) <= 1e-9 * max(1, abs(v)) if isinstance(v, float) else got[k] == v)]
if bad:
    print("differ:", {k: (got[k], want[k]) for k in bad}, file=sys.stderr)
    sys.exit(1)
print(f"  the year's figures equal the ones computed while filling ({got['offered']:,} offered calls)", file=sys.stderr)
EOF
REPORT_TIMES="$WORK/report-times.jsonl"
: >"$REPORT_TIMES"
for range in "year 2025-01-01 2025-12-31" "month 2025-06-01 2025-06-30" "day 2025-06-17 2025-06-17"; do
  read -r name from to <<<"$range"
  for i in $(seq "$REPORT_RUNS"); do
    t=$(curl -fsS -o /dev/null -w '%{time_total}' -H "Authorization: Bearer $COORD" \
      "$URL/api/v1/reports/calls?from=$from&to=$to") || fail "report $name"
    printf '{"range":"%s","from":"%s","to":"%s","seconds":%s}\n' "$name" "$from" "$to" "$t" >>"$REPORT_TIMES"
  done
  log "report $name timed $REPORT_RUNS times"
done
curl -fsS -o "$WORK/year.csv" -H "Authorization: Bearer $COORD" "$URL/api/v1/reports/calls?from=2025-01-01&to=2025-12-31&format=csv" ||
  fail "the CSV report"
bench_stop
STOPS+=("report: $STOP_HOW ($STOP_RC)")

# ---- (3) the section for RESULTS.md -----------------------------------------------
META=$(printf 'nproc=%s\ndb_fs=%s\nload=%s before, %s after\nwrk=%s\nsqlite=%s\ngit=%s\nfill_seconds=%s\ncalls_stored=%s\nstops=%s\n' \
  "$NCPU" "$DB_FS" "$LOAD_START" "$(cut -d' ' -f1-3 /proc/loadavg)" "$(wrk -v 2>&1 | head -1 | awk '{print $2}')" \
  "$(python3 -c 'import sqlite3; print(sqlite3.sqlite_version)')" \
  "$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')" "$FILL_SECONDS" "$CALLS_STORED" "${STOPS[*]}")
SECTION=$(python3 - "$RUNS" "$REPORT_TIMES" "$WORK/year.json" "$COMMAND" "$DURATION" "$ROUNDS" "$CALLS" <<EOF
import datetime, json, statistics, sys
runs_file, times_file, year_file, command, duration, rounds, calls = sys.argv[1:]
meta = dict(line.split("=", 1) for line in """$META""".strip().splitlines())
runs = [json.loads(l) for l in open(runs_file)]
times = [json.loads(l) for l in open(times_file)]
year = json.load(open(year_file))

def med(label, conns, key):
    xs = [r[key] for r in runs if r["label"] == label and r["conns"] == conns]
    return statistics.median(xs) if xs else None

rows = []
for label, conns, what in [("cti", 32, "CTI events, form-encoded (bench/cti.lua)"),
                           ("cti", 1, "CTI events, form-encoded (bench/cti.lua)"),
                           ("signals", 32, "signal intake, website form (bench/post.lua)")]:
    errs = sum(r["non2xx"] + r["socket_errors"] for r in runs if r["label"] == label and r["conns"] == conns)
    busy = max((r["machine_cpu_pct"] for r in runs if r["label"] == label and r["conns"] == conns), default=0)
    rows.append(f"| {what} | {conns} | {med(label, conns, 'rps'):,.0f} | {med(label, conns, 'p50_ms'):.2f} | "
                f"{med(label, conns, 'p99_ms'):.2f} | {errs} | {busy} |")
cti, sig = med("cti", 32, "rps"), med("signals", 32, "rps")

def stats(name):
    xs = sorted(t["seconds"] * 1000 for t in times if t["range"] == name)
    p90 = xs[min(len(xs) - 1, int(round(0.9 * (len(xs) - 1))))]
    return xs[0], statistics.median(xs), p90, xs[-1]

spans = {"year": "2025-01-01 to 2025-12-31", "month": "2025-06-01 to 2025-06-30", "day": "2025-06-17"}
report_rows = []
for name in ["year", "month", "day"]:
    lo, mid, p90, hi = stats(name)
    report_rows.append(f"| {name} ({spans[name]}) | {lo:.0f} | {mid:.0f} | {p90:.0f} | {hi:.0f} |")
year_median = stats("year")[1]

now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
section = f"""<!-- bench/calls.sh begin -->
## Calls (0800 line): event ingestion and the calls report

- Date: {now}; machine: {meta['nproc']} cores, load average {meta['load']}; database on {meta['db_fs']}; SQLite {meta['sqlite']}, wrk {meta['wrk']}; tree \`{meta['git']}\`
- Command: \`{command}\`
- Ingestion: one service, a fresh database, durability \`full\` (every answered request is on disk); wrk \`-d {duration}s --timeout 5s\` on the same machine, 2 threads for 32 connections; median of {rounds} rounds, CTI and signal runs alternating. Each CTI request is a new event (newCall, answer, hangup of ever new calls), applied by CallLog's state machine and upserted in a group commit; {int(meta['calls_stored']):,} calls were stored. Last column: the whole machine's CPU use during the run (wrk runs on it too).

| requests | conns | req/s | p50 ms | p99 ms | errors | machine CPU % |
|---|---:|---:|---:|---:|---:|---:|
{chr(10).join(rows)}

Target "ingestion no slower than signal intake": CTI {cti:,.0f} events/s against {sig:,.0f} signals/s at 32 connections: **{'met' if cti >= sig else 'NOT met'}** (ratio {cti / sig:.2f}).

- Report: {int(calls):,} calls over 2025 written straight into SQLite by \`bench/calls_fill.py\` ({meta['fill_seconds']} s, indexes built after the insert, then ANALYZE); {year['offered']:,} of them offered inbound calls in the year (the rest outbound, still ringing or talking). The year's report equals, figure for figure, the values \`calls_fill.py\` computed while filling. Times: \`curl\` total time of \`GET /api/v1/reports/calls\`, {len(times) // 3} requests per range, one after another.

| range | min ms | median ms | p90 ms | max ms |
|---|---:|---:|---:|---:|
{chr(10).join(report_rows)}

Target "the report under 250 ms" over a million calls: median {year_median:.0f} ms: **{'met' if year_median < 250 else 'NOT met'}**.
Servers stopped: {meta['stops']}.
<!-- bench/calls.sh end -->
"""
print(section)
EOF
)
echo "$SECTION"
bench_write_section calls.sh "$SECTION"
