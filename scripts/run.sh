#!/usr/bin/env bash
# Set up and run the main job on the embedded default: ingest the sample articles into the
# SQLite store (./eventwire.sqlite, or $EVENTWIRE_DB), export them, and open the dashboard
# at http://127.0.0.1:8000/ (Ctrl-C stops it; set EVENTWIRE_NO_SERVE=1 to skip serving).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
mkdir -p out
.venv/bin/eventwire ingest samples/seeds.jsonl
.venv/bin/eventwire export --format jsonl --output out/sample-events.jsonl
.venv/bin/eventwire export --format acled-csv --output out/sample-events.csv
echo "$(wc -l < out/sample-events.jsonl) events in the store; exported to out/sample-events.jsonl and .csv"
if [ -z "${EVENTWIRE_NO_SERVE:-}" ]; then
  echo "dashboard: http://127.0.0.1:${PORT:-8000}/"
  exec .venv/bin/eventwire serve --host 127.0.0.1 --port "${PORT:-8000}"
fi
