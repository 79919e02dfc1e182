#!/bin/sh
# One prompt through Genie on the NPU (written by edgeplan).
exec genie-t2t-run \
  -c models/llama-3.2-3b-instruct-genie/genie_config.json \
  -p 'Say hello in one sentence.'
