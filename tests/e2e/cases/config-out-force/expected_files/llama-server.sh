#!/bin/sh
# llama-server for gemma-4-26b-a4b-it Q4_K_M (llama.cpp master@00dc8057), written by edgeplan.
# OpenAI-compatible API on 127.0.0.1:8080; context 8192 tokens per slot x 1 slot(s).
exec llama-server \
  -hf google/gemma-4-26B-A4B-it:Q4_K_M \
  --alias gemma-4-26b-a4b-it \
  -c 8192 \
  -np 1 \
  -ngl 31 \
  -fa on \
  -ctk f16 \
  -ctv f16 \
  -b 2048 \
  -ub 512 \
  --metrics \
  --host 127.0.0.1 \
  --port 8080
