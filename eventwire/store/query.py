"""The one events query of the project and the one SQL builder that turns it into a WHERE
and an ORDER BY: the CLI's export and brief, the API and the dashboard all filter through here,
so a filter means the same thing everywhere (`--actor %` matches a literal percent sign in
`eventwire export` exactly as `actor=%` does on the dashboard).

Every value a user types travels as a bound parameter; LIKE patterns escape their wildcards;
sort keys are looked up in a whitelist. The few dialect differences (reading a field of the
JSON record) are fixed expressions chosen by dialect.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Optional

from ..errors import BadRequest

__all__ = ["SORT_KEYS", "EventQuery", "like_pattern", "order_by", "where"]

SORT_KEYS = ("event_date", "fatalities", "event_type", "sub_event_type", "admin1", "country",
             "n_sources", "confidence", "seq", "actor1", "actor2", "admin2", "location")
# sort keys read from the stored record rather than a column
RECORD_KEYS = ("actor1", "actor2", "admin2", "location")

# Fixed SQL fragments per dialect; none of them carries user input.
JSON_TEXT = {"sqlite": "json_extract(record, '$.{0}')",
             "postgresql": "(record::jsonb ->> '{0}')"}
# Text search through the store's own full-text index (schema version 3).
_TEXT_MATCH = {"sqlite": "text_key IN (SELECT rowid FROM events_text WHERE events_text MATCH ?)",
               "postgresql": "search @@ to_tsquery('simple', ?)"}
_BYTE_ORDER = {"sqlite": "", "postgresql": ' COLLATE "C"'}
# A column equal to a lower-cased value, case aside. SQLite's LOWER folds ASCII letters only,
# as its NOCASE collation does, so the two agree; NOCASE compares in place where LOWER makes
# a new string per row (a rare event type over a long window tests 40,000 index entries:
# 13 ms with LOWER, 8 with NOCASE). PostgreSQL's LOWER folds every letter.
_FOLDED_EQUAL = {"sqlite": "{0} = ? COLLATE NOCASE", "postgresql": "LOWER({0}) = ?"}
# Sort keys holding names (ISO dates sort alike under every collation: not among them).
_TEXT_KEYS = ("event_type", "sub_event_type", "admin1", "country")
_WORD = re.compile(r"[^\W_]+")  # letters and digits: what both indexes call a word


@dataclass(frozen=True)
class EventQuery:
    """Filters, order and page of an events query; every filter optional.

    `bbox` = (min_lon, min_lat, max_lon, max_lat); `event_type` matches an event type or a
    sub-event type; `q` is a text search through the store's full-text index: each of its
    words must begin a word of the notes or of a source's quote (case-insensitive, in any
    order); `actor` is a substring of any actor field. `sort`, `descending`, `limit` and `offset`
    order and page the API's lists; exports and briefs read every match.
    """

    date_from: Optional[str] = None
    date_to: Optional[str] = None
    event_type: Optional[str] = None
    sub_event_type: Optional[str] = None
    actor: Optional[str] = None
    admin1: Optional[str] = None
    country: Optional[str] = None
    location: Optional[str] = None
    bbox: Optional[tuple[float, float, float, float]] = None
    min_confidence: Optional[float] = None
    q: Optional[str] = None
    sort: str = "event_date"
    descending: bool = True
    limit: int = 100
    offset: int = 0


def like_pattern(value: str) -> str:
    """A LIKE pattern matching `value` literally anywhere, case-insensitively (wildcards and
    the escape character escaped; use with `ESCAPE '\\'`)."""
    escaped = value.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def text_words(text: str) -> list[str]:
    """The words of a text query, lower-cased; each must begin a word of the notes or of a
    quote (letters and digits only, so no query syntax of either index gets through)."""
    return _WORD.findall(text.lower())


def where(q: EventQuery, dialect: str, walk_order: bool = False) -> tuple[str, list]:
    """The WHERE clause (with its leading space, or "") and bound values of a query.

    `walk_order` (SQLite): test the text match row by row instead of starting from the
    matches, so a page in date order walks the date index and stops at its LIMIT (right
    when the words match a large share of the store; see Analytics._page)."""
    clauses: list[str] = []
    params: list[Any] = []

    def add(clause: str, *values: Any) -> None:
        clauses.append(clause)
        params.extend(values)

    if q.date_from:
        add("event_date >= ?", q.date_from)
    if q.date_to:
        add("event_date <= ?", q.date_to)
    equal = _FOLDED_EQUAL[dialect].format
    if q.event_type:
        add(f"({equal('event_type')} OR {equal('sub_event_type')})", *[q.event_type.lower()] * 2)
    if q.sub_event_type:
        add(equal("sub_event_type"), q.sub_event_type.lower())
    if q.actor:
        add("actors LIKE ? ESCAPE '\\'", like_pattern(q.actor))
    if q.admin1:
        add(equal("admin1"), q.admin1.lower())
    if q.country:
        add(equal("country"), q.country.lower())
    if q.location:
        add(f"LOWER({JSON_TEXT[dialect].format('location')}) LIKE ? ESCAPE '\\'",
            like_pattern(q.location))
    if q.bbox:
        add("longitude >= ? AND latitude >= ? AND longitude <= ? AND latitude <= ?",
            *[float(v) for v in q.bbox])
    if q.min_confidence is not None:
        add("confidence >= ?", float(q.min_confidence))
    if q.q:
        match = text_match(q.q, dialect)
        if match is None:
            add("1 = 0")  # only punctuation: no word to look for
        else:
            add(("+" if walk_order else "") + _TEXT_MATCH[dialect], match)
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), params


def text_match(text: str, dialect: str) -> Optional[str]:
    """The full-text index's query for a `q=` text (None: it holds no word)."""
    words = text_words(text)
    if not words:
        return None
    if dialect == "postgresql":
        return " & ".join(f"{w}:*" for w in words)
    return " ".join(f'"{w}"*' for w in words)


