"""Places a user imports into the gazetteer's overlay (`eventwire gazetteer add`): GeoNames
dumps, UCDP GED places files, OCHA p-coded communities and analysts' CSV files, merged into
the overlay file every later run reads (resources.place_overlay_path()).

The command's own file reading and writing lives here; the gazetteer (gazetteer.py) only parses
what resources.py reads for it.
"""
from __future__ import annotations

import csv
import io
import json
import math
import os
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterator, Optional

from .gazetteer import FOLD, OVERLAY_COLUMNS, SEAT_PREFIX, SKEL, GazPlace, Gazetteer, fold_key, name_keys, parse_admin1
from .resources import data_text, load_gazetteer



@dataclass(frozen=True)
class _Kinds:
    """Which rows of an imported file name a place (data/gazetteer_kinds.json)."""

    units: dict[str, str]
    features: frozenset[str]
    skip_kinds: frozenset[str]
    skip_names: tuple[re.Pattern, ...]


@lru_cache(maxsize=1)
def _import_kinds() -> _Kinds:
    d = json.loads(data_text("gazetteer_kinds.json"))
    return _Kinds(d["geonames_units"], frozenset(f["code"] for f in d["geonames_features"]),
                  frozenset(k["kind"] for k in d["skip_kinds"]),
                  tuple(re.compile(n["pattern"]) for n in d["skip_names"]))


UNPLACED: dict[str, str] = {}  # a row without coordinates that nothing known places


class PlaceFileError(ValueError):
    """A row of an imported place file that cannot be read: one line naming file and line."""


def merge_places(gaz_path: str | os.PathLike, file: str | os.PathLike,
                 admin1: Optional[dict[tuple[str, str], str]] = None) -> dict:
    """Merge places from a GeoNames dump (SY.txt), a UCDP GED places file, an OCHA p-coded
    communities file or an analyst CSV into an overlay file.

    Args:
        gaz_path: the overlay TSV to create or extend (see resources.place_overlay_path()).
        file: a GeoNames tab-separated dump (19 columns, no header) or a CSV/TSV with a header
            holding at least a name (latitude, longitude, country, admin1, admin2, admin3,
            alternates or alt_names, kind, population, source_id, source optional). A row
            without coordinates (OCHA's communities) is placed on the gazetteer place it names
            in its region, else on its sub-district's (or district's) seat town at precision 2.
        admin1: (country code, admin1 code) -> name, to name GeoNames admin1 codes; defaults
            to the packaged admin1 table.
    Returns:
        {"read", "added", "updated", "skipped": rows naming no point, "unplaced": rows without
        coordinates that nothing known places, "errors": one line per
        unreadable row ("FILE:LINE: why")}; every readable row is merged.
    """
    gaz_path, file = Path(gaz_path), Path(file)
    if admin1 is None:
        admin1 = parse_admin1(data_text("admin1.tsv"))
    existing: dict[str, dict[str, str]] = {}
    if gaz_path.exists():
        with open(gaz_path, encoding="utf-8", newline="") as fh:
            existing = {r["id"]: r for r in csv.DictReader(fh, delimiter="\t")}
    stats: dict = {"read": 0, "added": 0, "updated": 0, "skipped": 0, "unplaced": 0, "errors": []}
    placer = _Placer(gaz_path)
    for row in read_user_places(file, admin1, placer):
        if isinstance(row, PlaceFileError):
            stats["errors"].append(str(row))
            continue
        stats["read"] += 1
        if row is None or row is UNPLACED:
            stats["skipped" if row is None else "unplaced"] += 1
            continue
        stats["updated" if row["id"] in existing else "added"] += 1
        existing[row["id"]] = row
    gaz_path.parent.mkdir(parents=True, exist_ok=True)
    with open(gaz_path, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, OVERLAY_COLUMNS, delimiter="\t", lineterminator="\n",
                           extrasaction="ignore")
        w.writeheader()
        w.writerows(existing.values())
    return stats


_GEONAMES_COLUMNS = 19


