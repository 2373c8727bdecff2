"""The extract components: each takes the Doc, adds its part, and hands it on.

Every component gets what it needs (lexicons, gazetteer, settings) when it is built, from
resources.py; none loads a file. pipeline.py lists them in order. The coding components run
over the incidents in text order, since an incident may take its place ("near the same city")
or its sides from the one told before it.
"""
from __future__ import annotations

import bisect
import dataclasses
import hashlib
import itertools
import re
from typing import Optional

from .config import Settings
from .doc import Coding, Doc, Readings
from .gazetteer import Gazetteer, skeleton_key
from .records import ActorMention, Event, Place, Source
from .stages.actors import ActorLexicon, find_actors, home_countries
from .stages.annotate import Sentence, split_sentences
from .stages.classify import classify_incident, incident_signal
from .stages.counts import CountReader, settle_deaths
from .stages.dates import DateReader
from .stages.event_lexicon import EventLexicon
from .stages.incidents import (LEAD_SENTENCES, TALLY, Incident, IncidentCues, Mention, SentenceFacts, SentenceReading,
                               find_incidents, toll_statement, untold_toll)
from .stages.notes import NoteWords, write_note
from .stages.places import article_country, listed_places, place_drops, resolve_place
from .stages.roles import assign_roles

_FAMILY = {"Battles": "battle", "Explosions/Remote violence": "explosion",
           "Violence against civilians": "violence", "Protests": "protest", "Riots": "riot"}
# a place changing hands is told as a capture, a takeover or a withdrawal: one family
_TERRITORY = {"Government regains territory", "Non-state actor overtakes territory",
              "Non-violent transfer of territory"}
_CIVILIAN_TARGETS = {"Violence against civilians"}
_ARMED = {1, 2, 3, 4, 8}  # ACLED inter codes of armed sides: state, rebel, political and identity militias, external
_SAME_PLACE = re.compile(r"\b(?:near|in|at|around|outside) the same (?:city|town|village|area|place|district|region)\b", re.I)


class Sentences:
    """Sentences with exact character offsets (stages/annotate.py)."""

    name = "sentences"

    def __init__(self, abbreviations: frozenset[str]):
        self.abbreviations = abbreviations

    def __call__(self, doc: Doc) -> Doc:
        doc.sentences = split_sentences(doc.article, self.abbreviations)
        return doc


class ActorHomes:
    """The countries of the local armed groups the article names: the Taliban's story is Afghan."""

    name = "actor-homes"

    def __init__(self, actors: ActorLexicon):
        self.actors = actors

    def __call__(self, doc: Doc) -> Doc:
        doc.homes = home_countries(doc.article.text, self.actors)
        return doc


class CountSentences:
    """The deaths, injuries, arrests and claims each sentence tells (stages/counts.py), kept on
    the Doc by text for the segmentation after it (read when first asked for)."""

    name = "sentence-counts"

    def __init__(self, counts: CountReader):
        self.counts = counts

    def __call__(self, doc: Doc) -> Doc:
        doc.figures = Readings(self.counts.count_figures)
        doc.claims = Readings(lambda text: tuple(self.counts.claims_in(text)))
        doc.tallies = Readings(self.counts.tally)
        return doc


class DateSentences:
    """The report's day, its dateline's ("QAMISHLI, May 3 (North Press) –": the day it was
    written, which "yesterday" and "on Sunday" count from) else its publication's, and the date
    expressions each sentence gives against it (stages/dates.py), kept on the Doc."""

    name = "sentence-dates"

    def __init__(self, dates: DateReader):
        self.dates = dates

    def __call__(self, doc: Doc) -> Doc:
        published = doc.article.published
        dateline = self.dates.dateline_day(doc.article.text, published)
        doc.day = published if dateline is None else dateline
        doc.dates = Readings(lambda key: self.dates.find_dates(key[0], doc.day, key[1]))
        return doc


