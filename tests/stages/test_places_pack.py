"""Every example of the places language pack (eventwire/data/lang/en/places.json) runs through
the real places stage and gives what its entry expects."""
from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from eventwire.resources import load_gazetteer
from eventwire.records import Article
from eventwire.stages.places import resolve_place

PACK = json.loads((Path(__file__).resolve().parents[2] / "eventwire" / "data" / "lang" / "en"
                   / "places.json").read_text("utf-8"))
ENTRIES = [e for group in ("before", "after", "more_specific") for e in PACK["countryside"][group]] + \
    PACK["unknown_village_in_governorate"]["examples"] + PACK["namesakes"]["examples"]


@pytest.fixture(scope="module")
def gaz(tmp_path_factory):
    return load_gazetteer(overlay=str(tmp_path_factory.mktemp("none") / "places.tsv"))


def _km(a, b):
    p1, p2 = math.radians(a.lat), math.radians(b.latitude)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(
        math.radians(b.longitude - a.lon) / 2) ** 2
    return 12742 * math.asin(math.sqrt(h))


@pytest.mark.parametrize("entry", ENTRIES, ids=[e["example"][:40] for e in ENTRIES])
def test_places_pack_example_gives_its_expectation(gaz, entry):
    text = entry["example"]
    place = resolve_place(Article(id="pack", text=text), [(0, len(text))], gaz)
    assert {k: getattr(place, k) for k in entry["expect"]} == entry["expect"]
    if "expect_near" in entry:
        cc = entry.get("expect_near_cc", "SY")
        town = [p for p in gaz.by_name(entry["expect_near"]) if p.kind == "P" and p.cc == cc][0]
        assert _km(town, place) < 1.0