def read_user_places(file: Path, admin1: dict[tuple[str, str], str], placer: "_Placer"
                     ) -> Iterator[Optional[dict[str, str]] | PlaceFileError]:
    """Overlay rows (None for a row naming no point, a PlaceFileError for a bad row)."""
    try:
        text = file.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PlaceFileError(f"{file.name}: not UTF-8 text ({exc.reason})") from exc
    first = text.split("\n", 1)[0]
    if first.split("\t")[0].isdigit() and first.count("\t") >= 8:
        yield from _geonames_rows(text, admin1, file.name)
    elif "name" in {c.strip().lower() for c in re.split(r"[\t,]", first)} | (
            {"location"} & {c.strip().lower() for c in re.split(r"[\t,]", first)}):
        yield from _headed_rows(text, "\t" if "\t" in first else ",", file.name, placer)
    else:
        raise PlaceFileError(f"{file.name}:1: unknown format (neither a GeoNames dump nor a "
                             "file with a header naming a 'name' column)")


def _geonames_rows(text: str, admin1: dict[tuple[str, str], str], origin: str
                   ) -> Iterator[Optional[dict[str, str]] | PlaceFileError]:
    kinds = _import_kinds()
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        f = line.split("\t")
        if len(f) != _GEONAMES_COLUMNS:
            yield PlaceFileError(f"{origin}:{n}: {len(f)} columns, a GeoNames dump has {_GEONAMES_COLUMNS}")
            continue
        feature = f"{f[6]}.{f[7]}"
        if f[6] == "P":
            kind = "P"
        elif f[6] == "A" and f[7] in kinds.units:
            kind = kinds.units[f[7]]
        elif feature in kinds.features:
            kind = "P"  # a named point: mountain, camp, field, base
        else:
            yield None
            continue
        coords = _coordinates(f[4], f[5])
        if coords is None:
            yield PlaceFileError(f"{origin}:{n}: bad coordinates {f[4]!r}, {f[5]!r}")
            continue
        alts = [a for a in f[3].split(",") if a and _useful_alternate(a)]
        yield {"id": f"gn:{f[0]}", "name": f[1], "cc": f[8],
               "admin1": admin1.get((f[8], f[10]), ""), "admin2": "", "lat": coords[0],
               "lon": coords[1], "population": f[14] or "0", "kind": kind,
               "alternates": "|".join(dict.fromkeys([f[2], *alts])),
               "source": "geonames" if f[6] in "PA" else f"geonames {feature}"}


def _coordinates(lat: str, lon: str) -> Optional[tuple[str, str]]:
    try:
        la, lo = float(lat), float(lon)
    except ValueError:
        return None
    if not (-90 <= la <= 90 and -180 <= lo <= 180) or math.isnan(la + lo):
        return None
    return str(la), str(lo)


def _headed_rows(text: str, delimiter: str, origin: str, placer: "_Placer"
                 ) -> Iterator[Optional[dict[str, str]] | PlaceFileError]:
    kinds = _import_kinds()
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = [h.strip().lower() for h in next(reader)]
    for raw in reader:
        n = reader.line_num
        if not any(c.strip() for c in raw):
            continue
        if len(raw) != len(header):
            yield PlaceFileError(f"{origin}:{n}: {len(raw)} columns, the header has {len(header)}")
            continue
        r = {k: v.strip() for k, v in zip(header, raw) if k}
        name = r.get("name") or r.get("location")
        kind_word = (r.get("kind") or "").lower()
        if not name:
            yield PlaceFileError(f"{origin}:{n}: no name")
            continue
        if kind_word in kinds.skip_kinds or any(p.search(name) for p in kinds.skip_names):
            yield None
            continue
        cc = (r.get("cc") or r.get("country_code") or r.get("country") or "").upper()
        alternates = (r.get("alternates") or r.get("alt_names") or "").replace(";", "|")
        alternates = "|".join(filter(None, [alternates, *_articles_apart(name, alternates)]))
        lat, lon = r.get("latitude") or r.get("lat"), r.get("longitude") or r.get("lon")
        row = {"id": r.get("id") or r.get("source_id") or f"user:{fold_key(name).replace(' ', '-')}:{cc or '-'}",
               "name": name, "cc": cc, "admin1": placer.region(cc, r.get("admin1", "")),
               "admin2": r.get("admin2", ""), "population": r.get("population") or "0",
               "kind": "P", "alternates": alternates, "source": r.get("source") or origin}
        if lat or lon:
            coords = _coordinates(lat or "", lon or "")
            if coords is None:
                yield PlaceFileError(f"{origin}:{n}: bad coordinates {lat!r}, {lon!r}")
                continue
            row["lat"], row["lon"] = coords
            yield row
            continue
        # None: neither the name nor its sub-district or district is a known place of its region
        yield placer.place(row, r.get("admin3", "")) or UNPLACED


