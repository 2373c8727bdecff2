"""Use cases over a real store: idempotent, resumable, incremental ingest; exports; split."""
from __future__ import annotations

import csv
import dataclasses
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from eventwire import services
from eventwire.exports import ACLED_COLUMNS
from eventwire.store.query import EventQuery

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
LINK_REPORTS = ROOT / "tests" / "fixtures" / "link" / "reports.jsonl"


def _exports(url: str) -> dict[str, str]:
    out = {}
    for fmt in ("jsonl", "geojson", "acled-csv"):
        buf = io.StringIO()
        services.export_events(url, fmt, EventQuery(), buf)
        out[fmt] = buf.getvalue()
    return out


def _without_timestamp(acled_csv: str) -> list[list[str]]:
    # ACLED's `timestamp` is the wall-clock time of the last change: the one column that
    # legitimately differs between two separate runs.
    return [row[:-1] for row in csv.reader(io.StringIO(acled_csv))]


def _pipeline_ready() -> bool:
    try:
        import eventwire.pipeline  # noqa: F401
        import eventwire.resources  # noqa: F401
    except ImportError:
        return False
    return True


needs_pipeline = pytest.mark.skipif(not _pipeline_ready(),
                                    reason="eventwire.pipeline does not import yet")


def test_services_ingest_twice_changes_nothing(store_url, link_reports):
    first = services.ingest_extracted(store_url, link_reports)
    before = (_exports(store_url), services.store_counts(store_url))
    again = services.ingest_extracted(store_url, link_reports)
    assert (first.documents_new, again.documents_new) == (len(link_reports), 0)
    assert again.documents_skipped == len(link_reports)
    assert (_exports(store_url), services.store_counts(store_url)) == before


def test_services_ingest_links_reports_of_one_incident(store_url, link_reports):
    report = services.ingest_extracted(store_url, link_reports)
    events = {s.event.event_id: s for s in services.find_events(store_url)}
    khan = events["fakes-1923848146-0"]  # the first report founded the event
    assert khan.n_sources == 3 and khan.event.fatalities == 58
    assert khan.event.location == "Khan Shaykhun"
    assert {s.outlet for s in khan.event.sources} == {"Ahram Online", "The New Arab"}
    qamishli = events["fakes-1923848164-0"]
    assert qamishli.n_sources == 2 and qamishli.event.fatalities == 31
    assert "fakes-1926479326-0" in events and "fakes-1924058123-0" in events  # kept apart
    assert report.events_created == len(events) == 5
    assert report.reports_merged == 3


def test_services_ingest_is_incremental(store_url, link_reports):
    services.ingest_extracted(store_url, link_reports[:1])
    services.ingest_extracted(store_url, link_reports[1:])
    detail = services.get_event(store_url, "fakes-1923848146-0")
    assert len(detail.reports) == 3
    merges = [d for d in detail.decisions if d.decision == "merge"]
    assert len(merges) == 2 and all(d.score >= 0.6 and "place" in d.features for d in merges)


def test_services_split_takes_a_report_out_and_keeps_the_history(store_url, link_reports):
    services.ingest_extracted(store_url, link_reports)
    detail = services.get_event(store_url, "fakes-1923848146-0")
    moved = [r.report_id for r in detail.reports if r.event.fatalities == 86]
    new_id = services.split(store_url, moved, "the 86 toll counts a second village")
    left = services.get_event(store_url, "fakes-1923848146-0")
    split = services.get_event(store_url, new_id)
    assert left.event.n_sources == 2 and split.event.n_sources == 1
    assert split.event.event.fatalities == 86
    kinds = [(d.decision, d.features.get("reason")) for d in split.decisions]
    assert ("split", "the 86 toll counts a second village") in kinds
    assert ("merge", None) in kinds  # the original merge decision is not erased
    with pytest.raises(services.Conflict):
        services.split(store_url, [r.report_id for r in left.reports], "empty it")


