#!/bin/sh
# LM Studio server for qwen3-30b-a3b Q4_K_M, written by edgeplan.
# OpenAI-compatible API on port 1234; the model answers as `edgeplan-qwen3-30b-a3b`.
set -e
lms server start \
  --port 1234
lms load Qwen/Qwen3-30B-A3B-GGUF/Qwen3-30B-A3B-Q4_K_M.gguf \
  --context-length 8192 \
  --gpu max \
  --identifier edgeplan-qwen3-30b-a3b
