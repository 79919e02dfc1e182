#!/usr/bin/env bash
# The JSON that `edgeplan recommend --format json` prints validates against
# data/schema/plan.schema.json, for every golden recommend case that prints a plan (approved
# or not) plus a few requests of their own.
set -euo pipefail
binary=$1
source_dir=$2
shared_dir=${3:-}
schema=$source_dir/data/schema/plan.schema.json
validate=$source_dir/tests/schema/validate_json.py
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

files=()
n=0
for case_dir in "$source_dir"/tests/e2e/cases/recommend-*/; do
  mapfile -t args < "$case_dir/args"
  # Cases that write a deployment folder (--out @OUT@) test the files, not the plan.
  grep -q '@OUT@' "$case_dir/args" && continue
  if grep -q '@SHARED@' "$case_dir/args"; then
    [[ -n $shared_dir && -d $shared_dir ]] || continue
    args=("${args[@]//@SHARED@/$shared_dir}")
  fi
  # Drop any --format and its value, then ask for JSON.
  kept=()
  skip=0
  for a in "${args[@]}"; do
    if [[ $skip -eq 1 ]]; then skip=0; continue; fi
    if [[ $a == --format ]]; then skip=1; continue; fi
    kept+=("$a")
  done
  n=$((n + 1))
  out=$work/plan-$n.json
  code=0
  (cd "$case_dir" && "$binary" "${kept[@]}" --format json > "$out" 2> /dev/null) || code=$?
  if [[ $code -eq 0 || $code -eq 10 ]]; then
    files+=("$out")
  fi
done
"$binary" recommend --task tool-use --privacy airgap --background --federated \
  --target desktop-rtx-4090 --format json > "$work/airgap.json"
files+=("$work/airgap.json")
/usr/bin/python3 "$validate" "$schema" "${files[@]}"
echo "validated ${#files[@]} plan documents against $(basename "$schema")"