def test_services_exports_acled_geojson_and_jsonl(tmp_path, link_reports):
    url = str(tmp_path / "s.sqlite")
    services.ingest_extracted(url, link_reports)
    out = _exports(url)
    rows = list(csv.DictReader(io.StringIO(out["acled-csv"])))
    assert tuple(next(csv.reader(io.StringIO(out["acled-csv"])))) == ACLED_COLUMNS
    assert len(ACLED_COLUMNS) == 31
    khan = next(r for r in rows if r["event_id_cnty"] == "fakes-1923848146-0")
    assert khan["source"] == "Ahram Online; The New Arab"
    assert khan["iso"] == "760" and khan["region"] == "Middle East"
    assert khan["disorder_type"] == "Political violence" and khan["year"] == "2017"
    assert khan["inter1"] == "State forces" and khan["interaction"] == "State forces-Civilians"
    assert khan["civilian_targeting"] == "Civilian targeting"
    geo = json.loads(out["geojson"])
    assert geo["type"] == "FeatureCollection" and len(geo["features"]) == len(rows)
    assert geo["features"][0]["geometry"]["type"] == "Point"
    records = [json.loads(line) for line in out["jsonl"].splitlines()]
    assert sum(len(r["sources"]) for r in records) == 8  # every report kept


def test_services_export_filters(tmp_path, link_reports):
    url = str(tmp_path / "s.sqlite")
    services.ingest_extracted(url, link_reports)
    buf = io.StringIO()
    n = services.export_events(url, "jsonl", EventQuery(admin1="Al-Hasakeh"), buf)
    record = json.loads(buf.getvalue())
    assert n == 1 and record["admin2"] == "Al-Qamishli" and record["fatalities"] == 31


# A child process that dies (SIGKILL, no clean-up) inside the k-th decision write, i.e.
# in the middle of storing a document whose transaction is still open.
_KILLED_CHILD = """
import os, signal, sys
from eventwire import services
from eventwire.store.db import Store
calls = {"n": 0}
original = Store.add_decision
def dying(self, *args, **kwargs):
    calls["n"] += 1
    if calls["n"] == int(sys.argv[2]):
        os.kill(os.getpid(), signal.SIGKILL)
    return original(self, *args, **kwargs)
Store.add_decision = dying
"""


def _run_child(code: str, *args: str) -> int:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-c", code, *args], env=env, cwd=ROOT).returncode


_FIXTURE_INGEST = """
import datetime as dt, json
from eventwire.records import Article, Event
docs = []
for line in open(sys.argv[3], encoding="utf-8"):
    row = json.loads(line); d = row["doc"]
    docs.append((Article(d["id"], d["text"], outlet=d["outlet"],
                         published=dt.date.fromisoformat(d["published"])),
                 [Event.from_record(e) for e in row["events"]]))
services.ingest_extracted(sys.argv[1], docs)
"""


def test_services_killed_ingest_resumes_to_the_same_store(store_url, tmp_path):
    whole = str(tmp_path / "whole.sqlite")
    assert _run_child(_KILLED_CHILD + _FIXTURE_INGEST, whole, "0", str(LINK_REPORTS)) == 0
    assert _run_child(_KILLED_CHILD + _FIXTURE_INGEST, store_url, "5", str(LINK_REPORTS)) == -9
    assert services.store_counts(store_url)["documents"] < 7  # it really died part-way
    assert _run_child(_KILLED_CHILD + _FIXTURE_INGEST, store_url, "0", str(LINK_REPORTS)) == 0
    a, b = _exports(whole), _exports(store_url)
    assert a["jsonl"] == b["jsonl"] and a["geojson"] == b["geojson"]
    assert _without_timestamp(a["acled-csv"]) == _without_timestamp(b["acled-csv"])
    assert services.store_counts(whole) == services.store_counts(store_url)


@needs_pipeline
@pytest.mark.slow
def test_services_ingest_seeds_twice_gives_identical_exports(tmp_path):
    seeds = str(SAMPLES / "seeds.jsonl")
    url, fresh = str(tmp_path / "a.sqlite"), str(tmp_path / "b.sqlite")
    first = services.ingest([seeds], url)
    exports = _exports(url)
    again = services.ingest([seeds], url)
    assert first.documents_new == 5 and again.documents_new == 0
    assert _exports(url) == exports  # same store twice: nothing changed at all
    services.ingest([seeds], fresh)
    other = _exports(fresh)  # a fresh store: same events, same ids
    assert other["jsonl"] == exports["jsonl"] and exports["jsonl"]
    assert _without_timestamp(other["acled-csv"]) == _without_timestamp(exports["acled-csv"])


_SEEDS_INGEST = "services.ingest([sys.argv[3]], sys.argv[1])\n"


