"""Write use cases: ingest documents, store events extracted elsewhere, split an event.

Ingest writes a document with its reports, their links and the events they touch in the same
transaction (documents are committed in small groups, at most `_COMMIT_SECONDS` apart), so an
interrupted run leaves a consistent store and re-running it finishes the job: documents
already stored are skipped by content hash before extraction.
"""
from __future__ import annotations

import dataclasses
import hashlib
import logging
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable, Iterable, Optional, Sequence, Union

from ..errors import BadRequest, Conflict, NotFound, StoreError
from ..records import Article, Event, Rejected
from ..resources import load_link_settings
from ..stages.link import (Block, LinkDecision, LinkSettings, StoredReport, blocking_key,
                           link_document, link_view, resolve_event)
from ..store.corrections import Corrections
from ..store.db import Decision, DocumentRow, Store, open_store
from .candidates import CandidateIndex

if TYPE_CHECKING:
    from ..engines import DaskEngine

__all__ = ["IngestReport", "document_hash", "ingest", "ingest_extracted", "refresh_event",
           "split", "split_in"]

log = logging.getLogger(__name__)

Extracted = Union[Event, Rejected]
# Documents are committed in groups at most this many seconds apart: each document's rows
# are all-or-nothing either way, and an interrupted run loses at most this much work.
_COMMIT_SECONDS = 0.5


@dataclass
class IngestReport:
    """What one ingest run did."""

    documents_new: int = 0
    documents_skipped: int = 0  # already in the store (same content hash)
    copies_recorded: int = 0  # same text under another id: recorded as a source, not skipped
    reports: int = 0  # events extracted from new documents
    events_created: int = 0
    reports_merged: int = 0  # reports that joined an existing event
    rejected: list[Rejected] = field(default_factory=list)
    documents_extracted: int = 0  # documents read and extracted (an engine skips those stored)
    link_seconds: float = 0.0  # time spent linking and writing new documents (the writer's share)


def document_hash(article: Article) -> str:
    """The idempotency key of a document: sha256 of its cleaned text."""
    return hashlib.sha256(article.text.encode("utf-8")).hexdigest()


def ingest(paths: Sequence[str], db_url: Optional[str] = None,
           progress: Optional[Callable[[Iterable], Iterable]] = None,
           engine: Optional["DaskEngine"] = None) -> IngestReport:
    """Read, extract, link and store every document under `paths`.

    Args:
        paths: inputs as `eventwire extract` takes them.
        db_url: the store (None: $EVENTWIRE_DB or ./eventwire.sqlite).
        progress: optional wrapper around the document iterator (a progress bar).
        engine: where reading and extraction run (None: in this process); linking and
            storing always run here, in input order, so every engine stores the same.
    Returns:
        Counts, and the documents that could not be read or extracted.
    """
    wrap = progress or (lambda items: items)
    report = IngestReport()
    if engine is not None:
        from ..inputs import iter_documents

        def processed(store: Store) -> Iterable:
            # The workers are told what the store holds under each id, so a resumed
            # ingest extracts only what it had not stored yet.
            return wrap(engine.process(iter_documents(paths), store.stored_hashes))
        return _ingest_processed(db_url, processed, load_link_settings(), report)
    from ..pipeline import extract, read_documents
    from ..resources import load_resources

    resources = load_resources()

    def extract_one(article: Article) -> list[Extracted]:
        report.documents_extracted += 1
        return list(extract([article], resources))
    return _ingest_stream(db_url, lambda _store: wrap(read_documents(paths)), extract_one,
                          load_link_settings(), report)


def ingest_extracted(db_url: Optional[str],
                     documents: Iterable[Union[Rejected, tuple[Article, list[Extracted]]]],
                     settings: Optional[LinkSettings] = None) -> IngestReport:
    """Store documents whose events were extracted elsewhere (tests, benchmarks, replays);
    a Rejected in the stream is a document that could not be read.

    `settings` overrides the store's linker settings (for tuning tools).
    """
    return _ingest_processed(db_url, lambda _store: documents, settings or load_link_settings(),
                             IngestReport())


