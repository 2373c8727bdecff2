"""The analyst's loop over the API: corrections with their history, split, merge, the review
queue, saved searches and their Atom feeds; on SQLite and PostgreSQL."""
from __future__ import annotations

import pytest

from eventwire import services

H = {"Authorization": "Bearer test-token-5f1c"}


def _two_report_event(url):
    for stored in services.find_events(url):
        if stored.n_sources >= 2:
            return services.get_event(url, stored.event.event_id)
    raise AssertionError("no linked event in the fixture")


def test_corrections_patch_records_history_and_survives_a_later_report(
        store_url, link_reports, client_for, token, tmp_path):
    # Find an event two documents report (on a scratch store), then build the store under
    # test without the later document, correct the event, and ingest that document.
    scratch = str(tmp_path / "scratch.sqlite")
    services.ingest_extracted(scratch, link_reports)
    detail = _two_report_event(scratch)
    event_id, later = detail.event.event.event_id, detail.reports[-1].doc_hash
    first = [d for d in link_reports if services.document_hash(d[0]) != later]
    withheld = [d for d in link_reports if services.document_hash(d[0]) == later]
    services.ingest_extracted(store_url, first)
    with client_for(store_url, token=token) as c:
        before = c.get(f"/events/{event_id}").json()["event"]
        refused = c.patch(f"/events/{event_id}", json={"fatalities": 77, "reason": "x"})
        assert refused.status_code in (401, 403)
        assert c.get(f"/events/{event_id}").json()["event"] == before
        r = c.patch(f"/events/{event_id}", headers=H,
                    json={"fatalities": 77, "location": "Kafr Nabl",
                          "reason": "read the hospital's count", "author": "rima"})
        assert r.status_code == 200, r.text
        assert r.json()["event"]["fatalities"] == 77
        report = services.ingest_extracted(store_url, withheld)  # the later report joins
        assert report.reports_merged >= 1
        after = c.get(f"/events/{event_id}").json()
        assert len(after["event"]["sources"]) > len(before["sources"])
        assert after["event"]["fatalities"] == 77 and after["event"]["location"] == "Kafr Nabl"
        history = c.get(f"/events/{event_id}/history").json()["history"]
        edits = [h for h in history if h["kind"] == "edit"]
        assert len(edits) == 1 and edits[0]["after"] == {"fatalities": 77,
                                                         "location": "Kafr Nabl"}
        assert edits[0]["before"]["fatalities"] == before["fatalities"]
        assert edits[0]["author"] == "rima" and edits[0]["created_at"]
        assert edits[0]["reason"] == "read the hospital's count"
        assert any(h["kind"].startswith("link:") for h in history)
        exported = c.get("/export/jsonl").text
        assert '"location": "Kafr Nabl"' in exported
        # re-ingesting the same documents changes nothing
        assert services.ingest_extracted(store_url, link_reports).documents_new == 0
        assert c.get(f"/events/{event_id}").json()["event"]["fatalities"] == 77


