"""Use cases behind the web edge: query pages, event detail, documents, aggregates, exports
and adding news. Knows nothing of HTTP; `app.py` parses requests, calls one of these and
renders the result, and maps the errors below to status codes in one handler.

Reads go through a per-thread open store (`StorePool`) so that a request does not reopen
and re-migrate the database; writes go through `services.ingest`, the same pipeline as the
`ingest` command.
"""
from __future__ import annotations

import dataclasses
import hmac
import json
import os
import re
import tempfile
import threading
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from collections import OrderedDict
from typing import IO, Any, Callable, Iterator, Optional, Sequence

from .. import services
from ..errors import BadUpload, NotFound, TooLarge, WriteDenied
from ..briefs import (BRIEF_FORMATS, Brief, BriefRequest, brief_figures, brief_from_store,
                      render_brief)
from ..exports import FORMATS, write_events
from ..store.analytics import AggregateRow, Analytics, DocumentView
from ..store.query import EventQuery
from ..services import EventDetail
from ..store.db import StoredEvent, open_store

__all__ = ["AddNewsResult", "BadUpload", "BriefFile", "BriefView", "EventPage", "NotFound", "StorePool", "TooLarge",
           "Upload", "WebSettings", "WriteDenied", "add_news", "aggregates",
           "boundary_layer", "boundary_names", "brief", "brief_file", "document", "event_detail", "export",
           "facets", "list_events", "points"]

UPLOAD_SUFFIXES = (".txt", ".html", ".htm", ".jsonl")
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")
_LAYER_NAME = re.compile(r"^[a-z0-9_-]{1,40}$")


@dataclass(frozen=True)
class WebSettings:
    """How the server was started."""

    db_url: Optional[str] = None
    token: Optional[str] = None  # writing is enabled only when set
    tile_url: Optional[str] = None  # e.g. http://localhost:8080/{z}/{x}/{y}.png
    max_file_bytes: int = 2_000_000
    max_request_bytes: int = 10_000_000
    max_files: int = 20
    boundaries_dir: Optional[str] = None  # None: the packaged eventwire/data/boundaries
    # Host names a request may address (DNS rebinding defence); None: any. `serve` sets the
    # name it is bound to plus localhost; --allow-host adds more (a proxy's public name).
    allowed_hosts: Optional[tuple[str, ...]] = None


@dataclass(frozen=True)
class Upload:
    """One piece of news to ingest: a file's name and bytes (pasted text gets a name too)."""

    name: str
    data: bytes


@dataclass(frozen=True)
class EventPage:
    """One page of events plus the size of the whole filtered view."""

    total: int
    fatalities: int
    events: list[dict]  # EVENTS.md records with n_sources and updated_at


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


@dataclass
class AddNewsResult:
    """What adding news did: ingest counts, per-document problems, the events touched."""

    documents_new: int
    documents_skipped: int
    events_created: int
    reports_merged: int
    problems: list[str] = field(default_factory=list)
    events: list[StoredEvent] = field(default_factory=list)


class StorePool:
    """One open store per worker thread (SQLite connections are bound to their thread), and
    a small cache of whole-view answers keyed by the store's write sequence number, so an
    answer is reused only while nothing has been written since."""

    def __init__(self, db_url: Optional[str], cache_size: int = 256) -> None:
        self.db_url = db_url
        self._local = threading.local()
        self._lock = threading.Lock()
        self._all: list[Store] = []
        self._cache: OrderedDict = OrderedDict()
        self._cache_size = cache_size

    def cached(self, key: tuple, compute: Callable[[Analytics], Any]) -> Any:
        """`compute(analytics)`, or its earlier answer if the store has not changed since."""
        a = self.analytics()
        full = (a.version(),) + key
        with self._lock:
            if full in self._cache:
                self._cache.move_to_end(full)
                return self._cache[full]
        value = compute(a)
        with self._lock:
            self._cache[full] = value
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return value

    def analytics(self) -> Analytics:
        """The calling thread's read-only query object, opening its store on first use."""
        found = getattr(self._local, "analytics", None)
        if found is None:
            store = open_store(self.db_url, read_only=True)
            with self._lock:
                self._all.append(store)
            found = self._local.analytics = Analytics(store)
            found.tune_reads()
        return found

    def close(self) -> None:
        """Close the pool's PostgreSQL connections at shutdown.

        SQLite connections may only be closed by the thread that opened them; they close
        when their worker thread or the process ends, so they are left to that.
        """
        with self._lock:
            for store in self._all:
                if store.dialect != "sqlite":
                    store.close()
            self._all.clear()


