#!/bin/sh
# vLLM server for phi-4 fp8-e4m3-per-tensor, written by edgeplan.
# OpenAI-compatible API on 127.0.0.1:8000.
export VLLM_NO_USAGE_STATS=1
export HF_HUB_OFFLINE=1
export VLLM_ALLOW_RUNTIME_LORA_UPDATING=True
exec vllm serve models/phi-4 \
  --served-model-name phi-4 \
  --max-model-len 8192 \
  --max-num-seqs 1 \
  --gpu-memory-utilization 0.90 \
  --enable-prefix-caching \
  --quantization fp8 \
  --enable-lora \
  --max-loras 1 \
  --lora-modules adapter1=adapters/support \
  --host 127.0.0.1 \
  --port 8000
