#!/usr/bin/env bash
# Whole-process timing of `edgeplan recommend` with hyperfine (Debian package hyperfine).
# Target (issue 5): recommend with the full catalogue in under 50 ms. Uses catalogue
# targets, so no live audit (and no memory-bandwidth measurement) is in the figure.
set -euo pipefail
cd "$(dirname "$0")/.."
binary=${1:-build/edgeplan}
command -v hyperfine > /dev/null || { echo "install hyperfine (apt-get install hyperfine)" >&2; exit 2; }
hyperfine --warmup 3 --runs 30 -N -i --export-markdown /dev/stdout \
  "$binary recommend --task chat --offline --target apple-m4-pro-20gpu" \
  "$binary recommend --task chat --concurrency 16 --target desktop-rtx-4090" \
  "$binary recommend --task code --offline --target apple-m4-max-40gpu --memory-gb 128 --format json"
