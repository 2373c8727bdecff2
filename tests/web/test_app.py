"""HTTP API of `eventwire serve` on a store built by ingesting the seed articles."""
from __future__ import annotations

import csv
import io
import json
import re

import pytest


def test_app_openapi_lists_every_api_route(client):
    paths = client.get("/openapi.json").json()["paths"]
    for route in ("/events", "/events/{event_id}", "/documents/{doc_id}", "/aggregates",
                  "/export/{fmt}", "/ingest", "/points", "/facets", "/brief",
                  "/brief/download/{fmt}", "/boundaries/{name}"):
        assert route in paths, route


def test_app_openapi_states_the_errors_and_formats_the_handlers_give(client):
    # schemathesis 4 found the schema silent on 400/404 and on the bbox/sort formats.
    paths = client.get("/openapi.json").json()["paths"]
    for path, item in paths.items():
        for method, operation in item.items():
            responses = operation["responses"]
            assert "400" in responses and "422" not in responses, (method, path)
            # 404: a path naming a thing, or a filter value naming nothing in the store
            filters = any(p["name"] == "admin1" for p in operation.get("parameters", []))
            assert ("404" in responses) == ("{" in path or filters), (method, path)
    params = {p["name"]: p["schema"] for p in paths["/events"]["get"]["parameters"]}
    assert re.fullmatch(params["bbox"]["anyOf"][0]["pattern"], "35.7,32.3,42.4,37.3")
    assert not re.fullmatch(params["bbox"]["anyOf"][0]["pattern"], "35.7,nan,42.4,37.3")
    assert re.fullmatch(params["sort"]["pattern"], "fatalities")
    assert not re.fullmatch(params["sort"]["pattern"], "record")
    export = paths["/export/{fmt}"]["get"]["responses"]["200"]["content"]
    assert {"text/csv; charset=utf-8", "application/geo+json"} <= set(export)


def test_app_opens_a_document_whose_id_holds_slashes(tmp_path, client_for):
    from eventwire import services
    doc = {"id": "feeds/2017/04/khan-sheikhoun", "published": "2017-04-04", "text": (
        "An air strike killed at least 58 people in the town of Khan Sheikhoun in Idlib"
        " province on Tuesday, a monitoring group said.")}
    source = tmp_path / "docs.jsonl"
    source.write_text(json.dumps(doc) + "\n", "utf-8")
    db = str(tmp_path / "s.sqlite")
    services.ingest([str(source)], db)
    with client_for(db) as c:
        page = c.get("/documents/feeds/2017/04/khan-sheikhoun")
        assert page.status_code == 200 and page.json()["doc_id"] == doc["id"]
        explained = c.get("/documents/feeds/2017/04/khan-sheikhoun/explain")
        assert explained.status_code == 200 and explained.json()["doc"] == doc["id"]
        assert c.get("/documents/feeds%2F2017%2F04%2Fkhan-sheikhoun").status_code == 200


def test_app_dashboard_is_served_with_vendored_map_and_strict_csp(client):
    page = client.get("/")
    assert page.status_code == 200
    assert "/static/vendor/leaflet/leaflet.js" in page.text and "https://" not in page.text
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert client.get("/static/vendor/leaflet/leaflet.js").status_code == 200
    assert client.get("/static/vendor/markercluster/leaflet.markercluster.js").status_code == 200


def test_app_events_filters_match_the_records(client, all_events):
    assert len(all_events) == client.get("/events").json()["total"] >= 10
    cases = {
        "actor": ("coalition", lambda e: "coalition" in " ".join(
            filter(None, [e["actor1"], e["actor2"], e["assoc_actor_1"],
                          e["assoc_actor_2"]])).lower()),
        "event_type": ("Battles", lambda e: e["event_type"] == "Battles"),
        "admin1": ("Deir-ez-Zor", lambda e: e["admin1"] == "Deir-ez-Zor"),
        "date_from": ("2021-01-01", lambda e: (e["event_date"] or "") >= "2021-01-01"),
        "min_confidence": ("0.8", lambda e: e["confidence"] >= 0.8),
        "q": ("KILL", lambda e: re.search(r"(?<![^\W_])kill", " ".join(
            [e["notes"], *(s["quote"] for s in e["sources"])]).lower())),
    }
    for name, (value, keep) in cases.items():
        got = client.get("/events", params={name: value, "limit": 1000}).json()
        want = {e["event_id"] for e in all_events if keep(e)}
        assert {e["event_id"] for e in got["events"]} == want, name
        assert got["total"] == len(want) and 0 < len(want) < len(all_events), name


