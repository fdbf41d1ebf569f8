# What the benchmark scripts do the same way: the binary, a temp folder cleaned up on exit,
# a service started on a filled database and waited for, a quiet machine, and their section
# of bench/RESULTS.md. Source it from a script that has done `cd` to the repository root
# and `set -euo pipefail`.
#
# Sets ROOT (the repository). Environment read here:
#   KIOSK_BIN             a built kiosk-backend: skips the release build
#   BENCH_TMPDIR          where the temp folder goes (default $TMPDIR or /tmp)
#   BENCH_KEEP            keep the temp folder (its database) afterwards
#   BENCH_QUIET_PCT       wait until the whole machine's CPU is at most this busy (default 20)
#   BENCH_START_TIMEOUT   seconds to wait for the service's /healthz (default 900: a start on a
#                         million signals computes every due date, half a minute on a quiet machine)

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PID=""
WORK=""

bench_require() {
  local tool
  for tool in "$@"; do command -v "$tool" >/dev/null || { echo "$tool is required" >&2; exit 1; }; done
}

# Sets KIOSK_BIN (building the release binary unless given) and BUILD_KIND, for the results.
bench_binary() {
  BUILD_KIND="release build"
  if [ -n "${KIOSK_BIN:-}" ]; then
    BUILD_KIND="binary \`${KIOSK_BIN#$ROOT/}\`"
    return
  fi
  echo "building the release binary (swift build -c release --product kiosk-backend)…" >&2
  swift build -c release --product kiosk-backend >&2
  KIOSK_BIN="$(swift build -c release --show-bin-path)/kiosk-backend"
}

# Stops the service: SIGTERM, up to 10 s, then SIGKILL.
bench_stop() {
  [ -n "$PID" ] && kill -0 "$PID" 2>/dev/null || return 0
  kill "$PID"
  for _ in $(seq 1 100); do kill -0 "$PID" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$PID" 2>/dev/null && kill -9 "$PID"
  wait "$PID" 2>/dev/null || true
  PID=""
}

bench_cleanup() {
  bench_stop
  [ -n "$WORK" ] || return 0
  if [ -z "${BENCH_KEEP:-}" ]; then rm -rf "$WORK"; else echo "kept $WORK" >&2; fi
}

# Makes the temp folder WORK (kiosk-NAME-bench.XXXXXX), removed on exit unless BENCH_KEEP.
bench_workdir() {
  WORK=$(mktemp -d "${BENCH_TMPDIR:-${TMPDIR:-/tmp}}/kiosk-$1-bench.XXXXXX")
  trap bench_cleanup EXIT
}

# Starts `kiosk-backend serve` on the bundled config and DB, with any further arguments, on a
# free loopback port; waits for /healthz while the process lives. Sets PORT, URL, PID and
# START_S (seconds until healthy). A service that dies or does not answer in time ends the
# script with the end of its log.
bench_serve() {
  local db=$1
  shift
  PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  URL="http://127.0.0.1:$PORT"
  local t0 deadline
  t0=$(date +%s.%N)
  deadline=$(( $(date +%s) + ${BENCH_START_TIMEOUT:-900} ))
  "$KIOSK_BIN" serve --config "$ROOT/config/ostend.json" --db "$db" --port "$PORT" --host 127.0.0.1 "$@" \
    >"$WORK/serve.log" 2>&1 &
  PID=$!
  until curl -fs -o /dev/null --max-time 2 "$URL/healthz" 2>/dev/null; do
    if ! kill -0 "$PID" 2>/dev/null; then
      echo "the service stopped before it answered /healthz; its log ends:" >&2
      tail -20 "$WORK/serve.log" >&2
      exit 1
    fi
    if [ "$(date +%s)" -ge "$deadline" ]; then
      echo "the service did not answer /healthz within ${BENCH_START_TIMEOUT:-900} s; its log ends:" >&2
      tail -20 "$WORK/serve.log" >&2
      exit 1
    fi
    sleep 0.2
  done
  START_S=$(python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.1f}')" "$t0" "$(date +%s.%N)")
}

# The whole machine's CPU use over 2 s, in per cent.
busy_pct() {
  local a b
  a=($(head -1 /proc/stat)); sleep 2; b=($(head -1 /proc/stat))
  local idle=$(( (b[4] + b[5]) - (a[4] + a[5]) )) total=0 i
  for i in 1 2 3 4 5 6 7 8; do total=$(( total + b[i] - a[i] )); done
  echo $(( total > 0 ? 100 * (total - idle) / total : 0 ))
}

# The machine is shared (builds, fuzzers): waits until it is at most BENCH_QUIET_PCT % busy,
# for at most 5 minutes. Sets BUSY (the last reading) and QUIET (the threshold).
bench_wait_quiet() {
  QUIET=${BENCH_QUIET_PCT:-20}
  for _ in $(seq 1 150); do
    BUSY=$(busy_pct)
    [ "$BUSY" -le "$QUIET" ] && return
    echo "machine busy ($BUSY % CPU), waiting…" >&2
  done
}

# Puts SECTION into bench/RESULTS.md between <!-- bench/NAME begin --> and <!-- bench/NAME end -->
# (which SECTION holds), replacing the earlier run's; other sections are kept.
bench_write_section() {
  python3 - "$1" "$2" <<'PY'
import pathlib, re, sys
name, section = sys.argv[1], sys.argv[2].strip() + "\n"
path = pathlib.Path("bench/RESULTS.md")
text = path.read_text() if path.exists() else "# Benchmarks\n"
pattern = re.compile(rf"<!-- bench/{re.escape(name)} begin -->.*?<!-- bench/{re.escape(name)} end -->\n?", re.S)
text = pattern.sub(lambda _: section, text) if pattern.search(text) else text.rstrip("\n") + "\n\n" + section
path.write_text(text)
PY
  echo "wrote the $1 section of bench/RESULTS.md" >&2
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
