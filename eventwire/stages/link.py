"""Link reports of one incident into one event, and resolve the event's values.

Adds cross-report identity: an extracted event (a *report*: what one document says) either
joins an event already stored or founds a new one. Cost stays near-linear because a report
is only compared with reports in its block (same country and event-type family, event date
within +-`window_days`; a report with a precise place also the same or unknown admin1, or
a region-level place anywhere, since region-level reports search the whole country),
which the store fetches by index.

A document's reports are linked together (`link_document`): every report is scored against
every candidate event and the best pairs are taken first, one report per event, so that a
document's second mention of an incident cannot take the event its lede belongs to.
Within one document two events are never merged: the extractor already decided they are
different incidents. Agreement two separate incidents would rarely share (a chemical
attack or suicide bombing, or a big toll told alike, within a day in one area) is a
feature of its own; an event whose reports' dates do not all fit the report's is vetoed
whole, so one-day steps cannot chain an event across days, and two reports of different
days merge only when they corroborate each other (`_across_days`). The pair decision is
the learned logistic model of data/link_model.json (stages.link_model) when its build
found it no worse than the hand-weighted sum on the held-out fold, else that sum
(resources.load_link_settings gives the store's writer the one that decides). Every decision carries its per-feature scores so an analyst can see
why two reports were joined and split them again.

Resolution follows ACLED: the most conservative death toll, the most precise place (lowest
geo_precision), the other fields from the most thorough report, and every report kept in
`sources` with its own claim.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import math
import re
import sys
import unicodedata
from dataclasses import dataclass
from functools import cached_property
from typing import Callable, Iterable, Optional, Sequence

from ..records import Event, Source
from .counts import Claim, settle_deaths
from .link_model import LinkModel

__all__ = ["Block", "LinkDecision", "LinkSettings", "LinkView", "StoredReport",
           "blocking_key", "link_document", "link_report", "link_view", "pair_features",
           "pair_merges", "pair_score", "resolve_event", "view_features"]

# Types whose reports often disagree on coding (one outlet's "shelling" is another's
# "clashes" or "attack on civilians"): they share a block and are scored, not kept apart.
_FAMILY = {
    "Battles": "violence",
    "Explosions/Remote violence": "violence",
    "Violence against civilians": "violence",
    "Protests": "demonstrations",
    "Riots": "demonstrations",
    "Strategic developments": "strategic",
}
# Sub-event types outlets use for one kind of attack: a car bomb is a "suicide bombing" to
# one report and an "explosion"/IED to the next. The same kind counts as near agreement on
# type and weapon. Air strikes and shelling stay apart: outlets name the weapon, and both
# hit the same city on the same day.
_KIND = {
    "Suicide bomb": "bombing", "Remote explosive/landmine/IED": "bombing", "Grenade": "bombing",
    "Armed clash": "fighting", "Government regains territory": "fighting",
    "Non-state actor overtakes territory": "fighting",
    "Attack": "assault", "Abduction/forced disappearance": "assault",
    "Sexual violence": "assault",
}
_WORD = re.compile(r"[^\W\d_]{4,}")
_STOP = frozenset(
    "that this with from have were said they their which been after also into over "
    "when where while about against other than there these those some more most "
    "according reported people killed syria syrian".split())


@dataclass(frozen=True)
class LinkSettings:
    """Tunable numbers of the linker.

    With a `model` (the learned logistic regression of stages.link_model, which the store's
    writer is given when it holds on the held-out fold: resources.load_link_settings) a
    pair's score is the model's probability and `model.merges` decides. Without one, the
    score is the weighted sum (the w_ weights but w_rare sum to 1; w_rare is a bonus for
    coincidence evidence) and score >= threshold merges. The vetoes hold either way."""

    window_days: int = 2  # a publication-dated report may trail the incident by two days
    threshold: float = 0.62
    w_date: float = 0.15
    w_place: float = 0.30
    w_type: float = 0.15
    w_weapon: float = 0.10
    w_actors: float = 0.10
    w_deaths: float = 0.10
    w_text: float = 0.10
    near_km: float = 10.0  # two precise places closer than this read as one place
    far_km: float = 30.0  # precise places farther apart than this are different places
    # Coincidence evidence, added on top of the weighted sum: agreement that two separate
    # incidents would rarely share. Rare sub-types (chemical attacks are a few a month in
    # the whole of Syria) and big tolls (ten dead or more) within a day in one area.
    w_rare: float = 0.15
    rare_sub_types: tuple = (("Chemical weapon", 1.0), ("Suicide bomb", 0.6))
    big_toll: int = 10
    model: Optional[LinkModel] = None


@dataclass(frozen=True)
class Block:
    """The slice of the store a report is compared with (admin1 None: the whole country)."""

    country: str
    family: str
    date_from: str
    date_to: str
    admin1: Optional[str]


@dataclass(frozen=True)
class StoredReport:
    """One report (an extracted event) and the linked event it belongs to."""

    report_id: str
    event_id: str
    doc_hash: str
    event: Event

    @cached_property
    def view(self) -> "LinkView":
        """What linking compares of the report (see LinkView)."""
        return link_view(self.event)


@dataclass(frozen=True)
class LinkDecision:
    """Join `event_id` (or found a new event when None), and why."""

    event_id: Optional[str]
    partner_report_id: Optional[str]
    score: Optional[float]
    features: dict


def family_of(event_type: Optional[str]) -> str:
    """The blocking family of an ACLED event type ('other' when unknown)."""
    return _FAMILY.get(event_type or "", "other")


def blocking_key(report: Event, settings: LinkSettings = LinkSettings()) -> Optional[Block]:
    """The block to search for a report's incident, or None when it cannot be linked.

    Reports without a day or a country are never linked: nothing safe anchors them. A
    report whose place is only a region (or a name that may be the region or its capital)
    is searched in the whole country: its admin1 may be the outlet's loose wording.
    """
    if not report.event_date or not report.country:
        return None
    try:
        day = dt.date.fromisoformat(report.event_date)
    except ValueError:
        return None
    pad = dt.timedelta(days=settings.window_days)
    admin1 = report.admin1 if _precise(report) else None
    return Block(report.country, family_of(report.event_type), (day - pad).isoformat(),
                 (day + pad).isoformat(), admin1)


def link_document(reports: Sequence[Event], candidates: Sequence[Sequence[StoredReport]],
                  settings: LinkSettings = LinkSettings(),
                  views: Optional[Sequence["LinkView"]] = None) -> list[LinkDecision]:
    """Link all reports of one document at once.

    Args:
        reports: the document's reports, in the extractor's order.
        candidates: for each report, the stored reports of its block (none of this document),
            or anything with their report_id, event_id and link view.
        settings: weights and threshold.
        views: the reports' link views, when the caller has them (else computed here).
    Returns:
        One decision per report. Pairs that merge (`pair_merges`) are taken best first, each
        stored event joined by at most one report of the document (ties: earlier report,
        earlier candidate); a report left over founds a new event, its decision keeping the
        best pair seen as the reason.
    """
    best: list[Optional[tuple[float, StoredReport, dict]]] = [None] * len(reports)
    pairs: list[tuple[float, int, int, StoredReport, dict]] = []
    views = views if views is not None else [link_view(r) for r in reports]
    for i, (view, cands) in enumerate(zip(views, candidates)):
        for order, (score, cand, features) in enumerate(_event_scores(view, cands, settings)):
            if best[i] is None or score > best[i][0]:
                best[i] = (score, cand, features)
            if pair_merges(features, settings, score):
                pairs.append((score, i, order, cand, features))
    decisions: list[Optional[LinkDecision]] = [None] * len(reports)
    taken: set[str] = set()
    for score, i, _order, cand, features in sorted(pairs, key=lambda p: (-p[0], p[1], p[2])):
        if decisions[i] is None and cand.event_id not in taken:
            taken.add(cand.event_id)
            decisions[i] = LinkDecision(cand.event_id, cand.report_id, round(score, 4), features)
    return [d or _new_event(b) for d, b in zip(decisions, best)]


def link_report(report: Event, candidates: Iterable[StoredReport], exclude_events: set[str],
                settings: LinkSettings = LinkSettings()) -> LinkDecision:
    """Pick the stored event one report belongs to, if any (a one-report document).

    Args:
        report: the new report.
        candidates: stored reports of the report's block (from the store).
        exclude_events: events that already hold a report of the same document.
        settings: weights and threshold.
    Returns:
        The decision: the best-scoring event at or above the threshold, or a new event;
        its features are the per-feature scores of the best pair either way.
    """
    allowed = [c for c in candidates if c.event_id not in exclude_events]
    return link_document([report], [allowed], settings)[0]


def _new_event(best: Optional[tuple[float, StoredReport, dict]]) -> LinkDecision:
    if best is None:
        return LinkDecision(None, None, None, {})
    score, cand, features = best
    return LinkDecision(None, cand.report_id, round(score, 4), features)


def _event_scores(mine: "LinkView", candidates: Iterable, s: LinkSettings
                  ) -> list[tuple[float, object, dict]]:
    """The best-scoring stored report of each candidate event, in first-seen order.

    An event whose reports' dates are too far from the report's (any of them, among those
    in the block) is vetoed as a whole: otherwise a chain of one-day steps could carry an
    event across several days (17th, 18th, 19th) and merge separate days' strikes.
    """
    per_event: dict[str, tuple[float, object, dict]] = {}
    too_far: dict[str, tuple[object, dict]] = {}
    for cand in candidates:
        features = view_features(mine, cand.view, s)
        if "veto" in features:
            if features["veto"].startswith("dates"):
                too_far.setdefault(cand.event_id, (cand, features))
            score = 0.0  # a vetoed pair scores 0 but is kept as the reason when nothing else was close
        else:
            score = pair_score(features, s)
        held = per_event.get(cand.event_id)
        if held is None or score > held[0]:
            per_event[cand.event_id] = (score, cand, features)
    for event_id, (cand, features) in too_far.items():
        per_event[event_id] = (0.0, cand, features)
    return list(per_event.values())


def pair_score(f: dict, s: LinkSettings) -> float:
    """A comparable pair's score: the model's probability, else the weighted agreement."""
    return s.model.probability(f) if s.model is not None else weighted_score(f, s)


def pair_merges(f: dict, s: LinkSettings, score: Optional[float] = None) -> bool:
    """Whether a pair with features `f` is one incident: never when vetoed; with the model,
    its decision (no merge within its margin of the threshold unless a second strong
    feature agrees fully); else the weighted score at or above the threshold."""
    if "veto" in f:
        return False
    if s.model is not None:
        return s.model.merges(f)
    return (weighted_score(f, s) if score is None else score) >= s.threshold


def weighted_score(f: dict, s: LinkSettings) -> float:
    """The pair's weighted agreement (merge at or above s.threshold)."""
    return (s.w_date * f["date"] + s.w_place * f["place"] + s.w_type * f["type"]
            + s.w_weapon * f["weapon"] + s.w_actors * f["actors"]
            + s.w_deaths * f["deaths"] + s.w_text * f["text"] + s.w_rare * f.get("rare", 0.0))