def test_app_events_bbox_keeps_points_inside(client, all_events):
    bbox = (38.0, 34.0, 41.0, 36.0)
    got = client.get("/events", params={"bbox": ",".join(map(str, bbox))}).json()["events"]
    want = {e["event_id"] for e in all_events if e["latitude"] is not None
            and bbox[0] <= e["longitude"] <= bbox[2] and bbox[1] <= e["latitude"] <= bbox[3]}
    assert {e["event_id"] for e in got} == want and want


def test_app_points_are_the_newest_located_events_up_to_max_points(client, all_events):
    located = [e for e in all_events if e["latitude"] is not None]
    view = {"date_from": min(e["event_date"] for e in located if e["event_date"]),
            "date_to": "2030-12-31"}
    newest = client.get("/events", params={**view, "limit": 1000}).json()["events"]
    want = [[e[f] for f in ("event_id", "event_date", "event_type", "sub_event_type",
                            "latitude", "longitude", "fatalities")]
            for e in newest if e["latitude"] is not None]
    every = client.get("/points", params=view).json()
    assert every["fields"][0] == "event_id" and every["rows"] == want and every["count"] == len(want)
    capped = client.get("/points", params={**view, "max_points": 3}).json()
    assert capped["count"] == 3 and capped["rows"] == want[:3]
    assert client.get("/points", params={**view, "max_points": 0}).status_code == 400


def test_app_events_sort_and_pages_cover_everything_once(client, all_events):
    seen = []
    for offset in range(0, len(all_events), 5):
        page = client.get("/events", params={"sort": "fatalities", "order": "desc",
                                             "limit": 5, "offset": offset}).json()
        seen += page["events"]
    assert sorted(e["event_id"] for e in seen) == sorted(e["event_id"] for e in all_events)
    deaths = [e["fatalities"] for e in seen if e["fatalities"] is not None]
    assert deaths == sorted(deaths, reverse=True)
    asc = client.get("/events", params={"sort": "event_date", "order": "asc"}).json()["events"]
    dates = [e["event_date"] for e in asc if e["event_date"]]
    assert dates == sorted(dates)


def test_app_rejects_bad_parameters_with_a_message(client):
    assert client.get("/events", params={"sort": "record; DROP TABLE events"}).status_code == 400
    assert client.get("/events", params={"bbox": "1,2,3"}).json()["error"].startswith("bbox")
    assert client.get("/events", params={"date_from": "yesterday"}).status_code == 400
    assert client.get("/aggregates", params={"by": "notes"}).status_code == 400
    assert client.get("/export/xlsx").status_code == 404
    assert client.get("/events/no-such-event").status_code == 404


def test_app_out_of_range_values_are_400s_naming_the_parameter(client):
    for path, params, name in [
            ("/events", {"offset": "9223372036854775808"}, "offset"),
            ("/events", {"limit": "99999999999999999999"}, "limit"),
            ("/events", {"bbox": "nan,0,inf,1"}, "bbox"),
            ("/brief", {"date_from": "2023-02-29"}, "date_from"),
            ("/events", {"date_to": "2024-13-01"}, "date_to"),
            ("/brief", {"date_from": "1900-01-01", "date_to": "2024-01-01"}, "date_from")]:
        response = client.get(path, params=params, headers={"accept": "application/json"})
        assert response.status_code == 400, (path, params, response.text)
        body = response.json()
        assert name in body["error"] and body["code"] == "bad-request"
        assert "\n" not in body["error"]
    for edge in ({"date_from": "9999-12-31"}, {"date_to": "0001-01-01"},
                 {"date_from": "2024-02-29", "date_to": "2024-02-29"}):
        assert client.get("/brief", params={**edge, "format": "json"}).status_code == 200, edge
    assert client.get("/events").status_code == 200  # the connection still serves


