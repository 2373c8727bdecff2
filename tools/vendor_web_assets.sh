#!/usr/bin/env bash
# Vendor the dashboard's map libraries into the package so `eventwire serve` works offline.
#
# Source: the npm registry packages `leaflet` (BSD-2-Clause) and `leaflet.markercluster`
# (MIT), pinned below. They are installed into a temporary directory and only their `dist`
# files are copied to eventwire/web/static/vendor/, with VERSIONS.json recording each
# package's version, licence, tarball integrity and the licence text beside the files.
# Re-run after changing a pin; the copied files are committed, nothing is fetched at run time.
set -euo pipefail
cd "$(dirname "$0")/.."

LEAFLET_VERSION="1.9.4"
MARKERCLUSTER_VERSION="1.5.3"
DEST="eventwire/web/static/vendor"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm init -y >/dev/null 2>&1 \
  && npm install --no-audit --no-fund --ignore-scripts \
       "leaflet@$LEAFLET_VERSION" "leaflet.markercluster@$MARKERCLUSTER_VERSION" >&2)

mods="$tmp/node_modules"
rm -rf "$DEST/leaflet" "$DEST/markercluster"
mkdir -p "$DEST/leaflet/images" "$DEST/markercluster"
cp "$mods/leaflet/dist/leaflet.js" "$mods/leaflet/dist/leaflet.css" "$DEST/leaflet/"
cp "$mods/leaflet/dist/images/"*.png "$DEST/leaflet/images/"
cp "$mods/leaflet/LICENSE" "$DEST/leaflet/LICENSE"
cp "$mods/leaflet.markercluster/dist/leaflet.markercluster.js" \
   "$mods/leaflet.markercluster/dist/MarkerCluster.css" \
   "$mods/leaflet.markercluster/dist/MarkerCluster.Default.css" "$DEST/markercluster/"
cp "$mods/leaflet.markercluster/MIT-LICENCE.txt" "$DEST/markercluster/LICENSE"

node -e '
const fs = require("fs");
const lock = JSON.parse(fs.readFileSync(process.argv[1] + "/package-lock.json", "utf8"));
const out = {};
for (const name of ["leaflet", "leaflet.markercluster"]) {
  const pkg = JSON.parse(fs.readFileSync(process.argv[1] + "/node_modules/" + name + "/package.json", "utf8"));
  const entry = lock.packages["node_modules/" + name];
  out[name] = {version: pkg.version, license: pkg.license, source: "npm registry",
               tarball: entry.resolved, integrity: entry.integrity};
}
process.stdout.write(JSON.stringify(out, null, 2) + "\n");
' "$tmp" > "$DEST/VERSIONS.json"
echo "vendored into $DEST:" >&2
cat "$DEST/VERSIONS.json" >&2
