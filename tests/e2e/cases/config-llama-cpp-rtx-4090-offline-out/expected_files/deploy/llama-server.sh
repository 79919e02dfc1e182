#!/bin/sh
# llama-server for qwen3-30b-a3b IQ4_XS (llama.cpp master@00dc8057), written by edgeplan.
# OpenAI-compatible API on 127.0.0.1:8080; context 8192 tokens per slot x 1 slot(s).
exec llama-server \
  -m models/Qwen3-30B-A3B-IQ4_XS.gguf \
  --offline \
  --alias qwen3-30b-a3b \
  -c 8192 \
  -np 1 \
  -ngl 49 \
  -fa on \
  -ctk f16 \
  -ctv f16 \
  -b 2048 \
  -ub 512 \
  --metrics \
  --host 127.0.0.1 \
  --port 8080
