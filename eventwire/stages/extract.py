"""Extract stage: one cleaned Article in, its coded Events out.

Sentences -> incident mentions -> incidents; each incident is typed by the event lexicon,
placed by the gazetteer, given actors, roles, counts and a date, and becomes one Event.
"""
from __future__ import annotations

import dataclasses
import hashlib
import re
from typing import TYPE_CHECKING, Callable, Iterator, Optional, Union

from ..gazetteer import skeleton_key
from ..records import ActorMention, Article, Event, Place, Rejected, Source
from .actors import find_actors, home_countries
from .annotate import Sentence, split_sentences
from .classify import classify_incident, incident_signal
from .incidents import TALLY, Incident, Mention, SentenceReading, find_incidents
from .notes import write_note
from .places import article_country, listed_places, resolve_place
from .roles import Roles, assign_roles

if TYPE_CHECKING:
    from ..resources import Resources

_FAMILY = {"Battles": "battle", "Explosions/Remote violence": "explosion",
           "Violence against civilians": "violence", "Protests": "protest", "Riots": "riot"}
# a place changing hands is told as a capture, a takeover or a withdrawal: one family
_TERRITORY = {"Government regains territory", "Non-state actor overtakes territory",
              "Non-violent transfer of territory"}
_CIVILIAN_TARGETS = {"Violence against civilians"}
_SAME_PLACE = re.compile(r"\b(?:near|in|at|around|outside) the same (?:city|town|village|area|place|district|region)\b", re.I)


def extract_events(article: Article, resources: "Resources") -> Iterator[Union[Event, Rejected]]:
    """Code every incident the article reports; an article with none yields nothing."""
    sentences = split_sentences(article)
    place_cache: dict[int, Place] = {}
    homes = home_countries(article.text, resources.actors)  # the Taliban's story is Afghan

    def place_of(sentence: Sentence) -> Place:
        if sentence.index not in place_cache:
            place_cache[sentence.index] = resolve_place(article, [(sentence.start, sentence.end)],
                                                        resources.gazetteer, homes)
        return place_cache[sentence.index]

    def place_key(sentence: Sentence) -> Optional[tuple[float, float]]:
        p = place_of(sentence)
        return (p.latitude, p.longitude) if p.latitude is not None and p.geo_precision <= 2 else None

    def probe(text: str) -> SentenceReading:
        signal = incident_signal(text, resources.event_types)
        if signal < resources.settings.signal_threshold:
            return SentenceReading(signal, "unknown", "")
        scores = classify_incident(text, resources.event_types)
        if not scores:  # violent words, but no event the lexicon can name: not an incident report
            return SentenceReading(0.0, "unknown", "")
        top = scores[0]
        family = "territory" if top.sub_event_type in _TERRITORY else _FAMILY.get(top.event_type, "sd:" + top.sub_event_type)
        return SentenceReading(signal, family, top.trigger,
                               top.trigger_start)

    incidents = find_incidents(article, sentences, probe, place_key, resources.cues,
                               resources.settings.signal_threshold)
    events: list[Event] = []
    for incident in incidents:
        event = _code_incident(article, sentences, incident, events[-1] if events else None, resources,
                               place_of, homes)
        if event is not None:
            events.extend(_per_place(article, event, resources, homes))
    yield from _merge_region_duplicates(events)


def _per_place(article: Article, event: Event, resources: "Resources", homes: tuple[str, ...]) -> list[Event]:
    """One event per place when the incident's sentence lists several ("shelled the Sirwah,
    Nihm and Al Jawf fronts"), as ACLED codes them, its figures split evenly among them
    (ACLED: "fatalities split between 3 events")."""
    src = event.sources[0]
    places = listed_places(article, (src.start, src.end), resources.gazetteer, homes)
    if not any((p.latitude, p.longitude) == (event.latitude, event.longitude) for p in places):
        return [event]
    n = len(places)
    shares = {f: _split(getattr(event, f), n) for f in ("fatalities", "injuries", "arrests")}
    out = []
    for i, place in enumerate(places):
        own = (place.latitude, place.longitude) == (event.latitude, event.longitude)
        figures = {f: shares[f][i] for f in shares}
        claims = dict(src.claims, location=place.location, fatalities=figures["fatalities"])
        split = dataclasses.replace(
            event, event_id=event.event_id if own else _event_id(article.id, src.start, f"{event.sub_event_type}|{place.location}"),
            country=place.country or event.country, admin1=place.admin1, admin2=place.admin2,
            admin3=place.admin3, location=place.location, latitude=place.latitude,
            longitude=place.longitude, geo_precision=place.geo_precision,
            sources=[dataclasses.replace(src, claims=claims)], **figures)
        split.notes = write_note(split)
        out.append(split)
    return out