def test_corrections_api_on_both_backends(store_url, link_reports, client_for, token):
    services.ingest_extracted(store_url, link_reports)
    detail = _two_report_event(store_url)
    event_id = detail.event.event.event_id
    others = [s.event.event_id for s in services.find_events(store_url)
              if s.event.event_id != event_id]
    with client_for(store_url, token=token) as c:
        paths = c.get("/openapi.json").json()["paths"]
        for route in ("/events/{event_id}/split", "/events/merge", "/events/{event_id}/history",
                      "/searches", "/feeds/{name}.atom", "/review"):
            assert route in paths, route
        assert "patch" in paths["/events/{event_id}"]
        # bad values are refused whole, with the reason
        for body in ({"fatalities": -1, "reason": "r"}, {"event_date": "2017-04-31",
                                                         "reason": "r"},
                     {"fatalities": 2}, {"colour": "red", "reason": "r"},
                     {"sub_event_type": "Picnic", "reason": "r"}):
            r = c.patch(f"/events/{event_id}", headers=H, json=body)
            assert r.status_code == 400, (body, r.text)
        assert c.patch("/events/nope", headers=H, json={"fatalities": 1, "reason": "r"}) \
            .status_code == 404
        r = c.patch(f"/events/{event_id}", headers=H,
                    json={"sub_event_type": "Air/drone strike", "reason": "warplanes"})
        assert r.json()["event"]["event_type"] == "Explosions/Remote violence"
        # split the last report off, then merge it back
        rid = detail.reports[-1].report_id
        assert c.post(f"/events/{event_id}/split", json={"report_ids": [rid],
                                                         "reason": "r"}).status_code == 403
        new_id = c.post(f"/events/{event_id}/split", headers=H,
                        json={"report_ids": [rid], "reason": "another day"}).json()["event_id"]
        assert new_id != event_id and c.get(f"/events/{new_id}").status_code == 200
        kept = c.post("/events/merge", headers=H, json={"event_ids": [event_id, new_id],
                                                        "reason": "same strike"}).json()
        assert kept["event_id"] == event_id
        assert c.get(f"/events/{new_id}").status_code == 404
        kinds = [h["kind"] for h in c.get(f"/events/{event_id}/history").json()["history"]]
        assert {"edit", "split", "merge"} <= set(kinds)
        assert c.get(f"/events/{new_id}/history").status_code == 200  # its split stays
        # the merged event kept the analyst's type
        assert c.get(f"/events/{event_id}").json()["event"]["sub_event_type"] \
            == "Air/drone strike"
        # review: an accepted event leaves the queue
        queue = c.get("/review", params={"format": "json", "limit": 500}).json()["events"]
        assert queue and all(q["review_reasons"] for q in queue)
        scores = [q["review_score"] for q in queue]
        assert scores == sorted(scores, reverse=True)
        top = queue[0]["event_id"]
        assert c.post(f"/events/{top}/accept", headers=H, json={}).status_code == 200
        again = c.get("/review", params={"format": "json", "limit": 500}).json()["events"]
        assert top not in {q["event_id"] for q in again}
        assert others  # the fixture holds more than one event


def test_corrections_saved_search_feed_parses_with_feedparser(seed_db, client_for, token,
                                                              tmp_path):
    import shutil

    import feedparser
    db = tmp_path / "feed.sqlite"
    shutil.copy(seed_db, db)
    with client_for(str(db), token=token) as c:
        assert c.post("/searches", json={"name": "deir", "filter": {}}).status_code == 403
        bad = c.post("/searches", headers=H, json={"name": "x", "filter": {"colour": 1}})
        assert bad.status_code == 400 and "colour" in bad.json()["error"]
        bad = c.post("/searches", headers=H,
                     json={"name": "x", "filter": {"date_from": "2017-04-31"}})
        assert bad.status_code == 400
        r = c.post("/searches", headers=H, json={"name": "deir",
                                                 "filter": {"admin1": "Deir-ez-Zor"}})
        assert r.status_code == 201 and r.json()["feed"] == "/feeds/deir.atom"
        want = c.get("/events", params={"admin1": "Deir-ez-Zor", "limit": 1000}).json()
        feed_text = c.get("/feeds/deir.atom")
        assert feed_text.headers["content-type"].startswith("application/atom+xml")
        feed = feedparser.parse(feed_text.content)
        assert not feed.bozo, feed.bozo_exception
        assert feed.version == "atom10"
        assert len(feed.entries) == want["total"] > 0
        ids = [e.link.rsplit("/", 1)[1] for e in feed.entries]
        assert set(ids) == {e["event_id"] for e in want["events"]}
        dates = [next(e["event_date"] for e in want["events"] if e["event_id"] == i)
                 for i in ids]
        dated = [d for d in dates if d]
        assert dated == sorted(dated, reverse=True) and len(dated) > 1
        assert all(e.summary for e in feed.entries)
        assert c.get("/feeds/nothing.atom").status_code == 404


def test_corrections_dates_are_checked_alike_in_the_api_and_the_cli(client, seed_db):
    from click.testing import CliRunner

    from eventwire.cli import main
    bad = client.get("/events", params={"date_from": "2017-04-31"})
    assert bad.status_code == 400 and "date_from" in bad.json()["error"]
    assert client.get("/events", params={"date_from": "2017-04-30"}).status_code == 200
    result = CliRunner().invoke(main, ["export", "--db", seed_db, "--format", "jsonl",
                                       "--since", "2017-04-31"])
    assert result.exit_code == 2 and "2017-04-31" in result.output
    ok = CliRunner().invoke(main, ["export", "--db", seed_db, "--format", "jsonl",
                                   "--since", "2017-04-30"])
    assert ok.exit_code == 0, ok.output
