"""Read-only analytic queries for the web API: filtered pages, aggregates, text search.

Lives inside the store package because it runs SQL; it never writes. It works on a `Store`
by composition (its `execute`/`rows`, which translate placeholders per dialect), and filters
and orders through `query.where`/`query.order_by`, the same builder the CLI's exports use.
Group keys are looked up in whitelists.
"""
from __future__ import annotations

import datetime as dt
import json
from bisect import bisect_left, bisect_right
from functools import lru_cache
from dataclasses import dataclass
from typing import Any, Iterator, Optional, Sequence

from ..errors import BadRequest
from .db import Store, StoredEvent, stored_event
from .query import JSON_TEXT, EventQuery, order_by, text_match, text_match_count_sql, where

__all__ = ["AGG_BY", "AGG_INTERVALS", "POINT_FIELDS", "AggregateRow", "Analytics",
           "DocumentView", "MapPoints", "window_from_days"]

AGG_BY = ("event_type", "sub_event_type", "admin1", "admin2", "location", "country", "actor",
          "none")
AGG_INTERVALS = ("day", "week", "month", "total")
MAX_PAGE = 1000
MAX_POINTS = 20000
# What one map point holds, in order (the columns of the map's index, schema version 8).
POINT_FIELDS = ("event_id", "event_date", "event_type", "sub_event_type", "latitude",
                "longitude", "fatalities")
# The points query's JSON: each point's array, and one array of them (fixed text). SQLite's
# `map_point` is the array stored in the map's index (schema version 8), read in the
# index's date order; in any other order, and on PostgreSQL, the query builds the arrays.
_MAP_POINT = ("map_point", "'[' || group_concat(map_point) || ']'")
_BUILT_POINTS = {"sqlite": (", ".join(POINT_FIELDS), "json_group_array(json_array("
                            + ", ".join(POINT_FIELDS) + "))"),
                 "postgresql": (", ".join(POINT_FIELDS), "json_agg(json_build_array("
                                + ", ".join(POINT_FIELDS) + "))::text")}
# A text page walks an ordered index when at least 1 event in _WALK_SHARE matches (the walk
# then reads about _WALK_SHARE rows per row of the page); the columns with such an index.
_WALK_SHARE = 50
_WALKABLE = ("event_date", "seq", "fatalities")
# SQLite: the narrow index a text query that starts from the matches reads each match's
# date, fatalities and order keys from (schema version 6), instead of its wide row (the
# planner otherwise picks the unique index on the key, which covers nothing).
_FROM_MATCHES = "events INDEXED BY events_text_cover"

@dataclass(frozen=True)
class AggregateRow:
    """Events and fatalities of one period and one group value."""

    period: Optional[str]
    key: Optional[str]
    events: int
    fatalities: int


@dataclass(frozen=True)
class MapPoints:
    """The map's points of a view: `rows` is the JSON text of an array of
    [event_id, event_date, event_type, sub_event_type, latitude, longitude, fatalities]
    arrays (POINT_FIELDS) in the view's order, built by the database; `count` its length."""

    count: int
    rows: str

    def decoded(self) -> list[tuple]:
        """The points as tuples."""
        return [tuple(r) for r in json.loads(self.rows)]


@dataclass(frozen=True)
class DocumentView:
    """A stored document, its text when the store keeps it, and the spans events came from.

    spans: one dict per supporting sentence: event_id, report_id, start, end, quote.
    """

    doc_id: str
    doc_hash: str
    title: Optional[str]
    outlet: Optional[str]
    published: Optional[str]
    url: Optional[str]
    text: Optional[str]
    spans: list[dict]


