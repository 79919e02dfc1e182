#!/usr/bin/env bash
# Proves edgeplan opens no network connection: every command runs under
# `strace -f -e trace=network` and the test fails on any socket() of a family other than
# AF_UNIX or AF_NETLINK, and on any connect()/sendto()/sendmsg() to an address that is not a
# local (AF_UNIX) or kernel (AF_NETLINK) one.
#   no_network.sh BINARY SOURCE_DIR
# Allowed, and why:
#   AF_UNIX     glibc's name-service lookups (nscd socket) when getpwuid or similar run, and
#               hwloc's or the C library's local IPC; it cannot leave the machine.
#   AF_NETLINK  the kernel's own interface (getifaddrs, routing and uevent queries by libc
#               or hwloc); it talks to the local kernel only.
# Without a working strace (no ptrace rights), falls back to `unshare -n` (a private network
# namespace with no route out): weaker, it shows only that every command succeeds offline.
# Prints "SKIPPED: ..." and exits 0 when neither works.
set -u
binary=$(realpath "$1")
source_dir=$(realpath "$2")
fixtures=$source_dir/tests/fixtures

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# LeakSanitizer cannot run under ptrace; the sanitized tree checks leaks in every other test.
export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0

mode=""
if command -v strace > /dev/null && strace -f -qq -e trace=network -o /dev/null true 2> /dev/null; then
  mode=strace
elif command -v unshare > /dev/null && unshare -n true 2> /dev/null; then
  mode=unshare
else
  echo "SKIPPED: neither strace (ptrace) nor unshare -n works here; cannot observe sockets"
  exit 0
fi
echo "mode: $mode"

"$binary" audit --target desktop-rtx-4090 --format json > "$work/profile.json" || exit 1

# Every command and the main variants of each; exit 0 and 10 are both a normal run.
commands=(
  "audit"
  "audit --format json"
  "audit --measure-memory"
  "audit --topology $fixtures/topologies/synthetic-2p4c2t.xml"
  "audit --hardware $work/profile.json"
  "audit --target jetson-orin-nano-super-8gb"
  "recommend --task chat --offline"
  "recommend --task chat --format json"
  "recommend --task code --target desktop-rtx-4090"
  "recommend --task chat --allow-cloud-fallback --target apple-m4-max-40gpu"
  "recommend --model-file $fixtures/gguf/llama-q8_0.gguf --target desktop-rtx-4090"
  "fit --model llama-3.1-8b-instruct"
  "fit --model llama-3.1-70b-instruct --target laptop-rtx-4060"
  "fit --model-file $fixtures/gguf/qwen3moe-mixed.gguf --hardware $work/profile.json"
  "inspect $fixtures/gguf/gpt-oss-mxfp4.gguf"
  "inspect $fixtures/gguf/qwen2-q4_k_m.gguf --format json"
  "catalog list models"
  "catalog list targets --format json"
  "catalog show llama-3.1-8b-instruct"
  "catalog validate"
  "catalog validate $source_dir/data"
)
# Commands other workstreams add run too when this binary has them.
if "$binary" --help | grep -qE '^ +config( |$)'; then
  commands+=("config --help")
fi

failures=0
for command in "${commands[@]}"; do
  read -r -a argv <<< "$command"
  log=$work/trace.log
  rm -f "$log"
  if [[ $mode == strace ]]; then
    strace -f -qq -e trace=network -o "$log" "$binary" "${argv[@]}" > /dev/null 2> "$work/err"
  else
    unshare -n "$binary" "${argv[@]}" > /dev/null 2> "$work/err"
  fi
  code=$?
  if [[ $code -ne 0 && $code -ne 10 ]]; then
    echo "FAIL: edgeplan $command: exit $code: $(head -n 1 "$work/err")"
    failures=$((failures + 1))
    continue
  fi
  if [[ $mode == strace ]]; then
    # socket(AF_INET, ...), connect(3, {sa_family=AF_INET6, ...}), sendto(..., {sa_family=...
    bad=$(grep -E '(socket|socketpair)\(|(connect|sendto|sendmsg|bind)\(' "$log" |
          grep -Ev 'socket(pair)?\((AF_UNIX|AF_LOCAL|AF_NETLINK|PF_UNIX|PF_LOCAL|PF_NETLINK)[,)]' |
          grep -Ev 'sa_family=(AF_UNIX|AF_LOCAL|AF_NETLINK)' |
          grep -Ev '^[0-9]+ +(connect|sendto|sendmsg|bind)\([0-9]+, NULL' || true)
    # A connect/send whose address strace could not decode still counts as a finding.
    if [[ -n $bad ]]; then
      echo "FAIL: edgeplan $command made network calls:"
      echo "$bad" | head -n 5 | sed 's/^/    /'
      failures=$((failures + 1))
      continue
    fi
    calls=$(grep -cE '(socket|connect|sendto|sendmsg|bind)\(' "$log" || true)
    echo "PASS: edgeplan $command ($calls local socket calls)"
  else
    echo "PASS: edgeplan $command (ran in a namespace with no network)"
  fi
done
if ((failures > 0)); then
  echo "$failures of ${#commands[@]} commands touched the network"
  exit 1
fi
echo "PASS: ${#commands[@]} commands, no network socket ($mode)"