class LinkView:
    """What the pair features read of one report, computed once per report (a report is
    compared with every report of its block, so names, actor sets and quote words are
    normalised when the report is first seen, not once per pair)."""

    __slots__ = ("country", "admin1", "admin2", "precise", "geo_precision", "lat", "cos_lat",
                 "lon", "name", "skeleton", "capital", "day", "bad_date", "time_precision",
                 "event_type", "sub_event_type", "sub_kind", "weapon", "weapon_kind",
                 "actors", "fatalities", "words")

    def __init__(self, e: Event) -> None:
        self.country, self.admin1, self.admin2 = e.country, e.admin1, e.admin2
        self.precise, self.geo_precision = _precise(e), e.geo_precision
        self.lon = e.longitude
        self.lat = math.radians(e.latitude) if e.latitude is not None else None
        self.cos_lat = math.cos(self.lat) if self.lat is not None else None
        # None: no name to compare (_same_name needs both names)
        self.name = _norm(e.location) if e.location else None
        self.skeleton = _skeleton(e.location)
        self.capital = _capital(e)
        self.day, self.bad_date = None, None
        if e.event_date:
            try:
                self.day = dt.date.fromisoformat(e.event_date).toordinal()
            except ValueError:
                self.bad_date = e.event_date  # raised when compared, as a date would be
        self.time_precision = e.time_precision or 1
        self.event_type, self.sub_event_type = e.event_type, e.sub_event_type
        self.sub_kind, self.weapon, self.weapon_kind = _kind(e.sub_event_type), e.weapon, _kind(e.weapon)
        self.actors = frozenset(_actor_set(e))
        self.fatalities = e.fatalities
        self.words = frozenset(_quote_words(e))


