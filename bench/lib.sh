# What the benchmark scripts do the same way: the binary, a temp folder cleaned up on exit,
# a service (or the C baseline) started on a database and waited for, a token, wrk runs, a
# quiet machine, and their section of bench/RESULTS.md. Source it from a script that has
# done `set -euo pipefail`.
#
# Sets ROOT (the repository). Environment read here:
#   KIOSK_BIN             a built kiosk-backend: skips the release build
#   BENCH_TMPDIR          where the temp folder goes (default $TMPDIR or /tmp)
#   BENCH_KEEP            keep the temp folder (its database) afterwards; it is also kept when
#                         the script fails
#   BENCH_QUIET_PCT       wait until the machine's CPU is at most this busy (default 20)
#   BENCH_QUIET_WAIT      wait for that at most this many seconds, then go on with a warning
#                         (default 300)
#   BENCH_START_TIMEOUT   seconds to wait for the service's /healthz (default 900: a start on a
#                         million signals computes every due date, half a minute on a quiet machine)
#   BENCH_NO_RESULTS      print the section but leave bench/RESULTS.md alone

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PID=""       # the server bench_start started
LOAD_PID=""  # the wrk bench_wrk runs
WORK=""

log() { printf '[%s %s] %s\n' "$(basename "$0" .sh)" "$(date +%H:%M:%S)" "$*" >&2; }
fail() { log "FAILED: $*"; exit 1; }

bench_require() {
  local tool
  for tool in "$@"; do command -v "$tool" >/dev/null || fail "$tool is required"; done
}

# Sets COMMAND, the command as it was given, for RESULTS.md: those of the variables named
# that are set, then bench/NAME.
bench_command() {
  local name=$1 v
  shift
  COMMAND=""
  for v in "$@"; do
    if [ -n "${!v:-}" ]; then COMMAND+="$v=${!v} "; fi
  done
  COMMAND+="bench/$name"
}

# Sets KIOSK_BIN (building the release binary unless given) and BUILD_KIND, for the results.
bench_binary() {
  BUILD_KIND="release build"
  if [ -n "${KIOSK_BIN:-}" ]; then
    [ -x "$KIOSK_BIN" ] || fail "KIOSK_BIN=$KIOSK_BIN is not an executable"
    BUILD_KIND="binary \`${KIOSK_BIN#$ROOT/}\`"
    return
  fi
  log "building the release binary (swift build -c release --product kiosk-backend)"
  (cd "$ROOT" && swift build -c release --product kiosk-backend) >&2 || fail "swift build"
  KIOSK_BIN="$(cd "$ROOT" && swift build -c release --show-bin-path)/kiosk-backend"
}

# Stops the server: SIGTERM, up to 15 s, then SIGKILL. Sets STOP_RC (its exit status) and
# STOP_HOW ("exit", or that it had to be killed).
bench_stop() {
  STOP_RC="" STOP_HOW=""
  [ -n "$PID" ] || return 0
  STOP_HOW="exit"
  if kill -0 "$PID" 2>/dev/null; then
    kill -TERM "$PID" 2>/dev/null || true
    for _ in $(seq 150); do kill -0 "$PID" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$PID" 2>/dev/null; then
      log "server $PID still running 15 s after SIGTERM: SIGKILL"
      kill -KILL "$PID" 2>/dev/null || true
      STOP_HOW="SIGKILL after SIGTERM was ignored"
    fi
  fi
  STOP_RC=0
  wait "$PID" 2>/dev/null || STOP_RC=$?
  PID=""
}

bench_cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if [ -n "$LOAD_PID" ]; then kill -TERM "$LOAD_PID" 2>/dev/null || true; fi
  bench_stop || true
  [ -n "$WORK" ] && [ -d "$WORK" ] || return 0
  if [ -z "${BENCH_KEEP:-}" ] && [ "$rc" -eq 0 ]; then rm -rf "$WORK"; else log "kept $WORK (logs, databases)"; fi
}

# Makes the temp folder WORK (kiosk-NAME-bench.XXXXXX), removed on exit unless BENCH_KEEP or
# the script failed; the server and wrk are stopped on exit, on Ctrl-C and on SIGTERM too.
bench_workdir() {
  WORK=$(mktemp -d "${BENCH_TMPDIR:-${TMPDIR:-/tmp}}/kiosk-$1-bench.XXXXXX")
  trap bench_cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
}

# Sets DB_FS, the file system of WORK, and warns when it is in memory: a benchmark of durable
# commits measures nothing there.
bench_db_fs() {
  DB_FS=$(findmnt -n -o FSTYPE -T "$WORK" 2>/dev/null || stat -f -c %T "$WORK")
  if [ "$DB_FS" = tmpfs ] || [ "$DB_FS" = ramfs ]; then
    log "WARNING: $WORK is on $DB_FS: fsync is free there, the durable-commit figures mean nothing; set BENCH_TMPDIR"
  fi
}

# Picks a free loopback port: sets PORT and URL.
bench_port() {
  PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  URL="http://127.0.0.1:$PORT"
}

