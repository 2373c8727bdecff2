"""POST /ingest on hostile uploads (issue 16 item 3): a JSONL line nested 100,000 deep is a 400
naming the file and line, never a 500, and the server goes on serving."""
import json

import pytest


@pytest.fixture()
def roomy(tmp_path, seed_db, token):
    """A writable server (on a copy of the seed store) that takes files large enough to hold
    a 100,000-deep line."""
    import shutil

    from fastapi.testclient import TestClient

    from eventwire.web.app import create_app
    from eventwire.services import WebSettings
    shutil.copy(seed_db, tmp_path / "w.sqlite")
    settings = WebSettings(db_url=str(tmp_path / "w.sqlite"), token=token,
                           max_file_bytes=1_000_000, max_request_bytes=2_000_000)
    with TestClient(create_app(settings)) as client:
        yield client


def test_ingest_a_line_nested_100000_deep_is_a_400_naming_the_line(roomy, token):
    good = json.dumps({"id": "g", "text": "On Monday, gunmen killed two shepherds near Palmyra."}).encode()
    deep = b'{"id": "deep", "text": "x", "n": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    upload = ("files", ("docs.jsonl", good + b"\n" + deep + b"\n", "text/plain"))
    auth = {"X-Eventwire-Token": token}
    r = roomy.post("/ingest", files=[upload], headers=auth)
    assert r.status_code == 400, r.text
    assert "docs.jsonl line 2" in r.json()["error"] and "nested too deeply" in r.json()["error"]
    ok = roomy.post("/ingest", files=[("files", ("ok.jsonl", good, "text/plain"))], headers=auth)
    assert ok.status_code == 200, ok.text
