#!/usr/bin/env python3
"""Measure place resolution alone on the dev sets, scored like /work/shared/eval/score.py.

acled: each note is one incident; spans = its first two sentences.
fakes: spans = the article's first three sentences; governorate against the crowd label.
seeds: the sentence holding each reference event's evidence; location within km_tolerance.

Usage: python tools/eval_places.py [--set acled|fakes|seeds|all] [--eval-dir DIR] [--by-country]
"""
from __future__ import annotations

import argparse
import csv
import importlib.util
import json
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from eventwire.resources import load_gazetteer  # noqa: E402
from eventwire.records import Article  # noqa: E402
from eventwire.resources import load_abbreviations  # noqa: E402
from eventwire.stages.annotate import split_sentences  # noqa: E402
from eventwire.stages.places import resolve_place  # noqa: E402


def _score_module(eval_dir: Path):
    spec = importlib.util.spec_from_file_location("score", eval_dir / "score.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _spans(article: Article, n: int) -> list[tuple[int, int]]:
    return [(s.start, s.end) for s in split_sentences(article, load_abbreviations())[:n]]


def eval_acled(eval_dir: Path, gaz, sc, by_country: bool) -> dict:
    rows = list(csv.DictReader(open(eval_dir / "dev" / "acled.notes.dev.csv", encoding="utf-8")))
    c, per = Counter(), {}
    t = time.perf_counter()
    for r in rows:
        art = Article(id=r["event_id_cnty"], text=r["notes"])
        p = resolve_place(art, _spans(art, 2), gaz)
        ok = sc.admin1_key(p.admin1 or "") == sc.admin1_key(r["admin1"])
        c["n"] += 1
        c["admin1"] += ok
        if p.latitude is not None:
            d = sc.km(float(r["latitude"]), float(r["longitude"]), p.latitude, p.longitude)
            c["loc25"] += d <= 25
            c["loc10"] += d <= 10
        k = per.setdefault(r["country"], Counter())
        k["n"] += 1
        k["admin1"] += ok
    out = {"set": "acled", "rows": c["n"], "admin1": round(c["admin1"] / c["n"], 4),
           "location_25km": round(c["loc25"] / c["n"], 4),
           "location_10km": round(c["loc10"] / c["n"], 4),
           "ms_per_note": round(1000 * (time.perf_counter() - t) / c["n"], 3)}
    if by_country:
        out["admin1_by_country"] = {k: f"{v['admin1']}/{v['n']}" for k, v in
                                    sorted(per.items(), key=lambda kv: -kv[1]["n"])}
    return out


def eval_fakes(eval_dir: Path, gaz, sc) -> dict:
    c = Counter()
    t = time.perf_counter()
    for line in open(eval_dir / "dev" / "fakes.dev.jsonl", encoding="utf-8"):
        r = json.loads(line)
        art = Article(id=str(r["id"]), text=r["text"], title=r.get("title"))
        p = resolve_place(art, _spans(art, 3), gaz)
        gold, pred = sc.admin1_key(r["labels"]["location"]), sc.admin1_key(p.admin1 or "")
        c["n"] += 1
        c["admin1"] += gold == pred or (gold == "damascus" and pred == "ruraldamascus")
    return {"set": "fakes", "rows": c["n"], "admin1": round(c["admin1"] / c["n"], 4),
            "ms_per_article": round(1000 * (time.perf_counter() - t) / c["n"], 3)}


def eval_seeds(eval_dir: Path, gaz, sc) -> dict:
    gold = json.load(open(eval_dir / "dev" / "seeds.gold.json", encoding="utf-8"))
    corpus = eval_dir.parent / "corpus" / "seeds"
    c, detail = Counter(), []
    for g in gold["events"]:
        if g.get("latitude") is None:
            continue
        text = (corpus / f"{g['doc']}.txt").read_text(encoding="utf-8")
        art = Article(id=g["doc"], text=text)
        head = g["evidence"].split("...")[0].strip()
        spans = [(s.start, s.end) for s in split_sentences(art, load_abbreviations()) if head[:40] in s.text][:1]
        p = resolve_place(art, spans, gaz)
        ok = p.latitude is not None and sc.km(g["latitude"], g["longitude"], p.latitude,
                                              p.longitude) <= g["km_tolerance"]
        c["n"] += 1
        c["location"] += ok
        c["admin1"] += sc.admin1_key(p.admin1 or "") == sc.admin1_key(g.get("admin1") or "")
        detail.append(f"{g['id']}: {p.location} ({p.admin1}) {'ok' if ok else 'MISS'}")
    return {"set": "seeds", "events": c["n"], "location": round(c["location"] / c["n"], 4),
            "admin1": round(c["admin1"] / c["n"], 4), "detail": detail}


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--set", default="all", choices=["acled", "fakes", "seeds", "all"])
    ap.add_argument("--eval-dir", default="/work/shared/eval")
    ap.add_argument("--by-country", action="store_true")
    args = ap.parse_args(argv)
    eval_dir = Path(args.eval_dir)
    sc, gaz = _score_module(eval_dir), load_gazetteer()
    if args.set in ("seeds", "all"):
        print(json.dumps(eval_seeds(eval_dir, gaz, sc), indent=1))
    if args.set in ("fakes", "all"):
        print(json.dumps(eval_fakes(eval_dir, gaz, sc), indent=1))
    if args.set in ("acled", "all"):
        print(json.dumps(eval_acled(eval_dir, gaz, sc, args.by_country), indent=1))


if __name__ == "__main__":
    main()
