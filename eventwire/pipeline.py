"""The ordered components and the loop over them; nothing else.

A document is read (inputs -> read), then one `Doc` flows through the extract components in
the order `components()` lists them, as spaCy's `Language.__call__` runs its pipes: each adds
its part (sentences, their figures and dates, incidents, types, places, actors, counts, dates,
events) and records what it set aside as a `Dropped`.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import logging
from typing import Callable, Iterable, Iterator, Optional, Union

from . import components as c
from .budget import OverBudget, seconds_for, time_budget
from .config import Settings
from .doc import Doc
from .inputs import iter_documents
from .records import Article, Event, RawDocument, Rejected
from .resources import ReadResources, Resources, load_read_resources
from .stages.read import read_article

Item = Union[Article, Rejected]
Component = Callable[[Doc], Doc]
_log = logging.getLogger(__name__)
_BUDGET = "the document's time budget ([budget] max_seconds + seconds_per_mib per MiB of text)"


def components(resources: Resources) -> list[Component]:
    """The extract components in the order they run, each built with its resources."""
    toponyms = c.Toponyms(resources.gazetteer)  # one sentence's place, shared by grouping and placing
    return [
        c.Sentences(resources.abbreviations),
        c.ActorHomes(resources.actors),
        c.CountSentences(resources.counts),
        c.DateSentences(resources.dates),
        c.FindIncidents(resources.event_types, resources.cues, resources.settings, toponyms, resources.actors),
        c.TypeIncidents(resources.event_types),
        c.PlaceIncidents(resources.gazetteer, toponyms),
        c.ActorsAndRoles(resources.actors),
        c.CountIncidents(resources.event_types),
        c.GuardTolls(resources.settings, resources.cues),
        c.DateIncidents(),
        c.BuildEvents(),
        c.SplitPerPlace(),
        c.MergeRegionDuplicates(),
        c.WriteNotes(resources.note_words),
    ]


class Reader:
    """RawDocument -> Article (or Rejected): the read stage, with its lexicon and clock injected."""

    def __init__(self, resources: ReadResources, clock: Callable[[], dt.date] = dt.date.today):
        self.resources, self.clock = resources, clock

    def __call__(self, raw: RawDocument) -> Item:
        settings = self.resources.settings
        seconds = seconds_for(len(raw.html or raw.text or ""), settings.max_seconds, settings.seconds_per_mib)
        try:
            with time_budget(seconds):
                return read_article(raw, self.resources.lexicon, self.resources.meta, self.clock())
        except OverBudget:
            return Rejected(raw.id, "read", "too-slow", f"reading took over {seconds:.0f} s, {_BUDGET}")
        except (ValueError, TypeError, RecursionError) as exc:  # malformed markup trafilatura/lxml cannot parse
            return Rejected(raw.id, "read", "unreadable", f"{type(exc).__name__}: {exc}")


def read_documents(paths: Iterable[str], reader: Optional[Reader] = None) -> Iterator[Item]:
    """Read and clean every document under the given inputs."""
    reader = reader or Reader(load_read_resources())
    for raw in iter_documents(paths):
        yield reader(raw) if isinstance(raw, RawDocument) else raw


def run(article: Article, pipes: list[Component]) -> Doc:
    """One article through every component."""
    doc = Doc(article)
    for pipe in pipes:
        doc = pipe(doc)
    return doc


def extract(items: Iterable[Item], resources: Resources) -> Iterator[Union[Event, Rejected]]:
    """Turn cleaned articles into coded events; rejections pass through untouched."""
    pipes = components(resources)
    extracted: set[tuple[str, str]] = set()  # (id, text hash) of every article extracted
    taken: set[str] = set()  # the run's event ids
    for item in items:
        if isinstance(item, Rejected):
            yield item
            continue
        text_hash = hashlib.sha256(item.text.encode("utf-8")).hexdigest()  # as services.document_hash
        if (item.id, text_hash) in extracted:  # two pages that clean to one text: ingest skips it too
            yield Rejected(item.id, "extract", "duplicate-id", "the same text as an earlier document "
                           "under this id; its events are written once", fatal=False)
            continue
        extracted.add((item.id, text_hash))
        for out in _extract_one(item, pipes, resources.settings):
            yield out if isinstance(out, Rejected) else _unique_id(out, text_hash, taken)


def _unique_id(event: Event, text_hash: str, taken: set[str]) -> Event:
    """The event with an id no earlier event of the run has. The id is a hash of the document
    id, sentence offset and type, so only another document under the same id can take it; a
    taken id gets the suffix the store gives one (the first 8 digits of the text's hash), so
    a lone report keeps the id `extract` gives it, run after run."""
    event_id, n = event.event_id, 1
    while event_id in taken:
        n += 1
        event_id = f"{event.event_id}-{text_hash[:8]}" + (f"-{n - 1}" if n > 2 else "")
    taken.add(event_id)
    return event if event_id == event.event_id else dataclasses.replace(event, event_id=event_id)


def _extract_one(article: Article, pipes: list[Component], budget: Settings) -> list[Union[Event, Rejected]]:
    # A defect met on one odd article must not cost the rest of the batch: it becomes that
    # document's error line (and a failing exit status), with the exception's own words.
    if len(article.text) > budget.max_text_chars:
        return [Rejected(article.id, "extract", "too-large", f"{len(article.text)} characters of text, over the "
                         f"{budget.max_text_chars} an article may have ([budget] max_text_chars)")]
    seconds = seconds_for(len(article.text), budget.max_seconds, budget.seconds_per_mib)
    try:
        with time_budget(seconds):
            return list(run(article, pipes).events)
    except OverBudget:
        return [Rejected(article.id, "extract", "too-slow", f"extraction took over {seconds:.0f} s, {_BUDGET}")]
    except Exception as exc:  # noqa: BLE001 - reported as a Rejected, never swallowed
        _log.exception("extract failed on %s", article.id)
        return [Rejected(article.id, "extract", "internal-error", f"{type(exc).__name__}: {exc}"[:300])]


def read_one(raw: RawDocument, clock: Callable[[], dt.date] = dt.date.today) -> Item:
    """One document read with the packaged lexicon (tests, one-off tools)."""
    return Reader(load_read_resources(), clock)(raw)


def extract_article(article: Article, resources: Resources) -> list[Event]:
    """One article's events (tests, one-off tools); a defect here raises."""
    return run(article, components(resources)).events