@needs_pipeline
@pytest.mark.slow
def test_services_killed_seed_ingest_resumes_to_the_same_store(tmp_path):
    seeds = str(SAMPLES / "seeds.jsonl")
    whole, resumed = str(tmp_path / "whole.sqlite"), str(tmp_path / "resumed.sqlite")
    assert _run_child(_KILLED_CHILD + _SEEDS_INGEST, whole, "0", seeds) == 0
    total = services.store_counts(whole)["merge_decisions"]
    assert total >= 3
    assert _run_child(_KILLED_CHILD + _SEEDS_INGEST, resumed, str(total // 2 + 1), seeds) == -9
    assert _run_child(_KILLED_CHILD + _SEEDS_INGEST, resumed, "0", seeds) == 0
    a, b = _exports(whole), _exports(resumed)
    assert a["jsonl"] == b["jsonl"]
    assert _without_timestamp(a["acled-csv"]) == _without_timestamp(b["acled-csv"])


def test_services_linking_does_not_depend_on_arrival_order(tmp_path, link_reports):
    import dataclasses
    docs = {a.id: (a, events) for a, events in link_reports}
    # Ahram's telling filed under another governorate, and The New Arab's town report: two
    # governorates, one of them a named spot, so two events (issue 12), whichever arrives first.
    article, events = docs["fakes-1923848146"]
    loose = (article, [dataclasses.replace(events[0], admin1="Hama", location="Hama")])
    town = docs["fakes-1923102872"]
    for name, order in (("region-first", [loose, town]), ("town-first", [town, loose])):
        url = str(tmp_path / f"{name}.sqlite")
        report = services.ingest_extracted(url, order)
        assert (report.events_created, report.reports_merged) == (2, 0), name


def test_services_a_copy_under_another_id_is_a_source_of_the_same_event(store_url, link_reports):
    # A wire story reprinted by another outlet has the same text under a new id: it is one
    # more source of the events the original told, never a new event and never dropped.
    first_article, first_events = link_reports[0]
    services.ingest_extracted(store_url, link_reports)
    before = {s.event.event_id: s for s in services.find_events(store_url)}
    reprint = dataclasses.replace(first_article, id="reprint-of-" + first_article.id,
                                  outlet="A Reprinting Outlet")
    again = services.ingest_extracted(store_url, [(reprint, [])])
    assert (again.documents_new, again.copies_recorded, again.documents_skipped) == (0, 1, 0)
    after = {s.event.event_id: s for s in services.find_events(store_url)}
    assert set(after) == set(before)  # no new event
    copied = services.document_reports(store_url, reprint.id)
    assert [r.event_id for r in copied] == [
        r.event_id for r in services.document_reports(store_url, first_article.id)]
    event = after[copied[0].event_id]
    assert event.n_sources == before[copied[0].event_id].n_sources + 1
    assert "A Reprinting Outlet" in {s.outlet for s in event.event.sources}
    # Same figures, and the copy is no independent corroboration of the incident.
    assert event.event.fatalities == before[copied[0].event_id].event.fatalities
    assert event.event.confidence == before[copied[0].event_id].event.confidence
    # Ingesting the copy again changes nothing.
    twice = services.ingest_extracted(store_url, [(reprint, [])])
    assert (twice.copies_recorded, twice.documents_skipped) == (0, 1)
    assert services.get_event(store_url, event.event.event_id).event.n_sources == event.n_sources


def test_services_a_date_window_aggregate_is_the_one_sql_gives(store_url, link_reports):
    # a dates-only view is rolled up from the store's per-day answer; it must equal the
    # window's own query for every window edge, grouping and interval
    from eventwire.store.analytics import Analytics
    from eventwire.store.db import open_store
    from eventwire.store.query import EventQuery
    services.ingest_extracted(store_url, link_reports)
    windows = [("2013-08-21", "2013-08-21"), ("2016-01-01", "2016-12-31"), ("2017-04-04", None),
               (None, "2016-07-27"), ("2011-01-01", "2030-01-01"), ("2019-01-01", "2019-02-01")]
    with open_store(store_url) as s:
        for date_from, date_to in windows:
            q = EventQuery(date_from=date_from, date_to=date_to)
            for by in ("event_type", "admin1", "actor"):
                for interval in ("day", "week", "month", "total"):
                    direct = Analytics(s).aggregate(q, by, interval)
                    assert services.aggregates(store_url, q, by, interval) == direct, (q, by, interval)
    assert any(services.aggregates(store_url, EventQuery(date_from=f, date_to=t), "event_type", "week")
               for f, t in windows)
