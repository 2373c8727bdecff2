"""The web edge of `eventwire serve`: the route table of the HTTP API and the dashboard.

Each route parses its input, calls one `services` function and renders the result; the
event and document routes answer HTML or JSON from the same call (by `Accept` or
`?format=`), so the pages and the API cannot drift apart. Service errors become status
codes in one handler. Every response carries a strict Content-Security-Policy: the page
runs only its own scripts, so a script smuggled inside article text cannot execute even if
something failed to escape it.
"""
from __future__ import annotations

import dataclasses
import inspect
import json
import logging
import math
import os
import re
import uuid
from contextlib import asynccontextmanager
from typing import Any, AsyncIterator, Optional
from urllib.parse import urlencode, urlsplit

from fastapi import Depends, FastAPI, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse, Response, StreamingResponse
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, PackageLoader, select_autoescape

from .. import __version__, analyst
from ..store.analytics import AGG_BY, AGG_INTERVALS
from ..filter_values import checked_query, known_values
from ..store.query import SORT_KEYS, EventQuery
from ..errors import (BadRequest, BadUpload, Conflict, EventwireError, NotFound, StoreError,
                      TooLarge, WriteDenied)
from .. import services
from . import render
from .analyst_routes import add_analyst_routes
from .map_routes import add_map_routes
from ..services import StorePool, WebSettings

__all__ = ["SETTINGS_ENV", "app_from_environment", "create_app"]

SETTINGS_ENV = "EVENTWIRE_WEB_SETTINGS"  # JSON WebSettings for multi-process serving

# A real calendar date YYYY-MM-DD (years 0001-9999, Feb 29 only in leap years), so the schema
# promises exactly what the handlers accept.
_YEAR = r"(?:000[1-9]|00[1-9]\d|0[1-9]\d\d|[1-9]\d{3})"
_LEAP = r"(?:\d\d(?:0[48]|[2468][048]|[13579][26])|(?:0[48]|[2468][048]|[13579][26])00)"
_DATE = (rf"^(?:{_YEAR}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12]\d|3[01])"
         r"|(?:0[469]|11)-(?:0[1-9]|[12]\d|30)|02-(?:0[1-9]|1\d|2[0-8]))"
         rf"|{_LEAP}-02-29)$")
_NUMBER = r"[-+]?(?:\d{1,20}(?:\.\d{0,20})?|\.\d{1,20})(?:[eE][-+]?\d{1,2})?"  # finite
_BBOX = rf"^{_NUMBER},{_NUMBER},{_NUMBER},{_NUMBER}$"
_TEXT = r"^[^\x00]*$"  # no stored text can hold a NUL, so the schema says none is taken
_EXPORT_TYPES = {"jsonl": ("application/x-ndjson", "jsonl"),
                 "geojson": ("application/geo+json", "geojson"),
                 "acled-csv": ("text/csv; charset=utf-8", "csv")}
# The one place errors become HTTP statuses; any other exception is a defect: a 500 with an
# error id (see _InternalErrors), never a 400.
_STATUS = {BadRequest: 400, BadUpload: 400, NotFound: 404, WriteDenied: 403, TooLarge: 413,
           Conflict: 409, StoreError: 503}
# GET /points: the located events of the view, one array per point in `fields` order (id,
# date, type, sub-event type: text or null; latitude, longitude: numbers; fatalities: an
# integer or null).
_POINTS = {200: {"description": "The view's located events, newest first (up to max_points)",
                 "content": {"application/json": {"schema": {
                     "type": "object", "required": ["count", "fields", "rows"],
                     "properties": {
                         "count": {"type": "integer", "minimum": 0},
                         "fields": {"const": list(render.POINT_FIELDS)},
                         "rows": {"type": "array", "items": {
                             "type": "array", "minItems": len(render.POINT_FIELDS),
                             "maxItems": len(render.POINT_FIELDS),
                             "items": {"type": ["string", "number", "null"]}}}}}}}}}
