#!/usr/bin/env bash
# Fuzzes the GGUF header reader with libFuzzer for DURATION seconds (default 60).
#   scripts/fuzz-gguf.sh [DURATION] [BUILD_DIR]
# Builds tests/fuzz/gguf_fuzzer with clang++ (-fsanitize=fuzzer,address,undefined) in BUILD_DIR
# (default build-fuzz), or uses the one EDGEPLAN_FUZZER names (the sanitized tree's); seeds it
# with tests/fixtures/gguf/*.gguf and runs one job.
# The working corpus and any crash-* inputs go to BUILD_DIR/gguf-corpus and BUILD_DIR/.
# A crash is a bug: add the input as a fixture under tests/fixtures/gguf/regressions/.
# Exits 0 when the run finds nothing; prints "SKIPPED: ..." and exits 0 without clang++.
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-60}
build_dir=${2:-build-fuzz}

# EDGEPLAN_FUZZER: a gguf_fuzzer already built (the sanitized tree's): no build here.
fuzzer=${EDGEPLAN_FUZZER:-}
if [[ -n $fuzzer ]]; then
  mkdir -p "$build_dir"
elif ! command -v clang++ > /dev/null; then
  echo "SKIPPED: clang++ not found (install clang and libclang-rt-14-dev to fuzz)"
  exit 0
fi
# Otherwise build it in a clang tree of its own.
if [[ -z $fuzzer ]]; then
  probe_dir=$(mktemp -d)
  trap 'rm -rf "$probe_dir"' EXIT
  printf '#include <cstddef>\n#include <cstdint>\nextern "C" int LLVMFuzzerTestOneInput(const uint8_t*, size_t) { return 0; }\n' \
    > "$probe_dir/probe.cpp"
  if ! clang++ -fsanitize=fuzzer "$probe_dir/probe.cpp" -o "$probe_dir/probe" 2> /dev/null; then
    echo "SKIPPED: clang++ cannot link libFuzzer (install libclang-rt-14-dev)"
    exit 0
  fi
  cmake -S . -B "$build_dir" -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo -DEDGEPLAN_FUZZ=ON -DEDGEPLAN_BUILD_TESTS=OFF > /dev/null
  cmake --build "$build_dir" -j "${EDGEPLAN_JOBS:-2}" --target gguf_fuzzer > /dev/null
  fuzzer=$build_dir/tests/fuzz/gguf_fuzzer
fi

corpus=$build_dir/gguf-corpus
mkdir -p "$corpus"
seeds=(tests/fixtures/gguf tests/fixtures/gguf/bad tests/fixtures/gguf/regressions)
existing=()
for dir in "${seeds[@]}"; do
  [[ -d $dir ]] && existing+=("$dir")
done
# Regression inputs first, alone: each must now be handled without a crash.
if [[ -d tests/fixtures/gguf/regressions ]] && compgen -G "tests/fixtures/gguf/regressions/*" > /dev/null; then
  "$fuzzer" tests/fixtures/gguf/regressions/* 2>&1 | tail -1
fi
"$fuzzer" "$corpus" "${existing[@]}" \
  -max_total_time="$duration" -max_len=65536 -rss_limit_mb=2048 -timeout=10 \
  -artifact_prefix="$build_dir/" -print_final_stats=1 2>&1 |
  grep -E "^#[0-9]+ +(INITED|DONE)|^stat::|ERROR|SUMMARY|Test unit written|^Done" || true
if compgen -G "$build_dir/crash-*" > /dev/null || compgen -G "$build_dir/leak-*" > /dev/null ||
   compgen -G "$build_dir/timeout-*" > /dev/null || compgen -G "$build_dir/oom-*" > /dev/null; then
  echo "FAIL: the fuzzer found inputs that break the reader:"
  ls "$build_dir"/crash-* "$build_dir"/leak-* "$build_dir"/timeout-* "$build_dir"/oom-* 2> /dev/null
  exit 1
fi
echo "PASS: ${duration}s of fuzzing found no crash"
