"""What a filter's words mean in a store: place-name aliases resolved to the spelling the
store holds, and unknown values refused with the nearest known ones.

"Deir Ezzor", "Dayr Az Zawr" and "Dair al-Zour" all name the governorate ACLED spells
"Deir-ez-Zor": the gazetteer's folded and consonant-skeleton keys (the ones the coder uses to
read place names) find it. A value that names nothing in the store (a typo, a region of
another country) is an error that lists the closest known values, in the CLI, the API and the
page alike, instead of a silent empty answer. The API, CLI and page all call `checked_query`.
"""
from __future__ import annotations

import dataclasses
import difflib
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Optional

from .errors import NotFound
from .store.query import EventQuery

__all__ = ["KnownValues", "UnknownFilterValue", "checked_query", "known_values"]

_NEAREST = 5


class UnknownFilterValue(NotFound):
    """A filter value that matches nothing the store knows (HTTP 404: the request is well
    formed, the thing it names is not there); the message names the nearest known values."""

    code = "unknown-filter-value"

    def __init__(self, field: str, value: str, nearest: list[str]) -> None:
        self.field, self.value, self.nearest = field, value, nearest
        hint = f"; nearest known: {', '.join(nearest)}" if nearest else ""
        super().__init__(f"no event has {field} {value!r}{hint}")


@dataclass(frozen=True)
class KnownValues:
    """The values of each filterable field in a store, with their event counts."""

    event_type: dict[str, int]  # event and sub-event types
    admin1: dict[str, int]
    country: dict[str, int]
    actor: dict[str, int]
    location: dict[str, int]


def known_values(analytics) -> KnownValues:
    """The store's values (an Analytics on it)."""
    facets = analytics.facets(limit=100_000)
    counts = {by: {r.key: r.events for r in analytics.aggregate(EventQuery(), by, "total")
                   if r.key} for by in ("actor", "location")}
    types = {f["value"]: f["events"] for f in facets["event_type"] + facets["sub_event_type"]}
    return KnownValues(types, _counts(facets["admin1"]), _counts(facets["country"]),
                       counts["actor"], counts["location"])


def _counts(rows: list[dict]) -> dict[str, int]:
    return {r["value"]: r["events"] for r in rows}


@lru_cache(maxsize=1)
def _gazetteer():
    from .resources import load_gazetteer
    return load_gazetteer()


def _keys(text: str) -> tuple[str, str]:
    from .gazetteer import fold_key, skeleton_key
    return fold_key(text), skeleton_key(text)


def _place(value: str, known: dict[str, int], field: str) -> Optional[str]:
    """The known spelling a place name stands for, or None."""
    fold, skeleton = _keys(value)
    by_fold = [k for k in known if _keys(k)[0] == fold]
    if by_fold:
        return max(by_fold, key=known.get)
    gaz = _gazetteer()
    named = gaz.lookup(fold)
    wanted = set()
    for p in named:
        if field == "admin1":
            wanted.add(gaz.acled_admin1.get((p.cc, p.admin1), p.admin1))
        else:
            wanted.update(_keys(p.name))
    hits = [k for k in known if (k in wanted if field == "admin1" else _keys(k)[0] in wanted)]
    if not hits:  # a looser spelling: the same consonants as one known value
        hits = [k for k in known if _keys(k)[1] == skeleton and len(skeleton) >= 3]
    return max(hits, key=known.get) if hits else None


def _nearest(value: str, known: dict[str, int]) -> list[str]:
    lowered = {k.lower(): k for k in known}
    close = difflib.get_close_matches(value.lower(), list(lowered), n=_NEAREST, cutoff=0.5)
    if len(close) < _NEAREST:  # words in common: "Syrian army" -> Military Forces of Syria
        words = set(value.lower().split())
        rest = sorted((k for k in lowered if k not in close and words & set(k.split())),
                      key=lambda k: -known[lowered[k]])
        close += rest[:_NEAREST - len(close)]
    if not close:  # nothing alike: the most frequent values, so the answer still helps
        close = sorted(lowered, key=lambda k: -known[lowered[k]])[:_NEAREST]
    return [lowered[c] for c in close]


def _same_letters(value: Optional[str], values: Iterable[str]) -> Optional[str]:
    """The known value that is `value` in other letter case (the first in sorted order)."""
    if not value:
        return None
    return next((k for k in sorted(values) if k.lower() == value.lower()), None)


def checked_query(known: KnownValues, q: EventQuery) -> EventQuery:
    """The query with place aliases resolved; UnknownFilterValue for a value the store
    does not hold. An actor filter is the resolved alias or substring of `actor_filter`."""
    changes: dict[str, str] = {}
    for field, values in (("event_type", known.event_type), ("country", known.country)):
        value = getattr(q, field)
        if value and value.lower() not in {k.lower() for k in values}:
            raise UnknownFilterValue(field.replace("_", " "), value, _nearest(value, values))
    if q.sub_event_type and q.sub_event_type.lower() not in {k.lower() for k in known.event_type}:
        raise UnknownFilterValue("sub-event type", q.sub_event_type,
                                 _nearest(q.sub_event_type, known.event_type))
    if q.admin1 and q.admin1.lower() not in {k.lower() for k in known.admin1}:
        found = _place(q.admin1, known.admin1, "admin1")
        if found is None:
            raise UnknownFilterValue("admin1", q.admin1, _nearest(q.admin1, known.admin1))
        changes["admin1"] = found
    # A value known in other letter case is given the store's spelling ("aleppo" is Aleppo),
    # so what echoes the filter (a brief's title, its export command) spells it one way.
    for field, values in (("event_type", known.event_type), ("country", known.country),
                          ("sub_event_type", known.event_type), ("admin1", known.admin1)):
        value = changes.get(field, getattr(q, field))
        spelt = _same_letters(value, values)
        if spelt and spelt != value:
            changes[field] = spelt
    if q.location and not any(q.location.lower() in k.lower() for k in known.location):
        found = _place(q.location, known.location, "location")
        if found is None:
            raise UnknownFilterValue("location", q.location, _nearest(q.location, known.location))
        changes["location"] = found
    if q.actor and not any(q.actor.lower() in k.lower() for k in known.actor):
        raise UnknownFilterValue("actor", q.actor, _nearest(q.actor, known.actor))
    return dataclasses.replace(q, **changes) if changes else q
