#!/bin/sh
# GenieAPIService: OpenAI-compatible API on port 8910 (written by edgeplan).
exec GenieAPIService \
  -c models/llama-3.2-3b-instruct-genie/genie_config.json \
  -p 8910
