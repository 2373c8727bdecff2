"""Situation briefs: events of a filtered slice of the store -> a `Brief` (rendered by briefs_text).

Pure functions only: the events (current window plus its baseline windows) and the names the
store knew before the window arrive as arguments (see `brief_service.brief_from_store`). Every
figure is an aggregate of those events, so `eventwire export` on the same filter reproduces
it; every sentence about an incident carries numbered citations [n] that resolve to an event
id and one of its source quotes in the references. No generative model: sentences are
filled templates. Everything is sorted with explicit tie-breaks, so the same store and window
give the same brief byte for byte (only `generated_at` differs).
"""
from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from typing import Iterable, Optional, Sequence

from ..gazetteer import skeleton_key
from ..records import Event
from ..resources import load_months  # the month names a date is written with (lang/en/metadata.json)

__all__ = ["Brief", "BriefScope", "Figure", "Hotspot", "MapPoint", "Notable", "PriorNames",
           "Reference", "Window", "build_brief", "make_window"]

MAX_WINDOW_DAYS = 3660  # ten years: its daily timeline and baseline stay small enough to draw
LOW_CONFIDENCE = 0.5  # below this the extractor's own belief is shaky: say so
TOP_ACTORS = 8
TOP_HOTSPOTS = 5
TOP_NOTABLE = 3
MAX_SOURCES_CITED = 5
# Catch-all actor labels: a "new" one says nothing about a new armed actor.
_GENERIC_ACTORS = ("Civilians", "Unidentified", "Protesters", "Rioters")
_CLAIM_RE = re.compile(r"\bclaim(?:ed|s|ing)?\s+(?:the\s+)?responsibility\b|\bclaimed\b", re.I)
_RANKS = ("", "second ", "third ", "fourth ", "fifth ")  # TOP_NOTABLE <= len(_RANKS)


@dataclass(frozen=True)
class Window:
    """The brief's window, the previous window of equal length and the baseline span."""

    since: dt.date
    until: dt.date
    baseline_windows: int

    @property
    def days(self) -> int:
        """Length of the window in days (both ends included)."""
        return (self.until - self.since).days + 1

    @property
    def previous(self) -> tuple[dt.date, dt.date]:
        """The window of equal length just before this one."""
        return (_shift(self.since, -self.days), _shift(self.since, -1))

    @property
    def baseline(self) -> tuple[dt.date, dt.date]:
        """The `baseline_windows` windows before this one, as one span."""
        return (_shift(self.since, -self.days * self.baseline_windows), _shift(self.since, -1))


def _shift(day: dt.date, days: int) -> dt.date:
    """`day` moved by `days`, stopping at the calendar's ends (a window at 9999-12-31 or a
    baseline before year 1 is cut there: nothing can be stored beyond them)."""
    try:
        return day + dt.timedelta(days)
    except OverflowError:
        return dt.date.max if days > 0 else dt.date.min


@dataclass(frozen=True)
class BriefScope:
    """What the brief covers: its window and the filters, as the user gave them."""

    window: Window
    admin1: Optional[str] = None
    admin2: Optional[str] = None
    actor: Optional[str] = None
    event_type: Optional[str] = None
    country: Optional[str] = None
    bbox: Optional[tuple[float, float, float, float]] = None


@dataclass(frozen=True)
class PriorNames:
    """Places (country, location) and actors the store saw before the window."""

    places: frozenset = frozenset()
    actors: frozenset = frozenset()


@dataclass(frozen=True)
class Figure:
    """One counted quantity: this window, the previous one and the baseline mean per window."""

    label: str
    current: int
    previous: int
    baseline: float


@dataclass(frozen=True)
class Hotspot:
    """An admin unit whose activity rose against its baseline."""

    name: str
    parent: str
    current: int
    baseline: float
    fatalities: int
    latitude: Optional[float]
    longitude: Optional[float]


@dataclass(frozen=True)
class Reference:
    """One numbered citation: an event and one of its source quotes."""

    number: int
    event_id: str
    doc_id: str
    outlet: Optional[str]
    published: Optional[str]
    url: Optional[str]
    quote: str


