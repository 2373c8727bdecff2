"""Every motivating example written beside a trigger group or precedence rule in
data/event_types.json runs through the real classifier: adding an entry adds a test.

The examples are invented sentences (never ACLED text), PETRARCH-style: the actors and places
are real names of the theatre, the incidents are made up.
"""
from __future__ import annotations

import json
from importlib import resources

import pytest

from eventwire.resources import load_event_lexicon
from eventwire.stages.classify import classify_incident


def _examples() -> list[tuple[str, str, str]]:
    data = json.loads(resources.files("eventwire").joinpath("data/event_types.json").read_text("utf-8"))
    out = []
    for section in ("subtypes", "generic", "rules"):
        for entry in data[section]:
            where = entry.get("sub_event_type") or entry.get("name") or entry["notes"][:40]
            for ex in entry.get("examples", ()):
                out.append((f"{section}:{where}", ex["example"], ex["expect"]))
    return out


EXAMPLES = _examples()


@pytest.fixture(scope="module")
def lexicon():
    return load_event_lexicon()


def test_lexicon_has_motivating_examples():
    assert len(EXAMPLES) >= 20


@pytest.mark.parametrize("where, text, expect", EXAMPLES, ids=[f"{w}:{t[:40]}" for w, t, _ in EXAMPLES])
def test_event_type_example(lexicon, where, text, expect):
    res = classify_incident(text, lexicon)
    got = res[0].sub_event_type if res else None
    assert got == expect, f"{where}: {text!r} -> {got} ({[(t.sub_event_type, t.score) for t in res[:3]]})"
