"""Benchmark: ingest N documents serially and on a Dask LocalCluster of 1 and 2 workers.

The documents are built from the dev texts (FA-KES and the page set under ../shared/eval/dev,
plus the seeds): copy k of a text gets a new id, its publication date shifted by k whole weeks
so that copies are distinct incidents, its places kept, and a reference sentence so its
content hash is its own.

Printed per run: documents per second, scaling efficiency (rate / (workers x 1-worker rate)),
peak memory per worker (each worker process's own high-water mark, VmHWM; with the partition during which
each worker's peak rose most, to trace a peak to its documents), the link step's share of the wall
time (linking and writing in the one writer), the CPU seconds per document spent in the
workers and in the writer (which also hosts the local scheduler), the machine's load, and
the projected hours for 200,000 documents. On a machine shared with other work, wall time
says little; CPU per document says where the time goes: with W workers on C cores, the rate
cannot pass min(W, C) / worker CPU per document, nor C / (workers' + writer's CPU).
Every run's export is compared with the serial one: they must be identical.

Usage: python tools/bench_scale.py [--docs 2000] [--workers 1,2] [--pg URL] [--no-serial] [--partition N]
"""
from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import io
import json
import os
import re
import resource
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Iterable, Iterator

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT.parent / "shared" / "eval" / "dev"
_PARAGRAPH = re.compile(r"</p>", re.I)
DEFAULT_SOURCES = [DEV / "fakes.dev.jsonl", DEV / "pages.dev.jsonl", ROOT / "samples" / "seeds.jsonl"]


def load_texts(paths: Iterable[Path]) -> list[dict]:
    """The source documents (JSONL objects with id, text or html, and a date), each id once."""
    docs: dict[str, dict] = {}
    for path in paths:
        for line in Path(path).read_text("utf-8").split("\n"):
            if line.strip():
                doc = json.loads(line)
                docs.setdefault(str(doc["id"]), doc)
    return list(docs.values())


def make_documents(sources: list[dict], n: int) -> Iterator[dict]:
    """N distinct documents: copy k of each source is shifted by k weeks and renamed."""
    for i in range(n):
        src, k = sources[i % len(sources)], i // len(sources)
        doc = dict(src)
        doc["id"] = f"{src['id']}~w{k}"
        published = src.get("published") or src.get("date")
        if published:
            doc["published"] = (dt.date.fromisoformat(str(published)[:10])
                                + dt.timedelta(weeks=k)).isoformat()
        doc.pop("date", None)
        if doc.get("source") and not doc.get("outlet"):
            doc["outlet"] = doc.pop("source")
        # The cleaner drops a short closing line, so the reference joins the longest paragraph.
        tag = f" Copy reference {doc['id']}."
        if isinstance(doc.get("text"), str):
            paragraphs = doc["text"].split("\n\n")
            longest = max(range(len(paragraphs)), key=lambda j: len(paragraphs[j]))
            paragraphs[longest] = paragraphs[longest].rstrip() + tag
            doc["text"] = "\n\n".join(paragraphs)
        elif isinstance(doc.get("html"), str):
            html = doc["html"]
            ends = [m.start() for m in _PARAGRAPH.finditer(html)]
            at = max(ends, key=lambda end: end - html.rfind("<p", 0, end), default=None)
            doc["html"] = html[:at] + tag + html[at:] if at is not None else html + f"<p>{tag}</p>"
        yield doc


def write_documents(docs: Iterable[dict], path: Path) -> Path:
    with open(path, "w", encoding="utf-8") as fh:
        for doc in docs:
            fh.write(json.dumps(doc, ensure_ascii=False) + "\n")
    return path


def _export(db: str) -> str:
    """The store's JSONL export, as its sha256 (a 50,000-document export is ~100 MB; the
    runs only need to compare theirs)."""
    from eventwire import services
    out = io.StringIO()
    services.export_events(db, "jsonl", services.EventQuery(), out)
    return hashlib.sha256(out.getvalue().encode("utf-8")).hexdigest()


