#!/bin/sh
# Debian tools the tests use: poppler-utils (pdftoppm renders the brief's PDF to PNG).
# Idempotent; the PDF test skips with a clear reason when pdftoppm is absent.
set -eu
command -v pdftoppm >/dev/null 2>&1 && exit 0
if [ "$(id -u)" != 0 ]; then
    echo "tools.sh: installing poppler-utils needs root (apt-get)" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get install -y --no-install-recommends poppler-utils >&2 \
    || { apt-get update >&2 && apt-get install -y --no-install-recommends poppler-utils >&2; }