def test_app_an_internal_error_is_a_500_with_an_id_never_a_400(client, monkeypatch):
    from eventwire import services

    def broken(_pool):  # a defect inside a service: the handler must not blame the client
        raise ValueError("an internal invariant broke")
    monkeypatch.setattr(services, "facets", broken)
    response = client.get("/facets")
    assert response.status_code == 500
    body = response.json()
    assert body["code"] == "internal-error" and len(body["id"]) == 12
    assert body["id"] in body["error"] and "invariant" not in body["error"]


def test_app_filters_are_parameters_never_sql(client, all_events):
    hostile = ["' OR '1'='1", "x%' OR 1=1 --", "%", "_"]
    for value in hostile:
        got = client.get("/events", params={"actor": value, "q": value})
        # no actor holds the text: refused as an unknown value, never read as SQL
        assert got.status_code == 404 and got.json()["code"] == "unknown-filter-value", value
    assert client.get("/events").json()["total"] == len(all_events)


def test_app_a_nul_character_is_a_400_naming_the_parameter(store_url, link_reports,
                                                           client_for):
    # `actor=%00` used to match every event on SQLite (its LIKE pattern ended at the NUL)
    # and to be a 500 on PostgreSQL (which refuses NUL in text); ids likewise.
    from eventwire import services
    services.ingest_extracted(store_url, link_reports)
    with client_for(store_url) as c:
        for name in ("actor", "location", "admin1", "country", "event_type", "q"):
            for path in ("/events", "/points", "/aggregates", "/export/jsonl"):
                answer = c.get(f"{path}?{name}=a%00")
                assert answer.status_code == 400, (path, name, answer.text)
                assert answer.json()["error"].startswith(f"{name}: "), answer.json()
        for path in ("/events/a%00", "/documents/a%00", "/documents/a%00/explain"):
            assert c.get(path).status_code == 400, path
        assert c.get("/events").json()["total"] > 0  # and the store still serves


def test_app_event_detail_has_sources_claims_and_history(client, all_events):
    event_id = all_events[0]["event_id"]
    detail = client.get(f"/events/{event_id}").json()
    assert detail["event"]["event_id"] == event_id
    assert len(detail["reports"]) == detail["event"]["n_sources"] >= 1
    assert set(detail["reports"][0]["claims"]) >= {"event_date", "actor1", "fatalities"}
    assert detail["decisions"][0]["decision"] == "new"
    src = detail["event"]["sources"][0]
    assert src["quote"] and src["end"] > src["start"] and "report_id" in src["claims"]


def test_app_event_route_answers_html_from_the_same_call(client, all_events):
    event = all_events[0]
    page = client.get(f"/events/{event['event_id']}", headers={"accept": "text/html"})
    assert page.headers["content-type"].startswith("text/html")
    assert event["sub_event_type"] in page.text
    assert client.get(f"/events/{event['event_id']}?format=json").json()["event"]


def test_app_document_spans_point_at_the_quoted_sentences(client, all_events):
    event = next(e for e in all_events if e["sources"])
    src = event["sources"][0]
    doc = client.get(f"/documents/{src['doc_id']}").json()
    mine = [s for s in doc["spans"] if s["event_id"] == event["event_id"]]
    assert [src["start"], src["end"]] in [[s["start"], s["end"]] for s in mine]
    assert any(s["quote"] == src["quote"] for s in mine)
    if doc["text"] is not None:  # stores that keep the cleaned text
        assert doc["text"][src["start"]:src["end"]] == src["quote"]


def test_app_aggregates_add_up_to_the_filtered_totals(client):
    page = client.get("/events", params={"limit": 1}).json()
    for by in ("event_type", "admin1", "none"):
        for interval in ("day", "week", "total"):
            rows = client.get("/aggregates", params={"by": by, "interval": interval}).json()
            assert sum(r["events"] for r in rows["rows"]) == page["total"], (by, interval)
            assert sum(r["fatalities"] for r in rows["rows"]) == page["fatalities"]
    weeks = client.get("/aggregates", params={"by": "none", "interval": "week"}).json()["rows"]
    import datetime as dt
    for r in weeks:
        if r["period"]:
            assert dt.date.fromisoformat(r["period"]).weekday() == 0  # weeks start on Monday
    actors = client.get("/aggregates", params={"by": "actor"}).json()["rows"]
    assert any(r["key"] == "Islamic State (Syria)" and r["events"] >= 5 for r in actors)


