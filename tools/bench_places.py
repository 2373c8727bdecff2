#!/usr/bin/env python3
"""Benchmark the gazetteer: load time, memory, toponym spotting speed, resolve_place cost.

Usage: python tools/bench_places.py [--texts /work/shared/eval/dev/fakes.dev.jsonl]
"""
from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--texts", default="/work/shared/eval/dev/fakes.dev.jsonl",
                    help="JSONL with a `text` field per line")
    args = ap.parse_args(argv)
    from eventwire.gazetteer import find_mentions
    from eventwire.resources import load_gazetteer
    from eventwire.records import Article
    from eventwire.resources import load_abbreviations
    from eventwire.stages.annotate import split_sentences
    from eventwire.stages.places import resolve_place
    rss0 = _rss_mb()
    t = time.perf_counter()
    gaz = load_gazetteer()
    load_s = time.perf_counter() - t
    rss1 = _rss_mb()
    texts = [json.loads(ln)["text"] for ln in open(args.texts, encoding="utf-8") if ln.strip()]
    t = time.perf_counter()
    n_mentions = sum(len(find_mentions(x, gaz)) for x in texts)
    spot_s = time.perf_counter() - t
    arts = [Article(id=f"bench-{i}", text=x) for i, x in enumerate(texts)]
    spans = [[(s.start, s.end) for s in split_sentences(a, load_abbreviations())[:3]] for a in arts]
    t = time.perf_counter()
    for a, sp in zip(arts, spans):
        resolve_place(a, sp, gaz)
    resolve_s = time.perf_counter() - t
    print(json.dumps({
        "load_seconds": round(load_s, 3), "load_rss_mb": round(rss1 - rss0, 1),
        "articles": len(texts), "toponyms": n_mentions,
        "toponyms_per_second": round(n_mentions / spot_s),
        "chars_per_second": round(sum(map(len, texts)) / spot_s),
        "resolve_ms_per_article_cold": round(1000 * resolve_s / len(arts), 2),
        "peak_rss_mb": round(_rss_mb(), 1)}, indent=1))


if __name__ == "__main__":
    main()
