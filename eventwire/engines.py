"""Where reading and extraction run: in this process, or on a Dask cluster.

The engine boundary (issue 14). Reading and extraction are pure functions of one document, so
they may run anywhere, in any order. Linking is not: whether a report joins an event depends
on every report stored before it. So an engine only turns raw documents into
`(article, extracted)` pairs and hands them back *in input order*; linking and storing stay in
the one writer, `services.ingest`, the same for every engine. That is why a parallel ingest
gives exactly what a serial one gives: the same events, event ids, sources and decisions.

Partitions of documents go to the workers through a bounded window, so memory stays flat
however long the input. Each partition carries the content hashes the store already holds
under its documents' ids, so a resumed ingest does not extract again what it stored before.
A worker that dies takes its partitions with it; they are retried one document at a time,
and a document that kills its worker again when it runs alone is reported like any bad
document (`worker-died`): one death may be anyone's (a kill -9, a lost host), two in a row on
one document are the document's. What runs on the workers is in `engines_worker.py`.
"""
from __future__ import annotations

import itertools
import logging
import os
import uuid
from collections import deque
from typing import Callable, Iterable, Iterator, Optional, Sequence, Union

from .records import RawDocument, Rejected

# Documents per task: large enough that scheduling costs little next to ~40 ms of reading
# and extraction per document, small enough that a dead worker loses little work.
PARTITION_SIZE = 25

# Dask's housekeeping, set for long CPU-bound tasks on small machines (measured with
# tools/bench_scale.py and per-thread CPU: together these cost 3-5% of a core in every
# worker and again in the writer, which hosts the local scheduler and nannies):
# - the statistical profiler samples each worker's task thread every 10 ms;
# - every event loop ticks every 20 ms, system monitors poll every 0.5 s and the memory
#   monitor every 0.1 s;
# - a worker paused or spilling for memory would wait forever: workers hold no data, only
#   the partition they are on, so a worker over its limit is simply restarted;
# - a partition on a worker that died fails at once (no silent re-runs): the engine retries
#   its documents one by one and finds the one that kills, in two deaths instead of eight.
DASK_SETTINGS = {
    "distributed.worker.profile.enabled": False,
    "distributed.admin.tick.interval": "500ms",
    "distributed.admin.system-monitor.interval": "2s",
    "distributed.worker.memory.monitor-interval": "500ms",
    "distributed.worker.memory.target": False,
    "distributed.worker.memory.spill": False,
    "distributed.worker.memory.pause": False,
    "distributed.scheduler.allowed-failures": 0,
}

Item = Union[RawDocument, Rejected]
StoredLookup = Callable[[Sequence[str]], dict]


class EngineError(RuntimeError):
    """The engine cannot run: Dask is not installed, or the scheduler cannot be reached."""


def _chunks(items: Iterable, size: int) -> Iterator[list]:
    it = iter(items)
    while chunk := list(itertools.islice(it, size)):
        yield chunk


def _item_id(item: Item) -> str:
    return item.item_id if isinstance(item, Rejected) else item.id