MAX_OFFSET = 1_000_000_000  # far past any store; keeps the value inside SQL's 64-bit integers
log = logging.getLogger(__name__)


def create_app(settings: WebSettings) -> FastAPI:
    """The ASGI application serving one store."""
    pool = StorePool(settings.db_url)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        pool.close()

    app = FastAPI(title="eventwire", version=__version__, lifespan=lifespan,
                  description="Conflict events coded from news: query, aggregate, export, add.",
                  docs_url=None, redoc_url=None)  # their pages load scripts from a CDN
    pages = Environment(loader=PackageLoader("eventwire.web", "templates"),
                        autoescape=select_autoescape(["html"], default=True))
    app.state.pool, app.state.settings = pool, settings
    app.state.bodies = render.CachedBodies()
    # zlib's own level 6, not Starlette's 9: a 5,000-point map answer (530 kB) compresses to
    # 45 kB in 5.8 ms instead of 44 kB in 13.9 ms
    app.add_middleware(GZipMiddleware, minimum_size=2000, compresslevel=6)
    if settings.allowed_hosts:
        from starlette.middleware.trustedhost import TrustedHostMiddleware
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=list(settings.allowed_hosts))
    _add_error_handlers(app)
    _document_errors(app)
    _add_headers(app, settings)
    app.mount("/static", StaticFiles(packages=[("eventwire.web", "static")]), name="static")
    _add_read_routes(app, pool, settings, pages)
    _add_summary_routes(app, pool, settings, pages)
    _add_write_routes(app, pool, settings)
    add_analyst_routes(app, pool, settings, pages)
    add_map_routes(app, _BBOX, _bbox)
    return app


def app_from_environment() -> FastAPI:
    """The app built from $EVENTWIRE_WEB_SETTINGS: the factory each uvicorn worker
    process calls when `eventwire serve --workers N` runs several."""
    raw = os.environ.get(SETTINGS_ENV)
    if not raw:
        raise RuntimeError(f"${SETTINGS_ENV} is not set: start the server with eventwire serve")
    return create_app(WebSettings(**json.loads(raw)))


def event_query(
    date_from: Optional[str] = Query(None, pattern=_DATE, description="first day, YYYY-MM-DD"),
    date_to: Optional[str] = Query(None, pattern=_DATE, description="last day, YYYY-MM-DD"),
    event_type: Optional[str] = Query(None, max_length=100, pattern=_TEXT,
                                      description="an event type or a sub-event type"),
    sub_event_type: Optional[str] = Query(None, max_length=100, pattern=_TEXT),
    actor: Optional[str] = Query(None, max_length=200, pattern=_TEXT, description="an actor's name or any alias the actor dictionary knows"
                                  " (ISIS, Daesh: Islamic State), else a substring of any actor"),
    admin1: Optional[str] = Query(None, max_length=100, pattern=_TEXT),
    country: Optional[str] = Query(None, max_length=100, pattern=_TEXT),
    location: Optional[str] = Query(None, max_length=200, pattern=_TEXT, description="substring of location"),
    bbox: Optional[str] = Query(None, max_length=100, pattern=_BBOX,
                                description="min_lon,min_lat,max_lon,max_lat"),
    min_confidence: Optional[float] = Query(None, ge=0, le=1),
    q: Optional[str] = Query(None, max_length=200, pattern=_TEXT, description="words that begin words of the notes or quotes (full-text index)"),
    sort: str = Query("event_date", pattern=f"^({'|'.join(SORT_KEYS)})$",
                      description="one of " + ", ".join(SORT_KEYS)),
    order: str = Query("desc", pattern="^(asc|desc)$"),
    limit: int = Query(100, ge=1, le=1000),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
) -> EventQuery:
    """The shared filter, order and page parameters of every events route."""
    texts = {"event_type": event_type, "sub_event_type": sub_event_type, "actor": actor,
             "admin1": admin1, "country": country, "location": location, "q": q}
    for name, value in texts.items():
        if value and "\x00" in value:  # no stored text can hold one (see Store.execute)
            raise BadRequest(f"{name}: must not contain a NUL character (%00)")
    if sort not in SORT_KEYS:
        raise BadRequest(f"sort must be one of {', '.join(SORT_KEYS)}")
    return EventQuery(date_from, date_to, event_type or None, sub_event_type or None,
                      analyst.actor_filter(actor) or None, admin1 or None, country or None, location or None,
                      _bbox(bbox), min_confidence, q or None, sort, order == "desc", limit,
                      offset)


