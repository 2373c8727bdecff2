"""The dashboard in a real headless Chromium on a store built from the seed articles: map
markers, highlighted sentences, timeline brushing, filters, downloads, keyboard use, adding
news and hostile text."""
from __future__ import annotations

import csv
import json
import re
import time
import urllib.parse
import urllib.request

import pytest

pytestmark = pytest.mark.slow

ARTICLE = ("DARAA, Syria (SANA) - Two civilians were killed on 3 March 2024 when an explosive"
           " device planted by unidentified gunmen went off in the town of Jasim in the"
           " countryside of Daraa, a local source said. Three others were wounded.")
HOSTILE = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>'


def _api(server, path: str, **params) -> dict:
    url = f"{server.url}{path}?{urllib.parse.urlencode(params)}"
    with urllib.request.urlopen(url, timeout=20) as r:
        return json.loads(r.read())


def _wait(browser, condition, timeout: float = 15, what: str = "condition"):
    from selenium.webdriver.support.ui import WebDriverWait
    return WebDriverWait(browser, timeout).until(lambda d: condition(d), message=what)


def _open(browser, server, query: str = "") -> None:
    browser.get(f"{server.url}/{query}")
    _wait(browser, lambda d: d.find_element("id", "events-table").get_attribute("data-total")
          and d.find_element("id", "map").get_attribute("data-points"), what="dashboard loaded")
    assert not browser.find_element("id", "status").get_attribute("class").count("error"), \
        browser.find_element("id", "status").text


def _params(browser) -> dict:
    return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(browser.current_url).query))


def _table_total(browser) -> int:
    return int(browser.find_element("id", "events-table").get_attribute("data-total"))


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _visible_marker(browser):
    """A single-event marker on screen, opening clusters until one shows."""
    for _ in range(6):
        markers = [m for m in browser.find_elements("css selector", ".ew-marker")
                   if m.is_displayed() and m.get_attribute("data-event-id")]
        if markers:
            return markers[0]
        clusters = browser.find_elements("css selector", ".marker-cluster")
        assert clusters, "neither markers nor clusters on the map"
        clusters[0].click()
        time.sleep(0.8)  # the zoom/spiderfy animation
    raise AssertionError("no marker became visible")


def test_dashboard_marker_click_shows_highlighted_sentence(browser, live_server):
    _open(browser, live_server)
    marker = _visible_marker(browser)
    event_id = marker.get_attribute("data-event-id")
    marker.click()
    _wait(browser, lambda d: d.find_element("id", "panel").get_attribute("data-event-id")
          == event_id and d.find_elements("css selector", "#panel mark.hl"),
          what="event panel with highlights")
    event = _api(live_server, f"/events/{event_id}")["event"]
    marks = [_squash(m.text) for m in browser.find_elements("css selector", "#panel mark.hl")]
    for src in event["sources"]:
        assert any(_squash(src["quote"]) in m for m in marks), (src["quote"], marks)
    panel = browser.find_element("id", "panel").text
    assert event["sources"][0]["outlet"] is None or event["sources"][0]["outlet"] in panel
    assert "Claims by source" in panel and "Merge history" in panel
    assert _params(browser)["event"] == event_id  # the open event is part of the shared URL


def test_dashboard_timeline_brush_filters_map_and_table(browser, live_server):
    from selenium.webdriver.common.action_chains import ActionChains
    _open(browser, live_server)
    everything = _table_total(browser)
    chart = browser.find_element("id", "timeline")
    width = chart.size["width"]
    ActionChains(browser).move_to_element_with_offset(chart, int(width * 0.05), 0) \
        .click_and_hold().move_by_offset(int(width * 0.4), 0).release().perform()
    _wait(browser, lambda d: "date_from" in _params(d), what="brush written to the URL")
    p = _params(browser)
    want = _api(live_server, "/events", date_from=p["date_from"], date_to=p["date_to"])
    points = _api(live_server, "/points", date_from=p["date_from"], date_to=p["date_to"])
    _wait(browser, lambda d: _table_total(d) == want["total"]
          and d.find_element("id", "map").get_attribute("data-points") == str(points["count"]),
          what="map and table follow the brush")
    assert 0 < want["total"] < everything
    dates = [td.text for td in browser.find_elements(
        "css selector", "#events-table tbody tr td:first-child")]
    assert all(p["date_from"] <= d <= p["date_to"] for d in dates if d != "—")
    assert browser.find_element("id", "f-date_from").get_attribute("value") == p["date_from"]


