"""What runs on a Dask worker: the resources, loaded once per worker process, and the task
that reads and extracts one partition of documents (the writer's side is `engines.py`).

A task carries only its documents and, for each document id, the content hashes the store
already holds under that id; the resources (gazetteer, lexicons, packs) never travel. They
are loaded when the worker starts, by the `LoadResources` plugin the engine registers, so a
worker that joins late or is restarted after a death loads them before its first task too.
"""
from __future__ import annotations

from typing import Iterable, Iterator, Mapping, Optional, Union

from distributed.diagnostics.plugin import WorkerPlugin

from . import pipeline
from .records import Article, Event, RawDocument, Rejected

Extracted = Union[Event, Rejected]
# None in place of the extracted list: the document is already stored, so it was not extracted.
Processed = Union[Rejected, tuple[Article, Optional[list[Extracted]]]]
StoredHashes = Mapping[str, frozenset[str]]

_resources: Optional[tuple[pipeline.Reader, object]] = None


def worker_resources() -> tuple[pipeline.Reader, object]:
    """This process's reader and extraction resources, loaded on first use."""
    global _resources
    if _resources is None:
        from .resources import load_read_resources, load_resources
        _resources = (pipeline.Reader(load_read_resources()), load_resources())
    return _resources


class LoadResources(WorkerPlugin):
    """Load the resources as each worker starts, before it takes a task."""

    name = "eventwire-resources"
    idempotent = True

    def setup(self, worker) -> None:
        worker_resources()


def process_documents(raws: Iterable[Union[RawDocument, Rejected]], reader: pipeline.Reader,
                      resources, stored: StoredHashes) -> Iterator[Processed]:
    """Read each document; extract it unless the store already holds its text under its id."""
    from .services import document_hash
    for raw in raws:
        item = reader(raw) if isinstance(raw, RawDocument) else raw
        if isinstance(item, Rejected):
            yield item
        elif document_hash(item) in stored.get(item.id, ()):
            yield item, None
        else:
            yield item, list(pipeline.extract([item], resources))


def process_partition(raws: list[Union[RawDocument, Rejected]],
                      stored: StoredHashes) -> list[Processed]:
    """One task: a partition of documents, read and extracted."""
    return list(process_documents(raws, *worker_resources(), stored))