async def _parsed_event_query(**params: Any) -> EventQuery:
    """`event_query` as a dependency: async, since it only parses (FastAPI runs a plain
    function's dependency in a worker thread, a hop per request for nothing)."""
    return event_query(**params)


_parsed_event_query.__signature__ = inspect.signature(event_query)  # type: ignore[attr-defined]


def checked_event_query(request: Request,
                        query: EventQuery = Depends(_parsed_event_query)) -> EventQuery:
    """The filters with place aliases resolved against the store ("Dayr Az Zawr" is
    Deir-ez-Zor); a value the store does not hold is a 400 naming the nearest known ones."""
    pool: StorePool = request.app.state.pool
    return checked_query(pool.cached(("known-values",), known_values), query)


def _bbox(text: Optional[str]) -> Optional[tuple[float, float, float, float]]:
    if not text:
        return None
    try:
        parts = tuple(float(v) for v in text.split(","))
    except ValueError as exc:
        raise BadRequest("bbox must be four numbers: min_lon,min_lat,max_lon,max_lat") from exc
    if len(parts) != 4 or not all(math.isfinite(v) for v in parts):
        raise BadRequest("bbox must be four numbers: min_lon,min_lat,max_lon,max_lat")
    return parts  # type: ignore[return-value]


def _view_query(request: Request) -> str:
    """The request's query string without `format` (links to the same view elsewhere)."""
    return urlencode([(k, v) for k, v in request.query_params.multi_items() if k != "format"])


def wants_html(request: Request, fmt: Optional[str]) -> bool:
    if fmt:
        return fmt == "html"
    accept = request.headers.get("accept", "")
    return "text/html" in accept and "application/json" not in accept


def _add_read_routes(app: FastAPI, pool: StorePool, settings: WebSettings,
                     pages: Environment) -> None:
    dashboard_page = pages.get_template("index.html").render()  # no per-request content

    @app.get("/", include_in_schema=False)
    async def dashboard() -> Response:
        return HTMLResponse(dashboard_page)

    @app.get("/config", summary="What the dashboard needs to know about this server")
    def config() -> dict:
        return {"write_enabled": bool(settings.token), "tile_url": settings.tile_url,
                "boundaries": services.boundary_names(settings), "version": __version__,
                "export_formats": list(_EXPORT_TYPES),
                "sub_event_types": analyst.event_types() if settings.token else {}}

    @app.get("/events", summary="Events matching the filters, one page, sorted")
    def events(query: EventQuery = Depends(checked_event_query)) -> Response:
        page = services.list_events(pool, query)
        return _json_bytes(render.event_page(page, query))

    @app.get("/points", summary="Compact map points (id, date, type, lat, lon, fatalities)",
             responses=_POINTS)
    def points(query: EventQuery = Depends(checked_event_query),
               max_points: int = Query(5000, ge=1, le=20000)) -> Response:
        # the map's newest points: capped at max_points in the database (its LIMIT)
        found = services.points(pool, dataclasses.replace(query, limit=max_points))
        return _json_bytes(render.points(found))

    @app.get("/events/{event_id}", summary="One event: sources, quotes, claims, merge history")
    def event(event_id: str, request: Request, format: Optional[str] = Query(
            None, pattern="^(html|json)$")) -> Response:
        detail = services.get_event(pool, event_id)
        if wants_html(request, format):
            return html_page(pages, "event.html", render.event_context(detail))
        return _json(render.event_detail(detail))

    # Before the document route, whose `:path` would swallow the "/explain".
    @app.get("/documents/{doc_id:path}/explain",
             summary="Why each sentence of a stored document did or did not become an event")
    def explain_document(doc_id: str) -> Response:
        return _json(services.explain_document(pool, doc_id))

    # `:path`: a document id may hold '/' (a file's relative path, a URL-like JSONL id).
    @app.get("/documents/{doc_id:path}", summary="A document's cleaned text and its event spans")
    def document(doc_id: str, request: Request, format: Optional[str] = Query(
            None, pattern="^(html|json)$")) -> Response:
        doc = services.document(pool, doc_id)
        if wants_html(request, format):
            explanation = services.explain_document(pool, doc_id) if doc.text else None
            return html_page(pages, "document.html",
                             render.document_context(doc, explanation=explanation))
        return _json(render.document(doc))