def _peak_rss_mib() -> float:
    """This process's peak resident memory: the kernel's high-water mark of its own memory
    (VmHWM). Not ru_maxrss: a process started by fork and exec inherits its parent's
    resident size at the fork as its ru_maxrss, so a worker spawned by a writer holding
    600 MiB reported a 600 MiB peak while its own memory never passed 270 MiB."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _peak_probe():
    """A worker plugin recording, after each task, how far the worker's peak memory rose
    during it, so a peak can be traced to the partition (and its documents) that made it."""
    from distributed.diagnostics.plugin import WorkerPlugin

    class PeakProbe(WorkerPlugin):
        name = "bench-scale-peak-probe"

        def setup(self, worker) -> None:
            self.last, self.rises = _peak_rss_mib(), []

        def transition(self, key, start, finish, **kwargs) -> None:
            if start == "executing":
                now = _peak_rss_mib()
                if now > self.last:
                    self.rises.append((round(now - self.last, 1), str(key), round(now)))
                    self.last = now
    return PeakProbe()


def _largest_rise(dask_worker) -> tuple | None:
    probe = dask_worker.plugins.get("bench-scale-peak-probe")
    return max(probe.rises) if probe is not None and probe.rises else None


def _rise_text(rises: dict, partition_size: int) -> str:
    """Each worker's largest rise of its peak, with the documents of that partition."""
    out = []
    for rise in sorted(filter(None, rises.values()), reverse=True):
        mib, key, peak = rise
        n = key.rsplit("-", 1)[-1]
        where = (f"partition {n} (documents {int(n) * partition_size + 1}-{(int(n) + 1) * partition_size})"
                 if n.isdigit() else key)
        out.append(f"+{mib:.0f} MiB to {peak} MiB in {where}")
    return "; ".join(out) or "none"


def run(inputs: Path, db: str, workers: int | None, partition_size: int) -> dict:
    """One ingest; workers=None is the serial engine."""
    from eventwire import services
    from eventwire.engines import DaskEngine
    engine = DaskEngine(workers=workers, partition_size=partition_size) if workers else None
    startup = 0.0
    try:
        if engine:
            t0 = time.perf_counter()
            engine.start()  # each worker loads its resources before the clock starts
            startup = time.perf_counter() - t0
            engine.client.register_plugin(_peak_probe())
            started = engine.client.run(_peak_rss_mib)
        worker_cpu = engine.client.run(_cpu_seconds) if engine else {}
        writer_cpu, load = _cpu_seconds(), os.getloadavg()[0]
        t0 = time.perf_counter()
        report = services.ingest([str(inputs)], db, engine=engine)
        wall = time.perf_counter() - t0
        writer_cpu = _cpu_seconds() - writer_cpu
        if engine:
            after = engine.client.run(_cpu_seconds)
            worker_cpu = sum(after[w] - worker_cpu.get(w, 0.0) for w in after)
            peak = engine.client.run(_peak_rss_mib)
            rises = (f"{'/'.join(f'{v:.0f}' for v in sorted(started.values()))} MiB once started;"
                     f" largest rise per worker: {_rise_text(engine.client.run(_largest_rise), partition_size)}")
        else:
            worker_cpu, peak, rises = 0.0, {"serial": _peak_rss_mib()}, ""
        load = max(load, os.getloadavg()[0])
    finally:
        if engine:
            engine.close()
    n = report.documents_new
    return {"workers": workers or 0, "docs": n, "wall_s": wall,
            "startup_s": startup, "docs_per_s": n / wall,
            "link_share": report.link_seconds / wall, "peak_mib": max(peak.values()),
            "peaks": sorted(peak.values()), "rises": rises,
            "worker_ms": 1000 * worker_cpu / n, "writer_ms": 1000 * writer_cpu / n,
            "load": load, "export": _export(db)}


