"""Alerts on a saved search: `eventwire watch NAME` prints the events that newly match it
after each ingest, and POSTs each one to a webhook -- here a real HTTP server on loopback."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from eventwire import analyst, services
from eventwire.alerts import watch

# Invented reports: one the saved search matches (IS in Deir ez-Zor), one it does not.
MATCHING = {"id": "watch-1", "source": "Test Wire", "date": "2024-03-06",
            "title": "Attack near Mayadin",
            "text": "DEIR EZ-ZOR, Syria - Islamic State militants killed four soldiers of the"
                    " Syrian army in an attack on a checkpoint near the town of Al-Mayadin in"
                    " the eastern province of Deir ez-Zor on 5 March 2024, a war monitor said."}
OTHER = {"id": "watch-2", "source": "Test Wire", "date": "2024-03-07",
         "title": "Protest in Daraa",
         "text": "DARAA, Syria - Hundreds of people protested peacefully in the city of Daraa"
                 " on 6 March 2024 against rising bread prices, local residents said."}
FILTER = {"actor": "ISIS", "admin1": "Deir-ez-Zor"}


def _jsonl(folder: Path, name: str, doc: dict) -> str:
    path = folder / f"{name}.jsonl"
    path.write_text(json.dumps(doc) + "\n", "utf-8")
    return str(path)


@pytest.fixture()
def store(tmp_path, seed_db) -> str:
    db = tmp_path / "watch.sqlite"
    shutil.copy(seed_db, db)
    analyst.save_search(str(db), "isis-deir", FILTER)
    return str(db)


def test_watch_yields_only_new_matches_after_each_ingest(tmp_path, store):
    inputs = iter([_jsonl(tmp_path, "other", OTHER), _jsonl(tmp_path, "match", MATCHING), None])
    polls = []

    def ingest_between_polls(_: float) -> None:  # each "sleep" is an ingest by someone else
        path = next(inputs)
        if path:
            services.ingest([path], store)
        polls.append(path)

    batches = list(watch(store, "isis-deir", 0, polls=3, sleep=ingest_between_polls))
    assert len(polls) == 3
    assert len(batches) == 1 and len(batches[0]) == 1  # the baseline and the protest: not news
    event = batches[0][0]
    assert event.actor1 == "Islamic State (Syria)" and event.admin1 == "Deir-ez-Zor"
    assert event.sources[0].doc_id == "watch-1"


class _Receiver(BaseHTTPRequestHandler):
    received: list = []

    def do_POST(self) -> None:  # noqa: N802 -- http.server's name
        length = int(self.headers["Content-Length"])
        type(self).received.append((self.headers["Content-Type"], json.loads(self.rfile.read(length))))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


@pytest.fixture()
def receiver():
    _Receiver.received = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hook", _Receiver.received
    server.shutdown()
    server.server_close()


def test_watch_command_prints_and_posts_each_new_match(tmp_path, store, receiver):
    url, received = receiver
    exe = Path(sys.executable).with_name("eventwire")
    proc = subprocess.Popen([str(exe), "watch", "isis-deir", "--db", store, "--interval", "0.2",
                             "--webhook", url, "--polls", "150"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        assert "watching 'isis-deir'" in proc.stderr.readline()  # said once the baseline is taken
        services.ingest([_jsonl(tmp_path, "other", OTHER), _jsonl(tmp_path, "match", MATCHING)],
                        store)
        line = proc.stdout.readline()
        assert "2024-03-05" in line and "Al Mayādīn" in line and "4 killed" in line, line
        deadline = time.time() + 10
        while not received and time.time() < deadline:
            time.sleep(0.1)
        assert len(received) == 1
        ctype, body = received[0]
        assert ctype == "application/json" and body["search"] == "isis-deir"
        assert body["event"]["event_id"] in line
        assert body["event"]["actor1"] == "Islamic State (Syria)"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_watch_of_an_unknown_search_is_a_one_line_error(store):
    exe = Path(sys.executable).with_name("eventwire")
    out = subprocess.run([str(exe), "watch", "nope", "--db", store, "--polls", "1"],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode != 0
    assert "no saved search named 'nope'" in out.stderr and "Traceback" not in out.stderr
