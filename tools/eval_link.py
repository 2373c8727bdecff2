"""Score cross-report linking on eval/link_clusters.jsonl (FA-KES same-incident clusters).

Ingests the benchmark's articles, in publication order, into a fresh SQLite store with the
real pipeline (`eventwire.services.ingest`), then compares the linked events with the
hand-verified clusters. Each article is represented by its main event: its lede, the first
event it yields (news puts the main incident first); the scores with the deadliest event
instead (FA-KES labels an article's deadliest incident) are reported alongside. Reported:

- pairwise precision / recall / F1 of "same incident" over all article pairs;
- events per real incident (distinct linked events the articles of one cluster ended in);
- articles that yielded no event (they cannot be linked and count as misses).

Usage: python tools/eval_link.py /path/to/fakes.dev.jsonl [--clusters eval/link_clusters.jsonl]
"""
from __future__ import annotations

import argparse
import itertools
import json
import pathlib
import sys
import tempfile
import time

from eventwire import services

ROOT = pathlib.Path(__file__).resolve().parents[1]


def _load(clusters_path: pathlib.Path, fakes_path: str) -> tuple[dict, list[dict]]:
    gold = {}
    for line in clusters_path.read_text("utf-8").splitlines()[1:]:
        row = json.loads(line)
        for art in row["articles"]:
            gold[art["id"]] = row["cluster"]
    docs = []
    for line in open(fakes_path, encoding="utf-8"):
        r = json.loads(line)
        if r["id"] in gold:
            docs.append({"id": r["id"], "text": r["text"], "title": r.get("title"),
                         "published": r.get("date"), "outlet": r.get("source"), "url": None})
    docs.sort(key=lambda d: (d["published"] or "", d["id"]))
    return gold, docs


def _main_events(db: str, doc_ids: list[str]) -> tuple[dict[str, str], dict[str, str]]:
    """Each document's lede event and deadliest event (the linked events they ended in)."""
    lede, deadliest = {}, {}
    for doc_id in doc_ids:
        reports = services.document_reports(db, doc_id)
        if reports:
            lede[doc_id] = reports[0].event_id
            top = max(reports, key=lambda r: (r.event.fatalities or 0, -reports.index(r)))
            deadliest[doc_id] = top.event_id
    return lede, deadliest


def _score(gold: dict[str, str], main: dict[str, str]) -> dict:
    tp = fp = fn = 0
    for a, b in itertools.combinations(sorted(gold), 2):
        same = gold[a] == gold[b]
        linked = a in main and b in main and main[a] == main[b]
        tp += same and linked
        fp += linked and not same
        fn += same and not linked
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    per_incident = {}
    for doc, cid in gold.items():
        if cid.startswith("C") and doc in main:
            per_incident.setdefault(cid, set()).add(main[doc])
    epi = sum(len(v) for v in per_incident.values()) / max(1, len(per_incident))
    return {"pairs_tp": tp, "pairs_fp": fp, "pairs_fn": fn, "precision": round(p, 3),
            "recall": round(r, 3), "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0,
            "events_per_incident": round(epi, 3),
            "articles_without_event": sorted(set(gold) - set(main))}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("fakes")
    ap.add_argument("--clusters", default=str(ROOT / "eval" / "link_clusters.jsonl"))
    ap.add_argument("--keep", help="keep the store at this path")
    args = ap.parse_args()
    gold, docs = _load(pathlib.Path(args.clusters), args.fakes)
    with tempfile.TemporaryDirectory() as tmp:
        inp = pathlib.Path(tmp) / "docs.jsonl"
        inp.write_text("".join(json.dumps(d) + "\n" for d in docs), encoding="utf-8")
        db = args.keep or str(pathlib.Path(tmp) / "link.sqlite")
        t0 = time.perf_counter()
        report = services.ingest([str(inp)], db)
        took = time.perf_counter() - t0
        lede, deadliest = _main_events(db, list(gold))
        result = _score(gold, lede)
        result["by_deadliest_event"] = {k: v for k, v in _score(gold, deadliest).items()
                                        if k != "articles_without_event"}
    result.update(articles=len(docs), clusters=len(set(gold.values())),
                  reports=report.reports, events=report.events_created,
                  ingest_seconds=round(took, 2))
    json.dump(result, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
