#!/usr/bin/env bash
# Set up and run every test: unit and integration tests, then the evaluation gate that keeps
# the benchmark scores from dropping. This is the command .ci/run calls.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
if [ -x .ci/postgres.sh ] && [ "$(id -u)" = 0 ] && [ -z "${EVENTWIRE_TEST_PG:-}" ]; then
  # a real PostgreSQL on loopback for the store tests (Debian's package)
  EVENTWIRE_TEST_PG=$(.ci/postgres.sh | tail -n 1) && export EVENTWIRE_TEST_PG
fi
.venv/bin/python -m pytest -q
if [ -d ../shared/eval ]; then
  .venv/bin/python eval/gate.py
else
  echo "eval gate skipped: ../shared/eval is not beside this checkout"
fi
