"""The dashboard's map in a real headless Chromium: clusters coloured by their dominant
event type (as the legend), a view fitted to the bulk of the events and not to a stray one,
unmapped events counted, an opened event brought into view, the view kept in the URL, admin
areas shaded by their events, and the time player."""
from __future__ import annotations

import json
import shutil
import time
import urllib.parse
import urllib.request

import pytest

pytestmark = pytest.mark.slow

BOISE = (43.615, -116.202)  # far from every seed event (all in Syria)


def _wait(browser, condition, timeout: float = 20, what: str = "condition"):
    from selenium.webdriver.support.ui import WebDriverWait
    return WebDriverWait(browser, timeout).until(lambda d: condition(d), message=what)


def _get(server, path: str, **params) -> dict:
    url = f"{server.url}{path}?{urllib.parse.urlencode(params)}"
    with urllib.request.urlopen(url, timeout=20) as r:
        return json.loads(r.read())


def _open(browser, server, query: str = "") -> None:
    browser.get(f"{server.url}/{query}")
    _wait(browser, lambda d: d.find_element("id", "events-table").get_attribute("data-total")
          and d.find_element("id", "map").get_attribute("data-points")
          and d.find_element("id", "map").get_attribute("data-view"), what="dashboard loaded")


def _js(browser, script: str):
    return browser.execute_script(script)


@pytest.fixture(scope="module")
def map_server(tmp_path_factory, seed_db, token, serve, api):
    """The seed store with one event moved to Idaho (a namesake's place) and one unplaced,
    as an analyst's corrections would leave them."""
    from eventwire.web.app import create_app
    from eventwire.services import WebSettings
    db = tmp_path_factory.mktemp("map") / "map.sqlite"
    shutil.copy(seed_db, db)
    with serve(create_app(WebSettings(db_url=str(db), token=token))) as server:
        events = _get(server, "/events", limit=100)["events"]
        placed = [e for e in events if e["latitude"] is not None]
        server.stray, server.unplaced = placed[0]["event_id"], placed[1]["event_id"]
        api(server, "PATCH", f"/events/{server.stray}", {
            "latitude": BOISE[0], "longitude": BOISE[1], "reason": "test: a namesake's place"},
            token)
        api(server, "PATCH", f"/events/{server.unplaced}", {
            "latitude": None, "longitude": None, "reason": "test: place unknown"}, token)
        server.total = len(events)
        yield server


def test_view_fits_the_bulk_and_counts_strays_and_unmapped(browser, map_server):
    _open(browser, map_server)
    _wait(browser, lambda d: d.find_element("id", "map").get_attribute("data-view"),
          what="view fitted")
    bounds = _js(browser, "const b = map.getBounds(); return [b.getWest(), b.getSouth(),"
                          " b.getEast(), b.getNorth()]")
    west, south, east, north = bounds
    assert not (west <= BOISE[1] <= east and south <= BOISE[0] <= north), bounds
    assert east - west < 30, bounds  # not the world: the events' bulk in Syria
    syria = [e for e in _get(map_server, "/events", limit=100)["events"]
             if e["latitude"] is not None and e["event_id"] != map_server.stray]
    for e in syria:
        assert west <= e["longitude"] <= east and south <= e["latitude"] <= north, e
    m = browser.find_element("id", "map")
    assert m.get_attribute("data-unmapped") == "1"
    assert m.get_attribute("data-outliers") == "1"
    note = browser.find_element("id", "map-note").text
    assert "1 event not on the map" in note and "1 far from the rest" in note


def test_clusters_take_their_dominant_types_colour(browser, map_server):
    _open(browser, map_server, "?map=5/35.5/39.5")
    _wait(browser, lambda d: d.find_elements("css selector", ".ew-cluster-dot"),
          what="clusters drawn")
    legend = _js(browser, "return Object.fromEntries([...document.querySelectorAll('#legend li')]"
                          ".map(li => [li.textContent.trim(),"
                          " getComputedStyle(li.querySelector('.sw')).backgroundColor]))")
    clusters = _js(browser, """
      const out = [];
      map.eachLayer(l => {
        if (l.getAllChildMarkers) {
          const kids = l.getAllChildMarkers().map(m => m.options.eventType);
          const dot = l.getElement() && l.getElement().querySelector('.ew-cluster-dot');
          if (dot) out.push({kids, type: dot.dataset.dominantType,
                             colour: getComputedStyle(dot).backgroundColor});
        }
      });
      return out;""")
    assert clusters
    for c in clusters:
        counts = {t: c["kids"].count(t) for t in set(c["kids"])}
        assert counts[c["type"]] == max(counts.values()), c
        assert c["colour"] == legend[c["type"]], (c, legend)