def _split(total: Optional[int], n: int) -> list[Optional[int]]:
    """A figure shared by n events: as even as whole numbers allow, the larger parts first."""
    if total is None:
        return [None] * n
    return [total // n + (1 if i < total % n else 0) for i in range(n)]


def _merge_region_duplicates(events: list[Event]) -> list[Event]:
    """One report telling one incident twice, once by its region ("the gas attack in Idlib")
    and once by its town ("in Khan Shaykhun, Idlib province"), on the same day: one event,
    placed at the town. Two named towns stay two events."""
    kept: list[Event] = []
    for event in events:
        twin = next((k for k in kept if _same_incident_by_region(k, event)), None)
        if twin is None:
            kept.append(event)
            continue
        base, other = (twin, event) if twin.geo_precision <= event.geo_precision and not _region_level(twin) else (event, twin)
        merged = _absorb(base, other)
        kept[kept.index(twin)] = merged
    return kept


def _larger(a: Optional[int], b: Optional[int]) -> Optional[int]:
    return b if a is None else a if b is None else max(a, b)


def _same_incident_by_region(a: Event, b: Event) -> bool:
    if a.sources[0].start == b.sources[0].start:
        return False  # one sentence's list of places, split on purpose
    return (a.event_date is not None and a.event_date == b.event_date and max(a.time_precision, b.time_precision) <= 2
            and a.sub_event_type == b.sub_event_type and a.admin1 is not None and a.admin1 == b.admin1
            and (_region_level(a) or _region_level(b)))


def _region_level(e: Event) -> bool:
    """Placed only at its region: precision 3, or a town named like its governorate ("Idlib")."""
    return e.geo_precision >= 3 or (e.location is not None and e.admin1 is not None
                                    and skeleton_key(e.location) == skeleton_key(e.admin1))


def _absorb(base: Event, other: Event) -> Event:
    """`base` with `other`'s supporting sentences added; each figure the larger of the two, as
    one report's two tellings give its total once and a part or a vague "dozens" elsewhere."""
    src, extra = base.sources[0], other.sources[0]
    spans = sorted({tuple(sp) for sp in src.spans} | {tuple(sp) for sp in extra.spans})
    merged_source = dataclasses.replace(src, spans=[list(sp) for sp in spans])
    return dataclasses.replace(
        base, sources=[merged_source],
        fatalities=_larger(base.fatalities, other.fatalities),
        injuries=_larger(base.injuries, other.injuries),
        arrests=_larger(base.arrests, other.arrests),
        time_precision=min(base.time_precision, other.time_precision),
        confidence=round(min(0.99, max(base.confidence, other.confidence) + 0.05), 3))


def _code_incident(article: Article, sentences: list[Sentence], incident: Incident,
                   previous: Optional[Event], resources: "Resources",
                   place_of: Callable[[Sentence], Place], homes: tuple[str, ...]) -> Optional[Event]:
    text = " ".join(m.sentence.text for m in incident.mentions if m.family != TALLY)
    types = classify_incident(text, resources.event_types)
    if not types:
        return None
    best = types[0]
    primary = _primary(incident)
    spans = [(m.sentence.start, m.sentence.end) for m in [primary] + [m for m in incident.mentions if m is not primary]]
    if len(incident.mentions) == 1:
        place = place_of(primary.sentence)  # already resolved while grouping
    else:
        place = resolve_place(article, spans, resources.gazetteer, homes)
    if previous is not None and _SAME_PLACE.search(primary.sentence.text):
        place = _place_of(previous)  # "near the same city": the place just told
    country = place.country or article_country(article, resources.gazetteer, homes)
    mentions: list[ActorMention] = []
    for m in incident.mentions:
        mentions.extend(find_actors(article.text, m.sentence.start, m.sentence.end, resources.actors, country))
    if len({a.name for a in mentions}) < 2:
        mentions.extend(_context_actors(article, sentences, incident, previous, resources, country))
    roles = assign_roles(article.text, mentions, best.event_type, best.sub_event_type, country)
    fatalities, injuries, arrests = _figures(incident, primary)
    date = incident.date
    event_date = date.date.isoformat() if date and date.date else (
        article.published.isoformat() if article.published else None)
    precision = date.precision if date and date.date else 2
    event = Event(
        event_id=_event_id(article.id, primary.sentence.start, best.sub_event_type),
        doc_id=article.id, event_date=event_date, time_precision=min(precision, 3),
        event_type=best.event_type, sub_event_type=best.sub_event_type,
        actor1=roles.actor1, actor2=roles.actor2, assoc_actor_1=roles.assoc_actor_1,
        assoc_actor_2=roles.assoc_actor_2, inter1=roles.inter1, inter2=roles.inter2,
        interaction=roles.interaction,
        civilian_targeting=best.event_type in _CIVILIAN_TARGETS or (roles.inter2 == 7 and best.event_type != "Protests"),
        country=country, admin1=place.admin1, admin2=place.admin2, admin3=place.admin3,
        location=place.location, latitude=place.latitude, longitude=place.longitude,
        geo_precision=place.geo_precision, fatalities=fatalities, injuries=injuries, arrests=arrests,
        notes="", sources=[_source(article, primary, spans, fatalities, roles, place, event_date)],
        confidence=_confidence(best.score, incident, place, roles),
        weapon=best.sub_event_type if best.event_type == "Explosions/Remote violence" else None,
    )
    event.notes = write_note(event)
    return event


def _context_actors(article: Article, sentences: list[Sentence], incident: Incident,
                    previous: Optional[Event], resources: "Resources", country: Optional[str]) -> list[ActorMention]:
    """Actors the narrative just named, for an incident whose own sentences name one side only:
    "The coalition announced ... Abd al-Ghafur was killed in an airstrike on July 24." """
    first = min(m.sentence.index for m in incident.mentions)
    if first == 0:
        return []
    before = sentences[first - 1]
    found = find_actors(article.text, before.start, before.end, resources.actors, country)
    if found or previous is None:
        # named groups before generic anaphors ("the militia"), which may point anywhere
        named = sorted(found, key=lambda a: (a.actor_id or "").endswith("_anaphor"))
        return [a for a in named if a.inter != 7]
    # the sentence before told the previous incident: carry its sides on
    return [ActorMention(name, inter, before.start, before.start, "", None)
            for name, inter in ((previous.actor1, previous.inter1), (previous.actor2, previous.inter2))
            if name and inter and inter != 7]


def _place_of(event: Event) -> Place:
    return Place(location=event.location, country=event.country, admin1=event.admin1, admin2=event.admin2,
                 admin3=event.admin3, latitude=event.latitude, longitude=event.longitude,
                 geo_precision=event.geo_precision)


def _primary(incident: Incident):
    """The mention that defines the incident: its dated one, else the one with figures, else the first."""
    for m in incident.mentions:
        if m.date is not None:
            return m
    for m in incident.mentions:
        if m.counts.fatalities is not None or m.counts.arrests is not None:
            return m
    return incident.mentions[0]


def _figures(incident: Incident, primary: Mention) -> tuple[Optional[int], Optional[int], Optional[int]]:
    """Deaths, injuries and arrests of one report: the defining sentence's figure, else the
    largest any sentence gives. Other sentences of the same report mostly give parts of the
    toll ("also killed a senior member"), so the smallest would undercount; ACLED's "most
    conservative figure" choice is made across reports, when the store links them."""
    def pick(values: list[Optional[int]], own: Optional[int]) -> Optional[int]:
        if own is not None:
            return own
        known = [v for v in values if v is not None]
        return max(known) if known else None
    tallies = [m.counts.fatalities for m in incident.mentions if m.family == TALLY]
    fatalities = tallies[-1] if tallies else pick([m.counts.fatalities for m in incident.mentions],
                                                  primary.counts.fatalities)
    injuries = pick([m.counts.injuries for m in incident.mentions], primary.counts.injuries)
    arrests = pick([m.counts.arrests for m in incident.mentions], primary.counts.arrests)
    return (fatalities if fatalities is not None else 0), injuries, arrests


def _source(article: Article, primary, spans: list[tuple[int, int]], fatalities: Optional[int],
            roles: Roles, place: Place, event_date: Optional[str]) -> Source:
    s = primary.sentence
    claims = {"fatalities": fatalities, "actor1": roles.actor1, "actor2": roles.actor2,
              "location": place.location, "event_date": event_date}
    return Source(doc_id=article.id, outlet=article.outlet,
                  published=article.published.isoformat() if article.published else None,
                  url=article.url, quote=s.text, start=s.start, end=s.end,
                  spans=[list(sp) for sp in sorted(spans)], claims=claims)


def _confidence(type_score: float, incident: Incident, place: Place, roles: Roles) -> float:
    score = 0.45 * type_score + 0.25
    score += 0.1 if incident.date is not None else 0.0
    score += 0.1 if place.geo_precision <= 2 and place.latitude is not None else 0.0
    score += 0.05 if roles.actor1 and not roles.actor1.startswith("Unidentified") else 0.0
    score += min(0.05 * (len(incident.mentions) - 1), 0.1)
    return round(max(0.05, min(score, 0.99)), 3)


def _event_id(doc_id: str, start: int, sub_event_type: str) -> str:
    digest = hashlib.sha1(f"{doc_id}|{start}|{sub_event_type}".encode("utf-8")).hexdigest()
    return f"ew-{digest[:16]}"
