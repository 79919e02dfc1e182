#!/bin/sh
# Unloads the model and stops the LM Studio server.
lms unload edgeplan-gemma-4-26b-a4b-it
lms server stop
