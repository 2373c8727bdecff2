"""Read use cases: event pages and counts, one event, a document, aggregates, facets, exports,
briefs. Knows nothing of HTTP or of the terminal: the CLI, the API routes and the briefs call
these same functions, and their edges only parse arguments and format the answer.

Every function reads through a `StorePool` (one read-only connection per thread, plus a small
cache of whole-view answers keyed by the store's write sequence number). The web server keeps
one pool for its life; a command passes a store URL (or None for the default), and the
function opens a pool on it for the one call (`reading`). Reading never creates, migrates or
writes a store.
"""
from __future__ import annotations

import dataclasses
import json
import tempfile
import threading
from collections import OrderedDict
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO, Any, Callable, Iterator, Optional, TextIO, Union

from ..briefs import (BRIEF_FORMATS, Brief, BriefRequest, brief_figures, brief_from_store,
                      render_brief)
from ..errors import NotFound
from ..exports import FORMATS, write_events
from ..stages.link import StoredReport
from ..store.analytics import AggregateRow, Analytics, DocumentView, MapPoints, window_from_days
from ..store.db import Decision, Store, StoredEvent, open_store
from ..store.query import EventQuery

__all__ = ["BriefFile", "BriefView", "EventDetail", "EventPage", "Source", "StorePool",
           "aggregates", "brief", "brief_file", "brief_request", "count_events",
           "document", "document_reports", "draft_brief", "export", "export_events", "facets",
           "find_events", "get_event", "list_events", "points", "reading", "store_counts",
           "write_brief"]


@dataclass(frozen=True)
class EventPage:
    """One page of events plus the size of the whole filtered view."""

    total: int
    fatalities: int
    records: list[str]  # JSON texts of EVENTS.md records with n_sources and updated_at

    @property
    def events(self) -> list[dict]:
        """The page's records, decoded."""
        return [json.loads(text) for text in self.records]


@dataclass(frozen=True)
class EventDetail:
    """One linked event with the claims of each report and the decisions that built it."""

    event: StoredEvent
    reports: list[StoredReport]
    decisions: list[Decision]


@dataclass(frozen=True)
class BriefView:
    """A drafted brief, its figures as PNG bytes, and the view filters it could not apply."""

    brief: Brief
    figures: dict[str, bytes]
    ignored: tuple[str, ...]


@dataclass(frozen=True)
class BriefFile:
    """A rendered brief to download."""

    filename: str
    media_type: str
    data: bytes


class StorePool:
    """One open read-only store per thread (SQLite connections are bound to their thread),
    and a small cache of whole-view answers keyed by the store's write sequence number, so
    an answer is reused only while nothing has been written since."""

    def __init__(self, db_url: Optional[str], cache_size: int = 256) -> None:
        self.db_url = db_url
        self._local = threading.local()
        self._lock = threading.Lock()
        self._all: list[tuple[int, Store]] = []  # (opening thread, store)
        self._cache: OrderedDict = OrderedDict()
        self._cache_size = cache_size
        self._computing: dict[tuple, threading.Lock] = {}  # one computation per missing key

    def cached(self, key: tuple, compute: Callable[[Analytics], Any]) -> Any:
        """`compute(analytics)`, or its earlier answer if the store has not changed since.

        Threads asking for the same missing answer wait for the first one's computation
        instead of each running it: ten clients opening the dashboard at once used to run
        its whole-store queries ten times over, each slower for the others."""
        a = self.analytics()
        full = (a.version(),) + key
        with self._lock:
            if full in self._cache:
                self._cache.move_to_end(full)
                return self._cache[full]
            computing = self._computing.setdefault(full, threading.Lock())
        with computing:
            with self._lock:
                if full in self._cache:
                    return self._cache[full]
            try:
                value = compute(a)
            except BaseException:
                with self._lock:
                    self._computing.pop(full, None)
                raise
            with self._lock:
                self._cache[full] = value
                self._computing.pop(full, None)
                while len(self._cache) > self._cache_size:
                    self._cache.popitem(last=False)
        return value

    def analytics(self) -> Analytics:
        """The calling thread's read-only query object, opening its store on first use."""
        found = getattr(self._local, "analytics", None)
        if found is None:
            store = open_store(self.db_url, read_only=True)
            with self._lock:
                self._all.append((threading.get_ident(), store))
            found = self._local.analytics = Analytics(store)
            found.tune_reads()
        return found

    @property
    def store(self) -> Store:
        """The calling thread's read-only store."""
        return self.analytics().store

    def close(self) -> None:
        """Close the pool's connections: every PostgreSQL one, and the SQLite ones this
        thread opened (a SQLite connection may only be closed by its own thread; the others
        close when their worker thread or the process ends)."""
        me = threading.get_ident()
        with self._lock:
            for thread, store in self._all:
                if store.dialect != "sqlite" or thread == me:
                    store.close()
            self._all.clear()
        self._local = threading.local()


