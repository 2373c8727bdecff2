"""Places stage: choose where an incident happened and fill ACLED's place fields.

Toponyms are spotted in the incident's sentences (most important first) with the
gazetteer's n-gram index. Each mention is weighed by the words that attach it to the event
("in the town of X", "X village", "near X"), by sentence rank, and by how specific it is;
each candidate place by the article's country, admin names nearby ("in Deir ez-Zor
province", "(Hasakah)") and population. Relative phrases ("25 km east of X") move the point
and lower precision. A sentence naming only a region or country yields that region's main
town with geo_precision 3 (ACLED's convention); nothing at all yields no coordinates.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from typing import Optional

from ..gazetteer import GazPlace, Gazetteer, Mention, find_mentions
from ..records import Article, Place

__all__ = ["resolve_place", "article_country"]

_CUE_BEFORE = re.compile(
    r"(?:\b(?:in|at|inside|into|on|targeted|targeting|struck|hit|shelled|"
    r"stormed|entered|raided|attacked|bombed|captured|(?:town|village|city|district|"
    r"neighbou?rhood|suburb|area|region|province|governorate|camp|countryside|outskirts|"
    r"vicinity|municipality|county|state|hamlet|farms?|streets?|desert|frontlines?|"
    r"countryside|parts?|center|centre) of)|\b(?:in|of|at) the)\s*$", re.I)
_NEAR_BEFORE = re.compile(
    r"\b(?:near|nearby|outside|around|close to|next to|vicinity of|outskirts of|"
    r"countryside of|suburbs? of|edge of|area of|road to|road between|between|"
    r"(?:north|south|east|west)(?:ern|-?(?:east|west)(?:ern)?)?(?: countryside| outskirts|"
    r" suburbs| part| parts| side)? of)\s+(?:the\s+)?(?:(?:town|village|city) of\s+)?$", re.I)
_WEAK_BEFORE = re.compile(r"\b(?:from|by|for|against|with)\s+(?:the\s+)?$", re.I)
_KIND_AFTER = re.compile(r"^[\s,]*(?:'s\s+)?(town|village|city|district|neighbou?rhood|"
                         r"camp|area|hamlet|suburb|countryside|outskirts|province|"
                         r"governorate|region|state|oblast|department|municipality)\b", re.I)
_OFFSET = re.compile(
    r"(\d+(?:\.\d+)?)\s*(?:-\s*)?(km|kms|kilometer|kilometers|kilometre|kilometres|mi|mile|"
    r"miles)\s+(?:\([^)]{0,20}\)\s+)?(north|south|east|west|northeast|northwest|southeast|"
    r"southwest|north-east|north-west|south-east|south-west)(?:ern)?\s+of\s+(?:the\s+)?"
    r"(?:(?:town|village|city) of\s+)?$", re.I)
_REGION_WORDS = {"province", "governorate", "region", "state", "oblast", "department",
                 "countryside"}
_CAPITALISED = re.compile(r"\b[A-Z][a-z]+\b")
_REGION_BEFORE = re.compile(r"\b(?:province|governorate|region|countryside|state|oblast|"
                            r"district|department) of\s+(?:the\s+)?$", re.I)
_APPOSITIVE = re.compile(r"[\w'’]\s*(?:\(|,)\s*$")
_BEARING = {"north": 0, "northeast": 45, "east": 90, "southeast": 135, "south": 180,
            "southwest": 225, "west": 270, "northwest": 315}
_KIND_RANK = {"P": 1.5, "A1": 0.6, "PCL": 0.0}
_COUNTRY_CACHE: dict[str, Optional[str]] = {}
_CACHE_MAX = 4096


@dataclass(frozen=True, slots=True)
class _Reading:
    """One way to read a mention: the place, how the text attaches it, and its score."""

    mention: Mention
    place: GazPlace
    score: float
    precision: int
    offset_km: float = 0.0
    bearing: Optional[int] = None
    region: bool = False


def resolve_place(article: Article, spans: list[tuple[int, int]], gazetteer: Gazetteer) -> Place:
    """The place of the incident told in spans (character offsets, most important first).

    Args:
        article: the article whose text the spans point into.
        spans: incident sentence offsets into article.text, most important first.
        gazetteer: the loaded gazetteer.
    Returns:
        a Place; with no toponym at all, Place(location=None, country=article country,
        geo_precision=3) and no coordinates.
    """
    cc = _article_cc(article, gazetteer)
    readings: list[_Reading] = []
    for rank, (start, end) in enumerate(spans):
        mentions = find_mentions(article.text, gazetteer, start, end)
        context = _context(mentions, cc)
        for m in mentions:
            r = _read(article.text, m, rank, cc, context, start, gazetteer)
            if r is not None:
                readings.append(r)
    if not readings:
        return Place(location=None, country=gazetteer.country_name(cc) if cc else None)
    best = max(readings, key=lambda r: r.score)
    return _to_place(best, gazetteer)


def article_country(article: Article, gazetteer: Gazetteer) -> Optional[str]:
    """The article's dominant country (ACLED name) from its dateline and toponym votes."""
    cc = _article_cc(article, gazetteer)
    return gazetteer.country_name(cc) if cc else None