@dataclass(frozen=True)
class Notable:
    """One notable incident, told as one plain cited sentence (plus flags)."""

    kind: str  # deadliest | first-place | first-actor | claimed | disagreement | in-window
    event_id: str
    sentence: str


@dataclass(frozen=True)
class MapPoint:
    """An event of the window that has coordinates."""

    event_id: str
    latitude: float
    longitude: float
    fatalities: int
    event_type: str


@dataclass(frozen=True)
class Brief:
    """Everything a brief says, computed from the store; renderers only format it."""

    title: str
    scope: BriefScope
    export_command: str
    events: Figure
    fatalities: Figure
    by_type: tuple[Figure, ...]
    by_actor: tuple[Figure, ...]
    single_source: int
    low_confidence: int
    unknown_fatalities: int
    hotspot_level: str
    hotspots: tuple[Hotspot, ...]
    notables: tuple[Notable, ...]
    references: tuple[Reference, ...]
    points: tuple[MapPoint, ...]
    daily: tuple[tuple[str, int, int], ...]  # (date, events, fatalities) over baseline + window
    generated_at: str = ""
    figures: dict = field(default_factory=dict, compare=False)  # name -> image file, if any


def make_window(since: Optional[str], until: Optional[str], latest: Optional[str],
                days: int = 7, baseline_windows: int = 4) -> Window:
    """The window a brief covers: given ends win; by default the last `days` days of data.

    Args:
        since, until: ISO dates the user gave, or None.
        latest: the newest event date in the filtered store (None if it is empty).
        days: default window length; baseline_windows: how many windows the baseline spans.
    """
    if until:
        end = dt.date.fromisoformat(until)
    elif since and latest and latest < since:
        end = _shift(dt.date.fromisoformat(since), days - 1)
    elif latest:
        end = dt.date.fromisoformat(latest)
    else:
        end = _shift(dt.date.fromisoformat(since), days - 1) if since else dt.date.today()
    start = dt.date.fromisoformat(since) if since else _shift(end, 1 - days)
    if start > end:
        raise ValueError(f"window starts after it ends: {start} > {end}")
    if (end - start).days >= MAX_WINDOW_DAYS:
        raise ValueError(f"a brief covers at most {MAX_WINDOW_DAYS} days, not"
                         f" {(end - start).days + 1} ({start} to {end})")
    return Window(start, end, baseline_windows)


def build_brief(events: Iterable[Event], scope: BriefScope, prior: PriorNames,
                generated_at: str = "", tallies: Sequence[re.Pattern] = ()) -> Brief:
    """Compute a brief from the events of the window and its baseline windows.

    Args:
        events: every event matching the filters from the baseline's first day to the
            window's last (others are ignored).
        scope: window and filters; prior: names known before the window (first-seen).
        generated_at: a timestamp for the header (the only non-deterministic text).
        tallies: quote wordings that tell a tally, not one incident (the briefs language
            pack): an event all of whose quotes read so is counted, never notable.
    """
    w = scope.window
    events = list(events)
    spelling = _spellings(events)
    events = [_respelt(e, spelling) for e in events]
    prior = PriorNames(frozenset((c, spelling.get((c, n), n)) for c, n in prior.places),
                       prior.actors)
    parts = _partition(events, w)
    current = parts["current"]
    refs = _References()
    notables = _notables([e for e in current if not _is_tally(e, tallies)], prior, refs)
    level = "admin2" if (scope.admin1 or scope.admin2) else "admin1"
    return Brief(
        title=_title(scope), scope=scope, export_command=_export_command(scope),
        events=Figure("Events", len(current), len(parts["previous"]),
                      len(parts["baseline"]) / w.baseline_windows),
        fatalities=Figure("Fatalities", _deaths(current), _deaths(parts["previous"]),
                          _deaths(parts["baseline"]) / w.baseline_windows),
        by_type=_breakdown(parts, w, lambda e: [e.event_type or "Unknown"], None),
        by_actor=_breakdown(parts, w, _actors, TOP_ACTORS),
        single_source=sum(len(_distinct_sources(e)) <= 1 for e in current),
        low_confidence=sum((e.confidence or 0.0) < LOW_CONFIDENCE for e in current),
        unknown_fatalities=sum(e.fatalities is None for e in current),
        hotspot_level=level, hotspots=_hotspots(parts, w, level),
        notables=notables, references=tuple(refs.items),
        points=_points(current), daily=_daily(parts["all"], w.baseline[0], w.until),
        generated_at=generated_at)


