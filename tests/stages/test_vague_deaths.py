"""ACLED's default for deaths told without a number, by event type (event_types.json
'vague_deaths'): every invented example runs through the whole extract pipeline."""
import json
from importlib import resources as importlib_resources

import pytest

from eventwire.pipeline import extract_article
from eventwire.records import Article

RULE = json.loads(importlib_resources.files("eventwire.data").joinpath("event_types.json").read_text("utf-8"))["vague_deaths"]


@pytest.mark.parametrize("entry", RULE["examples"], ids=lambda e: e["example"][17:60])
def test_vague_deaths_example(entry, resources):
    (event,) = extract_article(Article(id="vague", text=entry["example"]), resources)
    assert event.fatalities == entry["expect"], (event.event_type, event.sub_event_type)


def test_a_battle_with_a_counted_toll_keeps_its_count(resources):
    text = "On 3 March 2021, government troops clashed with rebels near Kafr Dael, killing three rebels."
    (event,) = extract_article(Article(id="counted", text=text), resources)
    assert event.event_type == "Battles" and event.fatalities == 3