# ----------------------------------------------------------------------------- country votes
def _article_cc(article: Article, gaz: Gazetteer) -> Optional[str]:
    key = f"{article.id}:{len(article.text)}"
    if key not in _COUNTRY_CACHE:
        if len(_COUNTRY_CACHE) >= _CACHE_MAX:
            _COUNTRY_CACHE.clear()
        _COUNTRY_CACHE[key] = _vote_country(article, gaz)
    return _COUNTRY_CACHE[key]


def _vote_country(article: Article, gaz: Gazetteer) -> Optional[str]:
    votes: Counter = Counter()
    for text, weight in ((article.dateline or "", 3.0), (article.title or "", 1.5),
                         (article.text, 1.0)):
        for m in find_mentions(text, gaz):
            for cc, share in _country_shares(m).items():
                votes[cc] += weight * share
        for word in _CAPITALISED.findall(text):
            if word in gaz.demonyms:
                votes[gaz.demonyms[word]] += 0.5 * weight
    if not votes:
        return None
    cc, top = votes.most_common(1)[0]
    return cc if top >= 0.5 else None


def _country_shares(m: Mention) -> dict[str, float]:
    """Split one mention's vote over the countries its candidates lie in.

    Countries and regions vote whole; towns vote by population so that a small homonym
    abroad does not outvote the big city everyone means.
    """
    if not m.exact:
        return {}
    weights: Counter = Counter()
    for p in m.candidates:
        w = {"PCL": 50.0, "A1": 20.0}.get(p.kind, math.log10(p.population + 10))
        weights[p.cc] = max(weights[p.cc], w)
    total = sum(weights.values())
    return {cc: w / total for cc, w in weights.items()} if total else {}


# ----------------------------------------------------------------------------- readings
@dataclass(frozen=True, slots=True)
class _Context:
    """What a sentence says about regions: named regions, and regions of the towns named."""

    regions: frozenset[str]
    towns_admin1: frozenset[str]


def _context(mentions: list[Mention], cc: Optional[str]) -> _Context:
    regions = {p.admin1 for m in mentions if m.exact for p in m.candidates if p.kind == "A1"
               and (cc is None or p.cc == cc)}
    towns = set()
    for m in mentions:
        ps = [p for p in m.candidates if p.kind == "P" and (cc is None or p.cc == cc)]
        if m.exact and ps and not any(p.kind == "A1" for p in m.candidates):
            towns |= {p.admin1 for p in ps}
    return _Context(frozenset(regions), frozenset(towns))


def _read(text: str, m: Mention, rank: int, cc: Optional[str], ctx: _Context,
          span_start: int, gaz: Gazetteer) -> Optional[_Reading]:
    before = text[max(0, m.start - 60):m.start]
    after = text[m.end:m.end + 40]
    kind_after = _KIND_AFTER.match(after)
    # "Shakhta, Donetsk" / "Msallata (Tripoli)": the second name is the first one's region
    appositive = bool(_APPOSITIVE.search(before[-4:])) and not _CUE_BEFORE.search(before)
    region = appositive or bool(_REGION_BEFORE.search(before)) or bool(
        kind_after and kind_after.group(1).lower() in _REGION_WORDS)
    # "near Albu Kamal in Deir ez-Zor": a name that is the region of another town named
    region = region or any(p.kind == "A1" and p.admin1 in ctx.towns_admin1
                           for p in m.candidates if m.exact)
    stated = _paren_admin1(after, gaz)
    comma = _comma_admin1(after, m, gaz)
    place = _pick_candidate(m, cc, ctx.regions | stated | comma, region)
    if place is None:
        return None
    attach, precision = _attachment(before, kind_after is not None)
    if region:
        attach, precision = min(attach, 1.2), 3 if not _NEAR_BEFORE.search(before) else 2
    if cc and place.cc != cc and attach < 2 and place.population < 50000:
        return None  # a small homonym abroad with nothing tying it to the event
    score = attach - 1.2 * rank + _KIND_RANK.get(place.kind, 0) - 0.001 * (m.start - span_start)
    score += 0.0 if m.exact else -1.0
    score += 0.0 if (cc is None or place.cc == cc) else -1.5
    score -= 1.0 if _inside_name(before) else 0.0
    # the sentence names a region and this town lies outside it: a homonym, not the place
    if place.kind == "P" and (stated or ctx.regions):
        score -= 2.0 if place.admin1 not in (stated or ctx.regions) else 0.0
    off = _OFFSET.search(before)
    if off:
        dist = float(off.group(1)) * (1.609 if off.group(2).lower().startswith("mi") else 1.0)
        bearing = _BEARING[off.group(3).lower().replace("-", "")]
        return _Reading(m, place, score - 0.5, 2, dist, bearing, region)
    if place.kind != "P" and not region:
        precision = 3
    return _Reading(m, place, score, precision, region=region)