# -- one spelling per place -------------------------------------------------------------

def _spellings(events: Sequence[Event]) -> dict[tuple, str]:
    """(country, location) -> the one name the brief gives that place.

    Events at one point are one place, though the store may name it two ways: a town's
    gazetteer name on events placed in the town ("Ḩamāh", precision 1-2) and its region's
    name on region-level events placed at the region's main town ("Hama", precision 3).
    The name of the most precisely placed events wins (then the most used, then the first
    in alphabetical order), and a town named like its district or region is spelt as the
    unit is, so each place is spelt once throughout the brief."""
    names: dict[tuple, Counter] = defaultdict(Counter)
    for e in events:
        if e.location and e.latitude is not None and e.longitude is not None:
            point = (e.country, round(e.latitude, 4), round(e.longitude, 4))
            names[point][(e.geo_precision or 3, e.location)] += 1
    spelling: dict[tuple, str] = {}
    for (country, _, _), seen in sorted(names.items(), key=lambda kv: str(kv[0])):
        best = min(seen, key=lambda pn: (pn[0], -seen[pn], pn[1]))[1]
        for _, name in seen:
            spelling.setdefault((country, name), best)
    # A town named like a district or the region it lies in takes the unit's spelling,
    # ACLED's ("I‘zāz" in Aleppo, where A'zaz is a district, is A'zaz; "Ḩamāh" in Hama is
    # Hama): one place, one name, whether a line speaks of the town or of its district. The
    # gazetteer may not know the town's district, so any district of its region counts.
    unit_names: dict[tuple, dict[str, str]] = defaultdict(dict)
    for e in sorted(events, key=lambda e: (e.admin2 or "", e.admin1 or "")):
        region = unit_names[(e.country, e.admin1)]
        for unit in (e.admin2, e.admin1):
            if unit:
                region.setdefault(skeleton_key(unit), unit)
    units: dict[tuple, str] = {}
    for e in events:
        name = spelling.get((e.country, e.location), e.location)
        unit = unit_names[(e.country, e.admin1)].get(skeleton_key(name)) if name else None
        if unit and unit != name:
            units.setdefault((e.country, name), unit)
    for e in events:
        if e.location:
            spelling.setdefault((e.country, e.location), e.location)
    return {(c, n): units.get((c, best), best) for (c, n), best in spelling.items()}


def _respelt(e: Event, spelling: dict[tuple, str]) -> Event:
    name = spelling.get((e.country, e.location), e.location)
    return e if name == e.location else replace(e, location=name)


# -- slicing and counting --------------------------------------------------------------

def _partition(events: Iterable[Event], w: Window) -> dict[str, list[Event]]:
    """Split events into window / previous window / baseline, in a stable order."""
    since, until = w.since.isoformat(), w.until.isoformat()
    prev0, prev1 = (d.isoformat() for d in w.previous)
    base0 = w.baseline[0].isoformat()
    parts: dict[str, list[Event]] = {"current": [], "previous": [], "baseline": [], "all": []}
    for e in sorted(events, key=lambda e: (e.event_date or "", e.event_id)):
        d = e.event_date
        if not d or d < base0 or d > until:
            continue
        parts["all"].append(e)
        if d >= since:
            parts["current"].append(e)
            continue
        parts["baseline"].append(e)
        if prev0 <= d <= prev1:
            parts["previous"].append(e)
    return parts