class Toponyms:
    """The place a sentence names, resolved once per sentence and kept on the Doc."""

    def __init__(self, gazetteer: Gazetteer):
        self.gazetteer = gazetteer

    def of(self, doc: Doc, sentence: Sentence) -> Place:
        if sentence.index not in doc.toponyms:
            doc.toponyms[sentence.index] = resolve_place(doc.article, [(sentence.start, sentence.end)],
                                                         self.gazetteer, doc.homes)
        return doc.toponyms[sentence.index]

    def key(self, doc: Doc, sentence: Sentence) -> Optional[tuple[float, float]]:
        """Coordinates precise enough to tell two incidents apart, else None."""
        p = self.of(doc, sentence)
        return (p.latitude, p.longitude) if p.latitude is not None and p.geo_precision <= 2 else None


class FindIncidents:
    """Incident sentences grouped per incident (stages/incidents.py), each read by the event
    lexicon, with the figures, claims and dates the counts and dates components keep on the Doc."""

    name = "incidents"

    def __init__(self, event_types: EventLexicon, cues: IncidentCues, settings: Settings, toponyms: Toponyms,
                 actors: Optional[ActorLexicon] = None):
        self.event_types, self.cues, self.toponyms, self.actors = event_types, cues, toponyms, actors
        self.threshold = settings.signal_threshold

    def sides(self, doc: Doc, sentence: Sentence) -> frozenset:
        """The armed actors the sentence names (stages/actors.py), by their ACLED names: states,
        rebels, militias and foreign forces, not civilians, crowds or an unidentified group."""
        if self.actors is None:
            return frozenset()
        country = self.toponyms.of(doc, sentence).country or (doc.homes[0] if doc.homes else None)
        found = find_actors(doc.article.text, sentence.start, sentence.end, self.actors, country)
        return frozenset(a.name for a in found if a.inter in _ARMED and not a.name.startswith("Unidentified"))

    def read_sentence(self, text: str, unnamed: Optional[dict[str, tuple[str, str]]] = None) -> SentenceReading:
        """The sentence's incident signal and event family; `unnamed` hears why a sentence
        with violent words names no event (text -> (code, detail))."""
        signal = incident_signal(text, self.event_types)
        if signal < self.threshold:
            return SentenceReading(signal, "unknown", "")
        scores = classify_incident(text, self.event_types,
                                   None if unnamed is None else lambda code, detail: unnamed.__setitem__(text, (code, detail)))
        if not scores:  # violent words, but no event the lexicon can name: not an incident report
            return SentenceReading(0.0, "unknown", "")
        top = scores[0]
        family = "territory" if top.sub_event_type in _TERRITORY else _FAMILY.get(top.event_type, "sd:" + top.sub_event_type)
        return SentenceReading(signal, family, top.trigger, top.trigger_start)

    def __call__(self, doc: Doc) -> Doc:
        unnamed: dict[str, tuple[str, str]] = {}
        sides: dict[tuple[int, int], frozenset] = {}  # a sentence's span -> its armed actors, read once
        facts = SentenceFacts(doc.figures.__getitem__, doc.claims.__getitem__, doc.tallies.__getitem__,
                              lambda text, offset: doc.dates[(text, offset)], doc.day)
        doc.incidents = find_incidents(doc.article, doc.sentences, lambda text: self.read_sentence(text, unnamed),
                                       lambda s: self.toponyms.key(doc, s), self.cues, facts, self.threshold,
                                       lambda span, code, detail, reason: doc.drop(span, self.name, code, detail, reason),
                                       lambda s: sides[(s.start, s.end)] if (s.start, s.end) in sides else
                                       sides.setdefault((s.start, s.end), self.sides(doc, s)))
        self._tell_unnamed(doc, unnamed)
        for incident in doc.incidents:
            primary = _primary(incident)
            spans = [(m.sentence.start, m.sentence.end)
                     for m in [primary] + [m for m in incident.mentions if m is not primary]]
            doc.codings.append(Coding(incident, primary, spans))
        return doc


    @staticmethod
    def _tell_unnamed(doc: Doc, unnamed: dict[str, tuple[str, str]]) -> None:
        """A sentence with violent words that the event lexicon reads as no event, and that no
        incident took in, is dropped with the lexicon's reason (stage "types"), beside the
        grouping's plain "no-event-signal"."""
        told = {m.sentence.index for incident in doc.incidents for m in incident.mentions}
        # the spans dropped for a reason of their own, by start, with the furthest end so far:
        # a sentence overlaps one when one starting before its end ends after its start (a scan
        # of every drop for every sentence made long texts quadratic)
        spans = sorted(d.span for d in doc.dropped if d.code not in ("no-event-signal", "earlier-incident"))
        starts = [a for a, _ in spans]
        reach = list(itertools.accumulate((b for _, b in spans), max))
        for s in doc.sentences:
            before = bisect.bisect_left(starts, s.end)
            if s.index in told or (before and reach[before - 1] > s.start):
                continue
            why = next((w for text, w in unnamed.items() if text and text in s.text), None)
            if why is not None:
                doc.drop((s.start, s.end), TypeIncidents.name, *why, reason="background")


