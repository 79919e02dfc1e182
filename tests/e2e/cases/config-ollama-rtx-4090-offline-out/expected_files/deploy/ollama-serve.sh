#!/bin/sh
# Ollama server with the plan's settings, written by edgeplan.
# ollama-override.conf sets the same variables for the systemd service.
export OLLAMA_HOST=127.0.0.1:11434
export OLLAMA_CONTEXT_LENGTH=8192
export OLLAMA_NUM_PARALLEL=1
export OLLAMA_FLASH_ATTENTION=0
export OLLAMA_KV_CACHE_TYPE=f16
export OLLAMA_MAX_LOADED_MODELS=1
export OLLAMA_NO_CLOUD=1
exec ollama serve
