#!/bin/sh
# trtllm-serve for phi-4 fp8-e4m3-per-tensor, written by edgeplan.
# OpenAI-compatible API on 127.0.0.1:8000.
export HF_HUB_OFFLINE=1
exec trtllm-serve models/phi-4 \
  --backend pytorch \
  --max_batch_size 1 \
  --max_num_tokens 2048 \
  --max_seq_len 8192 \
  --config trtllm-config.yaml \
  --host 127.0.0.1 \
  --port 8000
