"""Benchmark: ingest and link 100,000 reports into a SQLite store; linking must take < 60 s.

Synthetic but shaped like conflict reporting: 60 countries x 12 regions, one year, 1-3
events per document, and 30% of reports are further reports of an incident already
stored (another outlet, shifted death toll, a day's drift, nearby coordinates), so both
the blocking queries and the merges are exercised. Everything goes through the real
write path (`services.ingest_extracted`: one transaction per document).

Two clocks are reported: the link step (gathering each report's block of candidates, from
the writer's index or the store, and scoring it: what grows with the store) and the whole ingest (link step plus writing every
document, report, decision and resolved event). The link step must stay under 60 s.

Usage: python tools/bench_link.py [--reports 100000] [--db PATH]
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import tempfile
import time

from eventwire import services
from eventwire.records import Article, Event, Source

_TYPES = [("Battles", "Armed clash"), ("Explosions/Remote violence", "Air/drone strike"),
          ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
          ("Violence against civilians", "Attack"), ("Protests", "Peaceful protest"),
          ("Strategic developments", "Arrests")]
_OUTLETS = ["Reuters", "AFP", "SANA", "North Press Agency", "Hawar News Agency (ANHA)",
            "Rudaw", "Enab Baladi", "Al Jazeera"]


def _name(n: int) -> str:
    """A distinct letters-only town name per incident (names are compared letters-only)."""
    letters = ""
    while True:
        n, r = divmod(n, 26)
        letters += "abcdefghijklmnopqrstuvwxyz"[r]
        if not n:
            return "Town " + letters.capitalize()


def _incident(rng: random.Random, n: int) -> Event:
    country = rng.randrange(60)
    admin1 = rng.randrange(12)
    etype, sub = rng.choice(_TYPES)
    day = dt.date(2023, 1, 1) + dt.timedelta(days=rng.randrange(365))
    lat = 10 + country * 0.5 + admin1 * 0.04 + rng.random() * 0.5  # a region ~50 km across
    lon = 20 + country * 0.5 + rng.random() * 0.5
    quote = f"Report {n}: {sub} near {_name(n)} killed {n % 13} people."
    return Event(f"inc{n}", f"doc{n}", day.isoformat(), 1, etype, sub, f"Actor {n % 41}",
                 f"Actor {n % 17}", None, None, 1, 2, 12, False, f"Country {country}",
                 f"Region {country}-{admin1}", None, None, _name(n), lat, lon,
                 1, n % 13, None, None, f"On {day}, ...",
                 [Source(f"doc{n}", rng.choice(_OUTLETS), day.isoformat(), None, quote, 0,
                         len(quote))], 0.7)


def _retell(rng: random.Random, base: Event, n: int) -> Event:
    day = dt.date.fromisoformat(base.event_date) + dt.timedelta(days=rng.choice([0, 0, 1]))
    deaths = max(0, (base.fatalities or 0) + rng.choice([0, 1, 2]))
    src = Source(f"doc{n}", rng.choice(_OUTLETS), day.isoformat(), None,
                 base.sources[0].quote, 0, len(base.sources[0].quote))
    return Event(f"inc{n}", f"doc{n}", day.isoformat(), 1, base.event_type, base.sub_event_type,
                 base.actor1, base.actor2, None, None, 1, 2, 12, False, base.country,
                 base.admin1, None, None, base.location, base.latitude + 0.01,
                 base.longitude, 1, deaths, None, None, base.notes, [src], 0.6)


def build_documents(n_reports: int, seed: int = 7) -> list[tuple[Article, list]]:
    """Synthetic documents holding `n_reports` reports in total."""
    rng = random.Random(seed)
    docs, made, pool = [], 0, []
    while made < n_reports:
        events = []
        for _ in range(min(rng.choice([1, 1, 2, 3]), n_reports - made)):
            if pool and rng.random() < 0.3:
                events.append(_retell(rng, rng.choice(pool[-5000:]), made))
            else:
                events.append(_incident(rng, made))
                pool.append(events[-1])
            made += 1
        docs.append((Article(f"doc{len(docs)}", f"synthetic document {len(docs)}"), events))
    return docs


def _timed(owner: object, name: str, clock: dict) -> None:
    """Wrap owner.name so the time spent inside it adds up in clock["link"] (wall) and
    clock["link_cpu"] (this process's CPU: what a loaded machine does not inflate)."""
    inner = getattr(owner, name)

    def wrapper(*args, **kwargs):
        t0, c0 = time.perf_counter(), time.process_time()
        try:
            return inner(*args, **kwargs)
        finally:
            clock["link"] += time.perf_counter() - t0
            clock["link_cpu"] += time.process_time() - c0
    setattr(owner, name, wrapper)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reports", type=int, default=100_000)
    ap.add_argument("--db")
    args = ap.parse_args()
    docs = build_documents(args.reports)
    clock = {"link": 0.0, "link_cpu": 0.0}
    _timed(services.writes, "candidate_blocks", clock)
    _timed(services.writes, "link_document", clock)
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or os.path.join(tmp, "bench.sqlite")
        t0, c0 = time.perf_counter(), time.process_time()
        report = services.ingest_extracted(db, docs)
        took, cpu = time.perf_counter() - t0, time.process_time() - c0
        counts = services.store_counts(db)
    print(f"{report.reports} reports in {len(docs)} documents: {report.events_created} events,"
          f" {report.reports_merged} linked. Link step {clock['link']:.1f} s ({clock['link_cpu']:.1f} s CPU);"
          f" whole ingest"
          f" {took:.1f} s ({report.reports / took:.0f} reports/s, {cpu:.1f} s CPU); {counts}")
    if clock["link"] >= 60:
        raise SystemExit(f"FAIL: linking {report.reports} reports must take under 60 s")


if __name__ == "__main__":
    main()
