"""Take the dashboard screenshots in docs/screenshots/ (headless Chromium, seed articles).

Ingests samples/seeds.jsonl into a temporary store, serves it on loopback with the packaged
boundary layers, and saves: the overview, an opened event with its highlighted sentence, a
brushed and actor-filtered view, the situation brief page of the seeds, the add-news
dialog, the offline basemap at zoom 10, admin1 and admin2 choropleths, the time player, an
unknown filter value's error, a many-source event's claims (with its split buttons), the
event panel's correction form, a village being pinned on the map, the review queue, and
the dashboard and review queue at 390 px.

    .venv/bin/python tools/web_screenshots.py [--out docs/screenshots]
"""
from __future__ import annotations

import argparse
import shutil
import socket
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FLAGS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run",
         "--disable-dev-shm-usage", "--window-size=1440,1400", "--hide-scrollbars")

# A short report written for the screenshot (not from any dataset).
PASTED = ("DARAA, Syria (SANA) - Two civilians were killed on 3 March 2024 when an explosive"
          " device planted by unidentified gunmen went off in the town of Jasim in the"
          " countryside of Daraa, a local source said. Three others were wounded.")


def _serve(db: str):
    import uvicorn

    from eventwire.web.app import create_app
    from eventwire.services import WebSettings
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(WebSettings(db_url=db, token="demo")),
                                           host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    return server, f"http://127.0.0.1:{port}"


def _browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    opts = webdriver.ChromeOptions()
    opts.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for flag in FLAGS:
        opts.add_argument(flag)
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=opts)


# The map once its points are placed and the basemap of the view they fit is drawn (basemap.js
# marks the map data-basemap-pending from a move until that view's layers are in).
BASEMAP_DRAWN = "#map[data-points][data-basemap]:not([data-basemap='']):not([data-basemap-pending])"


def _wait(d, css: str, timeout: float = 20) -> None:
    from selenium.webdriver.support.ui import WebDriverWait
    WebDriverWait(d, timeout).until(lambda d: d.find_elements("css selector", css))


def _shoot_brief(d, url: str, db: str, path: Path) -> Path:
    """The brief page of the whole seed store, Syria only, as one tall screenshot."""
    from eventwire.store.analytics import Analytics
    from eventwire.store.db import open_store
    with open_store(db, read_only=True) as store:
        first, last = Analytics(store).date_range()
    d.get(f"{url}/brief?date_from={first}&date_to={last}&country=Syria")
    _wait(d, "#brief img")
    height = d.execute_script("return document.documentElement.scrollHeight")
    d.set_window_size(1100, min(int(height) + 40, 4000))
    time.sleep(0.5)
    d.save_screenshot(str(path))
    d.set_window_size(1440, 1400)
    return path


