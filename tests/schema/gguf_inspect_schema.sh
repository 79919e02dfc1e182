#!/usr/bin/env bash
# `edgeplan inspect --format json` on every valid GGUF fixture validates against
# data/schema/gguf-inspect.schema.json.
set -euo pipefail
binary=$1
source_dir=$2
schema=$source_dir/data/schema/gguf-inspect.schema.json
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
files=()
for gguf in "$source_dir"/tests/fixtures/gguf/*.gguf; do
  out=$work/$(basename "$gguf" .gguf).json
  "$binary" inspect "$gguf" --format json > "$out"
  files+=("$out")
done
/usr/bin/python3 "$source_dir/tests/schema/validate_json.py" "$schema" "${files[@]}"
echo "validated ${#files[@]} inspect documents against $(basename "$schema")"