class TypeIncidents:
    """ACLED event and sub-event type of each incident from its sentences (stages/classify.py)."""

    name = "types"

    def __init__(self, event_types: EventLexicon):
        self.event_types = event_types

    def __call__(self, doc: Doc) -> Doc:
        kept = []
        for coding in doc.codings:
            text = " ".join(m.sentence.text for m in coding.incident.mentions if m.family != TALLY)
            why: list[tuple[str, str]] = []
            coding.types = classify_incident(text, self.event_types, lambda code, detail: why.append((code, detail)))
            if coding.types:
                kept.append(coding)
            else:
                for span in coding.spans:
                    doc.drop(span, self.name, *why[0], reason="background")
        doc.codings = kept
        return doc


class PlaceIncidents:
    """Each incident's place (stages/places.py), and the places its sentence lists, one event each."""

    name = "places"

    def __init__(self, gazetteer: Gazetteer, toponyms: Toponyms):
        self.gazetteer, self.toponyms = gazetteer, toponyms

    def __call__(self, doc: Doc) -> Doc:
        article, homes = doc.article, doc.homes
        told: Optional[Place] = None  # the place the incident before was last placed at
        for coding in doc.codings:
            primary = coding.primary.sentence
            if len(coding.incident.mentions) == 1:
                place = self.toponyms.of(doc, primary)  # already resolved while grouping
            else:
                place = resolve_place(article, coding.spans, self.gazetteer, homes)
            if told is not None and _SAME_PLACE.search(primary.text):
                place = told  # "near the same city": the place just told
            coding.place = place
            coding.country = place.country or article_country(article, self.gazetteer, homes)
            listed = listed_places(article, (primary.start, primary.end), self.gazetteer, homes)
            own = any((p.latitude, p.longitude) == (place.latitude, place.longitude) for p in listed)
            coding.places = listed if own else [place]
            last = coding.places[-1]
            told = dataclasses.replace(last, country=last.country or coding.country, gazetteer_id=None, surface=None)
        for span, code, detail in place_drops(article, self.gazetteer, homes):  # the toponyms set aside, and why
            doc.drop(span, self.name, code, detail)
        return doc


class ActorsAndRoles:
    """ACLED-style actors of each incident (stages/actors.py) ordered into its sides (stages/roles.py)."""

    name = "actors"

    def __init__(self, actors: ActorLexicon):
        self.actors = actors

    def __call__(self, doc: Doc) -> Doc:
        text = doc.article.text
        previous: Optional[Coding] = None
        drop = lambda span, code, detail: doc.drop(span, self.name, code, detail)  # noqa: E731
        for coding in doc.codings:
            found: list[ActorMention] = []
            for m in coding.incident.mentions:
                found.extend(find_actors(text, m.sentence.start, m.sentence.end, self.actors, coding.country, drop))
            if len({a.name for a in found}) < 2:
                found.extend(self._context_actors(doc, coding, previous))
            if not found:
                for span in coding.spans:
                    drop(span, "no-actor", "neither its sentences nor the one before name an actor the dictionary "
                         "knows: the sides are ACLED's defaults for its type")
            coding.actors = found
            coding.roles = assign_roles(text, found, coding.best.event_type, coding.best.sub_event_type, coding.country,
                                        self.actors.role_words)
            previous = coding
        return doc

    def _context_actors(self, doc: Doc, coding: Coding, previous: Optional[Coding]) -> list[ActorMention]:
        """Actors the narrative just named, for an incident whose own sentences name one side only:
        "The coalition announced ... Abd al-Ghafur was killed in an airstrike on July 24." """
        first = min(m.sentence.index for m in coding.incident.mentions)
        if first == 0:
            return []
        before = doc.sentences[first - 1]
        found = find_actors(doc.article.text, before.start, before.end, self.actors, coding.country)
        if found or previous is None:
            # named groups before generic anaphors ("the militia"), which may point anywhere
            named = sorted(found, key=lambda a: (a.actor_id or "").endswith("_anaphor"))
            return [a for a in named if a.inter != 7]
        # the sentence before told the previous incident: carry its sides on
        r = previous.roles
        return [ActorMention(name, inter, before.start, before.start, "", None)
                for name, inter in ((r.actor1, r.inter1), (r.actor2, r.inter2))
                if name and inter and inter != 7]