def _ingest_processed(db_url: Optional[str],
                      documents_of: Callable[[Store], Iterable[Union[Rejected, tuple[Article, Optional[list[Extracted]]]]]],
                      settings: LinkSettings, report: IngestReport) -> IngestReport:
    """Store `(article, extracted)` pairs; extracted None: the worker found the text
    already stored under the article's id and did not extract it."""
    current: dict[str, Optional[list[Extracted]]] = {}

    def articles(store: Store) -> Iterable[Union[Article, Rejected]]:
        for doc in documents_of(store):
            if isinstance(doc, Rejected):
                yield doc
                continue
            article, items = doc
            report.documents_extracted += items is not None
            current["items"] = items
            yield article

    def extract_one(article: Article) -> list[Extracted]:
        items = current["items"]
        if items is None:  # documents are never deleted, and one ingest runs at a time
            raise StoreError(f"{article.id}: stored when the run began, but not now")
        return items
    return _ingest_stream(db_url, articles, extract_one, settings, report)


def _ingest_stream(db_url: Optional[str],
                   items_of: Callable[[Store], Iterable[Union[Article, Rejected]]],
                   extract_one: Callable[[Article], list[Extracted]],
                   settings: LinkSettings, report: IngestReport) -> IngestReport:
    with open_store(db_url) as store, store.ingest_lock(), \
            store.batches(_COMMIT_SECONDS) as batch:
        index = CandidateIndex(store)
        for item in items_of(store):
            if isinstance(item, Rejected):
                report.rejected.append(item)
                continue
            doc_hash = document_hash(item)
            if store.has_document(doc_hash):
                batch.open()
                copied = _record_copy(store, index, item, doc_hash)
                batch.done()
                report.copies_recorded += copied
                report.documents_skipped += not copied
                continue
            extracted = extract_one(item)
            batch.open()
            report.rejected += [x for x in extracted if isinstance(x, Rejected)]
            started = time.perf_counter()
            _store_document(store, index, item, doc_hash, extracted, settings, report)
            report.link_seconds += time.perf_counter() - started
            report.documents_new += 1
            batch.done()
    log.info("ingest: %d new documents, %d skipped, %d events created, %d reports linked",
             report.documents_new, report.documents_skipped, report.events_created,
             report.reports_merged)
    return report


def _store_document(store: Store, index: CandidateIndex, article: Article, doc_hash: str,
                    extracted: list[Extracted], settings: LinkSettings,
                    report: IngestReport) -> None:
    """Store one document, its reports, their links and the events they touch."""
    events = [x for x in extracted if isinstance(x, Event)]
    seq = store.next_seq()
    index.sync(seq)
    store.add_document(DocumentRow(
        doc_hash, article.id, article.title, article.outlet,
        article.published.isoformat() if article.published else None, article.url,
        len(events), len(extracted) - len(events), article.text), seq)
    # Every block is read before any report of this document is stored, so the document's
    # reports are only compared with other documents' (never merged with each other).
    views = [link_view(e) for e in events]
    decisions = link_document(events, candidate_blocks(index, events, settings), settings, views)
    joined: dict[str, None] = {}  # existing events this document added to, in order
    for n, (event, decision) in enumerate(zip(events, decisions)):
        stored = _link_one(store, event, doc_hash, f"{doc_hash[:16]}-{n}", seq, decision, report)
        index.add(stored, seq, views[n])
        if decision.event_id is not None:
            joined[stored.event_id] = None
    for event_id in joined:
        refresh_event(store, event_id, seq)
    report.reports += len(events)


def _record_copy(store: Store, index: CandidateIndex, article: Article, doc_hash: str) -> bool:
    """Record a copy of a stored article (a wire story another outlet reprints, a re-post
    under a new id) as one more source of the events the original reported.

    A copy is not a new incident, nor new evidence about its figures: its reports repeat the
    original's claims word for word and join the same events with a 'copy' decision. False
    when there is nothing to record (the same id again, or an original without events).
    """
    stored = store.hash_reports(doc_hash)
    if not stored or any(r.event.doc_id == article.id for r in stored):
        return False
    original = stored[0].event.doc_id
    seq = store.next_seq()
    index.sync(seq)
    tag = hashlib.sha256(article.id.encode("utf-8")).hexdigest()[:8]
    touched: dict[str, None] = {}
    for r in stored:
        if r.event.doc_id != original:
            continue  # a copy of the copy's original, recorded before
        copy = StoredReport(f"{r.report_id}~{tag}", r.event_id, doc_hash, _as_copy(r.event, article))
        store.add_report(copy, seq)
        index.add(copy, seq)
        store.add_decision(Decision(copy.report_id, 1, r.event_id, "copy", r.report_id, None,
                                    {"copy_of": original}), seq)
        touched[r.event_id] = None
    for event_id in touched:
        refresh_event(store, event_id, seq)
    return True