def link_view(e: Event) -> LinkView:
    """The report's link view (see LinkView)."""
    return LinkView(e)


def pair_features(a: Event, b: Event, s: LinkSettings) -> dict:
    """Per-feature agreement in [0, 1], or {"veto": reason} when the pair is incompatible."""
    return view_features(link_view(a), link_view(b), s)


def view_features(a: LinkView, b: LinkView, s: LinkSettings) -> dict:
    """`pair_features` of two reports' link views."""
    place = _place_score(a, b, s)
    date = _date_score(a, b, s)
    if isinstance(place, str) or isinstance(date, str):
        return {"veto": place if isinstance(place, str) else date}
    f = {"date": date, "place": place, "type": _type_score(a, b),
         "weapon": _weapon_score(a, b), "actors": _actor_score(a, b),
         "deaths": _deaths_score(a.fatalities, b.fatalities), "text": _text_score(a, b),
         "rare": _rarity_score(a, b, date, place, s)}
    uncorroborated = _across_days(a, b, f)
    return {"veto": uncorroborated} if uncorroborated else f


def _across_days(a: LinkView, b: LinkView, f: dict) -> Optional[str]:
    """Why two reports of different days cannot be one incident, or None.

    Two days of strikes on one town are two events: across days a merge needs
    corroboration, a coincidence two incidents rarely share: tolls told alike (both given,
    within half of each other: they rise as bodies are found), a rare kind of attack told
    alike, or the same named place with a shared actor; and never tolls that disagree
    (both given, one under half the other). A report dated by its publication (no day of
    its own) tells an incident on or before that day: never one a dated report puts later.
    """
    gap = b.day - a.day  # > 0: b's day is the later
    if gap == 0 or max(a.time_precision, b.time_precision) >= 3:
        return None
    if a.time_precision != b.time_precision:  # one day is the report's own, one its publication's
        if (gap > 0) if a.time_precision == 2 else (gap < 0):
            return "incident after the undated report's publication"
    given = bool(a.fatalities) and bool(b.fatalities)
    if given and f["deaths"] < 1.0:
        return f"days {abs(gap)} apart, tolls disagree"
    named_place = f["place"] >= 0.8 and bool(a.actors & b.actors)
    if (given and f["deaths"] == 1.0) or f["rare"] >= 0.6 or named_place:
        return None
    return f"days {abs(gap)} apart uncorroborated"


