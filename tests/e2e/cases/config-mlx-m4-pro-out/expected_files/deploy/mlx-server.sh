#!/bin/sh
# mlx_lm.server for qwen3-8b mlx-affine-8bit-g64, written by edgeplan.
# OpenAI-compatible API on 127.0.0.1:8080.
exec mlx_lm.server \
  --model Qwen/Qwen3-8B \
  --max-kv-size 8192 \
  --decode-concurrency 1 \
  --max-tokens 256 \
  --host 127.0.0.1 \
  --port 8080
