"""Turn service results into JSON-ready dicts and HTML template contexts (no I/O)."""
from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import json
import re
import threading
from collections import OrderedDict
from typing import Any, Callable, Optional
from urllib.parse import quote

from ..briefs import Brief, render_html
from ..store.analytics import POINT_FIELDS, AggregateRow, DocumentView, MapPoints
from ..store.query import EventQuery
from ..store.db import StoredEvent
from ..services import AddNewsResult, BriefView, EventDetail, EventPage

__all__ = ["POINT_FIELDS", "CachedBodies", "add_news", "aggregates", "brief", "brief_context", "document",
           "document_context", "json_body",
           "event_context", "event_detail", "event_page", "highlight", "points"]

# A reference paragraph of briefs.render_html: `[n] event <code>id</code>, ... (document
# <code>doc</code>)`; the web page links both codes to their pages.
_REF_PARAGRAPH = re.compile(r'<p class="ref" id="ref-(\d+)">.*?</p>', re.S)
_EVENT_CODE = re.compile(r'^(<p class="ref" id="ref-\d+">\[\d+\] event )(<code>[^<]*</code>)')
_DOC_CODE = re.compile(r"\(document (<code>[^<]*</code>)\)")
_BODY = re.compile(r"<body>\n?(.*)</body>", re.S)

CLAIM_FIELDS = ("event_date", "sub_event_type", "actor1", "actor2", "location", "admin1",
                "fatalities", "injuries", "arrests")


def event_record(stored: StoredEvent) -> dict:
    """The EVENTS.md record plus the store's bookkeeping."""
    rec = stored.event.to_record()
    rec["n_sources"] = stored.n_sources
    rec["updated_at"] = stored.updated_at
    return rec


def json_body(data: Any) -> bytes:
    """JSON bytes as the API sends them (JSONResponse's encoding)."""
    return json.dumps(data, ensure_ascii=False, allow_nan=False, indent=None,
                      separators=(",", ":")).encode("utf-8")


def event_page(page: EventPage, q: EventQuery) -> bytes:
    """GET /events, as JSON bytes: the page's stored record texts are spliced in as they
    are (the same object a decoded page would give)."""
    head = json_body({"total": page.total, "fatalities": page.fatalities, "limit": q.limit,
                      "offset": q.offset, "sort": q.sort,
                      "order": "desc" if q.descending else "asc"})
    records = ",".join(page.records).encode("utf-8")
    return head[:-1] + b',"events":[' + records + b"]}"


class CachedBodies:
    """The JSON bytes of answers the services' cache hands out, kept while the same answer
    object comes back (a cached answer is one object until the store changes): encoding the
    dashboard's whole-store timeline, 100 kB, cost more than computing its cache lookup."""

    def __init__(self, size: int = 64) -> None:
        self._bodies: OrderedDict = OrderedDict()  # (id, tag) -> (answer, bytes)
        self._lock = threading.Lock()
        self._size = size

    def body(self, answer: Any, tag: tuple, render: Callable[[], Any]) -> bytes:
        """The JSON bytes of `render()` for this answer object, encoded once."""
        key = (id(answer), tag)
        with self._lock:
            hit = self._bodies.get(key)
            if hit is not None and hit[0] is answer:  # held here, so its id is not reused
                self._bodies.move_to_end(key)
                return hit[1]
        body = json_body(render())
        with self._lock:
            self._bodies[key] = (answer, body)
            while len(self._bodies) > self._size:
                self._bodies.popitem(last=False)
        return body


def points(found: MapPoints) -> bytes:
    """GET /points, as JSON bytes: one array per point (smaller than one object each), the
    database's JSON text of them spliced in as it is."""
    head = json_body({"count": found.count, "fields": list(POINT_FIELDS)})
    return head[:-1] + b',"rows":' + found.rows.encode("utf-8") + b"}"


def event_detail(d: EventDetail) -> dict:
    """GET /events/{id}: the event, each report's claim side by side, the merge history."""
    return {
        "event": event_record(d.event),
        "reports": [{"report_id": r.report_id, "doc_hash": r.doc_hash, "doc_id": r.event.doc_id,
                     "outlet": r.event.sources[0].outlet if r.event.sources else None,
                     "published": r.event.sources[0].published if r.event.sources else None,
                     "claims": {f: getattr(r.event, f) for f in CLAIM_FIELDS},
                     "sources": [_source(s) for s in r.event.sources]}
                    for r in d.reports],
        "decisions": [{"report_id": x.report_id, "decision_no": x.decision_no,
                       "event_id": x.event_id, "decision": x.decision,
                       "partner_report_id": x.partner_report_id, "score": x.score,
                       "features": x.features} for x in d.decisions],
    }


