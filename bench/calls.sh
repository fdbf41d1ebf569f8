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
#   BENCH_KEEP=1        keep the temp folder
#   BENCH_NO_RESULTS=1  print the section but leave bench/RESULTS.md alone
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$BENCH_DIR")
. "$BENCH_DIR/lib.sh"  # bench_config
DURATION=${BENCH_DURATION:-10}
ROUNDS=${BENCH_ROUNDS:-3}
CALLS=${BENCH_CALLS:-1000000}
REPORT_RUNS=${BENCH_REPORT_RUNS:-20}
QUIET_PCT=${BENCH_QUIET_PCT:-20}
QUIET_WAIT=${BENCH_QUIET_WAIT:-600}
[[ "$DURATION" =~ ^[0-9]+$ && "$DURATION" -ge 1 && "$DURATION" -le 600 ]] || { echo "calls.sh: BENCH_DURATION must be 1 to 600" >&2; exit 2; }
[[ "$ROUNDS" =~ ^[0-9]+$ && "$ROUNDS" -ge 1 && "$ROUNDS" -le 10 ]] || { echo "calls.sh: BENCH_ROUNDS must be 1 to 10" >&2; exit 2; }
[[ "$CALLS" =~ ^[0-9]+$ && "$CALLS" -ge 1000 ]] || { echo "calls.sh: BENCH_CALLS must be at least 1000" >&2; exit 2; }
[[ "$REPORT_RUNS" =~ ^[0-9]+$ && "$REPORT_RUNS" -ge 3 ]] || { echo "calls.sh: BENCH_REPORT_RUNS must be at least 3" >&2; exit 2; }

COMMAND=""
for v in KIOSK_BIN BENCH_DURATION BENCH_ROUNDS BENCH_CALLS BENCH_REPORT_RUNS BENCH_TMPDIR; do
  [[ -n "${!v:-}" ]] && COMMAND+="$v=${!v} "
done
COMMAND+="bench/calls.sh"