def test_dashboard_actor_filter_and_csv_download_match(browser, live_server, download_dir):
    from selenium.webdriver.common.keys import Keys
    _open(browser, live_server)
    box = browser.find_element("id", "f-actor")
    box.clear()
    box.send_keys("Coalition", Keys.ENTER)
    _wait(browser, lambda d: _params(d).get("actor") == "Coalition", what="actor in the URL")
    want = _api(live_server, "/events", actor="Coalition", limit=1000)
    _wait(browser, lambda d: _table_total(d) == want["total"], what="table filtered")
    assert 0 < want["total"]
    for row in browser.find_elements("css selector", "#events-table tbody tr"):
        cells = row.find_elements("tag name", "td")
        assert "coalition" in (cells[3].text + cells[4].text).lower()
    for old in download_dir.glob("*"):
        old.unlink()
    browser.find_element("id", "dl-acled-csv").click()
    _wait(browser, lambda d: list(download_dir.glob("*.csv")), what="CSV downloaded")
    path = next(download_dir.glob("*.csv"))
    _wait(browser, lambda d: path.stat().st_size > 0)
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    assert {r["event_id_cnty"] for r in rows} == {e["event_id"] for e in want["events"]}
    for r in rows:
        actors = " ".join(r[k] for k in ("actor1", "actor2", "assoc_actor_1", "assoc_actor_2"))
        assert "coalition" in actors.lower()


def test_dashboard_shared_url_restores_filters_and_event(browser, live_server):
    events = _api(live_server, "/events", actor="Islamic State", event_type="Battles")
    assert events["total"] > 0
    target = events["events"][0]["event_id"]
    _open(browser, live_server, f"?actor=Islamic+State&event_type=Battles&event={target}")
    assert browser.find_element("id", "f-actor").get_attribute("value") == "Islamic State"
    assert browser.find_element("id", "f-event_type").get_attribute("value") == "Battles"
    _wait(browser, lambda d: d.find_element("id", "panel").get_attribute("data-event-id")
          == target, what="shared event opened")
    assert _table_total(browser) == events["total"]


def test_dashboard_is_usable_by_keyboard(browser, live_server):
    from selenium.webdriver.common.keys import Keys
    _open(browser, live_server)
    sort = browser.find_element("css selector", "th[data-sort=fatalities] button")
    sort.send_keys(Keys.ENTER)
    _wait(browser, lambda d: _params(d).get("sort") == "fatalities", what="sorted by keyboard")
    # aria-sort is set once the sorted rows are in (the URL changes before they arrive)
    _wait(browser, lambda d: d.find_element("css selector", "th[data-sort=fatalities]")
          .get_attribute("aria-sort") == "descending", what="sorted rows shown")
    row = browser.find_element("css selector", "#events-table tbody tr")
    event_id = row.get_attribute("data-event-id")
    row.send_keys(Keys.ENTER)
    _wait(browser, lambda d: d.find_element("id", "panel").get_attribute("data-event-id")
          == event_id, what="row opened by Enter")
    chart = browser.find_element("id", "timeline")
    chart.send_keys(Keys.ARROW_RIGHT)
    _wait(browser, lambda d: "date_from" in _params(d), what="brush moved by keyboard")
    chart.send_keys(Keys.ESCAPE)
    _wait(browser, lambda d: "date_from" not in _params(d), what="brush cleared by Escape")


