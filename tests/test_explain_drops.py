"""Why no type and why no actor: classify and actors tell their reasons, the components record
them as Dropped on the Doc, and `eventwire explain` shows them. Sentences are invented."""
from __future__ import annotations

import json

from click.testing import CliRunner

from eventwire.cli import main
from eventwire.stages.actors import find_actors
from eventwire.stages.classify import classify_incident


def _why_no_type(text, resources):
    why = []
    assert classify_incident(text, resources.event_types, lambda code, detail: why.append((code, detail))) == []
    (reason,) = why
    return reason


def test_classify_tells_why_a_text_has_no_type(resources):
    code, detail = _why_no_type("The minister opened a new bridge in the capital.", resources)
    assert code == "no-trigger"
    code, detail = _why_no_type("An earthquake killed nine people in the valley.", resources)
    assert code == "non-event-context" and "earthquake" in detail and "Attack" in detail
    code, detail = _why_no_type("The militants threatened to bomb the bridge.", resources)
    assert code == "weak-trigger" and "'bomb'" in detail and "threshold" in detail


def test_classify_tells_nothing_when_it_finds_a_type(resources):
    why = []
    assert classify_incident("Gunmen shot dead a baker in the square.", resources.event_types, lambda *a: why.append(a))
    assert why == []


def test_actors_tell_which_name_is_no_actor_in_the_story_s_country(resources):
    text = "The regime shelled the outskirts of the town on Friday."
    drops = []
    found = find_actors(text, 0, len(text), resources.actors, "Mexico", lambda *a: drops.append(a))
    assert all(not m.name.startswith("Military Forces of Syria") for m in found)
    (span, code, detail), = drops
    assert text[span[0]:span[1]].lower() == "the regime" and code == "actor-not-coded" and "Mexico" in detail
    # in Syria the same words are the Syrian army, and nothing is dropped
    drops.clear()
    assert [m.name for m in find_actors(text, 0, len(text), resources.actors, "Syria", lambda *a: drops.append(a))]
    assert drops == []


def _explained(tmp_path, text):
    doc = tmp_path / "report.txt"
    doc.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["explain", str(doc)])
    assert result.exit_code == 0, result.output
    (explanation,) = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    return explanation["sentences"]


def test_explain_says_why_a_violent_sentence_is_no_event(tmp_path):
    first, second = _explained(tmp_path, "Floods killed four people in the village of Karm on Monday. "
                                         "Gunmen shot dead a shepherd near Raqqa on Tuesday.")
    assert first["decision"] == "dropped"
    assert {(d["stage"], d["code"]) for d in first["dropped"]} >= {("types", "non-event-context")}
    assert second["decision"] == "incident"


def test_explain_says_why_an_incident_has_no_named_actor(tmp_path):
    (sentence,) = _explained(tmp_path, "A roadside bomb exploded near the bridge on Sunday.")
    assert sentence["decision"] == "incident"
    assert [(d["stage"], d["code"]) for d in sentence["dropped"]] == [("actors", "no-actor")]