def _add_summary_routes(app: FastAPI, pool: StorePool, settings: WebSettings,
                        pages: Environment) -> None:
    @app.get("/aggregates", summary="Events and fatalities per day/week/month by a field")
    def aggregates(query: EventQuery = Depends(checked_event_query),
                   by: str = Query("event_type", pattern=f"^({'|'.join(AGG_BY)})$",
                                   description="one of " + ", ".join(AGG_BY)),
                   interval: str = Query("total", pattern=f"^({'|'.join(AGG_INTERVALS)})$",
                                         description="one of " + ", ".join(AGG_INTERVALS))
                   ) -> Response:
        rows = services.aggregates(pool, query, by, interval)
        return _json_bytes(app.state.bodies.body(rows, ("aggregates", by, interval),
                                                 lambda: render.aggregates(rows, by, interval)))

    @app.get("/facets", summary="Values for filter menus, with counts; the date span")
    def facets() -> Response:
        found = services.facets(pool)
        return _json_bytes(app.state.bodies.body(found, ("facets",), lambda: found))

    @app.get("/export/{fmt}", summary="The filtered view as jsonl, geojson or acled-csv")
    def export(fmt: str, query: EventQuery = Depends(checked_event_query)) -> Response:
        out = services.export(pool, query, fmt)
        media, suffix = _EXPORT_TYPES[fmt]

        def chunks():
            with out:
                while block := out.read(65536):
                    yield block
        return StreamingResponse(chunks(), media_type=media, headers={
            "Content-Disposition": f'attachment; filename="eventwire-events.{suffix}"'})

    @app.get("/brief", summary="Situation brief of the filtered view (HTML page or JSON)")
    def brief(request: Request, query: EventQuery = Depends(checked_event_query),
              admin2: Optional[str] = Query(None, max_length=100),
              days: int = Query(7, ge=1, le=366, description="window length when the view"
                                " has no dates"),
              format: Optional[str] = Query(None, pattern="^(html|json)$")) -> Response:
        view = services.brief(pool, query, admin2, days)
        if wants_html(request, format):
            return html_page(pages, "brief.html", render.brief_context(view, _view_query(request)))
        return _json(render.brief(view))

    @app.get("/brief/download/{fmt}", summary="The brief of the filtered view as md, html or pdf")
    def brief_download(fmt: str, query: EventQuery = Depends(checked_event_query),
                       admin2: Optional[str] = Query(None, max_length=100),
                       days: int = Query(7, ge=1, le=366)) -> Response:
        out = services.brief_file(pool, services.brief_request(query, admin2, days), fmt)
        return Response(out.data, media_type=out.media_type, headers={
            "Content-Disposition": f'attachment; filename="{out.filename}"'})

    @app.get("/boundaries/{name}", summary="An offline boundary layer (GeoJSON)")
    def boundary(name: str) -> Response:
        return Response(services.boundary_layer(settings, name),
                        media_type="application/geo+json")