log() { printf '[calls %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
fail() { log "FAILED: $*"; exit 1; }

for tool in wrk curl python3; do
  command -v "$tool" >/dev/null || fail "$tool is not installed (apt-get install wrk curl python3)"
done

SERVER_PID=""
WORK=""
STOPS=()
stop_server() { # SIGTERM, then SIGKILL after 15 s; records how it ended
  [[ -n "$SERVER_PID" ]] || return 0
  local how="exit"
  kill -TERM "$SERVER_PID" 2>/dev/null || true
  for _ in $(seq 150); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$SERVER_PID" 2>/dev/null; then
    log "server $SERVER_PID still running 15 s after SIGTERM: SIGKILL"
    kill -KILL "$SERVER_PID" 2>/dev/null || true
    how="SIGKILL after SIGTERM was ignored"
  fi
  local rc=0
  wait "$SERVER_PID" 2>/dev/null || rc=$?
  STOPS+=("$1: $how ($rc)")
  SERVER_PID=""
}
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  stop_server "cleanup" || true
  if [[ -n "$WORK" && -d "$WORK" ]]; then
    if [[ "${BENCH_KEEP:-}" == 1 || $rc -ne 0 ]]; then log "kept $WORK"; else rm -rf "$WORK"; fi
  fi
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---- the service ------------------------------------------------------------------
if [[ -n "${KIOSK_BIN:-}" ]]; then
  [[ -x "$KIOSK_BIN" ]] || fail "KIOSK_BIN=$KIOSK_BIN is not an executable"
else
  log "building the service (swift build -c release --product kiosk-backend)"
  (cd "$ROOT" && timeout 1800 swift build -c release --product kiosk-backend) >&2 || fail "swift build"
  KIOSK_BIN="$(cd "$ROOT" && swift build -c release --show-bin-path)/kiosk-backend"
fi

WORK=$(mktemp -d "${BENCH_TMPDIR:-${TMPDIR:-/tmp}}/kiosk-calls-bench.XXXXXX")
DB_FS=$(findmnt -n -o FSTYPE -T "$WORK" 2>/dev/null || stat -f -c %T "$WORK")
[[ "$DB_FS" == tmpfs || "$DB_FS" == ramfs ]] && log "WARNING: $WORK is on $DB_FS: fsync is free there; set BENCH_TMPDIR"
RUNS="$WORK/runs.jsonl"
: >"$RUNS"
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
CLK_TCK=$(getconf CLK_TCK)
NCPU=$(nproc)

# The bundled config with the per-address limit of the public form off (wrk is one address).
bench_config "$ROOT/config/ostend.json" "$WORK/config.json"
# The signal body of bench/post.lua, with a category and district of this config (as intake.sh does).
python3 - "$WORK/config.json" "$BENCH_DIR/signal.json" "$WORK/signal.json" <<'EOF'
import json, sys
cfg, body = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
subs = [f"{c['key']}/{s['key']}" for c in cfg["categories"] for s in c.get("subcategories") or []]
body["category"] = next((k for k in subs if k.endswith("/zwerfvuil")), subs[0] if subs else cfg["categories"][0]["key"])
districts = [d["key"] for d in cfg.get("districts") or []]
if body.get("district") not in districts:
    body.pop("district", None)
json.dump(body, open(sys.argv[3], "w"), ensure_ascii=False, separators=(",", ":"))
EOF

busy_ticks() {
  local _cpu user nice system idle iowait irq softirq steal _rest
  read -r _cpu user nice system idle iowait irq softirq steal _rest </proc/stat
  echo $((user + nice + system + irq + softirq + steal))
}
wait_quiet() { # until other processes leave the machine mostly idle
  local start=$SECONDS b0 b1 pct
  while :; do
    b0=$(busy_ticks); sleep 2; b1=$(busy_ticks)
    pct=$(((b1 - b0) * 100 / (2 * CLK_TCK * NCPU)))
    ((pct <= QUIET_PCT)) && return 0
    if ((SECONDS - start >= QUIET_WAIT)); then
      log "WARNING: machine still busy ($pct % CPU) after ${QUIET_WAIT} s: measuring anyway"
      return 0
    fi
    log "machine busy ($pct % CPU used by other processes): waiting"
    sleep 8
  done
}
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }

start_server() { # $1 = database; sets SERVER_PID, URL
  local port
  port=$(free_port)
  URL="http://127.0.0.1:$port"
  "$KIOSK_BIN" serve --config "$WORK/config.json" --db "$1" --port "$port" --host 127.0.0.1 >>"$WORK/server.log" 2>&1 &
  SERVER_PID=$!
  local deadline=$((SECONDS + 90))
  until curl -fsS -o /dev/null --max-time 2 "$URL/healthz" 2>/dev/null; do
    kill -0 "$SERVER_PID" 2>/dev/null || { tail -20 "$WORK/server.log" >&2; SERVER_PID=""; fail "the service exited"; }
    ((SECONDS < deadline)) || fail "the service was not ready after 90 s"
    sleep 0.2
  done
}
token() { # $1 role, $2 database
  "$KIOSK_BIN" token create --role "$1" --name "bench $1" --db "$2" --config "$WORK/config.json" 2>>"$WORK/server.log" | tail -1
}

