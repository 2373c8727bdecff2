"""Linking reports of one incident: blocking, pairwise scores, merge, and ACLED resolution."""
from __future__ import annotations

import dataclasses

from eventwire.stages.link import (LinkSettings, StoredReport, blocking_key, link_report,
                                   resolve_event)


def _reports(link_reports) -> dict[str, object]:
    return {e.event_id: e for _, events in link_reports for e in events}


def _stored(event, event_id=None, doc_hash=None) -> StoredReport:
    return StoredReport("r-" + event.event_id, event_id or event.event_id,
                        doc_hash or event.doc_id, event)


def test_link_joins_two_outlets_reporting_one_attack(link_reports):
    r = _reports(link_reports)
    stored = _stored(r["fakes-1923102872-0"])  # The New Arab: Khan Sheikhun, 72 dead
    decision = link_report(r["fakes-1923848144-0"], [stored], set())  # Ahram: toll rises to 86
    assert decision.event_id == stored.event_id
    assert decision.partner_report_id == stored.report_id
    assert decision.score >= LinkSettings().threshold
    assert decision.features["place"] == 1.0 and decision.features["type"] == 1.0


def test_link_joins_a_region_only_report_to_the_town_report(link_reports):
    r = _reports(link_reports)
    # Ahram names only "Idlib province" (geo_precision 3); The New Arab names the town.
    decision = link_report(r["fakes-1923848146-0"], [_stored(r["fakes-1923102872-0"])], set())
    assert decision.event_id == "fakes-1923102872-0"


def test_link_keeps_same_day_incidents_in_different_towns_apart(link_reports):
    r = _reports(link_reports)
    # 1 Aug 2016, Idleb: Russian raids on Abu al-Duhur vs chlorine on Saraqeb.
    decision = link_report(r["fakes-1926479326-0"], [_stored(r["fakes-1924058123-0"])], set())
    assert decision.event_id is None
    assert decision.partner_report_id == "r-fakes-1924058123-0"  # the reason is still kept


def test_link_never_merges_two_events_of_one_document(link_reports):
    r = _reports(link_reports)
    strike = r["fakes-1923848144-1"]
    twin = dataclasses.replace(strike, event_id="twin")  # identical report, same document
    stored = _stored(twin, event_id="E1")
    assert link_report(strike, [stored], set()).event_id == "E1"
    assert link_report(strike, [stored], {"E1"}).event_id is None


def test_link_refuses_a_pair_in_different_admin1(link_reports):
    r = _reports(link_reports)
    other = dataclasses.replace(r["fakes-1923102872-0"], admin1="Hama")
    assert link_report(r["fakes-1923848144-0"], [_stored(other)], set()).event_id is None


def test_link_blocking_key_spans_the_date_window(link_reports):
    r = _reports(link_reports)
    block = blocking_key(r["fakes-1923102872-0"])
    assert (block.country, block.family, block.admin1) == ("Syria", "violence", "Idleb")
    assert (block.date_from, block.date_to) == ("2017-04-03", "2017-04-05")
    assert blocking_key(dataclasses.replace(r["fakes-1923102872-0"], event_date=None)) is None
    assert blocking_key(dataclasses.replace(r["fakes-1923102872-0"], country=None)) is None


def test_link_resolve_follows_acled_rules(link_reports):
    r = _reports(link_reports)
    members = [_stored(r[k], event_id="E") for k in
               ("fakes-1923848146-0", "fakes-1923102872-0", "fakes-1923848144-0")]
    event = resolve_event("E", members)
    assert event.event_id == "E"
    assert event.fatalities == 58  # the most conservative toll of 58 / 72 / 86
    assert event.location == "Khan Shaykhun" and event.geo_precision == 1  # most precise place
    assert [s.doc_id for s in event.sources] == [m.event.doc_id for m in members]
    assert [s.claims["fatalities"] for s in event.sources] == [58, 72, 86]
    assert event.confidence > max(m.event.confidence for m in members)


def test_link_resolve_ignores_reports_without_a_toll(link_reports):
    r = _reports(link_reports)
    a = dataclasses.replace(r["fakes-1923102872-0"], fatalities=0)
    b = r["fakes-1923848144-0"]
    assert resolve_event("E", [_stored(a, "E"), _stored(b, "E")]).fatalities == 86
