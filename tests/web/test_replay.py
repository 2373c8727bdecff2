"""Corrections outlive the store: exported anchored on their events' reports, replayed on a
store rebuilt from scratch from the same documents in another order, and replaying twice changes nothing."""
from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from eventwire import analyst, services
from eventwire.cli import main

SEEDS = Path(__file__).resolve().parents[2] / "samples" / "seeds.jsonl"


def _events(db: str) -> list[dict]:
    from eventwire.store.analytics import Analytics
    from eventwire.store.db import open_store
    from eventwire.store.query import EventQuery
    with open_store(db, read_only=True) as store:
        return [s.event.to_record() for s in Analytics(store).find(EventQuery(limit=1000))]


def _by_quote(events: list[dict]) -> dict[str, dict]:
    return {e["sources"][0]["quote"]: e for e in events}


def test_corrections_replay_onto_a_store_rebuilt_in_another_order(tmp_path):
    first = str(tmp_path / "first.sqlite")
    services.ingest([str(SEEDS)], first)
    events = _events(first)
    target, accepted = events[0], events[1]
    analyst.correct_event(first, target["event_id"], {"fatalities": 9, "location": "Hajin"},
                          "the local council's list names nine", "analyst-a")
    analyst.accept_event(first, accepted["event_id"], "checked", "analyst-a")

    runner = CliRunner()
    exported = runner.invoke(main, ["corrections", "export", "--db", first])
    assert exported.exit_code == 0, exported.output
    lines = [json.loads(x) for x in exported.stdout.splitlines() if x.startswith("{")]
    assert [x["kind"] for x in lines] == ["edit", "accept"] and lines[0]["anchors"]
    journal = tmp_path / "corrections.jsonl"
    journal.write_text("".join(json.dumps(x) + "\n" for x in lines), "utf-8")

    # Rebuilt from scratch, the documents in reverse order: the corrections table is empty
    # and the replay finds each event by its reports, whatever id it has now.
    reversed_seeds = tmp_path / "reversed.jsonl"
    reversed_seeds.write_text("".join(reversed(SEEDS.read_text("utf-8").splitlines(True))),
                              "utf-8")
    second = str(tmp_path / "second.sqlite")
    services.ingest([str(reversed_seeds)], second)
    rebuilt = _by_quote(_events(second))
    twin = rebuilt[target["sources"][0]["quote"]]
    assert twin["fatalities"] != 9

    replay = runner.invoke(main, ["corrections", "replay", str(journal), "--db", second])
    assert replay.exit_code == 0, replay.output
    assert "2 correction(s) applied, 0 already in place, 0 with no report" in replay.output
    after = _by_quote(_events(second))[target["sources"][0]["quote"]]
    assert after["fatalities"] == 9 and after["location"] == "Hajin"
    history = analyst.event_history(second, after["event_id"])
    assert any("nine" in (getattr(h, "reason", "") or "") for h in history)

    again = runner.invoke(main, ["corrections", "replay", str(journal), "--db", second])
    assert "0 correction(s) applied, 2 already in place" in again.output

    # a later ingest of the same documents keeps the replayed correction
    services.ingest([str(SEEDS)], second)
    assert _by_quote(_events(second))[target["sources"][0]["quote"]]["fatalities"] == 9


def test_replay_of_a_bad_file_is_a_one_line_error(tmp_path, seed_db):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"kind": "edit"}\nnot json\n', "utf-8")
    result = CliRunner().invoke(main, ["corrections", "replay", str(bad), "--db", seed_db])
    assert result.exit_code != 0 and "bad.jsonl line 2: not JSON" in result.output


def _owners(db: str, report_ids: list[str]) -> dict[str, str]:
    from eventwire.store.db import open_store
    with open_store(db, read_only=True) as store:
        return {r.report_id: r.event_id for r in store.reports_by_id(report_ids)}


def _reports(db: str, event_id: str) -> list[str]:
    from eventwire.store.db import open_store
    with open_store(db, read_only=True) as store:
        return [r.report_id for r in store.event_reports(event_id)]


def test_splits_and_merges_replay_onto_a_rebuilt_store(tmp_path, twin_reports):
    docs = twin_reports.read_text("utf-8").splitlines(True) + SEEDS.read_text("utf-8").splitlines(True)
    forward, backward = tmp_path / "forward.jsonl", tmp_path / "backward.jsonl"
    forward.write_text("".join(docs), "utf-8")
    backward.write_text("".join(reversed(docs)), "utf-8")
    first = str(tmp_path / "first.sqlite")
    services.ingest([str(forward)], first)
    events = _events(first)
    linked = next(e for e in events if len(e["sources"]) >= 2)
    members = _reports(first, linked["event_id"])
    off = members[-1:]
    new_id = analyst.split_event(first, linked["event_id"], off, "a different day", "analyst-b")
    a, b = [e for e in events if len(e["sources"]) == 1][:2]
    kept = analyst.merge_events(first, [a["event_id"], b["event_id"]], "same strike", "analyst-b")
    merged = _reports(first, kept)
    assert len(merged) == 2 and _reports(first, new_id) == off

    lines = analyst.export_corrections(first)
    assert [x["kind"] for x in lines] == ["split", "merge"]  # one line a split, not two
    assert [x["report_id"] for x in lines[0]["anchors"]] == off
    assert sorted(x["report_id"] for x in lines[1]["anchors"]) == sorted(merged)

    second = str(tmp_path / "second.sqlite")
    services.ingest([str(backward)], second)
    owners = _owners(second, members + merged)
    assert owners[off[0]] == owners[members[0]]  # the linker joins them again
    assert owners[merged[0]] != owners[merged[1]]

    report = analyst.replay_corrections(second, lines)
    assert (report.applied, report.already, report.unmatched, report.problems) == (2, 0, 0, ())
    owners = _owners(second, members + merged)
    assert _reports(second, owners[off[0]]) == off  # split off, an event of its own
    assert owners[members[0]] != owners[off[0]]
    assert owners[merged[0]] == owners[merged[1]]  # merged again
    history = analyst.event_history(second, owners[off[0]])
    assert any(h.kind == "split" and h.reason == "a different day" for h in history)

    again = analyst.replay_corrections(second, lines)
    assert (again.applied, again.already) == (0, 2)
    services.ingest([str(forward)], second)  # a later ingest of the same documents keeps both
    assert _owners(second, members + merged) == owners
