"""eventwire/store/analytics.py: the same answers from SQLite and PostgreSQL.

The PostgreSQL half runs when $EVENTWIRE_TEST_PG names a server (scripts/test.sh starts one
with .ci/postgres.sh); it works in a schema of its own so other tests' rows never mix in.
"""
from __future__ import annotations

import os
import uuid
from dataclasses import asdict

import pytest

from eventwire.store.analytics import AGG_BY, AGG_INTERVALS, Analytics
from eventwire.store.query import EventQuery
from eventwire.store.db import open_store

QUERIES = [
    EventQuery(),
    EventQuery(actor="islamic state", sort="fatalities"),
    EventQuery(event_type="Battles", date_from="2017-01-01", date_to="2021-06-30",
               sort="event_date", descending=False),
    EventQuery(admin1="deir-ez-zor", min_confidence=0.6, sort="confidence"),
    EventQuery(q="killed", sort="admin1"),
    EventQuery(location="mayad", bbox=(35.0, 33.0, 42.0, 37.0), limit=3, offset=1),
    EventQuery(actor="50%_off' OR 1=1 --"),
    EventQuery(sort="actor1", descending=False),
    EventQuery(sort="location"),
    EventQuery(sort="admin2", descending=False, limit=5),
]


@pytest.fixture(scope="module")
def pg_db(seed_db):
    base = os.environ.get("EVENTWIRE_TEST_PG")
    if not base:
        pytest.skip("EVENTWIRE_TEST_PG is not set (no PostgreSQL server for this run)")
    psycopg = pytest.importorskip("psycopg")
    schema = "ew_web_" + uuid.uuid4().hex[:10]
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")  # a generated name, no input
    url = base + ("&" if "?" in base else "?") + f"options=-csearch_path%3D{schema}"
    from eventwire import services
    seeds = os.path.join(os.path.dirname(__file__), "..", "..", "samples", "seeds.jsonl")
    services.ingest([seeds], url)
    yield url
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA {schema} CASCADE")


def _answers(url: str) -> dict:
    with open_store(url) as store:
        a = Analytics(store)
        out = {}
        for n, q in enumerate(QUERIES):
            out[f"find{n}"] = [s.event.event_id for s in a.find(q)]
            out[f"count{n}"] = a.count(q)
            out[f"points{n}"] = a.points(q).decoded()
        for by in AGG_BY:
            for interval in AGG_INTERVALS:
                out[f"agg-{by}-{interval}"] = [asdict(r) for r in a.aggregate(QUERIES[1], by,
                                                                               interval)]
        doc = a.document("003_591d6589a516fc68")
        out["doc"] = doc.spans if doc else None
        out["facets"] = a.facets()
        return out


def test_analytics_sqlite_answers_are_consistent(seed_db):
    got = _answers(seed_db)
    assert got["count6"] == (0, 0)  # wildcards and quotes in a filter are literal text
    assert got["count0"][0] == len(got["find0"]) > 10
    assert len(got["find5"]) <= 3
    assert sum(r["events"] for r in got["agg-none-total"]) == got["count1"][0]
    assert got["doc"] and all(s["end"] > s["start"] for s in got["doc"])


def test_analytics_postgresql_gives_the_sqlite_answers(seed_db, pg_db):
    # Event ids depend on ingest order only, so both stores hold the same ids.
    lite, pg = _answers(seed_db), _answers(pg_db)
    for key in lite:
        assert pg[key] == lite[key], key


@pytest.mark.parametrize("key", ["actor1", "actor2", "location", "admin2"])
def test_record_fields_sort_with_unknown_values_last(seed_db, key):
    with open_store(seed_db) as store:
        a = Analytics(store)
        for descending in (False, True):
            values = [getattr(s.event, key) for s in a.find(EventQuery(sort=key, descending=descending))]
            known = [v for v in values if v is not None]
            assert values[:len(known)] == known and len(set(known)) > 1
            assert known == sorted(known, reverse=descending)


def test_admin2_aggregate_counts_each_district(seed_db):
    with open_store(seed_db) as store:
        a = Analytics(store)
        rows = {r.key: r.events for r in a.aggregate(EventQuery(), "admin2", "total")}
        events = list(a.find(EventQuery()))
    for key, n in rows.items():
        assert n == sum(1 for s in events if s.event.admin2 == key)
    assert rows.get("Deir-ez-Zor", 0) >= 2


