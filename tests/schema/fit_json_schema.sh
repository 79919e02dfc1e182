#!/usr/bin/env bash
# The JSON that `edgeplan fit --format json` prints validates against
# data/schema/fit.schema.json: a fit on a GPU, MoE offload with an unknown figure, a
# does-not-fit with alternatives, vLLM, mlx-lm, CPU only and a --model-spec model.
set -euo pipefail
binary=$1
source_dir=$2
schema=$source_dir/data/schema/fit.schema.json
validate=$source_dir/tests/schema/validate_json.py
spec=$source_dir/tests/e2e/cases/fit-model-spec/tiny-llama.json
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

runs=(
  "--model llama-3.1-8b-instruct --target desktop-rtx-4090"
  "--model qwen3-30b-a3b --target laptop-rtx-4060"
  "--model llama-3.3-70b-instruct --target apple-m4-pro-20gpu"
  "--model gpt-oss-20b --quant MXFP4_MOE --target apple-m4-max-40gpu"
  "--model llama-3.1-8b-instruct --engine vllm --concurrency 16 --target desktop-rtx-4090"
  "--model qwen3-8b --engine mlx-lm --target apple-m4-pro-20gpu"
  "--model qwen3-4b --target desktop-ddr5-5600-2ch"
  "--model-spec $spec --target raspberry-pi-5-8gb"
)
files=()
for i in "${!runs[@]}"; do
  code=0
  # shellcheck disable=SC2086
  "$binary" fit ${runs[$i]} --format json > "$work/fit-$i.json" || code=$?
  if [[ $code -ne 0 && $code -ne 10 ]]; then
    echo "FAIL: edgeplan fit ${runs[$i]} exited $code"
    exit 1
  fi
  files+=("$work/fit-$i.json")
done
/usr/bin/python3 "$validate" "$schema" "${files[@]}"
echo "validated ${#files[@]} fit documents against $(basename "$schema")"