class _Placer:
    """Places rows that come without coordinates (OCHA's p-coded communities) on what the
    gazetteer already knows, and names regions as the gazetteer does ("Deir ez Zor Governorate"
    is Deir-ez-Zor)."""

    _UNIT_WORDS = re.compile(r"\s+(?:governorate|province|district|sub-?district|nahiya)\s*$", re.I)

    def __init__(self, overlay: Path):
        self.overlay = overlay
        self._gaz: Optional[Gazetteer] = None
        self._regions: dict[tuple[str, str], str] = {}

    @property
    def gaz(self) -> "Gazetteer":
        if self._gaz is None:
            self._gaz = load_gazetteer(overlay=str(self.overlay))
        return self._gaz

    def _named(self, name: str, cc: str, kinds: tuple[str, ...], admin1: str = "",
               tiers: tuple[str, ...] = (FOLD, SKEL)) -> list[GazPlace]:
        name = self._UNIT_WORDS.sub("", name)
        for tier, key in zip((FOLD, SKEL), name_keys(name)):
            if tier not in tiers:
                continue
            hits = [p for p in self.gaz.lookup(key, tier) if p.cc == cc and p.kind in kinds
                    and (not admin1 or p.admin1 == admin1) and not p.coarse]
            if hits:
                return sorted(hits, key=lambda p: -p.population)
        return []

    def region(self, cc: str, name: str) -> str:
        if not (cc and name):
            return name
        if (cc, name) not in self._regions:
            hits = self._named(name, cc, ("A1",))
            self._regions[(cc, name)] = hits[0].admin1 if hits else name
        return self._regions[(cc, name)]

    def place(self, row: dict[str, str], admin3: str) -> Optional[dict[str, str]]:
        """The row on the place of its name in its region (precision 1), else on its
        sub-district's or district's seat town (precision 2: SEAT_PREFIX)."""
        cc, admin1 = row["cc"], row["admin1"]
        names = [row["name"], *filter(None, row["alternates"].split("|"))]
        for n in names:
            # a spelling-level match only: a consonant skeleton is too loose among a
            # governorate's thousand villages
            same = self._named(n, cc, ("P",), admin1, (FOLD,))
            if same:
                return {**row, "lat": str(same[0].lat), "lon": str(same[0].lon)}
        for unit in (admin3, row["admin2"]):
            seat = self._named(unit, cc, ("P",), admin1) if unit else []
            if seat:
                return {**row, "id": SEAT_PREFIX + row["id"], "lat": str(seat[0].lat),
                        "lon": str(seat[0].lon)}
        return None


def _articles_apart(name: str, alternates: str) -> list[str]:
    """The row's Latin names with the first word's fused article set apart, when the row's
    Arabic name shows the article: OCHA writes "Alqahera" for القاهرة (al-Qahera), as it
    writes "Harasta Elqantara" after a first word; "Aleppo" (حلب) keeps its letters."""
    names = [n.strip() for n in [name, *alternates.split("|")] if n.strip()]
    arabic = [n for n in names if any("\u0600" <= c <= "\u06ff" for c in n)]
    if not any(n.startswith("ال") for n in arabic):
        return []
    apart = []
    for n in names:
        first, _, rest = n.partition(" ")
        if len(first) >= 5 and first.isascii() and first[:2].lower() in ("al", "el"):
            apart.append(f"{first[:2]} {first[2:]} {rest}".strip())
    return apart


def _useful_alternate(name: str) -> bool:
    """Latin names written as names, or Arabic script; never codes or very short forms.

    GeoNames alternate names hold airport and ICAO codes ("ABB", "DNAA"), abbreviations and
    clipped forms ("Ab", "Pir") that equal ordinary capitalised words in news copy.
    """
    letters = sum(c.isalpha() for c in name)
    if any(c.isdigit() for c in name):
        return False
    if any("\u0600" <= c <= "\u06ff" for c in name):
        return letters >= _MIN_ARABIC_LETTERS
    latin = all(c.isascii() or unicodedata.category(c)[0] != "L" or "LATIN" in
                unicodedata.name(c, "") for c in name)
    code = name.isupper() and " " not in name.strip()
    return latin and not code and any(c.isupper() for c in name) and letters > _MAX_SHORT_LETTERS


_MAX_SHORT_LETTERS = 2  # Latin alternates this short are codes or clipped forms ("Ab")
_MIN_ARABIC_LETTERS = 3  # Arabic script is consonantal: three letters already name a town