@pytest.mark.parametrize("limit", [1, 3, 1000])
def test_event_page_totals_are_the_views_whether_or_not_the_page_holds_it(seed_db, limit):
    # A first page that is not full is taken as the whole view (no count query); any other
    # page asks the count. Both must give the view's size and fatalities.
    from eventwire import services
    with open_store(seed_db, read_only=True) as store:
        analytics = Analytics(store)
        for q in QUERIES:
            q = EventQuery(**{**asdict(q), "limit": limit, "offset": 0})
            page = services.list_events(seed_db, q)
            assert (page.total, page.fatalities) == analytics.count(q), q
            assert len(page.records) == min(limit, page.total)
            assert page.events == analytics.find_records(q)


_MAP_VIEWS = [EventQuery(), EventQuery(date_from="2017-01-01", date_to="2021-06-30"),
              EventQuery(event_type="Battles", limit=3), EventQuery(descending=False, offset=2),
              EventQuery(sort="fatalities"), EventQuery(q="killed"),
              EventQuery(actor="islamic state", sort="admin1", descending=False)]


@pytest.mark.parametrize("q", _MAP_VIEWS, ids=range(len(_MAP_VIEWS)))
def test_map_points_are_the_views_located_events_in_its_order(seed_db, q):
    # The points' JSON comes from the map index's stored arrays (date order) or is built by
    # the query (any other order); either way it is the page `find` gives, located ones only.
    with open_store(seed_db, read_only=True) as store:
        a = Analytics(store)
        every = a.find(EventQuery(**{**asdict(q), "limit": 1000, "offset": 0}))
        located = [(s.event.event_id, s.event.event_date, s.event.event_type,
                    s.event.sub_event_type, s.event.latitude, s.event.longitude,
                    s.event.fatalities) for s in every if s.event.latitude is not None]
        got = a.points(q)
    assert got.decoded() == located[q.offset:q.offset + q.limit]
    assert got.count == len(got.decoded()) and (got.count > 0 or q.q)


def test_map_points_of_a_window_walk_the_map_index_to_the_limit(seed_db):
    # SQLite: a date window's newest points are read from events_points in its order (no
    # sort of the window, no wide row), so the query stops after `limit` entries.
    with open_store(seed_db, read_only=True) as store:
        seen: list[str] = []
        store.conn.set_trace_callback(seen.append)
        Analytics(store).points(EventQuery(date_from="2017-01-01", date_to="2021-06-30",
                                           event_type="Battles", limit=5))
        store.conn.set_trace_callback(None)
        sql = next(s for s in seen if "map_point" in s)
        plan = " / ".join(r[3] for r in store.conn.execute("EXPLAIN QUERY PLAN " + sql))
    assert "USING INDEX events_points (event_date>? AND event_date<?)" in plan, plan
    assert "TEMP B-TREE" not in plan, plan


def test_only_the_map_points_query_reads_the_map_index(seed_db):
    # SQLite does not count an index holding a generated column as covering; picked for a
    # text query's walk or a bbox count it read a wide row per entry (text_key,
    # fatalities). Its partial-index condition keeps every other query off it.
    views = QUERIES + [EventQuery(bbox=(35.0, 33.0, 42.0, 37.0)),
                       EventQuery(bbox=(35.0, 33.0, 42.0, 37.0), date_from="2017-01-01"),
                       EventQuery(q="killed", date_from="2017-01-01", date_to="2021-06-30")]
    with open_store(seed_db, read_only=True) as store:
        a = Analytics(store)
        seen: list[str] = []
        store.conn.set_trace_callback(seen.append)
        for q in views:
            a.find(q), a.count(q), a.page_with_totals(q), a.aggregate(q, "event_type", "week")
        others = list(seen)
        seen.clear()
        a.points(EventQuery(bbox=(35.0, 33.0, 42.0, 37.0)))
        store.conn.set_trace_callback(None)
        plans = {sql: " / ".join(r[3] for r in store.conn.execute("EXPLAIN QUERY PLAN " + sql))
                 for sql in others + seen if sql.lstrip().upper().startswith("SELECT")}
    assert not [sql for sql in others if "events_points" in plans.get(sql, "")]
    assert any("events_points" in plans[sql] for sql in seen if sql in plans)
