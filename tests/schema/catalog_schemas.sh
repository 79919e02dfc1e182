#!/usr/bin/env bash
# Validates every catalogue file under data/ against its JSON Schema (python3-jsonschema).
#   catalog_schemas.sh <repository root>
set -u
root=$1
validator=$root/tests/schema/validate_json.py
status=0
check() { # schema, files...
  local schema=$1; shift
  if [[ ! -f $root/data/schema/$schema ]]; then
    echo "FAIL: data/schema/$schema is missing"; status=1; return
  fi
  /usr/bin/python3 "$validator" "$root/data/schema/$schema" "$@" || status=1
}
shopt -s nullglob
check model.schema.json "$root"/data/models/*.json
check engine.schema.json "$root"/data/engines/*.json
check target.schema.json "$root"/data/targets/*.json
check quantization.schema.json "$root"/data/quantizations/*.json
[[ $status -eq 0 ]] && echo "PASS: every catalogue file matches its schema"
exit $status
