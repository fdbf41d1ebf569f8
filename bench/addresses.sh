#!/usr/bin/env bash
# Benchmark of issue 12: see bench/place_bench.py (addresses) for what it measures.
#
#   bench/addresses.sh                      # builds the release binary first
#   KIOSK_BIN=.build/debug/kiosk-backend bench/addresses.sh
#
# Environment: KIOSK_BIN skips the build; the rest is described in bench/place_bench.py.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
bench_place addresses