def _rarity_score(a: LinkView, b: LinkView, date: float, place: float, s: LinkSettings) -> float:
    """How unlikely the pair's agreement is by chance: a rare kind of attack or a big toll
    told alike, within a day, in places that can be one. A region-level report in another
    admin1 (loose wording, or a mis-resolved place) counts half; two named places far
    apart not at all (chemical shells do hit two towns on one day).
    """
    if date < 0.6 or place <= 0.0:
        return 0.0
    area = 1.0 if place >= 0.3 else 0.5
    rare = dict(s.rare_sub_types)
    kind = max(rare.get(a.sub_event_type or "", 0.0) if a.sub_event_type == b.sub_event_type
               else 0.0, rare.get(a.weapon or "", 0.0) if a.weapon == b.weapon else 0.0)
    return area * max(kind, 0.5 if _big_tolls_agree(a.fatalities, b.fatalities, s) else 0.0)


def _big_tolls_agree(x: Optional[int], y: Optional[int], s: LinkSettings) -> bool:
    # Tolls rise as bodies are found, so within half of each other still agree.
    if x is None or y is None:
        return False
    return min(x, y) >= s.big_toll and 2 * min(x, y) >= max(x, y)


def _date_score(a: LinkView, b: LinkView, s: LinkSettings) -> float | str:
    if a.day is None or b.day is None:
        for bad in (a.bad_date, b.bad_date):
            if bad is not None:
                dt.date.fromisoformat(bad)  # raises: the date is not a day
        return "date unknown"
    gap = abs(a.day - b.day)
    loose = max(a.time_precision, b.time_precision)
    # An exact day on both sides allows one day's drift (the night raid dated by the
    # morning report); a date taken from publication ("yesterday", no date) allows two.
    if gap > s.window_days or (gap > 1 and loose == 1):
        return f"dates {gap} days apart"
    if loose >= 3:
        return 0.3  # month-level dates hardly tell incidents apart
    if loose == 2:
        return (0.8, 0.7, 0.4)[gap]
    return 1.0 if gap == 0 else 0.6


