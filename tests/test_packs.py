"""Language packs (eventwire/data/lang/en/*.json): every entry's example, run through the real
component, yields what the entry says. Adding an entry adds a test."""
from __future__ import annotations

import pytest

from eventwire.records import Article
from eventwire.resources import load_abbreviations, load_pack
from eventwire.stages.annotate import split_sentences


def _entries(stage: str, key: str) -> list:
    return [pytest.param(e, id=f"{stage}:{e[next(iter(e))]}") for e in load_pack(stage)[key]]


@pytest.mark.parametrize("entry", _entries("annotate", "abbreviations"))
def test_annotate_abbreviation_keeps_its_sentence_whole(entry):
    article = Article(id="pack", text=entry["example"])
    assert len(split_sentences(article, load_abbreviations())) == entry["expect"]["sentences"]
    # the entry is what holds it together: without it the example splits
    without = load_abbreviations() - {entry["abbreviation"]}
    assert len(split_sentences(article, without)) > entry["expect"]["sentences"], "the example does not need its entry"


@pytest.mark.parametrize("stage", ["annotate"])
def test_every_pack_entry_carries_an_example_and_an_expectation(stage):
    pack = load_pack(stage)
    entries = [e for v in pack.values() if isinstance(v, list) for e in v]
    assert entries and all(e.get("example") and "expect" in e for e in entries)
