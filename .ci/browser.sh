#!/bin/sh
# Install what the dashboard's browser tests need: Debian's Chromium and its WebDriver
# (tests/web/test_dashboard.py drives them with Selenium from PyPI). Idempotent; the tests
# skip with a clear reason when chromium is absent.
set -eu
if command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; then
    exit 0
fi
if [ "$(id -u)" != 0 ]; then
    echo "browser.sh: installing chromium needs root (apt-get)" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get install -y --no-install-recommends chromium chromium-driver >&2 \
    || { apt-get update >&2 && apt-get install -y --no-install-recommends chromium chromium-driver >&2; }
chromium --version >&2 || true