def _attachment(before: str, kind_after: bool) -> tuple[float, int]:
    """How firmly the words before the name tie it to the event, and the precision it implies."""
    if _OFFSET.search(before):
        return 2.0, 2
    if _NEAR_BEFORE.search(before):
        return 2.0, 2
    if _CUE_BEFORE.search(before) or kind_after:
        return 2.5, 1
    if _WEAK_BEFORE.search(before):
        return 0.5, 1
    return 0.0, 1


def _inside_name(before: str) -> bool:
    """The toponym continues a capitalised name ("Abu Ibrahim al-Hashimi"): likely a person."""
    tail = re.search(r"([A-Z][\w'’]+)[\s-]+(?:(?:al|el|bin|ibn|abu)[\s-]+)?$", before)
    return bool(tail) and not re.search(r"[.,;:()]\s*[\w'’]*[\s-]*$", before)


def _paren_admin1(after: str, gaz: Gazetteer) -> set[str]:
    """Admin1 names a parenthesis right after the mention gives, e.g. "Qamishli (Hasakah)"."""
    par = re.match(r"\s*\(([^()]{2,60})\)", after)
    out: set[str] = set()
    for part in (par.group(1).split(",") if par else []):
        found = gaz.by_name(part.strip())
        regions = {p.admin1 for p in found if p.kind == "A1"}
        out |= regions or {p.admin1 for p in found if p.admin1}
    return out


_COMMA_NAME = re.compile(r"\s*,\s*((?:[A-Z][\w'’]+[\s-]?){1,3})")


def _comma_admin1(after: str, m: Mention, gaz: Gazetteer) -> set[str]:
    """"Shakhta Trudovskaya, Donetsk": a region after a comma that holds one of the candidates."""
    hit = _COMMA_NAME.match(after)
    if not hit:
        return set()
    regions = {p.admin1 for p in gaz.by_name(hit.group(1).strip()) if p.kind == "A1"}
    return regions & {p.admin1 for p in m.candidates}


def _pick_candidate(m: Mention, cc: Optional[str], context: set[str], region: bool
                    ) -> Optional[GazPlace]:
    def score(p: GazPlace) -> float:
        s = math.log10(p.population + 10) * 0.5
        s += 3.0 if cc and p.cc == cc else 0.0
        s += 3.0 if _admin_match(p.admin1, context) else 0.0
        s += {"A1": 2.0 if region else -0.5, "PCL": 1.0}.get(p.kind, 0.0)
        return s

    pool = list(m.candidates)
    if not m.exact:
        # a consonant-skeleton match is only trusted inside the article's country
        pool = [p for p in pool if cc and p.cc == cc]
    return max(pool, key=score) if pool else None


def _admin_match(admin1: str, context: set[str]) -> bool:
    return bool(admin1) and admin1 in context


# ----------------------------------------------------------------------------- output
def _to_place(r: _Reading, gaz: Gazetteer) -> Place:
    p = r.place
    lat, lon = p.lat, p.lon
    if r.bearing is not None and r.offset_km:
        lat, lon = _move(lat, lon, r.offset_km, r.bearing)
    return Place(location=p.name if p.kind == "P" else _region_location(p, gaz),
                 country=gaz.country_name(p.cc), admin1=p.admin1 or None,
                 admin2=p.admin2 or None, latitude=round(lat, 4), longitude=round(lon, 4),
                 geo_precision=r.precision, gazetteer_id=p.id, surface=r.mention.surface)


def _region_location(p: GazPlace, gaz: Gazetteer) -> str:
    return p.admin1 or p.name


def _move(lat: float, lon: float, km: float, bearing: int) -> tuple[float, float]:
    """The point km kilometres from (lat, lon) towards a compass bearing."""
    d = km / 6371.0
    b, p1, l1 = math.radians(bearing), math.radians(lat), math.radians(lon)
    p2 = math.asin(math.sin(p1) * math.cos(d) + math.cos(p1) * math.sin(d) * math.cos(b))
    l2 = l1 + math.atan2(math.sin(b) * math.sin(d) * math.cos(p1),
                         math.cos(d) - math.sin(p1) * math.sin(p2))
    return math.degrees(p2), math.degrees(l2)
