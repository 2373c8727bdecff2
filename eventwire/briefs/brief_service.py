"""Use case: draft a situation brief from the store and write it as Markdown, HTML or PDF.

Fetches only the filtered slice (the window and its baseline windows) through
`Store.find_events`, asks the store which places and actors it saw before the window, and
hands both to the pure `briefs.build_brief`. Both work on an open store; the services layer
(`services.draft_brief`, `write_brief`, `brief`) calls them on its read-only connection for
the CLI and the dashboard alike.
"""
from __future__ import annotations

import base64
import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Optional

from .briefs import Brief, BriefScope, PriorNames, Window, build_brief, make_window
from .briefs_text import render_html, render_markdown
from ..errors import BadRequest
from ..records import Event
from ..resources import load_brief_tallies
from ..store.briefing import latest_event_date, seen_before
from ..store.db import Store
from ..store.query import EventQuery

__all__ = ["BRIEF_FORMATS", "BriefRequest", "brief_figures", "brief_from_store", "render_brief"]

BRIEF_FORMATS = ("md", "html", "pdf")


@dataclass(frozen=True)
class BriefRequest:
    """What to brief on: the export filters (date_from/date_to set the window) plus admin2."""

    filters: EventQuery = EventQuery()
    admin2: Optional[str] = None
    days: int = 7  # default window length when no --since is given
    baseline_windows: int = 4


def brief_from_store(store: Store, request: BriefRequest, generated_at: str = "") -> Brief:
    """Compute the brief for a request from an open store (reads only: a read-only
    connection serves). `generated_at`: the header's timestamp ("" for none)."""
    f = request.filters
    latest = latest_event_date(store, replace(f, date_from=None, date_to=None))
    window = _window(f, latest, request)
    span = replace(f, date_from=window.baseline[0].isoformat(),
                   date_to=window.until.isoformat())
    events = [s.event for s in store.find_events(span) if _in_admin2(s.event, request)]
    since = window.since.isoformat()
    current = [e for e in events if (e.event_date or "") >= since]
    places, actors = seen_before(store, since, {(e.country, e.location) for e in current},
                                 {a for e in current for a in (e.actor1, e.actor2) if a})
    scope = BriefScope(window, f.admin1, request.admin2, f.actor, f.event_type, f.country,
                       f.bbox)
    return build_brief(events, scope, PriorNames(places, actors), generated_at,
                       load_brief_tallies())


def _window(f: EventQuery, latest: Optional[str], request: BriefRequest) -> Window:
    """The brief's window; BadRequest naming the parameters when the dates or the day count
    are malformed or put the window or its baseline outside the calendar (9999-12-31)."""
    try:
        window = make_window(f.date_from, f.date_to, latest, request.days,
                             request.baseline_windows)
        window.baseline, window.previous  # noqa: B018 -- both must exist in the calendar
    except (ValueError, OverflowError) as exc:
        raise BadRequest(f"date_from/date_to/days (--since/--until/--days): {exc}") from exc
    return window


def _in_admin2(e: Event, request: BriefRequest) -> bool:
    # The store has no admin2 column: filter after the (admin1/date-narrowed) fetch.
    return not request.admin2 or (e.admin2 or "").lower() == request.admin2.lower()


def brief_figures(brief: Brief) -> dict[str, bytes]:
    """The brief's map and timeline as PNG bytes (the map only if something can be placed)."""
    from .briefs_render import load_boundaries, render_map_png, render_timeline_png

    figures = {"timeline": render_timeline_png(brief)}
    map_png = render_map_png(brief, load_boundaries())
    if map_png is not None:
        figures["map"] = map_png
    return figures


def render_brief(store: Store, request: BriefRequest, fmt: str,
                 output: Optional[str]) -> tuple[Brief, bytes]:
    """Draft the brief and render it; writes `output` (and, for Markdown, its PNG figures
    beside it) when a path is given. Returns the brief and the rendered bytes."""
    if fmt not in BRIEF_FORMATS:
        raise BadRequest(f"unknown brief format {fmt!r}; choose one of {', '.join(BRIEF_FORMATS)}")
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    brief = brief_from_store(store, request, generated_at=stamp)
    figures = brief_figures(brief)
    if fmt == "pdf":
        from .briefs_render import render_pdf
        data = render_pdf(brief, figures)
    elif fmt == "html":
        uris = {k: "data:image/png;base64," + base64.b64encode(v).decode("ascii")
                for k, v in figures.items()}
        data = render_html(brief, uris).encode("utf-8")
    else:
        names = _figure_files(output, figures) if output else {}
        data = render_markdown(replace(brief, figures=names)).encode("utf-8")
    if output:
        Path(output).write_bytes(data)
    return brief, data


def _figure_files(output: str, figures: dict[str, bytes]) -> dict[str, str]:
    """Write the PNGs beside the Markdown file; returns name -> relative file name."""
    out = Path(output)
    names = {}
    for key in sorted(figures):
        path = out.with_name(f"{out.stem}-{key}.png")
        path.write_bytes(figures[key])
        names[key] = path.name
    return names