def test_opening_an_event_brings_it_into_view(browser, map_server):
    _open(browser, map_server, "?map=4/30/20")
    row = next(r for r in browser.find_elements("css selector", "#events-table tbody tr")
               if r.get_attribute("data-event-id") not in (map_server.stray,
                                                           map_server.unplaced))
    event_id = row.get_attribute("data-event-id")
    row.click()
    event = _get(map_server, f"/events/{event_id}")["event"]
    _wait(browser, lambda d: _js(d, "return map.getZoom()") >= 9, what="zoomed in")
    _wait(browser, lambda d: d.find_elements(
        "css selector", f'.ew-selected[data-event-id="{event_id}"]'), what="marker shown")
    inside = _js(browser, f"return map.getBounds().contains([{event['latitude']},"
                          f" {event['longitude']}])")
    assert inside


def test_the_view_goes_into_the_url(browser, map_server):
    _open(browser, map_server)
    _js(browser, "map.setView([35.33, 40.14], 11, {animate: false})")
    def view_in_url(d):
        view = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(d.current_url).query)).get("map")
        if not view:
            return False
        zoom, lat, lon = map(float, view.split("/"))
        return zoom == 11 and abs(lat - 35.33) < 1e-3 and abs(lon - 40.14) < 1e-3
    _wait(browser, view_in_url, what="view in URL")
    url = browser.current_url
    browser.get("about:blank")
    browser.get(url)
    _wait(browser, lambda d: d.find_element("id", "map").get_attribute("data-points"),
          what="reloaded")
    time.sleep(0.5)
    zoom, lat, lon = _js(browser, "const c = map.getCenter(); return [map.getZoom(), c.lat, c.lng]")
    assert zoom == 11 and abs(lat - 35.33) < 1e-3 and abs(lon - 40.14) < 1e-3


@pytest.mark.parametrize("level", ["admin1", "admin2"])
def test_areas_are_shaded_by_their_events(browser, map_server, level):
    _open(browser, map_server, f"?shade={level}")
    _wait(browser, lambda d: d.find_element("id", "map").get_attribute("data-shaded") == level
          and d.find_elements("css selector", ".leaflet-choropleth-pane path[data-area]"),
          what="shaded areas")
    agg = _get(map_server, "/aggregates", by=level, interval="total")["rows"]
    expected = {r["key"]: r["events"] for r in agg if r["key"]}
    assert expected
    paths = browser.find_elements("css selector", ".leaflet-choropleth-pane path[data-area]")
    shown = {p.get_attribute("data-area"): int(p.get_attribute("data-events")) for p in paths}
    for name, n in expected.items():
        assert shown.get(name) == n, (name, n, shown)
    top = max(expected, key=expected.get)
    fills = {p.get_attribute("data-area"): p.get_attribute("fill") for p in paths}
    darkest = "#54391f" if max(expected.values()) > 1 else None
    if darkest:
        assert fills[top] == darkest, fills


def test_the_time_player_steps_through_the_periods(browser, map_server):
    _open(browser, map_server)
    browser.find_element("id", "play").click()
    seen = []
    deadline = time.time() + 20
    while time.time() < deadline and len(seen) < 2:
        params = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(browser.current_url).query))
        window = (params.get("date_from"), params.get("date_to"))
        if window[0] and window not in seen:
            seen.append(window)
        time.sleep(0.2)
    browser.find_element("id", "play").click()  # pause
    assert len(seen) >= 2 and seen[0][0] < seen[1][0], seen
    _wait(browser, lambda d: _js(d, "return document.getElementById('play').textContent")
          == "Play", what="paused")
    time.sleep(1.5)  # the table of the last window shown has loaded
    params = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(browser.current_url).query))
    expected = _get(map_server, "/events", date_from=params["date_from"],
                    date_to=params["date_to"], limit=1)["total"]
    shown = int(browser.find_element("id", "events-table").get_attribute("data-total"))
    assert shown == expected and shown > 0
    assert browser.find_element("id", "time-window").text.startswith(params["date_from"])


def test_the_map_says_when_the_basemap_of_its_view_is_drawn(browser, map_server):
    # data-basemap-pending stands from a move until that view's layers are drawn, so a
    # screenshot (tools/web_screenshots.py) or a test can wait for the basemap it shows.
    _open(browser, map_server)
    drawn = ("return document.querySelector(\"#map[data-basemap]:not([data-basemap=''])"
             ":not([data-basemap-pending])\") !== null")
    _wait(browser, lambda d: _js(d, drawn), what="the fitted view's basemap drawn")
    # the move and the look in one script: on a loaded machine the new view's basemap can be
    # drawn between two WebDriver calls, and the mark would already be gone
    assert _js(browser, "map.setView([35.2, 40.3], 10, {animate: false});"
                        " return document.getElementById('map').dataset.basemapPending")
    _wait(browser, lambda d: _js(d, drawn), what="the new view's basemap drawn")
    layers = _js(browser, "return document.getElementById('map').dataset.basemap").split()
    assert {"rivers", "towns"} <= set(layers), layers  # the Euphrates at Deir ez-Zor, its towns
