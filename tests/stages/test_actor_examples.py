"""Every motivating example written beside an actor in data/actors.jsonl (from
tools/data/actors_curated.jsonl) runs through the real actors stage: adding an entry with an
example adds a test. Examples are invented sentences about real actors (PETRARCH-style)."""
from __future__ import annotations

import json
from importlib import resources

import pytest

from eventwire.resources import load_actor_lexicon
from eventwire.stages.actors import find_actors


def _examples() -> list[tuple[str, str, str, str | None]]:
    text = resources.files("eventwire").joinpath("data/actors.jsonl").read_text("utf-8")
    return [(rec["id"], ex["example"], ex["expect"], ex.get("country"))
            for rec in map(json.loads, filter(str.strip, text.splitlines()))
            for ex in rec.get("examples", ())]


EXAMPLES = _examples()


@pytest.fixture(scope="module")
def lexicon():
    return load_actor_lexicon()


def test_theatre_actors_have_examples():
    assert len(EXAMPLES) >= 15


@pytest.mark.parametrize("actor_id, text, expect, country", EXAMPLES,
                         ids=[f"{a}:{t[:40]}" for a, t, _, _ in EXAMPLES])
def test_actor_example(lexicon, actor_id, text, expect, country):
    names = [m.name for m in find_actors(text, 0, len(text), lexicon, country)]
    assert expect in names, f"{actor_id}: {text!r} -> {names}"


def test_operation_absorbs_only_its_listed_forces(lexicon):
    text = "Turkish-backed factions operating under OPS shelled QSD positions near Tell Abiad."
    names = [m.name for m in find_actors(text, 0, len(text), lexicon, "Syria")]
    assert "Operation Peace Spring" in names and "QSD: Syrian Democratic Forces" in names
    assert "JWS: Syrian National Army" not in names
    plain = "Turkish-backed factions shelled QSD positions near Tell Abiad."
    assert "JWS: Syrian National Army" in [m.name for m in find_actors(plain, 0, len(plain), lexicon, "Syria")]
