#!/usr/bin/env python3
"""Build eventwire/data/roads.geojson, the basemap's road layer, from tools/data/roads.json.

No registry package reachable here holds the theatre's roads, so they are hand-entered facts:
each road's number and the towns it passes, in order. Each town is resolved through the
packaged gazetteer (eventwire/data/gazetteer.tsv, built from registry packages): the most
populous populated place of that name, in the road's country first, then a neighbour
(Beirut for the Damascus road); 'Name|Admin1' picks among namesakes. The road is drawn as
straight segments between its towns: APPROXIMATE, not the road's real course.

Usage: .venv/bin/python tools/build_roads.py && .venv/bin/python tools/build_manifest.py --rebuilt roads.geojson
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SOURCE = ROOT / "tools" / "data" / "roads.json"
TARGET = ROOT / "eventwire" / "data" / "roads.geojson"
NEIGHBOURS = ("SY", "IQ", "LB", "JO", "TR")


def resolve(gaz, waypoint: str, country: str):
    name, _, admin1 = waypoint.partition("|")
    towns = [p for p in gaz.by_name(name) if p.kind == "P" and p.cc in NEIGHBOURS
             and (not admin1 or p.admin1 == admin1)]
    if not towns:
        return None
    return max(towns, key=lambda p: (p.cc == country, p.population, p.id))


def main() -> None:
    from eventwire.gazetteer import load_gazetteer
    gaz = load_gazetteer(overlay=str(ROOT / "no-overlay"))  # the packaged gazetteer only
    features, missing = [], []
    for road in json.loads(SOURCE.read_text("utf-8"))["roads"]:
        points = []
        for waypoint in road["towns"]:
            town = resolve(gaz, waypoint, road["country"])
            if town is None:
                missing.append(f"{road['ref']}: {waypoint}")
                continue
            points.append([round(town.lon, 4), round(town.lat, 4)])
        features.append({"type": "Feature",
                         "properties": {"ref": road["ref"], "name": road["name"],
                                        "towns": road["towns"]},
                         "geometry": {"type": "LineString", "coordinates": points}})
    if missing:
        raise SystemExit("build_roads: towns the gazetteer does not know: " + "; ".join(missing))
    TARGET.write_text(json.dumps({"type": "FeatureCollection", "features": features},
                                 ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{TARGET.relative_to(ROOT)}: {len(features)} roads, "
          f"{sum(len(f['geometry']['coordinates']) for f in features)} towns")


if __name__ == "__main__":
    main()
