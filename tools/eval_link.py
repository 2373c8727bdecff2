"""Score cross-report linking on eval/link_clusters.jsonl (FA-KES same-incident clusters).

Ingests the benchmark's articles, in publication order, into a fresh SQLite store with the
real pipeline (`eventwire.services.ingest`), then compares the linked events with the
hand-verified clusters. Each article is represented by its main event: its lede, the first
event it yields (news puts the main incident first); the scores with the deadliest event
instead (FA-KES labels an article's deadliest incident) are reported alongside, and a
lenient view where two articles count as linked when any of their events share a linked
event (the extractor often splits one incident into several events of one article, and
its first event is not always the incident). Reported:

- pairwise precision / recall / F1 of "same incident" over all article pairs;
- events per real incident (distinct linked events the articles of one cluster ended in);
- articles that yielded no event (they cannot be linked and count as misses).

With `--extracted FILE` the articles' extracted events are saved to FILE on the first run
and re-read on later runs, so linker changes are measured on one fixed extraction; without
it every run extracts afresh with the current pipeline (what the reported numbers use).

With `--pairs --store` the same pairs are scored by what a store does: each fold's
articles ingested into a fresh store (chains and event-level vetoes included), two
articles linked when their lede reports end in one event (`--extracted` here caches every
article's events, a different file from the lede cache).

With `--pairs` it scores instead the linker's pair decision, the store's own (no veto, and
stages.link.pair_merges with resources.load_link_settings: the learned model of
data/link_model.json where it decides, else the hand-weighted score), on eval/link_pairs.jsonl, per fold: fold A is the one the
model was fitted on, B the held-out one. The pairs' features are recomputed with the
current linker from the articles' lede events (cached with `--extracted FILE`).

Usage: python tools/eval_link.py [/path/to/fakes.dev.jsonl] [--clusters ...] [--extracted FILE] [--pairs]
"""
from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import pathlib
import sys
import tempfile
import time

from eventwire import services
from eventwire.records import Article, Event

ROOT = pathlib.Path(__file__).resolve().parents[1]
FAKES = ROOT.parent / "shared" / "eval" / "dev" / "fakes.dev.jsonl"  # ../shared beside the clone


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


def _main_events(db: str, doc_ids: list[str]) -> tuple[dict, dict, dict]:
    """Each document's lede event, deadliest event and all its events (linked event ids)."""
    lede, deadliest, every = {}, {}, {}
    for doc_id in doc_ids:
        reports = services.document_reports(db, doc_id)
        if reports:
            lede[doc_id] = {reports[0].event_id}
            top = max(reports, key=lambda r: (r.event.fatalities or 0, -reports.index(r)))
            deadliest[doc_id] = {top.event_id}
            every[doc_id] = {r.event_id for r in reports}
    return lede, deadliest, every


def _score(gold: dict[str, str], main: dict[str, set]) -> dict:
    """Pairwise scores: two articles are linked when their event sets intersect."""
    tp = fp = fn = 0
    errors = []
    for a, b in itertools.combinations(sorted(gold), 2):
        same = gold[a] == gold[b]
        linked = bool(main.get(a, set()) & main.get(b, set()))
        tp += same and linked
        fp += linked and not same
        fn += same and not linked
        if linked != same:
            errors.append(f"{'FP' if linked else 'FN'} {gold[a]}:{a} {gold[b]}:{b}")
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    per_incident: dict[str, set] = {}
    for doc, cid in gold.items():
        if cid.startswith("C") and doc in main:
            per_incident.setdefault(cid, set()).update(main[doc])
    epi = sum(len(v) for v in per_incident.values()) / max(1, len(per_incident))
    return {"pairs_tp": tp, "pairs_fp": fp, "pairs_fn": fn, "precision": round(p, 3),
            "recall": round(r, 3), "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0,
            "events_per_incident": round(epi, 3),
            "articles_without_event": sorted(set(gold) - set(main)), "errors": errors}


def _extracted(docs_file: pathlib.Path, cache: pathlib.Path) -> list[tuple[Article, list]]:
    """The documents' extracted events, read from `cache` (written on the first run)."""
    if not cache.exists():
        from eventwire.pipeline import extract, read_documents
        from eventwire.resources import load_resources
        resources = load_resources()
        lines = []
        for article in read_documents([str(docs_file)]):
            if not isinstance(article, Article):
                continue  # a document that could not be read: nothing to link
            events = [e for e in extract([article], resources) if isinstance(e, Event)]
            lines.append(json.dumps({"article": article.to_record(),
                                     "events": [e.to_record() for e in events]}))
        cache.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = []
    for line in cache.read_text("utf-8").splitlines():
        row = json.loads(line)
        rec = dict(row["article"])
        rec["published"] = dt.date.fromisoformat(rec["published"]) if rec["published"] else None
        out.append((Article(**rec), [Event.from_record(e) for e in row["events"]]))
    return out


