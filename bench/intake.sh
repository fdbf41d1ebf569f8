#!/usr/bin/env bash
# Intake benchmark: the kiosk-backend service against a minimal C
# libmicrohttpd + SQLite server (bench/baseline/server.c) doing the same
# durable insert per request, measured in one run so the ratio means something.
#
#   bench/intake.sh                          # both servers
#   BENCH_ONLY=baseline bench/intake.sh      # the C baseline alone
#
# Steps: installs wrk / libmicrohttpd-dev / libsqlite3-dev with apt-get if
# missing; builds the service (`swift build -c release --product kiosk-backend`)
# unless KIOSK_BIN is given; builds the baseline with cc -O2; then for each
# server: starts it on a free 127.0.0.1 port with a fresh SQLite file in a temp
# folder, waits for GET /healthz, warms up with 200 POSTs (their references feed
# the GET runs), runs wrk for POST and GET at 1 and 32 connections, stops it
# with SIGTERM. Prints a Markdown table and puts it in bench/RESULTS.md
# (replacing the section of the same mode). wrk runs on the same machine.
#
# Environment:
#   BENCH_ONLY          baseline | service (default: both)
#   BENCH_DURATION      seconds per wrk run (default 10)
#   BENCH_ROUNDS        rounds of everything; the table shows medians (default 1)
#   KIOSK_BIN           path of a built kiosk-backend: skips the swift build
#   BENCH_CONFIG        service config to use as it is (default: config/ostend.json
#                       copied with "limits": {"public_per_minute": 0,
#                       "connections_per_client": 0}, which turns off the
#                       per-address limits: wrk is one address)
#   BENCH_TMPDIR        where the temp folder with the databases goes (default
#                       $TMPDIR or /tmp; it must be a real disk, not tmpfs, or
#                       fsync costs nothing and the figures lie)
#   BENCH_QUIET_PCT     before each wrk run, wait until other processes use at most
#                       this % of the machine's CPU (default 10), measured over 2 s:
#                       the machine is shared with builds that ruin the figures
#   BENCH_QUIET_WAIT    wait at most this many seconds for that, then go on with a
#                       warning (default 600); each run records the CPU % that other
#                       processes used during it; report.py leaves out rounds over 5 %
#   BENCH_KEEP=1        keep the temp folder (logs, databases, raw wrk output); it is
#                       also kept when the script fails
#   BENCH_NO_RESULTS=1  print the table but leave bench/RESULTS.md alone
#   BENCH_START_TIMEOUT seconds to wait for a server's /healthz (bench/lib.sh)
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$BENCH_DIR/lib.sh"
ONLY=${BENCH_ONLY:-}
DURATION=${BENCH_DURATION:-10}
DURATION=${DURATION%s}
ROUNDS=${BENCH_ROUNDS:-1}
WARMUP=200

case "$ONLY" in
  "") SERVERS=(baseline service); MODE=both ;;
  baseline) SERVERS=(baseline); MODE=baseline ;;
  service) SERVERS=(service); MODE=service ;;
  *) echo "intake.sh: BENCH_ONLY must be baseline or service, not '$ONLY'" >&2; exit 2 ;;
esac
[[ "$DURATION" =~ ^[0-9]+$ && "$DURATION" -ge 1 && "$DURATION" -le 600 ]] ||
  { echo "intake.sh: BENCH_DURATION must be 1 to 600 seconds" >&2; exit 2; }
[[ "$ROUNDS" =~ ^[0-9]+$ && "$ROUNDS" -ge 1 && "$ROUNDS" -le 10 ]] ||
  { echo "intake.sh: BENCH_ROUNDS must be 1 to 10" >&2; exit 2; }

bench_command intake.sh BENCH_ONLY BENCH_DURATION BENCH_ROUNDS KIOSK_BIN BENCH_CONFIG BENCH_TMPDIR BENCH_QUIET_PCT BENCH_QUIET_WAIT
# Stricter than the other benchmarks: a 10 % busy machine already moves these figures.
BENCH_QUIET_PCT=${BENCH_QUIET_PCT:-10}
BENCH_QUIET_WAIT=${BENCH_QUIET_WAIT:-600}

