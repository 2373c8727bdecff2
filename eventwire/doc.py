"""The document that flows through the extract components (pipeline.py), and what they add to it.

Each component reads what earlier ones added and adds its own part; none reaches into
another's internals. A component that rejects a span records why, as a `Dropped`.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Callable, Optional

from .records import ActorMention, Article, Event, Place
from .stages.annotate import Sentence
from .stages.classify import TypeScore
from .stages.counts import Claim, Counts
from .stages.dates import DateMention
from .stages.incidents import Incident, Mention
from .stages.roles import Roles


# Why a sentence is left out of every incident (issue 12's segmentation model): it is background
# to the news, an aggregate over many incidents or a period, a threat or plan, part of another
# incident than the one it is told with, or an earlier incident recalled for context.
LEFT_OUT = ("background", "aggregate", "threat-or-plan", "other-incident", "recalled-incident")


@dataclass(frozen=True, slots=True)
class Dropped:
    """A span a component set aside, with a stable code and the words that explain it."""

    span: tuple[int, int]  # character offsets in the article text
    stage: str  # the component that dropped it
    code: str  # stable reason code ("no-event-type", "aggregate", ...)
    detail: str  # one line for an analyst
    reason: str = ""  # a sentence left out of every incident: one of LEFT_OUT; "" for a part of an event set aside


@dataclass
class Coding:
    """One incident as the coding components fill it in, field by field, before it is an Event."""

    incident: Incident
    primary: Mention  # the mention that defines the incident
    spans: list[tuple[int, int]]  # its sentences, the primary one first
    types: list[TypeScore] = field(default_factory=list)
    place: Optional[Place] = None
    places: list[Place] = field(default_factory=list)  # one event per place ([place] unless a list)
    country: Optional[str] = None
    actors: list[ActorMention] = field(default_factory=list)
    roles: Optional[Roles] = None
    fatalities: Optional[int] = None
    injuries: Optional[int] = None
    arrests: Optional[int] = None
    event_date: Optional[str] = None
    time_precision: int = 2
    fatalities_reason: Optional[str] = None  # how the report's toll was chosen from its sentences
    claims: list = field(default_factory=list)  # counts.Claim: each toll told, with its speaker and stance
    review: dict = field(default_factory=dict)  # field -> the value held back and why ("fatalities")
    events: list[Event] = field(default_factory=list)

    @property
    def best(self) -> TypeScore:
        return self.types[0]


class Readings(dict):
    """A component's readings of texts, each made once, when first asked for: the components
    after it read only the sentences they look at, and never one twice."""

    def __init__(self, read: Callable):
        super().__init__()
        self.read = read

    def __missing__(self, key):
        value = self[key] = self.read(key)
        return value


@dataclass
class Doc:
    """One article on its way through the components."""

    article: Article
    sentences: list[Sentence] = field(default_factory=list)
    homes: tuple[str, ...] = ()  # countries of the local armed groups it names
    toponyms: dict[int, Place] = field(default_factory=dict)  # sentence index -> its place, as resolved
    figures: dict[str, Counts] = field(default_factory=dict)  # text -> its figures (sentence-counts)
    claims: dict[str, tuple[Claim, ...]] = field(default_factory=dict)  # text -> the tolls it tells, with speakers
    tallies: dict[str, Optional[int]] = field(default_factory=dict)  # text -> the toll it only states
    day: Optional[dt.date] = None  # the report's day: its dateline's, else its publication's (sentence-dates)
    dates: dict[tuple[str, int], list[DateMention]] = field(default_factory=dict)  # (text, offset) -> its dates
    incidents: list[Incident] = field(default_factory=list)
    codings: list[Coding] = field(default_factory=list)  # the incidents being coded, in order
    events: list[Event] = field(default_factory=list)
    dropped: list[Dropped] = field(default_factory=list)

    def drop(self, span: tuple[int, int], stage: str, code: str, detail: str, reason: str = "") -> None:
        self.dropped.append(Dropped(span, stage, code, detail, reason))