# Runs COMMAND… in the background, its output appended to LOG, and waits for $URL/healthz
# (bench_port first) while the process lives. Sets PID and START_S (seconds until healthy).
# A server that dies or does not answer in time ends the script with the end of its log.
bench_start() {
  local logf=$1
  shift
  local t0 deadline
  t0=$(date +%s.%N)
  deadline=$(( $(date +%s) + ${BENCH_START_TIMEOUT:-900} ))
  "$@" >>"$logf" 2>&1 &
  PID=$!
  until curl -fs -o /dev/null --max-time 2 "$URL/healthz" 2>/dev/null; do
    if ! kill -0 "$PID" 2>/dev/null; then
      tail -20 "$logf" >&2
      PID=""
      fail "the server stopped before it answered /healthz (the end of its log above)"
    fi
    if [ "$(date +%s)" -ge "$deadline" ]; then
      tail -20 "$logf" >&2
      fail "the server did not answer /healthz within ${BENCH_START_TIMEOUT:-900} s (the end of its log above)"
    fi
    sleep 0.2
  done
  START_S=$(python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.1f}')" "$t0" "$(date +%s.%N)")
}

# Starts `kiosk-backend serve` on DB with any further arguments on a free loopback port, with
# SERVE_CONFIG (default the bundled config/ostend.json) and its log in SERVE_LOG (default
# $WORK/serve.log): bench_start, so it sets PORT, URL, PID and START_S.
bench_serve() {
  local db=$1
  shift
  bench_port
  bench_start "${SERVE_LOG:-$WORK/serve.log}" "$KIOSK_BIN" serve --config "${SERVE_CONFIG:-$ROOT/config/ostend.json}" \
    --db "$db" --port "$PORT" --host 127.0.0.1 "$@"
}

# Prints a new token of ROLE in DB (which `token create` makes and migrates if it is new), with
# SERVE_CONFIG; its messages go to SERVE_LOG.
bench_token() {
  local logf=${SERVE_LOG:-$WORK/serve.log} token
  token=$(timeout 120 "$KIOSK_BIN" token create --role "$1" --name "bench $1" --db "$2" \
    --config "${SERVE_CONFIG:-$ROOT/config/ostend.json}" 2>>"$logf" | awk 'NF { t = $0 } END { print t }') || true
  [ -n "$token" ] || { tail -20 "$logf" >&2; fail "kiosk-backend token create gave no token"; }
  echo "$token"
}

# Writes to DST the POST body of bench/post.lua (bench/signal.json) with a category and a
# district that CONFIG has: litter wherever it is filed, else the first (sub)category; the
# body's district if the config has it, else the first, else none.
bench_signal_body() {
  python3 - "$1" "$ROOT/bench/signal.json" "$2" <<'PY'
import json, sys
cfg, body = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
cats = cfg.get("categories") or []
subs = [f'{c["key"]}/{s["key"]}' for c in cats for s in c.get("subcategories") or []]
pick = next((k for k in subs if k.endswith("/zwerfvuil")), None)
if pick is None and cats:
    first = cats[0].get("subcategories") or []
    pick = f'{cats[0]["key"]}/{first[0]["key"]}' if first else cats[0]["key"]
if pick:
    body["category"] = pick
districts = [d.get("key") for d in cfg.get("districts") or []]
if body.get("district") not in districts:
    if districts:
        body["district"] = districts[0]
    else:
        body.pop("district", None)
json.dump(body, open(sys.argv[3], "w"), ensure_ascii=False, separators=(",", ":"))
print(f'POST body: category {body["category"]}, district {body.get("district")}', file=sys.stderr)
PY
}

