"""The analyst's corrections on the dashboard, in a real Chromium (issue 15 item 1): pin a
village by clicking the map and see a new article that names it placed there; correct an
event's type, actors, date and fatalities from the event panel."""
from __future__ import annotations

import shutil
from urllib.parse import urlencode

import pytest

pytestmark = pytest.mark.slow

# Invented: a hamlet no gazetteer holds, on the steppe east of the Euphrates.
VILLAGE = "Tell Abu Jurdhan"
ARTICLE = (f"DEIR EZZOR, Syria - Two farmers were killed on 3 March 2024 when a mine left by"
           f" Islamic State fighters exploded under their tractor near the hamlet of {VILLAGE},"
           " east of the river, relatives told a local network.")


HOSTILE = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>'


def _wait(browser, test, message, timeout=20):
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.support.ui import WebDriverWait
    # the panel is drawn anew after each write: an element found a moment ago may be gone
    return WebDriverWait(browser, timeout, ignored_exceptions=(
        StaleElementReferenceException,)).until(test, message=message)


def _fill(browser, css: str, value: str) -> None:
    field = browser.find_element("css selector", css)
    field.clear()
    field.send_keys(value)


def test_pin_a_village_on_the_map_and_a_new_article_is_placed_there(
        overlays, browser, tmp_path, seed_db, token, serve, api):
    from selenium.webdriver.common.action_chains import ActionChains

    from eventwire.services import WebSettings
    from eventwire.web.app import create_app
    db = tmp_path / "pin.sqlite"
    shutil.copy(seed_db, db)
    with serve(create_app(WebSettings(db_url=str(db), token=token))) as server:
        browser.set_window_size(1400, 1100)
        browser.get(f"{server.url}/?map=11/35.08/40.62")  # open steppe: no marker under the click
        _wait(browser, lambda d: d.find_element("id", "map").get_attribute("data-points"),
              "map loaded")
        browser.find_element("id", "pin-village").click()
        assert browser.find_element("id", "map").get_attribute("data-pick-mode") == "pin"
        ActionChains(browser).move_to_element_with_offset(
            browser.find_element("id", "map"), 40, 60).click().perform()
        _wait(browser, lambda d: d.find_element("id", "pin-dialog").get_attribute("open"),
              "the pin dialog opens on the map click")
        lat = float(browser.find_element("css selector", "#pin-form [name=latitude]")
                    .get_attribute("value"))
        lon = float(browser.find_element("css selector", "#pin-form [name=longitude]")
                    .get_attribute("value"))
        assert 34.9 < lat < 35.2 and 40.4 < lon < 40.8, (lat, lon)  # where the map was clicked
        _fill(browser, "#pin-form [name=name]", VILLAGE)
        _fill(browser, "#pin-form [name=admin1]", "Deir-ez-Zor")
        _fill(browser, "#pin-form [name=reason]", "hamlet read off the relief map")
        _fill(browser, "#pin-form [name=token]", "wrong-token")
        browser.find_element("id", "pin-submit").click()
        _wait(browser, lambda d: "Not pinned" in d.find_element("id", "pin-result").text,
              "a wrong token pins nothing")
        _fill(browser, "#pin-form [name=token]", token)
        browser.find_element("id", "pin-submit").click()
        _wait(browser, lambda d: d.find_element("id", "pin-result").get_attribute("data-pinned"),
              "the village is pinned")
        browser.find_element("id", "pin-close").click()

        # A new article that names the village, added from the page.
        browser.find_element("id", "add-news-open").click()
        _fill(browser, "#add-news-form [name=text]", ARTICLE)
        _fill(browser, "#add-news-form [name=token]", token)
        browser.find_element("id", "add-news-submit").click()
        button = _wait(browser, lambda d: d.find_elements("css selector", ".new-events button"),
                       "the new event is listed")[0]
        assert VILLAGE in button.text
        button.click()
        _wait(browser, lambda d: VILLAGE in d.find_element("id", "panel").text,
              "the panel shows the event at the village")
        event_id = browser.find_element("id", "panel").get_attribute("data-event-id")
        event = api(server, "GET", f"/events/{event_id}")["event"]
        assert event["location"] == VILLAGE and event["admin1"] == "Deir-ez-Zor"
        assert event["latitude"] == pytest.approx(lat, abs=0.001)
        assert event["longitude"] == pytest.approx(lon, abs=0.001)


