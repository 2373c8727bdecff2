"""Load benchmark of the HTTP API of `eventwire serve` on loopback.

Builds (or reuses) a store of at least --events events by ingesting real articles again and
again with shifted dates: the FA-KES dev articles and the seed articles are read and coded
once by the pipeline, then every copy of a document gets its own text (so its own content
hash) and its events move by a whole number of months, and the copies go through
`services.ingest_extracted` (linking included), as `eventwire ingest` would store them.
Then `eventwire serve` is started on a free port and --clients concurrent keep-alive
clients hit each query the dashboard and the API's users ask, with randomised filters, for
--seconds each:

  events      GET /events    date window + type/actor/admin1 filters, sorted, one page
  text        GET /events?q= one or two words of the notes or quotes (the full-text
              index), sometimes with a date window, one page plus the view's total
  aggregates  GET /aggregates  events and fatalities per week by event type (or admin1)
              for a date window, sometimes one actor
  points      GET /points    the map's points of a date window (up to 5,000), sometimes
              one event type
  event       GET /events/{id}  one event with its reports and merge history
  document    GET /documents/{id}  one document's text and event spans
  timeline    the whole-store aggregates the dashboard's timeline asks for (served from
              the server's per-store-version cache after the first)
  facets      GET /facets (cached likewise)

It reports p50/p95/p99 latency, requests per second and errors for each, as JSON, and exits
1 unless every phase has no errors and p95 under its target (issue 16): 100 ms for `text`,
50 ms for every other. Bounded: the store build stops at --max-copies and every phase has a
time limit.

    .venv/bin/python tools/bench_api.py --events 100000 --clients 10 --seconds 20
"""
from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INPUTS = [ROOT.parent / "shared" / "eval" / "dev" / "fakes.dev.jsonl",
          ROOT / "samples" / "seeds.jsonl"]
TYPES = ["Battles", "Explosions/Remote violence", "Violence against civilians",
         "Strategic developments", "Protests", "Riots"]
SHIFT_DAYS = 30
ACTORS = ["islamic state", "military forces of syria", "civilians", "qsd", "coalition",
          "unidentified", "hts"]
# Words an analyst searches the notes and quotes for: common, rare and absent ones.
WORDS = ["killed", "shelling", "airstrike", "clashes", "civilians", "drone", "explosive",
         "village", "children", "checkpoint", "kidnapped", "aleppo", "raqqa", "idlib",
         "hospital", "mortar", "zzzzqx"]
TEXT_TARGET_MS, QUERY_TARGET_MS = 100, 50


def _documents(paths: list[Path], folder: Path) -> Path:
    """The inputs as one JSONL of documents (FA-KES names its fields date/source)."""
    out = folder / "articles.jsonl"
    with out.open("w", encoding="utf-8") as fh:
        for path in paths:
            for line in path.read_text("utf-8").splitlines():
                if not line.strip():
                    continue
                d = json.loads(line)
                doc = {"id": d["id"], "text": d.get("text") or "", "title": d.get("title"),
                       "published": d.get("published") or d.get("date"),
                       "outlet": d.get("outlet") or d.get("source"), "url": d.get("url")}
                if doc["text"].strip():
                    fh.write(json.dumps(doc, ensure_ascii=False) + "\n")
    return out


def _coded(paths: list[Path], folder: Path) -> list:
    from eventwire.pipeline import extract, read_documents
    from eventwire.records import Article, Event
    from eventwire.resources import load_resources
    resources = load_resources()
    pairs = []
    for item in read_documents([str(_documents(paths, folder))]):
        if isinstance(item, Article):
            events = [e for e in extract([item], resources) if isinstance(e, Event)]
            if events:
                pairs.append((item, events))
    return pairs


def _shift(date: str | None, days: int) -> str | None:
    if not date:
        return date
    return (dt.date.fromisoformat(date) + dt.timedelta(days=days)).isoformat()


def _copy(article, events, k: int):
    """Copy k of a document: distinct text and ids, dates moved by k months.

    A month per copy spreads 100,000 events over about fourteen years (some twenty a day,
    the density of ACLED's Syria), so the linker's blocks stay the size they have in life.
    """
    days = SHIFT_DAYS * k
    art = dataclasses.replace(article, id=f"{article.id}-c{k}",
                              text=f"{article.text}\n\n[benchmark copy {k}]",
                              published=article.published + dt.timedelta(days=days)
                              if article.published else None)
    moved = []
    for e in events:
        sources = [dataclasses.replace(s, doc_id=art.id, published=_shift(s.published, days))
                   for s in e.sources]
        moved.append(dataclasses.replace(e, event_id=f"{e.event_id}-c{k}", doc_id=art.id,
                                         event_date=_shift(e.event_date, days),
                                         sources=sources))
    return art, moved


