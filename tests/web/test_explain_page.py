"""Explain through the services layer: GET /documents/{id}/explain answers what
`eventwire explain` says of the same document's input, and the document page shows every
sentence's decision or drop reason (in real Chromium)."""
from __future__ import annotations

import re
import urllib.parse
from pathlib import Path

import pytest

from eventwire import services

SEEDS = Path(__file__).resolve().parents[2] / "samples" / "seeds.jsonl"
SEED_DOCS = ("000_34b8d31dad1cf61c", "002_5e97fcbeb6fe671a")
# A sentence of seed 002 that is a four-month tally, not one incident.
TALLY = "177 attacks"


def _sentences(explanation: dict) -> list[dict]:
    return [{k: v for k, v in s.items() if k != "stored_events"}
            for s in explanation["sentences"]]


@pytest.mark.parametrize("doc_id", SEED_DOCS)
def test_explain_route_tells_what_the_command_tells_of_the_input(client, doc_id):
    (of_input,) = services.explain_inputs([str(SEEDS)], doc_id)
    answer = client.get(f"/documents/{doc_id}/explain")
    assert answer.status_code == 200, answer.text
    stored = answer.json()
    assert stored["doc"] == doc_id and stored["events"] == of_input["events"]
    assert _sentences(stored) == _sentences(of_input)
    for s in stored["sentences"]:
        if s["decision"] == "incident":  # each incident sentence links to a stored event
            assert s["stored_events"], s
            for event_id in s["stored_events"]:
                assert client.get(f"/events/{urllib.parse.quote(event_id)}").status_code == 200


def test_explain_route_gives_a_tally_its_drop_reason(client):
    stored = client.get(f"/documents/{SEED_DOCS[1]}/explain").json()
    (tally,) = [s for s in stored["sentences"] if TALLY in s["text"]]
    assert tally["decision"] == "dropped"
    assert "aggregate" in [d["code"] for d in tally["dropped"]]


def test_explain_route_404s_for_an_unknown_document_and_is_in_openapi(client):
    for doc_id in ("no-such-doc", "a/b"):
        answer = client.get(f"/documents/{doc_id}/explain")
        assert answer.status_code == 404 and answer.json()["code"] == "not-found"
    operation = client.get("/openapi.json").json()["paths"]["/documents/{doc_id}/explain"]["get"]
    assert {"200", "404"} <= set(operation["responses"])


@pytest.mark.slow
def test_explain_document_page_shows_each_sentences_decision(browser, live_server):
    doc_id = SEED_DOCS[1]
    browser.get(f"{live_server.url}/documents/{doc_id}?format=html")
    items = browser.find_elements("css selector", "#explain li.sentence")
    (of_input,) = services.explain_inputs([str(SEEDS)], doc_id)
    assert len(items) == len(of_input["sentences"])
    for item, want in zip(items, of_input["sentences"]):
        assert item.get_attribute("data-decision") == want["decision"]
        shown = re.sub(r"\s+", " ", item.text)
        for d in want.get("dropped", []):
            assert f"Dropped by {d['stage']}: {d['code']}" in shown, shown
        if want["decision"] == "incident":
            assert f"Incident {want['incident']}: {want['event_type']}" in shown, shown
    (tally,) = [i for i in items if TALLY in i.text]
    assert "Dropped by incidents: aggregate" in re.sub(r"\s+", " ", tally.text)
    linked = browser.find_elements("css selector", "#explain li.sentence a[href^='/events/']")
    assert linked, "no incident sentence links to its stored event"
    linked[0].click()
    assert "/events/" in browser.current_url and browser.find_element("css selector", "h1").text