def test_correct_an_event_from_its_panel(browser, tmp_path, seed_db, token, serve, api):
    from selenium.webdriver.support.ui import Select

    from eventwire.services import WebSettings
    from eventwire.web.app import create_app
    db = tmp_path / "edit.sqlite"
    shutil.copy(seed_db, db)
    with serve(create_app(WebSettings(db_url=str(db), token=token))) as server:
        event = api(server, "GET", "/events?limit=1&sort=event_date&order=asc")["events"][0]
        browser.get(f"{server.url}/?event={event['event_id']}")
        summary = _wait(browser, lambda d: d.find_elements("css selector", "#edit-event summary"),
                        "the correction form is offered")[0]
        summary.click()
        Select(browser.find_element("css selector", "#edit-form [name=sub_event_type]")) \
            .select_by_value("Armed clash")
        _fill(browser, "#edit-form [name=actor1]", "Islamic State (Syria)")
        _fill(browser, "#edit-form [name=fatalities]", "7")
        browser.execute_script(  # a date input takes its value in the page's locale: set it
            "document.querySelector('#edit-form [name=event_date]').value = '2024-02-29'")
        _fill(browser, "#edit-form [name=location]", "Menbij")  # a gazetteer entry, picked
        browser.find_element("id", "edit-find").click()
        picks = _wait(browser, lambda d: d.find_elements("css selector", "#edit-places .place-pick"),
                      "the gazetteer's entries of the name")
        next(p for p in picks if p.text.startswith("Manbij, Aleppo")).click()
        _fill(browser, "#edit-form [name=actor2]", HOSTILE)
        _fill(browser, "#edit-form [name=reason]", "the ministry's second statement")
        _fill(browser, "#edit-form [name=token]", token)
        browser.find_element("id", "edit-save").click()
        _wait(browser, lambda d: "Correction saved" in d.find_element("id", "panel-status").text,
              "the correction is saved")
        now = api(server, "GET", f"/events/{event['event_id']}")["event"]
        assert (now["sub_event_type"], now["event_type"], now["actor1"], now["fatalities"],
                now["event_date"]) == ("Armed clash", "Battles", "Islamic State (Syria)", 7,
                                       "2024-02-29")
        assert (now["location"], now["admin1"], now["country"], now["geo_precision"]) == (
            "Manbij", "Aleppo", "Syria", 1)
        assert now["latitude"] == pytest.approx(36.528, abs=0.01)
        assert now["actor2"] == HOSTILE
        assert browser.execute_script("return window.__pwned") is None  # inert text
        assert HOSTILE in browser.find_element("id", "panel").text
        edits = [h for h in api(server, "GET", f"/events/{event['event_id']}/history")["history"]
                 if h["kind"] == "edit"]
        assert edits and edits[-1]["reason"] == "the ministry's second statement"
        assert edits[-1]["after"]["fatalities"] == 7 and "notes" not in edits[-1]["after"]


def test_split_a_report_off_from_claims_by_source_survives_reingest(
        browser, tmp_path, seed_db, token, serve, api, twin_reports):
    from eventwire import services
    from eventwire.services import WebSettings
    from eventwire.web.app import create_app
    db = str(tmp_path / "split.sqlite")
    shutil.copy(seed_db, db)
    services.ingest([str(twin_reports)], db)
    with serve(create_app(WebSettings(db_url=db, token=token))) as server:
        linked = next(e for e in api(server, "GET", "/events?limit=100")["events"]
                      if e["n_sources"] == 2)
        browser.get(f"{server.url}/?event={linked['event_id']}")
        buttons = _wait(browser, lambda d: d.find_elements("css selector",
                                                           "#panel .claim-sources button.split"),
                        "each report of the linked event offers a split")
        assert len(buttons) == 2
        report_id = buttons[1].get_attribute("data-report-id")
        buttons[1].click()
        _fill(browser, "#split-form [name=reason]", "the second outlet tells an earlier strike")
        _fill(browser, "#split-form [name=token]", token)
        browser.find_element("id", "split-submit").click()
        _wait(browser, lambda d: "Split off" in d.find_element("id", "panel-status").text,
              "the panel opens the new event")
        new_id = browser.find_element("id", "panel").get_attribute("data-event-id")
        assert new_id != linked["event_id"]
        reports = api(server, "GET", f"/events/{new_id}")["reports"]
        assert [r["report_id"] for r in reports] == [report_id]

        services.ingest([str(twin_reports)], db)  # the same documents again
        assert [r["report_id"] for r in api(server, "GET", f"/events/{new_id}")["reports"]] \
            == [report_id]
        assert api(server, "GET", f"/events/{linked['event_id']}")["event"]["n_sources"] == 1
        history = api(server, "GET", f"/events/{new_id}/history")["history"]
        assert any(h["kind"] == "split" for h in history)


