import json
import pytest

@pytest.fixture()
def writable(tmp_path, token):
    from fastapi.testclient import TestClient
    from eventwire.web.app import create_app
    from eventwire.web.service import WebSettings
    with TestClient(create_app(WebSettings(db_url=str(tmp_path / "w.sqlite"), token=token, max_file_bytes=1_000_000, max_request_bytes=2_000_000))) as c:
        yield c

def test_deep(writable, token):
    deep = b'{"id": "deep", "text": "x", "n": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    good = json.dumps({"id": "g", "text": "On Monday, gunmen killed two shepherds near Palmyra in Homs province."}).encode()
    r = writable.post("/ingest", files=[("files", ("docs.jsonl", good + b"\n" + deep + b"\n", "text/plain"))], headers={"X-Eventwire-Token": token})
    print(r.status_code, r.text[:300])
    assert r.status_code == 400