run_wrk() { # $1 label, $2 script, $3 connections, $4 token
  local label=$1 script=$2 conns=$3 threads=1 out="$WORK/wrk-$RANDOM.txt" other
  ((conns > 1)) && threads=2
  local m0 m1
  m0=$(busy_ticks)
  BENCH_LABEL="$label" BENCH_TOKEN="$4" BENCH_BODY_FILE="$WORK/signal.json" timeout $((DURATION + 30)) \
    wrk -t"$threads" -c"$conns" -d"${DURATION}s" --timeout 5s -s "$script" "$URL" >"$out" 2>&1 || { cat "$out" >&2; fail "wrk $label"; }
  m1=$(busy_ticks)
  other=$(((m1 - m0) * 100 / (DURATION * CLK_TCK * NCPU)))
  local line
  line=$(grep '^BENCH_RESULT ' "$out" | tail -1) || { cat "$out" >&2; fail "no BENCH_RESULT from wrk"; }
  python3 - "$line" "$conns" "$other" "$RUNS" <<'EOF'
import json, sys
line, conns, busy, runs = sys.argv[1:]
r = json.loads(line.split(" ", 1)[1])
r.update(conns=int(conns), machine_cpu_pct=int(busy))
open(runs, "a").write(json.dumps(r) + "\n")
print(f"  {r['label']:<14} c={conns:<2} {r['rps']:>8,.0f} req/s  p50 {r['p50_ms']:.2f} ms  p99 {r['p99_ms']:.2f} ms  "
      f"non-2xx {r['non2xx']}  socket errors {r['socket_errors']}", file=sys.stderr)
EOF
}

# ---- (1) ingestion ----------------------------------------------------------------
INGEST_DB="$WORK/ingest.sqlite"
PBX=$(token pbx "$INGEST_DB")
[[ -n "$PBX" ]] || fail "no pbx token"
wait_quiet
start_server "$INGEST_DB"
log "ingestion: service at $URL; warm-up"
DURATION_SAVED=$DURATION; DURATION=2
run_wrk "warm-up" "$BENCH_DIR/cti.lua" 32 "$PBX"
DURATION=$DURATION_SAVED
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
stop_server "ingestion"
CALLS_STORED=$(python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); print(c.execute('SELECT count(*) FROM call').fetchone()[0])" "$INGEST_DB")

# ---- (2) the calls report over a million calls ------------------------------------
REPORT_DB="$WORK/report.sqlite"
COORD=$(token coordinator "$REPORT_DB")
log "report: filling $CALLS calls into SQLite (bench/calls_fill.py)"
FILL_START=$SECONDS
python3 "$BENCH_DIR/calls_fill.py" "$REPORT_DB" "$CALLS" 2025-01-01 2025-12-31 --expected "$WORK/expected.json" ||
  fail "calls_fill.py"
FILL_SECONDS=$((SECONDS - FILL_START))
wait_quiet
start_server "$REPORT_DB"
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
stop_server "report"

# ---- (3) the section for RESULTS.md -----------------------------------------------
META=$(printf 'nproc=%s\ndb_fs=%s\nload=%s before, %s after\nwrk=%s\nsqlite=%s\ngit=%s\nfill_seconds=%s\ncalls_stored=%s\nstops=%s\n' \
  "$NCPU" "$DB_FS" "$LOAD_START" "$(cut -d' ' -f1-3 /proc/loadavg)" "$(wrk -v 2>&1 | head -1 | awk '{print $2}')" \
  "$(python3 -c 'import sqlite3; print(sqlite3.sqlite_version)')" \
  "$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')" "$FILL_SECONDS" "$CALLS_STORED" "${STOPS[*]}")
results_md="$BENCH_DIR/RESULTS.md"
[[ "${BENCH_NO_RESULTS:-}" == 1 ]] && results_md="$WORK/RESULTS.md"
python3 - "$RUNS" "$REPORT_TIMES" "$WORK/year.json" "$results_md" "$COMMAND" "$DURATION" "$ROUNDS" "$CALLS" <<EOF
import datetime, json, os, statistics, sys
runs_file, times_file, year_file, md, command, duration, rounds, calls = sys.argv[1:]
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
text = open(md).read() if os.path.exists(md) else "# Benchmarks\n"
begin, end = "<!-- bench/calls.sh begin -->", "<!-- bench/calls.sh end -->"
if begin in text and end in text:
    text = text[:text.index(begin)] + section.rstrip("\n") + text[text.index(end) + len(end):]
else:
    text = text.rstrip("\n") + "\n\n" + section
open(md, "w").write(text)
EOF
[[ "${BENCH_NO_RESULTS:-}" == 1 ]] || log "wrote the calls section of bench/RESULTS.md"