def _deaths(events: Iterable[Event]) -> int:
    return sum(e.fatalities or 0 for e in events)


def _actors(e: Event) -> list[str]:
    return sorted({a for a in (e.actor1, e.actor2) if a})


def _breakdown(parts: dict[str, list[Event]], w: Window, keys, top: Optional[int]
               ) -> tuple[Figure, ...]:
    """Event counts per key (an event counts once per key it has), biggest first."""
    counts = {name: Counter(k for e in parts[name] for k in keys(e))
              for name in ("current", "previous", "baseline")}
    labels = set(counts["current"]) | (set(counts["previous"]) if top is None else set())
    rows = [Figure(k, counts["current"][k], counts["previous"][k],
                   counts["baseline"][k] / w.baseline_windows) for k in labels]
    rows.sort(key=lambda f: (-f.current, -f.previous, f.label))
    return tuple(rows[:top] if top else rows)


def _unit(e: Event, level: str) -> Optional[tuple[str, str]]:
    """(unit name, parent name) at the hotspot level, or None if the event lacks it.

    Inside one admin1 many events carry no admin2: their place name stands in for it."""
    if level == "admin2":
        name = e.admin2 or e.location
        return (name, e.admin1 or e.country or "") if name else None
    return (e.admin1, e.country or "") if e.admin1 else None


def _hotspots(parts: dict[str, list[Event]], w: Window, level: str) -> tuple[Hotspot, ...]:
    """Units whose event count rose most against their baseline mean per window."""
    now: dict[tuple[str, str], list[Event]] = defaultdict(list)
    for e in parts["current"]:
        if (key := _unit(e, level)) is not None:
            now[key].append(e)
    before = Counter(k for e in parts["baseline"] if (k := _unit(e, level)) is not None)
    spots = []
    for key, evs in now.items():
        base = before[key] / w.baseline_windows
        if len(evs) > base:
            lat, lon = _centroid(evs)
            spots.append(Hotspot(key[0], key[1], len(evs), base, _deaths(evs), lat, lon))
    spots.sort(key=lambda h: (-(h.current - h.baseline), -h.current, h.name, h.parent))
    return tuple(spots[:TOP_HOTSPOTS])


def _centroid(events: Sequence[Event]) -> tuple[Optional[float], Optional[float]]:
    pts = [(e.latitude, e.longitude) for e in events
           if e.latitude is not None and e.longitude is not None]
    if not pts:
        return None, None
    return (round(sum(p[0] for p in pts) / len(pts), 4),
            round(sum(p[1] for p in pts) / len(pts), 4))


def _points(events: Iterable[Event]) -> tuple[MapPoint, ...]:
    return tuple(MapPoint(e.event_id, e.latitude, e.longitude, e.fatalities or 0,
                          e.event_type or "Unknown") for e in events
                 if e.latitude is not None and e.longitude is not None)


def _daily(events: Iterable[Event], first: dt.date, last: dt.date
           ) -> tuple[tuple[str, int, int], ...]:
    n: Counter = Counter()
    deaths: Counter = Counter()
    for e in events:
        n[e.event_date] += 1
        deaths[e.event_date] += e.fatalities or 0
    days = ((first + dt.timedelta(i)).isoformat() for i in range((last - first).days + 1))
    return tuple((d, n[d], deaths[d]) for d in days)


# -- notable incidents and citations ---------------------------------------------------

class _References:
    """Numbers source quotes in order of first citation; one number per (event, quote)."""

    def __init__(self) -> None:
        self.items: list[Reference] = []
        self._numbers: dict[tuple[str, str, str], int] = {}

    def cite(self, e: Event) -> str:
        """The citation marks for an event's sources, e.g. "[1][2]"."""
        marks = []
        for s in _distinct_sources(e)[:MAX_SOURCES_CITED]:
            key = (e.event_id, s.doc_id, s.quote)
            if key not in self._numbers:
                self._numbers[key] = len(self.items) + 1
                self.items.append(Reference(self._numbers[key], e.event_id, s.doc_id,
                                            s.outlet, s.published, s.url, s.quote))
            marks.append(f"[{self._numbers[key]}]")
        return "".join(marks)