def text_match_count_sql() -> str:
    """SQLite: how many events the full-text index matches for a `text_match` (one bound
    value), read from the index alone."""
    return "SELECT COUNT(*) FROM events_text WHERE events_text MATCH ?"


def order_by(q: Optional[EventQuery] = None, dialect: str = "sqlite",
             walk_order: bool = False) -> str:
    """A total order: the query's sort key (unknown values last either way), then creation
    order, then the event id, so two stores with the same events list them identically on
    SQLite and PostgreSQL. Without a query: creation order (the export order).

    Text compares byte by byte on both (SQLite's BINARY; PostgreSQL's "C", whatever the
    database's own collation, which may ignore punctuation and case).

    SQLite's fatalities index is walked by a text query of common words only (`walk_order`,
    as in `where`); any other query reads its filters' index and sorts what matches (`+`
    hides the column from the planner, which would otherwise walk all of the store's
    fatalities to find a rare admin1's deadliest events)."""
    as_bytes = _BYTE_ORDER[dialect]
    if q is None:
        return f" ORDER BY seq, event_id{as_bytes}"
    if q.sort not in SORT_KEYS:
        raise BadRequest(f"sort by one of {', '.join(SORT_KEYS)}")
    # a whitelisted column name, or a record field through the dialect's fixed JSON accessor
    column = JSON_TEXT[dialect].format(q.sort) if q.sort in RECORD_KEYS else q.sort
    column += as_bytes if q.sort in _TEXT_KEYS or q.sort in RECORD_KEYS else ""
    if q.sort == "fatalities" and dialect == "sqlite" and not walk_order:
        column = "+" + column
    direction = "DESC" if q.descending else "ASC"
    # Both back ends accept NULLS LAST, and SQLite still walks the event_date index with it.
    return (f" ORDER BY {column} {direction} NULLS LAST, seq {direction},"
            f" event_id{as_bytes} {direction}")
