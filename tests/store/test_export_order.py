"""Exports have one total order, the same on SQLite and PostgreSQL (issue 16 item 11): two
stores holding the same records export the same bytes, whatever order the rows were written
in and whatever collation the PostgreSQL database sorts text by. Events of one document
share a `seq`, so the event id breaks the ties, compared byte by byte on both back ends."""
from __future__ import annotations

import dataclasses
import io
import os
import uuid

import pytest

from eventwire import services
from eventwire.store.db import DocumentRow, open_store
from eventwire.store.query import EventQuery

# Ids whose order differs between byte order and a natural-language collation (which
# ignores punctuation and case at first): sorted by bytes: ev-b, ev.c, evA, ev_a, eva.
IDS = ["eva", "ev-b", "evA", "ev_a", "ev.c"]


@pytest.fixture
def icu_pg_url():
    """A fresh PostgreSQL database whose text sorts by ICU's en-US rules (as a database
    created with an en_US locale would), dropped afterwards."""
    base = os.environ.get("EVENTWIRE_TEST_PG")
    if not base:
        pytest.skip("EVENTWIRE_TEST_PG is not set: run .ci/postgres.sh and export the URL it prints")
    import psycopg
    name = "ew_icu_" + uuid.uuid4().hex[:10]
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name} TEMPLATE template0 LOCALE_PROVIDER icu"
                     " ICU_LOCALE 'en-US' LOCALE 'C.UTF-8'")
    yield base.rsplit("/", 1)[0] + "/" + name
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE {name} WITH (FORCE)")


def _write(url: str, events: list) -> None:
    """One document's events (one shared seq), then a second document's, in list order."""
    with open_store(url) as store, store.transaction():
        for seq, part in ((1, events[:len(IDS)]), (2, events[len(IDS):])):
            store.add_document(DocumentRow(f"h{seq}", f"doc{seq}", None, None, None, None,
                                           len(part), 0), seq)
            for event in part:
                store.save_event(event, 1, seq, new=True)


def _export(url: str) -> str:
    out = io.StringIO()
    services.export_events(url, "jsonl", EventQuery(), out)
    return out.getvalue()


def test_export_order_is_the_same_on_sqlite_and_postgresql(tmp_path, icu_pg_url, link_reports):
    model = [e for _, events in link_reports for e in events][0]
    events = [dataclasses.replace(model, event_id=i, doc_id="doc1") for i in IDS] + \
             [dataclasses.replace(model, event_id=f"z{i}", doc_id="doc2") for i in IDS]
    sqlite_url = str(tmp_path / "store.sqlite")
    _write(sqlite_url, events)
    _write(icu_pg_url, events[::-1][len(IDS):] + events[::-1][:len(IDS)])  # reversed in each
    on_sqlite, on_pg = _export(sqlite_url), _export(icu_pg_url)
    order = [line.split('"event_id": "')[1].split('"')[0] for line in on_sqlite.splitlines()]
    assert order == sorted(IDS) + sorted(f"z{i}" for i in IDS)  # seq, then id by bytes
    assert on_pg == on_sqlite