def _place_score(a: LinkView, b: LinkView, s: LinkSettings) -> float | str:
    if a.country != b.country:
        return "different countries"
    pa, pb = a.precise, b.precise
    same_admin1 = None if not (a.admin1 and b.admin1) else a.admin1 == b.admin1
    if same_admin1 is False and (pa or pb):
        return "different admin1"  # two governorates: one incident only when neither names a spot
    if pa and pb:
        return _precise_place_score(a, b, same_admin1, s)
    if _same_name(a, b) and same_admin1 is not False:
        return 0.7  # one region's or big city's name: the same area, not yet the same spot
    # One report names only the region: compatible, but weak evidence of the same place;
    # a different admin1 from a region-level report is often loose wording, not a veto.
    if same_admin1 is None:
        return 0.3
    if not same_admin1:
        return 0.15
    if a.admin2 and b.admin2:
        return 0.6 if a.admin2 == b.admin2 else 0.3
    return 0.5


def _precise_place_score(a: LinkView, b: LinkView, same_admin1: Optional[bool],
                         s: LinkSettings) -> float | str:
    """Two named towns or neighbourhoods: their distance decides."""
    km = _km(a, b)
    same_name = _same_name(a, b)
    if km <= s.near_km:
        if same_name and a.capital and b.capital:
            return 0.7  # a governorate's capital is a city of districts: its name alone is no one spot
        return 1.0 if same_name else 0.8
    if a.geo_precision == 1 and b.geo_precision == 1 and not same_name:
        return f"different towns {km:.0f} km apart"  # one day, two named towns: two incidents
    return 0.4 if km <= s.far_km else 0.0


def _precise(e: Event) -> bool:
    """Whether the place is a named spot (town, district), not a region.

    A city named like its governorate ("Aleppo", "Raqqa", "Deir ez-Zor", "Homs", "Hama",
    "Idlib") is a precise place when the places stage placed it as the city (geo_precision
    1-2 with coordinates): searched country-wide as if it were the region, it was merged
    into another governorate's event and chained on. The region itself is precision 3.
    """
    return (e.geo_precision or 3) < 3 and e.latitude is not None and e.longitude is not None


def _capital(e: Event) -> bool:
    """A city named like its governorate ("Aleppo" in Aleppo)."""
    return bool(e.admin1) and _skeleton(e.location) == _skeleton(e.admin1)


def _type_score(a: LinkView, b: LinkView) -> float:
    if a.sub_event_type and a.sub_event_type == b.sub_event_type:
        return 1.0
    if a.sub_kind and a.sub_kind == b.sub_kind:
        return 0.8
    if a.event_type and a.event_type == b.event_type:
        return 0.6
    # A bomb that killed civilians is an "attack" to one outlet and an explosion to another.
    if {a.sub_kind, b.sub_kind} == {"bombing", "assault"}:
        return 0.6
    return 0.3


def _weapon_score(a: LinkView, b: LinkView) -> float:
    if not a.weapon or not b.weapon:
        return 0.5
    if a.weapon == b.weapon:
        return 1.0
    return 0.6 if a.weapon_kind and a.weapon_kind == b.weapon_kind else 0.0


def _kind(sub_event_type: Optional[str]) -> Optional[str]:
    return _KIND.get(sub_event_type or "")


def _actor_set(e: Event) -> set[str]:
    names = {e.actor1, e.actor2}
    for assoc in (e.assoc_actor_1, e.assoc_actor_2):
        names.update(x.strip() for x in (assoc or "").split(";"))
    return {n for n in names if n}


def _actor_score(a: LinkView, b: LinkView) -> float:
    sa, sb = a.actors, b.actors
    if not sa or not sb:
        return 0.5
    shared = len(sa & sb)
    return shared / (len(sa) + len(sb) - shared)  # the union's size, without building it


