#!/usr/bin/env bash
# Runs one command's bad-input matrix: tests/badinput/<command>.cases
#   run_matrix.sh BINARY CASES_FILE FIXTURES_DIR
# Each case line: NAME | EXIT | WHERE | ARG ARG ...   (blank lines and # comments skipped)
#   EXIT   the exit code README's table documents for the case; "4+" also allows more
#          error lines (catalog validate lists every problem, one line each)
#   WHERE  text the error line must name after "edgeplan: error: " (the flag or the file)
#   ARGs   split on spaces; @WORK@ is the folder of generated inputs below, @FIX@ the
#          fixtures folder.
# Every case must: exit EXIT; print nothing on stdout; print exactly one stderr line starting
# "edgeplan: error: WHERE", optionally followed by "edgeplan: hint: " lines and nothing else;
# and create no file (the command runs in an empty folder that must stay empty, and the
# inputs folder must not change). Cases reading an unreadable (chmod 000) file are skipped,
# saying so, when running as root: root reads it anyway.
set -u
binary=$(realpath "$1")
cases=$(realpath "$2")
fixtures=$(realpath "$3")

work=$(mktemp -d)
trap 'chmod -R u+rwx "$work" 2> /dev/null; rm -rf "$work"' EXIT
inputs=$work/inputs
mkdir -p "$inputs/dir"
: > "$inputs/empty.json"
: > "$inputs/empty.xml"
: > "$inputs/empty.gguf"
printf 'not a gguf file, just text\n' > "$inputs/text.gguf"
printf '{"schema_version": 1, "kind": "edgeplan.hardware_profile", "cpu": {' > "$inputs/truncated.json"
# Larger than the 64 MiB edgeplan reads for a profile, topology or spec (sparse: no disk).
truncate -s 65M "$inputs/oversized.json"
truncate -s 65M "$inputs/oversized.xml"
printf '{}' > "$inputs/unreadable.json"
cp "$fixtures/gguf/llama-q8_0.gguf" "$inputs/unreadable.gguf"
chmod 000 "$inputs/unreadable.json" "$inputs/unreadable.gguf"
# A good profile, then one impossible value each (the reader must refuse every one).
if ! "$binary" audit --target desktop-rtx-4090 --format json > "$inputs/good.json"; then
  echo "FAIL: cannot write the base profile"
  exit 1
fi
python3 - "$inputs" <<'PY'
import json, sys
d = sys.argv[1]
good = json.load(open(d + "/good.json"))
def variant(name, change):
    doc = json.loads(json.dumps(good))
    change(doc)
    json.dump(doc, open(f"{d}/{name}.json", "w"))
def setting(field, value):
    # A value as a user would write it: known, with source "user".
    return lambda doc: field(doc).update(value=value, source="user")
gpu = lambda doc: doc["gpus"]["items"][0]
total_vram = gpu(good)["memory_total_bytes"]["value"]
variant("vram-free-gt-total", setting(lambda doc: gpu(doc)["memory_free_bytes"], total_vram * 2))
variant("negative-vram", setting(lambda doc: gpu(doc)["memory_total_bytes"], -1))
variant("absurd-vram", setting(lambda doc: gpu(doc)["memory_total_bytes"], 2**62))
variant("zero-vram", setting(lambda doc: gpu(doc)["memory_total_bytes"], 0))
variant("negative-memory", setting(lambda doc: doc["memory"]["total_bytes"], -1))
variant("zero-memory", setting(lambda doc: doc["memory"]["total_bytes"], 0))
variant("available-gt-total", setting(lambda doc: doc["memory"]["available_bytes"], 2**50))
variant("zero-cores", setting(lambda doc: doc["cpu"]["cores"], 0))
variant("negative-cores", setting(lambda doc: doc["cpu"]["cores"], -4))
def threads_below_cores(doc):
    setting(lambda d: d["cpu"]["cores"], 16)(doc)
    setting(lambda d: d["cpu"]["threads"], 1)(doc)
