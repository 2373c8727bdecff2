#!/bin/sh
# Debian tools the tests use: poppler-utils (pdftoppm renders the brief's PDF to PNG) and
# sqlite3 (the shell's .dump/restore renumbers rowids: tests/store/test_text_index.py).
# Idempotent; each test skips with a clear reason when its tool is absent.
set -eu
command -v pdftoppm >/dev/null 2>&1 && command -v sqlite3 >/dev/null 2>&1 && exit 0
if [ "$(id -u)" != 0 ]; then
    echo "tools.sh: installing poppler-utils and sqlite3 needs root (apt-get)" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get install -y --no-install-recommends poppler-utils sqlite3 >&2 \
    || { apt-get update >&2 && apt-get install -y --no-install-recommends poppler-utils sqlite3 >&2; }
