"""The writer's candidate index answers every block as the store's block query does."""
from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from eventwire import services
from eventwire.records import Article
from eventwire.services import candidates, writes
from eventwire.stages.link import blocking_key
from eventwire.store.db import open_store


def _shifted(event, days: int, tag: str):
    day = dt.date.fromisoformat(event.event_date) + dt.timedelta(days=days)
    return dataclasses.replace(event, event_id=f"{event.event_id}{tag}", doc_id=f"{event.doc_id}{tag}",
                               event_date=day.isoformat())


def _overlapping_documents(link_reports, copies: int = 4):
    """The hand-coded FA-KES reports again and again, a day later each time, each document
    also carrying, first, the next document's first report a day after its own: blocks overlap,
    and one document's reports fall on different days (the order among a document's
    reports is the store's too)."""
    docs = []
    for k in range(copies):
        for i, (article, events) in enumerate(link_reports):
            tag = f"~{k}"
            _, following = link_reports[(i + 1) % len(link_reports)]
            extra = [_shifted(following[0], k + 1, f"{tag}x")]
            reports = extra + [_shifted(e, k, tag) for e in events]
            text = f"{article.text}\n\nCopy {k}."
            docs.append((Article(f"{article.id}{tag}", text, outlet=article.outlet,
                                 published=article.published),
                         [dataclasses.replace(r, doc_id=f"{article.id}{tag}") for r in reports]))
    return docs


def _checking(monkeypatch, seen: list):
    """Wrap the writer's block lookup: every block it gathers must be the store's."""
    inner = writes.candidate_blocks

    def checked(index, events, settings):
        blocks = inner(index, events, settings)
        for event, got in zip(events, blocks):
            key = blocking_key(event, settings)
            want = [(r.report_id, r.event_id) for r in index.store.block_reports(key)] if key else []
            have = [(c.report_id, c.event_id) for c in got]
            if index.store.dialect == "postgresql":
                # PostgreSQL returns one document's reports (one sequence number) in no set
                # order; the index keeps SQLite's, so both back ends link alike.
                have, want = sorted(have), sorted(want)
            assert have == want, key
            seen.append({c.report_id: c.event_id for c in got})
        return blocks
    monkeypatch.setattr(writes, "candidate_blocks", checked)


@pytest.mark.parametrize("held", [None, 5])
def test_candidates_are_the_store_blocks_in_the_store_order(tmp_path, monkeypatch, link_reports, held):
    # held=5: the index forgets this run's reports every five and reads them from the store
    seen: list = []
    _checking(monkeypatch, seen)
    if held:
        monkeypatch.setattr(candidates, "MAX_RUN_REPORTS", held)
    db = str(tmp_path / "store.sqlite")
    docs = _overlapping_documents(link_reports)
    report = services.ingest_extracted(db, docs[:10])
    assert report.reports_merged > 0
    # A second run starts from what the first stored (read from the store once per block).
    report = services.ingest_extracted(db, docs[10:])
    assert report.reports_merged > 0
    assert max(len(block) for block in seen) >= 8  # blocks overlap: the test is not vacuous


@pytest.mark.parametrize("store_url", ["sqlite", "postgresql"], indirect=True)
def test_candidates_follow_a_split_made_during_the_run(store_url, monkeypatch, link_reports):
    # An analyst splits a report off its event between two documents of a running ingest:
    # the next documents must see the report under its new event, not the one the index saw.
    seen: list = []
    _checking(monkeypatch, seen)
    monkeypatch.setattr(writes, "_COMMIT_SECONDS", 0.0)  # commit every document
    docs = _overlapping_documents(link_reports)
    moved: dict = {}

    def documents():
        for n, doc in enumerate(docs):
            if n == 12:
                with open_store(store_url) as store:
                    stored = [r for article, _ in docs[:n] for r in store.document_reports(article.id)]
                    victim = [r for r in stored if len(store.event_reports(r.event_id)) > 1][-1]
                moved[victim.report_id] = services.split(store_url, [victim.report_id], "another day")
            yield doc
    services.ingest_extracted(store_url, documents())
    (report_id, new_event), = moved.items()
    later = [block[report_id] for block in seen[12:] if report_id in block]
    assert later and all(event_id == new_event for event_id in later)
