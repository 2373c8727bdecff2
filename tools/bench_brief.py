"""Benchmark `eventwire brief` on a store of about 100,000 events.

Builds the store once (kept at --db for later runs): real FA-KES articles
(shared/eval/dev/fakes.dev.jsonl, CC BY 4.0) are extracted once, then their documents and
events are stored again and again through `services.ingest_extracted`, each copy moved to a
random day of 2019-2023 (the relative dates inside a document kept), until the store holds
--events events. Then times a one-month brief of the busiest governorate, end to end
(query, aggregation, map, timeline, Markdown, HTML and PDF), and fails if it takes 10 s or more.

Usage: python tools/bench_brief.py [--db /tmp/eventwire-brief-bench.sqlite] [--events 100000]
"""
from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from eventwire import services  # noqa: E402
from eventwire.briefs import BriefRequest  # noqa: E402
from eventwire.services import write_brief  # noqa: E402
from eventwire.records import Article, Event  # noqa: E402
from eventwire.store.db import open_store  # noqa: E402
from eventwire.store.query import EventQuery  # noqa: E402

FAKES = ROOT.parent / "shared" / "eval" / "dev" / "fakes.dev.jsonl"
FIRST_DAY = dt.date(2019, 1, 1)
SPAN_DAYS = 5 * 365


def extract_corpus(path: Path) -> list[tuple[Article, list[Event]]]:
    """Read and extract every article once."""
    from eventwire.pipeline import extract, read_documents
    from eventwire.resources import load_resources

    docs = path.with_suffix(".docs.jsonl")
    with docs.open("w", encoding="utf-8") as out, path.open(encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            out.write(json.dumps({"id": r["id"], "text": r["text"], "title": r.get("title"),
                                  "published": r.get("date"), "outlet": r.get("source")}) + "\n")
    resources = load_resources()
    pairs = []
    for article in read_documents([str(docs)]):
        if isinstance(article, Article):
            events = [e for e in extract([article], resources) if isinstance(e, Event)]
            pairs.append((article, events))
    docs.unlink()
    return pairs


def _shift(date: str | None, days: int) -> str | None:
    return (dt.date.fromisoformat(date) + dt.timedelta(days)).isoformat() if date else None


def _copy(article: Article, events: list[Event], k: int, rng: random.Random
          ) -> tuple[Article, list[Event]]:
    """The document as copy k: new ids, new text hash, every date moved by one offset."""
    anchor = article.published or FIRST_DAY
    days = (FIRST_DAY + dt.timedelta(rng.randrange(SPAN_DAYS)) - anchor).days
    doc_id = f"{article.id}-c{k}"
    new_article = dataclasses.replace(article, id=doc_id, text=f"{article.text}\n[copy {k}]",
                                      published=anchor + dt.timedelta(days))
    new_events = [dataclasses.replace(
        e, event_id=f"{e.event_id}-c{k}", doc_id=doc_id, event_date=_shift(e.event_date, days),
        sources=[dataclasses.replace(s, doc_id=doc_id, published=_shift(s.published, days))
                 for s in e.sources]) for e in events]
    return new_article, new_events


def build_store(db: str, target: int) -> None:
    """Fill the store with shifted copies of the extracted corpus until `target` events."""
    t0 = time.perf_counter()
    pairs = extract_corpus(FAKES)
    print(f"extracted {len(pairs)} articles in {time.perf_counter() - t0:.1f}s", flush=True)
    pairs = [(a, evs) for a, evs in pairs if evs]
    rng = random.Random(7)
    copy_no = 0
    while services.count_events(db) < target:
        batch = []
        for _ in range(10):
            copy_no += 1
            batch += [_copy(a, evs, copy_no, rng) for a, evs in pairs]
        services.ingest_extracted(db, batch)
        print(f"{services.count_events(db)} events after {time.perf_counter() - t0:.0f}s",
              flush=True)


def busiest_month(db: str) -> tuple[str, str, str]:
    """(admin1, first day, last day) of the governorate-month with the most events."""
    with open_store(db) as store:
        row = store.conn.execute(
            "SELECT admin1, substr(event_date, 1, 7) AS m, COUNT(*) AS n FROM events"
            " WHERE admin1 IS NOT NULL AND event_date IS NOT NULL GROUP BY admin1, m"
            " ORDER BY n DESC, admin1, m LIMIT 1").fetchone()
    first = dt.date.fromisoformat(row[1] + "-01")
    last = (first + dt.timedelta(32)).replace(day=1) - dt.timedelta(1)
    return row[0], first.isoformat(), last.isoformat()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", default="/tmp/eventwire-brief-bench.sqlite")
    ap.add_argument("--events", type=int, default=100_000)
    ap.add_argument("--out", default="/tmp/eventwire-bench-brief")
    args = ap.parse_args()
    open_store(args.db).close()  # create (or migrate) the benchmark store: reads never do
    if services.count_events(args.db) < args.events:
        build_store(args.db, args.events)
    total = services.count_events(args.db)
    admin1, since, until = busiest_month(args.db)
    request = BriefRequest(EventQuery(date_from=since, date_to=until, admin1=admin1))
    worst = 0.0
    for fmt in ("md", "html", "pdf"):
        t0 = time.perf_counter()
        brief, data = write_brief(args.db, request, fmt, f"{args.out}.{fmt}")
        took = time.perf_counter() - t0
        worst = max(worst, took)
        print(f"{fmt}: {took:.2f}s, {len(data)} bytes; store {total} events; {admin1} "
              f"{since}..{until}: {brief.events.current} events in window, "
              f"{len(brief.references)} references")
    print(f"worst {worst:.2f}s (budget 10s)")
    return 0 if worst < 10 else 1


if __name__ == "__main__":
    sys.exit(main())