# What a read use case reads from: the server's pool, or a store URL (None: the default)
# that a command names, opened read-only for the one call.
Source = Union[StorePool, str, None]


@contextmanager
def reading(source: Source) -> Iterator[StorePool]:
    """The pool to read `source` through (a URL's pool is closed afterwards).

    A store a command names is brought up to this code's schema first, as `ingest` would
    (never created: StoreError "no store at ..."), so `export` and `brief` read a store an
    older eventwire wrote; the server's pool never migrates (`serve` does at start)."""
    if isinstance(source, StorePool):
        yield source
        return
    open_store(source, create=False).close()
    pool = StorePool(source)
    try:
        yield pool
    finally:
        pool.close()


def _view(q: EventQuery) -> EventQuery:
    """The filters of a query without its order and page (the cache key of a view)."""
    return dataclasses.replace(q, sort="event_date", descending=True, limit=0, offset=0)


# -- events -------------------------------------------------------------------------------

def list_events(source: Source, q: EventQuery) -> EventPage:
    """The requested page of events (records) and the totals of the filtered view."""
    with reading(source) as pool:
        analytics = pool.analytics()
        together = analytics.page_with_totals(q)
        if together is not None:
            return EventPage(together[1], together[2], together[0])
        records, dead = analytics.page_and_fatalities(q)
        if q.offset <= 0 and len(records) < analytics.page_size(q):
            # The first page is not full: it is the whole view, so no count is needed (a
            # count of a common word's matches is most of a text query's time).
            return EventPage(len(records), sum(d or 0 for d in dead), records)
        total, fatalities = pool.cached(("count", _view(q)), lambda a: a.count(q))
        return EventPage(total, fatalities, records)


def find_events(source: Source, filters: EventQuery = EventQuery(),
                limit: Optional[int] = None, offset: int = 0) -> list[StoredEvent]:
    """Every matching event (or one slice), in the exports' total order: ingest order, ties
    by event id."""
    with reading(source) as pool:
        return list(pool.store.find_events(filters, limit, offset))


def count_events(source: Source, filters: EventQuery = EventQuery()) -> int:
    """How many linked events match the filters."""
    with reading(source) as pool:
        return pool.cached(("count", _view(filters)), lambda a: a.count(filters))[0]


def points(source: Source, q: EventQuery) -> MapPoints:
    """Map points of the filtered view as JSON text (see Analytics.points)."""
    with reading(source) as pool:
        return pool.cached(("points", q), lambda a: a.points(q))


def get_event(source: Source, event_id: str) -> EventDetail:
    """One event with every report's claim and the decisions that built it; NotFound if
    there is no such event."""
    with reading(source) as pool:
        store = pool.store
        stored = store.get_event(event_id)
        if stored is None:
            raise NotFound(f"no event {event_id!r}")
        return EventDetail(stored, store.event_reports(event_id), store.decisions(event_id))


def store_counts(source: Source) -> dict[str, int]:
    """Row counts of documents, events, claims and merge decisions."""
    with reading(source) as pool:
        return pool.store.counts()


# -- documents ----------------------------------------------------------------------------

def document(source: Source, doc_id: str) -> DocumentView:
    """A stored document (by id or content hash) with the spans its events came from;
    NotFound if there is none."""
    with reading(source) as pool:
        found = pool.analytics().document(doc_id)
    if found is None:
        raise NotFound(f"no document {doc_id!r}")
    return found


def document_reports(source: Source, doc_id: str) -> list[StoredReport]:
    """What one document reported: its stored reports, each with the event it joined."""
    with reading(source) as pool:
        return pool.store.document_reports(doc_id)


# -- summaries ----------------------------------------------------------------------------

def aggregates(source: Source, q: EventQuery, by: str, interval: str) -> list[AggregateRow]:
    """Events and fatalities per period and group (see Analytics.aggregate).

    A view filtered by dates alone (the dashboard's timeline and charts as the analyst drags
    the window) is rolled up from the whole store's per-day answer, computed once per store
    version, instead of scanning the window's events for every new window."""
    with reading(source) as pool:
        windowed = q.date_from or q.date_to  # an unbounded view is one cached answer as it is
        if windowed and dataclasses.replace(_view(q), date_from=None, date_to=None) == _view(EventQuery()):
            days = pool.cached(("aggregate", _view(EventQuery()), by, "day"),
                               lambda a: a.aggregate(EventQuery(), by, "day"))
            return window_from_days(days, q.date_from, q.date_to, interval)  # of that version
        return pool.cached(("aggregate", _view(q), by, interval),
                           lambda a: a.aggregate(q, by, interval))