# ---- (a) tools ------------------------------------------------------------------
need=()
command -v wrk >/dev/null || need+=(wrk)
[[ -f /usr/include/microhttpd.h ]] || need+=(libmicrohttpd-dev)
[[ -f /usr/include/sqlite3.h ]] || need+=(libsqlite3-dev)
command -v cc >/dev/null || need+=(gcc libc6-dev)
command -v curl >/dev/null || need+=(curl)
command -v pkg-config >/dev/null || need+=(pkg-config)
command -v python3 >/dev/null || need+=(python3)
if ((${#need[@]})); then
  SUDO=""
  [[ $(id -u) -eq 0 ]] || SUDO=sudo
  log "installing ${need[*]}"
  $SUDO timeout 600 apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive $SUDO timeout 900 \
    apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null
fi

# ---- (b) the service --------------------------------------------------------------
if [[ "$MODE" != baseline ]]; then
  bench_binary
fi

# ---- (c) the baseline -------------------------------------------------------------
BASELINE_BIN="$BENCH_DIR/.build/baseline-server"
if [[ "$MODE" != service ]]; then
  mkdir -p "$BENCH_DIR/.build"
  log "building the C baseline"
  cc -O2 -Wall -o "$BASELINE_BIN" "$BENCH_DIR/baseline/server.c" \
    $(pkg-config --cflags --libs libmicrohttpd) -lsqlite3 -lpthread ||
    fail "cc bench/baseline/server.c"
fi

# ---- (d) runs ---------------------------------------------------------------------
bench_workdir intake
bench_db_fs
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
RUNS="$WORK/runs.jsonl"
: >"$RUNS"
CLK_TCK=$(getconf CLK_TCK)
NCPU=$(nproc)

kthread_snapshot() { # "pid ticks" of every kernel thread, to file $1
  awk '{ pid = $1; sub(/^.*\) /, ""); if ($2 == 2 || pid == 2) print pid, $12 + $13 }' \
    /proc/[0-9]*/stat 2>/dev/null >"$1" || true
}

busy_ticks() { # $1 = kernel-thread snapshot file taken at the same time; prints the
  # busy clock ticks of the whole machine: user + system + steal, so not
  # interrupts (loopback TCP, block I/O completions caused by our own runs)
  local _cpu user nice system idle iowait _irq _softirq steal _rest
  read -r _cpu user nice system idle iowait _irq _softirq steal _rest </proc/stat
  kthread_snapshot "$1"
  echo $((user + nice + system + steal))
}

kthread_delta() { # ticks kernel threads (ext4 journal, block I/O workers: our
  # fsyncs) used between two snapshots, over the threads present in both
  awk 'NR == FNR { t0[$1] = $2; next } ($1 in t0) { d += $2 - t0[$1] } END { print d + 0 }' "$1" "$2"
}

child_ticks() { # sets CHILD_TICKS: CPU ticks of this shell's reaped children (wrk
  # among them); `times` must run in this shell, not in a $( ) subshell
  times >"$WORK/.times"
  CHILD_TICKS=$(awk -v hz="$CLK_TCK" 'END {
    n = split($0, f, /[ms ]+/)   # "0m1.230s 0m0.450s" -> 0 1.230 0 0.450
    printf "%d\n", ((f[1] * 60 + f[2]) + (f[3] * 60 + f[4])) * hz + 0.5 }' "$WORK/.times")
}

others_pct() { # % of the machine's CPU other processes used over 2 s, kernel threads and
  # interrupts left out: what bench_wait_quiet waits on before each wrk run
  local b0 b1
  b0=$(busy_ticks "$WORK/.k0"); sleep 2; b1=$(busy_ticks "$WORK/.k1")
  echo $(((b1 - b0 - $(kthread_delta "$WORK/.k0" "$WORK/.k1")) * 100 / (2 * CLK_TCK * NCPU)))
}

cpu_ticks() { # user+system clock ticks of a process
  local s
  s=$(cat "/proc/$1/stat" 2>/dev/null) || { echo 0; return; }
  s=${s##*) }
  # shellcheck disable=SC2086
  set -- $s
  echo $((${12} + ${13}))
}

# The POST body: bench/signal.json, with a category and district that exist in
# the service's config (the same bytes go to both servers).
BODY="$WORK/signal.json"
cp "$BENCH_DIR/signal.json" "$BODY"
SERVE_CONFIG="$WORK/config.json"
if [[ "$MODE" != baseline ]]; then
  if [[ -n "${BENCH_CONFIG:-}" ]]; then
    cp "$BENCH_CONFIG" "$SERVE_CONFIG"
  else
    [[ -f "$ROOT/config/ostend.json" ]] || fail "config/ostend.json not found (set BENCH_CONFIG)"
    # The website form's per-address rate limit and connection cap off: wrk's connections all come from one address.
    bench_config "$ROOT/config/ostend.json" "$SERVE_CONFIG"
  fi
  bench_signal_body "$SERVE_CONFIG" "$BODY"
fi

start_server() { # $1 = baseline|service, $2 = round; sets PID, PORT, URL, TOKEN
  local name=$1 db="$WORK/$1-r$2.db"
  SERVE_LOG="$WORK/$1-r$2.log"
  TOKEN=""
  if [[ $name == baseline ]]; then
    bench_port
    bench_start "$SERVE_LOG" "$BASELINE_BIN" --db "$db" --port "$PORT" --host 127.0.0.1
  else
    TOKEN=$(bench_token coordinator "$db")
    bench_serve "$db"
  fi
  log "$name ready at $URL (pid $PID, db $db)"
}

run_wrk() { # $1 server, $2 round, $3 POST|GET, $4 connections
  local server=$1 round=$2 method=$3 conns=$4 script
  if [[ $method == POST ]]; then script="$BENCH_DIR/post.lua"; else script="$BENCH_DIR/get.lua"; fi
  local t0 t1 c0 c1 m0 m1
  t0=$(cpu_ticks "$PID"); child_ticks; c0=$CHILD_TICKS; m0=$(busy_ticks "$WORK/.k0")
  BENCH_LABEL="$server $method c$conns" BENCH_BODY_FILE="$BODY" BENCH_REFS="$WORK/$server-r$round.refs" \
    BENCH_TOKEN="$TOKEN" bench_wrk "$script" "$conns" "$WORK/$server-r$round-$method-c$conns.wrk"
  t1=$(cpu_ticks "$PID"); child_ticks; c1=$CHILD_TICKS; m1=$(busy_ticks "$WORK/.k1")
  local other=$(((m1 - m0) - (t1 - t0) - (c1 - c0) - $(kthread_delta "$WORK/.k0" "$WORK/.k1")))
  python3 - "$RESULT" "$server" "$round" "$method" "$conns" "$((t1 - t0))" "$CLK_TCK" "$RUNS" "$other" "$NCPU" <<'PY'
import json, sys, time
result, server, rnd, method, conns, ticks, hz, runs, other, ncpu = sys.argv[1:]
r = json.loads(result)
r.update(server=server, round=int(rnd), method=method, conns=int(conns))
r["cpu_us_per_req"] = int(ticks) / int(hz) * 1e6 / r["requests"] if r["requests"] else None
# CPU of everything but the server and wrk, in % of the machine, during the run
r["other_cpu_pct"] = min(100.0, max(0.0, int(other) / int(hz) / r["duration_s"] / int(ncpu) * 100))
with open(runs, "a") as f:
    f.write(json.dumps(r) + "\n")
print(f"[intake {time.strftime('%H:%M:%S')}] {server:8} {method:4} c={conns:<2} "
      f"{r['rps']:>9,.0f} req/s  p50 {r['p50_ms']:.2f} ms  p99 {r['p99_ms']:.2f} ms  "
      f"cpu {r['cpu_us_per_req'] or 0:.1f} us/req  non2xx {r['non2xx']}  "
      f"socket errors {r['socket_errors']}  others {r['other_cpu_pct']:.0f} % CPU",
      file=sys.stderr)
PY
}

STOPS=()
for round in $(seq "$ROUNDS"); do
  order=("${SERVERS[@]}")
  # Alternate who goes first from round to round, against drift.
  if ((round % 2 == 0 && ${#order[@]} == 2)); then order=("${order[1]}" "${order[0]}"); fi
  for server in "${order[@]}"; do
    start_server "$server" "$round"
    timeout 120 python3 "$BENCH_DIR/warmup.py" "$URL" "$BODY" "$WARMUP" \
      "$WORK/$server-r$round.refs" "$TOKEN" || fail "$server warm-up (see above)"
    for test in "POST 1" "POST 32" "GET 1" "GET 32"; do
      bench_wait_quiet others_pct
      # shellcheck disable=SC2086
      run_wrk "$server" "$round" $test
    done
    bench_stop
    STOPS+=("$server round $round: exit $STOP_RC")
    log "$server stopped with SIGTERM: exit code $STOP_RC"
  done
done

# ---- (e) report -------------------------------------------------------------------
meta=(
  --meta "nproc=$(nproc)"
  --meta "db_fs=$DB_FS"
  --meta "db_dir=$(dirname "$WORK")"
  --meta "duration=$DURATION"
  --meta "load=$LOAD_START before, $(cut -d' ' -f1-3 /proc/loadavg) after"
  --meta "wrk=$(wrk -v 2>&1 | head -1 | awk '{print $2}')"
  --meta "mhd=$(pkg-config --modversion libmicrohttpd 2>/dev/null || echo '?')"
  --meta "sqlite=$(pkg-config --modversion sqlite3 2>/dev/null || echo '?')"
)
if git -C "$ROOT" rev-parse --short HEAD >/dev/null 2>&1; then
  dirty=""
  [[ -z "$(git -C "$ROOT" status --porcelain 2>/dev/null)" ]] || dirty=" (with uncommitted changes)"
  meta+=(--meta "git=$(git -C "$ROOT" rev-parse --short HEAD)$dirty")
fi
if [[ "$MODE" != baseline ]]; then
  meta+=(--meta "swift=$(swift --version 2>/dev/null | head -1 | sed 's/ *(.*//')")
fi
SECTION=$(python3 "$BENCH_DIR/report.py" --runs "$RUNS" --mode "$MODE" --command "$COMMAND" "${meta[@]}")
echo "$SECTION"
log "servers stopped: ${STOPS[*]}"
bench_write_section intake.sh "$SECTION" "$MODE"
