"""The analyst's pages in a real headless Chromium: the review queue by keyboard, a
correction kept after re-ingesting, hostile text in a correction inert, no horizontal
overflow at 390 px."""
from __future__ import annotations

import json
import urllib.request
from pathlib import Path

import pytest

from eventwire import services

pytestmark = pytest.mark.slow

SEEDS = Path(__file__).resolve().parents[2] / "samples" / "seeds.jsonl"
HOSTILE = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>'


def _wait(browser, condition, timeout: float = 15, what: str = "condition"):
    from selenium.webdriver.support.ui import WebDriverWait
    return WebDriverWait(browser, timeout).until(lambda d: condition(d), message=what)


def _get(server, path: str) -> dict:
    with urllib.request.urlopen(f"{server.url}{path}", timeout=20) as r:
        return json.loads(r.read())


def _patch(server, path: str, body: dict, token: str) -> dict:
    req = urllib.request.Request(f"{server.url}{path}", method="PATCH",
                                 data=json.dumps(body).encode(), headers={
                                     "Content-Type": "application/json",
                                     "Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(req, timeout=20) as r:
        return json.loads(r.read())


def _open_review(browser, server, token):
    browser.get(f"{server.url}/review")
    _wait(browser, lambda d: d.find_elements("css selector", ".review-item.selected"),
          what="review queue")
    browser.find_element("id", "review-token").send_keys(token)
    browser.find_element("css selector", "body").click()


def _keys(browser, keys: str) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    ActionChains(browser).send_keys(keys).perform()


def test_review_queue_by_keyboard_accepts_and_corrects(browser, live_server, live_db, token):
    queue = _get(live_server, "/review?format=json&limit=500")["events"]
    assert len(queue) >= 3
    _open_review(browser, live_server, token)
    items = browser.find_elements("css selector", ".review-item")
    assert [i.get_attribute("data-event-id") for i in items][:3] == \
        [q["event_id"] for q in queue[:3]]
    _keys(browser, "j")
    second = browser.find_element("css selector", ".review-item.selected")
    assert second.get_attribute("data-event-id") == queue[1]["event_id"]
    _keys(browser, "a")
    _wait(browser, lambda d: second.get_attribute("data-reviewed") == "1", what="accepted")
    kinds = [h["kind"] for h in _get(live_server, f"/events/{queue[1]['event_id']}/history")
             ["history"]]
    assert "accept" in kinds
    # the selection moved on; correct that event's toll by keyboard
    third = browser.find_element("css selector", ".review-item.selected")
    event_id = third.get_attribute("data-event-id")
    assert event_id == queue[2]["event_id"]
    form = third.find_element("css selector", ".review-form")
    assert not form.is_displayed()  # folded until asked for
    _keys(browser, "c")
    _wait(browser, lambda d: form.is_displayed(), what="correction form")
    toll = form.find_element("name", "fatalities")
    toll.clear()
    toll.send_keys("41")
    form.find_element("name", "reason").send_keys("the hospital's count\n")
    _wait(browser, lambda d: third.get_attribute("data-reviewed") == "1", what="corrected")
    assert _get(live_server, f"/events/{event_id}")["event"]["fatalities"] == 41
    # re-ingesting the same documents keeps the correction
    report = services.ingest([str(SEEDS)], live_db)
    assert report.documents_new == 0
    browser.get(f"{live_server.url}/events/{event_id}?format=html")
    assert "41" in browser.find_element("css selector", "dl.facts").text
    assert _get(live_server, f"/events/{event_id}")["event"]["fatalities"] == 41


def test_review_hostile_text_in_a_correction_stays_inert(browser, live_server, token):
    event_id = _get(live_server, "/review?format=json&limit=500")["events"][-1]["event_id"]
    _patch(live_server, f"/events/{event_id}", {"notes": "Checked. " + HOSTILE,
                                                "location": HOSTILE[:40],
                                                "reason": HOSTILE}, token)
    for path in (f"/events/{event_id}?format=html", "/review",
                 f"/events/{event_id}/history"):
        browser.get(live_server.url + path)
        _wait(browser, lambda d: d.execute_script("return document.readyState") == "complete")
        assert browser.execute_script("return window.__pwned") is None, path
        assert not browser.find_elements("css selector", "main img, main script[src='x']")
    browser.get(f"{live_server.url}/events/{event_id}?format=html")
    assert HOSTILE in browser.find_element("css selector", "p.notes").text


@pytest.mark.parametrize("path", ["/", "/review"])
def test_review_no_horizontal_overflow_at_390_px(browser, live_server, path):
    browser.set_window_size(390, 844)
    try:
        browser.get(live_server.url + path)
        _wait(browser, lambda d: d.execute_script("return document.readyState") == "complete")
        if path == "/":
            _wait(browser, lambda d: d.find_element("id", "events-table")
                  .get_attribute("data-total"), what="dashboard loaded")
        inner = browser.execute_script("return window.innerWidth")
        wide = browser.execute_script("return document.documentElement.scrollWidth")
        assert wide <= inner, (path, wide, inner)
    finally:
        browser.set_window_size(1400, 1100)
