"""The ordered stages and the loop over them; nothing else.

read -> annotate -> extract (incidents, types, counts) -> resolve dates/places/actors -> events
"""
from __future__ import annotations

from typing import Iterable, Iterator, Union

from .inputs import iter_documents
from .records import Article, Event, RawDocument, Rejected
from .resources import Resources
from .stages.extract import extract_events
from .stages.read import read_article

Item = Union[Article, Rejected]


def read_documents(paths: Iterable[str]) -> Iterator[Item]:
    """Read and clean every document under the given inputs."""
    for raw in iter_documents(paths):
        yield _read_one(raw) if isinstance(raw, RawDocument) else raw


def _read_one(raw: RawDocument) -> Item:
    try:
        return read_article(raw)
    except (ValueError, TypeError, RecursionError) as exc:  # malformed markup trafilatura/lxml cannot parse
        return Rejected(raw.id, "read", "unreadable", f"{type(exc).__name__}: {exc}")


def extract(items: Iterable[Item], resources: Resources) -> Iterator[Union[Event, Rejected]]:
    """Turn cleaned articles into coded events; rejections pass through untouched."""
    for item in items:
        if isinstance(item, Rejected):
            yield item
            continue
        yield from extract_events(item, resources)
