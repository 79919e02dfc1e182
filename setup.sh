#!/usr/bin/env bash
# edgeplan quick start. One command each:
#   ./setup.sh          install missing Debian packages, build, run the main job
#   ./setup.sh test     install missing Debian packages, build, run every test (ctest)
# Safe to re-run: it installs only what is missing and rebuilds incrementally.
set -euo pipefail
cd "$(dirname "$0")"

mode=${1:-run}
build_dir=${EDGEPLAN_BUILD_DIR:-build}
jobs=${EDGEPLAN_JOBS:-$(nproc 2>/dev/null || echo 2)}

# Build and test dependencies, all from Debian bookworm main.
packages=(g++ cmake make pkg-config libcli11-dev nlohmann-json3-dev libfmt-dev
          libhwloc-dev hwloc-nox pci.ids catch2 python3-jsonschema python3-yaml clang libclang-rt-14-dev)

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
    ctest --test-dir "$build_dir" --output-on-failure -j "$jobs"
    ;;
  *)
    echo "usage: ./setup.sh [run|test]" >&2
    exit 2
    ;;
esac
