"""Routes of the analyst's loop: corrections (PATCH, split, merge, accept, history), the
review queue page, saved searches and their Atom feeds.

Each route checks the token (writes), parses its JSON body, calls one `analyst` function and
renders the result. Saved-search filters use the `/events` query parameters' names and are
checked by the same rules as those parameters.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import inspect
import re
import xml.etree.ElementTree as ET
from typing import Any, Optional

from fastapi import Body, FastAPI, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response
from jinja2 import Environment

from .. import analyst
from ..errors import BadRequest
from ..store.query import EventQuery
from .. import services
from ..errors import NotFound
from ..services import StorePool, WebSettings

__all__ = ["add_analyst_routes", "query_from_filter"]

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
_ATOM = "http://www.w3.org/2005/Atom"
_FEED_SIZE = 200


def query_from_filter(filter: dict, limit: int = _FEED_SIZE) -> EventQuery:
    """The EventQuery of a saved filter (`/events` parameter names; BadRequest otherwise)."""
    from .app import event_query  # the one definition of the parameters and their checks
    params = inspect.signature(event_query).parameters
    known = set(params) - {"sort", "order", "limit", "offset"}
    if not isinstance(filter, dict):
        raise BadRequest("filter must be an object of /events query parameters")
    unknown = sorted(set(filter) - known)
    if unknown:
        raise BadRequest(f"unknown filter field(s) {', '.join(unknown)}; use the /events"
                         f" parameters: {', '.join(sorted(known))}")
    args: dict[str, Any] = {name: getattr(p.default, "default", p.default)
                            for name, p in params.items()}
    for name, value in filter.items():
        if value is not None and not isinstance(value, (str, int, float)):
            raise BadRequest(f"filter field {name} must be a string or a number")
        args[name] = value
    for name in ("date_from", "date_to"):
        if args[name]:
            analyst.real_date(args[name], name)  # the route's pattern, applied here by hand
    args.update(sort="event_date", order="desc", limit=limit, offset=0)
    return event_query(**args)


def add_analyst_routes(app: FastAPI, pool: StorePool, settings: WebSettings,
                       pages: Environment) -> None:
    """Register the analyst's routes on the app."""
    db = settings.db_url

    def write(request: Request) -> None:
        from .app import request_token
        services.check_token(settings, request_token(request))

    def run(fn, *args):
        try:
            return fn(*args)
        except analyst.UnknownEvent as exc:
            raise NotFound(str(exc)) from exc

    @app.patch("/events/{event_id}", summary="Correct an event's fields (needs the token)")
    async def correct(event_id: str, request: Request, body: dict = Body(
            ..., examples=[{"fatalities": 3, "reason": "the second report gives three"}])
    ) -> Response:
        write(request)
        changes = {k: v for k, v in body.items() if k not in ("reason", "author")}
        event, row = await run_in_threadpool(run, analyst.correct_event, db, event_id,
                                             changes, body.get("reason"), body.get("author"))
        return JSONResponse({"event": event.to_record(), "correction": _correction(row)})

    @app.post("/events/merge", summary="Merge events into the first one (needs the token)")
    async def merge(request: Request, body: dict = Body(
            ..., examples=[{"event_ids": ["a", "b"], "reason": "same strike"}])) -> Response:
        write(request)
        ids = body.get("event_ids")
        if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
            raise BadRequest("event_ids must be a list of event ids")
        kept = await run_in_threadpool(run, analyst.merge_events, db, ids, body.get("reason"),
                                       body.get("author"))
        return JSONResponse({"event_id": kept})

    @app.post("/events/{event_id}/split", summary="Split reports off an event into a new one"
              " (needs the token)")
    async def split(event_id: str, request: Request, body: dict = Body(
            ..., examples=[{"report_ids": ["r1"], "reason": "a different day"}])) -> Response:
        write(request)
        ids = body.get("report_ids")
        if not isinstance(ids, list) or not ids or not all(isinstance(i, str) for i in ids):
            raise BadRequest("report_ids must be a non-empty list of report ids")
        new_id = await run_in_threadpool(run, analyst.split_event, db, event_id, ids,
                                         body.get("reason"), body.get("author"))
        return JSONResponse({"event_id": new_id, "from_event": event_id})

    @app.post("/events/{event_id}/accept", summary="Mark an event checked (needs the token)")
    async def accept(event_id: str, request: Request,
                     body: Optional[dict] = Body(None)) -> Response:
        write(request)
        body = body or {}
        row = await run_in_threadpool(run, analyst.accept_event, db, event_id,
                                      body.get("reason") or "checked against the sources",
                                      body.get("author"))
        return JSONResponse({"correction": _correction(row)})

    @app.get("/events/{event_id}/history", summary="Every link decision and correction of an"
             " event: who, when, before, after, why")
    def history(event_id: str) -> Response:
        rows = run(analyst.event_history, db, event_id)
        return JSONResponse({"event_id": event_id,
                             "history": [dataclasses.asdict(h) for h in rows]})

    @app.get("/places", summary="Gazetteer entries of a name (packaged and pinned), the most"
             " populous first: the place picker of the event panel")
    def places(name: str = Query(..., min_length=1, max_length=300),
               limit: int = Query(20, ge=1, le=100)) -> Response:
        return JSONResponse({"places": analyst.find_places(name, limit)})

    @app.post("/places", summary="Pin a place (a village) into the place overlay that every"
              " later ingest reads (needs the token)")
    async def pin(request: Request, body: dict = Body(..., examples=[{
            "name": "Tell Dahab", "latitude": 36.2, "longitude": 37.6, "country": "SY",
            "admin1": "Aleppo", "reason": "village missing from the gazetteer"}])) -> Response:
        write(request)
        row = await run_in_threadpool(analyst.pin_place, body, body.get("reason"),
                                      body.get("author"))
        return JSONResponse({"place": row}, status_code=201)

    @app.post("/actors/aliases", summary="Teach the actor dictionary a new name for a known"
              " actor (needs the token)")
    async def alias(request: Request, body: dict = Body(..., examples=[{
            "alias": "Tanzim al-Dawla", "actor": "isis", "reason": "local name"}])) -> Response:
        write(request)
        line = await run_in_threadpool(analyst.add_actor_alias, body.get("alias"),
                                       body.get("actor"), body.get("reason"),
                                       body.get("author"))
        return JSONResponse({"alias": line["aliases"][0], "actor": line["id"],
                             "name": line["name"]}, status_code=201)

    @app.get("/review", summary="Events most likely wrong first (HTML page or JSON)")
    def review(request: Request, limit: int = Query(50, ge=1, le=500),
               format: Optional[str] = Query(None, pattern="^(html|json)$")) -> Response:
        from .app import html_page, wants_html
        items = analyst.review_queue(db, limit)
        if wants_html(request, format):
            return html_page(pages, "review.html", {
                "items": items, "write_enabled": bool(settings.token)})
        return JSONResponse({"events": [{**i.record, "review_score": i.score,
                                         "review_reasons": list(i.reasons)} for i in items]})

    @app.post("/searches", summary="Save a search: a name and a filter of /events parameters"
              " (needs the token); its feed is /feeds/{name}.atom")
    async def save_search(request: Request, body: dict = Body(
            ..., examples=[{"name": "deir-battles", "filter": {"admin1": "Deir-ez-Zor",
                                                               "event_type": "Battles"}}])
    ) -> Response:
        write(request)
        name, filter = body.get("name"), body.get("filter") or {}
        if not isinstance(name, str) or not _NAME.match(name):
            raise BadRequest("name must be 1-64 letters, digits, '.', '_' or '-'")
        query_from_filter(filter)
        saved = await run_in_threadpool(analyst.save_search, db, name, filter)
        return JSONResponse({"name": saved.name, "filter": saved.filter,
                             "feed": f"/feeds/{saved.name}.atom"}, status_code=201)

    @app.get("/searches", summary="The saved searches and their feeds")
    def searches() -> Response:
        return JSONResponse({"searches": [{"name": s.name, "filter": s.filter,
                                           "feed": f"/feeds/{s.name}.atom"}
                                          for s in analyst.saved_searches(db)]})

    @app.get("/feeds/{name}.atom", summary="Atom feed of a saved search, newest first")
    def feed(name: str, request: Request) -> Response:
        saved = analyst.saved_search(db, name)
        if saved is None:
            raise NotFound(f"no saved search {name!r}")
        records = services.list_events(pool, query_from_filter(saved.filter)).events
        base = str(request.base_url).rstrip("/")
        return Response(atom_feed(saved, records, base),
                        media_type="application/atom+xml; charset=utf-8")