def _pair_scores(fakes_path: str, cache: pathlib.Path | None) -> dict:
    """Pairwise P / R / hard negatives linked of the linker's pair decision, per fold."""
    from eventwire.resources import load_link_settings
    from eventwire.stages.link import pair_features, pair_merges
    builder = _builder()
    rows = [json.loads(line) for line in open(fakes_path, encoding="utf-8")]
    ledes = builder.lede_events(rows, cache)
    settings = load_link_settings()
    pairs = [json.loads(line) for line in (ROOT / "eval" / "link_pairs.jsonl").read_text("utf-8").splitlines()[1:]]
    out = {}
    for fold in "AB":
        tp = fp = fn = hard = 0
        for p in (p for p in pairs if p["fold"] == fold):
            linked = False
            if p["a"] in ledes and p["b"] in ledes:
                f = pair_features(ledes[p["a"]], ledes[p["b"]], settings)
                linked = pair_merges(f, settings)
            tp += linked and p["same"]
            fp += linked and not p["same"]
            fn += p["same"] and not linked
            hard += linked and p["kind"].startswith("hard")
        out[fold] = {"precision": round(tp / (tp + fp), 3) if tp + fp else 1.0,
                     "recall": round(tp / (tp + fn), 3) if tp + fn else 1.0, "hard_negatives_linked": hard,
                     "positives": tp + fn}
    return out


def _store_pair_scores(fakes_path: str, cache: pathlib.Path | None) -> dict:
    """The same pairs scored by what the store does: each fold's articles (all of them, in
    publication order) ingested into a fresh store, two articles linked when their lede
    reports ended in one event (chains and event-level vetoes included)."""
    pairs = [json.loads(line) for line in (ROOT / "eval" / "link_pairs.jsonl").read_text("utf-8").splitlines()[1:]]
    rows = [json.loads(line) for line in open(fakes_path, encoding="utf-8")]
    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        docs = sorted(({"id": r["id"], "text": r["text"], "title": r.get("title"), "published": r.get("date"),
                        "outlet": r.get("source"), "url": None} for r in rows),
                      key=lambda d: (d["published"] or "", d["id"]))
        inp = pathlib.Path(tmp) / "docs.jsonl"
        inp.write_text("".join(json.dumps(d) + "\n" for d in docs), encoding="utf-8")
        extracted = _extracted(inp, cache or pathlib.Path(tmp) / "extracted.jsonl")
        half = _builder().half
        for fold in "AB":
            db = str(pathlib.Path(tmp) / f"fold{fold}.sqlite")
            mine = [(a, ev) for a, ev in extracted if half(a.id) == fold]
            services.ingest_extracted(db, mine)
            lede, _, _ = _main_events(db, [a.id for a, _ in mine])
            tp = fp = fn = 0
            for p in (p for p in pairs if p["fold"] == fold):
                linked = bool(lede.get(p["a"], set()) & lede.get(p["b"], set()))
                tp += linked and p["same"]
                fp += linked and not p["same"]
                fn += p["same"] and not linked
            out[fold] = {"precision": round(tp / (tp + fp), 3) if tp + fp else 1.0,
                         "recall": round(tp / (tp + fn), 3) if tp + fn else 1.0, "false_links": fp,
                         "positives": tp + fn, "articles": len(mine)}
    return out


def _builder():
    """tools/build_link_model.py as a module (its folds and lede events)."""
    import importlib.util
    spec = importlib.util.spec_from_file_location("build_link_model", ROOT / "tools" / "build_link_model.py")
    builder = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(builder)
    return builder


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("fakes", nargs="?", default=str(FAKES))
    ap.add_argument("--clusters", default=str(ROOT / "eval" / "link_clusters.jsonl"))
    ap.add_argument("--keep", help="keep the store at this path")
    ap.add_argument("--extracted", help="cache of the extracted events (see above)")
    ap.add_argument("--errors", action="store_true", help="list the wrong pairs (lede events)")
    ap.add_argument("--pairs", action="store_true", help="score the pair decision on eval/link_pairs.jsonl's folds")
    ap.add_argument("--store", action="store_true", help="with --pairs: score what a store of each fold links")
    args = ap.parse_args()
    if args.pairs:
        score = _store_pair_scores if args.store else _pair_scores
        json.dump(score(args.fakes, pathlib.Path(args.extracted) if args.extracted else None), sys.stdout, indent=1)
        print()
        return
    gold, docs = _load(pathlib.Path(args.clusters), args.fakes)
    with tempfile.TemporaryDirectory() as tmp:
        inp = pathlib.Path(tmp) / "docs.jsonl"
        inp.write_text("".join(json.dumps(d) + "\n" for d in docs), encoding="utf-8")
        db = args.keep or str(pathlib.Path(tmp) / "link.sqlite")
        t0 = time.perf_counter()
        if args.extracted:
            report = services.ingest_extracted(db, _extracted(inp, pathlib.Path(args.extracted)))
        else:
            report = services.ingest([str(inp)], db)
        took = time.perf_counter() - t0
        lede, deadliest, every = _main_events(db, list(gold))
        result = _score(gold, lede)
        errors = result.pop("errors")
        for name, main in (("by_deadliest_event", deadliest), ("by_any_event", every)):
            result[name] = {k: v for k, v in _score(gold, main).items()
                            if k not in ("articles_without_event", "errors")}
        del result["by_any_event"]["events_per_incident"]  # every event of every article
    result.update(articles=len(docs), clusters=len(set(gold.values())),
                  reports=report.reports, events=report.events_created,
                  ingest_seconds=round(took, 2))
    if args.errors:
        result["errors"] = errors
    json.dump(result, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
