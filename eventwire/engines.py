"""Where reading and extraction run: in this process, or on a Dask cluster.

The engine boundary (issue 14). Reading and extraction are pure functions of one document, so
they may run anywhere, in any order. Linking is not: whether a report joins an event depends
on every report stored before it. So an engine only turns raw documents into
`(article, extracted)` pairs and hands them back *in input order*; linking and storing stay in
the one writer, `services.ingest`, the same for every engine. That is why a parallel ingest
gives exactly what a serial one gives: the same events, event ids, sources and decisions.

Partitions of documents go to the workers through a bounded window, so memory stays flat
however long the input. A worker that dies mid-partition is replaced by Dask and its partition
recomputed; a partition that kills workers again and again is retried one document at a
time, and the document that still kills its worker is reported like any bad document.
"""
from __future__ import annotations

import itertools
import logging
import os
import uuid
from collections import deque
from typing import Iterable, Iterator, Optional, Union

from . import pipeline
from .records import Article, Event, RawDocument, Rejected

Extracted = Union[Event, Rejected]
Processed = Union[Rejected, tuple[Article, list[Extracted]]]

# Documents per task: large enough that scheduling costs little next to ~20 ms of extraction
# per document, small enough that a killed worker loses little work.
PARTITION_SIZE = 25
_WORKER_RESOURCES = None  # loaded once per worker process, on its first partition


class EngineError(RuntimeError):
    """The engine cannot run: Dask is not installed, or the scheduler cannot be reached."""


def process_documents(raws: Iterable[Union[RawDocument, Rejected]], reader: pipeline.Reader,
                      resources) -> Iterator[Processed]:
    """Read and extract documents one by one, through the pipeline's public entry points."""
    for raw in raws:
        item = reader(raw) if isinstance(raw, RawDocument) else raw
        if isinstance(item, Rejected):
            yield item
        else:
            yield item, list(pipeline.extract([item], resources))


def _process_partition(raws: list[Union[RawDocument, Rejected]]) -> list[Processed]:
    """One task on a worker: a partition of documents, read and extracted."""
    global _WORKER_RESOURCES
    if _WORKER_RESOURCES is None:
        from .resources import load_read_resources, load_resources
        _WORKER_RESOURCES = (pipeline.Reader(load_read_resources()), load_resources())
    return list(process_documents(raws, *_WORKER_RESOURCES))


def _chunks(items: Iterable, size: int) -> Iterator[list]:
    it = iter(items)
    while chunk := list(itertools.islice(it, size)):
        yield chunk


class DaskEngine:
    """Read and extract on a Dask cluster: a LocalCluster of `workers` processes, or the
    existing cluster whose scheduler is at `scheduler` (tcp://HOST:PORT)."""

    def __init__(self, workers: Optional[int] = None, scheduler: Optional[str] = None,
                 partition_size: int = PARTITION_SIZE) -> None:
        self.workers = workers
        self.scheduler = scheduler
        self.partition_size = partition_size
        self.client = None
        self._cluster = None

    def describe(self) -> str:
        """Where the work runs, for the run's summary line."""
        if self.scheduler:
            return f"dask scheduler {self.scheduler}"
        return f"dask LocalCluster of {self.workers or os.cpu_count()} worker(s)"

    def start(self) -> None:
        """Connect to the scheduler, or start the local cluster (EngineError if neither)."""
        if self.client is not None:
            return
        try:
            from distributed import Client, LocalCluster
        except ImportError as exc:
            raise EngineError("the dask engine needs Dask: pip install 'eventwire[scale]'") from exc
        if self.scheduler:
            try:
                self.client = Client(self.scheduler, timeout="10s")
            except (OSError, TimeoutError, ValueError) as exc:
                raise EngineError(f"cannot reach the Dask scheduler at {self.scheduler}: {exc}") from exc
            return
        # One thread per worker process: extraction is pure Python, so threads would share
        # one interpreter lock; processes use every core.
        self._cluster = LocalCluster(n_workers=self.workers or os.cpu_count() or 1,
                                     threads_per_worker=1, processes=True,
                                     dashboard_address=None, silence_logs=logging.ERROR)
        self.client = Client(self._cluster)

    def close(self) -> None:
        """Disconnect, and stop the local cluster if this engine started one."""
        if self.client is not None:
            self.client.close()
            self.client = None
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None

    def __enter__(self) -> "DaskEngine":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def process(self, raws: Iterable[Union[RawDocument, Rejected]]) -> Iterator[Processed]:
        """Every document read and extracted on the cluster, yielded in input order."""
        self.start()
        run = uuid.uuid4().hex[:12]
        window = 2 * max(1, self._threads()) + 2  # partitions in flight: every worker busy
        pending: deque = deque()
        for n, part in enumerate(_chunks(raws, self.partition_size)):
            pending.append((part, self.client.submit(_process_partition, part,
                                                     key=f"eventwire-{run}-{n}")))
            if len(pending) >= window:
                yield from self._collect(*pending.popleft())
        while pending:
            yield from self._collect(*pending.popleft())

    def _threads(self) -> int:
        return sum(self.client.nthreads().values())

    def _collect(self, part: list, future) -> list[Processed]:
        from distributed import KilledWorker
        try:
            return future.result()
        except KilledWorker:
            # The partition took down every worker it was given: find the document that
            # does, and let the rest through.
            return [item for raw in part for item in self._alone(raw)]
        finally:
            future.release()

    def _alone(self, raw: Union[RawDocument, Rejected]) -> list[Processed]:
        from distributed import KilledWorker
        future = self.client.submit(_process_partition, [raw], key=f"eventwire-alone-{uuid.uuid4().hex}")
        try:
            return future.result()
        except KilledWorker as exc:
            return [Rejected(raw.item_id if isinstance(raw, Rejected) else raw.id, "extract",
                             "worker-died", f"the worker processing it died each time ({exc})")]
        finally:
            future.release()
