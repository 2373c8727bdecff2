"""The writer's index of stored reports: each report's block of candidates, from memory.

Linking compares every new report with the stored reports of its block (`stages.link`).
Read from the store, a block costs a query and the decoding of every report's JSON, and
blocks grow with the store, so the writer's cost per document grew with the store too
(31 ms/doc averaged over a 20,000-document ingest, 5 ms on a small store). The index keeps,
for one ingest run, every report the run stores, bucketed by country, blocking family and
day, with its link view (`stages.link.LinkView`: names, actors and quote words normalised
once); a block is the union of its days' buckets. Reports stored before the run are read
from the store once per block (a bounded cache), never again for a block already read.

The answer is the store's, in the store's order: reports by sequence, one document's
reports by event date and then as stored (SQLite's order for the block query). Other
writers (an analyst's split or merge moves reports between events) advance the store's
sequence; when the writer's next sequence number is not the one after its last, the index
forgets everything and reads the store again.
"""
from __future__ import annotations

import datetime as dt
import itertools
from collections import OrderedDict
from typing import Optional

from ..stages.link import Block, LinkView, StoredReport, family_of, link_view
from ..store.db import Store

# Reports of this run held in memory (~2 KB each with its link view: ~300 MB at most);
# past it, they are forgotten and read from the store like those of earlier runs.
MAX_RUN_REPORTS = 150_000
# Blocks of reports stored before the run, kept after their first read.
MAX_STORED_BLOCKS = 2_000


class IndexedReport:
    """One report of this run as a link candidate (report_id, event_id, view) with what
    the block query filters on."""

    __slots__ = ("report_id", "event_id", "view", "key", "admin1", "anywhere", "event_date")

    def __init__(self, report: StoredReport, seq: int, order: int, view: LinkView) -> None:
        e = report.event
        self.report_id, self.event_id, self.view = report.report_id, report.event_id, view
        self.event_date, self.admin1 = e.event_date, e.admin1
        self.key = (seq, e.event_date, order)
        # In every admin1's block of its country: the block query's region-level test.
        self.anywhere = (e.admin1 is None or e.geo_precision is None or e.geo_precision >= 3
                         or (e.location is not None and e.location[:2] == e.admin1[:2]))


def _iso_day(value: Optional[str]) -> Optional[int]:
    """The day of a canonical ISO date string, else None (such a date is only ever
    compared as a string, like the store does)."""
    try:
        day = dt.date.fromisoformat(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return day.toordinal() if day.isoformat() == value else None


class CandidateIndex:
    """Blocks of stored reports for one ingest run into `store`."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._order = itertools.count()
        self._last_seq: Optional[int] = None
        self._forget(None)

    def _forget(self, before_seq: Optional[int]) -> None:
        # Everything up to `before_seq` is read from the store from now on.
        self._before_seq = before_seq
        self._days: dict[tuple, dict[int, list[IndexedReport]]] = {}
        self._odd: dict[tuple, list[IndexedReport]] = {}  # dates the store compares only as text
        self._run_reports = 0
        self._stored: OrderedDict[Block, list[StoredReport]] = OrderedDict()

    def sync(self, seq: int) -> None:
        """The writer took sequence number `seq`: forget everything if another writer wrote
        since the writer's last one (the first call marks where the run begins)."""
        if self._last_seq is None or seq != self._last_seq + 1 \
                or self._run_reports >= MAX_RUN_REPORTS:
            self._forget(seq - 1)
        self._last_seq = seq

    def add(self, report: StoredReport, seq: int, view: Optional[LinkView] = None) -> None:
        """The writer stored `report` under sequence number `seq` (after `sync(seq)`);
        `view` is its link view, if the writer has it."""
        e = report.event
        if not e.country or not e.event_date:
            return  # in no block: the block query needs both
        item = IndexedReport(report, seq, next(self._order), view or link_view(e))
        where = (e.country, family_of(e.event_type))
        day = _iso_day(e.event_date)
        if day is None:
            self._odd.setdefault(where, []).append(item)
        else:
            self._days.setdefault(where, {}).setdefault(day, []).append(item)
        self._run_reports += 1

    def block(self, block: Block) -> list:
        """The stored reports of `block`, as `Store.block_reports` returns them."""
        found = list(self._stored_before(block))
        where = (block.country, block.family)
        days, run = self._days.get(where), []
        if days:
            first = dt.date.fromisoformat(block.date_from).toordinal()
            last = dt.date.fromisoformat(block.date_to).toordinal()
            for day in range(first, last + 1):
                run += days.get(day, ())
        run += [r for r in self._odd.get(where, ()) if block.date_from <= r.event_date <= block.date_to]
        if block.admin1 is not None:
            run = [r for r in run if r.anywhere or r.admin1 == block.admin1]
        run.sort(key=lambda r: r.key)
        return found + run

    def _stored_before(self, block: Block) -> list[StoredReport]:
        if not self._before_seq:
            return []  # the store held nothing when the index began
        held = self._stored.get(block)
        if held is None:
            held = self.store.block_reports(block, up_to_seq=self._before_seq)
            self._stored[block] = held
            if len(self._stored) > MAX_STORED_BLOCKS:
                self._stored.popitem(last=False)
        else:
            self._stored.move_to_end(block)
        return held