def _distinct_sources(e: Event) -> list:
    """The event's sources, one per (document, quote), in stored order."""
    seen: set[tuple[str, str]] = set()
    out = []
    for s in e.sources:
        if (s.doc_id, s.quote) not in seen:
            seen.add((s.doc_id, s.quote))
            out.append(s)
    return out


def _notables(current: list[Event], prior: PriorNames, refs: _References
              ) -> tuple[Notable, ...]:
    """The deadliest, first-seen, claimed and disputed incidents, one cited entry each."""
    picked: list[tuple[str, Event, str]] = []
    deadly = sorted((e for e in current if (e.fatalities or 0) > 0),
                    key=lambda e: (-(e.fatalities or 0), e.event_date or "", e.event_id))
    # A superlative is given once: the deadliest, then the second and third deadliest.
    picked += [("deadliest", e, _RANKS[n] + "deadliest")
               for n, e in enumerate(deadly[:TOP_NOTABLE])]
    picked += _first_seen(current, prior)
    claimed = [e for e in current if any(_CLAIM_RE.search(s.quote or "") for s in e.sources)]
    picked += [("claimed", e, "claimed by the perpetrator") for e in claimed[:TOP_NOTABLE]]
    disputed = sorted((e for e in current if len(_fatality_claims(e)) > 1),
                      key=lambda e: (-_spread(e), e.event_date or "", e.event_id))
    picked += [("disagreement", e, "sources disagree") for e in disputed[:TOP_NOTABLE]]
    if len(current) <= TOP_NOTABLE:  # a quiet window still cites what happened in it
        only = "the only event in the window" if len(current) == 1 else \
            f"one of {len(current)} events in the window"
        picked += [("in-window", e, only) for e in current]
    reasons: dict[str, list[str]] = {}
    first_kind: dict[str, tuple[str, Event]] = {}
    for kind, e, reason in picked:  # one entry per event, listing every reason it is notable
        first_kind.setdefault(e.event_id, (kind, e))
        reasons.setdefault(e.event_id, []).append(reason)
    return tuple(Notable(kind, eid, _sentence(e, reasons[eid], refs))
                 for eid, (kind, e) in first_kind.items())


def _is_tally(e: Event, tallies: Sequence[re.Pattern]) -> bool:
    """Whether every quote of the event tells a tally (several separate attacks, a toll over
    days, an accusation of past killings) rather than one incident."""
    quotes = [s.quote for s in _distinct_sources(e) if s.quote]
    return bool(tallies and quotes) and all(any(p.search(q) for p in tallies) for q in quotes)


def _first_seen(current: list[Event], prior: PriorNames) -> list[tuple[str, Event, str]]:
    """Events at a place, or naming an actor, the store had not seen before the window."""
    out: list[tuple[str, Event, str]] = []
    places: set = set()
    actors: set = set()
    for e in current:
        place = (e.country, e.location)
        if e.location and place not in prior.places and place not in places:
            places.add(place)
            out.append(("first-place", e, f"first event in the store at {md_text(e.location)}"))
        for a in _actors(e):
            if a not in prior.actors and a not in actors and not a.startswith(_GENERIC_ACTORS):
                actors.add(a)
                out.append(("first-actor", e, f"first event in the store naming {md_text(a)}"))
    firsts = [x for x in out if x[0] == "first-place"][:TOP_NOTABLE]
    return firsts + [x for x in out if x[0] == "first-actor"][:TOP_NOTABLE]


def _fatality_claims(e: Event) -> dict[int, list[str]]:
    """Distinct per-source death tolls -> the outlets that gave each.

    A report giving no toll (0) is not a conflicting estimate, as in linking."""
    claims: dict[int, list[str]] = defaultdict(list)
    for s in _distinct_sources(e):
        value = (s.claims or {}).get("fatalities")
        if isinstance(value, int) and value > 0:
            outlet = s.outlet or s.doc_id
            if outlet not in claims[value]:
                claims[value].append(outlet)
    return claims


