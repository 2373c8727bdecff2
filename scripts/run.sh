#!/usr/bin/env bash
# Set up and run the main job on the sample articles: extract their events into
# out/sample-events.jsonl and print a summary.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
mkdir -p out
.venv/bin/eventwire extract samples/seeds.jsonl --output out/sample-events.jsonl
echo "$(wc -l < out/sample-events.jsonl) events written to out/sample-events.jsonl"
