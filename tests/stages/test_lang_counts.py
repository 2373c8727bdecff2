"""The counts stage's language packs (number words, kill verbs): every entry's invented example
sentence goes through the real counts stage and must yield the entry's expectation."""
import re

import pytest

from eventwire.resources import load_count_reader, load_lang_pack

_COUNTS = load_count_reader()
count_figures = _COUNTS.count_figures
parse_number = _COUNTS.parse_number

NUMBER_WORDS = load_lang_pack("number_words")
KILL_FORMS = load_lang_pack("kill_verbs")["forms"]
NUMBER_ENTRIES = NUMBER_WORDS["numerals"] + NUMBER_WORDS["tens"]


@pytest.mark.parametrize("entry", NUMBER_ENTRIES, ids=lambda e: e["word"])
def test_number_word_example(entry):
    assert entry["word"].lower() in entry["example"].lower()
    assert parse_number(entry["word"]) == entry["value"]
    assert count_figures(entry["example"]).fatalities == entry["expect"]["deaths"]


@pytest.mark.parametrize("entry", KILL_FORMS, ids=lambda e: e["form"])
def test_kill_verb_example(entry):
    assert re.search(rf"\b(?:{entry['form']})\b", entry["example"], re.I), "the example must use its form"
    assert count_figures(entry["example"]).fatalities == entry["expect"]["deaths"]


def test_compound_tens_and_longest_phrase():
    assert parse_number("twenty-five") == 25 and parse_number("ninety nine") == 99
    # the longest phrase wins: "one hundred" is 100, not the "one" it begins with
    assert count_figures("The bombing killed one hundred people in the market.").fatalities == 100


def test_a_figure_verb_alone_is_no_death():
    # 'left'/'leaving' precede a toll only with a death word: here the figure is the wounded
    assert count_figures("A roadside bomb left 3 policemen injured near the bridge.").fatalities is None
    assert count_figures("The mine exploded, leaving one shepherd wounded.").fatalities is None


def test_counted_agents_are_no_victims():
    # a count before an agentive verb counts its doers: 'after_count' leaves such verbs out
    assert count_figures("Some 200 villagers lynched a thief in the square.").fatalities == 1
    assert count_figures("A farmer was seized by three men and stabbed to death.").fatalities != 3


def test_every_kill_form_has_a_known_use():
    uses = {"act", "before_figure", "passive", "intransitive", "after_count"}
    for f in KILL_FORMS:
        assert f["uses"] and set(f["uses"]) <= uses, f["form"]
