"""Claims with speakers (issue 12 item 2): every toll a report tells keeps who says it and how
(reported, claimed, denied, confirmed) in its source record; a denied toll counts 0 unless
someone confirms one, and the reason is recorded. Examples: lang/en/claims.json (invented)."""
from __future__ import annotations

import datetime as dt

import pytest

from eventwire.pipeline import extract_article
from eventwire.records import Article
from eventwire.resources import load_count_reader, load_lang_pack, load_resources
from eventwire.stages.counts import Claim, settle_deaths
from eventwire.stages.link import StoredReport, resolve_event

_COUNTS = load_count_reader()
claims_in = _COUNTS.claims_in
count_figures = _COUNTS.count_figures

PACK = load_lang_pack("claims")


@pytest.mark.parametrize("entry", PACK["stances"], ids=lambda e: e["stance"])
def test_stance_example(entry):
    claims = claims_in(entry["example"])
    assert [[c.speaker, c.stance, c.value] for c in claims] == entry["expect"]["claims"]
    assert settle_deaths(claims, count_figures(entry["example"]).fatalities)[0] == entry["expect"]["deaths"]
    assert any(v.lower() in entry["example"].lower() for v in entry["verbs"])


def _report(text: str, published: str):
    events = extract_article(Article("claims-test", text, published=dt.date.fromisoformat(published),
                                     outlet="Invented"), load_resources())
    assert len(events) == 1, [e.sub_event_type for e in events]
    return events[0]


@pytest.mark.parametrize("entry", PACK["reports"], ids=lambda e: e["why"][:50])
def test_report_example(entry):
    event = _report(entry["example"], entry["published"])
    assert event.fatalities == entry["expect"]["deaths"]
    claims = event.sources[0].claims
    assert claims["fatalities"] == event.fatalities and claims["fatalities_reason"]
    assert all(set(s) == {"field", "value", "speaker", "stance"} for s in claims["statements"])


def test_the_source_keeps_each_claim_with_its_speaker():
    event = _report(PACK["reports"][0]["example"], "2025-03-03")
    statements = event.sources[0].claims["statements"]
    assert {"field": "fatalities", "value": 20, "speaker": "Islamic State", "stance": "reported"} in statements
    assert {"field": "fatalities", "value": None, "speaker": "The army", "stance": "denied"} in statements
    assert event.sources[0].claims["fatalities_reason"].startswith("denied by The army")


def test_a_denial_of_something_else_denies_no_toll():
    assert claims_in("The army denied involvement in the bombing.") == []
    assert [c.stance for c in claims_in("The army did not deny the losses.")] == []
    assert [(c.speaker, c.stance) for c in claims_in("The militia claimed to have killed 12 fighters, a claim the SDF "
                                                      "rejected.")] == [("The militia", "claimed"), ("the SDF", "denied")]
    assert claims_in("It was a claim the SDF rejected.") == []  # no figure claimed before it


def test_according_to_names_its_speaker():
    assert claims_in("Nine civilians were killed, according to the local council.") == \
        [Claim(9, "the local council", "reported")]


def _stored(event, n):
    return StoredReport(f"r{n}", "ev", f"hash{n}", event)


def test_linked_reports_denial_counts_zero_unless_confirmed():
    claimed = _report("Monday 3 March 2025. Islamic State said its fighters killed 20 soldiers at a checkpoint "
                      "near the town on Sunday.", "2025-03-03")
    denied = _report("Monday 3 March 2025. Islamic State attacked a checkpoint near the town on Sunday. "
                     "The army denied any casualties.", "2025-03-03")
    resolved = resolve_event("ev", [_stored(claimed, 1), _stored(denied, 2)])
    assert resolved.fatalities == 0
    assert resolved.choices["fatalities"]["reason"].startswith("denied by The army")
    confirmed = _report("Monday 3 March 2025. Islamic State attacked a checkpoint near the town on Sunday. "
                        "A military source confirmed that three soldiers were killed.", "2025-03-03")
    resolved = resolve_event("ev", [_stored(claimed, 1), _stored(denied, 2), _stored(confirmed, 3)])
    assert resolved.fatalities == 3 and "confirmed" in resolved.choices["fatalities"]["reason"]


def test_linked_reports_take_the_conservative_toll_with_the_reason():
    a = _report("Monday 3 March 2025. Gunmen killed five farmers near the well on Sunday.", "2025-03-03")
    b = _report("Monday 3 March 2025. Gunmen killed three farmers near the well on Sunday.", "2025-03-03")
    resolved = resolve_event("ev", [_stored(a, 1), _stored(b, 2)])
    assert resolved.fatalities == 3
    assert resolved.choices["fatalities"] == {"value": 3, "reason": "the lowest positive toll of 2 reports (5, 3)",
                                              "reports": ["r2"]}


@pytest.mark.parametrize("entry", PACK["not_denials"], ids=lambda e: e["example"][:40])
def test_a_denial_of_responsibility_or_use_denies_no_toll(entry):
    assert [[c.speaker, c.stance, c.value] for c in claims_in(entry["example"])] == entry["expect"]["claims"]