def _add_write_routes(app: FastAPI, pool: StorePool, settings: WebSettings) -> None:
    @app.post("/ingest", summary="Add news: pasted text and/or uploaded files (needs the token)")
    async def ingest(request: Request) -> Response:
        token = request_token(request)
        services.check_token(settings, token)  # refuse before reading a large body
        length = request.headers.get("content-length")
        if length is None:
            return _error(411, "uploads need a Content-Length")
        if not length.isdigit() or int(length) > settings.max_request_bytes:
            raise TooLarge(f"the upload is larger than"
                                   f" {settings.max_request_bytes // 1_000_000} MB")
        uploads = await _read_form(request, settings)
        result = await run_in_threadpool(services.add_news, settings, pool, uploads, token)
        return _json(render.add_news(result))


def request_token(request: Request) -> Optional[str]:
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        return auth[7:].strip()
    return request.headers.get("x-eventwire-token")


async def _read_form(request: Request, settings: WebSettings) -> list[services.Upload]:
    form = await request.form(max_files=settings.max_files, max_fields=20,
                              max_part_size=settings.max_file_bytes)
    uploads: list[services.Upload] = []
    text = form.get("text")
    if isinstance(text, str) and text.strip():
        meta = {k: _str(form.get(k)) for k in ("title", "outlet", "published", "url")}
        uploads.append(services.pasted_upload(text, **meta))
    for item in form.getlist("files"):
        if isinstance(item, str):
            continue
        data = await item.read(settings.max_file_bytes + 1)
        if not item.filename and not data:
            continue  # an empty file input
        uploads.append(services.Upload(item.filename or "upload.txt", data))
    return uploads


def _str(value: Any) -> Optional[str]:
    return value.strip()[:500] or None if isinstance(value, str) else None


def _json(data: Any, status: int = 200) -> Response:
    return JSONResponse(data, status_code=status)


def _json_bytes(body: bytes) -> Response:
    """A 200 answer of JSON already encoded (render.json_body)."""
    return Response(body, media_type="application/json")


def _error(status: int, message: str, code: Optional[str] = None) -> Response:
    body = {"error": message, **({"code": code} if code else {})}
    return JSONResponse(body, status_code=status)


def html_page(pages: Environment, name: str, context: dict) -> Response:
    return Response(pages.get_template(name).render(**context),
                    media_type="text/html; charset=utf-8")


# Routes that answer files rather than JSON, and the media types they send.
_MEDIA = {"/export/": [m for m, _ in _EXPORT_TYPES.values()],
          "/brief/download/": ["text/markdown", "text/html", "application/pdf"],
          "/boundaries/": ["application/geo+json"], "/feeds/": ["application/atom+xml"]}
_ERROR_SCHEMA = {"type": "object", "required": ["error"], "properties": {
    "error": {"type": "string"}, "code": {"type": "string"}, "id": {"type": "string"}}}