def _deaths_score(x: Optional[int], y: Optional[int]) -> float:
    if x is None or y is None:
        return 0.5
    if x == y:
        return 1.0
    if min(x, y) == 0:
        return 0.4  # one report may simply not give the toll yet
    ratio = min(x, y) / max(x, y)
    # Tolls grow as bodies are found: 58 then 86 is one attack, 2 against 50 rarely is.
    return 1.0 if ratio >= 0.5 else 0.6 if ratio >= 0.2 else 0.1


def _text_score(a: LinkView, b: LinkView) -> float:
    wa, wb = a.words, b.words
    if not wa or not wb:
        return 0.5
    shared = len(wa & wb)
    return min(1.0, 3.0 * shared / (len(wa) + len(wb) - shared))


def _quote_words(e: Event) -> set[str]:
    text = " ".join(src.quote for src in e.sources) or e.notes or ""
    # interned: the same words recur in thousands of cached views
    return {sys.intern(w) for w in _WORD.findall(text.lower()) if w not in _STOP}


def _same_name(a: LinkView, b: LinkView) -> bool:
    """One place name in two spellings (Idlib / Idleb, Khan Shaykhun / Khan Sheikhoun)."""
    return (a.name is not None and b.name is not None
            and (a.name == b.name or a.skeleton == b.skeleton != ""))


def _norm(name: Optional[str]) -> str:
    return re.sub(r"[^a-z]", "", (name or "").lower())


def _skeleton(name: Optional[str]) -> str:
    """A name's consonants without the article: Idlib ~ Idleb, Al-Hasakah ~ Hasakeh."""
    letters = _norm(_ascii(name))
    # The article (al-, or assimilated ar-/as-/ad-...), not the start of Aleppo; final -ah.
    letters = re.sub(r"^(al(?=[^aeiou])|a([dnrstz])(?=\2))", "", letters)
    letters = re.sub(r"(?<=[aeiou])h$", "", letters)
    return re.sub(r"[aeiouy]|(.)(?=\1)", "", letters)


def _ascii(name: Optional[str]) -> str:
    return unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode()


def _km(a: LinkView, b: LinkView) -> float:
    # the haversine of the two places, each latitude's radians and cosine computed once
    dp, dl = b.lat - a.lat, math.radians(b.lon - a.lon)
    h = math.sin(dp / 2) ** 2 + a.cos_lat * b.cos_lat * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(min(1.0, h)))


NoteWriter = Callable[[Event], str]


def resolve_event(event_id: str, members: Sequence[StoredReport], note: Optional[NoteWriter] = None) -> Event:
    """The linked event's record from its reports (in ingest order), by ACLED's rules.

    Deaths, injuries and arrests: the lowest positive figure (a report that gives no toll
    is not a conflicting estimate); place: the lowest geo_precision; time: the lowest
    time_precision; everything else: the most thorough report. Every report stays in
    `sources`, each with its own claim. `note` writes the note from the chosen fields, so it
    never tells another report's figure, place or day (None: the most thorough report's).
    """
    reports = [m.event for m in members]
    primary = max(reports, key=_thoroughness)  # max() keeps the earliest of equals
    deaths = _resolved_deaths(members)
    place = min(reports, key=lambda e: (e.geo_precision or 3, e is not primary))
    when = min(reports, key=lambda e: (e.time_precision or 3, e is not primary))
    resolved = dataclasses.replace(
        primary,
        event_id=event_id,
        event_date=when.event_date, time_precision=when.time_precision,
        country=place.country, admin1=place.admin1, admin2=place.admin2,
        admin3=place.admin3, location=place.location, latitude=place.latitude,
        longitude=place.longitude, geo_precision=place.geo_precision,
        fatalities=deaths["value"],
        injuries=_conservative(e.injuries for e in reports),
        arrests=_conservative(e.arrests for e in reports),
        sources=[src for m in members for src in _claimed_sources(m)],
        confidence=_combined_confidence(_independent_confidences(members)),
        tags=list(dict.fromkeys(t for e in reports for t in e.tags)),
        choices={"fatalities": deaths,
                 "place": _choice(place.location, members, place, f"the most precise place of {len(reports)} "
                                  f"report(s) (geo_precision {place.geo_precision})"),
                 "event_date": _choice(when.event_date, members, when, f"the most precise day of {len(reports)} "
                                       f"report(s) (time_precision {when.time_precision})")},
    )
    return dataclasses.replace(resolved, notes=note(resolved)) if note else resolved


