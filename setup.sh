#!/usr/bin/env bash
# edgeplan quick start. One command each:
#   ./setup.sh          install missing Debian packages, build, run the main job
#   ./setup.sh test     install missing Debian packages, build, run every test (ctest), then
#                       build a second tree with clang, AddressSanitizer and UBSan (and the
#                       libFuzzer target) and run the whole suite again in it, fuzzing included
# Safe to re-run: it installs only what is missing and rebuilds incrementally.
set -euo pipefail
cd "$(dirname "$0")"

mode=${1:-run}
build_dir=${EDGEPLAN_BUILD_DIR:-build}
sanitize_dir=${EDGEPLAN_SANITIZE_DIR:-build-sanitize}
jobs=${EDGEPLAN_JOBS:-$(nproc 2>/dev/null || echo 2)}

# Build and test dependencies, all from Debian bookworm main.
packages=(g++ cmake make pkg-config libcli11-dev nlohmann-json3-dev libfmt-dev
          libhwloc-dev hwloc-nox pci.ids catch2 python3-jsonschema python3-yaml clang libclang-rt-14-dev
          strace)

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done
if ((${#missing[@]} > 0)); then
  echo "setup: installing ${missing[*]}" >&2
  sudo_cmd=()
  if [[ $(id -u) -ne 0 ]]; then
    sudo_cmd=(sudo)
  fi
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo > /dev/null
cmake --build "$build_dir" -j "$jobs"

case $mode in
  run)
    "$build_dir/edgeplan" recommend --task chat --offline
    ;;
  test)
    # Every test but the fuzz run, which the sanitized tree below does with its own fuzzer.
    ctest --test-dir "$build_dir" --output-on-failure -j "$jobs" -E '^fuzz\.'
    # The same suite under ASan + UBSan. clang, so the tree also builds the libFuzzer target:
    # two trees in all, not three. Leaks are errors but for tests/sanitizer/lsan.supp.
    # -O1 with line tables only: ASan's recommended level, stacks still name file:line, and
    # it compiles about 25 % faster than -O2 -g; asserts stay on (no NDEBUG).
    cmake -S . -B "$sanitize_dir" -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
      -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only" \
      -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only" \
      -DEDGEPLAN_SANITIZE=ON -DEDGEPLAN_FUZZ=ON > /dev/null
    cmake --build "$sanitize_dir" -j "$jobs"
    # The same options tests/CMakeLists.txt gives its own tests, for the Catch2 unit tests.
    # fast_unwind_on_malloc=0: the suppression's frame is only reachable by the slow unwinder.
    export LSAN_OPTIONS="suppressions=$PWD/tests/sanitizer/lsan.supp:print_suppressions=0"
    export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
    export ASAN_OPTIONS="detect_leaks=1:fast_unwind_on_malloc=0:malloc_context_size=16"
    ctest --test-dir "$sanitize_dir" --output-on-failure -j "$jobs"
    ;;
  *)
    echo "usage: ./setup.sh [run|test]" >&2
    exit 2
    ;;
esac