def _document_errors(app: FastAPI) -> None:
    """Name in the OpenAPI schema the error answers the handlers below give: 400 for a bad
    parameter (instead of FastAPI's 422), 404 where a path names a thing, the write refusals
    on writes, 503 and 500 everywhere (each with the JSON error body)."""
    from fastapi.openapi.utils import get_openapi

    def error(description: str) -> dict:
        return {"description": description,
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}

    def openapi() -> dict:
        if app.openapi_schema:
            return app.openapi_schema
        schema = get_openapi(title=app.title, version=app.version,
                             description=app.description, routes=app.routes)
        schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = _ERROR_SCHEMA
        for path, item in schema.get("paths", {}).items():
            for method, operation in item.items():
                responses = operation.setdefault("responses", {})
                content = responses.setdefault("200", {}).setdefault("content", {})
                if any(p.get("name") == "format" for p in operation.get("parameters", [])):
                    content["text/html"] = {"schema": {"type": "string"}}  # the page view
                for prefix, media in _MEDIA.items():
                    if path.startswith(prefix):
                        content.pop("application/json", None)
                        content.update({m: {"schema": {"type": "string"}} for m in media})
                responses.pop("422", None)
                responses["400"] = error("a parameter is malformed or out of range")
                if "{" in path:
                    responses["404"] = error("no such event, document, layer or format")
                if any(p.get("name") == "admin1" for p in operation.get("parameters", [])):
                    responses["404"] = error("a filter value names nothing in the store"
                                             " (code unknown-filter-value; the nearest known"
                                             " values are in the message)")
                if method in ("post", "patch", "put", "delete"):
                    responses["403"] = error("writing is off, or the token is wrong")
                    responses["409"] = error("the change contradicts the stored data")
                    responses["413"] = error("the request is too large")
                responses["503"] = error("the store is unavailable")
                responses["500"] = error("an internal error (a defect), with its id")
        for name in ("HTTPValidationError", "ValidationError"):
            schema["components"]["schemas"].pop(name, None)
        app.openapi_schema = schema
        return schema
    app.openapi = openapi  # type: ignore[method-assign]


def _add_error_handlers(app: FastAPI) -> None:
    from fastapi.exceptions import RequestValidationError
    from starlette.exceptions import HTTPException as StarletteHTTPException

    @app.exception_handler(EventwireError)
    async def refused(_: Request, exc: EventwireError) -> Response:
        status = next((s for cls, s in _STATUS.items() if isinstance(exc, cls)), 400)
        message = f"store unavailable: {exc}" if status == 503 else str(exc)
        return _error(status, message, exc.code)

    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, exc: RequestValidationError) -> Response:
        # A malformed or out-of-range parameter is the client's: 400, naming the parameter.
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'][1:])}: {e['msg']}"
                             for e in exc.errors())
        return _error(400, problems or "invalid request", BadRequest.code)

    app.add_middleware(_InternalErrors)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, exc: StarletteHTTPException) -> Response:
        message = exc.detail if isinstance(exc.detail, str) else "request refused"
        if re.search(r"(?i)maximum|too large|exceed", message):
            return _error(413, message)
        response = _error(exc.status_code, message)
        response.headers.update(exc.headers or {})  # e.g. 405's Allow
        return response


def _tile_origin(url: Optional[str]) -> str:
    if not url:
        return ""
    parts = urlsplit(url)
    host = "*." + parts.netloc[4:] if parts.netloc.startswith("{s}.") else parts.netloc
    return f" {parts.scheme}://{host}"


def _add_headers(app: FastAPI, settings: WebSettings) -> None:
    csp = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline';"
           f" img-src 'self' data: blob:{_tile_origin(settings.tile_url)}; connect-src 'self';"
           " object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
    app.add_middleware(_SecurityHeaders, headers=[
        (b"content-security-policy", csp.encode()), (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"no-referrer")])


class _InternalErrors:
    """Any exception no handler claimed is a defect: answer 500 with an error id (the
    traceback goes to the log under the same id) instead of dropping the connection."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: dict) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)
        try:
            await self.app(scope, receive, tracking_send)
        except Exception:  # noqa: BLE001 -- the last line of defence
            error_id = uuid.uuid4().hex[:12]
            log.exception("internal error %s on %s", error_id, scope.get("path"))
            if started:  # a streamed body broke mid-way: nothing can be said any more
                raise
            response = JSONResponse({"error": f"internal error {error_id}: please report it",
                                     "code": "internal-error", "id": error_id},
                                    status_code=500)
            await response(scope, receive, send)


class _SecurityHeaders:
    """Adds fixed headers to every response (plain ASGI: no per-request task or stream)."""

    def __init__(self, app: Any, headers: list[tuple[bytes, bytes]]) -> None:
        self.app = app
        self.headers = headers

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: dict) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"] = list(message["headers"]) + self.headers
            await send(message)
        await self.app(scope, receive, send_with_headers)
