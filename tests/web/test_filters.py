"""Filters that know the store: place-name aliases find the events of the place the store
spells another way, an unknown value is refused with the nearest known ones (API, CLI and
page alike), pick lists, sortable actor/location columns, notes and admin2 columns, and the
filter bar folded at 390 px -- the page parts in a real Chromium."""
from __future__ import annotations

import json
import time
import urllib.parse

import pytest
from click.testing import CliRunner

from eventwire.cli import main

# Spellings of the governorate ACLED writes "Deir-ez-Zor", as news and transliterations
# write it (the seeds' events there are stored as "Deir-ez-Zor").
DEIR_SPELLINGS = ["Deir Ezzor", "Dayr Az Zawr", "Dair al-Zour", "deir-ez-zor"]


def _total(client, **params) -> int:
    r = client.get("/events", params={"limit": 1, **params})
    assert r.status_code == 200, r.text
    return r.json()["total"]


@pytest.mark.parametrize("spelling", DEIR_SPELLINGS)
def test_admin1_aliases_find_the_stored_spelling(client, spelling):
    expected = _total(client, admin1="Deir-ez-Zor")
    assert expected >= 5
    assert _total(client, admin1=spelling) == expected


def test_location_alias_finds_the_town(client):
    expected = _total(client, location="Deir-ez-Zor")
    assert expected >= 1
    assert _total(client, location="Dayr Az Zawr") == expected


@pytest.mark.parametrize("field, value, near", [
    ("location", "Qwertyville", None),
    ("admin1", "Idleb North", "Idleb"),
    ("event_type", "Battle", "Battles"),
    ("country", "Syriaa", "Syria"),
    ("actor", "Islamic Stat of Iraq", None),
])
def test_an_unknown_value_is_refused_with_the_nearest_known(client, field, value, near):
    r = client.get("/events", params={field: value})
    assert r.status_code == 404, r.text
    body = r.json()
    assert body["code"] == "unknown-filter-value"
    assert repr(value) in body["error"] and "nearest known:" in body["error"]
    if near:
        assert near in body["error"].split("nearest known:")[1]
    # the other routes of the same view refuse it the same way
    for path in ("/points", "/aggregates", "/brief?format=json", "/export/jsonl"):
        sep = "&" if "?" in path else "?"
        other = client.get(f"{path}{sep}{urllib.parse.urlencode({field: value})}")
        assert other.status_code == 404 and other.json()["code"] == "unknown-filter-value", path


def test_cli_refuses_an_unknown_value_with_the_nearest(seed_db):
    result = CliRunner().invoke(main, ["export", "--db", seed_db, "--format", "jsonl",
                                       "--admin1", "Idleb North"])
    assert result.exit_code != 0
    assert "no event has admin1 'Idleb North'; nearest known: Idleb" in result.output
    ok = CliRunner().invoke(main, ["export", "--db", seed_db, "--format", "jsonl",
                                   "--admin1", "Dayr Az Zawr"])
    assert ok.exit_code == 0, ok.output
    rows = [json.loads(line) for line in ok.stdout.splitlines() if line.startswith("{")]
    assert rows and {r["admin1"] for r in rows} == {"Deir-ez-Zor"}
    brief = CliRunner().invoke(main, ["brief", "--db", seed_db, "--admin1", "Narnia"])
    assert brief.exit_code != 0 and "no event has admin1 'Narnia'" in brief.output


def test_location_aggregate_gives_the_pick_list(client):
    rows = client.get("/aggregates", params={"by": "location", "interval": "total"}).json()["rows"]
    assert {"Deir-ez-Zor"} <= {r["key"] for r in rows}


# -- the page, in Chromium -------------------------------------------------------------

def _wait(browser, condition, timeout: float = 20, what: str = "condition"):
    from selenium.webdriver.support.ui import WebDriverWait
    return WebDriverWait(browser, timeout).until(lambda d: condition(d), message=what)


def _open(browser, server, query: str = "") -> None:
    browser.get(f"{server.url}/{query}")
    _wait(browser, lambda d: d.find_element("id", "events-table").get_attribute("data-total"),
          what="dashboard loaded")


def _apply(browser, field: str, value: str) -> None:
    box = browser.find_element("id", f"f-{field}")
    box.clear()
    box.send_keys(value)
    browser.find_element("id", "apply").click()


@pytest.mark.slow
def test_page_alias_pick_lists_and_unknown_value(browser, live_server, client):
    _open(browser, live_server)
    _wait(browser, lambda d: d.find_element("id", "actor-options").get_attribute("data-filled"),
          what="actor pick list")
    actors = [o.get_attribute("value") for o in
              browser.find_elements("css selector", "#actor-options option")]
    assert "Islamic State (Syria)" in actors
    admin1s = [o.get_attribute("value") for o in
               browser.find_elements("css selector", "#admin1-options option")]
    assert "Deir-ez-Zor" in admin1s
    types = [o.get_attribute("value") for o in
             browser.find_elements("css selector", "#f-event_type option")]
    assert "Battles" in types and "Armed clash" in types
    expected = _total(client, admin1="Deir-ez-Zor")
    _apply(browser, "admin1", "Dayr Az Zawr")
    _wait(browser, lambda d: "admin1=Dayr" in d.current_url
          and d.find_element("id", "events-table").get_attribute("data-total") == str(expected),
          what="alias applied")
    _apply(browser, "admin1", "Idleb North")
    _wait(browser, lambda d: "nearest known" in d.find_element("id", "status").text,
          what="error shown")
    status = browser.find_element("id", "status")
    assert "no event has admin1 'Idleb North'; nearest known: Idleb" in status.text
    assert "error" in status.get_attribute("class")


@pytest.mark.slow
@pytest.mark.parametrize("key, column", [("actor1", 3), ("location", 7), ("admin2", 6)])
def test_page_sorts_actor_and_location_columns(browser, live_server, api, key, column):
    _open(browser, live_server)
    header = browser.find_element("css selector", f'#events-table th[data-sort="{key}"] button')
    header.click()  # first click: descending
    _wait(browser, lambda d: f"sort={key}" in d.current_url, what="sorted")
    time.sleep(0.5)
    cells = browser.execute_script(
        f"return [...document.querySelectorAll('#events-table tbody tr')]"
        f".map(r => r.children[{column}].textContent)")
    page = api(live_server, "GET", f"/events?sort={key}&order=desc&limit=25")  # same store
    assert cells == [e[key] or "—" for e in page["events"]]
    heads = [th.text for th in browser.find_elements("css selector", "#events-table th")]
    assert "Admin2" in heads and "Notes" in heads
    notes = browser.execute_script(
        "return [...document.querySelectorAll('#events-table td.notes-col')].map(c => c.textContent)")
    assert any(len(n) > 20 for n in notes)


@pytest.mark.slow
def test_filter_bar_folds_at_390_px(browser, live_server):
    browser.set_window_size(390, 844)
    try:
        _open(browser, live_server)
        assert not browser.find_element("id", "filters").is_displayed()
        toggle = browser.find_element("id", "filters-toggle")
        assert toggle.is_displayed() and toggle.get_attribute("aria-expanded") == "false"
        toggle.click()
        _wait(browser, lambda d: d.find_element("id", "filters").is_displayed(), what="unfolded")
        assert browser.execute_script("return document.documentElement.scrollWidth") <= 390
    finally:
        browser.set_window_size(1400, 1100)