def build_store(db: str, target: int, max_copies: int, deadline: float) -> dict:
    """Ingest shifted copies of the coded articles until the store holds `target` events."""
    from eventwire import services
    from eventwire.store.db import open_store
    open_store(db).close()  # create (or migrate) the benchmark store: reads never do
    have = services.store_counts(db)["events"]
    if have >= target:
        return {"events": have, "built": False}
    t0 = time.time()
    with tempfile.TemporaryDirectory() as tmp:
        pairs = _coded([p for p in INPUTS if p.exists()], Path(tmp))
    coded = time.time() - t0
    per_copy = sum(len(ev) for _, ev in pairs)
    print(f"bench: coded {len(pairs)} articles ({per_copy} events) in {coded:.1f}s",
          file=sys.stderr)
    k = 0
    while have < target and k < max_copies and time.time() < deadline:
        services.ingest_extracted(db, (_copy(a, ev, k) for a, ev in pairs))
        have = services.store_counts(db)["events"]
        k += 1
        if k % 10 == 0:
            print(f"bench: {k} copies, {have} events, {time.time() - t0:.0f}s", file=sys.stderr)
    return {"events": have, "built": True, "copies": k, "articles": len(pairs),
            "build_seconds": round(time.time() - t0, 1)}


def replicate_store(db: str, target: int) -> dict:
    """Grow a linked store to `target` events by writing whole shifted replicas of it:
    every event with its reports, their documents and the link decisions, renamed and
    moved by a month per replica (as the copies are), so the store keeps its density. The rows are what linking wrote,
    only more of them; linking itself is not re-run (bench_link.py measures that), which
    makes 100,000 events a matter of minutes on a loaded machine."""
    from eventwire.store.analytics import Analytics
    from eventwire.store.db import Decision, DocumentRow, open_store
    from eventwire.stages.link import StoredReport
    t0 = time.time()
    with open_store(db) as store:
        reader = Analytics(store)
        base = list(store.find_events())
        have = len(base)
        if have == 0 or have >= target:
            return {"events": have, "replicas": 0}
        reports = {s.event.event_id: store.event_reports(s.event.event_id) for s in base}
        decisions = {s.event.event_id: store.decisions(s.event.event_id) for s in base}
        docs = {}
        for members in reports.values():
            for r in members:
                if r.doc_hash not in docs:
                    docs[r.doc_hash] = reader.document(r.doc_hash)
        k = 0
        while have < target:
            k += 1
            days, tag = SHIFT_DAYS * k, f"-r{k}"
            written: set[str] = set()
            with store.transaction():
                for stored in base:
                    if have >= target:
                        break
                    event_id = stored.event.event_id
                    seq = store.next_seq()
                    for r in reports[event_id]:
                        if r.doc_hash in written:
                            continue
                        d = docs[r.doc_hash]
                        store.add_document(DocumentRow(
                            r.doc_hash[:56] + tag, d.doc_id + tag, d.title, d.outlet,
                            _shift(d.published, days), d.url, 1, 0, d.text), seq)
                        written.add(r.doc_hash)
                    store.save_event(_moved(stored.event, tag, days), stored.n_sources, seq,
                                     new=True)
                    for r in reports[event_id]:
                        store.add_report(StoredReport(r.report_id + tag, event_id + tag,
                                                      r.doc_hash[:56] + tag,
                                                      _moved(r.event, tag, days)), seq)
                    for d in decisions[event_id]:
                        store.add_decision(Decision(
                            d.report_id + tag, d.decision_no, event_id + tag, d.decision,
                            d.partner_report_id and d.partner_report_id + tag, d.score,
                            d.features), seq)
                    have += 1
            print(f"bench: replica {k}, {have} events, {time.time() - t0:.0f}s", file=sys.stderr)
    return {"events": have, "replicas": k, "replicate_seconds": round(time.time() - t0, 1)}


def _moved(event, tag: str, days: int):
    """An event (or a report's claim) renamed with `tag` and moved by `days`."""
    sources = [dataclasses.replace(s, doc_id=s.doc_id and s.doc_id + tag,
                                   published=_shift(s.published, days)) for s in event.sources]
    return dataclasses.replace(event, event_id=event.event_id + tag,
                               doc_id=event.doc_id and event.doc_id + tag,
                               event_date=_shift(event.event_date, days), sources=sources)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(db: str, port: int, workers: int) -> subprocess.Popen:
    cmd = [sys.executable, "-c", "from eventwire.cli import main; main()", "serve",
           "--db", db, "--port", str(port), "--workers", str(workers)]
    proc = subprocess.Popen(cmd, cwd=ROOT, stderr=subprocess.DEVNULL)
    deadline = time.time() + 180  # a loaded machine starts the workers slowly
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("eventwire serve did not start within 180 s")