class CountIncidents:
    """Deaths, injuries and arrests of each incident from the figures its sentences give
    (stages/counts.py, read per sentence while grouping)."""

    name = "counts"

    def __init__(self, event_types: EventLexicon):
        self.vague_deaths = event_types.vague_deaths

    def __call__(self, doc: Doc) -> Doc:
        for coding in doc.codings:
            (coding.fatalities, why), coding.injuries, coding.arrests = _figures(coding.incident, coding.primary)
            figures = [m.counts for m in coding.incident.mentions if m.counts.fatalities is not None]
            if figures and all(c.vague for c in figures) and coding.best.event_type in self.vague_deaths:
                # deaths told only without a number: ACLED's default for this kind of event
                coding.fatalities = self.vague_deaths[coding.best.event_type]
                why = "deaths told without a number: the codebook's figure for this kind of event"
            told = sorted(coding.incident.mentions, key=lambda m: m.sentence.start)
            coding.claims = [c for m in told for c in m.claims]  # in text order: what follows a denial
            settled, denial = settle_deaths(coding.claims, coding.fatalities)
            coding.fatalities = settled if settled is not None else 0
            coding.fatalities_reason = denial or why
        return doc


class GuardTolls:
    """The fatality guard: a death toll above the configured ceiling ([incidents] toll_ceiling)
    stands only when a sentence of the incident states it as the incident's own act, dated
    (stages/incidents.toll_statement). Otherwise the toll is held back for review: the event
    keeps the largest figure of its sentences at or below the ceiling (else 0), is tagged
    review:fatalities, and its source records the held toll with the reason. An incident
    told only past the lead with no other figure is background (a war timeline, a recalled
    massacre): it is dropped as a recalled incident, never dated to the report's day."""

    name = "toll-guard"

    def __init__(self, settings: Settings, cues: IncidentCues):
        self.ceiling, self.cues = settings.toll_ceiling, cues

    def __call__(self, doc: Doc) -> Doc:
        recalled: list[Coding] = []
        for coding in doc.codings:
            toll = coding.fatalities
            if toll is None or toll <= self.ceiling or toll_statement(coding.incident, toll, self.cues) is not None:
                continue
            stating = [m for m in coding.incident.mentions if m.counts.fatalities == toll]
            wording = next((w for w in (untold_toll(m.sentence.text, self.cues) for m in stating) if w), None)
            reason = (f"{toll} deaths, above the toll ceiling of {self.ceiling}, "
                      + (f"given as {'an ' if wording[0] in 'aeiou' else 'a '}{wording}, not as the incident's act"
                         if wording else "stated by no headline, lead or dated sentence of the incident"))
            within = [m.counts.fatalities for m in coding.incident.mentions
                      if m.counts.fatalities is not None and m.counts.fatalities <= self.ceiling]
            if not within and all(m.sentence.index >= LEAD_SENTENCES for m in coding.incident.mentions):
                recalled.append(coding)  # nothing else to tell, past the lead: background
                continue
            coding.fatalities = max(within, default=0)
            coding.fatalities_reason = f"{coding.fatalities}: {reason}"
            coding.review["fatalities"] = {"held": toll, "reason": reason}
            for m in stating:
                doc.drop((m.sentence.start, m.sentence.end), self.name, "toll-held", reason)
        for coding in recalled:
            doc.codings.remove(coding)
            for span in coding.spans:
                doc.drop(span, self.name, "recalled-incident", "an incident told past the lead only by a toll above "
                         f"the ceiling of {self.ceiling} that no sentence states as its act: background to the news",
                         "recalled-incident")
        return doc


