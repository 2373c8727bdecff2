"""Situation briefs as text: a `Brief` rendered as Markdown, or as HTML for the dashboard and PDF.

Pure functions of the Brief (built by `briefs.build_brief`); the same brief gives the same
bytes. Figures are linked by the file names in `brief.figures` (Markdown) or embedded as the
data URIs passed in (HTML).
"""
from __future__ import annotations

import html
import re
from dataclasses import replace
from typing import Optional

from .briefs import LOW_CONFIDENCE, TOP_ACTORS, Brief, Figure, md_code, md_text

__all__ = ["render_html", "render_markdown"]


def _change(now: float, then: float) -> str:
    diff = now - then
    sign = "+" if diff > 0 else "−" if diff < 0 else "±"
    if then == 0 or diff == 0:
        return "±0" if diff == 0 else f"+{_mean(now)} (new)"
    return f"{sign}{_mean(abs(diff))} ({sign}{abs(diff) / then * 100:.0f}%)"


def _n(count: int, noun: str) -> str:
    plural = noun[:-1] + "ies" if noun.endswith("y") else noun + "s"
    return f"{count} {noun if count == 1 else plural}"


def _mean(value: float) -> str:
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


# -- Markdown --------------------------------------------------------------------------

def render_markdown(brief: Brief) -> str:
    """The brief as Markdown (images linked by the file names in `brief.figures`)."""
    lines = _md_header(brief)
    if brief.events.current == 0:
        lines += ["", "**No events in the store match this window and these filters.**"]
    lines += _md_headline(brief) + _md_hotspots(brief) + _md_notables(brief)
    for name, caption in (("map", "Map"), ("timeline", "Timeline")):
        if name in brief.figures:
            lines += ["", f"## {caption}", "", f"![{caption}]({brief.figures[name]})"]
    lines += _md_references(brief)
    return "\n".join(lines) + "\n"


def _md_header(b: Brief) -> list[str]:
    w = b.scope.window
    p0, p1 = w.previous
    b0, _ = w.baseline
    out = [f"# Situation brief: {md_text(b.title)}", "",
           f"Window {w.since} to {w.until} ({w.days} days), compared with the previous "
           f"{w.days} days ({p0} to {p1}) and with the mean of the {w.baseline_windows} "
           f"windows before it ({b0} to {p1}).",
           "", f"Every figure below is computed from the events that `{md_code(b.export_command)}` "
           "returns; every incident sentence cites its events' source quotes [n]."]
    if b.scope.admin2:
        out[-1] += f" Only events in admin2 {md_text(b.scope.admin2)} are counted."
    if b.generated_at:
        out += ["", f"Generated {b.generated_at}."]
    return out


def _md_row(f: Figure) -> str:
    return (f"| {_md_cell(f.label)} | {f.current} | {f.previous} | {_change(f.current, f.previous)}"
            f" | {_mean(f.baseline)} | {_change(f.current, f.baseline)} |")


def _md_cell(text: str) -> str:
    return md_text(text)  # escapes | too, so a label cannot split the table row


_MD_TABLE_HEAD = ["| | this window | previous window | change | baseline mean | change |",
                  "|---|---:|---:|---:|---:|---:|"]


def _md_headline(b: Brief) -> list[str]:
    out = ["", "## Headline", ""] + _MD_TABLE_HEAD + [_md_row(b.events), _md_row(b.fatalities)]
    if b.events.current:
        out += ["", f"Of the {_n(b.events.current, 'event')} in this window, {b.single_source} "
                f"rest on a single source, {b.low_confidence} have low extractor confidence "
                f"(below {LOW_CONFIDENCE}) and {b.unknown_fatalities} give no death toll."]
    for title, rows in (("By event type", b.by_type), (f"By actor (top {TOP_ACTORS})", b.by_actor)):
        if rows:
            out += ["", f"### {title}", ""] + _MD_TABLE_HEAD + [_md_row(r) for r in rows]
    return out


def _md_hotspots(b: Brief) -> list[str]:
    out = ["", "## Hotspots", ""]
    if not b.hotspots:
        unit = "district or place" if b.hotspot_level == "admin2" else "admin1 region"
        return out + [f"No {unit} had more events than its baseline mean."]
    for i, h in enumerate(b.hotspots, 1):
        out.append(f"{i}. **{md_text(h.name)}** ({md_text(h.parent or '')}): {_n(h.current, 'event')} against a "
                   f"baseline mean of {_mean(h.baseline)} per window, "
                   f"{_change(h.current, h.baseline)}; {_n(h.fatalities, 'fatality')}.")
    return out


def _md_notables(b: Brief) -> list[str]:
    out = ["", "## Notable incidents", ""]
    if not b.notables:
        return out + ["None in this window."]
    return out + [f"- {n.sentence}" for n in b.notables]