def main(argv: list[str] | None = None) -> int:
    from eventwire.engines import PARTITION_SIZE
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=2000)
    ap.add_argument("--workers", default="1,2", help="comma-separated worker counts")
    ap.add_argument("--pg", default=None, help="a PostgreSQL URL (each run gets its own schema)")
    ap.add_argument("--no-serial", action="store_true", help="skip the serial baseline")
    ap.add_argument("--partition", type=int, default=None, help="documents per task")
    args = ap.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="bench-scale-"))
    sources = load_texts(p for p in DEFAULT_SOURCES if p.exists())
    inputs = write_documents(make_documents(sources, args.docs), tmp / "docs.jsonl")
    print(f"bench_scale: {args.docs} documents from {len(sources)} dev texts, {os.cpu_count()} cores")

    def store(name: str) -> str:
        if not args.pg:
            return str(tmp / f"{name}.sqlite")
        import psycopg
        schema = f"bench_{name}_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(args.pg, autocommit=True) as conn:
            conn.execute(f"CREATE SCHEMA {schema}")
        sep = "&" if "?" in args.pg else "?"
        return f"{args.pg}{sep}options=-csearch_path%3D{schema}"

    results = []
    plan = ([] if args.no_serial else [None]) + [int(w) for w in args.workers.split(",")]
    for workers in plan:
        name = f"dask{workers}" if workers else "serial"
        r = run(inputs, store(name), workers, args.partition or PARTITION_SIZE)
        results.append(r)
        base = next((x for x in results if x["workers"] == 1), None)
        eff = (r["docs_per_s"] / (r["workers"] * base["docs_per_s"])
               if base and r["workers"] else float("nan"))
        same = r["export"] == results[0]["export"]
        print(f"{name:>7}: {r['docs']} docs in {r['wall_s']:.1f} s (+{r['startup_s']:.1f} s cluster"
              f" start) = {r['docs_per_s']:.1f} docs/s; scaling efficiency {eff:.2f}; peak"
              f" {'/'.join(f'{p:.0f}' for p in r['peaks'])} MiB per {'worker' if r['workers'] else 'process'}; link"
              f" step {100 * r['link_share']:.0f}% of the time; CPU per doc: workers"
              f" {r['worker_ms']:.1f} ms, writer {r['writer_ms']:.1f} ms; load {r['load']:.1f};"
              f" 200,000 docs in"
              f" {200000 / r['docs_per_s'] / 3600:.1f} h; export identical to the first run:"
              f" {same}", flush=True)
        if r["rises"]:
            print(f"{'':>7}  worker memory: {r['rises']}", flush=True)
    summarise(results)
    return 0 if all(r["export"] == results[0]["export"] for r in results) else 1


def summarise(results: list[dict]) -> None:
    """The issue's figures in one place: each worker count's rate against one worker's,
    the highest worker peak, every run's end-to-end minutes, and the exports' identity."""
    by_workers = {r["workers"]: r for r in results}
    one = by_workers.get(1)
    for workers, r in sorted(by_workers.items()):
        if one and workers > 1:
            ratio = r["docs_per_s"] / one["docs_per_s"]
            print(f"scaling: {workers} workers {r['docs_per_s']:.1f} docs/s = {ratio:.2f}x one"
                  f" worker's {one['docs_per_s']:.1f} docs/s (efficiency {ratio / workers:.2f})")
    peaks = [p for r in results if r["workers"] for p in r["peaks"]]
    minutes = ", ".join(f"{'serial' if not r['workers'] else str(r['workers']) + 'w'}"
                        f" {(r['wall_s'] + r['startup_s']) / 60:.1f} min" for r in results)
    same = all(r["export"] == results[0]["export"] for r in results)
    print(f"summary: end to end {minutes}; peak per worker {max(peaks, default=float('nan')):.0f}"
          f" MiB; this process (writer and scheduler) peak {_peak_rss_mib():.0f} MiB;"
          f" exports identical: {same}", flush=True)


if __name__ == "__main__":
    sys.exit(main())