class DateIncidents:
    """Event date and ACLED time precision: the incident's own date, else the publication day."""

    name = "dates"

    def __call__(self, doc: Doc) -> Doc:
        published = doc.article.published
        for coding in doc.codings:
            date = coding.incident.date
            if date and date.date:
                coding.event_date, coding.time_precision = date.date.isoformat(), min(date.precision, 3)
            else:
                coding.event_date, coding.time_precision = (published.isoformat() if published else None), 2
        return doc


class BuildEvents:
    """Each coded incident as an Event with its quoting sentence, claims and confidence."""

    name = "events"

    def __call__(self, doc: Doc) -> Doc:
        article = doc.article
        for coding in doc.codings:
            best, place, roles = coding.best, coding.place, coding.roles
            event = Event(
                event_id=_event_id(article.id, coding.primary.sentence.start, best.sub_event_type),
                doc_id=article.id, event_date=coding.event_date, time_precision=coding.time_precision,
                event_type=best.event_type, sub_event_type=best.sub_event_type,
                actor1=roles.actor1, actor2=roles.actor2, assoc_actor_1=roles.assoc_actor_1,
                assoc_actor_2=roles.assoc_actor_2, inter1=roles.inter1, inter2=roles.inter2,
                interaction=roles.interaction,
                civilian_targeting=best.event_type in _CIVILIAN_TARGETS or (roles.inter2 == 7 and best.event_type != "Protests"),
                country=coding.country, admin1=place.admin1, admin2=place.admin2, admin3=place.admin3,
                location=place.location, latitude=place.latitude, longitude=place.longitude,
                geo_precision=place.geo_precision, fatalities=coding.fatalities, injuries=coding.injuries,
                arrests=coding.arrests, notes="", sources=[_source(doc, coding)],
                confidence=_confidence(best.score, coding.incident, place, roles),
                weapon=best.sub_event_type if best.event_type == "Explosions/Remote violence" else None,
                tags=[f"review:{name}" for name in coding.review],
            )
            coding.events = [event]
        return doc


class SplitPerPlace:
    """One event per place when the incident's sentence lists several ("shelled the Sirwah,
    Nihm and Al Jawf fronts"), as ACLED codes them, its figures split evenly among them
    (ACLED: "fatalities split between 3 events")."""

    name = "split-places"

    def __call__(self, doc: Doc) -> Doc:
        for coding in doc.codings:
            if len(coding.places) > 1 or coding.places[0] is not coding.place:
                coding.events = self._split(doc, coding.events[0], coding.places)
        return doc

    @staticmethod
    def _split(doc: Doc, event: Event, places: list[Place]) -> list[Event]:
        src = event.sources[0]
        n = len(places)
        shares = {f: _split(getattr(event, f), n) for f in ("fatalities", "injuries", "arrests")}
        out = []
        for i, place in enumerate(places):
            own = (place.latitude, place.longitude) == (event.latitude, event.longitude)
            figures = {f: shares[f][i] for f in shares}
            claims = dict(src.claims, location=place.location, fatalities=figures["fatalities"])
            event_id = event.event_id if own else _event_id(doc.article.id, src.start,
                                                              f"{event.sub_event_type}|{place.location}")
            out.append(dataclasses.replace(
                event, event_id=event_id, country=place.country or event.country, admin1=place.admin1,
                admin2=place.admin2, admin3=place.admin3, location=place.location, latitude=place.latitude,
                longitude=place.longitude, geo_precision=place.geo_precision,
                sources=[dataclasses.replace(src, claims=claims)], **figures))
        return out


class WriteNotes:
    """An ACLED-style note for every event (stages/notes.py)."""

    name = "notes"

    def __init__(self, words: NoteWords):
        self.words = words

    def __call__(self, doc: Doc) -> Doc:
        # after every component that sets a field, so the note can never disagree with one
        for event in doc.events:
            event.notes = write_note(event, self.words)
        return doc


class MergeRegionDuplicates:
    """One report telling one incident twice, once by its region ("the gas attack in Idlib")
    and once by its town ("in Khan Shaykhun, Idlib province"), on the same day: one event,
    placed at the town. Two named towns stay two events."""

    name = "merge-regions"

    def __call__(self, doc: Doc) -> Doc:
        kept: list[Event] = []
        for event in (e for coding in doc.codings for e in coding.events):
            twin = next((k for k in kept if _same_incident_by_region(k, event)), None)
            if twin is None:
                kept.append(event)
                continue
            base, other = (twin, event) if twin.geo_precision <= event.geo_precision and not _region_level(twin) \
                else (event, twin)
            kept[kept.index(twin)] = _absorb(base, other)
            doc.drop((other.sources[0].start, other.sources[0].end), self.name, "region-duplicate",
                     f"the same {event.sub_event_type} on {event.event_date} in {event.admin1}, told once by its "
                     f"region: merged into the event at {base.location}")
        doc.events = kept
        return doc


