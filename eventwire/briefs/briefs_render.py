"""Figures and PDF for situation briefs: a static map, a timeline chart and the PDF file.

The map is drawn offline from the package's own boundaries (eventwire/data/boundaries,
Natural Earth via npm world-atlas), with no tiles; events are dots sized by deaths and
coloured by event type, hotspots are labelled. Charts are matplotlib (Agg) PNGs written
without timestamps, so the same brief gives the same bytes. The PDF (fpdf2, DejaVu fonts
shipped with matplotlib) lays out exactly the lines of the Markdown brief plus the figures.
"""
from __future__ import annotations

import datetime as dt
import io
import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Optional

import matplotlib
# The object API (Figure, not pyplot) needs no GUI backend and imports faster.
from matplotlib import dates as mdates
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator
from PIL import Image

from .briefs import Brief
from .briefs_text import render_markdown

__all__ = ["Boundary", "load_boundaries", "render_map_png", "render_pdf",
           "render_timeline_png"]

_TYPE_COLOURS = {"Battles": "#d62728", "Explosions/Remote violence": "#ff7f0e",
                 "Violence against civilians": "#9467bd", "Strategic developments": "#1f77b4",
                 "Protests": "#2ca02c", "Riots": "#8c564b"}
_OTHER_COLOUR = "#7f7f7f"
_PNG_META = {"Software": None}  # keeps the bytes free of the matplotlib version


@dataclass(frozen=True)
class Boundary:
    """One country outline: its name, bounding box and polygon rings (lon, lat)."""

    name: str
    bbox: tuple[float, float, float, float]
    rings: tuple[tuple[tuple[float, float], ...], ...]


@lru_cache(maxsize=1)
def load_boundaries() -> tuple[Boundary, ...]:
    """The packaged country outlines (outer rings only: enough for a locator map)."""
    path = resources.files("eventwire.data").joinpath("boundaries/countries.geojson")
    data = json.loads(path.read_text(encoding="utf-8"))
    out = []
    for feature in data["features"]:
        geom = feature["geometry"]
        polys = [geom["coordinates"]] if geom["type"] == "Polygon" else geom["coordinates"]
        rings = tuple(tuple((x, y) for x, y in poly[0]) for poly in polys)
        xs = [x for r in rings for x, _ in r]
        ys = [y for r in rings for _, y in r]
        out.append(Boundary(feature["properties"]["name"], (min(xs), min(ys), max(xs), max(ys)),
                            rings))
    return tuple(out)


def _extent(brief: Brief, boundaries: tuple[Boundary, ...]
            ) -> Optional[tuple[float, float, float, float]]:
    """Map extent: the events' box padded to at least 3 degrees, else the country's box."""
    pts = [(p.longitude, p.latitude) for p in brief.points]
    if not pts:
        country = (brief.scope.country or "").lower()
        box = next((b.bbox for b in boundaries if b.name.lower() == country), None)
        return box
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    cx, cy = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
    half = max(max(xs) - min(xs), max(ys) - min(ys), 4.0) / 2 * 1.15
    return (cx - half, cy - half, cx + half, cy + half)


def render_map_png(brief: Brief, boundaries: tuple[Boundary, ...]) -> Optional[bytes]:
    """A locator map of the window's events and hotspots (None if nothing can be placed)."""
    box = _extent(brief, boundaries)
    if box is None:
        return None
    fig = Figure(figsize=(7, 6))
    ax = fig.subplots()
    ax.set_facecolor("#e8f0f8")
    _draw_countries(ax, box, boundaries)
    _draw_events(ax, brief)
    placed: list[tuple[float, float]] = []
    for h in brief.hotspots:
        if h.longitude is None or not box[0] <= h.longitude <= box[2]:
            continue
        # Skip a label that would sit on one already drawn (hotspots come biggest first).
        if all(abs(h.longitude - x) + abs(h.latitude - y) > (box[2] - box[0]) / 15
               for x, y in placed):
            placed.append((h.longitude, h.latitude))
            ax.annotate(h.name, (h.longitude, h.latitude), xytext=(6, 6),
                        textcoords="offset points", fontsize=8, weight="bold")
    ax.set_xlim(box[0], box[2])
    ax.set_ylim(box[1], box[3])
    ax.set_aspect(1 / max(math.cos(math.radians((box[1] + box[3]) / 2)), 0.2))
    ax.set_title(f"Events {brief.scope.window.since} to {brief.scope.window.until}"
                 " (dot size: deaths)", fontsize=10)
    return _png(fig)