def test_app_exports_hold_exactly_the_filtered_view(client):
    params = {"actor": "islamic state", "date_from": "2017-01-01", "date_to": "2021-12-31"}
    want = {e["event_id"] for e in client.get("/events", params={**params, "limit": 1000})
            .json()["events"]}
    assert want
    rows = list(csv.DictReader(io.StringIO(client.get("/export/acled-csv", params=params).text)))
    assert {r["event_id_cnty"] for r in rows} == want
    for r in rows:
        assert "islamic state" in (r["actor1"] + r["actor2"] + r["assoc_actor_1"]
                                   + r["assoc_actor_2"]).lower()
        assert "2017-01-01" <= r["event_date"] <= "2021-12-31"
    geo = client.get("/export/geojson", params=params)
    assert {f["id"] for f in geo.json()["features"]} == want
    lines = client.get("/export/jsonl", params=params).text.splitlines()
    assert {json.loads(x)["event_id"] for x in lines} == want
    assert "attachment" in geo.headers["content-disposition"]


def test_app_export_is_the_cli_export_byte_for_byte(client, seed_db):
    # One services function behind both edges: same filter, same total order, same bytes
    # (the dashboard's export used to follow the table's sort, whose ties are unordered).
    from click.testing import CliRunner

    from eventwire.cli import main
    params = {"actor": "islamic state", "sort": "fatalities", "order": "asc"}
    cli = CliRunner().invoke(main, ["export", "--db", seed_db, "--format", "jsonl",
                                    "--actor", "islamic state"])
    assert cli.exit_code == 0, cli.output
    web = client.get("/export/jsonl", params=params).text
    assert web and web == cli.stdout


def test_app_brief_of_an_unknown_admin1_is_a_404_naming_the_nearest(client):
    # the one filter-value check (filter_values): well-formed, but nothing of that name is there
    for path in ("/brief", "/brief/download/md"):
        answer = client.get(path, params={"admin1": "Deir Zor North", "format": "json"})
        assert answer.status_code == 404, answer.text
        assert "nearest known: Deir-ez-Zor" in answer.text
    for known in ("Deir-ez-Zor", "Deir ez Zor"):  # the region's name, and an alias spelling
        assert client.get("/brief", params={"admin1": known, "format": "json"}).status_code == 200


def test_app_boundaries_served_and_names_checked(client):
    layer = client.get("/boundaries/countries").json()
    assert layer["features"][0]["properties"]["name"] == "<b>Syria</b>"
    assert client.get("/boundaries/..%2F..%2Fetc%2Fpasswd").status_code == 404
    assert client.get("/boundaries/admin9").status_code == 404
    assert client.get("/config").json()["boundaries"] == ["countries"]


def test_app_writing_is_off_without_a_server_token(client):
    r = client.post("/ingest", data={"text": "Gunmen killed two men in Aleppo on Monday."})
    assert r.status_code == 403 and "--token" in r.json()["error"]
    assert client.get("/config").json()["write_enabled"] is False


@pytest.fixture()
def writable(tmp_path, seed_db, boundaries_dir, client_for, token):
    import shutil
    db = tmp_path / "w.sqlite"
    shutil.copy(seed_db, db)
    with client_for(str(db), token=token, boundaries=boundaries_dir) as c:
        yield c


ARTICLE = ("DARAA, Syria (SANA) - Two civilians were killed on 3 March 2024 when an explosive"
           " device planted by unidentified gunmen went off in the town of Jasim in the"
           " countryside of Daraa, a local source said. Three others were wounded.")


def test_app_ingest_needs_the_right_token(writable, token):
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"X-Eventwire-Token": ""}):
        r = writable.post("/ingest", data={"text": ARTICLE}, headers=headers)
        assert r.status_code == 403, headers


def test_app_ingest_pasted_text_codes_new_events(writable, token):
    before = writable.get("/events").json()["total"]
    r = writable.post("/ingest", data={"text": ARTICLE, "outlet": "SANA",
                                       "published": "2024-03-04"},
                      headers={"Authorization": f"Bearer {token}"})
    body = r.json()
    assert r.status_code == 200, body
    assert body["documents_new"] == 1 and body["events"]
    assert writable.get("/events").json()["total"] == before + body["events_created"]
    again = writable.post("/ingest", data={"text": ARTICLE},
                          headers={"X-Eventwire-Token": token}).json()
    assert again["documents_skipped"] == 1 and again["events_created"] == 0