def _view(q: EventQuery) -> EventQuery:
    """The filters of a query without its order and page (the cache key of a view)."""
    return dataclasses.replace(q, sort="event_date", descending=True, limit=0, offset=0)


def list_events(pool: StorePool, q: EventQuery) -> EventPage:
    """The requested page of events (records) and the totals of the filtered view."""
    total, fatalities = pool.cached(("count", _view(q)), lambda a: a.count(q))
    return EventPage(total, fatalities, pool.analytics().find_records(q))


def points(pool: StorePool, q: EventQuery) -> list[tuple]:
    """Map points of the filtered view (see Analytics.points)."""
    return pool.cached(("points", q), lambda a: a.points(q))


def event_detail(pool: StorePool, event_id: str) -> EventDetail:
    """One event with its reports' claims and merge history."""
    found = services.event_detail(pool.analytics().store, event_id)
    if found is None:
        raise NotFound(f"no event {event_id!r}")
    return found


# The dashboard filters a brief does not apply: they are named on the brief page as not
# applied (and cleared from the query the brief reads).
_BRIEF_IGNORES = ("sub_event_type", "location", "min_confidence", "q")
_BRIEF_MEDIA = {"md": ("text/markdown; charset=utf-8", "md"),
                "html": ("text/html; charset=utf-8", "html"), "pdf": ("application/pdf", "pdf")}


def brief_request(q: EventQuery, admin2: Optional[str], days: int) -> BriefRequest:
    """The brief request for a dashboard view: same dates, type, actor, admin1, country,
    bbox (the window is the view's dates, else the last `days` days of matching data)."""
    applied = dataclasses.replace(_view(q), **{f: None for f in _BRIEF_IGNORES})
    return BriefRequest(filters=applied, admin2=admin2 or None, days=days)


def brief(pool: StorePool, q: EventQuery, admin2: Optional[str], days: int) -> BriefView:
    """The situation brief of a dashboard view, with its map and timeline (cached until
    the store changes: drawing the figures is the slow part)."""
    request = brief_request(q, admin2, days)

    def compute(a: Analytics) -> tuple[Brief, dict[str, bytes]]:
        drafted = brief_from_store(a.store, request)
        return drafted, brief_figures(drafted)
    drafted, figures = pool.cached(("brief", request), compute)
    ignored = tuple(f for f in _BRIEF_IGNORES if getattr(q, f) not in (None, ""))
    return BriefView(drafted, figures, ignored)


def brief_file(pool: StorePool, q: EventQuery, admin2: Optional[str], days: int,
               fmt: str) -> BriefFile:
    """The brief of a dashboard view rendered as md, html or pdf (as `eventwire brief`)."""
    if fmt not in BRIEF_FORMATS:
        raise NotFound(f"unknown brief format {fmt!r}; choose one of {', '.join(BRIEF_FORMATS)}")
    _, data = render_brief(pool.analytics().store, brief_request(q, admin2, days), fmt, None)
    media, suffix = _BRIEF_MEDIA[fmt]
    return BriefFile(f"eventwire-brief.{suffix}", media, data)


def document(pool: StorePool, doc_id: str) -> DocumentView:
    """A stored document with the spans its events came from."""
    found = pool.analytics().document(doc_id)
    if found is None:
        raise NotFound(f"no document {doc_id!r}")
    return found


def aggregates(pool: StorePool, q: EventQuery, by: str, interval: str) -> list[AggregateRow]:
    """Events and fatalities per period and group (see Analytics.aggregate)."""
    return pool.cached(("aggregate", _view(q), by, interval),
                       lambda a: a.aggregate(q, by, interval))


def facets(pool: StorePool) -> dict:
    """Values for the dashboard's filter menus and the store's date span."""
    def compute(a: Analytics) -> dict:
        first, last = a.date_range()
        return {**a.facets(), "date_min": first, "date_max": last}
    return pool.cached(("facets",), compute)