def _draw_countries(ax, box: tuple[float, float, float, float],
                    boundaries: tuple[Boundary, ...]) -> None:
    shown = [b for b in boundaries if not (b.bbox[0] > box[2] or b.bbox[2] < box[0]
                                            or b.bbox[1] > box[3] or b.bbox[3] < box[1])]
    # One collection for all outlines: adding patches one by one costs seconds.
    ax.add_collection(PolyCollection([r for b in shown for r in b.rings], closed=True,
                                     facecolors="#f4f1ea", edgecolors="#777777",
                                     linewidths=0.6), autolim=False)
    for b in shown:
        cx, cy = (b.bbox[0] + b.bbox[2]) / 2, (b.bbox[1] + b.bbox[3]) / 2
        if box[0] < cx < box[2] and box[1] < cy < box[3]:
            ax.text(cx, cy, b.name, fontsize=9, color="#999999", ha="center", style="italic")


def _draw_events(ax, brief: Brief) -> None:
    types = sorted({p.event_type for p in brief.points})
    for t in types:
        pts = [p for p in brief.points if p.event_type == t]
        ax.scatter([p.longitude for p in pts], [p.latitude for p in pts],
                   s=[18 + 14 * math.sqrt(p.fatalities) for p in pts],
                   c=_TYPE_COLOURS.get(t, _OTHER_COLOUR), alpha=0.75, edgecolors="black",
                   linewidths=0.4, label=f"{t} ({len(pts)})", zorder=3)
    if types:
        legend = ax.legend(loc="lower left", fontsize=7, framealpha=0.9)
        for handle in legend.legend_handles:
            handle.set_sizes([30])  # the key shows colours; sizes would mislead


def render_timeline_png(brief: Brief) -> bytes:
    """Daily events (bars) and deaths (line) over the baseline and the window (shaded)."""
    x = [mdates.date2num(dt.date.fromisoformat(d)) for d, _, _ in brief.daily]
    fig = Figure(figsize=(7, 2.8))
    fig.subplots_adjust(left=0.08, right=0.92, top=0.95, bottom=0.2)
    ax = fig.subplots()
    # One step artist, not one bar patch per day: a 5-month span has 150 days.
    # Half a day either side of each day, but never past matplotlib's calendar (years
    # 1-9999: a window may end on 9999-12-31 or a baseline start on 0001-01-01).
    first, last = mdates.date2num(dt.date.min), mdates.date2num(dt.date.max)

    def edge(v: float) -> float:
        return min(max(v, first), last)
    ax.stairs([n for _, n, _ in brief.daily], [edge(v - 0.5) for v in x] + [edge(x[-1] + 0.5)],
              fill=True, color="#4c72b0", label="events")
    ax.set_xlim(edge(x[0] - 0.5), edge(x[-1] + 0.5))
    ax.set_ylabel("events per day", fontsize=8)
    w = brief.scope.window
    ax.axvspan(edge(mdates.date2num(w.since) - 0.5), edge(mdates.date2num(w.until) + 0.5),
               color="#ffd54f", alpha=0.3, label="this window")
    deaths = ax.twinx()
    deaths.plot(x, [f for _, _, f in brief.daily], color="#c44e52", linewidth=1.2,
                label="deaths")
    deaths.set_ylabel("deaths per day", fontsize=8)
    for axis in (ax, deaths):
        axis.tick_params(labelsize=7)
        axis.set_ylim(bottom=0)
        axis.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.xaxis.set_major_locator(mdates.AutoDateLocator(maxticks=8))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m-%d"))
    handles = ax.get_legend_handles_labels()[0] + deaths.get_legend_handles_labels()[0]
    ax.legend(handles=handles, fontsize=7, loc="upper left")
    return _png(fig, tight=False)