def _source(s) -> dict:
    return {k: getattr(s, k) for k in ("doc_id", "outlet", "published", "url", "quote", "start",
                                       "end", "spans", "claims")}


def document(doc: DocumentView) -> dict:
    """GET /documents/{id}."""
    return {"doc_id": doc.doc_id, "doc_hash": doc.doc_hash, "title": doc.title,
            "outlet": doc.outlet, "published": doc.published, "url": doc.url,
            "text": doc.text, "spans": doc.spans}


def aggregates(rows: list[AggregateRow], by: str, interval: str) -> dict:
    """GET /aggregates."""
    return {"by": by, "interval": interval,
            "rows": [{"period": r.period, "key": r.key, "events": r.events,
                      "fatalities": r.fatalities} for r in rows]}


def add_news(r: AddNewsResult) -> dict:
    """POST /ingest."""
    return {"documents_new": r.documents_new, "documents_skipped": r.documents_skipped,
            "events_created": r.events_created, "reports_merged": r.reports_merged,
            "problems": r.problems, "events": [event_record(s) for s in r.events]}


def highlight(text: str, spans: list[tuple[int, int]]) -> list[tuple[str, bool]]:
    """Cut text into (piece, highlighted) runs; overlapping spans are merged."""
    merged: list[list[int]] = []
    for start, end in sorted((max(0, s), min(len(text), e)) for s, e in spans if e > s):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        elif start < len(text):
            merged.append([start, end])
    runs, pos = [], 0
    for start, end in merged:
        if start > pos:
            runs.append((text[pos:start], False))
        runs.append((text[start:end], True))
        pos = end
    if pos < len(text):
        runs.append((text[pos:], False))
    return runs


def event_context(d: EventDetail) -> dict:
    """Template context of the event page."""
    return {"detail": event_detail(d), "claim_fields": CLAIM_FIELDS}


def document_context(doc: DocumentView, event_id: Optional[str] = None,
                     explanation: Optional[dict] = None) -> dict:
    """Template context of the document page: its text cut into highlighted runs, and
    each sentence's decision when the document was explained."""
    spans = [(s["start"], s["end"]) for s in doc.spans
             if event_id is None or s["event_id"] == event_id]
    runs = highlight(doc.text, spans) if doc.text else []
    return {"doc": document(doc), "runs": runs, "explanation": explanation}


def brief(view: BriefView) -> dict:
    """GET /brief as JSON: every figure, hotspot, notable sentence and reference."""
    data = dataclasses.asdict(view.brief)
    data.pop("figures", None)
    w = view.brief.scope.window
    data["scope"]["window"] = {"since": w.since.isoformat(), "until": w.until.isoformat(),
                               "days": w.days, "baseline_windows": w.baseline_windows,
                               "previous": [d.isoformat() for d in w.previous],
                               "baseline": [d.isoformat() for d in w.baseline]}
    data["figures"] = sorted(view.figures)
    data["filters_not_applied"] = list(view.ignored)
    return _plain(data)


def _plain(value: Any) -> Any:
    """Tuples to lists and dates to ISO strings, all the way down (JSON-ready)."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def brief_context(view: BriefView, query: str) -> dict:
    """Template context of the brief page: the brief's own HTML (briefs.render_html, figures
    inlined as data URIs) with its references linked to the event and document pages."""
    uris = {k: "data:image/png;base64," + base64.b64encode(v).decode("ascii")
            for k, v in view.figures.items()}
    page = render_html(view.brief, uris)
    found = _BODY.search(page)
    body = _link_references(found.group(1) if found else "", view.brief)
    return {"title": view.brief.title, "body": body, "query": query,
            "ignored": view.ignored, "n_references": len(view.brief.references)}


def _link_references(body: str, b: Brief) -> str:
    refs = {r.number: r for r in b.references}

    def link(m: re.Match) -> str:
        ref = refs.get(int(m.group(1)))
        if ref is None:
            return m.group(0)
        # URLs come from the Reference itself, not from the escaped text.
        event_url = f"/events/{quote(ref.event_id, safe='')}?format=html"
        doc_url = f"/documents/{quote(ref.doc_id, safe='')}?format=html"
        text = _EVENT_CODE.sub(lambda c: f'{c.group(1)}<a class="event-link" href="{event_url}">'
                               f"{c.group(2)}</a>", m.group(0), count=1)
        return _DOC_CODE.sub(lambda c: f'(document <a class="doc-link" href="{doc_url}">'
                             f"{c.group(1)}</a>)", text, count=1)
    return _REF_PARAGRAPH.sub(link, body)
