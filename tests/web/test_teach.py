"""What analysts teach the system: actor aliases the filters and later ingests know, and
pinned villages later articles are placed at."""
from __future__ import annotations

import shutil

import pytest

H = {"Authorization": "Bearer test-token-5f1c"}
# Invented article: a village no gazetteer holds, and a local name for Islamic State.
VILLAGE = "Khirbet Umm Zaytunat"
ARTICLE = (f"DEIR EZZOR, Syria - Fighters of Tanzim al-Khilafa al-Sharqi killed two shepherds"
           f" on 12 May 2024 in the village of {VILLAGE} in the eastern Deir ez-Zor"
           " countryside, a local monitor said.")


def _ids(c, **params) -> set[str]:
    return {e["event_id"] for e in c.get("/events", params={**params, "limit": 1000})
            .json()["events"]}


def _actors(e: dict) -> str:
    return " | ".join(filter(None, (e["actor1"], e["actor2"], e["assoc_actor_1"],
                                    e["assoc_actor_2"])))


def test_teach_actor_filter_knows_aliases_and_not_the_coalition(client, all_events):
    isis = {e["event_id"] for e in all_events if "Islamic State" in _actors(e)}
    assert isis and _ids(client, actor="ISIS") == isis
    assert _ids(client, actor="Daesh") == isis == _ids(client, actor="IS")
    only_coalition = {e["event_id"] for e in all_events
                      if "Daesh" in _actors(e) and "Islamic State" not in _actors(e)}
    assert only_coalition and not only_coalition & _ids(client, actor="Daesh")
    assert _ids(client, actor="coalition") == {e["event_id"] for e in all_events
                                               if "Coalition" in _actors(e)}


def test_teach_alias_and_pinned_village_reach_later_ingests(overlays, seed_db, client_for,
                                                            token, tmp_path):
    db = tmp_path / "teach.sqlite"
    shutil.copy(seed_db, db)
    with client_for(str(db), token=token) as c:
        before = c.post("/ingest", headers=H, data={"text": ARTICLE}).json()
        assert before["events_created"] == 1
        every = c.get("/events", params={"limit": 1000}).json()["events"]
        assert not [e for e in every if e["location"] == VILLAGE]  # not yet known
        assert c.post("/actors/aliases", json={"alias": "x", "actor": "isis",
                                               "reason": "r"}).status_code == 403
        bad = c.post("/actors/aliases", headers=H, json={
            "alias": "Tanzim al-Khilafa al-Sharqi", "actor": "Nobody Known", "reason": "r"})
        assert bad.status_code == 400 and "unknown actor" in bad.json()["error"]
        r = c.post("/actors/aliases", headers=H, json={
            "alias": "Tanzim al-Khilafa al-Sharqi", "actor": "ISIS",
            "reason": "the local name for the group in this monitor's reports"})
        assert r.status_code == 201 and r.json()["actor"] == "isis"
        r = c.post("/places", headers=H, json={
            "name": VILLAGE, "latitude": 35.05, "longitude": 40.55, "country": "SY",
            "admin1": "Deir-ez-Zor", "reason": "village read off the monitor's map"})
        assert r.status_code == 201, r.text
        found = c.get("/places", params={"name": VILLAGE}).json()["places"]  # the picker
        assert [(p["name"], p["admin1"], p["country"]) for p in found] == [
            (VILLAGE, "Deir-ez-Zor", "Syria")]
        # The same story told again, reworded so it is a new document.
        after = c.post("/ingest", headers=H, data={
            "text": ARTICLE.replace("a local monitor said", "residents said")}).json()
        assert after["documents_new"] == 1
        events = c.get("/events", params={"q": "residents said", "limit": 10}).json()["events"]
        if not events:
            events = [e for e in c.get("/events", params={"limit": 1000}).json()["events"]
                      if VILLAGE in (e["location"] or "")]
        placed = [e for e in events if e["location"] == VILLAGE]
        assert placed, [(e["location"], e["latitude"]) for e in events]
        assert placed[0]["latitude"] == pytest.approx(35.05, abs=0.01)
        assert "Islamic State" in _actors(placed[0])
        assert placed[0]["event_id"] in _ids(c, actor="Tanzim al-Khilafa al-Sharqi")


def test_teach_place_picker_lists_a_names_gazetteer_entries(client):
    found = client.get("/places", params={"name": "Menbij"}).json()["places"]
    assert ("Manbij", "Aleppo", "Syria") in [(p["name"], p["admin1"], p["country"]) for p in found]
    assert all(isinstance(p["latitude"], float) for p in found)
    assert client.get("/places", params={"name": "Qqqxzv Wwwq"}).json()["places"] == []
    assert client.get("/places").status_code in (400, 422)