def facets(source: Source) -> dict:
    """Values for the dashboard's filter menus and the store's date span."""
    def compute(a: Analytics) -> dict:
        first, last = a.date_range()
        return {**a.facets(), "date_min": first, "date_max": last}
    with reading(source) as pool:
        return pool.cached(("facets",), compute)


# -- exports ------------------------------------------------------------------------------

def export_events(source: Source, fmt: str, filters: EventQuery, out: TextIO) -> int:
    """Write the matching events to `out` as jsonl, geojson or acled-csv, in the total
    order (ingest order, ties by event id; the query's sort and page are not used), so two
    stores holding the same records export the same bytes. Returns the count."""
    if fmt not in FORMATS:  # before opening anything
        raise NotFound(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    with reading(source) as pool:
        return write_events(pool.store.find_events(filters), fmt, out)


def export(source: Source, q: EventQuery, fmt: str) -> IO[str]:
    """`export_events` into a spooled file, rewound for reading (a download)."""
    out = tempfile.SpooledTemporaryFile(max_size=8_000_000, mode="w+", encoding="utf-8",
                                        newline="")
    try:
        export_events(source, fmt, q, out)
    except BaseException:
        out.close()
        raise
    out.seek(0)
    return out


# -- briefs -------------------------------------------------------------------------------

# The dashboard filters a brief does not apply: they are named on the brief page as not
# applied (and cleared from the query the brief reads).
BRIEF_IGNORES = ("sub_event_type", "location", "min_confidence", "q")
_BRIEF_MEDIA = {"md": ("text/markdown; charset=utf-8", "md"),
                "html": ("text/html; charset=utf-8", "html"), "pdf": ("application/pdf", "pdf")}


def brief_request(q: EventQuery, admin2: Optional[str], days: int) -> BriefRequest:
    """The brief request for a dashboard view: same dates, type, actor, admin1, country,
    bbox (the window is the view's dates, else the last `days` days of matching data)."""
    applied = dataclasses.replace(_view(q), **{f: None for f in BRIEF_IGNORES})
    return BriefRequest(filters=applied, admin2=admin2 or None, days=days)


def brief(source: Source, q: EventQuery, admin2: Optional[str], days: int) -> BriefView:
    """The situation brief of a dashboard view, with its map and timeline (cached until
    the store changes: drawing the figures is the slow part)."""
    request = brief_request(q, admin2, days)

    def compute(a: Analytics) -> tuple[Brief, dict[str, bytes]]:
        drafted = brief_from_store(a.store, request)
        return drafted, brief_figures(drafted)
    with reading(source) as pool:
        drafted, figures = pool.cached(("brief", request), compute)
    ignored = tuple(f for f in BRIEF_IGNORES if getattr(q, f) not in (None, ""))
    return BriefView(drafted, figures, ignored)


def draft_brief(source: Source, request: BriefRequest, generated_at: str = "") -> Brief:
    """The brief for a request (`generated_at`: the header's timestamp, "" for none). Its
    filters are checked against the store by the caller (checked_filters)."""
    with reading(source) as pool:
        return brief_from_store(pool.store, request, generated_at)


def write_brief(source: Source, request: BriefRequest, fmt: str,
                output: Optional[str] = None) -> tuple[Brief, bytes]:
    """The brief rendered as md, html or pdf, and written to `output` when a path is given
    (a Markdown brief's PNG figures beside it). Returns the brief and the rendered bytes."""
    if fmt not in BRIEF_FORMATS:  # before opening anything
        raise NotFound(f"unknown brief format {fmt!r}; choose one of {', '.join(BRIEF_FORMATS)}")
    with reading(source) as pool:
        return render_brief(pool.store, request, fmt, output)


def brief_file(source: Source, request: BriefRequest, fmt: str) -> BriefFile:
    """The rendered brief as a download: its bytes, file name and media type."""
    _, data = write_brief(source, request, fmt)
    media, suffix = _BRIEF_MEDIA[fmt]
    return BriefFile(f"eventwire-brief.{suffix}", media, data)


def checked_filters(source: Source, query: EventQuery) -> EventQuery:
    """The query with place aliases resolved; an unknown value refused with the nearest known
    ones (filter_values). Through `reading`, so a store an older eventwire wrote is migrated
    first, as for the read itself."""
    from ..filter_values import checked_query, known_values
    with reading(source) as pool:
        return checked_query(known_values(pool.analytics()), query)
