"""Build eventwire/data/boundaries/admin1.geojson: APPROXIMATE admin-1 polygons.

No registry package ships open-licence admin-1 polygons for Syria or Iraq (see SOURCES.md),
so this derives an honest approximation from data already in the repo:

1. the gazetteer's places (eventwire/data/gazetteer.tsv: GeoNames, CC BY 4.0), each with its
   country and admin-1 name in ACLED spelling;
2. per country, the Voronoi cell of every distinct place point (each cell is the area nearer
   that place than any other);
3. the cells of one admin-1 unit merged, clipped to the country's outline from
   eventwire/data/boundaries/countries.geojson (Natural Earth, public domain), simplified and
   rounded to 0.01 degree.

A border drawn this way runs halfway between the nearest towns on either side, so it can be
tens of kilometres off where places are sparse (deserts); every feature says
`"approximate": true` and the dashboard labels the layer so. Deterministic: the same inputs
give the same file byte for byte.

Usage:
    python tools/build_admin1_boundaries.py            # writes the packaged file
    python tools/build_admin1_boundaries.py --out x.geojson --countries SY,IQ

Needs shapely >= 2.1 (the `build` extra).
"""
from __future__ import annotations

import argparse
import json
import pathlib
from collections import defaultdict

import shapely
from shapely.geometry import MultiPoint, mapping, shape

ROOT = pathlib.Path(__file__).resolve().parents[1]
DATA = ROOT / "eventwire" / "data"
GAZETTEER = DATA / "gazetteer.tsv"
COUNTRIES = DATA / "boundaries" / "countries.geojson"
OUT = DATA / "boundaries" / "admin1.geojson"

# ISO 3166 alpha-2 (gazetteer) -> alpha-3 (Natural Earth outline). The focus countries of
# the project first, then neighbours and other conflict theatres the coder sees often.
FOCUS = {"SY": "SYR", "IQ": "IRQ", "TR": "TUR", "LB": "LBN", "JO": "JOR", "IL": "ISR",
         "PS": "PSE", "YE": "YEM", "AF": "AFG",
         "IR": "IRN", "SA": "SAU", "KW": "KWT", "EG": "EGY", "LY": "LBY", "SD": "SDN",
         "SS": "SSD", "SO": "SOM", "ET": "ETH", "ML": "MLI", "BF": "BFA", "NE": "NER",
         "TD": "TCD", "NG": "NGA", "PK": "PAK", "UA": "UKR", "AM": "ARM", "AZ": "AZE"}
SIMPLIFY_DEG = 0.02  # about 2 km: finer than the dashboard draws a thin admin line
DECIMALS = 2
_GRID = 0.001


def read_places(path: pathlib.Path, countries: set[str]) -> dict[str, dict[tuple, str]]:
    """country -> {(lon, lat): admin1} of the gazetteer's places with an admin-1 name.

    A point shared by places of two admin-1 units (rare) keeps the alphabetically first."""
    from eventwire.gazetteer import GazPlace  # the package's own parser of the file

    out: dict[str, dict[tuple, str]] = defaultdict(dict)
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            p = GazPlace.from_line(line.rstrip("\n"))
            if p.cc not in countries or not p.admin1 or p.kind == "PCL":
                continue
            key = (round(p.lon, 4), round(p.lat, 4))
            if key not in out[p.cc] or p.admin1 < out[p.cc][key]:
                out[p.cc][key] = p.admin1
    return out


def read_outlines(path: pathlib.Path) -> dict[str, object]:
    """iso3 -> shapely geometry of the country outline."""
    data = json.loads(path.read_text("utf-8"))
    return {f["properties"]["iso3"]: shapely.make_valid(shape(f["geometry"]))
            for f in data["features"] if f["properties"].get("iso3")}


def admin1_polygons(points: dict[tuple, str], outline) -> dict[str, object]:
    """admin1 -> its approximate polygon: the union of its places' Voronoi cells, clipped."""
    coords = sorted(points)
    if len({points[c] for c in coords}) < 2:
        # One unit only (or none): it is the whole country.
        return {points[c]: outline for c in coords[:1]}
    minx, miny, maxx, maxy = outline.bounds
    frame = shapely.box(minx - 5, miny - 5, maxx + 5, maxy + 5)
    cells = shapely.voronoi_polygons(MultiPoint(coords), extend_to=frame, ordered=True)
    groups: dict[str, list] = defaultdict(list)
    # GEOS can emit a self-touching cell where near-collinear places meet: repair first.
    for coord, cell in zip(coords, shapely.make_valid(shapely.get_parts(cells))):
        groups[points[coord]].append(cell)
    out = {}
    for name in sorted(groups):
        # Snapping to a 0.001-degree grid keeps GEOS robust where many cell edges meet
        # (an exact union of near-degenerate cells can raise TopologyException).
        area = shapely.intersection(shapely.union_all(groups[name], grid_size=_GRID), outline,
                                    grid_size=_GRID)
        area = shapely.simplify(area, SIMPLIFY_DEG, preserve_topology=True)
        area = shapely.set_precision(area, 10 ** -DECIMALS)
        if not area.is_empty:
            out[name] = area
    return out


def _polygons_only(geom) -> dict:
    """GeoJSON of the polygonal parts (clipping can leave stray lines or points)."""
    parts = [g for g in shapely.get_parts(geom) if g.geom_type in ("Polygon", "MultiPolygon")]
    merged = shapely.union_all(parts) if len(parts) > 1 else parts[0]
    return mapping(merged)


def build(countries: dict[str, str]) -> dict:
    """The FeatureCollection for these countries (alpha-2 -> alpha-3)."""
    places = read_places(GAZETTEER, set(countries))
    outlines = read_outlines(COUNTRIES)
    features = []
    for cc in sorted(countries):
        outline = outlines.get(countries[cc])
        if outline is None or not places.get(cc):
            print(f"skipped {cc}: no outline or no places")
            continue
        for name, geom in admin1_polygons(places[cc], outline).items():
            if geom.geom_type not in ("Polygon", "MultiPolygon"):
                geom_json = _polygons_only(geom)
            else:
                geom_json = mapping(geom)
            features.append({"type": "Feature", "properties": {
                "name": name, "country": cc, "approximate": True}, "geometry": geom_json})
    return {"type": "FeatureCollection", "features": features}


def _rounded(value):
    """Coordinates rounded to DECIMALS (set_precision leaves float noise like 36.010000001)."""
    if isinstance(value, float):
        return round(value, DECIMALS)
    if isinstance(value, (list, tuple)):
        return [_rounded(v) for v in value]
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    return value


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=str(OUT))
    ap.add_argument("--countries", help="comma-separated alpha-2 codes (default: all of FOCUS)")
    args = ap.parse_args()
    chosen = FOCUS if not args.countries else {
        c: FOCUS[c] for c in args.countries.upper().split(",")}
    collection = _rounded(build(chosen))
    text = json.dumps(collection, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    pathlib.Path(args.out).write_text(text + "\n", "utf-8")
    n = len(collection["features"])
    print(f"wrote {args.out}: {n} admin-1 units of {len(chosen)} countries,"
          f" {len(text) / 1e6:.2f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
