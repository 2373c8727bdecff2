"""Read-only store queries that situation briefs need beyond `Store.find_events`.

Two questions the event rows cannot answer cheaply from Python: the newest event date under a
filter (the default window ends there) and which places and actors the store had already seen
before a date (for "first seen" incidents). Both run one parameterised query each on SQLite or
PostgreSQL through the store's connection; nothing here writes.
"""
from __future__ import annotations

from typing import Iterable, Optional, Sequence

from .db import Store
from .query import EventQuery, where

__all__ = ["latest_event_date", "seen_before"]

_CHUNK = 500  # bound parameters per IN list (SQLite allows 999 in old builds)


def latest_event_date(store: Store, filters: EventQuery) -> Optional[str]:
    """The newest event date among events matching `filters` (None if there is none)."""
    # Same WHERE as find_events/export, so the default window follows the same filter.
    clause, params = where(filters, store.dialect)
    clause += (" AND " if clause else " WHERE ") + "event_date IS NOT NULL"
    return store.rows("SELECT MAX(event_date) FROM events" + clause, params)[0][0]


def seen_before(store: Store, before: str, places: Iterable[tuple[str, str]],
                actors: Iterable[str]) -> tuple[frozenset, frozenset]:
    """Which of these (country, location) places and actor names any stored report gave
    for an incident dated before `before` (ISO date).

    Reports (claims), not linked events, are asked: a place counts as seen if any report
    put an earlier incident there.
    """
    locations = sorted({loc for _, loc in places if loc})
    seen_places: set[tuple[str, str]] = set()
    for chunk in _chunks(locations):
        marks = ", ".join("?" * len(chunk))
        seen_places |= {(c, loc) for c, loc in store.rows(
            "SELECT DISTINCT country, location FROM claims WHERE event_date < ?"
                   f" AND location IN ({marks})", [before, *chunk])}
    names = sorted(set(actors))
    seen_actors: set[str] = set()
    for chunk in _chunks(names):
        marks = ", ".join("?" * len(chunk))
        for column in ("actor1", "actor2"):  # fixed column names, no user input
            seen_actors |= {row[0] for row in store.rows(
                f"SELECT DISTINCT {column} FROM claims WHERE event_date < ?"
                       f" AND {column} IN ({marks})", [before, *chunk])}
    return frozenset(seen_places), frozenset(seen_actors)


def _chunks(items: list[str]) -> Iterable[list[str]]:
    for i in range(0, len(items), _CHUNK):
        yield items[i:i + _CHUNK]
