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
