#!/usr/bin/env bash
# Work-queue search benchmark: GET /api/v1/signals?q=… over 1,000,000 signals (issue 11).
#
#   bench/search.sh
#
# Steps: builds the service (`swift build -c release --product kiosk-backend`) unless KIOSK_BIN is
# given; makes a fresh SQLite file and migrates it (`kiosk-backend token create`, which also gives the
# coordinator token); fills it with bench/search_fill.py (a recursive CTE per batch, the service's
# triggers filling the full-text index); starts the release build on it (which computes every due
# date at start: timed as "start"); times each search BENCH_RUNS times after one warm-up with curl on
# the same machine. Prints a Markdown section and puts it in bench/RESULTS.md between its markers.
#
# Environment: KIOSK_BIN, BENCH_COUNT (default 1000000), BENCH_RUNS (default 9), BENCH_TMPDIR,
# BENCH_KEEP (keep the temp folder), BENCH_QUIET_PCT (wait until the machine is this idle, default 20),
# BENCH_START_TIMEOUT (bench/lib.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
COUNT=${BENCH_COUNT:-1000000}
RUNS=${BENCH_RUNS:-9}
COMMAND="bench/search.sh${BENCH_COUNT:+ (BENCH_COUNT=$BENCH_COUNT)}"
bench_require curl python3
bench_binary
bench_workdir search
DB="$WORK/search.sqlite"

TOKEN=$(bench_token coordinator "$DB")
echo "filling $COUNT signals…" >&2
FILL=$(python3 bench/search_fill.py "$DB" --count "$COUNT")
echo "$FILL" >&2
DBSIZE=$(du -sh "$DB" | cut -f1)
bench_serve "$DB"
bench_wait_quiet

BASE="$URL/api/v1/signals"
# name|query (URL-encoded); the names sort in table order.
QUERIES=(
  "1_reference|q=OP-S00500000"
  "2_rare_pair|q=ratten%20kerk"
  "3_common_word|q=zwerfvuil"
  "4_common_word_open_by_due|q=zwerfvuil&status=received,in_progress&sort=due"
  "5_prefix_street|q=kapelle"
  "6_accents|q=leopold%20sterckx%20cafe"
  "7_three_words_overdue|q=lamp%20defect%20nacht&overdue=true&sort=due"
  "8_queue_no_search|status=received,in_progress&sort=due"
  "9_short_words|q=s%20ka"
)
RAW="$WORK/times.tsv"
: >"$RAW"
for entry in "${QUERIES[@]}"; do
  name=${entry%%|*}; query=${entry#*|}
  url="$BASE?$query&limit=50"
  curl -fs -o "$WORK/$name.out" -H "Authorization: Bearer $TOKEN" "$url"
  for _ in $(seq 1 "$RUNS"); do
    t=$(curl -fs -o /dev/null -w '%{time_total}' -H "Authorization: Bearer $TOKEN" "$url")
    printf '%s\t%s\t%s\n' "$name" "$query" "$t" >>"$RAW"
  done
done
bench_run_facts

SECTION=$(python3 - "$RAW" "$WORK" <<PY
import json, os, statistics, sys
rows, queries = {}, {}
for line in open(sys.argv[1]):
    name, query, t = line.rstrip("\n").split("\t")
    rows.setdefault(name, []).append(float(t) * 1000)
    queries[name] = query
out = [
    "<!-- bench/search.sh begin -->",
    "## Work-queue search: GET /api/v1/signals?q= over $COUNT signals",
    "",
    "$RUN_LINE",
    "- Tree: \`$TREE\`; $BUILD_KIND; SQLite $SQLITE (WAL); database $DBSIZE with the FTS5 index",
    "- Command: \`$COMMAND\`",
    "- Data: \`bench/search_fill.py\` ($FILL); the service's start on it, which computed every due date (\`DueDates.refresh\`), took $START_S s.",
    f"- Each row: {len(next(iter(rows.values())))} runs after one warm-up, limit=50, wall time measured by curl on the same machine (HTTP, auth, query, JSON); median, with min and max. 'found' counts the first page.",
    "",
    "| request | found (first page) | median ms | min ms | max ms |",
    "|---|---:|---:|---:|---:|",
]
worst = 0
for name in sorted(rows):
    t = rows[name]
    found = len(json.load(open(os.path.join(sys.argv[2], name + ".out")))["items"])
    worst = max(worst, statistics.median(t)) if name != "8_queue_no_search" else worst
    out.append(f"| {name[2:].replace('_', ' ')} (\`{queries[name]}\`) | {found} | {statistics.median(t):.1f} | {min(t):.1f} | {max(t):.1f} |")
out += ["", f"Target: a search answers within 50 ms over a million signals: slowest median {worst:.1f} ms: **{'met' if worst <= 50 else 'not met'}**.",
        "<!-- bench/search.sh end -->"]
print("\n".join(out))
PY
)
echo "$SECTION"
bench_write_section search.sh "$SECTION"
