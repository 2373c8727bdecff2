"""Fixtures of the web tests: a store built by ingesting the seeds, the app on it, a live
server on loopback and a headless Chromium (skipped with a reason when it is absent)."""
from __future__ import annotations

import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "samples" / "seeds.jsonl"
TOKEN = "test-token-5f1c"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"


@pytest.fixture(scope="session")
def boundaries_dir(tmp_path_factory) -> str:
    """A tiny boundary layer: one rectangle around Syria, with a hostile name."""
    folder = tmp_path_factory.mktemp("boundaries")
    (folder / "countries.geojson").write_text(
        '{"type": "FeatureCollection", "features": [{"type": "Feature", "properties":'
        ' {"name": "<b>Syria</b>"}, "geometry": {"type": "Polygon", "coordinates":'
        ' [[[35.7, 32.3], [42.4, 32.3], [42.4, 37.3], [35.7, 37.3], [35.7, 32.3]]]}}]}',
        "utf-8")
    return str(folder)


@pytest.fixture(scope="session")
def token() -> str:
    """The write token of the writable test servers."""
    return TOKEN


@pytest.fixture(scope="session")
def client_for():
    """Build an API client on a given store, with or without a write token."""
    return _make_client


def _make_client(db: str, token=None, boundaries=None):
    from fastapi.testclient import TestClient

    from eventwire.web.app import create_app
    from eventwire.services import WebSettings
    settings = WebSettings(db_url=db, token=token, boundaries_dir=boundaries,
                           max_file_bytes=200_000, max_request_bytes=1_000_000)
    return TestClient(create_app(settings))


@pytest.fixture(scope="session")
def client(seed_db, boundaries_dir):
    """A read-only API client on the seed store (no token: writing is off)."""
    with _make_client(seed_db, boundaries=boundaries_dir) as c:
        yield c


@pytest.fixture(scope="session")
def all_events(client) -> list[dict]:
    """Every event of the seed store, as the API returns them."""
    return client.get("/events", params={"limit": 1000}).json()["events"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LiveServer:
    """uvicorn serving the app on a loopback port in a background thread."""

    def __init__(self, app) -> None:
        import uvicorn
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port,
                                                    log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> "LiveServer":
        self.thread.start()
        deadline = time.time() + 20
        while not self.server.started:
            if time.time() > deadline:
                raise RuntimeError("the test server did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def call_api(server, method: str, path: str, body=None, token=None) -> dict:
    """One JSON request to a live server (with the write token when given)."""
    import json
    import urllib.request
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    req = urllib.request.Request(f"{server.url}{path}", method=method, headers=headers,
                                 data=json.dumps(body).encode() if body is not None else None)
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.loads(r.read())


@pytest.fixture(scope="session")
def api():
    """call_api(server, method, path, body=None, token=None) for the browser tests."""
    return call_api


@pytest.fixture(scope="session")
def serve():
    """LiveServer, for tests that serve a store of their own."""
    return LiveServer


@pytest.fixture(scope="session")
def live_db(tmp_path_factory, seed_db) -> str:
    """A copy of the seed store the browser tests may write to (add news, hostile text)."""
    path = tmp_path_factory.mktemp("live") / "live.sqlite"
    shutil.copy(seed_db, path)
    return str(path)


@pytest.fixture(scope="session")
def live_server(live_db, boundaries_dir):
    from eventwire.web.app import create_app
    from eventwire.services import WebSettings
    app = create_app(WebSettings(db_url=live_db, token=TOKEN, boundaries_dir=boundaries_dir))
    with LiveServer(app) as server:
        yield server


@pytest.fixture(scope="session")
def download_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("downloads")


@pytest.fixture(scope="session")
def browser(download_dir):
    """Headless Chromium driven by Selenium; skipped when chromium is not installed."""
    if not CHROMIUM or not Path(CHROMEDRIVER).exists():
        pytest.skip("chromium and chromium-driver are not installed (run .ci/browser.sh)")
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed")
    from selenium.webdriver.chrome.service import Service
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                 "--window-size=1400,1100"):
        opts.add_argument(flag)
    opts.add_experimental_option("prefs", {
        "download.default_directory": str(download_dir),
        "download.prompt_for_download": False,
        "safebrowsing.enabled": False})
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
    driver.set_page_load_timeout(30)
    driver.execute_cdp_cmd("Browser.setDownloadBehavior",
                           {"behavior": "allow", "downloadPath": str(download_dir)})
    yield driver
    driver.quit()


@pytest.fixture
def overlays(tmp_path, monkeypatch):
    """Private place and actor overlays; the loaded dictionaries are dropped before and
    after, so no other test sees what this one teaches."""
    from eventwire import analyst
    monkeypatch.setenv("EVENTWIRE_GAZETTEER", str(tmp_path / "places.tsv"))
    monkeypatch.setenv("EVENTWIRE_ACTORS", str(tmp_path / "actors.jsonl"))
    analyst._forget_resources()
    yield tmp_path
    monkeypatch.undo()
    analyst._forget_resources()


# Two invented reports of one incident, which the linker joins into one event.
TWINS = [
    {"id": "twin-a", "outlet": "North Desk", "published": "2024-03-05", "title": None,
     "text": "TAL TAMR, Syria - A Turkish drone struck a car on the road west of Tal Tamr in"
             " Hasakah province on 4 March 2024, killing three fighters of the Syrian Democratic"
             " Forces, the group said in a statement."},
    {"id": "twin-b", "outlet": "River Wire", "published": "2024-03-05", "title": None,
     "text": "HASAKAH - Three members of the Syrian Democratic Forces were killed on 4 March"
             " 2024 when a Turkish drone hit their vehicle near Tal Tamr, in the Hasakah"
             " countryside, local sources reported."}]


@pytest.fixture
def twin_reports(tmp_path) -> Path:
    """A JSONL batch of the two reports of one drone strike (TWINS)."""
    import json
    path = tmp_path / "twins.jsonl"
    path.write_text("".join(json.dumps(t) + "\n" for t in TWINS), "utf-8")
    return path