def _as_copy(event: Event, article: Article) -> Event:
    """The original's report as the copy tells it: same claims, the copy's document."""
    published = article.published.isoformat() if article.published else None
    sources = [dataclasses.replace(s, doc_id=article.id, outlet=article.outlet,
                                   published=published, url=article.url) for s in event.sources]
    return dataclasses.replace(event, doc_id=article.id, sources=sources)


def candidate_blocks(index: CandidateIndex, events: list[Event],
                     settings: LinkSettings) -> list[list]:
    """Each report's block of stored reports (a block shared by reports is read once)."""
    read: dict[Block, list] = {}
    out = []
    for event in events:
        block = blocking_key(event, settings)
        if block is not None and block not in read:
            read[block] = index.block(block)
        out.append(read[block] if block is not None else [])
    return out


def _link_one(store: Store, event: Event, doc_hash: str, report_id: str, seq: int,
              decision: LinkDecision, report: IngestReport) -> StoredReport:
    """Store one report under the event its link decision chose (or a new one)."""
    merged = decision.event_id is not None
    if merged:
        event_id, kind = decision.event_id, "merge"
        report.reports_merged += 1
    else:
        event_id, kind = _free_event_id(store, event.event_id, doc_hash), "new"
        report.events_created += 1
    stored = StoredReport(report_id, event_id, doc_hash, event)
    if not merged:  # the event row first: the report's foreign key points at it
        store.save_event(resolve_event(event_id, [stored], _note), 1, seq, new=True)
    store.add_report(stored, seq)
    store.add_decision(Decision(report_id, 1, event_id, kind, decision.partner_report_id,
                                decision.score, decision.features), seq)
    return stored


def _renamed(event: Event, event_id: str) -> Event:
    return event if event.event_id == event_id else dataclasses.replace(event, event_id=event_id)


def _free_event_id(store: Store, wanted: str, doc_hash: str) -> str:
    """The extractor's id if free (a lone report keeps the id `extract` gives it)."""
    if not store.has_event(wanted):
        return wanted
    return f"{wanted}-{doc_hash[:8]}"


def refresh_event(store: Store, event_id: str, seq: int) -> None:
    """Resolve an event again from its reports, under the analysts' corrections (after a
    report joined or left it, or a correction changed it)."""
    members = store.event_reports(event_id)
    if members:
        resolved = resolve_event(event_id, members, _note)
        # The analysts' corrections lie over the linker's view: a new report never undoes one.
        fixed = Corrections(store).overrides(event_id)
        store.save_event(dataclasses.replace(resolved, **fixed) if fixed else resolved,
                         len(members), seq, new=False)


def split(db_url: Optional[str], report_ids: Sequence[str], reason: str) -> str:
    """Take reports out of their event into a new event of their own; returns its id.

    Both events are re-resolved and a 'split' decision with the analyst's reason is kept
    for every moved report, so the history stays visible.
    """
    with open_store(db_url) as store, store.transaction():
        return split_in(store, report_ids, reason)


def split_in(store: Store, report_ids: Sequence[str], reason: str) -> str:
    """`split` inside the caller's open transaction (the analyst's split records its
    correction in the same one)."""
    if not report_ids or not reason.strip():
        raise BadRequest("split needs at least one report id and a reason")
    old_id = _common_event(store, report_ids)
    members = store.event_reports(old_id)
    moving = [m for m in members if m.report_id in set(report_ids)]
    if len(moving) == len(members):
        raise Conflict(f"split would empty event {old_id}: leave one report behind")
    seq = store.next_seq()
    new_id = _free_event_id(store, moving[0].event.event_id, moving[0].doc_hash)
    store.save_event(_renamed(moving[0].event, new_id), len(moving), seq, new=True)
    store.move_reports([m.report_id for m in moving], new_id)
    for m in moving:
        store.add_decision(Decision(m.report_id, store.next_decision_no(m.report_id),
                                    new_id, "split", None, None,
                                    {"from_event": old_id, "reason": reason}), seq)
    refresh_event(store, old_id, seq)
    refresh_event(store, new_id, seq)
    return new_id


def _common_event(store: Store, report_ids: Sequence[str]) -> str:
    found = store.reports_by_id(report_ids)
    missing = set(report_ids) - {r.report_id for r in found}
    if missing:
        raise NotFound(f"unknown report(s): {', '.join(sorted(missing))}")
    owners = {r.event_id for r in found}
    if len(owners) != 1:
        raise Conflict("the reports to split belong to different events")
    return owners.pop()


def _note(event: Event) -> str:
    """A resolved event's note, written from its chosen fields (stages/notes.py)."""
    from ..resources import load_note_words
    from ..stages.notes import write_note
    return write_note(event, load_note_words())
