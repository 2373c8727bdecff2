"""Typed records that flow between pipeline stages.

Every stage takes and returns these; no stage passes bare dicts to another.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, asdict
from typing import Optional


@dataclass(frozen=True, slots=True)
class RawDocument:
    """One input document as read from disk or a JSONL line, before cleaning."""

    id: str
    text: Optional[str] = None  # raw plain text (a scrape) ...
    html: Optional[str] = None  # ... or raw markup of a saved page
    title: Optional[str] = None
    published: Optional[str] = None  # ISO date string as given by the caller
    outlet: Optional[str] = None
    url: Optional[str] = None
    origin: Optional[str] = None  # file path or "file.jsonl:line" for error messages
    encoding: Optional[str] = None  # the encoding the bytes were read in (a Python codec name)


@dataclass(frozen=True, slots=True)
class Article:
    """A cleaned article: body text alone plus page metadata (the `read` record)."""

    id: str
    text: str
    title: Optional[str] = None
    published: Optional[dt.date] = None
    outlet: Optional[str] = None
    url: Optional[str] = None
    byline: Optional[str] = None
    dateline: Optional[str] = None
    language: Optional[str] = "en"
    encoding: Optional[str] = None  # the encoding the input was read in

    def to_record(self, with_encoding: bool = False) -> dict:
        """The `eventwire read` output line: exactly EVENTS.md's read record, which lists no
        encoding; `with_encoding` adds the encoding the input was read in (`read --with-encoding`)."""
        rec = {
            "id": self.id, "title": self.title, "text": self.text,
            "published": self.published.isoformat() if self.published else None,
            "outlet": self.outlet, "url": self.url, "byline": self.byline,
            "dateline": self.dateline, "language": self.language,
        }
        return rec | {"encoding": self.encoding} if with_encoding else rec


@dataclass(frozen=True, slots=True)
class Rejected:
    """A document or item a stage could not process, with a stable reason code."""

    item_id: str
    stage: str
    code: str
    detail: str
    fatal: bool = True  # False: the document was read but holds nothing (an empty text)

    def message(self) -> str:
        """One-line error for standard error."""
        level = "" if self.fatal else "warning: "
        line = f"eventwire: {level}{self.item_id}: {self.stage}: {self.code}: {self.detail}"
        # one line, whatever a file name or an exception's text holds
        return "".join(ch if ch >= " " and ch != "\x7f" else ascii(ch)[1:-1] for ch in line)


@dataclass(frozen=True, slots=True)
class Place:
    """A resolved location, with ACLED's admin names and precision code."""

    location: Optional[str]
    country: Optional[str]
    admin1: Optional[str] = None
    admin2: Optional[str] = None
    admin3: Optional[str] = None
    latitude: Optional[float] = None
    longitude: Optional[float] = None
    geo_precision: int = 3
    gazetteer_id: Optional[str] = None  # the gazetteer entry the place came from
    surface: Optional[str] = None  # the words in the text that named it


@dataclass(frozen=True, slots=True)
class ActorMention:
    """An actor named in the text, resolved to its ACLED-style name."""

    name: str  # e.g. "Islamic State (Syria)"
    inter: int  # ACLED actor-type code 1..8
    start: int  # character offsets of the surface form in the article text
    end: int
    surface: str
    actor_id: Optional[str] = None


@dataclass(slots=True)
class Source:
    """One report supporting an event: where it was said and the quoting sentence(s)."""

    doc_id: str
    outlet: Optional[str]
    published: Optional[str]
    url: Optional[str]
    quote: str
    start: int
    end: int
    spans: list = field(default_factory=list)  # [start, end] of every supporting sentence
    claims: dict = field(default_factory=dict)  # this report's own figures (fatalities, actors...)


@dataclass(slots=True)
class Event:
    """One coded incident in the EVENTS.md record shape."""

    event_id: str
    doc_id: str
    event_date: Optional[str]
    time_precision: int
    event_type: str
    sub_event_type: str
    actor1: Optional[str]
    actor2: Optional[str]
    assoc_actor_1: Optional[str]
    assoc_actor_2: Optional[str]
    inter1: Optional[int]
    inter2: Optional[int]
    interaction: Optional[int]
    civilian_targeting: bool
    country: Optional[str]
    admin1: Optional[str]
    admin2: Optional[str]
    admin3: Optional[str]
    location: Optional[str]
    latitude: Optional[float]
    longitude: Optional[float]
    geo_precision: int
    fatalities: Optional[int]
    injuries: Optional[int]
    arrests: Optional[int]
    notes: str
    sources: list[Source]
    confidence: float
    weapon: Optional[str] = None
    tags: list[str] = field(default_factory=list)
    # how each resolved value was chosen from the reports: field -> {"value", "reason", "reports"}
    choices: dict = field(default_factory=dict)

    def to_record(self) -> dict:
        """The EVENTS.md JSON object."""
        return asdict(self)

    @classmethod
    def from_record(cls, rec: dict) -> "Event":
        """Rebuild an event from its EVENTS.md JSON object (extra keys ignored)."""
        names = set(cls.__dataclass_fields__)
        data = {k: v for k, v in rec.items() if k in names}
        data["sources"] = [Source(**s) for s in rec.get("sources") or []]
        return cls(**data)
