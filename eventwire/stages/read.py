"""Read stage: RawDocument -> Article, the article body alone plus page metadata.

HTML goes through trafilatura, a real boilerplate remover (scripts, styles, menus and comment
sections never reach the text). Plain text, where trafilatura does nothing, goes through the
line-level cleaner in clean.py. Either way, metadata.py then finds title, byline, dateline and
publication date around the body. The title stays out of `text` (benchmark gold bodies exclude
it); the dateline stays in, since the lead sentence follows it.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Optional
from urllib.parse import urlsplit

import trafilatura
from lxml.etree import LxmlError

from ..records import Article, RawDocument, Rejected
from .clean import Cleaned, Lexicon, clean_text, detect_language
from .markup import defuse_markup
from .metadata import MetaLexicon, PageMeta, read_metadata

_SLUG_SPLIT = re.compile(r"[-_.+]+")
_WORDS = re.compile(r"\w+")
_MIN_BODY_CHARS = 12
_SHORT_HTML_BODY = 500
_MIN_PROSE_WORDS = 8
_MIN_HEADLINE_WORDS = 4  # "Back To Top" is a menu; "Portugal expels Russian diplomats" is news


def read_article(raw: RawDocument, lex: Lexicon, meta_lex: MetaLexicon, today: dt.date) -> Article | Rejected:
    """Separate the article from its page and read the page's metadata.

    Args:
        raw: one input document with `html` or `text`.
        lex: the cleaner's phrase lists and stop words (resources.load_read_lexicon()).
        meta_lex: day-first outlets, byline openers and date-line words (resources.load_meta_lexicon()).
        today: the day of the run (a page dated later is misdated).
    Returns:
        The Article, or Rejected (code "no-article" or "unreadable") with a one-line detail.
    """
    if raw.html is not None:
        parsed = _read_html(raw, lex)
    else:
        parsed = clean_text(raw.text or "", lex, _title_hint(raw))
        if not parsed.body:
            parsed = _prose_lines(raw.text or "", parsed)
    if isinstance(parsed, Rejected):
        return parsed
    text = "\n\n".join(parsed.body)
    if len(text) < _MIN_BODY_CHARS:
        # the page was read; it just carries no article (a menu, a login wall): warn, don't fail
        return Rejected(raw.id, "read", "no-article", "no article text found on the page", fatal=False)
    latest = today + dt.timedelta(days=1)  # a page dated in the publisher's time zone
    meta = read_metadata(parsed.before, parsed.body, parsed.after, parsed.title,
                         [raw.outlet or "", _domain(raw.url)], meta_lex, latest)
    return _article(raw, text, meta, parsed.language)


def _article(raw: RawDocument, text: str, meta: PageMeta, language: Optional[str]) -> Article:
    return Article(id=raw.id, text=text, title=raw.title or meta.title,
                   published=_caller_date(raw.published) or meta.published,
                   outlet=raw.outlet, url=raw.url, byline=meta.byline,
                   dateline=meta.dateline, language=language, encoding=raw.encoding)


def _read_html(raw: RawDocument, lex: Lexicon) -> Cleaned | Rejected:
    """Trafilatura's main text (precision first, recall if that finds nothing), with the
    page's own title, author and date lines handed on as the 'before' lines."""
    html = defuse_markup(raw.html or "")
    try:
        doc = trafilatura.bare_extraction(html, url=raw.url, favor_precision=True, with_metadata=True)
        if doc is None or len(doc.text or "") < _SHORT_HTML_BODY:
            # precision mode sometimes keeps only a notice and drops the story: retry for recall
            wide = trafilatura.bare_extraction(html, url=raw.url, favor_recall=True, with_metadata=True)
            if wide is not None and len(wide.text or "") > len((doc and doc.text) or ""):
                doc = wide
    except (LxmlError, ValueError, TypeError, RecursionError) as exc:
        return Rejected(raw.id, "read", "unreadable", f"malformed HTML: {type(exc).__name__}: {exc}"[:200])
    if doc is None or not (doc.text or "").strip():
        return Rejected(raw.id, "read", "no-article", "no article text found in the HTML page", fatal=False)
    body = [ln for ln in (" ".join(x.split()) for x in doc.text.splitlines()) if ln]
    if doc.title and body and _same_words(body[0], doc.title):
        body = body[1:]  # the headline kept as the article's first line belongs in Article.title
    header = [x for x in (doc.title, f"By {doc.author}" if doc.author else None, doc.date) if x]
    # No line filter after trafilatura: on the benchmark it removed more gold (links, source
    # notes) than furniture.
    return Cleaned(body=body, title=doc.title, language=detect_language(body, lex), before=header, after=[])


def _prose_lines(text: str, cleaned: Cleaned) -> Cleaned:
    """A snippet too short to have a page around it (a wire excerpt, one paragraph without a
    final full stop) is its own body: keep its lines that read as prose, not menus."""
    lines = [" ".join(ln.split()) for ln in text.splitlines()]
    body = [ln for ln in lines if len(_WORDS.findall(ln)) >= _MIN_PROSE_WORDS]
    if not body:  # a one-line wire headline is still the whole document
        body = [ln for ln in lines if len(_WORDS.findall(ln)) >= _MIN_HEADLINE_WORDS]
    return Cleaned(body=body, title=cleaned.title, language=cleaned.language, before=[], after=[])


def _same_words(a: str, b: str) -> bool:
    return _WORDS.findall(a.lower()) == _WORDS.findall(b.lower())


def _title_hint(raw: RawDocument) -> str:
    """The caller's title, else the words of the URL's slug (the path part with most hyphens)."""
    if raw.title:
        return raw.title
    if not raw.url:
        return ""
    parts = [p for p in urlsplit(raw.url).path.split("/") if p]
    slug = max(parts, key=lambda p: p.count("-") + p.count("_"), default="")
    return " ".join(_SLUG_SPLIT.split(slug))


def _domain(url: Optional[str]) -> str:
    return urlsplit(url).netloc.lower() if url else ""


def _caller_date(value: Optional[str]) -> Optional[dt.date]:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None  # an unparseable caller date yields to the date the page states