def test_dashboard_add_news_from_the_page(browser, live_server, token):
    _open(browser, live_server)
    before = _table_total(browser)
    browser.find_element("id", "add-news-open").click()
    form = browser.find_element("id", "add-news-form")
    form.find_element("name", "text").send_keys(ARTICLE)
    form.find_element("name", "outlet").send_keys("SANA")
    form.find_element("name", "token").send_keys("not-the-token")
    browser.find_element("id", "add-news-submit").click()
    _wait(browser, lambda d: "Not added" in d.find_element("id", "add-news-result").text,
          what="wrong token refused")
    form.find_element("name", "token").clear()
    form.find_element("name", "token").send_keys(token)
    browser.find_element("id", "add-news-submit").click()
    _wait(browser, lambda d: d.find_elements("css selector", "#add-news-result .new-events li"),
          timeout=60, what="coded events listed")
    assert "1 new document" in browser.find_element("id", "add-news-result").text
    _wait(browser, lambda d: _table_total(d) > before, what="table refreshed")


def test_dashboard_shows_hostile_text_as_text(browser, live_server, live_db):
    from eventwire import services
    from eventwire.records import Article, Event, Source
    text = f"Gunmen {HOSTILE} attacked a checkpoint near Saraqab, killing 3 soldiers."
    article = Article(id="hostile", text=text, outlet=f"Outlet {HOSTILE}")
    source = Source("hostile", article.outlet, None, None, text, 0, len(text), [[0, len(text)]])
    event = Event("ew-hostile", "hostile", "2019-05-05", 1, "Battles", "Armed clash",
                  f"Militia {HOSTILE}", None, None, None, 3, None, 30, False, "Syria", "Idleb",
                  None, None, f"Saraqab {HOSTILE}", 35.86, 36.80, 1, 3, None, None,
                  f"On 5 May 2019, {HOSTILE} attacked.", [source], 0.9)
    services.ingest_extracted(live_db, [(article, [event])])
    _open(browser, live_server, "?event=ew-hostile")
    _wait(browser, lambda d: d.find_elements("css selector", "#panel mark.hl"),
          what="hostile event opened")
    assert browser.execute_script("return window.__pwned === undefined")
    assert not browser.find_elements("css selector", "#panel img, #panel script")
    assert HOSTILE in browser.find_element("css selector", "#panel mark.hl").text
    assert f"Militia {HOSTILE}" in browser.find_element("id", "events-table").text \
        or f"Militia {HOSTILE}" in browser.find_element("id", "panel").text


def test_dashboard_brief_of_filtered_view_cites_events_and_downloads_pdf(
        browser, live_server, download_dir):
    _open(browser, live_server)
    browser.find_element("id", "f-admin1").send_keys("Deir-ez-Zor")
    browser.find_element("id", "apply").click()
    _wait(browser, lambda d: _params(d).get("admin1") == "Deir-ez-Zor", what="admin1 applied")
    browser.find_element("id", "brief-link").click()
    _wait(browser, lambda d: d.find_elements("id", "brief"), what="brief page")
    assert "Deir-ez-Zor" in browser.find_element("css selector", "#brief h1").text
    cite = browser.find_element("css selector", "#brief a[href='#ref-1']")
    cite.click()
    assert browser.current_url.endswith("#ref-1")
    link = browser.find_element("css selector", "#ref-1 a.event-link")
    event_id = link.text
    assert _api(live_server, f"/events/{event_id}")["event"]["admin1"] == "Deir-ez-Zor"
    link.click()
    _wait(browser, lambda d: event_id in d.find_element("tag name", "body").text,
          what="cited event page")
    browser.back()
    for old in download_dir.glob("*"):
        old.unlink()
    browser.find_element("id", "brief-pdf").click()
    _wait(browser, lambda d: [p for p in download_dir.glob("*.pdf") if p.stat().st_size],
          timeout=30, what="PDF downloaded")
    pdf = next(download_dir.glob("*.pdf"))
    _wait(browser, lambda d: not list(download_dir.glob("*.crdownload")), what="download done")
    assert pdf.read_bytes().startswith(b"%PDF")