def shoot(out: Path) -> list[Path]:
    """Save the screenshots into `out`; returns their paths."""
    from selenium.webdriver.common.action_chains import ActionChains

    from eventwire import services
    out.mkdir(parents=True, exist_ok=True)
    saved = []
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "seeds.sqlite")
        services.ingest([str(ROOT / "samples" / "seeds.jsonl")], db)
        server, url = _serve(db)
        d = _browser()
        try:
            d.get(url + "/")
            _wait(d, "#events-table[data-total]")
            _wait(d, BASEMAP_DRAWN)  # the fitted view's basemap, not the first view's
            time.sleep(1.5)  # marker animation
            saved.append(out / "dashboard-overview.png")
            d.save_screenshot(str(saved[-1]))
            busiest = services.find_events(db)
            target = max(busiest, key=lambda s: (len(s.event.sources[0].spans), s.event.fatalities or 0))
            d.get(f"{url}/?event={target.event.event_id}")
            _wait(d, "#panel mark.hl")
            time.sleep(1.5)
            saved.append(out / "dashboard-event-panel.png")
            d.save_screenshot(str(saved[-1]))
            d.get(f"{url}/?actor=Islamic+State")
            _wait(d, "#events-table[data-total]")
            chart = d.find_element("id", "timeline")
            w = chart.size["width"]
            ActionChains(d).move_to_element_with_offset(chart, -int(w * 0.48), 0) \
                .click_and_hold().move_by_offset(int(w * 0.12), 0).release().perform()
            time.sleep(2)
            saved.append(out / "dashboard-brushed-filtered.png")
            d.save_screenshot(str(saved[-1]))
            saved.append(_shoot_brief(d, url, db, out / "dashboard-brief.png"))
            d.get(f"{url}/?actor=Islamic+State")
            _wait(d, "#events-table[data-total]")
            d.find_element("id", "add-news-open").click()
            form = d.find_element("id", "add-news-form")
            form.find_element("name", "text").send_keys(PASTED)
            form.find_element("name", "outlet").send_keys("SANA")
            form.find_element("name", "token").send_keys("demo")
            d.find_element("id", "add-news-submit").click()
            _wait(d, "#add-news-result .new-events li", timeout=60)
            saved.append(out / "dashboard-add-news.png")
            d.save_screenshot(str(saved[-1]))
            # the map: the basemap close in (rivers, town labels), admin areas shaded, the
            # time player stopped on one period, the unknown-value error with its nearest
            for query, ready, name in (
                    ("?map=10/35.2/40.3", "#map[data-basemap~=towns]", "map-basemap-zoom10.png"),
                    ("?shade=admin1", "#map[data-shaded=admin1]", "map-choropleth-admin1.png"),
                    ("?shade=admin2&map=8/35.4/39.8", "#map[data-shaded=admin2]",
                     "map-choropleth-admin2.png")):
                d.get(f"{url}/{query}")
                _wait(d, ready)
                time.sleep(1.5)
                saved.append(out / name)
                d.save_screenshot(str(saved[-1]))
            d.get(url + "/")
            _wait(d, "#events-table[data-total]")
            d.find_element("id", "play").click()
            time.sleep(2.6)
            d.find_element("id", "play").click()
            time.sleep(1.5)
            saved.append(out / "map-time-player.png")
            d.save_screenshot(str(saved[-1]))
            d.get(f"{url}/?admin1=Idleb+North")
            _wait(d, "#status.error")
            saved.append(out / "filters-unknown-value.png")
            d.save_screenshot(str(saved[-1]))
            ids = [s.event.event_id for s in busiest][:5]  # a many-source event's claims
            import json
            import urllib.request
            req = urllib.request.Request(f"{url}/events/merge", method="POST", data=json.dumps(
                {"event_ids": ids, "reason": "screenshot: many sources"}).encode(), headers={
                "Content-Type": "application/json", "Authorization": "Bearer demo"})
            with urllib.request.urlopen(req, timeout=30) as r:
                merged = json.loads(r.read())["event_id"]
            d.get(f"{url}/?event={merged}")
            _wait(d, "#panel .claims-fit tr")
            time.sleep(1.5)
            d.execute_script("document.querySelector('#panel .claims-fit').scrollIntoView()")
            saved.append(out / "panel-claims-by-source.png")
            d.save_screenshot(str(saved[-1]))
            # the analyst's corrections: the event panel's form, a village being pinned
            d.get(f"{url}/?event={target.event.event_id}")
            _wait(d, "#edit-event summary")
            d.find_element("css selector", "#edit-event summary").click()
            d.execute_script("document.getElementById('edit-event').scrollIntoView()")
            time.sleep(1.5)
            saved.append(out / "panel-edit-form.png")
            d.save_screenshot(str(saved[-1]))
            d.get(f"{url}/?map=11/35.08/40.62")
            _wait(d, "#map[data-points]")
            time.sleep(1)
            d.find_element("id", "pin-village").click()
            ActionChains(d).move_to_element_with_offset(d.find_element("id", "map"), 40, 60) \
                .click().perform()
            _wait(d, "#pin-dialog[open]")
            form = d.find_element("id", "pin-form")
            form.find_element("name", "name").send_keys("Tell Abu Jurdhan")
            form.find_element("name", "admin1").send_keys("Deir-ez-Zor")
            form.find_element("name", "reason").send_keys("hamlet read off the relief map")
            time.sleep(0.5)
            saved.append(out / "map-pin-village.png")
            d.save_screenshot(str(saved[-1]))  # not submitted: nothing is written
            d.find_element("id", "pin-close").click()
            d.get(f"{url}/review")  # the review queue, its first event selected
            _wait(d, ".review-item.selected")
            saved.append(out / "review-queue.png")
            d.save_screenshot(str(saved[-1]))
            d.set_window_size(390, 844)  # a phone: the filter bar folds, nothing overflows
            for name, path in (("mobile-390px-dashboard.png", "/"),
                               ("mobile-390px-review.png", "/review")):
                d.get(url + path)
                time.sleep(2)
                saved.append(out / name)
                d.save_screenshot(str(saved[-1]))
            d.set_window_size(1440, 1400)
        finally:
            d.quit()
            server.should_exit = True
    return saved


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    for path in shoot(Path(ap.parse_args().out)):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