class Analytics:
    """Read-only queries over an open store."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._shares: dict[tuple[int, str], bool] = {}  # (version, match) -> common words?

    def tune_reads(self, mmap_bytes: int = 1 << 30) -> None:
        """Let SQLite read this connection's pages through a memory map (a per-connection
        setting; nothing in the file changes). Wide event rows make every filtered scan
        page-bound, and mapping the file roughly halves its cost. No-op on PostgreSQL."""
        if self.store.dialect == "sqlite":
            self.store.conn.execute(f"PRAGMA mmap_size = {int(mmap_bytes)}").fetchall()

    # -- plumbing ---------------------------------------------------------------------

    def _cursor(self, sql: str, params: Sequence = ()) -> Any:
        return self.store.execute(sql, params)

    def _rows(self, sql: str, params: Sequence = ()) -> list[tuple]:
        return self.store.rows(sql, params)

    def _where(self, q: EventQuery, walk_order: bool = False) -> tuple[str, list]:
        return where(q, self.store.dialect, walk_order)

    # -- events -----------------------------------------------------------------------

    def find(self, q: EventQuery) -> list[StoredEvent]:
        """One page of the matching events in the requested order."""
        return list(self._iter(q, paged=True))

    def find_records(self, q: EventQuery) -> list[dict]:
        """One page as EVENTS.md records plus `n_sources` and `updated_at`."""
        return [json.loads(text) for text in self.find_record_texts(q)]

    def find_record_texts(self, q: EventQuery) -> list[str]:
        """One page as the JSON texts of `find_records`: the stored record's own text with
        the two fields appended (no decoding: the API sends the stored record as it is, and
        decoding and encoding fifty records again was a third of a page's time)."""
        return self.page_and_fatalities(q)[0]

    def page_and_fatalities(self, q: EventQuery) -> tuple[list[str], list[Optional[int]]]:
        """`find_record_texts` and each event's fatalities (a page that is not full holds
        the whole view: its size and fatalities are the view's, see `page_size`)."""
        sql, params = self._page(q, "record, n_sources, updated_at, fatalities")
        rows = self._rows(sql, params)
        return ([_with_bookkeeping(record, n_sources, updated_at)
                 for record, n_sources, updated_at, _ in rows], [row[3] for row in rows])

    def page_with_totals(self, q: EventQuery) -> Optional[tuple[list[str], int, int]]:
        """One page's record texts and the view's count and fatalities from one walk, for a
        text query of common words in a date window (None for any other query, and for a
        page past the end). Its page and its count would each test every event of the
        window against the matches, and collecting a common word's matches for the test is
        most of either's time; here they are collected once."""
        if not (self._common_words(q) and (q.date_from or q.date_to)):
            return None
        where, params = self._where(q, True)
        order = order_by(q, self.store.dialect, True)
        picked = self._rows(
            "SELECT event_id, COUNT(*) OVER (), COALESCE(SUM(fatalities) OVER (), 0) FROM"
            f" events{where}{order} LIMIT ? OFFSET ?",
            params + [self.page_size(q), max(0, int(q.offset))])
        if not picked:
            return None
        marks = ", ".join("?" * len(picked))
        rows = self._rows(f"SELECT record, n_sources, updated_at FROM events WHERE event_id IN"
                          f" ({marks}){order_by(q, self.store.dialect)}",
                          [row[0] for row in picked])
        return ([_with_bookkeeping(*row) for row in rows], int(picked[0][1]),
                int(picked[0][2]))

    @staticmethod
    def page_size(q: EventQuery) -> int:
        """How many events a page of this query holds at most."""
        return max(1, min(int(q.limit), MAX_PAGE))

    def iter_all(self, q: EventQuery) -> Iterator[StoredEvent]:
        """Every matching event in the requested order (exports; paging ignored)."""
        return self._iter(q, paged=False)

    def _page(self, q: EventQuery, columns: str) -> tuple[str, list]:
        """SQL of one page: the page's ids are picked first, from the narrow covering index
        when the filters and the order allow it, and only those rows' wide records are
        read (reading every candidate's record made a filtered page page-bound)."""
        walk = q.sort in _WALKABLE and self._common_words(q)
        where, params = self._where(q, walk)
        order = order_by(q, self.store.dialect, walk)
        pick = f"SELECT event_id FROM {self._source(q, walk)}{where}{order} LIMIT ? OFFSET ?"
        params += [self.page_size(q), max(0, int(q.offset))]
        return f"SELECT {columns} FROM events WHERE event_id IN ({pick}){order}", params

    def _common_words(self, q: EventQuery) -> bool:
        """Whether a text query's words match so large a share of the store that walking an
        ordered index and testing each event against the matches beats starting from the
        matches (SQLite: the `walk_order` of query.where).

        Starting from the matches is right for rare words (a handful of rows) and wrong for
        common ones: "killed" matches half the store, and sorting 46,000 matches to keep a
        page of 50 took 770 ms where walking the date index to the 50th match took 165 ms;
        counting a year's matches, 334 ms against 154 ms. The full-text index alone says how
        many match (15-40 ms for a common word, nothing for a rare one)."""
        if not q.q or self.store.dialect != "sqlite":
            return False
        match = text_match(q.q, "sqlite")
        if match is None:
            return False
        key = (self.version(), match)  # asked again by the page and the count: once
        if key not in self._shares:
            if len(self._shares) > 1000:
                self._shares.clear()
            hits = int(self._rows(text_match_count_sql(), (match,))[0][0])
            total = int(self._rows("SELECT COUNT(*) FROM events")[0][0])
            self._shares[key] = hits * _WALK_SHARE >= total
        return self._shares[key]

    def _source(self, q: EventQuery, walk: bool) -> str:
        """What a query reads FROM: SQLite's text query starting from the matches reads
        them through the narrow text index (see _FROM_MATCHES); any other, the events."""
        starts_from_matches = q.q and not walk and self.store.dialect == "sqlite"
        return _FROM_MATCHES if starts_from_matches else "events"

    def _iter(self, q: EventQuery, paged: bool) -> Iterator[StoredEvent]:
        if paged:
            sql, params = self._page(q, "record, n_sources, updated_at")
        else:
            where, params = self._where(q)
            sql = ("SELECT record, n_sources, updated_at FROM events" + where
                   + order_by(q, self.store.dialect))
        for row in self._cursor(sql, params):  # streamed: an export may hold every event
            yield stored_event(row)

    def points(self, q: EventQuery) -> MapPoints:
        """Map points of the matching events that have coordinates, at most `q.limit`
        (MAX_POINTS) from `q.offset` in the query's order, as one JSON text the database
        joins: in date order the query walks the map's index (schema version 8) and stops
        at its LIMIT, and no Python object is made per point (building 5,000 tuples and
        encoding them again was most of the time of a large window). The ordered subquery
        feeds the aggregate in its order.

        SQLite reads the index's stored arrays only in its own (date) order and without a
        text query: SQLite does not count a generated column as covered, so a sort or the
        full-text matches would read every wide row for it."""
        where, params = self._where(q)
        sqlite = self.store.dialect == "sqlite"
        walk = sqlite and q.sort == "event_date" and not q.q
        # SQLite's map index is a partial one that only this walk names (its condition)
        located = "map_point IS NOT NULL AND latitude IS NOT NULL" if walk else (
            "latitude IS NOT NULL")
        where += (" AND " if where else " WHERE ") + located
        each, joined = _MAP_POINT if walk else _BUILT_POINTS[self.store.dialect]
        sql = (f"SELECT COUNT(*), {joined} FROM (SELECT {each} FROM events{where}"
               f"{order_by(q, self.store.dialect)} LIMIT ? OFFSET ?) p")
        params += [max(1, min(int(q.limit), MAX_POINTS)), max(0, int(q.offset))]
        count, rows = self._rows(sql, params)[0]
        return MapPoints(int(count), rows if count else "[]")

    def count(self, q: EventQuery) -> tuple[int, int]:
        """How many events match, and their summed fatalities."""
        windowed = bool(q.date_from or q.date_to)  # the date index bounds the walk
        walk = windowed and self._common_words(q)
        where, params = self._where(q, walk)
        row = self._rows("SELECT COUNT(*), COALESCE(SUM(fatalities), 0) FROM"
                         f" {self._source(q, walk)}{where}", params)[0]
        return int(row[0]), int(row[1])

    def events_since(self, seq: int) -> list[StoredEvent]:
        """Events that gained a report after store sequence number `seq` (just ingested)."""
        rows = self._rows("SELECT record, n_sources, updated_at FROM events WHERE event_id IN"
                          " (SELECT event_id FROM claims WHERE seq > ?) ORDER BY seq", (seq,))
        return [stored_event(r) for r in rows]

    def version(self) -> int:
        """The store's write sequence number: it changes whenever anything is written."""
        rows = self._rows("SELECT value FROM counters WHERE name = 'seq'")
        return int(rows[0][0]) if rows else 0

    # -- aggregates ---------------------------------------------------------------------

    def aggregate(self, q: EventQuery, by: str = "event_type",
                  interval: str = "total") -> list[AggregateRow]:
        """Events and fatalities per period (day/week/month/total) and group value.

        Args:
            by: one of AGG_BY; "actor" counts an event once under each of actor1 and actor2.
            interval: one of AGG_INTERVALS.
        """
        if by not in AGG_BY or interval not in AGG_INTERVALS:
            raise BadRequest(f"aggregate by one of {', '.join(AGG_BY)} and interval one of"
                             f" {', '.join(AGG_INTERVALS)}")
        where, params = self._where(q)
        day = "NULL" if interval == "total" else "event_date"  # a fixed expression
        if by == "actor":
            source = " UNION ALL ".join(
                f"SELECT {day} AS d, {JSON_TEXT[self.store.dialect].format(col)} AS k,"
                f" fatalities FROM events{where}" for col in ("actor1", "actor2"))
            params = params * 2
            sql = (f"SELECT d, k, COUNT(*), COALESCE(SUM(fatalities), 0) FROM ({source}) s"
                   " WHERE k IS NOT NULL GROUP BY d, k")
        else:
            # a whitelisted column name; admin2 and location are read from the record
            key = ("NULL" if by == "none" else JSON_TEXT[self.store.dialect].format(by)
                   if by in ("admin2", "location") else by)
            sql = (f"SELECT {day}, {key}, COUNT(*), COALESCE(SUM(fatalities), 0) FROM events"
                   f"{where} GROUP BY 1, 2")
        # Grouping by day in SQL and rolling days up here keeps one portable query (no
        # dialect date arithmetic) and lets SQLite read the rows in index order.
        return _roll_up(self._rows(sql, params), interval)

    def facets(self, limit: int = 200) -> dict[str, list[dict]]:
        """Distinct values (with counts) of event type, sub-event type, admin1 and country."""
        out: dict[str, list[dict]] = {}
        for col in ("event_type", "sub_event_type", "admin1", "country"):  # fixed names
            rows = self._rows(f"SELECT {col}, COUNT(*) FROM events WHERE {col} IS NOT NULL"
                              f" GROUP BY {col} ORDER BY COUNT(*) DESC, {col} LIMIT ?", (limit,))
            out[col] = [{"value": r[0], "events": int(r[1])} for r in rows]
        return out

    def date_range(self) -> tuple[Optional[str], Optional[str]]:
        """The first and last event date in the store."""
        row = self._rows("SELECT MIN(event_date), MAX(event_date) FROM events")[0]
        return row[0], row[1]

    # -- documents ------------------------------------------------------------------------

    def document(self, doc_id: str) -> Optional[DocumentView]:
        """A document by id (or content hash) with the supporting spans of its reports."""
        has_text = "text" in self._columns("documents")
        text_col = "text" if has_text else "NULL"  # a fixed name, present or not
        rows = self._rows(f"SELECT doc_hash, doc_id, title, outlet, published, url, {text_col}"
                          " FROM documents WHERE doc_id = ? OR doc_hash = ? ORDER BY seq DESC",
                          (doc_id, doc_id))
        if not rows:
            return None
        h, did, title, outlet, published, url, text = rows[0]
        claims = self._rows("SELECT report_id, event_id, record FROM claims WHERE doc_hash = ?"
                            " ORDER BY seq, report_id", (h,))
        spans = [span for rid, eid, rec in claims for span in _spans(rid, eid, json.loads(rec))]
        return DocumentView(did, h, title, outlet, published, url, text, spans)

    def _columns(self, table: str) -> set[str]:
        cursor = self.store.conn.execute(f"SELECT * FROM {table} WHERE 1 = 0")  # fixed name
        return {d[0] for d in cursor.description}


def _with_bookkeeping(record: str, n_sources: int, updated_at: int) -> str:
    """A stored record's JSON object text with `n_sources` and `updated_at` as its last
    members (records never hold either field)."""
    body = record.rstrip()
    if not body.endswith("}") or body == "{}":
        raise ValueError("a stored record is not a JSON object with fields")
    return f'{body[:-1]}, "n_sources": {int(n_sources)}, "updated_at": {int(updated_at)}}}'


def window_from_days(days: list[AggregateRow], date_from: Optional[str], date_to: Optional[str],
                     interval: str) -> list[AggregateRow]:
    """A date window's aggregate rolled up from the whole store's per-day one (`aggregate`
    with interval "day" and no filter): the rows `aggregate` gives for a query that filters
    by dates only, found by bisection instead of a scan of the window's events."""
    dated = bisect_left(days, True, key=lambda r: r.period is None)  # undated days sort last
    lo = bisect_left(days, date_from, 0, dated, key=lambda r: r.period) if date_from else 0
    hi = bisect_right(days, date_to, lo, dated, key=lambda r: r.period) if date_to else dated
    if not (date_from or date_to):
        hi = len(days)  # no window: the undated events count too, as in SQL
    return _roll_up([(r.period, r.key, r.events, r.fatalities) for r in days[lo:hi]], interval)


def _roll_up(rows: list[tuple], interval: str) -> list[AggregateRow]:
    totals: dict[tuple, list[int]] = {}
    for day, key, n, dead in rows:
        slot = totals.setdefault((_period(day, interval), key), [0, 0])
        slot[0] += int(n)
        slot[1] += int(dead)
    # Unknown periods and keys sort last.
    order = sorted(totals, key=lambda pk: (pk[0] is None, pk[0] or "", pk[1] is None,
                                           pk[1] or ""))
    return [AggregateRow(p, k, *totals[(p, k)]) for p, k in order]


@lru_cache(maxsize=65536)  # a timeline asks for the same days again and again
def _period(day: Optional[str], interval: str) -> Optional[str]:
    """The period a day falls in: itself, its week's Monday, its month's first day."""
    if interval == "total":
        return "all"
    if not day or interval == "day":
        return day
    if interval == "month":
        return day[:7] + "-01"
    try:
        date = dt.date.fromisoformat(day)
    except ValueError:
        return None
    return (date - dt.timedelta(days=date.weekday())).isoformat()


def _spans(report_id: str, event_id: str, record: dict) -> Iterator[dict]:
    """Every supporting sentence of one report, as offsets into its document; the span
    that is the source's quote carries the quote's text (the others only offsets)."""
    doc_id = record.get("doc_id")
    for src in record.get("sources") or []:
        if src.get("doc_id") not in (None, doc_id):
            continue
        quoted = (src.get("start"), src.get("end"))
        spans = src.get("spans") or [list(quoted)]
        for start, end in spans:
            if start is None or end is None:
                continue
            is_quote = (start, end) == quoted
            yield {"event_id": event_id, "report_id": report_id, "start": int(start),
                   "end": int(end), "quote": src.get("quote") if is_quote else None}
