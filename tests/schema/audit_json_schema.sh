#!/usr/bin/env bash
# The JSON that `edgeplan audit --format json` prints validates against
# data/schema/hardware-profile.schema.json: live, from every shared topology, and from
# the project's own profile fixtures.
set -euo pipefail
binary=$1
source_dir=$2
shared_dir=${3:-}
schema=$source_dir/data/schema/hardware-profile.schema.json
validate=$source_dir/tests/schema/validate_json.py
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$binary" audit --format json > "$work/live.json"
files=("$work/live.json")
for profile in "$source_dir"/tests/e2e/cases/profile-workstation-json/*.json; do
  "$binary" audit --hardware "$profile" --format json > "$work/$(basename "$profile")"
  files+=("$work/$(basename "$profile")")
done
if [[ -n $shared_dir && -d $shared_dir/topologies ]]; then
  for xml in "$shared_dir"/topologies/*.xml; do
    out=$work/$(basename "$xml" .xml).json
    "$binary" audit --topology "$xml" --format json > "$out"
    files+=("$out")
  done
else
  echo "SKIPPED part: ../shared/topologies not found; validated live and fixture profiles only"
fi
/usr/bin/python3 "$validate" "$schema" "${files[@]}"
echo "validated ${#files[@]} audit documents against $(basename "$schema")"
