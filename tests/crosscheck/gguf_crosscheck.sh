#!/usr/bin/env bash
# Runs gguf_crosscheck.mjs on every GGUF fixture with @huggingface/gguf installed by
# `npm ci` (the committed package-lock.json) into WORK_DIR (in the build tree).
#   gguf_crosscheck.sh EDGEPLAN SOURCE_DIR WORK_DIR
# Skips ("SKIPPED: ...") when node or npm is missing or the npm registry cannot be reached.
set -euo pipefail
binary=$1
source_dir=$2
work=$3
here=$source_dir/tests/crosscheck
if ! command -v node > /dev/null || ! command -v npm > /dev/null; then
  echo "SKIPPED: node and npm are needed for the @huggingface/gguf cross-check"
  exit 0
fi
mkdir -p "$work"
# Reinstall only when the lock file changed.
if ! cmp -s "$here/package-lock.json" "$work/package-lock.json" || [[ ! -d $work/node_modules ]]; then
  cp "$here/package.json" "$here/package-lock.json" "$work/"
  if ! (cd "$work" && npm ci --no-audit --no-fund --loglevel=error > npm.log 2>&1); then
    echo "SKIPPED: npm ci could not install @huggingface/gguf (see $work/npm.log)"
    rm -f "$work/package-lock.json"
    exit 0
  fi
fi
# An ES module resolves packages from its own folder: run a copy beside node_modules.
cp "$here/gguf_crosscheck.mjs" "$work/"
node "$work/gguf_crosscheck.mjs" "$binary" "$source_dir"/tests/fixtures/gguf/*.gguf