def _window(rng: random.Random, span: tuple[str, str]) -> dict:
    first, last = (dt.date.fromisoformat(d) for d in span)
    days = rng.choice([30, 90, 365])
    start = first + dt.timedelta(days=rng.randrange(max(1, (last - first).days - days)))
    return {"date_from": start.isoformat(),
            "date_to": (start + dt.timedelta(days=days)).isoformat()}


def _events_url(rng: random.Random, span: tuple[str, str]) -> str:
    p = _window(rng, span)
    pick = rng.random()
    if pick < 0.4:
        p["event_type"] = rng.choice(TYPES)
    elif pick < 0.7:
        p["actor"] = rng.choice(ACTORS)
    elif pick < 0.85:
        p["admin1"] = rng.choice(["Deir-ez-Zor", "Aleppo", "Idleb", "Damascus", "Homs"])
    # The dashboard's table sorts by date unless the analyst clicks another column.
    p["sort"] = rng.choice(["event_date"] * 3 + ["fatalities", "confidence"])
    p["order"] = rng.choice(["asc", "desc"])
    p["limit"] = 50
    p["offset"] = rng.choice([0, 0, 50])
    return "/events?" + urllib.parse.urlencode(p)


def _aggregates_url(rng: random.Random, span: tuple[str, str]) -> str:
    p = _window(rng, span)
    p["by"] = rng.choice(["event_type", "event_type", "admin1"])
    p["interval"] = "week"
    if rng.random() < 0.3:
        p["actor"] = rng.choice(ACTORS)
    return "/aggregates?" + urllib.parse.urlencode(p)


def _text_url(rng: random.Random, span: tuple[str, str]) -> str:
    p = {"q": " ".join(rng.sample(WORDS, rng.choice([1, 1, 2])))}
    if rng.random() < 0.5:
        p.update(_window(rng, span))
    p["sort"] = rng.choice(["event_date"] * 3 + ["fatalities"])
    p["limit"] = 50
    return "/events?" + urllib.parse.urlencode(p)


def _points_url(rng: random.Random, span: tuple[str, str]) -> str:
    p = _window(rng, span)
    if rng.random() < 0.4:
        p["event_type"] = rng.choice(TYPES)
    p["max_points"] = 5000
    return "/points?" + urllib.parse.urlencode(p)


def _one_of(prefix: str, ids: list[str]):
    def make_url(rng: random.Random, span: tuple[str, str]) -> str:
        return prefix + urllib.parse.quote(rng.choice(ids), safe="")
    return make_url


def _facets_url(rng: random.Random, span: tuple[str, str]) -> str:
    return "/facets"


def _timeline_url(rng: random.Random, span: tuple[str, str]) -> str:
    """The dashboard's timeline: the whole store per day, or per week by type, maybe for one
    actor; the same few queries again and again (answered from the server's cache until
    the store changes)."""
    p = rng.choice([{"by": "none", "interval": "day"}, {"by": "event_type", "interval": "week"}])
    if rng.random() < 0.3:
        p["actor"] = rng.choice(ACTORS)
    return "/aggregates?" + urllib.parse.urlencode(p)


def _client(port: int, make_url, span, seconds: float, seed: int, out: list, errors: list):
    rng = random.Random(seed)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    end = time.time() + seconds
    while time.time() < end:
        url = make_url(rng, span)
        t = time.perf_counter()
        try:
            conn.request("GET", url, headers={"Accept": "application/json"})
            resp = conn.getresponse()
            body = resp.read()
            ok = resp.status == 200 and body[:1] == b"{"
        except (OSError, http.client.HTTPException) as exc:
            errors.append(f"{url}: {exc}")
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            continue
        out.append(time.perf_counter() - t)
        if not ok:
            errors.append(f"{url}: HTTP {resp.status}")
    conn.close()


def run_load(port: int, make_url, span, clients: int, seconds: float) -> dict:
    """`clients` threads with keep-alive connections for `seconds`; latency statistics."""
    latencies: list[float] = []
    errors: list[str] = []
    threads = [threading.Thread(target=_client, args=(port, make_url, span, seconds, n,
                                                      latencies, errors))
               for n in range(clients)]
    t0 = time.time()
    for t in threads:
        t.start()
    for t in threads:
        t.join(seconds + 60)
    wall = time.time() - t0
    ms = sorted(x * 1000 for x in latencies)
    q = statistics.quantiles(ms, n=100) if len(ms) > 1 else [float("nan")] * 99
    return {"requests": len(ms), "errors": len(errors), "error_samples": errors[:3],
            "rps": round(len(ms) / wall, 1), "p50_ms": round(q[49], 1),
            "p95_ms": round(q[94], 1), "p99_ms": round(q[98], 1),
            "max_ms": round(ms[-1], 1) if ms else None}


