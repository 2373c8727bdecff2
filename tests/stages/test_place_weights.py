"""The places stage's numbers (eventwire/data/lang/en/place_weights.json): each says why and
gives an example, each is read by the stage, and the stage's choices follow them."""
from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path
from types import SimpleNamespace

import pytest

from eventwire.resources import load_gazetteer
from eventwire.records import Article
from eventwire.stages.places import resolve_place

ROOT = Path(__file__).resolve().parents[2]
PACK = json.loads((ROOT / "eventwire" / "data" / "lang" / "en" / "place_weights.json").read_text("utf-8"))
SOURCE = (ROOT / "eventwire" / "stages" / "places.py").read_text("utf-8")
ENTRIES = [(section, name, entry) for section, group in PACK.items() if isinstance(group, dict)
           for name, entry in group.items() if isinstance(entry, dict)]


@pytest.fixture(scope="module")
def gaz(tmp_path_factory):
    return load_gazetteer(overlay=str(tmp_path_factory.mktemp("none") / "places.tsv"))


@pytest.mark.parametrize("section, name, entry", ENTRIES, ids=[f"{s}.{n}" for s, n, _ in ENTRIES])
def test_every_weight_says_why_gives_an_example_and_is_read(section, name, entry):
    assert entry.get("why") and entry.get("example"), f"{section}.{name} needs a why and an example"
    numbers = [entry[k] for k in ("value", "weight", "vote") if k in entry]
    assert numbers and all(isinstance(n, (int, float)) for n in numbers)
    # a weight no code reads is a stale one
    assert re.search(rf"""(?:\.{name}\b|\["{name}"\])""", SOURCE) or section in ("attachment", "kind_rank"), name
    if section == "attachment":
        assert f'return "{name}"' in SOURCE or f'"{name}" if' in SOURCE or f'else "{name}"' in SOURCE


def test_the_stage_follows_its_weights(gaz):
    text = "Fighters from Homs attacked a checkpoint in Hama on Monday."
    assert resolve_place(Article(id="w1", text=text), [(0, len(text))], gaz).admin1 == "Hama"
    # were 'from X' to tie a name more firmly than 'in X', the fighters' town would be the place
    att = dict(gaz.weights.attachment, weak=SimpleNamespace(weight=3.0, precision=1, vote=0.5))
    swapped = dataclasses.replace(gaz, weights=dataclasses.replace(gaz.weights, attachment=att))
    assert resolve_place(Article(id="w2", text=text), [(0, len(text))], swapped).admin1 == "Homs"
