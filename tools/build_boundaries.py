"""Build eventwire/data/boundaries/countries.geojson from the npm package `world-atlas`.

Source: npm `world-atlas` 2.0.2 (Mike Bostock's pre-built TopoJSON of Natural Earth 1:50m
Admin 0 countries). Natural Earth is public domain; the packaging is ISC-licensed.
The TopoJSON is decoded here (quantised, delta-encoded arcs) into a GeoJSON FeatureCollection
with properties {name, iso_n3, iso3}; coordinates are rounded to 0.01 degree (about 1 km,
finer than the map ever draws) and repeated points dropped, which keeps the file small.

No registry package ships open-licence admin-1 polygons for Syria or Iraq (amCharts geodata is
linkware, Highcharts' map collection needs a Highcharts licence). An approximate admin-1 layer
(Voronoi cells of GeoNames places per admin1, clipped to these country outlines) is built by
tools/build_admin1_boundaries.py from this file and the gazetteer.

Usage:
    npm install --prefix /tmp/world-atlas world-atlas@2.0.2
    python tools/build_boundaries.py /tmp/world-atlas/node_modules/world-atlas/countries-50m.json
"""
from __future__ import annotations

import csv
import hashlib
import json
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]
OUT_DIR = ROOT / "eventwire" / "data" / "boundaries"
REGIONS = ROOT / "eventwire" / "data" / "acled_regions.tsv"
DECIMALS = 2

Ring = list[tuple[float, float]]


def decode_arcs(topo: dict) -> list[Ring]:
    """Undo quantisation and delta encoding of every arc."""
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def _ring(indices: list[int], arcs: list[Ring]) -> Ring:
    """Join arcs into one ring; a negative index ~i means arc i reversed."""
    ring: Ring = []
    for index in indices:
        points = arcs[index] if index >= 0 else arcs[~index][::-1]
        ring.extend(points[1:] if ring else points)
    return ring


def _round_ring(ring: Ring) -> list[list[float]]:
    """Round coordinates and drop the repeats that rounding creates."""
    out: list[list[float]] = []
    for x, y in ring:
        point = [round(x, DECIMALS), round(y, DECIMALS)]
        if not out or point != out[-1]:
            out.append(point)
    if out and out[0] != out[-1]:
        out.append(out[0])
    return out


def _polygon(rings: list[list[int]], arcs: list[Ring]) -> list[list[list[float]]]:
    """Decode a polygon's rings, keeping only rings that still enclose an area."""
    decoded = [_round_ring(_ring(r, arcs)) for r in rings]
    return [r for r in decoded if len(r) >= 4]


def to_feature(geom: dict, arcs: list[Ring], iso3_by_num: dict[str, str]) -> dict | None:
    """Turn one TopoJSON geometry into a GeoJSON Feature (None if nothing is left)."""
    if geom["type"] == "Polygon":
        polys = [_polygon(geom["arcs"], arcs)]
    elif geom["type"] == "MultiPolygon":
        polys = [_polygon(p, arcs) for p in geom["arcs"]]
    else:
        return None
    polys = [p for p in polys if p]
    if not polys:
        return None
    iso_n3 = str(geom.get("id", ""))
    props = {"name": geom["properties"]["name"], "iso_n3": iso_n3,
             "iso3": iso3_by_num.get(iso_n3.lstrip("0"), "") if iso_n3 else ""}
    shape = ({"type": "Polygon", "coordinates": polys[0]} if len(polys) == 1
             else {"type": "MultiPolygon", "coordinates": polys})
    return {"type": "Feature", "properties": props, "geometry": shape}


def load_iso3() -> dict[str, str]:
    """ISO numeric (no leading zeros) -> ISO3, from the package's acled_regions.tsv."""
    with REGIONS.open(encoding="utf-8") as fh:
        return {row["isonumeric"].lstrip("0"): row["iso3"]
                for row in csv.DictReader(fh, delimiter="\t") if row["isonumeric"].strip("0")}


def main(src: str) -> None:
    topo = json.loads(pathlib.Path(src).read_text(encoding="utf-8"))
    arcs = decode_arcs(topo)
    iso3 = load_iso3()
    geoms = topo["objects"]["countries"]["geometries"]
    features = [f for g in geoms if (f := to_feature(g, arcs, iso3))]
    features.sort(key=lambda f: (f["properties"]["name"], f["properties"]["iso_n3"]))
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    out = OUT_DIR / "countries.geojson"
    text = json.dumps({"type": "FeatureCollection", "features": features},
                      separators=(",", ":"), ensure_ascii=False)
    out.write_text(text + "\n", encoding="utf-8")
    digest = hashlib.sha256(out.read_bytes()).hexdigest()
    print(f"wrote {len(features)} countries, {out.stat().st_size} bytes, sha256 {digest}")


if __name__ == "__main__":
    main(sys.argv[1])
