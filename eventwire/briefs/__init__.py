"""Situation briefs: a filtered slice of the store -> a cited `Brief` -> Markdown, HTML or PDF.

- `briefs`: the pure computation (`build_brief`, `make_window`, the `Brief` it returns);
- `briefs_text`: Markdown and HTML rendering (every quoted text escaped);
- `briefs_render`: the map, the timeline and the PDF (matplotlib; imported only when needed);
- `brief_service`: the brief of an open store (`brief_from_store`, `render_brief`); the
  services layer calls it for the CLI and the dashboard.
"""
from .brief_service import (BRIEF_FORMATS, BriefRequest, brief_figures, brief_from_store,
                            render_brief)
from .briefs import Brief, BriefScope, Figure, PriorNames, Window, build_brief, make_window
from .briefs_text import render_html, render_markdown

__all__ = ["BRIEF_FORMATS", "Brief", "BriefRequest", "BriefScope", "Figure", "PriorNames",
           "Window", "brief_figures", "brief_from_store", "build_brief", "make_window",
           "render_brief", "render_html", "render_markdown"]