variant("threads-lt-cores", threads_below_cores)
variant("absurd-bandwidth", setting(lambda doc: doc["memory"]["bandwidth_gbps"], 1e12))
variant("negative-bandwidth", setting(lambda doc: doc["memory"]["bandwidth_gbps"], -5))
variant("absurd-gpu-bandwidth", setting(lambda doc: gpu(doc)["memory_bandwidth_gbps"], 1e9))
variant("string-cores", setting(lambda doc: doc["cpu"]["cores"], "sixteen"))
variant("wrong-kind", lambda doc: doc.update(kind="edgeplan.plan"))
variant("future-version", lambda doc: doc.update(schema_version=999))
PY
find "$inputs" -printf '%p %s %m\n' 2> /dev/null | sort > "$work/inputs.before"

# Strips leading and trailing blanks (quotes stay: xargs would eat them).
trim() {
  local v=$1
  v=${v#"${v%%[![:space:]]*}"}
  v=${v%"${v##*[![:space:]]}"}
  printf '%s' "$v"
}

is_root=0
[[ $(id -u) -eq 0 ]] && is_root=1
failures=0
count=0
skipped=0
while IFS= read -r line || [[ -n $line ]]; do
  [[ -z ${line// /} || $line == \#* ]] && continue
  IFS='|' read -r name code where args <<< "$line"
  name=$(trim "$name"); code=$(trim "$code"); where=$(trim "$where")
  args=${args//@WORK@/$inputs}
  args=${args//@FIX@/$fixtures}
  where=${where//@WORK@/$inputs}
  where=${where//@FIX@/$fixtures}
  read -r -a argv <<< "$args"
  more_errors=0
  if [[ $code == *+ ]]; then
    more_errors=1
    code=${code%+}
  fi
  if [[ $is_root -eq 1 && $args == *unreadable* ]]; then
    echo "SKIPPED: $name: running as root, which reads a chmod 000 file anyway"
    skipped=$((skipped + 1))
    continue
  fi
  count=$((count + 1))
  run_dir=$work/run-$count
  mkdir "$run_dir"
  (cd "$run_dir" && "$binary" "${argv[@]}" > "$work/out" 2> "$work/err" < /dev/null)
  got=$?
  problems=()
  [[ $got -ne $code ]] && problems+=("exit $got, expected $code")
  [[ -s $work/out ]] && problems+=("stdout not empty ($(wc -c < "$work/out") bytes)")
  first=$(head -n 1 "$work/err")
  if [[ $first != "edgeplan: error: $where"* ]]; then
    problems+=("first stderr line does not start 'edgeplan: error: $where': $first")
  fi
  allowed='^edgeplan: hint: '
  [[ $more_errors -eq 1 ]] && allowed='^edgeplan: (hint|error): '
  if [[ $(tail -n +2 "$work/err" | grep -Ecv "$allowed") -ne 0 ]]; then
    problems+=("stderr has lines other than one error and hints: $(tail -n +2 "$work/err" | grep -Ev "$allowed" | head -n 2 | tr '\n' ' ')")
  fi
  if [[ -n $(ls -A "$run_dir") ]]; then
    problems+=("created files: $(ls -A "$run_dir" | tr '\n' ' ')")
  fi
  find "$inputs" -printf '%p %s %m\n' 2> /dev/null | sort > "$work/inputs.after"
  if ! cmp -s "$work/inputs.before" "$work/inputs.after"; then
    problems+=("changed the inputs folder")
    cp "$work/inputs.after" "$work/inputs.before"
  fi
  if ((${#problems[@]} > 0)); then
    failures=$((failures + 1))
    echo "FAIL: $name: edgeplan ${argv[*]}"
    for p in "${problems[@]}"; do
      echo "    $p"
    done
  else
    echo "PASS: $name ($first)"
  fi
done < "$cases"

echo "$count cases run, $failures failed, $skipped skipped"
if ((count == 0)); then
  echo "FAIL: no case ran"
  exit 1
fi
((failures == 0))