# Invented: a local name for Islamic State, and a report that uses only that name.
ALIAS = "Jund al-Wilaya al-Sharqiya"
ALIAS_ARTICLE = (f"MAYADIN, Syria - {ALIAS} shot dead a tribal elder on 21 April 2024"
                 " at his home in the town of Mayadin in the Deir ez-Zor countryside, a local"
                 " monitor said.")


def test_teach_an_alias_from_the_panel_and_the_actor_filter_finds_it(
        overlays, browser, tmp_path, seed_db, token, serve, api):
    from eventwire.services import WebSettings
    from eventwire.web.app import create_app
    db = tmp_path / "alias.sqlite"
    shutil.copy(seed_db, db)
    with serve(create_app(WebSettings(db_url=str(db), token=token))) as server:
        isis = next(e for e in api(server, "GET", "/events?limit=100")["events"]
                    if e["actor1"] == "Islamic State (Syria)")
        browser.get(f"{server.url}/?event={isis['event_id']}")
        summary = _wait(browser, lambda d: d.find_elements("css selector", "#teach-alias summary"),
                        "the alias form is offered")[0]
        summary.click()
        assert browser.find_element("css selector", "#alias-form [name=actor]") \
            .get_attribute("value") == "Islamic State (Syria)"  # the event's actor, as offered
        _fill(browser, "#alias-form [name=alias]", ALIAS)
        _fill(browser, "#alias-form [name=reason]", "the monitor's name for the group")
        _fill(browser, "#alias-form [name=token]", token)
        browser.find_element("id", "alias-save").click()
        _wait(browser, lambda d: d.find_element("id", "alias-result").get_attribute("data-taught")
              == "isis", "the alias is taught")

        browser.find_element("id", "add-news-open").click()  # a report naming only the alias
        _fill(browser, "#add-news-form [name=text]", ALIAS_ARTICLE)
        _fill(browser, "#add-news-form [name=token]", token)
        browser.find_element("id", "add-news-submit").click()
        _wait(browser, lambda d: d.find_elements("css selector", ".new-events button"),
              "the new event is listed")
        new = api(server, "GET", "/events?q=tribal+elder&limit=5")["events"]
        assert new and "Islamic State (Syria)" in (new[0]["actor1"], new[0]["actor2"]), new
        browser.find_element("id", "add-news-close").click()

        every = int(browser.find_element("id", "events-table").get_attribute("data-total"))
        by_alias = api(server, "GET", "/events?" + urlencode({"actor": ALIAS, "limit": 100}))
        by_isis = api(server, "GET", "/events?actor=ISIS&limit=100")
        assert by_alias["total"] == by_isis["total"] < every  # the alias is Islamic State's
        assert new[0]["event_id"] in {e["event_id"] for e in by_alias["events"]}
        _fill(browser, "#f-actor", ALIAS)  # the filter bar knows the alias
        browser.find_element("id", "apply").click()
        _wait(browser, lambda d: d.find_element("id", "events-table").get_attribute("data-total")
              == str(by_alias["total"]), "the table shows the alias's events")
        assert browser.find_elements(
            "css selector", f"#events-table tr[data-event-id='{new[0]['event_id']}']")
