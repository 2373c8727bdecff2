"""The event panel's "claims by source" in a real Chromium: however many sources an event
has, the claims fit the panel (issue 12 item 5: it was 1,500 px wide in a 530 px panel),
and each differing claim says which sources give which value."""
from __future__ import annotations

import shutil

import pytest

pytestmark = pytest.mark.slow


def test_claims_of_a_many_source_event_fit_the_panel(browser, tmp_path, seed_db, token, serve,
                                                     api):
    from selenium.webdriver.support.ui import WebDriverWait

    from eventwire.web.app import create_app
    from eventwire.services import WebSettings
    db = tmp_path / "panel.sqlite"
    shutil.copy(seed_db, db)
    with serve(create_app(WebSettings(db_url=str(db), token=token))) as server:
        events = api(server, "GET", "/events?limit=100")["events"]
        ids = [e["event_id"] for e in events[:6]]  # six reports that disagree on most claims
        kept = api(server, "POST", "/events/merge", {"event_ids": ids,
                                                      "reason": "test: many sources"}, token)
        event_id = kept["event_id"]
        browser.set_window_size(1400, 1100)
        browser.get(f"{server.url}/?event={event_id}")
        WebDriverWait(browser, 20).until(
            lambda d: d.find_elements("css selector", "#panel .claims-fit tr"),
            message="claims shown")
        sizes = browser.execute_script("""
          const panel = document.getElementById('panel');
          const box = panel.querySelector('.claims-fit');
          const table = box.querySelector('table');
          return {panel: panel.clientWidth, box: box.scrollWidth, table: table.scrollWidth,
                  sources: box.querySelectorAll('.claim-sources li').length};""")
        assert sizes["sources"] == 6
        assert sizes["table"] <= sizes["panel"] and sizes["box"] <= sizes["panel"], sizes
        groups = browser.execute_script("""
          return [...document.querySelectorAll('#panel .claims-fit tr.differs')].map(tr =>
            [...tr.querySelectorAll('.claim-value small')].map(s =>
              s.textContent.replace(/[^0-9,]/g, '').split(',').filter(Boolean).map(Number)));""")
        assert groups  # the six reports disagree somewhere
        for row in groups:  # every source's value is shown once, under its number
            assert sorted(n for g in row for n in g) == [1, 2, 3, 4, 5, 6], row
