#!/bin/sh
# whisper-server for whisper-small Q8_0 (CPU), written by edgeplan.
# POST audio to http://127.0.0.1:8080/inference
exec whisper-server \
  --model models/ggml-small-q8_0.bin \
  --host 127.0.0.1 \
  --port 8080 \
  --threads 12 \
  --processors 1 \
  --flash-attn \
  --no-gpu