def _choice(value, members: Sequence[StoredReport], chosen: Event, reason: str) -> dict:
    return {"value": value, "reason": reason, "reports": [m.report_id for m in members if m.event is chosen]}


def _resolved_deaths(members: Sequence[StoredReport]) -> dict:
    """The event's deaths and why, by ACLED's conservative rule: the lowest positive toll of
    its reports (one giving none is no conflicting estimate); when any report carries a
    denial, only a confirmed figure counts (counts.settle_deaths over every report's claims)."""
    claims = [Claim(st.get("value"), st.get("speaker"), st.get("stance", "reported"))
              for m in members for s in m.event.sources for st in (s.claims or {}).get("statements", ())]
    tolls = [(m.report_id, m.event.fatalities) for m in members]
    value = _conservative(v for _, v in tolls)
    settled, denial = settle_deaths(claims, value, in_order=False)  # reports come in ingest order, not told order
    if denial is not None:
        return {"value": settled, "reason": denial,
                "reports": [m.report_id for m in members
                            if any(st.get("stance") in ("denied", "confirmed")
                                   for s in m.event.sources for st in (s.claims or {}).get("statements", ()))]}
    chosen = [rid for rid, v in tolls if v == value and v is not None]
    known = [v for _, v in tolls if v is not None]
    if len(members) == 1:
        own = (members[0].event.sources[0].claims or {}).get("fatalities_reason") if members[0].event.sources else None
        reason = own or "the report's toll"
    elif value:
        reason = f"the lowest positive toll of {len(known)} reports ({', '.join(str(v) for v in known)})"
    else:
        reason = f"no report of {len(members)} gives a toll above 0"
    return {"value": value, "reason": reason, "reports": chosen}


def _thoroughness(e: Event) -> tuple:
    known = sum(v is not None for v in (e.event_date, e.actor1, e.actor2, e.assoc_actor_1,
                                        e.location, e.admin2, e.fatalities, e.latitude))
    return (known, -(e.geo_precision or 3), sum(len(s.quote) for s in e.sources), e.confidence)


def _conservative(values: Iterable[Optional[int]]) -> Optional[int]:
    known = [v for v in values if v is not None]
    positive = [v for v in known if v > 0]
    return min(positive) if positive else (0 if known else None)


def _independent_confidences(members: Sequence[StoredReport]) -> list[float]:
    # A copy of an article (same text under another id) shares its original's doc_hash: it
    # is one more source, but no independent evidence that the incident happened.
    first: dict[str, float] = {}
    for m in members:
        first.setdefault(m.doc_hash, m.event.confidence)
    return list(first.values())


def _combined_confidence(values: Iterable[float]) -> float:
    # Independent reports of one incident make it likelier to be real (noisy-or).
    doubt = 1.0
    for c in values:
        doubt *= 1.0 - min(max(c or 0.0, 0.0), 1.0)
    return round(1.0 - doubt, 4)


def _claimed_sources(m: StoredReport) -> list[Source]:
    e = m.event
    claim = {"report_id": m.report_id, "event_date": e.event_date,
             "sub_event_type": e.sub_event_type, "actor1": e.actor1, "actor2": e.actor2,
             "location": e.location, "admin1": e.admin1, "geo_precision": e.geo_precision,
             "fatalities": e.fatalities, "injuries": e.injuries, "arrests": e.arrests}
    return [Source(s.doc_id, s.outlet, s.published, s.url, s.quote, s.start, s.end,
                   **_extra_source_fields(s), claims={**claim, **(s.claims or {})})
            for s in e.sources]


_SOURCE_EXTRA = tuple(f.name for f in dataclasses.fields(Source)
                      if f.name not in ("doc_id", "outlet", "published", "url", "quote",
                                        "start", "end", "claims"))


def _extra_source_fields(s: Source) -> dict:
    # Fields other stages add to Source (e.g. spans) travel along unchanged.
    return {name: getattr(s, name) for name in _SOURCE_EXTRA}
