"""POST /ingest on hostile and unusual uploads (issue 16): the files are read by the command's
own reader, so the API takes every encoding `eventwire ingest` takes (UTF-16 with a byte-order
mark included), and a bad document among good ones (a JSONL line nested 100,000 deep, a
malformed line) is one problem line naming it while the good ones are stored; never a 500,
and the server goes on serving."""
import json

import pytest

SHEPHERDS = "On Monday, gunmen killed two shepherds near Palmyra, a local source said."
MARKET = ("Three civilians were killed on Tuesday when a car bomb exploded in the market of"
          " Azaz, north of Aleppo, residents said.")


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


def _post(client, token, *files):
    parts = [("files", (name, data, "text/plain")) for name, data in files]
    return client.post("/ingest", files=parts, headers={"X-Eventwire-Token": token})


def _stored_text(client, doc_id):
    answer = client.get(f"/documents/{doc_id}", headers={"Accept": "application/json"})
    assert answer.status_code == 200, (doc_id, answer.text)
    return answer.json()["text"]


def test_ingest_a_line_nested_100000_deep_costs_only_that_line(roomy, token):
    good = json.dumps({"id": "g", "text": SHEPHERDS}).encode()
    deep = b'{"id": "deep", "text": "x", "n": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    r = _post(roomy, token, ("docs.jsonl", good + b"\n" + deep + b"\n"))
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["documents_new"] == 1
    [problem] = body["problems"]
    assert "\n" not in problem and "deep" in problem and "docs.jsonl:2" in problem
    assert "nested too deeply" in problem
    assert _stored_text(roomy, "g") == SHEPHERDS
    assert roomy.get("/events").status_code == 200  # and the server goes on serving


def test_ingest_a_bad_document_among_good_ones_is_one_line_naming_it(roomy, token):
    lines = [json.dumps({"id": "shepherds", "text": SHEPHERDS}), '{"id": "broken", "text": ',
             json.dumps({"id": "market", "text": MARKET}), json.dumps({"id": "blank"})]
    r = _post(roomy, token, ("batch.jsonl", "\n".join(lines).encode()),
              ("photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"))
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["documents_new"] == 2
    problems = body["problems"]
    assert len(problems) == 3 and not any("\n" in p for p in problems), problems
    named = {"batch.jsonl:2": "malformed JSON", "batch.jsonl:4": "neither 'text' nor 'html'",
             "photo.txt": "binary data"}
    for where, what in named.items():
        assert any(where in p and what in p for p in problems), (where, problems)
    assert _stored_text(roomy, "shepherds") == SHEPHERDS
    assert _stored_text(roomy, "market") == MARKET


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be"])
def test_ingest_reads_utf16_uploads_as_the_command_does(roomy, token, codec):
    # What Windows' Notepad saves as "Unicode": UTF-16 with a byte-order mark. The CLI reads
    # both a JSONL batch and a text file in it; so must the API, into the same documents.
    def utf16(text: str) -> bytes:
        return text.encode("utf-16") if codec == "utf-16" else b"\xfe\xff" + text.encode(codec)

    arabic = "قُتل مدنيان في قصف على مدينة إدلب يوم الأحد."
    batch = "\n".join(json.dumps({"id": i, "text": t}, ensure_ascii=False)
                      for i, t in (("wide-shepherds", SHEPHERDS), ("wide-arabic", arabic)))
    r = _post(roomy, token, ("wide.jsonl", utf16(batch + "\n")), ("azaz-market.txt", utf16(MARKET)))
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["documents_new"] == 3 and body["problems"] == [], body
    assert _stored_text(roomy, "wide-shepherds") == SHEPHERDS
    assert _stored_text(roomy, "wide-arabic") == arabic
    assert _stored_text(roomy, "azaz-market") == MARKET
    assert any(e["doc_id"] == "azaz-market" for e in body["events"])
