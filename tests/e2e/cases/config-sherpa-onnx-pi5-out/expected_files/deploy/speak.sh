#!/bin/sh
# sherpa-onnx text-to-speech for piper-en-us-lessac-medium fp32 (CPU, 4 threads), written by edgeplan.
# Usage: ./speak.sh "Text to say." [out.wav]  (no server, no port: one process per request; the real-time factor is printed on stderr)
text=${1:?usage: ./speak.sh "text" [out.wav]}
out=${2:-speech.wav}
exec sherpa-onnx-offline-tts \
  --vits-model=models/vits-piper-en_US-lessac-medium/en_US-lessac-medium.onnx \
  --vits-tokens=models/vits-piper-en_US-lessac-medium/tokens.txt \
  --vits-data-dir=models/vits-piper-en_US-lessac-medium/espeak-ng-data \
  --num-threads=4 \
  --provider=cpu \
  --tts-max-num-sentences=1 \
  --output-filename="$out" \
  "$text"
