"""SQLite's full-text index stays in step with the events it indexes when the file is
VACUUMed or dumped and restored: its rows are keyed by a stored column (schema version 5),
not by the events table's rowids, which either may renumber (a TEXT primary key is no
rowid alias). The search must find the same events as reading every record would."""
from __future__ import annotations

import itertools
import json
import re
import shutil
import sqlite3
import subprocess

import pytest

from eventwire import analyst, services
from eventwire.store.query import EventQuery

WORDS = ("killed", "shell", "isis", "deir", "attack", "zzzz")


def _by_reading_records(db: str) -> dict[str, list[str]]:
    """What each word must find: events a word of whose notes or quotes begins with it."""
    out: dict[str, list[str]] = {w: [] for w in WORDS}
    for stored in services.find_events(db):
        record = stored.event.to_record()
        text = " ".join([record.get("notes") or ""]
                        + [s.get("quote") or "" for s in record.get("sources") or []])
        words = re.findall(r"[^\W_]+", text.lower())
        for w in WORDS:
            if any(x.startswith(w) for x in words):
                out[w].append(stored.event.event_id)
    return {w: sorted(ids) for w, ids in out.items()}


def _by_search(db: str) -> dict[str, list[str]]:
    return {w: sorted(s.event.event_id for s in services.find_events(db, EventQuery(q=w)))
            for w in WORDS}


@pytest.fixture
def gapped_db(seed_db, tmp_path) -> str:
    """The seed store with its first event merged into its last: the first rowid is gone,
    so a renumbering shifts every later row."""
    db = str(tmp_path / "store.sqlite")
    shutil.copy(seed_db, db)
    ids = [s.event.event_id for s in services.find_events(db)]
    analyst.merge_events(db, [ids[-1], ids[0]], "the same incident, reported twice")
    return db


def test_text_index_search_survives_vacuum(gapped_db):
    want = _by_reading_records(gapped_db)
    assert sum(map(len, want.values())) >= 10 and not want["zzzz"]
    assert _by_search(gapped_db) == want
    with sqlite3.connect(gapped_db, isolation_level=None) as conn:
        conn.execute("VACUUM")
    assert _by_search(gapped_db) == want


def test_text_index_search_survives_a_dump_and_restore(gapped_db, tmp_path):
    cli = shutil.which("sqlite3")
    if cli is None:
        pytest.skip("the sqlite3 command-line shell is not installed (apt-get install sqlite3)")
    want = _by_reading_records(gapped_db)
    restored = str(tmp_path / "restored.sqlite")
    dump = subprocess.run([cli, gapped_db, ".dump"], check=True, capture_output=True).stdout
    subprocess.run([cli, restored], input=dump, check=True, capture_output=True)
    rowids = sqlite3.connect(restored).execute("SELECT min(rowid) FROM events").fetchone()
    assert rowids == (1,)  # the restore renumbered the events: the gap is gone
    assert _by_search(restored) == want
    assert json.dumps(_by_reading_records(restored)) == json.dumps(want)


def test_text_index_both_query_shapes_answer_alike(gapped_db):
    # A text page or a windowed count walks an ordered index when the words are common,
    # and starts from the matches when they are rare: either way the same rows, in order.
    from eventwire.store.analytics import Analytics
    from eventwire.store.db import open_store
    from eventwire.store.query import order_by, where
    want = _by_reading_records(gapped_db)
    with open_store(gapped_db, read_only=True) as store:
        analytics = Analytics(store)
        assert analytics._common_words(EventQuery(q="killed"))  # most seed events: walked
        assert not analytics._common_words(EventQuery(q="zzzz"))
        for word in WORDS:
            for sort, descending in itertools.product(("event_date", "seq", "fatalities"),
                                                      (True, False)):
                q = EventQuery(q=word, sort=sort, descending=descending, limit=1000,
                               date_from="2017-01-01")
                shapes = []
                for walk in (False, True):
                    clause, params = where(q, "sqlite", walk)
                    shapes.append([r[0] for r in store.rows(
                        "SELECT event_id FROM events" + clause + order_by(q, "sqlite", walk),
                        params)])
                assert shapes[0] == shapes[1], (word, sort, descending)
                assert [e.event.event_id for e in analytics.find(q)] == shapes[0]
                assert analytics.count(q)[0] == len(shapes[0])
            assert sorted(e.event.event_id for e in analytics.find(
                EventQuery(q=word, limit=1000))) == want[word]


def test_text_page_with_totals_is_the_page_and_the_count(gapped_db):
    # A windowed text query of common words takes its page and totals from one walk.
    from eventwire.store.analytics import Analytics
    from eventwire.store.db import open_store
    with open_store(gapped_db, read_only=True) as store:
        analytics = Analytics(store)
        assert analytics.page_with_totals(EventQuery(q="killed")) is None  # no window
        assert analytics.page_with_totals(EventQuery(q="zzzz", date_from="2017-01-01")) is None
        for sort, limit, offset in (("event_date", 2, 0), ("fatalities", 3, 1),
                                    ("admin1", 1000, 0), ("seq", 2, 2)):
            q = EventQuery(q="killed", date_from="2017-01-01", sort=sort, limit=limit,
                           offset=offset)
            records, total, fatalities = analytics.page_with_totals(q)
            assert [json.loads(r) for r in records] == analytics.find_records(q)
            assert (total, fatalities) == analytics.count(q)
