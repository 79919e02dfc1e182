#!/bin/sh
# The same server, its settings read from vllm-config.yaml.
export VLLM_NO_USAGE_STATS=1
export HF_HUB_OFFLINE=1
export VLLM_ALLOW_RUNTIME_LORA_UPDATING=True
exec vllm serve \
  --config vllm-config.yaml
