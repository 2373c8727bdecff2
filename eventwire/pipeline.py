"""The ordered stages and the loop over them; nothing else.

read -> annotate -> extract (incidents, types, counts) -> resolve dates/places/actors -> events
"""
from __future__ import annotations

import logging
from typing import Iterable, Iterator, Union

from .inputs import iter_documents
from .records import Article, Event, RawDocument, Rejected
from .resources import Resources
from .stages.extract import extract_events
from .stages.read import read_article

Item = Union[Article, Rejected]
_log = logging.getLogger(__name__)


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
        yield from _extract_one(item, resources)


def _extract_one(article: Article, resources: Resources) -> list[Union[Event, Rejected]]:
    # A defect met on one odd article must not cost the rest of the batch: it becomes that
    # document's error line (and a failing exit status), with the exception's own words.
    try:
        return list(extract_events(article, resources))
    except Exception as exc:  # noqa: BLE001 - reported as a Rejected, never swallowed
        _log.exception("extract failed on %s", article.id)
        return [Rejected(article.id, "extract", "internal-error", f"{type(exc).__name__}: {exc}"[:300])]
