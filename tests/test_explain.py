"""`eventwire explain`: every sentence's fate, and the drop reason of every seed non-event."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from eventwire.cli import main
from eventwire.explain import as_text, explain

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "samples" / "seeds.jsonl"
GOLD = ROOT.parent / "shared" / "eval" / "dev" / "seeds.gold.json"


def _gold() -> dict:
    if not GOLD.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{GOLD} is missing (CI=true)")
        pytest.skip(f"{GOLD} not present")
    return json.loads(GOLD.read_text("utf-8"))


def _where(explanation: dict, passage: str) -> list[str]:
    """What explain says about the passage: the drop codes of the sentences holding its first
    words, or the read stage's code when the cleaner left it out of the body."""
    head = " ".join(passage.split(" ... ")[0].split()[:6])
    said = []
    for s in explanation["sentences"]:
        if head in " ".join(s["text"].split()):
            assert s["decision"] != "incident", f"'{passage}' became incident {s.get('incident')}"
            said += [d["code"] for d in s.get("dropped", [])]
    opening = " ".join(passage.split()[:3])  # a left-out line may hold only its first line
    said += [r["code"] for r in explanation["read"] if opening in r["text"]]
    return said


def test_explain_gives_every_seed_non_event_its_drop_reason(resources):
    gold = _gold()
    explanations = {e["doc"]: e for e in explain([str(SEEDS)], resources)}
    for passage in gold["non_events"]:
        codes = _where(explanations[passage["doc"]], passage["text"])
        assert codes, f"{passage['doc']}: no drop reason shown for '{passage['text']}' ({passage['why']})"


def test_explain_tells_the_incident_a_sentence_joined_and_how_it_was_coded(resources, tmp_path):
    doc = tmp_path / "one.jsonl"
    doc.write_text(json.dumps({"id": "x1", "published": "2021-03-02", "text": (
        "Gunmen shot dead two farmers near the village of Karma on Monday. "
        "Such attacks have killed 140 people in the province since January.")}) + "\n", encoding="utf-8")
    (exp,) = explain([str(doc)], resources)
    first, second = exp["sentences"]
    assert first["decision"] == "incident" and first["fatalities"] == 2 and first["events"]
    assert second["decision"] == "dropped" and second["dropped"][0]["code"] == "aggregate"
    text = as_text(exp)
    assert "incident 1:" in text and "dropped by incidents: aggregate" in text


def test_explain_cli_json_when_not_a_terminal_and_doc_filter():
    result = CliRunner().invoke(main, ["explain", str(SEEDS), "--doc", "002_5e97fcbeb6fe671a"])
    assert result.exit_code == 0, result.output
    (line,) = result.output.strip().splitlines()
    assert json.loads(line)["doc"] == "002_5e97fcbeb6fe671a"
    missing = CliRunner().invoke(main, ["explain", str(SEEDS), "--doc", "nope"])
    assert missing.exit_code == 1


@pytest.mark.parametrize("text, surface, code", [
    # two names run together are one village the gazetteer lacks, not Al Ain in the Emirates
    ("Gunmen shot a shepherd dead in Ayn Laylah near Qara Tepe on Monday.", "Ayn", "part-of-longer-name"),
    # a small Ethiopian namesake in a story whose district is Iraqi
    ("Mortar rounds killed a farmer in Dabat, a hamlet outside Ar Rutba district, on Monday.", "Dabat",
     "foreign-namesake"),
])
def test_explain_tells_why_a_toponym_was_not_used(resources, tmp_path, text, surface, code):
    doc = tmp_path / "one.jsonl"
    doc.write_text(json.dumps({"id": "p1", "text": text}) + "\n", "utf-8")
    (exp,) = explain([str(doc)], resources)
    (sentence,) = exp["sentences"]
    drops = [d for d in sentence["dropped"] if d["stage"] == "places" and d["code"] == code]
    assert drops and f"'{surface}'" in drops[0]["detail"]
    assert sentence["place"]["country"] == "Iraq"


FAKES = ROOT.parent / "shared" / "eval" / "dev" / "fakes.dev.jsonl"


def _fakes_inputs(tmp_path: Path) -> Path:
    """The FA-KES dev articles (CC BY 4.0) as extract inputs, as the eval's run.sh gives them."""
    if not FAKES.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{FAKES} is missing (CI=true)")
        pytest.skip(f"{FAKES} not present")
    path = tmp_path / "fakes.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for line in FAKES.read_text("utf-8").splitlines():
            r = json.loads(line)
            out.write(json.dumps({"id": r["id"], "text": r["text"], "title": r.get("title"), "published": r.get("date"),
                                  "outlet": r.get("source")}) + "\n")
    return path


@pytest.mark.slow
def test_every_sentence_that_yields_no_event_says_why_it_was_left_out(resources, tmp_path):
    # Issue 12's segmentation model: a sentence left out of every event carries its reason,
    # background, aggregate, threat-or-plan, other-incident or recalled-incident, and explain
    # shows it; on the seeds and on every FA-KES dev article.
    from eventwire.doc import LEFT_OUT
    unexplained, reasons = [], set()
    for exp in explain([str(SEEDS), str(_fakes_inputs(tmp_path))], resources):
        if not isinstance(exp, dict):
            continue
        for s in exp["sentences"]:
            if s["decision"] == "incident" and s["events"]:
                continue
            said = {d.get("reason") for d in s.get("dropped", [])} & set(LEFT_OUT)
            reasons |= said
            if not said:
                unexplained.append((exp["doc"], s["index"], s["text"][:80], s.get("dropped")))
    assert not unexplained, f"{len(unexplained)} sentences give no event and no reason, e.g. {unexplained[:3]}"
    assert reasons == set(LEFT_OUT), f"reasons never given: {set(LEFT_OUT) - reasons}"
