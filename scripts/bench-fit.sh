#!/usr/bin/env bash
# Whole-process timing of `edgeplan fit` with hyperfine (Debian package hyperfine).
# Target (issue 4): fit answers in under 20 ms. Exit 10 (does not fit) is a normal answer,
# hence -i.
set -euo pipefail
cd "$(dirname "$0")/.."
binary=${1:-build/edgeplan}
command -v hyperfine > /dev/null || { echo "install hyperfine (apt-get install hyperfine)" >&2; exit 2; }
hyperfine -N -i --warmup 3 --runs 30 --export-markdown /dev/stdout \
  "$binary fit --model llama-3.1-8b-instruct --target desktop-rtx-4090" \
  "$binary fit --model qwen3-30b-a3b --target laptop-rtx-4060" \
  "$binary fit --model llama-3.3-70b-instruct --target apple-m4-pro-20gpu" \
  "$binary catalog list targets"
