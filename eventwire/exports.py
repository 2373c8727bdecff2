"""Write linked events as JSONL (the EVENTS.md record), GeoJSON or ACLED-compatible CSV.

The CSV has ACLED's current 31 columns in ACLED's order, with ACLED's text labels for actor
types and interactions, `source` as the `; `-joined outlet names and `source_scale` derived
from each outlet's home country and reach (eventwire/data/outlet_scales.tsv) relative to the
event's country. Country codes and ACLED regions come from eventwire/data/acled_regions.tsv.
"""
from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Iterable, Optional, TextIO

from .errors import BadRequest
from .records import Event
from .store.db import StoredEvent

__all__ = ["ACLED_COLUMNS", "FORMATS", "acled_row", "load_export_tables", "write_events"]

FORMATS = ("jsonl", "geojson", "acled-csv")

ACLED_COLUMNS = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2",
    "admin3", "location", "latitude", "longitude", "geo_precision", "source", "source_scale",
    "notes", "fatalities", "tags", "timestamp",
)

# ACLED's actor-type labels for the numeric inter codes 1..8.
_INTER = {1: "State forces", 2: "Rebel group", 3: "Political militia", 4: "Identity militia",
          5: "Rioters", 6: "Protesters", 7: "Civilians", 8: "External/Other forces"}
_DISORDER = {
    "Battles": "Political violence",
    "Explosions/Remote violence": "Political violence",
    "Violence against civilians": "Political violence",
    "Strategic developments": "Strategic developments",
    "Protests": "Demonstrations",
    "Riots": "Demonstrations",
}
# Sub-types whose disorder type differs from their event type's.
_DISORDER_SUB = {"Excessive force against protesters": "Political violence; Demonstrations",
                 "Mob violence": "Political violence"}
_SCALE_ORDER = ("Local partner", "Subnational", "National", "Regional", "International",
                "New media", "Other")


@dataclass(frozen=True)
class ExportTables:
    """Lookup tables the ACLED export needs."""

    countries: dict[str, tuple[str, int, str]]  # lower-case name -> (iso3, isonumeric, region)
    outlets: dict[str, tuple[str, str]]  # lower-case outlet -> (home iso3, reach)


@lru_cache(maxsize=1)
def load_export_tables() -> ExportTables:
    """Load the packaged country/region and outlet tables."""
    data = resources.files("eventwire.data")
    countries = {}
    for line in data.joinpath("acled_regions.tsv").read_text("utf-8").splitlines()[1:]:
        name, iso3, num, region = line.split("\t")
        countries[name.lower()] = (iso3, int(num), region)
    outlets = {}
    for line in data.joinpath("outlet_scales.tsv").read_text("utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, iso3, reach = line.split("\t")
            outlets[name.lower()] = (iso3, reach)
    return ExportTables(countries, outlets)


def write_events(events: Iterable[StoredEvent], fmt: str, out: TextIO) -> int:
    """Write events to `out` in `fmt` (one of FORMATS); returns how many were written."""
    if fmt == "jsonl":
        return _write_jsonl(events, out)
    if fmt == "geojson":
        return _write_geojson(events, out)
    if fmt == "acled-csv":
        return _write_acled(events, out, load_export_tables())
    raise BadRequest(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")


def _write_jsonl(events: Iterable[StoredEvent], out: TextIO) -> int:
    n = 0
    for stored in events:
        out.write(json.dumps(stored.event.to_record(), ensure_ascii=False) + "\n")
        n += 1
    return n


def _write_geojson(events: Iterable[StoredEvent], out: TextIO) -> int:
    # Streamed feature by feature so a large export never sits in memory.
    out.write('{"type": "FeatureCollection", "features": [')
    n = 0
    for stored in events:
        out.write((",\n" if n else "\n") + json.dumps(_feature(stored), ensure_ascii=False))
        n += 1
    out.write("\n]}\n")
    return n


def _feature(stored: StoredEvent) -> dict:
    rec = stored.event.to_record()
    lon, lat = rec.get("longitude"), rec.get("latitude")
    # RFC 7946 allows a null geometry: an event without coordinates is still an event.
    geometry = {"type": "Point", "coordinates": [lon, lat]} if None not in (lon, lat) else None
    rec["n_sources"] = stored.n_sources
    return {"type": "Feature", "id": rec["event_id"], "geometry": geometry, "properties": rec}


def _write_acled(events: Iterable[StoredEvent], out: TextIO, tables: ExportTables) -> int:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(ACLED_COLUMNS)
    n = 0
    for stored in events:
        row = acled_row(stored, tables)
        writer.writerow(["" if row[c] is None else row[c] for c in ACLED_COLUMNS])
        n += 1
    return n


def acled_row(stored: StoredEvent, tables: ExportTables) -> dict:
    """One event as an ACLED row (column name -> value; None for unknown)."""
    e = stored.event
    iso3, isonum, region = tables.countries.get((e.country or "").lower(), (None, None, None))
    outlets = list(dict.fromkeys(s.outlet for s in e.sources if s.outlet))
    return {
        "event_id_cnty": e.event_id, "event_date": e.event_date,
        "year": e.event_date[:4] if e.event_date else None,
        "time_precision": e.time_precision,
        "disorder_type": _DISORDER_SUB.get(e.sub_event_type, _DISORDER.get(e.event_type)),
        "event_type": e.event_type, "sub_event_type": e.sub_event_type,
        "actor1": e.actor1, "assoc_actor_1": e.assoc_actor_1, "inter1": _INTER.get(e.inter1),
        "actor2": e.actor2, "assoc_actor_2": e.assoc_actor_2, "inter2": _INTER.get(e.inter2),
        "interaction": _interaction(e), "civilian_targeting":
            "Civilian targeting" if e.civilian_targeting else None,
        "iso": isonum, "region": region or None, "country": e.country, "admin1": e.admin1,
        "admin2": e.admin2, "admin3": e.admin3, "location": e.location,
        "latitude": _coord(e.latitude), "longitude": _coord(e.longitude),
        "geo_precision": e.geo_precision, "source": "; ".join(outlets) or None,
        "source_scale": _source_scale(outlets, iso3, region, tables),
        "notes": e.notes, "fatalities": e.fatalities, "tags": "; ".join(e.tags) or None,
        "timestamp": stored.updated_at,
    }


def _interaction(e: Event) -> Optional[str]:
    codes = sorted(c for c in (e.inter1, e.inter2) if c in _INTER)
    if not codes:
        return None
    if len(codes) == 1:
        return f"{_INTER[codes[0]]} only"
    return f"{_INTER[codes[0]]}-{_INTER[codes[1]]}"


def _coord(value: Optional[float]) -> Optional[str]:
    return None if value is None else f"{value:.4f}"  # ACLED's four decimals


def _source_scale(outlets: list[str], iso3: Optional[str], region: Optional[str],
                  tables: ExportTables) -> Optional[str]:
    scales = {_outlet_scale(o, iso3, region, tables) for o in outlets} - {None}
    ordered = [s for s in _SCALE_ORDER if s in scales]
    return "-".join(ordered) or None


def _outlet_scale(outlet: str, iso3: Optional[str], region: Optional[str],
                  tables: ExportTables) -> Optional[str]:
    known = tables.outlets.get(outlet.lower().strip())
    if known is None:
        return None
    home, reach = known
    if reach in ("international", "new media", "other"):
        return reach.capitalize() if reach != "new media" else "New media"
    if home == iso3:
        return reach.capitalize()
    home_region = next((r for i, _, r in tables.countries.values() if i == home), None)
    return "Regional" if region and home_region == region else "International"

