"""Shared fixtures: the sample articles shipped in samples/ and the loaded resources."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def seed_docs() -> dict[str, dict]:
    """The five seed articles as JSONL documents (text, outlet, published), keyed by id."""
    docs = [json.loads(line) for line in (SAMPLES / "seeds.jsonl").read_text("utf-8").splitlines() if line.strip()]
    return {d["id"]: d for d in docs}


@pytest.fixture(scope="session")
def resources():
    """The packaged gazetteer, actor dictionary and lexicons, loaded once."""
    from eventwire.resources import load_resources
    return load_resources()


# --- store fixtures (issue 4): a fresh store per test on SQLite and on a real PostgreSQL ---

LINK_REPORTS = ROOT / "tests" / "fixtures" / "link" / "reports.jsonl"


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, tmp_path):
    """A fresh, empty store URL: a SQLite file, or a private schema on $EVENTWIRE_TEST_PG."""
    import os
    import uuid
    if request.param == "sqlite":
        yield str(tmp_path / "store.sqlite")
        return
    base = os.environ.get("EVENTWIRE_TEST_PG")
    if not base:
        pytest.skip("EVENTWIRE_TEST_PG is not set: run .ci/postgres.sh and export the URL it prints")
    import psycopg
    schema = "ew_" + uuid.uuid4().hex[:12]
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    sep = "&" if "?" in base else "?"
    yield f"{base}{sep}options=-csearch_path%3D{schema}"
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture(scope="session")
def link_reports():
    """Hand-coded reports of real FA-KES articles: [(Article, [Event])], in publication order."""
    import datetime as dt
    from eventwire.records import Article, Event
    out = []
    for line in LINK_REPORTS.read_text("utf-8").splitlines():
        row = json.loads(line)
        d = row["doc"]
        article = Article(d["id"], d["text"], outlet=d["outlet"],
                          published=dt.date.fromisoformat(d["published"]))
        out.append((article, [Event.from_record(e) for e in row["events"]]))
    return out


@pytest.fixture(scope="session")
def seed_db(tmp_path_factory) -> str:
    """A SQLite store holding the five seed articles, ingested like `eventwire ingest`."""
    from eventwire import services
    path = str(tmp_path_factory.mktemp("seeds-store") / "seeds.sqlite")
    report = services.ingest([str(SAMPLES / "seeds.jsonl")], path)
    assert report.documents_new == 5 and not report.rejected, report
    return path