def _png(fig: Figure, tight: bool = True) -> bytes:
    buf = io.BytesIO()
    if tight:
        fig.tight_layout()
    fig.savefig(buf, format="png", dpi=110, metadata=_PNG_META)
    return buf.getvalue()


# -- PDF ---------------------------------------------------------------------------------

def _font_dir() -> Path:
    return Path(matplotlib.get_data_path()) / "fonts" / "ttf"


def render_pdf(brief: Brief, images: dict[str, bytes]) -> bytes:
    """The brief as PDF: the Markdown brief's lines, typeset, with the figures before the
    references."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_creation_date(dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc))  # stable bytes
    pdf.add_font("DejaVu", "", str(_font_dir() / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(_font_dir() / "DejaVuSans-Bold.ttf"))
    pdf.add_font("DejaVu", "I", str(_font_dir() / "DejaVuSans-Oblique.ttf"))
    pdf.set_margins(15, 15, 15)
    pdf.set_auto_page_break(True, 15)
    pdf.add_page()
    table: list[str] = []
    for line in render_markdown(brief).splitlines():
        if line.startswith("|"):
            table.append(line)
            continue
        if table:
            _pdf_table(pdf, table)
            table = []
        if line.startswith("## References"):
            _pdf_images(pdf, images)
        _pdf_line(pdf, line)
    if table:
        _pdf_table(pdf, table)
    return bytes(pdf.output())


def _plain(text: str) -> str:
    text = re.sub(r"`([^`]+)`", r"\1", text)
    text = re.sub(r"\*\*([^*]+)\*\*", r"\1", text)
    return re.sub(r"\*\(([^*]+)\)\*", r"(\1)", text).replace("\\|", "|")


def _pdf_line(pdf, line: str) -> None:
    heading = re.match(r"(#+) (.*)", line)
    if heading:
        size = {1: 15, 2: 13, 3: 11}.get(len(heading.group(1)), 11)
        pdf.ln(2)
        pdf.set_font("DejaVu", "B", size)
        pdf.multi_cell(0, size * 0.5, _plain(heading.group(2)), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)
        return
    if not line.strip():
        pdf.ln(1.5)
        return
    is_ref = re.match(r"\[\d+\] event", line) is not None
    pdf.set_font("DejaVu", "", 8 if is_ref else 9.5)
    text = "• " + line[2:] if line.startswith("- ") else line
    pdf.multi_cell(0, 4.2 if is_ref else 5, _plain(text), new_x="LMARGIN", new_y="NEXT")


def _pdf_table(pdf, rows: list[str]) -> None:
    cells = [[_plain(c.strip()) for c in re.split(r"(?<!\\)\|", r)[1:-1]]
             for r in rows if not r.startswith("|---")]
    pdf.set_font("DejaVu", "", 8)
    widths = (60, 22, 22, 27, 22, 27)
    with pdf.table(col_widths=widths[:len(cells[0])], text_align="RIGHT",
                   first_row_as_headings=True, line_height=4.5) as table:
        for row in cells:
            out = table.row()
            for i, value in enumerate(row):
                out.cell(value, align="LEFT" if i == 0 else "RIGHT")
    pdf.ln(1)


def _pdf_images(pdf, images: dict[str, bytes]) -> None:
    for key, caption in (("map", "Map"), ("timeline", "Timeline")):
        if key not in images:
            continue
        width = 150 if key == "map" else 180
        with Image.open(io.BytesIO(images[key])) as img:
            height = width * img.height / img.width
        if pdf.get_y() + height + 15 > pdf.page_break_trigger:
            pdf.add_page()  # keep the caption with its figure
        _pdf_line(pdf, f"## {caption}")
        pdf.image(io.BytesIO(images[key]), w=width, x=(210 - width) / 2)
        pdf.ln(2)
