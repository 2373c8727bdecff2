"""Page metadata from the lines around an article: title, byline, dateline and publication date.

Works on the split the cleaner made (lines above the article, the body, lines below it), so the
same rules serve plain-text scrapes and the text trafilatura takes out of HTML. Adds `PageMeta`.
Numeric dates ("3/8/2017") are read day first for the outlets the language pack lists
(data/lang/en/metadata.json), or when a part above 12 or another date on the page settles it.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Iterable, Optional

_COMMENT_STAMP = re.compile(r"^[^|]{1,60}\|\s*\d{1,2}/\d{1,2}/\d{4}\s+\d{1,2}:\d{2}")
_DATELINE = re.compile(
    r"^([A-Z][A-Z'’.\-]+(?: [A-Z][A-Z'’.\-]+)*(?:,\s*[A-Z][\w'’.\-]*(?: [A-Z][\w'’.\-]*)*){0,2}"
    r"(?:\s*\([^)]{1,40}\))?\s*(?:[–—]|--?|:))\s")
_TITLE_WINDOW = 8
_DATE_WINDOW_BEFORE = 15
_DATE_WINDOW_AFTER = 10
_MIN_TITLE_WORDS, _MAX_TITLE_WORDS = 3, 30
_EARLIEST_YEAR = 1990
_NEVER = r"(?!)"  # the pattern of a date shape the pack does not list


@dataclass(frozen=True, slots=True)
class MetaLexicon:
    """The words metadata finding needs (resources.load_meta_lexicon builds it from the language
    pack data/lang/en/metadata.json)."""

    dayfirst: frozenset[str]  # outlet names and domains (lowercase) that write numeric dates day first
    byline: re.Pattern  # a byline line: an opener ("by", "reporting by") and the names after it
    published_hint: re.Pattern  # words marking a page's own date line ("published", "posted")
    name_particles: frozenset[str]  # lowercase words a name may hold ("bin", "de", "and")
    months: dict[str, int]  # lowercase month prefix ("jan", "sep") -> month number
    day_month_year: re.Pattern  # "3rd March, 2019": day, month prefix, year
    month_day_year: re.Pattern  # "Sept. 3, 2019": month prefix, day, year
    iso: re.Pattern  # "2019-05-03": year, month, day (the pack's date_shapes page_iso)
    numeric: re.Pattern  # "3/8/2017", "3.8.2017": day and month in either order, year (page_numeric)


def meta_lexicon(pack: dict) -> MetaLexicon:
    """The lexicon from the pack's entries. A byline is an opener, the names (a second name after
    'and'), then an end of line, a separator or a figure."""
    openers = "|".join(e["opener"] for e in pack["byline_openers"])
    hints = "|".join(e["word"] for e in pack["published_hints"])
    # a month is its prefix and any letters after it ("sep", "sept.", "september")
    month = "(" + "|".join(e["prefix"] for e in pack["months"]) + r")[a-z]*\.?"
    ordinal = "(?:" + "|".join(e["suffix"] for e in pack["ordinals"]) + ")?"
    shapes = {e["shape"]: e["pattern"] for e in pack["date_shapes"]}
    return MetaLexicon(
        dayfirst=frozenset(e["outlet"] for e in pack["dayfirst_outlets"]),
        byline=re.compile(rf"^((?:{openers})\s+"
                          r"[^\d|:;,.!?]{2,80}?(?:,? and [^\d|:;,.!?]{2,40}?)?)\s*(?:[|,;\-–—]|\d|$)", re.IGNORECASE),
        published_hint=re.compile(rf"\b({hints})\b", re.IGNORECASE),
        name_particles=frozenset(e["particle"] for e in pack["name_particles"]),
        months={e["prefix"]: e["month"] for e in pack["months"]},
        day_month_year=re.compile(rf"\b(\d{{1,2}}){ordinal}\s+{month},?\s+(\d{{4}})\b", re.IGNORECASE),
        month_day_year=re.compile(rf"\b{month}\s+(\d{{1,2}}){ordinal},?\s+(\d{{4}})\b", re.IGNORECASE),
        iso=re.compile(shapes.get("page_iso", _NEVER)), numeric=re.compile(shapes.get("page_numeric", _NEVER)))


@dataclass(frozen=True, slots=True)
class PageMeta:
    """What the page says about its article."""

    title: Optional[str]
    byline: Optional[str]
    dateline: Optional[str]
    published: Optional[dt.date]


def read_metadata(before: list[str], body: list[str], after: list[str], headline: Optional[str],
                  outlet_hints: Iterable[str], lex: MetaLexicon, today: dt.date) -> PageMeta:
    """Find title, byline, dateline and publication date around an article.

    Args:
        before, body, after: page lines above, in and below the article block.
        headline: the headline line already identified, if any.
        outlet_hints: outlet name, URL and the like, to decide day-first numeric dates.
        lex: day-first outlets, byline openers, date-line words (resources.load_meta_lexicon()).
        today: latest acceptable publication date.
    """
    byline = _find_byline(before[-_TITLE_WINDOW:][::-1] + body[:1] + after[:_DATE_WINDOW_AFTER], lex)
    hints = " ".join([*outlet_hints, byline or ""]).lower()
    page_dayfirst = any(name in hints for name in lex.dayfirst)
    return PageMeta(title=headline or _find_title(before, lex),
                    byline=byline,
                    dateline=_find_dateline(body[:2]),
                    published=_find_published(before, body, after, page_dayfirst, today, lex))


def _find_title(before: list[str], lex: MetaLexicon) -> Optional[str]:
    """The longest headline-shaped line just above the article (nearest wins a tie)."""
    best: Optional[str] = None
    for line in reversed(before[-_TITLE_WINDOW:]):
        n = len(line.split())
        if not _MIN_TITLE_WORDS <= n <= _MAX_TITLE_WORDS or line.endswith((".", ":", ",")):
            continue
        if lex.byline.match(line) or _parse_dates(line, False, lex) or "|" in line or "/" in line and n < 5:
            continue
        if best is None or n > len(best.split()):
            best = line
    return best


def _find_byline(lines: list[str], lex: MetaLexicon) -> Optional[str]:
    for line in lines:
        m = lex.byline.match(line)
        if m and len(line) <= 120 and _names_only(m.group(1), lex.name_particles):
            return m.group(1).strip()
    return None


def _names_only(byline: str, particles: frozenset[str]) -> bool:
    """'By Rudaw', not 'By continuing to use this site': after the 'by', every word but the
    small joining ones is capitalised."""
    name = re.split(r"\bby\s+", byline, maxsplit=1, flags=re.IGNORECASE)[-1]
    return all(w[0].isupper() or w.lower() in particles for w in name.split())


def _find_dateline(lines: list[str]) -> Optional[str]:
    for line in lines:
        m = _DATELINE.match(line)
        if m and any(c.islower() or c.isupper() for c in m.group(1)):
            return m.group(1).strip()
    return None


def _find_published(before: list[str], body: list[str], after: list[str],
                    dayfirst: bool, today: dt.date, lex: MetaLexicon) -> Optional[dt.date]:
    """Date stated nearest above the article (a 'published' line first), else in its first
    lines, else just below it; commenters' timestamps never count."""
    near = before[-_DATE_WINDOW_BEFORE:][::-1] + body[:2] + after[:_DATE_WINDOW_AFTER]
    lines = [ln for ln in near if not _COMMENT_STAMP.match(ln)]
    dayfirst = dayfirst or _page_writes_dayfirst(lines, lex)
    ordered = [ln for ln in lines if lex.published_hint.search(ln)] + lines
    for line in ordered:
        for date in _parse_dates(line, dayfirst, lex):
            if dt.date(_EARLIEST_YEAR, 1, 1) <= date <= today:
                return date
    return None


def _page_writes_dayfirst(lines: list[str], lex: MetaLexicon) -> bool:
    return any(int(m.group(1)) > 12 for ln in lines for m in lex.numeric.finditer(ln))


def _parse_dates(line: str, dayfirst: bool, lex: MetaLexicon) -> list[dt.date]:
    """Every date written in the line, in the order the forms are tried."""
    found: list[tuple[int, int, int]] = []
    found += [(int(m.group(3)), lex.months[m.group(2).lower()], int(m.group(1)))
              for m in lex.day_month_year.finditer(line)]
    found += [(int(m.group(3)), lex.months[m.group(1).lower()], int(m.group(2)))
              for m in lex.month_day_year.finditer(line)]
    found += [(int(m.group(1)), int(m.group(2)), int(m.group(3))) for m in lex.iso.finditer(line)]
    for m in lex.numeric.finditer(line):
        a, b, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
        day_first = a > 12 or (dayfirst and b <= 12)
        found.append((year, b, a) if day_first else (year, a, b))
    dates = []
    for y, mo, d in found:
        try:
            dates.append(dt.date(y, mo, d))
        except ValueError:
            continue  # "31/31/2020" and the like: not a date
    return dates
