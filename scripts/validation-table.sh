#!/usr/bin/env bash
# Regenerates the validation tables of docs/estimation.md: every harness run (memory:
# model/KV/compute buffers, RSS; real llama.cpp on this machine) and every published
# llama-bench row (speed), predicted vs measured. Needs ../shared beside the project.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${EDGEPLAN_BUILD_DIR:-build}
cmake -S . -B "$build" > /dev/null
cmake --build "$build" -j "$(nproc)" --target edgeplan_unit_tests > /dev/null
echo "## Memory: harness runs (predicted vs measured)"
EDGEPLAN_PRINT_HARNESS=1 "$build/tests/edgeplan_unit_tests" "[estimate]" 2>/dev/null \
  | grep -E '\|' || true
echo
echo "## Speed: published measurements and harness runs (predicted vs measured)"
EDGEPLAN_SPEED_REPORT=1 "$build/tests/edgeplan_unit_tests" "[validation]" 2>/dev/null \
  | grep -vE '^(=+|-+|All tests passed.*|Filters:.*|)$' || true
