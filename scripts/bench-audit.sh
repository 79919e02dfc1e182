#!/usr/bin/env bash
# Whole-process timing of `edgeplan audit` with hyperfine (Debian package hyperfine).
# Target (issue 2): a live audit in under 150 ms on the 2-core development VM.
set -euo pipefail
cd "$(dirname "$0")/.."
binary=${1:-build/edgeplan}
shared=../shared/topologies
command -v hyperfine > /dev/null || { echo "install hyperfine (apt-get install hyperfine)" >&2; exit 2; }
commands=("$binary audit" "$binary audit --format json")
if [[ -d $shared ]]; then
  commands+=("$binary audit --topology $shared/192em64t-24n8c2t.xml")
fi
hyperfine --warmup 3 --runs 30 --export-markdown /dev/stdout "${commands[@]}"
