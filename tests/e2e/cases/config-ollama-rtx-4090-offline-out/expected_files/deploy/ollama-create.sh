#!/bin/sh
# Registers the model with the running server.
export OLLAMA_HOST=127.0.0.1:11434
exec ollama create edgeplan-gemma-4-26b-a4b-it -f Modelfile
