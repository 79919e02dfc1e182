#!/bin/sh
# Writes the plan's settings into the model's Genie config (keeps a .orig copy).
set -e
exec python3 apply_overrides.py genie_config.overrides.json models/llama-3.2-3b-instruct-genie/genie_config.json