def _md_references(b: Brief) -> list[str]:
    out = ["", "## References", ""]
    if not b.references:
        return out + ["No incident is cited."]
    for r in b.references:
        quote = md_text(" ".join(r.quote.split()).replace('"', "'"))
        out.append(f"[{r.number}] event `{md_code(r.event_id)}`, "
                   f"{md_text(r.outlet or 'unknown outlet')}, {md_text(r.published or 'undated')}"
                   f" (document `{md_code(r.doc_id)}`): \"{quote}\"")
        out.append("")
    return out[:-1]


# -- HTML ------------------------------------------------------------------------------

def render_html(brief: Brief, images: Optional[dict[str, str]] = None) -> str:
    """The brief as a standalone HTML page; `images` maps map/timeline to data: URIs."""
    images = images or {}
    body = _md_to_html(render_markdown(_without_figures(brief)), images)
    return ("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{html.escape(brief.title)}</title><style>{_CSS}</style></head>\n"
            f"<body>\n{body}</body></html>\n")


def _without_figures(brief: Brief) -> Brief:
        return replace(brief, figures={})


_CSS = ("body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;"
        "padding:0 1rem;line-height:1.45;color:#222}table{border-collapse:collapse}"
        "td,th{border:1px solid #ccc;padding:.2rem .5rem}td:not(:first-child){text-align:right}"
        "img{max-width:100%}code{background:#f3f3f3}.ref{font-size:.9rem}")


def _md_to_html(md: str, images: dict[str, str]) -> str:
    """Turn the brief's own small Markdown subset into HTML (escaping every text)."""
    out: list[str] = []
    table: list[str] = []
    for line in md.splitlines():
        if line.startswith("|"):
            table.append(line)
            continue
        if table:
            out.append(_html_table(table))
            table = []
        if line.startswith("## References"):
            out += _html_figures(images)
        out.append(_html_line(line))
    if table:
        out.append(_html_table(table))
    return "\n".join(x for x in out if x) + "\n"


def _html_figures(images: dict[str, str]) -> list[str]:
    return [f"<h2>{cap}</h2><img alt=\"{cap}\" src=\"{images[key]}\">"
            for key, cap in (("map", "Map"), ("timeline", "Timeline")) if key in images]


def _html_line(line: str) -> str:
    if not line.strip():
        return ""
    m = re.match(r"(#+) (.*)", line)
    if m:
        n = len(m.group(1))
        return f"<h{n}>{_inline(m.group(2))}</h{n}>"
    if line.startswith("- "):
        return f"<ul><li>{_inline(line[2:])}</li></ul>"
    if re.match(r"\d+\. ", line):
        return f"<p>{_inline(line)}</p>"
    cls = ' class="ref"' if re.match(r"\[\d+\] event", line) else ""
    anchor = re.match(r"\[(\d+)\]", line)
    ident = f' id="ref-{anchor.group(1)}"' if cls and anchor else ""
    return f"<p{cls}{ident}>{_inline(line)}</p>"


def _inline(text: str) -> str:
    text = html.escape(_from_md_entities(text), quote=False)
    text = re.sub(r"`([^`]+)`", r"<code>\1</code>", text)
    text = re.sub(r"\*\*([^*]+)\*\*", r"<strong>\1</strong>", text)
    text = re.sub(r"\*\(([^*]+)\)\*", r"<em>(\1)</em>", text)
    text = re.sub(r"\[(\d+)\](?! event)", r'<a href="#ref-\1">[\1]</a>', text)
    return _MD_ESCAPED.sub(r"\1", text)  # md_text's escapes, once the markup is read


_MD_ESCAPED = re.compile(r"\\([\\`*_\[\]|])")
_MD_ENTITY = re.compile(r"&(amp|lt|gt);")


def _from_md_entities(text: str) -> str:
    """Undo md_text's entities (the HTML path escapes the text itself)."""
    return _MD_ENTITY.sub(lambda m: {"amp": "&", "lt": "<", "gt": ">"}[m.group(1)], text)


def _md_plain(cell: str) -> str:
    """A table cell's text as typed (md_text undone)."""
    return _MD_ESCAPED.sub(r"\1", _from_md_entities(cell))


def _html_table(rows: list[str]) -> str:
    cells = [[_md_plain(c.strip()) for c in re.split(r"(?<!\\)\|", r)[1:-1]]
             for r in rows if not r.startswith("|---")]
    head = "".join(f"<th>{html.escape(c)}</th>" for c in cells[0])
    body = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>"
                   for row in cells[1:])
    return f"<table><tr>{head}</tr>{body}</table>"
