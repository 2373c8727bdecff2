"""Dates stage: find date expressions in a sentence and resolve them against the publication date.

A small regex grammar, not dateparser over whole sentences: dateparser reads "we" and "may" as
dates, costs about a millisecond a call, and cannot say which words it used. Here every
expression keeps its offsets and its kind, so the extractor can tell an incident's date
("On Monday, ISIS killed ...") from a reporting date ("announced on Thursday that ...").
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import Optional

_WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}
_DAY_RE = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR_RE = r"(?:19[5-9]\d|20\d\d)"
_WEEKDAY_RE = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"


@dataclass(frozen=True)
class Months:
    """The language's month names, from the one list of them (lang/en/metadata.json 'months'):
    the dates and counts stages read them, and the notes and briefs write them."""

    names: tuple[str, ...]  # "January" ... "December"
    prefixes: tuple[str, ...]  # "jan" ... "dec": what every written form starts with
    short: tuple[str, ...]  # capitalised short forms in month order ("Jan", ..., "Sep", "Sept", ...)
    numbers: dict[str, int]  # every lowercase written form ("january", "jan", "sept") -> its month
    pattern: str  # a written month, capitalised: "Jan", "Jan.", "January", "Sept."

    def name(self, month: int) -> str:
        return self.names[month - 1]

    @property
    def abbreviations(self) -> frozenset[str]:
        """The short forms written with a full stop that ends no sentence ("Jan.", "Sept."); not
        "May", which is the whole name."""
        names = {n.lower() for n in self.names}
        return frozenset(f.lower() for f in self.short if f.lower() not in names)


def months_from_pack(entries: list[dict]) -> Months:
    """Months from the pack's entries (prefix, month, name, forms), in month order."""
    entries = sorted(entries, key=lambda e: e["month"])
    short, numbers, alternatives = [], {}, []
    for e in entries:
        forms = [e["prefix"].capitalize(), *e["forms"]]
        short += forms
        numbers.update({w.lower(): e["month"] for w in [e["name"], *forms]})
        # "Jan(?:uary)?": a short form, and the rest of the name that may follow it
        alternatives += [f + (f"(?:{e['name'][len(f):]})?" if e["name"] != f else "") for f in forms]
    return Months(tuple(e["name"] for e in entries), tuple(e["prefix"] for e in entries), tuple(short),
                  numbers, "(?:" + "|".join(alternatives) + r")\.?")


_REPORTING = re.compile(
    r"\b(said|says|announced|reported|stated|told|added|noted|confirmed|declared|published|"
    r"wrote|cited|revealed|statement|teleconference|report)\b[^.;]{0,25}$", re.I)
