#!/bin/sh
# mlx_lm.server for gpt-oss-20b mlx-affine-4bit-g64, written by edgeplan.
# OpenAI-compatible API on 127.0.0.1:8080.
exec mlx_lm.server \
  --model openai/gpt-oss-20b \
  --max-kv-size 8192 \
  --decode-concurrency 1 \
  --max-tokens 256 \
  --host 127.0.0.1 \
  --port 8080
