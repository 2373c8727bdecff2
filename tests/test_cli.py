"""The command line on real and broken inputs: good documents survive bad neighbours."""
import json

from click.testing import CliRunner

from eventwire.cli import main


def test_cli_extract_keeps_good_documents_and_fails_on_bad_ones(tmp_path, seed_docs):
    batch = tmp_path / "batch.jsonl"
    good = seed_docs["003_591d6589a516fc68"]
    batch.write_text(json.dumps(good) + "\n{broken json\n" + json.dumps({"id": "e", "text": ""}) + "\n",
                     encoding="utf-8")
    (tmp_path / "pic.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    out = tmp_path / "events.jsonl"
    result = CliRunner().invoke(main, ["extract", str(batch), str(tmp_path / "pic.txt"), "-o", str(out)])
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("eventwire:")]
    assert any("batch.jsonl:2" in line and "bad-json" in line for line in errors)
    assert any(line.startswith("eventwire: pic: read: binary") for line in errors)
    assert any("warning: e: read: empty" in line for line in errors)
    events = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert {e["doc_id"] for e in events} == {"003_591d6589a516fc68"}
    assert {e["event_date"] for e in events} >= {"2021-01-09", "2020-12-30"}


def test_cli_extract_exit_zero_when_every_document_was_read(tmp_path):
    page = tmp_path / "page.html"
    page.write_text("<html><head><script>alert('Gunmen killed 90 people')</script></head><body><nav>Home</nav>"
                    "<article><p>On Monday, gunmen killed two shepherds near Palmyra, Homs province, "
                    "the Syrian Observatory for Human Rights said. The attackers fled into the desert.</p>"
                    "</article></body></html>", encoding="utf-8")
    result = CliRunner().invoke(main, ["extract", str(page), "-o", "-"])
    assert result.exit_code == 0, result.output
    (event,) = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert event["doc_id"] == "page" and event["fatalities"] == 2
    assert "alert" not in event["sources"][0]["quote"]


def test_cli_read_writes_the_cleaned_record(tmp_path, seed_docs):
    src = tmp_path / "004_rudaw.txt"
    src.write_text(seed_docs["004_3907ad565924e81d"]["text"], encoding="utf-8")
    result = CliRunner().invoke(main, ["read", str(src), "-o", "-"])
    assert result.exit_code == 0
    (doc,) = [json.loads(line) for line in result.stdout.splitlines()]
    # exactly the fields EVENTS.md lists for the read record; the encoding only when asked for
    assert set(doc) == {"id", "title", "text", "published", "outlet", "url", "byline", "dateline", "language"}
    assert doc["published"] == "2017-08-03"
    assert "Mark Anthony" not in doc["text"] and "0.25 seconds" not in doc["text"]


def test_cli_store_commands_refuse_bad_values_in_one_line(tmp_path, link_reports):
    from eventwire import services
    db = str(tmp_path / "s.sqlite")
    services.ingest_extracted(db, link_reports)
    runner = CliRunner()
    edge = runner.invoke(main, ["brief", "--db", db, "--since", "9999-12-31"])  # was a traceback
    assert edge.exit_code == 0 and "No events in the store match" in edge.stdout
    too_long = runner.invoke(main, ["brief", "--db", db, "--since", "1900-01-01"])
    assert too_long.exit_code == 2, too_long.output
    assert too_long.stderr.strip().startswith("eventwire: error [bad-request]: date_from")
    assert len(too_long.stderr.strip().splitlines()) == 1 and too_long.exc_info[0] is SystemExit
    mistyped = runner.invoke(main, ["export", "--db", db, "--format", "jsonl", "--since", "2017-13-01"])
    assert mistyped.exit_code == 2 and "--since" in mistyped.stderr
    wildcard = runner.invoke(main, ["export", "--db", db, "--format", "jsonl", "--actor", "%"])
    # no actor holds a literal '%': refused as an unknown value, never read as a wildcard
    assert wildcard.exit_code == 3 and wildcard.stdout == ""
    assert wildcard.stderr.startswith("eventwire: error [unknown-filter-value]: no event has actor '%'")


def test_cli_read_only_commands_never_create_a_store(tmp_path):
    missing = tmp_path / "mistyped.sqlite"
    for args in (["export", "--format", "jsonl"], ["brief"]):
        result = CliRunner().invoke(main, [*args, "--db", str(missing)])
        assert result.exit_code == 6, result.output
        assert result.stderr.strip() == f"eventwire: error [store-unavailable]: no store at {missing}"
        assert not missing.exists()


def test_cli_read_commands_read_a_store_an_older_eventwire_wrote(tmp_path, link_reports):
    # A store at schema version 5 (before the text index's covering index): export and brief
    # bring it up to date, as ingest would, instead of refusing it.
    from eventwire import services
    from eventwire.store.db import _MIGRATIONS, open_store
    db = str(tmp_path / "old.sqlite")
    services.ingest_extracted(db, link_reports)
    with open_store(db) as store, store.transaction():
        store.execute("DROP INDEX events_text_cover")
        store.execute("DELETE FROM schema_version WHERE version > 5")
    result = CliRunner().invoke(main, ["export", "--db", db, "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    assert len(result.stdout.splitlines()) == services.store_counts(db)["events"] > 0
    with open_store(db) as store:
        assert store.schema_version() == _MIGRATIONS[-1][0]