def export(pool: StorePool, q: EventQuery, fmt: str) -> IO[str]:
    """The filtered view written in `fmt` to a spooled file, rewound for reading."""
    if fmt not in FORMATS:
        raise NotFound(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    out = tempfile.SpooledTemporaryFile(max_size=8_000_000, mode="w+", encoding="utf-8",
                                        newline="")
    write_events(pool.analytics().iter_all(q), fmt, out)
    out.seek(0)
    return out


def check_token(settings: WebSettings, given: Optional[str]) -> None:
    """Refuse unless the server has a token and the request carries the same one."""
    if not settings.token:
        raise WriteDenied("adding news is disabled: start the server with --token")
    if not given or not hmac.compare_digest(given.encode(), settings.token.encode()):
        raise WriteDenied("a valid token is needed to add news")


def add_news(settings: WebSettings, pool: StorePool, uploads: Sequence[Upload],
             token: Optional[str]) -> AddNewsResult:
    """Ingest pasted text and uploaded files through the `ingest` pipeline.

    Raises:
        WriteDenied: no or wrong token. TooLarge / BadUpload: the files are refused whole.
    """
    check_token(settings, token)
    _check_uploads(settings, uploads)
    before = pool.analytics().version()
    with tempfile.TemporaryDirectory(prefix="eventwire-upload-") as tmp:
        paths = [_write_upload(Path(tmp), n, u) for n, u in enumerate(uploads)]
        report = services.ingest([str(p) for p in paths], settings.db_url)
    # A problem names the file as the user sent it, never the server's temporary folder.
    folder = re.compile(re.escape(tmp) + r"[/\\]\d{3}[/\\]")
    return AddNewsResult(report.documents_new, report.documents_skipped, report.events_created,
                         report.reports_merged,
                         [folder.sub("", r.message()) for r in report.rejected],
                         pool.analytics().events_since(before))


def pasted_upload(text: str, title: Optional[str], outlet: Optional[str],
                  published: Optional[str], url: Optional[str]) -> Upload:
    """Pasted article text as a one-line JSONL document (so its metadata travels along)."""
    if not text.strip():
        raise BadUpload("the pasted text is empty")
    doc = {"id": "pasted-" + _digest(text), "text": text, "title": title or None,
           "outlet": outlet or None, "published": published or None, "url": url or None}
    return Upload("pasted.jsonl", json.dumps(doc, ensure_ascii=False).encode("utf-8"))


def _digest(text: str) -> str:
    import hashlib
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def _check_uploads(settings: WebSettings, uploads: Sequence[Upload]) -> None:
    if not uploads:
        raise BadUpload("nothing to add: paste an article or choose files")
    if len(uploads) > settings.max_files:
        raise TooLarge(f"at most {settings.max_files} files at once")
    for u in uploads:
        if not u.name.lower().endswith(UPLOAD_SUFFIXES):
            raise BadUpload(f"{_display(u.name)}: only {', '.join(UPLOAD_SUFFIXES)} files"
                            " can be added")
        if len(u.data) > settings.max_file_bytes:
            raise TooLarge(f"{_display(u.name)}: larger than"
                           f" {settings.max_file_bytes // 1000} kB")
        if not u.data.strip():
            raise BadUpload(f"{_display(u.name)}: the file is empty")
        try:
            u.data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise BadUpload(f"{_display(u.name)}: not UTF-8 text (byte {exc.start})") from exc
        if u.name.lower().endswith(".jsonl"):
            _check_jsonl(u)


def _check_jsonl(u: Upload) -> None:
    for n, line in enumerate(u.data.decode("utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            doc = json.loads(line)
        except json.JSONDecodeError as exc:
            raise BadUpload(f"{_display(u.name)} line {n}: not JSON ({exc.msg})") from exc
        if not isinstance(doc, dict) or not doc.get("id") or not (doc.get("text")
                                                                 or doc.get("html")):
            raise BadUpload(f"{_display(u.name)} line {n}: needs \"id\" and \"text\"")


def _display(name: str) -> str:
    return _SAFE_NAME.sub("_", os.path.basename(name))[:80] or "file"


def _write_upload(folder: Path, n: int, u: Upload) -> Path:
    # The document id of a file is its name: keep it, made safe and unique in the folder.
    sub = folder / f"{n:03d}"
    sub.mkdir()
    path = sub / _display(u.name)
    path.write_bytes(u.data)
    return path


def boundary_names(settings: WebSettings) -> list[str]:
    """The boundary layers shipped with the package (countries, admin1, ...)."""
    return sorted(p.name[:-len(".geojson")] for p in _boundary_files(settings)
                  if p.name.endswith(".geojson"))


def boundary_layer(settings: WebSettings, name: str) -> bytes:
    """One boundary layer's GeoJSON bytes."""
    if not _LAYER_NAME.match(name):
        raise NotFound(f"no boundary layer {name!r}")
    for p in _boundary_files(settings):
        if p.name == name + ".geojson":
            return p.read_bytes()
    raise NotFound(f"no boundary layer {name!r}")


def _boundary_files(settings: WebSettings) -> Iterator:
    if settings.boundaries_dir:
        folder = Path(settings.boundaries_dir)
        return iter(folder.iterdir()) if folder.is_dir() else iter(())
    data = resources.files("eventwire.data")
    folder = data.joinpath("boundaries")
    return iter(folder.iterdir()) if folder.is_dir() else iter(())