class DaskEngine:
    """Read and extract on a Dask cluster: a LocalCluster of `workers` processes (each
    restarted if it goes over `memory_limit`, e.g. "1GiB"), or the existing cluster whose
    scheduler is at `scheduler` (tcp://HOST:PORT)."""

    def __init__(self, workers: Optional[int] = None, scheduler: Optional[str] = None,
                 partition_size: int = PARTITION_SIZE,
                 memory_limit: Optional[str] = None) -> None:
        self.workers = workers
        self.scheduler = scheduler
        self.partition_size = partition_size
        self.memory_limit = memory_limit
        self.client = None
        self._cluster = None

    def describe(self) -> str:
        """Where the work runs, for the run's summary line."""
        if self.scheduler:
            return f"dask scheduler {self.scheduler}"
        return f"dask LocalCluster of {self.workers or os.cpu_count()} worker(s)"

    def start(self) -> None:
        """Connect to the scheduler, or start the local cluster (EngineError if neither);
        every worker, and every one that joins later, loads the resources once."""
        if self.client is not None:
            return
        try:
            import dask
            from distributed import Client, LocalCluster

            from .engines_worker import LoadResources
        except ImportError as exc:
            raise EngineError("the dask engine needs Dask: pip install 'eventwire[scale]'") from exc
        with dask.config.set(DASK_SETTINGS):
            if self.scheduler:
                try:
                    self.client = Client(self.scheduler, timeout="10s")
                except (OSError, TimeoutError, ValueError) as exc:
                    raise EngineError(f"cannot reach the Dask scheduler at {self.scheduler}: {exc}") from exc
            else:
                self._check_memory_limit()
                # One thread per worker process: extraction is pure Python, so threads would
                # share one interpreter lock; processes use every core. No dashboard, and the
                # scheduler's HTTP endpoint on a free port, not 8787 (another cluster's).
                self._cluster = LocalCluster(n_workers=self.workers or os.cpu_count() or 1,
                                             threads_per_worker=1, processes=True,
                                             memory_limit=self.memory_limit or "auto",
                                             dashboard_address=None,
                                             scheduler_kwargs={"dashboard_address": ":0"},
                                             silence_logs=logging.CRITICAL)
                self.client = Client(self._cluster)
        self.client.register_plugin(LoadResources())

    def _check_memory_limit(self) -> None:
        from dask.utils import parse_bytes
        if self.memory_limit is not None:
            try:
                parse_bytes(self.memory_limit)
            except (ValueError, TypeError) as exc:
                raise EngineError(f"worker memory {self.memory_limit!r} is not a size like 1GiB") from exc

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

    def process(self, raws: Iterable[Item], stored: Optional[StoredLookup] = None) -> Iterator:
        """Every document read and extracted on the cluster, yielded in input order as
        `(article, extracted)`, or `(article, None)` for a document whose text `stored(ids)`
        (id -> content hashes already in the store) says is stored, or a Rejected."""
        from .engines_worker import process_partition
        self.start()
        run = uuid.uuid4().hex[:12]
        window = 2 * max(1, self._threads()) + 2  # partitions in flight: every worker busy
        pending: deque = deque()
        for n, part in enumerate(_chunks(raws, self.partition_size)):
            known = self._known(part, stored)
            future = self.client.submit(process_partition, part, known, key=f"eventwire-{run}-{n}")
            pending.append((part, known, future))
            if len(pending) >= window:
                yield from self._collect(*pending.popleft())
        while pending:
            yield from self._collect(*pending.popleft())

    @staticmethod
    def _known(part: list[Item], stored: Optional[StoredLookup]) -> dict:
        if stored is None:
            return {}
        ids = [raw.id for raw in part if isinstance(raw, RawDocument)]
        return {doc_id: frozenset(hashes) for doc_id, hashes in stored(ids).items()}

    def _threads(self) -> int:
        return sum(self.client.nthreads().values())

    def _collect(self, part: list[Item], known: dict, future) -> list:
        from distributed import KilledWorker
        try:
            return future.result()
        except KilledWorker:
            # A worker died with this partition: run its documents one at a time, to find
            # the one that kills (if any), and let the rest through.
            return [item for raw in part for item in self._alone(raw, known)]
        finally:
            future.release()

    def _alone(self, raw: Item, known: dict) -> list:
        from distributed import KilledWorker

        from .engines_worker import process_partition
        future = self.client.submit(process_partition, [raw], known,
                                    key=f"eventwire-alone-{uuid.uuid4().hex}")
        try:
            return future.result()
        except KilledWorker:
            return [Rejected(_item_id(raw), "extract", "worker-died",
                             "the worker processing it died, in its partition and again alone")]
        finally:
            future.release()
