"""Build eventwire/data/boundaries/admin2.geojson: APPROXIMATE admin-2 (district) polygons.

The same method as tools/build_admin1_boundaries.py, one level down: inside each approximate
admin-1 area of admin1.geojson, every gazetteer place that names its district (the district
rows "a2:..." at their seats, and populated places with an admin-2 name; GeoNames via
eventwire/data/gazetteer.tsv, CC BY 4.0) gets its Voronoi cell, and the cells of one district
are merged and clipped to the admin-1 area. Borders run halfway between the nearest places
of neighbouring districts; every feature says `"approximate": true`. The dashboard uses the
layer only to shade districts by their events (events carry their own admin2 from the
gazetteer). Deterministic: the same inputs give the same file byte for byte.

Usage:
    python tools/build_admin2_boundaries.py            # Syria and Iraq, the packaged file
    python tools/build_admin2_boundaries.py --countries SY --out x.geojson

Needs shapely >= 2.1 (the `build` extra).
"""
from __future__ import annotations

import argparse
import json
import pathlib
import sys
from collections import defaultdict

import shapely
from shapely.geometry import mapping, shape

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from build_admin1_boundaries import (DATA, GAZETTEER, _polygons_only, _rounded,  # noqa: E402
                                     admin1_polygons)

ADMIN1 = DATA / "boundaries" / "admin1.geojson"
OUT = DATA / "boundaries" / "admin2.geojson"
DEFAULT_COUNTRIES = ("SY", "IQ")


def read_district_points(path: pathlib.Path, countries: set[str]
                         ) -> dict[tuple[str, str], dict[tuple, str]]:
    """(country, (admin1 as the gazetteer spells it, as ACLED does)) -> {(lon, lat): admin2}
    of the places naming their district."""
    from eventwire.resources import load_gazetteer
    gaz = load_gazetteer(overlay=str(path.parent / "no-overlay.tsv"))
    out: dict[tuple[str, tuple[str, str]], dict[tuple, str]] = defaultdict(dict)
    for line in path.read_text("utf-8").splitlines():
        f = line.split("\t")
        if len(f) < 9 or f[2] not in countries or not f[3] or not f[4] or f[8] not in ("P", "A2"):
            continue
        admin1 = (f[3], gaz.acled_admin1.get((f[2], f[3]), f[3]))  # (gazetteer, ACLED)
        key = (round(float(f[6]), 4), round(float(f[5]), 4))
        seen = out[(f[2], admin1)].get(key)
        if seen is None or f[4] < seen:
            out[(f[2], admin1)][key] = f[4]
    return out


def build(countries: set[str]) -> dict:
    areas = {(f["properties"]["country"], f["properties"]["name"]):
             shapely.make_valid(shape(f["geometry"]))
             for f in json.loads(ADMIN1.read_text("utf-8"))["features"]}
    points = read_district_points(GAZETTEER, countries)
    features = []
    for (cc, (gaz_name, admin1)), pts in sorted(points.items()):
        area = areas.get((cc, admin1)) or areas.get((cc, gaz_name))
        if area is None:
            print(f"skipped {cc} {admin1}: no admin-1 area")
            continue
        for name, geom in admin1_polygons(pts, area).items():
            geom_json = mapping(geom) if geom.geom_type in ("Polygon", "MultiPolygon") \
                else _polygons_only(geom)
            features.append({"type": "Feature", "properties": {
                "name": name, "admin1": admin1, "country": cc, "approximate": True},
                "geometry": geom_json})
    return {"type": "FeatureCollection", "features": features}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=str(OUT))
    ap.add_argument("--countries", default=",".join(DEFAULT_COUNTRIES),
                    help="comma-separated alpha-2 codes (default: SY,IQ)")
    args = ap.parse_args()
    collection = _rounded(build(set(args.countries.upper().split(","))))
    text = json.dumps(collection, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    pathlib.Path(args.out).write_text(text + "\n", "utf-8")
    print(f"wrote {args.out}: {len(collection['features'])} admin-2 units,"
          f" {len(text) / 1e6:.2f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