def test_app_ingest_uploaded_file_uses_the_same_pipeline(writable, token):
    files = [("files", ("jasim.txt", ARTICLE.encode(), "text/plain"))]
    body = writable.post("/ingest", files=files, headers={"X-Eventwire-Token": token}).json()
    assert body["documents_new"] == 1
    assert all(e["doc_id"] == "jasim" for e in body["events"])


def test_app_ingest_problems_name_the_file_not_the_server_folder(writable, token):
    import tempfile
    files = [("files", ("menu.html", b"<html><body><nav>Home</nav></body></html>", "text/html"))]
    body = writable.post("/ingest", files=files, headers={"X-Eventwire-Token": token}).json()
    assert body["problems"] and all(": menu: " in p for p in body["problems"])
    assert not any(tempfile.gettempdir() in p or "eventwire-upload" in p
                   for p in body["problems"])


def test_app_refuses_host_names_it_was_not_bound_to(seed_db):
    # DNS rebinding: a page on evil.example resolving to 127.0.0.1 must not read the API.
    from fastapi.testclient import TestClient

    from eventwire.web.app import create_app
    from eventwire.services import WebSettings
    app = create_app(WebSettings(db_url=seed_db, allowed_hosts=("127.0.0.1", "localhost")))
    with TestClient(app, base_url="http://127.0.0.1:8000") as local:
        assert local.get("/facets").status_code == 200
        assert local.get("/facets", headers={"host": "evil.example"}).status_code == 400
        assert local.get("/facets", headers={"host": "localhost:8000"}).status_code == 200


def test_app_wrong_method_is_405_with_allow(client):
    response = client.post("/events")
    assert response.status_code == 405 and "GET" in response.headers["allow"]


def test_app_ingest_refuses_bad_and_oversized_files_clearly(writable, token):
    auth = {"X-Eventwire-Token": token}
    cases = [
        (("files", ("photo.jpg", b"\xff\xd8\xff\xe0", "image/jpeg")), 400, ".txt"),
        (("files", ("big.txt", b"a" * 300_000, "text/plain")), 413, "larger"),
        (("files", ("huge.txt", b"a" * 1_200_000, "text/plain")), 413, "larger"),
    ]
    for part, status, words in cases:
        r = writable.post("/ingest", files=[part], headers=auth)
        assert r.status_code == status, (part[1][0], r.text)
        assert words in r.json()["error"], r.json()
    assert writable.post("/ingest", data={"text": "  "}, headers=auth).status_code == 400


def test_app_serve_command_has_the_documented_options():
    from click.testing import CliRunner

    from eventwire.cli import main
    result = CliRunner().invoke(main, ["serve", "--help"])
    assert result.exit_code == 0
    for option in ("--db", "--host", "--port", "--token", "--tile-url", "--workers"):
        assert option in result.output
    bad = CliRunner().invoke(main, ["serve", "--db", "postgresql://nobody@127.0.0.1:1/x"])
    assert bad.exit_code != 0 and "PostgreSQL" in bad.output


def test_app_packaged_admin1_layer_is_approximate_and_spelled_like_the_gazetteer(
        seed_db, client_for, all_events):
    from importlib import resources
    with client_for(seed_db) as packaged:  # no boundaries_dir: the files in the package
        assert {"countries", "admin1"} <= set(packaged.get("/config").json()["boundaries"])
        raw = packaged.get("/boundaries/admin1")
    assert raw.status_code == 200 and len(raw.content) < 2_000_000
    features = raw.json()["features"]
    assert all(f["properties"]["approximate"] is True for f in features)
    assert {"SY", "IQ", "TR", "LB", "JO", "IL", "PS", "YE", "AF"} <= {
        f["properties"]["country"] for f in features}
    gazetteer = resources.files("eventwire.data").joinpath("gazetteer.tsv").read_text("utf-8")
    spelled = {(r[2], r[3]) for r in (line.split("\t") for line in gazetteer.splitlines())
               if len(r) > 3}
    assert all((f["properties"]["country"], f["properties"]["name"]) in spelled
               for f in features)
    syria = {f["properties"]["name"] for f in features if f["properties"]["country"] == "SY"}
    assert {e["admin1"] for e in all_events if e["country"] == "Syria"} <= syria