# Runs wrk with SCRIPT at CONNS connections (2 threads above 1) for DURATION s against URL, its
# output in OUT; in the background, so that the script's end stops it too. The scripts read
# their BENCH_* variables from the environment. Sets RESULT to the JSON of its BENCH_RESULT line
# (bench/result.lua).
bench_wrk() {
  local script=$1 conns=$2 out=$3 threads=1 rc=0 line
  if ((conns > 1)); then threads=2; fi
  timeout $((DURATION + 30)) wrk -t"$threads" -c"$conns" -d"${DURATION}s" --timeout 5s -s "$script" "$URL" >"$out" 2>&1 &
  LOAD_PID=$!
  wait "$LOAD_PID" || rc=$?
  LOAD_PID=""
  ((rc == 0)) || { cat "$out" >&2; fail "wrk exited with $rc"; }
  line=$(grep '^BENCH_RESULT ' "$out" | tail -1) || { cat "$out" >&2; fail "no BENCH_RESULT from wrk"; }
  RESULT=${line#BENCH_RESULT }
}

# The whole machine's busy clock ticks since boot: user, nice, system, irq, softirq and steal.
machine_ticks() {
  local _cpu user nice system idle iowait irq softirq steal _rest
  read -r _cpu user nice system idle iowait irq softirq steal _rest </proc/stat
  echo $((user + nice + system + irq + softirq + steal))
}

# The whole machine's CPU use over 2 s, in per cent.
busy_pct() {
  local a b
  a=$(machine_ticks); sleep 2; b=$(machine_ticks)
  echo $(( (b - a) * 100 / (2 * $(getconf CLK_TCK) * $(nproc)) ))
}

# The machine is shared (builds, fuzzers): waits until MEASURE (a command printing a per cent;
# default busy_pct) reads at most BENCH_QUIET_PCT, for at most BENCH_QUIET_WAIT seconds. Sets
# BUSY (the last reading) and QUIET (the threshold).
bench_wait_quiet() {
  local measure=${1:-busy_pct} start=$SECONDS
  QUIET=${BENCH_QUIET_PCT:-20}
  while :; do
    BUSY=$($measure)
    [ "$BUSY" -le "$QUIET" ] && return 0
    if [ $((SECONDS - start)) -ge "${BENCH_QUIET_WAIT:-300}" ]; then
      log "WARNING: machine still busy ($BUSY % CPU) after ${BENCH_QUIET_WAIT:-300} s: measuring anyway"
      return 0
    fi
    log "machine busy ($BUSY % CPU; $(ps -eo pcpu=,comm= --sort=-pcpu | head -3 | awk '{printf "%s %s%%; ", $2, $1}')): waiting"
  done
}

# After the timed runs of a script that waited with bench_wait_quiet: sets RUN_LINE (date,
# machine, load and CPU use before and after) and TREE (the commit, marked when the tree has
# uncommitted changes) and SQLITE (the version), for its section.
bench_run_facts() {
  local after
  after=$(busy_pct)
  RUN_LINE="- Date: $(date -u '+%Y-%m-%d %H:%M') UTC; machine: $(nproc --all) cores, $(uname -m); load average $(cut -d' ' -f1-3 /proc/loadavg) at the end; whole-machine CPU $BUSY % busy before the runs (waited for at most $QUIET %), $after % right after"
  TREE=$(git -C "$ROOT" describe --always --dirty=-with-uncommitted-changes 2>/dev/null || echo '?')
  SQLITE=$(python3 -c 'import sqlite3; print(sqlite3.sqlite_version)')
}

# Runs bench/place_bench.py MODE (addresses or photos, issue 12) on KIOSK_BIN, with the command
# as given (its BENCH_* variables) for its section; does not return.
bench_place() {
  bench_binary
  export KIOSK_BIN
  # grep finds nothing when no such variable is set: not a failure (set -o pipefail would end the script).
  BENCH_COMMAND="$({ env | grep -E '^BENCH_(COUNT|QUERIES|UPLOADERS|UPLOADS|PROBES)=' || true; } | sort | tr '\n' ' ')bench/$1.sh"
  export BENCH_COMMAND
  exec python3 "$ROOT/bench/place_bench.py" "$1"
}

# Puts SECTION into bench/RESULTS.md between <!-- bench/NAME begin[ TAG] --> and
# <!-- bench/NAME end[ TAG] --> (which SECTION holds), replacing the earlier run's; other
# sections are kept. With BENCH_NO_RESULTS the file is left alone.
bench_write_section() {
  if [ -n "${BENCH_NO_RESULTS:-}" ]; then
    log "BENCH_NO_RESULTS: bench/RESULTS.md left alone"
    return
  fi
  python3 - "$ROOT/bench/RESULTS.md" "$1" "$2" "${3:-}" <<'PY'
import pathlib, re, sys
path, name, section, tag = pathlib.Path(sys.argv[1]), sys.argv[2], sys.argv[3].strip() + "\n", sys.argv[4]
tag = f" {tag}" if tag else ""
text = path.read_text() if path.exists() else "# Benchmarks\n"
pattern = re.compile(rf"<!-- bench/{re.escape(name)} begin{re.escape(tag)} -->.*?<!-- bench/{re.escape(name)} end{re.escape(tag)} -->\n?", re.S)
text = pattern.sub(lambda _: section, text) if pattern.search(text) else text.rstrip("\n") + "\n\n" + section
path.write_text(text)
PY
  log "wrote the $1${3:+ $3} section of bench/RESULTS.md"
}

# Copies a config to DST with the per-address limits that a load generator on one address would
# trip turned off (limits.public_per_minute and limits.connections_per_client 0), and the config's
# relative file paths (addresses.file) made absolute, since the copy lives in another folder.
bench_config() {
  python3 - "$1" "$2" <<'PY'
import json, os, sys
src, dst = sys.argv[1], sys.argv[2]
cfg = json.load(open(src))
cfg["limits"] = {**cfg.get("limits", {}), "public_per_minute": 0, "connections_per_client": 0}
addresses = cfg.get("addresses") or {}
if addresses.get("file") and not os.path.isabs(addresses["file"]):
    addresses["file"] = os.path.join(os.path.dirname(os.path.abspath(src)), addresses["file"])
json.dump(cfg, open(dst, "w"), ensure_ascii=False, indent=2)
PY
}