def _split(total: Optional[int], n: int) -> list[Optional[int]]:
    """A figure shared by n events: as even as whole numbers allow, the larger parts first."""
    if total is None:
        return [None] * n
    return [total // n + (1 if i < total % n else 0) for i in range(n)]


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


def _primary(incident: Incident) -> Mention:
    """The mention that defines the incident: its dated one, else the one with figures, else the first."""
    for m in incident.mentions:
        if m.date is not None:
            return m
    for m in incident.mentions:
        if m.counts.fatalities is not None or m.counts.arrests is not None:
            return m
    return incident.mentions[0]


def _figures(incident: Incident, primary: Mention) -> tuple[tuple[Optional[int], str], Optional[int], Optional[int]]:
    """Deaths, injuries and arrests of one report: the defining sentence's figure, else the
    largest any sentence gives. Other sentences of the same report mostly give parts of the
    toll ("also killed a senior member"), so the smallest would undercount; ACLED's "most
    conservative figure" choice is made across reports, when the store links them."""
    def pick(values: list[Optional[int]], own: Optional[int]) -> Optional[int]:
        if own is not None:
            return own
        known = [v for v in values if v is not None]
        return max(known) if known else None
    tallies = [m.counts.fatalities for m in incident.mentions if m.family == TALLY and m.counts.fatalities is not None]
    # a toll told without a number ("killing many") is ACLED's default, which a figure any
    # sentence of the report gives ("Army kills 30 terrorists") replaces
    counted = [m.counts.fatalities for m in incident.mentions if m.counts.fatalities is not None and not m.counts.vague]
    own = None if primary.counts.vague and counted else primary.counts.fatalities
    fatalities = tallies[-1] if tallies else pick(counted if own is None and counted else
                                                  [m.counts.fatalities for m in incident.mentions], own)
    why = ("the toll the report closes with" if tallies else "the defining sentence's figure"
           if own is not None else "the largest figure of the report's sentences"
           if fatalities is not None else "no sentence gives a toll: 0")
    injuries = pick([m.counts.injuries for m in incident.mentions], primary.counts.injuries)
    arrests = pick([m.counts.arrests for m in incident.mentions], primary.counts.arrests)
    return ((fatalities if fatalities is not None else 0), why), injuries, arrests


def _source(doc: Doc, coding: Coding) -> Source:
    article, s, roles = doc.article, coding.primary.sentence, coding.roles
    claims = {"fatalities": coding.fatalities, "actor1": roles.actor1, "actor2": roles.actor2,
              "location": coding.place.location, "event_date": coding.event_date}
    claims["fatalities_reason"] = coding.fatalities_reason
    claims["statements"] = [c.to_record() for c in coding.claims]
    if coding.review:
        claims["review"] = coding.review
    return Source(doc_id=article.id, outlet=article.outlet,
                  published=article.published.isoformat() if article.published else None,
                  url=article.url, quote=s.text, start=s.start, end=s.end,
                  spans=[list(sp) for sp in sorted(coding.spans)], claims=claims)


def _confidence(type_score: float, incident: Incident, place: Place, roles) -> float:
    score = 0.45 * type_score + 0.25
    score += 0.1 if incident.date is not None else 0.0
    score += 0.1 if place.geo_precision <= 2 and place.latitude is not None else 0.0
    score += 0.05 if roles.actor1 and not roles.actor1.startswith("Unidentified") else 0.0
    score += min(0.05 * (len(incident.mentions) - 1), 0.1)
    return round(max(0.05, min(score, 0.99)), 3)


def _event_id(doc_id: str, start: int, sub_event_type: str) -> str:
    digest = hashlib.sha1(f"{doc_id}|{start}|{sub_event_type}".encode("utf-8")).hexdigest()
    return f"ew-{digest[:16]}"
