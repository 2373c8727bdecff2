#!/usr/bin/env bash
# Set up and run every test: unit and integration tests (the store against a real PostgreSQL,
# the dashboard in a real headless Chromium, the brief's PDF through pdftoppm, where the
# machine lets us install them from Debian), then the evaluation gate that keeps the
# benchmark scores from dropping. This is the command .ci/run calls.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  .ci/tools.sh || echo "test.sh: poppler-utils/sqlite3 unavailable; the PDF rendering and dump-restore tests will skip"
  .ci/browser.sh || echo "test.sh: chromium unavailable; the browser tests will skip"
  if [ -z "${EVENTWIRE_TEST_PG:-}" ]; then
    EVENTWIRE_TEST_PG=$(.ci/postgres.sh | tail -n 1) && export EVENTWIRE_TEST_PG \
      || echo "test.sh: PostgreSQL unavailable; the PostgreSQL store tests will skip"
  fi
fi
.venv/bin/python -m pytest -q
if [ -d ../shared/eval ]; then
  .venv/bin/python eval/gate.py
elif [ "${CI:-}" = "true" ]; then
  echo "eval gate FAILED: ../shared/eval is not beside this checkout (CI=true)"; exit 1
else
  echo "eval gate skipped: ../shared/eval is not beside this checkout"
fi
