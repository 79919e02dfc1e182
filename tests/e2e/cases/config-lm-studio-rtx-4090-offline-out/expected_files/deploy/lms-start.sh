#!/bin/sh
# LM Studio server for gemma-4-26b-a4b-it Q4_K_M, written by edgeplan.
# OpenAI-compatible API on port 1234; the model answers as `edgeplan-gemma-4-26b-a4b-it`.
set -e
lms server start \
  --port 1234
lms load google/gemma-4-26B-A4B-it \
  --context-length 8192 \
  --gpu max \
  --identifier edgeplan-gemma-4-26b-a4b-it
