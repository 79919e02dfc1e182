#!/bin/sh
# Unloads the model and stops the LM Studio server.
lms unload edgeplan-qwen3-30b-a3b
lms server stop