def _spread(e: Event) -> int:
    values = list(_fatality_claims(e))
    return max(values) - min(values)


_MD_PUNCTUATION = re.compile(r"([\\`*_\[\]|])")


def md_text(text: str) -> str:
    """Text from articles or users made inert in Markdown: Markdown's punctuation is
    backslash-escaped and HTML's <, > and & become entities, so a quote holding `<script>`
    or `**` prints as typed instead of running or restyling the page."""
    escaped = _MD_PUNCTUATION.sub(r"\\\1", text)
    return escaped.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def md_code(text: str) -> str:
    """Text for a Markdown code span (ids): literal inside it, except a backtick, which
    would close the span."""
    return text.replace("`", "'")


def _sentence(e: Event, reasons: list[str], refs: _References) -> str:
    """One plain sentence about the event, its citations, disagreements and flags."""
    lead = "; ".join(reasons)
    text = f"**{lead[0].upper() + lead[1:]}.** {_describe(e)} {refs.cite(e)}."
    claims = _fatality_claims(e)
    if len(claims) > 1:
        told = "; ".join(f"{md_text(', '.join(outlets))}: {n} killed"
                         for n, outlets in sorted(claims.items()))
        text += f" Sources disagree on the toll ({told}); the brief counts {e.fatalities}."
    return text + _flags(e)


def _describe(e: Event) -> str:
    what = md_text(e.sub_event_type or e.event_type or "Event")
    place = md_text(", ".join(x for x in dict.fromkeys((e.location, e.admin2, e.admin1,
                                                        e.country)) if x))
    who = f" by {md_text(e.actor1)}" if e.actor1 else ""
    whom = f" against {md_text(e.actor2)}" if e.actor2 else ""
    toll = ("; deaths not reported" if e.fatalities is None
            else f"; {e.fatalities} killed" if e.fatalities else "; no deaths reported")
    where = f" in {place}" if place else ""
    return f"{what}{where} {_when(e)}{who}{whom}{toll}"


def _when(e: Event) -> str:
    if not e.event_date:
        return "on an unknown date"
    d = dt.date.fromisoformat(e.event_date)
    text = _fmt_date(d)
    return {2: f"in the week of {text}", 3: f"in {load_months().name(d.month)} {d.year}"}.get(
        e.time_precision, f"on {text}")


def _flags(e: Event) -> str:
    marks = []
    if len(_distinct_sources(e)) <= 1:
        marks.append("single source")
    if (e.confidence or 0.0) < LOW_CONFIDENCE:
        marks.append(f"low confidence {e.confidence:.2f}")
    return f" *({'; '.join(marks)})*" if marks else ""


# -- headers ---------------------------------------------------------------------------

def _fmt_date(d: dt.date) -> str:
    return f"{d.day} {load_months().name(d.month)} {d.year}"


def _title(scope: BriefScope) -> str:
    where = ", ".join(x for x in (scope.admin2, scope.admin1, scope.country) if x) or "All areas"
    who = [x for x in (scope.actor, scope.event_type) if x]
    w = scope.window
    span = f"{_fmt_date(w.since)} to {_fmt_date(w.until)}"
    return f"{where}{' — ' + ', '.join(who) if who else ''}: {span}"


def _export_command(scope: BriefScope) -> str:
    w = scope.window
    parts = ["eventwire export --format jsonl", f"--since {w.since}", f"--until {w.until}"]
    for flag, value in (("--admin1", scope.admin1), ("--country", scope.country),
                        ("--actor", scope.actor), ("--type", scope.event_type)):
        if value:
            parts.append(f"{flag} {_shell_quote(value)}")
    if scope.bbox:
        parts.append("--bbox " + ",".join(f"{v:g}" for v in scope.bbox))
    return " ".join(parts)


def _shell_quote(value: str) -> str:
    return value if re.fullmatch(r"[\w.,:/-]+", value) else "'" + value.replace("'", "'\\''") + "'"
