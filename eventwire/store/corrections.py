"""The analyst's corrections and saved searches: the SQL of the review loop.

A correction is a claim by an analyst about one event (who, when, the fields' values before
and after, why). Rows are only ever added; the fields the edits of an event set are folded
in order (the latest wins) and laid over the linker's resolved view each time the event is
resolved again, so an ingest that adds a report never undoes what an analyst fixed.
"""
from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Optional, Sequence

from .db import Store, StoreError

__all__ = ["Correction", "Corrections", "SavedSearch"]


@dataclass(frozen=True)
class Correction:
    """One analyst claim about an event."""

    correction_no: int
    event_id: str
    kind: str  # 'edit' | 'split' | 'merge' | 'accept'
    author: str
    reason: str
    before: dict
    after: dict
    created_at: int


@dataclass(frozen=True)
class SavedSearch:
    """A named filter of /events query parameters."""

    name: str
    filter: dict
    created_at: int


_COLUMNS = ("correction_no, event_id, kind, author, reason, before_json, after_json,"
            " created_at")


class Corrections:
    """Corrections and saved searches of one open store (writes inside its transaction)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def add(self, event_id: str, kind: str, author: str, reason: str, before: dict,
            after: dict) -> Correction:
        """Record a correction (inside a transaction); it takes the next store sequence
        number, so every cached view of the store is recomputed."""
        seq = self.store.next_seq()
        row = Correction(seq, event_id, kind, author, reason, before, after, int(time.time()))
        self.store.execute(
            f"INSERT INTO corrections ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (row.correction_no, event_id, kind, author, reason,
             json.dumps(before, ensure_ascii=False, sort_keys=True),
             json.dumps(after, ensure_ascii=False, sort_keys=True), row.created_at))
        return row

    def history(self, event_ids: Sequence[str]) -> list[Correction]:
        """Every correction of these events, oldest first."""
        if not event_ids:
            return []
        marks = ", ".join("?" for _ in event_ids)
        rows = self.store.rows(f"SELECT {_COLUMNS} FROM corrections WHERE event_id IN"
                                f" ({marks}) ORDER BY correction_no", tuple(event_ids))
        return [_correction(r) for r in rows]

    def every(self) -> list[Correction]:
        """Every correction of the store, oldest first."""
        rows = self.store.rows(f"SELECT {_COLUMNS} FROM corrections ORDER BY correction_no")
        return [_correction(r) for r in rows]

    def overrides(self, event_id: str) -> dict:
        """The fields the analysts' edits of an event set, the latest value of each."""
        out: dict = {}
        for c in self.history([event_id]):
            if c.kind == "edit":
                out.update(c.after)
        return out

    def reviewed(self) -> set[str]:
        """Ids of events an analyst has accepted or corrected."""
        return {r[0] for r in self.store.rows("SELECT DISTINCT event_id FROM corrections")}

    def delete_event(self, event_id: str) -> None:
        """Remove an event row that no longer holds any report (merged into another)."""
        left = self.store.rows("SELECT COUNT(*) FROM claims WHERE event_id = ?", (event_id,))
        if int(left[0][0]):
            raise StoreError(f"event {event_id} still holds reports")
        self.store.execute("DELETE FROM events WHERE event_id = ?", (event_id,))

    # -- saved searches -----------------------------------------------------------------

    def save_search(self, name: str, filter: dict) -> SavedSearch:
        """Create or replace a saved search (inside a transaction)."""
        self.store.next_seq()
        row = SavedSearch(name, filter, int(time.time()))
        text = json.dumps(filter, ensure_ascii=False, sort_keys=True)
        self.store.execute("INSERT INTO saved_searches (name, filter, created_at) VALUES (?, ?, ?)"
                         " ON CONFLICT (name) DO UPDATE SET filter = ?, created_at = ?",
                         (name, text, row.created_at, text, row.created_at))
        return row

    def search(self, name: str) -> Optional[SavedSearch]:
        """One saved search, or None."""
        rows = self.store.rows("SELECT name, filter, created_at FROM saved_searches"
                                " WHERE name = ?", (name,))
        return SavedSearch(rows[0][0], json.loads(rows[0][1]), int(rows[0][2])) if rows else None

    def searches(self) -> list[SavedSearch]:
        """Every saved search by name."""
        rows = self.store.rows("SELECT name, filter, created_at FROM saved_searches"
                                " ORDER BY name")
        return [SavedSearch(r[0], json.loads(r[1]), int(r[2])) for r in rows]


def _correction(row: tuple) -> Correction:
    return Correction(int(row[0]), row[1], row[2], row[3], row[4], json.loads(row[5]),
                      json.loads(row[6]), int(row[7]))