_SAID_ON = re.compile(r"\b(?:said|says|reported|announced|stated|told \w+|added|confirmed)\s+(?:late |early )?(?:on\s+)?$", re.I)
# "since Saturday", "since the offensive began on May 31" (the clause running up to the date)
_SINCE_BEFORE = re.compile(r"\bsince\b[^,.;]{0,60}$", re.I)
_REPORTING_AFTER = re.compile(r"^\W{0,3}(that|,\s*that)\b", re.I)
# A dateline: the filing place in capitals, its day, the outlet, a dash ("QAMISHLI, May 3
# (North Press) –", "RAQQA, Syria, 8 May (Hawar) -"). Its day is when the report was written:
# what "yesterday" and "on Sunday" count from, and the incident's day only when the report
# gives none of its own.
_DATELINE_BEFORE = re.compile(r"^\W{0,3}[A-Z][A-Z'’.\-]+(?:\s[A-Z][A-Z'’.\-]+)*(?:,\s*[A-Z][\w'’.\-]*(?:\s[A-Z][\w'’.\-]*)*)?,\s*$")
_DATELINE_AFTER = re.compile(r"^(?:,?\s*\d{4})?\s*(?:\([^)]{1,40}\))?\s*(?:[–—:]|--?)(?:\s|$)")
_DATELINE_KINDS = ("day_month", "month_day")
_DATELINE_MAX_DAYS = 7  # a dateline older than a week before publication is no dateline of this report


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date expression resolved to a day, with ACLED time precision and its offsets."""

    start: int
    end: int
    text: str
    date: Optional[dt.date]
    precision: int  # 1 day, 2 week, 3 month; 4 year or vaguer (never an event date)
    kind: str
    is_report_date: bool  # the date a statement was made, not when the incident happened
    opens_period: bool = False  # "since ... on May 31": where a running total starts, not an incident


class DateReader:
    """The dates stage's grammar of date expressions, with the language's month names and the
    all-digit shape of a date in text (resources.load_date_reader builds it from the metadata pack:
    'months', date_shapes 'text_iso')."""

    def __init__(self, months: Months, iso: str, page_openers: str = r"(?!)", run_together: str = r"(?!)"):
        self.months = months
        self._MONTHS = months.numbers
        month = months.pattern
        names = "|".join(months.names)
        # A page's own date line opening the text ("Published October 4 2016", "Date of
        # publication 13 April 2017", "Wed 05 Apr 2017", "Sunday 25 August 2013"): an
        # opener from the pack, a weekday, then a whole date with its year.
        weekdays = "|".join(list(calendar.day_name) + list(calendar.day_abbr))
        self._PAGE_LINE = re.compile(
            rf"^\W{{0,3}}(?:(?:{page_openers})\s*:?\s+)?(?:(?:{weekdays})\b\.?,?\s+)?"
            rf"(?:(?:{_DAY_RE})\s+{month},?\s+{_YEAR_RE}|{month}\s+(?:{_DAY_RE}),?\s+{_YEAR_RE})\b", re.I)
        # the same line as a scraped page may give it, the day's digits run into the year's
        # ("Last updated at Apr 152017"): a date shape of the pack (date_shapes 'dateline_run_together')
        self._PAGE_RUN_TOGETHER = re.compile(
            rf"^\W{{0,3}}(?:(?:{page_openers})\s*:?\s+)?(?:(?:{weekdays})\b\.?,?\s+)?"
            rf"(?P<month>{month})\s+(?:{run_together})", re.I)
        self._PATTERNS: list[tuple[str, re.Pattern]] = [
            ("iso", re.compile(iso)),
            ("day_month", re.compile(rf"\b({_DAY_RE})\s+(?:of\s+)?({month})(?:,?\s+({_YEAR_RE}))?\b")),
            ("month_day", re.compile(rf"\b({month})\s+({_DAY_RE})\b(?!\s*(?:km|kilomet|mile|%|percent))(?:,?\s+({_YEAR_RE}))?")),
            ("weekday", re.compile(rf"\b((?:late|early)\s+)?(last|this|on|past|previous)?\s*({_WEEKDAY_RE})\b", re.I)),
            ("relative_day", re.compile(r"\b(the day before yesterday|yesterday|today|tonight|last night|this morning|this afternoon|this evening|earlier today|in recent hours|overnight)\b", re.I)),
            ("relative_period", re.compile(r"\b(last|this|past|earlier this|previous) (week|month|year)\b", re.I)),
            ("month_year", re.compile(rf"\b(?:in\s+|early\s+|late\s+|mid-?)?({month})\s+({_YEAR_RE})\b")),
            # a sentence may open with "In March"; "May" is a month only after such a word ("in may" is no verb)
            ("month_only", re.compile(rf"\b(?:[Ii]n|[Ee]arly|[Ll]ate|[Mm]id-?|[Ss]ince)\s+((?:{names}))\b(?!\s+\d)")),
            ("year_only", re.compile(rf"\b(?:in|since|of)\s+({_YEAR_RE})\b")),
        ]
        self._RESOLVERS = dict(_RESOLVERS, day_month=self._day_month, month_day=self._month_day,
                               month_year=self._month_year, month_only=self._month_only)

    def find_dates(self, sentence: str, published: Optional[dt.date], offset: int = 0) -> list[DateMention]:
        """All date expressions in a sentence, resolved against `published`, in text order."""
        found: list[DateMention] = []
        taken: list[tuple[int, int]] = []
        page = self._PAGE_LINE.match(sentence) if offset == 0 else None
        for kind, pattern in self._PATTERNS:
            for m in pattern.finditer(sentence):
                if any(m.start() < e and s < m.end() for s, e in taken):
                    continue
                if kind == "weekday" and not _is_weekday_mention(m):
                    continue
                resolved = self._resolve(kind, m, published)
                if resolved is None:
                    continue
                day, precision = resolved
                taken.append((m.start(), m.end()))
                told = kind  # (a dateline's kind is its own; the pattern's stays for the next match)
                if kind in _DATELINE_KINDS and _in_dateline(sentence, m):
                    told = "dateline"
                elif page is not None and m.end() <= page.end():
                    told = "dateline"  # the page's own date line: when the report was written
                found.append(DateMention(offset + m.start(), offset + m.end(), m.group(0), day, precision,
                                         told, _is_report_date(sentence, m.start(), m.end()),
                                         bool(_SINCE_BEFORE.search(sentence, max(0, m.start() - 70), m.start()))))
        return sorted(found, key=lambda d: d.start)

    def dateline_day(self, text: str, published: Optional[dt.date]) -> Optional[dt.date]:
        """The day a report's dateline gives ("QAMISHLI, May 3 (North Press) –"), when it is at
        most a week before publication, or the day of the page's own date line opening the
        text ("Published October 4 2016 ..."), which is the page's word on when it was
        written, whatever date the feed gave; None without either."""
        page = self._PAGE_LINE.match(text)
        if page is not None:
            days = [d.date for d in self.find_dates(page.group(0), published) if d.kind == "dateline" and d.date]
            if days:
                return days[-1]
        glued = self._PAGE_RUN_TOGETHER.match(text)
        if glued is not None:
            day = _safe_date(int(glued.group("year")), self._MONTHS[self._month_key(glued.group("month"))],
                             int(glued.group("day")))
            if day is not None:
                return day
        head = text[:120]
        for d in self.find_dates(head, published):
            if d.kind == "dateline" and d.date and published and \
                    0 <= (published - d.date).days <= _DATELINE_MAX_DAYS:
                return d.date
        return None

    def _resolve(self, kind: str, m: re.Match, published: Optional[dt.date]) -> Optional[tuple[Optional[dt.date], int]]:
        handler = self._RESOLVERS[kind]
        return handler(m, published)

    def _day_month(self, m, published):
        return _month_day_year(self._MONTHS[self._month_key(m.group(2))], _day(m.group(1)), m.group(3), published)

    def _month_day(self, m, published):
        return _month_day_year(self._MONTHS[self._month_key(m.group(1))], _day(m.group(2)), m.group(3), published)

    def _month_year(self, m, published):
        month, year = self._MONTHS[self._month_key(m.group(1))], int(m.group(2))
        return _safe_date(year, month, 15), 3

    def _month_only(self, m, published):
        if published is None:
            return None, 3
        month = self._MONTHS[self._month_key(m.group(1))]
        year = published.year if month <= published.month else published.year - 1
        return _safe_date(year, month, 15), 3

    def _month_key(self, word: str) -> str:
        key = word.lower().rstrip(".")
        return key if key in self._MONTHS else key[:3]


def incident_date(mentions: list[DateMention]) -> Optional[DateMention]:
    """The date an incident sentence gives for the incident itself, if any (its dateline's
    day only when it states none of its own)."""
    own = [d for d in mentions if not d.is_report_date and not d.opens_period and d.precision <= 3]
    if not own:
        return None
    return min(own, key=lambda d: (d.precision, d.kind == "dateline", d.start))


def _in_dateline(sentence: str, m: re.Match) -> bool:
    return bool(_DATELINE_BEFORE.match(sentence[:m.start()]) and _DATELINE_AFTER.match(sentence[m.end():]))


def _is_weekday_mention(m: re.Match) -> bool:
    word = m.group(3)
    return word[0].isupper()


def _is_report_date(sentence: str, start: int, end: int) -> bool:
    before = sentence[max(0, start - 60):start]
    if _SAID_ON.search(before):
        return True  # "a monitoring group said on Wednesday": when it was said
    after = sentence[end:end + 12]
    return bool(_REPORTING.search(before)) and bool(_REPORTING_AFTER.match(after) or "that" in sentence[end:end + 40])


def _iso(m, published):
    return _safe_date(int(m.group(1)), int(m.group(2)), int(m.group(3))), 1


def _month_day_year(month: int, day: int, year: Optional[str], published):
    if year:
        d = _safe_date(int(year), month, day)
        return (d, 1) if d else None
    if published is None:
        return None, 1  # a real day whose year we cannot know
    d = _safe_date(published.year, month, day)
    if d and d > published + dt.timedelta(days=2):
        d = _safe_date(published.year - 1, month, day)
    return (d, 1) if d else None


def _weekday(m, published):
    if published is None:
        return None, 1
    target = _WEEKDAYS[m.group(3).lower()]
    back = (published.weekday() - target) % 7
    if (m.group(2) or "").lower() in ("last", "past", "previous") and back == 0:
        back = 7
    return published - dt.timedelta(days=back), 1


def _relative_day(m, published):
    if published is None:
        return None, 1
    word = m.group(1).lower()
    back = {"the day before yesterday": 2, "yesterday": 1, "last night": 1}.get(word, 0)
    return published - dt.timedelta(days=back), 1


def _relative_period(m, published):
    if published is None:
        return None, 2
    which, unit = m.group(1).lower(), m.group(2).lower()
    if unit == "week":
        back = 7 if which in ("last", "previous", "past") else 0
        return published - dt.timedelta(days=back + 3 if back else 3), 2
    if unit == "month":
        first = published.replace(day=1)
        if which in ("last", "previous", "past"):
            first = (first - dt.timedelta(days=1)).replace(day=1)
        return first + dt.timedelta(days=14), 3
    return None, 4


def _year_only(m, published):
    return None, 4


def _day(text: str) -> int:
    return int(re.match(r"\d+", text).group(0))


def _safe_date(year: int, month: int, day: int) -> Optional[dt.date]:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


# the resolvers that need no month name; DateReader adds the others
_RESOLVERS = {
    "iso": _iso, "weekday": _weekday, "relative_day": _relative_day, "relative_period": _relative_period,
    "year_only": _year_only,
}