def _line(name: str, r: dict, clients: int) -> str:
    """One route's result as one line, with the load average when it ended."""
    target = TEXT_TARGET_MS if name == "text" else QUERY_TARGET_MS
    met = "ok" if r["p95_ms"] < target and r["errors"] == 0 else "MISSED"
    load = " ".join(f"{x:.2f}" for x in r["load"])
    return (f"bench_api: {name:<10} {clients} clients  p50 {r['p50_ms']:7.1f} ms  p95"
            f" {r['p95_ms']:7.1f} ms  p99 {r['p99_ms']:7.1f} ms  errors {r['errors']}"
            f"  requests {r['requests']}  target p95 < {target} ms {met}  load {load}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--db", help="store to build or reuse (default: a temporary file)")
    ap.add_argument("--events", type=int, default=100_000)
    ap.add_argument("--max-copies", type=int, default=400)
    ap.add_argument("--linked-events", type=int, default=20_000,
                    help="events built by real linking; the rest are shifted replicas of them")
    ap.add_argument("--build-minutes", type=float, default=30)
    ap.add_argument("--clients", type=int, default=10)
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--warmup", type=float, default=5, help="seconds of load before measuring")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                    help="eventwire serve --workers (default: one per CPU)")
    ap.add_argument("--output", help="also write the JSON report here")
    ap.add_argument("--phases", nargs="*", help="run only these phases (default: all)")
    args = ap.parse_args()
    tmp = None
    db = args.db
    if not db:
        tmp = tempfile.TemporaryDirectory(prefix="eventwire-bench-")
        db = os.path.join(tmp.name, "bench.sqlite")
    store = build_store(db, min(args.events, args.linked_events), args.max_copies,
                        time.time() + 60 * args.build_minutes)
    store["replicated"] = replicate_store(db, args.events)
    from eventwire.store.analytics import Analytics
    from eventwire.store.db import open_store
    with open_store(db) as s:  # migrates an older benchmark store
        span = Analytics(s).date_range()
    from eventwire import services
    stored = [(e.event.event_id, e.event.doc_id) for e in services.find_events(db)]
    rng = random.Random(11)
    event_ids = [e for e, _ in rng.sample(stored, min(2000, len(stored)))]
    doc_ids = sorted({d for _, d in rng.sample(stored, min(2000, len(stored))) if d})
    phases = {"events": _events_url, "text": _text_url, "aggregates": _aggregates_url,
              "points": _points_url, "event": _one_of("/events/", event_ids),
              "document": _one_of("/documents/", doc_ids), "timeline": _timeline_url,
              "facets": _facets_url}
    port = _free_port()
    server = _serve(db, port, args.workers)
    try:
        # A served store is warm: page cache, every worker thread's connection.
        for make_url in (_events_url, _text_url, _aggregates_url, _points_url):
            run_load(port, make_url, span, args.clients, args.warmup)
        report = {"store": {**store, "date_span": span}, "clients": args.clients,
                  "workers": args.workers, "seconds": args.seconds, "cpus": os.cpu_count(),
                  "load_before": os.getloadavg()}
        for name, make_url in phases.items():
            if not args.phases or name in args.phases:
                report[name] = run_load(port, make_url, span, args.clients, args.seconds)
                report[name]["load"] = os.getloadavg()
                print(_line(name, report[name], args.clients), file=sys.stderr, flush=True)
    finally:
        server.terminate()
        server.wait(10)
        if tmp:
            tmp.cleanup()
    report["uptime_load"] = os.getloadavg()
    report["targets_met"] = all(
        report[k]["p95_ms"] < (TEXT_TARGET_MS if k == "text" else QUERY_TARGET_MS)
        and report[k]["errors"] == 0 for k in phases if k in report)
    text = json.dumps(report, indent=2)
    print(text)
    # The summary again, one line per route, after the JSON (what a commit message quotes).
    for name in phases:
        if name in report:
            print(_line(name, report[name], args.clients), file=sys.stderr)
    if args.output:
        Path(args.output).write_text(text + "\n", "utf-8")
    return 0 if report["targets_met"] else 1


if __name__ == "__main__":
    sys.exit(main())