def atom_feed(saved, records: list[dict], base: str) -> bytes:
    """An Atom 1.0 document: one entry per event (title, note, permalink), newest first."""
    ET.register_namespace("", _ATOM)

    def el(parent, tag: str, text: Optional[str] = None, **attrs: str):
        node = ET.SubElement(parent, f"{{{_ATOM}}}{tag}", attrs)
        if text is not None:
            node.text = text
        return node
    root = ET.Element(f"{{{_ATOM}}}feed")
    el(root, "id", f"{base}/feeds/{saved.name}.atom")
    el(root, "title", f"eventwire: {saved.name}")
    el(root, "link", href=f"{base}/feeds/{saved.name}.atom", rel="self")
    stamps = [r.get("updated_at") or saved.created_at for r in records] or [saved.created_at]
    el(root, "updated", _stamp(max(stamps)))
    author = el(root, "author")
    el(author, "name", "eventwire")
    for rec in records:
        entry = el(root, "entry")
        link = f"{base}/events/{rec['event_id']}"
        el(entry, "id", link)
        el(entry, "title", " — ".join(x for x in (rec.get("event_date"),
                                                   rec.get("sub_event_type"),
                                                   rec.get("location") or rec.get("admin1"))
                                       if x))
        el(entry, "link", href=link, rel="alternate")
        el(entry, "updated", _stamp(rec.get("updated_at") or saved.created_at))
        el(entry, "summary", rec.get("notes") or "")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def _stamp(seconds: int) -> str:
    return dt.datetime.fromtimestamp(int(seconds), dt.timezone.utc).strftime(
        "%Y-%m-%dT%H:%M:%SZ")


def _correction(row) -> dict:
    return dataclasses.asdict(row)
