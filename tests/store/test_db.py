"""The store on SQLite and on a real PostgreSQL: schema, blocking queries, filters, atomicity."""
from __future__ import annotations

import dataclasses

import pytest

from eventwire.stages.link import StoredReport, blocking_key
from eventwire.store import db
from eventwire.store.db import DocumentRow, StoreError, open_store
from eventwire.store.query import EventQuery


def _put(store, doc_hash, event, seq):
    """Store one report as its own event, the way ingest founds an event."""
    store.add_document(DocumentRow(doc_hash, event.doc_id, None, None, None, None, 1, 0), seq)
    store.save_event(event, 1, seq, new=True)
    store.add_report(StoredReport(f"{doc_hash}-0", event.event_id, doc_hash, event), seq)


def _put_all(store, events):
    with store.transaction():
        for n, event in enumerate(events):
            _put(store, f"h{n}", event, n + 1)


def _events(link_reports):
    return {e.event_id: e for _, events in link_reports for e in events}


def test_db_creates_and_reopens_the_schema(store_url):
    with open_store(store_url) as store:
        assert store.counts() == {"documents": 0, "events": 0, "claims": 0, "merge_decisions": 0}
    newest = len(db._MIGRATIONS)
    with open_store(store_url) as store:  # migrating twice is a no-op
        assert store.rows("SELECT COUNT(*), MAX(version) FROM schema_version")[0] == (
            newest, newest)


def test_db_block_reports_returns_only_the_block(store_url, link_reports):
    ev = _events(link_reports)
    with open_store(store_url) as store, store.transaction():
        for n, key in enumerate(["fakes-1923102872-0", "fakes-1924058123-0",
                                 "fakes-1923848164-0"]):
            _put(store, f"h{n}", ev[key], n + 1)
        block = blocking_key(ev["fakes-1923848144-0"])  # Khan Sheikhoun, 2017-04-04, Idleb
        found = [r.event.event_id for r in store.block_reports(block)]
    assert found == ["fakes-1923102872-0"]


def test_db_transaction_rolls_back_everything_on_error(store_url, link_reports):
    ev = _events(link_reports)
    with open_store(store_url) as store:
        with pytest.raises(KeyboardInterrupt), store.transaction():
            _put(store, "h1", ev["fakes-1923102872-0"], 1)
            raise KeyboardInterrupt  # Ctrl-C in the middle of a document
        assert store.counts()["documents"] == 0 and store.counts()["claims"] == 0


def test_db_rejects_a_second_document_with_the_same_hash(store_url, link_reports):
    ev = _events(link_reports)
    with open_store(store_url) as store:
        with store.transaction():
            _put(store, "h1", ev["fakes-1923102872-0"], 1)
        with pytest.raises(Exception), store.transaction():
            _put(store, "h1", dataclasses.replace(ev["fakes-1923102872-0"], event_id="x"), 2)
        assert store.counts()["events"] == 1


def test_db_find_events_applies_every_filter(store_url, link_reports):
    ev = _events(link_reports)
    with open_store(store_url) as store:
        _put_all(store, ev.values())

        def ids(**kw):
            return {s.event.event_id for s in store.find_events(EventQuery(**kw))}
        assert ids(date_from="2017-01-01") == {"fakes-1923848146-0", "fakes-1923102872-0",
                                               "fakes-1923848144-0", "fakes-1923848144-1"}
        assert ids(date_to="2016-07-31") == {"fakes-1923848164-0", "fakes-1965511170-0"}
        assert ids(event_type="chemical weapon", date_to="2016-12-31") == {"fakes-1926479326-0"}
        assert ids(actor="russia") == {"fakes-1924058123-0"}
        assert ids(admin1="al-hasakeh") == {"fakes-1923848164-0", "fakes-1965511170-0"}
        assert ids(bbox=(36.6, 35.4, 36.7, 35.5)) == {"fakes-1923102872-0", "fakes-1923848144-0"}
        assert store.count_events(EventQuery(country="Syria")) == len(ev)


def test_db_reports_a_bad_postgres_url_as_store_error():
    with pytest.raises(StoreError):
        open_store("postgresql://nobody@127.0.0.1:1/none?connect_timeout=2")


def test_db_block_reports_of_a_precise_report_include_region_reports_elsewhere(
        store_url, link_reports):
    ev = _events(link_reports)
    khan = ev["fakes-1923102872-0"]  # Khan Sheikhun, Idleb, 2017-04-04
    # Region-level reports file under another admin1 when the outlet wrote loosely; they
    # search the whole country, so the precise report must see them too.
    hama_region = dataclasses.replace(ev["fakes-1923848146-0"], event_id="hama-region",
                                      admin1="Hama", location="Hama", geo_precision=3)
    hama_town = dataclasses.replace(khan, event_id="hama-town", admin1="Hama",
                                    location="Salamiyah", latitude=35.0114, longitude=37.0532)
    with open_store(store_url) as store, store.transaction():
        for n, event in enumerate([hama_region, hama_town]):
            _put(store, f"h{n}", event, n + 1)
        found = [r.event.event_id for r in store.block_reports(blocking_key(khan))]
    assert found == ["hama-region"]


def test_db_actor_filter_matches_wildcards_literally(store_url, link_reports):
    # `eventwire export --actor %` used to return every event while the dashboard returned
    # none: both now read the one query builder, which escapes LIKE's wildcards.
    ev = _events(link_reports)
    with open_store(store_url) as store:
        _put_all(store, ev.values())
        for pattern in ("%", "_", "\\", "%00", "russia%"):
            assert list(store.find_events(EventQuery(actor=pattern))) == []
            assert store.count_events(EventQuery(actor=pattern)) == 0
        assert store.count_events(EventQuery(actor="RUSSIA")) == 1


def test_db_find_events_is_a_total_order(store_url, link_reports):
    # Events of one document share a seq: ties go by event id, so two stores holding the
    # same events export them in the same order whatever order the rows were written in.
    events = list(_events(link_reports).values())
    orders = []
    for variant, batch in enumerate((events, events[::-1])):
        with open_store(store_url) as store:
            with store.transaction():
                for n, event in enumerate(batch):
                    _put(store, f"v{variant}h{n}", dataclasses.replace(
                        event, event_id=f"v{variant}-{event.event_id}"), 1)
            orders.append([s.event.event_id.split("-", 1)[1] for s in store.find_events()
                           if s.event.event_id.startswith(f"v{variant}-")])
    assert orders[0] == orders[1] == sorted(orders[0])
